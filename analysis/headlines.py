"""Three to five short Japanese sentences a trainer can put on a slide.

Every sentence is generated from the numbers alone, carries its n and 95%
confidence interval, and never uses a suppressed group (it reads the same
privacy-guarded tables the pages show). Sentences, in this order when the data
allow them:

1. ``favourable`` - the statement managers (else any role) agree with most,
   in the latest wave: 「管理職の72%（95%CI 58–83%、n=54）が『…』に肯定的」.
2. ``gap`` - the largest difference in favourable share between two roles.
3. ``change`` - the largest change from the first to the second wave
   (paired d_z when respondent IDs link the waves, else Cliff's delta).
4. ``isolation`` - an item where managers stand apart from every other role
   (:func:`analysis.gaps.manager_isolation`).
5. ``retention`` - how much of the post-training gain is left at follow-up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis import gaps, pipeline, trends
from analysis.numbers import percent, points_apart
from analysis.privacy import MIN_GROUP_SCORES

__all__ = ["HEADLINE_COLUMNS", "headline_table", "headlines"]

HEADLINE_COLUMNS = [
    "kind", "text", "item", "role", "wave", "estimate", "low", "high", "n", "n_other",
]  # fmt: skip


def _pct(share: float) -> str:
    return str(percent(share))


def _agree_word(reverse: bool) -> str:
    return "に否定的（好ましい回答）" if reverse else "に肯定的"


def _share_word(reverse: bool) -> str:
    return "好ましい回答の割合" if reverse else "肯定率"


def _wave_prefix(wave: str | None) -> str:
    return f"{wave}：" if wave else ""


def _row(kind: str, text: str, **numbers: Any) -> dict[str, Any]:
    record = dict.fromkeys(HEADLINE_COLUMNS, math.nan)
    record.update(kind=kind, text=text, item=None, role=None, wave=None, n_other=math.nan)
    record.update(numbers)
    return record


def _favourable(scores: pd.DataFrame, wave: str | None) -> dict | None:
    visible = scores[~scores["suppressed"] & scores["favourable"].notna()]
    if visible.empty:
        return None
    managers = visible[visible["role"].map(gaps.role_rank) == 1]
    pool = managers if not managers.empty else visible
    best = pool.loc[pool["favourable"].idxmax()]
    text = (
        f"{_wave_prefix(wave)}{best['role']}の{_pct(best['favourable'])}%"
        f"（95%CI {_pct(best['favourable_low'])}–{_pct(best['favourable_high'])}%、"
        f"n={int(best['n'])}）が『{best['item']}』{_agree_word(bool(best['reverse']))}"
    )
    return _row(
        "favourable",
        text,
        item=best["item"],
        role=best["role"],
        wave=wave,
        estimate=float(best["favourable"]),
        low=float(best["favourable_low"]),
        high=float(best["favourable_high"]),
        n=int(best["n"]),
    )


def _gap(role_gaps: pd.DataFrame, scores: pd.DataFrame, wave: str | None) -> dict | None:
    visible = role_gaps[~role_gaps["suppressed"] & role_gaps["favourable_diff"].notna()]
    if visible.empty:
        return None
    best = visible.loc[visible["favourable_diff"].abs().idxmax()]
    sign = 1 if best["favourable_diff"] >= 0 else -1
    high_role, low_role = (best["a"], best["b"]) if sign > 0 else (best["b"], best["a"])
    n_high, n_low = (best["n_a"], best["n_b"]) if sign > 0 else (best["n_b"], best["n_a"])
    share = scores.set_index(["role", "item"])["favourable"]
    reverse = bool(scores.loc[scores["item"] == best["item"], "reverse"].iloc[0])
    diff = sign * best["favourable_diff"]
    low, high = sorted((sign * best["favourable_diff_low"], sign * best["favourable_diff_high"]))
    text = (
        f"{_wave_prefix(wave)}役割間の差が最も大きいのは『{best['item']}』の"
        f"{_share_word(reverse)}：{high_role} {_pct(share[(high_role, best['item'])])}%と"
        f"{low_role} {_pct(share[(low_role, best['item'])])}%で"
        f"{points_apart(share[(high_role, best['item'])], share[(low_role, best['item'])])}ポイント差"
        f"（95%CI {_pct(low)}〜{_pct(high)}ポイント、n={int(n_high)}/{int(n_low)}）"
    )
    return _row(
        "gap",
        text,
        item=best["item"],
        role=f"{high_role}・{low_role}",
        wave=wave,
        estimate=float(diff),
        low=float(low),
        high=float(high),
        n=int(n_high),
        n_other=int(n_low),
    )


def _change(changes: pd.DataFrame, first: str, second: str) -> dict | None:
    rows = changes[
        ~changes["suppressed"]
        & (changes["from_wave"] == first)
        & (changes["to_wave"] == second)
        & changes["effect_size"].notna()
        & changes["diff"].notna()
    ]
    if rows.empty:
        return None
    best = rows.loc[rows["effect_size"].abs().idxmax()]
    direction = "上昇" if best["diff"] > 0 else "低下" if best["diff"] < 0 else "変化なし"
    if best["method"] == "paired":
        effect = f"d_z={best['effect_size']:.2f}"
        count = f"n={int(best['n_pairs'])}組"
    else:
        effect = f"Cliff's δ={best['effect_size']:.2f}"
        count = f"n={int(best['n_from'])}→{int(best['n_to'])}"
    text = (
        f"{second}、{best['role']}の『{best['item']}』の平均は{abs(best['diff']):.1f}{direction}"
        f"（{first}比、95%CI {best['diff_low']:.1f}〜{best['diff_high']:.1f}、{effect}、{count}）"
    )
    n = int(best["n_pairs"]) if best["method"] == "paired" else int(best["n_from"])
    return _row(
        "change",
        text,
        item=best["item"],
        role=best["role"],
        wave=f"{first}→{second}",
        estimate=float(best["diff"]),
        low=float(best["diff_low"]),
        high=float(best["diff_high"]),
        n=n,
        n_other=math.nan if best["method"] == "paired" else int(best["n_to"]),
    )


def _isolation(isolation: pd.DataFrame, role_gaps: pd.DataFrame, wave: str | None) -> dict | None:
    if isolation.empty:
        return None
    best = isolation.loc[isolation["min_effect"].abs().idxmax()]
    manager, item = best["role"], best["item"]
    rows = role_gaps[
        (role_gaps["item"] == item) & ((role_gaps["a"] == manager) | (role_gaps["b"] == manager))
    ]
    closest = None
    for row in rows.itertuples(index=False):
        sign = 1 if row.a == manager else -1
        g, low, high = sign * row.effect_size, sign * row.effect_low, sign * row.effect_high
        if closest is None or abs(g) < abs(closest[0]):
            n_manager = row.n_a if sign > 0 else row.n_b
            closest = (g, min(low, high), max(low, high), int(n_manager))
    g, low, high, n_manager = closest  # type: ignore[misc]
    word = "高い" if best["direction"] == "higher" else "低い"
    if not best.get("firm", True):  # an interval crosses zero: a tendency, not a finding
        word += "傾向"
    text = (
        f"{_wave_prefix(wave)}『{item}』では{manager}だけが{best['compared_with']}より{word}"
        f"（差の小さい方でもg={g:.2f}、95%CI {low:.2f}〜{high:.2f}、{manager}のn={n_manager}）"
    )
    return _row(
        "isolation",
        text,
        item=item,
        role=manager,
        wave=wave,
        estimate=float(g),
        low=float(low),
        high=float(high),
        n=n_manager,
    )


def _retention(kept: pd.DataFrame, cells: pd.DataFrame) -> dict | None:
    rows = kept[~kept["suppressed"] & kept["retention"].notna()]
    if rows.empty:
        return None
    best = rows.loc[rows["gain"].abs().idxmax()]
    follow = cells[
        (cells["role"] == best["role"])
        & (cells["item"] == best["item"])
        & (cells["wave"] == best["follow_up"])
    ].iloc[0]
    text = (
        f"{best['follow_up']}も、{best['role']}の『{best['item']}』は{best['post']}の伸びの"
        f"{_pct(best['retention'])}%を維持（平均 {best['mean_baseline']:.1f}→"
        f"{best['mean_post']:.1f}→{best['mean_follow_up']:.1f}、{best['follow_up']}の95%CI "
        f"{follow['mean_low']:.1f}〜{follow['mean_high']:.1f}、n={int(follow['n'])}）"
    )
    return _row(
        "retention",
        text,
        item=best["item"],
        role=best["role"],
        wave=str(best["follow_up"]),
        estimate=float(best["retention"]),
        low=float(follow["mean_low"]),
        high=float(follow["mean_high"]),
        n=int(follow["n"]),
    )


def headline_table(
    answers: pd.DataFrame,
    *,
    waves: Sequence[str] | None = None,
    min_group: int = MIN_GROUP_SCORES,
    limit: int = 5,
    cells: pd.DataFrame | None = None,
    changes: pd.DataFrame | None = None,
    kept: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Slide-ready sentences with the numbers behind them.

    Parameters
    ----------
    answers
        Long-form answers (:data:`analysis.gaps.ANSWER_COLUMNS`).
    waves
        Waves in time order; default :func:`analysis.trends.order_waves`. The
        cross-sectional sentences use the last wave; the change sentence the
        first two; retention needs three.
    min_group
        Anonymity threshold; no sentence is built from a hidden group.
    limit
        At most this many sentences (1-5).
    cells, changes, kept
        The trends page's tables when it has them already: :func:`analysis.trends.wave_scores`,
        :func:`~analysis.trends.wave_changes` and :func:`~analysis.trends.retention` of the
        same ``answers``, ``waves`` and ``min_group`` (computed here when not given).

    Returns
    -------
    DataFrame
        ``kind`` (``favourable``, ``gap``, ``change``, ``isolation``,
        ``retention``), ``text``, ``item``, ``role``, ``wave``, ``estimate``,
        ``low``, ``high`` (the interval quoted in the text; for retention the
        follow-up mean's interval), ``n``, ``n_other`` (second group for gaps
        and unpaired change). Fewer rows when the data do not support a kind
        (e.g. one wave only, or everything suppressed).

    Examples
    --------
    >>> answers = pd.DataFrame({
    ...     "row": range(10), "respondent": pd.NA, "role": ["管理職"] * 10, "wave": "研修後",
    ...     "department": pd.NA, "item": "一人で抱え込まなくてよくなった", "points": 5,
    ...     "reverse": False, "value": [5.0, 4, 4, 4, 5, 3, 4, 2, 4, 5]})
    >>> headline_table(answers)["text"].tolist()
    ['研修後：管理職の80%（95%CI 49–94%、n=10）が『一人で抱え込まなくてよくなった』に肯定的']
    """
    if not 1 <= limit <= 5:
        raise ValueError(f"limit must be 1..5, got {limit}")
    gaps.check_answers(answers)
    order = list(waves) if waves is not None else trends.order_waves(answers["wave"])
    latest = order[-1] if order else None
    cross = pipeline.one_wave(answers, latest)
    records: list[dict] = []
    if not cross.empty:
        scores = gaps.item_scores(cross, min_group=min_group)
        role_gaps = gaps.role_gaps(cross, min_group=min_group)
        roles = gaps.order_roles(cross["role"])
        isolation = gaps.isolation_from_gaps(role_gaps, roles)
        records += [_favourable(scores, latest), _gap(role_gaps, scores, latest)]
        if len(order) >= 2:  # the tables the trends page shows, from the same public functions
            if cells is None:
                cells = trends.wave_scores(answers, waves=order, min_group=min_group)
            if changes is None:
                changes = trends.wave_changes(answers, waves=order, min_group=min_group)
            records.append(_change(changes, order[0], order[1]))
        records.append(_isolation(isolation, role_gaps, latest))
        if len(order) >= 3:
            if kept is None:
                kept = trends.retention(answers, waves=order, min_group=min_group)
            records.append(_retention(kept, cells))
    found = [r for r in records if r is not None][:limit]
    table = pd.DataFrame.from_records(found, columns=HEADLINE_COLUMNS)
    return table


def headlines(
    answers: pd.DataFrame,
    *,
    waves: Sequence[str] | None = None,
    min_group: int = MIN_GROUP_SCORES,
    limit: int = 5,
) -> list[str]:
    """The sentences of :func:`headline_table` alone.

    >>> answers = pd.DataFrame({
    ...     "row": range(4), "respondent": pd.NA, "role": ["経営層"] * 4, "wave": "研修後",
    ...     "department": pd.NA, "item": "AIを使う意向がある", "points": 5,
    ...     "reverse": False, "value": [5.0, 5, 4, 5]})
    >>> headlines(answers)  # 4 executives: below the threshold, nothing to say
    []
    """
    table = headline_table(answers, waves=waves, min_group=min_group, limit=limit)
    return table["text"].tolist()
