"""Column meaning from evidence: every column scored for every meaning, then assigned jointly.

For each column, :func:`column_evidence` weighs what its values show (answers
on a scale, dates and times in the tools' locales, few categories, job titles,
wave names, IDs that link waves, e-mail and phone patterns, long varied text)
and what its header says (word-aware rules from :mod:`analysis.vocab`, vendor
metadata from :data:`analysis.load.LAYOUTS`). :func:`infer_schema` then gives
each column one meaning, best evidence first, with each single field (role,
wave, department, respondent) taking at most one column. Every decision keeps
a Japanese reason and a confidence; close calls become notes naming the
columns, for HR to check on the upload page or in ``inspect``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from analysis import likert, vocab
from analysis.load import LAYOUTS_BY_FORMAT, Table
from analysis.schema import Field, Item, Schema, analysed_text, column_texts, distinct_labels

SINGLE = (Field.ROLE, Field.WAVE, Field.DEPARTMENT, Field.RESPONDENT)
TIMESTAMP = "timestamp"  # a meaning inference tells apart, stored as Field.OTHER
CLOSE_CALL = 0.15  # a runner-up this close to the winner makes a note
LOW_CONFIDENCE = 0.6  # a decision below this makes a note
FREE_TEXT_MIN_CHARS = 8  # mean answer length that makes a column look like free text
MAX_CATEGORIES = 30  # distinct values a role, wave or department column may have
MAX_WAVES_FROM_DATES = 6  # a date column with more distinct dates is a timestamp, not a wave
MAX_TESTED = 2_000  # distinct values a share test reads (a fixed sample beyond)

_DATE = r"(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
_TIME = r"(?:\d{1,2}\s*[:時]\s*\d{2}(?:\s*[:分]\s*\d{2}(?:\.\d+)?)?\s*秒?|\d{1,2}時)"
_AMPM = r"(?:午前|午後|am|pm|a\.m\.|p\.m\.)"
_ZONE = r"(?:z|jst|(?:gmt|utc)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})"
_WEEKDAY = r"(?:\s*[(（][月火水木金土日][)）])?"
DATETIME = re.compile(
    rf"^{_DATE}{_WEEKDAY}(?P<time>(?:[\sT]+|(?=午))(?:{_AMPM}\s*)?{_TIME}(?:\s*{_AMPM})?)?"
    rf"(?:\s*{_ZONE})?$",
    re.IGNORECASE,
)
EXCEL_SERIAL = re.compile(r"^[2-7]\d{4}(?:\.\d+)?$")  # 1954-2119 as Excel day numbers
EMAIL = vocab.EMAIL_ADDRESS
IP_ADDRESS = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$|^[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}$")
PHONE = re.compile(r"^(?:\+81[-\s.]?|0)\d{1,4}[-\s.]?\d{1,4}[-\s.]?\d{3,4}$")
EMPLOYEE_NUMBER = re.compile(r"^[A-Za-z]{0,4}[-_]?\d{3,10}$")
CODE = re.compile(r"^[\x21-\x7e]+$")
NUMBER = re.compile(r"^[-+]?[\d,]+(?:\.\d+)?$")
UNIT_SUFFIX = re.compile(
    r"(部|課|室|係|班|グループ|センター|本部|支店|支社|事業所|工場|チーム|局)$"
)


@dataclass
class Evidence:
    """What one column shows, and the score of each meaning it could have (0-1).

    Built from the column's answer counts (each distinct cell once), so a
    column of 50,000 timestamps costs one count, not 50,000 tests; the cells
    row by row (``row_values``) are read only for the wave and ID candidates.
    """

    column: str
    heading: str
    cells: pd.Series  # the column as read, one cell per row
    counts: Counter  # non-blank answers as written, with their counts
    question: str = ""  # the grid question the column belongs to
    vendor: str = ""  # the meaning the survey tool's layout gives its own column
    scale: likert.Scale | None = None
    scores: dict[str, float] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def suggest(self, meaning: str, score: float, reason: str) -> None:
        if score > self.scores.get(meaning, 0.0):
            self.scores[meaning] = score
            self.reasons[meaning] = reason

    @cached_property
    def _counts(self) -> pd.Series:
        """Answer counts by their analysed text: NFKC, stripped, HTML entities unescaped."""
        return _analysed_counts(self.counts.items())

    @property
    def _large(self) -> bool:
        return len(self.counts) > MAX_TESTED

    @cached_property
    def _tested(self) -> tuple[list[str], np.ndarray]:
        """The distinct values share tests look at: all, or a fixed sample of a long column's."""
        if self._large:  # timestamps, free text: a sample, normalised on its own
            raw = list(self.counts.items())
            picked = np.random.default_rng(0).choice(len(raw), MAX_TESTED, replace=False)
            counts = _analysed_counts(raw[i] for i in np.sort(picked))
        else:
            counts = self._counts
        return counts.index.tolist(), counts.to_numpy()

    def share(self, test) -> float:
        """Share of cells for which ``test`` holds, each distinct value tested once.

        A column of more than :data:`MAX_TESTED` distinct values (timestamps,
        free text) is judged on a fixed sample of them: the shares only meet
        thresholds such as 50% or 80%, which a sample of that size settles.
        """
        labels, counts = self._tested
        if not len(labels):
            return 0.0
        hits = np.fromiter((bool(test(v)) for v in labels), dtype=bool, count=len(labels))
        return float(counts[hits].sum() / counts.sum())

    @cached_property
    def distinct(self) -> list[str]:
        """The distinct answers as analysed (read whole only where a test needs them)."""
        return self._counts.index.tolist()

    @property
    def n_distinct(self) -> int:
        """How many distinct answers (as written, for a long column: NFKC merges few)."""
        return len(self.counts) if self._large else len(self._counts)

    @cached_property
    def n_filled(self) -> int:
        return sum(self.counts.values())

    @cached_property
    def mean_length(self) -> float:
        """Mean answer length in characters (stripped)."""
        if not self.counts:
            return 0.0
        total = sum(len(value.strip()) * n for value, n in self.counts.items())
        return total / self.n_filled

    @property
    def filled(self) -> float:
        return self.n_filled / len(self.cells) if len(self.cells) else 0.0

    def row_values(self) -> pd.Series:
        """The non-blank cells row by row, as analysed (index: the rows)."""
        return column_texts(self.cells.to_frame(), self.column).str.strip()

    def header(self, meaning: str) -> str | None:
        return vocab.header_word(self.heading, meaning)

    def categorical(self, limit: int = MAX_CATEGORIES) -> bool:
        """Few distinct, short values, each used by several rows."""
        n, rows = self.n_distinct, self.n_filled
        if not 1 <= n <= limit or not rows:
            return False
        repeated = rows <= 20 or n <= rows // 2  # a small file may show each value once
        return repeated and self.mean_length <= 30


