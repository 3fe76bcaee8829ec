"""Load and validate the exhibit's data package once.

The rules come from ``data/datapackage.json`` (types, required fields, enums, patterns, lengths, ranges,
primary and foreign keys) plus a few that the Frictionless schema cannot express: source keys must exist in
``references.bib``, dates must be real calendar dates whose written form matches ``precision``, an end is
never before its start, and ``;``-separated lists point at existing rows.

Every breach becomes one line ``file:row:column: rule (value)``; all of them are raised together in one
:class:`DataError`. Rows are counted as an editor shows them: the header is row 1, the first record row 2.

Usage::

    from exhibit import data
    events = data.events()          # pandas DataFrame, `start`/`end` as UTC timestamps
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import json
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from exhibit.core import inputs
from exhibit.core.cache import cached
from exhibit.core.context import (
    PACKAGE_DIR,
    ROOT_ENV,
    RootNotFound,
    bib_file,
    data_dir,
    project_root,
)

#: the written form each precision requires
PRECISION_FORMS = {
    "year": re.compile(r"\d{4}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "minute": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z"),
    "second": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"),
}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int
    column: str
    rule: str
    value: str = ""

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"{self.file}:{self.row}:{self.column}: {self.rule} ({shown!r})"


CHECK_AGAIN = "Fix the cells named above, then check again with: python -m exhibit.data"


def report(problems: list[Problem]) -> str:
    """Every problem as ``file:row:column: rule (value)``, and how to check again, as the last line."""
    lines = [f"{len(problems)} problem(s) in the exhibit's data:", *(f"  {p}" for p in problems), CHECK_AGAIN]
    return "\n".join(lines)


class DataError(ValueError):
    """Raised when the data package breaks a rule; lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(report(self.problems))

    def _render_traceback_(self) -> list[str]:  # IPython: the list of problems, not a traceback wall
        return [str(self)]


class BibliographyError(ValueError):
    """A BibTeX file that cannot be read; the message names the file and the line, and how to check again."""

    def _render_traceback_(self) -> list[str]:  # IPython: the message, not a traceback wall
        return [str(self)]


