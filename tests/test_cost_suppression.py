"""Minimal-loss complementary suppression (issue 15, sections 3 and 4).

A training cohort of 30 (経営層 4, 管理職 9, 一般社員 17) at threshold 5: 経営層 is
hidden, and what goes with it is chosen by cost, so the overall goes (a margin)
and 管理職 vs 一般社員 stays, with effect sizes, on every statement and wave. The
linear attacker (every n and sum published together by the gaps tables, the
page's heatmap and the CLI payload) solves nothing on 4/9/17, 3/12/40, 1/5/5
and a role x department split; on primary suppression alone it solves a group.

Values are a fixed pattern per role (no dictionary: numbers 1-5 in long form;
the CSV for the CLI and the page uses the 5-point そう思う labels).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import gaps, likert, pipeline, privacy
from analysis.privacy import ALL

ROOT = Path(__file__).resolve().parents[1]
WAVES = ("研修前", "研修後")
ITEMS = ("AIで仕事が楽になると思う", "相談できる相手がいる", "導入後の役割分担がわかる")
BASE = {"経営層": 4, "管理職": 2, "一般社員": 3}  # each role's typical answer
LIKERT = likert.SCALES_BY_NAME["agree5"].labels  # まったくそう思わない … とてもそう思う
EXECUTIVES_HIDDEN = "経営層は5人未満のため表示していません"


def value(role: str, person: int, item: int, wave: int) -> float:
    """A spread of answers around the role's base: 1-5, different per item and wave."""
    return float(min(5, max(1, BASE.get(role, 3) + (person + item + wave) % 3 - 1)))


def cohort(
    sizes: dict[tuple[str, str | None], int], *, waves: tuple[str, ...] = WAVES
) -> pd.DataFrame:
    """Long-form answers: ``sizes`` people per (role, department) in every wave."""
    rows, number = [], 0
    for w, wave in enumerate(waves):
        for (role, department), n in sizes.items():
            for person in range(n):
                for i, item in enumerate(ITEMS):
                    rows.append(
                        {
                            "row": number,
                            "respondent": pd.NA,
                            "role": role,
                            "wave": wave,
                            "department": department if department is not None else pd.NA,
                            "item": item,
                            "points": 5,
                            "reverse": False,
                            "value": value(role, person, i, w),
                        }
                    )
                number += 1
    return pd.DataFrame(rows)


FOUR_NINE_SEVENTEEN = {("経営層", None): 4, ("管理職", None): 9, ("一般社員", None): 17}
COHORTS = {
    "4/9/17": FOUR_NINE_SEVENTEEN,
    "3/12/40": {("経営層", None): 3, ("管理職", None): 12, ("一般社員", None): 40},
    "1/5/5": {("経営層", None): 1, ("管理職", None): 5, ("一般社員", None): 5},
    "role x department": {
        ("経営層", "営業"): 2, ("経営層", "開発"): 5,
        ("管理職", "営業"): 6, ("管理職", "開発"): 7,
        ("一般社員", "営業"): 10, ("一般社員", "開発"): 3, ("一般社員", "総務"): 8,
    },
}  # fmt: skip


def hedges_g(x: np.ndarray, y: np.ndarray) -> float:
    """By hand: pooled SD with n - 1, exact J = Γ(df/2) / (sqrt(df/2) Γ((df-1)/2))."""
    df = x.size + y.size - 2
    pooled = math.sqrt(((x.size - 1) * x.var(ddof=1) + (y.size - 1) * y.var(ddof=1)) / df)
    j = math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)
    return j * (x.mean() - y.mean()) / pooled


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({("経営層",): 4, ("管理職",): 9, ("一般社員",): 17}, {("経営層",), (ALL,)}),
        ({("経営層",): 3, ("管理職",): 12, ("一般社員",): 40}, {("経営層",), (ALL,)}),
        ({("経営層",): 1, ("管理職",): 5, ("一般社員",): 5}, {("経営層",), (ALL,)}),
        ({("経営層",): 6, ("管理職",): 9, ("一般社員",): 17}, set()),
        # two small roles hold 4 together: the overall goes as well
        ({("経営層",): 2, ("管理職",): 2, ("一般社員",): 17}, {("経営層",), ("管理職",), (ALL,)}),
    ],
)
def test_margins_go_before_role_groups(counts, hidden) -> None:
    assert privacy.hidden_cells(counts) == hidden


