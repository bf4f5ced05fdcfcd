"""Effect sizes, intervals, tests and multiple-comparison corrections.

Small, array-in functions that the table builders in :mod:`analysis.gaps` and
:mod:`analysis.trends` call once per cell. Every function drops ``NaN`` (an
unanswered question) before computing, returns plain Python floats, and gives
``nan`` instead of raising when a group is too small for the statistic.

Conventions
-----------
* Two-sample functions take ``(x, y)`` and describe ``x`` relative to ``y``:
  a positive difference, g or delta means ``x`` tends to be higher.
* Paired functions take ``(x, y)`` aligned element by element and describe
  ``x - y`` (pass ``(after, before)`` for a change).
* Confidence intervals are two-sided at ``confidence`` (default 95%).
"""

from __future__ import annotations

import contextlib
import functools
import math
import warnings
from collections.abc import Sequence
from typing import Literal, NamedTuple

import numpy as np

# scipy.stats (0.5 s of imports), scipy.special and scipy.optimize are imported where they
# are used: a page that runs no test (upload, free text, settings) does not pay for them.

__all__ = [
    "EFFECT_NAMES_JA",
    "METHOD_NAMES_JA",
    "CONFIDENCE",
    "Interval",
    "PairedResult",
    "UnpairedResult",
    "adjust_pvalues",
    "benjamini_hochberg",
    "cliffs_delta",
    "cohens_dz",
    "hedges_g",
    "holm",
    "mean_interval",
    "newcombe_difference",
    "paired_tests",
    "rank_biserial_paired",
    "unpaired_tests",
    "wilcoxon_p",
    "wilson_interval",
]


