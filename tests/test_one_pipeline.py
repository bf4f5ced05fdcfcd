"""One pipeline (issue 15): screen, CLI and deck publish the same tables.

Each published table comes from one function in :mod:`analysis.pipeline` (or
the public functions of :mod:`analysis.trends`); these tests compare what the
screen (``ui.data``'s caches and ``ui.widgets``), the CLI (``--json``) and the
deck (built, then reopened with python-pptx) show for one survey: counts,
labels, means and favourable percentages, topics and their shares.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # ui/ lives at the repository root
    sys.path.insert(0, str(ROOT))

from analysis import pipeline, trends  # noqa: E402
from analysis.deck import build_deck, content  # noqa: E402
from analysis.headlines import headline_table  # noqa: E402
from analysis.numbers import percent  # noqa: E402
from analysis.privacy import MIN_GROUP_COMMENTS, MIN_GROUP_SCORES, MISSING  # noqa: E402
from analysis.schema import load_survey  # noqa: E402
from analysis.spreadsheet import HEADERS_JA, csv_bytes, xlsx_bytes  # noqa: E402
from analysis.topics import WHOLE  # noqa: E402
from ui import data, widgets  # noqa: E402

SAMPLE = ROOT / "sample_data" / "ai_survey_google_forms.csv"
K_TOPICS = 4
ROLE, WAVE = "役職", "回答時期"
LEVELS = [
    "まったくそう思わない",
    "そう思わない",
    "どちらともいえない",
    "そう思う",
    "とてもそう思う",
]
STATEMENTS = [
    "AIで自分の仕事が楽になると思う",
    "AIについて相談できる相手がいる",
    "AIの使い方を部下に教えられる",
]


def run(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "analysis", *args, "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def cohort_csv(path: Path) -> Path:
    """A training cohort of 30 (経営層 4, 管理職 9, 一般社員 17) answering before and after."""
    roles = ["経営層"] * 4 + ["管理職"] * 9 + ["一般社員"] * 17
    rows = []
    for w, wave in enumerate(["研修前", "研修後"]):
        for i, role in enumerate(roles):
            offset = {"経営層": 3, "管理職": 0, "一般社員": 2}[role]
            answers = [LEVELS[(i * (j + 2) + offset + w) % 5] for j in range(len(STATEMENTS))]
            rows.append({"社員番号": f"E{i:03d}", ROLE: role, WAVE: wave,
                         **dict(zip(STATEMENTS, answers, strict=True))})  # fmt: skip
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def chart_of(prs, title: str):
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart and shape.chart.chart_title.text_frame.text.startswith(title):
                return shape.chart
    return None


def deck_gap_means(prs) -> dict[tuple[str, str], float]:
    """(role, shortened item) -> mean, from every 役割間のギャップ chart."""
    means = {}
    for slide in prs.slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        if not title.startswith("役割間のギャップ"):
            continue
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                for series in plot.series:
                    for category, value in zip(plot.categories, series.values, strict=True):
                        label = str(category).removeprefix("◆ ").removesuffix("（逆）")
                        if value is not None:
                            means[(series.name, label)] = value
    return means


def deck_title_counts(prs) -> dict[tuple[str, str], str]:
    table = next(s.table for s in prs.slides[0].shapes if s.has_table)
    header = [cell.text for cell in table.rows[0].cells]
    return {
        (row.cells[0].text, role): cell.text
        for row in list(table.rows)[1:]
        for role, cell in zip(header[1:], list(row.cells)[1:], strict=True)
    }


# --------------------------------------------------------------------------- 1. topic inputs


@pytest.fixture(scope="module")
def no_wave_file(tmp_path_factory) -> Path:
    """The sample's last wave without its wave column, and a few answers with no role."""
    frame = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    frame = frame[frame[WAVE] == "研修後"].drop(columns=[WAVE]).reset_index(drop=True)
    frame.loc[frame.index[:7], ROLE] = ""
    path = tmp_path_factory.mktemp("one") / "no_wave.csv"
    frame.to_csv(path, index=False)
    return path


