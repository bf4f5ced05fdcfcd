"""Anonymity guards: thresholds, complementary suppression and attacks that must fail.

The attacks play an HR analyst who sees every table the app can show (overall,
by role, by department, role x department, gaps, heatmap, wave tables) and
tries to recover a group of 3 by subtraction. The attacker solves the linear
system "visible totals = sums of cells" and asks whether the hidden group's
total is pinned down (it is exactly when the group's indicator vector is
orthogonal to the null space of the system).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.linalg import null_space

from analysis import gaps, pipeline, privacy, trends
from analysis.errors import SurveyError
from analysis.privacy import ALL

ITEM = "AIで仕事が楽になると思う"


def make_answers(
    cells: Mapping[tuple, Sequence[float]],
    *,
    item: str = ITEM,
    wave: str | None = "研修前",
    points: int = 5,
    reverse: bool = False,
    start: int = 0,
) -> pd.DataFrame:
    """Long-form answers from {(role, department): values}; None is a missing label."""
    rows = []
    number = start
    for (role, department), values in cells.items():
        for value in values:
            rows.append(
                {
                    "row": number,
                    "respondent": pd.NA,
                    "role": pd.NA if role is None else role,
                    "wave": pd.NA if wave is None else wave,
                    "department": pd.NA if department is None else department,
                    "item": item,
                    "points": points,
                    "reverse": reverse,
                    "value": float(value),
                }
            )
            number += 1
    return pd.DataFrame(rows, columns=gaps.ANSWER_COLUMNS)


# ------------------------------------------------------------------ basic guards


def test_is_visible_and_visible_groups() -> None:
    assert privacy.is_visible(5) and not privacy.is_visible(4)
    assert privacy.is_visible(3, min_group=3)
    counts = pd.Series({"経営層": 3, "管理職": 5, "一般社員": 40})
    assert privacy.visible_groups(counts) == ["管理職", "一般社員"]
    assert privacy.visible_groups({"営業": 9, "開発": 10}, min_group=10) == ["開発"]


@pytest.mark.parametrize("bad", [0, -1, 2.5, "5", True])
def test_check_min_group_rejects(bad: object) -> None:
    with pytest.raises(ValueError, match="min_group"):
        privacy.check_min_group(bad)  # type: ignore[arg-type]


def test_policy_numbers() -> None:
    assert privacy.MIN_GROUP_SCORES == 5
    assert privacy.MIN_GROUP_COMMENTS == 10


def test_suppress_small_blanks_values_keeps_input() -> None:
    table = pd.DataFrame(
        {
            "role": ["経営層", "管理職", "一般社員"],
            "n": [3, 12, 0],
            "mean": [4.2, 3.1, np.nan],
            "count": [2, 9, 0],
            "label": ["高い", "中", "—"],
        }
    )
    before = table.copy()
    out = privacy.suppress_small(table, value_cols=["mean", "count", "label"])
    pd.testing.assert_frame_equal(table, before)
    assert out["suppressed"].tolist() == [True, False, True]
    assert math.isnan(out.loc[0, "mean"]) and math.isnan(out.loc[0, "count"])
    assert out.loc[0, "label"] is None and out.loc[1, "label"] == "中"
    assert out.loc[1, "mean"] == 3.1 and out.loc[1, "count"] == 9
    assert out["n"].tolist() == [3, 12, 0]


def test_suppress_small_keeps_existing_flag_and_checks_columns() -> None:
    table = pd.DataFrame({"n": [50], "mean": [3.0], "suppressed": [True]})
    assert math.isnan(privacy.suppress_small(table, value_cols=["mean"]).loc[0, "mean"])
    with pytest.raises(ValueError, match="no column"):
        privacy.suppress_small(table, value_cols=["score"])


def test_hide_counts() -> None:
    table = pd.DataFrame({"n": [3, 12], "n_b": [7, 8], "suppressed": [True, False]})
    out = privacy.hide_counts(table, n_cols=["n", "n_b"])
    assert out["n"].tolist() == [0, 12] and out["n_b"].tolist() == [0, 8]


# ------------------------------------------------------------------ complementary suppression


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        # one small sibling: the next-smallest goes too
        ({"経営層": 3, "管理職": 8, "一般社員": 30}, {"経営層", "管理職"}),
        # two small siblings holding < 5 together: a third must go
        ({"経営層": 3, "管理職": 1, "一般社員": 30, "人事": 12}, {"経営層", "管理職", "人事"}),
        # two small siblings holding >= 5 together: enough
        ({"経営層": 3, "管理職": 4, "一般社員": 30}, {"経営層", "管理職"}),
        # nothing small: nothing hidden
        ({"経営層": 5, "管理職": 8, "一般社員": 30}, set()),
        # only one sibling besides the small one: all hidden
        ({"経営層": 3, "一般社員": 30}, {"経営層", "一般社員"}),
        # empty sibling hides nothing and is not used as the complement
        ({"経営層": 3, "管理職": 0, "一般社員": 9, "人事": 20}, {"経営層", "管理職", "一般社員"}),
    ],
)
def test_suppress_complementary_siblings(counts: dict[str, int], hidden: set[str]) -> None:
    table = pd.DataFrame({"role": list(counts), "n": list(counts.values())})
    table["mean"] = 3.0
    out = privacy.suppress_complementary(table, group_cols=["role"], value_cols=["mean"])
    expected = hidden | {r for r, n in counts.items() if n == 0}
    assert set(out.loc[out["suppressed"], "role"]) == expected
    assert out.loc[out["suppressed"], "mean"].isna().all()
    assert out.loc[~out["suppressed"], "mean"].notna().all()


def test_suppress_complementary_ties_are_broken_by_label_not_row_order() -> None:
    counts = {"経営層": 3, "営業部": 20, "開発部": 20}
    table = pd.DataFrame({"role": list(counts), "n": list(counts.values()), "mean": 3.0})
    first = privacy.suppress_complementary(table, group_cols=["role"], value_cols=["mean"])
    shuffled = privacy.suppress_complementary(
        table.iloc[::-1], group_cols=["role"], value_cols=["mean"]
    )
    hidden_first = set(first.loc[first["suppressed"], "role"])
    assert hidden_first == set(shuffled.loc[shuffled["suppressed"], "role"])
    assert len(hidden_first) == 2


def test_suppress_complementary_per_parent_and_without_total() -> None:
    table = pd.DataFrame(
        {
            "item": ["設問A"] * 3 + ["設問B"] * 3,
            "role": ["経営層", "管理職", "一般社員"] * 2,
            "n": [3, 8, 30, 6, 8, 30],
            "mean": [4.0, 3.0, 2.5, 4.0, 3.0, 2.5],
        }
    )
    out = privacy.suppress_complementary(table, group_cols=["item", "role"], value_cols=["mean"])
    assert out["suppressed"].tolist() == [True, True, False, False, False, False]
    alone = privacy.suppress_complementary(
        table, group_cols=["item", "role"], value_cols=["mean"], total_shown=False
    )
    assert alone["suppressed"].tolist() == [True, False, False, False, False, False]


def test_suppress_complementary_empty_table() -> None:
    table = pd.DataFrame({"role": [], "n": [], "mean": []})
    out = privacy.suppress_complementary(table, group_cols=["role"], value_cols=["mean"])
    assert out.empty and "suppressed" in out.columns


def test_disclosure_pattern_two_dims_every_line_has_zero_or_two_hidden() -> None:
    counts = {
        ("経営層", "営業"): 3, ("経営層", "開発"): 6, ("経営層", "総務"): 7,
        ("管理職", "営業"): 8, ("管理職", "開発"): 9, ("管理職", "総務"): 6,
        ("一般社員", "営業"): 30, ("一般社員", "開発"): 25, ("一般社員", "総務"): 12,
    }  # fmt: skip
    table = pd.DataFrame([{"role": r, "department": d, "n": n} for (r, d), n in counts.items()])
    pattern = privacy.disclosure_pattern(table, dims=["role", "department"])
    hidden = set(
        zip(*(pattern.loc[pattern["suppressed"], c] for c in ("role", "department")), strict=True)
    )
    assert ("経営層", "営業") in hidden
    # every line (a margin and the cells it sums) has zero or at least two hidden members
    for role in ("経営層", "管理職", "一般社員"):
        line = {(role, d) for d in ("営業", "開発", "総務", ALL)}
        assert len(line & hidden) != 1, role
    for department in ("営業", "開発", "総務"):
        line = {(r, department) for r in ("経営層", "管理職", "一般社員", ALL)}
        assert len(line & hidden) != 1, department
    # by cost: the department totals go, the role totals (what the gaps page compares) stay
    assert (ALL, "営業") in hidden
    assert not {(r, ALL) for r in ("経営層", "管理職", "一般社員")} & hidden
    grand = pattern[(pattern["role"] == ALL) & (pattern["department"] == ALL)]
    assert grand["n"].item() == sum(counts.values())


def test_disclosure_pattern_rejects_duplicate_cells() -> None:
    table = pd.DataFrame({"role": ["経営層", "経営層"], "n": [3, 4]})
    with pytest.raises(ValueError, match="duplicate"):
        privacy.disclosure_pattern(table, dims=["role"])


# ------------------------------------------------------------------ the attacker


def _visible_sums(answers: pd.DataFrame, min_group: int) -> dict[tuple, tuple[int, float]]:
    """Everything the app shows for one wave and item, as node -> (n, sum of answers)."""
    shown: dict[tuple, tuple[int, float]] = {}
    for by in [(), ("role",), ("department",), ("role", "department")]:
        table = gaps.item_scores(answers, by=by, min_group=min_group)
        for row in table.itertuples(index=False):
            if row.suppressed:
                assert row.n == 0 and math.isnan(row.mean)
                continue
            node = (
                getattr(row, "role") if "role" in by else ALL,  # noqa: B009
                getattr(row, "department") if "department" in by else ALL,  # noqa: B009
            )
            shown[node] = (int(row.n), float(row.mean) * int(row.n))
    heat = gaps.difference_from_overall(answers, min_group=min_group)
    for row in heat.itertuples(index=False):
        if not row.suppressed:
            assert shown[(row.role, ALL)][0] == row.n
            assert shown[(ALL, ALL)][1] == pytest.approx(row.overall_mean * row.overall_n)
    return shown


def _cells(answers: pd.DataFrame) -> dict[tuple, np.ndarray]:
    out = {}
    answered = answers[answers["value"].notna()]
    for (role, department), part in answered.groupby(["role", "department"], dropna=False):
        key = (
            None if pd.isna(role) else role,
            None if pd.isna(department) else department,
        )
        out[key] = part["value"].to_numpy(float)
    return out


def _recoverable(
    cells: Mapping[tuple, np.ndarray], shown: Mapping[tuple, tuple[int, float]], target: tuple
) -> float | None:
    """The attacker: the target node's sum if the shown totals pin it down, else None."""

    def inside(node: tuple, cell: tuple) -> bool:
        return all(n is ALL or n == c for n, c in zip(node, cell, strict=True))

    unknown = [c for c in cells if c not in shown]
    if not any(inside(target, c) for c in unknown):
        return float(shown[target][1]) if target in shown else None
    rows, rhs = [], []
    for node, (_, total) in shown.items():
        row = [1.0 if inside(node, c) else 0.0 for c in unknown]
        if any(row):
            known = sum(shown[c][1] for c in cells if c in shown and inside(node, c))
            rows.append(row)
            rhs.append(total - known)
    goal = np.array([1.0 if inside(target, c) else 0.0 for c in unknown])
    if not rows:
        return None
    matrix = np.array(rows)
    free = null_space(matrix)
    if free.size and np.abs(goal @ free).max() > 1e-9:
        return None
    solution = np.linalg.lstsq(matrix, np.array(rhs), rcond=None)[0]
    known = sum(shown[c][1] for c in cells if c in shown and inside(target, c))
    return float(goal @ solution + known)


