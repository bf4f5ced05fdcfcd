"""analysis.gaps on small Japanese surveys whose numbers can be checked by hand or scipy.

Scales: items are scored 1..points as worded (5件法: まったくそう思わない=1 ..
とてもそう思う=5); 「AIに仕事を奪われると不安だ」 is negatively worded (reverse).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import gaps, pipeline
from analysis import stats as ks
from analysis.errors import SurveyError

EASIER = "AIで仕事が楽になると思う"
FEAR = "AIに仕事を奪われると不安だ"
ALONE = "一人で抱え込まなくてよくなった"

# role -> item -> answers (NaN = no answer); 経営層 6, 管理職 8, 一般社員 10 people
VALUES = {
    "経営層": {
        EASIER: [5, 5, 4, 5, 4, 5],
        FEAR: [1, 2, 1, 2, 3, 1],
        ALONE: [3, 4, 3, 3, 4, 2],
    },
    "管理職": {
        EASIER: [3, 2, 3, 4, 2, 3, 3, np.nan],
        FEAR: [3, 4, 3, 2, 4, 3, 3, 4],
        ALONE: [1, 2, 1, 2, 2, 1, 3, 1],
    },
    "一般社員": {
        EASIER: [2, 3, 2, 1, 3, 2, 4, 2, 3, 2],
        FEAR: [4, 5, 4, 4, 3, 5, 4, 2, 4, 5],
        ALONE: [3, 3, 4, 2, 3, 3, 4, 3, 2, 3],
    },
}
POINTS = {EASIER: 5, FEAR: 5, ALONE: 4}
REVERSE = {EASIER: False, FEAR: True, ALONE: False}
DEPARTMENTS = ["営業", "開発"]


def survey(values: dict = VALUES, *, wave: str = "研修後") -> pd.DataFrame:
    rows = []
    person = 0
    for role, items in values.items():
        size = len(next(iter(items.values())))
        for i in range(size):
            for item, answers in items.items():
                rows.append(
                    {
                        "row": person,
                        "respondent": pd.NA,
                        "role": role,
                        "wave": wave,
                        "department": DEPARTMENTS[i % 2],
                        "item": item,
                        "points": POINTS[item],
                        "reverse": REVERSE[item],
                        "value": float(answers[i]),
                    }
                )
            person += 1
    return pd.DataFrame(rows, columns=gaps.ANSWER_COLUMNS)


def answered(role: str, item: str) -> np.ndarray:
    x = np.array(VALUES[role][item], dtype=float)
    return x[~np.isnan(x)]


# ------------------------------------------------------------------ roles and checks


@pytest.mark.parametrize(
    ("label", "rank"),
    [
        ("経営層", 0),
        ("役員", 0),
        ("管理職", 1),
        ("課長", 1),
        ("一般社員", 2),
        ("現場", 2),
        ("人事", 3),
    ],
)
def test_role_rank(label: str, rank: int) -> None:
    assert gaps.role_rank(label) == rank


def test_order_roles_canonical_then_first_seen() -> None:
    labels = ["人事", "一般社員", pd.NA, "管理職", "経営層", "派遣", "管理職"]
    assert gaps.order_roles(labels) == ["経営層", "管理職", "一般社員", "人事", "派遣"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("value", 6.0, "範囲外"),
        ("value", 0.0, "範囲外"),
        ("points", 3, "4〜7"),
        ("value", "とても", "数値でない"),
    ],
)
def test_check_answers_rejects_bad_data(column: str, value: object, message: str) -> None:
    answers = survey()
    answers[column] = answers[column].astype(object)
    answers.loc[0, column] = value
    with pytest.raises(SurveyError, match=message):
        gaps.check_answers(answers)


def test_check_answers_rejects_duplicates_and_mixed_scales() -> None:
    answers = survey()
    with pytest.raises(SurveyError, match="2回"):
        gaps.check_answers(pd.concat([answers, answers.iloc[[0]]]))
    mixed = answers.copy()
    mixed.loc[0, "points"] = 7
    with pytest.raises(SurveyError, match="尺度"):
        gaps.check_answers(mixed)
    with pytest.raises(ValueError, match="missing column"):
        gaps.check_answers(answers.drop(columns="reverse"))


# ------------------------------------------------------------------ item scores


@pytest.mark.parametrize("role", list(VALUES))
@pytest.mark.parametrize("item", [EASIER, FEAR, ALONE])
def test_item_scores_match_hand_and_scipy(role: str, item: str) -> None:
    table = gaps.item_scores(survey())
    row = table[(table["role"] == role) & (table["item"] == item)].iloc[0]
    x = answered(role, item)
    points = POINTS[item]
    assert row["n"] == x.size and not row["suppressed"]
    assert row["mean"] == pytest.approx(x.mean())
    ci = stats.ttest_1samp(x, 0).confidence_interval(0.95)
    low, high = max(ci.low, 1), min(ci.high, points)  # scipy's interval, kept on the scale
    assert (row["mean_low"], row["mean_high"]) == pytest.approx((low, high))
    assert row["score100"] == pytest.approx((x.mean() - 1) / (points - 1) * 100)
    assert row["score100_low"] == pytest.approx((low - 1) / (points - 1) * 100)
    favourable = (x <= 2) if REVERSE[item] else (x >= points - 1)
    assert row["favourable"] == pytest.approx(favourable.mean())
    wilson = stats.binomtest(int(favourable.sum()), x.size).proportion_ci(method="wilson")
    assert (row["favourable_low"], row["favourable_high"]) == pytest.approx(
        (wilson.low, wilson.high)
    )
    if points % 2:
        assert row["midpoint"] == pytest.approx((x == 3).mean())
        mid = stats.binomtest(int((x == 3).sum()), x.size).proportion_ci(method="wilson")
        assert row["midpoint_low"] == pytest.approx(mid.low)
    else:
        assert math.isnan(row["midpoint"]) and math.isnan(row["midpoint_low"])


def test_item_scores_worked_example() -> None:
    # 経営層 「AIに仕事を奪われると不安だ」 1,2,1,2,3,1: mean 10/6, favourable = answers <= 2 -> 5/6
    table = gaps.item_scores(survey())
    row = table[(table["role"] == "経営層") & (table["item"] == FEAR)].iloc[0]
    assert row["mean"] == pytest.approx(10 / 6)
    assert row["score100"] == pytest.approx((10 / 6 - 1) * 25)
    assert row["favourable"] == pytest.approx(5 / 6)
    assert row["midpoint"] == pytest.approx(1 / 6)


def test_item_scores_layout_and_no_mutation() -> None:
    answers = survey()
    before = answers.copy()
    table = gaps.item_scores(answers)
    pd.testing.assert_frame_equal(answers, before)
    assert list(table.columns[:5]) == ["role", "item", "points", "reverse", "n"]
    assert table["item"].tolist()[:3] == [EASIER] * 3
    assert table["role"].tolist()[:3] == ["経営層", "管理職", "一般社員"]
    assert table["suppressed"].dtype == bool


def test_item_scores_other_groupings() -> None:
    answers = survey()
    overall = gaps.item_scores(answers, by=())
    row = overall[overall["item"] == EASIER].iloc[0]
    everyone = np.concatenate([answered(r, EASIER) for r in VALUES])
    assert row["n"] == everyone.size and row["mean"] == pytest.approx(everyone.mean())
    by_department = gaps.item_scores(answers, by="department")
    sales = by_department[
        (by_department["department"] == "営業") & (by_department["item"] == ALONE)
    ]
    expected = np.concatenate([answered(r, ALONE)[::2] for r in VALUES])
    assert sales["mean"].item() == pytest.approx(expected.mean())
    cross = gaps.item_scores(answers, by=("role", "department"))
    assert set(cross.columns[:2]) == {"role", "department"}
    # 経営層 x 営業 has 3 answers: hidden, and so is its complement in every line
    hidden = cross[(cross["item"] == EASIER) & cross["suppressed"]]
    assert ("経営層", "営業") in set(zip(hidden["role"], hidden["department"], strict=True))
    assert (hidden["n"] == 0).all() and hidden["mean"].isna().all()


def test_small_group_is_suppressed_with_its_complement() -> None:
    """By cost the complement is the overall (a margin), not 管理職 (a role)."""
    small = {role: dict(items) for role, items in VALUES.items()}
    small["経営層"] = {item: answers[:3] for item, answers in VALUES["経営層"].items()}
    table = gaps.item_scores(survey(small))
    easier = table[table["item"] == EASIER].set_index("role")
    assert easier.loc["経営層", "suppressed"]
    assert not easier.loc["管理職", "suppressed"] and not easier.loc["一般社員", "suppressed"]
    overall = gaps.item_scores(survey(small), by=())
    assert overall.loc[overall["item"] == EASIER, "suppressed"].item()
    assert easier.loc["経営層", "n"] == 0 and math.isnan(easier.loc["経営層", "favourable"])


def test_min_group_is_a_parameter() -> None:
    table = gaps.item_scores(survey(), min_group=7)
    assert table.loc[table["role"] == "経営層", "suppressed"].all()
    with pytest.raises(ValueError, match="min_group"):
        gaps.item_scores(survey(), min_group=0)


def test_item_scores_several_waves() -> None:
    both = pd.concat(
        [survey(wave="研修前"), survey(wave="研修後").assign(row=lambda t: t["row"] + 100)]
    )
    with pytest.raises(SurveyError, match="回答時期"):
        gaps.item_scores(both)
    table = gaps.item_scores(both, by=("wave", "role"))
    assert set(table["wave"]) == {"研修前", "研修後"}
    unknown = both.copy()
    unknown.loc[unknown["row"] == 0, "wave"] = pd.NA  # counted in no wave's table
    assert set(gaps.item_scores(unknown, by=("wave", "role"))["wave"]) == {"研修前", "研修後"}
    with pytest.raises(ValueError, match="not in answers"):
        gaps.item_scores(both, by=("部署",))


# ------------------------------------------------------------------ role gaps


def test_role_gaps_pairs_in_canonical_order() -> None:
    table = gaps.role_gaps(survey())
    first = table[table["item"] == EASIER]
    assert list(zip(first["a"], first["b"], strict=True)) == [
        ("経営層", "管理職"),
        ("経営層", "一般社員"),
        ("管理職", "一般社員"),
    ]
    assert (table["effect"] == "hedges_g").all() and (table["correction"] == "holm").all()
    assert list(table.columns[:7]) == [
        "item", "a", "b", "effect", "effect_size", "effect_low", "effect_high",
    ]  # fmt: skip


@pytest.mark.parametrize("item", [EASIER, FEAR, ALONE])
def test_role_gaps_match_scipy(item: str) -> None:
    table = gaps.role_gaps(survey())
    for row in table[table["item"] == item].itertuples(index=False):
        x, y = answered(row.a, item), answered(row.b, item)
        assert row.diff == pytest.approx(x.mean() - y.mean())
        assert (row.mean_a, row.mean_b, row.n_a, row.n_b) == pytest.approx(
            (x.mean(), y.mean(), x.size, y.size)
        )
        g = ks.hedges_g(x, y)
        assert (row.effect_size, row.effect_low, row.effect_high) == pytest.approx(tuple(g))
        welch = stats.ttest_ind(x, y, equal_var=False)
        assert row.p == pytest.approx(welch.pvalue)
        ci = welch.confidence_interval()
        assert (row.diff_low, row.diff_high) == pytest.approx((ci.low, ci.high))
        top = POINTS[item] - 1

        def fav(v: np.ndarray, top: int = top) -> np.ndarray:
            return v <= 2 if REVERSE[item] else v >= top

        newcombe = ks.newcombe_difference(int(fav(x).sum()), x.size, int(fav(y).sum()), y.size)
        assert row.favourable_diff == pytest.approx(fav(x).mean() - fav(y).mean())
        assert row.favourable_diff_low == pytest.approx(newcombe.low)


def test_role_gaps_holm_and_bh_over_the_whole_table() -> None:
    table = gaps.role_gaps(survey())
    p = table["p"].to_numpy()
    m = p.size
    order = np.argsort(p)
    expected = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[index]))
        expected[index] = running
    assert table["p_adj"].to_numpy() == pytest.approx(expected)
    bh = gaps.role_gaps(survey(), correction="bh")
    assert bh["p_adj"].to_numpy() == pytest.approx(stats.false_discovery_control(p))
    assert (bh["correction"] == "bh").all()


def test_role_gaps_null_when_a_group_is_hidden() -> None:
    small = {role: dict(items) for role, items in VALUES.items()}
    small["経営層"] = {item: answers[:3] for item, answers in VALUES["経営層"].items()}
    table = gaps.role_gaps(survey(small))
    hidden = table[table["a"] == "経営層"]
    assert hidden["suppressed"].all()
    assert hidden[["effect_size", "diff", "p", "p_adj", "mean_a"]].isna().all().all()
    assert (hidden["n_a"] == 0).all() and (hidden["n_b"] == 0).all()
    assert (hidden["reason"] == "経営層は5人未満のため表示していません").all()
    shown = table[table["a"] == "管理職"]  # the complement is the overall, not 管理職
    assert not shown["suppressed"].any() and shown["effect_size"].notna().all()
    assert shown["reason"].isna().all()
    assert table["p_adj"].notna().sum() == len(shown)


# ------------------------------------------------------------------ isolation and heatmap


def isolated_values(manager_shift: float) -> dict:
    return {
        "経営層": {EASIER: [4, 4, 5, 3, 4, 4]},
        "管理職": {EASIER: [max(1, min(5, v + manager_shift)) for v in [4, 4, 5, 3, 4, 4]]},
        "一般社員": {EASIER: [4, 3, 5, 4, 4, 4, 3]},
    }


def test_isolation_threshold_is_a_named_constant() -> None:
    assert gaps.ISOLATION_THRESHOLD == 0.3


def test_manager_isolation_lists_items_where_managers_stand_apart() -> None:
    table = gaps.manager_isolation(survey(isolated_values(-2)))
    assert table["item"].tolist() == [EASIER]
    row = table.iloc[0]
    assert row["role"] == "管理職" and row["direction"] == "lower"
    gaps_table = gaps.role_gaps(survey(isolated_values(-2)))
    vs_exec = -gaps_table[(gaps_table["a"] == "経営層") & (gaps_table["b"] == "管理職")][
        "effect_size"
    ].item()
    vs_front = gaps_table[(gaps_table["a"] == "管理職") & (gaps_table["b"] == "一般社員")][
        "effect_size"
    ].item()
    assert row["min_effect"] == pytest.approx(max(vs_exec, vs_front))
    assert row["compared_with"] == "経営層・一般社員" and row["threshold"] == 0.3


def test_manager_isolation_needs_both_sides_beyond_threshold() -> None:
    assert gaps.manager_isolation(survey(isolated_values(0))).empty
    # managers far from executives but level with frontline: not isolation
    values = isolated_values(-2)
    values["一般社員"] = {EASIER: [2, 1, 3, 2, 2, 2, 1]}
    assert gaps.manager_isolation(survey(values)).empty
    assert gaps.manager_isolation(survey(isolated_values(-2)), threshold=50).empty
    with pytest.raises(ValueError, match="threshold"):
        gaps.manager_isolation(survey(), threshold=-1)


def test_manager_isolation_blocked_by_a_hidden_role() -> None:
    values = isolated_values(-2)
    values["経営層"] = {EASIER: [4, 4, 5]}
    assert gaps.manager_isolation(survey(values)).empty


def test_difference_from_overall_hand_computed() -> None:
    table = gaps.difference_from_overall(survey())
    everyone = np.concatenate([answered(r, ALONE) for r in VALUES])
    for row in table[table["item"] == ALONE].itertuples(index=False):
        assert row.overall_mean == pytest.approx(everyone.mean())
        assert row.overall_n == everyone.size
        assert row.diff == pytest.approx(answered(row.role, ALONE).mean() - everyone.mean())
    assert list(table.columns) == [
        "role", "item", "n", "mean", "overall_n", "overall_mean", "diff", "suppressed", "reason",
    ]  # fmt: skip


def test_difference_from_overall_by_department_and_hidden() -> None:
    table = gaps.difference_from_overall(survey(), by="department")
    assert set(table["department"]) == {"営業", "開発"}
    small = {role: dict(items) for role, items in VALUES.items()}
    small["経営層"] = {item: answers[:3] for item, answers in VALUES["経営層"].items()}
    hidden = gaps.difference_from_overall(survey(small))
    executives = hidden[hidden["role"] == "経営層"]
    assert executives["suppressed"].all() and executives["diff"].isna().all()


# ------------------------------------------------------------------ payload


def test_gaps_payload_shape_and_json() -> None:
    payload = gaps.gaps_payload(survey())
    assert set(payload) == {"items", "pairs", "isolation", "isolation_firm", "isolation_rule"}
    assert set(payload["items"][0]) == {
        "item", "role", "n", "mean", "score100", "favourable", "midpoint", "suppressed", "reason",
    }  # fmt: skip
    assert set(payload["pairs"][0]) == {
        "item",
        "a",
        "b",
        "diff",
        "effect_size",
        "effect_ci",
        "p_adj",
        "reason",
    }
    text = json.dumps(payload, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == payload
    first = payload["items"][0]
    assert type(first["mean"]) is float and type(first["n"]) is int
    alone = [i for i in payload["items"] if i["item"] == ALONE]
    assert all(i["midpoint"] is None for i in alone)  # 4-point scale: no middle answer
    pair = payload["pairs"][0]
    g = ks.hedges_g(answered(pair["a"], pair["item"]), answered(pair["b"], pair["item"]))
    assert pair["effect_size"] == pytest.approx(g.estimate)
    assert pair["effect_ci"] == pytest.approx([g.low, g.high])


def test_gaps_payload_wave_filter_and_suppression() -> None:
    small = {role: dict(items) for role, items in VALUES.items()}
    small["経営層"] = {item: answers[:3] for item, answers in VALUES["経営層"].items()}
    before = survey(small, wave="研修前")
    after = survey(wave="研修後").assign(row=lambda t: t["row"] + 100)
    both = pd.concat([before, after], ignore_index=True)
    payload = gaps.gaps_payload(pipeline.one_wave(both, "研修前"))
    executives = [i for i in payload["items"] if i["role"] == "経営層"]
    assert all(i["suppressed"] and i["n"] == 0 and i["mean"] is None for i in executives)
    assert all(p["effect_ci"] is None for p in payload["pairs"] if p["a"] == "経営層")
    later = gaps.gaps_payload(pipeline.one_wave(both, "研修後"))
    assert not any(i["suppressed"] for i in later["items"])
    with pytest.raises(SurveyError, match="複数の回答時期"):
        gaps.gaps_payload(both)


def test_gaps_payload_lists_isolated_items() -> None:
    assert gaps.gaps_payload(survey(isolated_values(-2)))["isolation"] == [EASIER]


@pytest.mark.parametrize(
    ("managers", "firm"),
    [
        ([2, 2, 3, 1, 2, 2], True),  # two boxes below both sides: every interval excludes 0
        ([3, 3, 4, 3, 3, 4], False),  # g -1.07 and -0.79, but intervals cross 0: only a 傾向
    ],
)
def test_isolation_is_firm_only_when_every_interval_excludes_zero(managers, firm) -> None:
    """Issue 15: 6 of 7 flags on real-format exports had an interval crossing zero."""
    values = isolated_values(0)
    values["管理職"] = {EASIER: managers}
    answers = survey(values)
    table = gaps.manager_isolation(answers)
    assert table["item"].tolist() == [EASIER]
    gap = gaps.role_gaps(answers)
    manager_rows = gap[(gap["a"] == "管理職") | (gap["b"] == "管理職")]
    crosses = ((manager_rows["effect_low"] < 0) & (manager_rows["effect_high"] > 0)).any()
    assert bool(table["firm"].iloc[0]) is firm is (not crosses)
    payload = gaps.gaps_payload(answers)
    assert payload["isolation_firm"] == {EASIER: firm}
    assert "傾向" in payload["isolation_rule"]


def test_mean_intervals_stay_on_the_scale() -> None:
    """Issue 15: a t interval of five answers near the top reached past 5."""
    values = {"経営層": {EASIER: [5, 5, 5, 4, 5]}, "一般社員": {EASIER: [1, 1, 2, 1, 1]}}
    scores = gaps.item_scores(survey(values), by=("role",))
    raw = {role: ks.mean_interval(v[EASIER]) for role, v in values.items()}
    assert raw["経営層"].high > 5 and raw["一般社員"].low < 1  # scipy's t interval leaves the scale
    top = scores.set_index("role").loc["経営層"]
    bottom = scores.set_index("role").loc["一般社員"]
    assert top["mean_high"] == 5.0 and top["mean_low"] == pytest.approx(raw["経営層"].low)
    assert bottom["mean_low"] == 1.0 and top["score100_high"] == 100.0


def test_the_largest_gap_is_kept_when_neither_group_varies() -> None:
    values = {"経営層": {EASIER: [5] * 6}, "一般社員": {EASIER: [2] * 6}}
    table = gaps.role_gaps(survey(values))
    assert table["effect_size"].isna().all()  # no spread: g is undefined
    from analysis.deck.content import largest_gaps

    assert largest_gaps(table)["item"].tolist() == [EASIER]
