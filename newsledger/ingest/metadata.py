"""Metadata files: a TSV or CSV table giving the title, outlet, date and URL of text files.

Plain-text articles carry no metadata of their own, so a corpus often comes with a table.
Each row names a file (by file name or stem) and gives some of: publication date, outlet,
title, URL. Columns are found by aliases, case-insensitively:

- key: file, filename, slug, name, id
- published: published, publication_date, date, pubdate, published_date
- outlet: outlet, source, publisher, site
- title: title, headline
- url: url, source_url, link

Values that are empty or say "n/a" (also "na", "none", "null", "-", "unknown") are ignored.
A published value that is not an ISO date or datetime is ignored too: a partial date such
as "2021-08" cannot fill a day-precise publication date.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import NewsledgerError
from ..model import Meta
from .html import parse_date_text

KEY_ALIASES = ("file", "filename", "file_name", "slug", "name", "id")
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "published": ("published", "publication_date", "date", "pubdate", "published_date"),
    "outlet": ("outlet", "source", "publisher", "site"),
    "title": ("title", "headline"),
    "url": ("url", "source_url", "link"),
}
MISSING_VALUES = frozenset({"", "n/a", "na", "none", "null", "-", "unknown"})
METADATA_FILE_MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class MetadataTable:
    """Rows of a metadata file keyed by the file name or stem they describe."""
    path: str
    rows: dict[str, Meta]

    def lookup(self, file: Path) -> Meta | None:
        """The row for `file`: by its full name, else its stem, else the name up to its first dot."""
        name = file.name
        for key in (name, file.stem, name.split(".", 1)[0]):
            if key in self.rows:
                return self.rows[key]
        return None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    return None if text.casefold() in MISSING_VALUES else text


def _find_column(header: list[str], aliases: tuple[str, ...]) -> str | None:
    """The first header (as written) that matches one of `aliases`, in alias order."""
    by_lower = {column.strip().lower(): column for column in header}
    return next((by_lower[alias] for alias in aliases if alias in by_lower), None)


def _delimiter(path: Path, first_line: str) -> str:
    """Tab for .tsv files, comma for .csv, otherwise whichever the header line uses."""
    suffix = path.suffix.lower()
    if suffix == ".tsv":
        return "\t"
    if suffix == ".csv":
        return ","
    return "\t" if first_line.count("\t") >= first_line.count(",") else ","


def row_meta(row: dict[str, str | None], columns: dict[str, str | None], source: str) -> Meta:
    """The Meta a table row gives (source is the metadata file that said so)."""
    values = {field: _clean(row.get(column)) if column else None for field, column in columns.items()}
    return Meta(
        source=source,
        title=values["title"],
        outlet=values["outlet"],
        published=parse_date_text(values["published"]),
        url=values["url"],
    )


def _row_key(value: str | None) -> str | None:
    """A row's key as the bare file name it refers to (directories in it are dropped)."""
    key = _clean(value)
    return key.replace("\\", "/").rsplit("/", 1)[-1] if key else None


def load_metadata(path: str | Path) -> MetadataTable:
    """Read a metadata table; raises E108 if it cannot be read or has no key column."""
    table_path = Path(path)
    try:
        if table_path.stat().st_size > METADATA_FILE_MAX_BYTES:
            raise NewsledgerError("E108", f"{path}: metadata file larger than {METADATA_FILE_MAX_BYTES} bytes")
        text = table_path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise NewsledgerError("E108", f"{path}: {getattr(err, 'strerror', None) or err}") from None
    lines = text.splitlines()
    if not lines:
        raise NewsledgerError("E108", f"{path}: the metadata file is empty")
    reader = csv.DictReader(lines, delimiter=_delimiter(table_path, lines[0]))
    header = list(reader.fieldnames or [])
    key_column = _find_column(header, KEY_ALIASES)
    if key_column is None:
        raise NewsledgerError("E108", f"{path}: no file column (one of {', '.join(KEY_ALIASES)})")
    columns = {field: _find_column(header, aliases) for field, aliases in FIELD_ALIASES.items()}
    rows: dict[str, Meta] = {}
    for row in reader:
        key = _row_key(row.get(key_column))
        if key:
            rows[key] = row_meta(row, columns, str(path))
    return MetadataTable(str(path), rows)
