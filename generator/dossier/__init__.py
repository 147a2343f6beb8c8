"""What a dossier holds: its pages, documents, charts, slides, agenda, devis, portal.

Belongs here: ``make_dossier`` (everything computed and rendered, before any output),
the registry of its pages and documents (``contents``), charts and slides, the agenda,
the devis figures, client portals, which dossiers are published (``access``), the
summary shown by ``amoor show``, and the public offer page's Markdown (``offer_page``).
Not here: writing PDF/PPTX bytes (``documents``), sealing (``protection``), MkDocs.
"""
