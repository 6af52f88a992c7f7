"""Command line: `python -m reference_server [--host H] [--port P] [--fault NAME]...`.

Prints one line with the server's URL, then serves until Ctrl-C (exit 0).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from ._faults import FAULTS
from ._server import ReferenceServer


def main(
    argv: list[str] | None = None, *, prog: str = "python -m reference_server"
) -> int:
    """Run the CLI; returns the process exit status. `prog` is how the user started
    it (the installed tool passes its own command)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Serve the reference Checkout Sessions API on a loopback port.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument(
        "--port", type=int, default=12111, help="port (0 = any free one)"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="switch on a fault (repeatable); see --list-faults",
    )
    parser.add_argument(
        "--list-faults", action="store_true", help="print the fault names and exit"
    )
    args = parser.parse_args(argv)
    if args.list_faults:
        width = max(map(len, FAULTS))
        for name, description in FAULTS.items():
            sys.stdout.write(f"{name:<{width}}  {description}\n")
        return 0
    try:
        server = ReferenceServer(
            host=args.host,
            port=args.port,
            faults=args.fault,
        )
    except ValueError as error:
        parser.error(str(error))
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        server.start()
    except OSError as error:
        sys.stderr.write(f"cannot listen on {args.host}:{args.port}: {error}\n")
        return 1
    sys.stdout.write(f"{server.url}\n")
    sys.stdout.flush()
    if args.fault:  # on stderr: stdout is the URL alone, for scripts that read it
        sys.stderr.write(f"faults switched on: {', '.join(args.fault)}\n")
        sys.stderr.flush()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
