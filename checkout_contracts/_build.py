"""Build steps that put the suite tree into the wheel (setuptools `cmdclass`).

`pyproject.toml` names these classes under `[tool.setuptools.cmdclass]`; setuptools
loads this module by path from the checkout while building, so it may import only the
standard library, setuptools and `checkout_contracts._layout`.

Why a copy under `checkout_contracts/_suite/` rather than installing the suite's
packages: `contracts`, `strategies`, `schemas`, `tests`, `client`, `run`, `target`
and `verdict` are names other distributions install into site-packages. The wheel
therefore claims one
top-level name, `checkout_contracts`, and carries the suite as a plain directory
tree (no `__init__.py` at its top) that only the `checkout-contracts` command puts on
`sys.path`, inside its own process.

Guarantees:
- the wheel's `checkout_contracts/_suite/` holds exactly `_layout.suite_files(root)`,
  fresh from the checkout: the folder is emptied first, so a file deleted from the
  checkout never survives in a stale `build/` directory;
- an sdist carries the same files, so a wheel built from the sdist is the same.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist


def _layout() -> ModuleType:
    # setuptools loads this file by path, not as part of a package, so the sibling
    # module is loaded the same way (a relative import has no package to resolve in).
    name = "checkout_contracts_build_layout"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, Path(__file__).with_name("_layout.py")
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {Path(__file__).with_name('_layout.py')}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _checkout() -> Path:
    """The checkout being built: setuptools runs the build from the project root."""
    return Path.cwd()


class BuildPyWithSuite(build_py):
    """`build_py` that also copies the suite tree to `checkout_contracts/_suite/`."""

    def run(self) -> None:
        """Build the launcher package, then copy the suite tree beside it."""
        super().run()
        layout = _layout()
        root = _checkout()
        target = Path(self.build_lib) / layout.LAUNCHER / layout.SUITE_DIR
        if target.exists():
            shutil.rmtree(target)
        for relative in layout.suite_files(root):
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / relative, destination)


class SdistWithSuite(sdist):
    """`sdist` that also carries the suite tree, so its wheel is complete."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        """The release tree of setuptools' file list plus every suite file."""
        suite = [str(p) for p in _layout().suite_files(_checkout())]
        super().make_release_tree(base_dir, sorted({*files, *suite}))
