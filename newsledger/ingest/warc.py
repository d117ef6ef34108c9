"""WARC reader: each successful HTML `response` record becomes a document.

Records are streamed (plain or gzipped WARC), so memory holds one record at a time.
Records that are not responses, not HTML or not HTTP 2xx (redirects, error pages, images,
scripts) are skipped: they carry no article. A bad record becomes a Failure for that record,
with source "FILE@OFFSET" (the record's byte offset, where `warcio` can seek to it again).
An archive that cannot be read further ends the file with one E111 Failure.

A truncated archive is never taken for a whole one: a record whose payload ends before its
Content-Length becomes an E114 Failure (the records before it are kept), and a gzipped
archive whose last gzip member is cut off (checked in one streaming pass over the file)
ends with an E114 Failure naming the file, even when the cut fell between records.

The page's URL is the record's WARC-Target-URI. The publication date is the page's own
(see `html`); only when the page has none does the capture date (WARC-Date) stand in, with
published_source "warc": a crawl date is an upper bound of the publication date, close to it
for news crawls, and marked so that later stages can tell it apart.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import NewsledgerError
from ..model import Document, Failure, Meta
from ..settings import Settings
from .failures import failure, failure_from
from .html import HTML_TYPES, html_document, parse_date_text

WARC_MAGIC = b"WARC/"
GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 512
GZIP_CHECK_CHUNK = 1 << 20


def starts_like_warc(head: bytes) -> bool:
    """True when the first bytes (of the file, or inside its gzip layer) are a WARC header.

    warcio reads almost anything as a legacy ARC record, so a file that is no WARC at all
    would otherwise pass as an archive without pages.
    """
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, HEAD_BYTES)
        except zlib.error:
            return False
    return head.lstrip(b"\r\n").startswith(WARC_MAGIC)


def _content_type(record: Any) -> tuple[str, str | None]:
    """The media type and charset of a response record's HTTP payload."""
    header = record.http_headers.get_header("Content-Type") if record.http_headers else None
    if not header:
        return "", None
    parts = [part.strip() for part in header.split(";")]
    charset = next((part.split("=", 1)[1] for part in parts[1:] if part.lower().startswith("charset=")), None)
    return parts[0].lower(), charset


def is_article_response(record: Any) -> bool:
    """True for an HTTP 2xx response record whose payload is an HTML page."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    media_type, _ = _content_type(record)
    return status.startswith("2") and media_type in HTML_TYPES


def read_payload(record: Any, limit: int) -> tuple[bytes | None, int]:
    """A record's HTTP payload (decoded from chunked or gzip transfer), or None when the
    record is over `limit` bytes; and the record's length. Nothing over `limit` is read."""
    length = int(record.rec_headers.get_header("Content-Length") or 0)
    if length > limit:
        return None, length
    return record.content_stream().read(limit + 1), length


def record_document(record: Any, payload: bytes, settings: Settings, source: str) -> Document:
    """A Document from an HTML response record and its payload; raises NewsledgerError."""
    _, charset = _content_type(record)
    url = record.rec_headers.get_header("WARC-Target-URI")
    doc = html_document(payload, settings, source, known=Meta(source=source, url=url), declared_encoding=charset)
    if doc.meta.published is None:
        captured = parse_date_text(record.rec_headers.get_header("WARC-Date"))
        if captured is not None:
            doc.meta = replace(doc.meta, published=captured, published_source="warc")
    return doc


def read_warc_stream(stream: BinaryIO, settings: Settings, name: str) -> Iterator[Document | Failure]:
    """Documents and Failures from a WARC stream, one per HTML response record.

    The payload is read before the record's offset is asked for: warcio finds the offset
    by reading the record to its end, after which the payload is gone.
    """
    head = stream.read(HEAD_BYTES * 4)
    stream.seek(0)
    if not starts_like_warc(head):
        yield failure(name, "E111", f"{name}: no WARC header at the start of the file")
        return
    complete_gzip = gzip_end(stream) if head.startswith(GZIP_MAGIC) else None
    stream.seek(0)
    records = ArchiveIterator(stream)
    limit = settings.max_input_bytes
    try:
        for record in records:
            if not is_article_response(record):
                continue
            payload, length = read_payload(record, limit)
            cut = payload is not None and record.raw_stream.limit > 0
            source = f"{name}@{records.get_record_offset()}"
            try:
                if payload is None:
                    raise NewsledgerError("E104", f"{source}: record of {length} bytes, max_input_bytes is {limit}")
                if cut:
                    raise NewsledgerError("E114", f"{source}: the record ends {record.raw_stream.limit} bytes "
                                                  f"before its Content-Length of {length}")
                yield record_document(record, payload, settings, source)
            except NewsledgerError as err:
                yield failure_from(source, err)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, zlib.error) as err:
        yield failure(name, "E111", f"{name}: {type(err).__name__}: {' '.join(str(err).split())}")
    if complete_gzip is not None and not complete_gzip.complete:
        yield failure(name, "E114", f"{name}: the gzip data stops at byte {complete_gzip.read} in the middle "
                                    "of a member; the records after the last whole one are lost")


@dataclass(frozen=True)
class GzipEnd:
    """How a stream of gzip members ends: complete, and the bytes read."""
    complete: bool
    read: int


def gzip_end(stream: BinaryIO) -> GzipEnd:
    """Whether gzip data (one or more members) ends with a whole member; one streaming pass,
    output discarded, memory of one chunk."""
    stream.seek(0)
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    read = 0
    try:
        while chunk := stream.read(GZIP_CHECK_CHUNK):
            read += len(chunk)
            data = chunk
            while data:
                decompressor.decompress(data, GZIP_CHECK_CHUNK)
                data = decompressor.unconsumed_tail
                if decompressor.eof:
                    data = decompressor.unused_data + data
                    if not data.strip(b"\0"):
                        break
                    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    except zlib.error:
        return GzipEnd(False, read)
    return GzipEnd(decompressor.eof, read)


def read_warc(path: Path, settings: Settings, name: str | None = None) -> Iterator[Document | Failure]:
    """Documents and Failures from a WARC or WARC.gz file."""
    source = name or str(path)
    try:
        stream = path.open("rb")
    except OSError as err:
        yield failure(source, "E108", f"{source}: {err.strerror or err}")
        return
    with stream:
        yield from read_warc_stream(stream, settings, source)
