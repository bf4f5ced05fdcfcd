"""Issue 16: differencing one person's answer, and rows counted as people.

1. Six managers answer 研修前, five of them 研修後 too (M6 once only). Publishing
   the 研修前 cell (6 answers, mean 3.1667), the 研修後 cell (5, mean 4.4) and the
   paired change over the five (diff 0.8) gives M6's answer:
   6 x 3.1667 - (5 x 4.4 - 5 x 0.8) = 1 (まったくそう思わない). The same works
   when someone joins later or submits a wave twice.
5. Three executives, one of whom submitted three times, are five rows.

The linear attacker knows who answered which wave (the worst case: the paired
and unpaired populations are known) and sees every number trends publishes:
the page's tables (``wave_scores``, ``wave_changes``, ``retention``) and the
CLI's ``trends_payload``. Its unknowns are the answers, one per submission
and item; each published mean with its count is an equation over the
answers of its population, a paired change over (after - before) of the
pairs. A single answer is solved when its indicator vector lies in the row
space of those equations. With the threshold set to 1 (nothing held back)
the same attacker solves M6: the control is what stops it.
Scale: 5件法 as worded (とてもそう思う = 5).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis import gaps, privacy, trends
from analysis.schema import Survey, load_survey

MIN = privacy.MIN_GROUP_SCORES
EASIER = "AIで仕事が楽になると思う"
CONSULT = "相談できる相手がいる"
LIKERT = (
    "まったくそう思わない",
    "そう思わない",
    "どちらともいえない",
    "そう思う",
    "とてもそう思う",
)

# M1..M5 answer both waves; the extra person is the one to recover.
MANAGERS_BEFORE = [4, 4, 3, 4, 3]
MANAGERS_AFTER = [5, 4, 4, 5, 4]
SECRET = 1  # まったくそう思わない


def _csv(rows: list[list[str]], header: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def case_survey(case: str) -> Survey:
    """Managers (the case) next to 12 frontline staff who answer both waves alike."""
    rows: list[list[str]] = []

    def add(person: str, role: str, wave: str, value: int) -> None:
        rows.append([person, role, wave, LIKERT[value - 1], LIKERT[value - 1]])

    for i, v in enumerate(MANAGERS_BEFORE):
        add(f"M{i + 1:03d}", "管理職", "研修前", v)
    if case == "only_before":  # M6 answers 研修前 only
        add("M006", "管理職", "研修前", SECRET)
    if case == "submits_twice":  # M1 sends 研修前 again: the first sheet is the secret
        rows.insert(0, ["M001", "管理職", "研修前", LIKERT[SECRET - 1], LIKERT[SECRET - 1]])
    for i in range(12):
        add(f"S{i + 1:03d}", "一般社員", "研修前", 2 + i % 3)
    for i, v in enumerate(MANAGERS_AFTER):
        add(f"M{i + 1:03d}", "管理職", "研修後", v)
    if case == "joins_later":  # M6 answers 研修後 only
        add("M006", "管理職", "研修後", SECRET)
    for i in range(12):
        add(f"S{i + 1:03d}", "一般社員", "研修後", 3 + i % 3)
    header = ["社員番号", "役職", "回答時期", EASIER, CONSULT]
    survey = load_survey(_csv(rows, header), name=f"{case}.csv")
    assert (survey.schema.respondent, survey.schema.role, survey.schema.wave) == (
        "社員番号",
        "役職",
        "回答時期",
    )
    return survey


CASES = ("only_before", "joins_later", "submits_twice")


# --------------------------------------------------------------------------- the attacker


def published(answers: pd.DataFrame, min_group: int) -> list[tuple]:
    """Every population trends publishes a number for, with that number.

    ``("cell", role, item, wave, n, mean)`` and ``("pair", role, item, from, to, n, diff)``,
    from the page's tables and the CLI payload.
    """
    out: list[tuple] = []
    cells = trends.wave_scores(answers, min_group=min_group)
    for r in cells[~cells["suppressed"]].itertuples(index=False):
        out.append(("cell", r.role, r.item, r.wave, int(r.n), float(r.mean)))
    changes = trends.wave_changes(answers, min_group=min_group)
    for r in changes[~changes["suppressed"]].itertuples(index=False):
        if r.method == "paired":
            out.append(("pair", r.role, r.item, r.from_wave, r.to_wave, int(r.n_pairs), r.diff))
        else:  # mean(to) - mean(from) of whole cells, both also published as cells
            assert (r.n_from, r.n_to) == (
                _n(cells, r.role, r.item, r.from_wave),
                _n(cells, r.role, r.item, r.to_wave),
            )
    if len(trends.order_waves(answers["wave"])) >= 3:
        kept = trends.retention(answers, min_group=min_group)
        for r in kept[~kept["suppressed"]].itertuples(index=False):
            for wave, mean in ((r.baseline, r.mean_baseline), (r.post, r.mean_post)):
                assert mean == pytest.approx(_mean(cells, r.role, r.item, wave))
    payload = trends.trends_payload(answers, min_group=min_group)
    for c in payload["cells"]:
        if not c["suppressed"]:
            out.append(("cell", c["role"], c["item"], c["wave"], c["n"], c["mean"]))
    for p in payload["paired"]:
        if p["diff"] is not None:
            out.append(("pair", p["role"], p["item"], p["from"], p["to"], p["n_pairs"], p["diff"]))
    return out


def _n(cells: pd.DataFrame, role: str, item: str, wave: str) -> int:
    row = cells[(cells["role"] == role) & (cells["item"] == item) & (cells["wave"] == wave)]
    return int(row["n"].iloc[0])


def _mean(cells: pd.DataFrame, role: str, item: str, wave: str) -> float:
    row = cells[(cells["role"] == role) & (cells["item"] == item) & (cells["wave"] == wave)]
    return float(row["mean"].iloc[0])


def solved_answers(answers: pd.DataFrame, shown: list[tuple]) -> dict[tuple, float]:
    """``(role, item, row) -> value`` for every single answer the published numbers determine.

    The attacker knows each answer's role, wave, respondent and row (who
    answered when), so it knows every population: a cell is all answers of a
    role x item x wave, a pair population the people with an answer in both
    waves (their latest sheet). It solves the linear system by least squares
    and reports answers whose indicator lies in the row space of the equations.
    """
    found: dict[tuple, float] = {}
    answered = answers[answers["value"].notna()]
    for (role, item), part in answered.groupby(["role", "item"]):
        part = part.sort_values("row")
        index = {row: i for i, row in enumerate(part["row"])}
        equations, totals = [], []
        for entry in shown:
            if entry[1:3] != (role, item):
                continue
            vector = np.zeros(len(index))
            if entry[0] == "cell":
                _, _, _, wave, n, mean = entry
                members = part.loc[part["wave"] == wave, "row"]
                assert len(members) == n  # the attacker's population is the published one
                vector[[index[r] for r in members]] = 1
                totals.append(n * mean)
            else:
                _, _, _, first, second, n, diff = entry
                linked = part.dropna(subset=["respondent"])
                latest = linked.groupby(["wave", "respondent"]).tail(1)
                before = latest[latest["wave"] == first].set_index("respondent")["row"]
                after = latest[latest["wave"] == second].set_index("respondent")["row"]
                both = before.index.intersection(after.index)
                assert len(both) == n
                vector[[index[r] for r in after[both]]] = 1
                vector[[index[r] for r in before[both]]] = -1
                totals.append(n * diff)
            equations.append(vector)
        if not equations:
            continue
        matrix = np.vstack(equations)
        rank = np.linalg.matrix_rank(matrix)
        solution = np.linalg.lstsq(matrix, np.array(totals), rcond=None)[0]
        for row, i in index.items():
            unit = np.zeros(len(index))
            unit[i] = 1
            if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
                found[(role, item, row)] = float(solution[i])
    return found


def secret_row(survey: Survey, case: str) -> int:
    """The file row of the answer the attacker is after (M6, or M1's first sheet)."""
    ids = survey.frame["社員番号"]
    if case == "submits_twice":
        return int(np.flatnonzero(ids == "M001")[0])
    return int(np.flatnonzero(ids == "M006")[0])


# --------------------------------------------------------------------------- failure 1


def test_issue16_the_arithmetic_of_the_report() -> None:
    """The numbers the red team read: 6 x 3.1667 - (5 x 4.4 - 5 x 0.8) = 1."""
    answers = case_survey("only_before").answers()
    cells = trends.wave_scores(answers)
    assert _mean(cells, "管理職", EASIER, "研修前") == pytest.approx(19 / 6)
    assert _mean(cells, "管理職", EASIER, "研修後") == pytest.approx(4.4)
    # without the control (threshold 1) the paired change over the five is published
    off = trends.wave_changes(answers, min_group=1)
    row = off[(off["role"] == "管理職") & (off["item"] == EASIER)].iloc[0]
    assert (row["method"], row["n_pairs"], row["diff"]) == ("paired", 5, pytest.approx(0.8))
    assert 6 * (19 / 6) - (5 * 4.4 - 5 * row["diff"]) == pytest.approx(SECRET)


@pytest.mark.parametrize("case", CASES)
def test_issue16_the_attacker_solves_the_secret_without_the_control(case: str) -> None:
    """Control for the attacker: with nothing held back (threshold 1) it finds the answer.

    For the resubmission the old rows-as-people answers are used (every sheet
    a row, as before issue 16); the paired change used the latest sheet.
    """
    survey = case_survey(case)
    answers = survey.answers() if case != "submits_twice" else _every_sheet(survey)
    found = solved_answers(answers, published(answers, 1))
    assert found[("管理職", EASIER, secret_row(survey, case))] == pytest.approx(SECRET)


@pytest.mark.parametrize("case", CASES)
def test_issue16_the_linear_attacker_solves_nothing_from_what_trends_publishes(case: str) -> None:
    survey = case_survey(case)
    answers = survey.answers()
    shown = published(answers, MIN)
    assert any(entry[0] == "cell" and entry[1] == "管理職" for entry in shown)  # it does see cells
    assert solved_answers(answers, shown) == {}


@pytest.mark.parametrize("case", CASES)
def test_issue16_paired_change_never_differs_from_the_wave_by_fewer_than_the_threshold(
    case: str,
) -> None:
    answers = case_survey(case).answers()
    changes = trends.wave_changes(answers)
    managers = changes[changes["role"] == "管理職"]
    frontline = changes[changes["role"] == "一般社員"]
    if case == "submits_twice":  # people, not rows: 5 managers in each wave, all paired
        assert (managers["method"] == "paired").all() and (managers["n_pairs"] == 5).all()
    else:  # the paired change is held back and the whole cells compared unpaired instead
        assert (managers["method"] == "unpaired").all() and (managers["n_pairs"] == 0).all()
        note = privacy.subset_note(MIN) + "。時期ごとの全回答を対応なしで比べた結果を示しています"
        assert managers["note"].tolist() == [note, note]
        assert "1〜4人" in note
        payload = trends.trends_payload(answers)
        held = [p for p in payload["paired"] if p["role"] == "管理職"]
        assert held and all(p["diff"] is None and p["n_pairs"] == 0 for p in held)
        assert all("差し引きで分かる" in p["note"] for p in held)
    assert (frontline["method"] == "paired").all() and (frontline["n_pairs"] == 12).all()
    for r in changes[changes["method"] == "paired"].itertuples(index=False):
        assert privacy.safe_subset(r.n_from, r.n_pairs) and privacy.safe_subset(r.n_to, r.n_pairs)


def test_issue16_raw_rows_with_a_resubmission_are_held_back_by_trends_itself() -> None:
    """Answers that still hold both sheets (not from ``Survey.answers``): 6 rows, 5 pairs."""
    survey = case_survey("submits_twice")
    answers = _every_sheet(survey)
    changes = trends.wave_changes(answers)
    managers = changes[changes["role"] == "管理職"]
    assert (managers["method"] == "unpaired").all() and managers["note"].notna().all()
    assert solved_answers(answers, published(answers, MIN)) == {}


def test_issue16_department_split_is_held_back_too() -> None:
    """The role cell differs from its pairs by 5, but one department by 1 (then 1 by subtraction).

    営業部 has 6 managers in 研修前, 5 of them paired; 開発部 has 5, none paired.
    Published: the role cells, the department cells (gaps page) and the change.
    """
    rows = []
    for i in range(11):
        dept = "営業部" if i < 6 else "開発部"
        rows.append((i, f"m{i}", "管理職", "研修前", dept, EASIER, float(1 + i % 5)))
    for i in range(5):
        rows.append((100 + i, f"m{i}", "管理職", "研修後", "営業部", EASIER, 4.0))
    for i in range(6):
        rows.append((200 + i, f"x{i}", "管理職", "研修後", "開発部", EASIER, 3.0))
    frame = pd.DataFrame(
        rows, columns=["row", "respondent", "role", "wave", "department", "item", "value"]
    ).assign(points=5, reverse=False)[list(gaps.ANSWER_COLUMNS)]
    change = trends.wave_changes(frame).iloc[0]
    assert (change["n_from"], change["n_to"]) == (11, 11)
    assert change["method"] == "unpaired" and "部署別" in change["note"]
    assert privacy.safe_subset(11, 5) and not privacy.safe_subset(6, 5)


def _every_sheet(survey: Survey) -> pd.DataFrame:
    """Long answers with every submission a row (what ``Survey.answers`` gave before issue 16)."""
    frame = survey.frame
    keys = survey.respondent_keys().to_numpy()
    parts = []
    for item in survey.schema.items:
        values = frame[item.column].map(lambda v: float(LIKERT.index(v) + 1))
        parts.append(
            pd.DataFrame(
                {
                    "row": range(len(frame)),
                    "respondent": keys,
                    "role": frame["役職"].to_numpy(),
                    "wave": frame["回答時期"].to_numpy(),
                    "department": pd.NA,
                    "item": item.label,
                    "points": 5,
                    "reverse": False,
                    "value": values.to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)[list(gaps.ANSWER_COLUMNS)]


# --------------------------------------------------------------------------- failure 5

EXECUTIVE_TEXT = "決裁を早めるためにAIを使いたい"


def executives_file(path: str) -> bytes:
    """3 executives (E1 sends the form three times) and 10 managers, in one wave.

    ``path``: ``"id"`` (a 社員番号 column), ``"email"`` (an e-mail column only) or
    ``"rows"`` (neither: E1's three sheets are identical).
    """
    header = ["役職", "回答時期", EASIER, CONSULT, "自由記述"]
    if path == "id":
        header = ["社員番号", *header]
    if path == "email":
        header = ["メールアドレス", *header]
    rows = []

    def add(person: str, role: str, values: tuple[int, int], text: str) -> None:
        first = {"id": [person], "email": [f"{person.lower()}@example.co.jp"], "rows": []}[path]
        rows.append([*first, role, "研修前", *(LIKERT[v - 1] for v in values), text])

    first_sheet = (4, 3) if path != "rows" else (5, 5)  # identical sheets when nothing else tells
    add("E001", "経営層", first_sheet, EXECUTIVE_TEXT)
    for i in range(10):
        add(f"M{i + 1:03d}", "管理職", (2 + i % 4, 3), f"部下との対話に使いたい{i}")
    add("E001", "経営層", first_sheet, EXECUTIVE_TEXT)
    add("E002", "経営層", (5, 4), "現場の提案を待ちたい")
    add("E003", "経営層", (5, 5), "投資判断の材料がほしい")
    add("E001", "経営層", (5, 5), EXECUTIVE_TEXT)  # the latest sheet
    return _csv(rows, header)


def executives_survey(path: str) -> Survey:
    """The file read; with one wave nothing links waves, so HR picks the ID (as on アップロード)."""
    survey = load_survey(executives_file(path), name=f"executives_{path}.csv")
    if path == "id":
        survey = survey.with_schema(replace(survey.schema, respondent="社員番号"))
    return survey


@pytest.mark.parametrize("path", ["id", "email", "rows"])
def test_issue16_resubmissions_count_once(path: str) -> None:
    survey = executives_survey(path)
    assert len(survey.frame) == 15
    answers = survey.answers()
    executives = answers[(answers["role"] == "経営層") & (answers["item"] == EASIER)]
    assert len(executives) == 3  # three people, not five rows
    assert executives["row"].tolist() == [12, 13, 14]  # E1's latest sheet keeps its file row
    texts = survey.texts("自由記述")
    assert len(texts) == 13 and texts["row"].tolist() == [*range(1, 11), 12, 13, 14]
    assert (texts["text"] == EXECUTIVE_TEXT).sum() == 1
    # under the threshold of 5 the executives show nothing, anywhere gaps publishes
    scores = gaps.item_scores(answers, min_group=MIN)
    shown = scores[scores["role"] == "経営層"]
    assert len(shown) == 2 and shown["suppressed"].all() and (shown["n"] == 0).all()
    assert shown["mean"].isna().all()
    pairs = gaps.role_gaps(answers, min_group=MIN)
    assert pairs[(pairs["a"] == "経営層") | (pairs["b"] == "経営層")]["suppressed"].all()
    payload = gaps.gaps_payload(answers, min_group=MIN)
    assert all(r["mean"] is None and r["n"] == 0 for r in payload["items"] if r["role"] == "経営層")
    assert "4.8" not in str(payload)
    # control: counted as rows, the executives were five with mean 4.8 (shown at threshold 5)
    assert survey.frame["役職"].eq("経営層").sum() == 5


@pytest.mark.parametrize(
    ("path", "basis"),
    [
        ("id", "回答者IDが同じ回答"),
        ("email", "メールアドレスが同じ回答"),
        ("rows", "役職・部署とすべての回答がまったく同じ行"),
    ],
)
def test_issue16_resubmission_warning_says_the_latest_answer_was_used(
    path: str, basis: str
) -> None:
    survey = executives_survey(path)
    note = (
        f"研修前に同じ回答者の重複が2件あり、最新の回答だけを使いました"
        f"（{basis}を1人の回答として数えています）。"
    )
    assert note in survey.warnings


def test_issue16_e_mail_is_the_person_when_there_is_no_id() -> None:
    survey = executives_survey("email")
    assert survey.schema.respondent is None and "メールアドレス" in survey.schema.pii
    # E1's sheets differ (4,3 then 5,5): only the e-mail says they are one person
    executives = survey.answers().query("role == '経営層' and item == @EASIER")
    assert executives["value"].tolist() == [5.0, 5.0, 5.0]


SAME = "研修の内容を現場で試したいです"


@pytest.mark.parametrize(
    ("sheets", "people"),
    [
        ([("経営層", 5, SAME)] * 2, 1),  # identical: one person sending twice
        ([("経営層", 5, SAME), ("経営層", 4, SAME)], 2),  # one answer differs
        ([("経営層", 5, SAME), ("管理職", 5, SAME)], 2),  # another role
        ([("経営層", 5, ""), ("経営層", 5, "")], 2),  # ticks alone: two straight-liners
        ([("経営層", 5, "特になし"), ("経営層", 5, "特になし")], 2),  # a common non-answer
        # length counts as analysed (NFKC): half-width ｶﾞｲﾄﾞ (8 characters as typed) is the
        # 6 of ガイド, too short to tell people apart either way
        ([("経営層", 5, "ｶﾞｲﾄﾞを読む")] * 2, 2),
        ([("経営層", 5, "ガイドを読む")] * 2, 2),
        ([("経営層", 5, "ＡＩ研修を現場で試す")] * 2, 1),
        ([("経営層", 5, "ＡＩ研修を現場で試す"), ("経営層", 5, "AI研修を現場で試す")], 1),
    ],
)
def test_issue16_identical_rows_without_id_or_e_mail(sheets: list[tuple], people: int) -> None:
    rows = [[role, "研修前", LIKERT[v - 1], text] for role, v, text in sheets]
    rows += [["一般社員", "研修前", LIKERT[i % 5], f"感想{i}"] for i in range(8)]
    survey = load_survey(_csv(rows, ["役職", "回答時期", EASIER, "自由記述"]), name="rows.csv")
    answers = survey.answers()
    assert answers["row"].isin([0, 1]).sum() == people
    assert len(answers) == 8 + people


def test_issue16_one_person_in_two_waves_counts_in_each() -> None:
    survey = case_survey("only_before")
    assert survey._people.dropped == {} and not [w for w in survey.warnings if "重複" in w]
    counts = survey.answers().query("item == @EASIER").groupby("wave").size()
    assert counts.to_dict() == {"研修前": 18, "研修後": 17}
    assert not math.isnan(trends.wave_scores(survey.answers())["mean"].iloc[0])
