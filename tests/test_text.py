"""Normalisation and tokenization. Expected tokens assume the unidic-lite dictionary (1.0.8)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import analysis.text as text_module
from analysis import workers
from analysis.text import (
    STOP_WORDS,
    display_forms,
    is_no_answer,
    morphemes,
    normalize_text,
    normalized_answers,
    tokenize,
    tokenize_texts,
    tokenize_with_forms,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＩ導入", "AI導入"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("０９０－１２３４", "090-1234"),
        ("全角　スペース", "全角 スペース"),
        ("改行\nと\tタブ", "改行 と タブ"),
        ("  前後の空白  ", "前後の空白"),
        ("NUL\x00文字", "NUL 文字"),
        ("①②", "12"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # nouns, sahen nouns, verbs to their lemma
        ("営業日報を要約してほしい", ["営業", "日報", "要約"]),
        ("ツールを使って議事録を作る", ["ツール", "使う", "議事", "作る"]),
        # loanword lemma ツール-tool is cut at the hyphen; ASCII is lower-cased
        ("ChatGPTのツール", ["chatgpt", "ツール"]),
        ("ＡＩに仕事を奪われるのが不安", ["ai", "仕事", "奪う", "不安"]),
        # adjectives and 形状詞 stay, auxiliaries and particles go
        ("説明が難しくて不便だった", ["説明", "難しい", "不便"]),
        ("静かで綺麗な職場", ["静か", "奇麗", "職場"]),
        # numbers, counters and symbols go
        ("3か月後に2回目の研修！", ["研修"]),
        ("2024年1月1日", []),
        # stop words: する, 思う, こと, ある, なる, よう, ため, もの, 感じる, 特に
        ("特にそう思うことがある", []),
        ("ためになるものだと感じる", []),
        ("できるようになった", []),
        # person names never become terms; places do
        ("田中さんと福井で研修", ["福井", "研修"]),
        # spelling variants share one lemma
        ("わかりやすい", ["分かる"]),
        ("分かりやすい", ["分かる"]),
        ("", []),
    ],
)
def test_tokenize_table(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


def test_stop_words_hold_the_survey_fillers() -> None:
    for word in [
        "思う",
        "こと",
        "特に",
        "なし",
        "する",
        "ある",
        "いる",
        "なる",
        "よう",
        "ため",
        "もの",
        "感じる",
    ]:
        assert word in STOP_WORDS


@pytest.mark.parametrize(
    "text",
    [
        "特になし",
        "なし",
        "ない",
        "-",
        "ー",
        "特にありません",
        "N/A",
        "n/a",
        "無し",
        "",
        "   ",
        "\n",
        "特になし。",
        "とくになし",
        "特に無いです",
        "なし！",
        "―",
        "...",
        "該当なし",
        "None",
        "以上",
    ],
)
def test_is_no_answer_true(text: str) -> None:
    assert is_no_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "不安がない",
        "ないと困る",
        "時間がない",
        "特に日報の要約",
        "AI",
        "いいえ、必要です",
        "なしでは無理",
        "PoC疲れ",
        "-3点",
    ],
)
def test_is_no_answer_false(text: str) -> None:
    assert not is_no_answer(text)


@pytest.mark.parametrize("value", [None, float("nan"), 3])
def test_non_strings_are_no_answer(value: object) -> None:
    assert is_no_answer(value)


@pytest.mark.parametrize("text", ["\x00", "\x07\x1f", "\x00なし"])
def test_control_characters_alone_say_nothing(text: str) -> None:
    assert is_no_answer(text)  # MeCab would see spaces: an empty answer, not a topic


def test_normalized_answers_are_normalize_text_where_something_is_said() -> None:
    texts = [
        "ＡＩで日報",
        "特になし。",
        None,
        "ＡＩで日報",
        "  議事録\nを作る ",
        "ー",
        float("nan"),
    ]
    expected = [None if is_no_answer(t) else normalize_text(t) for t in texts]
    assert normalized_answers(texts) == expected
    assert expected == ["AIで日報", None, None, "AIで日報", "議事録 を作る", None, None]


def test_tokenize_texts_keeps_order_and_gives_fresh_lists() -> None:
    texts = ["日報の要約", "議事録", "日報の要約", "ＡＩ", "AI"]
    result = tokenize_texts(texts)
    assert result == [["日報", "要約"], ["議事"], ["日報", "要約"], ["ai"], ["ai"]]
    result[0].append("x")
    assert result[2] == ["日報", "要約"]


def test_tokenize_texts_rejects_a_single_string() -> None:
    with pytest.raises(ValueError, match="sequence"):
        tokenize_texts("日報")


def test_non_string_items_give_empty_lists() -> None:
    assert tokenize_texts([None, "研修", float("nan")]) == [[], ["研修"], []]  # type: ignore[list-item]


def test_display_forms_pick_the_most_common_spelling() -> None:
    forms = display_forms(["わかりにくい", "わかりやすい", "分かりやすい", "ＡＩツール"])
    assert forms["分かる"] == "わかる"
    assert forms["ai"] == "AI"
    assert forms["ツール"] == "ツール"


def test_tokenize_with_forms_agrees_with_tokenize_texts() -> None:
    texts = ["会議の準備が大変", "議事録をAIで作る", "会議の準備が大変"]
    assert tokenize_with_forms(texts).tokens == tokenize_texts(texts)


def _corpus() -> list[str]:
    parts = [
        "営業日報",
        "議事録",
        "マニュアル",
        "メール",
        "翻訳",
        "データ分析",
        "研修資料",
        "問い合わせ",
    ]
    ends = ["を要約したい", "が不安です", "にＡＩを使う", "の目的が分からない", "で残業が減った"]
    return [f"{a}{b}、{c}{d}" for a in parts for b in ends for c in parts for d in ends][:600]


def test_eight_threads_give_the_sequential_result() -> None:
    texts = _corpus()
    expected = [tokenize_texts([t])[0] for t in texts]
    barrier = threading.Barrier(8)

    def work(offset: int) -> list[list[str]]:
        barrier.wait()
        rotated = texts[offset:] + texts[:offset]
        out = tokenize_texts(rotated)
        return out[len(texts) - offset :] + out[: len(texts) - offset]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(0, 8 * 37, 37)))
    for result in results:
        assert result == expected


def test_worker_processes_give_the_in_process_result(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _corpus()
    expected = tokenize_texts(texts, n_jobs=1)
    expected_forms = tokenize_with_forms(texts, n_jobs=1).forms
    monkeypatch.setattr(text_module, "_CHUNK", 64)
    in_workers = tokenize_texts(texts, n_jobs=2)
    assert in_workers == expected
    assert len({id(tokens) for tokens in in_workers}) == len(texts)  # a fresh list each
    assert tokenize_with_forms(texts, n_jobs=2).forms == expected_forms
    assert workers._pool is not None  # the work really went to the workers


@pytest.mark.parametrize(
    "text",
    ["鈴木さん、ありがとう", "改行\nのある\t回答", "ＡＩ　全角\u3000と  空白", "NUL\x00まじり"],
)
def test_morpheme_offsets_point_into_the_original_text(text: str) -> None:
    found = morphemes(text)
    assert found
    for m in found:
        assert text[m.start : m.end] == m.surface
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_morphemes_mark_person_names_and_unknown_words() -> None:
    found = {m.surface: m for m in morphemes("鈴木さんとｸﾞｸﾞﾚｶｽ")}
    assert found["鈴木"].pos[:3] == ("名詞", "固有名詞", "人名")
    assert found["鈴木"].known
    assert not found["ｸﾞｸﾞﾚｶｽ"].known


def test_a_broken_worker_pool_falls_back_to_this_process(
    monkeypatch: pytest.MonkeyPatch, broken_pool: None
) -> None:
    texts = _corpus()[:80]
    expected = tokenize_texts(texts, n_jobs=1)
    monkeypatch.setattr(text_module, "_PROCESS_THRESHOLD", 10)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    assert tokenize_texts(texts) == expected  # n_jobs=None: above the threshold, two cores
    assert workers._pool_broken and workers._pool is None
    assert tokenize_texts(texts, n_jobs=2) == expected  # and stays in this process


def test_cached_keys_give_the_same_tokens_as_a_full_parse() -> None:
    """The fast path looks tokens up by (surface, context ids, cost): it must agree with the features."""
    check = Path(__file__).resolve().parent / "data" / "topic_check_set.csv"
    texts = [row.split(",")[0] for row in check.read_text(encoding="utf-8").splitlines()[1:]]
    texts += _corpus() + ["ｸﾞｸﾞﾚｶｽ", "ChatGPTとGeminiを比較", "方が良い方法", "その方の方針"]
    normalised = [normalize_text(t) for t in texts]
    tokenize_texts(texts)  # fill the key cache
    cached = tokenize_texts(texts)
    learn = text_module.LEXICON._learn
    full = [[value[0] for _, value, _ in learn(t) if value] for t in normalised]
    assert cached == full


# --------------------------------------------------------------------------- issue 16: long answers

LONG = 200_000
#: Answers of 200,000 characters that once ended MeCab (about 190,000 letters in
#: one run was a segmentation fault), as the child process below builds them.
LONG_ANSWERS = {
    "letters": '"a" * n',
    "digits and letters": '("abc1defg2h" * n)[:n]',
    "kana": '"あ" * n',
    "one long word": '("ソリューション" * n)[:n]',
}
_CHILD = """
import sys
from analysis.masking import mask_pii
from analysis.text import tokenize_texts, tokenize_with_forms
from analysis.masking import blank_pii
from analysis.topics import fit_topics
n = {n}
text = {expr}
assert tokenize_texts([text])[0] is not None
tokenize_with_forms([text, "日報の要約"], redact=blank_pii)
assert len(mask_pii(text)) >= n // 2
result = fit_topics([text, "日報の要約", "議事録の作成", "日報を要約"], min_group=1)
assert result.notes, result
print("ok")
"""


@pytest.mark.parametrize("kind", LONG_ANSWERS)
def test_issue16_long_answer_does_not_kill_the_process(kind: str) -> None:
    """Tokenizing, masking and topics on one 200,000-character answer end normally."""
    import subprocess
    import sys

    code = _CHILD.format(n=LONG, expr=LONG_ANSWERS[kind])
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize(
    "text",
    [
        "日報の要約が楽になった。" * 400,  # sentence ends
        "議事録 " * 800,  # spaces only
        "abcdefghij" * 500,  # no break at all
        "あ" * 4_999 + "\u3099" + "い" * 10,  # a combining mark right at a cut
    ],
)
def test_tokens_of_a_cut_answer_are_its_pieces_tokens(text: str) -> None:
    pieces = text_module.pieces(text)
    assert "".join(pieces) == text
    assert all(len(p) <= 2_000 for p in pieces)
    assert not any(p[0] == "\u3099" for p in pieces)  # never cut a mark from its letter
    whole = tokenize_texts([text])[0]
    assert whole == [t for p in pieces for t in tokenize_texts([p])[0]]
    assert [m.surface for m in morphemes(text)] == [m.surface for p in pieces for m in morphemes(p)]


def test_morphemes_of_a_cut_answer_keep_their_offsets() -> None:
    text = "田中さんに相談した。" * 500
    found = morphemes(text)
    assert all(text[m.start : m.end] == m.surface for m in found)
    assert found[-1].end == len(text)  # the last 。 is a token too
    assert sum(m.surface == "田中" for m in found) == 500


def test_only_the_first_20000_characters_of_an_answer_are_analysed() -> None:
    long = "日報の要約。" * 3_000 + "議事録"  # 18,003 + more characters: 議事録 is past the cap
    longer = "日報の要約。" * 4_000 + "議事録"
    assert len(normalize_text(longer)) <= text_module.MAX_ANALYSED_CHARS
    assert "議事" in tokenize(long)
    assert "議事" not in tokenize(longer)
    assert text_module.long_answer_note([long]) is None
    note = text_module.long_answer_note([longer, "短い"])
    assert note is not None and "1件" in note and "20,000文字" in note


@pytest.mark.parametrize(
    ("with_particle", "without"),
    [
        ("部署によって効果が違う", "部署で効果が違う"),
        ("AIによる要約が役立つ", "AIの要約が役立つ"),
        ("現場では使えるかもしれない", "現場では使える"),
        ("規程により禁止", "規程で禁止"),
    ],
)
def test_compound_particles_add_no_word(with_particle: str, without: str) -> None:
    """によって, による, により and かもしれない hold the verbs 因る and 知れる; they said
    nothing and were words of the sample's co-occurrence network (しれる, よる)."""
    assert tokenize(with_particle) == tokenize(without)
    assert not {"因る", "知れる"} & {w for t in tokenize_texts([with_particle]) for w in t}
