"""Grading a class: python -m exhibit.classroom.grade on teacher editions, untouched and broken notebooks."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from exhibit.classroom import editions, grade

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A class of submissions graded once with the real command line."""
    made = tmp_path_factory.mktemp("made")
    editions.write_editions(made, ROOT, teacher=True)
    exercises = made / "chapters" / "exercises"
    sub = tmp_path_factory.mktemp("submissions")
    for nb in sorted(exercises.glob("*-teacher.ipynb")):
        shutil.copy(nb, sub / f"teacher_{nb.name}")
    (sub / "alice").mkdir()
    shutil.copy(exercises / "01-dates-and-clocks.ipynb", sub / "alice" / "01-dates-and-clocks.ipynb")
    (sub / "bob_01-dates-and-clocks.ipynb").write_text("{ this is not JSON", encoding="utf-8")
    looping = nbformat.read(exercises / "01-dates-and-clocks-teacher.ipynb", as_version=4)
    first_answer = next(i for i, c in enumerate(looping.cells) if "answer = " in c.source)
    looping.cells[first_answer].source = "while True:\n    pass"
    nbformat.write(looping, sub / "carol_01-dates-and-clocks.ipynb")
    raising = nbformat.read(exercises / "01-dates-and-clocks-teacher.ipynb", as_version=4)
    raising.cells.insert(first_answer, nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(raising, sub / "dave_01-dates-and-clocks.ipynb")
    out = sub.parent / "gradebook.csv"
    proc = subprocess.run([sys.executable, "-m", "exhibit.classroom.grade", str(sub), "--out", str(out), "--timeout", "20"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return rows, proc.stdout


def rows_of(rows, student):
    return [r for r in rows if r["student"] == student]


@pytest.mark.build
def test_gradebook_columns(graded):
    rows, _ = graded
    assert list(rows[0]) == grade.COLUMNS


@pytest.mark.build
def test_teacher_editions_pass_every_exercise(graded):
    rows, _ = graded
    teacher = rows_of(rows, "teacher")
    assert {r["exercise"] for r in teacher} == {f"exercise_{n}" for n in range(1, 13)}
    assert all(r["passed"] == "true" for r in teacher), [r for r in teacher if r["passed"] != "true"]


@pytest.mark.build
def test_untouched_student_notebook_passes_none(graded):
    rows, _ = graded
    alice = rows_of(rows, "alice")
    assert [r["exercise"] for r in alice] == ["exercise_1", "exercise_2", "exercise_3", "exercise_4"]
    assert all(r["passed"] == "false" and "No answer yet" in r["feedback"] for r in alice)
    assert alice[0]["notebook"] == "alice/01-dates-and-clocks.ipynb"


@pytest.mark.build
def test_broken_json_gets_one_failing_row(graded):
    rows, _ = graded
    assert rows_of(rows, "bob") == [{"student": "bob", "notebook": "bob_01-dates-and-clocks.ipynb", "exercise": "",
                                     "passed": "false", "feedback": rows_of(rows, "bob")[0]["feedback"]}]
    assert rows_of(rows, "bob")[0]["feedback"].startswith("not a valid notebook")


@pytest.mark.build
def test_endless_loop_is_stopped_and_grading_goes_on(graded):
    rows, _ = graded
    carol = rows_of(rows, "carol")
    assert carol[0]["exercise"] == "" and "time limit of 20 s" in carol[0]["feedback"]
    assert all(r["passed"] == "false" for r in carol)


@pytest.mark.build
def test_an_error_is_reported_and_later_exercises_still_graded(graded):
    rows, _ = graded
    dave = rows_of(rows, "dave")
    assert dave[0]["exercise"] == "" and "ZeroDivisionError" in dave[0]["feedback"]
    assert all(r["passed"] == "true" for r in dave[1:]) and len(dave) == 5


@pytest.mark.build
def test_summary_is_printed(graded):
    _, out = graded
    assert "from 5 student(s)" in out
    assert "Notebooks that failed (3): bob_01-dates-and-clocks.ipynb, carol_01-dates-and-clocks.ipynb, " \
           "dave_01-dates-and-clocks.ipynb" in out


def test_student_names_come_from_the_file_name(tmp_path):
    assert grade.student_of(tmp_path / "alice_01.ipynb", tmp_path) == "alice"
    assert grade.student_of(tmp_path / "bob" / "x_01.ipynb", tmp_path) == "bob"
    assert grade.student_of(tmp_path / "carol.ipynb", tmp_path) == "carol"


def test_bad_command_lines_give_one_line_errors(tmp_path):
    for args in ([str(tmp_path / "missing")], [str(tmp_path)], [str(tmp_path), "--timeout", "0"]):
        if args == [str(tmp_path), "--timeout", "0"]:
            (tmp_path / "a.ipynb").write_text("{}")
        proc = subprocess.run([sys.executable, "-m", "exhibit.classroom.grade", *args], capture_output=True, text=True)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert proc.stderr.strip().splitlines()[-1].startswith("python -m exhibit.classroom.grade: error:")
