"""The book's renderer for the exhibit's own output (a myst-nb mime-render plugin, registered in pyproject.toml).

A chapter's kernel writes each figure twice: ``text/html`` for JupyterLab and
:data:`~exhibit.figures.present.EXHIBIT_MIME` for the book. This plugin makes that output the book's choice on
every builder and turns it into the page's HTML: a chart's wide and phone drawings are made here, in the Sphinx
process, by :func:`exhibit.site.drawing.static_svg` (one browser for the whole build, every drawing cached), then
put into the chart's element and figure by the same templates the notebook edition uses.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from exhibit.core.inputs import INPUTS_MIME
from exhibit.figures.present import EXHIBIT_MIME, NARROW_WIDTH, STATIC_WIDTH, drawn_figures, figure_html, plot_html
from exhibit.site.drawing import static_svg

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def page_html(payload: dict) -> str:
    """The book's HTML for one exhibit output (see the module)."""
    if "html" in payload:
        return payload["html"]
    parts = payload["plot"]
    figures = drawn_figures(parts)
    name = parts["div_id"]
    body = plot_html(parts, static_svg(figures["wide"], STATIC_WIDTH, name + "-wide"),
                     static_svg(figures["narrow"], NARROW_WIDTH, name + "-narrow"))
    return figure_html(payload["figure"], body)


class ExhibitMime:
    """myst-nb mime-render plugin: the exhibit's output first, on every builder."""

    mime_priority_overrides = [("*", EXHIBIT_MIME, 1), ("*", INPUTS_MIME, 2)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type in (INPUTS_MIME, PLOTLY_MIME):
            # the chapter's record of what it read is for the build (exhibit.core.inputs), not readers; a chart's
            # plotly JSON is for JupyterLab (the book draws the same figure from the exhibit's own output)
            return []
        if data.mime_type != EXHIBIT_MIME:
            return None
        # the same node myst-nb makes of text/html, so the page's styles for outputs apply
        return [nodes.raw(text=page_html(data.content), format="html", classes=["output", "text_html"])]


class DropEmptyOutputs(SphinxPostTransform):
    """Remove a code cell's output block left empty once myst-nb has chosen each output's format (a cell whose
    only output was the chapter's inputs record, :mod:`exhibit.core.inputs`), so no empty box reaches the page."""

    default_priority = 900  # after myst-nb's choice of format (priority 4)

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(nodes.container)):
            if node.get("nb_element") == "cell_code_output" and not node.children:
                node.parent.remove(node)
