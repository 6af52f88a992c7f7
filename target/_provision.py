"""The objects a run refers to on the target (the catalogue's prices, customers and
coupons), and where each comes from.

Three sources, in this order, object by object: the user's fixtures file
(`--fixture-ids FILE`), then creation through the API with only the parameters the
object needs (the `metadata` tag is dropped when the target refuses it), otherwise
none. What a run cannot have is reported once, in the header, and the tests that
truly need it are skipped with a reason naming the missing endpoint and the fixtures
entry that would enable it; the suite never makes up an id.

The fixtures file is JSON, every part optional:

    {"prices": {"usd_one_time": "price_123", ...},
     "customers": {"alice": "cus_123"},
     "coupons": {"ten_percent_once": "co_123"}}

Names are the catalogue's (`strategies.PRICE_CATALOGUE`, `CUSTOMER_CATALOGUE`,
`COUPON_CATALOGUE`); each id must exist on the target and match the catalogue entry
(currency, amount, recurrence for prices).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from client import CheckoutClient, Exchange
from contracts._helpers import error_summary
from strategies import COUPON_CATALOGUE, CUSTOMER_CATALOGUE, PRICE_CATALOGUE

#: kind -> (fixtures file key, catalogue, endpoint).
KINDS: Mapping[str, tuple[str, Mapping[str, Any], str]] = {
    "price": ("prices", PRICE_CATALOGUE, "/v1/prices"),
    "customer": ("customers", CUSTOMER_CATALOGUE, "/v1/customers"),
    "coupon": ("coupons", COUPON_CATALOGUE, "/v1/coupons"),
}


class FixturesError(Exception):
    """The fixtures file cannot be used; the message names the file and the fix."""


@dataclass(slots=True)
class Provisioned:
    """The ids a run has, by kind and catalogue name, and why the others are
    missing (kind -> name -> reason)."""

    ids: dict[str, dict[str, str]] = field(default_factory=dict)
    missing: dict[str, dict[str, str]] = field(default_factory=dict)

    def id_of(self, kind: str, name: str) -> str | None:
        return self.ids.get(kind, {}).get(name)

    def why_missing(self, kind: str, name: str) -> str:
        """One sentence: why the run has no `kind` `name`, and how to supply it."""
        key, _, _ = KINDS[kind]
        reason = self.missing.get(kind, {}).get(name, "it was not provisioned")
        return (
            f"the run has no {kind} '{name}' ({reason}); give one in a fixtures file "
            f'(--fixture-ids FILE with {{"{key}": {{"{name}": "<id>"}}}}) to judge it'
        )

    def as_wire(self) -> dict[str, Any]:
        return {"ids": self.ids, "missing": self.missing}

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> Provisioned:
        return cls(
            ids={k: dict(v) for k, v in raw["ids"].items()},
            missing={k: dict(v) for k, v in raw["missing"].items()},
        )

    def header_lines(self) -> list[str]:
        """What the report header says about the run's objects."""
        lines = []
        for kind, (key, catalogue, _) in KINDS.items():
            have = len(self.ids.get(kind, {}))
            missing = self.missing.get(kind, {})
            line = f"    {key}: {have} of {len(catalogue)}"
            if missing:
                reasons = sorted(set(missing.values()))
                line += (
                    f"; missing {', '.join(sorted(missing))} ({'; '.join(reasons)}): "
                    f"tests that need them are skipped, give ids with --fixture-ids"
                )
            lines.append(line)
        return lines


