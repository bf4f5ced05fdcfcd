"""設定: HR's headcounts per role (and department), the denominators of the response rates."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import pipeline
from analysis.errors import SurveyError
from analysis.privacy import MISSING
from ui import columns, data, text, widgets

EDITOR = "headcount_editor"  # + the survey: the data editor's session key (its edits)
SAVED = "headcounts_saved"


def editor_key(survey: str) -> str:
    """The editor's key for ``survey``: edits of one survey's rows never land on another's."""
    return f"{EDITOR}:{survey}"


def headcount_section(survey: str) -> None:
    """Edit and save the headcounts of ``survey``: one row per role, or per role x department."""
    st.subheader(text.label("在籍者数（回答率）"))
    st.caption(
        text.label(
            "役割ごと（必要なら部署ごと）の在籍者数を入れると、回答者数の横に回答率を表示します。"
            "部署を空欄にした行は役割全体の人数です。少人数で非表示のグループは、回答率も表示しません。"
        )
    )
    current = data.current_survey()
    counts = (
        data.respondent_counts(current, 1)  # HR's page: the true counts (cached)
        if current is not None
        else pd.DataFrame(columns=pipeline.COUNT_COLUMNS)
    )
    roles = [r for r in dict.fromkeys(counts["role"]) if r != MISSING]
    store = data.wave_store()
    stored = store.headcounts(survey)
    missing = [r for r in roles if r not in set(stored["role"])]
    rows = pd.concat(
        [
            stored.astype({"headcount": str}),
            pd.DataFrame({"role": missing, "department": "", "headcount": ""}),
        ],
        ignore_index=True,
    )
    edited = st.data_editor(
        rows,
        key=editor_key(survey),
        num_rows="dynamic",
        hide_index=True,
        placeholder=columns.MISSING,
        column_config={
            "role": st.column_config.SelectboxColumn(
                text.label("役割"), options=sorted({*roles, *stored["role"]})
            ),
            "department": st.column_config.TextColumn(text.label("部署（空欄 = 役割全体）")),
            "headcount": st.column_config.TextColumn(text.label("在籍者数")),
        },
    )
    if st.session_state.pop(SAVED, False):
        st.success(text.label("在籍者数を保存しました。"), icon=":material/check_circle:")
    if st.button(text.label("在籍者数を保存"), icon=":material/save:"):
        most = counts.groupby("role")["n"].max().to_dict() if len(counts) else {}
        try:
            store.set_headcounts(edited, survey=survey, respondents=most)
        except SurveyError as error:
            st.error(widgets.plain(error), icon=":material/error:")
        else:
            del st.session_state[editor_key(survey)]  # the editor restarts from the store
            st.session_state[SAVED] = True
            st.rerun()
