"""Generate Kakehashi's bundled demo survey: an AI-adoption training survey in three waves.

The data are fictional but shaped like what HR teams upload: a Google Forms export
(UTF-8, タイムスタンプ column, a Likert grid, free-text answers that sometimes carry
PII) and the same data as an Excel-saved CP932 CSV with short headers and numeric
answers. Effects that the dashboard should reveal are planted on purpose; they are
listed in ``PLANTED_MEANS`` and documented in ``sample_data/README.md``.

Everything is drawn from ``numpy.random.default_rng(seed)``, so the same seed gives
the same frame and ``python sample_data/generate.py`` rewrites the committed files
byte for byte.

Public API::

    generate_survey(n_respondents=300, *, seed=20250401) -> pandas.DataFrame
    write_outputs(directory) -> list[Path]
    free_text_answers(n, *, seed=0) -> list[str]
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

DEFAULT_SEED = 20250401
DEFAULT_RESPONDENTS = 300

ROLES = ("経営層", "管理職", "一般社員")
WAVES = ("研修前", "研修後", "3か月後")
DEPARTMENTS = ("営業部", "製造部", "開発部", "総務部", "経理部", "経営企画部")

# 1..5, index + 1 is the score (5 = favourable agreement).
LIKERT_LABELS = (
    "まったくそう思わない",
    "そう思わない",
    "どちらともいえない",
    "そう思う",
    "とてもそう思う",
)

GRID_QUESTION = "AI活用について、以下の項目にどの程度あてはまりますか。"

GOOGLE_FORMS_FILE = "ai_survey_google_forms.csv"
EXCEL_CP932_FILE = "ai_survey_excel_cp932.csv"


class LikertItem(NamedTuple):
    """One statement of the Likert grid."""

    code: str  # "Q1" ...
    short: str  # short label used as the Excel header after "Q1_"
    statement: str  # the statement shown to respondents
    reverse: bool = False  # agreement is unfavourable

    @property
    def column(self) -> str:
        """Google Forms grid header: ``<question> [<statement>]``."""
        return f"{GRID_QUESTION} [{self.statement}]"

    @property
    def excel_column(self) -> str:
        return f"{self.code}_{self.short}"


ITEMS = (
    LikertItem("Q1", "AI導入の目的理解", "なぜ今AIを導入するのか理解している"),
    LikertItem("Q2", "仕事が楽になる", "AIで自分の仕事が楽になると思う"),
    LikertItem(
        "Q3", "仕事を奪われる不安", "AIに自分の仕事を奪われるのではないかと不安だ", reverse=True
    ),
    LikertItem("Q4", "役割分担の明確さ", "AI導入後に誰が何を担当するのかが明確だ"),
    LikertItem("Q5", "相談相手", "AIについて相談できる相手がいる"),
    LikertItem(
        "Q6", "ひとりで抱え込み", "AI導入を自分ひとりで抱え込んでいると感じる", reverse=True
    ),
    LikertItem("Q7", "率直に話せる", "AIについての不安や疑問を職場で率直に話せる"),
    LikertItem("Q8", "また実験で終わる", "また実験で終わるのではないかと感じる", reverse=True),
    LikertItem("Q9", "試行が変化につながる", "AIの試行が実際の業務の変化につながると思う"),
    LikertItem("Q10", "AI活用意向", "今後、自分の業務でAIを積極的に使いたい"),
)


class FreeTextQuestion(NamedTuple):
    """One free-text (自由記述) question."""

    code: str
    short: str  # Excel header
    question: str  # Google Forms header


FREE_TEXT_QUESTIONS = (
    FreeTextQuestion(
        "F1", "不安に思うこと", "AI導入について、不安に思うことを自由にお書きください。"
    ),
    FreeTextQuestion(
        "F2", "活用アイデア", "AIを活用できそうな業務やアイデアがあればお書きください。"
    ),
    FreeTextQuestion(
        "F3", "研修で変わったこと", "研修を通じて変わったこと、感じたことをお書きください。"
    ),
)

META_COLUMNS = ("タイムスタンプ", "メールアドレス", "社員番号", "役職", "部署", "回答時期")
COLUMNS = (
    META_COLUMNS
    + tuple(item.column for item in ITEMS)
    + tuple(q.question for q in FREE_TEXT_QUESTIONS)
)
EXCEL_COLUMNS = (
    ("回答日時", "社員番号", "メール", "役職", "部署", "回答時期")
    + tuple(item.excel_column for item in ITEMS)
    + tuple(q.short for q in FREE_TEXT_QUESTIONS)
)

# Headcount per (department, role) for 300 respondents; other sizes scale these.
# 経理部 x 管理職, 経営企画部 x 管理職 and 経営企画部 x 一般社員 are below 5 on purpose.
CELL_SIZES: dict[tuple[str, str], int] = {
    ("経営企画部", "経営層"): 24,
    ("営業部", "管理職"): 22,
    ("製造部", "管理職"): 20,
    ("開発部", "管理職"): 18,
    ("総務部", "管理職"): 9,
    ("経理部", "管理職"): 4,
    ("経営企画部", "管理職"): 3,
    ("営業部", "一般社員"): 60,
    ("製造部", "一般社員"): 55,
    ("開発部", "一般社員"): 45,
    ("総務部", "一般社員"): 22,
    ("経理部", "一般社員"): 14,
    ("経営企画部", "一般社員"): 4,
}

MISS_POST_SHARE = 0.03  # respondents who skip 研修後
MISS_FOLLOWUP_SHARE = 0.08  # respondents who skip 3か月後
MISSING_ITEM_SHARE = 0.004  # single grid cells left blank
RETENTION = 0.65  # share of the 研修前 -> 研修後 change still present at 3か月後

# Planted population means on the raw 1-5 agreement scale (not reverse-scored),
# per item: {wave: (経営層, 管理職, 一般社員)}. 3か月後 = 研修前 + RETENTION x change.
_PRE_POST: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    "Q1": ((4.3, 3.3, 2.5), (4.5, 3.8, 3.2)),
    "Q2": ((4.1, 3.2, 2.6), (4.2, 3.6, 3.2)),
    "Q3": ((1.8, 2.7, 3.6), (1.7, 2.4, 3.0)),
    "Q4": ((3.3, 2.6, 2.3), (3.6, 3.3, 2.9)),
    "Q5": ((3.7, 2.2, 3.0), (3.9, 3.4, 3.4)),
    "Q6": ((2.4, 3.9, 2.3), (2.2, 2.0, 2.1)),
    "Q7": ((3.6, 2.8, 2.6), (3.8, 3.4, 3.2)),
    "Q8": ((2.2, 3.4, 3.7), (2.0, 2.7, 3.0)),
    "Q9": ((3.9, 2.9, 2.6), (4.0, 3.4, 3.1)),
    "Q10": ((4.3, 3.4, 2.9), (4.4, 3.9, 3.5)),
}
PLANTED_MEANS: dict[str, dict[str, tuple[float, float, float]]] = {
    code: {
        WAVES[0]: pre,
        WAVES[1]: post,
        WAVES[2]: tuple(round(a + RETENTION * (b - a), 3) for a, b in zip(pre, post, strict=True)),
    }
    for code, (pre, post) in _PRE_POST.items()
}

# Latent model: y* = mu(role, item, wave) + sign(item) * person + person x item + noise,
# answer = clip(round(y*), 1, 5). Person effects make waves correlate within a person.
_SD_PERSON = 0.5
_SD_PERSON_ITEM = 0.45
_SD_NOISE = 0.5
_SD_GAIN = 0.25  # individual multiplier on the training effect, mean 1
_SD_TOTAL = math.sqrt(_SD_PERSON**2 + _SD_PERSON_ITEM**2 + _SD_NOISE**2)

_FAMILY_NAMES = (
    ("田中", "tanaka"), ("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"),
    ("伊藤", "ito"), ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"),
    ("小林", "kobayashi"), ("加藤", "kato"), ("吉田", "yoshida"), ("山田", "yamada"),
    ("佐々木", "sasaki"), ("山口", "yamaguchi"), ("松本", "matsumoto"), ("井上", "inoue"),
    ("木村", "kimura"), ("林", "hayashi"), ("斎藤", "saito"), ("清水", "shimizu"),
    ("山崎", "yamazaki"), ("森", "mori"), ("池田", "ikeda"), ("橋本", "hashimoto"),
    ("阿部", "abe"), ("石川", "ishikawa"), ("山下", "yamashita"), ("中島", "nakajima"),
    ("石井", "ishii"), ("小川", "ogawa"), ("前田", "maeda"), ("岡田", "okada"),
    ("長谷川", "hasegawa"), ("藤田", "fujita"), ("後藤", "goto"), ("近藤", "kondo"),
    ("村上", "murakami"), ("遠藤", "endo"), ("青木", "aoki"), ("坂本", "sakamoto"),
)  # fmt: skip
_GIVEN_INITIALS = "aaikkkmmnnhhsssttyyyrre"

# Answer windows (weekdays only); training took place on 2025/04/14-15.
_WAVE_DAYS = {
    "研修前": (dt.date(2025, 4, 7), dt.date(2025, 4, 11)),
    "研修後": (dt.date(2025, 4, 15), dt.date(2025, 4, 22)),
    "3か月後": (dt.date(2025, 7, 14), dt.date(2025, 7, 25)),
}

# ---------------------------------------------------------------------------
# Free-text phrase banks. An answer is the concatenation of one option per slot.
# Slots with repeated "" are optional. Endings are added by the templates.

Slot = tuple["str | Slot", ...]  # an option may itself be a slot: it shares one option's weight
Template = tuple[Slot, ...]

_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _numbers(text: str, values: Sequence[int | tuple[int, ...]]) -> Slot:
    """``text`` with ``{}`` filled by each value, in full-width and in half-width digits."""
    out: list[str] = []
    for value in values:
        filled = text.format(*value) if isinstance(value, tuple) else text.format(value)
        out += [filled.translate(_FULLWIDTH_DIGITS), filled]
    return tuple(out)


_END: Slot = ("。", "。", "。", "。", "！", "…", "。。", "（汗）")
_END_POST: Slot = ("。", "。", "。", "。", "！", "！", "…", "。。")
_SEP: Slot = ("",) * 12 + ("\n",)

_OPEN: dict[str, Slot] = {
    "経営層": ("",) * 6 + ("経営として、", "率直に言えば、", "個人的には、", "経営の立場からは、"),
    "管理職": ("",) * 6
    + ("正直、", "管理職として、", "推進役として、", "率直に言って、", "課長の立場だと、"),
    "一般社員": ("",) * 6
    + (
        "正直、",
        "正直なところ、",
        "個人的には、",
        "現場としては、",
        "率直に言うと、",
        "まだよくわかっていませんが、",
    ),
}
_CONTEXT: Slot = ("",) * 8 + (
    "最近、",
    "今の部署では、",
    "日々の業務の中で、",
    "周りを見ていても、",
)
_CONTEXT_EXEC: Slot = ("",) * 8 + ("最近、", "全社的に見て、", "経営会議でも話題になるが、")
_NOT_AFTER_TRAINING = ("まだよくわかっていませんが、",)
_TAIL: Slot = ("",) * 10 + (
    "よろしくお願いします。",
    "以上です。",
    "期待しています。",
    "よろしくお願いいたします！",
)

_F1_PRE: dict[str, Slot] = {
    "経営層": (
        "導入のスピードが遅く、競合に後れを取るのではと危惧しています",
        "投資対効果がどの程度出るのか見えないのが不安です",
        "現場への浸透が遅いことが気がかりです",
        "PoCばかりで本格展開に進まないこと",
        "成果が数字で見えるまでに時間がかかりすぎること",
        "管理職が推進役として機能しているのか見えにくい",
        "現場の抵抗感が強く、変革が進まないのではないか",
        "競争力の面で他社に差をつけられるのが怖い",
        "情報漏えいなどのリスク管理が追いつくか心配",
        "人材育成が導入のスピードに追いつかないのではないか",
        "投資に見合う成果を半年で出せるかどうか",
    ),
    "管理職": (
        "経営からは早く成果を出せと言われ、部下からはなぜ今なのかと聞かれ、板挟みです",
        "推進役を任されたものの、相談できる相手がいません",
        "一人で抱え込んでいる状態で、正直しんどいです",
        "部下にどう説明すればよいのかわかりません",
        "自分自身がAIをよくわかっていないのに、説明役を求められている",
        "現場との調整に時間がかかり、本来の業務が回りません",
        "部下の「仕事がなくなるのでは」という不安にうまく答えられない",
        "経営が求めるスピードと現場のペースが合っていません",
        "現場の反発をどう受け止めればよいか悩んでいます",
        "上からの指示をそのまま降ろすだけになっている気がします",
        "うまくいかなかったら自分の責任になるのではと感じています",
        "また実験で終わったら、部下の信頼を失いそうです",
        "他部署の管理職がどう進めているのか情報がありません",
        "経営層と現場の間で、通訳役がまったく機能していない",
    ),
    "一般社員": (
        "AIに仕事を取られるのではないかと心配です",
        "自分の仕事がなくなるのではないかと不安です",
        "なぜ今AIなのか、説明がないまま進んでいる気がします",
        "なぜ今AIを入れるのか、目的がよくわかりません",
        "使い方がわからず、ついていけるか不安です",
        "パソコンも得意ではないので、使いこなせる自信がありません",
        "また実験だけで終わるのではないかと思っています",
        "前のシステム導入のときのように、結局使われなくなるのでは",
        "導入後に誰が何をやるのか、まったく見えません",
        "AIが間違えたときに誰が責任を取るのかが心配です",
        "上が決めたことが降りてくるだけで、現場の意見が聞かれていない",
        "仕事が楽になるどころか、覚えることが増えるだけでは",
        "人員削減の話につながるのではと身構えてしまいます",
        "お客様の情報を入れても大丈夫なのかわかりません",
        "評価の基準が変わるのではないかと不安です",
        "いつの間にか決まっていて、意見を言う場がなかった",
    ),
}
_F1_PRE_SECOND: dict[str, Slot] = {
    "経営層": ("",) * 5
    + (
        "年度内には成果を出したい。",
        "スピード感を持って進めたい。",
        "投資判断の材料がほしい。",
        "他社はすでに全社展開していると聞く。",
        _numbers("{}年後を見据えて今動く必要がある。", (3, 5)),
        "現場の声ももっと聞きたい。",
    ),
    "管理職": ("",) * 5
    + (
        "管理職同士で話せる場がほしいです。",
        "経営層ともっと直接話したい。",
        "週に数時間はこの件に取られています。",
        _numbers("部下は{}人いますが、温度差が大きいです。", range(4, 13)),
        "正直、孤立していると感じます。",
        "誰に相談すればよいのかも不明です。",
    ),
    "一般社員": ("",) * 5
    + (
        "説明会がほしいです。",
        "もう少し丁寧な説明をお願いしたいです。",
        "周りも同じように感じていると思います。",
        "上司に聞いても答えが返ってきません。",
        "（同じ課の人たちも同意見です）",
        "現場の声も聞いてほしいです。",
        "研修で少しでもわかればと思います。",
        _numbers("PoCはもう{}回目です。", range(2, 6)),
        _numbers("前回の試行は{}か月で終わりました。", range(1, 7)),
    ),
}
# Longer second sentences: concrete episodes that push some answers past 100 characters.
_F1_PRE_STORY: dict[str, Slot] = {
    "経営層": (
        "他社ではすでに問い合わせ対応の半分をAIで処理していると聞いており、危機感を持っている。",
        _numbers(
            "昨年度のPoCは{}件とも本番導入に至らず、投資対効果を説明できなかった。", (2, 3, 4)
        ),
        "取締役会でも「いつ成果が出るのか」と毎回聞かれている。",
    ),
    "管理職": (
        "先月の部長会で「来期までに成果を」と言われましたが、何をもって成果とするのかは決まっていません。",
        "部下からは「それって人を減らすためですよね」と聞かれ、うまく答えられませんでした。",
        "自分の業務もある中で、推進の資料づくりや問い合わせ対応がすべて自分に集まっています。",
        _numbers(
            "現場からの質問を上に上げても、返事が来るまでに{}週間かかることもあります。", (1, 2, 3)
        ),
    ),
    "一般社員": (
        "前回のRPA導入のときも、説明会が一回あっただけで、その後は誰に聞けばいいのかわからないままでした。",
        "隣の課では試験導入したツールが半年で使われなくなり、結局元のExcel管理に戻っています。",
        "ニュースで事務の仕事がなくなるという記事を読んで、家族とも話題になりました。",
        "毎日の入力作業が中心なので、そこがAIに置き換わったら自分は何をすればいいのかと考えてしまいます。",
        "上司に聞いても「会社が決めたことだから」と言われるだけでした。",
    ),
}
_F3_POST_STORY: dict[str, Slot] = {
    "経営層": (
        "現場の若手から具体的な業務改善案がいくつも出てきて、こちらが思っていた以上に考えてくれていたと感じた。",
        "「なぜ今AIなのか」を自分の言葉で説明できていなかったと反省している。",
    ),
    "管理職": (
        "これまで部下の不安を一人で受け止めていましたが、経営層と現場が同じテーブルで話したことで、自分が全部説明しなくてもいいと思えました。",
        "管理職同士のグループで、それぞれの部署の悩みが似ていることがわかり、月１回情報交換することになりました。",
        "部下が自分から「この業務に使えませんか」と言ってきたのは初めてです。",
    ),
    "一般社員": (
        _numbers(
            "グループワークで営業日報の要約を試したら、{}分かかっていた作業が{}分で終わって驚きました。",
            ((10, 2), (15, 3), (20, 5), (30, 5)),
        ),
        "経営層の方が「失敗してもいい」と言ってくれたのが印象に残っています。",
        "他部署の人も同じように不安を感じていると知って、自分だけじゃないんだと安心しました。",
        "マニュアル作成を試してみて、たたき台があるだけでずいぶん楽になると実感しました。",
    ),
}
_F1_POST: dict[str, Slot] = {
    "経営層": (
        "現場の不安が想像以上に大きいことがわかった",
        "成果を急ぎすぎていたかもしれない",
        "投資対効果の測り方を管理職と一緒に決める必要がある",
        "定着するかどうかは今後のフォロー次第だと思う",
        "スピードと現場の納得の両立が課題",
        "管理職に任せきりにしないよう気をつけたい",
    ),
    "管理職": (
        "一人で抱え込まなくてよいとわかり、気持ちが楽になりました",
        "まだ部下への説明は手探りですが、相談先ができたので心強い",
        "現場から出たアイデアをどう形にするかが次の課題です",
        "経営層の期待の速さには、まだ少しギャップを感じます",
        "推進の時間をどう確保するかが悩みです",
        "部下の提案を拾いきれるか不安です",
        "不安はまだありますが、前よりは話しやすくなりました",
    ),
    "一般社員": (
        "仕事がなくなるという不安は少し減りましたが、まだ心配はあります",
        "使い方は少しわかったが、実際の業務で使えるかはまだ不安",
        "研修で目的は理解できたが、本当に続くのか気になる",
        "個人情報の扱いのルールをはっきりさせてほしい",
        "間違った回答をそのまま使ってしまわないか心配",
        "忙しい時期に使う時間が取れるかどうか",
        "せっかくの研修が一回で終わらないか心配です",
        "大きな不安はだいぶなくなりました",
        "周りが使い始めたときについていけるか少し不安",
        "なぜ今AIなのかは腹落ちしたが、現場の人手は足りていない",
    ),
}
_F1_POST_SECOND: Slot = ("",) * 6 + (
    "引き続きフォローをお願いしたいです。",
    "ルールづくりを急いでほしい。",
    "相談窓口があると安心です。",
    "少しずつ慣れていきたいと思います。",
    "部署内でも話し合ってみます。",
)
_F1_FOLLOWUP: dict[str, Slot] = {
    "経営層": (
        "成果の出方に部署ごとの差が大きいのが気になる",
        "横展開のスピードがまだ遅い",
        "投資対効果をそろそろ数字で示したい",
    ),
    "管理職": (
        "研修直後は盛り上がったが、最近は使う人が固定されてきた",
        "また一人で抱え込む状態に戻りつつある気がします",
        "経営からの成果の催促がまた強くなってきました",
        "忙しくなると元のやり方に戻ってしまう",
    ),
    "一般社員": (
        "研修直後は盛り上がったが、最近は使う人が固定されてきた",
        "忙しくなると元のやり方に戻ってしまう",
        "結局また実験で終わるのではという声が一部で出ている",
        "ツールのアカウントがまだ全員に配られていない",
        "使っていいデータの範囲がまだよくわからない",
    ),
}

_USE_CASES: dict[str, Slot] = {
    "営業部": ("営業日報の要約", "提案書のたたき台作成", "顧客訪問記録の整理", "見積書のチェック", "商談メモの共有", "競合情報の収集"),
    "製造部": ("作業手順書の更新", "不良報告書の分類", "設備点検記録の要約", "安全マニュアルの作成", "日報からの傾向分析", "引き継ぎメモの作成"),
    "開発部": ("議事録作成", "仕様書のレビュー", "テストケースの作成", "コードレビューの補助", "障害報告の要約", "技術文書の翻訳"),
    "総務部": ("社内問い合わせ対応", "社内規程の検索", "マニュアル作成", "備品管理の記録整理", "社内報の下書き", "稟議書のチェック"),
    "経理部": ("経費精算のチェック", "請求書の照合", "見積書のチェック", "月次報告の下書き", "仕訳の確認", "取引先への定型メール作成"),
    "経営企画部": ("会議資料の要約", "市場調査のまとめ", "議事録作成", "中期計画の資料作成", "各部署の成果の見える化", "役員会の論点整理"),
}  # fmt: skip
_USE_CASES_MANAGER: Slot = (
    "部下の日報へのフィードバック",
    "チーム内の問い合わせ対応",
    "１on１の記録整理",
    "評価コメントの下書き",
    "部署の週報作成",
)
_USE_CASES_EXEC: Slot = (
    "経営会議の資料作成",
    "市場動向レポートの作成",
    "各部署の成果の見える化",
    "顧客の声の分析",
    "採用広報の文章作成",
    "株主向け資料のたたき台",
)
_USE_CASES_GENERIC: Slot = (
    "メール文面の作成",
    "社内資料の要約",
    "FAQの整備",
    "長い文書の要点整理",
    "翻訳",
    "アンケートの集計",
)
_CONNECT: Slot = (
    "にAIを使えば、",
    "をAIに任せられれば、",
    "をAIで下書きできれば、",
    "にAIを活用すると、",
    "はAIと相性が良さそうで、",
    "をAIで自動化できれば、",
)
_BENEFIT: Slot = (
    "かなり時間が短縮できると思います",
    _numbers("毎日{}分は浮きそうです", (10, 15, 20, 30, 40, 60)),
    "ミスが減りそうです",
    "新人でも対応しやすくなりそうです",
    "週に２～３時間は削減できるのでは",
    "確認作業の負担が減ると思います",
    "本来の仕事に集中できそうです",
    "残業が減るかもしれません",
    "属人化が解消できそう",
    _numbers("月に{}時間くらいは減らせそう", (5, 10, 15, 20, 30)),
    "お客様への対応が早くなると思います",
)
_F2_SECOND: Slot = ("",) * 6 + (
    "ぜひ試してみたいです。",
    "部署で話し合ってみます。",
    "まずは小さく始めたい。",
    "研修のグループワークで出たアイデアです。",
    "同じ課のメンバーも賛成しています。",
    "使い方の事例があれば教えてください。",
    "（ルールが決まれば、ですが）",
    _numbers("今は手作業で、毎月末に{}日ほどかかっています。", (1, 2, 3, 4)),
    _numbers(
        "同じような問い合わせが１日に{}件以上あり、回答を探すだけで時間が取られています。",
        (10, 20, 30, 50),
    ),
    "ベテランの頭の中にしかないノウハウが多いので、文書にして残せると助かります。",
)
_F2_PRE_CORE: Slot = (
    "何に使えるのか、まだイメージがわきません",
    "よくわからないので、研修で知りたいです",
    "具体的な使い道が思いつきません",
    "他社の事例を聞いてから考えたい",
)
_F2_PRE_SOFT: Slot = (
    "くらいなら使えるかも",
    "に使えたら助かるかもしれません",
    "なら手伝ってもらえそう",
    "が楽になればうれしい",
)
_F3_PRE: Slot = (
    "まだ研修を受けていないので、特にありません",
    "研修はこれからなので、わかりません",
    "受講前のため、回答できません",
)
_F3_PRE_HOPE: Slot = (
    "なぜ今AIなのか",
    "具体的な使い方",
    "他社の事例",
    "導入後の役割分担",
    "経営層の本音",
    "現場での活用例",
)
_F3_PRE_HOPE_END: Slot = (
    "を研修で聞けることを期待しています",
    "が研修でわかればと思います",
    "を知りたいです",
)
_F3_POST: dict[str, Slot] = {
    "経営層": (
        "現場の不安を直接聞けたのは大きかった",
        "成果を急ぎすぎていたと反省した",
        "管理職に任せきりにしていたことに気づいた",
        "共通言語ができたことで議論が早くなった",
        "スピードだけでなく納得感も大事だと感じた",
        "現場から具体的な提案が出てきたのは想定外だった",
    ),
    "管理職": (
        "一人で抱え込まなくてよいと思えるようになった",
        "部下への説明の仕方のヒントがもらえた",
        "経営層と現場の間をつなぐ役割がはっきりした",
        "管理職同士で悩みを共有できたのが大きい",
        "通訳役として何を伝えればよいかわかった",
        "現場からの提案を待つのではなく一緒に考えればよいと気づいた",
        "経営層にも不安を話してよいのだとわかった",
    ),
    "一般社員": (
        "なぜ今AIなのかが腹落ちしました",
        "経営層の考えを直接聞けてよかった",
        "不安を口に出してもいいんだと思えた",
        "仕事が奪われるというより、面倒な作業が減るイメージが持てた",
        "他部署の人と話せて、同じ悩みがあるとわかった",
        "自分の業務で使えるアイデアを出せたのが良かった",
        "実際に触ってみて、思ったより簡単だった",
        "上司も悩んでいたことがわかって、少し見方が変わった",
    ),
}
_F3_FOLLOWUP: dict[str, Slot] = {
    "経営層": (
        "現場発の提案がいくつか実際に動き始めた",
        "定着には継続的な場づくりが必要だと実感している",
    ),
    "管理職": (
        "研修後、チームで週１回AIの使い方を共有している",
        "相談できる相手ができたのは今も続いている",
        "最初は盛り上がったが、最近は少し熱が冷めてきた",
        _numbers("研修で出たアイデアのうち{}つが実際に動き始めた", (2, 3, 4)),
    ),
    "一般社員": (
        "議事録作成はもう手放せない",
        _numbers("研修で出たアイデアのうち{}つが実際に動き始めた", (2, 3, 4)),
        "最初は盛り上がったが、最近は少し熱が冷めてきた",
        "わからないことを周りに聞きやすくなった",
        "日報の要約は毎日使っています",
    ),
}
_F3_SECOND: Slot = ("",) * 6 + (
    "次回は部署ごとの事例も聞きたいです。",
    "またこういう場があるとうれしい。",
    "（グループワークが特に良かった）",
    "時間がもう少しほしかった。",
    "講師の方の説明がわかりやすかった。",
    "フォローアップの研修もお願いしたいです。",
    "３か月後にまた振り返りたい。",
)

_NO_ANSWERS = ("", "特になし", "なし", "-", "特にありません", "とくになし", "特になし。")
_NO_ANSWER_WEIGHTS = (0.55, 0.2, 0.1, 0.05, 0.05, 0.03, 0.02)
# Share of no-answers per (question, wave).
_NO_ANSWER_SHARE = {
    ("F1", "研修前"): 0.15, ("F1", "研修後"): 0.25, ("F1", "3か月後"): 0.30,
    ("F2", "研修前"): 0.40, ("F2", "研修後"): 0.15, ("F2", "3か月後"): 0.25,
    ("F3", "研修前"): 0.92, ("F3", "研修後"): 0.15, ("F3", "3か月後"): 0.30,
}  # fmt: skip

# PII kinds planted in the free text (masking must find all of them).
PII_KINDS = ("name_san", "name_title", "email", "phone", "phone_fullwidth", "employee_id")
_PII_ACTIONS_SAN: Slot = (
    "に相談したら、すぐに使い方を教えてもらえました",
    "が作ったプロンプト集がとても役に立っています",
    "の説明がわかりやすく、部署内で共有しました",
    "と一緒に議事録の要約を試しています",
)
_PII_ACTIONS_TITLE: Slot = (
    "が率先して使っているので心強いです",
    "に相談できるようになって助かりました",
    "から「失敗してもいい」と言われて安心しました",
)
_PII_TITLES: Slot = ("部長", "課長", "主任")
_PII_EMAIL_FRAME: tuple[tuple[str, str], ...] = (
    ("アイデアの詳細は", "までご連絡ください"),
    ("資料がほしい方は", "に連絡ください"),
    ("一緒に試したい方は", "までメールをください"),
)
_PII_PHONES = ("090-1234-5678", "080-1111-2222")
_PII_PHONES_FULL = ("０９０－１２３４－５６７８", "０８０－１１１１－２２２２")
_PII_PHONE_FRAME: tuple[tuple[str, str], ...] = (
    ("不明点があれば携帯（", "）まで"),
    ("事例を聞きたい方は", "へどうぞ"),
    ("内容を詳しく話したいので、", "までお願いします"),
)


# Records are NamedTuples (immutable) rather than dataclasses so that the module can be
# loaded by path (importlib) without being registered in sys.modules first.

# ---------------------------------------------------------------------------
# Public API


def generate_survey(
    n_respondents: int = DEFAULT_RESPONDENTS, *, seed: int = DEFAULT_SEED
) -> pd.DataFrame:
    """Return the three-wave survey as a Google Forms export would read.

    One row per answer sheet (respondent x wave, minus attrition), sorted by
    タイムスタンプ. Every column is a string column (``str`` dtype); unanswered
    cells are missing, exactly as ``pd.read_csv(path, dtype=str)`` reads the
    committed file. Columns: ``COLUMNS``.
    """
    if n_respondents < 1:
        raise ValueError(f"n_respondents must be at least 1, got {n_respondents}")
    rng = np.random.default_rng(seed)
    people = _respondents(n_respondents, rng)
    sheets = _sheets(people, rng)
    scores = _likert_scores(people, sheets, rng)
    texts = _survey_free_text(people, sheets, rng)

    frame = pd.DataFrame(
        {
            "タイムスタンプ": sheets["timestamp"],
            "メールアドレス": people["email"][sheets["person"]],
            "社員番号": people["id"][sheets["person"]],
            "役職": people["role"][sheets["person"]],
            "部署": people["department"][sheets["person"]],
            "回答時期": sheets["wave"],
        }
    )
    labels = np.asarray((None, *LIKERT_LABELS), dtype=object)
    for j, item in enumerate(ITEMS):
        frame[item.column] = labels[scores[:, j]]
    for k, question in enumerate(FREE_TEXT_QUESTIONS):
        column = np.asarray(texts[k], dtype=object)
        column[column == ""] = None
        frame[question.question] = column
    if int(pd.__version__.split(".")[0]) >= 3:
        return frame.astype("str")  # what pd.read_csv(path, dtype=str) gives
    return frame.astype(object).where(frame.notna(), np.nan)


def write_outputs(directory: Path) -> list[Path]:
    """Write the committed sample files into ``directory``; return their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    frame = generate_survey()

    google = directory / GOOGLE_FORMS_FILE
    google.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))

    excel = directory / EXCEL_CP932_FILE
    excel.write_bytes(
        _excel_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("cp932")
    )
    return [google, excel]


