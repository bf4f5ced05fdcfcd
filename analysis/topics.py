"""Topics in free-text answers, fitted once per question and sliced by role x wave.

The model, in order:

1. Answers that say nothing (:func:`analysis.text.is_no_answer`) are set
   aside: they are counted, never clustered (assignment ``None``).
2. Each distinct answer becomes one L2-normalised vector joining two TF-IDF
   blocks with sublinear tf: content-word lemmas (fugashi + unidic-lite) and
   character 2-3-grams of the NFKC text taken inside runs of kanji, katakana
   and letters (hiragana, mostly particles and endings, break the runs). The
   character block lets short answers that share no whole word still meet
   (要約/要約機能, 日報/営業日報). The counting is :mod:`analysis.features`.
3. A cosine k-nearest-neighbour graph (12 neighbours; :mod:`analysis.neighbours`)
   over the distinct answers, weighted as UMAP does (each answer's edges
   scaled by its own neighbourhood's distances, the two directions joined as
   a fuzzy union). The answers' LSA (100 dimensions) is smoothed over it, ten
   multiplications by its normalised adjacency with self-loops, so that short
   answers sharing no term but with overlapping neighbourhoods meet; k-means
   with a fixed ``random_state`` on the unit-length rows gives a first
   partition, and a few hard-EM sweeps of a multinomial mixture over term
   presence (one topic per answer, as GSDMM) refine it. On the labelled short
   Japanese check sets this beats spectral clustering of the same graph, NMF
   and the peers in ``bench/topic_quality_bench.py``. Above 8,000 distinct
   answers the graph is built on a seeded random sample of 8,000 and the
   other answers join the topic whose centroid they are closest to.
4. The number of topics, unless given, is chosen in 3..10 by silhouette on the
   smoothed embedding, passing over partitions where one topic holds over half
   (the refinement is dropped if it would make one topic that large).
5. Each topic is described by its most distinctive words (log-odds ratio
   with an informative Dirichlet prior, topic against the rest), shown in their
   most common written form; negation stays part of the word (使えない is
   ``使う_否定``, not 使う) and compounds the dictionary splits stay whole
   (議事録, 生成AI; :func:`analysis.label_words.label_tokens`). The label is a
   short phrase from the topic's most representative masked answers, a clause
   holding its first key word (:func:`phrase_of`); that answer is among the
   examples shown.
6. A small question (up to :data:`SMALL_QUESTION` distinct answers) is not
   clustered: its answers are grouped by theme (:mod:`analysis.themes`), then
   by a shared word, each group with a ``reason``.

Privacy: representative examples come only from groups (role x wave cells, or
the whole set without roles and waves) with at least ``min_group`` answers,
and pass through :func:`analysis.masking.mask_pii`. Shares are given per
group, for groups of at least ``min_group`` answers only, and never as
margins that would let a suppressed cell be worked out by subtraction.
Labels, terms and sizes, too, come only from those groups' answers: a topic
that only smaller groups wrote would name what they wrote, so its answers join
the nearest topic a large group wrote, and a size counting a small group's
answers would give their number away next to the large groups' shares.
Without any group that large there are no topics, unless the question as a
whole is that large: then all answers are one pool, with no shares.

>>> texts = ["日報の要約に使いたい", "営業日報を要約したい", "議事録の作成を任せたい",
...          "議事録を自動で作成", "特になし"]
>>> result = fit_topics(texts, k=2, min_group=1)
>>> result.assignments
[0, 0, 1, 1, None]
>>> result.topics[["label", "terms"]].values.tolist()
[['営業日報を要約したい', ['要約', '使う', '営業日報', '日報']], ['議事録の作成を任せたい', ['作成', '議事録', '任せる', '自動']]]
"""

from __future__ import annotations

import json
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from analysis import workers
from analysis.answer_tokens import answer_tokens, unescaped
from analysis.features import answer_features, lemma_counts
from analysis.label_words import NEGATED, label_marks, label_tokens
from analysis.masking import Pii, mask_pii
from analysis.neighbours import PARALLEL_ROWS, nearest_neighbours
from analysis.privacy import (
    MIN_GROUP_COMMENTS,
    WHOLE,
    group_cells,
    visible_groups,
)
from analysis.text import (
    is_no_answer,
    jobs_for_texts,
    long_answer_note,
    normalized_answers,
    tokenize_with_forms,
)
from analysis.themes import Theme, load_themes, themes_of

__all__ = [
    "TopicResult",
    "distinctive_terms",
    "fit_topics",
    "keyword_in_context",
    "log_odds",
    "term_frequencies",
]

K_RANGE = range(3, 11)  # automatic choice of the number of topics
K_SAMPLE = 2_000  # embedding rows on which each candidate number of topics is tried
MAX_TOPIC_SHARE = 0.5  # an automatic topic holding more than half the answers says nothing
NEIGHBOURS = 12
EMBED_DIMS = 100  # LSA dimensions smoothed over the neighbour graph
DIFFUSION_STEPS = 10  # multiplications by the graph's normalised adjacency
REFINE_SWEEPS = 5  # hard-EM sweeps of the multinomial mixture after k-means
REFINE_ALPHA = 0.1  # pseudo-answers per topic in the mixture's topic shares
REFINE_BETA = 1.0  # pseudo-count per term in the mixture's term distributions
MAX_GRAPH = 8_000  # distinct answers in the neighbour graph; the rest join by centroid
N_TERMS = 10
N_EXAMPLES = 3
#: Why a question with answers has no topics: nothing but names and numbers
#: (ご記入者: 山田太郎) is left once personal information is taken out.
NO_TERMS_NOTE = "氏名などの個人情報を除くと、分析できる語が残りませんでした。"
SMALL_QUESTION = 60  # distinct answers up to which topics are themes and shared words
SMALL_EXAMPLES = 10  # answers shown per group of a small question; a label's candidates
MIN_SMALL_GROUP = 2  # quotable answers a theme or word group of a small question needs
MAX_PHRASE = 24  # characters of a label phrase
LABEL_SAMPLE = 5_000  # distinct answers read for label words (negation, compounds)
#: Why a question's answers are shown as one pool: no role x wave group is large enough.
POOLED_NOTE = (
    "どの役割×回答時期のグループも回答が{n}件未満のため、全回答をまとめて話題を示します"
    "（グループ別の割合は表示しません）。"
)


