"""Sign-in, sign-out and the page guard every page passes through (``widgets.navigation``).

Local accounts sign in with a form (:class:`analysis.accounts.AccountStore`). When
``.streamlit/secrets.toml`` has an ``[auth]`` section, a button signs in through the
company's OpenID Connect provider with ``st.login``; the e-mail address it returns
must be an account HR added. The signed-in state is a session token in Streamlit's
session state (server side): it expires after the configured lifetime, and a
reload of the browser tab asks to sign in again. What a role may open is decided
in :mod:`analysis.access`; this module only asks.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from analysis import access
from analysis.accounts import AccountStore, SignInError
from analysis.audit import Action, AuditLog
from ui import columns, data, text

TOKEN = "auth_token"  # str: the session token of the signed-in account
USER = "auth_user"  # access.User: who this run is for (set by guard on every run)
NOTICE = "auth_notice"  # str: why the last session ended (expired, signed out)
SSO_ENDED = "auth_sso_ended"  # bool: the session ended; single sign-on waits for a new st.login
PROVIDER_NAMES = {"microsoft": "Microsoft", "google": "Google"}  # [auth.<name>] sections
SESSION_MINUTES_ENV = "KAKEHASHI_SESSION_MINUTES"
ROOT = Path(__file__).resolve().parents[1]


def _lifetime() -> dt.timedelta:
    minutes = os.environ.get(SESSION_MINUTES_ENV) or _secret("session_minutes")
    try:
        return dt.timedelta(minutes=float(minutes)) if minutes else _default_lifetime()
    except ValueError:
        return _default_lifetime()


def _default_lifetime() -> dt.timedelta:
    from analysis.accounts import SESSION_LIFETIME

    return SESSION_LIFETIME


def _secret(key: str) -> object | None:
    try:
        return st.secrets.get(key)
    except (FileNotFoundError, KeyError):  # no secrets.toml
        return None


@st.cache_resource
def _account_store(url: str, lifetime: dt.timedelta) -> AccountStore:
    return AccountStore(engine=data.wave_store().engine, lifetime=lifetime)


def account_store() -> AccountStore:
    """The accounts of the waves' database, on the same engine."""
    return _account_store(data.wave_store().url, _lifetime())


@st.cache_resource
def _audit_log(url: str) -> AuditLog:
    return AuditLog(data.wave_store().engine)


def audit_log() -> AuditLog:
    return _audit_log(data.wave_store().url)


def record(action: Action, *, survey: str = "", detail: str = "") -> None:
    """One audit row for the signed-in user."""
    user = st.session_state.get(USER)
    audit_log().record(user.name if user else "", action, survey=survey, detail=detail)


@st.cache_resource
def _bootstrap(url: str) -> bool:
    """First start (no accounts): an HR account whose one-time password goes to the terminal."""
    from analysis.accounts import FIRST_ACCOUNT, first_start_message

    password = account_store().bootstrap()
    if password:  # `streamlit run app.py` without `make run`: printed at the first visit
        print(first_start_message(FIRST_ACCOUNT, password), file=sys.stdout, flush=True)
    return True


def sso_providers() -> list[str] | None:
    """``None`` without an ``[auth]`` section; else the named providers (``[]``: just one)."""
    section = _secret("auth")
    if not isinstance(section, Mapping):
        return None
    return [name for name, value in section.items() if isinstance(value, Mapping)]


def user() -> access.User | None:
    """Who this run is for (after :func:`guard`)."""
    return st.session_state.get(USER)


def current_page() -> access.Page | None:
    """The page script running now (app.py or pages/…), found from the calling frames."""
    frame = sys._getframe(1)
    while frame is not None:
        file = frame.f_globals.get("__file__")
        if file:
            try:
                return access.Page(Path(file).resolve().relative_to(ROOT).as_posix())
            except ValueError:
                pass
        frame = frame.f_back
    return None


