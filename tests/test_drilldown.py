"""Drill down on 役割間のギャップ: a clicked heatmap or dumbbell cell shows its role's comments.

AppTest cannot click a plotly point, so the pure functions of ``ui.drilldown`` are tested
with the points the charts really carry (``customdata`` read from the figures), and the
page with the selection put where Streamlit keeps it: ``st.session_state[chart key]``,
``{"selection": {"points": [...]}}``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_reidentification import PII_LEAKS, SECRET_WORDS, SMALL, page_strings, survey_bytes

from analysis import figures
from analysis.schema import Survey, load_survey

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ui import data, drilldown  # noqa: E402
from ui.drilldown import Cell  # noqa: E402

QUESTION = "自由記述"
ITEMS = ("AIで仕事が楽になると思う", "相談できる相手がいる")
GOOGLE_CSV = ROOT / "sample_data" / "ai_survey_google_forms.csv"
SAMPLE_QUESTION = "AI導入について、不安に思うことを自由にお書きください。"
Q2 = "AIで自分の仕事が楽になると思う"


@pytest.fixture(scope="module")
def survey() -> Survey:
    """The re-identification survey: 経営層 of 研修後 are 3 people who wrote secret words."""
    return load_survey(survey_bytes(), name="reid.csv")


def clicked(point: dict) -> dict:
    """A selection as ``st.plotly_chart(on_select="rerun")`` returns it for one clicked point."""
    return {"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}}


def chart_points(figure) -> list[dict]:
    """Every point of a figure that carries customdata, as plotly reports a click on it."""
    points = []
    for number, trace in enumerate(figure.data):
        for index, custom in enumerate(trace.customdata if trace.customdata is not None else []):
            points.append(
                {"curve_number": number, "point_index": index, "x": trace.x[index],
                 "y": trace.y[index], "customdata": [*custom]}
            )  # fmt: skip
    return points


# --------------------------------------------------------------------------- event -> cell


def test_every_heatmap_cell_is_clickable_and_names_its_row():
    sample = load_survey(GOOGLE_CSV)
    table = data.overall_differences(sample, "研修前", 80)  # 経営層 and 管理職 hidden
    points = chart_points(figures.gap_heatmap(table, items=sample.schema.items))
    cells = {drilldown.picked_cell(clicked(p)) for p in points}
    assert cells == {Cell(r.item, r.role) for r in table.itertuples(index=False)}
    assert len(cells) == 10 * 3  # hidden cells too: they say why they are hidden


def test_every_dumbbell_dot_names_its_row(survey):
    table = data.role_scores(survey, "研修前", None, 5)
    points = chart_points(figures.gap_dumbbell(table))
    cells = [drilldown.picked_cell(clicked(p)) for p in points]
    assert sorted(cells, key=str) == sorted(
        (Cell(r.item, r.role) for r in table.itertuples(index=False)), key=str
    )


@pytest.mark.parametrize(
    "event",
    [
        None,
        {},
        {"selection": {"points": []}},
        {"selection": {"points": [{"x": 1, "y": "a"}]}},  # a point without customdata
        {"selection": {"points": [{"customdata": 24}]}},  # a bar's n, not [item, role]
        {"selection": {"points": [{"customdata": ["", "管理職"]}]}},
    ],
)
def test_no_cell_without_a_point_that_names_one(event):
    assert drilldown.picked_cell(event) is None


def test_labels_with_markup_come_back_to_the_tables_names():
    import pandas as pd

    table = pd.DataFrame({"item": ["<b>AI</b>は役立つ"], "role": ["<新>管理職"]})
    assert drilldown.resolve(table, Cell("＜b＞AI＜/b＞は役立つ", "＜新＞管理職")) == Cell(
        "<b>AI</b>は役立つ", "<新>管理職"
    )


@pytest.mark.parametrize(
    ("statement", "keyword"),
    [
        ("AIで仕事が楽になると思う", "仕事"),
        ("相談できる相手がいる", "相談"),
        ("AI導入を自分ひとりで抱え込んでいると感じる", "抱え込"),
        ("AIに仕事を奪われると不安だ", "仕事"),
        ("AI", ""),
    ],
)
def test_suggested_keyword_is_a_content_word_of_the_statement(statement, keyword):
    assert drilldown.suggested_keyword(statement) == keyword


# --------------------------------------------------------------------------- cell -> comments


def test_a_shown_cell_gives_the_roles_comments_masked(survey):
    table = data.role_scores(survey, "研修前", None, 5)
    drill = drilldown.drill_down(
        survey, clicked({"customdata": [ITEMS[1], "一般社員", 52]}),
        table=table, question=QUESTION, wave="研修前", min_comments=10,
    )  # fmt: skip
    assert drill.hidden_reason is None and drill.keyword == "相談" and drill.question == QUESTION
    assert drill.comments == data.comments(survey, QUESTION, "一般社員", "研修前", 10)
    assert len(drill.comments) == 52
    assert sum("〔氏名〕" in c for c in drill.comments) >= 2  # names written, masked
    assert not [c for c in drill.comments if any(leak in c for leak in PII_LEAKS)]


def test_a_role_under_the_comment_threshold_gives_no_comment(survey):
    table = data.role_scores(survey, "研修前", None, 5)
    drill = drilldown.drill_cell(
        survey, Cell(ITEMS[0], "経営層"), table=table, question=QUESTION, wave="研修前",
        min_comments=13,
    )  # fmt: skip
    assert drill.hidden_reason is None and drill.comments is None  # 12 answered: under 13
    drill = drilldown.drill_cell(
        survey, Cell(ITEMS[0], "経営層"), table=table, question=QUESTION, wave="研修前",
        min_comments=12,
    )  # fmt: skip
    assert len(drill.comments) == 12  # control: at the threshold they are quoted


def test_a_hidden_cell_gives_the_privacy_reason_and_no_comment(survey):
    table = data.overall_differences(survey, *SMALL[:1], 5)  # 研修後: 経営層 are 3
    drill = drilldown.drill_cell(
        survey, Cell(ITEMS[0], "経営層"), table=table, question=QUESTION, wave="研修後",
        min_comments=3,  # even a threshold that would quote them: the cell is hidden
    )  # fmt: skip
    assert drill.hidden_reason == "経営層は5人未満のため表示していません"
    assert drill.comments is None
    other = drilldown.drill_cell(
        survey, Cell(ITEMS[0], "管理職"), table=table, question=QUESTION, wave="研修後",
        min_comments=10,
    )  # fmt: skip
    assert other.hidden_reason == "全体の値は、少人数のグループを保護するため表示していません"
    assert set(table["reason"]) == {drill.hidden_reason, other.hidden_reason}  # the table's own


def test_no_drill_quotes_the_small_group(survey):
    quoted = []
    for wave in survey.waves:
        tables = {
            drilldown.HEATMAP: data.overall_differences(survey, wave, 5),
            drilldown.DUMBBELL: data.role_scores(survey, wave, None, 5),
        }
        for table in tables.values():
            for r in table.itertuples(index=False):
                drill = drilldown.drill_cell(
                    survey, Cell(r.item, r.role), table=table, question=QUESTION, wave=wave,
                    min_comments=10,
                )  # fmt: skip
                quoted += drill.comments or []
    assert quoted and not [c for c in quoted if any(w in c for w in SECRET_WORDS)]


def test_the_page_drills_only_while_the_clicked_role_is_picked(survey):
    tables = {drilldown.DUMBBELL: data.role_scores(survey, "研修前", None, 5)}
    options = dict(tables=tables, question=QUESTION, wave="研修前", min_comments=10)
    chosen = (drilldown.DUMBBELL, Cell(ITEMS[0], "管理職"))
    drill = drilldown.selected(survey, chosen, role="管理職", **options)
    assert drill.cell == Cell(ITEMS[0], "管理職") and len(drill.comments) == 20
    assert drilldown.selected(survey, chosen, role="一般社員", **options) is None
    assert drilldown.selected(survey, None, role="管理職", **options) is None
    stale = (drilldown.DUMBBELL, Cell("別の調査の項目", "管理職"))  # clicked in another survey
    assert drilldown.selected(survey, stale, role="管理職", **options) is None
    assert (
        drilldown.selected(survey, (drilldown.HEATMAP, chosen[1]), role="管理職", **options) is None
    )


# --------------------------------------------------------------------------- the page


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def save_thresholds(at: AppTest, scores: int, comments: int) -> None:
    at.switch_page("pages/6_settings.py").run()
    for label, value in (
        ("数値を表示する最小人数", scores),
        ("コメントを表示する最小人数", comments),
    ):
        [box] = [b for b in at.number_input if b.label == label]
        box.set_value(value)
    [save] = [b for b in at.button if b.label == "基準を保存"]
    save.click().run()
    assert not at.exception, [e.message for e in at.exception]


def click(at: AppTest, chart: str, item: str, role: str) -> AppTest:
    """Stand-in for a click: the selection Streamlit stores under the chart's key."""
    at.session_state[chart] = clicked({"x": role, "y": item, "customdata": [item, role, ""]})
    return run(at)


