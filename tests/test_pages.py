"""Every page under Streamlit's AppTest, with numbers checked against pandas on the raw CSV.

Each test gets an empty wave store (``data_dir`` in conftest.py), so the pages start on
the bundled sample (``sample_data/ai_survey_google_forms.csv``, see its README for the
planted effects). Charts are read back from their Plotly JSON, tables from their Arrow
data: what a manager would see, not what the analysis functions return.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from analysis.load import read_survey
from analysis.schema import load_survey
from analysis.store import DEFAULT_SURVEY, WaveStore

ROOT = Path(__file__).resolve().parents[1]
GOOGLE_CSV = ROOT / "sample_data" / "ai_survey_google_forms.csv"
CP932_CSV = ROOT / "sample_data" / "ai_survey_excel_cp932.csv"
WAVES = ["研修前", "研修後", "3か月後"]
ROLES = ["経営層", "管理職", "一般社員"]
LIKERT = {"まったくそう思わない": 1, "そう思わない": 2, "どちらともいえない": 3, "そう思う": 4, "とてもそう思う": 5}  # fmt: skip
Q2 = "AIで自分の仕事が楽になると思う"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


# --------------------------------------------------------------------------- independent answers


def people(counts: pd.DataFrame) -> pd.DataFrame:
    """The home table's labels (「24人」) as numbers; a hidden cell (「5人未満」「非表示」) fails."""
    return counts.apply(lambda column: column.str.removesuffix("人").astype(int))


def sample_answers() -> pd.DataFrame:
    """The Google Forms sample in long form, scored 1-5 with pandas alone (raw, not reversed)."""
    frame = pd.read_csv(GOOGLE_CSV, dtype=str)
    items = {c: re.search(r"\[(.+)\]$", c).group(1) for c in frame.columns if c.endswith("]")}
    long = frame.melt(
        id_vars=["社員番号", "役職", "部署", "回答時期"],
        value_vars=list(items),
        var_name="column",
        value_name="label",
    )
    long["item"] = long["column"].map(items)
    long["value"] = long["label"].map(LIKERT)
    return long.dropna(subset=["value"])


ANSWERS = sample_answers()


def mean_of(**where: str) -> float:
    rows = ANSWERS
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows), where
    return float(rows["value"].mean())


def fingerprint(value: float) -> str | None:
    """The first four decimals, as they sit inside a full-precision number in JSON or text.

    ``None`` for values with a short expansion (``2.44``): too likely to turn up by chance.
    """
    text = f"{value:.12f}"
    if len(repr(round(value, 12)).split(".")[-1]) < 6:
        return None
    return text[: text.index(".") + 5]


# --------------------------------------------------------------------------- element tree


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)


def run_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_tab(at: AppTest, name: str, *, english: bool = False) -> AppTest:
    """Open the free-text page's tab ``name`` (its Japanese name) as a click does.

    Only the open tab runs (``st.tabs(on_change="rerun")``); a click stores the tab's
    label under the tabs' key and reruns the page.
    """
    from ui import state
    from ui.text import ENGLISH

    assert name in state.FREE_TEXT_TABS, name
    at.session_state[state.FREE_TEXT_TAB] = ENGLISH.get(name, name) if english else name
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def every_tab(at: AppTest, *, english: bool = False) -> Iterator[str]:
    """Open each tab of the free-text page in turn; yields its Japanese name once it is open."""
    from ui import state

    for name in state.FREE_TEXT_TABS:
        open_tab(at, name, english=english)
        yield name


