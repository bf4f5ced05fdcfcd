"""``python -m analysis``: the command line other tools and tests rely on.

Every command prints one readable Japanese line to stderr and exits 1 on a bad
file; it never prints a traceback for a user's mistake.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import SurveyError
from analysis.load import FORMAT_NAMES_JA
from analysis.privacy import MIN_GROUP_COMMENTS, MIN_GROUP_SCORES, NO_ANSWER
from analysis.schema import FIELD_NAMES_JA, Field, Survey, load_survey

if TYPE_CHECKING:
    from analysis.store import StoredThemes
    from analysis.themes import Theme


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
        "mapping": schema.to_dict(),  # what `--mapping FILE.json` accepts (this whole file too)
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


def survey_with_mapping(
    path: str | Path, mapping_path: str | Path | None = None, encoding: str | None = None
) -> Survey:
    """A file read as a survey: with the mapping pinned in ``mapping_path``, or inferred.

    The mapping file holds ``inspect --json`` output or a bare mapping
    (:func:`analysis.mapping.read_mapping`); its sheet is the one read, and a
    column it names that the file lacks is a :class:`SurveyError` naming both.
    """
    if mapping_path is None:
        return load_survey(path, encoding=encoding)
    from analysis.load import read_survey
    from analysis.mapping import check_mapping, read_mapping

    schema = read_mapping(mapping_path)
    table = read_survey(path, encoding=encoding, sheet=schema.sheet)
    check_mapping(table, schema, source=Path(mapping_path).name)
    return Survey(table, schema)


def _inspect(args: argparse.Namespace) -> str:
    survey = survey_with_mapping(args.file, args.mapping, args.encoding)
    return _dump(inspect_payload(survey)) if args.json else inspect_summary(survey)


def _dump(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)


def report_survey(
    paths: Sequence[str], *, encoding: str | None = None, mapping: str | None = None
) -> Survey:
    """One survey from one file, or from several (one per wave, or each with a wave column).

    Several files are joined with :func:`analysis.store.combine_uploads`; a
    file without a wave column becomes the wave named after its file stem.
    A ``mapping`` file applies to each of them.
    """
    if len(paths) == 1:
        return survey_with_mapping(paths[0], mapping, encoding)
    from analysis.store import combine_uploads, wave_counts

    uploads = []
    for path in paths:
        survey = survey_with_mapping(path, mapping, encoding)
        waves = wave_counts(survey.table, survey.schema, Path(path).stem)  # as a stored upload's
        uploads.append((survey.table, survey.schema, [(value, label) for value, label, _ in waves]))
    return combine_uploads(uploads, name=Path(paths[0]).stem)


def _report(args: argparse.Namespace) -> str:
    from pptx import Presentation

    from analysis.deck import build_deck

    survey = report_survey(args.file, encoding=args.encoding, mapping=args.mapping)
    deck = build_deck(
        survey,
        wave=args.wave,
        min_group=args.min_group,
        min_comments=args.min_comments,
        k_topics=args.k_topics,
        themes=_dictionary(args).themes,
    )
    out = Path(args.out) if args.out else Path.cwd() / f"{Path(args.file[0]).stem}_deck.pptx"
    out.write_bytes(deck)
    slides = len(Presentation(io.BytesIO(deck)).slides)
    return f"スライド{slides}枚を書き出しました: {out}"


def _at_least_one(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"1以上の整数を指定してください: {text}")
    return int(text)


def _report_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", nargs="+", help="CSV / TSV / XLSX（回答時期ごとに複数可）")
    command.add_argument("--encoding", help="文字コードを指定（例: cp932）")
    _mapping_argument(command)
    command.add_argument(
        "--min-group",
        type=_at_least_one,
        default=MIN_GROUP_SCORES,
        help=f"これより少ない人数のグループは表示しない（既定 {MIN_GROUP_SCORES}）",
    )
    command.add_argument(
        "--min-comments",
        type=_at_least_one,
        default=MIN_GROUP_COMMENTS,
        help=f"自由記述を引用する最小の回答数（既定 {MIN_GROUP_COMMENTS}）",
    )
    command.add_argument("--wave", help="役割間のギャップを見る回答時期（既定: 最初の時期）")
    command.add_argument("--k-topics", type=_at_least_one, help="自由記述の話題の数（既定: 自動）")
    command.add_argument("--out", help="出力先 .pptx（既定: <最初のファイル名>_deck.pptx）")  # fmt: skip
    _database_argument(command)


def _database_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--database-url",
        help="テーマ辞書を読むデータベース（既定: $KAKEHASHI_DATABASE_URL、なければ data/kakehashi.db。"
        "人事が設定画面で編集した辞書がなければ analysis/themes.toml）",
    )


def _dictionary(args: argparse.Namespace) -> StoredThemes:
    """The theme dictionary the app uses: HR's from the database, else ``themes.toml``."""
    from analysis.store import configured_themes

    return configured_themes(args.database_url)


