"""Plain-text reader: files and standard input.

The text is read as bytes with a size cap, validated (see `validate`) and decoded. Its
metadata comes from, in order, each filling only gaps: the hints given on the command line
(`--published`, `--outlet`, `--title`; published_source "option"), then the row of the
metadata file that names the file (published_source "metadata"). The clean stage later
looks in the text itself (dateline, footer) for what is still missing.
"""
from __future__ import annotations

import gzip
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from ..errors import NewsledgerError
from ..model import Document, Meta
from ..settings import Settings
from .validate import check_size, validate_bytes

STDIN_SOURCE = "<stdin>"
GZIP_MAGIC = b"\x1f\x8b"


def open_input(path: Path) -> BinaryIO:
    """A binary stream over a file's content, gunzipped on the fly when it is gzip data.

    Saved pages and JSONL dumps are often gzipped; reading them through this stream keeps
    the size cap on the decompressed bytes, which is what ends up in memory.
    """
    with path.open("rb") as probe:
        gzipped = probe.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if gzipped else path.open("rb")  # type: ignore[return-value]


def read_capped(stream: BinaryIO, limit: int, source: str) -> bytes:
    """Read at most `limit` bytes from `stream`; refuse a longer stream (E104).

    Reading one byte past the limit tells an input of exactly `limit` bytes from a longer
    one without ever holding more than `limit + 1` bytes.
    """
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise NewsledgerError("E104", f"{source}: more than max_input_bytes ({limit}) bytes")
    return data


def read_file_bytes(path: Path, settings: Settings, source: str) -> bytes:
    """The bytes of a file, with the size checked from the file system before reading."""
    try:
        check_size(path.stat().st_size, settings.max_input_bytes, source)
        with open_input(path) as stream:
            return read_capped(stream, settings.max_input_bytes, source)
    except (OSError, EOFError) as err:
        raise NewsledgerError("E108", f"{source}: {getattr(err, 'strerror', None) or err}") from None


def merge_meta(base: Meta, fill: Meta | None, published_source: str) -> Meta:
    """`base` with its empty title, outlet, published and url filled from `fill`.

    `published_source` records where `published` came from when `fill` supplies it.
    """
    if fill is None:
        return base
    merged = replace(
        base,
        title=base.title or fill.title,
        outlet=base.outlet or fill.outlet,
        url=base.url or fill.url,
    )
    if base.published is None and fill.published is not None:
        merged = replace(merged, published=fill.published, published_source=published_source)
    return merged


def text_document(
    data: bytes,
    settings: Settings,
    source: str,
    hints: Meta | None = None,
    file_meta: Meta | None = None,
) -> Document:
    """A Document from the bytes of a plain-text input; raises NewsledgerError if invalid."""
    text = validate_bytes(data, settings.max_input_bytes, source)
    meta = Meta(source=source, language="en")
    meta = merge_meta(meta, hints, "option")
    meta = merge_meta(meta, file_meta, "metadata")
    return Document(raw=text, meta=meta)


def read_text_file(
    path: Path,
    settings: Settings,
    hints: Meta | None = None,
    file_meta: Meta | None = None,
    source: str | None = None,
) -> Document:
    """Read one plain-text file into a Document; raises NewsledgerError if invalid."""
    name = source or str(path)
    return text_document(read_file_bytes(path, settings, name), settings, name, hints, file_meta)


def read_text_stream(stream: BinaryIO, settings: Settings, hints: Meta | None = None) -> Document:
    """Read standard input (or any binary stream) as one plain-text Document."""
    data = read_capped(stream, settings.max_input_bytes, STDIN_SOURCE)
    return text_document(data, settings, STDIN_SOURCE, hints)
