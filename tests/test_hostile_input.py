"""Hostile files: whatever bytes arrive, only a one-line Japanese SurveyError comes out.

Property tests (hypothesis) feed the loader random bytes, random CSV shapes and
random or damaged XLSX archives, through ``read_survey``, ``load_survey`` and
everything ``python -m analysis inspect`` does with the result. Bombs (a ZIP
member that inflates 1000-fold, a member that lies about its size, an XML
entity bomb, a sheet that spans a million empty rows) run in a child process
with a 2.5 GB address-space limit, so a regression fails the test instead of
the machine; each must end in a SurveyError well inside that limit.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from pathlib import Path

import exports
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from analysis.cli import inspect_payload, inspect_summary
from analysis.errors import SurveyError
from analysis.load import MAX_COLUMNS, MAX_FIELD_CHARS, MAX_FILE_BYTES, read_survey
from analysis.schema import load_survey

ROOT = Path(__file__).resolve().parents[1]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_readable(error: BaseException) -> None:
    """The project's error, one line, in Japanese."""
    assert type(error) is SurveyError, f"{type(error).__name__}: {error}"
    message = str(error)
    assert message and "\n" not in message and "\r" not in message, repr(message)
    assert JAPANESE.search(message), message


def load_everything(data: bytes, **options) -> None:
    """What the upload page and ``inspect`` do with a file: read, infer, summarise, score."""
    try:
        survey = load_survey(data, name="hostile.csv", **options)
        inspect_payload(survey)
        inspect_summary(survey)
        survey.answers()
        for column in survey.schema.free_text:
            survey.texts(column)
    except Exception as error:  # noqa: BLE001 - the assertion names anything unexpected
        assert_readable(error)


def test_a_failure_would_be_seen():
    """The checker itself: a bare ValueError or a two-line message is not acceptable."""
    with pytest.raises(AssertionError):
        assert_readable(ValueError("壊れています"))
    with pytest.raises(AssertionError):
        assert_readable(SurveyError("1行目\n2行目"))
    with pytest.raises(AssertionError):
        assert_readable(SurveyError("broken"))


# --------------------------------------------------------------------------- random bytes and CSV

CELLS = (
    "役職", "管理職", "経営層", "一般社員", "回答時期", "研修前", "研修後", "3か月後", "部署",
    "営業部", "そう思う", "とてもそう思う", "どちらともいえない", "そう思わない", "1", "5", "7",
    "2024/4/1", "a@example.jp", "090-1234-5678", "E12345", "特になし", "タイムスタンプ", "ID",
    "開始時刻", "完了時刻", "Respondent ID", "Response", '{"ImportId":"QID1"}', "Q1 [日報]",
    "=HYPERLINK(\"http://x\")", "", " ", "\u3000", "\ufeff", "\x00", "\r", '"', '""', "\\",
)  # fmt: skip
cells = st.one_of(
    st.sampled_from(CELLS),
    st.text(max_size=30),
    st.text(alphabet="\x00\ufeff\r\n\t,\"'\u2028\x85ｱ亜", max_size=12),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=9), min_size=1, max_size=25)
ENCODINGS = ("utf-8", "utf-8-sig", "cp932", "utf-16", "utf-16-le", "euc-jp", "latin-1")


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes(data):
    load_everything(data)


