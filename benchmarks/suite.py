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
from harness import Api  # noqa: E402
from strategies import session_create_params  # noqa: E402
from tests.self._suite import reference_server_process  # noqa: E402

KEY = "sk_test_benchmark"
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


def time_shares() -> list[str]:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "timing.json"
        seconds, _ = run_pytest(
            "-n",
            "0",
            "-p",
            "benchmarks._timing",
            env={"CONTRACTS_TIMING_OUT": str(out)},
        )
        totals = json.loads(out.read_text())
    generate, requests_s = totals["generate"], totals["request_seconds"]
    return [
        "## Where a serial gate run's time goes",
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
        f"{seconds - generate - requests_s:.1f} | "
        f"{(seconds - generate - requests_s) / seconds:.0%} |",
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
    sections = [gate(args.runs), time_shares(), overhead(args.requests, 3), scaling()]
    print("\n\n".join("\n".join(section) for section in sections))


if __name__ == "__main__":
    main()
