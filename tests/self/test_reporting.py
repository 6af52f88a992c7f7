"""Verdicts people can act on: failure reports, summary, JUnit, regressions, baselines.

Every test runs the suite against the embedded reference server with one fault
switched on and reads what a user would read.
"""

from __future__ import annotations

import ast
import json
import re

import pytest

from contracts import REGISTRY
from tests.self._suite import junit_cases, run_suite

SUBTOTAL = "session_subtotal_is_sum_of_line_items"
SUBTOTAL_FAULT = (
    "--reference-fault",
    "subtotal_skips_last_item",
    "--contracts",
    SUBTOTAL,
)


@pytest.fixture(scope="module")
def subtotal_failure(tmp_path_factory):
    junit = tmp_path_factory.mktemp("junit") / "report.xml"
    run = run_suite(*SUBTOTAL_FAULT, "-n", "0", f"--junitxml={junit}")
    return run, junit


def test_failure_report_names_the_contract_and_shows_a_reproduction(subtotal_failure):
    run, _ = subtotal_failure
    assert run.returncode == 1
    out = run.output
    assert (
        f"[{SUBTOTAL}] Session amount_subtotal is not the sum of its line items" in out
    )
    assert re.search(r"Received: amount_subtotal=\d+", out)
    assert re.search(r"Expected: \d+ = \d+ \+ \d+ \(2 line items\)", out), (
        "the minimal counterexample has exactly the two line items the fault needs"
    )
    assert "Catalogue: S-11" in out
    assert "Stripe-Version: 2024-04-10" in out
    assert "CS1=$(curl -sS -X POST" in out
    assert '"$CS1"' in out
    assert '-H "Authorization: Bearer $STRIPE_API_KEY"' in out
    assert "Response: 200 application/json, Request-Id req_" in out
    assert '"amount_subtotal":' in out, "the excerpt shows the field that is wrong"
    assert "Failing test case:" in out or "Falsifying example:" in out
    assert "Traceback" not in out


def test_summary_lists_the_verdict_and_the_run(subtotal_failure):
    run, _ = subtotal_failure
    assert "= checkout contracts =" in run.output
    assert run.verdict(SUBTOTAL) == "FAILED"
    assert re.search(r"requests: [\d,]+ in [\d.]+ s \([\d,]+/s\)", run.output)
    assert "target: embedded reference server · profile full" in run.output


def test_junit_xml_carries_the_contract_and_its_title(subtotal_failure):
    _, junit = subtotal_failure
    failed = [c for c in junit_cases(junit) if c["outcome"] == "failure"]
    assert failed
    for case in failed:
        assert ("contract", SUBTOTAL) in case["properties"]
        assert case["message"].startswith(f"[{SUBTOTAL}] {REGISTRY[SUBTOTAL].title}")


def test_parallel_and_serial_runs_reach_the_same_verdict():
    args = ("--reference-fault", "list_limit_off_by_one", "-q")
    serial, parallel = run_suite(*args, "-n", "0"), run_suite(*args, "-n", "2")
    assert serial.returncode == parallel.returncode == 1
    assert serial.verdicts() == parallel.verdicts()
    assert serial.verdicts()["list_respects_limit"] == "FAILED"


def test_shrinking_finds_the_minimal_request():
    """A server refusing quantity > 1: one line item, quantity 2, nothing optional."""
    run = run_suite(
        "--reference-fault",
        "reject_quantity_above_one",
        "--contracts",
        "valid_requests_succeed",
        "-k",
        "test_valid_create_is_accepted",
        "-n",
        "0",
    )
    assert run.returncode == 1
    params = _failing_params(run.output)
    assert set(params) == {"mode", "success_url", "line_items"}, params
    assert params["mode"] == "payment"
    (item,) = params["line_items"]
    assert item["quantity"] == 2
    assert set(item) == {"price", "quantity"} or set(item) == {"price_data", "quantity"}


def _failing_params(output: str) -> dict:
    match = re.search(r"params=(\{.*?\}),\n\)", output, re.DOTALL)
    assert match, output[-3000:]
    return ast.literal_eval(match.group(1))


@pytest.mark.parametrize(
    ("fault", "contract", "expected_steps"),
    [
        (
            "expire_not_persisted",
            "expired_sessions_stay_expired",
            ["create a payment session", "expire cs_test_", "retrieve cs_test_"],
        ),
        (
            "list_omits_newest",
            "list_agrees_with_model",
            ["create a payment session", "list every session since the first one"],
        ),
    ],
)
def test_state_machine_prints_the_minimal_sequence_with_curl(
    fault, contract, expected_steps
):
    run = run_suite(
        "--reference-fault", fault, "-k", "test_lifecycle_state_machine", "-n", "0"
    )
    assert run.returncode == 1
    out = run.output
    assert f"[{contract}] {REGISTRY[contract].title}" in out
    printed = out.split("Steps (the shortest sequence Hypothesis found):", 1)[1]
    steps = re.findall(
        r"^  \d+\. (.+)$", printed.split("Response:", 1)[0], re.MULTILINE
    )
    assert len(steps) == len(expected_steps), steps
    assert all(
        step.startswith(prefix)
        for step, prefix in zip(steps, expected_steps, strict=True)
    ), steps
    assert printed.split("Response:", 1)[0].count("curl -sS") == len(steps)