@contextlib.contextmanager
def _no_precision_warning():
    """Silence scipy's "Precision loss … nearly identical" note on data we know are degenerate.

    A group whose answers are all the same is normal in a survey (everyone
    said そう思う); the tests we run on it are well defined, and a valid file
    must not print library warnings on stderr.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="Precision loss occurred", category=RuntimeWarning
        )
        yield


CONFIDENCE = 0.95  # default two-sided confidence level for every interval
# How the tables name an effect size and a comparison for a person (pages, downloads).
EFFECT_NAMES_JA = {
    "hedges_g": "Hedges の g",
    "d_z": "d_z（対応あり）",
    "cliffs_delta": "Cliff の δ",
}
METHOD_NAMES_JA = {"paired": "対応あり", "unpaired": "対応なし"}

ArrayLike = Sequence[float] | np.ndarray


class Interval(NamedTuple):
    """A point estimate with its confidence interval (``nan`` when undefined)."""

    estimate: float
    low: float
    high: float


class PairedResult(NamedTuple):
    """Paired comparison of ``x`` and ``y`` (difference ``x - y``), see :func:`paired_tests`."""

    n_pairs: int
    diff: float
    diff_low: float
    diff_high: float
    d_z: float
    d_z_low: float
    d_z_high: float
    rank_biserial: float
    p_wilcoxon: float
    p_t: float


class UnpairedResult(NamedTuple):
    """Two independent groups ``x`` and ``y`` (difference ``x - y``), see :func:`unpaired_tests`."""

    n_x: int
    n_y: int
    diff: float
    diff_low: float
    diff_high: float
    hedges_g: float
    hedges_g_low: float
    hedges_g_high: float
    cliffs_delta: float
    cliffs_delta_low: float
    cliffs_delta_high: float
    p_mannwhitney: float
    p_welch: float


_NAN_INTERVAL = Interval(math.nan, math.nan, math.nan)


def _clean(values: ArrayLike) -> np.ndarray:
    """Float array without NaN."""
    array = np.asarray(values, dtype=float).ravel()
    return array[~np.isnan(array)]


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), got {confidence}")


@functools.lru_cache(maxsize=32)
def _quantile(confidence: float) -> float:
    from scipy import stats

    return float(stats.norm.ppf(0.5 + confidence / 2))


# --------------------------------------------------------------------------- proportions


def wilson_interval(
    successes: int, n: int, *, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Wilson score interval for a proportion ``successes / n``.

    Parameters
    ----------
    successes, n
        Count of "yes" answers and of all answers (``0 <= successes <= n``).
    confidence
        Two-sided confidence level.

    Returns
    -------
    tuple of float
        ``(low, high)`` on the 0-1 scale; ``(nan, nan)`` when ``n == 0``.

    Examples
    --------
    管理職10人のうち7人が「自分ひとりで抱え込まなくてよくなった」に肯定的:

    >>> low, high = wilson_interval(7, 10)
    >>> round(low, 3), round(high, 3)
    (0.397, 0.892)
    """
    _check_confidence(confidence)
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes}, n={n}")
    if n == 0:
        return (math.nan, math.nan)
    z = _quantile(confidence)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def newcombe_difference(
    successes_x: int,
    n_x: int,
    successes_y: int,
    n_y: int,
    *,
    confidence: float = CONFIDENCE,
) -> Interval:
    """Difference of two independent proportions with Newcombe's hybrid score interval.

    Newcombe (1998), method 10: combines the two Wilson intervals, so it stays
    inside [-1, 1] and behaves well for small groups and shares near 0 or 1.

    Returns
    -------
    Interval
        ``p_x - p_y`` with its interval; all ``nan`` if either group is empty.

    Examples
    --------
    経営層 8/10 と一般社員 12/30 の肯定率の差:

    >>> est, low, high = newcombe_difference(8, 10, 12, 30)
    >>> round(est, 2), round(low, 3), round(high, 3)
    (0.4, 0.043, 0.61)
    """
    if n_x == 0 or n_y == 0:
        return _NAN_INTERVAL
    p_x, p_y = successes_x / n_x, successes_y / n_y
    low_x, high_x = wilson_interval(successes_x, n_x, confidence=confidence)
    low_y, high_y = wilson_interval(successes_y, n_y, confidence=confidence)
    diff = p_x - p_y
    low = diff - math.sqrt((p_x - low_x) ** 2 + (high_y - p_y) ** 2)
    high = diff + math.sqrt((high_x - p_x) ** 2 + (p_y - low_y) ** 2)
    return Interval(diff, low, high)


# --------------------------------------------------------------------------- means


def mean_interval(
    values: ArrayLike,
    *,
    confidence: float = CONFIDENCE,
    method: Literal["t", "bootstrap"] = "t",
    seed: int = 0,
    n_resamples: int = 9999,
) -> Interval:
    """Mean with a Student-t (default) or BCa bootstrap confidence interval.

    Parameters
    ----------
    values
        Answers; NaN is dropped.
    method
        ``"t"``: mean +/- t(n-1) * sd / sqrt(n). ``"bootstrap"``: scipy's BCa
        bootstrap with a fixed ``seed`` so the same data always give the same
        interval.

    Returns
    -------
    Interval
        ``estimate`` is the mean (``nan`` if no answers); the interval is
        ``nan`` for fewer than two answers and collapses to the mean when all
        answers are equal.

    Examples
    --------
    >>> est, low, high = mean_interval([4, 5, 3, 4, 4])
    >>> est, round(low, 3), round(high, 3)
    (4.0, 3.122, 4.878)
    """
    from scipy import stats

    _check_confidence(confidence)
    x = _clean(values)
    n = x.size
    if n == 0:
        return _NAN_INTERVAL
    mean = float(x.mean())
    if n < 2:
        return Interval(mean, math.nan, math.nan)
    if np.all(x == x[0]):
        return Interval(mean, mean, mean)
    if method == "t":
        half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * float(x.std(ddof=1)) / math.sqrt(n)
        return Interval(mean, mean - half, mean + half)
    if method == "bootstrap":
        result = stats.bootstrap(
            (x,),
            np.mean,
            confidence_level=confidence,
            n_resamples=n_resamples,
            method="BCa",
            rng=np.random.default_rng(seed),
        )
        ci = result.confidence_interval
        return Interval(mean, float(ci.low), float(ci.high))
    raise ValueError(f"method must be 't' or 'bootstrap', got {method!r}")


