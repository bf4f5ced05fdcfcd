"""Co-occurrence network of the words in free-text answers, coloured by role (KH Coder's view).

Words are nodes sized by how many answers use them; two words are joined when
their Jaccard coefficient (answers using both / answers using either) reaches
a threshold, strongest edges first (at most :data:`TOP_EDGES`, as KH Coder
draws its top 60), and a word is drawn when it takes part in a drawn edge.
Each word is coloured by the role that uses it distinctively: the log-odds
ratio with an informative Dirichlet prior (:func:`analysis.topics.log_odds`,
as in :func:`analysis.topics.distinctive_terms`), each role against the
others, z of at least :data:`Z_DISTINCTIVE`; other words are :data:`SHARED`.

Words are the topics' words: content lemmas from
:func:`analysis.text.tokenize_with_forms` (its stop words left out) with
negation and compounds kept (使えない, 議事録; :func:`analysis.label_words.label_tokens`),
read from the answers with personal information taken out.

Privacy: the unit is the role x wave cell, as for topics and quotes. A cell
with fewer than ``min_group`` answers that say something
(:func:`analysis.privacy.visible_groups`) takes no part at all: its answers
are in no count, no node, no edge and no role contrast. :func:`question_network`
takes the groups from :func:`analysis.pipeline.topic_inputs`, as every other
free-text output does.

>>> texts = ["日報の要約に使いたい", "日報を要約したい", "議事録を要約", "議事録が面倒"]
>>> net = cooccurrence_network(texts, min_group=1, min_count=2)
>>> net.nodes[["word", "count"]].values.tolist()
[['要約', 3], ['日報', 2], ['議事録', 2]]
>>> net.edges[["source", "target", "jaccard", "both"]].values.tolist()
[['要約', '日報', 0.6666666666666666, 2], ['要約', '議事録', 0.25, 1]]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.answer_tokens import answer_tokens, unescaped
from analysis.label_words import label_tokens
from analysis.pipeline import topic_inputs
from analysis.privacy import MIN_GROUP_COMMENTS, group_cells, visible_groups
from analysis.schema import Survey
from analysis.text import normalized_answers
from analysis.topics import log_odds

__all__ = [
    "SHARED",
    "Network",
    "cooccurrence_network",
    "jaccard_edges",
    "question_network",
    "spring_layout",
]

SHARED = "共通"  # a word no role uses distinctively
Z_DISTINCTIVE = 1.96  # log-odds z from which a word is a role's
TOP_WORDS = 80  # most used words among which edges are sought
TOP_EDGES = 60  # edges drawn (KH Coder's default)
MIN_JACCARD = 0.1  # weakest edge drawn
MIN_COUNT = 2  # answers a word must be used in


@dataclass(frozen=True)
class Network:
    """Nodes and edges of one question's co-occurrence network.

    ``nodes``: ``word`` (as written), ``count`` (answers using it), ``role``
    (where it is distinctive, or :data:`SHARED`), ``z`` (that role's log-odds
    z, ``nan`` for a shared word), ``x``, ``y`` (a seeded spring layout in
    [-1, 1]); most used first. ``edges``: ``source``, ``target`` (words of
    ``nodes``), ``jaccard``, ``both`` (answers using both); strongest first.
    ``n_answers``: answers that took part (from groups that may be shown).
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    n_answers: int


def jaccard_edges(
    words: Sequence[set[str]] | Sequence[frozenset[str]],
    vocabulary: Sequence[str],
    *,
    min_jaccard: float = MIN_JACCARD,
    top_n: int | None = TOP_EDGES,
) -> pd.DataFrame:
    """Pairs of ``vocabulary`` words by Jaccard coefficient over the answers' word sets.

    Pairs that never meet are left out; ties go to more shared answers, then
    to the words in ``vocabulary`` order.

    >>> jaccard_edges([{"a", "b"}, {"a"}, {"b", "c"}], ["a", "b", "c"], min_jaccard=0).values.tolist()
    [['b', 'c', 0.5, 1], ['a', 'b', 0.3333333333333333, 1]]
    """
    index = {w: i for i, w in enumerate(vocabulary)}
    m = np.zeros((len(words), len(vocabulary)))  # float: BLAS, exact for any count here
    for row, found in enumerate(words):
        for w in found:
            if w in index:
                m[row, index[w]] = 1
    both = np.rint(m.T @ m).astype(np.int64)
    count = np.diag(both)
    union = count[:, None] + count[None, :] - both
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, both / np.maximum(union, 1), 0.0)
    i, j = np.triu_indices(len(vocabulary), k=1)
    keep = (both[i, j] > 0) & (jaccard[i, j] >= min_jaccard)
    i, j = i[keep], j[keep]
    order = np.lexsort((j, i, -both[i, j], -jaccard[i, j]))
    order = order[:top_n] if top_n is not None else order
    return pd.DataFrame(
        {
            "source": [vocabulary[a] for a in i[order]],
            "target": [vocabulary[b] for b in j[order]],
            "jaccard": jaccard[i, j][order].astype(float),
            "both": both[i, j][order].astype(int),
        },
        columns=["source", "target", "jaccard", "both"],
    )


