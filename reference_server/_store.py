"""The in-memory state of the reference server, safe under concurrent requests.

Objects are JSON-ready dicts or frozen records that are never mutated once
stored: a change (expire, update) stores a new record, so a reader holding an
old one never sees a half-applied change. One lock guards every table.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One Checkout Session as stored; rendering adds status-derived fields.

    `fields` holds every key of the session object in the order Stripe prints
    them; `status`, `metadata` and the values derived from them are kept apart
    because expire and update change them.
    """

    id: str
    seq: int
    created: int
    status: str
    fields: Mapping[str, Any]
    metadata: Mapping[str, str]
    items: tuple[Mapping[str, Any], ...]


@dataclass(slots=True)
class IdempotencyEntry:
    """What an Idempotency-Key remembers: the request's fingerprint and answer."""

    method: str
    path: str
    fingerprint: str
    status: int = 0
    body: bytes = b""
    done: bool = False


@dataclass(frozen=True, slots=True)
class Reserved:
    """The key is new: the caller executes the request, then calls `finish`."""


@dataclass(frozen=True, slots=True)
class Replay:
    """The key already answered the same request: send this answer again."""

    entry: IdempotencyEntry


@dataclass(frozen=True, slots=True)
class Mismatch:
    """The key already answered a different request."""

    entry: IdempotencyEntry


@dataclass(frozen=True, slots=True)
class InFlight:
    """The key's first request is still executing."""


IdempotencyOutcome = Reserved | Replay | Mismatch | InFlight


@dataclass
class Store:
    """Every object the server knows, behind one lock."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _sessions: dict[str, SessionRecord] = field(default_factory=dict)
    _initial: dict[str, SessionRecord] = field(default_factory=dict)
    _order: list[str] = field(default_factory=list)
    _seq: int = 0
    _last_created: int = 0
    _prices: dict[str, JsonObject] = field(default_factory=dict)
    _products: dict[str, JsonObject] = field(default_factory=dict)
    _customers: dict[str, JsonObject] = field(default_factory=dict)
    _coupons: dict[str, JsonObject] = field(default_factory=dict)
    _idempotency: dict[tuple[str, str], IdempotencyEntry] = field(default_factory=dict)

    # -- sessions -------------------------------------------------------------

    def next_created(self, now: int) -> tuple[int, int]:
        """A creation sequence number and a `created` that never goes backwards.

        List order is creation order; keeping `created` monotonic keeps it also
        non-increasing down a newest-first list even if the wall clock steps back.
        """
        with self._lock:
            self._seq += 1
            self._last_created = max(self._last_created, now)
            return self._seq, self._last_created

    def add_session(self, record: SessionRecord) -> None:
        """Store a new session; an id already stored is overwritten (and moves last)."""
        with self._lock:
            if record.id in self._sessions:
                self._order.remove(record.id)
            self._sessions[record.id] = record
            self._initial[record.id] = record
            self._order.append(record.id)

    def has_session(self, session_id: str) -> bool:
        with self._lock:
            return session_id in self._sessions

    def session(self, session_id: str) -> SessionRecord | None:
        with self._lock:
            return self._sessions.get(session_id)

    def initial_session(self, session_id: str) -> SessionRecord | None:
        """The session exactly as it was stored at creation."""
        with self._lock:
            return self._initial.get(session_id)

    def session_unlocked(self, session_id: str) -> SessionRecord | None:
        """`session`, for a caller that already holds `lock()`."""
        return self._sessions.get(session_id)

    def replace_session_unlocked(self, record: SessionRecord) -> None:
        """Store a changed session; the caller holds `lock()`."""
        self._sessions[record.id] = record

    def sessions_oldest_first(self) -> list[SessionRecord]:
        """A consistent snapshot of every session in creation order."""
        with self._lock:
            sessions = self._sessions
            return [sessions[session_id] for session_id in self._order]

    def lock(self) -> threading.Lock:
        """The store's lock, for read-modify-write sequences (expire, update)."""
        return self._lock

    # -- prices, products, customers, coupons ----------------------------------

    def add_price(self, price: JsonObject) -> None:
        with self._lock:
            self._prices[price["id"]] = price

    def price(self, price_id: str) -> JsonObject | None:
        with self._lock:
            return self._prices.get(price_id)

    def add_product(self, product: JsonObject) -> None:
        with self._lock:
            self._products[product["id"]] = product

    def product(self, product_id: str) -> JsonObject | None:
        with self._lock:
            return self._products.get(product_id)

    def add_customer(self, customer: JsonObject) -> None:
        with self._lock:
            self._customers[customer["id"]] = customer

    def customer(self, customer_id: str) -> JsonObject | None:
        with self._lock:
            return self._customers.get(customer_id)

    def add_coupon(self, coupon: JsonObject) -> None:
        with self._lock:
            self._coupons[coupon["id"]] = coupon

    def coupon(self, coupon_id: str) -> JsonObject | None:
        with self._lock:
            return self._coupons.get(coupon_id)

    # -- idempotency ----------------------------------------------------------

    def idempotency_begin(
        self, account: str, key: str, method: str, path: str, fingerprint: str
    ) -> IdempotencyOutcome:
        """Look the key up and, when it is new, reserve it for this request."""
        with self._lock:
            entry = self._idempotency.get((account, key))
            if entry is None:
                self._idempotency[(account, key)] = IdempotencyEntry(
                    method, path, fingerprint
                )
                return Reserved()
            if not entry.done:
                return InFlight()
            if (entry.method, entry.path, entry.fingerprint) == (
                method,
                path,
                fingerprint,
            ):
                return Replay(entry)
            return Mismatch(entry)

    def idempotency_finish(
        self, account: str, key: str, status: int, body: bytes, *, keep: bool
    ) -> None:
        """Remember the answer (`keep`) or forget the key so it can be retried."""
        with self._lock:
            if not keep:
                self._idempotency.pop((account, key), None)
                return
            entry = self._idempotency[(account, key)]
            entry.status = status
            entry.body = body
            entry.done = True
