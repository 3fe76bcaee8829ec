"""The built book: clean build, then every page in Chromium with the network cut.

Pages are found from the built site, not from a list. Every request to a host other than the local server is
aborted and counted as a failure; no console error is ignored.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from exhibit.site.browser import chromium_path, draw_all, open_site

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
pytestmark = [pytest.mark.build]

def needs_chromium(test):
    """A browser test: marked ``browser`` and skipped where there is no Chromium."""
    skip = pytest.mark.skipif(chromium_path() is None, reason="no Chromium here (install Debian's chromium; CI does)")
    return pytest.mark.browser(skip(test))


def html_pages(site: Path) -> list[str]:
    skip = {"genindex.html", "search.html"}
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                  if "_static" not in p.parts and "_sources" not in p.parts and p.name not in skip)


def test_build_is_clean(built_site):
    log_file = built_site.parent / "build.log"
    if not log_file.exists():
        pytest.skip("EXHIBIT_SITE points at a site built outside the tests; no build log to read")
    log = log_file.read_text()
    assert "build succeeded" in log
    # Not the book's: ipykernel's notice about its local TCP transport, and ipykernel 7.4's occasional traceback
    # when a kernel is shut down while a control reply is in flight (it ends "ZMQError: Socket operation on
    # non-socket"). Every other warning, error or traceback fails.
    log = KERNEL_SHUTDOWN_RACE.sub("", log)
    lines = [line for line in log.splitlines() if "Kernel is running over TCP" not in line]
    assert not [line for line in lines if re.search(r"WARNING|ERROR|Traceback", line)], log[-3000:]


KERNEL_SHUTDOWN_RACE = re.compile(
    r"ERROR:tornado\.general:Uncaught exception in ZMQStream callback\nTraceback \(most recent call last\):\n"
    r"(?:[ \t].*\n)+zmq\.error\.ZMQError: Socket operation on non-socket\n")


def test_local_assets_are_copied_not_linked(built_site):
    static = built_site / "_static" / "exhibit"
    assert (static / "plotly.min.js").stat().st_size > 1_000_000
    for name in ("leaflet.js", "leaflet.css", "jquery.min.js", "land.js"):
        assert (static / name).exists(), name
    for page in html_pages(built_site):
        text = (built_site / page).read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=\"https?://", text), page
        assert "THEBE_JS_URL" not in text, page
        assert text.count("plotly.min.js") <= 1, page


def test_every_chapter_page_exists_with_sources(built_site):
    pages = html_pages(built_site)
    assert "chapters/apollo-soyuz.html" in pages
    text = (built_site / "chapters/apollo-soyuz.html").read_text(encoding="utf-8")
    assert 'class="exhibit-sources"' in text


DRAW_CHECK = """
() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')].map(p => ({
    id: p.id,
    svg: !!p.querySelector('svg.main-svg'),
    marks: p.querySelectorAll('g.trace path, g.points path, .barlayer path').length,
  }));
  const maps = [...document.querySelectorAll('iframe.exhibit-map')].map(f => {
    const d = f.contentDocument;
    return {
      title: f.getAttribute('title'),
      container: !!(d && d.querySelector('.leaflet-container')),
      land: d ? d.querySelectorAll('path.exhibit-land').length : 0,
      markers: d ? d.querySelectorAll('.leaflet-marker-icon').length : 0,
    };
  });
  const plotDivs = document.querySelectorAll('.plotly-graph-div').length;
  return {plots, maps, plotDivs};
}
"""


@pytest.fixture(scope="module")
def site(built_site):
    if chromium_path() is None:
        pytest.skip("no Chromium here (install Debian's chromium; CI does)")
    with open_site(built_site) as s:
        yield s


def wait_drawn(page):
    draw_all(page)


@needs_chromium
def test_every_page_draws_offline_without_console_errors(site, built_site):
    pages = html_pages(built_site)
    assert len(pages) >= 2
    figures = 0
    for path in pages:
        visit = site.visit(path)
        wait_drawn(visit.page)
        state = visit.page.evaluate(DRAW_CHECK)
        assert visit.errors == [], (path, visit.errors)
        assert visit.blocked == [], (path, visit.blocked)
        assert len(state["plots"]) == state["plotDivs"], (path, state)
        for plot in state["plots"]:
            assert plot["svg"] and plot["marks"] > 0, (path, plot)
        for fmap in state["maps"]:
            assert fmap["title"] and fmap["container"] and fmap["land"] > 50 and fmap["markers"] > 0, (path, fmap)
        figures += len(state["plots"]) + len(state["maps"])
        visit.page.close()
    assert figures >= 2


@needs_chromium
def test_internal_links_and_anchors_resolve(site, built_site):
    for path in html_pages(built_site):
        visit = site.visit(path)
        links = visit.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in links:
            if href.startswith(("http://", "https://", "mailto:", "javascript:")):
                continue
            target = urlparse(urljoin("http://x/" + path, href))
            file = built_site / target.path.lstrip("/")
            if target.path.endswith("/"):
                file = file / "index.html"
            assert file.exists(), (path, href)
            if target.fragment and file.suffix == ".html":
                text = file.read_text(encoding="utf-8")
                assert f'id="{target.fragment}"' in text, (path, href)
        visit.page.close()


@needs_chromium
def test_phone_viewport_has_no_horizontal_overflow(site, built_site):
    for path in html_pages(built_site):
        visit = site.visit(path, viewport=(390, 844))
        wait_drawn(visit.page)
        overflow = visit.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (path, overflow)
        visit.page.close()


@needs_chromium
def test_axe_finds_no_serious_or_critical_violations(site, built_site):
    script = AXE.read_text(encoding="utf-8")
    for path in html_pages(built_site):
        visit = site.visit(path)
        wait_drawn(visit.page)
        visit.page.add_script_tag(content=script)
        result = visit.page.evaluate("async () => (await axe.run(document, {iframes: true})).violations")
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result
               if v["impact"] in ("serious", "critical")]
        assert bad == [], (path, bad)
        visit.page.close()


@needs_chromium
def test_map_markers_and_popups_work_by_keyboard(site):
    visit = site.visit("chapters/apollo-soyuz.html")
    wait_drawn(visit.page)
    frame = visit.page.frame_locator("iframe.exhibit-map").first
    marker = frame.locator(".leaflet-marker-icon").first
    assert marker.get_attribute("tabindex") == "0"
    marker.focus()
    marker.press("Enter")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=3000)
    assert popup.locator("h3").count() == 2  # English and Russian titles
    visit.page.close()


def test_downloaded_notebook_runs_in_plain_jupyter(built_site, tmp_path, monkeypatch):
    """The .ipynb offered by the download button executes outside the book and draws in notebook mode."""
    import nbformat
    from nbclient import NotebookClient

    notebooks = sorted((built_site / "_sources" / "chapters").glob("*.ipynb"))
    assert any(n.name == "apollo-soyuz.ipynb" for n in notebooks)
    page = (built_site / "chapters" / "apollo-soyuz.html").read_text(encoding="utf-8")
    assert "_sources/chapters/apollo-soyuz.ipynb" in page  # offered in the download menu
    monkeypatch.delenv("EXHIBIT_BOOK_ROOT", raising=False)
    nb = nbformat.read(built_site / "_sources" / "chapters" / "apollo-soyuz.ipynb", as_version=4)
    assert not any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    bundles = [out.get("data", {}) for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    assert any("application/vnd.plotly.v1+json" in b for b in bundles)
    maps = [b["text/html"] for b in bundles if "exhibit-map" in b.get("text/html", "")]
    # each map carries Leaflet and the land outline inside its own document
    assert maps and all("window.EXHIBIT_LAND = {" in html.unescape(m) and "L.map(" in html.unescape(m) for m in maps)
    assert not any("_static/exhibit" in html for html in maps)  # nothing points at the book's files


@needs_chromium
def test_timeline_theme_filter_works_by_keyboard(site):
    visit = site.visit("index.html")
    wait_drawn(visit.page)
    box = visit.page.locator("fieldset.exhibit-filter input[type=checkbox]").first
    plot_id = box.get_attribute("data-exhibit-plot")
    traces = box.get_attribute("data-traces")
    box.focus()
    visit.page.keyboard.press("Space")
    hidden = visit.page.evaluate(
        f"() => {traces}.map(i => document.getElementById('{plot_id}').data[i].visible)")
    assert hidden and all(v == "legendonly" for v in hidden), hidden
    visit.page.keyboard.press("Space")
    shown = visit.page.evaluate(
        f"() => {traces}.map(i => document.getElementById('{plot_id}').data[i].visible)")
    assert all(v is True for v in shown), shown
    assert visit.errors == []
    visit.page.close()


BINDER = re.compile(r'href="(https://mybinder\.org/v2/gh/([^/"]+/[^/"]+)/([^?"]+)\?urlpath=lab/tree/([^"]+))"')


def test_every_executable_page_has_a_binder_link_to_a_notebook_postbuild_creates(built_site, tmp_path):
    from conftest import LAUNCH_REPOSITORY

    from exhibit.classroom import editions

    made = editions.write_editions(tmp_path, ROOT)  # what Binder's postBuild writes
    made = {p.relative_to(tmp_path).as_posix() for p in made}
    postbuild = (ROOT / "postBuild").read_text(encoding="utf-8")
    assert f"python -m exhibit.classroom.editions {editions.OUT_DIR}" in postbuild
    executable = {p.with_suffix(".html").as_posix() for p in editions.notebook_pages(ROOT)}
    assert len(executable) >= 10
    for page in html_pages(built_site):
        links = BINDER.findall((built_site / page).read_text(encoding="utf-8"))
        if page not in executable:
            assert not links, page
            continue
        assert links, page
        for _, repo, branch, urlpath in links:
            assert (repo, branch) == (LAUNCH_REPOSITORY, "main"), page
            assert urlpath == f"{editions.OUT_DIR}/{page[:-5]}.ipynb", page
            assert urlpath.removeprefix(editions.OUT_DIR + "/") in made, page


def test_exercise_downloads_hold_no_solution_and_teacher_editions_are_offered(built_site):
    import nbformat
    from test_editions import EXERCISE_PAGES, solution_sources

    guide = (built_site / "chapters" / "teachers-guide.html").read_text(encoding="utf-8")
    for page in EXERCISE_PAGES:
        html = (built_site / page.with_suffix(".html")).read_text(encoding="utf-8")
        assert f"_sources/{page.with_suffix('.ipynb').as_posix()}" in html
        assert f"_sources/{page.as_posix()}\"" not in html  # the raw MyST (with solutions) is not offered
        offered = nbformat.read(built_site / "_sources" / page.with_suffix(".ipynb"), as_version=4)
        copied = (built_site / "_sources" / page).read_text(encoding="utf-8")
        assert offered.metadata["exhibit"]["edition"] == "student"
        for solution in solution_sources(page):
            assert solution not in [c.source.strip() for c in offered.cells]
            assert solution not in copied
        teacher = built_site / "_static" / "exhibit" / "editions" / f"{page.stem}-teacher.ipynb"
        assert teacher.exists() and f"editions/{teacher.name}" in guide
        cells = [c.source.strip() for c in nbformat.read(teacher, as_version=4).cells]
        assert all(s in cells for s in solution_sources(page))


@needs_chromium
def test_printing_an_exercise_page_prints_no_solution(site):
    visit = site.visit("chapters/exercises/02-places-and-maps.html")
    visit.page.emulate_media(media="print")
    visible = visit.page.evaluate(
        "() => [...document.querySelectorAll('.solution')].filter(e => e.offsetParent !== null).length")
    count = visit.page.evaluate("() => document.querySelectorAll('.solution').length")
    assert count == 4 and visible == 0
    text = visit.page.evaluate("() => document.body.innerText")
    assert "Exercise 7" in text
    visit.page.close()


@needs_chromium
def test_a_printed_chapter_holds_its_folded_data_tables(site):
    import unicodedata
    from io import BytesIO

    from pypdf import PdfReader

    visit = site.visit("chapters/apollo-soyuz.html")
    wait_drawn(visit.page)
    folded = visit.page.evaluate(
        """() => [...document.querySelectorAll('details:not([open]) table td')]
                 .map(td => td.textContent.trim()).filter(t => t.length > 8 && !t.includes('\\n'))""")
    assert len(folded) > 20  # the page does fold data tables
    pdf = visit.page.pdf(format="A4", print_background=False)
    visit.page.close()
    # NFKC: the PDF's text uses typographic ligatures ("ﬁ" for "fi")
    text = unicodedata.normalize("NFKC", "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages))
    squeezed = re.sub(r"\s+", "", text)
    missing = [cell for cell in folded[:: max(1, len(folded) // 15)] if re.sub(r"\s+", "", cell) not in squeezed]
    assert not missing, missing
    assert "Search" not in text.split("Apollo")[0]  # no navigation chrome before the title


@needs_chromium
def test_printed_links_show_where_they_point(site):
    visit = site.visit("chapters/the-data.html")
    visit.page.emulate_media(media="print")
    shown = visit.page.evaluate("""() => [...document.querySelectorAll('.bd-article a[href^="http"]:not(.exhibit-url)')]
        .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content])""")
    visit.page.close()
    assert shown and all(href in content for href, content in shown), shown


def test_no_script_blocks_the_first_paint(built_site):
    for page in ("index.html", "chapters/apollo-soyuz.html", "chapters/teachers-guide.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        head = html[:html.index("</head>")]
        blocking = [tag for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", head)
                    if "defer" not in tag and "async" not in tag]
        assert blocking == [], page
        assert "fontawesome.js" not in html and "plotly.min.js" not in html, page
        # one stylesheet before the first paint: the site's bundle, no @import chain behind it
        assert re.findall(r'<link[^>]+rel="stylesheet"[^>]*>', head) == [
            re.search(r'<link href="[./]*_static/exhibit/site\.css\?digest=\w+" rel="stylesheet" />', head)[0]]
    css = (built_site / "_static/exhibit/site.css").read_text(encoding="utf-8")
    assert "@import" not in css and ".bd-sidebar-primary" in css and ".fa-rocket" in css
    assert ".fa-500px" not in css  # an icon no page shows: purged


@needs_chromium
def test_charts_arrive_drawn_and_plotly_comes_only_when_a_reader_reaches_for_one(site):
    for width in (390, 1280):
        visit = site.visit("index.html", viewport=(width, 900))
        page = visit.page
        draw_all(page, live=False)
        page.wait_for_timeout(500)
        shown = page.evaluate("""() => [...document.querySelectorAll('.exhibit-static svg.main-svg')]
            .filter(s => s.getBoundingClientRect().width > 0).map(s => s.getBoundingClientRect().width)""")
        assert len(shown) == 1 and shown[0] <= width, shown  # the phone or the wide drawing, never both
        assert not [u for u in visit.requests if "plotly.min.js" in u]
        still = page.locator(".exhibit-static").first
        still.hover() if width > 640 else still.click()
        page.wait_for_function("() => document.querySelector('.js-plotly-plot svg.main-svg')")
        assert not page.locator(".exhibit-static").count()
        assert len([u for u in visit.requests if "plotly.min.js" in u]) == 1
        assert visit.errors == [], visit.errors
        visit.page.close()


@needs_chromium
def test_plotly_is_fetched_only_where_there_are_figures(site):
    for page, figures in (("index.html", True), ("chapters/teachers-guide.html", False)):
        visit = site.visit(page)
        if figures:
            draw_all(visit.page)
        else:
            visit.page.wait_for_timeout(800)
        fetched = [u for u in visit.requests if u.split("?")[0].endswith("/plotly.min.js")]
        assert len(fetched) == (1 if figures else 0), (page, fetched)
        assert visit.errors == [], visit.errors
        visit.page.close()


@needs_chromium
def test_event_finder_finds_by_word_and_era_and_links_to_the_event(site):
    from exhibit import data
    from exhibit.figures import charts

    index = charts.finder_index(data.events())
    visit = site.visit("index.html")
    page = visit.page
    draw_all(page)
    status = page.locator(".exhibit-finder-count")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    page.get_by_role("searchbox", name="Find events").focus()
    page.keyboard.type("leonov")
    expected = [e for e in index if "leonov" in e["text"]]
    page.wait_for_function("n => document.querySelector('.exhibit-finder-count').textContent.startsWith(n + ' event')",
                           arg=str(len(expected)))
    hrefs = page.locator(".exhibit-finder-results a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert hrefs == [f"#event-{e['id']}" for e in expected][:25] and len(expected) >= 3
    selected = page.evaluate("""() => document.getElementById('event-finder-plot').data
        .filter(t => t.mode === 'markers').reduce((n, t) => n + (t.selectedpoints || []).length, 0)""")
    assert selected == len(expected)  # the matching points are the highlighted ones
    page.locator(".exhibit-finder-results a").first.click()
    target = page.locator(f"#event-{expected[0]['id']}")
    page.wait_for_function("id => document.getElementById(id).closest('details').open", arg=f"event-{expected[0]['id']}")
    assert target.is_visible()
    page.get_by_role("searchbox", name="Find events").fill("")
    page.get_by_label("Era", exact=True).select_option("apollo-soyuz")
    in_era = [e for e in index if e["era"] == "apollo-soyuz"]
    page.wait_for_function("n => document.querySelector('.exhibit-finder-count').textContent.startsWith(n + ' event')",
                           arg=str(len(in_era)))
    assert visit.errors == []
    page.close()


STORY = ["chapters/rivals", "chapters/detente", "chapters/apollo-soyuz", "chapters/fly-the-mission",
         "chapters/over-the-elbe",
         "chapters/handshake-on-earth", "chapters/shuttle-mir-iss", "chapters/strain", "chapters/epilogue"]


def visible_text(page_html: str) -> str:
    """The article's text as a reader sees it: no tags, attributes, scripts or styles."""
    article = page_html[page_html.index("<article"):page_html.index("</article>")]
    article = re.sub(r"<(script|style)\b.*?</\1>", " ", article, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", article))


def test_reader_text_holds_no_bibliography_key_or_file_name(built_site):
    from exhibit import data

    keys = data.bib_keys()
    for page in ["index", *STORY, "chapters/claim-ledger"]:
        text = visible_text((built_site / f"{page}.html").read_text(encoding="utf-8"))
        words = set(re.findall(r"[A-Za-z0-9_-]+", text))
        assert not (words & keys), (page, sorted(words & keys)[:5])
        assert not re.search(r"\b[\w-]+\.(csv|md|bib|py)\b", text), (page, re.search(r"\b[\w-]+\.(csv|md|bib|py)\b", text))
        assert "seed article" not in text.lower(), page


def test_story_pages_say_where_the_reader_is_and_link_onwards_in_order(built_site):
    for i, page in enumerate(STORY, start=1):
        text = (built_site / f"{page}.html").read_text(encoding="utf-8")
        assert f"Chapter {i} of {len(STORY)} in The story" in text, page
        if i < len(STORY):
            nxt = re.search(r'<a class="right-next"\s+href="([^"]+)"', text)
            assert nxt and nxt.group(1).endswith(STORY[i].split("/")[-1] + ".html"), (page, nxt and nxt.group(1))


@needs_chromium
def test_tables_are_cards_on_a_phone_and_tables_on_a_desk(site):
    for width, display in ((390, "block"), (1280, "table-cell")):
        visit = site.visit("chapters/apollo-soyuz.html", viewport=(width, 900))
        cell = visit.page.locator(".exhibit-table td[data-label]").first
        shown = cell.evaluate("td => [getComputedStyle(td).display, getComputedStyle(td, '::before').content]")
        assert shown[0] == display, (width, shown)
        if width == 390:
            assert shown[1].strip('"').endswith(": ") and len(shown[1]) > 4
        visit.page.close()


def test_every_story_page_shows_a_voice_whose_source_is_listed_on_the_page(built_site):
    import yaml

    toc = yaml.safe_load((Path(__file__).resolve().parent.parent / "_toc.yml").read_text(encoding="utf-8"))
    story = next(p for p in toc["parts"] if p["caption"] == "The story")["chapters"]
    for entry in story:
        page = (built_site / (entry["file"] + ".html")).read_text(encoding="utf-8")
        voices = re.findall(r'<figure class="exhibit-voice".*?</figure>', page, re.S)
        assert voices, entry["file"]
        for target in re.findall(r'href="#(source-[^"]+)"', "".join(voices)):
            assert f'id="{target}"' in page, (entry["file"], target)


MARKERS_IN_VIEW = """() => [...document.querySelectorAll('iframe.exhibit-map')].map(f => {
  const d = f.contentDocument, box = d.querySelector('.leaflet-container').getBoundingClientRect();
  return [...d.querySelectorAll('.leaflet-marker-icon')].filter(m => {
    const r = m.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    return x < box.left || x > box.right || y < box.top || y > box.bottom;
  }).map(m => m.getAttribute('title'));
})"""


@needs_chromium
def test_every_map_starts_with_all_its_markers_in_view_on_a_phone_and_a_desktop(site, built_site):
    for page in [p for p in html_pages(built_site) if "exhibit-map" in (built_site / p).read_text(encoding="utf-8")]:
        for width in (390, 1280):
            visit = site.visit(page, viewport=(width, 900))
            draw_all(visit.page, live=False)
            outside = visit.page.evaluate(MARKERS_IN_VIEW)
            assert all(o == [] for o in outside), (page, width, outside)
            visit.page.close()


def test_every_picture_has_alt_text_a_credit_and_a_source_on_its_page(built_site):
    import markupsafe

    from exhibit import data

    for row in data.table("pictures").itertuples():
        page = (built_site / "chapters" / f"{row.chapter}.html").read_text(encoding="utf-8")
        figure = re.search(rf'<figure class="exhibit-picture" id="picture-{row.id}">.*?</figure>', page, re.S)[0]
        alt = re.search(r'<img [^>]*alt="([^"]+)"|role="img" aria-label="([^"]+)"', figure)
        assert alt and len(alt[1] or alt[2]) > 20, row.id
        assert "exhibit-credit" in figure and str(markupsafe.escape(row.licence)) in figure, row.id
        for target in re.findall(r'href="#(source-[^"]+)"', figure):
            assert f'id="{target}"' in page, (row.id, target)
        if row.kind == "photograph":
            src = re.search(r'<img src="([^"]+)"', figure)[1]
            assert (built_site / "chapters" / src).resolve().is_file(), src


def test_every_story_chapter_page_shows_a_picture(built_site):
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    story = next(p for p in toc["parts"] if p["caption"] == "The story")["chapters"]
    for entry in story:
        page = (built_site / f"{entry['file']}.html").read_text(encoding="utf-8")
        assert '<figure class="exhibit-picture"' in page, entry["file"]


OVERFLOW = """async () => {
  const out = [];
  const inside = (r, box) => r.left >= box.left - 1 && r.right <= box.right + 1;
  for (const div of document.querySelectorAll('.js-plotly-plot')) {
    const box = div.getBoundingClientRect();
    const legend = div.querySelector('g.legend');
    if (legend && !inside(legend.getBoundingClientRect(), box)) out.push(['legend', div.id]);
    div.data.forEach((trace, curve) => {
      const n = (trace.x || []).length;
      if (!trace.hovertemplate || !n || trace.visible === 'legendonly') return;
      for (const point of [0, Math.floor(n / 2), n - 1]) {
        window.Plotly.Fx.hover(div, [{curveNumber: curve, pointNumber: point}]);
        const label = div.querySelector('g.hovertext');
        if (label && !inside(label.getBoundingClientRect(), box)) out.push(['hover', div.id, curve, point]);
      }
    });
    window.Plotly.Fx.unhover(div);
  }
  return out;
}"""


@needs_chromium
def test_no_legend_or_hover_label_is_wider_than_its_chart(site, built_site):
    pages = [p for p in html_pages(built_site) if "data-exhibit-plot-spec" in (built_site / p).read_text(encoding="utf-8")]
    assert len(pages) >= 8
    for page in pages:
        for width in (390, 1280):
            visit = site.visit(page, viewport=(width, 900))
            draw_all(visit.page)
            assert visit.page.evaluate(OVERFLOW) == [], (page, width)
            visit.page.close()


#: facts the exhibit states on more than one page, and how a page states them
CROSS_PAGE_FACTS = {
    "the as-of date": re.compile(r"As of ([A-Z][a-z]+ \d{4}):"),
    # "at the hatch opening (19:17 UTC) over Germany, at 48.6°N 8.0°E"; "Hatches open: ... docked, 48.6°N 8.0°E"
    "the days of Rubio's flight": re.compile(r"Rubio[^.]{0,80}?\b(\d{3}) days"),
    "where the hatch opened": re.compile(r"[Hh]atch(?:es)? open[^.]{0,60}?(\d+\.\d°N \d+\.\d°[EW])"),
    # "the hatch opening (19:17 UTC)", "Hatch opening, 19:17 UTC", "19:17 UTC: Hatches open"
    "when the hatch opened": re.compile(r"(?:(\d{2}:\d{2}) UTC:? Hatches open|[Hh]atch opening,? \(?(\d{2}:\d{2}) UTC)"),
}


def test_a_fact_stated_on_several_pages_reads_the_same_on_every_page(built_site):
    """One value per fact: collected from every built page, each fact has a single value, and the as-of date is
    the month of the newest event the sources confirm happened."""
    from exhibit.story.chapter import as_of

    found: dict[str, dict[str, set]] = {fact: {} for fact in CROSS_PAGE_FACTS}
    for page in html_pages(built_site):
        text = " ".join(re.sub(r"<iframe\b.*?</iframe>", " ", visible_text(
            (built_site / page).read_text(encoding="utf-8")), flags=re.S).split())
        for fact, pattern in CROSS_PAGE_FACTS.items():
            for value in pattern.findall(text):
                value = value if isinstance(value, str) else next(v for v in value if v)
                found[fact].setdefault(value, set()).add(page)
    for fact, values in found.items():
        assert len(values) == 1, f"{fact} differs between pages: {values}"
    assert len(set().union(*found["where the hatch opened"].values())) >= 2  # the replay and Over the Elbe?
    assert len(set().union(*found["the as-of date"].values())) >= 2
    assert set(found["the as-of date"]) == {as_of()[0]}
    from exhibit.story.chapter import common_facts

    assert set(found["the days of Rubio's flight"]) == {str(common_facts()["rubio_days"])}
    from exhibit.story.elbe import ElbeStory

    facts = ElbeStory().facts
    assert set(found["where the hatch opened"]) == {facts["hatch_at"]}
    assert set(found["when the hatch opened"]) == {facts["hatch_utc"]}


@needs_chromium
def test_the_ledger_filter_shows_one_verdict_and_a_link_to_a_hidden_claim_shows_all(site):
    from exhibit import data

    claims = data.claims()
    visit = site.visit("chapters/claim-ledger.html")
    visible = "() => [...document.querySelectorAll('.exhibit-claims li')].filter(li => !li.hidden).length"
    assert visit.page.evaluate(visible) == len(claims)
    visit.page.check('input[name="exhibit-verdict"][value="corrected"]')
    assert visit.page.evaluate(visible) == (claims["verdict"] == "corrected").sum()
    supported = claims.loc[claims["verdict"] == "supported", "id"].iloc[0]
    visit.page.evaluate(f"() => {{ location.hash = 'claim-{supported}'; }}")
    visit.page.wait_for_function(f"() => !document.getElementById('claim-{supported}').hidden")
    assert visit.page.evaluate(visible) == len(claims) and visit.errors == []
