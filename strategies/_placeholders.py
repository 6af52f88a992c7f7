"""Placeholder strings for values that only exist at send time, and their resolver.

Strategies are pure, so an id the run has yet to create, or a timestamp
relative to the moment of sending, is written as a placeholder:

=====================  ====================================================
``<price:NAME>``       id of the price created for ``PRICE_CATALOGUE[NAME]``
``<customer:NAME>``    id of the customer created for ``CUSTOMER_CATALOGUE[NAME]``
``<coupon:NAME>``      id of the coupon created for ``COUPON_CATALOGUE[NAME]``
``<now+SECONDS>``      Unix time at send time plus SECONDS (an int)
``<now-SECONDS>``      Unix time at send time minus SECONDS (an int)
=====================  ====================================================

A placeholder is always a whole string value; text that merely contains one
is left alone. Free text drawn by the strategies never contains ``<`` so it
can never be mistaken for a placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from hypothesis.errors import InvalidArgument

from strategies._fixtures import COUPON_CATALOGUE, CUSTOMER_CATALOGUE, PRICE_CATALOGUE

_PLACEHOLDER: Final = re.compile(
    r"<(?:(?P<kind>price|customer|coupon):(?P<name>[a-z0-9_]+)"
    r"|now(?P<sign>[+-])(?P<seconds>[0-9]+))>"
)
# Anything shaped like a placeholder that does not parse is a mistake worth
# an error, not a literal to send.
_LOOKALIKE: Final = re.compile(r"<(?:price:|customer:|coupon:|now).*>", re.DOTALL)


class PlaceholderError(ValueError):
    """A placeholder could not be resolved (unknown name, missing id, bad syntax)."""


def price_ref(name: str) -> str:
    """The placeholder for the price created for `PRICE_CATALOGUE[name]`."""
    _check_name("price", name, PRICE_CATALOGUE)
    return f"<price:{name}>"


def customer_ref(name: str) -> str:
    """The placeholder for the customer created for `CUSTOMER_CATALOGUE[name]`."""
    _check_name("customer", name, CUSTOMER_CATALOGUE)
    return f"<customer:{name}>"


def coupon_ref(name: str) -> str:
    """The placeholder for the coupon created for `COUPON_CATALOGUE[name]`."""
    _check_name("coupon", name, COUPON_CATALOGUE)
    return f"<coupon:{name}>"


def now_plus(seconds: int) -> str:
    """The placeholder for "send time + seconds" (negative: before send time)."""
    if not isinstance(seconds, int) or isinstance(seconds, bool):
        raise InvalidArgument(f"seconds={seconds!r} must be an int.")
    sign = "-" if seconds < 0 else "+"
    return f"<now{sign}{abs(seconds)}>"


def is_placeholder(value: object) -> bool:
    """True when `value` is a whole, well-formed placeholder string."""
    return isinstance(value, str) and _PLACEHOLDER.fullmatch(value) is not None


def resolve_placeholders(
    params: Mapping[str, Any],
    *,
    prices: Mapping[str, str],
    customers: Mapping[str, str],
    now: int,
    coupons: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return a deep copy of `params` with every placeholder replaced.

    `prices`, `customers` and `coupons` map catalogue names to the ids the run
    created on the target; `now` is the Unix time to send at. Dicts and lists
    are copied (tuples become lists, the shape the form encoder expects); other
    values are kept as they are.

    Raises `PlaceholderError`, naming the parameter path, when a placeholder
    names an entry the mapping lacks or does not parse.
    """
    if not isinstance(now, int) or isinstance(now, bool):
        raise InvalidArgument(f"now={now!r} must be an int Unix timestamp.")
    ids: dict[str, Mapping[str, str]] = {
        "price": prices,
        "customer": customers,
        "coupon": coupons if coupons is not None else {},
    }

    def resolve(value: Any, path: str) -> Any:
        if isinstance(value, Mapping):
            return {
                k: resolve(v, f"{path}[{k}]" if path else str(k))
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [resolve(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, str) and value.startswith("<"):
            return _resolve_string(value, path, ids, now)
        return value

    resolved = resolve(params, "")
    assert isinstance(resolved, dict)
    return resolved


def object_refs(params: Any, path: str = "") -> list[tuple[str, str, str]]:
    """Every object placeholder in `params` as (parameter path, kind, name), in
    order: what a request needs the run to have before it can be sent."""
    if isinstance(params, Mapping):
        return [
            ref
            for k, v in params.items()
            for ref in object_refs(v, f"{path}[{k}]" if path else str(k))
        ]
    if isinstance(params, list | tuple):
        return [
            ref for i, v in enumerate(params) for ref in object_refs(v, f"{path}[{i}]")
        ]
    if isinstance(params, str):
        match = _PLACEHOLDER.fullmatch(params)
        if match is not None and match["kind"] is not None:
            return [(path, match["kind"], match["name"])]
    return []


def _resolve_string(
    value: str, path: str, ids: Mapping[str, Mapping[str, str]], now: int
) -> str | int:
    match = _PLACEHOLDER.fullmatch(value)
    if match is None:
        if _LOOKALIKE.fullmatch(value):
            raise PlaceholderError(
                f"{path}: {value!r} looks like a placeholder but does not parse; "
                "use price_ref(), customer_ref(), coupon_ref() or now_plus()."
            )
        return value
    if match["sign"] is not None:
        offset = int(match["seconds"])
        return now + offset if match["sign"] == "+" else now - offset
    kind, name = match["kind"], match["name"]
    known = ids[kind]
    if name not in known:
        raise PlaceholderError(
            f"{path}: {value} names no {kind} in {kind}s={sorted(known)!r}. "
            f"Create every {kind.upper()}_CATALOGUE entry on the target and "
            "pass the ids it returned."
        )
    return known[name]


def _check_name(kind: str, name: str, catalogue: Mapping[str, object]) -> None:
    if name not in catalogue:
        raise InvalidArgument(
            f"name={name!r} is not in {kind.upper()}_CATALOGUE; "
            f"known names: {sorted(catalogue)!r}."
        )
