"""Issue 16, failure 7: a personal-data column is never used for anything else.

With a header like 「役職・氏名」 the old inference listed the column as PII and
still used it as the role, so `gaps` and `report` printed every person's name
(51 on the title slide). Inference, a stored mapping and a pinned `--mapping`
file must all keep such a column hidden and unused.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from analysis.schema import Schema, load_survey

ROOT = Path(__file__).resolve().parents[1]
SURNAMES = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林"]
GIVEN = ["太郎", "花子", "一郎", "美咲", "健", "翔", "結衣", "大輔", "優", "愛"]
TITLES = ["部長", "課長", "一般"]
ANSWERS = ["そう思う", "どちらともいえない", "とてもそう思う", "そう思わない"]


def _names() -> list[str]:
    return [f"{SURNAMES[i % 10]}{GIVEN[(i * 3) % 10]}{i}" for i in range(51)]


@pytest.fixture
def named_file(tmp_path: Path) -> Path:
    lines = ["役職・氏名,回答時期,AIで仕事が楽になると思う,AIについて相談できる相手がいる"]
    for i, name in enumerate(_names()):
        lines.append(f"{TITLES[i % 3]} {name},研修前,{ANSWERS[i % 4]},{ANSWERS[(i + 1) % 4]}")
    path = tmp_path / "named.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip


def _no_names(text: str) -> None:
    leaked = [name for name in _names() if name in text]
    assert not leaked, f"{len(leaked)} names reached the output, e.g. {leaked[:3]}"


def test_issue16_inference_keeps_a_name_column_out_of_the_role(named_file):
    schema = load_survey(named_file).schema
    assert "役職・氏名" in schema.pii
    assert schema.role is None


def test_issue16_a_pinned_mapping_cannot_make_a_pii_column_the_role(named_file, tmp_path):
    inspected = json.loads(_run("inspect", str(named_file), "--json").stdout)
    mapping = inspected["mapping"]
    mapping["role"] = "役職・氏名"  # what an automation script might pin
    assert "役職・氏名" in mapping["pii"]
    pinned = tmp_path / "mapping.json"
    pinned.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    result = _run("gaps", str(named_file), "--mapping", str(pinned), "--json", "--min-group", "1")
    assert result.returncode == 0, result.stderr
    _no_names(result.stdout + result.stderr)
    used = json.loads(_run("inspect", str(named_file), "--mapping", str(pinned), "--json").stdout)
    assert used["columns"]["role"] is None and "役職・氏名" in used["columns"]["pii"]
    assert any("個人情報のため" in note for note in used["warnings"])


def test_issue16_the_deck_never_prints_names_from_a_pii_column(named_file, tmp_path):
    out = tmp_path / "deck.pptx"
    result = _run("report", str(named_file), "--out", str(out))
    assert result.returncode == 0, result.stderr
    deck = Presentation(io.BytesIO(out.read_bytes()))
    text = "\n".join(
        run.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    )
    _no_names(text)


@pytest.mark.parametrize("use", ["role", "wave", "department"])
def test_a_stored_mapping_with_a_pii_group_column_drops_that_use(use):
    data = Schema(**{use: "氏名"}, pii=("氏名",)).to_dict()
    schema = Schema.from_dict(data)
    assert getattr(schema, use) is None
    assert any("個人情報" in note for note in schema.notes)


def test_pii_items_and_free_text_are_dropped_too():
    data = {
        "items": [{"column": "メール", "scale": "agree5"}],
        "free_text": ["メール", "感想"],
        "pii": ["メール"],
        "respondent": "メール",  # an e-mail that links waves stays the (hidden) ID
    }
    schema = Schema.from_dict(data)
    assert schema.items == () and schema.free_text == ("感想",)
    assert schema.respondent == "メール"
