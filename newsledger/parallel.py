"""Running the pipeline on several cores or machines, results back in input order.

    documents -> batches -> workers (clean, nlp, time, places, actors, quotes, events, to_json)
              -> BatchResult per batch, in input order -> the one writer (`newsledger ingest`)

`process_records(items, settings, runner)` streams the `BatchResult` of each batch of
`settings.batch_size` documents: the batch's `newsledger-doc/1` records and `Failure`s, in
input order, whatever order the workers finish in. Three runners compute them:

- `InProcess`: in this process (`ingest --workers 1`).
- `LocalPool`: N worker processes of this machine (`--workers N`), forked from a fork server
  that loaded the model and dictionaries once (`worker_context`, `workerstart`), so each starts
  in milliseconds; they take whole batches; the pool is replaced after `WORKER_BATCHES`
  batches per worker, so the memory a long run leaves behind in a worker (spaCy's string
  store grows with every new word) stays bounded.
- `DaskCluster`: the workers of a Dask distributed cluster (`--scheduler tcp://HOST:8786`, or
  `--scheduler local` for a `LocalCluster` of N processes on this machine, forked from the
  same fork server, with Dask's periodic upkeep lowered for it: `LOCAL_CLUSTER_CONFIG`).

Why a pool over batches and not spaCy's `nlp.pipe(n_process=N)`: `n_process` parallelises
spaCy alone and sends every parsed Doc back to the parent, where the stages after spaCy
still run on one core. Measured by `benchmarks/scale.py` on the public reports (loaded
machine): spaCy is 82% of a document's time, and bare spaCy gains only x1.49 on two
processes (the Docs are pickled back), so the pipeline would gain x1.37 at best; a worker
that runs the whole pipeline on a batch and sends back only its JSON record parallelises
all of it (x2 at best on two cores) and ships less.

Input is read lazily: at most `IN_FLIGHT_PER_WORKER` batches per worker are out at a time.
With worker processes, `prefetched` reads the input, hands out batches and collects their
results on a thread of its own, up to `RESULTS_AHEAD_PER_WORKER` batch results per worker
ahead of the writer: the workers stay busy while the writer stores and fuses (before, no
batch was handed out while the writer worked, so two workers waited on it and ingested no
faster than one). The writer process never loads spaCy (`batches` lives here, not in
`pipeline`).

A worker that dies (killed, out of memory, a crash in a library) loses the batch it held:
the batch is sent again (Dask first retries it on other workers itself); a batch lost twice
is split into its documents, each sent alone; a document lost `DOCUMENT_TRIES` times is
poison and becomes a Failure (E303), and the run goes on. Each batch's result is handed on
once, in order, so nothing is lost and nothing is stored twice.

Each result carries the worker's peak resident memory (`WorkerMemory`), which `MemoryReport`
sums up for the closing line of `ingest`.
"""
from __future__ import annotations

import multiprocessing
import os
import time
import queue
import resource
import socket
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import forkserver
from multiprocessing.context import BaseContext
from typing import Any, Protocol

from .errors import NewsledgerError
from .model import Document, Failure
from .settings import Settings

# Local worker processes are replaced after about this many batches each (bounds their memory).
WORKER_BATCHES = 100
# Batches sent ahead per worker, so that none waits while the writer stores.
IN_FLIGHT_PER_WORKER = 2
# Batch results collected ahead of the writer, per worker (`prefetched`): what the workers may
# run ahead while the writer stores and fuses a group, with their memory bound by it.
RESULTS_AHEAD_PER_WORKER = 4
# A document alone on a worker that dies this many times is poison: stored as an E303 failure.
DOCUMENT_TRIES = 2
LOCAL_SCHEDULER = "local"
# How long to wait for a Dask scheduler to answer before giving up with E207.
SCHEDULER_TIMEOUT_SECONDS = 30

Record = dict[str, Any]
"""A `newsledger-doc/1` record (`Document.to_json()`)."""


