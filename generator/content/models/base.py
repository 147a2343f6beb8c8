"""Shared model settings and the translation of pydantic errors into diagnostics."""

from __future__ import annotations

import difflib
import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ..diagnostics import Diagnostic, shown
from ..yamlio import YamlDocument


class Model(BaseModel):
    """Input model: unknown keys are errors, fields are read by their French alias."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False, frozen=True,
                              str_strip_whitespace=True)


def _one_line(text: str) -> str:
    """Titles and names end up in ``<title>``, attributes, calendar lines and PDF
    metadata: no line break, control or invisible formatting character there."""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf"):
            raise ValueError(f"caractère de contrôle ou invisible interdit (U+{ord(char):04X}) : "
                             "un texte sur une seule ligne est attendu")
    return text


#: A short text on one line (titles, names, labels).
Line = Annotated[str, Field(min_length=1), AfterValidator(_one_line)]
#: A free text (may span lines).
Text = Annotated[str, Field(min_length=1)]
#: An amount in euros, to the cent.
Money = Annotated[Decimal, Field(ge=0, le=10**8, decimal_places=2)]
#: A note from 0 to 4 (R.O.I. citoyen, usefulness).
Score = Annotated[int, Field(ge=0, le=4)]
#: A position from 1 to 4 on the power/interest grid.
Grade = Annotated[int, Field(ge=1, le=4)]
#: An identifier: lower case, digits and dashes.
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


_MESSAGES = {
    "missing": "clé obligatoire manquante",
    "extra_forbidden": "clé inconnue",
    "int_type": "un nombre entier est attendu",
    "int_parsing": "un nombre entier est attendu",
    "int_from_float": "un nombre entier est attendu",
    "bool_type": "true ou false est attendu",
    "bool_parsing": "true ou false est attendu",
    "string_type": "un texte est attendu",
    "list_type": "une liste est attendue",
    "dict_type": "un dictionnaire (clé: valeur) est attendu",
    "model_type": "un dictionnaire (clé: valeur) est attendu",
    "decimal_type": "un nombre est attendu",
    "decimal_parsing": "un nombre est attendu",
    "finite_number": "un nombre fini est attendu",
    "date_type": "une date AAAA-MM-JJ est attendue",
    "date_from_datetime_parsing": "une date AAAA-MM-JJ est attendue",
    "date_parsing": "une date AAAA-MM-JJ est attendue",
    "string_too_short": "le texte ne doit pas être vide",
}


#: What the patterns of the models mean, for people.
_PATTERNS = {
    r"^[a-z0-9][a-z0-9-]*$": "minuscules sans accent, chiffres et tirets seulement",
    r"^[A-Za-z0-9][A-Za-z0-9-]*$": "lettres sans accent, chiffres et tirets seulement",
    r"^[A-Za-z_][A-Za-z0-9_]*$": "nom de variable d'environnement : lettres sans accent, "
                                 "chiffres et _ seulement, sans chiffre au début",
}


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """French keys accepted at ``loc`` (the parent of an unknown key), for suggestions."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        fields = getattr(current, "model_fields", {})
        match = next((f for f in fields.values() if (f.alias or "") == part), None)
        if match is None:
            return []
        current = _inner_model(match.annotation)
    if current is None:
        return []
    return [f.alias for f in current.model_fields.values() if f.alias]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _document_path(data: Any, loc: tuple) -> tuple:
    """Pydantic's error location without the names it adds for unions and validators
    (``function-after[…]``, ``list[str]``): only the keys and indexes of the document."""
    path: list = []
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and "[" in part:
            continue                   # pydantic's own label, not a key
        else:
            data = None                # a key absent from the document (a missing key)
        path.append(part)
    return tuple(path)


def validation_diagnostics(exc: ValidationError, doc: YamlDocument,
                           model: type[BaseModel]) -> list[Diagnostic]:
    """One diagnostic per pydantic error, located through the document's marks."""
    out = []
    for err in exc.errors(include_url=False):
        loc = _document_path(doc.data, err["loc"])
        kind = err["type"]
        message = _MESSAGES.get(kind)
        if message is None:
            message = err["msg"]
            if message.startswith("Value error, "):
                message = message.removeprefix("Value error, ")
            elif kind in ("literal_error", "enum"):
                expected = str(err.get("ctx", {}).get("expected", "")).replace(" or ", " ou ")
                message = f"valeur non prévue : choisir parmi {expected}"
            elif kind == "string_pattern_mismatch":
                pattern = err.get("ctx", {}).get("pattern", "")
                message = f"{_PATTERNS.get(pattern, 'format attendu : ' + pattern)} " \
                          f"(lu : {shown(err.get('input'))})"
            elif kind == "decimal_max_places":
                places = err.get("ctx", {}).get("decimal_places", "")
                message = f"au plus {places} chiffres après la virgule"
            elif kind.startswith(("greater_than", "less_than")):
                bound = next(iter(err.get("ctx", {}).values()), "")
                word = {"greater_than_equal": "au moins", "greater_than": "plus de",
                        "less_than_equal": "au plus", "less_than": "moins de"}[kind]
                message = f"valeur hors limites : {word} {bound} attendu"
        if kind == "extra_forbidden":
            key = loc[-1]
            close = difflib.get_close_matches(str(key), _allowed_keys(model, loc[:-1]), n=1)
            if close:
                message += f" ; vouliez-vous dire « {close[0]} » ?"
            out.append(doc.diagnostic(loc, message, key=True))
        elif kind == "missing":
            out.append(doc.diagnostic(loc, f"{message} « {loc[-1]} »"))
        else:
            value = err.get("input")
            if kind in _MESSAGES and not isinstance(value, (dict, list)):
                message += f" (lu : {shown(value)})"
            out.append(doc.diagnostic(loc, message))
    return out
