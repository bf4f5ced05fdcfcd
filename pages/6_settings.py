"""Settings: anonymity thresholds, stored waves (rename, delete) and each file's column mapping."""

from __future__ import annotations

import streamlit as st

from analysis import access
from analysis.audit import Action
from analysis.errors import SurveyError
from analysis.privacy import MIN_GROUP_SCORES
from ui import auth, data, headcounts, mapping, state, text, themes_editor, widgets

st.set_page_config(
    page_title=f"{text.label('設定')} | 架け橋", page_icon=widgets.PAGE_ICON, layout="wide"
)
st.title(text.label("設定"))
widgets.survey_picker()
choice = data.current_choice()
store = data.wave_store()

st.subheader(text.label("匿名性の基準"))
st.caption(
    text.label(
        "この人数に満たないグループは、数値もコメントもどの画面・スライドにも表示されません。"
    )
)
scores = st.number_input(
    text.label("数値を表示する最小人数"),
    min_value=access.SCORE_THRESHOLD_FLOOR,
    max_value=100,
    value=data.threshold(state.SETTING_MIN_SCORES),
)
comments = st.number_input(
    text.label("コメントを表示する最小人数"),
    min_value=access.COMMENT_THRESHOLD_FLOOR,
    max_value=100,
    value=data.threshold(state.SETTING_MIN_COMMENTS),
)
if scores < MIN_GROUP_SCORES:
    st.warning(
        text.label(
            "{n}人未満のグループを表示すると、回答者が特定されるおそれがあります（業界標準は{n}人）。",
            n=MIN_GROUP_SCORES,
        ),
        icon=":material/warning:",
    )
if st.button(text.label("基準を保存"), icon=":material/save:"):
    before = (data.threshold(state.SETTING_MIN_SCORES), data.threshold(state.SETTING_MIN_COMMENTS))
    scores = max(int(scores), access.SCORE_THRESHOLD_FLOOR)  # the floor holds whatever is sent
    comments = max(int(comments), access.COMMENT_THRESHOLD_FLOOR)
    store.set_setting(state.SETTING_MIN_SCORES, scores, survey=choice)
    store.set_setting(state.SETTING_MIN_COMMENTS, comments, survey=choice)
    if (scores, comments) != before:  # one audit row per change; a save changing nothing, none
        auth.record(
            Action.THRESHOLD,
            survey=choice,
            detail=f"数値 {before[0]}→{scores}人、コメント {before[1]}→{comments}人",
        )
    st.toast(text.label("匿名性の基準を保存しました。"), icon=":material/check_circle:")
    st.rerun()  # the sidebar shows the new thresholds

headcounts.headcount_section(choice)
themes_editor.theme_section()

st.subheader(text.label("保存済みの回答時期"))
waves = store.waves(choice)
if not waves:
    st.info(text.label("この調査に保存済みの回答時期はありません。"))
for wave in waves:
    with st.container(border=True):
        st.write(
            text.label(
                "**{wave}** ／ {file} ／ {n}件 ／ 保存 {saved}",
                wave=widgets.plain(wave.label),
                file=widgets.plain(wave.filename),
                n=wave.n_responses,
                saved=f"{wave.saved_at:%Y-%m-%d %H:%M}",
            )
        )
        new_label = st.text_input(text.label("名前"), value=wave.label, key=f"rename_{wave.id}")
        rename, delete = st.columns(2)
        if rename.button(
            text.label("名前を変更"), key=f"rename_button_{wave.id}", icon=":material/edit:"
        ):
            try:
                store.rename_wave(wave.id, new_label)
            except SurveyError as error:
                st.error(widgets.plain(error))
            else:
                auth.record(Action.WAVE_RENAME, survey=choice, detail=f"{wave.label} → {new_label}")
                st.rerun()
        confirm = delete.checkbox(text.label("削除してよい"), key=f"confirm_{wave.id}")
        if delete.button(
            text.label("削除"),
            key=f"delete_{wave.id}",
            disabled=not confirm,
            icon=":material/delete:",
        ):
            store.delete_wave(wave.id)
            auth.record(
                Action.WAVE_DELETE, survey=choice, detail=f"{wave.label}（{wave.filename}）"
            )
            st.rerun()

st.subheader(text.label("列の対応付け"))
st.caption(
    text.label(
        "保存済みのファイルごとに、列の読み取り（判定・尺度・逆転・役割の区分）を直して再分析できます。"
        "元の対応付けは履歴に残ります。"
    )
)
revisions = dict(store.mapping_revisions(choice))
for upload in store.uploads(choice):
    try:
        mapping.review_upload(upload, revisions.get(upload.id, 0))
    finally:  # a re-analysis ends in st.rerun: log it on the way out
        if dict(store.mapping_revisions(choice)).get(upload.id, 0) != revisions.get(upload.id, 0):
            auth.record(Action.MAPPING, survey=choice, detail=upload.filename)

if access.may(auth.user(), access.Permission.ACCOUNTS):
    auth.manage_accounts()
