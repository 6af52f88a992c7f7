"""Turn a failed test into the report a user reads, instead of a Python traceback.

A contract failure prints its headline, labelled facts, reproduction and response
excerpt, then what Hypothesis adds (the falsifying example). A target that gives no
HTTP answer prints one sentence. Anything else (a bug in the suite itself) keeps
pytest's normal traceback, because hiding it would hide our own bugs.

The report is built from pytest's own `ExceptionChainRepr`, so it survives the trip
from xdist workers to the controller, and its crash message (the headline) is what
`-ra` summaries and JUnit XML show.
"""

from __future__ import annotations

from _pytest._code.code import (
    ExceptionChainRepr,
    ReprEntryNative,
    ReprFileLocation,
    ReprTraceback,
)

from client import TargetError
from contracts import ContractFailure

_EMBEDDED_HINT = (
    "(The embedded reference server is gone after the run; to replay by hand, start it "
    "with `python -m reference_server --port 12111` and replace the URL.)"
)


def is_ours(error: BaseException) -> bool:
    """True for failures this module renders: contract failures and target errors,
    alone or grouped by Hypothesis."""
    if isinstance(error, BaseExceptionGroup):
        return all(is_ours(e) for e in error.exceptions)
    return isinstance(error, ContractFailure | TargetError)


def render_failure(
    error: BaseException, *, path: str, lineno: int, embedded: bool
) -> ExceptionChainRepr:
    """The report for a contract failure or target error (see `is_ours`)."""
    parts = list(error.exceptions) if isinstance(error, BaseExceptionGroup) else [error]
    lines: list[str] = []
    for number, part in enumerate(parts, start=1):
        if len(parts) > 1:
            lines.append(f"--- distinct failure {number} of {len(parts)} ---")
        lines += _render_one(part, embedded=embedded)
        lines += _notes(part)
    if isinstance(error, BaseExceptionGroup):
        lines += _notes(error)
    # One headline per finding: two examples of one contract's failure (Hypothesis
    # keeps both when they were raised at different lines) are one finding.
    headline = "; ".join(dict.fromkeys(_headline(part) for part in parts))
    entry = ReprEntryNative([line + "\n" for line in lines])
    traceback = ReprTraceback([entry], None, "native")
    return ExceptionChainRepr(
        [(traceback, ReprFileLocation(path, lineno, headline), None)]
    )


def _headline(error: BaseException) -> str:
    if isinstance(error, ContractFailure):
        return error.headline
    return f"[target error] {error}"


def _render_one(error: BaseException, *, embedded: bool) -> list[str]:
    if isinstance(error, ContractFailure):
        lines = error.render().splitlines()
        if embedded and (error.exchanges or error.steps):
            lines.append(_EMBEDDED_HINT)
        return lines
    return [f"[target error] {error}"]


def _notes(error: BaseException) -> list[str]:
    """What Hypothesis attached: the falsifying example, reproduction hints."""
    notes = getattr(error, "__notes__", None) or []
    lines = []
    for note in notes:
        if str(note).startswith("Failed to reproduce exception."):
            # Hypothesis appends the original traceback: for a target that
            # answered otherwise on replay, that is noise, not a lead.
            lines.append(
                "Hypothesis replayed this example and the target answered "
                "differently (the finding above is what it answered first)."
            )
            continue
        lines += str(note).splitlines()
    return lines
