"""Compiles the extractor's rule modules to C with mypyc when the monitor is installed.

Extraction is the CPU-bound stage of the pipeline; compiled, it runs about 1.5 times as fast
with the same results. Everything else is declared in pyproject.toml. Set MONITOR_PURE_PYTHON=1
to install without a C compiler (the same extractor, slower).

In the compiled modules every module-level constant is declared `Final` and the functions they
import from the standard library are held as `Final` constants too: mypyc keeps those in C,
where any other module-level name is looked up in the module's dictionary at every use.

With GCC the modules are built twice (profile-guided optimisation, about two minutes in all):
once instrumented, which then extracts the development corpora under tests/data (real
announcements in both languages and scripts) to count which paths run, and again with those
counts, so that GCC lays the code out around the paths that run (cold error paths apart, hot
branches straight): about 5 % faster extraction, the same results. Where those corpora are
missing (a source tree without tests/) or the instrumented build cannot run (the monitor's
dependencies are not installed, as in pip's isolated build), it builds once without a profile
and says why. Set MONITOR_PGO=0 to build once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

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
PGO = os.environ.get("MONITOR_PGO", "1").strip() not in ("", "0")
# the texts the instrumented build extracts: real announcements in both languages and scripts
TRAINING = ("tests/data/realdev", "tests/data/dev/corpus")
_TRAIN = """
import sys
from pathlib import Path

sys.path.insert(0, sys.argv[1])
from monitor.extract import Extractor
from monitor.ingest import read_text

texts = [read_text(p) for folder in sys.argv[2:] for p in sorted(Path(folder).rglob("*.txt"))]
extractor = Extractor()
for _ in range(3):
    for article in texts:
        extractor.extract(article)
print(len(texts))
"""


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


class ProfileGuidedBuild(build_ext):
    """build_ext with GCC's profile-guided optimisation (see the module's docstring)."""

    def run(self) -> None:
        root = Path(__file__).resolve().parent
        corpora = [str(root / folder) for folder in TRAINING if (root / folder).is_dir()]
        cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or ""
        if not (PGO and self.extensions and corpora and "gcc" in cc):
            super().run()
            return
        # each build starts from these: the compiler's name (a run leaves its object there) and
        # every extension's own flags
        compiler = self.compiler
        base = [
            (list(ext.extra_compile_args), list(ext.extra_link_args)) for ext in self.extensions
        ]
        with tempfile.TemporaryDirectory(prefix="monitor-pgo-") as profile:
            print("profile-guided build: instrumented build", file=sys.stderr)
            self._build(
                compiler,
                base,
                [f"-fprofile-generate={profile}", "-fprofile-update=single"],
                [f"-fprofile-generate={profile}"],
            )
            where = str(root) if self.inplace else os.path.abspath(self.build_lib)
            trained = subprocess.run(
                [sys.executable, "-c", _TRAIN, where, *corpora],
                cwd=root,
                capture_output=True,
                text=True,
            )
            if trained.returncode == 0:
                print(
                    f"profile-guided build: trained on {trained.stdout.strip()} texts, "
                    "building with the profile",
                    file=sys.stderr,
                )
                flags = [f"-fprofile-use={profile}", "-fprofile-correction", "-Wno-missing-profile"]
                self._build(compiler, base, flags, [])
            else:
                why = (trained.stderr.strip().splitlines() or ["no message"])[-1]
                print(
                    f"profile-guided build skipped: the instrumented extractor could not run "
                    f"({why}); building without a profile",
                    file=sys.stderr,
                )
                self._build(compiler, base, [], [])

    def _build(
        self,
        compiler: str | None,
        base: list[tuple[list[str], list[str]]],
        cflags: list[str],
        ldflags: list[str],
    ) -> None:
        for ext, (compile_args, link_args) in zip(self.extensions, base, strict=True):
            ext.extra_compile_args = compile_args + cflags
            ext.extra_link_args = link_args + ldflags
        self.force = True
        self.compiler = compiler
        super().run()


_HINT = (
    "could not compile the extractor with mypyc. Install a C compiler and the Python headers "
    "(Debian: apt-get install gcc python3-dev), or set MONITOR_PURE_PYTHON=1 to install the "
    "pure-Python extractor (slower, same results)."
)

try:
    setup(ext_modules=native_extensions(), cmdclass={"build_ext": ProfileGuidedBuild})
except SystemExit as failed:  # setuptools reports a failed compile as an exit with a message
    if not PURE_PYTHON and failed.code not in (None, 0):
        print(_HINT, file=sys.stderr)
    raise
