"""Masking and tokenizing time on long answers: prints seconds and the 200k/20k ratio.

A linear implementation gives a ratio near 10; the e-mail pattern before issue 16
backtracked quadratically (letters with one digit: 20,000 characters 0.64 s,
40,000 about 2.5 s in the contact patterns alone) and MeCab crashed on a run of
about 190,000 letters.

    .venv/bin/python -m bench masking_bench
"""

from __future__ import annotations

import time

from analysis.masking import _regex_spans, mask_pii
from analysis.text import tokenize_texts


def _letters_with_a_digit(n: int) -> str:
    return ("abcdefghij" * (n // 10 + 1))[: n - 1] + "1"


def _seconds(task, text: str) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        task(text)
        best = min(best, time.perf_counter() - start)
    return best


def run(full: bool = False) -> None:
    tasks = {
        "contact patterns": _regex_spans,
        "mask_pii": mask_pii,
        "tokenize": lambda t: tokenize_texts([t]),
    }
    for name, task in tasks.items():
        task(_letters_with_a_digit(20_000))  # warm up the token caches
        times = {n: _seconds(task, _letters_with_a_digit(n)) for n in (20_000, 40_000, 200_000)}
        print(
            f"{name:17s} 20k {times[20_000]:.3f} s  40k {times[40_000]:.3f} s  "
            f"200k {times[200_000]:.3f} s  ratio 200k/20k {times[200_000] / times[20_000]:.1f}"
        )


if __name__ == "__main__":
    run()
