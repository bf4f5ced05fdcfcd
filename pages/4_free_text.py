"""Free text: themes by role and wave, words each role uses, and a keyword search."""

from __future__ import annotations

import streamlit as st

from analysis import cooccurrence, figures
from analysis.gaps import order_roles
from analysis.network_figure import network_figure
from ui import columns, data, drilldown, state, text, themes_editor, widgets

survey = widgets.page_survey("自由記述")
if not survey.schema.free_text:
    st.info(
        text.label(
            "自由記述の列がありません。人事が「設定」の「列の対応付け」で自由記述の列を指定できます。"
        )
    )
    st.stop()
min_comments = data.threshold(state.SETTING_MIN_COMMENTS)

question = widgets.free_text_question(text.label("設問"), survey, key=drilldown.QUESTION)
k = st.number_input(
    text.label("話題の数（0 = 自動で決める）"), min_value=0, max_value=15, value=0, step=1
)
themes = data.theme_dictionary()  # read once a run: topics, theme counts, caption
model = data.topic_model(survey, question, int(k) or None, min_comments, themes)
st.caption(
    text.label(
        "回答 {answers}件を{k}個の話題に分けました（「特になし」などの無回答は除外）。"
        "件数・割合・代表的な回答は、回答が{n}件以上の役割×回答時期のグループのものだけで、"
        "個人情報は伏せて表示します。",
        answers=f"{int(model.topics['size'].sum()):,}",
        k=model.k,
        n=min_comments,
    )
)

if st.session_state.pop(drilldown.OPEN_SEARCH, False):  # from a cell of 2_gaps.py
    st.session_state[state.FREE_TEXT_TAB] = text.label(state.SEARCH_TAB)
# Only the open tab runs (a click on another reruns the page): the first view fits the
# topics, and the word network, theme counts and distinctive words wait for their tab.
topics_tab, themes_tab, words_tab, network_tab, search_tab = st.tabs(
    widgets.tab_labels(state.FREE_TEXT_TAB, state.FREE_TEXT_TABS),
    key=state.FREE_TEXT_TAB,
    on_change="rerun",
)
with topics_tab:
    if topics_tab.open:
        for note in model.notes:  # e.g. nothing left after masking names, or a very long answer cut
            st.info(widgets.plain(text.sentence(note)), icon=":material/info:")
        if model.k == 0 and not model.notes:
            st.info(
                text.label(
                    "回答が{n}件以上ある役割×回答時期のグループがないため、話題は表示しません。",
                    n=min_comments,
                )
            )
        if not model.shares.empty:
            st.plotly_chart(
                data.chart(  # the labels only: the examples' lists would be hashed on every rerun
                    figures.topic_share_bars,
                    model.shares,
                    model.topics[["id", "label"]],
                    waves=survey.waves,
                ),
                width="stretch",
            )
        for row in model.topics.itertuples(index=False):
            with st.expander(
                text.label("{topic}（{n}件）", topic=widgets.plain(row.label), n=row.size)
            ):
                terms = text.label("、").join(map(widgets.plain, row.terms))
                st.caption(text.label("特徴的な語: {terms}", terms=terms))
                for example in row.examples:
                    st.text(example)
with themes_tab:
    if themes_tab.open:
        counts = data.theme_counts(survey, question, min_comments, themes)
        st.caption(
            text.label(
                "AI導入のテーマ辞書に当てはまる回答の割合。{n}人未満のグループは表示しません。",
                n=min_comments,
            )
            + themes_editor.source(themes)
        )
        if counts.empty:
            st.info(text.label("表示できるグループがありません。"))
        else:
            groups = [
                f"{r}｜{w}"
                for r in order_roles(counts["role"].unique())
                for w in survey.waves or [text.label("全体")]
            ]
            counts = counts.assign(
                group=counts["role"].astype(str) + "｜" + counts["wave"].astype(str),
                theme=counts["theme"].map(text.label),  # the theme dictionary's names
            )
            table = counts.pivot_table(index="theme", columns="group", values="share", sort=False)
            table = table[[g for g in groups if g in table.columns]]
            st.dataframe(
                table.reset_index(),
                hide_index=True,
                placeholder=columns.MISSING,
                column_config={"theme": st.column_config.TextColumn(text.label("テーマ"))}
                | {g: st.column_config.NumberColumn(g, format="percent") for g in table.columns},
            )
with words_tab:
    if words_tab.open:
        if survey.schema.role is None and survey.schema.wave is None:
            st.info(text.label("役割・回答時期の列がないため、グループごとの比較はできません。"))
        else:
            terms = data.distinctive_terms(survey, question, min_comments)
            st.caption(
                text.label(
                    "同じ回答時期の他の役割（役割の列がなければ他の回答時期）と比べて多く使われる語"
                    "（対数オッズ比、Dirichlet 事前分布付き）。"
                    "z が大きいほど特徴的。回答が{n}件未満の役割×回答時期のグループは、"
                    "表示にも比較にも使いません。",
                    n=min_comments,
                )
            )
            if terms.empty:
                st.info(
                    text.label(
                        "比べられるグループが同じ回答時期に2つ以上ないため、特徴語は表示しません。"
                    )
                )
            else:
                st.dataframe(
                    terms,
                    hide_index=True,
                    placeholder=columns.MISSING,
                    column_config=columns.localized(columns.TERMS),
                )
with network_tab:
    if network_tab.open:
        every_wave = text.label("すべての回答時期")
        network_wave = None
        if survey.waves:
            chosen = st.selectbox(text.label("回答時期"), [every_wave, *survey.waves])
            network_wave = None if chosen == every_wave else chosen
        network = data.cooccurrence(survey, question, network_wave, min_comments)
        st.caption(
            text.label(
                "同じ回答に一緒に出てくる語を線で結びました（Jaccard 係数の高い組から最大{edges}本）。"
                "円の大きさはその語を使った回答の数、色はその語を特に多く使う役割（対数オッズ比 z ≥ {z}）"
                "で、灰色はどの役割にも偏らない語です。回答が{n}件未満の役割×回答時期のグループは使いません"
                "（対象 {answers}件）。",
                n=min_comments,
                answers=f"{network.n_answers:,}",
                edges=cooccurrence.TOP_EDGES,
                z=cooccurrence.Z_DISTINCTIVE,
            )
        )
        if survey.schema.role is None:
            st.info(text.label("役割の列がないため、語を役割で色分けしません。"))
        if network.n_answers == 0:
            st.info(
                text.label("回答が{n}件以上の役割×回答時期のグループがありません。", n=min_comments)
            )
        elif network.nodes.empty:
            st.info(
                text.label("線で結べる語がありません（回答が少ないか、共通する語がありません）。")
            )
        else:
            st.plotly_chart(
                data.chart(network_figure, network),
                width="stretch",
            )
with search_tab:
    if search_tab.open:
        keyword = st.text_input(
            text.label("キーワード"),
            placeholder=text.label("例: 日報、不安、研修"),
            key=drilldown.KEYWORD,  # set from 2_gaps.py
        )
        if keyword.strip():
            hits = data.keyword_in_context(survey, question, keyword.strip(), min_comments)
            st.caption(
                text.label(
                    "{hits}件（{n}人未満のグループの回答と個人情報は表示しません）",
                    hits=len(hits),
                    n=min_comments,
                )
            )
            for hit in hits.itertuples(index=False):
                st.text(f"［{hit.group}］ {hit.text}")