def _naive_shown(answers: pd.DataFrame, min_group: int) -> dict[tuple, tuple[int, float]]:
    """What a dashboard with primary suppression only would show (the attack's sanity check)."""
    shown = {}
    cells = _cells(answers)
    for keep_role in (True, False):
        for keep_department in (True, False):
            totals: dict[tuple, list] = {}
            for (role, department), values in cells.items():
                node = (role if keep_role else ALL, department if keep_department else ALL)
                totals.setdefault(node, []).extend(values)
            for node, values in totals.items():
                if None in node:
                    continue
                if len(values) >= min_group:
                    shown[node] = (len(values), float(np.sum(values)))
    return shown


ROLE_ONLY = {
    ("経営層", None): [5, 5, 4],
    ("管理職", None): [2, 3, 2, 4, 3, 2, 3, 3],
    ("一般社員", None): [3, 2, 4, 3, 3, 2, 4, 3, 2, 3, 3, 4],
}

ROLE_BY_DEPARTMENT = {
    ("経営層", "営業"): [5, 5, 4],
    ("経営層", "開発"): [4, 4, 5, 4, 3, 5],
    ("管理職", "営業"): [2, 3, 2, 4, 3, 2],
    ("管理職", "開発"): [3, 3, 2, 4, 3, 3, 2],
    ("一般社員", "営業"): [3, 2, 4, 3, 3, 2, 4, 3, 2, 3],
    ("一般社員", "開発"): [3, 4, 4, 3, 2, 4, 3, 3, 2],
    ("一般社員", "総務"): [2, 3, 3, 4, 2, 3],
}

