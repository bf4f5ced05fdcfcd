"""The bundled demo survey: deterministic, shaped as documented, effects planted.

The numbers checked here are the ones documented in sample_data/README.md.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


def _load_generator():
    spec = importlib.util.spec_from_file_location(
        "kakehashi_sample_generate", SAMPLE / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()

LABEL_SCORE = {
    "まったくそう思わない": 1,
    "そう思わない": 2,
    "どちらともいえない": 3,
    "そう思う": 4,
    "とてもそう思う": 5,
}
GRID = "AI活用について、以下の項目にどの程度あてはまりますか。"
EXPECTED_COLUMNS = [
    "タイムスタンプ",
    "メールアドレス",
    "社員番号",
    "役職",
    "部署",
    "回答時期",
    f"{GRID} [なぜ今AIを導入するのか理解している]",
    f"{GRID} [AIで自分の仕事が楽になると思う]",
    f"{GRID} [AIに自分の仕事を奪われるのではないかと不安だ]",
    f"{GRID} [AI導入後に誰が何を担当するのかが明確だ]",
    f"{GRID} [AIについて相談できる相手がいる]",
    f"{GRID} [AI導入を自分ひとりで抱え込んでいると感じる]",
    f"{GRID} [AIについての不安や疑問を職場で率直に話せる]",
    f"{GRID} [また実験で終わるのではないかと感じる]",
    f"{GRID} [AIの試行が実際の業務の変化につながると思う]",
    f"{GRID} [今後、自分の業務でAIを積極的に使いたい]",
    "AI導入について、不安に思うことを自由にお書きください。",
    "AIを活用できそうな業務やアイデアがあればお書きください。",
    "研修を通じて変わったこと、感じたことをお書きください。",
]
FREE_TEXT = EXPECTED_COLUMNS[-3:]
NO_ANSWERS = {"特になし", "なし", "-", "特にありません", "とくになし", "特になし。"}


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return gen.generate_survey()


@pytest.fixture(scope="module")
def scores(survey: pd.DataFrame) -> pd.DataFrame:
    """Respondent, role, wave and Q1..Q10 as raw 1-5 agreement (not reverse-scored)."""
    out = survey[["社員番号", "役職", "部署", "回答時期"]].copy()
    for item in gen.ITEMS:
        out[item.code] = survey[item.column].map(LABEL_SCORE).astype(float)
    return out


def _mean(scores: pd.DataFrame, code: str, role: str, wave: str) -> float:
    rows = scores[(scores["役職"] == role) & (scores["回答時期"] == wave)]
    return float(rows[code].mean())


# --- determinism ---------------------------------------------------------------------------


def test_same_seed_gives_identical_frame(survey: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(gen.generate_survey(), survey)
    assert not gen.generate_survey(seed=1).equals(survey)


def test_committed_files_equal_a_fresh_regeneration(tmp_path: Path) -> None:
    written = gen.write_outputs(tmp_path)
    assert sorted(p.name for p in written) == [
        "ai_survey_excel_cp932.csv",
        "ai_survey_google_forms.csv",
    ]
    for path in written:
        assert (SAMPLE / path.name).read_bytes() == path.read_bytes(), path.name


def test_committed_google_csv_reads_back_as_the_frame(survey: pd.DataFrame) -> None:
    read = pd.read_csv(SAMPLE / "ai_survey_google_forms.csv", dtype=str, encoding="utf-8")
    pd.testing.assert_frame_equal(read, survey)


# --- shape ---------------------------------------------------------------------------------


def test_columns_are_google_forms_style(survey: pd.DataFrame) -> None:
    assert list(survey.columns) == EXPECTED_COLUMNS
    assert list(gen.COLUMNS) == EXPECTED_COLUMNS


@pytest.mark.parametrize(
    ("role", "respondents"),
    [("経営層", 24), ("管理職", 76), ("一般社員", 200)],
)
def test_respondents_per_role(survey: pd.DataFrame, role: str, respondents: int) -> None:
    assert survey.loc[survey["役職"] == role, "社員番号"].nunique() == respondents


@pytest.mark.parametrize(
    ("wave", "sheets"),
    [("研修前", 300), ("研修後", 291), ("3か月後", 276)],  # 3% and 8% attrition
)
def test_sheets_per_wave(survey: pd.DataFrame, wave: str, sheets: int) -> None:
    assert (survey["回答時期"] == wave).sum() == sheets


def test_departments_and_a_cell_small_enough_to_suppress(survey: pd.DataFrame) -> None:
    assert set(survey["部署"]) == {"営業部", "製造部", "開発部", "総務部", "経理部", "経営企画部"}
    assert set(survey.loc[survey["役職"] == "経営層", "部署"]) == {"経営企画部"}
    cells = survey[survey["回答時期"] == "研修前"].groupby(["部署", "役職"]).size()
    assert cells[("経理部", "管理職")] == 4
    assert cells[("経営企画部", "管理職")] == 3
    assert (cells < 5).sum() == 3


def test_timestamps_fall_in_each_wave_window(survey: pd.DataFrame) -> None:
    assert survey["タイムスタンプ"].str.fullmatch(r"2025/\d\d/\d\d \d{1,2}:\d\d:\d\d").all()
    stamp = pd.to_datetime(survey["タイムスタンプ"], format="%Y/%m/%d %H:%M:%S")
    windows = {"研修前": ("2025-04-07", "2025-04-11"), "研修後": ("2025-04-15", "2025-04-22"),
               "3か月後": ("2025-07-14", "2025-07-25")}  # fmt: skip
    for wave, (first, last) in windows.items():
        days = stamp[survey["回答時期"] == wave].dt.normalize()
        assert days.between(pd.Timestamp(first), pd.Timestamp(last)).all(), wave
        assert (days.dt.day_of_week < 5).all()
    assert stamp.is_monotonic_increasing


def test_respondent_ids_link_waves(survey: pd.DataFrame) -> None:
    assert survey["社員番号"].str.fullmatch(r"E\d{5}").all()
    assert not survey.duplicated(["社員番号", "回答時期"]).any()
    per_person = survey.groupby("社員番号")[["役職", "部署", "メールアドレス"]].nunique()
    assert (per_person == 1).all().all()
    pre = set(survey.loc[survey["回答時期"] == "研修前", "社員番号"])
    assert set(survey["社員番号"]) == pre
    waves = survey.groupby("社員番号")["回答時期"].nunique()
    assert (waves == 3).sum() >= 260
    assert survey["メールアドレス"].str.fullmatch(r"[a-z]\.[a-z]+\d?@example\.co\.jp").all()


def test_likert_answers_use_the_five_labels(survey: pd.DataFrame) -> None:
    for item in gen.ITEMS:
        answered = survey[item.column].dropna()
        assert set(answered) <= set(LABEL_SCORE), item.column
        assert len(answered) >= 0.98 * len(survey)


def test_at_least_three_reverse_items() -> None:
    reverse = {item.statement for item in gen.ITEMS if item.reverse}
    assert len(reverse) >= 3
    assert {
        "AIに自分の仕事を奪われるのではないかと不安だ",
        "AI導入を自分ひとりで抱え込んでいると感じる",
        "また実験で終わるのではないかと感じる",
    } <= reverse


# --- planted effects (sample_data/README.md) ------------------------------------------------

PRE, POST, LATER = "研修前", "研修後", "3か月後"
EXEC, MANAGER, STAFF = "経営層", "管理職", "一般社員"


@pytest.mark.parametrize(
    ("code", "role", "wave", "low", "high"),
    [
        ("Q2", EXEC, PRE, 3.8, 4.4),  # 仕事が楽になる: executives expect a lot
        ("Q2", STAFF, PRE, 2.3, 2.9),  # ... frontline does not
        ("Q6", MANAGER, PRE, 3.5, 4.2),  # managers carry it alone
        ("Q6", EXEC, PRE, 1.9, 2.8),
        ("Q6", STAFF, PRE, 1.9, 2.7),
        ("Q5", MANAGER, PRE, 1.8, 2.5),  # nobody to consult
        ("Q3", STAFF, PRE, 3.3, 3.9),  # fear of losing work
    ],
)
def test_planted_means(
    scores: pd.DataFrame, code: str, role: str, wave: str, low: float, high: float
) -> None:
    assert low <= _mean(scores, code, role, wave) <= high


def test_managers_are_isolated_before_training(scores: pd.DataFrame) -> None:
    q6 = {role: _mean(scores, "Q6", role, PRE) for role in (EXEC, MANAGER, STAFF)}
    q5 = {role: _mean(scores, "Q5", role, PRE) for role in (EXEC, MANAGER, STAFF)}
    assert q6[MANAGER] - max(q6[EXEC], q6[STAFF]) >= 1.0
    assert min(q5, key=q5.get) == MANAGER
    assert _mean(scores, "Q2", EXEC, PRE) - _mean(scores, "Q2", STAFF, PRE) >= 1.2


@pytest.mark.parametrize("code", ["Q1", "Q2", "Q7"])
def test_frontline_rises_after_training(scores: pd.DataFrame, code: str) -> None:
    gain = _mean(scores, code, STAFF, POST) - _mean(scores, code, STAFF, PRE)
    assert 0.45 <= gain <= 0.9


def test_fear_of_losing_work_drops(scores: pd.DataFrame) -> None:
    assert _mean(scores, "Q3", STAFF, POST) - _mean(scores, "Q3", STAFF, PRE) <= -0.4


@pytest.mark.parametrize(("wave", "low", "high"), [(PRE, 0.0, 0.2), (POST, 0.65, 0.78)])
def test_share_of_managers_no_longer_alone(
    scores: pd.DataFrame, wave: str, low: float, high: float
) -> None:
    q6 = scores.loc[(scores["役職"] == MANAGER) & (scores["回答時期"] == wave), "Q6"].dropna()
    assert low <= (q6 <= 2).mean() <= high  # そう思わない or まったくそう思わない


@pytest.mark.parametrize(
    ("code", "role"), [("Q1", STAFF), ("Q2", STAFF), ("Q7", STAFF), ("Q6", MANAGER)]
)
def test_partial_retention_at_follow_up(scores: pd.DataFrame, code: str, role: str) -> None:
    pre, post, later = (_mean(scores, code, role, w) for w in (PRE, POST, LATER))
    assert 0.5 <= (later - pre) / (post - pre) <= 0.8


def test_answers_correlate_within_a_person(scores: pd.DataFrame) -> None:
    wide = scores.pivot_table(index="社員番号", columns="回答時期", values="Q2")
    assert wide[PRE].corr(wide[POST]) >= 0.45
    assert wide[PRE].corr(wide[LATER]) >= 0.45


# --- the Excel CP932 copy -------------------------------------------------------------------


def test_cp932_file_holds_the_same_answers(survey: pd.DataFrame) -> None:
    raw = (SAMPLE / "ai_survey_excel_cp932.csv").read_bytes()
    raw.decode("cp932")  # strict: raises on any byte that is not CP932
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    excel = pd.read_csv(SAMPLE / "ai_survey_excel_cp932.csv", encoding="cp932")
    assert len(excel) == len(survey)
    assert list(excel.columns[:6]) == ["回答日時", "社員番号", "メール", "役職", "部署", "回答時期"]
    assert excel.columns[6] == "Q1_AI導入の目的理解"
    assert list(excel.columns[-3:]) == ["不安に思うこと", "活用アイデア", "研修で変わったこと"]
    merged = excel.merge(survey, on=["社員番号", "回答時期"], validate="one_to_one")
    for item in gen.ITEMS:
        expected = merged[item.column].map(LABEL_SCORE).astype(float)
        pd.testing.assert_series_equal(
            merged[item.excel_column].astype(float), expected, check_names=False
        )
    for short, question in zip(excel.columns[-3:], FREE_TEXT, strict=True):
        assert merged[short].fillna("").tolist() == merged[question].fillna("").tolist()


# --- free text ------------------------------------------------------------------------------


def test_free_text_answers_are_distinct_and_non_empty() -> None:
    answers = gen.free_text_answers(5000)
    assert len(answers) == 5000
    assert len(set(answers)) == 5000
    assert all(isinstance(a, str) and a.strip() for a in answers)
    assert max(map(len, answers)) <= 200
    assert gen.free_text_answers(300) == gen.free_text_answers(300)
    assert gen.free_text_answers(50, seed=1) != gen.free_text_answers(50, seed=2)


def test_survey_free_text_is_short_varied_and_full_width(survey: pd.DataFrame) -> None:
    texts = pd.concat([survey[q] for q in FREE_TEXT]).dropna()
    real = texts[~texts.isin(NO_ANSWERS)]
    assert real.str.len().between(10, 200).all()
    assert real.nunique() >= 0.95 * len(real)
    assert texts.isin(NO_ANSWERS).sum() >= 100
    assert real.str.contains("[、。！（）]").mean() > 0.9
    assert real.str.contains("[０-９]").any()


def test_third_question_is_mostly_blank_before_training(survey: pd.DataFrame) -> None:
    before = survey.loc[survey["回答時期"] == PRE, FREE_TEXT[2]]
    assert (before.isna() | before.isin(NO_ANSWERS)).mean() >= 0.85


ROLE_WORRIES = {
    MANAGER: "板挟み|一人で抱え込|部下|相談できる相手|説明役|調整",
    STAFF: "仕事がなくなる|仕事を取られる|なぜ今AI|使い方がわから|使いこなせ|ついていけ|実験"
    "|使われなくなる|人員削減",
    EXEC: "スピード|成果|競|投資対効果",
}


@pytest.mark.parametrize("role", [EXEC, MANAGER, STAFF])
def test_worries_before_training_differ_by_role(survey: pd.DataFrame, role: str) -> None:
    before = survey[survey["回答時期"] == PRE]
    worries = before[FREE_TEXT[0]].where(~before[FREE_TEXT[0]].isin(NO_ANSWERS))
    share = {
        other: worries[before["役職"] == other].dropna().str.contains(ROLE_WORRIES[role]).mean()
        for other in (EXEC, MANAGER, STAFF)
    }
    assert share[role] >= 0.45
    assert all(share[role] >= 2 * v for other, v in share.items() if other != role)


def test_ideas_become_concrete_after_training(survey: pd.DataFrame) -> None:
    use_cases = "営業日報の要約|マニュアル作成|議事録作成|問い合わせ対応|見積書のチェック"
    ideas = survey[FREE_TEXT[1]].fillna("")
    before = ideas[survey["回答時期"] == PRE].str.contains(use_cases).sum()
    after = ideas[survey["回答時期"] == POST].str.contains(use_cases).sum()
    assert after >= 2 * before + 10


@pytest.mark.parametrize(
    "pattern",
    [
        r"[一-龥]+さん",  # a colleague's name
        r"[一-龥]{1,3}部長",
        r"[a-z]\.[a-z]+\d?@example\.co\.jp",
        r"0[89]0-\d{4}-\d{4}",
        r"０[７８９]０－[０-９]{4}－[０-９]{4}",
        r"E\d{5}",  # 社員番号
    ],
)
def test_raw_free_text_carries_pii_to_mask(survey: pd.DataFrame, pattern: str) -> None:
    texts = pd.concat([survey[q] for q in FREE_TEXT]).dropna()
    assert texts.map(lambda t: re.search(pattern, t) is not None).any()
