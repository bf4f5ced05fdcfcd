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
3. A cosine k-nearest-neighbour graph (10 neighbours, symmetrised;
   :mod:`analysis.neighbours`) over the distinct answers, and its normalised
   adjacency's leading eigenvectors
   (spectral clustering; Ng, Jordan & Weiss 2002). K-means with a fixed
   ``random_state`` on the row-normalised eigenvectors gives the topics. On
   short texts this beats NMF, whose topics drown in words every answer
   shares. Above 8,000 distinct answers the graph is built on a seeded random
   sample of 8,000 and the other answers join the topic whose centroid they are
   closest to.
4. The number of topics, unless given, is chosen in 3..10 by silhouette on the
   spectral embedding, passing over partitions where one topic holds over half.
5. Each topic is described by its most distinctive lemmas (log-odds ratio
   with an informative Dirichlet prior, topic against the rest), shown in their
   most common written form; the label joins the first three with ・.

Privacy: representative examples come only from groups (role x wave cells, or
the whole set without roles and waves) with at least ``min_group`` answers,
and pass through :func:`analysis.masking.mask_pii`. Shares are given per
group, for groups of at least ``min_group`` answers only, and never as
margins that would let a suppressed cell be worked out by subtraction.
Labels, terms and sizes, too, come only from those groups' answers: a topic
that only smaller groups wrote would name what they wrote, so its answers join
the nearest topic a large group wrote, and a size counting a small group's
answers would give their number away next to the large groups' shares.
Without any group that large there are no topics.

>>> texts = ["日報の要約に使いたい", "営業日報を要約したい", "議事録の作成を任せたい",
...          "議事録を自動で作成", "特になし"]
>>> result = fit_topics(texts, k=2, min_group=1)
>>> result.assignments
[0, 0, 1, 1, None]
>>> result.topics["label"].tolist()
['日報・要約・使う', '作成・議事・任せる']
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import eigsh
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from analysis.features import answer_features
from analysis.masking import Pii, blank_pii, mask_pii
from analysis.neighbours import neighbour_graph
from analysis.privacy import MIN_GROUP_COMMENTS, MISSING, visible_groups
from analysis.text import is_no_answer, long_answer_note, normalized_answers, tokenize_with_forms

__all__ = [
    "TopicResult",
    "distinctive_terms",
    "fit_topics",
    "keyword_in_context",
    "log_odds",
    "term_frequencies",
]

K_RANGE = range(3, 11)  # automatic choice of the number of topics
MAX_TOPIC_SHARE = 0.5  # an automatic topic holding more than half the answers says nothing
NEIGHBOURS = 10
MAX_GRAPH = 8_000  # distinct answers in the neighbour graph; the rest join by centroid
N_TERMS = 10
N_EXAMPLES = 3
WHOLE = "全体"  # the value of a dimension that was not given
#: Why a question with answers has no topics: nothing but names and numbers
#: (ご記入者: 山田太郎) is left once personal information is taken out.
NO_TERMS_NOTE = "氏名などの個人情報を除くと、分析できる語が残りませんでした。"
UNKNOWN = MISSING  # a row whose role or wave is missing: the one label, 「（不明）」


@dataclass(frozen=True)
class TopicResult:
    """Topics of one free-text question.

    Attributes
    ----------
    topics : DataFrame
        One row per topic: ``id`` (int, 0 = largest), ``label`` (str),
        ``terms`` (list of str), ``size`` (answers from groups of at least
        ``min_group``; smaller groups' answers are clustered, not counted),
        ``examples`` (masked answers, list of str).
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


def _check_length(name: str, values: Sequence[object] | None, n: int) -> None:
    if values is not None and len(values) != n:
        raise ValueError(f"{name} has {len(values)} values but there are {n} texts")


def _label(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNKNOWN
    text = str(value).strip()
    return text or UNKNOWN


def _cells(
    n: int, roles: Sequence[str | None] | None, waves: Sequence[str | None] | None
) -> list[tuple[str, str]]:
    """(role, wave) per row; a dimension that was not given is 全体."""
    role = [_label(r) for r in roles] if roles is not None else [WHOLE] * n
    wave = [_label(w) for w in waves] if waves is not None else [WHOLE] * n
    return list(zip(role, wave, strict=True))


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


def _spectrum(graph: sparse.csr_matrix, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Leading ``m`` eigenpairs of the normalised adjacency, largest first."""
    degree = np.asarray(graph.sum(axis=1)).ravel()
    scale = sparse.diags(1 / np.sqrt(degree))
    adjacency = (scale @ graph @ scale).tocsr()
    n = graph.shape[0]
    if n <= 600 or m >= n - 1:
        values, vectors = np.linalg.eigh(adjacency.toarray())
    else:
        values, vectors = eigsh(adjacency, k=m, which="LA", v0=np.ones(n), tol=1e-6)
    order = np.argsort(-values)[:m]
    return values[order], vectors[:, order]


