"""Object ids and request ids shaped like Stripe's (`cs_test_a1B2...`, `req_...`)."""

from __future__ import annotations

import itertools
import random
import string
import threading

_ALPHABET = string.ascii_letters + string.digits
# Stripe ids are opaque random strings; uniqueness only needs enough entropy
# (62**24 values), and callers that must be unique also check the store. A
# seeded Mersenne Twister is fast enough for thousands of ids per second,
# unlike SystemRandom's one system call per character.
_random = random.Random()


def new_id(prefix: str, length: int = 24) -> str:
    """`prefix` followed by `length` random letters and digits."""
    return prefix + "".join(_random.choices(_ALPHABET, k=length))


class RequestIds:
    """Request ids (`req_...`) that never repeat within one server."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self._stem = "".join(_random.choices(_ALPHABET, k=8))

    def next(self) -> str:
        with self._lock:
            number = next(self._counter)
        return f"req_{self._stem}{number:06d}"
