"""Dask runners: the LocalCluster of `--scheduler local` (forked from the loaded fork server, with
Dask's periodic upkeep lowered for it alone) and a scheduler given by its address."""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from newsledger.model import Document, Failure, Meta
from newsledger.parallel import (
    LOCAL_CLUSTER_CONFIG,
    BatchResult,
    MemoryReport,
    SchedulerCpu,
    WorkerMemory,
    process_records,
)
from newsledger.settings import Settings
from tests.conftest import script_module

SCALE_BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "scale.py"
# Hand-written reports.
REPORTS = {
    "a-ambush.txt": "MOGADISHU - Gunmen ambushed a convoy of aid trucks near Afgoye on Tuesday, killing four "
                    "drivers, a district official said.",
    "b-visit.txt": "NAIROBI - Kenya's foreign minister met his Ethiopian counterpart in Nairobi on Thursday to "
                   "discuss security along their shared border, the ministry said.",
    "c-tiny.txt": "Too short.",
}


def _documents() -> list[Document]:
    return [Document(raw=text, meta=Meta(source=name)) for name, text in REPORTS.items()]


def _sources(results: list[BatchResult]) -> list[str]:
    return [item.source if isinstance(item, Failure) else item["document"]["source"]
            for result in results for item in result.items]


def test_every_key_of_the_local_cluster_config_is_one_dask_knows() -> None:
    """A misspelt key would be set and read by nobody: each one is in Dask's own defaults."""
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    for key in LOCAL_CLUSTER_CONFIG:
        dask.config.get(key)  # KeyError for a key Dask does not have


def test_the_closing_line_says_where_the_schedulers_cpu_went() -> None:
    report = MemoryReport()
    report.add([WorkerMemory("host pid 1", 300.0, 0.02, 5.0)])
    assert "scheduler" not in report.summary()  # no Dask runner
    report.scheduler = SchedulerCpu(process_seconds=4.0, loop_seconds=1.24, local=True)
    assert report.summary().endswith("the Dask scheduler's event loop (scheduler, nannies and client, in this "
                                     "process) used 1.2 s of CPU")
    report.scheduler = SchedulerCpu(process_seconds=4.0, loop_seconds=1.24, local=False)
    assert report.summary().endswith("the Dask scheduler's process used 4.0 s of CPU")
    # as benchmarks/scale.py reads it from the closing line, in both forms
    with script_module(SCALE_BENCHMARK, "scale_benchmark") as scale:
        found = scale.SCHEDULER_CPU.search(f"{report.summary()}; storing took 1.0 s of 9.0 s")
        assert found and found.group(1) == "4.0"
        report.scheduler = SchedulerCpu(process_seconds=4.0, loop_seconds=1.24, local=True)
        found = scale.SCHEDULER_CPU.search(f"{report.summary()}; storing took 1.0 s of 9.0 s")
        assert found and found.group(1) == "1.2"


def _worker_view() -> tuple[int, str, object, object]:
    """Run in a Dask worker: its parent, the parent's command line, two of its Dask settings."""
    import dask

    parent = os.getppid()
    try:
        command = Path(f"/proc/{parent}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        command = ""
    return (parent, command, dask.config.get("distributed.worker.profile.enabled"),
            dask.config.get("distributed.admin.tick.interval"))


def _restarted_workers(client, killed: int, seconds: float = 300.0) -> list[int]:
    """The workers' pids once a worker other than `killed` has taken its place."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pids = list(client.run(os.getpid).values())
        except Exception:  # noqa: BLE001 - the killed worker is still listed
            pids = []
        if len(pids) == 2 and killed not in pids:
            return pids
        time.sleep(0.5)
    raise AssertionError("the nanny did not restart the killed worker")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads a process's parent from /proc")
def test_local_cluster_workers_come_from_the_fork_server_with_dasks_upkeep_lowered(settings: Settings) -> None:
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    from newsledger.parallel import DaskCluster

    profile_before = dask.config.get("distributed.worker.profile.enabled")
    runner = DaskCluster(settings, "local", 2)
    try:
        views = list(runner.client.run(_worker_view).values())
        results = list(process_records(iter(_documents()), settings.with_(batch_size=2), runner))
        # a worker that dies is restarted by its nanny from the same fork server
        killed = next(iter(runner.client.run(os.getpid).values()))
        os.kill(killed, signal.SIGKILL)
        _restarted_workers(runner.client, killed)
        views += list(runner.client.run(_worker_view).values())
    finally:
        runner.close()
    assert len(views) == 4
    for parent, command, profiling, tick in views:
        assert parent != os.getpid()  # not spawned by a nanny of this process
        assert "forkserver" in command  # forked from the server that loaded the pipeline
        assert profiling is False and tick == LOCAL_CLUSTER_CONFIG["distributed.admin.tick.interval"]
    assert dask.config.get("distributed.worker.profile.enabled") == profile_before  # set for that cluster only
    assert _sources(results) == list(REPORTS)
    assert runner.scheduler_cpu is not None and runner.scheduler_cpu.local
    assert 0 < runner.scheduler_cpu.loop_seconds <= runner.scheduler_cpu.process_seconds


@pytest.mark.slow
def test_a_scheduler_given_by_address_runs_the_batches_and_reports_its_own_process(settings: Settings) -> None:
    """A cluster this runner did not start (here one on loopback, its worker a thread of this
    process): the worker plugin loads the pipeline, the records come back in input order, the
    scheduler's CPU is its process's and the cluster is left running."""
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from newsledger.parallel import DaskCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None) as cluster:
        runner = DaskCluster(settings, cluster.scheduler_address, 4)
        try:
            assert runner.workers == 1  # the cluster's threads, not --workers
            results = list(process_records(iter(_documents()), settings.with_(batch_size=2), runner))
        finally:
            runner.close()
        assert cluster.scheduler.workers  # still there for the next client
    assert _sources(results) == list(REPORTS)
    records = [item for result in results for item in result.items if not isinstance(item, Failure)]
    assert len(records) == 2 and records[0]["events"]
    failed = [item for result in results for item in result.items if isinstance(item, Failure)]
    assert [(f.source, f.code) for f in failed] == [("c-tiny.txt", "E112")]
    assert runner.scheduler_cpu is not None and not runner.scheduler_cpu.local
    assert runner.scheduler_cpu.process_seconds > 0
