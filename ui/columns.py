"""Column configurations for st.dataframe: Japanese headers and number formats.

The configurations hold the Japanese headers; :func:`localized` gives a page the copy in
the chosen language (the English headers are in :mod:`ui.text`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import spreadsheet, stats
from ui import text

MISSING = "—"  # what a table cell with no value shows (st.dataframe's placeholder), never "None"

GAP = {
    "item": st.column_config.TextColumn("項目", width="large"),
    "a": st.column_config.TextColumn("役割A"),
    "b": st.column_config.TextColumn("役割B"),
    "effect_size": st.column_config.NumberColumn("効果量 g", format="%.2f"),
    "effect_low": st.column_config.NumberColumn("95%CI 下限", format="%.2f"),
    "effect_high": st.column_config.NumberColumn("95%CI 上限", format="%.2f"),
    "diff": st.column_config.NumberColumn("平均の差（A−B）", format="%.2f"),
    "n_a": st.column_config.NumberColumn("人数A"),
    "n_b": st.column_config.NumberColumn("人数B"),
    "p_adj": st.column_config.NumberColumn("補正後p値", format="%.3f"),
}

CHANGE = {
    "role": st.column_config.TextColumn("役割"),
    "item": st.column_config.TextColumn("項目", width="large"),
    "from_wave": st.column_config.TextColumn("比較元"),
    "to_wave": st.column_config.TextColumn("比較先"),
    "method": st.column_config.TextColumn("方法"),
    "n_pairs": st.column_config.NumberColumn("対応のある人数"),
    "diff": st.column_config.NumberColumn("平均の変化", format="%+.2f"),
    "effect": st.column_config.TextColumn("効果量の種類"),
    "effect_size": st.column_config.NumberColumn("効果量", format="%.2f"),
    "p_adj": st.column_config.NumberColumn("補正後p値", format="%.3f"),
}

RETENTION = {
    "role": st.column_config.TextColumn("役割"),
    "mean_baseline": st.column_config.NumberColumn("研修前", format="%.2f"),
    "mean_post": st.column_config.NumberColumn("研修後", format="%.2f"),
    "mean_follow_up": st.column_config.NumberColumn("フォローアップ", format="%.2f"),
    "retention": st.column_config.NumberColumn("定着率", format="percent"),
}

HEADERS_JA = spreadsheet.HEADERS_JA  # the one header table, shared with the downloads
# Values the product writes into a published table (spreadsheet.for_people), not the data's.
WRITTEN_VALUES = frozenset(
    {"はい", "いいえ", *stats.EFFECT_NAMES_JA.values(), *stats.METHOD_NAMES_JA.values()}
    | set(spreadsheet.CORRECTIONS_JA.values())
)


def localized(config: dict) -> dict:
    """``config`` with each column's header and help in the chosen language (:func:`ui.text.label`)."""
    return {
        column: entry | {k: text.label(entry[k]) for k in ("label", "help") if entry.get(k)}
        for column, entry in config.items()
    }


def written_values(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the values the product wrote (はい, 対応なし, Holm 法…) in the chosen
    language; the survey's own values stay as written."""
    if not text.english():
        return frame
    written = [c for c in frame.columns if frame[c].isin(WRITTEN_VALUES).any()]
    return frame.assign(
        **{c: frame[c].map(lambda v: text.label(v) if v in WRITTEN_VALUES else v) for c in written}
    )


def generic(frame) -> dict:
    """Japanese headers (English when chosen) and two decimals for any tidy table."""
    config = {}
    for column in frame.columns:
        name = text.label(HEADERS_JA.get(column, column))
        if frame[column].dtype.kind == "f":
            config[column] = st.column_config.NumberColumn(name, format="%.2f")
        else:
            config[column] = st.column_config.Column(name)
    return config


TERMS = {
    "role": st.column_config.TextColumn("役割"),
    "wave": st.column_config.TextColumn("回答時期"),
    "term": st.column_config.TextColumn("語"),
    "z": st.column_config.NumberColumn("z", format="%.2f"),
    "count": st.column_config.NumberColumn("出現回数"),
}
