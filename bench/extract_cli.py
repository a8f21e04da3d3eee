"""What `monitor extract` costs around the extractor: the command over many files beside the
extractor alone on the same texts, in one run.

    .venv/bin/python bench/extract_cli.py [--files 4000] [--table]

It writes `--files` generated announcements (`bench.generate.announcement_articles`, shaped like
the dev corpus) as text files into a temporary folder, then times:

- in process: `Extractor.extract` on every file's article (the extractor's own rate);
- the command: `monitor extract --json FILE...` over all of them, and over one file (its
  start-up: Python, imports, the extractor's tables), as a subprocess writing to a pipe.

Both in CPU seconds (so that other work on a shared machine does not count). It prints articles
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


def write_files(folder: Path, count: int) -> list[Path]:
    paths = []
    for i, article in enumerate(announcement_articles(count)):
        path = folder / f"{i:05d}.txt"
        path.write_text(f"{article.title}\n{article.body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def in_process(paths: list[Path]) -> float:
    """CPU seconds of extracting every file (read beforehand), once warm."""
    extractor = Extractor()
    articles = [read_text(path) for path in paths]
    extractor.extract(articles[0])
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
    parser.add_argument("--table", action="store_true", help="also time the table output")
    args = parser.parse_args()
    print(f"extractor: {compiled.describe()}")
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_files(Path(tmp), args.files)
        print(f"{len(paths):,} files written, {sum(p.stat().st_size for p in paths):,} bytes\n")
        inner = in_process(paths)
        print(f"extraction in process   : {len(paths) / inner:8.0f} articles per CPU second")
        modes = {"--json": ("--json",)}
        if args.table:
            modes["table"] = ()
        for name, flags in modes.items():
            start_up = min(command(paths[:1], *flags) for _ in range(3))
            whole = command(paths, *flags)
            beyond = max(whole - start_up, 1e-9)
            overhead = 1 - inner / beyond
            print(
                f"monitor extract {name:7}: {len(paths) / whole:8.0f} articles per CPU second "
                f"whole, {len(paths) / beyond:8.0f} beyond a start-up of {start_up:.2f}s; "
                f"{100 * overhead:.0f} % of it not extraction (target at most 20 %)"
            )


if __name__ == "__main__":
    main()
