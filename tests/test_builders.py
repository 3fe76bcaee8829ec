"""Builders: figure structure, escaping of data text, no network addresses, both display modes."""

import html
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from exhibit import data
from exhibit.core import assets, markup
from exhibit.figures import charts, maps
from exhibit.figures.present import EXHIBIT_MIME, event_list, map_html, notes_table, present, stable_ids, table_html
from exhibit.science import clocks

EVIL = "</script><script>alert('x')</script> ${alert(1)} `tick` <b>bold</b>"
CDN = re.compile(r"cdn\.|unpkg|jsdelivr|cdnjs|jquery\.com|bootstrapcdn|tile\.openstreetmap|googleapis")
#: markup that would make a browser fetch from another host (a link a reader may click is fine)
FETCHING = re.compile(r"""<(?:script|img|iframe)[^>]+src\s*=\s*["']?(?:https?:)?//|<link[^>]+href\s*=\s*["']?(?:https?:)?//"""
                      r"""|url\(\s*["']?(?:https?:)?//|@import""", re.I)


@pytest.fixture(params=["book", "notebook"])
def mode(request, monkeypatch):
    """Which edition of a chapter's output a test reads; chapters run in their own folder."""
    monkeypatch.chdir(Path(__file__).resolve().parent.parent / "chapters")
    return request.param


def shown(presented, mode: str) -> str:
    """The figure's HTML as the reader gets it: the book's (drawn by the build) or the notebook's."""
    from exhibit.site.mime import page_html

    return page_html(presented.book_payload()) if mode == "book" else presented.to_html()


def evil_events():
    events = data.events()
    events["title"] = events["title"].astype(object)
    events["summary"] = events["summary"].astype(object)
    events.loc[events.index[0], "title"] = EVIL
    events.loc[events.index[0], "summary"] = EVIL
    return events


def srcdoc(fragment: str) -> str:
    return html.unescape(re.search(r'srcdoc="([^"]*)"', fragment).group(1))


def test_era_chart_has_a_trace_per_theme_and_escaped_hover():
    fig = charts.era_chart(evil_events())
    names = {t.name for t in fig.data if t.showlegend is not False}
    assert names == {charts.CATEGORY_LABELS[c] for c in set(data.events()["category"])}
    custom = json.dumps([[list(map(str, row)) for row in t.customdata] for t in fig.data if t.customdata is not None])
    assert "<script>" not in custom and "&lt;/script&gt;" in custom


def test_mission_chart_shows_three_clocks():
    fig = charts.mission_chart(data.phases(), data.missions(), data.events())
    bars = [t for t in fig.data if t.type == "bar"]
    assert {t.name for t in bars} >= {"free flight", "docked"}
    hover = json.dumps([[list(map(str, row)) for row in t.customdata] for t in fig.data])
    assert "1975-07-17 16:09 UTC" in hover
    assert "1975-07-17 19:09 MSK (UTC+3)" in hover  # Moscow time in 1975: UTC+3, no summer time
    assert "1975-07-17 11:09 CDT (UTC\\u22125)" in hover  # Houston: Central Daylight Time


def test_clocks():
    ts = pd.Timestamp("1975-07-17T19:17Z")
    assert clocks.on_clock(ts, "Florida") == "1975-07-17 15:17 EDT (UTC\u22124)"
    assert clocks.when(ts, "day") == "17 July 1975"
    assert clocks.when(pd.Timestamp("1961-04-12T06:07Z"), "minute") == "12 April 1961, 06:07 UTC"
    assert clocks.when(pd.Timestamp("1961-04-12T06:07:30Z"), "second") == "12 April 1961, 06:07:30 UTC"
    # never more precise than the sources: a month or a year is written without a day
    assert clocks.when(pd.Timestamp("1986-02-01T00:00Z"), "month") == "February 1986"
    assert clocks.when(pd.Timestamp("1957-01-01T00:00Z"), "year") == "1957"
    with pytest.raises(ValueError):
        clocks.on_clock(pd.Timestamp("1975-07-17 19:17"), "Moscow")


