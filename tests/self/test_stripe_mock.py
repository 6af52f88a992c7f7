"""The suite against the real stripe-mock, run as a user runs it: the README's line,
verbatim but for the port, and the exact verdict it must reach.

stripe-mock is Stripe's stateless mock: it validates requests against the OpenAPI
spec and answers fixtures. What it cannot do by design is skipped with a reason that
names the missing capability; what it could do and does not is a deviation listed in
`baselines/stripe-mock.json`, each with the probe that shows it.
"""

from __future__ import annotations

import json
import re
import shlex

import pytest

from tests.self._suite import ROOT, SuiteRun, run_suite

BASELINE = ROOT / "baselines" / "stripe-mock.json"
README_PORT = "http://127.0.0.1:12111"
_ROW = re.compile(
    r"^  (FAILED|passed|skipped|known|FIXED\?|not judged)\s+(\w+)\s*(.*)$"
)

#: The verdict the suite must reach on stripe-mock, contract by contract: passed,
#: known (a baseline deviation, found by probing the binary, see
#: docs/stripe-mock-findings.md), or skipped with the capabilities the skip names
#: (what a stateless mock lacks by design).
EXPECTED: dict[str, str] = {
    "answers_describe_the_requested_session": "known",
    "errors_have_stripe_shape": "known",
    "errors_never_echo_the_key": "known",
    "impossible_session_ids_are_refused": "known",
    "list_limit_out_of_range_refused": "known",
    "no_server_errors": "known",
    "responses_carry_request_id": "known",
    "schema_violations_are_rejected": "known",
    "enum_fields_have_known_values": "passed",
    "ids_have_stripe_prefixes": "passed",
    "invalid_key_is_401": "passed",
    "list_envelope_is_valid": "passed",
    "list_respects_limit": "passed",
    "livemode_matches_key_mode": "passed",
    "missing_key_is_401": "passed",
    "object_names_are_correct": "passed",
    "response_matches_schema": "passed",
    "responses_are_json": "passed",
    "session_echoes_core_params": "passed",
    "session_has_every_documented_field": "passed",
    "timestamps_are_unix_seconds": "passed",
    "valid_requests_succeed": "passed",
    "client_secret_only_for_embedded": "skipped: derived_fields",
    "concurrent_creates_get_distinct_ids": "skipped: stateful",
    "conditional_rules_are_enforced": "skipped: conditional_validation",
    "error_names_offending_param": "skipped: error_details",
    "expire_closes_session": "skipped: stateful",
    "expire_twice_refused": "skipped: stateful",
    "expired_sessions_stay_expired": "skipped: stateful",
    "expires_at_honours_request": "skipped: derived_fields",
    "idempotency_key_reuse_refused": "skipped: idempotency",
    "idempotent_replay_is_identical": "skipped: idempotency",
    "line_item_amounts_are_consistent": "skipped: derived_fields",
    "line_items_endpoint_matches_expansion": "skipped: stateful",
    "linked_objects_match_mode": "skipped: derived_fields",
    "list_agrees_with_model": "skipped: stateful",
    "list_backward_walk_mirrors_forward": "skipped: stateful",
    "list_cursors_are_exclusive": "skipped: conditional_validation",
    "list_filters_select_exactly": "skipped: stateful",
    "list_forward_walk_is_complete": "skipped: stateful",
    "list_is_newest_first": "skipped: stateful",
    "list_unknown_cursor_refused": "skipped: stateful",
    "metadata_round_trips": "skipped: full_echo",
    "payment_status_matches_mode": "skipped: derived_fields",
    "refused_requests_change_nothing": "skipped: stateful",
    "retrieve_agrees_with_model": "skipped: stateful",
    "retrieve_equals_create": "skipped: stateful",
    "session_echoes_request": "skipped: full_echo",
    "session_subtotal_is_sum_of_line_items": "skipped: derived_fields",
    "session_total_follows_from_details": "skipped: derived_fields",
    "unknown_session_is_404": "skipped: stateful",
    "update_merges_metadata": "skipped: stateful,update_endpoint",
    "url_present_only_for_open_hosted": "skipped: derived_fields",
}


def readme_line() -> list[str]:
    """The stripe-mock command of the README's target table, as arguments."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^\| stripe-mock +\| `(pytest [^`]*)` \|$", readme, re.MULTILINE)
    assert match, "the README's target table has a stripe-mock row with a command"
    return shlex.split(match.group(1))


def _verdict_table(run: SuiteRun) -> dict[str, str]:
    section = run.output.split("checkout contracts ====", 1)[-1]
    table = {}
    for line in section.splitlines():
        found = _ROW.match(line)
        if not found:
            continue
        verdict, name, detail = found.groups()
        if verdict == "skipped":
            missing = re.findall(r"lacks ((?:'\w+'[^;]*?)(?:; |, so))", detail)
            capabilities = sorted(set(re.findall(r"'(\w+)' \(", detail)))
            verdict = "skipped: " + ",".join(capabilities) if missing else detail
        table[name] = verdict
    return table


@pytest.fixture(scope="module")
def readme_run(stripe_mock_url: str) -> SuiteRun:
    command = readme_line()
    assert command[0] == "pytest"
    args = [a.replace(README_PORT, stripe_mock_url) for a in command[1:]]
    return run_suite(*args, timeout=240)


def test_the_readme_line_is_green_with_the_profile_shown(readme_run, stripe_mock_url):
    assert readme_run.returncode == 0, readme_run.output[-4000:]
    assert f"target {stripe_mock_url}" in readme_run.output
    assert (
        "profile stripe-mock (detected capability by capability)" in readme_run.output
    )


def test_the_verdict_is_exact(readme_run):
    table = _verdict_table(readme_run)
    assert table == EXPECTED, json.dumps(table, indent=1)


def test_every_baseline_entry_is_known(readme_run):
    table = _verdict_table(readme_run)
    listed = {d["contract"] for d in json.loads(BASELINE.read_text())["deviations"]}
    assert {name: table.get(name) for name in listed} == dict.fromkeys(listed, "known")


def test_without_the_baseline_it_fails_only_on_the_listed_deviations(stripe_mock_url):
    run = run_suite("-n", "2", "--base-url", stripe_mock_url, timeout=240)
    assert run.returncode == 1, run.output[-3000:]
    failed = {n for n, v in run.verdicts().items() if v == "FAILED"}
    listed = {d["contract"] for d in json.loads(BASELINE.read_text())["deviations"]}
    assert failed == listed


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_seeds_reach_the_same_verdict(stripe_mock_url, seed):
    run = run_suite(
        "-n",
        "2",
        "--base-url",
        stripe_mock_url,
        f"--baseline={BASELINE}",
        "--hypothesis-profile",
        "contracts-random",
        f"--hypothesis-seed={seed}",
        timeout=240,
    )
    assert run.returncode == 0, run.output[-3000:]
    assert _verdict_table(run) == EXPECTED
