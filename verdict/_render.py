"""Turn a failed test into the report a user reads, instead of a Python traceback.

A contract failure prints its headline, labelled facts, reproduction and response
excerpt, then what Hypothesis adds (the falsifying example). A target that gives no
HTTP answer prints one sentence. Anything else (a bug in the suite itself) keeps
pytest's normal traceback, because hiding it would hide our own bugs; beside a
finding (in one Hypothesis group) it is printed under the finding, headed
`[suite error]`, with its whole traceback. Nested groups are flattened, and a
finding Hypothesis kept twice heads the report once.

The report is built from pytest's own `ExceptionChainRepr`, so it survives the trip
from xdist workers to the controller, and its crash message (the headline) is what
`-ra` summaries and JUnit XML show.
"""

from __future__ import annotations

from pathlib import Path
from traceback import format_exception

from _pytest._code.code import (
    ExceptionChainRepr,
    ReprEntryNative,
    ReprFileLocation,
    ReprTraceback,
)

from client import TargetError
from contracts import ContractFailure


def _serve_command() -> str:
    """How a user starts the reference server: the installed tool's command when the
    suite runs from its wheel (`checkout_contracts/_suite`), else the module's."""
    suite = Path(__file__).resolve().parents[1]
    if suite.name == "_suite" and suite.parent.name == "checkout_contracts":
        return "checkout-contracts serve --port 12111"
    return "python -m reference_server --port 12111"


def _embedded_hint(faults: tuple[str, ...]) -> str:
    """How to replay against the embedded server by hand: the same server, with the
    same faults switched on, since the run's own is gone."""
    command = " ".join([_serve_command(), *(f"--fault {f}" for f in faults)])
    return (
        "(The embedded reference server is gone after the run; to replay by hand, "
        f"start it with `{command}` and replace the URL.)"
    )


def is_ours(error: BaseException) -> bool:
    """True for failures this module renders: a contract failure or a target error,
    alone or grouped by Hypothesis (also with errors of the suite beside them, which
    are rendered with their traceback, so nothing of our own bugs is hidden)."""
    return any(
        isinstance(leaf, ContractFailure | TargetError) for leaf, _ in _leaves(error)
    )


def render_failure(
    error: BaseException,
    *,
    path: str,
    lineno: int,
    embedded: bool,
    faults: tuple[str, ...] = (),
) -> ExceptionChainRepr:
    """The report for a contract failure or target error (see `is_ours`); with
    `embedded`, the replay hint starts the reference server with `faults` on."""
    leaves = _leaves(error)
    lines: list[str] = []
    for number, (part, group_notes) in enumerate(leaves, start=1):
        if len(leaves) > 1:
            lines.append(f"--- distinct failure {number} of {len(leaves)} ---")
        lines += _render_one(part, embedded=embedded, faults=faults)
        lines += _notes(part)
        lines += group_notes
    # One headline per finding: two examples of one contract's failure (Hypothesis
    # keeps both when they were raised at different lines) are one finding.
    headline = "; ".join(dict.fromkeys(_headline(part) for part, _ in leaves))
    entry = ReprEntryNative([line + "\n" for line in lines])
    traceback = ReprTraceback([entry], None, "native")
    return ExceptionChainRepr(
        [(traceback, ReprFileLocation(path, lineno, headline), None)]
    )


def _leaves(error: BaseException) -> list[tuple[BaseException, list[str]]]:
    """The failures inside `error`, nested groups flattened, each with the notes
    of the groups it came in (Hypothesis notes the falsifying example there)."""
    if not isinstance(error, BaseExceptionGroup):
        return [(error, [])]
    found = [leaf for part in error.exceptions for leaf in _leaves(part)]
    notes = _notes(error)
    if found and notes:
        last, last_notes = found[-1]
        found[-1] = (last, last_notes + notes)
    return found


def _headline(error: BaseException) -> str:
    if isinstance(error, ContractFailure):
        return error.headline
    if isinstance(error, TargetError):
        return f"[target error] {error}"
    first = (str(error).splitlines() or [""])[0]
    return f"[suite error] {type(error).__name__}: {first}"


def _render_one(
    error: BaseException, *, embedded: bool, faults: tuple[str, ...]
) -> list[str]:
    if isinstance(error, ContractFailure):
        lines = error.render().splitlines()
        if embedded and (error.exchanges or error.steps):
            lines.append(_embedded_hint(faults))
        return lines
    if isinstance(error, TargetError):
        return [f"[target error] {error}"]
    # A bug of the suite beside a finding: its whole traceback, as pytest would.
    text = "".join(format_exception(type(error), error, error.__traceback__))
    return [_headline(error), *text.splitlines()]


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
