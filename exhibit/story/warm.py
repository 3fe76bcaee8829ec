"""``python -m exhibit.story.warm``: compute the chapters' expensive results once (the orbit reconstructions of
"Over the Elbe?" and "Fly the mission"), so they wait in the result cache (:mod:`exhibit.core.cache`) for the
notebooks. Binder's ``postBuild`` runs it, so a reader's "Run All" reads them instead of computing them."""

from __future__ import annotations

import time


def main() -> None:
    from exhibit.figures.replay import Mission
    from exhibit.story.elbe import ElbeStory

    started = time.perf_counter()
    ElbeStory()
    Mission()
    print(f"exhibit: orbit reconstructions ready in the result cache ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
