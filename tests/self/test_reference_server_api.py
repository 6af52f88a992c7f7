"""The public API of `reference_server`, its CLI, its parameter schemas against the
OpenAPI description, and the decisions table in README.md."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import reference_server
from reference_server import FAULTS, LoggedRequest, ReferenceServer
from reference_server._create_params import CREATE_SESSION
from reference_server._decisions import DECISIONS, decisions_markdown
from reference_server._params import (
    EXPIRE_SESSION,
    LIST_LINE_ITEMS,
    LIST_SESSIONS,
    RETRIEVE,
)
from reference_server._schema import AnyOf, Arr, Bool, Int, Map, Node, Num, Obj, Str
from tests.self.test_reference_server_support import Client

ROOT = Path(__file__).resolve().parents[2]
SPEC = Path(
    os.environ.get(
        "CHECKOUT_SPEC",
        "/work/shared/reference/openapi/checkout-sessions.spec3.json",
    )
)


def test_public_names() -> None:
    assert set(reference_server.__all__) == {
        "FAULTS",
        "LoggedRequest",
        "ReferenceServer",
    }
    # Names are what users type after --fault: lowercase identifiers, each described.
    assert all(name.isidentifier() and name.islower() for name in FAULTS)
    assert all(description for description in FAULTS.values())
    assert "ThreadingHTTPServer" in (reference_server.__doc__ or "")


def test_unknown_names_raise_value_error_listing_valid_ones() -> None:
    with pytest.raises(ValueError, match="status_active") as fault:
        ReferenceServer(faults=["no_such_fault"])
    assert "no_such_fault" in str(fault.value)
    with pytest.raises(ValueError, match="list of fault names"):
        ReferenceServer(faults="status_active")


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])
def test_only_loopback_hosts(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        ReferenceServer(host=host)


def test_lifecycle() -> None:
    server = ReferenceServer()
    with pytest.raises(RuntimeError):
        _ = server.url
    server.stop()  # stopping a server that never started does nothing
    assert server.start() is server
    assert server.url.startswith("http://127.0.0.1:")
    with pytest.raises(RuntimeError):
        server.start()
    with Client(server.url) as client:
        assert client.get("/v1/checkout/sessions").status == 200
        server.stop()
        server.stop()
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            client.get("/v1/checkout/sessions")


def test_ipv6_loopback() -> None:
    try:
        server = ReferenceServer(host="::1").start()
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    try:
        assert server.url.startswith("http://[::1]:")
        with Client(server.url) as client:
            assert client.get("/v1/checkout/sessions").status == 200
    finally:
        server.stop()


def test_request_log() -> None:
    with ReferenceServer() as server, Client(server.url) as client:
        before = time.monotonic()
        client.get("/v1/checkout/sessions", [("limit", "1")])
        client.get("/v1/checkout/sessions/cs_test_missing")
        log = server.request_log()
    assert [(e.method, e.path, e.status) for e in log] == [
        ("GET", "/v1/checkout/sessions", 200),
        ("GET", "/v1/checkout/sessions/cs_test_missing", 404),
    ]
    assert all(isinstance(entry, LoggedRequest) for entry in log)
    assert before <= log[0].arrived_at <= log[1].arrived_at
    with pytest.raises(AttributeError):
        log[0].status = 200  # type: ignore[misc]
    log.clear()
    assert len(server.request_log()) == 2


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reference_server", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_cli_lists_faults() -> None:
    done = _cli("--list-faults")
    assert done.returncode == 0
    names = [line.split()[0] for line in done.stdout.splitlines()]
    assert names == list(FAULTS)


def test_cli_refuses_unknown_fault() -> None:
    done = _cli("--port", "0", "--fault", "nope")
    assert done.returncode == 2
    assert "valid faults" in done.stderr


def test_cli_serves_until_ctrl_c() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reference_server",
            "--port",
            "0",
            "--fault",
            "status_active",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        with Client(url) as client:
            assert client.get("/v1/checkout/sessions").status == 200
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Traceback" not in stderr
    assert "faults switched on: status_active" in stderr  # stdout: the URL alone


# -- parameter schemas against the OpenAPI description -----------------------


def _from_spec(schema: dict[str, Any]) -> Any:
    """A spec request schema reduced to what the server's schemas encode."""
    if "anyOf" in schema:
        return ("anyOf", [_from_spec(option) for option in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "string":
        return (
            "str",
            schema.get("maxLength"),
            schema.get("enum"),
            schema.get("format") == "decimal",
        )
    if kind in ("integer", "number", "boolean"):
        return (kind,)
    if kind == "array":
        return ("array", _from_spec(schema["items"]))
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        return ("map", _from_spec(extra))
    properties = {
        name: _from_spec(value) for name, value in schema.get("properties", {}).items()
    }
    return ("object", properties, sorted(schema.get("required", [])))


def _from_node(node: Node) -> Any:
    if isinstance(node, AnyOf):
        return ("anyOf", [_from_node(option) for option in node.options])
    if isinstance(node, Str):
        enum = list(node.enum) if node.enum is not None else None
        return ("str", node.max_length, enum, node.decimal)
    if isinstance(node, Int):
        return ("integer",)
    if isinstance(node, Num):
        return ("number",)
    if isinstance(node, Bool):
        return ("boolean",)
    if isinstance(node, Arr):
        return ("array", _from_node(node.items))
    if isinstance(node, Map):
        return ("map", _from_node(node.values))
    assert isinstance(node, Obj)
    properties = {name: _from_node(value) for name, value in node.props.items()}
    return ("object", properties, sorted(node.required))


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    if not SPEC.is_file():
        pytest.skip(f"the OpenAPI description is not at {SPEC} (set CHECKOUT_SPEC)")
    loaded = json.loads(SPEC.read_text())
    assert isinstance(loaded, dict)
    return loaded


def _query_schema(operation: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            parameter["name"]: parameter["schema"]
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "query"
        },
    }


def _body_schema(operation: dict[str, Any]) -> dict[str, Any]:
    content = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]
    schema = content["schema"]
    assert isinstance(schema, dict)
    return schema


