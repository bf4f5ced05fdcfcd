"""The rows of analysis.vocab, one test row each: role tiers, header words, reverse cues.

Dictionaries assumed: analysis.vocab (TITLE_TIERS, HEADER_RULES, NEGATIVE_WORDS) and
analysis.likert.SCALES. The reverse rows include the misreads reported in issue 13.
"""

from __future__ import annotations

import pytest

from analysis import likert, vocab


@pytest.mark.parametrize(
    ("value", "tier"),
    [
        ("役員", "経営層"), ("取締役", "経営層"), ("代表取締役社長", "経営層"), ("執行役員", "経営層"),
        ("部長", "管理職"), ("営業部長", "管理職"), ("課長", "管理職"), ("マネージャー", "管理職"),
        ("Manager", "管理職"), ("係長", "管理職"), ("店長", "管理職"),
        ("一般", "一般社員"), ("一般職", "一般社員"), ("スタッフ", "一般社員"), ("主任", "一般社員"),
        ("現場", "一般社員"), ("Staff", "一般社員"), ("契約社員", "一般社員"),
        ("経営層", "経営層"), ("管理職", "管理職"), ("一般社員", "一般社員"),
        ("総務部", None), ("そう思う", None), ("AIで仕事が楽になると思う", None), ("staffing", None),
    ],
)  # fmt: skip
def test_role_tier(value, tier):
    assert vocab.role_tier(value) == tier


@pytest.mark.parametrize(
    ("heading", "meaning", "word"),
    [
        ("部署", "department", "部署"),
        ("所属部署", "department", "部署"),
        ("Q４-３．所属部署を選んでください", "department", "部署"),
        ("Department", "department", "department"),
        ("他部署のメンバーとの相互理解が深まったと思う", "department", None),  # a statement
        ("役職", "role", "役職"),
        ("問2 あなたの役職を教えてください", "role", "役職"),
        ("自分の役職に求められる役割が明確だと思う", "role", None),
        ("AI導入後の役割分担", "role", None),
        ("回答時期", "wave", "回答時期"),
        ("AI導入の時期は適切だと思う", "wave", None),
        ("Wave", "wave", "wave"),
        ("メールアドレス", "pii", "メール"),
        ("RecipientEmail", "pii", "email"),
        ("Hotel予約の方法を知っている", "pii", None),  # "tel" only as a word
        ("会社名", "pii", None),
        ("名前を知らない同僚とも話せた", "pii", None),  # a statement, not a name field
        ("タイムスタンプ", "timestamp", "タイムスタンプ"),
        ("Completion time", "timestamp", "completion time"),
        ("ExternalReference", "respondent", "externalreference"),
        ("Response ID", "respondent", None),
        ("AI導入について、不安に思うことを自由にお書きください。", "free_text", "お書きください"),
        ("今回の研修に満足している", "not_scale", None),  # 「回」 alone is no count
        ("年齢", "not_scale", "年齢"),
    ],
)
def test_header_word(heading, meaning, word):
    assert vocab.header_word(heading, meaning) == word


@pytest.mark.parametrize(
    ("label", "reversed_"),
    [
        ("AIに自分の仕事を奪われるのではないかと不安だ", True),
        ("生成AIの操作は難しいと感じる", True),
        ("AI導入を自分ひとりで抱え込んでいると感じる", True),
        ("また実験で終わるのではないかと感じる", True),
        ("自分の仕事がなくなると思う", True),
        ("AIの使い方がわからない", True),
        ("不安はないが、負担は大きい", True),
        ("I worry that AI will replace my job", True),
        ("AIへの不安はない", False),
        ("AIで残業が減ると思う", False),
        ("AIによって業務の負担が軽くなると期待している", False),  # read as reverse (outside check)
        ("AIで業務の負担が下がった", False),
        ("AIで業務の負担が重くなると感じる", True),
        ("AIで無駄な作業がなくなると思う", False),
        ("AIについての不安や疑問を職場で率直に話せる", False),
        ("一人で抱え込まなくてよくなった", False),
        ("分からないことを相談できる相手がいる", False),
        ("AIに仕事を奪われるとは思わない", False),
        ("AIで自分の仕事が楽になると思う", False),
        ("I am not worried about AI", False),
    ],
)
def test_reverse_wording(label, reversed_):
    assert (likert.reverse_cue(label) is not None) is reversed_


@pytest.mark.parametrize(
    ("answers", "name", "points"),
    [
        (["そう思う", "ややそう思う", "あまりそう思わない", "そう思わない"], "agree4_soft", 4),
        (["とてもそう思う", "そう思う", "どちらともいえない", "そう思わない"], "agree5", 5),
        (["Strongly agree", "Agree", "Disagree", "Neither agree nor disagree"], "agree5_en", 5),
        (["10", "11", "13"], None, None),  # codes only count in a grid (coded_scale)
        (["１", "３", "５"], "numeric5", 5),
        (["1: まったくそう思わない", "5: とてもそう思う", "3: どちらともいえない"], "agree5", 5),
        (["1月", "5月", "3月"], None, None),  # months, not scores
    ],
)
def test_scale_rows(answers, name, points):
    scale = likert.detect_scale(answers)
    assert (scale.name, scale.points) == (name, points) if name else scale is None


def test_coded_scale_names_resolve_like_the_fixed_ones():
    scale = likert.SCALES_BY_NAME["codes10-13"]
    assert scale.labels == ("10", "11", "12", "13") and "codes10-13" in likert.SCALES_BY_NAME
    assert "codes10-99" not in likert.SCALES_BY_NAME and "nonsense" not in likert.SCALES_BY_NAME
