"""The strategies against a conformant server: valid draws pass, invalid ones are
refused exactly as they claim (status, `error.type`, `error.param`).

This is where the suite's reading of the catalogue (strategies) meets the reference
server's independent reading: a disagreement here is a misreading on one side.
Every invalid family is exercised in every run, and the families, modes, ui_modes
and price kinds drawn are counted so that none is starved.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings

from client import CheckoutClient
from reference_server import ReferenceServer
from strategies import (
    MODES,
    UI_MODES,
    boundary_create_params,
    invalid_create_params,
    invalid_list_params,
    invalid_rules,
    session_create_params,
)
from target import Api


@pytest.fixture(scope="module")
def api():
    with (
        ReferenceServer() as server,
        CheckoutClient(
            server.url,
            "sk_test_strategies_live",
            stripe_version="2024-04-10",
            note_curl=False,
        ) as client,
    ):
        yield Api(client)


def assert_refused_as_claimed(exchange, case) -> None:
    """Exactly the status, `error.type` and an accepted `error.param` of `case`."""
    body = exchange.response.json
    error = body.get("error", {}) if isinstance(body, dict) else {}
    answer = (case, exchange.response.text)
    assert exchange.response.status == case.status, answer
    assert error.get("type") == case.error_type, answer
    assert error.get("param") in case.params_accepted, answer


def _describe(params: dict) -> list[str]:
    items = params.get("line_items") or []
    kinds = {
        "price"
        if "price" in i
        else "unit_amount_decimal"
        if "unit_amount_decimal" in i.get("price_data", {})
        else "unit_amount"
        for i in items
    }
    return [
        f"mode:{params['mode']}",
        f"ui_mode:{params.get('ui_mode', 'hosted')}",
        *(f"price:{k}" for k in kinds),
    ]


def test_every_valid_draw_is_accepted_and_nothing_is_starved(api):
    seen: Counter[str] = Counter()

    @settings(max_examples=150, deadline=None)
    @given(params=session_create_params())
    def accepted(params):
        seen.update(_describe(params))
        exchange = api.create_session(params)
        assert exchange.response.status == 200, exchange.response.text

    accepted()
    needed = (
        {f"mode:{m}" for m in MODES}
        | {f"ui_mode:{u}" for u in UI_MODES}
        | {"price:price", "price:unit_amount", "price:unit_amount_decimal"}
    )
    assert needed <= set(seen), f"starved: {needed - set(seen)}; drawn: {dict(seen)}"


@settings(max_examples=30, deadline=None)
@given(params=boundary_create_params())
def test_every_boundary_draw_is_accepted(api, params):
    exchange = api.create_session(params)
    assert exchange.response.status == 200, exchange.response.text


@pytest.mark.parametrize("rule", invalid_rules())
def test_every_invalid_draw_is_refused_as_it_claims(api, rule):
    @settings(max_examples=10, deadline=None)
    @given(case=invalid_create_params(rules=[rule]))
    def check(case):
        assert_refused_as_claimed(api.create_session(case.params), case)

    check()


@pytest.mark.parametrize(
    "rule",
    [
        "list-cursors-exclusive",
        "list-limit-range",
        "unknown-cursor",
        "bad-enum",
        "wrong-type",
    ],
)
def test_every_invalid_list_draw_is_refused_as_it_claims(api, rule):
    @settings(max_examples=10, deadline=None)
    @given(case=invalid_list_params(rules=[rule]))
    def check(case):
        assert_refused_as_claimed(api.list_sessions(case.params), case)

    check()
