"""One folding for every comparison of names: the privacy check and the client key.

Two writings of one name must compare equal, whatever a hand, a font or a PDF made
of it: ``Communauté``/``Communaute`` (accents), ``Montclair-sur-Vienne``/``Montclair
sur Vienne``/``Montclair‑sur–Vienne`` (dashes, U+2011, spaces), ``Val-d'Orbière``/
``Val-d’Orbière`` (apostrophes), ``Mоntclair`` with a Cyrillic ``о`` (Latin look-alikes
of Cyrillic and Greek, a small table: Unicode's whole confusables list is a 600 kB
dependency for the few letters that matter here), ``Mont-⏎clair`` (a word broken at
the end of a PDF line), ``&shy;``, zero-width spaces, full-width letters, ligatures.

So a name is folded to its letters and digits only: compatibility decomposition
(NFKD), no combining marks or format characters, look-alikes made Latin, case
folded; then either nothing between words (the privacy check: a line break inside a
word is no longer a difference) or one ``-`` (the client key, readable).
"""

from __future__ import annotations

import re
import unicodedata

#: Cyrillic and Greek letters drawn like Latin ones, in both cases (a capital folds to
#: a small letter that may look like nothing Latin: Cyrillic ``М`` → ``м``), plus the
#: ligatures NFKD leaves whole.
LOOK_ALIKES = {
    # Cyrillic
    "А": "a", "а": "a", "В": "b", "в": "b", "Е": "e", "е": "e", "Ё": "e", "ё": "e",
    "К": "k", "к": "k", "М": "m", "м": "m", "Н": "h", "н": "h", "О": "o", "о": "o",
    "Р": "p", "р": "p", "С": "c", "с": "c", "Т": "t", "т": "t", "У": "y", "у": "y",
    "Х": "x", "х": "x", "Ѕ": "s", "ѕ": "s", "І": "i", "і": "i", "Ї": "i", "ї": "i",
    "Ј": "j", "ј": "j", "Ԁ": "d", "ԁ": "d", "Һ": "h", "һ": "h", "Ԛ": "q", "ԛ": "q",
    "Ԝ": "w", "ԝ": "w", "Ӏ": "l", "ӏ": "l", "Ь": "b", "Ү": "y", "ү": "y", "Ґ": "r",
    # Greek
    "Α": "a", "α": "a", "Β": "b", "β": "b", "Ε": "e", "ε": "e", "Ζ": "z", "Η": "h",
    "Ι": "i", "ι": "i", "Κ": "k", "κ": "k", "Μ": "m", "Ν": "n", "ν": "v", "Ο": "o",
    "ο": "o", "Ρ": "p", "ρ": "p", "Τ": "t", "τ": "t", "Υ": "y", "υ": "u", "Χ": "x",
    "χ": "x", "Ϲ": "c", "ϲ": "c", "Ϳ": "j", "ϳ": "j",
    # Latin letters NFKD does not split
    "Œ": "oe", "œ": "oe", "Æ": "ae", "æ": "ae", "Ø": "o", "ø": "o", "Ł": "l", "ł": "l",
    "Đ": "d", "đ": "d", "ı": "i",
}
_LOOK_ALIKE = re.compile("[" + "".join(LOOK_ALIKES) + "]")
#: Everything but letters and digits: spaces, punctuation, dashes, apostrophes, and
#: also combining marks (accents once decomposed) and format characters (soft hyphen,
#: zero-width spaces and joiners), none of which ``re`` counts as a word character.
_BETWEEN = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    """Decomposed (NFKD), look-alikes made Latin, casefolded; marks still there.
    Checked texts are mostly ASCII, which none of this changes but case."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return _LOOK_ALIKE.sub(lambda m: LOOK_ALIKES[m.group()], decomposed).casefold()


def fold(text: str) -> str:
    """Letters and digits only, folded: ``Val-d’Orbière`` → ``valdorbiere``."""
    return _BETWEEN.sub("", _letters(text))


def fold_words(text: str) -> str:
    """Folded words joined by ``-``: ``Ville de Montclair–sur-Vienne`` →
    ``ville-de-montclair-sur-vienne`` (the client key of a client without ``id``)."""
    letters = "".join(c for c in _letters(text)
                      if unicodedata.category(c)[0] != "M" and unicodedata.category(c) != "Cf")
    return _BETWEEN.sub("-", letters).strip("-")


#: What a public body's name begins with, before its own name.
_GENERIC = re.compile(
    r"^(?:ville|commune|mairie|communaute(?:-d)?(?:-de)?(?:-communes|-d-agglomeration|"
    r"-urbaine)?|cc|ca|cu|metropole|departement|conseil-departemental|region|"
    r"conseil-regional|syndicat(?:-mixte)?|sivom|sivu|pays|pole|etablissement-public|"
    r"eptb?|agglomeration)(?:-(?:de-la|de-l|des|du|de|d|l|la|le))?-")
MIN_PART = 7    #: letters of a name without its kind, kept as a fingerprint of its own


def name_parts(name: str) -> tuple[str, ...]:
    """The part of a client's name that identifies it on its own: the name without its
    kind (``Ville de Montclair-sur-Vienne`` → ``montclair-sur-vienne``), when it is long
    enough. Not each of its words: a client named after a common word (``Fontaine``)
    would find it on every page."""
    words = fold_words(name)
    own = _GENERIC.sub("", words, count=1)
    return (own,) if own != words and len(fold(own)) >= MIN_PART else ()


def address_parts(address: str | None) -> tuple[str, ...]:
    """A postal address as fingerprints: whole, and each of its lines or comma-separated
    parts that holds a number (``1 place de la Mairie``, ``86000 Montclair-sur-Vienne``;
    not ``Hôtel de ville``, which many addresses share)."""
    if not address:
        return ()
    parts = [p.strip() for p in re.split(r"[\n,]", address)
             if re.search(r"\d", p) and len(fold(p)) >= 8]
    return tuple(dict.fromkeys([" ".join(address.split()), *parts]))