def spring_layout(
    n: int, edges: Sequence[tuple[int, int, float]], *, seed: int = 0, iterations: int = 300
) -> np.ndarray:
    """Positions of ``n`` nodes in [-1, 1]² by Fruchterman-Reingold, from a seeded start.

    ``edges`` are (node, node, weight). A pull towards the centre (growing
    with the distance from it) keeps separate clusters of words near each
    other instead of flung to the edges while each collapses to a dot. The
    same input always gives the same positions (no clock, no global random state).

    >>> pos = spring_layout(3, [(0, 1, 1.0)])
    >>> pos.shape, bool(np.abs(pos).max() <= 1.0)
    ((3, 2), True)
    >>> bool(np.array_equal(pos, spring_layout(3, [(0, 1, 1.0)])))
    True
    """
    if n <= 1:
        return np.zeros((n, 2))
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1, 1, size=(n, 2))
    weight = np.zeros((n, n))
    for a, b, w in edges:
        weight[a, b] = weight[b, a] = w
    k = 1 / np.sqrt(n)  # the distance nodes settle at
    temperature = 0.2  # the longest step, falling to 0
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=2), 1e-3)
        force = k * k / distance**2 - weight * distance / k  # repulsion minus attraction
        np.fill_diagonal(force, 0)
        move = (delta * force[:, :, None]).sum(axis=1)
        move -= pos * np.linalg.norm(pos, axis=1)[:, None] / k  # gravity
        length = np.maximum(np.linalg.norm(move, axis=1), 1e-9)
        pos += move / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature -= 0.2 / (iterations + 1)
    pos -= pos.mean(axis=0)
    scale = np.abs(pos).max()
    return pos / scale if scale > 0 else pos


def cooccurrence_network(
    texts: Sequence[str],
    *,
    roles: Sequence[str | None] | None = None,
    waves: Sequence[str | None] | None = None,
    min_group: int = MIN_GROUP_COMMENTS,
    top_words: int = TOP_WORDS,
    top_edges: int = TOP_EDGES,
    min_jaccard: float = MIN_JACCARD,
    min_count: int = MIN_COUNT,
    seed: int = 0,
) -> Network:
    """The co-occurrence network of one free-text question, from groups large enough to show.

    Parameters
    ----------
    texts : sequence of str
        Answers as typed, one per respondent row.
    roles, waves : sequence of str or None, optional
        Role and wave per answer (:func:`analysis.pipeline.topic_inputs`); a
        dimension not given is 全体, a missing value （不明）.
    min_group : int
        Smallest role x wave cell (answers that say something) to take part.
    top_words : int
        Words among which edges are sought, most used first (ties: the word that sorts first).
    top_edges : int
        Edges kept, highest Jaccard first.
    min_jaccard : float
        Smallest Jaccard coefficient drawn.
    min_count : int
        A word must be used in this many answers.
    seed : int
        Seed of the layout.

    Returns
    -------
    Network
        Only words in a drawn edge are nodes.

    Raises
    ------
    ValueError
        If ``roles`` or ``waves`` do not match ``texts`` in length, or ``min_group < 1``.
    """
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of answers, not one string")
    texts = unescaped(texts)
    n = len(texts)
    cells = group_cells(n, roles, waves)
    if min_group < 1:
        raise ValueError(f"min_group must be at least 1, got {min_group}")
    analysed = normalized_answers(texts)
    sizes = Counter(c for c, a in zip(cells, analysed, strict=True) if a is not None)
    shown = set(visible_groups(sizes, min_group))
    kept = [i for i in range(n) if analysed[i] is not None and cells[i] in shown]
    unique = list(dict.fromkeys(analysed[i] for i in kept))
    tokenized = answer_tokens(unique)  # no name becomes a word
    words = label_tokens(tokenized.texts, tokenized.tokens, tokenized.forms)
    of_text = dict(zip(unique, (frozenset(t) for t in words.tokens), strict=True))
    sets = [of_text[analysed[i]] for i in kept]
    spread = Counter(w for s in sets for w in s)
    ranked = sorted(
        ((w, c) for w, c in spread.items() if c >= min_count), key=lambda kv: (-kv[1], kv[0])
    )[:top_words]
    edges = jaccard_edges(sets, [w for w, _ in ranked], min_jaccard=min_jaccard, top_n=top_edges)
    linked = set(edges["source"]) | set(edges["target"])
    vocabulary = [w for w, _ in ranked if w in linked]
    node_role, node_z = _distinctive_roles(
        [cells[i][0] for i in kept], sets, vocabulary, has_roles=roles is not None
    )
    place = {w: i for i, w in enumerate(vocabulary)}
    pos = spring_layout(
        len(vocabulary),
        [
            (place[a], place[b], float(j))
            for a, b, j in edges[["source", "target", "jaccard"]].values
        ],
        seed=seed,
    )
    shown_word: dict[str, str] = {}
    for w in vocabulary:  # one node per written form: a form two keys share shows the key
        form = words.forms.get(w, w)
        shown_word[w] = form if form not in shown_word.values() else w
    nodes = pd.DataFrame(
        {
            "word": [shown_word[w] for w in vocabulary],
            "count": [spread[w] for w in vocabulary],
            "role": node_role,
            "z": node_z,
            "x": pos[:, 0],
            "y": pos[:, 1],
        },
        columns=["word", "count", "role", "z", "x", "y"],
    ).astype({"word": object, "role": object, "count": int, "z": float, "x": float, "y": float})
    edges = edges.assign(
        source=edges["source"].map(shown_word).astype(object),
        target=edges["target"].map(shown_word).astype(object),
    )
    return Network(nodes, edges, len(kept))


