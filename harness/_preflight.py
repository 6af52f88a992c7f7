"""One cheap request before the run, so a bad target gets one sentence, not 50
failures."""

from __future__ import annotations

from client import CheckoutClient, TargetError

_PROBE_PATH = "/v1/checkout/sessions"


class TargetProblem(Exception):
    """The target cannot be judged; the message says what is wrong and what to do."""


def check_target(client: CheckoutClient, base_url: str) -> None:
    """Raise `TargetProblem` unless `GET /v1/checkout/sessions?limit=1` gets a JSON
    answer that is not a server error, an auth refusal or a "no such route".

    Guarantees one sentence per problem: unreachable, hanging, not HTTP, HTML instead
    of JSON, 401, 404 or 5xx on a plain list request. Never raises anything else for
    a misbehaving target.
    """
    try:
        probe = client.list_sessions({"limit": 1})
    except TargetError as error:
        raise TargetProblem(str(error)) from None
    status = probe.response.status
    what = f"GET {_PROBE_PATH}?limit=1"
    if status == 401:
        raise TargetProblem(
            f"The target at {base_url} refused the API key (HTTP 401 to {what}): set "
            "STRIPE_API_KEY or pass --api-key with a test key it accepts."
        )
    if status >= 500:
        raise TargetProblem(
            f"The target at {base_url} answered HTTP {status} to a plain list request "
            f"({what}), so it fails before any contract can be judged: check its logs, "
            "then run the suite again."
        )
    if probe.response.json is None:
        served = probe.response.content_type or "a body without a Content-Type"
        raise TargetProblem(
            f"The target at {base_url} answered {what} with {served}, not JSON: "
            "--base-url must be the API's root (for example https://api.stripe.com or "
            "http://127.0.0.1:12111), not a web page or another service."
        )
    if status == 404:
        raise TargetProblem(
            f"The target at {base_url} does not serve {_PROBE_PATH} (HTTP 404): "
            "--base-url must be the API's root, with no /v1 suffix (for example "
            "http://127.0.0.1:12111)."
        )
