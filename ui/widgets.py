"""Widgets every page shares: the survey picker and privacy-aware count tables."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from analysis.gaps import order_roles
from analysis.privacy import suppress_complementary
from analysis.schema import Field, Survey
from ui import data, state, text

PAGES = (
    ("app.py", "ホーム", ":material/home:"),
    ("pages/1_upload.py", "アップロード", ":material/upload_file:"),
    ("pages/2_gaps.py", "役割間のギャップ", ":material/compare_arrows:"),
    ("pages/3_trends.py", "研修前後の変化", ":material/trending_up:"),
    ("pages/4_free_text.py", "自由記述", ":material/forum:"),
    ("pages/5_export.py", "書き出し", ":material/download:"),
    ("pages/6_settings.py", "設定", ":material/settings:"),
)


def navigation() -> None:
    """Japanese page names in the sidebar (the pages/ folder stays the one mechanism)."""
    text.language_toggle()
    for path, name, icon in PAGES:
        st.sidebar.page_link(path, label=text.label(name), icon=icon)
    st.sidebar.divider()


def page_survey(title: str, icon: str, *, needs_items: bool = False) -> Survey:
    """The survey a page shows, after its page config, title and the sidebar picker.

    Stops the page when there is no survey yet (or, with ``needs_items``, when it has
    no Likert items to score).
    """
    st.set_page_config(page_title=f"{title} | 架け橋", page_icon=icon, layout="wide")
    st.title(text.label(title))
    survey = survey_picker()
    if survey is None or (needs_items and not survey.schema.items):
        st.stop()
    return survey


def survey_picker() -> Survey | None:
    """Sidebar navigation and choice of survey; the choice is kept across pages as a string."""
    navigation()
    choices = data.survey_choices()
    current = data.current_choice()
    chosen = st.sidebar.selectbox(
        text.label("アンケート"),
        choices,
        index=choices.index(current),
        help="保存済みの調査、またはサンプル",
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


def free_text_question(label: str, survey: Survey, *, where: DeltaGenerator | None = None) -> str:
    """The free-text column chosen in a selectbox that shows each question's statement.

    The statements go in as a small dict: a bound ``Table.label`` as ``format_func`` would
    take the whole table along wherever Streamlit keeps the widget (AppTest keeps it in
    session state, which the serializability check pickles on every rerun).
    """
    statements = {column: survey.table.label(column) for column in survey.schema.free_text}
    box = st if where is None else where
    return box.selectbox(label, list(statements), format_func=statements.__getitem__)


@data.cached(show_spinner=False)
def respondent_counts(survey: Survey, *, min_group: int) -> pd.DataFrame:
    """Responses by role x wave; cells under the threshold read 「<N」, never the number.

    Wave totals are shown elsewhere (設定, アップロード), so a wave with one hidden group
    hides another as well (「非表示」): the hidden one would otherwise follow by subtraction.
    """
    roles = survey.group_values(Field.ROLE).fillna("（不明）")
    waves = survey.group_values(Field.WAVE).fillna("（全体）")
    table = pd.crosstab(roles, waves)
    order = [w for w in survey.waves if w in table.columns] or list(table.columns)
    table = table.reindex(index=order_roles(table.index), columns=order)
    cells = table.rename_axis(index="role", columns="wave").stack().rename("n").reset_index()
    cells = suppress_complementary(
        cells, group_cols=["wave", "role"], min_group=min_group, value_cols=[]
    )
    hidden = cells.pivot(index="role", columns="wave", values="suppressed")
    hidden = hidden.reindex(index=table.index, columns=table.columns)
    label = (
        table.astype(object)
        .where(table < min_group, "非表示")
        .where(table >= min_group, f"<{min_group}")
    )
    shown = table.astype(object).where(~hidden, label)
    shown.index.name, shown.columns.name = "役割", "回答時期"
    return shown.reset_index()


_MARKUP = re.compile(r"([\\`\[\]()!<>])")


def plain(text: object) -> str:
    """User text (labels, file names, answers) for a Markdown widget: no link, image or HTML.

    >>> plain("管理職[ここ](https://example.com)![x](https://t.example/p.png)")
    '管理職\\[ここ\\]\\(https://example.com\\)\\!\\[x\\]\\(https://t.example/p.png\\)'
    """
    return _MARKUP.sub(r"\\\1", str(text))


def warnings(survey: Survey) -> None:
    for note in survey.warnings:
        st.warning(plain(note), icon=":material/info:")
