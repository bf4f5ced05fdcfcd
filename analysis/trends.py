"""How answers move across waves (研修前 -> 研修後 -> 3か月後), per role.

* :func:`order_waves` puts wave labels in time order.
* :func:`wave_scores` scores every role x wave x item (means with t intervals).
* :func:`wave_changes` tests the change between waves: **paired** (Wilcoxon
  signed-rank and paired t, d_z and rank-biserial r) when respondent IDs link
  the waves, otherwise **unpaired** (Mann-Whitney U and Welch t, Cliff's
  delta); the ``method`` column says which, so a page can label it.
* :func:`retention` is the share of the post-training gain still there at
  follow-up.

Groups smaller than ``min_group`` never show a number (:mod:`analysis.privacy`),
and a paired change is shown only when the people it leaves out of either
wave's cell are nobody or at least ``min_group``, per department too
(:func:`analysis.privacy.safe_subset`): otherwise the cell minus the pairs
would give away the answers of the few who answered one wave only.
Retention and unpaired changes use whole cells only, never a subset of one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis import stats
from analysis.errors import SurveyError
from analysis.gaps import _is_missing, _json_float, check_answers, item_scores, order_roles
from analysis.privacy import MIN_GROUP_SCORES, check_min_group, safe_subset, subset_note

__all__ = [
    "CHANGE_CORRECTION",
    "order_waves",
    "retention",
    "trends_payload",
    "wave_changes",
    "wave_pairs",
    "wave_scores",
]

CHANGE_CORRECTION = "holm"  # p_adj in wave_changes: Holm over every row of the table

# --------------------------------------------------------------------------- wave order

_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})(?:\s*[-/.月]\s*(?P<d>\d{1,2}))?"
)
_MONTHS = re.compile(r"(?P<n>\d+|半)\s*(?:か|ヶ|ケ|カ|ヵ|箇|个)?\s*月\s*(?:後|経過|目)")
_WEEKS = re.compile(r"(?P<n>\d+)\s*週間?\s*(?:後|経過|目)")
_YEARS = re.compile(r"(?P<n>\d+|半)\s*年\s*(?:後|経過|目)")
_ROUND = re.compile(r"第\s*(?P<n>\d+)\s*回|(?P<m>\d+)\s*回目|(?:wave|t|round)\s*(?P<k>\d+)", re.I)
_BEFORE = (
    "研修前",
    "事前",
    "導入前",
    "実施前",
    "受講前",
    "ベースライン",
    "baseline",
    "pre",
    "before",
)
_AFTER = ("直後", "研修後", "事後", "受講後", "実施後", "終了後", "post", "after")
_FOLLOW_UP = ("フォローアップ", "フォロー", "追跡", "follow")
_WEEKS_PER_MONTH = 52 / 12


def _normalise(label: str) -> str:
    text = unicodedata.normalize("NFKC", str(label)).strip()
    for kanji, digit in _KANJI_DIGITS.items():
        text = re.sub(f"{kanji}(?=[かヶケカヵ箇]?月|週|年|回)", str(digit), text)
    return text


def _wave_key(label: str) -> tuple[int, float, float, float] | None:
    """``(category, a, b, c)`` for a recognised label, ``None`` otherwise.

    Categories: 0 = named stage (months after training: 研修前 -1, 研修後 0,
    3か月後 3, フォローアップ after every numbered follow-up), 1 = a date,
    2 = a numbered round (第2回, 2回目, wave 2).
    """
    text = _normalise(label)
    lowered = text.lower()
    date = _DATE.search(text)
    if date:
        return (1, float(date["y"]), float(date["m"]), float(date["d"] or 0))
    for pattern, scale in ((_MONTHS, 1.0), (_WEEKS, 1 / _WEEKS_PER_MONTH), (_YEARS, 12.0)):
        match = pattern.search(text)
        if match:
            n = 0.5 if match["n"] == "半" else float(match["n"])
            return (0, n * scale, 0.0, 0.0)
    if any(word in lowered for word in _FOLLOW_UP):
        return (0, 1e6, 0.0, 0.0)
    if any(word in lowered for word in _BEFORE):
        return (0, -1.0, 0.0, 0.0)
    if any(word in lowered for word in _AFTER):
        return (0, 0.0, 0.0, 0.0)
    number = _ROUND.search(text)
    if number:
        return (2, float(number["n"] or number["m"] or number["k"]), 0.0, 0.0)
    return None


def order_waves(labels: Iterable[Any]) -> list[str]:
    """Distinct wave labels in time order.

    Named stages: 研修前 < 研修直後 = 研修後 < 1か月後 < 3か月後 < 6か月後 <
    フォローアップ (full-width digits and 三か月後 work too); dates such as
    ``2024/4/1``, ``2024-04-01`` or ``2024年4月`` go chronologically; numbered
    rounds (第1回, 2回目) by number. Labels tied on rank, and unknown labels
    after all known ones, keep first-seen order. Missing labels are dropped.

    Examples
    --------
    >>> order_waves(["3か月後", "研修後", "研修前"])
    ['研修前', '研修後', '3か月後']
    >>> order_waves(["フォローアップ", "６か月後", "研修直後", "事前", "その他"])
    ['事前', '研修直後', '６か月後', 'フォローアップ', 'その他']
    >>> order_waves(["2024年10月", "2024/4/1", "2023-12-01"])
    ['2023-12-01', '2024/4/1', '2024年10月']
    """
    if isinstance(labels, pd.Series | pd.Index):
        labels = labels.dropna().unique()
    seen = list(dict.fromkeys(str(label) for label in labels if not _is_missing(label)))
    keys = {label: _wave_key(label) for label in seen}

    def sort_key(label: str) -> tuple:
        key = keys[label]
        if key is None:
            return (9, 0.0, 0.0, 0.0, seen.index(label))
        return (*key, seen.index(label))

    return sorted(seen, key=sort_key)


def wave_pairs(waves: Sequence[str]) -> list[tuple[str, str]]:
    """Consecutive wave pairs, plus first -> last when there are three or more waves.

    >>> wave_pairs(["研修前", "研修後", "3か月後"])
    [('研修前', '研修後'), ('研修後', '3か月後'), ('研修前', '3か月後')]
    """
    pairs = list(zip(waves[:-1], waves[1:], strict=True))
    if len(waves) >= 3:
        pairs.append((waves[0], waves[-1]))
    return pairs


def _select_waves(
    answers: pd.DataFrame, waves: Sequence[str] | None
) -> tuple[pd.DataFrame, list[str]]:
    present = order_waves(answers["wave"])
    if waves is None:
        return _as_text_waves(_rows(answers, answers["wave"].notna())), present
    waves = [str(w) for w in waves]
    if len(set(waves)) != len(waves):
        raise ValueError(f"waves lists a wave twice: {waves}")
    missing = [w for w in waves if w not in present]
    if missing:
        raise SurveyError(f"回答時期「{'」「'.join(missing)}」のデータがありません")
    return _as_text_waves(_rows(answers, _in_waves(answers["wave"], waves))), waves


def _as_text_waves(answers: pd.DataFrame) -> pd.DataFrame:
    """``answers`` with wave labels as text, as :func:`order_waves` names them (1 -> "1")."""
    if pd.api.types.infer_dtype(answers["wave"], skipna=True) in ("string", "empty"):
        return answers
    return answers.assign(wave=answers["wave"].map(lambda w: w if _is_missing(w) else str(w)))


def _rows(answers: pd.DataFrame, keep: pd.Series) -> pd.DataFrame:
    """``answers.loc[keep]``, without copying every column when every row is kept."""
    return answers if bool(keep.all()) else answers.loc[keep]


def _in_waves(labels: pd.Series, waves: Sequence[str]) -> pd.Series:
    """True where a label is present and reads as one of ``waves`` (compared as text)."""
    if pd.api.types.infer_dtype(labels, skipna=True) in ("string", "empty"):
        chosen = [w for w in labels.dropna().unique() if str(w) in waves]
        return labels.isin(chosen)
    # Numbers as labels: 1 and 1.0 are equal as values but read "1" and "1.0" as text.
    return labels.map(lambda w: not _is_missing(w) and str(w) in waves).astype(bool)


# --------------------------------------------------------------------------- scores


def wave_scores(
    answers: pd.DataFrame,
    *,
    waves: Sequence[str] | None = None,
    min_group: int = MIN_GROUP_SCORES,
    confidence: float = stats.CONFIDENCE,
) -> pd.DataFrame:
    """Per role x wave x item: n, mean with t interval and the other item scores.

    Parameters
    ----------
    waves
        Waves to keep, in the order to show them; default: every wave in the
        answers, ordered by :func:`order_waves`.

    Returns
    -------
    DataFrame
        ``role``, ``wave`` (as text, like :func:`order_waves`: 1 -> "1"), then the columns of
        :func:`analysis.gaps.item_scores` (``item``, ``points``, ``reverse``,
        ``n``, ``mean``, ``mean_low``, ``mean_high``, ``score100``...,
        ``suppressed``), sorted by role, item and wave. Suppression is
        decided per wave over role x department and their totals.

    Examples
    --------
    >>> answers = pd.DataFrame({
    ...     "row": range(10), "respondent": pd.NA, "role": "一般社員",
    ...     "wave": ["研修後"] * 5 + ["研修前"] * 5, "department": pd.NA,
    ...     "item": "AIで仕事が楽になると思う", "points": 5, "reverse": False,
    ...     "value": [4.0, 5, 4, 3, 4, 2, 3, 3, 2, 3]})
    >>> wave_scores(answers)[["role", "wave", "n", "mean"]]
       role wave  n  mean
    0  一般社員  研修前  5   2.6
    1  一般社員  研修後  5   4.0
    """
    check_answers(answers)
    subset, order = _select_waves(answers, waves)
    return _wave_scores(subset, order, min_group=min_group, confidence=confidence)


def _wave_scores(
    subset: pd.DataFrame, order: Sequence[str], *, min_group: int, confidence: float
) -> pd.DataFrame:
    """:func:`wave_scores` of answers already checked and limited to the waves in ``order``."""
    scores = item_scores(subset, by=("wave", "role"), min_group=min_group, confidence=confidence)
    roles = order_roles(subset["role"])
    items = list(subset["item"].unique())
    rank = (
        scores["role"].map({r: i for i, r in enumerate(roles)}) * 10**6
        + scores["item"].map({t: i for i, t in enumerate(items)}) * 10**3
        + scores["wave"].map({w: i for i, w in enumerate(order)})
    )
    scores = scores.loc[rank.sort_values(kind="stable").index].reset_index(drop=True)
    front = ["role", "wave"]
    return scores[front + [c for c in scores.columns if c not in front]]


# --------------------------------------------------------------------------- change


@dataclass(frozen=True)
class _Coded:
    """The answers' group columns as integer codes (-1 = missing), factorized once per table.

    ``roles``, ``items``, ``waves`` hold the labels the codes stand for (first-seen
    order); ``value`` is NaN where the answer is blank.
    """

    role: np.ndarray
    item: np.ndarray
    wave: np.ndarray
    respondent: np.ndarray
    department: np.ndarray
    roles: np.ndarray
    items: np.ndarray
    waves: np.ndarray
    people: int
    row: np.ndarray
    value: np.ndarray

    @classmethod
    def of(cls, answers: pd.DataFrame) -> _Coded:
        codes, labels = {}, {}
        for column in ("role", "item", "wave", "respondent"):
            found, uniques = pd.factorize(answers[column], use_na_sentinel=True)
            codes[column] = found.astype(np.int64)
            labels[column] = np.asarray(uniques, dtype=object)
        # departments only split cells for the differencing check: missing is a group of its own
        codes["department"] = pd.factorize(answers["department"], use_na_sentinel=False)[0]
        answered = answers["value"].notna().to_numpy()
        value = np.full(len(answers), np.nan)
        value[answered] = np.asarray(answers["value"].to_numpy()[answered], dtype=float)
        return cls(
            **codes,
            roles=labels["role"],
            items=labels["item"],
            waves=labels["wave"],
            people=len(labels["respondent"]),
            row=answers["row"].to_numpy(),
            value=value,
        )

    def linked(self) -> bool:
        """True when some respondent ID appears in two or more waves."""
        known = (self.respondent >= 0) & (self.wave >= 0)
        person, wave = self.respondent[known], self.wave[known]
        some_wave = np.full(self.people, -1)
        some_wave[person] = wave  # one of each person's waves: any other one links them
        return bool(np.any(some_wave[person] != wave))

    def wave_code(self, label: str) -> int:
        return next((code for code, w in enumerate(self.waves) if w == label), -1)

    def groups(self, rows: np.ndarray, key: np.ndarray) -> list[np.ndarray]:
        """``rows`` split by ``key`` (one int per row), each part in its original order."""
        order = np.argsort(key, kind="stable")
        return np.split(rows[order], np.flatnonzero(np.diff(key[order])) + 1) if rows.size else []


def _linked(answers: pd.DataFrame) -> bool:
    """True when some respondent ID appears in two or more waves."""
    return _Coded.of(answers).linked()


def _answers_by_wave(coded: _Coded) -> dict[tuple, np.ndarray]:
    """``(role, item, wave) -> answers`` (blanks left out), in the order of the table."""
    c = coded
    rows = np.flatnonzero((c.role >= 0) & (c.item >= 0) & (c.wave >= 0) & ~np.isnan(c.value))
    key = (c.role[rows] * len(c.items) + c.item[rows]) * len(c.waves) + c.wave[rows]
    found = {}
    for part in c.groups(rows, key):
        i = part[0]
        found[(c.roles[c.role[i]], c.items[c.item[i]], c.waves[c.wave[i]])] = c.value[part]
    return found


def _paired_rows(
    coded: _Coded, pairs: Sequence[tuple[str, str]]
) -> dict[tuple, tuple[np.ndarray, np.ndarray]]:
    """``(role, item, from_wave, to_wave) -> (after rows, before rows)`` of people in both waves.

    Rows are positions in ``coded``. A person's last answered response row in
    a wave counts (people are linked by respondent within a role); pairs come
    in the row order of the ``from`` answers. It runs on integer codes (one
    sort by row, one hash of the codes, array look-ups), never a Python loop
    over answers or people.
    """
    c = coded
    rows = np.flatnonzero(
        (c.role >= 0) & (c.item >= 0) & (c.wave >= 0) & (c.respondent >= 0) & ~np.isnan(c.value)
    )
    rows = rows[np.argsort(c.row[rows], kind="stable")]
    role_item = c.role[rows] * len(c.items) + c.item[rows]
    person, persons = pd.factorize(role_item * c.people + c.respondent[rows])
    person = person.astype(np.int64)
    visit = pd.Series(person * len(c.waves) + c.wave[rows])
    latest = ~visit.duplicated(keep="last").to_numpy()
    rows, person, role_item = rows[latest], person[latest], role_item[latest]
    found: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    for first, second in pairs:
        before = np.flatnonzero(c.wave[rows] == c.wave_code(first))
        after = np.flatnonzero(c.wave[rows] == c.wave_code(second))
        slot = np.full(len(persons), -1)
        slot[person[after]] = after  # one answer per person and wave after `latest`
        match = slot[person[before]]
        before, after = before[match >= 0], match[match >= 0]
        for part in c.groups(np.arange(before.size), role_item[before]):
            role, item = divmod(int(role_item[before[part[0]]]), len(c.items))
            found[(c.roles[role], c.items[item], first, second)] = (
                rows[after[part]],
                rows[before[part]],
            )
    return found


def _unsafe_pairs(
    coded: _Coded,
    linked: dict[tuple, tuple[np.ndarray, np.ndarray]],
    pairs: Sequence[tuple[str, str]],
    *,
    min_group: int,
) -> dict[tuple, str]:
    """Paired changes that would publish a population too close to a published one.

    For each role x item, the answers of a wave are split into parts: first
    by department (the gaps page shows role x department cells), then, for
    every paired change shown so far (in the order of ``pairs``), into those
    in its pairs and the rest. A change is refused (with the Japanese reason)
    when it would cut a part into two where one side holds 1..min_group-1
    answers (:func:`analysis.privacy.safe_subset`); a refused change cuts
    nothing. So every number published (cells, their department cells,
    changes) is a sum over whole parts of at least ``min_group`` answers, or
    over a part that is a whole cell, and no combination of them isolates
    fewer people than that.

    ``linked`` is :func:`_paired_rows`. Changes with fewer than ``min_group``
    pairs are not listed (they are suppressed anyway and cut nothing).
    """
    c = coded
    answered = np.flatnonzero((c.role >= 0) & (c.item >= 0) & (c.wave >= 0) & ~np.isnan(c.value))
    key = (c.role[answered] * len(c.items) + c.item[answered]) * len(c.waves) + c.wave[answered]
    cells: dict[tuple, np.ndarray] = {}
    for part in c.groups(answered, key):
        i = part[0]
        cells[(c.roles[c.role[i]], c.items[c.item[i]], c.waves[c.wave[i]])] = part
    parts = {cell: c.department[rows].astype(np.int64) for cell, rows in cells.items()}
    refused: dict[tuple, str] = {}
    for first, second in pairs:
        for (role, item, a, b), (after, before) in linked.items():
            if (a, b) != (first, second) or before.size < min_group:
                continue
            cuts = []
            for wave, chosen in ((first, before), (second, after)):
                rows = cells[(role, item, wave)]
                cuts.append((rows, np.isin(rows, chosen), parts[(role, item, wave)]))
            whole_ok = all(safe_subset(rows.size, int(inside.sum()), min_group)
                           for rows, inside, _ in cuts)  # fmt: skip
            finer_ok = whole_ok and all(
                safe_subset(int((label == group).sum()), int(inside[label == group].sum()),
                            min_group)
                for _, inside, label in cuts
                for group in np.unique(label)
            )  # fmt: skip
            if not finer_ok:
                refused[(role, item, first, second)] = subset_note(min_group, finer=whole_ok)
                continue
            for wave, (_, inside, label) in zip((first, second), cuts, strict=True):
                parts[(role, item, wave)] = pd.factorize(label * 2 + inside)[0].astype(np.int64)
    return refused


_CHANGE_COLUMNS = [
    "role", "item", "from_wave", "to_wave", "method", "n_pairs", "n_from", "n_to",
    "effect", "effect_size", "effect_low", "effect_high", "diff", "diff_low", "diff_high",
    "rank_biserial", "p_rank", "p_t", "p_adj", "correction", "suppressed", "note",
]  # fmt: skip


def wave_changes(
    answers: pd.DataFrame,
    *,
    waves: Sequence[str] | None = None,
    min_group: int = MIN_GROUP_SCORES,
    paired: bool | None = None,
    correction: Literal["holm", "bh"] = CHANGE_CORRECTION,
    confidence: float = stats.CONFIDENCE,
) -> pd.DataFrame:
    """Change per role x item between consecutive waves and from first to last.

    Parameters
    ----------
    waves
        Waves in time order; default :func:`order_waves` of the answers.
    paired
        ``None`` (default): paired when some respondent ID appears in two
        waves, else unpaired. ``True`` forces paired (error without IDs),
        ``False`` forces unpaired.

    Returns
    -------
    DataFrame
        ``role``, ``item``, ``from_wave``, ``to_wave``, ``method``
        (``"paired"`` or ``"unpaired"``), ``n_pairs`` (linked people with an
        answer in both waves; 0 for unpaired rows), ``n_from``, ``n_to``
        (answers in each wave), ``effect`` and ``effect_size`` with
        ``effect_low``/``effect_high`` (``"d_z"`` = mean change / sd of
        change, noncentral-t interval, when paired; ``"cliffs_delta"`` when
        unpaired), ``diff`` = mean(to) - mean(from) with its paired-t / Welch
        interval, ``rank_biserial`` (matched-pairs r when paired; for
        independent groups it equals Cliff's delta), ``p_rank`` (Wilcoxon
        signed-rank / Mann-Whitney U), ``p_t`` (paired t / Welch t),
        ``p_adj`` (``p_rank`` adjusted over the table, Holm by default),
        ``correction``, ``suppressed`` and ``note`` (why a row is
        suppressed, in Japanese; ``None`` when shown).

        A row is suppressed (nulls, counts 0) when either wave's cell is
        hidden or, when paired, fewer than ``min_group`` pairs link the
        waves, or the pairs leave 1..``min_group``-1 answers of either wave's
        cell out, in the whole cell or in one department of it, or together
        with the pairs of a change listed before it (the cell's mean minus
        the change would give those few answers away; see
        :func:`analysis.privacy.safe_subset`). Such a row falls back to the
        unpaired comparison of the whole cells (``method`` ``"unpaired"``,
        ``n_pairs`` 0, the reason in ``note``), which publishes no population
        the cells do not. Means of the linked subset are never shown, only the change.
        A person who answered a wave twice counts with their last answer.

    Examples
    --------
    >>> answers = pd.DataFrame({
    ...     "row": range(10), "respondent": [f"p{i}" for i in range(5)] * 2,
    ...     "role": "一般社員", "wave": ["研修前"] * 5 + ["研修後"] * 5, "department": pd.NA,
    ...     "item": "AIで仕事が楽になると思う", "points": 5, "reverse": False,
    ...     "value": [2.0, 3, 3, 2, 3, 4, 5, 4, 3, 4]})
    >>> row = wave_changes(answers).iloc[0]
    >>> row["method"], int(row["n_pairs"]), round(float(row["diff"]), 2), row["effect"]
    ('paired', 5, 1.4, 'd_z')
    """
    check_answers(answers)
    check_min_group(min_group)
    subset, order = _select_waves(answers, waves)
    if paired is True and not _linked(subset):
        raise SurveyError("回答者IDで回答時期をつなげないため、対応のある比較はできません")
    cells = _wave_scores(subset, order, min_group=min_group, confidence=confidence)
    return _changes(
        subset,
        order,
        cells,
        min_group=min_group,
        paired=paired,
        correction=correction,
        confidence=confidence,
    )


_AS_UNPAIRED = "。時期ごとの全回答を対応なしで比べた結果を示しています"


def _changes(
    subset: pd.DataFrame,
    order: Sequence[str],
    cells: pd.DataFrame,
    *,
    min_group: int,
    paired: bool | None,
    correction: Literal["holm", "bh"],
    confidence: float,
) -> pd.DataFrame:
    """:func:`wave_changes` from answers already limited to ``order`` and their wave scores."""
    coded = _Coded.of(subset)
    method = "paired" if (coded.linked() if paired is None else paired) else "unpaired"
    cell = {
        (r.role, r.wave, r.item): (int(r.n), bool(r.suppressed))
        for r in cells.itertuples(index=False)
    }
    values: dict[tuple, np.ndarray] = {}
    people: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    refused: dict[tuple, str] = {}
    if method == "paired":
        linked = _paired_rows(coded, wave_pairs(order))
        refused = _unsafe_pairs(coded, linked, wave_pairs(order), min_group=min_group)
        people = {
            key: (coded.value[after], coded.value[before])
            for key, (after, before) in linked.items()
        }
    values = _answers_by_wave(coded)  # whole cells: unpaired, and paired when refused

    def unpaired(record: dict[str, Any]) -> None:
        role, item, first, second = (record[k] for k in ("role", "item", "from_wave", "to_wave"))
        result = stats.unpaired_tests(
            values.get((role, item, second), np.empty(0)),
            values.get((role, item, first), np.empty(0)),
            confidence=confidence,
        )
        record.update(
            method="unpaired",
            effect="cliffs_delta",
            effect_size=result.cliffs_delta,
            effect_low=result.cliffs_delta_low,
            effect_high=result.cliffs_delta_high,
            diff=result.diff,
            diff_low=result.diff_low,
            diff_high=result.diff_high,
            rank_biserial=result.cliffs_delta,
            p_rank=result.p_mannwhitney,
            p_t=result.p_welch,
            suppressed=False,
        )

    records = []
    items = subset["item"].unique()
    for role in order_roles(subset["role"]):
        for item in items:
            for first, second in wave_pairs(order):
                if (role, first, item) not in cell and (role, second, item) not in cell:
                    continue  # the item was not asked to this role in either wave
                n_from, hidden_from = cell.get((role, first, item), (0, True))
                n_to, hidden_to = cell.get((role, second, item), (0, True))
                record: dict[str, Any] = {
                    "role": role, "item": item, "from_wave": first, "to_wave": second,
                    "method": method, "n_pairs": 0, "n_from": n_from, "n_to": n_to,
                    "effect": "d_z" if method == "paired" else "cliffs_delta",
                    "suppressed": True, "note": None,
                }  # fmt: skip
                if hidden_from or hidden_to:
                    record["n_from"] = 0 if hidden_from else n_from
                    record["n_to"] = 0 if hidden_to else n_to
                    record["note"] = f"回答が{min_group}人未満の時期があるため表示していません"
                elif method == "unpaired":
                    unpaired(record)
                else:
                    after, before = people.get((role, item, first, second), (np.empty(0),) * 2)
                    if before.size < min_group:
                        record["note"] = (
                            f"対応のある（両方の時期に答えた）人が{min_group}人未満のため"
                            "表示していません"
                        )
                    elif (role, item, first, second) in refused:
                        # the whole cells are published anyway: compare them, never the pairs
                        unpaired(record)
                        record["note"] = refused[(role, item, first, second)] + _AS_UNPAIRED
                    else:
                        result = stats.paired_tests(after, before, confidence=confidence)
                        record.update(
                            n_pairs=result.n_pairs,
                            effect_size=result.d_z,
                            effect_low=result.d_z_low,
                            effect_high=result.d_z_high,
                            diff=result.diff,
                            diff_low=result.diff_low,
                            diff_high=result.diff_high,
                            rank_biserial=result.rank_biserial,
                            p_rank=result.p_wilcoxon,
                            p_t=result.p_t,
                            suppressed=False,
                        )
                records.append(record)
    table = pd.DataFrame.from_records(records, columns=_CHANGE_COLUMNS)
    numbers = ["effect_size", "effect_low", "effect_high", "diff", "diff_low", "diff_high",
               "rank_biserial", "p_rank", "p_t"]  # fmt: skip
    table[numbers] = table[numbers].astype("float64")
    for column in ("n_pairs", "n_from", "n_to"):
        table[column] = table[column].fillna(0).astype(int)
    table["suppressed"] = table["suppressed"].astype(bool)
    table["p_adj"] = stats.adjust_pvalues(table["p_rank"].to_numpy(), method=correction)
    table["correction"] = correction
    return table


# --------------------------------------------------------------------------- retention


def retention(
    answers: pd.DataFrame,
    *,
    waves: Sequence[str] | None = None,
    baseline: str | None = None,
    post: str | None = None,
    follow_up: str | None = None,
    min_group: int = MIN_GROUP_SCORES,
) -> pd.DataFrame:
    """Share of the post-training gain still there at follow-up, per role x item.

    ``retention = (mean_follow_up - mean_baseline) / (mean_post - mean_baseline)``:
    1 = the whole gain kept, 0 = back to baseline, above 1 = still growing.
    Defined only when the post-training change went the favourable way (up
    for ordinary items, down for reverse items) and is not zero; otherwise NaN.
    It is a ratio of visible cell means; no interval is given.

    Parameters
    ----------
    waves
        Wave order; default :func:`order_waves`. ``baseline``, ``post`` and
        ``follow_up`` default to the first, second and last of them.

    Returns
    -------
    DataFrame
        ``role``, ``item``, ``baseline``, ``post``, ``follow_up`` (wave labels),
        ``mean_baseline``, ``mean_post``, ``mean_follow_up``, ``gain``
        (post - baseline), ``kept`` (follow_up - baseline), ``retention``,
        ``suppressed`` (any of the three cells hidden).

    Examples
    --------
    >>> answers = pd.DataFrame({
    ...     "row": range(15), "respondent": pd.NA, "role": "管理職",
    ...     "wave": ["研修前"] * 5 + ["研修後"] * 5 + ["3か月後"] * 5, "department": pd.NA,
    ...     "item": "一人で抱え込まなくてよくなった", "points": 5, "reverse": False,
    ...     "value": [2.0, 2, 3, 2, 3, 4, 4, 5, 4, 4, 4, 3, 4, 3, 4]})
    >>> retention(answers)[["role", "gain", "kept", "retention"]].round(2)
      role  gain  kept  retention
    0  管理職   1.8   1.2       0.67
    """
    check_answers(answers)
    order = list(waves) if waves is not None else order_waves(answers["wave"])
    if len(order) < 3 and None in (baseline, post, follow_up):
        raise SurveyError("定着率には研修前・研修後・フォローアップの3つの回答時期が必要です")
    baseline = order[0] if baseline is None else baseline
    post = order[1] if post is None else post
    follow_up = order[-1] if follow_up is None else follow_up
    if len({baseline, post, follow_up}) != 3:
        raise ValueError(
            f"baseline, post and follow_up must differ: {baseline}, {post}, {follow_up}"
        )
    cells = wave_scores(answers, waves=[baseline, post, follow_up], min_group=min_group)
    return _retention(cells, baseline, post, follow_up)


def _retention(cells: pd.DataFrame, baseline: str, post: str, follow_up: str) -> pd.DataFrame:
    """:func:`retention` from wave scores that include the three waves."""
    lookup = {(r.role, r.item, r.wave): r for r in cells.itertuples(index=False)}
    records = []
    for role in order_roles(cells["role"]):
        for item in cells["item"].unique():
            rows = [lookup.get((role, item, w)) for w in (baseline, post, follow_up)]
            if all(r is None for r in rows):
                continue  # the item was not asked to this role
            record: dict[str, Any] = {
                "role": role, "item": item,
                "baseline": baseline, "post": post, "follow_up": follow_up,
            }  # fmt: skip
            if any(r is None or r.suppressed for r in rows):
                record["suppressed"] = True
                records.append(record)
                continue
            m0, m1, m2 = (float(r.mean) for r in rows)
            gain, kept = m1 - m0, m2 - m0
            favourable = gain < 0 if bool(rows[0].reverse) else gain > 0
            record.update(
                mean_baseline=m0,
                mean_post=m1,
                mean_follow_up=m2,
                gain=gain,
                kept=kept,
                retention=kept / gain if favourable else math.nan,
                suppressed=False,
            )
            records.append(record)
    columns = ["role", "item", "baseline", "post", "follow_up", "mean_baseline", "mean_post",
               "mean_follow_up", "gain", "kept", "retention", "suppressed"]  # fmt: skip
    table = pd.DataFrame.from_records(records, columns=columns)
    numbers = columns[5:-1]
    table[numbers] = table[numbers].astype("float64")
    table["suppressed"] = table["suppressed"].astype(bool)
    return table


# --------------------------------------------------------------------------- JSON payload


def trends_payload(
    answers: pd.DataFrame,
    *,
    waves: Sequence[str] | None = None,
    min_group: int = MIN_GROUP_SCORES,
) -> dict:
    """Wave cells and paired changes as plain JSON-ready data for the CLI.

    Returns
    -------
    dict
        ``{"cells": [{"role", "wave", "item", "n", "mean", "ci", "suppressed"}],
        "paired": [{"role", "item", "from", "to", "n_pairs", "diff",
        "effect_size", "p", "note"}]}``. ``ci`` is the 95% t interval ``[low, high]``;
        in ``paired`` ``effect_size`` is d_z and ``p`` the Wilcoxon
        signed-rank p (unadjusted); ``note`` says in Japanese why an entry is
        suppressed (``None`` when shown): a change whose pairs would differ
        from a wave's cell by 1..min_group-1 people is listed with no numbers
        (:func:`wave_changes` compares its whole cells unpaired instead).
        ``paired`` lists only changes measured on
        linked respondents; it is empty when no respondent ID links the waves
        (use :func:`wave_changes` for the unpaired comparison). Suppressed
        entries report ``n``/``n_pairs`` 0 and ``None`` for every number.

    Examples
    --------
    >>> answers = pd.DataFrame({
    ...     "row": range(6), "respondent": pd.NA, "role": "経営層",
    ...     "wave": ["研修前"] * 3 + ["研修後"] * 3, "department": pd.NA,
    ...     "item": "AIを使う意向がある", "points": 5, "reverse": False,
    ...     "value": [3.0, 4, 4, 5, 4, 5]})
    >>> trends_payload(answers)
    {'cells': [{'role': '経営層', 'wave': '研修前', 'item': 'AIを使う意向がある', 'n': 0, 'mean': None, 'ci': None, 'suppressed': True}, {'role': '経営層', 'wave': '研修後', 'item': 'AIを使う意向がある', 'n': 0, 'mean': None, 'ci': None, 'suppressed': True}], 'paired': []}
    """
    check_answers(answers)
    subset, order = _select_waves(answers, waves)
    cells = wave_scores(subset, waves=order, min_group=min_group)
    changes = _changes(
        subset,
        order,
        cells,
        min_group=min_group,
        paired=None,
        correction=CHANGE_CORRECTION,
        confidence=stats.CONFIDENCE,
    )
    cell_list = []
    for r in cells.itertuples(index=False):
        low, high = _json_float(r.mean_low), _json_float(r.mean_high)
        hidden = bool(r.suppressed)
        cell_list.append(
            {
                "role": str(r.role),
                "wave": str(r.wave),
                "item": str(r.item),
                "n": 0 if hidden else int(r.n),
                "mean": None if hidden else _json_float(r.mean),
                "ci": None if hidden or low is None or high is None else [low, high],
                "suppressed": hidden,
            }
        )
    paired = []
    linked = _Coded.of(subset).linked()
    for r in changes.itertuples(index=False):
        if r.method != "paired" and not linked:
            continue
        hidden = bool(r.suppressed) or r.method != "paired"  # fell back: no paired numbers
        paired.append(
            {
                "role": str(r.role),
                "item": str(r.item),
                "from": str(r.from_wave),
                "to": str(r.to_wave),
                "n_pairs": 0 if hidden else int(r.n_pairs),
                "diff": None if hidden else _json_float(r.diff),
                "effect_size": None if hidden else _json_float(r.effect_size),
                "p": None if hidden else _json_float(r.p_rank),
                "note": None if r.note is None or _is_missing(r.note) else str(r.note),
            }
        )
    return {"cells": cell_list, "paired": paired}
