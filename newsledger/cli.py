"""The `newsledger` command line: thin commands over the library.

Commands: `extract` (print newsledger-doc/1 records), `ingest` (store them in DuckDB),
`events` (a timeline from the store; canonical, merged events as JSON), `split` (keep a
mention out of a merged event), `export` (a table to CSV, Parquet or JSON Lines), `serve`
(the read-only HTTP API and web app) and `brief` (a Markdown or HTML situation report).

Exit status: 0 all good; 1 some documents failed (each printed on stderr as one line);
2 a usage error or a NewsledgerError (`error[CODE]: message`); 3 an internal error, shown as
one line unless `--debug` asks for the traceback.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from .errors import NewsledgerError
from .model import Document, Failure, Meta

EXIT_OK, EXIT_SOME_FAILED, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3

# Input suffixes that usually hold many documents: ingest shows a progress bar for them.
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
            if ctx.params.get("debug"):
                traceback.print_exc(file=sys.stderr)
            click.echo(err.one_line(), err=True)
            ctx.exit(EXIT_ERROR)
        except Exception as err:  # noqa: BLE001 - the one place that catches everything
            if ctx.params.get("debug"):
                traceback.print_exc(file=sys.stderr)
            click.echo(_internal_error_line(err, ctx.invoked_subcommand), err=True)
            ctx.exit(EXIT_INTERNAL)


@dataclass(frozen=True)
class CliState:
    """What the group options give every command."""

    config: str | None
    debug: bool


def _state(ctx: click.Context) -> CliState:
    state = ctx.find_object(CliState)
    return state if state is not None else CliState(config=None, debug=False)


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


def _documents(
    state: CliState, paths: tuple[str, ...], hints: Meta | None, metadata_file: str | None,
    actor_files: tuple[str, ...], verb_files: tuple[str, ...], cameo_map_file: str | None, last_stage: str | None,
) -> Iterator[Document | Failure]:
    """read_inputs -> process: the stream every extracting command consumes."""
    from .ingest import read_inputs
    from .pipeline import process
    from .settings import Settings

    settings = Settings.load(state.config, actor_files=actor_files or None, verb_pattern_files=verb_files or None,
                             cameo_map_file=cameo_map_file, last_stage=last_stage)
    items = read_inputs(list(paths), settings, hints=hints, metadata_file=metadata_file)
    return process(items, settings)


def _failure_line(failure: Failure) -> str:
    stage = f" [{failure.stage}]" if failure.stage else ""
    return _one_line(f"failed[{failure.code}] {failure.source}{stage}: {failure.message}")


# -- commands ------------------------------------------------------------------------------


@click.group(cls=NewsledgerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", type=click.Path(exists=True, dir_okay=False),
              help="A TOML settings file (keys as in newsledger/data/settings.toml).")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.pass_context
def cli(ctx: click.Context, config: str | None, debug: bool) -> None:
    """newsledger: sourced event records from news reports.

    Who did what to whom, when, where, and who said what; every value is tied to the words
    of the text that state it.
    """
    ctx.obj = CliState(config=config, debug=debug)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json",
              show_default=True, help="json: one object (an array for several); jsonl: one per line.")
@click.option("--last-stage", type=click.Choice(["time", "places", "actors", "quotes", "events"]),
              help="Stop after this stage (later layers stay empty); 'time' gives dates only, faster.")
@metadata_options
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], fmt: str, last_stage: str | None,
            published: date | None, outlet: str | None, title: str | None,
            metadata_file: str | None, actor_files: tuple[str, ...], verb_files: tuple[str, ...],
            cameo_map_file: str | None) -> None:
    """Print the newsledger-doc/1 record of each input (file, directory, URL or - for stdin).

    Documents that cannot be processed are reported on stderr, one line each (exit 1).
    """
    items = _documents(_state(ctx), paths, _hints(published, outlet, title), metadata_file, actor_files,
                       verb_files, cameo_map_file, last_stage)
    failed = 0

    def records() -> Iterator[dict[str, Any]]:
        nonlocal failed
        for item in items:
            if isinstance(item, Failure):
                failed += 1
                click.echo(_failure_line(item), err=True)
            else:
                yield item.to_json()

    out = sys.stdout
    if fmt == "jsonl":
        for record in records():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        write_json_stream(records(), out)
    out.flush()
    if failed:
        ctx.exit(EXIT_SOME_FAILED)


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

    def summary(self, db_path: str) -> str:
        return (f"{self.stored} document(s) stored, {self.present} already present, "
                f"{self.failed} failed, {self.events} event(s) -> {db_path}")


def _wants_progress(paths: tuple[str, ...]) -> bool:
    """A progress bar only on a terminal, and only when the inputs hold many documents."""
    if not sys.stderr.isatty():
        return False
    if len(paths) > 1:
        return True
    return any(Path(p).is_dir() or p.lower().endswith(MULTI_DOCUMENT_SUFFIXES) for p in paths)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@metadata_options
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], db_path: str, published: date | None,
           outlet: str | None, title: str | None, metadata_file: str | None,
           actor_files: tuple[str, ...], verb_files: tuple[str, ...], cameo_map_file: str | None) -> None:
    """Process the inputs and store documents, events and failures in the database.

    A document already stored (same body) is skipped. Ends with one summary line on stderr.
    """
    from .store import Store

    tally = IngestTally()
    items = _documents(_state(ctx), paths, _hints(published, outlet, title), metadata_file, actor_files,
                       verb_files, cameo_map_file, "events")  # stored documents are complete, whatever the config says
    with Store.open(db_path) as store:
        if _wants_progress(paths):
            with click.progressbar(items, label="ingesting", show_pos=True, file=sys.stderr) as bar:
                _store_items(store, bar, tally)
        else:
            _store_items(store, items, tally)
    click.echo(tally.summary(db_path), err=True)
    if tally.failed:
        ctx.exit(EXIT_SOME_FAILED)


def _store_items(store: Any, items: Iterable[Document | Failure], tally: IngestTally) -> None:
    """Add each document (or failure) to the store, counting what happened."""
    for item in items:
        if isinstance(item, Failure):
            tally.failed += 1
            store.add_failure(item.to_json())
            click.echo(_failure_line(item), err=True)
            continue
        record = item.to_json()
        if store.add(record):
            tally.stored += 1
            tally.events += len(record.get("events") or [])
        else:
            tally.present += 1


@cli.command()
@db_option
@click.option("--actor", help="A source or target actor whose name contains this text.")
@click.option("--type", "event_type", metavar="TYPE", help="A PLOVER event type, e.g. ASSAULT.")
@click.option("--country", metavar="ISO3", help="A source or target country (ISO alpha-3, e.g. PAK).")
@click.option("--since", type=DatePrefix(), help="Events dated on or after this year/month/day.")
@click.option("--until", type=DatePrefix(), help="Events dated on or before this year/month/day.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="table: a readable timeline; csv or json: every column.")
def events(db_path: str, actor: str | None, event_type: str | None, country: str | None,
           since: str | None, until: str | None, limit: int | None, fmt: str) -> None:
    """List stored events as a timeline (by date, then document).

    table and csv list every event mention; json prints canonical events instead: mentions
    of the same real-world event in different documents merged (`newsledger.fuse`), each
    with its `sources` (document ids), counts, disagreements and `mentions`.
    """
    from .store import Store

    if fmt == "json":
        from .canonical import canonical_page, is_current
        from .fuse import EventFilter, fuse_store, select

        wanted = EventFilter(actor=actor, type=event_type, country=country, since=since, until=until)
        with Store.open(db_path, read_only=True) as store:
            if is_current(store):
                records, _ = canonical_page(store, wanted, limit)
            else:
                records = [e.to_json() for e in select(fuse_store(store), wanted)[:limit]]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    with Store.open(db_path, read_only=True) as store:
        rows = store.events(actor=actor, type=event_type, country=country, since=since,
                            until=until, limit=limit)
    out = sys.stdout
    if fmt == "csv":
        write_events_csv(rows, out)
    elif rows:
        width = shutil.get_terminal_size((120, 24)).columns
        for line in timeline_lines(rows, width):
            out.write(line + "\n")
    else:
        click.echo("no events match", err=True)


def _names(names: list[str | None] | None, ids: list[str] | None) -> str:
    """Participant names joined with '/', falling back to ids, or '-' when there are none."""
    labels = [name or ident for name, ident in zip(names or [], ids or [], strict=False)]
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
@db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "jsonl"]), required=True,
              help="The file format.")
@click.option("--table", default="events", show_default=True,
              type=click.Choice(["events", "documents", "actors", "mentions", "timexes", "places",
                                 "quotes", "errors", "canonical"]),
              help="The table to export; canonical: one row per canonical event, ACLED-like columns.")
@click.option("-o", "--output", "output_path", required=True, type=click.Path(dir_okay=False),
              help="The file to write (replaced if it exists).")
def export_command(db_path: str, fmt: str, table: str, output_path: str) -> None:
    """Write one table of the database to a CSV, Parquet or JSON Lines file."""
    from .export import export
    from .store import Store

    with Store.open(db_path, read_only=True) as store:
        count = export(store, fmt, output_path, table=table)
    click.echo(f"{count} row(s) of {table} -> {output_path}", err=True)


@cli.command("refuse")
@db_option
def refuse_command(db_path: str) -> None:
    """Rebuild the canonical events from the stored event mentions (deterministic).

    Ingest keeps them up to date; run this after changing fusion. Needs the single writer.
    """
    from .canonical import refuse
    from .store import Store

    with Store.open(db_path) as store:
        with click.progressbar(length=1, label="fusing", file=sys.stderr) as bar:
            def progress(components: list[Any]) -> Any:
                bar.length = max(len(components), 1)
                for component in components:
                    yield component
                    bar.update(1)

            store.connection.execute("BEGIN TRANSACTION")
            try:
                count = refuse(store, progress=progress)
            except BaseException:
                store.connection.execute("ROLLBACK")
                raise
            store.connection.execute("COMMIT")
    click.echo(f"{count} canonical event(s)", err=True)


@cli.command("split")
@db_option
@click.argument("event_id", metavar="EVENT")
@click.argument("mentions", nargs=-1, required=True, metavar="DOC_ID:EVENT_ID...")
@click.option("--note", help="Why these mentions report a different event.")
def split_command(db_path: str, event_id: str, mentions: tuple[str, ...], note: str | None) -> None:
    """Take mentions out of a canonical event; fusion keeps them apart from then on.

    EVENT is a canonical id (ev-...) from `events --format json`; each mention is written
    DOC_ID:EVENT_ID as in its `merges`. Needs the single writer (no other process open).
    """
    from .fuse import fuse_store, split_pairs
    from .store import Store

    leaving = []
    for text in mentions:
        doc_id, colon, local_id = text.rpartition(":")
        if not colon or not doc_id or not local_id:
            raise click.BadParameter(f"{text!r} is not DOC_ID:EVENT_ID", param_hint="MENTIONS")
        leaving.append((doc_id, local_id))
    with Store.open(db_path) as store:
        found = [e for e in fuse_store(store) if e.id == event_id]
        if not found:
            raise NewsledgerError("E402", f"no canonical event {event_id}")
        pairs = split_pairs(found[0], leaving)
        added = sum(store.add_split(a, b, note) for a, b in pairs)
    click.echo(f"{len(leaving)} mention(s) split from {event_id} ({added} new keep-apart pair(s))", err=True)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default serves this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
def serve(db_path: str, host: str, port: int) -> None:
    """Serve the read-only HTTP API (/api, OpenAPI docs at /docs) and the web app (/)."""
    from .api import serve as run_server

    run_server(db_path, host=host, port=port)


@cli.command()
@db_option
@click.option("--since", "since", default="7d", show_default=True, metavar="Nd|DATE",
              help="Start of the period: a number of days before --until (7d) or YYYY[-MM[-DD]].")
@click.option("--until", type=DatePrefix(), help="End of the period (default: today).")
@click.option("--actor", help="Only events with a participant whose name contains this text.")
@click.option("--country", metavar="ISO3", help="Only events with a participant of this country.")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True,
              help="Markdown or a self-contained HTML page.")
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False),
              help="The file to write (default: standard output).")
def brief(db_path: str, since: str, until: str | None, actor: str | None, country: str | None,
          fmt: str, output_path: str | None) -> None:
    """Write a situation report of the period: events by day, actor and place, a timeline, sources."""
    from .brief import BriefRequest, write_brief
    from .store import Store

    request = BriefRequest.parse(since=since, until=until, actor=actor, country=country)
    with Store.open(db_path, read_only=True) as store:
        text = write_brief(store, request, fmt)
    if output_path:
        try:
            Path(output_path).write_text(text, encoding="utf-8")
        except OSError as err:
            raise NewsledgerError("E404", f"{output_path}: {err.strerror or err}") from None
        click.echo(f"brief for {request.since} .. {request.until} -> {output_path}", err=True)
    else:
        sys.stdout.write(text)


def main(argv: list[str] | None = None) -> NoReturn:
    """The console-script entry point."""
    cli.main(args=argv, prog_name="newsledger")
    sys.exit(EXIT_OK)  # cli.main exits itself in standalone mode; this is never reached