SMALL_DEPARTMENT = {
    ("経営層", "営業"): [5, 4, 4, 5, 5],
    ("管理職", "営業"): [2, 3, 2, 4, 3, 2],
    ("一般社員", "営業"): [3, 2, 4, 3, 3, 2, 4],
    ("管理職", "法務"): [1, 1],  # 法務 has 3 people in all
    ("一般社員", "法務"): [5],
    ("一般社員", "開発"): [3, 4, 4, 3, 2, 4, 3, 3],
    ("管理職", "開発"): [3, 3, 2, 4, 3],
}


@pytest.mark.parametrize(
    ("cells", "target"),
    [
        (ROLE_ONLY, ("経営層", ALL)),  # by role: 3 executives
        (ROLE_BY_DEPARTMENT, ("経営層", "営業")),  # role x department: 3 sales executives
        (SMALL_DEPARTMENT, (ALL, "法務")),  # by department: legal has 3 people
        (SMALL_DEPARTMENT, ("管理職", "法務")),
    ],
)
def test_attack_on_group_of_three_fails(cells: dict, target: tuple) -> None:
    answers = make_answers(cells)
    truth = _cells(answers)
    # the attack works on a dashboard with primary suppression only ...
    naive = _naive_shown(answers, 5)
    recovered = _recoverable(truth, naive, target)
    true_sum = sum(
        v.sum()
        for c, v in truth.items()
        if all(t is ALL or t == x for t, x in zip(target, c, strict=True))
    )
    assert recovered == pytest.approx(true_sum)
    # ... and fails on what Kakehashi shows
    shown = _visible_sums(answers, 5)
    assert target not in shown
    assert _recoverable(truth, shown, target) is None


