"""The co-occurrence network by role (issue 17 item 4): numbers, privacy, figure, slide, page.

The Japanese cases assume unidic-lite (the project's dictionary): 日報の要約 gives
日報 and 要約, 議事録 stays one word (a compound written in two or more answers).
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Pt
from streamlit.testing.v1 import AppTest
from test_pages import open_tab

from analysis.cooccurrence import (
    SHARED,
    TOP_EDGES,
    cooccurrence_network,
    jaccard_edges,
    question_network,
    spring_layout,
)
from analysis.deck import build_deck, content
from analysis.deck.render import FONT, render_deck
from analysis.figures import ROLE_COLOURS
from analysis.inference import infer_schema
from analysis.load import read_survey
from analysis.network_figure import SHARED_COLOUR, edge_width, network_figure
from analysis.pipeline import topic_inputs
from analysis.schema import Survey
from analysis.text import is_no_answer

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
MONTHLY = REALDATA / "monthly_202301_utf8bom.csv"


def csv_of(rows: list[tuple[str, str, str]]) -> bytes:
    """(役職, 回答時期, 感想) rows as a CSV, one person each (identical rows would be one person)."""
    frame = pd.DataFrame(rows, columns=["役職", "回答時期", "感想"])
    frame.insert(0, "社員番号", [f"E{10000 + i}" for i in range(len(frame))])
    return frame.to_csv(index=False).encode()


def survey_of(rows: list[tuple[str, str, str]]) -> Survey:
    """The survey of :func:`csv_of`, mapped as HR would on the upload page: 社員番号 the
    respondent (else repeated rows read as one person's resubmissions), 感想 free text."""
    table = read_survey(csv_of(rows))
    schema = infer_schema(table)
    return Survey(
        table, dataclasses.replace(schema, respondent="社員番号", pii=(), free_text=("感想",))
    )


# --------------------------------------------------------------------------- Jaccard


def test_jaccard_edges_match_hand_computed_values():
    # answers:   1: a b   2: a   3: b c   4: a b c
    # a in 1,2,4; b in 1,3,4; c in 3,4
    # a-b: both {1,4} = 2, either {1,2,3,4} = 4 -> 1/2
    # a-c: both {4} = 1, either {1,2,3,4} = 4   -> 1/4
    # b-c: both {3,4} = 2, either {1,3,4} = 3   -> 2/3
    sets = [{"a", "b"}, {"a"}, {"b", "c"}, {"a", "b", "c"}]
    edges = jaccard_edges(sets, ["a", "b", "c"], min_jaccard=0, top_n=None)
    got = {(s, t): (Fraction(j).limit_denominator(100), b) for s, t, j, b in edges.values}
    assert got == {
        ("b", "c"): (Fraction(2, 3), 2),
        ("a", "b"): (Fraction(1, 2), 2),
        ("a", "c"): (Fraction(1, 4), 1),
    }
    assert edges["source"].tolist() == ["b", "a", "a"]  # strongest first
    assert jaccard_edges(sets, ["a", "b", "c"], min_jaccard=0.3)["target"].tolist() == ["c", "b"]
    assert len(jaccard_edges(sets, ["a", "b", "c"], min_jaccard=0, top_n=1)) == 1
    # a word outside the vocabulary is ignored; words that never meet are no edge
    assert jaccard_edges([{"a"}, {"z"}], ["a", "z"], min_jaccard=0).empty


@pytest.mark.parametrize(
    ("source", "target", "jaccard", "both"),
    [
        # 要約 in answers 1, 2, 3; 日報 in 1, 2; 議事録 in 3, 4
        ("要約", "日報", Fraction(2, 3), 2),  # both 1,2; either 1,2,3
        ("要約", "議事録", Fraction(1, 4), 1),  # both 3; either 1,2,3,4
    ],
)
def test_network_edges_are_the_jaccard_of_the_answers_words(source, target, jaccard, both):
    texts = ["日報の要約に使いたい", "日報を要約したい", "議事録を要約", "議事録が面倒"]
    net = cooccurrence_network(texts, min_group=1)
    [edge] = net.edges[(net.edges["source"] == source) & (net.edges["target"] == target)].values
    assert edge[2] == pytest.approx(float(jaccard))
    assert edge[3] == both
    assert len(net.edges) == 2  # 日報 and 議事録 never meet; 面倒 is in one answer only
    assert dict(net.nodes[["word", "count"]].values) == {"要約": 3, "日報": 2, "議事録": 2}
    assert net.n_answers == 4


def test_no_answers_and_stop_words_are_left_out():
    texts = ["特になし", "", "日報の要約をしたいと思う", "日報の要約", "なし"]
    net = cooccurrence_network(texts, min_group=1)
    assert net.n_answers == 2
    assert set(net.nodes["word"]) == {"日報", "要約"}  # する, 思う are stop words


def test_negation_is_kept_as_its_own_word():
    texts = ["使い方が分からない", "使い方が分からない不安", "分かりやすい説明", "説明が分かる"]
    words = set(cooccurrence_network(texts, min_group=1).nodes["word"])
    assert "分からない" in words
    assert words & {"分かる", "わかる"}  # the positive answers keep their own node


def test_layout_is_seeded_and_inside_the_square():
    edges = [(0, 1, 0.5), (1, 2, 0.2), (3, 4, 0.9)]
    first = spring_layout(5, edges, seed=3)
    assert np.array_equal(first, spring_layout(5, edges, seed=3))
    assert np.abs(first).max() == pytest.approx(1.0)
    # joined words sit closer than words of different clusters
    assert np.linalg.norm(first[3] - first[4]) < np.linalg.norm(first[0] - first[4])
    assert spring_layout(0, []).shape == (0, 2) and spring_layout(1, []).tolist() == [[0.0, 0.0]]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"roles": ["管理職"]}, "roles has 1 values but there are 2 texts"),
        ({"waves": ["a", "b", "c"]}, "waves has 3 values"),
        ({"min_group": 0}, "min_group must be at least 1"),
    ],
)
def test_bad_arguments_raise_a_readable_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        cooccurrence_network(["日報", "要約"], **kwargs)


