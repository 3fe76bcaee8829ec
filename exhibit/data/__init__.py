"""The data layer: the sourced data package (``data/``) loaded and validated once, the bibliography, and the
citations written for readers (:mod:`exhibit.data.sources`). Nothing here draws or writes HTML pages.

``from exhibit import data`` gives the loader's functions: ``data.events()``, ``data.table("places")``,
``data.load()``; errors name file, row, column and rule (:class:`DataError`).
"""

from .tables import *  # noqa: F403
from .tables import __all__  # noqa: F401