def test_attack_by_role_fails_with_unknown_roles_in_the_total() -> None:
    cells = dict(ROLE_ONLY)
    cells[(None, None)] = [1, 1]  # two people left the role blank: they count in the total
    cells[("経営層", None)] = [5, 5, 4, 4, 5, 4]  # executives now visible
    answers = make_answers(cells)
    shown = _visible_sums(answers, 5)
    assert _recoverable(_cells(answers), shown, (None, ALL)) is None


def test_swapping_hidden_answers_changes_nothing_visible() -> None:
    """Two surveys whose executives differ produce identical outputs: nothing to recover.

    The overall is hidden (not 管理職), so an executive's answer can change alone.
    """
    original = make_answers(ROLE_ONLY)
    swapped = original.copy()
    executive = swapped.index[(swapped["role"] == "経営層") & (swapped["value"] == 5)][0]
    swapped.loc[executive, "value"] = 2.0
    true_means = [a[a["role"] == "経営層"]["value"].mean() for a in (original, swapped)]
    assert true_means[0] != true_means[1]
    for build in (
        lambda a: gaps.item_scores(a),
        lambda a: gaps.item_scores(a, by=()),
        lambda a: gaps.role_gaps(a),
        lambda a: gaps.difference_from_overall(a),
        lambda a: gaps.manager_isolation(a),
    ):
        pd.testing.assert_frame_equal(build(original), build(swapped))
    assert gaps.gaps_payload(original) == gaps.gaps_payload(swapped)


