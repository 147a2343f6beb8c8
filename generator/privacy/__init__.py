"""The privacy check: nothing of one client readable in another's output.

Belongs here: reading text out of built files (HTML, PDF, zips), matching a client's
fingerprints, the report, and the cache of what was already read.
Not here: sealing or keys (``protection``), deciding what is published (``dossier.access``).
"""