# --------------------------------------------------------------------------- standardised effects


def _noncentral_t_interval(t: float, df: float, confidence: float) -> tuple[float, float]:
    """Confidence interval for the noncentrality parameter of a t statistic.

    Finds ``ncp_low`` with ``P(T <= t | ncp_low) = 1 - alpha/2`` and ``ncp_high``
    with ``P(T <= t | ncp_high) = alpha/2`` (Steiger & Fouladi 1997).
    """
    from scipy import optimize, special, stats

    if not (math.isfinite(t) and df > 0):
        return (math.nan, math.nan)
    alpha = 1 - confidence

    def solve(target: float) -> float:
        # cdflib's inverse (accurate to ~1e-7 in probability); brentq only if it fails
        guess = float(special.nctdtrinc(df, target, t))
        if math.isfinite(guess):
            return guess

        def f(ncp: float) -> float:
            return float(stats.nct.cdf(t, df, ncp)) - target

        width = 2.0 + abs(t)
        for _ in range(60):  # the cdf falls as ncp grows: widen until the sign changes
            if f(t - width) > 0 > f(t + width):
                return float(optimize.brentq(f, t - width, t + width, xtol=1e-12))
            width *= 2
        return math.nan

    return (solve(1 - alpha / 2), solve(alpha / 2))


def _hedges_correction(df: float) -> float:
    """Exact small-sample bias correction J(df) = Γ(df/2) / (sqrt(df/2) Γ((df-1)/2))."""
    from scipy import special

    return math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)


def hedges_g(x: ArrayLike, y: ArrayLike, *, confidence: float = CONFIDENCE) -> Interval:
    """Hedges' g for two independent groups, with a noncentral-t confidence interval.

    ``g = J * (mean(x) - mean(y)) / s_pooled`` where ``s_pooled`` uses ``n - 1``
    denominators and ``J`` is the exact bias correction
    ``Γ(df/2) / (sqrt(df/2) Γ((df-1)/2))`` with ``df = n_x + n_y - 2``.

    The interval is exact under normality: the observed pooled-variance t
    statistic is inverted through the noncentral t distribution
    (Steiger & Fouladi 1997) to an interval for ``ncp``, converted to Cohen's d
    by ``ncp * sqrt(1/n_x + 1/n_y)`` and scaled by ``J``. It is not the
    large-sample normal approximation ``g +/- z * SE``.

    Returns
    -------
    Interval
        All ``nan`` when either group has fewer than two answers or both
        groups have zero spread.

    Examples
    --------
    経営層と一般社員の「AIで仕事が楽になると思う」(5件法):

    >>> g, low, high = hedges_g([5, 4, 5, 4, 5, 3], [3, 2, 4, 3, 2, 3, 4])
    >>> round(g, 3), round(low, 3), round(high, 3)
    (1.519, 0.302, 2.686)
    """
    _check_confidence(confidence)
    a, b = _clean(x), _clean(y)
    n_a, n_b = a.size, b.size
    if n_a < 2 or n_b < 2:
        return _NAN_INTERVAL
    df = n_a + n_b - 2
    pooled = math.sqrt(((n_a - 1) * a.var(ddof=1) + (n_b - 1) * b.var(ddof=1)) / df)
    if pooled == 0:
        return _NAN_INTERVAL
    d = float(a.mean() - b.mean()) / pooled
    j = _hedges_correction(df)
    scale = math.sqrt(1 / n_a + 1 / n_b)
    ncp_low, ncp_high = _noncentral_t_interval(d / scale, df, confidence)
    return Interval(j * d, j * ncp_low * scale, j * ncp_high * scale)