def test_regressions_are_saved_and_replayed_first(tmp_path):
    saved_dir = tmp_path / "regressions"
    found = run_suite(
        *SUBTOTAL_FAULT,
        "-k",
        "test_subtotal_is_sum_of_line_items",
        "--save-regressions",
        f"--regressions-dir={saved_dir}",
        "-n",
        "0",
    )
    assert found.returncode == 1
    files = list(saved_dir.rglob("*.json"))
    assert len(files) == 1, found.output[-2000:]
    record = json.loads(files[0].read_text())
    assert record["contract"] == SUBTOTAL
    assert record["test"].endswith("::test_subtotal_is_sum_of_line_items")
    assert len(record["kwargs"]["params"]["line_items"]) == 2
    assert "saved regression:" in found.output

    # Replaying only the saved examples (no generation) still finds the bug...
    replay = run_suite(
        *SUBTOTAL_FAULT,
        "-k",
        "test_subtotal_is_sum_of_line_items",
        f"--regressions-dir={saved_dir}",
        "--hypothesis-profile",
        "contracts-replay",
        "-n",
        "0",
    )
    assert replay.returncode == 1, replay.output[-2000:]
    # ...and without them the same replay-only run has nothing to find.
    empty = run_suite(
        *SUBTOTAL_FAULT,
        "-k",
        "test_subtotal_is_sum_of_line_items",
        f"--regressions-dir={tmp_path / 'none'}",
        "--hypothesis-profile",
        "contracts-replay",
        "-n",
        "0",
    )
    assert empty.returncode == 0, empty.output[-2000:]


def test_baseline_accepts_known_deviations_and_reports_fixed_ones(tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        json.dumps(
            {
                "target": "test",
                "deviations": [
                    {
                        "contract": SUBTOTAL,
                        "reason": "known: subtotal drops the last item",
                    },
                    {
                        "contract": "list_respects_limit",
                        "reason": "was broken, fixed since",
                    },
                ],
            }
        )
    )
    run = run_suite(
        *SUBTOTAL_FAULT[:2],
        "--contracts",
        f"{SUBTOTAL},list_respects_limit",
        f"--baseline={baseline}",
        "-n",
        "0",
    )
    assert run.returncode == 0, run.output[-3000:]
    assert run.verdict(SUBTOTAL) == "known"
    assert "known deviation: session_subtotal_is_sum_of_line_items: known" in run.output
    assert run.verdict("list_respects_limit") == "FIXED?"
    assert "no longer fails anywhere: remove it from the baseline" in run.output


def test_baseline_does_not_hide_other_failures(tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        json.dumps(
            {"deviations": [{"contract": "list_respects_limit", "reason": "unrelated"}]}
        )
    )
    run = run_suite(*SUBTOTAL_FAULT, f"--baseline={baseline}", "-n", "0")
    assert run.returncode == 1
    assert run.verdict(SUBTOTAL) == "FAILED"


def test_unusable_baseline_is_a_usage_error(tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        json.dumps({"deviations": [{"contract": "no_such", "reason": "x"}]})
    )
    run = run_suite(f"--baseline={baseline}")
    assert run.returncode == 4
    assert "names unknown contracts: no_such" in run.output


def test_state_machine_failures_are_saved_and_replayed_first(tmp_path):
    """A failing sequence of calls is kept as a journal of rule calls, replayed
    before anything is generated, on the faulty target (fails) and on a sound one
    (passes)."""
    saved_dir = tmp_path / "regressions"
    machine = ("-k", "test_lifecycle_state_machine", "-n", "0")
    fault = ("--reference-fault", "expire_not_persisted")
    found = run_suite(
        *fault, *machine, "--save-regressions", f"--regressions-dir={saved_dir}"
    )
    assert found.returncode == 1
    (path,) = saved_dir.rglob("*.json")
    record = json.loads(path.read_text())
    assert record["contract"] == "expired_sessions_stay_expired"
    assert record["test"].endswith("::test_lifecycle_state_machine")
    rules = [step["rule"] for step in record["sequence"]]
    assert rules == ["start", "create", "expire"], rules
    assert record["sequence"][2]["refs"] == {"session": 0}
    assert "kwargs" not in record

    replay_only = ("--hypothesis-profile", "contracts-replay")
    replay = run_suite(*fault, *machine, *replay_only, f"--regressions-dir={saved_dir}")
    assert replay.returncode == 1, replay.output[-2000:]
    assert "[expired_sessions_stay_expired]" in replay.output
    assert f"Steps (replayed from {path}):" in replay.output, replay.output[-3000:]
    sound = run_suite(*machine, *replay_only, f"--regressions-dir={saved_dir}")
    assert sound.returncode == 0, sound.output[-2000:]
    assert "passed     expired_sessions_stay_expired" in sound.output


@pytest.mark.parametrize("workers", ["0", "2"])
def test_an_unreadable_regression_file_is_one_sentence(tmp_path, workers):
    """A saved regression that no longer reads ends the run before any request, in
    one sentence naming the file, with workers too (an xdist worker meeting it while
    collecting once crashed the run with an internal error naming another test)."""
    broken = tmp_path / "regressions" / "test_lists" / "test_status_filter" / "zz.json"
    broken.parent.mkdir(parents=True)
    broken.write_text("{broken", encoding="utf-8")
    run = run_suite(f"--regressions-dir={tmp_path / 'regressions'}", "-n", workers)
    assert run.returncode == 4, run.output[-3000:]
    assert f"{broken} is not a readable regression" in run.output
    assert "INTERNALERROR" not in run.output
    assert "Traceback" not in run.output
