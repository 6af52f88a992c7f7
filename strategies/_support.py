"""Plumbing shared by the strategy modules: argument checks and builder caching.

Every public strategy validates its keyword arguments when it is called, not
when a test first draws from it, and raises Hypothesis's `InvalidArgument`
with a message that names the argument, says why the value is refused and
what to pass instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from typing import ParamSpec, TypeVar, cast

from hypothesis.errors import InvalidArgument

T = TypeVar("T")
P = ParamSpec("P")


def fresh_tree(value: T) -> T:
    """Copy nested dicts and lists so that no two branches share an object.

    Unlike `copy.deepcopy`, which keeps aliasing, this gives every branch its
    own containers: drawn params may hold one `st.just` object at several
    places, and a later edit of one place must not show at the others.
    """
    if isinstance(value, dict):
        return cast(T, {k: fresh_tree(v) for k, v in value.items()})
    if isinstance(value, list):
        return cast(T, [fresh_tree(v) for v in value])
    return value


def cached(build: Callable[P, T]) -> Callable[P, T]:
    """Memoise a strategy builder on its (hashable) arguments.

    Strategies are immutable, and building one (a composite above all, which
    inspects its function's source) costs far more than drawing from it, so
    builders called from inside a draw must not rebuild on every draw.
    """
    return cast(Callable[P, T], functools.cache(build))


def check_choice(name: str, value: T | None, choices: Collection[T]) -> None:
    """Refuse `value` unless it is None (draw one) or one of `choices`."""
    if value is not None and value not in choices:
        raise InvalidArgument(
            f"{name}={value!r} is not one of {tuple(choices)!r}. "
            f"Pass one of those, or {name}=None to let the strategy draw one."
        )


def check_int_range(name: str, value: int, low: int, high: int) -> None:
    """Refuse anything but an int (not a bool) within [low, high]."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidArgument(
            f"{name}={value!r} must be an int, not {type(value).__name__}."
        )
    if not low <= value <= high:
        raise InvalidArgument(
            f"{name}={value!r} is out of range: it must lie in [{low}, {high}]."
        )
