"""The public brochure: the offer (and contact) pages of the public site, in print."""

from __future__ import annotations

from pathlib import Path

from ..content.project import AmoorOptions
from ..content.reader import OfferSource
from ..text.fmt import money_ht
from .pdf import PdfDocument, Section

#: The public brochure's cover line: the address as the public pages write it, in the
#: anti-spam form the consultant chose (private documents print the real one).
PUBLIC_CONTACT = ("a.m.o.o.r. — www.amoor.fr — contact[@]olivierryckewaert.net — "
                  "06 32 55 05 30")


def brochure_pages(options: AmoorOptions, offers: dict[str, OfferSource],
                   docs_dir: Path, root: Path) -> tuple[str, ...]:
    """Source paths printed, in order: the configured ones, else every offer page
    and then ``contact.md`` when the site has one."""
    if options.brochure_pages:
        return options.brochure_pages
    pages = sorted((root / s.path).relative_to(docs_dir).as_posix() for s in offers.values())
    if (docs_dir / "contact.md").is_file():
        pages.append("contact.md")
    return tuple(pages)


def brochure_document(sections: list[Section], offers: dict[str, OfferSource], *,
                      site_dir: Path, name: str, site_name: str) -> PdfDocument:
    offer = next(iter(offers.values())).offer if offers else None
    cover: tuple[tuple[str, str], ...] = ()
    if offer is not None:
        p = offer.price
        cover = (("Tarif", f"à partir de {money_ht(p.floor_ht)}"),
                 ("Forfait", f"{p.days} jours de mission, {p.workshops} atelier, "
                             f"{p.deliverables} livrables"))
    return PdfDocument(
        output=site_dir / name, root=site_dir,
        title=offer.title if offer else site_name,
        subtitle=offer.tagline if offer else "",
        kicker="Offre d'accompagnement", cover=cover,
        header=f"a.m.o.o.r. — {offer.title}" if offer else site_name,
        sections=tuple(sections), toc=False, label=name, contact=PUBLIC_CONTACT)
