"""Shared fixtures: an empty, private wave store per test (SQLite, and PostgreSQL by URL),
a Google Forms export on disk, worker processes that die."""

from __future__ import annotations

import os
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
import streamlit as st

from analysis.store import DATA_DIR_ENV, DATABASE_URL_ENV

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("KAKEHASHI_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store URL: a private SQLite file, and the CI's PostgreSQL (emptied) when it is set."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'waves.db'}"
    if not POSTGRES_URL:
        pytest.skip("KAKEHASHI_TEST_POSTGRES_URL not set (CI sets it)")
    from analysis import store as store_module

    store = store_module.WaveStore(POSTGRES_URL)
    store_module._Base.metadata.drop_all(store.engine)
    store.engine.dispose()
    return POSTGRES_URL


@pytest.fixture
def google_file(tmp_path: Path) -> Path:
    """The small Google Forms export of ``tests/exports.py`` as a file."""
    import exports

    path = tmp_path / "google.csv"
    path.write_bytes(exports.google_forms_csv())
    return path


def _forget_stores() -> None:
    """Drop what Streamlit cached about a store: its engine and the surveys read from it.

    The analysis caches key on the data's digest, so they stay valid from one store to the
    next (and keep the page tests fast). Engines and loaded surveys are resources (the
    stored survey keyed on the store's URL, its name and its waves).
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # the app's own import root, as under `streamlit run`
    from ui import data

    st.cache_resource.clear()
    data._stored_survey.clear()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty SQLite folder for the app; the URL is pinned so a secrets.toml cannot win."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'kakehashi.db'}")
    _forget_stores()
    yield tmp_path
    _forget_stores()


HR_TEST_ACCOUNT = "テスト人事"


def sign_in(app: object, username: str, *, role: str = "人事") -> str:
    """Sign ``app`` (an AppTest) in as ``username``: a real account and session in its store.

    The account is created in the database the app will read ($KAKEHASHI_DATABASE_URL, set
    by ``data_dir``) with a random password nobody knows, and the session token goes where
    the sign-in form puts it. Returns the token.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from analysis.accounts import AccountStore, one_time_password
    from ui import auth

    url = os.environ.get(DATABASE_URL_ENV)
    if not url:
        return ""  # no private store: never write accounts into the checkout's data/
    store = AccountStore(url)
    try:
        if store.account(username) is None:
            store.create_account(username, role=role, password=one_time_password())
        token = store.open_session(username)
    finally:
        store.engine.dispose()
    app.session_state[auth.TOKEN] = token
    return token


@pytest.fixture(autouse=True)
def _apps_start_signed_in(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``AppTest.from_file`` starts signed in as HR (``@pytest.mark.signed_out`` opts out).

    Test-only: the app itself has no way round the sign-in form.
    """
    if request.node.get_closest_marker("signed_out"):
        return
    from streamlit.testing.v1 import AppTest

    original = AppTest.from_file.__func__

    def from_file(cls, *args: object, **kwargs: object) -> AppTest:
        app = original(cls, *args, **kwargs)
        sign_in(app, HR_TEST_ACCOUNT)
        return app

    monkeypatch.setattr(AppTest, "from_file", classmethod(from_file))


class _BrokenPool:
    """A process pool whose workers died: every map raises ``BrokenProcessPool``."""

    def map(self, *args: object, **kwargs: object) -> object:
        raise BrokenProcessPool("a worker died")

    def shutdown(self, **kwargs: object) -> None:
        pass


@pytest.fixture
def broken_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared worker pool (``analysis.workers``) fails on its next use."""
    from analysis import workers

    monkeypatch.setattr(workers, "_pool", _BrokenPool())
    monkeypatch.setattr(workers, "_pool_broken", False)
