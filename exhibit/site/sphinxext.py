"""Sphinx extension used by the book's ``_config.yml``.

* turns the chapters' own output into the page's HTML, drawing the charts ahead of time (:mod:`.mime`, a
  myst-nb plugin registered in ``pyproject.toml``; :mod:`.drawing`);
* stages plotly.js, Leaflet, jQuery, the land outline, the exhibit's CSS/JS, the data ZIP and the teacher
  editions as static files (``html_static_path``), served from ``_static/exhibit/`` (nothing is fetched,
  nothing built is committed);
* serves plotly.js beside ``exhibit.js``, which fetches it only when a reader reaches for a chart (charts arrive
  drawn, see :mod:`exhibit.figures.present`);
* overrides two theme components (``exhibit/theme/``, through ``templates_path``) and mixes an
  accessible bibliography markup into the HTML translator;
* fills in the repository (for launch buttons) from the environment or git, and points every launch button
  and download at the generated plain notebooks (student editions for exercises), never at a solution.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import nbformat
from sphinx.errors import ExtensionError

from exhibit import data
from exhibit.classroom import editions
from exhibit.core import assets, inputs
from exhibit.core.assets import STATIC_SUBDIR
from exhibit.data import DATA_ZIP, write_data_zip
from exhibit.site import drawing, mime, stylesheet

CSS = assets.ASSETS / "exhibit.css"
JS = assets.ASSETS / "exhibit.js"
#: the replay page's script, staged beside exhibit.js and loaded (deferred) only by that page
REPLAY_JS = assets.ASSETS / "replay.js"


PACKAGE = assets.PACKAGE


def recorded_inputs(notebook) -> dict[str, str] | None:
    """The last inputs record a chapter's kernel wrote (:mod:`exhibit.core.inputs`), or None for a chapter that
    does not use the exhibit's package."""
    found = None
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            found = output.get("data", {}).get(inputs.INPUTS_MIME, found)
    return found


_GITHUB = re.compile(r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)"
                     r"(?P<slug>[\w.-]+/[\w.-]+?)(?:\.git)?/?$")


def _git(*args: str, cwd: Path) -> str:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def repository(environ: dict, srcdir: Path) -> tuple[str, str] | None:
    """(repository URL, branch) for launch buttons, or None when the repository is unknown.

    From, in order: ``EXHIBIT_REPOSITORY`` (``owner/name`` or a GitHub URL) or, in GitHub Actions,
    ``GITHUB_SERVER_URL``/``GITHUB_REPOSITORY``; else ``git remote get-url origin`` when it is a GitHub URL.
    The branch: ``EXHIBIT_BRANCH`` (the Pages workflow passes the default branch; ``GITHUB_REF_NAME`` would be
    ``N/merge`` on pull requests), else origin's default branch, else the checked-out branch, else ``main``.
    """
    named = environ.get("EXHIBIT_REPOSITORY") or ""
    server = environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    url = ""
    if named:
        found = _GITHUB.match(named)
        url = f"https://github.com/{found['slug']}" if found else f"https://github.com/{named.strip('/')}"
    elif environ.get("GITHUB_REPOSITORY"):
        url = f"{server}/{environ['GITHUB_REPOSITORY']}"
    else:
        found = _GITHUB.match(_git("remote", "get-url", "origin", cwd=srcdir))
        url = f"https://github.com/{found['slug']}" if found else ""
    if not url:
        return None
    branch = (environ.get("EXHIBIT_BRANCH")
              or _git("symbolic-ref", "--short", "refs/remotes/origin/HEAD", cwd=srcdir).removeprefix("origin/")
              or _git("branch", "--show-current", cwd=srcdir) or "main")
    return url, branch


def _config_inited(app, config) -> None:
    """Repository and launch buttons, set here only: shown when the repository is known, absent otherwise."""
    options = dict(config.html_theme_options or {})
    found = repository(dict(os.environ), Path(app.srcdir))
    launch = dict(options.get("launch_buttons") or {})
    if found:
        options.update(repository_url=found[0], repository_branch=found[1], path_to_docs="",
                       use_repository_button=True)
    else:
        launch["binderhub_url"] = ""
    options["launch_buttons"] = launch
    config.html_theme_options = options