def _decode(value):
    """Plotly's JSON with its base64 typed arrays (``{"dtype", "bdata"}``) turned into lists."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            if "shape" in value:
                array = array.reshape([int(s) for s in str(value["shape"]).split(",")])
            return array.tolist()
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def charts(at: AppTest) -> list[dict]:
    return [_decode(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def chart_titled(at: AppTest, start: str) -> dict:
    found = [c for c in charts(at) if c["layout"]["title"]["text"].startswith(start)]
    assert len(found) == 1, [c["layout"]["title"]["text"] for c in charts(at)]
    return found[0]


def marker_traces(spec: dict) -> dict[str, dict]:
    """Dumbbell or trend traces by role (the named ones; bands and lines have no plain name)."""
    return {t["name"]: t for t in spec["data"] if t.get("name") in ROLES}


def trace_data(spec: dict) -> str:
    """Everything the traces carry (names, x, y, text, hover data), without titles."""
    return json.dumps(spec["data"], ensure_ascii=False)


def page_text(at: AppTest) -> str:
    """All of the page as text: protos, tables cell by cell, charts with arrays decoded."""
    parts = []
    for root in (at.main, at.sidebar):
        for node in root:
            if node.type == "dataframe":
                parts.append(json.dumps(node.value.to_dict(orient="split"), ensure_ascii=False, default=str))  # fmt: skip
            elif node.type == "plotly_chart":
                parts.append(json.dumps(_decode(json.loads(node.proto.spec)), ensure_ascii=False))
            elif getattr(node, "proto", None) is not None:
                parts.append(text_format.MessageToString(node.proto, as_utf8=True))
    return "\n".join(parts)


def set_threshold(at: AppTest, n: int) -> None:
    run_page(at, "pages/6_settings.py")
    [box] = [b for b in at.number_input if b.label == "数値を表示する最小人数"]
    box.set_value(n).run()
    [save] = [b for b in at.button if b.label == "基準を保存"]
    save.click().run()
    assert not at.exception
    assert "匿名性の基準を保存しました。" in [toast.value for toast in at.toast]
    assert f"数値は{n}人以上" in " ".join(at.sidebar.caption.values)  # the sidebar shows it at once


def upload_editor_key(content: bytes, **read) -> str:
    """The upload page's column grid key for a file (it carries the file's digest)."""
    from ui.mapping import editor_key

    return editor_key("mapping", read_survey(content, **read))


def select(at: AppTest, label: str, value: str) -> None:
    [box] = [s for s in at.selectbox if s.label == label]
    box.set_value(value).run()
    assert not at.exception, [e.message for e in at.exception]


# --------------------------------------------------------------------------- home


def test_home_falls_back_to_sample_with_wave_order_and_counts(data_dir):
    at = app().run()
    assert not at.exception
    assert at.title.values[0] == "架け橋 Kakehashi"
    assert at.sidebar.selectbox[0].value == "サンプルデータ（デモ）"
    assert "回答時期の順序: 研修前 → 研修後 → 3か月後" in at.markdown.values
    metrics = {m.label: m.value for m in at.metric}
    # every group of the sample is over the threshold: the shown groups' total is everyone
    assert metrics == {
        "回答者数（表示中のグループ）": "867人", "回答時期": "3", "尺度項目 / 自由記述": "10 / 3",
    }  # fmt: skip

    counts = at.dataframe[0].value.set_index("役割")
    assert list(counts.columns) == WAVES
    sheets = pd.read_csv(GOOGLE_CSV, dtype=str)
    expected = pd.crosstab(sheets["役職"], sheets["回答時期"])[WAVES]
    numbers = people(counts)
    assert numbers.loc[ROLES].equals(expected.loc[ROLES].rename_axis("役割"))
    assert numbers.sum().tolist() == [300, 291, 276]

    understood = at.dataframe[1].value
    assert {"回答時期", "役割（役職）", "部署", "回答者ID"} <= set(understood["判定"])


def test_language_toggle_switches_labels_not_data(data_dir):
    at = app().run()
    assert "役割 × 回答時期の回答数" in at.subheader.values
    at.sidebar.radio[0].set_value("English").run()
    assert not at.exception
    assert "Responses by role x wave" in at.subheader.values
    assert {m.label for m in at.metric} >= {"Respondents (groups shown)", "Wave"}
    run_page(at, "pages/2_gaps.py")  # the choice follows the user to other pages
    assert [s.value for s in at.selectbox if s.label == "Wave"] == ["研修前"]


# --------------------------------------------------------------------------- upload


def test_upload_cp932_edit_mapping_save_and_home_uses_stored_survey(data_dir):
    at = app().run()
    run_page(at, "pages/1_upload.py")
    content = CP932_CSV.read_bytes()
    at.file_uploader[0].set_value(("ai_survey_excel_cp932.csv", content, "text/csv")).run()
    assert not at.exception
    assert not at.error
    [loaded] = at.success.values
    assert "として読み込みました" in loaded
    assert "cp932" in loaded.lower()
    assert "867件" in loaded and "19列" in loaded

    grid = upload_editor_key(content)
    editor = at.data_editor(key=grid).value
    proposed = dict(zip(editor["列"], editor["判定"], strict=True))
    assert proposed["社員番号"] == "回答者ID"
    assert proposed["メール"] == "個人情報（表示しない）"
    assert proposed["回答時期"] == "回答時期"
    reversed_items = set(editor.loc[editor["逆転"], "列"])
    assert reversed_items == {"Q3_仕事を奪われる不安", "Q6_ひとりで抱え込み", "Q8_また実験で終わる"}
    preview = at.dataframe[-1].value
    assert "メール" not in preview.columns and "社員番号" not in preview.columns

    # HR drops Q10 from the analysis in the mapping editor.
    row = int(editor.index[editor["列"] == "Q10_AI活用意向"][0])
    at.session_state[grid] = {
        "edited_rows": {row: {"判定": "その他（分析しない）"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception and not at.error
    [save] = [b for b in at.button if b.label == "保存する"]
    save.click().run()
    assert not at.exception and not at.error
    saved = at.success.values[-1]
    assert saved == (
        f"「{DEFAULT_SURVEY}」に保存しました: 研修前（300件）、研修後（291件）、3か月後（276件）"
    )

    stored = WaveStore().survey(DEFAULT_SURVEY)
    assert len(stored.schema.items) == 9
    assert not any("AI活用意向" in item.label for item in stored.schema.items)

    run_page(at, "app.py")
    assert at.sidebar.selectbox[0].value == DEFAULT_SURVEY
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["尺度項目 / 自由記述"] == "9 / 3"
    counts = at.dataframe[0].value.set_index("役割")
    assert list(counts.columns) == WAVES
    assert people(counts).sum().tolist() == [300, 291, 276]
    assert people(counts).loc["経営層"].tolist() == [24, 21, 22]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("image.csv", b"\x89PNG\r\n\x1a\n" + bytes(200)),  # a screenshot renamed to .csv
        ("empty.csv", b""),
    ],
)
def test_invalid_upload_shows_one_japanese_error(data_dir, name, content):
    at = app().run()
    run_page(at, "pages/1_upload.py")
    at.file_uploader[0].set_value((name, content, "text/csv")).run()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert JAPANESE.search(message), message
    assert not at.success and not at.data_editor
    assert not [b for b in at.button if b.label == "保存する"]


# --------------------------------------------------------------------------- gaps


def test_gaps_dumbbell_means_match_pandas(data_dir):
    at = app().run()
    run_page(at, "pages/2_gaps.py")
    assert [s.value for s in at.selectbox if s.label == "回答時期"] == ["研修前"]
    dumbbell = marker_traces(chart_titled(at, "役割ごとの平均"))
    assert list(dumbbell) == ROLES
    for role in ROLES:
        shown = dict(zip(dumbbell[role]["y"], dumbbell[role]["x"], strict=True))
        expected = mean_of(回答時期="研修前", 役職=role, item=Q2)
        assert shown[Q2] == pytest.approx(expected, abs=1e-9)
    executive = dict(zip(dumbbell["経営層"]["y"], dumbbell["経営層"]["x"], strict=True))[Q2]
    frontline = dict(zip(dumbbell["一般社員"]["y"], dumbbell["一般社員"]["x"], strict=True))[Q2]
    assert round(executive, 2) == 4.08 and round(frontline, 2) == 2.59  # README: planted gap

    # Another wave moves the dots to that wave's means.
    select(at, "回答時期", "3か月後")
    dumbbell = marker_traces(chart_titled(at, "役割ごとの平均"))
    shown = dict(zip(dumbbell["管理職"]["y"], dumbbell["管理職"]["x"], strict=True))
    assert shown[Q2] == pytest.approx(mean_of(回答時期="3か月後", 役職="管理職", item=Q2))


def test_gaps_department_filter_hides_small_role_cells(data_dir):
    at = app().run()
    run_page(at, "pages/2_gaps.py")

    # 経営企画部: 経営層 24 shown; 管理職 3 and 一般社員 4 never.
    select(at, "部署", "経営企画部")
    dumbbell = chart_titled(at, "役割ごとの平均")
    bars = chart_titled(at, "肯定・中間・否定")
    assert list(marker_traces(dumbbell)) == ["経営層"]
    shown = dict(zip(marker_traces(dumbbell)["経営層"]["y"], marker_traces(dumbbell)["経営層"]["x"], strict=True))  # fmt: skip
    assert shown[Q2] == pytest.approx(mean_of(回答時期="研修前", 部署="経営企画部", 役職="経営層", item=Q2))  # fmt: skip
    for chart in (dumbbell, bars):
        assert "管理職" not in trace_data(chart) and "一般社員" not in trace_data(chart)

    # 経理部: 管理職 has 4 people; neither its role nor any of its means may appear.
    select(at, "部署", "経理部")
    small = ANSWERS[(ANSWERS["回答時期"] == "研修前") & (ANSWERS["部署"] == "経理部") & (ANSWERS["役職"] == "管理職")]  # fmt: skip
    assert small["社員番号"].nunique() == 4
    # Every role x 経理部 cell is hidden (complementary suppression): a notice, no chart.
    assert any("経理部は人数が少ないため" in info.value for info in at.info)
    assert not at.get("plotly_chart")
    text = page_text(at)
    hidden = [fingerprint(m) for m in small.groupby("item")["value"].mean()]
    hidden = [h for h in hidden if h]
    assert hidden, "no distinctive means to look for"
    assert not [h for h in hidden if h in text]


def test_gaps_threshold_hides_groups_everywhere_on_the_page(data_dir):
    at = app().run()
    before = ANSWERS[ANSWERS["回答時期"] == "研修前"]
    means = before.groupby(["役職", "item"])["value"].mean()
    overall = before.groupby("item")["value"].mean()
    prints = {
        role: [f for f in (fingerprint(m) for m in means.loc[role]) if f]
        + [f for f in (fingerprint(m - overall[i]) for i, m in means.loc[role].items()) if f]
        for role in ("経営層", "管理職")
    }
    assert all(len(p) >= 5 for p in prints.values()), prints

    # Control: at the default threshold (5) the walk does find the groups' numbers.
    run_page(at, "pages/2_gaps.py")
    text = page_text(at)
    for role, found in prints.items():
        assert all(f in text for f in found[:10]), role

    # 経営層 (24) under 80; 管理職 (76) too, and it would give 経営層 away by difference.
    set_threshold(at, 80)
    run_page(at, "pages/2_gaps.py")
    assert "数値は80人以上" in " ".join(at.sidebar.caption.values)
    text = page_text(at)
    for role, found in prints.items():
        assert not [f for f in found if f in text], role
    for title in ("役割ごとの平均", "肯定・中間・否定"):
        data = trace_data(chart_titled(at, title))
        assert "経営層" not in data and "管理職" not in data
        assert "一般社員" in data
    heatmap = chart_titled(at, "全体平均との差")["data"][0]
    for role in ("経営層", "管理職"):
        column = heatmap["x"].index(role)
        assert {row[column] for row in heatmap["text"]} == {"非表示"}
        assert all(row[column] is None or math.isnan(row[column]) for row in heatmap["z"])
    effects = at.dataframe[0].value
    assert not set(effects["a"]) & {"経営層", "管理職"} and not set(effects["b"]) & {"経営層", "管理職"}  # fmt: skip

    # The home page's counts follow the same threshold.
    run_page(at, "app.py")
    counts = at.dataframe[0].value.set_index("役割")
    assert counts.loc["経営層"].tolist() == ["80人未満"] * 3
    assert counts.loc["管理職"].tolist() == ["80人未満"] * 3
    assert people(counts.loc[["一般社員"]]).loc["一般社員"].tolist() == [200, 195, 182]


# --------------------------------------------------------------------------- trends


HEADLINE_CHANGE = re.compile(
    r"研修後、(経営層|管理職|一般社員)の『(.+?)』の平均は(\d+\.\d)(上昇|低下).*?n=(\d+)組"
)
HEADLINE_RETENTION = re.compile(
    r"(経営層|管理職|一般社員)の『(.+?)』は.*?平均 (\d\.\d)→(\d\.\d)→(\d\.\d)"
)


def test_trends_headlines_and_chart_follow_wave_order(data_dir):
    at = app().run()
    run_page(at, "pages/3_trends.py")
    assert "ポイント" in at.subheader.values
    [points] = [m for m in at.markdown.values if m.startswith("- ")]
    lines = points.splitlines()
    assert 3 <= len(lines) <= 5, lines

    checked = 0
    for line in lines:
        if match := HEADLINE_CHANGE.search(line):
            role, item, size, direction, n = match.groups()
            rows = ANSWERS[(ANSWERS["役職"] == role) & (ANSWERS["item"] == item)]
            wide = rows.pivot_table(index="社員番号", columns="回答時期", values="value")
            pairs = wide[["研修前", "研修後"]].dropna()
            change = (pairs["研修後"] - pairs["研修前"]).mean()
            assert int(n) == len(pairs), line
            assert f"{abs(change):.1f}" == size and (change > 0) == (direction == "上昇"), line
            checked += 1
        if match := HEADLINE_RETENTION.search(line):
            role, item, *shown = match.groups()
            expected = [f"{mean_of(回答時期=w, 役職=role, item=item):.1f}" for w in WAVES]
            assert shown == expected, line
            checked += 1
    assert checked >= 1, (
        lines
    )  # the sample loses 1-4 people per group: paired changes are held back

    select(at, "項目", Q2)
    trend = chart_titled(at, "回答時期ごとの平均")
    assert trend["layout"]["xaxis"]["categoryarray"] == WAVES
    lines_by_role = marker_traces(trend)
    assert list(lines_by_role) == ROLES
    for role, trace in lines_by_role.items():
        assert trace["x"] == WAVES
        expected = [mean_of(回答時期=w, 役職=role, item=Q2) for w in WAVES]
        assert trace["y"] == pytest.approx(expected, abs=1e-9), role
    changes = at.dataframe[0].value
    assert set(changes["item"]) == {Q2}


def test_trends_threshold_keeps_hidden_roles_out_of_headlines_and_chart(data_dir):
    at = app().run()
    set_threshold(at, 80)
    run_page(at, "pages/3_trends.py")
    for line in " ".join(m for m in at.markdown.values if m.startswith("- ")).splitlines():
        assert "経営層" not in line and "管理職" not in line, line
    trend = chart_titled(at, "回答時期ごとの平均")
    assert list(marker_traces(trend)) == ["一般社員"]
    assert "経営層" not in trace_data(trend) and "管理職" not in trace_data(trend)
    for table in at.dataframe:
        assert not set(table.value.get("role", [])) & {"経営層", "管理職"}


# --------------------------------------------------------------------------- settings


def test_settings_saves_thresholds_and_warns_below_five(data_dir):
    at = app().run()
    run_page(at, "pages/6_settings.py")
    assert "この調査に保存済みの回答時期はありません。" in at.info.values
    [scores] = [b for b in at.number_input if b.label == "数値を表示する最小人数"]
    assert scores.value == 5
    scores.set_value(3).run()
    assert any("5人未満" in w for w in at.warning.values)
    set_threshold(at, 12)
    run_page(at, "pages/6_settings.py")
    [scores] = [b for b in at.number_input if b.label == "数値を表示する最小人数"]
    assert scores.value == 12
    assert not at.warning
    assert "数値は12人以上" in " ".join(at.sidebar.caption.values)


def test_settings_renames_and_deletes_stored_waves(data_dir):
    content = CP932_CSV.read_bytes()
    schema = load_survey(content, name=CP932_CSV.name).schema
    WaveStore().save(content, filename=CP932_CSV.name, schema=schema)
    at = app().run()
    assert at.sidebar.selectbox[0].value == DEFAULT_SURVEY
    run_page(at, "pages/6_settings.py")
    listed = [m for m in at.markdown.values if "件 ／ 保存" in m]
    assert [m.split("**")[1] for m in listed] == WAVES
    assert "ai_survey_excel_cp932.csv ／ 276件" in listed[2]

    follow_up = WaveStore().waves(DEFAULT_SURVEY)[2].id
    at.text_input(key=f"rename_{follow_up}").set_value("フォローアップ").run()
    at.button(key=f"rename_button_{follow_up}").click().run()
    assert not at.exception and not at.error
    run_page(at, "app.py")
    assert "回答時期の順序: 研修前 → 研修後 → フォローアップ" in at.markdown.values

    run_page(at, "pages/6_settings.py")
    before = WaveStore().waves(DEFAULT_SURVEY)[0].id
    assert at.button(key=f"delete_{before}").disabled  # not without the confirmation box
    at.checkbox(key=f"confirm_{before}").check().run()
    at.button(key=f"delete_{before}").click().run()
    assert not at.exception
    assert [w.label for w in WaveStore().waves(DEFAULT_SURVEY)] == ["研修後", "フォローアップ"]
    run_page(at, "app.py")
    counts = at.dataframe[0].value.set_index("役割")
    assert list(counts.columns) == ["研修後", "フォローアップ"]
    assert people(counts).sum().tolist() == [291, 276]


def test_replacing_a_deleted_wave_shows_the_new_file(data_dir):
    """SQLite reuses a deleted last wave's id: the cached stored survey must still refresh."""
    content = CP932_CSV.read_bytes()
    store = WaveStore()
    store.save(content, filename=CP932_CSV.name, schema=load_survey(content, name="a.csv").schema)
    at = app().run()
    counts = at.dataframe[0].value.set_index("役割")
    assert people(counts)["3か月後"].sum() == 276

    # HR deletes the 3か月後 wave and saves a corrected file for it: 100 answer sheets.
    store.delete_wave(store.waves(DEFAULT_SURVEY)[2].id)
    sheets = pd.read_csv(io.BytesIO(content), encoding="cp932", dtype=str)
    fixed = sheets[sheets["回答時期"] == "3か月後"].head(100).to_csv(index=False).encode("cp932")
    store.save(fixed, filename="fixed.csv", schema=load_survey(fixed, name="fixed.csv").schema)
    assert store.survey(DEFAULT_SURVEY).frame["wave"].value_counts()["3か月後"] == 100

    run_page(at, "app.py")
    counts = at.dataframe[0].value.set_index("役割")
    assert people(counts)["3か月後"].sum() == 100


