"""The build context: the one module that says where the book is and where computed results go.

Everything a kernel, the Sphinx extension or a command needs to find is derived here, from the files
themselves, never from state the build leaves in the environment:

* the **project root**, the folder holding ``data/`` and ``references.bib``: the folder named by the reader's own
  setting ``$EXHIBIT_ROOT`` (for a notebook saved outside the clone), else the folder the package sits in (a clone
  or an editable install), else the working directory or a folder above it (a regular ``pip install .``, as
  Binder runs it, with the notebook opened inside the clone);
* the **cache** of expensive results, ``<root>/_build/.exhibit-cache/`` (:mod:`exhibit.core.cache`), shared by the
  book's build and a reader's notebook in the same clone, keyed on the hash of each result's inputs.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: a reader's setting (documented in the README), not build state: where the clone is when a notebook is elsewhere
ROOT_ENV = "EXHIBIT_ROOT"
CACHE_SUBDIR = Path("_build") / ".exhibit-cache"


class RootNotFound(RuntimeError):
    """The repository (``data/`` and ``references.bib``) could not be found; the message says how to fix it."""

    def _render_traceback_(self) -> list[str]:  # IPython: show the message, not a traceback wall
        return [f"RootNotFound: {self}"]


def _is_root(folder: Path) -> bool:
    return (folder / "data" / "datapackage.json").is_file() and (folder / "references.bib").is_file()


def project_root() -> Path:
    """The folder holding ``data/`` and ``references.bib`` (see the module's docstring for the order)."""
    named = os.environ.get(ROOT_ENV)
    if named:
        if _is_root(Path(named)):
            return Path(named).resolve()
        raise RootNotFound(f"{ROOT_ENV}={named} has no data/datapackage.json and references.bib.")
    for folder in (PACKAGE_DIR.parent, *(Path.cwd().resolve(), *Path.cwd().resolve().parents)):
        if _is_root(folder):
            return folder
    raise RootNotFound(
        "The exhibit's data (data/datapackage.json and references.bib) is neither beside the installed package "
        f"nor in {Path.cwd()} or a folder above it. Open the notebook inside a clone of the repository, or set "
        f"{ROOT_ENV} to the clone's folder.")


def data_dir() -> Path:
    return project_root() / "data"


def bib_file() -> Path:
    return project_root() / "references.bib"


def cache_dir() -> Path:
    """Where expensive results are kept between builds (under ``_build/``, so ``rm -rf _build`` clears it)."""
    return project_root() / CACHE_SUBDIR


def static_prefix(page_dir: Path | None = None) -> str:
    """Relative URL from a page to the site's ``_static/exhibit/``.

    A chapter runs with its own folder as working directory (myst-nb, JupyterLab), and Jupyter Book writes the
    page at the same relative place in the site as the source sits in the book, so the path from the working
    folder to the project root is the path from the page to the site root.
    """
    from exhibit.core.assets import STATIC_SUBDIR

    rel = os.path.relpath(project_root(), (page_dir or Path.cwd()).resolve()).replace(os.sep, "/")
    return ("" if rel == "." else rel + "/") + f"_static/{STATIC_SUBDIR}/"