def test_a_fixed_total_still_hides_a_second_group() -> None:
    """The counts: wave totals are shown on other pages, so 管理職 (the next smallest) goes."""
    counts = {("経営層",): 4, ("管理職",): 9, ("一般社員",): 17}
    reasons = privacy.hidden_reasons(counts, fixed_totals=True)
    assert reasons == {
        ("経営層",): EXECUTIVES_HIDDEN,
        ("管理職",): "経営層を保護するため、あわせて非表示にしています",
    }


def test_role_by_department_hides_department_totals_not_roles() -> None:
    counts = {k: n for k, n in COHORTS["role x department"].items()}
    hidden = privacy.hidden_cells(counts)
    assert {("経営層", "営業"), ("一般社員", "開発")} <= hidden  # primary: 2 and 3
    assert not {(r, ALL) for r in BASE} & hidden  # every role's total is shown
    nodes = privacy._nodes(counts)
    assert privacy._first_exposed(hidden, nodes, 5) is None  # the linear audit is satisfied


# --------------------------------------------------------------------------- 4/9/17 shown


@pytest.mark.parametrize("wave", WAVES)
def test_managers_vs_staff_have_effect_sizes_on_every_statement(wave) -> None:
    answers = cohort(FOUR_NINE_SEVENTEEN)
    one = answers[answers["wave"] == wave]
    table = gaps.role_gaps(one)
    pairs = table[(table["a"] == "管理職") & (table["b"] == "一般社員")]
    assert list(pairs["item"]) == list(ITEMS) and not pairs["suppressed"].any()
    for row in pairs.itertuples(index=False):
        x = one[(one["role"] == "管理職") & (one["item"] == row.item)]["value"].to_numpy()
        y = one[(one["role"] == "一般社員") & (one["item"] == row.item)]["value"].to_numpy()
        assert (row.n_a, row.n_b) == (9, 17)
        assert row.effect_size == pytest.approx(hedges_g(x, y))
        assert row.diff == pytest.approx(x.mean() - y.mean())
        assert row.reason is None
    executives = table[table["a"] == "経営層"]
    assert executives["suppressed"].all() and executives["effect_size"].isna().all()
    assert (executives["reason"] == EXECUTIVES_HIDDEN).all()
    payload = gaps.gaps_payload(pipeline.one_wave(answers, wave))
    shown = [p for p in payload["pairs"] if (p["a"], p["b"]) == ("管理職", "一般社員")]
    assert [p["effect_size"] for p in shown] == pytest.approx(list(pairs["effect_size"]))
    assert all(p["reason"] is None for p in shown)


def test_the_overall_is_hidden_and_every_output_that_shows_it_says_why() -> None:
    one = cohort(FOUR_NINE_SEVENTEEN, waves=("研修前",))
    overall = gaps.item_scores(one, by=())
    assert overall["suppressed"].all() and overall["mean"].isna().all()
    assert (overall["n"] == 0).all()
    assert (overall["reason"] == privacy.OVERALL_HIDDEN).all()
    heat = gaps.difference_from_overall(one)
    assert heat["suppressed"].all() and heat["overall_mean"].isna().all()
    assert (heat["overall_n"] == 0).all()
    reasons = heat.set_index(["role", "item"])["reason"]
    assert reasons[("経営層", ITEMS[0])] == EXECUTIVES_HIDDEN
    assert reasons[("管理職", ITEMS[0])] == privacy.OVERALL_HIDDEN
    roles = gaps.item_scores(one)
    shown = roles[~roles["suppressed"]]
    assert set(shown["role"]) == {"管理職", "一般社員"} and shown["reason"].isna().all()
    assert shown.groupby("role")["n"].first().to_dict() == {"管理職": 9, "一般社員": 17}


