"""Measure the book on this machine and write benchmarks/RESULTS.md and benchmarks/results.json.

    .venv/bin/python benchmarks/run.py

One run measures: clean build; no-change rebuild; rebuild after editing one chapter; each notebook's execution
time (from myst-nb's log); per page, the bytes transferred (HTML and everything it loads, iframe documents
included) with a cold cache, and again for the second page of a visit (shared assets cached); plotly.js
requests per page; and the time from navigation until every figure and map has drawn, in headless Chromium
with every non-local host unresolvable (the site is served with `Cache-Control: max-age=600`, as
GitHub Pages does).

Naive baseline, built and measured in the same run: a copy of the book whose figures use plotly's default
embedding (plotly.js inside every figure, `include_plotlyjs=True`, and no page-level plotly.js) and whose maps
keep folium's default assets (Leaflet, jQuery, Bootstrap, Font Awesome from CDNs). With the network cut its maps
cannot draw; the measurement records that.
"""

from __future__ import annotations

import functools
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

from exhibit.site.browser import SCROLL_THROUGH, open_site

ROOT = Path(__file__).resolve().parent.parent

JB = Path(sys.executable).with_name("jupyter-book")


def _received(urls: dict, cached: set, event: dict) -> None:
    urls[event["requestId"]] = event["response"]["url"]
    if event["response"].get("fromDiskCache"):
        cached.add(event["requestId"])


def _finished(sizes: dict, event: dict) -> None:
    sizes[event["requestId"]] = event["encodedDataLength"]
TARGETS = {"clean_build_s": 120, "rebuild_ratio": 0.15, "own_bytes_per_page": 1.5e6, "draw_s": 2.0,
           "notebook_s": 10.0}


def build(src: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([str(JB), "build", str(src), "-W", "-n", "--keep-going"], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(src)})
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(proc.stdout[-3000:] + proc.stderr[-3000:])
    return elapsed, proc.stdout + proc.stderr


NAIVE_PATCHES = {
    "exhibit/figures/present.py": [
        ('    return render("plot.html", div_id=div_id, height=fig.layout.height or 450, '
         'spec=Markup(offline.safe_json(spec)))',
         "    return pio.to_html(fig, include_plotlyjs=True, full_html=False, div_id=div_id)"),
        ("    fmap.default_js = []\n    fmap.default_css = []\n", ""),
        ("MapDocument(Markup(offline.map_head(title)))",
         'MapDocument(Markup("<script>" + offline.global_script("land.js") + "</script>"))')],
}