def _signed_in() -> access.User | None:
    store = account_store()
    token = st.session_state.get(TOKEN)
    if (
        token is None
        and not st.session_state.get(SSO_ENDED)
        and sso_providers() is not None
        and st.user.is_logged_in
    ):
        username = _sso_username(store)
        token = st.session_state[TOKEN] = store.open_session(username)
        audit_log().record(username, Action.SIGN_IN, detail="SSO")
    if token is None:
        return None
    try:
        account = store.session_account(token)
    except SignInError as error:
        st.session_state.pop(TOKEN, None)
        st.session_state[NOTICE] = str(error)
        st.session_state[SSO_ENDED] = True  # an expired SSO session needs a new sign-in too
        return None
    if account.must_change:
        _change_password(store, account.username)
        st.stop()
    return access.User.from_account(account)


def _sso_username(store: AccountStore) -> str:
    """The account of the person the provider signed in (e-mail, any case); else refuse and stop.

    Google sends ``email``; Entra ID sends it only when configured, else the UPN in
    ``preferred_username``. An address the provider marks unverified is refused.
    """
    email = str(st.user.get("email") or st.user.get("preferred_username") or "").strip()
    unverified = st.user.get("email_verified") is False
    found = None if unverified or not email else store.account(email)
    if found is None and email and not unverified:
        wanted = email.casefold()
        found = next((a for a in store.accounts() if a.username.casefold() == wanted), None)
    if found is not None:
        return found.username
    st.error(
        text.label(
            "{email} には架け橋のアカウントがありません。人事に登録を依頼してください。",
            email=email or "（メールアドレスなし）",
        )
        if not unverified
        else text.label(
            "{email} は確認済みのメールアドレスではないため、サインインできません。",
            email=email,
        ),
        icon=":material/block:",
    )
    audit_log().record(
        email,
        Action.SIGN_IN_FAILED,
        detail="SSO: " + ("未確認のメールアドレス" if unverified else "アカウントなし"),
    )
    if st.button(text.label("サインアウト")):
        st.logout()
    st.stop()


def guard() -> access.User:
    """The signed-in user, allowed on this page; else a sign-in form or a refusal, and stop."""
    _bootstrap(data.wave_store().url)
    found = _signed_in()
    if found is None:
        st.session_state.pop(USER, None)
        _sign_in_form()
        st.stop()
    st.session_state[USER] = found
    st.sidebar.caption(
        text.label(
            ":material/person: {name}（{role}）", name=found.name, role=text.label(found.role)
        )
    )
    if st.sidebar.button(text.label("サインアウト"), icon=":material/logout:"):
        sign_out()
    page = current_page() or access.Page.SETTINGS
    refusal = access.page_refusal(found, page)
    if refusal is not None:
        pages = access.allowed_pages(found)
        if page == access.Page.HOME and len(pages) == 1:  # a trainer signing in: their one page
            st.switch_page(pages[0].value)
        st.error(text.sentence(refusal), icon=":material/block:")
        st.stop()
    return found


def refuse_survey(survey: str) -> None:
    """Stop the page when the user may not see ``survey`` on it (department scope)."""
    found = user()
    refusal = access.page_refusal(found, current_page() or access.Page.SETTINGS, survey)
    if refusal is not None:
        st.error(text.sentence(refusal), icon=":material/block:")
        st.stop()


def sign_out() -> None:
    token = st.session_state.pop(TOKEN, None)
    if token is not None:
        account_store().sign_out(token)
        record(Action.SIGN_OUT)
    st.session_state.pop(USER, None)
    st.session_state[NOTICE] = text.label("サインアウトしました。")
    st.session_state[SSO_ENDED] = True
    if sso_providers() is not None and st.user.is_logged_in:
        st.logout()
    st.rerun()


