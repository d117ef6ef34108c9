"""Parallel ingest: results in input order whatever the workers do, lost workers survived,
and the same database from one process, a pool of processes, or a Dask LocalCluster."""
from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsledger.cli import cli
from newsledger.errors import NewsledgerError
from newsledger.model import Document, Failure, Meta
from newsledger.parallel import (
    BatchResult,
    MemoryReport,
    WorkerLost,
    WorkerMemory,
    batches,
    prefetched,
    process_records,
    records_of_batch,
)
from newsledger.settings import Settings
from newsledger.store import TABLES, Store

# -- order and lost workers, with a runner that needs no spaCy ---------------------------------


class FlakyRunner:
    """Answers each batch with one record per document; a batch holding a document named
    "poison" always loses its worker, one holding "flaky" loses it the first time only."""

    workers = 2

    def __init__(self, batch_tries: int = 2) -> None:
        self.batch_tries = batch_tries
        self.sent: list[list[str]] = []
        self.flaky_lost = False

    def submit(self, items: list[Document | Failure]) -> list[Document | Failure]:
        self.sent.append([_source(item) for item in items])
        return items

    def result(self, handle: list[Document | Failure]) -> BatchResult:
        sources = [_source(item) for item in handle]
        if "poison" in sources:
            raise WorkerLost
        if "flaky" in sources and not self.flaky_lost:
            self.flaky_lost = True
            raise WorkerLost
        return BatchResult([{"id": s} for s in sources], [WorkerMemory("w1", 100.0 + len(sources))])

    def close(self) -> None:
        pass


def _source(item: Document | Failure) -> str:
    return item.source if isinstance(item, Failure) else item.meta.source


def _docs(*names: str) -> Iterator[Document]:
    return (Document(raw=f"Text of {name}.", meta=Meta(source=name)) for name in names)


def _sources(results: list[BatchResult]) -> list[str]:
    return [item["id"] if isinstance(item, dict) else f"{item.code}:{item.source}"
            for result in results for item in result.items]


def test_results_come_back_in_input_order_one_batch_each(settings: Settings) -> None:
    names = [f"d{i}" for i in range(7)]
    results = list(process_records(_docs(*names), settings.with_(batch_size=3), FlakyRunner()))
    assert [len(r.items) for r in results] == [3, 3, 1]
    assert _sources(results) == names


def test_a_batch_lost_once_is_sent_again_whole(settings: Settings) -> None:
    runner = FlakyRunner()
    results = list(process_records(_docs("a", "flaky", "b", "c"), settings.with_(batch_size=2), runner))
    assert _sources(results) == ["a", "flaky", "b", "c"]
    assert runner.sent == [["a", "flaky"], ["b", "c"], ["a", "flaky"]]


def test_a_poison_document_becomes_a_failure_and_nothing_else_is_lost_or_repeated(settings: Settings) -> None:
    runner = FlakyRunner()
    results = list(process_records(_docs("a", "poison", "b", "c", "d"), settings.with_(batch_size=3), runner))
    assert _sources(results) == ["a", "E303:poison", "b", "c", "d"]
    # the batch twice, then each document alone; the poison twice alone
    assert runner.sent == [["a", "poison", "b"], ["c", "d"], ["a", "poison", "b"],
                           ["a"], ["poison"], ["b"], ["poison"]]


def test_a_runner_that_retries_itself_splits_a_lost_batch_at_once(settings: Settings) -> None:
    runner = FlakyRunner(batch_tries=1)  # like Dask, which retried before reporting the loss
    results = list(process_records(_docs("poison", "a"), settings.with_(batch_size=2), runner))
    assert _sources(results) == ["E303:poison", "a"]
    assert runner.sent == [["poison", "a"], ["poison"], ["a"], ["poison"]]


def test_input_is_read_lazily(settings: Settings) -> None:
    read: list[int] = []

    def documents() -> Iterator[Document]:
        for i in range(100):
            read.append(i)
            yield Document(raw="x", meta=Meta(source=str(i)))

    results = process_records(documents(), settings.with_(batch_size=2), FlakyRunner())
    next(results)
    assert len(read) <= 2 * (2 * FlakyRunner.workers + 2)  # the window of batches in flight, not all


