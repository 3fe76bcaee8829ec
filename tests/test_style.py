"""The code passes the pinned linter (with its complexity limit) and the prose passes the spelling check."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("command", [["ruff", "check", "--no-cache", "."], ["codespell"]], ids=["ruff", "codespell"])
def test_tool_passes(command):
    proc = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_the_linter_would_catch_a_complex_function(tmp_path):
    """The complexity limit is live: a function with 13 branches is refused."""
    body = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(13))
    (tmp_path / "complex.py").write_text(f"def f(x):\n{body}    return -1\n", encoding="utf-8")
    proc = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"),
                           str(tmp_path / "complex.py")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "C901" in proc.stdout


def test_the_package_layers_hold():
    """import-linter's contract in pyproject.toml: each layer imports only the layers below it, no cycle."""
    proc = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and "1 kept, 0 broken" in proc.stdout, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_the_layer_check_would_catch_an_upward_import(tmp_path):
    """The contract is live: a data module importing a figure builder breaks it."""
    import shutil

    shutil.copytree(ROOT / "exhibit", tmp_path / "exhibit", ignore=shutil.ignore_patterns("assets", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    bad = tmp_path / "exhibit" / "data" / "sources.py"
    bad.write_text("from exhibit.figures import charts  # noqa\n" + bad.read_text(encoding="utf-8"), encoding="utf-8")
    proc = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1 and "exhibit.data.sources -> exhibit.figures.charts" in proc.stdout, proc.stdout


def chapter_imports() -> dict[str, set[str]]:
    """The exhibit modules each chapter's code cells import."""
    import re

    found = {}
    for page in [ROOT / "index.md", *sorted((ROOT / "chapters").rglob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, re.S)
        code = "\n".join(cells)
        found[page.relative_to(ROOT).as_posix()] = {
            *re.findall(r"^\s*from (exhibit[\w.]*) import (?=[\w ,]*$)", code, re.M),
            *(f"exhibit.{name}" for name in re.findall(r"^\s*from exhibit import (\w+)", code, re.M)),
            *re.findall(r"^\s*import (exhibit[\w.]*)", code, re.M)} - {"exhibit"}
    return found


def test_chapters_import_the_story_and_figure_layers_only():
    allowed = ("exhibit.story", "exhibit.figures")
    wrong = {page: sorted(m for m in modules if not m.startswith(allowed + (
        ("exhibit.classroom", "exhibit.data") if page.startswith("chapters/exercises/") else ())))
        for page, modules in chapter_imports().items()}
    assert {page: mods for page, mods in wrong.items() if mods} == {}
    assert sum(len(m) for m in chapter_imports().values()) > 20
