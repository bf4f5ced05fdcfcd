"""Issue 14: every page in both languages, every string the product writes.

The walk collects what a person can read on each page (labels, captions, messages, options,
table headers and cells, chart titles, axes and legends) with the sample survey and an
upload on screen, then checks:

- Japanese mode: no program identifier (``score100_low``, ``None``, ``<NA>``, ``nan``).
- English mode: no Japanese the product wrote. Data stays as written, so the survey's own
  strings (statements, role, department and wave values, answers, file and survey names)
  are taken out of each string first; whatever Japanese is left is an untranslated label.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest
from test_pages import every_tab

from analysis.label_words import label_tokens
from analysis.load import read_survey
from analysis.text import tokenize_with_forms
from analysis.themes import default_entries

ROOT = Path(__file__).resolve().parents[1]
GOOGLE_CSV = ROOT / "sample_data" / "ai_survey_google_forms.csv"
PAGES = [
    "app.py",
    "pages/2_gaps.py",
    "pages/3_trends.py",
    "pages/4_free_text.py",
    "pages/5_export.py",
    "pages/6_settings.py",
    "pages/1_upload.py",  # last: AppTest keeps an uploaded file in a state later pages can't pickle
]
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
IDENTIFIER = re.compile(
    r"(?<![\w/.:$-])(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|None|NaN|nan|<NA>|＜NA＞)(?![\w/.-])"
)
# Proto fields that hold no words a person reads (ids, enums, encoded data, styles).
SKIP_FIELDS = {"id", "formId", "data", "spec", "arrowData", "styler", "key", "pageScriptHash",
               "icon", "page", "type", "format", "width", "height", "useContainerWidth", "columns",
               "selectionMode", "theme", "url", "pageName", "urlPath", "mimeType", "dataframe"}  # fmt: skip
# Chart keys that hold words (plotly layout and traces).
CHART_WORDS = {"text", "name", "title", "hovertemplate", "ticktext", "legendgrouptitle"}


def _strings(value: object, out: list[str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key not in SKIP_FIELDS:
                _strings(inner, out)
    elif isinstance(value, list):
        for inner in value:
            _strings(inner, out)
    elif isinstance(value, str) and not value.isupper():  # enum names: CAPTION, STRETCH
        out.append(value)


def _chart_strings(value: object, out: list[str], *, words: bool = False) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _chart_strings(inner, out, words=words or key in CHART_WORDS)
    elif isinstance(value, list):
        for inner in value:
            _chart_strings(inner, out, words=words)
    elif words and isinstance(value, str):
        out.append(value)


def _column_headers(node) -> list[str]:
    """The headers a person sees: a column config's label, else the column's name."""
    config = json.loads(node.proto.columns or "{}")
    headers = []
    for column in node.value.columns:
        label = (config.get(str(column)) or config.get(f"col:{column}") or {}).get("label")
        hidden = (config.get(str(column)) or config.get(f"col:{column}") or {}).get("hidden")
        if not hidden:
            headers.append(str(label or column))
    return headers


def readable_strings(at: AppTest) -> list[str]:
    """What a person can read on the page now, one string per piece of text."""
    out: list[str] = []
    for root in (at.main, at.sidebar):
        for node in root:
            proto = getattr(node, "proto", None)
            if proto is None:
                continue
            if node.type == "plotly_chart":
                _chart_strings(json.loads(proto.spec).get("layout", {}), out)
                for trace in json.loads(proto.spec).get("data", []):
                    _chart_strings(trace, out, words=False)
                    out += [str(trace[k]) for k in ("name", "hovertemplate") if k in trace]
                continue
            _strings(MessageToDict(proto), out)
            if node.type in ("dataframe", "arrow_data_frame"):
                frame = node.value
                out += _column_headers(node)
                shown = proto.placeholder if proto.HasField("placeholder") else "None"
                cells = frame.astype(object).where(frame.notna(), shown)  # as the grid draws
                out += [str(v) for v in cells.to_numpy().ravel()]
    return [s for s in dict.fromkeys(out) if s.strip()]


class SurveyWords:
    """The sample survey's own words: whole values and headers, the words in its answers,
    and the theme dictionary (HR's own words, shown in its editor on 設定).

    Topic labels and word lists quote the answers (a phrase cut with 「…」, a word in its
    dictionary form), so those are data too.
    """

    def __init__(self) -> None:
        import fugashi

        table = read_survey(GOOGLE_CSV.read_bytes()).frame
        values = {str(c) for c in table.columns} | {GOOGLE_CSV.name}
        for column in table.columns:
            if table[column].dtype == object:
                values |= {str(v) for v in table[column].dropna().unique()}
        for entry in default_entries():  # the theme dictionary is HR's data, edited on 設定
            values |= {entry.name, entry.description, *entry.words, *entry.phrases}
        # longest first, then by value: the same order whatever the hash seed
        self.whole = sorted((v for v in values if JAPANESE.search(v)), key=lambda v: (-len(v), v))
        self.text = "\n".join(self.whole)
        tagger = fugashi.Tagger()
        self.words = set()
        for value in self.whole:
            for word in tagger(value):
                self.words |= {word.surface, str(word.feature.orthBase), str(word.feature.lemma)}
        # Topic and network words keep negation and compounds as the answers wrote them
        # (使われない from 使われなくなった: analysis.label_words.label_tokens).
        tokenized = tokenize_with_forms(self.whole)
        marked = label_tokens(tokenized.texts, tokenized.tokens, tokenized.forms)
        self.words |= set(marked.forms.values())

    def holds(self, run: str) -> bool:
        """Whether a run of Japanese is the survey's: a word of it, or (3+ letters) a quote."""
        return run in self.words or (len(run) >= 3 and run in self.text)


_RUNS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]+")  # runs of Japanese


