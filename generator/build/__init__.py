"""The build: one pipeline from the project's files to site/, and its variants.

Belongs here: the pipeline (``pipeline``: catalog, steps, document jobs, sealing, the
output swap), the live preview (``preview``), ``amoor export`` (``export``) and
``amoor new`` (``scaffold``). Not here: MkDocs (``engine``), click (``cli``).
"""
