"""Known-deviation baselines: gate CI on an imperfect target without hiding new bugs.

A baseline file lists, for one target, the contract failures accepted for now:

    {"target": "my-server",
     "deviations": [{"contract": "list_cursors_are_exclusive",
                     "reason": "both cursors accepted; fix tracked in ISSUE-12",
                     "tests": ["tests/contract/test_lists.py::*"]}]}

`tests` (optional) narrows a deviation to node ids matching any of its globs. A
listed contract failing is reported as a known deviation (xfail, raised by that
contract only); any other failure still fails the run; a listed contract that passes
is reported as "no longer fails: remove it from the baseline".
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path

from contracts import REGISTRY


class BaselineError(Exception):
    """The baseline file cannot be used; the message names the file and the fix."""


@dataclass(frozen=True, slots=True)
class Deviation:
    """One accepted failure of `contract` (in the tests matching `tests`)."""

    contract: str
    reason: str
    tests: tuple[str, ...] = ()

    def covers(self, nodeid: str, contract: str) -> bool:
        """True when this deviation accepts a failure of `contract` in `nodeid`."""
        return contract == self.contract and (
            not self.tests or any(fnmatch.fnmatchcase(nodeid, p) for p in self.tests)
        )


def load_baseline(path: Path) -> tuple[Deviation, ...]:
    """The deviations of a baseline file, checked against the contract registry."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = raw["deviations"]
        deviations = tuple(
            Deviation(
                contract=str(e["contract"]),
                reason=str(e["reason"]),
                tests=tuple(str(t) for t in e.get("tests", ())),
            )
            for e in entries
        )
    except FileNotFoundError:
        raise BaselineError(f"--baseline {path}: no such file.") from None
    except (ValueError, KeyError, TypeError) as error:
        raise BaselineError(
            f"--baseline {path} is not a baseline file "
            f"({type(error).__name__}: {error}); "
            'expected {"deviations": [{"contract": ..., "reason": ...}]}.'
        ) from None
    unknown = sorted({d.contract for d in deviations} - set(REGISTRY))
    if unknown:
        raise BaselineError(
            f"--baseline {path} names unknown contracts: {', '.join(unknown)}; "
            "see the contract list in the README."
        )
    return deviations


def deviation_for(
    deviations: tuple[Deviation, ...], nodeid: str, contract: str
) -> Deviation | None:
    """The first deviation accepting a failure of `contract` in `nodeid`, if any."""
    return next((d for d in deviations if d.covers(nodeid, contract)), None)
