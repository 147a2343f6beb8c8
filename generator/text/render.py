"""Jinja2 rendering of computed content into Markdown (with HTML blocks).

Text from YAML is untrusted: it is HTML-escaped and its Markdown punctuation is
backslash-escaped, so a client name can neither inject a tag nor forge a link.
The consultant's own Markdown pages are trusted and inserted as they are.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import jinja2
import yaml
from markupsafe import Markup, escape

from . import fmt

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def mdtext(value: object) -> Markup:
    """Plain text safe inside Markdown: escaped for HTML, then for Markdown."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape("" if value is None else value))))


def mailto(address: str, subject: str, body: str) -> str:
    """A ``mailto:`` link with its subject and body filled in, every character encoded
    (a title cannot add a header or another recipient); line breaks as CRLF (RFC 6068)."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    subject = " ".join(subject.split())
    return (f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"
            f"&body={quote(body, safe='')}")


def yaml_str(value: object) -> Markup:
    """A YAML scalar for generated YAML files: a JSON string is valid YAML."""
    return Markup(json.dumps(str(value), ensure_ascii=False))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(money=fmt.money, cents=fmt.cents, money_ht=fmt.money_ht, number=fmt.number,
                       date=fmt.date, percent=fmt.percent, mdtext=mdtext, yaml_str=yaml_str)
    env.globals["mailto"] = mailto
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


class _Dumper(yaml.SafeDumper):
    """Amounts (Decimal, as our loader reads them) written back as YAML numbers, HTML
    text (Markup) as text."""


_Dumper.add_representer(Markup, lambda dumper, value: dumper.represent_str(str(value)))
_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:float" if "." in format(value, "f") else "tag:yaml.org,2002:int",
    format(value, "f")))


def front_matter(meta: dict[str, Any]) -> str:
    """Front matter written by a YAML serializer: a title with ``:``, ``#``, quotes
    or « » stays a title."""
    return "---\n" + yaml.dump(meta, Dumper=_Dumper, allow_unicode=True,
                                sort_keys=False) + "---\n\n"


def html_text(value: object) -> str:
    """Text made HTML: themes print page titles and front-matter values as HTML."""
    return str(escape("" if value is None else value))


def escaped_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Front-matter values made HTML (``Markup``: never escaped twice), for any theme
    that prints them as they are; our own ``amoor_*`` values are already safe where
    they are used."""
    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return escape(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return {k: v if k.startswith("amoor_") else walk(v) for k, v in meta.items()}
