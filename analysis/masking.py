"""Masking of personal information in free-text answers before anyone reads them.

:func:`mask_pii` replaces e-mail addresses, phone numbers, employee numbers and
ID-like codes, and person names with placeholders. Detection runs on an
NFKC-normalised copy (so ０９０－１２３４－５６７８ is a phone number), but the
replacement is made in the original text, which otherwise stays as written.

What is masked, and what deliberately is not:

- 〔メール〕 ``local@domain.tld``, full-width ＠ included.
- 〔電話〕 Japanese phone numbers: 10 or 11 digits starting with 0 (or +81),
  with or without hyphens (any dash, including ー and －), dots, spaces or
  brackets, also after TEL:, TEL or 電話： (TEL:0312345678, 090.1234.5678,
  +81 90 1234 5678); also 内線1234. Dates (2024-01-01, 2024.01.01), years,
  times, prices, decimals and postal codes are not phone numbers and stay.
- 〔社員番号〕 a label such as 社員番号, 従業員番号, 社員ID, ID or No. followed
  (after は, が, a colon or a space) by a code with at least three digits,
  separators allowed (社員番号は12345, 従業員ID: 12-345-678), and bare codes
  of one to four letters and three to eight digits (E12345, EMP-0042).
  Well-known non-personal codes (ISO9001, JIS, FY2024, GPT, COVID ...) stay.
- 〔氏名〕 person names:

  - before any word of :data:`analysis.text.HONORIFICS` (さん, 様, 部長 ...),
    found in the text and lined up with the morphemes, so a title the
    tokenizer splits (池田|部|長) or glues to the name (東部|長) still counts:
    the morpheme before it is masked if it is a proper noun of any kind (池田
    tagged as a place), an unknown word, one kanji (西社長, 森様), or a kanji
    or hiragana word that the dictionary reads as a name before さん (林課長,
    さくらちゃん); up to three parts of a name are taken (山田太郎部長). Words
    that address a role or a relation (皆さん, お客様, 営業部長, 新部長, 神様,
    業者さん, お子様), shops (パン屋さん) and a prefecture or city before a
    branch title (東京支店長) stay;
  - romaji before a romaji honorific or after an English title (Yamada-san,
    yamada san, Tanaka-kun, Mr. Yamada);
  - a surname and a given name next to each other or one space apart, half or
    full width (山口　悠斗, 佐藤 翔琉), unless the pair starts a compound
    (嶺|南エリア) or is a common word misread (獅子|舞);
  - a surname alone (担当の鈴木が…), except prefectures and big cities
    (福井は…), a surname starting a compound (大野市, 西山公園) or before の
    and a place word (荒島の郷), and, unless a particle such as が, に, と
    follows, a surname the dictionary also holds as a place (大野の里芋,
    while 中村に聞いた is masked) or one of one kanji (林の中).

  Dictionary-based name detection cannot be perfect: place names that are
  also surnames may be masked (over-masking is the safe side), and unusual
  names without an honorific, and romaji names without one, may be missed.
  ``tests/test_masking_quality.py`` measures both on a labelled case table
  and on real answers.

Every pattern runs in time linear in the text (bounded quantifiers; e-mail
addresses are found from each '@' outwards), and long answers reach MeCab
in pieces (:func:`analysis.text.pieces`).

>>> mask_pii("田中さんに tanaka@example.co.jp か ０９０－１２３４－５６７８ まで")
'〔氏名〕さんに 〔メール〕 か 〔電話〕 まで'
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from analysis.text import (
    HONORIFIC_RE,
    HONORIFICS,
    Morpheme,
    is_name_like,
    is_person_name,
    morphemes,
    word_senses,
)

__all__ = ["Pii", "PiiSpan", "blank_pii", "find_pii", "mask_pii"]


class Pii(StrEnum):
    """Kinds of personal information, valued by their placeholder."""

    EMAIL = "〔メール〕"
    PHONE = "〔電話〕"
    EMPLOYEE_ID = "〔社員番号〕"
    NAME = "〔氏名〕"


@dataclass(frozen=True)
class PiiSpan:
    """A stretch ``text[start:end]`` of the original text holding personal information."""

    start: int
    end: int
    kind: Pii


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DASH = "-‐‑‒–—―−ー－ｰ"
_DASH_CLASS = "[" + re.escape(_DASH) + "]"

# Every pattern is linear in the text: quantifiers are bounded, and e-mail
# addresses are found from each '@' outwards (a pattern that starts with an
# unbounded local part tried every letter of a long run again: 40,000 letters
# and one digit took 8 s).
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_LOCAL_MAX = 64  # RFC 5321
_DOMAIN = re.compile(r"(?:[A-Za-z0-9\-]{1,63}\.){1,8}[A-Za-z]{2,24}")
_SEP = rf"[\s.{re.escape(_DASH)}]"
_PHONE_CANDIDATE = re.compile(
    rf"(?:(?<=TEL|Tel|tel|FAX|Fax|fax)|(?<![0-9A-Za-z@/])(?<![0-9][.:]))"
    rf"(?:\+81{_SEP}{{0,3}}\(?0?\)?|\(?0)"
    rf"[\d\s().{re.escape(_DASH)}]{{7,16}}\d(?![0-9A-Za-z@/])(?![.:]\d)",
)
_DOTTED_PHONE = re.compile(r"\(?(?:\+81|\d{1,5})\)?(?:[.\s]\(?\d{1,5}\)?)+")
_EXTENSION = re.compile(r"内線(?:番号)?\s{0,3}(?:は|:)?\s{0,3}\d{2,6}(?!\d)")
_CONTACT_CHARS = re.compile(r"[\d@]")
_LABELLED_ID = re.compile(
    rf"(?<![A-Za-z])(?:社員|従業員|職員|社員証|個人|会員|スタッフ)?"
    rf"(?:番号|ID|Id|id|No\.?|NO\.?|no\.|コード|CD)"
    rf"\s{{0,2}}(?:は|が|:|=|#|は:)?\s{{0,2}}#?"
    rf"[A-Za-z]{{0,4}}{_DASH_CLASS}?\d(?:{_DASH_CLASS}?\d){{2,11}}(?!\d)"
)
_CODE = re.compile(rf"(?<![A-Za-z0-9_])([A-Za-z]{{1,4}}){_DASH_CLASS}?\d{{3,8}}(?![A-Za-z0-9_])")
_NOT_PERSONAL_CODES = _words(
    "iso jis iec en din ansi ieee rfc fy cy q h r s t gpt covid sars ver rev win mac ios pc no tel fax"
    " jan feb mar apr may jun jul aug sep oct nov dec am pm gb mb kb tb ghz mhz km kg mm cm"
)


# Prefectures and designated cities that are also surnames: bare, they are almost
# always the place (福井は…); with an honorific (石川さん) they are still masked.
_PLACES = _words(
    "北海道 青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 東京 神奈川 新潟 富山 石川 福井 山梨"
    " 長野 岐阜 静岡 愛知 三重 滋賀 京都 大阪 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛"
    " 高知 福岡 佐賀 長崎 熊本 大分 宮崎 鹿児島 沖縄 札幌 仙台 横浜 川崎 相模原 名古屋 堺 神戸 浜松"
    " 北九州 金沢 前橋 高崎 松本 豊田 倉敷 姫路 松山 高松 松江"
)


def _normalised_with_map(text: str) -> tuple[str, Sequence[int]]:
    """NFKC per character, with the original index of every output character."""
    if unicodedata.is_normalized("NFKC", text):  # e.g. answers already normalised for analysis
        return text, range(len(text))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        norm = ch if ch.isascii() else unicodedata.normalize("NFKC", ch)
        out.append(norm)
        where.extend([i] * len(norm))
    return "".join(out), where


def _emails(text: str) -> list[tuple[int, int]]:
    """(start, end) of each ``local@domain.tld`` in ``text``, found from each '@' outwards.

    Bounded work per '@' (a local part of at most 64 characters, a domain of
    at most 9 labels), so the whole search is linear in the text.

    >>> _emails("連絡は a.b+c@sub.example.org。")
    [(4, 25)]
    """
    found: list[tuple[int, int]] = []
    at = text.find("@")
    while at >= 0:
        start = at
        while start > 0 and at - start < _LOCAL_MAX and text[start - 1] in _LOCAL_CHARS:
            start -= 1
        domain = _DOMAIN.match(text, at + 1) if start < at else None
        if domain is not None and (not found or start >= found[-1][1]):
            found.append((start, domain.end()))
        at = text.find("@", at + 1)
    return found


def _regex_spans(text: str) -> list[PiiSpan]:
    norm, where = _normalised_with_map(text)
    if not norm:
        return []

    def span(start: int, end: int, kind: Pii) -> PiiSpan:
        return PiiSpan(where[start], where[end - 1] + 1, kind)

    spans = [span(a, b, Pii.EMAIL) for a, b in _emails(norm)]
    for m in _PHONE_CANDIDATE.finditer(norm):
        chunk = m.group().rstrip(" (" + _DASH)
        start = m.start()
        if (
            chunk.startswith("(") and ")" not in chunk
        ):  # 「携帯（０８０－…）」: the bracket is not the number's
            chunk, start = chunk[1:], start + 1
        chunk = chunk.rstrip(".")
        digits = re.sub(r"\D", "", chunk)
        if chunk.startswith("+81"):
            digits = "0" + digits[2:].lstrip("0")
        if "." in chunk and not _DOTTED_PHONE.fullmatch(chunk):
            continue  # 090.1234.5678 is a number, 0.5.1234567 is not
        if digits.startswith("0") and 10 <= len(digits) <= 11 and re.search(r"\d{5,}|\D", chunk):
            spans.append(span(start, start + len(chunk), Pii.PHONE))
    spans += [span(m.start(), m.end(), Pii.PHONE) for m in _EXTENSION.finditer(norm)]
    spans += [span(m.start(), m.end(), Pii.EMPLOYEE_ID) for m in _LABELLED_ID.finditer(norm)]
    for m in _CODE.finditer(norm):
        if m.group(1).lower() not in _NOT_PERSONAL_CODES:
            spans.append(span(m.start(), m.end(), Pii.EMPLOYEE_ID))
    return spans


# Names in romaji before a romaji honorific (Yamada-san, yamada san, Taro Yamada-sama)
# or after an English title (Mr. Yamada). Bounded quantifiers: linear.
_ROMAJI_TITLE = r"(?:san|sama|kun|chan|sensei|senpai|shi|buchou|bucho|kachou|kacho|shachou|shacho)"
_ROMAJI_HONORIFIC = re.compile(
    rf"(?<![A-Za-z])((?:[A-Z][a-z]{{1,19}}[ ])?[A-Za-z]{{2,20}})"
    rf"(?:-(?i:{_ROMAJI_TITLE})|[ ]{_ROMAJI_TITLE})(?![A-Za-z])"
)
_ENGLISH_TITLE = re.compile(
    r"(?<![A-Za-z])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ ]{1,2}([A-Z][A-Za-z]{1,19}(?:[ ][A-Z][A-Za-z]{1,19})?)"
)
_LETTERS = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")


def _romaji_spans(text: str) -> list[PiiSpan]:
    """Romaji names next to a romaji honorific or an English title."""
    if not _LETTERS.search(text):
        return []
    norm, where = _normalised_with_map(text)
    return [
        PiiSpan(where[m.start(1)], where[m.end(1) - 1] + 1, Pii.NAME)
        for pattern in (_ROMAJI_HONORIFIC, _ENGLISH_TITLE)
        for m in pattern.finditer(norm)
    ]


def _is_person(m: Morpheme) -> bool:
    return is_person_name(m.pos)


def _name_like(m: Morpheme) -> bool:
    """Could be (part of) a name right before an honorific: a proper noun or unknown word."""
    return is_name_like(m.pos, m.known)


_HIRAGANA = re.compile(r"[ぁ-ゖー]+")
_KANA_NAME = re.compile(r"[ぁ-ゖ]{2,4}")  # さくらちゃん: a common noun that is also a given name
_KANJI_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]{1,3}")

# Kanji words before a title that are not names although MeCab reads them as
# one before さん (新部長, 前社長, 神様, 王様, 所長 ...): prefixes and people
# addressed by what they are.
_NOT_NAMES = _words(
    "新 前 元 現 全 副 各 当 同 両 旧 故 総 次 初 代 前任 後任 新任 歴代 神 王 仏 客 皆 奥 父 母 兄"
    " 姉 弟 妹 嫁 婿 孫 娘 殿 姫 若 親 貴 御 お ご 所 室 課 部 係 班 店 社 署 局 会 院 校 園 館 組"
    " 本 支 分 赤 婆 爺 坊 宮 人 先 他 彼 私 僕 俺 君 方 者 家 様 氏 長 代 主 副 準 子"
    " 仕 模 有 異 一 多 左"  # 仕様, 模様, 有様, 異様, 一様, 多様, 左様: words, not 様 after a name
)

# Phrases that hold a name-like word but are no person: a sake rice, a shop.
_NOT_PERSONS = ("山田錦", "中村屋")

_reads_as_name_cache: dict[str, bool] = {}
_cache_lock = threading.Lock()


def _reads_as_name(surface: str) -> bool:
    """True if the dictionary reads ``surface`` as a person's name when さん follows.

    Catches surnames that are also common nouns (森様, 林課長) while leaving
    words that address a role (業者さん, 営業部長, お客様) alone.
    """
    known = _reads_as_name_cache.get(surface)
    if known is None:
        first = morphemes(surface + "さん")[0]
        known = first.surface == surface and _is_person(first)
        with _cache_lock:
            if len(_reads_as_name_cache) < 100_000:
                _reads_as_name_cache[surface] = known
    return known


def _name_before_title(m: Morpheme) -> bool:
    """``m``, right before a title, is (the last part of) a name.

    A proper noun of any kind (池田 tagged as a place before 部|長), an unknown
    word (ゴンザレス, Tanaka), or a kanji word of 1-3 characters that reads as a
    name before さん (森 in 森様).
    """
    if m.pos[0] == "名詞" and (m.pos[1] == "固有名詞" or not m.known):
        return True
    if m.pos[0] not in ("名詞", "接頭辞", "接尾辞") or m.surface in _NOT_NAMES:
        return False  # 接尾辞: 先週|林|部|長 reads 林 as a suffix
    if _KANJI_WORD.fullmatch(m.surface):  # 西社長, 星部長: one kanji noun; 屋さん: a suffix
        one_noun = len(m.surface) == 1 and m.pos[0] != "接尾辞"
        return one_noun or _reads_as_name(m.surface)
    return (
        m.pos[0] == "名詞" and bool(_KANA_NAME.fullmatch(m.surface)) and _reads_as_name(m.surface)
    )


# Words right after a surname that make it a place (大野市, 西山公園, 雄島や… is not
# caught: a bare surname that the dictionary also knows as a place is left alone).
_PLACE_WORDS = _words(
    "市 町 村 区 郡 県 府 駅 城 城址 城跡 公園 温泉 温泉郷 寺 神社 宮 郷 エリア 線 遺跡 動物園 湊 港 島 山"
    " 川 湖 浜 海岸 岬 峠 通り 商店街 観光 観光局 地区 地域 方面 周辺 スキー 高原 ダム 橋 宿 御坊 御坊跡"
    " 空港 インター IC 店 支店 工場 営業所 本社 支社 出身 在住 産 名物"
)
_TITLES = HONORIFICS
_BRANCH_TITLES = frozenset({"支店長", "工場長", "所長", "店長", "本部長", "支社長"})

_also_place_cache: dict[str, bool] = {}


def _also_place(surface: str) -> bool:
    """True if the dictionary holds ``surface`` as a place name too (大野, 池田, 山田)."""
    known = _also_place_cache.get(surface)
    if known is None:
        known = any(pos[2] == "地名" for pos in word_senses(surface))
        with _cache_lock:
            if len(_also_place_cache) < 100_000:
                _also_place_cache[surface] = known
    return known


# Particles after a bare surname that is also a place: with these it is a person
# (中村に聞いた, 山田が対応した); with の, や, まで ... it may be the place (大野の里芋).
_PERSON_PARTICLES = _words("が は に と から より も って とか")
_PLACE_AFTER_NO = _words("郷 湯 里 森 杜 滝 浦 宿 庄 館 丘 谷 海 浜辺 原 野 里山 城下 町並み")


_SHOP_ENDINGS = tuple("屋堂亭庵荘店館")


def _shop_like(m: Morpheme) -> bool:
    """A name ending like a shop or an inn (パン屋さん, 伊藤順和堂): the business, not a person.

    Two kanji ending in 屋 are left to the other rules: 土屋 and 古屋 are surnames.
    """
    surface = m.surface
    if len(surface) < 2 or not surface.endswith(_SHOP_ENDINGS):
        return False
    return len(surface) > 2 or not _KANJI_WORD.fullmatch(surface)  # 土屋, 古屋 are surnames


_KANA_HONORIFICS = frozenset({"さん", "様", "さま", "ちゃん", "くん", "君"})


def _place_before_kana_honorific(m: Morpheme, title: str) -> bool:
    """A place name before さん that the dictionary reads as a place even then (大飯さん:
    a shop or a station called by its town). Before a job title it is masked (池田部長)."""
    return title in _KANA_HONORIFICS and m.pos[2] == "地名" and not _reads_as_name(m.surface)


def _common_noun_pair(run: list[Morpheme]) -> bool:
    """獅子|舞: a word misread as 姓 + 名.

    The 姓 is also a common noun and no place (獅子; 山本 and 森 are places too),
    and the 名 is one kanji that is also a common noun (舞). 山本愛 stays a name.
    """
    if len(run) != 2 or len(run[1].surface) != 1:
        return False
    common = ("名詞", "普通名詞", "一般", "")
    surname = word_senses(run[0].surface)
    return (
        common in surname
        and not any(pos[2] == "地名" for pos in surname)
        and common in word_senses(run[1].surface)
    )


def _bare_surname(text: str, tokens: list[Morpheme], i: int) -> bool:
    """``tokens[i]``, a surname standing alone (鈴木に聞いた), is a person rather than a place.

    Left alone: prefectures and big cities (福井は…); a surname that starts a
    compound, right before a noun (大野市, 西山公園, 越美北線) or before の and
    a place word (荒島の郷, 濱の湯); and, unless a particle follows that points
    to a person (中村に聞いた, 林と話した), a surname the dictionary also holds
    as a place (大野の里芋) and a one-kanji surname (林の中). With an honorific,
    a title or a given name, all of them are masked.
    """
    m = tokens[i]
    if _shop_like(m) or _HIRAGANA.fullmatch(m.surface):
        return False  # 灰屋 (a shop), あさくら: hiragana names only with an honorific
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    after = after if after is not None and _gap_is_space(text, m, after) else None
    if m.surface in _PLACES:
        return False
    if after is not None and after.start == m.end and after.pos[0] in ("名詞", "接尾辞"):
        return bool(HONORIFIC_RE.match(text, after.start))  # a compound unless a title
    if after is not None and after.surface in _PLACE_WORDS:
        return False
    then = tokens[i + 2] if after is not None and i + 2 < len(tokens) else None
    if (
        after is not None
        and after.surface == "の"
        and then is not None
        and (then.surface in _PLACE_WORDS or then.surface in _PLACE_AFTER_NO)
    ):
        return False
    if len(m.surface) == 1 or _also_place(m.surface):
        return after is not None and after.surface in _PERSON_PARTICLES
    return True


def _gap_is_space(text: str, a: Morpheme, b: Morpheme) -> bool:
    """``a`` and ``b`` are next to each other or one space (half or full width) apart."""
    between = text[a.end : b.start]
    return len(between) <= 1 and not between.strip()


def _words_only(tokens: list[Morpheme]) -> list[Morpheme]:
    """The tokens without MeCab's whitespace tokens (a full-width space is one)."""
    return [m for m in tokens if m.surface.strip() and m.pos[0] != "空白"]


