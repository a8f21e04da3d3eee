"""Whether the extractor's rule modules run compiled (mypyc, see setup.py) and match their sources.

A compiled module is a `<name>.cpython-*.so` beside `<name>.py`; Python imports it first, so one
older than its source would run outdated rules. `make install`, `make test` and `make compile`
rebuild them; `monitor doctor` and the test session report any that is stale.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# an installed wheel ships modules compiled from the sources beside them, and pip writes the files
# in no useful time order: only a source checkout can go stale
_CHECKOUT = not {"site-packages", "dist-packages"} & set(_PACKAGE.parts)


def compiled_modules() -> dict[str, Path]:
    """Module name -> its compiled file, for the modules of this package that have one."""
    out = {}
    for source in sorted(_PACKAGE.rglob("*.py")):
        for suffix in EXTENSION_SUFFIXES:
            binary = source.with_suffix(suffix)
            if binary.exists():
                out[source.relative_to(_PACKAGE).with_suffix("").as_posix()] = binary
                break
    return out


def stale() -> list[str]:
    """Compiled modules older than their source."""
    if not _CHECKOUT:
        return []
    return [
        name
        for name, binary in compiled_modules().items()
        if binary.with_name(f"{name.rpartition('/')[2]}.py").stat().st_mtime
        > binary.stat().st_mtime
    ]


def describe() -> str:
    modules = compiled_modules()
    if not modules:
        return "pure Python (not compiled: slower, same results)"
    old = stale()
    if old:
        return (
            f"compiled, but {', '.join(old)} older than the source: outdated rules run. "
            "Run `make compile` (or delete the .so files under monitor/extract)"
        )
    return f"compiled with mypyc ({len(modules)} modules)"


def check() -> None:
    """Raise when a compiled module is older than its source."""
    if stale():
        raise RuntimeError(f"extractor {describe()}")
