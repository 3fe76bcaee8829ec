"""The site, on top: the Sphinx extension (:mod:`.sphinxext`), the theme overrides (``theme/``), the one
stylesheet (:mod:`.stylesheet`) and the headless browser that tests and benchmarks drive (:mod:`.browser`)."""
