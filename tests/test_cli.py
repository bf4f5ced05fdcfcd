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


SAMPLE = ROOT / "sample_data" / "ai_survey_google_forms.csv"
EASIER = "AIで自分の仕事が楽になると思う"
ALONE = "AI導入を自分ひとりで抱え込んでいると感じる"
CONSULT = "AIについて相談できる相手がいる"


def test_gaps_json_shows_the_planted_gap_and_isolation():
    result = run("gaps", str(SAMPLE), "--wave", "研修前", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    means = {(c["item"], c["role"]): c["mean"] for c in payload["items"]}
    assert means[(EASIER, "経営層")] == pytest.approx(4.08, abs=0.05)  # sample_data/README.md
    assert means[(EASIER, "一般社員")] == pytest.approx(2.59, abs=0.05)
    pair = next(
        p
        for p in payload["pairs"]
        if p["item"] == EASIER and (p["a"], p["b"]) == ("経営層", "一般社員")
    )
    assert pair["diff"] == pytest.approx(means[(EASIER, "経営層")] - means[(EASIER, "一般社員")])
    assert pair["effect_size"] > 1 and pair["effect_ci"][0] > 0 and pair["p_adj"] < 0.001
    assert {ALONE, CONSULT} <= set(payload["isolation"])
    assert set(payload["items"][0]) == {
        "item",
        "role",
        "n",
        "mean",
        "score100",
        "favourable",
        "midpoint",
        "suppressed",
        "reason",
    }


def test_gaps_hide_groups_under_the_threshold():
    payload = json.loads(
        run("gaps", str(SAMPLE), "--wave", "研修前", "--min-group", "30", "--json").stdout
    )
    executives = [c for c in payload["items"] if c["role"] == "経営層"]  # 24 people < 30
    assert executives and all(
        c["suppressed"] and c["mean"] is None and c["n"] == 0 for c in executives
    )
    assert all(p["diff"] is None for p in payload["pairs"] if "経営層" in (p["a"], p["b"]))


def _planted(payload: dict) -> dict:
    return next(
        p for p in payload["paired"]
        if (p["role"], p["item"], p["from"], p["to"]) == ("一般社員", EASIER, "研修前", "研修後")
    )  # fmt: skip


def test_trends_json_holds_back_a_paired_change_a_few_people_would_give_away():
    """The sample loses 1-4 people of a role between waves: whole minus paired is them."""
    result = run("trends", str(SAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    change = _planted(json.loads(result.stdout))
    assert change["diff"] is None and "差し引きで分かる" in change["note"]


def test_trends_json_shows_the_planted_change():
    result = run("trends", str(SAMPLE), "--json", "--min-group", "1")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    change = _planted(payload)
    assert change["diff"] == pytest.approx(0.61, abs=0.1) and change["n_pairs"] > 150
    assert change["p"] < 0.001 and change["effect_size"] > 0.3
    cells = {(c["role"], c["wave"], c["item"]): c for c in payload["cells"]}
    before = cells[("一般社員", "研修前", EASIER)]
    assert before["ci"][0] < before["mean"] < before["ci"][1]


def test_topics_json_follows_the_contract():
    column = "AIを活用できそうな業務やアイデアがあればお書きください。"
    result = run("topics", str(SAMPLE), "--column", column, "--k", "4", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert len(payload["assignments"]) == 867
    assert len(payload["topics"]) == 4
    assert sum(t["size"] for t in payload["topics"]) == sum(
        a is not None for a in payload["assignments"]
    )
    assert {s["role"] for s in payload["shares"]} == {"経営層", "管理職", "一般社員"}
    text = json.dumps(payload, ensure_ascii=False)
    assert "@" not in text and "090-1234-5678" not in text


def test_topics_names_the_free_text_columns_when_the_column_is_wrong():
    result = run("topics", str(SAMPLE), "--column", "ない列")
    assert result.returncode == 1
    assert "自由記述の列" in result.stderr and "Traceback" not in result.stderr


SCALE_STATEMENT = "AIで自分の仕事が楽になると思う"  # a Likert item of the sample, by its statement


@pytest.mark.parametrize("command", ["topics", "themes"])
@pytest.mark.parametrize(
    ("column", "read_as"),
    [(SCALE_STATEMENT, "尺度項目"), ("部署", "部署"), ("メールアドレス", "個人情報（表示しない）")],
)
def test_a_column_that_is_no_free_text_is_refused_with_its_reading(command, column, read_as):
    result = run(command, str(SAMPLE), "--column", column)
    assert result.returncode == 1 and result.stdout == ""
    assert f"「{read_as}」として読み取りました" in result.stderr, result.stderr
    assert "自由記述の列: 「" in result.stderr and "Traceback" not in result.stderr
    assert "@" not in result.stderr  # no address was quoted


@pytest.mark.skipif(not REALDATA.exists(), reason="../shared/realdata not present")
def test_a_real_scale_column_is_refused_until_the_mapping_says_free_text(tmp_path):
    """満足度 (a 5-point scale in the real export) is no comment to cluster; marked 自由記述
    in a pinned mapping, the same column is accepted."""
    path = REALDATA / "monthly_202301_utf8bom.csv"
    refused = run("themes", str(path), "--column", "満足度")
    assert refused.returncode == 1 and "「尺度項目」として読み取りました" in refused.stderr
    inspected = json.loads(run("inspect", str(path), "--json").stdout)
    mapping = inspected["mapping"]
    mapping["items"] = [i for i in mapping["items"] if i["column"] != "満足度"]
    mapping["free_text"] = [*mapping["free_text"], "満足度"]
    pinned = tmp_path / "mapping.json"
    pinned.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    accepted = run("themes", str(path), "--column", "満足度", "--mapping", str(pinned))
    assert accepted.returncode == 0, accepted.stderr


@pytest.mark.skipif(not REALDATA.exists(), reason="../shared/realdata not present")
@pytest.mark.parametrize(
    "name", ["daily_20220501_cp932_2row_header.csv", "monthly_202301_utf8bom.csv"]
)
def test_topics_on_real_exports(name):
    result = run("topics", str(REALDATA / name), "--column", "満足度の理由", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["topics"] and payload["shares"] == []  # no role or wave in these files


def test_trends_text_survives_a_paired_change_with_no_spread(tmp_path):
    """Issue 15: `trends` in text mode ended in a TypeError when d_z was undefined."""
    lines = ["社員番号,役職,回答時期,AIで仕事が楽になると思う"]
    for person in range(6):  # everyone moves exactly one box up: no spread in the change
        lines.append(f"E{person},管理職,研修前,どちらともいえない")
        lines.append(f"E{person},管理職,研修後,そう思う")
    path = tmp_path / "flat.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("trends", str(path))
    assert result.returncode == 0, result.stderr
    assert "回答時期ごとの平均" in result.stdout and "対応のある変化" in result.stdout
    assert "+1.00（d_z = —、6組" in result.stdout


def test_an_unexpected_error_is_one_line_without_a_traceback(monkeypatch, capsys, google_file):
    from analysis import cli

    def broken(_args):
        raise TypeError("a bug")

    monkeypatch.setitem(cli.COMMANDS, "inspect", ("", broken))
    monkeypatch.delenv("KAKEHASHI_DEBUG", raising=False)
    assert cli.main(["inspect", str(google_file)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("エラー: ") and "Traceback" not in err
