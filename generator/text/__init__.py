"""French text: the Jinja environment and French formatting (numbers, money, dates).

Belongs here: ``render`` (templates, front matter, escaping) and ``fmt`` (typography,
thousands separators, slugs). Imports nothing else of the generator: every other room
may use it. Not here: what a page says (``dossier``), how a PDF is laid out (``documents``).
"""
