"""The worker processes: equal tasks, results in order, and a fallback that loses nothing."""

from __future__ import annotations

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


def test_normalising_in_workers_gives_the_in_process_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import analysis.text as text_module

    texts = [f"ＡＩで日報{i}" for i in range(300)] + ["特になし", None, "ー"] * 10
    expected = normalized_answers(texts)
    monkeypatch.setattr(text_module, "_PROCESS_THRESHOLD", 50)
    monkeypatch.setattr(text_module, "_CHUNK", 64)
    monkeypatch.setattr(workers, "cores_free", lambda: True)
    calls = []
    real = workers.map_in_workers
    monkeypatch.setattr(
        workers, "map_in_workers", lambda task, items: calls.append(len(items)) or real(task, items)
    )
    assert normalized_answers(texts) == expected
    assert calls == [6]  # 302 distinct texts in six tasks of 51
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
    monkeypatch.setattr(workers, "cores_free", lambda: True)
    calls = []
    real = workers.map_in_workers
    monkeypatch.setattr(
        workers, "map_in_workers", lambda task, items: calls.append(len(items)) or real(task, items)
    )
    task = text_module._nfkc_chunk
    pieces = workers.map_pieces(task, texts, threshold=10, most=30)
    assert [len(p) for p in pieces] == [25] * 4  # 100 texts in four tasks of 25
    assert [t for piece in pieces for t in piece] == expected
    assert calls == [4]
    assert workers._pool is not None and not workers._pool_broken  # the workers did it
    assert workers.map_pieces(task, texts, threshold=1_000, most=30) == [expected]  # one piece
    assert calls == [4]  # at or under the threshold nothing goes to the workers


def test_workers_start_when_main_is_a_page_script(tmp_path, monkeypatch) -> None:
    """Under ``streamlit run`` and AppTest, ``__main__`` is a page run by path; a new
    process would re-run it first. A script that fails when re-run must not break the
    workers (it did: every batch after a page test went to this process)."""
    import sys
    import types

    script = tmp_path / "page.py"
    script.write_text("raise SystemExit('a page re-run in a worker')\n", encoding="utf-8")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
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
