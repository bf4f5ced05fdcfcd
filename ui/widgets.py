"""Widgets every page shares: the survey picker and privacy-aware count tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.schema import Field, Survey
from ui import data, state


def survey_picker() -> Survey | None:
    """Sidebar choice of survey; the choice is kept across pages as a plain string."""
    choices = data.survey_choices()
    current = data.current_choice()
    chosen = st.sidebar.selectbox(
        "アンケート", choices, index=choices.index(current), help="保存済みの調査、またはサンプル"
    )
    st.session_state[state.SURVEY] = chosen
    scores = data.threshold(state.SETTING_MIN_SCORES)
    comments = data.threshold(state.SETTING_MIN_COMMENTS)
    st.sidebar.caption(
        f":material/lock: 匿名性の基準: 数値は{scores}人以上、コメントは{comments}人以上のグループのみ表示"
    )
    survey = data.current_survey()
    if survey is None:
        st.info("まだ回答がありません。「アップロード」ページからファイルを保存してください。")
    return survey


def respondent_counts(survey: Survey, *, min_group: int) -> pd.DataFrame:
    """Responses by role x wave; cells under the threshold read 「<N」, never the number."""
    roles = survey.group_values(Field.ROLE).fillna("（不明）")
    waves = survey.group_values(Field.WAVE).fillna("（全体）")
    table = pd.crosstab(roles, waves)
    order = [w for w in survey.waves if w in table.columns] or list(table.columns)
    table = table[order]
    shown = table.astype(object).where(table >= min_group, f"<{min_group}")
    shown.index.name, shown.columns.name = "役割", "回答時期"
    return shown.reset_index()


def warnings(survey: Survey) -> None:
    for note in survey.warnings:
        st.warning(note, icon=":material/info:")
