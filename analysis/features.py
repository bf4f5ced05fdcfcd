"""Count and TF-IDF features of free-text answers, built with numpy over the whole corpus.

Two blocks describe each answer for topic clustering:

- content-word lemma counts (from :func:`analysis.text.tokenize_with_forms`),
- character 2- and 3-grams inside runs of kanji, katakana and letters; hiragana
  (particles, endings), digits, spaces and symbols break the runs, so を, した
  and ので never make two answers look alike, while 要約/要約機能 and
  日報/営業日報 still meet. A run of one character counts as itself.

Both give the same matrices as scikit-learn's ``CountVectorizer`` with a
Python analyzer (columns in sorted order, integer counts), but count the
whole corpus at once: the character n-grams are integer codes computed from
the code points with array operations, and the lemmas are factorised once,
instead of one Python call and one dictionary look-up per n-gram. At 50,000
answers this took 0.7 s instead of 2.1 s (``bench/``, 2026-12-01).

>>> counts, vocabulary = lemma_counts([["日報", "要約"], ["日報"]])
>>> vocabulary, counts.toarray().tolist()
(['日報', '要約'], [[1, 1], [1, 0]])
>>> ngram_terms(["営業日報を要約したい"])
['営業', '営業日', '日報', '業日', '業日報', '要約']
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import cache
from itertools import chain
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from analysis.text import LEXICON, Word, is_name_like, pieces

__all__ = [
    "NEGATED",
    "Features",
    "LabelTokens",
    "answer_features",
    "label_tokens",
    "lemma_counts",
    "ngram_counts",
    "ngram_terms",
]

_BREAK = re.compile(r"[\u3041-\u309f\s\W\d_]")  # hiragana, spaces, symbols, digits
_SHIFT = 21  # bits per code point (the largest is 0x10FFFF)
_MASK = (1 << _SHIFT) - 1
BLOCK = 50_000  # texts counted at once


class Features(NamedTuple):
    """Features of each distinct answer, one row per text."""

    vectors: sparse.csr_matrix  # joined lemma + character n-gram TF-IDF, unit rows
    counts: sparse.csr_matrix  # lemma counts per text
    vocabulary: list[str]  # the lemma of each column of ``counts``


@cache
def _breaks_bmp() -> np.ndarray:
    """True for each code point below U+10000 that breaks a run (the regex, asked once each)."""
    return np.array([_BREAK.match(chr(c)) is not None for c in range(0x10000)], dtype=bool)


def _breaks(points: np.ndarray) -> np.ndarray:
    table = _breaks_bmp()
    out = table[np.minimum(points, 0xFFFF)]
    high = points > 0xFFFF
    if high.any():  # emoji and rare kanji: the regex, once per distinct code point
        distinct, where = np.unique(points[high], return_inverse=True)
        out[high] = np.array([_BREAK.match(chr(c)) is not None for c in distinct])[where]
    return out


def _ngram_codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(text index, n-gram code) for every character n-gram occurrence.

    A code packs up to three code points as ``c1 << 42 | (c2 + 1) << 21 | (c3 + 1)``
    (0 for a missing place), so codes sort exactly as the n-gram strings do.
    """
    joined = "\n".join(texts)  # a line break breaks runs: no n-gram spans two texts
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    points = points.astype(np.int64)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    text_of = np.repeat(np.arange(len(texts)), lengths)[: len(points)]
    inside = np.concatenate([[False], ~_breaks(points), [False]])  # padded with breaks
    here, after, after2 = inside[1:-1], inside[2:], np.append(inside[3:], False)
    before = inside[:-2]
    nxt = np.append(points[1:], 0)
    nxt2 = np.append(points[2:], [0, 0])
    head = points << (2 * _SHIFT)
    single = np.flatnonzero(here & ~before & ~after)
    pairs = np.flatnonzero(here & after)
    triples = np.flatnonzero(here & after & after2)
    codes = np.concatenate(
        [
            head[single],
            head[pairs] | ((nxt[pairs] + 1) << _SHIFT),
            head[triples] | ((nxt[triples] + 1) << _SHIFT) | (nxt2[triples] + 1),
        ]
    )
    where = np.concatenate([single, pairs, triples])
    return text_of[where], codes


