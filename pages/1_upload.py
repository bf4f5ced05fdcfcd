"""Upload: read a survey export, check and correct what was understood, save its waves."""

from __future__ import annotations

import streamlit as st

from analysis.audit import Action
from analysis.errors import SurveyError
from analysis.load import FORMAT_NAMES_JA, MAX_FILE_BYTES
from analysis.store import DEFAULT_SURVEY
from ui import auth, columns, data, mapping, state, text, widgets

st.set_page_config(
    page_title=f"{text.label('アップロード')} | 架け橋", page_icon=widgets.PAGE_ICON, layout="wide"
)
st.title(text.label("アンケートのアップロード"))
widgets.navigation()
st.caption(
    text.label(
        "Google フォーム・Microsoft Forms・SurveyMonkey・Qualtrics の書き出し、Excel の CSV（CP932）に対応。"
        "上限 {mb} MB。",
        mb=MAX_FILE_BYTES // 1024 // 1024,
    )
)

st.html(widgets.HIDE_UPLOAD_SIZE_HINT)  # the one raw HTML in the UI: a constant style
uploaded = st.file_uploader(
    text.label("ファイルを選択（CSV / TSV / XLSX）"), type=["csv", "tsv", "txt", "xlsx"]
)
if uploaded is None:
    st.stop()
content, name = uploaded.getvalue(), uploaded.name

ENCODINGS = {
    "自動判定": None,
    "UTF-8": "utf-8",
    "UTF-8（BOM付き）": "utf-8-sig",
    "CP932（Excel）": "cp932",
    "UTF-16": "utf-16",
}
encodings = text.choices(ENCODINGS)
encoding = ENCODINGS[
    encodings[
        st.selectbox(
            text.label("文字コード"),
            list(encodings),
            help=text.label("文字化けする場合に指定します"),
        )
    ]
]
try:
    survey = data.uploaded_survey(content, name, encoding)
    table = survey.table
    if len(table.sheets) > 1:
        sheets = list(table.sheets)
        sheet = st.selectbox(
            text.label("シート"),
            sheets,
            index=sheets.index(table.sheet),
            help=text.label(
                "回答が入っているシートを選びます（最初は回答らしいシートを選んでいます）"
            ),
        )
        if sheet != table.sheet:
            survey = data.uploaded_survey(content, name, encoding, sheet)
except SurveyError as error:
    st.error(widgets.plain(error), icon=":material/error:")
    st.stop()
table, proposed = survey.table, survey.schema
source_note = (
    text.label("Excel ブック、")
    if table.encoding == "xlsx"
    else text.label("文字コード {encoding}、", encoding=widgets.plain(table.encoding))
) + (text.label("シート「{sheet}」、", sheet=widgets.plain(table.sheet)) if table.sheet else "")
st.success(
    text.label(
        "{format}として読み込みました（{source}{rows}件、{columns}列）。",
        format=text.label(FORMAT_NAMES_JA[table.format]),
        source=source_note,
        rows=f"{len(table.frame):,}",
        columns=len(table.frame.columns),
    ),
    icon=":material/check_circle:",
)

st.subheader(text.label("列の対応付け"))
st.caption(
    text.label(
        "判定・尺度が違う列は選び直してください。否定的な文（例: 不安だ）は「逆転」にチェックします。"
    )
)
schema = mapping.edit_mapping(table, proposed, key="mapping")
if schema is None:
    st.stop()
checked = survey if schema == proposed else survey.with_schema(schema)  # keeps its warnings
for note in checked.warnings:
    if note not in schema.notes:  # the close calls are shown above the grid
        st.warning(widgets.plain(text.sentence(note)), icon=":material/info:")

st.subheader(text.label("プレビュー（個人情報の列は表示しません）"))
hidden = set(schema.pii) | {schema.respondent}
st.dataframe(
    table.frame[[c for c in table.frame.columns if c not in hidden]].head(5),
    hide_index=True,
    placeholder=columns.MISSING,
)

st.subheader(text.label("保存"))
survey_name = st.text_input(
    text.label("調査名"),
    value=DEFAULT_SURVEY,
    help=text.label("同じ調査名の回答時期がまとめて分析されます"),
)
wave_label = None
if schema.wave is None:
    wave_label = st.text_input(
        text.label("このファイルの回答時期"),
        value="研修前",  # a wave name is data: it stays as HR writes it
        help=text.label("例: 研修前、研修後、3か月後"),
    )
else:
    waves = text.label("、").join(map(widgets.plain, checked.waves))
    st.write(text.label("このファイルの回答時期: {waves}", waves=waves))
replace_waves = st.checkbox(
    text.label("同じ回答時期を置き換える"),
    help=text.label(
        "保存済みの回答者と同じ人が含まれるとき、その回答時期の保存済みファイルを削除して、"
        "このファイルで置き換えます（同じ人を二重に数えないため）。"
    ),
)
if st.button(text.label("保存する"), type="primary", icon=":material/save:"):
    try:
        saved = data.wave_store().save(
            content,
            filename=name,
            schema=schema,
            survey=survey_name,
            encoding=encoding,
            wave_label=wave_label,
            replace_waves=replace_waves,
        )
    except SurveyError as error:
        st.error(widgets.plain(error), icon=":material/error:")
        st.stop()
    st.session_state[state.SURVEY] = survey_name
    auth.record(
        Action.UPLOAD,
        survey=survey_name,
        detail=f"{name}: " + "、".join(f"{w.label}（{w.n_responses}件）" for w in saved),
    )
    st.success(
        text.label(
            "「{survey}」に保存しました: {waves}",
            survey=widgets.plain(survey_name),
            waves=text.label("、").join(
                text.label("{wave}（{n}件）", wave=widgets.plain(w.label), n=w.n_responses)
                for w in saved
            ),
        ),
        icon=":material/check_circle:",
    )
