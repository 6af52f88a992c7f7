"""The catalogue of faults a server can be started with.

Each fault is one misbehaviour modelled on a mistake real implementations make.
It is switched on by name and implemented at exactly one site in the package
(grep for its name); with no faults the server is the reference behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

FAULTS: Mapping[str, str] = MappingProxyType(
    {
        "omit_null_fields": (
            "session and line item JSON omit every key whose value is null"
        ),
        "amounts_as_strings": (
            "session amount_subtotal and amount_total are serialised as decimal strings"
        ),
        "line_item_object_line_item": 'line items carry "object": "line_item"',
        "uuid_session_ids": "session ids are bare UUID4 strings (no cs_test_ prefix)",
        "livemode_true": "objects say livemode: true under test keys",
        "timestamps_in_milliseconds": (
            "session created and expires_at are in milliseconds"
        ),
        "status_active": 'a fresh session\'s status is "active" instead of "open"',
        "no_request_id_on_errors": (
            "the Request-Id header is omitted on error responses"
        ),
        "errors_served_as_html": (
            "error responses keep their JSON body but say Content-Type: text/html"
        ),
        "error_type_nonstandard": (
            'validation errors (400) have type: "validation_error"'
        ),
        "subtotal_skips_last_item": (
            "with 2+ line items the session amount_subtotal leaves out the last item "
            "(amount_total follows it)"
        ),
        "total_ignores_quantity": (
            "session amount_total is the sum of unit amounts (quantity ignored)"
        ),
        "line_item_subtotal_ignores_quantity": (
            "each line item's amount_subtotal/amount_total equal the unit amount "
            "(quantity ignored)"
        ),
        "setup_mode_unpaid": 'setup-mode sessions have payment_status: "unpaid"',
        "embedded_has_url": "embedded sessions get a non-null url",
        "hosted_has_client_secret": "hosted sessions get a client_secret",
        "expires_at_ignores_request": (
            "expires_at is always created + 24 h, even when the request set it"
        ),
        "success_url_placeholder_substituted": (
            "a literal {CHECKOUT_SESSION_ID} in success_url is replaced by the id"
        ),
        "metadata_keys_lowercased": (
            "metadata keys are stored lowercased (create and update)"
        ),
        "cancel_url_dropped": (
            "a cancel_url sent on create is accepted but not stored (cancel_url null)"
        ),
        "retrieve_forgets_customer_email": (
            "retrieve answers customer_email: null (create's answer was right)"
        ),
        "line_items_endpoint_reversed": (
            "/line_items lists items in reverse order (expand[]=line_items stays right)"
        ),
        "payment_intent_created_eagerly": (
            "payment-mode sessions get a pi_... payment_intent at creation"
        ),
        "list_url_with_query": "list envelopes' url includes the query string",
        "list_limit_off_by_one": (
            "lists return limit+1 objects when that many are available"
        ),
        "list_limit_unbounded": "limit outside 1..100 is clamped instead of refused",
        "list_oldest_first": (
            "the sessions list is ordered oldest first (cursors consistent with that "
            "order)"
        ),
        "starting_after_skips_one": (
            "a starting_after page leaves out the first object after the cursor"
        ),
        "ending_before_from_top": (
            "an ending_before page holds the newest limit objects instead of the ones"
            " before the cursor"
        ),
        "both_cursors_accepted": (
            "starting_after together with ending_before is accepted (starting_after "
            "wins)"
        ),
        "unknown_cursor_empty_page": "an unknown cursor id gets 200 with an empty page",
        "created_gte_exclusive": "created[gte] behaves like created[gt]",
        "status_filter_ignored": "the list status filter is ignored",
        "expire_keeps_url": "expired hosted sessions keep their url",
        "expire_is_repeatable": "expiring an already expired session answers 200",
        "expire_not_persisted": (
            "expire answers the expired session but the stored one stays open"
        ),
        "update_replaces_metadata": (
            "update replaces the whole metadata map instead of merging"
        ),
        "update_empty_value_stored": (
            'metadata[k]= on update stores "" instead of removing k'
        ),
        "update_reopens_expired": (
            "updating an expired session succeeds and sets its status back to open"
        ),
        "refused_update_partially_applied": (
            "a refused update still applies the valid metadata keys before the "
            "invalid one"
        ),
        "unknown_params_ignored": (
            "unknown parameters (top-level and nested) are silently ignored"
        ),
        "quantity_zero_accepted": "line item quantity=0 is accepted",
        "error_param_unindexed": (
            "error param names only the leaf (quantity instead of "
            "line_items[0][quantity])"
        ),
        "unknown_session_400": (
            "unknown session ids answer 400 (still resource_missing) instead of 404"
        ),
        "crash_on_colliding_keys": (
            "a body using one key both as array and object (a[0]=x&a[b]=y) answers 500"
        ),
        "auth_not_enforced": "requests without Authorization are served",
        "any_bearer_accepted": (
            "any Authorization value is accepted as long as one is present"
        ),
        "idempotency_ignored": "Idempotency-Key is ignored (every request executes)",
        "idempotency_mismatch_replays": (
            "same key with different params replays the stored response instead of 400"
        ),
        "list_omits_newest": "lists never include the most recently created session",
        "retrieve_stale_copy": (
            "retrieve returns the session as it was at creation (ignores later "
            "expire/update)"
        ),
        "duplicate_ids_under_concurrency": (
            "session ids come from a per-connection counter, so creates on different "
            "connections collide"
        ),
        "reject_quantity_above_one": "any line item quantity > 1 is refused with 400",
        "crash_on_unknown_expansion": (
            "an expand path naming an unknown field under a known one (customer.x) "
            "crashes the handler: 500 api_error"
        ),
        "mistyped_crash_on_unknown_expansion": (
            "an expand path naming an unknown field under a known one (customer.x) "
            "answers 500 with type invalid_request_error"
        ),
        "drop_connection_on_wildcard_expand": (
            "an expand path with a * closes the connection without an answer"
        ),
        "expire_answers_other_id": (
            "expire expires the session named in the path but answers with a fresh id"
        ),
        "post_line_items_url_is_request_path": (
            "create and expire answers with expand[]=line_items give line_items.url "
            "the request's path"
        ),
        "hosted_url_names_other_session": (
            "hosted session urls embed one fixed session id, not the session's own"
        ),
        "request_id_constant": "every answer carries the same Request-Id",
        "max_length_not_enforced": (
            "strings longer than the schema's maxLength (client_reference_id 200, "
            "URLs 5000, ...) are accepted"
        ),
        "session_ids_truncated": (
            "session path ids are cut to 66 characters, so a longer id finds the "
            "session it starts with"
        ),
        "session_lookup_ignores_prefix": (
            "session path ids are looked up without their prefix (pi_X finds cs_test_X)"
        ),
        "echo_key_in_errors": (
            "every error message quotes the request's Authorization header verbatim"
        ),
        "mode_scope_not_enforced": (
            "parameters only some modes take (line_items in setup, submit_type, "
            "*_intent_data, customer_creation, payment_method_collection, ...) are "
            "accepted in every mode"
        ),
        "ui_mode_urls_not_enforced": (
            "the URL rules of ui_mode (success_url/cancel_url for hosted, return_url "
            "and redirect_on_completion for embedded, well-formed URLs) are not "
            "enforced"
        ),
        "customer_rules_not_enforced": (
            "customer with customer_email, customer_update without customer, and "
            "unknown customers are accepted (no customer attached)"
        ),
        "expiry_window_not_enforced": (
            "expires_at outside 30 minutes..24 hours after creation is accepted"
        ),
        "discount_rules_not_enforced": (
            "discounts with allow_promotion_codes, more than one discount, and "
            "unknown coupons are accepted (no discount applied)"
        ),
        "custom_fields_not_checked": (
            "custom_fields are not checked (more than 3 fields are accepted)"
        ),
        "trial_rules_not_enforced": (
            "subscription_data trial_period_days under 1 and trial_end under 48 h "
            "ahead are accepted"
        ),
        "line_item_limits_not_enforced": (
            "line item counts are not limited (over 100 in payment mode, over 20 "
            "recurring or 20 one-time in subscription mode are accepted)"
        ),
        "line_item_limits_exclusive": (
            "line item limits are exclusive: exactly 100 items in payment mode, or "
            "20 of a kind in subscription mode, are refused"
        ),
        "adjustable_quantity_not_checked": (
            "adjustable_quantity is not checked (maximum over 999999, quantity "
            "outside minimum..maximum are accepted)"
        ),
        "adjustable_maximum_exclusive": (
            "adjustable_quantity maximum 999999 (the largest allowed) is refused"
        ),
        "quantity_defaults_to_one": (
            "a line item without quantity gets quantity 1 instead of a refusal"
        ),
        "setup_currency_not_required": (
            "setup-mode sessions without currency (and without payment_method_types) "
            "are accepted"
        ),
        "mixed_currencies_accepted": (
            "line items in different currencies are accepted (the session takes the "
            "first item's)"
        ),
        "max_length_exclusive": (
            "strings exactly at the schema's maxLength (client_reference_id 200, "
            "URLs 5000, ...) are refused"
        ),
        "metadata_limits_not_enforced": (
            "metadata limits are not checked (over 50 keys, keys over 40 and values "
            "over 500 characters are accepted)"
        ),
        "metadata_limits_exclusive": (
            "metadata exactly at its limits (50 keys, 40-character keys, "
            "500-character values) is refused"
        ),
        "shipping_option_limit_not_enforced": (
            "more than 5 shipping options are accepted"
        ),
        "shipping_option_limit_exclusive": "exactly 5 shipping options are refused",
        "custom_field_limit_exclusive": "exactly 3 custom fields are refused",
        "image_limit_not_enforced": "more than 8 product images are accepted",
        "image_limit_exclusive": "exactly 8 product images are refused",
        "interval_limit_not_enforced": (
            "recurring intervals over three years (interval_count over 3 years, 36 "
            "months, 156 weeks, 1095 days) are accepted"
        ),
        "interval_limit_exclusive": (
            "recurring intervals of exactly three years are refused"
        ),
        "amount_limit_not_enforced": (
            "unit amounts and session totals over 99999999 are accepted"
        ),
        "amount_limit_exclusive": (
            "a unit amount or session total of exactly 99999999 (the largest "
            "allowed) is refused"
        ),
        "mode_inferred_when_missing": (
            "a create without mode is accepted: subscription when a line item "
            "recurs, else payment"
        ),
        "line_items_not_required": (
            "payment and subscription sessions without line_items are accepted with "
            "an empty cart"
        ),
        "price_source_not_checked": (
            "a line item's price source is not checked: price wins over price_data, "
            "unit_amount over unit_amount_decimal, a missing amount is 0, a missing "
            "product is unnamed, an item with neither price nor price_data is dropped"
        ),
        "negative_quantity_read_as_positive": (
            "a negative line item quantity is read as its absolute value"
        ),
        "recurring_mode_mismatch_accepted": (
            "recurring prices in payment mode, and subscription mode without one, "
            "are accepted"
        ),
        "any_currency_accepted": (
            "any currency code is accepted, not only the supported ones"
        ),
        "negative_amounts_accepted": (
            "negative unit_amount and unit_amount_decimal are accepted"
        ),
        "fractional_amounts_rounded": (
            "a price finer than the currency's minor unit is rounded instead of refused"
        ),
        "unknown_price_accepted": (
            "a line item naming a price that does not exist is sold as a one-time "
            "usd 10.00 item"
        ),
        "enums_not_enforced": (
            "string parameters restricted to an enum accept any value (mode, "
            "locale, payment_method_types, nested enums, ...)"
        ),
        "scalar_types_read_leniently": (
            "malformed integers are read by their leading digits (none: the "
            "parameter is dropped) and any boolean other than false is true"
        ),
        "nested_required_not_enforced": (
            "a nested object missing a required field is accepted and the field "
            "defaulted (currency usd, name Item, interval month, enabled false, "
            "type text)"
        ),
        "non_ascii_refused": (
            "any parameter value with a character outside ASCII is refused"
        ),
        "expiry_window_narrowed": (
            "expires_at within 5 minutes of either end of the 30-minute..24-hour "
            "window is refused"
        ),
        "line_items_starting_after_ignored": (
            "the line items endpoint ignores starting_after (every page starts at the "
            "first item)"
        ),
        "line_items_ending_before_ignored": (
            "the line items endpoint ignores ending_before (every page starts at the "
            "first item)"
        ),
        "filtered_cursor_found_unfiltered": (
            "with list filters, a sessions list cursor is located by its position in "
            "the unfiltered list, so filtered pages skip or repeat sessions"
        ),
    }
)


def checked_faults(faults: Iterable[str]) -> frozenset[str]:
    """`faults` as a set, after checking every name.

    Raises ValueError naming the valid choices for an unknown name.
    """
    if isinstance(faults, str):
        raise ValueError(
            f"faults={faults!r} is a string; pass a list of fault names, e.g. "
            f"faults=[{faults!r}]."
        )
    chosen = frozenset(faults)
    unknown = sorted(chosen - FAULTS.keys())
    if unknown:
        raise ValueError(
            f"unknown fault name(s) {', '.join(map(repr, unknown))}; valid faults: "
            + ", ".join(FAULTS)
        )
    return chosen
