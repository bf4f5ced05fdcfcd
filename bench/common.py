"""Helpers the benchmarks share: best-of-N timing, peak RSS, child processes, generated surveys.

Peak memory is the resident set size (RSS) of the process, read from the
kernel: ``VmHWM`` in ``/proc/self/status``, reset before each measured step by
writing ``5`` to ``/proc/self/clear_refs`` (Linux 4.0+), so each step gets its
own peak. Where that file cannot be written the peak is the whole process's
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``). Large sizes run in a child
process (:func:`run_child`) whose address space is capped at
:data:`MEMORY_CAP_GIB`, so a step that would need more memory than the machine
has fails with ``MemoryError`` instead of waking the OOM killer.

The raw-parse baseline is ``bench.tokenize_bench._raw_parse`` (one default
``Tagger().parse`` per text), shared with the tokenize and topic benchmarks.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from analysis.schema import Survey, load_survey

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "sample_data" / "generate.py"
SAMPLE_CSV = ROOT / "sample_data" / "ai_survey_google_forms.csv"
MEMORY_CAP_GIB = 12  # children never take more address space than this (the machine has 24 GiB)
SCHEMA_ROWS = 2_000  # rows the column mapping is inferred from (inference reads every cell)
ROWS_PER_RESPONDENT = 2.89  # generate_survey: 3 waves minus attrition
_CHILD_FLAG = "--child"


# --------------------------------------------------------------------------- timing


def best_of(run: Callable[[], Any], repeats: int = 3) -> tuple[float, Any]:
    """Fastest of ``repeats`` calls in seconds, and the last call's result."""
    best, result = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def paired_best(
    baseline: Callable[[], Any], subject: Callable[[], Any], repeats: int = 3
) -> tuple[float, float]:
    """Best-of-``repeats`` seconds of a baseline and a subject, run alternately.

    Alternating means that load from other processes hits both alike, so the
    ratio ``subject / baseline`` is fairer than two separate series.
    """
    base = subj = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        baseline()
        base = min(base, time.perf_counter() - start)
        start = time.perf_counter()
        subject()
        subj = min(subj, time.perf_counter() - start)
    return base, subj


# --------------------------------------------------------------------------- memory


def reset_peak_rss() -> bool:
    """Start a new peak-RSS window for this process; False if the kernel does not allow it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _status_kib(key: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return float(line.split()[1])
    except OSError:
        pass
    return None


def peak_rss_mb() -> float:
    """Peak RSS of this process in MB (MiB) since start or the last :func:`reset_peak_rss`."""
    kib = _status_kib("VmHWM")
    if kib is None:
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kib / 1024


def rss_mb() -> float:
    """Current RSS of this process in MB (MiB)."""
    kib = _status_kib("VmRSS")
    return (kib if kib is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def worker_peaks_mb() -> list[float]:
    """Peak RSS of the live worker processes (``analysis.workers``), in MB."""
    from analysis import workers

    pool = getattr(workers, "_pool", None)
    processes = getattr(pool, "_processes", None) or {}
    peaks = []
    for pid in list(processes):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(float(line.split()[1]) / 1024)
    return peaks


def cap_memory(gib: float = MEMORY_CAP_GIB) -> None:
    """Limit this process's address space so an oversized allocation raises MemoryError."""
    limit = int(gib * 1024**3)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


# --------------------------------------------------------------------------- child processes


def run_child(module: str, args: Sequence[str], *, timeout: float | None = None) -> dict:
    """Run ``python -m module --child args...`` in a fresh process; return the JSON it printed last.

    The child's stderr passes through (progress notes); a crash comes back as
    ``{"error": ...}`` with the last lines of its output.
    """
    command = [sys.executable, "-m", module, _CHILD_FLAG, *map(str, args)]
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode == 0 and lines:
        return json.loads(lines[-1])
    tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
    return {"error": f"exit {done.returncode}: " + " | ".join(tail)}


