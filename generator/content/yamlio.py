"""Read YAML (and Markdown front matter) keeping where every key and value came from.

PyYAML's loader forgets positions and silently keeps the last of two duplicate keys;
walking the composed node graph ourselves gives both the marks and the checks
(duplicates, tabs, alias bombs) with one pass and a node budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, InputError, Severity, format_key, shown

#: Upper bound on nodes visited while expanding one document (aliases included):
#: a hand-written mission has a few hundred; a "billion laughs" file has billions.
MAX_NODES = 50_000
#: Upper bound on nesting: a mission is a few levels deep; ``[[[[…`` a few hundred
#: deep would exhaust Python's recursion limit in PyYAML's composer.
MAX_DEPTH = 100

Mark = tuple[int, int]


@dataclass
class YamlDocument:
    """Parsed data plus the line/column of each value and key, by key path."""

    path: str
    data: Any
    value_marks: dict[tuple, Mark] = field(default_factory=dict)
    key_marks: dict[tuple, Mark] = field(default_factory=dict)

    def mark(self, keypath: tuple, *, key: bool = False) -> Mark:
        """Position of ``keypath``, or of its nearest ancestor that exists."""
        marks = self.key_marks if key else self.value_marks
        path = tuple(keypath)
        while path:
            if path in marks:
                return marks[path]
            if not key and path in self.key_marks:
                return self.key_marks[path]
            path = path[:-1]
        return self.value_marks.get((), (1, 1))

    def diagnostic(self, keypath: tuple, message: str, *, key: bool = False,
                   severity: Severity = "error") -> Diagnostic:
        line, column = self.mark(keypath, key=key)
        return Diagnostic(self.path, line, column, format_key(keypath), message, severity)


class _Loader(yaml.SafeLoader):
    """Safe loader reading YAML floats as Decimal: money is never a float.

    YAML 1.1's base-60 numbers are not recognised: ``10:30`` is text, as a person
    means it (and ``1:2:3:…`` cannot become an integer of thousands of digits).
    """


_LIBYAML = hasattr(yaml, "CSafeLoader")


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same, on LibYAML's parser when PyYAML has it (the pure-Python parser took
    40 ms a mission). A file it refuses is parsed again by :class:`_Loader`, whose
    messages the diagnostics translate."""


_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return yaml.SafeLoader.construct_yaml_float(loader, node)