def _name_spans(tokens: list[Morpheme], text: str | None = None) -> list[PiiSpan]:
    if not tokens:  # the tokenizer found nothing that could be a name
        return []
    tokens = _words_only(tokens)
    if text is None:
        text = _text_of(tokens)
    marked: list[tuple[int, int]] = []
    names = [False] * len(tokens)
    person = [is_person_name(m.pos) for m in tokens]
    i = 0 if any(person) else len(tokens)  # no name as UniDic tags it: only titles to look at
    while i < len(tokens):  # runs of person names, next to each other or one space apart
        if not person[i]:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and person[j] and _gap_is_space(text, tokens[j - 1], tokens[j]):
            j += 1
        run, after = tokens[i:j], tokens[j] if j < len(tokens) else None
        near = after if after is not None and _gap_is_space(text, run[-1], after) else None
        if len(run) > 1:  # 山田太郎, 山口　悠斗: a full name, unless it starts a compound
            titled = near is not None and HONORIFIC_RE.match(text, near.start) is not None
            compound = (  # 嶺|南エリア, 三國|湊レトロ: UniDic reads a place as 姓 + 名
                near is not None
                and near.start == run[-1].end
                and near.pos[0] in ("名詞", "接尾辞")
                and not titled
            )
            given = any(t.pos[3] in ("姓", "名") for t in run)  # マラ|ニック: two 一般
            unlikely = not titled and (  # 芝|政 (two kanji), たるい|バーン (a hiragana 姓)
                run[-1].end - run[0].start == 2
                or any(t.pos[3] == "姓" and _HIRAGANA.fullmatch(t.surface) for t in run)
            )
            unlikely = unlikely or (not titled and _common_noun_pair(run))
            names[i:j] = [given and not compound and not unlikely] * len(run)
        elif run[0].pos[3] == "姓":
            m = run[0]
            names[i] = _bare_surname(text, tokens, i)
            # 姓, a space, then a given name the dictionary lacks (佐藤　悠斗 as one unknown word)
            if near is not None and m.end < near.start and _given_name_like(near):
                names[i] = names[j] = True
        i = j
    for i in range(len(tokens)) if any(names) else ():  # a given name split (翔|琉: 琉 a symbol)
        if names[i] and person[i]:
            j = i + 1
            while (
                j < len(tokens)
                and j - i <= 2
                and tokens[j - 1].end == tokens[j].start
                and _KANJI_WORD.fullmatch(tokens[j].surface)
                and (tokens[j].pos[0] == "記号" or not tokens[j].known)
            ):
                names[j] = True
                j += 1
    marked += [(m.start, m.end) for m, is_name in zip(tokens, names, strict=True) if is_name]
    marked += _names_before_titles(tokens, text)
    return [PiiSpan(a, b, Pii.NAME) for a, b in _outside_allowed(marked, text)]