@dataclass(frozen=True)
class TopicResult:
    """Topics of one free-text question.

    Attributes
    ----------
    topics : DataFrame
        One row per topic: ``id`` (int, 0 = largest), ``label`` (str),
        ``terms`` (list of str), ``size`` (answers from groups of at least
        ``min_group``; smaller groups' answers are clustered, not counted),
        ``examples`` (masked answers, list of str), ``reason`` (str: why a
        small question's answers are together, ``""`` for a clustered topic).
    assignments : list of int or None
        Topic id per input text, ``None`` for answers that say nothing.
    shares : DataFrame
        ``role``, ``wave``, ``topic``, ``share`` (0-1 of the group's answers),
        ``n`` (answers of that group in that topic); groups under the threshold
        are left out; empty without roles and waves.
    k : int
        Number of topics.
    n_no_answer : int
        Answers that say nothing.
    notes : tuple of str
        Japanese notes for the reader: why there are no topics although
        answers said something (:data:`NO_TERMS_NOTE`), or that an answer was
        too long to analyse in full (:func:`analysis.text.long_answer_note`).
    """

    topics: pd.DataFrame
    assignments: list[int | None]
    shares: pd.DataFrame
    k: int
    n_no_answer: int = field(default=0)
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, list]:
        """Plain data: ``topics``, ``assignments``, ``shares`` and ``notes`` as lists."""
        topics = [
            {
                "id": int(row.id),
                "label": str(row.label),
                "terms": [str(t) for t in row.terms],
                "size": int(row.size),
                "examples": [str(e) for e in row.examples],
                "reason": str(row.reason),
            }
            for row in self.topics.itertuples(index=False)
        ]
        shares = [
            {
                "role": str(row.role),
                "wave": str(row.wave),
                "topic": int(row.topic),
                "share": float(row.share),
                "n": int(row.n),
            }
            for row in self.shares.itertuples(index=False)
        ]
        return {
            "topics": topics,
            "assignments": list(self.assignments),
            "shares": shares,
            "notes": list(self.notes),
        }

    def to_json(self) -> str:
        """The result as JSON text (UTF-8 Japanese kept as is).

        >>> r = fit_topics(["日報の要約", "日報を要約", "議事録の作成", "議事録を作成"], k=2, min_group=1)
        >>> sorted(json.loads(r.to_json()))
        ['assignments', 'notes', 'shares', 'topics']
        """
        return json.dumps(self.to_dict(), ensure_ascii=False)


# --------------------------------------------------------------------------- groups


def _large_groups(keys: Sequence[object], answered: Sequence[bool], min_group: int) -> set[object]:
    """Groups with at least ``min_group`` answers that say something."""
    sizes = Counter(k for k, a in zip(keys, answered, strict=True) if a)
    return {k for k, n in sizes.items() if n >= min_group}


# --------------------------------------------------------------------------- statistics


def log_odds(counts: pd.DataFrame | np.ndarray, *, prior: np.ndarray | None = None) -> np.ndarray:
    """z-scores of the log-odds ratio of each word, each group against all others.

    Monroe, Colaresi & Quinn (2008), "Fightin' words", with an informative
    Dirichlet prior: the pooled counts of all groups unless ``prior`` is given.

    Parameters
    ----------
    counts : array of shape (groups, words)
        Word counts per group.
    prior : array of shape (words,), optional
        Dirichlet pseudo-counts.

    Returns
    -------
    ndarray of shape (groups, words)
        Positive where a word is more typical of the group than of the rest.

    Examples
    --------
    >>> z = log_odds(np.array([[10, 1], [1, 10]]))
    >>> bool(z[0, 0] > 1.96 and z[0, 1] < -1.96 and z[1, 1] > 1.96)
    True
    """
    y = np.asarray(counts, dtype=float)
    alpha = y.sum(axis=0) if prior is None else np.asarray(prior, dtype=float)
    alpha = np.where(alpha > 0, alpha, 0.01)
    alpha0 = alpha.sum()
    total = y.sum(axis=0)
    n = y.sum(axis=1, keepdims=True)
    rest, n_rest = total - y, n.sum() - n
    own = np.log(y + alpha) - np.log(n + alpha0 - y - alpha)
    other = np.log(rest + alpha) - np.log(n_rest + alpha0 - rest - alpha)
    variance = 1 / (y + alpha) + 1 / (rest + alpha)
    return (own - other) / np.sqrt(variance)


# --------------------------------------------------------------------------- model


def _fuzzy_graph(index: np.ndarray, similarity: np.ndarray) -> sparse.csr_matrix:
    """Neighbour graph with locally scaled weights, as UMAP builds it (McInnes et al. 2018).

    Row ``i``'s edge to a neighbour at cosine distance ``d`` weighs
    ``exp(-(d - rho_i) / sigma_i)``: ``rho_i`` is the distance to its nearest
    neighbour (weight 1), and ``sigma_i`` makes its weights sum to
    ``log2(neighbours)``. A dense clump of near-duplicates and a sparse
    stretch of loosely related answers thus weigh alike, where raw
    similarities let the clumps hold the graph's strongest edges. The two
    directions join as a fuzzy union, ``a + b - ab``. Neighbours sharing no
    term (similarity 0) get no edge.
    """
    n, take = index.shape
    distance = 1 - similarity
    related = similarity > 0
    rho = np.where(related, distance, 1.0).min(axis=1)
    excess = np.where(related, np.maximum(distance - rho[:, None], 0), 0)
    target = np.log2(max(take, 2))
    low, high, sigma = np.zeros(n), np.full(n, np.inf), np.ones(n)
    for _ in range(64):  # bisection on each row's sigma
        total = np.where(related, np.exp(-excess / sigma[:, None]), 0).sum(axis=1)
        over = total > target
        high = np.where(over, sigma, high)
        low = np.where(over, low, sigma)
        sigma = np.where(np.isinf(high), sigma * 2, (low + high) / 2)
    weights = np.where(related, np.exp(-excess / sigma[:, None]), 0)
    rows = np.repeat(np.arange(n), take)
    directed = sparse.csr_matrix((weights.ravel(), (rows, index.ravel())), shape=(n, n))
    graph = (directed + directed.T - directed.multiply(directed.T)).tocsr()
    graph.eliminate_zeros()
    return graph


def _lsa(x: sparse.csr_matrix, random_state: int) -> np.ndarray:
    """:data:`EMBED_DIMS` dimensions of truncated SVD of ``x`` (all of ``x`` when it is that small)."""
    n, columns = x.shape
    if n <= EMBED_DIMS or columns <= EMBED_DIMS:
        return x.toarray()
    return TruncatedSVD(EMBED_DIMS, random_state=random_state).fit_transform(x)


