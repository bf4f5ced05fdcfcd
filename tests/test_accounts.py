"""Local accounts, sessions, grants, roles and the audit log, without a browser.

Time is a clock the test moves (never a sleep); each test gets a private store (SQLite,
and PostgreSQL when the CI sets it, ``url`` in conftest.py).
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from sqlalchemy import text

from analysis import access
from analysis.access import Page, Permission, Role, User
from analysis.accounts import (
    LOCKOUT,
    MAX_FAILURES,
    AccountStore,
    Grant,
    SignInError,
    main,
)
from analysis.audit import Action, AuditLog, audit_csv

PASSWORD = "正しいパスワード1234"
START = dt.datetime(2026, 4, 1, 9, 0)


class Clock:
    """A naive-UTC clock that moves only when told."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(url: str, clock: Clock) -> AccountStore:
    accounts = AccountStore(url, clock=clock, lifetime=dt.timedelta(hours=8))
    accounts.create_account("佐藤", role="人事", password=PASSWORD)
    yield accounts
    accounts.engine.dispose()


def test_right_password_opens_a_session_for_the_account(store: AccountStore):
    token = store.sign_in("佐藤", PASSWORD)
    account = store.session_account(token)
    assert (account.username, account.role, account.sso) == ("佐藤", "人事", False)


def test_password_is_stored_as_an_argon2id_hash_and_tokens_as_digests(store: AccountStore):
    token = store.sign_in("佐藤", PASSWORD)
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM accounts")).scalar_one()
        sessions = connection.execute(text("SELECT token_hash FROM auth_sessions")).scalars().all()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert token not in sessions and len(sessions) == 1 and len(sessions[0]) == 64


@pytest.mark.parametrize(
    ("username", "password"),
    [("佐藤", "まちがったパスワード"), ("佐藤", ""), ("いない人", PASSWORD), (" 佐藤 ", "x" * 12)],
)
def test_wrong_name_or_password_gets_one_message_that_names_neither(
    store: AccountStore, username: str, password: str
):
    with pytest.raises(SignInError) as refused:
        store.sign_in(username, password)
    assert str(refused.value) == "ユーザー名またはパスワードが違います"


def test_repeated_failures_lock_the_account_until_the_lockout_passes(
    store: AccountStore, clock: Clock
):
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInError, match="違います"):
            store.sign_in("佐藤", "まちがい")
    store.sign_in("佐藤", PASSWORD)  # a right password in time resets the count
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInError, match="違います"):
            store.sign_in("佐藤", "まちがい")
    with pytest.raises(SignInError, match="ロックされています"):
        store.sign_in("佐藤", PASSWORD)  # even the right password, while locked
    assert store.account("佐藤").locked_until == START + LOCKOUT
    clock.advance(seconds=LOCKOUT.total_seconds() - 1)
    with pytest.raises(SignInError, match="ロックされています"):
        store.sign_in("佐藤", PASSWORD)
    clock.advance(seconds=1)
    assert store.session_account(store.sign_in("佐藤", PASSWORD)).locked_until is None


def test_reset_password_unlocks_and_must_be_changed(store: AccountStore):
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInError):
            store.sign_in("佐藤", "まちがい")
    one_time = store.reset_password("佐藤")
    account = store.session_account(store.sign_in("佐藤", one_time))
    assert account.must_change
    with pytest.raises(SignInError, match="今のパスワードが違います"):
        store.change_password("佐藤", "まちがい", "新しいパスワード5678")
    with pytest.raises(SignInError, match="10文字以上"):
        store.change_password("佐藤", one_time, "短い")
    store.change_password("佐藤", one_time, "新しいパスワード5678")
    assert not store.account("佐藤").must_change
    with pytest.raises(SignInError):
        store.sign_in("佐藤", one_time)


def test_sessions_expire_after_their_lifetime(store: AccountStore, clock: Clock):
    token = store.sign_in("佐藤", PASSWORD)
    clock.advance(hours=8, seconds=-1)
    assert store.session_account(token).username == "佐藤"
    clock.advance(seconds=1)
    with pytest.raises(SignInError, match="有効期限が切れました"):
        store.session_account(token)


@pytest.mark.parametrize("token", ["", "偽のトークン", "A" * 43, "'; DROP TABLE accounts; --"])
def test_a_made_up_or_tampered_token_is_no_session(store: AccountStore, token: str):
    real = store.sign_in("佐藤", PASSWORD)
    with pytest.raises(SignInError, match="サインインしてください"):
        store.session_account(token)
    with pytest.raises(SignInError, match="サインインしてください"):
        store.session_account(real[:-1] + ("A" if real[-1] != "A" else "B"))
    assert store.session_account(real).username == "佐藤"


def test_sign_out_ends_only_that_session(store: AccountStore):
    first, second = store.sign_in("佐藤", PASSWORD), store.sign_in("佐藤", PASSWORD)
    store.sign_out(first)
    with pytest.raises(SignInError):
        store.session_account(first)
    assert store.session_account(second).username == "佐藤"


def test_bootstrap_creates_one_hr_account_that_must_change_its_password(url: str, clock: Clock):
    empty = AccountStore(url, clock=clock)
    password = empty.bootstrap()
    assert password and len(password) >= 16
    assert empty.bootstrap() is None  # accounts exist: nothing new, nothing printed
    account = empty.session_account(empty.sign_in("admin", password))
    assert (account.role, account.must_change) == ("人事", True)
    empty.engine.dispose()


def test_sso_accounts_have_no_password_and_cannot_use_the_form(store: AccountStore):
    store.create_account("suzuki@example.co.jp", role="管理職")
    with pytest.raises(SignInError, match="違います"):
        store.sign_in("suzuki@example.co.jp", "")
    token = store.open_session("suzuki@example.co.jp")
    assert store.session_account(token).sso


