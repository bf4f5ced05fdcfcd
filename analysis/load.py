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
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.errors import SurveyError

MAX_FILE_BYTES = 50 * 1024 * 1024  # below server.maxUploadSize, so the app says why in Japanese
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024  # refuse zip bombs before opening them
MAX_XLSX_RATIO = 200  # uncompressed / compressed size of any one member
MAX_XLSX_CELLS = (
    5_100_000  # cells a sheet spans, blank ones included: 50,000 answers x 100 and headers
)
# openpyxl spends about 7 us on a cell and 20-30 us on an inline string (a <is> run, parsed as rich
# text), so what the sheets' XML holds is weighed before it is parsed: time, not only size, bounded
MAX_XLSX_CELL_WORK = 5_100_000  # cells written in all sheets, an inline string counting 4
INLINE_STRING_WEIGHT = 4
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
    digest: str = ""  # SHA-256 of the source bytes (and sheet read): the same file, the same digest
    sheets: tuple[str, ...] = ()  # every sheet of a workbook, in order (empty for a CSV)
    sheet: str | None = None  # the sheet read, when the workbook has several

    @cached_property
    def _counts(self) -> dict[str, Counter[str]]:
        return {}

    def answer_counts(self, column: str) -> Counter[str]:
        """How often each non-blank cell of ``column`` occurs, as written (counted once per table).

        Inference, scale detection and the unknown-label warnings all read these
        counts, so a 50,000-row column is counted once, not once per reader.
        """
        if column not in self._counts:
            values = self.frame[column]
            counts = values.value_counts(sort=False, dropna=True)
            self._counts[column] = Counter(
                {str(v): int(n) for v, n in counts.items() if str(v) and not str(v).isspace()}
            )
        return self._counts[column]

    def label(self, column: str) -> str:
        """The statement a person reads for ``column``."""
        return self.labels.get(column, column)


