"""Topics never name a person, and a column of names only gives no topics, with a note.

Name cases assume the unidic-lite dictionary (1.0.8).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.topics import NO_TERMS_NOTE, fit_topics, keyword_in_context, term_frequencies

ROOT = Path(__file__).resolve().parents[1]

NAMES_ONLY = [
    "山田太郎",
    "佐藤花子",
    "鈴木一郎",
    "高橋美咲",
    "田中健",
    "伊藤優子",
    "渡辺翔太",
    "中村さくら",
    "小林大輔",
    "加藤真由美",
    "吉田拓也",
    "山本愛",
    "山口　悠斗",
    "Yamada-san",  # romaji names without an honorific or title are not masked
]

# What a large group wrote: every answer names someone the issue-16 way, or gives a number.
PLANTED = {
    "池田": "営業の池田部長はAIで日報の要約に前向き",
    "中村": "先週中村部長に議事録の作成を相談した",
    "森": "森様に日報の要約の資料を送った",
    "yamada": "Yamada-san と議事録の作成を分担した",
    "taro": "yamada taro さんに日報の要約を頼んだ",  # 連絡・yamada・taro was a label once
    "悠斗": "山口　悠斗さんと議事録の作成を試した",
    "0312345678": "日報の要約は TEL:0312345678 まで",
    "5678": "議事録の作成は 090.1234.5678 に連絡",
    "12345": "社員番号は12345です。日報の要約を使った",
}
MASKED_AWAY = [
    "池田",
    "中村",
    "森",
    "yamada",
    "Yamada",
    "taro",
    "悠斗",
    "山口",
    "0312345678",
    "1234",
    "12345",
]


def test_issue16_names_only_free_text_gives_an_empty_result_with_a_note() -> None:
    result = fit_topics(NAMES_ONLY * 2, min_group=5)
    assert result.k == 0
    assert result.topics.empty
    assert result.assignments == [None] * len(NAMES_ONLY) * 2
    assert NO_TERMS_NOTE in result.notes
    assert "氏名" in NO_TERMS_NOTE


def _topics_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", "topics", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


def test_issue16_names_only_free_text_through_the_cli(tmp_path: Path) -> None:
    """A column of names is read as personal information and refused by name; marked
    自由記述 by a pinned mapping, it gives one Japanese line and no topic. No name is printed."""
    import json

    path = tmp_path / "names.csv"
    pd.DataFrame({"回答者ID": [f"R{i:03d}" for i in range(28)], "ご記入者": NAMES_ONLY * 2}).to_csv(
        path, index=False
    )
    refused = _topics_cli(str(path), "--column", "ご記入者")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "「個人情報（表示しない）」として読み取りました" in refused.stderr, refused.stderr
    inspected = subprocess.run(
        [sys.executable, "-m", "analysis", "inspect", str(path), "--json"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, check=True,
    )  # fmt: skip
    mapping = json.loads(inspected.stdout)["mapping"]
    mapping["pii"] = [c for c in mapping["pii"] if c != "ご記入者"]
    mapping["free_text"] = ["ご記入者"]
    pinned = tmp_path / "mapping.json"
    pinned.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    done = _topics_cli(str(path), "--column", "ご記入者", "--mapping", str(pinned))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "話題" in done.stdout  # one Japanese line, no topic
    printed = refused.stdout + refused.stderr + done.stdout + done.stderr
    assert not [name for name in NAMES_ONLY if name in printed]


@pytest.fixture(scope="module")
def planted() -> list[str]:
    texts = []
    for i in range(6):  # 54 answers from one large group
        texts += [f"{text}（{i}回目）" for text in PLANTED.values()]
    return texts


@pytest.mark.parametrize("k", [None, 2, 4])
def test_issue16_names_written_by_a_large_group_never_reach_terms_labels_or_examples(
    planted: list[str], k: int | None
) -> None:
    result = fit_topics(planted, k=k, min_group=10)
    assert result.k >= 1
    shown = [
        *result.topics["label"],
        *(term for terms in result.topics["terms"] for term in terms),
        *(example for examples in result.topics["examples"] for example in examples),
    ]
    assert any("〔氏名〕" in text for text in shown)  # the answers are there, masked
    leaked = [(name, text) for name in MASKED_AWAY for text in shown if name in text]
    assert leaked == []


def test_issue16_names_written_by_a_large_group_never_reach_word_counts_or_search(
    planted: list[str],
) -> None:
    words = term_frequencies(planted, min_group=10, top_n=None)
    terms = {str(t).lower() for t in words["term"]}
    assert terms.isdisjoint(n.lower() for n in MASKED_AWAY)
    for keyword in ["池田", "中村", "森", "yamada", "taro", "悠斗", "0312345678", "12345"]:
        assert keyword_in_context(planted, keyword, min_group=10).empty, keyword
    found = keyword_in_context(planted, "要約", min_group=10)
    assert not found.empty
    assert not any(name in text for name in MASKED_AWAY for text in found["text"])