# --------------------------------------------------------------------------- roles and privacy

MANAGERS = [("管理職", "研修前", "日報の要約")] * 10
STAFF = [("一般社員", "研修前", "議事録の要約")] * 10
EXECUTIVES = [("経営層", "研修前", "株主の要約")] * 3  # under the threshold
# 管理職 is large over both waves, but its 研修後 cell has only 4 answers
LATE_MANAGERS = [("管理職", "研修後", "予算の要約と予算の日報")] * 4


def test_a_group_under_the_threshold_contributes_nothing():
    rows = MANAGERS + STAFF + EXECUTIVES + LATE_MANAGERS
    net = question_network(survey_of(rows), "感想", min_group=10)
    words = set(net.nodes["word"]) | set(net.edges["source"]) | set(net.edges["target"])
    assert "株主" not in words and "予算" not in words
    assert net.n_answers == 20
    assert dict(net.nodes[["word", "count"]].values) == {"要約": 20, "日報": 10, "議事録": 10}
    # the same network as from the large groups alone: nothing of the small cells is counted
    alone = question_network(survey_of(MANAGERS + STAFF), "感想", min_group=10)
    pd.testing.assert_frame_equal(net.nodes, alone.nodes)
    pd.testing.assert_frame_equal(net.edges, alone.edges)
    # with the threshold at 3 the small groups take part
    low = question_network(survey_of(rows), "感想", min_group=3)
    assert {"株主", "予算"} <= set(low.nodes["word"]) and low.n_answers == 27


def test_words_are_coloured_by_the_role_that_uses_them_distinctively():
    net = question_network(survey_of(MANAGERS + STAFF), "感想", min_group=10)
    role = dict(net.nodes[["word", "role"]].values)
    assert role == {"日報": "管理職", "議事録": "一般社員", "要約": SHARED}
    z = dict(net.nodes[["word", "z"]].values)
    assert z["日報"] >= 1.96 and np.isnan(z["要約"])


def test_one_wave_keeps_its_own_cells():
    late = [("一般社員", "研修後", "研修の資料が便利")] * 10 + [
        ("管理職", "研修後", "研修の資料が多い")
    ] * 10
    survey = survey_of(MANAGERS + STAFF + late)
    before = question_network(survey, "感想", min_group=10, wave="研修前")
    after = question_network(survey, "感想", min_group=10, wave="研修後")
    assert before.n_answers == after.n_answers == 20
    assert "日報" in set(before.nodes["word"]) and "日報" not in set(after.nodes["word"])
    assert {"研修", "資料"} <= set(after.nodes["word"])


def test_without_a_role_column_every_word_is_shared():
    table = read_survey(("感想\n" + "\n".join(["日報の要約"] * 6 + ["議事録の要約"] * 6)).encode())
    net = question_network(Survey(table, infer_schema(table)), "感想", min_group=5)
    assert set(net.nodes["role"]) == {SHARED} and len(net.nodes) == 3


def test_names_never_become_words():
    rows = [("管理職", "研修前", f"山田さんと日報の要約{i}") for i in range(10)]
    net = question_network(survey_of(rows + STAFF), "感想", min_group=10)
    assert not any("山田" in w for w in net.nodes["word"])


# --------------------------------------------------------------------------- figure


