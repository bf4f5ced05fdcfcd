"""The fast paths of tokenizing, masking and label words give what the slow ones give.

Each fast path (key-format parse and cached keys, the "says something" shortcut of the
no-answer check, masking only where a name could be, label words from the key cache) is
checked against a per-text slow path on real answers: pairs of the free-text answers in
``../shared/realdata`` (福井県観光連盟, CC BY 4.0), plus each with a katakana word the
dictionary lacks. Expected tokens assume the unidic-lite dictionary (1.0.8).
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter

import pytest
from realdata import answer_pairs, needs_realdata, real_answers

from analysis import label_words, workers
from analysis import text as text_module
from analysis.masking import blank_pii
from analysis.text import Lexicon, normalize_text, start_workers_for

KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
ODD = [
    "田中さんに tanaka@example.co.jp か ０９０－１２３４－５６７８ まで",
    "佐藤部長と鈴木様に相談（社員番号：１２３４５）",
    "山田 太郎課長とYamada-sanに聞いた",
    "たくさんのお客様が様々な多様性",
    "池田部長と森様と東部長に相談した",
    "使えない議事録は分からない",
    "*",
    "あ" * 2_500 + "。日報の要約",
]


# A title after a name, and words that only hold one (たくさん, 同様, 様子, 皆さん ...)
TITLES = ["さくらさんに聞いた", "ひなたちゃんと話した", "東部長と岡本部長", "森本様と服部課長",
          "中村部長代理に相談", "山田 部長が来た", "たくさんの方が同様に様子を見ていた",
          "皆さんとお客様とパン屋さん", "杉本支店長と田中くん", "木村さん、たくさん", "大飯さん",
          "AIリーダーの佐々木リーダー", "先生方が多様な仕様で", "スタッフさんが模様替え"]  # fmt: skip


def _texts(n: int = 3_000) -> list[str]:
    """``n`` real answer pairs, a third of them again with an unknown word, and odd cases;
    each title case also inside a real answer."""
    pairs = answer_pairs(n, 17)
    rng = random.Random(3)
    unknown = [f"{t}（{''.join(rng.choice(KANA) for _ in range(6))}）" for t in pairs[: n // 3]]
    titled = [f"{pairs[i]}。{title}" for i, title in enumerate(TITLES)]
    return pairs + unknown + ODD + TITLES + titled


def _slow_pairs(lexicon: Lexicon, text: str) -> list[tuple[str, str]]:
    """(lemma, form) of every content word from a full-format parse of ``text`` alone."""
    return [value for _, value, _ in lexicon._learn(text) if value]


@needs_realdata
def test_tokens_are_the_per_text_full_parse_on_real_answers() -> None:
    texts = _texts()
    fast = Lexicon().tokenize_texts(texts, n_jobs=1)
    slow = Lexicon(cache_limit=0)  # nothing cached: every text parsed with the features
    assert fast == [[p[0] for p in _slow_pairs(slow, normalize_text(t))] for t in texts]


@needs_realdata
def test_forms_and_redactions_are_the_per_text_slow_path_on_real_answers() -> None:
    """Masking sees the morphemes only where a name could be: it must find every one anyway."""
    texts = _texts()
    fast = Lexicon().tokenize_with_forms(texts, redact=blank_pii, n_jobs=1)
    slow = Lexicon(cache_limit=0)
    cleaned = [blank_pii(normalize_text(t)) for t in texts]  # blank_pii parses on its own
    pairs = [_slow_pairs(slow, t) for t in cleaned]
    assert fast.texts == cleaned
    assert fast.tokens == [[p[0] for p in found] for found in pairs]
    counts = Counter(p for found in pairs for p in found)
    best: dict[str, tuple[int, str]] = {}
    for (lemma, form), n in sorted(counts.items()):
        if n > best.get(lemma, (0, ""))[0]:
            best[lemma] = (n, form)
    assert fast.forms == {lemma: form for lemma, (_, form) in best.items()}
    assert sum(a != b for a, b in zip(fast.texts, map(normalize_text, texts), strict=True)) > 10


@needs_realdata
@pytest.mark.parametrize("cache_limit", [1_000_000, 50, 0])
def test_label_words_from_the_key_cache_are_a_full_parse(cache_limit: int) -> None:
    lexicon = Lexicon(cache_limit=cache_limit)
    texts = [normalize_text(t) for t in _texts(1_000)]
    for _ in range(2):  # the first pass learns the keys, the second reads them back
        assert [lexicon.words(t) for t in texts] == [label_words._parsed_words(t) for t in texts]


def test_label_words_of_another_line_break_are_read_as_before() -> None:
    text = "議事録を\u2028作れない"
    assert label_words._words(text) == label_words._parsed_words(text)
    assert label_words.label_tokens([text], [["議事", "作る"]], {}).tokens == [
        ["議事録", "作る_否定"]
    ]


def _slow_normalized_answer(text: object) -> str | None:
    """The no-answer check without its shortcut (every text through the full check)."""
    if not isinstance(text, str):
        return None
    normalised = normalize_text(text)
    core = text_module._PUNCT_AND_SPACE.sub("", normalised).lower()
    if not core or all(unicodedata.category(c)[0] in "PSZ" or c in "ーｰ〜~" for c in core):
        return None
    return None if text_module._NO_ANSWER_RE.fullmatch(core) else normalised


NO_ANSWERS = ["特になし", "とくになし。", "N/A", "n/a", "None", "NOTHING", "無し", "特に、ない", "以上",
              "ー", "〜〜", "___", "…", "ｰｰ", "No comment", "現時点では思いつきません", "İ", "ſ"]  # fmt: skip


@needs_realdata
def test_the_says_something_shortcut_agrees_with_the_full_check() -> None:
    rng = random.Random(0)
    alphabet = "特になしないありませんでも以上n/aoetNAOE _-ー〜~。、!?…・「」()日報AI1２ｶ\u3000İſK"
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(5_000)]
    texts = [*real_answers(), *NO_ANSWERS, *made, None, 3.5]
    assert [text_module._normalized_answer(t) for t in texts] == list(
        map(_slow_normalized_answer, texts)
    )
    assert sum(_slow_normalized_answer(t) is None for t in made) > 100  # both kinds are there


def test_start_workers_for_a_small_batch_starts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    monkeypatch.setattr(workers, "start_soon", started.append)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    assert not start_workers_for(100)
    assert started == []
    assert start_workers_for(text_module._PROCESS_THRESHOLD + 1)
    assert started == [2]


@needs_realdata
def test_label_marks_in_the_workers_are_the_marks_of_this_process() -> None:
    texts = [normalize_text(t) for t in _texts(3_000)] + ["", "議事録を作れない"]
    here = label_words.label_marks(texts, n_jobs=1)
    assert label_words.label_marks(texts, n_jobs=2) == here
    assert here[-1] == label_words.Marks([("作る", "作れない")], [("議事録", ("議事", "録"))])
    assert here[-2] == label_words.Marks([], [])
    assert sum(bool(m.negated) for m in here) > 100  # real answers say ない often


@needs_realdata
def test_masking_gets_no_morphemes_for_words_that_only_hold_a_title() -> None:
    """たくさん and 同様 hold さん and 様, yet no name can come before them: masking is not
    asked to look (it was for 17% of real answers), and finds every name all the same
    (test_forms_and_redactions_are_the_per_text_slow_path_on_real_answers)."""
    asked: list[str] = []

    def redact(text: str, tokens: list) -> str:
        if tokens:
            asked.append(text)
        return blank_pii(text, tokens)

    plain = ["たくさんの方が同様に様子を見ていた", "先生方が多様な仕様で", "お客様の声"]
    titled = ["東部長に相談", "さくらさんに聞いた", "山田 部長が来た"]
    Lexicon().tokenize_with_forms(plain + titled, redact=redact, n_jobs=1)
    assert "お客様の声" in asked and all(t in asked for t in titled)
    assert "たくさんの方が同様に様子を見ていた" not in asked
    assert "先生方が多様な仕様で" in asked  # 仕|様 could be a name (仕) and a title inside a noun
