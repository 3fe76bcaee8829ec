"""``python -m exhibit.site.build [jupyter-book build options]``: Jupyter Book's own ``build`` command, with its
Sphinx reading the pages on every core (``-j``), so two chapters execute at once on a two-core machine.

Jupyter Book 1's command line has no option for Sphinx's parallel reading, although its build function takes one
(``jobs``); this passes it. Every extension the book uses declares itself safe for parallel reading. Set
``EXHIBIT_JOBS=1`` to read one page at a time (the output is the same; the reproducibility test builds both ways).
"""

from __future__ import annotations

import functools
import os
import sys


def jobs() -> int:
    return int(os.environ.get("EXHIBIT_JOBS") or min(os.cpu_count() or 1, 4))


def main(argv: list[str] | None = None) -> None:
    import jupyter_book.sphinx
    from jupyter_book.cli import main as cli

    # the command imports build_sphinx from this module when it runs
    jupyter_book.sphinx.build_sphinx = functools.partial(jupyter_book.sphinx.build_sphinx, jobs=jobs())
    cli.main(["build", *(sys.argv[1:] if argv is None else argv)], standalone_mode=True)


if __name__ == "__main__":
    main()