def test_topic_inputs_have_one_rule_for_a_missing_role_and_an_absent_wave(no_wave_file):
    survey = load_survey(no_wave_file)
    inputs = pipeline.topic_inputs(survey, survey.schema.free_text[0])
    assert inputs.waves is None  # no wave column: 全体, never a group 「（不明）」
    assert inputs.roles.count(MISSING) == 7
    assert all(isinstance(t, str) for t in inputs.texts)


def test_topics_are_the_same_on_screen_in_the_cli_and_in_the_deck(no_wave_file):
    survey = load_survey(no_wave_file)
    column = survey.schema.free_text[0]
    screen = data.topic_model(survey, column, K_TOPICS, MIN_GROUP_COMMENTS)
    cli = run("topics", str(no_wave_file), "--column", column, "--k", str(K_TOPICS))
    assert cli == json.loads(screen.to_json())
    assert set(screen.shares["wave"]) == {WHOLE}

    prs = Presentation(io.BytesIO(build_deck(survey, k_topics=K_TOPICS)))
    chart = chart_of(prs, "話題の割合")
    assert chart is not None
    spec = content.topic_share_chart(
        screen, question=survey.table.label(column), waves=survey.waves,
        min_group=MIN_GROUP_SCORES,
    )  # fmt: skip
    plot = chart.plots[0]
    assert list(plot.categories) == spec.categories
    assert all("｜" not in c for c in spec.categories)  # 「管理職」, not 「管理職｜（不明）」
    assert [s.name for s in plot.series] == [name for name, _ in spec.series]
    assert [list(s.values) for s in plot.series] == [values for _, values in spec.series]
    shares = {(r["role"], r["topic"]): percent(r["share"]) / 100 for r in cli["shares"]}
    for topic, series in enumerate(plot.series):
        assert list(series.values) == [shares[(c, topic)] for c in plot.categories]


# --------------------------------------------------------------------------- 2. one wave


def test_every_output_selects_one_wave_through_the_pipeline(monkeypatch, tmp_path):
    survey = load_survey(SAMPLE)
    seen: list[str | None] = []
    one_wave = pipeline.one_wave

    def spy(answers, wave):
        seen.append(wave)
        return one_wave(answers, wave)

    monkeypatch.setattr(pipeline, "one_wave", spy)
    data.role_gaps.clear()
    data.role_gaps(survey, "研修後", MIN_GROUP_SCORES)
    assert seen == ["研修後"]
    headline_table(survey.answers(), waves=survey.waves)
    assert seen[-1] == "3か月後"  # the headlines' cross-section: the last wave
    from analysis import cli

    seen.clear()
    cli.main(["gaps", str(SAMPLE), "--wave", "研修前", "--json"])
    assert seen == ["研修前"]
    survey_one = load_survey(cohort_csv(tmp_path / "cohort.csv"))
    seen.clear()
    build_deck(survey_one, k_topics=K_TOPICS)
    assert "研修前" in seen  # the deck's gap slides: the first wave


def test_wave_answers_none_is_everything_and_a_wave_is_checked():
    survey = load_survey(SAMPLE)
    assert len(pipeline.wave_answers(survey, None)) == len(survey.answers())
    after = pipeline.wave_answers(survey, "研修後")
    assert set(after["wave"]) == {"研修後"}
    with pytest.raises(Exception, match="ありません"):
        pipeline.wave_answers(survey, "来年")


# --------------------------------------------------------------------------- 3. headlines