def test_plotly_output_modes(mode):
    fig = charts.mission_chart(data.phases(), data.missions(), data.events())
    shown_figure = present(fig, caption="Caption", alt="Alt text")
    fragment, mime = shown(shown_figure, mode), shown_figure._repr_mimebundle_()
    assert "plotly-graph-div" in fragment and 'aria-label="Alt text"' in fragment
    assert "<figcaption>Caption</figcaption>" in fragment
    assert not FETCHING.search(fragment) and not CDN.search(fragment)
    assert "plotly.min.js" not in fragment  # the page, not the figure, loads plotly.js
    # one output for both: JupyterLab draws the plotly JSON, the book's build the exhibit's own output
    assert {"application/vnd.plotly.v1+json", "text/html", EXHIBIT_MIME} <= set(mime)


def test_map_draws_offline_in_both_modes(mode):
    fmap = maps.sites_map(data.places())
    fragment = shown(present(fmap, caption="Sites", alt="Map of sites"), mode)
    doc = srcdoc(fragment.replace("data-exhibit-srcdoc=", "srcdoc="))
    assert 'title="Map of sites"' in fragment  # iframe title (axe: frame-title)
    assert not CDN.search(doc), CDN.search(doc)
    assert not FETCHING.search(doc), FETCHING.search(doc)
    assert "window.EXHIBIT_LAND" in doc or "land.js" in doc
    assert doc.count("L.marker(") == len(data.places())
    if mode == "book":
        assert '<script src="../_static/exhibit/leaflet.js">' in doc
    else:
        assert "window.EXHIBIT_LAND = {" in doc and len(doc) > 300_000


def test_map_popups_escape_data_text():
    places = data.places()
    places["description"] = places["description"].astype(object)
    places.loc[places.index[0], "description"] = EVIL
    places["name"] = places["name"].astype(object)
    places.loc[places.index[0], "name"] = EVIL
    doc = srcdoc(present(maps.sites_map(places), caption="c", alt="a").to_html())
    scripts = re.findall(r"<script>(.*?)</script>", doc, re.S)
    assert not any("alert('x')" in s and "<script>" in s for s in scripts)
    assert "<script>alert('x')" not in doc
    literals = re.findall(r"`[^`]*`", "".join(s for s in scripts if "L.marker(" in s))
    assert literals and not any("${alert" in lit or "<b>bold" in lit for lit in literals)
    assert "&lt;/script&gt;&lt;script&gt;alert(&#x27;x&#x27;)" in doc


def test_plotly_html_cannot_break_out_of_its_script():
    fig = charts.era_chart(evil_events())
    fragment = present(fig, caption="c", alt="a").to_html()
    assert "</script><script>alert" not in fragment


def test_tables_escape_cells():
    frame = pd.DataFrame({"a": [EVIL], "b": [pd.Timestamp("1975-07-17T19:17Z")]})
    out = table_html(frame, caption="<i>x</i>")
    assert "<script>" not in out and "&lt;/script&gt;" in out
    assert "1975-07-17 19:17 UTC" in out and "<caption>&lt;i&gt;x&lt;/i&gt;</caption>" in out


def test_presenting_needs_caption_and_alt():
    with pytest.raises(ValueError):
        present(maps.base_map((0, 0), 2), caption="", alt="x")


def test_esc_covers_template_literals():
    assert markup.esc("`${x}`\\") == "&#96;&#36;{x}&#96;&#92;"
    assert markup.safe_json({"a": "</script>"}) == '{"a":"\\u003c/script\\u003e"}'


def test_served_plotly_bundle_is_the_version_the_python_package_writes_for():
    import re as _re

    import plotly

    from exhibit.core import assets

    full = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")[:200]
    basic = assets.plotly_js().read_text(encoding="utf-8")[:200]
    version = _re.compile(r"plotly\.js (?:\(basic - minified\) )?v(\d+\.\d+\.\d+)")
    assert version.search(full).group(1) == version.search(basic).group(1)
    assert "(basic - minified)" in basic


def test_a_trace_type_outside_the_basic_bundle_is_refused():
    import plotly.graph_objects as go

    from exhibit.figures.present import present

    with pytest.raises(ValueError, match="scattergeo"):
        present(go.Figure(go.Scattergeo(lon=[0], lat=[0])), caption="c", alt="a").to_html()
    assert "plotly-graph-div" in present(go.Figure(go.Bar(x=[1], y=[2])), caption="c", alt="a").to_html()


def test_a_figure_shown_by_plotly_itself_is_refused():
    import plotly.graph_objects as go
    import plotly.io as pio

    from exhibit.figures.present import present
    from exhibit.site import sphinxext

    fig = go.Figure(go.Bar(x=[1], y=[2]))
    for name in ("notebook", "notebook_connected"):
        assert sphinxext.bare_plotly(pio.renderers[name].to_mimebundle(fig.to_dict())["text/html"]), name
    assert not sphinxext.bare_plotly(present(fig, caption="c", alt="a").to_html())


