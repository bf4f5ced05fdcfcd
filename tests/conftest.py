"""Shared fixtures: an empty, private wave store per test; worker processes that die."""

from __future__ import annotations

import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
import streamlit as st

from analysis.store import DATA_DIR_ENV, DATABASE_URL_ENV

ROOT = Path(__file__).resolve().parents[1]


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
