"""What a contract knows about the run besides the exchanges it judges."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from contracts._registry import CAPABILITIES


@dataclass(frozen=True, slots=True)
class ContractContext:
    """The pinned facts of a run that contracts compare responses with.

    `livemode` is what objects must say for the key in use (False for test keys);
    `capabilities` are the target's (contracts needing more are skipped by the
    harness before they run, so a check never has to guess); `clock` is our Unix
    clock and `clock_tolerance` the skew allowed between it and the target's.
    """

    stripe_version: str = "2024-04-10"
    livemode: bool = False
    capabilities: frozenset[str] = field(default_factory=lambda: frozenset(CAPABILITIES))
    clock: Callable[[], float] = time.time
    clock_tolerance: float = 300.0

    def __repr__(self) -> str:
        # Shown in every falsifying example Hypothesis prints: keep it to one line.
        return (f"ContractContext(stripe_version={self.stripe_version!r}, "
                f"capabilities={len(self.capabilities)})")
