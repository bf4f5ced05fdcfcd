"""The PowerPoint deck a trainer takes to the next workshop (16:9, editable native charts).

:func:`build_deck` turns a :class:`~analysis.schema.Survey` into ``.pptx``
bytes. The numbers come from the same tidy tables the pages show
(:func:`analysis.gaps.item_scores`, :func:`analysis.gaps.role_gaps`,
:func:`analysis.trends.wave_scores`, :func:`analysis.trends.wave_changes`, the
topic model), so screen and slides agree. Slides, in order:

1. 表紙: survey name, waves, respondents per role x wave (a group under the
   threshold reads 「5人未満」, never its number), date.
2. 要点: the headline sentences with n and interval.
3. 役割間のギャップ: clustered bars of role means, about five items a chart,
   largest gaps first; ◆ marks items where managers stand apart.
4. 研修前後の変化: role lines across waves for the items that moved most, and
   tables of change with effect size, n and 対応あり/対応なし.
5. 自由記述: topic shares by role x wave (100% stacked bars) and masked
   representative comments per topic, only from groups with enough answers.
6. 対話のための問い: questions written from the largest gaps.
7. 分析方法: thresholds, tests and n per group (also in every data slide's notes).

Privacy: a hidden group (see :mod:`analysis.privacy`) contributes no series,
no category and no number to any chart; comments are quoted only from groups
of at least ``min_comments`` answers and always through
:func:`analysis.masking.mask_pii`. User text goes in as plain text with the
characters XML cannot hold removed.

The small builders (:func:`gap_charts`,
:func:`trend_charts`, :func:`change_table`, :func:`dialogue_questions`) take
tidy tables and return plain values, so each slide's content can be tested
without opening PowerPoint.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.text.text import Font, _Run
from pptx.util import Emu, Inches, Pt

from analysis import gaps, pipeline, trends
from analysis.errors import SurveyError
from analysis.figures import OTHER_COLOURS, role_colour
from analysis.headlines import headline_table
from analysis.masking import mask_pii
from analysis.numbers import percent
from analysis.privacy import (
    MIN_GROUP_COMMENTS,
    MIN_GROUP_SCORES,
    check_min_group,
)
from analysis.schema import Survey
from analysis.text import is_no_answer
from analysis.topics import WHOLE, TopicResult, fit_topics

__all__ = [
    "FONT",
    "SLIDE_HEIGHT",
    "SLIDE_WIDTH",
    "ChartSpec",
    "build_deck",
    "change_table",
    "clean_text",
    "dialogue_questions",
    "gap_charts",
    "set_font",
    "topic_comments",
    "topic_share_chart",
    "trend_charts",
    "with_agreement",
]

SLIDE_WIDTH = Inches(13.333)  # 16:9
SLIDE_HEIGHT = Inches(7.5)
FONT = "Meiryo"  # Latin and East Asian typeface of every run (Windows has it; others substitute)

# Policy numbers for the deck, named once.
VALUE_DECIMALS = 2  # means in charts and tables
SHARE_DECIMALS = 3  # topic shares (0-1) in charts
GAP_ITEMS_PER_CHART = 5
MAX_GAP_CHARTS = 3
MAX_TREND_ITEMS = 4  # items with the largest change get a line chart
TREND_CHARTS_PER_SLIDE = 2
MAX_FREE_TEXT_QUESTIONS = 3
TOPICS_PER_SLIDE = 6  # topic boxes with representative comments on one slide
MAX_TOPIC_SLIDES = 2  # per question; smaller topics beyond are listed in the notes
COMMENTS_PER_TOPIC = 3
NEAR_DUPLICATE = 0.75  # similarity (difflib ratio) above which two comments count as one
MAX_QUESTIONS = 4  # 問い on the dialogue slide
LABEL_CHARS = 24  # item labels in chart categories are cut to this length
COMMENT_CHARS = 110  # a quoted comment is cut to this length

_DARK = RGBColor(0x1A, 0x20, 0x2C)
_GREY = RGBColor(0x71, 0x80, 0x96)
_HEADER_FILL = RGBColor(0xED, 0xF2, 0xF7)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029\x85\x0b\x0c]+")

Progress = Callable[[float, str], None]


# --------------------------------------------------------------------------- text


def clean_text(text: object, *, limit: int | None = None) -> str:
    """User text made safe for a slide: one line, no characters XML cannot hold.

    >>> clean_text("不安です\\r\\n\\x00\\x1bとても")
    '不安です とても'
    >>> clean_text("とても長いコメントです", limit=6)
    'とても長い…'
    """
    text = _LINE_BREAKS.sub(" ", "" if text is None else str(text))
    text = re.sub(r" {2,}", " ", _XML_ILLEGAL.sub("", text)).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def short_label(label: str, limit: int = LABEL_CHARS) -> str:
    """An item statement cut to ``limit`` characters for a chart category.

    >>> short_label("AIについての不安や疑問を職場で率直に話せる", 12)
    'AIについての不安や疑…'
    """
    return clean_text(label, limit=limit)


def set_font(
    font: Font,
    *,
    size: float | None = None,
    bold: bool | None = None,
    colour: RGBColor | None = None,
    typeface: str = FONT,
) -> None:
    """Set the Latin *and* East Asian typeface (``a:latin``, ``a:ea``) and Japanese language.

    PowerPoint draws kana and kanji with the ``a:ea`` face; without it they fall
    back to the theme's East Asian font, which differs between machines.
    """
    rpr = font._element
    rpr.set("lang", "ja-JP")
    rpr.set("altLang", "en-US")
    latin = rpr.get_or_add_latin()
    latin.set("typeface", typeface)
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = OxmlElement("a:ea")
        latin.addnext(ea)  # schema order: latin, ea, cs
    ea.set("typeface", typeface)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if colour is not None:
        font.color.rgb = colour


def _write(
    text_frame,
    paragraphs: Sequence[str | tuple[str, dict]],
    *,
    size: float = 16,
    bold: bool = False,
    colour: RGBColor = _DARK,
    align: PP_ALIGN | None = None,
    space_after: float | None = None,
) -> None:
    """Replace a text frame's content by plain-text paragraphs, each one run with the deck font.

    A paragraph may be ``(text, {"size": .., "bold": .., "colour": ..})`` to override.
    """
    text_frame.clear()
    for index, paragraph in enumerate(paragraphs):
        text, style = paragraph if isinstance(paragraph, tuple) else (paragraph, {})
        para = text_frame.paragraphs[0] if index == 0 else text_frame.add_paragraph()
        if align is not None:
            para.alignment = align
        if space_after is not None:
            para.space_after = Pt(space_after)
        run = para.add_run()
        run.text = clean_text(text)
        set_font(
            run.font,
            size=style.get("size", size),
            bold=style.get("bold", bold),
            colour=style.get("colour", colour),
        )


def _runs(text_frame) -> list[_Run]:
    return [run for paragraph in text_frame.paragraphs for run in paragraph.runs]


# --------------------------------------------------------------------------- tables -> content


@dataclass(frozen=True)
class ChartSpec:
    """What one native chart shows: categories, one series per group, axis titles."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    value_title: str
    category_title: str
    number_format: str = "0.00"
    value_range: tuple[float, float] | None = None
    notes: list[str] = field(default_factory=list)


