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

import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from analysis.errors import SurveyError
from analysis.privacy import MIN_GROUP_COMMENTS, group_cells, visible_groups
from analysis.text import is_no_answer, normalize_text, tokenize_texts, tokenize_with_forms

__all__ = [
    "THEMES_FILE",
    "Theme",
    "ThemeEntry",
    "check_entries",
    "compile_themes",
    "default_entries",
    "describe_change",
    "load_themes",
    "split_terms",
    "theme_counts",
    "themes_of",
]

THEMES_FILE = Path(__file__).resolve().parent / "themes.toml"


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
        if len(tokens) == 1 and plain in {
            tokens[0].casefold(),
            analysed.forms[tokens[0]].casefold(),
        }:
            lemmas.add(tokens[0])
        else:  # several lemmas, a suffix dropped, or a stop word: find it as written
            as_phrases.append(plain)
    return Theme(name, description, frozenset(lemmas), tuple(dict.fromkeys(as_phrases)))


class ThemeEntry(NamedTuple):
    """One theme as HR writes it: its name, what it is about, and the words and phrases that find it.

    A plain tuple of strings, so a dictionary (a tuple of entries) can key a cache.
    """

    name: str
    description: str = ""
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()


# Limits on a dictionary HR edits (設定): enough for any survey, small enough to stay readable.
MAX_THEMES = 50
MAX_TERMS = 200  # words and phrases of one theme together
MAX_NAME_LENGTH = 40
MAX_TERM_LENGTH = 40
MAX_DESCRIPTION_LENGTH = 200
_SEPARATORS = re.compile(r"[,，、;；\n]+")


@lru_cache(maxsize=8)
def _entries(path: str, stamp: float) -> tuple[ThemeEntry, ...]:
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
    found = []
    for number, entry in enumerate(entries, start=1):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise SurveyError(f"{number}番目のテーマに name がありません", file=path)
        words, phrases = entry.get("words", []), entry.get("phrases", [])
        if not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in (words, phrases)
        ):
            raise SurveyError(
                f"テーマ「{name}」の words と phrases は文字列のリストにしてください", file=path
            )
        if not words and not phrases:
            raise SurveyError(f"テーマ「{name}」に words も phrases もありません", file=path)
        found.append(
            ThemeEntry(
                name.strip(), str(entry.get("description", "")), tuple(words), tuple(phrases)
            )
        )
    if len({e.name for e in found}) != len(found):
        raise SurveyError("テーマ名が重複しています", file=path)
    return tuple(found)


def default_entries(path: str | Path | None = None) -> tuple[ThemeEntry, ...]:
    """The entries of a TOML dictionary (default: the bundled ``themes.toml``), in file order.

    >>> [e.name for e in default_entries()][:2], default_entries()[0].words[:2]
    (['雇用不安', 'PoC疲れ'], ('雇用', '失業'))
    """
    target = Path(path) if path is not None else THEMES_FILE
    try:
        stamp = target.stat().st_mtime
    except OSError as error:
        raise SurveyError(
            f"テーマ辞書が見つかりません（{error.strerror}）", file=str(target)
        ) from error
    return _entries(str(target), stamp)


@lru_cache(maxsize=16)
def compile_themes(entries: tuple[ThemeEntry, ...]) -> tuple[Theme, ...]:
    """The themes that match answers, from a dictionary's entries (kept for the same entries).

    >>> [t.name for t in compile_themes((ThemeEntry("議事録", words=("議事録",)),))]
    ['議事録']
    """
    return tuple(_compile(e.name, e.description, e.words, e.phrases) for e in entries)


def load_themes(path: str | Path | None = None) -> tuple[Theme, ...]:
    """Themes from a TOML file (default: the bundled ``themes.toml``), in file order.

    Reloaded when the file changes. Raises :class:`analysis.errors.SurveyError`
    with a Japanese message if the file cannot be read or is malformed.
    HR's edited dictionary, when there is one, comes from
    :meth:`analysis.store.WaveStore.themes` instead.

    >>> [t.name for t in load_themes()][:3]
    ['雇用不安', 'PoC疲れ', '孤立・板挟み']
    """
    return compile_themes(default_entries(path))


