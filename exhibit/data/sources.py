"""Format the exhibit's sources (``references.bib``) for a chapter's "Sources" section."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from exhibit.data import bibliography, split


def cite_text(key: str, notes: bool = True) -> str:
    """One plain-text reference: Author (Year). Title. Publisher. Note (or the address instead of the note)."""
    e = bibliography()[key]
    who = e.get("author") or e.get("organization") or e.get("institution") or e.get("publisher", "")
    title = e.get("title", key)
    parts = [f"{who} ({e.get('year', 'n.d.')})", title] if who else [f"{title} ({e.get('year', 'n.d.')})"]
    parts += [e[f] for f in ("journal", "booktitle", "series", "publisher", "howpublished") if e.get(f)]
    parts += [readable(e.get("note", ""))] if notes else [f"<{e['url']}>" if e.get("url") else ""]
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def short_cite(key: str) -> str:
    """Author–year form of one reference for running text: ``Ezell and Ezell 1978``."""
    e = bibliography()[key]
    surnames = [n for n in e.get("author_surnames", "").split("; ") if n]
    if len(surnames) > 2:
        who = f"{surnames[0]} et al."
    elif surnames:
        who = " and ".join(surnames)
    else:
        who = e.get("organization") or e.get("institution") or e.get("howpublished") or e.get("publisher") or e.get(
            "title", "")
    return f"{who} {e.get('year', 'n.d.')}"


@lru_cache(maxsize=1)
def _key_pattern() -> re.Pattern:
    keys = sorted(bibliography(), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, keys)) + r")\b")


def readable(text: object) -> str:
    """Free text from the data (notes, explanations) with any bibliography key written as a citation."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _key_pattern().sub(lambda m: short_cite(m.group(1)), str(text))


def cite_pairs(cell: object) -> list[tuple[str, str]]:
    """(key, reader-form citation) for each source of a cell: a link's target and its text (unknown keys as
    they are)."""
    known = bibliography()
    return [(k, short_cite(k) if k in known else k) for k in split(cell)]


def reader_cites(cell: object) -> str:
    """A ``sources`` cell in reader form: ``Ezell and Ezell 1978; NASA 2021``."""
    return "; ".join(text for _, text in cite_pairs(cell))


def keys_in(*frames: pd.DataFrame) -> list[str]:
    """All source keys used by the rows of the given tables, in first-seen order."""
    seen: dict[str, None] = {}
    for frame in frames:
        for cell in frame["sources"]:
            for key in split(cell):
                seen.setdefault(key, None)
    return list(seen)


class SourceList:
    """The sources of a chapter, displayed as an ordered list with a link per source."""

    def __init__(self, keys):
        known = bibliography()
        missing = [k for k in keys if k not in known]
        if missing:
            raise KeyError(f"not in references.bib: {', '.join(missing)}")
        self.keys = sorted(dict.fromkeys(keys), key=lambda k: cite_text(k).lower())

    def _repr_html_(self) -> str:
        from exhibit.core.markup import render

        urls = {k: bibliography()[k].get("url", "") for k in self.keys}
        return render("sources.html", items=[
            {"key": k, "text": cite_text(k), "url": urls[k] if urls[k].startswith(("http://", "https://")) else ""}
            for k in self.keys])

    def __repr__(self) -> str:
        return "\n".join(f"{k}: {cite_text(k)}" for k in self.keys)


def sources(*frames: pd.DataFrame, extra=()) -> SourceList:
    """The sources cited by the given tables' rows plus `extra` keys, ready to display."""
    return SourceList(keys_in(*frames) + list(extra))