def cohens_dz(x: ArrayLike, y: ArrayLike, *, confidence: float = CONFIDENCE) -> Interval:
    """Cohen's d_z for paired data: mean(x - y) / sd(x - y), noncentral-t interval.

    Pairs with a missing side are dropped. The interval inverts the paired t
    statistic ``d_z * sqrt(n)`` (df = n - 1) through the noncentral t
    distribution and divides by ``sqrt(n)``.

    Examples
    --------
    研修前 -> 研修後 (同じ6人):

    >>> dz, low, high = cohens_dz([4, 4, 5, 3, 4, 5], [3, 3, 4, 3, 2, 4])
    >>> round(dz, 3), round(low, 3), round(high, 3)
    (1.581, 0.311, 2.796)
    """
    _check_confidence(confidence)
    diff = _paired_differences(x, y)
    n = diff.size
    if n < 2:
        return _NAN_INTERVAL
    sd = float(diff.std(ddof=1))
    if sd == 0:
        return _NAN_INTERVAL
    dz = float(diff.mean()) / sd
    ncp_low, ncp_high = _noncentral_t_interval(dz * math.sqrt(n), n - 1, confidence)
    return Interval(dz, ncp_low / math.sqrt(n), ncp_high / math.sqrt(n))


# --------------------------------------------------------------------------- ordinal effects


def cliffs_delta(
    x: ArrayLike,
    y: ArrayLike,
    *,
    confidence: float = CONFIDENCE,
    unbiased: bool = False,
    t_quantile: bool = False,
) -> Interval:
    """Cliff's delta, P(x > y) - P(x < y), with Cliff's asymmetric interval.

    Equal to ``2 U / (n_x n_y) - 1`` for the Mann-Whitney U of ``x`` and to the
    rank-biserial correlation of two independent groups. The interval is the
    asymmetric one of Cliff (1993) / Feng & Cliff (2004)::

        (d - d^3 -/+ z s sqrt((1 - d^2)^2 + z^2 s^2)) / (1 - d^2 + z^2 s^2)

    with the "consistent" variance estimate ``s^2`` of Cliff (1996) (or the
    unbiased one with ``unbiased=True``) and a normal ``z`` (or a t quantile
    with n_x + n_y - 2 df with ``t_quantile=True``). The defaults reproduce
    R ``effsize::cliff.delta(use.unbiased=FALSE, use.normal=TRUE)``; for fully
    separated groups delta is shrunk by ``(n_x n_y - 1) / (n_x n_y)`` for the
    interval and the outer bound is set to +/-1, as effsize does.

    Examples
    --------
    >>> est, low, high = cliffs_delta([5, 4, 5, 4, 5, 3], [3, 2, 4, 3, 2, 3, 4])
    >>> round(est, 3), round(low, 3), round(high, 3)
    (0.738, 0.158, 0.939)
    """
    from scipy import stats

    _check_confidence(confidence)
    a, b = _clean(x), _clean(y)
    n_a, n_b = a.size, b.size
    if n_a == 0 or n_b == 0:
        return _NAN_INTERVAL
    # The n_a x n_b dominance matrix sign(a_i - b_j) is never built (it is quadratic in
    # memory); its row and column means and sums come from sorted counts instead.
    a_sorted, b_sorted = np.sort(a), np.sort(b)
    b_below = np.searchsorted(b_sorted, a, side="left")
    b_above = n_b - np.searchsorted(b_sorted, a, side="right")
    a_below = np.searchsorted(a_sorted, b, side="left")
    a_above = n_a - np.searchsorted(a_sorted, b, side="right")
    rows = (b_below - b_above) / n_b  # mean over j of sign(a_i - b_j)
    cols = (a_above - a_below) / n_a  # mean over i of sign(a_i - b_j)
    delta = float(rows.mean())
    if n_a < 2 or n_b < 2:
        return Interval(delta, math.nan, math.nan)
    d = delta * (n_a * n_b - 1) / (n_a * n_b) if abs(delta) == 1 else delta
    ss_rows = float(((rows - d) ** 2).sum())
    ss_cols = float(((cols - d) ** 2).sum())
    untied = float((b_below + b_above).sum())  # sum of sign^2 over all pairs
    ss_cells = untied - 2 * d * delta * n_a * n_b + n_a * n_b * d * d
    if unbiased:
        variance = (n_b**2 * ss_rows + n_a**2 * ss_cols - ss_cells) / (
            n_a * n_b * (n_a - 1) * (n_b - 1)
        )
    else:
        variance = (
            (n_b - 1) * ss_rows / (n_a - 1)
            + (n_a - 1) * ss_cols / (n_b - 1)
            + ss_cells / ((n_a - 1) * (n_b - 1))
        ) / (n_a * n_b)
    variance = max(variance, 0.0)
    if t_quantile:
        z = float(stats.t.ppf(0.5 + confidence / 2, n_a + n_b - 2))
    else:
        z = _quantile(confidence)
    spread = z * math.sqrt(variance) * math.sqrt((1 - d * d) ** 2 + z * z * variance)
    denominator = 1 - d * d + z * z * variance
    if denominator == 0:
        return Interval(delta, math.nan, math.nan)
    low = (d - d**3 - spread) / denominator
    high = (d - d**3 + spread) / denominator
    if delta == 1:
        high = 1.0
    if delta == -1:
        low = -1.0
    return Interval(delta, low, high)