def _given_name_like(m: Morpheme) -> bool:
    return m.pos[0] in ("名詞", "記号") and (
        _is_person(m)
        or not m.known
        or (m.pos[0] == "記号" and bool(_KANJI_WORD.fullmatch(m.surface)))
    )


def _text_of(tokens: list[Morpheme]) -> str:
    """A stand-in text with every token at its offset (spaces between)."""
    chars = [" "] * tokens[-1].end
    for m in tokens:
        chars[m.start : m.end] = m.surface
    return "".join(chars)


def _names_before_titles(tokens: list[Morpheme], text: str) -> list[tuple[int, int]]:
    """Names right before a word of HONORIFICS found in the text, lined up with the tokens.

    The title must end where a token ends; it may start where a token starts
    (中村|部|長) or inside a noun whose part before it is 1-3 kanji (東部|長:
    東 is the name); where a shorter title follows the noun (岡本|部長, which
    the text search reads as 岡 本部長), the noun is the name. Up to three parts of a name are walked back over (山田
    太郎部長, 佐藤　花子さん); a single kanji before the title takes the kanji
    word before it along (森|本様).
    """
    if HONORIFIC_RE.search(text) is None:  # most texts with a name as UniDic tags it
        return []
    starts = {m.start: i for i, m in enumerate(tokens)}
    ends = {m.end for m in tokens}
    marked: list[tuple[int, int]] = []
    for title in HONORIFIC_RE.finditer(text):
        a, b = title.span()
        if b not in ends:
            continue
        if a in starts:  # the title starts a token: the token before is the name
            j = starts[a] - 1
            if j < 0 or not _gap_is_space(text, tokens[j], tokens[j + 1]):
                continue
            spaced = tokens[j].end != a  # 山田 部長: only a name the dictionary knows
            if (spaced and not _is_person(tokens[j])) or not _name_before_title(tokens[j]):
                continue
            if _shop_like(tokens[j]) or _place_before_kana_honorific(tokens[j], title.group()):
                continue  # パン屋さん: a shop; 大飯さん (still a place before さん): a business
            if title.group() in _BRANCH_TITLES and tokens[j].surface in _PLACES:
                continue  # 東京支店長, 福井工場長: a place
            marked.append((tokens[j].start, tokens[j].end))
            if (
                not spaced
                and text[a + 1 : b] in _TITLES
                and _reads_as_name(tokens[j].surface + text[a])
            ):
                marked.append((a, a + 1))  # 岡本部長 is 岡本 部長 more often than 岡 本部長
            single = len(tokens[j].surface) == 1
        else:  # the title starts inside a noun (東部|長): its kanji head is the name
            j = _token_at(tokens, a)
            if j is None or tokens[j].pos[0] != "名詞":
                continue
            whole = tokens[j]
            if text[whole.end : b] in _TITLES and _name_before_title(whole):
                marked.append((whole.start, whole.end))  # 岡本|部長 read as 岡 本部長
                single = len(whole.surface) == 1
            else:
                head = text[whole.start : a]
                if not _KANJI_WORD.fullmatch(head):
                    continue
                prior = tokens[j - 1] if j > 0 else None
                if (  # 服|部課長, 杉|本支店|長: the name is split across two tokens
                    prior is not None
                    and prior.end == whole.start
                    and _KANJI_WORD.fullmatch(prior.surface + head)
                    and _reads_as_name(prior.surface + head)
                ):
                    marked.append((prior.start, a))
                    continue
                if head in _NOT_NAMES:
                    continue
                marked.append((whole.start, a))
                single = len(head) == 1
        parts = 1  # walk back over the rest of the name
        while j > 0 and parts < 3 and _gap_is_space(text, tokens[j - 1], tokens[j]):
            before = tokens[j - 1]
            fragment = (  # 森|本様: one kanji before the title, the start of its name before it
                single
                and parts == 1
                and before.end == tokens[j].start
                and _KANJI_WORD.fullmatch(before.surface + tokens[j].surface) is not None
                and _reads_as_name(before.surface + tokens[j].surface)
            )
            if not (_is_person(before) or _name_like(before) or fragment):
                break
            marked.append((before.start, before.end))
            j -= 1
            parts += 1
    return marked


