"""How well masking holds: recall on a labelled case table, false positives on real answers.

``tests/data/masking_cases.csv`` is a table written for this test (not by the
rules' author looking at their output): ``text``, ``pii`` (the stretches that
must be hidden, ``KIND:substring`` joined by ``|``, empty for a negative) and
``note``. A stretch counts as caught when every character of it lies inside a
span :func:`analysis.masking.find_pii` returns (of any kind). Decisions
recorded in the table: 田中角栄 (a public figure) is a name and is masked;
山田錦 (a sake rice) and 中村屋 (a shop) are not persons and stay; a
prefecture or city before a branch title (東京支店長) is a place.

The real answers are the free-text columns of the two open-data exports in
``/work/shared/realdata/`` (福井県観光連盟 / 福井県観光アンケートオープンデータ,
CC BY 4.0), a visitor questionnaire that holds no personal information in its
free text apart from a few names (checked by eye, :data:`REAL_PII`): every
other answer that masking changes is a false positive.

Run ``.venv/bin/python tests/test_masking_quality.py`` to print the figures;
pytest prints them with ``-s``. Name cases assume unidic-lite 1.0.8.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.load import read_survey
from analysis.masking import find_pii, mask_pii
from analysis.text import is_no_answer

ROOT = Path(__file__).resolve().parent
CASES = ROOT / "data" / "masking_cases.csv"
REALDATA = Path("/work/shared/realdata")
MIN_RECALL = 0.98
MAX_FALSE_POSITIVE_RATE = 0.005
MIN_FREE_TEXT_CHARS = 4  # mean answer length for a column to count as free text

#: Names found by eye in the real answers: an answer holding one has personal
#: information (a person's or family's name, public and historical figures
#: included, as 田中角栄 in the case table), so masking it is no false positive.
REAL_PII = (
    "深川さん",  # the staff member who explained a cooking class
    "桂由美",  # a fashion designer
    "杉田玄白",  # a historical physician
    "朝倉氏",  # the Asakura clan (一乗谷朝倉氏遺跡)
    "織田氏",  # the Oda clan
)


def _cases() -> list[tuple[str, list[tuple[str, str]], str]]:
    with CASES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (
            row["text"],
            [tuple(item.split(":", 1)) for item in row["pii"].split("|") if item],
            row["note"],
        )
        for row in rows
    ]


def _caught(text: str, expected: list[tuple[str, str]]) -> list[tuple[str, bool]]:
    covered = set()
    for span in find_pii(text):
        covered.update(range(span.start, span.end))
    found, cursor = [], 0
    for _, stretch in expected:
        start = text.index(stretch, cursor)
        cursor = start + len(stretch)
        found.append((stretch, all(i in covered for i in range(start, cursor))))
    return found


def case_table_figures() -> dict[str, object]:
    """Recall over the expected stretches, and the negatives that masking changed."""
    hits = total = 0
    missed: list[str] = []
    negatives = changed = 0
    over: list[str] = []
    for text, expected, _ in _cases():
        if not expected:
            negatives += 1
            if mask_pii(text) != text:
                changed += 1
                over.append(f"{text} -> {mask_pii(text)}")
            continue
        for stretch, ok in _caught(text, expected):
            total += 1
            hits += ok
            if not ok:
                missed.append(f"{stretch} in {text} -> {mask_pii(text)}")
    return {
        "recall": hits / total,
        "stretches": total,
        "missed": missed,
        "negatives": negatives,
        "negatives_changed": changed,
        "over_masked": over,
    }


def real_answers() -> list[str]:
    """Distinct free-text answers of the real exports (text columns with long answers)."""
    answers: dict[str, None] = {}
    for path in sorted(REALDATA.glob("*.csv")):
        frame = read_survey(path).frame
        for column in frame.columns:
            values = frame[column].dropna()
            values = values[values.map(lambda v: isinstance(v, str))]
            if values.empty or values.str.len().mean() < MIN_FREE_TEXT_CHARS:
                continue
            if values.str.fullmatch(r"[\d\s:/.\-]+").mean() > 0.5:  # dates, times, numbers
                continue
            answers.update((v, None) for v in values if not is_no_answer(v))
    return list(answers)


def real_data_figures() -> dict[str, object]:
    """Share of real answers without personal information that masking changes."""
    answers = real_answers()
    clean = [a for a in answers if not any(name in a for name in REAL_PII)]
    changed = [(a, mask_pii(a)) for a in clean]
    changed = [(a, m) for a, m in changed if m != a]
    return {
        "answers": len(clean),
        "changed": len(changed),
        "rate": len(changed) / len(clean),
        "examples": [f"{a[:60]} -> {m[:60]}" for a, m in changed],
    }


def report() -> str:
    table = case_table_figures()
    real = real_data_figures()
    lines = [
        f"masking recall {table['recall']:.3f} on {table['stretches']} stretches "
        f"({len(table['missed'])} missed) in {CASES.name}; "
        f"{table['negatives_changed']} of {table['negatives']} negatives changed",
        f"false positives {real['rate']:.2%}: {real['changed']} of {real['answers']} real answers "
        "without personal information changed",
        *(f"  missed: {m}" for m in table["missed"]),
        *(f"  over-masked: {m}" for m in table["over_masked"]),
        *(f"  real answer changed: {m}" for m in real["examples"]),
    ]
    return "\n".join(lines)


def test_case_table_is_large_and_mixed() -> None:
    cases = _cases()
    kinds = {kind for _, expected, _ in cases for kind, _ in expected}
    assert len(cases) >= 150
    assert kinds == {"NAME", "PHONE", "EMAIL", "EMPLOYEE_ID"}
    assert sum(1 for _, expected, _ in cases if not expected) >= 40


def test_issue16_masking_recall_on_the_case_table() -> None:
    figures = case_table_figures()
    print(f"\nmasking recall {figures['recall']:.3f} on {figures['stretches']} stretches")
    assert figures["recall"] >= MIN_RECALL, "\n".join(figures["missed"])


def test_case_table_negatives_stay() -> None:
    figures = case_table_figures()
    print(f"\n{figures['negatives_changed']} of {figures['negatives']} negatives changed")
    assert figures["negatives_changed"] <= 1, "\n".join(figures["over_masked"])


@pytest.mark.skipif(not REALDATA.is_dir(), reason="the real exports are not on this machine")
def test_issue16_false_positives_on_real_answers() -> None:
    figures = real_data_figures()
    print(
        f"\nfalse positives {figures['rate']:.2%} "
        f"({figures['changed']} of {figures['answers']} real answers)"
    )
    assert figures["answers"] >= 500
    assert figures["rate"] <= MAX_FALSE_POSITIVE_RATE, "\n".join(figures["examples"])


if __name__ == "__main__":
    print(report())