def test_stable_ids_renumber_folium_names_only():
    first, second = (map_html(maps.sites_map(data.places()), "t") for _ in range(2))
    assert first == second  # no random ids left
    assert re.search(r"circle_marker_0{30}\d\d\b|marker_0{30}\d\d\b", srcdoc(first))
    hexrun = "0123456789abcdef0123456789abcdef"
    doc = f'<div id="map_{hexrun}"></div><img src="data:image/png;base64,Q{hexrun}Q"><p>{hexrun}</p>'
    out = stable_ids(doc)
    assert 'id="map_' + "0" * 31 + '1"' in out
    assert f"base64,Q{hexrun}Q" in out and f"<p>{hexrun}</p>" in out


def test_event_claim_and_source_lists_escape_data_text(tmp_path, monkeypatch):
    from exhibit.data import sources
    from exhibit.story import ledger

    events = evil_events()
    events["note"] = events["note"].astype(object)
    events.loc[events.index[0], "note"] = EVIL
    claims = data.claims()
    for column in ("claim", "explanation", "correction"):
        claims[column] = claims[column].astype(object)
        claims.loc[claims.index[0], column] = EVIL
    bib = tmp_path / "evil.bib"
    bib.write_text("@misc{evil,\n  author = {{Mallory <script>alert('x')</script>}},\n  title = {T <b>bold</b>},\n"
                   "  year = {2020},\n  url = {javascript:alert(1)}\n}\n", encoding="utf-8")
    rendered = {
        "events": event_list(events.head(3)).html,
        "claims": ledger.claim_list(claims.head(3)).html,
        "notes": notes_table(events.head(3)).html,
    }
    monkeypatch.setattr(sources, "bibliography", lambda: data.bibliography(bib))
    rendered["sources"] = sources.SourceList(["evil"])._repr_html_()
    for name, out in rendered.items():
        assert "<script>alert" not in out and "<b>bold" not in out, name
        assert "&lt;script&gt;alert" in out or "&lt;/script&gt;" in out, name
    assert 'href="javascript:' not in rendered["sources"]


def test_notes_table_lists_every_note_of_the_rows_shown():
    events = data.events()
    noted = events[events["note"].fillna("") != ""]
    out = html.unescape(notes_table(noted).html)
    assert len(noted) >= 5
    from exhibit.data.sources import readable

    for row in noted.itertuples():
        assert readable(row.note) in out and row.title in out  # keys in notes are written as citations
    assert "No disagreements" in notes_table(events[events["note"].fillna("") == ""]).html


def test_data_zip_holds_the_whole_package(tmp_path):
    import zipfile

    from exhibit.data import data_dir, write_data_zip

    target = tmp_path / "d.zip"
    write_data_zip(data_dir().parent, target)
    names = set(zipfile.ZipFile(target).namelist())
    expected = {f"space-alliance-data/data/{p.name}" for p in data_dir().glob("*.csv")} | {
        "space-alliance-data/data/datapackage.json", "space-alliance-data/data/README.md",
        "space-alliance-data/references.bib", "space-alliance-data/LICENSE-CONTENT.md"}
    assert names == expected
    first = target.read_bytes()
    write_data_zip(data_dir().parent, target)
    assert target.read_bytes() == first  # byte-identical between builds



