"""The home page's 要点: the deck's headline sentences, each with a link to the page behind it."""

from __future__ import annotations

import streamlit as st

from analysis.schema import Survey
from ui import data, text, widgets

# Where a headline's numbers are shown in full (analysis.headlines.headline_table kinds).
PAGE_OF_KIND = {
    "favourable": ("pages/2_gaps.py", "役割間のギャップで見る"),
    "gap": ("pages/2_gaps.py", "役割間のギャップで見る"),
    "isolation": ("pages/2_gaps.py", "役割間のギャップで見る"),
    "change": ("pages/3_trends.py", "研修前後の変化で見る"),
    "retention": ("pages/3_trends.py", "研修前後の変化で見る"),
}
MAX_FINDINGS = 4


def show_findings(survey: Survey, min_group: int) -> None:
    """Up to four headline sentences (the deck's 要点, same numbers), each linking to its page.

    Nothing is drawn when no sentence can be written (one small group, no items).
    """
    if not survey.schema.items:
        return
    rows = data.headline_rows(survey, min_group).head(MAX_FINDINGS)
    if rows.empty:
        return
    st.subheader(text.label("要点"))
    st.caption(
        text.label("スライドの「要点」と同じ文です。{n}人未満のグループは使いません。", n=min_group)
    )
    for row in rows.itertuples(index=False):
        with st.container(border=True):
            st.markdown(widgets.plain(text.sentence(row.text)))
            page, link = PAGE_OF_KIND.get(row.kind, PAGE_OF_KIND["gap"])
            st.page_link(page, label=text.label(link), icon=":material/arrow_forward:")