@dataclass(frozen=True)
class WorkerMemory:
    """The peak resident memory of one worker process so far, the CPU it had used when it was
    ready for its first batch (its start-up: for a worker forked from the fork server, what
    the fork, Dask's worker start and `start_worker` cost) and in all (user + system, since it
    started)."""

    worker: str
    peak_rss_mb: float
    start_cpu_seconds: float = 0.0
    cpu_seconds: float = 0.0


@dataclass
class BatchResult:
    """The records and failures of one batch, in input order, and the memory of the workers
    that made them."""

    items: list[Record | Failure]
    memory: list[WorkerMemory] = field(default_factory=list)


class WorkerLost(Exception):
    """The worker holding a batch died before answering."""


# -- what a worker runs -----------------------------------------------------------------------

_setup_error: NewsledgerError | None = None
_start_cpu_seconds = 0.0   # CPU this worker process had used when `start_worker` was done (its start-up)


def start_worker(settings: Settings) -> None:
    """Load the model and dictionaries of a new worker process (nothing to do when it was
    forked from a process that had loaded them: `workerstart`); a setup error (E201...) is kept
    and raised by the first batch, so the writer reports it with its code."""
    global _setup_error, _start_cpu_seconds
    from .pipeline import prepare

    _setup_error = None
    try:
        prepare(settings)
    except NewsledgerError as err:
        _setup_error = err
    _start_cpu_seconds = time.process_time()  # a forked process's count starts at its fork


def startup_error() -> NewsledgerError | None:
    """The setup error `start_worker` kept, if any."""
    return _setup_error


def worker_context(settings: Settings, preloaded_modules: tuple[str, ...] = ()) -> BaseContext:
    """How local worker processes are started: forked from a fork server that has loaded the
    pipeline for `settings` once (`workerstart`), so each starts in milliseconds and shares the
    model's memory; where the platform has no fork server (Windows), spawned, each loading it.

    The fork server is one per process and lives as long as it: a later pool with other
    settings gets workers that load what differs in `start_worker`. `preloaded_modules` are
    imported by the fork server too (a Dask worker's)."""
    from .workerstart import SETTINGS_VARIABLE, encoded

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*preloaded_modules, "newsledger.workerstart"])
    previous = os.environ.get(SETTINGS_VARIABLE)
    os.environ[SETTINGS_VARIABLE] = encoded(settings)  # read by the fork server as it starts
    try:
        forkserver.ensure_running()
    finally:
        if previous is None:
            os.environ.pop(SETTINGS_VARIABLE, None)
        else:
            os.environ[SETTINGS_VARIABLE] = previous
    return context


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def records_of_batch(items: list[Document | Failure], settings: Settings) -> BatchResult:
    """Run the pipeline on one batch and turn each document into its record (the work of a
    worker). A document whose record cannot be written becomes its failure (E301, output)."""
    from .pipeline import prepare, run_batch

    if _setup_error is not None:
        raise _setup_error
    prepare(settings)  # loaded once per process: a no-op after the first batch
    results: list[Record | Failure] = []
    for item in run_batch(items, settings):
        if isinstance(item, Document):
            try:
                item.spacy_doc = None
                results.append(item.to_json())
                continue
            except Exception as err:  # noqa: BLE001 - this document's failure, not the batch's
                detail = " ".join(f"{type(err).__name__}: {err}".split())[:200]
                item = Failure(item.meta.source, "E301", f"output: {detail}", "output")
        results.append(item)
    return BatchResult(results, [WorkerMemory(f"{socket.gethostname()} pid {os.getpid()}", peak_rss_mb(),
                                              _start_cpu_seconds, time.process_time())])


# -- runners ---------------------------------------------------------------------------------


class Runner(Protocol):
    """Where batches are computed: `submit` hands one out, `result` waits for its answer
    (raising `WorkerLost` when its worker died), `workers` says how many run at once,
    `batch_tries` how often a lost batch is sent whole before it is split into documents."""

    workers: int
    batch_tries: int

    def submit(self, items: list[Document | Failure]) -> Any: ...

    def result(self, handle: Any) -> BatchResult: ...

    def close(self) -> None: ...


