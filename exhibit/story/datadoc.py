"""Write ``data/README.md`` (the data dictionary) from ``data/datapackage.json``.

    python -m exhibit.story.datadoc          # rewrite data/README.md
    python -m exhibit.story.datadoc --check  # exit 1 if it is out of date (the tests do this)
"""

from __future__ import annotations

import json
import sys

from exhibit.data import data_dir

HEAD = """# The exhibit's data package

Tables behind every timeline, map and ledger of the exhibit, as CSV (UTF-8, comma-separated, header row) with a
[Frictionless](https://specs.frictionlessdata.io/data-package/) descriptor in `datapackage.json`. The loader
`exhibit.data` enforces the descriptor's rules plus the ones below and stops the build with
`file:row:column: rule (value)` for every breach.

**Licence:** CC BY 4.0 (see `../LICENSE-CONTENT.md`). Cite as: *The Soviet-American Space Alliance* exhibit
data package, 2026 (see `../CITATION.cff`).

**Conventions.** All instants are UTC (`Z`); local clocks (Moscow, Houston, Florida) are computed with the IANA
time-zone database when shown. A date without a time (`1961-04-12`) is the calendar date the sources give, in
the place where it happened. Coordinates are WGS84 decimal degrees. `sources` cells hold BibTeX keys of
`../references.bib`, separated by `;`. Rows are counted as an editor shows them: header = row 1.

**Rules beyond the descriptor.** Every source key exists in `references.bib`; dates are real calendar dates;
`precision` matches how `start`/`end` are written; an end is never before its start (also launch → end,
born → died); `;`-separated ids (`crew`) point to existing rows; no cell has leading or trailing spaces.

**This file is generated** from `datapackage.json` by `python -m exhibit.story.datadoc`; edit the descriptor, not this file.
"""


def package() -> dict:
    return json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))


def resource(name: str) -> dict:
    """One resource of the descriptor by name."""
    for res in package()["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"no resource {name!r} in data/datapackage.json")


def columns(res: dict) -> list[dict[str, str]]:
    """The data dictionary of one resource: column, type, required, allowed values / range, meaning."""
    schema = res["schema"]
    keys = {fk["fields"][0]: fk["reference"] for fk in schema.get("foreignKeys", [])}
    rows = []
    for f in schema["fields"]:
        c = f.get("constraints", {})
        allowed = []
        if "enum" in c:
            allowed.append(", ".join(str(v) for v in c["enum"]))
        if "minimum" in c or "maximum" in c:
            allowed.append(f"{c.get('minimum', '')} to {c.get('maximum', '')}")
        if "maxLength" in c:
            allowed.append(f"at most {c['maxLength']} characters")
        if c.get("unique"):
            allowed.append("unique")
        if f["name"] in keys:
            allowed.append(f"→ {keys[f['name']]['resource']}.id")
        if "x-list-of" in f:
            allowed.append(f"each → {f['x-list-of']['resource']}.id")
        rows.append({"column": f["name"], "type": "date/UTC time" if f.get("x-temporal") else f["type"],
                     "required": "yes" if c.get("required") else "", "allowed values / range": "; ".join(allowed),
                     "meaning": f.get("description", "")})
    return rows


def render() -> str:
    parts = [HEAD]
    for res in package()["resources"]:
        parts.append(f"\n## `{res['path']}`\n\n{res.get('description', '')}\n")
        parts.append("| column | type | required | allowed values / range | meaning |\n| --- | --- | --- | --- | --- |")
        for row in columns(res):
            parts.append(f"| `{row['column']}` | {row['type']} | {row['required']} | "
                         f"{row['allowed values / range']} | {row['meaning']} |")
    return "\n".join(parts) + "\n"


def resource_html(name: str, frame, preview_rows: int = 8) -> str:
    """The data page's view of one table: its size and description, its dictionary, and a folded preview."""
    import pandas as pd

    from exhibit.core.markup import Markup
    from exhibit.core.markup import render as render_template
    from exhibit.figures.present import table_html

    res = resource(name)
    dictionary = pd.DataFrame(columns(res))
    shown = frame[[f["name"] for f in res["schema"]["fields"]]]
    return render_template("resource.html", rows=len(shown), description=res.get("description", ""),
                           path=res["path"], preview_rows=preview_rows,
                           dictionary=Markup(table_html(dictionary, caption=f"Columns of {res['path']}")),
                           preview=Markup(table_html(shown, caption=f"First rows of {res['path']}",
                                                     max_rows=preview_rows, reader_form=False)))


def table_view(name: str):
    """:func:`resource_html` for a table of the data package, displayable in a notebook."""
    from exhibit.data import table
    from exhibit.figures.present import HTML

    return HTML(resource_html(name, table(name)))


def main() -> int:
    target = data_dir() / "README.md"
    text = render()
    if "--check" in sys.argv:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print("data/README.md is out of date: run python -m exhibit.story.datadoc")
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
