"""Each contract accepts a conforming exchange and rejects the violation it exists for.

No network: exchanges are built by hand from Stripe's documented example objects,
then broken in exactly one way. The fault-injection self-test proves the same
against live faulty servers; this file pins down each contract's logic and the text
its failure prints.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import contracts
from client import Attempt, Auth, Exchange, Request, Response, encode_form
from contracts import REGISTRY, ContractContext, ContractFailure, ModelSession, Step

DATA = Path(__file__).parent / "data" / "schemas"
CTX = ContractContext()
SESSIONS = "/v1/checkout/sessions"


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def exchange(
    body: Any = None,
    *,
    status: int = 200,
    method: str = "POST",
    path: str = SESSIONS,
    params: dict | None = None,
    content_type: str | None = "application/json",
    request_id: str | None = "req_test",
    text: str | None = None,
) -> Exchange:
    form = tuple(encode_form(params)) if params else None
    request = Request(
        method=method,
        path=path,
        params=params,
        form=form,
        raw_body=None,
        content_type="application/x-www-form-urlencoded",
        headers=(("Stripe-Version", "2024-04-10"),),
        auth=Auth.API_KEY,
        idempotency_key=None,
        url=f"http://127.0.0.1:12111{path}",
    )
    headers = []
    if content_type:
        headers.append(("Content-Type", content_type))
    if request_id:
        headers.append(("Request-Id", request_id))
    response = Response(
        status=status,
        headers=tuple(headers),
        text=json.dumps(body) if text is None else text,
        json=body if text is None else None,
        content_type=content_type,
    )
    return Exchange(
        request=request,
        response=response,
        elapsed=0.01,
        attempts=(Attempt(status, 0.01, 0.0, "response"),),
        started_at=0.0,
    )


@pytest.fixture
def session() -> dict[str, Any]:
    """A fresh hosted payment session, as Stripe's reference page shows one."""
    body = load("session.docs_example")
    body["expires_at"] = body["created"] + 86400
    return body


def line_items(*items: tuple[int, int]) -> dict[str, Any]:
    template = load("line_item.docs_example")
    data = []
    for index, (unit, quantity) in enumerate(items):
        item = copy.deepcopy(template)
        item.update(
            id=f"li_{index}",
            quantity=quantity,
            amount_subtotal=unit * quantity,
            amount_total=unit * quantity,
            amount_discount=0,
            amount_tax=0,
        )
        item["price"].update(unit_amount=unit, unit_amount_decimal=str(unit))
        data.append(item)
    return {
        "object": "list",
        "data": data,
        "has_more": False,
        "url": "/v1/checkout/sessions/cs_test_1/line_items",
    }


def rejects(failure: type[ContractFailure], check, *args: Any, says: str = "") -> str:
    with pytest.raises(failure) as raised:
        check(CTX, *args)
    text = raised.value.render()
    assert raised.value.headline in text
    assert says in text, text
    return text


# -- shape ----------------------------------------------------------------------------
def test_valid_requests_succeed(session):
    contracts.valid_requests_succeed(CTX, exchange(session))
    error = {"error": {"type": "invalid_request_error", "message": "no"}}
    rejects(
        contracts._shape.RequestRefused,
        contracts.valid_requests_succeed,
        exchange(error, status=400),
        says="400 invalid_request_error",
    )


def test_response_matches_schema(session):
    contracts.response_matches_schema(CTX, exchange(session), "session")
    session["amount_total"] = "2198"
    rejects(
        contracts._shape.SchemaMismatch,
        contracts.response_matches_schema,
        exchange(session),
        "session",
        says="amount_total",
    )


def test_session_has_every_documented_field(session):
    contracts.session_has_every_documented_field(CTX, exchange(session))
    del session["customer_email"], session["payment_link"]
    rejects(
        contracts._shape.MissingDocumentedFields,
        contracts.session_has_every_documented_field,
        exchange(session),
        says="customer_email, payment_link",
    )


def test_session_may_omit_optional_non_nullable_fields(session):
    session.pop("return_url", None)
    session.pop("redirect_on_completion", None)
    contracts.session_has_every_documented_field(CTX, exchange(session))


