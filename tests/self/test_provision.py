"""The objects a run refers to: from the fixture-ids file, else created (with the
metadata tag dropped when a target refuses it), else missing with a reason; and what
a request needing a missing object becomes (inline price, rejected draw, skip)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from client import CheckoutClient
from reference_server import ReferenceServer
from strategies import PRICE_CATALOGUE, customer_ref, price_ref
from target import Api, ObjectUnavailable
from target._provision import FixturesError, Provisioned, load_fixtures, provision
from tests.self.hostile import ForwardingProxy, Responder, pass_through

KEY = "sk_test_provisionSelfTest"


def _checkout_only(responder: Responder) -> None:
    """No customers or coupons endpoint; prices refuse `metadata`."""
    request = responder.request
    if request.path.startswith(("/v1/customers", "/v1/coupons")):
        responder.send(404, b'{"error": {"type": "invalid_request_error"}}')
    elif request.path.startswith("/v1/prices") and b"metadata" in request.body:
        responder.send(400, b'{"error": {"type": "invalid_request_error"}}')
    else:
        pass_through(responder)


@pytest.fixture(scope="module")
def checkout_only_url():
    with ReferenceServer() as server, ForwardingProxy(server.url, _checkout_only) as p:
        yield p.url


def test_objects_come_from_the_file_first_then_creation(checkout_only_url):
    with CheckoutClient(checkout_only_url, KEY, stripe_version="2024-04-10") as client:
        spec = PRICE_CATALOGUE["usd_one_time"]
        seeded = client.create_price(
            {
                "currency": spec.currency,
                "unit_amount": spec.unit_amount,
                "product_data": {"name": "seeded"},
            }
        ).response.json
        assert isinstance(seeded, dict)
        got = provision(client, {"price": {"usd_one_time": seeded["id"]}})
    assert got.ids["price"]["usd_one_time"] == seeded["id"]
    created = [n for n in PRICE_CATALOGUE if n != "usd_one_time"]
    assert all(got.ids["price"][n].startswith("price_") for n in created), got.ids
    assert got.ids["customer"] == {}
    assert got.missing["customer"] == {
        "alice": "POST /v1/customers answered 404",
        "bob": "POST /v1/customers answered 404",
    }
    assert set(got.missing["coupon"]) == {"ten_percent_once", "twenty_percent_once"}
    assert "price" not in got.missing  # created again without the metadata tag


def test_header_reports_what_is_missing_once(checkout_only_url):
    with CheckoutClient(checkout_only_url, KEY, stripe_version="2024-04-10") as client:
        lines = provision(client, {}).header_lines()
    assert lines[0] == "    prices: 12 of 12"
    assert lines[1] == (
        "    customers: 0 of 2; missing alice, bob (POST /v1/customers answered 404): "
        "tests that need them are skipped, give ids with --fixture-ids"
    )


def _api_without_prices_or_customers() -> Api:
    objects = Provisioned(
        ids={"price": {}, "customer": {}, "coupon": {}},
        missing={
            "price": dict.fromkeys(PRICE_CATALOGUE, "POST /v1/prices answered 404"),
            "customer": {"alice": "POST /v1/customers answered 404"},
        },
    )
    client = CheckoutClient("http://127.0.0.1:9", KEY, stripe_version="2024-04-10")
    return Api(client, objects=objects, clock=lambda: 1_800_000_000)


def test_a_valid_request_sends_a_missing_price_inline():
    api = _api_without_prices_or_customers()
    body = api.resolve(
        {"mode": "payment", "line_items": [{"price": price_ref("usd_monthly")}]}
    )
    item = body["line_items"][0]
    assert "price" not in item
    assert item["price_data"] == {
        "currency": "usd",
        "unit_amount": PRICE_CATALOGUE["usd_monthly"].unit_amount,
        "product_data": {"name": PRICE_CATALOGUE["usd_monthly"].product_name},
        "recurring": {"interval": "month", "interval_count": 1},
    }


def test_a_request_meant_to_be_refused_is_not_changed_but_skipped():
    api = _api_without_prices_or_customers()
    with pytest.raises(ObjectUnavailable, match="no price 'usd_one_time'") as skip:
        api.resolve({"line_items": [{"price": price_ref("usd_one_time")}]}, valid=False)
    assert '--fixture-ids FILE with {"prices": {"usd_one_time": "<id>"}}' in str(
        skip.value
    )


def test_a_valid_draw_needing_a_missing_customer_is_rejected_not_sent():
    api = _api_without_prices_or_customers()
    sent = []

    @settings(max_examples=5, database=None)
    @given(st.sampled_from([{"customer": customer_ref("alice")}, {"mode": "setup"}]))
    def draws(params):
        sent.append(api.resolve(params))

    draws()
    assert sent
    assert all("customer" not in body for body in sent)
    # Outside Hypothesis there is no draw to reject: the test is skipped.
    with pytest.raises(ObjectUnavailable, match="no customer 'alice'"):
        api.resolve({"customer": customer_ref("alice")})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1]", "holds a JSON list, not an object"),
        ("{", "is not a JSON file"),
        ('{"price": {}}', "unknown section(s) price; the sections are prices"),
        ('{"prices": {"usd": "p"}}', "names an unknown price 'usd'; known:"),
        ('{"prices": {"usd_one_time": ""}}', "must be a non-empty id string"),
        ('{"customers": ["cus_1"]}', '"customers" must map catalogue names to ids'),
    ],
)
def test_a_bad_fixture_ids_file_is_one_sentence(tmp_path, content, message):
    path = tmp_path / "ids.json"
    path.write_text(content)
    with pytest.raises(FixturesError, match="--fixture-ids ") as error:
        load_fixtures(path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_good_fixture_ids_file_is_read(tmp_path):
    path = tmp_path / "ids.json"
    path.write_text(json.dumps({"customers": {"alice": "cus_1"}}))
    assert load_fixtures(path) == {"customer": {"alice": "cus_1"}}


def test_a_given_id_the_target_lacks_or_that_is_another_price_is_refused():
    with (
        ReferenceServer() as server,
        CheckoutClient(server.url, KEY, stripe_version="2024-04-10") as client,
    ):
        with pytest.raises(FixturesError, match="which the target does not have"):
            provision(client, {"price": {"usd_one_time": "price_nothing"}})
        other = client.create_price(
            {"currency": "usd", "unit_amount": 1234, "product_data": {"name": "x"}}
        ).response.json
        assert isinstance(other, dict)
        with pytest.raises(FixturesError, match="give a matching price"):
            provision(client, {"price": {"usd_one_time": other["id"]}})
        with pytest.raises(FixturesError, match="which the target does not have"):
            provision(client, {"customer": {"alice": "cus_nothing"}})
