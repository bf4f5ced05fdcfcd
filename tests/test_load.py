"""Reading exports: vendors, encodings, awkward CSV, and every kind of bad file."""

from __future__ import annotations

import codecs
import io
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import exports
import openpyxl
import pytest

from analysis.errors import SurveyError
from analysis.load import Format, _trim, read_survey

ROOT = Path(__file__).resolve().parents[1]
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


# --------------------------------------------------------------------------- issue 16: silent misreads

SURVEY_TEXT = (
    "回答時期,役職,部署,AIで仕事が楽になると思う,自由記述\n"
    "研修前,管理職,営業部,そう思う,会議の議事録づくりが早くなった\n"
    "研修後,一般社員,人事部,とてもそう思う,特になし\n"
)


@pytest.mark.parametrize(
    ("data", "reported"),
    [
        ("役職,部署\n管理職,営業部\n".encode("iso2022_jp"), "iso2022_jp"),
        (SURVEY_TEXT.encode("iso2022_jp"), "iso2022_jp"),
        (SURVEY_TEXT.encode("iso2022_jp_2"), "iso2022_jp"),  # the same bytes for these characters
    ],
)
def test_issue16_iso2022jp_is_decoded_or_refused(data, reported):
    table = read_survey(data, name="jis.csv")
    assert table.encoding == reported
    assert "\x1b" not in "".join(table.frame.columns) + "".join(
        table.frame.fillna("").values.ravel()
    )
    assert table.frame.iloc[0, list(table.frame.columns).index("部署")] == "営業部"


@pytest.mark.parametrize(
    "data",
    [
        b"\x1b$B" + b"\xff\xfe" * 10 + b"\x1b(B\n",  # an escape, then bytes JIS cannot hold
        "役職,部署\n管理職,\x1b[31m営業部\n".encode(),  # ESC left in UTF-8 text
    ],
)
def test_issue16_escape_sequences_that_cannot_be_decoded_are_refused(data):
    with pytest.raises(SurveyError, match="ISO-2022-JP|エスケープ文字"):
        read_survey(data, name="jis.csv")


def test_issue16_an_escape_character_names_its_line():
    data = "役職,部署\n管理職,営業部\n一般社員,人\x1b事部\n".encode()
    with pytest.raises(SurveyError, match="3行目に") as caught:
        read_survey(data, name="ctl.csv")
    assert caught.value.row == 3


@pytest.mark.parametrize("control", ["\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1f"])
def test_other_control_characters_stay_in_the_answer(control):
    """A stray BEL or an Excel vertical tab is part of someone's answer, not a broken file."""
    data = f"役職,部署\n管理職,営業部\n一般社員,人{control}事部\n".encode()
    assert read_survey(data, name="ctl.csv").frame.loc[1, "部署"] == f"人{control}事部"


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("euc_jp", "euc_jp"), ("euc_jis_2004", "euc_jp"), ("cp932", "cp932")],
)
def test_issue16_euc_jp_is_read_right_not_as_cp932(encoding, reported):
    # EUC-JP bytes also decode as CP932 (as half-width katakana): the Japanese reading must win
    table = read_survey(SURVEY_TEXT.encode(encoding), name="euc.csv")
    assert table.encoding == reported
    assert table.frame.loc[0, "自由記述"] == "会議の議事録づくりが早くなった"


def test_issue16_euc_jp_only_characters_fall_back_to_jis_x_0213():
    table = read_survey("役職,感想\n管理職,①研修は良かった\n".encode("euc_jis_2004"))
    assert (table.encoding, table.frame.loc[0, "感想"]) == ("euc_jis_2004", "①研修は良かった")


