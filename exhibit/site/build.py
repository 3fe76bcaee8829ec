"""``python -m exhibit.site.build [--jobs N] [jupyter-book build options]``: Jupyter Book's own ``build`` command, with its
Sphinx reading the pages on every core (``-j``), so two chapters execute at once on a two-core machine.

Jupyter Book 1's command line has no option for Sphinx's parallel reading, although its build function takes one
(``jobs``); this passes it. Every extension the book uses declares itself safe for parallel reading. ``--jobs 1``
reads one page at a time (the output is the same; the reproducibility test builds both ways).
"""

from __future__ import annotations

import functools
import os
import sys


def split_jobs(args: list[str]) -> tuple[int, list[str]]:
    """(processes, Jupyter Book's own arguments): ``--jobs N`` taken out, every core (at most 4) by default."""
    if "--jobs" in args:
        at = args.index("--jobs")
        return max(1, int(args[at + 1])), args[:at] + args[at + 2:]
    return min(os.cpu_count() or 1, 4), args


#: optional packages that jsonschema (imported by Jupyter Book to check _config.yml, and by nbformat) loads when
#: present, only to check the "iri" string format that neither schema uses; rfc3987_syntax compiles 38 grammars on
#: import (about 2.3 s on this machine, a third of a rebuild that has nothing to do), so the build goes without it
UNUSED_FORMAT_CHECKERS = ("rfc3987_syntax",)


def main(argv: list[str] | None = None) -> None:
    for name in UNUSED_FORMAT_CHECKERS:
        sys.modules.setdefault(name, None)  # a None entry makes "import name" raise ImportError, which jsonschema skips
    import jupyter_book.sphinx
    from jupyter_book.cli import main as cli

    jobs, args = split_jobs(sys.argv[1:] if argv is None else argv)
    # the command imports build_sphinx from this module when it runs
    jupyter_book.sphinx.build_sphinx = functools.partial(jupyter_book.sphinx.build_sphinx, jobs=jobs)
    cli.main(["build", *args], standalone_mode=True)


if __name__ == "__main__":
    main()
