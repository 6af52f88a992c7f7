"""`CheckoutClient`: the one HTTP client of the contract suite.

Public through `client`: `CheckoutClient`, `USER_AGENT`.
"""

from __future__ import annotations

import copy
import json
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from urllib.parse import quote, urlsplit

import requests
from hypothesis import currently_in_test_context, note

from ._auth import Auth
from ._deadline import DeadlineAdapter, Watch
from ._encoding import FORM_CONTENT_TYPE, BracketList, encode_form, urlencode_form
from ._errors import (
    InvalidBaseUrl,
    RequestBudgetExhausted,
    ResponseTooLarge,
    TargetError,
    TargetRateLimited,
    TargetTimeout,
)
from ._ratelimit import RateLimiter
from ._records import (
    AUTO,
    BODY_METHODS,
    Attempt,
    Exchange,
    IdempotencyKeyArg,
    Request,
    Response,
)
from ._redaction import REDACTED, Redactor
from ._retry import CONNECT_RETRY_DELAYS, backoff_delay, parse_retry_after
from ._transport import TIMEOUT_HINT, classify

USER_AGENT = (
    "checkout-contracts (Stripe Checkout Sessions contract suite) "
    f"python-requests/{requests.__version__}"
)

#: The default cap on a response body. A page of 100 sessions, each with 20 line
#: items expanded and the most metadata Stripe allows (50 keys of 500 characters),
#: measures 3.3 MiB against the reference server (tests/self/test_hostile_client.py
#: keeps it under half the cap); so 8 MiB leaves a margin while bounding memory.
DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024
#: The default total, per client, of seconds spent waiting out 429s.
DEFAULT_RATE_LIMIT_BUDGET = 60.0
_CHUNK = 64 * 1024
_SESSIONS = "/v1/checkout/sessions"
_METHOD = re.compile(r"[A-Z]+")
# Each has its own parameter, so a test cannot set it twice in two ways.
_HEADERS_WITH_A_PARAMETER = {
    "authorization": "auth=",
    "idempotency-key": "idempotency_key=",
    "content-type": "content_type=",
}


