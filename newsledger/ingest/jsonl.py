"""JSON Lines reader: one document per line, each line checked on its own.

A record is a JSON object with `text` (plain text) or `html` (a page, read like an HTML file)
and optional `url`, `title`, `outlet` and `published` (ISO date or datetime). The source of
each document is "FILE:LINENO". A bad line becomes a Failure for that line only; the file is
streamed, so no line longer than `max_input_bytes` is ever held in memory.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import NewsledgerError
from ..model import Document, Failure, Meta
from ..settings import Settings
from .failures import failure, failure_from
from .html import html_document, parse_date_text
from .text import open_input
from .validate import check_text, decode_bytes

OPTIONAL_STRING_FIELDS = ("url", "title", "outlet", "published")
SKIP_CHUNK_BYTES = 1 << 20


def _string_field(record: dict[str, Any], name: str, source: str) -> str | None:
    """A record's optional string field: None when absent or null, E107 when not a string."""
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise NewsledgerError("E107", f"{source}: '{name}' must be a string")
    return value.strip() or None


def record_document(record: Any, settings: Settings, source: str) -> Document:
    """A Document from one decoded JSON record; raises NewsledgerError (E107 and others)."""
    if not isinstance(record, dict):
        raise NewsledgerError("E107", f"{source}: the line is not a JSON object")
    fields = {name: _string_field(record, name, source) for name in OPTIONAL_STRING_FIELDS}
    published = parse_date_text(fields["published"])
    if fields["published"] and published is None:
        raise NewsledgerError("E107", f"{source}: 'published' is not an ISO date: {fields['published']!r}")
    meta = Meta(
        source=source,
        title=fields["title"],
        outlet=fields["outlet"],
        published=published,
        published_source="jsonl" if published else None,
        url=fields["url"],
        language="en",
    )
    text = record.get("text")
    html = record.get("html")
    if isinstance(text, str) and text.strip():
        return Document(raw=check_text(text, source), meta=meta)
    if isinstance(html, str) and html.strip():
        return html_document(html.encode("utf-8"), settings, source, known=meta)
    if text is not None or html is not None:
        raise NewsledgerError("E101", f"{source}: 'text' or 'html' is empty or not a string")
    raise NewsledgerError("E107", f"{source}: the object has neither 'text' nor 'html'")


def _skip_rest_of_line(stream: BinaryIO) -> None:
    """Move past the end of an over-long line without holding it in memory."""
    while True:
        chunk = stream.readline(SKIP_CHUNK_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


def read_jsonl_stream(stream: BinaryIO, settings: Settings, name: str) -> Iterator[Document | Failure]:
    """Documents and per-line Failures from a JSON Lines stream; blank lines are skipped."""
    limit = settings.max_input_bytes
    line_number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        line_number += 1
        source = f"{name}:{line_number}"
        try:
            if len(line) > limit and not line.endswith(b"\n"):
                _skip_rest_of_line(stream)
                raise NewsledgerError("E104", f"{source}: the line is longer than max_input_bytes ({limit})")
            if not line.strip():
                continue
            text = decode_bytes(line, source)
            try:
                record = json.loads(text)
            except json.JSONDecodeError as err:
                raise NewsledgerError("E107", f"{source}: invalid JSON: {err.msg} at column {err.colno}") from None
            yield record_document(record, settings, source)
        except NewsledgerError as err:
            yield failure_from(source, err)


def read_jsonl(path: Path, settings: Settings, name: str | None = None) -> Iterator[Document | Failure]:
    """Documents and per-line Failures from a JSON Lines file (a file error: one E108)."""
    source = name or str(path)
    try:
        stream = open_input(path)
    except OSError as err:
        yield failure(source, "E108", f"{source}: {err.strerror or err}")
        return
    with stream:
        yield from read_jsonl_stream(stream, settings, source)
