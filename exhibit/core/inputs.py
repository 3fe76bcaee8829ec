"""What a chapter's computation read, written into the chapter's own output, so that the book re-runs a
chapter only when something it read has changed.

Jupyter Book keeps a chapter's executed outputs keyed on its code cells alone. Here, while a chapter runs, the
data loader names the files it reads (:func:`record`) and, after every cell whose reading grew, the kernel
displays a small record (:data:`INPUTS_MIME`): each file it read and each module of the exhibit it ran, with a
hash of its bytes. Readers never see it (JupyterLab has no renderer for it and the book's renderer writes
nothing). At the next build the Sphinx extension compares each stored record with the files as they are
(:func:`changed`) and drops just the outputs of the chapters whose inputs changed.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from exhibit.core.assets import ASSETS, PACKAGE, TEMPLATES

INPUTS_MIME = "application/vnd.exhibit.inputs+json"

_files: set[Path] = set()
#: (table file, row id): a chapter that looked up single rows depends on those rows only
_rows: set[tuple[Path, str]] = set()
_last: dict[str, str] = {}
_started = False


def record(*paths: Path) -> None:
    """Note files the running chapter read (data tables, the bibliography)."""
    _files.update(Path(p).resolve() for p in paths)
    start()


def record_row(path: Path, row_id: str) -> None:
    """Note one row (by its ``id``) of a table the running chapter looked up, rather than the whole table."""
    _rows.add((Path(path).resolve(), str(row_id)))
    start()


def row_digest(path: Path, row_id: str) -> str:
    """A hash of one row of a CSV table (its cells as read), or of nothing when the row is gone."""
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        found = next((row for row in csv.DictReader(handle) if row.get("id") == row_id), None)
    return hashlib.sha256(repr(sorted(found.items())).encode() if found else b"").hexdigest()[:24]


def digest(path: Path) -> str:
    """A hash of a file, or of every file under a folder (names and bytes)."""
    sha = hashlib.sha256()
    for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
        if file.is_file() and "__pycache__" not in file.parts:
            sha.update(file.relative_to(path).as_posix().encode() if path.is_dir() else b"")
            sha.update(file.read_bytes())
    return sha.hexdigest()[:24]


def _modules() -> set[Path]:
    """The exhibit's own modules loaded in this process, and the templates and assets they draw with."""
    found = {Path(m.__file__).resolve() for name, m in list(sys.modules.items())
             if (name == "exhibit" or name.startswith("exhibit.")) and getattr(m, "__file__", None)}
    return found | {TEMPLATES, ASSETS}


def snapshot() -> dict[str, str]:
    """Every input read so far, as ``{path: hash}``, paths relative to the package's parent folder when inside it."""
    base = PACKAGE.parent

    def name(p: Path) -> str:
        return p.relative_to(base).as_posix() if p.is_relative_to(base) else str(p)

    files = {name(p): digest(p) for p in sorted(_files | _modules()) if p.exists()}
    rows = {f"{name(p)}#{row_id}": row_digest(p, row_id) for p, row_id in sorted(_rows) if p not in _files}
    return {**files, **rows}


def changed(stored: dict[str, str], base: Path | None = None) -> list[str]:
    """The inputs of a stored record whose files are gone or differ now."""
    base = base or PACKAGE.parent
    out = []
    for name, value in stored.items():
        file, _, row_id = name.partition("#")
        path = base / file
        if not path.exists() or (row_digest(path, row_id) if row_id else digest(path)) != value:
            out.append(name)
    return out


def _after_cell(result=None) -> None:
    global _last
    current = snapshot()
    if current != _last:
        from IPython.display import display

        display({INPUTS_MIME: current}, raw=True)
        _last = current


def start() -> None:
    """In a Jupyter kernel, emit the record after each cell (once registered; outside a kernel, nothing)."""
    global _started
    if _started:
        return
    _started = True
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and getattr(shell, "kernel", None) is not None:
        shell.events.register("post_run_cell", _after_cell)
