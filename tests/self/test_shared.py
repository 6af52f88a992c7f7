"""Compute-once values shared by the processes of a run (`harness._shared`)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from harness._shared import RunShared
from reference_server import ReferenceServer
from strategies import COUPON_CATALOGUE, CUSTOMER_CATALOGUE, PRICE_CATALOGUE
from tests.self._suite import ROOT, run_suite

# A process that asks for the shared value; computing it is slow on purpose (so
# that the others arrive while it runs) and leaves a line in a tally file.
_ASKER = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from harness._shared import RunShared

    folder, tally = Path(sys.argv[1]), Path(sys.argv[2])

    def compute():
        with tally.open("a") as handle:
            handle.write(f"{os.getpid()}\\n")
        time.sleep(0.5)
        return {"price": f"price_from_{os.getpid()}"}

    print(json.dumps(RunShared(folder, scope="run").once("prices", compute)))
    """
)


def test_concurrent_processes_compute_once_and_all_get_that_value(tmp_path: Path):
    tally = tmp_path / "tally"
    askers = [
        subprocess.Popen(
            [sys.executable, "-c", _ASKER, str(tmp_path / "shared"), str(tally)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    answers = []
    for asker in askers:
        out, _ = asker.communicate(timeout=60)
        assert asker.returncode == 0
        answers.append(json.loads(out))
    computed_by = tally.read_text().split()
    assert len(computed_by) == 1, computed_by
    assert answers == [{"price": f"price_from_{computed_by[0]}"}] * 4


def test_a_failed_computation_stores_nothing(tmp_path: Path):
    shared = RunShared(tmp_path, scope="run")

    def refuse() -> dict[str, str]:
        raise RuntimeError("the target refused")

    with pytest.raises(RuntimeError):
        shared.once("prices", refuse)
    assert shared.once("prices", lambda: {"a": "b"}) == {"a": "b"}
    assert shared.once("prices", lambda: {"a": "other"}) == {"a": "b"}


def test_scopes_and_names_do_not_see_each_other(tmp_path: Path):
    first = RunShared(tmp_path, scope="http://127.0.0.1:1 run-a")
    second = RunShared(tmp_path, scope="http://127.0.0.1:1 run-b")
    assert first.once("prices", lambda: {"x": "1"}) == {"x": "1"}
    assert second.once("prices", lambda: {"x": "2"}) == {"x": "2"}
    assert first.once("customers", lambda: {"x": "3"}) == {"x": "3"}
    assert first.once("prices", lambda: {"x": "4"}) == {"x": "1"}


def test_without_a_folder_nothing_is_shared():
    shared = RunShared(None)
    assert shared.once("prices", lambda: {"x": "1"}) == {"x": "1"}
    assert shared.once("prices", lambda: {"x": "2"}) == {"x": "2"}


def test_workers_of_a_run_create_the_catalogue_once_on_a_target():
    """Two workers, each running every selected test (`--dist each`), against one
    target given by URL: the catalogue's prices, customers and coupons are created
    once for the run, not once per worker."""
    with ReferenceServer() as server:
        run = run_suite(
            "--base-url",
            server.url,
            "-n",
            "2",
            "--dist",
            "each",
            "--contracts",
            "valid_requests_succeed",
            "-k",
            "test_valid_create_is_accepted or test_refusals_have_stripe_error_shape",
        )
        created = Counter(
            entry.path
            for entry in server.request_log()
            if entry.method == "POST" and not entry.path.startswith("/v1/checkout")
        )
    assert run.returncode == 0, run.output[-3000:]
    assert created == {
        "/v1/prices": len(PRICE_CATALOGUE),
        "/v1/customers": len(CUSTOMER_CATALOGUE),
        "/v1/coupons": len(COUPON_CATALOGUE),
    }
