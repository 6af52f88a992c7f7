"""Create: valid parameters are accepted and answer a well-formed, consistent Session.

Contracts about fields surviving a round trip (schema, documented fields, echoes)
draw dense sessions, with about half of every optional key, since a field that is
never sent can never be lost.

Each test judges one contract over sessions created from generated valid parameters
(catalogue §2, §3), so a failure names exactly the promise that broke and Hypothesis
shrinks the parameters to the smallest request that still breaks it.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given

import contracts
from run import scaled
from strategies import (
    BOUNDARY_KINDS,
    SPEC_PARAM_REQUESTS,
    boundary_create_params,
    session_create_params,
)
from tests.contract._flows import create_ok


@pytest.mark.contract("valid_requests_succeed")
@given(params=session_create_params())
def test_valid_create_is_accepted(api, ctx, params):
    create_ok(api, ctx, params)


def boundary_test_name(kind):
    """The name of the test that sends the boundary `kind` (`BOUNDARY_KINDS`)."""
    return "test_boundary_create_is_accepted_" + re.sub(r"\W+", "_", kind).strip("_")


# One test per boundary, so that each limit is sent at its value in every run
# (generated, not parametrized: each needs its own @given to replay regressions).
def _boundary_test(kind):
    @pytest.mark.contract("valid_requests_succeed")
    @scaled(0.08, at_least=2)
    @given(params=boundary_create_params(kinds=[kind]))
    def test(api, ctx, params):
        create_ok(api, ctx, params)

    test.__name__ = test.__qualname__ = boundary_test_name(kind)
    test.__doc__ = f"Boundary {kind!r}: a valid request at the limit succeeds."
    return test


for _kind in BOUNDARY_KINDS:
    _test = _boundary_test(_kind)
    globals()[_test.__name__] = _test
del _kind, _test


def spec_params_test_name(request):
    """The name of the test that sends `SPEC_PARAM_REQUESTS[request]`."""
    return "test_spec_parameters_are_accepted_" + re.sub(r"\W+", "_", request).strip(
        "_"
    )


# Every create parameter of the spec, each at least once in a valid request: fixed
# requests, one test each, so every run sends every one (a failure names the
# request, and the refusal its parameter).
def _spec_params_test(request):
    @pytest.mark.contract("valid_requests_succeed")
    def test(api, ctx):
        create_ok(api, ctx, SPEC_PARAM_REQUESTS[request])

    test.__name__ = test.__qualname__ = spec_params_test_name(request)
    test.__doc__ = (
        f"Spec parameters ({request}): a valid request holding them succeeds."
    )
    return test


for _request in SPEC_PARAM_REQUESTS:
    _test = _spec_params_test(_request)
    globals()[_test.__name__] = _test
del _request, _test


@pytest.mark.contract("response_matches_schema")
@given(params=session_create_params(dense=True))
def test_create_answers_a_schema_valid_session(api, ctx, params):
    created = create_ok(api, ctx, params, expand=["line_items"])
    contracts.response_matches_schema(ctx, created, "session")


@pytest.mark.contract("session_has_every_documented_field")
@given(params=session_create_params(dense=True))
def test_created_session_has_every_documented_field(api, ctx, params):
    contracts.session_has_every_documented_field(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("object_names_are_correct")
@given(params=session_create_params())
def test_created_session_names_its_objects(api, ctx, params):
    created = create_ok(api, ctx, params, expand=["line_items"])
    contracts.object_names_are_correct(ctx, created, "checkout.session")


@pytest.mark.contract("ids_have_stripe_prefixes")
@given(params=session_create_params())
def test_created_ids_have_stripe_prefixes(api, ctx, params):
    created = create_ok(api, ctx, params, expand=["line_items"])
    contracts.ids_have_stripe_prefixes(ctx, created)


@pytest.mark.contract("livemode_matches_key_mode")
@given(params=session_create_params())
def test_created_session_livemode_matches_key(api, ctx, params):
    created = create_ok(api, ctx, params, expand=["line_items"])
    contracts.livemode_matches_key_mode(ctx, created)


@pytest.mark.contract("timestamps_are_unix_seconds")
@given(params=session_create_params())
def test_created_timestamps_are_unix_seconds(api, ctx, params):
    created = create_ok(api, ctx, params, expand=["line_items"])
    contracts.timestamps_are_unix_seconds(ctx, created)


@pytest.mark.contract("enum_fields_have_known_values")
@given(params=session_create_params())
def test_created_session_enums_are_known(api, ctx, params):
    contracts.enum_fields_have_known_values(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("linked_objects_match_mode")
@given(params=session_create_params())
def test_fresh_session_links_nothing_early(api, ctx, params):
    contracts.linked_objects_match_mode(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("payment_status_matches_mode")
@given(params=session_create_params())
def test_payment_status_matches_mode(api, ctx, params):
    contracts.payment_status_matches_mode(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("url_present_only_for_open_hosted")
@given(params=session_create_params())
def test_url_only_for_open_hosted_sessions(api, ctx, params):
    contracts.url_present_only_for_open_hosted(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("client_secret_only_for_embedded")
@given(params=session_create_params())
def test_client_secret_only_for_embedded_sessions(api, ctx, params):
    contracts.client_secret_only_for_embedded(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("expires_at_honours_request")
@given(params=session_create_params())
def test_expires_at_is_requested_or_a_day(api, ctx, params):
    contracts.expires_at_honours_request(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("session_echoes_core_params")
@given(params=session_create_params(dense=True))
# Always a success_url holding the literal {CHECKOUT_SESSION_ID} (the drawn ones
# hold it only sometimes), so the echo of that template is judged in every run.
@example(params=SPEC_PARAM_REQUESTS["payment_intent_data"])
def test_session_echoes_core_params(api, ctx, params):
    contracts.session_echoes_core_params(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("metadata_round_trips")
@given(params=session_create_params())
def test_metadata_round_trips(api, ctx, params):
    contracts.metadata_round_trips(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("metadata_round_trips")
@scaled(0.5, at_least=5)
@given(params=boundary_create_params())
def test_boundary_metadata_round_trips(api, ctx, params):
    contracts.metadata_round_trips(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("session_echoes_request")
@given(params=session_create_params(dense=True))
def test_session_echoes_request(api, ctx, params):
    contracts.session_echoes_request(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("answers_describe_the_requested_session")
@given(params=session_create_params())
def test_create_answer_refers_to_itself(api, ctx, params):
    created = create_ok(api, ctx, params, expand=["line_items"])
    contracts.answers_describe_the_requested_session(ctx, created)
