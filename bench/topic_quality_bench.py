"""Topic quality against peers on labelled Japanese short texts: NMI and ARI, k fixed.

Every labelled set (``tests/data/topic_check_set.csv`` and each ``bench/data/*.csv``
with ``text`` and ``label`` columns) is clustered with k = the number of labels
by every method below, for seeds 0, 1 and 2, all in the same run:

- ours: ``analysis.topics.fit_topics(texts, k=k, min_group=1, random_state=seed, n_jobs=1)``
- ours, no refinement: the same with ``analysis.topics.REFINE_SWEEPS`` set to 0 for the
  call (k-means on the smoothed embedding alone; an ablation, the default stays 5)
- tomotopy LDA and PT (pseudo-document topic model, made for short texts), on the
  lemmas of ``analysis.text.tokenize_texts``; each text goes to its most probable topic
- GSDMM (Dirichlet multinomial mixture, one topic per text; Yin & Wang 2014), a short
  collapsed Gibbs sampler written here on the same lemmas (tomotopy has no DMM model)
- LSA + KMeans on character 2-3-grams of the NFKC text (scikit-learn)
- NMF on TF-IDF of the lemmas (scikit-learn); each text goes to its largest weight

Texts a method leaves unassigned (no lemma at all, or an answer that says nothing)
count as one extra cluster of their own. Prints NMI and ARI as mean ± sd over the
seeds, the largest topic's share of the texts (mean) and the seconds per fit (mean).

tomotopy is a benchmark-only extra (``pip install -e '.[bench]'``); without it its
rows are skipped with a note. BERTopic is not measured: it requires
sentence-transformers and torch.

The livedoor news corpus is kept out of this benchmark on purpose: it is held back
for an outside check of the result.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import NMF, TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.preprocessing import Normalizer

from analysis import topics as topics_module
from analysis.text import tokenize_texts
from bench import common

SEEDS = (0, 1, 2)
DATA = Path(__file__).resolve().parent / "data"
CHECK_SET = common.ROOT / "tests" / "data" / "topic_check_set.csv"
LDA_ITERATIONS = 1000
GSDMM_ITERATIONS = 30
UNASSIGNED = -1


def check_sets() -> dict[str, pd.DataFrame]:
    """Labelled sets by name: the test check set, then each CSV under bench/data."""
    paths = [CHECK_SET, *sorted(DATA.glob("*.csv"))]
    sets = {}
    for path in paths:
        frame = pd.read_csv(path, dtype=str).dropna(subset=["text", "label"])
        if "livedoor" in path.name.lower():
            continue  # held back for an outside check
        sets[path.stem] = frame.reset_index(drop=True)
    return sets


def _ours(
    sweeps: int | None = None,
) -> Callable[[list[str], list[list[str]], int, int], list[int]]:
    def fit(texts: list[str], tokens: list[list[str]], k: int, seed: int) -> list[int]:
        saved = topics_module.REFINE_SWEEPS
        if sweeps is not None:
            topics_module.REFINE_SWEEPS = sweeps
        try:
            result = topics_module.fit_topics(texts, k=k, min_group=1, random_state=seed, n_jobs=1)
        finally:
            topics_module.REFINE_SWEEPS = saved
        return [UNASSIGNED if a is None else int(a) for a in result.assignments]

    return fit


def _tomotopy(kind: str) -> Callable[[list[str], list[list[str]], int, int], list[int]]:
    import tomotopy as tp

    def fit(texts: list[str], tokens: list[list[str]], k: int, seed: int) -> list[int]:
        if kind == "PT":
            model = tp.PTModel(k=k, p=max(2 * k, len(texts) // 10), seed=seed)
        else:
            model = tp.LDAModel(k=k, seed=seed)
        index = {}
        for i, words in enumerate(tokens):
            if words:
                index[i] = len(index)
                model.add_doc(words)
        model.train(LDA_ITERATIONS, workers=1)
        # iterate: indexing PTModel.docs past 0 raises IndexError in tomotopy 0.14
        best = [int(np.argmax(doc.get_topic_dist())) for doc in model.docs]
        out = [UNASSIGNED] * len(texts)
        for i, j in index.items():
            out[i] = best[j]
        return out

    return fit


def gsdmm(
    tokens: Sequence[Sequence[str]],
    k: int,
    seed: int,
    *,
    alpha: float = 0.1,
    beta: float = 0.1,
    iterations: int = GSDMM_ITERATIONS,
) -> list[int]:
    """Collapsed Gibbs sampling for the Dirichlet multinomial mixture (Yin & Wang 2014)."""
    vocab: dict[str, int] = {}
    docs = [[vocab.setdefault(w, len(vocab)) for w in words] for words in tokens]
    v = max(len(vocab), 1)
    rng = np.random.default_rng(seed)
    z = np.full(len(docs), UNASSIGNED)
    m = np.zeros(k)  # documents per cluster
    n = np.zeros(k)  # words per cluster
    nw = np.zeros((k, v))  # word counts per cluster
    counted = []
    for d, words in enumerate(docs):
        ids, counts = np.unique(words, return_counts=True) if words else ([], [])
        counted.append((np.asarray(ids, dtype=int), np.asarray(counts, dtype=float)))
        if words:
            z[d] = rng.integers(k)
            m[z[d]] += 1
            n[z[d]] += len(words)
            nw[z[d], counted[d][0]] += counted[d][1]
    steps = np.arange(max((len(w) for w in docs), default=0) + 1)
    for _ in range(iterations):
        for d, words in enumerate(docs):
            if not words:
                continue
            ids, counts = counted[d]
            c = z[d]
            m[c] -= 1
            n[c] -= len(words)
            nw[c, ids] -= counts
            log_p = np.log(m + alpha)
            for word, count in zip(ids, counts, strict=True):
                j = steps[: int(count)]
                log_p += np.log(nw[:, word][:, None] + beta + j).sum(axis=1)
            log_p -= np.log(n[:, None] + v * beta + steps[: len(words)]).sum(axis=1)
            p = np.exp(log_p - log_p.max())
            c = rng.choice(k, p=p / p.sum())
            z[d] = c
            m[c] += 1
            n[c] += len(words)
            nw[c, ids] += counts
    return [int(c) for c in z]


def _gsdmm(texts: list[str], tokens: list[list[str]], k: int, seed: int) -> list[int]:
    return gsdmm(tokens, k, seed)


def _lsa_char(texts: list[str], tokens: list[list[str]], k: int, seed: int) -> list[int]:
    normal = [unicodedata.normalize("NFKC", t) for t in texts]
    x = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True).fit_transform(
        normal
    )
    dims = min(100, x.shape[1] - 1)
    z = Normalizer().fit_transform(TruncatedSVD(dims, random_state=seed).fit_transform(x))
    return KMeans(k, n_init=10, random_state=seed).fit_predict(z).tolist()


def _nmf_lemmas(texts: list[str], tokens: list[list[str]], k: int, seed: int) -> list[int]:
    x = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True).fit_transform(tokens)
    w = NMF(k, init="nndsvda", random_state=seed, max_iter=500).fit_transform(x)
    return [int(np.argmax(row)) if row.any() else UNASSIGNED for row in w]


def methods() -> tuple[dict[str, Callable], list[str]]:
    """Methods by name, and notes on the peers that are not installed."""
    found: dict[str, Callable] = {"ours": _ours(), "ours, no refinement (ablation)": _ours(0)}
    notes = []
    try:
        found["tomotopy LDA"] = _tomotopy("LDA")
        found["tomotopy PT"] = _tomotopy("PT")
    except ImportError:
        notes.append("tomotopy not installed (pip install -e '.[bench]'): LDA and PT skipped")
    found["GSDMM (own sampler)"] = _gsdmm
    found["LSA+KMeans char 2-3-grams"] = _lsa_char
    found["NMF TF-IDF lemmas"] = _nmf_lemmas
    notes.append("BERTopic not measured: it requires sentence-transformers and torch")
    return found, notes


def _score(labels: Sequence[str], predicted: Sequence[int]) -> tuple[float, float, float]:
    nmi = normalized_mutual_info_score(labels, predicted)
    ari = adjusted_rand_score(labels, predicted)
    largest = pd.Series(predicted).value_counts().iloc[0] / len(predicted)
    return nmi, ari, largest


def _mean_sd(values: Sequence[float]) -> str:
    return f"{np.mean(values):.3f} ± {np.std(values, ddof=1) if len(values) > 1 else 0.0:.3f}"


def run(full: bool = False) -> dict[str, dict[str, dict[str, float]]]:
    chosen, notes = methods()
    for note in notes:
        print(f"note: {note}")
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, frame in check_sets().items():
        texts = frame["text"].tolist()
        labels = frame["label"].tolist()
        k = len(set(labels))
        tokens = tokenize_texts(texts, n_jobs=1)
        chars = np.mean([len(t) for t in texts])
        print(
            f"\n{name}: {len(texts):,} texts, {k} labels (k = {k}), {chars:.0f} characters per text"
        )
        rows = []
        results[name] = {}
        for method, fit in chosen.items():
            scores, seconds = [], []
            for seed in SEEDS:
                start = time.perf_counter()
                predicted = fit(texts, tokens, k, seed)
                seconds.append(time.perf_counter() - start)
                scores.append(_score(labels, predicted))
            nmi, ari, largest = (list(s) for s in zip(*scores, strict=True))
            rows.append(
                [method, _mean_sd(nmi), _mean_sd(ari), f"{np.mean(largest):.0%}", np.mean(seconds)]
            )
            results[name][method] = {
                "nmi": float(np.mean(nmi)),
                "nmi_sd": float(np.std(nmi, ddof=1)),
                "ari": float(np.mean(ari)),
                "ari_sd": float(np.std(ari, ddof=1)),
                "largest": float(np.mean(largest)),
                "seconds": float(np.mean(seconds)),
            }
        print(common.table(["method", "NMI", "ARI", "largest topic", "s per fit"], rows))
    print(f"\nseeds {', '.join(map(str, SEEDS))}; machine: {common.machine_line()}")
    return results


if __name__ == "__main__":
    run()
