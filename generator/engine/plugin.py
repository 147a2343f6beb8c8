"""Events of the ``amoor`` plugin for the public site.

The public build reads offer pages only: mission dossiers are built apart, so
nothing private can reach a public page by construction.

Two ways to run, one core (mkdocs-gen-files' way): under ``amoor build`` the core
gives the plugin the offers it has read and a capture for the brochure, and prints
the brochure itself with every other PDF; under a plain ``mkdocs build`` the plugin
reads the offers and prints the brochure on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File

from ..content.diagnostics import errors
from ..content.history import last_changes
from ..content.models.provider import Provider
from ..content.project import AmoorOptions
from ..content.reader import OfferSource, read_offers
from ..documents.card import CARDS, card_name, card_png, card_svg, sharing_tags
from ..dossier.about import ABOUT_PAGE, about_jsonld, contact_block
from ..dossier.contents import url_root
from ..dossier.news import FEED, NewsItem, atom_feed, latest_block
from ..dossier.offer_page import offer_jsonld, offer_markdown
from ..dossier.references import (
    REFERENCES_PAGE,
    PublicReference,
    home_block,
    references_markdown,
    with_home_block,
)
from ..text.fmt import money_ht
from .attributes import guard_markdown
from .blog import news_items
from .hooks import Capture, escape_meta, finish_content, finish_page
from .options import AmoorConfig
from .stylesheets import minify_own_stylesheets

log = get_plugin_logger(__name__)


class AmoorPlugin(BasePlugin[AmoorConfig]):
    def __init__(self) -> None:
        self.offers: dict[str, OfferSource] | None = None
        self.capture: Capture | None = None
        self.preview = False
        self._standalone = True
        self._by_src: dict[str, OfferSource] = {}
        self.references: list[PublicReference] = []
        self.provider: Provider | None = None
        self.news: list[NewsItem] = []
        self.dates: dict[str, str] = {}

    def provide(self, offers: dict[str, OfferSource], capture: Capture, *,
                preview: bool = False, references: list[PublicReference] | None = None,
                provider: Provider | None = None) -> None:
        """Under ``amoor build``: the offers read by the core, the public references
        (public words only: the core never hands a mission to the public build), and
        where page content goes."""
        self.offers, self.capture, self._standalone = offers, capture, False
        self.preview = preview
        self.references = references or []
        self.provider = provider

    def on_config(self, config: Any) -> Any:
        guard_markdown(config)
        docs = Path(config.docs_dir)
        if self._standalone:
            root = Path(config.config_file_path or ".").parent
            self.offers, problems = read_offers(docs / self.config.offers_dir, root)
            for warning in (p for p in problems if p.severity == "warning"):
                log.warning(str(warning))
            if errors(problems):
                raise PluginError("\n".join(str(p) for p in errors(problems)))
            self.capture = {}
        assert self.offers is not None
        root = Path(config.config_file_path or ".").parent.resolve()
        # the sitemap's lastmod: when a page last changed (not for ``amoor serve``, which
        # rebuilds on every save and publishes no sitemap)
        self.dates = {} if self.preview else last_changes(docs)
        self._by_src = {(root / s.path).relative_to(docs.resolve()).as_posix(): s
                        for s in self.offers.values()}
        return config

    def on_files(self, files: Any, config: Any) -> Any:
        """The « Références » page, made from the consented references; our
        stylesheets minified."""
        minify_own_stylesheets(files, config)
        if files.get_file_from_path(REFERENCES_PAGE) is not None:
            raise PluginError(f"docs/{REFERENCES_PAGE} : cette page est produite par le "
                              "générateur (les références des fichiers mission.yml) ; "
                              "renommez-la")
        files.append(File.generated(config, REFERENCES_PAGE,
                                    content=references_markdown(self.references)))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        page.update_date = self.dates.get(page.file.src_uri, page.update_date)
        escape_meta(page.meta)
        page.meta.pop("amoor_jsonld", None)     # ours only, never a front matter's
        if page.file.src_uri == ABOUT_PAGE and self.provider is not None:
            site_url = config.site_url or ""
            page.meta["amoor_jsonld"] = about_jsonld(self.provider, site_url=site_url,
                                                     url=site_url + page.file.url)
            page.meta.setdefault("template", "offre.html")     # prints the JSON-LD
            markdown += contact_block(self.provider)
        if page.file.src_uri == "index.md":
            markdown = with_home_block(markdown, home_block(self.references))
            markdown = with_home_block(markdown, latest_block(self.news), "actualites")
        source = self._by_src.get(page.file.src_uri)
        if source is None:
            return markdown
        page.meta["amoor_jsonld"] = offer_jsonld(
            source.offer, url=(config.site_url or "") + page.file.url,
            provider=config.site_name, site_url=config.site_url or "")
        return offer_markdown(source.offer, source.body, root=url_root(page.file.url),
                              brochure=self.config.brochure_name)

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        return finish_content(html, page, self.capture, preview=self.preview)

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        if not self.preview:    # ``amoor serve`` redraws often: no card there
            output = self._card(output, page, config)
        return finish_page(output, page, preview=self.preview)

    def _card(self, output: str, page: Any, config: Any) -> str:
        """A public page's sharing card, drawn into ``assets/cartes/``, and its tags in
        the page's head (never in a dossier or a portal: those are the private plugin's).
        Its title: the offer's, else the front matter's ``carte`` or ``title``, else the
        page's."""
        site_url = config.site_url or ""
        source = self._by_src.get(page.file.src_uri)
        badge = f"à partir de {money_ht(source.offer.price.floor_ht)}" if source else None
        title = source.offer.title if source else page.meta.get("carte") or \
            page.meta.get("title") or page.title or config.site_name
        description = (source.offer.tagline if source else None) or \
            page.meta.get("description") or config.site_description or ""
        svg = card_svg(title, badge=badge, site_url=site_url)
        name = card_name(page.url, svg)
        target = Path(config.site_dir) / CARDS / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(card_png(svg))
        tags = sharing_tags(
            title=title, description=description,
            url=site_url + page.url, image=f"{site_url}{CARDS}/{name}",
            site_name=config.site_name)
        end = output.find("</head>")
        return output[:end] + tags + "\n  " + output[end:] if end >= 0 else output

    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        """The blog's posts (read by Material's blog plugin, before us), the latest first."""
        self.news = news_items(files)
        return nav

    def on_post_build(self, config: Any) -> None:
        if any(name.split("/")[-1] == "blog" for name in config.plugins):
            feed = Path(config.site_dir) / FEED
            feed.parent.mkdir(parents=True, exist_ok=True)
            feed.write_bytes(atom_feed(self.news, site_url=config.site_url or "",
                                       site_name=config.site_name))
        if not self._standalone or self.capture is None or self.offers is None:
            return
        from ..documents.brochure import brochure_document, brochure_pages
        from ..documents.pdf import job
        from ..documents.workers import write_documents

        docs = Path(config.docs_dir).resolve()
        root = Path(config.config_file_path or ".").parent.resolve()
        options = AmoorOptions(self.config.offers_dir, self.config.brochure_name,
                               tuple(self.config.brochure_pages))
        wanted = brochure_pages(options, self.offers, docs, root)
        sections = [self.capture[src] for src in wanted if src in self.capture]
        document = brochure_document(sections, self.offers, site_dir=Path(config.site_dir),
                                     name=self.config.brochure_name,
                                     site_name=config.site_name)
        write_documents([job(document, None)], workers=1)