class _DictionaryThemes(Sequence["Theme"]):
    """The themes of :func:`_dictionary`, read on first use.

    Only a small question's topics use the theme dictionary, so a large one never
    opens the database (or imports what reading it needs).
    """

    def __init__(self, args: argparse.Namespace) -> None:
        self._args = args
        self._themes: Sequence[Theme] | None = None

    def _read(self) -> Sequence[Theme]:
        if self._themes is None:
            self._themes = _dictionary(self._args).themes
        return self._themes

    def __getitem__(self, index):  # type: ignore[override]  # int or slice, as the list's
        return self._read()[index]

    def __len__(self) -> int:
        return len(self._read())


def _dictionary_source(dictionary: StoredThemes) -> str:
    if dictionary.saved_at is None:
        return "テーマ辞書: 標準（analysis/themes.toml）"
    return f"テーマ辞書: 設定画面で編集した辞書（{dictionary.saved_at:%Y-%m-%d %H:%M} UTC 保存）"


def _mapping_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--mapping",
        metavar="FILE.json",
        help="列の対応付けを固定する JSON（inspect --json の出力、またはその mapping）",
    )


def _file_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", help="CSV / TSV / XLSX")
    command.add_argument("--encoding", help="文字コードを指定（例: cp932）")
    _mapping_argument(command)
    command.add_argument("--json", action="store_true", help="JSON で出力")


def _number(value: float | None, digits: int = 2, *, missing: str = "非表示") -> str:
    """A published number; ``missing`` where it is not shown (hidden, or not defined)."""
    return missing if value is None else f"{value:.{digits}f}"


def _short_reason(reason: str) -> str:
    """「経営層は5人未満のため表示していません」 -> 「経営層は5人未満」, for a line of text."""
    for tail in ("のため表示していません", "、あわせて非表示にしています"):
        if reason.endswith(tail):
            return reason.removesuffix(tail)
    return reason


def _cell_text(cell: dict) -> str:
    """A role's mean, or why there is none: 「非表示（経営層は5人未満）」 or 「回答なし」."""
    if cell["mean"] is not None:
        return _number(cell["mean"])
    reason = cell.get("reason")
    if reason == NO_ANSWER:
        return NO_ANSWER
    return f"非表示（{_short_reason(reason)}）" if reason else "非表示"


def _gaps(args: argparse.Namespace) -> str:
    from analysis.gaps import gaps_payload
    from analysis.pipeline import wave_answers

    survey = survey_with_mapping(args.file, args.mapping, args.encoding)
    wave = args.wave
    if wave is not None and wave not in survey.waves:
        raise SurveyError(
            f"回答時期「{wave}」はありません（{'、'.join(survey.waves) or 'なし'}）。"
        )
    if wave is None and len(survey.waves) > 1:
        wave = survey.waves[0]  # one wave at a time: a person never counts twice
    payload = gaps_payload(wave_answers(survey, wave), min_group=args.min_group)
    if args.json:
        return _dump(payload)
    lines = [f"役割間のギャップ（{wave or '全回答'}、{args.min_group}人未満のグループは非表示）"]
    if payload["isolation"]:
        lines.append(f"（{payload['isolation_rule']}）")
    for item in dict.fromkeys(row["item"] for row in payload["items"]):
        cells = [row for row in payload["items"] if row["item"] == item]
        firm = payload["isolation_firm"].get(item)
        flag = {True: "　◆管理職だけが違う", False: "　◇管理職だけが違う傾向"}.get(firm, "")
        lines.append(f"■ {item}{flag}")
        lines.append("   " + " / ".join(f"{c['role']} {_cell_text(c)}" for c in cells))
        for pair in (
            p for p in payload["pairs"] if p["item"] == item and p["effect_size"] is not None
        ):
            lines.append(
                f"   {pair['a']}−{pair['b']}: 差 {pair['diff']:+.2f}、g = {pair['effect_size']:.2f}"
                f"（95%CI {pair['effect_ci'][0]:.2f}〜{pair['effect_ci'][1]:.2f}）、補正p {_p_relation(pair['p_adj'])}"
            )
    return "\n".join(lines)