def test_no_python_string_in_the_package_holds_html():
    """HTML comes from templates only; plotly's own hover markup (<b>, <br>, <extra>) is not HTML we write."""
    import ast

    elements = ("html|head|body|div|span|p|a|ul|ol|li|table|thead|tbody|tr|td|th|caption|script|style|iframe|"
                "figure|figcaption|details|summary|button|input|label|select|option|img|svg|section|strong|em|"
                "code|meta|link|title|fieldset|legend|h[1-6]|small|kbd|nav|main|article")
    tag = re.compile(rf"</?(?:{elements})(?:\s[^<>]*)?/?>", re.I)
    plotly_markup = re.compile(r"</?(b|br|extra|i)>")
    found = []
    for path in sorted(assets.PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = plotly_markup.sub("", re.sub(r"\(\?P<\w+>", "", node.value))  # regex groups aside
                if tag.search(text):
                    found.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert found == []


def test_every_template_escapes_and_none_opts_out():
    from exhibit.core import markup as templating
    from exhibit.figures.present import finder_html
    from exhibit.story import datadoc, ledger

    env = templating.environment()
    names = env.list_templates()
    assert len(names) >= 20 and env.autoescape
    for name in names:
        source = env.loader.get_source(env, name)[0]
        assert "|safe" not in source.replace(" ", "") and "autoescape false" not in source, name
    events = evil_events()
    rendered = {
        "verdict": ledger.verdict_box("supported", EVIL).html,
        "finder": finder_html(events.head(3), "p"),
        "resource": datadoc.resource_html("events", events.head(3)),
        "paragraph": templating.render("paragraph.html", cls="c", lead=EVIL, text=EVIL),
        "folded": templating.render("folded.html", summary=EVIL, body=EVIL),
    }
    for name, out in rendered.items():
        assert "<script>alert" not in out and "<b>bold" not in out, name


def test_a_chart_arrives_drawn_for_wide_screens_and_phones(mode):
    fig = charts.era_chart(evil_events(), "Every event in the exhibit, drawn before the page is read: " + EVIL)
    fragment = shown(present(fig, caption="Caption", alt="Alt text"), mode)
    drawings = re.findall(r'<svg class="main-svg"', fragment)
    spec = json.loads(re.search(r'data-exhibit-plot-spec="[^"]+">(.*?)</script>', fragment, re.S)[1])
    assert spec["narrow"]["legend"]["orientation"] == "v" and spec["layout"]["legend"]["title"]["side"] == "top"
    assert 'data-exhibit-explore="' in fragment  # the button that makes it live
    if mode == "notebook":
        assert drawings == []
        return
    assert len(drawings) == 2
    ids = re.findall(r'\bid="([^"]+)"', fragment)
    assert len(ids) == len(set(ids)), "the wide and the phone drawing share an id"
    drawn = fragment[:fragment.index("<script")]  # the drawings and the button, before the figure's JSON
    assert "<script" not in drawn and "<b>bold" not in drawn
    assert not FETCHING.search(fragment) and not CDN.search(fragment)


def test_the_phone_layout_names_rows_above_them_and_puts_the_legend_below():
    from exhibit.figures.present import narrow_figure

    fig = charts.era_chart(data.events(), "A title long enough that a phone has to break it into lines, twice over")
    small = narrow_figure(fig)
    names = [a.text for a in small.layout.annotations if a.name != charts.LABEL]
    assert names == list(fig.layout.yaxis.ticktext) and small.layout.yaxis.showticklabels is False
    assert all(len(line) <= 38 for line in small.layout.title.text.split("<br>"))
    assert small.layout.legend.orientation == "v" and small.layout.height > fig.layout.height
    assert fig.layout.yaxis.showticklabels is not False  # the wide figure is left as it was


@pytest.mark.parametrize("plot_px", [340, 600])
def test_key_moment_labels_never_overlap_in_a_row(plot_px):
    events = data.events()
    fig = charts.place_labels(charts.era_chart(events, "T"), plot_px)
    x0, x1 = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    spans: dict[int, list[tuple[float, float]]] = {}
    shown = 0
    for note in fig.layout.annotations:
        if note.name == charts.LABEL and note.visible:
            shown += 1
            centre = (pd.Timestamp(note.x) - x0) / (x1 - x0) * plot_px
            half = 3 + 3.1 * len(note.text)
            row = spans.setdefault(round(note.y), [])
            assert all(centre + half < a or centre - half > b for a, b in row), note.text
            row.append((centre - half, centre + half))
    labelled = (events["label"].fillna("") != "").sum()
    assert 0 < shown < labelled  # some fit, and the crowded ones give way
    same_day = events[events["label"].fillna("") != ""].head(2).copy()
    same_day["start"] = same_day["start"].iloc[0]
    same_day["category"] = same_day["category"].iloc[0]
    twins = charts.place_labels(charts.era_chart(same_day, "T"), plot_px)
    assert [a.visible for a in twins.layout.annotations if a.name == charts.LABEL] == [True, False]


def test_the_stylesheet_bundle_inlines_imports_rewrites_urls_and_drops_unused_rules(tmp_path):
    from exhibit.site import stylesheet

    (tmp_path / "styles").mkdir()
    (tmp_path / "basic.css").write_text(".used { background: url(file.png) } .unused-one { color: red }")
    (tmp_path / "styles" / "theme.css").write_text('@import "../basic.css";\n'
                                                   "p, .gone { margin: 0 }\n@font-face { font-family: X; "
                                                   "src: url(../fonts/x.woff2) }\n@media (max-width: 9px) "
                                                   "{ .gone { color: red } #used-id { color: blue } }")
    css = stylesheet.bundle(tmp_path, ["styles/theme.css", "basic.css"], "exhibit")
    assert css.count(".used") == 1 and "@import" not in css  # basic.css once, where the import was
    assert 'url("../file.png")' in css and 'url("../fonts/x.woff2")' in css
    (tmp_path / "page.html").write_text('<p class="used" id="used-id">text</p>')
    (tmp_path / "app.js").write_text('el.classList.add("dynamic")')
    purged = stylesheet.purge(css + " .dynamic { top: 0 }", stylesheet.used_words(tmp_path))
    assert ".used" in purged and "#used-id" in purged and ".dynamic" in purged and "@font-face" in purged
    assert ".unused-one" not in purged and ".gone" not in purged and re.search(r"(^|\n)p\{ margin", purged)


def test_a_map_key_sits_under_the_map_and_kinds_differ_by_shape_not_colour(mode):
    fragment = present(maps.sites_map(data.places(), ["baikonur-site-1", "moscow", "soyuz-19-landing"]),
                       caption="c", alt="a").to_html()
    doc = srcdoc(fragment)
    assert "exhibit-map-legend" not in doc and "exhibit-map-legend" in fragment.split("</iframe>", 1)[1]
    shapes = {kind: re.search(r'class="exhibit-shape"[^>]*>(<\w+)', render_icon(kind))[1] for kind in maps.KIND_STYLE}
    assert shapes["launch_site"] != shapes["landing"] != shapes["diplomacy"]
    icons = "".join(re.findall(r'exhibit-shape.*?/svg', doc, re.S))  # inside folium's JSON: \u003c, \"
    assert icons and set(re.findall(r'fill=\\?"(#[0-9a-fA-F]{6})', icons)) <= {maps.MARKER_COLOUR, "#ffffff"}
    assert doc.count('"permanent": true') >= 2  # launch and landing places are named on the map


MAP_SETS = [["baikonur-site-1", "ksc-lc-39b", "torgau", "soyuz-19-landing", "apollo-astp-splashdown"],
            ["moscow", "jsc-houston", "ksc-lc-39a", "baikonur-site-1"],
            ["ksc-lc-39a", "ksc-lc-39b", "baikonur-site-1", "wenchang", "demo-2-splashdown"]]


@pytest.mark.parametrize("ids", MAP_SETS, ids=["apollo-soyuz", "detente", "strain"])
def test_map_names_collide_with_no_name_or_marker_and_stay_on_the_map(ids):
    places = data.places().set_index("id").loc[ids]
    lats, lons, names = places["lat"].tolist(), places["lon"].tolist(), places["label"].tolist()
    sides = maps.label_sides(lats, lons, names)
    for zoom in maps.label_zooms(lats, lons):
        points = [maps._world_px(la, lo, zoom) for la, lo in zip(lats, lons, strict=True)]
        boxes = [maps._label_box(*p, n, *side) for p, n, side in zip(points, names, sides, strict=True)]
        left, right = maps.opening_view([x for x, _ in points])
        for i, box in enumerate(boxes):
            assert left <= box[0] and box[2] <= right, names[i]
            for j, (x, y) in enumerate(points):
                if j != i:
                    assert not maps._overlap(box, boxes[j]), (zoom, names[i], names[j])
                    on_top = math.dist((x, y), points[i]) <= 14  # two pads of one site: one marker over the other
                    assert on_top or not maps._overlap(box, (x - 7, y - 7, x + 7, y + 7)), (zoom, names[i], names[j])


def test_map_names_are_short_and_the_full_names_stay_in_the_popups():
    ids = ["baikonur-site-1", "soyuz-19-landing", "ksc-lc-39b"]
    doc = srcdoc(present(maps.sites_map(data.places(), ids), caption="c", alt="a").to_html())
    places = data.places().set_index("id")
    for pid in ids:
        assert places.loc[pid, "label"] in doc and len(places.loc[pid, "label"]) <= 20
    assert "Baikonur Cosmodrome, Site 1/5" in doc  # the full name stays in the popup and the title


def render_icon(kind: str) -> str:
    from exhibit.core.markup import render

    return render("marker_icon.html", shape=maps.KIND_STYLE[kind][0], colour=maps.MARKER_COLOUR)
