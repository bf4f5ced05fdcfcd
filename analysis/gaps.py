"""Where executives, managers and frontline staff see things differently.

Every function takes the long-form ``answers`` table (one row per response x
Likert item; columns :data:`ANSWER_COLUMNS`) and returns a new tidy table.
Groups smaller than ``min_group`` never show a number (see
:mod:`analysis.privacy`); a comparison that involves a hidden group is null.

Scales: ``mean``, ``score100`` and ``midpoint`` describe agreement with the
statement *as worded* (higher = more agreement). ``favourable`` is
direction-aware: the top-2 boxes for ordinary items, the bottom-2 boxes for
negatively worded (``reverse``) items such as 「AIに仕事を奪われると不安だ」.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis import stats
from analysis.errors import SurveyError
from analysis.privacy import (
    ALL,
    MIN_GROUP_SCORES,
    NO_ANSWER,
    REASON,
    check_min_group,
    disclosure_pattern,
    hide_counts,
    node_label,
    suppress_small,
)

__all__ = [
    "ANSWER_COLUMNS",
    "GAP_CORRECTION",
    "GAP_EFFECT",
    "ISOLATION_THRESHOLD",
    "PRIVACY_DIMS",
    "check_answers",
    "difference_from_overall",
    "gaps_payload",
    "ISOLATION_RULE",
    "isolation_from_gaps",
    "item_scores",
    "manager_isolation",
    "order_roles",
    "role_gaps",
    "role_rank",
]

ANSWER_COLUMNS = (
    "row", "respondent", "role", "wave", "department", "item", "points", "reverse", "value",
)  # fmt: skip

# Policy numbers, named once.
ISOLATION_THRESHOLD = 0.3  # managers "isolated" on an item: |Hedges g| >= this vs EVERY other role
# The rule, where the flag appears (gaps page, `gaps` CLI, the deck's notes).
ISOLATION_RULE = (
    "「管理職だけが違う」の判定: 管理職と他のすべての役割との差が同じ向きで、効果量|g|が"
    f"{ISOLATION_THRESHOLD}以上の項目。どの95%信頼区間も0をまたがないときは「違う」、"
    "またぐときは「傾向」と書きます（人数が少ないと区間は広くなります）。"
)
GAP_EFFECT = "hedges_g"  # effect size reported by role_gaps (bias-corrected, noncentral-t CI)
GAP_CORRECTION = "holm"  # p_adj in role_gaps: Holm over every item x pair in the table
PRIVACY_DIMS = ("role", "department")  # groupings whose totals may be shown anywhere in the app

_ROLE_KEYWORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (0, ("経営", "役員", "取締", "社長", "執行", "CEO", "CXO")),
    (1, ("管理", "マネージャ", "マネジャ", "課長", "部長", "リーダー", "所長", "店長")),
    (2, ("一般", "現場", "社員", "スタッフ", "メンバー", "担当", "従業員")),
)

_SCORE_COLUMNS = (
    "mean", "mean_low", "mean_high",
    "score100", "score100_low", "score100_high",
    "favourable", "favourable_low", "favourable_high",
    "midpoint", "midpoint_low", "midpoint_high",
)  # fmt: skip


# --------------------------------------------------------------------------- roles


def role_rank(label: str) -> int:
    """Position of a role in the canonical order 経営層 (0) < 管理職 (1) < 一般社員/現場 (2) < other (3).

    >>> [role_rank(r) for r in ["経営層", "管理職", "現場", "一般社員", "人事"]]
    [0, 1, 2, 2, 3]
    """
    text = str(label)
    for rank, words in _ROLE_KEYWORDS:
        if any(word in text for word in words):
            return rank
    return 3


def order_roles(labels: Iterable[Any]) -> list[str]:
    """Distinct role labels in canonical order; unknown roles keep first-seen order after.

    >>> order_roles(["一般社員", "人事", "管理職", "経営層", "管理職"])
    ['経営層', '管理職', '一般社員', '人事']
    """
    if isinstance(labels, pd.Series | pd.Index):
        labels = labels.dropna().unique()
    seen = list(dict.fromkeys(str(label) for label in labels if not _is_missing(label)))
    return sorted(seen, key=lambda r: (role_rank(r), seen.index(r)))


# --------------------------------------------------------------------------- input checks


def _is_missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _key(value: Any) -> Any:
    return None if _is_missing(value) else value


def check_answers(answers: pd.DataFrame) -> None:
    """Raise if ``answers`` does not follow the long-form contract.

    Programming errors (missing columns) raise ``ValueError``; problems in the
    data a person can fix raise :class:`~analysis.errors.SurveyError` in
    Japanese.

    >>> check_answers(pd.DataFrame({"row": [0]}))
    Traceback (most recent call last):
    ...
    ValueError: answers is missing column(s) ['respondent', 'role', 'wave', 'department', 'item', 'points', 'reverse', 'value']
    """
    if not isinstance(answers, pd.DataFrame):
        raise ValueError(f"answers must be a DataFrame, got {type(answers).__name__}")
    missing = [c for c in ANSWER_COLUMNS if c not in answers.columns]
    if missing:
        raise ValueError(f"answers is missing column(s) {missing}")
    if answers.empty:
        return
    points = pd.to_numeric(answers["points"], errors="coerce")
    if points.isna().any() or not points.between(4, 7).all():
        bad = sorted(set(answers.loc[~points.between(4, 7), "points"].astype(str)))
        raise SurveyError(f"選択肢の数（points）は4〜7で指定してください（{', '.join(bad)}）")
    settings = answers[["item", "points", "reverse"]].drop_duplicates()
    mixed = settings.loc[settings["item"].duplicated(), "item"]
    if not mixed.empty:
        raise SurveyError(f"設問ごとに尺度と逆転の設定は1つにしてください: 「{mixed.iloc[0]}」")
    value = pd.to_numeric(answers["value"], errors="coerce")
    if (value.isna() & answers["value"].notna()).any():
        raise SurveyError("回答値（value）に数値でないものがあります")
    outside = value.notna() & ((value < 1) | (value > points))
    if outside.any():
        first = answers.loc[outside].iloc[0]
        raise SurveyError(
            f"「{first['item']}」の回答値 {first['value']} は1〜{first['points']}の範囲外です",
            row=int(first["row"]),
        )
    if answers.duplicated(["row", "item"]).any():
        first = answers.loc[answers.duplicated(["row", "item"])].iloc[0]
        raise SurveyError(f"同じ回答に「{first['item']}」が2回あります", row=int(first["row"]))


def _waves_present(answers: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(str(w) for w in answers["wave"].dropna().unique()))


def _require_single_wave(answers: pd.DataFrame) -> None:
    waves = _waves_present(answers)
    if len(waves) > 1:
        raise SurveyError(
            f"複数の回答時期（{'、'.join(waves)}）が混ざっています。"
            "回答時期を1つ選ぶか、時期ごとに集計してください"
        )


# --------------------------------------------------------------------------- item scores


def _favourable_count(values: np.ndarray, points: int, reverse: bool) -> int:
    """Answers in the favourable boxes: top 2 (bottom 2 for a reverse item)."""
    return int((values <= 2).sum() if reverse else (values >= points - 1).sum())


def _cell_scores(values: np.ndarray, points: int, reverse: bool, confidence: float) -> dict:
    """Score columns for one group's answers to one item (values without NaN)."""
    n = int(values.size)
    mean, low, high = stats.mean_interval(values, confidence=confidence)
    low, high = max(low, 1.0), min(high, float(points))  # a mean cannot leave its scale (NaN stays)
    scale = 100 / (points - 1)
    k_fav = _favourable_count(values, points, reverse)
    fav_low, fav_high = stats.wilson_interval(k_fav, n, confidence=confidence)
    out = {
        "n": n,
        "mean": mean,
        "mean_low": low,
        "mean_high": high,
        "score100": (mean - 1) * scale,
        "score100_low": (low - 1) * scale,
        "score100_high": (high - 1) * scale,
        "favourable": k_fav / n if n else math.nan,
        "favourable_low": fav_low,
        "favourable_high": fav_high,
        "midpoint": math.nan,
        "midpoint_low": math.nan,
        "midpoint_high": math.nan,
    }
    if points % 2 == 1:
        k_mid = int((values == (points + 1) / 2).sum())
        mid_low, mid_high = stats.wilson_interval(k_mid, n, confidence=confidence)
        out.update(
            midpoint=k_mid / n if n else math.nan, midpoint_low=mid_low, midpoint_high=mid_high
        )
    return out


