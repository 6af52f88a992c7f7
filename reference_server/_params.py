"""Request schemas of every endpoint other than session create.

The session endpoints mirror the 2024-04-10 OpenAPI description (checked by
`test_endpoint_schemas_match_openapi`); the update endpoint is metadata-only for
this version; prices, customers and coupons take only the minimal parameters the suite
needs, so anything else is an unknown parameter.
"""

from __future__ import annotations

from ._create_params import CREATE_SESSION
from ._schema import DECIMAL, EXPAND, ID, INT, STR, AnyOf, Map, Obj, Str

__all__ = [
    "CREATE_COUPON",
    "CREATE_CUSTOMER",
    "CREATE_PRICE",
    "CREATE_SESSION",
    "EXPIRE_SESSION",
    "LIST_LINE_ITEMS",
    "LIST_SESSIONS",
    "RETRIEVE",
    "UPDATE_SESSION",
]

RETRIEVE = Obj({"expand": EXPAND})
EXPIRE_SESSION = Obj({"expand": EXPAND})
UPDATE_SESSION = Obj({"expand": EXPAND, "metadata": Map(STR)})

LIST_SESSIONS = Obj(
    {
        "created": AnyOf(Obj({"gt": INT, "gte": INT, "lt": INT, "lte": INT}), INT),
        "customer": ID,
        "customer_details": Obj({"email": STR}, required=("email",)),
        "ending_before": ID,
        "expand": EXPAND,
        "limit": INT,
        "payment_intent": ID,
        "payment_link": ID,
        "starting_after": ID,
        "status": Str(enum=("complete", "expired", "open")),
        "subscription": ID,
    }
)
LIST_LINE_ITEMS = Obj(
    {"ending_before": ID, "expand": EXPAND, "limit": INT, "starting_after": ID}
)

CREATE_PRICE = Obj(
    {
        "currency": STR,
        "expand": EXPAND,
        "metadata": Map(STR),
        "nickname": ID,
        "product": ID,
        "product_data": Obj({"name": ID}, required=("name",)),
        "recurring": Obj(
            {
                "interval": Str(enum=("day", "month", "week", "year")),
                "interval_count": INT,
            },
            required=("interval",),
        ),
        "unit_amount": INT,
        "unit_amount_decimal": DECIMAL,
    },
    required=("currency",),
)
CREATE_CUSTOMER = Obj(
    {
        "email": Str(max_length=512),
        "expand": EXPAND,
        "metadata": Map(STR),
        "name": Str(max_length=256),
    }
)
CREATE_COUPON = Obj(
    {
        "duration": Str(enum=("forever", "once", "repeating")),
        "duration_in_months": INT,
        "expand": EXPAND,
        "metadata": Map(STR),
        "name": Str(max_length=40),
        "percent_off": DECIMAL,
    }
)