def load_fixtures(path: Path) -> dict[str, dict[str, str]]:
    """kind -> name -> id from a fixtures file; FixturesError says what is wrong."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FixturesError(f"--fixture-ids {path}: no such file.") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise FixturesError(
            f"--fixture-ids {path} is not a JSON file ({error}); expected "
            '{"prices": {"<name>": "<id>"}, "customers": {...}, "coupons": {...}}.'
        ) from None
    if not isinstance(raw, dict):
        raise FixturesError(
            f"--fixture-ids {path} holds a JSON {type(raw).__name__}, not an object "
            'like {"prices": {"usd_one_time": "price_123"}}.'
        )
    by_key = {key: kind for kind, (key, _, _) in KINDS.items()}
    unknown = sorted(set(raw) - set(by_key))
    if unknown:
        raise FixturesError(
            f"--fixture-ids {path}: unknown section(s) {', '.join(unknown)}; the "
            f"sections are {', '.join(by_key)}."
        )
    fixtures: dict[str, dict[str, str]] = {}
    for key, entries in raw.items():
        kind = by_key[key]
        catalogue = KINDS[kind][1]
        if not isinstance(entries, dict):
            raise FixturesError(
                f'--fixture-ids {path}: "{key}" must map catalogue names to ids.'
            )
        for name, value in entries.items():
            if name not in catalogue:
                raise FixturesError(
                    f'--fixture-ids {path}: "{key}" names an unknown {kind} {name!r}; '
                    f"known: {', '.join(sorted(catalogue))}."
                )
            if not isinstance(value, str) or not value.strip():
                raise FixturesError(
                    f'--fixture-ids {path}: "{key}"."{name}" must be a non-empty id '
                    f"string, not {value!r}."
                )
        fixtures[kind] = {str(n): str(v) for n, v in entries.items()}
    return fixtures


def provision(
    client: CheckoutClient, fixtures: Mapping[str, Mapping[str, str]]
) -> Provisioned:
    """Every catalogue object: from `fixtures`, else created, else missing with the
    reason. Raises the client's TargetError when the target gives no answer."""
    result = Provisioned()
    for kind, (_, catalogue, endpoint) in KINDS.items():
        ids: dict[str, str] = {}
        missing: dict[str, str] = {}
        endpoint_gone: str | None = None
        for name, spec in catalogue.items():
            given = fixtures.get(kind, {}).get(name)
            if given:
                _check_given(client, kind, name, given, spec)
                ids[name] = given
                continue
            if endpoint_gone:
                missing[name] = endpoint_gone
                continue
            created, why = _create(client, endpoint, spec.create_params())
            if created is not None:
                ids[name] = created
                continue
            missing[name] = why
            if why.endswith("404") or why.endswith("405"):
                endpoint_gone = why  # no endpoint: do not ask again for each name
        result.ids[kind] = ids
        if missing:
            result.missing[kind] = missing
    return result


def _check_given(
    client: CheckoutClient, kind: str, name: str, given: str, spec: Any
) -> None:
    """Raise FixturesError when the target says `given` does not exist, or (for a
    price) that it is not the catalogue's price: a wrong id would otherwise turn
    into failures blamed on the target. A target that cannot be asked (no GET of
    that object) is taken at its word."""
    key, _, endpoint = KINDS[kind]
    exchange = client.request("GET", f"{endpoint}/{given}")
    body = exchange.response.json
    where = f'--fixture-ids: "{key}"."{name}" is {given!r}'
    if exchange.response.status == 404 and isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("code") == "resource_missing":
            raise FixturesError(
                f"{where}, which the target does not have (GET {endpoint}/{given} "
                "answered 404 resource_missing): give the id of an existing one."
            )
    if kind != "price" or exchange.response.status != 200 or not isinstance(body, dict):
        return
    recurring = body.get("recurring")
    found = (
        body.get("currency"),
        body.get("unit_amount"),
        recurring.get("interval") if isinstance(recurring, dict) else None,
    )
    wanted = (
        spec.currency,
        spec.unit_amount,
        spec.recurring.interval if spec.recurring is not None else None,
    )
    if found != wanted:
        raise FixturesError(
            f"{where}, a price of {found[1]!r} {found[0]!r} billed "
            f"{found[2] or 'once'}; the catalogue's {name} is {wanted[1]} "
            f"{wanted[0]} billed {wanted[2] or 'once'}: give a matching price."
        )


def _create(
    client: CheckoutClient, endpoint: str, params: dict[str, Any]
) -> tuple[str | None, str]:
    """(id, "") when the target created the object, else (None, why)."""
    exchange = client.request("POST", endpoint, params=params)
    if exchange.response.status == 400 and "metadata" in params:
        # metadata only tags the suite's objects; a target may not support it.
        untagged = {k: v for k, v in params.items() if k != "metadata"}
        exchange = client.request("POST", endpoint, params=untagged)
    created = created_id(exchange)
    if created is not None:
        return created, ""
    status = exchange.response.status
    if status in (404, 405):
        return None, f"POST {endpoint} answered {status}"
    return None, f"POST {endpoint} was refused: {error_summary(exchange)}"


def created_id(exchange: Exchange) -> str | None:
    """The non-empty string `id` of a 200 JSON object answer, else None."""
    body = exchange.response.json
    if exchange.response.status == 200 and isinstance(body, dict):
        value = body.get("id")
        if isinstance(value, str) and value:
            return value
    return None
