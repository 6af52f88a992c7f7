"""The `checkout-contracts` command: run the installed suite from any directory.

`checkout-contracts [--base-url URL] [options]` runs the contract suite with pytest,
in this process, with the suite tree (`checkout_contracts/_suite/`, or the checkout
itself when the launcher runs from one) as pytest's rootdir and its
`pyproject.toml` as the configuration. The suite's top-level packages (`contracts`,
`run`, `tests`, ...) enter `sys.path` only through that configuration's
`pythonpath`, so they exist only in this process and its xdist workers; a console
script's `sys.path` does not hold the working directory, so a user's own `tests/`
or `contracts/` cannot shadow the suite's.

`checkout-contracts serve [--port P] [--fault NAME]...` starts the reference server.

Guarantees:
- the exit status is pytest's (0 passed, 1 failed, 2 interrupted, 3 internal error,
  4 usage error or a target that cannot be judged, 5 nothing collected);
- the process's working directory stays the caller's, and every path option is
  relative to it: `--baseline`, `--fixture-ids`, `--junitxml` and pytest's cache by
  the suite's and pytest's own rules, `--regressions-dir` (which the suite resolves
  against its rootdir) by being made absolute here; without one it is
  `./regressions`, so saved failures land in the user's repository, never in
  site-packages;
- path options given with a space are passed as `--option=PATH`, so pytest never
  reads their value as a test path;
- the run collects the suite's contract tests only: select with `--contracts` or
  `-k`, not with test paths.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from checkout_contracts._layout import SUITE_DIR

PROG = "checkout-contracts"
DEFAULT_REGRESSIONS_DIR = "regressions"
# Options whose value is a path the user means relative to where they run the
# command. Only --regressions-dir would be read otherwise (against the rootdir); the
# others are listed so that `--option PATH` becomes `--option=PATH` (see run()).
PATH_OPTIONS = (
    "--regressions-dir",
    "--baseline",
    "--fixture-ids",
    "--junitxml",
    "--junit-xml",
)
# The suite's test directory inside the suite tree.
TESTS = Path("tests", "contract")

HELP = f"""\
usage: {PROG} [--base-url URL] [options]
       {PROG} serve [--port PORT] [--fault NAME]... [--list-faults]

Runs the Checkout Sessions contract suite that was installed with this command
against the API at URL, from any directory. Without --base-url it starts the
embedded reference server (--reference-fault NAME switches a fault on in it).
Every option of the suite and of pytest works (all are listed below): target
profiles (--target-profile), known deviations (--baseline FILE), saved failures
(--save-regressions, --regressions-dir DIR), Hypothesis profiles
(--hypothesis-profile contracts-gate|contracts-fuzz|...), workers (-n auto), JUnit
XML (--junitxml FILE).

Paths (--baseline, --fixture-ids, --junitxml, --regressions-dir) are relative to
the current directory. Differences from running pytest in the suite's checkout:
  --regressions-dir defaults to ./regressions (commit it in your repository)
  pytest's cache is ./.pytest_cache
  select tests with --contracts NAME,NAME or -k EXPR (test paths are not taken)

{PROG} serve starts the reference server on 127.0.0.1 (default port 12111,
0 = any free port), prints its URL and serves until Ctrl-C or SIGTERM;
`{PROG} serve --help` lists its options.

Exit status (pytest's):
  0  every test passed (capability skips and baseline deviations included)
  1  some test failed: the target broke a contract
  2  the run was interrupted
  3  internal error
  4  usage error: a bad option, or a target that cannot be judged
     (unreachable, not HTTP, refusing the key), said in one sentence
  5  no test was selected

pytest's help, with the suite's options under "Checkout Sessions contract suite":
"""


def suite_root() -> Path:
    """The suite tree this launcher runs: the copy shipped inside the installed
    package, else (running from the checkout, or an editable install) the checkout.

    Raises SystemExit with one sentence when neither exists (a broken install)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / SUITE_DIR, package.parent):
        if (candidate / "conftest.py").is_file() and (
            candidate / "pyproject.toml"
        ).is_file():
            return candidate
    raise SystemExit(
        f"{PROG}: the suite is missing from {package}; reinstall the package."
    )


def pytest_arguments(args: Sequence[str], suite: Path, cwd: Path) -> list[str]:
    """The arguments for pytest that run `suite` with the user's `args` from `cwd`."""
    given = _with_absolute_paths(args, cwd)
    if not any(
        a == "--regressions-dir" or a.startswith("--regressions-dir=") for a in given
    ):
        given.append(f"--regressions-dir={cwd / DEFAULT_REGRESSIONS_DIR}")
    return [
        f"--rootdir={suite}",
        "-c",
        str(suite / "pyproject.toml"),
        # pytest keeps its cache under the rootdir, which is inside site-packages.
        "-o",
        f"cache_dir={cwd / '.pytest_cache'}",
        *given,
        str(suite / TESTS),
    ]


def _with_absolute_paths(args: Sequence[str], cwd: Path) -> list[str]:
    result: list[str] = []
    pending: str | None = None
    for arg in args:
        if pending is not None:
            result.append(f"{pending}={_absolute(arg, cwd)}")
            pending = None
        elif arg in PATH_OPTIONS:
            pending = arg
        elif arg.startswith(tuple(f"{o}=" for o in PATH_OPTIONS)):
            option, value = arg.split("=", 1)
            result.append(f"{option}={_absolute(value, cwd)}")
        else:
            result.append(arg)
    if pending is not None:
        # A path option with no value: let pytest say what is missing.
        result.append(pending)
    return result


def _absolute(value: str, cwd: Path) -> str:
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else cwd / path)


def run(args: Sequence[str]) -> int:
    """Run the suite with `args` from the current directory; pytest's exit status."""
    import pytest

    suite = suite_root()
    if "-h" in args or "--help" in args:
        sys.stdout.write(HELP)
        sys.stdout.flush()
    return int(pytest.main(pytest_arguments(args, suite, Path.cwd())))


def serve(args: Sequence[str]) -> int:
    """Run the reference server's command line (`python -m reference_server`)."""
    suite = suite_root()
    # The reference server is part of the suite tree, importable only once that
    # tree is on sys.path; this process runs nothing else.
    sys.path.insert(0, str(suite))
    module = importlib.import_module("reference_server.__main__")
    main = cast(Callable[..., int], module.main)
    return main(list(args), prog=f"{PROG} serve")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `checkout-contracts`; returns the process exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve"]:
        return serve(args[1:])
    return run(args)
