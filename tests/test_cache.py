"""Work paid once: results cached on a hash of their inputs, chapters re-run only when what they read changed."""

import nbformat
import pandas as pd

from exhibit.core import cache, inputs
from exhibit.site import sphinxext


def test_a_result_is_computed_once_per_distinct_inputs(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path)
    calls = []

    def compute(value):
        calls.append(value)
        return {"value": value}

    frame = pd.DataFrame({"id": ["a", "b"], "x": [1, 2]})
    assert cache.cached("t", (frame, 1), lambda: compute(1)) == {"value": 1}
    assert cache.cached("t", (frame.copy(), 1), lambda: compute(1)) == {"value": 1}
    assert calls == [1]  # same inputs: read back
    edited = frame.assign(x=[1, 3])
    cache.cached("t", (edited, 1), lambda: compute(2))
    cache.cached("t", (frame, 2), lambda: compute(3))
    assert calls == [1, 2, 3]  # a changed row or parameter: computed again


def test_the_key_follows_the_code_that_computes(tmp_path):
    code = tmp_path / "module.py"
    code.write_text("x = 1\n")
    before = cache.key("t", 1, code=(code,))
    code.write_text("x = 2\n")
    assert cache.key("t", 1, code=(code,)) != before


def test_a_chapter_depends_on_the_rows_it_looked_up_not_the_whole_table(tmp_path):
    table = tmp_path / "voices.csv"
    table.write_text("id,quote\nlow,Deputy\nother,x\n", encoding="utf-8")
    stored = {"voices.csv#low": inputs.row_digest(table, "low")}
    assert inputs.changed(stored, tmp_path) == []
    table.write_text("id,quote\nlow,Deputy\nother,changed\n", encoding="utf-8")
    assert inputs.changed(stored, tmp_path) == []  # another row changed
    table.write_text("id,quote\nlow,Acting\nother,changed\n", encoding="utf-8")
    assert inputs.changed(stored, tmp_path) == ["voices.csv#low"]


def test_a_whole_table_read_depends_on_every_row(tmp_path):
    table = tmp_path / "events.csv"
    table.write_text("id,title\na,x\n", encoding="utf-8")
    stored = {"events.csv": inputs.digest(table)}
    table.write_text("id,title\na,y\n", encoding="utf-8")
    assert inputs.changed(stored, tmp_path) == ["events.csv"]


def test_the_build_reads_the_last_record_a_chapter_wrote():
    nb = nbformat.v4.new_notebook()
    first = nbformat.v4.new_output("display_data", data={inputs.INPUTS_MIME: {"a": "1"}})
    last = nbformat.v4.new_output("display_data", data={inputs.INPUTS_MIME: {"a": "1", "b": "2"}})
    nb.cells = [nbformat.v4.new_code_cell("x", outputs=[first]), nbformat.v4.new_code_cell("y", outputs=[last])]
    assert sphinxext.recorded_inputs(nb) == {"a": "1", "b": "2"}
    assert sphinxext.recorded_inputs(nbformat.v4.new_notebook()) is None
