"""The MkDocs side of one dossier build: its pages as virtual files, nothing else.

Not an entry point: ``generator.site`` adds it to a configuration whose docs
folder is empty, so a dossier build sees only its own pages.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from ..dossier import Dossier
from ..fmt import typography

#: Files MkDocs or Material write at the site root that a dossier folder must not carry.
STRAY = ("sitemap.xml", "sitemap.xml.gz", "404.html")


class DossierPlugin(BasePlugin):
    def __init__(self, dossier: Dossier) -> None:
        super().__init__()
        self.dossier = dossier

    def on_files(self, files, config):
        for page in self.dossier.pages:
            files.append(File.generated(config, page.src_uri, content=page.markdown))
        return files

    def on_page_content(self, html, page, config, files):
        return typography(html)

    def on_post_build(self, config):
        for name in STRAY:
            (Path(config.site_dir) / name).unlink(missing_ok=True)