def test_object_names_are_correct(session):
    session["line_items"] = line_items((1000, 1))
    contracts.object_names_are_correct(CTX, exchange(session), "checkout.session")
    session["line_items"]["data"][0]["object"] = "line_item"
    rejects(
        contracts._shape.WrongObjectName,
        contracts.object_names_are_correct,
        exchange(session),
        "checkout.session",
        says="'line_item', expected 'item'",
    )


def test_ids_have_stripe_prefixes(session):
    contracts.ids_have_stripe_prefixes(CTX, exchange(session))
    session["id"] = "6f1c6c9e-5b0e-4a43-9a59-3d7c3f1e2b11"
    rejects(
        contracts._shape.WrongIdPrefix,
        contracts.ids_have_stripe_prefixes,
        exchange(session),
        says="'cs_test_'",
    )


def test_livemode_matches_key_mode(session):
    contracts.livemode_matches_key_mode(CTX, exchange(session))
    session["livemode"] = True
    rejects(
        contracts._shape.WrongLivemode,
        contracts.livemode_matches_key_mode,
        exchange(session),
        says="livemode=False for a test key",
    )


def test_timestamps_are_unix_seconds(session):
    contracts.timestamps_are_unix_seconds(CTX, exchange(session))
    session["created"] *= 1000
    rejects(
        contracts._shape.NotUnixSeconds,
        contracts.timestamps_are_unix_seconds,
        exchange(session),
        says="checkout.session.created=",
    )


def test_enum_fields_have_known_values(session):
    contracts.enum_fields_have_known_values(CTX, exchange(session))
    session["status"] = "active"
    rejects(
        contracts._shape.UnknownEnumValue,
        contracts.enum_fields_have_known_values,
        exchange(session),
        says="status='active' (allowed: complete, expired, open",
    )


# -- semantics ------------------------------------------------------------------------
def test_subtotal_is_sum_of_line_items(session):
    session["amount_subtotal"] = session["amount_total"] = 3000
    items = exchange(line_items((1000, 1), (1000, 2)), method="GET")
    contracts.session_subtotal_is_sum_of_line_items(CTX, exchange(session), [items])
    session["amount_subtotal"] = 1000
    rejects(
        contracts._semantics.SubtotalMismatch,
        contracts.session_subtotal_is_sum_of_line_items,
        exchange(session),
        [items],
        says="3000 = 1000 + 2000 (2 line items)",
    )


def test_total_follows_from_details(session):
    contracts.session_total_follows_from_details(CTX, exchange(session))
    session["total_details"]["amount_shipping"] = 500
    rejects(
        contracts._semantics.TotalMismatch,
        contracts.session_total_follows_from_details,
        exchange(session),
        says="+ 500 (shipping)",
    )


def test_line_item_amounts_are_consistent():
    page = line_items((1000, 3))
    contracts.line_item_amounts_are_consistent(CTX, [exchange(page, method="GET")])
    page["data"][0]["amount_subtotal"] = page["data"][0]["amount_total"] = 1000
    rejects(
        contracts._semantics.LineItemAmountMismatch,
        contracts.line_item_amounts_are_consistent,
        [exchange(page, method="GET")],
        says="expected 1000 x 3 = 3000",
    )


def test_payment_status_matches_mode(session):
    contracts.payment_status_matches_mode(CTX, exchange(session))
    session.update(mode="setup", amount_total=None, amount_subtotal=None)
    rejects(
        contracts._semantics.PaymentStatusMismatch,
        contracts.payment_status_matches_mode,
        exchange(session),
        says="no_payment_required",
    )


def test_url_present_only_for_open_hosted(session):
    contracts.url_present_only_for_open_hosted(CTX, exchange(session))
    session["ui_mode"] = "embedded"
    rejects(
        contracts._semantics.UrlMismatch,
        contracts.url_present_only_for_open_hosted,
        exchange(session),
        says="ui_mode='embedded'",
    )
    session.update(ui_mode="hosted", status="expired")
    rejects(
        contracts._semantics.UrlMismatch,
        contracts.url_present_only_for_open_hosted,
        exchange(session),
        says="status='expired'",
    )


def test_client_secret_only_for_embedded(session):
    contracts.client_secret_only_for_embedded(CTX, exchange(session))
    session["client_secret"] = "cs_test_secret"
    rejects(
        contracts._semantics.ClientSecretMismatch,
        contracts.client_secret_only_for_embedded,
        exchange(session),
        says="null for a hosted session",
    )


