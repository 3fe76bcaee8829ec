"""The Soviet-American Space Alliance: data, figures and maps for the exhibit's chapters.

Importing the package registers a plotly renderer (``exhibit``) that draws with no network both in the built
book and in JupyterLab; see :mod:`exhibit.offline`.
"""

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer
from plotly.io._renderers import PlotlyRenderer

from . import offline

__version__ = "0.1.0"


class ExhibitRenderer(MimetypeRenderer):
    """HTML that uses the page's own plotly.js (book), plus plotly JSON for JupyterLab (notebook)."""

    def to_mimebundle(self, fig_dict):
        from .present import _plotly_html
        import plotly.graph_objects as go

        bundle = {"text/html": _plotly_html(go.Figure(fig_dict), div_id=None)}
        if not offline.in_book():
            bundle.update(PlotlyRenderer().to_mimebundle(fig_dict))
        return bundle


pio.renderers["exhibit"] = ExhibitRenderer()
pio.renderers.default = "exhibit"
