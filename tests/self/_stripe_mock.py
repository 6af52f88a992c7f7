"""The real stripe-mock, started on free 127.0.0.1 ports for the self-tests.

Where the binary comes from, first found wins: `--stripe-mock PATH`, the
`STRIPE_MOCK` environment variable, `../shared/peers/stripe-mock/stripe-mock` beside
the checkout. Without one, a test that needs it is skipped with how to get it; under
CI (`CI=true`) it fails instead, because CI always has the binary and a skip there
would hide a broken gate.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BESIDE_CHECKOUT = ROOT.parent / "shared" / "peers" / "stripe-mock" / "stripe-mock"
ENV_VAR = "STRIPE_MOCK"
_LISTENING = re.compile(r"Listening for HTTP at address: (\S+)")
_START_SECONDS = 20.0


def find_binary(option: str | None) -> Path:
    """The stripe-mock executable to use; skips (fails under CI) when there is none."""
    for candidate in (option, os.environ.get(ENV_VAR), str(BESIDE_CHECKOUT)):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    on_path = shutil.which("stripe-mock")
    if on_path:
        return Path(on_path)
    message = (
        "stripe-mock is needed and was not found: pass --stripe-mock PATH, set "
        f"{ENV_VAR}=PATH, or put the binary at {BESIDE_CHECKOUT} (build it from "
        "github.com/stripe/stripe-mock with `go build`, or use its release binary)."
    )
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@contextmanager
def running_stripe_mock(binary: Path) -> Iterator[str]:
    """Start `binary` on free loopback ports (HTTP and HTTPS: given only one, it
    opens the other on every interface); yield its HTTP base URL; stop it."""
    process = subprocess.Popen(
        [str(binary), "-http-addr", "127.0.0.1:", "-https-addr", "127.0.0.1:"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",  # it logs request bodies, which may be any bytes
    )
    drain: threading.Thread | None = None
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + _START_SECONDS
        seen: list[str] = []
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line)
            match = _LISTENING.search(line)
            if match:
                # stripe-mock logs every request: unread, its pipe fills and the
                # mock blocks mid-answer, which would look like a hanging target.
                drain = threading.Thread(
                    target=_drain, args=(process.stdout,), daemon=True
                )
                drain.start()
                yield f"http://{match.group(1)}"
                return
        pytest.fail(f"stripe-mock did not start: {''.join(seen)[-2000:]}")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        if drain is not None:
            drain.join(10)  # the pipe ends with the process
        if process.stdout is not None:
            process.stdout.close()


def _drain(stream: object) -> None:
    for _ in stream:  # type: ignore[attr-defined]
        pass