# --------------------------------------------------------------------------- free text


PII = re.compile(
    r"@example\.co\.jp|0[89]0-\d{4}-\d{4}|０８０|E\d{5}|山田さん|林部長|鈴木部長|藤田主任|渡辺|松本"
)


def test_free_text_topics_and_search_never_show_personal_information(data_dir):
    at = app().run()
    run_page(at, "pages/4_free_text.py")
    ideas = "AIを活用できそうな業務やアイデアがあればお書きください。"
    select(at, "設問", ideas)
    answers = pd.read_csv(GOOGLE_CSV, dtype=str)[ideas]
    assert answers.str.contains(PII).sum() >= 5  # the planted PII is in this question
    summary = next(c for c in at.caption.values if c.startswith("回答 "))
    assert re.match(r"回答 [\d,]+件を\d+個の話題に分けました", summary), summary
    shares = chart_titled(at, "話題の割合")
    assert all(t["type"] == "bar" for t in shares["data"]) and shares["data"]

    assert not [t for t in at.text_input if t.label == "キーワード"]  # a closed tab does not run
    open_tab(at, "キーワード検索")
    [search] = [t for t in at.text_input if t.label == "キーワード"]
    search.set_value("試しています").run()
    assert not at.exception
    hits = [t for t in at.text.values if t.startswith("［")]
    assert len(hits) >= 3
    assert all("【試しています】" in h for h in hits)
    assert sum("〔電話〕" in h for h in hits) >= 2  # the planted phone numbers, masked
    assert not PII.findall(page_text(at))


