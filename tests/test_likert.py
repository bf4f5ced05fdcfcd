"""Japanese scale dictionary (analysis.likert.SCALES): which scale, which score."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.likert import SCALES_BY_NAME, detect_scale, favourable_score, reverse_cue, score


@pytest.mark.parametrize(
    ("answers", "scale", "points"),
    [
        (["とてもそう思う", "そう思う", "どちらともいえない", "そう思わない"], "agree5", 5),
        (["非常にそう思う", "どちらとも言えない", "全くそう思わない"], "agree5", 5),
        (["ややそう思う", "あまりそう思わない", "とてもそう思う"], "agree4", 4),
        (["どちらかといえばそう思う", "そう思う", "そう思わない"], "agree4_plain", 4),
        (
            ["ややそう思う", "どちらともいえない", "とてもそう思う", "あまりそう思わない"],
            "agree7",
            7,
        ),
        (["ややそう思う", "あまりそう思わない", "とてもそう思う", "そう思わない"], "agree6", 6),
        (["あてはまる", "ややあてはまる", "あてはまらない"], "apply4", 4),
        (["当てはまる", "どちらともいえない", "あまり当てはまらない"], "apply5", 5),
        (["とても満足", "満足", "どちらでもない", "不満"], "satisfy5", 5),
        (["やや満足", "普通", "不満"], "satisfy5_soft", 5),
        (["1", "2", "3", "4", "5"], "numeric5", 5),
        (["１", "３", "５"], "numeric5", 5),  # full-width digits
        (["1", "7", "4"], "numeric7", 7),
        (["5: とてもそう思う", "4: そう思う", "1: まったくそう思わない"], "agree5", 5),
    ],
)
def test_scale_detection(answers, scale, points):
    found = detect_scale(answers)
    assert (found.name, found.points) == (scale, points)
    # a column as read from a file (text with blanks) is counted by pandas: the same scale
    column = pd.Series([*answers, None, " ", "\u3000"], dtype=object)
    assert detect_scale(column) is found
    assert detect_scale(column.astype("string")) is found


@pytest.mark.parametrize(
    "answers",
    [
        ["はい", "いいえ"],
        ["0", "1", "0"],  # a yes/no flag, not a scale
        ["1", "2", "3"],  # numbers that never reach a scale's top
        ["そう思う"] * 5,  # one label only
        ["38", "41", "56"],
        [],
    ],
)
def test_not_a_scale(answers):
    assert detect_scale(answers) is None
    assert detect_scale(pd.Series([*answers, None, ""], dtype=object)) is None


@pytest.mark.parametrize(
    ("scale", "label", "expected"),
    [
        ("agree5", "とてもそう思う", 5),
        ("agree5", "まったく　そう思わない", 1),
        ("agree5", "どちらとも言えない", 3),
        ("agree4", "ややそう思う", 3),
        ("agree7", "ややそう思う", 5),
        ("satisfy5", "とても満足", 5),
        ("numeric5", "４", 4),
        ("agree5", "4: そう思う", 4),
    ],
)
def test_scores(scale, label, expected):
    assert score(pd.Series([label]), SCALES_BY_NAME[scale]).iloc[0] == expected


def test_midpoint_only_on_odd_scales():
    assert SCALES_BY_NAME["agree5"].midpoint == "どちらともいえない"
    assert SCALES_BY_NAME["agree4"].midpoint is None


@pytest.mark.parametrize(
    ("label", "cue"),
    [
        ("AIに自分の仕事を奪われるのではないかと不安だ", "不安"),
        ("AI導入を自分ひとりで抱え込んでいると感じる", "抱え込"),
        ("また実験で終わるのではないかと感じる", "終わる"),
        ("AIについての不安や疑問を職場で率直に話せる", None),  # 「話せる」 turns it positive
        ("一人で抱え込まなくてよくなった", None),
        ("AIを業務で使いたい", None),
        ("研修の内容は自分の業務に役立つと思う", None),
    ],
)
def test_reverse_cues(label, cue):
    assert reverse_cue(label) == cue


def test_favourable_score_flips_reverse_items_only():
    values = pd.Series([1.0, 2.0, 4.0])
    assert favourable_score(values, points=4, reverse=True).tolist() == [4.0, 3.0, 1.0]
    assert favourable_score(values, points=4, reverse=False).tolist() == [1.0, 2.0, 4.0]


def test_a_free_text_column_is_given_up_after_a_tenth_of_its_answers(monkeypatch):
    """Upload of 50k free-text answers spent 15 s here: every answer against 16 scales."""
    import analysis.likert as likert_module

    calls = []
    original = likert_module._answer_keys
    monkeypatch.setattr(
        likert_module, "_answer_keys", lambda label: calls.append(label) or original(label)
    )
    answers = [f"日報の要約に使いたい（{i}件目）" for i in range(5_000)]
    assert likert_module.detect_scale(answers) is None
    assert len(calls) == 501  # the first answer past 10% that no scale can explain


def test_a_scale_is_still_found_with_a_tenth_of_other_answers():
    labels = [
        "とてもそう思う",
        "そう思う",
        "どちらとも言えない",
        "そう思わない",
        "全くそう思わない",
    ]
    answers = labels * 18 + [f"その他{i}" for i in range(10)]  # 90 labels, 10 others
    assert detect_scale(answers).name == "agree5"
    assert detect_scale(answers + ["もう一つ"]) is None  # 90 of 101 is under 90%