def test_prefetched_results_keep_their_order_and_stay_a_bounded_number_ahead() -> None:
    made: list[int] = []

    def results() -> Iterator[BatchResult]:
        for i in range(20):
            made.append(i)
            yield BatchResult([{"id": str(i)}])

    stream = prefetched(results(), ahead=3)
    first = next(stream)
    deadline = time.monotonic() + 5
    while len(made) < 5 and time.monotonic() < deadline:  # the thread fills the queue, then waits
        time.sleep(0.01)
    time.sleep(0.1)
    assert first.items == [{"id": "0"}] and len(made) <= 1 + 3 + 1  # handed out, queued, held
    assert [r.items[0]["id"] for r in stream] == [str(i) for i in range(1, 20)]


def test_an_error_while_prefetching_is_raised_to_the_consumer_after_the_results_before_it() -> None:
    def results() -> Iterator[BatchResult]:
        yield BatchResult([{"id": "a"}])
        raise NewsledgerError("E201", "no model")

    stream = prefetched(results(), ahead=2)
    assert next(stream).items == [{"id": "a"}]
    with pytest.raises(NewsledgerError, match="no model"):
        next(stream)


def test_batches_are_read_lazily_in_lists_of_the_size() -> None:
    read: list[int] = []

    def numbers() -> Iterator[Any]:
        for i in range(7):
            read.append(i)
            yield i

    lists = batches(numbers(), 3)
    assert next(lists) == [0, 1, 2] and read == [0, 1, 2]
    assert list(lists) == [[3, 4, 5], [6]]


def test_memory_report_keeps_each_workers_peak() -> None:
    report = MemoryReport()
    report.add([WorkerMemory("a", 300.0), WorkerMemory("b", 500.0)])
    report.add([WorkerMemory("a", 700.0), WorkerMemory("b", 400.0)])
    assert report.peaks == {"a": 700.0, "b": 500.0}
    assert "2 worker process(es)" in report.summary() and "max 700 MB" in report.summary()


def test_memory_report_sums_the_workers_cpu_and_keeps_their_start_up() -> None:
    report = MemoryReport()
    report.add([WorkerMemory("a", 300.0, 0.01, 5.0), WorkerMemory("b", 300.0, 0.02, 4.0)])
    report.add([WorkerMemory("a", 300.0, 0.01, 9.0)])
    assert report.cpu_seconds == 13.0  # each worker's latest CPU, added up
    assert "worker start-up CPU max 0.02 s" in report.summary()


# -- how worker processes start --------------------------------------------------------------


