"""What crosses between the xdist controller and its workers.

Guarantees: workers receive the controller's `RunState` unchanged (so every process
judges the same target with the same profile), and the controller learns how many
requests each worker sent.
"""

from __future__ import annotations

from typing import Any

import pytest

from run._run import RUN_STATE, RunState, use_state
from verdict._summary import VerdictBook

_WORKER_KEY = "checkout_contracts"
REQUESTS_KEY = "checkout_requests"


def adopt_controller_state(config: pytest.Config) -> None:
    """On a worker, take the run state the controller decided."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and _WORKER_KEY in workerinput:
        use_state(config, RunState.from_wire(workerinput[_WORKER_KEY]))


class XdistHooks:
    """Hooks that exist only when pytest-xdist is active."""

    def __init__(self, book: VerdictBook) -> None:
        self._book = book

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        state = node.config.stash.get(RUN_STATE, None)
        if state is not None:
            node.workerinput[_WORKER_KEY] = state.as_wire()

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        output = getattr(node, "workeroutput", {}) or {}
        self._book.requests += int(output.get(REQUESTS_KEY, 0))