def _paired_differences(x: ArrayLike, y: ArrayLike) -> np.ndarray:
    a = np.asarray(x, dtype=float).ravel()
    b = np.asarray(y, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"paired data need the same length, got {a.size} and {b.size}")
    diff = a - b
    return diff[~np.isnan(diff)]


def rank_biserial_paired(x: ArrayLike, y: ArrayLike) -> float:
    """Matched-pairs rank-biserial correlation r = (T+ - T-) / (T+ + T-).

    ``T+`` and ``T-`` are the Wilcoxon signed-rank sums of the positive and
    negative differences ``x - y`` (average ranks of ``|x - y|``; zero
    differences dropped, as in scipy's default ``zero_method="wilcox"``).
    Kerby (2014). ``nan`` when every difference is zero.

    Examples
    --------
    >>> rank_biserial_paired([4, 4, 5, 3, 4, 5], [3, 3, 4, 3, 2, 4])
    1.0
    >>> rank_biserial_paired([4, 2, 5, 3], [3, 3, 3, 1])
    0.7
    """
    from scipy import stats

    diff = _paired_differences(x, y)
    diff = diff[diff != 0]
    if diff.size == 0:
        return math.nan
    ranks = stats.rankdata(np.abs(diff))
    positive = float(ranks[diff > 0].sum())
    negative = float(ranks[diff < 0].sum())
    return (positive - negative) / (positive + negative)


# --------------------------------------------------------------------------- tests

_EXACT_SIGNED_RANK_MAX = 13  # scipy's own limit for its exact permutation p-value with ties


