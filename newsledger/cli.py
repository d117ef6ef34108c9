"""The `newsledger` command line: thin commands over the library.

Commands: `extract` (print newsledger-doc/1 records), `ingest` (store them in DuckDB),
`events` (a timeline from the store; canonical, merged events as JSON), `split` (keep a
mention out of a merged event), `unsplit` (undo a split), `export` (a table to CSV, Parquet
or JSON Lines), `serve` (the HTTP API and web app: read-only, or with `--allow-edits` splits
made and undone from the page) and `brief` (a Markdown or HTML situation report).

Exit status: 0 all good; 1 some documents failed (each printed on stderr as one line);
2 a usage error or a NewsledgerError (`error[CODE]: message`); 3 an internal error, shown as
one line unless `--debug` asks for the traceback. Global options (--config, --debug, -v/-q,
--progress) are accepted before or after the command name; `--version` prints the version.
"""
from __future__ import annotations

# Imported when a command needs them, not here: every command, a read's answer of tens of
# milliseconds included, pays for what this module imports (python -X importtime -m newsledger.cli).
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from .errors import NewsledgerError
from .model import Document, Failure, Meta

EXIT_OK, EXIT_SOME_FAILED, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3
# ingest stores processed documents in groups of this many, holding the write lock only then,
# and waits this long for a reader (the web app's request) to let go of the file. Each group
# opens the file and checkpoints it on closing: groups of 128 cost a third of the writer's
# storing CPU of groups of 32 (a group of short reports is written in well under a second).
WRITE_GROUP = 128
WRITER_WAIT_SECONDS = 30.0
# ingest fuses the stored mentions into the canonical events once this many documents have been
# stored since the last round (and at its end), counted in input order: the rounds fall on the
# same documents whatever the number of workers or the speed of the machine, so the bounded
# upkeep gives the same canonical events with --workers 1 and N. With workers, a round runs in
# the writer while they parse the next batches; only the last round waits for them to finish.
# Fewer, larger rounds cost less CPU (each fuses again the components its mentions join, and
# reports of one story keep joining the same components); smaller ones leave less to fuse after
# the last batch. On 2,016 short reports the upkeep took 34 s of CPU in rounds of 128, 14 s
# in rounds of 512 (benchmark copies, loaded machine).
FUSE_EVERY_DOCUMENTS = 512
# Reading commands (events, export, brief) wait this long for an ingest's group to be written.
READER_WAIT_SECONDS = 10.0

# Input suffixes that hold many documents: the progress bar then has no total and no ETA.
MULTI_DOCUMENT_SUFFIXES = (".jsonl", ".ndjson", ".warc", ".warc.gz", ".rss", ".atom", ".xml")


# -- option types ----------------------------------------------------------------------------


class IsoDate(click.ParamType):
    """A calendar date written YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date written YYYY-MM-DD", param, ctx)


class DatePrefix(click.ParamType):
    """A year, month or day: YYYY, YYYY-MM or YYYY-MM-DD."""

    name = "YYYY[-MM[-DD]]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from .store import check_date_prefix

        try:
            return check_date_prefix(str(value))
        except NewsledgerError as err:
            self.fail(err.detail or err.message, param, ctx)


# -- error handling --------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _internal_error_line(err: BaseException, command: str | None) -> str:
    """`error: internal error in <command> (<file>:<line> <function>): <type>: <msg> (...)`."""
    import traceback

    where = command or "newsledger"
    frames = traceback.extract_tb(err.__traceback__)
    if frames:
        last = frames[-1]
        where += f" ({Path(last.filename).name}:{last.lineno} {last.name})"
    return _one_line(
        f"error: internal error in {where}: {type(err).__name__}: {err} "
        "(run with --debug for the traceback)"
    )


def _silence_stdout() -> None:
    """After the reader of our output went away (`newsledger events | head`), send what is
    still buffered to /dev/null so the interpreter does not complain while exiting."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return


def _print_traceback(ctx: click.Context) -> None:
    """The traceback of the error being handled, on standard error, when --debug asks for it."""
    if _state(ctx).debug:
        import traceback

        traceback.print_exc(file=sys.stderr)


