"""Cosine k-nearest neighbours of unit-length rows, and the graph they make, for topics.

Each row's nearest rows come from one sparse product per block of rows; with
``n_jobs`` above 1, or by default from :data:`PARALLEL_ROWS` rows, the worker
processes of :mod:`analysis.workers` take an equal share of the rows each
(same result: every row's neighbours depend only on that row and ``x``).

>>> from scipy import sparse
>>> x = sparse.csr_matrix([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
>>> neighbour_graph(x, 1).toarray().round(2).tolist()
[[0.0, 0.8, 0.0], [0.8, 0.0, 0.6], [0.0, 0.6, 0.0]]
"""

from __future__ import annotations

from functools import partial

import numpy as np
from scipy import sparse

from analysis import workers

__all__ = ["PARALLEL_ROWS", "nearest_neighbours", "neighbour_graph"]

PARALLEL_ROWS = 4_000  # from this many rows the worker processes share the search
_CELLS = 2_000_000  # similarities held at once per process (16 MB)
_BLOCK = 128  # columns per block whose maximum bounds a row's largest similarities

_Edges = tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, columns, similarities


def _nearest(x: sparse.csr_matrix, span: tuple[int, int], *, take: int) -> _Edges:
    """The ``take`` most similar other rows of each row in ``span`` (start, stop)."""
    n = x.shape[0]
    rows, cols, vals = [], [], []
    xt = x.T.tocsc()
    step = max(1, _CELLS // max(n, 1))
    for start in range(span[0], span[1], step):
        stop = min(start + step, span[1])
        sims = (x[start:stop] @ xt).toarray()
        # Rounded, so that float noise (1e-16) in x cannot change which neighbours tie
        np.round(sims, 9, out=sims)
        sims[np.arange(stop - start), np.arange(start, stop)] = 0
        top, similarity = _largest(sims, take)
        rows.append(np.repeat(np.arange(start, stop), take))
        cols.append(top.ravel())
        vals.append(similarity.ravel())
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def _largest(sims: np.ndarray, take: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns and values of each row's ``take`` largest entries; a tie goes to the lower column.

    The rows' maxima over blocks of :data:`_BLOCK` columns give a lower bound
    for each row's ``take``-th largest entry (``take`` blocks each hold one at
    least that large); only the few entries above it are sorted. At 250 x 8,000
    similarities this takes a quarter of a full per-row partition.

    >>> _largest(np.array([[0.1, 0.5, 0.5, 0.9]]), 2)
    (array([[3, 1]]), array([[0.9, 0.5]]))
    """
    n_rows, n = sims.shape
    blocks = n // _BLOCK
    if blocks > take:
        peaks = sims[:, : blocks * _BLOCK].reshape(n_rows, blocks, _BLOCK).max(axis=2)
        floor = np.partition(peaks, blocks - take, axis=1)[:, blocks - take]
    else:
        floor = np.partition(sims, n - take, axis=1)[:, n - take]
    rows, cols = np.nonzero(sims >= floor[:, None])
    vals = sims[rows, cols]
    order = np.lexsort((cols, -vals, rows))  # by row, largest first, then lower column
    starts = np.searchsorted(rows[order], np.arange(n_rows))
    pick = order[(starts[:, None] + np.arange(take)).ravel()]
    return cols[pick].reshape(n_rows, take), vals[pick].reshape(n_rows, take)


def nearest_neighbours(
    x: sparse.csr_matrix, neighbours: int, *, n_jobs: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``neighbours`` most cosine-similar other rows, most similar first.

    Returns the column indices and the similarities, each of shape
    ``(rows, min(neighbours, rows - 1))``; ties keep the lower index first.
    Rows of ``x`` must have unit length and there must be at least two.
    ``n_jobs`` as for :func:`neighbour_graph`.

    >>> x = sparse.csr_matrix([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> index, similarity = nearest_neighbours(x, 1)
    >>> index.ravel().tolist(), similarity.ravel().round(2).tolist()
    ([1, 0, 1], [0.8, 0.8, 0.6])
    """
    n = x.shape[0]
    if n < 2:
        raise ValueError(f"a neighbour graph needs at least 2 rows, got {n}")
    take = min(neighbours, n - 1)
    nearest = partial(_nearest, x, take=take)
    parts = None
    jobs = workers.jobs_for(n_jobs, n, threshold=PARALLEL_ROWS - 1)
    if jobs > 1:
        share = -(-n // jobs)
        spans = [(start, min(start + share, n)) for start in range(0, n, share)]
        parts = workers.map_in_workers(nearest, spans, jobs=jobs)
    if parts is None:
        parts = [nearest((0, n))]
    _, cols, vals = (np.concatenate(column) for column in zip(*parts, strict=True))
    index, similarity = cols.reshape(n, take), vals.reshape(n, take)
    order = np.lexsort((index, -similarity), axis=1) if take > 1 else np.zeros((n, 1), int)
    return np.take_along_axis(index, order, axis=1), np.take_along_axis(similarity, order, axis=1)


def neighbour_graph(
    x: sparse.csr_matrix, neighbours: int, *, n_jobs: int | None = None
) -> sparse.csr_matrix:
    """Symmetric graph joining each row to its ``neighbours`` most cosine-similar rows.

    Rows of ``x`` must have unit length and there must be at least two. An
    edge's weight is the similarity (negative ones dropped); the graph keeps
    an edge found from either end. ``n_jobs`` is the number of processes
    (:func:`analysis.workers.jobs_for`): None for every core from
    :data:`PARALLEL_ROWS` rows, 1 for this process only.
    """
    index, similarity = nearest_neighbours(x, neighbours, n_jobs=n_jobs)
    n, take = index.shape
    rows = np.repeat(np.arange(n), take)
    graph = sparse.csr_matrix((similarity.ravel(), (rows, index.ravel())), shape=(n, n))
    graph.data[graph.data < 0] = 0
    graph.eliminate_zeros()
    return graph.maximum(graph.T).tocsr()
