"""Cached access to surveys and analyses: pure functions from analysis/, cached at this boundary.

Caches key on bytes and plain values. A Tagger never enters a cache: the text
functions return plain lists and tables.

Loaded surveys live in ``st.cache_resource``: one object per file (or per set of
stored waves) that every session and rerun shares, so a rerun neither unpickles
the rows (``st.cache_data`` hands out a fresh copy per call) nor recomputes what
the :class:`Survey` keeps on itself (``waves``, ``warnings``, the long answers).
That object is read-only: nothing here or in analysis/ assigns to it, its table,
its frame or its ``waves`` list (``Survey.answers()`` hands out a copy). Streamlit
runs each session on its own thread: loading happens once per key, under
Streamlit's lock, and what a survey computes lazily (``functools.cached_property``)
comes out the same whichever session fills it first.
Analyses are ``st.cache_data`` keyed on ``Survey.key`` (the data's digest and its
mapping), so their cost on a hit does not depend on the rows either.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from analysis import gaps, pipeline, trends
from analysis.headlines import headline_table
from analysis.load import Table, read_survey
from analysis.schema import Field, Schema, Survey, load_survey
from analysis.store import DATABASE_URL_ENV, StoredThemes, WaveStore, database_url
from analysis.themes import ThemeEntry, compile_themes
from ui import state

if TYPE_CHECKING:
    from collections.abc import Callable

    from plotly.graph_objects import Figure

    from analysis.cooccurrence import Network
    from analysis.topics import TopicResult

# Imported where used, not here: the deck (python-pptx), column inference, the topic model
# (scikit-learn) and the word network serve one page each, and the first page after the
# server starts pays every import of this module (bench/page_bench.py counts them).

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


@st.cache_resource(show_spinner="サンプルデータを読み込んでいます…")
def sample_survey() -> Survey:
    return load_survey(SAMPLE_FILE, name="サンプル: AI導入研修アンケート")


@st.cache_resource(show_spinner="ファイルを読み込んでいます…", max_entries=8)
def uploaded_survey(
    content: bytes, name: str, encoding: str | None, sheet: str | None = None
) -> Survey:
    """An uploaded file read (``sheet``: the workbook sheet HR chose) and its proposed mapping."""
    from analysis.inference import infer_schema

    table = read_survey(content, name=name, encoding=encoding, sheet=sheet)
    return Survey(table, infer_schema(table))


@st.cache_resource(show_spinner="保存済みのファイルを読み込んでいます…", max_entries=4)
def _stored_upload(url: str, upload_id: int, revision: int) -> tuple[Table, Schema]:
    return _wave_store(url).upload_table(upload_id)


def stored_upload(upload_id: int, revision: int) -> tuple[Table, Schema]:
    """A stored file read again with its mapping; ``revision`` changes on every remap."""
    return _stored_upload(wave_store().url, upload_id, revision)


@st.cache_resource(show_spinner="保存済みの回答を読み込んでいます…", max_entries=8)
def _stored_survey(url: str, name: str, fingerprint: tuple) -> Survey | None:
    return _wave_store(url).survey(name)


def survey_choices() -> list[str]:
    """The stored surveys and the sample that the signed-in user may see (:mod:`analysis.access`)."""
    from analysis.access import visible_surveys
    from ui.auth import user  # ui.auth reads the store from here

    signed_in = user()
    every = [*wave_store().surveys(), SAMPLE]
    return visible_surveys(signed_in, every) if signed_in is not None else []


def current_choice() -> str:
    choices = survey_choices()
    chosen = st.session_state.get(state.SURVEY)
    return chosen if chosen in choices else (choices[0] if choices else "")


def current_survey() -> Survey | None:
    """The survey chosen in the sidebar: a stored one, or the bundled sample."""
    choice = current_choice()
    if not choice:  # nothing the user may see
        return None
    if choice == SAMPLE:
        return sample_survey()
    store = wave_store()
    # Changes on save, rename, delete and remap; saved_at tells apart a new upload that
    # reuses an id, the mapping revisions a file analysed with a changed mapping.
    fingerprint = (
        tuple(
            (w.id, w.label, w.filename, w.n_responses, w.saved_at.isoformat())
            for w in store.waves(choice)
        ),
        store.mapping_revisions(choice),
    )
    return _stored_survey(store.url, choice, fingerprint)


def threshold(key: str) -> int:
    return wave_store().setting(key, state.DEFAULT_THRESHOLDS[key], survey=current_choice())


# --- Analyses, cached on the survey's key and plain options ------------------------------------

cached = partial(st.cache_data, hash_funcs={Survey: lambda survey: survey.key}, max_entries=64)
"""``st.cache_data`` keyed on a survey's key (data digest and mapping) and the plain arguments."""