def _decode(code: int) -> str:
    first, second, third = code >> (2 * _SHIFT), (code >> _SHIFT) & _MASK, code & _MASK
    return chr(first) + (chr(second - 1) if second else "") + (chr(third - 1) if third else "")


def _count_matrix(
    rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]
) -> sparse.csr_matrix:
    counts = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, columns)), shape=shape)
    counts.sum_duplicates()
    return counts


def _block_counts(texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Counts of ``texts`` over the n-grams they hold, and those n-grams' codes (sorted)."""
    text_of, codes = _ngram_codes(texts)
    seen, column = np.unique(codes, return_inverse=True)
    return _count_matrix(text_of, column, (len(texts), len(seen))), seen


def ngram_counts(texts: list[str], *, min_df: int = 1) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Character n-gram counts per text, for n-grams in at least ``min_df`` texts.

    Returns the count matrix (texts x n-grams, columns in the n-grams' sorted
    order) and each column's n-gram code (see :func:`ngram_terms` for the strings).
    Texts are counted in blocks of :data:`BLOCK`, so the arrays of every single
    occurrence exist for one block at a time, never for a million answers.
    """
    blocks = [_block_counts(texts[i : i + BLOCK]) for i in range(0, len(texts), BLOCK)]
    vocabulary = np.unique(np.concatenate([seen for _, seen in blocks] or [[]])).astype(np.int64)
    parts = [
        sparse.csr_matrix(
            (part.data, np.searchsorted(vocabulary, seen)[part.indices], part.indptr),
            shape=(part.shape[0], len(vocabulary)),
        )
        for part, seen in blocks
    ]
    counts = (
        sparse.vstack(parts, format="csr")
        if parts
        else sparse.csr_matrix((0, len(vocabulary)), dtype=np.int64)
    )
    frequent = np.flatnonzero(np.bincount(counts.indices, minlength=len(vocabulary)) >= min_df)
    return counts[:, frequent], vocabulary[frequent]


def ngram_terms(texts: list[str], *, min_df: int = 1) -> list[str]:
    """The character n-grams of ``texts`` as strings, sorted (what the columns stand for)."""
    return [_decode(int(c)) for c in ngram_counts(texts, min_df=min_df)[1]]


def lemma_counts(tokens: list[list[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """Lemma counts per text (texts x lemmas, columns in sorted order) and the lemmas."""
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    flat = list(chain.from_iterable(tokens))
    if not flat:
        return sparse.csr_matrix((len(tokens), 0), dtype=np.int64), []
    column, vocabulary = pd.factorize(np.array(flat, dtype=object), sort=True)
    rows = np.repeat(np.arange(len(tokens)), lengths)
    return _count_matrix(rows, column, (len(tokens), len(vocabulary))), list(vocabulary)


def _tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    if counts.shape[1] == 0:
        return sparse.csr_matrix(counts.shape)
    return normalize(TfidfTransformer(sublinear_tf=True).fit_transform(counts))


def answer_features(texts: list[str], tokens: list[list[str]]) -> Features:
    """TF-IDF rows for clustering and lemma counts for labels, per distinct text.

    Both blocks keep terms found in at least two texts (one below 20 texts),
    are reweighted with sublinear tf and smoothed idf, scaled to unit length,
    joined, and scaled again.
    """
    min_df = 2 if len(texts) >= 20 else 1
    counts, vocabulary = lemma_counts(tokens)
    frequent = np.flatnonzero(np.bincount(counts.indices, minlength=counts.shape[1]) >= min_df)
    blocks = [_tfidf(counts[:, frequent]), _tfidf(ngram_counts(texts, min_df=min_df)[0])]
    joined = sparse.hstack(blocks, format="csr")
    vectors = normalize(joined) if joined.shape[1] else joined  # no term at all: no columns
    return Features(vectors, counts, vocabulary)


# --------------------------------------------------------------------------- label words

NEGATED = "_否定"  # suffix of a negated verb or adjective: 使う_否定 for 使えない
_NEGATORS = frozenset(["ない", "ず", "ぬ"])  # auxiliary lemmas (ません ends in ぬ's ん)
_MUST = frozenset(["行く", "成る", "駄目"])  # 使わないといけない / ならない / だめ: an obligation
_PREDICATES = frozenset(["動詞", "形容詞"])
_COMPOUND_PARTS = frozenset(["名詞", "接尾辞", "接頭辞"])
# kanji, katakana, latin
_COMPOUND_SCRIPT = re.compile(r"^[\u4e00-\u9fff\u3005\u30a0-\u30ffA-Za-z0-9]+$")


class LabelTokens(NamedTuple):
    """Words for topic labels: lemmas with negation and compounds marked, and written forms."""

    tokens: list[list[str]]
    forms: dict[str, str]  # each marked word as most often written (使えない, 議事録)


# One line per morpheme: surface, pos1, pos2, pos3, lemma, conjugation form (unidic-lite
# fields 0, 1, 2, 7, 5; an unknown word's surface stands in for its lemma), K for a word
# the dictionary holds or U for one it lacks, and an end mark that keeps a trailing
# empty field. Reading these strings is twice as fast as
# fugashi's nodes, whose features are built anew on every access.
_WORD_FORMAT = (
    r"-O '' --node-format=%m\\t%f[0]\\t%f[1]\\t%f[2]\\t%f[7]\\t%f[5]\\tK\\tE\\n"
    r" --unk-format=%m\\t%f[0]\\t%f[1]\\t%f[2]\\t%m\\t\\tU\\tE\\n --bos-format= --eos-format="
)


_Word = Word
# Characters that str.splitlines() breaks a line at besides "\n" (normalised texts hold none)
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _words(text: str) -> list[_Word]:
    """The morphemes of ``text`` (MeCab's "*" reads as ""), from the lexicon's key cache.

    :meth:`analysis.text.Lexicon.words` parses in the cheap key format and reads
    what each key stands for from its cache, which gives the same words as
    :func:`_parsed_words` at about the cost of the parse alone.
    """
    if _OTHER_BREAKS.search(text):  # a line break of another kind: read as it always was
        return _parsed_words(text)
    return LEXICON.words(text)


def _parsed_words(text: str) -> list[_Word]:
    """The morphemes of ``text``, from one parse string with the features of every token."""
    out = []
    tagger = LEXICON.tagger(_WORD_FORMAT)  # this thread's
    for piece in pieces(text):  # MeCab never gets more than one piece of a long answer
        for line in tagger.parse(piece).splitlines():
            fields = line.split("\t")
            if len(fields) == 8:
                values = [f if f != "*" else "" for f in fields[:6]]
                out.append(_Word(*values, known=fields[6] == "K"))
    return out


def _lemma(word: _Word) -> str:
    lemma = word.lemma or word.surface
    lemma = lemma.partition("-")[0] or lemma  # loanword lemmas look like ツール-tool
    return lemma.lower() if lemma.isascii() else lemma


def _marks(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, tuple[str, ...]]]]:
    """(negated lemma, written form) and (compound, its parts' lemmas) found in ``text``.

    A verb or adjective is negated when the auxiliaries right after it (せる,
    れる, ます ... in between) hold ない, ず or ぬ (使えない, 使わず, 使えません), or
    the adjective ない (使いたくない, 難しくない); an obligation (使わなければならない,
    使わないといけない) and a hedge (かもしれない) are not negations. A
    compound is a run of two or more nouns, prefixes and noun suffixes written
    in kanji, katakana or letters (議事 + 録, 生成 + AI), nouns that work as
    adverbs left out (今 + AI is no compound).
    """
    words = _words(text)
    negated: list[tuple[str, str]] = []
    compounds: list[tuple[str, tuple[str, ...]]] = []
    run: list[_Word] = []
    for i, word in enumerate([*words, None]):
        pos1 = word.pos1 if word is not None else ""
        # 今, 最近, 今後 work as adverbs: 今AI and 今後AI活用 are no compounds. A name, or
        # a noun the dictionary lacks (but for letters: AI, PM), is never part of one:
        # 木村案件 would bring back the surname that tokenizing leaves out.
        nounish = (
            pos1 in _COMPOUND_PARTS
            and word.pos2 != "数詞"
            and word.pos3 != "副詞可能"
            and not is_name_like(
                (pos1, word.pos2, word.pos3, ""), word.known or word.surface.isascii()
            )
        )
        if nounish and _COMPOUND_SCRIPT.match(word.surface):
            run.append(word)
            continue
        if len(run) >= 2:
            compounds.append(("".join(w.surface for w in run), tuple(_lemma(w) for w in run)))
        run = []
        if pos1 not in _PREDICATES or word.surface == "しれ":  # かもしれない: a hedge
            continue
        written = [word.surface]
        for j, follower in enumerate(words[i + 1 :], start=i + 1):
            if _negates(follower):
                # 知らなかった, 使えなくて: the negation as a dictionary form reads (知らない)
                written.append("ない" if follower.lemma in {"ない", "無い"} else follower.surface)
                if not _obliges(follower, words[j + 1 : j + 3]):
                    negated.append((_lemma(word), "".join(written)))
                break
            pos = follower.pos1
            if pos not in {"助動詞", "動詞", "接尾辞"} or (
                pos == "動詞" and follower.pos2 != "非自立可能"
            ):
                break
            written.append(follower.surface)
    return negated, compounds


def _negates(word: _Word) -> bool:
    """A negating auxiliary (ない, ず, ぬ), or the adjective ない (使いたくない, 難しくない)."""
    if word.pos1 == "助動詞":
        return word.lemma in _NEGATORS
    return word.pos1 == "形容詞" and word.lemma == "無い" and word.pos2 == "非自立可能"


def _obliges(negator: _Word, after: list[_Word]) -> bool:
    """True if the negation is an obligation: 使わなければならない, 使わなきゃ, 使わないといけない."""
    if (negator.form or "").startswith("仮定形"):
        return True
    return len(after) == 2 and after[0].surface == "と" and after[1].lemma in _MUST


def label_tokens(
    texts: list[str],
    tokens: list[list[str]],
    forms: dict[str, str],
    *,
    quotable: Sequence[bool] | None = None,
) -> LabelTokens:
    """``tokens`` (content lemmas per text) with negation and compounds kept, for labels.

    A lemma the text negates becomes ``lemma_否定`` (使う_否定, shown as the
    text wrote it: 使えない), so a topic of answers saying 分からない is not
    labelled 分かる. Nouns the dictionary splits (議事|録, 生成|AI) become one word
    where the compound is written in at least two texts (one below 20 texts);
    its parts' lemmas give way to it. ``texts`` are the texts as analysed
    (normalised, personal information taken out), so no name becomes a word.
    With ``quotable``, written forms come only from the texts it marks (a
    group too small to quote never shows how it wrote a word).

    >>> marked = label_tokens(["議事録を作れない", "議事録の要約"], [["議事", "作る"], ["議事", "要約"]], {})
    >>> marked.tokens, marked.forms["作る_否定"]
    ([['議事録', '作る_否定'], ['議事録', '要約']], '作れない')
    """
    found = [_marks(text) if text else ([], []) for text in texts]
    spread = Counter(c for _, compounds in found for c in {name for name, _ in compounds})
    least = 2 if len(texts) >= 20 else 1
    written: Counter[tuple[str, str]] = Counter()
    out = []
    weights = [True] * len(texts) if quotable is None else list(quotable)
    for lemmas, (negated, compounds), weight in zip(tokens, found, weights, strict=True):
        marked = list(lemmas)
        for name, parts in compounds:
            if spread[name] < least:
                continue
            places = [i for i, lemma in enumerate(marked) if lemma in parts]
            if not places:
                continue
            key = unicodedata.normalize("NFKC", name)
            key = key.lower() if key.isascii() else key
            marked[places[0]] = key
            marked = [m for i, m in enumerate(marked) if i not in places[1:]]
            written[key, name] += weight
        for lemma, surface in negated:
            if lemma in marked:
                marked[marked.index(lemma)] = lemma + NEGATED
                written[lemma + NEGATED, surface] += weight
        out.append(marked)
    shown = dict(forms)
    best: dict[str, int] = {}
    for (key, surface), n in sorted(written.items()):
        if n > best.get(key, 0):
            shown[key], best[key] = surface, n
    return LabelTokens(out, shown)
