"""Target profiles: detected, printed, and deciding exactly which contracts run.

The reference server plays each kind of target: itself (a full implementation) and,
with its stripe-mock personality, Stripe's stateless mock. The selection is checked
test by test against the registry: a test runs exactly when its main contract's
capabilities are all in the profile, and a skip names the missing capability.
"""

from __future__ import annotations

import json

import pytest

from contracts import REGISTRY
from harness import PROFILES
from reference_server import ReferenceServer
from tests.self._suite import ROOT, junit_cases, reference_server_process, run_suite

STRIPE_MOCK_BASELINE = ROOT / "baselines" / "stripe-mock.json"


def check_selection(junit, profile: str) -> None:
    capabilities = PROFILES[profile].capabilities
    cases = junit_cases(junit)
    assert cases
    for case in cases:
        contracts = [value for name, value in case["properties"] if name == "contract"]
        main = REGISTRY[contracts[0]]
        missing = main.requires - capabilities
        if missing:
            assert case["outcome"] == "skipped", case
            assert f"target profile '{profile}'" in case["message"]
            assert all(f"'{m}'" in case["message"] for m in missing), case["message"]
        elif case["outcome"] == "skipped":  # only a known deviation of the baseline
            assert case["message"].startswith(f"{main.name}: "), case
        else:
            assert case["outcome"] == "passed", case


def test_stripe_mock_is_detected_and_judged_fairly(tmp_path):
    junit = tmp_path / "junit.xml"
    with ReferenceServer(personality="stripe-mock") as server:
        run = run_suite(
            "--base-url",
            server.url,
            f"--baseline={STRIPE_MOCK_BASELINE}",
            f"--junitxml={junit}",
            "-n",
            "2",
        )
    assert (
        "profile stripe-mock (detected: a session id that was never created was "
        "answered with 200)" in run.output
    )
    assert run.returncode == 0, run.output[-4000:]
    check_selection(junit, "stripe-mock")


def test_stripe_mock_without_its_baseline_shows_its_known_deviations():
    with ReferenceServer(personality="stripe-mock") as server:
        run = run_suite("--base-url", server.url, "-n", "2", "-q")
    assert run.returncode == 1
    failed = {name for name, verdict in run.verdicts().items() if verdict == "FAILED"}
    listed = {
        d["contract"]
        for d in json.loads(STRIPE_MOCK_BASELINE.read_text())["deviations"]
    }
    assert failed == listed, "the baseline lists exactly stripe-mock's deviations"


def test_full_implementation_is_detected(tmp_path):
    junit = tmp_path / "junit.xml"
    with ReferenceServer() as server:
        run = run_suite(
            "--base-url",
            server.url,
            "--contracts",
            "valid_requests_succeed,update_merges_metadata,list_is_newest_first",
            f"--junitxml={junit}",
            "-n",
            "0",
        )
    assert (
        "profile full (detected: a session id that was never created was answered "
        "with 404)" in run.output
    )
    assert run.returncode == 0, run.output[-3000:]
    check_selection(junit, "full")


@pytest.mark.parametrize("profile", ["stripe-mock", "full"])
def test_profile_given_by_option_overrides_detection(tmp_path, profile):
    junit = tmp_path / "junit.xml"
    with ReferenceServer() as server:
        run = run_suite(
            "--base-url",
            server.url,
            "--target-profile",
            profile,
            f"--junitxml={junit}",
            "-n",
            "2",
        )
    assert f"profile {profile} (given with --target-profile)" in run.output
    assert run.returncode == 0, run.output[-3000:]
    check_selection(junit, profile)


def test_suite_runs_against_the_reference_server_started_by_hand(tmp_path):
    """`python -m reference_server --port N` in one terminal, `pytest --base-url` in
    another: the README's way for implementers to see both sides."""
    with reference_server_process() as url:
        assert url.startswith("http://127.0.0.1:")
        run = run_suite(
            "--base-url",
            url,
            "--contracts",
            "valid_requests_succeed,retrieve_equals_create",
            "-n",
            "0",
        )
    assert run.returncode == 0, run.output[-3000:]
    assert f"target {url}" in run.output
