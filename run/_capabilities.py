"""What a target can do, decided capability by capability by cheap probes.

A contract that needs a capability the target lacks is skipped with a reason naming
the capability and the evidence, never silently passed and never failed. Each probe
is one or two requests; the only object a probe may create (a session, when the
target accepts one) is expired again before the run starts, so nothing is left open.

Guarantees: `probe_capabilities` never raises for an odd answer (an answer it cannot
read means "no", with the answer as evidence); a transport failure propagates as the
client's `TargetError`, which the preflight turns into one sentence.
"""

from __future__ import annotations

import secrets
import string
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from client import Auth, CheckoutClient, Exchange
from contracts import CAPABILITIES
from target._provision import created_id

_PROBE_KEY = "checkout_contracts_probe"
#: A probe answered 5xx is asked again this many times in all: a 5xx says nothing
#: about a capability, and a target that fails now and then must not lose one.
_ATTEMPTS = 3


class ProbeFailed(Exception):
    """A capability probe kept getting 5xx; the message says which and what to do."""


def _asked(send: Callable[[], Exchange], what: str) -> Exchange:
    """The answer to `send()`, asked again while it is a 5xx (see `_ATTEMPTS`)."""
    for _ in range(_ATTEMPTS):
        exchange = send()
        if exchange.response.status < 500:
            return exchange
    raise ProbeFailed(
        f"The target answered HTTP {exchange.response.status} {_ATTEMPTS} times to "
        f"the capability probe '{what}' ({exchange.request.method} "
        f"{exchange.request.path}), so what it can do cannot be told: fix that "
        "error, or name what it can do with --target-profile or --capability."
    )


