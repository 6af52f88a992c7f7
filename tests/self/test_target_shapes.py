"""Targets we did not write, shaped like the ones users bring: the suite adapts to
what each has and blames none of them for what the suite did.

Each shape is the reference server behind a small proxy (`tests/self/hostile`):
- Checkout-only: no customers or coupons endpoint, prices refuse `metadata`;
- no prices endpoint at all, with existing price ids given by `--fixture-ids`;
- a target that dies on one kind of body.
A schema-validating static mock is the real stripe-mock (`test_stripe_mock.py`).
"""

from __future__ import annotations

import json
import threading

import requests

from reference_server import ReferenceServer
from strategies import PRICE_CATALOGUE
from tests.self._suite import run_suite
from tests.self.hostile import ForwardingProxy, Responder, pass_through

_NO_ROUTE = b'{"error": {"type": "invalid_request_error", "message": "Unrecognized."}}'
# A few contracts of each kind, so that each run stays within seconds: ones that
# create sessions from catalogue prices, ones that need customers, list walks.
_CONTRACTS = (
    "valid_requests_succeed,session_subtotal_is_sum_of_line_items,"
    "retrieve_equals_create,list_filters_select_exactly,conditional_rules_are_enforced,"
    "error_names_offending_param"
)


def _checkout_only(hidden: tuple[str, ...]):
    def hook(responder: Responder) -> None:
        request = responder.request
        if request.path.startswith(hidden):
            responder.send(404, _NO_ROUTE)
        elif request.path.startswith("/v1/prices") and b"metadata" in request.body:
            responder.send(400, b'{"error": {"type": "invalid_request_error"}}')
        else:
            pass_through(responder)

    return hook


def test_a_checkout_only_target_gets_no_false_failure():
    hook = _checkout_only(("/v1/customers", "/v1/coupons"))
    with ReferenceServer() as server, ForwardingProxy(server.url, hook) as proxy:
        run = run_suite("--base-url", proxy.url, "--contracts", _CONTRACTS, "-n", "2")
    assert run.returncode == 0, run.output[-4000:]
    assert "    prices: 12 of 12" in run.output
    assert (
        "    customers: 0 of 2; missing alice, bob (POST /v1/customers answered 404)"
        in run.output
    )
    verdicts = run.verdicts()
    assert "FAILED" not in verdicts.values()
    assert verdicts["session_subtotal_is_sum_of_line_items"] == "passed"
    assert verdicts["list_filters_select_exactly"] == "skipped"
    assert (
        "not judged: the test needs a customer of its own and POST /v1/customers "
        "answered 404" in run.output
    )


def test_a_target_without_prices_runs_on_the_price_ids_it_is_given(tmp_path):
    hook = _checkout_only(("/v1/customers", "/v1/coupons", "/v1/prices"))
    with ReferenceServer() as server, ForwardingProxy(server.url, hook) as proxy:
        # The target's own seed data: prices made behind the proxy's back.
        ids = {}
        for name, spec in PRICE_CATALOGUE.items():
            body = {"currency": spec.currency, "unit_amount": spec.unit_amount}
            body["product_data[name]"] = spec.product_name
            if spec.recurring is not None:
                body["recurring[interval]"] = spec.recurring.interval
            answer = requests.post(
                f"{server.url}/v1/prices",
                data=body,
                headers={"Authorization": "Bearer sk_test_seed"},
                timeout=10,
            )
            ids[name] = answer.json()["id"]
        fixture_ids = tmp_path / "ids.json"
        fixture_ids.write_text(json.dumps({"prices": ids}))
        run = run_suite(
            "--base-url",
            proxy.url,
            f"--fixture-ids={fixture_ids}",
            "--contracts",
            _CONTRACTS,
            "-n",
            "2",
        )
    assert run.returncode == 0, run.output[-4000:]
    assert "    prices: 12 of 12" in run.output
    assert run.verdicts()["session_subtotal_is_sum_of_line_items"] == "passed"


def test_a_target_that_dies_is_named_once_with_the_request_that_killed_it():
    def crash_on_locale(responder: Responder) -> None:
        if b"locale=" in responder.request.body:
            threading.Thread(target=proxy.stop, daemon=True).start()
            responder.cut()
        pass_through(responder)

    with ReferenceServer() as server:
        proxy = ForwardingProxy(server.url, crash_on_locale)
        with proxy:
            run = run_suite(
                "--base-url",
                proxy.url,
                "--contracts",
                "valid_requests_succeed,session_echoes_core_params,"
                "retrieve_equals_create,list_respects_limit,enum_fields_have_known_values",
                "-n",
                "0",
                timeout=120,
            )
    assert run.returncode != 0
    assert "FAILED" not in run.verdicts().values(), run.output[-4000:]
    assert "The first request that got no answer (the likely cause):" in run.output
    cause = run.output.split("(the likely cause):", 1)[1]
    assert "locale=" in cause.split("\n=")[0]
    assert "the target stopped answering" in run.output
    # Contracts whose tests never ran were cut off, not deselected.
    assert "no test selected" not in run.output
