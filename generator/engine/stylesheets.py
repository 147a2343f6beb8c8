"""The site's own stylesheets, served without their comments and layout.

``overrides/assets/stylesheets/*.css`` is written to be read: contrast ratios, why a rule
is there. A visitor's browser needs none of it, and every page loads it (a quarter of
the file). The theme's own files are minified already; ours are minified here, with the
CSS tokenizer WeasyPrint already brings (tinycss2), so that only whitespace where CSS
never needs it and comments go: a selector's descendant space (``.a :is(b)``) and the
spaces of ``calc(1px + 2px)`` stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import tinycss2
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from tinycss2.serializer import serialize_identifier

#: Around these, whitespace never means anything (a selector's ``>``, a list's ``,``).
TIGHT = frozenset("{};,>")
#: At-rules whose block holds rules; every other block holds declarations.
RULE_BLOCKS = frozenset({"media", "supports", "container", "layer", "document", "scope",
                         "keyframes", "-webkit-keyframes", "starting-style"})


def _tokens(nodes: Iterable[Any]) -> str:
    """Tokens with each run of whitespace (or comments) made one space, none where TIGHT."""
    out: list[str] = []
    space = False
    for node in nodes:
        if node.type in ("whitespace", "comment"):
            space = True
            continue
        if node.type == "function":
            text = f"{serialize_identifier(node.name)}({_tokens(node.arguments)})"
        elif node.type == "() block":
            text = f"({_tokens(node.content)})"
        elif node.type == "[] block":
            text = f"[{_tokens(node.content)}]"
        else:
            text = node.serialize()
        if space and out and out[-1][-1] not in TIGHT and text[0] not in TIGHT:
            out.append(" ")
        out.append(text)
        space = False
    return "".join(out)


def _readable(items: Iterable[Any]) -> Iterator[Any]:
    """The parsed items, the first parse error raised with its line."""
    for item in items:
        if item.type == "error":
            raise ValueError(f"CSS illisible, ligne {item.source_line} : {item.message}")
        yield item


def _declarations(content: list[Any]) -> str:
    parts = []
    for item in _readable(tinycss2.parse_declaration_list(content, skip_comments=True,
                                                          skip_whitespace=True)):
        if item.type == "declaration":
            important = "!important" if item.important else ""
            parts.append(f"{serialize_identifier(item.name)}:{_tokens(item.value).strip()}"
                         f"{important}")
        else:
            parts.append(_rule(item))
    return ";".join(parts)


def _rule(rule: Any) -> str:
    prelude = _tokens(rule.prelude).strip()
    if rule.type == "at-rule":
        head = f"@{rule.at_keyword}{' ' + prelude if prelude else ''}"
        if rule.content is None:
            return f"{head};"
        if rule.lower_at_keyword in RULE_BLOCKS:
            return f"{head}{{{_rules(rule.content)}}}"
        return f"{head}{{{_declarations(rule.content)}}}"
    return f"{prelude}{{{_declarations(rule.content)}}}"


def _rules(content: list[Any] | str) -> str:
    parsed = (tinycss2.parse_stylesheet(content, skip_comments=True, skip_whitespace=True)
              if isinstance(content, str) else
              tinycss2.parse_rule_list(content, skip_comments=True, skip_whitespace=True))
    return "".join(_rule(rule) for rule in _readable(parsed))


@lru_cache(maxsize=16)     # keyed by the text: once per build, not once per dossier
def minify_css(css: str) -> str:
    """The same rules, in the fewest characters the tokenizer allows (an unreadable
    stylesheet is an error: served as it is, the browser would drop rules silently)."""
    return _rules(css) + "\n"


def minify_own_stylesheets(files: Files, config: Any) -> None:
    """Every ``.css`` of the project's theme folder (``custom_dir``) replaced by its
    minified form, under the same name: the templates that link it do not change."""
    custom = config.theme.custom_dir
    if not custom:
        return
    folder = Path(custom).resolve()
    for file in list(files):
        source = Path(file.abs_src_path or "")
        if file.generated_by or source.suffix != ".css" or not source.is_relative_to(folder):
            continue
        try:
            css = minify_css(source.read_text(encoding="utf-8"))
        except ValueError as problem:
            raise PluginError(f"{source} : {problem}") from None
        files.remove(file)
        files.append(File.generated(config, file.src_uri, content=css))
