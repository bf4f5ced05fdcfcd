"""UI labels in Japanese (default) or English, chosen in the sidebar.

Japanese is the source text; ``label`` looks up the English version when the
user chose English, and falls back to the Japanese where none is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
    # home, gaps, trends, free text, export (issue 14)
    "AI導入研修アンケートの分析: 経営層・管理職・現場の認識のずれと、研修前後の変化": (
        "Analysing AI-adoption training surveys: how executives, managers and staff see it "
        "differently, and what changed with the training"
    ),
    "保存済みの回答時期をまとめたもの": "stored waves combined",
    "文字コード: {encoding}": "encoding: {encoding}",
    "形式: {format} ／ {encoding}": "Format: {format} / {encoding}",
    "- **人事**: アンケートの書き出しファイルをアップロードし、列の読み取りを確認して回答時期ごとに保存します。\n"
    "- **管理職**: 役割間の認識ギャップ、研修前後の変化、役割ごとの自由記述を、個人を特定せずに確認します。\n"
    "- **研修講師**: 次回のワークショップ用に、編集できる PowerPoint を書き出します。": (
        "- **HR**: upload a survey export, check how its columns were read, and save it wave by wave.\n"
        "- **Managers**: see the gaps between roles, the change with the training and each role's "
        "comments, without identifying anyone.\n"
        "- **Trainers**: export an editable PowerPoint deck for the next workshop."
    ),
    "回答時期の順序: {waves}": "Wave order: {waves}",
    "列": "Column",
    "内容": "Content",
    "判定": "Read as",
    "理由": "Reason",
    "回答者ID": "Respondent ID",
    "役割（役職）": "Role (job title)",
    "尺度項目": "Scale item",
    "個人情報（表示しない）": "Personal data (not shown)",
    "その他（分析しない）": "Other (not analysed)",
    "Google フォーム": "Google Forms",
    "一般的な表（CSV/Excel）": "Plain table (CSV/Excel)",
    "話題の数（0 = 自動で決める）": "Number of topics (0 = choose automatically)",
    "回答 {answers}件を{k}個の話題に分けました（「特になし」などの無回答は除外）。"
    "件数・割合・代表的な回答は、回答が{n}件以上の役割×回答時期のグループのものだけで、"
    "個人情報は伏せて表示します。": (
        "{answers} answers split into {k} topics (non-answers such as “nothing in particular” "
        "left out). Counts, shares and example answers come only from role x wave groups with "
        "{n} or more answers, with personal data masked."
    ),
    "自由記述の列がありません。人事が「設定」の「列の対応付け」で自由記述の列を指定できます。": (
        "There is no free-text column. HR can mark one under Settings, Column mappings."
    ),
    "AI導入のテーマ辞書に当てはまる回答の割合。{n}人未満のグループは表示しません。": (
        "Share of answers matching the AI-adoption theme dictionary. Groups under {n} are not shown. "
    ),
    "テーマ辞書は標準のもの（analysis/themes.toml）です。": (
        "The dictionary is the default one (analysis/themes.toml)."
    ),
    "テーマ辞書は人事が設定画面で編集したもの（{at} UTC 保存）です。": (
        "The dictionary is the one HR edited on Settings (saved {at} UTC)."
    ),
    "テーマ辞書": "Theme dictionary",
    "自由記述の「テーマ別の件数」と、回答の少ない設問の話題分けに使う辞書です（すべての調査に共通、"
    "スライドとコマンドラインも同じ辞書を使います）。語は形態素解析した見出し語で照合するので"
    "活用形も拾います（「奪う」は「奪われる」にも当たる）。言い回しは回答の本文に含まれるかで"
    "照合します。どちらも「、」かカンマで区切って入力してください"
    "（テーマは{themes}個まで、1語{length}文字まで）。": (
        "The dictionary behind the free-text theme counts and the grouping of questions with few "
        "answers (shared by every survey; the deck and the command line use it too). Words are "
        "matched on their dictionary form, so inflections count (奪う also finds 奪われる); "
        "phrases are matched as part of the answer. Separate them with 、 or commas "
        "(up to {themes} themes, {length} characters a word)."
    ),
    "語（、区切り）": "Words (separated by 、)",
    "言い回し（、区切り）": "Phrases (separated by 、)",
    "説明": "Description",
    "テーマ辞書を保存": "Save the dictionary",
    "テーマ辞書を保存しました。": "Dictionary saved.",
    "標準の辞書に戻す": "Back to the default dictionary",
    "標準の辞書に戻しました。": "Back to the default dictionary.",
    "キーワード": "Keyword",
    "回答が{n}件以上ある役割×回答時期のグループがないため、話題は表示しません。": (
        "No role x wave group has {n} or more answers, so no topics are shown."
    ),
    "表示できるグループがありません。": "No group can be shown.",
    "役割・回答時期の列がないため、グループごとの比較はできません。": (
        "There is no role or wave column, so groups cannot be compared."
    ),
    "同じ回答時期の他の役割（役割の列がなければ他の回答時期）と比べて多く使われる語"
    "（対数オッズ比、Dirichlet 事前分布付き）。"
    "z が大きいほど特徴的。回答が{n}件未満の役割×回答時期のグループは、"
    "表示にも比較にも使いません。": (
        "Words used more than by the other roles in the same wave (or the other waves, without "
        "a role column), by log-odds ratio with a Dirichlet prior. The larger z, the more "
        "typical. Role x wave groups with fewer than {n} answers are neither shown nor compared."
    ),
    "例: 日報、不安、研修": "e.g. report, worry, training",
    "{hits}件（{n}人未満のグループの回答と個人情報は表示しません）": (
        "{hits} found (answers of groups under {n} and personal data are not shown)"
    ),
    "{topic}（{n}件）": "{topic} ({n})",
    "特徴的な語: {terms}": "Typical words: {terms}",
    "比べられるグループが同じ回答時期に2つ以上ないため、特徴語は表示しません。": (
        "Fewer than two groups to compare in the same wave, so no distinctive words are shown."
    ),
    "、": ", ",
    "全体": "All",
    "テーマ": "Theme",
    "語": "Word",
    "出現回数": "Count",
    "雇用不安": "Job security",
    "PoC疲れ": "PoC fatigue",
    "孤立・板挟み": "Isolation, caught in the middle",
    "心理的安全性": "Psychological safety",
    "目的・必要性": "Purpose and need",
    "業務効率化": "Efficiency",
    "スキル不安": "Skills worries",
    "ルール・ガバナンス": "Rules and governance",
    "ユースケース提案": "Use-case ideas",
    "対応あり: 同じ人の回答を比較（Wilcoxon 符号順位検定・対応のある t 検定、効果量 d_z）": (
        "Paired: the same people's answers compared (Wilcoxon signed-rank test, paired t test, "
        "effect size d_z)"
    ),
    "対応なし: 別々の集団として比較（Mann-Whitney U・Welch t、効果量 Cliff の δ）": (
        "Unpaired: compared as separate groups (Mann-Whitney U, Welch t, effect size Cliff's δ)"
    ),
    "方法: {methods}。p値は Holm 法で補正。": "Method: {methods}. p values Holm-corrected.",
    "回答時期が1つしかないため、変化は計算できません。別の回答時期のファイルを保存してください。": (
        "There is only one wave, so no change can be computed. Save a file of another wave."
    ),
    "回答者IDがないため、同じ人を回答時期でつなげません（すべて対応なし）。": (
        "There is no respondent ID, so people cannot be linked across waves (all unpaired)."
    ),
    "比較元": "From",
    "比較先": "To",
    "方法": "Method",
    "対応のある人数": "Pairs",
    "平均の変化": "Change in mean",
    "効果量の種類": "Effect size type",
    "補正後p値": "Adjusted p",
    "定着率": "Retention",
    "研修前": "Before",
    "研修後": "After",
    "フォローアップ": "Follow-up",
    "対応あり": "Paired",
    "対応なし": "Unpaired",
    "Hedges の g": "Hedges' g",
    "d_z（対応あり）": "d_z (paired)",
    "Cliff の δ": "Cliff's δ",
    "Holm 法": "Holm",
    "はい": "Yes",
    "いいえ": "No",
    "すべての部署": "All departments",
    "自由記述の設問": "Free-text question",
    "役職の列がないため、役割間の比較はできません。人事が「設定」の「列の対応付け」で役職の列を指定すると比較できます。": (
        "There is no job-title column, so roles cannot be compared. HR can mark it under Settings, Column mappings."
    ),
    "管理職だけが経営層・一般社員の両方と違う見方をしている項目: {items}": (
        "Items where managers alone see things differently from both executives and staff: {items}"
    ),
    "「管理職だけが違う」の判定: 管理職と他のすべての役割との差が同じ向きで、効果量|g|が0.3以上の項目。"
    "どの95%信頼区間も0をまたがないときは「違う」、またぐときは「傾向」と書きます"
    "（人数が少ないと区間は広くなります）。": (
        "“Managers alone differ”: items where managers differ from every other role in the same "
        "direction with effect size |g| of 0.3 or more. Written as “differ” when no 95% "
        "confidence interval crosses 0, as “tendency” when one does (small groups widen the "
        "intervals)."
    ),
    "全社の平均との差（部署の絞り込みはここには反映されません）。": (
        "Difference from the company-wide mean (the department filter does not apply here)."
    ),
    "Hedges の g（標準化平均差、95%信頼区間）。p値は全項目・全ペアで Holm 法により補正。"
    "|g| ≈ 0.2 小、0.5 中、0.8 大。": (
        "Hedges' g (standardised mean difference, 95% confidence interval). p values "
        "Holm-corrected over all items and pairs. |g| ≈ 0.2 small, 0.5 medium, 0.8 large."
    ),
    "役割A": "Role A",
    "役割B": "Role B",
    "効果量 g": "Effect size g",
    "95%CI 下限": "95% CI low",
    "95%CI 上限": "95% CI high",
    "平均の差（A−B）": "Mean difference (A−B)",
    "人数A": "n A",
    "人数B": "n B",
    "自由記述の列がありません。": "There is no free-text column.",
    "この役割の回答は{n}件未満のため、コメントは表示しません。": (
        "This role has fewer than {n} answers, so no comments are shown."
    ),
    "{role}・{wave}の回答 {n}件（個人情報は伏せ字にしています）": (
        "{n} answers from {role}, {wave} (personal data masked)"
    ),
    "{hidden}。役割どうしの比較は「役割ごとの平均」と「効果量」で見られます。": (
        "{hidden}. Roles can still be compared under “Mean by role” and “Effect sizes”."
    ),
    "全体の値は、少人数のグループを保護するため表示していません": (
        "The overall values are not shown, to protect small groups"
    ),
    "全期間": "all waves",
    "「{item}」": "“{item}”",
    "（傾向）": " (tendency)",
    "グラフは PowerPoint のネイティブグラフなので、色や文言をあとから編集できます。"
    "{scores}人未満のグループの数値、{comments}人未満のグループのコメント、個人情報は含まれません。": (
        "The charts are native PowerPoint charts, so colours and wording can be edited later. "
        "No numbers of groups under {scores}, no comments of groups under {comments} and no "
        "personal data are included."
    ),
    "スライドを作成": "Build the deck",
    "数式として実行されないよう、= + - @ で始まるセルは先頭に ' を付けています。": (
        "Cells starting with = + - @ get a leading ' so that they never run as formulas."
    ),
    "すべての表（Excel .xlsx）": "All tables (Excel .xlsx)",
    "CSV で書き出す表": "Table to export as CSV",
    "「{name}」（CSV）": "“{name}” (CSV)",
    "スライドをダウンロード（.pptx）": "Download the deck (.pptx)",
    "書き出せる集計表がありません（尺度項目が見つかりません）。": (
        "No table to export (no scale items found)."
    ),
    "準備しています…": "Preparing…",
    "役割別スコア": "Scores by role",
    "役割間ギャップ": "Gaps between roles",
    "件法": "Points",
    "逆転": "Reverse",
    "人数": "n",
    "平均": "Mean",
    "平均 95%CI下限": "Mean 95% CI low",
    "平均 95%CI上限": "Mean 95% CI high",
    "スコア(0-100)": "Score (0-100)",
    "スコア 95%CI下限": "Score 95% CI low",
    "スコア 95%CI上限": "Score 95% CI high",
    "肯定率": "Favourable",
    "肯定率 95%CI下限": "Favourable 95% CI low",
    "肯定率 95%CI上限": "Favourable 95% CI high",
    "中間回答率": "Neutral",
    "中間回答率 95%CI下限": "Neutral 95% CI low",
    "中間回答率 95%CI上限": "Neutral 95% CI high",
    "非表示": "Hidden",
    "非表示の理由": "Why hidden",
    "注記": "Note",
    "効果量 95%CI下限": "Effect size 95% CI low",
    "効果量 95%CI上限": "Effect size 95% CI high",
    "差": "Difference",
    "差 95%CI下限": "Difference 95% CI low",
    "差 95%CI上限": "Difference 95% CI high",
    "平均A": "Mean A",
    "平均B": "Mean B",
    "肯定率の差": "Favourable difference",
    "肯定率の差 95%CI下限": "Favourable difference 95% CI low",
    "肯定率の差 95%CI上限": "Favourable difference 95% CI high",
    "p値": "p",
    "補正方法": "Correction",
    "人数（比較元）": "n (from)",
    "人数（比較先）": "n (to)",
    "順位双列相関": "Rank-biserial correlation",
    "p値（順位検定）": "p (rank test)",
    "p値（t検定）": "p (t test)",
    ":material/lock: 匿名性の基準: 数値は{scores}人以上、コメントは{comments}人以上のグループのみ表示": (
        ":material/lock: Anonymity: numbers only for groups of {scores} or more, comments for "
        "groups of {comments} or more"
    ),
    "全回答": "All answers",
    "保存済みの調査、またはサンプル": "A stored survey, or the sample",
    "サンプルデータ（デモ）": "Sample data (demo)",
    "まだ回答がありません。「アップロード」ページからファイルを保存してください。": (
        "No answers yet. Save a file on the Upload page."
    ),
    ":material/lock: 表示していない値: {cells}": ":material/lock: Not shown: {cells}",
    "全項目": "all items",
    "回答なし": "no answers",
    # chart words (analysis/figures.py, analysis/network_figure.py take ``label``)
    "%（肯定的 = 好ましい側の2段階）": "% (favourable = the two boxes on the favourable side)",
    "{n}件": "{n} answers",
    "{value}（全体平均との差）": "{value} (difference from the overall mean)",
    "どちらともいえない": "Neutral",
    "全体と同じ": "Same as overall",
    "全体より好ましい": "More favourable than overall",
    "全体より好ましくない": "Less favourable than overall",
    "全体平均との差（役割別）": "Difference from the overall mean (by role)",
    "共起": "Co-occurrence",
    "否定的": "Unfavourable",
    "肯定的": "Favourable",
    "回答がありません": "no answers",
    "非表示: {reason}": "Hidden: {reason}",
    "回答時期ごとの平均: {item}": "Mean by wave: {item}",
    "好ましい方向<br>への差": "Difference in the<br>favourable direction",
    "尺度: {ends}": "Scale: {ends}",
    "尺度: {scale}。{note}": "Scale: {scale}. {note}",
    "平均 {x}（n={n}）": "Mean {x} (n={n})",
    "平均（{scale}）": "Mean ({scale})",
    "役割ごとの平均（◆ = 管理職が孤立している項目）": "Mean by role (◆ = managers stand alone)",
    "線で結べる語がありません": "No words to join",
    "肯定・中間・否定の割合（逆転項目は向きをそろえています）": (
        "Favourable / neutral / unfavourable shares (reverse items turned the same way)"
    ),
    "色は好ましい向き（青 = 全体より好ましい、赤 = 好ましくない）": (
        "Colour shows the favourable direction (blue = more favourable than overall, red = less)"
    ),
    "話題の割合（役割 × 回答時期）": "Topic shares (role x wave)",
    "（両方 {n}件）": " (both in {n} answers)",
    "（回答 {n}件）": " ({n} answers)",
    "（逆）": " (rev.)",
    "（逆）低いほど好ましい": "(rev.) lower is favourable",
    "（逆）は否定的な文言の項目で、低い値（尺度の1の側）が好ましい回答です": (
        "(rev.) marks a negatively worded item: a low value (the 1 end of the scale) is the "
        "favourable answer"
    ),
    "（逆）の項目は低い側（1・2）の2段階を肯定的（好ましい回答）として数えます": (
        "For (rev.) items the two low boxes (1, 2) count as favourable"
    ),
    "項目によって尺度が異なります": "The items' scales differ",
    "{mixed}（{scales}）": "{mixed} ({scales})",
    # refusals and sign-in errors (analysis.access, analysis.accounts)
    "このアンケートを閲覧する権限がありません。": "You are not allowed to see this survey.",
    "管理職のアカウントでは、この画面（アップロード・設定・書き出し）は使えません。": (
        "A manager's account cannot use this page (upload, settings, export)."
    ),
    "研修講師のアカウントで使えるのは「書き出し」画面（スライドと集計表）だけです。": (
        "A trainer's account can use the Export page (deck and tables) only."
    ),
    "ユーザー名を入力してください": "Enter a username",
    "新しいパスワードは今のパスワードと別のものにしてください": (
        "The new password must differ from the current one"
    ),
    "今のパスワードが違います": "The current password is wrong",
    "ユーザー名またはパスワードが違います": "Wrong username or password",
    "サインインしてください": "Please sign in",
    "セッションの有効期限が切れました。もう一度サインインしてください": (
        "Your session has expired. Please sign in again"
    ),
    "手動で変更": "Changed by hand",
    "あり": "yes",
    "尺度 {old} → {new}": "scale {old} → {new}",
    "逆転 {old} → {new}": "reverse {old} → {new}",
    "{manual}: {changes}": "{manual}: {changes}",
    "列「{column}」の回答は「{scale}」に合いません（合う尺度: {offer}）。"
    "合わない回答は未回答として扱います。": (
        "The answers of column “{column}” do not fit “{scale}” (scales that fit: {offer}). "
        "Answers that do not fit count as unanswered."
    ),
    # upload, settings, mapping grid, accounts (issue 14)
    "Google フォーム・Microsoft Forms・SurveyMonkey・Qualtrics の書き出し、Excel の CSV（CP932）に対応。"
    "上限 {mb} MB。": (
        "Reads exports of Google Forms, Microsoft Forms, SurveyMonkey and Qualtrics, and Excel "
        "CSV (CP932). Up to {mb} MB."
    ),
    "ファイルを選択（CSV / TSV / XLSX）": "Choose a file (CSV / TSV / XLSX)",
    "{format}として読み込みました（{source}{rows}件、{columns}列）。": (
        "Read as {format} ({source}{rows} rows, {columns} columns)."
    ),
    "判定・尺度が違う列は選び直してください。否定的な文（例: 不安だ）は「逆転」にチェックします。": (
        "Change any column whose reading or scale is wrong. Tick “Reverse” for negatively "
        "worded statements (e.g. “I am worried”)."
    ),
    "調査名": "Survey name",
    "同じ回答時期を置き換える": "Replace the same wave",
    "保存する": "Save",
    "文字コード": "Encoding",
    "自動判定": "Detect automatically",
    "UTF-8（BOM付き）": "UTF-8 (with BOM)",
    "Excel ブック、": "Excel workbook, ",
    "文字コード {encoding}、": "encoding {encoding}, ",
    "シート「{sheet}」、": "sheet “{sheet}”, ",
    "同じ調査名の回答時期がまとめて分析されます": "Waves with the same survey name are analysed together",
    "このファイルの回答時期": "Wave of this file",
    "このファイルの回答時期: {waves}": "Waves in this file: {waves}",
    "保存済みの回答者と同じ人が含まれるとき、その回答時期の保存済みファイルを削除して、"
    "このファイルで置き換えます（同じ人を二重に数えないため）。": (
        "When the file holds people already stored, the stored file of that wave is deleted and "
        "replaced by this one (so nobody is counted twice)."
    ),
    "「{survey}」に保存しました: {waves}": "Saved to “{survey}”: {waves}",
    "文字化けする場合に指定します": "Set this if the text comes out garbled",
    "シート": "Sheet",
    "例: 研修前、研修後、3か月後": "e.g. before, after, 3 months later",
    "回答が入っているシートを選びます（最初は回答らしいシートを選んでいます）": (
        "The sheet holding the answers (the likeliest one is chosen at first)"
    ),
    "{wave}（{n}件）": "{wave} ({n} answers)",
    "この人数に満たないグループは、数値もコメントもどの画面・スライドにも表示されません。": (
        "Groups smaller than this show neither numbers nor comments on any page or slide."
    ),
    "数値を表示する最小人数": "Smallest group shown with numbers",
    "コメントを表示する最小人数": "Smallest group shown with comments",
    "基準を保存": "Save thresholds",
    "保存済みのファイルごとに、列の読み取り（判定・尺度・逆転・役割の区分）を直して再分析できます。"
    "元の対応付けは履歴に残ります。": (
        "For each stored file you can correct how its columns were read (reading, scale, "
        "reverse, role tiers) and analyse it again. The earlier mapping stays in the history."
    ),
    "{n}人未満のグループを表示すると、回答者が特定されるおそれがあります（業界標準は{n}人）。": (
        "Showing groups under {n} may identify respondents (the industry standard is {n})."
    ),
    "匿名性の基準を保存しました。": "Anonymity thresholds saved.",
    "この調査に保存済みの回答時期はありません。": "This survey has no stored waves.",
    "**{wave}** ／ {file} ／ {n}件 ／ 保存 {saved}": "**{wave}** / {file} / {n} answers / saved {saved}",
    "名前": "Name",
    "名前を変更": "Rename",
    "削除してよい": "Yes, delete it",
    "削除": "Delete",
    "ロック": "Locked",
    "閲覧できるアンケート": "Surveys open to the account",
    "ロック中": "locked",
    "すべて": "all",
    "なし": "none",
    "（{department}）": " ({department})",
    "人事": "HR",
    "管理職": "Manager",
    "研修講師": "Trainer",
    "全{rows}列のうち{shown}行分を表示しています（枠内をスクロールすると残りの列）。": (
        "Showing {shown} of {rows} columns (scroll inside the grid for the rest)."
    ),
    "全{rows}列を表示しています。": "Showing all {rows} columns.",
    "高": "high",
    "中": "medium",
    "低": "low",
    "手動": "manual",
    "**役割の区分**（列「{role}」の値ごと）": "**Role tiers** (each value of the column “{role}”)",
    "部長・課長などを経営層・管理職・一般社員にまとめると、役割間の比較ができます。"
    "「そのまま」は書かれた値のまま分析します。": (
        "Group job titles into executives, managers and staff to compare roles. "
        "“そのまま” (as written) analyses a value as it is written."
    ),
    "列の対応付けを見直す（{file}）": "Review the column mapping ({file})",
    "変更のメモ（任意）": "Note on the change (optional)",
    "この対応付けで再分析する": "Analyse again with this mapping",
    "判定の理由（全文）": "Reasons in full",
    "ほか{n}種類の値は、提案どおりか書かれたまま分析します。": (
        "{n} more values are analysed as proposed or as written."
    ),
    "{file} の対応付けの変更履歴": "Mapping history of {file}",
    "変更: {changes}": "Changes: {changes}",
    "変更はありません。": "Nothing changed.",
    "日時": "Date and time",
    "変更": "Change",
    "メモ": "Note",
    "変更なし": "no change",
    "値": "Value",
    "件数": "Count",
    "区分": "Tier",
    "尺度": "Scale",
    "確信度": "Confidence",
    "分析での使い方（尺度項目・自由記述・役割など）を選びます": (
        "How the column is used in the analysis (scale item, free text, role…)"
    ),
    "否定的な文（例: 不安だ）は、そう思うほど好ましくない": (
        "A negatively worded statement (e.g. “I am worried”): agreeing is unfavourable"
    ),
    "全文は表の下の「判定の理由（全文）」にあります": "The whole reason is under “Reasons in full” below the grid",
    "尺度項目の列だけ使います。回答の選択肢に合う尺度を選んでください。": (
        "Used for scale items only. Choose the scale that fits the answer choices."
    ),
}

# Sentences analysis/ writes (column-reading reasons, hidden-cell reasons, headlines, notes):
# a pattern over the Japanese and its English template, tried in order, the first full match
# wins. Groups named ``t_…`` are product words (translated in turn); the others are the data
# (statements, roles, waves, numbers) and go in as written. A sentence no pattern matches
# stays as analysis/ wrote it.
_STATEMENT = r"『(?P<item>.+)』"
SENTENCES: tuple[tuple[str, str], ...] = (
    (r"(?P<n>\d+)人", "{n}"),
    (r"(?P<n>\d+)人未満", "under {n}"),
    # hidden cells (analysis.privacy)
    (
        r"(?P<who>.+?)（(?P<t_where>全項目|「.+」)）: (?P<t_reason>.+)",
        "{who} ({t_where}): {t_reason}",
    ),
    (r"(?P<who>.+)は(?P<n>\d+)人未満のため表示していません", "{who}: under {n} people, not shown"),
    (
        r"(?P<who>.+)の合計は、少人数のグループを保護するため表示していません",
        "The total of {who} is not shown, to protect a small group",
    ),
    (r"(?P<who>.+)を保護するため、あわせて非表示にしています", "Hidden as well, to protect {who}"),
    (
        r"(?P<t_a>対応のある比較は.+)。時期ごとの全回答を対応なしで比べた結果を示しています",
        "{t_a}. The results shown compare all answers of each wave, unpaired",
    ),
    (
        r"対応のある比較は、片方の時期だけに答えた人が(?P<n>[\d〜]+)人のため表示していません"
        r"（個人の回答が差し引きで分かるため）",
        "The paired comparison is not shown: {n} people answered in only one of the waves "
        "(their answers could be worked out by subtraction)",
    ),
    (
        r"対応のある比較は、部署別または他の時期との比較と合わせると、片方の時期だけに答えた人が"
        r"(?P<n>[\d〜]+)人になるため表示していません（個人の回答が差し引きで分かるため）",
        "The paired comparison is not shown: together with the department or other-wave "
        "comparisons, {n} people would have answered in only one wave (their answers could be "
        "worked out by subtraction)",
    ),
    (
        r"回答者IDで回答時期をつなげないため、対応のある比較はできません",
        "Respondent IDs do not link the waves, so no paired comparison is possible",
    ),
    (
        r"どの役割×回答時期のグループも回答が(?P<n>\d+)件未満のため、全回答をまとめて話題を示します",
        "Every role x wave group has fewer than {n} answers, so the topics are of all answers together",
    ),
    (
        r"氏名などの個人情報を除くと、分析できる語が残りませんでした。",
        "Without names and other personal data, no words were left to analyse.",
    ),
    # refusals and sign-in errors with names or numbers in them
    (
        r"このアカウントは(?P<department>.+?)の結果だけを閲覧できます。この画面は全社の数値を含むため"
        r"表示できません。ホーム画面で(?P<again>.+?)の結果をご覧ください。",
        "This account may see the results of {department} only. This page holds company-wide "
        "numbers, so it cannot be shown. See the results of {again} on the home page.",
    ),
    (r"パスワードは(?P<n>\d+)文字以上にしてください", "The password needs {n} characters or more"),
    (r"「(?P<name>.+)」はすでに登録されています", "“{name}” is already registered"),
    (r"「(?P<name>.+)」というアカウントはありません", "There is no account “{name}”"),
    (r"役割は(?P<few>.+)のいずれかです（(?P<role>.+)）", "The role must be one of {few} ({role})"),
    (
        r"パスワードを続けて間違えたため、このアカウントはロックされています。"
        r"(?P<time>\d+:\d+)（日本時間）以降にもう一度お試しいただくか、人事に解除を依頼してください",
        "This account is locked after repeated wrong passwords. Try again after {time} "
        "(Japan time), or ask HR to unlock it",
    ),
    # headlines (analysis.headlines), the deck's 要点
    (
        r"(?P<role>[^：]+?)の(?P<pct>\d+)%（95%CI (?P<lo>\d+)–(?P<hi>\d+)%、n=(?P<n>\d+)）が"
        + _STATEMENT
        + r"に(?P<w_how>肯定的|否定的（好ましい回答）)",
        "{pct}% of {role} (95% CI {lo}–{hi}%, n={n}) {w_how} “{item}”",
    ),
    (
        r"役割間の差が最も大きいのは" + _STATEMENT + r"の(?P<w_share>好ましい回答の割合|肯定率)："
        r"(?P<high>.+?) (?P<p1>\d+)%と(?P<low>.+?) (?P<p2>\d+)%で(?P<d>\d+)ポイント差"
        r"（95%CI (?P<lo>\S+)〜(?P<hi>\S+)ポイント、n=(?P<n>\S+)）",
        "The largest gap between roles is in the {w_share} for “{item}”: {high} {p1}% and "
        "{low} {p2}%, {d} points apart (95% CI {lo} to {hi} points, n={n})",
    ),
    (
        r"(?P<to>[^、：]+)、(?P<role>.+?)の" + _STATEMENT + r"の平均は(?P<d>[\d.]+)"
        r"(?P<w_dir>上昇|低下|変化なし)（(?P<since>.+?)比、95%CI (?P<lo>\S+)〜(?P<hi>\S+)、"
        r"(?P<effect>.+?)、n=(?P<n>[\d→]+)(?P<w_pairs>組)?）",
        "{to}: {role}'s mean for “{item}” {w_dir} {d} (against {since}, 95% CI {lo} to {hi}, "
        "{effect}, n={n}{w_pairs})",
    ),
    (
        _STATEMENT
        + r"では(?P<who>.+?)だけが(?P<others>.+?)より(?P<w_word>高い|低い)(?P<w_trend>傾向)?"
        r"（差の小さい方でもg=(?P<g>\S+)、95%CI (?P<lo>\S+)〜(?P<hi>\S+)、(?P<who2>.+?)のn=(?P<n>\d+)）",
        "For “{item}” only {who} score {w_word} than {others}{w_trend} (g={g} even for the smaller "
        "gap, 95% CI {lo} to {hi}, n={n} for {who2})",
    ),
    (
        r"(?P<later>.+?)も、(?P<role>.+?)の"
        + _STATEMENT
        + r"は(?P<post>.+?)の伸びの(?P<pct>\d+)%を維持"
        r"（平均 (?P<means>\S+)、(?P<later2>.+?)の95%CI (?P<lo>\S+)〜(?P<hi>\S+)、n=(?P<n>\d+)）",
        "At {later}, {role} kept {pct}% of the {post} change for “{item}” (mean {means}, "
        "95% CI at {later2} {lo} to {hi}, n={n})",
    ),
    (r"(?P<wave>[^：『』]+)：(?P<t_rest>.+)", "{wave}: {t_rest}"),
    # how a column was read (analysis.inference): 「判定: 理由」 and its parts
    (r"(?P<t_a>.+)（個人情報のため表示しません）", "{t_a} (personal data, not shown)"),
    (
        r"(?P<t_a>.+)。否定的な表現「(?P<cue>.+?)」を含むため逆転項目",
        "{t_a}; reverse-scored, as it contains the negative wording “{cue}”",
    ),
    (
        r"(?P<t_a>.+)。全員が同じ回答（ばらつきなし）ですが項目として残します",
        "{t_a}; everyone gave the same answer (no spread), kept as an item all the same",
    ),
    (
        r"(?P<t_tool>[^:]+) の回答者情報の列のため表示しません",
        "the respondent-information column of {t_tool}, not shown",
    ),
    (
        r"(?P<t_tool>[^:]+) が記録する回答時刻（分析しない）",
        "the time {t_tool} records for each answer (not analysed)",
    ),
    (r"(?P<t_tool>[^:]+) の外部参照の列", "the external-reference column of {t_tool}"),
    (
        r"(?P<t_tool>[^:]+) の管理用の列（分析しない）",
        "an administrative column of {t_tool} (not analysed)",
    ),
    (r"回答がすべて空の列", "a column with no answers"),
    (
        r"分析に使わない列（選択肢・数値・日時など）",
        "a column not analysed (choices, numbers, dates…)",
    ),
    (r"回答の記録時刻（分析しない）", "when the answer was recorded (not analysed)"),
    (r"日付の列", "a date column"),
    (
        r"(?P<a>.+?)〜(?P<b>.+?)の数値だが見出しに「(?P<word>.+?)」を含む",
        "numbers {a} to {b}, but the header contains “{word}”",
    ),
    (
        r"回答が(?P<a>.+?)〜(?P<b>.+?)の数値（(?P<p>\d+)件法）",
        "answers are numbers {a} to {b} ({p}-point scale)",
    ),
    (
        r"回答が(?P<p>\d+)件法の選択肢（(?P<shown>.+)）",
        "answers are the choices of a {p}-point scale ({shown})",
    ),
    (
        r"見出しに「(?P<word>.+?)」を含み、値がExcelの日付の数値",
        "the header contains “{word}” and the values are Excel dates",
    ),
    (
        r"値の多くが(?P<w_kind>.+)の形のため表示しません",
        "most values look like {w_kind}, not shown",
    ),
    (r"連絡先の設問（(?P<q>.+)）のため表示しません", "a contact question ({q}), not shown"),
    (r"見出しに「(?P<word>.+?)」を含むため表示しません", "the header contains “{word}”, not shown"),
    (
        r"見出しに「(?P<word>.+?)」を含み、値が役職名（(?P<few>.+)）",
        "the header contains “{word}” and the values are job titles ({few})",
    ),
    (
        r"見出しに「(?P<word>.+?)」を含み、回答がさまざま",
        "the header contains “{word}” and the answers vary",
    ),
    (
        r"見出しに「(?P<word>.+?)」を含み、値が一人ずつ異なる",
        "the header contains “{word}” and each person's value differs",
    ),
    (
        r"見出しに「(?P<word>.+?)」を含むが値の種類が多い",
        "the header contains “{word}”, but there are many different values",
    ),
    (
        r"見出しに「(?P<word>.+?)」を含むが、値の多くが空のため回答者IDにしない",
        "the header contains “{word}”, but most values are empty, so not a respondent ID",
    ),
    (
        r"見出しに「(?P<word>.+?)」を含むが、回答時期をつなぐ人がいないため回答者IDにしない",
        "the header contains “{word}”, but it links nobody across waves, so not a respondent ID",
    ),
    (r"見出しに「(?P<word>.+?)」を含む（(?P<few>.+)）", "the header contains “{word}” ({few})"),
    (r"見出しに「(?P<word>.+?)」を含む", "the header contains “{word}”"),
    (r"見出しに「(?P<word>.+?)」を含み", "the header contains “{word}”"),
    (r"値がIDの形で", "the values look like IDs"),
    (r"値が役職名（(?P<few>.+)）", "the values are job titles ({few})"),
    (r"値が回答時期の形（(?P<few>.+)）", "the values look like waves ({few})"),
    (r"値が部署名の形（(?P<few>.+)）", "the values look like department names ({few})"),
    (
        r"日付が(?P<n>\d+)種類だけなので回答時期とみなす",
        "only {n} different dates, so read as waves",
    ),
    (
        r"回答の(?P<pct>\d+%)が異なり、平均(?P<n>\d+)文字",
        "{pct} of the answers differ, {n} characters on average",
    ),
    (
        r"同じ回答時期に同じ値が多いため回答者IDにしない",
        "many equal values within a wave, so not a respondent ID",
    ),
    (
        r"(?P<t_source>.+)、(?P<pct>\d+%)の人が複数の回答時期をつなぐ",
        "{t_source}; it links {pct} of people across waves",
    ),
    # close calls of the column reading (analysis.inference), above the grid
    (
        r"列「(?P<column>.+?)」を(?P<t_meaning>.+?)と判定しましたが、確信度が低め（(?P<pct>\d+%)）です。"
        r"確認してください。",
        "Column “{column}” was read as {t_meaning}, with low confidence ({pct}). Please check.",
    ),
    (
        r"列「(?P<column>.+?)」は(?P<t_meaning>.+?)とも(?P<t_other>.+?)とも読めます。(?P<t_chosen>.+?)としました。",
        "Column “{column}” reads as {t_meaning} or as {t_other}. It was taken as {t_chosen}.",
    ),
    (
        r"(?P<t_meaning>.+?)の候補が複数あります（「(?P<winner>.+?)」「(?P<rivals>.+)」）。"
        r"「(?P<used>.+?)」を使いました。違う場合は列の対応付けで選び直してください。",
        "More than one column could be the {t_meaning} (“{winner}”, “{rivals}”). “{used}” was "
        "used; choose again in the column mapping if that is wrong.",
    ),
    # what will be analysed (analysis.mapping.mapping_summary), part by part (split at 、)
    (
        r"尺度項目 (?P<n>\d+)問（(?P<t_scales>.+)、うち逆転 (?P<r>\d+)）",
        "{n} scale items ({t_scales}; {r} reversed)",
    ),
    (r"尺度項目 なし", "no scale items"),
    (r"自由記述 (?P<n>\d+)問", "{n} free-text questions"),
    (r"役割: なし", "role: none"),
    (r"役割: 「(?P<column>.+?)」（(?P<few>.+)）", "role: “{column}” ({few})"),
    (r"回答時期: なし（全体を1回分）", "waves: none (all answers as one)"),
    (r"回答時期: (?P<n>\d+)（(?P<few>.+)）", "waves: {n} ({few})"),
    (r"部署: なし", "department: none"),
    (r"部署: 「(?P<column>.+?)」（(?P<n>\d+)部署）", "department: “{column}” ({n} departments)"),
    (
        r"個人情報 (?P<n>\d+)列は表示しません（(?P<few>.+)）",
        "{n} personal-data columns not shown ({few})",
    ),
    (r"個人情報: なし", "personal data: none"),
    (r"(?P<p>\d+)件法（(?P<ends>.+)）", "{p}-point ({ends})"),  # a scale's label
    (r"(?P<p>\d+)件法 (?P<n>\d+)", "{n} on {p} points"),
    (
        r"(?P<t_a>\d+件法[^・]*)・(?P<t_b>\d+件法.+)",
        "{t_a}, {t_b}",
    ),  # items per scale: 「5件法 7・4件法 3」
    (r"(?P<t_field>[^:、]+): (?P<t_reason>.+)", "{t_field}: {t_reason}"),
)
LISTS = frozenset({"few", "others", "who"})  # groups holding data values joined by 「・」
SENTENCE_WORDS = {  # the product's words inside those sentences (``t_…`` groups, data kept out)
    "肯定的": "agree with",
    "否定的（好ましい回答）": "disagree (the favourable answer) with",
    "好ましい回答の割合": "share of favourable answers",
    "肯定率": "share agreeing",
    "上昇": "rose by",
    "低下": "fell by",
    "変化なし": "did not change,",
    "組": " pairs",
    "高い": "higher",
    "低い": "lower",
    "傾向": " (a tendency)",
    "個人情報": "Personal data",
    "日時": "Date and time",
    "メールアドレス": "e-mail addresses",
    "IPアドレス": "IP addresses",
    "電話番号": "phone numbers",
    "社員番号": "employee numbers",
    "その他": "other",
}
_PATTERNS = tuple((re.compile(pattern), english) for pattern, english in SENTENCES)


_TOGGLE = "language_toggle"  # the sidebar radio's key: its new value is known before it is drawn


def english() -> bool:
    """Whether the user chose English; right after a click, the title and caption drawn
    above the toggle follow it too (they lagged one rerun behind)."""
    if _TOGGLE in st.session_state:
        return st.session_state[_TOGGLE] == "English"
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
        "表示言語 / Language",
        ["日本語", "English"],
        index=1 if english() else 0,
        horizontal=True,
        key=_TOGGLE,
    )
    st.session_state[state.LANGUAGE] = "en" if chosen == "English" else "ja"


def choices(values: Iterable[str]) -> dict[str, str]:
    """Selectbox options in the chosen language, each mapped back to its value.

    Used instead of ``format_func`` (which AppTest cannot map back to an option):
    ``shown = text.choices(ROLES); role = shown[st.selectbox("役割", list(shown))]``.
    """
    return {label(value): value for value in values}


def sentence(japanese: object) -> object:
    """A sentence analysis/ wrote, in English when the user chose English (:data:`SENTENCES`).

    Anything that is not a string, or that no pattern matches, comes back as it was.
    """
    if not english() or not isinstance(japanese, str):
        return japanese
    return _english_sentence(japanese)


def _english_sentence(japanese: str) -> str:
    if japanese in ENGLISH:
        return ENGLISH[japanese]
    if japanese in SENTENCE_WORDS:
        return SENTENCE_WORDS[japanese]
    for pattern, template in _PATTERNS:
        found = pattern.fullmatch(japanese)
        if found is None:
            continue
        values = {}
        for name, value in found.groupdict().items():
            if value is None:
                values[name] = ""
            elif name.startswith("t_"):
                values[name] = _english_sentence(value)
            elif name.startswith("w_"):
                values[name] = SENTENCE_WORDS.get(value, value)
            elif name in LISTS:  # the values as written, the separator in English
                values[name] = value.replace("・", ", ")
            else:
                values[name] = value
        return template.format(**values)
    parts = _top_level_parts(japanese)
    if len(parts) > 1:  # a list of clauses (the mapping summary): each on its own
        return ", ".join(_english_sentence(part) for part in parts)
    return japanese


def _top_level_parts(sentence: str) -> list[str]:
    """``sentence`` cut at each 「、」 outside brackets (（…）「…」『…』)."""
    parts, depth, start = [], 0, 0
    for at, letter in enumerate(sentence):
        if letter in "（「『":
            depth += 1
        elif letter in "）」』":
            depth = max(depth - 1, 0)
        elif letter == "、" and depth == 0:
            parts.append(sentence[start:at])
            start = at + 1
    return [*parts, sentence[start:]]