def column_evidence(table: Table) -> dict[str, Evidence]:
    """Evidence for every column of ``table``, wave-free meanings first (see module doc)."""
    frame = table.frame
    layout = LAYOUTS_BY_FORMAT.get(table.format)
    answer_counts = {c: table.answer_counts(c) for c in frame.columns}
    grid_scales = _grid_scales(table, answer_counts)
    evidence = {}
    for column in frame.columns:
        label = table.label(column)  # a grid's statement, or a Qualtrics code's question
        grid_part = column in table.questions and label != column
        heading = label if label == column or grid_part else f"{column} {label}"
        found = Evidence(
            column, heading, frame[column], answer_counts[column], table.questions.get(column, "")
        )
        meta = (layout.metadata.get(column) or layout.metadata.get(label)) if layout else None
        found.vendor = meta or ""
        if meta and meta != "respondent":  # an ID column must still show it links waves
            found.suggest(meta, 0.99, _METADATA_REASONS[meta].format(tool=layout.name))
        _score_values(found, answer_counts[column], grid_scales.get(column, False), label)
        evidence[column] = found
    return evidence


_METADATA_REASONS = {
    "pii": "個人情報: {tool} の回答者情報の列のため表示しません",
    "timestamp": "日時: {tool} が記録する回答時刻（分析しない）",
    "respondent": "回答者ID: {tool} の外部参照の列",
    "other": "{tool} の管理用の列（分析しない）",
}


def _grid_scales(
    table: Table, answer_counts: Mapping[str, Counter]
) -> dict[str, likert.Scale | None]:
    """The scale of each grid question's columns, decided from all their answers together."""
    out: dict[str, likert.Scale | None] = {}
    by_question: dict[str, list[str]] = {}
    for column, question in table.questions.items():
        by_question.setdefault(question, []).append(column)
    for members in by_question.values():
        if len(members) > 1:
            answers = sum((answer_counts[c] for c in members), Counter())
            scale = likert.detect_scale(answers) or likert.coded_scale(answers)
            out.update(dict.fromkeys(members, scale))
    return out


