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
    "在籍者数（回答率）": "Headcounts (response rate)",
    "役割ごと（必要なら部署ごと）の在籍者数を入れると、回答者数の横に回答率を表示します。"
    "部署を空欄にした行は役割全体の人数です。少人数で非表示のグループは、回答率も表示しません。": (
        "Enter each role's headcount (per department if you like) to show the response rate "
        "beside the number of respondents. A row with no department is the whole role. "
        "Groups hidden for being small show no response rate either."
    ),
    "部署（空欄 = 役割全体）": "Department (blank = whole role)",
    "在籍者数": "Headcount",
    "在籍者数を保存": "Save headcounts",
    "在籍者数を保存しました。": "Headcounts saved.",
    "{wave} 回答率": "{wave} response rate",
    "要点": "Key findings",
    "スライドの「要点」と同じ文です。{n}人未満のグループは使いません。": (
        "The same sentences as the deck's key findings. Groups under {n} are never used."
    ),
    "役割間のギャップで見る": "See it under Role gaps",
    "研修前後の変化で見る": "See it under Before / after",
    "{role} {n}（回答率 {rate}）": "{role} {n} (response rate {rate})",
    "{role} {n}": "{role} {n}",
    "回答者数（{wave}）: {groups}": "Respondents ({wave}): {groups}",
    "ギャップの大きい役割を選ぶか、グラフのマスをクリックすると、その役割が書いた自由記述を読めます。": (
        "Pick a role with a large gap, or click a cell of a chart, to read what that role wrote."
    ),
    "**選択中のマス**: 「{item}」 × {role}": "**Selected cell**: “{item}” × {role}",
    "このマスは非表示です: {reason}": "This cell is hidden: {reason}",
    "このマスには回答がありません。": "This cell has no answers.",
    "「{keyword}」で自由記述をキーワード検索": "Search the free text for “{keyword}”",
    "語の共起ネットワーク": "Word co-occurrence network",
    "すべての回答時期": "All waves",
    "同じ回答に一緒に出てくる語を線で結びました（Jaccard 係数の高い組から最大{edges}本）。"
    "円の大きさはその語を使った回答の数、色はその語を特に多く使う役割（対数オッズ比 z ≥ {z}）"
    "で、灰色はどの役割にも偏らない語です。回答が{n}件未満の役割×回答時期のグループは使いません"
    "（対象 {answers}件）。": (
        "Words used in the same answer are joined (the pairs with the highest Jaccard "
        "coefficient, up to {edges} lines). Circle size is the number of answers using the word; "
        "colour is the role that uses it most (log-odds z ≥ {z}), grey for words no role "
        "leans to. Role x wave groups with fewer than {n} answers are left out "
        "({answers} answers used)."
    ),
    "役割の列がないため、語を役割で色分けしません。": (
        "There is no role column, so words are not coloured by role."
    ),
    "線で結べる語がありません（回答が少ないか、共通する語がありません）。": (
        "No words to join (too few answers, or no words in common)."
    ),
    "{role}に特徴的": "Typical of {role}",
    "回答が{n}件以上の役割×回答時期のグループがありません。": (
        "No role x wave group has {n} or more answers."
    ),
    "共通": "Shared",
    # sign-in and accounts (ui/auth.py)
    "架け橋 Kakehashi": "Kakehashi",
    "{department}の役割ごとの平均": "Mean by role in {department}",
    "{department}は人数が少ないため、役割ごとの数値を表示できません（{n}人未満のグループを隠しています）。": "{department} has too few people to show numbers by role (groups under {n} are hidden).",
    "定着率（研修後の伸びのうち、フォローアップ時点で残っている割合）": "Retention (share of the post-training gain still there at the follow-up)",
    "サインアウトしました。": "You have signed out.",
    "サインアウト": "Sign out",
    ":material/person: {name}（{role}）": ":material/person: {name} ({role})",
    "初めて起動したときは、端末に表示された admin の一度だけ使うパスワードでサインインします。パスワードを忘れたときは、サーバーで python -m analysis.accounts reset ユーザー名 を実行してください。": "On the first start, sign in as admin with the one-time password printed in the terminal. If a password is forgotten, run python -m analysis.accounts reset USERNAME on the server.",
    "最初のサインインです。新しいパスワードを設定してください。": "This is your first sign-in. Please set a new password.",
    "アカウントと閲覧の許可": "Accounts and access",
    "アカウントを選ぶ": "Choose an account",
    "役割を変更": "Change role",
    "閲覧を許可": "Grant access",
    "このアカウントを削除してよい": "Yes, delete this account",
    "アカウントを削除": "Delete account",
    "操作の記録（監査ログ）": "Audit log",
    "監査ログをダウンロード（CSV）": "Download the audit log (CSV)",
    "{email} には架け橋のアカウントがありません。人事に登録を依頼してください。": "{email} has no Kakehashi account. Ask HR to add you.",
    "{email} は確認済みのメールアドレスではないため、サインインできません。": "{email} is not a verified e-mail address, so it cannot sign in.",
    "サインイン": "Sign in",
    "ユーザー名": "Username",
    "パスワード": "Password",
    "今のパスワード": "Current password",
    "新しいパスワード（10文字以上）": "New password (10 characters or more)",
    "新しいパスワード（確認）": "New password (again)",
    "パスワードを変更": "Change password",
    "確認用のパスワードが一致しません。": "The two new passwords differ.",
    "アカウントを追加（SSO の場合はメールアドレスをユーザー名にします）": "Add an account (for SSO, the username is the e-mail address)",
    "SSO でサインイン（パスワードなし）": "Signs in with SSO (no password)",
    "追加": "Add",
    "パスワードを再発行（ロックも解除）": "Issue a new password (also unlocks)",
    "一度だけ使うパスワード: {password}": "One-time password: {password}",
    "許可を取り消す: {grant}": "Revoke: {grant}",
    "会社のアカウント": "Company account",
    "{name} でサインイン": "Sign in with {name}",
    "部署（空欄 = すべての部署）": "Department (blank = all departments)",
    "{name} を追加しました。一度だけ使うパスワード（この画面にしか表示されません）: {password}": "Added {name}. One-time password (shown only on this screen): {password}",
    "閲覧できるアンケートがありません。人事に閲覧の許可を依頼してください。": "No survey is open to you yet. Ask HR to grant access.",
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
