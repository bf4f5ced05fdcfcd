"""Session-state keys (plain values only) and the settings HR controls."""

from __future__ import annotations

from analysis.privacy import MIN_GROUP_COMMENTS, MIN_GROUP_SCORES

SURVEY = "survey_choice"  # str: the survey being explored
LANGUAGE = "language"  # "ja" or "en"
UPLOAD_MAPPING = "upload_mapping"  # dict: the mapping being edited on the upload page
FREE_TEXT_TAB = "free_text_tab"  # str: the open tab of 4_free_text.py, as labelled on screen
SEARCH_TAB = "キーワード検索"
FREE_TEXT_TABS = ("話題", "テーマ別の件数", "役割ごとの特徴語", "語の共起ネットワーク", SEARCH_TAB)

SETTING_MIN_SCORES = "min_group_scores"
SETTING_MIN_COMMENTS = "min_group_comments"
DEFAULT_THRESHOLDS = {
    SETTING_MIN_SCORES: MIN_GROUP_SCORES,
    SETTING_MIN_COMMENTS: MIN_GROUP_COMMENTS,
}