# ------------------------------------------------------------------ wave filters


def _two_waves() -> pd.DataFrame:
    before = make_answers(ROLE_BY_DEPARTMENT, wave="研修前")
    after_cells = dict(ROLE_BY_DEPARTMENT)
    after_cells[("経営層", "営業")] = [5, 4, 4, 5, 4, 5]  # 6 executives in sales afterwards
    after = make_answers(after_cells, wave="研修後", start=len(before))
    return pd.concat([before, after], ignore_index=True)


def test_pooling_waves_is_refused() -> None:
    answers = _two_waves()
    for build in (
        gaps.item_scores,
        gaps.role_gaps,
        gaps.difference_from_overall,
        gaps.gaps_payload,
    ):
        with pytest.raises(SurveyError, match="回答時期"):
            build(answers)


def test_wave_filter_attack_fails() -> None:
    answers = _two_waves()
    first = answers[answers["wave"] == "研修前"]
    shown = _visible_sums(first, 5)
    assert _recoverable(_cells(first), shown, ("経営層", "営業")) is None
    # the wave table decides suppression exactly like the filtered gaps table
    cells = trends.wave_scores(answers)
    for wave in ("研修前", "研修後"):
        by_wave = cells[cells["wave"] == wave].drop(columns="wave").reset_index(drop=True)
        alone = gaps.item_scores(answers[answers["wave"] == wave])
        pd.testing.assert_frame_equal(by_wave[alone.columns], alone)
        payload = gaps.gaps_payload(pipeline.one_wave(answers, wave))
        assert [i["suppressed"] for i in payload["items"]] == alone["suppressed"].tolist()
    # a change from a hidden cell would give it back (mean_to - diff): it is null
    changes = trends.wave_changes(answers)
    hidden_roles = set(cells.loc[cells["suppressed"] & (cells["wave"] == "研修前"), "role"])
    rows = changes[changes["role"].isin(hidden_roles)]
    assert rows["suppressed"].all() and rows["diff"].isna().all()


# ------------------------------------------------------------------ property: no small group ever shows


ROLE_LABELS = ["経営層", "管理職", "一般社員", None]
DEPARTMENT_LABELS = ["営業", "開発", None]


@st.composite
def surveys(draw: st.DrawFn) -> tuple[pd.DataFrame, int]:
    min_group = draw(st.integers(min_value=2, max_value=6))
    waves = draw(st.sampled_from([["研修前"], ["研修前", "研修後"]]))
    frames = []
    start = 0
    for wave in waves:
        cells = {}
        for role in ROLE_LABELS:
            for department in DEPARTMENT_LABELS:
                size = draw(st.integers(min_value=0, max_value=9))
                values = draw(
                    st.lists(
                        st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, math.nan]),
                        min_size=size,
                        max_size=size,
                    )
                )
                if values:
                    cells[(role, department)] = values
        frame = make_answers(cells, wave=wave, start=start)
        frame["respondent"] = [f"p{i}" for i in range(len(frame))]
        frames.append(frame)
        start += len(frame)
    return pd.concat(frames, ignore_index=True), min_group


