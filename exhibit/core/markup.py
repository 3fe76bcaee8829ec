"""Markup the package writes: HTML fragments from Jinja2 templates (``exhibit/templates/``) with autoescaping on,
and the two escapes for text that lands inside scripts.

Every value passed to :func:`render` is escaped unless it is :class:`markupsafe.Markup` (HTML this package
already rendered). The ``lit`` filter escapes for HTML *and* for JavaScript template literals (:func:`esc`), for
text that folium puts inside backtick strings (popups).
"""

from __future__ import annotations

import html
import json
from functools import lru_cache

from jinja2 import Environment, PackageLoader
from markupsafe import Markup


def esc(value: object) -> str:
    """Escape text from data for HTML *and* for JavaScript template literals.

    folium puts popup HTML inside a backtick template literal, so besides ``< > & " '`` the backtick and
    ``$`` (which would open ``${...}``) are turned into entities too.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def safe_json(value: object) -> str:
    """JSON that can sit inside an HTML ``<script>`` block: ``<``, ``>``, ``&`` and line separators escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                       ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("exhibit", "templates"), autoescape=True, keep_trailing_newline=False)
    env.filters["lit"] = lambda value: Markup(esc(value))
    return env


def render(name: str, **context) -> str:
    """Render ``templates/<name>`` with autoescaping; trailing newlines of the template file are dropped."""
    return environment().get_template(name).render(**context).rstrip("\n")


__all__ = ["Markup", "esc", "render", "safe_json"]
