"""The build's secret, and every value derived from it.

One secret (``AMOOR_SECRET``), several purposes, each with its own label in the HMAC
(domain separation): knowing a dossier's address tells nothing of its calendar UIDs,
its salt, or any other client's address. The secret must be strong: a client who
knows its own link and slug could otherwise test candidate secrets offline, then
compute every other client's link from guessable slugs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..content.diagnostics import BuildError

SECRET_ENV = "AMOOR_SECRET"
#: The production secret, when the consultant keeps a copy on their machine (git-ignored).
SECRET_FILE = Path(".amoor") / "secret"
#: A key made for local previews only: its links are not the published ones.
LOCAL_FILE = Path(".amoor") / "cle-locale"
MIN_BYTES = 32
MIN_DISTINCT = 10

Origin = Literal["env", "file", "local"]


def in_ci() -> bool:
    """GitHub Actions and GitLab CI both set ``CI``."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def new_secret() -> str:
    """A fresh secret for ``AMOOR_SECRET``: 256 random bits, URL-safe text."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Secret:
    value: bytes
    origin: Origin
    where: str          #: said in messages: "variable AMOOR_SECRET", ".amoor/secret"…
    created: bool = False

    @property
    def production(self) -> bool:
        """True when the links it makes are the published ones."""
        return self.origin != "local"


def _strong(value: bytes, where: str) -> bytes:
    if len(value) < MIN_BYTES or len(set(value)) < MIN_DISTINCT:
        raise BuildError(
            f"clé secrète trop faible ({where} : {len(value)} octets) : il faut au moins "
            f"{MIN_BYTES} octets aléatoires. Créez-en une avec « amoor secret », puis "
            f"remplacez-la dans la forge (secret {SECRET_ENV}) : les liens privés changeront.")
    return value


def load_secret(root: Path) -> Secret:
    """``AMOOR_SECRET``, else ``.amoor/secret``; else, outside CI, a local preview key.

    In CI a missing or empty secret is an error: a fresh random key at each deploy
    would change every client's link.
    """
    env = os.environ.get(SECRET_ENV)
    if env:
        where = f"variable {SECRET_ENV}"
        return Secret(_strong(env.encode(), where), "env", where)
    if in_ci():
        state = "vide" if env is not None else "absente"
        raise BuildError(f"variable {SECRET_ENV} {state} en CI : définissez-la dans les "
                         "secrets de la forge (la même à chaque publication, sinon les liens "
                         "des clients changent).")
    file = root / SECRET_FILE
    if file.is_file():
        value = file.read_text(encoding="utf-8").strip().encode()
        return Secret(_strong(value, str(SECRET_FILE)), "file", str(SECRET_FILE))
    local = root / LOCAL_FILE
    if local.is_file():
        return Secret(local.read_text(encoding="ascii").strip().encode(), "local",
                      str(LOCAL_FILE))
    local.parent.mkdir(parents=True, exist_ok=True)
    (local.parent / ".gitignore").write_text("*\n", encoding="ascii")
    fresh = new_secret()
    fd = os.open(local, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(fresh + "\n")
    return Secret(fresh.encode(), "local", str(LOCAL_FILE), created=True)


def _b32(digest: bytes) -> str:
    return base64.b32encode(digest[:20]).decode("ascii").lower()


class Keys:
    """Values derived from the secret, one HMAC label per purpose."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, label: bytes, *parts: str) -> bytes:
        message = label + b"\0".join(p.encode() for p in parts)
        return hmac.new(self._secret, message, hashlib.sha256).digest()

    def dossier_token(self, slug: str, revision: int = 1) -> str:
        """32 base32 characters (160 bits). Revision 1 keeps the original formula,
        so that no published link changes; a higher revision gives a new link."""
        parts = (slug,) if revision == 1 else (slug, f"r{revision}")
        return _b32(self._mac(b"dossier-url-v1\0", *parts))

    def client_token(self, client: str, revision: int = 1) -> str:
        """The address of a client's portal, as strong as a dossier's. Revision 1 keeps
        the original formula; a revoked dossier raises its client's (see
        :func:`generator.dossier.portal.portal_revision`)."""
        parts = (client,) if revision == 1 else (client, f"r{revision}")
        return _b32(self._mac(b"client-portal-v1\0", *parts))

    def salt(self, slug: str) -> bytes:
        """PBKDF2 salt of a sealed dossier (published beside its pages)."""
        return self._mac(b"dossier-salt-v1\0", slug)[:16]

    def calendar_uid(self, slug: str, event: str) -> str:
        """A calendar event's UID: stable across builds, revealing nothing of the link."""
        return _b32(self._mac(b"ics-uid-v1\0", slug, event))

    def verifier(self, *parts: str) -> str:
        """A keyed fingerprint for cache keys that must not reveal what they cover
        (a dossier password): useless without the secret."""
        return self._mac(b"cache-verifier-v1\0", *parts).hex()
