"""Vocabulary tables that column inference reads: header words, role tiers, reverse cues.

Rules that grow by cases live here as rows, each with a test row in
``tests/test_vocab.py``: adding a header word, a job title or a reverse cue is
one line here and one line there. The logic that reads them is in
``analysis/inference.py`` (headers, values) and ``analysis/likert.py`` (reverse).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# --- Role tiers -------------------------------------------------------------------------------

EXECUTIVE, MANAGER, STAFF = "経営層", "管理職", "一般社員"
ROLE_TIERS = (EXECUTIVE, MANAGER, STAFF)

# Job titles as HR files write them, and the tier each belongs to. A value is
# matched whole first, then by the longest title it contains (営業部長 -> 部長).
TITLE_TIERS: dict[str, str] = {
    # 経営層
    "経営層": EXECUTIVE, "経営者": EXECUTIVE, "経営陣": EXECUTIVE, "経営": EXECUTIVE,
    "役員": EXECUTIVE, "取締役": EXECUTIVE, "代表取締役": EXECUTIVE, "社長": EXECUTIVE,
    "副社長": EXECUTIVE, "会長": EXECUTIVE, "専務": EXECUTIVE, "常務": EXECUTIVE,
    "執行役員": EXECUTIVE, "執行役": EXECUTIVE, "監査役": EXECUTIVE, "理事": EXECUTIVE,
    "cxo": EXECUTIVE, "ceo": EXECUTIVE, "coo": EXECUTIVE, "cfo": EXECUTIVE, "cto": EXECUTIVE,
    "executive": EXECUTIVE, "executives": EXECUTIVE, "director": EXECUTIVE,
    "board member": EXECUTIVE,
    # 管理職
    "管理職": MANAGER, "マネージャー": MANAGER, "マネジャー": MANAGER, "マネージャ": MANAGER,
    "本部長": MANAGER, "部長": MANAGER, "次長": MANAGER, "課長": MANAGER, "係長": MANAGER,
    "室長": MANAGER, "所長": MANAGER, "支店長": MANAGER, "店長": MANAGER, "工場長": MANAGER,
    "センター長": MANAGER, "グループ長": MANAGER, "グループリーダー": MANAGER,
    "チームリーダー": MANAGER, "リーダー": MANAGER, "課長代理": MANAGER, "部長代理": MANAGER,
    "中間管理職": MANAGER, "管理者": MANAGER, "manager": MANAGER, "managers": MANAGER,
    "team lead": MANAGER, "supervisor": MANAGER, "middle management": MANAGER,
    # 一般社員
    "一般社員": STAFF, "一般": STAFF, "一般職": STAFF, "社員": STAFF, "正社員": STAFF,
    "従業員": STAFF, "スタッフ": STAFF, "担当": STAFF, "担当者": STAFF, "メンバー": STAFF,
    "主任": STAFF, "非管理職": STAFF, "現場": STAFF, "現場社員": STAFF, "現場担当": STAFF,
    "契約社員": STAFF, "派遣社員": STAFF, "パート": STAFF, "アルバイト": STAFF,
    "嘱託": STAFF, "若手": STAFF, "新入社員": STAFF, "staff": STAFF, "employee": STAFF,
    "employees": STAFF, "member": STAFF, "individual contributor": STAFF,
}  # fmt: skip

_TITLES_LONGEST_FIRST = sorted(TITLE_TIERS, key=len, reverse=True)


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


def role_tier(value: str) -> str | None:
    """The tier a role value belongs to, or ``None`` when no title in it is known.

    >>> role_tier("部長"), role_tier("営業部長"), role_tier("一般職"), role_tier("Manager")
    ('管理職', '管理職', '一般社員', '管理職')
    >>> role_tier("取締役") , role_tier("総務部") is None
    ('経営層', True)
    """
    key = _key(value)
    if key in TITLE_TIERS:
        return TITLE_TIERS[key]
    if len(key) > 20:  # a sentence, not a title
        return None
    found = next((title for title in _TITLES_LONGEST_FIRST if title in key), None)
    if found is None or (found.isascii() and not re.search(rf"\b{re.escape(found)}\b", key)):
        return None
    return TITLE_TIERS[found]


# --- Header words -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderRule:
    """Words in a column header that point to one meaning.

    ``words`` are Japanese (matched inside the header) or ASCII (matched as
    whole words, so ``tel`` is not found in ``Hotel``). A rule with
    ``anywhere=False`` holds only in a short header or one that asks for the
    field (「所属部署を選んでください」), never inside a statement such as
    「他部署のメンバーとの相互理解が深まったと思う」. ``unless`` lists words
    that cancel the rule (「会社名」 is not a person's name).
    """

    meaning: str
    words: tuple[str, ...]
    unless: tuple[str, ...] = ()
    anywhere: bool = False


HEADER_RULES: tuple[HeaderRule, ...] = (
    HeaderRule("role", (
        "役職", "職位", "職階", "職層", "階層", "役割", "立場", "職種区分", "役職区分", "等級",
        "role", "position", "job title", "title", "job level", "level",
    ), unless=("役割分担",)),
    HeaderRule("wave", (
        "回答時期", "時期", "時点", "研修前後", "実施回", "調査回", "回次", "タイミング",
        "wave", "phase", "timing", "round", "survey round",
    )),
    HeaderRule("department", (
        "部署", "所属", "部門", "事業部", "部局", "組織", "部課",
        "department", "dept", "division", "team", "business unit",
    ), unless=("部署数",)),
    HeaderRule("respondent", (
        "社員番号", "従業員番号", "職員番号", "社員id", "従業員id", "職員id", "回答者id",
        "回答者番号", "会員id", "個人id", "社員コード",
        "respondent", "respondent id", "employee id", "employee number", "staff id",
        "externalreference", "external reference", "externaldatareference",
        "external data reference", "user id",
    ), unless=("response id", "collector id")),
    HeaderRule("pii", (
        "メール", "eメール", "氏名", "名前", "お名前", "フリガナ", "ふりがな", "電話", "携帯",
        "住所", "生年月日", "ipアドレス", "社員番号", "従業員番号", "職員番号", "会員id",
        "社員id", "従業員id", "ご記入者",
        "email", "e-mail", "mail", "name", "first name", "last name", "full name",
        "phone", "tel", "telephone", "mobile", "address", "ip address", "ip",
        "latitude", "longitude", "birthday", "birth date",
    ), unless=(
        "ファイル名", "会社名", "施設名", "部署名", "商品名", "サービス名", "filename",
        "file name", "company", "product", "survey name",
    )),
    HeaderRule("timestamp", (
        "タイムスタンプ", "回答日時", "回答日", "開始時刻", "完了時刻", "最終変更時刻", "送信日時",
        "日時", "開始日時", "終了日時", "記録日", "回答開始", "回答終了",
        "timestamp", "start time", "completion time", "start date", "end date",
        "recorded date", "date", "time", "submitted", "submitted at", "last modified time",
    )),
    HeaderRule("free_text", (
        "自由記述", "自由回答", "ご意見", "意見", "理由", "コメント", "感想", "お書きください",
        "ご記入ください", "記入してください", "要望", "求めるもの", "具体的", "アイデア", "記述",
        "教えてください", "お聞かせください",
        "comment", "comments", "feedback", "opinion", "reason", "why", "suggestion",
        "open-ended", "please describe", "please explain",
    ), anywhere=True),
    HeaderRule("not_scale", (  # numbers under these headers are counts or codes, not a scale
        "年齢", "歳", "年代", "回数", "人数", "件数", "日数", "時間", "金額", "番号", "生まれ年",
        "推奨度", "何回", "泊数", "id", "nps", "age", "count", "number", "year", "minutes",
        "seconds", "duration", "progress",
    )),
)  # fmt: skip
RULES_BY_MEANING = {rule.meaning: rule for rule in HEADER_RULES}

# A header that asks for a value: 「所属部署を選んでください」「あなたの役職を教えてください」.
ASKING = re.compile(
    r"(お選び|選んで|選択|教えて|お答え|ご回答|回答して|ご記入|記入|入力|お書き|ください|"
    r"\?|？|あなたの|ご自身の)"
)
SHORT_HEADER = 12  # characters: a header this short names a field, it is not a statement

# Question numbers tools and people put before a header: Q4-1. / Q４-３． / 問3 / 設問2) / 1.
QUESTION_NUMBER = re.compile(
    r"^\s*(?:(?:q|問|設問|質問|no\.?)\s*\d+(?:[-_.]\d+)*|\d+(?:[-_.]\d+)*(?=[.．:：)）、_\s]))"
    r"\s*[.．:：)）、_\-]?\s*",
    re.IGNORECASE,
)
REQUIRED_MARK = re.compile(r"\s*(?:[*＊※]|[(（]必須[)）]|[(（]任意[)）]|[(（]required[)）])\s*$")


def header_key(heading: str) -> str:
    """A header as rules read it: NFKC, lower case, question number and 必須 mark taken away.

    >>> header_key("Q４-３．所属部署（必須）"), header_key("Q1_AI導入の目的理解"), header_key("問2 役職")
    ('所属部署', 'ai導入の目的理解', '役職')
    """
    text = unicodedata.normalize("NFKC", str(heading)).strip().lower()
    text = REQUIRED_MARK.sub("", text)
    stripped = QUESTION_NUMBER.sub("", text, count=1)
    return (stripped or text).strip()


def _ascii_words(key: str) -> str:
    """ASCII words of a header, camelCase split: 'RecipientEmail' -> ' recipient email '."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", key)
    words = re.findall(r"[a-z0-9]+", spaced.lower())
    return f" {' '.join(words)} "


