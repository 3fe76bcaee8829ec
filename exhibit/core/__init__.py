"""The bottom layer: the build context (where the book and the cache are), markup and escaping, the package's
own asset files, and the cache of computed results. Imports nothing else of the exhibit."""