class CheckoutClient:
    """Sends requests to a Stripe-compatible target and records each as an `Exchange`.

    Guarantees:
    - `request()` and the endpoint helpers return an `Exchange` for every HTTP
      answer, 4xx and 5xx included; judging it is the contracts' job. Only when
      there is no answer at all do they raise a `TargetError` (one sentence naming
      the URL), or `RequestBudgetExhausted` when `max_requests` is used up.
    - Every request carries `Authorization: Bearer <api_key>` (unless told
      otherwise with `auth=`), `Stripe-Version` when one is set, and a
      `User-Agent` naming the suite. Every POST carries an Idempotency-Key: a fresh
      uuid4 unless the caller gives one or passes None.
    - Only a 429 is retried (at most `max_429_retries` times, never when the
      answer says `Stripe-Should-Retry: false`), after its Retry-After (seconds or
      HTTP-date, clamped to [0, 60]) or an exponential backoff with jitter (0.5 s
      doubling to 8 s); a connection that failed before the request reached the
      target (refused, unknown host) is retried twice, after 0.1 s and 0.3 s.
      Every retry reuses the same Idempotency-Key and every attempt is in
      `Exchange.attempts`. A 5xx or 409 is never retried: for a contract suite it
      is a finding. Redirects are not followed: a 3xx is recorded and returned
      like any answer (its `Location` header says where it points), so every
      request judged is the one the suite sent.
    - 429 waits are bounded per client: once waiting out the next 429 would take
      the client's total past `rate_limit_budget` seconds, it raises
      `TargetRateLimited` instead of waiting (the budget is per client, so per
      xdist worker; the harness builds one client per worker).
    - Every attempt has a `deadline` in seconds for the whole exchange (connect,
      headers and body together; default: connect + read timeout), enforced by a
      watchdog that cuts the connection, so a server dripping its answer a byte
      at a time is stopped; past it, a TargetTimeout. `timeout=(connect, read)`
      still bounds each socket operation. The watchdog needs the client's own
      connection pools: with a caller's `session=`, only the body is bounded.
    - A response body is streamed and never kept beyond `max_body_bytes`: a
      larger body (by Content-Length, or once reading passes the cap) raises
      `ResponseTooLarge`, naming the request and the size, and the connection is
      closed without reading the rest.
    - Every attempt, retries included, first waits for `rate_limiter` (if any)
      and counts against `max_requests`.
    - After a timeout (connect or read) the client's circuit breaker opens for
      good: every later request fails at once with a TargetTimeout saying that an
      earlier request hung, so a hung target costs one timeout, not one per
      Hypothesis example.
    - The API key is never stored in a record, a message or cURL output: requests
      are recorded without Authorization, answers are redacted (`redact`) before
      they are recorded, and a request that would carry the key anywhere else
      (path, params, body, headers, literal auth) is refused with ValueError.
    - Inside a Hypothesis test, each Exchange's cURL command is passed to
      `hypothesis.note` (unless `note_curl=False`), so a failure report shows the
      requests of the minimal failing example.

    Thread safety: `request()` and the helpers may be called from several threads
    at once (the suite's concurrency checks do): the `requests.Session` and its
    connection pool are shared, and the attempt counter, the budget and the
    circuit breaker are guarded by a lock. Configure `on_exchange` before sharing
    the client; hooks run on the calling thread, after the Exchange is complete,
    and an exception from a hook propagates to the caller.

    `sleep` and `wall_clock` are seams for the self-tests (no real waiting, a
    fixed "now" for HTTP-date Retry-After values); `session` lets them mount a
    scripted `requests` adapter, and lets a caller share a pool.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        stripe_version: str | None,
        timeout: tuple[float, float] = (5.0, 30.0),
        rate_limiter: RateLimiter | None = None,
        max_requests: int | None = None,
        max_429_retries: int = 5,
        deadline: float | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        rate_limit_budget: float = DEFAULT_RATE_LIMIT_BUDGET,
        key_source: str | None = None,
        session: requests.Session | None = None,
        note_curl: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        source = key_source or "the api_key argument"
        if not isinstance(api_key, str) or not api_key.strip():
            raise ValueError(
                f"The API key from {source} is empty: pass --api-key or set "
                "STRIPE_API_KEY, or set neither to use the built-in local test key "
                "(stripe-mock and the reference server accept sk_test_ followed by "
                "letters and digits)."
            )
        if any(char.isspace() for char in api_key):
            raise ValueError(
                f"The API key from {source} contains whitespace or a line break, so "
                f"it cannot be sent in a header: give the key alone, without a "
                f"'Bearer ' prefix, spaces or a trailing newline."
            )
        self._api_key = api_key
        self._redactor = Redactor(api_key)
        if isinstance(base_url, str) and self._redactor.occurs_in(base_url):
            raise InvalidBaseUrl(
                "The base URL contains the API key: pass the key with --api-key or "
                "STRIPE_API_KEY, never in the URL.",
                url=REDACTED,
            )
        self._base_url = _checked_base_url(base_url)
        if stripe_version is not None:
            self._refuse_key_in("stripe_version", stripe_version)
        self._stripe_version = stripe_version
        connect_timeout, read_timeout = timeout
        if not (connect_timeout > 0 and read_timeout > 0):
            raise ValueError(
                f"timeout={timeout!r} must be two positive numbers of seconds "
                f"(connect, read)."
            )
        self._timeout = (float(connect_timeout), float(read_timeout))
        if deadline is None:
            deadline = self._timeout[0] + self._timeout[1]
        if not deadline > 0:
            raise ValueError(
                f"deadline={deadline!r} must be a positive number of seconds (the "
                f"most one request may take, connect, headers and body together)."
            )
        self._deadline = float(deadline)
        if isinstance(max_body_bytes, bool) or not (
            isinstance(max_body_bytes, int) and max_body_bytes > 0
        ):
            raise ValueError(f"max_body_bytes={max_body_bytes!r} must be an int > 0.")
        self.max_body_bytes = max_body_bytes
        if not rate_limit_budget >= 0:
            raise ValueError(
                f"rate_limit_budget={rate_limit_budget!r} must be >= 0 seconds."
            )
        self._rate_limit_budget = float(rate_limit_budget)
        self._rate_limit_waited = 0.0
        if max_429_retries < 0:
            raise ValueError(f"max_429_retries={max_429_retries!r} must be >= 0.")
        self._rate_limiter = rate_limiter
        self._lock = threading.Lock()
        #: The first request of this client that got no answer: when a target
        #: dies, the likely cause (later requests only find it gone).
        self.first_unanswered: Request | None = None
        self._max_requests: int | None = None
        self.max_requests = max_requests
        self._max_429_retries = max_429_retries
        self._owns_session = session is None
        if session is None:
            session = requests.Session()
            for prefix in ("http://", "https://"):
                session.mount(prefix, DeadlineAdapter())
        self._session = session
        self._note_curl = note_curl
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._rng = random.Random()
        self._requests_sent = 0
        self._hang: str | None = None
        self.on_exchange: list[Callable[[Exchange], None]] = []

    @property
    def base_url(self) -> str:
        """The target's base URL, without a trailing slash."""
        return self._base_url

    @property
    def deadline(self) -> float:
        """Seconds one attempt may take, connect, headers and body together."""
        return self._deadline

    @property
    def rate_limit_budget(self) -> float:
        """Total seconds this client may spend waiting out 429s."""
        return self._rate_limit_budget

    @property
    def rate_limit_waited(self) -> float:
        """Seconds this client has spent (or committed to) waiting out 429s."""
        with self._lock:
            return self._rate_limit_waited

    @property
    def stripe_version(self) -> str | None:
        """The Stripe-Version sent on every request, or None."""
        return self._stripe_version

    @property
    def max_requests(self) -> int | None:
        """The most attempts this client may start (None: no limit). Settable, e.g.
        to None so that cleanup can run after a run used up its budget."""
        with self._lock:
            return self._max_requests

    @max_requests.setter
    def max_requests(self, value: int | None) -> None:
        if value is not None and value < 0:
            raise ValueError(f"max_requests={value!r} must be >= 0 or None.")
        with self._lock:
            self._max_requests = value

    @property
    def requests_sent(self) -> int:
        """Attempts this client has started, from all threads, retries included.

        An attempt whose connection was refused counts too: the count errs on the
        side of the target's rate limits.
        """
        with self._lock:
            return self._requests_sent

    def redact(self, text: str) -> str:
        """`text` with the API key replaced by `$STRIPE_API_KEY` in every spelling
        a server may echo it (as is, JSON escapes, percent-encoding, HTML
        references, base64 as HTTP Basic credentials, split across lines)."""
        return self._redactor(text)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        raw_body: bytes | None = None,
        content_type: str | None = None,
        idempotency_key: IdempotencyKeyArg = AUTO,
        auth: Auth = Auth.API_KEY,
        headers: Mapping[str, str] | None = None,
    ) -> Exchange:
        """Send one request and return its Exchange, whatever the HTTP status.

        - `params` are encoded with `encode_form`: into a form body for POST (also
          PUT and PATCH), into the query string for GET and DELETE (any other
          method). A POST always has Content-Type
          `application/x-www-form-urlencoded`, even with no params.
        - `raw_body` is sent byte for byte instead (not with `params`), with
          exactly `content_type` as Content-Type (None: no Content-Type at all).
          `content_type` also overrides the form type of a params body.
        - `idempotency_key`: AUTO (a fresh uuid4 on POST, nothing otherwise), a
          str to send, or None to send no key.
        - `headers` add or replace headers (Stripe-Version, User-Agent, ...) except
          Authorization, Idempotency-Key and Content-Type, which have parameters.

        Raises a TargetError subclass when no answer came, RequestBudgetExhausted,
        TypeError/ValueError for unencodable params or a malformed call.
        """
        try:
            prepared, record = self._prepare(
                method,
                path,
                params=params,
                raw_body=raw_body,
                content_type=content_type,
                idempotency_key=idempotency_key,
                auth=auth,
                headers=headers,
            )
        except (TypeError, ValueError) as exc:
            # Messages quote the offending argument; a caller's mistake must not
            # become the way the key reaches a report.
            if self._redactor.occurs_in(str(exc)):
                raise type(exc)(self.redact(str(exc))) from None
            raise
        try:
            exchange = self._send(prepared, record)
        except TargetError as error:
            if error.request is None:
                error.request = record
            with self._lock:
                if self.first_unanswered is None:
                    self.first_unanswered = record
            raise
        self._publish(exchange)
        return exchange

    # -- endpoint helpers ------------------------------------------------------

    def create_session(
        self,
        params: Mapping[str, object],
        *,
        idempotency_key: IdempotencyKeyArg = AUTO,
    ) -> Exchange:
        """`POST /v1/checkout/sessions` with `params` as the form body."""
        return self.request(
            "POST", _SESSIONS, params=params, idempotency_key=idempotency_key
        )

    def retrieve_session(
        self, session_id: str, *, expand: Sequence[str] | None = None
    ) -> Exchange:
        """`GET /v1/checkout/sessions/{id}`, with one `expand[]=` per `expand` item."""
        params = {"expand": BracketList(expand)} if expand else None
        return self.request("GET", _session_path(session_id), params=params)

    def list_sessions(self, params: Mapping[str, object] | None = None) -> Exchange:
        """`GET /v1/checkout/sessions` with `params` in the query string."""
        return self.request("GET", _SESSIONS, params=params)

    def list_line_items(
        self, session_id: str, params: Mapping[str, object] | None = None
    ) -> Exchange:
        """`GET /v1/checkout/sessions/{id}/line_items` with `params` in the query."""
        return self.request(
            "GET", f"{_session_path(session_id)}/line_items", params=params
        )

    def expire_session(
        self, session_id: str, *, idempotency_key: IdempotencyKeyArg = AUTO
    ) -> Exchange:
        """`POST /v1/checkout/sessions/{id}/expire` with an empty form body."""
        return self.request(
            "POST",
            f"{_session_path(session_id)}/expire",
            idempotency_key=idempotency_key,
        )

    def update_session(
        self,
        session_id: str,
        params: Mapping[str, object],
        *,
        idempotency_key: IdempotencyKeyArg = AUTO,
    ) -> Exchange:
        """`POST /v1/checkout/sessions/{id}` with `params` as the form body."""
        return self.request(
            "POST",
            _session_path(session_id),
            params=params,
            idempotency_key=idempotency_key,
        )

    def create_price(self, params: Mapping[str, object]) -> Exchange:
        """`POST /v1/prices` (fixture setup for line items)."""
        return self.request("POST", "/v1/prices", params=params)

    def create_customer(self, params: Mapping[str, object]) -> Exchange:
        """`POST /v1/customers` (fixture setup for customer params)."""
        return self.request("POST", "/v1/customers", params=params)

    # -- lifecycle -------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool, if this client created it."""
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> CheckoutClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"CheckoutClient(base_url={self._base_url!r}, "
            f"stripe_version={self._stripe_version!r})"
        )

    # -- internals -------------------------------------------------------------

    def _prepare(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None,
        raw_body: bytes | None,
        content_type: str | None,
        idempotency_key: IdempotencyKeyArg,
        auth: Auth,
        headers: Mapping[str, str] | None,
    ) -> tuple[requests.PreparedRequest, Request]:
        method = _checked_method(method)
        if isinstance(path, str):
            self._refuse_key_in("the path", path)
        _check_path(path)
        if params is not None and raw_body is not None:
            raise ValueError(
                "request() got both params= and raw_body=; send one body only."
            )
        if raw_body is not None and not isinstance(raw_body, bytes):
            raise TypeError(
                f"raw_body must be bytes, got a {type(raw_body).__name__}; encode it "
                f"first so the exact bytes sent are explicit."
            )
        if not isinstance(auth, Auth):
            raise TypeError(
                f"auth={auth!r} is not an Auth; use Auth.API_KEY, Auth.NONE or "
                f"Auth.literal(value)."
            )
        if auth.header_value is not None:
            self._refuse_key_in("the literal Authorization value", auth.header_value)

        in_body = method in BODY_METHODS
        form: tuple[tuple[str, str], ...] | None = None
        if params is not None:
            form = tuple(encode_form(params))
            for pair_name, pair_value in form:
                # The name is checked first: the message for the value quotes it.
                self._refuse_key_in("a param name", pair_name)
                self._refuse_key_in(f"the param {pair_name}", pair_value)
        elif in_body and raw_body is None:
            form = ()
        if raw_body is not None:
            self._refuse_key_in("raw_body", raw_body.decode("utf-8", errors="replace"))

        key = _idempotency_key(idempotency_key, method)
        if content_type is None and form is not None and in_body:
            content_type = FORM_CONTENT_TYPE

        header_list: dict[str, tuple[str, str]] = {}
        for default_name, default_value in (
            ("User-Agent", USER_AGENT),
            ("Stripe-Version", self._stripe_version),
            ("Idempotency-Key", key),
            ("Content-Type", content_type),
        ):
            if default_value is not None:
                header_list[default_name.lower()] = (default_name, default_value)
        for name, value in (headers or {}).items():
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError(
                    f"headers= holds a {type(name).__name__} name with a "
                    f"{type(value).__name__} value; header names and values must "
                    f"be str."
                )
            self._refuse_key_in("a header name", name)
            if name.lower() in _HEADERS_WITH_A_PARAMETER:
                raise ValueError(
                    f"headers= sets {name!r}; pass "
                    f"{_HEADERS_WITH_A_PARAMETER[name.lower()]} instead."
                )
            self._refuse_key_in(f"the {name} header", value)
            header_list[name.lower()] = (name, value)

        url = self._base_url + path
        if form and not in_body:
            url = f"{url}?{urlencode_form(form)}"
        body = raw_body
        if raw_body is None and form is not None and in_body:
            body = urlencode_form(form).encode("ascii")

        prepared = requests.Request(
            method, url, headers=dict(header_list.values()), data=body
        ).prepare()
        prepared_url = prepared.url or url
        record = Request(
            method=method,
            path=path,
            params=copy.deepcopy(params) if params is not None else None,
            form=form,
            raw_body=raw_body,
            content_type=content_type,
            headers=tuple(
                (name, _header_text(value)) for name, value in prepared.headers.items()
            ),
            auth=auth,
            idempotency_key=key,
            url=prepared_url,
        )
        # Added after the record is taken, so that no record can ever hold it.
        if auth.kind == "api_key":
            prepared.headers["Authorization"] = f"Bearer {self._api_key}"
        elif auth.header_value is not None:
            prepared.headers["Authorization"] = auth.header_value
        return prepared, record

    def _send(self, prepared: requests.PreparedRequest, record: Request) -> Exchange:
        started_at = self._wall_clock()
        start = time.monotonic()
        settings = self._session.merge_environment_settings(
            record.url, {}, None, None, None
        )
        # Streamed, so that the body is read under the client's cap and deadline.
        settings["stream"] = True
        attempt_timeout = (
            min(self._timeout[0], self._deadline),
            min(self._timeout[1], self._deadline),
        )
        attempts: list[Attempt] = []
        waited_before = 0.0
        rate_limited = 0
        not_connected = 0
        while True:
            self._check_breaker()
            self._book_attempt()
            if self._rate_limiter is not None:
                self._rate_limiter.acquire()
            sent_at = time.monotonic()
            watch = Watch(self._deadline)
            try:
                with watch:
                    answer = self._session.send(
                        prepared.copy(),
                        timeout=attempt_timeout,
                        allow_redirects=False,
                        **settings,
                    )
                    try:
                        body = self._read_body(answer, record, sent_at)
                    finally:
                        answer.close()
                    if watch.stop():
                        raise _DeadlinePassed
            except _DeadlinePassed:
                raise self._deadline_error(record) from None
            except requests.RequestException as exc:
                if watch.expired:
                    raise self._deadline_error(record) from exc
                failure = classify(
                    exc,
                    base_url=self._base_url,
                    method=record.method,
                    path=record.path,
                    timeout=attempt_timeout,
                    redact=self.redact,
                )
                if failure.kind == "not-connected" and not_connected < len(
                    CONNECT_RETRY_DELAYS
                ):
                    attempts.append(
                        Attempt(
                            status=None,
                            elapsed=time.monotonic() - sent_at,
                            waited_before=waited_before,
                            reason="connect-error",
                        )
                    )
                    waited_before = CONNECT_RETRY_DELAYS[not_connected]
                    not_connected += 1
                    self._sleep(waited_before)
                    continue
                if failure.kind == "read-timeout":
                    self._trip_breaker(
                        f"{record.method} {record.path} got no answer within "
                        f"{attempt_timeout[1]:g} s"
                    )
                elif failure.kind == "connect-timeout":
                    self._trip_breaker(
                        f"no connection was accepted within {attempt_timeout[0]:g} s"
                    )
                raise failure.error from exc
            elapsed = time.monotonic() - sent_at
            response = self._recorded_response(answer, body)
            if response.status != 429:
                attempts.append(
                    Attempt(response.status, elapsed, waited_before, "response")
                )
                break
            attempts.append(Attempt(429, elapsed, waited_before, "429"))
            delay = self._delay_before_retry(response, rate_limited)
            if delay is None:
                break
            self._spend_rate_limit_budget(delay, record)
            rate_limited += 1
            waited_before = delay
            self._sleep(delay)
        return Exchange(
            request=record,
            response=response,
            elapsed=time.monotonic() - start,
            attempts=tuple(attempts),
            started_at=started_at,
        )

    def _read_body(
        self, answer: requests.Response, record: Request, sent_at: float
    ) -> bytes:
        """The body, read in chunks; raises ResponseTooLarge past the cap (and
        `_DeadlinePassed` past the deadline, for sessions without the watchdog)."""
        cap = self.max_body_bytes
        declared = _content_length(answer.headers.get("Content-Length"))
        if declared is not None and declared > cap:
            raise self._too_large(record, answer.status_code, declared)
        body = bytearray()
        for chunk in answer.iter_content(_CHUNK):
            body += chunk
            if len(body) > cap:
                raise self._too_large(record, answer.status_code, None)
            if time.monotonic() - sent_at > self._deadline:
                raise _DeadlinePassed
        return bytes(body)

    def _too_large(
        self, record: Request, status: int, declared: int | None
    ) -> ResponseTooLarge:
        cap = self.max_body_bytes
        size = (
            f"a body of {declared:,} bytes (its Content-Length)"
            if declared is not None
            else f"a body larger than {cap:,} bytes (reading stopped there)"
        )
        return ResponseTooLarge(
            f"{self._base_url} answered {record.method} {record.path} (HTTP "
            f"{status}) with {size}, over the client's cap of {cap:,} bytes, so the "
            f"body was discarded: no Checkout Sessions answer is that large, so check "
            f"that --base-url is the API's root and that the server pages its lists.",
            url=self._base_url,
            size=declared,
            limit=cap,
        )

    def _deadline_error(self, record: Request) -> TargetTimeout:
        self._trip_breaker(
            f"{record.method} {record.path} did not finish within the "
            f"{self._deadline:g} s deadline"
        )
        return TargetTimeout(
            f"{self._base_url} did not answer {record.method} {record.path} in "
            f"full within the {self._deadline:g} s deadline for a whole request "
            f"(connect, headers and body): the server may be hung or dripping its "
            f"answer; {TIMEOUT_HINT}.",
            url=self._base_url,
        )

    def _spend_rate_limit_budget(self, delay: float, record: Request) -> None:
        with self._lock:
            waited = self._rate_limit_waited
            exhausted = waited + delay > self._rate_limit_budget
            if not exhausted:
                self._rate_limit_waited = waited + delay
        if exhausted:
            raise TargetRateLimited(
                f"{self._base_url} kept answering HTTP 429 (Too Many Requests), and "
                f"waiting {delay:g} s more before retrying {record.method} "
                f"{record.path} would take this client's 429 waits to "
                f"{waited + delay:g} s, past its budget of "
                f"{self._rate_limit_budget:g} s: lower --max-rps or the number of "
                f"workers (-n), or run again once the target's rate limit has "
                f"recovered.",
                url=self._base_url,
            )

    def _delay_before_retry(
        self, response: Response, retries_so_far: int
    ) -> float | None:
        advice = (response.header("Stripe-Should-Retry") or "").strip().lower()
        if advice == "false" or retries_so_far >= self._max_429_retries:
            return None
        retry_after = parse_retry_after(
            response.header("Retry-After"), now=self._wall_clock()
        )
        if retry_after is not None:
            return retry_after
        return backoff_delay(retries_so_far, self._rng)

    def _recorded_response(self, answer: requests.Response, body: bytes) -> Response:
        raw = body.decode("utf-8", errors="replace")
        text = self.redact(raw)
        parsed: object = None
        json_error: str | None = None
        if raw.strip():
            try:
                parsed = json.loads(raw)
            except json.JSONDecodeError as error:
                json_error = (
                    f"{error.msg} at line {error.lineno}, column {error.colno} "
                    f"(char {error.pos})"
                )
            except (ValueError, RecursionError):
                json_error = "nested too deeply to parse"
            else:
                # Redacted after decoding: escapes such as \u0073 spell the key in
                # the raw text without containing it, and decoding would reveal it.
                parsed = self._redactor.redact_json(parsed)
        content_type = answer.headers.get("Content-Type")
        return Response(
            status=answer.status_code,
            headers=tuple(
                (self.redact(name), self.redact(value))
                for name, value in answer.headers.items()
            ),
            text=text,
            json=parsed,
            content_type=self.redact(content_type)
            if content_type is not None
            else None,
            json_error=json_error,
        )

    def _publish(self, exchange: Exchange) -> None:
        if self._note_curl and currently_in_test_context():
            note(exchange.to_curl())
        for hook in list(self.on_exchange):
            hook(exchange)

    def _book_attempt(self) -> None:
        with self._lock:
            if (
                self._max_requests is not None
                and self._requests_sent >= self._max_requests
            ):
                raise RequestBudgetExhausted(
                    f"This client's budget of {self._max_requests} requests to "
                    f"{self._base_url} is used up: raise --max-requests, or run "
                    f"fewer examples."
                )
            self._requests_sent += 1

    def _check_breaker(self) -> None:
        with self._lock:
            hang = self._hang
        if hang is not None:
            raise TargetTimeout(
                f"An earlier request to {self._base_url} hung ({hang}), so this "
                f"client fails fast: restart the server, or {TIMEOUT_HINT}.",
                url=self._base_url,
            )

    def _trip_breaker(self, description: str) -> None:
        with self._lock:
            if self._hang is None:
                self._hang = description

    def _refuse_key_in(self, where: str, text: str) -> None:
        if self._redactor.occurs_in(text):
            raise ValueError(
                f"The API key would be sent in {where}; the suite sends it only in "
                f"the Authorization header (auth=Auth.API_KEY), so that no record or "
                f"report can leak it."
            )