@st.composite
def csv_files(draw) -> bytes:
    """Ragged rows, odd cells, one or two encodings, maybe a BOM in the middle."""
    table = draw(rows)
    delimiter = draw(st.sampled_from([",", ",", "\t", ";"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = [delimiter.join(row) for row in table]
    first, second = draw(st.sampled_from(ENCODINGS)), draw(st.sampled_from(ENCODINGS))
    cut = draw(st.integers(0, len(lines)))
    data = newline.join(lines[:cut]).encode(first, errors="replace")
    data += newline.encode(first, errors="replace")
    data += newline.join(lines[cut:]).encode(second, errors="replace")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + codecs.BOM_UTF8 + data[at:]
    return data


@FUZZ
@given(csv_files(), st.sampled_from([None, None, "utf-8", "cp932", "utf-16"]))
def test_random_csv_shapes(data, encoding):
    load_everything(data, encoding=encoding)


@st.composite
def wide_or_long(draw) -> bytes:
    """Extreme shapes: very wide headers, very long fields, one column, many blank lines."""
    kind = draw(st.sampled_from(["wide", "field", "one_column", "blank_lines"]))
    if kind == "wide":
        width = draw(st.integers(MAX_COLUMNS - 2, MAX_COLUMNS + 3))
        return (",".join(f"c{i}" for i in range(width)) + "\n" + "x\n").encode()
    if kind == "field":
        size = draw(st.integers(MAX_FIELD_CHARS - 2, MAX_FIELD_CHARS + 2))
        quote = draw(st.booleans())
        field = ('"' + "あ" * size + '"') if quote else "a" * size
        return ("役職,自由記述\n管理職," + field + "\n").encode()
    if kind == "one_column":
        values = draw(st.lists(st.sampled_from(CELLS[:12]), min_size=0, max_size=30))
        return "\n".join(["役職", *values]).encode()
    return ("役職,Q\n" + "\n" * draw(st.integers(0, 5000)) + "管理職,そう思う\n").encode()


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(wide_or_long())
def test_extreme_shapes(data):
    try:
        read_survey(data, name="shape.csv")
    except Exception as error:  # noqa: BLE001
        assert_readable(error)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ((",".join(f"列{i}" for i in range(10_000)) + "\n" + "1\n").encode(), "上限 5,000列"),
        (("役職,Q\n管理職," + "x" * (MAX_FIELD_CHARS + 1) + "\n").encode(), "長すぎる"),
        ("役職,Q\n管理職,そう\x00思う\n".encode(), "NUL"),
        ("役職,Q\n".encode() + b"\xff\xfe\xfa" * 50, "文字コード"),
        (b"", "空"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG"),
    ],
    ids=["10000-columns", "huge-field", "nul", "binary-tail", "empty", "png"],
)
def test_named_shapes_are_refused_in_japanese(content, expected):
    with pytest.raises(SurveyError) as caught:
        load_survey(content, name="bad.csv")
    assert_readable(caught.value)
    assert expected in str(caught.value)


@pytest.mark.parametrize(
    "content",
    [
        "役職\n管理職\n一般社員\n".encode(),  # one column
        "役職,Q\n管理職,そう思う\n\ufeff一般社員,そう思わない\n".encode(),  # BOM mid-file
        "役職,Q\n管理職,そう思う\n一般社員,そう思わない,余分\n".encode("cp932"),  # ragged
    ],
    ids=["one-column", "bom-in-the-middle", "ragged"],
)
def test_odd_but_readable_shapes_load(content):
    survey = load_survey(content, name="odd.csv")
    assert len(survey.frame) == 2
    inspect_summary(survey)


@pytest.mark.parametrize("encoding", ["base64", "rot13", "zlib", "utf_8\x00", "no-such-code"])
def test_forced_non_text_encodings_give_a_survey_error(encoding):
    """Regression: codecs that are not text encodings raised LookupError/ValueError."""
    with pytest.raises(SurveyError) as caught:
        read_survey("役職,Q\n管理職,そう思う\n".encode(), encoding=encoding)
    assert_readable(caught.value)


@pytest.mark.parametrize("path", ["a\x00b.csv", "/nonexistent/回答.csv", "/", "x" * 5000])
def test_unreadable_paths_give_a_survey_error(path):
    with pytest.raises(SurveyError) as caught:
        read_survey(path)
    assert_readable(caught.value)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:  # sparse: takes no disk space
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(SurveyError, match="大きすぎます"):
        read_survey(big)
    with pytest.raises(SurveyError, match="大きすぎます"):
        read_survey(b"a" * (MAX_FILE_BYTES + 1))


# --------------------------------------------------------------------------- XLSX-like archives


def workbook_bytes() -> bytes:
    return exports.microsoft_forms_xlsx()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


WORKBOOK = workbook_bytes()
PARTS = members(WORKBOOK)
MEMBER_NAMES = (*PARTS, "xl/sharedStrings.xml", "xl/worksheets/sheet2.xml", "../evil", "a")


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(MEMBER_NAMES),
        st.one_of(st.binary(max_size=300), st.sampled_from(list(PARTS.values()))),
        max_size=8,
    )
)
def test_zips_with_random_members(parts):
    load_everything(rezip(parts))


@FUZZ
@given(
    st.sampled_from(sorted(PARTS)),
    st.sampled_from(["truncate", "flip", "replace", "drop"]),
    st.integers(0, 10_000),
    st.binary(min_size=1, max_size=64),
)
def test_a_real_workbook_with_one_damaged_member(name, how, at, junk):
    parts = dict(PARTS)
    original = parts[name]
    position = at % max(len(original), 1)
    if how == "truncate":
        parts[name] = original[:position]
    elif how == "flip":
        parts[name] = original[:position] + junk + original[position + len(junk) :]
    elif how == "replace":
        parts[name] = junk
    else:
        del parts[name]
    load_everything(rezip(parts))