def _true_n(answers: pd.DataFrame, filters: dict) -> int:
    mask = answers["value"].notna()
    for column, value in filters.items():
        mask &= answers[column] == value
    return int(mask.sum())


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(ROLE_LABELS), st.sampled_from([*DEPARTMENT_LABELS, "総務"])),
        st.integers(min_value=1, max_value=12),
        min_size=1,
    ),
    st.integers(min_value=2, max_value=6),
)
def test_no_small_group_can_be_solved_for(counts: dict[tuple, int], min_group: int) -> None:
    table = pd.DataFrame([{"role": r, "department": d, "n": n} for (r, d), n in counts.items()])
    pattern = privacy.disclosure_pattern(table, dims=["role", "department"], min_group=min_group)
    rng = np.random.default_rng(0)
    truth = {cell: rng.uniform(1, 5, size=n) for cell, n in counts.items()}
    shown, nodes = {}, {}
    for row in pattern.itertuples(index=False):
        node = (row.role, row.department)
        inside = [
            v
            for c, v in truth.items()
            if all(a is ALL or a == b for a, b in zip(node, c, strict=True))
        ]
        nodes[node] = row.n
        assert row.n == sum(len(v) for v in inside)
        if row.n and row.n < min_group:
            assert row.suppressed
        if not row.suppressed and None not in node:
            shown[node] = (row.n, float(sum(v.sum() for v in inside)))
    for node, n in nodes.items():
        if 0 < n < min_group:
            assert _recoverable(truth, shown, node) is None


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(surveys())
def test_no_output_ever_shows_a_small_group(survey: tuple[pd.DataFrame, int]) -> None:
    answers, min_group = survey
    cells = trends.wave_scores(answers, min_group=min_group)
    numbers = ["mean", "mean_low", "mean_high", "score100", "favourable", "midpoint"]
    for row in cells.itertuples(index=False):
        true_n = _true_n(answers, {"wave": row.wave, "role": row.role, "item": row.item})
        if row.suppressed:
            assert row.n == 0 and all(pd.isna(getattr(row, c)) for c in numbers)
        else:
            assert row.n == true_n >= min_group
    for wave in cells["wave"].unique():
        one = answers[answers["wave"] == wave]
        truth = _cells(one)
        shown = _visible_sums(one, min_group)
        for by in [("role", "department"), ("department",)]:
            table = gaps.item_scores(one, by=by, min_group=min_group)
            for row in table.itertuples(index=False):
                if not row.suppressed:
                    assert _true_n(one, {c: getattr(row, c) for c in by}) >= min_group
        nodes: dict[tuple, int] = {}
        for (role, department), values in truth.items():
            for node in [(role, department), (role, ALL), (ALL, department), (ALL, ALL)]:
                nodes[node] = nodes.get(node, 0) + len(values)
        for node, n in nodes.items():
            if 0 < n < min_group:
                assert _recoverable(truth, shown, node) is None
        gap_table = gaps.role_gaps(one, min_group=min_group)
        values = ["effect_size", "diff", "mean_a", "mean_b", "p", "p_adj"]
        for row in gap_table.itertuples(index=False):
            if row.suppressed:
                assert row.n_a == row.n_b == 0
                assert all(pd.isna(getattr(row, c)) for c in values)
            else:
                assert _true_n(one, {"role": row.a, "item": row.item}) >= min_group
                assert _true_n(one, {"role": row.b, "item": row.item}) >= min_group
    changes = trends.wave_changes(answers, min_group=min_group)
    for row in changes.itertuples(index=False):
        if row.suppressed:
            assert pd.isna(row.diff) and pd.isna(row.effect_size) and row.n_pairs == 0
        elif row.method == "paired":
            assert row.n_pairs >= min_group


# ------------------------------------------------------------------ differencing (issue 16)


@pytest.mark.parametrize(
    ("n_whole", "n_part", "min_group", "safe"),
    [
        (6, 5, 5, False),  # six managers, five paired: the sixth follows by subtraction
        (6, 6, 5, True),  # the same people: nothing to subtract
        (10, 5, 5, True),  # five left over: a group as large as the threshold
        (9, 5, 5, False),  # four left over
        (12, 4, 5, False),  # the part itself is under the threshold
        (3, 0, 5, True),  # nothing is published for an empty part
        (3, 3, 5, True),  # the whole's own threshold is the caller's
        (20, 15, 5, True),
        (20, 16, 5, False),
        (6, 5, 1, True),  # threshold 1: everything may be shown
        (8, 5, 3, True),
    ],
)
def test_safe_subset(n_whole: int, n_part: int, min_group: int, safe: bool) -> None:
    assert privacy.safe_subset(n_whole, n_part, min_group) is safe


def test_safe_subset_refuses_impossible_parts_and_says_why() -> None:
    with pytest.raises(ValueError, match="part"):
        privacy.safe_subset(5, 6)
    assert privacy.subset_note(5) == (
        "対応のある比較は、片方の時期だけに答えた人が1〜4人のため表示していません"
        "（個人の回答が差し引きで分かるため）"
    )
    assert "1〜9人" in privacy.subset_note(10, finer=True)
