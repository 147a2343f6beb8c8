"""Caches on disk: folders of outputs keyed by what they were made from.

Belongs here: the generic folder cache the HTML, document and privacy caches use.
Imports nothing else of the generator, so every room may use it.
"""