@FUZZ
@given(st.integers(0, len(WORKBOOK) - 1), st.binary(max_size=16))
def test_a_truncated_or_padded_workbook(cut, tail):
    load_everything(WORKBOOK[:cut] + tail)


def test_the_undamaged_workbook_still_loads():
    """Control for the damage tests: without damage the workbook reads fine."""
    assert len(load_survey(rezip(dict(PARTS)), name="ok.xlsx").frame) == len(exports.ROWS)


def test_ten_thousand_columns_in_a_workbook_are_refused():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([f"c{i}" for i in range(10_000)])
    sheet.append(["x"] * 10_000)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(SurveyError, match="列が多すぎます") as caught:
        read_survey(buffer.getvalue(), name="wide.xlsx")
    assert_readable(caught.value)


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


# --------------------------------------------------------------------------- bombs, in a child

BOMB_SCRIPT = textwrap.dedent(
    r'''
    import io, json, resource, sys, time, zipfile, struct
    resource.setrlimit(resource.RLIMIT_AS, (2_500 << 20, 2_500 << 20))
    import openpyxl
    from analysis.load import read_survey

    def rezip(parts, big=None):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in parts.items():
                if name == big:
                    with archive.open(name, "w") as handle:  # streamed: the test stays small
                        handle.write(content)
                        for _ in range(50):
                            handle.write(b" " * (1 << 20))
                else:
                    archive.writestr(name, content)
        return buffer.getvalue()

    def book(cells):
        workbook = openpyxl.Workbook()
        for (row, column), value in cells.items():
            workbook.active.cell(row=row, column=column, value=value)
        buffer = io.BytesIO()
        workbook.save(buffer)
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
            return {i.filename: archive.read(i) for i in archive.infolist()}

    def lie_about_size(data, name, size):
        """Rewrite the member's uncompressed size in both headers (CRC left as is)."""
        data = bytearray(data)
        encoded = name.encode()
        local = data.find(b"PK\x03\x04")
        while local >= 0:
            length = struct.unpack_from("<H", data, local + 26)[0]
            if bytes(data[local + 30 : local + 30 + length]) == encoded:
                struct.pack_into("<I", data, local + 22, size)
            local = data.find(b"PK\x03\x04", local + 4)
        central = data.find(b"PK\x01\x02")
        while central >= 0:
            length = struct.unpack_from("<H", data, central + 28)[0]
            if bytes(data[central + 46 : central + 46 + length]) == encoded:
                struct.pack_into("<I", data, central + 24, size)
            central = data.find(b"PK\x01\x02", central + 4)
        return bytes(data)

    base = book({(1, 1): "役職", (1, 2): "Q", (2, 1): "管理職", (2, 2): "そう思う"})
    sheet = "xl/worksheets/sheet1.xml"
    lol = '<!ENTITY l0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10)
    )

    def entity_bomb(name, reference):
        body = base[name].decode().split("?>", 1)[-1]
        root = body.split("<", 2)[1].split()[0].rstrip(">")
        doctype = f'<?xml version="1.0"?><!DOCTYPE {root} [{lol}<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        body = body.replace("<t>", "<t>" + reference, 1).replace('name="Sheet"', f'name="{reference}"', 1)
        return rezip({**base, name: (doctype + body).encode()})

    cases = {
        "zip-ratio": lambda: rezip(base, big=sheet),
        "lying-size": lambda: lie_about_size(rezip({**base, sheet: base[sheet] + b" " * 30_000_000}), sheet, 5_000),
        "billion-laughs-sheet": lambda: entity_bomb(sheet, "&l9;"),
        "external-entity-sheet": lambda: entity_bomb(sheet, "&xxe;"),
        "billion-laughs-workbook": lambda: entity_bomb("xl/workbook.xml", "&l9;"),
        "sparse-cells": lambda: rezip(book({(1, 1): "a", (1_048_576, 100): "b"})),
    }
    results = {}
    for name in sys.argv[1:]:
        data = cases[name]()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        try:
            table = read_survey(data, name="bomb.xlsx")
            outcome = ["table", json.dumps(table.frame.astype(str).values.tolist(), ensure_ascii=False)[:2000]]
        except Exception as error:
            outcome = [type(error).__name__, str(error)]
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
        causes = []  # why openpyxl gave up, which read_survey does not show
        try:
            list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0].values)
        except Exception as error:
            while error is not None:
                causes.append(type(error).__name__)
                error = error.__cause__ or error.__context__
        results[name] = [*outcome, grown, round(time.perf_counter() - start, 2), len(data), causes]
    print(json.dumps(results, ensure_ascii=False))
    '''
)
BOMBS = (
    "zip-ratio",
    "lying-size",
    "billion-laughs-sheet",
    "external-entity-sheet",
    "billion-laughs-workbook",
    "sparse-cells",
)


