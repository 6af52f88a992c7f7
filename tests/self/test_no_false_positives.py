"""No false positives: the correct server passes with fresh randomness, seed after seed.

CI runs three seeds of the `contracts-random` profile; scripts/no_false_positives.py
runs twenty and keeps the record in docs/no-false-positives.md.
"""

from __future__ import annotations

import pytest

from tests.self._suite import run_suite


@pytest.mark.parametrize("seed", [101, 202, 303])
def test_correct_server_is_green_for_a_fresh_seed(seed):
    run = run_suite(
        "--hypothesis-profile",
        "contracts-random",
        f"--hypothesis-seed={seed}",
        "-n",
        "0",
        "-q",
        timeout=600,
    )
    assert run.returncode == 0, run.output[-5000:]
