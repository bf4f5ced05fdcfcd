"""Changes that should not matter must not change what inference reads.

Each case takes a file of the export zoo (tests/data/exports, files we did not
generate with sample_data/generate.py), changes it in a way a person would not
notice in the results (a field word in a statement, column order, numbers for
labels, English headers, full-width digits), and checks that every column keeps
its meaning, points and reverse flag. The means on a 4-, 5- and 7-point scale
and the favourable share after reversing are checked against hand-computed values.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import likert
from analysis.gaps import item_scores
from analysis.inference import infer_schema
from analysis.load import read_survey
from analysis.schema import Schema, Survey

ZOO = Path(__file__).parent / "data" / "exports"
PLAIN = ["ja_google_forms_4point.csv", "ja_google_forms_numeric5.csv", "ja_google_forms_en_ui.csv"]


def _signature(schema: Schema, rename: dict[str, str] | None = None) -> dict[str, tuple]:
    """Each column's meaning (and an item's points and reverse), under the original names."""
    back = {new: old for old, new in (rename or {}).items()}
    out = {}
    for column in [*schema.reasons]:
        field = schema.field_of(column)
        item = next((i for i in schema.items if i.column == column), None)
        out[back.get(column, column)] = (
            (field.value, item.points, item.reverse) if item else (field.value,)
        )
    return out


def _frame(name: str) -> pd.DataFrame:
    return read_survey(ZOO / name).frame


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue().encode()


def _inferred(frame: pd.DataFrame) -> Schema:
    return infer_schema(read_survey(_csv(frame)))


@pytest.mark.parametrize("name", PLAIN)
def test_column_order_does_not_matter(name):
    frame = _frame(name)
    expected = _signature(_inferred(frame))
    shuffled = frame[list(np.random.default_rng(7).permutation(frame.columns))]
    assert _signature(_inferred(shuffled)) == expected


@pytest.mark.parametrize("name", PLAIN)
@pytest.mark.parametrize("word", ["部署", "役職", "時期", "回", "名前", "メール", "ID"])
def test_a_field_word_inside_a_statement_does_not_make_it_that_field(name, word):
    frame = _frame(name)
    schema = _inferred(frame)
    item = schema.items[0]
    statement = f"{word}をこえて、{item.label}"
    rename = {item.column: item.column.replace(item.label, statement)}
    if rename[item.column] == item.column:
        rename[item.column] = statement
    changed = _inferred(frame.rename(columns=rename))
    expected = _signature(schema)
    assert _signature(changed, rename) == expected


@pytest.mark.parametrize("name", ["ja_google_forms_4point.csv", "ja_google_forms_en_ui.csv"])
def test_numbers_instead_of_labels_keep_items_points_and_reverse(name):
    frame = _frame(name)
    schema = _inferred(frame)
    numbered = frame.copy()
    for item in schema.items:
        if item.points >= 4:  # a 4..7-point item written as its numbers 1..n
            scores = likert.score(frame[item.column], likert.SCALES_BY_NAME[item.scale])
            numbered[item.column] = scores.map(lambda v: None if np.isnan(v) else str(int(v)))
    changed = _inferred(numbered)
    assert [(i.column, i.points, i.reverse) for i in changed.items] == [
        (i.column, i.points, i.reverse) for i in schema.items
    ]
    before = Survey(read_survey(_csv(frame)), schema).answers()["value"]
    after = Survey(read_survey(_csv(numbered)), changed).answers()["value"]
    assert before.equals(after)


@pytest.mark.parametrize("name", PLAIN)
def test_full_width_digits_and_japanese_or_english_headers_do_not_matter(name):
    frame = _frame(name)
    expected = _signature(_inferred(frame))
    wide = frame.map(
        lambda v: (
            v.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
            if isinstance(v, str)
            else v
        )
    )
    assert _signature(_inferred(wide)) == expected
    schema = _inferred(frame)
    english = {"role": "Role", "wave": "Wave", "department": "Department"}
    rename = {getattr(schema, f): e for f, e in english.items() if getattr(schema, f)}
    assert _signature(_inferred(frame.rename(columns=rename)), rename) == expected


def _survey(rows: list[tuple[str, str]], statement: str) -> Survey:
    header = f"役職,{statement}\n"
    body = "".join(f"{role},{answer}\n" for role, answer in rows)
    table = read_survey((header + body).encode())
    return Survey(table, infer_schema(table))


@pytest.mark.parametrize(
    ("answers", "points", "mean"),
    [
        # 4-point: そう思わない=1 あまりそう思わない=2 ややそう思う=3 そう思う=4
        (["そう思う", "ややそう思う", "ややそう思う", "あまりそう思わない", "そう思わない"], 4, 13 / 5),
        # 7-point: まったく=1 … とても=7
        (["とてもそう思う", "そう思う", "ややそう思う", "どちらともいえない", "あまりそう思わない",
          "そう思わない", "まったくそう思わない", "とてもそう思う"], 7, 35 / 8),
        (["５", "4", "3", "２", "1", "5"], 5, 20 / 6),  # numbers, full-width among them
    ],
)  # fmt: skip
def test_means_on_each_scale_are_exact(answers, points, mean):
    survey = _survey([("管理職", a) for a in answers], "AIで仕事が楽になると思う")
    (item,) = survey.schema.items
    assert item.points == points
    scores = item_scores(survey.answers(), by=(), min_group=1)
    assert scores["mean"].iloc[0] == pytest.approx(mean)


def test_favourable_share_after_reversing_is_exact():
    # 「生成AIの操作は難しいと感じる」 is reversed: favourable = the two lowest boxes.
    answers = (
        ["まったくそう思わない"] * 3
        + ["そう思わない"] * 2
        + ["そう思う"] * 4
        + ["どちらともいえない"]
    )
    survey = _survey([("一般", a) for a in answers], "生成AIの操作は難しいと感じる")
    assert survey.schema.items[0].reverse
    assert item_scores(survey.answers(), by=(), min_group=1)["favourable"].iloc[0] == pytest.approx(
        0.5
    )
    # 「AIへの不安はない」 is not: favourable = the two highest boxes.
    survey = _survey([("一般", a) for a in answers], "AIへの不安はない")
    assert not survey.schema.items[0].reverse
    assert item_scores(survey.answers(), by=(), min_group=1)["favourable"].iloc[0] == pytest.approx(
        0.4
    )


def test_job_titles_become_tiers_in_the_answers():
    rows = [
        ("部長", "そう思う"),
        ("課長", "そう思う"),
        ("一般職", "そう思わない"),
        ("役員", "そう思う"),
    ]
    survey = _survey(rows, "AIで仕事が楽になると思う")
    assert survey.answers()["role"].tolist() == ["管理職", "管理職", "一般社員", "経営層"]


def test_nfkc_and_entities_are_for_analysis_only():
    table = read_survey("役職,感想をお書きください\n管理職,使えそう&hellip;ＡＩ\n".encode())
    survey = Survey(table, infer_schema(table))
    assert survey.frame.iloc[0, 1] == "使えそう&hellip;ＡＩ"  # the original is kept as written
    text = survey.texts("感想をお書きください")["text"][0]
    assert text == "使えそう…ＡＩ"  # entities unescaped for analysis; NFKC is the tokenizer's job
