"""Widgets every page shares: the survey picker and privacy-aware count tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from analysis import access, pipeline, privacy
from analysis.schema import Survey
from ui import auth, data, state, text

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
    user = auth.guard()  # signed in and allowed on this page, else the page stops here
    allowed = {page.value for page in access.allowed_pages(user)}
    for path, name, icon in PAGES:
        if path in allowed:
            st.sidebar.page_link(path, label=text.label(name), icon=icon)
    st.sidebar.divider()


def page_survey(title: str, *, needs_items: bool = False) -> Survey:
    """The survey a page shows, after its page config, title and the sidebar picker.

    Stops the page when there is no survey yet (or, with ``needs_items``, when it has
    no Likert items to score).
    """
    st.set_page_config(
        page_title=f"{text.label(title)} | 架け橋", page_icon=PAGE_ICON, layout="wide"
    )
    st.title(text.label(title))
    survey = survey_picker()
    if survey is None or (needs_items and not survey.schema.items):
        st.stop()
    return survey


def tab_labels(key: str, names: Sequence[str]) -> list[str]:
    """Labels of the tabs ``names`` (Japanese) in the chosen language, for ``st.tabs(key=key)``.

    The open tab is kept in ``st.session_state[key]`` by its label; after a language
    switch the same tab stays open under its label in the other language (Streamlit
    would open the first one).
    """
    labels = [text.label(name) for name in names]
    chosen = st.session_state.get(key)
    if chosen is not None and chosen not in labels:
        for name, shown in zip(names, labels, strict=True):
            if chosen in (name, text.ENGLISH.get(name, name)):
                st.session_state[key] = shown
    return labels


def survey_picker() -> Survey | None:
    """Sidebar navigation and choice of survey; the choice is kept across pages as a string."""
    navigation()
    choices = data.survey_choices()  # only the surveys the user was granted
    if not choices:
        st.info(
            text.label("閲覧できるアンケートがありません。人事に閲覧の許可を依頼してください。")
        )
        st.stop()
    requested = st.query_params.get("survey")
    if requested is not None:  # ?survey=… in the address: only a survey the user may see
        if requested not in choices:
            st.error(text.label(access.REFUSED_SURVEY), icon=":material/block:")
            st.stop()
        st.session_state[state.SURVEY] = requested
    current = data.current_choice()
    shown = text.choices(choices)  # the sample's name; stored surveys' names stay as written
    chosen = shown[
        st.sidebar.selectbox(
            text.label("アンケート"),
            list(shown),
            index=choices.index(current),
            help=text.label("保存済みの調査、またはサンプル"),
        )
    ]
    st.session_state[state.SURVEY] = chosen
    auth.refuse_survey(chosen)  # a manager scoped to a department: only pages cut to it
    scores = data.threshold(state.SETTING_MIN_SCORES)
    comments = data.threshold(state.SETTING_MIN_COMMENTS)
    st.sidebar.caption(
        text.label(
            ":material/lock: 匿名性の基準: 数値は{scores}人以上、コメントは{comments}人以上のグループのみ表示",
            scores=scores,
            comments=comments,
        )
    )
    survey = data.current_survey()
    if survey is None:
        st.info(
            text.label(
                "まだ回答がありません。「アップロード」ページからファイルを保存してください。"
            )
        )
    return survey


def free_text_question(
    label: str, survey: Survey, *, where: DeltaGenerator | None = None, key: str | None = None
) -> str:
    """The free-text column chosen in a selectbox that shows each question's statement.

    The statements go in as a small dict: a bound ``Table.label`` as ``format_func`` would
    take the whole table along wherever Streamlit keeps the widget (AppTest keeps it in
    session state, which the serializability check pickles on every rerun).
    """
    statements = {column: survey.table.label(column) for column in survey.schema.free_text}
    box = st if where is None else where
    if key is not None and st.session_state.get(key) not in statements:
        st.session_state.pop(key, None)  # a column of another survey: start on the first
    return box.selectbox(label, list(statements), format_func=statements.__getitem__, key=key)


def respondent_counts(
    survey: Survey, *, min_group: int, headcounts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """People by role x wave as the deck counts them (:func:`analysis.pipeline.respondent_counts`).

    One row per role, one column per wave; a cell under the threshold reads 「5人未満」,
    one hidden to protect another 「非表示」, never the number. With HR's headcounts (設定)
    each wave's column is followed by its response rate (:func:`analysis.pipeline.response_rates`);
    pass them as ``headcounts`` (:func:`ui.data.headcounts`).
    """
    heads = headcounts if headcounts is not None else pd.DataFrame()
    rows = tuple(heads.itertuples(index=False, name=None))
    return _count_table(survey, min_group, rows, text.english())


@data.cached(show_spinner=False)
def _count_table(survey: Survey, min_group: int, headcounts: tuple, english: bool) -> pd.DataFrame:
    counts = data.respondent_counts(survey, min_group)
    if counts.empty:
        return pd.DataFrame(columns=[text.label("役割")])
    heads = pd.DataFrame(list(headcounts), columns=["role", "department", "headcount"])
    counts = pipeline.response_rates(counts, heads)
    counts["wave"] = counts["wave"].replace("", text.label("全回答"))
    roles, waves = list(dict.fromkeys(counts["role"])), list(dict.fromkeys(counts["wave"]))
    shown = counts.pivot(index="role", columns="wave", values="label")
    shown = shown.reindex(index=roles, columns=waves).fillna("0人").map(text.sentence)
    if counts["rate_label"].ne("").any():
        rates = counts.pivot(index="role", columns="wave", values="rate_label")
        rates = rates.reindex(index=roles, columns=waves).fillna("").map(text.sentence)
        for wave in reversed(waves):
            place = shown.columns.get_loc(wave) + 1
            shown.insert(place, text.label("{wave} 回答率", wave=wave), rates[wave])
    shown.index.name, shown.columns.name = text.label("役割"), text.label("回答時期")
    return shown.reset_index()


#: Streamlit's hint in the upload drop zone names server.maxUploadSize, set above the app's
#: own 50 MB limit so that a larger file gets the app's Japanese refusal (see
#: .streamlit/config.toml); the upload page's caption gives the real limit. A constant:
#: nothing a user or a file wrote ever goes into HTML (tests/test_injection.py).
HIDE_UPLOAD_SIZE_HINT = (
    "<style>[data-testid='stFileUploaderDropzoneInstructions'] {display: none}</style>"
)


def department_too_small(department: str, min_group: int) -> None:
    """The note shown instead of a department's role means when every cell is hidden."""
    st.info(
        text.label(
            "{department}は人数が少ないため、役割ごとの数値を表示できません（{n}人未満のグループを隠しています）。",
            department=plain(department),
            n=min_group,
        ),
        icon=":material/lock:",
    )


