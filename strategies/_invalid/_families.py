"""The public API over the registered families: selecting and drawing invalid cases.

Importing this module imports every family module first, so `INVALID_RULES`
and `invalid_variants()` see all the variants, in a fixed order.
`invalid_create_params()` draws one family, one of its variants, and builds
an `InvalidCase` with exactly one violation.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from strategies._invalid._registry import (
    _VARIANTS,
    ENFORCED_BY,
    EnforcedBy,
    InvalidCase,
    _Variant,
)
from strategies._support import sampled

# The family modules register their variants when imported; this order is the
# order of `_VARIANTS`, hence of `invalid_variants()` and of the tests
# parametrized over it, so it is kept as it was and not sorted.
# isort: off
from strategies._invalid import _mode  # noqa: F401
from strategies._invalid import _items  # noqa: F401
from strategies._invalid import _urls  # noqa: F401
from strategies._invalid import _mode_scoped  # noqa: F401
from strategies._invalid import _bounds  # noqa: F401
from strategies._invalid import _scoped_counts  # noqa: F401
from strategies._invalid import _values  # noqa: F401
from strategies._invalid import _schema_level  # noqa: F401
# isort: on


def _families() -> dict[str, list[_Variant]]:
    families: dict[str, list[_Variant]] = {}
    for variant in _VARIANTS:
        families.setdefault(variant.rule, []).append(variant)
    return dict(sorted(families.items()))


INVALID_RULES: Final[tuple[str, ...]] = tuple(_families())


def invalid_rules(*, enforced_by: EnforcedBy | None = None) -> tuple[str, ...]:
    """The families of `INVALID_RULES` that have `enforced_by` cases (all when None).

    For parametrizing a test over every family, so each one is exercised in every
    run instead of whichever ones a short run happens to draw."""
    if enforced_by is not None and enforced_by not in ENFORCED_BY:
        raise InvalidArgument(
            f"enforced_by={enforced_by!r} must be one of {ENFORCED_BY!r} or None."
        )
    return tuple(
        rule
        for rule, variants in _families().items()
        if enforced_by is None or any(v.enforced_by == enforced_by for v in variants)
    )


def invalid_variants(
    rule: str | None = None, *, enforced_by: EnforcedBy | None = None
) -> tuple[str, ...]:
    """Names of the variants of `rule` (every family when None), each one way to
    break it: "name" or "name:case" for one side of a limit or one field.

    For parametrizing a test over every variant, so each one runs in every run
    (`invalid_create_params(variants=[name])` draws only that one)."""
    if rule is not None and rule not in INVALID_RULES:
        raise InvalidArgument(
            f"rule={rule!r} is not a family; choose from "
            f"INVALID_RULES={INVALID_RULES!r}."
        )
    if enforced_by is not None and enforced_by not in ENFORCED_BY:
        raise InvalidArgument(
            f"enforced_by={enforced_by!r} must be one of {ENFORCED_BY!r} or None."
        )
    return tuple(
        v.name
        for v in _VARIANTS
        if (rule is None or v.rule == rule)
        and (enforced_by is None or v.enforced_by == enforced_by)
    )


def variant_rule(variant: str) -> str:
    """The family (`INVALID_RULES` id) of a variant named by `invalid_variants`."""
    for v in _VARIANTS:
        if v.name == variant:
            return v.rule
    raise InvalidArgument(
        f"variant={variant!r} is unknown; see invalid_variants() for the names."
    )


def invalid_create_params(
    *,
    rules: Collection[str] | None = None,
    enforced_by: EnforcedBy | None = None,
    variants: Collection[str] | None = None,
) -> st.SearchStrategy[InvalidCase]:
    """Invalid `POST /v1/checkout/sessions` params with their expected error.

    Each draw picks a rule family (uniformly among those selected), then one
    of its variants, builds a valid base session and applies exactly one
    violation. It calls `hypothesis.event(f"invalid rule: {rule}")`.

    `rules` restricts the families (ids from `INVALID_RULES`: catalogue ids
    such as "R-05", or family names such as "wrong-type", "unknown-price");
    `enforced_by` keeps only "schema" or only "conditional" cases; `variants`
    keeps only the named variants (`invalid_variants()`), each drawn on its own
    ("name:case" builds that case only).

    Shrinks towards a minimal base session, and among families towards the
    one whose case takes the fewest choices to build.

    Hypothesis spends most of a run mutating earlier examples, so a run of a
    few dozen examples meets only part of the families; to test every rule,
    parametrize over `INVALID_RULES` and pass `rules=[rule]`.
    """
    families = _families()
    if variants is not None:
        if isinstance(variants, str):
            raise InvalidArgument(
                f"variants={variants!r} is a string; pass a collection such as "
                f"[{variants!r}]."
            )
        known = {v.name for v in _VARIANTS}
        unknown_variants = sorted(set(variants) - known)
        if unknown_variants:
            raise InvalidArgument(
                f"variants names unknown variants {unknown_variants!r}; see "
                "invalid_variants() for the names."
            )
        families = {
            rule: kept
            for rule, members in families.items()
            if (kept := [v for v in members if v.name in set(variants)])
        }
    if rules is not None:
        if isinstance(rules, str):
            raise InvalidArgument(
                f"rules={rules!r} is a string; pass a collection such as [{rules!r}]."
            )
        unknown = sorted(set(rules) - set(families))
        if unknown:
            raise InvalidArgument(
                f"rules={sorted(rules)!r} names unknown families {unknown!r}; "
                f"choose from INVALID_RULES={INVALID_RULES!r}."
            )
        families = {r: v for r, v in families.items() if r in set(rules)}
    if enforced_by is not None:
        if enforced_by not in ENFORCED_BY:
            raise InvalidArgument(
                f"enforced_by={enforced_by!r} must be one of {ENFORCED_BY!r} or None."
            )
        families = {
            rule: kept
            for rule, variants in families.items()
            if (kept := [v for v in variants if v.enforced_by == enforced_by])
        }
    if not families:
        raise InvalidArgument(
            f"No invalid family matches rules={rules!r}, "
            f"enforced_by={enforced_by!r} and variants={variants!r}."
        )
    return _invalid_cases(
        tuple((rule, tuple(variants)) for rule, variants in sorted(families.items()))
    )


@st.composite
def _invalid_cases(
    draw: st.DrawFn, families: tuple[tuple[str, tuple[_Variant, ...]], ...]
) -> InvalidCase:
    rule, variants = draw(sampled(families))
    variant = draw(sampled(variants))
    mutation = variant.mutate(draw)
    event(f"invalid rule: {rule}")
    return InvalidCase(
        params=mutation.params,
        rule=rule,
        description=mutation.description,
        status=400,
        error_type="invalid_request_error",
        params_accepted=mutation.params_accepted,
        enforced_by=variant.enforced_by,
    )