def answers(survey: Survey) -> pd.DataFrame:
    """The long answers: computed once per survey object, which the resource cache keeps."""
    return survey.answers()


def _wave_answers(survey: Survey, wave: str | None) -> pd.DataFrame:
    return pipeline.wave_answers(survey, wave)


@cached(show_spinner="集計しています…")
def role_scores(
    survey: Survey, wave: str | None, department: str | None, min_group: int
) -> pd.DataFrame:
    """Scores by role; with a department, its role x department cells (suppressed jointly)."""
    subset = _wave_answers(survey, wave)
    if department is None:
        return gaps.item_scores(subset, by=("role",), min_group=min_group)
    cells = gaps.item_scores(subset, by=("role", "department"), min_group=min_group)
    return cells[cells["department"] == department].reset_index(drop=True)


@cached(show_spinner="効果量を計算しています…")
def role_gaps(survey: Survey, wave: str | None, min_group: int) -> pd.DataFrame:
    return gaps.role_gaps(_wave_answers(survey, wave), min_group=min_group)


@cached(show_spinner=False)
def overall_differences(survey: Survey, wave: str | None, min_group: int) -> pd.DataFrame:
    return gaps.difference_from_overall(_wave_answers(survey, wave), min_group=min_group)


@cached(show_spinner=False)
def isolated_items(survey: Survey, wave: str | None, min_group: int) -> dict[str, bool]:
    """Items where managers stand apart (-> firm, else only a 傾向), from the cached role gaps."""
    roles = gaps.order_roles(_wave_answers(survey, wave)["role"])
    table = gaps.isolation_from_gaps(role_gaps(survey, wave, min_group), roles)
    return {str(r.item): bool(r.firm) for r in table.itertuples(index=False)}


@cached(show_spinner="回答時期ごとに集計しています…")
def wave_scores(survey: Survey, min_group: int) -> pd.DataFrame:
    return trends.wave_scores(answers(survey), waves=survey.waves or None, min_group=min_group)


@cached(show_spinner="変化を検定しています…")
def wave_changes(survey: Survey, min_group: int) -> pd.DataFrame:
    return trends.wave_changes(answers(survey), waves=survey.waves or None, min_group=min_group)


@cached(show_spinner=False)
def departments(survey: Survey) -> list[str]:
    values = survey.group_values(Field.DEPARTMENT).dropna()
    return sorted(values.unique())


@cached(show_spinner=False)
def comments(
    survey: Survey, column: str, role: str | None, wave: str | None, min_group: int
) -> list[str] | None:
    """Masked answers of one role and wave (:func:`analysis.pipeline.group_comments`)."""
    return pipeline.group_comments(survey, column, role=role, wave=wave, min_group=min_group)


@cached(show_spinner=False)
def retention(survey: Survey, min_group: int) -> pd.DataFrame:
    if len(survey.waves) < 3:
        return pd.DataFrame()
    return trends.retention(answers(survey), waves=survey.waves, min_group=min_group)


def headlines(survey: Survey, min_group: int) -> list[str]:
    """The sentences of :func:`headline_rows` (what ``analysis.headlines.headlines`` returns),
    from its cache: the home page has usually computed them already."""
    return headline_rows(survey, min_group)["text"].tolist()


