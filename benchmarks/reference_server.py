"""Throughput of the embedded reference server over one keep-alive connection.

Measures sequential session creates per second, retrieves per second, and the
time to walk a 1,000-session list with limit=100, using `http.client` (no
third-party client in the way). Prints a small Markdown table.

    .venv/bin/python benchmarks/reference_server.py [--creates N] [--retrieves N]
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Run as a script, this file's own folder would come first on sys.path and its
# name would shadow the package it measures.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from reference_server import ReferenceServer  # noqa: E402

HEADERS = {
    "Authorization": "Bearer sk_test_benchmark",
    "Content-Type": "application/x-www-form-urlencoded",
    "Stripe-Version": "2024-04-10",
}
CREATE_BODY = (
    "mode=payment&success_url=https%3A%2F%2Fexample.com%2Fsuccess"
    "&line_items[0][price_data][currency]=usd"
    "&line_items[0][price_data][unit_amount]=1500"
    "&line_items[0][price_data][product_data][name]=T-shirt"
    "&line_items[0][quantity]=2"
    "&metadata[order]=1234"
)


def _call(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: str | None = None,
) -> Any:
    connection.request(method, path, body=body, headers=HEADERS)
    response = connection.getresponse()
    payload = response.read()
    if response.status != 200:
        raise SystemExit(
            f"{method} {path} answered {response.status}: {payload[:300]!r}"
        )
    return json.loads(payload)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creates", type=int, default=3000)
    parser.add_argument("--retrieves", type=int, default=3000)
    parser.add_argument(
        "--walk", type=int, default=1000, help="sessions in the list walk"
    )
    args = parser.parse_args()
    with ReferenceServer() as server:
        address = urlsplit(server.url)
        connection = http.client.HTTPConnection(address.hostname, address.port)
        for _ in range(200):  # warm-up
            _call(connection, "POST", "/v1/checkout/sessions", CREATE_BODY)

        started = time.perf_counter()
        ids = [
            _call(connection, "POST", "/v1/checkout/sessions", CREATE_BODY)["id"]
            for _ in range(args.creates)
        ]
        creates_per_second = args.creates / (time.perf_counter() - started)

        started = time.perf_counter()
        for index in range(args.retrieves):
            _call(connection, "GET", f"/v1/checkout/sessions/{ids[index % len(ids)]}")
        retrieves_per_second = args.retrieves / (time.perf_counter() - started)
        connection.close()

    with ReferenceServer() as server:
        address = urlsplit(server.url)
        connection = http.client.HTTPConnection(address.hostname, address.port)
        for _ in range(args.walk):
            _call(connection, "POST", "/v1/checkout/sessions", CREATE_BODY)
        started = time.perf_counter()
        seen = 0
        pages = 0
        cursor = ""
        while True:
            page = _call(connection, "GET", f"/v1/checkout/sessions?limit=100{cursor}")
            seen += len(page["data"])
            pages += 1
            if not page["has_more"]:
                break
            cursor = f"&starting_after={page['data'][-1]['id']}"
        walk_seconds = time.perf_counter() - started
        connection.close()
    if seen != args.walk:
        raise SystemExit(f"the list walk saw {seen} sessions, expected {args.walk}")

    print("| measurement | result |")
    print("|---|---|")
    print(
        f"| sequential creates | {creates_per_second:,.0f} /s ({args.creates} calls) |"
    )
    print(
        f"| sequential retrieves | {retrieves_per_second:,.0f} /s "
        f"({args.retrieves} calls) |"
    )
    print(
        f"| list walk, {args.walk} sessions, limit=100 | {walk_seconds * 1000:,.1f} ms "
        f"({pages} pages) |"
    )


if __name__ == "__main__":
    main()