def respondent_line(
    survey: Survey, wave: str | None, *, min_group: int, headcounts: pd.DataFrame | None = None
) -> str:
    """One caption: each role's people in ``wave`` with its response rate (as on home).

    The same labels as :func:`respondent_counts` (「5人未満」 for a hidden group, whose
    rate is hidden with it); the rate only where HR entered the role's headcount.
    """
    heads = headcounts if headcounts is not None else pd.DataFrame()
    rows = tuple(heads.itertuples(index=False, name=None))
    return _count_line(survey, wave or "", min_group, rows, text.english())


@data.cached(show_spinner=False)
def _count_line(survey: Survey, wave: str, min_group: int, headcounts: tuple, english: bool) -> str:
    counts = data.respondent_counts(survey, min_group)
    heads = pd.DataFrame(list(headcounts), columns=["role", "department", "headcount"])
    counts = pipeline.response_rates(counts, heads) if len(counts) else counts
    parts = [
        text.label(
            "{role} {n}（回答率 {rate}）",
            role=plain(r.role),
            n=text.sentence(r.label),
            rate=text.sentence(r.rate_label),
        )
        if r.rate_label and not r.suppressed
        else text.label("{role} {n}", role=plain(r.role), n=text.sentence(r.label))
        for r in counts[counts["wave"] == wave].itertuples(index=False)
    ]
    return text.label(
        "回答者数（{wave}）: {groups}",
        wave=plain(wave) if wave else text.label("全回答"),
        groups=text.label("、").join(parts),
    )


