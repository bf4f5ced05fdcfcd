"""Stored waves: survive restarts, never duplicate, never half-save. SQLite, and PostgreSQL by URL."""

from __future__ import annotations

import os
from dataclasses import replace

import exports
import pytest
from sqlalchemy import func, select

from analysis import store as store_module
from analysis.errors import SurveyError
from analysis.schema import load_survey
from analysis.store import WaveStore

POSTGRES_URL = os.environ.get("KAKEHASHI_TEST_POSTGRES_URL")


def save_google(store: WaveStore, **kwargs):
    data = exports.google_forms_csv()
    schema = load_survey(data).schema
    return store.save(data, filename="google.csv", schema=schema, **kwargs)


def test_waves_survive_a_restart(url):
    saved = save_google(WaveStore(url))
    assert [(w.label, w.n_responses) for w in saved] == [("研修前", 3), ("研修後", 3)]
    reopened = WaveStore(url)  # a new engine, as after an app restart
    assert [w.label for w in reopened.waves()] == ["研修前", "研修後"]
    survey = reopened.survey()
    assert len(survey.frame) == len(exports.ROWS)
    assert survey.waves == ["研修前", "研修後"]
    assert [i.label for i in survey.schema.items] == list(exports.STATEMENTS)
    assert survey.answers()["value"].notna().all()


def test_the_same_file_twice_is_stored_once(url):
    store = WaveStore(url)
    first = save_google(store)
    second = save_google(store)
    assert first == second
    assert len(store.waves()) == 2


def test_a_file_without_wave_column_becomes_one_named_wave(url):
    store = WaveStore(url)
    data = "役職,AIは役立つと思う\n管理職,そう思う\n一般社員,そう思わない\n".encode("cp932")
    schema = load_survey(data).schema
    store.save(data, filename="before.csv", schema=schema, wave_label="研修前")
    store.save(
        data.replace(b"\n", b"\r\n"), filename="after.csv", schema=schema, wave_label="研修前"
    )
    store.save(
        data, filename="after.csv", schema=schema, wave_label="研修後"
    )  # same bytes: kept once
    assert [(w.label, w.filename) for w in store.waves()] == [
        ("研修前", "before.csv"),
        ("研修前", "after.csv"),  # another export of the same wave joins it
    ]
    survey = store.survey()
    assert survey.waves == ["研修前"] and len(survey.frame) == 4


def test_rename_and_delete(url):
    store = WaveStore(url)
    before, after = save_google(store)
    store.rename_wave(after.id, "研修直後")
    with pytest.raises(SurveyError, match="空です"):
        store.rename_wave(before.id, "　")
    assert store.survey().waves == ["研修前", "研修直後"]
    store.delete_wave(before.id)
    survey = store.survey()
    assert survey.frame["wave"].unique().tolist() == ["研修直後"]
    store.delete_wave(after.id)
    assert store.survey() is None and store.waves() == []


def test_a_failure_mid_save_leaves_nothing(url, monkeypatch):
    store = WaveStore(url)

    real_wave = store_module._Wave

    def failing_wave(**columns):
        if columns["label"] == "研修後":  # the second wave of the file fails
            raise RuntimeError("disk full")
        return real_wave(**columns)

    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(store_module, "_Wave", failing_wave)
        save_google(store)
    with store._session() as session:
        assert session.scalar(select(func.count()).select_from(store_module._Upload)) == 0
        assert session.scalar(select(func.count()).select_from(store_module._Wave)) == 0


def test_a_mapping_that_names_a_missing_column_is_refused(url):
    store = WaveStore(url)
    data = exports.google_forms_csv()
    schema = replace(load_survey(data).schema, role="役割")
    with pytest.raises(SurveyError, match="役割"):
        store.save(data, filename="google.csv", schema=schema)
    assert store.waves() == []


def test_uploads_of_different_vendors_line_up_by_statement(url):
    store = WaveStore(url)
    for build, name in [(exports.google_forms_csv, "g.csv"), (exports.qualtrics_csv, "q.csv")]:
        data = build()
        if name == "q.csv":  # other people (the same six would be refused: counted twice)
            data = data.replace(b",E1000", b",F1000")
        store.save(data, filename=name, schema=load_survey(data).schema)
    survey = store.survey()
    assert len(survey.frame) == 2 * len(exports.ROWS)
    assert [i.label for i in survey.schema.items] == list(exports.STATEMENTS)
    assert survey.waves[:2] == ["研修前", "研修後"]


def test_settings_persist_per_survey(url):
    store = WaveStore(url)
    assert store.setting("min_group_scores", 5) == 5
    store.set_setting("min_group_scores", 8)
    store.set_setting("min_group_scores", 7, survey="別の調査")
    assert WaveStore(url).setting("min_group_scores", 5) == 8
    assert WaveStore(url).setting("min_group_scores", 5, survey="別の調査") == 7