@pytest.mark.parametrize(
    ("username", "role", "message"),
    [("", "人事", "ユーザー名"), ("佐藤", "人事", "すでに登録"), ("田中", "社長", "役割は")],
)
def test_bad_accounts_are_refused_in_japanese(
    store: AccountStore, username: str, role: str, message: str
):
    with pytest.raises(SignInError, match=message):
        store.create_account(username, role=role, password=PASSWORD)


def test_grants_are_kept_once_and_revoked(store: AccountStore):
    store.create_account("鈴木", role="管理職", password=PASSWORD)
    store.grant("鈴木", "研修2025", "営業部")
    store.grant("鈴木", "研修2025", "営業部")
    store.grant("鈴木", "研修2024")
    assert store.account("鈴木").grants == (Grant("研修2025", "営業部"), Grant("研修2024"))
    store.revoke("鈴木", "研修2025", "営業部")
    assert store.account("鈴木").grants == (Grant("研修2024"),)
    store.delete_account("鈴木")
    assert store.account("鈴木") is None


# --------------------------------------------------------------------------- roles (access.py)

HR = User("佐藤", Role.HR)
MANAGER = User("鈴木", Role.MANAGER, (Grant("研修2025"),))
SCOPED = User("高橋", Role.MANAGER, (Grant("研修2025", "営業部"),))
TRAINER = User("田中", Role.TRAINER, (Grant("研修2025"),))

# Which page each role may open on survey 研修2025 (True = allowed).
PAGE_TABLE = {
    Page.HOME: (True, True, True, False),
    Page.UPLOAD: (True, False, False, False),
    Page.GAPS: (True, True, False, False),
    Page.TRENDS: (True, True, False, False),
    Page.FREE_TEXT: (True, True, False, False),
    Page.EXPORT: (True, False, False, True),
    Page.SETTINGS: (True, False, False, False),
}


@pytest.mark.parametrize(("page", "allowed"), PAGE_TABLE.items())
def test_each_role_opens_only_its_pages(page: Page, allowed: tuple[bool, ...]):
    found = tuple(
        access.page_refusal(user, page, "研修2025") is None
        for user in (HR, MANAGER, SCOPED, TRAINER)
    )
    assert found == allowed


def test_only_hr_holds_permissions_and_sees_every_survey():
    surveys = ["研修2024", "研修2025", "サンプル"]
    assert [access.visible_surveys(u, surveys) for u in (HR, MANAGER, TRAINER)] == [
        surveys,
        ["研修2025"],
        ["研修2025"],
    ]
    assert all(access.may(HR, p) for p in Permission)
    assert not any(access.may(u, p) for u in (MANAGER, SCOPED, TRAINER) for p in Permission)


def test_a_whole_survey_grant_wins_over_a_department_grant():
    both = User("鈴木", Role.MANAGER, (Grant("研修2025", "営業部"), Grant("研修2025")))
    assert access.departments(both, "研修2025") is None
    assert access.departments(SCOPED, "研修2025") == ("営業部",)
    assert access.departments(SCOPED, "研修2024") is None  # not granted: no survey at all
    assert access.visible_surveys(SCOPED, ["研修2024"]) == []


def test_threshold_floors():
    assert (access.threshold_floor(False), access.threshold_floor(True)) == (3, 5)


# --------------------------------------------------------------------------- audit log


def test_audit_rows_newest_first_and_csv_is_safe_for_excel(store: AccountStore, clock: Clock):
    log = AuditLog(store.engine, clock=clock)
    log.record("佐藤", Action.SIGN_IN)
    clock.advance(minutes=5)
    log.record("佐藤", Action.THRESHOLD, survey="研修2025", detail='=HYPERLINK("x")')
    rows = log.rows()
    assert rows["action"].tolist() == ["匿名性の基準の変更", "サインイン"]
    assert rows["at"].tolist() == [START + dt.timedelta(minutes=5), START]
    back = pd.read_csv(io.BytesIO(audit_csv(rows)), encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == ["日時（UTC）", "誰が", "操作", "調査", "内容"]
    assert back["内容"].iloc[0] == '\'=HYPERLINK("x")'  # a formula stays text
    assert back["日時（UTC）"].iloc[1] == "2026-04-01 09:00:00"


def test_command_line_adds_an_account_and_prints_its_one_time_password(
    url: str, capsys: pytest.CaptureFixture[str]
):
    assert main(["--database-url", url, "add", "山田", "研修講師"]) == 0
    password = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    store = AccountStore(url)
    assert store.session_account(store.sign_in("山田", password)).must_change
    assert main(["--database-url", url, "add", "山田", "研修講師"]) == 1
    assert "すでに登録" in capsys.readouterr().err
    store.engine.dispose()


def test_command_line_changes_a_role_and_revokes_a_grant(
    url: str, capsys: pytest.CaptureFixture[str]
):
    assert main(["--database-url", url, "add", "佐藤", "管理職"]) == 0
    assert main(["--database-url", url, "grant", "佐藤", "研修2025", "--department", "営業部"]) == 0
    assert main(["--database-url", url, "grant", "佐藤", "研修2025"]) == 0
    assert (
        main(["--database-url", url, "revoke", "佐藤", "研修2025", "--department", "営業部"]) == 0
    )
    assert main(["--database-url", url, "role", "佐藤", "研修講師"]) == 0
    capsys.readouterr()
    assert main(["--database-url", url, "list"]) == 0
    assert capsys.readouterr().out.strip() == "佐藤\t研修講師\t研修2025"
    assert main(["--database-url", url, "role", "いない人", "人事"]) == 1
    assert capsys.readouterr().err.strip()  # one Japanese line, no traceback
