"""The extractor of another revision beside this checkout's, on the same texts, in one run.

    .venv/bin/python bench/extract_compare.py [--against HEAD] [--generated 1000] [--rounds 8]
                                              [--together]

On a shared machine one extractor's rate swings more between runs than most changes move it
(1,000 to 1,450 articles/s for the same code on one day here), so two runs made at different
times say little about a change. This script checks `--against` (any git revision: a commit, a
tag, `HEAD~3`) out into a temporary worktree, compiles its extractor with mypyc as `make
install` does, and times the two extractors in turn, `--rounds` times, each round in a fresh
process per extractor over the same `--generated` announcements (this checkout's
`bench.generate.announcement_articles`, so both read the same texts) after the same warm-up;
the order alternates from round to round. With `--together` the two run at once, one on each
core, so that both meet the same neighbours and share the last-level cache: a change that makes
the extractor's working set larger shows there first.

It prints each round's articles per CPU second for both and their ratio (this checkout's over
the other's, the two measured one after the other, so that a slow spell of the machine mostly
falls on both), then the median ratio with the spread of the rounds' ratios: the ratio is the
figure to read, and the spread says how much of it the machine alone could make (against HEAD
with no change made the ratios scatter around 1 by as much). Both run the interpreter of this
venv; this checkout must be compiled (`make compile`).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(tree: Path, generated: int) -> None:
    """In a child process: the extractor of `tree` over this checkout's generated texts; prints
    one JSON line."""
    sys.path.insert(0, str(tree))
    os.chdir(tree)  # an older revision may find its config files from the working directory
    spec = importlib.util.spec_from_file_location("_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    sys.modules["_generate"] = generate  # its dataclasses look their module up
    spec.loader.exec_module(generate)
    from monitor.extract import Extractor

    extractor = Extractor()
    for article in generate.announcement_articles(12, seed=101):  # not the measured texts
        extractor.extract(article)
    articles = generate.announcement_articles(generated)
    print("ready", flush=True)
    sys.stdin.readline()  # the go: two extractors run together start measuring at once
    started = time.process_time()
    for article in articles:
        extractor.extract(article)
    took = time.process_time() - started
    print(json.dumps({"rate": len(articles) / took, "version": extractor.version}))


def _child(tree: Path, generated: int) -> subprocess.Popen[str]:
    """A child measuring `tree`'s extractor, ready (its extractor built, its texts made) when
    this returns; it starts measuring at `_rate`."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--measure", str(tree), "--generated", str(generated)],
        cwd=tree,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    child.stdout.readline()  # "ready", or nothing when it failed (`_rate` says why)
    return child


def _rate(child: subprocess.Popen[str], name: str, started: bool = False) -> float:
    """The child's rate, once it has measured (`started`: it has had its go already)."""
    out, err = child.communicate(None if started else "go\n")
    if child.returncode != 0:
        sys.exit(f"the extractor of {name} failed:\n{err.strip()}")
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result["rate"]


def checkout(revision: str, folder: Path) -> str:
    """`revision` as a worktree in `folder`, its extractor compiled; returns its short hash."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--verify", "--short", f"{revision}^{{commit}}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except subprocess.CalledProcessError:
        sys.exit(f"not a revision of this repository: {revision!r}")
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), commit],
        check=True,
        capture_output=True,
    )
    print(f"compiling the extractor of {commit} (about two minutes) ...", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "MONITOR_PURE_PYTHON"}
    built = subprocess.run(
        [sys.executable, "setup.py", "--quiet", "build_ext", "--inplace"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        sys.exit(f"could not compile the extractor of {commit}:\n{built.stderr[-2000:]}")
    return commit


def compare(revision: str, generated: int, rounds: int, together: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from monitor.extract import compiled

    if compiled.stale() or not compiled.compiled_modules():
        sys.exit(f"this checkout's extractor: {compiled.describe()}; run `make compile` first")
    with tempfile.TemporaryDirectory(prefix="extract-compare-") as scratch:
        other = Path(scratch) / "tree"
        try:
            commit = checkout(revision, other)
            names = {"this": ROOT, commit: other}
            rates: dict[str, list[float]] = {name: [] for name in names}
            how = "at the same time, one on each core" if together else "in turn"
            print(f"{generated:,} generated announcements per round, both extractors {how}\n")
            print(f"{'round':>5}  {'this checkout':>14}  {commit:>14}  {'ratio':>6}")
            for r in range(rounds):
                order = list(names) if r % 2 == 0 else list(reversed(names))
                if together:
                    children = {name: _child(names[name], generated) for name in order}
                    for name in order:  # both are ready: the first go is a moment ahead
                        assert children[name].stdin is not None
                        children[name].stdin.write("go\n")
                        children[name].stdin.flush()
                    for name in order:
                        rates[name].append(_rate(children[name], name, started=True))
                else:
                    for name in order:
                        rates[name].append(_rate(_child(names[name], generated), name))
                ours, theirs = rates["this"][-1], rates[commit][-1]
                print(f"{r + 1:>5}  {ours:>14,.0f}  {theirs:>14,.0f}  {ours / theirs:>6.3f}")
            ratios = sorted(a / b for a, b in zip(rates["this"], rates[commit], strict=True))
            ours, theirs = statistics.median(rates["this"]), statistics.median(rates[commit])
            ratio = statistics.median(ratios)
            print(f"{'median':>6} {ours:>14,.0f}  {theirs:>14,.0f}  {ratio:>6.3f}")
            print(
                f"\nthis checkout runs at {ratio:.1%} of {commit}'s rate (articles per CPU "
                f"second, the median of the rounds' ratios; they ranged from {ratios[0]:.1%} "
                f"to {ratios[-1]:.1%})"
            )
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)],
                capture_output=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="a git revision (default: HEAD)")
    parser.add_argument("--generated", type=int, default=1000, help="articles per round")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--together", action="store_true", help="both at once, one per core")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's part
    args = parser.parse_args()
    if args.rounds < 1 or args.generated < 1:
        parser.error("--rounds and --generated must be at least 1")
    if args.measure is not None:
        measure(args.measure.resolve(), args.generated)
    else:
        compare(args.against, args.generated, args.rounds, args.together)


if __name__ == "__main__":
    main()
