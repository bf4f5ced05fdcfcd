"""HR's theme dictionary (issue 17 item 5): edited on 設定, stored in the database, used by the
free-text page, the CLI and the deck; ``themes.toml`` stays the default.

Metamorphic checks on the sample and on the real exports in ``../shared/realdata`` (福井県観光連盟 /
福井県観光アンケートオープンデータ (CC BY 4.0)): adding a word that real answers use raises
that theme's count and no other; renaming a theme changes its name and nothing else.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from analysis import pipeline
from analysis.audit import Action, AuditLog
from analysis.errors import SurveyError
from analysis.schema import load_survey
from analysis.store import DATABASE_URL_ENV, WaveStore
from analysis.themes import (
    MAX_TERM_LENGTH,
    MAX_TERMS,
    MAX_THEMES,
    ThemeEntry,
    check_entries,
    default_entries,
    describe_change,
    load_themes,
    themes_of,
)

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from conftest import sign_in  # noqa: E402
from test_pages import open_tab  # noqa: E402

from ui import data, themes_editor  # noqa: E402

REALDATA = ROOT.parent / "shared" / "realdata"
REAL_FILE = REALDATA / "monthly_202301_utf8bom.csv"
REAL_QUESTION = "満足度の理由"
SAMPLE_QUESTION = "AI導入について、不安に思うことを自由にお書きください。"
needs_realdata = pytest.mark.skipif(not REAL_FILE.exists(), reason="../shared/realdata missing")


def rows_of(entries) -> list[tuple]:
    """Entries as HR types them: words and phrases each one cell, joined by 、."""
    return [(e.name, e.description, "、".join(e.words), "、".join(e.phrases)) for e in entries]


# --------------------------------------------------------------------------- store


def test_the_store_keeps_the_dictionary_in_order_and_resets_to_themes_toml(url: str):
    store = WaveStore(url)
    try:
        default = store.theme_dictionary()
        assert default.saved_at is None and default.entries == default_entries()
        assert store.themes() == load_themes()

        typed = [
            ("議事録", "会議の記録", "議事録, 要約，議事録", ""),
            ("雇用不安", "", "雇用、失業", "仕事を奪"),
            ("", "", None, float("nan")),  # the editor's blank row
        ]
        saved = store.set_themes(typed)
        again = WaveStore(url)  # another process reads what was stored
        stored = again.theme_dictionary()
        again.engine.dispose()
        assert (
            stored.entries
            == saved.entries
            == (
                ThemeEntry("議事録", "会議の記録", ("議事録", "要約"), ()),
                ThemeEntry("雇用不安", "", ("雇用", "失業"), ("仕事を奪",)),
            )
        )
        assert stored.saved_at is not None
        assert [t.name for t in store.themes()] == ["議事録", "雇用不安"]
        assert themes_of(["議事録の要約", "AIに仕事を奪われる"], themes=store.themes()) == [
            ["議事録"],
            ["雇用不安"],
        ]

        store.set_themes(list(reversed(rows_of(stored.entries))))  # the order is HR's
        assert [e.name for e in store.theme_dictionary().entries] == ["雇用不安", "議事録"]

        reset = store.reset_themes()
        assert reset.saved_at is None
        assert store.theme_dictionary().entries == default_entries()
        assert store.themes() == load_themes()
    finally:
        store.engine.dispose()


def test_the_default_dictionary_saves_unchanged(url: str):
    store = WaveStore(url)
    try:
        store.set_themes(rows_of(default_entries()))
        assert store.theme_dictionary().entries == default_entries()
        assert store.themes() == load_themes()  # the same matching as themes.toml
    finally:
        store.engine.dispose()


def test_two_saves_at_once_leave_one_whole_dictionary(url: str):
    from concurrent.futures import ThreadPoolExecutor

    first = [(f"テーマA{i}", "", f"語A{i}", "") for i in range(20)]
    second = [(f"テーマB{i}", "", f"語B{i}", "") for i in range(7)]
    stores = [WaveStore(url), WaveStore(url)]
    try:
        with ThreadPoolExecutor(2) as pool:
            for _ in range(5):
                list(
                    pool.map(
                        lambda a: a[0].set_themes(a[1]), zip(stores, (first, second), strict=True)
                    )
                )
        names = [e.name for e in stores[0].theme_dictionary().entries]
        assert names in ([r[0] for r in first], [r[0] for r in second])  # never a mixture
    finally:
        for store in stores:
            store.engine.dispose()


LONG = "あ" * (MAX_TERM_LENGTH + 1)
REFUSED = [
    ([("", "", "議事録", "")], "テーマ名が空です"),
    ([("議事録", "", "議事録", ""), ("議事録 ", "", "要約", "")], "「議事録」が2回あります"),
    ([("ＰｏＣ", "", "PoC", ""), ("poc", "", "実証", "")], "2回あります"),  # NFKC, case
    ([("議事録", "説明だけ", "", "")], "語も言い回しもありません"),
    ([("議事録", "", "、 ,", "")], "語も言い回しもありません"),
    ([("議事録", "", f"要約、{LONG}", "")], f"（{MAX_TERM_LENGTH}文字まで）"),
    ([("あ" * 41, "", "要約", "")], "テーマ名「"),
    ([("議事録", "", "、".join(f"語{i}" for i in range(MAX_TERMS + 1)), "")], "多すぎます"),
    ([(f"テーマ{i}", "", "語", "") for i in range(MAX_THEMES + 1)], "テーマが多すぎます"),
    ([("", "", "", "")], "テーマが1つもありません"),
    ([], "テーマが1つもありません"),
]


@pytest.mark.parametrize(("rows", "message"), REFUSED)
def test_a_bad_dictionary_is_refused_in_japanese_and_nothing_changes(
    url: str, rows: list, message: str
):
    store = WaveStore(url)
    try:
        before = store.set_themes([("議事録", "", "議事録", "")])
        with pytest.raises(SurveyError, match=message):
            store.set_themes(rows)
        assert store.theme_dictionary() == before  # nothing half-saved
    finally:
        store.engine.dispose()


def test_a_refusal_names_the_row():
    with pytest.raises(SurveyError) as caught:
        check_entries([("議事録", "", "議事録", ""), ("", "", "", ""), ("要約", "", "", "")])
    assert str(caught.value).startswith("3行目: ")


def test_the_audit_line_says_what_changed():
    a = ThemeEntry("雇用不安", words=("雇用",))
    b = ThemeEntry("議事録", words=("議事録",))
    assert describe_change([a, b], [a, b]) == ""
    assert describe_change([a], [a, b]) == "追加: 議事録"
    assert describe_change([a, b], [b]) == "削除: 雇用不安"
    assert describe_change([a], [a._replace(words=(), phrases=("仕事を奪",))]) == (
        "語を変更: 雇用不安（+仕事を奪 -雇用）"
    )
    assert describe_change([a], [a._replace(name="不安")]) == "追加: 不安／削除: 雇用不安"


# --------------------------------------------------------------------------- 設定 and the pages


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def run_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def edit_dictionary(at: AppTest, edits: dict) -> None:
    """What the data editor sends after HR typed (its widget state), then テーマ辞書を保存."""
    run_page(at, "pages/6_settings.py")
    key = themes_editor.editor_key(WaveStore().theme_dictionary())
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **edits}
    at.run()
    [save] = [b for b in at.button if b.label == "テーマ辞書を保存"]
    save.click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, at.error.values


def theme_table(at: AppTest) -> pd.DataFrame:
    run_page(at, "pages/4_free_text.py")
    [box] = [s for s in at.selectbox if s.label == "設問"]
    box.set_value(SAMPLE_QUESTION).run()
    open_tab(at, "テーマ別の件数")
    return at.dataframe[0].value.set_index("theme")


def audit_rows() -> pd.DataFrame:
    store = WaveStore()
    rows = AuditLog(store.engine).rows()
    store.engine.dispose()
    return rows[rows["action"] == str(Action.THEMES)]


def test_hr_edits_a_theme_on_settings_and_the_free_text_page_counts_with_it(data_dir):
    at = app().run()
    before = theme_table(at)
    assert any("標準のもの（analysis/themes.toml）" in c for c in at.caption.values)
    answers = pd.read_csv(ROOT / "sample_data" / "ai_survey_google_forms.csv", dtype=str)
    assert answers[SAMPLE_QUESTION].fillna("").str.contains("評価").sum() >= 3
    assert before.index[0] == "雇用不安"

    words = "、".join(default_entries()[0].words)
    edit_dictionary(at, {"edited_rows": {"0": {"words": f"{words}、評価"}}})
    assert "テーマ辞書を保存しました。" in at.success.values
    assert audit_rows()["detail"].tolist() == ["語を変更: 雇用不安（+評価）"]

    added = theme_table(at)
    assert any("人事が設定画面で編集したもの" in c for c in at.caption.values)
    assert list(added.index) == list(before.index) and list(added.columns) == list(before.columns)
    assert (added.loc["雇用不安"] >= before.loc["雇用不安"]).all()
    assert (added.loc["雇用不安"] > before.loc["雇用不安"]).any()  # a new cache key, new counts
    pd.testing.assert_frame_equal(added.drop(index="雇用不安"), before.drop(index="雇用不安"))

    edit_dictionary(at, {"edited_rows": {"1": {"name": "試行疲れ"}}})
    renamed = theme_table(at)
    assert list(renamed.index) == ["雇用不安", "試行疲れ", *added.index[2:]]
    assert renamed.values.tolist() == added.values.tolist()  # only the name changed
    assert audit_rows()["detail"].tolist()[0] == "追加: 試行疲れ／削除: PoC疲れ"

    run_page(at, "pages/6_settings.py")
    [reset] = [b for b in at.button if b.label == "標準の辞書に戻す"]
    reset.click().run()
    assert "標準の辞書に戻しました。" in at.success.values
    assert WaveStore().theme_dictionary().saved_at is None
    pd.testing.assert_frame_equal(theme_table(at), before)
    assert len(audit_rows()) == 3


def test_a_refused_edit_shows_why_and_keeps_the_dictionary(data_dir):
    at = app().run()
    run_page(at, "pages/6_settings.py")
    key = themes_editor.editor_key(WaveStore().theme_dictionary())
    at.session_state[key] = {
        "edited_rows": {},
        "added_rows": [{"name": "雇用不安", "words": "解雇"}],
        "deleted_rows": [],
    }
    at.run()
    [save] = [b for b in at.button if b.label == "テーマ辞書を保存"]
    save.click().run()
    assert any("「雇用不安」が2回あります" in e for e in at.error.values)
    assert WaveStore().theme_dictionary().saved_at is None
    assert audit_rows().empty


@pytest.mark.parametrize("role", ["管理職", "研修講師"])
def test_only_hr_sees_the_dictionary_editor(data_dir, role):
    at = app()
    sign_in(at, "鈴木", role=role)
    at.run()
    run_page(at, "pages/6_settings.py")
    assert "テーマ辞書" not in at.subheader.values
    assert not [b for b in at.button if b.label in ("テーマ辞書を保存", "標準の辞書に戻す")]
    assert at.error  # the page says why it is refused


# --------------------------------------------------------------------------- deck and CLI


def small_real_survey(tmp_path: Path):
    """50 distinct real answers: a small question, grouped by the theme dictionary."""
    real = load_survey(REAL_FILE)
    answers = real.texts(REAL_QUESTION)["text"].dropna().drop_duplicates().head(50)
    path = tmp_path / "small.csv"
    pd.DataFrame({"感想": answers}).to_csv(path, index=False)
    return load_survey(path)


def deck_text(content: bytes) -> str:
    """Every text of the deck: shapes, tables, chart categories and series, notes."""
    parts = []
    for slide in Presentation(io.BytesIO(content)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
            if getattr(shape, "has_chart", False) and shape.has_chart:
                for plot in shape.chart.plots:
                    parts += [str(c) for c in plot.categories]
                    parts += [s.name for s in plot.series]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


@needs_realdata
def test_the_deck_groups_a_small_question_by_the_stored_dictionary(data_dir, tmp_path):
    survey = small_real_survey(tmp_path)
    column = survey.schema.free_text[0]
    plain = deck_text(data.deck(survey, 5, 10))

    at = app().run()
    edit_dictionary(at, {"added_rows": [{"name": "温泉", "words": "温泉、風呂"}]})
    stored = WaveStore().themes()
    expected = pipeline.topic_model(survey, column, k=None, min_group=10, themes=stored)
    assert "温泉" in expected.topics["label"].tolist()
    with_theme = deck_text(data.deck(survey, 5, 10))  # the dictionary is part of the deck's key
    assert any(line.endswith(": 温泉") for line in with_theme.splitlines())  # 話題n: 温泉
    assert not any(line.endswith(": 温泉") for line in plain.splitlines())
    assert with_theme != plain

    last = str(len(default_entries()))
    edit_dictionary(at, {"edited_rows": {last: {"name": "湯の評判"}}})
    renamed = deck_text(data.deck(survey, 5, 10))
    assert any(line.endswith(": 湯の評判") for line in renamed.splitlines())
    assert renamed.replace("湯の評判", "温泉") == with_theme  # only the name changed


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def cli_counts(*args: str, env: dict | None = None) -> dict[str, int]:
    result = cli("themes", str(REAL_FILE), "--column", REAL_QUESTION, "--json", *args, env=env)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    return {row["theme"]: row["n_mentions"] for row in payload["counts"]}


@needs_realdata
def test_the_cli_counts_with_the_stored_dictionary(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    before = cli_counts("--database-url", url)
    assert list(before) == [e.name for e in default_entries()]

    real = load_survey(REAL_FILE).texts(REAL_QUESTION)["text"].fillna("")
    assert real.str.contains("温泉").sum() >= 5  # a word real answers use
    entries = list(default_entries())
    safety = next(i for i, e in enumerate(entries) if e.name == "心理的安全性")
    entries[safety] = entries[safety]._replace(words=(*entries[safety].words, "温泉"))
    store = WaveStore(url)
    store.set_themes(rows_of(entries))
    store.engine.dispose()

    added = cli_counts("--database-url", url)
    assert added["心理的安全性"] > before["心理的安全性"]
    assert added["心理的安全性"] <= before["心理的安全性"] + real.str.contains("温泉").sum()
    assert {k: v for k, v in added.items() if k != "心理的安全性"} == {
        k: v for k, v in before.items() if k != "心理的安全性"
    }
    text = cli("themes", str(REAL_FILE), "--column", REAL_QUESTION, env={DATABASE_URL_ENV: url})
    assert "設定画面で編集した辞書" in text.stdout.splitlines()[0]  # the configured store
    assert f"   心理的安全性: {added['心理的安全性']}件" in text.stdout

    entries[safety] = entries[safety]._replace(name="安心感")
    store = WaveStore(url)
    store.set_themes(rows_of(entries))
    store.engine.dispose()
    renamed = cli_counts("--database-url", url)
    assert list(renamed.values()) == list(added.values())
    assert list(renamed) == [("安心感" if k == "心理的安全性" else k) for k in added]


def test_the_cli_without_a_database_uses_themes_toml_and_creates_none(tmp_path):
    folder = tmp_path / "empty"
    env = {"KAKEHASHI_DATA_DIR": str(folder), DATABASE_URL_ENV: ""}
    sample = ROOT / "sample_data" / "ai_survey_google_forms.csv"
    result = cli("themes", str(sample), "--column", SAMPLE_QUESTION, env=env)
    assert result.returncode == 0, result.stderr
    assert "標準（analysis/themes.toml）" in result.stdout.splitlines()[0]
    assert not (folder / "kakehashi.db").exists()
