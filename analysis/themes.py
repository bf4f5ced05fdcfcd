"""An editable dictionary of AI-adoption themes and theme counts by role x wave.

The themes live in ``themes.toml`` next to this module (雇用不安, PoC疲れ,
孤立・板挟み, 心理的安全性, 目的・必要性, 業務効率化, スキル不安,
ルール・ガバナンス, ユースケース提案). Each has ``words``, matched on content
lemmas so that inflected forms count (奪う finds 奪われる), and ``phrases``,
matched as substrings of the NFKC-normalised, case-folded answer (仕事を奪).
A word the tokenizer cannot read as one content lemma (人員削減, a stop word)
is matched as a phrase instead.

>>> [themes_of_text for themes_of_text in themes_of(["AIに仕事を奪われそう", "議事録の要約に使いたい", "特になし"])]
[['雇用不安'], ['ユースケース提案'], []]
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.errors import SurveyError
from analysis.privacy import MIN_GROUP_COMMENTS, MISSING
from analysis.text import is_no_answer, normalize_text, tokenize_texts, tokenize_with_forms

__all__ = ["THEMES_FILE", "Theme", "load_themes", "theme_counts", "themes_of"]

THEMES_FILE = Path(__file__).resolve().parent / "themes.toml"
WHOLE = "全体"  # the value of a dimension that was not given
UNKNOWN = MISSING  # a row whose role or wave is missing: the one label, 「（不明）」


@dataclass(frozen=True)
class Theme:
    """One theme: a name, what it is about, and what finds it."""

    name: str
    description: str
    lemmas: frozenset[str]  # content lemmas, any of which marks the theme
    phrases: tuple[str, ...]  # NFKC, case-folded substrings

    def matches(self, lemmas: set[str] | frozenset[str], folded_text: str) -> bool:
        """True if an answer with these lemmas and this folded text mentions the theme.

        >>> theme = load_themes()[0]
        >>> theme.name, theme.matches({"奪う"}, ""), theme.matches(set(), "仕事がなくなる"), theme.matches(set(), "")
        ('雇用不安', True, True, False)
        """
        return not self.lemmas.isdisjoint(lemmas) or any(p in folded_text for p in self.phrases)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _compile(name: str, description: str, words: Sequence[str], phrases: Sequence[str]) -> Theme:
    words = [w for w in words if w.strip()]
    analysed = tokenize_with_forms(words)
    lemmas: set[str] = set()
    as_phrases = [_fold(p).strip() for p in phrases if p.strip()]
    for word, tokens in zip(words, analysed.tokens, strict=True):
        plain = normalize_text(word).casefold()
        if len(tokens) == 1 and plain in {tokens[0].casefold(), analysed.forms[tokens[0]].casefold()}:
            lemmas.add(tokens[0])
        else:  # several lemmas, a suffix dropped, or a stop word: find it as written
            as_phrases.append(plain)
    return Theme(name, description, frozenset(lemmas), tuple(dict.fromkeys(as_phrases)))


@lru_cache(maxsize=8)
def _load(path: str, stamp: float) -> tuple[Theme, ...]:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as error:
        raise SurveyError(f"テーマ辞書を開けません（{error.strerror}）", file=path) from error
    except tomllib.TOMLDecodeError as error:
        raise SurveyError(f"テーマ辞書の書式が正しくありません: {error}", file=path) from error
    entries = data.get("theme")
    if not isinstance(entries, list) or not entries:
        raise SurveyError("テーマ辞書に [[theme]] がありません", file=path)
    themes = []
    for number, entry in enumerate(entries, start=1):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise SurveyError(f"{number}番目のテーマに name がありません", file=path)
        words, phrases = entry.get("words", []), entry.get("phrases", [])
        if not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in (words, phrases)):
            raise SurveyError(f"テーマ「{name}」の words と phrases は文字列のリストにしてください", file=path)
        if not words and not phrases:
            raise SurveyError(f"テーマ「{name}」に words も phrases もありません", file=path)
        themes.append(_compile(name.strip(), str(entry.get("description", "")), words, phrases))
    if len({t.name for t in themes}) != len(themes):
        raise SurveyError("テーマ名が重複しています", file=path)
    return tuple(themes)


def load_themes(path: str | Path | None = None) -> tuple[Theme, ...]:
    """Themes from a TOML file (default: the bundled ``themes.toml``), in file order.

    Reloaded when the file changes. Raises :class:`analysis.errors.SurveyError`
    with a Japanese message if the file cannot be read or is malformed.

    >>> [t.name for t in load_themes()][:3]
    ['雇用不安', 'PoC疲れ', '孤立・板挟み']
    """
    target = Path(path) if path is not None else THEMES_FILE
    try:
        stamp = target.stat().st_mtime
    except OSError as error:
        raise SurveyError(f"テーマ辞書が見つかりません（{error.strerror}）", file=str(target)) from error
    return _load(str(target), stamp)


def themes_of(texts: Sequence[str], *, themes: Sequence[Theme] | None = None) -> list[list[str]]:
    """Names of the themes each answer mentions, in dictionary order (``[]`` for no answer).

    >>> themes_of(["ＰｏＣばかりで疲れた。誰にも相談できない"])
    [['PoC疲れ', '孤立・板挟み']]
    """
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of answers, not one string")
    themes = load_themes() if themes is None else themes
    answered = [not is_no_answer(t) for t in texts]
    kept = [t if a else "" for t, a in zip(texts, answered, strict=True)]
    tokens = tokenize_texts(kept)
    found = []
    for text, ok, lemmas in zip(kept, answered, tokens, strict=True):
        if not ok:
            found.append([])
            continue
        lemma_set, folded = set(lemmas), _fold(text)
        found.append([t.name for t in themes if t.matches(lemma_set, folded)])
    return found


def _label(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return UNKNOWN
    return str(value).strip() or UNKNOWN


def theme_counts(
    texts: Sequence[str],
    *,
    roles: Sequence[str | None] | None = None,
    waves: Sequence[str | None] | None = None,
    min_group: int = MIN_GROUP_COMMENTS,
    themes: Sequence[Theme] | None = None,
) -> pd.DataFrame:
    """How many answers mention each theme, per role x wave group.

    Parameters
    ----------
    texts : sequence of str
        Answers as typed, one per respondent row.
    roles, waves : sequence of str or None, optional
        Role and wave per row; a dimension not given is 全体, a missing value 不明.
    min_group : int
        Groups with fewer answers that say something are left out.
    themes : sequence of Theme, optional
        Defaults to :func:`load_themes`.

    Returns
    -------
    DataFrame
        ``role``, ``wave``, ``theme``, ``n_answers`` (answers in the group
        that say something), ``n_mentions`` (of those, answers mentioning the
        theme), ``share`` (``n_mentions / n_answers``); every theme for every
        group shown, in dictionary order.

    Examples
    --------
    >>> texts = ["AIに仕事を奪われる"] * 2 + ["議事録を任せたい"] * 3 + ["特になし"]
    >>> table = theme_counts(texts, min_group=5)
    >>> table[table.n_mentions > 0][["theme", "n_answers", "n_mentions", "share"]].values.tolist()
    [['雇用不安', 5, 2, 0.4], ['ユースケース提案', 5, 3, 0.6]]
    """
    texts = list(texts)
    n = len(texts)
    for name, values in (("roles", roles), ("waves", waves)):
        if values is not None and len(values) != n:
            raise ValueError(f"{name} has {len(values)} values but there are {n} texts")
    themes = load_themes() if themes is None else tuple(themes)
    role = [_label(r) for r in roles] if roles is not None else [WHOLE] * n
    wave = [_label(w) for w in waves] if waves is not None else [WHOLE] * n
    found = themes_of(texts, themes=themes)
    sizes: Counter[tuple[str, str]] = Counter()
    mentions: Counter[tuple[str, str, str]] = Counter()
    for r, w, text, names in zip(role, wave, texts, found, strict=True):
        if is_no_answer(text):
            continue
        sizes[r, w] += 1
        for name in names:
            mentions[r, w, name] += 1
    records = [
        {"role": r, "wave": w, "theme": t.name, "n_answers": size, "n_mentions": mentions[r, w, t.name],
         "share": mentions[r, w, t.name] / size}
        for (r, w), size in sorted(sizes.items())
        if size >= min_group
        for t in themes
    ]
    return pd.DataFrame(records, columns=["role", "wave", "theme", "n_answers", "n_mentions", "share"])
