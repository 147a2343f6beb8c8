"""Protection of private output: keys and tokens, sealed folders, CSP, revocation.

Belongs here: ``keys`` (secret, tokens, salts), ``seal`` (encrypting a built folder),
``csp`` (content security policy hashes), ``revoke`` (raising a dossier's revision).
Not here: which dossiers are published (``dossier.access``), the privacy check (``privacy``).
"""