class InProcess:
    """Batches computed in this process, one at a time, when their result is asked for."""

    workers = 1
    batch_tries = 1

    def __init__(self, settings: Settings):
        self.settings = settings
        start_worker(settings)
        if _setup_error is not None:  # raised here, up front
            raise _setup_error

    def submit(self, items: list[Document | Failure]) -> list[Document | Failure]:
        return items

    def result(self, handle: list[Document | Failure]) -> BatchResult:
        return records_of_batch(handle, self.settings)

    def close(self) -> None:
        pass


class LocalPool:
    """N worker processes of this machine (forked from a fork server that loaded the pipeline,
    never from the writer with its open database). After WORKER_BATCHES batches per worker the pool is
    replaced by a fresh one: the old one finishes the batches it holds and its processes
    exit, so no worker lives longer than about WORKER_BATCHES batches. (Not with
    `max_tasks_per_child`, which can deadlock on Python 3.11 to 3.14: CPython gh-115634.)"""

    batch_tries = 2  # a batch lost once may have been in flight when another one killed the pool

    def __init__(self, settings: Settings, workers: int):
        self.settings = settings
        self.workers = workers
        self.generation = 0
        self._submitted = 0
        self._retired: list[ProcessPoolExecutor] = []
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=worker_context(self.settings),
                                   initializer=start_worker, initargs=(self.settings,))

    def _replace(self, cancel: bool) -> None:
        """A fresh pool for the batches to come; the old one is left to finish what it holds
        (or, broken, cancelled)."""
        self._executor.shutdown(wait=False, cancel_futures=cancel)
        self._retired.append(self._executor)
        self.generation += 1
        self._submitted = 0
        self._executor = self._start()

    def submit(self, items: list[Document | Failure]) -> tuple[int, Future[BatchResult]]:
        if self._submitted >= WORKER_BATCHES * self.workers:
            self._replace(cancel=False)
        self._submitted += 1
        try:
            return self.generation, self._executor.submit(records_of_batch, items, self.settings)
        except BrokenProcessPool:
            self._replace(cancel=True)
            return self.generation, self._executor.submit(records_of_batch, items, self.settings)

    def result(self, handle: tuple[int, Future[BatchResult]]) -> BatchResult:
        generation, future = handle
        try:
            return future.result()
        except BrokenProcessPool:
            if generation == self.generation:  # replace a broken pool once, whichever batch notices
                self._replace(cancel=True)
            raise WorkerLost from None

    def close(self) -> None:
        for executor in (*self._retired, self._executor):
            executor.shutdown(wait=True, cancel_futures=True)


class DaskCluster:
    """The workers of a Dask distributed cluster: `address` is a scheduler's tcp:// address,
    or "local" for a LocalCluster of `workers` processes on this machine (one thread each:
    the pipeline is CPU-bound Python; `local_cluster`)."""

    batch_tries = 1  # Dask has already retried it on other workers before it reports it lost

    def __init__(self, settings: Settings, address: str, workers: int):
        self.settings = settings
        self._local: LocalDask | None = None
        self.scheduler_cpu: SchedulerCpu | None = None  # measured as the runner closes
        try:
            if address == LOCAL_SCHEDULER:
                self._local = local_cluster(settings, workers)
                self.client = self._local.client
            else:
                from distributed import Client

                self.client = Client(address, timeout=SCHEDULER_TIMEOUT_SECONDS)
        except ImportError:
            raise NewsledgerError("E207", "--scheduler needs the `distributed` package") from None
        except (OSError, TimeoutError, ValueError) as err:
            self.close()
            raise NewsledgerError("E207", f"{address}: {' '.join(str(err).split())[:200]}") from None
        from distributed import KilledWorker
        from distributed.diagnostics.plugin import WorkerPlugin

        self._killed = KilledWorker

        class LoadPipeline(WorkerPlugin):
            """Loads the model and dictionaries once in each worker process as it starts (and in
            every worker that joins later), not in its first task; a setup error is kept and
            raised by the first batch (`start_worker`)."""

            name = "newsledger-pipeline"

            def __init__(self, settings: Settings):
                self.settings = settings

            def setup(self, worker: Any) -> None:
                start_worker(self.settings)

        try:
            self.workers = max(1, sum(self.client.nthreads().values()))
            self.client.register_plugin(LoadPipeline(settings))
        except BaseException:
            self.close()        # the local cluster and its Dask settings go too
            raise

    def submit(self, items: list[Document | Failure]) -> Any:
        return self.client.submit(records_of_batch, items, self.settings, pure=False)

    def result(self, handle: Any) -> BatchResult:
        try:
            return handle.result()
        except self._killed:
            raise WorkerLost from None

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None and client.status == "running":
            self.scheduler_cpu = scheduler_cpu(client, local=self._local is not None)
        local, self._local = self._local, None
        if local is not None:
            local.close()
        elif client is not None:
            client.close()


