"""The loaded survey is one shared, read-only object; results read from the caches are unchanged.

``ui.data`` keeps each loaded :class:`Survey` in ``st.cache_resource`` (one object for every
session and rerun) and caches the analyses on ``Survey.key``. These tests check what that
promises: a rerun gets the very object the first run loaded (the store is read once), the
page it shows is the page a cold run showed, a change in the store gives a new object, the
object comes out of every page and of threads as it went in, and no Tagger rides along.
Each test starts from an empty store (``data_dir`` in conftest.py).
"""

from __future__ import annotations

import pickle
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from test_pages import CP932_CSV, WAVES, app, charts, open_tab, page_text, run_page, select

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # ui/ lives at the repository root
    sys.path.insert(0, str(ROOT))

from analysis import gaps  # noqa: E402
from analysis.schema import Field, Schema, Survey, load_survey  # noqa: E402
from analysis.store import DEFAULT_SURVEY, WaveStore  # noqa: E402
from ui import data, widgets  # noqa: E402

FREE_TEXT_ONLY = (
    "役職,回答時期,AI導入について、不安に思うことを自由にお書きください。\n"
    "管理職,研修前,部下にどう教えればよいか分からない\n"
    "一般社員,研修前,仕事がなくなるのではと心配です\n"
).encode()


def store_sample() -> None:
    content = CP932_CSV.read_bytes()
    WaveStore().save(content, filename=CP932_CSV.name, schema=load_survey(content).schema)


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> tuple[list[Survey], list[str]]:
    """The survey each run's picker returned, and each read of the store, in order."""
    surveys: list[Survey] = []
    reads: list[str] = []
    picker, read = widgets.survey_picker, WaveStore.survey

    def picked() -> Survey | None:
        survey = picker()
        surveys.append(survey)
        return survey

    def counted(self: WaveStore, name: str = DEFAULT_SURVEY) -> Survey | None:
        reads.append(name)
        return read(self, name)

    monkeypatch.setattr(widgets, "survey_picker", picked)
    monkeypatch.setattr(WaveStore, "survey", counted)
    return surveys, reads


def test_reruns_share_one_loaded_survey_and_show_what_a_cold_run_showed(data_dir, loaded):
    surveys, reads = loaded
    store_sample()
    at = app().run()
    run_page(at, "pages/2_gaps.py")
    cold_text, cold_charts = page_text(at), charts(at)
    select(at, "部署", "経営企画部")
    assert charts(at) != cold_charts  # the filter did change the page
    select(at, "部署", "すべての部署")  # back: every result read from the caches
    assert charts(at) == cold_charts
    assert page_text(at) == cold_text
    run_page(at, "pages/3_trends.py")
    run_page(at, "app.py")

    assert len(surveys) == 6 and all(s is surveys[0] for s in surveys)
    assert reads == [DEFAULT_SURVEY]  # the stored files were read and joined once
    fresh = WaveStore().survey(DEFAULT_SURVEY)
    shared = surveys[0]
    assert shared.frame.equals(fresh.frame) and shared.schema == fresh.schema  # never mutated
    assert shared.waves == fresh.waves == WAVES
    assert shared.answers().equals(fresh.answers())


def test_a_change_in_the_store_loads_a_new_survey(data_dir, loaded):
    surveys, reads = loaded
    store_sample()
    at = app().run()
    store = WaveStore()
    store.rename_wave(store.waves(DEFAULT_SURVEY)[2].id, "フォローアップ")
    run_page(at, "app.py")
    assert surveys[1] is not surveys[0]
    assert surveys[0].waves == WAVES  # the object other sessions may still hold is untouched
    assert surveys[1].waves == ["研修前", "研修後", "フォローアップ"]
    assert len(reads) == 2


def test_pages_without_scale_items_stop_after_their_title(data_dir):
    schema = load_survey(FREE_TEXT_ONLY, name="free.csv").schema
    assert not schema.items and schema.free_text
    WaveStore().save(FREE_TEXT_ONLY, filename="free.csv", schema=schema)
    at = app().run()
    for page, title in [
        ("pages/2_gaps.py", "役割間のギャップ"),
        ("pages/3_trends.py", "研修前後の変化"),
    ]:
        run_page(at, page)
        assert at.title.values == [title]
        assert not at.main.selectbox and not at.get("plotly_chart")
    run_page(at, "pages/5_export.py")  # no items, but a page of its own to say so
    assert "書き出せる集計表がありません（尺度項目が見つかりません）。" in at.info.values


TITLES = {
    "pages/1_upload.py": "アンケートのアップロード",
    "pages/2_gaps.py": "役割間のギャップ",
    "pages/3_trends.py": "研修前後の変化",
    "pages/4_free_text.py": "自由記述",
    "pages/5_export.py": "書き出し",
    "pages/6_settings.py": "設定",
}