def _privacy_dims(answers: pd.DataFrame, by: Sequence[str]) -> list[str]:
    """Dimensions of the joint pattern, in one order whatever ``by`` is (role first: its cost)."""
    wanted = [d for d in by if d != "wave"]
    dims = [
        d
        for d in PRIVACY_DIMS
        if d in wanted or (d in answers.columns and answers[d].notna().any())
    ]
    return dims + [d for d in wanted if d not in dims]


def _hidden_lookup(
    answers: pd.DataFrame, *, dims: list[str], strata: list[str], min_group: int
) -> dict[tuple, tuple[bool, str | None]]:
    """``(strata..., dims...) -> (suppressed, reason)`` for every node of the joint table."""
    answered = answers[answers["value"].notna()]
    cells = (
        answered.groupby([*strata, *dims], dropna=False, sort=False)
        .size()
        .rename("n")
        .reset_index()
    )
    pattern = disclosure_pattern(cells, dims=dims, strata=strata, min_group=min_group)
    columns = [*strata, *dims, "suppressed", REASON]
    return {
        tuple(_key(v) for v in row[:-2]): (bool(row[-2]), row[-1])
        for row in pattern[columns].itertuples(index=False, name=None)
    }


def _texts(column: pd.Series) -> pd.Series:
    """A column of Japanese reasons: strings, ``None`` where shown (never NaN)."""
    return pd.Series(
        [value if isinstance(value, str) else None for value in column],
        index=column.index,
        dtype=object,
    )


