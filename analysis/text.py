"""Normalisation and tokenization of Japanese free-text answers.

Answers are NFKC-normalised for analysis (full-width letters and digits become
half-width, half-width kana become full-width) while callers keep the original
string for display. Tokenization uses MeCab through fugashi with the
unidic-lite dictionary and keeps content words only: nouns (including proper
nouns other than person names, never numerals), verbs, adjectives and
adjectival nouns (形状詞), minus a stop list of words that every survey answer
contains (思う, こと, する, ある ...).

Speed comes from three things: one ``Tagger.parse`` call per distinct text with
a node format of our own that prints only a short key per token (no feature
strings, no CSV quoting), a cache from each key to its lemma (a text with a
token never seen before is parsed once more with the features), and, for
large batches, two worker processes (when the machine has idle cores). MeCab taggers are not thread-safe, so every thread gets
its own (``threading.local``) and no tagger is ever pickled.

>>> tokenize_texts(["ＡＩで営業日報を要約したい", "特になし"])
[['ai', '営業', '日報', '要約'], []]
>>> is_no_answer("特にありません。")
True
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import NamedTuple

import fugashi

__all__ = [
    "STOP_WORDS",
    "Morpheme",
    "Tokenized",
    "display_forms",
    "is_no_answer",
    "morphemes",
    "normalize_text",
    "tokenize",
    "tokenize_texts",
    "tokenize_with_forms",
]

# Two MeCab output formats of our own, one line per token. The fast one prints a
# key only: surface, left and right context ids and word cost, which together
# name one dictionary entry, plus K for known words or U for words the
# dictionary lacks. MeCab spends much of its time writing feature strings, so
# printing these few numbers is far cheaper than any feature output. The first
# time a key is seen, the text is parsed again with the full format: the same
# key, then pos1, pos2, pos3, lemma and orthBase (unidic-lite feature fields 0,
# 1, 2, 7 and 10; unknown words have no lemma, their surface stands in) and an
# end mark. MeCab prints "*" as an empty field; the marks keep fugashi from
# stripping a trailing empty one. Doubled backslashes survive fugashi's
# shell-style split of the arguments.
_KEY = r"%m\\t%phl\\t%phr\\t%pw\\t"
_KEY_FORMAT = (
    rf"-O '' --node-format={_KEY}K\\n --unk-format={_KEY}U\\n --bos-format= --eos-format="
)
_FULL_FORMAT = (
    rf"-O '' --node-format={_KEY}K\\t%f[0]\\t%f[1]\\t%f[2]\\t%f[7]\\t%f[10]\\tE\\n"
    rf" --unk-format={_KEY}U\\t%f[0]\\t%f[1]\\t%f[2]\\t%m\\t%m\\tE\\n"
    r" --bos-format= --eos-format="
)
# For masking: surface, pos1..pos4 and K/U.
_SURFACE_FORMAT = (
    r"-O '' --node-format=%m\\t%f[0]\\t%f[1]\\t%f[2]\\t%f[3]\\tK\\n"
    r" --unk-format=%m\\t%f[0]\\t%f[1]\\t%f[2]\\t%f[3]\\tU\\n"
    r" --bos-format= --eos-format="
)

#: Words that carry no topic in survey answers, as lemma or dictionary form.
STOP_WORDS: frozenset[str] = frozenset(
    ["思う", "思える", "考える", "感じる", "感ずる", "言う", "いう", "云う", "見る", "見える", "する", "為る", "出来る", "できる", "ある", "有る", "在る", "いる", "居る", "なる", "成る", "来る", "くる", "行く", "いく", "行う", "おく", "置く", "しまう", "仕舞う", "下さる", "くださる", "頂く", "いただく", "貰う", "もらう", "致す", "いたす", "申す", "参る", "存ずる", "御座る", "ござる", "呉れる", "くれる", "遣る", "やる", "上げる", "頂ける", "得る", "良い", "よい", "いい", "無い", "ない", "無し", "なし", "欲しい", "ほしい", "多い", "少ない", "其れ", "それ", "事", "こと", "物", "もの", "為", "ため", "様", "よう", "所", "ところ", "時", "とき", "方", "ほう", "点", "等", "など", "中", "うち", "前", "後", "上", "下", "感じ", "気", "今", "今回", "今後", "以上", "以下", "場合", "部分", "必ず", "全て", "すべて", "全部", "自分", "皆", "みんな", "人", "方々", "特に", "特", "特記", "事項", "該当", "回答", "アンケート", "質問", "意見", "感想", "理由", "内容", "関係", "他", "ほか", "其の他", "その他", "色々", "いろいろ", "様々", "さまざま", "大変", "本当", "ほんと", "本当に", "是非", "ぜひ", "沢山", "たくさん", "一番", "一つ", "一", "年", "月", "日", "週", "回", "件", "個", "度", "割", "円", "分", "秒", "倍", "箇月", "か月", "ヶ月", "時間帯"]
)

_NO_ANSWER_RE = re.compile(
    r"(?:特に|とくに|とくには|特には|今のところ|いまのところ|現時点では|今は|特段)?"
    r"(?:なし|無し|ない|無い|ないです|無いです|なしです|無しです|ありません|ございません"
    r"|ありませんでした|ございませんでした|何もない|なにもない|何もありません|なにもありません"
    r"|思いつかない|思いつきません|特記事項なし|該当なし|該当無し|以上"
    r"|n/?a|none|nothing|nil|no comment)(?:です)?",
)
_PUNCT_AND_SPACE = re.compile(r"[\s。、．，,.!！?？…・「」『』()（）\[\]【】]+")

# control characters would break MeCab's one-line-per-token output (and NUL ends a C string)
_CONTROL = str.maketrans(dict.fromkeys([*range(0x20), 0x7F, 0x85, 0x2028, 0x2029], " "))

_CONTENT_POS1 = frozenset({"名詞", "動詞", "形容詞", "形状詞"})
_DROP_POS2 = frozenset({"数詞", "助動詞語幹"})
_MEANINGLESS = re.compile(r"^(?:[\W\d_]+|[ぁ-んァ-ンー])$")

_log = logging.getLogger(__name__)

_PROCESS_THRESHOLD = 20_000  # distinct texts; below this one process is faster
_WORKERS = 2
_CHUNK = 10_000  # texts per task: fewer round trips, still >= 2 tasks per worker


def normalize_text(text: str) -> str:
    """NFKC-normalise ``text`` for analysis and turn line breaks and tabs into spaces.

    The original string stays untouched and is what pages display.

    >>> normalize_text("ＡＩ　ﾂｰﾙを\\n使う")
    'AI ツールを 使う'
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():
        text = text.translate(_CONTROL)
    return text.strip()


