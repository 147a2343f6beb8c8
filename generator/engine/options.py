"""Declared options of the ``amoor`` MkDocs plugin (defaults: :class:`AmoorOptions`)."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..content.project import AmoorOptions

_DEFAULTS = AmoorOptions()


class AmoorConfig(Config):
    #: Folder of offer pages, inside ``docs_dir``.
    offers_dir = c.Type(str, default=_DEFAULTS.offers_dir)
    #: File name of the brochure, at the site root.
    brochure_name = c.Type(str, default=_DEFAULTS.brochure_name)
    #: Pages printed into the brochure, by source path, in order
    #: (default: the offers, then contact.md).
    brochure_pages = c.ListOfItems(c.Type(str), default=list(_DEFAULTS.brochure_pages))