def header_word(heading: str, meaning: str) -> str | None:
    """The word of ``meaning``'s rule that ``heading`` holds, or ``None``.

    >>> header_word("所属部署", "department"), header_word("他部署のメンバーとの相互理解が深まったと思う", "department")
    ('部署', None)
    >>> header_word("Hotel予約の方法", "pii"), header_word("RecipientEmail", "pii"), header_word("会社名", "pii")
    (None, 'email', None)
    """
    rule = RULES_BY_MEANING[meaning]
    raw = unicodedata.normalize("NFKC", str(heading)).strip()
    key = header_key(raw)
    ascii_words = _ascii_words(REQUIRED_MARK.sub("", QUESTION_NUMBER.sub("", raw, count=1)))
    compact = key.replace(" ", "")
    if any(_holds(word, compact, ascii_words) for word in rule.unless):
        return None
    short = len(compact) <= SHORT_HEADER or (compact.isascii() and len(ascii_words.split()) <= 4)
    if not rule.anywhere and not short and not ASKING.search(compact):
        return None
    return next((word for word in rule.words if _holds(word, compact, ascii_words)), None)


def _holds(word: str, compact: str, ascii_words: str) -> bool:
    if word.isascii():
        return f" {word} " in ascii_words or (" " not in word and word == compact)
    return word in compact


