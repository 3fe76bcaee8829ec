"""Publishing files exist, parse, and build the same way as the README."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_pages_workflow_builds_like_the_readme():
    flow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())
    steps = [s.get("run", "") for s in flow["jobs"]["build"]["steps"]]
    assert "bash scripts/build.sh" in steps
    assert "bash scripts/build.sh" in (ROOT / "README.md").read_text()
    assert "-W" in (ROOT / "scripts/build.sh").read_text()
    build = next(s for s in flow["jobs"]["build"]["steps"] if s.get("run") == "bash scripts/build.sh")
    assert build["env"]["EXHIBIT_BRANCH"] == "${{ github.event.repository.default_branch }}"


def test_binder_environment_is_repo2docker_ready():
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"
    assert not (ROOT / "environment.yml").exists()  # would replace requirements.txt
    reqs = (ROOT / "requirements.txt").read_text()
    assert "jupyterlab==4.6" in reqs and "jupytext==" in reqs
    assert (ROOT / "postBuild").stat().st_mode & 0o111  # executable, as repo2docker requires


def test_linkcheck_runs_on_a_schedule_only():
    flow = yaml.safe_load((ROOT / ".github/workflows/linkcheck.yml").read_text())
    triggers = flow[True] if True in flow else flow["on"]  # YAML reads the key `on` as True
    assert "schedule" in triggers and "push" not in triggers


def test_citation_and_contributing():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["title"] and cff["authors"] and cff["license"] == "CC-BY-4.0"
    text = (ROOT / "CONTRIBUTING.md").read_text()
    for needle in ("data/events.csv" if "data/events.csv" in text else "events.csv", "references.bib",
                   "bash scripts/test.sh", "_toc.yml", "jupytext"):
        assert needle in text, needle


def test_custom_404_page_is_built(built_site):
    page = built_site / "404.html"
    assert page.exists() and "Page not found" in page.read_text(encoding="utf-8")


def test_readme_layout_lists_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme[readme.index("## House tour"):readme.index("## Licences")]
    layers = sorted(p.parent.name for p in (ROOT / "exhibit").glob("*/__init__.py"))
    assert len(layers) == 7 and [name for name in layers if f"`exhibit/{name}/`" not in tour] == []
    for layer in layers:
        row = next(line for line in tour.splitlines() if line.startswith(f"| `exhibit/{layer}/`"))
        modules = sorted(p.name for p in (ROOT / "exhibit" / layer).glob("*.py") if not p.name.startswith("__"))
        assert [m for m in modules if f"`{m}`" not in row] == [], layer


def test_bibliography_text_the_build_does_not_decode_is_text_decoding_leaves_alone():
    """The build skips LaTeX decoding for plain text (exhibit.site.sphinxext.PLAIN_LATEX); for every field of the
    bibliography that it skips, decoding would have changed nothing."""
    import codecs

    import latexcodec  # noqa: F401
    from pybtex.database import parse_file

    from exhibit.site.sphinxext import PLAIN_LATEX

    fields = [v for e in parse_file(str(ROOT / "references.bib")).entries.values() for v in e.fields.values()]
    plain = [v for v in fields if PLAIN_LATEX.fullmatch(v)]
    assert len(plain) > len(fields) / 2
    assert [v for v in plain if codecs.decode(v, "ulatex") != v] == []
    assert not PLAIN_LATEX.fullmatch("Kubasov -- Leonov") and not PLAIN_LATEX.fullmatch("\\c{c}")
