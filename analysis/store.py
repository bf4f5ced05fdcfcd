"""Stored waves: uploads kept in a SQL database (SQLite by default, PostgreSQL by URL).

An upload keeps the file's original bytes and the column mapping the user
confirmed (the workbook sheet read included), so it can always be read again
exactly as it was understood. HR may change that mapping later (:meth:`WaveStore.remap`):
the file is read again under the new mapping, its waves are recounted, and the
mapping it replaced is kept in the upload's history. Each
upload holds one or more waves (a wave column's values, or one label for the
whole file); waves can be renamed or deleted. Uploads whose waves share a label
(two departments' exports of 研修前, say) are one wave in the analysis. Saving is one transaction: a
failure leaves nothing half-stored, and the same file saved twice is kept once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    Engine,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from analysis.errors import SurveyError
from analysis.load import Table, read_survey
from analysis.mapping import check_mapping
from analysis.schema import Field, Item, Schema, Survey, group_value, person_keys
from analysis.themes import Theme, ThemeEntry, check_entries, compile_themes, default_entries

DATABASE_URL_ENV = "KAKEHASHI_DATABASE_URL"
DATA_DIR_ENV = "KAKEHASHI_DATA_DIR"
DEFAULT_SURVEY = "AI導入研修アンケート"


class _Base(DeclarativeBase):
    pass


class _Upload(_Base):
    __tablename__ = "uploads"
    __table_args__ = (UniqueConstraint("survey", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey: Mapped[str] = mapped_column(String(200), index=True)
    filename: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(
        LargeBinary, deferred=True
    )  # listing waves never loads files
    encoding: Mapped[str | None] = mapped_column(String(40))
    schema_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column()
    waves: Mapped[list[_Wave]] = relationship(
        back_populates="upload", cascade="all, delete-orphan", order_by="_Wave.id"
    )
    history: Mapped[list[_MappingHistory]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="_MappingHistory.id"
    )


class _Wave(_Base):
    __tablename__ = "waves"
    __table_args__ = (UniqueConstraint("upload_id", "source_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200))
    source_value: Mapped[str] = mapped_column(String(200))  # "" = the whole file is one wave
    n_responses: Mapped[int] = mapped_column()
    upload: Mapped[_Upload] = relationship(back_populates="waves")


class _MappingHistory(_Base):
    """A mapping an upload had before HR changed it (a table added after the first release)."""

    __tablename__ = "mapping_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"), index=True)
    schema_json: Mapped[str] = mapped_column(Text)  # the mapping that was replaced
    replaced_at: Mapped[dt.datetime] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")


class _Setting(_Base):
    __tablename__ = "settings"

    survey: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class _Headcount(_Base):
    """How many people a role (or one department of it) has: HR's input for response rates."""

    __tablename__ = "headcounts"

    survey: Mapped[str] = mapped_column(String(200), primary_key=True)
    role: Mapped[str] = mapped_column(String(200), primary_key=True)
    department: Mapped[str] = mapped_column(String(200), primary_key=True)  # "" = the whole role
    headcount: Mapped[int] = mapped_column()


class _ThemeRow(_Base):
    """One theme of HR's dictionary (設定): shared by every survey; no rows = ``themes.toml``."""

    __tablename__ = "theme_dictionary"

    position: Mapped[int] = mapped_column(primary_key=True)  # the dictionary's order, from 0
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    words_json: Mapped[str] = mapped_column(Text)  # a JSON list of strings
    phrases_json: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[dt.datetime] = mapped_column()


@dataclass(frozen=True)
class StoredThemes:
    """The theme dictionary in use: HR's (``saved_at`` set) or the default ``themes.toml``."""

    entries: tuple[ThemeEntry, ...]
    saved_at: dt.datetime | None  # None: nothing stored, the bundled default

    @property
    def themes(self) -> tuple[Theme, ...]:
        return compile_themes(self.entries)


@dataclass(frozen=True)
class StoredWave:
    """One wave as HR sees it in the history."""

    id: int
    survey: str
    label: str
    filename: str
    n_responses: int
    saved_at: dt.datetime


@dataclass(frozen=True)
class StoredUpload:
    """One stored file: its waves and the mapping it is analysed with."""

    id: int
    filename: str
    saved_at: dt.datetime
    waves: tuple[StoredWave, ...]
    schema: Schema