class NewsledgerGroup(click.Group):
    """A click group that turns every exception into one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(1)  # what Python's documentation advises after a broken pipe
        except NewsledgerError as err:
            _print_traceback(ctx)
            click.echo(err.one_line(), err=True)
            ctx.exit(EXIT_ERROR)
        except Exception as err:  # noqa: BLE001 - the one place that catches everything
            _print_traceback(ctx)
            click.echo(_internal_error_line(err, ctx.invoked_subcommand), err=True)
            ctx.exit(EXIT_INTERNAL)


@dataclass
class CliState:
    """What the global options give every command. They are accepted before the command
    name and after it (`newsledger ingest x.txt --debug`), so each option's callback sets
    its value here rather than on one command."""

    config: str | None = None
    debug: bool = False
    verbosity: int = 0          # -v +1, -q -1: 0 shows progress and summaries, -1 errors only
    progress: bool | None = None  # None: a bar when standard error is a terminal


def _state(ctx: click.Context) -> CliState:
    """The one CliState of this run, kept on the root context (the group's)."""
    return ctx.find_root().ensure_object(CliState)


def _set_global(name: str) -> Any:
    """A callback storing an option's value on the CliState, when the option was given."""
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value is None or (name != "progress" and value in (False, 0)):
            return
        state = _state(ctx)
        if name == "verbose":
            state.verbosity += value
        elif name == "quiet":
            state.verbosity -= 1
        else:
            setattr(state, name, value)
        _configure_logging(state)
    return callback


def _configure_logging(state: CliState) -> None:
    """Log warnings by default, info with -v, debug with -vv or --debug, errors only with -q."""
    import logging

    level = logging.DEBUG if state.debug or state.verbosity > 1 else {
        1: logging.INFO, 0: logging.WARNING}.get(state.verbosity, logging.ERROR)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)


