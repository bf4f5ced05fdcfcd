"""Role gaps: where executives, managers and frontline staff see AI adoption differently."""

from __future__ import annotations

import streamlit as st

from analysis import figures, gaps, privacy
from ui import columns, data, drilldown, state, text, widgets

survey = widgets.page_survey("役割間のギャップ", needs_items=True)
if survey.schema.role is None:
    st.info(
        text.label(
            "役職の列がないため、役割間の比較はできません。人事が「設定」の「列の対応付け」で役職の列を指定すると比較できます。"
        )
    )
    st.stop()
min_scores = data.threshold(state.SETTING_MIN_SCORES)
min_comments = data.threshold(state.SETTING_MIN_COMMENTS)

left, right = st.columns(2)
wave = left.selectbox(text.label("回答時期"), survey.waves) if survey.waves else None
people = widgets.respondent_line(survey, wave, min_group=min_scores, headcounts=data.headcounts())
left.caption(people)
ALL = text.label("すべての部署")
department = right.selectbox(text.label("部署"), [ALL, *data.departments(survey)])
department = None if department == ALL else department

scores = data.role_scores(survey, wave, department, min_scores)
if department is not None and scores["suppressed"].all():
    widgets.department_too_small(department, min_scores)
    st.stop()
isolation = data.isolated_items(survey, wave, min_scores)  # item -> firm (else 傾向)
isolated = set(isolation)
if isolated:
    st.warning(
        text.label(
            "管理職だけが経営層・一般社員の両方と違う見方をしている項目: {items}",
            items="、".join(
                text.label("「{item}」", item=widgets.plain(item))
                + ("" if firm else text.label("（傾向）"))
                for item, firm in isolation.items()
            ),
        ),
        icon=":material/person_alert:",
    )
    st.caption(text.label(gaps.ISOLATION_RULE))

heatmap, dumbbell, bars, effects = st.tabs(
    [text.label(name) for name in ("全体との差", "役割ごとの平均", "肯定・中間・否定", "効果量")]
)
with heatmap:
    st.caption(text.label("全社の平均との差（部署の絞り込みはここには反映されません）。"))
    differences = data.overall_differences(survey, wave, min_scores)
    heat_event = None
    if differences["suppressed"].all():
        st.info(
            text.label(
                "{hidden}。役割どうしの比較は「役割ごとの平均」と「効果量」で見られます。",
                hidden=text.label(privacy.OVERALL_HIDDEN),
            ),
            icon=":material/lock:",
        )
    else:
        heat_event = st.plotly_chart(
            figures.gap_heatmap(
                widgets.readable_reasons(differences), items=survey.schema.items, label=text.label
            ),
            width="stretch",
            key=drilldown.HEATMAP,
            on_select="rerun",
            selection_mode="points",
        )
    widgets.hidden_notes(differences, "role")
with dumbbell:
    dumb_event = st.plotly_chart(
        figures.gap_dumbbell(
            scores, isolated=isolated, items=survey.schema.items, label=text.label
        ),
        width="stretch",
        key=drilldown.DUMBBELL,
        on_select="rerun",
        selection_mode="points",
    )
    widgets.hidden_notes(scores, "role")
with bars:
    st.plotly_chart(
        figures.favourable_bars(scores, items=survey.schema.items, label=text.label),
        width="stretch",
    )
    widgets.hidden_notes(scores, "role")
with effects:
    st.caption(
        text.label(
            "Hedges の g（標準化平均差、95%信頼区間）。p値は全項目・全ペアで Holm 法により補正。"
            "|g| ≈ 0.2 小、0.5 中、0.8 大。"
        )
    )
    gaps_table = data.role_gaps(survey, wave, min_scores)
    st.dataframe(
        gaps_table[~gaps_table["suppressed"]][list(columns.GAP)],
        hide_index=True,
        placeholder=columns.MISSING,
        column_config=columns.localized(columns.GAP),
    )
    widgets.hidden_notes(gaps_table, ("a", "b"))

st.subheader(text.label("この差の背景にある声"))
if not survey.schema.free_text:
    st.info(text.label("自由記述の列がありません。"))
    st.stop()
st.caption(
    text.label(
        "ギャップの大きい役割を選ぶか、グラフのマスをクリックすると、その役割が書いた自由記述を読めます。"
    )
)
roles = list(dict.fromkeys(scores["role"]))
clicked = drilldown.newest_cell(
    {drilldown.HEATMAP: heat_event, drilldown.DUMBBELL: dumb_event}, roles=roles
)
pick_role, pick_question = st.columns(2)
role = pick_role.selectbox(text.label("役割"), roles, key=drilldown.ROLE)
question = widgets.free_text_question(text.label("自由記述の設問"), survey, where=pick_question)
drill = drilldown.selected(
    survey,
    clicked,
    role=role,
    tables={drilldown.HEATMAP: differences, drilldown.DUMBBELL: scores},
    question=question,
    wave=wave,
    min_comments=min_comments,
)
if drill is not None:  # the clicked cell, until another role is picked
    drilldown.show(drill)
    if drill.hidden_reason:
        st.stop()
texts = drill.comments if drill else data.comments(survey, question, role, wave, min_comments)
if texts is None:
    st.info(
        text.label("この役割の回答は{n}件未満のため、コメントは表示しません。", n=min_comments),
        icon=":material/lock:",
    )
else:
    st.caption(
        text.label(
            "{role}・{wave}の回答 {n}件（個人情報は伏せ字にしています）",
            role=widgets.plain(role),
            wave=widgets.plain(wave) if wave else text.label("全期間"),
            n=len(texts),
        )
    )
    for comment in texts[:30]:
        st.text(comment)
