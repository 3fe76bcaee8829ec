"""The story layer, what the chapters call: a chapter's view of the data (:mod:`.chapter`), the claim ledger
(:mod:`.ledger`), the "Over the Elbe?" reconstruction told as a story (:mod:`.elbe`), the data page
(:mod:`.datadoc`). Chapters import from here and from :mod:`exhibit.figures` only."""

from exhibit import data  # noqa: E402  the tables, for chapters that choose their own rows (data.events())
from exhibit.data.sources import sources  # noqa: E402  a chapter's source list

__all__ = ["data", "sources"]
