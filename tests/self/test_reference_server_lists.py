"""Lists: order, both walk directions, has_more, filters, cursors and limit bounds,
for the sessions list and for `/line_items`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from reference_server import ReferenceServer
from tests.self.test_reference_server_support import (
    PAYMENT,
    Client,
    items,
    without,
)

SESSIONS = "/v1/checkout/sessions"


@pytest.fixture
def client() -> Iterator[Client]:
    with ReferenceServer() as server, Client(server.url) as connection:
        yield connection


def _create(client: Client, count: int, *extra: tuple[str, str]) -> list[str]:
    """Ids of `count` new sessions, oldest first."""
    return [client.create([*PAYMENT, *extra])["id"] for _ in range(count)]


def _ids(reply: Any) -> list[str]:
    assert reply.status == 200, reply.raw[:500]
    return [session["id"] for session in reply.body["data"]]


def test_newest_first_with_default_limit(client: Client) -> None:
    created = _create(client, 12)
    reply = client.get(SESSIONS)
    assert _ids(reply) == created[::-1][:10]
    assert reply.body["has_more"] is True
    assert reply.body["object"] == "list"
    assert reply.body["url"] == SESSIONS
    stamps = [session["created"] for session in reply.body["data"]]
    assert stamps == sorted(stamps, reverse=True)


def test_forward_walk_sees_everything_once(client: Client) -> None:
    created = _create(client, 10)
    walked = [session["id"] for session in client.walk(SESSIONS, limit=3)]
    assert walked == created[::-1]


def test_backward_walk_reproduces_the_pages(client: Client) -> None:
    created = _create(client, 10)
    newest_first = created[::-1]
    forward: list[list[str]] = []
    cursor: list[tuple[str, str]] = []
    while True:
        reply = client.get(SESSIONS, [("limit", "3"), *cursor])
        forward.append(_ids(reply))
        if not reply.body["has_more"]:
            break
        cursor = [("starting_after", forward[-1][-1])]
    assert [len(page) for page in forward] == [3, 3, 3, 1]
    backward: list[list[str]] = [forward[-1]]
    while True:
        reply = client.get(
            SESSIONS, [("limit", "3"), ("ending_before", backward[-1][0])]
        )
        page = _ids(reply)
        backward.append(page)
        if not reply.body["has_more"]:
            break
    assert backward == forward[::-1]
    assert [sid for page in forward for sid in page] == newest_first


def test_has_more_on_backward_pages(client: Client) -> None:
    created = _create(client, 5)
    oldest = created[0]
    reply = client.get(SESSIONS, [("limit", "2"), ("ending_before", oldest)])
    assert _ids(reply) == [created[2], created[1]]
    assert reply.body["has_more"] is True
    reply = client.get(SESSIONS, [("limit", "10"), ("ending_before", oldest)])
    assert _ids(reply) == created[1:][::-1]
    assert reply.body["has_more"] is False
    newest = created[-1]
    reply = client.get(SESSIONS, [("ending_before", newest)])
    assert _ids(reply) == []
    assert reply.body["has_more"] is False


def test_starting_after_the_last_is_empty(client: Client) -> None:
    created = _create(client, 3)
    reply = client.get(SESSIONS, [("starting_after", created[0])])
    assert _ids(reply) == []
    assert reply.body["has_more"] is False


def test_empty_list(client: Client) -> None:
    reply = client.get(SESSIONS)
    assert reply.body == {
        "object": "list",
        "data": [],
        "has_more": False,
        "url": SESSIONS,
    }


@pytest.mark.parametrize("limit", ["1", "100"])
def test_limit_bounds_accepted(client: Client, limit: str) -> None:
    _create(client, 2)
    reply = client.get(SESSIONS, [("limit", limit)])
    assert len(_ids(reply)) == min(int(limit), 2)


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("0", "This value must be greater than or equal to 1."),
        ("-5", "This value must be greater than or equal to 1."),
        ("101", "This value must be less than or equal to 100."),
        ("ten", "Invalid integer: ten"),
        ("2.5", "Invalid integer: 2.5"),
    ],
)
def test_limit_out_of_range(client: Client, limit: str, message: str) -> None:
    reply = client.get(SESSIONS, [("limit", limit)])
    assert reply.status == 400
    assert reply.error["code"] == "parameter_invalid_integer"
    assert reply.error["param"] == "limit"
    assert reply.error["message"] == message


@pytest.mark.parametrize("cursor", ["starting_after", "ending_before"])
def test_unknown_cursor(client: Client, cursor: str) -> None:
    _create(client, 1)
    reply = client.get(SESSIONS, [(cursor, "cs_test_gone")])
    assert reply.status == 400
    assert reply.error["code"] == "resource_missing"
    assert reply.error["param"] == cursor
    assert reply.error["message"] == "No such checkout.session: 'cs_test_gone'"


def test_cursor_outside_the_filter(client: Client) -> None:
    (session,) = _create(client, 1)
    assert client.post(f"{SESSIONS}/{session}/expire").status == 200
    reply = client.get(SESSIONS, [("status", "open"), ("starting_after", session)])
    assert reply.status == 400
    assert reply.error["code"] == "resource_missing"


def test_both_cursors_refused(client: Client) -> None:
    first, second = _create(client, 2)
    reply = client.get(SESSIONS, [("starting_after", first), ("ending_before", second)])
    assert reply.status == 400
    assert reply.error == {
        "message": "Received both starting_after and ending_before parameters. "
        "Please pass in only one.",
        "type": "invalid_request_error",
    }


def test_status_filter(client: Client) -> None:
    created = _create(client, 4)
    for session in created[:2]:
        assert client.post(f"{SESSIONS}/{session}/expire").status == 200
    assert _ids(client.get(SESSIONS, [("status", "expired")])) == created[:2][::-1]
    assert _ids(client.get(SESSIONS, [("status", "open")])) == created[2:][::-1]
    assert _ids(client.get(SESSIONS, [("status", "complete")])) == []
    bad = client.get(SESSIONS, [("status", "closed")])
    assert bad.status == 400
    assert bad.error["param"] == "status"


def test_customer_and_email_filters(client: Client) -> None:
    customer = client.post("/v1/customers", [("email", "a@example.com")]).body["id"]
    mine = _create(client, 2, ("customer", customer))
    emailed = _create(client, 1, ("customer_email", "b@example.com"))
    _create(client, 1)
    assert _ids(client.get(SESSIONS, [("customer", customer)])) == mine[::-1]
    assert _ids(client.get(SESSIONS, [("customer", "cus_other")])) == []
    by_email = client.get(SESSIONS, [("customer_details[email]", "b@example.com")])
    assert _ids(by_email) == emailed
    no_email = client.get(SESSIONS, [("customer_details[name]", "x")])
    assert no_email.status == 400
    for name in ("payment_intent", "payment_link", "subscription"):
        assert _ids(client.get(SESSIONS, [(name, "x_123")])) == []


def test_created_filter(client: Client) -> None:
    created = _create(client, 2)
    stamp = client.get(f"{SESSIONS}/{created[0]}").body["created"]
    everything = created[::-1]
    cases = [
        ([("created", str(stamp))], everything),
        ([("created[gte]", str(stamp))], everything),
        ([("created[gt]", str(stamp))], []),
        ([("created[lte]", str(stamp))], everything),
        ([("created[lt]", str(stamp))], []),
        (
            [("created[gt]", str(stamp - 10)), ("created[lt]", str(stamp + 10))],
            everything,
        ),
    ]
    for pairs, expected in cases:
        assert _ids(client.get(SESSIONS, pairs)) == expected, pairs
    bad = client.get(SESSIONS, [("created[around]", "1")])
    assert bad.status == 400
    assert bad.error["param"] == "created[around]"


def test_same_second_ties_keep_creation_order(client: Client) -> None:
    created = _create(client, 30)
    listed = _ids(client.get(SESSIONS, [("limit", "100")]))
    assert listed == created[::-1]
    stamps = {client.get(f"{SESSIONS}/{sid}").body["created"] for sid in created}
    assert len(stamps) < len(created)  # ties happened and were ordered


def test_list_expands_line_items_under_data(client: Client) -> None:
    _create(client, 2)
    reply = client.get(SESSIONS, [("expand[]", "data.line_items")])
    assert reply.status == 200
    for session in reply.body["data"]:
        assert session["line_items"]["data"][0]["object"] == "item"
    plain = client.get(SESSIONS, [("expand[]", "line_items")])
    assert plain.status == 400
    assert plain.error["param"] == "expand"


def test_filters_and_cursors_compose(client: Client) -> None:
    created = _create(client, 6)
    for session in created[::2]:
        assert client.post(f"{SESSIONS}/{session}/expire").status == 200
    opened = created[1::2][::-1]
    walked = [s["id"] for s in client.walk(SESSIONS, [("status", "open")], limit=1)]
    assert walked == opened


def test_list_is_consistent_while_creating(client: Client) -> None:
    created = _create(client, 5)
    first_page = client.get(SESSIONS, [("limit", "2")])
    newer = _create(client, 3)
    rest = client.get(
        SESSIONS,
        [("limit", "10"), ("starting_after", first_page.body["data"][-1]["id"])],
    )
    assert _ids(rest) == created[::-1][2:]
    assert newer[-1] == _ids(client.get(SESSIONS, [("limit", "1")]))[0]


# -- /line_items -------------------------------------------------------------------


def _session_with_items(client: Client, count: int) -> tuple[str, list[str]]:
    session = client.create(
        [*without(PAYMENT, "line_items"), *items(count), ("expand[]", "line_items")]
    )
    path = f"{SESSIONS}/{session['id']}/line_items"
    ids = [item["id"] for item in client.walk(path, limit=100)]
    return path, ids


def test_line_items_pages_in_request_order(client: Client) -> None:
    path, ids = _session_with_items(client, 7)
    assert len(ids) == 7
    reply = client.get(path)
    assert _ids(reply) == ids
    assert reply.body["url"] == path
    assert reply.body["has_more"] is False
    descriptions = [item["description"] for item in reply.body["data"]]
    assert descriptions == [f"item {index}" for index in range(7)]
    assert [item["id"] for item in client.walk(path, limit=2)] == ids
    page = client.get(path, [("limit", "2"), ("starting_after", ids[2])])
    assert _ids(page) == ids[3:5]
    assert page.body["has_more"] is True
    back = client.get(path, [("limit", "2"), ("ending_before", ids[2])])
    assert _ids(back) == ids[:2]
    assert back.body["has_more"] is False
    back = client.get(path, [("limit", "2"), ("ending_before", ids[5])])
    assert _ids(back) == ids[3:5]
    assert back.body["has_more"] is True


def test_line_items_parameters(client: Client) -> None:
    path, ids = _session_with_items(client, 3)
    assert client.get(path, [("limit", "0")]).status == 400
    assert client.get(path, [("limit", "101")]).status == 400
    unknown = client.get(path, [("starting_after", "li_gone")])
    assert unknown.status == 400
    assert unknown.error["code"] == "resource_missing"
    assert unknown.error["param"] == "starting_after"
    both = client.get(path, [("starting_after", ids[0]), ("ending_before", ids[2])])
    assert both.status == 400
    extra = client.get(path, [("status", "open")])
    assert extra.status == 400
    assert extra.error["code"] == "parameter_unknown"
    expanded = client.get(path, [("expand[]", "data.price.product")])
    assert expanded.body["data"][0]["price"]["product"]["object"] == "product"


def test_lists_keep_working_with_many_sessions(client: Client) -> None:
    started = time.perf_counter()
    created = _create(client, 250)
    walked = [session["id"] for session in client.walk(SESSIONS, limit=100)]
    assert walked == created[::-1]
    assert time.perf_counter() - started < 10
