"""The workshop deck: slide order, 16:9, native charts holding the analysis numbers,
Japanese fonts, and privacy (no small group in any chart, masked comments only)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from pptx.util import Inches

from analysis import cli, gaps, trends
from analysis.deck import build_deck, content
from analysis.deck.render import FONT
from analysis.figures import REVERSE_MARK
from analysis.numbers import percent
from analysis.privacy import MIN_GROUP_COMMENTS
from analysis.schema import load_survey
from analysis.topics import TopicResult, fit_topics

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "ai_survey_google_forms.csv"
K_TOPICS = 4  # fixed so the test does not depend on the eigengap choice
DATE = dt.date(2025, 8, 1)


@functools.cache
def sample_deck_bytes() -> bytes:
    """The sample survey's deck, built once per test session (also used by the render check)."""
    return build_deck(load_survey(SAMPLE), k_topics=K_TOPICS, date=DATE)


@pytest.fixture(scope="module")
def survey():
    return load_survey(SAMPLE)


@pytest.fixture(scope="module")
def deck():
    return Presentation(io.BytesIO(sample_deck_bytes()))


@pytest.fixture(scope="module")
def first_wave(survey):
    answers = survey.answers()
    return answers[answers["wave"] == survey.waves[0]]


# --------------------------------------------------------------------------- helpers


def titles(prs) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in prs.slides]


def charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def slides_titled(prs, prefix: str) -> list:
    return [s for s in prs.slides if s.shapes.title.text_frame.text.startswith(prefix)]


def slide_texts(slide) -> list[str]:
    """Every text on a slide: text boxes, table cells, chart titles, categories and series."""
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
        if shape.has_chart:
            chart = shape.chart
            texts.append(chart.chart_title.text_frame.text)
            texts += [str(c) for c in chart.plots[0].categories]
            texts += [s.name for s in chart.plots[0].series]
    if slide.has_notes_slide:
        texts.append(slide.notes_slide.notes_text_frame.text)
    return texts


def all_text(prs) -> str:
    return "\n".join(t for slide in prs.slides for t in slide_texts(slide))


def chart_words(prs) -> list[str]:
    """Categories, series names and titles of every chart in the deck."""
    words = []
    for slide in prs.slides:
        for chart in charts(slide):
            words.append(chart.chart_title.text_frame.text)
            words += [str(c) for c in chart.plots[0].categories]
            words += [s.name for s in chart.plots[0].series]
    return words


def item_of(category: str, items) -> str:
    """The item behind a gap-chart category (◆ prefix, （逆） suffix, shortened label)."""
    label = category.removeprefix("◆ ").removesuffix("（逆）")
    matches = [i for i in items if content.short_label(i) == label]
    assert len(matches) == 1, category
    return matches[0]


# --------------------------------------------------------------------------- structure


def test_slides_are_16_9(deck):
    assert deck.slide_width == Inches(13.333)
    assert deck.slide_height == Inches(7.5)
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=1e-3)


def test_slides_come_in_the_planned_order(deck, survey):
    questions = [content.short_label(survey.table.label(c), 18) for c in survey.schema.free_text]
    expected = [
        "ai_survey_google_forms",
        "要点",
        "役割間のギャップ（研修前） 1/2",
        "役割間のギャップ（研修前） 2/2",
        "研修前後の変化（役割ごとの平均） 1/2",
        "研修前後の変化（役割ごとの平均） 2/2",
        # the sample's pairs leave 1-4 answers of a cell out: compared unpaired (issue 16)
        "研修前→研修後の変化（対応なし）",
        "研修前→3か月後の変化（対応なし）",
    ]
    for question in questions:
        expected += [f"自由記述の話題: {question}", f"話題と代表的な声: {question}"]
        expected.append(f"語の共起ネットワーク: {question}")  # analysis.cooccurrence
    expected += ["対話のための問い", "分析方法と匿名性のルール"]
    assert titles(deck) == expected


def test_title_slide_shows_waves_counts_and_date(deck):
    text = "\n".join(slide_texts(deck.slides[0]))
    assert "研修前 → 研修後 → 3か月後" in text
    assert "2025年8月1日" in text
    table = next(s.table for s in deck.slides[0].shapes if s.has_table)
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["回答者数", "経営層", "管理職", "一般社員"]
    assert [cell.text for cell in table.rows[1].cells] == ["研修前", "24人", "76人", "200人"]


