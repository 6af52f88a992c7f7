"""The installable tool: a wheel built from this checkout, installed into a fresh
virtual environment outside it, gates a target from another repository.

What this proves, as a user of another project's CI would meet it:
- the wheel claims one top-level name, `checkout_contracts`, and carries exactly the
  suite files that `checkout_contracts._layout` derives from the tree;
- in the installed copy, every module the suite imports resolves: to the shipped
  suite tree, to an installed dependency, or to the standard library (so a folder
  added to the suite without an `__init__.py`, or a dependency missing from
  pyproject.toml, fails here and not in a user's CI);
- `checkout-contracts serve` starts the reference server, and `checkout-contracts
  --base-url URL` passes it (exit 0, every selected contract `passed`, a JUnit file
  where it was asked for, relative to the working directory);
- with a fault switched on in the embedded server the same command fails (exit 1),
  names the broken contract in the summary and in the JUnit file, and saves the
  regression under ./regressions of the working directory, never in site-packages;
- a baseline given by a relative path turns that failure into `known` (exit 0);
- an unreachable target is a usage error (exit 4); `--help` states the exit codes.

Cost: the build copies the checkout to tmp (so the shared `build/` folder is never
touched and no stale file can leak into the wheel), `pip wheel` (about 3 s), a venv
without pip and `pip --python VENV install` of the wheel with its dependencies from
the package index as configured (about 7 s with pip's cache warm; a venv cannot
reuse .venv's packages: `--system-site-packages` from a venv means the base
interpreter's), once per run whichever xdist worker needs it first, then five bounded
runs (two contracts, -n 0, 5 examples).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from checkout_contracts._cli import pytest_arguments
from checkout_contracts._layout import SUITE_DIR, suite_files, suite_packages
from tests.self._suite import _INHERITED_NOT, ROOT, SuiteRun, junit_cases

CONTRACTS = ("session_subtotal_is_sum_of_line_items", "valid_requests_succeed")
FAULT = "subtotal_skips_last_item"
BOUNDED = ("--contracts", ",".join(CONTRACTS), "-n", "0", "--max-examples", "5")
# What the checkout holds that is no part of a build (caches, environments, earlier
# builds); the rest is copied, so the build itself decides what the wheel holds.
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".hypothesis",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "reports",
)
# What a suite run must not inherit, plus what would change the tool's imports.
NOT_INHERITED = (*_INHERITED_NOT, "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")


@dataclass(frozen=True)
class Installed:
    """The wheel built from a copy of the checkout (`source`), installed into a
    fresh virtual environment."""

    wheel: Path
    source: Path
    python: Path
    command: Path
    site_packages: Path


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}


def _check(what: str, *command: str) -> None:
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=600,
        env=_clean_env(),
        check=False,
    )
    assert done.returncode == 0, f"{what} failed:\n{done.stdout}\n{done.stderr}"


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    """A folder of this run that every xdist worker of it shares."""
    base = factory.getbasetemp()
    # Workers' basetemps (popen-gw0, ...) are siblings in the folder of their run.
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel `pip wheel` builds from a copy of the checkout as it is now,
    installed with its dependencies into a new venv outside the checkout; built
    once per run, whichever xdist worker comes first."""
    folder = _run_folder(tmp_path_factory) / "installed-tool"
    folder.mkdir(exist_ok=True)
    source, dist, venv = folder / "checkout", folder / "dist", folder / "venv"
    python = venv / "bin" / "python"
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / "done").exists():
            shutil.rmtree(source, ignore_errors=True)
            shutil.copytree(ROOT, source, ignore=NOT_COPIED)
            _check(
                "pip wheel",
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "-q",
                "-w",
                str(dist),
                str(source),
            )
            _check("venv", sys.executable, "-m", "venv", "--without-pip", str(venv))
            # .venv's pip installs into the new venv: a venv without pip of its
            # own is made in a moment, where ensurepip takes seconds.
            _check(
                "pip install of the wheel",
                sys.executable,
                "-m",
                "pip",
                "--python",
                str(python),
                "install",
                "-q",
                *(str(w) for w in dist.glob("checkout_contracts-*.whl")),
            )
            (folder / "done").touch()
    (wheel,) = dist.glob("checkout_contracts-*.whl")
    (site_packages,) = (venv / "lib").glob("python3*/site-packages")
    return Installed(
        wheel, source, python, venv / "bin" / "checkout-contracts", site_packages
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A user's repository outside the checkout, and a Python one: its own
    `tests/`, `contracts/`, `run/`, `target/`, `reference_server/`, `conftest.py` and
    `pytest.ini` would end the run if the tool loaded any of them."""
    folder = tmp_path / "their-repo"
    for package in ("tests", "contracts", "run", "target", "reference_server"):
        (folder / package).mkdir(parents=True)
        (folder / package / "__init__.py").write_text(
            f"raise RuntimeError('the user\\'s {package} was imported')\n"
        )
    (folder / "conftest.py").write_text("raise RuntimeError('user conftest')\n")
    (folder / "pytest.ini").write_text("[pytest]\naddopts = --not-an-option\n")
    return folder


def _tool(installed: Installed, cwd: Path, *args: str) -> SuiteRun:
    done = subprocess.run(
        [str(installed.command), *args],
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return SuiteRun(done.returncode, done.stdout + done.stderr, 0.0)


@pytest.fixture
def served(installed: Installed, workdir: Path) -> Iterator[str]:
    """`checkout-contracts serve --port 0`, as a user starts it: its URL."""
    server = subprocess.Popen(
        [str(installed.command), "serve", "--port", "0"],
        cwd=workdir,
        env=_clean_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), f"serve printed {url!r}"
        yield url
    finally:
        server.terminate()
        server.wait(10)
        # The pipe is ours to close; leaving it to the garbage collector is a
        # ResourceWarning, which this project treats as an error.
        if server.stdout is not None:
            server.stdout.close()


def test_wheel_claims_one_top_level_name_and_ships_the_derived_suite(
    installed: Installed,
):
    with zipfile.ZipFile(installed.wheel) as archive:
        names = [PurePosixPath(n) for n in archive.namelist()]
        entry_points = next(
            archive.read(str(n)).decode() for n in names if n.name == "entry_points.txt"
        )
    assert {n.parts[0] for n in names} == {
        "checkout_contracts",
        installed.wheel.name.split("-py3")[0] + ".dist-info",
    }
    suite = PurePosixPath("checkout_contracts", SUITE_DIR)
    shipped = sorted(n.relative_to(suite) for n in names if n.is_relative_to(suite))
    assert shipped == suite_files(installed.source)
    # No __init__.py at the tree's top: pytest imports the suite's modules under
    # their own names (tests.contract..., run...), never as checkout_contracts.*
    assert PurePosixPath("__init__.py") not in shipped
    assert "checkout-contracts = checkout_contracts._cli:main" in entry_points


def test_every_import_of_the_installed_suite_resolves(installed: Installed):
    suite = installed.site_packages / "checkout_contracts" / SUITE_DIR
    # The same walk the build does, on the copy that was built.
    packages = suite_packages(installed.source)
    probe = f"""
import ast, importlib.util, json, pathlib, sys
suite = pathlib.Path({str(suite)!r})
packages = {packages!r}
leaked = [p for p in packages if importlib.util.find_spec(p) is not None]
sys.path.insert(0, str(suite))
unresolved, foreign = set(), set()
for path in suite.rglob("*.py"):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            spec = importlib.util.find_spec(top)
            if spec is None:
                unresolved.add(f"{{top}} (imported by {{path.relative_to(suite)}})")
            elif top in packages and not str(spec.origin).startswith(str(suite)):
                foreign.add(f"{{top}} -> {{spec.origin}}")
print(json.dumps({{"leaked": leaked, "unresolved": sorted(unresolved),
                  "foreign": sorted(foreign)}}))
"""
    done = subprocess.run(
        [str(installed.python), "-I", "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["leaked"] == [], "suite packages importable outside the tool"
    assert found["unresolved"] == [], "imports nothing installed provides"
    assert found["foreign"] == [], "suite names resolved outside the suite tree"


def test_installed_tool_gates_a_target_from_another_repository(
    installed: Installed, workdir: Path, served: str
):
    green = _tool(
        installed,
        workdir,
        "--base-url",
        served,
        *BOUNDED,
        "--junitxml",
        "reports/green.xml",
    )
    assert green.returncode == 0, green.output
    assert green.verdicts() == dict.fromkeys(CONTRACTS, "passed"), green.output
    cases = junit_cases(workdir / "reports" / "green.xml")
    assert cases, "the JUnit file holds no test case"
    assert {c["outcome"] for c in cases} == {"passed"}

    faulty = _tool(
        installed,
        workdir,
        "--reference-fault",
        FAULT,
        *BOUNDED,
        "--junitxml=reports/fault.xml",
        "--save-regressions",
    )
    assert faulty.returncode == 1, faulty.output
    assert faulty.verdicts() == {
        "session_subtotal_is_sum_of_line_items": "FAILED",
        "valid_requests_succeed": "passed",
    }, faulty.output
    failed = [
        c
        for c in junit_cases(workdir / "reports" / "fault.xml")
        if c["outcome"] != "passed"
    ]
    assert failed, "the JUnit file records no failure"
    for case in failed:
        assert case["outcome"] == "failure", case
        assert str(case["message"]).startswith(
            "[session_subtotal_is_sum_of_line_items] "
        ), case
    # The replay hint names the command the user has, not the checkout's module,
    # with the run's fault switched on.
    assert (
        "start it with `checkout-contracts serve --port 12111 "
        "--fault subtotal_skips_last_item`" in faulty.output
    ), faulty.output[-3000:]
    saved = sorted((workdir / "regressions").rglob("*.json"))
    assert saved, f"no regression saved under {workdir / 'regressions'}"
    suite = installed.site_packages / "checkout_contracts" / SUITE_DIR
    assert not (suite / "regressions").exists(), "regressions written to site-packages"

    (workdir / "gate").mkdir()
    (workdir / "gate" / "baseline.json").write_text(
        json.dumps(
            {
                "target": "reference server with " + FAULT,
                "deviations": [
                    {
                        "contract": "session_subtotal_is_sum_of_line_items",
                        "reason": "the fault this test switched on",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    # With a space, as a user types it, and relative to the working directory.
    known = _tool(
        installed,
        workdir,
        "--reference-fault",
        FAULT,
        *BOUNDED,
        "--baseline",
        "gate/baseline.json",
    )
    assert known.returncode == 0, known.output
    assert known.verdict("session_subtotal_is_sum_of_line_items") == "known"


def test_installed_tool_states_exit_codes_and_refuses_an_unreachable_target(
    installed: Installed, workdir: Path
):
    shown = _tool(installed, workdir, "--help")
    assert shown.returncode == 0, shown.output
    assert "Exit status (pytest's)" in shown.output
    assert "Checkout Sessions contract suite" in shown.output, "suite options missing"
    serve_help = _tool(installed, workdir, "serve", "--help")
    assert serve_help.returncode == 0, serve_help.output
    assert "usage: checkout-contracts serve" in serve_help.output

    # A bound socket that does not listen: connections to it are refused.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        refused = _tool(
            installed, workdir, "--base-url", f"http://127.0.0.1:{port}", *BOUNDED
        )
    assert refused.returncode == 4, refused.output
    assert "Cannot connect" in refused.output


def test_path_options_are_made_absolute_against_the_working_directory(tmp_path: Path):
    suite = tmp_path / "suite"
    cwd = tmp_path / "repo"
    args = pytest_arguments(
        ["--baseline", "b.json", "--junitxml=out/r.xml", "-k", "x"], suite, cwd
    )
    assert f"--baseline={cwd / 'b.json'}" in args
    assert f"--junitxml={cwd / 'out' / 'r.xml'}" in args
    assert f"--regressions-dir={cwd / 'regressions'}" in args
    assert args[-1] == str(suite / "tests" / "contract")
    given = pytest_arguments(["--regressions-dir", "/abs/regs"], suite, cwd)
    assert [a for a in given if a.startswith("--regressions-dir")] == [
        "--regressions-dir=/abs/regs"
    ]
