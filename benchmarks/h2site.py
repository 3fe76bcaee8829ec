"""The built site served over HTTP/2 with TLS and gzip, as GitHub Pages serves it (for the Lighthouse benchmark).

    python benchmarks/h2site.py SITE_DIR PORT CERT KEY

A minimal ASGI app under hypercorn: static files, text gzipped when the browser accepts it, ``Cache-Control:
max-age=600``. The certificate is a throwaway self-signed one made by ``lighthouse.py``; Chromium is told to
accept it.
"""

from __future__ import annotations

import asyncio
import gzip
import mimetypes
import sys
from pathlib import Path

from hypercorn.asyncio import serve
from hypercorn.config import Config

TEXT = (".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".geojson")


def app_for(site: Path):
    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        path = (site / scope["path"].lstrip("/")).resolve()
        if path.is_dir():
            path = path / "index.html"
        if site not in path.parents or not path.is_file():
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        body = path.read_bytes()
        headers = [(b"content-type", (mimetypes.guess_type(path.name)[0] or "application/octet-stream").encode()),
                   (b"cache-control", b"max-age=600")]
        accepts = dict(scope["headers"]).get(b"accept-encoding", b"")
        if path.suffix in TEXT and b"gzip" in accepts:
            body = gzip.compress(body, compresslevel=6)
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
    return app


def main() -> None:
    site, port, cert, key = Path(sys.argv[1]).resolve(), sys.argv[2], sys.argv[3], sys.argv[4]
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.certfile, config.keyfile = cert, key
    config.alpn_protocols = ["h2", "http/1.1"]
    config.accesslog = config.errorlog = None
    asyncio.run(serve(app_for(site), config))


if __name__ == "__main__":
    main()
