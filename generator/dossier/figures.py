"""The figures of one dossier: what its pages, slides and calendar are drawn from.

Computed first (price, stakeholder map, R.O.I., devis), in one frozen object: the
slides and pages read it, and :class:`~generator.dossier.dossier.Dossier` extends it
with what they drew, so nothing reads a dossier half-built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..compute.invoicing import Billed
from ..compute.pricing import Quote
from ..compute.roi import RoiResult
from ..compute.stakeholders import Quadrant
from ..content.models.mission import Mission
from ..content.models.offer import Offer
from ..content.models.provider import Provider
from ..content.reader import MissionSource
from ..text.folding import address_parts, name_parts
from .devis import Devis

#: Words of a stakeholder's label or a scenario's title watched by the privacy check
#: when the mission is a public reference.
DETAIL_WORDS = 4


@dataclass(frozen=True)
class Figures:
    """What a dossier is computed from, before any of it is rendered: its slides, pages
    and calendar are drawn from these (a :class:`Dossier` is these and what they drew)."""

    slug: str
    token: str
    client: str                     #: the client key (see :func:`client_key`)
    source: MissionSource
    offer: Offer
    provider: Provider
    quote: Quote
    quadrants: dict[str, Quadrant]
    roi: RoiResult | None
    devis: Devis
    portal: str | None = None       #: the client's portal, when it has several dossiers
    invoices: tuple[Billed, ...] = ()   #: as issued, in the order of mission.yml

    @property
    def mission(self) -> Mission:
        return self.source.mission

    @property
    def path(self) -> str:
        """Folder relative to the site root."""
        return f"d/{self.token}/"

    @property
    def footer(self) -> str:
        """Each slide's footer (page, PDF): who presents, to whom."""
        return f"{self.provider.name} — {self.mission.client.name}"

    @property
    def password_env(self) -> str | None:
        return self.mission.access.password_env

    @property
    def fingerprints(self) -> tuple[str, ...]:
        """Strings that must never appear outside this client's own files."""
        m = self.mission
        found = [self.token, self.slug, m.title, m.client.name]
        if m.client.id:
            found.append(m.client.id)
        if m.parameters:
            found.append(m.parameters.subject)
        found += [*name_parts(m.client.name), *address_parts(m.client.address)]
        if m.reference and m.reference.public:
            # A public reference tempts one to copy the mission's details into public:
            # its stakeholders and scenarios are watched too, those specific enough
            # (« Ateliers de co-conception », « Services techniques » are the offer's
            # own words, on every public page that explains it).
            found += [t for t in (*(s.label for s in m.stakeholders),
                                  *(s.title for s in m.scenarios))
                      if len(t.split()) >= DETAIL_WORDS]
        return tuple(found)

    @property
    def created(self) -> dt.date:
        """Date shown on covers and stamped in PDF metadata (:func:`created`)."""
        return created(self.mission)


def created(mission: Mission) -> dt.date:
    """Date shown on covers and stamped in PDF metadata: derived from the data,
    so two builds of the same input are byte-identical."""
    d = mission.dates
    candidates = [x for x in (d.start, d.workshop, d.end) if x is not None]
    candidates += [s.date for s in mission.steps if s.date]
    candidates += [x.date for x in mission.deliverables if x.date]
    candidates += [mission.quote.date] if mission.quote.date else []
    return max(candidates) if candidates else dt.date(2026, 1, 1)
