"""analysis.stats against scipy, published reference values and hand computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis import stats as ks

# 5件法 answers of three small groups (経営層 / 管理職 / 一般社員)
EXECUTIVES = [5, 4, 5, 4, 5, 3]
MANAGERS = [3, 2, 3, 4, 2, 3, 3, 2]
FRONTLINE = [3, 2, 4, 3, 2, 3, 4]
BEFORE = [3, 3, 4, 3, 2, 4, 2, 3, 3, 2]
AFTER = [4, 4, 5, 3, 4, 5, 3, 3, 4, 4]


# ------------------------------------------------------------------ Wilson / Newcombe


@pytest.mark.parametrize(
    ("successes", "n"), [(0, 5), (1, 5), (3, 10), (7, 10), (10, 10), (54, 75), (1, 1)]
)
def test_wilson_matches_scipy(successes: int, n: int) -> None:
    expected = stats.binomtest(successes, n).proportion_ci(0.95, method="wilson")
    low, high = ks.wilson_interval(successes, n)
    assert low == pytest.approx(expected.low, abs=1e-12)
    assert high == pytest.approx(expected.high, abs=1e-12)


def test_wilson_other_level_and_empty() -> None:
    expected = stats.binomtest(4, 9).proportion_ci(0.9, method="wilson")
    assert ks.wilson_interval(4, 9, confidence=0.9) == pytest.approx((expected.low, expected.high))
    assert all(math.isnan(v) for v in ks.wilson_interval(0, 0))


@pytest.mark.parametrize(("successes", "n"), [(-1, 5), (6, 5)])
def test_wilson_rejects_impossible_counts(successes: int, n: int) -> None:
    with pytest.raises(ValueError, match="successes"):
        ks.wilson_interval(successes, n)


def test_newcombe_published_example() -> None:
    # Newcombe (1998) Stat Med 17:873, example (a): 56/70 - 48/80, method 10
    est, low, high = ks.newcombe_difference(56, 70, 48, 80)
    assert est == pytest.approx(0.2)
    assert low == pytest.approx(0.0524, abs=1e-4)
    assert high == pytest.approx(0.3339, abs=1e-4)


def test_newcombe_hand_from_wilson() -> None:
    l1, u1 = stats.binomtest(8, 10).proportion_ci(method="wilson")
    l2, u2 = stats.binomtest(12, 30).proportion_ci(method="wilson")
    est, low, high = ks.newcombe_difference(8, 10, 12, 30)
    assert low == pytest.approx(0.4 - math.hypot(0.8 - l1, u2 - 0.4))
    assert high == pytest.approx(0.4 + math.hypot(u1 - 0.8, 0.4 - l2))


# ------------------------------------------------------------------ means


@pytest.mark.parametrize("values", [EXECUTIVES, MANAGERS, [1, 5], [2, 3, 3, 4, 5, 5, 5]])
def test_mean_t_interval_matches_scipy(values: list[int]) -> None:
    ci = stats.ttest_1samp(values, 0).confidence_interval(0.95)
    est, low, high = ks.mean_interval(values)
    assert est == pytest.approx(np.mean(values))
    assert (low, high) == pytest.approx((ci.low, ci.high))


def test_mean_interval_edge_cases() -> None:
    assert all(math.isnan(v) for v in ks.mean_interval([]))
    est, low, high = ks.mean_interval([4.0, float("nan")])
    assert est == 4.0 and math.isnan(low) and math.isnan(high)
    assert ks.mean_interval([3, 3, 3]) == (3.0, 3.0, 3.0)
    with pytest.raises(ValueError, match="method"):
        ks.mean_interval([1, 2, 3], method="jackknife")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="confidence"):
        ks.mean_interval([1, 2, 3], confidence=95)


def test_bootstrap_is_scipy_bca_with_fixed_seed() -> None:
    est, low, high = ks.mean_interval(EXECUTIVES, method="bootstrap", seed=7, n_resamples=2000)
    expected = stats.bootstrap(
        (np.array(EXECUTIVES, dtype=float),),
        np.mean,
        n_resamples=2000,
        method="BCa",
        rng=np.random.default_rng(7),
    ).confidence_interval
    assert (low, high) == pytest.approx((expected.low, expected.high))
    again = ks.mean_interval(EXECUTIVES, method="bootstrap", seed=7, n_resamples=2000)
    assert again == (est, low, high)


# ------------------------------------------------------------------ Hedges' g, d_z


def _pooled_t(x: list[int], y: list[int]) -> float:
    return float(stats.ttest_ind(x, y, equal_var=True).statistic)


def test_hedges_g_hand_computation() -> None:
    x, y = np.array(EXECUTIVES, float), np.array(FRONTLINE, float)
    df = x.size + y.size - 2
    pooled = math.sqrt(((x.size - 1) * x.var(ddof=1) + (y.size - 1) * y.var(ddof=1)) / df)
    d = (x.mean() - y.mean()) / pooled
    j = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))
    g, _, _ = ks.hedges_g(x, y)
    assert g == pytest.approx(j * d)
    # the exact J is close to Hedges' approximation 1 - 3 / (4 df - 1)
    assert j == pytest.approx(1 - 3 / (4 * df - 1), abs=1e-3)
    # and d is the pooled t statistic scaled by sqrt(1/n1 + 1/n2)
    assert d == pytest.approx(_pooled_t(EXECUTIVES, FRONTLINE) * math.sqrt(1 / 6 + 1 / 7))


@pytest.mark.parametrize(
    ("x", "y"), [(EXECUTIVES, FRONTLINE), (MANAGERS, FRONTLINE), (FRONTLINE, EXECUTIVES)]
)
def test_hedges_g_interval_inverts_noncentral_t(x: list[int], y: list[int]) -> None:
    g, low, high = ks.hedges_g(x, y)
    n1, n2 = len(x), len(y)
    df = n1 + n2 - 2
    j = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))
    scale = math.sqrt(1 / n1 + 1 / n2)
    t = _pooled_t(x, y)
    assert stats.nct.cdf(t, df, low / j / scale) == pytest.approx(0.975, abs=1e-6)
    assert stats.nct.cdf(t, df, high / j / scale) == pytest.approx(0.025, abs=1e-6)
    assert low < g < high


def test_hedges_g_interval_close_to_large_sample_approximation() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.normal(0.5, 1, 400), rng.normal(0, 1, 400)
    g, low, high = ks.hedges_g(x, y)
    se = math.sqrt((800) / (400 * 400) + g * g / (2 * 800))
    assert low == pytest.approx(g - 1.959964 * se, abs=0.01)
    assert high == pytest.approx(g + 1.959964 * se, abs=0.01)


def test_hedges_g_degenerate() -> None:
    assert all(math.isnan(v) for v in ks.hedges_g([3], [1, 2, 3]))
    assert all(math.isnan(v) for v in ks.hedges_g([3, 3], [3, 3, 3]))


def test_cohens_dz_is_paired_t_over_sqrt_n() -> None:
    dz, low, high = ks.cohens_dz(AFTER, BEFORE)
    t = stats.ttest_rel(AFTER, BEFORE).statistic
    n = len(AFTER)
    assert dz == pytest.approx(t / math.sqrt(n))
    assert stats.nct.cdf(t, n - 1, low * math.sqrt(n)) == pytest.approx(0.975, abs=1e-6)
    assert stats.nct.cdf(t, n - 1, high * math.sqrt(n)) == pytest.approx(0.025, abs=1e-6)


# ------------------------------------------------------------------ Cliff's delta


@pytest.mark.parametrize(
    ("x", "y"), [(EXECUTIVES, FRONTLINE), (MANAGERS, EXECUTIVES), (BEFORE, AFTER), ([1], [2, 3])]
)
def test_cliffs_delta_equals_mann_whitney_u(x: list[int], y: list[int]) -> None:
    u = stats.mannwhitneyu(x, y).statistic
    assert ks.cliffs_delta(x, y).estimate == pytest.approx(2 * u / (len(x) * len(y)) - 1)


def test_cliffs_delta_reference_values_from_r_effsize() -> None:
    # effsize 0.8 tests/testCliff.Rout.save
    treatment = [10, 10, 20, 20, 20, 30, 30, 30, 40, 50]
    control = [10, 20, 30, 40, 40, 50]
    est, low, high = ks.cliffs_delta(treatment, control)  # use.unbiased=F, use.normal=T
    assert est == -0.25
    assert (low, high) == pytest.approx((-0.7125351, 0.3639999), abs=1e-7)
    x1 = [10, 20, 20, 20, 30, 30, 30, 40, 50, 100]
    est, low, high = ks.cliffs_delta(x1, control, unbiased=True, t_quantile=True)  # defaults
    assert est == pytest.approx(-0.06666667)
    assert (low, high) == pytest.approx((-0.6082254, 0.5172431), abs=1e-7)


def test_cliffs_delta_separated_groups() -> None:
    est, low, high = ks.cliffs_delta([5, 5, 4, 5], [1, 2, 2])
    assert est == 1.0 and high == 1.0 and 0 < low < 1
    est, low, high = ks.cliffs_delta([1, 2, 2], [5, 5, 4, 5])
    assert est == -1.0 and low == -1.0 and -1 < high < 0


# ------------------------------------------------------------------ paired / unpaired tests


def test_rank_biserial_from_scipy_signed_rank_sum() -> None:
    diffs = np.subtract(AFTER, BEFORE)
    nonzero = int(np.count_nonzero(diffs))
    t_plus = stats.wilcoxon(AFTER, BEFORE, alternative="greater", method="asymptotic").statistic
    total = nonzero * (nonzero + 1) / 2
    assert ks.rank_biserial_paired(AFTER, BEFORE) == pytest.approx(2 * t_plus / total - 1)


def test_rank_biserial_hand_computation() -> None:
    # differences 1, -1, 2, 2 -> ranks 1.5, 1.5, 3.5, 3.5 -> (8.5 - 1.5) / 10
    assert ks.rank_biserial_paired([4, 2, 5, 3], [3, 3, 3, 1]) == pytest.approx(0.7)
    assert math.isnan(ks.rank_biserial_paired([3, 3], [3, 3]))


def test_paired_tests_match_scipy() -> None:
    result = ks.paired_tests(AFTER, BEFORE)
    assert result.n_pairs == 10
    assert result.diff == pytest.approx(np.mean(np.subtract(AFTER, BEFORE)))
    ci = stats.ttest_rel(AFTER, BEFORE).confidence_interval(0.95)
    assert (result.diff_low, result.diff_high) == pytest.approx((ci.low, ci.high))
    assert result.p_wilcoxon == pytest.approx(stats.wilcoxon(AFTER, BEFORE).pvalue)
    assert result.p_t == pytest.approx(stats.ttest_rel(AFTER, BEFORE).pvalue)
    assert result.d_z == pytest.approx(ks.cohens_dz(AFTER, BEFORE).estimate)
    assert result.rank_biserial == pytest.approx(ks.rank_biserial_paired(AFTER, BEFORE))


@pytest.mark.parametrize(
    ("x", "y"),
    [
        (AFTER, BEFORE),  # ties and zeros, 10 pairs: scipy's exact permutation test
        ([4, 4, 5, 3, 4, 5], [3, 3, 4, 3, 2, 4]),
        ([2, 5, 1, 4, 3, 5, 2], [3, 3, 3, 3, 3, 3, 3]),
        ([1.5, 2.25, 3.0, 4.75, 5.5], [1, 2, 3.5, 4, 6]),  # no ties: scipy exact
        (list(range(20)), [v + (1 if v % 3 else -2) for v in range(20)]),  # ties, n > 13
    ],
)
def test_wilcoxon_p_equals_scipy(x: list[float], y: list[float]) -> None:
    assert ks.wilcoxon_p(x, y) == pytest.approx(stats.wilcoxon(x, y).pvalue, abs=1e-12)


def test_wilcoxon_p_all_zero() -> None:
    assert math.isnan(ks.wilcoxon_p([3, 4], [3, 4]))


def test_paired_tests_drop_incomplete_pairs_and_degenerate() -> None:
    nan = float("nan")
    result = ks.paired_tests([4, nan, 5, 3, 4], [3, 3, nan, 2, 2])
    assert result.n_pairs == 3
    assert result.p_t == pytest.approx(stats.ttest_rel([4, 3, 4], [3, 2, 2]).pvalue)
    same = ks.paired_tests([3, 4, 5], [3, 4, 5])
    assert same.n_pairs == 3 and same.diff == 0 and math.isnan(same.p_wilcoxon)
    assert ks.paired_tests([], []).n_pairs == 0
    with pytest.raises(ValueError, match="same length"):
        ks.paired_tests([1, 2], [1])


def test_unpaired_tests_match_scipy() -> None:
    result = ks.unpaired_tests(EXECUTIVES, FRONTLINE)
    welch = stats.ttest_ind(EXECUTIVES, FRONTLINE, equal_var=False)
    ci = welch.confidence_interval(0.95)
    assert (result.n_x, result.n_y) == (6, 7)
    assert result.diff == pytest.approx(np.mean(EXECUTIVES) - np.mean(FRONTLINE))
    assert (result.diff_low, result.diff_high) == pytest.approx((ci.low, ci.high))
    assert result.p_welch == pytest.approx(welch.pvalue)
    mw = stats.mannwhitneyu(EXECUTIVES, FRONTLINE, alternative="two-sided")
    assert result.p_mannwhitney == pytest.approx(mw.pvalue)
    assert result.hedges_g == pytest.approx(ks.hedges_g(EXECUTIVES, FRONTLINE).estimate)
    assert result.cliffs_delta == pytest.approx(ks.cliffs_delta(EXECUTIVES, FRONTLINE).estimate)


def test_unpaired_tests_constant_groups() -> None:
    result = ks.unpaired_tests([3, 3, 3], [3, 3])
    assert result.diff == 0 and math.isnan(result.p_welch) and math.isnan(result.p_mannwhitney)


# ------------------------------------------------------------------ corrections


def test_holm_hand_computation() -> None:
    # sorted 0.01, 0.03, 0.04 -> 3*0.01, 2*0.03, max(0.06, 1*0.04)
    assert ks.holm([0.04, 0.01, 0.03]).tolist() == pytest.approx([0.06, 0.03, 0.06])
    assert ks.holm([0.5, 0.6]).tolist() == [1.0, 1.0]
    out = ks.holm([float("nan"), 0.02])
    assert math.isnan(out[0]) and out[1] == 0.02
    assert ks.holm([]).size == 0


def test_bh_hand_computation() -> None:
    # sorted 0.01, 0.03, 0.04, 0.2 with m=4 -> 0.04, 0.06, 0.0533, 0.2 -> step-up min
    expected = [0.04, 0.16 / 3, 0.04 * 4 / 3, 0.2]
    assert ks.benjamini_hochberg([0.01, 0.04, 0.03, 0.2]).tolist() == pytest.approx(
        [expected[0], expected[2], expected[1], expected[3]]
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=30))
def test_bh_matches_scipy_false_discovery_control(pvalues: list[float]) -> None:
    expected = stats.false_discovery_control(pvalues, method="bh")
    assert ks.benjamini_hochberg(pvalues) == pytest.approx(expected, abs=1e-12)
    holm = ks.holm(pvalues)
    assert np.all(holm >= np.asarray(pvalues) - 1e-15) and np.all(holm <= 1)


def test_adjust_pvalues_dispatch() -> None:
    p = [0.01, 0.02, 0.2]
    assert ks.adjust_pvalues(p).tolist() == ks.holm(p).tolist()
    assert ks.adjust_pvalues(p, method="bh").tolist() == ks.benjamini_hochberg(p).tolist()
    with pytest.raises(ValueError, match="holm"):
        ks.adjust_pvalues(p, method="bonferroni")  # type: ignore[arg-type]