@dataclass(frozen=True)
class MappingChange:
    """One change of an upload's mapping: ``before`` was replaced by ``after``."""

    id: int
    upload_id: int
    replaced_at: dt.datetime
    note: str
    before: Schema
    after: Schema


@dataclass(frozen=True)
class Overlap:
    """People of a new file already stored in one wave."""

    wave: str
    people: int
    filename: str  # the stored file they are in
    basis: str  # how they were recognised (回答者IDが同じ回答, …)


class DuplicatePeopleError(SurveyError):
    """A file holds people already stored in the same wave: saving it would count them twice."""

    def __init__(self, overlap: Sequence[Overlap], *, file: str | None = None) -> None:
        self.overlap = list(overlap)
        where = "、".join(
            f"{o.wave}に{o.people}人（保存済みの「{o.filename}」と{o.basis}）" for o in overlap
        )
        super().__init__(
            f"すでに保存済みの回答者が含まれています: {where}。同じ人を二重に数えないため保存しませんでした。"
            "このファイルで置き換える場合は「同じ回答時期を置き換える」を選んで保存してください。",
            file=file,
        )


def database_url(url: str | None = None) -> str:
    """The URL given, else ``$KAKEHASHI_DATABASE_URL``, else SQLite under the data folder."""
    if url:
        return url
    if os.environ.get(DATABASE_URL_ENV):
        return os.environ[DATABASE_URL_ENV]
    folder = Path(os.environ.get(DATA_DIR_ENV, Path(__file__).resolve().parents[1] / "data"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'kakehashi.db'}"


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA busy_timeout=10000")  # two app processes wait, never corrupt
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class WaveStore:
    """Survey waves in a database. ``WaveStore()`` uses the configured URL."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        self.engine: Engine = create_engine(self.url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        _Base.metadata.create_all(self.engine)

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def save(
        self,
        content: bytes,
        *,
        filename: str,
        schema: Schema,
        survey: str = DEFAULT_SURVEY,
        encoding: str | None = None,
        wave_label: str | None = None,
        replace_waves: bool = False,
    ) -> list[StoredWave]:
        """Store a file and its mapping; return its waves (the existing ones if already saved).

        ``wave_label`` names the wave of a file that has no wave column. A file
        holding people already stored in the same wave (the same export saved
        again by Excel, say) is refused with :class:`DuplicatePeopleError`, so nobody
        counts twice; with ``replace_waves`` those stored waves are deleted and
        this file takes their place, in the same transaction.
        """
        table = read_survey(content, name=filename, encoding=encoding, sheet=schema.sheet)
        check_mapping(table, schema)
        waves = wave_counts(table, schema, wave_label)
        digest = hashlib.sha256(content).hexdigest()
        with self._session() as session:
            if self._upload_of(session, survey, digest) is None:
                overlap = self.overlap(survey, Survey(table, schema), waves)
            else:
                overlap = []  # the very same bytes: stored once, nothing to compare
        if overlap and not replace_waves:
            with self._session() as session:  # another process may just have stored these bytes
                same = self._upload_of(session, survey, digest)
                if same is not None:
                    return [_stored(w) for w in same.waves]
            raise DuplicatePeopleError(overlap, file=filename)
        replaced = {o.wave for o in overlap}
        try:
            return self._insert(
                content, filename, schema, survey, encoding, digest, waves, replaced
            )
        except IntegrityError:  # another session stored the same file a moment ago
            with self._session() as session:
                existing = self._upload_of(session, survey, digest)
                if existing is None:
                    raise
                return [_stored(w) for w in existing.waves]

    def overlap(
        self, survey: str, new: Survey, waves: Sequence[tuple[str, str, int]]
    ) -> list[Overlap]:
        """People of ``new`` already stored in ``survey``, wave by wave (empty: none).

        People are matched as :func:`analysis.schema.person_keys` recognises
        them (respondent ID, e-mail, or an identical sheet with a written
        answer), and only where both sides are recognised the same way.
        """
        stored = self._joined(survey)
        if stored is None:
            return []
        new_keys, basis = person_keys(new)
        old_keys, old_basis = person_keys(stored)
        if basis is None or basis != old_basis:
            return []
        labels = dict((value, label) for value, label, _ in waves)
        if new.schema.wave is None:
            new_waves = pd.Series(labels.get("", ""), index=range(len(new.frame)))
        else:
            new_waves = (
                new.frame[new.schema.wave].map(_wave_value).map(labels).reset_index(drop=True)
            )
        old_waves = stored.frame[Field.WAVE.value].reset_index(drop=True)
        filenames = {w.label: w.filename for w in self.waves(survey)}
        found = []
        for label in dict.fromkeys(new_waves.dropna()):
            mine = set(new_keys[(new_waves == label).to_numpy()].dropna())
            theirs = set(old_keys[(old_waves == label).to_numpy()].dropna())
            if mine & theirs:
                found.append(Overlap(label, len(mine & theirs), filenames.get(label, ""), basis))
        return found

    @staticmethod
    def _upload_of(session: Session, survey: str, digest: str) -> _Upload | None:
        return session.scalar(
            select(_Upload).where(_Upload.survey == survey, _Upload.content_hash == digest)
        )

    def _insert(
        self,
        content: bytes,
        filename: str,
        schema: Schema,
        survey: str,
        encoding: str | None,
        digest: str,
        waves: list[tuple[str, str, int]],
        replaced: set[str] = frozenset(),
    ) -> list[StoredWave]:
        with self._session() as session, session.begin():
            existing = self._upload_of(session, survey, digest)
            if existing is not None:
                return [_stored(w) for w in existing.waves]
            for old in self._waves_of(session, survey) if replaced else ():  # what it replaces
                if old.label in replaced:
                    upload = old.upload
                    upload.waves.remove(old)
                    if not upload.waves:
                        session.delete(upload)
            session.flush()
            upload = _Upload(
                survey=survey,
                filename=filename,
                content_hash=digest,
                content=content,
                encoding=encoding,
                schema_json=json.dumps(schema.to_dict(), ensure_ascii=False),
                created_at=_now(),
            )
            session.add(upload)
            for source_value, label, n in waves:
                upload.waves.append(_Wave(label=label, source_value=source_value, n_responses=n))
            session.flush()
            return [_stored(w) for w in upload.waves]

    @staticmethod
    def _waves_of(session: Session, survey: str) -> Sequence[_Wave]:
        query = select(_Wave).join(_Upload).where(_Upload.survey == survey).order_by(_Wave.id)
        return session.scalars(query).all()

    def surveys(self) -> list[str]:
        with self._session() as session:
            return list(session.scalars(select(_Upload.survey).distinct().order_by(_Upload.survey)))

    def waves(self, survey: str = DEFAULT_SURVEY) -> list[StoredWave]:
        with self._session() as session:
            return [_stored(w) for w in self._waves_of(session, survey)]

    def rename_wave(self, wave_id: int, label: str) -> None:
        label = label.strip()
        if not label:
            raise SurveyError("回答時期の名前が空です。")
        with self._session() as session, session.begin():
            wave = session.get(_Wave, wave_id)
            if wave is None:
                raise SurveyError("その回答時期は見つかりません（すでに削除されています）。")
            others = {
                w.label for w in self._waves_of(session, wave.upload.survey) if w.id != wave_id
            }
            if label in others:
                raise SurveyError(f"回答時期「{label}」はすでにあります。別の名前にしてください。")
            wave.label = label

    def delete_wave(self, wave_id: int) -> None:
        """Delete one wave; an upload left with no wave is deleted with it."""
        with self._session() as session, session.begin():
            wave = session.get(_Wave, wave_id)
            if wave is None:
                return
            upload = wave.upload
            upload.waves.remove(wave)
            if not upload.waves:
                session.delete(upload)

    def setting(self, key: str, default: int, *, survey: str = DEFAULT_SURVEY) -> int:
        """A whole-number setting of a survey (e.g. the anonymity threshold)."""
        with self._session() as session:
            row = session.get(_Setting, (survey, key))
            return int(row.value) if row is not None else default

    def set_setting(self, key: str, value: int, *, survey: str = DEFAULT_SURVEY) -> None:
        with self._session() as session, session.begin():
            session.merge(_Setting(survey=survey, key=key, value=str(int(value))))

    def headcounts(self, survey: str = DEFAULT_SURVEY) -> pd.DataFrame:
        """HR's headcounts: ``role``, ``department`` (``""`` for the whole role), ``headcount``."""
        query = (
            select(_Headcount.role, _Headcount.department, _Headcount.headcount)
            .where(_Headcount.survey == survey)
            .order_by(_Headcount.role, _Headcount.department)
        )
        with self._session() as session:
            rows = [tuple(row) for row in session.execute(query)]
        return pd.DataFrame(rows, columns=HEADCOUNT_COLUMNS).astype({"headcount": int})

    def set_headcounts(
        self,
        rows: pd.DataFrame,
        *,
        survey: str = DEFAULT_SURVEY,
        respondents: Mapping[str, int] | None = None,
    ) -> pd.DataFrame:
        """Replace a survey's headcounts with ``rows`` (checked by :func:`check_headcounts`).

        One transaction, after the check: bad input raises :class:`SurveyError`
        and nothing is stored. Returns the rows as stored.
        """
        table = check_headcounts(rows, respondents=respondents)
        with self._session() as session, session.begin():
            session.execute(delete(_Headcount).where(_Headcount.survey == survey))
            session.add_all(
                _Headcount(
                    survey=survey, role=r.role, department=r.department, headcount=r.headcount
                )
                for r in table.itertuples(index=False)
            )
        return table

    def theme_dictionary(self) -> StoredThemes:
        """HR's theme dictionary, or ``themes.toml`` when none is stored (one for every survey)."""
        with self._session() as session:
            rows = session.scalars(select(_ThemeRow).order_by(_ThemeRow.position)).all()
        if not rows:
            return StoredThemes(default_entries(), None)
        entries = tuple(
            ThemeEntry(
                r.name,
                r.description,
                tuple(json.loads(r.words_json)),
                tuple(json.loads(r.phrases_json)),
            )
            for r in rows
        )
        return StoredThemes(entries, max(r.saved_at for r in rows))

    def themes(self) -> tuple[Theme, ...]:
        """The themes every page, the CLI and the deck match answers with (:meth:`theme_dictionary`)."""
        return self.theme_dictionary().themes

    def set_themes(self, rows: Sequence[ThemeEntry | Sequence[object]]) -> StoredThemes:
        """Replace the theme dictionary with ``rows`` (checked by :func:`analysis.themes.check_entries`).

        One transaction, after the check: bad input raises :class:`SurveyError` and the
        dictionary stays as it was. Returns the dictionary as stored.
        """
        entries = check_entries(rows)
        for attempt in range(2):  # another HR's save committed rows this delete did not see
            saved_at = _now()
            try:
                with self._session() as session, session.begin():
                    session.execute(delete(_ThemeRow))
                    session.flush()  # the old names are gone before the new rows take them
                    session.add_all(
                        _ThemeRow(
                            position=position,
                            name=e.name,
                            description=e.description,
                            words_json=json.dumps(list(e.words), ensure_ascii=False),
                            phrases_json=json.dumps(list(e.phrases), ensure_ascii=False),
                            saved_at=saved_at,
                        )
                        for position, e in enumerate(entries)
                    )
            except IntegrityError:
                if attempt:
                    raise
            else:
                break
        return StoredThemes(entries, saved_at)

    def reset_themes(self) -> StoredThemes:
        """Back to the bundled ``themes.toml``: HR's dictionary is deleted."""
        with self._session() as session, session.begin():
            session.execute(delete(_ThemeRow))
        return StoredThemes(default_entries(), None)

    def uploads(self, survey: str = DEFAULT_SURVEY) -> list[StoredUpload]:
        """The survey's stored files, oldest first, each with its waves and mapping."""
        with self._session() as session:
            uploads = session.scalars(
                select(_Upload).where(_Upload.survey == survey).order_by(_Upload.id)
            ).all()
            return [
                StoredUpload(
                    u.id,
                    u.filename,
                    u.created_at,
                    tuple(_stored(w) for w in u.waves),
                    Schema.from_dict(json.loads(u.schema_json)),
                )
                for u in uploads
            ]

    def upload_table(self, upload_id: int) -> tuple[Table, Schema]:
        """A stored file read again (its encoding and sheet), with the mapping it has now."""
        with self._session() as session:
            upload = self._upload(session, upload_id)
            content, filename, encoding = upload.content, upload.filename, upload.encoding
            schema = Schema.from_dict(json.loads(upload.schema_json))
        table = read_survey(content, name=filename, encoding=encoding, sheet=schema.sheet)
        return table, schema

    def remap(self, upload_id: int, schema: Schema, *, note: str = "") -> list[StoredWave]:
        """Analyse a stored file with another mapping; return its waves, recounted.

        The file is read again under ``schema`` (its sheet included) and the
        mapping is checked against it: every mapped column must exist, and a wave
        column's values become the waves. A wave value that the upload already
        had keeps the label HR gave it; with the same wave column as before, a
        wave HR deleted stays deleted. The replaced mapping goes into the
        upload's history (:meth:`mapping_history`) with ``note``. One
        transaction: on any error nothing has changed.
        """
        with self._session() as session, session.begin():
            upload = self._upload(session, upload_id, for_update=True)
            before = Schema.from_dict(json.loads(upload.schema_json))
            table = read_survey(
                upload.content, name=upload.filename, encoding=upload.encoding, sheet=schema.sheet
            )
            check_mapping(table, schema)
            labels = {w.source_value: w.label for w in upload.waves}
            only = next(iter(labels.values())) if len(labels) == 1 else None
            counts = wave_counts(table, schema, labels.get("", only))
            if schema.wave is not None and (schema.wave, schema.sheet) == (
                before.wave,
                before.sheet,
            ):
                counts = [c for c in counts if c[0] in labels]  # HR's deletions stand
            if not counts:
                raise SurveyError("この対応付けでは回答時期が残りません。", file=upload.filename)
            rows = {w.source_value: w for w in upload.waves}
            for value in set(rows) - {c[0] for c in counts}:
                upload.waves.remove(rows[value])
            for value, label, n in counts:
                if value in rows:  # the label HR gave it stays
                    rows[value].n_responses = n
                else:
                    upload.waves.append(_Wave(label=label, source_value=value, n_responses=n))
            upload.history.append(
                _MappingHistory(
                    schema_json=upload.schema_json,
                    replaced_at=_now(),
                    note=note.strip(),
                )
            )
            upload.schema_json = json.dumps(schema.to_dict(), ensure_ascii=False)
            session.flush()
            return [_stored(w) for w in upload.waves]

    def mapping_history(self, upload_id: int) -> list[MappingChange]:
        """How an upload's mapping changed, newest first."""
        with self._session() as session:
            upload = self._upload(session, upload_id)
            schemas = [h.schema_json for h in upload.history] + [upload.schema_json]
            changes = [
                MappingChange(
                    h.id,
                    upload_id,
                    h.replaced_at,
                    h.note,
                    Schema.from_dict(json.loads(before)),
                    Schema.from_dict(json.loads(after)),
                )
                for h, before, after in zip(upload.history, schemas, schemas[1:], strict=False)
            ]
        return changes[::-1]

    def mapping_revisions(self, survey: str = DEFAULT_SURVEY) -> tuple[tuple[int, int], ...]:
        """(upload id, its latest history entry or 0) per upload: changes on every remap."""
        query = (
            select(_Upload.id, func.coalesce(func.max(_MappingHistory.id), 0))
            .outerjoin(_MappingHistory, _MappingHistory.upload_id == _Upload.id)
            .where(_Upload.survey == survey)
            .group_by(_Upload.id)
            .order_by(_Upload.id)
        )
        with self._session() as session:
            return tuple((int(u), int(h)) for u, h in session.execute(query))

    @staticmethod
    def _upload(session: Session, upload_id: int, *, for_update: bool = False) -> _Upload:
        upload = session.get(_Upload, upload_id, with_for_update=for_update or None)
        if upload is None:
            raise SurveyError("その保存済みファイルは見つかりません（すでに削除されています）。")
        return upload

    def survey(self, survey: str = DEFAULT_SURVEY) -> Survey | None:
        """All stored waves of a survey joined into one :class:`Survey` (``None`` if empty)."""
        return self._joined(survey)

    def _joined(self, survey: str) -> Survey | None:
        """:meth:`survey`, for the store's own checks (saving compares with what is stored)."""
        with self._session() as session:
            uploads = session.scalars(
                select(_Upload).where(_Upload.survey == survey).order_by(_Upload.id)
            ).all()
            parts = [
                (
                    u.content,
                    u.filename,
                    u.encoding,
                    u.schema_json,
                    [(w.source_value, w.label) for w in u.waves],
                )
                for u in uploads
            ]
        if not parts:
            return None
        uploads = []
        for content, name, encoding, js, waves in parts:
            schema = Schema.from_dict(json.loads(js))
            table = read_survey(content, name=name, encoding=encoding, sheet=schema.sheet)
            uploads.append((table, schema, waves))
        return combine_uploads(uploads, name=survey)


def configured_themes(url: str | None = None) -> StoredThemes:
    """The theme dictionary of the database at ``url`` (else the configured one), for the CLI.

    Without a URL and without ``$KAKEHASHI_DATABASE_URL``, the default SQLite file is
    read only if it exists: no database is created just to find ``themes.toml``.
    """
    if not url and not os.environ.get(DATABASE_URL_ENV):
        folder = Path(os.environ.get(DATA_DIR_ENV, Path(__file__).resolve().parents[1] / "data"))
        if not (folder / "kakehashi.db").is_file():
            return StoredThemes(default_entries(), None)
    store = WaveStore(url)
    try:
        return store.theme_dictionary()
    finally:
        store.engine.dispose()


HEADCOUNT_COLUMNS = ["role", "department", "headcount"]
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")


def check_headcounts(
    rows: pd.DataFrame, *, respondents: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """HR's headcount rows made tidy, or a :class:`SurveyError` in Japanese.

    ``rows`` has ``role``, ``headcount`` and optionally ``department`` (blank:
    the whole role); a headcount may be typed as text (全角 digits and a
    trailing 人 are read). Rows without a headcount are dropped unless they name a
    department (the editor starts with one blank row per role: a role left blank
    simply has no rate).
    ``respondents`` (role -> most people counted in any one wave) refuses a
    role whose headcount is smaller; the message never names that number.

    >>> rows = pd.DataFrame({"role": ["管理職", "一般社員"], "headcount": ["１２人", 40]})
    >>> check_headcounts(rows).values.tolist()
    [['一般社員', '', 40], ['管理職', '', 12]]
    >>> check_headcounts(pd.DataFrame({"role": ["管理職"], "headcount": ["-3"]}))
    Traceback (most recent call last):
    ...
    analysis.errors.SurveyError: 1行目: 「管理職」の人数が負の数です。0以上の整数を入力してください。
    """
    frame = pd.DataFrame(rows).copy()
    for column in HEADCOUNT_COLUMNS:
        if column not in frame:
            frame[column] = None
    parsed = []
    for number, (role, department, value) in enumerate(
        frame[HEADCOUNT_COLUMNS].itertuples(index=False, name=None), start=1
    ):
        role, department = _cell_text(role), _cell_text(department)
        raw = _cell_text(value)
        if not raw and not department:
            continue  # an empty row of the editor, or a role HR left blank
        if not role:
            raise SurveyError("役割が空です。役割を選んでから人数を入力してください。", row=number)
        if not raw:
            raise SurveyError(
                f"「{role}」の人数が空です。0以上の整数を入力してください。", row=number
            )
        text = unicodedata.normalize("NFKC", raw).replace(",", "").strip().removesuffix("人")
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not _WHOLE_NUMBER.fullmatch(text.strip()):
            raise SurveyError(
                f"「{role}」の人数「{raw}」は数ではありません。0以上の整数を入力してください。",
                row=number,
            )
        headcount = int(text)
        if headcount < 0:
            raise SurveyError(
                f"「{role}」の人数が負の数です。0以上の整数を入力してください。", row=number
            )
        parsed.append((role, department, headcount))
    table = pd.DataFrame(parsed, columns=HEADCOUNT_COLUMNS).astype({"headcount": int})
    twice = table.duplicated(["role", "department"], keep=False)
    if twice.any():
        role, department = table.loc[twice, ["role", "department"]].iloc[0]
        where = f"「{role}」（{department}）" if department else f"「{role}」（部署の指定なし）"
        raise SurveyError(f"{where}の人数が2回入力されています。1行にまとめてください。")
    totals = role_headcounts(table)
    for role, at_least in (respondents or {}).items():
        if role in totals and totals[role] < at_least:
            raise SurveyError(
                f"「{role}」の人数（{totals[role]}人）が、回答した人数より少なくなっています。"
                "在籍者数（対象者数）を入力してください。"
            )
    return table.sort_values(["role", "department"]).reset_index(drop=True)


def role_headcounts(headcounts: pd.DataFrame) -> dict[str, int]:
    """Headcount per role: its whole-role row, else the sum of its departments' rows.

    >>> rows = pd.DataFrame({"role": ["管理職", "管理職", "一般社員"],
    ...     "department": ["営業", "開発", ""], "headcount": [4, 6, 30]})
    >>> role_headcounts(rows)
    {'一般社員': 30, '管理職': 10}
    """
    totals = {}
    for role, rows in headcounts.groupby("role", sort=True):
        whole = rows.loc[rows["department"].fillna("") == "", "headcount"]
        totals[str(role)] = int(whole.iloc[0]) if len(whole) else int(rows["headcount"].sum())
    return totals


def _cell_text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _stored(wave: _Wave) -> StoredWave:
    upload = wave.upload
    return StoredWave(
        wave.id, upload.survey, wave.label, upload.filename, wave.n_responses, upload.created_at
    )


def wave_counts(table: Table, schema: Schema, wave_label: str | None) -> list[tuple[str, str, int]]:
    """(value in the file, label to show, responses) per wave in the file."""
    if schema.wave is None:
        label = (wave_label or "").strip() or Path(table.name).stem
        return [("", label, len(table.frame))]
    values = table.frame[schema.wave].map(_wave_value)
    counts = values[values != ""].value_counts(sort=False)
    if counts.empty:
        raise SurveyError("回答時期の列が空です。", file=table.name, column=schema.wave)
    return [(value, value, int(n)) for value, n in counts.items()]


def _wave_value(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def combine_uploads(
    uploads: Sequence[tuple[Table, Schema, Sequence[tuple[str, str]]]], *, name: str
) -> Survey:
    """Join uploads into one survey whose columns are named for what they mean.

    Each upload's rows are kept for its remaining waves (``(source value, label)``
    pairs) and relabelled; Likert items and free-text questions with the same
    statement line up across uploads.
    """
    frames, items, free_text = [], {}, {}
    for table, schema, waves in uploads:
        labels = dict(waves)
        source = table.frame
        if schema.wave is None:
            wave = pd.Series(labels.get("", table.name), index=source.index, dtype=object)
        else:
            wave = source[schema.wave].map(_wave_value).map(labels)
        keep = wave.notna()
        part = pd.DataFrame(index=source.index[keep])
        part[Field.WAVE.value] = wave[keep]
        for name_ in (Field.RESPONDENT, Field.ROLE, Field.DEPARTMENT):
            column = getattr(schema, name_.value)
            part[name_.value] = source.loc[keep, column] if column else None
        if schema.role and schema.role_tiers:  # each upload's own tiers, before they are joined
            part[Field.ROLE.value] = part[Field.ROLE.value].map(
                partial(group_value, tiers=schema.role_tiers)
            )
        for item in schema.items:
            items.setdefault(item.label, item)
            part[item.label] = source.loc[keep, item.column]
        for column in schema.free_text:
            label = table.label(column)
            free_text.setdefault(label, label)
            part[label] = source.loc[keep, column]
        frames.append(part)
    frame = pd.concat(frames, ignore_index=True).astype(object)
    frame = frame.where(frame.notna(), None)
    digest = hashlib.sha256(  # the mapping too: another role column or tier, other groups
        json.dumps(
            [(t.digest, s.to_dict(), list(w)) for t, s, w in uploads],
            ensure_ascii=False,
            sort_keys=True,
        ).encode()
    ).hexdigest()
    combined = Table(frame, name, uploads[0][0].format, "stored", digest=digest)
    present = {name_.value: name_.value if frame[name_.value].notna().any() else None
               for name_ in (Field.RESPONDENT, Field.ROLE, Field.DEPARTMENT)}  # fmt: skip
    schema = Schema(
        respondent=present["respondent"],
        role=present["role"],
        wave=Field.WAVE.value,
        department=present["department"],
        items=tuple(Item(label, label, i.points, i.reverse, i.scale) for label, i in items.items()),
        free_text=tuple(free_text),
        pii=(Field.RESPONDENT.value,) if present["respondent"] else (),
    )
    return Survey(combined, schema)