def test_expires_at_honours_request(session):
    contracts.expires_at_honours_request(CTX, exchange(session))
    requested = session["created"] + 3600
    rejects(
        contracts._semantics.ExpiryMismatch,
        contracts.expires_at_honours_request,
        exchange(session, params={"expires_at": requested}),
        says=f"{requested} (the requested value)",
    )


def test_session_echoes_core_params(session):
    url = "https://example.com/done?session={CHECKOUT_SESSION_ID}"
    session["success_url"] = url
    contracts.session_echoes_core_params(
        CTX, exchange(session, params={"success_url": url})
    )
    session["success_url"] = url.replace("{CHECKOUT_SESSION_ID}", session["id"])
    rejects(
        contracts._semantics.CoreEchoMismatch,
        contracts.session_echoes_core_params,
        exchange(session, params={"success_url": url}),
        says="success_url: sent",
    )


def test_echo_compares_text_as_text(session):
    """A client_reference_id of "0" is the string "0", not the number 0."""
    session["client_reference_id"] = "0"
    sent = {"client_reference_id": "0"}
    contracts.session_echoes_core_params(CTX, exchange(session, params=sent))
    session["client_reference_id"] = 0
    rejects(
        contracts._semantics.CoreEchoMismatch,
        contracts.session_echoes_core_params,
        exchange(session, params=sent),
        says="client_reference_id: sent '0', received 0",
    )


def test_metadata_round_trips(session):
    sent = {"Order": "42", "gone": ""}
    session["metadata"] = {"Order": "42"}
    contracts.metadata_round_trips(CTX, exchange(session, params={"metadata": sent}))
    session["metadata"] = {"order": "42"}
    rejects(
        contracts._semantics.MetadataMismatch,
        contracts.metadata_round_trips,
        exchange(session, params={"metadata": sent}),
        says="Missing keys: 'Order'",
    )


def test_session_echoes_request(session):
    session["cancel_url"] = "https://example.com/cancel"
    params = {"cancel_url": "https://example.com/cancel", "locale": None}
    contracts.session_echoes_request(CTX, exchange(session, params=params))
    session["cancel_url"] = None
    rejects(
        contracts._semantics.EchoMismatch,
        contracts.session_echoes_request,
        exchange(session, params=params),
        says="cancel_url: sent",
    )


def test_linked_objects_match_mode(session):
    contracts.linked_objects_match_mode(CTX, exchange(session))
    session["payment_intent"] = "pi_123"
    rejects(
        contracts._semantics.LinkedObjectMismatch,
        contracts.linked_objects_match_mode,
        exchange(session),
        says="payment_intent='pi_123'",
    )


# -- consistency ----------------------------------------------------------------------
def test_retrieve_equals_create(session):
    contracts.retrieve_equals_create(
        CTX, exchange(session), exchange(session, method="GET")
    )
    changed = {**session, "customer_email": None}
    session["customer_email"] = "a@example.com"
    rejects(
        contracts._consistency.RetrieveDiffersFromCreate,
        contracts.retrieve_equals_create,
        exchange(session),
        exchange(changed, method="GET"),
        says="Differing fields: customer_email",
    )


def test_line_items_endpoint_matches_expansion(session):
    listing = line_items((1000, 1), (500, 2))
    session["id"] = "cs_test_1"
    session["line_items"] = copy.deepcopy(listing)
    page = exchange(listing, method="GET", path=f"{SESSIONS}/cs_test_1/line_items")
    contracts.line_items_endpoint_matches_expansion(CTX, exchange(session), [page])
    reversed_page = {**listing, "data": listing["data"][::-1]}
    rejects(
        contracts._consistency.ExpansionDiffersFromListing,
        contracts.line_items_endpoint_matches_expansion,
        exchange(session),
        [exchange(reversed_page, method="GET")],
        says="items differ",
    )


# -- lists ----------------------------------------------------------------------------
def page_of(*sessions: dict[str, Any], has_more: bool = False) -> Exchange:
    return exchange(
        {
            "object": "list",
            "data": list(sessions),
            "has_more": has_more,
            "url": SESSIONS,
        },
        method="GET",
    )


def sess(number: int, created: int, status: str = "open") -> dict[str, Any]:
    return {
        "id": f"cs_test_{number}",
        "object": "checkout.session",
        "created": created,
        "status": status,
        "customer": None,
    }


