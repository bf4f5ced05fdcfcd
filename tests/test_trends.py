"""analysis.trends: wave order, per-wave scores, paired/unpaired change and retention.

Values are 5件法 scores as worded (とてもそう思う = 5).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import gaps, trends
from analysis import stats as ks
from analysis.errors import SurveyError

EASIER = "AIで仕事が楽になると思う"
FEAR = "AIに仕事を奪われると不安だ"

# the same 8 frontline staff (p0..p7) and 6 managers (m0..m5) in three waves
FRONTLINE = {
    "研修前": [2, 3, 2, 2, 3, 1, 2, 3],
    "研修後": [4, 4, 3, 3, 4, 3, 3, 5],
    "3か月後": [3, 4, 3, 3, 4, 2, 3, 4],
}
MANAGERS = {
    "研修前": [3, 3, 2, 4, 3, 3],
    "研修後": [4, 4, 4, 4, 3, 5],
    "3か月後": [4, 4, 3, 4, 3, 4],
}
FRONTLINE_FEAR = {
    "研修前": [4, 5, 4, 4, 3, 5, 4, 4],
    "研修後": [3, 3, 2, 3, 3, 4, 3, 2],
    "3か月後": [3, 4, 3, 3, 3, 4, 3, 3],
}
WAVES = ["研修前", "研修後", "3か月後"]


def survey(*, linked: bool = True, waves: list[str] = WAVES) -> pd.DataFrame:
    rows = []
    number = 0
    for wave in waves:
        for role, prefix, easier, fear in [
            ("一般社員", "p", FRONTLINE, FRONTLINE_FEAR),
            ("管理職", "m", MANAGERS, None),
        ]:
            for i, value in enumerate(easier[wave]):
                items = [(EASIER, value, False)]
                if fear is not None:
                    items.append((FEAR, fear[wave][i], True))
                for item, v, reverse in items:
                    rows.append(
                        {
                            "row": number,
                            "respondent": f"{prefix}{i}" if linked else pd.NA,
                            "role": role,
                            "wave": wave,
                            "department": pd.NA,
                            "item": item,
                            "points": 5,
                            "reverse": reverse,
                            "value": float(v),
                        }
                    )
                number += 1
    return pd.DataFrame(rows, columns=gaps.ANSWER_COLUMNS)


# ------------------------------------------------------------------ wave order


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["3か月後", "研修後", "研修前"], ["研修前", "研修後", "3か月後"]),
        (["フォローアップ", "研修直後", "研修前"], ["研修前", "研修直後", "フォローアップ"]),
        (["6か月後", "1か月後", "3ヶ月後", "研修後"], ["研修後", "1か月後", "3ヶ月後", "6か月後"]),
        (["フォローアップ", "6か月後"], ["6か月後", "フォローアップ"]),
        (["三か月後", "研修前", "１か月後"], ["研修前", "１か月後", "三か月後"]),
        (["2週間後", "1か月後", "事前"], ["事前", "2週間後", "1か月後"]),
        (["2024/4/1", "2023-12-01", "2024/10/01"], ["2023-12-01", "2024/4/1", "2024/10/01"]),
        (["2024年10月", "2024年4月"], ["2024年4月", "2024年10月"]),
        (["不明", "研修後", "その他", "研修前"], ["研修前", "研修後", "不明", "その他"]),
        (["第2回", "第1回"], ["第1回", "第2回"]),
        (["研修後", pd.NA, "研修前", "研修後"], ["研修前", "研修後"]),
    ],
)
def test_order_waves(labels: list, expected: list[str]) -> None:
    assert trends.order_waves(labels) == expected


def test_wave_pairs() -> None:
    assert trends.wave_pairs(["研修前", "研修後"]) == [("研修前", "研修後")]
    assert trends.wave_pairs(["研修前"]) == []


# ------------------------------------------------------------------ wave scores


def test_wave_scores_match_numpy_and_scipy() -> None:
    table = trends.wave_scores(survey())
    easier = table[(table["role"] == "一般社員") & (table["item"] == EASIER)]
    assert easier["wave"].tolist() == WAVES
    for row in easier.itertuples(index=False):
        x = np.array(FRONTLINE[row.wave], float)
        ci = stats.ttest_1samp(x, 0).confidence_interval()
        assert (row.n, row.mean) == (8, pytest.approx(x.mean()))
        assert (row.mean_low, row.mean_high) == pytest.approx((ci.low, ci.high))
    assert list(table.columns[:3]) == ["role", "wave", "item"]
    assert table["role"].iloc[0] == "管理職"  # canonical role order


def test_wave_scores_follows_given_waves() -> None:
    table = trends.wave_scores(survey(), waves=["3か月後", "研修前"])
    assert table[table["role"] == "管理職"]["wave"].tolist() == ["3か月後", "研修前"]
    with pytest.raises(SurveyError, match="6か月後"):
        trends.wave_scores(survey(), waves=["研修前", "6か月後"])


def test_wave_scores_suppresses_small_cells() -> None:
    table = trends.wave_scores(survey(), min_group=7)
    managers = table[table["role"] == "管理職"]
    assert managers["suppressed"].all() and managers["mean"].isna().all()
    assert (managers["n"] == 0).all()


# ------------------------------------------------------------------ paired change


def test_paired_change_matches_scipy() -> None:
    table = trends.wave_changes(survey())
    assert (table["method"] == "paired").all()
    row = table[
        (table["role"] == "一般社員")
        & (table["item"] == EASIER)
        & (table["from_wave"] == "研修前")
        & (table["to_wave"] == "研修後")
    ].iloc[0]
    before, after = np.array(FRONTLINE["研修前"], float), np.array(FRONTLINE["研修後"], float)
    assert row["n_pairs"] == 8 and row["effect"] == "d_z"
    assert row["diff"] == pytest.approx((after - before).mean())
    assert row["effect_size"] == pytest.approx(
        (after - before).mean() / (after - before).std(ddof=1)
    )
    assert row["p_rank"] == pytest.approx(stats.wilcoxon(after, before).pvalue)
    assert row["p_t"] == pytest.approx(stats.ttest_rel(after, before).pvalue)
    ci = stats.ttest_rel(after, before).confidence_interval()
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((ci.low, ci.high))
    assert row["rank_biserial"] == pytest.approx(ks.rank_biserial_paired(after, before))
    assert (row["effect_low"], row["effect_high"]) == pytest.approx(
        tuple(ks.cohens_dz(after, before))[1:]
    )


def test_paired_change_covers_consecutive_and_first_to_last() -> None:
    table = trends.wave_changes(survey())
    pairs = table[(table["role"] == "一般社員") & (table["item"] == EASIER)]
    assert list(zip(pairs["from_wave"], pairs["to_wave"], strict=True)) == [
        ("研修前", "研修後"),
        ("研修後", "3か月後"),
        ("研修前", "3か月後"),
    ]
    assert table["p_adj"].to_numpy() == pytest.approx(
        ks.holm(table["p_rank"].to_numpy()), nan_ok=True
    )
    assert len(table) == 9  # 管理職 were not asked 「AIに仕事を奪われると不安だ」


def test_paired_change_links_only_people_in_both_waves() -> None:
    answers = survey()
    # p0 skipped the post-training survey; p1 answered it twice (the later answer counts)
    answers = answers[~((answers["respondent"] == "p0") & (answers["wave"] == "研修後"))]
    again = answers[(answers["respondent"] == "p1") & (answers["wave"] == "研修後")].copy()
    again["row"] += 1000
    again["value"] = 1.0
    answers = pd.concat([answers, again], ignore_index=True)
    # min_group=1: the linking alone (at 5, 8 answers against 7 pairs would be refused)
    table = trends.wave_changes(answers, waves=["研修前", "研修後"], min_group=1)
    row = table[(table["role"] == "一般社員") & (table["item"] == EASIER)].iloc[0]
    before = np.array(FRONTLINE["研修前"][1:], float)
    after = np.array([1, *FRONTLINE["研修後"][2:]], float)
    assert row["n_pairs"] == 7
    assert row["diff"] == pytest.approx((after - before).mean())


def test_too_few_pairs_are_suppressed() -> None:
    answers = survey()
    keep = ~(
        (answers["role"] == "管理職")
        & (answers["wave"] == "研修後")
        & answers["respondent"].isin(["m0", "m1"])
    )
    answers = answers[keep].copy()
    # the two managers answer again under new IDs: the cell keeps 6 answers, only 4 pairs
    extra = survey()
    extra = extra[
        (extra["role"] == "管理職")
        & (extra["wave"] == "研修後")
        & extra["respondent"].isin(["m0", "m1"])
    ].assign(respondent=lambda t: t["respondent"] + "x", row=lambda t: t["row"] + 5000)
    answers = pd.concat([answers, extra], ignore_index=True)
    table = trends.wave_changes(answers, waves=["研修前", "研修後"])
    row = table[table["role"] == "管理職"].iloc[0]
    assert row["suppressed"] and row["n_pairs"] == 0 and math.isnan(row["diff"])


# ------------------------------------------------------------------ unpaired change


def test_unpaired_change_without_ids_matches_scipy() -> None:
    table = trends.wave_changes(survey(linked=False))
    assert (table["method"] == "unpaired").all() and (table["effect"] == "cliffs_delta").all()
    row = table[(table["role"] == "一般社員") & (table["item"] == EASIER)].iloc[0]
    before, after = np.array(FRONTLINE["研修前"], float), np.array(FRONTLINE["研修後"], float)
    u = stats.mannwhitneyu(after, before)
    assert row["effect_size"] == pytest.approx(2 * u.statistic / 64 - 1)
    assert row["rank_biserial"] == pytest.approx(row["effect_size"])
    assert row["p_rank"] == pytest.approx(u.pvalue)
    assert row["p_t"] == pytest.approx(stats.ttest_ind(after, before, equal_var=False).pvalue)
    assert (row["n_from"], row["n_to"], row["n_pairs"]) == (8, 8, 0)
    assert row["diff"] == pytest.approx(after.mean() - before.mean())


def test_method_can_be_forced() -> None:
    assert (trends.wave_changes(survey(), paired=False)["method"] == "unpaired").all()
    with pytest.raises(SurveyError, match="回答者ID"):
        trends.wave_changes(survey(linked=False), paired=True)


# ------------------------------------------------------------------ retention


def test_retention_hand_computed() -> None:
    table = trends.retention(survey())
    row = table[(table["role"] == "一般社員") & (table["item"] == EASIER)].iloc[0]
    m0, m1, m2 = (np.mean(FRONTLINE[w]) for w in WAVES)
    assert (row["baseline"], row["post"], row["follow_up"]) == tuple(WAVES)
    assert row["gain"] == pytest.approx(m1 - m0)
    assert row["kept"] == pytest.approx(m2 - m0)
    assert row["retention"] == pytest.approx((m2 - m0) / (m1 - m0))


def test_retention_reverse_item_counts_a_fall_as_gain() -> None:
    table = trends.retention(survey())
    assert table[table["role"] == "管理職"]["item"].tolist() == [EASIER]
    row = table[table["item"] == FEAR].iloc[0]
    m0, m1, m2 = (np.mean(FRONTLINE_FEAR[w]) for w in WAVES)
    assert m1 < m0 and row["retention"] == pytest.approx((m2 - m0) / (m1 - m0))


def test_retention_undefined_without_favourable_gain() -> None:
    answers = survey()
    flat = answers.copy()
    flat.loc[flat["wave"] == "研修後", "value"] = flat.loc[
        flat["wave"] == "研修前", "value"
    ].to_numpy()
    table = trends.retention(flat)
    assert table["retention"].isna().all()
    with pytest.raises(SurveyError, match="3つ"):
        trends.retention(survey(waves=["研修前", "研修後"]))


# ------------------------------------------------------------------ payload


def test_trends_payload_shape_and_json() -> None:
    payload = trends.trends_payload(survey(), waves=WAVES)
    assert set(payload) == {"cells", "paired"}
    cell = payload["cells"][0]
    assert set(cell) == {"role", "wave", "item", "n", "mean", "ci", "suppressed"}
    assert type(cell["mean"]) is float and type(cell["n"]) is int and len(cell["ci"]) == 2
    pair = payload["paired"][0]
    assert set(pair) == {
        "role",
        "item",
        "from",
        "to",
        "n_pairs",
        "diff",
        "effect_size",
        "p",
        "note",
    }
    assert json.loads(json.dumps(payload, ensure_ascii=False, allow_nan=False)) == payload
    assert len(payload["paired"]) == 9  # (管理職 x 1 + 一般社員 x 2 items) x 3 wave pairs


def test_trends_payload_unlinked_and_suppressed() -> None:
    payload = trends.trends_payload(survey(linked=False), waves=WAVES)
    assert payload["paired"] == []
    hidden = trends.trends_payload(survey(), waves=WAVES, min_group=7)
    managers = [c for c in hidden["cells"] if c["role"] == "管理職"]
    assert all(c["n"] == 0 and c["mean"] is None and c["ci"] is None for c in managers)
    manager_pairs = [p for p in hidden["paired"] if p["role"] == "管理職"]
    assert all(p["n_pairs"] == 0 and p["diff"] is None for p in manager_pairs)


def test_numbered_waves_give_the_tables_of_their_text_labels() -> None:
    """Waves numbered 0, 1, 2 (say, from a spreadsheet) read as "0", "1", "2"."""
    from pathlib import Path

    from analysis.schema import load_survey

    sample = Path(__file__).resolve().parents[1] / "sample_data" / "ai_survey_google_forms.csv"
    survey = load_survey(sample)
    answers = survey.answers()
    number = {wave: i for i, wave in enumerate(survey.waves)}
    numbered = answers.assign(wave=answers["wave"].map(number))
    as_text = answers.assign(wave=answers["wave"].map(lambda w: str(number[w])))
    changes = trends.wave_changes(numbered)
    assert len(changes) > 0 and changes.equals(trends.wave_changes(as_text))
    assert set(changes["from_wave"]) == {"0", "1"}
    assert trends.wave_scores(numbered).equals(trends.wave_scores(as_text))
    subset = trends.wave_changes(numbered, waves=["0", "2"])
    assert set(zip(subset["from_wave"], subset["to_wave"], strict=True)) == {("0", "2")}