def naive_copy(src: Path, dest: Path) -> Path:
    """A copy of the book patched to plotly's and folium's default (naive) asset handling."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("_build"))
    for rel, patches in NAIVE_PATCHES.items():
        text = (dest / rel).read_text()
        for old, new in patches:
            if old not in text:
                raise SystemExit(f"naive patch no longer applies to {rel}: {old!r}")
            text = text.replace(old, new)
        (dest / rel).write_text(text)
    return dest


def measure_pages(site: Path, require_maps: bool = True) -> list[dict]:
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                   if "_static" not in p.parts and "_sources" not in p.parts
                   and p.name not in ("genindex.html", "search.html"))
    rows = []
    with open_site(site, intercept=False, cache_seconds=600) as s:
        for path in pages:
            for visit_kind in ("cold", "warm"):
                page = s.context.new_page()
                cdp = s.context.new_cdp_session(page)
                cdp.send("Network.enable")
                if visit_kind == "cold":
                    cdp.send("Network.clearBrowserCache")
                sizes, urls, cached = {}, {}, set()
                cdp.on("Network.responseReceived", functools.partial(_received, urls, cached))
                cdp.on("Network.loadingFinished", functools.partial(_finished, sizes))
                start = time.perf_counter()
                page.goto(s.base + path, wait_until="load")
                page.evaluate(SCROLL_THROUGH)  # figures draw as a reader scrolls to them
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.plotly-graph-div')].every(p => p.querySelector('svg.main-svg'))",
                    timeout=30000)
                maps_drawn = True
                try:
                    page.wait_for_function(
                        """() => [...document.querySelectorAll('iframe.exhibit-map')].every(f => f.contentDocument &&
                             f.contentDocument.querySelector('path.exhibit-land'))""",
                        timeout=30000 if require_maps else 5000)
                except Exception:
                    if require_maps:
                        raise
                    maps_drawn = False
                drawn = time.perf_counter() - start
                figures = page.evaluate("() => document.querySelectorAll('.plotly-graph-div').length")
                maps = page.evaluate("() => document.querySelectorAll('iframe.exhibit-map').length")
                srcdoc = page.evaluate(
                    "() => [...document.querySelectorAll('iframe.exhibit-map')].reduce((n, f) => n + f.srcdoc.length, 0)")
                plotly_requests = sum(1 for u in urls.values() if u.endswith("plotly.min.js"))
                total = sum(sizes.values())
                shared = sum(v for k, v in sizes.items() if "/_static/" in urls.get(k, ""))
                rows.append({"page": path, "visit": visit_kind, "bytes": total, "shared_bytes": shared,
                             "own_bytes": total - shared, "srcdoc_chars": srcdoc, "figures": figures, "maps": maps,
                             "plotly_requests": plotly_requests,
                             "plotly_from_cache": any(urls.get(k, "").endswith("plotly.min.js") for k in cached),
                             "plotly_bytes": sum(v for k, v in sizes.items() if urls.get(k, "").endswith("plotly.min.js")),
                             "maps_drawn": maps_drawn, "draw_s": round(drawn, 3)})
                page.close()
    return rows


def notebook_times(log: str) -> dict[str, float]:
    return {Path(m.group(1)).name: float(m.group(2))
            for m in re.finditer(r"(\S+\.md): Executed notebook in ([\d.]+) seconds", log)}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns("_build", ".venv", ".git", "*.egg-info",
                                                             "__pycache__", ".pytest_cache", "benchmarks"))
    clean, log = build(src)
    nochange, _ = build(src)
    chapter = src / "chapters" / "strain.md"
    chapter.write_text(chapter.read_text() + "\nA sentence added by the benchmark.\n")
    edited, edit_log = build(src)
    site = src / "_build" / "html"
    rows = measure_pages(site)
    naive_src = naive_copy(src, work / "naive")
    naive_clean, _ = build(naive_src)
    naive_rows = {r["page"]: r for r in measure_pages(naive_src / "_build" / "html", require_maps=False)
                  if r["visit"] == "cold"}
    plotly_size = (site / "_static/exhibit/plotly.min.js").stat().st_size
    nb = notebook_times(log)
    cold = [r for r in rows if r["visit"] == "cold"]
    warm = [r for r in rows if r["visit"] == "warm"]
    results = {
        "date": str(date.today()), "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                               "platform": platform.platform()},
        "clean_build_s": round(clean, 1), "nochange_rebuild_s": round(nochange, 1),
        "rebuild_ratio": round(nochange / clean, 3), "one_chapter_edit_rebuild_s": round(edited, 1),
        "notebook_s": nb, "pages": rows, "plotly_js_bytes": plotly_size,
        "site_total_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
        "naive_clean_build_s": round(naive_clean, 1), "naive_pages": list(naive_rows.values()),
        "naive_site_total_bytes": sum(p.stat().st_size for p in (naive_src / "_build/html").rglob("*") if p.is_file()),
    }
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1))
    lines = [
        "# Benchmark results", "",
        f"Measured {results['date']} by `benchmarks/run.py` on this project's machine: {os.cpu_count()} CPU cores, "
        f"Python {platform.python_version()}, {platform.platform()}; headless Debian Chromium with every non-local host "
        "unresolvable, pages served from localhost with `Cache-Control: max-age=600` (as GitHub Pages sends). Raw numbers: `results.json`.", "",
        "| measure | result | target | met? |", "| --- | --- | --- | --- |",
        f"| clean build | {clean:.1f} s | <= 120 s | {'yes' if clean <= 120 else 'NO'} |",
        f"| no-change rebuild | {nochange:.1f} s ({nochange / clean:.2f} x clean) | <= 0.15 x clean | "
        f"{'yes' if nochange / clean <= 0.15 else 'NO'} |",
        f"| rebuild after editing one chapter | {edited:.1f} s | (reported) | |",
        f"| slowest notebook execution | {max(nb.values()):.1f} s ({max(nb, key=nb.get)}) | <= 10 s | "
        f"{'yes' if max(nb.values()) <= 10 else 'NO'} |",
        f"| largest own bytes of a page (HTML + map documents + page-specific files) | "
        f"{max(r['own_bytes'] for r in cold) / 1e6:.2f} MB | <= 1.5 MB | "
        f"{'yes' if max(r['own_bytes'] for r in cold) <= 1.5e6 else 'NO'} |",
        f"| plotly.js requests per page | at most {max(r['plotly_requests'] for r in rows)} | at most 1 | "
        f"{'yes' if max(r['plotly_requests'] for r in rows) <= 1 else 'NO'} |",
        f"| plotly.js bytes transferred again on a repeat visit (cached or revalidated) | "
        f"{max((r['plotly_bytes'] for r in warm if r['plotly_requests']), default=0):,} bytes | cached | "
        f"{'yes' if max((r['plotly_bytes'] for r in warm if r['plotly_requests']), default=0) < 10_000 else 'NO'} |",
        f"| slowest time until every figure and map has drawn | {max(r['draw_s'] for r in cold):.2f} s (cold cache) "
        f"| <= 2 s | {'yes' if max(r['draw_s'] for r in cold) <= 2 else 'NO'} |", "",
        "## Per page (cold cache)", "",
        "Naive baseline (built in the same run): own bytes are the bytes a reader pays for each further page once "
        "the shared assets are cached; the naive page cannot cache plotly.js because it is inside the page.", "",
        "| page | figures | maps | transferred (cold) | own bytes | naive own bytes | naive / ours | naive maps draw offline? | drawn after (ours / naive) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in cold:
        n = naive_rows.get(r["page"], {})
        ratio = n.get("own_bytes", 0) / r["own_bytes"] if r["own_bytes"] else 1
        lines.append(f"| {r['page']} | {r['figures']} | {r['maps']} | {r['bytes'] / 1e6:.2f} MB | "
                     f"{r['own_bytes'] / 1e6:.2f} MB | {n.get('own_bytes', 0) / 1e6:.2f} MB | {ratio:.1f} x | "
                     f"{'n/a' if not r['maps'] else ('yes' if n.get('maps_drawn') else 'no')} | "
                     f"{r['draw_s']:.2f} s / {n.get('draw_s', 0):.2f} s |")
    lines += ["", f"Whole site on disk: ours {results['site_total_bytes'] / 1e6:.1f} MB, naive "
              f"{results['naive_site_total_bytes'] / 1e6:.1f} MB. Naive clean build: {naive_clean:.1f} s."]
    lines += ["", "## Notebook execution", "", "| notebook | seconds |", "| --- | --- |"]
    lines += [f"| {k} | {v:.1f} |" for k, v in sorted(nb.items())]
    import plotly

    full_plotly = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").stat().st_size
    lines += ["", "## Notes", "",
              f"* Shared assets (`_static/`, among them the {plotly_size / 1e6:.1f} MB plotly.js basic bundle) are "
              "downloaded once per site and cached: "
              "a page's *own* bytes are what a reader pays per extra page. plotly.js is only linked from pages that "
              "have a plotly figure.",
              "* The naive baseline is the same book patched in a temporary copy (`NAIVE_PATCHES` in `run.py`): "
              f"plotly's default `include_plotlyjs=True` puts the whole plotly.js ({full_plotly / 1e6:.1f} MB) inside every "
              "figure, so a page pays it again for each figure and it cannot be cached across pages; folium's default "
              "map documents load Leaflet, jQuery, Bootstrap and Font Awesome from CDNs, so with the network cut they "
              "do not draw.",
              "* For naive pages with maps, the drawing time includes 5 s of waiting before the benchmark gives up: "
              "those maps never draw offline.",
              "* The clean build includes executing every notebook (the orbit reconstruction included).",
              "* What would make it faster: plotly.js is parsed before the first paint (Lighthouse mobile: about 8 s "
              "to first paint on a figure page); drawing figures only when they scroll into view would help phones."]
    (ROOT / "benchmarks" / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:16]))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
