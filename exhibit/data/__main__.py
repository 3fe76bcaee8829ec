"""python -m exhibit.data: check the data package and say what is wrong, file by file (see tables.main)."""

from .tables import main

raise SystemExit(main())