def free_text_answers(n: int, *, seed: int = 0) -> list[str]:
    """Return ``n`` distinct, non-empty free-text answers in the survey's phrasing.

    Answers mix all questions, roles and waves (no "特になし"-style non-answers);
    about a third join two thoughts of one respondent (a worry and an idea, say) and
    about 2% carry PII. Built by combining phrase slots, so a million answers take
    seconds. The same ``seed`` gives the same list.
    """
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    rng = np.random.default_rng(seed)
    groups = [
        (q, role, wave, dept)
        for q in ("F1", "F2", "F3")
        for role in ROLES
        for wave in WAVES
        for dept in (DEPARTMENTS if q == "F2" else ("",))
    ]
    weights = np.array(
        [
            {"F1": 0.4, "F2": 0.4 / len(DEPARTMENTS), "F3": 0.2}[q]
            * {"経営層": 0.1, "管理職": 0.25, "一般社員": 0.65}[role]
            * (0.15 if (q, wave) == ("F3", "研修前") else 1.0)
            for q, role, wave, _ in groups
        ]
    )
    weights /= weights.sum()
    # A second thought comes from another question, same role and wave.
    partners = [
        np.array([h for h, other in enumerate(groups) if other[1:3] == g[1:3] and other[0] != g[0]])
        for g in groups
    ]
    names = [kanji for kanji, _ in _FAMILY_NAMES]
    emails = [f"{i}.{romaji}@example.co.jp" for _, romaji in _FAMILY_NAMES for i in "aikmst"]
    tails = tuple(sorted({t for t in _TAIL if t}, key=len, reverse=True))

    def compose_groups(which: np.ndarray) -> np.ndarray:
        out = np.empty(which.size, dtype=object)
        for g in np.unique(which):
            pos = np.flatnonzero(which == g)
            out[pos] = _compose(_templates(*groups[g]), pos.size, rng)
        return out

    seen: dict[str, None] = {}
    accept = 0.9  # share of new, distinct answers in the last batch
    while len(seen) < n:
        batch = int((n - len(seen)) / max(accept, 0.05) * 1.1) + 64
        which = rng.choice(len(groups), size=batch, p=weights)
        out = compose_groups(which)

        combo = np.flatnonzero(rng.random(batch) < 0.35)
        second = np.empty(combo.size, dtype=int)
        for g in np.unique(which[combo]):
            pos = np.flatnonzero(which[combo] == g)
            second[pos] = partners[g][rng.integers(partners[g].size, size=pos.size)]
        firsts = [_strip_suffix(t, tails) if t.endswith(tails) else t for t in out[combo]]
        joined = [a + b for a, b in zip(firsts, compose_groups(second), strict=True)]
        out[combo] = [t if len(t) <= 200 else "" for t in joined]

        pii = np.flatnonzero(rng.random(batch) < 0.02)
        kinds = [PII_KINDS[k] for k in rng.integers(len(PII_KINDS), size=pii.size)]
        out[pii] = _pii_texts(kinds, names, emails, rng)

        before = len(seen)
        seen.update(dict.fromkeys(out.tolist()))
        seen.pop("", None)
        accept = (len(seen) - before) / batch
    return list(seen)[:n]


