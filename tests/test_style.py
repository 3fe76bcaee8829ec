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
