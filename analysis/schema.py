"""What each column means: the one place that owns column roles.

``infer_schema`` proposes a :class:`Schema` for a :class:`~analysis.load.Table`,
with a Japanese reason for every decision; the user may override any of it
(``dataclasses.replace`` or :meth:`Schema.from_dict`). A :class:`Survey` joins
a table and its schema and hands the rest of the core plain tidy frames.
"""

from __future__ import annotations

import hashlib
import html
import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from functools import cached_property, partial

import numpy as np
import pandas as pd

from analysis import likert, vocab
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
            raise SurveyError(
                "対応付け（mapping）の形式が正しくありません（JSON のオブジェクトが必要です）。"
            )
        try:
            items = tuple(_item_from_dict(item) for item in data.get("items", ()))
            schema = cls(
                respondent=_optional_text(data, "respondent"),
                role=_optional_text(data, "role"),
                wave=_optional_text(data, "wave"),
                department=_optional_text(data, "department"),
                items=items,
                free_text=tuple(map(str, data.get("free_text", ()))),
                pii=tuple(map(str, data.get("pii", ()))),
                reasons={str(k): str(v) for k, v in dict(data.get("reasons", {})).items()},
                role_tiers={str(k): str(v) for k, v in dict(data.get("role_tiers", {})).items()},
                confidence={str(k): float(v) for k, v in dict(data.get("confidence", {})).items()},
                notes=tuple(map(str, data.get("notes", ()))),
                sheet=_optional_text(data, "sheet"),
            )
        except (TypeError, ValueError, KeyError) as error:
            raise SurveyError(f"対応付け（mapping）の形式が正しくありません（{error}）。") from None
        return schema.without_pii_uses()

    def without_pii_uses(self) -> Schema:
        """This schema with every personal-data column used for nothing else.

        A column listed as PII (「役職・氏名」) is never a role, wave, department,
        item or free text, whatever a stored or pinned mapping says; a note says
        what was dropped. (A respondent ID may be PII: it is hidden and only links waves.)

        >>> schema = Schema(role="役職・氏名", pii=("役職・氏名",)).without_pii_uses()
        >>> schema.role, schema.notes
        (None, ('列「役職・氏名」は個人情報のため、役割（役職）には使いません。',))
        """
        hidden = set(self.pii)
        uses = [(f, getattr(self, f.value)) for f in (Field.ROLE, Field.WAVE, Field.DEPARTMENT)]
        clash = [(f, c) for f, c in uses if c in hidden]
        clash += [(Field.LIKERT, i.column) for i in self.items if i.column in hidden]
        clash += [(Field.FREE_TEXT, c) for c in self.free_text if c in hidden]
        if not clash:
            return self
        notes = [
            f"列「{c}」は個人情報のため、{FIELD_NAMES_JA[f]}には使いません。" for f, c in clash
        ]
        single = {
            f.value: None for f, _ in clash if f in (Field.ROLE, Field.WAVE, Field.DEPARTMENT)
        }
        return replace(
            self,
            **single,
            items=tuple(i for i in self.items if i.column not in hidden),
            free_text=tuple(c for c in self.free_text if c not in hidden),
            notes=(*self.notes, *notes),
        )


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


def distinct_labels(items: Iterable[Item]) -> tuple[Item, ...]:
    """The items with every statement told apart: a repeated one gets its column name.

    Two grid questions may hold the same statement (「Statement 1」 in Q1 and Q3);
    the analysis keys items by statement, so each must be unique.

    >>> items = [Item("Q1_1", "Statement 1", 5), Item("Q3_1", "Statement 1", 5)]
    >>> [i.label for i in distinct_labels(items)]
    ['Statement 1（Q1_1）', 'Statement 1（Q3_1）']
    """
    items = tuple(items)
    counts = Counter(item.label for item in items)
    return tuple(
        replace(item, label=f"{item.label}（{item.column}）") if counts[item.label] > 1 else item
        for item in items
    )


# --- Reading a column's cells ------------------------------------------------------------------


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace(" ", "")