def test_the_title_list_names_every_page():
    assert set(TITLES) == {path for path, _, _ in widgets.PAGES if path != "app.py"}


@pytest.mark.parametrize(("page", "title"), TITLES.items())
def test_every_page_opens_on_the_sample_with_its_title(data_dir, page, title):
    at = app().run()
    run_page(at, page)
    assert at.title.values == [title]
    pickers = [s.value for s in at.sidebar.selectbox]
    assert pickers == ([] if page == "pages/1_upload.py" else [data.SAMPLE])


def test_the_question_picker_keeps_plain_labels_not_the_table(data_dir):
    at = app().run()
    run_page(at, "pages/2_gaps.py")
    [box] = [s for s in at.selectbox if s.label == "自由記述の設問"]
    survey = data.sample_survey()
    assert box.options == [survey.table.label(c) for c in survey.schema.free_text]
    # AppTest keeps format_func in session state and pickles it on every rerun.
    assert len(pickle.dumps(box.format_func)) < 5_000 < len(pickle.dumps(survey.table))


def test_the_shared_survey_holds_no_tagger_after_the_text_analyses(data_dir):
    survey = data.sample_survey()
    question = survey.schema.free_text[0]
    data.topic_model(survey, question, None, 10)
    data.comments(survey, question, "一般社員", "研修前", 10)
    data.keyword_in_context(survey, question, "不安", 10)
    assert data.sample_survey() is survey
    assert not [v for v in vars(survey).values() if type(v).__module__.startswith("fugashi")]
    pickle.dumps(survey)  # a Tagger cannot be pickled: this fails if one is attached anywhere


def test_survey_key_is_worked_out_once_per_object_and_never_mixed_up():
    survey = load_survey(CP932_CSV)
    assert survey.key is survey.key  # computed once, kept on the survey
    other = survey.with_schema(Schema.from_dict({"role": "役職"}))
    assert other.key != survey.key  # a new mapping is a new key, not the copied one
    assert other.key == Survey(other.table, other.schema).key
    assert survey.key == load_survey(CP932_CSV).key


def session(survey: Survey) -> dict:
    """What the pages read from a survey, as plain values to compare."""
    answers = survey.answers()
    question = survey.schema.free_text[0]
    return {
        "waves": list(survey.waves),
        "warnings": survey.warnings,
        "departments": sorted(survey.group_values(Field.DEPARTMENT).dropna().unique()),
        "scores": gaps.item_scores(answers[answers["wave"] == "研修前"], by=("role",)).to_json(),
        "gaps": gaps.role_gaps(answers[answers["wave"] == "研修後"]).to_json(),
        "texts": survey.texts(question).to_json(),
    }


def test_threads_reading_one_survey_get_the_sequential_results():
    alone = session(load_survey(CP932_CSV))
    shared = load_survey(CP932_CSV)  # nothing computed yet: the threads race to fill it
    before = shared.frame.copy()
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(session, [shared] * 8))
    assert all(result == alone for result in together)
    pd.testing.assert_frame_equal(shared.frame, before)


def test_free_text_charts_are_built_once_per_language(data_dir, monkeypatch):
    """A rerun sends the same topic bars and word network without building them again;
    only the open tab builds its chart; English builds its own (its words differ) and keeps
    the open tab; each language's chart is the one its first run showed."""
    from analysis import figures, network_figure

    built: list[str] = []

    def counting(build):
        def counted(*args, **kwargs):
            built.append(build.__name__)
            return build(*args, **kwargs)

        counted.__module__, counted.__qualname__ = build.__module__, build.__qualname__
        return counted

    monkeypatch.setattr(network_figure, "network_figure", counting(network_figure.network_figure))
    monkeypatch.setattr(figures, "topic_share_bars", counting(figures.topic_share_bars))
    at = run_page(app(), "pages/4_free_text.py")
    assert built == ["topic_share_bars"]  # the network's tab is closed: not built
    bars = charts(at)
    at.run()
    assert not at.exception and charts(at) == bars and len(built) == 1
    open_tab(at, "語の共起ネットワーク")
    assert built == ["topic_share_bars", "network_figure"]
    first = charts(at)
    assert [c["layout"]["title"]["text"] for c in first] == ["語の共起ネットワーク"]
    at.run()
    assert not at.exception and charts(at) == first and len(built) == 2
    at.sidebar.radio[0].set_value("English").run()
    assert not at.exception and built[2:] == ["network_figure"]  # the same tab, in English
    [english] = charts(at)
    assert english["layout"]["title"]["text"] != "語の共起ネットワーク"
    assert "共起" not in english["layout"]["title"]["text"]
    at.sidebar.radio[0].set_value("日本語").run()
    assert not at.exception and len(built) == 3 and charts(at) == first
    open_tab(at, "話題")
    assert not at.exception and len(built) == 3 and charts(at) == bars