# Dask's own upkeep, lowered for the LocalCluster that `--scheduler local` starts: its scheduler
# and nannies run on an event loop of the writer's process, its workers share the cores with
# each other, and every periodic callback of theirs takes CPU (and the GIL) from the pipeline.
# Dask's documented configuration keys, set for that cluster and its client only (a remote
# cluster keeps its own configuration). An idle LocalCluster of 2 workers took over 20 s (loaded
# machine) 4.8% of a core in this process and 3.7% in each worker with Dask's defaults, 0.85%
# and 0.35% with these.
LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    # workers forked from the fork server that loaded the pipeline (`worker_context`)
    "distributed.worker.multiprocessing-method": "forkserver",
    # the statistical profiler samples each worker's task thread every 10 ms (for the dashboard)
    "distributed.worker.profile.enabled": False,
    # event-loop health checks, every 20 ms in the scheduler, each nanny and each worker
    "distributed.admin.tick.interval": "500ms",
    # CPU, memory, network and disk samples for the dashboard, every 500 ms in each of them
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.disk": False,
    # the spill / pause / terminate thresholds, checked every 100 ms (a worker holds one batch)
    "distributed.worker.memory.monitor-interval": "1s",
    # no replicas to drop: each result is gathered once by the client and released
    "distributed.scheduler.active-memory-manager.start": False,
    # the client's copy of the scheduler's worker list (we read it once)
    "distributed.client.scheduler-info-interval": "10s",
}


@dataclass
class LocalDask:
    """A LocalCluster, its client, and Dask's configuration as it was set for them (undone by
    `close`)."""

    cluster: Any
    client: Any
    config: ExitStack   # holds the `dask.config.set` in force while the cluster lives

    def close(self) -> None:
        with self.config:
            try:
                self.client.close()
            finally:
                self.cluster.close()


def local_cluster(settings: Settings, workers: int) -> LocalDask:
    """A Dask LocalCluster of `workers` processes of one thread each (the pipeline is CPU-bound
    Python) and its client. The workers are forked from the fork server that has loaded the
    pipeline (`worker_context`), so they start without loading the model each; the server is
    started first, so it loads the pipeline while this process imports Dask.
    `LOCAL_CLUSTER_CONFIG` stays set while the cluster lives, so a worker the nanny restarts
    after a crash is forked from the server too. Results come straight from the workers to the
    client, not through the scheduler (`direct_to_workers`)."""
    config = dict(LOCAL_CLUSTER_CONFIG)
    if "forkserver" in multiprocessing.get_all_start_methods():
        # Preloads Dask too: the workers forked from the server import neither. (Dask's own
        # preload list, set later by its first `get_mp_context`, is for a server not yet running.)
        worker_context(settings, ("distributed",))
    else:
        config.pop("distributed.worker.multiprocessing-method")
    import dask
    from distributed import Client, LocalCluster

    with ExitStack() as setting:
        setting.enter_context(dask.config.set(config))
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        try:
            client = Client(cluster, direct_to_workers=True)
        except BaseException:
            cluster.close()
            raise
        return LocalDask(cluster, client, setting.pop_all())  # kept set until LocalDask.close


