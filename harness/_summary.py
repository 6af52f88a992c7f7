"""The end-of-run verdict: every contract with what happened to it.

Built on the controller from test reports (which carry their contracts as
`user_properties`), so a parallel run and a serial one print the same table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from contracts import REGISTRY

# Worst first: one failing test makes the contract fail, whatever the others did.
_RANK = {
    "failed": 0,
    "xpassed": 1,
    "xfailed": 2,
    "passed": 3,
    "not judged": 4,
    "skipped": 5,
}
_LABEL = {
    "failed": "FAILED",
    "xpassed": "FIXED?",
    "xfailed": "known",
    "passed": "passed",
    "not judged": "not judged",
    "skipped": "skipped",
}


@dataclass(slots=True)
class _Outcome:
    outcome: str
    detail: str


class VerdictBook:
    """Collects test outcomes per contract and renders the summary table."""

    def __init__(self) -> None:
        self._by_test: dict[str, tuple[tuple[str, ...], _Outcome]] = {}
        self.requests = 0  # requests sent to the target by every process of the run

    @property
    def has_results(self) -> bool:
        """True once any contract test reported."""
        return bool(self._by_test)

    def record(self, report: Any) -> None:
        """Take one `TestReport` (any phase) into account."""
        contracts = tuple(v for k, v in report.user_properties if k == "contract")
        if not contracts:
            return
        outcome = _outcome_of(report)
        if outcome is None:
            return
        previous = self._by_test.get(report.nodeid)
        if previous is None or _RANK[outcome.outcome] < _RANK[previous[1].outcome]:
            self._by_test[report.nodeid] = (contracts, outcome)

    def verdicts(self) -> dict[str, tuple[str, str, int]]:
        """contract -> (verdict, detail, number of tests), for every registered one."""
        per_contract: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for contracts, outcome in self._by_test.values():
            failing = _failing_contract(outcome)
            for name in contracts:
                if outcome.outcome == "failed" and failing and failing != name:
                    per_contract[name].append(
                        ("not judged", f"the test failed on {failing}")
                    )
                else:
                    per_contract[name].append((outcome.outcome, outcome.detail))
        table: dict[str, tuple[str, str, int]] = {}
        for name in REGISTRY:
            results = per_contract.get(name)
            if not results:
                table[name] = ("not run", "no test selected", 0)
                continue
            worst = min(results, key=lambda r: _RANK[r[0]])
            if worst[0] == "not judged" and any(r[0] == "passed" for r in results):
                worst = ("passed", "")
            table[name] = (worst[0], worst[1], len(results))
        return table

    def lines(self, *, header: list[str]) -> list[str]:
        """The summary: `header` lines, counts, then one line per contract, worst
        first."""
        verdicts = self.verdicts()
        counts: dict[str, int] = defaultdict(int)
        for verdict, _, _ in verdicts.values():
            counts[verdict] += 1
        order = sorted(verdicts, key=lambda n: (_RANK.get(verdicts[n][0], 6), n))
        width = max(len(n) for n in verdicts)
        lines = list(header)
        lines.append(
            "contracts: "
            + ", ".join(
                f"{counts[v]} {v}"
                for v in (
                    "passed",
                    "failed",
                    "skipped",
                    "xfailed",
                    "xpassed",
                    "not judged",
                    "not run",
                )
                if counts[v]
            )
        )
        unselected = [n for n in order if verdicts[n][0] == "not run"]
        for name in order:
            verdict, detail, _ = verdicts[name]
            if verdict == "not run":
                continue
            label = _LABEL.get(verdict, verdict)
            if verdict == "passed":
                detail = ""
            elif verdict == "xpassed":
                detail = "no longer fails: remove it from the baseline"
            detail = detail.removeprefix(f"[{name}] ")
            lines.append(f"  {label:<10} {name:<{width}}  {detail}".rstrip())
        if unselected:
            lines.append(f"  not run (no test selected): {', '.join(unselected)}")
        return lines


def _outcome_of(report: Any) -> _Outcome | None:
    if hasattr(report, "wasxfail"):
        if report.skipped:
            return _Outcome("xfailed", f"known deviation: {report.wasxfail}")
        if report.passed and report.when == "call":
            return _Outcome("xpassed", str(report.wasxfail))
    if report.failed:
        return _Outcome("failed", _crash_message(report))
    if report.skipped:
        return _Outcome("skipped", _skip_reason(report))
    if report.passed and report.when == "call":
        return _Outcome("passed", "")
    return None


def _crash_message(report: Any) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message).splitlines()[0]
    return str(report.longrepr).splitlines()[0] if report.longrepr else "failed"


def _skip_reason(report: Any) -> str:
    if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return "skipped"


def _failing_contract(outcome: _Outcome) -> str | None:
    if outcome.outcome == "failed" and outcome.detail.startswith("["):
        name = outcome.detail[1:].split("]", 1)[0]
        return name if name in REGISTRY else None
    return None
