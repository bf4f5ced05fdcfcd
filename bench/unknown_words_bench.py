"""tokenize_texts against a raw ``Tagger().parse`` loop on real-vocabulary answers, plain and
with a word the dictionary lacks in every answer (issue #17 targets 0.8x and 1.5x).

Texts: N distinct pairs of the free-text answers in ``../shared/realdata/`` (as
``tests/realdata.py`` builds them); the second set appends a made-up katakana word to
each. Each run uses a fresh :class:`analysis.text.Lexicon` (nothing cached: the first call
is what is timed), once with ``n_jobs=1`` and once by default, the latter in a fresh process
each run (the worker processes start inside the timed call, with empty caches); the raw
parse loop over the same normalised texts is timed in this process, alternated with them
(a new tagger each time), best of ``REPEATS`` (every run counted, the first included, since
each is a first call). Default N = 20,000; the load average is printed, since the machine
may be shared.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from bench import common

SIZE = 20_000
REPEATS = 3
KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"


def _texts(n: int) -> tuple[list[str], list[str]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from realdata import answer_pairs  # the one way tests build real-vocabulary answers

    plain = answer_pairs(n, 1)
    rng = random.Random(0)
    unknown = [f"{t}（{''.join(rng.choice(KANA) for _ in range(6))}）" for t in plain]
    return plain, unknown


def _timed(texts: list[str], repeats: int = REPEATS) -> tuple[float, float, float]:
    import fugashi

    from analysis.text import Lexicon, normalize_text

    texts = [normalize_text(t) for t in texts]
    raw = one = default = float("inf")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "texts.json"
        path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        for _ in range(repeats):
            start = time.perf_counter()
            tagger = fugashi.Tagger()
            for text in texts:
                tagger.parse(text)
            raw = min(raw, time.perf_counter() - start)
            lexicon = Lexicon()  # nothing cached: a first call
            start = time.perf_counter()
            lexicon.tokenize_texts(texts, n_jobs=1)
            one = min(one, time.perf_counter() - start)
            # by default: a fresh process each time, so the worker processes start inside the
            # timed call and their caches are empty (in this process they would be warm)
            default = min(default, common.run_child("bench.unknown_words_bench", [path])["seconds"])
    return raw, one, default


def _child(path: str) -> dict:
    """``tokenize_texts`` with the default ``n_jobs``, the first call of a fresh process."""
    from analysis.text import tokenize_texts

    texts = json.loads(Path(path).read_text(encoding="utf-8"))
    start = time.perf_counter()
    tokenize_texts(texts)
    return {"seconds": time.perf_counter() - start}


def run(full: bool = False) -> None:
    plain, unknown = _texts(SIZE)
    rows = []
    for name, texts in [("distinct answers", plain), ("each with an unknown word", unknown)]:
        raw, one, default = _timed(texts)
        rows.append([name, f"{raw:.2f}", f"{one:.2f}", f"{one / raw:.2f}", f"{default:.2f}",
                     f"{default / raw:.2f}"])  # fmt: skip
    print(f"{SIZE:,} texts, first call of a fresh Lexicon, best of {REPEATS} alternated with raw")
    print(common.table(["texts", "raw s", "n_jobs=1 s", "x raw", "default s", "x raw"], rows))
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(common.machine_line())


if __name__ == "__main__":
    arguments = common.child_args()
    if arguments is not None:
        common.emit(_child(arguments[0]))
    else:
        run(full="--full" in sys.argv[1:])
