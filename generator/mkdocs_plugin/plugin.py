"""Events of the ``amoor`` plugin for the public site.

The public build reads offer pages only: mission dossiers are built apart
(``generator.site``), so nothing private can reach a public page by construction.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger

from ..diagnostics import errors
from ..fmt import typography
from ..offer_page import offer_jsonld, offer_markdown
from ..reader import OfferSource, read_offers
from .config import AmoorConfig

log = get_plugin_logger(__name__)


class AmoorPlugin(BasePlugin[AmoorConfig]):
    def __init__(self) -> None:
        self.offers: dict[str, OfferSource] = {}
        self._by_src: dict[str, OfferSource] = {}  #: offer pages by their src_uri

    def on_config(self, config):
        docs = Path(config.docs_dir)
        root = Path(config.config_file_path or ".").parent
        self.offers, problems = read_offers(docs / self.config.offers_dir, root)
        for warning in (p for p in problems if p.severity == "warning"):
            log.warning(str(warning))
        if errors(problems):
            raise PluginError("\n".join(str(p) for p in errors(problems)))
        self._by_src = {f"{self.config.offers_dir}/{Path(s.path).name}": s
                        for s in self.offers.values()}
        return config

    def on_page_markdown(self, markdown, page, config, files):
        source = self._by_src.get(page.file.src_uri)
        if source is None:
            return markdown
        root = "../" * page.file.url.count("/")
        page.meta["amoor_jsonld"] = offer_jsonld(
            source.offer, url=(config.site_url or "") + page.file.url,
            provider=config.site_name, site_url=config.site_url or "")
        return offer_markdown(source.offer, source.body, root=root,
                              brochure=self.config.brochure_name)

    def on_page_content(self, html, page, config, files):
        return typography(html)

    def on_post_build(self, config):
        if not self.config.brochure:
            return
        from ..brochure import write_brochure

        write_brochure(config, self.config, self.offers)