def _smoothed(z: np.ndarray, graph: sparse.csr_matrix) -> np.ndarray:
    """The LSA rows ``z`` smoothed over ``graph``, rows scaled to unit length.

    :data:`DIFFUSION_STEPS` multiplications by the graph's normalised adjacency
    with self-loops, ``D^-1/2 (A + I) D^-1/2``: each answer takes on the words of
    its neighbours and theirs, so two short answers that share no term but whose
    neighbourhoods overlap end up close (Wu et al. 2019, "Simplifying graph
    convolutional networks").
    """
    adjacency = graph + sparse.identity(graph.shape[0], format="csr")
    scale = sparse.diags(1 / np.sqrt(np.asarray(adjacency.sum(axis=1)).ravel()))
    smoothing = (scale @ adjacency @ scale).tocsr()
    for _ in range(DIFFUSION_STEPS):
        z = smoothing @ z
    return normalize(z)


def _refine(x: sparse.csr_matrix, labels: np.ndarray, k: int) -> np.ndarray:
    """Hard-EM sweeps of a multinomial mixture over term presence, from ``labels``.

    Each answer moves to the topic under whose smoothed term distribution
    (pseudo-count :data:`REFINE_BETA` per term) its lemmas and character
    n-grams are most probable, times the topic's share: GSDMM's one topic per
    short text (Yin & Wang 2014), started from the graph's partition instead
    of at random. Stops after :data:`REFINE_SWEEPS` sweeps or when nothing moves.
    """
    present = x.copy()
    present.data[:] = 1.0
    n, terms = present.shape
    for _ in range(REFINE_SWEEPS):
        members = sparse.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(k, n))
        counts = (members @ present).toarray()
        log_terms = (
            np.log(counts + REFINE_BETA) - np.log(counts.sum(axis=1) + terms * REFINE_BETA)[:, None]
        )
        log_share = np.log(np.bincount(labels, minlength=k) + REFINE_ALPHA)
        scores = np.asarray(present @ log_terms.T) + log_share
        moved = scores.argmax(axis=1)
        if (moved == labels).all():
            break
        labels = moved
    return labels


def _largest_share(labels: np.ndarray) -> float:
    return np.bincount(labels).max() / len(labels)