def test_summary_has_three_to_five_headlines_with_n_and_interval(deck):
    (summary,) = slides_titled(deck, "要点")
    box = next(s for s in summary.shapes if s.has_text_frame and s != summary.shapes.title)
    sentences = [p.text for p in box.text_frame.paragraphs if p.text.strip()]
    assert 3 <= len(sentences) <= 5
    assert all("95%CI" in s and "n=" in s for s in sentences)


def test_summary_notes_name_each_number_in_japanese_inside_its_interval(deck):
    """The notes listed ``favourable: …`` and ``retention: 0.623 [2.473, 2.889]``: an English
    identifier, and a rate beside the follow-up mean's interval as if it were the rate's."""
    (summary,) = slides_titled(deck, "要点")
    lines = summary.notes_slide.notes_text_frame.text.split("【分析方法】")[0].splitlines()
    numbers = [line for line in lines if line.startswith("・")]
    assert numbers and not [line for line in numbers if re.search(r"[a-z]{4,}", line)]
    for line in numbers:
        found = re.fullmatch(r"・(.+?): (-?[\d.]+) (.*)\[(-?[\d.]+), (-?[\d.]+)\]）? n=.*", line)
        assert found, line
        name, estimate, said, low, high = found.groups()
        assert name in content.HEADLINE_KINDS_JA.values()
        if name == "定着率":  # the interval is the follow-up wave's mean, and says so
            assert "の平均の95%信頼区間" in said
        else:
            assert float(low) <= float(estimate) <= float(high), line


def test_charts_are_native_with_axis_titles_and_data_labels(deck):
    kinds = {
        "役割間のギャップ": XL_CHART_TYPE.BAR_CLUSTERED,
        "研修前後の変化（役割ごと": XL_CHART_TYPE.LINE_MARKERS,
        "自由記述の話題": XL_CHART_TYPE.BAR_STACKED_100,
    }
    seen = 0
    for prefix, kind in kinds.items():
        for slide in slides_titled(deck, prefix):
            found = charts(slide)
            assert found, prefix
            for chart in found:
                seen += 1
                assert chart.chart_type == kind
                assert chart.has_title and chart.chart_title.text_frame.text
                assert chart.value_axis.has_title and chart.value_axis.axis_title.text_frame.text
                assert chart.category_axis.has_title
                assert chart.plots[0].has_data_labels
    assert seen == 2 + 4 + 3  # gap charts, line charts (two a slide), topic charts
    others = [
        s
        for s in deck.slides
        if not any(s.shapes.title.text_frame.text.startswith(p) for p in kinds)
    ]
    assert not any(charts(s) for s in others)


# --------------------------------------------------------------------------- numbers


def test_gap_charts_hold_the_item_score_means_largest_gap_first(deck, first_wave):
    scores = gaps.item_scores(first_wave, by=("role",))
    mean = {(r.role, r.item): round(r.mean, 2) for r in scores.itertuples(index=False)}
    items = list(dict.fromkeys(scores["item"]))
    role_gaps = gaps.role_gaps(first_wave)
    largest = role_gaps.loc[role_gaps["effect_size"].abs().idxmax(), "item"]
    isolated = set(gaps.manager_isolation(first_wave)["item"])
    assert isolated == {
        "AIについて相談できる相手がいる",
        "AI導入を自分ひとりで抱え込んでいると感じる",
    }

    shown = []
    for slide in slides_titled(deck, "役割間のギャップ"):
        (chart,) = charts(slide)
        categories = list(chart.plots[0].categories)
        assert len(categories) == 5
        for category in categories:
            item = item_of(category, items)
            shown.append(item)
            assert category.startswith("◆ ") == (item in isolated)
        for series in chart.plots[0].series:
            expected = [mean[(series.name, item_of(c, items))] for c in categories]
            assert list(series.values) == expected
        assert [s.name for s in chart.plots[0].series] == ["経営層", "管理職", "一般社員"]
    assert sorted(shown) == sorted(items)
    assert shown[0] == largest