def read_survey(
    source: bytes | str | Path,
    *,
    name: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
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
    sheet
        The workbook sheet to read. By default the only sheet, or, in a workbook
        of several, the one that looks like the answers (most filled cells in
        rows of two or more; a cover page loses), with a warning naming it.

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
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"PK\x03\x04"):
        book = _xlsx_rows(data, name, sheet)
        table = _table_from_rows(book.rows, name=name, encoding="xlsx")
        if book.sheet is not None:  # the same bytes, another sheet: another table
            digest = hashlib.sha256(f"{digest}|{book.sheet}".encode()).hexdigest()
        return replace(
            table,
            digest=digest,
            sheets=book.sheets,
            sheet=book.sheet,
            warnings=book.warnings + table.warnings,
        )
    if sheet is not None:
        raise SurveyError(
            f"シート「{sheet}」を指定しましたが、CSV/TSV にはシートがありません。", file=name
        )
    text, used = _decode(data, name, encoding)
    table = _table_from_rows(_csv_rows(text, name), name=name, encoding=used)
    return replace(table, digest=digest)


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
    """The file's text and the encoding that produced it.

    Without a BOM the candidates are tried strictly: ISO-2022-JP (7-bit, so it
    would otherwise pass as UTF-8 with its escape sequences left in), UTF-8,
    then CP932 and EUC-JP, the more Japanese-looking reading winning when both
    decode (EUC-JP bytes also decode as CP932, as half-width katakana). Never
    ``shift_jis``: CP932 is its superset as Windows writes it.
    """
    if encoding:
        try:
            text_codec = getattr(codecs.lookup(encoding), "_is_text_encoding", True)  # not base64
        except (LookupError, ValueError):
            text_codec = False
        if not text_codec:
            raise SurveyError(f"文字コード「{encoding}」は使えません。", file=name)
        try:
            return _plain_text(data.decode(encoding), name), encoding
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
    if any(escape in data for escape in _ISO2022_ESCAPES):
        return _iso2022(data, name)
    try:
        return _plain_text(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    readings: list[tuple[str, str]] = []
    failed_at = 0
    for candidate in _LEGACY_JAPANESE:
        try:
            readings.append((data.decode(candidate), candidate))
        except UnicodeDecodeError as error:
            failed_at = max(failed_at, error.start)
    if readings:  # cp932 before euc_jp: a tie keeps the Windows reading
        text, used = max(readings, key=lambda reading: _japanese_share(reading[0]))
        return _plain_text(text, name), used
    return _detected(data, name, failed_at)


_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(B", b"\x1b(J")
_LEGACY_JAPANESE = ("cp932", "euc_jp", "euc_jis_2004")  # euc_jis_2004 adds ① and other rows
_JAPANESE_CODECS = ("utf", "cp932", "shift_jis", "sjis", "euc", "iso2022", "big5", "gb", "cp949",
                    "cp950", "hz", "johab")  # fmt: skip
_LIKELY_JAPANESE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# NUL and ESC: signs of a binary file or JIS escapes read as text. Other C0 characters (a
# vertical tab from an Excel line break, a stray BEL pasted into a comment) are kept: the
# cell is the person's answer, and display cleaning drops them (deck.content.clean_text).
_CONTROL = re.compile(r"[\x00\x1b]")


def _japanese_share(text: str) -> float:
    """Share of the non-ASCII characters (first 200,000) that are kana, kanji or full-width."""
    sample = text[:200_000]
    foreign = len(_NON_ASCII.findall(sample))
    return len(_LIKELY_JAPANESE.findall(sample)) / foreign if foreign else 1.0


def _iso2022(data: bytes, name: str) -> tuple[str, str]:
    """An ISO-2022-JP file (JIS code, as old mailers and Unix tools wrote it), decoded strictly."""
    for candidate in ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext"):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if "\x1b" not in text:
            return _plain_text(text, name), candidate
    raise SurveyError(
        "ISO-2022-JP（JIS コード）のようですが、正しく読めません。UTF-8 か CP932"
        "（Shift_JIS）で保存し直してください。Unreadable ISO-2022-JP.",
        file=name,
    )


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return _plain_text(data.decode(encoding), name)
    except UnicodeDecodeError as error:
        raise SurveyError(
            f"{encoding} として読めない文字があります"
            f"（{_line_of(data, error.start)}行目付近）。ファイルが壊れている可能性があります。",
            file=name,
        ) from None


def _detected(data: bytes, name: str, failed_at: int = 0) -> tuple[str, str]:
    """A non-Japanese single-byte encoding, as charset_normalizer judges it, or a refusal.

    A Japanese or other CJK guess here would be a file that UTF-8, CP932 and
    EUC-JP all failed on: a damaged file, whose reading would be mojibake.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    guess = best.encoding.lower() if best is not None else ""
    if not guess or guess.startswith(_JAPANESE_CODECS):
        raise SurveyError(
            "文字コードを判別できません（UTF-8・CP932/Shift_JIS・EUC-JP のどれでも"
            f"{_line_of(data, failed_at)}行目付近が読めません）。"
            "壊れているか、テキストではないファイルの可能性があります。"
            "Unknown encoding or binary file.",
            file=name,
        )
    try:
        return _plain_text(data.decode(guess), name), guess
    except (UnicodeDecodeError, LookupError):
        raise SurveyError("文字コードを判別できません。", file=name) from None


def _plain_text(text: str, name: str) -> str:
    """``text`` unless it holds NUL or ESC (a trailing ^Z is dropped)."""
    if text.endswith("\x1a"):  # the end-of-file mark of old DOS tools
        text = text[:-1]
    found = _CONTROL.search(text)
    if found is None:
        return text
    line = text.count("\n", 0, found.start()) + 1
    character = found.group()
    if character == "\x00":
        message = "NUL 文字があります。テキストの CSV ではないようです。Binary data."
    else:
        message = (
            "エスケープ文字（ESC）があります。ISO-2022-JP（JIS コード）などの壊れたファイルか、"
            "テキストではないファイルのようです。UTF-8 で保存し直してください。"
        )
    raise SurveyError(f"{line}行目に{message}", file=name, row=line)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _csv_rows(text: str, name: str) -> list[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    csv.field_size_limit(MAX_FIELD_CHARS)
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    row_end = row_start = 0  # offsets in ``text`` of the last row read
    lines_before = lines_read = 0  # physical lines before the last row, and read so far
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise SurveyError(
                    f"列が多すぎます（{len(row):,}列、上限 {MAX_COLUMNS:,}列）。",
                    file=name,
                    row=reader.line_num,
                )
            rows.append(row)
            row_start, row_end = row_end, lines.offset
            lines_before, lines_read = lines_read, reader.line_num
    except csv.Error as error:
        raise SurveyError(
            f"CSV として読めません（{error}）。1つのセルが長すぎるか、引用符が閉じていません。",
            file=name,
            row=reader.line_num,
        ) from None
    # With strict=False a quote that never closes takes the rest of the file into one cell,
    # always the last row: look for the open quote in that row's text only.
    opened = _unclosed_quote(text, row_start, delimiter)
    if opened is not None:
        line = lines_before + 1 + _line_breaks(text, row_start, opened)
        raise SurveyError(
            f'{line}行目で引用符（"）が閉じられていません。その行からファイルの最後までが'
            "1つのセルになってしまいます。引用符を閉じるか取り除いて保存し直してください。",
            file=name,
            row=line,
        )
    return rows


class _Lines:
    """The lines of ``text`` for ``csv.reader`` (\\n, \\r\\n or \\r kept), and how far it has read."""

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self.offset = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._lines.readline()
        if not line:
            raise StopIteration
        self.offset += len(line)
        return line


def _line_breaks(text: str, start: int, end: int) -> int:
    """Line breaks (\\n, \\r\\n or \\r, each one) in ``text[start:end]``."""
    return (
        text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)
    )


_CLOSED_QUOTE = re.compile(r'"(?:[^"]++|"")*+"')  # possessive: no backtracking past ""


def _unclosed_quote(text: str, start: int, delimiter: str) -> int | None:
    """Where a field that opens with a quote and never closes begins in ``text[start:]``.

    Follows ``csv`` with ``strict=False``: a quote opens a field only as its
    first character; ``""`` inside is a quote; after the closing quote the
    field runs on, quotes included, to the next delimiter or line end.
    """
    rest = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    position, end = start, len(text)
    while position < end:
        if text[position] == '"':
            closed = _CLOSED_QUOTE.match(text, position)
            if closed is None:
                return position
            position = closed.end()
        position = rest.match(text, position).end() + 1  # past the delimiter or line break
    return None


SHEET_SAMPLE_ROWS = 200  # rows of each sheet looked at to find the one holding the answers


@dataclass(frozen=True)
class _Book:
    """The rows of the sheet read from a workbook, and which sheet that was."""

    rows: list[list[str]]
    sheets: tuple[str, ...]
    sheet: str | None  # None when the workbook has one sheet
    warnings: tuple[str, ...] = ()


def _xlsx_rows(data: bytes, name: str, wanted: str | None = None) -> _Book:
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
        _refuse_slow_sheets(archive, members, name)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        worksheets = workbook.worksheets
        titles = tuple(w.title for w in worksheets)
        if not worksheets:
            raise SurveyError("Excel ファイルにワークシートがありません。", file=name)
        if wanted is not None and wanted not in titles:
            raise SurveyError(
                f"シート「{wanted}」がありません（あるシート: "
                f"{'、'.join(f'「{t}」' for t in titles)}）。",
                file=name,
            )
        warnings: tuple[str, ...] = ()
        if wanted is not None:
            sheet = worksheets[titles.index(wanted)]
        elif len(worksheets) == 1:
            sheet = worksheets[0]
        else:
            sheet = max(worksheets, key=_answer_likeness)  # max keeps the first of equals
            others = "".join(f"「{t}」" for t in titles if t != sheet.title)
            warnings = (
                f"ブックに{len(titles)}枚のシートがあります。「{sheet.title}」を読み込みました"
                f"（ほかに{others}）。違うシートの場合は選び直してください。",
            )
        rows = _sheet_rows(sheet, name)
        workbook.close()
    except SurveyError:
        raise
    except Exception as error:  # openpyxl raises many types on malformed parts
        raise SurveyError(
            f"Excel ファイルを読めません（{type(error).__name__}）。壊れている可能性があります。",
            file=name,
        ) from None
    return _Book(rows, titles, sheet.title if len(titles) > 1 else None, warnings)


_CELL_START = re.compile(rb"<(?:\w{1,10}:)?(c|is)[\s/>]")
_TAG_OVERLAP = 16  # longer than any match above


def _refuse_slow_sheets(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], name: str
) -> None:
    """Refuse a workbook whose sheets hold more cells than openpyxl reads in reasonable time.

    The sheets' XML is streamed once through zlib (about a second for the
    200 MB allowed) and its ``<c>`` and ``<is>`` tags counted, before anything
    is parsed: a 1 MB file whose sheet inflates 190-fold into short inline
    strings otherwise takes minutes to read.
    """
    work = 0
    for member in members:
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        carry = b""
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 20):
                buffer = carry + chunk
                cut = len(buffer) - _TAG_OVERLAP
                for tag in _CELL_START.finditer(buffer, 0, len(buffer)):
                    if tag.start() >= cut:
                        break
                    work += 1 if tag.group(1) == b"c" else INLINE_STRING_WEIGHT - 1
                carry = buffer[max(cut, 0) :]
                if work > MAX_XLSX_CELL_WORK:
                    raise SurveyError(
                        f"シートのセルが多すぎるため開きません（{MAX_XLSX_CELL_WORK:,}セル相当超、"
                        "文字列を直接書き込んだセルは4セルと数えます）。回答の表だけを CSV で"
                        "書き出すか、使っている範囲だけを新しいブックに保存し直してください。",
                        file=name,
                    )
        work += sum(1 if t.group(1) == b"c" else INLINE_STRING_WEIGHT - 1
                    for t in _CELL_START.finditer(carry))  # fmt: skip
    if work > MAX_XLSX_CELL_WORK:
        raise SurveyError(
            f"シートのセルが多すぎるため開きません（{MAX_XLSX_CELL_WORK:,}セル相当超）。",
            file=name,
        )


def _sheet_rows(sheet, name: str) -> list[list[str]]:
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
    return rows


def _answer_likeness(sheet) -> tuple[bool, int]:
    """How much a sheet looks like a table of answers, from its first rows only.

    Filled cells in rows that have at least two, and whether there are two such
    rows: a cover page (a title over lines of notes, one column) scores nothing.
    Rows are cut at ``MAX_COLUMNS + 1`` cells, so a sheet that claims to span
    every column costs no more than a wide one; reading it is refused later.
    """
    width = min(sheet.max_column or MAX_COLUMNS + 1, MAX_COLUMNS + 1)
    filled_rows = filled_cells = 0
    for values in sheet.iter_rows(max_row=SHEET_SAMPLE_ROWS, max_col=width, values_only=True):
        filled = sum(v is not None and str(v).strip() != "" for v in values)
        if filled >= 2:
            filled_rows += 1
            filled_cells += filled
    return filled_rows >= 2, filled_cells


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


@dataclass(frozen=True)
class Layout:
    """How one survey tool writes its export: how to recognise it, and its own columns.

    A file is this layout when every test given holds: its first header cells
    (``leading``, each position one of a set), at least ``min_known`` of
    ``known`` among the first row's cells, a second row holding one of
    ``second_row``, a third row with a cell starting with one of ``third_row_prefixes``.
    ``metadata`` gives the meaning of the tool's own columns (``timestamp``,
    ``pii``, ``respondent``, ``other``), read by :mod:`analysis.inference`.
    Adding a tool is one record here and one test row.
    """

    format: Format
    name: str
    header_rows: int
    leading: tuple[frozenset[str], ...] = ()
    known: frozenset[str] = frozenset()
    min_known: int = 0
    second_row: frozenset[str] = frozenset()
    third_row_prefixes: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    note: str = ""

    def matches(self, first: list[str], second: list[str], third: list[str]) -> bool:
        if len(first) < len(self.leading) or any(
            first[i] not in names for i, names in enumerate(self.leading)
        ):
            return False
        if self.min_known and len(set(first) & self.known) < self.min_known:
            return False
        if self.second_row and not set(second) & self.second_row:
            return False
        return not self.third_row_prefixes or any(
            c.startswith(self.third_row_prefixes) for c in third
        )


_QUALTRICS_METADATA = {
    "StartDate": "timestamp", "EndDate": "timestamp", "RecordedDate": "timestamp",
    "Status": "other", "Progress": "other", "Duration (in seconds)": "other",
    "Finished": "other", "ResponseId": "other", "DistributionChannel": "other",
    "UserLanguage": "other", "IPAddress": "pii", "RecipientLastName": "pii",
    "RecipientFirstName": "pii", "RecipientEmail": "pii", "LocationLatitude": "pii",
    "LocationLongitude": "pii", "LocationAccuracy": "other", "ExternalReference": "respondent",
    "ExternalDataReference": "respondent", "ResponseID": "other", "ResponseSet": "other",
    "Name": "pii", "EmailAddress": "pii",  # the legacy export's V1..V10 labels
}  # fmt: skip
_MONKEY_METADATA = {
    "Respondent ID": "other", "Collector ID": "other", "Start Date": "timestamp",
    "End Date": "timestamp", "IP Address": "pii", "Email Address": "pii", "First Name": "pii",
    "Last Name": "pii", "Custom Data 1": "respondent", "回答者 ID": "other", "回答者ID": "other",
    "コレクター ID": "other", "開始日": "timestamp", "終了日": "timestamp", "IP アドレス": "pii",
    "メール アドレス": "pii", "名": "pii", "姓": "pii", "カスタム データ 1": "respondent",
}  # fmt: skip
_MONKEY_SUBHEADERS = frozenset(
    {"Response", "Open-Ended Response", "回答", "自由回答", "自由記述の回答", "その他（具体的に）"}
)
_MS_FORMS_METADATA = {
    "ID": "other", "開始時刻": "timestamp", "完了時刻": "timestamp", "最終変更時刻": "timestamp",
    "Start time": "timestamp", "Completion time": "timestamp", "Last modified time": "timestamp",
    "メール": "pii", "名前": "pii", "Email": "pii", "Name": "pii",
}  # fmt: skip
_GOOGLE_METADATA = {
    "タイムスタンプ": "timestamp", "Timestamp": "timestamp", "メールアドレス": "pii",
    "Email Address": "pii", "Email address": "pii", "スコア": "other", "Score": "other",
}  # fmt: skip

LAYOUTS: tuple[Layout, ...] = (
    Layout(Format.QUALTRICS, "Qualtrics", 3, third_row_prefixes=('{"ImportId"', "{'ImportId'"),
           metadata=_QUALTRICS_METADATA, note="3行の見出し（列コード・設問文・ImportId）"),
    Layout(Format.QUALTRICS, "Qualtrics", 2, second_row=frozenset({"ResponseID"}),
           leading=(frozenset({"V1"}), frozenset({"V2"}), frozenset({"V3"})),
           metadata=_QUALTRICS_METADATA, note="旧形式の2行の見出し（V1… と設問文）"),
    Layout(Format.QUALTRICS, "Qualtrics", 2, known=frozenset(_QUALTRICS_METADATA), min_known=3,
           second_row=frozenset({"Start Date", "開始日"}), metadata=_QUALTRICS_METADATA,
           note="2行の見出し（列コード・設問文）"),
    Layout(Format.SURVEYMONKEY, "SurveyMonkey", 2, known=frozenset(_MONKEY_METADATA),
           min_known=2, second_row=_MONKEY_SUBHEADERS, metadata=_MONKEY_METADATA,
           note="2行の見出し（設問・選択肢）"),
    Layout(Format.SURVEYMONKEY, "SurveyMonkey", 2, second_row=_MONKEY_SUBHEADERS,
           leading=(frozenset({"Respondent ID", "回答者 ID", "回答者ID"}),),
           metadata=_MONKEY_METADATA, note="2行の見出し（設問・選択肢）"),
    Layout(Format.GOOGLE_FORMS, "Google フォーム", 1,
           leading=(frozenset({"タイムスタンプ", "Timestamp"}),), metadata=_GOOGLE_METADATA),
    Layout(Format.MICROSOFT_FORMS, "Microsoft Forms", 1,
           leading=(frozenset({"ID"}), frozenset({"開始時刻", "Start time"}),
                    frozenset({"完了時刻", "Completion time"})),
           metadata=_MS_FORMS_METADATA),
)  # fmt: skip
LAYOUTS_BY_FORMAT = {layout.format: layout for layout in LAYOUTS}
_QUALTRICS_GRID_ID = re.compile(r"ImportId['\"]\s*:\s*['\"](?P<question>QID\d+)[-_]\d+['\"]")
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
        filled = [c if c and not c.isspace() else None for c in row]  # None, "" and spaces: blank
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
    """The tool that wrote the file (the first layout that matches) and its header rows."""
    first, second, third = ([c.strip() for c in row] for row in [*rows[:3], [], [], []][:3])
    for layout in LAYOUTS:
        if layout.header_rows <= len(rows) and layout.matches(first, second, third):
            return layout.format, layout.header_rows
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
        imports = header_rows[2] if len(header_rows) > 2 else [""] * len(names)
        for i, (text, import_id) in enumerate(zip(texts, imports, strict=False)):
            question, _, item = text.rpartition(" - ")
            labels[i] = item.strip() if question else text.strip()
            grid = _QUALTRICS_GRID_ID.search(import_id)  # {"ImportId":"QID4_1"}: part of QID4
            if question or grid:
                questions[i] = question.strip() or grid["question"]
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