def _score_values(found: Evidence, raw: Counter, grid_scale, label: str) -> None:
    if not found.n_filled:  # nothing to analyse; a personal-data header still keeps it hidden
        _score_pii(found)
        found.suggest("other", 0.85, "回答がすべて空の列")
        return
    _score_scale(found, raw, grid_scale, label)
    _score_timestamp(found)
    _score_pii(found)
    _score_role(found)
    _score_wave(found)
    _score_department(found)
    _score_free_text(found)
    found.suggest("other", 0.3, "分析に使わない列（選択肢・数値・日時など）")


def _score_scale(found: Evidence, raw: Counter, grid_scale, label: str) -> None:
    scale = grid_scale if grid_scale not in (False, None) else likert.detect_scale(raw)
    single = None
    if scale is None and found.n_distinct == 1:
        single = likert.scale_with_only(found.distinct[0])
        scale = single
    if scale is None:
        return
    found.scale = scale
    shown = "／".join(scale.labels[::-1][:2])
    if scale.numeric:
        guard = vocab.header_word(label, "not_scale")
        named = next((f for f in ("role", "wave", "department") if found.header(f)), None)
        if guard or named:
            word = guard or found.header(named)
            found.suggest(
                "likert",
                0.25,
                f"{scale.labels[0]}〜{scale.labels[-1]}の数値だが見出しに「{word}」を含む",
            )
            return
        found.suggest(
            "likert",
            0.8,
            f"尺度項目: 回答が{scale.labels[0]}〜{scale.labels[-1]}の数値（{scale.points}件法）",
        )
        return
    reason = f"尺度項目: 回答が{scale.points}件法の選択肢（{shown}…）"
    if single is not None:
        reason += "。全員が同じ回答（ばらつきなし）ですが項目として残します"
    found.suggest("likert", 0.97, reason)


def _analysed_counts(pairs) -> pd.Series:
    """(answer as written, count) pairs summed by the answer as analysed."""
    merged: dict[str, int] = {}
    for value, n in pairs:
        key = analysed_text(value).strip()
        merged[key] = merged.get(key, 0) + n
    return pd.Series(merged, dtype="int64")


def _is_timestamp(value: str) -> bool:
    return bool(DATETIME.match(value))


def _score_timestamp(found: Evidence) -> None:
    dated = found.share(_is_timestamp)
    word = found.header("timestamp")
    if dated >= 0.8:
        timed = found.share(lambda v: (m := DATETIME.match(v)) is not None and m["time"])
        if timed >= 0.5 or found.n_distinct > MAX_WAVES_FROM_DATES:
            found.suggest(TIMESTAMP, 0.9 + 0.05 * bool(word), "日時: 回答の記録時刻（分析しない）")
        else:
            found.suggest(TIMESTAMP, 0.55, "日付の列")
    elif word and found.share(EXCEL_SERIAL.match) >= 0.8:
        found.suggest(TIMESTAMP, 0.85, f"日時: 見出しに「{word}」を含み、値がExcelの日付の数値")
    elif word and dated >= 0.5:
        found.suggest(TIMESTAMP, 0.8, f"日時: 見出しに「{word}」を含む")


def _score_pii(found: Evidence) -> None:
    patterns = (
        (EMAIL, "メールアドレス"),
        (IP_ADDRESS, "IPアドレス"),
        (PHONE, "電話番号"),
    )
    for pattern, kind in patterns:
        if found.share(pattern.match) >= 0.5:
            found.suggest("pii", 0.95, f"個人情報: 値の多くが{kind}の形のため表示しません")
            return
    word = found.header("pii")
    contact = vocab.CONTACT_QUESTION.search(found.question.lower())
    if contact and found.scale is None:
        found.suggest("pii", 0.9, f"個人情報: 連絡先の設問（{found.question}）のため表示しません")
    elif word and found.scale is None:
        found.suggest("pii", 0.9, f"個人情報: 見出しに「{word}」を含むため表示しません")
    elif found.share(EMPLOYEE_NUMBER.match) >= 0.9 and found.share(NUMBER.match) < 0.9:
        found.suggest("pii", 0.6, "個人情報: 値の多くが社員番号の形のため表示しません")