def test_list_envelope_is_valid():
    contracts.list_envelope_is_valid(CTX, page_of(sess(1, 10)))
    wrong = exchange(
        {"object": "list", "data": [], "has_more": False, "url": f"{SESSIONS}?limit=3"},
        method="GET",
    )
    rejects(
        contracts._lists.MalformedList,
        contracts.list_envelope_is_valid,
        wrong,
        says="expected '/v1/checkout/sessions'",
    )


def test_list_respects_limit():
    contracts.list_respects_limit(CTX, page_of(sess(1, 10), has_more=True), 1)
    rejects(
        contracts._lists.LimitNotRespected,
        contracts.list_respects_limit,
        page_of(sess(1, 10), sess(2, 9), has_more=True),
        1,
        says="2 objects",
    )


def test_list_limit_out_of_range_refused():
    class LimitCase(Case):
        rule, description = "limit-out-of-range", "limit=101"

    contracts.list_limit_out_of_range_refused(CTX, error_exchange(400), LimitCase())
    rejects(
        contracts._lists.LimitOutOfRangeAccepted,
        contracts.list_limit_out_of_range_refused,
        page_of(sess(1, 10)),
        LimitCase(),
        says="Sent: limit=101",
    )


def test_list_is_newest_first():
    contracts.list_is_newest_first(
        CTX, [page_of(sess(2, 11), sess(1, 10))], "cs_test_1", "cs_test_2"
    )
    rejects(
        contracts._lists.NotNewestFirst,
        contracts.list_is_newest_first,
        [page_of(sess(1, 10), sess(2, 11))],
        "cs_test_1",
        "cs_test_2",
        says="cs_test_1 (older) is listed before cs_test_2",
    )


def test_list_forward_walk_is_complete():
    pages = [page_of(sess(3, 12), has_more=True), page_of(sess(2, 11), sess(1, 10))]
    contracts.list_forward_walk_is_complete(CTX, pages, ["cs_test_1", "cs_test_2"])
    skipped = [page_of(sess(3, 12), has_more=True), page_of(sess(1, 10))]
    rejects(
        contracts._lists.IncompleteForwardWalk,
        contracts.list_forward_walk_is_complete,
        skipped,
        ["cs_test_1", "cs_test_2"],
        says="never listed: cs_test_2",
    )


def test_list_backward_walk_mirrors_forward():
    forward = [
        page_of(sess(4, 13), sess(3, 12), has_more=True),
        page_of(sess(2, 11), sess(1, 10)),
    ]
    back = [page_of(sess(4, 13), sess(3, 12))]
    contracts.list_backward_walk_mirrors_forward(CTX, forward, back)
    rejects(
        contracts._lists.BackwardWalkMismatch,
        contracts.list_backward_walk_mirrors_forward,
        forward,
        [page_of(sess(3, 12))],
        says="first difference at position 0",
    )


def test_refusal_contracts_need_the_refusal():
    refused = exchange(
        {"error": {"type": "invalid_request_error", "message": "no"}},
        status=400,
        method="GET",
    )
    accepted = page_of(sess(1, 10))
    contracts.list_cursors_are_exclusive(CTX, refused)
    rejects(
        contracts._lists.BothCursorsAccepted,
        contracts.list_cursors_are_exclusive,
        accepted,
        says="400 invalid_request_error",
    )
    missing = exchange(
        {
            "error": {
                "type": "invalid_request_error",
                "message": "No such",
                "code": "resource_missing",
                "param": "starting_after",
            }
        },
        status=400,
        method="GET",
    )
    contracts.list_unknown_cursor_refused(CTX, missing, "starting_after")
    rejects(
        contracts._lists.UnknownCursorAccepted,
        contracts.list_unknown_cursor_refused,
        missing,
        "ending_before",
        says="error.param='starting_after'",
    )


def test_list_filters_select_exactly():
    pages = [page_of(sess(2, 11, "expired"), sess(1, 10))]
    contracts.list_filters_select_exactly(
        CTX,
        [page_of(sess(2, 11, "expired"))],
        "status=expired",
        lambda s: s["status"] == "expired",
        ["cs_test_2"],
    )
    rejects(
        contracts._lists.FilterMismatch,
        contracts.list_filters_select_exactly,
        pages,
        "status=expired",
        lambda s: s["status"] == "expired",
        ["cs_test_2"],
        says="listed but not matching: cs_test_1",
    )


