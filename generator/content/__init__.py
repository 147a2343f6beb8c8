"""Reading and validating the consultant's input: YAML, models, checks, where things are.

Belongs here: everything between a file on disk and a validated model (``yamlio``,
``reader``, ``models/``, ``validation``, ``schema``), where the project keeps its files
(``project``), how a problem is told (``diagnostics``) and the build's date (``clock``).
Not here: anything computed from the models (``compute``) or rendered (``text``,
``dossier``). This is the floor of the core: it imports only ``text`` (French slugs).
"""
