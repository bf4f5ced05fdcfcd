"""Figures checked as data (fig.to_dict()): the numbers of the tables, nothing hidden."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import itertools
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from analysis import figures, likert, pipeline, trends
from analysis.cooccurrence import cooccurrence_network
from analysis.deck import build_deck
from analysis.gaps import difference_from_overall, item_scores
from analysis.network_figure import network_figure
from analysis.schema import load_survey

ITEM = "AIで自分の仕事が楽になると思う"
OTHER = "AIについて相談できる相手がいる"


def values(data) -> list:
    """A trace array from fig.to_dict(): plotly 6+ encodes numbers as typed base64 ("bdata")."""
    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        if "shape" in data:  # e.g. "2, 3"
            array = array.reshape([int(n) for n in str(data["shape"]).split(",")])
        return array.tolist()
    return [values(v) if isinstance(v, dict | list | tuple) else v for v in data]


@pytest.fixture
def answers() -> pd.DataFrame:
    """経営層 6, 管理職 6, 一般社員 6 on two items; managers stand apart on the second."""
    roles = ["経営層"] * 6 + ["管理職"] * 6 + ["一般社員"] * 6
    first = [5, 5, 4, 4, 5, 4, 3, 3, 2, 3, 4, 3, 1, 2, 1, 2, 2, 1]
    second = [4, 4, 4, 5, 4, 4, 1, 2, 2, 1, 2, 2, 3, 3, 4, 4, 3, 4]
    rows = []
    for item, values in ((ITEM, first), (OTHER, second)):
        for i, (role, value) in enumerate(zip(roles, values, strict=True)):
            rows.append(dict(row=i, respondent=pd.NA, role=role, wave="研修前", department=pd.NA,
                             item=item, points=5, reverse=False, value=float(value)))  # fmt: skip
    return pd.DataFrame(rows)


def _small_frontline(answers: pd.DataFrame) -> pd.DataFrame:
    """Only 3 一般社員 answered: they (and, by complementary suppression, one more role) hide."""
    frontline = answers[answers["role"] == "一般社員"]
    return answers.drop(frontline[frontline["row"] >= 15].index)


def test_dumbbell_plots_the_visible_means_and_marks_isolated_managers(answers):
    scores = item_scores(answers, min_group=5)
    figure = figures.gap_dumbbell(scores, isolated={OTHER}).to_dict()
    markers = {t["name"]: t for t in figure["data"] if t.get("mode") == "markers"}
    assert set(markers) == {"経営層", "管理職", "一般社員"}
    assert values(markers["経営層"]["x"]) == pytest.approx([27 / 6, 25 / 6])
    assert values(markers["管理職"]["x"]) == pytest.approx([18 / 6, 10 / 6])
    assert values(markers["管理職"]["marker"]["size"]) == [12, 18]  # the isolated item stands out
    assert markers["管理職"]["y"][1].startswith("◆ ")


def test_a_hidden_role_never_reaches_the_dumbbell(answers):
    scores = item_scores(_small_frontline(answers), min_group=5)
    figure = figures.gap_dumbbell(scores).to_dict()
    names = {t.get("name") for t in figure["data"]}
    assert "一般社員" not in names
    hidden_mean = 6 / 3  # what the three 一般社員 answered to ITEM, on average
    plotted = [x for t in figure["data"] for x in values(t["x"])]
    assert hidden_mean not in plotted


def test_heatmap_leaves_hidden_cells_blank(answers):
    """一般社員 is under the threshold: the overall is hidden to protect it (the cheapest
    cell), so every difference from the overall is blank, never a number."""
    table = difference_from_overall(_small_frontline(answers), min_group=5)
    assert table["suppressed"].all() and "全体の値" in table["reason"].iloc[0]
    heatmap = figures.gap_heatmap(table).to_dict()["data"][0]
    assert list(heatmap["x"]) == ["経営層", "管理職", "一般社員"]
    z, text = values(heatmap["z"]), values(heatmap["text"])
    assert all(math.isnan(v) for row in z for v in row)
    assert {t for row in text for t in row} == {"非表示"}


def test_heatmap_shows_the_difference_from_the_overall(answers):
    table = difference_from_overall(answers, min_group=5)
    heatmap = figures.gap_heatmap(table).to_dict()["data"][0]
    overall = answers[answers["item"] == ITEM]["value"].mean()
    assert values(heatmap["z"])[0][0] == pytest.approx(27 / 6 - overall)


def test_stacked_shares_add_up_to_100(answers):
    scores = item_scores(_small_frontline(answers), min_group=5)
    bars = figures.favourable_bars(scores).to_dict()["data"]
    assert [b["name"] for b in bars] == ["肯定的", "どちらともいえない", "否定的"]
    totals = [sum(shares) for shares in zip(*(values(b["x"]) for b in bars), strict=True)]
    assert totals == pytest.approx([100.0] * len(totals))
    assert values(bars[0]["x"])[0] == pytest.approx(100.0)  # 経営層 all agree on ITEM
    assert not any("一般社員" in label for label in values(bars[0]["y"]))


def test_trend_lines_follow_wave_order():
    cells = pd.DataFrame({
        "role": ["管理職"] * 3, "wave": ["3か月後", "研修前", "研修後"], "item": ITEM,
        "n": [20, 20, 20], "mean": [3.5, 3.0, 4.0], "mean_low": [3.2, 2.7, 3.7],
        "mean_high": [3.8, 3.3, 4.3], "suppressed": False,
    })  # fmt: skip
    waves = ["研修前", "研修後", "3か月後"]
    line = figures.trend_lines(cells, item=ITEM, waves=waves).to_dict()["data"][1]
    assert values(line["x"]) == waves and values(line["y"]) == [3.0, 4.0, 3.5]


def test_topic_share_groups_run_by_role_then_wave():
    shares = pd.DataFrame({
        "role": ["一般社員", "経営層", "一般社員"], "wave": ["研修後", "研修前", "研修前"],
        "topic": [0, 0, 0], "share": [1.0, 1.0, 1.0], "n": [12, 11, 15],
    })  # fmt: skip
    topics = pd.DataFrame({"id": [0], "label": ["日報・要約・時間"]})
    figure = figures.topic_share_bars(shares, topics, waves=["研修前", "研修後"]).to_dict()
    assert list(figure["layout"]["yaxis"]["categoryarray"]) == [
        "経営層｜研修前",
        "一般社員｜研修前",
        "一般社員｜研修後",
    ]
    assert figure["data"][0]["name"] == "日報・要約・時間"


def test_ten_topics_get_ten_colours_none_a_roles_and_the_legend_sits_under_the_bars():
    """Topic labels are phrases: a legend above the bars covered the title (seen at 1,366 px),
    and topics 0-2 were drawn in the role colours, 8 and 9 in the colours of 0 and 1."""
    shares = pd.DataFrame({
        "role": ["管理職"] * 10, "wave": ["研修前"] * 10, "topic": list(range(10)),
        "share": [0.1] * 10, "n": [40] * 10,
    })  # fmt: skip
    topics = pd.DataFrame(
        {"id": range(10), "label": [f"話題{i}の代表的な回答の一節" for i in range(10)]}
    )
    figure = figures.topic_share_bars(shares, topics, waves=["研修前"]).to_dict()
    colours = [trace["marker"]["color"] for trace in figure["data"]]
    assert len(set(colours)) == 10
    roles = {c.lower() for c in figures.ROLE_COLOURS.values()}
    assert not {c.lower() for c in colours} & roles
    legend = figure["layout"]["legend"]
    assert legend["yanchor"] == "top" and legend["y"] < 0  # under the plot, not over its title
    assert legend["traceorder"] == "normal"  # largest topic first, as the list below it
    assert (
        figure["layout"]["height"]
        > figures.topic_share_bars(shares[shares["topic"] < 2], topics, waves=["研修前"]).to_dict()[
            "layout"
        ]["height"]
    )  # room for the legend's rows


def test_every_figure_uses_the_japanese_font_stack(answers):
    figure = figures.gap_dumbbell(item_scores(answers, min_group=5))
    assert figure.layout.template.layout.font.family.startswith("Noto Sans JP")


def test_markup_in_labels_never_reaches_a_chart(answers):
    link = "<a href='https://example.invalid'>経営層</a>"
    hostile = answers.assign(
        role=answers["role"].replace("経営層", link),
        item=answers["item"].replace(ITEM, "<b>" + ITEM + "</b>"),
    )
    scores = item_scores(hostile, min_group=5)
    charts = [
        figures.gap_dumbbell(scores),
        figures.favourable_bars(scores),
        figures.gap_heatmap(difference_from_overall(hostile, min_group=5)),
    ]
    for chart in charts:
        text = json.dumps(chart.to_dict(), ensure_ascii=False, default=str)
        assert "<a " not in text and "<b>" not in text
        assert "＜a href=" in text  # still readable, as plain text


# --------------------------------------------------------------------------- favourable direction

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"
FOUR_POINT = EXPORTS / "ja_google_forms_4point.csv"  # agree4_soft, one reverse item
MIXED = EXPORTS / "ja_google_forms_en_ui.csv"  # agree5 statements and a satisfy5_soft one
WORRY = "AIに仕事を奪われるのではないかと不安だ"  # reverse-keyed in FOUR_POINT
DATE = dt.date(2025, 8, 1)


def _rgb(colour: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", colour)[:3])


def cell_colours(heatmap: dict) -> list[list[tuple[float, ...] | None]]:
    """The colour plotly paints each heatmap cell: z placed on [zmin, zmax] of the colorscale."""
    scale = [(float(at), _rgb(colour)) for at, colour in heatmap["colorscale"]]
    low, high = heatmap["zmin"], heatmap["zmax"]

    def colour(z: float) -> tuple[float, ...] | None:
        if z is None or math.isnan(z):
            return None
        t = min(max((z - low) / (high - low), 0.0), 1.0)
        for (a, ca), (b, cb) in itertools.pairwise(scale):
            if a <= t <= b:
                w = 0.0 if b == a else (t - a) / (b - a)
                return tuple(round(x + (y - x) * w, 6) for x, y in zip(ca, cb, strict=True))
        raise AssertionError(t)

    return [[colour(z) for z in row] for row in values(heatmap["z"])]


def is_blue(rgb: tuple[float, ...]) -> bool:
    return rgb[2] > rgb[0]


def flipped(answers: pd.DataFrame, items, statements: set[str]):
    """The same survey with ``statements`` worded the other way round: reverse flag toggled,
    every answer mirrored (k -> points + 1 - k). Favourable answers stay favourable."""
    turn = answers["item"].isin(statements)
    answers = answers.assign(
        reverse=answers["reverse"].where(~turn, ~answers["reverse"].astype(bool)),
        value=answers["value"].where(~turn, answers["points"] + 1 - answers["value"]),
    )
    items = tuple(
        dataclasses.replace(i, reverse=not i.reverse) if i.label in statements else i for i in items
    )
    return answers, items


@pytest.fixture(scope="module")
def four_point():
    survey = load_survey(FOUR_POINT)
    return survey, pipeline.wave_answers(survey, "研修前")


def test_a_reverse_item_agreed_with_more_is_red_and_marked(four_point):
    """管理職 agree more than everyone (+0.42) that AI may take their job: unfavourable, red;
    経営層 agree less (-1.08): blue. The text keeps the difference as worded."""
    survey, answers = four_point
    table = difference_from_overall(answers, min_group=1)
    heatmap = figures.gap_heatmap(table, items=survey.schema.items).to_dict()["data"][0]
    row = [label.removesuffix("（逆）") for label in heatmap["y"]].index(WORRY)
    assert heatmap["y"][row].endswith("（逆）")
    assert sum(label.endswith("（逆）") for label in heatmap["y"]) == 1
    groups = list(heatmap["x"])
    text, colours = values(heatmap["text"])[row], cell_colours(heatmap)[row]
    assert text[groups.index("管理職")] == "+0.42" and text[groups.index("経営層")] == "-1.08"
    assert not is_blue(colours[groups.index("管理職")])
    assert is_blue(colours[groups.index("経営層")])
    plain_row = list(heatmap["y"]).index("AIへの不安はない")  # not reversed
    assert values(heatmap["text"])[plain_row][groups.index("経営層")] == "-1.67"
    assert not is_blue(cell_colours(heatmap)[plain_row][groups.index("経営層")])


def test_rewording_an_item_the_other_way_keeps_every_colour(four_point):
    """Metamorphic: each statement turned round (reverse toggled, answers mirrored) paints the
    same heatmap and the same favourable bars; only the （逆） marks and the signs move."""
    survey, answers = four_point
    statements = set(answers["item"])
    turned, turned_items = flipped(answers, survey.schema.items, statements)
    before = figures.gap_heatmap(
        difference_from_overall(answers, min_group=1), items=survey.schema.items
    ).to_dict()["data"][0]
    after = figures.gap_heatmap(
        difference_from_overall(turned, min_group=1), items=turned_items
    ).to_dict()["data"][0]
    assert cell_colours(after) == cell_colours(before)
    assert [label.endswith("（逆）") for label in after["y"]] == [
        not label.endswith("（逆）") for label in before["y"]
    ]
    flip = {"+0.00": "+0.00", "-0.00": "+0.00"}
    mirrored = [
        [flip.get(t, t.translate(str.maketrans("+-", "-+"))) for t in row]
        for row in values(before["text"])
    ]
    assert [[flip.get(t, t) for t in row] for row in values(after["text"])] == mirrored

    bars_before = figures.favourable_bars(
        item_scores(answers, min_group=1), items=survey.schema.items
    ).to_dict()["data"]
    bars_after = figures.favourable_bars(
        item_scores(turned, min_group=1), items=turned_items
    ).to_dict()["data"]
    for a, b in zip(bars_before, bars_after, strict=True):
        assert (a["name"], a["marker"]["color"]) == (b["name"], b["marker"]["color"])
        assert values(b["x"]) == pytest.approx(values(a["x"]))
    marked = [label for label in values(bars_before[0]["y"]) if "（逆）｜" in label]
    assert marked and all(label.startswith(WORRY[:22]) for label in marked)


def test_only_the_reverse_item_is_turned_when_one_statement_is_reworded(four_point):
    """Turning the one reverse item into a plain one (answers mirrored) keeps its colours."""
    survey, answers = four_point
    turned, turned_items = flipped(answers, survey.schema.items, {WORRY})
    before = figures.gap_heatmap(
        difference_from_overall(answers, min_group=1), items=survey.schema.items
    ).to_dict()["data"][0]
    after = figures.gap_heatmap(
        difference_from_overall(turned, min_group=1), items=turned_items
    ).to_dict()["data"][0]
    assert cell_colours(after) == cell_colours(before)
    assert not any(label.endswith("（逆）") for label in after["y"])


def _chart_text(figure) -> str:
    return json.dumps(figure.to_dict(), ensure_ascii=False, default=str)


def test_a_four_point_scale_names_its_own_ends_everywhere(four_point):
    survey, answers = four_point
    items = survey.schema.items
    ends = "1 = そう思わない 〜 4 = そう思う"  # agree4_soft, as the file's answers read
    scores = item_scores(answers, min_group=1)
    cells = trends.wave_scores(survey.answers(), waves=survey.waves, min_group=1)
    charts = {
        "heatmap": figures.gap_heatmap(difference_from_overall(answers, min_group=1), items=items),
        "dumbbell": figures.gap_dumbbell(scores, items=items),
        "bars": figures.favourable_bars(scores, items=items),
        "trend": figures.trend_lines(cells, item=WORRY, waves=survey.waves, items=items),
    }
    for name, chart in charts.items():
        layout = chart.to_dict()["layout"]
        axis = layout["yaxis" if name == "trend" else "xaxis"]["title"]["text"]
        assert ends in axis, name
        assert "（逆）" in axis, name  # every one of these charts shows the reverse item
        text = _chart_text(chart)
        assert "まったくそう思わない" not in text and "とてもそう思う" not in text, name
        assert "5 =" not in text and figures.MIXED_SCALES not in text, name
    assert charts["trend"].to_dict()["layout"]["title"]["text"].endswith("（逆）")
    dots = [t for t in charts["dumbbell"].to_dict()["data"] if t.get("mode") == "markers"]
    assert {c[3] for t in dots for c in t["customdata"]} == {ends}  # each dot's hover
    hover = charts["heatmap"].to_dict()["data"][1]["customdata"]
    assert all(ends in c[2] for c in hover)
    assert charts["dumbbell"].to_dict()["layout"]["xaxis"]["range"] == [0.8, 4.2]


def test_mixed_scales_say_so_and_name_each_scale():
    survey = load_survey(MIXED)
    answers = pipeline.wave_answers(survey, survey.waves[0])
    scores = item_scores(answers, min_group=1)
    axis = figures.gap_dumbbell(scores, items=survey.schema.items).to_dict()["layout"]["xaxis"]
    title = axis["title"]["text"]
    assert figures.MIXED_SCALES in title
    assert "1 = まったくそう思わない 〜 5 = とてもそう思う" in title
    assert "1 = 不満 〜 5 = 満足" in title  # 「今回の研修に満足している」 (satisfy5_soft)
    bars = figures.favourable_bars(scores, items=survey.schema.items).to_dict()
    satisfied = [c for c in bars["data"][0]["customdata"] if "満足" in c]
    assert satisfied and set(satisfied) == {"1 = 不満 〜 5 = 満足"}


def test_without_a_known_scale_the_axis_names_no_endpoints(answers):
    """A table with no items and no points column: no made-up 「尺度: 」 note."""
    table = difference_from_overall(answers, min_group=5)
    title = figures.gap_heatmap(table).to_dict()["layout"]["xaxis"]["title"]["text"]
    assert "尺度" not in title and "好ましい" in title
    dumbbell = figures.gap_dumbbell(item_scores(answers, min_group=5)).to_dict()
    assert "1 〜 5" in dumbbell["layout"]["xaxis"]["title"]["text"]  # from the points column
    assert "まったく" not in dumbbell["layout"]["xaxis"]["title"]["text"]


def test_the_deck_names_the_four_point_scale_and_marks_the_reverse_item():
    """The deck, reopened with python-pptx: every chart's value axis and the notes give the
    4-point scale's own ends; the reverse statement reads （逆） in every chart that shows it."""
    survey = load_survey(FOUR_POINT)
    deck = Presentation(io.BytesIO(build_deck(survey, min_group=1, k_topics=3, date=DATE)))
    ends = "1 = そう思わない 〜 4 = そう思う"
    axes, worry_labels, notes = [], [], []
    for slide in deck.slides:
        for chart in (shape.chart for shape in slide.shapes if shape.has_chart):
            if chart.chart_type == XL_CHART_TYPE.BAR_STACKED_100:
                continue  # topic shares: no Likert scale
            axes.append(chart.value_axis.axis_title.text_frame.text)
            words = [chart.chart_title.text_frame.text, *map(str, chart.plots[0].categories)]
            worry_labels += [w for w in words if w.startswith(WORRY[:20])]
        if slide.has_notes_slide:
            notes += slide.notes_slide.notes_text_frame.text.splitlines()
    assert len(axes) >= 3 and all(axis == f"平均（{ends}）" for axis in axes)
    assert len(worry_labels) >= 2 and all(w.endswith("（逆）") for w in worry_labels)
    scale_lines = [line for line in notes if line.startswith(("平均:", "尺度:"))]
    assert scale_lines and all(ends in line for line in scale_lines)
    assert any("「ややそう思う」「そう思う」" in line for line in scale_lines)  # 肯定率 as worded
    assert not any("まったく" in line or "とても" in line for line in scale_lines)


JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
CHART_WORDS = {"text", "name", "title", "hovertemplate", "texttemplate"}


def _english(template: str, /, **values: object) -> str:
    """``ui.text.label`` in English mode: the English table's entry, else the Japanese."""
    from ui.text import ENGLISH

    return ENGLISH.get(template, template).format(**values)


def _words(value: object, out: list[str], *, inside: bool = False) -> list[str]:
    """Every string under a title, name, text or hover key of a figure's dict."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _words(inner, out, inside=inside or key in CHART_WORDS)
    elif isinstance(value, list | tuple):
        for inner in value:
            _words(inner, out, inside=inside)
    elif inside and isinstance(value, str):
        out.append(value)
    return out


def _left_in_japanese(figure, data: set[str]) -> list[str]:
    """The chart's words still in Japanese once the data (statements, roles, waves, scale
    ends, topic labels) is taken out."""
    left = []
    for string in _words(figure.to_dict(), []):
        rest = string
        for value in sorted(data, key=len, reverse=True):
            rest = rest.replace(value, " ")
        if JAPANESE.search(rest):
            left.append(string)
    return left


def test_every_chart_word_has_an_english_version(four_point):
    """Charts drawn with the English table (as the English UI draws them) write no Japanese
    of their own: titles, axes, colour bars, legends, hovers and hidden cells' 非表示.
    The data (statements, roles, waves, the scale's endpoint words) stays as written."""
    survey, answers = four_point
    items = survey.schema.items
    scale = likert.SCALES_BY_NAME["agree4_soft"]
    data = {figures.plain(i.label) for i in items} | set(answers["role"]) | set(survey.waves)
    data |= set(scale.labels) | {"話題A", "話題B"}
    scores = item_scores(answers, min_group=1)
    hidden = difference_from_overall(answers, min_group=1)
    hidden = hidden.assign(suppressed=hidden["role"] == "経営層", reason="hidden")
    cells = trends.wave_scores(survey.answers(), waves=survey.waves, min_group=1)
    shares = pd.DataFrame({"role": ["経営層", "管理職"], "wave": survey.waves[:1] * 2,
                           "topic": [0, 1], "share": [0.6, 0.4], "n": [12, 11]})  # fmt: skip
    topics = pd.DataFrame({"id": [0, 1], "label": ["話題A", "話題B"]})
    net = cooccurrence_network(["日報の要約", "日報を要約", "議事録を要約"], min_group=1)
    data |= set(net.nodes["word"]) | {"共通"}  # the network's words are the answers' own
    charts = {
        "heatmap": figures.gap_heatmap(hidden, items=items, label=_english),
        "dumbbell": figures.gap_dumbbell(scores, isolated={WORRY}, items=items, label=_english),
        "bars": figures.favourable_bars(scores, items=items, label=_english),
        "trend": figures.trend_lines(
            cells, item=WORRY, waves=survey.waves, items=items, label=_english
        ),
        "topics": figures.topic_share_bars(shares, topics, waves=survey.waves, label=_english),
        "network": network_figure(net, label=_english),
    }
    assert {
        name: _left_in_japanese(chart, data) for name, chart in charts.items()
    } == dict.fromkeys(charts, [])
    heatmap = charts["heatmap"].to_dict()
    assert "Hidden" in heatmap["data"][0]["text"][0] or "Hidden" in str(heatmap["data"][0]["text"])
    assert heatmap["layout"]["title"]["text"] == "Difference from the overall mean (by role)"
    assert charts["trend"].to_dict()["layout"]["title"]["text"].endswith(" (rev.)")
    # the control: without the English table the same charts are Japanese, as before
    japanese = figures.gap_heatmap(hidden, items=items)
    assert _left_in_japanese(japanese, data)
    assert japanese.to_dict()["layout"]["title"]["text"] == "全体平均との差（役割別）"
