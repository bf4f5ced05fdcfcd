"""Neighbour graph: against a dense brute force, and the same in worker processes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.preprocessing import normalize

from analysis import neighbours, workers


def _unit_rows(n: int, seed: int) -> sparse.csr_matrix:
    rng = np.random.default_rng(seed)
    dense = rng.random((n, 40)) * (rng.random((n, 40)) < 0.15)
    dense[:, 0] += 0.01  # no empty row
    return sparse.csr_matrix(normalize(dense))


def _brute_force(x: sparse.csr_matrix, k: int) -> np.ndarray:
    sims = np.round((x @ x.T).toarray(), 9)
    np.fill_diagonal(sims, -np.inf)
    graph = np.zeros_like(sims)
    for i, row in enumerate(sims):
        top = np.argsort(-row, kind="stable")[:k]
        graph[i, top] = np.maximum(row[top], 0)
    return np.maximum(graph, graph.T)


@pytest.mark.parametrize(("n", "k"), [(2, 10), (30, 3), (200, 10)])
def test_graph_holds_each_rows_nearest_rows(n: int, k: int) -> None:
    x = _unit_rows(n, seed=n)
    graph = neighbours.neighbour_graph(x, k).toarray()
    expected = _brute_force(x, min(k, n - 1))
    # ties may pick another row of the same similarity: compare the similarities kept
    np.testing.assert_allclose(np.sort(graph, axis=1), np.sort(expected, axis=1), atol=1e-12)
    np.testing.assert_array_equal(graph, graph.T)
    assert (np.count_nonzero(graph, axis=1) >= 1).all()


@pytest.mark.parametrize("n", [200, 3_000])  # a full partition per row; block maxima first
def test_neighbours_are_the_most_similar_rows_ties_to_the_lower_row(n: int) -> None:
    rng = np.random.default_rng(n)
    dense = rng.integers(0, 3, (n, 12)) * (rng.random((n, 12)) < 0.3)  # many equal similarities
    dense[:, 0] += 1
    x = sparse.csr_matrix(normalize(dense.astype(float)))
    index, similarity = neighbours.nearest_neighbours(x, 10, n_jobs=1)
    sims = np.round((x @ x.T).toarray(), 9)
    np.fill_diagonal(sims, 0)
    expected = np.argsort(-sims, axis=1, kind="stable")[:, :10]
    np.testing.assert_array_equal(index, expected)
    np.testing.assert_array_equal(similarity, np.take_along_axis(sims, expected, axis=1))


def test_worker_processes_give_the_in_process_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    x = _unit_rows(601, seed=1)
    expected = neighbours.neighbour_graph(x, 10, n_jobs=1)
    calls = []
    real = workers.map_in_workers
    monkeypatch.setattr(
        workers,
        "map_in_workers",
        lambda task, items, *, jobs: calls.append((items, jobs)) or real(task, items, jobs=jobs),
    )
    assert (neighbours.neighbour_graph(x, 10) != expected).nnz == 0  # 601 rows: this process
    assert calls == []
    shared = neighbours.neighbour_graph(x, 10, n_jobs=2)
    assert calls == [([(0, 301), (301, 601)], 2)]
    assert workers._pool is not None and not workers._pool_broken  # the workers did it
    assert (shared != expected).nnz == 0


def test_one_row_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        neighbours.neighbour_graph(_unit_rows(1, seed=0), 10)
