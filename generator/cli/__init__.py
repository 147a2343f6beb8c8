"""The ``amoor`` command line (click): options, messages, exit codes; no build logic.

Belongs here: parsing arguments and printing results. Not here: anything a test of the
build would need without a terminal (that lives in ``build`` and below).
"""
