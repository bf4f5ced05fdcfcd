"""Export: the trainer deck (editable PowerPoint) and the tidy tables as CSV / XLSX."""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from analysis.audit import Action
from analysis.spreadsheet import csv_bytes, for_people
from ui import auth, columns, data, state, text, widgets

survey = widgets.page_survey("書き出し")
min_scores = data.threshold(state.SETTING_MIN_SCORES)
min_comments = data.threshold(state.SETTING_MIN_COMMENTS)
stem = f"kakehashi_{dt.date.today():%Y%m%d}"

st.subheader(text.label("研修講師用スライド（PowerPoint）"))
st.caption(
    text.label(
        "グラフは PowerPoint のネイティブグラフなので、色や文言をあとから編集できます。"
        "{scores}人未満のグループの数値、{comments}人未満のグループのコメント、個人情報は含まれません。",
        scores=min_scores,
        comments=min_comments,
    )
)
if st.button(text.label("スライドを作成"), type="primary", icon=":material/slideshow:"):
    bar = st.progress(0.0, text=text.label("準備しています…"))
    deck = data.deck(
        survey, min_scores, min_comments, lambda share, step: bar.progress(share, text=step)
    )
    bar.empty()
    auth.record(Action.DECK_EXPORT, survey=data.current_choice(), detail=f"{stem}_deck.pptx")
    st.download_button(
        text.label("スライドをダウンロード（.pptx）"),
        deck,
        file_name=f"{stem}_deck.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        icon=":material/download:",
        on_click="ignore",
    )

st.subheader(text.label("集計表"))
st.caption(
    text.label("数式として実行されないよう、= + - @ で始まるセルは先頭に ' を付けています。")
)
tables = data.export_table_names(survey)  # each table is computed when shown or downloaded
if not tables:
    st.info(text.label("書き出せる集計表がありません（尺度項目が見つかりません）。"))
    st.stop()
left, right = st.columns(2)
left.download_button(
    text.label("すべての表（Excel .xlsx）"),
    partial(data.export_xlsx, survey, min_scores),  # built when clicked, not on every view
    file_name=f"{stem}_tables.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/table_view:",
    on_click="ignore",
)
names = text.choices(tables)
name = names[right.selectbox(text.label("CSV で書き出す表"), list(names))]
table = data.export_table(survey, name, min_scores)
right.download_button(
    text.label("「{name}」（CSV）", name=text.label(name)),
    partial(csv_bytes, table),  # written when clicked, as the XLSX
    file_name=f"{stem}_{name}.csv",
    mime="text/csv",
    icon=":material/csv:",
    on_click="ignore",
)
shown = columns.written_values(for_people(table))  # as downloaded, in the chosen language
st.dataframe(
    shown, hide_index=True, placeholder=columns.MISSING, column_config=columns.generic(shown)
)
