"""R-19..R-24 and "promotion-codes-in-setup": mode-scoped options and counts.

Each variant breaks one rule: `submit_type` outside payment (R-19), collection
options in setup (R-20), promotion codes in setup or with `discounts` (R-21),
more than one discount (R-22), too many shipping options, custom fields or
images (R-23), a trial too short (R-24).
"""

from __future__ import annotations

import copy

from hypothesis import strategies as st

from strategies._api import MAX_CUSTOM_FIELDS, MAX_PRODUCT_IMAGES, MAX_SHIPPING_OPTIONS
from strategies._fixtures import COUPON_CATALOGUE
from strategies._invalid._helpers import (
    _BOOLEANS,
    _base,
    _currency_of,
    _image_lists,
    _index,
)
from strategies._invalid._registry import _accept, _Mutation, _pick, _variant
from strategies._placeholders import coupon_ref, now_plus
from strategies._sessions import (
    custom_fields,
    shipping_address_collections,
    shipping_options,
)
from strategies._support import cached, integers_between, sampled


@_variant("R-19", "conditional")
def _submit_type_outside_payment(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("subscription", "setup"))
    params["submit_type"] = draw(sampled(("auto", "book", "donate", "pay")))
    return _Mutation(
        params,
        f"submit_type in {params['mode']} mode",
        _accept("submit_type", "mode", None),
    )


@_variant("R-20", "conditional")
def _collection_in_setup(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("setup",))
    name = draw(sampled(("phone_number_collection", "saved_payment_method_options")))
    if name == "phone_number_collection":
        params[name] = {"enabled": draw(_BOOLEANS)}
    else:
        params[name] = {"payment_method_save": draw(sampled(("enabled", "disabled")))}
    return _Mutation(params, f"{name} in setup mode", _accept(name, "mode", None))


@_variant("promotion-codes-in-setup", "conditional")
def _promotion_codes_in_setup(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("setup",))
    params["allow_promotion_codes"] = draw(_BOOLEANS)
    return _Mutation(
        params,
        "allow_promotion_codes in setup mode",
        _accept("allow_promotion_codes", "mode", None),
    )


@cached
def _coupons() -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(COUPON_CATALOGUE)).map(coupon_ref)


@_variant("R-21", "conditional")
def _promotion_codes_and_discounts(draw: st.DrawFn) -> _Mutation:
    params = _base(
        draw, modes=("payment", "subscription"), exclude={"allow_promotion_codes"}
    )
    params["allow_promotion_codes"] = True
    params["discounts"] = [{"coupon": draw(_coupons())}]
    return _Mutation(
        params,
        "allow_promotion_codes together with discounts",
        _accept("allow_promotion_codes", "discounts", None),
    )


@_variant("R-22", "conditional")
def _two_discounts(draw: st.DrawFn) -> _Mutation:
    params = _base(
        draw, modes=("payment", "subscription"), exclude={"allow_promotion_codes"}
    )
    params["discounts"] = [
        {"coupon": coupon_ref(name)} for name in sorted(COUPON_CATALOGUE)
    ]
    return _Mutation(params, "two discounts", _accept("discounts", None))


@_variant("R-23", "conditional")
def _too_many_shipping_options(draw: st.DrawFn) -> _Mutation:
    params = _base(
        draw,
        modes=("payment",),
        exclude={"shipping_address_collection", "shipping_options"},
    )
    params["shipping_address_collection"] = draw(shipping_address_collections())
    count = MAX_SHIPPING_OPTIONS + 1
    params["shipping_options"] = draw(
        shipping_options(currency=_currency_of(params), min_size=count, max_size=count)
    )
    return _Mutation(
        params, f"{count} shipping options", _accept("shipping_options", None)
    )


@_variant("R-23", "conditional")
def _too_many_custom_fields(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "subscription"), exclude={"custom_fields"})
    field = draw(custom_fields())[0]
    count = MAX_CUSTOM_FIELDS + 1
    params["custom_fields"] = [
        {**copy.deepcopy(field), "key": f"{field['key']}{k}"} for k in range(count)
    ]
    return _Mutation(params, f"{count} custom fields", _accept("custom_fields", None))


@_variant("R-23", "conditional")
def _too_many_images(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "subscription"), price_kind="unit_amount")
    i = _index(draw, params)
    count = MAX_PRODUCT_IMAGES + 1
    images = draw(_image_lists(count))
    params["line_items"][i]["price_data"]["product_data"]["images"] = images
    path = f"line_items[{i}][price_data][product_data][images]"
    return _Mutation(params, f"{path} has {count} images", _accept(path, None))


@_variant("R-24", "conditional", cases=("trial_period_days", "trial_end"))
def _trial_too_short(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw, modes=("subscription",))
    data = params.setdefault("subscription_data", {})
    data.pop("trial_settings", None)
    data.pop("trial_end", None)
    if _pick(draw, case, ("trial_period_days", "trial_end")) == "trial_period_days":
        data["trial_period_days"] = draw(sampled((0, -1)))
        path = "subscription_data[trial_period_days]"
        what = f"trial_period_days={data['trial_period_days']}"
    else:
        data.pop("trial_period_days", None)
        # Pinned: an hour short of the 48 h minimum, clear of clock skew.
        hours = 47 if case is not None else draw(integers_between(1, 47))
        data["trial_end"] = now_plus(hours * 3600)
        path = "subscription_data[trial_end]"
        what = f"trial_end {hours} h ahead (under 48 h)"
    return _Mutation(params, what, _accept(path, None))
