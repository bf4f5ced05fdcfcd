"""Gaps and trends at scale: the Likert pipeline against a plain pandas groupby mean.

For a generated three-wave survey of N respondents (10 Likert items; about
2.89 answer sheets per respondent, so 100k respondents are 2.9M answers) this
times, each on the same long answers table:

- ``answers``: ``Survey.answers()`` on a fresh :class:`Survey` (wide -> long, scoring)
- ``item_scores``, ``role_gaps``, ``manager_isolation``: the first wave (研修前)
- ``wave_scores``, ``wave_changes``: every wave (paired by respondent)

The baseline, timed alternately with the pipeline in the same process, is
``answers.groupby(["wave", "role", "item"])["value"].mean()``. Each size runs
in a fresh child process (address space capped, see :mod:`bench.common`); a
step that needs more memory than the cap prints ``MemoryError`` with numpy's
message instead of a time. ``peak MB`` is the process's peak RSS during the
step (data included), ``+MB`` what the step added to the RSS it started with.

Default: 3,000 respondents, best of 3. ``--full``: also 10,000 and 100,000
respondents, one run each.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import pandas as pd

from analysis import gaps, trends
from analysis.schema import Survey
from bench import common

SIZES = [3_000]
FULL_SIZES = [10_000, 100_000]
STEPS = ["answers", "item_scores", "role_gaps", "manager_isolation", "wave_scores", "wave_changes"]


def groupby_mean(answers: pd.DataFrame) -> pd.Series:
    """The baseline: a plain mean per wave x role x item."""
    return answers.groupby(["wave", "role", "item"], dropna=False)["value"].mean()


def steps(survey: Survey, answers: pd.DataFrame) -> dict[str, Callable[[], object]]:
    """The measured calls, in the order the pages make them."""
    waves = survey.waves
    one_wave = answers[answers["wave"] == waves[0]] if waves else answers
    return {
        "answers": lambda: Survey(survey.table, survey.schema).answers(),
        "item_scores": lambda: gaps.item_scores(one_wave, by=("role",)),
        "role_gaps": lambda: gaps.role_gaps(one_wave),
        "manager_isolation": lambda: gaps.manager_isolation(one_wave),
        "wave_scores": lambda: trends.wave_scores(answers, waves=waves or None),
        "wave_changes": lambda: trends.wave_changes(answers, waves=waves or None),
    }


def measure(survey: Survey, *, repeats: int) -> dict:
    """Time every step (best of ``repeats``, alternating with the baseline) and its peak RSS.

    Returns ``{"answers": n, "baseline": s, "steps": {name: {"seconds", "peak_mb",
    "extra_mb"} or {"error"}}}``: ``peak_mb`` is the process's peak RSS during the step,
    ``extra_mb`` that peak minus the RSS when the step began. A failed step is not repeated.
    """
    answers = survey.answers()
    baseline = math.inf
    results: dict[str, dict] = {}
    calls = steps(survey, answers)
    for _ in range(repeats):
        start = time.perf_counter()
        groupby_mean(answers)
        baseline = min(baseline, time.perf_counter() - start)
        for name, call in calls.items():
            if "error" in results.get(name, {}):
                continue
            common.reset_peak_rss()
            before = common.rss_mb()
            start = time.perf_counter()
            try:
                call()
            except MemoryError as error:
                results[name] = {"error": f"MemoryError: {error}".strip()}
                continue
            seconds = time.perf_counter() - start
            peak = common.peak_rss_mb()
            done = results.setdefault(name, {"seconds": math.inf, "peak_mb": 0.0, "extra_mb": 0.0})
            done["seconds"] = min(done["seconds"], seconds)
            done["peak_mb"] = max(done["peak_mb"], peak)
            done["extra_mb"] = max(done["extra_mb"], peak - before)
    return {"answers": len(answers), "baseline": baseline, "steps": results}


def child(respondents: int, repeats: int) -> dict:
    common.cap_memory()
    start = time.perf_counter()
    frame = common.generator().generate_survey(respondents, seed=respondents)
    survey = common.survey_of(frame)
    prepared = time.perf_counter() - start
    result = measure(survey, repeats=repeats)
    result.update(respondents=respondents, rows=len(frame), prepare_s=prepared)
    return result


def report(result: dict) -> None:
    if "error" in result:
        print(f"   failed: {result['error']}")
        return
    base = result["baseline"]
    rows, total, failed = [], 0.0, []
    for name in STEPS:
        step = result["steps"].get(name, {"error": "not run"})
        if "error" in step:
            failed.append(name)
            rows.append([name, None, None, None, None])
            continue
        total += step["seconds"]
        ratio = step["seconds"] / base
        rows.append([name, step["seconds"], ratio, step["peak_mb"], step["extra_mb"]])
    label = "pipeline total" + (" (without failed)" if failed else "")
    rows.append([label, total, total / base, None, None])
    rows.append(["groupby mean (baseline)", base, 1.0, None, None])
    print(
        f"{result['respondents']:,} respondents, {result['rows']:,} sheets, "
        f"{result['answers']:,} answers (generated and mapped in {result['prepare_s']:.0f} s)"
    )
    print(common.table(["step", "seconds", "x groupby", "peak MB", "+MB"], rows))
    for name in failed:
        print(f"   {name}: {result['steps'].get(name, {}).get('error', 'not run')}")


def run(full: bool = False) -> list[dict]:
    """Each size in a fresh child process; print one table per size."""
    sizes = SIZES + (FULL_SIZES if full else [])
    print(
        "Likert pipeline vs pandas groupby mean (seconds; best of 3 at "
        f"{', '.join(f'{n:,}' for n in SIZES)} respondents, one run above)"
    )
    return common.run_sizes(
        "bench.pipeline_bench",
        sizes,
        key="respondents",
        report=report,
        repeats=lambda respondents: 3 if respondents in SIZES else 1,
    )


if __name__ == "__main__":
    common.main(child, run)
