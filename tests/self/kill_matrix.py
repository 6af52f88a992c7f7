"""The kill matrix: each reference-server fault, and the contract meant to catch it.

Every contract has at least one fault here, modelled on a mistake a real
implementation makes; `tests/self/test_kill_matrix.py` proves each is caught by its
contract, and `scripts/kill_matrix.py` runs the whole suite against every fault and
writes KILL_MATRIX.md.
"""

from __future__ import annotations

#: fault name (reference_server.FAULTS) -> the contracts that must fail because of it
#: (each on its own: a run limited to that contract's tests must fail with its
#: headline).
CATCHES: dict[str, tuple[str, ...]] = {
    "omit_null_fields": ("session_has_every_documented_field",),
    "amounts_as_strings": ("response_matches_schema",),
    "line_item_object_line_item": ("object_names_are_correct",),
    "uuid_session_ids": ("ids_have_stripe_prefixes",),
    "livemode_true": ("livemode_matches_key_mode",),
    "timestamps_in_milliseconds": ("timestamps_are_unix_seconds",),
    "status_active": ("enum_fields_have_known_values",),
    "no_request_id_on_errors": ("responses_carry_request_id",),
    "errors_served_as_html": ("responses_are_json",),
    "error_type_nonstandard": ("errors_have_stripe_shape",),
    "subtotal_skips_last_item": ("session_subtotal_is_sum_of_line_items",),
    "total_ignores_quantity": ("session_total_follows_from_details",),
    "line_item_subtotal_ignores_quantity": ("line_item_amounts_are_consistent",),
    "setup_mode_unpaid": ("payment_status_matches_mode",),
    "embedded_has_url": ("url_present_only_for_open_hosted",),
    "hosted_has_client_secret": ("client_secret_only_for_embedded",),
    "expires_at_ignores_request": ("expires_at_honours_request",),
    "success_url_placeholder_substituted": ("session_echoes_core_params",),
    "metadata_keys_lowercased": ("metadata_round_trips",),
    "cancel_url_dropped": ("session_echoes_request",),
    "retrieve_forgets_customer_email": ("retrieve_equals_create",),
    "line_items_endpoint_reversed": ("line_items_endpoint_matches_expansion",),
    "payment_intent_created_eagerly": ("linked_objects_match_mode",),
    "list_url_with_query": ("list_envelope_is_valid",),
    "list_limit_off_by_one": ("list_respects_limit",),
    "list_limit_unbounded": ("list_limit_out_of_range_refused",),
    "list_oldest_first": ("list_is_newest_first",),
    "starting_after_skips_one": ("list_forward_walk_is_complete",),
    "ending_before_from_top": ("list_backward_walk_mirrors_forward",),
    "both_cursors_accepted": ("list_cursors_are_exclusive",),
    "unknown_cursor_empty_page": ("list_unknown_cursor_refused",),
    "created_gte_exclusive": ("list_filters_select_exactly",),
    "status_filter_ignored": ("list_filters_select_exactly",),
    "expire_keeps_url": ("expire_closes_session",),
    "expire_is_repeatable": ("expire_twice_refused",),
    "expire_not_persisted": ("expire_closes_session", "expired_sessions_stay_expired"),
    "update_replaces_metadata": (
        "update_merges_metadata",
        "retrieve_agrees_with_model",
    ),
    "update_empty_value_stored": ("update_merges_metadata",),
    "update_reopens_expired": ("expired_sessions_stay_expired",),
    "refused_update_partially_applied": ("refused_requests_change_nothing",),
    "unknown_params_ignored": ("schema_violations_are_rejected",),
    "quantity_zero_accepted": ("conditional_rules_are_enforced",),
    "max_length_not_enforced": ("schema_violations_are_rejected",),
    "error_param_unindexed": ("error_names_offending_param",),
    "unknown_session_400": ("unknown_session_is_404",),
    "crash_on_colliding_keys": ("no_server_errors",),
    "crash_on_unknown_expansion": ("no_server_errors",),
    "drop_connection_on_wildcard_expand": ("no_server_errors",),
    "mistyped_crash_on_unknown_expansion": ("errors_have_stripe_shape",),
    "auth_not_enforced": ("missing_key_is_401",),
    "any_bearer_accepted": ("invalid_key_is_401",),
    "idempotency_ignored": ("idempotent_replay_is_identical",),
    "idempotency_mismatch_replays": ("idempotency_key_reuse_refused",),
    "list_omits_newest": ("list_agrees_with_model", "list_forward_walk_is_complete"),
    "retrieve_stale_copy": ("expired_sessions_stay_expired",),
    "duplicate_ids_under_concurrency": ("concurrent_creates_get_distinct_ids",),
    "reject_quantity_above_one": ("valid_requests_succeed",),
    "expire_answers_other_id": ("answers_describe_the_requested_session",),
    "post_line_items_url_is_request_path": ("answers_describe_the_requested_session",),
    "hosted_url_names_other_session": ("answers_describe_the_requested_session",),
    "request_id_constant": ("responses_carry_request_id",),
    "echo_key_in_errors": ("errors_never_echo_the_key",),
    "session_ids_truncated": ("impossible_session_ids_are_refused",),
    "session_lookup_ignores_prefix": ("impossible_session_ids_are_refused",),
    "mode_scope_not_enforced": ("conditional_rules_are_enforced",),
    "ui_mode_urls_not_enforced": ("conditional_rules_are_enforced",),
    "customer_rules_not_enforced": ("conditional_rules_are_enforced",),
    "expiry_window_not_enforced": ("conditional_rules_are_enforced",),
    "discount_rules_not_enforced": ("conditional_rules_are_enforced",),
    "custom_fields_not_checked": ("conditional_rules_are_enforced",),
    "trial_rules_not_enforced": ("conditional_rules_are_enforced",),
    "line_item_limits_not_enforced": ("conditional_rules_are_enforced",),
    "line_item_limits_exclusive": ("valid_requests_succeed",),
    "adjustable_quantity_not_checked": ("conditional_rules_are_enforced",),
    "adjustable_maximum_exclusive": ("valid_requests_succeed",),
    "quantity_defaults_to_one": ("conditional_rules_are_enforced",),
    "setup_currency_not_required": ("conditional_rules_are_enforced",),
    "mixed_currencies_accepted": ("conditional_rules_are_enforced",),
    "max_length_exclusive": ("valid_requests_succeed",),
    "metadata_limits_not_enforced": ("conditional_rules_are_enforced",),
    "metadata_limits_exclusive": ("valid_requests_succeed",),
    "shipping_option_limit_not_enforced": ("conditional_rules_are_enforced",),
    "shipping_option_limit_exclusive": ("valid_requests_succeed",),
    "custom_field_limit_exclusive": ("valid_requests_succeed",),
    "image_limit_not_enforced": ("conditional_rules_are_enforced",),
    "image_limit_exclusive": ("valid_requests_succeed",),
    "interval_limit_not_enforced": ("conditional_rules_are_enforced",),
    "interval_limit_exclusive": ("valid_requests_succeed",),
    "amount_limit_not_enforced": ("conditional_rules_are_enforced",),
    "amount_limit_exclusive": ("valid_requests_succeed",),
    "mode_inferred_when_missing": ("conditional_rules_are_enforced",),
    "line_items_not_required": ("conditional_rules_are_enforced",),
    "price_source_not_checked": ("conditional_rules_are_enforced",),
    "negative_quantity_read_as_positive": ("conditional_rules_are_enforced",),
    "recurring_mode_mismatch_accepted": ("conditional_rules_are_enforced",),
    "any_currency_accepted": ("conditional_rules_are_enforced",),
    "negative_amounts_accepted": ("conditional_rules_are_enforced",),
    "fractional_amounts_rounded": ("conditional_rules_are_enforced",),
    "unknown_price_accepted": ("conditional_rules_are_enforced",),
    "enums_not_enforced": ("schema_violations_are_rejected",),
    "scalar_types_read_leniently": ("schema_violations_are_rejected",),
    "nested_required_not_enforced": ("schema_violations_are_rejected",),
    "non_ascii_refused": ("valid_requests_succeed",),
    "expiry_window_narrowed": ("valid_requests_succeed",),
    "line_items_starting_after_ignored": (
        "list_forward_walk_is_complete",
        "list_unknown_cursor_refused",
    ),
    "line_items_ending_before_ignored": (
        "list_backward_walk_mirrors_forward",
        "list_unknown_cursor_refused",
    ),
    "filtered_cursor_found_unfiltered": ("list_forward_walk_is_complete",),
}

