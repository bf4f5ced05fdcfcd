"""Japanese Likert scales: which scale a column uses, and its answers as numbers.

A scale lists its labels from least to most agreement, so an answer's score is
its position (1 = the lowest label). Labels are compared after NFKC
normalisation with spaces removed, so ｢とても そう思う｣ and full-width digits
match. Labels no scale knows are reported, never guessed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from analysis import vocab


@dataclass(frozen=True)
class Scale:
    """An ordered set of answer labels, lowest agreement first."""

    name: str
    labels: tuple[str, ...]
    synonyms: tuple[tuple[str, str], ...] = ()  # (variant, canonical label)

    @property
    def points(self) -> int:
        return len(self.labels)

    @property
    def numeric(self) -> bool:
        """Answers are numbers (1-5, or codes such as 10-13), not worded labels."""
        return all(label.isdigit() for label in self.labels)

    def score_of(self) -> dict[str, int]:
        """Normalised label -> score (1..points), synonyms included."""
        scores = {normalise_label(label): i + 1 for i, label in enumerate(self.labels)}
        for variant, canonical in self.synonyms:
            if normalise_label(canonical) in scores:
                scores.setdefault(normalise_label(variant), scores[normalise_label(canonical)])
        return scores

    @property
    def midpoint(self) -> str | None:
        """The neutral label (どちらともいえない) of an odd-point scale."""
        return self.labels[self.points // 2] if self.points % 2 else None


_AGREE_SYNONYMS = (
    ("全くそう思わない", "まったくそう思わない"),
    ("全然そう思わない", "まったくそう思わない"),
    ("どちらとも言えない", "どちらともいえない"),
    ("どちらでもない", "どちらともいえない"),
    ("非常にそう思う", "とてもそう思う"),
    ("強くそう思う", "とてもそう思う"),
    ("大変そう思う", "とてもそう思う"),
)
_APPLY_SYNONYMS = (
    ("当てはまる", "あてはまる"),
    ("当てはまらない", "あてはまらない"),
    ("全くあてはまらない", "まったくあてはまらない"),
    ("やや当てはまる", "ややあてはまる"),
    ("あまり当てはまらない", "あまりあてはまらない"),
    ("どちらとも言えない", "どちらともいえない"),
    ("どちらでもない", "どちらともいえない"),
)
_SATISFY_SYNONYMS = (
    ("非常に満足", "とても満足"),
    ("大変満足", "とても満足"),
    ("非常に不満", "とても不満"),
    ("大変不満", "とても不満"),
    ("どちらともいえない", "どちらでもない"),
    ("どちらとも言えない", "どちらでもない"),
    ("普通", "どちらでもない"),
)

SCALES: tuple[Scale, ...] = (
    Scale(
        "agree5",
        (
            "まったくそう思わない",
            "そう思わない",
            "どちらともいえない",
            "そう思う",
            "とてもそう思う",
        ),
        _AGREE_SYNONYMS,
    ),
    Scale(
        "agree5_soft",
        ("そう思わない", "あまりそう思わない", "どちらともいえない", "ややそう思う", "そう思う"),
        _AGREE_SYNONYMS[2:4],
    ),
    Scale(
        "agree4",
        ("まったくそう思わない", "あまりそう思わない", "ややそう思う", "とてもそう思う"),
        _AGREE_SYNONYMS[:2] + _AGREE_SYNONYMS[4:] + (("まあそう思う", "ややそう思う"),),
    ),
    Scale(
        "agree4_plain",
        ("そう思わない", "どちらかといえばそう思わない", "どちらかといえばそう思う", "そう思う"),
        (
            ("どちらかと言えばそう思わない", "どちらかといえばそう思わない"),
            ("どちらかと言えばそう思う", "どちらかといえばそう思う"),
        ),
    ),  # fmt: skip
    Scale(
        "agree6",
        (
            "まったくそう思わない",
            "そう思わない",
            "あまりそう思わない",
            "ややそう思う",
            "そう思う",
            "とてもそう思う",
        ),
        _AGREE_SYNONYMS[:2] + _AGREE_SYNONYMS[4:],
    ),  # fmt: skip
    Scale(
        "agree7",
        (
            "まったくそう思わない",
            "そう思わない",
            "あまりそう思わない",
            "どちらともいえない",
            "ややそう思う",
            "そう思う",
            "とてもそう思う",
        ),
        _AGREE_SYNONYMS,
    ),  # fmt: skip
    Scale(
        "apply5",
        (
            "あてはまらない",
            "あまりあてはまらない",
            "どちらともいえない",
            "ややあてはまる",
            "あてはまる",
        ),
        _APPLY_SYNONYMS,
    ),
    Scale(
        "apply5_strong",
        (
            "まったくあてはまらない",
            "あてはまらない",
            "どちらともいえない",
            "あてはまる",
            "とてもあてはまる",
        ),
        _APPLY_SYNONYMS + (("非常にあてはまる", "とてもあてはまる"),),
    ),  # fmt: skip
    Scale(
        "apply4",
        ("あてはまらない", "あまりあてはまらない", "ややあてはまる", "あてはまる"),
        _APPLY_SYNONYMS[:2] + _APPLY_SYNONYMS[3:5],
    ),
    Scale(
        "satisfy5",
        ("とても不満", "不満", "どちらでもない", "満足", "とても満足"),
        _SATISFY_SYNONYMS,
    ),
    Scale(
        "satisfy5_soft",
        ("不満", "やや不満", "どちらでもない", "やや満足", "満足"),
        _SATISFY_SYNONYMS[4:],
    ),
    Scale("satisfy4", ("不満", "やや不満", "やや満足", "満足")),
    Scale(
        "agree4_soft",
        ("そう思わない", "あまりそう思わない", "ややそう思う", "そう思う"),
        (
            ("どちらかといえばそう思う", "ややそう思う"),
            ("どちらかといえばそう思わない", "あまりそう思わない"),
        ),
    ),
    Scale(
        "agree5_en",
        ("strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree"),
        (
            ("neutral", "neither agree nor disagree"),
            ("neither disagree nor agree", "neither agree nor disagree"),
        ),
    ),
    Scale(
        "agree7_en",
        (
            "strongly disagree",
            "disagree",
            "somewhat disagree",
            "neither agree nor disagree",
            "somewhat agree",
            "agree",
            "strongly agree",
        ),
        (("neutral", "neither agree nor disagree"),),
    ),  # fmt: skip
    Scale("agree4_en", ("strongly disagree", "disagree", "agree", "strongly agree")),
    Scale(
        "satisfy5_en",
        (
            "very dissatisfied",
            "dissatisfied",
            "neither satisfied nor dissatisfied",
            "satisfied",
            "very satisfied",
        ),
        (
            ("neutral", "neither satisfied nor dissatisfied"),
            ("extremely dissatisfied", "very dissatisfied"),
            ("extremely satisfied", "very satisfied"),
            ("somewhat dissatisfied", "dissatisfied"),
            ("somewhat satisfied", "satisfied"),
        ),
    ),  # fmt: skip
    Scale("numeric4", ("1", "2", "3", "4")),
    Scale("numeric5", ("1", "2", "3", "4", "5")),
    Scale("numeric6", ("1", "2", "3", "4", "5", "6")),
    Scale("numeric7", ("1", "2", "3", "4", "5", "6", "7")),
)


class _ScalesByName(dict):
    """Scales by name; ``codes10-13`` names a coded scale (see :func:`coded_scale`)."""

    def __missing__(self, name: str) -> Scale:
        found = _CODED_NAME.fullmatch(str(name))
        if not found or not MIN_CODED <= int(found[2]) - int(found[1]) + 1 <= MAX_CODED:
            raise KeyError(name)
        low, high = int(found[1]), int(found[2])
        return Scale(name, tuple(str(v) for v in range(low, high + 1)))

    def __contains__(self, name: object) -> bool:
        try:
            self[name]
        except KeyError:
            return False
        return True


_CODED_NAME = re.compile(r"codes(\d{1,3})-(\d{1,3})")
MIN_CODED, MAX_CODED = 4, 7  # points of a coded scale
SCALES_BY_NAME: dict[str, Scale] = _ScalesByName({scale.name: scale for scale in SCALES})


def coded_scale(values: Iterable[object]) -> Scale | None:
    """A grid's answers coded as consecutive numbers other than 1-n (Qualtrics recodes: 10-13).

    >>> coded_scale(["10", "12", "13", "11"]).name, coded_scale(["1", "2"]) is None
    ('codes10-13', True)
    """
    numbers = {normalise_label(v) for v in values if _present(v)}
    if len(numbers) < 2 or not all(n.isdigit() and len(n) <= 3 for n in numbers):
        return None
    low, high = min(map(int, numbers)), max(map(int, numbers))
    if low in (0, 1) or not MIN_CODED <= high - low + 1 <= MAX_CODED:
        return None  # 1-n is a plain numeric scale; 0-10 is an NPS, not a Likert item
    return SCALES_BY_NAME[f"codes{low}-{high}"]


_NUMBER_PREFIX = re.compile(r"^(?P<number>[1-7])\s*(?P<mark>[:：.．)）_\-]?)\s*(?P<rest>\D.*)?$")


def normalise_label(label: str) -> str:
    """NFKC, no spaces, no surrounding punctuation.

    >>> normalise_label("　とても そう思う ")
    'とてもそう思う'
    >>> normalise_label("５")
    '5'
    """
    text = unicodedata.normalize(
        "NFKC", html.unescape(str(label)) if "&" in str(label) else str(label)
    )
    return re.sub(r"\s+", "", text).strip("。.、,").lower()


def _answer_keys(label: str) -> tuple[str, ...]:
    """Ways an answer may match: itself, and its number in 「5: とてもそう思う」.

    The number counts only after a mark or before a scale's label (「5月」 is no score).

    >>> _answer_keys("5: とてもそう思う"), _answer_keys("5月")
    (('5:とてもそう思う', 'とてもそう思う', '5'), ('5月',))
    """
    key = normalise_label(label)
    numbered = _NUMBER_PREFIX.match(key)
    if numbered and numbered["rest"]:
        rest = normalise_label(numbered["rest"])
        if numbered["mark"] or rest in _ANY_LABEL:
            return (key, rest, numbered["number"])
    return (key,)


def _fit(scale: Scale, answers: Counter[str], keys: dict[str, tuple[str, ...]]) -> tuple[int, int]:
    """How many answers the scale explains, and how many of its labels they use."""
    scores = scale.score_of()
    matched, used = 0, set()
    for label, n in answers.items():
        score_ = next((scores[k] for k in keys[label] if k in scores), None)
        if score_ is not None:
            matched += n
            used.add(score_)
    return matched, len(used)


_ANY_LABEL = frozenset(  # every label and synonym of a scale with words, normalised
    normalise_label(label)
    for scale in SCALES
    for label in (*scale.labels, *(variant for variant, _ in scale.synonyms))
    if not label.isdigit()
)
_ANY_SCALE = frozenset(key for scale in SCALES for key in scale.score_of())


def _keys_if_a_scale_can_fit(
    answers: Counter[str], total: int
) -> dict[str, tuple[str, ...]] | None:
    """Each distinct answer's keys, or None once too many answers fit no scale at all.

    The most common answers come first, so a free-text column (thousands of
    distinct answers) is given up after a tenth of its answers, not read whole.
    """
    keys: dict[str, tuple[str, ...]] = {}
    unexplained = 0
    for label, n in answers.most_common():
        keys[label] = _answer_keys(label)
        if _ANY_SCALE.isdisjoint(keys[label]):
            unexplained += n
            if total - unexplained < 0.9 * total:
                return None
    return keys


def detect_scale(values: Iterable[object]) -> Scale | None:
    """The scale that explains the given answers best, or ``None``.

    At least 90% of the non-blank answers (and two distinct labels) must be
    labels of the scale. Among scales that explain as many answers, the one
    whose labels are most fully used wins (so あてはまる/ややあてはまる/あてはまらない
    is 4-point, not a 5-point scale missing two labels), then the 5-point one.

    >>> detect_scale(["そう思う", "どちらとも言えない", "とてもそう思う"]).name
    'agree5'
    >>> detect_scale(["満足", "とても満足", "不満"]).points
    5
    >>> detect_scale(["3", "５", "1", "2"]).name
    'numeric5'
    >>> detect_scale(["はい", "いいえ"]) is None
    True
    """
    return next((scale for scale, evident in _ranked_scales(values) if evident), None)


def fitting_scales(values: Iterable[object]) -> list[Scale]:
    """Every scale that explains at least 90% of the answers, best first (see ``detect_scale``).

    The upload page offers these when HR corrects a column's scale.

    >>> [s.name for s in fitting_scales(["1", "2", "5"])]
    ['numeric5', 'numeric6', 'numeric7']
    >>> [s.name for s in fitting_scales(["1", "2", "3"])][:2]  # offered, though not detected
    ['numeric4', 'numeric5']
    """
    return [scale for scale, _ in _ranked_scales(values)]


def scale_with_only(label: str) -> Scale | None:
    """The scale of a column where everyone gave the same (non-numeric) answer, or ``None``.

    Prefers 5-point scales, then the order of :data:`SCALES`.

    >>> scale_with_only("そう思う").name, scale_with_only("3") is None
    ('agree5', True)
    """
    keys = _answer_keys(label)
    if keys[0].isdigit():
        return None
    holding = [s for s in SCALES if not set(keys).isdisjoint(s.score_of())]
    return min(holding, key=lambda s: (s.points != 5, SCALES.index(s)), default=None)


def _ranked_scales(values: Iterable[object]) -> list[tuple[Scale, bool]]:
    """Scales explaining the answers, best first, each with whether it would be detected."""
    answers = answer_counts(values)
    total = sum(answers.values())
    keys = _keys_if_a_scale_can_fit(answers, total) if total else None
    if keys is None or len({k[0] for k in keys.values()}) < 2:  # k[0]: the label normalised
        return []
    ranked = []
    for order, scale in enumerate(SCALES):
        matched, used = _fit(scale, answers, keys)
        if matched < 0.9 * total:
            continue
        if scale.numeric and not _fits_numeric(scale, keys):
            continue
        reaches_top = not scale.numeric or _reaches_top(scale, keys)
        rank = (reaches_top, matched, used / scale.points, scale.points == 5, -order)
        ranked.append((rank, scale, reaches_top))
    ranked.sort(key=lambda entry: entry[0], reverse=True)
    return [(scale, evident) for _, scale, evident in ranked]


def answer_counts(values: Iterable[object]) -> Counter[str]:
    """How often each non-blank answer occurs, as text.

    A column of text (the usual case: cells as read from a file) is counted by
    pandas in one pass; a ``Counter`` is taken as already counted; anything
    else one value at a time.
    """
    if isinstance(values, Counter):
        return values
    if isinstance(values, pd.Series) and pd.api.types.infer_dtype(values, skipna=True) in (
        "string",
        "empty",
    ):
        counts = values.value_counts(sort=False, dropna=True)  # strip each distinct value once
        counts = counts[[bool(str(v).strip()) for v in counts.index]]
        return Counter({str(v): int(n) for v, n in counts.items()})
    return Counter(str(v) for v in values if _present(v))


def _fits_numeric(scale: Scale, keys: dict[str, tuple[str, ...]]) -> bool:
    """Every answer is one of the scale's numbers."""
    return {k[0] for k in keys.values()} <= set(scale.score_of())


