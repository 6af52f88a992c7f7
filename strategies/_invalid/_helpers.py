"""Small draws the families share: a valid base session and its parts.

`_base` draws a valid session (`session_params`) with the named optional keys
excluded, so a family's one violation is the only one. The other helpers pick a
line item, read a base's currency, or draw fixed-size values (fake ids, long
URLs and texts, image lists); each strategy is built once (`@cached`).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Collection
from typing import Any, Final, cast

from hypothesis import strategies as st

from strategies._api import Mode, PriceKind, UiMode
from strategies._fixtures import PRICE_CATALOGUE
from strategies._line_items import image_urls
from strategies._sessions import Params, session_params
from strategies._support import cached, integers_between, sampled


def _base(
    draw: st.DrawFn,
    *,
    modes: Collection[str] = ("payment", "subscription", "setup"),
    ui_mode: UiMode | None = None,
    price_kind: str | None = None,
    currency: str | None = None,
    exclude: Collection[str] = (),
) -> Params:
    mode = cast(Mode, draw(sampled(tuple(modes))))
    params = draw(
        session_params(
            mode=mode,
            ui_mode=ui_mode,
            price_kind=cast(PriceKind, price_kind) if mode != "setup" else None,
            currency=currency,
            exclude=frozenset(exclude),
        )
    )
    return params


def _index(
    draw: st.DrawFn, params: Params, *, where: Callable[[Any], bool] = bool
) -> int:
    indices = [i for i, item in enumerate(params["line_items"]) if where(item)]
    return indices[draw(integers_between(0, len(indices) - 1))]


def _currency_of(params: Params) -> str:
    if "currency" in params:
        return str(params["currency"])
    for item in params.get("line_items", []):
        if "price_data" in item:
            return str(item["price_data"]["currency"])
        name = str(item["price"]).removeprefix("<price:").removesuffix(">")
        return PRICE_CATALOGUE[name].currency
    return "usd"


def _is_recurring(item: dict[str, Any]) -> bool:
    if "price_data" in item:
        return "recurring" in item["price_data"]
    return not str(item["price"]).endswith("_one_time>")


def _item_paths(i: int, *fields: str) -> list[str]:
    return [
        f"line_items[{i}]" + "".join(f"[{f}]" for f in path.split("."))
        for path in fields
    ]


@cached
def _unknown_names() -> st.SearchStrategy[str]:
    typos = ("sucess_url", "line_item", "metdata", "customer_mail", "modes", "colour")
    made_up = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=10)
    return st.one_of(sampled(typos), made_up.map(lambda tail: f"zz_{tail}"))


@cached
def _fake_ids(prefix: str) -> st.SearchStrategy[str]:
    tail = st.text(
        alphabet=string.ascii_letters + string.digits, min_size=24, max_size=24
    )
    return tail.map(lambda t: f"{prefix}{t}")


def _long_url(draw: st.DrawFn, length: int) -> str:
    head = "https://example.com/"
    filler = draw(sampled(tuple(string.ascii_lowercase)))
    return head + filler * (length - len(head))


_BOOLEANS: Final = st.booleans()
_DIGIT_STRINGS: Final = st.text(alphabet=string.digits, min_size=1, max_size=11)


@cached
def _fixed_length_texts(alphabet: str, length: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=length, max_size=length)


@cached
def _image_lists(count: int) -> st.SearchStrategy[list[str]]:
    return st.lists(image_urls(), min_size=count, max_size=count)


_CUSTOMER_KEYS: Final = (
    "customer",
    "customer_email",
    "customer_update",
    "customer_creation",
    "tax_id_collection",
)
