"""The grader never scores a wrong or an empty notebook as passed (fast: two tiny notebooks, one kernel each)."""

import nbformat

from exhibit.classroom import grade


def notebook(path, *cells, exercises=("exercise_1", "exercise_2")):
    nb = nbformat.v4.new_notebook()
    nb.metadata["exhibit"] = {"exercises": list(exercises)}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


def test_a_wrong_answer_and_a_missing_one_are_both_failed(tmp_path):
    path = notebook(tmp_path / "eve_01.ipynb", "from exhibit.classroom.exercises import check",
                    "check.exercise_1(1)")
    rows = {r.exercise: r for r in grade.grade_one(path, tmp_path, timeout=60)}
    assert set(rows) == {"exercise_1", "exercise_2"}
    assert rows["exercise_1"].passed is False and rows["exercise_1"].feedback
    assert rows["exercise_2"].passed is False and "did not run" in rows["exercise_2"].feedback


def test_an_empty_notebook_passes_nothing(tmp_path):
    path = notebook(tmp_path / "frank_01.ipynb")
    rows = grade.grade_one(path, tmp_path, timeout=60)
    assert [r.exercise for r in rows] == ["exercise_1", "exercise_2"] and not any(r.passed for r in rows)


def test_a_right_answer_passes(tmp_path):
    from exhibit import data

    missions = data.missions().set_index("id")["launch"]
    days = (missions["mercury-redstone-3"].normalize() - missions["vostok-1"].normalize()).days
    path = notebook(tmp_path / "grace_01.ipynb", "from exhibit.classroom.exercises import check",
                    f"check.exercise_1({days})", exercises=("exercise_1",))
    assert [(r.exercise, r.passed) for r in grade.grade_one(path, tmp_path, timeout=60)] == [("exercise_1", True)]
