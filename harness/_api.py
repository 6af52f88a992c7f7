"""The suite's view of a target: the client plus what a run creates on it.

`Api` resolves the strategies' placeholders (prices and customers the run created,
times relative to the moment of sending), remembers every session the run created,
and expires the ones left open when asked to clean up. Every method returns the
`Exchange`; judging it is the contracts' job.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from client import AUTO, CheckoutClient, Exchange, IdempotencyKeyArg
from contracts._helpers import error_summary
from harness._shared import RunShared
from strategies import (
    COUPON_CATALOGUE,
    CUSTOMER_CATALOGUE,
    PRICE_CATALOGUE,
    resolve_placeholders,
)

SESSIONS_PATH = "/v1/checkout/sessions"
#: A walk that needs more pages than this is reported as never ending.
MAX_PAGES = 50


class TargetSetupError(Exception):
    """The target refused what the suite must create before it can judge anything
    (its prices and customers); the message says which request and why."""


class Api:
    """Endpoint calls with placeholders resolved and created sessions remembered.

    Thread-safe for parallel creates (the concurrency contract): bookkeeping is
    under a lock; the catalogue's prices, customers and coupons are created once, on
    first use, and once per run when `shared` shares them between processes.
    """

    def __init__(
        self,
        client: CheckoutClient,
        *,
        clock: Callable[[], float] = time.time,
        shared: RunShared | None = None,
    ) -> None:
        self.client = client
        self._clock = clock
        self._shared = shared or RunShared(None)
        self._lock = threading.Lock()
        self._prices: dict[str, str] | None = None
        self._customers: dict[str, str] | None = None
        self._coupons: dict[str, str] | None = None
        self._open_sessions: dict[str, None] = {}

    def __repr__(self) -> str:
        # Hypothesis prints fixtures in its falsifying examples; keep that line short.
        return f"Api({self.client.base_url})"

    # -- what the run creates on the target ---------------------------------------
    @property
    def prices(self) -> Mapping[str, str]:
        """Catalogue price name -> id on this target (created on first use)."""
        with self._lock:
            if self._prices is None:
                self._prices = self._shared.once(
                    "prices",
                    lambda: {
                        name: self._create_fixture(
                            "price", spec.create_params(), self.client.create_price
                        )
                        for name, spec in PRICE_CATALOGUE.items()
                    },
                )
            return self._prices

    @property
    def customers(self) -> Mapping[str, str]:
        """Catalogue customer name -> id on this target (created on first use)."""
        with self._lock:
            if self._customers is None:
                self._customers = self._shared.once(
                    "customers",
                    lambda: {
                        name: self._create_fixture(
                            "customer",
                            spec.create_params(),
                            self.client.create_customer,
                        )
                        for name, spec in CUSTOMER_CATALOGUE.items()
                    },
                )
            return self._customers

    @property
    def coupons(self) -> Mapping[str, str]:
        """Catalogue coupon name -> id on this target (created on first use).

        Only invalid requests use coupons (two discounts; discounts together with
        promotion codes), where the rule under test is broken whether or not the
        coupon exists. So a target without `POST /v1/coupons` (404) gets ids that
        name nothing instead of a setup failure."""
        with self._lock:
            if self._coupons is None:
                self._coupons = self._shared.once("coupons", self._create_coupons)
            return self._coupons

    def _create_coupons(self) -> dict[str, str]:
        coupons = {}
        for name, spec in COUPON_CATALOGUE.items():
            exchange = self.client.request(
                "POST", "/v1/coupons", params=spec.create_params()
            )
            if exchange.response.status == 404:
                coupons[name] = f"coupon_unsupported_by_target_{name}"
                continue
            coupons[name] = self._fixture_id("coupon", exchange)
        return coupons

    def new_customer(self, email: str = "contracts@example.com") -> str:
        """A fresh customer of this run; lists filtered by it hold only what the test
        itself created, whatever other traffic the target has."""
        return self._create_fixture(
            "customer", {"email": email}, self.client.create_customer
        )

    def _create_fixture(
        self,
        kind: str,
        params: dict[str, Any],
        create: Callable[[dict[str, Any]], Exchange],
    ) -> str:
        return self._fixture_id(kind, create(params))

    def _fixture_id(self, kind: str, exchange: Exchange) -> str:
        body = exchange.response.json
        if (
            exchange.response.status != 200
            or not isinstance(body, dict)
            or "id" not in body
        ):
            raise TargetSetupError(
                f"The target refused to create a {kind} the suite needs "
                f"({error_summary(exchange)}): the suite creates its own {kind}s with "
                f"POST /v1/{kind}s, as it must on real Stripe, so the target has to "
                f"support that endpoint. Request: {exchange.to_curl()}"
            )
        return str(body["id"])

    def resolve(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """`params` with every placeholder replaced by its value at this moment."""
        return resolve_placeholders(
            dict(params),
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
    ) -> Exchange:
        """POST /v1/checkout/sessions with `params` resolved (and `expand[]` added)."""
        body = self.resolve(params)
        if expand:
            body["expand"] = list(expand)
        exchange = self.client.create_session(body, idempotency_key=idempotency_key)
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

    def walk_line_items(self, session_id: str, *, limit: int = 100) -> list[Exchange]:
        """Every page of the session's line items, following `starting_after`."""
        return self._walk(
            lambda p: self.list_line_items(session_id, p),
            {"limit": limit},
            forward=True,
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