def _trends(args: argparse.Namespace) -> str:
    from analysis.trends import trends_payload

    survey = survey_with_mapping(args.file, args.mapping, args.encoding)
    if len(survey.waves) < 2:
        raise SurveyError("回答時期が2つ以上ないため、変化は計算できません。", file=survey.name)
    payload = trends_payload(survey.answers(), waves=survey.waves, min_group=args.min_group)
    if args.json:
        return _dump(payload)
    lines = [
        f"研修前後の変化（{' → '.join(survey.waves)}、{args.min_group}人未満のグループは非表示）",
        "■ 回答時期ごとの平均（対応なし: その時期に答えた全員）",
    ]
    for cell in payload["cells"]:
        shown = "非表示" if cell["mean"] is None else f"{cell['mean']:.2f}（{cell['n']}人）"
        lines.append(f"   {cell['role']}「{cell['item']}」{cell['wave']}: {shown}")
    lines.append("■ 対応のある変化（両方の時期に答えた人）")
    paired = [change for change in payload["paired"] if change["diff"] is not None]
    for change in paired:
        lines.append(
            f"   {change['role']}「{change['item']}」{change['from']}→{change['to']}: "
            f"{change['diff']:+.2f}（d_z = {_number(change['effect_size'], missing='—')}、{change['n_pairs']}組、"
            f"p {_p_relation(change['p'])}）"
        )
    if not paired:
        lines.append("   回答者IDで回答時期をつなげないため、対応のある比較はありません。")
    return "\n".join(lines)


def _p_relation(p: float | None) -> str:
    """「= 0.031」 or 「< 0.001」, to follow 「p」."""
    shown = _p_value(p)
    return shown if shown.startswith("<") else f"= {shown}"


def _p_value(p: float | None) -> str:
    """A p value as a person reads it: 「p < 0.001」 rather than 0.

    >>> _p_value(0.0), _p_value(0.0314), _p_value(None)
    ('< 0.001', '0.0314', '—')
    """
    if p is None:
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.3g}"


def _topics(args: argparse.Namespace) -> str:
    from analysis.pipeline import topic_model
    from analysis.text import start_workers_for

    survey = survey_with_mapping(args.file, args.mapping, args.encoding)
    column = _free_text_column(survey, args.column)
    start_workers_for(survey.frame[column].nunique())  # they start while the answers are read
    themes = _DictionaryThemes(args)  # read only if the question is small enough to need it
    result = topic_model(survey, column, k=args.k, min_group=args.min_comments, themes=themes)
    if args.json:
        return _dump(result.to_dict())
    lines = [f"「{survey.table.label(column)}」の話題（{result.k}個）"]
    lines += [f"（{note}）" for note in result.notes]
    for topic in result.topics.itertuples(index=False):
        lines.append(f"■ {topic.label}（{topic.size}件）: {'、'.join(topic.terms[:6])}")
        lines += [f"   - {example}" for example in topic.examples]
    return "\n".join(lines)


def _themes(args: argparse.Namespace) -> str:
    from analysis.pipeline import theme_table

    survey = survey_with_mapping(args.file, args.mapping, args.encoding)
    column = _free_text_column(survey, args.column)
    dictionary = _dictionary(args)
    table = theme_table(survey, column, min_group=args.min_comments, themes=dictionary.themes)
    if args.json:
        saved = dictionary.saved_at.isoformat() if dictionary.saved_at else None
        return _dump({
            "column": column,
            "dictionary": {"saved_at": saved, "themes": [e.name for e in dictionary.entries]},
            "counts": table.to_dict(orient="records"),
        })  # fmt: skip
    lines = [
        f"「{survey.table.label(column)}」のテーマ別の件数（{_dictionary_source(dictionary)}）"
    ]
    if table.empty:
        lines.append(f"（回答が{args.min_comments}件以上のグループがありません）")
    from analysis.gaps import order_roles

    roles = {r: i for i, r in enumerate(order_roles(table["role"].unique()))}
    waves = {w: i for i, w in enumerate(survey.waves)}
    groups = sorted(
        table.groupby(["role", "wave"], sort=False),
        key=lambda g: (roles[g[0][0]], waves.get(g[0][1], len(waves))),
    )
    for (role, wave), rows in groups:
        lines.append(f"■ {role}｜{wave}（回答 {rows['n_answers'].iloc[0]}件）")
        lines += [
            f"   {r.theme}: {r.n_mentions}件（{r.share:.0%}）" for r in rows.itertuples(index=False)
        ]
    return "\n".join(lines)