def is_no_answer(text: object) -> bool:
    """True if ``text`` says nothing: empty, a dash, 「特になし」「無し」「N/A」 and the like.

    Such answers are counted as answered-without-content and never clustered.
    Anything that is not a string (``None``, ``NaN``) is also no answer.

    >>> [is_no_answer(t) for t in ["特になし", "ー", " ", "N/A", "無し。", "日報の要約"]]
    [True, True, True, True, True, False]
    """
    if not isinstance(text, str):
        return True
    core = _PUNCT_AND_SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()
    if not core or all(unicodedata.category(c)[0] in "PSZ" or c in "ーｰ〜~" for c in core):
        return True
    return _NO_ANSWER_RE.fullmatch(core) is not None


# --------------------------------------------------------------------------- tagger

_local = threading.local()  # MeCab's parser is not thread-safe; one Tagger per thread


def _tagger() -> fugashi.Tagger:
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        tagger = _local.tagger = fugashi.Tagger(_KEY_FORMAT)
    return tagger


def _full_tagger() -> fugashi.Tagger:
    tagger = getattr(_local, "full_tagger", None)
    if tagger is None:
        tagger = _local.full_tagger = fugashi.Tagger(_FULL_FORMAT)
    return tagger


def _surface_tagger() -> fugashi.Tagger:
    tagger = getattr(_local, "surface_tagger", None)
    if tagger is None:
        tagger = _local.surface_tagger = fugashi.Tagger(_SURFACE_FORMAT)
    return tagger


class Morpheme(NamedTuple):
    """One MeCab token with its place in the text it came from."""

    surface: str
    start: int
    end: int
    pos: tuple[str, str, str, str]  # UniDic pos1..pos4, "" where the dictionary has "*"
    known: bool  # False for words the dictionary does not hold


