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

A .tsv file (or a table whose header has more tabs than commas) is read as TSV: one row a
line, fields split at tabs, quotation marks kept as written. A .csv file is read with CSV
quoting. A row that does not fit (more fields than the header, a quoted field running over
a line end, a file name given twice) is left out and reported in `problems` as error E113
naming the file and line; the other rows are used.
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
class MetadataProblem:
    """A row of a metadata file that was left out, and why."""
    line: int
    reason: str


@dataclass(frozen=True)
class MetadataTable:
    """Rows of a metadata file keyed by the file name or stem they describe."""
    path: str
    rows: dict[str, Meta]
    problems: tuple[MetadataProblem, ...] = ()

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


@dataclass(frozen=True)
class TableLine:
    """One line of a metadata table split into fields, or why it could not be."""
    number: int
    fields: list[str]
    error: str | None = None


def _tsv_lines(lines: list[str]) -> list[TableLine]:
    """The lines of a TSV table: fields split at tabs, quotation marks kept as written."""
    return [TableLine(number, line.split("\t")) for number, line in enumerate(lines, start=1)]


def _csv_lines(lines: list[str]) -> list[TableLine]:
    """The lines of a CSV table, each read on its own: in a metadata table a quoted field
    running over a line end is an unterminated quote that would swallow the rows after it."""
    read = []
    for number, line in enumerate(lines, start=1):
        try:
            read.append(TableLine(number, next(csv.reader([line], strict=True), [])))
        except csv.Error as err:
            read.append(TableLine(number, [], f"not a CSV row: {err}"))
    return read


def load_metadata(path: str | Path) -> MetadataTable:
    """Read a metadata table; raises E108 if it cannot be read or has no key column.
    Malformed rows are left out and listed in the table's `problems`."""
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
    split = _tsv_lines if _delimiter(table_path, lines[0]) == "\t" else _csv_lines
    first, *body = split(lines)
    header = [column.strip() for column in first.fields]
    key_column = _find_column(header, KEY_ALIASES)
    if key_column is None:
        raise NewsledgerError("E108", f"{path}: no file column (one of {', '.join(KEY_ALIASES)})")
    columns = {field: _find_column(header, aliases) for field, aliases in FIELD_ALIASES.items()}
    rows: dict[str, Meta] = {}
    first_line: dict[str, int] = {}
    problems: list[MetadataProblem] = []
    for line in body:
        number, fields = line.number, line.fields
        if line.error:
            problems.append(MetadataProblem(number, line.error))
            continue
        if not any(field.strip() for field in fields):
            continue
        if len(fields) > len(header):
            problems.append(MetadataProblem(number, f"{len(fields)} fields, the header has {len(header)}"))
            continue
        row = dict(zip(header, fields))
        key = _row_key(row.get(key_column))
        if not key:
            continue
        if key in rows:
            problems.append(MetadataProblem(number, f"{key} is already described on line {first_line[key]}"))
            continue
        rows[key] = row_meta(row, columns, str(path))
        first_line[key] = number
    return MetadataTable(str(path), rows, tuple(problems))
