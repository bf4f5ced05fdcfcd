"""Column configurations for st.dataframe: Japanese headers and number formats."""

from __future__ import annotations

import streamlit as st

from analysis import spreadsheet

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


def generic(frame) -> dict:
    """Japanese headers and two decimals for any tidy table."""
    config = {}
    for column in frame.columns:
        name = HEADERS_JA.get(column, column)
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