def _strip_suffix(text: str, suffixes: Sequence[str]) -> str:
    for suffix in suffixes:
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


# ---------------------------------------------------------------------------
# Respondents, answer sheets, timestamps


def _cell_counts(n: int) -> dict[tuple[str, str], int]:
    """Scale ``CELL_SIZES`` to ``n`` respondents (largest remainder)."""
    total = sum(CELL_SIZES.values())
    exact = {cell: size * n / total for cell, size in CELL_SIZES.items()}
    counts = {cell: math.floor(x) for cell, x in exact.items()}
    by_remainder = sorted(
        exact, key=lambda cell: (counts[cell] - exact[cell], list(exact).index(cell))
    )
    for cell in by_remainder[: n - sum(counts.values())]:
        counts[cell] += 1
    return counts


def _respondents(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    counts = _cell_counts(n)
    department = np.array([d for (d, _), k in counts.items() for _ in range(k)], dtype=object)
    role = np.array([r for (_, r), k in counts.items() for _ in range(k)], dtype=object)
    order = rng.permutation(n)
    department, role = department[order], role[order]

    digits = 5
    while 9 * 10 ** (digits - 1) < 2 * n:
        digits += 1
    numbers = rng.choice(9 * 10 ** (digits - 1), size=n, replace=False) + 10 ** (digits - 1)
    ids = np.array([f"E{x}" for x in numbers], dtype=object)

    family = rng.integers(len(_FAMILY_NAMES), size=n)
    initial = rng.integers(len(_GIVEN_INITIALS), size=n)
    used: dict[str, int] = {}
    emails = []
    for f, i in zip(family, initial, strict=True):
        local = f"{_GIVEN_INITIALS[i]}.{_FAMILY_NAMES[f][1]}"
        used[local] = used.get(local, 0) + 1
        suffix = "" if used[local] == 1 else str(used[local])
        emails.append(f"{local}{suffix}@example.co.jp")

    # Centre person effects within each role so realised means sit close to PLANTED_MEANS.
    attitude = rng.normal(0.0, _SD_PERSON, size=n)
    item_effect = rng.normal(0.0, _SD_PERSON_ITEM, size=(n, len(ITEMS)))
    gain = rng.normal(1.0, _SD_GAIN, size=n)
    for r in ROLES:
        mask = role == r
        if mask.any():
            attitude[mask] -= attitude[mask].mean()
            item_effect[mask] -= item_effect[mask].mean(axis=0)
            gain[mask] += 1.0 - gain[mask].mean()

    return {
        "id": ids,
        "email": np.array(emails, dtype=object),
        "family": np.array([_FAMILY_NAMES[f][0] for f in family], dtype=object),
        "role": role,
        "role_index": np.array([ROLES.index(r) for r in role]),
        "department": department,
        "attitude": attitude,
        "item_effect": item_effect,
        "gain": gain,
    }


def _sheets(people: dict[str, np.ndarray], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One row per (person, wave) answered, sorted by timestamp."""
    n = people["id"].size
    miss_post = rng.choice(n, size=round(MISS_POST_SHARE * n), replace=False)
    miss_followup = rng.choice(n, size=round(MISS_FOLLOWUP_SHARE * n), replace=False)
    answered = np.ones((n, len(WAVES)), dtype=bool)
    answered[miss_post, 1] = False
    answered[miss_followup, 2] = False

    person, wave_index, seconds = [], [], []
    for w, wave in enumerate(WAVES):
        who = np.flatnonzero(answered[:, w])
        person.append(who)
        wave_index.append(np.full(who.size, w))
        seconds.append(_timestamps(wave, who.size, rng))
    person_a = np.concatenate(person)
    wave_a = np.concatenate(wave_index)
    seconds_a = np.concatenate(seconds)
    order = np.lexsort((person_a, seconds_a))
    epoch = dt.datetime(2025, 1, 1)
    stamps = []
    for s in seconds_a[order]:
        t = epoch + dt.timedelta(seconds=int(s))
        stamps.append(f"{t.year}/{t.month:02d}/{t.day:02d} {t.hour}:{t.minute:02d}:{t.second:02d}")
    return {
        "person": person_a[order],
        "wave_index": wave_a[order],
        "wave": np.array(WAVES, dtype=object)[wave_a[order]],
        "timestamp": np.array(stamps, dtype=object),
        "seconds": seconds_a[order],
    }


def _timestamps(wave: str, size: int, rng: np.random.Generator) -> np.ndarray:
    """Seconds since 2025-01-01 on weekdays of the wave's window, mostly office hours."""
    first, last = _WAVE_DAYS[wave]
    days = [
        first + dt.timedelta(days=k)
        for k in range((last - first).days + 1)
        if (first + dt.timedelta(days=k)).weekday() < 5
    ]
    # Early days get more answers (reminders bring a smaller second bump).
    day_weights = np.array([1.0 / (1 + 0.35 * k) for k in range(len(days))])
    day = rng.choice(len(days), size=size, p=day_weights / day_weights.sum())
    offsets = np.array([(d - dt.date(2025, 1, 1)).days * 86400 for d in days])
    # Hours: morning start, lunch break, late afternoon, a few evenings.
    hour_weights = np.array([6, 14, 10, 8, 14, 10, 8, 7, 8, 9, 3, 1.5, 1, 0.5])
    hour = 8 + rng.choice(hour_weights.size, size=size, p=hour_weights / hour_weights.sum())
    within = rng.integers(3600, size=size)
    return offsets[day] + hour * 3600 + within


# ---------------------------------------------------------------------------
# Likert answers


def _expected_answer(mu: float, sd: float) -> float:
    """E[clip(round(N(mu, sd)), 1, 5)]."""
    return 1.0 + sum(0.5 * math.erfc((k + 0.5 - mu) / (sd * math.sqrt(2))) for k in range(1, 5))


def _latent_mean(target: float, sd: float = _SD_TOTAL) -> float:
    """Latent mean whose discretised answers average ``target``."""
    low, high = -3.0, 9.0
    for _ in range(60):
        mid = (low + high) / 2
        if _expected_answer(mid, sd) < target:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _likert_scores(
    people: dict[str, np.ndarray], sheets: dict[str, np.ndarray], rng: np.random.Generator
) -> np.ndarray:
    """Integer answers 1..5 (0 = left blank), shape (sheets, items)."""
    latent = np.array(
        [
            [[_latent_mean(PLANTED_MEANS[item.code][wave][r]) for item in ITEMS] for wave in WAVES]
            for r in range(len(ROLES))
        ]
    )  # (role, wave, item)
    person = sheets["person"]
    wave = sheets["wave_index"]
    role = people["role_index"][person]
    base = latent[role, 0, :]
    change = latent[role, wave, :] - base
    sign = np.array([-1.0 if item.reverse else 1.0 for item in ITEMS])
    y = (
        base
        + people["gain"][person, None] * change
        + sign * people["attitude"][person, None]
        + people["item_effect"][person]
        + rng.normal(0.0, _SD_NOISE, size=base.shape)
    )
    scores = np.clip(np.rint(y), 1, 5).astype(int)
    scores[rng.random(scores.shape) < MISSING_ITEM_SHARE] = 0
    return scores


# ---------------------------------------------------------------------------
# Free text


_Prepared = tuple[tuple[np.ndarray, np.ndarray], ...]  # per slot: options, cumulative weights


def _flatten(slot: Slot, weight: float = 1.0) -> list[tuple[str, float]]:
    """Options with their probabilities; a nested slot shares its parent option's weight."""
    share = weight / len(slot)
    out: list[tuple[str, float]] = []
    for option in slot:
        out += _flatten(option, share) if isinstance(option, tuple) else [(option, share)]
    return out


def _prepare(template: Template) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    prepared = []
    for slot in template:
        flat = _flatten(slot)
        options = np.array([o for o, _ in flat], dtype=object)
        cdf = np.cumsum([w for _, w in flat])
        prepared.append((options, cdf / cdf[-1]))
    return tuple(prepared)


def _compose(templates: Sequence[_Prepared], size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` answers: a random template each, one random option per slot."""
    out = np.empty(size, dtype=object)
    which = rng.integers(len(templates), size=size)
    for t, template in enumerate(templates):
        pos = np.flatnonzero(which == t)
        if pos.size == 0:
            continue
        parts = []
        for options, cdf in template:
            pick = np.searchsorted(cdf, rng.random(pos.size), side="right")
            parts.append(options[np.minimum(pick, options.size - 1)])
        out[pos] = ["".join(p).strip() for p in zip(*parts, strict=True)]
    return out


_TEMPLATE_CACHE: dict[tuple[str, str, str, str], tuple[_Prepared, ...]] = {}


def _templates(question: str, role: str, wave: str, department: str) -> tuple[_Prepared, ...]:
    key = (question, role, wave, department)
    if key not in _TEMPLATE_CACHE:
        templates = _build_templates(question, role, wave, department)
        _TEMPLATE_CACHE[key] = tuple(_prepare(t) for t in templates)
    return _TEMPLATE_CACHE[key]


def _build_templates(question: str, role: str, wave: str, department: str) -> tuple[Template, ...]:
    opener = _OPEN[role]
    if wave != WAVES[0]:
        opener = tuple(o for o in opener if o not in _NOT_AFTER_TRAINING)
    ctx = _CONTEXT_EXEC if role == "経営層" else _CONTEXT
    end = _END if wave == WAVES[0] else _END_POST
    if question == "F1":
        if wave == "研修前":
            short = (opener, ctx, _F1_PRE[role], _END, _SEP, _F1_PRE_SECOND[role], _TAIL)
            story = (opener, _F1_PRE[role], _END, _SEP, _F1_PRE_STORY[role], _TAIL)
            return (short, short, short, story)
        post = (opener, ctx, _F1_POST[role], end, _SEP, _F1_POST_SECOND, _TAIL)
        if wave == "研修後":
            return (post,)
        later = (opener, ctx, _F1_FOLLOWUP[role], end, _SEP, _F1_PRE_SECOND[role], _TAIL)
        return (post, later)
    if question == "F2":
        dept = department or DEPARTMENTS[0]
        cases = _USE_CASES[dept]
        if role == "経営層":
            cases = _USE_CASES_EXEC + cases[:3]
        elif role == "管理職":
            cases = cases + _USE_CASES_MANAGER
        if wave == "研修前":
            return (
                (opener, _F2_PRE_CORE, _END, _TAIL),
                (opener, ctx, cases + _USE_CASES_GENERIC, _F2_PRE_SOFT, _END, _TAIL),
            )
        return (
            (opener, ctx, cases, _CONNECT, _BENEFIT, end, _SEP, _F2_SECOND, _TAIL),
            (opener, ("まずは",), cases, ("から試してみたい", "から始めるのが良いと思う", "で試してみたい"), end, _SEP, _F2_SECOND),
            (opener, cases, ("と",), _USE_CASES_GENERIC, ("は、すぐにでも使えそう", "にAIを使ってみたい", "で効果が出そう"), end, _SEP, _F2_SECOND, _TAIL),
        )  # fmt: skip
    if question == "F3":
        if wave == "研修前":
            return (
                (_F3_PRE, ("。", "。", ""), _TAIL),
                (opener, _F3_PRE_HOPE, _F3_PRE_HOPE_END, _END, _TAIL),
            )
        post = (opener, _F3_POST[role], end, _SEP, _F3_SECOND, _TAIL)
        story = (opener, _F3_POST[role], end, _SEP, _F3_POST_STORY[role], _TAIL)
        if wave == "研修後":
            return (post, post, story)
        return (post, story, (opener, ctx, _F3_FOLLOWUP[role], end, _SEP, _F3_SECOND, _TAIL))
    raise ValueError(f"unknown free-text question {question!r}")


def _pii_texts(
    kinds: Sequence[str], names: Sequence[str], emails: Sequence[str], rng: np.random.Generator
) -> list[str]:
    """Answers that carry PII of the given kinds (names, e-mail, phone, 社員番号)."""

    def pick(options: Sequence[str]) -> str:
        return options[int(rng.integers(len(options)))]

    out = []
    for kind in kinds:
        end = pick(_END[:5])
        tail = pick(_TAIL)
        if kind == "name_san":
            text = f"{pick(_CONTEXT)}{pick(names)}さん{pick(_PII_ACTIONS_SAN)}{end}"
        elif kind == "name_title":
            text = (
                f"{pick(_CONTEXT)}{pick(names)}{pick(_PII_TITLES)}{pick(_PII_ACTIONS_TITLE)}{end}"
            )
        elif kind == "email":
            before, after = pick(_PII_EMAIL_FRAME)
            idea = pick(_USE_CASES[pick(DEPARTMENTS)])
            text = f"{idea}のアイデアがあります。{before}{pick(emails)}{after}{end}"
        elif kind in ("phone", "phone_fullwidth"):
            before, after = pick(_PII_PHONE_FRAME)
            number = pick(_PII_PHONES if kind == "phone" else _PII_PHONES_FULL)
            idea = pick(_USE_CASES[pick(DEPARTMENTS)])
            text = f"{idea}を試しています。{before}{number}{after}{end}"
        elif kind == "employee_id":
            idea = pick(_USE_CASES[pick(DEPARTMENTS)])
            number = "E12345" if rng.random() < 0.5 else f"E{int(rng.integers(10000, 100000))}"
            text = f"社員番号{number}の{pick(names)}です。{idea}をぜひ試したいです{end}"
        else:
            raise ValueError(f"unknown PII kind {kind!r}")
        out.append(text + tail)
    return out


def _survey_free_text(
    people: dict[str, np.ndarray], sheets: dict[str, np.ndarray], rng: np.random.Generator
) -> list[np.ndarray]:
    """Three arrays of answers ("" = blank), one per question, aligned with sheets."""
    person = sheets["person"]
    n_rows = person.size
    role = people["role"][person]
    dept = people["department"][person]
    wave = sheets["wave"]
    texts: list[np.ndarray] = []
    for question in FREE_TEXT_QUESTIONS:
        q = question.code
        answers = np.empty(n_rows, dtype=object)
        no_share = np.array([_NO_ANSWER_SHARE[(q, w)] for w in wave])
        empty = rng.random(n_rows) < no_share
        answers[empty] = np.asarray(_NO_ANSWERS, dtype=object)[
            rng.choice(len(_NO_ANSWERS), size=int(empty.sum()), p=_NO_ANSWER_WEIGHTS)
        ]
        keys = [(q, r, w, d if q == "F2" else "") for r, w, d in zip(role, wave, dept, strict=True)]
        todo = np.flatnonzero(~empty)
        seen: set[str] = set()
        for _ in range(8):
            groups: dict[tuple[str, str, str, str], list[int]] = {}
            for i in todo:
                groups.setdefault(keys[i], []).append(int(i))
            for key in sorted(groups):
                pos = np.array(groups[key])
                answers[pos] = _compose(_templates(*key), pos.size, rng)
            retry = []
            for i in todo:
                if answers[i] in seen:
                    retry.append(i)
                else:
                    seen.add(answers[i])
            if not retry:
                break
            todo = np.array(retry)
        texts.append(answers)

    # Plant PII: at least one of each kind, in post-training answers, plus a few more.
    n_pii = min(max(len(PII_KINDS), round(n_rows * 0.012)), n_rows)
    extra = max(n_pii - len(PII_KINDS), 0)
    kinds = list(PII_KINDS) + [PII_KINDS[k] for k in rng.integers(len(PII_KINDS), size=extra)]
    kinds = kinds[:n_pii]
    later = np.flatnonzero(sheets["wave_index"] > 0)
    pool = later if later.size >= n_pii else np.arange(n_rows)
    rows = rng.choice(pool, size=n_pii, replace=False)
    emails = people["email"][rng.permutation(people["email"].size)[:8]].tolist()
    names = [kanji for kanji, _ in _FAMILY_NAMES]
    planted = _pii_texts(kinds, names, emails, rng)
    for row, text in zip(rows, planted, strict=True):
        q = 1 if rng.random() < 0.5 else 2
        texts[q][row] = text
    return texts


def _excel_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The same answers as HR would save them from Excel: short headers, 1-5 numbers."""
    stamp = pd.to_datetime(frame["タイムスタンプ"], format="%Y/%m/%d %H:%M:%S")
    out = pd.DataFrame(
        {
            "回答日時": [f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}" for t in stamp],
            "社員番号": frame["社員番号"],
            "メール": frame["メールアドレス"],
            "役職": frame["役職"],
            "部署": frame["部署"],
            "回答時期": frame["回答時期"],
        }
    )
    score = {label: str(i + 1) for i, label in enumerate(LIKERT_LABELS)}
    for item in ITEMS:
        out[item.excel_column] = frame[item.column].map(score)
    for question in FREE_TEXT_QUESTIONS:
        out[question.short] = frame[question.question]
    wave_order = out["回答時期"].map({w: i for i, w in enumerate(WAVES)})
    out = out.assign(_wave=wave_order).sort_values(["_wave", "社員番号"], kind="stable")
    return out.drop(columns="_wave").reset_index(drop=True)


if __name__ == "__main__":
    for path in write_outputs(Path(__file__).resolve().parent):
        print(path)
