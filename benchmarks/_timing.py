"""pytest plugin used by benchmarks/suite.py: where a contract run's time goes.

Loaded with `-p benchmarks._timing`; writes one JSON object to the file named by
$CONTRACTS_TIMING_OUT (an xdist worker appends its id to the name, so that each
process writes its own file; the controller's holds zeros): seconds Hypothesis
spent drawing the test arguments (its own per-draw clock,
`ConjectureData.draw_times`, as `--hypothesis-show-statistics` uses; observability
would be exact too, but it slows the run several-fold) and seconds and count of
requests.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from hypothesis.internal.conjecture.data import ConjectureData

from client import CheckoutClient

TOTALS: dict[str, float] = {
    "generate": 0.0,
    "cases": 0,
    "requests": 0,
    "request_seconds": 0.0,
}


def _counting_freeze(freeze: Any) -> Any:
    def wrapper(self: ConjectureData) -> None:
        if not self.frozen:
            TOTALS["cases"] += 1
            TOTALS["generate"] += sum(self.draw_times.values())
        freeze(self)

    return wrapper


def _timed(request: Any) -> Any:
    def wrapper(self: CheckoutClient, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return request(self, *args, **kwargs)
        finally:
            TOTALS["requests"] += 1
            TOTALS["request_seconds"] += time.perf_counter() - started

    return wrapper


def pytest_configure(config: Any) -> None:
    ConjectureData.freeze = _counting_freeze(ConjectureData.freeze)  # type: ignore[method-assign]
    CheckoutClient.request = _timed(CheckoutClient.request)  # type: ignore[method-assign]


def pytest_sessionfinish(session: Any) -> None:
    out = os.environ.get("CONTRACTS_TIMING_OUT")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if out and worker:
        out = f"{out}.{worker}"
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(TOTALS, handle)
