"""Run the contract suite as a user would, in a subprocess, and read what it printed.

The self-tests that judge the suite's own behaviour (verdicts, reports, profiles,
budgets, refusals) run it end to end: a fresh interpreter, the real plugin, real
servers on 127.0.0.1. This module is the one place that knows how.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Variables that would make the child believe it is an xdist worker of this run,
# or point it at another target or key than the test chose.
_INHERITED_NOT = (
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_WORKER_COUNT",
    "PYTEST_XDIST_TESTRUNUID",
    "PYTEST_CURRENT_TEST",
    "PYTEST_ADDOPTS",
    "PYTEST_BASE_URL",
    "STRIPE_API_KEY",
    "CI",
)


@dataclass(frozen=True)
class SuiteRun:
    """What one run of the suite did: exit code, everything printed, seconds taken."""

    returncode: int
    output: str
    seconds: float

    def verdict(self, contract: str) -> str | None:
        """The summary's verdict for `contract` (passed, FAILED, skipped, known,
        ...)."""
        match = re.search(
            rf"^\s+(\S+(?: \S+)?)\s+{re.escape(contract)}(?:\s|$)",
            self.output,
            re.MULTILINE,
        )
        return match.group(1) if match else None

    def verdicts(self) -> dict[str, str]:
        """Every contract line of the summary: contract -> verdict."""
        section = self.output.split("checkout contracts ====", 1)[-1]
        found = {}
        for line in section.splitlines():
            match = re.match(
                r"^  (FAILED|passed|skipped|known|FIXED\?|not judged)\s+(\w+)", line
            )
            if match:
                found[match.group(2)] = match.group(1)
        return found


def run_suite(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    cwd: Path = ROOT,
) -> SuiteRun:
    """`python -m pytest <args>` from the suite's checkout, with a clean environment."""
    child_env = {k: v for k, v in os.environ.items() if k not in _INHERITED_NOT}
    child_env.update(env or {})
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return SuiteRun(
        done.returncode, done.stdout + done.stderr, time.monotonic() - started
    )


@contextmanager
def reference_server_process() -> Iterator[str]:
    """The reference server in a process of its own, as a user starts it by hand
    (`python -m reference_server --port 0`): yields its base URL, and stops it (and
    closes its pipe) on the way out."""
    server = subprocess.Popen(
        [sys.executable, "-m", "reference_server", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip().split()[-1]
    finally:
        server.terminate()
        server.wait(10)
        # The pipe is ours to close; leaving it to the garbage collector turns into a
        # ResourceWarning, which this project treats as an error.
        if server.stdout is not None:
            server.stdout.close()


def junit_cases(path: Path) -> list[dict[str, object]]:
    """Test cases of a JUnit XML report: name, outcome, message, properties."""
    cases = []
    for case in ET.parse(path).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for kind in ("failure", "error", "skipped"):
            node = case.find(kind)
            if node is not None:
                outcome, message = kind, node.get("message", "")
        properties = [(p.get("name"), p.get("value")) for p in case.iter("property")]
        cases.append(
            {
                "name": f"{case.get('classname')}::{case.get('name')}",
                "outcome": outcome,
                "message": message,
                "properties": properties,
            }
        )
    return cases