def untranslated(strings: list[str], survey: SurveyWords) -> list[str]:
    """The strings that still hold Japanese the survey did not write."""
    left = []
    for string in strings:
        if all(survey.holds(run) for run in _RUNS.findall(string)):
            continue  # each run is a word or a quote of the survey (情報漏えい, not 情報漏 + えい)
        rest = string
        for value in survey.whole:
            if value in rest:
                rest = rest.replace(value, " ")
        if any(not survey.holds(run) for run in _RUNS.findall(rest)):
            left.append(string)
    return left


# Japanese in English mode that is no untranslated label: the language switch is bilingual on
# purpose (a reader of either language must find it), the product's name 架け橋 stays as it
# is, and テスト人事 is the name of the test's signed-in account (data, like a survey value).
BILINGUAL = frozenset({"表示言語 / Language", "日本語"})
NAMES = ("架け橋", "テスト人事")


def untranslated_labels(strings: list[str], survey: SurveyWords) -> list[str]:
    """:func:`untranslated`, less the bilingual switch and the names above."""
    left = []
    for string in strings:
        rest = string
        for name in NAMES:
            rest = rest.replace(name, " ")
        if string not in BILINGUAL and untranslated([rest], survey):
            left.append(string)
    return left


def walk(at: AppTest) -> dict[str, list[str]]:
    seen = {}
    for page in PAGES:
        at.switch_page(page).run()
        if page == "pages/1_upload.py":  # the column grid, summary and preview of a file
            upload = (GOOGLE_CSV.name, GOOGLE_CSV.read_bytes(), "text/csv")
            at.file_uploader[0].set_value(upload).run()
        assert not at.exception, (page, [e.message for e in at.exception])
        seen[page] = readable_strings(at)
        if page == "pages/4_free_text.py":  # only the open tab runs: open each in turn
            english = at.sidebar.radio[0].value == "English"
            for name in every_tab(at, english=english):
                seen[f"{page} / {name}"] = readable_strings(at)
    return seen


@pytest.fixture
def started(data_dir) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    return at


# A phrase only each free-text tab shows: the walk saw the tab's content, not just its title.
TAB_MARKS = {
    "話題": "特徴的な語",
    "テーマ別の件数": "テーマ辞書",
    "役割ごとの特徴語": "対数オッズ比",
    "語の共起ネットワーク": "Jaccard",
    "キーワード検索": "例: 日報",
}


def test_japanese_pages_show_no_program_identifiers(started):
    seen = walk(started)
    found = {page: [s for s in strings if IDENTIFIER.search(s)] for page, strings in seen.items()}
    assert {page: hits for page, hits in found.items() if hits} == {}
    for name, mark in TAB_MARKS.items():
        assert any(mark in s for s in seen[f"pages/4_free_text.py / {name}"]), name


def test_english_pages_show_no_japanese_but_the_data(started):
    started.sidebar.radio[0].set_value("English").run()
    data = SurveyWords()
    found = {page: untranslated_labels(strings, data) for page, strings in walk(started).items()}
    assert {page: left for page, left in found.items() if left} == {}