def test_clicking_a_dumbbell_dot_shows_the_roles_comments_and_opens_the_search(data_dir):
    at = app().run()
    at.switch_page("pages/2_gaps.py")
    run(at)
    assert not [m for m in at.markdown.values if "選択中のマス" in m]  # nothing clicked yet
    click(at, drilldown.DUMBBELL, Q2, "管理職")
    assert f"**選択中のマス**: 「{Q2}」 × 管理職" in at.markdown.values
    [role] = [s for s in at.selectbox if s.label == "役割"]
    assert role.value == "管理職"  # the picker moved to the clicked role
    sample = load_survey(GOOGLE_CSV)
    expected = data.comments(sample, SAMPLE_QUESTION, "管理職", "研修前", 10)
    assert at.text.values == expected[:30]
    assert (
        f"管理職・研修前の回答 {len(expected)}件（個人情報は伏せ字にしています）"
        in at.caption.values
    )

    role.set_value("一般社員")  # another role: its comments, the clicked cell let go
    run(at)
    assert not [m for m in at.markdown.values if "選択中のマス" in m]
    assert at.text.values == data.comments(sample, SAMPLE_QUESTION, "一般社員", "研修前", 10)[:30]

    click(at, drilldown.HEATMAP, Q2, "管理職")  # a click on the other chart takes over
    [search] = [b for b in at.button if b.label == "「仕事」で自由記述をキーワード検索"]
    search.click()
    run(at)
    [keyword] = [t for t in at.text_input if t.label == "キーワード"]
    assert keyword.value == "仕事"
    [question] = [s for s in at.selectbox if s.label == "設問"]
    assert question.value == SAMPLE_QUESTION  # the question the gaps page was reading
    hits = data.keyword_in_context(sample, SAMPLE_QUESTION, "仕事", 10)
    assert len(hits) > 0
    assert f"{len(hits)}件（10人未満のグループの回答と個人情報は表示しません）" in at.caption.values


