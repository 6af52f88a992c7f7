"""The invalid-case type and the registry every family adds its variants to.

`InvalidCase` is what `invalid_create_params()` draws. `_variant` registers a
builder of one way to break a rule in `_VARIANTS`, in the order the family
modules are imported (`_families` imports them), so `invalid_variants()` lists
them in a fixed order. Nothing here draws by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal, NamedTuple

from hypothesis import strategies as st

from strategies._sessions import Params
from strategies._support import sampled

EnforcedBy = Literal["schema", "conditional"]
ENFORCED_BY: Final[tuple[EnforcedBy, ...]] = ("schema", "conditional")


@dataclass(frozen=True, slots=True)
class InvalidCase:
    """Create params with exactly one violation, and the answer they must get.

    `enforced_by` is "schema" when a validator of the 2024-04-10 OpenAPI
    request schema alone (ignoring `maxLength`, which stripe-mock does not
    enforce) refuses the params: bad enum values, unknown top-level names,
    wrong integer/boolean types, missing nested required fields. Every target
    must refuse those. "conditional" cases break a catalogue rule beyond the
    schema and need the `conditional_validation` capability.
    """

    params: dict[str, object]
    rule: str
    description: str
    status: int
    error_type: str
    params_accepted: frozenset[str | None]
    enforced_by: EnforcedBy


class _Mutation(NamedTuple):
    params: Params
    description: str
    params_accepted: frozenset[str | None]


def _accept(*params: str | None) -> frozenset[str | None]:
    return frozenset(params)


_Build = Callable[[st.DrawFn, str | None], _Mutation]


@dataclass(frozen=True)
class _Variant:
    rule: str
    enforced_by: EnforcedBy
    #: "name" or "name:case", unique across families (see `invalid_variants`).
    name: str
    build: _Build
    #: The case this variant pins (None: the builder draws one, or has none).
    case: str | None = None

    def mutate(self, draw: st.DrawFn) -> _Mutation:
        return self.build(draw, self.case)


_VARIANTS: list[_Variant] = []


def _variant(
    rule: str, enforced_by: EnforcedBy, *, cases: tuple[str, ...] = ()
) -> Callable[[Callable[..., _Mutation]], Callable[..., _Mutation]]:
    """Register a builder of one way to break `rule`.

    A builder with `cases` takes `(draw, case)` and builds exactly that case (one
    side of a limit, one field); each case is registered as its own variant, so a
    test can run every one of them deterministically. Without `cases` it takes
    `(draw)`."""

    def register(build: Callable[..., _Mutation]) -> Callable[..., _Mutation]:
        name = build.__name__.lstrip("_")
        if cases:
            for case in cases:
                _VARIANTS.append(
                    _Variant(rule, enforced_by, f"{name}:{case}", build, case)
                )
        else:
            _VARIANTS.append(
                _Variant(rule, enforced_by, name, lambda draw, _case: build(draw))
            )
        return build

    return register


def _pick(draw: st.DrawFn, case: str | None, cases: tuple[str, ...]) -> str:
    """The pinned `case`, or one drawn from `cases` (shrinks to the first)."""
    return case if case is not None else draw(sampled(cases))
