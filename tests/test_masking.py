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
    expected = tokenize_with_forms(texts, redact=blank_pii)
    monkeypatch.setattr(text_module, "_PROCESS_THRESHOLD", 50)
    monkeypatch.setattr(text_module, "_CHUNK", 64)
    monkeypatch.setattr(workers, "cores_free", lambda: True)
    in_workers = tokenize_with_forms(texts, redact=blank_pii)
    assert workers._pool is not None  # the work really went to the workers
    assert in_workers == expected


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_blank_pii_leaves_a_space_where_mask_pii_leaves_a_placeholder(
    text: str, expected: str
) -> None:
    blanked = blank_pii(text)
    assert blanked == re.sub("〔(?:メール|電話|社員番号|氏名)〕", " ", expected)
    assert find_pii(text, morphemes(text)) == find_pii(text)
