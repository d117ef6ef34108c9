"""Exports of a store table to CSV, Parquet or JSON Lines, written by DuckDB itself.

DuckDB's `COPY (SELECT ...) TO ? (FORMAT ...)` writes all three formats, so Parquet needs no
pyarrow. List columns (event context, source and target ids/names/countries) stay lists in
Parquet and JSON Lines and become `[a, b]` text in CSV.

Where it goes: a regular file (or a new one) is written next to the target under a temporary
name and moved into place, so a failed export never leaves half a file. `-` is standard output
and a special file (/dev/stdout, a pipe, a terminal) is written in place, never replaced:
DuckDB writes a temporary file that is then copied into the stream.
"""
from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
import uuid
from pathlib import Path
from typing import BinaryIO

import duckdb

from .errors import NewsledgerError
from .store import TABLE_ORDER, TABLES, Store

FORMATS: tuple[str, ...] = ("csv", "parquet", "jsonl")
STDOUT = "-"

# DuckDB COPY options for each export format (fixed text, never user input).
_COPY_OPTIONS: dict[str, str] = {
    "csv": "FORMAT CSV, HEADER TRUE",
    "parquet": "FORMAT PARQUET",
    "jsonl": "FORMAT JSON",
}


# `--table canonical`: one row per canonical event (`newsledger.canonical`), ACLED-like columns.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "id", "event_date", "time_precision", "type", "mode", "modality",
    "actor1", "actor1_country", "actor1_sector", "actor2", "actor2_country", "actor2_sector",
    "country", "admin1", "admin2", "location", "geonameid", "latitude", "longitude", "geo_precision",
    "killed", "injured", "num_sources", "num_articles", "num_mentions", "source_doc_ids", "source_urls",
    "evidence", "notes",
)
CANONICAL = "canonical"


def export(store: Store, fmt: str, output_path: str | Path, table: str = "events") -> int:
    """Write every row of `table` to `output_path` in format `fmt`; return the row count.

    Rows come in the table's natural order (events by date, then document); `canonical`
    writes the canonical events in timeline order with `CANONICAL_COLUMNS`. An unknown
    format or table, or a file that cannot be written, raises E402 with the reason.
    """
    if fmt not in FORMATS:
        raise NewsledgerError("E402", f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if table not in (*TABLES, CANONICAL):
        raise NewsledgerError("E402", f"unknown table {table!r}: choose one of {', '.join((*TABLES, CANONICAL))}")
    if table == CANONICAL:
        from .canonical import TIMELINE_ORDER

        query = f"SELECT {', '.join(CANONICAL_COLUMNS)} FROM canonical_events ORDER BY {TIMELINE_ORDER}"
        table = "canonical_events"
    else:
        query = f"SELECT * FROM {table} ORDER BY {TABLE_ORDER[table]}"
    if str(output_path) == STDOUT:
        _copy_to_stream(store, query, fmt, sys.stdout.buffer)
    elif _is_special_file(Path(output_path)):
        try:
            with open(output_path, "ab") as stream:  # append: never truncates or replaces the node
                _copy_to_stream(store, query, fmt, stream)
        except OSError as err:
            raise NewsledgerError("E404", f"{output_path}: {err.strerror or err}") from None
    else:
        _replace_regular_file(store, query, fmt, Path(output_path))
    row = store.connection.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _is_special_file(path: Path) -> bool:
    """True for an existing file that is not a regular file: a device, pipe or socket."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _copy_to_stream(store: Store, query: str, fmt: str, stream: BinaryIO) -> None:
    """DuckDB writes the rows to a temporary file, which is copied into `stream`."""
    with tempfile.TemporaryDirectory(prefix="newsledger-export-") as scratch:
        temp_name = os.path.join(scratch, f"export.{fmt}")
        try:
            store.connection.execute(f"COPY ({query}) TO ? ({_COPY_OPTIONS[fmt]})", [temp_name])
        except duckdb.Error as err:
            raise NewsledgerError("E402", f"cannot export: {str(err).strip().splitlines()[0]}") from None
        with open(temp_name, "rb") as written:
            shutil.copyfileobj(written, stream)
        stream.flush()


def _replace_regular_file(store: Store, query: str, fmt: str, target: Path) -> None:
    """Write a temporary file beside `target` and move it into place."""
    if target.is_dir():
        raise NewsledgerError("E402", f"{target} is a directory: give a file name with -o")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise NewsledgerError("E402", f"{directory} does not exist: create it or choose another -o")
    temp_name = str(directory / f".{target.name}.{uuid.uuid4().hex}.part")
    try:
        store.connection.execute(f"COPY ({query}) TO ? ({_COPY_OPTIONS[fmt]})", [temp_name])
        os.replace(temp_name, target)
    except (duckdb.Error, OSError) as err:
        raise NewsledgerError("E402", f"cannot write {target}: {str(err).strip().splitlines()[0]}") from None
    finally:
        if os.path.exists(temp_name):
            os.remove(temp_name)
