"""The claim ledger: the article's checkable claims with verdicts, as a chart and a linkable list."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from exhibit.core.markup import render
from exhibit.figures.charts import FONT, hover
from exhibit.figures.present import HTML

VERDICTS = {
    # verdict (as stored in claims.csv): (colour, meaning)
    "supported": ("#009E73", "the sources we checked agree with the article"),
    "corrected": ("#D55E00", "the sources say otherwise; the exhibit uses what they say"),
    "disputed": ("#CC79A7", "good sources contradict each other; the exhibit shows both"),
    "unverified": ("#767676", "we found no source either way, which does not make it false"),
}
#: the list puts what the article gets wrong first, then what nobody can settle, then what holds
LIST_ORDER = ("corrected", "disputed", "unverified", "supported")
#: the words a reader sees for each stored verdict
LABELS = {"supported": "Supported", "corrected": "Not supported", "disputed": "Sources disagree",
          "unverified": "Not confirmed"}


def verdict_chart(claims: pd.DataFrame) -> go.Figure:
    """How many claims got each verdict (a horizontal bar per verdict)."""
    counts = claims["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)
    fig = go.Figure(go.Bar(
        x=counts.values, y=[LABELS[v] for v in counts.index], orientation="h",
        marker_color=[VERDICTS[v][0] for v in counts.index], text=counts.values, textposition="outside",
        customdata=[[hover(f"{LABELS[v]}: {n} claims", VERDICTS[v][1])] for v, n in counts.items()],
        hovertemplate="%{customdata[0]}<extra></extra>",
    ))
    fig.update_layout(title=dict(text="Verdicts on the article's claims", x=0), height=260, font=FONT,
                      template="plotly_white", margin=dict(l=10, r=30, t=50, b=30),
                      xaxis_title="Number of claims")
    fig.update_yaxes(autorange="reversed")
    return fig


def verdict_figure(claims: pd.DataFrame):
    """The verdict chart with its caption, alt text and table, the counts computed from the claims."""
    from exhibit.figures.present import present

    counts = claims["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)
    told = "; ".join(f"{n} {LABELS[v].lower()}" for v, n in counts.items())
    return present(verdict_chart(claims),
                   caption=f"{len(claims)} checkable claims of the article and the verdict each received.",
                   alt=f"Horizontal bar chart counting the {len(claims)} claims by verdict: {told}.",
                   table=counts.rename(LABELS).rename_axis("verdict").reset_index(name="claims"),
                   table_caption="Claims per verdict")


def claim_list(claims: pd.DataFrame, events: pd.DataFrame | None = None) -> HTML:
    """Every claim with its verdict, correction, explanation and sources; anchor ``#claim-<id>``."""
    from exhibit.data.sources import cite_pairs, readable

    order = {v: i for i, v in enumerate(LIST_ORDER)}
    items = [{"id": r.id, "verdict": r.verdict, "label": LABELS[r.verdict], "claim": r.claim, "quote": r.quote,
              "explanation": readable(r.explanation),
              "correction": "" if str(r.correction or "") in ("", "<NA>") else readable(r.correction),
              "sources": cite_pairs(r.sources)}
             for r in claims.sort_values("verdict", key=lambda s: s.map(order), kind="stable").itertuples()]
    counts = claims["verdict"].value_counts()
    shown = [(v, LABELS[v], int(counts.get(v, 0))) for v in LIST_ORDER if counts.get(v, 0)]
    return HTML(render("claims.html", items=items, verdicts=shown, total=len(claims)))


def verdict_box(word: str, explanation: str) -> HTML:
    """A verdict in its coloured box, as the claim ledger states it."""
    if word not in VERDICTS:
        raise ValueError(f"unknown verdict {word!r}: use one of {', '.join(VERDICTS)}")
    return HTML(render("verdict.html", word=word, label=LABELS[word], explanation=explanation))
