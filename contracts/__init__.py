"""The contract catalogue as code: invariants that any Checkout Sessions server must
keep.

Public API:

- one function per invariant, named for the promise it checks (e.g.
  `session_subtotal_is_sum_of_line_items`); each takes a `ContractContext` and the
  exchanges it judges, returns None, and raises its own `ContractFailure` subclass;
- `REGISTRY` (name -> `Contract`, iterated in sorted order), `CAPABILITIES`,
  `contract_of(error)`;
- `ContractFailure`, `Step` (a step of a multi-request scenario), `ContractContext`,
  `ModelSession` and `merged_metadata` (the model the stateful test keeps),
  `ExpectedRefusal` (what an invalid request must get);
- `reproduction_script` and `response_excerpt`, used to render failures;
- `connection_dropped`: `no_server_errors`' finding for a request that got no answer.
"""

from __future__ import annotations

from contracts._answers import answers_describe_the_requested_session
from contracts._consistency import (
    line_items_endpoint_matches_expansion,
    retrieve_equals_create,
)
from contracts._context import ContractContext
from contracts._errors import (
    ExpectedRefusal,
    conditional_rules_are_enforced,
    connection_dropped,
    error_names_offending_param,
    errors_have_stripe_shape,
    errors_never_echo_the_key,
    impossible_session_ids_are_refused,
    invalid_key_is_401,
    missing_key_is_401,
    no_server_errors,
    schema_violations_are_rejected,
    unknown_session_is_404,
)
from contracts._failures import ContractFailure, Step, response_excerpt
from contracts._http import responses_are_json, responses_carry_request_id
from contracts._idempotency import (
    idempotency_key_reuse_refused,
    idempotent_replay_is_identical,
)
from contracts._lifecycle import (
    expire_closes_session,
    expire_twice_refused,
    merged_metadata,
    update_merges_metadata,
)
from contracts._lists import (
    list_backward_walk_mirrors_forward,
    list_cursors_are_exclusive,
    list_envelope_is_valid,
    list_filters_select_exactly,
    list_forward_walk_is_complete,
    list_is_newest_first,
    list_limit_out_of_range_refused,
    list_respects_limit,
    list_unknown_cursor_refused,
)
from contracts._model import (
    ModelSession,
    concurrent_creates_get_distinct_ids,
    expired_sessions_stay_expired,
    list_agrees_with_model,
    refused_requests_change_nothing,
    retrieve_agrees_with_model,
)
from contracts._registry import CAPABILITIES, REGISTRY, Contract, contract_of
from contracts._reproduce import reproduction_script
from contracts._semantics import (
    client_secret_only_for_embedded,
    expires_at_honours_request,
    line_item_amounts_are_consistent,
    linked_objects_match_mode,
    metadata_round_trips,
    payment_status_matches_mode,
    session_echoes_core_params,
    session_echoes_request,
    session_subtotal_is_sum_of_line_items,
    session_total_follows_from_details,
    url_present_only_for_open_hosted,
)
from contracts._shape import (
    enum_fields_have_known_values,
    ids_have_stripe_prefixes,
    livemode_matches_key_mode,
    object_names_are_correct,
    response_matches_schema,
    session_has_every_documented_field,
    timestamps_are_unix_seconds,
    valid_requests_succeed,
)

__all__ = [
    "CAPABILITIES",
    "REGISTRY",
    "Contract",
    "ContractContext",
    "ContractFailure",
    "ExpectedRefusal",
    "ModelSession",
    "Step",
    "answers_describe_the_requested_session",
    "client_secret_only_for_embedded",
    "concurrent_creates_get_distinct_ids",
    "conditional_rules_are_enforced",
    "connection_dropped",
    "contract_of",
    "enum_fields_have_known_values",
    "error_names_offending_param",
    "errors_have_stripe_shape",
    "errors_never_echo_the_key",
    "expire_closes_session",
    "expire_twice_refused",
    "expired_sessions_stay_expired",
    "expires_at_honours_request",
    "idempotency_key_reuse_refused",
    "idempotent_replay_is_identical",
    "ids_have_stripe_prefixes",
    "impossible_session_ids_are_refused",
    "invalid_key_is_401",
    "line_item_amounts_are_consistent",
    "line_items_endpoint_matches_expansion",
    "linked_objects_match_mode",
    "list_agrees_with_model",
    "list_backward_walk_mirrors_forward",
    "list_cursors_are_exclusive",
    "list_envelope_is_valid",
    "list_filters_select_exactly",
    "list_forward_walk_is_complete",
    "list_is_newest_first",
    "list_limit_out_of_range_refused",
    "list_respects_limit",
    "list_unknown_cursor_refused",
    "livemode_matches_key_mode",
    "merged_metadata",
    "metadata_round_trips",
    "missing_key_is_401",
    "no_server_errors",
    "object_names_are_correct",
    "payment_status_matches_mode",
    "refused_requests_change_nothing",
    "reproduction_script",
    "response_excerpt",
    "response_matches_schema",
    "responses_are_json",
    "responses_carry_request_id",
    "retrieve_agrees_with_model",
    "retrieve_equals_create",
    "schema_violations_are_rejected",
    "session_echoes_core_params",
    "session_echoes_request",
    "session_has_every_documented_field",
    "session_subtotal_is_sum_of_line_items",
    "session_total_follows_from_details",
    "timestamps_are_unix_seconds",
    "unknown_session_is_404",
    "update_merges_metadata",
    "url_present_only_for_open_hosted",
    "valid_requests_succeed",
]
