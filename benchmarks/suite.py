"""How fast the contract suite is: the gate, its overhead per request, how it scales.

Run from the repository root (a few minutes; the machine should be otherwise idle):

    .venv/bin/python benchmarks/suite.py [--runs 3]

Prints Markdown: the gate profile against the embedded reference server with -n 2
and -n 0 (wall time, contracts judged, requests); where a serial run's time goes
(drawing arguments vs requests); the suite's time per request (client, encoding,
schema validation, contracts) against a bare `requests` loop sending the same
requests to the same server; and wall time against the number of examples.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # this folder must not shadow the packages it measures

import requests  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

import contracts  # noqa: E402
from client import CheckoutClient, encode_form, urlencode_form  # noqa: E402
from contracts import ContractContext  # noqa: E402
from strategies import session_create_params  # noqa: E402
from target import Api  # noqa: E402
from tests.self._suite import reference_server_process  # noqa: E402

KEY = "_".join(("sk", "test", "benchmark"))  # not one literal: see run/_keys.py
VERSION = "2024-04-10"


def run_pytest(*args: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall seconds and output of one contract-suite run."""
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    child_env.update(env or {})
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(
            f"the contract suite failed, nothing to measure:\n{done.stdout[-3000:]}"
        )
    return seconds, done.stdout


def summary_numbers(output: str) -> tuple[int, int]:
    """(contracts passed, requests) from the suite's own summary."""
    passed = re.search(r"contracts: (\d+) passed", output)
    sent = re.search(r"requests: ([\d,]+) in", output)
    return (
        int(passed.group(1)) if passed else 0,
        int(sent.group(1).replace(",", "")) if sent else 0,
    )


def gate(runs: int) -> list[str]:
    lines = [
        "## The gate against the embedded reference server",
        "",
        "| workers | wall time (median of runs) | runs | contracts passed | requests |",
        "|---|---:|---:|---:|---:|",
    ]
    for workers in ("2", "0"):
        times, output = [], ""
        for _ in range(runs if workers == "2" else 1):
            seconds, output = run_pytest("-n", workers)
            times.append(seconds)
        passed, sent = summary_numbers(output)
        lines.append(
            f"| -n {workers} | {statistics.median(times):.1f} s | {len(times)} | "
            f"{passed} | {sent:,} |"
        )
    return lines