def _reason(n: int, suppressed: bool, reason: str | None, label: str, min_group: int) -> str | None:
    """Why a cell shows no number: 回答なし when nobody answered, else the pattern's reason."""
    if n == 0:
        return NO_ANSWER
    if not suppressed:
        return None
    return reason or f"{label}は{min_group}人未満のため表示していません"


def item_scores(
    answers: pd.DataFrame,
    *,
    by: Sequence[str] = ("role",),
    min_group: int = MIN_GROUP_SCORES,
    confidence: float = stats.CONFIDENCE,
) -> pd.DataFrame:
    """Per item x group: n, mean, 0-100 score, favourable and midpoint shares with CIs.

    Parameters
    ----------
    answers
        Long-form answers (:data:`ANSWER_COLUMNS`).
    by
        Grouping columns, e.g. ``("role",)``, ``("department",)``,
        ``("role", "department")`` or ``()`` for all respondents together.
        Add ``"wave"`` to score each wave separately; without it the answers
        must come from a single wave (the same person answering twice would
        otherwise count twice), else :class:`~analysis.errors.SurveyError`.
    min_group
        Anonymity threshold on the number of answers to the item.
    confidence
        Level of every interval.

    Returns
    -------
    DataFrame
        One row per group x item (groups with a missing label are left out;
        they still count in totals): the ``by`` columns, ``item``, ``points``,
        ``reverse``, ``n`` (answers, 0 when suppressed), ``mean`` with a t
        interval (``mean_low``, ``mean_high``), ``score100`` =
        (mean - 1) / (points - 1) * 100 with the same interval rescaled,
        ``favourable`` (share in the favourable top-2 box, bottom-2 for
        reverse items) and ``midpoint`` (share of the middle answer, e.g.
        どちらともいえない; NaN for even scales), each with a Wilson interval,
        ``suppressed`` and ``reason`` (why no number is shown, in Japanese:
        「経営層は5人未満のため表示していません」, 「経営層を保護するため、あわせて
        非表示にしています」, 「全体の値は、少人数のグループを保護するため表示して
        いません」, or 「回答なし」 when nobody in the group answered; ``None`` when
        shown; see :func:`analysis.privacy.hidden_reasons`).

        Suppression is decided jointly for role x department and all their
        totals (:func:`analysis.privacy.disclosure_pattern`), per wave and
        item, so any combination of tables from this module keeps a small
        group hidden. Rows come in item order, roles in canonical order.

    Examples
    --------
    >>> answers = pd.DataFrame({
    ...     "row": range(6), "respondent": pd.NA, "role": ["管理職"] * 6, "wave": "研修後",
    ...     "department": pd.NA, "item": "一人で抱え込まなくてよくなった", "points": 5,
    ...     "reverse": False, "value": [5.0, 4, 4, 3, 2, 4]})
    >>> item_scores(answers)[["role", "n", "mean", "score100", "favourable", "suppressed"]]
      role  n      mean   score100  favourable  suppressed
    0  管理職  6  3.666667  66.666667    0.666667       False
    """
    check_answers(answers)
    check_min_group(min_group)
    by = [by] if isinstance(by, str) else list(by)
    unknown = [c for c in by if c not in answers.columns]
    if unknown:
        raise ValueError(f"by has column(s) not in answers: {unknown}")
    if len(set(by)) != len(by):
        raise ValueError(f"by lists a column twice: {by}")
    if "wave" not in by:
        _require_single_wave(answers)
    strata = ["wave", "item"] if "wave" in by else ["item"]
    group_dims = [c for c in by if c != "wave"]
    dims = _privacy_dims(answers, by)
    hidden = _hidden_lookup(answers, dims=dims, strata=strata, min_group=min_group) if dims else {}

    records: list[dict[str, Any]] = []
    grouping = [*strata, *group_dims]
    for key, part in answers.groupby(grouping, dropna=False, sort=False):
        key = tuple(_key(v) for v in (key if isinstance(key, tuple) else (key,)))
        if any(v is None for v in key):
            continue  # unknown wave or group: counted in the totals, never shown on its own
        labels = dict(zip(grouping, key, strict=True))
        points = int(part["points"].iloc[0])
        reverse = bool(part["reverse"].iloc[0])
        values = pd.to_numeric(part["value"], errors="coerce").dropna().to_numpy(dtype=float)
        record = {c: labels[c] for c in by}
        record.update(item=labels["item"], points=points, reverse=reverse)
        record.update(_cell_scores(values, points, reverse, confidence))
        node = tuple(labels[c] for c in strata) + tuple(
            labels[d] if d in group_dims else ALL for d in dims
        )
        suppressed, reason = hidden.get(node, (False, None)) if dims else (False, None)
        suppressed = suppressed or record["n"] < min_group
        label = node_label(tuple(labels[c] for c in group_dims)) if group_dims else "全体"
        record["suppressed"] = suppressed
        record[REASON] = _reason(record["n"], suppressed, reason, label, min_group)
        records.append(record)

    columns = [*by, "item", "points", "reverse", "n", *_SCORE_COLUMNS, "suppressed", REASON]
    table = pd.DataFrame.from_records(records, columns=columns)
    table = suppress_small(table, min_group=min_group, value_cols=list(_SCORE_COLUMNS))
    table = hide_counts(table)
    table[REASON] = _texts(table[REASON])
    return _sort(table, answers, by)