def test_nobody_answered_is_not_privacy() -> None:
    answers = cohort(FOUR_NINE_SEVENTEEN, waves=("研修前",))
    answers.loc[(answers["role"] == "一般社員") & (answers["item"] == ITEMS[2]), "value"] = np.nan
    scores = gaps.item_scores(answers).set_index(["role", "item"])
    assert scores.loc[("一般社員", ITEMS[2]), "reason"] == "回答なし"
    assert scores.loc[("経営層", ITEMS[2]), "reason"] == EXECUTIVES_HIDDEN
    assert scores.loc[("一般社員", ITEMS[0]), "reason"] is None
    pairs = gaps.role_gaps(answers).set_index(["a", "b", "item"])
    assert pairs.loc[("管理職", "一般社員", ITEMS[2]), "reason"] == "回答なし"
    assert pairs.loc[("経営層", "一般社員", ITEMS[2]), "reason"] == f"{EXECUTIVES_HIDDEN}。回答なし"


# --------------------------------------------------------------------------- the attacker


def published_nodes(answers: pd.DataFrame, min_group: int = 5) -> dict[tuple, set[tuple]]:
    """``(wave, item) -> {(role, department)}`` whose n and mean some output publishes."""
    shown: dict[tuple, set[tuple]] = {}

    def add(wave, item, role, department):
        shown.setdefault((wave, item), set()).add((role, department))

    for wave in WAVES:
        one = answers[answers["wave"] == wave]
        for by in [(), ("role",), ("department",), ("role", "department")]:
            table = gaps.item_scores(one, by=by, min_group=min_group)
            for r in table[~table["suppressed"]].itertuples(index=False):
                role = getattr(r, "role", ALL) if "role" in by else ALL
                department = getattr(r, "department", ALL) if "department" in by else ALL
                add(wave, r.item, role, department)
        heat = gaps.difference_from_overall(one, min_group=min_group)
        for r in heat.itertuples(index=False):
            if not r.suppressed:
                add(wave, r.item, r.role, ALL)
            if r.overall_n > 0 or not math.isnan(r.overall_mean):
                add(wave, r.item, ALL, ALL)
        pairs = gaps.role_gaps(one, min_group=min_group)
        for r in pairs[~pairs["suppressed"]].itertuples(index=False):
            add(wave, r.item, r.a, ALL)
            add(wave, r.item, r.b, ALL)
        payload = json.loads(
            json.dumps(gaps.gaps_payload(pipeline.one_wave(answers, wave), min_group=min_group))
        )
        for cell in payload["items"]:
            if cell["n"] > 0 or cell["mean"] is not None:
                add(wave, cell["item"], cell["role"], ALL)
    return shown


def solvable(shown: dict[tuple, set[tuple]], answers: pd.DataFrame, min_group: int = 5) -> list:
    """Groups of 1..min_group-1 answers whose total lies in the row space of the shown ones."""
    answered = answers.dropna(subset=["value"])
    found = []
    for (wave, item), part in answered.groupby(["wave", "item"]):
        finest = {
            (r, None if pd.isna(d) else d): len(g)
            for (r, d), g in part.groupby(["role", "department"], dropna=False)
        }
        keys = sorted(finest, key=str)

        def vector(node, keys=keys):
            return np.array(
                [float(all(v in (ALL, k) for v, k in zip(node, key, strict=True))) for key in keys]
            )

        rows = [vector(node) for node in shown.get((wave, item), ())]
        matrix = np.vstack(rows) if rows else np.zeros((0, len(keys)))
        rank = np.linalg.matrix_rank(matrix) if rows else 0
        for key, mask in itertools.product(keys, itertools.product((True, False), repeat=2)):
            node = tuple(v if keep else ALL for v, keep in zip(key, mask, strict=True))
            v = vector(node)
            n = sum(finest[k] for k, x in zip(keys, v, strict=True) if x)
            if 0 < n < min_group and np.linalg.matrix_rank(np.vstack([matrix, v])) == rank:
                found.append((wave, item, *node, n))
    return sorted(set(found), key=str)


@pytest.mark.parametrize("name", list(COHORTS))
def test_the_attacker_solves_nothing(name) -> None:
    answers = cohort(COHORTS[name])
    shown = published_nodes(answers)
    assert ("管理職", ALL) in shown[("研修前", ITEMS[0])]  # the attacker does see managers
    assert solvable(shown, answers) == []


