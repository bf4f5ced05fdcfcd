"""Tidy tables as CSV and XLSX downloads that a spreadsheet cannot turn into formulas.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return)
is prefixed with an apostrophe, so Excel shows the text instead of running it
(CSV injection). Numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> object:
    """Text that a spreadsheet would evaluate, made inert; anything else unchanged.

    >>> escape_cell("=HYPERLINK(\\"http://x\\")"), escape_cell("-1"), escape_cell(-1.5)
    ('\\'=HYPERLINK("http://x")', "'-1", -1.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and headers) are safe to open in a spreadsheet."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(escape_cell)
    safe.columns = [escape_cell(str(c)) for c in safe.columns]
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel on Japanese Windows opens it without mojibake."""
    return escaped(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per table; every text cell is stored as text, never a formula."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(title=name[:31])
        safe = escaped(frame)
        sheet.append([str(c) for c in safe.columns])
        for row in safe.itertuples(index=False):
            sheet.append([None if _missing(v) else _plain(v) for v in row])
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would otherwise read "=..." as a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: object) -> object:
    """numpy scalars -> Python values openpyxl can write."""
    return value.item() if hasattr(value, "item") else value
