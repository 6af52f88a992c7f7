"""The official `stripe` SDK (v16) works against the server unchanged but for the
base URL, with Stripe-Version pinned to 2024-04-10."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from reference_server import ReferenceServer
from tests.self.test_reference_server_support import KEY

VERSION = "2024-04-10"
LINE_ITEM: Any = {
    "price_data": {
        "currency": "usd",
        "unit_amount": 1500,
        "product_data": {"name": "T-shirt"},
    },
    "quantity": 2,
}


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer() as running:
        yield running


@pytest.fixture
def client(server: ReferenceServer) -> stripe.StripeClient:
    return stripe.StripeClient(
        KEY,
        base_addresses={"api": server.url},
        stripe_version=VERSION,
        max_network_retries=0,
    )


def test_create_retrieve_expire(client: stripe.StripeClient) -> None:
    sessions = client.v1.checkout.sessions
    created = sessions.create(
        params={
            "mode": "payment",
            "success_url": "https://example.com/success?id={CHECKOUT_SESSION_ID}",
            "line_items": [LINE_ITEM],
            "metadata": {"order": "7"},
            "expand": ["line_items"],
        }
    )
    assert isinstance(created, stripe.checkout.Session)
    assert created.id.startswith("cs_test_")
    assert created.amount_total == 3000
    assert created.metadata is not None
    assert created.metadata.to_dict() == {"order": "7"}
    assert created.line_items is not None
    assert created.line_items.data[0].quantity == 2
    retrieved = sessions.retrieve(created.id)
    assert retrieved.status == "open"
    assert retrieved.url == created.url
    expired = sessions.expire(created.id)
    assert expired.status == "expired"
    assert expired.url is None
    with pytest.raises(stripe.InvalidRequestError) as refused:
        sessions.expire(created.id)
    assert refused.value.http_status == 400
    with pytest.raises(stripe.InvalidRequestError) as missing:
        sessions.retrieve("cs_test_doesnotexist")
    assert missing.value.http_status == 404
    assert missing.value.code == "resource_missing"


def test_list_auto_paging(client: stripe.StripeClient) -> None:
    sessions = client.v1.checkout.sessions
    customer = client.v1.customers.create(params={"email": "sdk@example.com"})
    made = [
        sessions.create(
            params={
                "mode": "payment",
                "success_url": "https://example.com/s",
                "customer": customer.id,
                "line_items": [LINE_ITEM],
            }
        ).id
        for _ in range(7)
    ]
    page = sessions.list(params={"limit": 3, "customer": customer.id})
    assert len(page.data) == 3
    assert page.has_more is True
    walked = [session.id for session in page.auto_paging_iter()]
    assert walked == made[::-1]


def test_prices_customers_and_update(client: stripe.StripeClient) -> None:
    price = client.v1.prices.create(
        params={
            "currency": "usd",
            "unit_amount": 900,
            "product_data": {"name": "Club"},
            "recurring": {"interval": "month"},
        }
    )
    assert price.type == "recurring"
    session = client.v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "success_url": "https://example.com/s",
            "line_items": [{"price": price.id, "quantity": 1}],
            "metadata": {"a": "1"},
        }
    )
    updated = client.v1.checkout.sessions.update(
        session.id, params={"metadata": {"a": "", "b": "2"}}
    )
    assert updated.metadata is not None
    assert updated.metadata.to_dict() == {"b": "2"}
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.checkout.sessions.create(
            params={"mode": "payment", "success_url": "https://example.com/s"}
        )
    assert refused.value.param == "line_items"
