"""Topic pipeline speed: ``fit_topics`` on N answers against a plain parse of the same answers.

``fit_topics`` tokenizes, builds TF-IDF features, clusters (neighbour graph on
at most 8,000 distinct answers, the rest by centroid), labels, picks masked
examples and computes shares by role x wave. The raw ``Tagger().parse`` loop
over the same texts shows how much of that is morphological analysis.
"""

from __future__ import annotations

import random
import time

from analysis.topics import fit_topics
from bench.tokenize_bench import _raw_parse, distinct_answers

ROLES = ["経営層", "管理職", "現場"]
WAVES = ["研修前", "研修後", "3か月後"]


def run(full: bool = False) -> list[dict[str, object]]:
    """Time ``fit_topics`` at 1k, 10k and 100k answers and print one row per size."""
    sizes = [1_000, 10_000, 100_000]
    rows = []
    print("fit_topics vs Tagger().parse loop (seconds, one run each)")
    print(f"{'n':>8} {'raw parse':>10} {'fit_topics':>11} {'ratio':>7} {'k':>3}  largest topic")
    for n in sizes:
        texts = distinct_answers(n, seed=100 + n)
        rng = random.Random(n)
        roles = [rng.choice(ROLES) for _ in texts]
        waves = [rng.choice(WAVES) for _ in texts]
        start = time.perf_counter()
        _raw_parse(texts)
        raw = time.perf_counter() - start
        start = time.perf_counter()
        result = fit_topics(texts, roles=roles, waves=waves)
        fit = time.perf_counter() - start
        rows.append({"n": n, "raw": raw, "fit": fit, "ratio": fit / raw, "k": result.k})
        label = result.topics["label"].iloc[0]
        print(f"{n:>8} {raw:>10.2f} {fit:>11.2f} {fit / raw:>7.1f} {result.k:>3}  {label}")
    return rows


if __name__ == "__main__":
    run()
