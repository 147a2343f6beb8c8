"""Password-protected dossiers: every HTML page and PDF sealed with AES-256-GCM.

The key comes from the password by PBKDF2-SHA256 (600 000 iterations), in Python
at build time and with WebCrypto in the visitor's browser. Salt and nonces are
derived, not drawn, so that two builds of the same input are byte-identical; a
nonce depends on the file's path and content, so it never repeats for two
different plaintexts under one key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from .render import render

ITERATIONS = 600_000
SEALED_SUFFIX = ".enc"
ASSETS = "assets/"  #: the theme's files, identical in every dossier and the public site


def derive_key(password: str, salt: bytes, iterations: int = ITERATIONS) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(password.encode("utf-8"))


def seal(key: bytes, name: str, data: bytes) -> bytes:
    """``nonce (12 bytes) || ciphertext+tag``; the file name is authenticated too."""
    nonce = hmac.new(key, name.encode() + b"\0" + hashlib.sha256(data).digest(),
                     hashlib.sha256).digest()[:12]
    return nonce + AESGCM(key).encrypt(nonce, data, name.encode())


def unseal(key: bytes, name: str, blob: bytes) -> bytes:
    """Inverse of :func:`seal`; raises ``InvalidTag`` for a wrong key or a changed file."""
    return AESGCM(key).decrypt(blob[:12], blob[12:], name.encode())


def encrypt_dossier(folder: Path, password: str, *, salt_seed: bytes) -> None:
    """Seal every file of a built dossier in place, theme assets excepted.

    Pages become a small accessible password form carrying their sealed content;
    other files (PDFs, agenda) become ``<name>.enc``, opened by the page script once
    unlocked. Theme assets (CSS, JS, icons) stay as they are: nothing of the client.
    """
    salt = hashlib.sha256(b"amoor-salt-v1\0" + salt_seed).digest()[:16]
    key = derive_key(password, salt)
    b64 = lambda raw: base64.b64encode(raw).decode("ascii")  # noqa: E731
    for file in sorted(folder.rglob("*")):
        if not file.is_file():
            continue
        name = file.relative_to(folder).as_posix()
        if name.startswith(ASSETS):
            continue
        if file.suffix == ".html":
            sealed = seal(key, name, file.read_bytes())
            file.write_text(render("crypt/shell.html", iterations=ITERATIONS,
                                   salt=b64(salt), name=name, payload=b64(sealed)),
                            encoding="utf-8")
        else:
            sealed_file = file.with_name(file.name + SEALED_SUFFIX)
            sealed_file.write_bytes(seal(key, name, file.read_bytes()))
            file.unlink()
