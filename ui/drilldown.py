"""From a clicked cell of the gaps charts to the comments behind it.

The heatmap and the dumbbell chart carry ``[statement, role, …]`` as each point's
``customdata`` (:mod:`analysis.figures`); ``st.plotly_chart(..., on_select="rerun")``
hands the clicked points back. :func:`picked_cell` reads them, :func:`drill_down`
returns the role's comments (the same :func:`ui.data.comments` selection, threshold
and masking as 「この差の背景にある声」), the reason a hidden cell is hidden, and a
keyword for the free-text page's search, which reads it from :data:`KEYWORD`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analysis.figures import plain as chart_label
from analysis.schema import Survey
from analysis.text import morphemes
from ui import data, text
from ui.widgets import plain

FREE_TEXT_PAGE = Path(__file__).resolve().parents[1] / "pages" / "4_free_text.py"
HEATMAP = "gaps_heatmap_chart"  # st.plotly_chart keys: their selection state lives here
DUMBBELL = "gaps_dumbbell_chart"
ROLE = "gaps_voice_role"  # the role picker of 「この差の背景にある声」
KEYWORD = "free_text_keyword"  # the free-text page's keyword box (a plain str)
QUESTION = "free_text_question"  # the free-text page's question picker (a column name)
OPEN_SEARCH = "free_text_open_search"  # one-shot: the free-text page opens キーワード検索
_LAST = "gaps_drill_last"  # {chart key: [statement, role] it last reported}
_CURRENT = "gaps_drill_cell"  # [statement, role] being drilled into
GENERIC_WORDS = frozenset({"ai", "自分", "今後", "こと", "もの", "ため", "よう"})
_KANJI = re.compile(r"[\u4e00-\u9fff]")
_KANA_ENDING = "".join(chr(c) for c in range(0x3041, 0x3097))  # hiragana, cut off a verb


@dataclass(frozen=True)
class Cell:
    """One role x statement of a gaps chart."""

    item: str
    role: str


@dataclass(frozen=True)
class DrillDown:
    """What the page shows for a clicked cell.

    ``comments`` is ``None`` when the role has too few answers to quote (or the cell is
    hidden); ``hidden_reason`` says why a hidden cell has no number.
    """

    cell: Cell
    comments: list[str] | None
    hidden_reason: str | None
    keyword: str
    question: str | None = None  # the free-text column the comments answer


def picked_cell(event: Mapping[str, Any] | None) -> Cell | None:
    """The role x statement of the first clicked point of a gaps chart, if any.

    >>> picked_cell({"selection": {"points": [
    ...     {"x": "管理職", "y": "AIに…（逆）", "customdata": ["AIに仕事を奪われると不安だ", "管理職", 12]}]}})
    Cell(item='AIに仕事を奪われると不安だ', role='管理職')
    >>> picked_cell({"selection": {"points": []}}) is None
    True
    """
    selection = (event or {}).get("selection") or {}
    for point in selection.get("points") or []:
        custom = point.get("customdata")
        if isinstance(custom, list | tuple) and len(custom) >= 2 and all(custom[:2]):
            return Cell(item=str(custom[0]), role=str(custom[1]))
    return None


@functools.lru_cache(maxsize=256)  # a parse per statement, not per rerun
def suggested_keyword(statement: str) -> str:
    """A word of the statement to search the comments for: its longest content word.

    Nouns as written, verbs and adjectives cut to their stem (抱え込ん -> 抱え込) so every form
    matches; words with a kanji first, then the longest (the first of equals);
    「AI」「自分」 and words of one letter are skipped. The user can change it.

    >>> suggested_keyword("AIについて相談できる相手がいる")
    '相談'
    >>> suggested_keyword("AI導入を自分ひとりで抱え込んでいると感じる")
    '抱え込'
    """
    words = []
    for morpheme in morphemes(statement):
        pos = morpheme.pos[0]
        if pos == "名詞" and morpheme.pos[1] != "数詞":
            word = morpheme.surface
        elif pos in {"動詞", "形容詞"}:
            word = morpheme.surface.rstrip(_KANA_ENDING)
        else:
            continue
        if len(word) >= 2 and word.casefold() not in GENERIC_WORDS:
            words.append(word)
    return max(words, key=lambda w: (bool(_KANJI.search(w)), len(w)), default="")


def resolve(table: pd.DataFrame, cell: Cell) -> Cell:
    """``cell`` with the table's own item and role: the charts carry them as plain labels.

    :mod:`analysis.figures` writes ``<`` and ``>`` of a label full-width (no markup in a
    chart), so a clicked 「<新>管理職」 comes back as 「＜新＞管理職」; the comments are
    looked up by the name in the table.

    >>> table = pd.DataFrame({"item": ["AIは役立つ"], "role": ["<新>管理職"]})
    >>> resolve(table, Cell("AIは役立つ", "＜新＞管理職"))
    Cell(item='AIは役立つ', role='<新>管理職')
    """
    items = {chart_label(i): i for i in dict.fromkeys(table["item"]) if isinstance(i, str)}
    roles = {chart_label(r): r for r in dict.fromkeys(table["role"]) if isinstance(r, str)}
    return Cell(items.get(cell.item, cell.item), roles.get(cell.role, cell.role))


def hidden_reason(table: pd.DataFrame, cell: Cell) -> str | None:
    """Why the chart's table hides ``cell`` (its ``reason``), ``None`` when it is shown.

    The reason is the table's own (:mod:`analysis.privacy` writes it), never a new one.
    A cell that is in no row of the table is hidden as having no answers.
    """
    if "suppressed" not in table.columns:
        return None
    rows = table[(table["item"] == cell.item) & (table["role"] == cell.role)]
    if rows.empty:
        return text.label("このマスには回答がありません。")
    hidden = rows[rows["suppressed"].astype(bool)]
    if hidden.empty:
        return None
    reason = hidden["reason"].iloc[0] if "reason" in hidden.columns else None
    return str(reason) if isinstance(reason, str) else text.label("このマスには回答がありません。")


def drill_down(
    survey: Survey,
    event: Mapping[str, Any] | None,
    *,
    table: pd.DataFrame,
    question: str,
    wave: str | None,
    min_comments: int,
) -> DrillDown | None:
    """The clicked role x statement with its comments, or ``None`` if nothing is clicked.

    ``table`` is the clicked chart's table (differences or scores, with ``suppressed``
    and ``reason``). Comments are the role's answers to ``question`` in ``wave``, through
    :func:`ui.data.comments` (threshold ``min_comments``, personal data masked); a
    hidden cell shows its reason and no comment.
    """
    cell = picked_cell(event)
    if cell is None:
        return None
    return drill_cell(
        survey, cell, table=table, question=question, wave=wave, min_comments=min_comments
    )


def drill_cell(
    survey: Survey,
    cell: Cell,
    *,
    table: pd.DataFrame,
    question: str,
    wave: str | None,
    min_comments: int,
) -> DrillDown:
    """:func:`drill_down` for a cell already read from a selection."""
    cell = resolve(table, cell)
    reason = hidden_reason(table, cell)
    comments = None if reason else data.comments(survey, question, cell.role, wave, min_comments)
    return DrillDown(cell, comments, reason, suggested_keyword(cell.item), question)


def newest_cell(
    events: Mapping[str, Mapping[str, Any] | None], *, roles: Sequence[str] = ()
) -> tuple[str, Cell] | None:
    """The chart key and cell clicked last over several charts, kept across reruns.

    A chart whose selection changed since the last run wins; a chart cleared of its
    selection drops the cell it had given. When a new cell is clicked and its role is
    among ``roles``, the role picker of 「この差の背景にある声」 (:data:`ROLE`) moves to it.
    """
    last: dict = dict(st.session_state.get(_LAST, {}))
    current = st.session_state.get(_CURRENT)
    by_label = {chart_label(r): r for r in roles}  # the charts' labels of the picker's roles
    for key, event in events.items():
        cell = picked_cell(event)
        now = [key, cell.item, cell.role] if cell else None
        if now != last.get(key):
            if now is not None:
                current = now
                if cell.role in by_label:
                    st.session_state[ROLE] = by_label[cell.role]
            elif current == last.get(key):
                current = None
            last[key] = now
    st.session_state[_LAST] = last
    st.session_state[_CURRENT] = current
    if roles and st.session_state.get(ROLE) not in roles:  # a role of another survey or wave
        st.session_state.pop(ROLE, None)
    return (current[0], Cell(current[1], current[2])) if current else None


def selected(
    survey: Survey,
    clicked: tuple[str, Cell] | None,
    *,
    role: str,
    tables: Mapping[str, pd.DataFrame],
    question: str,
    wave: str | None,
    min_comments: int,
) -> DrillDown | None:
    """The drill into the clicked cell (:func:`newest_cell`) while its role is the one picked.

    ``tables`` holds each chart key's table; picking another role in 「この差の背景にある声」
    leaves the cell (``None``) until a cell is clicked again, and so does a cell the table
    does not have (clicked in another survey).
    """
    if clicked is None or clicked[0] not in tables:
        return None
    table = tables[clicked[0]]
    cell = resolve(table, clicked[1])
    if cell.role != role or not (table["item"] == cell.item).any():
        return None
    return drill_cell(
        survey, cell, table=table, question=question, wave=wave, min_comments=min_comments
    )


def show(drill: DrillDown) -> None:
    """The clicked cell above the comments: which statement, why it is hidden, a search link.

    The search button opens the free-text page's キーワード検索 on the drill's question
    with the suggested keyword typed in.
    """
    item, role = plain(drill.cell.item), plain(drill.cell.role)
    st.markdown(text.label("**選択中のマス**: 「{item}」 × {role}", item=item, role=role))
    if drill.hidden_reason:
        st.info(
            text.label(
                "このマスは非表示です: {reason}", reason=plain(text.sentence(drill.hidden_reason))
            ),
            icon=":material/lock:",
        )
    if drill.keyword and st.button(
        text.label("「{keyword}」で自由記述をキーワード検索", keyword=plain(drill.keyword)),
        icon=":material/search:",
        on_click=open_keyword_search,
        args=(drill.keyword, drill.question),
    ):
        st.switch_page(str(FREE_TEXT_PAGE))


def open_keyword_search(keyword: str, question: str | None = None) -> None:
    """Button callback: the free-text page opens its search on ``question`` with ``keyword``."""
    st.session_state[KEYWORD] = keyword
    st.session_state[OPEN_SEARCH] = True
    if question is not None:
        st.session_state[QUESTION] = question
