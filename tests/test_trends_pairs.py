"""analysis.trends: pairing people across waves, checked against scipy on built answers.

``wave_changes`` links people on integer codes (no per-answer Python loop). These
cases pin what the linking must keep: the latest answer counts, people missing
from a wave drop out of that pair only, pairs stay within a role, groups under
the threshold show nothing, and a survey without IDs is compared unpaired.
Values are 5件法 scores as worded (とてもそう思う = 5).

Cases where the pairs leave 1-4 answers of a cell out are exactly what the
differencing control refuses at the default threshold (the cell minus the
pairs gives those answers away): they pin the linking with ``min_group=1``
(``OFF``) and check the refusal at the default next to it.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import gaps, privacy, trends
from analysis.schema import load_survey

ROOT = Path(__file__).resolve().parents[1]
EASIER = "AIで仕事が楽になると思う"
ALONE = "一人で抱え込まなくてよくなった"
OFF = 1  # min_group that shows every group: the linking alone, no threshold in the way


def assert_refused(row: pd.Series) -> None:
    """The paired change is not published; the whole cells are compared unpaired instead."""
    assert row["method"] == "unpaired" and row["n_pairs"] == 0, row
    assert "差し引きで分かる" in row["note"]


def _generator():
    """``sample_data/generate.py`` loaded by path (a script, not a package module)."""
    spec = importlib.util.spec_from_file_location(
        "kakehashi_sample_generate", ROOT / "sample_data" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def sheets(rows: list[tuple]) -> pd.DataFrame:
    """Long answers from ``(row, respondent, role, wave, item, value)`` tuples."""
    frame = pd.DataFrame(rows, columns=["row", "respondent", "role", "wave", "item", "value"])
    frame = frame.assign(department=pd.NA, points=5, reverse=False)
    return frame.astype({"value": float})[list(gaps.ANSWER_COLUMNS)]


def two_waves(before: dict[str, float], after: dict[str, float], *, role: str = "一般社員"):
    """One sheet per person and wave: 研修前 rows 0.., 研修後 rows 100.."""
    rows = [(i, p, role, "研修前", EASIER, v) for i, (p, v) in enumerate(before.items())]
    rows += [(100 + i, p, role, "研修後", EASIER, v) for i, (p, v) in enumerate(after.items())]
    return rows


def only(table: pd.DataFrame, **where: str) -> pd.Series:
    mask = np.ones(len(table), bool)
    for column, value in where.items():
        mask &= (table[column] == value).to_numpy()
    assert mask.sum() == 1, table[list(where)]
    return table[mask].iloc[0]


def assert_paired(row: pd.Series, after: list[float], before: list[float]) -> None:
    """Every number of a paired row against scipy (or numpy by hand)."""
    x, y = np.array(after, float), np.array(before, float)
    change = x - y
    test = stats.ttest_rel(x, y)
    ci = test.confidence_interval()
    assert row["method"] == "paired" and not row["suppressed"]
    assert row["n_pairs"] == len(x)
    assert row["diff"] == pytest.approx(change.mean())
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((ci.low, ci.high), nan_ok=True)
    assert row["p_t"] == pytest.approx(test.pvalue, nan_ok=True)
    if change.std() > 0:
        assert row["effect_size"] == pytest.approx(change.mean() / change.std(ddof=1))
        assert row["p_rank"] == pytest.approx(stats.wilcoxon(x, y).pvalue)
    else:  # everyone changed alike: no standardised effect, no t test
        assert math.isnan(row["effect_size"]) and math.isnan(row["p_t"])


# ------------------------------------------------------------------ latest answer counts


def test_a_person_answering_a_wave_twice_counts_with_the_later_row() -> None:
    before = {f"p{i}": v for i, v in enumerate([2, 3, 2, 2, 3, 1])}
    after = {f"p{i}": v for i, v in enumerate([4, 4, 3, 3, 4, 3])}
    rows = two_waves(before, after)
    # p0 answered 研修後 again (row 200, value 1); it stands first in the table, the
    # earlier sheet (row 100, value 4) after it: the row number decides, not the position
    rows.insert(0, (200, "p0", "一般社員", "研修後", EASIER, 1))
    # p1 answered 研修前 again but left the item blank: the last *answer* (row 1) counts
    rows.append((201, "p1", "一般社員", "研修前", EASIER, None))
    table = trends.wave_changes(sheets(rows), min_group=OFF)
    assert_paired(only(table), [1, 4, 3, 3, 4, 3], [2, 3, 2, 2, 3, 1])
    # the 研修後 cell counts p0's two sheets, the pairs one: the cell gives the other away
    assert_refused(only(trends.wave_changes(sheets(rows))))


def test_pairs_come_from_the_latest_answer_in_each_wave_of_a_generated_survey() -> None:
    answers = _generated_answers(120).assign(department=pd.NA)  # no department totals
    again = answers[answers["row"] % 7 == 0].copy()
    again["row"] += answers["row"].max() + 1  # the same people answer a second time
    again["value"] = 6 - again["value"]
    answers = pd.concat([again, answers], ignore_index=True)
    table = trends.wave_changes(answers, min_group=OFF)
    expected = _pairs_by_merge(answers)
    shown = table[~table["suppressed"]]
    assert len(shown) == len(table) == 90  # 3 roles x 10 items x 3 wave pairs
    for row in shown.itertuples(index=False):
        pair = expected[(row.role, row.item, row.from_wave, row.to_wave)]
        assert_paired(pd.Series(row._asdict()), pair["value_to"], pair["value_from"])


# ------------------------------------------------------------------ missing waves, roles


def test_people_missing_from_a_wave_leave_only_that_pair() -> None:
    waves = ["研修前", "研修後", "3か月後"]
    values = {
        "研修前": [2, 3, 2, 2, 3, 1, 2],
        "研修後": [4, 4, 3, 3, 4, 3, 3],
        "3か月後": [3, 4, 3, 3, 5, 2, 4],
    }
    rows = [
        (100 * k + i, f"p{i}", "一般社員", wave, EASIER, v)
        for k, wave in enumerate(waves)
        for i, v in enumerate(values[wave])
        if not (wave == "研修後" and i == 6)  # p6 skipped the post-training survey
    ]
    table = trends.wave_changes(sheets(rows), min_group=OFF)
    first = only(table, from_wave="研修前", to_wave="研修後")
    assert_paired(first, values["研修後"][:6], values["研修前"][:6])
    assert first["n_from"] == 7 and first["n_to"] == 6
    assert_paired(
        only(table, from_wave="研修前", to_wave="3か月後"), values["3か月後"], values["研修前"]
    )
    shown = trends.wave_changes(sheets(rows))  # p6 is the difference of 研修前 and its pairs
    assert_refused(only(shown, from_wave="研修前", to_wave="研修後"))


def test_an_item_missing_from_a_wave_is_suppressed_with_zero_counts() -> None:
    before = {f"p{i}": v for i, v in enumerate([2, 3, 2, 2, 3, 1])}
    after = {f"p{i}": v for i, v in enumerate([4, 4, 3, 3, 4, 3])}
    rows = two_waves(before, after)
    rows += [(i, p, "一般社員", "研修前", ALONE, v) for i, (p, v) in enumerate(before.items())]
    table = trends.wave_changes(sheets(rows))
    missing = only(table, item=ALONE)
    assert missing["suppressed"] and (missing["n_from"], missing["n_to"]) == (6, 0)
    assert missing["n_pairs"] == 0 and math.isnan(missing["diff"])
    assert_paired(only(table, item=EASIER), list(after.values()), list(before.values()))


def test_a_person_who_changed_role_is_not_paired_across_roles() -> None:
    before = {f"p{i}": v for i, v in enumerate([2, 3, 2, 2, 3, 1, 3])}
    after = {f"p{i}": v for i, v in enumerate([4, 4, 3, 3, 4, 3, 5])}
    rows = two_waves(before, after)
    # p6 was promoted: 管理職 after training, next to five managers answering both waves
    rows = [r if r[:2] != (106, "p6") else (106, "p6", "管理職", *r[3:]) for r in rows]
    managers = two_waves(
        {f"m{i}": 3 for i in range(5)},
        {f"m{i}": v for i, v in enumerate([3, 4, 4, 5, 3])},
        role="管理職",
    )
    rows += [(row + 50, *rest) for row, *rest in managers]
    table = trends.wave_changes(sheets(rows), min_group=OFF)
    assert_paired(only(table, role="一般社員"), [4, 4, 3, 3, 4, 3], [2, 3, 2, 2, 3, 1])
    manager = only(table, role="管理職")
    assert_paired(manager, [3, 4, 4, 5, 3], [3] * 5)
    assert (manager["n_from"], manager["n_to"]) == (5, 6)


def test_answers_without_an_id_do_not_join_the_pairs() -> None:
    before = {f"p{i}": v for i, v in enumerate([2, 3, 2, 2, 3, 1])}
    after = {f"p{i}": v for i, v in enumerate([4, 4, 3, 3, 4, 3])}
    rows = two_waves(before, after)
    rows += [(300 + i, pd.NA, "一般社員", "研修後", EASIER, 5) for i in range(3)]
    row = only(trends.wave_changes(sheets(rows), min_group=OFF))
    assert_paired(row, list(after.values()), list(before.values()))
    assert (row["n_from"], row["n_to"]) == (6, 9)  # the cells count every answer
    assert_refused(only(trends.wave_changes(sheets(rows))))  # 9 - 6 = 3 unlinked answers


# ------------------------------------------------------------------ thresholds


@pytest.mark.parametrize(("people", "shown"), [(4, False), (5, False), (8, True)])
def test_pairs_under_the_threshold_are_suppressed(people: int, shown: bool) -> None:
    before = {f"p{i}": v for i, v in enumerate([2, 3, 2, 2, 3, 1, 2, 3])}
    after = {f"p{i}": v for i, v in enumerate([4, 4, 3, 3, 4, 3, 3, 5])}
    # everybody answers both waves, but only `people` of them give the same ID twice
    after = {(p if i < people else f"{p}-new"): v for i, (p, v) in enumerate(after.items())}
    row = only(trends.wave_changes(sheets(two_waves(before, after)), min_group=5))
    assert (row["n_from"], row["n_to"]) == (8, 8)
    if shown:
        assert_paired(row, list(after.values())[:people], list(before.values())[:people])
    elif people < 5:
        assert row["suppressed"] and row["n_pairs"] == 0
        assert row[["diff", "effect_size", "p_rank", "p_t", "p_adj"]].isna().all()
    else:  # 5 pairs in cells of 8: the 3 others would follow by subtraction
        assert_refused(row)


@pytest.mark.parametrize("min_group", [5, 6, 12])
def test_a_change_shows_only_when_both_cells_show(min_group: int) -> None:
    answers = _generated_answers(60)  # 5 経営層 a wave, in six departments
    cells = trends.wave_scores(answers, min_group=min_group)
    changes = trends.wave_changes(answers, min_group=min_group)
    hidden = {(r.role, r.wave, r.item) for r in cells.itertuples(index=False) if r.suppressed}
    assert hidden, "the case should hide some cells"
    for row in changes.itertuples(index=False):
        hidden_from = (row.role, row.from_wave, row.item) in hidden
        hidden_to = (row.role, row.to_wave, row.item) in hidden
        if hidden_from or hidden_to:
            assert row.suppressed and row.n_pairs == 0 and math.isnan(row.diff)
            assert (row.n_from == 0) == hidden_from and (row.n_to == 0) == hidden_to
        elif row.method == "paired" and not row.suppressed:
            assert row.n_pairs >= min_group
            # differencing control: the pairs leave nobody or at least min_group of each cell
            assert privacy.safe_subset(row.n_from, row.n_pairs, min_group)
            assert privacy.safe_subset(row.n_to, row.n_pairs, min_group)
        else:
            assert row.suppressed or "差し引き" in row.note


# ------------------------------------------------------------------ unpaired


def test_an_unlinked_generated_survey_is_compared_unpaired_row_by_row() -> None:
    answers = _generated_answers(90).assign(respondent=pd.NA, department=pd.NA)
    table = trends.wave_changes(answers)
    assert (table["method"] == "unpaired").all() and (table["n_pairs"] == 0).all()
    answered = answers[answers["value"].notna()]
    for row in table.itertuples(index=False):
        part = answered[(answered["role"] == row.role) & (answered["item"] == row.item)]
        x = part.loc[part["wave"] == row.to_wave, "value"].to_numpy()
        y = part.loc[part["wave"] == row.from_wave, "value"].to_numpy()
        u = stats.mannwhitneyu(x, y)
        assert (row.n_from, row.n_to) == (len(y), len(x))
        assert row.effect_size == pytest.approx(2 * u.statistic / (len(x) * len(y)) - 1)
        assert row.p_rank == pytest.approx(u.pvalue)
        assert row.p_t == pytest.approx(stats.ttest_ind(x, y, equal_var=False).pvalue)
        assert row.diff == pytest.approx(x.mean() - y.mean())


# ------------------------------------------------------------------ the bundled sample


def test_the_sample_survey_pairs_match_a_merge_and_scipy() -> None:
    survey = load_survey(ROOT / "sample_data" / "ai_survey_google_forms.csv")
    answers = survey.answers()
    table = trends.wave_changes(answers, waves=survey.waves, min_group=OFF)
    expected = _pairs_by_merge(answers)
    assert (table["method"] == "paired").all() and not table["suppressed"].any()
    for row in table.itertuples(index=False):
        pair = expected[(row.role, row.item, row.from_wave, row.to_wave)]
        assert_paired(pd.Series(row._asdict()), pair["value_to"], pair["value_from"])
    assert table["p_adj"].to_numpy() == pytest.approx(_holm(table["p_rank"].to_numpy()))


def test_wave_labels_are_chosen_as_text() -> None:
    answers = _generated_answers(60).astype({"wave": object})
    numbers = {"研修前": 1, "研修後": 2, "3か月後": 3.0}
    answers["wave"] = pd.Series([numbers[w] for w in answers["wave"]], dtype=object)
    table = trends.wave_scores(answers, waves=["1", "3.0"])
    assert set(table["wave"]) == {"1", "3.0"}  # labels come back as text, as waves name them
    assert len(table) == 2 * 3 * 10


# ------------------------------------------------------------------ helpers


def _generated_answers(respondents: int) -> pd.DataFrame:
    frame = _generator().generate_survey(respondents, seed=respondents)
    return load_survey(frame.to_csv(index=False).encode(), name="generated.csv").answers()


def _pairs_by_merge(answers: pd.DataFrame) -> dict[tuple, pd.DataFrame]:
    """The pairs by plain pandas: each person's latest answered row per wave, merged."""
    answered = answers[answers["value"].notna() & answers["respondent"].notna()]
    latest = answered.sort_values("row").groupby(["role", "item", "wave", "respondent"]).tail(1)
    waves = trends.order_waves(answers["wave"])
    pairs = {}
    for first, second in trends.wave_pairs(waves):
        merged = latest[latest["wave"] == first].merge(
            latest[latest["wave"] == second],
            on=["role", "item", "respondent"],
            suffixes=("_from", "_to"),
        )
        for (role, item), part in merged.groupby(["role", "item"]):
            pairs[(role, item, first, second)] = part
    return pairs


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm by hand: sorted ascending, (m - i) p_(i), running maximum, capped at 1."""
    order = np.argsort(p)
    scaled = np.maximum.accumulate((len(p) - np.arange(len(p))) * p[order])
    out = np.empty_like(p)
    out[order] = np.minimum(scaled, 1)
    return out
