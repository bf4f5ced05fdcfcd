"""``python -m analysis``: the command line other tools and tests rely on.

Every command prints one readable Japanese line to stderr and exits 1 on a bad
file; it never prints a traceback for a user's mistake.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from analysis.errors import SurveyError
from analysis.load import FORMAT_NAMES_JA
from analysis.schema import FIELD_NAMES_JA, Field, Survey, load_survey


def inspect_payload(survey: Survey) -> dict:
    """What was understood, as the ``inspect --json`` contract."""
    schema = survey.schema
    return {
        "format": survey.table.format.value,
        "encoding": survey.table.encoding,
        "n_responses": len(survey.frame),
        "columns": {
            "respondent": schema.respondent,
            "role": schema.role,
            "wave": schema.wave,
            "department": schema.department,
            "likert": [item.column for item in schema.items],
            "free_text": list(schema.free_text),
            "pii": list(schema.pii),
        },
        "items": [
            {"column": i.column, "label": i.label, "points": i.points, "reverse": i.reverse}
            for i in schema.items
        ],
        "warnings": list(survey.warnings),
    }


def inspect_summary(survey: Survey) -> str:
    """What was understood, as a short Japanese report."""
    schema, table = survey.schema, survey.table
    lines = [
        f"ファイル: {survey.name}",
        f"形式: {FORMAT_NAMES_JA[table.format]}（文字コード {table.encoding}）",
        f"回答数: {len(survey.frame):,}件 / 列数: {len(survey.frame.columns)}",
    ]
    for name in (Field.ROLE, Field.WAVE, Field.DEPARTMENT, Field.RESPONDENT):
        column = getattr(schema, name.value)
        lines.append(f"{FIELD_NAMES_JA[name]}: {column or '（見つかりません）'}")
    if survey.waves:
        lines.append(f"回答時期の順序: {' → '.join(survey.waves)}")
    lines.append(f"尺度項目: {len(schema.items)}件")
    for item in schema.items:
        mark = "（逆転）" if item.reverse else ""
        lines.append(f"  - {item.label}［{item.points}件法］{mark}")
    lines.append(f"自由記述: {len(schema.free_text)}件")
    lines += [f"  - {column}" for column in schema.free_text]
    lines.append(f"個人情報として隠す列: {'、'.join(schema.pii) or 'なし'}")
    if survey.warnings:
        lines.append("注意:")
        lines += [f"  - {note}" for note in survey.warnings]
    return "\n".join(lines)


def _inspect(args: argparse.Namespace) -> str:
    survey = load_survey(args.file, encoding=args.encoding)
    return _dump(inspect_payload(survey)) if args.json else inspect_summary(survey)


def _dump(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)


COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], str]]] = {
    "inspect": ("ファイルから読み取れた構造を表示する", _inspect),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis", description="Kakehashi（架け橋）アンケート分析"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text)
        command.add_argument("file", help="CSV / TSV / XLSX")
        command.add_argument("--encoding", help="文字コードを指定（例: cp932）")
        command.add_argument("--json", action="store_true", help="JSON で出力")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        output = COMMANDS[args.command][1](args)
    except SurveyError as error:
        print(f"エラー: {error}", file=sys.stderr)
        return 1
    print(output)
    return 0
