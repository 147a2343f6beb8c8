"""The public references: finished missions whose client consented, in public words only.

A :class:`PublicReference` holds what may be published of a mission and nothing else
(the client's name and kind, the offer, the year, the level of participation retained,
and the texts written for publication): the public site is built from these, never
from a mission. Its :attr:`~PublicReference.words` are what the privacy check lets
through in public (:class:`generator.privacy.match.Allowed`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..content.models.mission import Mission
from ..content.models.offer import Offer
from ..content.models.vocab import MissionStatus
from ..content.reader import MissionSource
from ..text.render import render
from .dossier import client_key

#: Where the page of references is, in the public site (a page of its own).
REFERENCES_PAGE = "references.md"
#: How many references the home page shows.
ON_HOME = 3


@dataclass(frozen=True)
class PublicReference:
    client: str             #: the client key (whose fingerprints the words may hold)
    name: str               #: the client's name, as published
    kind: str               #: « Commune », « Département »…
    offer: str              #: the offer's title
    year: int
    summary: str
    level: str | None       #: the level of participation retained, if any
    quote: str | None
    role: str | None

    @property
    def words(self) -> tuple[str, ...]:
        """The texts of this reference that the client consented to publish."""
        return tuple(w for w in (self.name, self.summary, self.quote, self.role) if w)


def consented(mission: Mission) -> bool:
    """A reference is public only for a finished mission, with ``publiable: true``."""
    ref = mission.reference
    return bool(ref and ref.public and mission.status is MissionStatus.DONE)


def _level(mission: Mission) -> str | None:
    retained = mission.roi.retained if mission.roi else None
    scenario = next((s for s in mission.scenarios if s.id == retained), None)
    return scenario.level.label if scenario else None


def public_references(missions: Iterable[MissionSource],
                      offers: dict[str, Offer]) -> list[PublicReference]:
    """Every consented reference, the latest first (then by client name)."""
    found = []
    for source in missions:
        m = source.mission
        if not consented(m) or m.example:
            continue
        ref = m.reference
        assert ref is not None
        offer = offers.get(m.offer)
        found.append(PublicReference(
            client_key(m), m.client.name, m.client.kind.label,
            offer.title if offer else "", ref.year, ref.summary, _level(m),
            ref.citation.text if ref.citation else None,
            ref.citation.role if ref.citation else None))
    return sorted(found, key=lambda r: (-r.year, r.name.casefold()))


def references_markdown(references: list[PublicReference]) -> str:
    """The « Références » page."""
    return render("dossier/references.md.j2", references=references)


def with_home_block(markdown: str, block: str, name: str = "references") -> str:
    """The home page's Markdown with a block at its marker (``<!-- amoor:NAME -->``),
    or at its end."""
    marker = re.compile(rf"<!--\s*amoor:{name}\b.*?-->", re.S)
    if marker.search(markdown):
        return marker.sub(lambda _: block, markdown, count=1)
    return markdown + block


def home_block(references: list[PublicReference]) -> str:
    """The short block of the home page (``index.md``, beside the references page):
    the latest references, a link to the page."""
    if not references:
        return ""
    return render("dossier/references_home.md.j2", references=references[:ON_HOME],
                  more=len(references) > ON_HOME)