@dataclass(frozen=True)
class SchedulerCpu:
    """The CPU a Dask scheduler's process had used, and of it its event loop's thread (with a
    LocalCluster, the writer's process: the loop runs the scheduler, the nannies and the client)."""

    process_seconds: float
    loop_seconds: float
    local: bool   # the scheduler ran in this process


def _scheduler_process_cpu() -> tuple[float, float]:
    """Run on the scheduler's event loop: its process's CPU and the loop thread's."""
    return time.process_time(), time.thread_time()


def scheduler_cpu(client: Any, local: bool) -> SchedulerCpu | None:
    """What the scheduler of `client` has used so far; None when it cannot say (a remote
    scheduler without newsledger installed, or one that refuses to run a function)."""
    try:
        process_seconds, loop_seconds = client.run_on_scheduler(_scheduler_process_cpu)
    except Exception:  # noqa: BLE001 - a figure for -v, never a reason to fail the ingest
        return None
    return SchedulerCpu(process_seconds, loop_seconds, local)


def open_runner(settings: Settings, workers: int, scheduler: str | None = None) -> Runner:
    """The runner `ingest --workers/--scheduler` asks for."""
    if workers < 1:
        raise NewsledgerError("E207", f"--workers must be at least 1, not {workers}")
    if scheduler:
        return DaskCluster(settings, scheduler, workers)
    if workers == 1:
        return InProcess(settings)
    return LocalPool(settings, workers)


def default_workers() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# Input bytes from which `ingest` runs a pool of one worker per core by default. The pool's
# fork server loads the pipeline once (spaCy's model, dictionaries, the gazetteer's index: about
# 4 s of CPU, as one process does), but where there is no fork each worker pays it again, and
# the pipeline costs about 100 us of CPU per character: 1 MB of input (~100 s of CPU, a few
# hundred reports) makes that start-up a few per cent; below it, one process (the command's
# own) is cheaper in CPU and hardly slower.
POOL_MIN_INPUT_BYTES = 1_000_000


def workers_for_input(paths: Iterable[str], cores: int | None = None,
                      min_bytes: int = POOL_MIN_INPUT_BYTES) -> int:
    """How many workers `ingest` runs when --workers is not given: one per core when the local
    input files (the files of a folder included) hold at least `min_bytes`, else 1. Standard
    input and URLs count as nothing (their size is unknown before they are read); the sizes
    are added up only until the bound is reached. A folder that cannot be listed counts as
    nothing here: reading it reports it."""
    from .ingest import expand_paths

    cores = default_workers() if cores is None else cores
    if cores < 2:
        return 1
    total = 0
    try:
        for given in expand_paths(paths):
            try:
                total += os.stat(given).st_size if os.path.isfile(given) else 0   # not "-" nor a URL
            except (OSError, ValueError):  # a file gone or unreadable: reading it reports it
                continue
            if total >= min_bytes:
                return cores
    except (OSError, ValueError):
        pass
    return 1


# -- in order, with lost batches sent again ---------------------------------------------------


@dataclass
class _Task:
    items: list[Document | Failure]
    handle: Any
    tries: int = 1