def _sort(table: pd.DataFrame, answers: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Waves and items in first-seen order, roles canonical, other groups first-seen."""
    if table.empty:
        return table.reset_index(drop=True)
    keys: list[pd.Series] = []
    order = ["wave"] if "wave" in by else []
    order += ["item", *[c for c in by if c != "wave"]]
    for column in order:
        if column == "role":
            ranking = order_roles(answers["role"])
        else:
            ranking = list(dict.fromkeys(str(v) for v in answers[column].dropna().unique()))
        position = {label: i for i, label in enumerate(ranking)}
        keys.append(table[column].map(lambda v, p=position: p.get(str(v), len(p))))
    sort_frame = pd.concat(keys, axis=1, keys=range(len(keys)))
    index = sort_frame.sort_values(list(range(len(keys))), kind="stable").index
    return table.loc[index].reset_index(drop=True)


# --------------------------------------------------------------------------- role gaps


def _values_by(answers: pd.DataFrame, column: str) -> dict[tuple[Any, str], np.ndarray]:
    answered = answers[answers["value"].notna()]
    return {
        (_key(group), item): part["value"].to_numpy(dtype=float)
        for (group, item), part in answered.groupby([column, "item"], dropna=False, sort=False)
    }


def role_gaps(
    answers: pd.DataFrame,
    *,
    min_group: int = MIN_GROUP_SCORES,
    correction: Literal["holm", "bh"] = GAP_CORRECTION,
    confidence: float = stats.CONFIDENCE,
) -> pd.DataFrame:
    """Every item x pair of roles: effect size first, then difference, p and adjusted p.

    Pairs run over the roles present, in canonical order (経営層, 管理職,
    一般社員/現場, others), ``a`` before ``b``; every difference is ``a - b``.
    The answers must come from one wave.

    Returns
    -------
    DataFrame
        ``item``, ``a``, ``b``, ``effect`` (always ``"hedges_g"``: bias-corrected
        standardised mean difference with a noncentral-t interval, see
        :func:`analysis.stats.hedges_g`), ``effect_size``, ``effect_low``,
        ``effect_high``, ``diff`` (mean a - mean b, as worded) with its Welch
        interval ``diff_low``/``diff_high``, ``mean_a``, ``mean_b``, ``n_a``,
        ``n_b``, ``favourable_diff`` (favourable share a - b, 0-1) with
        Newcombe's interval, ``p`` (Welch t test), ``p_adj`` and ``correction``
        (``"holm"`` by default: Holm over every item x pair in this table;
        ``"bh"`` for Benjamini-Hochberg), ``suppressed``, ``reason`` (why a
        pair shows no number: the hidden group's reason, or 回答なし). A pair
        with a hidden group is all null, counts 0, and is left out of the
        correction.

    Examples
    --------
    >>> answers = pd.DataFrame({
    ...     "row": range(10), "respondent": pd.NA, "role": ["経営層"] * 5 + ["一般社員"] * 5,
    ...     "wave": "研修前", "department": pd.NA, "item": "AIで仕事が楽になると思う",
    ...     "points": 5, "reverse": False, "value": [5.0, 5, 4, 4, 5, 2, 3, 2, 3, 4]})
    >>> gap = role_gaps(answers).iloc[0]
    >>> gap["a"], gap["b"], gap["effect"], round(float(gap["effect_size"]), 2), round(float(gap["diff"]), 2)
    ('経営層', '一般社員', 'hedges_g', 2.3, 1.8)
    """
    scores = item_scores(answers, by=("role",), min_group=min_group, confidence=confidence)
    visible = {
        (r.role, r.item): not r.suppressed for r in scores.itertuples(index=False) if r.n > 0
    }
    why = {(r.role, r.item): r.reason for r in scores.itertuples(index=False)}
    values = _values_by(answers, "role")
    reverse = dict(zip(scores["item"], scores["reverse"].astype(bool), strict=False))
    points = dict(zip(scores["item"], scores["points"].astype(int), strict=False))
    roles = order_roles(answers["role"])
    items = list(answers["item"].unique())
    records = []
    for item in items:
        for a, b in itertools.combinations(roles, 2):
            record: dict[str, Any] = {"item": item, "a": a, "b": b, "effect": GAP_EFFECT}
            if visible.get((a, item), False) and visible.get((b, item), False):
                x, y = values[(a, item)], values[(b, item)]
                result = stats.unpaired_tests(x, y, confidence=confidence)
                k_x = _favourable_count(x, points[item], reverse[item])
                k_y = _favourable_count(y, points[item], reverse[item])
                share = stats.newcombe_difference(k_x, x.size, k_y, y.size, confidence=confidence)
                record.update(
                    effect_size=result.hedges_g,
                    effect_low=result.hedges_g_low,
                    effect_high=result.hedges_g_high,
                    diff=result.diff,
                    diff_low=result.diff_low,
                    diff_high=result.diff_high,
                    mean_a=float(x.mean()),
                    mean_b=float(y.mean()),
                    n_a=int(x.size),
                    n_b=int(y.size),
                    favourable_diff=share.estimate,
                    favourable_diff_low=share.low,
                    favourable_diff_high=share.high,
                    p=result.p_welch,
                    suppressed=False,
                    reason=None,
                )
            else:
                reasons = [why.get((r, item), NO_ANSWER) for r in (a, b)]
                record.update(
                    n_a=0,
                    n_b=0,
                    p=math.nan,
                    suppressed=True,
                    reason="。".join(dict.fromkeys(r for r in reasons if r)),
                )
            records.append(record)
    columns = [
        "item", "a", "b", "effect", "effect_size", "effect_low", "effect_high",
        "diff", "diff_low", "diff_high", "mean_a", "mean_b", "n_a", "n_b",
        "favourable_diff", "favourable_diff_low", "favourable_diff_high",
        "p", "p_adj", "correction", "suppressed", "reason",
    ]  # fmt: skip
    table = pd.DataFrame.from_records(records, columns=columns)
    float_columns = [c for c in columns if c not in {"item", "a", "b", "effect", "n_a", "n_b"}]
    float_columns = [c for c in float_columns if c not in {"correction", "suppressed", "reason"}]
    table[float_columns] = table[float_columns].astype("float64")
    table["n_a"] = table["n_a"].fillna(0).astype(int)
    table["n_b"] = table["n_b"].fillna(0).astype(int)
    table["suppressed"] = table["suppressed"].astype(bool)
    table["reason"] = _texts(table["reason"])
    table["p_adj"] = stats.adjust_pvalues(table["p"].to_numpy(), method=correction)
    table["correction"] = correction
    return table


def manager_isolation(
    answers: pd.DataFrame,
    *,
    threshold: float = ISOLATION_THRESHOLD,
    min_group: int = MIN_GROUP_SCORES,
    confidence: float = stats.CONFIDENCE,
) -> pd.DataFrame:
    """Items where managers stand apart from every other role, in the same direction.

    An item is listed when the manager role (管理職; the role ranked 1 by
    :func:`role_rank`) differs from each of at least two other roles by
    ``|Hedges g| >= threshold`` (default :data:`ISOLATION_THRESHOLD` = 0.3),
    all with the same sign. Every other role present must be visible;
    a hidden role blocks the claim.

    Returns
    -------
    DataFrame
        ``item``, ``role`` (the manager label), ``direction`` (``"higher"`` or
        ``"lower"`` than the others, as worded), ``effect`` (``"hedges_g"``),
        ``min_effect`` (the manager-minus-other g closest to zero),
        ``compared_with`` (the other roles joined by 「・」), ``threshold``,
        ``firm`` (every interval of those g excludes zero on the same side; else
        the difference is only a 傾向, see :data:`ISOLATION_RULE`).

    Examples
    --------
    >>> answers = pd.DataFrame({
    ...     "row": range(15), "respondent": pd.NA,
    ...     "role": ["経営層"] * 5 + ["管理職"] * 5 + ["一般社員"] * 5,
    ...     "wave": "研修前", "department": pd.NA, "item": "相談できる相手がいる",
    ...     "points": 5, "reverse": False,
    ...     "value": [4.0, 5, 4, 4, 3, 2, 1, 2, 3, 2, 4, 3, 4, 4, 5]})
    >>> manager_isolation(answers)[["item", "role", "direction"]]
             item role direction
    0  相談できる相手がいる  管理職     lower
    """
    if threshold < 0:
        raise ValueError(f"threshold must be >= 0, got {threshold}")
    table = role_gaps(answers, min_group=min_group, confidence=confidence)
    return isolation_from_gaps(table, order_roles(answers["role"]), threshold)


def isolation_from_gaps(
    gaps: pd.DataFrame, roles: Sequence[str], threshold: float = ISOLATION_THRESHOLD
) -> pd.DataFrame:
    """:func:`manager_isolation` from a :func:`role_gaps` table already computed, and the roles present."""
    managers = [r for r in roles if role_rank(r) == 1]
    records = []
    for manager in managers:
        others = [r for r in roles if r != manager]
        if len(others) < 2:
            continue
        for item, part in gaps.groupby("item", sort=False):
            effects, intervals = [], []
            for other in others:
                row = part[
                    ((part["a"] == manager) & (part["b"] == other))
                    | ((part["a"] == other) & (part["b"] == manager))
                ].iloc[0]
                sign = 1 if row["a"] == manager else -1
                effects.append(sign * row["effect_size"])
                low, high = sign * row["effect_low"], sign * row["effect_high"]
                intervals.append((min(low, high), max(low, high)))
            if any(math.isnan(g) for g in effects):
                continue
            same_sign = all(g > 0 for g in effects) or all(g < 0 for g in effects)
            if same_sign and all(abs(g) >= threshold for g in effects):
                closest = min(effects, key=abs)
                firm = all(low > 0 for low, _ in intervals) or all(
                    high < 0 for _, high in intervals
                )
                records.append(
                    {
                        "item": item,
                        "role": manager,
                        "direction": "higher" if closest > 0 else "lower",
                        "effect": GAP_EFFECT,
                        "min_effect": closest,
                        "compared_with": "・".join(others),
                        "threshold": float(threshold),
                        "firm": bool(firm),
                    }
                )
    columns = [
        "item", "role", "direction", "effect", "min_effect", "compared_with", "threshold", "firm",
    ]  # fmt: skip
    return pd.DataFrame.from_records(records, columns=columns)


def difference_from_overall(
    answers: pd.DataFrame,
    *,
    by: str = "role",
    min_group: int = MIN_GROUP_SCORES,
) -> pd.DataFrame:
    """Heatmap table: each group's mean minus the mean of all respondents, per item.

    The overall mean includes people whose group is unknown. The answers
    must come from one wave.

    Returns
    -------
    DataFrame
        ``by`` column, ``item``, ``n``, ``mean``, ``overall_n``,
        ``overall_mean``, ``diff`` (mean - overall_mean, as worded),
        ``suppressed`` (true if the group or the overall cell is hidden;
        then ``n`` is 0 and the numbers are NaN; ``overall_n`` is 0 when the
        overall is hidden), ``reason`` (the group's, else the overall's:
        :data:`analysis.privacy.OVERALL_HIDDEN`).

    Examples
    --------
    >>> answers = pd.DataFrame({
    ...     "row": range(10), "respondent": pd.NA, "role": ["経営層"] * 5 + ["一般社員"] * 5,
    ...     "wave": "研修前", "department": pd.NA, "item": "AIで仕事が楽になると思う",
    ...     "points": 5, "reverse": False, "value": [5.0, 5, 4, 4, 5, 2, 3, 2, 3, 4]})
    >>> difference_from_overall(answers)[["role", "mean", "overall_mean", "diff"]]
       role  mean  overall_mean  diff
    0   経営層   4.6           3.7   0.9
    1  一般社員   2.8           3.7  -0.9
    """
    cells = item_scores(answers, by=(by,), min_group=min_group)
    overall = item_scores(answers, by=(), min_group=min_group)
    overall = overall[["item", "n", "mean", "suppressed", REASON]].rename(
        columns={
            "n": "overall_n",
            "mean": "overall_mean",
            "suppressed": "overall_suppressed",
            REASON: "overall_reason",
        }
    )
    table = cells[[by, "item", "n", "mean", "suppressed", REASON]].merge(
        overall, on="item", how="left"
    )
    table["diff"] = table["mean"] - table["overall_mean"]
    overall_hidden = table["overall_suppressed"].fillna(True).astype(bool)
    table[REASON] = [
        reason if reason is not None else (overall_reason if hidden else None)
        for reason, overall_reason, hidden in zip(
            table[REASON], table["overall_reason"], overall_hidden, strict=True
        )
    ]
    table["suppressed"] = table["suppressed"] | overall_hidden
    table = suppress_small(
        table.drop(columns=["overall_suppressed", "overall_reason"]),
        min_group=min_group,
        value_cols=["mean", "overall_mean", "diff"],
    )
    table = hide_counts(table, n_cols=("n",))
    table["overall_n"] = table["overall_n"].where(~overall_hidden, 0)
    columns = [by, "item", "n", "mean", "overall_n", "overall_mean", "diff", "suppressed", REASON]
    table["overall_n"] = table["overall_n"].fillna(0).astype(int)
    table[REASON] = _texts(table[REASON])
    return table[columns]


# --------------------------------------------------------------------------- JSON payload


def _json_float(value: Any) -> float | None:
    """A plain float for json.dumps; NaN, None and NA become None."""
    if _is_missing(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def gaps_payload(answers: pd.DataFrame, *, min_group: int = MIN_GROUP_SCORES) -> dict:
    """Role gaps of one wave's answers as plain JSON-ready data for the CLI.

    ``answers`` hold one wave (chosen with :func:`analysis.pipeline.wave_answers`,
    as every output chooses it); several raise :class:`~analysis.errors.SurveyError`.

    Returns
    -------
    dict
        ``{"items": [{"item", "role", "n", "mean", "score100", "favourable",
        "midpoint", "suppressed"}], "pairs": [{"item", "a", "b", "diff",
        "effect_size", "effect_ci", "p_adj"}], "isolation": [item, ...]}``.
        ``effect_size`` is Hedges' g (a - b) and ``p_adj`` is Holm-adjusted
        (see :func:`role_gaps`). Every item and pair also has ``"reason"``:
        why it shows no number (``None`` when shown). Numbers are plain floats, missing ones
        ``None``. A suppressed cell reports ``n = 0`` and ``None`` for every
        number, so neither the hidden group's size nor its scores leave the
        core.

    Examples
    --------
    >>> answers = pd.DataFrame({
    ...     "row": range(8), "respondent": pd.NA, "role": ["経営層"] * 3 + ["一般社員"] * 5,
    ...     "wave": "研修前", "department": pd.NA, "item": "AIで仕事が楽になると思う",
    ...     "points": 5, "reverse": False, "value": [5.0, 5, 4, 2, 3, 2, 3, 4]})
    >>> gaps_payload(answers)["items"][0]
    {'item': 'AIで仕事が楽になると思う', 'role': '経営層', 'n': 0, 'mean': None, 'score100': None, 'favourable': None, 'midpoint': None, 'suppressed': True, 'reason': '経営層は5人未満のため表示していません'}
    """
    check_answers(answers)
    _require_single_wave(answers)
    scores = item_scores(answers, by=("role",), min_group=min_group)
    gaps = role_gaps(answers, min_group=min_group)
    isolation = isolation_from_gaps(gaps, order_roles(answers["role"]), ISOLATION_THRESHOLD)
    items = [
        {
            "item": str(r.item),
            "role": str(r.role),
            "n": 0 if r.suppressed else int(r.n),
            "mean": None if r.suppressed else _json_float(r.mean),
            "score100": None if r.suppressed else _json_float(r.score100),
            "favourable": None if r.suppressed else _json_float(r.favourable),
            "midpoint": None if r.suppressed else _json_float(r.midpoint),
            "suppressed": bool(r.suppressed),
            "reason": r.reason,
        }
        for r in scores.itertuples(index=False)
    ]
    pairs = []
    for r in gaps.itertuples(index=False):
        low, high = _json_float(r.effect_low), _json_float(r.effect_high)
        pairs.append(
            {
                "item": str(r.item),
                "a": str(r.a),
                "b": str(r.b),
                "diff": None if r.suppressed else _json_float(r.diff),
                "effect_size": None if r.suppressed else _json_float(r.effect_size),
                "effect_ci": None if r.suppressed or low is None or high is None else [low, high],
                "p_adj": None if r.suppressed else _json_float(r.p_adj),
                "reason": r.reason if r.suppressed else None,
            }
        )
    return {
        "items": items,
        "pairs": pairs,
        "isolation": list(dict.fromkeys(str(i) for i in isolation["item"])),
        "isolation_firm": {str(r.item): bool(r.firm) for r in isolation.itertuples(index=False)},
        "isolation_rule": ISOLATION_RULE,
    }
