import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAUNCH_REPOSITORY = "someone/somerepo"


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/ and references.bib; returns (data_dir, bib, edit) where edit(file, fn)
    rewrites one CSV's text."""
    data_dir = tmp_path / "data"
    shutil.copytree(ROOT / "data", data_dir)
    bib = tmp_path / "references.bib"
    shutil.copyfile(ROOT / "references.bib", bib)

    def edit(name, change):
        path = data_dir / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return data_dir, bib, edit


def book_env(work: Path) -> dict:
    """The environment of a test build: a repository as the Pages workflow has it, so every executable page
    carries its launch buttons, whatever the machine's own git remote or variables say."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXHIBIT_", "GITHUB_"))}
    env.update(PYTHONPATH=str(work), GITHUB_REPOSITORY=LAUNCH_REPOSITORY)
    return env


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The whole book built once per test session, clean, with warnings as errors (as in README)."""
    if os.environ.get("EXHIBIT_SITE"):
        return Path(os.environ["EXHIBIT_SITE"])
    out = tmp_path_factory.mktemp("book")
    work = out / "src"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns("_build", ".venv", ".git", "*.egg-info",
                                                              "__pycache__", ".pytest_cache"))
    env = book_env(work)
    proc = subprocess.run([sys.executable, "-m", "exhibit.site.build", str(work), "-W", "-n", "--keep-going"], capture_output=True,
                          text=True, env=env, timeout=1800)
    log = proc.stdout + proc.stderr
    (work / "_build" / "build.log").write_text(log)
    if proc.returncode != 0 or "build succeeded" not in log:
        pytest.fail("book build failed:\n" + log[-6000:])
    return work / "_build" / "html"


def pytest_collection_modifyitems(items):
    """Every test that needs the built book is a ``build`` test, so ``-m "not build"`` never builds it."""
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.build)
