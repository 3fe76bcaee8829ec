"""Measure the replay page ("Fly the mission") of a built book and write its section of benchmarks/RESULTS.md.

    PYTHONPATH=. .venv/bin/python benchmarks/replay.py [path/to/_build/html]

Measures, in headless Debian Chromium with every non-local request aborted:

* redraw time after one slider step: a keyboard step (ArrowRight) is dispatched on the slider 100 times; for each,
  the time the page's own handler takes (map, trails, night shading, readout) and the time until the next
  animation frame has been produced (handler plus layout and paint); medians and 95th percentiles;
* the page's own bytes: its HTML (which embeds the positions) and replay.js, raw and gzipped, and the embedded
  data alone. Shared assets (Leaflet, the land outline, the theme) are listed separately; they are cached across
  pages.

The section it writes replaces any earlier "## Replay page" section (benchmarks/run.py rewrites the whole file;
run this afterwards).
"""

from __future__ import annotations

import gzip
import re
import statistics
import sys
from datetime import date
from pathlib import Path

from exhibit.site.browser import open_site

ROOT = Path(__file__).resolve().parent.parent
PAGE = "chapters/fly-the-mission.html"
TARGET_MS = 50
STEPS = 100

STEP = """async () => {
  const slider = document.querySelector('#replay-slider');
  const t0 = performance.now();
  slider.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true, cancelable: true}));
  const handler = performance.now() - t0;
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return [handler, performance.now() - t0, window.exhibitReplay.index()];
}"""


def sizes(site: Path) -> dict[str, int]:
    html = (site / PAGE).read_bytes()
    js = (site / "_static" / "exhibit" / "replay.js").read_bytes()
    found = re.search(rb"<script type=\"application/json\" data-exhibit-replay-data[^>]*>(.*?)</script>", html, re.S)
    payload = found.group(1) if found else b""
    shared = {name: (site / "_static" / "exhibit" / name).read_bytes()
              for name in ("leaflet.js", "leaflet.css", "land.js")}
    return {"html": len(html), "html_gz": len(gzip.compress(html)), "js": len(js), "js_gz": len(gzip.compress(js)),
            "data": len(payload), "data_gz": len(gzip.compress(payload)),
            "shared": sum(len(v) for v in shared.values()),
            "shared_gz": sum(len(gzip.compress(v)) for v in shared.values())}


def redraws(site: Path) -> dict[str, float]:
    with open_site(site) as browser:
        visit = browser.visit(PAGE + "#t=1975-07-17T16:00Z")
        page = visit.page
        page.wait_for_function("() => window.exhibitReplay !== undefined")
        page.focus("#replay-slider")
        start = page.evaluate("() => window.exhibitReplay.index()")
        runs = [page.evaluate(STEP) for _ in range(STEPS)]
        errors, blocked = list(visit.errors), list(visit.blocked)
    handler = [r[0] for r in runs]
    frame = [r[1] for r in runs]
    assert runs[-1][2] == start + STEPS, "the slider did not step"
    q = statistics.quantiles
    return {"handler_median": statistics.median(handler), "handler_p95": q(handler, n=20)[-1],
            "frame_median": statistics.median(frame), "frame_p95": q(frame, n=20)[-1],
            "errors": len(errors), "blocked": len(blocked)}


def section(s: dict, r: dict) -> str:
    kb = lambda n: f"{n / 1000:.0f} KB"  # noqa: E731
    met = "yes" if r["frame_median"] <= TARGET_MS else "NO"
    return "\n".join([
        "## Replay page (chapters/fly-the-mission.html)",
        "",
        f"Measured {date.today():%Y-%m-%d} by `benchmarks/replay.py`: headless Debian Chromium, 1280 x 900, every "
        f"non-local request aborted; {STEPS} keyboard steps of one minute on the slider.",
        "",
        "| measure | result | target | met? |",
        "| --- | --- | --- | --- |",
        f"| redraw after a slider step, to the next frame (median / 95th percentile) | {r['frame_median']:.1f} ms / "
        f"{r['frame_p95']:.1f} ms | <= {TARGET_MS} ms (median) | {met} |",
        f"| of which the page's own handler (median / 95th percentile) | {r['handler_median']:.1f} ms / "
        f"{r['handler_p95']:.1f} ms | (reported) | |",
        f"| page HTML, positions embedded (raw / gzip) | {kb(s['html'])} / {kb(s['html_gz'])} | (reported) | |",
        f"| embedded positions and events alone (raw / gzip) | {kb(s['data'])} / {kb(s['data_gz'])} | <= 300 KB gzip "
        f"| {'yes' if s['data_gz'] <= 300_000 else 'NO'} |",
        f"| replay.js (raw / gzip) | {kb(s['js'])} / {kb(s['js_gz'])} | (reported) | |",
        f"| shared assets it uses, cached across pages: Leaflet, land outline (raw / gzip) | {kb(s['shared'])} / "
        f"{kb(s['shared_gz'])} | (reported) | |",
        f"| console errors / blocked requests during the run | {r['errors']} / {r['blocked']} | 0 / 0 | "
        f"{'yes' if r['errors'] == r['blocked'] == 0 else 'NO'} |",
        ""])


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / "html"
    text = section(sizes(site), redraws(site))
    results = ROOT / "benchmarks" / "RESULTS.md"
    old = results.read_text(encoding="utf-8")
    old = re.sub(r"\n## Replay page.*?(?=\n## |\Z)", "", old, flags=re.S).rstrip("\n")
    results.write_text(old + "\n\n" + text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
