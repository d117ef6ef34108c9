"""Scale of ingest: documents per second at --workers 1 and 2 and on a Dask LocalCluster of 2
workers (same texts, same run, ratios, stores compared), spaCy's `n_process` against the pool,
resident memory over a long stream, the share of ingest time spent storing, and the start-up
cost of `extract`.

    .venv/bin/python benchmarks/scale.py [--docs 400] [--batch-size 8] [--stream 20000]
        [--skip-throughput] [--skip-stream] [--skip-dask] [--skip-extract] [--skip-n-process]

Texts: the reports of ../shared/corpus (read at run time, never copied), written to a JSON
Lines file in a temporary folder as many times as needed; copy k of a report ends with a line
of its own ("File k.") so that every copy is a distinct document, and its publication date is
shifted by k days. Each report belongs to the tune or check half by the SHA-256 of its file
name (`evalkit.half`); throughput is measured on each half's copies separately (one ingest
command each, the two halves into one database) and in total. Nothing here is tuned on
errors: the check half is printed to show that the figures do not depend on the texts.

Every figure is the wall time of a `newsledger ingest` command (start-up included: loading the
model in each worker), with the load average of the machine beside it: on a shared machine
the ratios are depressed by the other processes. Beside it, the CPU time (user + system) of
the command and all its workers (sampled every second), which a loaded machine inflates far less, and from it the
speed-up an idle machine would show if the work were perfectly shared: workers x CPU time
at workers 1 / CPU time of the mode ("idle estimate"; an upper bound). Resident memory is the sum over the ingest
process and all its children (workers), sampled every second.

"storing" is the share of the command's wall time the writer held the database open: writing
each group of records and the canonical upkeep rounds (every `FUSE_EVERY_DOCUMENTS` documents
and at the end), whether or not workers were parsing meanwhile; "after last batch" is the share
of it after the writer took the last batch result, which nothing overlaps (the last groups'
writes, the last upkeep round, closing). "writer CPU" is the command's own process (with workers:
the writer; at workers 1: the whole pipeline too), "workers CPU" what the worker processes report
by their last batch, "worker start CPU" the CPU the slowest worker process had used when it was
ready for its first batch (forked from a process that loaded the pipeline once: the fork and, on
Dask, the Dask worker's own start; at workers 1, the command's start-up with the pipeline's).
With `--scheduler local`, the LocalCluster's scheduler, nannies and client run on an event loop
of the command's process: "of it Dask loop" is that loop thread's CPU, part of "writer CPU".

Read latencies at 10k, 100k and 1M stored mentions are the read side's benchmark
(`benchmarks/fusion_scale.py`); see the marked section at the end of `main`.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalkit import half  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CLI = [sys.executable, "-c", "from newsledger.cli import main; main()"]
FILE_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
VOLATILE_COLUMNS = {"documents": "ingested_at", "errors": "first_seen"}
COMPARED_TABLES = ("documents", "actors", "mentions", "timexes", "places", "quotes", "events", "errors",
                   "canonical_events", "canonical_members")
STORING = re.compile(r"storing took ([\d.]+) s of ([\d.]+) s")
OWN_CPU = re.compile(r"this process \([^)]*\) used ([\d.]+) s of CPU")  # with workers: the writer's
WORKERS_CPU = re.compile(r"workers used ([\d.]+) s of CPU")  # the worker processes' (by their last batch)
WORKER_START = re.compile(r"worker start-up CPU max ([\d.]+) s")  # CPU of the slowest worker to start
AFTER_LAST = re.compile(r"and ([\d.]+) s after the last batch result")  # storing left when workers are done
# a LocalCluster's event loop in the command's process (scheduler, nannies, client): part of "writer CPU"
SCHEDULER_CPU = re.compile(r"the Dask scheduler's (?:event loop|process)[^;]* used ([\d.]+) s of CPU")


@dataclass(frozen=True)
class Report:
    name: str
    text: str
    published: date | None


@dataclass(frozen=True)
class IngestRun:
    label: str
    docs: int
    seconds: float
    store_seconds: float
    load: float
    peak_rss_mb: float
    peak_pss_mb: float  # shared pages counted once (the model the workers share with their fork server)
    cpu_seconds: float  # user + system time of the command and all its worker processes
    own_cpu_seconds: float  # of which the command's own process (with workers: the writer)
    workers_cpu_seconds: float  # of which the worker processes (as they report it; 0 in process)
    worker_start_seconds: float  # CPU the slowest worker spent starting (loading the pipeline)
    after_last_seconds: float  # the command's time after the writer took the last batch result
    scheduler_cpu_seconds: float = 0.0  # Dask: the scheduler's event loop (with a LocalCluster, in the command)

    @property
    def rate(self) -> float:
        return self.docs / self.seconds


def load_reports() -> list[Report]:
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is absent: this benchmark reads the reports of ../shared/corpus")
    reports = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        found = FILE_DATE.search(path.name)
        published = date(*map(int, found.groups())) if found else None
        reports.append(Report(path.name, path.read_text("utf-8"), published))
    return reports


def copies(reports: list[Report], count: int, first: int = 0) -> Iterator[dict[str, str]]:
    """`count` JSON Lines records cycling over `reports`, each copy a distinct document."""
    for k in range(first, first + count):
        report = reports[k % len(reports)]
        shift = k // len(reports)
        record = {"text": f"{report.text.rstrip()}\n\nFile {k}.", "title": report.name,
                  "url": f"https://example.org/copies/{k}/{report.name}"}
        if report.published:
            record["published"] = (report.published + timedelta(days=shift)).isoformat()
        yield record


def write_jsonl(path: Path, records: Iterator[dict[str, str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


class TreeMemory:
    """Samples the resident memory of a process and all its children every `interval` s."""

    def __init__(self, pid: int, interval: float = 1.0, counter: Callable[[], int] = lambda: 0):
        import psutil  # comes with distributed

        self.process = psutil.Process(pid)
        self.interval = interval
        self.counter = counter
        self.samples: list[tuple[float, float, int]] = []  # (seconds since start, MB, counter then)
        # the same with proportional set sizes: pages shared by the fork server and the workers it
        # forked (the model, copy-on-write) counted once, not once per process as RSS counts them
        self.pss_samples: list[tuple[float, float, int]] = []
        # the process itself alone (with workers: the writer), so that what grows is told apart
        self.own_samples: list[tuple[float, float, int]] = []
        self.cpu: dict[int, float] = {}  # user + system seconds of each process of the tree, last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = time.perf_counter()
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(self.interval):
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                total = proportional = own = 0
                for member in tree:
                    try:
                        rss = member.memory_info().rss
                        total += rss
                        own = rss if member.pid == self.process.pid else own
                        proportional += getattr(member.memory_full_info(), "pss", 0)
                        times = member.cpu_times()
                        self.cpu[member.pid] = times.user + times.system
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            now, done = time.perf_counter() - self._start, self.counter()
            self.samples.append((now, total / 2**20, done))
            self.pss_samples.append((now, proportional / 2**20, done))
            self.own_samples.append((now, own / 2**20, done))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu_seconds(self) -> float:
        """CPU time of every process seen in the tree (up to its last sample: workers are
        children of a fork server or a nanny, whose times never reach this process)."""
        return sum(self.cpu.values())

    @property
    def peak(self) -> float:
        return max((mb for _, mb, _ in self.samples), default=0.0)

    @property
    def peak_pss(self) -> float:
        return max((mb for _, mb, _ in self.pss_samples), default=0.0)


CONFIG: list[str] = []  # --config FILE of the runs (a batch size of the benchmark's own)


def ingest(paths: list[Path], db: Path, options: list[str], label: str, docs: int) -> IngestRun:
    """Run `newsledger ingest` on each path in turn (one command each) into `db`."""
    seconds = store = peak = peak_pss = cpu = own = workers_cpu = worker_start = after = scheduler = 0.0
    load = os.getloadavg()[0]
    for path in paths:
        start = time.perf_counter()
        process = subprocess.Popen([*CLI, "ingest", str(path), "--db", str(db), "-v", *CONFIG, *options],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        memory = TreeMemory(process.pid)
        _, err = process.communicate()
        memory.stop()
        seconds += time.perf_counter() - start
        cpu += memory.cpu_seconds
        peak = max(peak, memory.peak)
        peak_pss = max(peak_pss, memory.peak_pss)
        if process.returncode not in (0, 1):
            sys.exit(f"{label}: ingest exited {process.returncode}: {err.strip()[-500:]}")
        found = STORING.search(err)
        store += float(found.group(1)) if found else 0.0
        found = OWN_CPU.search(err)
        own += float(found.group(1)) if found else 0.0
        found = WORKERS_CPU.search(err)
        workers_cpu += float(found.group(1)) if found and "pipeline and writer" not in err else 0.0
        found = WORKER_START.search(err)
        worker_start = max(worker_start, float(found.group(1)) if found else 0.0)
        found = AFTER_LAST.search(err)
        after += float(found.group(1)) if found else 0.0
        found = SCHEDULER_CPU.search(err)
        scheduler += float(found.group(1)) if found else 0.0
    load = (load + os.getloadavg()[0]) / 2
    return IngestRun(label, docs, seconds, store, load, peak, peak_pss, cpu, own, workers_cpu, worker_start, after,
                     scheduler)


def table_rows(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as connection:
        rows = {}
        for table in COMPARED_TABLES:
            columns = [name for (name,) in connection.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
                [table]).fetchall() if name != VOLATILE_COLUMNS.get(table)]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows[table] = connection.execute(f"SELECT {listed} FROM {table} ORDER BY ALL").fetchall()
        return rows


def throughput(reports: list[Report], docs: int, folder: Path, with_dask: bool) -> None:
    halves = {name: [r for r in reports if half(r.name) == name] for name in ("tune", "check")}
    files = {}
    for name, chosen in halves.items():
        files[name] = folder / f"{name}.jsonl"
        write_jsonl(files[name], copies(chosen, docs // 2))
    modes = [("workers 1", ["--workers", "1"], 1), ("workers 2", ["--workers", "2"], 2)]
    if with_dask:
        modes.append(("dask local 2", ["--scheduler", "local", "--workers", "2"], 2))
    print(f"## Ingest throughput: {docs // 2} copies of each half's reports "
          f"({len(halves['tune'])} tune, {len(halves['check'])} check reports)\n")
    print("| mode | half | docs | seconds | docs/s | ratio to workers 1 | storing | after last batch | load avg "
          "| peak RSS MB | peak PSS MB | CPU s | CPU s/doc | writer CPU ms/doc | of it Dask loop ms/doc | workers CPU ms/doc "
          "| worker start CPU s | idle estimate |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
          "| ---: | ---: | ---: |")
    baseline: dict[str, float] = {}
    cpu_baseline: dict[str, float] = {}
    databases = {}
    for label, options, workers in modes:
        db = folder / f"{label.replace(' ', '-')}.duckdb"
        databases[label] = db
        total = []
        for name in ("tune", "check"):
            run = ingest([files[name]], db, options, label, docs // 2)
            total.append(run)
            baseline.setdefault(name, run.rate)
            cpu_baseline.setdefault(name, run.cpu_seconds)
            print(f"| {label} | {name} | {run.docs} | {run.seconds:.1f} | {run.rate:.2f} | "
                  f"{run.rate / baseline[name]:.2f} | {100 * run.store_seconds / run.seconds:.1f}% | "
                  f"{100 * run.after_last_seconds / run.seconds:.1f}% | "
                  f"{run.load:.1f} | {run.peak_rss_mb:.0f} | {run.peak_pss_mb:.0f} | {run.cpu_seconds:.1f} | "
                  f"{run.cpu_seconds / run.docs:.2f} | {1000 * run.own_cpu_seconds / run.docs:.0f} | "
                  f"{1000 * run.scheduler_cpu_seconds / run.docs:.0f} | "
                  f"{1000 * run.workers_cpu_seconds / run.docs:.0f} | {run.worker_start_seconds:.2f} | "
                  f"x{workers * cpu_baseline[name] / run.cpu_seconds:.2f} |")
        seconds = sum(r.seconds for r in total)
        rate = sum(r.docs for r in total) / seconds
        baseline.setdefault("all", rate)
        print(f"| {label} | all | {sum(r.docs for r in total)} | {seconds:.1f} | {rate:.2f} | "
              f"{rate / baseline['all']:.2f} | {100 * sum(r.store_seconds for r in total) / seconds:.1f}% | "
              f"{100 * sum(r.after_last_seconds for r in total) / seconds:.1f}% | "
              f"{sum(r.load for r in total) / 2:.1f} | {max(r.peak_rss_mb for r in total):.0f} | "
              f"{max(r.peak_pss_mb for r in total):.0f} |")
    expected = table_rows(databases["workers 1"])
    for label, db in databases.items():
        if label == "workers 1":
            continue
        got = table_rows(db)
        differing = [table for table in COMPARED_TABLES if got[table] != expected[table]]
        print(f"\nstore of {label} identical to workers 1: {'yes' if not differing else 'NO: ' + ', '.join(differing)}"
              f" ({len(expected['documents'])} documents, {len(expected['events'])} event mentions)")
    print()


def n_process_against_pool(reports: list[Report], docs: int) -> None:
    """The time `nlp.pipe(n_process=2)` would take for the whole pipeline: spaCy on two
    processes plus the stages after it on one, against the same texts in-process."""
    from newsledger.model import Document, Meta
    from newsledger.pipeline import process, run_batch
    from newsledger.settings import Settings
    from newsledger.stages import clean, nlp

    settings = Settings.load(CONFIG[1] if CONFIG else None)
    records = list(copies(reports, docs))
    documents = [Document(raw=r["text"], meta=Meta(source=str(i))) for i, r in enumerate(records)]
    bodies = [clean.run(d, settings) for d in documents]
    model = nlp.load_pipeline(settings.nlp_model)
    list(run_batch([Document(raw=records[0]["text"], meta=Meta(source="warm"))], settings))
    timings = {}
    for n_process in (1, 2):
        start = time.perf_counter()
        for _ in model.pipe(bodies, batch_size=settings.batch_size, n_process=n_process):
            pass
        timings[n_process] = time.perf_counter() - start
    start = time.perf_counter()
    list(process((Document(raw=r["text"], meta=Meta(source=str(i))) for i, r in enumerate(records)), settings))
    pipeline = time.perf_counter() - start
    after_spacy = max(0.0, pipeline - timings[1])
    estimate = timings[2] + after_spacy
    print(f"## spaCy n_process against a pool over batches ({docs} documents, in this process; "
          f"load avg {os.getloadavg()[0]:.1f})\n")
    print(f"- bare spaCy nlp.pipe: n_process=1 {timings[1]:.1f} s, n_process=2 {timings[2]:.1f} s "
          f"(x{timings[1] / timings[2]:.2f})")
    print(f"- whole pipeline in one process: {pipeline:.1f} s, of which spaCy {100 * timings[1] / pipeline:.0f}%")
    print(f"- pipeline with spaCy on 2 processes and the other stages on one: {estimate:.1f} s, "
          f"a speed-up of x{pipeline / estimate:.2f} at best; a pool over batches parallelises all "
          f"stages (its speed-up is measured above with --workers 2)\n")


def short_copies(reports: list[Report], count: int, chars: int) -> Iterator[dict[str, str]]:
    """`count` short documents: each report's opening paragraphs up to about `chars`
    characters (whole paragraphs, at least the first), cycled as `copies` does."""
    shortened = []
    for report in reports:
        kept = ""
        for paragraph in report.text.split("\n\n"):
            if kept and len(kept) + len(paragraph) > chars:
                break
            kept = f"{kept}\n\n{paragraph}" if kept else paragraph
        shortened.append(Report(report.name, kept, report.published))
    return copies(shortened, count)


PROGRESS_COUNT = re.compile(r"(\d+)doc")


class ProgressReader:
    """Reads the progress bar (`--progress`) from a process's standard error as it goes:
    `done` is the number of documents it has counted so far."""

    def __init__(self, stream) -> None:
        self.done = 0
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self._thread.start()

    def _run(self, stream) -> None:
        buffer = ""
        while chunk := stream.read(256):
            buffer += chunk
            *parts, buffer = re.split(r"[\r\n]", buffer)
            for part in parts:
                if found := PROGRESS_COUNT.search(part):
                    self.done = int(found.group(1))
                elif part.strip():
                    self.lines.append(part.strip())

    def join(self) -> None:
        self._thread.join()


def stream_memory(reports: list[Report], docs: int, chars: int, folder: Path, options: list[str]) -> None:
    """Resident memory of one ingest of `docs` short documents, sampled every second with the
    number of documents the progress bar has counted by then."""
    path = folder / "stream.jsonl"
    write_jsonl(path, short_copies(reports, docs, chars))
    db = folder / "stream.duckdb"
    start_load = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen([*CLI, "ingest", str(path), "--db", str(db), "-v", "--progress", *CONFIG, *options],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    progress = ProgressReader(process.stderr)
    memory = TreeMemory(process.pid, counter=lambda: progress.done)
    marks = [m for m in (1000, 2000, 5000, 10000, 15000, 20000, 50000, 100000) if m <= docs] or [docs]
    pending = list(marks)
    while process.poll() is None:  # each mark printed when reached: a run cut short still tells
        time.sleep(2)
        while pending and progress.done >= pending[0]:
            print(f"  (live) {pending.pop(0)} docs after {time.perf_counter() - start:.0f} s: peak RSS so far "
                  f"{memory.peak:.0f} MB, now {memory.samples[-1][1] if memory.samples else 0:.0f} MB; "
                  f"peak PSS so far {memory.peak_pss:.0f} MB, now "
                  f"{memory.pss_samples[-1][1] if memory.pss_samples else 0:.0f} MB; the writer alone now "
                  f"{memory.own_samples[-1][1] if memory.own_samples else 0:.0f} MB; "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    progress.join()
    memory.stop()
    seconds = time.perf_counter() - start
    said = " | ".join(progress.lines[-2:])
    found = STORING.search(said)
    print(f"## Resident memory over a {docs}-document stream ({' '.join(options) or 'default workers'}; "
          f"documents of up to ~{chars} characters; load avg {start_load:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at end)\n")
    if progress.done < docs:  # cut short (stopped, or failed): say how far it got, not the plan
        print(f"- CUT SHORT: {progress.done} of {docs} documents counted; exit status {process.returncode}")
        docs, marks = max(progress.done, 1), [m for m in marks if m <= progress.done] + [progress.done]
    print(f"- {docs} documents in {seconds:.0f} s ({docs / seconds:.2f} docs/s); "
          + (f"storing {float(found.group(1)):.1f} s ({100 * float(found.group(1)) / seconds:.1f}%)" if found else ""))
    print(f"- peak RSS of ingest and its workers: {memory.peak:.0f} MB (PSS, shared pages counted once: "
          f"{memory.peak_pss:.0f} MB)")
    for name, samples in (("RSS", memory.samples), ("PSS", memory.pss_samples),
                          ("RSS of the ingest process alone (the writer, with workers)", memory.own_samples)):
        points = []
        for mark in marks:
            reached = [mb for _, mb, done in samples if done <= mark]
            points.append(f"{mark} docs: peak so far {max(reached, default=0):.0f} MB")
        print(f"- {name} (ingest + workers) by documents counted: " + "; ".join(points))
    print("- ingest said: " + said + "\n")


def extract_startup(reports: list[Report], folder: Path) -> None:
    short = min(reports, key=lambda r: abs(len(r.text) - 1400))
    path = folder / "short.txt"
    path.write_text(short.text, encoding="utf-8")
    command = [*CLI, "extract", str(path), "--format", "json"]

    def timed(env: dict[str, str] | None = None) -> tuple[float, float]:
        """Wall and CPU (user + system) seconds of one run."""
        import resource

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return time.perf_counter() - start, cpu

    cold_dir = folder / "cold-cache"
    load = os.getloadavg()[0]
    cold = timed({**os.environ, "NEWSLEDGER_CACHE_DIR": str(cold_dir)})
    warm = sorted(timed() for _ in range(3))
    print(f"## extract of one short report ({len(short.text)} characters; load avg {load:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at end)\n")
    print(f"- warm cache: best {warm[0][0]:.2f} s wall ({warm[0][1]:.2f} s CPU), median {warm[1][0]:.2f} s wall "
          f"({warm[1][1]:.2f} s CPU) (3 runs)")
    print(f"- cold cache (gazetteer index and actor dictionary built into an empty cache folder): "
          f"{cold[0]:.2f} s wall ({cold[1]:.2f} s CPU)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=400, help="documents of the throughput runs (half per half)")
    parser.add_argument("--stream", type=int, default=20_000, help="documents of the memory stream")
    parser.add_argument("--stream-chars", type=int, default=600, help="characters of each stream document, about")
    parser.add_argument("--stream-workers", type=int, help="--workers of the stream's ingest (default: ingest's)")
    parser.add_argument("--n-process-docs", type=int, default=80)
    parser.add_argument("--skip-stream", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-extract", action="store_true")
    parser.add_argument("--skip-n-process", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--batch-size", type=int, help="documents per batch (default: the setting, 32); "
                        "a pool needs several batches per worker to keep every worker busy")
    args = parser.parse_args()
    reports = load_reports()
    print(f"# Scale of ingest ({os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f})\n")
    with tempfile.TemporaryDirectory(prefix="newsledger-scale-") as tmp:
        folder = Path(tmp)
        if args.batch_size:
            config = folder / "batch.toml"
            config.write_text(f"batch_size = {args.batch_size}\n")
            CONFIG.extend(["--config", str(config)])
            print(f"batch size {args.batch_size}\n")
        if not args.skip_extract:
            extract_startup(reports, folder)
        if not args.skip_throughput:
            throughput(reports, args.docs, folder, not args.skip_dask)
        if not args.skip_n_process:
            n_process_against_pool(reports, args.n_process_docs)
        if not args.skip_stream:
            stream_memory(reports, args.stream, args.stream_chars, folder,
                          ["--workers", str(args.stream_workers)] if args.stream_workers else [])
    # ---- read latencies at 10k / 100k / 1M stored mentions -------------------------------
    # Measured by the read side's benchmark, benchmarks/fusion_scale.py (branch s5-reads);
    # the lead joins it here at merge by calling that benchmark.
    # -----------------------------------------------------------------------------------------


if __name__ == "__main__":
    main()
