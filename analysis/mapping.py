"""A column mapping as HR reads it: a summary, its role values, what changed, and pinned files.

The mapping itself is a :class:`~analysis.schema.Schema`; this module puts it in
words for the mapping editor and the settings page, checks it against a file,
and reads the mapping a command-line user pins with ``--mapping FILE.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analysis import likert
from analysis.errors import SurveyError
from analysis.gaps import order_roles
from analysis.load import MAX_FILE_BYTES, Table
from analysis.schema import FIELD_NAMES_JA, Field, Schema, Survey, group_value

KEEP_ROLE = "そのまま"  # a role value analysed as written, not as a tier
CONFIDENCE_LEVELS = ((0.8, "高"), (0.5, "中"), (0.0, "低"))  # lowest confidence of each level
MANUAL = "手動で変更"  # the reason of a column HR changed
SUMMARY_VALUES = 4  # role or wave values named in the summary before 「ほか」


def scale_label(name: str) -> str:
    """How a scale is offered: points and its two ends.

    >>> scale_label("agree5")
    '5件法（まったくそう思わない〜とてもそう思う）'
    >>> scale_label("numeric7")
    '7件法（1〜7）'
    """
    scale = likert.SCALES_BY_NAME[name]
    return f"{scale.points}件法（{scale.labels[0]}〜{scale.labels[-1]}）"


SCALE_LABELS = {scale.name: scale_label(scale.name) for scale in likert.SCALES}
"""Every scale's offered label, by name (each label names one scale)."""


def confidence_level(value: float | None) -> str:
    """「高」「中」「低」 for a confidence of 0-1; blank when there is none.

    >>> [confidence_level(v) for v in (0.95, 0.6, 0.2, None)]
    ['高', '中', '低', '']
    """
    if value is None:
        return ""
    return next(label for floor, label in CONFIDENCE_LEVELS if value >= floor)


def role_values(table: Table, column: str) -> pd.DataFrame:
    """Distinct values of a role column as analysed (NFKC, stripped), most common first.

    Columns: ``value``, ``n`` (responses). Blank cells are left out.

    >>> from analysis.load import read_survey
    >>> table = read_survey("役職,Q\\n部長,1\\n 部長,2\\n一般,3\\n,4\\n".encode())
    >>> role_values(table, "役職").to_dict("records")
    [{'value': '部長', 'n': 2}, {'value': '一般', 'n': 1}]
    """
    counts = table.frame[column].value_counts(sort=False)  # each written form once, then merged
    merged: Counter[str] = Counter()
    for written, n in counts.items():
        value = group_value(written)
        if not pd.isna(value):
            merged[str(value)] += int(n)
    ordered = sorted(merged.items(), key=lambda pair: -pair[1])
    return pd.DataFrame(ordered, columns=["value", "n"]).astype({"n": "int64"})


def _named(values: list[str]) -> str:
    shown = "・".join(values[:SUMMARY_VALUES])
    return shown + (f" ほか{len(values) - SUMMARY_VALUES}" if len(values) > SUMMARY_VALUES else "")


def _by_scale(schema: Schema) -> str:
    """Items per scale, most first: 「5件法 2」, or the scale's ends when two share points."""
    counts = Counter(item.scale for item in schema.items)
    points = Counter(likert.SCALES_BY_NAME[name].points for name in counts)

    def word(name: str) -> str:
        scale = likert.SCALES_BY_NAME[name]
        return scale_label(name) if points[scale.points] > 1 else f"{scale.points}件法"

    ordered = sorted(  # most items first; more points first among equals
        counts.items(), key=lambda sn: (-sn[1], -likert.SCALES_BY_NAME[sn[0]].points)
    )
    return "・".join(f"{word(name)} {n}" for name, n in ordered)


