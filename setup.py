"""Compiles the extractor's rule modules to C with mypyc when the monitor is installed.

Extraction is the CPU-bound stage of the pipeline; compiled, it runs about 1.5 times as fast
with the same results. Everything else is declared in pyproject.toml. Set MONITOR_PURE_PYTHON=1
to install without a C compiler (the same extractor, slower).

In the compiled modules every module-level constant is declared `Final` and the functions they
import from the standard library are held as `Final` constants too: mypyc keeps those in C,
where any other module-level name is looked up in the module's dictionary at every use.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup

# the per-article rule code; evaluate.py, config.py, gazetteer.py and __init__.py stay Python
# (they run once, and pydantic models do not compile)
NATIVE = [
    "text",
    "keywords",
    "numbers",
    "scope",
    "figures_en",
    "figures_zh",
    "figures",
    "campaigns",
    "entities",
    "relevance",
    "lexicon",
    "officials",
    "crime_types",
    "document",
    "passes",
    "en/officials",
    "zh/officials",
    "en/campaigns",
    "zh/campaigns",
    "en/entities",
    "zh/entities",
    "agencies",
    "figure_kind",
]


PURE_PYTHON = os.environ.get("MONITOR_PURE_PYTHON", "").strip() not in ("", "0")


def native_extensions() -> list:
    if PURE_PYTHON:
        print("MONITOR_PURE_PYTHON is set: the extractor stays pure Python", file=sys.stderr)
        return []
    from mypyc.build import mypycify

    return mypycify(
        [f"monitor/extract/{name}.py" for name in NATIVE] + ["--ignore-missing-imports"],
        # the shared runtime goes inside the package, not beside it at the top level
        group_name="monitor.extract.native",
        opt_level="3",
    )


_HINT = (
    "could not compile the extractor with mypyc. Install a C compiler and the Python headers "
    "(Debian: apt-get install gcc python3-dev), or set MONITOR_PURE_PYTHON=1 to install the "
    "pure-Python extractor (slower, same results)."
)

try:
    setup(ext_modules=native_extensions())
except SystemExit as failed:  # setuptools reports a failed compile as an exit with a message
    if not PURE_PYTHON and failed.code not in (None, 0):
        print(_HINT, file=sys.stderr)
    raise
