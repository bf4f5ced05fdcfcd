"""analysis.headlines: every number in a sentence is checked against scipy or by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from test_gaps import ALONE, EASIER, FEAR, VALUES, answered, isolated_values
from test_gaps import survey as one_wave
from test_trends import FRONTLINE, WAVES
from test_trends import survey as three_waves

from analysis import headlines
from analysis import stats as ks


def _pct(share: float) -> str:
    """Hand-computed whole percent, halves up (1/8 -> 13), as every output writes it."""
    return str(math.floor(share * 100 + 0.5))


def test_favourable_sentence_numbers() -> None:
    table = headlines.headline_table(one_wave())
    row = table[table["kind"] == "favourable"].iloc[0]
    assert row["role"] == "管理職"  # managers first when visible
    # managers' favourable shares: EASIER 1/7, FEAR (bottom-2) 1/8, ALONE (top-2 of 4) 1/8
    x = answered("管理職", EASIER)
    assert row["item"] == EASIER and row["n"] == x.size == 7
    k = int((x >= 4).sum())
    wilson = stats.binomtest(k, x.size).proportion_ci(method="wilson")
    assert row["estimate"] == pytest.approx(k / x.size)
    assert (row["low"], row["high"]) == pytest.approx((wilson.low, wilson.high))
    expected = (
        f"研修後：管理職の{_pct(k / x.size)}%（95%CI {_pct(wilson.low)}–{_pct(wilson.high)}%、"
        f"n=7）が『{EASIER}』に肯定的"
    )
    assert row["text"] == expected


def test_gap_sentence_numbers() -> None:
    table = headlines.headline_table(one_wave())
    row = table[table["kind"] == "gap"].iloc[0]
    # largest favourable gap: 経営層 (6/6 agree it gets easier) vs 一般社員 (1/10)
    x, y = answered("経営層", EASIER), answered("一般社員", EASIER)
    k_x, k_y = int((x >= 4).sum()), int((y >= 4).sum())
    newcombe = ks.newcombe_difference(k_x, x.size, k_y, y.size)
    assert (row["item"], row["role"]) == (EASIER, "経営層・一般社員")
    assert row["estimate"] == pytest.approx(k_x / 6 - k_y / 10)
    assert (row["low"], row["high"]) == pytest.approx((newcombe.low, newcombe.high))
    assert (row["n"], row["n_other"]) == (6, 10)
    # the difference is the one between the two percents the sentence shows
    shown = int(_pct(k_x / 6)) - int(_pct(k_y / 10))
    assert f"経営層 {_pct(k_x / 6)}%と一般社員 {_pct(k_y / 10)}%で{shown}ポイント差" in row["text"]
    assert f"95%CI {_pct(newcombe.low)}〜{_pct(newcombe.high)}ポイント、n=6/10" in row["text"]


def test_paired_change_sentence_numbers() -> None:
    table = headlines.headline_table(three_waves())
    row = table[table["kind"] == "change"].iloc[0]
    before, after = (np.array(FRONTLINE[w], float) for w in WAVES[:2])
    diff = after - before
    dz = stats.ttest_rel(after, before).statistic / math.sqrt(diff.size)
    ci = stats.ttest_rel(after, before).confidence_interval()
    assert (row["role"], row["item"], row["wave"]) == ("一般社員", EASIER, "研修前→研修後")
    assert row["estimate"] == pytest.approx(diff.mean())
    assert (row["low"], row["high"]) == pytest.approx((ci.low, ci.high))
    assert row["text"] == (
        f"研修後、一般社員の『{EASIER}』の平均は{diff.mean():.1f}上昇"
        f"（研修前比、95%CI {ci.low:.1f}〜{ci.high:.1f}、d_z={dz:.2f}、n=8組）"
    )


def test_unpaired_change_sentence_uses_cliffs_delta() -> None:
    table = headlines.headline_table(three_waves(linked=False))
    row = table[table["kind"] == "change"].iloc[0]
    before, after = (np.array(FRONTLINE[w], float) for w in WAVES[:2])
    u = stats.mannwhitneyu(after, before).statistic
    assert f"Cliff's δ={2 * u / 64 - 1:.2f}" in row["text"] and "n=8→8" in row["text"]
    welch = stats.ttest_ind(after, before, equal_var=False).confidence_interval()
    assert (row["low"], row["high"]) == pytest.approx((welch.low, welch.high))


def test_retention_sentence_numbers() -> None:
    table = headlines.headline_table(three_waves())
    row = table[table["kind"] == "retention"].iloc[0]
    m0, m1, m2 = (np.mean(FRONTLINE[w]) for w in WAVES)
    follow = np.array(FRONTLINE["3か月後"], float)
    ci = stats.ttest_1samp(follow, 0).confidence_interval()
    assert row["estimate"] == pytest.approx((m2 - m0) / (m1 - m0))
    assert (row["low"], row["high"], row["n"]) == (pytest.approx(ci.low), pytest.approx(ci.high), 8)
    assert f"研修後の伸びの{_pct((m2 - m0) / (m1 - m0))}%を維持" in row["text"]


def test_isolation_sentence() -> None:
    table = headlines.headline_table(one_wave(isolated_values(-2)))
    row = table[table["kind"] == "isolation"].iloc[0]
    manager = np.array(isolated_values(-2)["管理職"][EASIER], float)
    g_exec = ks.hedges_g(manager, isolated_values(-2)["経営層"][EASIER])
    g_front = ks.hedges_g(manager, isolated_values(-2)["一般社員"][EASIER])
    closest = min([g_exec, g_front], key=lambda g: abs(g.estimate))
    assert row["estimate"] == pytest.approx(closest.estimate)
    assert (row["low"], row["high"]) == pytest.approx((closest.low, closest.high))
    assert "管理職だけが経営層・一般社員より低い" in row["text"]


def test_kinds_order_limit_and_text_is_clean() -> None:
    table = headlines.headline_table(three_waves())
    assert table["kind"].tolist() == ["favourable", "gap", "change", "retention"]
    assert 3 <= len(table) <= 5
    for text in table["text"]:
        assert "nan" not in text.lower() and "n=" in text and "95%CI" in text
    assert headlines.headlines(three_waves(), limit=2) == table["text"].tolist()[:2]
    with pytest.raises(ValueError, match="limit"):
        headlines.headlines(three_waves(), limit=0)


def test_reverse_item_is_phrased_as_favourable_disagreement() -> None:
    values = {role: {FEAR: items[FEAR]} for role, items in VALUES.items()}
    text = headlines.headlines(one_wave(values))[0]
    assert f"『{FEAR}』に否定的（好ましい回答）" in text
    assert "好ましい回答の割合" in headlines.headlines(one_wave(values))[1]


def test_never_from_suppressed_groups() -> None:
    values = {role: dict(items) for role, items in VALUES.items()}
    values["経営層"] = {EASIER: [5, 5, 5], FEAR: [1, 1, 1], ALONE: [4, 4, 4]}  # 3 executives
    sentences = headlines.headlines(one_wave(values))
    assert sentences
    # 経営層 is hidden; the overall hides with it (the cheapest cell), 管理職 stays shown
    assert not any("経営層" in s for s in sentences)
    assert any("管理職" in s for s in sentences)
    everyone_small = {role: {EASIER: items[EASIER][:4]} for role, items in VALUES.items()}
    assert headlines.headlines(one_wave(everyone_small)) == []


def test_no_answers_no_headlines() -> None:
    empty = one_wave().iloc[0:0]
    assert headlines.headlines(empty) == []
    assert list(headlines.headline_table(empty).columns) == headlines.HEADLINE_COLUMNS


def test_survey_without_waves_gets_cross_sectional_sentences() -> None:
    answers = one_wave().assign(wave=pd.NA)
    table = headlines.headline_table(answers)
    assert table["kind"].tolist() == ["favourable", "gap", "isolation"]
    assert not table["text"].str.startswith("研修後：").any()  # no wave label to prefix


def test_the_trends_pages_tables_give_the_same_headlines_as_computing_them():
    """ui.data passes the trends page's cached tables instead of computing them a second time
    (the trends page's first view paid for both)."""
    from analysis import trends
    from analysis.schema import load_survey

    survey = load_survey(
        Path(__file__).resolve().parents[1] / "sample_data" / "ai_survey_google_forms.csv"
    )
    answers, waves = survey.answers(), survey.waves
    for min_group in (5, 25):
        alone = headlines.headline_table(answers, waves=waves, min_group=min_group)
        given = headlines.headline_table(
            answers,
            waves=waves,
            min_group=min_group,
            cells=trends.wave_scores(answers, waves=waves, min_group=min_group),
            changes=trends.wave_changes(answers, waves=waves, min_group=min_group),
            kept=trends.retention(answers, waves=waves, min_group=min_group),
        )
        pd.testing.assert_frame_equal(alone, given)
        assert {"change", "retention"} <= set(alone["kind"])  # the tables were really used
