"""Browser-rendered polls: what one poll of a `render = "browser"` source costs, cold and warm.

    .venv/bin/python bench/browser_poll.py [--rounds 5] [--skip-plain]

A loopback site behind a script challenge (tests/feeds/challenge_site.py, in a child process so
its CPU is not counted) holds a list page of 3 articles. Each round the site publishes 3 new
article addresses and the poller loads the list page and the 3 articles in the browser. The
cold round starts the browser and passes the challenge; the warm ones reuse both. Per round:
wall time, CPU of the monitor's process plus the browser's and its driver's, and the peak
memory of the browser's processes (proportional set size, sampled every 20 ms).

Then bench/poll.py runs as it always does (1,000 plain feeds), while this watches that no
browser process is started, and its targets are printed again.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_TICKS = os.sysconf("SC_CLK_TCK")


def serve(conn: mp.connection.Connection) -> None:
    from tests.feeds.challenge_site import ChallengeSite

    site = ChallengeSite()
    conn.send(site.port)
    while True:
        command, value = conn.recv()
        if command == "query":
            site.query = value
            conn.send(None)
        elif command == "served":
            conn.send(dict(site.served))
        else:
            site.close()
            conn.send(None)
            return


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


def descendants(pid: int, skip: int) -> list[int]:
    from monitor.feeds.browser import _tree

    return [p for p in _tree(pid) if p not in (pid, skip)]


class PeakSampler:
    """The highest memory the pool's browser processes held while it ran."""

    def __init__(self, pool) -> None:
        self._pool = pool
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._pool.memory_bytes())
            self._stop.wait(0.02)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def browser_rounds(rounds: int) -> list[dict[str, float | int | str]]:
    from loguru import logger

    logger.remove()
    logger.add(sys.stderr, level="WARNING")

    from monitor.bus.embedded import EmbeddedBus
    from monitor.settings import load_settings
    from pipelines.poll import build_poller

    parent, child = mp.Pipe()
    site = mp.Process(target=serve, args=(child,), daemon=True)
    site.start()
    port = parent.recv()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feeds.toml"
        path.write_text(
            "[poller]\njitter = 0\n[[source]]\n"
            'id = "bureau"\nname = "bureau"\nkind = "html"\nrender = "browser"\nlang = "zh"\n'
            f'url = "http://127.0.0.1:{port}/xwfb/"\n'
            '[source.selectors]\nitem = "#news li"\ndate = ".date"\n'
        )
        bus = EmbeddedBus(Path(tmp) / "bus.db")
        poller = build_poller(
            load_settings(feeds=path, data_dir=Path(tmp) / "data"), bus.producer()
        )
        pool = poller._source_poller._browser  # the pool the poll stage made for itself
        me = os.getpid()
        for n in range(rounds):
            parent.send(("query", f"?g={n}"))
            parent.recv()
            others = descendants(me, site.pid)
            cpu0 = time.process_time() + cpu_seconds(others)
            wall0 = time.perf_counter()
            with PeakSampler(pool) as peak:
                report = poller.poll_all()
            wall = time.perf_counter() - wall0
            others = descendants(me, site.pid)
            cpu = time.process_time() + cpu_seconds(others) - cpu0
            outcome = report.by_source["bureau"]
            rows.append(
                {
                    "round": "cold" if n == 0 else "warm",
                    "status": outcome.status,
                    "pages": 1 + outcome.emitted,
                    "wall_s": round(wall, 3),
                    "cpu_s": round(cpu, 3),
                    "browser_peak_mb": round(peak.peak / 1048576, 1),
                    "browser_processes": len(pool.processes()),
                }
            )
        served = (parent.send(("served", None)), parent.recv())[1]
        closing = time.perf_counter()
        poller.close()
        rows.append({"round": "close", "wall_s": round(time.perf_counter() - closing, 3)})
        rows.append({"round": "site", **served})
        bus.close()
    parent.send(("stop", None))
    parent.recv()
    site.join(5)
    return rows


def plain_bench() -> tuple[dict[str, float], list[str], int]:
    """bench/poll.py's figures and targets, and how many browser processes it started."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "poll.py")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    from monitor.feeds.browser import _tree

    seen: set[int] = set()
    while proc.poll() is None:
        for pid in _tree(proc.pid):
            try:
                if b"--monitor-browser-pool=" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    seen.add(pid)
            except OSError:
                continue
        time.sleep(0.2)
    out = proc.stdout.read() if proc.stdout else ""
    lines = out.strip().splitlines()
    targets = [line for line in lines if line.startswith("target:")]
    return json.loads(lines[-1]), targets, len(seen)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="polls: one cold, the rest warm")
    ap.add_argument("--skip-plain", action="store_true", help="do not run bench/poll.py")
    args = ap.parse_args()

    rows = browser_rounds(max(2, args.rounds))
    polls = [r for r in rows if r["round"] in ("cold", "warm")]
    print("one poll of a browser source (list page + new articles, challenge site on loopback)")
    print(f"{'round':<6} {'status':<9} {'pages':>5} {'wall s':>7} {'cpu s':>7} {'peak MB':>8}")
    for r in polls:
        print(
            f"{r['round']:<6} {r['status']:<9} {r['pages']:>5} {r['wall_s']:>7} "
            f"{r['cpu_s']:>7} {r['browser_peak_mb']:>8}"
        )
    warm = [r for r in polls if r["round"] == "warm"]
    summary = {
        "cold_wall_s": polls[0]["wall_s"],
        "cold_cpu_s": polls[0]["cpu_s"],
        "warm_wall_s_mean": round(sum(float(r["wall_s"]) for r in warm) / len(warm), 3),
        "warm_cpu_s_mean": round(sum(float(r["cpu_s"]) for r in warm) / len(warm), 3),
        "browser_peak_mb": max(float(r["browser_peak_mb"]) for r in polls),
        "close_s": rows[-2]["wall_s"],
        "challenges_served": rows[-1].get("challenge", 0),
        "pages_served": rows[-1].get("list", 0) + rows[-1].get("article", 0),
    }
    width = max(map(len, summary))
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")
    once = "yes" if summary["challenges_served"] == 1 else "NO"
    print(f"target: the challenge passed once for all polls: {once}")
    if not args.skip_plain:
        figures, targets, browsers = plain_bench()
        print("bench/poll.py (1,000 plain feeds) in the same checkout:")
        for key in ("round_wall_s", "feeds_per_s", "cpu_s", "share_of_a_core_over_60s"):
            print(f"  {key:<26}  {figures[key]}")
        for line in targets:
            print(f"  {line}")
        print(f"target: no browser started for plain sources: {'yes' if not browsers else 'NO'}")
        summary["plain"] = figures
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
