"""The lexicon: n_jobs never changes a result, taggers are per thread, caches per instance.

Real answers are pairs of the free-text answers in ``../shared/realdata`` (福井県観光連盟 /
福井県観光アンケートオープンデータ (CC BY 4.0)), so the vocabulary is a real survey's.
Expected tokens assume the unidic-lite dictionary (1.0.8).
"""

from __future__ import annotations

import pickle
import random
import threading

import pytest
from realdata import answer_pairs, needs_realdata, real_answers

from analysis import workers
from analysis.masking import blank_pii
from analysis.text import (
    LEXICON,
    Lexicon,
    morphemes,
    nfkc_texts,
    normalized_answers,
    tokenize_texts,
    tokenize_with_forms,
)


def _worker_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The processes asked for by each call to the worker processes from now on."""
    calls: list[int] = []
    real = workers.map_in_workers

    def counted(task, items, *, jobs=workers.WORKERS):
        calls.append(jobs)
        return real(task, items, jobs=jobs)

    monkeypatch.setattr(workers, "map_in_workers", counted)
    return calls


@needs_realdata
def test_real_answers_are_many_and_distinct() -> None:
    answers = real_answers()
    assert len(answers) > 1_000
    texts = answer_pairs(500, seed=1)
    assert len(set(texts)) == 500


@needs_realdata
def test_one_and_two_processes_give_the_same_tokens_on_real_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = answer_pairs(3_000, seed=17)
    fresh = Lexicon()  # a cold cache: every token is learned in this process
    expected = fresh.tokenize_texts(texts, n_jobs=1)
    calls = _worker_calls(monkeypatch)
    in_workers = tokenize_texts(texts, n_jobs=2)
    assert calls == [2]  # the work went to two worker processes
    assert workers._pool is not None and not workers._pool_broken
    assert in_workers == expected
    assert LEXICON.tokenize_texts(texts, n_jobs=1) == expected
    assert sum(map(len, expected)) > 10 * len(texts)  # real content words, not empty lists
    assert "満足" in {lemma for tokens in expected for lemma in tokens}


@needs_realdata
def test_one_and_two_processes_give_the_same_forms_and_redactions_on_real_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = answer_pairs(2_000, seed=29) + [
        "田中さんに聞いた。駐車場が狭い",
        "090-1234-5678まで連絡を",
    ]
    one = Lexicon().tokenize_with_forms(texts, redact=blank_pii, n_jobs=1)
    calls = _worker_calls(monkeypatch)
    two = tokenize_with_forms(texts, redact=blank_pii, n_jobs=2)
    assert calls == [2]
    assert two.tokens == one.tokens
    assert two.forms == one.forms
    assert two.texts == one.texts
    assert two.texts[-2].startswith(" さんに聞いた")  # the name went, in the workers too
    assert "田中" not in two.forms


@needs_realdata
def test_one_and_two_processes_give_the_same_normalised_answers_on_real_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [*answer_pairs(1_000, seed=5), "特になし", None, "ー", "ＡＩで日報"]
    calls = _worker_calls(monkeypatch)
    one = normalized_answers(texts, n_jobs=1)
    assert calls == []
    two = normalized_answers(texts, n_jobs=2)
    assert calls == [2]
    assert two == one
    assert one[-4:] == [None, None, None, "AIで日報"]
    strings = [t for t in texts if isinstance(t, str)]
    assert nfkc_texts(strings, n_jobs=2) == nfkc_texts(strings, n_jobs=1)


@needs_realdata
def test_four_threads_tokenizing_different_texts_give_the_sequential_tokens() -> None:
    """MeCab's tagger is not thread-safe, so each thread has its own; the threads share
    one cold cache and fill it at the same time. (With fugashi 1.5 holding the GIL in
    ``parse`` a shared tagger also passed here: the tagger test below is the direct check.)"""
    batches = [answer_pairs(300, seed=100 + i) for i in range(4)]
    reference = Lexicon()
    expected = [reference.tokenize_texts(batch, n_jobs=1) for batch in batches]
    expected_surfaces = [[m.surface for m in reference.morphemes(t)] for t in batches[0][:50]]
    shared = Lexicon()  # cold: the threads learn new tokens at the same time
    barrier = threading.Barrier(4)
    results: dict[int, list[list[list[str]]]] = {}
    surfaces: dict[int, list[list[str]]] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            results[i] = [shared.tokenize_texts(batches[i], n_jobs=1) for _ in range(3)]
            surfaces[i] = [[m.surface for m in shared.morphemes(t)] for t in batches[0][:50]]
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for i in range(4):
        assert all(run == expected[i] for run in results[i])
        assert surfaces[i] == expected_surfaces


def test_each_thread_gets_its_own_tagger() -> None:
    lexicon = Lexicon()
    here = lexicon.tagger()
    assert lexicon.tagger() is here  # made once per thread
    assert lexicon.tagger("-Owakati") is not here  # one per format
    seen: list[object] = []
    thread = threading.Thread(target=lambda: seen.append(lexicon.tagger()))
    thread.start()
    thread.join()
    assert seen and seen[0] is not here
    assert Lexicon().tagger() is not here  # and per lexicon


def test_caches_belong_to_their_lexicon() -> None:
    texts = ["ヴョヮヰ語の研修資料をＡＩで要約したい", "議事録の作成が楽になった"]
    first, second = Lexicon(), Lexicon()
    before = LEXICON.cached_tokens
    tokens = first.tokenize_texts(texts, n_jobs=1)
    assert first.cached_tokens > 0
    assert second.cached_tokens == 0  # nothing shared with another lexicon
    assert LEXICON.cached_tokens == before  # nor with the default one
    assert second.tokenize_texts(texts, n_jobs=1) == tokens
    assert second.cached_tokens == first.cached_tokens
    assert tokens == tokenize_texts(texts, n_jobs=1)
    assert tokens[1] == ["議事", "作成", "楽"]


def test_a_lexicon_without_a_cache_gives_the_same_results() -> None:
    texts = ["鈴木さんと日報の要約を試した", "ｸﾞｸﾞﾚｶｽを使う", "特になし"]
    none = Lexicon(cache_limit=0)
    assert none.tokenize_texts(texts, n_jobs=1) == tokenize_texts(texts, n_jobs=1)
    assert none.morphemes(texts[0]) == morphemes(texts[0])
    with_forms = none.tokenize_with_forms(texts, redact=blank_pii, n_jobs=1)
    assert with_forms == tokenize_with_forms(texts, redact=blank_pii, n_jobs=1)
    assert none.cached_tokens == 0
    with pytest.raises(ValueError, match="cache_limit"):
        Lexicon(cache_limit=-1)


def test_a_lexicon_pickles_as_the_default_one_and_never_with_its_taggers() -> None:
    lexicon = Lexicon()
    lexicon.tokenize_texts(["日報の要約"], n_jobs=1)
    data = pickle.dumps(lexicon)
    assert len(data) < 200  # a reference, no tagger and no cache
    assert pickle.loads(data) is LEXICON


@needs_realdata
def test_topics_with_one_and_two_processes_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.topics import fit_topics

    texts = answer_pairs(800, seed=3)
    roles = ["管理職" if i % 3 == 0 else "現場" for i in range(len(texts))]
    one = fit_topics(texts, roles=roles, random_state=0, n_jobs=1)
    calls = _worker_calls(monkeypatch)
    two = fit_topics(texts, roles=roles, random_state=0, n_jobs=2)
    assert calls == [2, 2, 2, 2]  # normalising, tokenizing, label words, neighbour search
    assert two.to_json() == one.to_json()
    assert len(one.topics) >= 2


@needs_realdata
def test_an_unknown_word_needs_no_second_parse_and_changes_no_result(monkeypatch):
    """Each answer carrying a word the dictionary lacks cost a second, full parse (3.0x a raw
    parse on 20k such answers, 1.2x now): unknown words are printed in full by the fast format."""
    rng = random.Random(3)
    kana = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ"
    known = answer_pairs(300, seed=5)
    texts = [f"{t}（{''.join(rng.choice(kana) for _ in range(6))}）" for t in known]
    warm = Lexicon()
    warm.tokenize_texts(known, n_jobs=1)  # every known word of the answers is cached
    parses = []
    learn = warm._learn
    monkeypatch.setattr(warm, "_learn", lambda text: parses.append(text) or learn(text))
    fast = warm.tokenize_texts(texts, n_jobs=1)
    assert len(parses) < len(texts) // 10  # was one per text
    cold = Lexicon(cache_limit=0)  # nothing cached: every text parsed with the full format
    assert fast == cold.tokenize_texts(texts, n_jobs=1)
    assert [m[:4] for t in texts[:50] for m in warm.morphemes(t)] == [
        m[:4] for t in texts[:50] for m in cold.morphemes(t)
    ]