_pct = percent  # the one rounding rule (analysis.numbers)


def _round(value: object) -> float | None:
    if value is None or pd.isna(value):
        return None
    return round(float(value), VALUE_DECIMALS)


def largest_gaps(gap_table: pd.DataFrame) -> pd.DataFrame:
    """One row per item: the visible role pair with the largest |Hedges g|, largest first.

    ``gap_table`` is :func:`analysis.gaps.role_gaps`. Items with no visible
    pair are left out. Two groups that differ but each answered as one (no
    spread, so g is undefined) are the largest gap of all, not dropped.

    >>> table = pd.DataFrame({"item": ["A", "B"], "a": "経営層", "b": "一般社員",
    ...     "suppressed": False, "effect_size": [0.4, float("nan")], "diff": [0.5, 2.0]})
    >>> largest_gaps(table)["item"].tolist()
    ['B', 'A']
    """
    visible = gap_table[~gap_table["suppressed"].astype(bool)]
    diff = visible["diff"] if "diff" in visible else pd.Series(0.0, index=visible.index)
    no_spread = visible["effect_size"].isna() & diff.fillna(0).ne(0)
    visible = visible[visible["effect_size"].notna() | no_spread]
    if visible.empty:
        return visible.assign(abs_effect=pd.Series(dtype=float))
    visible = visible.assign(abs_effect=visible["effect_size"].abs().fillna(math.inf))
    best = visible.sort_values("abs_effect", ascending=False, kind="stable")
    return best.drop_duplicates("item").reset_index(drop=True)


def _item_label(item: str, *, isolated: bool, reverse: bool) -> str:
    mark = "◆ " if isolated else ""
    return mark + short_label(item) + ("（逆）" if reverse else "")


def gap_charts(
    scores: pd.DataFrame,
    gap_table: pd.DataFrame,
    isolation: pd.DataFrame,
    *,
    wave: str | None = None,
    per_chart: int = GAP_ITEMS_PER_CHART,
    max_charts: int = MAX_GAP_CHARTS,
) -> list[ChartSpec]:
    """Clustered-bar contents: role means per item, items with the largest gaps first.

    Parameters
    ----------
    scores
        :func:`analysis.gaps.item_scores` by role (one wave).
    gap_table
        :func:`analysis.gaps.role_gaps` of the same answers.
    isolation
        :func:`analysis.gaps.manager_isolation`; its items get a ◆.

    Returns
    -------
    list of ChartSpec
        Categories are shortened item labels (◆ = managers isolated, （逆） =
        negatively worded); one series per role that is visible on at least
        one of the chart's items, values = mean rounded to
        :data:`VALUE_DECIMALS` (``None`` where that cell is hidden).
    """
    ranked = list(largest_gaps(gap_table)["item"])
    isolated = set(isolation["item"]) if len(isolation) else set()
    visible = scores[~scores["suppressed"].astype(bool)]
    reverse = dict(zip(scores["item"], scores["reverse"].astype(bool), strict=False))
    points = int(scores["points"].max()) if len(scores) else 5
    roles = gaps.order_roles(visible["role"])
    specs = []
    chunks = [ranked[i : i + per_chart] for i in range(0, len(ranked), per_chart)][:max_charts]
    for number, chunk in enumerate(chunks, start=1):
        cells = visible[visible["item"].isin(chunk)]
        lookup = {(r.role, r.item): r.mean for r in cells.itertuples(index=False)}
        series = [
            (role, [_round(lookup.get((role, item))) for item in chunk])
            for role in roles
            if any((role, item) in lookup for item in chunk)
        ]
        when = f"{wave}・" if wave else ""
        specs.append(
            ChartSpec(
                title=f"役割ごとの平均（{when}差の大きい順 {number}/{len(chunks)}）",
                categories=[
                    _item_label(i, isolated=i in isolated, reverse=reverse.get(i, False))
                    for i in chunk
                ],
                series=series,
                value_title=f"平均（1 = まったくそう思わない 〜 {points} = とてもそう思う）",
                category_title="項目（◆ = 管理職だけが違う見方、（逆） = 否定的な文言）",
                value_range=(1, points),
            )
        )
    return specs