#: Coverage rows (see scripts/coverage_table.py: "variant NAME" for each way to
#: break a rule, "boundary KIND" for each limit sent at its value) -> the fault
#: that proves the row's gate test catches its violation: with the fault on, that
#: test alone fails (tests/self/test_kill_matrix.py runs each).
_BY_FAULT: dict[str, tuple[str, ...]] = {
    "mode_scope_not_enforced": (
        "line_items_in_setup",
        "intent_data_in_wrong_mode",
        "customer_creation_in_subscription",
        "payment_method_collection_outside_subscription",
        "submit_type_outside_payment",
        "collection_in_setup",
        "promotion_codes_in_setup",
    ),
    "ui_mode_urls_not_enforced": (
        "hosted_without_success_url",
        "hosted_with_return_url",
        "embedded_with_hosted_url",
        "embedded_without_return_url",
        "never_redirect_with_return_url",
        "hosted_with_redirect_on_completion",
        "malformed_url",
    ),
    "customer_rules_not_enforced": (
        "customer_and_email",
        "customer_update_without_customer",
        "unknown_customer",
    ),
    "expiry_window_not_enforced": (
        "expiry_outside_window:too_soon",
        "expiry_outside_window:too_late",
        "expiry_outside_window:in_the_past",
    ),
    "discount_rules_not_enforced": ("promotion_codes_and_discounts", "two_discounts"),
    "custom_fields_not_checked": ("too_many_custom_fields",),
    "trial_rules_not_enforced": (
        "trial_too_short:trial_period_days",
        "trial_too_short:trial_end",
    ),
    "quantity_zero_accepted": ("quantity_not_positive:0",),
    "max_length_not_enforced": (
        "string_too_long:client_reference_id",
        "string_too_long:success_url",
        "string_too_long:cancel_url",
        "string_too_long:return_url",
        "nested_string_too_long:product_name",
        "nested_string_too_long:product_description",
        "nested_string_too_long:payment_intent_data",
        "nested_string_too_long:subscription_data",
        "nested_string_too_long:setup_intent_data",
    ),
    "unknown_params_ignored": ("unknown_top_level", "unknown_nested"),
    "line_item_limits_not_enforced": (
        "too_many_payment_items",
        "too_many_subscription_items:recurring",
        "too_many_subscription_items:one_time",
    ),
    "adjustable_quantity_not_checked": (
        "adjustable_maximum_too_large",
        "quantity_outside_adjustable_bounds:maximum",
        "quantity_outside_adjustable_bounds:minimum",
    ),
    "quantity_defaults_to_one": ("quantity_missing",),
    "setup_currency_not_required": ("setup_without_currency",),
    "mixed_currencies_accepted": ("mixed_currencies",),
    "metadata_limits_not_enforced": (
        "too_many_metadata_keys:session",
        "too_many_metadata_keys:intent_data",
        "metadata_key_too_long:session",
        "metadata_key_too_long:intent_data",
        "metadata_value_too_long:session",
        "metadata_value_too_long:intent_data",
    ),
    "shipping_option_limit_not_enforced": ("too_many_shipping_options",),
    "image_limit_not_enforced": ("too_many_images",),
    "interval_limit_not_enforced": (
        "interval_over_three_years:month",
        "interval_over_three_years:year",
        "interval_over_three_years:week",
    ),
    "amount_limit_not_enforced": ("amount_too_large",),
    "mode_inferred_when_missing": ("mode_missing",),
    "line_items_not_required": ("line_items_missing",),
    "price_source_not_checked": (
        "price_and_price_data",
        "neither_price_nor_price_data",
        "both_amounts",
        "no_amount",
        "no_product",
    ),
    "negative_quantity_read_as_positive": ("quantity_not_positive:-1",),
    "recurring_mode_mismatch_accepted": (
        "recurring_in_payment",
        "subscription_without_recurring",
    ),
    "any_currency_accepted": ("unsupported_currency",),
    "negative_amounts_accepted": (
        "negative_amount:unit_amount",
        "negative_amount:unit_amount_decimal",
    ),
    "fractional_amounts_rounded": ("fraction_of_minor_unit",),
    "unknown_price_accepted": ("unknown_price",),
    "enums_not_enforced": (
        "mode_bogus",
        "unknown_payment_method_type",
        "bad_top_level_enum:locale",
        "bad_top_level_enum:billing_address_collection",
        "bad_top_level_enum:customer_creation",
        "bad_enum",
    ),
    "scalar_types_read_leniently": ("wrong_scalar_type",),
    "nested_required_not_enforced": ("missing_nested_required",),
}
#: The same for boundary rows: a fault that refuses the value exactly at its limit.
_BOUNDARIES_BY_FAULT: dict[str, tuple[str, ...]] = {
    "line_item_limits_exclusive": (
        "100 line items",
        "20 recurring + 20 one-time line items",
    ),
    "adjustable_maximum_exclusive": ("largest adjustable quantity",),
    "max_length_exclusive": (
        "200-character client_reference_id",
        "5000-character URLs",
    ),
    "metadata_limits_exclusive": ("metadata at every limit",),
    "shipping_option_limit_exclusive": ("5 shipping options",),
    "custom_field_limit_exclusive": ("3 custom fields",),
    "image_limit_exclusive": ("8 product images",),
    "interval_limit_exclusive": ("recurring interval at the 3-year limit",),
    "amount_limit_exclusive": ("largest total amount", "largest unit_amount_decimal"),
    "non_ascii_refused": ("non-ASCII text",),
    "expiry_window_narrowed": (
        "expires_at just after 30 minutes",
        "expires_at just before 24 hours",
    ),
}
PROVING_FAULTS: dict[str, str] = {
    **{
        f"variant {variant}": fault
        for fault, variants in _BY_FAULT.items()
        for variant in variants
    },
    **{
        f"boundary {kind}": fault
        for fault, kinds in _BOUNDARIES_BY_FAULT.items()
        for kind in kinds
    },
}

#: Rows whose gate test has no proving fault yet: the reference server needs a
#: fault that breaks exactly that rule. This set may only shrink; the self-test
#: fails when a row is missing from both maps, or proven and still listed here.
UNPROVEN: frozenset[str] = frozenset()

#: Faults that (also) exist for other self-tests than the kill matrix.
NOT_CONTRACT_FAULTS: dict[str, str] = {
    "echo_key_in_errors": "the secret-leak self-test: the suite must redact a key the "
    "target echoes back",
}


def pairs() -> list[tuple[str, str]]:
    """Every (fault, contract) the kill matrix proves, sorted."""
    return sorted(
        (fault, contract)
        for fault, contracts in CATCHES.items()
        for contract in contracts
    )