def global_options(command: Any) -> Any:
    """--config, --debug, -v/-q and --progress: on the group and on every command."""
    options = [
        click.option("--config", type=click.Path(exists=True, dir_okay=False), expose_value=False,
                     callback=_set_global("config"), is_eager=True,
                     help="A TOML settings file (keys as in newsledger/data/settings.toml)."),
        click.option("--debug", is_flag=True, expose_value=False, callback=_set_global("debug"), is_eager=True,
                     help="Show tracebacks of errors."),
        click.option("-v", "--verbose", count=True, expose_value=False, callback=_set_global("verbose"),
                     help="More messages (-vv: debug)."),
        click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_global("quiet"),
                     help="Errors only: no progress bar, no summary line."),
        click.option("--progress/--no-progress", default=None, expose_value=False,
                     callback=_set_global("progress"),
                     help="Show a progress bar (default: when standard error is a terminal)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


# -- shared options --------------------------------------------------------------------------


def metadata_options(command: Any) -> Any:
    """The metadata hints shared by `extract` and `ingest`."""
    options = [
        click.option("--published", type=IsoDate(), help="Publication date of the input(s)."),
        click.option("--outlet", metavar="NAME", help="Outlet (newspaper, agency) of the input(s)."),
        click.option("--title", metavar="T", help="Title of the input."),
        click.option("--metadata", "metadata_file", type=click.Path(exists=True, dir_okay=False),
                     help="A file of per-input metadata (see `newsledger.ingest`)."),
        click.option("--actors", "actor_files", multiple=True,
                     type=click.Path(exists=True, dir_okay=False),
                     help="An extra actor dictionary file (repeatable)."),
        click.option("--verbs", "verb_files", multiple=True,
                     type=click.Path(exists=True, dir_okay=False),
                     help="A PETRARCH/TABARI verb pattern dictionary (repeatable): it alone decides "
                          "which verbs are events."),
        click.option("--cameo-map", "cameo_map_file", type=click.Path(exists=True, dir_okay=False),
                     help="A CAMEO -> PLOVER table (CAMEO2PLOVER format) for the --verbs codes."),
        click.option("--allow-private-urls", is_flag=True, default=None,
                     help="Fetch URLs on private, loopback or link-local addresses (refused by default)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def db_option(command: Any) -> Any:
    return click.option(
        "--db", "db_path", default="newsledger.duckdb", show_default=True,
        type=click.Path(dir_okay=False), help="The DuckDB database file.",
    )(command)


def _hints(published: date | None, outlet: str | None, title: str | None) -> Meta | None:
    """Metadata hints from the options, or None when none was given."""
    if published is None and outlet is None and title is None:
        return None
    return Meta(published=published, outlet=outlet, title=title)


def _settings(state: CliState, actor_files: tuple[str, ...], verb_files: tuple[str, ...],
              cameo_map_file: str | None, last_stage: str | None, allow_private_urls: bool | None) -> Any:
    from .settings import Settings

    return Settings.load(state.config, actor_files=actor_files or None, verb_pattern_files=verb_files or None,
                         cameo_map_file=cameo_map_file, last_stage=last_stage,
                         allow_private_urls=allow_private_urls or None)


def _documents(
    state: CliState, paths: tuple[str, ...], hints: Meta | None, metadata_file: str | None,
    actor_files: tuple[str, ...], verb_files: tuple[str, ...], cameo_map_file: str | None, last_stage: str | None,
    allow_private_urls: bool | None = None,
) -> Iterator[Document | Failure]:
    """read_inputs -> process: the stream every extracting command consumes."""
    from .ingest import read_inputs
    from .pipeline import process

    settings = _settings(state, actor_files, verb_files, cameo_map_file, last_stage, allow_private_urls)
    items = read_inputs(list(paths), settings, hints=hints, metadata_file=metadata_file)
    return _progress(process(items, settings), state, paths)


def _progress(items: Iterator[Any], state: CliState, paths: tuple[str, ...]) -> Iterator[Any]:
    """`items` behind a tqdm progress bar on standard error (documents/s and, when every input
    is one document, ETA), if --progress asks for one or, by default, on a terminal."""
    wanted = state.progress if state.progress is not None else (sys.stderr.isatty() and state.verbosity >= 0)
    if not wanted:
        yield from items
        return
    from tqdm import tqdm

    from .ingest import expand_paths

    inputs = list(expand_paths(paths))
    single = not any(p.lower().endswith(MULTI_DOCUMENT_SUFFIXES) or "://" in p or p == "-" for p in inputs)
    with tqdm(items, total=len(inputs) if single else None, unit="doc", file=sys.stderr,
              dynamic_ncols=True, mininterval=0.5) as bar:
        yield from bar


def _failure_line(failure: Failure) -> str:
    stage = f" [{failure.stage}]" if failure.stage else ""
    return _one_line(f"failed[{failure.code}] {failure.source}{stage}: {failure.message}")


# -- commands ------------------------------------------------------------------------------


@click.group(cls=NewsledgerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsledger", prog_name="newsledger")
@global_options
def cli() -> None:
    """newsledger: sourced event records from news reports.

    Who did what to whom, when, where, and who said what; every value is tied to the words
    of the text that state it. Global options (--config, --debug, -v, -q, --progress) go
    before or after the command name.
    """


@cli.command()
@global_options
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json",
              show_default=True, help="json: one object (an array for several); jsonl: one per line.")
@click.option("--last-stage", type=click.Choice(["time", "places", "actors", "quotes", "events"]),
              help="Stop after this stage (later layers stay empty); 'time' gives dates only, faster.")
@click.option("--server", metavar="http://127.0.0.1:PORT",
              help="Have a running `newsledger serve --allow-extract` on this machine process the inputs "
                   "(its pipeline stays loaded: no start-up of seconds); the records are those of the "
                   "server's settings. Loopback addresses only.")
@metadata_options
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], fmt: str, last_stage: str | None, server: str | None,
            published: date | None, outlet: str | None, title: str | None,
            metadata_file: str | None, actor_files: tuple[str, ...], verb_files: tuple[str, ...],
            cameo_map_file: str | None, allow_private_urls: bool | None) -> None:
    """Print the newsledger-doc/1 record of each input (file, directory, URL or - for stdin).

    Documents that cannot be processed are reported on stderr, one line each (exit 1).
    """
    state = _state(ctx)
    hints = _hints(published, outlet, title)
    if server is None:
        items: Iterable[Any] = _documents(state, paths, hints, metadata_file, actor_files,
                                          verb_files, cameo_map_file, last_stage, allow_private_urls)
    else:
        items = _processed_remotely(state, server, paths, hints, metadata_file, last_stage, allow_private_urls,
                                    pipeline_options=bool(actor_files or verb_files or cameo_map_file))
    failed = 0

    def records() -> Iterator[dict[str, Any]]:
        nonlocal failed
        for item in items:
            if isinstance(item, dict):   # a record made by the extract server
                yield item
                continue
            if isinstance(item, Document):
                try:
                    record = item.to_json()
                except Exception as err:  # noqa: BLE001 - this document's failure, not the run's
                    item = Failure(item.meta.source, "E301", f"output: {type(err).__name__}: {_one_line(str(err))[:200]}",
                                   "output")
                else:
                    yield record
                    continue
            failed += 1
            click.echo(_failure_line(item), err=True)

    out = sys.stdout
    if fmt == "jsonl":
        for record in records():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        write_json_stream(records(), out)
    out.flush()
    if failed:
        ctx.exit(EXIT_SOME_FAILED)


def _processed_remotely(state: CliState, server: str, paths: tuple[str, ...], hints: Any, metadata_file: str | None,
                        last_stage: str | None, allow_private_urls: bool | None, pipeline_options: bool,
                        ) -> Iterator[Any]:
    """The inputs read here and processed by the extract server (`newsledger.remote`)."""
    from .ingest import read_inputs
    from .remote import extract_remotely, server_url

    if pipeline_options:
        raise click.UsageError("--actors, --verbs and --cameo-map change the pipeline: with --server the "
                               "server's settings apply (give them in the --config of `serve`)")
    server_url(server)   # a refused address fails before any input is read
    settings = _settings(state, (), (), None, None, allow_private_urls)
    items = read_inputs(list(paths), settings, hints=hints, metadata_file=metadata_file)
    return _progress(extract_remotely(server, items, last_stage), state, paths)


def write_json_stream(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Write one indented object for a single record, an array for none or several.

    Streams: only the first record is held back until the second shows it is an array.
    Returns the number of records written.
    """
    def dumps(record: dict[str, Any]) -> str:
        return json.dumps(record, ensure_ascii=False, indent=2)

    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        out.write("[]\n")
        return 0
    second = next(iterator, None)
    if second is None:
        out.write(dumps(first) + "\n")
        return 1
    count = 0
    for count, record in enumerate([first, second], start=1):
        out.write(("[\n" if count == 1 else ",\n") + dumps(record))
    for record in iterator:
        count += 1
        out.write(",\n" + dumps(record))
    out.write("\n]\n")
    return count


@dataclass
class IngestTally:
    """Running totals of one ingest, for its closing summary line."""

    stored: int = 0
    present: int = 0
    failed: int = 0
    events: int = 0
    store_seconds: float = 0.0  # writing the records and fusing them, lock included
    fuse_seconds: float = 0.0   # of which fusing the canonical events
    last_result_at: float = 0.0  # when the writer took the last batch result (time.perf_counter)

    def summary(self, db_path: str) -> str:
        return (f"{self.stored} document(s) stored, {self.present} already present, "
                f"{self.failed} failed, {self.events} event(s) -> {db_path}")


@cli.command()
@global_options
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@metadata_options
@click.option("--workers", type=click.IntRange(min=1),
              help="Processes running the pipeline [default: one per core when the input files hold 1 MB "
                   "or more, else 1, this process; with --scheduler, the number of cores]. With --scheduler "
                   "local: the LocalCluster's workers.")
@click.option("--scheduler", metavar="tcp://HOST:8786|local",
              help="Run the pipeline on the workers of a Dask distributed cluster (local: a LocalCluster on "
                   "this machine); this process stays the one writer.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], db_path: str, published: date | None,
           outlet: str | None, title: str | None, metadata_file: str | None,
           actor_files: tuple[str, ...], verb_files: tuple[str, ...], cameo_map_file: str | None,
           allow_private_urls: bool | None, workers: int | None, scheduler: str | None) -> None:
    """Process the inputs and store documents, events and failures in the database.

    A document already stored (same body) is skipped. Ends with one summary line on stderr
    (-v adds the workers' peak memory and the time spent storing). The database is opened for
    writing only while a group of processed documents is stored, so `serve` (and `events`,
    `export`...) can read it between groups. Whatever the number of workers, documents are
    stored in input order and the database is the same.
    """
    import time

    from .ingest import read_inputs
    from .parallel import (
        RESULTS_AHEAD_PER_WORKER,
        MemoryReport,
        default_workers,
        open_runner,
        prefetched,
        process_records,
        workers_for_input,
    )

    state = _state(ctx)
    started, started_cpu = time.perf_counter(), time.process_time()
    tally = IngestTally()
    # stored documents are complete, whatever the config says
    settings = _settings(state, actor_files, verb_files, cameo_map_file, "events", allow_private_urls)
    items = read_inputs(list(paths), settings, hints=_hints(published, outlet, title), metadata_file=metadata_file)
    if workers is None:  # a pool's start-up costs more than it saves on a handful of documents
        workers = default_workers() if scheduler else workers_for_input(paths)
    in_process = workers == 1 and not scheduler
    if in_process:
        _check_writable(db_path)  # up front, before the model is loaded here
    memory = MemoryReport()
    runner = open_runner(settings, workers, scheduler)
    results = process_records(items, settings, runner)
    try:
        if not in_process:  # workers start and compute while this process stores
            results = prefetched(results, RESULTS_AHEAD_PER_WORKER * runner.workers)
            _check_writable(db_path)  # DuckDB is imported here while the workers load the pipeline
        from .store import Store

        stream = _progress(_records(results, memory, tally), state, paths)
        unfused = 0   # documents stored since the last canonical upkeep
        while True:
            group = list(islice(stream, WRITE_GROUP))  # the lock is held while writing, not while parsing
            store_start = time.perf_counter()
            with Store.open(db_path, wait=WRITER_WAIT_SECONDS) as store:
                if group:
                    unfused += _store_items(store, group, tally)
                # upkeep every FUSE_EVERY_DOCUMENTS stored documents and at the end (also of what an
                # earlier ingest failed to fuse): the bounded upkeep depends on its rounds on large
                # blocks, so rounds timed by the clock or by the writer's waits differ from --workers 1
                if not group or unfused >= FUSE_EVERY_DOCUMENTS:
                    fuse_start = time.perf_counter()
                    _fuse_group(store)
                    unfused = 0
                    tally.fuse_seconds += time.perf_counter() - fuse_start
            tally.store_seconds += time.perf_counter() - store_start
            if not group:
                break
    finally:
        results.close()  # stops the prefetching thread before the workers go
        runner.close()
        memory.scheduler = getattr(runner, "scheduler_cpu", None)  # a Dask runner's, for -v
    if state.verbosity >= 0:
        click.echo(tally.summary(db_path), err=True)
    if state.verbosity > 0:
        ended = time.perf_counter()
        total = ended - started
        documents = max(1, tally.stored + tally.present + tally.failed)
        cpu = time.process_time() - started_cpu
        workers_cpu = "" if in_process else f" (the workers {1000 * memory.cpu_seconds / documents:.0f} ms)"
        click.echo(f"{memory.summary()}; storing took {tally.store_seconds:.1f} s of {total:.1f} s "
                   f"({100 * tally.store_seconds / max(total, 1e-9):.0f}%), of which fusing the canonical "
                   f"events {tally.fuse_seconds:.1f} s, and {ended - (tally.last_result_at or started):.1f} s "
                   f"after the last batch result; this process ({'pipeline and writer' if in_process else 'the writer'}) "
                   f"used {cpu:.1f} s of CPU, {1000 * cpu / documents:.0f} ms per document{workers_cpu}", err=True)
    if tally.failed:
        ctx.exit(EXIT_SOME_FAILED)


def _check_writable(db_path: str) -> None:
    """Refuse (E401) a database file that cannot be opened for writing."""
    from .store import Store

    with Store.open(db_path, wait=WRITER_WAIT_SECONDS):
        pass


def _records(results: Iterable[Any], memory: Any, tally: IngestTally) -> Iterator[dict[str, Any] | Failure]:
    """The records and failures of each batch result, noting the workers' memory and when the
    last result came."""
    import time

    for result in results:
        tally.last_result_at = time.perf_counter()
        memory.add(result.memory)
        yield from result.items


def _fuse_group(store: Any) -> None:
    """Fuse the stored documents not fused yet (those of the groups stored since the last
    round) into the canonical events, all together. Should that fail, the documents stay
    stored, reads count them as unfused, and the next round (or `newsledger refuse`) fuses
    them; the error is printed on one line."""
    try:
        store.fuse_pending()
    except Exception as err:  # noqa: BLE001 - the stored documents are kept
        click.echo(_one_line(f"failed[E301] canonical events not updated ({type(err).__name__}: {err}); "
                             "they are fused again with the next group or by `newsledger refuse`")[:300], err=True)


def _store_items(store: Any, items: Iterable[dict[str, Any] | Failure], tally: IngestTally) -> int:
    """Add the group's records in one bulk write and record its failures, counting what
    happened; the number of documents newly stored. Should the bulk write fail, the records are
    added one by one: a record the store cannot take becomes that document's failure (E301,
    stage store); the others go on."""
    items = list(items)
    records = [item for item in items if not isinstance(item, Failure)]
    try:
        added: list[bool | Failure] = list(store.add_many(records, fuse=False))
    except Exception:  # noqa: BLE001 - find the record at fault below
        added = [_add_one(store, record) for record in records]
    outcome = iter(added)
    stored = 0
    for item in items:
        result = item if isinstance(item, Failure) else next(outcome)
        if isinstance(result, Failure):
            tally.failed += 1
            store.add_failure(result.to_json())
            click.echo(_failure_line(result), err=True)
        elif result:
            tally.stored += 1
            stored += 1
            tally.events += len(item.get("events") or [])  # type: ignore[union-attr]
        else:
            tally.present += 1
    return stored


@contextmanager
def _reading(db_path: str) -> Iterator[Any]:
    """The database opened read-only for one command's reads, stopped with E406 after the
    `read_timeout` setting."""
    from .settings import Settings
    from .store import Store

    timeout = Settings.load(_state(click.get_current_context()).config).read_timeout
    with Store.open(db_path, read_only=True, wait=READER_WAIT_SECONDS) as store, store.time_limit(timeout):
        yield store


def _warn_unfused(count: int) -> None:
    """Say on standard error that some stored mentions are not in canonical events yet."""
    if count and _state(click.get_current_context()).verbosity >= 0:
        click.echo(f"warning: {count} stored event mention(s) are not in canonical events yet "
                   "(their fusion failed on ingest); `newsledger refuse` fuses them", err=True)


def _add_one(store: Any, record: dict[str, Any]) -> bool | Failure:
    """Add one record; what went wrong becomes its failure (E301, stage store)."""
    try:
        return bool(store.add(record, fuse=False))
    except Exception as err:  # noqa: BLE001 - this document's failure, not the group's
        source = str((record.get("document") or {}).get("source") or record.get("id"))
        return Failure(source, "E301", f"store: {type(err).__name__}: {_one_line(str(err))[:200]}", "store")


@cli.command()
@global_options
@db_option
@click.option("--actor", help="A source or target actor whose name contains this text.")
@click.option("--type", "event_type", metavar="TYPE", help="A PLOVER event type, e.g. ASSAULT.")
@click.option("--country", metavar="ISO", help="A source or target country (ISO alpha-3 or alpha-2: PAK or PK).")
@click.option("--since", type=DatePrefix(), help="Events dated on or after this year/month/day.")
@click.option("--until", type=DatePrefix(), help="Events dated on or before this year/month/day.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="table: a readable timeline; csv or json: every column.")
@click.option("--mentions", is_flag=True,
              help="List each document's event mentions instead of canonical events.")
def events(db_path: str, actor: str | None, event_type: str | None, country: str | None,
           since: str | None, until: str | None, limit: int | None, fmt: str, mentions: bool) -> None:
    """List stored events as a timeline (by date, then document).

    Every format lists canonical events: mentions of the same real-world event in different
    documents merged (`newsledger.fuse`), each with its sources (document ids), counts and
    disagreements (json adds its `mentions`). With --mentions every format lists the event
    mentions of each document instead, one row each.
    """
    with _reading(db_path) as store:
        if mentions:
            rows = store.events(actor=actor, type=event_type, country=country, since=since,
                                until=until, limit=limit)
        else:
            from .canonical import record_texts, unfused
            from .fuse import EventFilter

            wanted = EventFilter(actor=actor, type=event_type, country=country, since=since, until=until)
            _warn_unfused(unfused(store))
            if fmt == "json":   # the stored records as they are, streamed: nothing decoded
                write_json_array(record_texts(store, wanted, limit), sys.stdout)
                return
            rows = [canonical_row(json.loads(text)) for text in record_texts(store, wanted, limit, mentions=False)]
    out = sys.stdout
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "csv":
        write_events_csv(rows, out)
    elif rows:
        import shutil

        width = shutil.get_terminal_size((120, 24)).columns
        for line in timeline_lines(rows, width):
            out.write(line + "\n")
    else:
        click.echo("no events match", err=True)


def write_json_array(texts: Iterable[str], out: IO[str]) -> None:
    """A JSON array of these JSON texts, one element per line, written as they come."""
    out.write("[")
    for number, text in enumerate(texts):
        out.write(",\n" if number else "\n")
        out.write(text)
    out.write("\n]\n")


def canonical_row(record: dict[str, Any]) -> dict[str, Any]:
    """A canonical event as a flat row for the timeline and CSV: nested values as JSON text,
    its participants by name (a canonical event has no per-document actor ids)."""
    row = {key: (json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, dict)
                 or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)) else value)
           for key, value in record.items()}
    return row


def _names(names: list[str | None] | None, ids: list[str] | None) -> str:
    """Participant names joined with '/', falling back to ids, or '-' when there are none."""
    labels = [name or ident for name, ident in zip(names or [], ids or names or [], strict=False)]
    labels = [label for label in labels if label]
    return "/".join(labels) if labels else "-"


def _clip(text: str, width: int) -> str:
    text = _one_line(text)
    if width < 2:
        return ""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def timeline_lines(rows: list[dict[str, Any]], width: int = 120) -> list[str]:
    """A header and one aligned line per event: date, type, source -> target, place, evidence.

    Each column is as wide as its longest value (capped), the evidence takes what is left of
    `width` and is clipped with an ellipsis.
    """
    cells = [
        (
            row.get("date_value") or "?",
            row.get("type") or "?",
            f"{_names(row.get('source_names'), row.get('source_ids'))} → "
            f"{_names(row.get('target_names'), row.get('target_ids'))}",
            ", ".join(part for part in (row.get("place_name"), row.get("place_country")) if part) or "-",
            row.get("evidence_text") or "",
        )
        for row in rows
    ]
    header = ("DATE", "TYPE", "SOURCE → TARGET", "PLACE", "EVIDENCE")
    caps = (12, 10, 48, 28)
    widths = [min(cap, max(len(header[i]), *(len(c[i]) for c in cells))) for i, cap in enumerate(caps)]
    evidence_width = max(20, width - sum(widths) - 2 * len(widths))

    def line(values: tuple[str, ...]) -> str:
        fixed = "  ".join(_clip(v, w).ljust(w) for v, w in zip(values[:-1], widths, strict=True))
        return (fixed + "  " + _clip(values[-1], evidence_width)).rstrip()

    return [line(header)] + [line(c) for c in cells]


def write_events_csv(rows: list[dict[str, Any]], out: IO[str]) -> None:
    """Every column of the event rows as CSV; list values joined with ';'."""
    import csv

    if not rows:
        return
    writer = csv.writer(out, lineterminator="\n")
    columns = list(rows[0])
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row[c]) for c in columns])


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join("" if v is None else str(v) for v in value)
    return "" if value is None else value


@cli.command("export")
@global_options
@db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "jsonl"]), required=True,
              help="The file format.")
@click.option("--table", default="events", show_default=True,
              type=click.Choice(["events", "documents", "actors", "mentions", "timexes", "places",
                                 "quotes", "errors", "canonical"]),
              help="The table to export; canonical: one row per canonical event, ACLED-like columns.")
@click.option("-o", "--output", "output_path", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="The file to write (replaced if it exists); - for standard output.")
def export_command(db_path: str, fmt: str, table: str, output_path: str) -> None:
    """Write one table of the database to a CSV, Parquet or JSON Lines file."""
    from .export import export
    from .store import Store

    with Store.open(db_path, read_only=True, wait=READER_WAIT_SECONDS) as store:
        count = export(store, fmt, output_path, table=table)
    if _state(click.get_current_context()).verbosity >= 0:
        click.echo(f"{count} row(s) of {table} -> {'standard output' if output_path == '-' else output_path}",
                   err=True)


@cli.command("refuse")
@global_options
@db_option
def refuse_command(db_path: str) -> None:
    """Rebuild the canonical events from the stored event mentions (deterministic).

    Ingest keeps them up to date; run this after changing fusion. Needs the single writer.
    """
    from .store import Store

    state = _state(click.get_current_context())
    wanted = state.progress if state.progress is not None else (sys.stderr.isatty() and state.verbosity >= 0)
    with Store.open(db_path, wait=WRITER_WAIT_SECONDS) as store:
        if wanted:
            with click.progressbar(length=1, label="fusing", file=sys.stderr) as bar:
                def progress(components: list[Any]) -> Any:
                    bar.length = max(len(components), 1)
                    for component in components:
                        yield component
                        bar.update(1)

                count = store.refuse(progress)
        else:
            count = store.refuse()
    if state.verbosity >= 0:
        click.echo(f"{count} canonical event(s)", err=True)


@cli.command("split")
@global_options
@db_option
@click.argument("event_id", metavar="EVENT")
@click.argument("mentions", nargs=-1, required=True, metavar="DOC_ID:EVENT_ID...")
@click.option("--note", help="Why these mentions report a different event.")
def split_command(db_path: str, event_id: str, mentions: tuple[str, ...], note: str | None) -> None:
    """Take mentions out of a canonical event; fusion keeps them apart from then on.

    EVENT is a canonical id (ev-...) from `events --format json`; each mention is written
    DOC_ID:EVENT_ID as in its `merges`; DOC_ID may be shortened to any prefix that names one
    document of the event. `unsplit` undoes it. Needs the single writer (no other process open).
    """
    from .edits import parse_mention, split_event
    from .store import Store

    for text in mentions:
        try:
            parse_mention(text)
        except NewsledgerError:
            raise click.BadParameter(f"{text!r} is not DOC_ID:EVENT_ID", param_hint="MENTIONS") from None
    with Store.open(db_path, wait=WRITER_WAIT_SECONDS) as store:
        done = split_event(store, event_id, mentions, note)
    click.echo(f"{len(mentions)} mention(s) split from {event_id} ({done.kept_apart} new keep-apart pair(s)); "
               f"now in {', '.join(done.leaving)}", err=True)


@cli.command("unsplit")
@global_options
@db_option
@click.argument("event_id", metavar="EVENT")
@click.argument("other_id", metavar="OTHER_EVENT")
def unsplit_command(db_path: str, event_id: str, other_id: str) -> None:
    """Undo a split: forget the analysts' keep-apart pairs between two canonical events.

    Their mentions are fused again, so they merge back when fusion finds them the same event
    (as before the split). EVENT and OTHER_EVENT are canonical ids (ev-...), e.g. an event and
    the one its split mentions went to (`split` prints it). Needs the single writer.
    """
    from .edits import unsplit_events
    from .store import Store

    with Store.open(db_path, wait=WRITER_WAIT_SECONDS) as store:
        done = unsplit_events(store, event_id, other_id)
    click.echo(f"{done.removed} keep-apart pair(s) removed; the mentions are now in {', '.join(done.events)}",
               err=True)


@cli.command()
@global_options
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default serves this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Another Host header to answer, e.g. this machine's address on the network (repeatable); "
                   "loopback names and --host are always answered.")
@click.option("--allow-edits", is_flag=True,
              help="Let the web app's page split events and undo splits (POST /api/edit/...: same-origin "
                   "JSON requests carrying the page's per-server token); without it the API is read-only.")
@click.option("--allow-extract", is_flag=True,
              help="Load the pipeline once and process `newsledger extract --server` requests from this "
                   "machine (POST /api/extract, loopback clients only), with this command's --config.")
def serve(db_path: str, host: str, port: int, allowed_hosts: tuple[str, ...], allow_edits: bool,
          allow_extract: bool) -> None:
    """Serve the HTTP API (/api, OpenAPI docs at /docs) and the web app (/); read-only unless --allow-edits."""
    from .api import serve as run_server
    from .settings import Settings

    settings = Settings.load(_state(click.get_current_context()).config)
    run_server(db_path, host=host, port=port, announce=lambda line: click.echo(line, err=True),
               allowed_hosts=allowed_hosts, allow_edits=allow_edits, read_timeout=settings.read_timeout,
               extract_settings=settings if allow_extract else None)


@cli.command()
@global_options
@db_option
@click.option("--since", "since", default="7d", show_default=True, metavar="Nd|DATE",
              help="Start of the period: a number of days before --until (7d) or YYYY[-MM[-DD]].")
@click.option("--until", type=DatePrefix(), help="End of the period (default: today).")
@click.option("--actor", help="Only events with a participant whose name contains this text.")
@click.option("--country", metavar="ISO", help="Only events with a participant of this country (PAK or PK).")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True,
              help="Markdown or a self-contained HTML page.")
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="The file to write (default or -: standard output).")
def brief(db_path: str, since: str, until: str | None, actor: str | None, country: str | None,
          fmt: str, output_path: str | None) -> None:
    """Write a situation report of the period: events by day, actor and place, a timeline, sources."""
    from .brief import BriefRequest, write_brief

    request = BriefRequest.parse(since=since, until=until, actor=actor, country=country)
    with _reading(db_path) as store:
        text = write_brief(store, request, fmt)
    if output_path and output_path != "-":
        try:
            Path(output_path).write_text(text, encoding="utf-8")  # opened in place: a device stays a device
        except OSError as err:
            raise NewsledgerError("E404", f"{output_path}: {err.strerror or err}") from None
        click.echo(f"brief for {request.since} .. {request.until} -> {output_path}", err=True)
    else:
        sys.stdout.write(text)


def main(argv: list[str] | None = None) -> NoReturn:
    """The console-script entry point."""
    cli.main(args=argv, prog_name="newsledger")
    sys.exit(EXIT_OK)  # cli.main exits itself in standalone mode; this is never reached


if __name__ == "__main__":   # python -m newsledger.cli (python -X importtime -m newsledger.cli ...)
    main()
