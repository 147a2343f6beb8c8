"""Printed and downloadable documents: PDF (PDF/UA), PPTX, devis, brochure, zip.

Belongs here: the bytes of a document from data the ``dossier`` room already holds
(``pdf``, ``pdfua``, ``pptx``, ``brochure``, ``bundle``, ``archive``), the fonts they
embed, and the pool of worker processes that makes them (``workers``).
Not here: what a document contains (``dossier.contents``), the site (``engine``).
"""
