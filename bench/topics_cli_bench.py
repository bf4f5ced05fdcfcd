"""``python -m analysis topics FILE`` end to end on real-vocabulary answers (issue #17: at most 2x).

The file is a Google Forms style CSV (timestamp, role, wave, one free-text
question; ``bench.topics_bench.write_survey``) of N distinct answers, each two
of the real answers in ``../shared/realdata/`` joined with 「。」
(``tests/realdata.py``, ``answer_pairs``). What is timed is the whole command
in a fresh process, as a user runs it: interpreter and imports, reading and
understanding the file, masking, tokenizing (the worker processes start
inside it), features, clustering, labels, examples and the printed result.
The process gets a data folder without a database (``KAKEHASHI_DATA_DIR``), so
the theme dictionary is the bundled ``themes.toml``, as on a fresh install.

The baseline is a raw ``fugashi.Tagger().parse`` loop over the same answers in
this process (a new tagger each run), alternated with the command; both are
best of ``REPEATS`` with every run counted, the first included. Also printed:
the start of the command alone (``python -m analysis --help``), and the load
average, since the machine may be shared. Default N = 50,000.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, machine_line, table
from bench.tokenize_bench import _raw_parse
from bench.topics_bench import QUESTION, write_survey

SIZE = 50_000
REPEATS = 3
TARGET = 2.0  # x raw parse, end to end


def _answers(n: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "tests"))
    from realdata import answer_pairs  # the one way tests build real-vocabulary answers

    return answer_pairs(n, 7)


def _command(path: Path, folder: Path) -> float:
    """Seconds of ``python -m analysis topics path`` in a fresh process (it must succeed)."""
    env = {**os.environ, "KAKEHASHI_DATA_DIR": str(folder)}
    env.pop("KAKEHASHI_DATABASE_URL", None)
    command = [sys.executable, "-m", "analysis", "topics", str(path), "--column", QUESTION]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"topics failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds


def _start(folder: Path) -> float:
    env = {**os.environ, "KAKEHASHI_DATA_DIR": str(folder)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "--help"], cwd=ROOT, env=env,
                   capture_output=True, check=True)  # fmt: skip
    return time.perf_counter() - start


def run(full: bool = False, n: int = SIZE, repeats: int = REPEATS) -> dict[str, float]:
    """Time the command against the raw parse; print the table, the target line and the machine."""
    texts = _answers(n)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / f"real_answers_{n}.csv"
        write_survey(path, texts, seed=n)
        load = os.getloadavg()[0]
        raw = cli = start = float("inf")
        for _ in range(repeats):
            began = time.perf_counter()
            _raw_parse(texts)
            raw = min(raw, time.perf_counter() - began)
            cli = min(cli, _command(path, folder))
            start = min(start, _start(folder))
    ratio = cli / raw
    print(f"python -m analysis topics on {n:,} distinct real-vocabulary answers "
          f"({sum(map(len, texts)) / n:.0f} characters each), best of {repeats}")  # fmt: skip
    print(table(["n", "raw parse s", "topics CLI s", "x raw", "CLI start s"],
                [[n, raw, cli, ratio, start]]))  # fmt: skip
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"target: end to end <= {TARGET}x raw parse: {ratio:.2f}x, {verdict}")
    print(f"load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end")
    print(machine_line())
    return {"n": n, "raw": raw, "cli": cli, "ratio": ratio, "start": start}


if __name__ == "__main__":
    run(full="--full" in sys.argv[1:])
