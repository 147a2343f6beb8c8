"""Fingerprints and how they are compared: folded (letters and digits only, no accent,
case, punctuation, space, invisible character or look-alike letter), one trie per set of
fingerprints, the folders each client owns and the stamp of what is looked for."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..cache.version import code_version
from ..text.folding import fold

if TYPE_CHECKING:
    from ..dossier.dossier import Dossier
    from ..dossier.portal import Portal

def normalise(text: str) -> str:
    """Text as compared: unescaped, then folded (:func:`generator.text.folding.fold`)."""
    return fold(html.unescape(text))


def shown(fingerprint: str) -> str:
    """A fingerprint as a message shows it: unescaped, spaces as one, casefolded."""
    return " ".join(html.unescape(fingerprint).split()).casefold()


@dataclass(frozen=True)
class Owned:
    """A folder of the site that belongs to one client, and what identifies that client."""

    prefix: str                     #: e.g. ``d/<token>/``
    client: str                     #: the client key
    fingerprints: tuple[str, ...]
    label: str                      #: said in messages (a mission slug)


@dataclass(frozen=True)
class Allowed:
    """Words a client consented to publish (a public reference: its name, the texts
    written for publication). Each is let through as a whole wherever it appears, and
    only as a whole: a fingerprint of that client inside it is not a leak, the same
    fingerprint anywhere else still is (its other titles, its stakeholders, its address)."""

    client: str
    words: tuple[str, ...]


def masked(text: str, phrases: tuple[str, ...]) -> str:
    """Normalised ``text`` with each allowed phrase (normalised, longest first) replaced
    by a character no fingerprint holds: nothing is found in it, nor across it."""
    for phrase in phrases:
        text = text.replace(phrase, "|")
    return text


def owned_folders(dossiers: Iterable[Dossier], portals: Iterable[Portal]) -> list[Owned]:
    """The folders a build gives its clients: each dossier's, then each portal's."""
    return [*(Owned(d.path, d.client, d.fingerprints, d.slug) for d in dossiers),
            *(Owned(p.path, p.client, p.fingerprints, p.label) for p in portals)]


def _trie(keys: Iterable[str]) -> str:
    """One regular expression for all the fingerprints, as a trie of their characters.

    Same matches as ``"|".join(longest first)`` (leftmost, then longest: the branch to
    take is decided by the next character, a longer key is tried before a shorter one
    ends), but ``re`` no longer tries every fingerprint at every position: with one
    alternative per key, the check grew as dossiers × text, 14× slower for 100 dossiers.
    """
    root: dict = {}
    for key in keys:
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}  # a key ends here

    def emit(node: dict) -> str:
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


@lru_cache(maxsize=8)
def _pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """The compiled trie of a set of fingerprints: the same set is compiled once per
    process (``amoor serve`` checks after every edit)."""
    return re.compile(_trie(keys))


def _owners(folders: list[Owned]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each searched fingerprint (normalised, 4 characters at least): its clients, its
    missions."""
    clients: dict[str, set[str]] = {}
    labels: dict[str, set[str]] = {}
    for folder in folders:
        for fingerprint in folder.fingerprints:
            key = normalise(fingerprint).strip()
            if len(key) >= 4:
                clients.setdefault(key, set()).add(folder.client)
                labels.setdefault(key, set()).add(folder.label)
    return clients, labels


def allowed_phrases(allowed: Iterable[Allowed], folders: list[Owned]) -> tuple[str, ...]:
    """The consented words, normalised, longest first; a phrase that holds another
    client's fingerprint (or any secret address) is not allowed: a consenting client's
    summary must not carry another client's name into public."""
    clients, _ = _owners(folders)
    tokens = {normalise(f.prefix.split("/")[1]) for f in folders}
    pattern = _pattern(tuple(sorted(clients))) if clients else None
    found = set()
    for entry in allowed:
        for word in entry.words:
            phrase = normalise(word)
            keys = pattern.findall(phrase) if pattern else []
            if len(phrase) >= 4 and all(k not in tokens and clients[k] == {entry.client}
                                        for k in keys):
                found.add(phrase)
    return tuple(sorted(found, key=lambda p: (-len(p), p)))


def privacy_stamp(owned: Iterable[Owned], allowed: Iterable[Allowed] = ()) -> str:
    """Identifies what the check looks for: which fingerprints, owned by which clients,
    in which folders, and which words are let through. A file checked under one stamp
    is clean under the same stamp."""
    folders = sorted(owned, key=lambda f: f.prefix)
    clients, _ = _owners(folders)
    parts = [code_version("privacy", "text", libraries=("pikepdf", "pypdfium2")),
             *(f"{f.prefix}={f.client}" for f in folders),
             *(f"{k}={','.join(sorted(v))}" for k, v in sorted(clients.items())),
             *(f"permis={p}" for p in allowed_phrases(allowed, folders))]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
