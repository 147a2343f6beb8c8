"""Unguessable dossier addresses: ``d/<token>/`` with an HMAC of the slug.

Knowing a slug is not enough to find a dossier; knowing the secret is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_ENV = "AMOOR_SECRET"
LOCAL_SECRET = Path(".amoor") / "secret"
DOMAIN = b"dossier-url-v1\0"


class SecretSource:
    """Where the secret came from, so the CLI can warn when it is a local one."""

    def __init__(self, value: bytes, origin: str, created: bool = False):
        self.value, self.origin, self.created = value, origin, created


def load_secret(root: Path) -> SecretSource:
    """``AMOOR_SECRET``, else a key made once in ``.amoor/secret`` (git-ignored)."""
    env = os.environ.get(SECRET_ENV, "")
    if env:
        return SecretSource(env.encode(), f"variable {SECRET_ENV}")
    file = root / LOCAL_SECRET
    if file.is_file():
        return SecretSource(file.read_text(encoding="ascii").strip().encode(), str(LOCAL_SECRET))
    file.parent.mkdir(parents=True, exist_ok=True)
    (file.parent / ".gitignore").write_text("*\n", encoding="ascii")
    value = secrets.token_urlsafe(32)
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(value + "\n")
    return SecretSource(value.encode(), str(LOCAL_SECRET), created=True)


def dossier_token(secret: bytes, slug: str) -> str:
    """32 base32 characters (160 bits) of HMAC-SHA256(secret, domain + slug)."""
    digest = hmac.new(secret, DOMAIN + slug.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode("ascii").lower()


def dossier_path(secret: bytes, slug: str) -> str:
    """The dossier's folder, relative to the site root: ``d/<token>/``."""
    return f"d/{dossier_token(secret, slug)}/"
