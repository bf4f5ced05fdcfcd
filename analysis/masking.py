"""Masking of personal information in free-text answers before anyone reads them.

:func:`mask_pii` replaces e-mail addresses, phone numbers, employee numbers and
ID-like codes, and person names with placeholders. Detection runs on an
NFKC-normalised copy (so ０９０－１２３４－５６７８ is a phone number), but the
replacement is made in the original text, which otherwise stays as written.

What is masked, and what deliberately is not:

- 〔メール〕 ``local@domain.tld``, full-width ＠ included.
- 〔電話〕 Japanese phone numbers: 10 or 11 digits starting with 0 (or +81),
  with or without hyphens (any dash, including ー and －), spaces or
  brackets; also 内線1234. Dates (2024-01-01), years, times, prices and
  postal codes are not phone numbers and stay.
- 〔社員番号〕 a label such as 社員番号, 従業員番号, 社員ID, ID or No. followed
  by a code with at least three digits, and bare codes of one to four letters
  and three to eight digits (E12345, EMP-0042). Well-known non-personal codes
  (ISO9001, JIS, FY2024, GPT, COVID ...) stay.
- 〔氏名〕 person names from the UniDic tags (名詞,固有名詞,人名): surnames
  (except prefecture and big-city names standing alone, 福井は…); given names and foreign names next to another name or before an
  honorific; and any proper noun or unknown word before an honorific or a job
  title (田中さん, 鈴木様, 佐藤部長, 山田課長, 髙橋さん). Words that address a
  role (皆さん, お客様, 営業部長, 業者さん) stay. Dictionary-based name
  detection cannot be perfect: place names that are also surnames may be
  masked (over-masking is the safe side), and unusual names without an
  honorific may be missed.

>>> mask_pii("田中さんに tanaka@example.co.jp か ０９０－１２３４－５６７８ まで")
'〔氏名〕さんに 〔メール〕 か 〔電話〕 まで'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from analysis.text import HONORIFICS, Morpheme, is_name_like, is_person_name, morphemes

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

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE_CANDIDATE = re.compile(
    rf"(?<![0-9A-Za-z.@/:])(?:\+81[\s{re.escape(_DASH)}]*\(?0?\)?|\(?0)"
    rf"[\d\s(){re.escape(_DASH)}]{{7,16}}\d(?![0-9A-Za-z.@/:])",
)
_EXTENSION = re.compile(r"内線(?:番号)?\s*(?:は|:)?\s*\d{2,6}(?!\d)")
_CONTACT_CHARS = re.compile(r"[\d@]")
_LABELLED_ID = re.compile(
    rf"(?:社員|従業員|職員|社員証|個人|会員|スタッフ)?(?:番号|ID|Id|id|No\.?|NO\.?|no\.|コード|CD)"
    rf"\s*[:：=]?\s*#?[A-Za-z]{{0,4}}{_DASH_CLASS}?\d{{3,12}}(?!\d)"
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


def _regex_spans(text: str) -> list[PiiSpan]:
    norm, where = _normalised_with_map(text)
    if not norm:
        return []

    def span(start: int, end: int, kind: Pii) -> PiiSpan:
        return PiiSpan(where[start], where[end - 1] + 1, kind)

    spans = [span(m.start(), m.end(), Pii.EMAIL) for m in _EMAIL.finditer(norm)]
    for m in _PHONE_CANDIDATE.finditer(norm):
        chunk = m.group().rstrip(" (" + _DASH)
        start = m.start()
        if (
            chunk.startswith("(") and ")" not in chunk
        ):  # 「携帯（０８０－…）」: the bracket is not the number's
            chunk, start = chunk[1:], start + 1
        digits = re.sub(r"\D", "", chunk)
        if chunk.startswith("+81"):
            digits = "0" + digits[2:].lstrip("0")
        if digits.startswith("0") and 10 <= len(digits) <= 11 and re.search(r"\d{5,}|\D", chunk):
            spans.append(span(start, start + len(chunk), Pii.PHONE))
    spans += [span(m.start(), m.end(), Pii.PHONE) for m in _EXTENSION.finditer(norm)]
    spans += [span(m.start(), m.end(), Pii.EMPLOYEE_ID) for m in _LABELLED_ID.finditer(norm)]
    for m in _CODE.finditer(norm):
        if m.group(1).lower() not in _NOT_PERSONAL_CODES:
            spans.append(span(m.start(), m.end(), Pii.EMPLOYEE_ID))
    return spans


def _is_person(m: Morpheme) -> bool:
    return is_person_name(m.pos)


def _name_like(m: Morpheme) -> bool:
    """Could be (part of) a name right before an honorific."""
    return is_name_like(m.pos, m.known)


def _name_spans(tokens: list[Morpheme]) -> list[PiiSpan]:
    if not tokens:  # the tokenizer found nothing that could be a name
        return []
    names = [False] * len(tokens)
    for i, m in enumerate(tokens):
        if not _is_person(m):
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        before = tokens[i - 1] if i > 0 else None
        names[i] = (
            (m.pos[3] == "姓" and m.surface not in _PLACES)
            or (after is not None and (after.surface in HONORIFICS or _is_person(after)))
            or (before is not None and _is_person(before))
        )
    for i, m in enumerate(tokens):
        if m.surface not in HONORIFICS or i == 0:
            continue
        j = i - 1  # walk back over the name right before the honorific (at most 3 parts)
        while (
            j >= 0 and i - j <= 3 and _name_like(tokens[j]) and tokens[j].end == tokens[j + 1].start
        ):
            names[j] = True
            j -= 1
    return [
        PiiSpan(m.start, m.end, Pii.NAME)
        for m, is_name in zip(tokens, names, strict=True)
        if is_name
    ]


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
    names = _name_spans(morphemes(text) if tokens is None else tokens)
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