def test_line_charts_hold_the_wave_score_means(deck, survey):
    cells = trends.wave_scores(survey.answers(), waves=survey.waves)
    mean = {(r.role, r.wave, r.item): round(r.mean, 2) for r in cells.itertuples(index=False)}
    reverse = dict(zip(cells["item"], cells["reverse"].astype(bool), strict=False))
    titles = {  # a reverse-worded statement's title ends in （逆）
        content.short_label(i, 30) + (REVERSE_MARK if reverse[i] else ""): i for i in reverse
    }
    found = 0
    for slide in slides_titled(deck, "研修前後の変化（役割ごと"):
        for chart in charts(slide):
            found += 1
            item = titles[chart.chart_title.text_frame.text]
            assert list(chart.plots[0].categories) == ["研修前", "研修後", "3か月後"]
            for series in chart.plots[0].series:
                assert list(series.values) == [mean[(series.name, w, item)] for w in survey.waves]
    assert found == content.MAX_TREND_ITEMS


def test_change_table_shows_d_z_and_pairs(deck, survey):
    changes = trends.wave_changes(survey.answers(), waves=survey.waves)
    row = changes[
        (changes["role"] == "管理職")
        & (changes["item"] == "AIについて相談できる相手がいる")
        & (changes["from_wave"] == "研修前")
        & (changes["to_wave"] == "研修後")
    ].iloc[0]
    # issue 16: 74 of the 75 managers answering in each wave are paired, so the paired change
    # would give the other one away; the deck shows the unpaired change of the whole cells
    assert row["method"] == "unpaired" and "差し引きで分かる" in row["note"]
    (slide,) = slides_titled(deck, "研修前→研修後の変化")
    table = next(s.table for s in slide.shapes if s.has_table)
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["項目（対応なし）", "経営層", "管理職", "一般社員"]
    line = next(r for r in table.rows if r.cells[0].text == row["item"])
    cell = line.cells[header.index("管理職")].text
    assert cell.startswith(f"{row['diff']:+.2f}")
    assert f"δ {row['effect_size']:.2f}" in cell
    assert f"n={row['n_from']}→{row['n_to']}" in cell
    assert "対応なし" in "\n".join(slide_texts(slide))


def test_topic_chart_holds_the_topic_shares(deck, survey):
    column = survey.schema.free_text[0]
    texts = survey.texts(column)
    result = fit_topics(
        texts["text"].tolist(), roles=texts["role"].tolist(), waves=texts["wave"].tolist(),
        k=K_TOPICS, min_group=MIN_GROUP_COMMENTS,
    )  # fmt: skip
    share = {
        (f"{r.role}｜{r.wave}", int(r.topic)): percent(r.share) / 100  # labels read as anywhere
        for r in result.shares.itertuples(index=False)
    }
    chart = charts(slides_titled(deck, "自由記述の話題")[0])[0]
    categories = list(chart.plots[0].categories)
    assert categories[:3] == ["経営層｜研修前", "経営層｜研修後", "経営層｜3か月後"]
    series = list(chart.plots[0].series)
    assert [s.name for s in series] == result.topics["label"].tolist()
    for topic, s in enumerate(series):
        assert list(s.values) == [share[(c, topic)] for c in categories]
    totals = np.sum([list(s.values) for s in series], axis=0)
    # each whole percent is off by at most half a point
    assert totals == pytest.approx(1.0, abs=0.005 * len(series) + 1e-9)


def test_questions_quote_agreement_shares_of_the_largest_gaps(deck):
    (slide,) = slides_titled(deck, "対話のための問い")
    text = "\n".join(slide_texts(slide))
    assert "問1. 『AIについて相談できる相手がいる』は管理職だけが低く" in text
    assert re.search(
        r"の肯定率は経営層\d+%、一般社員\d+%。この差はどこから来るのでしょうか？", text
    )


