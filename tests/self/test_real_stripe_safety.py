"""The real-Stripe profile is safe: rate budget, request cap, cleanup, no leaked key.

The reference server stands in for Stripe and counts what it receives: the run
must never exceed the request budget in any one-second window with two workers,
must stop at its request cap, and must leave no session it created open, even when
interrupted. A recognisable fake key must appear in no output and no file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from reference_server import ReferenceServer
from run._keys import LOCAL_TEST_KEY, KeyRefused, refuse_unsafe_key
from tests.self._suite import ROOT, run_suite

STRIPE_TEST = ("--target-profile", "stripe-test")
CANARY = "sk_test_CANARYcanary" + "Q7x" * 8


def open_sessions(url: str) -> list[str]:
    """Every open session on a reference server (a fresh server holds only this
    run's)."""
    ids, params = [], {"status": "open", "limit": 100}
    headers = {"Authorization": "Bearer sk_test_inspector"}
    while True:
        page = requests.get(
            f"{url}/v1/checkout/sessions", params=params, headers=headers, timeout=10
        ).json()
        ids += [s["id"] for s in page["data"]]
        if not page["has_more"]:
            return ids
        params["starting_after"] = page["data"][-1]["id"]


def max_in_any_second(times: list[float]) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_rate_budget_holds_with_two_workers_and_cleanup_leaves_nothing_open():
    with ReferenceServer() as server:
        run = run_suite(
            "--base-url",
            server.url,
            *STRIPE_TEST,
            "--max-rps",
            "25",
            "--contracts",
            "list_forward_walk_is_complete,valid_requests_succeed,"
            "session_echoes_core_params,unknown_session_is_404",
            "-n",
            "2",
            timeout=600,
        )
        log = server.request_log()
        still_open = open_sessions(server.url)
    assert run.returncode == 0, run.output[-3000:]
    assert "request budget: 25.0 req/s" in run.output
    assert len(log) > 100, "the run must be long enough to test the budget"
    assert max_in_any_second([r.arrived_at for r in log]) <= 25
    creates = [
        r for r in log if r.method == "POST" and r.path == "/v1/checkout/sessions"
    ]
    assert creates, "the run created sessions"
    assert still_open == [], f"cleanup left {len(still_open)} sessions open"


def test_a_cap_spent_in_a_fixture_skips_its_tests_never_errors():
    """The cap runs out while a fixture sets up (the list tests' sessions): those
    tests are skipped with the cap's reason, not errors, and the run does not fail
    (exit 1 says a contract was broken)."""
    with ReferenceServer() as server:
        run = run_suite(
            "--base-url", server.url, "--max-requests", "120",
            "--contracts", "list_filters_select_exactly,list_forward_walk_is_complete",
            "-n", "0", "-rs",
        )  # fmt: skip
    assert run.returncode == 0, run.output[-3000:]
    assert " error" not in run.output.splitlines()[-1], run.output[-3000:]
    assert "request cap (--max-requests 120) is used up" in run.output
    assert "Traceback" not in run.output
    assert "RequestBudgetExhausted" not in run.output


def test_request_cap_stops_the_run_and_says_so():
    with ReferenceServer() as server:
        run = run_suite(
            "--base-url",
            server.url,
            *STRIPE_TEST,
            "--max-requests",
            "30",
            "--max-rps",
            "1000",
            "--contracts",
            "valid_requests_succeed",
            "-n",
            "0",
        )
        sent = server.request_log()
        still_open = open_sessions(server.url)
    assert run.returncode == 0, run.output[-3000:]
    assert "request cap (--max-requests 30) is used up" in run.output
    expires = [r for r in sent if r.path.endswith("/expire")]
    # The cap binds the whole run, the controller's preflight and objects included;
    # cleanup runs beyond it, so that nothing stays open.
    assert len(sent) - len(expires) <= 30
    assert still_open == []


def test_a_cap_smaller_than_the_setup_is_one_sentence():
    with ReferenceServer() as server:
        run = run_suite("--base-url", server.url, *STRIPE_TEST, "--max-requests", "5")
    assert run.returncode == 4, run.output[-3000:]
    assert "--max-requests 5 is used up before any test" in run.output
    assert "Traceback" not in run.output


def test_interrupted_run_still_cleans_up():
    with ReferenceServer() as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "--base-url",
                server.url,
                *STRIPE_TEST,
                "--max-rps",
                "50",
                "--contracts",
                "valid_requests_succeed",
                "-n",
                "0",
                "--hypothesis-profile",
                "contracts-fuzz",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(open_sessions(server.url)) < 20:
            time.sleep(0.2)
        assert open_sessions(server.url), "the run should have created sessions by now"
        os.killpg(child.pid, signal.SIGINT)
        output = child.communicate(timeout=120)[0].decode()
        still_open = open_sessions(server.url)
    assert still_open == [], (
        f"{len(still_open)} left open after Ctrl-C:\n{output[-2000:]}"
    )
    assert "Traceback" not in output.split("KeyboardInterrupt")[0]


def test_key_never_appears_in_any_output_or_file(tmp_path):
    """A recognisable key, targets that fail and even echo the key back: it must show
    up nowhere: terminal, JUnit XML, saved regressions, Hypothesis' database."""
    storage = tmp_path / "hypothesis"
    junit = tmp_path / "junit.xml"
    saved = tmp_path / "regressions"
    with ReferenceServer(
        faults={"echo_key_in_errors", "subtotal_skips_last_item", "unknown_session_400"}
    ) as server:
        run = run_suite(
            "--base-url",
            server.url,
            "--api-key",
            CANARY,
            "--contracts",
            "session_subtotal_is_sum_of_line_items,"
            "unknown_session_is_404,errors_have_stripe_shape,"
            "schema_violations_are_rejected",
            "--hypothesis-profile",
            "contracts-fuzz",
            "--save-regressions",
            f"--regressions-dir={saved}",
            f"--junitxml={junit}",
            "-n",
            "2",
            env={"HYPOTHESIS_STORAGE_DIRECTORY": str(storage)},
            timeout=600,
        )
    assert run.returncode == 1, run.output[-3000:]
    assert "$STRIPE_API_KEY" in run.output, "reproductions show the key as a variable"
    assert list(saved.rglob("*.json")), "failures were saved"
    assert any(storage.rglob("*")), "the fuzz database was written"
    forms = _forms_of(CANARY)
    leaks = [form for form in forms if form in run.output]
    for path in [junit, *saved.rglob("*"), *storage.rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            leaks += [f"{path}: {form}" for form in forms if form.encode() in data]
    assert not leaks, leaks


def _forms_of(key: str) -> list[str]:
    import base64
    from urllib.parse import quote

    return [key, quote(key), base64.b64encode(f"{key}:".encode()).decode(), key[8:]]


# -- live keys are recognised in every form, and messages say where the key came from


def _basic(text: str) -> str:
    import base64

    return base64.b64encode(text.encode()).decode()


LIVE_SECRET = "x" * 24


@pytest.mark.parametrize(
    "key",
    [
        f"sk_live_{LIVE_SECRET}",
        f"rk_live_{LIVE_SECRET}",
        f"SK_LIVE_{LIVE_SECRET}",
        f"Sk_Live_{LIVE_SECRET}",
        f"Bearer sk_live_{LIVE_SECRET}",
        f"bearer   rk_live_{LIVE_SECRET}",
        f"  sk_live_{LIVE_SECRET}\n",
        _basic(f"sk_live_{LIVE_SECRET}:"),
        _basic(f"sk_live_{LIVE_SECRET}"),
        f"Basic {_basic(f'rk_live_{LIVE_SECRET}:')}",
        f"Basic {_basic(f'SK_LIVE_{LIVE_SECRET}:')}".rstrip("="),
    ],
)
@pytest.mark.parametrize(
    "source", ["--api-key", "$STRIPE_API_KEY", "the built-in local test key"]
)
def test_every_form_of_a_live_key_is_refused_naming_its_source(key, source):
    with pytest.raises(KeyRefused) as caught:
        refuse_unsafe_key(key, source)
    message = str(caught.value)
    assert message.startswith(
        f"Refusing to run: the API key from {source} is a live-mode key ("
    )
    assert "\n" not in message
    assert LIVE_SECRET not in message
    assert key.strip() not in message


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("Bearer sk_test_abc", "starts with an Authorization scheme"),
        ("basic sk_test_abc", "starts with an Authorization scheme"),
        (" sk_test_abc", "contains whitespace or a line break"),
        ("sk_test_abc\n", "contains whitespace or a line break"),
        ("pk_test_abc", "is a publishable key (pk_test_…)"),
        ("Bearer PK_LIVE_abc", "is a publishable key (pk_live_…)"),
    ],
)
@pytest.mark.parametrize("source", ["--api-key", "$STRIPE_API_KEY"])
def test_unusable_keys_are_refused_naming_their_source(key, says, source):
    with pytest.raises(KeyRefused) as caught:
        refuse_unsafe_key(key, source)
    assert str(caught.value).startswith(f"The API key from {source} {says}")


@pytest.mark.parametrize("key", ["sk_test_abc", "rk_test_abc", LOCAL_TEST_KEY])
def test_test_keys_pass(key):
    refuse_unsafe_key(key, "--api-key")
