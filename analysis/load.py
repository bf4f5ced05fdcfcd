"""Survey files in, one tidy table of text cells out.

``read_survey`` accepts bytes or a path to a CSV, TSV or XLSX export, finds the
encoding, recognises the survey tool that wrote it (Google Forms, Microsoft
Forms, SurveyMonkey, Qualtrics, or a plain spreadsheet), takes away the extra
header rows those tools add, and returns a :class:`Table` whose cells are the
original text (``None`` for a blank cell). Anything it cannot read becomes a
:class:`~analysis.errors.SurveyError` with a message a person can act on.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

import pandas as pd

from analysis.errors import SurveyError

MAX_FILE_BYTES = 50 * 1024 * 1024  # the same limit as server.maxUploadSize
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024  # refuse zip bombs before opening them
MAX_XLSX_RATIO = 200  # uncompressed / compressed size of any one member
MAX_XLSX_CELLS = 20_000_000  # cells a sheet spans, blank ones included (A1 + XFD1048576)
MAX_COLUMNS = 5_000
MAX_FIELD_CHARS = 1_000_000

ENCODINGS = ("utf-8-sig", "utf-8", "utf-16", "cp932")


class Format(StrEnum):
    """The survey tool that wrote a file."""

    GOOGLE_FORMS = "google_forms"
    MICROSOFT_FORMS = "microsoft_forms"
    SURVEYMONKEY = "surveymonkey"
    QUALTRICS = "qualtrics"
    GENERIC = "generic"


FORMAT_NAMES_JA = {
    Format.GOOGLE_FORMS: "Google フォーム",
    Format.MICROSOFT_FORMS: "Microsoft Forms",
    Format.SURVEYMONKEY: "SurveyMonkey",
    Format.QUALTRICS: "Qualtrics",
    Format.GENERIC: "一般的な表（CSV/Excel）",
}


@dataclass(frozen=True)
class Table:
    """One survey export, read.

    ``frame`` has one row per response and unique column names; every cell is
    the original text or ``None``. ``labels`` gives the statement behind a
    column where the tool's header was a code or a grid question (e.g.
    ``Q3_1`` -> 「研修の内容は自分の業務に役立つと思う」); ``questions`` the
    grid question a column belongs to.
    """

    frame: pd.DataFrame
    name: str
    format: Format
    encoding: str
    labels: Mapping[str, str] = field(default_factory=dict)
    questions: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    digest: str = ""  # SHA-256 of the source bytes: the same file, the same digest

    def label(self, column: str) -> str:
        """The statement a person reads for ``column``."""
        return self.labels.get(column, column)


def read_survey(
    source: bytes | str | Path,
    *,
    name: str | None = None,
    encoding: str | None = None,
) -> Table:
    """Read a survey export from bytes or a path.

    Parameters
    ----------
    source
        The file's bytes, or a path to it.
    name
        The file name shown in messages (defaults to the path's name).
    encoding
        Force a text encoding (e.g. ``"cp932"``) instead of detecting it.

    >>> data = "役職,AIで仕事が楽になると思う\\n管理職,そう思う\\n".encode("cp932")
    >>> table = read_survey(data, name="a.csv")
    >>> table.encoding, table.format.value, table.frame.shape
    ('cp932', 'generic', (1, 2))
    """
    if isinstance(source, str | Path):
        path = Path(source)
        name = name or path.name
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise SurveyError(_too_big_message(path.stat().st_size), file=name)
            with path.open("rb") as file:  # a pipe or device reports no size: read one byte past
                data = file.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise SurveyError(f"ファイルを開けません（{error.strerror}）", file=name) from None
        except SurveyError:
            raise
        except ValueError:  # a NUL in the path
            raise SurveyError("ファイル名に使えない文字があります。", file=name) from None
    else:
        data = bytes(source)
    name = name or "アップロードされたファイル"
    if len(data) > MAX_FILE_BYTES:
        raise SurveyError(_too_big_message(len(data)), file=name)
    if not data.strip():
        raise SurveyError("ファイルが空です（0行）。Empty file.", file=name)
    _refuse_known_binaries(data, name)
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data, name)
        used = "xlsx"
    else:
        text, used = _decode(data, name, encoding)
        rows = _csv_rows(text, name)
    table = _table_from_rows(rows, name=name, encoding=used)
    return replace(table, digest=hashlib.sha256(data).hexdigest())


def _too_big_message(size: int) -> str:
    return (
        f"ファイルが大きすぎます（{size / 1024 / 1024:.1f} MB、上限 "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB）。File too large."
    )


_BINARY_SIGNATURES = {
    b"\x89PNG": "PNG画像",
    b"\xff\xd8\xff": "JPEG画像",
    b"GIF8": "GIF画像",
    b"%PDF": "PDF",
    b"\xd0\xcf\x11\xe0": "旧形式のExcel（.xls）またはOffice文書",
    b"\x1f\x8b": "gzip圧縮ファイル",
    b"Rar!": "RAR圧縮ファイル",
    b"7z\xbc\xaf": "7z圧縮ファイル",
}


def _refuse_known_binaries(data: bytes, name: str) -> None:
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            hint = "「.xlsx」で保存し直してください。" if "xls" in kind else ""
            raise SurveyError(
                f"{kind}のようです。CSV・TSV・XLSX のアンケート出力を選んでください。{hint}"
                " Not a survey export.",
                file=name,
            )
    head = data[:512].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        raise SurveyError(
            "HTML/XML のページのようです。アンケートツールから CSV か Excel で"
            "書き出したファイルを選んでください。Looks like a web page, not an export.",
            file=name,
        )


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    """The file's text and the encoding that produced it."""
    if encoding:
        try:
            text_codec = getattr(codecs.lookup(encoding), "_is_text_encoding", True)  # not base64
        except (LookupError, ValueError):
            text_codec = False
        if not text_codec:
            raise SurveyError(f"文字コード「{encoding}」は使えません。", file=name)
        try:
            return _no_nul(data.decode(encoding), name), encoding
        except UnicodeDecodeError as error:
            raise SurveyError(
                f"指定の文字コード {encoding} では読めません"
                f"（{_line_of(data, error.start)}行目付近）。",
                file=name,
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name), "utf-16"
    for candidate in ("utf-8", "cp932"):
        try:
            return _no_nul(data.decode(candidate), name), candidate
        except UnicodeDecodeError:
            continue
    return _detected(data, name)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return _no_nul(data.decode(encoding), name)
    except UnicodeDecodeError as error:
        raise SurveyError(
            f"{encoding} として読めない文字があります"
            f"（{_line_of(data, error.start)}行目付近）。ファイルが壊れている可能性があります。",
            file=name,
        ) from None


def _detected(data: bytes, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding in ("utf_8", "cp932", "shift_jis"):
        raise SurveyError(
            "文字コードを判別できません（UTF-8 でも CP932/Shift_JIS でもありません）。"
            "テキストではないファイルの可能性があります。Unknown encoding or binary file.",
            file=name,
        )
    try:
        return _no_nul(data.decode(best.encoding), name), best.encoding
    except (UnicodeDecodeError, LookupError):
        raise SurveyError("文字コードを判別できません。", file=name) from None


def _no_nul(text: str, name: str) -> str:
    position = text.find("\x00")
    if position >= 0:
        line = text.count("\n", 0, position) + 1
        raise SurveyError(
            f"{line}行目に NUL 文字があります。テキストの CSV ではないようです。Binary data.",
            file=name,
            row=line,
        )
    return text


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _csv_rows(text: str, name: str) -> list[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise SurveyError(
                    f"列が多すぎます（{len(row):,}列、上限 {MAX_COLUMNS:,}列）。",
                    file=name,
                    row=reader.line_num,
                )
            rows.append(row)
    except csv.Error as error:
        raise SurveyError(
            f"CSV として読めません（{error}）。1つのセルが長すぎるか、引用符が閉じていません。",
            file=name,
            row=reader.line_num,
        ) from None
    return rows


def _xlsx_rows(data: bytes, name: str) -> list[list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise SurveyError(
            "Excel ファイルが壊れているか途中で切れています。保存し直してください。"
            " Broken or truncated XLSX.",
            file=name,
        ) from None
    if not any(m.filename == "xl/workbook.xml" for m in members):
        raise SurveyError("ZIP ファイルですが Excel（.xlsx）ではありません。", file=name)
    unpacked = sum(m.file_size for m in members)
    ratios = (m.file_size / max(m.compress_size, 1) for m in members)
    if unpacked > MAX_XLSX_UNPACKED_BYTES or max(ratios) > MAX_XLSX_RATIO:
        raise SurveyError(
            "Excel ファイルの展開後サイズが異常に大きいため開きません（ZIP爆弾の可能性）。"
            " Refused: decompression bomb.",
            file=name,
        )
    import openpyxl  # defusedxml, when installed, guards openpyxl's XML parsing

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        cells = 0
        for values in sheet.iter_rows(values_only=True):
            if len(values) > MAX_COLUMNS:
                raise SurveyError(
                    f"列が多すぎます（{len(values):,}列）。", file=name, row=len(rows) + 1
                )
            cells += len(values)
            if cells > MAX_XLSX_CELLS:
                raise SurveyError(
                    f"シートの範囲が大きすぎます（空のセルを含めて{MAX_XLSX_CELLS:,}セル超）。"
                    "使っている範囲だけを新しいブックに貼り付けて保存し直してください。",
                    file=name,
                )
            blank = values.count(None) == len(values)  # gaps come as blank rows: keep them small
            rows.append([] if blank else [_cell_text(v) for v in values])
        workbook.close()
    except SurveyError:
        raise
    except Exception as error:  # openpyxl raises many types on malformed parts
        raise SurveyError(
            f"Excel ファイルを読めません（{type(error).__name__}）。壊れている可能性があります。",
            file=name,
        ) from None
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- From rows to a table --------------------------------------------------------------------

_QUALTRICS_META = {
    "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
    "Finished", "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName",
    "RecipientEmail", "ExternalReference", "LocationLatitude", "LocationLongitude",
    "DistributionChannel", "UserLanguage",
}  # fmt: skip
_MONKEY_FIRST = {"Respondent ID", "Collector ID", "回答者 ID", "回答者ID", "コレクター ID"}
_MONKEY_SUBHEADERS = {"Response", "Open-Ended Response", "回答", "自由回答", "自由記述の回答"}
_MS_FORMS_HEAD = [("ID",), ("開始時刻", "Start time"), ("完了時刻", "Completion time")]
_GOOGLE_FIRST = {"タイムスタンプ", "Timestamp"}
_GRID = re.compile(r"^(?P<question>.+?)\s*\[(?P<item>[^\[\]]+)\]$")


def _table_from_rows(rows: list[list[str]], *, name: str, encoding: str) -> Table:
    head, cells = _trim(rows)
    if not cells:
        raise SurveyError("ファイルに表がありません（空行だけです）。", file=name)
    fmt, header_rows = _detect_format(head)
    headers, labels, questions = _headers(head[:header_rows], fmt)
    body = cells[header_rows:]
    if not body:
        raise SurveyError(
            "見出し行だけで回答がありません（0件）。Header only, no responses.", file=name
        )
    if not any(h.strip() for h in headers):
        raise SurveyError("1行目に列見出しがありません。", file=name, row=1)
    columns = _unique([h.strip() or f"列{i + 1}" for i, h in enumerate(headers)])
    labels = {columns[i]: label for i, label in labels.items() if label}
    questions = {columns[i]: q for i, q in questions.items() if q}
    frame = pd.DataFrame(body, columns=columns, dtype=object)
    warnings = []
    if fmt is Format.MICROSOFT_FORMS:
        warnings += _anonymous_forms_note(frame)
    return Table(frame, name, fmt, encoding, labels, questions, tuple(warnings))


def _trim(rows: list[list[str]]) -> tuple[list[list[str]], list[list[str | None]]]:
    """Drop blank rows and blank trailing columns, in one pass over the cells.

    The rows that have a filled cell come back cut or padded to the last column
    that has one, twice: the first three as text (``""`` where blank), to find
    the header rows in, and all of them as cells (``None`` where blank).
    """
    kept: list[list[str]] = []
    cells: list[list[str | None]] = []
    width = 0
    for row in rows:
        filled = [c if c and c.strip() else None for c in row]  # None, "" and spaces are blank
        row_width = len(filled)
        while row_width and filled[row_width - 1] is None:
            row_width -= 1
        if row_width:
            kept.append(row)
            cells.append(filled)
            width = max(width, row_width)
    head = [_fitted([c or "" for c in row], width, "") for row in kept[:3]]
    return head, [_fitted(row, width, None) for row in cells]


def _fitted(row: list, width: int, blank: str | None) -> list:
    """``row`` cut or padded with ``blank`` to ``width`` cells (itself if it has as many)."""
    if len(row) == width:
        return row
    return row[:width] + [blank] * (width - len(row))


def _detect_format(rows: list[list[str]]) -> tuple[Format, int]:
    """The tool that wrote the file and how many header rows it used."""
    first = [c.strip() for c in rows[0]]
    second = [c.strip() for c in rows[1]] if len(rows) > 1 else []
    third = [c.strip() for c in rows[2]] if len(rows) > 2 else []
    if third and any(c.startswith('{"ImportId"') for c in third):
        return Format.QUALTRICS, 3
    if len(set(first) & _QUALTRICS_META) >= 3 and second and second[0] in ("Start Date", "開始日"):
        return Format.QUALTRICS, 2
    if second and (first[0] in _MONKEY_FIRST or set(second) & _MONKEY_SUBHEADERS):
        return Format.SURVEYMONKEY, 2
    if first and first[0] in _GOOGLE_FIRST:
        return Format.GOOGLE_FORMS, 1
    if len(first) >= 3 and all(first[i] in names for i, names in enumerate(_MS_FORMS_HEAD)):
        return Format.MICROSOFT_FORMS, 1
    if second and _looks_like_group_row(first, second):
        return Format.GENERIC, 2
    return Format.GENERIC, 1


def _looks_like_group_row(first: list[str], second: list[str]) -> bool:
    """A first row of section names (会員情報, Q1, ...) over a row of column names."""

    def blank(cell: str) -> bool:
        return not cell.strip(" ,、.\u3000")

    blank_first = sum(blank(c) for c in first) / len(first)
    blank_second = sum(blank(c) for c in second) / len(second)
    numeric_second = sum(_is_number(c) for c in second) / len(second)
    return blank_first >= 0.3 and blank_second <= 0.05 and numeric_second <= 0.1


def _is_number(cell: str) -> bool:
    try:
        float(unicodedata.normalize("NFKC", cell).replace(",", ""))
    except ValueError:
        return False
    return True


def _headers(
    header_rows: list[list[str]], fmt: Format
) -> tuple[list[str], dict[int, str], dict[int, str]]:
    """Column names, statement labels and grid questions by column position."""
    labels: dict[int, str] = {}
    questions: dict[int, str] = {}
    if fmt is Format.QUALTRICS:
        names, texts = header_rows[0], header_rows[1]
        for i, text in enumerate(texts):
            question, _, item = text.rpartition(" - ")
            labels[i] = item.strip() if question else text.strip()
            if question:
                questions[i] = question.strip()
        return names, labels, questions
    if fmt is Format.SURVEYMONKEY:
        top, sub = header_rows
        names, current = [], ""
        for i, (question, detail) in enumerate(zip(top, sub, strict=True)):
            current = question.strip() or current
            if detail.strip() and detail.strip() not in _MONKEY_SUBHEADERS:
                names.append(detail.strip())
                questions[i] = current
            else:
                names.append(question.strip() or detail.strip())
        return names, labels, questions
    if len(header_rows) == 2:  # a group row over column names
        groups, current = header_rows[0], ""
        for i, group in enumerate(groups):
            current = group.strip(" ,、\u3000") or current
            if current:
                questions[i] = current
        return header_rows[1], labels, questions
    names = header_rows[0]
    for i, name in enumerate(names):
        grid = _GRID.match(name.strip())
        if grid:
            labels[i] = grid["item"].strip()
            questions[i] = grid["question"].strip()
    return names, labels, questions


def _unique(names: Sequence[str]) -> list[str]:
    """Repeated column names get a counter: その他, その他 (2), その他 (3)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        candidate = name if seen[name] == 1 else f"{name} ({seen[name]})"
        while candidate in seen and candidate != name:
            seen[name] += 1
            candidate = f"{name} ({seen[name]})"
        seen.setdefault(candidate, 1)
        out.append(candidate)
    return out


def _anonymous_forms_note(frame: pd.DataFrame) -> list[str]:
    for column in ("メール", "Email"):
        if column in frame:
            anonymous = (frame[column].fillna("").str.lower() == "anonymous").sum()
            if anonymous:
                return [f"{anonymous}件は匿名回答です（メール欄が anonymous）。"]
    return []