@pytest.mark.parametrize(
    ("points", "favourable", "midpoint", "agree", "reverse", "expected"),
    [
        (5, (0.78, 0.41), (0.1, 0.3), None, False, "肯定率は経営層78%、一般社員41%。"),
        (
            5,
            (0.90, 0.40),
            (0.05, 0.2),
            None,
            True,
            "肯定率は経営層5%、一般社員40%。",
        ),  # 1 - fav - mid
        (
            5,
            (0.785, 0.415),
            (0.0, 0.0),
            None,
            False,
            "肯定率は経営層79%、一般社員42%。",
        ),  # halves up
        (7, (0.90, 0.40), (0.05, 0.2), (0.02, 0.25), True, "肯定率は経営層2%、一般社員25%。"),
        (4, (0.70, 0.40), (np.nan, np.nan), None, True, "肯定率は経営層30%、一般社員60%。"),
    ],
)
def test_question_numbers(points, favourable, midpoint, agree, reverse, expected):
    item = "AIに仕事を奪われると不安だ" if reverse else "AIで自分の仕事が楽になる"
    scores = pd.DataFrame({
        "role": ["経営層", "一般社員"], "item": item, "points": points, "reverse": reverse,
        "favourable": favourable, "midpoint": midpoint, "suppressed": False,
    })  # fmt: skip
    if agree is not None:
        scores["agree"] = agree
    gap_table = pd.DataFrame(
        {
            "item": [item],
            "a": ["経営層"],
            "b": ["一般社員"],
            "effect_size": [1.0],
            "suppressed": [False],
        }
    )
    (question,) = content.dialogue_questions(scores, gap_table, pd.DataFrame(columns=["item"]))
    assert question == f"『{item}』の{expected}この差はどこから来るのでしょうか？"


def test_question_needs_agreement_counted_for_a_reverse_seven_point_item():
    scores = pd.DataFrame({
        "role": ["経営層", "一般社員"], "item": "不安だ", "points": 7, "reverse": True,
        "favourable": (0.9, 0.4), "midpoint": (0.05, 0.2), "suppressed": False,
    })  # fmt: skip
    gap_table = pd.DataFrame(
        {
            "item": ["不安だ"],
            "a": ["経営層"],
            "b": ["一般社員"],
            "effect_size": [1.0],
            "suppressed": [False],
        }
    )
    with pytest.raises(ValueError, match="agree"):
        content.dialogue_questions(scores, gap_table, pd.DataFrame(columns=["item"]))


# --------------------------------------------------------------------------- text and fonts


def _rpr_elements(xml_root):
    return xml_root.iter(qn("a:rPr"), qn("a:defRPr"))


def test_every_run_has_latin_and_east_asian_font(deck):
    runs = 0
    for slide in deck.slides:
        frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
        frames += [
            c.text_frame for s in slide.shapes if s.has_table for r in s.table.rows for c in r.cells
        ]
        frames.append(slide.notes_slide.notes_text_frame)
        for frame in frames:
            for paragraph in frame.paragraphs:
                for run in paragraph.runs:
                    runs += 1
                    rpr = run._r.find(qn("a:rPr"))
                    assert rpr is not None, run.text
                    assert rpr.find(qn("a:latin")).get("typeface") == FONT
                    assert rpr.find(qn("a:ea")).get("typeface") == FONT
        for chart in charts(slide):
            for rpr in chart._chartSpace.iter(qn("a:rPr")):
                assert rpr.find(qn("a:ea")).get("typeface") == FONT
            assert chart.font._element.find(qn("a:ea")).get("typeface") == FONT
    assert runs > 100


def test_deck_is_in_japanese(deck):
    text = all_text(deck)
    assert "役割間のギャップ" in text and "対話のための問い" in text
    kana = re.findall(r"[\u3040-\u30ff]", text)
    assert len(kana) > 1000


def test_every_data_slide_has_the_method_in_its_notes(deck):
    for slide in list(deck.slides)[1:-1]:
        notes = slide.notes_slide.notes_text_frame.text
        assert "【分析方法】" in notes and "Holm" in notes and "5件未満" in notes, (
            slide.shapes.title.text
        )
        assert "回答者数（役割・回答時期ごと）: 研修前: 経営層 24人" in notes
    closing = "\n".join(slide_texts(deck.slides[-1]))
    assert "Hedges の g" in closing and "Wilcoxon" in closing and "d_z" in closing