def mapping_summary(table: Table, schema: Schema) -> str:
    """What will be analysed under ``schema``, in one Japanese line.

    Items by scale and how many are reversed, free-text questions, the role column and
    its groups, the waves, the department column and its count, and the columns kept
    out as personal information (the respondent ID among them), named.

    >>> from analysis.load import read_survey
    >>> from analysis.schema import Item
    >>> table = read_survey("役職,Q1,Q2,感想\\n部長,そう思う,1\\n一般,そう思わない,2\\n".encode())
    >>> schema = Schema(role="役職", items=(Item("Q1", "Q1", 5, True, "agree5"),),
    ...                 role_tiers={"部長": "管理職", "一般": "一般社員"})
    >>> mapping_summary(table, schema)
    '尺度項目 1問（5件法 1、うち逆転 1）、自由記述 0問、役割: 「役職」（管理職・一般社員）、回答時期: なし（全体を1回分）、部署: なし、個人情報: なし'
    """
    survey = Survey(table, schema)
    if schema.items:
        reversed_ = sum(item.reverse for item in schema.items)
        parts = [f"尺度項目 {len(schema.items)}問（{_by_scale(schema)}、うち逆転 {reversed_}）"]
    else:
        parts = ["尺度項目 なし"]
    parts.append(f"自由記述 {len(schema.free_text)}問")
    if schema.role is None:
        parts.append("役割: なし")
    else:
        roles = order_roles(survey.group_values(Field.ROLE))
        parts.append(f"役割: 「{schema.role}」（{_named(roles)}）")
    if schema.wave is None:
        parts.append("回答時期: なし（全体を1回分）")
    else:
        parts.append(f"回答時期: {len(survey.waves)}（{_named(survey.waves)}）")
    if schema.department is None:
        parts.append("部署: なし")
    else:
        departments = survey.group_values(Field.DEPARTMENT).dropna().nunique()
        parts.append(f"部署: 「{schema.department}」（{departments}部署）")
    hidden = list(dict.fromkeys([*schema.pii, *([schema.respondent] if schema.respondent else [])]))
    if hidden:
        parts.append(f"個人情報 {len(hidden)}列は表示しません（{_named(hidden)}）")
    else:
        parts.append("個人情報: なし")
    return "、".join(parts)


def _scale_words(name: str, others: str) -> str:
    """A scale in a change line: its points, with its ends when ``others`` has as many."""
    scale, other = likert.SCALES_BY_NAME[name], likert.SCALES_BY_NAME[others]
    return SCALE_LABELS[name] if scale.points == other.points else f"{scale.points}件法"


def mapping_changes(before: Schema, after: Schema) -> list[str]:
    """What differs between two mappings, one short Japanese line per change.

    >>> from analysis.schema import Item
    >>> old = Schema(role="役職", items=(Item("Q3", "Q3", 5, False, "agree5"),))
    >>> new = Schema(role="職位", items=(Item("Q3", "Q3", 4, True, "agree4"),),
    ...              role_tiers={"部長": "管理職"})
    >>> mapping_changes(old, new)
    ['役割: 役職 → 職位', '尺度: Q3 5件法 → 4件法', '逆転: Q3 なし → あり', '区分: 部長 そのまま → 管理職']
    """
    lines = []
    if before.sheet != after.sheet:
        lines.append(f"シート: {before.sheet or '最初のシート'} → {after.sheet or '最初のシート'}")
    for name, word in ((Field.ROLE, "役割"), (Field.WAVE, "回答時期"), (Field.DEPARTMENT, "部署"),
                       (Field.RESPONDENT, "回答者ID")):  # fmt: skip
        old, new = getattr(before, name.value), getattr(after, name.value)
        if old != new:
            lines.append(f"{word}: {old or 'なし'} → {new or 'なし'}")
    old_items = {item.column: item for item in before.items}
    new_items = {item.column: item for item in after.items}
    for column in [c for c in new_items if c not in old_items]:
        lines.append(f"尺度項目に追加: {column}")
    for column in [c for c in old_items if c not in new_items]:
        lines.append(f"尺度項目から除外: {column}")
    for column in [c for c in new_items if c in old_items]:
        old, new = old_items[column], new_items[column]
        if old.scale != new.scale:
            was, now = _scale_words(old.scale, new.scale), _scale_words(new.scale, old.scale)
            lines.append(f"尺度: {column} {was} → {now}")
        if old.reverse != new.reverse:
            yes_no = {True: "あり", False: "なし"}
            lines.append(f"逆転: {column} {yes_no[old.reverse]} → {yes_no[new.reverse]}")
    for name, attribute in ((Field.FREE_TEXT, "free_text"), (Field.PII, "pii")):
        old_set, new_set = getattr(before, attribute), getattr(after, attribute)
        word = FIELD_NAMES_JA[name]
        lines += [f"{word}に追加: {c}" for c in new_set if c not in old_set]
        lines += [f"{word}から除外: {c}" for c in old_set if c not in new_set]
    for value in dict.fromkeys([*before.role_tiers, *after.role_tiers]):
        old_tier = before.role_tiers.get(value, KEEP_ROLE)
        new_tier = after.role_tiers.get(value, KEEP_ROLE)
        if old_tier != new_tier:
            lines.append(f"区分: {value} {old_tier} → {new_tier}")
    return lines


