"""Before/after: how each role's answers moved across waves, and whether the change lasted."""

from __future__ import annotations

import streamlit as st

from analysis import figures, stats
from ui import columns, data, state, text, widgets

survey = widgets.page_survey("研修前後の変化", needs_items=True)
if len(survey.waves) < 2:
    st.info(
        text.label(
            "回答時期が1つしかないため、変化は計算できません。別の回答時期のファイルを保存してください。"
        )
    )
    st.stop()
min_scores = data.threshold(state.SETTING_MIN_SCORES)

headlines = data.headlines(survey, min_scores)
if headlines:
    st.subheader(text.label("ポイント"))
    st.markdown("\n".join(f"- {widgets.plain(text.sentence(line))}" for line in headlines))

heads = data.headcounts()
st.caption(
    "  \n".join(
        widgets.respondent_line(survey, wave, min_group=min_scores, headcounts=heads)
        for wave in survey.waves
    )
)

cells = data.wave_scores(survey, min_scores)
item = st.selectbox(text.label("項目"), list(dict.fromkeys(cells["item"])))
st.plotly_chart(
    figures.trend_lines(
        cells, item=item, waves=survey.waves, items=survey.schema.items, label=text.label
    ),
    width="stretch",
)

changes = data.wave_changes(survey, min_scores)
changes = changes[~changes["suppressed"]]
PAIRED = text.label(
    "対応あり: 同じ人の回答を比較（Wilcoxon 符号順位検定・対応のある t 検定、効果量 d_z）"
)
UNPAIRED = text.label(
    "対応なし: 別々の集団として比較（Mann-Whitney U・Welch t、効果量 Cliff の δ）"
)
used = set(changes["method"])
st.subheader(text.label("役割ごとの変化"))
methods = " ／ ".join(m for key, m in (("paired", PAIRED), ("unpaired", UNPAIRED)) if key in used)
st.caption(text.label("方法: {methods}。p値は Holm 法で補正。", methods=methods))
if survey.schema.respondent is None:
    st.caption(text.label("回答者IDがないため、同じ人を回答時期でつなげません（すべて対応なし）。"))
notes = changes["note"].dropna().unique() if "note" in changes else []
for note in notes:  # e.g. why a paired comparison is held back
    st.caption(widgets.plain(text.sentence(note)))
shown = changes[changes["item"] == item]
shown = shown.assign(
    method=shown["method"].map(stats.METHOD_NAMES_JA).map(text.label),
    effect=shown["effect"].map(stats.EFFECT_NAMES_JA).fillna(shown["effect"]).map(text.label),
    n_pairs=shown["n_pairs"].where(shown["n_pairs"] > 0),  # blank, not 0, when unpaired
)
st.dataframe(
    shown[list(columns.CHANGE)],
    hide_index=True,
    placeholder=columns.MISSING,
    column_config=columns.localized(columns.CHANGE),
)

kept = data.retention(survey, min_scores)
if not kept.empty:
    st.subheader(text.label("定着率（研修後の伸びのうち、フォローアップ時点で残っている割合）"))
    kept = kept[(kept["item"] == item) & ~kept["suppressed"]]
    st.dataframe(
        kept[["role", "mean_baseline", "mean_post", "mean_follow_up", "retention"]],
        hide_index=True,
        placeholder=columns.MISSING,
        column_config=columns.localized(columns.RETENTION),
    )
