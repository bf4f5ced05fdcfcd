"""Words for topic labels: negation and compounds kept, read from each answer's morphemes.

:func:`label_tokens` turns the content lemmas of :func:`analysis.text.tokenize_with_forms`
into the words a label shows: a negated verb or adjective becomes ``lemma_否定``
(使えない, not 使う) and a noun compound the dictionary splits becomes one word
(議事録, 生成AI). What it reads from each text, :func:`label_marks`, costs about one
more parse per text; for many texts the worker processes share it
(:mod:`analysis.workers`). Nothing here needs numpy or scikit-learn, so a worker
imports this module in a moment.

>>> marked = label_tokens(["議事録を作れない"], [["議事", "作る"]], {})
>>> marked.tokens, marked.forms["作る_否定"]
([['議事録', '作る_否定']], '作れない')
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from analysis import workers
from analysis.text import LEXICON, Word, is_name_like, pieces

__all__ = ["NEGATED", "LabelTokens", "Marks", "label_marks", "label_tokens"]

NEGATED = "_否定"  # suffix of a negated verb or adjective: 使う_否定 for 使えない
_NEGATORS = frozenset(["ない", "ず", "ぬ"])  # auxiliary lemmas (ません ends in ぬ's ん)
_MUST = frozenset(["行く", "成る", "駄目"])  # 使わないといけない / ならない / だめ: an obligation
_PREDICATES = frozenset(["動詞", "形容詞"])
_COMPOUND_PARTS = frozenset(["名詞", "接尾辞", "接頭辞"])
# kanji, katakana, latin, then at most two kana of okurigana (腹|落ち, 読み|書き)
_COMPOUND_SCRIPT = re.compile(r"^[\u4e00-\u9fff\u3005\u30a0-\u30ffA-Za-z0-9]+[\u3041-\u3096]{0,2}$")


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


class Marks(NamedTuple):
    """What :func:`label_tokens` reads from one text."""

    negated: list[tuple[str, str]]  # (lemma, as written): ("使う", "使えない")
    compounds: list[tuple[str, tuple[str, ...]]]  # (compound, its parts' lemmas)


_NO_MARKS = Marks([], [])
MARKS_PER_TASK = 2_500  # texts a worker reads for marks at a time


def label_marks(texts: Sequence[str], *, n_jobs: int | None = 1) -> list[Marks]:
    """The negations and compounds of each text (``texts`` as analysed), in order.

    ``n_jobs`` as for :func:`analysis.workers.jobs_for` (default: this process
    only); the worker processes give the same marks.

    >>> label_marks(["議事録は作れない", ""])
    [Marks(negated=[('作る', '作れない')], compounds=[('議事録', ('議事', '録'))]), Marks(negated=[], compounds=[])]
    """
    pieces = workers.map_pieces(
        _marks_of, list(texts), threshold=MARKS_PER_TASK, most=MARKS_PER_TASK, n_jobs=n_jobs
    )
    return [marks for piece in pieces for marks in piece]


def _marks_of(texts: Sequence[str]) -> list[Marks]:
    return [_marks(text) if text else _NO_MARKS for text in texts]


def _marks(text: str) -> Marks:
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
    return Marks(negated, compounds)


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
    marks: Sequence[Marks] | None = None,
) -> LabelTokens:
    """``tokens`` (content lemmas per text) with negation and compounds kept, for labels.

    A lemma the text negates becomes ``lemma_否定`` (使う_否定, shown as the
    text wrote it: 使えない), so a topic of answers saying 分からない is not
    labelled 分かる. Nouns the dictionary splits (議事|録, 生成|AI) become one word
    where the compound is written in at least two texts (one below 20 texts);
    its parts' lemmas give way to it. ``texts`` are the texts as analysed
    (normalised, personal information taken out), so no name becomes a word.
    With ``quotable``, written forms come only from the texts it marks (a
    group too small to quote never shows how it wrote a word). ``marks``: the
    texts' :func:`label_marks`, if the caller has them already (or started
    them in the worker processes while it did other work).

    >>> marked = label_tokens(["議事録を作れない", "議事録の要約"], [["議事", "作る"], ["議事", "要約"]], {})
    >>> marked.tokens, marked.forms["作る_否定"]
    ([['議事録', '作る_否定'], ['議事録', '要約']], '作れない')
    """
    found = label_marks(texts) if marks is None else marks
    if len(found) != len(texts):
        raise ValueError(f"{len(found)} marks for {len(texts)} texts")
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
