"""Run the benchmarks: ``python -m bench [--full] [name ...]``.

Each benchmark is a module with ``run(full: bool = False)`` that prints a
table. Add new ones to ``BENCHMARKS``.
"""

from __future__ import annotations

import argparse
import importlib
import time

BENCHMARKS = [
    "bench.tokenize_bench",
    "bench.topics_bench",
    "bench.pipeline_bench",
    "bench.page_bench",
    "bench.browser_bench",
    "bench.deck_bench",
    "bench.scale_bench",
    "bench.inspect_bench",
    "bench.masking_bench",
    "bench.topic_quality_bench",
    "bench.unknown_words_bench",
    "bench.topics_cli_bench",
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Kakehashi benchmarks")
    parser.add_argument("names", nargs="*", help="run only these (e.g. tokenize_bench)")
    parser.add_argument("--full", action="store_true", help="also the largest sizes (slow)")
    args = parser.parse_args(argv)
    chosen = [b for b in BENCHMARKS if not args.names or b.rsplit(".", 1)[-1] in args.names]
    if not chosen:
        parser.error(
            f"unknown benchmark; choose from {', '.join(b.rsplit('.', 1)[-1] for b in BENCHMARKS)}"
        )
    for name in chosen:
        print(f"== {name}")
        start = time.perf_counter()
        importlib.import_module(name).run(full=args.full)
        print(f"   ({time.perf_counter() - start:.1f} s)\n")


if __name__ == "__main__":
    main()