def _notebook_url(url: str, pagename: str) -> str:
    """A launch link opening the page's generated notebook (``notebooks/<page>.ipynb``, made by postBuild)."""
    return re.sub(r"urlpath=(lab/tree|tree)/[^&#]*", lambda m: f"urlpath={m.group(1)}/"
                  f"{editions.OUT_DIR}/{pagename}.ipynb", url)


def _retarget_buttons(buttons: list, pagename: str) -> list:
    """Launch links to the generated notebook; no download of the raw MyST source (it holds the solutions)."""
    kept = []
    for button in buttons:
        if isinstance(button, dict) and isinstance(button.get("buttons"), list):
            button = {**button, "buttons": _retarget_buttons(button["buttons"], pagename)}
        elif isinstance(button, dict) and "urlpath=" in str(button.get("url", "")):
            button = {**button, "url": _notebook_url(button["url"], pagename)}
        elif isinstance(button, dict) and str(button.get("url", "")).endswith(".md"):
            continue
        kept.append(button)
    return kept


def _check_data(app) -> None:
    """Validate the data package once, before any notebook runs (and check that Chromium is there to draw the
    charts).

    On a problem the build stops here, within seconds and with exit status 1, and its last lines are the list of
    problems (``file:row:column: rule (value)``) and how to check again: no traceback, and none of the notebook
    failures that would follow. ``SystemExit`` is used because Sphinx and Jupyter Book report any exception
    with a traceback or a generic closing message of their own.
    """
    srcdir = Path(app.srcdir)
    try:
        data.load(srcdir / "data", srcdir / "references.bib")
    except (data.DataError, data.BibliographyError) as err:
        print(f"\n{err}", file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    if not drawing.static_browser():
        print("\nThe book's charts are drawn while it is built, by plotly.js in a headless Chromium, and none was "
              "found.\nInstall it (Debian/Ubuntu: apt-get install chromium) or set BROWSER_PATH to a Chrome or "
              "Chromium, then build again.", file=sys.stderr, flush=True)
        raise SystemExit(1)


def _drop_stale_outputs(app) -> None:
    """Keep each chapter's executed outputs until something it read changes.

    Jupyter Book keeps executed notebooks keyed on their code cells alone. Each chapter's kernel also recorded
    the files it read and the exhibit modules it ran, with their hashes (:mod:`exhibit.core.inputs`); here the
    outputs of exactly the chapters whose inputs changed are dropped, so those, and only those, run again. When
    the site's own code changed, every page is read again from its kept outputs (nothing is executed for it).
    """
    srcdir = Path(app.srcdir)
    cache_path = Path(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    app.exhibit_stale = set()
    if app.config.nb_execution_mode == "cache":
        from jupyter_cache import get_cache

        # opened here, in the main process, so its database exists before pages are read in parallel (two
        # readers creating it at once collide: "table settings already exists")
        cache = get_cache(str(cache_path))
        for record in cache.list_cache_records():
            stored = recorded_inputs(cache.get_cache_bundle(record.pk).nb)
            if stored is not None and inputs.changed(stored, PACKAGE.parent):
                cache.remove_cache(record.pk)
                uri = Path(record.uri)
                if uri.is_relative_to(srcdir):
                    app.exhibit_stale.add(uri.relative_to(srcdir).with_suffix("").as_posix())
    stamp = cache_path.parent / "exhibit-site-fingerprint.txt"
    current = inputs.digest(Path(__file__).resolve().parent)  # the site's own code
    app.exhibit_reread_all = not stamp.is_file() or stamp.read_text() != current
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)


def _outdated(app, env, added, changed, removed):
    """Pages to read again besides those Sphinx found changed: chapters whose inputs changed, or every page when
    the site's code changed (see :func:`_drop_stale_outputs`)."""
    already = set(added) | set(changed)
    wanted = set(env.found_docs) if getattr(app, "exhibit_reread_all", False) else getattr(app, "exhibit_stale", set())
    return sorted(d for d in wanted if d in env.found_docs and d not in already)


THEME_TEMPLATES = Path(__file__).resolve().parent / "theme"


class CitationMarkup:
    """docutils wraps a bibliography in ``role="list"`` whose children are ``role="doc-biblioentry"`` blocks, which
    is not a valid list (axe-core "aria-required-children", critical); plain blocks read correctly."""

    def visit_citation(self, node):
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append(self.starttag({}, "div", CLASS="citation-list"))
        self.body.append(self.starttag(node, "div", classes=[node.tagname]))


def _use_citation_markup(app) -> None:
    """Mix :class:`CitationMarkup` into whatever HTML translator is registered (after the theme's own mixin)."""
    if app.builder.format != "html":
        return
    translators = dict(app.registry.translators) or {app.builder.name: app.builder.default_translator_class}
    for name, klass in translators.items():
        app.set_translator(name, type("ExhibitHTMLTranslator", (CitationMarkup, klass), {}), override=True)


TEACHER_DIR = "editions"


def _stage_static_files(app) -> None:
    """Put the site's own assets where Sphinx copies static files from (``html_static_path``).

    All under ``_static/exhibit/``: plotly.js, Leaflet, jQuery, the land outline, the exhibit's CSS and
    JavaScript, the data package as a ZIP, and the teacher editions (with solutions) of the exercise pages.
    """
    if app.builder.format != "html":
        return
    staging = Path(app.outdir).parent / "exhibit-static"
    target = staging / STATIC_SUBDIR
    shutil.rmtree(staging, ignore_errors=True)
    (target / TEACHER_DIR).mkdir(parents=True)
    for name, source in assets.static_files().items():
        if name == "land.js":
            (target / name).write_text(assets.global_script(name), encoding="utf-8")
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / name)
    shutil.copyfile(CSS, target / CSS.name)
    shutil.copyfile(JS, target / JS.name)
    shutil.copyfile(REPLAY_JS, target / REPLAY_JS.name)
    srcdir = Path(app.srcdir)
    write_data_zip(srcdir, target / DATA_ZIP)
    for page in editions.notebook_pages(srcdir):
        if editions.has_solutions(srcdir / page):
            nbformat.write(editions.edition(srcdir, page, "teacher"),
                           target / TEACHER_DIR / f"{page.stem}{editions.TEACHER_SUFFIX}.ipynb")
    app.config.html_static_path = [*app.config.html_static_path, str(staging)]


