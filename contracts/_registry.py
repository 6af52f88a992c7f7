"""The contract registry: every invariant of the suite, with what it needs of a target.

A contract is a small function that raises its own `ContractFailure` subclass when the
promise it stands for is broken. `@contract(...)` records it in `REGISTRY` together
with the target capabilities it requires, so the harness can skip it, with a reason
that names the missing capability, on a target that cannot meet it by design.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from contracts._failures import ContractFailure

F = TypeVar("F", bound=Callable[..., None])

#: What a target may or may not be able to do, and why a contract would need it.
CAPABILITIES: Mapping[str, str] = {
    "stateful": "objects persist: retrieve, list, expire and update see earlier writes",
    "derived_fields": "response fields are computed from the request "
    "(amounts, payment_status, url/client_secret, default expires_at, line items)",
    "full_echo": "every create parameter is echoed back, not only a fixture's scalars",
    "conditional_validation": "the catalogue's rules beyond the OpenAPI schema are "
    "enforced (cross-field rules, bounds, list limits, cursor exclusivity)",
    "error_details": "error bodies name the offending `param` and carry a `code`",
    "idempotency": "Idempotency-Key replays and refuses reuse with other parameters",
    "update_endpoint": "POST /v1/checkout/sessions/{id} updates a session",
    "key_validation": "an Authorization header that carries no usable secret key "
    "(malformed, publishable, wrong scheme) is refused with 401",
}


@dataclass(frozen=True, slots=True)
class Contract:
    """One registered invariant.

    `name` is the function's name and reads as the promise ("expire_closes_session");
    `title` is the one-line headline its failure prints; `requires` are capabilities
    from `CAPABILITIES`; `catalogue` cites the rule ids of the contract catalogue.
    A `precondition` contract is checked on the way by any test whose requests must
    succeed before it can judge its own contract; its failure is a finding of its
    own and leaves that test's contract not judged. A contract that
    `judges_every_answer` judges an answer whatever its status (its headers, format,
    error body), so a 5xx is something it judges; any other contract's failure on a
    5xx is the 5xx's finding (`no_server_errors`).
    """

    name: str
    title: str
    requires: frozenset[str]
    catalogue: tuple[str, ...]
    failure: type[ContractFailure]
    check: Callable[..., None]
    precondition: bool = False
    judges_every_answer: bool = False

    def missing(self, capabilities: frozenset[str]) -> frozenset[str]:
        """The capabilities this contract needs that a target does not have."""
        return self.requires - capabilities


class _Registry(Mapping[str, Contract]):
    """Contracts by name; iteration is sorted so xdist workers agree on the order."""

    def __init__(self) -> None:
        self._contracts: dict[str, Contract] = {}

    def add(self, entry: Contract) -> None:
        if entry.name in self._contracts:
            raise ValueError(f"contract {entry.name!r} is registered twice")
        self._contracts[entry.name] = entry

    def __getitem__(self, name: str) -> Contract:
        try:
            return self._contracts[name]
        except KeyError:
            raise KeyError(
                f"unknown contract {name!r}; known contracts: "
                + ", ".join(sorted(self._contracts))
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._contracts))

    def __len__(self) -> int:
        return len(self._contracts)


REGISTRY = _Registry()


def contract(
    *,
    failure: type[ContractFailure],
    requires: frozenset[str] | set[str] = frozenset(),
    catalogue: tuple[str, ...] = (),
    precondition: bool = False,
    judges_every_answer: bool = False,
) -> Callable[[F], F]:
    """Register the decorated function as a contract whose violations raise `failure`.

    Guarantees: the function is registered under its own name; `failure.contract`
    names it and `failure.catalogue` cites its rules, so every raised failure says
    which contract it breaks without a look-up; `precondition` marks a contract any
    test may raise on its way, `judges_every_answer` one a 5xx does not pre-empt (see
    `Contract`); unknown
    capability names are refused at import time, not when a target is judged.
    """
    unknown = set(requires) - set(CAPABILITIES)
    if unknown:
        raise ValueError(
            f"requires={sorted(unknown)!r} names unknown capabilities; "
            f"known: {', '.join(CAPABILITIES)}"
        )

    def register(check: F) -> F:
        if failure.contract and failure.contract != check.__name__:
            raise ValueError(
                f"{failure.__name__} already belongs to contract {failure.contract!r}"
            )
        failure.contract = check.__name__
        failure.catalogue = catalogue
        REGISTRY.add(
            Contract(
                name=check.__name__,
                title=failure.title,
                requires=frozenset(requires),
                catalogue=catalogue,
                failure=failure,
                check=check,
                precondition=precondition,
                judges_every_answer=judges_every_answer,
            )
        )
        return check

    return register


def contract_of(error: BaseException) -> Contract | None:
    """The registered contract a failure belongs to, or None for any other error."""
    if isinstance(error, ContractFailure) and error.contract in REGISTRY:
        return REGISTRY[error.contract]
    return None
