"""Figures checked as data (fig.to_dict()): the numbers of the tables, nothing hidden."""

from __future__ import annotations

import base64
import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis import figures
from analysis.gaps import difference_from_overall, item_scores

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