# --------------------------------------------------------------------------- export


def test_export_deck_and_tables_follow_the_threshold(data_dir, monkeypatch):
    from pptx import Presentation
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        files[filename or mimetype] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    at = app().run()
    set_threshold(at, 80)
    run_page(at, "pages/5_export.py")
    select(at, "CSV で書き出す表", "役割別スコア")
    table = at.dataframe[0].value  # as downloaded: Japanese headers and values
    hidden = table[table["役割"].isin(["経営層", "管理職"])]
    assert len(hidden) == 2 * 3 * 10 and (hidden["非表示"] == "はい").all()
    assert hidden[["人数", "平均", "平均 95%CI下限", "平均 95%CI上限", "肯定率"]].isna().all().all()
    shown = table[(table["役割"] == "一般社員") & (table["項目"] == Q2)].set_index("回答時期")
    assert shown["平均"].tolist() == pytest.approx(
        [mean_of(回答時期=w, 役職="一般社員", item=Q2) for w in WAVES]
    )
    [create] = [b for b in at.button if b.label == "スライドを作成"]
    create.click().run()
    assert not at.exception
    assert "スライドをダウンロード（.pptx）" in [d.label for d in at.download_button]
    [name] = [n for n in files if n.endswith("_deck.pptx")]
    deck = Presentation(io.BytesIO(files[name]))
    assert len(deck.slides) >= 5

    series, text = {}, []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                text.append(shape.text_frame.text)
            if shape.has_table:
                text += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                for plot in shape.chart.plots:
                    categories = list(plot.categories)
                    for line in plot.series:
                        series.setdefault(line.name, []).append((categories, list(line.values)))
    assert set(series) & set(ROLES) == {"一般社員"}
    expected = [round(mean_of(回答時期=w, 役職="一般社員", item=Q2), 2) for w in WAVES]
    assert (WAVES, expected) in [(c, [round(v, 2) for v in vs]) for c, vs in series["一般社員"]]
    counts = next(t for t in text if "80人未満" in t)
    assert counts and "24人" not in " ".join(text) and "76人" not in " ".join(text)


