"""Readers: turn files, directories, URLs, feeds, WARC archives and stdin into Documents.

`read_inputs` is the one entry point. It streams a `Document` (raw text + `Meta`) for every
article it finds and a `Failure` (stage "ingest", coded, one-line message naming the source)
for every bad input, JSONL line, feed entry or WARC record; it never raises for a bad input.

How an input is read, first rule that applies:

1. `-` is standard input, read as plain text.
2. `http://` and `https://` are fetched (`url`): a page, or a feed's entries.
3. A directory stands for its files, sorted by name; hidden files, subdirectories and
   tables (.tsv, .csv: metadata, not articles) are left out.
4. The extension: .txt/.text → text; .html/.htm/.xhtml → HTML; .jsonl/.ndjson → JSON Lines;
   .xml/.rss/.atom → feed; .warc/.warc.gz → WARC.
5. Otherwise (no or another extension) the first bytes, looked at inside a gzip layer: a
   WARC header → WARC; an RSS/Atom/RDF root → feed; an HTML tag → HTML; a JSON object →
   JSON Lines; else text. Gzipped text, HTML, feed and JSONL files are read decompressed.

Plain-text documents take their metadata from `hints` (CLI options) and then from the row
of `metadata_file` naming them (see `metadata`); other readers find it in the input itself.
"""
from __future__ import annotations

import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..errors import NewsledgerError
from ..model import Document, Failure, Meta
from ..settings import Settings
from .failures import failure, failure_from
from .feed import looks_like_feed, read_feed_bytes
from .html import html_document
from .jsonl import read_jsonl
from .metadata import MetadataTable, load_metadata
from .text import STDIN_SOURCE, read_file_bytes, read_text_file, read_text_stream

if TYPE_CHECKING:
    import httpx

    from .url import Resolver

__all__ = ["read_inputs", "detect_kind", "expand_paths", "fetch_url", "load_metadata"]

STDIN_PATH = "-"
URL_SCHEMES = ("http://", "https://")
KIND_BY_SUFFIX = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".warc": "warc",
}
TABLE_SUFFIXES = (".tsv", ".csv")
SNIFF_BYTES = 2048
GZIP_MAGIC = b"\x1f\x8b"
GZIP_WBITS = 16 + zlib.MAX_WBITS
# What each kind of input fails with when its reader meets something it cannot handle.
UNREADABLE_CODE = {"text": "E108", "html": "E105", "jsonl": "E107", "feed": "E110", "warc": "E111"}


def kind_from_name(path: Path) -> str | None:
    """The input kind an extension names, or None when the extension says nothing."""
    name = path.name.lower()
    if name.endswith((".warc.gz", ".warc")):
        return "warc"
    return KIND_BY_SUFFIX.get(path.suffix.lower())


def _gunzipped_head(head: bytes) -> bytes:
    """The first decompressed bytes of gzip data (a truncated stream is fine)."""
    try:
        return zlib.decompressobj(GZIP_WBITS).decompress(head, SNIFF_BYTES)
    except zlib.error:
        return b""


def sniff_kind(head: bytes) -> str:
    """The input kind the first bytes of a file show; plain text when nothing else fits.

    Gzip data is judged by what it holds: a gzipped WARC, page, feed or JSONL file.
    """
    if head.startswith(GZIP_MAGIC):
        inner = _gunzipped_head(head)
        return "warc" if not inner or inner.lower().startswith(b"warc/") else sniff_kind(inner)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"warc/"):
        return "warc"
    if start.startswith(b"<") and looks_like_feed(start):
        return "feed"
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        start.startswith(b"<") and b"<html" in start
    ):
        return "html"
    if start.startswith(b"{"):
        return "jsonl"
    return "text"


def detect_kind(path: Path) -> str:
    """The kind of a local file: by extension, else by its first bytes (may raise OSError)."""
    kind = kind_from_name(path)
    if kind is not None:
        return kind
    with path.open("rb") as stream:
        return sniff_kind(stream.read(SNIFF_BYTES * 4))


def expand_paths(paths: Iterable[str], skip: frozenset[Path] = frozenset()) -> Iterator[str]:
    """The inputs with each directory replaced by its article files, sorted by name.

    Hidden files, subdirectories, tables (.tsv/.csv) and the paths in `skip` (the metadata
    file) are left out of a directory's files; a path named explicitly is always kept.
    A directory is listed once, keeping only the names of its article files (a folder of
    100k reports costs a few MB), and its files are then read one at a time.
    """
    for given in paths:
        path = Path(given)
        if given == STDIN_PATH or given.lower().startswith(URL_SCHEMES) or not path.is_dir():
            yield given
            continue
        for name in _article_names(path, skip):
            yield str(path / name)


def _article_names(folder: Path, skip: frozenset[Path]) -> list[str]:
    """The sorted names of the article files of `folder` (see `expand_paths`)."""
    names = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file():
                continue
            if entry.name.lower().endswith(TABLE_SUFFIXES) or (skip and Path(entry.path).resolve() in skip):
                continue
            names.append(entry.name)
    names.sort()
    return names


