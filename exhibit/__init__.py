"""The Soviet-American Space Alliance: data, figures and maps for the exhibit's chapters.

The package is in layers (README, "House tour"): ``core`` < ``data`` < ``science`` < ``figures`` <
``story`` | ``classroom`` < ``site``. Figures and maps reach a page through
:func:`exhibit.figures.present.present`, which writes one output for JupyterLab and one for the book, both drawing
with no network; the book's build refuses a plotly figure displayed any other way.

Importing the package in a Jupyter kernel changes one thing: after each cell the kernel notes which of the
exhibit's files the chapter has read so far (:mod:`exhibit.core.inputs`), an output no reader sees, which lets the
book re-run a chapter only when its inputs change. Outside a kernel importing it changes nothing.
"""

from exhibit.core import inputs as _inputs

_inputs.start()

__version__ = "0.1.0"
