"""Local accounts, sessions and grants, in the same database as the waves.

Passwords are hashed with argon2id (argon2-cffi); nothing here is home-made
crypto. After :data:`MAX_FAILURES` wrong passwords in a row an account is locked
for :data:`LOCKOUT`. A session is a random token (only its SHA-256 is stored)
that expires :data:`SESSION_LIFETIME` after sign-in. Accounts signed in through
single sign-on (``st.login``) have no password: HR adds them by e-mail address.

Grants say which surveys (and, for a manager, which departments) an account may
see; what each role may do is decided in :mod:`analysis.access`.

Run ``python -m analysis.accounts --help`` on the server to add users or reset a
password from the terminal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, ForeignKey, String, Text, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from analysis.errors import SurveyError
from analysis.store import _Base, _now, database_url

MAX_FAILURES = 5  # wrong passwords in a row before the account is locked
LOCKOUT = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=8)
MIN_PASSWORD_LENGTH = 10
FIRST_ACCOUNT = "admin"
ROLES = ("人事", "管理職", "研修講師")  # analysis.access.Role holds their meaning

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown names (equal work), made on first use: at import
    it cost every page's first view 0.15-0.3 s."""
    return _hasher.hash("kakehashi-no-such-account")


class _Account(_Base):
    __tablename__ = "accounts"

    username: Mapped[str] = mapped_column(String(200), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(Text)  # None: single sign-on only
    must_change: Mapped[bool] = mapped_column(default=False)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column()


class _AuthSession(_Base):
    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(
        ForeignKey("accounts.username", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column()
    expires_at: Mapped[dt.datetime] = mapped_column()


class _Grant(_Base):
    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("username", "survey", "department"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(
        ForeignKey("accounts.username", ondelete="CASCADE"), index=True
    )
    survey: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200), default="")  # "" = every department


class SignInError(SurveyError):
    """A sign-in or session that is refused, with the reason in Japanese."""


@dataclass(frozen=True)
class Grant:
    """One survey an account may see; ``department`` None means the whole survey."""

    survey: str
    department: str | None = None


@dataclass(frozen=True)
class Account:
    """An account as the app sees it (never its password hash)."""

    username: str
    role: str
    must_change: bool
    locked_until: dt.datetime | None
    sso: bool  # no password: signs in through single sign-on only
    grants: tuple[Grant, ...] = ()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def one_time_password() -> str:
    """A random password to hand over once (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


def check_password(password: str) -> None:
    """Refuse a password too short to keep (:data:`MIN_PASSWORD_LENGTH`).

    >>> check_password("短い")
    Traceback (most recent call last):
    ...
    analysis.accounts.SignInError: パスワードは10文字以上にしてください
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise SignInError(f"パスワードは{MIN_PASSWORD_LENGTH}文字以上にしてください")


class AccountStore:
    """Accounts, sessions and grants. Shares the waves' database (and engine when given).

    ``clock`` (naive UTC) and ``lifetime`` are parameters so tests can move time on.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        engine: Engine | None = None,
        clock: Callable[[], dt.datetime] = _now,
        lifetime: dt.timedelta = SESSION_LIFETIME,
    ) -> None:
        if engine is None:
            from analysis.store import WaveStore

            engine = WaveStore(database_url(url)).engine
        self.engine = engine
        self.clock = clock
        self.lifetime = lifetime
        _Base.metadata.create_all(engine)

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # --- accounts ---------------------------------------------------------------------------

    def create_account(
        self,
        username: str,
        *,
        role: str,
        password: str | None = None,
        must_change: bool = False,
    ) -> Account:
        """A new account; without ``password`` it signs in through single sign-on only."""
        username = username.strip()
        if not username:
            raise SignInError("ユーザー名を入力してください")
        if role not in ROLES:
            raise SignInError(f"役割は{'・'.join(ROLES)}のいずれかです（{role}）")
        if password is not None:
            check_password(password)
        row = _Account(
            username=username,
            role=role,
            password_hash=None if password is None else _hasher.hash(password),
            must_change=must_change and password is not None,
            failures=0,
            created_at=self.clock(),
        )
        try:
            with self._session() as session, session.begin():
                session.add(row)
        except IntegrityError:
            raise SignInError(f"「{username}」はすでに登録されています") from None
        return self.account(username)

    def account(self, username: str) -> Account | None:
        with self._session() as session:
            row = session.get(_Account, username)
            return None if row is None else self._public(session, row)

    def accounts(self) -> list[Account]:
        with self._session() as session:
            rows = session.scalars(select(_Account).order_by(_Account.username)).all()
            return [self._public(session, row) for row in rows]

    def has_accounts(self) -> bool:
        with self._session() as session:
            return session.scalars(select(_Account.username).limit(1)).first() is not None

    def bootstrap(self, username: str = FIRST_ACCOUNT) -> str | None:
        """On a database without accounts: an HR account and its one-time password.

        Returns ``None`` when accounts exist (or another process created the first one).
        """
        if self.has_accounts():
            return None
        password = one_time_password()
        try:
            self.create_account(username, role=ROLES[0], password=password, must_change=True)
        except SignInError:
            return None
        return password

    def set_role(self, username: str, role: str) -> None:
        if role not in ROLES:
            raise SignInError(f"役割は{'・'.join(ROLES)}のいずれかです（{role}）")
        with self._session() as session, session.begin():
            self._row(session, username).role = role

    def delete_account(self, username: str) -> None:
        with self._session() as session, session.begin():
            session.execute(delete(_AuthSession).where(_AuthSession.username == username))
            session.execute(delete(_Grant).where(_Grant.username == username))
            session.delete(self._row(session, username))

    def reset_password(self, username: str) -> str:
        """A new one-time password (to change at the next sign-in); unlocks the account."""
        password = one_time_password()
        with self._session() as session, session.begin():
            row = self._row(session, username)
            row.password_hash = _hasher.hash(password)
            row.must_change, row.failures, row.locked_until = True, 0, None
            session.execute(delete(_AuthSession).where(_AuthSession.username == username))
        return password

    def change_password(self, username: str, current: str, new: str) -> None:
        """Replace a password after checking the current one; clears the must-change flag."""
        check_password(new)
        if new == current:
            raise SignInError("新しいパスワードは今のパスワードと別のものにしてください")
        with self._session() as session, session.begin():
            row = self._row(session, username)
            if not _verifies(row.password_hash, current):
                raise SignInError("今のパスワードが違います")
            row.password_hash = _hasher.hash(new)
            row.must_change = False

    # --- sign-in and sessions ---------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> str:
        """A session token for a right password; :class:`SignInError` otherwise.

        A wrong password counts towards the lock-out; the message never says whether
        the name exists.
        """
        now = self.clock()
        refused = SignInError("ユーザー名またはパスワードが違います")
        with self._session() as session, session.begin():
            row = session.get(_Account, username.strip(), with_for_update=True)
            if row is None or row.password_hash is None:
                _verifies(_dummy_hash(), password)
                raise refused
            if row.locked_until is not None and row.locked_until > now:
                raise SignInError(
                    "パスワードを続けて間違えたため、このアカウントはロックされています。"
                    f"{row.locked_until + dt.timedelta(hours=9):%H:%M}（日本時間）以降にもう一度お試しいただくか、人事に解除を依頼してください"
                )
            if not _verifies(row.password_hash, password):
                row.failures += 1
                if row.failures >= MAX_FAILURES:
                    row.locked_until, row.failures = now + LOCKOUT, 0
            else:
                row.failures, row.locked_until = 0, None
                if _hasher.check_needs_rehash(row.password_hash):
                    row.password_hash = _hasher.hash(password)
                return self._open(session, row.username, now)
        raise refused

    def open_session(self, username: str) -> str:
        """A session for an account already signed in elsewhere (single sign-on)."""
        with self._session() as session, session.begin():
            self._row(session, username)
            return self._open(session, username, self.clock())

    def _open(self, session: Session, username: str, now: dt.datetime) -> str:
        token = secrets.token_urlsafe(32)
        session.execute(delete(_AuthSession).where(_AuthSession.expires_at <= now))
        session.add(
            _AuthSession(
                token_hash=_digest(token),
                username=username,
                created_at=now,
                expires_at=now + self.lifetime,
            )
        )
        return token

    def session_account(self, token: str) -> Account:
        """The account a session token belongs to; :class:`SignInError` when it is not valid."""
        with self._session() as session:
            row = session.get(_AuthSession, _digest(str(token)))
            if row is None:
                raise SignInError("サインインしてください")
            if row.expires_at <= self.clock():
                raise SignInError(
                    "セッションの有効期限が切れました。もう一度サインインしてください"
                )
            account = session.get(_Account, row.username)
            if account is None:
                raise SignInError("サインインしてください")
            return self._public(session, account)

    def sign_out(self, token: str) -> None:
        with self._session() as session, session.begin():
            session.execute(delete(_AuthSession).where(_AuthSession.token_hash == _digest(token)))

    # --- grants -----------------------------------------------------------------------------

    def grant(self, username: str, survey: str, department: str | None = None) -> None:
        with self._session() as session, session.begin():
            self._row(session, username)
            exists = session.scalars(
                select(_Grant).where(
                    _Grant.username == username,
                    _Grant.survey == survey,
                    _Grant.department == (department or ""),
                )
            ).first()
            if exists is None:
                session.add(_Grant(username=username, survey=survey, department=department or ""))

    def revoke(self, username: str, survey: str, department: str | None = None) -> None:
        with self._session() as session, session.begin():
            session.execute(
                delete(_Grant).where(
                    _Grant.username == username,
                    _Grant.survey == survey,
                    _Grant.department == (department or ""),
                )
            )

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _row(session: Session, username: str) -> _Account:
        row = session.get(_Account, username)
        if row is None:
            raise SignInError(f"「{username}」というアカウントはありません")
        return row

    def _public(self, session: Session, row: _Account) -> Account:
        grants = session.scalars(
            select(_Grant).where(_Grant.username == row.username).order_by(_Grant.id)
        ).all()
        locked = row.locked_until if row.locked_until and row.locked_until > self.clock() else None
        return Account(
            username=row.username,
            role=row.role,
            must_change=row.must_change,
            locked_until=locked,
            sso=row.password_hash is None,
            grants=tuple(Grant(g.survey, g.department or None) for g in grants),
        )


def first_start_message(username: str, password: str) -> str:
    """What the terminal shows once, on the first start (as Jupyter prints its token)."""
    return (
        "\n  架け橋: 最初の人事アカウントを作成しました（初回サインイン時にパスワードを変更します）\n"
        f"    ユーザー名: {username}\n    パスワード: {password}\n"
    )


def configured_url() -> str | None:
    """The database URL the app uses: ``$KAKEHASHI_DATABASE_URL``, else ``database_url`` in
    ``.streamlit/secrets.toml`` (``None``: SQLite under data/, :func:`analysis.store.database_url`)."""
    import os
    import tomllib
    from pathlib import Path

    from analysis.store import DATABASE_URL_ENV

    if os.environ.get(DATABASE_URL_ENV):
        return os.environ[DATABASE_URL_ENV]
    secrets = Path(__file__).resolve().parents[1] / ".streamlit" / "secrets.toml"
    try:
        found = tomllib.loads(secrets.read_text(encoding="utf-8")).get("database_url")
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return found if isinstance(found, str) and found else None


def _verifies(password_hash: str | None, password: str) -> bool:
    if password_hash is None:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.accounts``: add users, reset passwords, grant surveys."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.accounts",
        description="架け橋のアカウント: 追加、パスワードの再発行、閲覧の許可（サーバー上で実行）",
    )
    parser.add_argument("--database-url", help="既定: $KAKEHASHI_DATABASE_URL または data/")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="アカウントを追加（一度だけ使うパスワードを表示）")
    add.add_argument("username")
    add.add_argument("role", choices=ROLES)
    add.add_argument("--sso", action="store_true", help="パスワードなし（シングルサインオンのみ）")
    reset = commands.add_parser("reset", help="パスワードを再発行（ロックも解除）")
    reset.add_argument("username")
    grant = commands.add_parser("grant", help="アンケート（と部署）の閲覧を許可")
    grant.add_argument("username")
    grant.add_argument("survey")
    grant.add_argument("--department")
    revoke = commands.add_parser("revoke", help="アンケート（と部署）の閲覧の許可を取り消す")
    revoke.add_argument("username")
    revoke.add_argument("survey")
    revoke.add_argument("--department")
    role = commands.add_parser("role", help="アカウントの役割を変更")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    commands.add_parser("list", help="アカウントの一覧")
    commands.add_parser(
        "bootstrap", help="アカウントがなければ人事アカウントを作り、一度だけパスワードを表示"
    )
    args = parser.parse_args(argv)
    store = AccountStore(args.database_url or configured_url())
    try:
        if args.command == "bootstrap":  # `make run` calls this before the server starts
            password = store.bootstrap()
            if password:
                print(first_start_message(FIRST_ACCOUNT, password), flush=True)
        elif args.command == "add":
            password = None if args.sso else one_time_password()
            store.create_account(args.username, role=args.role, password=password, must_change=True)
            if password:
                print(f"{args.username} の一度だけ使うパスワード: {password}")
        elif args.command == "reset":
            print(
                f"{args.username} の一度だけ使うパスワード: {store.reset_password(args.username)}"
            )
        elif args.command == "grant":
            store.grant(args.username, args.survey, args.department)
        elif args.command == "revoke":
            store.revoke(args.username, args.survey, args.department)
        elif args.command == "role":
            store.set_role(args.username, args.role)
        else:
            for account in store.accounts():
                scopes = "、".join(
                    g.survey + (f"（{g.department}）" if g.department else "")
                    for g in account.grants
                )
                print(f"{account.username}\t{account.role}\t{scopes or '-'}")
    except SurveyError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        store.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
