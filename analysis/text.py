"""Normalisation and tokenization of Japanese free-text answers.

Answers are NFKC-normalised for analysis (full-width letters and digits become
half-width, half-width kana become full-width) while callers keep the original
string for display. Tokenization uses MeCab through fugashi with the
unidic-lite dictionary and keeps content words only: nouns (including proper
nouns other than person names, never numerals), verbs, adjectives and
adjectival nouns (形状詞), minus a stop list of words that every survey answer
contains (思う, こと, する, ある ...).

The public API is small:

- normalise: :func:`normalize_text` (one answer as analysed),
  :func:`normalized_answers` (many, None where an answer says nothing,
  :func:`is_no_answer`), :func:`nfkc_texts`, :func:`long_answer_note`
  (and :func:`start_workers_for`, to start the worker processes early);
- tokenize: :func:`tokenize` (one text), :func:`tokenize_texts` (many) and
  :func:`tokenize_with_forms` (lemmas, their written forms and an optional
  :data:`Redact` step that masking plugs in);
- morphemes: :func:`morphemes` (:class:`Morpheme` tokens with offsets in the
  text as written), and for :mod:`analysis.masking` :func:`word_senses`,
  :func:`is_person_name`, :func:`is_name_like`, :func:`pieces`,
  :data:`HONORIFICS` and :data:`HONORIFIC_RE`.

The tokenize and morpheme functions are thin wrappers over :data:`LEXICON`, a
:class:`Lexicon` that holds the MeCab taggers (one per thread: MeCab is not
thread-safe; never pickled, never cached by a page) and the token caches; a
:class:`Lexicon` of one's own has caches of its own. The batch functions take
``n_jobs``: by default every core (:mod:`analysis.workers`) for more than
10,000 distinct texts, 1 for this process only; the result is the same either way.

Speed comes from three things: one ``Tagger.parse`` call per distinct text with
a node format of our own that prints only a short key per token (no feature
strings, no CSV quoting), a cache from each key to its lemma (a text with a
token never seen before is parsed once more with the features), and, for
large batches, the worker processes of :mod:`analysis.workers`. The label words of
:mod:`analysis.features` come the same way (:meth:`Lexicon.words`), and masking gets
the morphemes of a text only where a name could be.

Long answers cannot crash or stall the process: MeCab gets every text in
pieces of at most 2,000 characters cut after sentence ends (:func:`pieces`;
one run of about 190,000 letters was a segmentation fault), and only the
first :data:`MAX_ANALYSED_CHARS` characters of an answer are analysed
(:func:`long_answer_note` gives the Japanese note to show), while the whole
answer is still masked and displayed.

>>> tokenize_texts(["ＡＩで営業日報を要約したい", "特になし"])
[['ai', '営業', '日報', '要約'], []]
>>> is_no_answer("特にありません。")
True
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from typing import NamedTuple, TypeVar

import fugashi

from analysis import workers

R = TypeVar("R")

__all__ = [
    # normalise
    "MAX_ANALYSED_CHARS",
    "is_no_answer",
    "long_answer_note",
    "nfkc_texts",
    "normalize_text",
    "normalized_answers",
    "jobs_for_texts",
    "start_workers_for",
    # tokenize
    "STOP_WORDS",
    "Tokenized",
    "display_forms",
    "tokenize",
    "tokenize_texts",
    "tokenize_with_forms",
    # morphemes, and what masking needs with them
    "HONORIFICS",
    "HONORIFIC_RE",
    "Morpheme",
    "Redact",
    "is_name_like",
    "is_person_name",
    "morphemes",
    "pieces",
    "word_senses",
    # the taggers and caches behind all of these
    "LEXICON",
    "Lexicon",
]

# Two MeCab output formats of our own, one line per token. The fast one prints a
# key only: surface, left and right context ids and word cost, which together
# name one dictionary entry, plus K for known words or U for words the
# dictionary lacks. MeCab spends much of its time writing feature strings, so
# printing these few numbers is far cheaper than any feature output. The first
# time a key is seen, the text is parsed again with the full format: the same
# key, then pos1 to pos4, lemma and orthBase (unidic-lite feature fields 0 to
# 3, 7 and 10; unknown words have no lemma, their surface stands in) and an
# end mark. What a key stands for is cached, so the fast format alone gives the
# lemmas and parts of speech of every text after the first few hundred. MeCab
# prints "*" as an empty field; the marks keep fugashi from stripping a
# trailing empty one. Doubled backslashes survive fugashi's
# shell-style split of the arguments.
_KEY = r"%m\\t%phl\\t%phr\\t%pw\\t"
# A word the dictionary lacks is printed in full by both formats: its line holds all that
# is cached of it, so a text whose only new tokens are unknown words (a name, a code, a
# made-up katakana word) needs no second parse (that second parse made such texts cost 3x).
_UNKNOWN = rf"{_KEY}U\\t%f[0]\\t%f[1]\\t%f[2]\\t%f[3]\\t%m\\t%m\\tE\\n"
_KEY_FORMAT = rf"-O '' --node-format={_KEY}K\\n --unk-format={_UNKNOWN} --bos-format= --eos-format="
_FULL_FORMAT = (
    rf"-O '' --node-format={_KEY}K\\t%f[0]\\t%f[1]\\t%f[2]\\t%f[3]\\t%f[7]\\t%f[10]\\tE\\n"
    rf" --unk-format={_UNKNOWN} --bos-format= --eos-format="
)
_FULL_FIELDS = 12
_TABS = _FULL_FIELDS - 1  # tabs in a full-format line
# What :meth:`Lexicon.words` learns a key from: the key, then pos1 to pos3, the lemma as the
# dictionary writes it (ツール-tool) and the conjugation form (fields 0 to 2, 7 and 5).
_LEARN_WORDS_FORMAT = (
    rf"-O '' --node-format={_KEY}K\\t%f[0]\\t%f[1]\\t%f[2]\\t%f[7]\\t%f[5]\\tE\\n"
    rf" --unk-format={_UNKNOWN} --bos-format= --eos-format="
)
_LEARN_WORDS_FIELDS = 11

#: Words that carry no topic in survey answers, as lemma or dictionary form.
STOP_WORDS: frozenset[str] = frozenset(
    [
        "思う",
        "思える",
        "考える",
        "感じる",
        "感ずる",
        "言う",
        "いう",
        "云う",
        "見る",
        "見える",
        "する",
        "為る",
        "出来る",
        "できる",
        "ある",
        "有る",
        "在る",
        "いる",
        "居る",
        "なる",
        "成る",
        "来る",
        "くる",
        "行く",
        "いく",
        "行う",
        "おく",
        "置く",
        "しまう",
        "仕舞う",
        "下さる",
        "くださる",
        "頂く",
        "いただく",
        "貰う",
        "もらう",
        "致す",
        "いたす",
        "申す",
        "参る",
        "存ずる",
        "御座る",
        "ござる",
        "呉れる",
        "くれる",
        "遣る",
        "やる",
        "上げる",
        "頂ける",
        "得る",
        # verbs of compound particles: によって, による, により, かもしれない
        "因る",
        "依る",
        "拠る",
        "知れる",
        "良い",
        "よい",
        "いい",
        "無い",
        "ない",
        "無し",
        "なし",
        "欲しい",
        "ほしい",
        "多い",
        "少ない",
        "其れ",
        "それ",
        "事",
        "こと",
        "物",
        "もの",
        "為",
        "ため",
        "様",
        "よう",
        "所",
        "ところ",
        "時",
        "とき",
        "方",
        "ほう",
        "点",
        "等",
        "など",
        "中",
        "うち",
        "前",
        "後",
        "上",
        "下",
        "感じ",
        "気",
        "今",
        "今回",
        "今後",
        "以上",
        "以下",
        "場合",
        "部分",
        "必ず",
        "全て",
        "すべて",
        "全部",
        "自分",
        "皆",
        "みんな",
        "人",
        "方々",
        "特に",
        "特",
        "特記",
        "事項",
        "該当",
        "回答",
        "アンケート",
        "質問",
        "意見",
        "感想",
        "理由",
        "内容",
        "関係",
        "他",
        "ほか",
        "其の他",
        "その他",
        "色々",
        "いろいろ",
        "様々",
        "さまざま",
        "大変",
        "本当",
        "ほんと",
        "本当に",
        "是非",
        "ぜひ",
        "沢山",
        "たくさん",
        "一番",
        "一つ",
        "一",
        "年",
        "月",
        "日",
        "週",
        "回",
        "件",
        "個",
        "度",
        "割",
        "円",
        "分",
        "秒",
        "倍",
        "箇月",
        "か月",
        "ヶ月",
        "時間帯",
        "san",
        "sama",
        "kun",
        "chan",
    ]
)

#: Honorifics and job titles that follow a person's name (田中さん, 佐藤部長).
#: :mod:`analysis.masking` looks for names before them; the tokenizer marks
#: texts holding one of them or a person's name, so masking reads only those.
HONORIFICS: frozenset[str] = frozenset(
    [
        "さん",
        "様",
        "さま",
        "サマ",
        "君",
        "くん",
        "クン",
        "ちゃん",
        "氏",
        "殿",
        "先生",
        "部長",
        "課長",
        "係長",
        "主任",
        "社長",
        "専務",
        "常務",
        "室長",
        "所長",
        "店長",
        "次長",
        "本部長",
        "支店長",
        "工場長",
        "取締役",
        "会長",
        "副社長",
        "副部長",
        "マネージャー",
        "マネジャー",
        "リーダー",
        "先輩",
        "主査",
        "主幹",
        "部長代理",
        "課長代理",
        "GM",
        "さんたち",
        "さん達",
        "氏ら",
    ]
)

#: Any word of :data:`HONORIFICS` in a text, longest first (本部長 before 部長). The
#: tokenizer may split a title (池田|部|長) or glue it to the name (東部|長), so
#: masking finds titles in the text and lines them up with the morphemes.
HONORIFIC_RE: re.Pattern[str] = re.compile(
    "|".join(re.escape(h) for h in sorted(HONORIFICS, key=lambda h: (-len(h), h)))
)

#: Characters of one answer that are analysed; the rest of a longer answer is
#: left out of tokens, topics and word counts (and :func:`long_answer_note`
#: says so), while masking and display still see the whole answer.
MAX_ANALYSED_CHARS = 20_000
#: MeCab gets texts in pieces of at most this many characters, cut after a
#: sentence end (。！？!? or a line break), else at a space, else anywhere on
#: a character boundary. One long run without breaks (about 190,000 letters)
#: crashed MeCab with a segmentation fault; no piece is ever that long.
_PIECE = 2_000
_SENTENCE_ENDS = "。!?！？\n"
_SPACES = " \u3000\t"

_NO_ANSWER_RE = re.compile(
    r"(?:特に|とくに|とくには|特には|今のところ|いまのところ|現時点では|今は|特段)?"
    r"(?:なし|無し|ない|無い|ないです|無いです|なしです|無しです|ありません|ございません"
    r"|ありませんでした|ございませんでした|何もない|なにもない|何もありません|なにもありません"
    r"|思いつかない|思いつきません|特記事項なし|該当なし|該当無し|以上"
    r"|n/?a|none|nothing|nil|no comment)(?:です)?",
)
_PUNCT_AND_SPACE = re.compile(r"[\s。、．，,.!！?？…・「」『』()（）\[\]【】]+")
# A letter or digit that no phrase of _NO_ANSWER_RE holds (case aside), nor ー: a text with one
# says something whatever punctuation surrounds it, so most answers skip the other checks.
_NO_ANSWER_LETTERS = "".join(sorted({c for c in _NO_ANSWER_RE.pattern if c.isalnum()}))
_SAYS_SOMETHING = re.compile(f"[^\\W_{re.escape(_NO_ANSWER_LETTERS)}ーｰ]", re.IGNORECASE)

# control characters would break MeCab's one-line-per-token output (and NUL ends a C string)
_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")  # each becomes one space


def _without_controls(text: str) -> str:
    """``text`` with each control character a space (same length, so offsets still fit)."""
    return _CONTROL.sub(" ", text)


_CONTENT_POS1 = frozenset({"名詞", "動詞", "形容詞", "形状詞"})
_DROP_POS2 = frozenset({"数詞", "助動詞語幹"})
_MEANINGLESS = re.compile(r"^(?:[\W\d_]+|[ぁ-んァ-ンー])$")

_PROCESS_THRESHOLD = (
    10_000  # distinct texts; below this one process is faster (pool start included)
)
_CHUNK = 10_000  # texts per task: fewer round trips, still >= 2 tasks per worker
_BATCH = 1_000  # texts parsed before their output is read (see Lexicon._tokenize_chunk)


def _in_pieces(
    task: Callable[[Sequence[str]], R], texts: Sequence[str], n_jobs: int | None
) -> list[R]:
    """``task`` of each piece of ``texts``, in ``n_jobs`` processes (see :mod:`analysis.workers`)."""
    return workers.map_pieces(task, texts, threshold=_PROCESS_THRESHOLD, most=_CHUNK, n_jobs=n_jobs)


def start_workers_for(n_texts: int) -> bool:
    """Start the worker processes in the background if ``n_texts`` distinct texts would use them.

    For callers that know the size of a batch before it is ready (the command line,
    once a file is read): the processes start while the caller goes on, not when
    the batch arrives. True if they were asked to start (results never depend on it).
    """
    jobs = jobs_for_texts(n_texts)
    if jobs > 1:
        workers.start_soon(jobs)
    return jobs > 1


def jobs_for_texts(n_texts: int, n_jobs: int | None = None) -> int:
    """Processes that tokenize a batch of ``n_texts`` distinct texts (1: the caller's own).

    >>> jobs_for_texts(100), jobs_for_texts(100, 2), jobs_for_texts(100, 1)
    (1, 2, 1)
    """
    return workers.jobs_for(n_jobs, n_texts, threshold=_PROCESS_THRESHOLD)


def _joined(pieces: list[list[R]]) -> list[R]:
    return [result for piece in pieces for result in piece]


def normalize_text(text: str) -> str:
    """NFKC-normalise ``text`` for analysis and turn line breaks and tabs into spaces.

    The original string stays untouched and is what pages display. Only the
    first :data:`MAX_ANALYSED_CHARS` characters are kept (see :func:`long_answer_note`).

    >>> normalize_text("ＡＩ　ﾂｰﾙを\\n使う")
    'AI ツールを 使う'
    """
    text = _one_line(text)
    return _capped(text) if len(text) > MAX_ANALYSED_CHARS else text


def _one_line(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # its own quick check returns a normalised text
    if not text.isprintable():
        text = _without_controls(text)
    return text.strip()


def _capped(text: str) -> str:
    """The first :data:`MAX_ANALYSED_CHARS` characters, not cutting a mark from its letter."""
    end = MAX_ANALYSED_CHARS
    while end > 1 and _joins_previous(text[end]):
        end -= 1
    return text[:end].rstrip()


def _joins_previous(ch: str) -> bool:
    """A character that belongs to the one before it (combining mark, variation selector, ZWJ)."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch == "\u200d"


def long_answer_note(texts: Iterable[object]) -> str | None:
    """A Japanese note for pages and outputs if some answer is longer than is analysed.

    >>> long_answer_note(["短い回答", "あ" * 30_000])
    '1件の回答が20,000文字を超えるため、先頭の20,000文字だけを分析しました（表示は全文のままです）。'
    >>> long_answer_note(["短い回答"]) is None
    True
    """
    n = sum(
        1
        for t in texts
        if isinstance(t, str)
        and len(t) > MAX_ANALYSED_CHARS
        and len(_one_line(t)) > MAX_ANALYSED_CHARS
    )
    if not n:
        return None
    return (
        f"{n}件の回答が{MAX_ANALYSED_CHARS:,}文字を超えるため、"
        f"先頭の{MAX_ANALYSED_CHARS:,}文字だけを分析しました（表示は全文のままです）。"
    )


def _normalized_answer(text: object) -> str | None:
    """``text`` as analysed (:func:`normalize_text`), or None if it says nothing."""
    if not isinstance(text, str):
        return None
    normalised = normalize_text(text)
    if _SAYS_SOMETHING.search(normalised):  # most answers: a letter no "nothing" phrase has
        return normalised
    core = _PUNCT_AND_SPACE.sub("", normalised).lower()
    if not core or all(unicodedata.category(c)[0] in "PSZ" or c in "ーｰ〜~" for c in core):
        return None
    return None if _NO_ANSWER_RE.fullmatch(core) else normalised


def is_no_answer(text: object) -> bool:
    """True if ``text`` says nothing: empty, a dash, 「特になし」「無し」「N/A」 and the like.

    Such answers are counted as answered-without-content and never clustered.
    Anything that is not a string (``None``, ``NaN``) is also no answer, and
    so are control characters alone.

    >>> [is_no_answer(t) for t in ["特になし", "ー", " ", "N/A", "無し。", "日報の要約"]]
    [True, True, True, True, True, False]
    """
    return _normalized_answer(text) is None


def normalized_answers(texts: Iterable[object], *, n_jobs: int | None = None) -> list[str | None]:
    """Each text as analysed (:func:`normalize_text`), or None where it says nothing.

    One NFKC pass per distinct text serves both the no-answer check
    (:func:`is_no_answer`) and the analysis. ``n_jobs`` as for :func:`tokenize_texts`.

    >>> normalized_answers(["ＡＩで日報", "特になし。", None, "ＡＩで日報"])
    ['AIで日報', None, None, 'AIで日報']
    """
    texts = list(texts)
    distinct = list(dict.fromkeys(t for t in texts if isinstance(t, str)))
    found = _joined(_in_pieces(_normalized_chunk, distinct, n_jobs))
    done = dict(zip(distinct, found, strict=True))
    return [done[t] if isinstance(t, str) else None for t in texts]


def _normalized_chunk(texts: Sequence[str]) -> list[str | None]:
    return [_normalized_answer(t) for t in texts]


def nfkc_texts(texts: Sequence[str], *, n_jobs: int | None = None) -> list[str]:
    """Each text NFKC-normalised (nothing else changed); ``n_jobs`` as for :func:`tokenize_texts`.

    >>> nfkc_texts(["ＡＩ　ﾂｰﾙ", "①日報 "])
    ['AI ツール', '1日報 ']
    """
    return _joined(_in_pieces(_nfkc_chunk, texts, n_jobs))


def _nfkc_chunk(texts: Sequence[str]) -> list[str]:
    return [unicodedata.normalize("NFKC", t) for t in texts]


# --------------------------------------------------------------------------- lexicon

# -a: every dictionary entry that fits, not only the best path (for word_senses)
_LATTICE_FORMAT = (
    r"-a -O '' --node-format=%m\\t%f[0]\\t%f[1]\\t%f[2]\\t%f[3]\\n"
    r" --unk-format= --bos-format= --eos-format="
)


def pieces(text: str) -> list[str]:
    """``text`` cut into pieces of at most 2,000 characters for MeCab, in order.

    Short texts (nearly every answer) are one piece. A longer one is cut after
    the last sentence end (。！？!? or a line break) within each 2,000
    characters, else after the last space, else at 2,000 on a character
    boundary. The pieces joined give ``text`` back, and the tokens of a text
    are the tokens of its pieces, one piece after the other.

    >>> [len(p) for p in pieces("あ" * 4500)]
    [2000, 2000, 500]
    >>> pieces("短い。")
    ['短い。']
    """
    if len(text) <= _PIECE:
        return [text]
    found: list[str] = []
    start, n = 0, len(text)
    while n - start > _PIECE:
        limit = start + _PIECE
        cut = max(text.rfind(c, start, limit) for c in _SENTENCE_ENDS) + 1
        if cut <= start:
            cut = max(text.rfind(c, start, limit) for c in _SPACES) + 1
        if cut <= start:
            cut = limit
            while cut > start + 1 and _joins_previous(text[cut]):
                cut -= 1
        found.append(text[start:cut])
        start = cut
    found.append(text[start:])
    return found


def _parse(tagger: fugashi.Tagger, text: str) -> str:
    """``tagger``'s output for ``text``, parsed piece by piece (see :func:`pieces`)."""
    if len(text) <= _PIECE:
        return tagger.parse(text)
    return "\n".join(tagger.parse(piece) for piece in pieces(text))


class Word(NamedTuple):
    """One MeCab token with what :mod:`analysis.features` reads of it (MeCab's "*" as "")."""

    surface: str
    pos1: str
    pos2: str
    pos3: str  # 副詞可能 for 今, 最近, 今後: nouns that work as adverbs
    lemma: str  # as the dictionary writes it (ツール-tool); a word it lacks: the surface
    form: str  # conjugation form (cForm): 未然形-一般, 仮定形-一般 ...
    known: bool  # False for a word the dictionary does not hold


def _star(field: str) -> str:
    return "" if field == "*" else field


class Morpheme(NamedTuple):
    """One MeCab token with its place in the text it came from."""

    surface: str
    start: int
    end: int
    pos: tuple[str, str, str, str]  # UniDic pos1..pos4, "" where the dictionary has "*"
    known: bool  # False for words the dictionary does not hold


#: A redaction step for :func:`tokenize_with_forms`. It gets one normalised
#: text and, if the text holds a person's name as UniDic tags it or any word
#: of :data:`HONORIFICS` (:data:`HONORIFIC_RE`), the text's
#: morphemes from the tokenizer's own parse; otherwise an empty list. It
#: returns the text to analyse in its place (the same text if nothing is to go).
Redact = Callable[[str, list[Morpheme]], str]


def _interpret(fields: list[str]) -> tuple[str, str] | None:
    """Lemma and display form of one full-format token, or None if it is not a content word."""
    pos1, pos2, pos3, _, lemma, orth = fields[5:11]
    if pos1 not in _CONTENT_POS1 or pos2 in _DROP_POS2 or pos3 == "人名":
        return None
    known = fields[4] == "K"
    if pos2 == "固有名詞" and orth:
        lemma = orth  # UniDic spells proper-noun lemmas in katakana (福井 -> フクイ)
    elif known and "-" in lemma:
        head, _, tail = lemma.partition("-")
        if head and tail.isascii():  # loanword lemmas look like ツール-tool
            lemma = head
    if lemma.isascii():
        lemma = lemma.lower()
    if lemma in STOP_WORDS or orth in STOP_WORDS or _MEANINGLESS.match(lemma):
        return None
    return lemma, orth or lemma


def is_person_name(pos: tuple[str, str, str, str]) -> bool:
    """A person's name as UniDic tags it (名詞,固有名詞,人名: 姓, 名 or 一般)."""
    return pos[1] == "固有名詞" and pos[2] == "人名"


def is_name_like(pos: tuple[str, str, str, str], known: bool) -> bool:
    """A noun that could be (part of) a name before an honorific: proper or unknown."""
    return pos[0] == "名詞" and (pos[1] == "固有名詞" or not known)


_Learned = tuple[str, tuple[str, str] | None, tuple[str, str, str, str]]  # key, pair, pos
_Analysed = tuple[list[list[str]], Counter[tuple[str, str]], dict[int, str]]


_tuple_new = tuple.__new__


def _placed(text: str, tokens: Iterable[tuple[str, tuple[str, str, str, str]]]) -> list[Morpheme]:
    """Morphemes from (key, pos) per token, with their offsets in ``text``."""
    found: list[Morpheme] = []
    cursor = 0
    for key, pos in tokens:
        surface = key.partition("\t")[0]
        start = text.find(surface, cursor)
        if start < 0:  # cannot happen with MeCab, but never guess a position
            continue
        cursor = start + len(surface)
        # tuple.__new__: a Morpheme without the Python-level __new__ of a NamedTuple
        found.append(_tuple_new(Morpheme, (surface, start, cursor, pos, key.endswith("K"))))
    return found


@dataclass(frozen=True)
class Tokenized:
    """Lemmas per text, each lemma's most common written form, and the texts as analysed."""

    tokens: list[list[str]]
    forms: dict[str, str]
    texts: list[str]  # NFKC-normalised, and redacted where a ``redact`` step changed them


def _default_lexicon() -> Lexicon:
    return LEXICON


class Lexicon:
    """The MeCab taggers of each thread and what the dictionary's tokens mean, cached.

    A MeCab tagger is not thread-safe, so each thread that uses a lexicon gets
    taggers of its own (:meth:`tagger`); they are never pickled and never
    leave the thread. The caches map a token key (surface, context ids, cost,
    known or not) to its lemma, its (lemma, written form) and its part of
    speech, plus the keys of person names; the threads of a process share
    them (each write is one atomic dict or set operation under the GIL, and a
    key's part of speech is written before its lemma, so a key found in the
    lemmas is in the other caches too). They hold at most ``cache_limit``
    keys and only make things faster: results never depend on them.

    Work sent to the worker processes (``n_jobs``) uses each worker's own
    :data:`LEXICON`: a lexicon pickles as a reference to it.

    >>> lexicon = Lexicon()
    >>> lexicon.tokenize_texts(["ＡＩで営業日報を要約したい"], n_jobs=1)
    [['ai', '営業', '日報', '要約']]
    >>> lexicon.cached_tokens > 0, Lexicon().cached_tokens
    (True, 0)
    """

    def __init__(self, *, cache_limit: int = 1_000_000) -> None:
        if cache_limit < 0:
            raise ValueError(f"cache_limit must be 0 or more, got {cache_limit}")
        self.cache_limit = cache_limit
        self._local = threading.local()
        self._lemmas: dict[str, str] = {"": ""}
        self._pairs: dict[str, tuple[str, str] | None] = {"": None}
        self._pos: dict[str, tuple[str, str, str, str]] = {}
        self._persons: set[str] = set()
        self._words: dict[str, Word] = {"": None}  # type: ignore[dict-item]  # "": no token

    def __reduce__(self) -> tuple[Callable[[], Lexicon], tuple[()]]:
        return _default_lexicon, ()

    def __repr__(self) -> str:
        return f"Lexicon(cached_tokens={self.cached_tokens}, cache_limit={self.cache_limit})"

    @property
    def cached_tokens(self) -> int:
        """Token keys whose meaning this lexicon has cached."""
        return len(self._pos)

    def tagger(self, options: str = "") -> fugashi.Tagger:
        """This thread's ``fugashi.Tagger(options)``, made on first use."""
        taggers = getattr(self._local, "taggers", None)
        if taggers is None:
            taggers = self._local.taggers = {}
        tagger = taggers.get(options)
        if tagger is None:
            tagger = taggers[options] = fugashi.Tagger(options)
        return tagger

    # ----------------------------------------------------------------------- parsing

    def _learn(self, text: str) -> list[_Learned]:
        """Parse ``text`` with the full format, remember its tokens, and return them."""
        room = len(self._pairs) < self.cache_limit
        lines = _parse(self.tagger(_FULL_FORMAT), text).split("\n")
        return [self._learn_line(line, room) for line in lines if line.count("\t") == _TABS]

    def _learn_line(self, line: str, room: bool) -> _Learned:
        """One full-format line: its key (the fast format's line for it), value and pos."""
        fields = line.split("\t")
        key = line if fields[4] == "U" else "\t".join(fields[:5])  # unknown: the whole line
        pos = (fields[5], fields[6], fields[7], fields[8])
        value = _interpret(fields)
        if room:
            self._pos[key] = pos
            if is_person_name(pos):
                self._persons.add(key)
            self._pairs[key] = value
            self._lemmas[key] = value[0] if value else ""
        return key, value, pos

    def _learned_unknowns(self, lines: list[str]) -> bool:
        """Learn the fast-format lines not cached yet, if all are unknown words (printed in
        full); False when one is a known word (its features need the full format) or the
        cache is full."""
        new = [line for line in lines if line and line not in self._pairs]
        if len(self._pairs) + len(new) > self.cache_limit or not all(
            line.endswith("\tE") and line.count("\t") == _TABS for line in new
        ):
            return False
        for line in new:
            self._learn_line(line, True)
        return True

    def morphemes(self, text: str) -> list[Morpheme]:
        """Tokens of ``text`` as written, with character offsets (see :func:`morphemes`)."""
        line_text = _without_controls(text)  # same length, so offsets still fit ``text``
        lines = _parse(self.tagger(_KEY_FORMAT), line_text).split("\n")
        if not self._learned_unknowns(lines):
            return _placed(line_text, [(key, pos) for key, _, pos in self._learn(line_text)])
        tokens = [(line, self._pos[line]) for line in lines if line]
        return _placed(line_text, tokens)

    def words(self, text: str) -> list[Word]:
        """The tokens of ``text`` (one normalised line) with pos, lemma and conjugation form.

        One parse in the key format, each key looked up in a cache; a text with a
        key not seen before is parsed once more with the features (an unknown
        word's key line holds them already).
        """
        lines = _parse(self.tagger(_KEY_FORMAT), text).split("\n")
        lookup = self._words.__getitem__
        try:
            return list(filter(None, map(lookup, lines)))
        except KeyError:  # a token not seen before
            pass
        room = len(self._words) < self.cache_limit
        found = []
        for line in _parse(self.tagger(_LEARN_WORDS_FORMAT), text).split("\n"):
            fields = line.split("\t")
            if len(fields) == _LEARN_WORDS_FIELDS and fields[4] == "K":
                key, known = "\t".join(fields[:5]), True
                lemma, form = _star(fields[8]), _star(fields[9])
            elif len(fields) == _FULL_FIELDS and fields[4] == "U":
                key, known = line, False
                lemma, form = _star(fields[0]), ""
            else:
                continue
            word = _tuple_new(
                Word, (_star(fields[0]), _star(fields[5]), _star(fields[6]), _star(fields[7]),
                       lemma, form, known)
            )  # fmt: skip
            if room:
                self._words[key] = word
            found.append(word)
        return found

    def word_senses(self, word: str) -> frozenset[tuple[str, str, str, str]]:
        """Every part of speech the dictionary holds for ``word`` (see :func:`word_senses`)."""
        if not word or len(word) > 20:
            return frozenset()
        senses = set()
        for line in self.tagger(_LATTICE_FORMAT).parse(_without_controls(word)).split("\n"):
            fields = line.split("\t")
            if len(fields) == 5 and fields[0] == word:
                senses.add(tuple("" if f == "*" else f for f in fields[1:]))
        return frozenset(senses)

    def _tokenize_chunk(self, texts: Sequence[str]) -> list[list[str]]:
        """Lemmas of each normalised text, in this process."""
        parse = partial(_parse, self.tagger(_KEY_FORMAT))
        lookup = self._lemmas.__getitem__
        out = []
        for start in range(0, len(texts), _BATCH):
            batch = texts[start : start + _BATCH]
            # parse a batch, then read it: MeCab's and Python's memory each stay warm in the
            # processor's caches (one text at a time, reading took twice as long)
            for text, parsed in zip(batch, list(map(parse, batch)), strict=True):
                lines = parsed.split("\n")
                try:
                    out.append(list(filter(None, map(lookup, lines))))
                except KeyError:  # a token not seen before
                    if self._learned_unknowns(lines):
                        out.append(list(filter(None, map(lookup, lines))))
                    else:
                        out.append([value[0] for _, value, _ in self._learn(text) if value])
        return out

    def _may_hold_name(self, keys: list[str], text: str) -> bool:
        """True if masking could find a name in ``text``, whose cached token keys are ``keys``:
        a person's name as UniDic tags it, or any word of :data:`HONORIFICS` after something
        in the text (田中さん, 池田部長 where the tokenizer splits 部|長, 森様 where 森 is a
        common noun)."""
        if not self._persons.isdisjoint(keys):
            return True
        titles = [m.span() for m in HONORIFIC_RE.finditer(text) if m.start() > 0]
        return bool(titles) and self._title_after_word(keys, text, titles)

    def _title_after_word(self, keys: list[str], text: str, titles: list[tuple[int, int]]) -> bool:
        """True unless no title in ``titles`` (spans in ``text``) can follow a name as
        masking reads them: a title must end where a token ends and start where one starts
        or inside a noun (東部|長). たくさん, 同様 and 様子 hold さん and 様 but are no title.
        Where the tokens do not spell ``text`` exactly (MeCab skips spaces), True."""
        words = [key for key in keys if key]
        surfaces = [key.partition("\t")[0] for key in words]
        if "".join(surfaces) != text:
            return True
        ends = list(accumulate(map(len, surfaces)))
        starts = {0, *ends}
        for a, b in titles:
            if b not in starts:  # ends inside a token
                continue
            if a in starts:
                return True
            pos = self._pos.get(words[bisect_right(ends, a)])
            if pos is None or pos[0] == "名詞":
                return True
        return False

    def _pairs_and_names(
        self, text: str, names: bool, parsed: str | None = None
    ) -> tuple[list[tuple[str, str]], list[Morpheme]]:
        """(lemma, display form) per content word of ``text`` and, if ``names`` is set and
        masking could find a name in the text, its morphemes (else an empty list).
        ``parsed``: the key-format parse of ``text``, if the caller has it."""
        if parsed is None:
            parsed = _parse(self.tagger(_KEY_FORMAT), text)
        lines = parsed.split("\n")
        lookup = self._pairs.__getitem__  # "" (no token) gives None, like a function word
        try:
            values: list[tuple[str, str] | None] | None = list(map(lookup, lines))
        except KeyError:  # a token not seen before
            values = list(map(lookup, lines)) if self._learned_unknowns(lines) else None
        if values is not None:
            pairs = list(filter(None, values))
            if names and self._may_hold_name(lines, text):
                return pairs, _placed(text, [(line, self._pos[line]) for line in lines if line])
            return pairs, []
        else:  # a known word not seen before: its features need the full format
            learned = self._learn(text)
            pairs = [value for _, value, _ in learned if value]
            keys = [key for key, _, _ in learned]
            cached = all(key in self._pos for key in keys)  # if not (cache full), assume a name
            if names and (not cached or self._may_hold_name(keys, text)):
                return pairs, _placed(text, [(key, pos) for key, _, pos in learned])
            return pairs, []

    def _tokenize_chunk_with_forms(
        self, texts: Sequence[str], redact: Redact | None = None
    ) -> _Analysed:
        """Lemmas per text, (lemma, form) counts, and the texts ``redact`` changed, by index."""
        every: list[tuple[str, str]] = []  # counted once at the end: one call, not one a text
        redacted: dict[int, str] = {}
        out = []
        parse = partial(_parse, self.tagger(_KEY_FORMAT))
        for i, text in enumerate(texts):
            if i % _BATCH == 0:  # parse a batch, then read it (see _tokenize_chunk)
                parsed = list(map(parse, texts[i : i + _BATCH]))
            pairs, names = self._pairs_and_names(text, redact is not None, parsed[i % _BATCH])
            if redact is not None and (clean := redact(text, names)) != text:
                redacted[i] = clean
                pairs, _ = self._pairs_and_names(clean, False)
            every += pairs
            out.append([p[0] for p in pairs])
        return out, Counter(every), redacted

    def _analysed(
        self, unique: list[str], with_forms: bool, redact: Redact | None, n_jobs: int | None
    ) -> _Analysed:
        """Lemmas, (lemma, form) counts and redacted texts of ``unique``, joined over pieces.

        Lemma lists travel between processes as they are: a lemma is one cached
        string object in a worker, so pickle sends each distinct lemma once per task.
        """
        if not with_forms:
            return _joined(_in_pieces(self._tokenize_chunk, unique, n_jobs)), Counter(), {}
        tokens: list[list[str]] = []
        counts: Counter[tuple[str, str]] = Counter()
        redacted: dict[int, str] = {}
        task = partial(self._tokenize_chunk_with_forms, redact=redact)
        for part, part_counts, part_redacted in _in_pieces(task, unique, n_jobs):
            redacted.update((len(tokens) + i, text) for i, text in part_redacted.items())
            tokens.extend(part)
            counts.update(part_counts)
        return tokens, counts, redacted

    def _analyse(
        self,
        texts: Iterable[str],
        with_forms: bool,
        redact: Redact | None = None,
        n_jobs: int | None = None,
    ) -> tuple[list[list[str]], dict[str, str], list[str]]:
        """Lemmas per text, lemma -> display form, and each text as analysed."""
        if isinstance(texts, str):
            raise ValueError("texts must be a sequence of strings, not one string")
        normalised = [normalize_text(t) if isinstance(t, str) else "" for t in texts]
        unique = list(dict.fromkeys(normalised))
        results, counts, redacted = self._analysed(unique, with_forms, redact, n_jobs)
        if not with_forms:  # lemmas only: nothing else to line up
            if len(unique) == len(normalised):
                return results, {}, []
            position = {text: i for i, text in enumerate(unique)}
            return [results[position[t]].copy() for t in normalised], {}, []
        if len(unique) == len(normalised):
            tokens = results  # every list is already fresh
            analysed = [redacted.get(i, t) for i, t in enumerate(unique)]
        else:
            position = {text: i for i, text in enumerate(unique)}
            tokens = [results[position[t]].copy() for t in normalised]
            analysed = [redacted.get(position[t], t) for t in normalised]
        forms: dict[str, str] = {}
        best: dict[str, int] = {}
        for (lemma, orth), n in sorted(counts.items()):
            if n > best.get(lemma, 0):
                forms[lemma], best[lemma] = orth, n
        return tokens, forms, analysed

    # ----------------------------------------------------------------------- public

    def tokenize_texts(self, texts: Sequence[str], *, n_jobs: int | None = None) -> list[list[str]]:
        """Content-word lemmas of each text, in input order (see :func:`tokenize_texts`)."""
        return self._analyse(texts, with_forms=False, n_jobs=n_jobs)[0]

    def tokenize(self, text: str) -> list[str]:
        """Content-word lemmas of one text (see :func:`tokenize_texts`)."""
        return self.tokenize_texts([text], n_jobs=1)[0]

    def tokenize_with_forms(
        self, texts: Sequence[str], *, redact: Redact | None = None, n_jobs: int | None = None
    ) -> Tokenized:
        """Lemmas per text plus a lemma -> display form map (see :func:`tokenize_with_forms`)."""
        tokens, forms, analysed = self._analyse(
            texts, with_forms=True, redact=redact, n_jobs=n_jobs
        )
        return Tokenized(tokens=tokens, forms=forms, texts=analysed)


#: The lexicon behind this module's functions (and each worker process's own).
LEXICON = Lexicon()


# --------------------------------------------------------------------------- functions


def morphemes(text: str) -> list[Morpheme]:
    """Tokens of ``text`` as written (no normalisation), with character offsets.

    Used where positions matter, such as masking names; for analysis use
    :func:`tokenize_texts`.

    >>> [(m.surface, m.start, m.pos[2]) for m in morphemes("鈴木さん、ありがとう")][:2]
    [('鈴木', 0, '人名'), ('さん', 2, '一般')]
    """
    return LEXICON.morphemes(text)


def word_senses(word: str) -> frozenset[tuple[str, str, str, str]]:
    """Every part of speech the dictionary holds for ``word`` as one token.

    Masking asks it whether a surname is also a place (大野: 人名 and 地名).

    >>> ("名詞", "固有名詞", "地名", "一般") in word_senses("大野")
    True
    """
    return LEXICON.word_senses(word)


def tokenize_texts(texts: Sequence[str], *, n_jobs: int | None = None) -> list[list[str]]:
    """Content-word lemmas of each text, in input order.

    Lemmas are UniDic lemmas (spelling variants share one: わかる and 分かる are
    both 分かる) with the loanword gloss cut off (ツール-tool becomes ツール) and
    ASCII lower-cased. Identical texts are analysed once. Results never depend
    on the path taken. Safe to call from many threads at once. Items that are
    not strings give an empty list.

    Parameters
    ----------
    texts : sequence of str
        Answers as typed; they are NFKC-normalised here.
    n_jobs : int, optional
        Processes that share the work (:func:`analysis.workers.jobs_for`): by
        default every core when there are more than 10,000 distinct texts and
        this process for fewer; 1 for this process only.

    Returns
    -------
    list of list of str
        One list of lemmas per input text (a fresh list each, safe to mutate).

    Examples
    --------
    >>> tokenize_texts(["ツールを使って議事録を作る", "使い方が分からない"])
    [['ツール', '使う', '議事', '作る'], ['使う', '分かる']]
    """
    return LEXICON.tokenize_texts(texts, n_jobs=n_jobs)


def tokenize(text: str) -> list[str]:
    """Content-word lemmas of one text (see :func:`tokenize_texts`).

    >>> tokenize("上司に相談しにくい雰囲気がある")
    ['上司', '相談', '雰囲気']
    """
    return LEXICON.tokenize(text)


def tokenize_with_forms(
    texts: Sequence[str], *, redact: Redact | None = None, n_jobs: int | None = None
) -> Tokenized:
    """Lemmas per text plus a lemma -> display form map, in one pass.

    The display form is the dictionary form as most often written in ``texts``
    (UniDic ``orthBase``); ties go to the form that sorts first. ``n_jobs`` as
    for :func:`tokenize_texts`.

    ``redact`` (see :data:`Redact`) takes out what must not be analysed, such
    as personal information, using the morphemes of the same parse, so a
    text is parsed twice only where something was taken out. The lemmas and
    forms then come from the redacted text, which ``texts`` of the result holds.
    It must be picklable (a module-level function) for the worker processes.

    >>> result = tokenize_with_forms(["わかりやすい説明", "分かりやすい資料", "わかりにくい"])
    >>> result.tokens
    [['分かる', '説明'], ['分かる', '資料'], ['分かる']]
    >>> result.forms["分かる"]
    'わかる'
    >>> def no_names(text, found):
    ...     return "".join(" " if m.pos[2] == "人名" else m.surface for m in found) or text
    >>> tokenize_with_forms(["田中さんの説明", "丁寧な説明"], redact=no_names).texts
    [' さんの説明', '丁寧な説明']
    """
    return LEXICON.tokenize_with_forms(texts, redact=redact, n_jobs=n_jobs)


def display_forms(texts: Sequence[str]) -> dict[str, str]:
    """Map each content lemma in ``texts`` to its most common written form, for labels.

    >>> display_forms(["AIツールを使う", "ＡＩツール"])["ai"]
    'AI'
    """
    return tokenize_with_forms(texts).forms