# -- lifecycle ------------------------------------------------------------------------
def test_expire_closes_session(session):
    expired = {**session, "status": "expired", "url": None}
    contracts.expire_closes_session(
        CTX, exchange(expired), exchange(expired, method="GET")
    )
    rejects(
        contracts._lifecycle.ExpireDidNotClose,
        contracts.expire_closes_session,
        exchange(expired),
        exchange(session, method="GET"),
        says="retrieve after expire: status='open'",
    )


def test_expire_twice_refused(session):
    expired = {**session, "status": "expired", "url": None}
    rejects(
        contracts._lifecycle.SecondExpireAccepted,
        contracts.expire_twice_refused,
        exchange(expired),
        exchange(expired, method="GET"),
        says="status 200, expected 400",
    )


def test_merged_metadata_follows_stripe():
    assert contracts.merged_metadata({"a": "1", "b": "2"}, {"b": "", "c": "3"}) == {
        "a": "1",
        "c": "3",
    }
    assert contracts.merged_metadata({"a": "1"}, "") == {}


def test_update_merges_metadata(session):
    session["metadata"] = {"a": "1", "c": "3"}
    update = exchange(session, params={"metadata": {"b": "", "c": "3"}})
    contracts.update_merges_metadata(
        CTX, {"a": "1", "b": "2"}, update, exchange(session, method="GET")
    )
    replaced = {**session, "metadata": {"c": "3"}}
    rejects(
        contracts._lifecycle.MetadataNotMerged,
        contracts.update_merges_metadata,
        {"a": "1", "b": "2"},
        exchange(replaced, params={"metadata": {"b": "", "c": "3"}}),
        exchange(replaced, method="GET"),
        says="Expected: metadata={'a': '1', 'c': '3'}",
    )


# -- errors ---------------------------------------------------------------------------
class Case:
    rule, description = "R-06", "line_items[0][quantity] is 0"
    status, error_type = 400, "invalid_request_error"
    params_accepted = frozenset({"line_items[0][quantity]"})


def error_exchange(status=400, **error: Any) -> Exchange:
    return exchange(
        {"error": {"type": "invalid_request_error", "message": "m", **error}},
        status=status,
    )


def test_refusals_are_judged_by_status_and_type(session):
    for check, failure in (
        (
            contracts.schema_violations_are_rejected,
            contracts._errors.SchemaViolationAccepted,
        ),
        (contracts.conditional_rules_are_enforced, contracts._errors.RuleNotEnforced),
    ):
        check(CTX, error_exchange(), Case())
        rejects(failure, check, exchange(session), Case(), says="R-06: line_items[0]")


def test_error_names_offending_param():
    contracts.error_names_offending_param(
        CTX, error_exchange(param="line_items[0][quantity]"), Case()
    )
    rejects(
        contracts._errors.WrongErrorParam,
        contracts.error_names_offending_param,
        error_exchange(param="quantity"),
        Case(),
        says="error.param='quantity'",
    )


def test_unknown_session_is_404():
    contracts.unknown_session_is_404(CTX, error_exchange(404, code="resource_missing"))
    rejects(
        contracts._errors.UnknownSessionNot404,
        contracts.unknown_session_is_404,
        error_exchange(400, code="resource_missing"),
        says="400 invalid_request_error",
    )


def test_no_server_errors():
    contracts.no_server_errors(CTX, error_exchange(400))
    rejects(
        contracts._errors.ServerError,
        contracts.no_server_errors,
        exchange({"error": {"type": "api_error", "message": "boom"}}, status=500),
        says="500 api_error",
    )


def test_auth_contracts(session):
    contracts.missing_key_is_401(CTX, error_exchange(401))
    contracts.invalid_key_is_401(CTX, error_exchange(401))
    rejects(
        contracts._errors.MissingKeyAccepted,
        contracts.missing_key_is_401,
        exchange(session),
        says="401 invalid_request_error",
    )
    rejects(
        contracts._errors.InvalidKeyAccepted,
        contracts.invalid_key_is_401,
        exchange(session),
        says="401 invalid_request_error",
    )


def test_errors_have_stripe_shape():
    contracts.errors_have_stripe_shape(CTX, error_exchange(400))
    bad = exchange({"error": {"type": "validation_error", "message": "m"}}, status=400)
    rejects(
        contracts._errors.MalformedError,
        contracts.errors_have_stripe_shape,
        bad,
        says="error.type",
    )
    rejects(
        contracts._errors.MalformedError,
        contracts.errors_have_stripe_shape,
        exchange(status=400, text="<h1>Bad Request</h1>", content_type="text/html"),
        says="not a JSON object",
    )