@cached(show_spinner="要点をまとめています…")
def headline_rows(survey: Survey, min_group: int) -> pd.DataFrame:
    """The deck's 要点 with each sentence's ``kind``: :func:`analysis.headlines.headline_table`
    called as :func:`analysis.deck.build_deck` calls it, so home and deck say the same."""
    if len(survey.waves) < 2:
        return headline_table(answers(survey), waves=survey.waves or None, min_group=min_group)
    return headline_table(  # the trends page's cached tables, not computed a second time
        answers(survey),
        waves=survey.waves,
        min_group=min_group,
        cells=wave_scores(survey, min_group),
        changes=wave_changes(survey, min_group),
        kept=retention(survey, min_group) if len(survey.waves) >= 3 else None,
    )


def headcounts() -> pd.DataFrame:
    """HR's headcounts for the chosen survey (設定), for response rates."""
    return wave_store().headcounts(current_choice())


def theme_dictionary() -> StoredThemes:
    """HR's theme dictionary (設定), else ``themes.toml``: one for every survey."""
    return wave_store().theme_dictionary()


def deck(survey: Survey, min_group: int, min_comments: int, _progress=None) -> bytes:
    """The trainer deck (with the response rates of :func:`headcounts` and HR's theme dictionary)."""
    rows = tuple(headcounts().itertuples(index=False, name=None))
    entries = theme_dictionary().entries
    return _deck(survey, min_group, min_comments, rows, entries, _progress)


@cached(show_spinner=False, max_entries=4)
def _deck(
    survey: Survey,
    min_group: int,
    min_comments: int,
    headcounts: tuple,
    entries: tuple[ThemeEntry, ...],
    _progress=None,
) -> bytes:
    """The trainer deck; ``_progress`` (not part of the cache key) reports each step."""
    from analysis.deck import build_deck

    heads = pd.DataFrame(list(headcounts), columns=["role", "department", "headcount"])
    return build_deck(
        survey,
        min_group=min_group,
        min_comments=min_comments,
        headcounts=heads,
        progress=_progress,
        themes=compile_themes(entries),
    )


SCORES_TABLE, GAPS_TABLE, CHANGES_TABLE = "役割別スコア", "役割間ギャップ", "研修前後の変化"


def export_table_names(survey: Survey) -> list[str]:
    """The names of :func:`export_tables`, in order, without computing a table."""
    if not survey.schema.items or survey.schema.role is None:
        return []
    return [SCORES_TABLE, GAPS_TABLE] + ([CHANGES_TABLE] if len(survey.waves) >= 2 else [])


@cached(show_spinner="集計表を用意しています…")
def export_table(survey: Survey, name: str, min_group: int) -> pd.DataFrame:
    """One table of :func:`export_tables` (a name of :func:`export_table_names`), alone: the
    export page shows one and builds the workbook only when it is downloaded."""
    if name == SCORES_TABLE:
        if survey.waves:
            return wave_scores(survey, min_group)
        return role_scores(survey, None, None, min_group)
    if name == GAPS_TABLE:
        per_wave = [
            role_gaps(survey, wave, min_group).assign(wave=wave) for wave in survey.waves or [None]
        ]
        return pd.concat(per_wave, ignore_index=True)
    if name == CHANGES_TABLE:
        return wave_changes(survey, min_group)
    raise KeyError(name)


@cached(show_spinner="集計表を用意しています…")
def export_tables(survey: Survey, min_group: int) -> dict[str, pd.DataFrame]:
    """The tidy tables behind the pages, suppressed exactly as on screen."""
    return {name: export_table(survey, name, min_group) for name in export_table_names(survey)}


@cached(show_spinner=False, max_entries=8)
def export_xlsx(survey: Survey, min_group: int) -> bytes:
    """:func:`export_tables` as one workbook (``analysis.spreadsheet.xlsx_bytes``), built once.

    The export page passes it to ``st.download_button`` as a callable: Streamlit calls it on
    the click, in a thread of its own (no script context, so no spinner is shown)."""
    from analysis.spreadsheet import xlsx_bytes

    return xlsx_bytes(export_tables(survey, min_group))


