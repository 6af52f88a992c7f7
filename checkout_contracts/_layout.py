"""Which files of the repository make up the installable suite: the one place that says.

The repository keeps its layout (top-level `contracts/`, `strategies/`, `schemas/`,
`tests/`, `conftest.py`, ...) and its folders are renamed and added while people work,
so the list is derived from the tree, never written down:

- the files next to `conftest.py` that pytest needs to run the suite there:
  `conftest.py` itself and `pyproject.toml` (its `[tool.pytest.ini_options]` is the
  suite's pytest configuration, read with `-c`);
- every directory next to `conftest.py` that is a Python package (holds an
  `__init__.py`), with every file below it (modules, subpackages, the schemas' JSON,
  `py.typed`), except this launcher package, caches, hidden files and the suite's own
  tests (`tests/self`), which are not part of what a user runs.

Guarantees: `suite_files(root)` is sorted and deterministic for one tree, names paths
relative to `root` with `/` separators, and never names a file outside `root`. The
build (`checkout_contracts._build`) ships exactly these files under
`checkout_contracts/_suite/`; a self-test checks that everything the shipped code
imports is either shipped, a dependency, or the standard library.

This module imports nothing but the standard library: the build loads it before any
dependency is installed.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

# The launcher: shipped as the package itself, not as part of the suite tree.
LAUNCHER = "checkout_contracts"
# Files beside conftest.py that pytest needs, besides the packages.
ROOT_FILES = ("conftest.py", "pyproject.toml")
# Parts of a package that a user's run never loads: the suite's own tests (their
# data alone is larger than the suite) are run from the checkout only.
NOT_SHIPPED = (PurePosixPath("tests/self"),)
# Where the suite tree lives inside the installed launcher package.
SUITE_DIR = "_suite"


def suite_packages(root: Path) -> list[str]:
    """The top-level package directories of the suite under `root`, sorted."""
    return sorted(
        entry.name
        for entry in root.iterdir()
        if entry.is_dir()
        and entry.name != LAUNCHER
        and not entry.name.startswith(".")
        and (entry / "__init__.py").is_file()
    )


def suite_files(root: Path) -> list[PurePosixPath]:
    """Every file that makes up the suite, relative to `root` (the checkout)."""
    missing = [name for name in ROOT_FILES if not (root / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{root} is not the suite's checkout: {', '.join(missing)} missing"
        )
    found = [PurePosixPath(name) for name in ROOT_FILES]
    for package in suite_packages(root):
        for path in (root / package).rglob("*"):
            relative = PurePosixPath(path.relative_to(root).as_posix())
            if path.is_file() and _shipped(relative):
                found.append(relative)
    return sorted(found)


def _shipped(relative: PurePosixPath) -> bool:
    if any(part == "__pycache__" or part.startswith(".") for part in relative.parts):
        return False
    if relative.suffix in {".pyc", ".pyo"}:
        return False
    return not any(relative.is_relative_to(prefix) for prefix in NOT_SHIPPED)
