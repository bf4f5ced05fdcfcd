"""Tidy tables as CSV and XLSX downloads that a spreadsheet cannot turn into formulas.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return)
is prefixed with an apostrophe, so Excel shows the text instead of running it
(CSV injection). Numbers stay numbers. Headers and coded values are written
for people (:func:`for_people`): 「役割」 not ``role``, 「Cliff の δ」 not
``cliffs_delta``, はい/いいえ not True/False.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Every column a published table has, as a person reads it (pages, CSV and XLSX).
HEADERS_JA = {
    "role": "役割", "wave": "回答時期", "department": "部署", "item": "項目", "points": "件法",
    "reverse": "逆転", "n": "人数", "mean": "平均", "mean_low": "平均 95%CI下限",
    "mean_high": "平均 95%CI上限", "score100": "スコア(0-100)", "score100_low": "スコア 95%CI下限",
    "score100_high": "スコア 95%CI上限", "favourable": "肯定率", "favourable_low": "肯定率 95%CI下限",
    "favourable_high": "肯定率 95%CI上限", "midpoint": "中間回答率",
    "midpoint_low": "中間回答率 95%CI下限", "midpoint_high": "中間回答率 95%CI上限",
    "suppressed": "非表示", "reason": "非表示の理由", "note": "注記", "a": "役割A", "b": "役割B",
    "effect": "効果量の種類", "effect_size": "効果量", "effect_low": "効果量 95%CI下限",
    "effect_high": "効果量 95%CI上限", "diff": "差", "diff_low": "差 95%CI下限",
    "diff_high": "差 95%CI上限", "mean_a": "平均A", "mean_b": "平均B", "n_a": "人数A",
    "n_b": "人数B", "favourable_diff": "肯定率の差", "favourable_diff_low": "肯定率の差 95%CI下限",
    "favourable_diff_high": "肯定率の差 95%CI上限", "p": "p値", "p_adj": "補正後p値",
    "correction": "補正方法", "from_wave": "比較元", "to_wave": "比較先", "method": "方法",
    "n_pairs": "対応のある人数", "n_from": "人数（比較元）", "n_to": "人数（比較先）",
    "rank_biserial": "順位双列相関", "p_rank": "p値（順位検定）", "p_t": "p値（t検定）",
}  # fmt: skip
CORRECTIONS_JA = {"holm": "Holm 法"}
SIZE_COLUMNS = ("n", "n_a", "n_b", "n_pairs", "n_from", "n_to")


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """A published table with Japanese headers and coded values written out.

    >>> t = pd.DataFrame({"role": ["管理職"], "effect": ["cliffs_delta"], "method": ["unpaired"],
    ...                   "suppressed": [False], "correction": ["holm"]})
    >>> for_people(t).iloc[0].to_dict()
    {'役割': '管理職', '効果量の種類': 'Cliff の δ', '方法': '対応なし', '非表示': 'いいえ', '補正方法': 'Holm 法'}
    >>> for_people(pd.DataFrame({"n": [12, 0], "suppressed": [False, True]}))["人数"].tolist()
    [12, None]
    """
    from analysis.stats import EFFECT_NAMES_JA, METHOD_NAMES_JA

    out = frame.copy()
    if "suppressed" in out:  # a hidden cell's size reads blank, not 「0人」
        hidden = out["suppressed"].astype(bool)
        for column in (c for c in SIZE_COLUMNS if c in out):
            out[column] = out[column].astype(object).where(~hidden, None)
    for column, names in (("effect", EFFECT_NAMES_JA), ("method", METHOD_NAMES_JA),
                          ("correction", CORRECTIONS_JA)):  # fmt: skip
        if column in out:
            out[column] = out[column].map(lambda v, names=names: names.get(v, v))
    for column in out.columns:
        if pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map({True: "はい", False: "いいえ"})
    return out.rename(columns=HEADERS_JA)


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
    """UTF-8 with BOM, so Excel on Japanese Windows opens it without mojibake; headers in Japanese."""
    return escaped(for_people(frame)).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per table (Japanese headers); text cells are text, never formulas."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(title=name[:31])
        safe = escaped(for_people(frame))
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
