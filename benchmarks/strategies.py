"""How fast the strategies draw: examples per second, printed as a Markdown table.

Pure (no network). Run from the repository root:

    .venv/bin/python benchmarks/strategies.py [--examples N] [--seed S]

Each strategy runs through Hypothesis's own engine (generate phase only, no
database, no deadline), which is how the suite consumes it; the figure thus
includes the engine's per-example overhead, not just the strategy's.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Run as a script, this file's own folder would come first on sys.path and its
# name would shadow the package it measures.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from strategies import (  # noqa: E402
    boundary_create_params,
    invalid_create_params,
    list_params,
    session_create_params,
)

BENCHMARKS: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "session_create_params()": session_create_params,
    "boundary_create_params()": boundary_create_params,
    "invalid_create_params()": invalid_create_params,
    "list_params()": list_params,
}


def draws_per_second(
    strategy: st.SearchStrategy[Any], examples: int, run_seed: int
) -> float:
    """Examples the engine draws per second from `strategy` in one run."""
    drawn = 0

    @seed(run_seed)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def consume(_: Any) -> None:
        nonlocal drawn
        drawn += 1

    started = time.perf_counter()
    consume()
    return drawn / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples", type=int, default=300, help="examples per strategy"
    )
    parser.add_argument("--seed", type=int, default=0, help="Hypothesis seed")
    args = parser.parse_args()
    print(f"{args.examples} examples each, seed {args.seed}\n")
    print("| strategy | draws/s |")
    print("|---|---:|")
    for name, build in BENCHMARKS.items():
        strategy = build()
        draws_per_second(strategy, 5, args.seed)  # builds and caches sub-strategies
        rate = draws_per_second(strategy, args.examples, args.seed)
        print(f"| `{name}` | {rate:,.0f} |")


if __name__ == "__main__":
    main()
