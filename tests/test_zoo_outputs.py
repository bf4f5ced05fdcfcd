"""Every export of the zoo runs through the analyses without an error or a library warning.

Issue 15: valid files printed scipy's "Precision loss" warnings on stderr, and a
real Qualtrics export whose two grids share a statement ended in an error
(items are keyed by statement).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis import gaps, trends
from analysis.schema import load_survey

ROOT = Path(__file__).resolve().parents[1]
ZOO = ROOT / "tests" / "data" / "exports"
FILES = sorted(p for p in ZOO.iterdir() if p.suffix in (".csv", ".xlsx"))


@pytest.mark.filterwarnings("error::RuntimeWarning", "error::UserWarning")  # not ResourceWarning:
# an earlier test's database connection may be collected here
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_gaps_and_trends_run_on_every_zoo_file(path):
    survey = load_survey(path)
    labels = [item.label for item in survey.schema.items]
    assert len(labels) == len(set(labels)), "every statement is told apart"
    answers = survey.answers()
    for wave in survey.waves or [None]:
        part = answers if wave is None else answers[answers["wave"] == wave]
        payload = gaps.gaps_payload(part, min_group=1)
        assert {row["item"] for row in payload["items"]} <= set(labels)
    if len(survey.waves) > 1:
        assert trends.trends_payload(answers, waves=survey.waves, min_group=1)["cells"]


@pytest.mark.parametrize("command", ["gaps", "trends"])
def test_the_cli_prints_nothing_on_stderr_for_a_valid_file(command):
    path = ZOO / "ja_google_forms_numeric5.csv"  # groups with no spread: scipy used to warn
    result = subprocess.run(
        [sys.executable, "-m", "analysis", command, str(path), "--min-group", "1"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0 and result.stderr == ""
