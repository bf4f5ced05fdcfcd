"""The two real open-data exports in ``../shared/realdata`` (福井県観光連盟, CC BY 4.0) as test
and benchmark input: their free-text answers, and distinct pairs of them as longer answers."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
EXPORTS = ["daily_20220501_cp932_2row_header.csv", "monthly_202301_utf8bom.csv"]
needs_realdata = pytest.mark.skipif(
    not all((REALDATA / name).exists() for name in EXPORTS), reason="../shared/realdata absent"
)


@cache
def real_answers() -> tuple[str, ...]:
    """Every distinct answer of every free-text column of both exports, in file order."""
    from analysis.schema import load_survey
    from analysis.text import is_no_answer

    seen: dict[str, None] = {}
    for name in EXPORTS:
        survey = load_survey(REALDATA / name)
        frame = survey.table.frame
        for column in survey.schema.free_text:
            for value in frame[column].dropna().astype(str):
                if not is_no_answer(value):
                    seen.setdefault(value, None)
    return tuple(seen)


def answer_pairs(n: int, seed: int) -> list[str]:
    """``n`` distinct answers, each two real answers joined with 「。」."""
    answers = real_answers()
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < n:
        first, second = rng.sample(answers, 2)
        seen[f"{first}。{second}"] = None
    return list(seen)
