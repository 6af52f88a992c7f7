"""What a contract knows about the run besides the exchanges it judges."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from contracts._registry import CAPABILITIES


class ContractContext:
    """The pinned facts of a run that contracts compare responses with (read-only).

    `livemode` is what objects must say for the key in use (False for test keys);
    `capabilities` are the target's (contracts needing more are skipped by the
    harness before they run, so a check never has to guess); `clock` is our Unix
    clock and `clock_tolerance` the skew allowed between it and the target's.

    A plain class rather than a dataclass on purpose: Hypothesis prints dataclass
    arguments field by field in every falsifying example, and this one is noise
    there; its `repr` is one short line.
    """

    __slots__ = (
        "capabilities",
        "clock",
        "clock_tolerance",
        "livemode",
        "stripe_version",
    )

    def __init__(
        self,
        *,
        stripe_version: str = "2024-04-10",
        livemode: bool = False,
        capabilities: Iterable[str] | None = None,
        clock: Callable[[], float] = time.time,
        clock_tolerance: float = 300.0,
    ) -> None:
        self.stripe_version = stripe_version
        self.livemode = livemode
        self.capabilities = frozenset(
            CAPABILITIES if capabilities is None else capabilities
        )
        self.clock = clock
        self.clock_tolerance = clock_tolerance

    def __repr__(self) -> str:
        return (
            f"ContractContext(stripe_version={self.stripe_version!r}, "
            f"capabilities={len(self.capabilities)} of {len(CAPABILITIES)})"
        )
