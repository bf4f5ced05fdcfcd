"""Response rates: HR's headcounts on 設定, stored in the database, shown next to n.

Rates are checked against the sample CSV counted with pandas (``pd.crosstab``), the
headcounts typed in by hand, and the deck reopened with python-pptx.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from analysis import pipeline
from analysis.deck import build_deck
from analysis.errors import SurveyError
from analysis.schema import load_survey
from analysis.store import WaveStore, check_headcounts, role_headcounts

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ui import data, headcounts  # noqa: E402

GOOGLE_CSV = ROOT / "sample_data" / "ai_survey_google_forms.csv"
WAVES = ["研修前", "研修後", "3か月後"]
ROLES = ["経営層", "管理職", "一般社員"]
# 経営層 as a whole, 管理職 by two departments (60 + 40), 一般社員 typed 全角 with 人
HEADS = {"経営層": 30, "管理職": 100, "一般社員": 250}


def sample_people() -> pd.DataFrame:
    frame = pd.read_csv(GOOGLE_CSV, dtype=str)
    return pd.crosstab(frame["役職"], frame["回答時期"]).loc[ROLES, WAVES]


def rate(n: int, head: int) -> str:
    """A whole percent, halves up, computed here without analysis.numbers."""
    return f"{(200 * n + head) // (2 * head)}%"


# --------------------------------------------------------------------------- checking input


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12", 12),
        ("１２", 12),
        ("12人", 12),
        (" 1,200 ", 1200),
        (12.0, 12),
        (40, 40),
        ("0", 0),
    ],
)
def test_headcounts_are_read_as_people_typed_them(typed, stored):
    table = check_headcounts(pd.DataFrame({"role": ["管理職"], "headcount": [typed]}))
    assert table.values.tolist() == [["管理職", "", stored]]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            {"role": ["管理職"], "headcount": ["三十"]},
            "1行目: 「管理職」の人数「三十」は数ではありません。0以上の整数を入力してください。",
        ),
        (
            {"role": ["経営層", "管理職"], "headcount": ["3", "1.5"]},
            "2行目: 「管理職」の人数「1.5」は数ではありません。0以上の整数を入力してください。",
        ),
        (
            {"role": ["管理職"], "headcount": ["-3"]},
            "1行目: 「管理職」の人数が負の数です。0以上の整数を入力してください。",
        ),
        (
            {"role": ["管理職"], "department": ["営業部"], "headcount": [""]},
            "1行目: 「管理職」の人数が空です。0以上の整数を入力してください。",
        ),
        (
            {"role": [None], "headcount": ["12"]},
            "1行目: 役割が空です。役割を選んでから人数を入力してください。",
        ),
        (
            {"role": ["管理職", "管理職"], "department": ["営業部", "営業部"], "headcount": [3, 4]},
            "「管理職」（営業部）の人数が2回入力されています。1行にまとめてください。",
        ),
    ],
)
def test_bad_headcounts_give_one_japanese_message(rows, message):
    with pytest.raises(SurveyError) as raised:
        check_headcounts(pd.DataFrame(rows))
    assert str(raised.value) == message


def test_a_headcount_below_the_respondents_is_refused_without_naming_them():
    rows = pd.DataFrame({"role": ["管理職"], "headcount": [5]})
    with pytest.raises(SurveyError) as raised:
        check_headcounts(rows, respondents={"管理職": 7})
    assert "回答した人数より少なく" in str(raised.value) and "7" not in str(raised.value)
    assert check_headcounts(rows, respondents={"管理職": 5}).values.tolist() == [["管理職", "", 5]]


def test_empty_editor_rows_and_roles_left_blank_are_dropped():
    rows = pd.DataFrame(
        {
            "role": ["管理職", None, "経営層"],
            "department": ["", None, ""],
            "headcount": [3, None, ""],
        }
    )
    assert check_headcounts(rows).values.tolist() == [["管理職", "", 3]]


def test_a_role_is_its_whole_row_else_the_sum_of_its_departments():
    rows = pd.DataFrame(
        {
            "role": ["管理職", "管理職", "経営層", "経営層"],
            "department": ["営業部", "開発部", "", "営業部"],
            "headcount": [60, 40, 30, 99],
        }
    )
    assert role_headcounts(rows) == {"管理職": 100, "経営層": 30}


# --------------------------------------------------------------------------- the store


def test_headcounts_are_stored_per_survey_and_replaced_whole(url):
    store = WaveStore(url)
    rows = pd.DataFrame(
        {"role": ["管理職", "管理職", "経営層"], "department": ["開発部", "営業部", ""],
         "headcount": ["40", "６０人", 30]}
    )  # fmt: skip
    store.set_headcounts(rows, survey="A")
    reopened = WaveStore(url)  # as after a restart
    assert reopened.headcounts("A").values.tolist() == [
        ["管理職", "営業部", 60], ["管理職", "開発部", 40], ["経営層", "", 30],
    ]  # fmt: skip
    assert reopened.headcounts("B").empty
    with pytest.raises(SurveyError):  # a bad row: nothing changes
        reopened.set_headcounts(pd.DataFrame({"role": ["管理職"], "headcount": ["x"]}), survey="A")
    assert len(reopened.headcounts("A")) == 3
    reopened.set_headcounts(pd.DataFrame({"role": ["一般社員"], "headcount": [9]}), survey="A")
    assert reopened.headcounts("A").values.tolist() == [["一般社員", "", 9]]


# --------------------------------------------------------------------------- rates


def test_rates_are_people_over_headcount_and_hidden_with_their_group():
    counts = pd.DataFrame(
        {"wave": ["前", "前", "前", "後"], "role": ["管理職", "一般社員", "経営層", "経営層"],
         "n": [30, 7, 0, 6], "suppressed": [False, False, True, False],
         "label": ["30人", "7人", "5人未満", "6人"]}
    )  # fmt: skip
    heads = pd.DataFrame(
        {"role": ["管理職", "管理職", "経営層"], "department": ["営業部", "開発部", ""],
         "headcount": [60, 20, 8]}
    )  # fmt: skip
    rates = pipeline.response_rates(counts, heads)
    assert rates["rate"].tolist()[0] == pytest.approx(30 / 80)
    assert rates["rate_label"].tolist() == ["38%", "", "5人未満", "75%"]
    assert rates["rate"].isna().tolist() == [False, True, True, False]
    assert list(counts.columns) == ["wave", "role", "n", "suppressed", "label"]  # not mutated


def test_the_deck_title_slide_has_a_rate_row_per_wave_and_hides_small_groups():
    survey = load_survey(GOOGLE_CSV)
    heads = pd.DataFrame({"role": list(HEADS), "department": "", "headcount": list(HEADS.values())})
    people = sample_people()

    def title_grid(min_group: int) -> list[list[str]]:
        content = build_deck(survey, min_group=min_group, headcounts=heads)
        [table] = [
            s.table for s in Presentation(io.BytesIO(content)).slides[0].shapes if s.has_table
        ]
        return [[cell.text for cell in row.cells] for row in table.rows]

    grid = title_grid(5)
    header = grid[0]
    assert header[1:] == ROLES
    rows = {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in grid[1:]}
    for wave in WAVES:
        expected = {r: rate(int(people.loc[r, wave]), HEADS[r]) for r in ROLES}
        assert rows[f"回答率（{wave}）"] == expected
        assert rows[wave] == {r: f"{people.loc[r, wave]}人" for r in ROLES}

    hidden = title_grid(80)  # 経営層 (≤24) and 管理職 (≤76) under 80: counts and rates hidden
    rows = {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in hidden[1:]}
    for wave in WAVES:
        assert rows[f"回答率（{wave}）"]["経営層"] == rows[wave]["経営層"] == "80人未満"
        assert rows[f"回答率（{wave}）"]["管理職"] == "80人未満"
        assert rows[f"回答率（{wave}）"]["一般社員"] == rate(int(people.loc["一般社員", wave]), 250)
    cells = " ".join(c for row in hidden for c in row)
    hidden_rates = {
        rate(int(people.loc[r, w]), HEADS[r]) for r in ("経営層", "管理職") for w in WAVES
    }
    shown_rates = {rate(int(people.loc["一般社員", w]), 250) for w in WAVES}
    assert not (hidden_rates - shown_rates) & set(cells.split())


def test_without_headcounts_the_title_slide_has_no_rate_row():
    survey = load_survey(GOOGLE_CSV)
    content = build_deck(survey, min_group=5)
    [table] = [s.table for s in Presentation(io.BytesIO(content)).slides[0].shapes if s.has_table]
    assert not [row for row in table.rows if row.cells[0].text.startswith("回答率")]


# --------------------------------------------------------------------------- pages


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def run_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def type_headcounts(at: AppTest, edits: dict) -> None:
    """What the data editor sends after HR typed (its widget state), then 在籍者数を保存."""
    at.session_state[headcounts.editor_key(data.SAMPLE)] = {
        "edited_rows": {}, "added_rows": [], "deleted_rows": [], **edits,
    }  # fmt: skip
    at.run()
    [save] = [b for b in at.button if b.label == "在籍者数を保存"]
    save.click().run()
    assert not at.exception, [e.message for e in at.exception]


# The editor starts with one row per role of the sample: 0 経営層, 1 管理職, 2 一般社員.
TYPED = {
    "edited_rows": {
        "0": {"headcount": "30"},
        "1": {"department": "営業部", "headcount": "60"},
        "2": {"headcount": "２５０人"},
    },
    "added_rows": [{"role": "管理職", "department": "開発部", "headcount": "40"}],
}


def test_settings_stores_headcounts_and_every_page_shows_the_rate_next_to_n(data_dir):
    at = app().run()
    run_page(at, "pages/6_settings.py")
    assert "在籍者数（回答率）" in at.subheader.values
    type_headcounts(at, TYPED)
    assert "在籍者数を保存しました。" in at.success.values
    assert WaveStore().headcounts(data.SAMPLE).values.tolist() == [
        ["一般社員", "", 250], ["管理職", "営業部", 60], ["管理職", "開発部", 40],
        ["経営層", "", 30],
    ]  # fmt: skip
    people = sample_people()

    run_page(at, "app.py")
    counts = at.dataframe[0].value.set_index("役割")
    assert list(counts.columns) == [c for w in WAVES for c in (w, f"{w} 回答率")]
    for wave in WAVES:
        assert counts.loc[ROLES, wave].tolist() == [f"{n}人" for n in people[wave]]
        expected = [rate(int(people.loc[r, wave]), HEADS[r]) for r in ROLES]
        assert counts.loc[ROLES, f"{wave} 回答率"].tolist() == expected

    run_page(at, "pages/2_gaps.py")
    line = "回答者数（研修前）: " + "、".join(
        f"{r} {people.loc[r, '研修前']}人（回答率 {rate(int(people.loc[r, '研修前']), HEADS[r])}）"
        for r in ROLES
    )
    assert line in at.caption.values

    run_page(at, "pages/3_trends.py")
    [lines] = [c for c in at.caption.values if c.startswith("回答者数（研修前）")]
    lines = lines.split("  \n")
    assert [line.split(":")[0] for line in lines] == [f"回答者数（{w}）" for w in WAVES]
    assert f"管理職 75人（回答率 {rate(75, 100)}）" in lines[1]


def test_a_bad_headcount_shows_a_japanese_message_and_stores_nothing(data_dir):
    at = app().run()
    run_page(at, "pages/6_settings.py")
    type_headcounts(at, {"edited_rows": {"0": {"headcount": "30"}, "1": {"headcount": "七十"}}})
    assert at.error.values == [
        "2行目: 「管理職」の人数「七十」は数ではありません。0以上の整数を入力してください。"
    ]
    assert WaveStore().headcounts(data.SAMPLE).empty
    type_headcounts(at, {"edited_rows": {"0": {"headcount": "3"}}})  # 24 answered in 研修前
    assert "「経営層」の人数（3人）が、回答した人数より少なくなっています。" in at.error.values[0]
    assert WaveStore().headcounts(data.SAMPLE).empty
    run_page(at, "app.py")
    assert list(at.dataframe[0].value.columns) == ["役割", *WAVES]  # no rate without headcounts


def test_a_hidden_groups_rate_is_hidden_on_home_and_gaps(data_dir):
    at = app().run()
    run_page(at, "pages/6_settings.py")
    [box] = [b for b in at.number_input if b.label == "数値を表示する最小人数"]
    box.set_value(80).run()
    [save] = [b for b in at.button if b.label == "基準を保存"]
    save.click().run()
    type_headcounts(at, TYPED)
    people = sample_people()
    run_page(at, "app.py")
    counts = at.dataframe[0].value.set_index("役割")
    for wave in WAVES:
        assert counts.loc[["経営層", "管理職"], f"{wave} 回答率"].tolist() == ["80人未満"] * 2
        assert counts.loc["一般社員", f"{wave} 回答率"] == rate(
            int(people.loc["一般社員", wave]), 250
        )
    run_page(at, "pages/2_gaps.py")
    n = int(people.loc["一般社員", "研修前"])
    assert (
        f"回答者数（研修前）: 経営層 80人未満、管理職 80人未満、一般社員 {n}人（回答率 {rate(n, 250)}）"
        in at.caption.values
    )


def test_the_exported_deck_carries_the_stored_rates(data_dir, monkeypatch):
    """書き出し builds the deck with the survey's stored headcounts (ui.data.deck)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        files[filename or mimetype] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    heads = pd.DataFrame({"role": list(HEADS), "headcount": list(HEADS.values())})
    WaveStore().set_headcounts(heads, survey=data.SAMPLE)
    at = app().run()
    run_page(at, "pages/5_export.py")
    [create] = [b for b in at.button if b.label == "スライドを作成"]
    create.click().run()
    assert not at.exception, [e.message for e in at.exception]
    [name] = [n for n in files if n.endswith("_deck.pptx")]
    [table] = [
        s.table for s in Presentation(io.BytesIO(files[name])).slides[0].shapes if s.has_table
    ]
    grid = {row.cells[0].text: [c.text for c in row.cells][1:] for row in table.rows}
    people = sample_people()
    assert grid["回答率（研修後）"] == [rate(int(people.loc[r, "研修後"]), HEADS[r]) for r in ROLES]
