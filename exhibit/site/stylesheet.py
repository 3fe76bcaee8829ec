"""The site's one stylesheet: the theme's and every extension's CSS bundled into ``_static/exhibit/site.css``,
without the rules no page of the site can use.

A phone on a slow connection paints no text before it has every stylesheet of the ``<head>``: a dozen files,
one reached only through an ``@import``, 545 KB (90 KB gzipped) that the browser must also parse and match. The
bundle is one request; dropping the rules whose classes or ids appear in no page and no script of the built site
(Bootstrap utilities and Font Awesome icons the book never uses) leaves about a third of it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

import tinycss2

_IMPORT = re.compile(r"""@import\s+(?:url\()?["']?([^"')\s]+)["']?\)?\s*;""")
_URL = re.compile(r"""url\(\s*(["']?)(?!data:|https?:|/|#)([^"')]+)\1\s*\)""")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NAMES = re.compile(r"[.#]([A-Za-z_][A-Za-z0-9_-]*)")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
#: at-rules whose content is rules to purge in turn
_NESTED = {"media", "supports", "layer", "container"}


def bundle(static: Path, names: Iterable[str], folder: str) -> str:
    """The stylesheets ``names`` (paths under ``static``) as one text, in order, to be served from ``folder``
    (under ``static``): local ``@import`` rules replaced by the file they import, relative ``url()`` references
    rewritten for ``folder``."""
    seen: set[str] = set()

    def inline(name: str) -> str:
        if name in seen:
            return ""
        seen.add(name)
        here = posixpath.dirname(name)
        text = (static / name).read_text(encoding="utf-8")
        text = _IMPORT.sub(lambda m: inline(posixpath.normpath(posixpath.join(here, m[1]))), text)
        return _URL.sub(lambda m: f'url("{posixpath.relpath(posixpath.join(here, m[2]), folder)}")', text)

    return "\n".join(f"/* {name} */\n{inline(name)}" for name in names)


def used_words(site: Path, skip: Iterable[str] = ()) -> set[str]:
    """Every word of every page and script of a built site: a superset of the class names and ids in use
    (scripts build some class names from pieces, so all their words count)."""
    skipped = set(skip)
    words: set[str] = set()
    for path in [*site.rglob("*.html"), *site.rglob("*.js")]:
        if path.name not in skipped:
            words.update(_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def _selector_used(selector: str, words: set[str]) -> bool:
    return all(name in words for name in _NAMES.findall(_ATTRIBUTE.sub("", selector)))


def _purged(rules, words: set[str]) -> list[str]:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            used = [s for s in selectors if _selector_used(s, words)]
            if used:
                kept.append(",".join(used) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in _NESTED and rule.content is not None:
            inner = _purged(tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True),
                            words)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            kept.append(tinycss2.serialize([rule]))
    return kept


def purge(css: str, words: set[str]) -> str:
    """``css`` without the selectors that name a class or id outside ``words`` (a rule goes when all its
    selectors do). Element and attribute selectors, ``@font-face`` and ``@keyframes`` stay."""
    return "\n".join(_purged(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), words))
