"""Lighthouse (mobile defaults: simulated slow 4G, 4x CPU slowdown) on the built site served with gzip, offline.

    python benchmarks/lighthouse.py [--site _build/html] [--runs 3] [PAGE ...]   (default: every page)

Needs npm's ``lighthouse`` (``npm install lighthouse``; set ``LIGHTHOUSE`` to its binary if it is not on the
PATH), Debian's Chromium (``CHROME_PATH``, default ``/usr/bin/chromium``), ``openssl`` and ``pip install hypercorn``.
The site is served on localhost the way GitHub Pages serves it: HTTP/2 over TLS (``h2site.py``, a throwaway
certificate), ``Content-Encoding: gzip`` for text, ten minutes' caching; ``--http1`` serves HTTP/1.1 instead.
Every other host is unreachable. Writes
``benchmarks/lighthouse.json`` and prints a Markdown table for ``RESULTS.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = (".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".geojson")
SHARED = ("searchindex.js",)
CHROME_FLAGS = "--headless=new --no-sandbox --host-resolver-rules=\"MAP * ~NOTFOUND, EXCLUDE 127.0.0.1\""
#: with --h2: the benchmark's own throwaway certificate
H2_FLAGS = " --ignore-certificate-errors"


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text compressed with gzip as GitHub Pages does (and cached for ten minutes, as there), over
    persistent connections (GitHub Pages serves HTTP/2; Python's default HTTP/1.0 would open a new connection,
    with its own handshake and slow start, for every file)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix not in TEXT or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


@contextlib.contextmanager
def serve_h2(site: Path):
    """The site over HTTP/2 and TLS (``h2site.py`` under hypercorn), with a throwaway self-signed certificate."""
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = Path(tmp) / "cert.pem", Path(tmp) / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                        str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("h2site.py")), str(site), str(port),
                                   str(cert), str(key)])
        try:
            for _ in range(100):
                with socket.socket() as s, contextlib.suppress(OSError):
                    s.connect(("127.0.0.1", port))
                    break
                time.sleep(0.1)
            yield f"https://127.0.0.1:{port}/"
        finally:
            server.terminate()
            server.wait(timeout=10)


@contextlib.contextmanager
def serve(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def lighthouse(url: str, out: Path, extra_flags: str = "") -> dict:
    binary = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse") or "npx lighthouse"
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = (f"{binary} {url} --quiet --output=json --output-path={out} --chrome-flags='{CHROME_FLAGS}{extra_flags}' "
               "--only-categories=performance,accessibility,best-practices")
    subprocess.run(command, shell=True, check=True, env=env, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "best_practices": report["categories"]["best-practices"]["score"],
        "fcp_s": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "bytes_gzip": audits["total-byte-weight"]["numericValue"],
        # a further page once the shared assets (everything under _static/, the search index) are cached
        "warm_bytes_gzip": sum(r.get("transferSize", 0) for r in audits["network-requests"]["details"]["items"]
                               if "/_static/" not in r["url"] and not r["url"].split("?")[0].endswith(SHARED)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="*", help="pages to measure (default: every page of the site)")
    parser.add_argument("--site", default=str(ROOT / "_build" / "html"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--http1", action="store_true", help="serve over HTTP/1.1 without TLS instead of HTTP/2 "
                        "with TLS (GitHub Pages serves HTTP/2)")
    args = parser.parse_args()
    results = {}
    site = Path(args.site)
    pages = args.pages or sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                                 if not p.relative_to(site).parts[0].startswith("_"))
    server, flags = (serve, "") if args.http1 else (serve_h2, " --ignore-certificate-errors")
    with server(site) as base, tempfile.TemporaryDirectory() as tmp:
        for page in pages:
            runs = [lighthouse(base + page, Path(tmp) / "report.json", flags) for _ in range(args.runs)]
            results[page] = runs
            print(page, [f"{r['performance']:.2f}" for r in runs], flush=True)
    record = {"date": date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
              "runs": args.runs, "protocol": "http/1.1" if args.http1 else "h2 (TLS)", "pages": results}
    (ROOT / "benchmarks" / "lighthouse.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"\nLighthouse {record['date']}, {record['machine']}, mobile defaults, gzip, offline, "
          f"median of {args.runs} runs:\n")
    print("| page | performance | accessibility | best practices | FCP (s) | LCP (s) | TBT (ms) | CLS "
          "| bytes, cold (gzip) | bytes, warm (gzip) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for page, runs in results.items():
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        each = ", ".join(f"{r['performance'] * 100:.0f}" for r in runs)
        print(f"| {page} | {med['performance'] * 100:.0f} ({each})"
              f" | {med['accessibility'] * 100:.0f} | {med['best_practices'] * 100:.0f} | {med['fcp_s']:.1f} | "
              f"{med['lcp_s']:.1f} | {med['tbt_ms']:.0f} | {med['cls']:.3f} | {med['bytes_gzip'] / 1e6:.2f} MB | "
              f"{med['warm_bytes_gzip'] / 1e3:.0f} KB |")


if __name__ == "__main__":
    main()
