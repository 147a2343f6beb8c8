"""The public brochure: the offer (and contact) pages of the built site, in print."""

from __future__ import annotations

from pathlib import Path

from .fmt import money_ht
from .pdf import PdfDocument, Section, article, write_pdfs


def built_page(site_dir: Path, src_uri: str, use_directory_urls: bool = True) -> tuple[Path, str]:
    """Where MkDocs wrote the page of ``src_uri``, and its URL."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        url = stem.removesuffix("index")
        return site_dir / url / "index.html", url
    if use_directory_urls:
        return site_dir / stem / "index.html", stem + "/"
    return site_dir / f"{stem}.html", f"{stem}.html"


def brochure_document(config, plugin_config, offers) -> PdfDocument:
    site_dir = Path(config.site_dir)
    sections = []
    for src in plugin_config.brochure_pages:
        file, url = built_page(site_dir, src, config.use_directory_urls)
        html = article(file.read_text(encoding="utf-8"), url)
        title = src.removesuffix(".md").rsplit("/", 1)[-1].replace("-", " ").capitalize()
        for nav_page in config.nav or []:
            if isinstance(nav_page, dict) and src in nav_page.values():
                title = next(k for k, v in nav_page.items() if v == src)
        sections.append(Section(title, html))
    offer = next(iter(offers.values())).offer if offers else None
    cover = ()
    if offer is not None:
        p = offer.price
        cover = (("Tarif", f"à partir de {money_ht(p.floor_ht)}"),
                 ("Forfait", f"{p.days} jours de mission, {p.workshops} atelier, "
                             f"{p.deliverables} livrables"))
    return PdfDocument(
        output=site_dir / plugin_config.brochure_name, root=site_dir,
        title=offer.title if offer else config.site_name,
        subtitle=offer.tagline if offer else "",
        kicker="Offre d'accompagnement", cover=cover,
        header=f"a.m.o.o.r. — {offer.title}" if offer else config.site_name,
        sections=tuple(sections), toc=False, label=plugin_config.brochure_name)


def write_brochure(config, plugin_config, offers) -> None:
    write_pdfs([(brochure_document(config, plugin_config, offers), None)], workers=1)