def batches(items: Iterable[Document | Failure], size: int) -> Iterator[list[Document | Failure]]:
    """`items` in lists of `size`, read lazily: one list is held at a time."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def process_records(items: Iterable[Document | Failure], settings: Settings, runner: Runner) -> Iterator[BatchResult]:
    """The BatchResult of each batch of `items`, in input order; `runner` computes them."""
    window = max(1, runner.workers * IN_FLIGHT_PER_WORKER)
    pending: deque[_Task] = deque()
    for batch in batches(items, settings.batch_size):
        pending.append(_Task(batch, runner.submit(batch)))
        if len(pending) > window:
            yield _collect(pending.popleft(), runner)
    while pending:
        yield _collect(pending.popleft(), runner)


def _collect(task: _Task, runner: Runner) -> BatchResult:
    """The result of one batch, sending again what a lost worker held (see the module)."""
    merged = BatchResult([])
    todo: deque[_Task] = deque([task])
    while todo:
        current = todo.popleft()
        try:
            result = runner.result(current.handle)
        except WorkerLost:
            todo.extendleft(reversed(_again(current, runner, merged)))
            continue
        merged.items.extend(result.items)
        merged.memory.extend(result.memory)
    return merged


def _again(task: _Task, runner: Runner, merged: BatchResult) -> list[_Task]:
    """What to send after `task` was lost: the batch once more, then its documents one by one;
    a document lost DOCUMENT_TRIES times alone becomes its E303 failure (added to `merged`)."""
    if len(task.items) > 1:
        if task.tries < runner.batch_tries:
            return [_Task(task.items, runner.submit(task.items), task.tries + 1)]
        return [_Task([item], runner.submit([item])) for item in task.items]
    if task.tries < DOCUMENT_TRIES:
        return [_Task(task.items, runner.submit(task.items), task.tries + 1)]
    item = task.items[0]
    source = item.source if isinstance(item, Failure) else item.meta.source
    merged.items.append(Failure(source, "E303", f"{source}: its worker died {task.tries} times", "worker"))
    return []


class _Raised:
    """An exception of the prefetching thread, raised again in the consumer."""

    def __init__(self, error: BaseException):
        self.error = error


_DONE = object()


def prefetched(results: Iterator[BatchResult], ahead: int) -> Iterator[BatchResult]:
    """`results` computed on a thread of their own, up to `ahead` of the consumer, in order;
    an exception there is raised here. When the consumer stops early (an error while
    storing), the thread stops at its next result (it is not waited for: the runner's
    `close` ends what it waits on)."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=max(1, ahead))
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for result in results:
                if not put(result):
                    return
            put(_DONE)
        except BaseException as err:  # noqa: BLE001 - handed to the consumer
            put(_Raised(err))

    thread = threading.Thread(target=run, name="newsledger-prefetch", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not _DONE:
            if isinstance(item, _Raised):
                raise item.error
            yield item
    finally:
        stop.set()


class MemoryReport:
    """The peak resident memory, start-up CPU and CPU of each worker process seen, for the
    closing line."""

    def __init__(self) -> None:
        self.peaks: dict[str, float] = {}
        self.start_cpu: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.scheduler: SchedulerCpu | None = None  # a Dask runner's, as it closed

    def add(self, memory: Iterable[WorkerMemory]) -> None:
        for entry in memory:
            self.peaks[entry.worker] = max(entry.peak_rss_mb, self.peaks.get(entry.worker, 0.0))
            self.start_cpu[entry.worker] = entry.start_cpu_seconds
            self.cpu[entry.worker] = max(entry.cpu_seconds, self.cpu.get(entry.worker, 0.0))

    @property
    def cpu_seconds(self) -> float:
        """The CPU all worker processes seen had used by their last batch."""
        return sum(self.cpu.values())

    def summary(self) -> str:
        if not self.peaks:
            return "no worker process ran"
        values = sorted(self.peaks.values())
        starts = sorted(self.start_cpu.values())
        return (f"{len(values)} worker process(es), peak RSS per worker: "
                f"max {values[-1]:.0f} MB, median {values[len(values) // 2]:.0f} MB; "
                f"worker start-up CPU max {starts[-1]:.2f} s, median {starts[len(starts) // 2]:.2f} s; "
                f"workers used {self.cpu_seconds:.1f} s of CPU{self._scheduler_note()}")

    def _scheduler_note(self) -> str:
        if self.scheduler is None:
            return ""
        if self.scheduler.local:
            return (f"; the Dask scheduler's event loop (scheduler, nannies and client, in this process) "
                    f"used {self.scheduler.loop_seconds:.1f} s of CPU")
        return f"; the Dask scheduler's process used {self.scheduler.process_seconds:.1f} s of CPU"