def test_a_hidden_heatmap_cell_says_why_and_quotes_nothing(data_dir):
    at = app().run()
    save_thresholds(at, 80, 10)  # 経営層 (24) and 管理職 (76) hidden in every wave
    at.switch_page("pages/2_gaps.py")
    run(at)
    click(at, drilldown.HEATMAP, Q2, "経営層")
    assert "このマスは非表示です: 経営層は80人未満のため表示していません" in at.info.values
    assert at.text.values == []  # no comment of the hidden cell's role
    click(at, drilldown.HEATMAP, Q2, "一般社員")  # a shown cell of the same chart
    assert not [i for i in at.info.values if i.startswith("このマスは非表示です")]
    assert len(at.text.values) == 30


def test_a_clicked_role_under_the_comment_threshold_shows_no_comment(data_dir):
    at = app().run()
    save_thresholds(at, 5, 30)  # 経営層 wrote 24 answers in 研修前: under 30
    at.switch_page("pages/2_gaps.py")
    run(at)
    click(at, drilldown.DUMBBELL, Q2, "経営層")
    assert f"**選択中のマス**: 「{Q2}」 × 経営層" in at.markdown.values
    assert at.text.values == []
    assert "この役割の回答は30件未満のため、コメントは表示しません。" in at.info.values


def test_drilling_on_the_stored_small_group_never_shows_its_words(data_dir):
    from analysis.store import WaveStore

    content = survey_bytes()
    schema = load_survey(content, name="reid.csv").schema
    WaveStore().save(content, filename="reid.csv", schema=schema, survey="再識別テスト")
    at = app().run()
    at.sidebar.selectbox[0].set_value("再識別テスト").run()
    at.switch_page("pages/2_gaps.py")
    run(at)
    [wave] = [s for s in at.selectbox if s.label == "回答時期"]
    wave.set_value("研修後")
    run(at)
    shown = ""
    for item in ITEMS:
        for chart in (drilldown.HEATMAP, drilldown.DUMBBELL):
            click(at, chart, item, "経営層")
            shown += page_strings(at)
    assert "選択中のマス" in shown and "経営層" in shown
    assert not [w for w in SECRET_WORDS if w in shown]


def test_the_drill_speaks_english_when_english_is_chosen(data_dir):
    at = app().run()
    at.sidebar.radio[0].set_value("English")
    run(at)
    at.switch_page("pages/2_gaps.py")
    run(at)
    click(at, drilldown.DUMBBELL, Q2, "管理職")
    assert f"**Selected cell**: “{Q2}” × 管理職" in at.markdown.values  # data stays as written
    assert "Search the free text for “仕事”" in [b.label for b in at.button]
    [line] = [c for c in at.caption.values if c.startswith("Respondents (研修前): ")]
    assert re.match(r"Respondents \(研修前\): 経営層 24\b", line), line  # counts in English
    assert "人" not in line, line
