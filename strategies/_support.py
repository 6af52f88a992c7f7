"""Plumbing shared by the strategy modules: argument checks and builder caching.

Every public strategy validates its keyword arguments when it is called, not
when a test first draws from it, and raises Hypothesis's `InvalidArgument`
with a message that names the argument, says why the value is refused and
what to pass instead.

Speed rules the modules follow (generation is part of every contract test's
budget): nothing builds a strategy while drawing unless it comes from a
`@cached` builder, since a strategy built afresh is validated afresh on its
first draw; nested objects are assembled by plain functions that take the
`draw` of the enclosing composite, rather than by more composites,
`fixed_dictionaries` (which shuffles its keys with extra choices) or `.map`
chains; every drawn container is built by the code that returns it, so no
two draws, and no two places in one draw, share a mutable object.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Collection, Hashable, Iterable
from typing import ParamSpec, TypeVar, cast

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

T = TypeVar("T")
P = ParamSpec("P")


def cached(build: Callable[P, T]) -> Callable[P, T]:
    """Memoise a strategy builder on its (hashable) arguments.

    Strategies are immutable, and building one costs far more than drawing
    from it (it is validated on first use), so builders called from inside a
    draw must not rebuild on every draw.
    """
    return cast(Callable[P, T], functools.cache(build))


@cached
def integers_between(low: int, high: int) -> st.SearchStrategy[int]:
    """`st.integers(low, high)`, built once per range; shrinks towards `low`."""
    return st.integers(low, high)


@cached
def sampled(values: tuple[T, ...]) -> st.SearchStrategy[T]:
    """`st.sampled_from(values)`, built once per tuple; shrinks to the first."""
    return st.sampled_from(values)


@cached
def subsets(
    names: tuple[str, ...], *, min_size: int, max_size: int
) -> st.SearchStrategy[tuple[str, ...]]:
    """Subsets of `names` of min_size..max_size names, in `names` order.

    One choice per draw, uniform over the subsets; smaller subsets, then
    those of earlier names, come first, so shrinking drops names.
    """
    return st.sampled_from(
        [
            combination
            for size in range(min_size, max_size + 1)
            for combination in itertools.combinations(names, size)
        ]
    )


def distinct_names(names: Iterable[str], *, max_length: int) -> list[str]:
    """`names` with each repeat renamed by a numeric suffix, as `a`, `a2`, `a3`.

    Keeps the number of names, and keeps every name within `max_length`
    (longer stems are cut to fit the suffix). Hypothesis's unique lists reject
    a repeated element and draw another instead, and its generator copies
    list elements onto one another on purpose, which makes such lists waste
    test cases; drawing freely and renaming afterwards wastes none.
    """
    seen: set[str] = set()
    result = []
    for name in names:
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{name[: max_length - len(str(n))]}{n}"
        seen.add(candidate)
        result.append(candidate)
    return result


def first_of_each(items: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    """`items` without those whose `key` an earlier item had (see `distinct_names`)."""
    seen: set[Hashable] = set()
    kept = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


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
