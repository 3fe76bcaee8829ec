"""Measure what a rebuild and a reader's notebook cost on this machine; write the "Build, rebuild and notebooks"
section of benchmarks/RESULTS.md and benchmarks/build.json.

    .venv/bin/python benchmarks/build.py [--suite]

On a copy of the repository (no ``_build``): a clean build (pages read on both cores) and, for comparison, one
page at a time; a rebuild with nothing changed; a rebuild after editing one chapter's text; rebuilds after
editing one data row (a quotation, then an event), listing the pages whose notebooks ran again; then every
notebook Binder would open (``notebooks/``, from ``python -m exhibit.classroom.editions``) executed top to bottom
in a fresh kernel, with the result cache as Binder's ``postBuild`` leaves it. ``--suite`` also times the fast
test suite and the full one (``bash scripts/test.sh`` runs the latter).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Build, rebuild and notebooks"
TARGETS = {"clean_build_s": 60, "nochange_rebuild_s": 5, "chapter_edit_rebuild_s": 15, "notebook_s": 30,
           "fast_suite_s": 60, "full_suite_s": 480}


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{cmd} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout + proc.stderr


def build(src: Path, jobs: str = "") -> tuple[float, list[str]]:
    """Seconds, and the pages whose notebooks were executed."""
    elapsed, log = timed([sys.executable, "-m", "exhibit.site.build", *(["--jobs", jobs] if jobs else []), str(src),
                          "-W", "-n", "--keep-going"], src, {"PYTHONPATH": str(src)})
    ran = sorted({Path(m).relative_to(src).as_posix() for m in
                  re.findall(r"(\S+\.md): Executed notebook", log)})
    return elapsed, ran


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def notebook_times(src: Path) -> dict[str, float]:
    """Each generated notebook executed top to bottom in a fresh kernel (nbclient), as Run All does."""
    import nbformat
    from nbclient import NotebookClient

    env = {"PYTHONPATH": str(src)}
    timed([sys.executable, "-m", "exhibit.classroom.editions", "notebooks"], src, env)
    timed([sys.executable, "-m", "exhibit.story.warm"], src, env)  # what Binder's postBuild does
    times = {}
    os.environ["PYTHONPATH"] = str(src)
    for path in sorted((src / "notebooks").rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(path.parent)}}
                       ).execute()
        times[path.relative_to(src / "notebooks").as_posix()] = round(time.perf_counter() - start, 1)
    return times


def suite_times() -> dict[str, float]:
    fast, _ = timed([sys.executable, "-m", "pytest", "-q", "-m", "not build", "-p", "no:cacheprovider"], ROOT)
    full, _ = timed(["bash", "scripts/test.sh", "-q", "-p", "no:cacheprovider"], ROOT)
    return {"fast_suite_s": round(fast, 1), "full_suite_s": round(full, 1)}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns("_build", ".venv", ".git", "*.egg-info", "notebooks",
                                                             "__pycache__", ".pytest_cache", "benchmarks"))
    serial, _ = build(src, jobs="1")
    shutil.rmtree(src / "_build")
    clean, ran_clean = build(src)
    nochange, ran_nochange = build(src)
    edit(src / "chapters" / "strain.md", "\n## ", "\nA sentence added by the benchmark.\n\n## ")
    chapter, ran_chapter = build(src)
    edit(src / "data" / "voices.csv", "It is my sincere desire", "It is my sincere wish")  # Kennedy, in Rivals
    quote, ran_quote = build(src)
    edit(src / "data" / "events.csv", "Alan Shepard becomes the first American in space",
         "Alan Shepard becomes the first US astronaut in space")
    event, ran_event = build(src)
    notebooks = notebook_times(src)
    results = {
        "date": str(date.today()), "cpus": os.cpu_count(), "python": platform.python_version(),
        "clean_build_s": round(clean, 1), "clean_build_serial_s": round(serial, 1),
        "nochange_rebuild_s": round(nochange, 1), "chapter_edit_rebuild_s": round(chapter, 1),
        "quote_edit_rebuild_s": round(quote, 1), "event_edit_rebuild_s": round(event, 1),
        "executed": {"clean": len(ran_clean), "nochange": ran_nochange, "chapter_edit": ran_chapter,
                     "quote_edit": ran_quote, "event_edit": ran_event},
        "notebook_s": notebooks,
    }
    if "--suite" in sys.argv:
        results.update(suite_times())
    (ROOT / "benchmarks" / "build.json").write_text(json.dumps(results, indent=1) + "\n")
    write_section(results)
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=1))


def write_section(r: dict) -> None:
    def row(label, value, target=None):
        met = "" if target is None else ("yes" if value <= target else "NO")
        return f"| {label} | {value} s | {'' if target is None else f'<= {target} s'} | {met} |"

    slowest = max(r["notebook_s"], key=r["notebook_s"].get)
    ex = r["executed"]
    lines = [
        SECTION, "",
        f"Measured {r['date']} by `benchmarks/build.py` on this project's machine ({r['cpus']} cores, Python "
        f"{r['python']}), on a copy of the repository with no `_build/`. Raw numbers: `build.json`.", "",
        "| measure | result | target | met? |", "| --- | --- | --- | --- |",
        row("clean build (pages read on both cores)", r["clean_build_s"], TARGETS["clean_build_s"]),
        row("clean build, one page at a time (`--jobs 1`)", r["clean_build_serial_s"]),
        row("rebuild, nothing changed", r["nochange_rebuild_s"], TARGETS["nochange_rebuild_s"]),
        row("rebuild after editing one chapter's text", r["chapter_edit_rebuild_s"], TARGETS["chapter_edit_rebuild_s"]),
        row("rebuild after editing one quotation (a `voices.csv` row)", r["quote_edit_rebuild_s"]),
        row("rebuild after editing one event (an `events.csv` row)", r["event_edit_rebuild_s"]),
        row(f"slowest notebook, Run All in a fresh kernel ({slowest})", r["notebook_s"][slowest], TARGETS["notebook_s"]),
    ]
    if "fast_suite_s" in r:
        lines += [row("fast test suite (`-m 'not build'`)", r["fast_suite_s"], TARGETS["fast_suite_s"]),
                  row("full test suite (`bash scripts/test.sh`)", r["full_suite_s"], TARGETS["full_suite_s"])]
    lines += ["", f"Notebooks executed: clean build {ex['clean']}; nothing changed: {len(ex['nochange'])}; "
              f"chapter text edited: {len(ex['chapter_edit'])}; one quotation edited: "
              f"{', '.join(ex['quote_edit']) or 'none'}; one event edited: {len(ex['event_edit'])} "
              f"({', '.join(ex['event_edit'])}).", "",
              "| notebook (Binder's `notebooks/`) | Run All |", "| --- | --- |",
              *(f"| {name} | {secs} s |" for name, secs in r["notebook_s"].items()), ""]
    path = ROOT / "benchmarks" / "RESULTS.md"
    text = path.read_text(encoding="utf-8")
    start = text.find(SECTION)
    if start >= 0:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + "\n".join(lines) + (text[end:] if end >= 0 else "\n")
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