def test_errors_have_stripe_shape_types_server_errors_as_api_error():
    contracts.errors_have_stripe_shape(
        CTX, exchange({"error": {"type": "api_error", "message": "m"}}, status=500)
    )
    rejects(
        contracts._errors.MalformedError,
        contracts.errors_have_stripe_shape,
        error_exchange(500),
        says="a 500 answer has error.type='invalid_request_error'",
    )


def test_no_server_errors_reports_a_dropped_connection():
    from client import TargetDisconnected

    request = exchange(params={"expand": ["*"]}).request
    with pytest.raises(contracts._errors.ServerError) as raised:
        contracts.connection_dropped(
            CTX, request, TargetDisconnected("closed without an answer", url="u")
        )
    text = raised.value.render()
    assert "[no_server_errors]" in text
    assert "no answer: closed without an answer" in text
    assert "curl -sS -X POST" in text, text
    assert "expand[0]=%2A" in text, text


def test_errors_never_echo_the_key():
    from client import REDACTED

    contracts.errors_never_echo_the_key(CTX, error_exchange(401), key="pk_test_abc")
    masked = error_exchange(401, message="Invalid API Key provided: pk_test_****_abc")
    contracts.errors_never_echo_the_key(CTX, masked, key="pk_test_x_abc")
    with pytest.raises(contracts._errors.KeyEchoed) as raised:
        contracts.errors_never_echo_the_key(
            CTX,
            error_exchange(401, message="Authorization was 'Bearer pk_test_abc'."),
            key="pk_test_abc",
        )
    assert "the dummy key 'pk_test_abc'" in raised.value.render()
    echoed = error_exchange(400, message=f"Authorization: Bearer {REDACTED}")
    rejects(
        contracts._errors.KeyEchoed,
        contracts.errors_never_echo_the_key,
        echoed,
        says="the suite's API key (shown redacted as $STRIPE_API_KEY)",
    )
    # a success carrying the text is not an error answer: another contract's matter
    contracts.errors_never_echo_the_key(CTX, exchange({"x": REDACTED}))


def test_impossible_session_ids_are_refused(session):
    why = "an id of 67 characters"
    contracts.impossible_session_ids_are_refused(CTX, error_exchange(404), why=why)
    contracts.impossible_session_ids_are_refused(CTX, error_exchange(400), why=why)
    with pytest.raises(contracts._errors.ImpossibleIdAnswered) as raised:
        contracts.impossible_session_ids_are_refused(CTX, exchange(session), why=why)
    text = raised.value.render()
    assert "Sent: an id of 67 characters" in text
    assert "200 'checkout.session' with id=" in text


# -- answers -------------------------------------------------------------------------
def test_answers_describe_the_requested_session(session):
    own = session["id"]
    session["line_items"] = line_items((100, 1))
    session["line_items"]["url"] = f"{SESSIONS}/{own}/line_items"
    contracts.answers_describe_the_requested_session(
        CTX, exchange(session), requested_id=own
    )
    check = contracts.answers_describe_the_requested_session
    check(CTX, exchange({"object": "list", "data": [session], "url": SESSIONS}))
    expired = {**session, "status": "expired", "url": None}
    check(CTX, exchange(expired), requested_id=own, expired=True)
    failure = contracts._answers.AnswerNamesAnotherSession
    with pytest.raises(failure) as raised:
        check(CTX, exchange(session), requested_id="cs_test_other")
    assert "the request's path named 'cs_test_other'" in raised.value.render()
    wrong_items = copy.deepcopy(session)
    wrong_items["line_items"]["url"] = SESSIONS
    with pytest.raises(failure) as raised:
        check(CTX, exchange(wrong_items))
    assert "line_items.url='/v1/checkout/sessions'" in raised.value.render()
    other_url = {**session, "url": "https://checkout.stripe.com/c/pay/cs_test_zz9#f"}
    with pytest.raises(failure) as raised:
        check(CTX, exchange({"object": "list", "data": [other_url]}))
    assert "url names session 'cs_test_zz9'" in raised.value.render()
    with pytest.raises(failure) as raised:
        check(CTX, exchange(session), requested_id=own, expired=True)
    assert "status='open'" in raised.value.render()
    # refusals are other contracts' to judge
    check(CTX, error_exchange(404), requested_id=own, expired=True)