def wilcoxon_p(x: ArrayLike, y: ArrayLike) -> float:
    """Two-sided Wilcoxon signed-rank p-value of ``x - y``; same number as scipy, faster.

    scipy's ``wilcoxon(x, y)`` (``method="auto"``, zeros dropped) runs an
    exact permutation test when the differences have ties or zeros and there
    are at most 13 pairs, which takes seconds per call. Likert differences
    almost always tie, so this enumerates the same 2^n sign flips with numpy
    instead (identical p-value) and leaves every other case to scipy.
    ``nan`` when every difference is zero.

    >>> round(wilcoxon_p([4, 4, 5, 3, 4, 5], [3, 3, 4, 3, 2, 4]), 4)
    0.0625
    """
    from scipy import stats

    diff = _paired_differences(x, y)
    nonzero = diff[diff != 0]
    if nonzero.size == 0:
        return math.nan
    magnitude = np.abs(nonzero)
    ties = np.unique(magnitude).size < magnitude.size
    if (ties or nonzero.size < diff.size) and diff.size <= _EXACT_SIGNED_RANK_MAX:
        ranks = stats.rankdata(magnitude)
        observed = float(ranks[nonzero > 0].sum())
        signs = (np.arange(2**nonzero.size)[:, None] >> np.arange(nonzero.size)) & 1
        null = signs @ ranks
        gamma = abs(observed) * np.finfo(float).eps * 100  # scipy's tolerance for float ties
        p_less = float(np.mean(null <= observed + gamma))
        p_greater = float(np.mean(null >= observed - gamma))
        return min(1.0, 2 * min(p_less, p_greater))
    with _no_precision_warning():
        return float(stats.wilcoxon(diff, np.zeros_like(diff)).pvalue)


def paired_tests(x: ArrayLike, y: ArrayLike, *, confidence: float = CONFIDENCE) -> PairedResult:
    """Wilcoxon signed-rank and paired t test of ``x - y``, with d_z and rank-biserial r.

    Pairs with a missing side are dropped; ``n_pairs`` counts the rest.

    Returns
    -------
    PairedResult
        ``n_pairs``; ``diff`` = mean(x - y) with its paired-t interval
        (``diff_low``, ``diff_high``); ``d_z`` with its noncentral-t interval;
        ``rank_biserial`` (matched pairs); ``p_wilcoxon`` (two-sided,
        zero differences dropped; scipy's number via :func:`wilcoxon_p`) and ``p_t``
        (scipy ``ttest_rel``). ``p_wilcoxon`` is ``nan`` when every
        difference is zero, ``p_t`` when all differences are equal.

    Examples
    --------
    >>> r = paired_tests([4, 4, 5, 3, 4, 5], [3, 3, 4, 3, 2, 4])
    >>> r.n_pairs, round(r.diff, 3), round(r.d_z, 3), r.rank_biserial
    (6, 1.0, 1.581, 1.0)
    """
    from scipy import stats

    _check_confidence(confidence)
    a = np.asarray(x, dtype=float).ravel()
    b = np.asarray(y, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"paired data need the same length, got {a.size} and {b.size}")
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    n = int(a.size)
    if n == 0:
        return PairedResult(0, *([math.nan] * 9))
    diff = a - b
    mean_diff = float(diff.mean())
    diff_ci = mean_interval(diff, confidence=confidence)
    dz = cohens_dz(a, b, confidence=confidence)
    r = rank_biserial_paired(a, b)
    p_w = math.nan
    if np.any(diff != 0):
        p_w = wilcoxon_p(a, b)
    p_t = math.nan
    if n >= 2 and float(diff.std(ddof=1)) > 0:
        with _no_precision_warning():
            p_t = float(stats.ttest_rel(a, b).pvalue)
    return PairedResult(
        n, mean_diff, diff_ci.low, diff_ci.high, dz.estimate, dz.low, dz.high, r, p_w, p_t
    )