def _choose_k(vectors: np.ndarray, random_state: int) -> tuple[int, np.ndarray]:
    """Number of topics within ``K_RANGE`` and the k-means labels for it.

    Each candidate k clusters the spectral embedding; a partition where one
    topic holds more than :data:`MAX_TOPIC_SHARE` of the answers is passed
    over (short survey answers have many near-duplicates, which make the
    eigengap and the silhouette favour one huge topic plus a few tiny ones).
    Among the rest the best silhouette wins; if every k leaves a huge topic,
    the most even partition does.
    """
    n = len(vectors)
    upper = min(K_RANGE.stop - 1, vectors.shape[1], max(1, n // 2))
    if upper < K_RANGE.start:
        k = max(1, upper)
        return k, _kmeans(vectors, k, random_state)
    best: tuple[bool, float, int] | None = None
    for k in range(K_RANGE.start, upper + 1):
        labels = _kmeans(vectors, k, random_state, n_init=3)  # a quick look; the winner is refit
        largest = np.bincount(labels).max() / n
        embedding = normalize(vectors[:, :k])
        quality = (
            silhouette_score(
                embedding, labels, sample_size=min(1_000, n), random_state=random_state
            )
            if len(set(labels)) > 1
            else -1.0
        )
        rank = (largest <= MAX_TOPIC_SHARE, quality if largest <= MAX_TOPIC_SHARE else -largest)
        if best is None or rank > best[:2]:
            best = (*rank, k)
    return best[2], _kmeans(vectors, best[2], random_state)


def _kmeans(vectors: np.ndarray, k: int, random_state: int, *, n_init: int = 10) -> np.ndarray:
    """K-means labels of the row-normalised first ``k`` eigenvectors.

    One OpenMP thread: the embedding is at most 8,000 x 11, and on a busy
    machine (other sessions, other jobs) OpenMP threads waiting for a core
    made k-means five times slower than a single thread.
    """
    kmeans = KMeans(n_clusters=k, n_init=n_init, random_state=random_state)
    with warnings.catch_warnings(), threadpool_limits(1, user_api="openmp"):
        # fewer distinct answers than topics: empty topics are dropped
        warnings.simplefilter("ignore", ConvergenceWarning)
        return kmeans.fit_predict(normalize(vectors[:, :k]))


def _cluster(x: sparse.csr_matrix, k: int | None, random_state: int) -> tuple[np.ndarray, int]:
    """Topic per distinct text, and the number of topics."""
    n = x.shape[0]
    if k is not None and k >= n:  # no more topics than distinct answers: one each
        return np.arange(n), n
    labels = np.full(n, -1)
    rng = np.random.default_rng(random_state)
    sample = np.sort(rng.choice(n, MAX_GRAPH, replace=False)) if n > MAX_GRAPH else np.arange(n)
    if len(sample) < 2:
        labels[:] = 0
        return labels, 1
    graph = neighbour_graph(x[sample], NEIGHBOURS)
    connected = np.asarray(graph.sum(axis=1)).ravel() > 0
    nodes = sample[connected]
    graph = graph[connected][:, connected]
    if len(nodes) < 2:
        labels[:] = 0
        return labels, 1
    wanted = K_RANGE.stop - 1 if k is None else k
    _, vectors = _spectrum(graph, min(wanted + 1, len(nodes)))
    if k is None:
        chosen, labels[nodes] = _choose_k(vectors, random_state)
    else:
        chosen = min(k, len(nodes))
        labels[nodes] = _kmeans(vectors, chosen, random_state)
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
    """Label and display terms per topic from the topic-vs-rest log-odds of lemmas."""
    membership = sparse.csr_matrix(
        (weights, (labels, np.arange(len(labels)))), shape=(k, len(labels))
    )
    per_topic = np.asarray((membership @ counts).todense())
    z = log_odds(per_topic) if per_topic.size else np.zeros((k, 0))
    described: list[tuple[str, list[str]]] = []
    used: set[str] = set()
    for topic in range(k):
        order = np.argsort(-z[topic], kind="stable")
        terms = [
            forms.get(vocabulary[j], vocabulary[j])
            for j in order
            if z[topic, j] > 0 and per_topic[topic, j] > 0
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
    _check_length("roles", roles, n)
    _check_length("waves", waves, n)
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if min_group < 1:
        raise ValueError(f"min_group must be at least 1, got {min_group}")
    cells = _cells(n, roles, waves)
    analysed = normalized_answers(texts)
    answered = [a is not None for a in analysed]
    rows = [i for i in range(n) if answered[i]]
    assignments: list[int | None] = [None] * n
    if not rows:
        return TopicResult(_empty_topics(), assignments, _empty_shares(), 0, n)

    allowed = _large_groups(cells, answered, min_group)
    if not allowed:  # no group may be shown: no topic either
        return TopicResult(_empty_topics(), assignments, _empty_shares(), 0, n - len(rows))
    normalised = [analysed[i] for i in rows]
    unique = list(dict.fromkeys(normalised))
    position = {text: j for j, text in enumerate(unique)}
    of_row = np.array([position[t] for t in normalised])
    tokenized = tokenize_with_forms(unique, redact=blank_pii)  # no name becomes a term
    features = answer_features(tokenized.texts, tokenized.tokens)
    x = features.vectors
    notes = tuple(note for note in [long_answer_note(texts[i] for i in rows)] if note)
    if x.nnz == 0 or not any(tokenized.tokens):  # only names, numbers: no word to name a topic
        return TopicResult(
            _empty_topics(), assignments, _empty_shares(), 0, n - len(rows), (NO_TERMS_NOTE, *notes)
        )
    labels, chosen = _cluster(x, k, random_state)
    quotable = np.array([cells[i] in allowed for i in rows], dtype=bool)
    shown = np.bincount(of_row[quotable], minlength=len(unique)).astype(float)
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
    chosen = len(order)
    for i, j in zip(rows, of_row, strict=True):
        assignments[i] = int(labels[j])

    described = _describe(
        labels, shown, features.counts, features.vocabulary, tokenized.forms, chosen
    )

    examples = _examples(texts, rows, of_row, labels, x, quotable, chosen)
    topics = pd.DataFrame(
        {
            "id": list(range(chosen)),
            "label": [d[0] for d in described],
            "terms": [d[1] for d in described],
            "size": [int(s) for s in np.bincount(labels, weights=shown, minlength=chosen)],
            "examples": examples,
        }
    )
    shares = (
        _shares(assignments, cells, allowed, chosen)
        if roles is not None or waves is not None
        else _empty_shares()
    )
    return TopicResult(topics, assignments, shares, chosen, n - len(rows), notes)


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
) -> list[list[str]]:
    """Up to N_EXAMPLES masked answers per topic, nearest its centroid, from ``quotable`` rows.

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
            if len(chosen[t]) == N_EXAMPLES:
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
    return pd.DataFrame({"id": [], "label": [], "terms": [], "size": [], "examples": []})


def _empty_shares() -> pd.DataFrame:
    return pd.DataFrame({"role": [], "wave": [], "topic": [], "share": [], "n": []}).astype(
        {"topic": int, "share": float, "n": int}
    )


# --------------------------------------------------------------------------- words


def _answered_tokens(texts: Sequence[str]) -> tuple[list[bool], list[list[str]], dict[str, str]]:
    analysed = normalized_answers(texts)  # one NFKC pass for the check and the tokens
    tokenized = tokenize_with_forms([a or "" for a in analysed], redact=blank_pii)
    return [a is not None for a in analysed], tokenized.tokens, tokenized.forms


def _group_keys(texts: Sequence[str], groups: Sequence[str | None] | None) -> list[str]:
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of answers, not one string")
    _check_length("groups", groups, len(texts))
    return [_label(g) for g in groups] if groups is not None else [WHOLE] * len(texts)


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
    _check_length("waves", waves, len(texts))
    periods = [_label(w) for w in waves] if waves is not None else [WHOLE] * len(texts)
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
