"""Results computed once per distinct inputs, kept under ``_build/.exhibit-cache/`` (:func:`context.cache_dir`).

``cached("orbit-ensemble", inputs, compute)`` returns what ``compute()`` returned the last time it ran with the
same inputs, or runs it and keeps the result. The key is a hash of the inputs (data rows, parameters) and of the
code that computes (the source files named in ``code``, and the package versions named in ``packages``), so a
changed row, parameter or function redoes only the results that depend on it, and an unchanged one costs a read.
A cache that cannot be written (a read-only clone) only costs the computation.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import pandas as pd

from exhibit.core.context import cache_dir

T = TypeVar("T")


def fingerprint(value: object) -> bytes:
    """Stable bytes for a cache key: DataFrames by their content (index, columns, values), files by their bytes,
    everything else by its ``repr``."""
    if isinstance(value, pd.DataFrame):
        cells = pd.util.hash_pandas_object(value.astype(str), index=True).to_numpy().tobytes()
        return repr(list(value.columns)).encode() + cells
    if isinstance(value, Path):
        return value.name.encode() + value.read_bytes()
    if isinstance(value, (list, tuple)):
        return b"[" + b",".join(fingerprint(v) for v in value) + b"]"
    if isinstance(value, dict):
        return b"{" + b",".join(fingerprint(k) + b":" + fingerprint(v) for k, v in sorted(value.items())) + b"}"
    return repr(value).encode()


def key(name: str, inputs: object, code: tuple[Path, ...] = (), packages: tuple[str, ...] = ()) -> str:
    digest = hashlib.sha256(name.encode())
    digest.update(fingerprint(inputs))
    for path in code:
        digest.update(fingerprint(Path(path)))
    for package in packages:
        digest.update(f"{package}=={metadata.version(package)}".encode())
    return digest.hexdigest()[:32]


def cached(name: str, inputs: object, compute: Callable[[], T], code: tuple[Path, ...] = (),
           packages: tuple[str, ...] = (), suffix: str = ".pickle") -> T:
    """``compute()``, or its kept result for the same inputs, code and package versions (see the module)."""
    path = cache_dir() / name / (key(name, inputs, code, packages) + suffix)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8") if suffix == ".svg" else pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError):
            pass  # a torn or foreign file: compute again and replace it
    result = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f"{path.suffix}.{os.getpid()}.tmp")
        if suffix == ".svg":
            temporary.write_text(result, encoding="utf-8")
        else:
            temporary.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(path)
    except OSError:
        pass
    return result
