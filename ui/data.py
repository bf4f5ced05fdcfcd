"""Cached access to surveys and analyses: pure functions from analysis/, cached at this boundary.

Caches key on bytes and plain values. A Tagger never enters a cache: the text
functions return plain lists and tables.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from analysis.load import read_survey
from analysis.schema import Schema, Survey, infer_schema, load_survey
from analysis.store import DATABASE_URL_ENV, WaveStore, database_url
from ui import state

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_FILE = ROOT / "sample_data" / "ai_survey_google_forms.csv"
SAMPLE = "サンプルデータ（デモ）"


@st.cache_resource
def _wave_store(url: str) -> WaveStore:
    """One engine per database and process; engines are safe to share between sessions."""
    return WaveStore(url)


def wave_store() -> WaveStore:
    """The configured store: ``$KAKEHASHI_DATABASE_URL``, ``secrets.toml``, or SQLite in data/."""
    return _wave_store(database_url(os.environ.get(DATABASE_URL_ENV) or _secret_url()))


def _secret_url() -> str | None:
    try:
        return st.secrets.get("database_url")
    except FileNotFoundError:  # no secrets.toml: the default is fine
        return None


@st.cache_data(show_spinner="サンプルデータを読み込んでいます…")
def sample_survey() -> Survey:
    return load_survey(SAMPLE_FILE, name="サンプル: AI導入研修アンケート")


@st.cache_data(show_spinner="ファイルを読み込んでいます…", max_entries=8)
def uploaded_survey(content: bytes, name: str, encoding: str | None) -> Survey:
    return load_survey(content, name=name, encoding=encoding)


def survey_with_schema(content: bytes, name: str, encoding: str | None, schema: dict) -> Survey:
    table = read_survey(content, name=name, encoding=encoding)
    return Survey(table, Schema.from_dict(schema))


def proposed_schema(content: bytes, name: str, encoding: str | None) -> Schema:
    return infer_schema(uploaded_survey(content, name, encoding).table)


@st.cache_data(show_spinner="保存済みの回答を読み込んでいます…", max_entries=8)
def _stored_survey(name: str, fingerprint: tuple) -> Survey | None:
    return wave_store().survey(name)


def survey_choices() -> list[str]:
    return [*wave_store().surveys(), SAMPLE]


def current_choice() -> str:
    choices = survey_choices()
    chosen = st.session_state.get(state.SURVEY)
    return chosen if chosen in choices else choices[0]


def current_survey() -> Survey | None:
    """The survey chosen in the sidebar: a stored one, or the bundled sample."""
    choice = current_choice()
    if choice == SAMPLE:
        return sample_survey()
    waves = wave_store().waves(choice)
    fingerprint = tuple((w.id, w.label) for w in waves)  # changes on save, rename, delete
    return _stored_survey(choice, fingerprint)


def threshold(key: str) -> int:
    return wave_store().setting(key, state.DEFAULT_THRESHOLDS[key], survey=current_choice())