def test_free_text_counts_only_groups_that_may_be_shown(data_dir):
    """Topic counts next to per-group shares must not let a small group's count be subtracted out."""
    from analysis.text import is_no_answer

    ideas = "AIを活用できそうな業務やアイデアがあればお書きください。"
    frame = pd.read_csv(GOOGLE_CSV, dtype=str)
    said = frame[[not is_no_answer(t) for t in frame[ideas]]]
    per_group = said.groupby(["役職", "回答時期"]).size()
    threshold = 60
    assert (per_group < threshold).any() and (per_group >= threshold).any()
    expected = int(per_group[per_group >= threshold].sum())

    at = app().run()
    run_page(at, "pages/6_settings.py")
    [box] = [b for b in at.number_input if b.label == "コメントを表示する最小人数"]
    box.set_value(threshold).run()
    [save] = [b for b in at.button if b.label == "基準を保存"]
    save.click().run()
    run_page(at, "pages/4_free_text.py")
    select(at, "設問", ideas)
    summary = next(c for c in at.caption.values if c.startswith("回答 "))
    assert summary.startswith(f"回答 {expected:,}件を")
    sizes = [int(m) for e in at.expander for m in re.findall(r"（(\d+)件）$", e.label)]
    assert sum(sizes) == expected


def test_free_text_theme_counts_match_the_dictionary(data_dir):
    from analysis.themes import theme_counts

    at = app().run()
    run_page(at, "pages/4_free_text.py")
    question = "AI導入について、不安に思うことを自由にお書きください。"
    select(at, "設問", question)
    open_tab(at, "テーマ別の件数")
    shown = at.dataframe[0].value.set_index("theme")
    sheets = pd.read_csv(GOOGLE_CSV, dtype=str)
    expected = theme_counts(
        sheets[question].fillna("").tolist(),
        roles=sheets["役職"].tolist(),
        waves=sheets["回答時期"].tolist(),
    )
    row = expected[(expected["role"] == "一般社員") & (expected["wave"] == "研修前")].set_index(
        "theme"
    )
    assert list(shown.index) == list(row.index)
    assert shown["一般社員｜研修前"].tolist() == pytest.approx(row["share"].tolist())
    assert list(shown.columns[:3]) == ["経営層｜研修前", "経営層｜研修後", "経営層｜3か月後"]