@functools.lru_cache(maxsize=4)
def bibliography(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Every entry of a BibTeX file (the exhibit's own by default), read with pybtex: key -> fields.

    Field values lose their protective braces; ``author`` and ``editor`` are written ``Last, First and ...``,
    with their surnames (a corporate author whole) in ``author_surnames`` (``;``-separated); ``type`` is the
    entry type.
    """
    if path is None:
        inputs.record(bib_file())
    path = path or bib_file()
    # pybtex and the LaTeX decoding take over a second for the whole file: once per distinct file
    return cached("bibliography", Path(path), lambda: _parse_bibliography(Path(path)), code=(Path(__file__),),
                  packages=("pybtex",))


def _parse_bibliography(path: Path) -> dict[str, dict[str, str]]:
    from pybtex.database import parse_file
    from pybtex.scanner import PybtexError

    try:
        parsed = parse_file(str(path), bib_format="bibtex")
    except PybtexError as err:
        raise BibliographyError(f"{path.name}: {err}\n{CHECK_AGAIN}") from None
    entries = {}
    for key, entry in parsed.entries.items():
        fields = {"type": entry.type.lower()}
        fields.update({name.lower(): value.strip() if name.lower() in ("url", "doi") else _unbrace(_latex(value))
                       for name, value in entry.fields.items()})
        for role, people in entry.persons.items():
            fields[role.lower()] = _unbrace(_latex(" and ".join(str(p) for p in people)))
            fields[f"{role.lower()}_surnames"] = "; ".join(
                _unbrace(_latex(" ".join(p.prelast_names + p.last_names))) for p in people)
        entries[key] = fields
    return entries


def _latex(text: str) -> str:
    """LaTeX in BibTeX fields as text (``\\&`` -> ``&``, ``\\c{c}`` -> ``ç``, ``--`` -> ``–``)."""
    import latexcodec  # noqa: F401  (registers the codec; installed with pybtex)

    return codecs.decode(text, "ulatex")


def _unbrace(text: str) -> str:
    return " ".join(text.replace("{", "").replace("}", "").split())


def bib_keys(path: Path | None = None) -> set[str]:
    """The citation keys defined in a BibTeX file (the exhibit's own by default)."""
    return set(bibliography(path))


def number_problems(value: str, cons: dict) -> list[str]:
    """The rules a numeric cell breaks: not a number, or outside the descriptor's minimum and maximum."""
    try:
        number = float(value)
    except ValueError:
        return ["not a number"]
    if number != number:
        return ["not a number"]
    if "minimum" in cons and number < cons["minimum"]:
        return [f"below minimum {cons['minimum']}"]
    if "maximum" in cons and number > cons["maximum"]:
        return [f"above maximum {cons['maximum']}"]
    return []


def parse_instant(text: str) -> pd.Timestamp:
    """Parse one of the allowed written forms into a UTC timestamp (the start of the period).

    Raises ValueError for a form or a calendar date that does not exist.
    """
    form = next((p for p, rx in PRECISION_FORMS.items() if rx.fullmatch(text)), None)
    if form is None:
        raise ValueError("not YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z")
    padded = {"year": "-01-01", "month": "-01"}.get(form, "")
    stamp = dt.datetime.fromisoformat((text + padded).replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return pd.Timestamp(stamp)


def form_of(text: str) -> str | None:
    """The precision a written date has (``day`` for ``1975-07-15``), or None."""
    return next((p for p, rx in PRECISION_FORMS.items() if rx.fullmatch(text)), None)


class _Checker:
    def __init__(self, data_dir: Path, bib: Path):
        self.data_dir = data_dir
        self.package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
        self.keys = bib_keys(bib)
        self.problems: list[Problem] = []
        self.raw: dict[str, list[dict[str, str]]] = {}

    def add(self, file: str, row: int, column: str, rule: str, value: object = "") -> None:
        self.problems.append(Problem(file, row, column, rule, "" if value is None else str(value)))

    # -- reading -----------------------------------------------------------------------------------------
    def read(self, resource: dict) -> None:
        file = resource["path"]
        path = self.data_dir / file
        fields = [f["name"] for f in resource["schema"]["fields"]]
        if not path.exists():
            self.add(file, 0, "-", "file is missing")
            self.raw[resource["name"]] = []
            return
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            rows = []
            for line_no, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    self.add(file, line_no, "-", "blank line")
                    continue
                if len(values) != len(header):
                    self.add(file, line_no, "-", f"has {len(values)} cells, header has {len(header)}",
                             ",".join(values))
                    continue
                rows.append({"_row": line_no, **dict(zip(header, values, strict=True))})
        missing = [f for f in fields if f not in header]
        extra = [h for h in header if h not in fields]
        for name in missing:
            self.add(file, 1, name, "column missing from header")
        for name in extra:
            self.add(file, 1, name, "column not in datapackage.json schema")
        self.raw[resource["name"]] = rows if not missing else []

    # -- per-field rules ---------------------------------------------------------------------------------
    def fields(self, resource: dict) -> None:
        file = resource["path"]
        rows = self.raw[resource["name"]]
        for field in resource["schema"]["fields"]:
            name, cons = field["name"], field.get("constraints", {})
            seen: dict[str, int] = {}
            for row in rows:
                value = row.get(name, "")
                where = (file, row["_row"], name)
                if value != value.strip():
                    self.add(*where, "leading or trailing space", value)
                if value == "":
                    if cons.get("required"):
                        self.add(*where, "required value is empty")
                    continue
                if cons.get("unique"):
                    if value in seen:
                        self.add(*where, f"duplicate id (first on row {seen[value]})", value)
                    seen.setdefault(value, row["_row"])
                for rule, shown in self.value_problems(field, value):
                    self.add(*where, rule, shown)

    def value_problems(self, field: dict, value: str) -> list[tuple[str, str]]:
        """(rule, value) for each rule of the descriptor (and the exhibit's own) that one non-empty cell breaks."""
        cons = field.get("constraints", {})
        found = []
        if "pattern" in cons and not re.fullmatch(cons["pattern"], value):
            found.append((f"does not match pattern {cons['pattern']}", value))
        if "enum" in cons and value not in cons["enum"]:
            found.append((f"not one of {'|'.join(cons['enum'])}", value))
        if "maxLength" in cons and len(value) > cons["maxLength"]:
            found.append((f"longer than {cons['maxLength']} characters", value))
        if field["type"] == "number":
            found += [(rule, value) for rule in number_problems(value, cons)]
        if field.get("x-temporal"):
            try:
                parse_instant(value)
            except ValueError as exc:
                found.append((f"not a valid date or UTC time: {exc}", value))
        if field.get("x-bibkeys"):
            found += [("source key not in references.bib", key) for key in value.split(";") if key not in self.keys]
        return found

    # -- keys and cross-table rules ----------------------------------------------------------------------
    def ids(self, name: str) -> set[str]:
        return {r["id"] for r in self.raw.get(name, []) if r.get("id")}

    def references(self, resource: dict) -> None:
        file = resource["path"]
        rows = self.raw[resource["name"]]
        for fk in resource["schema"].get("foreignKeys", []):
            (column,) = fk["fields"]
            target = fk["reference"]["resource"]
            known = self.ids(target)
            for row in rows:
                value = row.get(column, "")
                if value and value not in known:
                    self.add(file, row["_row"], column, f"no {target} row with this id", value)
        for field in resource["schema"]["fields"]:
            ref = field.get("x-list-of")
            by = field.get("x-list-of-by")  # the table the ids belong to depends on another column
            if not (ref or by):
                continue
            for row in rows:
                value = row.get(field["name"], "")
                target = ref["resource"] if ref else by["resources"].get(row.get(by["column"], ""))
                if value and target is None:
                    self.add(file, row["_row"], field["name"],
                             f"must be empty when {by['column']} is {row.get(by['column'], '')!r}", value)
                    continue
                known = self.ids(target) if value else set()
                for item in filter(None, value.split(";")):
                    if item not in known:
                        self.add(file, row["_row"], field["name"], f"no {target} row with this id", item)

    def ordering(self, file: str, rows: list[dict], start: str, end: str) -> None:
        for row in rows:
            a, b = row.get(start, ""), row.get(end, "")
            try:
                if a and b and parse_instant(b) < parse_instant(a):
                    self.add(file, row["_row"], end, f"{end} is before {start}", f"{b} < {a}")
            except ValueError:
                pass  # already reported as an invalid date

    def needed(self, file: str, rows: list[dict], column: str, needs: dict[str, str]) -> None:
        """A row whose ``column`` has a value in ``needs`` must fill the column named for that value."""
        for row in rows:
            wanted = needs.get(row.get(column, ""))
            if wanted and not row.get(wanted, ""):
                self.add(file, row["_row"], wanted, f"required when {column} is {row[column]!r}")

    def regions(self, file: str, rows: list[dict], seas: list[dict]) -> None:
        """Each ``region`` must be a country of the bundled land outline or an ocean of the sea table."""
        from exhibit.core.assets import LAND_GEOJSON

        land = json.loads(LAND_GEOJSON.read_text(encoding="utf-8"))["features"]
        known = {f["properties"]["name"] for f in land} | {s.get("ocean", "") for s in seas}
        for row in rows:
            if row.get("region", "") not in known:
                self.add(file, row["_row"], "region", "not a country of the land outline or an ocean of seas.csv",
                         row.get("region", ""))

    def precision(self, file: str, rows: list[dict], columns: tuple[str, ...]) -> None:
        for row in rows:
            wanted = row.get("precision", "")
            if wanted not in PRECISION_FORMS:
                continue
            for column in columns:
                value = row.get(column, "")
                if value and form_of(value) and form_of(value) != wanted:
                    self.add(file, row["_row"], column,
                             f"precision is {wanted!r} but the value is written to the {form_of(value)}", value)


def _frame(rows: list[dict], resource: dict) -> pd.DataFrame:
    columns = [f["name"] for f in resource["schema"]["fields"]]
    frame = pd.DataFrame([{c: r.get(c, "") for c in columns} for r in rows], columns=columns)
    for field in resource["schema"]["fields"]:
        name = field["name"]
        if field["type"] == "number":
            frame[name] = pd.to_numeric(frame[name].replace("", None), errors="raise").astype(float)
        elif field.get("x-temporal"):
            frame[name + "_text"] = frame[name]
            frame[name] = pd.to_datetime(
                [parse_instant(v) if v else pd.NaT for v in frame[name]], utc=True
            ).as_unit("s")
        else:
            frame[name] = frame[name].astype("string")
    return frame


def load(folder: Path | None = None, bib: Path | None = None) -> dict[str, pd.DataFrame]:
    """Validate every table of the package and return them as DataFrames (cached).

    Raises :class:`DataError` listing every problem if any rule is broken.
    """
    if folder is None:
        inputs.record(data_dir())
    return _load(Path(folder or data_dir()), Path(bib or bib_file()))


@functools.lru_cache(maxsize=4)
def _load(data_dir: Path, bib: Path) -> dict[str, pd.DataFrame]:
    check = _Checker(data_dir, bib)
    resources = check.package["resources"]
    for res in resources:
        check.read(res)
    for res in resources:
        check.fields(res)
        check.references(res)
    by_name = {r["name"]: r for r in resources}
    if "events" in by_name:
        check.ordering("events.csv", check.raw["events"], "start", "end")
        check.precision("events.csv", check.raw["events"], ("start", "end"))
    if "missions" in by_name:
        check.ordering("missions.csv", check.raw["missions"], "launch", "end")
    if "people" in by_name:
        check.ordering("people.csv", check.raw["people"], "born", "died")
    if "phases" in by_name:
        check.ordering("phases.csv", check.raw["phases"], "start", "end")
    if "pictures" in by_name:
        check.needed("pictures.csv", check.raw["pictures"], "kind", {"photograph": "file", "drawing": "drawing"})
    if "orbit_anchors" in by_name:
        check.regions("orbit_anchors.csv", check.raw["orbit_anchors"], check.raw.get("seas", []))
    if check.problems:
        raise DataError(check.problems)
    return {name: _frame(check.raw[name], res) for name, res in by_name.items()}


load.cache_clear = _load.cache_clear


def table(name: str) -> pd.DataFrame:
    """A copy of one validated table (so a chapter cannot change the cached one)."""
    inputs.record(data_dir() / f"{name}.csv", data_dir() / "datapackage.json")
    return _table(name)


def _table(name: str) -> pd.DataFrame:
    return _load(data_dir(), bib_file())[name].copy()


def row(name: str, row_id: str) -> pd.DataFrame:
    """The one row of table ``name`` whose ``id`` is ``row_id`` (a one-row frame), or a KeyError naming both."""
    inputs.record_row(data_dir() / f"{name}.csv", row_id)
    inputs.record(data_dir() / "datapackage.json")
    frame = _table(name)
    found = frame[frame["id"] == row_id]
    if found.empty:
        raise KeyError(f"no row {row_id!r} in {name}.csv")
    return found


def events() -> pd.DataFrame:
    """Events sorted by start, `start`/`end` as UTC timestamps, `*_text` keeping the written form."""
    return table("events").sort_values(["start", "id"], kind="stable").reset_index(drop=True)


def places() -> pd.DataFrame:
    return table("places")


def missions() -> pd.DataFrame:
    return table("missions").sort_values(["launch", "id"], kind="stable").reset_index(drop=True)


def people() -> pd.DataFrame:
    return table("people")


def claims() -> pd.DataFrame:
    return table("claims")


def phases() -> pd.DataFrame:
    return table("phases")


def orbit_inputs() -> pd.DataFrame:
    return table("orbit_inputs")


def split(value: object) -> list[str]:
    """The items of a `;`-separated cell (``sources``, ``crew``)."""
    return [v for v in str(value or "").split(";") if v and v != "<NA>"]


def elbe() -> pd.DataFrame:
    return table("elbe").sort_values("order").reset_index(drop=True)


def seas() -> pd.DataFrame:
    """Sea and ocean boxes in search order (small seas first)."""
    return table("seas")


def orbit_anchors() -> pd.DataFrame:
    return table("orbit_anchors")


DATA_ZIP = "space-alliance-data.zip"


def write_data_zip(srcdir: Path, zip_path: Path) -> None:
    """The whole data package (tables, descriptor, dictionary, bibliography, licence) as one download.

    Entries carry a fixed date so two builds give byte-identical archives.
    """
    files = sorted((srcdir / "data").glob("*.csv")) + [srcdir / "data" / "datapackage.json",
                                                       srcdir / "data" / "README.md",
                                                       srcdir / "references.bib", srcdir / "LICENSE-CONTENT.md"]
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            name = "space-alliance-data/" + ("data/" if path.parent.name == "data" else "") + path.name
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def check(folder: Path | None = None, bib: Path | None = None) -> str:
    """Validate the package; the one-line summary when it is valid, else :class:`DataError` or
    :class:`BibliographyError`."""
    tables = load(folder, bib)
    rows = sum(len(t) for t in tables.values())
    return (f"The data package is valid: {len(tables)} tables, {rows} rows, "
            f"{len(bib_keys(Path(bib or bib_file())))} sources.")


def main(argv: list[str] | None = None) -> int:
    """``python -m exhibit.data [DATA_DIR [BIB_FILE]]``: exit 0 with a summary, or 1 with the problems."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 2 or any(a.startswith("-") for a in args):
        print("usage: python -m exhibit.data [DATA_DIR [BIB_FILE]]", file=sys.stderr)
        return 2
    try:
        print(check(Path(args[0]) if args else None, Path(args[1]) if len(args) > 1 else None))
    except (DataError, BibliographyError) as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["PACKAGE_DIR", "ROOT_ENV", "RootNotFound", "project_root", "data_dir", "bib_file", "PRECISION_FORMS", "Problem", "CHECK_AGAIN", "report", "DataError", "BibliographyError", "bibliography", "bib_keys", "number_problems", "parse_instant", "form_of", "load", "table", "row", "events", "places", "missions", "people", "claims", "phases", "orbit_inputs", "split", "elbe", "seas", "orbit_anchors", "DATA_ZIP", "write_data_zip", "check", "main"]
