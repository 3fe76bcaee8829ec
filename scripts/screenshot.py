"""Screenshot pages of the built book in headless Chromium with every non-local request blocked.

    python scripts/screenshot.py chapters/apollo-soyuz.html [more pages...] [--out DIR] [--width 1280]

Prints console errors and blocked requests; writes one full-page PNG per page into DIR (default /tmp/shots).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from exhibit.site.browser import draw_all, open_site


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--out", default="/tmp/shots")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--site", default="_build/html")
    parser.add_argument("--as-arrived", action="store_true", help="keep the charts as the page delivers them "
                        "(drawings), instead of making them live first")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open_site(Path(args.site), width=args.width) as site:
        for page in args.pages:
            visit = site.visit(page)
            draw_all(visit.page, live=not args.as_arrived)
            png = out / (page.replace("/", "_").replace(".html", "") + f"-{args.width}{'-arrived' * args.as_arrived}.png")
            visit.page.screenshot(path=str(png), full_page=True)
            print(page, "->", png, "| console errors:", visit.errors, "| blocked:", visit.blocked)
            visit.page.close()


if __name__ == "__main__":
    main()
