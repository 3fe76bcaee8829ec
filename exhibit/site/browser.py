"""Serve a built site on localhost and drive it in Debian's Chromium with the network cut.

Every request that is not to the local server is aborted and recorded; console errors and page errors are
collected per page. Used by the browser tests, scripts/screenshot.py and the benchmark; Playwright (a test dependency) is imported only when a browser is opened.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    cache_seconds = 0

    def log_message(self, *args):  # keep test output readable
        pass

    def end_headers(self):
        if self.cache_seconds:
            self.send_header("Cache-Control", f"public, max-age={self.cache_seconds}")
        super().end_headers()


@dataclass
class Visit:
    page: object
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


#: every live plotly figure has its SVG (or every chart its drawing) and every map its land outline, with its
#: opening zoom (fitted to its markers) finished
DRAWN = """(live) => [...document.querySelectorAll(live ? '.plotly-graph-div' : '.exhibit-static')]
                 .every(p => p.querySelector('svg.main-svg'))
              && [...document.querySelectorAll('iframe.exhibit-map')].every(f => f.contentDocument &&
                  f.contentDocument.querySelector('path.exhibit-land') &&
                  !f.contentDocument.querySelector('.leaflet-zoom-anim'))"""

SCROLL_THROUGH = """async (live) => {
  for (const e of document.querySelectorAll('.plotly-graph-div, iframe.exhibit-map')) {
    e.scrollIntoView({block: 'center'});
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  }
  for (const b of live ? document.querySelectorAll('[data-exhibit-explore]') : []) {
    window.exhibitPlots.explore(b.getAttribute('data-exhibit-explore'), false);
  }
  window.scrollTo(0, 0);
}"""


def draw_all(page, timeout: int = 15000, live: bool = True) -> None:
    """Bring every map near the screen once (maps draw as a reader scrolls to them), turn every chart's drawing
    into the live chart (as a reader's hover or tap does; ``live=False`` keeps the drawings the page arrives
    with), wait until all are drawn, and return to the top."""
    page.evaluate(SCROLL_THROUGH, live)
    page.wait_for_function(DRAWN, arg=live, timeout=timeout)


class Site:
    def __init__(self, context, base: str):
        self.context, self.base = context, base

    def visit(self, path: str, wait_until: str = "load", viewport: tuple[int, int] | None = None) -> Visit:
        page = self.context.new_page()
        if viewport:
            page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        visit = Visit(page)
        page.on("console", lambda msg: msg.type == "error" and visit.errors.append(msg.text))
        page.on("pageerror", lambda exc: visit.errors.append(f"pageerror: {exc}"))
        page.on("request", lambda req: visit.requests.append(req.url))
        page.goto(self.base + path.lstrip("/"), wait_until=wait_until)
        visit.blocked = list(self.context.blocked)
        self.context.blocked.clear()
        return visit


@contextlib.contextmanager
def open_site(root: Path, width: int = 1280, height: int = 900, intercept: bool = True, cache_seconds: int = 0):
    """Serve `root` on localhost and open Chromium on it.

    `intercept=True` aborts and records every non-local request (used by the tests); Playwright's interception
    also turns off Chromium's HTTP cache. `intercept=False` blocks other hosts at the resolver instead, which
    keeps the cache working (used by the benchmarks to measure caching).
    """
    handler = functools.partial(type("Handler", (_QuietHandler,), {"cache_seconds": cache_seconds}),
                                directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with open_browser(f"http://127.0.0.1:{server.server_address[1]}/", width, height, intercept) as site:
            yield site
    finally:
        server.shutdown()


@contextlib.contextmanager
def open_browser(base: str, width: int = 1280, height: int = 900, intercept: bool = True):
    """Chromium on a local server at `base`, with every other host blocked (see :func:`open_site`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        args = CHROMIUM_ARGS + ([] if intercept else
                                ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'])
        browser = pw.chromium.launch(executable_path=chromium_path(), args=args)
        context = browser.new_context(viewport={"width": width, "height": height})
        context.blocked = []

        def route(r):
            host = urlparse(r.request.url).hostname
            if r.request.url.startswith(("data:", "about:", "blob:")) or host in ("127.0.0.1", "localhost"):
                r.continue_()
            else:
                context.blocked.append(r.request.url)
                r.abort()

        if intercept:
            context.route("**/*", route)
        try:
            yield Site(context, base)
        finally:
            browser.close()
