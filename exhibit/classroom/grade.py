"""Grade a class: run every submitted exercise notebook offline and write one gradebook.

    python -m exhibit.classroom.grade SUBMISSIONS_DIR --out gradebook.csv [--timeout 60]

Every ``.ipynb`` under ``SUBMISSIONS_DIR`` runs in its own Python kernel, in a child process that is killed
when the time limit (per notebook) runs out. The result of each exercise is what the exhibit's own check said
when the student's cell called it (``check.exercise_N(answer)``): the check records it in the output.

The gradebook has one row per (notebook, exercise) with the columns ``student,notebook,exercise,passed,
feedback``. ``student`` comes from the file name: the folder right under ``SUBMISSIONS_DIR`` if the notebook
sits in one (``alice/01-dates-and-clocks.ipynb``), else the part of the name before the first ``_``
(``alice_01-dates-and-clocks.ipynb``), else the whole name. A notebook that is not a valid notebook, raises,
or runs past the limit gets a row with an empty ``exercise``, ``passed=false`` and the reason; every cell still runs after an error, exercises
whose check never ran are ``passed=false``, and grading goes on with the next notebook.

**Grading runs the students' code** on this machine, with your permissions: run it in a throw-away account,
container or virtual machine if you cannot trust every submission.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from exhibit.classroom.exercises import EXERCISES, RECORD_KEY

#: seconds the child process gets beyond the notebook's limit to start and stop its kernel before it is killed
GRACE = 30
COLUMNS = ["student", "notebook", "exercise", "passed", "feedback"]


@dataclass
class Row:
    student: str
    notebook: str
    exercise: str
    passed: bool
    feedback: str

    def as_csv(self) -> list[str]:
        return [self.student, self.notebook, self.exercise, "true" if self.passed else "false", self.feedback]


def student_of(path: Path, folder: Path) -> str:
    rel = path.relative_to(folder)
    if len(rel.parts) > 1:
        return rel.parts[0]
    return path.stem.split("_", 1)[0] if "_" in path.stem else path.stem


def submissions(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run_notebook(path: Path, cwd: Path, limit: float) -> dict:
    """Execute one notebook (in this process) within ``limit`` seconds and return what its checks recorded.

    Every cell runs even after an error (like grading each exercise on its own); the kernel is shut down when
    the time is up. Returns ``{"expected": [...], "results": {exercise: [passed, feedback]}, "error": str}``.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # not JSON, not a notebook: reported, never raised
        return {"expected": [], "results": {}, "error": f"not a valid notebook: {_one_line(error, 200)}"}
    expected = _expected(path)
    error = ""
    deadline = time.monotonic() + limit
    client = NotebookClient(notebook, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(cwd)}})
    try:
        with client.setup_kernel():
            for index, cell in enumerate(notebook.cells):
                client.timeout = max(1, int(deadline - time.monotonic()))
                client.execute_cell(cell, index)
    except CellTimeoutError:
        error = f"stopped after the time limit of {limit:g} s (a cell may loop forever)"
    except DeadKernelError:
        error = "the kernel died while running the notebook"
    except Exception as failure:
        error = f"the notebook could not run: {type(failure).__name__}: {_one_line(failure, 200)}"
    results: dict[str, list] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and not error:
                error = f"the notebook raised {output.get('ename')}: {_one_line(output.get('evalue', ''), 200)}"
            record = output.get("metadata", {}).get(RECORD_KEY)
            if isinstance(record, dict) and record.get("exercise") in EXERCISES:
                results[record["exercise"]] = [bool(record.get("passed")), str(record.get("feedback", ""))]
    return {"expected": expected, "results": results, "error": error}