def _reaches_top(scale: Scale, keys: dict[str, tuple[str, ...]]) -> bool:
    """Numbers are detected as a scale only when they reach its top (1-5 uses 5, not just 1-3)."""
    return str(scale.points) in {k[0] for k in keys.values()}


def _present(value: object) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and pd.isna(value))
        and bool(str(value).strip())
    )


def score(values: pd.Series, scale: Scale) -> pd.Series:
    """Answers as numbers 1..points on ``scale``; blank and unknown answers are NaN.

    >>> score(pd.Series(["そう思う", None, "まったく そう思わない", "?"]), SCALES_BY_NAME["agree5"])
    0    4.0
    1    NaN
    2    1.0
    3    NaN
    dtype: float64
    """
    scores = scale.score_of()

    def one(value: object) -> float:
        if not _present(value):
            return float("nan")
        found = (scores[k] for k in _answer_keys(str(value)) if k in scores)
        return float(next(found, float("nan")))

    present = values[values.notna()]
    lookup = {value: one(value) for value in present.unique()}  # each label parsed once
    return values.map(
        lambda v: lookup.get(v, float("nan")) if v is not None else float("nan")
    ).astype("float64")


def unknown_labels(values: pd.Series, scale: Scale) -> Counter[str]:
    """Non-blank answers that are not labels of ``scale``, with their counts.

    >>> unknown_labels(pd.Series(["そう思う", "わからない", "わからない"]), SCALES_BY_NAME["agree5"])
    Counter({'わからない': 2})
    """
    scores = scale.score_of()
    return Counter(
        {
            label: n
            for label, n in answer_counts(values).items()  # each distinct answer tested once
            if not any(k in scores for k in _answer_keys(label))
        }
    )