# -- idempotency and HTTP ------------------------------------------------------------
def test_idempotency_contracts(session):
    contracts.idempotent_replay_is_identical(CTX, exchange(session), exchange(session))
    other = {**session, "id": "cs_test_other"}
    rejects(
        contracts._idempotency.ReplayDiffers,
        contracts.idempotent_replay_is_identical,
        exchange(session),
        exchange(other),
        says="fields differ: id",
    )
    reuse = exchange(
        {"error": {"type": "idempotency_error", "message": "m"}}, status=400
    )
    contracts.idempotency_key_reuse_refused(CTX, reuse)
    rejects(
        contracts._idempotency.KeyReuseAccepted,
        contracts.idempotency_key_reuse_refused,
        exchange(session),
        says="400 idempotency_error",
    )


def test_http_contracts(session):
    contracts.responses_are_json(
        CTX, exchange(session, content_type="application/json; charset=utf-8")
    )
    rejects(
        contracts._http.NotJson,
        contracts.responses_are_json,
        exchange(session, content_type="text/html"),
        says="'text/html'",
    )
    contracts.responses_carry_request_id(CTX, exchange(session))
    rejects(
        contracts._http.MissingRequestId,
        contracts.responses_carry_request_id,
        exchange(session, request_id=None),
        says="without Request-Id",
    )
    first = exchange(session, request_id="req_1")
    contracts.responses_carry_request_id(
        CTX, exchange(session, request_id="req_2"), earlier=[first]
    )
    with pytest.raises(contracts._http.MissingRequestId) as raised:
        contracts.responses_carry_request_id(
            CTX, error_exchange(400), earlier=[exchange(session, request_id="req_test")]
        )
    assert "Request-Id 'req_test' on two answers (200, then 400)" in str(raised.value)


# -- model ----------------------------------------------------------------------------
def test_model_contracts(session):
    steps = [Step("create", (exchange(session),))]
    model = ModelSession(id=session["id"], created=session["created"], status="expired")
    expired = {**session, "status": "expired", "url": None}
    contracts.expired_sessions_stay_expired(CTX, exchange(expired), model, steps)
    contracts.retrieve_agrees_with_model(CTX, exchange(expired), model, steps)
    text = rejects(
        contracts._model.ExpiredReopened,
        contracts.expired_sessions_stay_expired,
        exchange(session),
        model,
        steps,
        says="Steps (the shortest sequence",
    )
    assert "1. create" in text
    rejects(
        contracts._model.ModelDisagreement,
        contracts.retrieve_agrees_with_model,
        exchange({**expired, "metadata": {"x": "y"}}),
        model,
        steps,
        says="expected {}",
    )


def test_list_agrees_with_model():
    older, newer = ModelSession("cs_test_1", 10), ModelSession("cs_test_2", 11)
    contracts.list_agrees_with_model(
        CTX, [page_of(sess(2, 11), sess(1, 10))], [older, newer], []
    )
    rejects(
        contracts._model.ListDisagreesWithModel,
        contracts.list_agrees_with_model,
        [page_of(sess(1, 10))],
        [older, newer],
        [],
        says="not listed: cs_test_2",
    )


def test_refused_requests_change_nothing(session):
    refused = error_exchange(400)
    contracts.refused_requests_change_nothing(
        CTX, refused, exchange(session), exchange(session), []
    )
    changed = {**session, "metadata": {"a": "1"}}
    rejects(
        contracts._model.RefusalChangedState,
        contracts.refused_requests_change_nothing,
        refused,
        exchange(session),
        exchange(changed),
        [],
        says="metadata: {} -> {'a': '1'}",
    )


def test_refused_requests_change_nothing_compares_only_sessions_it_was_shown(session):
    """A 5xx or a refusal to either retrieve leaves the session unknown: that answer
    is the finding of the contract that owns it, never a change blamed on the
    refusal (a proxy's injected 500 once made this contract fail falsely)."""
    refused = error_exchange(400)
    for before, after, owner in (
        (error_exchange(500), exchange(session), contracts._errors.ServerError),
        (exchange(session), error_exchange(500), contracts._errors.ServerError),
        (exchange(session), error_exchange(404), contracts._shape.RequestRefused),
    ):
        with pytest.raises(owner):
            contracts.refused_requests_change_nothing(CTX, refused, before, after, [])
    with pytest.raises(contracts._errors.ServerError):
        contracts.refused_requests_change_nothing(
            CTX, error_exchange(500), exchange(session), exchange(session), []
        )