def test_figure_holds_the_network_as_data():
    net = question_network(survey_of(MANAGERS + STAFF), "感想", min_group=10)
    fig = network_figure(net).to_dict()
    assert fig["layout"]["title"]["text"] == "語の共起ネットワーク"
    lines = [t for t in fig["data"] if t["mode"] == "lines"]
    words = {t["name"]: t for t in fig["data"] if t["mode"] == "markers+text"}
    assert list(words) == [SHARED, "管理職に特徴的", "一般社員に特徴的"]  # shared first, tier order
    assert words["管理職に特徴的"]["text"] == ["日報"]
    assert words["管理職に特徴的"]["marker"]["color"] == ROLE_COLOURS["管理職"]
    assert words[SHARED]["marker"]["color"] == SHARED_COLOUR
    sizes = {
        w: s for t in words.values() for w, s in zip(t["text"], t["marker"]["size"], strict=True)
    }
    assert sizes == dict(net.nodes[["word", "count"]].values)  # area ~ answers using the word
    where = {
        w: (x, y) for t in words.values() for w, x, y in zip(t["text"], t["x"], t["y"], strict=True)
    }
    assert len(lines) == len(net.edges) == 2
    for line, (source, target, jaccard, _) in zip(lines, net.edges.values, strict=True):
        assert list(zip(line["x"], line["y"], strict=True)) == [where[source], where[target]]
        assert line["line"]["width"] == pytest.approx(edge_width(jaccard))
    [hover] = [t for t in fig["data"] if t["mode"] == "markers" and t["name"] == "共起"]
    assert (
        np.asarray(hover["customdata"]).tolist() == net.edges[["jaccard", "both"]].values.tolist()
    )


def test_figure_of_an_empty_network_says_so():
    net = cooccurrence_network(["日報"], min_group=1)
    fig = network_figure(net, empty_note="なし").to_dict()
    assert net.nodes.empty and [a["text"] for a in fig["layout"]["annotations"]] == ["なし"]


def test_figure_labels_cannot_carry_markup():
    texts = ["<b>日報</b>の要約"] * 2
    fig = network_figure(cooccurrence_network(texts, min_group=1)).to_dict()
    assert "<b>" not in json.dumps(fig["data"], ensure_ascii=False)


# --------------------------------------------------------------------------- slide


def network_deck(net) -> Presentation:
    slide = content.network_slide("AIを使いたい業務", net, min_comments=10)
    data = render_deck([slide], survey_name="テスト", method_notes=["分析方法", "匿名性"])
    return Presentation(io.BytesIO(data))


