"""Write ``data/README.md`` (the data dictionary) from ``data/datapackage.json``.

    python -m exhibit.datadoc          # rewrite data/README.md
    python -m exhibit.datadoc --check  # exit 1 if it is out of date (the tests do this)
"""

from __future__ import annotations

import json
import sys

from .data import data_dir

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

**This file is generated** from `datapackage.json` by `python -m exhibit.datadoc`; edit the descriptor, not this file.
"""


def render() -> str:
    package = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    parts = [HEAD]
    for res in package["resources"]:
        schema = res["schema"]
        parts.append(f"\n## `{res['path']}`\n\n{res.get('description', '')}\n")
        parts.append("| column | type | required | allowed values / range | meaning |\n| --- | --- | --- | --- | --- |")
        keys = {fk["fields"][0]: fk["reference"] for fk in schema.get("foreignKeys", [])}
        for f in schema["fields"]:
            c = f.get("constraints", {})
            allowed = []
            if "enum" in c:
                allowed.append(", ".join(f"`{v}`" for v in c["enum"]))
            if "minimum" in c or "maximum" in c:
                allowed.append(f"{c.get('minimum', '')} to {c.get('maximum', '')}")
            if "maxLength" in c:
                allowed.append(f"at most {c['maxLength']} characters")
            if c.get("unique"):
                allowed.append("unique")
            if f["name"] in keys:
                allowed.append(f"→ `{keys[f['name']]['resource']}.id`")
            if "x-list-of" in f:
                allowed.append(f"each → `{f['x-list-of']['resource']}.id`")
            kind = "date/UTC time" if f.get("x-temporal") else f["type"]
            parts.append(f"| `{f['name']}` | {kind} | {'yes' if c.get('required') else ''} | "
                         f"{'; '.join(allowed)} | {f.get('description', '')} |")
    return "\n".join(parts) + "\n"


def main() -> int:
    target = data_dir() / "README.md"
    text = render()
    if "--check" in sys.argv:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print("data/README.md is out of date: run python -m exhibit.datadoc")
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
