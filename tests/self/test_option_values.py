"""Option values that cannot mean anything end the run before any request, with one
sentence naming the option (exit 4), never a traceback per test."""

from __future__ import annotations

import pytest

from tests.self._suite import run_suite


@pytest.mark.parametrize(
    ("option", "sentence"),
    [
        (("--request-timeout", "0"), "--request-timeout 0.0: give seconds greater"),
        (("--rate-limit-wait", "-1"), "--rate-limit-wait -1.0: give seconds, 0 or"),
        (("--max-rps", "0"), "--max-rps 0.0: give requests per second greater than 0"),
        (("--max-requests", "0"), "--max-requests 0: give requests, at least 1"),
        (("--stripe-version", "garbage"), "--stripe-version 'garbage' is not a"),
        (("--contracts", ""), "--contracts names no contract"),
        (("--api-key", ""), "The API key from --api-key is empty"),
        (("--api-key", "  "), "The API key from --api-key is empty"),
        (
            ("--hypothesis-profile", "contracts-gat"),
            "--hypothesis-profile 'contracts-gat' is not a registered profile",
        ),
    ],
)
def test_a_meaningless_value_is_one_sentence(option, sentence):
    run = run_suite(*option, "-n", "0")
    assert run.returncode == 4, run.output[-2000:]
    assert sentence in run.output
    assert "Traceback" not in run.output
