"""Topic model, shares, distinctive words and KWIC. Tokens assume unidic-lite (1.0.8)."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import normalized_mutual_info_score

from analysis.privacy import MIN_GROUP_COMMENTS
from analysis.text import is_no_answer, tokenize_texts
from analysis.topics import (
    distinctive_terms,
    fit_topics,
    keyword_in_context,
    log_odds,
    term_frequencies,
)

DATA = Path(__file__).resolve().parent / "data"
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"

THEMES = {
    "日報": [
        "営業日報の要約をAIに任せたい",
        "日報を自動で要約してほしい",
        "毎日の日報が楽になる",
        "日報の要約機能が便利",
        "営業日報をまとめる時間が減った",
    ],
    "議事録": [
        "会議の議事録を自動で作成したい",
        "議事録作成が早くなった",
        "議事録の下書きをAIで",
        "会議のあとの議事録が負担",
        "議事録をまとめる作業を任せたい",
    ],
    "不安": [
        "AIに仕事を奪われる不安がある",
        "自分の仕事がなくなるのが怖い",
        "雇用が減るのではと不安",
        "仕事を失うのではと心配",
        "AIで人員削減されそうで不安",
    ],
}


def _answers(n_per_theme: int, offset: int = 0) -> tuple[list[str], list[str]]:
    texts, truth = [], []
    for theme, phrases in THEMES.items():
        for i in range(n_per_theme):
            texts.append(f"{phrases[(i + offset) % len(phrases)]}（{i + offset}）")
            truth.append(theme)
    return texts, truth


# --------------------------------------------------------------------------- quality


def _baseline_nmf(texts: list[str], labels: list[str], k: int) -> float:
    """Plain lemma TF-IDF + NMF, topic = largest weight: the bar to beat."""
    x = TfidfVectorizer(analyzer=lambda tokens: tokens).fit_transform(tokenize_texts(texts))
    assigned = NMF(n_components=k, random_state=0, max_iter=500).fit_transform(x).argmax(axis=1)
    return normalized_mutual_info_score(labels, assigned)


def test_nmi_on_the_labelled_check_set_beats_the_baseline() -> None:
    check = pd.read_csv(DATA / "topic_check_set.csv")
    assert len(check) == 900 and check["label"].nunique() == 9
    texts, labels = check["text"].tolist(), check["label"].tolist()
    ours = normalized_mutual_info_score(labels, fit_topics(texts, k=9).assignments)
    baseline = _baseline_nmf(texts, labels, 9)
    print(f"NMI baseline {baseline:.3f}, ours {ours:.3f}")
    assert ours >= 0.30
    assert baseline < ours


def test_clear_themes_are_recovered() -> None:
    texts, truth = _answers(20)
    result = fit_topics(texts, k=3, min_group=1)
    assert normalized_mutual_info_score(truth, result.assignments) > 0.9
    assert set(result.topics["size"]) == {20}


# --------------------------------------------------------------------------- result shape


def test_assignments_follow_input_rows_and_skip_no_answers() -> None:
    texts, _ = _answers(12)
    texts[3] = "特になし"
    texts[7] = None  # type: ignore[call-overload]
    texts[11] = "ー"
    result = fit_topics(texts, k=3)
    assert len(result.assignments) == len(texts)
    assert [i for i, a in enumerate(result.assignments) if a is None] == [3, 7, 11]
    assert all(
        isinstance(a, int) and 0 <= a < result.k for a in result.assignments if a is not None
    )
    assert result.n_no_answer == 3
    assert int(result.topics["size"].sum()) == len(texts) - 3


def test_topics_are_numbered_by_size_and_labelled_with_display_forms() -> None:
    texts, _ = _answers(15)
    texts += ["日報の要約が助かる"] * 10
    result = fit_topics(texts, k=3)
    sizes = result.topics["size"].tolist()
    assert sizes == sorted(sizes, reverse=True)
    assert result.topics["id"].tolist() == [0, 1, 2]
    top = result.topics.iloc[0]
    assert "日報" in top["terms"][:3]
    assert "日報" in top["label"]  # a phrase from an answer that holds the key word
    assert any(top["label"] in example for example in top["examples"])
    assert all(len(terms) <= 10 for terms in result.topics["terms"])


def test_same_input_gives_the_same_topics() -> None:
    texts, _ = _answers(15)
    roles = ["管理職", "現場"] * (len(texts) // 2) + ["管理職"] * (len(texts) % 2)
    first = fit_topics(texts, roles=roles).to_json()
    second = fit_topics(list(texts), roles=list(roles)).to_json()
    assert first == second


def test_k_is_chosen_within_three_to_ten_unless_given() -> None:
    texts, _ = _answers(20)
    assert 3 <= fit_topics(texts).k <= 10
    assert fit_topics(texts, k=4).k == 4


@pytest.mark.parametrize(
    ("texts", "k", "expected_k"),
    [
        (["特になし", "なし", None], None, 0),
        (["日報の要約"], None, 1),
        (["日報の要約", "議事録の作成"], 5, 2),
    ],
)
def test_tiny_inputs(texts: list[str], k: int | None, expected_k: int) -> None:
    result = fit_topics(texts, k=k, min_group=1)
    assert result.k == expected_k
    assert len(result.topics) == expected_k
    assert len(result.assignments) == len(texts)


def test_repeated_answers_give_no_empty_topics_and_no_warnings() -> None:
    texts = ["日報の要約"] * 12 + ["議事録の作成"] * 12 + ["日報の要約を任せたい"] * 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = fit_topics(texts, k=3)
    assert result.k == 3
    assert (result.topics["size"] > 0).all()
    assert result.topics["label"].is_unique


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"roles": ["管理職"]}, "roles"),
        ({"waves": ["研修前", "研修後", "3か月後"]}, "waves"),
        ({"k": 0}, "k"),
        ({"min_group": 0}, "min_group"),
    ],
)
def test_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fit_topics(["日報の要約", "議事録の作成"], **kwargs)


def test_to_json_has_exactly_the_documented_shape() -> None:
    texts, _ = _answers(12)
    texts.append("特になし")
    roles = ["管理職"] * 18 + ["現場"] * 19
    waves = ["研修前"] * 37
    data = json.loads(fit_topics(texts, roles=roles, waves=waves, k=3).to_json())
    assert list(data) == ["topics", "assignments", "shares", "notes"]
    for topic in data["topics"]:
        assert list(topic) == ["id", "label", "terms", "size", "examples", "reason"]
        assert isinstance(topic["id"], int) and isinstance(topic["size"], int)
        assert all(isinstance(t, str) for t in topic["terms"] + topic["examples"])
    assert data["assignments"][-1] is None and len(data["assignments"]) == 37
    assert {tuple(row) for row in data["shares"]} == {("role", "wave", "topic", "share", "n")}
    assert {(r["role"], r["wave"]) for r in data["shares"]} == {
        ("管理職", "研修前"),
        ("現場", "研修前"),
    }
    for role in ("管理職", "現場"):
        assert sum(r["share"] for r in data["shares"] if r["role"] == role) == pytest.approx(1)


def test_no_roles_or_waves_means_no_shares() -> None:
    texts, _ = _answers(12)
    result = fit_topics(texts, k=3)
    assert result.shares.empty
    assert json.loads(result.to_json())["shares"] == []


def test_shares_count_answers_per_role_and_wave() -> None:
    texts, truth = _answers(12)
    roles = ["管理職" if i % 2 else "現場" for i in range(len(texts))]
    result = fit_topics(texts, roles=roles, k=3)
    shares = result.shares
    assert set(shares["wave"]) == {"全体"}
    for role in ("管理職", "現場"):
        rows = shares[shares["role"] == role]
        assert rows["n"].sum() == 18
        assert rows["share"].sum() == pytest.approx(1)
        for row in rows.itertuples():
            expected = sum(
                1
                for a, r in zip(result.assignments, roles, strict=True)
                if r == role and a == row.topic
            )
            assert row.n == expected


# --------------------------------------------------------------------------- anonymity


@pytest.mark.parametrize(
    ("small", "shown"), [(MIN_GROUP_COMMENTS - 1, False), (MIN_GROUP_COMMENTS, True)]
)
def test_small_groups_give_no_examples_and_no_shares(small: int, shown: bool) -> None:
    texts, _ = _answers(12)
    roles = ["管理職"] * len(texts)
    waves = ["研修前"] * len(texts)
    # a small cell whose answers are the most typical of their topic
    secret = [f"日報の要約を任せたい（秘密{i}）" for i in range(small)]
    texts += secret + ["特になし"] * 3  # no-answers do not make a group larger
    roles += ["経営層"] * (small + 3)
    waves += ["研修前"] * (small + 3)
    result = fit_topics(texts, roles=roles, waves=waves, k=3)
    examples = [e for row in result.topics["examples"] for e in row]
    assert examples, "the large group must still give examples"
    assert any("秘密" in e for e in examples) is shown
    assert (
        ("経営層", "研修前") in set(zip(result.shares["role"], result.shares["wave"], strict=True))
    ) is shown
    assert result.assignments[len(texts) - 4] is not None  # still assigned, just not shown


def test_without_groups_the_whole_set_must_reach_the_threshold() -> None:
    texts, _ = _answers(3)  # 9 answers in all
    result = fit_topics(texts, k=3)
    assert all(row == [] for row in result.topics["examples"])
    result = fit_topics(texts, k=3, min_group=9)
    assert any(row for row in result.topics["examples"])


def test_examples_are_masked_and_distinct() -> None:
    texts, _ = _answers(12)
    texts += ["日報の要約は田中さん（tanaka@example.jp）に聞いた"] * 5
    result = fit_topics(texts, k=3)
    examples = [e for row in result.topics["examples"] for e in row]
    assert not any("田中" in e or "@" in e for e in examples)
    for row in result.topics["examples"]:
        assert len(row) == len(set(row)) and len(row) <= 3


# --------------------------------------------------------------------------- words


def test_log_odds_matches_a_hand_computation() -> None:
    counts = np.array([[8.0, 2.0], [2.0, 8.0]])
    alpha = counts.sum(axis=0)  # [10, 10], alpha0 = 20
    # group 0, word 0: y=8, n=10, rest y=2, n=10
    own = np.log(8 + 10) - np.log(10 + 20 - 8 - 10)
    other = np.log(2 + 10) - np.log(10 + 20 - 2 - 10)
    expected = (own - other) / np.sqrt(1 / 18 + 1 / 12)
    z = log_odds(counts)
    assert z[0, 0] == pytest.approx(expected)
    assert z[0, 1] == pytest.approx(-expected)
    assert log_odds(counts, prior=alpha)[0, 0] == pytest.approx(expected)


def test_distinctive_terms_per_role_leave_small_groups_out() -> None:
    texts = ["仕事が奪われる不安"] * 12 + ["日報の要約が楽"] * 12 + ["PoC疲れ"] * 9
    roles = ["現場"] * 12 + ["管理職"] * 12 + ["経営層"] * 9
    table = distinctive_terms(texts, roles)
    assert list(table.columns) == ["group", "term", "z", "count"]
    assert set(table["group"]) == {"現場", "管理職"}
    assert set(table[table.group == "現場"].term) == {"仕事", "奪う", "不安"}
    assert (table["z"] > 0).all() and (table["count"] == 12).all()
    assert distinctive_terms(texts[:12], roles[:12]).empty  # one group: nothing to compare


def test_term_frequencies_per_group() -> None:
    texts = ["日報の要約", "日報と議事録の要約", "なし"] * 4
    groups = ["研修前"] * 12
    table = term_frequencies(texts, groups=groups, min_group=8)
    top = table.iloc[0]
    assert (top.group, top.term, top["count"], top.n_answers) == ("研修前", "日報", 8, 8)
    assert top.share == pytest.approx(1.0)
    assert term_frequencies(texts, groups=groups, min_group=9).empty


# --------------------------------------------------------------------------- KWIC


@pytest.mark.parametrize(
    ("keyword", "expected"),
    [
        ("要約", ["日報の【要約】をAIに", "【要約】と【要約】"]),
        ("ai", ["日報の要約を【AI】に", "〔氏名〕さんと【ＡＩ】の話"]),
        ("ＡＩ", ["日報の要約を【AI】に", "〔氏名〕さんと【ＡＩ】の話"]),
        ("田中", []),  # names are masked before searching
        ("氏名", []),  # placeholders are not hits
    ],
)
def test_keyword_in_context(keyword: str, expected: list[str]) -> None:
    texts = ["日報の要約をAIに", "要約と要約", "田中さんとＡＩの話", "特になし"]
    table = keyword_in_context(texts, keyword, min_group=3)
    assert table["text"].tolist() == expected
    assert (table["group"] == "全体").all()


def test_keyword_in_context_only_quotes_large_groups() -> None:
    texts = ["AIで日報"] * 10 + ["AIが不安"] * 9
    groups = ["管理職"] * 10 + ["現場"] * 9
    table = keyword_in_context(texts, "AI", groups=groups)
    assert set(table["group"]) == {"管理職"} and len(table) == 10


def test_keyword_in_context_width_and_errors() -> None:
    texts = ["あいうえおかきくけこ日報さしすせそたちつてと"] * 10
    table = keyword_in_context(texts, "日報", width=3)
    assert table["text"].iloc[0] == "…くけこ【日報】さしす…"
    with pytest.raises(ValueError, match="keyword"):
        keyword_in_context(texts, " ")


# --------------------------------------------------------------------------- real data


def test_topics_on_real_free_text_columns() -> None:
    path = REALDATA / "monthly_202301_utf8bom.csv"
    if not path.exists():
        pytest.skip(f"real data not found at {path}")
    frame = pd.read_csv(path, encoding="utf-8-sig")
    for column in ["満足度の理由", "不便さの内容", "福井県に求めるもの"]:
        texts = frame[column].tolist()
        days = frame["回答日時"].astype(str).str[:10]
        result = fit_topics(texts, waves=days.tolist())
        assert len(result.assignments) == len(frame) == 852
        missing = frame[column].isna()
        assert all(result.assignments[i] is None for i in np.flatnonzero(missing))
        assert 3 <= result.k <= 10
        answered = days[[not is_no_answer(t) for t in texts]].value_counts()
        assert result.n_no_answer == 852 - answered.sum()
        # sizes count only the days that may be shown (at least MIN_GROUP_COMMENTS answers)
        assert result.topics["size"].sum() == answered[answered >= MIN_GROUP_COMMENTS].sum()
        assert all(result.topics["label"].str.len() > 0)
        examples = [e for row in result.topics["examples"] for e in row]
        assert not any(re.search(r"[\w.]+@[\w.]+", e) for e in examples)
        # one day per wave: only days with at least MIN_GROUP_COMMENTS answers may appear
        small = result.shares.groupby("wave")["n"].sum()
        assert (small >= MIN_GROUP_COMMENTS).all()


def test_automatic_topic_count_avoids_one_topic_holding_most_answers():
    """On the sample survey the eigengap chose 4 topics with 90% of answers in one."""
    from analysis.schema import load_survey
    from analysis.topics import MAX_TOPIC_SHARE

    survey = load_survey(
        Path(__file__).resolve().parents[1] / "sample_data" / "ai_survey_google_forms.csv"
    )
    texts = survey.texts("AIを活用できそうな業務やアイデアがあればお書きください。")
    result = fit_topics(
        texts["text"].tolist(), roles=texts["role"].tolist(), waves=texts["wave"].tolist()
    )
    sizes = result.topics["size"]
    assert 5 <= result.k <= 10
    assert sizes.max() <= MAX_TOPIC_SHARE * sizes.sum()


def test_float_noise_in_the_features_does_not_change_the_topics():
    """Short answers tie in similarity; noise of 1e-16 once turned 9 topics into 6."""
    from analysis.features import answer_features
    from analysis.schema import load_survey
    from analysis.text import normalize_text, tokenize_with_forms
    from analysis.topics import _cluster

    survey = load_survey(
        Path(__file__).resolve().parents[1] / "sample_data" / "ai_survey_google_forms.csv"
    )
    texts = survey.texts("AIを活用できそうな業務やアイデアがあればお書きください。")["text"]
    unique = list(dict.fromkeys(normalize_text(t) for t in texts if isinstance(t, str)))
    analysed = tokenize_with_forms(unique)
    x = answer_features(analysed.texts, analysed.tokens).vectors
    noisy = x.copy()
    noisy.data = noisy.data * (1 + np.random.default_rng(0).uniform(-2e-16, 2e-16, noisy.nnz))
    assert (noisy != x).nnz > 0
    labels, k = _cluster(x, None, 0)
    noisy_labels, noisy_k = _cluster(noisy, None, 0)
    assert noisy_k == k
    assert normalized_mutual_info_score(labels, noisy_labels) == pytest.approx(1.0)


def test_sizes_leave_out_the_answers_of_groups_under_the_threshold():
    """A size counting 3 executives' answers would give their number away next to the shares."""
    texts = ["日報の要約に使いたい"] * 12 + ["議事録を自動で作成したい"] * 12 + ["日報を要約"] * 3
    roles = ["管理職"] * 12 + ["一般社員"] * 12 + ["経営層"] * 3
    result = fit_topics(texts, roles=roles, k=2, min_group=10)
    assert result.topics["size"].sum() == 24
    assert sorted(result.topics["size"]) == [12, 12]
    assert all(a is not None for a in result.assignments)  # still clustered
    assert "経営層" not in set(result.shares["role"])
    nobody = fit_topics(texts[-3:], roles=roles[-3:], min_group=10)
    assert nobody.topics.empty and nobody.k == 0
