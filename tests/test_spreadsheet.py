"""Downloads: formulas in user text stay text in CSV and XLSX."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from analysis.spreadsheet import csv_bytes, escape_cell, xlsx_bytes

HOSTILE = [
    "=1+1",
    "+SUM(A1:A2)",
    "-2+3",
    "@cmd",
    '=HYPERLINK("http://example.invalid","クリック")',
    "\t=1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_prefixed(text):
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["研修はよかった", "1+1", "メール a@example.co.jp", ""])
def test_ordinary_text_is_unchanged(text):
    assert escape_cell(text) == text


def test_csv_cells_never_start_a_formula():
    frame = pd.DataFrame({"comment": HOSTILE, "score": range(len(HOSTILE))})
    text = csv_bytes(frame).decode("utf-8-sig")
    parsed = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert all(cell.startswith("'") for cell in parsed["comment"])
    assert parsed["score"].tolist() == [str(i) for i in range(len(HOSTILE))]


def test_xlsx_stores_text_not_formulas():
    frame = pd.DataFrame({"comment": HOSTILE, "mean": [3.5] * len(HOSTILE), "n": [None] * 6})
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"コメント": frame})))
    sheet = workbook["コメント"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" and cell.value.startswith("'") for cell in cells)
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [3.5] * len(HOSTILE)
    assert all(row[2].value is None for row in sheet.iter_rows(min_row=2))