def test_topic_comments_fill_in_from_large_groups_only():
    staff = ["日報の作業を0分短くしたい", "議事録の下書きを任せたい", "見積書のチェックに使えそう"]
    staff += [f"問い合わせ対応の回答案{'を' * n}作りたい" for n in range(1, 10)]
    secret = ["経営会議の資料を秘密裏に作らせたい", "役員だけで秘密に試したい", "秘密の計画がある"]
    texts = pd.DataFrame({
        "role": ["一般社員"] * 12 + ["経営層"] * 3 + [pd.NA] * 2,
        "wave": "研修後",
        "text": staff + secret + ["特になし", None],
    })  # fmt: skip
    topics = pd.DataFrame({
        "id": [0], "label": ["作業・短い"], "terms": [[]], "size": [15],
        "examples": [["日報の作業を0分短くしたい", "日報の作業を3分短くしたい。"]],
    })  # fmt: skip
    result = TopicResult(topics, [0] * 15 + [None, None], pd.DataFrame(), 1)
    ((label, comments),) = content.topic_comments(result, texts, min_group=10)
    assert label == "作業・短い"
    assert comments[0] == "日報の作業を0分短くしたい"
    assert len(comments) == 3 and not any("秘密" in c for c in comments)
    assert sum(c.startswith("日報の作業を") for c in comments) == 1  # near-duplicates quoted once
    with pytest.raises(ValueError, match="fitted on"):
        content.topic_comments(result, texts.iloc[:5])


def test_clean_text_removes_what_xml_cannot_hold():
    assert content.clean_text("a\x00b\x07c\x1b\ufffed\r\ne") == "abcd e"
    assert content.clean_text(None) == ""


