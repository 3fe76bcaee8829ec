"""Reader, student and teacher editions generated from the MyST chapters."""

import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from exhibit.classroom import editions
from exhibit.classroom.exercises import EXERCISES

ROOT = Path(__file__).resolve().parent.parent
EXERCISE_PAGES = sorted(p.relative_to(ROOT) for p in (ROOT / "chapters" / "exercises").glob("*.md"))
MYST = re.compile(r"\{(cite|exercise|solution|code-cell|download|bibliography|tableofcontents)[^}]*\}|^:::|^\([\w-]+\)=",
                  re.M)


def solution_sources(page: Path) -> list[str]:
    """The code of every cell between solution-start and solution-end in the MyST source."""
    text = (ROOT / page).read_text(encoding="utf-8")
    blocks = re.findall(r"\{solution-start\}.*?\{solution-end\}", text, flags=re.S)
    return [c.strip() for b in blocks for c in re.findall(r"```\{code-cell\} ipython3\n(.*?)```", b, flags=re.S)]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebooks")
    return out, editions.write_editions(out, ROOT, teacher=True)


def code(nb) -> list[str]:
    return [c.source.strip() for c in nb.cells if c.cell_type == "code"]


def test_exercise_pages_are_found():
    assert len(EXERCISE_PAGES) == 3 and all(editions.has_solutions(ROOT / p) for p in EXERCISE_PAGES)
    assert all(solution_sources(p) for p in EXERCISE_PAGES)


@pytest.mark.parametrize("page", EXERCISE_PAGES, ids=str)
def test_student_edition_has_no_solution_code_and_every_check(page, written):
    out, _ = written
    student = nbformat.read(out / page.with_suffix(".ipynb"), as_version=4)
    cells = code(student)
    for solution in solution_sources(page):
        assert solution not in cells
    source = (ROOT / page).read_text(encoding="utf-8")
    names = sorted(set(re.findall(r"check\.(exercise_\d+)\(", source)), key=lambda n: int(n.split("_")[1]))
    assert student.metadata["exhibit"] == {"edition": "student", "source": page.as_posix(), "exercises": names}
    assert names and set(names) <= set(EXERCISES)
    starters = [c for c in cells if re.search(r"check\.exercise_\d+\((answer|fmap|fig)\)$", c)]
    assert len(starters) == len(names)  # one starter cell per exercise, each ending with its check


@pytest.mark.parametrize("page", EXERCISE_PAGES, ids=str)
def test_teacher_edition_has_every_solution(page, written):
    out, _ = written
    teacher = nbformat.read(out / page.parent / f"{page.stem}-teacher.ipynb", as_version=4)
    cells = code(teacher)
    assert all(s in cells for s in solution_sources(page))
    assert teacher.metadata["exhibit"]["edition"] == "teacher"
    headings = [c for c in teacher.cells if c.cell_type == "markdown" and c.source.startswith("**Solution**")]
    assert len(headings) == len(solution_sources(page))


def test_every_edition_is_plain_markdown_with_working_links(written):
    out, paths = written
    assert len(paths) == len(editions.notebook_pages(ROOT)) + len(EXERCISE_PAGES)
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                assert not MYST.search(cell.source), (path, cell.source[:200])
                for target in re.findall(r"\]\(([^)#]+\.ipynb)", cell.source):
                    assert (path.parent / target).exists(), (path, target)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_citations_become_author_year_with_references(written):
    out, _ = written
    nb = nbformat.read(out / "chapters" / "apollo-soyuz.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "(Ezell and Ezell 1978)" in text
    assert "## References cited above" in text and "ezell1978partnership" not in text


def test_hidden_code_starts_collapsed_in_story_notebooks(written):
    out, _ = written
    nb = nbformat.read(out / "chapters" / "apollo-soyuz.ipynb", as_version=4)
    hidden = [c for c in nb.cells if c.cell_type == "code" and "remove-input" in c.metadata.get("tags", [])]
    assert hidden and all(c.metadata["jupyter"]["source_hidden"] for c in hidden)


def test_unknown_myst_stops_with_file_cell_and_line(tmp_path):
    (tmp_path / "chapters").mkdir()
    page = tmp_path / "chapters" / "x.md"
    page.write_text(editions.JUPYTEXT_HEADER + "\n  text_representation:\n    extension: .md\n    format_name: myst\n"
                    "---\n\n# Title\n\nFirst line\n\n:::{margin}\nA side note\n:::\n", encoding="utf-8")
    with pytest.raises(editions.EditionError, match=r"chapters/x\.md, markdown cell 1, line 5: the directive "
                                                     r"\{margin\} has no plain-Markdown form"):
        editions.edition(tmp_path, Path("chapters/x.md"), "reader", set())
    assert jupytext.read(page)  # the page itself is a valid notebook: the error is the edition's


def test_cli_reports_errors_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EXHIBIT_ROOT", str(tmp_path))
    assert editions.main([str(tmp_path / "out")]) == 1
    assert "error: EXHIBIT_ROOT=" in capsys.readouterr().err
