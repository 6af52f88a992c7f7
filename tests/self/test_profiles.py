"""Capabilities: detected one by one, printed, and deciding exactly which contracts
run; presets (`--target-profile`) and single overrides (`--capability`) replace the
detection.

The reference server is the full implementation here; the real stripe-mock is judged
in `test_stripe_mock.py`. The selection is checked test by test against the registry:
a test runs exactly when its main contract's capabilities are all granted, and a
skip names the missing capability.
"""

from __future__ import annotations

import pytest

from contracts import REGISTRY
from reference_server import ReferenceServer
from run import PROFILES
from tests.self._suite import junit_cases, reference_server_process, run_suite
from tests.self.hostile import ForwardingProxy, Responder, pass_through


def check_selection(junit, capabilities: frozenset[str]) -> None:
    cases = junit_cases(junit)
    assert cases
    for case in cases:
        contracts = [value for name, value in case["properties"] if name == "contract"]
        main = REGISTRY[contracts[0]]
        missing = main.requires - capabilities
        if missing:
            assert case["outcome"] == "skipped", case
            assert "the target lacks" in case["message"]
            assert all(f"'{m}'" in case["message"] for m in missing), case["message"]
        elif case["outcome"] == "skipped":  # only a known deviation of the baseline
            assert case["message"].startswith(f"{main.name}: "), case
        else:
            assert case["outcome"] == "passed", case


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
    assert "profile full (detected capability by capability)" in run.output
    assert (
        "    yes stateful                GET of a session id never created answered "
        "HTTP 404" in run.output
    )
    assert run.returncode == 0, run.output[-3000:]
    check_selection(junit, PROFILES["full"].capabilities)


def test_one_capability_can_be_overridden(tmp_path):
    junit = tmp_path / "junit.xml"
    with ReferenceServer() as server:
        run = run_suite(
            "--base-url",
            server.url,
            "--capability",
            "stateful=no",
            "--contracts",
            "valid_requests_succeed,list_is_newest_first,retrieve_equals_create",
            f"--junitxml={junit}",
            "-n",
            "0",
        )
    assert "profile custom (detected capability by capability)" in run.output
    assert "    no  stateful                given with --capability" in run.output
    assert run.returncode == 0, run.output[-3000:]
    check_selection(junit, PROFILES["full"].capabilities - {"stateful"})
    assert run.verdict("list_is_newest_first") == "skipped"
    assert run.verdict("valid_requests_succeed") == "passed"


def test_a_bad_capability_override_is_one_sentence():
    run = run_suite("--capability", "statefull=yes", "-n", "0")
    assert run.returncode == 4
    assert "--capability 'statefull=yes': give NAME=yes or NAME=no" in run.output
    assert "Traceback" not in run.output


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
    check_selection(junit, PROFILES[profile].capabilities)


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


def test_a_capability_probe_that_keeps_failing_is_one_sentence():
    def retrieve_fails(responder: Responder) -> None:
        if responder.request.path.startswith("/v1/checkout/sessions/cs_"):
            responder.send(500, b'{"error": {"type": "api_error"}}')
        else:
            pass_through(responder)

    with ReferenceServer() as server, ForwardingProxy(server.url, retrieve_fails) as p:
        run = run_suite("--base-url", p.url, "-n", "0")
    assert run.returncode == 4, run.output[-3000:]
    assert (
        "answered HTTP 500 3 times to the capability probe 'stateful' (GET "
        "/v1/checkout/sessions/cs_test_" in run.output
    )
    assert "--target-profile or --capability" in run.output
    assert "Traceback" not in run.output


def test_a_capability_probe_that_fails_once_is_asked_again():
    failed: list[str] = []

    def retrieve_fails_once(responder: Responder) -> None:
        path = responder.request.path
        if path.startswith("/v1/checkout/sessions/cs_") and not failed:
            failed.append(path)
            responder.send(500, b'{"error": {"type": "api_error"}}')
        else:
            pass_through(responder)

    with (
        ReferenceServer() as server,
        ForwardingProxy(server.url, retrieve_fails_once) as p,
    ):
        run = run_suite(
            "--base-url", p.url, "--contracts", "valid_requests_succeed", "-n", "0"
        )
    assert failed
    assert run.returncode == 0, run.output[-3000:]
    assert "profile full (detected capability by capability)" in run.output