def reverse_cue(label: str) -> str | None:
    """The negative wording that makes agreement unfavourable, or ``None``.

    A negative word (:data:`analysis.vocab.NEGATIVE_WORDS`) counts unless its
    own clause negates or lowers it (「不安はない」「残業が減る」「無駄な作業が
    なくなる」) or turns it into voicing it (「不安を話せる」); a good thing lost
    (「仕事がなくなる」) counts too. 「…のではないか」 is not a negation.

    >>> reverse_cue("AIに自分の仕事を奪われるのではないかと不安だ")
    '不安'
    >>> reverse_cue("AIで自分の仕事が楽になると思う") is None
    True
    >>> reverse_cue("AIについての不安や疑問を職場で率直に話せる") is None
    True
    >>> reverse_cue("AIへの不安はない"), reverse_cue("生成AIの操作は難しいと感じる")
    (None, '難しい')
    """
    text = unicodedata.normalize("NFKC", label).lower()
    found = []
    for word in vocab.NEGATIVE_WORDS:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            before = text[max(0, start - 12) : start] if word.isascii() else ""  # "not worried"
            if not _turned(text[end:]) and not vocab.NEGATION.search(before):
                found.append(word)
                break
            start = text.find(word, end)
    if found:
        return found[0]
    lost = vocab.GOOD_THING_LOST.search(text)
    return lost["loss"] if lost and not _turned(text[lost.end() :]) else None


def _turned(after: str) -> bool:
    """Whether the rest of a negative word's clause negates, lowers or voices it."""
    clause = re.split(r"[、。,.!?！？]", after, maxsplit=1)[0][: vocab.CLAUSE_CHARS]
    return bool(vocab.NEGATION.search(clause)) or any(t in clause for t in vocab.VOICING)


def favourable_score(values: pd.Series, *, points: int, reverse: bool) -> pd.Series:
    """Scores turned so that a high value is always favourable.

    >>> favourable_score(pd.Series([1.0, 5.0]), points=5, reverse=True).tolist()
    [5.0, 1.0]
    """
    return points + 1 - values if reverse else values.copy()
