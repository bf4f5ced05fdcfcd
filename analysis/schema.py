"""What each column means: the one place that owns column roles.

``infer_schema`` proposes a :class:`Schema` for a :class:`~analysis.load.Table`,
with a Japanese reason for every decision; the user may override any of it
(``dataclasses.replace`` or :meth:`Schema.from_dict`). A :class:`Survey` joins
a table and its schema and hands the rest of the core plain tidy frames.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from functools import cache, cached_property, partial

import numpy as np
import pandas as pd

from analysis import likert
from analysis.errors import SurveyError
from analysis.load import Table
from analysis.text import nfkc_texts


class Field(StrEnum):
    """The role a column plays."""

    RESPONDENT = "respondent"
    ROLE = "role"
    WAVE = "wave"
    DEPARTMENT = "department"
    LIKERT = "likert"
    FREE_TEXT = "free_text"
    PII = "pii"
    OTHER = "other"


FIELD_NAMES_JA = {
    Field.RESPONDENT: "回答者ID",
    Field.ROLE: "役割（役職）",
    Field.WAVE: "回答時期",
    Field.DEPARTMENT: "部署",
    Field.LIKERT: "尺度項目",
    Field.FREE_TEXT: "自由記述",
    Field.PII: "個人情報（表示しない）",
    Field.OTHER: "その他（分析しない）",
}


@dataclass(frozen=True)
class Item:
    """One Likert statement."""

    column: str
    label: str  # the statement, e.g. 「AIで仕事が楽になると思う」
    points: int  # 4, 5, 6 or 7
    reverse: bool = False
    scale: str = "agree5"  # a name in likert.SCALES_BY_NAME


@dataclass(frozen=True)
class Schema:
    """The meaning of a table's columns; ``reasons`` says why, per column."""

    respondent: str | None = None
    role: str | None = None
    wave: str | None = None
    department: str | None = None
    items: tuple[Item, ...] = ()
    free_text: tuple[str, ...] = ()
    pii: tuple[str, ...] = ()
    reasons: Mapping[str, str] = field(default_factory=dict)
    # A role value as written (NFKC, stripped) -> its tier (経営層 / 管理職 / 一般社員).
    role_tiers: Mapping[str, str] = field(default_factory=dict)
    # How sure the inference is of each column's meaning (0-1); 1.0 for a user's choice.
    confidence: Mapping[str, float] = field(default_factory=dict)
    # Japanese notes on close calls (two columns competing, low confidence), for HR to check.
    notes: tuple[str, ...] = ()
    sheet: str | None = None  # the workbook sheet read (None: a CSV, or the only sheet)

    def field_of(self, column: str) -> Field:
        """The role ``column`` plays; a respondent ID is never shown, like PII."""
        if column == self.respondent:
            return Field.RESPONDENT
        if column in self.pii:
            return Field.PII
        for name in (Field.ROLE, Field.WAVE, Field.DEPARTMENT):
            if getattr(self, name.value) == column:
                return name
        if any(item.column == column for item in self.items):
            return Field.LIKERT
        if column in self.free_text:
            return Field.FREE_TEXT
        return Field.OTHER

    def to_dict(self) -> dict:
        """Plain values, for JSON and the store."""
        data = asdict(self)
        data["items"] = [asdict(item) for item in self.items]
        data["free_text"] = list(self.free_text)
        data["pii"] = list(self.pii)
        data["reasons"] = dict(self.reasons)
        data["role_tiers"] = dict(self.role_tiers)
        data["confidence"] = dict(self.confidence)
        data["notes"] = list(self.notes)
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> Schema:
        """The schema ``to_dict`` wrote (a stored mapping, or ``--mapping FILE.json``).

        Anything malformed is a :class:`SurveyError` naming the key, never a traceback.
        """
        if not isinstance(data, Mapping):
            raise SurveyError("対応付け（mapping）の形式が正しくありません（JSON のオブジェクトが必要です）。")
        try:
            items = tuple(_item_from_dict(item) for item in data.get("items", ()))
            return cls(
                respondent=_optional_text(data, "respondent"),
                role=_optional_text(data, "role"),
                wave=_optional_text(data, "wave"),
                department=_optional_text(data, "department"),
                items=items,
                free_text=tuple(map(str, data.get("free_text", ()))),
                pii=tuple(map(str, data.get("pii", ()))),
                reasons={str(k): str(v) for k, v in dict(data.get("reasons", {})).items()},
                role_tiers={str(k): str(v) for k, v in dict(data.get("role_tiers", {})).items()},
                confidence={
                    str(k): float(v) for k, v in dict(data.get("confidence", {})).items()
                },
                notes=tuple(map(str, data.get("notes", ()))),
                sheet=_optional_text(data, "sheet"),
            )
        except (TypeError, ValueError, KeyError) as error:
            raise SurveyError(f"対応付け（mapping）の形式が正しくありません（{error}）。") from None