def split_terms(cell: object) -> tuple[str, ...]:
    """Words typed in one cell, separated by commas or 、 (full or half width), each once.

    >>> split_terms("雇用、 失業,リストラ，雇用、")
    ('雇用', '失業', 'リストラ')
    >>> split_terms(None), split_terms(["議事録", " 要約 "])
    ((), ('議事録', '要約'))
    """
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ()
    parts = cell if isinstance(cell, list | tuple) else _SEPARATORS.split(str(cell))
    return tuple(dict.fromkeys(p.strip() for p in map(str, parts) if p.strip()))


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def check_entries(rows: Iterable[ThemeEntry | Sequence[object]]) -> tuple[ThemeEntry, ...]:
    """A dictionary HR typed, made tidy, or a :class:`SurveyError` in Japanese.

    Each row is (name, description, words, phrases); words and phrases may be one
    string separated by commas or 、. Rows with nothing in them are dropped (the
    editor's blank rows). Refused: a row without a name, a name twice, a theme with
    no word and no phrase, a name or word too long, too many themes or words.

    >>> check_entries([("議事録", "", "議事録、要約", ""), ("", "", "", "")])
    (ThemeEntry(name='議事録', description='', words=('議事録', '要約'), phrases=()),)
    >>> check_entries([("議事録", "", "", "")])
    Traceback (most recent call last):
    ...
    analysis.errors.SurveyError: 1行目: テーマ「議事録」に語も言い回しもありません。1つ以上入力してください。
    """
    found: list[ThemeEntry] = []
    seen: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        name, description, words, phrases = (list(row) + [None] * 4)[:4]
        name, description = _cell(name), _cell(description)
        words, phrases = split_terms(words), split_terms(phrases)
        if not (name or description or words or phrases):
            continue
        if not name:
            raise SurveyError("テーマ名が空です。テーマ名を入力してください。", row=number)
        if len(name) > MAX_NAME_LENGTH:
            raise SurveyError(
                f"テーマ名「{name[:MAX_NAME_LENGTH]}…」が長すぎます（{MAX_NAME_LENGTH}文字まで）。",
                row=number,
            )
        folded = _fold(name).strip()
        if folded in seen:
            raise SurveyError(
                f"テーマ「{name}」が2回あります（「{seen[folded]}」と同じ名前）。1行にまとめてください。",
                row=number,
            )
        seen[folded] = name
        if not words and not phrases:
            raise SurveyError(
                f"テーマ「{name}」に語も言い回しもありません。1つ以上入力してください。", row=number
            )
        if len(words) + len(phrases) > MAX_TERMS:
            raise SurveyError(
                f"テーマ「{name}」の語と言い回しが多すぎます（合わせて{MAX_TERMS}個まで）。",
                row=number,
            )
        for term in (*words, *phrases):
            if len(term) > MAX_TERM_LENGTH:
                raise SurveyError(
                    f"テーマ「{name}」の語「{term[:MAX_TERM_LENGTH]}…」が長すぎます"
                    f"（{MAX_TERM_LENGTH}文字まで）。",
                    row=number,
                )
        if len(description) > MAX_DESCRIPTION_LENGTH:
            raise SurveyError(
                f"テーマ「{name}」の説明が長すぎます（{MAX_DESCRIPTION_LENGTH}文字まで）。",
                row=number,
            )
        found.append(ThemeEntry(name, description, words, phrases))
    if not found:
        raise SurveyError(
            "テーマが1つもありません。標準の辞書に戻すときは「標準の辞書に戻す」を押してください。"
        )
    if len(found) > MAX_THEMES:
        raise SurveyError(f"テーマが多すぎます（{len(found)}個。{MAX_THEMES}個まで）。")
    return tuple(found)


def describe_change(before: Sequence[ThemeEntry], after: Sequence[ThemeEntry]) -> str:
    """What changed between two dictionaries, in a line for the audit log (``""``: nothing).

    >>> a, b = ThemeEntry("雇用不安", words=("雇用",)), ThemeEntry("議事録", words=("議事録",))
    >>> describe_change([a], [a._replace(words=("雇用", "失業")), b])
    '追加: 議事録／語を変更: 雇用不安（+失業）'
    >>> describe_change([a, b], [b, a])
    '並べ替え'
    """
    old, new = {e.name: e for e in before}, {e.name: e for e in after}
    parts = []
    if added := [n for n in new if n not in old]:
        parts.append("追加: " + "、".join(added))
    if removed := [n for n in old if n not in new]:
        parts.append("削除: " + "、".join(removed))
    changed = []
    for name in (n for n in new if n in old and new[n] != old[n]):
        was, now = old[name], new[name]
        was_terms, now_terms = {*was.words, *was.phrases}, {*now.words, *now.phrases}
        delta = [f"+{t}" for t in (*now.words, *now.phrases) if t not in was_terms]
        delta += [f"-{t}" for t in (*was.words, *was.phrases) if t not in now_terms]
        changed.append(f"{name}（{' '.join(delta) or '説明など'}）")
    if changed:
        parts.append("語を変更: " + "、".join(changed))
    if not parts and list(before) != list(after):
        parts.append("並べ替え")
    return "／".join(parts)


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
    cells = group_cells(len(texts), roles, waves)
    themes = load_themes() if themes is None else tuple(themes)
    found = themes_of(texts, themes=themes)
    sizes: Counter[tuple[str, str]] = Counter()
    mentions: Counter[tuple[str, str, str]] = Counter()
    for (r, w), text, names in zip(cells, texts, found, strict=True):
        if is_no_answer(text):  # (themes_of found no theme in it either)
            continue
        sizes[r, w] += 1
        for name in names:
            mentions[r, w, name] += 1
    shown = set(visible_groups(sizes, min_group))  # checks min_group, too
    records = [
        {
            "role": r,
            "wave": w,
            "theme": t.name,
            "n_answers": size,
            "n_mentions": mentions[r, w, t.name],
            "share": mentions[r, w, t.name] / size,
        }
        for (r, w), size in sorted(sizes.items())
        if (r, w) in shown
        for t in themes
    ]
    return pd.DataFrame(
        records, columns=["role", "wave", "theme", "n_answers", "n_mentions", "share"]
    )