def column_texts(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column's non-blank cells as text, NFKC-normalised (each distinct cell once).

    HTML entities from web-form exports (``&hellip;`` ``&rarr;``) are unescaped.
    """
    values = _map_distinct(  # a free-text column of many answers: in the worker processes
        frame[column].dropna().astype(str),
        analysed_text,
        many=_nfkc_many,
    )
    return values[values.str.strip() != ""]


def _unescaped(value: str) -> str:
    """``&hellip;`` and ``&rarr;`` from web-form exports as the characters they stand for."""
    return html.unescape(value) if "&" in value else value


def analysed_text(value: str) -> str:
    """A cell as analysis reads it: HTML entities unescaped, NFKC (the original is kept)."""
    value = _unescaped(value)
    if unicodedata.is_normalized("NFKC", value):  # a quick check, most cells already are
        return value
    return unicodedata.normalize("NFKC", value)


def _nfkc_many(values: list[str]) -> list[str]:
    return nfkc_texts([_unescaped(v) for v in values])


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
        items=distinct_labels(items),
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
        return order_waves(column_texts(self.frame, self.schema.wave).str.strip().unique())

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
    def _people(self) -> People:
        """Which rows count: one per person and wave, the latest (:func:`distinct_people`)."""
        return distinct_people(self)

    def people_kept(self) -> pd.Series:
        """True for the rows that count (one per person and wave), aligned with ``frame``."""
        return pd.Series(self._people.kept, index=self.frame.index)

    @cached_property
    def _answers(self) -> pd.DataFrame:
        frame = self.frame
        kept = self._people.kept
        groups = pd.DataFrame(
            {
                "row": np.flatnonzero(kept),
                "respondent": self.respondent_keys().to_numpy()[kept],
                "role": self.group_values(Field.ROLE).to_numpy()[kept],
                "wave": self.group_values(Field.WAVE).to_numpy()[kept],
                "department": self.group_values(Field.DEPARTMENT).to_numpy()[kept],
            }
        )
        parts = []
        for item in self.schema.items:
            part = groups.copy()
            part["item"] = item.label
            part["points"] = item.points
            part["reverse"] = item.reverse
            part["value"] = _score(frame[item.column], likert.SCALES_BY_NAME[item.scale])[kept]
            parts.append(part)
        if not parts:
            return pd.DataFrame({c: [] for c in ANSWER_COLUMNS})
        return pd.concat(parts, ignore_index=True)[list(ANSWER_COLUMNS)]

    def answers(self) -> pd.DataFrame:
        """Likert answers in long form: one row per person and wave x item.

        Columns: ``row`` (response position in the file), ``respondent``
        (pseudonym or NA), ``role``, ``wave``, ``department`` (text or NA),
        ``item`` (statement), ``points``, ``reverse``, ``value`` (1..points as
        worded, NaN if blank). A person who submitted a wave more than once
        counts once, with the latest row (:func:`distinct_people`); the
        survey's warnings say so.
        """
        return self._answers.copy()

    def texts(self, column: str) -> pd.DataFrame:
        """One free-text question: ``row``, ``role``, ``wave``, ``department``, ``text``.

        One row per person and wave, like :meth:`answers` (the latest submission).
        """
        if column not in self.frame:
            raise ValueError(f"列「{column}」はこのアンケートにありません")
        kept = self._people.kept
        return pd.DataFrame(
            {
                "row": np.flatnonzero(kept),
                "role": self.group_values(Field.ROLE).to_numpy()[kept],
                "wave": self.group_values(Field.WAVE).to_numpy()[kept],
                "department": self.group_values(Field.DEPARTMENT).to_numpy()[kept],
                "text": [
                    _unescaped(str(v)) if _filled(v) else None
                    for v in self.frame[column].to_numpy()[kept]
                ],
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


# --- People, not rows: a resubmission counts once ----------------------------------------------

_EMAIL = vocab.EMAIL_ADDRESS  # the one e-mail pattern, as inference reads it
_EMAIL_SHARE = 0.8  # a PII column is an e-mail column when this share of its values are e-mails
_SAMPLE = 2000  # distinct values read to decide that

# How a duplicate was recognised, for the warning (the basis of distinct_people).
BY_RESPONDENT = "回答者IDが同じ回答"
BY_EMAIL = "メールアドレスが同じ回答"
BY_IDENTICAL_ROW = "役職・部署とすべての回答がまったく同じ行"


@dataclass(frozen=True)
class People:
    """Which rows of a survey count: ``kept`` (bool per row), why rows were merged, and how many.

    ``dropped`` maps a wave label (``None`` without a wave) to the number of
    earlier submissions left out.
    """

    kept: np.ndarray
    basis: str | None
    dropped: Mapping[str | None, int]


def _email_column(survey: Survey) -> str | None:
    """The first PII column whose values look like e-mail addresses, if any."""
    for column in survey.schema.pii:
        if column not in survey.frame:
            continue
        values = survey.frame[column].dropna().astype(str).str.strip()
        values = values[values != ""].drop_duplicates().head(_SAMPLE)
        if (
            len(values)
            and values.map(
                lambda v: bool(_EMAIL.fullmatch(unicodedata.normalize("NFKC", v)))
            ).mean()
            >= _EMAIL_SHARE
        ):
            return column
    return None


def person_keys(survey: Survey) -> tuple[pd.Series, str | None]:
    """One key per row that is the same for the same person (NA: cannot tell), and its basis.

    The respondent ID (hashed) when the schema has one; else a hashed e-mail
    column; else the row's content: role, department, every item and every
    free-text answer as written, for rows that wrote a sentence of at least
    :data:`TWIN_TEXT_CHARS` characters (short or no text, and ticks alone,
    are common to many people: two straight-liners are two people).
    """
    frame = survey.frame
    if survey.schema.respondent is not None:
        return survey.respondent_keys().reset_index(drop=True), BY_RESPONDENT
    email = _email_column(survey)
    if email is not None:
        keys = _map_distinct(
            frame[email],
            lambda v: (
                hashlib.sha256(_key(str(v)).encode()).hexdigest()[:12]
                if _filled(v) and _EMAIL.fullmatch(unicodedata.normalize("NFKC", str(v).strip()))
                else pd.NA
            ),
        )
        return keys.reset_index(drop=True), BY_EMAIL
    texts = sorted((survey.table.label(c), c) for c in survey.schema.free_text if c in frame)
    items = sorted((i.label, i.column) for i in survey.schema.items if i.column in frame)
    if not texts:  # ticks alone do not tell people apart: two straight-liners are two people
        return pd.Series(pd.NA, index=range(len(frame)), dtype=object), None
    # Content by statement, not by position, so the same sheet in another file (columns
    # reordered, re-saved by Excel) has the same key: the store compares uploads with it.
    answers = {label: _texts(frame[c]) for label, c in texts}
    content = pd.DataFrame(
        {
            **{f"item:{label}": _texts(frame[c]) for label, c in items},
            **{f"text:{label}": analysed for label, analysed in answers.items()},
            "role": survey.group_values(Field.ROLE).astype(object).to_numpy(),
            "department": survey.group_values(Field.DEPARTMENT).astype(object).to_numpy(),
        }
    ).fillna("")
    written = np.logical_or.reduce([_written(analysed) for analysed in answers.values()])
    hashed = pd.util.hash_pandas_object(content, index=False).to_numpy()
    keys = pd.Series([f"{h:016x}" for h in hashed], dtype=object).where(written, pd.NA)
    return keys, BY_IDENTICAL_ROW


def _texts(values: pd.Series) -> np.ndarray:
    """Cells as analysed text (NFKC, stripped), blank as ""."""
    return _map_distinct(
        values, lambda v: analysed_text(str(v)).strip() if _filled(v) else ""
    ).to_numpy(dtype=object)


TWIN_TEXT_CHARS = 8  # a free-text answer this long, identical with all the rest, is one person


def _written(analysed: np.ndarray) -> np.ndarray:
    """Rows whose answer (as analysed, see :func:`_texts`) is a sentence: at least
    TWIN_TEXT_CHARS characters, not 「特になし」. Counted after NFKC, so ＡＩ and AI,
    ｶﾞ and ガ count alike."""
    from analysis.text import is_no_answer

    def sentence(text: object) -> bool:
        return len(text) >= TWIN_TEXT_CHARS and not is_no_answer(text)

    return _map_distinct(pd.Series(analysed, dtype=object), sentence).to_numpy(dtype=bool)


def distinct_people(survey: Survey) -> People:
    """One row per person and wave: a resubmission keeps only the latest row.

    Rows are in time order as in the file (a form export lists submissions as
    they came). A person is recognised by the respondent ID, else an e-mail
    column among the PII columns, else a row identical to another in role,
    department and every answer (:func:`person_keys`); rows where that cannot
    tell (a blank ID) each count. Within one wave the last row of each person
    is kept, so thresholds count people, not submissions; across waves a
    person is kept in each wave they answered.
    """
    keys, basis = person_keys(survey)
    waves = survey.group_values(Field.WAVE).reset_index(drop=True)
    known = keys.notna().to_numpy()
    frame = pd.DataFrame({"wave": waves.astype(object), "key": keys})
    repeated = frame.duplicated(keep="last").to_numpy() & known
    dropped: dict[str | None, int] = {}
    for wave in waves[repeated]:
        label = None if not _filled(wave) else str(wave)
        dropped[label] = dropped.get(label, 0) + 1
    return People(kept=~repeated, basis=basis if dropped else None, dropped=dropped)


def duplicate_notes(survey: Survey) -> list[str]:
    r"""The warning that resubmissions were merged, one line per wave (empty when none).

    >>> from analysis.load import read_survey
    >>> csv = "社員番号,役職,回答時期,評価\nE1,経営層,研修前,そう思う\nE1,経営層,研修前,とてもそう思う\n"
    >>> table = read_survey(csv.encode())
    >>> duplicate_notes(Survey(table, Schema(respondent="社員番号", role="役職", wave="回答時期")))
    ['研修前に同じ回答者の重複が1件あり、最新の回答だけを使いました（回答者IDが同じ回答を1人の回答として数えています）。']
    """
    people = survey._people
    order = {wave: i for i, wave in enumerate(survey.waves)}
    notes = []
    for wave, n in sorted(people.dropped.items(), key=lambda kv: order.get(kv[0], len(order))):
        where = f"{wave}に" if wave is not None else ""
        notes.append(
            f"{where}同じ回答者の重複が{n}件あり、最新の回答だけを使いました"
            f"（{people.basis}を1人の回答として数えています）。"
        )
    return notes


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
    schema, table = survey.schema, survey.table
    notes = list(schema.notes)  # close calls inference made: two columns competing, low confidence
    if schema.role is None:
        notes.append(
            "役職（経営層・管理職・一般社員など）の列が見つかりません。役割間の比較はできません。"
            "列の対応付けで「役割（役職）」を選べます。"
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
        if item.column not in table.frame:
            continue
        counts = table.answer_counts(item.column)
        if len(counts) == 1:
            notes.append(
                f"列「{item.label}」は全員が同じ回答（{next(iter(counts))}）です。"
                "ばらつきがないため差は出ませんが、項目として残しています。"
            )
        unknown = likert.unknown_labels(counts, likert.SCALES_BY_NAME[item.scale])
        if unknown:
            shown = "、".join(f"「{label}」{n}件" for label, n in unknown.most_common(3))
            notes.append(
                f"列「{item.label}」に尺度にない回答があります（{shown}）。未回答として扱います。"
            )
    notes += duplicate_notes(survey)  # resubmissions merged (people, not rows)
    return notes


def load_survey(source, *, name: str | None = None, encoding: str | None = None) -> Survey:
    """Read a file and infer its schema in one step."""
    from analysis.inference import infer_schema
    from analysis.load import read_survey

    table = read_survey(source, name=name, encoding=encoding)
    return Survey(table, infer_schema(table))