def _sign_in_form() -> None:
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.info(text.sentence(notice), icon=":material/info:")
    providers = sso_providers()
    if providers is not None:
        for provider in providers or [None]:
            name = PROVIDER_NAMES.get(provider or "", provider) or text.label("会社のアカウント")
            if st.button(
                text.label("{name} でサインイン", name=name),
                key=f"sso_{provider}",
                type="primary",
                icon=":material/badge:",
            ):
                st.login(provider) if provider else st.login()
    with st.form("sign_in"):
        st.subheader(text.label("サインイン"))
        username = st.text_input(text.label("ユーザー名"))
        password = st.text_input(text.label("パスワード"), type="password")
        submitted = st.form_submit_button(text.label("サインイン"), type="primary")
    st.caption(
        text.label(
            "初めて起動したときは、端末に表示された admin の一度だけ使うパスワードでサインインします。"
            "パスワードを忘れたときは、サーバーで python -m analysis.accounts reset ユーザー名 を実行してください。"
        )
    )
    if not submitted:
        return
    store = account_store()
    try:
        token = store.sign_in(username, password)
    except SignInError as error:
        audit_log().record(username.strip(), Action.SIGN_IN_FAILED, detail=str(error))
        st.error(text.sentence(str(error)), icon=":material/error:")
        return
    audit_log().record(username.strip(), Action.SIGN_IN)
    st.session_state[TOKEN] = token
    st.rerun()


def _change_password(store: AccountStore, username: str) -> None:
    st.warning(
        text.label("最初のサインインです。新しいパスワードを設定してください。"),
        icon=":material/key:",
    )
    with st.form("change_password"):
        current = st.text_input(text.label("今のパスワード"), type="password")
        new = st.text_input(text.label("新しいパスワード（10文字以上）"), type="password")
        again = st.text_input(text.label("新しいパスワード（確認）"), type="password")
        submitted = st.form_submit_button(text.label("パスワードを変更"), type="primary")
    if not submitted:
        return
    if new != again:
        st.error(text.label("確認用のパスワードが一致しません。"), icon=":material/error:")
        return
    try:
        store.change_password(username, current, new)
    except SignInError as error:
        st.error(text.sentence(str(error)), icon=":material/error:")
        return
    audit_log().record(username, Action.PASSWORD_CHANGE)
    st.rerun()