@cached(show_spinner=False)
def respondent_counts(survey: Survey, min_group: int) -> pd.DataFrame:
    """People by role x wave (:func:`analysis.pipeline.respondent_counts`), for every count widget."""
    return pipeline.respondent_counts(survey, min_group=min_group)


# --- Free text: a Tagger never enters a cache; these return plain tables -------------------------


def topic_model(
    survey: Survey, column: str, k: int | None, min_group: int, themes: StoredThemes | None = None
) -> TopicResult:
    """Topics of a question; a small one grouped by HR's theme dictionary (``themes`` when the
    page has read it already, else :func:`theme_dictionary`)."""
    return _topic_model(survey, column, k, min_group, (themes or theme_dictionary()).entries)


@cached(show_spinner="自由記述を分析しています（形態素解析・話題の抽出）…", max_entries=16)
def _topic_model(
    survey: Survey, column: str, k: int | None, min_group: int, entries: tuple[ThemeEntry, ...]
) -> TopicResult:
    """Keyed on the dictionary's entries too: an edit on 設定 is a new key."""
    themes = compile_themes(entries)
    return pipeline.topic_model(survey, column, k=k, min_group=min_group, themes=themes)


@cached(show_spinner="特徴語を計算しています…", max_entries=16)
def distinctive_terms(survey: Survey, column: str, min_group: int) -> pd.DataFrame:
    """Words each role uses in each wave (:func:`analysis.pipeline.role_terms`)."""
    return pipeline.role_terms(survey, column, min_group=min_group)


@cached(show_spinner=False, max_entries=32)
def keyword_in_context(survey: Survey, column: str, keyword: str, min_group: int) -> pd.DataFrame:
    """Matching answers, masked (:func:`analysis.pipeline.keyword_hits`)."""
    return pipeline.keyword_hits(survey, column, keyword, min_group=min_group)


def theme_counts(
    survey: Survey, column: str, min_group: int, themes: StoredThemes | None = None
) -> pd.DataFrame:
    """Theme shares per role x wave (:func:`analysis.pipeline.theme_table`), HR's dictionary
    (``themes`` when the page has read it already, else :func:`theme_dictionary`)."""
    return _theme_counts(survey, column, min_group, (themes or theme_dictionary()).entries)


@cached(show_spinner="テーマ辞書と照合しています…", max_entries=16)
def _theme_counts(
    survey: Survey, column: str, min_group: int, entries: tuple[ThemeEntry, ...]
) -> pd.DataFrame:
    themes = compile_themes(entries)
    return pipeline.theme_table(survey, column, min_group=min_group, themes=themes)


@st.cache_resource(show_spinner=False, max_entries=32)
def _chart(
    _build: Callable[..., Figure],
    name: str,
    english: bool,
    args: tuple,
    options: tuple[tuple[str, object], ...],
) -> Figure:
    from ui import text

    return _build(*args, **dict(options), label=text.label)


def chart(build: Callable[..., Figure], *args: object, **options: object) -> Figure:
    """``build(*args, **options, label=ui.text.label)``, built once per language and data.

    Reruns send the same figure again instead of building its traces anew (the word
    network's 60-odd traces took half of the free-text page's rerun). The figure is
    shared between sessions and never changed: ``st.plotly_chart`` sends a copy.
    """
    from ui import text

    name = f"{build.__module__}.{build.__qualname__}"  # functions are not hashed: their name is
    return _chart(build, name, text.english(), args, tuple(sorted(options.items())))


@cached(show_spinner="語の共起を数えています…", max_entries=16)
def cooccurrence(survey: Survey, column: str, wave: str | None, min_group: int) -> Network:
    """Words that co-occur, coloured by role (:func:`analysis.cooccurrence.question_network`)."""
    from analysis.cooccurrence import question_network

    return question_network(survey, column, min_group=min_group, wave=wave)