def trend_charts(
    cells: pd.DataFrame,
    changes: pd.DataFrame,
    waves: Sequence[str],
    *,
    max_items: int = MAX_TREND_ITEMS,
) -> list[ChartSpec]:
    """Line-chart contents: one chart per item, one series per role across ``waves``.

    Items are those whose first change (``waves[0]`` -> ``waves[1]``) is
    largest in absolute effect size for some visible role, at most
    ``max_items``. ``cells`` is :func:`analysis.trends.wave_scores`,
    ``changes`` :func:`analysis.trends.wave_changes`. Values are means
    rounded to :data:`VALUE_DECIMALS`; a hidden cell is ``None`` and a role
    hidden in every wave of the item has no series.
    """
    waves = list(waves)
    if len(waves) < 2 or cells.empty:
        return []
    first = changes[
        (changes["from_wave"] == waves[0])
        & (changes["to_wave"] == waves[1])
        & ~changes["suppressed"].astype(bool)
    ].dropna(subset=["effect_size"])
    ranking = (
        first.assign(size=first["effect_size"].abs())
        .groupby("item", sort=False)["size"]
        .max()
        .sort_values(ascending=False, kind="stable")
    )
    items = list(ranking.index[:max_items])
    visible = cells[~cells["suppressed"].astype(bool)]
    points = int(cells["points"].max())
    specs = []
    for item in items:
        rows = visible[visible["item"] == item]
        lookup = {(r.role, r.wave): r.mean for r in rows.itertuples(index=False)}
        series = [
            (role, [_round(lookup.get((role, w))) for w in waves])
            for role in gaps.order_roles(rows["role"])
        ]
        specs.append(
            ChartSpec(
                title=short_label(item, 30),
                categories=waves,
                series=series,
                value_title=f"平均（1〜{points}）",
                category_title="回答時期",
                value_range=(1, points),
            )
        )
    return specs


METHOD_JA = {"paired": "対応あり", "unpaired": "対応なし"}
EFFECT_JA = {"d_z": "d_z", "cliffs_delta": "δ"}


def change_table(
    changes: pd.DataFrame, *, from_wave: str, to_wave: str
) -> tuple[pd.DataFrame, str]:
    """Change from ``from_wave`` to ``to_wave`` as a slide table: items x roles.

    Returns
    -------
    (DataFrame, str)
        The table: column ``項目`` then one column per role with a visible
        change, each cell 「+0.78*\\nd_z 0.85・n=190」 (mean change, effect
        size, pairs; ``*`` = adjusted p < 0.05) or 「—」 where hidden; and
        the method label 対応あり / 対応なし.
    """
    rows = changes[(changes["from_wave"] == from_wave) & (changes["to_wave"] == to_wave)]
    if rows.empty:
        return pd.DataFrame(columns=["項目"]), ""
    method = METHOD_JA.get(str(rows["method"].iloc[0]), str(rows["method"].iloc[0]))
    shown = rows[~rows["suppressed"].astype(bool)]
    roles = gaps.order_roles(shown["role"])
    table = {"項目": [clean_text(i) for i in dict.fromkeys(rows["item"])]}
    cells = {(r.role, r.item): r for r in shown.itertuples(index=False)}
    for role in roles:
        column = []
        for item in dict.fromkeys(rows["item"]):
            r = cells.get((role, item))
            if r is None:
                column.append("—")
                continue
            star = "*" if r.p_adj < 0.05 else ""
            n = f"n={r.n_pairs}" if r.method == "paired" else f"n={r.n_from}→{r.n_to}"
            effect = EFFECT_JA.get(r.effect, r.effect)
            column.append(f"{r.diff:+.2f}{star}\n{effect} {r.effect_size:.2f}・{n}")
        table[role] = column
    return pd.DataFrame(table), method


