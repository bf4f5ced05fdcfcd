"""Time and peak memory from 1k to 1M answers: free text and gaps, one fresh process per size.

Free text (N answers = N distinct texts from ``free_text_answers(N)`` in
``sample_data/generate.py``, roles and waves drawn at the survey's mix):

- ``raw parse``: one default ``Tagger().parse`` per text (the baseline)
- ``tokenize``: ``analysis.text.tokenize_texts`` (two worker processes above 10k texts)
- ``fit_topics``: ``analysis.topics.fit_topics`` with roles and waves; it tokenizes
  again itself, so it is the whole free-text pipeline. ``ratio`` = fit_topics / raw parse.
- ``peak MB``: peak RSS of the process plus the peaks of its two worker processes (``analysis.workers``)

Gaps (N answers = N/10 answer sheets x 10 Likert items, see :mod:`bench.pipeline_bench`):
``answers()`` + item_scores + role_gaps + manager_isolation + wave_scores + wave_changes,
against a pandas groupby mean of the same answers; ``peak MB`` is the process's peak RSS.

Free text and gaps run in separate child processes, so each peak belongs to one
pipeline at one size. Up to 10k answers every time is the best of 3 (the raw
parse and the pipeline alternate); from 100k, one run. Default: 1k, 10k, 100k;
``--full`` adds 1M (about 20 minutes on 2 cores).
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from analysis.text import tokenize_texts
from analysis.topics import fit_topics
from bench import common
from bench.pipeline_bench import STEPS, measure
from bench.tokenize_bench import _raw_parse

SIZES = [1_000, 10_000, 100_000]
FULL_SIZES = [1_000_000]
ITEMS = 10
ROLE_SHARES = {"経営層": 0.08, "管理職": 0.25, "一般社員": 0.67}
WAVE_SHARES = {"研修前": 0.35, "研修後": 0.34, "3か月後": 0.31}


def _repeats(n: int) -> int:
    return 3 if n <= 10_000 else 1


def text_child(n: int) -> dict:
    common.cap_memory()
    rng = np.random.default_rng(n)
    texts = common.generator().free_text_answers(n, seed=n)
    roles = rng.choice(list(ROLE_SHARES), size=n, p=list(ROLE_SHARES.values())).tolist()
    waves = rng.choice(list(WAVE_SHARES), size=n, p=list(WAVE_SHARES.values())).tolist()
    input_mb = common.rss_mb()
    raw = tokenize = fit = math.inf
    k = 0
    for _ in range(_repeats(n)):
        start = time.perf_counter()
        _raw_parse(texts)
        raw = min(raw, time.perf_counter() - start)
        start = time.perf_counter()
        tokenize_texts(texts)
        tokenize = min(tokenize, time.perf_counter() - start)
        start = time.perf_counter()
        k = fit_topics(texts, roles=roles, waves=waves).k
        fit = min(fit, time.perf_counter() - start)
    main = common.peak_rss_mb()
    workers = common.worker_peaks_mb()
    from analysis import workers as workers_module

    pool_broken = bool(getattr(workers_module, "_pool_broken", False))
    return {
        "n": n,
        "chars": sum(map(len, texts)) / n,
        "raw": raw,
        "tokenize": tokenize,
        "fit": fit,
        "k": k,
        "input_mb": input_mb,
        "main_mb": main,
        "workers_mb": workers,
        "peak_mb": main + sum(workers),
        "pool_broken": pool_broken,
    }


def gaps_child(n: int) -> dict:
    common.cap_memory()
    survey = common.survey_of(common.survey_rows(max(1, n // ITEMS), seed=n))
    prepared = common.peak_rss_mb()
    result = measure(survey, repeats=_repeats(n))
    steps = result["steps"]
    failed = {name: steps[name]["error"] for name in STEPS if "error" in steps.get(name, {})}
    peaks = [prepared] + [s["peak_mb"] for s in steps.values() if "peak_mb" in s]
    return {
        "n": result["answers"],
        "baseline": result["baseline"],
        "pipeline": sum(s["seconds"] for s in steps.values() if "seconds" in s),
        "steps": {name: s.get("seconds") for name, s in steps.items()},
        "failed": failed,
        "peak_mb": max(peaks),
    }


def _row(size: int, text: dict, gaps: dict) -> list[object]:
    row: list[object] = [size]
    if "error" in text:
        row += [None] * 5
    else:
        row += [
            text["raw"],
            text["tokenize"],
            text["fit"],
            text["fit"] / text["raw"],
            text["peak_mb"],
        ]
    if "error" in gaps:
        row += [None] * 4
    else:
        pipeline = gaps["pipeline"] if not gaps["failed"] else math.nan
        row += [gaps["baseline"], pipeline, pipeline / gaps["baseline"], gaps["peak_mb"]]
    return row


HEADERS = [
    "answers", "raw parse s", "tokenize s", "fit_topics s", "ratio", "peak MB",
    "groupby s", "gaps s", "ratio", "peak MB",
]  # fmt: skip


def run(full: bool = False) -> list[dict]:
    """Each size in fresh child processes; print one table (free text | gaps)."""
    sizes = SIZES + (FULL_SIZES if full else [])
    print("Answers 1k -> 1M: free text (raw parse vs fit_topics) | gaps (groupby mean vs pipeline)")
    rows, results = [], []
    for size in sizes:
        text = common.run_child("bench.scale_bench", ["text", size])
        gaps = common.run_child("bench.scale_bench", ["gaps", size])
        results.append({"size": size, "text": text, "gaps": gaps})
        rows.append(_row(size, text, gaps))
        for kind, result in (("free text", text), ("gaps", gaps)):
            if "error" in result:
                print(f"   {size:,} {kind}: {result['error']}")
            if result.get("pool_broken"):
                print(f"   {size:,} free text: worker processes broke; tokenized in one process")
            for name, error in result.get("failed", {}).items():
                print(f"   {size:,} gaps {name}: {error}")
    print(common.table(HEADERS, rows))
    print(
        "free text: ratio = fit_topics / raw parse, peak = process + worker processes; "
        "gaps: ratio = pipeline / groupby mean; seconds best of 3 up to 10k, else one run"
    )
    print(f"machine: {common.machine_line()}")
    return results


if __name__ == "__main__":
    args = common.child_args()
    if args is not None:
        kind, size = args[0], int(args[1])
        common.emit(text_child(size) if kind == "text" else gaps_child(size))
    else:
        run(full="--full" in sys.argv[1:])