def _distinctive_roles(
    roles: list[str], sets: list[frozenset[str]], vocabulary: list[str], *, has_roles: bool
) -> tuple[list[str], list[float]]:
    """The role each word is distinctive of (log-odds z >= Z_DISTINCTIVE), or SHARED.

    Counts are answers using the word, per role, over the shown cells only.
    """
    groups = sorted(set(roles))
    if not has_roles or len(groups) < 2 or not vocabulary:
        return [SHARED] * len(vocabulary), [float("nan")] * len(vocabulary)
    index = {w: j for j, w in enumerate(vocabulary)}
    at = {g: i for i, g in enumerate(groups)}
    counts = np.zeros((len(groups), len(vocabulary)))
    for r, found in zip(roles, sets, strict=True):
        for w in found:
            if w in index:
                counts[at[r], index[w]] += 1
    z = log_odds(counts)
    best = z.argmax(axis=0)
    top = z[best, np.arange(len(vocabulary))]
    out_role = [groups[b] if t >= Z_DISTINCTIVE else SHARED for b, t in zip(best, top, strict=True)]
    out_z = [float(t) if t >= Z_DISTINCTIVE else float("nan") for t in top]
    return out_role, out_z


def question_network(
    survey: Survey, column: str, *, min_group: int, wave: str | None = None, seed: int = 0
) -> Network:
    """:func:`cooccurrence_network` of one question, groups from :func:`analysis.pipeline.topic_inputs`.

    ``wave`` keeps that wave's answers (its role x wave cells); ``None``: every wave.
    The page (:mod:`ui.data`) and the deck (:mod:`analysis.deck.build`) both call this.

    >>> from analysis.load import read_survey
    >>> from analysis.inference import infer_schema
    >>> rows = ["管理職,日報の要約"] * 2 + ["一般社員,議事録の要約"] * 2 + ["経営層,株主の要約"]
    >>> table = read_survey(("役職,感想\\n" + "\\n".join(rows)).encode())
    >>> net = question_network(Survey(table, infer_schema(table)), "感想", min_group=2)
    >>> sorted(net.nodes["word"]), net.n_answers
    (['日報', '要約', '議事録'], 4)
    """
    inputs = topic_inputs(survey, column)
    texts, roles, waves = inputs.texts, inputs.roles, inputs.waves
    if wave is not None and waves is not None:
        rows = [i for i, w in enumerate(waves) if w == wave]
        texts = [texts[i] for i in rows]
        roles = [roles[i] for i in rows] if roles is not None else None
        waves = [waves[i] for i in rows]
    return cooccurrence_network(texts, roles=roles, waves=waves, min_group=min_group, seed=seed)
