"""Home: which survey, its waves, who answered, and what Kakehashi understood."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import access
from analysis.load import FORMAT_NAMES_JA
from analysis.schema import FIELD_NAMES_JA, Field
from ui import auth, columns, data, findings, state, text, widgets

st.set_page_config(page_title="架け橋 Kakehashi", page_icon=widgets.PAGE_ICON, layout="wide")
st.title(text.label("架け橋 Kakehashi"))
st.caption(
    text.label("AI導入研修アンケートの分析: 経営層・管理職・現場の認識のずれと、研修前後の変化")
)

survey = widgets.survey_picker()
if survey is None:
    st.stop()

min_scores = data.threshold(state.SETTING_MIN_SCORES)
scope = access.departments(auth.user(), data.current_choice())
if scope is not None:  # a manager granted departments: their cells of the whole survey only
    from analysis import figures  # only here: Plotly's templates cost the first view ~0.1 s

    wave = st.selectbox(text.label("回答時期"), survey.waves) if survey.waves else None
    for department in scope:
        st.subheader(
            text.label("{department}の役割ごとの平均", department=widgets.plain(department))
        )
        scores = data.role_scores(survey, wave, department, min_scores)  # as 2_gaps.py cuts it
        if scores.empty or scores["suppressed"].all():
            widgets.department_too_small(department, min_scores)
            continue
        st.plotly_chart(figures.gap_dumbbell(scores, label=text.label), width="stretch")
        st.plotly_chart(figures.favourable_bars(scores, label=text.label), width="stretch")
        widgets.hidden_notes(scores, "role")
    st.stop()
findings.show_findings(survey, min_scores)
table, schema = survey.table, survey.schema
left, middle, right = st.columns(3)
left.metric(
    text.label("回答者数（表示中のグループ）"),
    text.label("{n}人", n=f"{widgets.shown_people(survey, min_group=min_scores):,}"),
    help=text.label(
        "表示できるグループの人数の合計です（回答時期が複数あるときは延べ人数）。"
        "{n}人未満のグループは含めません。合計から小さなグループの人数が逆算されないようにするためです。",
        n=min_scores,
    ),
)
middle.metric(text.label("回答時期"), len(survey.waves) or 1)
right.metric(text.label("尺度項目 / 自由記述"), f"{len(schema.items)} / {len(schema.free_text)}")
if survey.waves:
    st.write(
        text.label("回答時期の順序: {waves}", waves=" → ".join(map(widgets.plain, survey.waves)))
    )

st.subheader(text.label("役割 × 回答時期の回答数"))
counts = widgets.respondent_counts(survey, min_group=min_scores, headcounts=data.headcounts())
st.dataframe(counts, hide_index=True, placeholder=columns.MISSING)

if not access.may(auth.user(), access.Permission.COLUMNS):
    st.stop()
st.subheader(text.label("読み取った列"))
encoding = (
    text.label("保存済みの回答時期をまとめたもの")
    if table.encoding == "stored"
    else text.label("文字コード: {encoding}", encoding=widgets.plain(table.encoding))
)
source = text.label(FORMAT_NAMES_JA[table.format])
st.caption(text.label("形式: {format} ／ {encoding}", format=source, encoding=encoding))
fields = [schema.field_of(c) for c in survey.frame.columns]
understood = pd.DataFrame(
    {
        text.label("列"): list(survey.frame.columns),
        text.label("内容"): [table.label(c) for c in survey.frame.columns],
        text.label("判定"): [text.label(FIELD_NAMES_JA[f]) for f in fields],
        text.label("理由"): [
            text.sentence(schema.reasons.get(c, "")) for c in survey.frame.columns
        ],
    }
)
understood = understood[[f != Field.OTHER for f in fields]]
st.dataframe(understood, hide_index=True, placeholder=columns.MISSING, width="stretch")
widgets.warnings(survey)

st.subheader(text.label("このツールでできること"))
st.markdown(
    text.label(
        "- **人事**: アンケートの書き出しファイルをアップロードし、列の読み取りを確認して回答時期ごとに保存します。\n"
        "- **管理職**: 役割間の認識ギャップ、研修前後の変化、役割ごとの自由記述を、個人を特定せずに確認します。\n"
        "- **研修講師**: 次回のワークショップ用に、編集できる PowerPoint を書き出します。"
    )
)