def with_agreement(scores: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """``scores`` plus ``agree``: the share answering in the top 2 boxes *as worded*.

    For ordinary items this is ``favourable``; for negatively worded items
    ``favourable`` counts the bottom boxes, so ``agree`` is counted from the
    answers. Hidden cells get NaN. ``scores`` is
    :func:`analysis.gaps.item_scores` by role of the same ``answers``.

    >>> answers = pd.DataFrame({
    ...     "row": range(5), "respondent": pd.NA, "role": "一般社員", "wave": "研修前",
    ...     "department": pd.NA, "item": "AIに仕事を奪われると不安だ", "points": 7,
    ...     "reverse": True, "value": [7.0, 6, 5, 3, 1]})
    >>> scores = gaps.item_scores(answers)
    >>> with_agreement(scores, answers)[["favourable", "agree"]]
       favourable  agree
    0         0.2    0.4
    """
    answered = answers[answers["value"].notna()]
    top = (
        (answered["value"] >= answered["points"] - 1)
        .groupby([answered["role"], answered["item"]], sort=False)
        .mean()
    )
    agree = [
        math.nan if hidden else float(top.get((role, item), math.nan))
        for role, item, hidden in zip(
            scores["role"], scores["item"], scores["suppressed"].astype(bool), strict=True
        )
    ]
    return scores.assign(agree=agree)


def _agreement(row) -> float:
    """Share agreeing with the statement as worded (top 2 boxes)."""
    agree = getattr(row, "agree", math.nan)
    if not pd.isna(agree):
        return float(agree)
    if not row.reverse:
        return float(row.favourable)
    if row.points not in (4, 5):
        raise ValueError("scores need an 'agree' column (with_agreement) for this scale")
    middle = 0.0 if pd.isna(row.midpoint) else float(row.midpoint)
    return max(0.0, 1.0 - float(row.favourable) - middle)


def dialogue_questions(
    scores: pd.DataFrame,
    gap_table: pd.DataFrame,
    isolation: pd.DataFrame,
    *,
    limit: int = MAX_QUESTIONS,
) -> list[str]:
    """Questions for the workshop, written from the largest gaps.

    Isolated-manager items come first, then the items with the largest
    |Hedges g|; each quotes the share agreeing (肯定率: 「そう思う」 or
    「とてもそう思う」 as worded) of the roles involved. ``scores`` is
    :func:`analysis.gaps.item_scores` by role, best with the ``agree`` column
    of :func:`with_agreement` (needed for negatively worded items on scales
    other than 4 or 5 points).

    Examples
    --------
    >>> scores = pd.DataFrame({
    ...     "role": ["経営層", "一般社員"], "item": "AIで自分の仕事が楽になる", "points": 5,
    ...     "reverse": False, "favourable": [0.78, 0.41], "midpoint": [0.1, 0.3],
    ...     "suppressed": False})
    >>> gap_table = pd.DataFrame({"item": ["AIで自分の仕事が楽になる"], "a": ["経営層"],
    ...     "b": ["一般社員"], "effect_size": [1.2], "suppressed": [False]})
    >>> dialogue_questions(scores, gap_table, pd.DataFrame(columns=["item"]))
    ['『AIで自分の仕事が楽になる』の肯定率は経営層78%、一般社員41%。この差はどこから来るのでしょうか？']
    """
    visible = scores[~scores["suppressed"].astype(bool)]
    share = {(r.role, r.item): _agreement(r) for r in visible.itertuples(index=False)}
    reverse = dict(zip(scores["item"], scores["reverse"].astype(bool), strict=False))
    questions: list[str] = []
    done: set[str] = set()
    for r in isolation.itertuples(index=False) if len(isolation) else []:
        roles = [r.role, *str(r.compared_with).split("・")]
        if any((role, r.item) not in share for role in roles):
            continue
        shares = "、".join(f"{role}{_pct(share[(role, r.item)])}%" for role in roles)
        side = "高く" if r.direction == "higher" else "低く"
        if not getattr(r, "firm", True):  # an interval crosses zero: say 傾向
            side = ("高い" if r.direction == "higher" else "低い") + "傾向"
        ending = (
            "管理職がひとりで抱え込まないために、何ができるでしょうか？"
            if (r.direction == "lower") != reverse.get(r.item, False)
            else "管理職だけが違う受け止め方をしているのはなぜでしょうか？"
        )
        questions.append(
            f"『{clean_text(r.item)}』は{r.role}だけが{side}（肯定率 {shares}）。{ending}"
        )
        done.add(r.item)
    for r in largest_gaps(gap_table).itertuples(index=False):
        if len(questions) >= limit:
            break
        if r.item in done or (r.a, r.item) not in share or (r.b, r.item) not in share:
            continue
        pa, pb = _pct(share[(r.a, r.item)]), _pct(share[(r.b, r.item)])
        questions.append(
            f"『{clean_text(r.item)}』の肯定率は{r.a}{pa}%、{r.b}{pb}%。この差はどこから来るのでしょうか？"
        )
        done.add(r.item)
    return questions[:limit]


def topic_share_chart(
    result: TopicResult,
    *,
    question: str,
    waves: Sequence[str] = (),
    min_group: int = MIN_GROUP_SCORES,
) -> ChartSpec | None:
    """100%-stacked-bar contents: each topic's share of a role x wave group's answers.

    ``result`` is :func:`analysis.topics.fit_topics` with roles and waves;
    its shares already leave out groups under its threshold, and groups with
    fewer than ``min_group`` answers are dropped here too. Categories are
    「役割｜回答時期」 in canonical role and wave order, one series per topic
    (its label), values = share rounded to :data:`SHARE_DECIMALS`. ``None``
    when no group can be shown.
    """
    shares = result.shares
    if shares.empty or result.topics.empty:
        return None
    sizes = shares.groupby(["role", "wave"], sort=False)["n"].sum()
    shown = [key for key, n in sizes.items() if n >= min_group]
    if not shown:
        return None
    roles = gaps.order_roles(r for r, _ in shown)
    wave_order = {w: i for i, w in enumerate(waves)}
    shown.sort(key=lambda k: (roles.index(k[0]), wave_order.get(k[1], len(wave_order)), k[1]))
    lookup = {(r.role, r.wave, int(r.topic)): r.share for r in shares.itertuples(index=False)}
    names: list[str] = []
    series = []
    for topic in result.topics.itertuples(index=False):
        name = clean_text(topic.label) or f"話題{topic.id + 1}"
        name = name if name not in names else f"{name}（{topic.id + 1}）"
        names.append(name)
        values = [
            round(float(lookup.get((role, wave, int(topic.id)), 0.0)), SHARE_DECIMALS)
            for role, wave in shown
        ]
        series.append((name, values))
    return ChartSpec(
        title=f"話題の割合（役割×回答時期）: {short_label(question, 40)}",
        categories=[role if wave == WHOLE else f"{role}｜{wave}" for role, wave in shown],
        series=series,
        value_title="回答に占める割合",
        category_title="役割｜回答時期",
        number_format="0%;-0%;;",  # a zero share gets no label
        value_range=(0, 1),
    )


def _comment_key(comment: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", comment))


def _near_duplicate(key: str, chosen: Sequence[str]) -> bool:
    """Same words up to punctuation, or mostly the same sentence (an opener or ending added)."""
    return any(
        key == other or SequenceMatcher(None, key, other).ratio() >= NEAR_DUPLICATE
        for other in chosen
    )


def _group_key(value: object) -> str:
    """A role or wave as :mod:`analysis.topics` groups it (missing = one group of its own)."""
    return (
        "不明" if value is None or pd.isna(value) or not str(value).strip() else str(value).strip()
    )


def topic_comments(
    result: TopicResult,
    texts: pd.DataFrame | None = None,
    *,
    min_group: int = MIN_GROUP_COMMENTS,
    per_topic: int = COMMENTS_PER_TOPIC,
    limit: int = COMMENT_CHARS,
) -> list[tuple[str, list[str]]]:
    """``(topic label, comments)`` per topic, largest topic first.

    Comments start with the topic model's examples (answers nearest the
    topic's centre, from groups at or above its threshold). When ``texts``
    is given (the :meth:`~analysis.schema.Survey.texts` table the result was
    fitted on, row for row), near-duplicates are replaced by other answers of
    the topic from role x wave groups with at least ``min_group`` answers,
    taking roles in turn. Every comment goes through
    :func:`analysis.masking.mask_pii`, is made one line and cut to ``limit``
    characters.

    >>> from analysis.topics import TopicResult
    >>> topics = pd.DataFrame({"id": [0], "label": ["相談・上司"], "terms": [[]], "size": [3],
    ...     "examples": [["山田さんに相談できた。", "山田さんに相談できた！", "上司と話せた"]]})
    >>> topic_comments(TopicResult(topics, [], pd.DataFrame(), 1))
    [('相談・上司', ['〔氏名〕さんに相談できた。', '上司と話せた'])]
    """
    check_min_group(min_group)
    pool: dict[int, list[str]] = {int(t): [] for t in result.topics["id"]}
    if texts is not None:
        if len(texts) != len(result.assignments):
            raise ValueError(
                f"texts has {len(texts)} rows but the topics were fitted on {len(result.assignments)}"
            )
        groups = [
            (_group_key(r), _group_key(w))
            for r, w in zip(texts["role"], texts["wave"], strict=True)
        ]
        sizes = Counter(
            g for g, t in zip(groups, texts["text"], strict=True) if not is_no_answer(t)
        )
        by_role: dict[int, dict[str, list[str]]] = {t: {} for t in pool}
        for group, text, topic in zip(groups, texts["text"], result.assignments, strict=True):
            if topic is not None and sizes[group] >= min_group and not is_no_answer(text):
                by_role[int(topic)].setdefault(group[0], []).append(str(text))
        for topic, roles in by_role.items():  # roles in turn: 経営層, 管理職, 一般社員, ...
            ordered = [roles[r] for r in gaps.order_roles(roles)]
            pool[topic] = [t for turn in itertools.zip_longest(*ordered) for t in turn if t]
    out = []
    for topic in result.topics.itertuples(index=False):
        comments: list[str] = []
        keys: list[str] = []
        for candidate in [*topic.examples, *pool.get(int(topic.id), [])]:
            comment = clean_text(mask_pii(str(candidate)), limit=limit)
            key = _comment_key(comment)
            if key and not _near_duplicate(key, keys):
                comments.append(comment)
                keys.append(key)
            if len(comments) == per_topic:
                break
        out.append((clean_text(topic.label) or f"話題{topic.id + 1}", comments))
    return out


# --------------------------------------------------------------------------- rendering


class _Deck:
    """A 16:9 presentation with the deck's title, chart, table and notes conventions."""

    def __init__(self, survey_name: str, method_notes: list[str], *, min_group: int):
        self.prs = Presentation()
        self.min_group = min_group
        self.prs.slide_width = SLIDE_WIDTH
        self.prs.slide_height = SLIDE_HEIGHT
        self.survey_name = survey_name
        self.method_notes = method_notes

    def slide(self, title: str, *, notes: Sequence[str] = (), data: bool = True):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # Title Only
        shape = slide.shapes.title
        shape.left, shape.top = Inches(0.5), Inches(0.25)
        shape.width, shape.height = SLIDE_WIDTH - Inches(1.0), Inches(0.85)
        shape.text_frame.word_wrap = True
        shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        _write(shape.text_frame, [title], size=24, bold=True, align=PP_ALIGN.LEFT)
        lines = list(notes) + (["", *self.method_notes] if data else [])
        if lines:
            _write(slide.notes_slide.notes_text_frame, lines, size=12)
        return slide

    def text(self, slide, paragraphs, left, top, width, height, **style):
        box = slide.shapes.add_textbox(left, top, width, height)
        box.text_frame.word_wrap = True
        _write(box.text_frame, paragraphs, **style)
        return box

    def chart(self, slide, spec: ChartSpec, chart_type, left, top, width, height):
        horizontal = chart_type in (
            XL_CHART_TYPE.BAR_CLUSTERED,
            XL_CHART_TYPE.BAR_STACKED,
            XL_CHART_TYPE.BAR_STACKED_100,
        )
        data = CategoryChartData(number_format=spec.number_format)
        data.categories = spec.categories
        for name, values in spec.series:
            data.add_series(clean_text(name), values)
        frame = slide.shapes.add_chart(chart_type, left, top, width, height, data)
        chart = frame.chart
        set_font(chart.font, size=12, colour=_DARK)
        chart.has_title = True
        _write(chart.chart_title.text_frame, [spec.title], size=14, bold=True)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        set_font(chart.legend.font, size=12)
        if horizontal:  # first category (and first series) on top, value axis still below
            chart.category_axis.reverse_order = True
            # c:crosses on valAx: where the value axis meets the category axis (at the last one)
            chart.value_axis._element.find(qn("c:crosses")).set("val", "max")
        plot = chart.plots[0]
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = spec.number_format
        labels.number_format_is_linked = False
        labels.show_value = True
        set_font(labels.font, size=10 if chart_type != XL_CHART_TYPE.BAR_STACKED_100 else 9)
        if chart_type == XL_CHART_TYPE.BAR_CLUSTERED:
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
            plot.gap_width, plot.overlap = 60, 0
        elif chart_type == XL_CHART_TYPE.LINE_MARKERS:
            labels.position = XL_LABEL_POSITION.ABOVE
        else:
            labels.position = XL_LABEL_POSITION.CENTER
            plot.gap_width = 50
        for axis, title in (
            (chart.value_axis, spec.value_title),
            (chart.category_axis, spec.category_title),
        ):
            axis.has_title = True
            _write(axis.axis_title.text_frame, [title], size=11, colour=_GREY)
            set_font(axis.tick_labels.font, size=11)
        if spec.value_range is not None:
            chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = spec.value_range
            chart.value_axis.major_unit = 1 if spec.value_range[1] > 1 else 0.25
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE2, 0xE8, 0xF0)
        self._colour(plot, chart_type)
        return frame

    @staticmethod
    def _colour(plot, chart_type) -> None:
        for order, series in enumerate(plot.series):
            if chart_type == XL_CHART_TYPE.BAR_STACKED_100:
                colour = (list(OTHER_COLOURS) + ["#2b6cb0", "#dd6b20", "#2f855a"])[order % 8]
            else:
                colour = role_colour(series.name, order)
            rgb = RGBColor.from_string(colour.lstrip("#").upper())
            if chart_type == XL_CHART_TYPE.LINE_MARKERS:
                series.format.line.color.rgb = rgb
                series.format.line.width = Pt(2.5)
                series.smooth = False
                series.marker.format.fill.solid()
                series.marker.format.fill.fore_color.rgb = rgb
                series.marker.format.line.color.rgb = rgb
            else:
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = rgb

    def table(self, slide, frame: pd.DataFrame, left, top, width, *, first_width, size=11):
        rows, cols = len(frame) + 1, len(frame.columns)
        row_height = Inches(0.5)
        shape = slide.shapes.add_table(rows, cols, left, top, width, row_height * rows)
        table = shape.table
        table.columns[0].width = first_width
        rest = (width - first_width) // max(cols - 1, 1)
        for index in range(1, cols):
            table.columns[index].width = Emu(rest)
        for c, name in enumerate(frame.columns):
            cell = table.cell(0, c)
            _write(cell.text_frame, [str(name)], size=size, bold=True)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _HEADER_FILL
        for r, values in enumerate(frame.itertuples(index=False), start=1):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.fill.background()
                lines = str(value).split("\n")
                paragraphs = [lines[0]] + [
                    (line, {"size": size - 2, "colour": _GREY}) for line in lines[1:]
                ]
                _write(cell.text_frame, paragraphs, size=size)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
        return shape

    def footer(self) -> None:
        total = len(self.prs.slides)
        for number, slide in enumerate(self.prs.slides, start=1):
            box = slide.shapes.add_textbox(
                Inches(0.5), SLIDE_HEIGHT - Inches(0.4), SLIDE_WIDTH - Inches(1.0), Inches(0.3)
            )
            _write(
                box.text_frame,
                [f"架け橋｜{self.survey_name}　{number}/{total}"],
                size=9,
                colour=_GREY,
                align=PP_ALIGN.RIGHT,
            )

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()


# --------------------------------------------------------------------------- slides


def _display_name(survey: Survey) -> str:
    name = clean_text(survey.name) or "アンケート"
    suffix = Path(name).suffix.lower()
    return Path(name).stem if suffix in {".csv", ".tsv", ".txt", ".xlsx", ".xls"} else name


def _count_lines(counts: pd.DataFrame) -> list[str]:
    lines = []
    for wave, rows in counts.groupby("wave", sort=False):
        groups = "・".join(f"{r.role} {r.label}" for r in rows.itertuples(index=False))
        lines.append(f"{wave}: {groups}" if wave else groups)
    return lines


def _method_notes(counts: pd.DataFrame, *, min_group: int, min_comments: int) -> list[str]:
    return [
        "【分析方法】",
        f"匿名性: 回答が{min_group}件未満のグループの数値は表示しません。合計やほかのグループとの"
        "差し引きで分かってしまう場合は、そのグループもあわせて非表示にします（役割×部署で判定）。",
        f"自由記述の引用: 回答が{min_comments}件未満のグループ（役割×回答時期）からは引用しません。"
        "引用では氏名・メールアドレス・電話番号・社員番号を伏せ字にしています。",
        "平均: 設問の文言どおり（1 = まったくそう思わない 〜 5 = とてもそう思う）。"
        "肯定率: 「そう思う」「とてもそう思う」と答えた割合。（逆）は否定的な文言の項目。",
        "役割間の差: Hedges の g（バイアス補正した標準化平均差、95%信頼区間は非心t分布）、"
        "Welch の t 検定、p 値は全項目×全ペアで Holm 法により補正。",
        gaps.ISOLATION_RULE,
        "時期間の変化: 対応あり（回答者IDで同じ人を追跡）は Wilcoxon の符号順位検定と対応のある"
        " t 検定、効果量 d_z。対応なしは Mann-Whitney の U 検定と Welch の t 検定、効果量 Cliff の δ。"
        "p 値は Holm 法で補正（* = 補正後 p < 0.05）。",
        "回答者数（役割・回答時期ごと）: " + " ／ ".join(_count_lines(counts)),
    ]


def _title_slide(deck: _Deck, survey: Survey, counts: pd.DataFrame, date: dt.date) -> None:
    slide = deck.slide(deck.survey_name, data=False)
    waves = " → ".join(survey.waves) if survey.waves else "1回分"
    deck.text(
        slide,
        [
            ("AI導入アンケート 分析レポート", {"size": 22, "bold": True}),
            f"回答時期: {waves}",
            f"作成日: {date.year}年{date.month}月{date.day}日",
        ],
        Inches(0.5), Inches(1.3), Inches(12.3), Inches(1.5),
        size=16, space_after=6,
    )  # fmt: skip
    if counts.empty:
        return
    roles = list(dict.fromkeys(counts["role"]))
    waves_present = list(dict.fromkeys(counts["wave"]))
    label = {(r.wave, r.role): r.label for r in counts.itertuples(index=False)}
    grid = pd.DataFrame(
        {"回答者数": [w or "全回答" for w in waves_present]}
        | {role: [label.get((w, role), "0人") for w in waves_present] for role in roles}
    )
    deck.table(
        slide, grid, Inches(0.5), Inches(3.1), Inches(2.0 + 2.2 * len(roles)),
        first_width=Inches(2.0), size=14,
    )  # fmt: skip
    hidden = bool(counts["suppressed"].any())
    deck.text(
        slide,
        [
            f"回答が{deck.min_group}人未満のグループは、人数も結果も表示しません"
            + ("（「非表示」は、逆算を防ぐためにあわせて隠したグループ）。" if hidden else "。")
        ],
        Inches(0.5), Inches(3.3) + Inches(0.5) * (len(grid) + 1), Inches(12.3), Inches(0.5),
        size=12, colour=_GREY,
    )  # fmt: skip


def _gap_notes(items: Sequence[str], gap_table: pd.DataFrame) -> list[str]:
    lines = ["各項目で差が最も大きい役割の組（Hedges の g、95%信頼区間、Holm 補正後の p）:"]
    best = largest_gaps(gap_table).set_index("item")
    for item in items:
        if item not in best.index:
            continue
        r = best.loc[item]
        effect = (
            "g は算出不可（両方の回答にばらつきなし）"
            if pd.isna(r["effect_size"])
            else f"g = {r['effect_size']:.2f} [{r['effect_low']:.2f}, {r['effect_high']:.2f}]"
        )
        p = "—" if pd.isna(r["p_adj"]) else ("< 0.001" if r["p_adj"] < 0.001 else f"= {r['p_adj']:.3g}")
        lines.append(
            f"・{item}: {r['a']} − {r['b']} 平均差 {r['diff']:+.2f}、{effect}、p {p}"
            f"（n = {int(r['n_a'])} / {int(r['n_b'])}）"
        )
    return lines


def _gap_slides(
    deck: _Deck,
    specs: list[ChartSpec],
    chunks: list[list[str]],
    gap_table: pd.DataFrame,
    wave: str | None,
) -> None:
    for number, (spec, chunk) in enumerate(zip(specs, chunks, strict=False), start=1):
        title = "役割間のギャップ" + (f"（{wave}）" if wave else "")
        if len(specs) > 1:
            title += f" {number}/{len(specs)}"
        slide = deck.slide(title, notes=_gap_notes(chunk, gap_table))
        deck.chart(
            slide, spec, XL_CHART_TYPE.BAR_CLUSTERED,
            Inches(0.4), Inches(1.15), Inches(12.5), Inches(5.9),
        )  # fmt: skip


def _trend_slides(
    deck: _Deck, specs: list[ChartSpec], changes: pd.DataFrame, waves: Sequence[str]
) -> None:
    pages = [
        specs[i : i + TREND_CHARTS_PER_SLIDE] for i in range(0, len(specs), TREND_CHARTS_PER_SLIDE)
    ]
    width = (SLIDE_WIDTH - Inches(1.0)) // TREND_CHARTS_PER_SLIDE
    for number, page in enumerate(pages, start=1):
        title = "研修前後の変化（役割ごとの平均）"
        if len(pages) > 1:
            title += f" {number}/{len(pages)}"
        notes = [
            f"{waves[0]}→{waves[1]}の変化が大きい項目（{len(specs)}件）を、役割ごとの平均の推移で示します。"
        ]
        slide = deck.slide(title, notes=notes)
        for index, spec in enumerate(page):
            deck.chart(
                slide, spec, XL_CHART_TYPE.LINE_MARKERS,
                Inches(0.5) + width * index, Inches(1.15), width - Inches(0.15), Inches(5.9),
            )  # fmt: skip


def _change_slides(deck: _Deck, changes: pd.DataFrame, waves: Sequence[str]) -> None:
    pairs = [(waves[0], waves[1])]
    if len(waves) >= 3:
        pairs.append((waves[0], waves[-1]))
    for first, last in pairs:
        table, method = change_table(changes, from_wave=first, to_wave=last)
        if len(table.columns) < 2:
            continue
        linked = (
            "同じ回答者を回答者IDで追跡" if method == "対応あり" else "回答者をつなげない集団比較"
        )
        slide = deck.slide(
            f"{first}→{last}の変化（{method}）",
            notes=[
                f"各セル: 平均の変化（{last} − {first}）、* は Holm 補正後 p < 0.05。",
                f"2行目: 効果量と人数。{method}: {linked}。"
                + ("d_z = 変化の平均 ÷ 変化の標準偏差、n = 両方に回答した人数。"
                   if method == "対応あり" else "δ = Cliff の δ、n = 各時期の回答数。"),
                "「—」は人数が少ないため表示しないセル。",
            ],
        )  # fmt: skip
        deck.text(
            slide,
            [
                f"平均の変化（{last} − {first}）。2行目は効果量と人数。"
                f"{method}: {linked}。* = 補正後 p < 0.05、— = 非表示"
            ],
            Inches(0.5), Inches(1.05), Inches(12.3), Inches(0.4), size=12, colour=_GREY,
        )  # fmt: skip
        table = table.rename(columns={"項目": f"項目（{method}）"})
        deck.table(
            slide, table, Inches(0.5), Inches(1.5), Inches(12.3), first_width=Inches(5.1),
            size=12 if len(table) <= 10 else 10,
        )  # fmt: skip


def _summary_slide(deck: _Deck, headlines: pd.DataFrame) -> None:
    notes = ["要点の数字（推定値と95%信頼区間、n）:"]
    for r in headlines.itertuples(index=False):
        n = "" if pd.isna(r.n) else f"n={int(r.n)}"
        n += "" if pd.isna(r.n_other) else f"/{int(r.n_other)}"
        notes.append(f"・{r.kind}: {r.estimate:.3f} [{r.low:.3f}, {r.high:.3f}] {n}")
    slide = deck.slide("要点", notes=notes)
    deck.text(
        slide, [f"● {text}" for text in headlines["text"]],
        Inches(0.6), Inches(1.3), Inches(12.1), Inches(5.6), size=18, space_after=14,
    )  # fmt: skip


def _free_text_slides(
    deck: _Deck,
    question: str,
    result: TopicResult,
    texts: pd.DataFrame,
    waves: Sequence[str],
    *,
    min_group: int,
    min_comments: int,
) -> None:
    label = short_label(question, 18)
    method = [
        f"話題: 回答を内容の近さでまとめたもの（{result.k}個、回答を記入した人のみ。"
        "「特になし」などは除外）。見出しは各話題に特徴的な語。",
        f"割合: 役割×回答時期ごとの回答に占める各話題の割合。回答が{max(min_group, min_comments)}件未満の"
        "グループは表示しません。",
    ]
    spec = topic_share_chart(result, question=question, waves=waves, min_group=min_group)
    if spec is not None:
        slide = deck.slide(f"自由記述の話題: {label}", notes=method)
        deck.chart(
            slide, spec, XL_CHART_TYPE.BAR_STACKED_100,
            Inches(0.4), Inches(1.15), Inches(12.5), Inches(5.9),
        )  # fmt: skip
    topics = topic_comments(result, texts, min_group=min_comments)
    shown = topics[: TOPICS_PER_SLIDE * MAX_TOPIC_SLIDES]
    pages = [shown[i : i + TOPICS_PER_SLIDE] for i in range(0, len(shown), TOPICS_PER_SLIDE)]
    rest = [name for name, _ in topics[len(shown) :]]
    for number, page in enumerate(pages, start=1):
        title = f"話題と代表的な声: {label}" + (f" {number}/{len(pages)}" if len(pages) > 1 else "")
        notes = [
            f"引用は回答が{min_comments}件以上のグループ（役割×回答時期）からのみ。氏名・メール・"
            "電話番号・社員番号は伏せ字にしています。話題の中心に近い回答を選んでいます。",
            *method,
        ]
        if rest and number == len(pages):
            notes.append("ほかの話題: " + "、".join(rest))
        slide = deck.slide(title, notes=notes)
        columns = 2 if len(page) <= 4 else 3
        per_topic, limit, size = (3, COMMENT_CHARS, 12) if columns == 2 else (2, 80, 11)
        width, height = (SLIDE_WIDTH - Inches(1.0)) // columns, Inches(2.85)
        for index, (name, comments) in enumerate(page):
            number_of_topic = (number - 1) * TOPICS_PER_SLIDE + index + 1
            quoted = [f"「{clean_text(c, limit=limit)}」" for c in comments[:per_topic]] or [
                f"（引用できる回答がありません: {min_comments}件未満のグループのみ）"
            ]
            deck.text(
                slide,
                [(f"話題{number_of_topic}: {name}", {"bold": True, "size": size + 3}), *quoted],
                Inches(0.5) + width * (index % columns), Inches(1.2) + height * (index // columns),
                width - Inches(0.2), height - Inches(0.1), size=size, space_after=4,
            )  # fmt: skip


def _question_slide(deck: _Deck, questions: list[str]) -> None:
    slide = deck.slide(
        "対話のための問い",
        notes=[
            "数字は肯定率（「そう思う」「とてもそう思う」の割合）。差の大きい項目と、"
            "管理職だけが違う見方をしている項目（◆）から問いを作りました。"
            "数字の正しさよりも、背景にある経験を語ってもらうための問いです。"
        ],
    )
    paragraphs = [(f"問{i}. {q}", {}) for i, q in enumerate(questions, start=1)]
    deck.text(
        slide, paragraphs, Inches(0.7), Inches(1.3), Inches(11.9), Inches(5.6),
        size=20, space_after=18,
    )  # fmt: skip


def _method_slide(deck: _Deck) -> None:
    slide = deck.slide("分析方法と匿名性のルール", notes=deck.method_notes, data=False)
    deck.text(
        slide, deck.method_notes[1:], Inches(0.5), Inches(1.2), Inches(12.3), Inches(5.8),
        size=14, space_after=8,
    )  # fmt: skip


def build_deck(
    survey: Survey,
    *,
    wave: str | None = None,
    min_group: int = MIN_GROUP_SCORES,
    min_comments: int = MIN_GROUP_COMMENTS,
    k_topics: int | None = None,
    date: dt.date | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The workshop deck for ``survey`` as ``.pptx`` bytes (16:9, native charts).

    Parameters
    ----------
    wave
        Wave whose role gaps are shown (default: the first wave); trends
        always span every wave.
    min_group
        No number from a group with fewer answers than this.
    min_comments
        No comment quoted from a role x wave group with fewer real answers.
    k_topics
        Topics per free-text question (default: the topic model's choice).
    date
        Date on the title slide (default: today).
    progress
        Called with ``(fraction 0-1, Japanese message)`` as the deck is built.
    """
    check_min_group(min_group)
    check_min_group(min_comments)
    report = progress or (lambda fraction, message: None)
    waves = survey.waves
    if wave is not None and wave not in waves:
        raise SurveyError(f"回答時期「{wave}」のデータがありません（{'、'.join(waves) or 'なし'}）")
    gap_wave = wave or (waves[0] if waves else None)

    report(0.0, "回答者数を集計しています")
    counts = pipeline.respondent_counts(survey, min_group=min_group)
    notes = _method_notes(counts, min_group=min_group, min_comments=min_comments)
    deck = _Deck(_display_name(survey), notes, min_group=min_group)
    _title_slide(deck, survey, counts, date or dt.date.today())

    answers = survey.answers()
    has_scores = not answers.empty and answers["role"].notna().any()
    if not answers.empty:
        report(0.05, "要点の文を作っています")
        headlines = headline_table(answers, waves=waves or None, min_group=min_group)
        if len(headlines):
            _summary_slide(deck, headlines)
    if has_scores:
        report(0.2, "役割間のギャップを計算しています")
        one_wave = answers if gap_wave is None else answers[answers["wave"] == gap_wave]
        scores = gaps.item_scores(one_wave, by=("role",), min_group=min_group)
        gap_table = gaps.role_gaps(one_wave, min_group=min_group)
        isolation = gaps.isolation_from_gaps(gap_table, gaps.order_roles(one_wave["role"]))
        specs = gap_charts(scores, gap_table, isolation, wave=gap_wave)
        ranked = list(largest_gaps(gap_table)["item"])
        chunks = [
            ranked[i : i + GAP_ITEMS_PER_CHART] for i in range(0, len(ranked), GAP_ITEMS_PER_CHART)
        ]
        _gap_slides(deck, specs, chunks, gap_table, gap_wave)

        if len(waves) >= 2:
            report(0.35, "研修前後の変化を検定しています")
            cells = trends.wave_scores(answers, waves=waves, min_group=min_group)
            changes = trends.wave_changes(answers, waves=waves, min_group=min_group)
            _trend_slides(deck, trend_charts(cells, changes, waves), changes, waves)
            _change_slides(deck, changes, waves)

        questions = dialogue_questions(with_agreement(scores, one_wave), gap_table, isolation)
    else:
        questions = []

    free_text = survey.schema.free_text[:MAX_FREE_TEXT_QUESTIONS]
    for index, column in enumerate(free_text):
        report(
            0.5 + 0.4 * index / len(free_text),
            f"自由記述の話題を分析しています（{index + 1}/{len(free_text)}）",
        )
        texts = survey.texts(column)
        result = fit_topics(
            texts["text"].tolist(),
            roles=texts["role"].tolist() if survey.schema.role else None,
            waves=texts["wave"].tolist() if survey.schema.wave else None,
            k=k_topics,
            min_group=min_comments,
        )
        if result.topics.empty:
            continue
        _free_text_slides(
            deck, survey.table.label(column), result, texts, waves,
            min_group=min_group, min_comments=min_comments,
        )  # fmt: skip

    if questions:
        _question_slide(deck, questions)
    _method_slide(deck)
    deck.footer()
    report(1.0, f"{len(deck.prs.slides)}枚のスライドを作成しました")
    return deck.to_bytes()