def test_the_walk_finds_what_it_looks_for(started):
    """Controls: the checks fire on an identifier and on a Japanese label left in English mode."""
    assert IDENTIFIER.search("score100_low") and IDENTIFIER.search("None")
    assert not IDENTIFIER.search("Google フォーム") and not IDENTIFIER.search("ai_survey.csv")
    data = SurveyWords()
    assert untranslated(["回答時期の順序: 研修前"], data) == ["回答時期の順序: 研修前"]
    assert untranslated(["Wave order: 研修前 → 研修後"], data) == []
    # a word of the answers holding two shorter values (情報漏, 漏えい) is still the answers'
    assert untranslated(["Typical words: 個人情報, 情報漏えい"], data) == []
    exempt = ["表示言語 / Language", "日本語", ":material/person: テスト人事 (HR)", "架け橋 | Home"]
    assert untranslated_labels(exempt, data) == []
    assert untranslated_labels(["日本語で表示"], data) == ["日本語で表示"]  # only the switch itself
    assert untranslated_labels(["テスト人事 (人事)"], data) == ["テスト人事 (人事)"]
    strings = readable_strings(started)  # Japanese mode: the home page's own words are found
    assert "役割 × 回答時期の回答数" in strings
    assert untranslated(strings, data), "Japanese mode must show Japanese labels"


SENTENCES = [  # (what analysis/ wrote, what the English UI shows): the data stays as written
    ("経営層（全項目）: 経営層は5人未満のため表示していません",
     "経営層 (all items): 経営層: under 5 people, not shown"),
    ("研修後、管理職の『AI導入を自分ひとりで抱え込んでいると感じる』の平均は1.7低下"
     "（研修前比、95%CI -2.0〜-1.4、Cliff's δ=-0.78、n=75→74）",
     "研修後: 管理職's mean for “AI導入を自分ひとりで抱え込んでいると感じる” fell by 1.7 "
     "(against 研修前, 95% CI -2.0 to -1.4, Cliff's δ=-0.78, n=75→74)"),
    ("3か月後：管理職の62%（95%CI 50–72%、n=71）が『今後、自分の業務でAIを積極的に使いたい』に肯定的",
     "3か月後: 62% of 管理職 (95% CI 50–72%, n=71) agree with “今後、自分の業務でAIを積極的に使いたい”"),
    ("回答者ID: 見出しに「社員番号」を含み、100%の人が複数の回答時期をつなぐ（個人情報のため表示しません）",
     "Respondent ID: the header contains “社員番号”; it links 100% of people across waves "
     "(personal data, not shown)"),
    ("尺度項目 3問（5件法 2・4件法 1、うち逆転 1）、自由記述 1問、役割: なし、部署: 「所属」（4部署）",
     "3 scale items (2 on 5 points, 1 on 4 points; 1 reversed), 1 free-text questions, "
     "role: none, department: “所属” (4 departments)"),
    ("列「Q3」は尺度項目とも自由記述とも読めます。尺度項目としました。",
     "Column “Q3” reads as Scale item or as Free text. It was taken as Scale item."),
    ("パスワードは10文字以上にしてください", "The password needs 10 characters or more"),
    ("5件法（まったくそう思わない〜とてもそう思う）", "5-point (まったくそう思わない〜とてもそう思う)"),
]  # fmt: skip


@pytest.mark.parametrize(("japanese", "english"), SENTENCES)
def test_sentences_analysis_writes_read_in_english(monkeypatch, japanese, english):
    from ui import text

    monkeypatch.setattr(text, "english", lambda: True)
    assert text.sentence(japanese) == english
    monkeypatch.setattr(text, "english", lambda: False)  # Japanese mode: as analysis/ wrote it
    assert text.sentence(japanese) == japanese


def test_a_sentence_no_pattern_knows_stays_as_written(monkeypatch):
    from ui import text

    monkeypatch.setattr(text, "english", lambda: True)
    unknown = "これはどの型にも当てはまらない文です"
    assert text.sentence(unknown) == unknown
    assert untranslated([text.sentence(unknown)], SurveyWords()) == [unknown]  # the walk sees it
    assert text.sentence(None) is None and text.sentence(3) == 3


def test_the_lines_above_the_toggle_change_language_on_the_same_click(started):
    """The title and caption are drawn before the sidebar toggle; they stayed Japanese until
    the next rerun after a click on English (seen in Chromium)."""
    started.sidebar.radio[0].set_value("English").run()
    assert started.title[0].value == "Kakehashi"
    assert not JAPANESE.search(started.caption[0].value), started.caption[0].value
    started.sidebar.radio[0].set_value("日本語").run()
    assert started.title[0].value == "架け橋 Kakehashi"
