"""Masking of personal information. Name cases assume the unidic-lite dictionary (1.0.8)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis.text as text_module
from analysis import workers
from analysis.masking import Pii, blank_pii, find_pii, mask_pii
from analysis.text import morphemes, normalize_text, tokenize_texts, tokenize_with_forms

MASKED = [
    # e-mail
    ("連絡は tanaka@example.co.jp まで", "連絡は 〔メール〕 まで"),
    ("ｔａｎａｋａ＠ｅｘａｍｐｌｅ．ｃｏｍに送って", "〔メール〕に送って"),
    ("a.b+c@sub.example.org。", "〔メール〕。"),
    # phone numbers, half and full width, any dash
    ("携帯は090-1234-5678です", "携帯は〔電話〕です"),
    ("０９０－１２３４－５６７８に電話", "〔電話〕に電話"),
    ("携帯（０８０－１１１１－２２２２）まで", "携帯（〔電話〕）まで"),  # the bracket stays
    ("電話(03-1234-5678)", "電話(〔電話〕)"),
    ("０９０ー１２３４ー５６７８", "〔電話〕"),
    ("03-1234-5678（代表）", "〔電話〕（代表）"),
    ("(03)1234-5678", "〔電話〕"),
    ("09012345678", "〔電話〕"),
    ("+81-90-1234-5678", "〔電話〕"),
    ("0120-123-456まで", "〔電話〕まで"),
    ("内線1234", "〔電話〕"),
    ("内線は５６７８です", "〔電話〕です"),
    ("内線⑤⑥⑦⑧", "〔電話〕"),  # digits only after NFKC: the text is normalised to look
    # employee numbers and ID-like codes
    ("社員番号12345です", "〔社員番号〕です"),
    ("社員番号：１２３４５", "〔社員番号〕"),
    ("社員番号：¹²³⁴⁵", "〔社員番号〕"),
    ("従業員ID: A-00123", "〔社員番号〕"),
    ("私はE12345です", "私は〔社員番号〕です"),
    ("EMP-0042の件", "〔社員番号〕の件"),
    ("ＩＤ１２３４５６", "〔社員番号〕"),
    # names: honorifics, titles, full names, bare surnames
    ("田中さんが詳しい", "〔氏名〕さんが詳しい"),
    ("鈴木様に確認", "〔氏名〕様に確認"),
    ("佐藤部長は反対", "〔氏名〕部長は反対"),
    ("山田課長と相談", "〔氏名〕課長と相談"),
    ("田中太郎さん", "〔氏名〕さん"),
    ("田中 太郎", "〔氏名〕"),
    ("田中ゆうこさん", "〔氏名〕さん"),
    ("ゆうこさん", "〔氏名〕さん"),
    ("担当の鈴木が対応した", "担当の〔氏名〕が対応した"),
    ("小林リーダーと渡辺先輩", "〔氏名〕リーダーと〔氏名〕先輩"),
    ("伊藤くんも加藤ちゃんも", "〔氏名〕くんも〔氏名〕ちゃんも"),
    ("髙橋さん", "〔氏名〕さん"),
    ("ｷﾑﾗさん", "〔氏名〕さん"),
    ("Tanakaさん", "〔氏名〕さん"),
    ("ジョンさん", "〔氏名〕さん"),
    # several kinds in one answer
    (
        "佐藤（sato@corp.jp、090-1111-2222、社員番号777）",
        "〔氏名〕（〔メール〕、〔電話〕、〔社員番号〕）",
    ),
]

KEPT = [
    # dates, times, years, money, postal codes, versions and counts are not personal
    "2024-01-01に研修",
    "２０２４－０１－０１",
    "2024/1/1 10:30から",
    "FY2024の目標",
    "ISO9001の手順",
    "GPT4とGPT-4o",
    "1,000円かかった",
    "〒910-0005",
    "3か月後に100件",
    "Windows11に更新",
    "No.1の成果",
    # ordinary words and role nouns before honorifics
    "皆さんに感謝",
    "お客様の声",
    "営業部長が決めた",
    "業者さんとメーカーさん",
    "パートさんが困っている",
    "上司と部下の板挟み",
    "AIで日報を要約したい",
    "東京と大阪で研修",
    "PoC疲れがひどい",
    "",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_masked(text: str, expected: str) -> None:
    assert mask_pii(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_not_masked(text: str) -> None:
    assert mask_pii(text) == text


def test_find_pii_kinds_and_positions() -> None:
    text = "鈴木さん(suzuki@a.jp)"
    spans = find_pii(text)
    assert [(text[s.start : s.end], s.kind) for s in spans] == [
        ("鈴木", Pii.NAME),
        ("suzuki@a.jp", Pii.EMAIL),
    ]


def test_rejects_non_strings() -> None:
    with pytest.raises(ValueError, match="string"):
        mask_pii(None)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("田中さん090-1234５６７８@a.bc社員番号E ー、。\n")),
        max_size=40,
    )
)
def test_spans_are_ordered_disjoint_and_inside_the_text(text: str) -> None:
    spans = find_pii(text)
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start
    masked = mask_pii(text)
    assert masked.count("〔") >= len(spans)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "福井は食べ物が美味しい",
            "福井は食べ物が美味しい",
        ),  # a prefecture standing alone is a place
        (
            "石川さんと長野に行った",
            "〔氏名〕さんと長野に行った",
        ),  # with an honorific it is a person
        ("鈴木に聞いた", "〔氏名〕に聞いた"),  # a bare surname is masked
    ],
)
def test_places_that_are_also_surnames(text: str, expected: str) -> None:
    assert mask_pii(text) == expected


# --------------------------------------------------------------------------- inside the tokenizer


def _pii_corpus() -> list[str]:
    """Every masking case above plus planted PII from the sample generator's phrasing."""
    texts = [text for text, _ in MASKED] + KEPT
    texts += [f"{a}と{b}の件" for a, _ in MASKED[::3] for b in KEPT[::5]]
    return texts