def grade_one(path: Path, folder: Path, timeout: float) -> list[Row]:
    """Grade one notebook in a child process (killed with its kernel after ``timeout`` seconds)."""
    student, name = student_of(path, folder), path.relative_to(folder).as_posix()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", "exhibit.classroom.grade", "--run-one", str(path), "--result", str(out),
               "--timeout", str(timeout)]
        try:
            proc = subprocess.Popen(cmd, cwd=path.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    text=True, start_new_session=True, env=_child_env())
            _, err = proc.communicate(timeout=timeout + GRACE)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            result = {"expected": _expected(path), "results": {},
                      "error": f"stopped after the time limit of {timeout:g} s (a cell may loop forever)"}
        else:
            if out.exists():
                result = json.loads(out.read_text(encoding="utf-8"))
            else:
                result = {"expected": _expected(path), "results": {},
                          "error": "the grader could not run it: " + _one_line(err.strip().splitlines()[-1]
                                                                             if err.strip() else "no output")}
    rows = []
    if result["error"]:
        rows.append(Row(student, name, "", False, result["error"]))
    done = result["results"]
    for exercise in [*result["expected"], *[e for e in done if e not in result["expected"]]]:
        if exercise in done:
            rows.append(Row(student, name, exercise, *done[exercise]))
        else:
            rows.append(Row(student, name, exercise, False, "not graded: the check for this exercise did not run"))
    return rows


def _expected(path: Path) -> list[str]:
    try:
        return list(json.loads(path.read_text(encoding="utf-8"))["metadata"]["exhibit"]["exercises"])
    except Exception:
        return []


def _child_env() -> dict:
    """The environment of a grading run: the exhibit's data found however the notebook was saved."""
    from exhibit.data import ROOT_ENV, project_root

    return {**os.environ, ROOT_ENV: str(project_root())}


def grade(folder: Path, out: Path, timeout: float = 60, echo=print) -> list[Row]:
    """Grade every notebook under ``folder``, write the gradebook to ``out``, print a summary."""
    rows: list[Row] = []
    notebooks = submissions(folder)
    for n, path in enumerate(notebooks, start=1):
        echo(f"[{n}/{len(notebooks)}] {path.relative_to(folder)}")
        rows.extend(grade_one(path, folder, timeout))
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(r.as_csv() for r in rows)
    echo(summary(rows, len(notebooks)))
    return rows


def summary(rows: list[Row], notebooks: int) -> str:
    students = sorted({r.student for r in rows})
    scores = []
    for s in students:
        graded = [r for r in rows if r.student == s and r.exercise]
        scores.append(sum(r.passed for r in graded) / len(graded) if graded else 0.0)
    failed = sorted({r.notebook for r in rows if not r.exercise})
    mean = f"{100 * sum(scores) / len(scores):.0f} %" if scores else "n/a"
    lines = [f"Graded {notebooks} notebook(s) from {len(students)} student(s); mean score {mean} of exercises passed."]
    lines.append(f"Notebooks that failed ({len(failed)}): " + (", ".join(failed) if failed else "none"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exhibit.classroom.grade",
                                     description="Run every submitted exercise notebook and write a gradebook CSV.")
    parser.add_argument("submissions", nargs="?", type=Path, help="folder holding the submitted .ipynb files")
    parser.add_argument("--out", type=Path, default=Path("gradebook.csv"), help="gradebook CSV to write")
    parser.add_argument("--timeout", type=float, default=60, help="seconds allowed per notebook (default 60)")
    parser.add_argument("--run-one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        result = run_notebook(args.run_one, args.run_one.parent, args.timeout)
        args.result.write_text(json.dumps(result), encoding="utf-8")
        return 0
    if args.submissions is None or not args.submissions.is_dir():
        parser.error(f"SUBMISSIONS_DIR must be a folder of notebooks, got {args.submissions}")
    if not submissions(args.submissions):
        parser.error(f"no .ipynb files under {args.submissions}")
    if args.timeout <= 0:
        parser.error("--timeout must be a positive number of seconds")
    grade(args.submissions, args.out, args.timeout)
    print(f"Gradebook written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