def manage_accounts() -> None:
    """設定, for HR: accounts, their grants, and the audit log (with a CSV download)."""
    import pandas as pd

    from analysis.accounts import ROLES
    from analysis.audit import audit_csv

    store = account_store()
    st.subheader(text.label("アカウントと閲覧の許可"))
    with st.form("add_account", clear_on_submit=True):
        st.caption(text.label("アカウントを追加（SSO の場合はメールアドレスをユーザー名にします）"))
        left, middle, right = st.columns(3)
        name = left.text_input(text.label("ユーザー名"), key="new_account_name")
        roles = text.choices(ROLES)
        role = roles[middle.selectbox(text.label("役割"), list(roles), key="new_account_role")]
        sso = right.checkbox(
            text.label("SSO でサインイン（パスワードなし）"), key="new_account_sso"
        )
        added = st.form_submit_button(text.label("追加"), icon=":material/person_add:")
    if added:
        password = None if sso else _one_time()
        try:
            store.create_account(name, role=role, password=password, must_change=True)
        except SignInError as error:
            st.error(text.sentence(str(error)), icon=":material/error:")
        else:
            record(Action.ACCOUNT, detail=f"追加: {name.strip()}（{role}）")
            if password:
                st.success(
                    text.label(
                        "{name} を追加しました。一度だけ使うパスワード（この画面にしか表示されません）: {password}",
                        name=name.strip(),
                        password=password,
                    ),
                    icon=":material/check_circle:",
                )
    everyone = store.accounts()
    st.dataframe(
        pd.DataFrame(
            {
                text.label("ユーザー名"): [a.username for a in everyone],
                text.label("役割"): [text.label(a.role) for a in everyone],
                text.label("サインイン"): [
                    "SSO" if a.sso else text.label("パスワード") for a in everyone
                ],
                text.label("ロック"): [
                    text.label("ロック中") if a.locked_until else "" for a in everyone
                ],
                text.label("閲覧できるアンケート"): [
                    text.label("、").join(
                        text.label(g.survey)
                        + (
                            text.label("（{department}）", department=g.department)
                            if g.department
                            else ""
                        )
                        for g in a.grants
                    )
                    or (text.label("すべて") if a.role == access.Role.HR else text.label("なし"))
                    for a in everyone
                ],
            }
        ),
        hide_index=True,
        placeholder=columns.MISSING,
        width="stretch",
    )
    if not everyone:
        return
    names = [a.username for a in everyone]
    chosen = st.selectbox(text.label("アカウントを選ぶ"), names, key="account_chosen")
    account = next(a for a in everyone if a.username == chosen)
    left, right = st.columns(2)
    roles = text.choices(ROLES)
    new_role = roles[
        left.selectbox(
            text.label("役割"), list(roles), index=ROLES.index(account.role), key=f"role_{chosen}"
        )
    ]
    if left.button(
        text.label("役割を変更"), key=f"set_role_{chosen}", disabled=new_role == account.role
    ):
        store.set_role(chosen, new_role)
        record(Action.ACCOUNT, detail=f"役割: {chosen} {account.role}→{new_role}")
        st.rerun()
    if not account.sso and right.button(
        text.label("パスワードを再発行（ロックも解除）"), key=f"reset_{chosen}"
    ):
        password = store.reset_password(chosen)
        record(Action.ACCOUNT, detail=f"パスワード再発行: {chosen}")
        right.success(text.label("一度だけ使うパスワード: {password}", password=password))
    surveys = [s for s in data.wave_store().surveys()] + [data.SAMPLE]
    left, middle, right = st.columns(3)
    offered = text.choices(surveys)  # the sample's name translated, stored surveys as written
    survey = offered[
        left.selectbox(text.label("アンケート"), list(offered), key=f"grant_survey_{chosen}")
    ]
    department = middle.text_input(
        text.label("部署（空欄 = すべての部署）"), key=f"grant_department_{chosen}"
    ).strip()
    if right.button(text.label("閲覧を許可"), key=f"grant_{chosen}", icon=":material/add:"):
        store.grant(chosen, survey, department or None)
        record(
            Action.ACCOUNT, survey=survey, detail=f"許可: {chosen} {department or 'すべての部署'}"
        )
        st.rerun()
    for grant in account.grants:
        shown = grant.survey + (f"（{grant.department}）" if grant.department else "")
        if st.button(
            text.label("許可を取り消す: {grant}", grant=shown),
            key=f"revoke_{chosen}_{grant.survey}_{grant.department}",
        ):
            store.revoke(chosen, grant.survey, grant.department)
            record(Action.ACCOUNT, survey=grant.survey, detail=f"取り消し: {chosen} {shown}")
            st.rerun()
    me = user()
    confirm = st.checkbox(
        text.label("このアカウントを削除してよい"), key=f"confirm_delete_{chosen}"
    )
    if st.button(
        text.label("アカウントを削除"),
        key=f"delete_account_{chosen}",
        disabled=not confirm or (me is not None and me.name == chosen),
        icon=":material/person_remove:",
    ):
        store.delete_account(chosen)
        record(Action.ACCOUNT, detail=f"削除: {chosen}")
        st.rerun()

    st.subheader(text.label("操作の記録（監査ログ）"))
    log = audit_log().rows()
    st.download_button(
        text.label("監査ログをダウンロード（CSV）"),
        audit_csv(log),
        file_name="kakehashi_audit_log.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    st.dataframe(log.head(200), hide_index=True, placeholder=columns.MISSING, width="stretch")


def _one_time() -> str:
    from analysis.accounts import one_time_password

    return one_time_password()