def _token_at(tokens: list[Morpheme], position: int) -> int | None:
    """Index of the token holding ``position`` strictly inside it."""
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].end <= position:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(tokens) and tokens[lo].start < position < tokens[lo].end:
        return lo
    return None


def _outside_allowed(marked: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """``marked`` without stretches inside a phrase of :data:`_NOT_PERSONS`."""
    allowed = [
        (m.start(), m.end())
        for phrase in _NOT_PERSONS
        for m in re.finditer(re.escape(phrase), text)
    ]
    return sorted({(a, b) for a, b in marked if not any(s <= a and b <= e for s, e in allowed)})


def _may_hold_contact(text: str) -> bool:
    """True if ``text`` has a digit or an @ after NFKC, as every contact or ID pattern needs.

    Most answers have neither and skip the regexes; text that is already NFKC
    (as the tokenizer hands it over) is not normalised again.
    """
    if _CONTACT_CHARS.search(text):
        return True
    if unicodedata.is_normalized("NFKC", text):
        return False
    return _CONTACT_CHARS.search(unicodedata.normalize("NFKC", text)) is not None


def find_pii(text: str, tokens: list[Morpheme] | None = None) -> list[PiiSpan]:
    """Stretches of ``text`` holding personal information, sorted and non-overlapping.

    Overlaps resolve to the earlier, then longer stretch; neighbouring names
    (姓 and 名, also with a space between) merge into one. Names are looked for
    in ``tokens``, the morphemes of ``text``, when the caller has them from a
    parse of its own (see :data:`analysis.text.Redact`); by default ``text`` is
    parsed here.

    >>> find_pii("山田 太郎課長")
    [PiiSpan(start=0, end=5, kind=<Pii.NAME: '〔氏名〕'>)]
    >>> [(s.start, s.end, s.kind.name) for s in find_pii("担当: 山田課長 内線は1234")]
    [(4, 6, 'NAME'), (9, 16, 'PHONE')]
    """
    if not isinstance(text, str) or not text.strip():
        return []
    contacts = _regex_spans(text) if _may_hold_contact(text) else []
    names = _name_spans(morphemes(text) if tokens is None else tokens, text)
    names += _romaji_spans(text)
    if not (contacts or names):  # most answers
        return []
    spans = sorted(contacts + names, key=lambda s: (s.start, -s.end))
    kept: list[PiiSpan] = []
    for s in spans:
        if kept and s.start < kept[-1].end:
            continue
        if (
            kept
            and s.kind is Pii.NAME is kept[-1].kind
            and not text[kept[-1].end : s.start].strip()
        ):
            kept[-1] = PiiSpan(kept[-1].start, s.end, Pii.NAME)
            continue
        kept.append(s)
    return kept


def mask_pii(text: str, tokens: list[Morpheme] | None = None) -> str:
    """``text`` with e-mails, phone numbers, employee IDs and person names replaced.

    Placeholders are 〔メール〕〔電話〕〔社員番号〕〔氏名〕; everything else is
    kept exactly as written. See the module docstring for what counts.

    Parameters
    ----------
    text : str
        One answer as typed.
    tokens : list of Morpheme, optional
        Morphemes of ``text`` from the caller's own parse, searched for names
        instead of parsing ``text`` again (see :func:`find_pii`).

    Returns
    -------
    str
        The masked answer.

    Examples
    --------
    >>> mask_pii("佐藤部長と鈴木様に相談（社員番号：１２３４５）")
    '〔氏名〕部長と〔氏名〕様に相談（〔社員番号〕）'
    >>> mask_pii("2024-01-01の研修で皆さんとお客様の声を共有")
    '2024-01-01の研修で皆さんとお客様の声を共有'
    """
    if not isinstance(text, str):
        raise ValueError(f"mask_pii needs a string, got {type(text).__name__}")
    return _replaced(text, find_pii(text, tokens), blank=False)


def blank_pii(text: str, tokens: list[Morpheme] | None = None) -> str:
    """``text`` with personal information replaced by a space each, for analysis.

    Topics and word counts read answers this way (it fits
    :data:`analysis.text.Redact`), so no name, address or number becomes a
    term and no placeholder either. ``tokens`` as in :func:`mask_pii`.

    >>> blank_pii("田中さんの日報")
    ' さんの日報'
    >>> blank_pii("suzuki@example.jp に送る", [])
    '  に送る'
    """
    spans = find_pii(text, tokens)
    return _replaced(text, spans, blank=True) if spans else text


def _replaced(text: str, spans: list[PiiSpan], *, blank: bool) -> str:
    pieces: list[str] = []
    cursor = 0
    for s in spans:
        pieces += [text[cursor : s.start], " " if blank else s.kind.value]
        cursor = s.end
    pieces.append(text[cursor:])
    return "".join(pieces)