def _timed_run(workers: int) -> tuple[float, dict[str, float]]:
    """Wall seconds of one gate run with `workers` (0: serial) and the totals of
    `benchmarks._timing`, summed over the processes that ran tests."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "timing.json"
        seconds, _ = run_pytest(
            "-n",
            str(workers),
            "-p",
            "benchmarks._timing",
            env={"CONTRACTS_TIMING_OUT": str(out)},
        )
        totals: dict[str, float] = {}
        for written in Path(scratch).glob("timing.json*"):
            for key, value in json.loads(written.read_text()).items():
                totals[key] = totals.get(key, 0.0) + value
    return seconds, totals


def time_shares(runs: int) -> list[str]:
    """Generation's share of a gate run: serially, and with both cores as the
    README's main command runs (the workers' drawing seconds over the core-seconds
    the run had, workers x wall time)."""
    lines = [
        "## Generation's share of a gate run",
        "",
        f"{runs} runs each; share = seconds spent drawing test arguments over the "
        "run's core-seconds (wall time x workers).",
        "",
        "| run | wall time (median) | drawing, summed over workers (median) | "
        "share (median) | share (lowest-highest) |",
        "|---|---:|---:|---:|---:|",
    ]
    serial: list[tuple[float, dict[str, float]]] = []
    for workers in (0, 2):
        measured = [_timed_run(workers) for _ in range(runs)]
        if workers == 0:
            serial = measured
        shares = sorted(t["generate"] / (s * max(workers, 1)) for s, t in measured)
        lines.append(
            f"| -n {workers} | {statistics.median(s for s, _ in measured):.1f} s | "
            f"{statistics.median(t['generate'] for _, t in measured):.2f} s | "
            f"{statistics.median(shares):.1%} | {shares[0]:.1%}-{shares[-1]:.1%} |"
        )
    seconds, totals = sorted(serial, key=lambda run: run[0])[len(serial) // 2]
    generate, requests_s = totals["generate"], totals["request_seconds"]
    rest = seconds - generate - requests_s
    return [
        *lines,
        "",
        "## Where a serial gate run's time goes (the median run above)",
        "",
        "| part | seconds | share |",
        "|---|---:|---:|",
        f"| whole run (-n 0) | {seconds:.1f} | 100% |",
        f"| drawing test arguments ({int(totals['cases']):,} test cases) | "
        f"{generate:.1f} | {generate / seconds:.0%} |",
        f"| requests, answered by the in-process server "
        f"({int(totals['requests']):,}) | {requests_s:.1f} | "
        f"{requests_s / seconds:.0%} |",
        f"| everything else (pytest, Hypothesis, contracts, reports) | "
        f"{rest:.1f} | {rest / seconds:.0%} |",
    ]


def _drawn_params(count: int) -> list[dict[str, Any]]:
    drawn: list[dict[str, Any]] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(session_create_params())
    def collect(params: dict[str, Any]) -> None:
        drawn.append(params)

    collect()
    return drawn[:count]


_CREATE_CONTRACTS = (
    contracts.session_has_every_documented_field,
    contracts.ids_have_stripe_prefixes,
    contracts.livemode_matches_key_mode,
    contracts.timestamps_are_unix_seconds,
    contracts.enum_fields_have_known_values,
    contracts.session_total_follows_from_details,
    contracts.payment_status_matches_mode,
    contracts.url_present_only_for_open_hosted,
    contracts.client_secret_only_for_embedded,
    contracts.expires_at_honours_request,
    contracts.session_echoes_core_params,
    contracts.metadata_round_trips,
    contracts.session_echoes_request,
    contracts.linked_objects_match_mode,
)


def overhead(count: int, rounds: int) -> list[str]:
    with reference_server_process() as url:
        client = CheckoutClient(url, KEY, stripe_version=VERSION, note_curl=False)
        api, ctx = Api(client), ContractContext()
        resolved = [api.resolve(p) for p in _drawn_params(count)]
        bodies = [urlencode_form(encode_form(p)) for p in resolved]
        bare = requests.Session()
        headers = {
            "Authorization": f"Bearer {KEY}",
            "Stripe-Version": VERSION,
            "Content-Type": "application/x-www-form-urlencoded",
        }

        def bare_loop() -> None:
            for body in bodies:
                answer = bare.post(
                    f"{url}/v1/checkout/sessions",
                    data=body,
                    headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
                )
                answer.json()

        def suite_loop(checks: tuple[Any, ...]) -> None:
            for params in resolved:
                exchange = api.create_session(params)
                contracts.valid_requests_succeed(ctx, exchange)
                contracts.response_matches_schema(ctx, exchange, "session")
                for check in checks:
                    check(ctx, exchange)

        loops = {
            "bare requests loop": bare_loop,
            "suite: client + schema validation": lambda: suite_loop(()),
            "suite: client + schema + 14 more create contracts": lambda: suite_loop(
                _CREATE_CONTRACTS
            ),
        }
        best = {name: float("inf") for name in loops}
        for _ in range(rounds):
            for name, loop in loops.items():
                started = time.perf_counter()
                loop()
                best[name] = min(best[name], (time.perf_counter() - started) / count)
    base = best["bare requests loop"]
    lines = [
        "## Overhead per request",
        "",
        f"{count} valid creates against the reference server in its own process, "
        f"best of {rounds} rounds, same requests each way.",
        "",
        "| loop | ms per request | over bare |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {name} | {seconds * 1000:.2f} | {seconds / base - 1:+.0%} |"
        for name, seconds in best.items()
    ]
    return lines


def scaling() -> list[str]:
    lines = [
        "## Wall time against examples per test (-n 2)",
        "",
        "| --max-examples | wall time | seconds per example-unit |",
        "|---:|---:|---:|",
    ]
    for examples in (10, 25, 50, 100):
        seconds, _ = run_pytest("-n", "2", "--max-examples", str(examples))
        lines.append(f"| {examples} | {seconds:.1f} s | {seconds / examples:.2f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="gate runs with -n 2")
    parser.add_argument("--requests", type=int, default=300, help="overhead loop size")
    args = parser.parse_args()
    sections = [
        gate(args.runs),
        time_shares(args.runs),
        overhead(args.requests, 3),
        scaling(),
    ]
    print("\n\n".join("\n".join(section) for section in sections))


if __name__ == "__main__":
    main()
