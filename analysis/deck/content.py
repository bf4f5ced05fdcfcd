"""What the workshop deck says: chart specs, tables and texts, from the published tables.

No python-pptx here: every function takes tidy tables (from
:func:`analysis.gaps.item_scores`, :func:`analysis.gaps.role_gaps`,
:func:`analysis.trends.wave_scores`, :func:`analysis.trends.wave_changes`,
:func:`analysis.headlines.headline_table`, the topic model) and returns plain
values, so each slide's content can be tested without opening PowerPoint.
:mod:`analysis.deck.render` places them; :mod:`analysis.deck.build` orders them.

A slide is a :class:`SlideContent`: its layout, title, notes, text boxes (lists
of paragraphs), charts (:class:`ChartSpec`) and tables. Every percentage is
written with :func:`analysis.numbers.percent`.

Privacy: a hidden group (see :mod:`analysis.privacy`) contributes no series,
no category and no number to any chart; comments are quoted only from groups
of at least ``min_comments`` answers and always through
:func:`analysis.masking.mask_pii`. User text is made one line with the
characters XML cannot hold removed (:func:`clean_text`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum
from pathlib import Path

import pandas as pd

from analysis import gaps, likert, privacy
from analysis.cooccurrence import TOP_EDGES, Z_DISTINCTIVE, Network
from analysis.figures import MIXED_SCALES, REVERSE_MARK, scale_ends
from analysis.masking import mask_pii
from analysis.numbers import percent
from analysis.privacy import MIN_GROUP_COMMENTS, MIN_GROUP_SCORES, MISSING, check_min_group
from analysis.schema import Item, Survey
from analysis.text import is_no_answer
from analysis.topics import WHOLE, TopicResult

__all__ = [
    "ChartSpec",
    "Layout",
    "SlideContent",
    "change_slides",
    "change_table",
    "clean_text",
    "dialogue_questions",
    "display_name",
    "footer_text",
    "free_text_slides",
    "gap_charts",
    "gap_slides",
    "largest_gaps",
    "method_notes",
    "method_slide",
    "network_slide",
    "question_slide",
    "short_label",
    "summary_slide",
    "title_slide",
    "topic_comments",
    "topic_share_chart",
    "trend_charts",
    "trend_slides",
    "with_agreement",
]

# Policy numbers for the deck, named once.
VALUE_DECIMALS = 2  # means in charts and tables
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

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029\x85\x0b\x0c]+")


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
    return mark + short_label(item) + (REVERSE_MARK if reverse else "")


def _scales(items: Iterable[Item], statements: Iterable[str] | None) -> list[likert.Scale]:
    """The distinct scales of ``statements`` (every item's when ``None``), in item order."""
    wanted = None if statements is None else set(statements)
    chosen = [i.scale for i in items if wanted is None or i.label in wanted]
    return [likert.SCALES_BY_NAME[name] for name in dict.fromkeys(chosen)]


def scale_note(
    items: Iterable[Item], statements: Iterable[str] | None = None, *, points: int | None = None
) -> str:
    """The endpoints of the scale of ``statements`` as the survey words them.

    Items on different scales say so and list each; with no known item, 「1 〜 points」
    (or ``""`` without ``points``).

    >>> four = Item("q1", "AIは役立つ", 4, scale="agree4_soft")
    >>> scale_note([four])
    '1 = そう思わない 〜 4 = そう思う'
    >>> scale_note([four, Item("q2", "研修に満足", 5, scale="satisfy5_soft")])
    '項目によって尺度が異なります（1 = そう思わない 〜 4 = そう思う ／ 1 = 不満 〜 5 = 満足）'
    >>> scale_note([], points=5)
    '1 〜 5'
    """
    ends = list(dict.fromkeys(scale_ends(s) for s in _scales(items, statements)))
    if len(ends) > 1:
        return MIXED_SCALES + "（" + " ／ ".join(ends) + "）"
    if ends:
        return ends[0]
    return f"1 〜 {points}" if points else ""


def agree_words(items: Iterable[Item], statements: Iterable[str] | None = None) -> str:
    """What 肯定率 counts, in the scale's own words: its top two answers as worded.

    >>> agree_words([Item("q1", "AIは役立つ", 4, scale="agree4_soft")])
    '「ややそう思う」「そう思う」'
    >>> agree_words([Item("q1", "AIは役立つ", 7, scale="numeric7")])
    '上位2段階（6・7）'
    """
    scales = _scales(items, statements)
    if len(scales) != 1:
        return "各尺度の上位2段階" if scales else "上位2段階"
    scale = scales[0]
    if scale.numeric:
        return f"上位2段階（{scale.points - 1}・{scale.points}）"
    return f"「{scale.labels[-2]}」「{scale.labels[-1]}」"


def gap_charts(
    scores: pd.DataFrame,
    gap_table: pd.DataFrame,
    isolation: pd.DataFrame,
    *,
    wave: str | None = None,
    per_chart: int = GAP_ITEMS_PER_CHART,
    max_charts: int = MAX_GAP_CHARTS,
    items: Iterable[Item] = (),
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
    items
        The survey's statements (:attr:`analysis.schema.Schema.items`): their
        scales name the value axis's endpoints (:func:`scale_note`).

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
                value_title=f"平均（{scale_note(items, chunk, points=points)}）",
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
    items: Iterable[Item] = (),
) -> list[ChartSpec]:
    """Line-chart contents: one chart per item, one series per role across ``waves``.

    Items are those whose first change (``waves[0]`` -> ``waves[1]``) is
    largest in absolute effect size for some visible role, at most
    ``max_items``. ``cells`` is :func:`analysis.trends.wave_scores`,
    ``changes`` :func:`analysis.trends.wave_changes`. Values are means
    rounded to :data:`VALUE_DECIMALS`; a hidden cell is ``None`` and a role
    hidden in every wave of the item has no series. A reverse item's title ends
    （逆）; the value axis names the item's scale (from ``items``, the survey's
    statements).
    """
    waves = list(waves)
    items = tuple(items)
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
    chosen = list(ranking.index[:max_items])
    visible = cells[~cells["suppressed"].astype(bool)]
    points = int(cells["points"].max())
    reverse = dict(zip(cells["item"], cells["reverse"].astype(bool), strict=False))
    specs = []
    for item in chosen:
        rows = visible[visible["item"] == item]
        lookup = {(r.role, r.wave): r.mean for r in rows.itertuples(index=False)}
        series = [
            (role, [_round(lookup.get((role, w))) for w in waves])
            for role in gaps.order_roles(rows["role"])
        ]
        specs.append(
            ChartSpec(
                title=short_label(item, 30) + (REVERSE_MARK if reverse.get(item) else ""),
                categories=waves,
                series=series,
                value_title=f"平均（{scale_note(items, [item], points=points)}）",
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
        shares = "、".join(f"{role}{percent(share[(role, r.item)])}%" for role in roles)
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
        pa, pb = percent(share[(r.a, r.item)]), percent(share[(r.b, r.item)])
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
    (its label), values = the whole percent of :func:`analysis.numbers.percent`
    as a 0-1 share, so a label reads as the same percent as anywhere else
    (1/8 = 13%). ``None`` when no group can be shown.

    >>> from analysis.topics import TopicResult
    >>> topics = pd.DataFrame({"id": [0, 1], "label": ["不安", "期待"], "terms": [[], []],
    ...     "size": [9, 7], "examples": [[], []]})
    >>> shares = pd.DataFrame({"role": "管理職", "wave": "研修前", "topic": [0, 1],
    ...     "share": [0.125, 0.875], "n": [1, 7]})
    >>> topic_share_chart(TopicResult(topics, [], shares, 2), question="感想").series
    [('不安', [0.13]), ('期待', [0.88])]
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
            percent(float(lookup.get((role, wave, int(topic.id)), 0.0))) / 100
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
        MISSING if value is None or pd.isna(value) or not str(value).strip() else str(value).strip()
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


# --------------------------------------------------------------------------- slides


class Layout(StrEnum):
    """Where a slide's boxes go (one arrangement each in :mod:`analysis.deck.render`)."""

    TITLE = "title"  # texts[0] heading lines, tables[0] respondents, texts[1] the threshold note
    SUMMARY = "summary"  # texts[0] headline sentences
    GAPS = "gaps"  # charts[0] clustered bars
    TRENDS = "trends"  # charts side by side, lines with markers
    CHANGE = "change"  # texts[0] caption, tables[0] change table
    TOPIC_SHARES = "topic_shares"  # charts[0] 100% stacked bars
    COMMENTS = "comments"  # one text box per topic in ``columns`` columns
    QUESTIONS = "questions"  # texts[0] numbered questions
    METHOD = "method"  # texts[0] the method paragraphs
    NETWORK = "network"  # texts[0] caption, tables[0] nodes, tables[1] edges (network_slide)


@dataclass(frozen=True)
class SlideContent:
    """One slide's words and numbers; :mod:`analysis.deck.render` decides where they go.

    ``texts`` are text boxes, each a list of paragraphs; a data slide
    (``data=True``) also carries the method notes after its own ``notes``.
    """

    layout: Layout
    title: str
    notes: list[str] = field(default_factory=list)
    texts: list[list[str]] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    tables: list[pd.DataFrame] = field(default_factory=list)
    columns: int = 1
    data: bool = True


def display_name(survey: Survey) -> str:
    """The survey's name for the title slide and footer, without a file extension."""
    name = clean_text(survey.name) or "アンケート"
    suffix = Path(name).suffix.lower()
    return Path(name).stem if suffix in {".csv", ".tsv", ".txt", ".xlsx", ".xls"} else name


def footer_text(survey_name: str, number: int, total: int) -> str:
    """The footer line of slide ``number`` of ``total``.

    >>> footer_text("AI研修", 2, 9)
    '架け橋｜AI研修\u30002/9'
    """
    return f"架け橋｜{survey_name}　{number}/{total}"


def _count_lines(counts: pd.DataFrame) -> list[str]:
    lines = []
    for wave, rows in counts.groupby("wave", sort=False):
        groups = "・".join(f"{r.role} {r.label}" for r in rows.itertuples(index=False))
        lines.append(f"{wave}: {groups}" if wave else groups)
    return lines


def method_notes(
    counts: pd.DataFrame, *, min_group: int, min_comments: int, items: Iterable[Item] = ()
) -> list[str]:
    """The 分析方法 paragraphs (heading first), also appended to every data slide's notes.

    ``counts`` is :func:`analysis.pipeline.respondent_counts`; ``items`` the survey's
    statements, whose scales the 平均 and 肯定率 paragraph names in their own words.
    """
    items = tuple(items)
    ends = scale_note(items) or "1 = 尺度のいちばん低い選択肢"
    return [
        "【分析方法】",
        f"匿名性: 回答が{min_group}件未満のグループの数値は表示しません。合計やほかのグループとの"
        "差し引きで分かってしまう場合は、そのグループもあわせて非表示にします（役割×部署で判定）。",
        f"自由記述の引用: 回答が{min_comments}件未満のグループ（役割×回答時期）からは引用しません。"
        "引用では氏名・メールアドレス・電話番号・社員番号を伏せ字にしています。",
        f"平均: 設問の文言どおり（{ends}）。"
        f"肯定率: {agree_words(items)}と答えた割合。"
        "（逆）は否定的な文言の項目で、低い値が好ましい回答です。",
        "役割間の差: Hedges の g（バイアス補正した標準化平均差、95%信頼区間は非心t分布）、"
        "Welch の t 検定、p 値は全項目×全ペアで Holm 法により補正。",
        gaps.ISOLATION_RULE,
        "時期間の変化: 対応あり（回答者IDで同じ人を追跡）は Wilcoxon の符号順位検定と対応のある"
        " t 検定、効果量 d_z。対応なしは Mann-Whitney の U 検定と Welch の t 検定、効果量 Cliff の δ。"
        "p 値は Holm 法で補正（* = 補正後 p < 0.05）。",
        "回答者数（役割・回答時期ごと）: " + " ／ ".join(_count_lines(counts)),
    ]


def title_slide(
    name: str, waves: Sequence[str], counts: pd.DataFrame, date: dt.date, *, min_group: int
) -> SlideContent:
    """表紙: name, waves, date; respondents per role x wave (labels, never a hidden number).

    With a ``rate_label`` column (:func:`analysis.pipeline.response_rates`) the
    table gains one 回答率 row per wave.

    >>> counts = pd.DataFrame({"wave": ["研修前", "研修前"], "role": ["管理職", "一般社員"],
    ...     "label": ["12人", "5人未満"], "suppressed": [False, True]})
    >>> slide = title_slide("AI研修", ["研修前"], counts, dt.date(2025, 8, 1), min_group=5)
    >>> slide.texts[0]
    ['AI導入アンケート 分析レポート', '回答時期: 研修前', '作成日: 2025年8月1日']
    >>> slide.tables[0].values.tolist()
    [['研修前', '12人', '5人未満']]
    """
    shown = " → ".join(waves) if waves else "1回分"
    heading = [
        "AI導入アンケート 分析レポート",
        f"回答時期: {shown}",
        f"作成日: {date.year}年{date.month}月{date.day}日",
    ]
    if counts.empty:
        return SlideContent(Layout.TITLE, name, texts=[heading], data=False)
    roles = list(dict.fromkeys(counts["role"]))
    waves_present = list(dict.fromkeys(counts["wave"]))
    label = {(r.wave, r.role): r.label for r in counts.itertuples(index=False)}
    grid = pd.DataFrame(
        {"回答者数": [w or "全回答" for w in waves_present]}
        | {role: [label.get((w, role), "0人") for w in waves_present] for role in roles}
    )
    if "rate_label" in counts and counts["rate_label"].ne("").any():  # pipeline.response_rates
        rate = {(r.wave, r.role): r.rate_label for r in counts.itertuples(index=False)}
        rates = pd.DataFrame(
            {"回答者数": [f"回答率（{w}）" if w else "回答率" for w in waves_present]}
            | {role: [rate.get((w, role), "") for w in waves_present] for role in roles}
        )
        grid = pd.concat([grid, rates], ignore_index=True)
    note = f"回答が{min_group}人未満のグループは、人数も結果も表示しません。"
    return SlideContent(Layout.TITLE, name, texts=[heading, [note]], tables=[grid], data=False)


#: :func:`analysis.headlines.headline_table`'s kinds, as the 要点 notes name them.
HEADLINE_KINDS_JA = {
    "favourable": "肯定率",
    "gap": "役割間の差",
    "change": "研修前後の変化",
    "isolation": "管理職だけが違う度合い（g）",
    "retention": "定着率",
}


def summary_slide(headlines: pd.DataFrame) -> SlideContent:
    """要点: the headline sentences, with their estimates, intervals and n in the notes.

    ``headlines`` is :func:`analysis.headlines.headline_table`.
    """
    notes = ["要点の数字（推定値と95%信頼区間、n）:"]
    for r in headlines.itertuples(index=False):
        n = "" if pd.isna(r.n) else f"n={int(r.n)}"
        n += "" if pd.isna(r.n_other) else f"/{int(r.n_other)}"
        interval = f"[{r.low:.3f}, {r.high:.3f}]"
        if r.kind == "retention":  # the interval quoted is the follow-up mean's, not the rate's
            interval = f"（{r.wave}の平均の95%信頼区間 {interval}）"
        notes.append(f"・{HEADLINE_KINDS_JA.get(r.kind, r.kind)}: {r.estimate:.3f} {interval} {n}")
    return SlideContent(
        Layout.SUMMARY, "要点", notes=notes, texts=[[f"● {text}" for text in headlines["text"]]]
    )


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
        p = (
            "—"
            if pd.isna(r["p_adj"])
            else ("< 0.001" if r["p_adj"] < 0.001 else f"= {r['p_adj']:.3g}")
        )
        lines.append(
            f"・{item}: {r['a']} − {r['b']} 平均差 {r['diff']:+.2f}、{effect}、p {p}"
            f"（n = {int(r['n_a'])} / {int(r['n_b'])}）"
        )
    return lines


def gap_slides(
    scores: pd.DataFrame,
    gap_table: pd.DataFrame,
    isolation: pd.DataFrame,
    *,
    wave: str | None = None,
    items: Iterable[Item] = (),
) -> list[SlideContent]:
    """役割間のギャップ: one clustered-bar chart a slide (:func:`gap_charts`), pair stats in notes.

    ``items`` (the survey's statements) name each chart's scale, in its axis and notes.
    """
    specs = gap_charts(scores, gap_table, isolation, wave=wave, items=items)
    points = int(scores["points"].max()) if len(scores) else None
    ranked = list(largest_gaps(gap_table)["item"])
    chunks = [
        ranked[i : i + GAP_ITEMS_PER_CHART] for i in range(0, len(ranked), GAP_ITEMS_PER_CHART)
    ]
    out = []
    for number, (spec, chunk) in enumerate(zip(specs, chunks, strict=False), start=1):
        title = "役割間のギャップ" + (f"（{wave}）" if wave else "")
        if len(specs) > 1:
            title += f" {number}/{len(specs)}"
        notes = [f"尺度: {scale_note(items, chunk, points=points)}。（逆）は低い値が好ましい項目。"]
        notes += _gap_notes(chunk, gap_table) + _hidden_notes(chunk, scores, gap_table)
        out.append(SlideContent(Layout.GAPS, title, notes=notes, charts=[spec]))
    return out


def _hidden_notes(items: Sequence[str], scores: pd.DataFrame, gap_table: pd.DataFrame) -> list[str]:
    """Why each group or pair missing from the chart is missing (:func:`privacy.hidden_note_lines`)."""
    lines = [
        *privacy.hidden_note_lines(scores[scores["item"].isin(items)], "role"),
        *privacy.hidden_note_lines(gap_table[gap_table["item"].isin(items)], ("a", "b")),
    ]
    return ["表示していない値:", *(f"・{line}" for line in lines)] if lines else []


def trend_slides(specs: list[ChartSpec], waves: Sequence[str]) -> list[SlideContent]:
    """研修前後の変化: :func:`trend_charts`, :data:`TREND_CHARTS_PER_SLIDE` to a slide."""
    pages = [
        specs[i : i + TREND_CHARTS_PER_SLIDE] for i in range(0, len(specs), TREND_CHARTS_PER_SLIDE)
    ]
    out = []
    for number, page in enumerate(pages, start=1):
        title = "研修前後の変化（役割ごとの平均）"
        if len(pages) > 1:
            title += f" {number}/{len(pages)}"
        notes = [
            f"{waves[0]}→{waves[1]}の変化が大きい項目（{len(specs)}件）を、役割ごとの平均の推移で示します。"
        ]
        out.append(SlideContent(Layout.TRENDS, title, notes=notes, charts=list(page)))
    return out


def change_slides(changes: pd.DataFrame, waves: Sequence[str]) -> list[SlideContent]:
    """Tables of change (:func:`change_table`): first -> second wave, and first -> last."""
    pairs = [(waves[0], waves[1])]
    if len(waves) >= 3:
        pairs.append((waves[0], waves[-1]))
    out = []
    for first, last in pairs:
        table, method = change_table(changes, from_wave=first, to_wave=last)
        if len(table.columns) < 2:
            continue
        linked = (
            "同じ回答者を回答者IDで追跡" if method == "対応あり" else "回答者をつなげない集団比較"
        )
        notes = [
            f"各セル: 平均の変化（{last} − {first}）、* は Holm 補正後 p < 0.05。",
            f"2行目: 効果量と人数。{method}: {linked}。"
            + ("d_z = 変化の平均 ÷ 変化の標準偏差、n = 両方に回答した人数。"
               if method == "対応あり" else "δ = Cliff の δ、n = 各時期の回答数。"),
            "「—」は人数が少ないため表示しないセル。",
        ]  # fmt: skip
        caption = (
            f"平均の変化（{last} − {first}）。2行目は効果量と人数。"
            f"{method}: {linked}。* = 補正後 p < 0.05、— = 非表示"
        )
        out.append(
            SlideContent(
                Layout.CHANGE,
                f"{first}→{last}の変化（{method}）",
                notes=notes,
                texts=[[caption]],
                tables=[table.rename(columns={"項目": f"項目（{method}）"})],
            )
        )
    return out


def free_text_slides(
    question: str,
    result: TopicResult,
    texts: pd.DataFrame,
    waves: Sequence[str],
    *,
    min_group: int,
    min_comments: int,
) -> list[SlideContent]:
    """自由記述: topic shares (:func:`topic_share_chart`), then topics with comments.

    ``result`` is :func:`analysis.topics.fit_topics` of ``texts``
    (:meth:`~analysis.schema.Survey.texts`); comments come from
    :func:`topic_comments`.
    """
    label = short_label(question, 18)
    method = [
        f"話題: 回答を内容の近さでまとめたもの（{result.k}個、回答を記入した人のみ。"
        "「特になし」などは除外）。見出しは各話題に特徴的な語。",
        f"割合: 役割×回答時期ごとの回答に占める各話題の割合。回答が{max(min_group, min_comments)}件未満の"
        "グループは表示しません。",
    ]
    out = []
    spec = topic_share_chart(result, question=question, waves=waves, min_group=min_group)
    if spec is not None:
        out.append(
            SlideContent(
                Layout.TOPIC_SHARES, f"自由記述の話題: {label}", notes=method, charts=[spec]
            )
        )
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
        columns = 2 if len(page) <= 4 else 3
        per_topic, limit = (3, COMMENT_CHARS) if columns == 2 else (2, 80)
        boxes = []
        for index, (name, comments) in enumerate(page):
            number_of_topic = (number - 1) * TOPICS_PER_SLIDE + index + 1
            quoted = [f"「{clean_text(c, limit=limit)}」" for c in comments[:per_topic]] or [
                f"（引用できる回答がありません: {min_comments}件未満のグループのみ）"
            ]
            boxes.append([f"話題{number_of_topic}: {name}", *quoted])
        out.append(SlideContent(Layout.COMMENTS, title, notes=notes, texts=boxes, columns=columns))
    return out


def network_slide(question: str, network: Network, *, min_comments: int) -> SlideContent | None:
    """語の共起ネットワーク: :func:`analysis.cooccurrence.question_network`, or ``None`` if no word is joined.

    ``tables[0]`` holds the nodes (``word``, ``count``, ``role``, ``x``, ``y``
    in [-1, 1]), ``tables[1]`` the edges (``source``, ``target``, ``jaccard``,
    ``both``); :mod:`analysis.deck.render` draws them as shapes and lines.

    >>> from analysis.cooccurrence import cooccurrence_network
    >>> net = cooccurrence_network(["日報の要約", "日報を要約", "議事録を要約"], min_group=1)
    >>> slide = network_slide("AIを使いたい業務", net, min_comments=1)
    >>> slide.title, slide.tables[0]["word"].tolist(), len(slide.tables[1])
    ('語の共起ネットワーク: AIを使いたい業務', ['要約', '日報'], 1)
    """
    if network.nodes.empty:
        return None
    nodes = network.nodes[["word", "count", "role", "x", "y"]].reset_index(drop=True)
    nodes = nodes.assign(word=nodes["word"].map(clean_text), role=nodes["role"].map(clean_text))
    edges = network.edges[["source", "target", "jaccard", "both"]].reset_index(drop=True)
    edges = edges.assign(
        source=edges["source"].map(clean_text), target=edges["target"].map(clean_text)
    )
    caption = (
        f"回答{network.n_answers:,}件。円の大きさ＝その語を使った回答の数、線の太さ＝一緒に使われる度合い"
        "（Jaccard 係数）。色＝その語を特に多く使う役割（灰色はどの役割にも偏らない語）。"
    )
    notes = [
        f"同じ回答に一緒に出てくる語の組を、Jaccard 係数（両方を使った回答数 ÷ どちらかを使った回答数）の"
        f"高い順に最大{TOP_EDGES}本結んでいます（KH Coder の共起ネットワークと同じ考え方）。",
        f"色: 役割ごとの使用回答数を他の役割と比べた対数オッズ比（Dirichlet 事前分布付き）が"
        f" z ≥ {Z_DISTINCTIVE} の語。語の位置に意味はなく、近さは結び付きの強さです。",
        f"回答が{min_comments}件未満の役割×回答時期のグループの回答は、件数にも語にも色分けにも使いません。"
        "氏名などの個人情報は取り除いてから数えています。",
    ]
    return SlideContent(
        Layout.NETWORK,
        f"語の共起ネットワーク: {short_label(question, 18)}",
        notes=notes,
        texts=[[caption]],
        tables=[nodes, edges],
    )


def question_slide(questions: Sequence[str]) -> SlideContent:
    """対話のための問い: :func:`dialogue_questions`, numbered.

    >>> question_slide(["なぜでしょうか？"]).texts
    [['問1. なぜでしょうか？']]
    """
    return SlideContent(
        Layout.QUESTIONS,
        "対話のための問い",
        notes=[
            "数字は肯定率（文言どおり上位2段階と答えた割合。分析方法を参照）。差の大きい項目と、"
            "管理職だけが違う見方をしている項目（◆）から問いを作りました。"
            "数字の正しさよりも、背景にある経験を語ってもらうための問いです。"
        ],
        texts=[[f"問{i}. {q}" for i, q in enumerate(questions, start=1)]],
    )


def method_slide(notes: Sequence[str]) -> SlideContent:
    """分析方法と匿名性のルール: :func:`method_notes` on the slide (without its heading)."""
    return SlideContent(
        Layout.METHOD, "分析方法と匿名性のルール", notes=list(notes), texts=[list(notes[1:])],
        data=False,
    )  # fmt: skip