def _publish_student_sources(app, exception) -> None:
    """Replace the page sources of exercise chapters by their student edition, so no solution is published.

    Sphinx copies ``_sources`` after the page events, so this has to wait for the end of the build.
    """
    if exception is not None or app.builder.format != "html":
        return
    import jupytext  # noqa: PLC0415 (only needed at the end of a build)

    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    for page in editions.notebook_pages(srcdir):
        copied = outdir / "_sources" / page
        if editions.has_solutions(srcdir / page) and copied.exists():
            copied.write_text(jupytext.writes(editions.edition(srcdir, page, "student"), fmt="md:myst"),
                              encoding="utf-8")


def _drop_thebe(context) -> None:
    """Remove sphinx-thebe's scripts when live code is off.

    sphinx-thebe adds ``const THEBE_JS_URL = ...`` (a CDN address) to every page, and under Jupyter Book 1 it
    is added twice, so browsers log "Identifier 'THEBE_JS_URL' has already been declared". With Thebe off
    (``launch_buttons.thebe: false``) none of it is used, so the page is cleaner and names no CDN at all.
    """
    def thebe(asset) -> bool:
        body = getattr(asset, "attributes", {}).get("body", "") or ""
        return "THEBE_JS_URL" in body or "sphinx-thebe" in str(asset.filename or "")

    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [a for a in context[key] if not thebe(a)]


def _offer_notebook(app, pagename, context) -> None:
    """Write the chapter as a plain ``.ipynb`` (no outputs) and offer it in the theme's download menu.

    Jupyter Book offers the ``.md`` source of a MyST notebook (or, with launch buttons, the executed notebook:
    solutions and all). Instead, the page offers its plain-Markdown edition (:mod:`exhibit.classroom.editions`): the
    student edition for exercise pages. It has no stored outputs: run it where ``requirements.txt`` is
    installed and the figures and maps draw offline in notebook mode (see :mod:`exhibit.figures.offline`).
    """
    source = Path(app.env.doc2path(pagename))
    if not editions.is_notebook_page(source):
        return
    page = source.relative_to(app.srcdir)
    kind = "student" if editions.has_solutions(source) else "reader"
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(editions.edition(Path(app.srcdir), page, kind), target)
    context["ipynb_source"] = f"{pagename}.ipynb"
    if "header_buttons" in context:
        context["header_buttons"] = _retarget_buttons(context["header_buttons"], pagename)


