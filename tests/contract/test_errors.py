"""Errors (catalogue §7, §12): invalid input is refused precisely, never with a 5xx."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import contracts
from client import Auth, BracketList
from run import scaled
from strategies import (
    invalid_create_params,
    invalid_variants,
    malformed_bodies,
    odd_expansions,
    odd_param_names,
    variant_rule,
)
from tests.contract._flows import (
    answer_or_none,
    answered,
    create_ok,
    minimal_session_params,
    session_id,
)

SESSIONS = "/v1/checkout/sessions"
_ID_TAIL = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    min_size=24,
    max_size=24,
)


# One test per variant of every rule family (each way to break the rule, each
# side of a limit: `invalid_variants`), so that every variant runs in every run
# whatever the seed; a short run of one mixed strategy meets only some of them.
# Generated rather than parametrized because each needs its own top-level @given:
# that is what lets a failure be saved as a regression and replayed first.
_CHECKS = {
    "schema": (
        "schema_violations_are_rejected",
        "test_schema_violation",
        contracts.schema_violations_are_rejected,
    ),
    "conditional": (
        "conditional_rules_are_enforced",
        "test_conditional_rule",
        contracts.conditional_rules_are_enforced,
    ),
    None: (
        "error_names_offending_param",
        "test_error_param_for",
        contracts.error_names_offending_param,
    ),
}


def rule_test_name(enforced_by, variant):
    """The name of the test that judges `variant` (see `invalid_variants`) with the
    contract of `enforced_by` (None: the error's param)."""
    rule = variant_rule(variant)
    tail = re.sub(r"\W", "_", f"{rule}_{variant}")
    return f"{_CHECKS[enforced_by][1]}_{tail}"


def _rule_test(variant, enforced_by):
    contract, _, check = _CHECKS[enforced_by]

    @pytest.mark.contract(contract)
    # A 40 001-character product description is the minimal example there
    # is; printing it is expensive but right.
    @pytest.mark.filterwarnings("ignore:Generating overly large repr")
    # Two examples per variant in the gate (80 while fuzzing): every variant is
    # exercised in every run, and drawing stays a small part of the run.
    @scaled(0.08, at_least=2)
    @given(case=invalid_create_params(variants=[variant]))
    def test(api, ctx, case):
        check(ctx, api.create_session(case.params, valid=False), case)

    test.__name__ = test.__qualname__ = rule_test_name(enforced_by, variant)
    test.__doc__ = f"{variant_rule(variant)}, variant {variant}: judged by {contract}."
    return test


for _enforcer in _CHECKS:
    for _variant in invalid_variants(enforced_by=_enforcer):
        _test = _rule_test(_variant, _enforcer)
        globals()[_test.__name__] = _test
del _enforcer, _variant, _test


@pytest.mark.contract("unknown_session_is_404")
@pytest.mark.parametrize("endpoint", ["retrieve", "line_items", "expire", "update"])
@scaled(0.2, at_least=3)
@given(tail=_ID_TAIL)
def test_unknown_session_is_404(api, ctx, endpoint, tail):
    unknown = f"cs_test_{tail}"
    exchange = {
        "retrieve": lambda: api.retrieve(unknown),
        "line_items": lambda: api.list_line_items(unknown),
        "expire": lambda: api.expire(unknown),
        "update": lambda: api.update(unknown, {"metadata": {"k": "v"}}),
    }[endpoint]()
    contracts.unknown_session_is_404(ctx, exchange)


@pytest.mark.contract("no_server_errors")
@given(body=malformed_bodies())
def test_malformed_bodies_get_no_server_error(api, ctx, body):
    exchange = api.send(
        "POST", SESSIONS, raw_body=body.body, content_type=body.content_type
    )
    contracts.no_server_errors(ctx, exchange)


# endpoint -> what its answer is, for the expansion paths that make sense there
_EXPANDING_ENDPOINTS = {
    "create": "session",
    "retrieve": "session",
    "expire": "session",
    "list": "session_list",
    "line_items": "line_item_list",
}


def _ask_with_expansions(api, ctx, endpoint, expand, *, dropped_is_a_finding=True):
    """The answer of `endpoint` to `expand[]` values (a fresh session for the
    endpoints that name one, so a stateful target has something to expand). A
    dropped connection is no_server_errors' finding, or (`dropped_is_a_finding`
    False) None."""
    params = {"expand": BracketList(expand)}

    def ask(method, path, params):
        if dropped_is_a_finding:
            return answered(api, ctx, method, path, params=params)
        return answer_or_none(api, method, path, params=params)

    if endpoint == "create":
        return ask("POST", SESSIONS, params={**minimal_session_params(), **params})
    if endpoint == "list":
        return ask("GET", SESSIONS, params=params)
    path = f"{SESSIONS}/{session_id(create_ok(api, ctx, minimal_session_params()))}"
    if endpoint == "expire":
        return ask("POST", f"{path}/expire", params=params)
    suffix = "/line_items" if endpoint == "line_items" else ""
    return ask("GET", path + suffix, params=params)


# Wildcards apart: a target that crashes on both kinds gets one report of each
# (one test reports one failure per contract, the simplest it shrinks to).
@pytest.mark.contract("no_server_errors")
@pytest.mark.parametrize("endpoint", list(_EXPANDING_ENDPOINTS))
@scaled(0.4, at_least=6)
@given(data=st.data())
def test_odd_expansions_get_no_server_error(api, ctx, endpoint, data):
    strategy = odd_expansions(_EXPANDING_ENDPOINTS[endpoint], wildcards=False)
    expand = data.draw(strategy, label="expand")
    contracts.no_server_errors(ctx, _ask_with_expansions(api, ctx, endpoint, expand))


@pytest.mark.contract("no_server_errors")
@pytest.mark.parametrize("endpoint", list(_EXPANDING_ENDPOINTS))
@scaled(0.2, at_least=3)
@given(data=st.data())
def test_wildcard_expansions_get_no_server_error(api, ctx, endpoint, data):
    strategy = odd_expansions(_EXPANDING_ENDPOINTS[endpoint], wildcards=True)
    expand = data.draw(strategy, label="expand")
    contracts.no_server_errors(ctx, _ask_with_expansions(api, ctx, endpoint, expand))


@pytest.mark.contract("no_server_errors")
@given(body=odd_param_names())
def test_odd_param_names_get_no_server_error(api, ctx, body):
    exchange = answered(
        api, ctx, "POST", SESSIONS, raw_body=body.body, content_type=body.content_type
    )
    contracts.no_server_errors(ctx, exchange)


@pytest.mark.contract("missing_key_is_401")
@pytest.mark.parametrize("endpoint", ["create", "list"])
def test_missing_key_is_401(api, ctx, endpoint):
    method, params = (
        ("POST", minimal_session_params()) if endpoint == "create" else ("GET", {})
    )
    exchange = api.send(method, SESSIONS, params=params, auth=Auth.NONE)
    contracts.missing_key_is_401(ctx, exchange)


@pytest.mark.contract("invalid_key_is_401")
@pytest.mark.parametrize(
    "header",
    [
        "Bearer not_a_stripe_key",
        "Bearer pk_test_publishable",
        "Basic bm90X2Ffa2V5Og==",
        "Bearer ",
        "sk_test_without_scheme",
    ],
)
def test_invalid_key_is_401(api, ctx, header):
    exchange = api.send("GET", SESSIONS, auth=Auth.literal(header))
    contracts.invalid_key_is_401(ctx, exchange)


@pytest.mark.contract("errors_have_stripe_shape")
@given(case=invalid_create_params())
def test_refusals_have_stripe_error_shape(api, ctx, case):
    contracts.errors_have_stripe_shape(
        ctx, api.create_session(case.params, valid=False)
    )


@pytest.mark.contract("errors_have_stripe_shape")
@pytest.mark.parametrize("endpoint", list(_EXPANDING_ENDPOINTS))
@scaled(0.2, at_least=4)
@given(data=st.data())
def test_odd_expansion_refusals_have_stripe_error_shape(api, ctx, endpoint, data):
    """Odd paths are where servers fail (catalogue §7.2): their 5xx, if any, must
    still be typed `api_error` (judged here; the 5xx itself is no_server_errors')."""
    expand = data.draw(odd_expansions(_EXPANDING_ENDPOINTS[endpoint]), label="expand")
    exchange = _ask_with_expansions(
        api, ctx, endpoint, expand, dropped_is_a_finding=False
    )
    # No answer, no shape to judge: test_wildcard_expansions_... reports that.
    assume(exchange is not None)
    contracts.errors_have_stripe_shape(ctx, exchange)


@pytest.mark.contract("errors_have_stripe_shape")
@scaled(0.2, at_least=2)
@given(tail=_ID_TAIL)
def test_not_found_and_unauthorised_have_stripe_error_shape(api, ctx, tail):
    contracts.errors_have_stripe_shape(ctx, api.retrieve(f"cs_test_{tail}"))
    contracts.errors_have_stripe_shape(ctx, api.send("GET", SESSIONS, auth=Auth.NONE))


@pytest.mark.contract("errors_have_stripe_shape")
@scaled(0.2, at_least=2)
@given(tail=_ID_TAIL)
def test_second_expire_has_stripe_error_shape(api, ctx, tail):
    created = create_ok(api, ctx, minimal_session_params(client_reference_id=tail))
    api.expire(session_id(created))
    contracts.errors_have_stripe_shape(ctx, api.expire(session_id(created)))


@pytest.mark.contract("errors_never_echo_the_key")
@scaled(0.2, at_least=3)
@given(tail=_ID_TAIL)
def test_unauthorised_answer_does_not_quote_the_key(api, ctx, tail):
    """A dummy publishable key (a key the target must refuse; not a credential)."""
    key = f"pk_test_{tail}"
    exchange = api.send("GET", SESSIONS, auth=Auth.literal(f"Bearer {key}"))
    contracts.errors_never_echo_the_key(ctx, exchange, key=key)


@pytest.mark.contract("errors_never_echo_the_key")
@scaled(0.2, at_least=3)
@given(case=invalid_create_params())
def test_refusals_do_not_quote_the_key(api, ctx, case):
    contracts.errors_never_echo_the_key(
        ctx, api.create_session(case.params, valid=False)
    )
