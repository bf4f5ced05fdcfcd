"""設定: HR's theme dictionary (categories and their words), stored in the database for every survey.

The free-text page (テーマ別の件数, and the grouping of small questions), the CLI and the
deck all read it through :meth:`analysis.store.WaveStore.theme_dictionary`; with nothing
stored they use the bundled ``analysis/themes.toml``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import access
from analysis.audit import Action
from analysis.errors import SurveyError
from analysis.store import StoredThemes
from analysis.themes import MAX_TERM_LENGTH, MAX_THEMES, describe_change
from ui import auth, columns, data, text, widgets

EDITOR = "theme_editor"  # + what is stored: another HR's save restarts this editor
SAVED = "themes_saved"
COLUMNS = ["name", "words", "phrases", "description"]
JOIN = "、"


def editor_key(dictionary: StoredThemes) -> str:
    """The editor's key for the dictionary as stored: edits never land on a newer one."""
    stamp = dictionary.saved_at.isoformat() if dictionary.saved_at else "default"
    return f"{EDITOR}:{stamp}"


def source(dictionary: StoredThemes) -> str:
    """Where the dictionary in use comes from, in a sentence for captions."""
    if dictionary.saved_at is None:
        return text.label("テーマ辞書は標準のもの（analysis/themes.toml）です。")
    return text.label(
        "テーマ辞書は人事が設定画面で編集したもの（{at} UTC 保存）です。",
        at=f"{dictionary.saved_at:%Y-%m-%d %H:%M}",
    )


def _rows(dictionary: StoredThemes) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (e.name, JOIN.join(e.words), JOIN.join(e.phrases), e.description)
            for e in dictionary.entries
        ],
        columns=COLUMNS,
    )


def theme_section() -> None:
    """Edit, save and reset the theme dictionary; every change goes to the audit log."""
    signed_in = auth.user()
    if signed_in is None or not access.may(signed_in, access.Permission.SETTINGS):
        return  # HR's: the page is guarded too, this holds wherever the section is called
    st.subheader(text.label("テーマ辞書"))
    st.caption(
        text.label(
            "自由記述の「テーマ別の件数」と、回答の少ない設問の話題分けに使う辞書です（すべての調査に共通、"
            "スライドとコマンドラインも同じ辞書を使います）。語は形態素解析した見出し語で照合するので"
            "活用形も拾います（「奪う」は「奪われる」にも当たる）。言い回しは回答の本文に含まれるかで"
            "照合します。どちらも「、」かカンマで区切って入力してください"
            "（テーマは{themes}個まで、1語{length}文字まで）。",
            themes=MAX_THEMES,
            length=MAX_TERM_LENGTH,
        )
    )
    store = data.wave_store()
    dictionary = store.theme_dictionary()
    st.caption(source(dictionary))
    edited = st.data_editor(
        _rows(dictionary),
        key=editor_key(dictionary),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        placeholder=columns.MISSING,
        column_config={
            "name": st.column_config.TextColumn(text.label("テーマ")),
            "words": st.column_config.TextColumn(text.label("語（、区切り）")),
            "phrases": st.column_config.TextColumn(text.label("言い回し（、区切り）")),
            "description": st.column_config.TextColumn(text.label("説明")),
        },
    )
    if message := st.session_state.pop(SAVED, None):
        st.success(text.label(message), icon=":material/check_circle:")
    save, reset = st.columns(2)
    if save.button(text.label("テーマ辞書を保存"), icon=":material/save:"):
        try:
            order = ["name", "description", "words", "phrases"]  # ThemeEntry's
            saved = store.set_themes(list(edited[order].itertuples(index=False, name=None)))
        except SurveyError as error:
            st.error(widgets.plain(error), icon=":material/error:")
        else:
            change = describe_change(dictionary.entries, saved.entries)
            if change:  # one audit row per change; a save changing nothing, none
                auth.record(Action.THEMES, detail=change)
            st.session_state[SAVED] = "テーマ辞書を保存しました。"
            st.rerun()
    if reset.button(
        text.label("標準の辞書に戻す"),
        icon=":material/restart_alt:",
        disabled=dictionary.saved_at is None,
    ):
        store.reset_themes()
        auth.record(Action.THEMES, detail="標準の辞書（themes.toml）に戻す")
        st.session_state[SAVED] = "標準の辞書に戻しました。"
        st.rerun()