#: Written inline by plotly's own renderers (a figure displayed without :func:`exhibit.figures.present.present`), which
#: also inline the whole plotly.js or fetch it and MathJax from the network. The exhibit's figures never call it
#: inline: ``exhibit.js`` draws them from their JSON.
BARE_PLOTLY = "Plotly.newPlot("


def bare_plotly(body: str) -> bool:
    """Whether a page's HTML holds a plotly figure displayed by plotly's own renderers."""
    return BARE_PLOTLY in body


#: scripts that must run before the page's own inline scripts (which set ``DOCUMENTATION_OPTIONS.pagename``)
KEEP_BLOCKING = ("documentation_options.js",)


def _light_scripts(context) -> None:
    """Paint text first: no script added through Sphinx blocks the first paint.

    Every external script is deferred, which keeps their order (defer scripts run in document order, after the
    inline ones); ``documentation_options.js`` stays blocking because inline scripts extend
    ``DOCUMENTATION_OPTIONS``. The theme's own scripts are handled by the overrides in ``exhibit/theme/``
    (no ``fontawesome.js``, deferred search scripts).
    """
    scripts = []
    for asset in context.get("script_files", []):
        name = str(getattr(asset, "filename", "") or "")
        attributes = dict(getattr(asset, "attributes", {}) or {})
        if name and not name.endswith(KEEP_BLOCKING) and "defer" not in attributes and "async" not in attributes:
            asset = type(asset)(asset.filename, priority=asset.priority, **{**attributes, "defer": "defer"})
        scripts.append(asset)
    if "script_files" in context:
        context["script_files"][:] = scripts


#: the theme's own stylesheets, linked by its head macro (``exhibit/theme/static/webpack-macros.html``)
THEME_CSS = ("styles/theme.css", "styles/pydata-sphinx-theme.css")
#: the packages whose stylesheets the bundle holds (their versions go into its digest)
STYLED_BY = ("sphinx", "pydata-sphinx-theme", "sphinx-book-theme", "myst-nb", "sphinx-design", "sphinx-exercise",
             "sphinx-togglebutton", "sphinx-copybutton", "pygments", "tinycss2")
#: large scripts whose words name no class of the site's stylesheet
NOT_STYLED = ("plotly.min.js", "leaflet.js", "jquery.min.js", "land.js", "searchindex.js")


def _under_static(filename) -> str:
    """An asset's path under ``_static`` (Sphinx names them with or without that folder)."""
    name = str(filename)
    return name.removeprefix("_static/")


def _one_stylesheet(app, context) -> None:
    """Link the page to the one stylesheet (:mod:`exhibit.site.stylesheet`) instead of the theme's and every
    extension's, and write the 0.4 KB ``documentation_options.js`` into the page instead of requesting it.

    The stylesheet is written when the build has finished (some extensions write theirs only then); its
    ``?digest=`` is a hash of what decides its content, known before any page is written: the stylesheets'
    names, the versions of the packages that ship them, the theme options and the exhibit's own CSS. A page
    with a stylesheet the bundle lacks keeps that one as its own link.
    """
    static = Path(app.outdir) / "_static"
    local = [c for c in context.get("css_files", []) if "://" not in str(c.filename)]
    if not hasattr(app, "exhibit_css"):
        names = [*THEME_CSS, *(_under_static(c.filename) for c in local)]
        versions = [(d, metadata.version(d)) for d in STYLED_BY]
        digest = hashlib.sha256(repr((names, versions, app.config.html_theme_options)).encode() + CSS.read_bytes())
        app.exhibit_css = (names, digest.hexdigest()[:20])
    names, digest = app.exhibit_css
    context["exhibit_css_digest"] = digest
    context["css_files"][:] = [c for c in context.get("css_files", []) if _under_static(c.filename) not in names]
    for script in context.get("script_files", []):
        if str(getattr(script, "filename", "")).endswith(KEEP_BLOCKING):
            body = (static / _under_static(script.filename)).read_text(encoding="utf-8")
            context["script_files"][context["script_files"].index(script)] = type(script)(None, body=body)


def _write_stylesheet(app, exception) -> None:
    """Write ``_static/exhibit/site.css``: the bundle of the page's stylesheets, purged of unused rules."""
    if exception is not None or not hasattr(app, "exhibit_css"):
        return
    outdir = Path(app.outdir)
    css = stylesheet.bundle(outdir / "_static", app.exhibit_css[0], STATIC_SUBDIR)
    purged = stylesheet.purge(css, stylesheet.used_words(outdir, skip=NOT_STYLED))
    (outdir / "_static" / STATIC_SUBDIR / "site.css").write_text(purged, encoding="utf-8")


