"""Bad input to the suite gets one clear sentence that says what to do, and no hang.

Unreachable URLs, a URL that is not HTTP, a target answering HTML, one that hangs,
one that fails every call, a wrong or live key: each run must end quickly, with
pytest's usage-error exit code and a single `ERROR:` sentence, never a traceback.
"""

from __future__ import annotations

import pytest

from reference_server import ReferenceServer
from tests.self._stubs import closed_port, stub_server
from tests.self._suite import run_suite

USAGE_ERROR = 4


def assert_one_sentence(run, *fragments: str, within: float = 30.0) -> None:
    assert run.returncode == USAGE_ERROR, run.output[-3000:]
    assert "Traceback" not in run.output, run.output
    assert "INTERNALERROR" not in run.output, run.output
    errors = [line for line in run.output.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1, run.output
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    assert run.seconds < within, f"took {run.seconds:.1f} s"


def test_unreachable_url():
    port = closed_port()
    run = run_suite("--base-url", f"http://127.0.0.1:{port}", "-n", "2")
    assert_one_sentence(
        run, f"http://127.0.0.1:{port}", "connection refused", "--base-url"
    )


def test_url_that_is_not_http():
    run = run_suite("--base-url", "ftp://127.0.0.1/")
    assert_one_sentence(run, "ftp://127.0.0.1")


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("html", "not JSON"),
        ("500", "HTTP 500"),
        ("not-http", "HTTP"),
    ],
)
def test_misbehaving_target(kind, says):
    with stub_server(kind) as url:
        run = run_suite("--base-url", url, "-n", "2")
    assert_one_sentence(run, url, says)


def test_hanging_target_is_given_up_on():
    with stub_server("hang") as url:
        run = run_suite("--base-url", url, "--request-timeout", "2")
    assert_one_sentence(run, url, "did not answer", within=20)


def test_wrong_key_is_refused_by_the_target():
    with ReferenceServer() as server:
        run = run_suite("--base-url", server.url, "--api-key", "not-a-stripe-key")
    assert_one_sentence(run, "refused the API key", "STRIPE_API_KEY")
    assert "not-a-stripe-key" not in run.output


@pytest.mark.parametrize("key", ["sk_live_" + "x" * 24, "rk_live_" + "y" * 24])
@pytest.mark.parametrize("how", ["option", "environment"])
def test_live_key_is_refused_before_any_request(key, how):
    with ReferenceServer() as server:
        if how == "option":
            run = run_suite("--base-url", server.url, "--api-key", key)
        else:
            run = run_suite("--base-url", server.url, env={"STRIPE_API_KEY": key})
        assert server.request_log() == [], "a live key must never reach a target"
    assert_one_sentence(run, "live-mode key", "test key")
    assert key not in run.output


def test_live_key_is_refused_for_the_embedded_server_too():
    key = "sk_live_" + "z" * 24
    run = run_suite(env={"STRIPE_API_KEY": key})
    assert_one_sentence(run, "live-mode key")
    assert key not in run.output


def test_stripe_host_without_a_key_is_refused_before_any_request():
    run = run_suite("--base-url", "https://api.stripe.com")
    assert_one_sentence(run, "STRIPE_API_KEY", within=10)


def test_unknown_reference_fault_is_a_usage_error():
    run = run_suite("--reference-fault", "no_such_fault")
    assert_one_sentence(run, "no_such_fault", "known faults")
