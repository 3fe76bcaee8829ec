"""The Binder user, as repo2docker sets them up, in a real JupyterLab and a real browser, offline.

A fresh virtual environment gets only what Binder installs (``requirements.txt``, then ``pip install .``);
the repository is the home folder (so its ``.jupyter`` settings apply) and ``postBuild`` runs in it. JupyterLab
starts with no network; Chromium opens the exact ``urlpath`` of the book's launch links, and every cell is run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from exhibit.site.browser import chromium_path, open_browser

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.binder, pytest.mark.build, pytest.mark.xdist_group("binder"),
              pytest.mark.skipif(chromium_path() is None, reason="no Chromium here (CI installs Debian's chromium)")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return proc


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    """(base URL, home folder) of a JupyterLab set up the way repo2docker sets up this repository."""
    work = tmp_path_factory.mktemp("binder")
    home = work / "home"
    shutil.copytree(ROOT, home, ignore=shutil.ignore_patterns("_build", ".venv", ".git", "*.egg-info", "__pycache__",
                                                              ".pytest_cache", "notebooks", "benchmarks"))
    assert (home / "runtime.txt").read_text().strip() == "python-3.11"
    assert not (home / "environment.yml").exists()  # it would take precedence over requirements.txt
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    # --no-compile: the kernels compile what they import anyway; writing .pyc for every installed file costs a minute
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile"]
    _run([*pip, "-r", "requirements.txt"], cwd=home, timeout=1500)
    _run([*pip, "."], cwd=home, timeout=600)  # repo2docker's second step: a regular, non-editable install
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXHIBIT_", "JUPYTER", "VIRTUAL_ENV", "PYTHON"))}
    env.update(HOME=str(home), PATH=f"{venv / 'bin'}:{env['PATH']}")
    site = _run([str(venv / "bin" / "python"), "-c", "import exhibit; print(exhibit.__file__)"], cwd=work, env=env)
    assert str(home) not in site.stdout  # the notebook kernels use the installed copy, not the clone
    _run(["bash", "postBuild"], cwd=home, env=env, timeout=300)
    _run([str(venv / "bin" / "python"), "-m", "exhibit.classroom.editions", "teacher", "--teacher"], cwd=home, env=env)
    port = _free_port()
    log = (work / "jupyterlab.log").open("w")
    server = subprocess.Popen(
        [str(venv / "bin" / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={home}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--allow-root",  # CI runs as root; Binder runs as an ordinary user
         "--LabApp.expose_app_in_browser=True"],  # lets the test ask JupyterLab which widget opened
        cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "api/status", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start:\n" + (work / "jupyterlab.log").read_text()[-3000:])
        yield base, home
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def launch_urlpath(built_site: Path, page: str) -> str:
    html = (built_site / page).read_text(encoding="utf-8")
    found = re.search(r'href="https://mybinder\.org/v2/gh/[^"?]+\?urlpath=([^"]+)"', html)
    assert found, f"no Binder link on {page}"
    return found.group(1)


#: the main-area widget showing `path` (the layout a previous visit left may hold other documents too)
WIDGET = """(path) => [...window.jupyterapp.shell.widgets('main')].find(w => w.context && w.context.path === path)"""

OPEN_AS = """(path) => {
  const w = (""" + WIDGET + """)(path);
  if (!w) return '';
  const kind = w.node.classList.contains('jp-NotebookPanel') ? 'notebook' : [...w.node.classList].join(' ');
  return kind + ':' + w.context.path;
}"""

STATE = """(path) => {
  const panel = (""" + WIDGET + """)(path);
  const cells = [];
  for (const cell of panel.content.widgets) {
    if (cell.model.type !== 'code') continue;
    const outputs = cell.model.outputs.toJSON();
    cells.push({count: cell.model.executionCount, errors: outputs.filter(o => o.output_type === 'error')
               .map(o => o.ename + ': ' + o.evalue), source: cell.model.sharedModel.getSource()});
  }
  return {cells, busy: panel.sessionContext.session?.kernel?.status};
}"""

DRAWN = """(path) => {
  const node = (""" + WIDGET + """)(path).node;
  const plots = [...node.querySelectorAll('.js-plotly-plot')].map(p => !!p.querySelector('svg.main-svg') &&
                 p.querySelectorAll('g.trace path, g.points path, .barlayer path').length > 0);
  const maps = [...node.querySelectorAll('iframe.exhibit-map')].map(f => !!(f.contentDocument &&
                 f.contentDocument.querySelectorAll('path.exhibit-land').length > 50));
  return {plots, maps};
}"""


def open_notebook(site, home: Path, urlpath: str):
    """Open `urlpath` as a new Binder user would (no layout left from an earlier visit); returns (visit, path)."""
    shutil.rmtree(home / ".jupyter" / "lab" / "workspaces", ignore_errors=True)
    path = urlpath.removeprefix("lab/tree/")
    visit = site.visit(urlpath)
    visit.page.wait_for_function(f"() => window.jupyterapp && ({WIDGET})({path!r})", timeout=90000)
    visit.page.wait_for_function(f"() => ({WIDGET})({path!r}).context.isReady", timeout=60000)
    return visit, path


def run_all(page, path: str, timeout_s: int = 240) -> dict:
    """Run every cell (Run → Run All Cells) and wait until each code cell has run and the kernel is idle."""
    widget = f"({WIDGET})({path!r})"
    page.wait_for_function(f"() => {widget}.sessionContext.session?.kernel", timeout=90000)
    page.evaluate(f"() => {widget}.sessionContext.ready")
    run = f"""() => {{ window.jupyterapp.shell.activateById({widget}.id);
                      return window.jupyterapp.commands.execute('notebook:run-all-cells'); }}"""
    page.evaluate(run)
    deadline, state, started = time.time() + timeout_s, {}, time.time()
    while time.time() < deadline:
        time.sleep(1)
        state = page.evaluate(STATE, path)
        if state["busy"] == "idle" and all(c["count"] is not None for c in state["cells"]):
            return state
        if state["busy"] == "idle" and all(c["count"] is None for c in state["cells"]) and time.time() - started > 10:
            page.evaluate(run)  # the command reached no notebook (it was not yet the tracker's current one)
            started = time.time()
    pytest.fail(f"not every cell ran within {timeout_s} s: {state}")


def wait_drawn(page, path: str, plots: int, maps: int) -> dict:
    """Scroll every output into view (the notebook skips rendering what is off screen) until all have drawn."""
    deadline = time.time() + 60
    state = {}
    while time.time() < deadline:
        page.evaluate(f"""() => ({WIDGET})({path!r}).node
                          .querySelectorAll('.js-plotly-plot, iframe.exhibit-map').forEach(e => e.scrollIntoView())""")
        state = page.evaluate(DRAWN, path)
        if len(state["plots"]) >= plots and len(state["maps"]) >= maps and all(state["plots"]) and all(state["maps"]):
            return state
        time.sleep(1)
    return state


def test_story_chapter_from_its_launch_link_opens_as_notebook_runs_and_draws(binder, built_site):
    base, home = binder
    urlpath = launch_urlpath(built_site, "chapters/apollo-soyuz.html")
    assert urlpath == "lab/tree/notebooks/chapters/apollo-soyuz.ipynb"
    assert (home / urlpath.removeprefix("lab/tree/")).exists()  # written by postBuild
    with open_browser(base) as site:
        visit, path = open_notebook(site, home, urlpath)
        assert visit.page.evaluate(OPEN_AS, path) == "notebook:" + path
        state = run_all(visit.page, path)
        assert state["cells"] and all(c["errors"] == [] for c in state["cells"]), state
        drawn = wait_drawn(visit.page, path, plots=1, maps=1)
        assert drawn["plots"] and all(drawn["plots"]) and drawn["maps"] and all(drawn["maps"]), drawn
        assert visit.blocked == [] and site.context.blocked == []


def test_student_exercise_notebook_has_no_solutions_and_runs(binder, built_site):
    from test_editions import solution_sources

    base, home = binder
    urlpath = launch_urlpath(built_site, "chapters/exercises/02-places-and-maps.html")
    assert urlpath == "lab/tree/notebooks/chapters/exercises/02-places-and-maps.ipynb"
    on_disk = nbformat.read(home / urlpath.removeprefix("lab/tree/"), as_version=4)
    solutions = solution_sources(Path("chapters/exercises/02-places-and-maps.md"))
    assert not any(c.source.strip() in solutions for c in on_disk.cells)
    with open_browser(base) as site:
        visit, path = open_notebook(site, home, urlpath)
        assert visit.page.evaluate(OPEN_AS, path) == "notebook:" + path
        state = run_all(visit.page, path)
        sources = [c["source"].strip() for c in state["cells"]]
        assert not any(s in solutions for s in sources)
        assert all(c["errors"] == [] for c in state["cells"]), state
        text = visit.page.evaluate(f"() => ({WIDGET})({path!r}).node.innerText")
        assert text.count("Not yet") == 4  # every check answers the untouched starter cell


def test_teacher_edition_shows_the_students_map_and_figure_after_the_checks(binder):
    base, home = binder
    with open_browser(base) as site:
        visit, path = open_notebook(site, home, "lab/tree/teacher/chapters/exercises/02-places-and-maps-teacher.ipynb")
        state = run_all(visit.page, path)
        assert all(c["errors"] == [] for c in state["cells"]), state
        drawn = wait_drawn(visit.page, path, plots=1, maps=1)
        assert drawn["maps"] and all(drawn["maps"]) and drawn["plots"] and all(drawn["plots"]), drawn
        text = visit.page.evaluate(f"() => ({WIDGET})({path!r}).node.innerText")
        assert "There is a marker on Torgau" in text and "One theme" in text


def test_a_chapter_md_opens_as_a_notebook_not_in_the_text_editor(binder):
    base, home = binder
    overrides = json.loads((home / ".jupyter" / "labconfig" / "default_setting_overrides.json").read_text())
    assert overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]["markdown"] == "Jupytext Notebook"
    with open_browser(base) as site:
        visit, path = open_notebook(site, home, "lab/tree/chapters/rivals.md")
        assert visit.page.evaluate(OPEN_AS, path) == "notebook:chapters/rivals.md"


def generated_notebooks() -> list[str]:
    """Every notebook postBuild writes (one per executable page), as paths under ``notebooks/``."""
    from exhibit.classroom import editions

    return sorted(page.with_suffix(".ipynb").as_posix() for page in editions.notebook_pages(ROOT))


def expected_figures(built_site: Path, page: str) -> tuple[int, int]:
    """(charts, maps) the book's page shows; the notebook must draw as many (the replay's map is book-only). An
    exercise's notebook is the student edition: its figures come from the pupil's own code (the teacher edition's
    are checked by test_teacher_edition_shows_the_students_map_and_figure_after_the_checks)."""
    from exhibit.classroom import editions

    if editions.has_solutions(ROOT / page.replace(".ipynb", ".md")):
        return 0, 0
    html = (built_site / page.replace(".ipynb", ".html")).read_text(encoding="utf-8")
    return html.count("data-exhibit-plot-spec="), html.count('class="exhibit-map"')


def test_every_generated_notebook_runs_all_and_draws_every_figure(binder, built_site):
    """Run All in JupyterLab, notebook after notebook in one browser, as a Binder user would; then every chart and
    map of the page is drawn. The time each takes is measured by the benchmark (benchmarks/build.py), not asserted
    here; the test prints it."""
    base, home = binder
    problems, times = [], []
    with open_browser(base) as site:
        for notebook in generated_notebooks():
            plots, maps = expected_figures(built_site, notebook)
            visit, path = open_notebook(site, home, f"lab/tree/notebooks/{notebook}")
            started = time.time()
            state = run_all(visit.page, path, timeout_s=180)
            times.append(f"{notebook}: Run All {time.time() - started:.1f} s, {plots} charts, {maps} maps")
            errors = [c["errors"] for c in state["cells"] if c["errors"]]
            drawn = wait_drawn(visit.page, path, plots=plots, maps=maps)
            if errors or len(drawn["plots"]) < plots or not all(drawn["plots"]) or len(drawn["maps"]) < maps \
                    or not all(drawn["maps"]) or visit.blocked:
                problems.append((notebook, errors, drawn, visit.blocked))
            # end the notebook's kernel, as closing its tab with "shut down" would (15 kernels otherwise pile up)
            visit.page.evaluate(f"() => ({WIDGET})({path!r}).sessionContext.shutdown()")
            visit.page.close()
        assert site.context.blocked == []
    print("\n" + "\n".join(times))
    assert problems == []