@pytest.fixture(scope="module")
def bombs() -> dict[str, list]:
    done = subprocess.run(
        [sys.executable, "-c", BOMB_SCRIPT, *BOMBS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", BOMBS)
def test_bombs_end_quickly_in_bounded_memory(bombs, case):
    outcome, detail, grown_mb, seconds, size, _ = bombs[case]
    assert size < 1_000_000, f"{case}: the bomb itself is {size} bytes"
    assert grown_mb < 300, f"{case}: memory grew {grown_mb} MB"
    assert seconds < 20, f"{case}: took {seconds} s"
    if case == "billion-laughs-workbook":
        # lxml parses these parts with entity resolution off: the entity is never expanded
        assert outcome == "table" or outcome == "SurveyError", (case, outcome, detail)
        assert "lollollol" not in detail
    else:
        assert outcome == "SurveyError", (case, outcome, detail)
        assert_readable(SurveyError(detail))
    assert "root:" not in detail  # no external entity was fetched


def test_bombs_are_refused_for_the_reason_given(bombs):
    assert "ZIP爆弾" in bombs["zip-ratio"][1]
    assert "セル" in bombs["sparse-cells"][1]
    assert "BadZipFile" in bombs["lying-size"][1]  # the CRC check, after the declared size
    for case in ("billion-laughs-sheet", "external-entity-sheet"):
        assert "EntitiesForbidden" in bombs[case][-1], bombs[case]


# --------------------------------------------------------------------------- the CLI


def inspect(*args: str, limit_mb: int | None = None) -> subprocess.CompletedProcess:
    def limit():  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))

    return subprocess.run(
        [sys.executable, "-m", "analysis", "inspect", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=limit if limit_mb else None,
    )


def cli_cases(tmp: Path) -> dict[str, list[str]]:
    garbage = tmp / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 8)
    wide = tmp / "wide.csv"
    wide.write_bytes((",".join(f"c{i}" for i in range(10_000)) + "\n1\n").encode())
    truncated = tmp / "truncated.xlsx"
    truncated.write_bytes(WORKBOOK[: len(WORKBOOK) // 2])
    sample = ROOT / "sample_data" / "ai_survey_google_forms.csv"
    return {
        "garbage": [str(garbage)],
        "wide": [str(wide), "--json"],
        "truncated-xlsx": [str(truncated)],
        "device-without-end": ["/dev/zero"],
        "base64-encoding": [str(sample), "--encoding", "base64"],
    }


@pytest.mark.parametrize(
    "case", ["garbage", "wide", "truncated-xlsx", "device-without-end", "base64-encoding"]
)
def test_inspect_prints_one_japanese_line_and_exits_1(tmp_path, case):
    done = inspect(*cli_cases(tmp_path)[case], limit_mb=2_500)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and not done.stdout
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("エラー: ") and JAPANESE.search(line[4:]), line


# --------------------------------------------------------------------------- the upload limit


def test_upload_limit_in_config_lets_the_app_refuse_a_large_file_in_japanese(data_dir):
    """Streamlit's cap is above the loader's, so a 60 MB file reaches the app and gets its
    Japanese message (Streamlit's own was 「File must be 50.0MB or smaller.」); the page
    names the loader's limit."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 > MAX_FILE_BYTES
    megabytes = MAX_FILE_BYTES // 1024 // 1024
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/1_upload.py").run()
    assert not at.exception
    page = " ".join([*at.caption.values, *at.markdown.values])
    assert f"上限 {megabytes} MB" in page, page
    big = b"\xe5\x9b\x9e\xe7\xad\x94\n" + b"a" * (MAX_FILE_BYTES + 1)
    at.file_uploader[0].set_value(("大きすぎる.csv", big, "text/csv")).run()
    assert not at.exception
    [error] = at.error
    assert "大きすぎ" in error.value and f"上限 {megabytes} MB" in error.value, error.value
    assert "大きすぎる.csv" in error.value