_PROBE_AMOUNT = 1234
_PROBE_QUANTITY = 2


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether the target has one capability, and what showed it."""

    capability: str
    present: bool
    evidence: str


def _never_created_id() -> str:
    alphabet = string.ascii_letters + string.digits
    return "cs_test_" + "".join(secrets.choice(alphabet) for _ in range(24))


def _status(exchange: Exchange) -> str:
    error = exchange.response.json
    if isinstance(error, dict) and isinstance(error.get("error"), dict):
        detail = error["error"]
        parts = [str(detail.get(k)) for k in ("type", "code", "param") if detail.get(k)]
        return f"HTTP {exchange.response.status} ({', '.join(parts)})"
    return f"HTTP {exchange.response.status}"


def _probe_session_params(*, metadata: bool = True, **extra: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "mode": "payment",
        "success_url": "https://example.com/success",
        "line_items": [
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": _PROBE_AMOUNT,
                    "product_data": {"name": "checkout-contracts capability probe"},
                },
                "quantity": _PROBE_QUANTITY,
            }
        ],
        **extra,
    }
    if metadata:
        params["metadata"] = {_PROBE_KEY: "1"}
    return params


def probe_capabilities(client: CheckoutClient) -> dict[str, Decision]:
    """Decide every capability of `contracts.CAPABILITIES` for the target."""
    decisions: dict[str, Decision] = {}

    def decide(name: str, present: object, evidence: str) -> None:
        decisions[name] = Decision(name, bool(present), evidence)

    unknown = _asked(lambda: client.retrieve_session(_never_created_id()), "stateful")
    stateful = unknown.response.status != 200
    decide(
        "stateful",
        stateful,
        f"GET of a session id never created answered {_status(unknown)}",
    )

    refused = _asked(
        lambda: client.request(
            "GET",
            "/v1/checkout/sessions",
            params={"limit": 1},
            auth=Auth.literal("Bearer pk_test_checkoutContractsProbe"),
        ),
        "key_validation",
    )
    decide(
        "key_validation",
        refused.response.status == 401,
        f"a publishable key in the Authorization header got {_status(refused)}",
    )

    unknown_param = _asked(
        lambda: client.list_sessions({"limit": 1, _PROBE_KEY: "1"}), "error_details"
    )
    body = unknown_param.response.json
    error = body.get("error") if isinstance(body, dict) else None
    decide(
        "error_details",
        isinstance(error, dict) and error.get("param") == _PROBE_KEY,
        f"an unknown list parameter got {_status(unknown_param)}",
    )

    created: list[str] = []
    try:
        _probe_with_sessions(client, decide, created, stateful=stateful)
    finally:
        if stateful:
            for session_id in created:
                client.expire_session(session_id)
    return decisions


def _probe_with_sessions(
    client: CheckoutClient,
    decide: Any,
    created: list[str],
    *,
    stateful: bool,
) -> None:
    too_soon = _asked(
        lambda: client.create_session(
            _probe_session_params(metadata=False, expires_at=int(time.time()) + 60)
        ),
        "conditional_validation",
    )
    _remember(too_soon, created)
    decide(
        "conditional_validation",
        too_soon.response.status == 400,
        f"a session expiring in 60 s (the catalogue's minimum is 30 min) got "
        f"{_status(too_soon)}",
    )

    key = str(uuid.uuid4())
    first = _asked(
        lambda: client.create_session(_probe_session_params(), idempotency_key=key),
        "the probe session",
    )
    if first.response.status != 200 or not created_id(first):
        first = _asked(
            lambda: client.create_session(
                _probe_session_params(metadata=False), idempotency_key=key
            ),
            "the probe session",
        )
    _remember(first, created)
    session = first.response.json if isinstance(first.response.json, dict) else None
    if session is None or first.response.status != 200:
        why = f"the probe session (payment, one inline price) got {_status(first)}"
        for name in ("derived_fields", "full_echo", "idempotency", "update_endpoint"):
            decide(name, None, why)
        return
    decide(
        "derived_fields",
        session.get("amount_subtotal") == _PROBE_AMOUNT * _PROBE_QUANTITY,
        f"a session of {_PROBE_QUANTITY} x {_PROBE_AMOUNT} answered amount_subtotal "
        f"{session.get('amount_subtotal')!r}",
    )
    decide(
        "full_echo",
        session.get("metadata") == {_PROBE_KEY: "1"},
        f"metadata sent as {{{_PROBE_KEY!r}: '1'}} read back as "
        f"{_short(session.get('metadata'))}",
    )
    replay = _asked(
        lambda: client.create_session(_probe_session_params(), idempotency_key=key),
        "idempotency",
    )
    _remember(replay, created)
    decide(
        "idempotency",
        stateful and created_id(replay) == created_id(first),
        "a create repeated with its Idempotency-Key answered "
        + (
            "the same session"
            if created_id(replay) == created_id(first)
            else f"{_status(replay)} with another session"
        )
        + ("" if stateful else " (a stateless target cannot keep keys)"),
    )
    update = _asked(
        lambda: client.update_session(
            str(created_id(first)), {"metadata": {_PROBE_KEY: "2"}}
        ),
        "update_endpoint",
    )
    updated = update.response.json if isinstance(update.response.json, dict) else {}
    decide(
        "update_endpoint",
        update.response.status == 200
        and (updated.get("metadata") or {}).get(_PROBE_KEY) == "2",
        f"POST /v1/checkout/sessions/{{id}} with metadata got {_status(update)}",
    )


def _remember(exchange: Exchange, created: list[str]) -> None:
    session_id = created_id(exchange)
    if session_id and session_id not in created:
        created.append(session_id)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_overrides(raw: list[str]) -> dict[str, bool]:
    """`--capability NAME=yes|no` values as a mapping; ValueError names the bad one."""
    overrides: dict[str, bool] = {}
    for item in raw:
        name, _, value = item.partition("=")
        if name not in CAPABILITIES or value.lower() not in {"yes", "no"}:
            raise ValueError(
                f"--capability {item!r}: give NAME=yes or NAME=no with NAME one of "
                + ", ".join(CAPABILITIES)
            )
        overrides[name] = value.lower() == "yes"
    return overrides


def table_lines(decisions: Mapping[str, Decision]) -> list[str]:
    """The capability table of the report header: one line per capability."""
    width = max(len(n) for n in CAPABILITIES)
    return [
        f"    {'yes' if d.present else 'no ':<3} {d.capability:<{width}}  {d.evidence}"
        for d in (decisions[n] for n in CAPABILITIES if n in decisions)
    ]
