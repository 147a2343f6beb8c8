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
import json
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from ..text.render import render
from .csp import declared_hashes, inline_hashes, with_policy

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


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def seal_folder(folder: Path, key: bytes, salt: bytes, *, portal: bool = False) -> None:
    """Seal every file of a built dossier (or client portal), theme assets excepted.

    Pages become a small accessible password form carrying their sealed content;
    other files (PDFs, agenda) become ``<name>.enc``, opened by the page script once
    unlocked. Theme assets (CSS, JS, icons) stay as they are: nothing of the client.
    Every file is replaced, never rewritten in place (it may be a hard link).
    """
    for file in sorted(folder.rglob("*")):
        if not file.is_file():
            continue
        name = file.relative_to(folder).as_posix()
        if name.startswith(ASSETS):
            continue
        plain = file.read_bytes()
        sealed = seal(key, name, plain)
        file.unlink()
        if file.suffix == ".html":
            file.write_text(shell(name, sealed, salt, plain.decode("utf-8"), portal=portal),
                            encoding="utf-8")
        else:
            file.with_name(file.name + SEALED_SUFFIX).write_bytes(sealed)


def shell(name: str, sealed: bytes, salt: bytes, page: str, *, portal: bool = False) -> str:
    """The password form carrying a sealed page. Its policy allows its own script and
    the scripts the page's own policy allows: the page replaces the form in place."""
    data = json.dumps({"iterations": ITERATIONS, "salt": _b64(salt), "name": name,
                       "payload": _b64(sealed)}).replace("</", "<\\/")
    html = render("protection/seal/shell.html", sealed=data, portal=portal)
    return with_policy(html, inline_hashes(html) + declared_hashes(page))
