"""How much a test case costs to generate, per strategy: Markdown tables.

Pure (no network). Run from the repository root:

    .venv/bin/python benchmarks/strategies.py [--examples N] [--short N]
        [--rule-examples N] [--seeds N] [--no-rules]

Each strategy runs through Hypothesis's own engine (generate phase only, no
database, no deadline), which is how the suite consumes it, in a fresh
interpreter whose Hypothesis has already run one unrelated test, so that
Hypothesis's own first-use costs are not charged to the strategy. Three
figures per strategy, each the mean over runs with seeds 0, 1, ... (a gate
runs many tests, each with its own derandomized seed; one seed alone is
noisy):

* cold: build the strategy and run `--short` examples (25, what the gate runs
  for one test), timed together, in a fresh interpreter per seed: the first
  test of a run to use the strategy;
* warm: runs of `--short` examples after one untimed run: any later test
  using it (a fresh engine, warm strategy caches);
* long: runs of `--examples` (200) examples after a warm-up run.

Figures are per example (one call of the test body); "draws/s" is examples per
second in the long runs. Two yardsticks hold no strategy of ours, only plain
choices, to show what Hypothesis itself charges per choice. "ms" is wall time, the
engine's own work included: mutating earlier examples, replaying and
discarding test cases, and about 0.3 ms per example even
for `st.integers()`. "draw" is the time Hypothesis records for drawing the
arguments (`ConjectureData.draw_times`, which `benchmarks/_timing.py` sums
as the suite's generation time). "choices" is the mean number of choices
(`len(ConjectureData.nodes)`) per example of the long runs.

With rules on, every family of `INVALID_RULES` also gets runs of
`--rule-examples` (5) examples of `invalid_create_params(rules=[rule])`, as
the gate's per-family tests do: cold (a fresh interpreter each) and in
sequence (one interpreter running all families one after another, after a
`session_create_params()` test, as a gate worker does).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Run as a script, this file's own folder would come first on sys.path and its
# name would shadow the package it measures.
ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.control import current_build_context  # noqa: E402
from hypothesis.internal.conjecture import providers  # noqa: E402
from hypothesis.internal.conjecture.data import ConjectureData  # noqa: E402

import strategies  # noqa: E402

BENCHMARKS: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "session_create_params()": strategies.session_create_params,
    "boundary_create_params()": strategies.boundary_create_params,
    "invalid_create_params()": strategies.invalid_create_params,
    "metadata_updates()": strategies.metadata_updates,
    "list_params()": strategies.list_params,
    "invalid_list_params()": strategies.invalid_list_params,
    'line_items(mode="payment", currency="usd")': lambda: strategies.line_items(
        mode="payment", currency="usd"
    ),
    'line_items(mode="subscription", currency="usd")': lambda: strategies.line_items(
        mode="subscription", currency="usd"
    ),
    "metadata_maps()": strategies.metadata_maps,
    # Yardsticks: what Hypothesis itself charges for plain choices, with no
    # strategy of ours around them.
    "yardstick: 32 integer choices": lambda: _yardstick(st.integers(0, 7), 32),
    "yardstick: 8 text choices": lambda: _yardstick(st.text(max_size=12), 8),
}


def _yardstick(choice: st.SearchStrategy[Any], count: int) -> st.SearchStrategy[Any]:
    @st.composite
    def repeated(draw: st.DrawFn) -> list[Any]:
        return [draw(choice) for _ in range(count)]

    return repeated()


WARM_UP_EXAMPLES = 25
HYPOTHESIS_WARM_UP = st.tuples(
    st.integers(), st.text(), st.lists(st.booleans()), st.sampled_from("ab")
)
UNTIMED_SEED = 1_000
Totals = dict[str, float]


class _Tally:
    """What the timed runs cost: time, examples, test cases, choices, drawing."""

    def __init__(self) -> None:
        self.totals = self.zero()
        self.timing = False
        freeze = ConjectureData.freeze

        def counting_freeze(data: ConjectureData) -> None:
            if self.timing and not data.frozen:
                self.totals["draw_seconds"] += sum(data.draw_times.values())
            freeze(data)

        ConjectureData.freeze = counting_freeze  # type: ignore[method-assign]

    @staticmethod
    def zero() -> Totals:
        return dict.fromkeys(("seconds", "examples", "choices", "draw_seconds"), 0.0)

    def run(
        self, build: Callable[[], st.SearchStrategy[Any]], examples: int, seed: int
    ) -> None:
        """Time building the strategy and one run of it."""
        # A full collection of what earlier runs left would land in a random
        # run; collect it now and keep it out of later collections.
        gc.collect()
        gc.freeze()
        self.timing = True
        started = time.perf_counter()
        _run(build(), examples, seed, self)
        self.totals["seconds"] += time.perf_counter() - started
        self.timing = False


def _run(
    strategy: st.SearchStrategy[Any],
    examples: int,
    run_seed: int,
    tally: _Tally | None = None,
) -> None:
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
        if tally is not None and tally.timing:
            tally.totals["examples"] += 1
            tally.totals["choices"] += len(current_build_context().data.nodes)

    consume()


def _builder(name: str) -> Callable[[], st.SearchStrategy[Any]]:
    if name.startswith("rule:"):
        rule = name.removeprefix("rule:")
        return lambda: strategies.invalid_create_params(rules=[rule])
    return BENCHMARKS[name]


def _child(kind: str, name: str, examples: int, seeds: int) -> Any:
    """One fresh interpreter's measurements (the child's side).

    A cold run uses the one seed `seeds`; warm and long runs use seeds
    0..seeds-1.
    """
    tally = _Tally()
    # Hypothesis's own first-use costs (lazy imports, the scan of local modules
    # for constants to mix into draws) are paid by whichever test of a run
    # comes first, not by the strategy measured.
    _run(HYPOTHESIS_WARM_UP, 100, UNTIMED_SEED)
    providers._get_local_constants()
    if kind == "cold":
        tally.run(_builder(name), examples, seeds)
        return tally.totals
    if kind == "rules":
        _run(strategies.session_create_params(), WARM_UP_EXAMPLES, UNTIMED_SEED)
        by_rule = {}
        for rule in strategies.INVALID_RULES:
            tally.totals = tally.zero()
            tally.run(_builder(f"rule:{rule}"), examples, 0)
            by_rule[rule] = tally.totals
        return by_rule
    strategy = _builder(name)()
    _run(strategy, examples if kind == "warm" else WARM_UP_EXAMPLES, UNTIMED_SEED)
    for run_seed in range(seeds):
        tally.run(lambda: strategy, examples, run_seed)
    return tally.totals


def _in_fresh_interpreter(kind: str, name: str, examples: int, seeds: int) -> Any:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, name, str(examples), str(seeds)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _figures(totals: Totals) -> dict[str, float]:
    examples = max(totals["examples"], 1)
    return {
        "ms": 1000 * totals["seconds"] / examples,
        "draw_ms": 1000 * totals["draw_seconds"] / examples,
        "choices": totals["choices"] / examples,
    }


def _cold(name: str, examples: int, seeds: int) -> dict[str, float]:
    runs = [
        _in_fresh_interpreter("cold", name, examples, run_seed)
        for run_seed in range(seeds)
    ]
    return _figures({key: sum(run[key] for run in runs) for key in runs[0]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples", type=int, default=200, help="examples in a long run"
    )
    parser.add_argument(
        "--short", type=int, default=25, help="examples in a cold or warm run"
    )
    parser.add_argument(
        "--rule-examples", type=int, default=5, help="examples per invalid family"
    )
    parser.add_argument(
        "--seeds", type=int, default=6, help="runs (seeds 0, 1, ...) per figure"
    )
    parser.add_argument(
        "--no-rules", action="store_true", help="skip the per-family table"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, name, examples, seeds = args.child
        print(json.dumps(_child(kind, name, int(examples), int(seeds))))
        return

    print(
        f"Generate phase only; per example, mean over seeds 0..{args.seeds - 1}: "
        f"cold and warm runs of {args.short} examples, long runs of "
        f"{args.examples}.\n"
    )
    print(
        "| strategy | cold ms | cold draw | warm ms | warm draw | long ms | "
        "long draw | draws/s | choices |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in BENCHMARKS:
        row = [
            _cold(name, args.short, args.seeds),
            _figures(_in_fresh_interpreter("warm", name, args.short, args.seeds)),
            _figures(_in_fresh_interpreter("long", name, args.examples, args.seeds)),
        ]
        cells = " | ".join(f"{f['ms']:.2f} | {f['draw_ms']:.2f}" for f in row)
        per_second = 1000 / row[2]["ms"]
        print(
            f"| `{name}` | {cells} | {per_second:,.0f} | {row[2]['choices']:.0f} |",
            flush=True,
        )
    if args.no_rules:
        return
    print(
        f"\nPer family: `invalid_create_params(rules=[rule])`, {args.rule_examples} "
        "examples (seed 0); cold in a fresh interpreter each, or all in sequence "
        "in one.\n"
    )
    print("| rule | cold ms | cold draw | in seq. ms | in seq. draw | choices |")
    print("|---|---:|---:|---:|---:|---:|")
    in_sequence = _in_fresh_interpreter("rules", "-", args.rule_examples, 1)
    columns: list[list[float]] = [[], [], [], []]
    for rule in strategies.INVALID_RULES:
        cold = _cold(f"rule:{rule}", args.rule_examples, 1)
        warm = _figures(in_sequence[rule])
        for column, value in zip(
            columns,
            (cold["ms"], cold["draw_ms"], warm["ms"], warm["draw_ms"]),
            strict=True,
        ):
            column.append(value)
        print(
            f"| {rule} | {cold['ms']:.2f} | {cold['draw_ms']:.2f} | {warm['ms']:.2f} "
            f"| {warm['draw_ms']:.2f} | {cold['choices']:.0f} |",
            flush=True,
        )
    for label, summary in (("mean", statistics.mean), ("max", max)):
        cells = " | ".join(f"**{summary(column):.2f}**" for column in columns)
        print(f"| **{label}** | {cells} | |")


if __name__ == "__main__":
    main()
