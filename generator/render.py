"""Jinja2 rendering of computed content into Markdown (with HTML blocks).

Text from YAML is untrusted: it is HTML-escaped and its Markdown punctuation is
backslash-escaped, so a client name can neither inject a tag nor forge a link.
The consultant's own Markdown pages are trusted and inserted as they are.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import jinja2
import yaml
from markupsafe import Markup, escape

from . import fmt

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def mdtext(value: object) -> Markup:
    """Plain text safe inside Markdown: escaped for HTML, then for Markdown."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape("" if value is None else value))))


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
    env.filters.update(money=fmt.money, money_ht=fmt.money_ht, number=fmt.number,
                       date=fmt.date, percent=fmt.percent, mdtext=mdtext, yaml_str=yaml_str)
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def front_matter(meta: dict[str, Any]) -> str:
    """Front matter written by a YAML serializer: a title with ``:``, ``#``, quotes
    or « » stays a title."""
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"