def morphemes(text: str) -> list[Morpheme]:
    """Tokens of ``text`` as written (no normalisation), with character offsets.

    Used where positions matter, such as masking names; for analysis use
    :func:`tokenize_texts`.

    >>> [(m.surface, m.start, m.pos[2]) for m in morphemes("鈴木さん、ありがとう")][:2]
    [('鈴木', 0, '人名'), ('さん', 2, '一般')]
    """
    line_text = text.translate(_CONTROL)  # same length, so offsets still fit ``text``
    found: list[Morpheme] = []
    cursor = 0
    for line in _surface_tagger().parse(line_text).split("\n"):
        fields = line.split("\t")
        if len(fields) != 6:
            continue
        surface = fields[0]
        start = line_text.find(surface, cursor)
        if start < 0:  # cannot happen with MeCab, but never guess a position
            continue
        cursor = start + len(surface)
        pos = (fields[1], fields[2], fields[3], fields[4])
        found.append(Morpheme(surface, start, cursor, pos, fields[5] == "K"))
    return found


def _interpret(fields: list[str]) -> tuple[str, str] | None:
    """Lemma and display form of one full-format token, or None if it is not a content word."""
    pos1, pos2, pos3, lemma, orth = fields[5:10]
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


# token key -> lemma ("" for words we drop) and -> (lemma, display form) or None;
# shared by the threads of a process (one dict write is atomic under the GIL)
_lemmas: dict[str, str] = {"": ""}
_pairs: dict[str, tuple[str, str] | None] = {"": None}
_CACHE_LIMIT = 1_000_000


def _learn(text: str) -> list[tuple[str, str] | None]:
    """Parse ``text`` with the full format, remember its tokens, and return them."""
    found: list[tuple[str, str] | None] = []
    room = len(_pairs) < _CACHE_LIMIT
    for line in _full_tagger().parse(text).split("\n"):
        fields = line.split("\t")
        if len(fields) != 11:
            continue
        value = _interpret(fields)
        found.append(value)
        if room:
            key = "\t".join(fields[:5])
            _pairs[key] = value
            _lemmas[key] = value[0] if value else ""
    return found


def _tokenize_chunk(texts: Sequence[str]) -> list[list[str]]:
    """Lemmas of each normalised text, in this process."""
    parse = _tagger().parse
    lookup = _lemmas.__getitem__
    out = []
    for text in texts:
        try:
            out.append(list(filter(None, map(lookup, parse(text).split("\n")))))
        except KeyError:  # a token not seen before
            out.append([v[0] for v in _learn(text) if v])
    return out


def _tokenize_chunk_with_forms(
    texts: Sequence[str],
) -> tuple[list[list[str]], Counter[tuple[str, str]]]:
    parse = _tagger().parse
    lookup = _pairs.__getitem__
    counts: Counter[tuple[str, str]] = Counter()
    out = []
    for text in texts:
        try:
            pairs = list(filter(None, map(lookup, parse(text).split("\n"))))
        except KeyError:
            pairs = [v for v in _learn(text) if v]
        counts.update(pairs)
        out.append([p[0] for p in pairs])
    return out, counts


# Worker side: tab-joined lemmas are far cheaper to send between processes than
# lists of short strings (a lemma never holds a tab: MeCab splits on whitespace).


def _joined_chunk(texts: Sequence[str]) -> list[str]:
    return ["\t".join(tokens) for tokens in _tokenize_chunk(texts)]


def _joined_chunk_with_forms(texts: Sequence[str]) -> tuple[list[str], Counter[tuple[str, str]]]:
    tokens, counts = _tokenize_chunk_with_forms(texts)
    return ["\t".join(t) for t in tokens], counts


# --------------------------------------------------------------------------- processes

_pool: ProcessPoolExecutor | None = None
_pool_broken = False  # e.g. __main__ cannot be re-imported (stdin, some notebooks)
_pool_lock = threading.Lock()


def _executor() -> ProcessPoolExecutor | None:
    """A lazily started, reused pool of worker processes (forkserver: safe under threads)."""
    global _pool
    with _pool_lock:
        if _pool is None and not _pool_broken:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["analysis.text"])
            _pool = ProcessPoolExecutor(max_workers=_WORKERS, mp_context=context)
            atexit.register(_pool.shutdown, wait=False, cancel_futures=True)
        return _pool


