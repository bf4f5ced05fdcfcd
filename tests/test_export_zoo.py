"""The export zoo: survey exports the team did not write, each with its expected meaning.

Every ``tests/data/exports/<file>.expected.json`` names the file beside it and says
what a careful HR analyst reads in its columns (format, respondent, role, wave,
department, Likert items with points and reverse-wording, free text, PII, and
role values that map to a tier). This module checks ``load_survey`` against each.
Files and sources: ``tests/data/exports/README.md``.

    .venv/bin/python tests/test_export_zoo.py   # summary: how many files are fully understood
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python tests/test_export_zoo.py` from anywhere
    sys.path.insert(0, str(ROOT))

ZOO = ROOT / "tests" / "data" / "exports"
EXPECTED = sorted(ZOO.glob("*.expected.json"))
SUFFIX = ".expected.json"


def _data_file(expected: Path) -> Path:
    return expected.with_name(expected.name[: -len(SUFFIX)])


def _meaning(spec: dict, column: str) -> str:
    """A column's meaning as one short phrase, from an expectation or a schema-like dict."""
    if column == spec.get("respondent"):
        return "respondent"
    for name in ("role", "wave", "department"):
        if column == spec.get(name):
            return name
    for item in spec.get("items", ()):
        if item["column"] == column:
            return f"item({item['points']}pt{', reverse' if item['reverse'] else ''})"
    if column in spec.get("free_text", ()):
        return "free_text"
    if column in spec.get("pii", ()):
        return "pii"
    return "other"


def _got(survey) -> dict:
    """What the app inferred, in the shape of an expectation."""
    schema = survey.schema
    return {
        "format": survey.table.format.value,
        "sheet": getattr(schema, "sheet", None),
        "respondent": schema.respondent,
        "role": schema.role,
        "wave": schema.wave,
        "department": schema.department,
        "items": [
            {"column": i.column, "points": i.points, "reverse": bool(i.reverse)}
            for i in schema.items
        ],
        "free_text": list(schema.free_text),
        "pii": list(schema.pii),
        "role_tiers": dict(getattr(schema, "role_tiers", {}) or {}),
    }


def _key(value: str) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def mismatches(expected_path: Path) -> list[str]:
    """Every way the app's reading of one zoo file differs from its expectation."""
    from analysis.schema import load_survey

    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    path = _data_file(expected_path)
    try:
        survey = load_survey(path, encoding=expected.get("encoding"))
    except Exception as error:  # a file the app refuses is a mismatch too, not a crash
        return [f"load_survey failed: {type(error).__name__}: {error}"]
    got = _got(survey)
    out = []
    if got["format"] != expected["format"]:
        out.append(f"format: expected {expected['format']!r}, got {got['format']!r}")
    if expected.get("sheet") is not None and got["sheet"] != expected["sheet"]:
        out.append(f"sheet: expected {expected['sheet']!r}, got {got['sheet']!r}")
    columns = list(survey.frame.columns)
    named = [expected.get(k) for k in ("respondent", "role", "wave", "department")]
    named += [i["column"] for i in expected.get("items", ())]
    named += list(expected.get("free_text", ())) + list(expected.get("pii", ()))
    for column in [c for c in named if c and c not in columns]:
        out.append(
            f"column {column!r}: expected {_meaning(expected, column)}, got (no such column)"
        )
    for column in columns:
        want, have = _meaning(expected, column), _meaning(got, column)
        if want != have:
            out.append(f"column {column!r}: expected {want}, got {have}")
    tiers = {_key(k): v for k, v in got["role_tiers"].items()}
    for value, tier in (expected.get("role_tiers") or {}).items():
        if tiers.get(_key(value)) != tier:
            out.append(f"role tier {value!r}: expected {tier!r}, got {tiers.get(_key(value))!r}")
    return out


def zoo_report() -> tuple[int, int, list[tuple[str, list[str]]]]:
    """(files fully understood, files in the zoo, [(file, its mismatches), ...])."""
    results = [(_data_file(p).name, mismatches(p)) for p in EXPECTED]
    return sum(not m for _, m in results), len(results), results


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: _data_file(p).name)
def test_export_is_understood(expected_path: Path) -> None:
    found = mismatches(expected_path)
    name = _data_file(expected_path).name
    assert not found, f"{name}: {len(found)} difference(s)\n  " + "\n  ".join(found)


def test_zoo_is_complete() -> None:
    """Every data file in the zoo has an expectation, and every expectation a file."""
    data = {p.name for p in ZOO.iterdir() if p.suffix in (".csv", ".xlsx", ".tsv")}
    described = {_data_file(p).name for p in EXPECTED}
    assert data == described
    assert len(described) >= 6


if __name__ == "__main__":
    ok, total, results = zoo_report()
    for name, found in results:
        print(f"{'OK  ' if not found else 'FAIL'} {name}")
        for line in found:
            print(f"       {line}")
    print(f"\n{ok} of {total} files fully understood")
