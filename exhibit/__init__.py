"""The Soviet-American Space Alliance: data, figures and maps for the exhibit's chapters.

Importing the package changes nothing global. Figures and maps reach a page through
:func:`exhibit.figures.present.present`, which draws with no network both in the built book and in JupyterLab (see
:mod:`exhibit.figures.offline`); the book's build refuses a plotly figure displayed any other way.
"""

__version__ = "0.1.0"
