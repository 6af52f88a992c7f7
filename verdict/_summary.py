"""The end-of-run verdict: every contract with what happened to it.

Built on the controller from test reports, which carry their verdict as data
(`user_properties`: the contracts a test is marked with, the contracts whose failure
it raised, why its own contracts were not judged), so a parallel run and a serial
one print the same table and no row is ever guessed from message text.

Guarantees: a contract is FAILED whenever any test raised its failure (also a test
marked with another contract, for precondition contracts); a baseline entry reads
`known` while any test it covers still fails, and `FIXED?` only when every test it
covers passed; a failed test's other contracts read `not judged`, with the reason,
unless another test judged them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from contracts import REGISTRY

# Worst first: one failing test makes the contract fail, whatever the others did; a
# known deviation that still fails somewhere is known, not fixed.
_RANK = {
    "failed": 0,
    "xfailed": 1,
    "xpassed": 2,
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


_COUNTED = {"xfailed": "known", "xpassed": "FIXED?"}


@dataclass(frozen=True, slots=True)
class _Result:
    """What one test says about one contract."""

    contract: str
    outcome: str
    detail: str


class VerdictBook:
    """Collects test outcomes per contract and renders the summary table."""

    def __init__(self) -> None:
        self._by_test: dict[str, tuple[int, list[_Result]]] = {}
        self._unanswered: dict[str, str] = {}
        # The first request that got no answer, as cURL: the likely cause when a
        # target dies mid-run (reports arrive in the order tests finished).
        self._first_unanswered: str | None = None
        # Why the run stopped early (a target gone, or rate limiting for good).
        self._stopped: str | None = None
        self.requests = 0  # requests sent to the target by every process of the run

    @property
    def has_results(self) -> bool:
        """True once any contract test reported."""
        return bool(self._by_test)

    def record(self, report: Any) -> None:
        """Take one `TestReport` (any phase) into account; the worst phase wins."""
        properties = list(report.user_properties)
        marked = [v for k, v in properties if k == "contract"]
        if not marked:
            return
        results = _results_of(report, marked, properties)
        if not results:
            return
        rank = min(_RANK[r.outcome] for r in results)
        previous = self._by_test.get(report.nodeid)
        if previous is None or rank < previous[0]:
            self._by_test[report.nodeid] = (rank, results)
            if report.failed and not _failed_contracts(properties):
                self._unanswered[report.nodeid] = results[0].detail
            request = next(
                (v for k, v in properties if k == "unanswered_request"), None
            )
            if request is not None and self._first_unanswered is None:
                self._first_unanswered = request
        stopped = next((v for k, v in properties if k == "run_stopped"), None)
        if stopped is not None and self._stopped is None:
            self._stopped = str(stopped)

    def verdicts(self) -> dict[str, tuple[str, str, int]]:
        """contract -> (verdict, detail, number of tests), for every registered one."""
        per_contract: dict[str, list[_Result]] = defaultdict(list)
        for _, results in self._by_test.values():
            for result in results:
                per_contract[result.contract].append(result)
        table: dict[str, tuple[str, str, int]] = {}
        for name in REGISTRY:
            found = per_contract.get(name)
            if not found:
                table[name] = ("not run", "no test selected", 0)
                continue
            worst = min(found, key=lambda r: _RANK[r.outcome])
            if worst.outcome == "not judged" and any(
                r.outcome == "passed" for r in found
            ):
                worst = _Result(name, "passed", "")
            table[name] = (worst.outcome, worst.detail, len(found))
        return table

    def lines(self, *, header: list[str], interrupted: bool = False) -> list[str]:
        """The summary: `header` lines, counts, then one line per contract, worst
        first, then the tests that ended without any contract judged."""
        verdicts = self.verdicts()
        counts: dict[str, int] = defaultdict(int)
        for verdict, _, _ in verdicts.values():
            counts[verdict] += 1
        order = sorted(verdicts, key=lambda n: (_RANK.get(verdicts[n][0], 6), n))
        width = max(len(n) for n in verdicts)
        lines = list(header)
        if self._stopped is not None:
            lines.append(f"The run stopped early: {self._stopped}")
        lines.append(
            "contracts: "
            + ", ".join(
                # The rows' words, so the count and the rows read alike.
                f"{counts[v]} {_COUNTED.get(v, v)}"
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
                detail = "no longer fails anywhere: remove it from the baseline"
            lines.append(f"  {label:<10} {name:<{width}}  {detail}".rstrip())
        if unselected:
            why = (
                "the run stopped before their tests"
                if interrupted
                else "no test selected"
            )
            lines.append(f"  not run ({why}): {', '.join(unselected)}")
        if self._unanswered:
            first = sorted(self._unanswered.items())[0]
            lines.append(
                f"{len(self._unanswered)} failed test(s) judged no contract; "
                f"first: {first[0]}: {first[1]}"
            )
        if self._first_unanswered is not None:
            lines.append("The first request that got no answer (the likely cause):")
            lines += ["  " + line for line in self._first_unanswered.splitlines()]
        return lines


def _failed_contracts(properties: list[tuple[str, Any]]) -> list[str]:
    return [v for k, v in properties if k == "failed_contract"]


def _results_of(
    report: Any, marked: list[str], properties: list[tuple[str, Any]]
) -> list[_Result]:
    """What `report` says about each contract it concerns."""
    if hasattr(report, "wasxfail"):
        if report.skipped:
            detail = f"known deviation: {report.wasxfail}"
            return [_Result(m, "xfailed", detail) for m in marked]
        if report.passed and report.when == "call":
            return [_Result(m, "xpassed", str(report.wasxfail)) for m in marked]
    if report.failed:
        failed = _failed_contracts(properties)
        reason = next((v for k, v in properties if k == "not_judged"), None)
        results = [_Result(f, "failed", REGISTRY[f].title) for f in failed]
        if not failed and reason is None:
            # A failure outside a call (a fixture, the setup of a target object):
            # the test's own contracts were not judged, and the report says why.
            reason = _crash_message(report)
        results += [
            _Result(m, "not judged", reason or "") for m in marked if m not in failed
        ]
        return results
    if report.skipped:
        return [_Result(m, "skipped", _skip_reason(report)) for m in marked]
    if report.passed and report.when == "call":
        return [_Result(m, "passed", "") for m in marked]
    return []


def _crash_message(report: Any) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message).splitlines()[0]
    return str(report.longrepr).splitlines()[0] if report.longrepr else "failed"


def _skip_reason(report: Any) -> str:
    if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return "skipped"
