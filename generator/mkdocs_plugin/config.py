"""Declared options of the ``amoor`` MkDocs plugin."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class AmoorConfig(Config):
    #: Folder of offer pages, inside ``docs_dir``.
    offers_dir = c.Type(str, default="offres")
    #: Write the brochure PDF after the build (``amoor build --no-pdf`` turns it off).
    brochure = c.Type(bool, default=True)
    #: File name of the brochure, at the site root.
    brochure_name = c.Type(str, default="brochure-concertation.pdf")
    #: Pages printed into the brochure, by source path, in order.
    brochure_pages = c.ListOfItems(c.Type(str), default=["offres/concertation-pertinente.md",
                                                         "contact.md"])
