"""The worker processes: equal tasks, results in order, and a fallback that loses nothing."""

from __future__ import annotations

import os

import pytest

from analysis import workers
from analysis.text import normalize_text, normalized_answers


@pytest.mark.parametrize(
    ("n", "most", "size"),
    [(20_001, 10_000, 5_001), (50_000, 10_000, 8_334), (100_000, 10_000, 10_000), (3, 10, 1)],
)
def test_tasks_are_equal_and_keep_every_worker_busy_to_the_end(
    n: int, most: int, size: int
) -> None:
    assert workers.task_size(n, most) == size
    tasks = len(workers.chunks(list(range(n)), size))
    assert tasks % workers.WORKERS == 0 or n < workers.WORKERS * 2
    assert size <= most


def test_chunks_cover_the_items_in_order() -> None:
    items = list("日報の要約を任せたい")
    pieces = workers.chunks(items, 3)
    assert [len(p) for p in pieces] == [3, 3, 3, 1]
    assert [x for p in pieces for x in p] == items


def test_results_come_back_in_order() -> None:
    done = workers.map_in_workers(normalize_text, ["ＡＩ", "ｶﾀｶﾅ", " 日報 "])
    assert done == ["AI", "カタカナ", "日報"]


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(tasks, processes) of each call to the worker processes from now on."""
    calls: list[tuple[int, int]] = []
    real = workers.map_in_workers

    def counted(task, items, *, jobs=workers.WORKERS):
        items = list(items)
        calls.append((len(items), jobs))
        return real(task, items, jobs=jobs)

    monkeypatch.setattr(workers, "map_in_workers", counted)
    return calls


def test_normalising_in_workers_gives_the_in_process_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import analysis.text as text_module

    texts = [f"ＡＩで日報{i}" for i in range(300)] + ["特になし", None, "ー"] * 10
    expected = normalized_answers(texts, n_jobs=1)
    monkeypatch.setattr(text_module, "_CHUNK", 64)
    calls = _counted(monkeypatch)
    assert normalized_answers(texts) == expected  # 302 distinct: below the threshold
    assert calls == []
    assert normalized_answers(texts, n_jobs=2) == expected
    assert calls == [(6, 2)]  # 302 distinct texts in six tasks of 51 for two processes
    assert expected[0] == "AIで日報0" and expected[-1] is None


def test_a_broken_pool_gives_none_and_is_not_tried_again(broken_pool: None) -> None:
    assert workers.map_in_workers(normalize_text, ["ＡＩ"]) is None
    assert workers._pool is None and workers._pool_broken
    assert workers.map_in_workers(normalize_text, ["ＡＩ"]) is None


def test_map_pieces_cuts_a_large_batch_into_tasks_and_keeps_the_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import analysis.text as text_module
    from analysis.text import nfkc_texts

    texts = [f"ＡＩ{i}ﾂｰﾙ" for i in range(100)]
    expected = [f"AI{i}ツール" for i in range(100)]
    assert nfkc_texts(texts) == expected  # below the threshold: this process
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    calls = _counted(monkeypatch)
    task = text_module._nfkc_chunk
    pieces = workers.map_pieces(task, texts, threshold=10, most=30)
    assert [len(p) for p in pieces] == [25] * 4  # 100 texts in four tasks of 25
    assert [t for piece in pieces for t in piece] == expected
    assert calls == [(4, 2)]
    assert workers._pool is not None and not workers._pool_broken  # the workers did it
    assert workers.map_pieces(task, texts, threshold=1_000, most=30) == [expected]  # one piece
    assert workers.map_pieces(task, texts, threshold=10, most=30, n_jobs=1) == [expected]
    assert calls == [(4, 2)]  # at or under the threshold, or n_jobs=1: no worker
    pieces = workers.map_pieces(task, texts, threshold=1_000, most=30, n_jobs=2)
    assert [t for piece in pieces for t in piece] == expected
    assert calls == [(4, 2), (4, 2)]  # n_jobs=2 sends even a small batch to two workers


@pytest.mark.parametrize(
    ("n_jobs", "n", "cores", "jobs"),
    [
        (None, 50_000, 2, 2),  # a large batch: every core
        (None, 50_000, 8, workers.WORKERS),  # at most the pool's size
        (None, 50_000, 1, 1),  # one core: this process
        (None, 20_000, 2, 1),  # at the threshold: this process
        (1, 50_000, 2, 1),
        (2, 5, 1, 2),  # asked for: two processes even on one core
        (2, 1, 2, 1),  # never more processes than items
        (64, 50_000, 2, workers.WORKERS),
    ],
)
def test_n_jobs_gives_the_processes(
    monkeypatch: pytest.MonkeyPatch, n_jobs: int | None, n: int, cores: int, jobs: int
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert workers.jobs_for(n_jobs, n, threshold=20_000) == jobs


@pytest.mark.parametrize("n_jobs", [0, -1, 1.5, True, "2"])
def test_n_jobs_must_be_a_positive_whole_number(n_jobs: object) -> None:
    with pytest.raises(ValueError, match="n_jobs"):
        workers.jobs_for(n_jobs, 100, threshold=10)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n_jobs"):
        normalized_answers(["日報"], n_jobs=n_jobs)  # type: ignore[arg-type]


@pytest.mark.parametrize("run_as", ["path", "module"])
def test_workers_start_without_running_main_again(tmp_path, monkeypatch, run_as: str) -> None:
    """Under ``streamlit run`` and AppTest, ``__main__`` is a page run by path; a new
    process would re-run it first. A script that fails when re-run must not break the
    workers (it did: every batch after a page test went to this process). A module run
    with ``-m`` would be imported again in each worker (``python -m bench...`` paid
    0.3 s for it): a module that fails on import must not matter either."""
    import sys
    import types

    script = tmp_path / "kakehashi_page_module.py"
    script.write_text("raise SystemExit('main re-run in a worker')\n", encoding="utf-8")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    if run_as == "module":  # as python -m kakehashi_page_module sets it up
        import importlib.util

        page.__spec__ = importlib.util.spec_from_file_location("kakehashi_page_module", script)
        monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "__main__", page)
    monkeypatch.setattr(workers, "_pool", None)
    monkeypatch.setattr(workers, "_pool_broken", False)
    try:
        assert workers.map_in_workers(normalize_text, ["ＡＩ", "ｶﾀｶﾅ"]) == ["AI", "カタカナ"]
        assert len(workers._pool._processes) == workers.WORKERS
        assert sys.modules["__main__"] is page  # put back after the processes started
    finally:
        if workers._pool is not None:
            workers._pool.shutdown(wait=True)


def test_soon_gives_the_value_or_the_error_of_its_task() -> None:
    import threading

    started = threading.Event()
    value = workers.soon(lambda: (started.set(), threading.current_thread().name)[1])
    assert started.wait(5)  # it began before anyone asked for it
    assert value() == "kakehashi-soon" and value() == "kakehashi-soon"

    def broken() -> None:
        raise ValueError("列「感想」がありません")

    failed = workers.soon(broken)
    with pytest.raises(ValueError, match="感想"):
        failed()


def test_soon_without_background_runs_its_task_once_when_asked() -> None:
    calls: list[int] = []
    value = workers.soon(lambda: calls.append(1) or len(calls), background=False)
    assert calls == []
    assert value() == 1 and value() == 1 and calls == [1]