def _free_text_column(survey: Survey, wanted: str) -> str:
    """A free-text column given by its header or its statement.

    A column read as something else (a scale, the department, personal information ...)
    is refused with what it was read as: its answers are no comments to quote.
    """
    candidates = "、".join(f"「{c}」" for c in survey.schema.free_text) or "なし"
    for column in survey.frame.columns:
        if wanted in (column, survey.table.label(column)):
            field = survey.schema.field_of(column)
            if field is Field.FREE_TEXT:
                return column
            raise SurveyError(
                f"列「{wanted}」は自由記述ではなく「{FIELD_NAMES_JA[field]}」として読み取りました。"
                f"自由記述の列: {candidates}（読み取りを変えるには --mapping で対応表を指定します）",
                file=survey.name,
            )
    raise SurveyError(f"列「{wanted}」がありません。自由記述の列: {candidates}", file=survey.name)


def _threshold_arguments(command: argparse.ArgumentParser) -> None:
    _file_arguments(command)
    command.add_argument(
        "--min-group",
        type=_at_least_one,
        default=MIN_GROUP_SCORES,
        help=f"これより少ない人数のグループは表示しない（既定 {MIN_GROUP_SCORES}）",
    )


def _gaps_arguments(command: argparse.ArgumentParser) -> None:
    _threshold_arguments(command)
    command.add_argument("--wave", help="回答時期（既定: 最初の時期）")


def _free_text_arguments(command: argparse.ArgumentParser, *, shown: str) -> None:
    """FILE, --column and --min-comments (``shown``: what the threshold allows), --database-url."""
    _file_arguments(command)
    command.add_argument("--column", required=True, help="自由記述の列（見出しまたは設問文）")
    command.add_argument(
        "--min-comments",
        type=_at_least_one,
        default=MIN_GROUP_COMMENTS,
        help=f"{shown}最小の回答数（既定 {MIN_GROUP_COMMENTS}）",
    )
    _database_argument(command)


def _topics_arguments(command: argparse.ArgumentParser) -> None:
    _free_text_arguments(command, shown="例を引用する")
    command.add_argument("--k", type=_at_least_one, help="話題の数（既定: 自動）")


def _themes_arguments(command: argparse.ArgumentParser) -> None:
    _free_text_arguments(command, shown="件数を表示する")


COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], str]]] = {
    "inspect": ("ファイルから読み取れた構造を表示する", _inspect),
    "gaps": ("役割間のギャップ（効果量・補正p値・管理職の孤立）", _gaps),
    "trends": ("回答時期ごとの平均と、対応のある変化", _trends),
    "topics": ("自由記述の話題と役割×時期ごとの割合", _topics),
    "themes": ("自由記述のテーマ別の件数（テーマ辞書）", _themes),
    "report": ("研修用のスライド（PowerPoint）を作る", _report),
}
# Commands whose arguments differ from the default (one file, --encoding, --json).
ARGUMENTS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "gaps": _gaps_arguments,
    "trends": _threshold_arguments,
    "topics": _topics_arguments,
    "themes": _themes_arguments,
    "report": _report_arguments,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis", description="Kakehashi（架け橋）アンケート分析"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text)
        ARGUMENTS.get(name, _file_arguments)(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        output = COMMANDS[args.command][1](args)
    except SurveyError as error:
        print(f"エラー: {error}", file=sys.stderr)
        return 1
    except (
        Exception
    ) as error:  # a bug of ours: one line, never a traceback (KAKEHASHI_DEBUG=1 shows it)
        if os.environ.get("KAKEHASHI_DEBUG"):
            raise
        print(
            f"エラー: 予期しない問題で処理を続けられませんでした（{type(error).__name__}）。"
            "お手数ですが、使ったファイルとこの表示を開発チームにお知らせください。",
            file=sys.stderr,
        )
        return 2
    try:
        print(output)
    except BrokenPipeError:  # `... | head`: the reader has gone, nothing left to say
        sys.stderr.close()
    return 0