def test_headlines_use_the_trend_tables_the_trends_page_shows(monkeypatch):
    survey = load_survey(SAMPLE)
    calls: list[str] = []
    for name in ("wave_changes", "retention"):
        original = getattr(trends, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(trends, name, spy)
    table = headline_table(survey.answers(), waves=survey.waves, min_group=MIN_GROUP_SCORES)
    assert {"wave_changes", "retention"} <= set(calls)
    monkeypatch.undo()
    change = table[table["kind"] == "change"]
    assert len(change)
    row = change.iloc[0]
    first, second = row["wave"].split("→")
    page = data.wave_changes(survey, MIN_GROUP_SCORES)
    shown = page[(page["role"] == row["role"]) & (page["item"] == row["item"])
                 & (page["from_wave"] == first) & (page["to_wave"] == second)]  # fmt: skip
    assert len(shown) == 1
    assert float(row["estimate"]) == float(shown["diff"].iloc[0])
    assert (float(row["low"]), float(row["high"])) == (
        float(shown["diff_low"].iloc[0]),
        float(shown["diff_high"].iloc[0]),
    )


# --------------------------------------------------------------------------- 4. all outputs


@pytest.fixture(scope="module", params=["sample", "cohort"])
def published(request, tmp_path_factory):
    """One survey's screen tables, CLI JSON and reopened deck."""
    if request.param == "sample":
        path = SAMPLE
    else:
        path = cohort_csv(tmp_path_factory.mktemp("cohort") / "cohort_4_9_17.csv")
    survey = load_survey(path)
    wave = survey.waves[0]
    return {
        "survey": survey,
        "wave": wave,
        "screen_counts": widgets.respondent_counts(survey, min_group=MIN_GROUP_SCORES),
        "screen_scores": data.role_scores(survey, wave, None, MIN_GROUP_SCORES),
        "gaps": run("gaps", str(path), "--wave", wave),
        "trends": run("trends", str(path)),
        "deck": Presentation(io.BytesIO(build_deck(survey, k_topics=K_TOPICS))),
        "xlsx": xlsx_bytes(data.export_tables(survey, MIN_GROUP_SCORES)),
    }


def test_role_counts_are_identical_on_screen_and_in_the_deck(published):
    screen = published["screen_counts"].set_index("役割")
    deck = deck_title_counts(published["deck"])
    assert deck
    for (wave, role), label in deck.items():
        assert screen.loc[role, wave] == label, (wave, role)
    assert len(deck) == screen.shape[0] * (screen.shape[1])


def test_means_and_favourable_shares_agree_and_no_group_hides_in_one_output_only(published):
    survey, gaps = published["survey"], published["gaps"]
    screen = published["screen_scores"]
    cli = {(c["role"], c["item"]): c for c in gaps["items"]}
    for r in screen.itertuples(index=False):
        c = cli[(r.role, r.item)]
        assert bool(r.suppressed) == c["suppressed"], (r.role, r.item)
        if not r.suppressed:
            assert c["n"] == int(r.n)
            assert percent(c["favourable"]) == percent(float(r.favourable))
            assert round(c["mean"], 2) == round(float(r.mean), 2)
    deck = deck_gap_means(published["deck"])
    shown_roles = {c["role"] for c in gaps["items"] if not c["suppressed"]}
    assert {role for role, _ in deck} == shown_roles  # hidden nowhere else, shown nowhere else
    for (role, label), value in deck.items():
        (item,) = [i for (ro, i) in cli if ro == role and content.short_label(i) == label]
        assert not cli[(role, item)]["suppressed"]
        assert value == round(cli[(role, item)]["mean"], 2)
    # the deck's questions quote 肯定率 as the CLI's favourable share (ordinary items)
    reverse = {i.label for i in survey.schema.items if i.reverse}
    texts = "\n".join(
        shape.text_frame.text for slide in published["deck"].slides for shape in slide.shapes
        if shape.has_text_frame
    )  # fmt: skip
    for item, a, pa, b, pb in re.findall(r"『(.+?)』の肯定率は(\S+?)(\d+)%、(\S+?)(\d+)%。", texts):
        matches = [i for (_, i) in cli if content.clean_text(i) == item and i not in reverse]
        for full in set(matches):
            assert percent(cli[(a, full)]["favourable"]) == int(pa)
            assert percent(cli[(b, full)]["favourable"]) == int(pb)
    # trend cells: the CLI hides exactly what the deck's line charts leave out
    cells = published["trends"]["cells"]
    hidden = {c["role"] for c in cells if c["suppressed"]}
    shown = {c["role"] for c in cells if not c["suppressed"]}
    words = [
        s.name for slide in published["deck"].slides for shape in slide.shapes
        if shape.has_chart for s in shape.chart.plots[0].series
    ]  # fmt: skip
    assert not (hidden - shown) & set(words)


def test_the_cohort_shows_managers_against_staff_everywhere(tmp_path):
    path = cohort_csv(tmp_path / "cohort.csv")
    gaps = run("gaps", str(path), "--wave", "研修前")
    pairs = [p for p in gaps["pairs"] if {p["a"], p["b"]} == {"管理職", "一般社員"}]
    assert len(pairs) == len(STATEMENTS) and all(p["effect_size"] is not None for p in pairs)
    counts = pipeline.respondent_counts(load_survey(path), min_group=MIN_GROUP_SCORES)
    assert set(counts.loc[counts["role"] == "経営層", "label"]) == {"5人未満"}


def test_downloaded_tables_hold_the_numbers_the_deck_shows(published):
    """The 集計表 workbook (and its CSV) as HR downloads it, against the reopened deck."""
    survey, wave, deck = published["survey"], published["wave"], published["deck"]
    h = HEADERS_JA
    workbook = pd.read_excel(io.BytesIO(published["xlsx"]), sheet_name=None)
    scores = workbook["役割別スコア"]
    if survey.waves:
        scores = scores[scores[h["wave"]].astype(str) == wave]
    shown = scores[scores[h["suppressed"]] == "いいえ"]
    hidden = scores[scores[h["suppressed"]] == "はい"]
    means = deck_gap_means(deck)
    assert means, "the deck has a gap chart"
    for (role, label), value in means.items():
        row = shown[(shown[h["role"]] == role)
                    & (shown[h["item"]].map(content.short_label) == label)]  # fmt: skip
        assert len(row) == 1, (role, label)
        assert round(float(row[h["mean"]].iloc[0]), 2) == value
    deck_roles = {role for role, _ in means}
    assert set(shown[h["role"]]) == deck_roles  # shown in one, shown in the other
    assert not set(hidden[h["role"]]) & deck_roles
    assert hidden[[h["n"], h["mean"], h["favourable"]]].isna().all().all()
    assert hidden[h["reason"]].notna().all()
    # the deck's title slide counts the people the downloaded table's shown cells were scored on
    counts = deck_title_counts(deck)
    for role in deck_roles:
        n = shown.loc[shown[h["role"]] == role, h["n"]].max()
        assert counts[(wave, role)] == f"{int(n)}人", role
    # every hidden group is named in the gap slides' notes with the reason the table gives
    notes = "\n".join(
        slide.notes_slide.notes_text_frame.text for slide in deck.slides
        if slide.has_notes_slide and slide.shapes.title is not None
        and slide.shapes.title.text.startswith("役割間のギャップ")
    )  # fmt: skip
    for role, reason in set(zip(hidden[h["role"]], hidden[h["reason"]], strict=True)):
        assert f"{role}（" in notes and reason in notes, (role, reason)
    if hidden.empty:
        assert "表示していない値" not in notes
    # the CSV of the same table is the same numbers in the same order
    table = data.export_tables(survey, MIN_GROUP_SCORES)["役割別スコア"]
    from_csv = pd.read_csv(io.BytesIO(csv_bytes(table)), encoding="utf-8-sig")
    everything = workbook["役割別スコア"]
    assert list(from_csv.columns) == list(everything.columns)
    pd.testing.assert_series_equal(from_csv[h["mean"]], everything[h["mean"]], check_dtype=False)