def _optional_text(data: Mapping, key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"「{key}」は列名（文字列）か null です")
    return value


def _item_from_dict(data: Mapping) -> Item:
    scale = str(data.get("scale", "agree5"))
    if scale not in likert.SCALES_BY_NAME:
        raise ValueError(f"尺度「{scale}」はありません")
    points = likert.SCALES_BY_NAME[scale].points
    return Item(
        column=str(data["column"]),
        label=str(data.get("label", data["column"])),
        points=int(data.get("points", points)),
        reverse=bool(data.get("reverse", False)),
        scale=scale,
    )


# --- Inference --------------------------------------------------------------------------------

_ROLE_HEADERS = ("役職", "職位", "立場", "役割", "職階", "階層", "職種区分", "role", "position")
_WAVE_HEADERS = ("回答時期", "時期", "時点", "研修前後", "実施回", "調査回", "タイミング", "wave")
_DEPARTMENT_HEADERS = ("部署", "所属", "部門", "事業部", "department", "division")
_RESPONDENT_HEADERS = (
    "社員番号", "従業員番号", "社員id", "従業員id", "職員番号", "回答者id", "respondent",
    "employee", "externalreference", "externaldatareference", "会員id",
)  # fmt: skip
_PII_HEADERS = (
    "メール", "mail", "氏名", "名前", "お名前", "フリガナ", "ふりがな", "name", "ipaddress",
    "ip アドレス", "ipアドレス", "電話", "phone", "tel", "社員番号", "従業員番号", "職員番号",
    "住所", "latitude", "longitude", "会員id", "社員id", "従業員id",
)  # fmt: skip
_FREE_TEXT_HEADERS = (
    "自由記述", "自由回答", "ご意見", "理由", "コメント", "感想", "お書きください", "ご記入",
    "要望", "求めるもの", "内容", "具体的", "アイデア", "fa",
)  # fmt: skip
_ROLE_VALUES = (
    "経営層", "経営者", "役員", "経営陣", "管理職", "マネージャー", "マネジャー", "一般社員",
    "現場", "社員", "スタッフ", "担当者", "部長", "課長", "係長", "主任", "リーダー",
)  # fmt: skip
_WAVE_VALUE = re.compile(
    r"(研修|事前|事後|直後|前|後|か月|ヶ月|カ月|ケ月|フォローアップ|回目|第\d+回|wave|pre|post)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_IP = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_PHONE = re.compile(r"^0\d{1,4}-?\d{1,4}-?\d{3,4}$")
_EMPLOYEE_NUMBER = re.compile(r"^[A-Za-z]{1,4}-?\d{3,8}$")
_CODE = re.compile(r"^[\x21-\x7e]+$")
_DATE = re.compile(r"^\d{4}[-/年]\d{1,2}([-/月]\d{1,2}日?)?([ T]\d{1,2}:\d{2}(:\d{2})?)?$")
_NUMBER = re.compile(r"[-+]?[\d,]+(\.\d+)?")

FREE_TEXT_MIN_CHARS = 8  # mean answer length that makes a column look like free text
MAX_WAVES_FROM_DATES = 6  # a date column with more distinct dates is a timestamp, not a wave


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace(" ", "")


def _header_has(heading: str, words: Iterable[str]) -> str | None:
    key = _key(heading)
    return next((w for w in words if w in key), None)


def _values(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column's non-blank cells as text, NFKC-normalised (each distinct cell once)."""
    values = _map_distinct(  # a free-text column of many answers: in the worker processes
        frame[column].dropna().astype(str),
        lambda v: unicodedata.normalize("NFKC", v),
        many=nfkc_texts,
    )
    return values[values.str.strip() != ""]


class _Cells:
    """A column's non-blank cells (NFKC text), read once for all the tests that look at them."""

    def __init__(self, frame: pd.DataFrame, column: str) -> None:
        self.values = _values(frame, column)

    @cached_property
    def _distinct(self) -> tuple[list[str], np.ndarray]:
        counts = self.values.str.strip().value_counts(sort=False)
        return counts.index.tolist(), counts.to_numpy()

    def share(self, test: Callable[[str], object]) -> float:
        """Share of cells (stripped) for which ``test`` is true, each distinct value tested once."""
        if self.values.empty:
            return 0.0
        labels, counts = self._distinct
        hits = np.fromiter(map(test, labels), dtype=bool, count=len(labels))  # truth of each
        return float(counts[hits].sum() / len(self.values))


def infer_schema(table: Table) -> Schema:
    """Propose column meanings for ``table``, each with a reason in Japanese.

    >>> from analysis.load import read_survey
    >>> csv = "役職,部署,AIで仕事が楽になると思う\\n管理職,営業部,そう思う\\n一般社員,総務部,どちらともいえない\\n"
    >>> schema = infer_schema(read_survey(csv.encode()))
    >>> schema.role, schema.department, [i.points for i in schema.items]
    ('役職', '部署', [5])
    """
    frame = table.frame
    reasons: dict[str, str] = {}
    taken: set[str] = set()
    cells = cache(partial(_Cells, frame))  # each column is read by several tests

    def heading(column: str) -> str:  # Qualtrics codes (Q3) read by their label (役職)
        label = table.label(column)
        return column if label == column else f"{column} {label}"

    pii = []
    for column in frame.columns:
        reason = _pii_reason(cells(column), heading(column))
        if reason:
            pii.append(column)
            reasons[column] = reason

    def pick(header_words: Iterable[str], value_test, label: str) -> str | None:
        for column in frame.columns:
            word = _header_has(heading(column), header_words)
            if column in taken or not word:
                continue
            taken.add(column)
            reasons[column] = f"{label}: 見出しに「{word}」を含む"
            return column
        for column in frame.columns:
            if column in taken or column in pii:
                continue
            why = value_test(cells(column).values)
            if why:
                taken.add(column)
                reasons[column] = f"{label}: {why}"
                return column
        return None

    role = pick(_ROLE_HEADERS, _role_values, "役割")
    wave = pick(_WAVE_HEADERS, _wave_values, "回答時期")
    department = pick(_DEPARTMENT_HEADERS, lambda _: None, "部署")
    respondent = _respondent(frame, cells, pii, taken, wave, reasons, heading)

    items = _items(table, taken | set(pii), reasons)
    taken |= {item.column for item in items}
    free_text = tuple(
        column
        for column in frame.columns
        if column not in taken
        and column not in pii
        and _free_text(cells(column), column, heading(column), reasons)
    )
    for column in frame.columns:
        reasons.setdefault(column, "分析に使わない列（選択肢・数値・日時など）")
    return Schema(respondent, role, wave, department, items, free_text, tuple(pii), reasons)


def _pii_reason(cells: _Cells, heading: str) -> str | None:
    word = _header_has(heading, _PII_HEADERS)
    if word and not _header_has(heading, ("ファイル名", "filename", "会社名", "施設名")):
        return f"個人情報: 見出しに「{word}」を含むため表示しません"
    patterns = (
        (_EMAIL, "メールアドレス"),
        (_IP, "IPアドレス"),
        (_PHONE, "電話番号"),
        (_EMPLOYEE_NUMBER, "社員番号"),
    )
    for pattern, kind in patterns:
        if len(cells.values) and cells.share(pattern.match) >= 0.5:
            return f"個人情報: 値の多くが{kind}の形のため表示しません"
    return None


def _role_values(values: pd.Series) -> str | None:
    distinct = set(values.str.strip())
    known = sorted(distinct & set(_ROLE_VALUES))
    if len(known) >= 2 and len(distinct) <= 12:
        return f"値に「{'・'.join(known[:3])}」がある"
    return None


def _wave_values(values: pd.Series) -> str | None:
    distinct = set(values.str.strip())
    if not 2 <= len(distinct) <= 12:
        return None
    if all(_WAVE_VALUE.search(v) for v in distinct) and all(len(v) <= 12 for v in distinct):
        return f"値が回答時期の形（{'・'.join(sorted(distinct)[:3])}）"
    dates = {v.split(" ")[0].split("T")[0] for v in distinct if _DATE.match(v)}
    if len(dates) == len(distinct) and 2 <= len(dates) <= MAX_WAVES_FROM_DATES:
        return f"日付が{len(dates)}種類だけなので回答時期とみなす"
    return None


def _respondent(
    frame: pd.DataFrame,
    cells: Callable[[str], _Cells],
    pii: list[str],
    taken: set[str],
    wave: str | None,
    reasons: dict[str, str],
    heading: Callable[[str], str],
) -> str | None:
    for column in frame.columns:
        word = _header_has(heading(column), _RESPONDENT_HEADERS)
        if word and column not in taken:
            taken.add(column)
            reasons[column] = f"回答者ID: 見出しに「{word}」を含む" + (
                "（個人情報のため表示しません）" if column in pii else ""
            )
            return column
    if wave is None:
        return None
    for column in pii:  # an e-mail column may link waves, but is never shown
        if cells(column).share(_EMAIL.match) >= 0.5 and cells(column).values.duplicated().any():
            taken.add(column)
            reasons[column] = (
                "回答者ID: メールアドレスで回答時期をつなぐ（個人情報のため表示しません）"
            )
            return column
    return None


def _items(table: Table, taken: set[str], reasons: dict[str, str]) -> tuple[Item, ...]:
    frame = table.frame
    candidates = [c for c in frame.columns if c not in taken]
    # Columns of one grid question share a scale: decide it from all their answers.
    grid_scale: dict[str, likert.Scale | None] = {}
    for question in {table.questions.get(c) for c in candidates} - {None}:
        members = [c for c in candidates if table.questions.get(c) == question]
        if len(members) > 1:
            answers = pd.concat([frame[c] for c in members])
            grid_scale[question] = likert.detect_scale(answers)
    items = []
    for column in candidates:
        question = table.questions.get(column)
        scale = grid_scale.get(question) if question in grid_scale else None
        scale = scale or likert.detect_scale(frame[column])
        label = table.label(column)
        if scale is None or not _may_be_item(label, scale):
            continue
        cue = likert.reverse_cue(label)
        reasons[column] = (
            f"尺度項目: {scale.points}件法（{'／'.join(scale.labels[::-1][:2])}…）"
            + (f"。否定的な表現「{cue}」を含むため逆転項目" if cue else "")
        )
        items.append(Item(column, label, scale.points, cue is not None, scale.name))
    return tuple(items)


def _may_be_item(label: str, scale: likert.Scale) -> bool:
    """Numbers are a scale only where the header is not an age, count or amount."""
    if not scale.name.startswith("numeric"):
        return True
    return not _header_has(label, ("年齢", "歳", "年", "数", "回", "額", "円", "id", "番号", "nps"))


def _free_text(cells: _Cells, column: str, heading: str, reasons: dict[str, str]) -> bool:
    values = cells.values
    if values.empty:
        return False
    if cells.share(_DATE.match) > 0.5 or cells.share(_looks_numeric) > 0.5:
        return False
    if cells.share(_CODE.match) > 0.9:  # response IDs, URLs, device names: codes, not prose
        return False
    distinct = values.nunique() / len(values)
    mean_length = values.str.len().mean()
    word = _header_has(heading, _FREE_TEXT_HEADERS)
    if word and distinct >= 0.3:
        reasons[column] = f"自由記述: 見出しに「{word}」を含み、回答がさまざま"
        return True
    if distinct >= 0.5 and mean_length >= FREE_TEXT_MIN_CHARS:
        reasons[column] = f"自由記述: 回答の{distinct:.0%}が異なり、平均{mean_length:.0f}文字"
        return True
    return False


def _looks_numeric(value: str) -> bool:
    return bool(_NUMBER.fullmatch(value.strip()))


def schema_from_choices(
    table: Table,
    fields: Mapping[str, Field],
    *,
    reverse: Mapping[str, bool] | None = None,
    scales: Mapping[str, str] | None = None,
    role_tiers: Mapping[str, str] | None = None,
    base: Schema | None = None,
) -> Schema:
    """The schema a user chose column by column (e.g. in the upload page's editor).

    ``fields`` gives each column's role; role, wave, department and respondent
    may each be chosen once. Likert columns keep the scale found in their
    answers unless ``scales`` names another (a name in ``likert.SCALES_BY_NAME``);
    a column with no recognisable scale is refused with a message. ``role_tiers``
    maps role values to tiers (経営層 / 管理職 / 一般社員); by default the base's.

    >>> from analysis.load import read_survey
    >>> table = read_survey("立場,評価\\n管理職,そう思う\\n現場,どちらともいえない\\n".encode())
    >>> schema = schema_from_choices(table, {"立場": Field.ROLE, "評価": Field.LIKERT})
    >>> schema.role, [(i.label, i.points) for i in schema.items]
    ('立場', [('評価', 5)])
    >>> schema = schema_from_choices(table, {"評価": Field.LIKERT}, scales={"評価": "agree7"})
    >>> [(i.scale, i.points) for i in schema.items]
    [('agree7', 7)]
    """
    reverse = reverse or {}
    scales = scales or {}
    base = base or Schema()
    known_items = {item.column: item for item in base.items}
    single: dict[Field, str | None] = dict.fromkeys(
        (Field.RESPONDENT, Field.ROLE, Field.WAVE, Field.DEPARTMENT)
    )
    items, free_text, pii = [], [], []
    for column, chosen in fields.items():
        chosen = Field(chosen)
        if chosen in single:
            if single[chosen] is not None:
                raise SurveyError(
                    f"「{FIELD_NAMES_JA[chosen]}」に2つの列（{single[chosen]}、{column}）が選ばれています。"
                    "1つにしてください。"
                )
            single[chosen] = column
        elif chosen is Field.LIKERT:
            items.append(_chosen_item(table, column, known_items.get(column), scales.get(column)))
            if column in reverse:
                items[-1] = replace(items[-1], reverse=bool(reverse[column]))
        elif chosen is Field.FREE_TEXT:
            free_text.append(column)
        elif chosen is Field.PII:
            pii.append(column)
    respondent = single[Field.RESPONDENT]
    if respondent and respondent in base.pii and respondent not in pii:
        pii.append(respondent)  # an ID that was personal data stays hidden
    chosen_columns = set(fields)
    return Schema(
        respondent=respondent,
        role=single[Field.ROLE],
        wave=single[Field.WAVE],
        department=single[Field.DEPARTMENT],
        items=tuple(items),
        free_text=tuple(free_text),
        pii=tuple(pii),
        reasons=dict(base.reasons),
        role_tiers=dict(base.role_tiers if role_tiers is None else role_tiers),
        confidence={c: v for c, v in base.confidence.items() if c in chosen_columns},
        notes=base.notes,
        sheet=base.sheet,
    )


def _chosen_item(table: Table, column: str, known: Item | None, scale_name: str | None) -> Item:
    """The item a user chose: the inferred one, on the scale the user named if any."""
    if scale_name is not None:
        if scale_name not in likert.SCALES_BY_NAME:
            raise SurveyError(f"尺度「{scale_name}」はありません。", column=column)
        scale = likert.SCALES_BY_NAME[scale_name]
    elif known is not None:
        return known
    else:
        scale = likert.detect_scale(table.frame[column])
        if scale is None:
            raise SurveyError(
                "尺度（そう思う〜そう思わない など）を判別できません。尺度を選んでください。",
                column=column,
            )
    label = known.label if known else table.label(column)
    reverse = known.reverse if known else likert.reverse_cue(label) is not None
    return Item(column, label, scale.points, reverse, scale.name)


# --- The survey the rest of the core works on --------------------------------------------------

ANSWER_COLUMNS = (
    "row", "respondent", "role", "wave", "department", "item", "points", "reverse", "value",
)  # fmt: skip


@dataclass(frozen=True)
class Survey:
    """A table and the meaning of its columns."""

    table: Table
    schema: Schema

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    @cached_property
    def warnings(self) -> tuple[str, ...]:
        """What could not be understood, in Japanese, for HR to check."""
        return self.table.warnings + tuple(survey_warnings(self))

    @cached_property
    def waves(self) -> list[str]:
        """Wave labels in time order (研修前 < 研修後 < 3か月後, or by date)."""
        from analysis.trends import order_waves

        if self.schema.wave is None:
            return []
        return order_waves(_values(self.frame, self.schema.wave).str.strip().unique())

    def group_values(self, name: Field) -> pd.Series:
        """Role, wave or department of every row, normalised (NaN where unknown).

        Roles come as their tier where the schema maps the value (部長 -> 管理職).
        """
        column = getattr(self.schema, name.value)
        if column is None:
            return pd.Series(pd.NA, index=self.frame.index, dtype=object)
        tiers = self.schema.role_tiers if name is Field.ROLE else {}
        return _map_distinct(self.frame[column], partial(group_value, tiers=tiers))

    def respondent_keys(self) -> pd.Series:
        """A stable pseudonym per respondent (a short hash), so raw IDs never travel."""
        column = self.schema.respondent
        if column is None:
            return pd.Series(pd.NA, index=self.frame.index, dtype=object)
        return _map_distinct(
            self.frame[column],
            lambda v: (
                hashlib.sha256(_key(str(v)).encode()).hexdigest()[:12] if _filled(v) else pd.NA
            ),
        )

    @cached_property
    def _answers(self) -> pd.DataFrame:
        frame = self.frame
        groups = pd.DataFrame(
            {
                "row": range(len(frame)),
                "respondent": self.respondent_keys().to_numpy(),
                "role": self.group_values(Field.ROLE).to_numpy(),
                "wave": self.group_values(Field.WAVE).to_numpy(),
                "department": self.group_values(Field.DEPARTMENT).to_numpy(),
            }
        )
        parts = []
        for item in self.schema.items:
            part = groups.copy()
            part["item"] = item.label
            part["points"] = item.points
            part["reverse"] = item.reverse
            part["value"] = _score(frame[item.column], likert.SCALES_BY_NAME[item.scale])
            parts.append(part)
        if not parts:
            return pd.DataFrame({c: [] for c in ANSWER_COLUMNS})
        return pd.concat(parts, ignore_index=True)[list(ANSWER_COLUMNS)]

    def answers(self) -> pd.DataFrame:
        """Likert answers in long form: one row per response x item.

        Columns: ``row`` (response position), ``respondent`` (pseudonym or NA),
        ``role``, ``wave``, ``department`` (text or NA), ``item`` (statement),
        ``points``, ``reverse``, ``value`` (1..points as worded, NaN if blank).
        """
        return self._answers.copy()

    def texts(self, column: str) -> pd.DataFrame:
        """One free-text question: ``row``, ``role``, ``wave``, ``department``, ``text``."""
        if column not in self.frame:
            raise ValueError(f"列「{column}」はこのアンケートにありません")
        return pd.DataFrame(
            {
                "row": range(len(self.frame)),
                "role": self.group_values(Field.ROLE).to_numpy(),
                "wave": self.group_values(Field.WAVE).to_numpy(),
                "department": self.group_values(Field.DEPARTMENT).to_numpy(),
                "text": [str(v) if _filled(v) else None for v in self.frame[column]],
            }
        )

    @cached_property
    def key(self) -> str:
        """Identifies the data and its mapping, for caches: same file, same choices, same key.

        Worked out once per survey (JSON of the mapping takes a millisecond): the app keeps
        loaded surveys and every cached analysis of a rerun asks for their key.
        """
        mapping = json.dumps(self.schema.to_dict(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(f"{self.table.digest}|{mapping}".encode()).hexdigest()

    def with_schema(self, schema: Schema) -> Survey:
        return replace(self, schema=schema)


def _map_distinct(
    values: pd.Series,
    func: Callable[[object], object],
    *,
    many: Callable[[list[str]], list[object]] | None = None,
) -> pd.Series:
    """``values.map(func)``, calling ``func`` once per distinct text instead of once per row.

    ``many``, if given, maps the list of distinct texts in one call instead
    (the same as ``func`` on each).
    """
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return values.map(func)  # 1, 1.0 and True hash alike but read differently
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    distinct = uniques.tolist()  # not one by one out of Arrow
    mapped[:-1] = many(distinct) if many is not None else [func(v) for v in distinct]
    out = mapped[codes]
    blank = np.flatnonzero(codes < 0)  # None, NaN and pd.NA may map differently: one by one
    out[blank] = [func(value) for value in values.iloc[blank]]
    return pd.Series(out, index=values.index, name=values.name)


def _score(answers: pd.Series, scale: likert.Scale) -> np.ndarray:
    """``likert.score(answers, scale)`` as an array, each distinct answer scored once."""
    codes, labels = pd.factorize(answers, use_na_sentinel=True)
    scored = likert.score(pd.Series(labels), scale).to_numpy(float)
    return np.append(scored, np.nan)[codes]  # code -1 (blank) -> NaN


def group_value(value: object, *, tiers: Mapping[str, str] | None = None) -> object:
    """A group cell as analysed: NFKC, stripped, through ``tiers``; NA when blank.

    >>> group_value(" 部長 ", tiers={"部長": "管理職"}), group_value("")
    ('管理職', <NA>)
    """
    if not _filled(value):
        return pd.NA
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return (tiers or {}).get(text, text)


def _filled(value: object) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and pd.isna(value))
        and bool(str(value).strip())
    )


def survey_warnings(survey: Survey) -> list[str]:
    """Plain Japanese notes on what is missing or odd."""
    schema, frame = survey.schema, survey.frame
    notes = []
    if schema.role is None:
        notes.append(
            "役職（経営層・管理職・一般社員など）の列が見つかりません。役割間の比較はできません。"
            "アップロード画面で列を指定できます。"
        )
    if schema.wave is None:
        notes.append(
            "回答時期（研修前・研修後など）の列が見つかりません。全回答を1回分として扱います。"
        )
    if not schema.items:
        notes.append("尺度項目（そう思う〜そう思わない など）が見つかりません。")
    if not schema.free_text:
        notes.append("自由記述の列が見つかりません。")
    for item in schema.items:
        unknown = likert.unknown_labels(frame[item.column], likert.SCALES_BY_NAME[item.scale])
        if unknown:
            shown = "、".join(f"「{label}」{n}件" for label, n in unknown.most_common(3))
            notes.append(
                f"列「{item.label}」に尺度にない回答があります（{shown}）。未回答として扱います。"
            )
    return notes


def load_survey(source, *, name: str | None = None, encoding: str | None = None) -> Survey:
    """Read a file and infer its schema in one step."""
    from analysis.load import read_survey

    table = read_survey(source, name=name, encoding=encoding)
    return Survey(table, infer_schema(table))