def child_args(argv: Sequence[str] | None = None) -> list[str] | None:
    """The arguments after ``--child`` when this process is a benchmark child, else None."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] != [_CHILD_FLAG]:
        return None
    return argv[1:]


def emit(result: dict) -> None:
    """A child's result: one JSON line on stdout."""
    print(json.dumps(result, ensure_ascii=False), flush=True)


def run_sizes(
    module: str,
    sizes: Sequence[int],
    *,
    key: str,
    report: Callable[[dict], None],
    repeats: Callable[[int], int] = lambda size: 3,
) -> list[dict]:
    """Run ``module`` once per size, each in a fresh child; report each result, then the machine."""
    results = []
    for size in sizes:
        result = run_child(module, [size, repeats(size)])
        result.setdefault(key, size)
        report(result)
        results.append(result)
        print()
    print(f"machine: {machine_line()}")
    return results


def main(child: Callable[[int, int], dict], run: Callable[..., object]) -> None:
    """A sized benchmark's entry point: the child part with ``--child SIZE REPEATS``, else the run."""
    args = child_args()
    if args is not None:
        emit(child(int(args[0]), int(args[1])))
    else:
        run(full="--full" in sys.argv[1:])


# --------------------------------------------------------------------------- data


@cache
def generator() -> ModuleType:
    """``sample_data/generate.py`` loaded by path (it is a script, not a package module)."""
    spec = importlib.util.spec_from_file_location("kakehashi_sample_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # NamedTuple and dataclass need their module registered
    spec.loader.exec_module(module)
    return module


def survey_rows(rows: int, *, seed: int = 0) -> pd.DataFrame:
    """Exactly ``rows`` answer sheets of the generated three-wave survey (Google Forms layout).

    Generates just enough respondents, then keeps a random ``rows`` of their
    sheets in time order, so waves, roles and linked IDs keep their mix.
    """
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    respondents = max(2, math.ceil(rows / (ROWS_PER_RESPONDENT - 0.1)))
    frame = generator().generate_survey(respondents, seed=seed)
    while len(frame) < rows:
        respondents = math.ceil(respondents * 1.2)
        frame = generator().generate_survey(respondents, seed=seed)
    keep = np.sort(np.random.default_rng(seed).choice(len(frame), size=rows, replace=False))
    return frame.iloc[keep].reset_index(drop=True)


def survey_of(frame: pd.DataFrame, *, name: str = "bench.csv") -> Survey:
    """The :class:`Survey` the app would build from ``frame`` written as CSV and read back.

    The column mapping is inferred from the first :data:`SCHEMA_ROWS` rows (the
    same columns, so the same mapping); the frame is given the shape
    ``read_survey`` produces (object cells, ``None`` for blanks), which skips
    the CSV round trip and the 50 MB upload limit at large sizes.
    """
    probe = load_survey(frame.head(SCHEMA_ROWS).to_csv(index=False).encode(), name=name)
    cells = frame.astype(object)
    cells = cells.where(frame.notna(), None)
    return Survey(replace(probe.table, frame=cells), probe.schema)


# --------------------------------------------------------------------------- reporting


def machine() -> dict[str, str]:
    """Cores, CPU model, RAM, Python and date: the line printed under every table."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = _meminfo_gib()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cores": str(cores),
        "cpu": cpu,
        "ram": f"{ram:.0f} GiB" if ram else "unknown RAM",
        "python": platform.python_version(),
        "date": dt.date.today().isoformat(),
    }


def _meminfo_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return float(line.split()[1]) / 1024**2
    except OSError:
        pass
    return None


def machine_line() -> str:
    m = machine()
    return f"{m['cores']} cores, {m['cpu']}, {m['ram']} RAM, Python {m['python']}, {m['date']}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain right-aligned text table (the first column left-aligned)."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = [row[0] + " " * (widths[0] - _width(row[0]))]
        parts += [" " * (w - _width(c)) + c for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns on a terminal: Japanese (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