def missing_columns(table: Table, schema: Schema) -> list[str]:
    """Columns the mapping names that the table lacks, in mapping order."""
    named = [schema.respondent, schema.role, schema.wave, schema.department]
    named += [item.column for item in schema.items] + [*schema.free_text, *schema.pii]
    return [c for c in dict.fromkeys(named) if c and c not in table.frame.columns]


def check_mapping(table: Table, schema: Schema, *, source: str | None = None) -> None:
    """Refuse a mapping that names a column the table lacks, or a scale that does not exist.

    ``source`` names where the mapping came from (a ``--mapping`` file) in the message.
    """
    whose = f"対応付け（{source}）の" if source else "対応付けた"
    missing = missing_columns(table, schema)
    if missing:
        raise SurveyError(f"{whose}列「{missing[0]}」がファイルにありません。", file=table.name)
    for item in schema.items:
        if item.scale not in likert.SCALES_BY_NAME:
            raise SurveyError(
                f"{whose}尺度「{item.scale}」はありません。", file=table.name, column=item.column
            )


def pinned_schema(data: object) -> Schema:
    """The mapping in a ``--mapping`` file's JSON: ``inspect --json`` output or a bare mapping.

    An item's points follow its scale, so changing ``"scale"`` alone is enough.

    >>> pinned_schema({"mapping": {"role": "職位", "items": [
    ...     {"column": "Q1", "scale": "agree4", "points": 5}]}}).items[0].points
    4
    """
    if isinstance(data, Mapping) and isinstance(data.get("mapping"), Mapping):
        data = data["mapping"]
    try:
        schema = Schema.from_dict(data)  # type: ignore[arg-type]  # refuses what is not a mapping
    except (AttributeError, TypeError) as error:  # e.g. an item that is not an object
        raise SurveyError(f"対応付け（mapping）の形式が正しくありません（{error}）。") from None
    items = tuple(
        replace(item, points=likert.SCALES_BY_NAME[item.scale].points) for item in schema.items
    )
    return replace(schema, items=items)


def read_mapping(path: str | Path) -> Schema:
    """The mapping pinned in a JSON file; any problem is one :class:`SurveyError` naming it."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SurveyError(
            f"対応付けファイルを開けません（{error.strerror or error}）。", file=str(path)
        ) from None
    except ValueError:  # a NUL in the path
        raise SurveyError("ファイル名に使えない文字があります。", file=str(path)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise SurveyError("対応付けファイルが大きすぎます。", file=str(path))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        where = f"{error.lineno}行目" if isinstance(error, json.JSONDecodeError) else "文字コード"
        raise SurveyError(
            f"対応付けファイルが JSON として読めません（{where}）。", file=str(path)
        ) from None
    try:
        return pinned_schema(data)
    except SurveyError as error:
        raise SurveyError(error.reason, file=str(path)) from None
