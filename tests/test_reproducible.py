"""Two clean builds give the same HTML, and a build with the network unreachable succeeds."""

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import book_env

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.build]
UNREACHABLE = "http://127.0.0.1:9"  # the discard port on loopback: every proxied request fails at once


def test_second_clean_build_without_network_is_identical(built_site, tmp_path):
    work = tmp_path / "src"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns("_build", ".venv", ".git", "*.egg-info",
                                                              "__pycache__", ".pytest_cache"))
    # the first build read pages in parallel; this one reads them one at a time, and must write the same pages
    env = {**book_env(work), "no_proxy": "", "NO_PROXY": ""}
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        env[var] = UNREACHABLE
    proc = subprocess.run([sys.executable, "-m", "exhibit.site.build", "--jobs", "1", str(work), "-W", "-n", "--keep-going"], capture_output=True,
                          text=True, env=env, timeout=1800)
    assert proc.returncode == 0 and "build succeeded" in proc.stdout, (proc.stdout + proc.stderr)[-4000:]
    second = work / "_build" / "html"
    first_pages = sorted(p.relative_to(built_site) for p in built_site.rglob("*.html"))
    assert first_pages == sorted(p.relative_to(second) for p in second.rglob("*.html"))
    different = [str(p) for p in first_pages if not filecmp.cmp(built_site / p, second / p, shallow=False)]
    assert different == [], different
    for name in ("space-alliance-data.zip", "land.js"):
        assert filecmp.cmp(built_site / "_static/exhibit" / name, second / "_static/exhibit" / name, shallow=False)