# A grid question whose parts are a person's contact details: every part is personal data.
CONTACT_QUESTION = re.compile(
    r"(contact information|contact info|連絡先|お客様情報|回答者情報|ご本人情報)"
)


# A cell that is an e-mail address (an e-mail column is personal data and may link waves).
EMAIL_ADDRESS = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")


# --- Values that name a wave ------------------------------------------------------------------

WAVE_VALUE = re.compile(
    r"(研修|事前|事後|直後|前|後|か月|ヶ月|カ月|ケ月|箇月|フォローアップ|回目|第\s*\d+\s*回|"
    r"\bwave\b|\bpre\b|\bpost\b|\bbaseline\b|\bfollow.?up\b|\bbefore\b|\bafter\b)",
    re.IGNORECASE,
)


# --- Reverse wording --------------------------------------------------------------------------

# Words that make agreeing unfavourable: 「AIに仕事を奪われるのではないかと不安だ」.
# Order matters only for which word a reason names (the first found in this order).
NEGATIVE_WORDS = (
    "不安", "心配", "怖い", "恐れ", "恐怖", "懸念", "抵抗", "負担", "抱え込", "孤立", "板挟み",
    "疲れ", "無駄", "面倒", "ストレス", "難しい", "難しく", "残業", "手間", "不満", "戸惑",
    "混乱", "置き去り", "押し付け", "ついていけない", "わからない", "分からない", "できない",
    "使えない", "見えない", "奪われ", "失う", "終わる", "困って", "反対",
    "worry", "worried", "afraid", "anxious", "fear", "difficult", "burden", "overwhelmed",
)  # fmt: skip
# What, in a negative word's own clause, negates or lowers it: 「不安はない」「残業が減る」.
NEGATION = re.compile(
    r"(?:ない|無い|なく|ません|ず(?:に|と)|減る|減った|減らせ|減らす|減少|少ない|少なく|軽減|"
    r"軽く|軽い|下がる|下がった|"
    r"解消|和らい|和らぐ|薄れ|消え|\bnot\b|n't|\bno\b|\bnever\b|\bless\b|\breduce)(?!か)"
)
CLAUSE_CHARS = 14  # how far after the negative word its clause is read
# Voicing a worry is favourable: 「不安を率直に話せる」「分からないことを相談できる」.
VOICING = (
    "話せる", "話し合える", "相談できる", "言える", "聞ける", "共有できる", "伝えられる",
    "打ち明け", "よくなった", "なくてよい",
)  # fmt: skip
# A good thing lost: 「自分の仕事がなくなる」「役割が減る」.
GOOD_THING_LOST = re.compile(
    r"(?:仕事|業務|役割|居場所|出番|雇用|ポスト|給料|収入)(?:が|を|は|も)?"
    r"(?P<loss>減る|なくなる|無くなる|奪われ|失)"
)
