"""Which dossiers a build publishes, on a given day: expiry, examples, portal links.

Everything here depends on the build's date (:func:`generator.content.clock.today`) or on
the set of published missions, never on the files' contents alone: the readers
and checks stay the same whatever the day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..content.diagnostics import Diagnostic
from ..content.reader import MissionSource
from ..protection.keys import Keys, in_ci
from ..text.fmt import date
from ..text.folding import fold
from .dossier import client_key
from .portal import portal_path, portal_revision

WARN_DAYS = 14   #: ``amoor check`` warns this many days before a dossier expires


def expired(mission: MissionSource, day: dt.date) -> bool:
    """From its ``expire_le`` date (Paris), a dossier is no longer published."""
    end = mission.mission.access.expires
    return end is not None and day >= end


def publishable(missions: Iterable[MissionSource], day: dt.date
                ) -> tuple[list[MissionSource], list[str]]:
    """The missions a build publishes on ``day``: not those whose access has expired;
    in CI, not the example missions. And a note for each one left out."""
    kept, notices = [], []
    for m in missions:
        if expired(m, day):
            notices.append(f"{m.path} : accès expiré le {date(m.mission.access.expires)}, "
                           "dossier non publié")
        elif m.mission.example and in_ci():
            notices.append(f"{m.path} : mission d'exemple (exemple: true), non publiée en CI")
        else:
            kept.append(m)
    return kept, notices


def client_revisions(missions: Iterable[MissionSource]) -> dict[str, int]:
    """Each client's portal revision (:func:`generator.dossier.portal.portal_revision`), from
    every mission read, expired ones included: a revoked dossier that expires does not
    bring its client's old portal address back."""
    by_client: dict[str, list[MissionSource]] = {}
    for m in missions:
        by_client.setdefault(client_key(m.mission), []).append(m)
    return {client: portal_revision(m.mission for m in own)
            for client, own in by_client.items()}


def client_conflicts(missions: Iterable[MissionSource]) -> list[Diagnostic]:
    """Missions whose clients' names fold together (:func:`generator.text.folding.fold`) but
    whose clients may not be one: the same key and another address would merge two
    clients into one portal (an error: each would see the other's titles and links);
    other ``client.id`` values keep them apart (a warning: check that it is meant)."""
    found = []
    seen: dict[str, list[MissionSource]] = {}
    for m in missions:
        client = m.mission.client
        earlier = seen.setdefault(fold(client.name), [])
        earlier.append(m)
        for other in earlier[:-1]:
            theirs = other.mission.client
            if client_key(m.mission) != client_key(other.mission):
                by_id = bool(client.id or theirs.id)
                found.append(Diagnostic(
                    m.path, 0, 0, "client.id" if by_id else "client.nom",
                    f"même nom de client que {other.path} (« {theirs.name} ») mais "
                    + ("un autre identifiant" if by_id else "écrit autrement")
                    + " : deux clients distincts, deux espaces clients (s'il s'agit du même "
                    "client, donnez-leur le même client.id)", "warning"))
            elif client.address and theirs.address and \
                    fold(client.address) != fold(theirs.address):
                found.append(Diagnostic(
                    m.path, 0, 0, "client.adresse",
                    f"même client que {other.path} (« {theirs.name} ») mais une autre "
                    "adresse : ses dossiers seraient réunis dans un même espace client. "
                    "Donnez la même adresse, ou un client.id différent à chacun s'il "
                    "s'agit de deux clients"))
            else:
                continue
            break
    return found


def portal_paths(missions: Iterable[MissionSource], keys: Keys,
                 revisions: dict[str, int] | None = None) -> dict[str, str | None]:
    """By slug, the portal a dossier links back to: its client's, when that client has
    several published dossiers. ``revisions``: by client (default: from ``missions``)."""
    missions = list(missions)
    clients = Counter(client_key(m.mission) for m in missions)
    revisions = revisions or client_revisions(missions)
    return {m.slug: portal_path(keys, client_key(m.mission),
                                revisions.get(client_key(m.mission), 1))
            if clients[client_key(m.mission)] > 1 else None for m in missions}


def _line(root: Path, mission: MissionSource) -> int:
    """The line of ``expire_le`` in the file, for the warning (0 when not found)."""
    try:
        text = (root / mission.path).read_text(encoding="utf-8")
    except OSError:
        return 0
    found = re.search(r"^[ \t]*expire_le[ \t]*:", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 0


def expiry_warnings(missions: Iterable[MissionSource], day: dt.date, root: Path
                    ) -> list[Diagnostic]:
    """``amoor check``: a dossier whose access ends within two weeks, or has ended."""
    found = []
    for m in missions:
        end = m.mission.access.expires
        if end is None or (end - day).days > WARN_DAYS:
            continue
        left = (end - day).days
        message = (f"accès expiré depuis le {date(end)} : dossier non publié" if left <= 0
                   else f"l'accès expire le {date(end)}, dans {left} jour{'s' * (left > 1)} "
                        "(reportez la date ou prévenez le client)")
        found.append(Diagnostic(m.path, _line(root, m), 0, "acces.expire_le", message,
                                "warning"))
    return found