for _cls in (_Loader, _FastLoader):
    _cls.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_INT, _FLOAT)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    _cls.add_implicit_resolver(_INT, re.compile(
        r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
        list("-+0123456789"))
    _cls.add_implicit_resolver(_FLOAT, re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
        list("-+0123456789."))
    _cls.add_constructor(_FLOAT, _construct_decimal)


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_NODES
        #: ids of the keys written in each mapping (not brought by a ``<<`` merge)
        self.explicit: dict[int, set[int]] = {}


def read_text(file: Path, display: str) -> str:
    """Read a UTF-8 file; a bad byte is reported with its line and column."""
    try:
        raw = file.read_bytes()
    except OSError as exc:  # a folder named mission.yml, no permission…
        raise InputError([Diagnostic(display, 0, 0, "",
                                     f"fichier illisible : {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError([Diagnostic(
            display, line, column, "",
            f"le fichier n'est pas en UTF-8 (octet 0x{raw[exc.start]:02x}) : "
            "enregistrez-le en UTF-8")]) from None
    return text.removeprefix("\ufeff")


def load_yaml(text: str, path: str, *, line_offset: int = 0) -> YamlDocument:
    """Parse one YAML document into plain data with marks; raise InputError on any problem."""
    if not text.strip() or all(
            not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise InputError([Diagnostic(path, line_offset + 1, 1, "", "le fichier est vide")])
    loader, node = _compose(text, path, line_offset)
    if node is None:  # only comments and directives
        raise InputError([Diagnostic(path, line_offset + 1, 1, "", "le fichier est vide")])
    doc = YamlDocument(path, None)
    problems: list[Diagnostic] = []
    try:
        doc.data = _convert(node, (), doc, loader, _Budget(), problems, line_offset)
    except _Refused as exc:
        raise InputError([Diagnostic(path, exc.line + line_offset, exc.column, "",
                                     exc.message)]) from None
    if problems:
        raise InputError(problems)
    return doc


def _compose(text: str, path: str, line_offset: int) -> tuple[yaml.SafeLoader, yaml.Node | None]:
    """The document's node graph: LibYAML's parser first; on any problem, the
    pure-Python parser again, whose errors are the ones described to the consultant."""
    if _LIBYAML:      # without it, the fast loader is the slow one: parse once
        fast = _FastLoader(text)
        try:
            return fast, fast.get_single_node()
        except (yaml.YAMLError, RecursionError):
            pass
        finally:
            fast.dispose()
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a control character: refused before parsing
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        raise InputError([Diagnostic(
            path, line + line_offset, column, "",
            f"caractère interdit en YAML (U+{exc.character:04X}, caractère de contrôle) : "
            "supprimez-le")]) from None
    try:
        return loader, loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise InputError([_yaml_error(exc, path, line_offset, text)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML always marks its errors
        raise InputError([Diagnostic(path, line_offset + 1, 1, "", str(exc))]) from None
    except RecursionError:
        raise InputError([Diagnostic(path, line_offset + 1, 1, "", _TOO_DEEP)]) from None
    finally:
        loader.dispose()


_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class _Refused(Exception):
    """The whole document refused where it was found (too big, too deep)."""

    def __init__(self, mark: Mark, message: str):
        (self.line, self.column), self.message = mark, message


_TOO_BIG = (f"document trop gros une fois les alias développés (plus de {MAX_NODES} "
            "nœuds) : ancres et alias (&, *) en cascade ?")
_TOO_DEEP = (f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux de listes ou de "
             "dictionnaires) : crochets [ ou accolades { non fermés ?")


def _mark(node: yaml.Node, offset: int) -> Mark:
    return node.start_mark.line + 1 + offset, node.start_mark.column + 1


def _construct(loader: yaml.SafeLoader, node: yaml.Node, doc: YamlDocument, keypath: tuple,
               problems: list[Diagnostic], offset: int) -> tuple[bool, Any]:
    """Build one scalar; a value PyYAML cannot build (``2026-13-01``, ``!!int abc``,
    ``!!python/object``) becomes a diagnostic on its node instead of a traceback."""
    try:
        return True, loader.construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        line, col = _mark(node, offset)
        value = node.value if isinstance(node, yaml.ScalarNode) else ""
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        if tag == "!!timestamp":
            message = f"date inexistante (lu : {shown(value)}) : une date AAAA-MM-JJ est attendue"
        elif isinstance(exc, yaml.constructor.ConstructorError) and "tag" in str(
                exc.problem):
            message = f"étiquette YAML non prise en charge « {tag} »"
        else:
            message = f"valeur illisible pour l'étiquette « {tag} » (lu : {shown(value)})"
        problems.append(Diagnostic(doc.path, line, col, format_key(keypath), message))
        return False, None


def _convert(node: yaml.Node, keypath: tuple, doc: YamlDocument, loader: yaml.SafeLoader,
             budget: _Budget, problems: list[Diagnostic], offset: int) -> Any:
    budget.left -= 1
    if budget.left < 0:
        raise _Refused(_mark(node, 0), _TOO_BIG)
    if len(keypath) > MAX_DEPTH:
        raise _Refused(_mark(node, 0), _TOO_DEEP)
    doc.value_marks.setdefault(keypath, _mark(node, offset))
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
        # ``!!python/object:x {…}``: refused, not ignored
        line, col = _mark(node, offset)
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        problems.append(Diagnostic(doc.path, line, col, format_key(keypath),
                                   f"étiquette YAML non prise en charge « {tag} »"))
        return None
    if isinstance(node, yaml.MappingNode):
        explicit = budget.explicit.setdefault(id(node), {
            id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"})
        try:
            _flatten(node, budget)
        except yaml.MarkedYAMLError as exc:  # ``<<: 5``: a merge of something not a mapping
            problems.append(_yaml_error(exc, doc.path, offset, ""))
            return None
        result: dict[Any, Any] = {}
        # Keys written here first, then merged ones: ``<<: *base`` then ``x: 3`` is an
        # override, not a duplicate; among merged mappings the first one wins.
        for key_node, value_node in sorted(node.value,
                                           key=lambda kv: id(kv[0]) not in explicit):
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = _mark(key_node, offset)
                problems.append(Diagnostic(doc.path, line, col, "",
                                           "une clé doit être un simple texte"))
                continue
            ok, key = _construct(loader, key_node, doc, keypath, problems, offset)
            if not ok:
                continue
            if isinstance(key, Decimal):
                key = key_node.value
            child = keypath + (key,)
            if key in result:
                if id(key_node) not in explicit:
                    continue
                line, col = _mark(key_node, offset)
                first = doc.key_marks[child][0]
                problems.append(Diagnostic(
                    doc.path, line, col, format_key(child),
                    f"clé en double (déjà définie ligne {first}) : YAML garderait "
                    "la dernière sans rien dire"))
                continue
            doc.key_marks[child] = _mark(key_node, offset)
            result[key] = _convert(value_node, child, doc, loader, budget, problems, offset)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, keypath + (i,), doc, loader, budget, problems, offset)
                for i, item in enumerate(node.value)]
    return _construct(loader, node, doc, keypath, problems, offset)[1]


_MERGE = "tag:yaml.org,2002:merge"


def _flatten(node: yaml.MappingNode, budget: _Budget) -> None:
    """PyYAML's ``flatten_mapping``, with every merged pair counted in the budget.

    Merges are expanded in place before anything is constructed: ``<<: [*a, *a]``
    nested ten times is a thousand pairs from a few lines, and PyYAML would build
    them all (a 469-byte file took 97 s and 237 MiB) before any node is visited.
    """
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    kept = []
    for key_node, value_node in node.value:
        if key_node.tag != _MERGE:
            if key_node.tag == "tag:yaml.org,2002:value":
                key_node.tag = "tag:yaml.org,2002:str"
            kept.append((key_node, value_node))
            continue
        if isinstance(value_node, yaml.MappingNode):
            sources = [value_node]
        elif isinstance(value_node, yaml.SequenceNode):
            sources = list(value_node.value)
        else:
            sources = []
        if not sources or not all(isinstance(s, yaml.MappingNode) for s in sources):
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                f"expected a mapping or list of mappings for merging, but found "
                f"{value_node.id}", value_node.start_mark)
        for source in sources:
            _flatten(source, budget)
            budget.left -= len(source.value)
            if budget.left < 0:
                raise _Refused(_mark(value_node, 0), _TOO_BIG)
            merged.extend(source.value)
    # Read first-wins by _convert: own keys, then merged mappings in the order written
    # (YAML: "keys in mapping nodes earlier in the sequence override" later ones).
    node.value = kept + merged


def _yaml_error(exc: yaml.MarkedYAMLError, path: str, offset: int, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1 + offset) if mark else offset + 1
    column = (mark.column + 1) if mark else 1
    problem = exc.problem or "YAML invalide"
    source_line = text.splitlines()[mark.line] if mark and mark.line < len(
        text.splitlines()) else ""
    if "\t" in problem or "\t" in source_line[: max(column, 1)]:
        message = "tabulation interdite en YAML : indentez avec des espaces"
    else:
        message = f"YAML invalide : {problem}"
        if exc.context:
            message += f" ({exc.context})"
    return Diagnostic(path, line, column, "", message)


def split_front_matter(text: str, path: str) -> tuple[YamlDocument | None, str]:
    """Split ``---`` front matter from a Markdown page: (parsed front matter or None, body).

    MkDocs swallows front-matter errors, so offer pages are parsed here instead.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None, text
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            fm = "".join(lines[1:end])
            doc = load_yaml(fm, path, line_offset=1)
            return doc, "".join(lines[end + 1:])
    raise InputError([Diagnostic(path, 1, 1, "",
                                 "en-tête YAML non fermé : il manque la ligne « --- »")])