@pytest.mark.parametrize(
    ("name", "small"),
    [("4/9/17", ("経営層", ALL, 4)), ("3/12/40", ("経営層", ALL, 3)),
     ("1/5/5", ("経営層", ALL, 1)), ("role x department", ("経営層", "営業", 2))],
)  # fmt: skip
def test_control_primary_suppression_alone_gives_a_group_away(name, small) -> None:
    """Every group of 5 or more shown with every total (primary only): the attacker wins."""
    answers = cohort(COHORTS[name])
    shown: dict[tuple, set[tuple]] = {}
    for (wave, item), part in answers.groupby(["wave", "item"]):
        cells = {
            (r, None if pd.isna(d) else d): len(g)
            for (r, d), g in part.groupby(["role", "department"], dropna=False)
        }
        for key, mask in itertools.product(cells, itertools.product((True, False), repeat=2)):
            node = tuple(v if keep else ALL for v, keep in zip(key, mask, strict=True))
            covered = [k for k in cells if all(v in (ALL, c) for v, c in zip(node, k, strict=True))]
            if sum(cells[k] for k in covered) >= 5:
                shown.setdefault((wave, item), set()).add(node)
    assert ("研修前", ITEMS[0], *small) in solvable(shown, answers)


# --------------------------------------------------------------------------- CLI and page


def survey_csv(sizes: dict[tuple[str, str | None], int]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["社員番号", "役職", "回答時期", *ITEMS])
    number = 0
    for w, wave in enumerate(WAVES):
        for (role, _), n in sizes.items():
            for person in range(n):
                number += 1
                labels = [LIKERT[int(value(role, person, i, w)) - 1] for i in range(len(ITEMS))]
                writer.writerow([f"E{number:04d}", role, wave, *labels])
    return buffer.getvalue().encode()


@pytest.fixture(scope="module")
def cohort_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cohort") / "cohort_4_9_17.csv"
    path.write_bytes(survey_csv(FOUR_NINE_SEVENTEEN))
    return path


def run_cli(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("wave", WAVES)
def test_cli_gaps_json_shows_managers_vs_staff(cohort_file, wave) -> None:
    payload = json.loads(run_cli("gaps", str(cohort_file), "--wave", wave, "--json"))
    pairs = [p for p in payload["pairs"] if (p["a"], p["b"]) == ("管理職", "一般社員")]
    assert [p["item"] for p in pairs] == list(ITEMS)
    assert all(p["effect_size"] is not None and p["effect_ci"] for p in pairs)
    executives = [i for i in payload["items"] if i["role"] == "経営層"]
    assert all(i["mean"] is None and i["reason"] == EXECUTIVES_HIDDEN for i in executives)


def test_cli_gaps_text_says_why_where_the_number_would_be(cohort_file) -> None:
    text = run_cli("gaps", str(cohort_file), "--wave", "研修後")
    assert text.count("経営層 非表示（経営層は5人未満）") == len(ITEMS)
    assert text.count("管理職−一般社員: 差") == len(ITEMS)
    assert "経営層−" not in text


def test_gaps_page_shows_managers_vs_staff_and_why_the_rest_is_hidden(data_dir, cohort_file):
    from streamlit.testing.v1 import AppTest

    from analysis.schema import load_survey
    from analysis.store import WaveStore

    content = cohort_file.read_bytes()
    WaveStore().save(content, filename=cohort_file.name, schema=load_survey(content).schema)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    for wave in WAVES:
        at.switch_page("pages/2_gaps.py").run()
        [box] = [s for s in at.selectbox if s.label == "回答時期"]
        box.set_value(wave).run()
        assert not at.exception, [e.message for e in at.exception]
        [table] = [d.value for d in at.dataframe]  # the effect-size table
        shown = table[(table.iloc[:, 1] == "管理職") & (table.iloc[:, 2] == "一般社員")]
        assert len(shown) == len(ITEMS), table
        captions = " ".join(c.value for c in at.caption)
        assert f"経営層（全項目）: {EXECUTIVES_HIDDEN}" in captions
        assert any(privacy.OVERALL_HIDDEN in info.value for info in at.info)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ({"mean": 3.0625, "reason": None}, "3.06"),
        ({"mean": None, "reason": EXECUTIVES_HIDDEN}, "非表示（経営層は5人未満）"),
        (
            {"mean": None, "reason": "経営層を保護するため、あわせて非表示にしています"},
            "非表示（経営層を保護するため）",
        ),
        ({"mean": None, "reason": "回答なし"}, "回答なし"),
    ],
)
def test_cli_text_cell_says_why(cell, shown) -> None:
    from analysis.cli import _cell_text

    assert _cell_text(cell) == shown
