"""The suite's view of a target: the client plus the objects a run refers to.

`Api` resolves the strategies' placeholders (the catalogue objects the run has,
times relative to the moment of sending), remembers every session the run created,
and expires the ones left open when asked to clean up. Every method returns the
`Exchange`; judging it is the contracts' job.

A request that refers to an object the run cannot have is never sent with a made-up
id: in a valid request a missing price is sent inline (`price_data`); otherwise a
generated example is rejected (valid draws) or the test is skipped with the reason
and the `--fixture-ids` entry that would enable it.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import currently_in_test_context, reject

from client import AUTO, Auth, CheckoutClient, Exchange, IdempotencyKeyArg
from strategies import PRICE_CATALOGUE, resolve_placeholders
from strategies._placeholders import object_refs
from target._provision import Provisioned, created_id, provision

SESSIONS_PATH = "/v1/checkout/sessions"
#: A walk that needs more pages than this is reported as never ending.
MAX_PAGES = 50


class ObjectUnavailable(pytest.skip.Exception):  # type: ignore[name-defined]
    """A request needs an object the run cannot have: the test is not judged (a
    skip whose message names the object, why it is missing and how to supply it).
    A state machine may catch it to leave out one step instead of the whole run."""


class Api:
    """Endpoint calls with placeholders resolved and created sessions remembered.

    Thread-safe for parallel creates (the concurrency contract): bookkeeping is
    under a lock. `objects` are the run's catalogue objects, provisioned by the
    controller for a target given by URL; without them (the embedded server, one
    per process) they are provisioned on first use.
    """

    def __init__(
        self,
        client: CheckoutClient,
        *,
        clock: Callable[[], float] = time.time,
        objects: Provisioned | None = None,
    ) -> None:
        self.client = client
        self._clock = clock
        self._lock = threading.Lock()
        self._objects = objects
        self._open_sessions: dict[str, None] = {}

    def __repr__(self) -> str:
        # Hypothesis prints fixtures in its falsifying examples; keep that line short.
        return f"Api({self.client.base_url})"

    # -- what the run refers to on the target --------------------------------------
    @property
    def objects(self) -> Provisioned:
        """The run's catalogue objects (provisioned on first use if not given)."""
        with self._lock:
            if self._objects is None:
                self._objects = provision(self.client, {})
            return self._objects

    def _ids(self, kind: str) -> Mapping[str, str]:
        return self.objects.ids.get(kind, {})

    @property
    def prices(self) -> Mapping[str, str]:
        """Catalogue price name -> id on this target, for the prices the run has."""
        return self._ids("price")

    @property
    def customers(self) -> Mapping[str, str]:
        """Catalogue customer name -> id on this target."""
        return self._ids("customer")

    @property
    def coupons(self) -> Mapping[str, str]:
        """Catalogue coupon name -> id on this target."""
        return self._ids("coupon")

    def new_customer(self, email: str = "contracts@example.com") -> str:
        """A fresh customer of this run; lists filtered by it hold only what the test
        itself created, whatever other traffic the target has. Skips the test when
        the target cannot create customers."""
        exchange = self.client.create_customer({"email": email})
        customer = created_id(exchange)
        if customer is not None:
            return customer
        raise ObjectUnavailable(
            "not judged: the test needs a customer of its own and POST /v1/customers "
            f"answered {exchange.response.status}"
        )

    def resolve(
        self, params: Mapping[str, Any], *, valid: bool = True
    ) -> dict[str, Any]:
        """`params` with every placeholder replaced by its value at this moment.

        `valid` says the request is meant to be valid: a missing price is then sent
        inline and a missing other object rejects the generated example (outside
        a Hypothesis test, skips the test); for a
        request meant to break a rule, any missing object skips the test, because
        changing the request could change the rule it breaks."""
        objects = self.objects
        body = _inline_missing_prices(params, objects) if valid else dict(params)
        for _, kind, name in object_refs(body):
            if objects.id_of(kind, name) is None:
                # Valid draws never send coupons (only rule-breaking ones do), so a
                # coupon ref marks a request meant to be refused, whatever `valid`.
                if valid and kind != "coupon" and currently_in_test_context():
                    reject()
                raise ObjectUnavailable(
                    f"not judged: {objects.why_missing(kind, name)}"
                )
        return resolve_placeholders(
            body,
            prices=self.prices,
            customers=self.customers,
            coupons=self.coupons,
            now=int(self._clock()),
        )

    # -- sessions -----------------------------------------------------------------
    def create_session(
        self,
        params: Mapping[str, Any],
        *,
        expand: list[str] | None = None,
        idempotency_key: IdempotencyKeyArg = AUTO,
        valid: bool = True,
    ) -> Exchange:
        """POST /v1/checkout/sessions with `params` resolved (and `expand[]` added);
        `valid=False` for a request meant to break a rule (see `resolve`)."""
        body = self.resolve(params, valid=valid)
        if expand:
            body["expand"] = list(expand)
        with _interrupts_deferred():
            exchange = self.client.create_session(body, idempotency_key=idempotency_key)
            self._remember(exchange)
        return exchange

    def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        raw_body: bytes | None = None,
        content_type: str | None = None,
        auth: Auth = Auth.API_KEY,
        idempotency_key: IdempotencyKeyArg = AUTO,
    ) -> Exchange:
        """One request exactly as given (no placeholders, no `expand`), for tests
        that provoke the target: odd paths, raw bodies, other keys. A session it
        creates is remembered for cleanup like any other. A request that gets no
        answer raises the client's `TargetError`, carrying the request it sent."""
        exchange = self.client.request(
            method,
            path,
            params=params,
            raw_body=raw_body,
            content_type=content_type,
            auth=auth,
            idempotency_key=idempotency_key,
        )
        if method == "POST" and path == SESSIONS_PATH:
            self._remember(exchange)
        return exchange

    def retrieve(self, session_id: str, *, expand: list[str] | None = None) -> Exchange:
        return self.client.retrieve_session(session_id, expand=expand)

    def list_sessions(self, params: Mapping[str, Any] | None = None) -> Exchange:
        return self.client.list_sessions(self.resolve(params) if params else None)

    def list_line_items(
        self, session_id: str, params: Mapping[str, Any] | None = None
    ) -> Exchange:
        return self.client.list_line_items(session_id, dict(params) if params else None)

    def expire(
        self, session_id: str, *, idempotency_key: IdempotencyKeyArg = AUTO
    ) -> Exchange:
        exchange = self.client.expire_session(
            session_id, idempotency_key=idempotency_key
        )
        if exchange.response.status == 200:
            with self._lock:
                self._open_sessions.pop(session_id, None)
        return exchange

    def update(
        self,
        session_id: str,
        params: Mapping[str, Any],
        *,
        idempotency_key: IdempotencyKeyArg = AUTO,
    ) -> Exchange:
        return self.client.update_session(
            session_id, self.resolve(params), idempotency_key=idempotency_key
        )

    def walk_line_items(
        self,
        session_id: str,
        *,
        limit: int = 100,
        forward: bool = True,
        cursor: str | None = None,
    ) -> list[Exchange]:
        """Pages of the session's line items from `cursor` on, in list order
        (`forward`, following `starting_after`) or back towards the first item
        (`ending_before`), until `has_more` is false, a page fails, or MAX_PAGES."""
        start: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            start["starting_after" if forward else "ending_before"] = cursor
        return self._walk(
            lambda p: self.list_line_items(session_id, p), start, forward=forward
        )

    def walk_sessions(
        self,
        params: Mapping[str, Any],
        *,
        forward: bool = True,
        cursor: str | None = None,
    ) -> list[Exchange]:
        """Pages of the sessions list from `cursor` on, newest first (`forward`,
        following `starting_after`) or back towards the newest (`ending_before`),
        until `has_more` is false, a page fails, or MAX_PAGES."""
        start = dict(params)
        if cursor is not None:
            start["starting_after" if forward else "ending_before"] = cursor
        return self._walk(self.list_sessions, start, forward=forward)

    def _walk(
        self,
        fetch: Callable[[dict[str, Any]], Exchange],
        params: dict[str, Any],
        *,
        forward: bool,
    ) -> list[Exchange]:
        pages: list[Exchange] = []
        while len(pages) < MAX_PAGES:
            page = fetch(params)
            pages.append(page)
            body = page.response.json
            if not isinstance(body, dict):
                break
            data = body.get("data")
            if (
                page.response.status != 200
                or not data
                or body.get("has_more") is not True
            ):
                break
            edge = data[-1] if forward else data[0]
            if not isinstance(edge, dict) or "id" not in edge:
                break
            params = {
                k: v
                for k, v in params.items()
                if k not in ("starting_after", "ending_before")
            }
            params["starting_after" if forward else "ending_before"] = edge["id"]
        return pages

    # -- bookkeeping and cleanup --------------------------------------------------
    def _remember(self, exchange: Exchange) -> None:
        body = exchange.response.json
        if exchange.response.status == 200 and isinstance(body, dict):
            session_id = body.get("id")
            if isinstance(session_id, str) and body.get("status", "open") == "open":
                with self._lock:
                    self._open_sessions[session_id] = None

    @property
    def open_sessions(self) -> list[str]:
        """Sessions this run created and has not seen expired, oldest first."""
        with self._lock:
            return list(self._open_sessions)

    def cleanup(self) -> int:
        """Expire every session this run created and left open; return how many.

        Best effort by design: a session that cannot be expired (already expired or
        completed elsewhere) is skipped; the target's answer is not judged here.
        """
        expired = 0
        for session_id in self.open_sessions:
            exchange = self.client.expire_session(session_id)
            with self._lock:
                self._open_sessions.pop(session_id, None)
            expired += exchange.response.status == 200
        return expired


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (and SIGTERM) until the block ends: a create interrupted between
    sending and reading its answer would leave a session the run cannot expire.
    The client's per-request deadline bounds the wait. Only the main thread can
    hold signals; elsewhere the block runs as is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {
        number: signal.signal(number, lambda received, _: held.append(received))
        for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if held:
            signal.raise_signal(held[0])


def _inline_missing_prices(
    params: Mapping[str, Any], objects: Provisioned
) -> dict[str, Any]:
    """`params` where each line item priced by a catalogue price the run lacks
    carries that price inline as `price_data` instead."""
    body = dict(params)
    items = body.get("line_items")
    if not isinstance(items, list | tuple):
        return body
    inlined = []
    for item in items:
        refs = object_refs(item.get("price")) if isinstance(item, Mapping) else []
        if refs and "price_data" not in item:
            _, kind, name = refs[0]
            if kind == "price" and objects.id_of(kind, name) is None:
                item = {k: v for k, v in item.items() if k != "price"}
                item["price_data"] = PRICE_CATALOGUE[name].inline_params()
        inlined.append(item)
    body["line_items"] = inlined
    return body