def test_workers_are_spawned_where_there_is_no_fork(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    import multiprocessing

    from newsledger.parallel import worker_context

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert worker_context(settings).get_start_method() == "spawn"


def test_the_settings_reach_the_fork_server_through_its_environment(
        monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    from newsledger import workerstart

    changed = settings.with_(batch_size=3, actor_files=("my-actors.csv",))
    monkeypatch.setenv(workerstart.SETTINGS_VARIABLE, workerstart.encoded(changed))
    assert workerstart.settings_of_environment() == changed
    monkeypatch.setenv(workerstart.SETTINGS_VARIABLE, "not base64 of settings")
    assert workerstart.settings_of_environment() is None  # loads nothing; workers load for themselves
    monkeypatch.delenv(workerstart.SETTINGS_VARIABLE)
    assert workerstart.settings_of_environment() is None


def test_a_worker_start_that_fails_is_kept_for_the_first_batch(settings: Settings,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from newsledger import parallel

    monkeypatch.setattr(parallel, "_setup_error", None)            # restored after the test,
    monkeypatch.setattr(parallel, "_start_cpu_seconds", parallel._start_cpu_seconds)   # no reload needed
    parallel.start_worker(settings.with_(nlp_model="no_such_model_here"))
    error = parallel.startup_error()
    assert error is not None and error.code == "E201"
    with pytest.raises(NewsledgerError) as raised:
        parallel.records_of_batch(list(_docs("a")), settings)
    assert raised.value.code == "E201"


def test_a_worker_keeps_no_parsed_document_once_its_batch_is_answered(settings: Settings) -> None:
    """A worker runs thousands of batches: nothing may hold the spaCy Docs of those before
    (a cache keyed by a Token holds its Doc), or its memory grows with every document."""
    import gc

    from spacy.tokens import Doc

    texts = ["The minister said on Tuesday that the talks would resume. Officials in the capital agreed.",
             "A spokeswoman for the army said soldiers had been sent to the border town.",
             "Farmers protested outside parliament; their leaders warned the government."]
    gc.collect()
    alive_before = {id(obj) for obj in gc.get_objects() if isinstance(obj, Doc)}   # other tests' leftovers
    items = [Document(raw=text, meta=Meta(source=f"w{k}.txt")) for k, text in enumerate(texts)]
    result = records_of_batch(items, settings)
    assert [item["document"]["source"] for item in result.items] == ["w0.txt", "w1.txt", "w2.txt"]
    del items, result
    gc.collect()
    assert [obj for obj in gc.get_objects() if isinstance(obj, Doc) and id(obj) not in alive_before] == []


# -- the real pipeline: the same database from one process, a pool, and Dask ------------------

# Hand-written reports: two are the same text (stored once), one is too short (a failure).
REPORTS = {
    "a-kabul.txt": "KABUL, March 3 (Newswire) - A suicide bomber killed 12 people at a checkpoint in Kabul "
                   "on Friday, the Afghan interior ministry said.\n\nThe Taliban denied involvement.",
    "b-talks.txt": "ISLAMABAD - Pakistan and the United States held talks on counterterrorism cooperation "
                   "in Islamabad on Monday, the foreign office said in a statement.",
    "c-short.txt": "Too short.",
    "d-protest.txt": "Thousands of people protested in Lahore on Sunday, March 5, 2023, against rising fuel "
                     "prices, police said. Officers fired tear gas to disperse the crowd near the provincial "
                     "assembly.",
    "e-again.txt": "ISLAMABAD - Pakistan and the United States held talks on counterterrorism cooperation "
                   "in Islamabad on Monday, the foreign office said in a statement.",
    "f-sanction.txt": "WASHINGTON - The United States imposed sanctions on three Iranian officials on Tuesday "
                      "over the crackdown on protesters, the Treasury Department said.",
    # the Lahore protest of d-protest again, in other words: fused with it across rounds of upkeep
    "g-lahore.txt": "LAHORE - Police fired tear gas at thousands of demonstrators who protested against higher "
                    "fuel prices in Lahore on March 5, 2023, witnesses said.",
    "h-lahore.txt": "Demonstrators angry at fuel price rises protested in their thousands in Lahore on March 5, "
                    "2023, and police used tear gas near the provincial assembly, a police spokesman said.",
}
VOLATILE_COLUMNS = {"documents": "ingested_at", "errors": "first_seen"}


def _write_reports(folder: Path) -> Path:
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _table_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the time it was written, in a fixed order."""
    tables = (*TABLES, "canonical_events", "canonical_members", "canonical_blocks")
    with Store.open(db, read_only=True) as store:
        rows = {}
        for table in tables:
            columns = [name for (name,) in store.connection.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
                [table]).fetchall() if name != VOLATILE_COLUMNS.get(table)]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows[table] = store.connection.execute(
                f"SELECT {listed} FROM {table} ORDER BY ALL").fetchall()
    return rows


def _ingest(tmp_path: Path, folder: Path, db: str, *options: str) -> Any:
    config = tmp_path / "small-batches.toml"
    config.write_text("batch_size = 2\n")
    return CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(tmp_path / db), "--config", str(config),
                                    "-v", *options], prog_name="newsledger")


@pytest.mark.slow
def test_two_worker_processes_store_the_same_rows_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsledger.parallel

    import newsledger.cli

    folder = _write_reports(tmp_path / "reports")
    # groups of 2 items, upkeep once 2 new documents are stored: rounds {a, b}, {d, f}, {g, h}
    monkeypatch.setattr(newsledger.cli, "WRITE_GROUP", 2)
    monkeypatch.setattr(newsledger.cli, "FUSE_EVERY_DOCUMENTS", 2)
    one = _ingest(tmp_path, folder, "one.duckdb", "--workers", "1")
    monkeypatch.setattr(newsledger.parallel, "WORKER_BATCHES", 1)  # the third batch goes to a fresh pool
    two = _ingest(tmp_path, folder, "two.duckdb", "--workers", "2")
    assert one.exit_code == two.exit_code == 1, (one.stderr, two.stderr)  # the short report failed
    assert "6 document(s) stored, 1 already present, 1 failed" in two.stderr
    workers = re.search(r"(\d+) worker process\(es\), peak RSS per worker: max \d+ MB", two.stderr)
    assert workers and int(workers.group(1)) >= 2  # a pool of two, then a fresh one for the last batch
    expected, got = _table_rows(tmp_path / "one.duckdb"), _table_rows(tmp_path / "two.duckdb")
    assert len(expected["documents"]) == 6 and expected["events"] and expected["canonical_events"]
    # the upkeep linked documents of different rounds: one canonical event holds the protest of d
    # (second round) and of g or h (third)
    assert _sources_fused_with(tmp_path / "one.duckdb", "d-protest.txt") & {"g-lahore.txt", "h-lahore.txt"}
    for table in expected:
        assert got[table] == expected[table], table


def _sources_fused_with(db: Path, source: str) -> set[str]:
    """The sources of the documents whose mentions share a canonical event with `source`'s."""
    with Store.open(db, read_only=True) as store:
        found = store.connection.execute(
            """SELECT DISTINCT d2.source FROM canonical_members m1 JOIN documents d1 ON d1.id = m1.doc_id
               JOIN canonical_members m2 ON m2.canonical_id = m1.canonical_id JOIN documents d2 ON d2.id = m2.doc_id
               WHERE d1.source LIKE '%' || ? AND d2.id <> d1.id""", [source]).fetchall()
    return {Path(row[0]).name for row in found}


@pytest.mark.slow
def test_dask_local_cluster_survives_a_killed_worker(tmp_path: Path, settings: Settings) -> None:
    pytest.importorskip("distributed")
    from newsledger.parallel import DaskCluster

    folder = _write_reports(tmp_path / "reports")
    documents = [Document(raw=(folder / name).read_text(), meta=Meta(source=name)) for name in sorted(REPORTS)]
    runner = DaskCluster(settings.with_(batch_size=1), "local", 2)
    try:
        pids = runner.client.run(os.getpid)  # the worker processes this test started
        results = process_records(iter(documents), settings.with_(batch_size=1), runner)
        first = next(results)
        os.kill(next(iter(pids.values())), signal.SIGKILL)  # one worker dies with batches in flight
        rest = list(results)
    finally:
        runner.close()
    items = [item for result in [first, *rest] for item in result.items]
    sources = [item["document"]["source"] if isinstance(item, dict) else item.source for item in items]
    assert sources == sorted(REPORTS)  # each document once, in order
    failed = [item for item in items if isinstance(item, Failure)]
    assert [(f.source, f.code) for f in failed] == [("c-short.txt", "E112")]


def test_a_scheduler_that_does_not_answer_is_a_coded_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    import newsledger.parallel

    monkeypatch.setattr(newsledger.parallel, "SCHEDULER_TIMEOUT_SECONDS", 1)
    report = tmp_path / "report.txt"
    report.write_text(REPORTS["b-talks.txt"])
    result = CliRunner().invoke(cli, ["ingest", str(report), "--db", str(tmp_path / "l.duckdb"),
                                      "--scheduler", "tcp://127.0.0.1:9"], prog_name="newsledger")
    assert result.exit_code == 2
    assert result.stderr.startswith("error[E207]") and "127.0.0.1:9" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# -- the default number of workers, by the size of the input ----------------------------------


def test_default_workers_follow_the_size_of_the_input(tmp_path: Path) -> None:
    from newsledger.parallel import workers_for_input

    folder = tmp_path / "reports"
    folder.mkdir()
    for n in range(5):
        (folder / f"report-{n}.txt").write_text("The council met on Tuesday. " * 40)  # 1,120 bytes each
    big = tmp_path / "feed.jsonl"
    big.write_text('{"text": "A line of a large feed."}\n' * 200)  # 7,000 bytes
    assert workers_for_input([str(folder)], cores=4, min_bytes=10_000) == 1       # a handful: this process
    assert workers_for_input([str(folder), str(big)], cores=4, min_bytes=10_000) == 4  # enough: every core
    assert workers_for_input([str(big), str(big)], cores=4, min_bytes=10_000) == 4
    assert workers_for_input([str(folder), str(big)], cores=1, min_bytes=10_000) == 1  # one core: no pool
    # standard input, URLs and missing files count as nothing (their size is not known up front)
    assert workers_for_input(["-", "https://example.org/a", str(tmp_path / "gone.txt")], cores=4,
                             min_bytes=1) == 1
