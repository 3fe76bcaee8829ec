"""A contributor's mistake in a CSV stops the build within seconds, and the problem is the last thing printed."""

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, book_env

pytestmark = [pytest.mark.build]


def test_a_broken_csv_stops_the_build_with_the_problem_as_its_last_lines(tmp_path):
    work = tmp_path / "src"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns("_build", ".venv", ".git", "*.egg-info",
                                                              "__pycache__", ".pytest_cache"))
    events = work / "data" / "events.csv"
    lines = events.read_text(encoding="utf-8").split("\n")
    first = lines[1].split(",")
    first[1] = "1957-13-04"
    lines[1] = ",".join(first)
    events.write_text("\n".join(lines), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "exhibit.site.build", str(work), "-W", "-n", "--keep-going"], capture_output=True,
                          text=True, env=book_env(work), timeout=600)
    assert proc.returncode != 0
    out = (proc.stdout + proc.stderr).strip().splitlines()
    assert out[-2].strip().startswith("events.csv:2:start: not a valid date"), out[-6:]
    assert "python -m exhibit.data" in out[-1]
    assert not any("Traceback" in line for line in out)
    assert not (work / "_build" / "jupyter_execute").exists()  # stopped before any notebook ran
