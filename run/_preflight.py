"""One cheap request before the run, so a bad target gets one sentence, not 50
failures."""

from __future__ import annotations

from client import CheckoutClient, Exchange, TargetError

_PROBE_PATH = "/v1/checkout/sessions"
_MAX_LOCATION = 200


class TargetProblem(Exception):
    """The target cannot be judged; the message says what is wrong and what to do."""


def check_target(
    client: CheckoutClient, base_url: str, *, key_source: str | None = None
) -> None:
    """Raise `TargetProblem` unless `GET /v1/checkout/sessions?limit=1` gets a JSON
    answer that is not a server error, an auth refusal, a redirect, a rate limit or
    a "no such route".

    Guarantees one sentence per problem, saying what was seen: unreachable,
    hanging or dripping (past the client's deadline), not HTTP, a body over the
    client's cap, 429 after the client's retries, a redirect (with its Location;
    the client never follows one), HTML or another non-JSON body, JSON that does
    not parse (with where it stops), an empty body, 401 (naming `key_source`, where
    the key came from, when given), 404 or 5xx on a plain list request. Never
    raises anything else for a misbehaving target. How long it may take is the
    client's business: its timeouts, deadline and 429 budget.
    """
    try:
        probe = client.list_sessions({"limit": 1})
    except TargetError as error:
        raise TargetProblem(str(error)) from None
    response = probe.response
    status = response.status
    what = f"GET {_PROBE_PATH}?limit=1"
    if status == 401:
        key = f"the API key from {key_source}" if key_source else "the API key"
        raise TargetProblem(
            f"The target at {base_url} refused {key} (HTTP 401 to {what}): set "
            "STRIPE_API_KEY or pass --api-key with a test key it accepts."
        )
    if status == 429:
        raise TargetProblem(
            f"The target at {base_url} kept answering HTTP 429 (Too Many Requests) "
            f"to {what}, {len(probe.attempts)} times over {probe.elapsed:.1f} s: "
            "lower --max-rps, or run again once its rate limit has recovered."
        )
    if 300 <= status < 400:
        location = response.header("Location")
        where = (
            f"redirecting to {_clip(location)}"
            if location
            else "without a Location header"
        )
        raise TargetProblem(
            f"The target at {base_url} answered {what} with HTTP {status} {where}: "
            "the suite does not follow redirects (every request it judges is the one "
            "it sent), so pass the API's root itself as --base-url."
        )
    if status >= 500:
        raise TargetProblem(
            f"The target at {base_url} answered HTTP {status} to a plain list request "
            f"({what}), so it fails before any contract can be judged: check its logs, "
            "then run the suite again."
        )
    if status == 404:
        raise TargetProblem(_not_found(client, base_url, probe))
    if response.json is None:
        served = response.content_type or "a body without a Content-Type"
        if not response.text.strip():
            raise TargetProblem(
                f"The target at {base_url} answered {what} with HTTP {status} and an "
                "empty body, not JSON: --base-url must be the API's root (for example "
                "https://api.stripe.com or http://127.0.0.1:12111)."
            )
        if response.json_error is not None and "json" in served.lower():
            raise TargetProblem(
                f"The target at {base_url} answered {what} with {served} (HTTP "
                f"{status}) that does not parse as JSON ({response.json_error}): fix "
                "the server's JSON output, or check that --base-url is the API's root."
            )
        raise TargetProblem(
            f"The target at {base_url} answered {what} with {served}, not JSON: "
            "--base-url must be the API's root (for example https://api.stripe.com or "
            "http://127.0.0.1:12111), not a web page or another service."
        )


def _not_found(client: CheckoutClient, base_url: str, probe: Exchange) -> str:
    """The sentence for a 404 on the list: a Stripe-like API without Checkout
    Sessions (its other routes answer Stripe-shaped JSON errors) or a wrong URL."""
    served = probe.response.content_type or "no Content-Type"
    if base_url.rstrip("/").endswith("/v1"):
        return (
            f"The target at {base_url} answered HTTP 404 ({served}) to GET "
            f"{_PROBE_PATH}: --base-url must be the API's root, without the /v1 "
            f"suffix (the suite adds it): try {base_url.rstrip('/')[:-3]}."
        )
    try:
        elsewhere: Exchange | None = client.request(
            "GET", "/v1/prices", params={"limit": 1}
        )
    except TargetError:
        elsewhere = None
    if elsewhere is not None and (
        elsewhere.response.status == 200 or _is_stripe_error(elsewhere)
    ):
        return (
            f"The target at {base_url} answers like a Stripe API (GET /v1/prices got "
            f"HTTP {elsewhere.response.status}) but GET {_PROBE_PATH} got HTTP 404 "
            f"({served}): it does not implement Checkout Sessions, which is all this "
            "suite judges; check that the server you started has them."
        )
    return (
        f"The target at {base_url} answered HTTP 404 ({served}) to GET {_PROBE_PATH} "
        "and does not answer like a Stripe API elsewhere either: --base-url must be "
        "the API's root, with no /v1 suffix (for example http://127.0.0.1:12111)."
    )


def _is_stripe_error(exchange: Exchange) -> bool:
    body = exchange.response.json
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and isinstance(error.get("type"), str)


def _clip(text: str) -> str:
    # The Location is the target's text: quoted so that its end is visible, and
    # clipped so that a hostile one cannot flood the terminal.
    text = text.strip()
    if len(text) > _MAX_LOCATION:
        text = text[: _MAX_LOCATION - 1] + "…"
    return repr(text)
