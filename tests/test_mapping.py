"""A mapping the user owns: sheets, remapping stored files with history, `--mapping`, the editor.

Files are the vendor exports of ``exports.py`` (six respondents, two waves) and
workbooks built here with openpyxl. The stores are real databases: SQLite, and
PostgreSQL when ``KAKEHASHI_TEST_POSTGRES_URL`` is set.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import exports
import openpyxl
import pytest
from sqlalchemy import func, select, text
from streamlit.testing.v1 import AppTest
from test_cli import run

from analysis import store as store_module
from analysis.cli import report_survey
from analysis.errors import SurveyError
from analysis.load import read_survey
from analysis.mapping import mapping_changes, mapping_summary
from analysis.schema import Field, load_survey, schema_from_choices
from analysis.store import DEFAULT_SURVEY, WaveStore

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # ui/ lives at the repository root
    sys.path.insert(0, str(ROOT))

from ui.mapping import editor_key, tier_editor_key  # noqa: E402

POSTGRES_URL = os.environ.get("KAKEHASHI_TEST_POSTGRES_URL")
STATEMENT = exports.STATEMENTS[0]
ITEM = f"{exports.GRID_QUESTION} [{STATEMENT}]"  # its column in the Google Forms export


def saved_google(store: WaveStore):
    data = exports.google_forms_csv()
    schema = load_survey(data).schema
    store.save(data, filename="google.csv", schema=schema)
    [upload] = store.uploads()
    return upload


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


COVER = [["AI導入研修アンケート 集計結果"], [], ["実施: 2025年4月"], ["対象: 全社員"], ["社外秘"]]
ANSWERS = [
    ["役職", "部署", STATEMENT, "ご意見"],
    *[[r[0], r[2], r[3][0], r[4]] for r in exports.ROWS],
]
SUMMARY = [["項目", "平均"], [STATEMENT, 4.2]]


# --------------------------------------------------------------------------- sheets


@pytest.mark.parametrize(
    ("sheets", "wanted", "read", "warning"),
    [
        (
            {"表紙": COVER, "回答": ANSWERS, "集計": SUMMARY},
            None,
            "回答",
            "ブックに3枚のシートがあります。「回答」を読み込みました（ほかに「表紙」「集計」）。"
            "違うシートの場合は選び直してください。",
        ),
        ({"集計": SUMMARY, "回答": ANSWERS}, None, "回答", "「回答」を読み込みました"),
        ({"表紙": COVER, "回答": ANSWERS, "集計": SUMMARY}, "集計", "集計", None),
        ({"回答": ANSWERS}, None, None, None),  # one sheet: nothing to choose
    ],
)
def test_the_sheet_that_holds_the_answers_is_read(sheets, wanted, read, warning):
    table = read_survey(workbook(sheets), name="book.xlsx", sheet=wanted)
    assert table.sheets == tuple(sheets)
    assert table.sheet == read
    if warning is None:
        assert not [w for w in table.warnings if "シート" in w]
    else:
        assert [w for w in table.warnings if warning in w]
    expected = sheets[read or "回答"]
    assert list(table.frame.columns) == expected[0]
    assert len(table.frame) == len(expected) - 1


def test_each_sheet_of_the_same_bytes_is_another_table():
    data = workbook({"表紙": COVER, "回答": ANSWERS, "集計": SUMMARY})
    chosen, named, other = (read_survey(data, sheet=s) for s in (None, "回答", "集計"))
    assert chosen.digest == named.digest != other.digest


@pytest.mark.parametrize(
    ("data", "sheet", "message"),
    [
        (workbook({"表紙": COVER, "回答": ANSWERS}), "Sheet1", "シート「Sheet1」がありません（あるシート: 「表紙」、「回答」）"),
        (exports.plain_csv(), "回答", "シート「回答」"),
    ],
)  # fmt: skip
def test_a_sheet_that_is_not_there_is_named(data, sheet, message):
    with pytest.raises(SurveyError, match=message):
        read_survey(data, name="book", sheet=sheet)


def test_the_cell_limit_applies_to_the_sheet_read_and_choosing_stays_cheap():
    book = openpyxl.Workbook()
    book.active.title = "範囲"
    book.active["A1"], book.active["B1"] = "メモ", "x"
    book.active["XFD1048576"] = "end"  # a small sheet that spans every cell
    answers = book.create_sheet("回答")
    for row in ANSWERS:
        answers.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    started = time.perf_counter()
    assert read_survey(data).sheet == "回答"
    assert time.perf_counter() - started < 10
    with pytest.raises(SurveyError, match="列が多すぎます|シートの範囲が大きすぎます"):
        read_survey(data, sheet="範囲")


# --------------------------------------------------------------------------- store


def test_remap_keeps_history_labels_and_the_chosen_sheet(url):
    store = WaveStore(url)
    data = workbook({"表紙": COVER, "回答": ANSWERS})
    table = read_survey(data, name="book.xlsx")
    schema = replace(load_survey(data).schema, sheet=table.sheet)
    store.save(data, filename="book.xlsx", schema=schema, wave_label="研修前")
    [upload] = store.uploads()
    assert upload.schema.sheet == "回答"
    again, stored = store.upload_table(upload.id)
    assert (again.sheet, list(again.frame.columns)) == ("回答", ANSWERS[0])
    store.rename_wave(upload.waves[0].id, "研修直前")

    fields = {c: stored.field_of(c) for c in again.frame.columns} | {"役職": Field.OTHER}
    fields["部署"] = Field.ROLE
    remapped = schema_from_choices(again, fields, base=stored)
    waves = store.remap(upload.id, remapped, note="部署で比べる")
    assert [(w.label, w.n_responses) for w in waves] == [("研修直前", 6)]  # HR's label stays
    assert store.uploads()[0].schema.role == "部署"
    assert set(store.survey().frame["role"]) == {"経営企画部", "営業部"}
    [change] = WaveStore(url).mapping_history(upload.id)
    assert (change.before.role, change.after.role, change.note) == ("役職", "部署", "部署で比べる")
    assert "役割: 役職 → 部署" in mapping_changes(change.before, change.after)


@pytest.mark.parametrize(
    ("wave", "expected"),
    [
        ("回答時期", [("研修直前", 3), ("研修後", 3)]),  # the same column: labels kept
        (None, [("google", 6)]),  # no wave column: one wave named after the file
        ("部署", [("経営企画部", 2), ("営業部", 4)]),  # another column: its values
    ],
)
def test_remap_recounts_waves(url, wave, expected):
    store = WaveStore(url)
    upload = saved_google(store)
    store.rename_wave(upload.waves[0].id, "研修直前")
    department = None if wave == "部署" else upload.schema.department
    schema = replace(upload.schema, wave=wave, department=department)
    waves = store.remap(upload.id, schema)
    assert sorted((w.label, w.n_responses) for w in waves) == sorted(expected)
    assert sorted((w.label, w.n_responses) for w in store.waves()) == sorted(expected)


def test_a_wave_hr_deleted_stays_deleted_when_the_wave_column_stays(url):
    store = WaveStore(url)
    upload = saved_google(store)
    store.delete_wave(upload.waves[0].id)
    schema = replace(upload.schema, items=upload.schema.items[:1])
    assert [w.label for w in store.remap(upload.id, schema)] == ["研修後"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"role": "役割"}, "役割"),  # a column the file lacks
        ({"wave": "存在しない列"}, "存在しない列"),
        ({"sheet": "回答"}, "シート「回答」"),  # a CSV has no sheets
    ],
)
def test_a_remap_that_fails_changes_nothing(url, change, message):
    store = WaveStore(url)
    upload = saved_google(store)
    with pytest.raises(SurveyError, match=message):
        store.remap(upload.id, replace(upload.schema, **change))
    assert store.uploads() == [upload]
    assert store.mapping_history(upload.id) == []


def test_a_failure_mid_remap_leaves_the_old_mapping(url, monkeypatch):
    store = WaveStore(url)
    upload = saved_google(store)

    def failing_history(**columns):
        raise RuntimeError("disk full")  # after the waves were recounted, before the commit

    schema = replace(upload.schema, wave=None)
    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(store_module, "_MappingHistory", failing_history)
        store.remap(upload.id, schema)
    assert store.uploads() == [upload]
    assert [w.label for w in store.waves()] == ["研修前", "研修後"]
    with store._session() as session:
        assert session.scalar(select(func.count()).select_from(store_module._MappingHistory)) == 0


def test_a_remap_of_role_tiers_gives_the_survey_a_new_key(url):
    store = WaveStore(url)
    upload = saved_google(store)
    before = store.survey()
    store.remap(upload.id, replace(upload.schema, role_tiers={"管理職": "経営層"}))
    after = store.survey()
    assert set(after.frame["role"]) == {"経営層", "一般社員"}
    assert after.key != before.key  # cached analyses of the old mapping are not reused
    assert store.mapping_revisions() != ((upload.id, 0),)


def test_a_database_from_before_mapping_history_still_opens(url):
    store = WaveStore(url)
    upload = saved_google(store)
    with store.engine.begin() as connection:
        connection.execute(text("DROP TABLE mapping_history"))
    store.engine.dispose()
    reopened = WaveStore(url)  # as the new version opening an old database
    assert [w.label for w in reopened.waves()] == ["研修前", "研修後"]
    assert reopened.mapping_history(upload.id) == []
    reopened.remap(upload.id, replace(upload.schema, department=None))
    assert len(reopened.mapping_history(upload.id)) == 1


# --------------------------------------------------------------------------- command line


def inspected(path: Path) -> dict:
    result = run("inspect", str(path), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _role_is_department(payload: dict) -> None:
    payload["mapping"]["role"], payload["mapping"]["department"] = "部署", None


def _managers_are_executives(payload: dict) -> None:
    payload["mapping"]["role_tiers"] = {"管理職": "経営層"}


def _bare_mapping_on_four_points(payload: dict) -> None:
    mapping = payload["mapping"]
    mapping["items"][0]["scale"] = "agree4"  # "points": 5 left as it was: the scale decides
    payload.clear()
    payload.update(mapping)


@pytest.mark.parametrize(
    ("edit", "roles", "points"),
    [
        (_role_is_department, {"経営企画部", "営業部"}, [5, 5]),
        (_managers_are_executives, {"経営層", "一般社員"}, [5, 5]),
        (_bare_mapping_on_four_points, {"経営層", "管理職", "一般社員"}, [4, 5]),
    ],
)
def test_inspect_json_edited_is_the_mapping_every_command_uses(google_file, tmp_path, edit, roles, points):  # fmt: skip
    payload = inspected(google_file)
    assert payload["mapping"]["role"] == payload["columns"]["role"] == "役職"
    edit(payload)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    pinned = json.loads(
        run("inspect", str(google_file), "--json", "--mapping", str(mapping)).stdout
    )
    assert [item["points"] for item in pinned["items"]] == points
    result = run("gaps", str(google_file), "--json", "--min-group", "1", "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    gaps = json.loads(result.stdout)
    assert {row["role"] for row in gaps["items"]} == roles
    scored = {row["item"]: row["n"] for row in gaps["items"] if row["role"] in roles}
    assert sum(scored.values()) > 0


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"role": "役割"}', ["mapping.json", "役割"]),  # a column the file lacks
        ('{"items": [{"column": "' + ITEM + '", "scale": "agree9"}]}', ["agree9"]),
        ('{"items": 5}', ["mapping.json"]),
        ('{"role": ', ["mapping.json", "JSON"]),
        ("[1, 2]", ["mapping.json"]),
        (None, ["mapping.json", "開けません"]),  # no such file
    ],
)
def test_a_bad_mapping_is_one_japanese_line(google_file, tmp_path, content, words):
    mapping = tmp_path / "mapping.json"
    if content is not None:
        mapping.write_text(content, encoding="utf-8")
    commands = [["gaps"]]
    if content == '{"role": "役割"}':  # every command reads the mapping the same way
        commands += [["inspect", "--json"], ["trends"], ["topics", "--column", "x"], ["report"]]
    for command in commands:
        result = run(*command[:1], str(google_file), *command[1:], "--mapping", str(mapping))
        assert result.returncode == 1, (command, result.stdout)
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("エラー: ") and "Traceback" not in result.stderr
        assert all(word in line for word in words), line


def test_report_applies_the_mapping_to_each_file(tmp_path):
    paths = []
    for wave in ("研修前", "研修後"):
        path = tmp_path / f"{wave}.csv"
        rows = [r for r in exports.ROWS if r[1] == wave]
        lines = ["役職,部署," + STATEMENT] + [f"{r[0]},{r[2]},{r[3][0]}" for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"role": "部署", "items": [{"column": STATEMENT}]}), "utf-8")
    survey = report_survey(paths, mapping=str(mapping))
    assert survey.waves == ["研修前", "研修後"]
    assert set(survey.frame["role"]) == {"経営企画部", "営業部"}


# --------------------------------------------------------------------------- pages


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def summary(at: AppTest) -> str:
    [line] = [i.value for i in at.info if i.value.startswith("尺度項目")]
    return line


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    ok(at.switch_page("pages/1_upload.py").run())
    at.file_uploader[0].set_value((name, content, "text/csv")).run()
    return ok(at)


def edit(at: AppTest, key: str, rows: dict[int, dict[str, object]]) -> AppTest:
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return ok(at.run())


def test_upload_summary_follows_a_scale_chosen_in_the_grid(data_dir):
    content = exports.google_forms_csv()
    at = upload(app().run(), "google.csv", content)
    assert summary(at) == (
        "尺度項目 2問（5件法 2、うち逆転 1）、自由記述 1問、役割: 「役職」（経営層・管理職・一般社員）、"
        "回答時期: 2（研修前・研修後）、部署: 「部署」（2部署）、個人情報 2列は表示しません（メールアドレス・社員番号）"
    )
    key = editor_key("mapping", read_survey(content))
    grid = at.data_editor(key=key).value
    row = int(grid.index[grid["列"] == ITEM][0])
    assert grid.loc[row, "尺度"] == "5件法（まったくそう思わない〜とてもそう思う）"
    assert set(grid["確信度"]) <= {"高", "中", "低", ""}

    edit(at, key, {row: {"尺度": "4件法（まったくそう思わない〜とてもそう思う）"}})
    assert summary(at).startswith("尺度項目 2問（5件法 1・4件法 1、うち逆転 1）")
    grid = at.data_editor(key=key).value
    assert grid.loc[row, "理由"] == "手動で変更: 尺度 5件法 → 4件法"
    assert [w for w in at.warning if "4件法" in w.value and "合いません" in w.value]


ROLE_CSV = "役職,AIは役立つと思う\n" + "".join(
    f"{role},{answer}\n"
    for role, answer in [("部長", "そう思う"), ("部長", "とてもそう思う"), ("一般", "そう思わない"),
                         ("一般", "どちらともいえない"), ("役員", "とてもそう思う"), ("部長", "そう思う")]
)  # fmt: skip


@pytest.mark.parametrize(("tier", "stored"), [("管理職", "管理職"), ("そのまま", "部長")])
def test_role_tier_editor_sets_what_is_saved(data_dir, tier, stored):
    content = ROLE_CSV.encode("utf-8")
    at = upload(app().run(), "roles.csv", content)
    key = tier_editor_key("mapping", read_survey(content), "役職")
    tiers = at.data_editor(key=key).value
    assert tiers[["値", "件数"]].values.tolist() == [["部長", 3], ["一般", 2], ["役員", 1]]
    edit(at, key, {0: {"区分": tier}})
    assert f"（{stored}" in summary(at) or f"・{stored}" in summary(at)
    [save] = [b for b in at.button if b.label == "保存する"]
    ok(save.click().run())
    assert not at.error
    roles = set(WaveStore().survey(DEFAULT_SURVEY).frame["role"])
    other = {"管理職": "部長", "部長": "管理職"}[stored]
    assert stored in roles and other not in roles


def test_settings_remaps_a_stored_upload_and_lists_the_change(data_dir):
    store = WaveStore()
    stored = saved_google(store)
    at = ok(app().run())
    ok(at.switch_page("pages/6_settings.py").run())
    assert [e.label for e in at.expander] == ["列の対応付けを見直す（google.csv）"]
    at.session_state[f"remap_open_{stored.id}"] = True
    ok(at.run())
    key = editor_key(f"remap_{stored.id}_0", store.upload_table(stored.id)[0])
    grid = at.data_editor(key=key).value
    rows = {c: int(grid.index[grid["列"] == c][0]) for c in ("役職", "部署")}
    edit(
        at,
        key,
        {rows["役職"]: {"判定": "その他（分析しない）"}, rows["部署"]: {"判定": "役割（役職）"}},
    )
    assert "役割: 「部署」（経営企画部・営業部）" in summary(at)
    [note] = [t for t in at.text_input if t.label == "変更のメモ（任意）"]
    note.set_value("部署ごとに比べる")
    [button] = [b for b in at.button if b.label == "この対応付けで再分析する"]
    ok(button.click().run())
    assert any("再分析しました" in t.value for t in at.toast)
    assert store.uploads()[0].schema.role == "部署"
    [history] = [d.value for d in at.dataframe if "変更" in d.value.columns]
    assert history["変更"].tolist() == ["役割: 役職 → 部署、部署: 部署 → なし"]
    assert history["メモ"].tolist() == ["部署ごとに比べる"]

    ok(at.switch_page("app.py").run())  # every page analyses the new mapping
    counts = at.dataframe[0].value
    assert set(counts["役割"]) == {"経営企画部", "営業部"}
    assert mapping_summary(*store.upload_table(stored.id)).count("部署: なし") == 1