def _choose_k(embedding: np.ndarray, random_state: int) -> tuple[int, np.ndarray]:
    """Number of topics within ``K_RANGE`` and the k-means labels for it.

    Each candidate k clusters a seeded sample of up to :data:`K_SAMPLE` rows of
    the embedding; a partition where one topic holds more than
    :data:`MAX_TOPIC_SHARE` of the answers is passed over (short survey
    answers have many near-duplicates, which make the silhouette favour one
    huge topic plus a few tiny ones). Among the rest the best silhouette wins;
    if every k leaves a huge topic, the most even partition does. The winner
    is refit on all rows, from the sample's centres when it was a sample (one
    run instead of ten restarts: 0.05 s instead of 0.35 s on 8,000 rows, for
    an inertia 0.2-0.7% higher).
    """
    n = len(embedding)
    upper = min(K_RANGE.stop - 1, max(1, n // 2))
    if upper < K_RANGE.start:
        k = max(1, upper)
        return k, _kmeans(embedding, k, random_state).labels_
    rng = np.random.default_rng(random_state)
    sampled = n > K_SAMPLE
    look = embedding[np.sort(rng.choice(n, K_SAMPLE, replace=False))] if sampled else embedding
    best: tuple[bool, float, KMeans] | None = None
    for k in range(K_RANGE.start, upper + 1):
        kmeans = _kmeans(look, k, random_state, n_init=3)  # a quick look; the winner is refit
        labels = kmeans.labels_
        largest = _largest_share(labels)
        quality = (
            silhouette_score(
                look, labels, sample_size=min(1_000, len(look)), random_state=random_state
            )
            if len(set(labels)) > 1
            else -1.0
        )
        rank = (largest <= MAX_TOPIC_SHARE, quality if largest <= MAX_TOPIC_SHARE else -largest)
        if best is None or rank > best[:2]:
            best = (*rank, kmeans)
    winner = best[2]
    k = winner.n_clusters
    if sampled:
        return k, _kmeans(embedding, k, random_state, start=winner.cluster_centers_).labels_
    return k, _kmeans(embedding, k, random_state).labels_


def _kmeans(
    embedding: np.ndarray,
    k: int,
    random_state: int,
    *,
    n_init: int = 10,
    start: np.ndarray | None = None,
) -> KMeans:
    """K-means of the rows of ``embedding``: ``n_init`` seeded restarts, or one run from ``start``."""
    if start is None:
        kmeans = KMeans(n_clusters=k, n_init=n_init, random_state=random_state)
    else:
        kmeans = KMeans(n_clusters=k, init=start, n_init=1, random_state=random_state)
    with warnings.catch_warnings():
        # fewer distinct answers than topics: empty topics are dropped
        warnings.simplefilter("ignore", ConvergenceWarning)
        return kmeans.fit(embedding)


def _cluster(
    x: sparse.csr_matrix, k: int | None, random_state: int, n_jobs: int | None = None
) -> tuple[np.ndarray, int]:
    """Topic per distinct text, and the number of topics.

    One BLAS and OpenMP thread for the embedding and k-means: they are small
    (at most 8,000 x 100), and on a busy machine (other sessions, other jobs)
    threads waiting for a core made k-means five times slower than one thread.
    """
    n = x.shape[0]
    if k is not None and k >= n:  # no more topics than distinct answers: one each
        return np.arange(n), n
    labels = np.full(n, -1)
    rng = np.random.default_rng(random_state)
    sample = np.sort(rng.choice(n, MAX_GRAPH, replace=False)) if n > MAX_GRAPH else np.arange(n)
    if len(sample) < 2:
        labels[:] = 0
        return labels, 1
    # the worker processes search the neighbours while this process works out the LSA
    parallel = workers.jobs_for(n_jobs, len(sample), threshold=PARALLEL_ROWS - 1) > 1
    search = partial(nearest_neighbours, x[sample], NEIGHBOURS, n_jobs=n_jobs)
    neighbours = workers.soon(search, background=parallel)
    # an answer sharing no term with any other keeps its own place in the embedding
    worded = np.diff(x[sample].indptr) > 0
    nodes = sample[worded]
    if len(nodes) < 2:
        labels[:] = 0
        return labels, 1
    with threadpool_limits(1):
        lsa = _lsa(x[nodes], random_state)
        embedding = _smoothed(lsa, _fuzzy_graph(*neighbours())[worded][:, worded])
        if k is None:
            chosen, grouped = _choose_k(embedding, random_state)
        else:
            chosen = min(k, len(nodes))
            grouped = _kmeans(embedding, chosen, random_state).labels_
    refined = _refine(x[nodes], grouped, chosen)
    even = k is not None or _largest_share(refined) <= MAX_TOPIC_SHARE
    labels[nodes] = refined if even or _largest_share(grouped) > MAX_TOPIC_SHARE else grouped
    # everyone else joins the nearest topic centroid in feature space
    members = sparse.csr_matrix(
        (np.ones(len(nodes)), (labels[nodes], np.arange(len(nodes)))), shape=(chosen, len(nodes))
    )
    centroids = normalize(members @ x[nodes])
    rest = np.flatnonzero(labels < 0)
    if len(rest):
        sims = (x[rest] @ centroids.T).toarray()
        nearest = sims.argmax(axis=1)
        largest = int(np.bincount(labels[nodes], minlength=chosen).argmax())
        labels[rest] = np.where(sims.max(axis=1) > 0, nearest, largest)
    return labels, chosen


def _describe(
    labels: np.ndarray,
    weights: np.ndarray,
    counts: sparse.csr_matrix,
    vocabulary: list[str],
    forms: dict[str, str],
    k: int,
) -> list[tuple[str, list[str]]]:
    """Label and display terms per topic from the topic-vs-rest log-odds of lemmas.

    A lemma is no key word of a topic whose answers negate it at least as
    often as they use it (使う beside 使う_否定): the term would read the other way.
    """
    membership = sparse.csr_matrix(
        (weights, (labels, np.arange(len(labels)))), shape=(k, len(labels))
    )
    per_topic = np.asarray((membership @ counts).todense())
    z = log_odds(per_topic) if per_topic.size else np.zeros((k, 0))
    described: list[tuple[str, list[str]]] = []
    used: set[str] = set()
    column = {word: j for j, word in enumerate(vocabulary)}
    negation = np.array([column.get(word + NEGATED, -1) for word in vocabulary], dtype=int)
    for topic in range(k):
        order = np.argsort(-z[topic], kind="stable")
        # 使う is no key word of a topic that says 使えない at least as often
        counts = np.append(per_topic[topic], 0.0)
        positive = per_topic[topic] > counts[negation]
        terms = [
            _shown_word(vocabulary[j], forms)
            for j in order
            if z[topic, j] > 0 and per_topic[topic, j] > 0 and positive[j]
        ][:N_TERMS]
        shown = 3
        while "・".join(terms[:shown]) in used and shown < len(terms):
            shown += 1  # two topics must not share a label
        label = "・".join(terms[:shown]) if terms else "その他"
        used.add(label)
        described.append((label, terms))
    return described


def fit_topics(
    texts: Sequence[str],
    *,
    roles: Sequence[str | None] | None = None,
    waves: Sequence[str | None] | None = None,
    k: int | None = None,
    min_group: int = MIN_GROUP_COMMENTS,
    random_state: int = 0,
    themes: Sequence[Theme] | None = None,
    n_jobs: int | None = None,
) -> TopicResult:
    """Fit topics once on all answers of a question, then slice them by role x wave.

    Parameters
    ----------
    texts : sequence of str
        Answers as typed, one per respondent row (``None``/NaN allowed).
    roles, waves : sequence of str or None, optional
        Role (経営層, 管理職, 現場 ...) and wave (研修前, 研修後 ...) per row.
    k : int, optional
        Number of topics (1 or more); chosen by silhouette within 3..10 if
        omitted. Fewer topics come back when there are too few answers.
    min_group : int
        Smallest group (answers that say something) whose answers may be quoted
        or whose shares may be shown.
    random_state : int
        Seed for sampling and k-means: the same input always gives the same topics.
    themes : sequence of Theme, optional
        The theme dictionary that groups a small question's answers
        (default :func:`analysis.themes.load_themes`).
    n_jobs : int, optional
        Processes for tokenizing and the neighbour search: 1 for this process
        only; by default every core for a large question. The topics never
        depend on it.

    Small questions (up to :data:`SMALL_QUESTION` distinct answers, ``k`` not
    given) are not clustered: answers are grouped by the theme they mention
    (largest theme first), then by a word at least two quotable answers share,
    and the rest go together; each group's ``reason`` says why. When roles or
    waves are given but no group reaches ``min_group`` answers while the whole
    question does, all answers are one pool (:data:`POOLED_NOTE`, no shares).

    Labels are a short phrase (at most :data:`MAX_PHRASE` characters) from the
    topic's :data:`SMALL_EXAMPLES` most representative masked answers, a clause
    holding its first key word where one does, and the answer it comes from is
    among the examples; key words keep negation (使えない, not 使う, which is no
    key word where the topic negates it as often) and compounds (議事録).

    Returns
    -------
    TopicResult
        Topics, assignments and shares (see :class:`TopicResult`).

    Raises
    ------
    ValueError
        If ``roles`` or ``waves`` do not match ``texts`` in length, or ``k < 1``.
    """
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of answers, not one string")
    texts = list(texts)
    n = len(texts)
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if min_group < 1:
        raise ValueError(f"min_group must be at least 1, got {min_group}")
    texts = unescaped(texts)
    cells = group_cells(n, roles, waves)
    analysed = normalized_answers(texts, n_jobs=n_jobs)
    answered = [a is not None for a in analysed]
    rows = [i for i in range(n) if answered[i]]
    assignments: list[int | None] = [None] * n
    if not rows:
        return TopicResult(_empty_topics(), assignments, _empty_shares(), 0, n)

    allowed = _large_groups(cells, answered, min_group)
    grouped = roles is not None or waves is not None
    pooled = grouped and not allowed and len(rows) >= min_group
    if pooled:  # no role x wave group is large enough, the question is: one pool, no shares
        cells = [(WHOLE, WHOLE)] * n
        allowed = {(WHOLE, WHOLE)}
    if not allowed:  # no group may be shown: no topic either
        return TopicResult(_empty_topics(), assignments, _empty_shares(), 0, n - len(rows))
    normalised = [analysed[i] for i in rows]
    unique = list(dict.fromkeys(normalised))
    position = {text: j for j, text in enumerate(unique)}
    of_row = np.array([position[t] for t in normalised])
    tokenized = answer_tokens(unique, n_jobs=n_jobs)  # no name: no term
    sample = (
        np.sort(
            np.random.default_rng(random_state).choice(len(unique), LABEL_SAMPLE, replace=False)
        )
        if len(unique) > LABEL_SAMPLE
        else np.arange(len(unique))
    )
    label_texts = [tokenized.texts[j] for j in sample]
    jobs = jobs_for_texts(len(unique), n_jobs)  # the workers read label words during features
    marks = workers.soon(partial(label_marks, label_texts, n_jobs=jobs), background=jobs > 1)
    features = answer_features(tokenized.texts, tokenized.tokens)
    x = features.vectors
    notes = tuple(note for note in [long_answer_note(texts[i] for i in rows)] if note)
    notes = (POOLED_NOTE.format(n=min_group), *notes) if pooled else notes
    if x.nnz == 0 or not any(tokenized.tokens):  # only names, numbers: no word to name a topic
        return TopicResult(
            _empty_topics(), assignments, _empty_shares(), 0, n - len(rows), (NO_TERMS_NOTE, *notes)
        )
    quotable = np.array([cells[i] in allowed for i in rows], dtype=bool)
    shown = np.bincount(of_row[quotable], minlength=len(unique)).astype(float)
    forms = tokenized.forms
    if not (shown[sample] > 0).all():  # how a small group spells a word (わかる) never shows
        quoted = tokenize_with_forms([tokenized.texts[j] for j in sample if shown[j] > 0])
        forms = {**forms, **quoted.forms}
    words = label_tokens(
        label_texts,
        [tokenized.tokens[j] for j in sample],
        forms,
        quotable=shown[sample] > 0,
        marks=marks(),
    )
    small = k is None and len(unique) <= SMALL_QUESTION
    if small:
        both = [_with_lemmas(a, b) for a, b in zip(words.tokens, tokenized.tokens, strict=True)]
        labels, chosen, reasons = _small_groups(tokenized.texts, both, shown > 0, themes)
    else:
        labels, chosen = _cluster(x, k, random_state, n_jobs)
        reasons = [("", "", "")] * chosen
    labels = _merge_unshown(labels, shown, x, chosen)

    # topic ids by size (answers of groups that may be shown), largest first (ties: first seen)
    sizes = np.bincount(labels, weights=shown, minlength=chosen)
    first = np.array(
        [
            np.flatnonzero(labels == t)[0] if (labels == t).any() else len(labels)
            for t in range(chosen)
        ]
    )
    order = [t for t in np.lexsort((first, -sizes)) if sizes[t] > 0]
    renumber = {old: new for new, old in enumerate(order)}
    labels = np.array([renumber[int(t)] for t in labels])
    reasons = [reasons[old] for old in order]
    chosen = len(order)
    for i, j in zip(rows, of_row, strict=True):
        assignments[i] = int(labels[j])

    counts, vocabulary = lemma_counts(words.tokens)
    described = _describe(labels[sample], shown[sample], counts, vocabulary, words.forms, chosen)
    candidates = _examples(texts, rows, of_row, labels, x, quotable, chosen, limit=SMALL_EXAMPLES)
    named = _named(described, candidates, reasons, words.forms)
    shown_examples = SMALL_EXAMPLES if small else N_EXAMPLES
    examples = [
        _with_source(quoted, label, shown_examples)
        for quoted, (label, _, _) in zip(candidates, named, strict=True)
    ]
    topics = pd.DataFrame(
        {
            "id": list(range(chosen)),
            "label": [label for label, _, _ in named],
            "terms": [terms for _, terms, _ in named],
            "size": [int(s) for s in np.bincount(labels, weights=shown, minlength=chosen)],
            "examples": examples,
            "reason": [reason for _, _, reason in named],
        }
    )
    shares = (
        _shares(assignments, cells, allowed, chosen) if grouped and not pooled else _empty_shares()
    )
    return TopicResult(topics, assignments, shares, chosen, n - len(rows), notes)


def _with_source(candidates: list[str], label: str, limit: int) -> list[str]:
    """The first ``limit`` candidates, the last giving way to the answer the label quotes."""
    body = label.removesuffix("…")
    shown = candidates[:limit]
    if any(body in example for example in shown):
        return shown
    source = next((c for c in candidates[limit:] if body in c), None)
    return shown if source is None else [*shown[: limit - 1], source]


def _merge_unshown(
    labels: np.ndarray, shown: np.ndarray, x: sparse.csr_matrix, k: int
) -> np.ndarray:
    """Texts of topics no large group wrote join the nearest topic one did (by centroid)."""
    visible = np.bincount(labels, weights=shown, minlength=k) > 0
    if visible.all() or not visible.any():
        return labels
    members = sparse.csr_matrix(
        (np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(k, len(labels))
    )
    targets = np.flatnonzero(visible)
    centroids = normalize(members @ x)[targets]
    moving = np.flatnonzero(~visible[labels])
    merged = labels.copy()
    merged[moving] = targets[np.asarray((x[moving] @ centroids.T).todense()).argmax(axis=1)]
    return merged


def _examples(
    texts: list[str],
    rows: list[int],
    of_row: np.ndarray,
    labels: np.ndarray,
    x: sparse.csr_matrix,
    quotable: np.ndarray,
    k: int,
    *,
    limit: int = N_EXAMPLES,
) -> list[list[str]]:
    """Up to ``limit`` masked answers per topic, nearest its centroid, from ``quotable`` rows.

    ``quotable`` marks, for each answered row, whether its group may be quoted.
    Candidates are ranked by closeness to their topic's centroid, ties by row.
    """
    members = sparse.csr_matrix(
        (np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(k, len(labels))
    )
    centroids = normalize(members @ x)
    closeness = np.asarray((x @ centroids.T).todense())
    candidates = np.asarray(rows)[quotable]
    distinct = of_row[quotable]
    topic = labels[distinct]
    order = np.lexsort((candidates, -closeness[distinct, topic], topic))
    starts = np.searchsorted(topic[order], np.arange(k + 1))
    chosen: list[list[str]] = [[] for _ in range(k)]
    for t in range(k):
        seen: set[str] = set()
        for i in candidates[order[starts[t] : starts[t + 1]]]:
            masked = mask_pii(texts[i]).strip()
            key = unicodedata.normalize("NFKC", masked)
            if key in seen:
                continue
            seen.add(key)
            chosen[t].append(masked)
            if len(chosen[t]) == limit:
                break
    return chosen


def _shares(
    assignments: list[int | None], cells: list[tuple[str, str]], allowed: set[object], k: int
) -> pd.DataFrame:
    """Each topic's share of each ``allowed`` group's answers."""
    pairs = Counter(
        (cell, topic)
        for cell, topic in zip(cells, assignments, strict=True)
        if topic is not None and cell in allowed
    )
    counts: dict[tuple[str, str], Counter[int]] = {}
    for (cell, topic), n in pairs.items():
        counts.setdefault(cell, Counter())[topic] = n
    records = []
    for (role, wave), per_topic in sorted(counts.items()):
        total = sum(per_topic.values())
        for topic in range(k):
            records.append(
                {
                    "role": role,
                    "wave": wave,
                    "topic": topic,
                    "share": per_topic[topic] / total,
                    "n": per_topic[topic],
                }
            )
    return (
        pd.DataFrame(records, columns=["role", "wave", "topic", "share", "n"])
        if records
        else _empty_shares()
    )


def _empty_topics() -> pd.DataFrame:
    return pd.DataFrame(
        {"id": [], "label": [], "terms": [], "size": [], "examples": [], "reason": []}
    )


# --------------------------------------------------------------------------- small questions


def _small_groups(
    texts: list[str],
    tokens: list[list[str]],
    quotable: np.ndarray,
    themes: Sequence[Theme] | None,
) -> tuple[np.ndarray, int, list[tuple[str, str, str]]]:
    """Groups of a small question's distinct answers, and why: (kind, theme, word) per group.

    ``tokens`` are each answer's words: label words and plain lemmas, so that
    露天風呂 and お風呂 meet on 風呂.

    Kinds: ``theme`` (the theme dictionary, largest theme first, matched by at
    least :data:`MIN_SMALL_GROUP` quotable answers), ``word`` (a word at least
    that many quotable answers share), ``other`` (the rest). A theme
    holding over :data:`MAX_TOPIC_SHARE` of the answers is split by the words
    its answers share (kind ``theme`` with a word). Each theme and word group
    holds a quotable answer, so its name is only ever something a group large
    enough to quote wrote or matched.
    """
    n = len(texts)
    found = themes_of(texts, themes=load_themes() if themes is None else themes)
    names = list(dict.fromkeys(name for names in found for name in names))
    free = set(range(n))
    groups: list[tuple[list[int], str, str, str]] = []
    while True:  # the theme with most quotable answers not yet grouped, dictionary order on ties
        sizes = [(sum(1 for i in free if quotable[i] and name in found[i]), -r, name)
                 for r, name in enumerate(names)]  # fmt: skip
        best = max(sizes, default=(0, 0, ""))
        if best[0] < MIN_SMALL_GROUP:  # a theme one answer matched is that answer, no group
            break
        members = sorted(i for i in free if best[2] in found[i])
        free -= set(members)
        groups.append((members, "theme", best[2], ""))
    groups += [(m, "word", "", w) for m, w in _shared_words(sorted(free), tokens, quotable)]
    free -= {i for members, *_ in groups for i in members}
    if free:
        groups.append((sorted(free), "other", "", ""))
    total = max(1, int(quotable.sum()))
    split: list[tuple[list[int], str, str, str]] = []
    for members, kind, theme, word in groups:
        parts = _shared_words(members, tokens, quotable) if kind == "theme" else []
        if sum(quotable[members]) > MAX_TOPIC_SHARE * total and len(parts) >= 2:
            split += [(m, kind, theme, w) for m, w in parts]
            rest = sorted(set(members) - {i for m, _ in parts for i in m})
            split += [(rest, kind, theme, "")] if rest else []
        else:
            split.append((members, kind, theme, word))
    labels = np.full(n, -1)
    for g, (members, *_) in enumerate(split):
        labels[members] = g
    return labels, len(split), [(kind, theme, word) for _, kind, theme, word in split]


def _with_lemmas(marked: list[str], lemmas: list[str]) -> list[str]:
    """An answer's label words and its plain lemmas, but never the lemma it only negates.

    >>> _with_lemmas(["露天風呂", "使う_否定"], ["露天", "風呂", "使う"])
    ['使う_否定', '露天', '露天風呂', '風呂']
    """
    kept = set(marked)
    return sorted(kept | {w for w in lemmas if w in kept or w + NEGATED not in kept})


def _shared_words(
    indices: list[int], tokens: list[list[str]], quotable: np.ndarray
) -> list[tuple[list[int], str]]:
    """Greedy groups of ``indices`` by the word most quotable answers left share.

    A word must be shared by :data:`MIN_SMALL_GROUP` quotable answers or more.
    """
    free = list(indices)
    out = []
    while free:
        spread = Counter(w for i in free if quotable[i] for w in set(tokens[i]))
        ranked = sorted(spread.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked or ranked[0][1] < MIN_SMALL_GROUP:
            break
        word = ranked[0][0]
        members = [i for i in free if word in tokens[i]]
        out.append((members, word))
        free = [i for i in free if word not in tokens[i]]
    return out


# --------------------------------------------------------------------------- labels

_SENTENCE = re.compile(r"[。！？!?\r\n…]+")
_CLAUSE = re.compile(r"[、，,]")
_TRIM = " 　・-－「」『』()（）\r\n\t"
_MASKED = re.compile(r"〔[^〔〕]*〕")  # a placeholder of analysis.masking (〔氏名〕, 〔メール〕)
_AFTER_MASK = re.compile(r"^(?:さん|さま|様|氏|くん|君|ちゃん|殿)?[にとのがはをへもや]?")


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _clauses(example: str) -> list[tuple[str, bool]]:
    """Sentences of ``example`` and, of a long one, its comma-separated parts.

    A stretch holding a placeholder gives the text either side of it instead
    (〔氏名〕さんに相談したい: 相談したい), so no label reads 〔氏名〕; the flag
    is False for those pieces.
    """
    out: list[tuple[str, bool]] = []
    for sentence in _SENTENCE.split(example):
        sentence = sentence.strip(_TRIM)
        if not sentence:
            continue
        parts = [sentence]
        if len(sentence) > MAX_PHRASE:
            parts += [p.strip(_TRIM) for p in _CLAUSE.split(sentence)]
        for part in parts:
            if not _MASKED.search(part):
                out += [(part, True)] if part else []
                continue
            pieces = _MASKED.split(part)
            for i, piece in enumerate(pieces):
                piece = (_AFTER_MASK.sub("", piece.strip(_TRIM)) if i else piece).strip(_TRIM)
                if len(piece) >= 3 and "〔" not in piece and "〕" not in piece:
                    out.append((piece, False))
    return list(dict.fromkeys(out))


def phrase_of(
    examples: Sequence[str], terms: Sequence[str], *, exclude: Collection[str] = ()
) -> str | None:
    """A short phrase naming a topic: a clause of its representative answers holding key words.

    ``examples`` are masked answers, most representative first; a masked
    placeholder (〔氏名〕) is never part of the phrase. A clause holding the
    first key word wins, then one no placeholder cut, then one that fits
    :data:`MAX_PHRASE`, then the one with most of the first three key words,
    then the earlier answer; a longer clause is cut with … after a particle
    (:func:`_cut`). A phrase in ``exclude`` (another topic's label) is passed
    over. ``None`` when no clause is left.

    >>> phrase_of(["日報の要約に使いたい。毎日書くので", "要約が欲しい"], ["日報", "要約"])
    '日報の要約に使いたい'
    >>> phrase_of(["〔氏名〕さんに相談したい"], ["相談"])
    '相談したい'
    >>> phrase_of(["〔氏名〕", "日報"], ["日報"], exclude={"日報"}) is None
    True
    """
    keys = [_folded(t) for t in terms[:3]]
    best: tuple[tuple[int, ...], str] | None = None
    for rank, example in enumerate(examples):
        for clause, whole in _clauses(example):
            phrase = clause if len(clause) <= MAX_PHRASE else _cut(clause)
            if phrase in exclude:
                continue
            folded = _folded(clause)
            hits = [bool(k) and k in folded for k in keys]
            first = int(bool(hits) and hits[0])
            fits = int(len(clause) <= MAX_PHRASE)
            score = (first, int(whole), fits, sum(hits), -rank, -len(clause))
            if best is None or score > best[0]:
                best = (score, phrase)
    return None if best is None else best[1]


_PARTICLE_END = re.compile(
    r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9ａ-ｚＡ-Ｚ０-９][をにがはでのとへも]"
)


def _cut(clause: str) -> str:
    """``clause`` cut to :data:`MAX_PHRASE` with …, after a noun's particle where there is one.

    A cut inside a word could drop its negation (使えな… reads 使え…).

    >>> _cut("研修で習った新しい生成AIのツールが社内のセキュリティ規定でどうしても使えない")
    '研修で習った新しい生成AIのツールが社内の…'
    >>> _cut("あ" * 30) == "あ" * (MAX_PHRASE - 1) + "…"
    True
    """
    head = clause[: MAX_PHRASE - 1]
    ends = [m.end() for m in _PARTICLE_END.finditer(head, MAX_PHRASE // 2 - 2)]
    return head[: ends[-1]] + "…" if ends else head + "…"


def _reason(kind: str, theme: str, word: str, forms: dict[str, str]) -> str:
    if kind == "theme" and word:
        return f"テーマ辞書の「{theme}」に当たり、「{_shown_word(word, forms)}」という語を含む回答"
    if kind == "theme":
        return f"テーマ辞書の「{theme}」に当たる回答"
    if kind == "word":
        return f"「{_shown_word(word, forms)}」という語を含む回答"
    if kind == "other":
        return "ほかの回答と共通するテーマや語がない回答"
    return ""


def _shown_word(key: str, forms: dict[str, str]) -> str:
    if key in forms:
        return forms[key]
    return key.removesuffix(NEGATED) + "（否定）" if key.endswith(NEGATED) else key


def _named(
    described: list[tuple[str, list[str]]],
    examples: list[list[str]],
    reasons: list[tuple[str, str, str]],
    forms: dict[str, str],
) -> list[tuple[str, list[str], str]]:
    """(label, key words, reason) per topic: a phrase, or the theme's name, never twice."""
    used: set[str] = set()
    named = []
    for (fallback, terms), quoted, (kind, theme, word) in zip(
        described, examples, reasons, strict=True
    ):
        if word:
            shown = _shown_word(word, forms)
            terms = [shown, *(t for t in terms if t != shown)][:N_TERMS]
        if kind == "theme" and not word:
            label = theme
        elif kind == "other":
            label = "その他の回答"
        else:
            label = phrase_of(quoted, terms, exclude=used) or fallback
        if label in used:
            label = (
                f"{label}（{terms[0]}）"
                if terms and f"{label}（{terms[0]}）" not in used
                else fallback
            )
        while label in used:
            label += "・"
        used.add(label)
        named.append((label, terms, _reason(kind, theme, word, forms)))
    return named


def _empty_shares() -> pd.DataFrame:
    return pd.DataFrame({"role": [], "wave": [], "topic": [], "share": [], "n": []}).astype(
        {"topic": int, "share": float, "n": int}
    )


# --------------------------------------------------------------------------- words


def _answered_tokens(texts: Sequence[str]) -> tuple[list[bool], list[list[str]], dict[str, str]]:
    analysed = normalized_answers(texts)  # one NFKC pass for the check and the tokens
    tokenized = answer_tokens([a or "" for a in analysed])
    return [a is not None for a in analysed], tokenized.tokens, tokenized.forms


def _group_keys(texts: Sequence[str], groups: Sequence[str | None] | None) -> list[str]:
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of answers, not one string")
    return [group for group, _ in group_cells(len(texts), groups, None)]


def distinctive_terms(
    texts: Sequence[str],
    groups: Sequence[str | None],
    *,
    waves: Sequence[str | None] | None = None,
    min_group: int = MIN_GROUP_COMMENTS,
    top_n: int = 10,
    min_count: int = 2,
) -> pd.DataFrame:
    """Words each group (e.g. role) uses more than the other groups of the same wave.

    Log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008,
    see :func:`log_odds`), each group against all other shown groups.

    With ``waves``, the unit is the group x wave cell, as for topics and
    quotes: each wave's cells are compared with each other. A cell with fewer
    than ``min_group`` answers (:func:`analysis.privacy.visible_groups`) takes
    no part at all: its answers are in no count, neither its own nor the
    contrast of another cell, and no term or written form comes from them, so
    nothing it wrote can be read off or worked out by difference.

    Parameters
    ----------
    texts : sequence of str
        Answers as typed.
    groups : sequence of str or None
        Group per answer (役職, or 回答時期 without ``waves``); ``None`` is 不明.
    waves : sequence of str or None, optional
        Wave per answer; without it all answers are one wave.
    min_group : int
        Smallest cell (answers that say something) to take part.
    top_n : int
        Terms per cell, highest z first (only z > 0).
    min_count : int
        A term must occur this often in the cell.

    Returns
    -------
    DataFrame
        ``group``, ``wave`` (only with ``waves``), ``term`` (display form),
        ``z``, ``count`` (occurrences in the cell); no rows for a wave with
        fewer than two cells that may be shown.

    Examples
    --------
    >>> texts = ["仕事が奪われる不安"] * 3 + ["日報の要約が楽"] * 3
    >>> table = distinctive_terms(texts, ["現場"] * 3 + ["管理職"] * 3, min_group=3)
    >>> table[table.group == "現場"].term.tolist()
    ['不安', '仕事', '奪う']
    >>> waves = ["研修前"] * 6 + ["研修後"] * 2
    >>> later = distinctive_terms([*texts, "株主還元", "株主還元"], ["現場"] * 3 + ["管理職"] * 5,
    ...                           waves=waves, min_group=3)
    >>> sorted(set(later.wave)), "株主" in set(later.term)
    (['研修前'], False)
    """
    keys = _group_keys(texts, groups)
    texts = list(texts)
    periods = [wave for _, wave in group_cells(len(texts), None, waves)]
    cells = list(zip(keys, periods, strict=True))
    said = [a is not None for a in normalized_answers(texts)]
    sizes = Counter(cell for cell, ok in zip(cells, said, strict=True) if ok)
    shown = set(visible_groups(sizes, min_group))
    kept = [i for i, cell in enumerate(cells) if said[i] and cell in shown]
    _, tokens, forms = _answered_tokens([texts[i] for i in kept])  # forms from shown cells only
    per_cell: dict[tuple[str, str], Counter[str]] = {cell: Counter() for cell in shown}
    for i, toks in zip(kept, tokens, strict=True):
        per_cell[cells[i]].update(toks)
    records = []
    for period in dict.fromkeys(periods):
        compared = sorted(cell for cell in shown if cell[1] == period)
        if len(compared) >= 2:
            records += _contrasted_terms(
                compared, per_cell, forms, top_n=top_n, min_count=min_count
            )
    table = pd.DataFrame(records, columns=["group", "wave", "term", "z", "count"])
    table = table if waves is not None else table.drop(columns="wave")
    return table.astype({"z": float, "count": int})


def _contrasted_terms(
    cells: list[tuple[str, str]],
    per_cell: dict[tuple[str, str], Counter[str]],
    forms: dict[str, str],
    *,
    top_n: int,
    min_count: int,
) -> list[dict[str, object]]:
    """Rows of :func:`distinctive_terms` for ``cells``, each against the others of the list."""
    vocabulary = sorted(set().union(*(per_cell[c] for c in cells)))
    counts = np.array([[per_cell[c][w] for w in vocabulary] for c in cells], dtype=float)
    z = log_odds(counts) if vocabulary else np.zeros((len(cells), 0))
    records = []
    for gi, (group, period) in enumerate(cells):
        order = np.argsort(-z[gi], kind="stable")
        picked = [j for j in order if z[gi, j] > 0 and counts[gi, j] >= min_count][:top_n]
        records += [
            {
                "group": group,
                "wave": period,
                "term": forms.get(vocabulary[j], vocabulary[j]),
                "z": float(z[gi, j]),
                "count": int(counts[gi, j]),
            }
            for j in picked
        ]
    return records


def term_frequencies(
    texts: Sequence[str],
    *,
    groups: Sequence[str | None] | None = None,
    min_group: int = MIN_GROUP_COMMENTS,
    top_n: int | None = 30,
) -> pd.DataFrame:
    """How often each content word occurs, per group, for groups large enough to show.

    Returns
    -------
    DataFrame
        ``group`` (全体 without groups), ``term`` (display form), ``count``
        (occurrences), ``n_answers`` (answers using it), ``share`` (of the
        group's answers that say something), most frequent first.

    Examples
    --------
    >>> term_frequencies(["日報の要約", "日報を書く", "なし"], min_group=2)[["term", "count"]].values.tolist()
    [['日報', 2], ['書く', 1], ['要約', 1]]
    """
    keys = _group_keys(texts, groups)
    answered, tokens, forms = _answered_tokens(texts)
    allowed = _large_groups(keys, answered, min_group)
    records = []
    for group in sorted(allowed):
        counts: Counter[str] = Counter()
        answers: Counter[str] = Counter()
        size = 0
        for key, ok, toks in zip(keys, answered, tokens, strict=True):
            if ok and key == group:
                size += 1
                counts.update(toks)
                answers.update(set(toks))
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        for lemma, count in ranked[:top_n] if top_n is not None else ranked:
            records.append(
                {
                    "group": group,
                    "term": forms.get(lemma, lemma),
                    "count": count,
                    "n_answers": answers[lemma],
                    "share": answers[lemma] / size,
                }
            )
    return pd.DataFrame(records, columns=["group", "term", "count", "n_answers", "share"])


def keyword_in_context(
    texts: Sequence[str],
    keyword: str,
    *,
    groups: Sequence[str | None] | None = None,
    min_group: int = MIN_GROUP_COMMENTS,
    width: int | None = None,
) -> pd.DataFrame:
    """Answers containing ``keyword``, masked, with each hit marked as 【keyword】.

    Matching is on NFKC-normalised, case-folded text (ＡＩ finds ai), after
    personal information has been masked, so a name can never be searched
    for. Only answers from groups with at least ``min_group`` answers appear.

    Parameters
    ----------
    texts : sequence of str
        Answers as typed.
    keyword : str
        Text to find (not empty).
    groups : sequence of str or None, optional
        Group per answer; without it the whole set is one group.
    min_group : int
        Smallest group (answers that say something) that may be quoted.
    width : int, optional
        Characters kept either side of the first hit (… marks a cut).

    Returns
    -------
    DataFrame
        ``group`` and ``text`` (plain text, no HTML), in input order.

    Examples
    --------
    >>> kwic = keyword_in_context(["田中さんとAIで日報", "ＡＩは不安", "特になし"], "ai", min_group=2)
    >>> kwic.text.tolist()
    ['〔氏名〕さんと【AI】で日報', '【ＡＩ】は不安']
    """
    keys = _group_keys(texts, groups)
    needle = unicodedata.normalize("NFKC", keyword or "").casefold().strip()
    if not needle:
        raise ValueError("keyword must not be empty")
    answered = [not is_no_answer(t) for t in texts]
    allowed = _large_groups(keys, answered, min_group)
    records = []
    for text, key, ok in zip(texts, keys, answered, strict=True):
        if not ok or key not in allowed:
            continue
        marked = _mark(mask_pii(text), needle, width)
        if marked is not None:
            records.append({"group": key, "text": marked})
    return pd.DataFrame(records, columns=["group", "text"])


_PLACEHOLDER = re.compile("|".join(re.escape(p.value) for p in Pii))


def _mark(text: str, needle: str, width: int | None) -> str | None:
    """``text`` with every hit of ``needle`` in 【】, or None without a hit."""
    folded: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch).casefold()
        folded.append(piece)
        where.extend([i] * len(piece))
    haystack = "".join(folded)
    hits: list[tuple[int, int]] = []
    start = haystack.find(needle)
    while start >= 0:
        first, last = where[start], where[start + len(needle) - 1] + 1
        if not hits or first >= hits[-1][1]:
            hits.append((first, last))
        start = haystack.find(needle, start + len(needle))
    masks = [m.span() for m in _PLACEHOLDER.finditer(text)]
    hits = [(a, b) for a, b in hits if not any(a < e and s < b for s, e in masks)]
    if not hits:
        return None
    out, cursor = [], 0
    for a, b in hits:
        out += [text[cursor:a], "【", text[a:b], "】"]
        cursor = b
    out.append(text[cursor:])
    marked = "".join(out)
    if width is not None:
        left = marked.index("【")
        right = marked.index("】", left) + 1
        lo, hi = max(0, left - width), min(len(marked), right + width)
        marked = ("…" if lo > 0 else "") + marked[lo:hi] + ("…" if hi < len(marked) else "")
    return marked