def test_create_schema_matches_openapi(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/v1/checkout/sessions"]["post"]
    assert _from_node(CREATE_SESSION) == _from_spec(_body_schema(operation))


def test_endpoint_schemas_match_openapi(spec: dict[str, Any]) -> None:
    paths = spec["paths"]
    pairs = [
        (LIST_SESSIONS, _query_schema(paths["/v1/checkout/sessions"]["get"])),
        (RETRIEVE, _query_schema(paths["/v1/checkout/sessions/{session}"]["get"])),
        (
            LIST_LINE_ITEMS,
            _query_schema(paths["/v1/checkout/sessions/{session}/line_items"]["get"]),
        ),
        (
            EXPIRE_SESSION,
            _body_schema(paths["/v1/checkout/sessions/{session}/expire"]["post"]),
        ),
    ]
    for node, schema in pairs:
        assert _from_node(node) == _from_spec(schema)


# -- decisions ---------------------------------------------------------------


def test_decisions_table_renders_every_decision() -> None:
    table = decisions_markdown()
    lines = table.strip().splitlines()
    assert lines[0] == "| rule | decision | why |"
    assert len(lines) == 2 + len(DECISIONS)
    for decision, line in zip(DECISIONS, lines[2:], strict=True):
        assert line.startswith(f"| {decision.rule} | ")
    assert len({decision.rule for decision in DECISIONS}) == len(DECISIONS)


def test_readme_lists_every_decision() -> None:
    readme = ROOT / "README.md"
    assert readme.is_file(), "README.md is missing; paste decisions_markdown() into it"
    text = readme.read_text()
    start, end = "<!-- decisions:start -->", "<!-- decisions:end -->"
    assert start in text, f"README.md lacks the marker {start}"
    assert end in text, f"README.md lacks the marker {end}"
    between = text.split(start, 1)[1].split(end, 1)[0]
    assert between.strip() == decisions_markdown().strip(), (
        "README.md's decisions table is stale; paste reference_server._decisions."
        "decisions_markdown() between the markers"
    )
