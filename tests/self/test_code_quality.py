"""The project's own standards, checked on every run: ruff, ruff format, mypy, and an
installation that leaves the suite's folders out of site-packages."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.self._suite import ROOT

BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.skip(
            f"{name} is not installed: install the dev extra, pip install '.[dev]'"
        )
    return found


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_finds_nothing():
    done = _run(_tool("ruff"), "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_code_is_formatted():
    done = _run(_tool("ruff"), "format", "--check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing_in_the_packages():
    done = _run(_tool("mypy"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_installing_the_project_installs_no_top_level_suite_folders():
    """`contracts` and `strategies` are taken names on PyPI: the suite runs from its
    checkout, and installing it must only install its dependencies."""
    site = Path(sysconfig.get_paths()["purelib"])
    for name in (
        "contracts",
        "strategies",
        "run",
        "target",
        "verdict",
        "client",
        "schemas",
        "reference_server",
    ):
        assert not (site / name).exists(), f"{name} was installed into {site}"
        assert not (site / f"{name}.py").exists(), (
            f"{name}.py was installed into {site}"
        )
