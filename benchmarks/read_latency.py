"""Latency of every read on stores kept by `benchmarks/fusion_scale.py --keep DIR`, without
ingesting anything into them (the stores are opened read-only).

For each store given: the reads of `fusion_scale.read_latencies` (`events --limit 100
--format json` run in this process, the API's event list of 100, event page, summary, network
and map through its test client, the usual filters in turn), run for `--reads` reads after
one untimed round of every filter (`--warm`: the steady state of a running server, whose
DuckDB keeps the blocks it read; without it the first read of each filter, which reads its
columns from the file, is timed too), then the whole command
`newsledger events --limit 100 --format json` as a new process (Python's start-up and imports
included) and `newsledger --version` (start-up alone). p50/p95 of wall and CPU time are
printed (CPU: this process with DuckDB's threads; for the commands, the child's user + system
time). The load average is printed: figures measured on a loaded machine are indicative only.
No tune/check halves: the rows are synthetic copies and nothing is scored against gold.

    nice -n 10 .venv/bin/python benchmarks/read_latency.py /tmp/fusion-scale/scale-1000000.duckdb --reads 20 [--warm]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fusion_scale import FILTERS, Timings, read_latencies  # noqa: E402


def command_latency(argv: list[str], runs: int) -> Timings:
    """Wall and CPU seconds of a whole command, run `runs` times after one warm-up run."""
    timings = Timings()
    for run in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        begin = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        wall = time.perf_counter() - begin
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode:
            raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()[:300]}")
        if run:
            timings.wall.append(wall)
            timings.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="+", type=Path, help="stores kept by fusion_scale.py --keep")
    parser.add_argument("--reads", type=int, default=20, help="reads timed per kind of read")
    parser.add_argument("--commands", type=int, default=5, help="runs of each whole command")
    parser.add_argument("--warm", action="store_true", help="one untimed round of every filter first")
    args = parser.parse_args(argv)
    command = [sys.executable, "-c", "from newsledger.cli import main; main()"]
    for path in args.stores:
        if not path.is_file():
            print(f"no {path}: build it with benchmarks/fusion_scale.py --keep", file=sys.stderr)
            return 2
        print(f"{path.name} (load average {os.getloadavg()[0]:.1f}{', warm' if args.warm else ''})", flush=True)
        untimed = len(FILTERS) if args.warm else 0
        for name, measured in read_latencies(path, args.reads + untimed, 0).items():
            kept = Timings(measured.wall[untimed:], measured.cpu[untimed:])
            print(f"  {name:<36} {kept.line()}", flush=True)
        whole = command_latency([*command, "events", "--db", str(path), "--limit", "100", "--format", "json"],
                                args.commands)
        print(f"  {'process: events --limit 100':<36} {whole.line()}", flush=True)
        start = command_latency([*command, "--version"], args.commands)
        print(f"  {'process: --version':<36} {start.line()}", flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