def test_blanking_inside_the_tokenizer_equals_blanking_each_text() -> None:
    """The tokenizer hands masking the morphemes of its own parse, and only for texts
    holding a name or an honorific: that must blank exactly what a full parse does."""
    texts = _pii_corpus()
    analysed = tokenize_with_forms(texts, redact=blank_pii)
    assert analysed.texts == [blank_pii(normalize_text(t)) for t in texts]
    assert analysed.tokens == tokenize_texts(analysed.texts)
    assert any(a != normalize_text(t) for a, t in zip(analysed.texts, texts, strict=True))


def test_the_tokenizer_hands_over_morphemes_only_where_a_name_can_be() -> None:
    seen: dict[str, list[str]] = {}

    def record(text: str, found: list) -> str:
        seen[text] = [m.surface for m in found]
        return text

    texts = ["田中が来た", "ABCリーダーが決めた", "リーダーが決めた", "会議の準備が大変"]
    tokenize_with_forms(texts, redact=record)
    assert seen["田中が来た"] == ["田中", "が", "来", "た"]  # a surname
    assert seen["ABCリーダーが決めた"][:2] == ["ABC", "リーダー"]  # unknown word + honorific
    assert seen["リーダーが決めた"] == []  # an honorific after nothing name-like
    assert seen["会議の準備が大変"] == []  # nothing a name could be
    assert blank_pii("ABCリーダーが決めた") == " リーダーが決めた"


def test_blanking_in_worker_processes_gives_the_in_process_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _pii_corpus() * 3
    texts = [f"{t} ({i})" for i, t in enumerate(texts)]  # distinct, so all go to the workers
    expected = tokenize_with_forms(texts, redact=blank_pii, n_jobs=1)
    monkeypatch.setattr(text_module, "_CHUNK", 64)
    in_workers = tokenize_with_forms(texts, redact=blank_pii, n_jobs=2)
    assert workers._pool is not None  # the work really went to the workers
    assert in_workers == expected


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_blank_pii_leaves_a_space_where_mask_pii_leaves_a_placeholder(
    text: str, expected: str
) -> None:
    blanked = blank_pii(text)
    assert blanked == re.sub("〔(?:メール|電話|社員番号|氏名)〕", " ", expected)
    assert find_pii(text, morphemes(text)) == find_pii(text)


# --------------------------------------------------------------------------- issue 16: names and numbers

ISSUE16_MASKED = [
    # names before titles the tokenizer splits (池田|部|長, 池田 read as a place)
    ("営業の池田部長はAIに前向き", "営業の〔氏名〕部長はAIに前向き"),
    ("先週中村部長に相談した", "先週〔氏名〕部長に相談した"),
    ("東部長の説明", "〔氏名〕部長の説明"),  # 東部|長
    ("岡本部長が決めた", "〔氏名〕部長が決めた"),  # read by the title search as 岡 本部長
    # a surname that is also a common noun (森 = forest) before 様
    ("森様に資料を送った", "〔氏名〕様に資料を送った"),
    ("星常務が担当", "〔氏名〕常務が担当"),
    # romaji
    ("Yamada-san", "〔氏名〕-san"),
    ("yamada san に聞いた", "〔氏名〕 san に聞いた"),
    ("Mr. Yamada の資料", "Mr. 〔氏名〕 の資料"),
    ("Tanaka-kun", "〔氏名〕-kun"),
    # full names with a full-width or half-width space
    ("山口　悠斗", "〔氏名〕"),
    ("担当：佐藤 翔琉", "担当：〔氏名〕"),
    # phones with colons, dots, spaces or nothing
    ("TEL:0312345678", "TEL:〔電話〕"),
    ("090.1234.5678", "〔電話〕"),
    ("090.1234.5678。", "〔電話〕。"),
    ("+81 90 1234 5678", "〔電話〕"),
    ("TEL0776123456", "TEL〔電話〕"),
    # employee numbers after a label, with a particle or separators
    ("社員番号は12345です", "〔社員番号〕です"),
    ("従業員ID: 12-345-678", "〔社員番号〕"),
]