def _forget_pool() -> None:
    global _pool, _pool_broken
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool, _pool_broken = None, True
    _log.warning("worker processes unavailable; tokenizing in this process")


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _in_processes(
    unique: list[str], with_forms: bool
) -> tuple[list[list[str]], Counter[tuple[str, str]]] | None:
    pool = _executor()
    if pool is None:
        return None
    size = min(_CHUNK, -(-len(unique) // (2 * _WORKERS)))  # >= 2 chunks per worker
    tokens: list[list[str]] = []
    counts: Counter[tuple[str, str]] = Counter()
    try:
        if with_forms:
            for part, part_counts in pool.map(_joined_chunk_with_forms, _chunks(unique, size)):
                tokens.extend(j.split("\t") if j else [] for j in part)
                counts.update(part_counts)
        else:
            for part in pool.map(_joined_chunk, _chunks(unique, size)):
                tokens.extend(j.split("\t") if j else [] for j in part)
    except (BrokenProcessPool, OSError, RuntimeError):
        _forget_pool()
        return None
    return tokens, counts


def _cores_free() -> bool:
    """True if worker processes would get cores of their own (load below cores - 0.5).

    On a machine already busy with other work, two more processes only add
    the cost of sending texts back and forth.
    """
    try:
        load = os.getloadavg()[0]
    except OSError:  # not available on this platform
        return True
    return load < (os.cpu_count() or 1) - 0.5


def _run(unique: list[str], with_forms: bool) -> tuple[list[list[str]], Counter[tuple[str, str]]]:
    if len(unique) > _PROCESS_THRESHOLD and _cores_free():
        done = _in_processes(unique, with_forms)
        if done is not None:
            return done
    if with_forms:
        return _tokenize_chunk_with_forms(unique)
    return _tokenize_chunk(unique), Counter()


def _analyse(texts: Iterable[str], with_forms: bool) -> tuple[list[list[str]], dict[str, str]]:
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of strings, not one string")
    normalised = [normalize_text(t) if isinstance(t, str) else "" for t in texts]
    unique = list(dict.fromkeys(normalised))
    results, counts = _run(unique, with_forms)
    if len(unique) == len(normalised):
        tokens = results  # every list is already fresh
    else:
        by_text = dict(zip(unique, results, strict=True))
        tokens = [by_text[t].copy() for t in normalised]
    forms: dict[str, str] = {}
    best: dict[str, int] = {}
    for (lemma, orth), n in sorted(counts.items()):
        if n > best.get(lemma, 0):
            forms[lemma], best[lemma] = orth, n
    return tokens, forms


# --------------------------------------------------------------------------- public


def tokenize_texts(texts: Sequence[str]) -> list[list[str]]:
    """Content-word lemmas of each text, in input order.

    Lemmas are UniDic lemmas (spelling variants share one: わかる and 分かる are
    both 分かる) with the loanword gloss cut off (ツール-tool becomes ツール) and
    ASCII lower-cased. Identical texts are analysed once; more than 20,000
    distinct texts are spread over two worker processes if the machine has
    idle cores. Results never depend on the path taken. Safe to call from many
    threads at once. Items that are not strings give an empty list.

    Parameters
    ----------
    texts : sequence of str
        Answers as typed; they are NFKC-normalised here.

    Returns
    -------
    list of list of str
        One list of lemmas per input text (a fresh list each, safe to mutate).

    Examples
    --------
    >>> tokenize_texts(["ツールを使って議事録を作る", "使い方が分からない"])
    [['ツール', '使う', '議事', '作る'], ['使う', '分かる']]
    """
    return _analyse(texts, with_forms=False)[0]


def tokenize(text: str) -> list[str]:
    """Content-word lemmas of one text (see :func:`tokenize_texts`).

    >>> tokenize("上司に相談しにくい雰囲気がある")
    ['上司', '相談', '雰囲気']
    """
    return tokenize_texts([text])[0]


@dataclass(frozen=True)
class Tokenized:
    """Lemmas per text and, for labels, each lemma's most common written form."""

    tokens: list[list[str]]
    forms: dict[str, str]


def tokenize_with_forms(texts: Sequence[str]) -> Tokenized:
    """Lemmas per text plus a lemma -> display form map, in one pass.

    The display form is the dictionary form as most often written in ``texts``
    (UniDic ``orthBase``); ties go to the form that sorts first.

    >>> result = tokenize_with_forms(["わかりやすい説明", "分かりやすい資料", "わかりにくい"])
    >>> result.tokens
    [['分かる', '説明'], ['分かる', '資料'], ['分かる']]
    >>> result.forms["分かる"]
    'わかる'
    """
    tokens, forms = _analyse(texts, with_forms=True)
    return Tokenized(tokens=tokens, forms=forms)


def display_forms(texts: Sequence[str]) -> dict[str, str]:
    """Map each content lemma in ``texts`` to its most common written form, for labels.

    >>> display_forms(["AIツールを使う", "ＡＩツール"])["ai"]
    'AI'
    """
    return tokenize_with_forms(texts).forms