def unpaired_tests(x: ArrayLike, y: ArrayLike, *, confidence: float = CONFIDENCE) -> UnpairedResult:
    """Mann-Whitney U and Welch t test of two independent groups, with g and Cliff's delta.

    Returns
    -------
    UnpairedResult
        ``n_x``, ``n_y``; ``diff`` = mean(x) - mean(y) with its Welch
        interval; ``hedges_g`` (:func:`hedges_g`) and ``cliffs_delta``
        (:func:`cliffs_delta`) with intervals; ``p_mannwhitney`` (scipy
        ``mannwhitneyu``, two-sided) and ``p_welch`` (scipy ``ttest_ind``
        with ``equal_var=False``). Values are ``nan`` where a group is too
        small or has no spread.

    Examples
    --------
    >>> r = unpaired_tests([5, 4, 5, 4, 5, 3], [3, 2, 4, 3, 2, 3, 4])
    >>> r.n_x, r.n_y, round(r.diff, 3), round(r.cliffs_delta, 3)
    (6, 7, 1.333, 0.738)
    """
    from scipy import stats

    _check_confidence(confidence)
    a, b = _clean(x), _clean(y)
    n_a, n_b = int(a.size), int(b.size)
    diff = float(a.mean() - b.mean()) if n_a and n_b else math.nan
    g = hedges_g(a, b, confidence=confidence)
    delta = cliffs_delta(a, b, confidence=confidence)
    p_mw = math.nan
    if n_a and n_b and not (np.all(a == a[0]) and np.all(b == a[0])):
        p_mw = float(stats.mannwhitneyu(a, b, alternative="two-sided").pvalue)
    p_welch = diff_low = diff_high = math.nan
    if n_a >= 2 and n_b >= 2 and (a.var(ddof=1) > 0 or b.var(ddof=1) > 0):
        with _no_precision_warning():  # one group without spread: the test is still exact
            result = stats.ttest_ind(a, b, equal_var=False)
        p_welch = float(result.pvalue)
        ci = result.confidence_interval(confidence_level=confidence)
        diff_low, diff_high = float(ci.low), float(ci.high)
    return UnpairedResult(
        n_a,
        n_b,
        diff,
        diff_low,
        diff_high,
        g.estimate,
        g.low,
        g.high,
        delta.estimate,
        delta.low,
        delta.high,
        p_mw,
        p_welch,
    )


# --------------------------------------------------------------------------- corrections


def holm(pvalues: ArrayLike) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values; NaN stays NaN and is not counted.

    Sorted ascending, ``p_adj(i) = max_{j <= i} min(1, (m - j + 1) p(j))``
    with ``m`` the number of non-missing p-values.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, float("nan")]).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    p = np.asarray(pvalues, dtype=float).ravel()
    out = np.full(p.shape, np.nan)
    present = np.flatnonzero(~np.isnan(p))
    m = present.size
    if m == 0:
        return out
    order = present[np.argsort(p[present], kind="stable")]
    scaled = (m - np.arange(m)) * p[order]
    out[order] = np.minimum(1.0, np.maximum.accumulate(scaled))
    return out


def benjamini_hochberg(pvalues: ArrayLike) -> np.ndarray:
    """Benjamini-Hochberg (1995) adjusted p-values (false discovery rate).

    Sorted ascending, ``p_adj(i) = min_{j >= i} min(1, m p(j) / j)``; NaN stays
    NaN and is not counted in ``m``. Same numbers as
    ``scipy.stats.false_discovery_control(p, method="bh")``.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.2]).round(4).tolist()
    [0.04, 0.0533, 0.0533, 0.2]
    """
    p = np.asarray(pvalues, dtype=float).ravel()
    out = np.full(p.shape, np.nan)
    present = np.flatnonzero(~np.isnan(p))
    m = present.size
    if m == 0:
        return out
    order = present[np.argsort(p[present], kind="stable")]
    scaled = p[order] * m / np.arange(1, m + 1)
    out[order] = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    return out


def adjust_pvalues(pvalues: ArrayLike, *, method: Literal["holm", "bh"] = "holm") -> np.ndarray:
    """Adjust p-values by ``"holm"`` (family-wise error) or ``"bh"`` (false discovery rate).

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.02], method="bh").tolist()
    [0.02, 0.02]
    """
    if method == "holm":
        return holm(pvalues)
    if method == "bh":
        return benjamini_hochberg(pvalues)
    raise ValueError(f"method must be 'holm' or 'bh', got {method!r}")
