"""Home: which survey, its waves, who answered, and what Kakehashi understood."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.load import FORMAT_NAMES_JA
from analysis.schema import FIELD_NAMES_JA, Field
from ui import data, state, text, widgets

st.set_page_config(page_title="架け橋 Kakehashi", page_icon=widgets.PAGE_ICON, layout="wide")
st.title(text.label("架け橋 Kakehashi"))
st.caption("AI導入研修アンケートの分析: 経営層・管理職・現場の認識のずれと、研修前後の変化")

survey = widgets.survey_picker()
if survey is None:
    st.stop()

min_scores = data.threshold(state.SETTING_MIN_SCORES)
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
    st.write("回答時期の順序: " + " → ".join(map(widgets.plain, survey.waves)))

st.subheader(text.label("役割 × 回答時期の回答数"))
st.dataframe(widgets.respondent_counts(survey, min_group=min_scores), hide_index=True)

st.subheader(text.label("読み取った列"))
encoding = (
    "保存済みの回答時期をまとめたもの"
    if table.encoding == "stored"
    else f"文字コード: {widgets.plain(table.encoding)}"
)
st.caption(f"形式: {FORMAT_NAMES_JA[table.format]} ／ {encoding}")
understood = pd.DataFrame(
    {
        "列": list(survey.frame.columns),
        "内容": [table.label(c) for c in survey.frame.columns],
        "判定": [FIELD_NAMES_JA[schema.field_of(c)] for c in survey.frame.columns],
        "理由": [schema.reasons.get(c, "") for c in survey.frame.columns],
    }
)
understood = understood[understood["判定"] != FIELD_NAMES_JA[Field.OTHER]]
st.dataframe(understood, hide_index=True, width="stretch")
widgets.warnings(survey)

st.subheader(text.label("このツールでできること"))
st.markdown(
    "- **人事**: アンケートの書き出しファイルをアップロードし、列の読み取りを確認して回答時期ごとに保存します。\n"
    "- **管理職**: 役割間の認識ギャップ、研修前後の変化、役割ごとの自由記述を、個人を特定せずに確認します。\n"
    "- **研修講師**: 次回のワークショップ用に、編集できる PowerPoint を書き出します。"
)
