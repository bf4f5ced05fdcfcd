"""Reading exports: vendors, encodings, awkward CSV, and every kind of bad file."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import exports
import pytest

from analysis.errors import SurveyError
from analysis.load import Format, _trim, read_survey

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
DAILY = REALDATA / "daily_20220501_cp932_2row_header.csv"
MONTHLY = REALDATA / "monthly_202301_utf8bom.csv"
needs_realdata = pytest.mark.skipif(not DAILY.exists(), reason="../shared/realdata not present")


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (exports.google_forms_csv, Format.GOOGLE_FORMS),
        (exports.microsoft_forms_xlsx, Format.MICROSOFT_FORMS),
        (exports.surveymonkey_csv, Format.SURVEYMONKEY),
        (exports.surveymonkey_xlsx, Format.SURVEYMONKEY),
        (exports.qualtrics_csv, Format.QUALTRICS),
        (exports.plain_csv, Format.GENERIC),
    ],
)
def test_each_vendor_is_recognised_and_yields_the_statements(build, expected):
    table = read_survey(build(), name="export")
    assert table.format is expected
    assert len(table.frame) == len(exports.ROWS)  # header rows are gone
    labels = {table.label(column) for column in table.frame.columns}
    assert set(exports.STATEMENTS) <= labels
    statement_column = next(c for c in table.frame if table.label(c) == exports.STATEMENTS[0])
    assert table.frame[statement_column].tolist() == [r[3][0] for r in exports.ROWS]


def test_grid_question_is_kept_apart_from_the_statement():
    table = read_survey(exports.google_forms_csv())
    column = f"{exports.GRID_QUESTION} [{exports.STATEMENTS[1]}]"
    assert table.label(column) == exports.STATEMENTS[1]
    assert table.questions[column] == exports.GRID_QUESTION


def test_qualtrics_codes_become_labels():
    table = read_survey(exports.qualtrics_csv())
    assert table.label("Q4_1") == exports.STATEMENTS[0]
    assert table.label("Q5") == exports.FREE_QUESTION
    assert not any(str(v).startswith('{"ImportId"') for v in table.frame.iloc[0])


def test_microsoft_forms_anonymous_rows_are_reported():
    table = read_survey(exports.microsoft_forms_xlsx())
    assert table.frame.loc[2, "メール"] == "anonymous"
    assert table.warnings == ("1件は匿名回答です（メール欄が anonymous）。",)
    assert table.encoding == "xlsx"


@pytest.mark.parametrize(
    ("encoding", "bom", "reported"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("cp932", b"", "cp932"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ],
)
def test_encodings_are_detected_and_reported(encoding, bom, reported):
    text = exports.plain_csv("utf-8").decode("utf-8")
    table = read_survey(bom + text.encode(encoding))
    assert table.encoding == reported
    assert table.frame.loc[0, "役職"] == "経営層"
    assert table.frame.columns[0] == "社員番号"  # no BOM left in the first header


def test_cp932_only_characters_decode():
    # ① and ～ exist in CP932 but not in plain Shift_JIS.
    data = "役職,感想\n管理職,①研修は良かった～\n".encode("cp932")
    table = read_survey(data)
    assert table.encoding == "cp932"
    assert table.frame.loc[0, "感想"] == "①研修は良かった～"


def test_encoding_can_be_overridden():
    data = "役職,感想\n管理職,よい\n".encode("cp932")
    assert read_survey(data, encoding="cp932").frame.loc[0, "感想"] == "よい"
    with pytest.raises(SurveyError, match="utf-8 では読めません"):
        read_survey(data, encoding="utf-8")


def test_tsv_is_read():
    table = read_survey(exports.plain_csv("utf-8", delimiter="\t"), name="a.tsv")
    assert table.frame.shape == (len(exports.ROWS), 7)


def test_awkward_csv_cells():
    data = (
        "役職,役職,感想,　\r\n"  # repeated name, a full-width blank header
        '管理職,課長,"一行目\r\n二行目",\r\n'  # a quoted cell holding CRLF
        '一般社員,,"選択肢A\n選択肢B\n",\r\n'  # LF inside quotes
        ",,,\r\n,,,\r\n"  # blank trailing rows
    ).encode()
    table = read_survey(data)
    assert list(table.frame.columns) == ["役職", "役職 (2)", "感想"]  # blank column dropped
    assert table.frame.shape == (2, 3)
    assert table.frame.loc[0, "感想"] == "一行目\r\n二行目"
    assert table.frame.loc[1, "役職 (2)"] is None


def test_full_width_digits_and_spaces_are_kept_for_display():
    table = read_survey("役職,評価\n管理職,５\n　一般社員,３\n".encode())
    assert table.frame["評価"].tolist() == ["５", "３"]


BAD_FILES = [
    (b"", "ファイルが空です"),
    (b"   \r\n\r\n", "ファイルが空です"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG画像"),
    (b"\xff\xd8\xff\xe0" + bytes(64), "JPEG画像"),
    (b"%PDF-1.7\n", "PDF"),
    ("<!DOCTYPE html><html><body>ログイン</body></html>".encode(), "HTML"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "旧形式のExcel"),
    ("役職,感想\n".encode(), "見出し行だけ"),
    (b"a,b\n1,\x002\n", "NUL"),
    (bytes(range(128, 256)) * 40, "文字コードを判別できません"),
    (exports.microsoft_forms_xlsx()[:900], "壊れているか途中で切れて"),
    (b"PK\x03\x04" + bytes(100), "壊れているか途中で切れて"),
]


@pytest.mark.parametrize(("data", "message"), BAD_FILES)
def test_bad_files_give_one_readable_error(data, message):
    with pytest.raises(SurveyError, match=message) as caught:
        read_survey(data, name="bad.csv")
    assert str(caught.value).startswith("bad.csv: ")
    assert "\n" not in str(caught.value)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(SurveyError, match="Excel（.xlsx）ではありません"):
        read_survey(buffer.getvalue())


def test_a_zip_bomb_is_refused_before_it_is_opened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(SurveyError, match="ZIP爆弾"):
        read_survey(buffer.getvalue())


def test_an_overlong_cell_names_its_row():
    data = '役職,感想\n管理職,短い\n一般社員,"'.encode() + "あ".encode() * 1_100_000 + b'"\n'
    with pytest.raises(SurveyError, match="3行目"):
        read_survey(data, name="long.csv")


def test_a_missing_file_is_a_readable_error(tmp_path):
    with pytest.raises(SurveyError, match="ファイルを開けません"):
        read_survey(tmp_path / "none.csv")


@needs_realdata
def test_real_cp932_export_with_two_header_rows():
    table = read_survey(DAILY)
    assert (table.encoding, table.frame.shape) == ("cp932", (163, 96))
    assert table.frame.columns[0] == "会員ID"
    assert "その他 (3)" in table.frame.columns and "自家用車 (2)" in table.frame.columns
    assert table.questions["訪問目的ALL"] == "Q6"
    assert "\r\n" in "".join(table.frame["満足度の理由"].dropna())  # typed free text keeps CRLF


@needs_realdata
def test_real_utf8_bom_export():
    table = read_survey(MONTHLY)
    assert (table.encoding, len(table.frame), len(table.frame.columns)) == ("utf-8-sig", 852, 89)
    assert set(table.frame["満足度"].dropna()) <= {
        "とても満足",
        "満足",
        "どちらでもない",
        "不満",
        "とても不満",
    }


@pytest.mark.parametrize(
    ("rows", "head", "cells"),
    [
        (
            [["役職", "感想"], ["管理職", ""]],
            [["役職", "感想"], ["管理職", ""]],
            [["役職", "感想"], ["管理職", None]],
        ),
        # a blank row goes; a short row is padded, a long one cut to the last filled column
        (
            [["役職"], [" ", "\u3000"], ["管理職", "よい", " "]],
            [["役職", ""], ["管理職", "よい"]],
            [["役職", None], ["管理職", "よい"]],
        ),
        ([[], ["役職", None, " "], ["", ""]], [["役職"]], [["役職"]]),  # None as from a spreadsheet
        ([["\u3000"], []], [], []),
    ],
)
def test_trim_drops_blank_rows_and_blank_trailing_columns(rows, head, cells):
    assert _trim(rows) == (head, cells)