def _score_role(found: Evidence) -> None:
    word = found.header("role")
    tiers = found.share(lambda v: vocab.role_tier(v) is not None)
    categorical = found.categorical()
    if found.scale is not None and found.scale.points > 1 and not found.scale.numeric:
        return  # scale answers are an item, whatever the header says
    if word and categorical and tiers >= 0.5:
        found.suggest("role", 0.97, f"役割: 見出しに「{word}」を含み、値が役職名（{_few(found)}）")
    elif word and categorical:
        found.suggest("role", 0.75, f"役割: 見出しに「{word}」を含む（{_few(found)}）")
    elif categorical and tiers >= 0.8 and found.n_distinct >= 2:
        found.suggest("role", 0.85, f"役割: 値が役職名（{_few(found)}）")
    elif word:
        found.suggest("role", 0.35, f"役割: 見出しに「{word}」を含むが値の種類が多い")


def _score_wave(found: Evidence) -> None:
    if found.scale is not None and not found.scale.numeric:
        return
    word = found.header("wave")
    few = 1 <= found.n_distinct <= 12
    distinct = found.distinct if few else []
    named = found.share(lambda v: vocab.WAVE_VALUE.search(v) is not None and len(v) <= 16)
    dated = found.share(_is_timestamp)
    dates = {re.split(r"[\sT]", v, maxsplit=1)[0] for v in distinct if _is_timestamp(v)}
    if word and few:
        found.suggest("wave", 0.95, f"回答時期: 見出しに「{word}」を含む（{_few(found)}）")
    elif few and len(distinct) >= 2 and named >= 0.99:
        found.suggest("wave", 0.85, f"回答時期: 値が回答時期の形（{_few(found)}）")
    elif dated >= 0.99 and 2 <= len(dates) <= MAX_WAVES_FROM_DATES and len(distinct) <= 12:
        found.suggest("wave", 0.7, f"回答時期: 日付が{len(dates)}種類だけなので回答時期とみなす")
    elif word:
        found.suggest("wave", 0.3, f"回答時期: 見出しに「{word}」を含むが値の種類が多い")


