"""Re-identification attacks: try to learn about a group under the threshold, and fail.

The survey below has two small groups a curious manager would like to see:

* 経営層 in 研修後: 3 people (all in 営業部), who answer the scale items in a way
  nobody else does and write about 「量子ロボット」 and 「株主還元」, words no
  one else uses;
* 管理職 × 経理部 in 研修前: 3 people (管理職 as a whole is 20 in that wave).

The attacks use what the pages call (``ui.data`` and ``ui.widgets``, every wave x
department choice the selectboxes offer), the CLI (``gaps``, ``trends``,
``topics --json``) and the deck. Scores use the default thresholds
(5 for numbers, 10 for comments). The linear attacker is checked against a
publication that uses primary suppression only, where it must find the group.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from google.protobuf import text_format
from pptx import Presentation
from streamlit.testing.v1 import AppTest
from test_pages import every_tab

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # ui/ lives at the repository root
    sys.path.insert(0, str(ROOT))

from analysis import gaps, pipeline, topics  # noqa: E402
from analysis.deck import build_deck  # noqa: E402
from analysis.privacy import suppress_small  # noqa: E402
from analysis.schema import Survey, load_survey  # noqa: E402
from analysis.store import WaveStore  # noqa: E402
from ui import data, widgets  # noqa: E402

MIN_SCORES = 5
MIN_COMMENTS = 10
QUESTION = "自由記述"
ITEMS = ("AIで仕事が楽になると思う", "相談できる相手がいる")
LIKERT = (
    "まったくそう思わない",
    "そう思わない",
    "どちらともいえない",
    "そう思う",
    "とてもそう思う",
)
SECRET_WORDS = ("量子", "ロボット", "株主", "還元")
SECRET_TEXTS = (
    "量子ロボットで株主還元を最優先にしたい",
    "量子ロボット導入で株主還元を急ぐべき",
    "株主還元のため量子ロボットを全社展開",
)
SECRET_ANSWERS = ((5, 5, 4), (2, 1, 1))  # per item: means 4.6667 and 1.3333
# Names and contacts written by a large group (一般社員, 研修前): quotable, but masked.
PII_TEXTS = (
    "田中さんに日報の要約を教わった",
    "佐藤部長と議事録の作成を相談した",
    "鈴木様のアドレス suzuki@example.co.jp にマニュアルを送る",
    "質問は ０９０－１２３４－５６７８ まで。日報の件",
    "社員番号 E12345 の議事録を要約したい",
)
PII_LEAKS = ("田中", "佐藤", "鈴木", "suzuki", "example.co.jp", "１２３４", "1234", "E12345")
SIZES = {  # (wave, role, department): people
    ("研修前", "経営層", "営業部"): 6, ("研修前", "経営層", "開発部"): 6,
    ("研修前", "管理職", "営業部"): 8, ("研修前", "管理職", "経理部"): 3,
    ("研修前", "管理職", "開発部"): 9, ("研修前", "一般社員", "営業部"): 20,
    ("研修前", "一般社員", "経理部"): 12, ("研修前", "一般社員", "開発部"): 20,
    ("研修前", None, "営業部"): 2,
    ("研修後", "経営層", "営業部"): 3, ("研修後", "管理職", "営業部"): 10,
    ("研修後", "管理職", "開発部"): 10, ("研修後", "一般社員", "営業部"): 20,
    ("研修後", "一般社員", "開発部"): 20, ("研修後", "一般社員", "経理部"): 12,
}  # fmt: skip
SMALL = ("研修後", "経営層")
TOPIC_CHOICES = (None, 3, 8, 15)  # the free-text page offers 0 (= automatic) .. 15


def survey_bytes() -> bytes:
    rng = random.Random(20240401)
    subjects = ["日報", "議事録", "マニュアル", "メール文面", "企画書", "会議資料", "問い合わせ対応", "翻訳"]  # fmt: skip
    uses = ["の要約に使いたい", "の作成を任せたい", "を早く作れそう", "の下書きに便利", "のチェックに使えそう"]  # fmt: skip
    rows, number = [], 0
    pii = list(PII_TEXTS)
    for (wave, role, department), n in SIZES.items():
        for j in range(n):
            number += 1
            if (wave, role) == SMALL:
                answers = [LIKERT[values[j] - 1] for values in SECRET_ANSWERS]
                text = SECRET_TEXTS[j]
            else:
                answers = [rng.choice(LIKERT) for _ in ITEMS]
                text = rng.choice(subjects) + rng.choice(uses) + rng.choice(["", "。", "です"])
                if (wave, role) == ("研修前", "一般社員") and pii:
                    text = pii.pop()
            rows.append([f"E{number:04d}", role or "", department, wave, *answers, text])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["社員番号", "役職", "部署", "回答時期", *ITEMS, QUESTION])
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.fixture(scope="module")
def survey_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reid") / "reid.csv"
    path.write_bytes(survey_bytes())
    return path


@pytest.fixture(scope="module")
def survey(survey_file: Path) -> Survey:
    loaded = load_survey(survey_file)
    schema = loaded.schema
    assert (schema.role, schema.wave, schema.department) == ("役職", "回答時期", "部署")
    assert [i.label for i in schema.items] == list(ITEMS) and schema.free_text == (QUESTION,)
    return loaded


# --------------------------------------------------------------------------- the linear attacker

ALL = "＊"  # a margin (summed over) in a node key


def published_score_nodes(survey: Survey, min_group: int) -> dict[tuple, set[tuple]]:
    """``(wave, item) -> {(role, department)}``: every group whose n and mean some page shows.

    Walks every choice the gaps and trends pages offer (wave x department, the
    heatmap, the effect-size table) plus the trend cells and change counts, and
    the ``gaps --json`` payload of every wave.
    """
    shown: dict[tuple, set[tuple]] = {}

    def add(wave, item, role, department):
        shown.setdefault((wave, item), set()).add((role, department))

    for wave in survey.waves:
        for department in [None, *data.departments(survey)]:
            table = data.role_scores(survey, wave, department, min_group)
            for r in table[~table["suppressed"]].itertuples(index=False):
                add(wave, r.item, r.role, department or ALL)
        heat = data.overall_differences(survey, wave, min_group)
        for r in heat.itertuples(index=False):
            if not r.suppressed:
                add(wave, r.item, r.role, ALL)
            if r.overall_n > 0:
                add(wave, r.item, ALL, ALL)
        pairs = data.role_gaps(survey, wave, min_group)
        for r in pairs[~pairs["suppressed"]].itertuples(index=False):
            add(wave, r.item, r.a, ALL)
            add(wave, r.item, r.b, ALL)
        payload = gaps.gaps_payload(
            pipeline.wave_answers(survey, wave), min_group=min_group
        )  # CLI JSON
        for cell in payload["items"]:
            if cell["n"] > 0 or cell["mean"] is not None:
                add(wave, cell["item"], cell["role"], ALL)
    cells = data.wave_scores(survey, min_group)
    for r in cells[~cells["suppressed"]].itertuples(index=False):
        add(r.wave, r.item, r.role, ALL)
    for r in data.wave_changes(survey, min_group).itertuples(index=False):
        if r.n_from > 0:
            add(r.from_wave, r.item, r.role, ALL)
        if r.n_to > 0:
            add(r.to_wave, r.item, r.role, ALL)
    return shown


def true_cells(survey: Survey) -> dict[tuple, dict[tuple, int]]:
    """``(wave, item) -> {(role, department): answers}`` from the raw answers (None = unknown)."""
    answers = survey.answers().dropna(subset=["value"])
    counts = answers.groupby(["wave", "item", "role", "department"], dropna=False).size()
    out: dict[tuple, dict[tuple, int]] = {}
    for (wave, item, *group), n in counts.items():
        role, department = (g if isinstance(g, str) else None for g in group)
        out.setdefault((wave, item), {})[(role, department)] = int(n)
    return out


def solvable_small_groups(
    shown: dict[tuple, set[tuple]], cells: dict[tuple, dict[tuple, int]], min_group: int
) -> list[tuple]:
    """Groups of 1..min_group-1 answers whose total follows from the shown groups' totals.

    A shown group's n and mean give two linear equations over the finest cells
    it covers; a group is solvable when its indicator vector lies in their row
    space (the rank does not grow when it is added).
    """
    found = []
    for stratum, finest in cells.items():
        keys = sorted(finest, key=str)

        def vector(node, keys=keys):
            return np.array(
                [
                    float(all(v in (ALL, k) for v, k in zip(node, key, strict=True)))
                    for key in keys
                ]  # fmt: skip
            )

        rows = [vector(node) for node in shown.get(stratum, ())]
        matrix = np.vstack(rows) if rows else np.zeros((0, len(keys)))
        rank = np.linalg.matrix_rank(matrix) if rows else 0
        nodes = {
            tuple(v if keep else ALL for v, keep in zip(key, mask, strict=True))
            for key in keys
            for mask in itertools.product((True, False), repeat=2)
        }
        for node in nodes:
            v = vector(node)
            n = int(sum(finest[k] for k, x in zip(keys, v, strict=True) if x))
            if 0 < n < min_group and np.linalg.matrix_rank(np.vstack([matrix, v])) == rank:
                found.append((*stratum, *node, n))
    return found


def test_small_groups_exist_where_the_attacker_looks(survey):
    cells = true_cells(survey)
    assert cells[("研修後", ITEMS[0])][("経営層", "営業部")] == 3
    assert cells[("研修前", ITEMS[0])][("管理職", "経理部")] == 3
    assert cells[("研修前", ITEMS[0])][(None, "営業部")] == 2


def test_the_attacker_solves_a_group_hidden_by_primary_suppression_alone(survey):
    """Control: role means with small roles blanked, plus the overall mean, give 経営層 away."""
    answers = survey.answers()
    shown: dict[tuple, set[tuple]] = {}
    for wave in survey.waves:
        one = answers[answers["wave"] == wave].dropna(subset=["value", "role"])
        table = one.groupby(["item", "role"]).size().rename("n").reset_index()
        table = suppress_small(table, min_group=MIN_SCORES, value_cols=[])
        for r in table[~table["suppressed"]].itertuples(index=False):
            shown.setdefault((wave, r.item), set()).add((r.role, ALL))
        for item in ITEMS:
            shown.setdefault((wave, item), set()).add((ALL, ALL))
    found = solvable_small_groups(shown, true_cells(survey), MIN_SCORES)
    assert ("研修後", ITEMS[0], "経営層", ALL, 3) in found


def test_no_wave_department_choice_lets_a_linear_attacker_solve_a_small_group(survey):
    shown = published_score_nodes(survey, MIN_SCORES)
    assert ("一般社員", "開発部") in shown[("研修前", ITEMS[0])]  # the attacker does see cells
    assert solvable_small_groups(shown, true_cells(survey), MIN_SCORES) == []


def test_overall_minus_visible_roles_never_is_one_small_group(survey):
    """By cost the overall goes with 経営層 (3), not 管理職: nothing is left to subtract from."""
    heat = data.overall_differences(survey, "研修後", MIN_SCORES)
    assert heat["suppressed"].all()
    assert (heat["overall_n"] == 0).all() and heat["overall_mean"].isna().all()
    assert heat["mean"].isna().all() and (heat["n"] == 0).all()
    reasons = heat.groupby("role")["reason"].agg(set).to_dict()
    assert reasons["経営層"] == {"経営層は5人未満のため表示していません"}
    assert reasons["管理職"] == {"全体の値は、少人数のグループを保護するため表示していません"}
    scores = data.role_scores(survey, "研修後", None, MIN_SCORES)
    shown = set(scores.loc[~scores["suppressed"], "role"])
    assert shown == {"管理職", "一般社員"}  # the roles stay, with their means


@pytest.mark.parametrize("min_group", [MIN_SCORES, 25])
def test_home_counts_and_their_total_never_give_one_hidden_count(survey, min_group):
    """The home page's total is the shown groups' sum, so the hidden group stays 「N人未満」."""
    counts = widgets.respondent_counts(survey, min_group=min_group).set_index("役割")
    total = widgets.shown_people(survey, min_group=min_group)
    shown_sum = 0
    for wave in survey.waves:
        column = counts[wave]
        shown = column.str.extract(r"^(\d+)人$")[0].astype(float)  # 「24人」; hidden read otherwise
        assert set(column[shown.isna()]) <= {f"{min_group}人未満"}, column.to_dict()
        shown_sum += int(shown.sum())
    assert total == shown_sum  # nothing but the shown groups: no difference is a hidden group
    assert counts.loc["経営層", "研修後"] == f"{min_group}人未満"
    people = survey.people_kept().sum()  # the true total, which only the HR pages show
    assert total < people


HEADCOUNTS = pd.DataFrame(  # HR's 設定: 経営層 as a whole, 管理職 by department
    {"role": ["経営層", "管理職", "管理職", "管理職", "一般社員"],
     "department": ["", "営業部", "経理部", "開発部", ""], "headcount": [16, 12, 5, 13, 90]}
)  # fmt: skip


@pytest.mark.parametrize("min_group", [MIN_SCORES, 25])
def test_response_rates_never_give_a_hidden_count(survey, min_group):
    """Rates sit beside the counts (home, gaps, deck): a hidden group's rate is its 「N人未満」,
    and no total rate is published, so rate x headcount gives back only the shown counts."""
    heads = {"経営層": 16, "管理職": 30, "一般社員": 90}
    counts = widgets.respondent_counts(survey, min_group=min_group, headcounts=HEADCOUNTS)
    counts = counts.set_index("役割")
    assert list(counts.columns) == [c for w in survey.waves for c in (w, f"{w} 回答率")]
    for wave in survey.waves:
        for role, label in counts[wave].items():
            rate = counts.loc[role, f"{wave} 回答率"]
            if role not in heads or label == "0人":  # no headcount (（不明）) or nobody: no rate
                assert rate == "", (wave, role, label, rate)
            elif re.fullmatch(r"\d+人", label):  # shown: the rate is that n over the headcount
                n = int(label.removesuffix("人"))
                assert rate == f"{int(n * 100 / heads[role] + 0.5)}%", (wave, role)
            else:  # hidden: the rate reads as the count does, with no number
                assert label == rate == f"{min_group}人未満", (wave, role, label, rate)
        line = widgets.respondent_line(
            survey, wave, min_group=min_group, headcounts=HEADCOUNTS
        )  # the gaps page's caption
        for role, label in counts[wave].items():
            assert f"{role} {label}" in line or label == "0人"  # a role nobody of the wave is in
            if label.endswith("未満"):
                assert f"{role} {label}（" not in line  # no rate beside a hidden count
    assert counts.loc["経営層", "研修後 回答率"] == f"{min_group}人未満"
    assert "3人" not in counts.to_string() and "19%" not in counts.to_string()  # 3 / 16
    assert not [c for c in counts.columns if "合計" in c or "全体" in c]  # no total rate

    deck = Presentation(io.BytesIO(build_deck(
        survey, min_group=min_group, min_comments=MIN_COMMENTS, headcounts=HEADCOUNTS
    )))  # fmt: skip
    [table] = [s.table for s in deck.slides[0].shapes if s.has_table]
    grid = [[cell.text for cell in row.cells] for row in table.rows]
    roles = grid[0][1:]
    rates = {row[0]: dict(zip(roles, row[1:], strict=True)) for row in grid[1:]}
    for wave in survey.waves:
        assert rates[f"回答率（{wave}）"] == counts[f"{wave} 回答率"].reindex(roles).to_dict()
    assert "19%" not in deck_text(deck)


# --------------------------------------------------------------------------- free text


@pytest.mark.parametrize("keyword", [*SECRET_WORDS, "最優先", "全社展開"])
def test_kwic_for_words_only_three_executives_wrote_finds_nothing(survey, keyword):
    assert data.keyword_in_context(survey, QUESTION, keyword, MIN_COMMENTS).empty
    # control: the same search with the group counted as large enough finds them
    assert len(data.keyword_in_context(survey, QUESTION, keyword, 3)) >= 1


def test_comments_offered_on_the_gaps_page_never_quote_a_small_group(survey):
    quoted = []
    for wave in survey.waves:
        offered = data.role_scores(survey, wave, None, MIN_SCORES)["role"]  # the role selectbox
        for role in dict.fromkeys(offered):
            texts = data.comments(survey, QUESTION, role, wave, MIN_COMMENTS)
            if (wave, role) == SMALL:
                assert texts is None
            quoted += texts or []
    assert quoted
    assert not [t for t in quoted if any(w in t for w in SECRET_WORDS)]


@pytest.mark.parametrize("k", TOPIC_CHOICES)
def test_topics_never_name_or_quote_what_a_small_group_wrote(survey, k):
    model = data.topic_model(survey, QUESTION, k, MIN_COMMENTS)
    shown = " ".join(
        [*model.topics["label"], *(t for terms in model.topics["terms"] for t in terms)]
        + [e for examples in model.topics["examples"] for e in examples]
    )
    assert model.k >= 2 and shown
    assert not [w for w in SECRET_WORDS if w in shown], shown
    # every topic has answers from a group that may be shown: none is the small group's own
    per_topic = model.shares.groupby("topic")["n"].sum()
    assert all(per_topic.get(t, 0) > 0 for t in model.topics["id"]), per_topic
    assert SMALL not in set(zip(model.shares["role"], model.shares["wave"], strict=True))


def test_issue16_distinctive_words_hide_small_role_wave_groups(survey):
    """特徴語 per role x wave: the 3 executives of 研修後 are in no row and no count."""
    table = data.distinctive_terms(survey, QUESTION, MIN_COMMENTS)
    cells = set(zip(table["role"], table["wave"], strict=True))
    assert ("経営層", "研修前") in cells  # 12 executives: still shown, with their words
    assert SMALL not in cells
    assert not [w for w in SECRET_WORDS if table["term"].str.contains(w).any()], table
    # In no count either: other words in the small group's place change nothing.
    texts = survey.texts(QUESTION)
    small = (texts["role"] == SMALL[1]) & (texts["wave"] == SMALL[0])
    args = {"waves": texts["wave"].tolist(), "min_group": MIN_COMMENTS}
    before = topics.distinctive_terms(texts["text"].tolist(), texts["role"].tolist(), **args)
    swapped = texts["text"].where(~small, "会議資料の下書きに便利").tolist()
    after = topics.distinctive_terms(swapped, texts["role"].tolist(), **args)
    pd.testing.assert_frame_equal(before, after)
    # control: counted as large enough, the group's own words are what the table shows
    control = data.distinctive_terms(survey, QUESTION, 3)
    words = set(control[(control["role"] == SMALL[1]) & (control["wave"] == SMALL[0])]["term"])
    assert set(SECRET_WORDS) <= words


def page_strings(at) -> str:
    """Every element of the page as text (protos, table cells, chart specs), but what was typed."""
    parts = []
    for root in (at.main, at.sidebar):
        for node in root:
            if node.type == "text_input":
                continue  # the keyword the test typed
            if node.type == "dataframe":
                parts.append(node.value.to_json(orient="split", force_ascii=False))
            elif node.type == "plotly_chart":
                parts.append(json.dumps(json.loads(node.proto.spec), ensure_ascii=False))
            elif getattr(node, "proto", None) is not None:
                parts.append(text_format.MessageToString(node.proto, as_utf8=True))
    return "\n".join(parts)


def test_issue16_free_text_page_never_shows_small_groups_words(data_dir, survey_file):
    content = survey_file.read_bytes()
    schema = load_survey(content, name=survey_file.name).schema
    WaveStore().save(content, filename=survey_file.name, schema=schema, survey="再識別テスト")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.sidebar.selectbox[0].set_value("再識別テスト").run()
    at.switch_page("pages/4_free_text.py").run()
    assert not at.exception, [e.message for e in at.exception]
    shown = page_strings(at)
    for name in every_tab(at):  # ends on キーワード検索
        shown += page_strings(at)
        if name == "役割ごとの特徴語":
            [words] = [d.value for d in at.dataframe if "term" in d.value.columns]
            assert (words == "経営層").any().any()  # the 12 of 研修前 keep their words
    [search] = [t for t in at.text_input if t.label == "キーワード"]
    for keyword in SECRET_WORDS:
        search.set_value(keyword).run()
        assert not at.exception, [e.message for e in at.exception]
        shown += page_strings(at)
    assert "日報" in shown and "経営層" in shown
    assert not [w for w in SECRET_WORDS if w in shown]


def test_names_and_contacts_never_come_back_from_kwic_or_topic_examples(survey):
    found = []
    for keyword in ("さん", "部長", "様", "@", "090", "０９０", "社員番号", "E1", "田中", "suzuki"):
        hits = data.keyword_in_context(survey, QUESTION, keyword, MIN_COMMENTS)
        found += hits["text"].tolist()
    assert sum("〔氏名〕" in t for t in found) >= 2  # the answers are there, masked
    for k in (None, 15):
        model = data.topic_model(survey, QUESTION, k, MIN_COMMENTS)
        found += [e for examples in model.topics["examples"] for e in examples]
    assert not [t for t in found if any(leak in t for leak in PII_LEAKS)], found


# --------------------------------------------------------------------------- deck


@pytest.fixture(scope="module")
def deck(survey) -> Presentation:
    content = build_deck(survey, wave="研修後", min_group=MIN_SCORES, min_comments=MIN_COMMENTS)
    return Presentation(io.BytesIO(content))


def deck_text(deck: Presentation) -> str:
    parts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                for plot in shape.chart.plots:
                    parts += [str(c) for c in plot.categories]
                    parts += [str(s.name) for s in plot.series]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def test_deck_never_shows_the_small_group(deck):
    text = deck_text(deck)
    assert "研修後" in text and "一般社員" in text
    assert not [w for w in SECRET_WORDS if w in text]
    assert not [leak for leak in PII_LEAKS if leak in text]
    counted = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_table and shape.table.rows[0].cells[0].text == "回答者数":
                rows = [[c.text for c in row.cells] for row in shape.table.rows]
                header = rows[0]
                after = next(r for r in rows if r[0] == "研修後")
                counted.append(after[header.index("経営層")])
            if not shape.has_chart:
                continue
            for plot in shape.chart.plots:
                categories = [str(c) for c in plot.categories]
                assert "経営層｜研修後" not in categories
                for series in plot.series:
                    values = dict(zip(categories, series.values, strict=True))
                    if series.name == "経営層" and "研修後" in values:
                        assert values["研修後"] is None  # the trend line stops
    assert counted and all(not re.search(r"\d+人", c) or c.startswith("5人未満") for c in counted)


def test_deck_gap_charts_for_the_small_wave_leave_the_role_out(deck):
    roles_charted = set()
    for slide in deck.slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        if "ギャップ" not in title:
            continue
        for shape in slide.shapes:
            if shape.has_chart:
                for plot in shape.chart.plots:
                    roles_charted |= {str(s.name) for s in plot.series}
                    roles_charted |= {str(c) for c in plot.categories}
    assert "経営層" not in roles_charted


# --------------------------------------------------------------------------- CLI


def run_cli(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "analysis", *args, "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_cli_gaps_and_trends_hide_the_small_group(survey_file):
    payload = run_cli("gaps", str(survey_file), "--wave", "研修後")
    executives = [r for r in payload["items"] if r["role"] == "経営層"]
    assert executives and all(r["suppressed"] and r["n"] == 0 for r in executives)
    assert all(r["mean"] is None and r["score100"] is None for r in executives)
    assert all(
        p["diff"] is None and p["effect_size"] is None
        for p in payload["pairs"]
        if "経営層" in (p["a"], p["b"])
    )
    dump = json.dumps(payload)
    assert "4.6666" not in dump and "1.3333" not in dump

    trends = run_cli("trends", str(survey_file))
    cell = [c for c in trends["cells"] if (c["wave"], c["role"]) == SMALL]
    assert cell and all(c["suppressed"] and c["n"] == 0 and c["mean"] is None for c in cell)
    assert all(
        p["diff"] is None for p in trends["paired"] if p["role"] == "経営層" and p["to"] == "研修後"
    )


def test_cli_topics_never_names_what_the_small_group_wrote(survey_file):
    payload = run_cli("topics", str(survey_file), "--column", QUESTION, "--k", "8")
    topics = json.dumps(payload["topics"], ensure_ascii=False)
    assert payload["topics"] and not [w for w in SECRET_WORDS if w in topics]
    assert not [leak for leak in PII_LEAKS if leak in topics]
    assert not [s for s in payload["shares"] if (s["role"], s["wave"]) == SMALL]


def test_home_and_deck_count_the_same_people_with_one_label_for_a_missing_role():
    """Issue 15: home kept rows with no role as 「（不明）」, the deck dropped them (82 − 80 = 2)."""
    from analysis.inference import infer_schema
    from analysis.load import read_survey
    from analysis.pipeline import respondent_counts
    from analysis.schema import Survey

    roles = ["経営層"] * 10 + ["管理職"] * 20 + ["一般社員"] * 50 + [""] * 2
    csv = "役職,AIは役立つと思う\n" + "".join(
        f"{role},{['そう思う', 'そう思わない'][i % 2]}\n" for i, role in enumerate(roles)
    )
    table = read_survey(csv.encode())
    survey = Survey(table, infer_schema(table))
    deck = respondent_counts(survey, min_group=MIN_SCORES)
    home = widgets.respondent_counts(survey, min_group=MIN_SCORES).set_index("役割")["全回答"]
    assert dict(zip(deck["role"], deck["label"], strict=True)) == home.to_dict()
    assert home.to_dict() == {
        "経営層": "10人", "管理職": "20人", "一般社員": "50人", "（不明）": "5人未満",
    }  # fmt: skip
    assert widgets.shown_people(survey, min_group=MIN_SCORES) == 80  # the total beside them