class _DeadlinePassed(Exception):
    """Internal: the attempt outlived the client's deadline."""


def _content_length(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


def _checked_base_url(base_url: str) -> str:
    if not isinstance(base_url, str):
        raise InvalidBaseUrl(
            f"The base URL {base_url!r} is not a string: pass http(s)://host[:port], "
            f"such as --base-url http://127.0.0.1:12111.",
            url=str(base_url),
        )
    try:
        parts = urlsplit(base_url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
        parts = None
    if parts is not None and (parts.username is not None or parts.password is not None):
        # Never echo it: credentials in a URL are exactly what must not leak.
        raise InvalidBaseUrl(
            "The base URL contains credentials (user@host): remove them and pass "
            "the key with --api-key or STRIPE_API_KEY instead.",
            url=REDACTED,
        )
    problem = None
    if parts is None or not port_ok:
        problem = "its port is not a number between 1 and 65535"
    elif parts.scheme not in ("http", "https"):
        problem = "it does not start with http:// or https://"
    elif not parts.hostname:
        problem = "it names no host"
    elif parts.query or parts.fragment or "?" in base_url or "#" in base_url:
        problem = "it has a query or fragment"
    if problem is not None:
        raise InvalidBaseUrl(
            f"The base URL {base_url!r} is not usable ({problem}): pass "
            f"http(s)://host[:port] such as --base-url http://127.0.0.1:12111.",
            url=base_url,
        )
    return base_url.rstrip("/")


def _checked_method(method: str) -> str:
    if not isinstance(method, str) or not _METHOD.fullmatch(method.upper()):
        raise ValueError(f"method={method!r} is not an HTTP method name.")
    return method.upper()


def _check_path(path: str) -> None:
    if not isinstance(path, str) or not path.startswith("/"):
        raise ValueError(f"path={path!r} must be a str that starts with '/'.")
    if "?" in path or "#" in path:
        raise ValueError(
            f"path={path!r} contains '?' or '#'; pass query params with params= so "
            f"they are encoded and recorded."
        )
    if any(char.isspace() or ord(char) < 0x20 for char in path):
        raise ValueError(
            f"path={path!r} contains whitespace or control characters; "
            f"percent-encode them."
        )


def _session_path(session_id: str) -> str:
    if not isinstance(session_id, str):
        raise TypeError(f"session_id={session_id!r} must be a str.")
    # safe="" so an id holding "/" or "?" stays one path segment.
    return f"{_SESSIONS}/{quote(session_id, safe='')}"


def _idempotency_key(argument: IdempotencyKeyArg, method: str) -> str | None:
    if argument is AUTO:
        return str(uuid.uuid4()) if method == "POST" else None
    if argument is None or isinstance(argument, str):
        return argument
    raise TypeError(f"idempotency_key={argument!r} must be a str, None or AUTO.")


def _header_text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value