@data.cached(show_spinner=False)
def shown_people(survey: Survey, *, min_group: int) -> int:
    """People in the groups the counts table shows (:func:`analysis.pipeline.shown_people`)."""
    return pipeline.shown_people(data.respondent_counts(survey, min_group))


def hidden_note_lines(table: pd.DataFrame, label_cols: str | tuple[str, ...]) -> list[str]:
    """:func:`analysis.privacy.hidden_note_lines`, each line shown as written (:func:`plain`)."""
    return [plain(text.sentence(line)) for line in privacy.hidden_note_lines(table, label_cols)]


def readable_reasons(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its ``reason`` column (why a cell is hidden) in the chosen language."""
    if "reason" not in table.columns or not text.english():
        return table
    return table.assign(reason=table["reason"].map(text.sentence))


def hidden_notes(table: pd.DataFrame, label_cols: str | tuple[str, ...]) -> None:
    """A caption under a chart or table naming every cell it leaves out, and why."""
    lines = hidden_note_lines(table, label_cols)
    if lines:
        st.caption(
            text.label(":material/lock: 表示していない値: {cells}", cells=" ／ ".join(lines))
        )


# The tab icon, served by the app itself: a `:material/…:` page icon makes the browser fetch
# an SVG from an outside font host, which a company network may block (and HR will ask why).
PAGE_ICON = str(Path(__file__).with_name("icon.png"))
JOINER = "\u2060"  # WORD JOINER: invisible, and no link, icon or directive matches across it
_SPECIAL = re.compile(r"[\\`*\[\]()!<>#|~$&]")  # always markup somewhere: escaped everywhere
_UNDERSCORES = re.compile(r"_+")
_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")  # a list item or rule when the text leads
_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\r\n\v\f\x85\u2028\u2029])[ \t]*")
# Streamlit's own text syntax and GitHub autolinks, which escaping does not stop: `:red[x]`,
# `:material/x:`, emoji, `https://…`, `mailto:…` (all after a colon), `www.`, `a@b.example`.
_LINKLIKE = re.compile(r"(?<=:)(?=\S)|(?<=\bwww)(?=\.)|(?<=@)(?=\S)", re.IGNORECASE)


def _underscores(match: re.Match[str]) -> str:
    """``_`` between two letters or digits is no emphasis and stays as written (file_name)."""
    text, start, end = match.string, match.start(), match.end()
    inside = start > 0 and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()
    return match[0] if inside else match[0].replace("_", r"\_")


def plain(text: object) -> str:
    r"""User text (labels, file names, answers) for a Markdown widget, shown as written.

    Every character that is markup is backslash-escaped (links, images, emphasis,
    strike-through, code, math, headings, quotes, tables, HTML and entities), line breaks
    become spaces, and a word joiner (:data:`JOINER`, invisible) follows each ``:``,
    ``www`` and ``@``, so no bare URL or address becomes a link and no Streamlit colour,
    icon or emoji code applies.

    >>> print(plain("管理職[ここ](https://evil.example/x)![x](i.png)").replace(JOINER, "{WJ}"))
    管理職\[ここ\]\(https:{WJ}//evil.example/x\)\!\[x\]\(i.png\)
    >>> print(plain("**太字** $x^2$ ai_survey.csv __下線__"))
    \*\*太字\*\* \$x^2\$ ai_survey.csv \_\_下線\_\_
    """
    value = _LINE_BREAKS.sub(" ", str(text)).strip(" \t")
    value = _SPECIAL.sub(r"\\\g<0>", value)
    value = _UNDERSCORES.sub(_underscores, value)
    value = _LINE_START.sub(r"\\\1", value)
    return _LINKLIKE.sub(JOINER, value)


def warnings(survey: Survey) -> None:
    for note in survey.warnings:
        st.warning(plain(text.sentence(note)), icon=":material/info:")
