"""UI labels in Japanese (default) or English, chosen in the sidebar.

Japanese is the source text; ``label`` looks up the English version when the
user chose English, and falls back to the Japanese where none is written.
"""

from __future__ import annotations

import streamlit as st

from ui import state

ENGLISH = {
    "ホーム": "Home",
    "アップロード": "Upload",
    "役割間のギャップ": "Role gaps",
    "研修前後の変化": "Before / after",
    "自由記述": "Free text",
    "書き出し": "Export",
    "設定": "Settings",
    "アンケート": "Survey",
    "アンケートのアップロード": "Upload a survey",
    "回答数": "Responses",
    "回答時期": "Wave",
    "部署": "Department",
    "役割": "Role",
    "項目": "Item",
    "設問": "Question",
    "尺度項目 / 自由記述": "Scale items / free text",
    "役割 × 回答時期の回答数": "Responses by role x wave",
    "読み取った列": "Columns understood",
    "このツールでできること": "What Kakehashi does",
    "列の対応付け": "Column mapping",
    "プレビュー（個人情報の列は表示しません）": "Preview (personal-data columns hidden)",
    "保存": "Save",
    "全体との差": "Difference from overall",
    "役割ごとの平均": "Mean by role",
    "肯定・中間・否定": "Favourable / neutral / unfavourable",
    "効果量": "Effect sizes",
    "この差の背景にある声": "Voices behind the gap",
    "ポイント": "Headlines",
    "役割ごとの変化": "Change by role",
    "話題": "Topics",
    "テーマ別の件数": "Themes",
    "役割ごとの特徴語": "Distinctive words by role",
    "キーワード検索": "Keyword search",
    "研修講師用スライド（PowerPoint）": "Trainer deck (PowerPoint)",
    "集計表": "Tables",
    "匿名性の基準": "Anonymity thresholds",
    "保存済みの回答時期": "Stored waves",
    "表示言語": "Language",
    "回答者数（表示中のグループ）": "Respondents (groups shown)",
    "{n}人": "{n}",
    "表示できるグループの人数の合計です（回答時期が複数あるときは延べ人数）。"
    "{n}人未満のグループは含めません。合計から小さなグループの人数が逆算されないようにするためです。": (
        "People in the groups that can be shown (summed over waves when there are several). "
        "Groups under {n} are left out, so their size cannot be worked out from the total."
    ),
}


def english() -> bool:
    return st.session_state.get(state.LANGUAGE) == "en"


def label(japanese: str, /, **values: object) -> str:
    """``japanese``, or its English version when the user chose English.

    A message with numbers or names is written once as a template and filled
    after the language is chosen: ``label("回答 {n}件", n=12)``.
    """
    template = ENGLISH.get(japanese, japanese) if english() else japanese
    return template.format(**values) if values else template


def language_toggle() -> None:
    """Sidebar switch; the choice is kept across pages as a plain string."""
    chosen = st.sidebar.radio(
        "表示言語 / Language", ["日本語", "English"], index=1 if english() else 0, horizontal=True
    )
    st.session_state[state.LANGUAGE] = "en" if chosen == "English" else "ja"