def progress(srcdir: Path, pagename: str) -> str:
    """"Chapter 3 of 7 in The story": the page's place in its part of ``_toc.yml`` (empty outside the parts)."""
    import yaml

    toc = yaml.safe_load((Path(srcdir) / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        files = [c["file"] for c in part.get("chapters", [])]
        if pagename in files:
            word = "Chapter" if part.get("caption") == "The story" else "Page"
            return f"{word} {files.index(pagename) + 1} of {len(files)} in {part.get('caption', 'the book')}"
    return ""


def _page_context(app, pagename, templatename, context, doctree) -> None:
    context["exhibit_progress"] = progress(Path(app.srcdir), pagename)
    _light_scripts(context)
    if not app.config.exhibit_thebe:
        _drop_thebe(context)
    _one_stylesheet(app, context)
    if doctree is not None:
        _offer_notebook(app, pagename, context)
    body = context.get("body", "")
    if bare_plotly(body):
        raise ExtensionError(f"{pagename}: a plotly figure is displayed directly, with its own copy of plotly.js; "
                             "show it with exhibit.figures.present.present(fig, caption=..., alt=...) instead")


def _theme_templates(app, config) -> None:
    """The exhibit's overrides of theme components (accessible names of the search and colour-mode buttons)."""
    config.templates_path = [*config.templates_path, str(THEME_TEMPLATES)]


def _parallel_reading(app) -> None:
    """Let Sphinx read (and so execute) pages on every core (:mod:`.build`).

    Two extensions that Jupyter Book always loads do not say whether they are safe for parallel reading, so Sphinx
    falls back to one page at a time. Both are, for the builds this book makes (checked against their code):
    ``sphinx_multitoc_numbering`` 0.1.3 only replaces how section numbers are assigned, which runs in the main
    process after every page has been read; ``sphinx_jupyterbook_latex`` 1.0.0 acts only for LaTeX builders."""
    names = ["sphinx_multitoc_numbering"] + ([] if app.builder.name.startswith("latex") else ["sphinx_jupyterbook_latex"])
    for name in names:
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True


#: text in which LaTeX decoding changes nothing: no command, group, math, special or ligature character
PLAIN_LATEX = re.compile(r"[^\\{}$~%&#^_`'\"\-\n\r\t]*")


def _plain_latex_fast() -> None:
    """Skip LaTeX decoding of bibliography text that has nothing to decode.

    sphinxcontrib-bibtex formats every entry again on each build, even when nothing changed, and pybtex passes each
    field through latexcodec, which costs about a second for this bibliography. Two thirds of the fields are plain
    text, for which decoding is the identity (tests/test_publishing.py checks every field of references.bib)."""
    from pybtex.markup import LaTeXParser
    from pybtex.richtext import Text

    if getattr(Text.from_latex, "exhibit_fast", False):
        return
    decode = Text.from_latex

    def from_latex(latex):
        return LaTeXParser(latex).parse() if PLAIN_LATEX.fullmatch(latex) else decode(latex)

    from_latex.exhibit_fast = True
    Text.from_latex = staticmethod(from_latex)


def setup(app):
    app.add_config_value("exhibit_thebe", False, "html", bool)
    _plain_latex_fast()
    app.add_post_transform(mime.DropEmptyOutputs)
    app.connect("config-inited", _config_inited)
    app.connect("config-inited", _theme_templates)
    app.connect("builder-inited", _parallel_reading, priority=50)
    app.connect("builder-inited", _check_data, priority=100)  # before anything else of the exhibit's
    app.connect("builder-inited", _drop_stale_outputs)
    app.connect("builder-inited", _stage_static_files)
    app.connect("builder-inited", _use_citation_markup, priority=900)  # after the theme's translator
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _publish_student_sources)
    app.connect("build-finished", _write_stylesheet, priority=900)  # after the theme rewrites pygments.css
    app.connect("html-page-context", _page_context, priority=900)  # after the theme's launch buttons
    app.add_css_file(f"{STATIC_SUBDIR}/{CSS.name}")
    app.add_js_file(f"{STATIC_SUBDIR}/{JS.name}", loading_method="defer")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