def _score_department(found: Evidence) -> None:
    if found.scale is not None and not found.scale.numeric:
        return
    word = found.header("department")
    categorical = found.categorical(limit=max(MAX_CATEGORIES, len(found.cells) // 5))
    units = found.share(lambda v: UNIT_SUFFIX.search(v) is not None)
    if word and categorical:
        found.suggest("department", 0.9, f"部署: 見出しに「{word}」を含む（{_few(found)}）")
    elif categorical and units >= 0.8 and found.n_distinct >= 2:
        found.suggest("department", 0.7, f"部署: 値が部署名の形（{_few(found)}）")
    elif word:
        found.suggest("department", 0.3, f"部署: 見出しに「{word}」を含むが値の種類が多い")


def _score_free_text(found: Evidence) -> None:
    if found.scale is not None or found.share(_is_timestamp) > 0.5:
        return
    if found.share(NUMBER.match) > 0.5 or found.share(CODE.match) > 0.9:
        return  # response IDs, URLs, device names: codes, not prose
    distinct = found.n_distinct / found.n_filled
    mean_length = found.mean_length
    word = found.header("free_text")
    if word and distinct >= 0.3:
        found.suggest("free_text", 0.85, f"自由記述: 見出しに「{word}」を含み、回答がさまざま")
    elif distinct >= 0.5 and mean_length >= FREE_TEXT_MIN_CHARS:
        found.suggest(
            "free_text", 0.8, f"自由記述: 回答の{distinct:.0%}が異なり、平均{mean_length:.0f}文字"
        )
    elif word and mean_length >= FREE_TEXT_MIN_CHARS:
        found.suggest("free_text", 0.6, f"自由記述: 見出しに「{word}」を含む")


def _few(found: Evidence, n: int = 3) -> str:
    shown = "・".join(found.distinct[:n])
    return shown + ("…" if found.n_distinct > n else "")


def _score_respondent(found: Evidence, waves: pd.Series | None) -> None:
    """An ID is a respondent ID only when it is filled, unique per wave, and links waves."""
    word = found.header("respondent") or (found.column if found.vendor == "respondent" else None)
    looks_like_id = (
        found.share(EMAIL.match) >= 0.9
    )  # an e-mail may link waves; other codes need a header
    if not (word or looks_like_id) or found.scale is not None:
        return
    if found.filled < 0.8:
        if word:
            found.suggest(
                "other", 0.5, f"見出しに「{word}」を含むが、値の多くが空のため回答者IDにしない"
            )
        return
    values = found.row_values()
    if waves is None:
        if word and not values.duplicated().any():
            found.suggest(
                "respondent", 0.75, f"回答者ID: 見出しに「{word}」を含み、値が一人ずつ異なる"
            )
        return
    wave = waves.loc[values.index]
    repeated = pd.DataFrame({"id": values, "wave": wave}).duplicated().mean()
    per_id = pd.Series(wave.to_numpy()).groupby(values.to_numpy()).nunique()
    linked = float((per_id >= 2).mean())
    source = f"見出しに「{word}」を含み" if word else "値がIDの形で"
    if repeated > 0.05:
        found.suggest("other", 0.4, "同じ回答時期に同じ値が多いため回答者IDにしない")
    elif linked >= 0.2:
        found.suggest(
            "respondent",
            0.9 + 0.05 * bool(word),
            f"回答者ID: {source}、{linked:.0%}の人が複数の回答時期をつなぐ",
        )
    elif word:
        found.suggest(
            "other",
            0.5,
            f"見出しに「{word}」を含むが、回答時期をつなぐ人がいないため回答者IDにしない",
        )


def _ranked(found: Evidence) -> list[tuple[float, str]]:
    return sorted(((s, m) for m, s in found.scores.items()), reverse=True)


def infer_schema(table: Table) -> Schema:
    """Propose column meanings for ``table``, each with a reason in Japanese.

    >>> from analysis.load import read_survey
    >>> csv = "役職,部署,AIで仕事が楽になると思う\\n部長,営業部,そう思う\\n一般,総務部,どちらともいえない\\n"
    >>> schema = infer_schema(read_survey(csv.encode()))
    >>> schema.role, schema.department, [i.points for i in schema.items], schema.role_tiers
    ('役職', '部署', [5], {'部長': '管理職', '一般': '一般社員'})
    """
    evidence = column_evidence(table)
    assigned = _assign(evidence, skip=(Field.RESPONDENT.value,))
    waves = None
    if Field.WAVE.value in assigned.values():
        wave_column = next(c for c, m in assigned.items() if m == Field.WAVE.value)
        waves = evidence[wave_column].row_values().reindex(table.frame.index)
        waves = waves if waves.nunique() >= 2 else None
    for found in evidence.values():
        _score_respondent(found, waves)
    return _schema(table, evidence, _with_respondent(assigned, evidence))


def _with_respondent(assigned: dict[str, str], evidence: Mapping[str, Evidence]) -> dict[str, str]:
    """The best respondent ID among columns that are personal data or unused.

    Chosen after the other fields: an e-mail column that links waves is the ID
    when nothing better is there, and stays hidden as personal data.
    """
    candidates = [
        (found.scores["respondent"], column) for column, found in evidence.items()
        if found.scores.get("respondent", 0) >= LOW_CONFIDENCE
        and (assigned.get(column) == "pii"
             or (assigned.get(column) in ("other", None) and found.scores.get("other", 0) < 0.9))
    ]  # fmt: skip
    if not candidates:
        return assigned
    _, column = max(candidates, key=lambda c: c[0])
    return {**assigned, column: Field.RESPONDENT.value}


def _assign(evidence: Mapping[str, Evidence], *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Each column's meaning: the best-scored (column, meaning) pairs first, single fields once."""
    pairs = sorted(
        ((score, column, meaning) for column, found in evidence.items()
         for meaning, score in found.scores.items() if meaning not in skip),
        key=lambda p: -p[0],
    )  # fmt: skip
    assigned: dict[str, str] = {}
    single = {f.value for f in SINGLE}
    filled: set[str] = set()
    for _, column, meaning in pairs:
        if column in assigned or (meaning in single and meaning in filled):
            continue
        assigned[column] = meaning
        filled.add(meaning)
    return assigned


def _schema(table: Table, evidence: Mapping[str, Evidence], assigned: Mapping[str, str]) -> Schema:
    reasons, confidence, notes = {}, {}, []
    for column, meaning in assigned.items():
        found = evidence[column]
        reasons[column] = found.reasons[meaning]
        confidence[column] = round(found.scores[meaning], 2)
        notes += _close_calls(found, meaning, assigned, evidence)
    for single in SINGLE:
        notes += _competitors(single.value, assigned, evidence)
    by_meaning: dict[str, list[str]] = {}
    for column in table.frame.columns:
        by_meaning.setdefault(assigned.get(column, "other"), []).append(column)
    one = {f: (by_meaning.get(f.value) or [None])[0] for f in SINGLE}
    pii = list(by_meaning.get("pii", []))
    for column in (one[Field.RESPONDENT],):  # an ID that is also personal data stays hidden
        if column and evidence[column].scores.get("pii", 0) >= 0.5 and column not in pii:
            pii.append(column)
            reasons[column] += "（個人情報のため表示しません）"
    items = distinct_labels(_item(table, evidence[c]) for c in by_meaning.get("likert", []))
    role = one[Field.ROLE]
    return Schema(
        respondent=one[Field.RESPONDENT],
        role=role,
        wave=one[Field.WAVE],
        department=one[Field.DEPARTMENT],
        items=items,
        free_text=tuple(by_meaning.get("free_text", [])),
        pii=tuple(pii),
        reasons=reasons,
        role_tiers=inferred_tiers(evidence[role].distinct) if role else {},
        confidence=confidence,
        notes=tuple(dict.fromkeys(notes)),
        sheet=table.sheet,
    )


def _item(table: Table, found: Evidence) -> Item:
    label = table.label(found.column)
    cue = likert.reverse_cue(label)
    if cue:
        found.reasons["likert"] += f"。否定的な表現「{cue}」を含むため逆転項目"
    scale = found.scale
    return Item(found.column, label, scale.points, cue is not None, scale.name)


def inferred_tiers(values: list[str]) -> dict[str, str]:
    """Role values that are job titles, mapped to their tier (tiers themselves left out).

    >>> inferred_tiers(["部長", "管理職", "一般職", "総務"])
    {'部長': '管理職', '一般職': '一般社員'}
    """
    out = {}
    for value in values:
        tier = vocab.role_tier(value)
        if tier is not None and value != tier:
            out[value] = tier
    return out


_MEANING_JA = {
    "role": "役割（役職）", "wave": "回答時期", "department": "部署", "respondent": "回答者ID",
    "likert": "尺度項目", "free_text": "自由記述", "pii": "個人情報", TIMESTAMP: "日時",
    "other": "その他",
}  # fmt: skip


def _close_calls(found: Evidence, meaning: str, assigned, evidence) -> list[str]:
    ranked = _ranked(found)
    score = found.scores[meaning]
    notes = []
    if score < LOW_CONFIDENCE and meaning not in ("other", TIMESTAMP):
        notes.append(
            f"列「{found.column}」を{_MEANING_JA[meaning]}と判定しましたが、確信度が低め"
            f"（{score:.0%}）です。確認してください。"
        )
    hidden_either_way = {"pii", "respondent"}  # an ID that is personal data is never shown
    runner = next(
        ((s, m) for s, m in ranked
         if m not in (meaning, "other") and {m, meaning} != hidden_either_way),
        None,
    )  # fmt: skip
    if runner and score - runner[0] < CLOSE_CALL and runner[0] >= LOW_CONFIDENCE:
        notes.append(
            f"列「{found.column}」は{_MEANING_JA[meaning]}とも{_MEANING_JA[runner[1]]}とも"
            f"読めます。{_MEANING_JA[meaning]}としました。"
        )
    return notes


def _competitors(meaning: str, assigned, evidence) -> list[str]:
    winner = next((c for c, m in assigned.items() if m == meaning), None)
    if winner is None:
        return []
    best = evidence[winner].scores[meaning]
    rivals = [
        c for c, found in evidence.items()
        if c != winner and found.scores.get(meaning, 0) >= max(LOW_CONFIDENCE, best - CLOSE_CALL)
        and not (meaning == "respondent" and assigned.get(c) == "pii")
    ]  # fmt: skip
    if not rivals:
        return []
    shown = "」「".join(rivals)
    return [
        f"{_MEANING_JA[meaning]}の候補が複数あります（「{winner}」「{shown}」）。"
        f"「{winner}」を使いました。違う場合は列の対応付けで選び直してください。"
    ]