def test_upload_refuses_the_same_people_twice_and_replaces_on_request(data_dir):
    """Issue 15: the Google export and the same survey re-saved as an Excel CSV doubled counts."""
    at = app().run()
    run_page(at, "pages/1_upload.py")

    def save(name: str, content: bytes, *, replace: bool = False) -> None:
        at.file_uploader[0].set_value((name, content, "text/csv")).run()
        assert not at.exception
        [box] = [c for c in at.checkbox if c.label == "同じ回答時期を置き換える"]
        box.set_value(replace).run()
        [button] = [b for b in at.button if b.label == "保存する"]
        button.click().run()
        assert not at.exception

    save("google.csv", GOOGLE_CSV.read_bytes())
    assert at.success.values[-1].startswith(f"「{DEFAULT_SURVEY}」に保存しました")
    save("excel.csv", CP932_CSV.read_bytes())  # the same 867 sheets, other bytes and layout
    [refused] = at.error.values
    assert "すでに保存済みの回答者が含まれています" in refused and "google.csv" in refused
    assert len(WaveStore().survey(DEFAULT_SURVEY).frame) == 867
    save("excel.csv", CP932_CSV.read_bytes(), replace=True)
    assert not at.error and "に保存しました" in at.success.values[-1]
    stored = WaveStore()
    assert len(stored.survey(DEFAULT_SURVEY).frame) == 867
    assert {w.filename for w in stored.waves(DEFAULT_SURVEY)} == {"excel.csv"}
