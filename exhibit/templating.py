"""HTML fragments from Jinja2 templates (``exhibit/templates/``) with autoescaping on.

Every value passed in is escaped unless it is :class:`markupsafe.Markup` (HTML this package already rendered).
The ``lit`` filter escapes for HTML *and* for JavaScript template literals (:func:`exhibit.offline.esc`), for
text that folium puts inside backtick strings (popups).
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from .offline import esc


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("exhibit", "templates"), autoescape=True, keep_trailing_newline=False)
    env.filters["lit"] = lambda value: Markup(esc(value))
    return env


def render(name: str, **context) -> str:
    """Render ``templates/<name>`` with autoescaping; trailing newlines of the template file are dropped."""
    return environment().get_template(name).render(**context).rstrip("\n")


__all__ = ["Markup", "render"]
