"""What `monitor extract` costs around the extractor: the command over many files beside the
extractor alone on the same texts, in one run.

    .venv/bin/python bench/extract_cli.py [--files 4000] [--table]

It writes `--files` generated announcements (`bench.generate.announcement_articles`, shaped like
the dev corpus) as text files into a temporary folder, then times:

- in process: `Extractor.extract` on every file's article (the extractor's own rate);
- the command: `monitor extract --json FILE...` over all of them, and over the first 20 (its
  start-up: Python, imports, the extractor's tables, and those it builds at its first texts of
  each language), as a subprocess writing to a pipe.

Both in CPU seconds (so that other work on a shared machine does not count), each `--rounds`
times in turn (3 by default), the least kept. It prints articles
per CPU second for both, the command's rate beyond its start-up, and the share
of the command's time spent on anything but extraction (reading, JSON, writing): the target is
at most 20 %. `--table` also times the default table output.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import announcement_articles  # noqa: E402
from monitor.extract import Extractor, compiled  # noqa: E402
from monitor.ingest import read_text  # noqa: E402

MONITOR = Path(sys.executable).with_name("monitor")
_WARM = 20  # the files of the command's start-up, both languages among them


def write_files(folder: Path, count: int) -> list[Path]:
    paths = []
    for i, article in enumerate(announcement_articles(count)):
        path = folder / f"{i:05d}.txt"
        path.write_text(f"{article.title}\n{article.body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def in_process(extractor: Extractor, paths: list[Path]) -> float:
    """CPU seconds of extracting every file (read beforehand)."""
    articles = [read_text(path) for path in paths]
    started = time.process_time()
    for article in articles:
        extractor.extract(article)
    return time.process_time() - started


def command(paths: list[Path], *flags: str) -> float:
    """CPU seconds (user and system) of `monitor extract` over `paths`, its output read from a
    pipe: CPU, not wall time, so that neighbours on a shared machine do not count."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [str(MONITOR), "extract", *flags, *map(str, paths)],
        capture_output=True,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    took = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode:
        sys.exit(f"monitor extract failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, the least counts")
    parser.add_argument("--table", action="store_true", help="also time the table output")
    args = parser.parse_args()
    print(f"extractor: {compiled.describe()}")
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_files(Path(tmp), args.files)
        print(f"{len(paths):,} files written, {sum(p.stat().st_size for p in paths):,} bytes\n")
        extractor = Extractor()
        in_process(extractor, paths[:_WARM])  # the tables built at the first texts
        modes = {"--json": ("--json",)}
        if args.table:
            modes["table"] = ()
        # rounds of each in turn, the least CPU time of each kept: on a shared machine the
        # slowest runs measure the neighbours, and turns spread them over both sides alike
        inner = float("inf")
        start_up = dict.fromkeys(modes, float("inf"))
        whole = dict.fromkeys(modes, float("inf"))
        for _ in range(args.rounds):
            inner = min(inner, in_process(extractor, paths))
            for name, flags in modes.items():
                start_up[name] = min(start_up[name], command(paths[:_WARM], *flags))
                whole[name] = min(whole[name], command(paths, *flags))
        print(f"extraction in process   : {len(paths) / inner:8.0f} articles per CPU second")
        for name in modes:
            beyond = max(whole[name] - start_up[name], 1e-9)  # the files past the first _WARM
            overhead = 1 - inner * (len(paths) - _WARM) / len(paths) / beyond
            print(
                f"monitor extract {name:7}: {len(paths) / whole[name]:8.0f} articles per CPU "
                f"second whole, {(len(paths) - _WARM) / beyond:8.0f} beyond a start-up of "
                f"{start_up[name]:.2f}s; {100 * overhead:.0f} % of it not extraction "
                "(target at most 20 %)"
            )


if __name__ == "__main__":
    main()
