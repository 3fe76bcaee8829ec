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
    """The whole book built once per test run, clean, with warnings as errors (as in README). With pytest-xdist
    the workers share one build: the first to arrive builds it, the others wait on a lock and reuse it."""
    if os.environ.get("EXHIBIT_SITE"):
        return Path(os.environ["EXHIBIT_SITE"])
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp()
    shared = shared.parent if os.environ.get("PYTEST_XDIST_WORKER") else shared
    work = shared / "book" / "src"
    with FileLock(str(shared / "book.lock")):
        log_file = work / "_build" / "build.log"
        if not log_file.exists():
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns("_build", ".venv", ".git", "*.egg-info",
                                                                      "__pycache__", ".pytest_cache"))
            proc = subprocess.run([sys.executable, "-m", "exhibit.site.build", str(work), "-W", "-n", "--keep-going"],
                                  capture_output=True, text=True, env=book_env(work), timeout=1800)
            log = proc.stdout + proc.stderr
            log_file.parent.mkdir(parents=True, exist_ok=True)
            log_file.write_text(log + f"\nexit status {proc.returncode}\n")
        log = log_file.read_text()
    if "exit status 0" not in log or "build succeeded" not in log:
        pytest.fail("book build failed:\n" + log[-6000:])
    return work / "_build" / "html"


def pytest_collection_modifyitems(items):
    """Every test that needs the built book is a ``build`` test, so ``-m "not build"`` never builds it."""
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.build)
