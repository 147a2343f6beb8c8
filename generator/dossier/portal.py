"""The client portal, ``c/<token>/``: one page listing a client's published dossiers.

A client is what the privacy check calls a client (``client.id``, or the name without
accents, case or punctuation); its portal's address is as strong as a dossier's and
lives only in that client's own pages. What a portal shows of a dossier never exceeds
what the dossier itself shows to whoever holds its link:

* an open dossier: its title, state, dates and link;
* a password-protected one: « Dossier protégé », its date and link — nothing its
  sealed pages keep secret; the client's name only when one of its dossiers is open;
* when every dossier of the client is protected by one and the same password, the
  portal is sealed with it too, and shows everything once opened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..content.models.mission import Mission
from ..protection.keys import Keys
from ..text.render import front_matter, html_text, render
from .dossier import Dossier, Page


@dataclass
class Portal:
    client: str                     #: the client key
    token: str
    dossiers: list[Dossier]         #: newest first
    password: str | None = None     #: set when the portal is sealed (all share it)
    pages: tuple[Page, ...] = ()

    @property
    def path(self) -> str:
        return f"c/{self.token}/"

    @property
    def label(self) -> str:
        return f"espace client {self.client}"

    @property
    def name(self) -> str | None:
        """The client's name, when the portal may show it (see the module's doc)."""
        if self.password is not None or any(not d.password_env for d in self.dossiers):
            return self.dossiers[0].mission.client.name
        return None

    @property
    def fingerprints(self) -> tuple[str, ...]:
        return (self.token,)


def portal_revision(missions: Iterable[Mission]) -> int:
    """A client's portal revision, from its missions': each ``amoor revoke`` of one of
    them raises it by one (whoever kept the old link knew the old portal, which lists
    the new link), a new mission (revision 1) leaves it as it was."""
    return 1 + sum(m.access.revision - 1 for m in missions)


def make_portals(dossiers: list[Dossier], keys: Keys, passwords: dict[str, str],
                 revisions: dict[str, int] | None = None) -> list[Portal]:
    """One portal per client with published dossiers. ``passwords`` by slug;
    ``revisions`` by client (default: from the dossiers given)."""
    by_client: dict[str, list[Dossier]] = {}
    for dossier in dossiers:
        by_client.setdefault(dossier.client, []).append(dossier)
    portals = []
    for client, own in sorted(by_client.items()):
        own.sort(key=lambda d: (d.created, d.slug), reverse=True)
        shared = {passwords.get(d.slug) for d in own}
        password = next(iter(shared)) if len(shared) == 1 and None not in shared else None
        revision = revisions[client] if revisions and client in revisions else \
            portal_revision(d.mission for d in own)
        portal = Portal(client, keys.client_token(client, revision), own, password)
        portal.pages = (render_portal(portal),)
        portals.append(portal)
    return portals


def portal_path(keys: Keys, client: str, revision: int = 1) -> str:
    return f"c/{keys.client_token(client, revision)}/"


def render_portal(portal: Portal) -> Page:
    title = f"Espace client — {portal.name}" if portal.name else "Espace client"
    meta = {"title": html_text(title), "amoor_client": portal.name or "",
            "template": "dossier.html", "amoor_private": True, "amoor_portal": True}
    body = render("dossier/portal/index.md.j2", portal=portal, title=title,
                  sealed=portal.password is not None)
    return Page("index.md", title, front_matter(meta) + body)
