"""The audit log: who did what, and when, in the same database as the waves.

One row per action (:class:`Action`): sign-ins (and refusals), uploads, mapping
and threshold changes, theme dictionary edits, wave renames and deletions, deck exports, account changes.
HR reads it on 設定 and downloads it as CSV (:func:`audit_csv`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum

import pandas as pd
from sqlalchemy import Engine, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from analysis.spreadsheet import csv_bytes
from analysis.store import _Base, _now


class Action(StrEnum):
    SIGN_IN = "サインイン"
    SIGN_IN_FAILED = "サインイン失敗"
    SIGN_OUT = "サインアウト"
    PASSWORD_CHANGE = "パスワード変更"
    UPLOAD = "アップロード保存"
    MAPPING = "列の対応付けの変更"
    THRESHOLD = "匿名性の基準の変更"
    WAVE_RENAME = "回答時期の名前変更"
    WAVE_DELETE = "回答時期の削除"
    DECK_EXPORT = "スライドの書き出し"
    ACCOUNT = "アカウントの変更"
    THEMES = "テーマ辞書の変更"


class _AuditRow(_Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    survey: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


COLUMNS = {
    "at": "日時（UTC）",
    "actor": "誰が",
    "action": "操作",
    "survey": "調査",
    "detail": "内容",
}


class AuditLog:
    """Append-only rows of (when, who, what); ``clock`` is naive UTC."""

    def __init__(self, engine: Engine, *, clock: Callable[[], dt.datetime] = _now) -> None:
        self.engine = engine
        self.clock = clock
        _Base.metadata.create_all(engine)

    def record(self, actor: str, action: Action, *, survey: str = "", detail: str = "") -> None:
        with Session(self.engine) as session, session.begin():
            session.add(
                _AuditRow(
                    at=self.clock(),
                    actor=actor,
                    action=str(action),
                    survey=survey,
                    detail=detail,
                )
            )

    def rows(self, *, limit: int | None = None) -> pd.DataFrame:
        """The log, newest first: ``at``, ``actor``, ``action``, ``survey``, ``detail``."""
        query = select(_AuditRow).order_by(_AuditRow.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with Session(self.engine) as session:
            found = session.scalars(query).all()
        return pd.DataFrame(
            [(r.at, r.actor, r.action, r.survey, r.detail) for r in found], columns=list(COLUMNS)
        )


def audit_csv(rows: pd.DataFrame) -> bytes:
    """The log as CSV for Excel: Japanese headers, cells that look like formulas quoted."""
    shown = rows.assign(at=rows["at"].map(lambda t: f"{t:%Y-%m-%d %H:%M:%S}")).rename(
        columns=COLUMNS
    )
    return csv_bytes(shown)