def test_slide_draws_words_as_ovals_and_edges_as_lines():
    net = question_network(survey_of(MANAGERS + STAFF), "感想", min_group=10)
    [slide] = network_deck(net).slides
    assert slide.shapes.title.text_frame.text == "語の共起ネットワーク: AIを使いたい業務"
    ovals = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE]
    assert all(s.auto_shape_type == MSO_SHAPE.OVAL for s in ovals)
    words = {s.text_frame.text: s for s in ovals if s.text_frame.text}
    assert set(words) == {"要約", "日報", "議事録"}
    assert str(words["日報"].fill.fore_color.rgb) == ROLE_COLOURS["管理職"].lstrip("#").upper()
    assert str(words["要約"].fill.fore_color.rgb) == SHARED_COLOUR.lstrip("#").upper()
    assert words["要約"].width > words["日報"].width  # 20 answers against 10
    lines = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.LINE]
    assert len(lines) == len(net.edges) == 2
    centre = {w: (s.left + s.width // 2, s.top + s.height // 2) for w, s in words.items()}
    for line, (source, target, jaccard, _) in zip(lines, net.edges.values, strict=True):
        ends = {(line.begin_x, line.begin_y), (line.end_x, line.end_y)}
        assert all(
            min(abs(x - cx) + abs(y - cy) for x, y in ends) <= 2
            for cx, cy in (centre[source], centre[target])
        )
        assert line.line.width == Pt(edge_width(jaccard))
    legend = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    assert {"共通", "管理職に特徴的", "一般社員に特徴的"} <= set(legend)
    runs = [
        r for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs for r in p.runs
    ]
    assert runs
    for run in runs:
        rpr = run._r.find(qn("a:rPr"))
        assert rpr.find(qn("a:latin")).get("typeface") == FONT
        assert rpr.find(qn("a:ea")).get("typeface") == FONT
    notes = slide.notes_slide.notes_text_frame.text
    assert "Jaccard" in notes and "10件未満" in notes and "分析方法" in notes


def test_no_slide_for_a_network_without_edges():
    assert (
        content.network_slide("設問", cooccurrence_network(["日報"], min_group=1), min_comments=1)
        is None
    )


def test_deck_has_a_network_slide_without_the_small_group():
    rows = MANAGERS + STAFF + EXECUTIVES + LATE_MANAGERS
    prs = Presentation(io.BytesIO(build_deck(survey_of(rows), min_comments=10)))
    slides = [
        s for s in prs.slides if s.shapes.title.text_frame.text.startswith("語の共起ネットワーク")
    ]
    assert len(slides) == 1
    words = {s.text_frame.text for s in slides[0].shapes if s.has_text_frame}
    assert {"要約", "日報", "議事録"} <= words
    everything = " ".join(
        s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame
    )
    assert "株主" not in everything and "予算" not in everything


# --------------------------------------------------------------------------- real data


@pytest.mark.skipif(not MONTHLY.exists(), reason="../shared/realdata not present")
def test_real_export_gives_a_network_from_large_age_groups_only():
    """A real visitor survey (福井県観光連盟, CC BY 4.0), 年代 standing in for the role."""
    table = read_survey(MONTHLY)
    schema = infer_schema(table)
    survey = Survey(table, dataclasses.replace(schema, role="年代"))
    column = "満足度の理由"
    net = question_network(survey, column, min_group=10)
    assert len(net.nodes) >= 10 and len(net.edges) >= 10
    assert len(net.edges) <= TOP_EDGES
    assert net.edges["jaccard"].between(0.1, 1).all()
    assert set(net.edges["source"]) | set(net.edges["target"]) == set(net.nodes["word"])
    # answers counted: those of age groups with at least 10 answers that say something
    inputs = topic_inputs(survey, column)
    said = pd.Series(
        [r for r, t in zip(inputs.roles, inputs.texts, strict=True) if not is_no_answer(t)]
    )
    sizes = said.value_counts()
    assert (sizes < 10).any()  # some age groups are too small and must drop out
    assert net.n_answers == int(sizes[sizes >= 10].sum())
    assert not any(re.search(r"[\w.]+@[\w.]+", w) for w in net.nodes["word"])
    fig = network_figure(net).to_dict()
    assert sum(len(t["text"]) for t in fig["data"] if t["mode"] == "markers+text") == len(net.nodes)


# --------------------------------------------------------------------------- page


def test_free_text_page_shows_the_network_and_its_wave_choice(data_dir):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.switch_page("pages/4_free_text.py").run()
    assert not at.exception, [e.message for e in at.exception]
    open_tab(at, "語の共起ネットワーク")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    [spec] = [s for s in specs if s["layout"]["title"]["text"] == "語の共起ネットワーク"]
    names = [t["name"] for t in spec["data"] if t.get("mode") == "markers+text"]
    assert names[0] == SHARED and len(names) >= 2  # the sample has role-typical words
    caption = next(c for c in at.caption.values if c.startswith("同じ回答に一緒に出てくる語"))
    everything = int(re.search(r"対象 ([\d,]+)件", caption).group(1).replace(",", ""))
    [wave] = [s for s in at.selectbox if s.label == "回答時期"]
    wave.set_value("研修前").run()
    assert not at.exception
    caption = next(c for c in at.caption.values if c.startswith("同じ回答に一緒に出てくる語"))
    assert 0 < int(re.search(r"対象 ([\d,]+)件", caption).group(1).replace(",", "")) < everything


def test_free_text_page_network_counts_only_groups_that_may_be_shown(data_dir):
    question = "AI導入について、不安に思うことを自由にお書きください。"  # the page's first question
    frame = pd.read_csv(ROOT / "sample_data" / "ai_survey_google_forms.csv", dtype=str)
    said = frame[[not is_no_answer(t) for t in frame[question]]]
    per_group = said.groupby(["役職", "回答時期"]).size()
    threshold = 100  # the settings page's largest: only 一般社員's cells reach it
    assert set(per_group[per_group >= threshold].index.get_level_values(0)) == {"一般社員"}

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.switch_page("pages/6_settings.py").run()
    [box] = [b for b in at.number_input if b.label == "コメントを表示する最小人数"]
    box.set_value(threshold).run()
    [save] = [b for b in at.button if b.label == "基準を保存"]
    save.click().run()
    at.switch_page("pages/4_free_text.py").run()
    assert not at.exception, [e.message for e in at.exception]
    open_tab(at, "語の共起ネットワーク")
    caption = next(c for c in at.caption.values if c.startswith("同じ回答に一緒に出てくる語"))
    shown = int(re.search(r"対象 ([\d,]+)件", caption).group(1).replace(",", ""))
    assert shown == int(per_group[per_group >= threshold].sum())
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    [spec] = [s for s in specs if s["layout"]["title"]["text"] == "語の共起ネットワーク"]
    names = [t["name"] for t in spec["data"] if t.get("mode") == "markers+text"]
    assert names == [SHARED]  # one role left: nothing to contrast, no role named
