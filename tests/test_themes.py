"""Theme dictionary and theme counts. Lemma matching assumes unidic-lite (1.0.8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import SurveyError
from analysis.privacy import MIN_GROUP_COMMENTS
from analysis.themes import THEMES_FILE, load_themes, theme_counts, themes_of

EXPECTED_THEMES = [
    "雇用不安",
    "PoC疲れ",
    "孤立・板挟み",
    "心理的安全性",
    "目的・必要性",
    "業務効率化",
    "スキル不安",
    "ルール・ガバナンス",
    "ユースケース提案",
]


def test_bundled_dictionary_has_the_nine_themes() -> None:
    themes = load_themes()
    assert [t.name for t in themes] == EXPECTED_THEMES
    assert all(t.description and (t.lemmas or t.phrases) for t in themes)
    assert THEMES_FILE.name == "themes.toml" and THEMES_FILE.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lemmas find inflected forms
        ("AIに仕事を奪われるのでは", ["雇用不安"]),
        ("いずれ仕事がなくなると思う", ["雇用不安"]),
        ("またPoCで終わりそう", ["PoC疲れ"]),
        ("ＰｏＣばかり", ["PoC疲れ"]),  # full width, any case
        ("結局定着しない気がする", ["PoC疲れ"]),
        ("上と現場の板挟みで、誰にも相談できない", ["孤立・板挟み"]),
        ("不安があっても言いにくい雰囲気", ["心理的安全性"]),
        ("なぜ今AIなのか目的が分からない", ["目的・必要性"]),
        ("作業時間が短縮されて残業が減った", ["業務効率化"]),
        ("使い方がわからないし、ついていけるか不安", ["スキル不安"]),
        ("情報漏えいが心配でルールを決めてほしい", ["ルール・ガバナンス"]),
        ("営業日報の要約や議事録作成に使いたい", ["ユースケース提案"]),
        # several themes at once, in dictionary order
        (
            "日報の要約で時間が浮いた。でも仕事を奪われそう",
            ["雇用不安", "業務効率化", "ユースケース提案"],
        ),
        # nothing
        ("研修はよかった", []),
        ("特になし", []),
        ("", []),
    ],
)
def test_themes_of(text: str, expected: list[str]) -> None:
    assert themes_of([text]) == [expected]


def test_words_that_are_not_one_lemma_become_phrases() -> None:
    by_name = {t.name: t for t in load_themes()}
    assert "奪う" in by_name["雇用不安"].lemmas
    assert "人員削減" in by_name["雇用不安"].phrases  # two lemmas: found as written
    assert "poc" in by_name["PoC疲れ"].lemmas


def test_theme_counts_by_role_and_wave() -> None:
    texts = (
        ["AIに仕事を奪われそう"] * 4
        + ["議事録を任せたい"] * 6
        + ["特になし"] * 5
        + ["日報の要約に使いたい"] * 10
    )
    roles = ["現場"] * 15 + ["管理職"] * 10
    waves = ["研修前"] * 25
    table = theme_counts(texts, roles=roles, waves=waves)
    assert list(table.columns) == ["role", "wave", "theme", "n_answers", "n_mentions", "share"]
    assert len(table) == 2 * 9
    front = table[(table.role == "現場") & (table.theme == "雇用不安")].iloc[0]
    assert (front.wave, front.n_answers, front.n_mentions) == (
        "研修前",
        10,
        4,
    )  # no-answers not counted
    assert front.share == pytest.approx(0.4)
    cases = table[(table.role == "管理職") & (table.theme == "ユースケース提案")].iloc[0]
    assert (cases.n_answers, cases.n_mentions, cases.share) == (10, 10, 1.0)


@pytest.mark.parametrize(
    ("size", "shown"), [(MIN_GROUP_COMMENTS - 1, False), (MIN_GROUP_COMMENTS, True)]
)
def test_small_groups_are_suppressed(size: int, shown: bool) -> None:
    texts = ["PoC疲れ"] * 12 + ["またPoCか"] * size + ["なし"] * 4
    roles = ["管理職"] * 12 + ["経営層"] * (size + 4)
    table = theme_counts(texts, roles=roles)
    assert ("経営層" in set(table.role)) is shown
    assert set(table.wave) == {"全体"}


def test_missing_roles_form_their_own_group() -> None:
    table = theme_counts(["議事録の要約"] * 10, roles=[None] * 10, min_group=10)
    assert set(table.role) == {"（不明）"}  # privacy.MISSING, the one label for a missing group


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="roles"):
        theme_counts(["a", "b"], roles=["現場"])


def test_an_edited_dictionary_is_used(tmp_path: Path) -> None:
    path = tmp_path / "themes.toml"
    path.write_text(
        '[[theme]]\nname = "会議"\ndescription = "会議の話"\nwords = ["会議"]\nphrases = ["打ち合わせ"]\n',
        encoding="utf-8",
    )
    themes = load_themes(path)
    assert themes_of(["会議が多い", "打ち合わせが長い", "日報"], themes=themes) == [
        ["会議"],
        ["会議"],
        [],
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[theme]\nname=", "書式"),
        ("title = 'x'\n", r"\[\[theme\]\]"),
        ('[[theme]]\ndescription = "x"\nwords = ["a"]\n', "name"),
        ('[[theme]]\nname = "x"\n', "words も phrases も"),
        ('[[theme]]\nname = "x"\nwords = "会議"\n', "文字列のリスト"),
        ('[[theme]]\nname = "x"\nwords = ["a"]\n[[theme]]\nname = "x"\nwords = ["b"]\n', "重複"),
    ],
)
def test_malformed_dictionaries_raise_survey_error(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SurveyError, match=message):
        load_themes(path)


def test_missing_dictionary_raises_survey_error(tmp_path: Path) -> None:
    with pytest.raises(SurveyError, match="見つかりません"):
        load_themes(tmp_path / "none.toml")


def test_theme_counts_refuse_a_threshold_below_one():
    """It filtered groups by hand, so min_group=0 showed every group; now privacy.visible_groups."""
    with pytest.raises(ValueError, match="min_group"):
        theme_counts(["日報の要約に使いたい"] * 3, roles=["経営層"] * 3, min_group=0)
