"""The data package loads, has the right types, and every kind of bad input names file, row and column."""

import re
from pathlib import Path

import pandas as pd
import pytest

from exhibit import data
from exhibit.core import context
from exhibit.data import DataError


def load(data_dir, bib):
    data.load.cache_clear()
    return data.load(data_dir, bib)


def problems(data_dir, bib):
    with pytest.raises(DataError) as info:
        load(data_dir, bib)
    return str(info.value), info.value.problems


def row_of(data_dir, name, row_id):
    """The editor line (header = 1) of the row with this id."""
    lines = (data_dir / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(row_id + ","))


def set_cell(data_dir, name, row_id, column, value):
    """Rewrite one cell of a CSV (rows keep their line numbers: no cell spans lines)."""
    path = data_dir / name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert (frame["id"] == row_id).sum() == 1, f"{row_id} not in {name}"
    frame.loc[frame["id"] == row_id, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


def test_real_package_loads_with_types():
    tables = data.load()
    events = tables["events"]
    assert str(events["start"].dtype) == "datetime64[s, UTC]"
    assert events["id"].is_unique
    assert tables["places"]["lat"].dtype == float
    launch = events.set_index("id").loc["soyuz-19-launch", "start"]
    assert launch == pd.Timestamp("1975-07-15T12:20Z")


def test_load_is_cached_and_tables_are_copies():
    first = data.events()
    first.loc[0, "title"] = "changed"
    assert data.events().loc[0, "title"] != "changed"
    assert data.load() is data.load()


CASES = [
    # (file, row id, column, bad value, rule fragment)
    ("events.csv", "apollo-launch", "start", "1975-07-15 19:50", "does not match pattern"),
    ("events.csv", "apollo-launch", "precision", "minutes", "not one of"),
    ("events.csv", "apollo-launch", "start", "1975-07-15", "precision is 'minute' but the value is written to the day"),
    ("events.csv", "apollo-launch", "place_id", "ksc-lc-99", "no places row with this id"),
    ("events.csv", "apollo-launch", "mission_id", "apollo-xyz", "no missions row"),
    ("events.csv", "apollo-launch", "sources", "nosuchkey2000", "not in references.bib"),
    ("events.csv", "apollo-launch", "category", "friendship", "not one of"),
    ("events.csv", "apollo-launch", "end", "1975-07-14T10:00Z", "end is before start"),
    ("events.csv", "apollo-launch", "start", "1975-02-30T19:50Z", "not a valid date"),
    ("events.csv", "apollo-launch", "title", "", "required value is empty"),
    ("places.csv", "torgau", "lat", "151.5", "above maximum 90"),
    ("places.csv", "torgau", "lon", "east13.0", "not a number"),
    ("places.csv", "torgau", "kind", "battlefield", "not one of"),
    ("missions.csv", "soyuz-19", "crew", "alexei-leonov;nobody-at-all", "no people row with this id"),
    ("missions.csv", "soyuz-19", "end", "1975-07-01T10:51Z", "end is before launch"),
    ("people.csv", "vance-brand", "name_ru", "", "required value is empty"),
    ("people.csv", "vance-brand", "died", "1930-01-01", "died is before born"),
    ("claims.csv", "hatch-time-zone", "verdict", "probably", "not one of"),
    ("phases.csv", "soyuz-docked-1", "mission_id", "soyuz-20", "no missions row"),
    ("orbit_anchors.csv", "postflight-docked", "region", "Atlantis", "not a country of the land outline"),
    ("orbit_anchors.csv", "postflight-docked", "at", "1975-07-17T16:12", "does not match pattern"),
    ("seas.csv", "north-atlantic", "lat_max", "95", "above maximum 90"),
    ("pictures.csv", "orbit-to-scale", "drawn_from", "torgau;atlantis", "no places row with this id"),
    ("pictures.csv", "hatch-clocks", "drawn_from", "soyuz-19", "no events row with this id"),
    ("pictures.csv", "docking-system", "drawn_from", "soyuz-19", "must be empty when drawing is 'docking-system'"),
    ("pictures.csv", "station-lives", "drawing", "", "required when kind is 'drawing'"),
    ("pictures.csv", "eileen-collins", "file", "", "required when kind is 'photograph'"),
]


@pytest.mark.parametrize("file,row_id,column,value,rule", CASES, ids=[f"{c[0]}-{c[2]}-{c[4][:14]}" for c in CASES])
def test_bad_value_is_reported_with_file_row_column(data_copy, file, row_id, column, value, rule):
    data_dir, bib, edit = data_copy
    line = row_of(data_dir, file, row_id)
    set_cell(data_dir, file, row_id, column, value)
    message, found = problems(data_dir, bib)
    assert any(p.file == file and p.row == line and p.column == column and rule in p.rule for p in found), message
    assert re.search(rf"{re.escape(file)}:{line}:{column}: .*{re.escape(rule)}", message), message


def test_duplicate_id_names_both_rows(data_copy):
    data_dir, bib, edit = data_copy
    text = (data_dir / "places.csv").read_text(encoding="utf-8")
    torgau = next(line for line in text.splitlines() if line.startswith("torgau,"))
    edit("places.csv", lambda t: t.rstrip("\n") + "\n" + torgau + "\n")
    message, found = problems(data_dir, bib)
    last = len(text.splitlines()) + 1
    first = row_of(data_dir, "places.csv", "torgau")
    assert f"places.csv:{last}:id: duplicate id (first on row {first})" in message


def test_missing_column_and_ragged_row(data_copy):
    data_dir, bib, edit = data_copy
    edit("claims.csv", lambda t: t.replace("id,claim,quote,verdict", "id,claim,quote,ruling", 1))
    edit("places.csv", lambda t: t.rstrip("\n") + "\nbroken-row,only,three\n")
    message, found = problems(data_dir, bib)
    assert "claims.csv:1:verdict: column missing from header" in message
    assert "claims.csv:1:ruling: column not in datapackage.json schema" in message
    ragged = len((data_dir / "places.csv").read_text().splitlines())
    assert f"places.csv:{ragged}:-: has 3 cells" in message


def test_every_problem_is_listed_at_once(data_copy):
    data_dir, bib, edit = data_copy
    set_cell(data_dir, "places.csv", "torgau", "lat", "99.5")
    set_cell(data_dir, "events.csv", "apollo-launch", "precision", "hour")
    _, found = problems(data_dir, bib)
    assert {p.file for p in found} >= {"places.csv", "events.csv"}


def test_html_in_text_is_accepted_as_text(data_copy):
    """Markup in a summary is not a data error: the builders escape it (see test_builders)."""
    data_dir, bib, edit = data_copy
    set_cell(data_dir, "events.csv", "apollo-launch", "summary", "<script>alert(1)</script> launch")
    events = load(data_dir, bib)["events"].set_index("id")
    assert events.loc["apollo-launch", "summary"].startswith("<script>")


def test_every_source_key_is_in_bibliography():
    keys = data.bib_keys()
    for name, frame in data.load().items():
        if "sources" in frame:
            for cell in frame["sources"]:
                assert set(data.split(cell)) <= keys, (name, cell)


def teardown_module():
    data.load.cache_clear()


def test_data_dictionary_is_in_sync_with_descriptor():
    from exhibit.story import datadoc

    assert (data.data_dir() / "README.md").read_text(encoding="utf-8") == datadoc.render(), \
        "run: python -m exhibit.story.datadoc"
    for res in __import__("json").loads((data.data_dir() / "datapackage.json").read_text())["resources"]:
        assert all(f.get("description") for f in res["schema"]["fields"]), res["name"]


def test_data_found_from_working_folder_when_package_is_installed_elsewhere(tmp_path, monkeypatch):
    """A regular (non-editable) install, as Binder's `pip install .`: the data come from the clone around the
    notebook's folder."""
    monkeypatch.delenv(data.ROOT_ENV, raising=False)
    monkeypatch.setattr(context, "PACKAGE_DIR", tmp_path / "site-packages" / "exhibit")
    clone = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(clone / "chapters" / "exercises")
    assert data.project_root() == clone
    monkeypatch.chdir(tmp_path)
    with pytest.raises(data.RootNotFound, match="set EXHIBIT_ROOT"):
        data.project_root()
    monkeypatch.setenv(data.ROOT_ENV, str(clone))
    assert data.project_root() == clone.resolve()
    monkeypatch.setenv(data.ROOT_ENV, str(tmp_path))
    with pytest.raises(data.RootNotFound, match="has no data/datapackage.json"):
        data.project_root()
    assert data.RootNotFound("x")._render_traceback_() == ["RootNotFound: x"]


# -- the check on its own, and against the reference validator -------------------------------------------------
def run_check(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "exhibit.data", *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parent.parent)


def test_check_on_its_own_summarises_a_valid_package():
    proc = run_check()
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and re.fullmatch(r"The data package is valid: \d+ tables, \d+ rows, \d+ sources\.", lines[0])


def test_check_on_its_own_ends_with_the_problems_and_no_traceback(data_copy):
    data_dir, bib, edit = data_copy
    set_cell(data_dir, "events.csv", "sputnik-1", "start", "1957-02-30")
    proc = run_check(data_dir, bib)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()
    assert re.match(r"\s*events\.csv:\d+:start: not a valid date", last[-2]) and "python -m exhibit.data" in last[-1]


def test_a_broken_bibliography_is_reported_by_file_not_by_traceback(data_copy):
    data_dir, bib, edit = data_copy
    bib.write_text(bib.read_text(encoding="utf-8") + "\n@misc{broken,\n  title = {no closing brace\n",
                   encoding="utf-8")
    proc = run_check(data_dir, bib)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "references.bib" in proc.stderr


def frictionless_errors(descriptor: Path) -> set[tuple[str, int, str]]:
    """(file, row, column) of every error the reference validator finds (column empty for row-level errors)."""
    import frictionless
    report = frictionless.validate(str(descriptor))
    found = set()
    for task in report.tasks:
        for error in task.errors:
            found.add((Path(task.place).name, getattr(error, "row_number", 0) or 0,
                       getattr(error, "field_name", "") or ""))
    return found


def test_the_package_passes_the_reference_validator():
    assert frictionless_errors(data.data_dir() / "datapackage.json") == set()


BROKEN = [  # (file, row id, column, bad value)
    ("events.csv", "sputnik-1", "category", "spacey"),          # enum
    ("events.csv", "sputnik-1", "title", ""),                   # required
    ("places.csv", "torgau", "lat", "123.5"),                   # maximum
    ("events.csv", "sputnik-1", "place_id", "atlantis"),        # foreign key
    ("events.csv", "sputnik-1", "summary", "x" * 700),          # maxLength
]


@pytest.mark.parametrize("file, row_id, column, value", BROKEN, ids=[f"{b[0]}-{b[2]}" for b in BROKEN])
def test_project_and_reference_validator_agree_on_a_broken_copy(data_copy, file, row_id, column, value):
    data_dir, bib, edit = data_copy
    set_cell(data_dir, file, row_id, column, value)
    row = row_of(data_dir, file, row_id)
    _, ours = problems(data_dir, bib)
    assert (file, row, column) in {(p.file, p.row, p.column) for p in ours}
    theirs = frictionless_errors(data_dir / "datapackage.json")
    assert (file, row, column) in theirs or (file, row, "") in theirs, theirs


def test_every_claim_quotes_the_article_exactly_and_briefly():
    import os

    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "the-soviet-american-space-alliance.txt"
    if not seed.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{seed} is missing: CI checks the ledger's quotations against the article")
        pytest.skip("the article is not beside the repository")
    text = seed.read_text(encoding="utf-8")
    for row in data.table("claims").itertuples():
        assert row.quote in text, (row.id, row.quote)
        assert len(row.quote.split()) <= 14, row.id


#: what a source is (references.bib, field `kind`): see CONTRIBUTING.md
SOURCE_KINDS = {"primary", "scholarly", "press", "reference", "weak"}


def test_every_source_says_what_kind_of_source_it_is():
    bib = data.bibliography()
    missing = sorted(k for k, e in bib.items() if e.get("kind") not in SOURCE_KINDS)
    assert missing == [], f"references.bib: entries without a kind ({', '.join(sorted(SOURCE_KINDS))}): {missing}"


def test_no_event_rests_on_weak_sources_alone():
    """A blog, a copy of Wikipedia, an aggregator may back an event, never carry it alone."""
    bib = data.bibliography()
    events = data.events()
    alone = [r.id for r in events.itertuples() if all(bib[k]["kind"] == "weak" for k in data.split(r.sources))]
    assert alone == [], f"events.csv: events whose every source is of kind 'weak': {alone}"
