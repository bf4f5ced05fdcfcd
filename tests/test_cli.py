"""`python -m analysis inspect`: the JSON contract, the Japanese summary, and errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import exports
import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture
def google_file(tmp_path: Path) -> Path:
    path = tmp_path / "google.csv"
    path.write_bytes(exports.google_forms_csv())
    return path


def test_inspect_json_follows_the_contract(google_file):
    result = run("inspect", str(google_file), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["format"] == "google_forms"
    assert payload["encoding"] == "utf-8"
    assert payload["n_responses"] == len(exports.ROWS)
    columns = payload["columns"]
    assert (columns["role"], columns["wave"], columns["department"]) == ("役職", "回答時期", "部署")
    assert columns["respondent"] == "社員番号"
    assert set(columns["pii"]) == {"メールアドレス", "社員番号"}
    assert columns["free_text"] == [exports.FREE_QUESTION]
    assert [item["label"] for item in payload["items"]] == list(exports.STATEMENTS)
    assert [item["reverse"] for item in payload["items"]] == [False, True]
    assert all(item["points"] == 5 for item in payload["items"])
    assert columns["likert"] == [item["column"] for item in payload["items"]]
    assert payload["warnings"] == []


def test_inspect_summary_is_japanese(google_file):
    result = run("inspect", str(google_file))
    assert result.returncode == 0, result.stderr
    assert "形式: Google フォーム" in result.stdout
    assert "回答時期の順序: 研修前 → 研修後" in result.stdout
    assert "（逆転）" in result.stdout


def test_encoding_override(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(exports.plain_csv("cp932"))
    result = run("inspect", str(path), "--encoding", "cp932", "--json")
    assert json.loads(result.stdout)["encoding"] == "cp932"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "ファイルが空です"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG画像"),
        ("役職,感想\n".encode(), "見出し行だけ"),
    ],
)
def test_bad_files_exit_non_zero_with_one_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run("inspect", str(path), "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.csv" in lines[0] and message in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not REALDATA.exists(), reason="../shared/realdata not present")
def test_inspect_real_cp932_file():
    result = run("inspect", str(REALDATA / "daily_20220501_cp932_2row_header.csv"), "--json")
    payload = json.loads(result.stdout)
    assert (payload["encoding"], payload["n_responses"]) == ("cp932", 163)
    assert "満足度の理由" in payload["columns"]["free_text"]
    assert payload["columns"]["role"] is None