def test_progress_reports_fractions_in_order(small_file):
    seen: list[tuple[float, str]] = []
    build_deck(load_survey(small_file), k_topics=2, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert seen[-1][1].endswith("枚のスライドを作成しました")


# --------------------------------------------------------------------------- privacy

FREE_QUESTION = "AI導入について、不安に思うことを自由にお書きください。"
STATEMENTS = (
    "AIで自分の仕事が楽になると思う",
    "AIについて相談できる相手がいる",
    "AIを積極的に使いたい",
)
LABELS = (
    "まったくそう思わない",
    "そう思わない",
    "どちらともいえない",
    "そう思う",
    "とてもそう思う",
)
ROLE_SIZES = {
    "経営層": 3,
    "人事": 6,
    "管理職": 14,
    "一般社員": 30,
}  # 経営層 under 5; 人事 hidden with it
PII_ANSWERS = (
    "山田さんに相談したら、日報の要約にAIを使えると聞きました。連絡先は yamada@example.co.jp です。",
    "林部長から、議事録の作成をAIで試すよう言われました。電話 090-1234-5678 にください。",
    "社員番号E12345の件で、マニュアル作成にAIを使いたいです。藤田主任も賛成です。\x07",
    "佐々木さんと一緒に、見積書のチェックにAIを使ってみたい。０８０－１１１１－２２２２まで。",
)
PII = re.compile(r"@|＠|0\d{1,4}-\d{1,4}-\d{3,4}|０８０|E\d{5}|山田|林部長|藤田|佐々木")


def small_group_csv() -> bytes:
    """Two waves; 経営層 has 3 people, so it (and 人事, to stop subtraction) must vanish."""
    rng = np.random.default_rng(7)
    bias = {"経営層": (4, 4, 4), "人事": (3, 3, 3), "管理職": (3, 1, 3), "一般社員": (2, 3, 3)}
    rows, person = [], 0
    for role, size in ROLE_SIZES.items():
        for _ in range(size):
            person += 1
            for wave_index, wave in enumerate(("研修前", "研修後")):
                values = [
                    LABELS[int(np.clip(b + wave_index + rng.integers(-1, 2), 0, 4))]
                    for b in bias[role]
                ]
                text = PII_ANSWERS[person % len(PII_ANSWERS)] + f"（{person}）"
                rows.append([f"E{10000 + person}", role, wave, *values, text])
    frame = pd.DataFrame(rows, columns=["社員番号", "役職", "回答時期", *STATEMENTS, FREE_QUESTION])
    return frame.to_csv(index=False).encode()


@pytest.fixture(scope="module")
def small_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("small") / "小規模アンケート.csv"
    path.write_bytes(small_group_csv())
    return path


@pytest.fixture(scope="module")
def small_deck(small_file):
    return Presentation(io.BytesIO(build_deck(load_survey(small_file), k_topics=2, date=DATE)))


def hidden_roles(survey) -> set[str]:
    """Roles :mod:`analysis.privacy` hides in every score cell of the deck's tables."""
    answers = survey.answers()
    tables = [
        gaps.item_scores(answers[answers["wave"] == "研修前"], by=("role",)),
        trends.wave_scores(answers, waves=survey.waves),
    ]
    cells = pd.concat([t[["role", "suppressed"]] for t in tables])
    return set(cells.groupby("role")["suppressed"].all().loc[lambda s: s].index)


def test_small_group_is_in_no_chart(small_deck, small_file):
    hidden = hidden_roles(load_survey(small_file))
    assert "経営層" in hidden  # 3 people; whether 人事 goes too is privacy's choice
    words = chart_words(small_deck)
    assert any("管理職" in w for w in words) and any("一般社員" in w for w in words)
    assert not any(h in w for w in words for h in hidden)
    for slide in small_deck.slides:
        for shape in slide.shapes:
            if shape.has_table and slide != small_deck.slides[0]:
                assert not any(h in c.text for c in shape.table.rows[0].cells for h in hidden)


def test_small_group_contributes_no_number(small_deck, small_file):
    survey = load_survey(small_file)
    answers = survey.answers()
    visible = gaps.item_scores(answers[answers["wave"] == "研修前"], by=("role",))
    assert "経営層" in set(visible.loc[visible["suppressed"], "role"])
    allowed = {round(m, 2) for m in visible["mean"].dropna()}
    cells = trends.wave_scores(answers, waves=survey.waves)
    allowed |= {round(m, 2) for m in cells["mean"].dropna()}
    for slide in small_deck.slides:
        for chart in charts(slide):
            if chart.chart_type == XL_CHART_TYPE.BAR_STACKED_100:
                continue  # topic shares: groups of 10+ answers only, checked by name above
            for series in chart.plots[0].series:
                assert {v for v in series.values if v is not None} <= allowed


def test_title_counts_hide_small_groups(small_deck):
    table = next(s.table for s in small_deck.slides[0].shapes if s.has_table)
    grid = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows}
    header = grid["回答者数"]
    wave = dict(zip(header, grid["研修前"], strict=True))
    assert wave["経営層"] == "5人未満"
    # 6 is over the threshold: shown, as its n beside its scores is (issue 15: no table of
    # counts hides a group whose scores another slide shows); no true total is printed
    assert wave["人事"] == "6人"
    assert wave["管理職"] == "14人" and wave["一般社員"] == "30人"
    text = all_text(small_deck)
    assert "3人" not in text
    assert f"{3 + 6 + 14 + 30}人" not in text and f"{3 + 6 + 14 + 30}名" not in text


def test_comments_are_masked_everywhere(small_deck):
    text = all_text(small_deck)
    assert "〔氏名〕" in text and "〔電話〕" in text  # comments were quoted, masked
    assert not PII.search(text), PII.search(text)
    assert "\x07" not in text


# --------------------------------------------------------------------------- command line


def test_cli_report_joins_one_file_per_wave(small_file, tmp_path):
    """One subprocess run: files given per wave, out of order, default output name."""
    frame = pd.read_csv(small_file, dtype=str)
    paths = []
    for wave in ("研修後", "研修前"):  # the deck still starts with 研修前
        path = tmp_path / f"{wave}.csv"
        frame[frame["回答時期"] == wave].drop(columns="回答時期").to_csv(path, index=False)
        paths.append(str(path))
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "report", *paths, "--k-topics", "2", "--min-group", "5"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = tmp_path / "研修後_deck.pptx"
    prs = Presentation(str(out))
    assert result.stdout.strip() == f"スライド{len(prs.slides)}枚を書き出しました: {out}"
    assert "研修前→研修後の変化（対応あり）" in titles(prs)
    assert not any("経営層" in w for w in chart_words(prs))