def _html_file(path: Path, settings: Settings, source: str) -> Document:
    return html_document(read_file_bytes(path, settings, source), settings, source)


def _feed_file(path: Path, settings: Settings, source: str) -> Iterator[Document | Failure]:
    yield from read_feed_bytes(read_file_bytes(path, settings, source), settings, source)


def read_local_file(
    source: str,
    settings: Settings,
    hints: Meta | None,
    table: MetadataTable | None,
) -> Iterator[Document | Failure]:
    """Documents and Failures from one local file, read by its kind."""
    path = Path(source)
    if not path.exists():
        yield failure(source, "E108", f"{source}: no such file")
        return
    kind = "text"
    try:
        kind = detect_kind(path)
        if kind == "text":
            file_meta = table.lookup(path) if table else None
            yield read_text_file(path, settings, hints, file_meta, source)
        elif kind == "html":
            yield _html_file(path, settings, source)
        elif kind == "jsonl":
            yield from read_jsonl(path, settings, source)
        elif kind == "feed":
            yield from _feed_file(path, settings, source)
        else:
            yield from _checked_warc(path, settings, source)
    except NewsledgerError as err:
        yield failure_from(source, err)
    except OSError as err:
        yield failure(source, "E108", f"{source}: {err.strerror or err}")
    except Exception as err:  # noqa: BLE001 - a library failing on one odd input must not stop the run
        yield failure(source, UNREADABLE_CODE[kind], f"{source}: {type(err).__name__}: {err}")


def _checked_warc(path: Path, settings: Settings, source: str) -> Iterator[Document | Failure]:
    """A WARC file's records; an empty file is E101 rather than silently nothing."""
    if path.stat().st_size == 0:
        raise NewsledgerError("E101", source)
    from .warc import read_warc  # warcio is imported only when an archive is read

    yield from read_warc(path, settings, source)


def _metadata_table(metadata_file: str | None) -> tuple[MetadataTable | None, Failure | None]:
    """The metadata table, or the Failure saying why it could not be read."""
    if not metadata_file:
        return None, None
    try:
        return load_metadata(metadata_file), None
    except NewsledgerError as err:
        return None, failure_from(metadata_file, err)


def read_inputs(
    paths: Iterable[str],
    settings: Settings,
    hints: Meta | None = None,
    metadata_file: str | None = None,
    *,
    http_client: httpx.Client | None = None,
    stdin: BinaryIO | None = None,
    resolve: Resolver | None = None,
) -> Iterator[Document | Failure]:
    """Stream a Document for every article in `paths` and a Failure for every bad input.

    `hints` (from --published, --outlet, --title) and `metadata_file` fill the metadata of
    plain-text documents, in that order. An unreadable metadata file yields one Failure and
    reading goes on without it. `http_client` and `stdin` replace the network client and
    standard input (tests, or a caller with its own proxy settings); `resolve` the host-name
    resolver the private-address check uses (default: the system's). The HTTP client library
    is imported only when a URL is read (a third of a second of every start otherwise).
    """
    table, table_failure = _metadata_table(metadata_file)
    if table_failure is not None:
        yield table_failure
    for problem in table.problems if table else ():
        where = f"{metadata_file}:{problem.line}"
        yield failure(where, "E113", f"{where}: {problem.reason}")
    skip = frozenset({Path(metadata_file).resolve()}) if metadata_file else frozenset()
    client = http_client
    owns_client = False
    try:
        for source in expand_paths(paths, skip):
            if source == STDIN_PATH:
                yield from _read_stdin(stdin or sys.stdin.buffer, settings, hints)
            elif source.lower().startswith(URL_SCHEMES):
                from .url import make_client, read_url, system_resolve

                if client is None:
                    client, owns_client = make_client(settings), True
                yield from _guarded(source, "E109", read_url(source, settings, client, resolve or system_resolve))
            else:
                yield from read_local_file(source, settings, hints, table)
    finally:
        if owns_client and client is not None:
            client.close()


def __getattr__(name: str) -> Any:
    """`fetch_url`, imported from `.url` when first asked for."""
    if name == "fetch_url":
        from .url import fetch_url

        return fetch_url
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _guarded(source: str, code: str, items: Iterator[Document | Failure]) -> Iterator[Document | Failure]:
    """`items`, with an unexpected library error turned into a Failure coded `code`."""
    try:
        yield from items
    except Exception as err:  # noqa: BLE001 - a library failing on one odd input must not stop the run
        yield failure(source, code, f"{source}: {type(err).__name__}: {err}")


def _read_stdin(stream: BinaryIO, settings: Settings, hints: Meta | None) -> Iterator[Document | Failure]:
    try:
        yield read_text_stream(stream, settings, hints)
    except NewsledgerError as err:
        yield failure_from(STDIN_SOURCE, err)
    except OSError as err:
        yield failure(STDIN_SOURCE, "E108", f"{STDIN_SOURCE}: {err.strerror or err}")
