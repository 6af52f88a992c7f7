"""How a request authenticates: `Auth.API_KEY`, `Auth.NONE`, `Auth.literal(value)`.

Public through `client`: `Auth`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

AuthKind = Literal["api_key", "none", "literal"]


@dataclass(frozen=True, slots=True)
class Auth:
    """The Authorization header of one request, without ever holding the API key.

    - `Auth.API_KEY` (the default): `Authorization: Bearer <the client's key>`;
      records and cURL show it as `$STRIPE_API_KEY`.
    - `Auth.NONE`: no Authorization header at all.
    - `Auth.literal("Bearer not_a_stripe_key")`: exactly that header value, for the
      401 tests. The value is not secret and is shown as is; the client refuses a
      literal that contains its API key.
    """

    kind: AuthKind
    header_value: str | None = None

    API_KEY: ClassVar[Auth]
    NONE: ClassVar[Auth]

    def __post_init__(self) -> None:
        if (self.kind == "literal") != (self.header_value is not None):
            raise ValueError(
                f"Auth(kind={self.kind!r}, header_value={self.header_value!r}) is "
                f"inconsistent; use Auth.API_KEY, Auth.NONE or Auth.literal(value)."
            )

    @classmethod
    def literal(cls, header_value: str) -> Auth:
        """An Authorization header sent exactly as `header_value` (not a secret)."""
        if not isinstance(header_value, str):
            raise TypeError(
                f"Auth.literal(header_value={header_value!r}) needs a str, the whole "
                f"header value, e.g. 'Bearer not_a_stripe_key'."
            )
        if "\r" in header_value or "\n" in header_value:
            raise ValueError(
                f"Auth.literal(header_value={header_value!r}) contains a line break, "
                f"which no HTTP header can carry."
            )
        return cls("literal", header_value)


Auth.API_KEY = Auth("api_key")
Auth.NONE = Auth("none")