def test_cli_report_writes_one_files_deck_where_asked(small_file, tmp_path, capsys):
    out = tmp_path / "deck.pptx"
    assert cli.main(["report", str(small_file), "--k-topics", "2", "--out", str(out)]) == 0
    prs = Presentation(str(out))
    assert capsys.readouterr().out.strip() == f"スライド{len(prs.slides)}枚を書き出しました: {out}"
    assert titles(prs)[0] == "小規模アンケート"


@pytest.mark.parametrize("argument", [["--min-group", "0"], ["--k-topics", "x"]])
def test_cli_report_refuses_a_bad_number(small_file, argument, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["report", str(small_file), *argument])
    assert stop.value.code == 2
    assert "1以上の整数" in capsys.readouterr().err


def test_cli_report_says_which_wave_is_missing(small_file, tmp_path, capsys):
    out = tmp_path / "deck.pptx"
    assert cli.main(["report", str(small_file), "--wave", "3か月後", "--out", str(out)]) == 1
    assert "回答時期「3か月後」のデータがありません" in capsys.readouterr().err
    assert not out.exists()


# --------------------------------------------------------------------------- equivalence

SNAPSHOTS = ROOT / "tests" / "data" / "deck"
SNAPSHOT_FILES = {
    "sample": SAMPLE,
    "ja_google_forms_4point": ROOT / "tests" / "data" / "exports" / "ja_google_forms_4point.csv",
}


def deck_content(prs) -> list[dict]:
    """A deck as plain data: per slide its texts, tables, charts (type, categories, values), notes."""
    out = []
    for slide in prs.slides:
        shapes = []
        for shape in slide.shapes:
            if shape.has_chart:
                chart = shape.chart
                plot = chart.plots[0]
                shapes.append({
                    "chart": str(chart.chart_type),
                    "title": chart.chart_title.text_frame.text,
                    "axes": [chart.value_axis.axis_title.text_frame.text,
                             chart.category_axis.axis_title.text_frame.text],
                    "categories": [str(c) for c in plot.categories],
                    "series": [[s.name, list(s.values)] for s in plot.series],
                })  # fmt: skip
            elif shape.has_table:
                shapes.append({"table": [[c.text for c in row.cells] for row in shape.table.rows]})
            elif shape.has_text_frame:
                shapes.append({"text": shape.text_frame.text})
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else None
        out.append({"shapes": shapes, "notes": notes})
    return out


@functools.cache
def snapshot_deck(name: str) -> list[dict]:
    k = K_TOPICS if name == "sample" else 3
    deck = build_deck(load_survey(SNAPSHOT_FILES[name]), k_topics=k, date=DATE)
    return json.loads(json.dumps(deck_content(Presentation(io.BytesIO(deck)))))


@pytest.mark.parametrize("name", sorted(SNAPSHOT_FILES))
def test_deck_content_matches_its_snapshot(name):
    """Same slides, texts, tables, chart data and notes as the recorded deck.

    After an intended change to the deck, rewrite the snapshots with
    ``DECK_SNAPSHOT_UPDATE=1 .venv/bin/python -m pytest tests/test_slides.py -k snapshot``
    and review the diff.
    """
    path = SNAPSHOTS / f"{name}.json"
    content = snapshot_deck(name)
    if os.environ.get("DECK_SNAPSHOT_UPDATE"):
        path.write_text(json.dumps(content, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert len(content) == len(expected)
    for number, (got, want) in enumerate(zip(content, expected, strict=True), start=1):
        assert got == want, f"slide {number}"


def test_deck_content_and_order_do_not_touch_python_pptx():
    """What the slides say (content) and their order (build) import no python-pptx."""
    code = (
        "import sys, analysis.deck.content, analysis.deck.build;"
        "import analysis.deck.render as r;"  # render is the one place that loads it
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pptx', 'streamlit'}))"
    )
    for module in ("content", "build"):
        source = (ROOT / "analysis" / "deck" / f"{module}.py").read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) pptx", source, re.MULTILINE), module
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "['pptx']", result.stderr
