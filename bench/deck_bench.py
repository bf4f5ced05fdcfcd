"""Deck export: ``build_deck`` on the bundled sample against a raw parse of its free text.

The sample is ``sample_data/ai_survey_google_forms.csv`` (867 answer sheets,
10 Likert items, 3 free-text questions). The baseline is one default
``Tagger().parse`` per non-blank free-text answer of the sample (every
question, duplicates included, as ``build_deck`` receives them): the
morphological analysis no deck can skip. "first" is the first ``build_deck`` in
this process; the ratio uses the best of 3 later builds, alternating with the
baseline.
"""

from __future__ import annotations

import datetime as dt
import time

from analysis.deck import build_deck
from analysis.schema import load_survey
from bench import common
from bench.tokenize_bench import _raw_parse


def sample_texts(survey) -> list[str]:
    """Every non-blank free-text answer of the survey, question by question."""
    texts = []
    for column in survey.schema.free_text:
        texts += [t for t in survey.texts(column)["text"].dropna() if t.strip()]
    return texts


def run(full: bool = False, repeats: int = 3) -> dict:
    """Time the sample deck and print one table."""
    survey = load_survey(common.SAMPLE_CSV)
    texts = sample_texts(survey)
    date = dt.date(2025, 7, 1)

    def deck() -> bytes:
        return build_deck(survey, date=date)

    start = time.perf_counter()
    content = deck()
    first = time.perf_counter() - start
    raw, built = common.paired_best(lambda: _raw_parse(texts), deck, repeats)
    print(
        f"build_deck on the sample ({len(survey.frame):,} sheets, {len(texts):,} free-text "
        f"answers; deck {len(content) / 1e6:.1f} MB) vs Tagger().parse of those answers"
    )
    rows = [
        ["raw parse (baseline)", raw, 1.0],
        ["build_deck, first in process", first, first / raw],
        [f"build_deck, best of {repeats}", built, built / raw],
    ]
    print(common.table(["run", "seconds", "x raw parse"], rows))
    print(f"machine: {common.machine_line()}")
    return {"texts": len(texts), "raw": raw, "first": first, "deck": built}


if __name__ == "__main__":
    run()
