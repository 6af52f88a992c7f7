"""How long to wait before retrying: Retry-After parsing and exponential backoff.

Private: used by the client's retry loop and tested directly.
"""

from __future__ import annotations

import random
import re
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Final

MAX_RETRY_AFTER: Final = 60.0
BACKOFF_START: Final = 0.5
BACKOFF_CAP: Final = 8.0
# A refused connection is usually a server still starting, or gone for good:
# two quick retries cover the first without slowing down the report of the second.
CONNECT_RETRY_DELAYS: Final = (0.1, 0.3)

_DELTA_SECONDS = re.compile(r"\d+(?:\.\d+)?")


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait according to a Retry-After header, or None if unusable.

    Accepts delta-seconds (`"2"`, and leniently `"1.5"`) and an HTTP-date, which
    is measured from `now` (Unix seconds). The result is clamped to [0, 60] so a
    confused server can neither stall the suite nor make it hammer.
    """
    if value is None:
        return None
    text = value.strip()
    if _DELTA_SECONDS.fullmatch(text):
        seconds = float(text)
    else:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            # RFC 9110 dates are always GMT; a date without a zone means GMT too.
            moment = moment.replace(tzinfo=UTC)
        seconds = moment.timestamp() - now
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def backoff_delay(retry_number: int, rng: random.Random) -> float:
    """The delay before retry `retry_number` (0-based) when the server gave no
    Retry-After: exponential from 0.5 s, capped at 8 s, with jitter.

    The result lies in [base / 2, base] with `base = min(8, 0.5 * 2**retry_number)`,
    so workers that were rate-limited together do not retry together.
    """
    base = min(BACKOFF_CAP, BACKOFF_START * 2.0 ** min(retry_number, 32))
    return base / 2 + rng.uniform(0.0, base / 2)