ISSUE16_KEPT = [
    "部長会議が長い",
    "様々な意見",
    "山田錦の酒",  # a sake rice
    "中村屋のカレー",  # a shop
    "お客様の声",
    "神様に祈る",
    "新部長が着任",
    "東京支店長が来る",  # a prefecture before a branch title is the place
    "0.5倍の速さ",
    "2024.01.01の会議",
    "in San Francisco",
    "大野市の里芋",
    "西山公園の桜",
    "仕様書のレビューと長い文書の要点整理にAIを使ってみたい！",  # was 〔氏名〕様書 (outside check)
    "新しい仕様を確認する",
    "多様な意見が出た",
]


@pytest.mark.parametrize(("text", "expected"), ISSUE16_MASKED)
def test_issue16_names_and_numbers_past_the_mask(text: str, expected: str) -> None:
    assert mask_pii(text) == expected


@pytest.mark.parametrize("text", ISSUE16_KEPT)
def test_issue16_words_that_look_like_names_stay(text: str) -> None:
    assert mask_pii(text) == text


SURNAMES = re.findall(
    r"\S+",
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水"
    " 山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本"
    " 斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田"
    " 上田 原 内田 柴田 酒井 宮崎 横山 高木 安藤 宮本 大野 小島 谷口 今井 工藤 高田 増田 丸山 杉山 村田"
    " 大塚 新井 小山 平野 藤本 河野 上野 野口 武田 松井 千葉 岩崎 菅原 木下 久保 佐野 野村 松尾 市川 菊地"
    " 杉本 古川 大西 島田 水野 桜井 高野 渡部 吉川 山内 西田 飯田 菊池 西川 小松 北村 安田 五十嵐 川口"
    " 平田 関 中田 久保田 服部 東 岩田 土屋 川崎 福島 本田 辻 樋口 秋山 田口 永井 山中 中西 吉村 川上"
    " 石原 大橋",
)


@pytest.mark.parametrize("title", ["部長", "課長", "様"])
def test_issue16_common_surnames_before_a_title_in_context(title: str) -> None:
    """141 common surnames in a sentence before 部長, 課長 and 様: every one masked."""
    assert len(SURNAMES) == 141
    survived = [name for name in SURNAMES if name in mask_pii(f"先週{name}{title}に相談した")]
    assert survived == []


def test_issue16_masking_is_linear_on_long_letter_runs() -> None:
    """Letters with a digit once made the e-mail pattern backtrack (40,000: 8 s).

    The time for 200,000 characters against 20,000 stays near tenfold (under
    30); a quadratic pattern gives about a hundredfold. No absolute seconds.
    """
    import time

    def timed(n: int) -> float:
        text = ("abcdefghij" * (n // 10))[: n - 1] + "1"
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            find_pii(text)
            best = min(best, time.perf_counter() - start)
        return best

    timed(20_000)  # warm up: the tokenizer learns these tokens once
    small, large = timed(20_000), timed(200_000)
    assert large / small < 30, (small, large)


def test_issue16_every_contact_pattern_is_bounded() -> None:
    """The contact patterns alone: a long run of their own characters costs linear time.

    Ten times the text may take 10x (linear) but not 100x (quadratic): the bound of 30x
    is a ratio of two timings in the same run, each the best of 5.
    """
    import math
    import time

    from analysis.masking import _regex_spans

    def timed(text: str) -> float:  # best of 5: one run on a busy machine can stall 4x
        best = math.inf
        for _ in range(5):
            start = time.perf_counter()
            _regex_spans(text)
            best = min(best, time.perf_counter() - start)
        return best

    for unit in ("a1", "a@", "0-", "0.", "ID1", "+81 ", "内線 "):
        small = timed(unit * (10_000 // len(unit)))
        large = timed(unit * (100_000 // len(unit)))
        assert large / max(small, 1e-4) < 30, (unit, small, large)
