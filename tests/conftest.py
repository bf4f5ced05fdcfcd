"""Shared fixtures: an empty, private wave store per test and fresh Streamlit caches."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from analysis.store import DATA_DIR_ENV, DATABASE_URL_ENV


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty SQLite folder for the app; the URL is pinned so a secrets.toml cannot win.

    Streamlit's caches live for the whole process, so they are cleared on both sides:
    a stored survey cached by one test must never answer for another test's store.
    """
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'kakehashi.db'}")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tmp_path
    st.cache_data.clear()
    st.cache_resource.clear()