def test_concurrent_creates_get_distinct_ids(session):
    creates = [exchange({**session, "id": f"cs_test_{i}"}) for i in range(3)]
    contracts.concurrent_creates_get_distinct_ids(
        CTX, creates, [page_of(*(sess(i, 10) for i in range(3)))]
    )
    same = [exchange(session) for _ in range(2)]
    rejects(
        contracts._model.DuplicateIds,
        contracts.concurrent_creates_get_distinct_ids,
        same,
        [page_of(sess(1, 10))],
        says="ids given more than once",
    )


# -- registry and rendering ----------------------------------------------------------
def test_every_contract_has_a_unit_test_here():
    """A contract added without a test in this file fails here, by name."""
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [
        name
        for name in REGISTRY
        if f"contracts.{name}(" not in source and f"contracts.{name}," not in source
    ]
    assert not untested, f"contracts without a unit test: {untested}"


def test_registry_is_sorted_and_titled():
    names = list(REGISTRY)
    assert names == sorted(names)
    for entry in REGISTRY.values():
        assert entry.failure.contract == entry.name
        assert entry.title
        assert "\n" not in entry.title


def test_failure_report_shows_curl_with_redacted_key_and_trimmed_body(session):
    params = {"mode": "payment", "metadata": {"k": "v"}}
    with pytest.raises(ContractFailure) as raised:
        contracts.livemode_matches_key_mode(
            CTX, exchange({**session, "livemode": True}, params=params)
        )
    text = raised.value.render()
    assert text.startswith("[livemode_matches_key_mode] livemode disagrees")
    assert "Reproduce:" in text
    assert "curl" in text
    assert "$STRIPE_API_KEY" in text
    assert "'metadata[k]=v'" in text
    assert "Stripe-Version: 2024-04-10" in text
    assert "Response: 200 application/json, Request-Id req_test" in text
    assert '"livemode": true' in text
    assert "more fields" in text, "a 50-field session must be trimmed"


def test_reproduction_captures_created_ids_for_later_steps(session):
    created = exchange(session, params={"mode": "payment"})
    retrieved = exchange(session, method="GET", path=f"{SESSIONS}/{session['id']}")
    script = contracts.reproduction_script([created, retrieved])
    joined = "\n".join(script)
    assert "CS1=$(curl" in joined
    assert '"$CS1"' in joined
    assert session["id"] not in joined.split("CS1=")[1].split("\n", 1)[1]


def test_a_reproduction_script_replays_on_a_fresh_server(tmp_path):
    """Pasted into bash, the script of a create then a retrieve runs against a server
    where the ids differ (another server than the one the exchanges came from), and
    a create the server refuses stops the script with its answer, not a traceback."""
    import os
    import subprocess

    from client import CheckoutClient
    from reference_server import ReferenceServer

    key = "sk_test_reproductionScript"
    params = {
        "mode": "payment",
        "success_url": "https://example.com/",
        "line_items": [
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 500,
                    "product_data": {"name": "Tea"},
                },
                "quantity": 2,
            }
        ],
    }
    with (
        ReferenceServer() as first,
        CheckoutClient(first.url, key, stripe_version="2024-04-10") as client,
    ):
        created = client.create_session(params)
        retrieved = client.retrieve_session(str(created.response.json["id"]))
    script = "\n".join(contracts.reproduction_script([created, retrieved]))
    # The same script where the fresh server refuses the create (as it refuses a
    # price the run created elsewhere): it stops with that answer.
    refusing = script.replace("mode=payment", "mode=donation", 1)
    assert refusing != script
    for lines, ok in ((script, True), (refusing, False)):
        with ReferenceServer() as fresh:
            done = subprocess.run(
                ["bash", "-c", lines.replace(first.url, fresh.url)],
                env={**os.environ, "STRIPE_API_KEY": key},
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        assert "Traceback" not in done.stderr, done.stderr
        if ok:
            assert json.loads(done.stdout)["object"] == "checkout.session", done
        else:
            assert "no id in: " in done.stderr, done