def test_issue16_damaged_cp932_is_refused_not_guessed():
    data = SURVEY_TEXT.encode("cp932") * 20 + b"\x85\x40\x86\x40\n"  # undefined in CP932
    with pytest.raises(SurveyError, match="文字コードを判別できません.*61行目付近"):
        read_survey(data, name="broken.csv")


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ('役職,感想\n管理職,"まだ\n一般社員,よい\n経営層,ふつう\n', 2),
        ('役職,感想\r\n管理職,"一行目\r\n二行目",x\r\n一般社員,"よい\r\n経営層,ふつう\r\n', 4),
        ('"役職,感想\n管理職,よい\n', 1),
        ('役職\t感想\n管理職\t"a""b\n', 2),
    ],
)
def test_issue16_unclosed_quote_is_reported_with_its_row(text, row):
    with pytest.raises(SurveyError, match=f'{row}行目で引用符（"）が閉じられていません') as caught:
        read_survey(text.encode(), name="quote.csv")
    assert caught.value.row == row


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ('役職,感想\n管理職,"一行目\n二行目"\n一般社員,"""引用"" と言った"\n', '"引用" と言った'),
        ('役職,感想\n管理職,"a"b"c\n一般社員,x"y\n', 'x"y'),  # loose quotes csv reads as text
        ('役職,感想\n管理職,"a,b"\n一般社員,"c\r\nd"', "c\r\nd"),  # no final line break
    ],
)
def test_issue16_closed_and_loose_quotes_still_read(text, last):
    table = read_survey(text.encode())
    assert len(table.frame) == 2
    assert table.frame.loc[1, "感想"] == last


def test_issue16_inflating_xlsx_is_refused_quickly():
    """A 1 MB workbook whose sheet inflates 190-fold into inline strings (under the ZIP caps).

    Before: read in 88 s (``inspect`` over 200 s). Run in a child with a generous
    timeout as a safety net only; the assertion is the refusal.
    """
    script = textwrap.dedent(
        """
        import io, random, zipfile
        from analysis.errors import SurveyError
        from analysis.load import read_survey
        ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        parts = {
            "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>',
            "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="回答" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org'
            f'/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        }
        answers = [f'<c t="inlineStr"><is><t>{a}</t></is></c>'
                   for a in ("そう思う", "そう思わない", "どちらともいえない", "とてもそう思う")]
        rnd = random.Random(0)
        blocks = [
            "".join("<row>" + "".join(rnd.choice(answers) if rnd.random() < 0.1 else answers[0]
                                      for _ in range(100)) + "</row>" for _ in range(200)).encode()
            for _ in range(2)
        ]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name, text in parts.items():
                archive.writestr(name, text)
            with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(f"<worksheet {ns}><sheetData>".encode())
                for i in range(200):  # 40,000 rows x 100 inline strings, about 190 MB
                    sheet.write(blocks[i % 2])
                sheet.write(b"</sheetData></worksheet>")
        data = buffer.getvalue()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert len(data) < 1_200_000 and 150 < info.file_size / info.compress_size < 200, info
        try:
            read_survey(data, name="inflating.xlsx")
        except SurveyError as error:
            print(error)
        else:
            print("read")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "セルが多すぎる" in done.stdout, done.stdout


def test_issue16_a_survey_sized_workbook_still_reads():
    """5,000 answers x 100 columns written by openpyxl (inline strings) stay well inside the budget."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([f"Q{i}" for i in range(100)])
    answers = ("そう思う", "そう思わない", "管理職", "営業部", 5, 3)
    for r in range(5_000):
        sheet.append([answers[(r + c) % 6] for c in range(100)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(buffer.getvalue()) < 3_000_000
    assert read_survey(buffer.getvalue(), name="ok.xlsx").frame.shape == (5_000, 100)


@pytest.mark.parametrize(
    ("cells", "refused"),
    [(7_500, False), (7_501, True)],  # inline strings weigh 4: 30,000 / 4
)
def test_issue16_cell_budget_counts_inline_strings_fourfold(monkeypatch, cells, refused):
    from analysis import load

    monkeypatch.setattr(load, "MAX_XLSX_CELL_WORK", 30_000)
    _refuse_slow_sheets = load._refuse_slow_sheets
    cell = b'<c t="inlineStr"><is><t>x</t></is></c>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", cell * cells)
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    if refused:
        with pytest.raises(SurveyError, match="セルが多すぎる"):
            _refuse_slow_sheets(archive, archive.infolist(), "a.xlsx")
    else:
        _refuse_slow_sheets(archive, archive.infolist(), "a.xlsx")
