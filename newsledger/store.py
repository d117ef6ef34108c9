"""The DuckDB store: one schema, one writer, read-only queries.

`Store.open(path)` creates the schema and is the single writer: `add` stores one
`newsledger-doc/1` record and all its layers in one transaction, `add_failure` records a
per-document error once per (source, code). Readers (`events`, `counts`, the API, exports)
open the file with `read_only=True`. Every value reaches SQL as a bound parameter; the only
names spliced into SQL are table names from the fixed `TABLES` list.

Tables (one row per item of each layer; offsets index into `documents.body`):

- documents: id (sha256 of the normalised body), source, title, outlet, published, ...
- actors, mentions, timexes, places, quotes: the layers, keyed by doc_id and position `seq`
- events: one row per event with its source/target actor ids, names and countries as lists,
  the date (value, precision, anchor; first and last day of a multi-day event, schema 3),
  place, casualties, evidence span and confidence; `quote_seq` (schema 3) is the `seq` of the
  quote that states the event. Schema 4 adds the place's hierarchy and point: `admin1`,
  `admin1_code`, `admin2`, `admin2_code` (ISO 3166-2), `geo_precision` (city, admin2,
  admin1, country, region), `lat`, `lon`; places get `iso3`, the same names and codes and
  `precision`. Schema 6 adds `killed_max`/`injured_max`, the upper bound of a count stated
  as a range ("dozens": killed 24, killed_max 99; NULL when open-ended). Schema 9 adds
  `inferred_ids`, the source/target ids no words of the event state (the event's `inferred`).
  `date_key` is the start of the event date's period written as an ISO prefix
  (2023-W10 -> 2023-03-06, 2023-Q2 -> 2023-04); it orders and filters the timeline.
- errors: one row per (source, code), with the first time it was seen.
- fusion_splits (schema 2): an analyst's decision that two event mentions report different
  real-world events. Fusion (`newsledger.fuse`) honours these pairs, so a split survives
  later ingests. It is not one of `TABLES`.
- canonical_events, canonical_members, canonical_blocks (schema 5): the canonical events
  maintained on ingest (`newsledger.canonical`); an older file gets them, filled from its
  events, when a writer opens it. Schema 7 adds the participants of each canonical event as
  lists (`source_names`, `source_countries`, `target_names`, `target_countries`), filled from
  its stored record on upgrade, so the network is aggregated in SQL, and gives each row of
  canonical_blocks the member columns blocking filters on (registered again on upgrade).
  Schema 8 gives each canonical_blocks row its member's document id (registered again on
  upgrade) and indexes events, actors and places by document (fusion on ingest reads the new
  documents' rows through them, in time independent of the store's size), and adds
  canonical_edge_counts, the network's edges counted on write (filled on upgrade). Schema 10
  registers each dated member under its place with no year too (`s|` keys, what a report
  with no date looks up; blocks registered again on upgrade). Schema 11 registers precisely
  dated members under their days and place country instead of global weeks, and drops the
  block columns no longer read (component, anchors, doc_id) and the block index by mention
  (the table is made again and its keys registered again on upgrade).
"""
from __future__ import annotations

import re
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

import duckdb

from .errors import NewsledgerError
from .model import PLOVER_TYPES, SCHEMA

SCHEMA_VERSION = 11

TABLES: tuple[str, ...] = (
    "documents", "actors", "mentions", "timexes", "places", "quotes", "events", "errors",
)

# Columns appended to `events` after schema 2, in order (rows are inserted by position).
_EVENT_COLUMNS_SINCE_SCHEMA_2 = (("date_start", "VARCHAR"), ("date_end", "VARCHAR"), ("quote_seq", "INTEGER"))
# Schema 4: the place's administrative hierarchy and point, on events and on places.
_EVENT_COLUMNS_SINCE_SCHEMA_3 = (
    ("admin1", "VARCHAR"), ("admin1_code", "VARCHAR"), ("admin2", "VARCHAR"), ("admin2_code", "VARCHAR"),
    ("geo_precision", "VARCHAR"), ("lat", "DOUBLE"), ("lon", "DOUBLE"))
_PLACE_COLUMNS_SINCE_SCHEMA_3 = (
    ("iso3", "VARCHAR"), ("admin1", "VARCHAR"), ("admin1_code", "VARCHAR"), ("admin2", "VARCHAR"),
    ("admin2_code", "VARCHAR"), ("precision", "VARCHAR"))
# Schema 6: the upper bound of a casualty count stated as a range.
_EVENT_COLUMNS_SINCE_SCHEMA_5 = (("killed_max", "INTEGER"), ("injured_max", "INTEGER"))
# Schema 9: the participants inferred by a rule, not stated by words (`Event.inferred`).
_EVENT_COLUMNS_SINCE_SCHEMA_8 = (("inferred_ids", "VARCHAR[]"),)
# Schema 7: a canonical event's participants as lists, for the network read in SQL.
_CANONICAL_COLUMNS_SINCE_SCHEMA_6 = (
    ("source_names", "VARCHAR[]"), ("source_countries", "VARCHAR[]"),
    ("target_names", "VARCHAR[]"), ("target_countries", "VARCHAR[]"))


def _column_list(columns: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in columns)


# The blocking keys of each canonical member (`newsledger.canonical`) and its index by key.
_BLOCKS_DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS canonical_blocks (block VARCHAR NOT NULL, mention VARCHAR NOT NULL,
        country VARCHAR, day_first DATE, day_last DATE, dated_precisely BOOLEAN)""",
    "CREATE INDEX IF NOT EXISTS canonical_blocks_block ON canonical_blocks (block)",
)

_DDL: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS newsledger_schema (version INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS documents (
        id VARCHAR PRIMARY KEY, source VARCHAR, title VARCHAR, outlet VARCHAR,
        published DATE, published_source VARCHAR, dateline VARCHAR, url VARCHAR,
        body VARCHAR, ingested_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS actors (
        doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, actor_id VARCHAR NOT NULL,
        name VARCHAR, kind VARCHAR, country VARCHAR, sector VARCHAR, role VARCHAR,
        wikidata VARCHAR, known BOOLEAN, PRIMARY KEY (doc_id, actor_id))""",
    """CREATE TABLE IF NOT EXISTS mentions (
        doc_id VARCHAR NOT NULL, actor_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
        text VARCHAR, start INTEGER, "end" INTEGER)""",
    """CREATE TABLE IF NOT EXISTS timexes (
        doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, text VARCHAR, start INTEGER,
        "end" INTEGER, type VARCHAR, value VARCHAR, precision VARCHAR, anchor VARCHAR,
        mod VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS places (
        doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, text VARCHAR, start INTEGER,
        "end" INTEGER, geonameid BIGINT, name VARCHAR, country VARCHAR, lat DOUBLE,
        lon DOUBLE, feature VARCHAR, level VARCHAR, kind VARCHAR, """
    + _column_list(_PLACE_COLUMNS_SINCE_SCHEMA_3) + ")",
    """CREATE TABLE IF NOT EXISTS quotes (
        doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, kind VARCHAR, text VARCHAR,
        start INTEGER, "end" INTEGER, speaker VARCHAR, speaker_text VARCHAR, cue VARCHAR,
        cue_start INTEGER)""",
    """CREATE TABLE IF NOT EXISTS events (
        doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, event_id VARCHAR NOT NULL,
        type VARCHAR, mode VARCHAR, context VARCHAR[], modality VARCHAR,
        source_ids VARCHAR[], source_names VARCHAR[], source_countries VARCHAR[],
        target_ids VARCHAR[], target_names VARCHAR[], target_countries VARCHAR[],
        date_value VARCHAR, date_precision VARCHAR, date_anchor VARCHAR, date_text VARCHAR,
        date_key VARCHAR, place_geonameid BIGINT, place_name VARCHAR, place_country VARCHAR,
        killed INTEGER, injured INTEGER, evidence_text VARCHAR, evidence_start INTEGER,
        evidence_end INTEGER, confidence DOUBLE, cameo VARCHAR, trigger VARCHAR,
        """ + _column_list(_EVENT_COLUMNS_SINCE_SCHEMA_2 + _EVENT_COLUMNS_SINCE_SCHEMA_3 + _EVENT_COLUMNS_SINCE_SCHEMA_5
                      + _EVENT_COLUMNS_SINCE_SCHEMA_8) + """,
        PRIMARY KEY (doc_id, event_id))""",
    """CREATE TABLE IF NOT EXISTS errors (
        source VARCHAR NOT NULL, code VARCHAR NOT NULL, message VARCHAR, stage VARCHAR,
        first_seen TIMESTAMP, PRIMARY KEY (source, code))""",
    # Canonical events (newsledger.fuse), maintained on ingest: one row per real-world event
    # with ACLED-like columns, and one row per member mention with what fusion compares.
    """CREATE TABLE IF NOT EXISTS canonical_events (
        id VARCHAR PRIMARY KEY, component VARCHAR NOT NULL, event_date VARCHAR,
        time_precision VARCHAR, date_key VARCHAR, type VARCHAR, mode VARCHAR, modality VARCHAR,
        actor1 VARCHAR, actor1_country VARCHAR, actor1_sector VARCHAR,
        actor2 VARCHAR, actor2_country VARCHAR, actor2_sector VARCHAR,
        country VARCHAR, admin1 VARCHAR, admin2 VARCHAR, location VARCHAR, geonameid BIGINT,
        latitude DOUBLE, longitude DOUBLE, geo_precision VARCHAR, killed INTEGER, injured INTEGER,
        num_sources INTEGER, num_articles INTEGER, num_mentions INTEGER,
        source_doc_ids VARCHAR[], source_urls VARCHAR[], notes VARCHAR, evidence VARCHAR,
        participant_text VARCHAR, participant_countries VARCHAR[], search_text VARCHAR,
        record JSON, """ + _column_list(_CANONICAL_COLUMNS_SINCE_SCHEMA_6) + ")",
    """CREATE TABLE IF NOT EXISTS canonical_members (
        doc_id VARCHAR NOT NULL, event_id VARCHAR NOT NULL, mention VARCHAR NOT NULL, canonical_id VARCHAR NOT NULL,
        component VARCHAR NOT NULL, family VARCHAR, reality VARCHAR, country VARCHAR,
        day_first DATE, day_last DATE, dated_precisely BOOLEAN, anchors VARCHAR[], features JSON,
        PRIMARY KEY (doc_id, event_id))""",
    # blocking keys of each member (`newsledger.canonical`): what a new mention looks up
    # with the member columns blocking filters on, so a look-up is one indexed query (made
    # again on an upgrade from schema 5 to 10: `_BLOCKS_DDL`)
    *_BLOCKS_DDL,
    # a document's rows by its id (schema 8): fusion on ingest reads the new documents' layers
    # through these, where the composite primary keys would scan the whole table
    "CREATE INDEX IF NOT EXISTS events_doc ON events (doc_id)",
    "CREATE INDEX IF NOT EXISTS actors_doc ON actors (doc_id)",
    "CREATE INDEX IF NOT EXISTS places_doc ON places (doc_id)",
    "CREATE INDEX IF NOT EXISTS canonical_members_mention ON canonical_members (mention)",
    "CREATE INDEX IF NOT EXISTS canonical_members_component ON canonical_members (component)",
    "CREATE INDEX IF NOT EXISTS canonical_events_component ON canonical_events (component)",
    # schema 8: how many canonical events each source -> target edge of one type has, kept on
    # write (`canonical.count_edges`): the network without filters reads it, not every event
    """CREATE TABLE IF NOT EXISTS canonical_edge_counts (
        source VARCHAR NOT NULL, target VARCHAR NOT NULL, type VARCHAR NOT NULL, events INTEGER NOT NULL,
        source_country VARCHAR, target_country VARCHAR, PRIMARY KEY (source, target, type))""",
    """CREATE TABLE IF NOT EXISTS fusion_splits (
        doc_a VARCHAR NOT NULL, event_a VARCHAR NOT NULL, doc_b VARCHAR NOT NULL,
        event_b VARCHAR NOT NULL, note VARCHAR, created_at TIMESTAMP,
        PRIMARY KEY (doc_a, event_a, doc_b, event_b))""",
)

# Schema versions a writer upgrades in place: every change since them only added tables or
# columns at the end of a table (rows are inserted by position), which these statements add to
# an older file (`CREATE TABLE IF NOT EXISTS` adds the tables), except canonical_blocks, whose
# keys are registered again on every upgrade: schema 11 makes the table again, narrower.
_ADDITIVE_UPGRADES: frozenset[int] = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
# Schema 5 added the canonical-events tables: upgrading an older file fills them from its events.
_CANONICAL_SINCE = 5
_UPGRADE_STATEMENTS: tuple[str, ...] = tuple(
    f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {name} {kind}"
    for table, columns in (("events", _EVENT_COLUMNS_SINCE_SCHEMA_2 + _EVENT_COLUMNS_SINCE_SCHEMA_3
                                      + _EVENT_COLUMNS_SINCE_SCHEMA_5 + _EVENT_COLUMNS_SINCE_SCHEMA_8),
                           ("places", _PLACE_COLUMNS_SINCE_SCHEMA_3),
                           ("canonical_events", _CANONICAL_COLUMNS_SINCE_SCHEMA_6))
    for name, kind in columns)
# Schema 7 filled from the stored records of schema 5 and 6 files.
_FILL_CANONICAL_PARTICIPANTS = (
    "UPDATE canonical_events SET " + ", ".join(
        f"{name} = CAST(record->'$.{name}' AS VARCHAR[])" for name, _ in _CANONICAL_COLUMNS_SINCE_SCHEMA_6))

# The order rows of each table are read back and exported in.
TABLE_ORDER: dict[str, str] = {
    "documents": "published NULLS LAST, id",
    "actors": "doc_id, seq",
    "mentions": "doc_id, actor_id, seq",
    "timexes": "doc_id, seq",
    "places": "doc_id, seq",
    "quotes": "doc_id, seq",
    "events": "date_key NULLS LAST, doc_id, seq",
    "errors": "first_seen, source, code",
}

_DATE_PREFIX = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def period_start(value: str | None) -> str | None:
    """The start of a TIMEX3 date value's period as an ISO prefix, or None for non-dates.

    Keeps the value's own precision (2023-03 stays a month) so prefix comparisons stay
    honest; weeks become their Monday, quarters their first month, halves and seasons their
    year, decades and centuries their first year. Durations, PAST_REF and values with
    unknown digits (XXXX-03) have no place on a timeline and give None.
    """
    if not value:
        return None
    if match := re.match(r"(\d{4}-\d{2}-\d{2})(T|$)", value):
        return match.group(1)
    if re.fullmatch(r"\d{4}(-\d{2})?", value):
        return value
    if match := re.fullmatch(r"(\d{4})-W(\d{2})(-\d)?", value):
        try:
            return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1).isoformat()
        except ValueError:
            return match.group(1)
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        return f"{match.group(1)}-{3 * int(match.group(2)) - 2:02d}"
    if match := re.fullmatch(r"(\d{4})-(H[12]|SP|SU|FA|WI)", value):
        return match.group(1)
    if re.fullmatch(r"\d{3}", value):
        return value + "0"
    if re.fullmatch(r"\d{2}", value):
        return value + "00"
    return None


def check_date_prefix(text: str) -> str:
    """Return `text` if it is YYYY, YYYY-MM or YYYY-MM-DD naming a real period, else raise E402."""
    if not _DATE_PREFIX.fullmatch(text):
        raise NewsledgerError("E402", f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, _, rest = text.partition("-")
    month, _, day = rest.partition("-")
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise NewsledgerError("E402", f"{text!r} is not a real date") from None
    return text


def _utc_now() -> datetime:
    """Now in UTC without tzinfo: the stored timestamps are all UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def _iso_date(text: str | None) -> date | None:
    """A document's publication date; a malformed one is a contract violation upstream."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"document.published is not an ISO date: {text!r}") from None


class Store:
    """A DuckDB file holding documents, their layers, events and errors.

    Use as a context manager: `with Store.open(path) as store: store.add(doc_json)`.
    """

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path, read_only: bool):
        self.connection = connection
        self.path = path
        self.read_only = read_only
        self._attached = False
        self._column_type_cache: dict[str, list[str]] = {}

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False, wait: float = 0.0) -> Store:
        """Open (write mode: create) the database at `path`; any failure becomes E401.

        Write mode creates the file and schema when missing. Read-only mode needs an existing
        newsledger database and never writes. A file another process holds (DuckDB allows
        one writing process, or readers) is waited for up to `wait` seconds, then refused
        with E401 like a file that is not DuckDB or one from another schema version.
        """
        db_path = Path(path)
        if read_only and not db_path.is_file():
            raise NewsledgerError("E401", f"{db_path}: no such database; run `newsledger ingest` first")
        connection = _connect(db_path, read_only, wait)
        store = cls(connection, db_path, read_only)
        try:
            if read_only:
                store._check_schema()
            else:
                store._create_schema()
        except BaseException:
            connection.close()
            raise
        return store

    @classmethod
    def attach(cls, instance: duckdb.DuckDBPyConnection, path: str | Path, wait: float = 0.0) -> Store:
        """The database at `path` attached read-only to a running DuckDB `instance` (an
        in-memory connection kept by a server) as its default database; `close` detaches it
        and releases the file. Attaching costs milliseconds where opening a new DuckDB
        instance costs a hundred or more; the instance must attach one file at a time.
        Failures are E401 as for `open`."""
        db_path = Path(path)
        if not db_path.is_file():
            raise NewsledgerError("E401", f"{db_path}: no such database; run `newsledger ingest` first")
        _retry_locked(lambda: instance.execute(f"ATTACH ? AS {_ATTACHED} (READ_ONLY)", [str(db_path)]),
                      db_path, wait)
        store = cls(instance, db_path, read_only=True)
        store._attached = True
        try:
            instance.execute(f"USE {_ATTACHED}")
            store._check_schema()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        if self._attached:
            self.connection.execute("USE memory")
            self.connection.execute(f"DETACH {_ATTACHED}")
            self._attached = False
        else:
            self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _create_schema(self) -> None:
        """Create missing tables and stamp the schema version (write mode only). A file already
        of this schema is left as it is: `ingest` opens it again for every group it writes, and
        the DDL's catalog look-ups and write transaction cost more than the version read."""
        if self._current_version() == SCHEMA_VERSION:
            return
        try:
            with self._transaction():
                for statement in _DDL:
                    self.connection.execute(statement)
                row = self.connection.execute("SELECT max(version) FROM newsledger_schema").fetchone()
                if row is None or row[0] is None:
                    self.connection.execute("INSERT INTO newsledger_schema VALUES (?)", [SCHEMA_VERSION])
                elif row[0] in _ADDITIVE_UPGRADES:
                    for statement in _UPGRADE_STATEMENTS:
                        self.connection.execute(statement)
                    self.connection.execute("UPDATE newsledger_schema SET version = ?", [SCHEMA_VERSION])
                    if row[0] < _CANONICAL_SINCE:
                        from .canonical import refuse

                        refuse(self)
                    else:   # schema 5 to 10: participants from the records (5, 6), blocks made again
                        from .canonical import register_blocks
                        from .fuse import FusionSettings

                        if row[0] < 7:
                            self.connection.execute(_FILL_CANONICAL_PARTICIPANTS)
                        for statement in ("DROP INDEX IF EXISTS canonical_blocks_mention",
                                          "DROP INDEX IF EXISTS canonical_blocks_block",
                                          "DROP TABLE canonical_blocks", *_BLOCKS_DDL):
                            self.connection.execute(statement)
                        register_blocks(self, "TRUE", [], FusionSettings())
                        if row[0] < 8:
                            from .canonical import rebuild_edge_counts

                            rebuild_edge_counts(self)
        except duckdb.Error as err:
            raise NewsledgerError("E401", f"{self.path}: {_first_line(err)}") from None
        self._check_schema()

    def _current_version(self) -> int | None:
        """The stamped schema version, or None (a new file, one without the table, or a foreign
        table of that name: the creation statements and `_check_schema` then judge the file)."""
        try:
            row = self.connection.execute("SELECT max(version) FROM newsledger_schema").fetchone()
        except duckdb.Error:
            return None
        return row[0] if row else None

    def _check_schema(self) -> None:
        """Refuse a file that is not a newsledger database of this schema version."""
        try:
            row = self.connection.execute("SELECT max(version) FROM newsledger_schema").fetchone()
        except duckdb.Error:
            raise NewsledgerError("E401", f"{self.path}: not a newsledger database") from None
        version = row[0] if row else None
        if version != SCHEMA_VERSION:
            raise NewsledgerError(
                "E401", f"{self.path}: schema version {version}, this newsledger reads {SCHEMA_VERSION}"
            )

    @contextmanager
    def time_limit(self, seconds: float | None) -> Iterator[None]:
        """Queries run inside take at most `seconds` together (None or 0: no limit): the one
        still running then is interrupted and E406 raised, as datasette limits its reads."""
        if not seconds:
            yield
            return
        timer = threading.Timer(seconds, self.connection.interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield
        except duckdb.InterruptException:
            raise NewsledgerError(
                "E406", f"the read took longer than {seconds:g} s (read_timeout); narrow it with filters or a "
                        "smaller limit, or raise read_timeout") from None
        finally:
            timer.cancel()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN ... COMMIT, rolled back when the body raises."""
        self.connection.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def _require_writer(self) -> None:
        if self.read_only:
            raise NewsledgerError("E401", f"{self.path} is open read-only; writing needs Store.open(path)")

    # -- writing ---------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        """True when a document with this id is stored."""
        row = self.connection.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone()
        return row is not None

    def add(self, doc_json: Mapping[str, Any], fuse: bool = True) -> bool:
        """Store one `newsledger-doc/1` record and all its layers in one transaction.

        Returns False, changing nothing, when a document with the same id is already stored
        (the id is the hash of the body, so re-ingesting the same text is a no-op).
        fuse: also fuse its events into the canonical tables in that transaction; False
        leaves that to `fuse_pending`, which fuses a group of added documents at once.
        """
        return self.add_many([doc_json], fuse=fuse)[0]

    def add_many(self, doc_jsons: Sequence[Mapping[str, Any]], fuse: bool = True) -> list[bool]:
        """Store a group of `newsledger-doc/1` records in one transaction, each table written
        with one bulk insert (`_insert_rows`); for each record, whether it was new.

        A record whose id is already stored, or repeats an earlier record of the group, is
        left out (False). Any error rolls the whole group back (the caller may then add the
        records one by one to find the one at fault). fuse: as in `add`.
        """
        self._require_writer()
        for doc_json in doc_jsons:
            if doc_json.get("schema") != SCHEMA or not doc_json.get("id"):
                raise ValueError(f"Store.add expects a {SCHEMA} record with an id")
        ids = [str(doc_json["id"]) for doc_json in doc_jsons]
        rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _LAYER_TABLES}
        added: list[bool] = []
        now = _utc_now()
        with self._transaction():
            seen = self._stored_ids(ids)
            for doc_id, doc_json in zip(ids, doc_jsons):
                added.append(doc_id not in seen)
                if doc_id in seen:
                    continue
                seen.add(doc_id)
                actors = list(doc_json.get("actors") or [])
                rows["documents"].append(_document_row(doc_id, doc_json.get("document") or {}, now))
                rows["actors"].extend(_actor_rows(doc_id, actors))
                rows["mentions"].extend(_mention_rows(doc_id, actors))
                rows["timexes"].extend(_timex_rows(doc_id, doc_json.get("timexes") or []))
                rows["places"].extend(_place_rows(doc_id, doc_json.get("places") or []))
                rows["quotes"].extend(_quote_rows(doc_id, doc_json.get("quotes") or []))
                rows["events"].extend(_event_rows(doc_id, doc_json.get("events") or [], actors))
            for table, table_rows in rows.items():
                self._insert_rows(table, table_rows)
            if fuse:
                from .canonical import fuse_documents

                fuse_documents(self, [doc_id for doc_id, new in zip(ids, added) if new])
        return added

    def _stored_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of `ids` are stored documents (one query)."""
        if not ids:
            return set()
        found = self.connection.execute(
            "SELECT id FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))", [list(ids)]).fetchall()
        return {row[0] for row in found}

    def fuse_pending(self) -> int:
        """Fuse into the canonical tables every stored event mention that is not in them yet
        (the documents added with `fuse=False`), in one transaction; the number of documents."""
        self._require_writer()
        from .canonical import fuse_documents, pending_documents

        with self._transaction():
            pending = pending_documents(self)
            fuse_documents(self, pending)
        return len(pending)

    def refuse(self, progress: Any = None) -> int:
        """Rebuild the canonical events from every stored event mention, in one transaction;
        the number of canonical events. progress: wraps the components as they are written."""
        self._require_writer()
        from .canonical import refuse

        with self._transaction():
            return refuse(self, progress=progress)

    def add_failure(self, failure_json: Mapping[str, Any]) -> bool:
        """Record a per-document error once per (source, code); True when it was new."""
        self._require_writer()
        key = [str(failure_json.get("source") or ""), str(failure_json.get("code") or "")]
        with self._transaction():
            seen = self.connection.execute(
                "SELECT 1 FROM errors WHERE source = ? AND code = ?", key
            ).fetchone()
            if seen is not None:
                return False
            self.connection.execute(
                "INSERT INTO errors VALUES (?, ?, ?, ?, ?)",
                [*key, failure_json.get("message"), failure_json.get("stage"), _utc_now()],
            )
        return True

    def _insert_rows(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert positional rows into one of `TABLES` or `CANONICAL_TABLES` (a fixed name,
        never user input) with one statement: the rows go in as one list per column, each cast to its column's type
        and unnested side by side, so DuckDB appends them as a whole instead of paying a
        statement per row."""
        if table not in TABLES and table not in CANONICAL_TABLES:
            raise ValueError(f"unknown table {table}")
        if not rows:
            return
        types = self._column_types(table)
        if len(rows[0]) != len(types):
            raise ValueError(f"{table} has {len(types)} columns, not {len(rows[0])}")
        columns = [list(column) for column in zip(*rows)]
        unnested = ", ".join(f"unnest(?::{kind}[])" for kind in types)
        self.connection.execute(f"INSERT INTO {table} SELECT {unnested}", columns)

    def _column_types(self, table: str) -> list[str]:
        """The SQL types of a table's columns, in order (looked up once per store)."""
        cache = self._column_type_cache
        if table not in cache:
            cache[table] = [kind for (kind,) in self.connection.execute(
                "SELECT data_type FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' "
                "ORDER BY column_index", [table]).fetchall()]
        return cache[table]

    # -- reading ---------------------------------------------------------------------------

    def events(
        self,
        actor: str | None = None,
        type: str | None = None,  # noqa: A002 - the documented filter name
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Events matching every given filter, ordered by date, then document, then position.

        actor: case-insensitive substring of a source or target actor's name.
        type: a PLOVER type. country: ISO alpha-3 (or IGO, NGO...) of a source or target.
        since/until: YYYY, YYYY-MM or YYYY-MM-DD, compared with the same-length prefix of the
        event date's period start, so `until="2023-03"` keeps every day of March; events
        without a calendar date are left out when either is given. Bad values raise E402.
        Each row also carries its document's outlet, title, published date, url and source.
        """
        where, params = _event_filters(actor, type, country, since, until)
        sql = (
            "SELECT e.* EXCLUDE (seq), d.outlet, d.title, CAST(d.published AS VARCHAR) AS published,"
            " d.url, d.source FROM events e JOIN documents d ON d.id = e.doc_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY e.date_key NULLS LAST, d.published NULLS LAST, e.doc_id, e.seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(_positive(limit, "limit"))
        return self._dicts(sql, params)

    def counts(self) -> dict[str, int]:
        """Number of rows in each table, in `TABLES` order."""
        result: dict[str, int] = {}
        for table in TABLES:
            row = self.connection.execute(f"SELECT count(*) FROM {table}").fetchone()
            result[table] = int(row[0]) if row else 0
        return result

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of one of `TABLES`, in its natural order (small tables and tests)."""
        return self._dicts(f"SELECT * FROM {_table_name(table)} ORDER BY {TABLE_ORDER[table]}", [])

    # -- fusion and the API (read-only queries, all parameters bound) ----------------------

    def fusion_inputs(self, context_chars: int = 300,
                      doc_ids: Sequence[str] | None = None) -> dict[str, list[dict[str, Any]]]:
        """What `newsledger.fuse` compares, read in one go and ordered by stable keys.

        events: every event row with its document's outlet, title, published date and url,
        and `context`, the body around the evidence (`context_chars` each side) starting at
        `context_start` (its `inferred_ids`: the participants a rule inferred); actors: kind,
        country and sector of every actor; places: level and coordinates of each (document,
        GeoNames id); splits: the analyst's keep-apart pairs.
        doc_ids: only these documents' events, actors and places (fusion on ingest).
        """
        only = list(doc_ids) if doc_ids is not None else []
        one = f" AND doc_id IN ({', '.join('?' * len(only))})" if doc_ids is not None else ""
        if doc_ids is not None and not only:
            one = " AND FALSE"
        events = self._dicts(
            "SELECT e.*, d.outlet, d.title, CAST(d.published AS VARCHAR) AS published, d.url,"
            " greatest(coalesce(e.evidence_start, 0) - ?, 0) AS context_start,"
            " substr(d.body, greatest(coalesce(e.evidence_start, 0) - ?, 0) + 1,"
            "        coalesce(e.evidence_end, 0) - greatest(coalesce(e.evidence_start, 0) - ?, 0) + ?)"
            "   AS context"
            " FROM events e JOIN documents d ON d.id = e.doc_id"
            + (" WHERE TRUE" + one.replace("doc_id", "e.doc_id") + one.replace("doc_id", "d.id")
               if doc_ids is not None else "")
            + " ORDER BY e.doc_id, e.seq",
            [context_chars] * 4 + only + only,   # both sides by their index
        )
        actors = self._dicts(
            "SELECT doc_id, actor_id, name, kind, country, sector FROM actors WHERE TRUE" + one
            + " ORDER BY doc_id, seq", only)
        places = self._dicts(
            "SELECT doc_id, geonameid, min(level) AS level, avg(lat) AS lat, avg(lon) AS lon,"
            " min(name) AS name, string_agg(DISTINCT text, ' ') AS texts,"
            " min(feature) AS feature"
            " FROM places WHERE geonameid IS NOT NULL" + one + " GROUP BY doc_id, geonameid"
            " ORDER BY doc_id, geonameid", only)
        splits = self._dicts(
            "SELECT doc_a, event_a, doc_b, event_b, note FROM fusion_splits"
            " ORDER BY doc_a, event_a, doc_b, event_b", [])
        return {"events": events, "actors": actors, "places": places, "splits": splits}

    def add_split(self, first: tuple[str, str], second: tuple[str, str], note: str | None = None) -> bool:
        """Record that two event mentions, each (doc_id, event_id), report different events.

        The pair is stored in sorted order once; True when it was new. Fusion never puts the
        two mentions in the same canonical event afterwards.
        """
        return self.add_splits([(first, second)], note) == 1

    def add_splits(self, pairs: Sequence[tuple[tuple[str, str], tuple[str, str]]], note: str | None = None) -> int:
        """Record keep-apart pairs as `add_split` does, in one transaction, and fuse their
        mentions again once (`canonical.resplit`); the number of new pairs. E402 when a
        mention is not stored or is paired with itself (nothing is stored then)."""
        self._require_writer()
        wanted = sorted({tuple(sorted([(str(a[0]), str(a[1])), (str(b[0]), str(b[1]))])) for a, b in pairs})
        added = 0
        with self._transaction():
            for low, high in wanted:
                if low == high:
                    raise NewsledgerError("E402", "a mention cannot be split from itself")
                for doc_id, event_id in (low, high):
                    found = self.connection.execute(
                        "SELECT 1 FROM events WHERE doc_id = ? AND event_id = ?", [doc_id, event_id]
                    ).fetchone()
                    if found is None:
                        raise NewsledgerError("E402", f"no stored event {doc_id}:{event_id}")
                seen = self.connection.execute(
                    "SELECT 1 FROM fusion_splits WHERE doc_a = ? AND event_a = ? AND doc_b = ? AND event_b = ?",
                    [*low, *high],
                ).fetchone()
                if seen is None:
                    self.connection.execute(
                        "INSERT INTO fusion_splits VALUES (?, ?, ?, ?, ?, ?)", [*low, *high, note, _utc_now()])
                    added += 1
            if added:
                from .canonical import resplit

                resplit(self, sorted({key for pair in wanted for key in pair}))
        return added

    def remove_splits(self, pairs: Sequence[tuple[tuple[str, str], tuple[str, str]]]) -> int:
        """Forget analysts' keep-apart pairs (an undone split) and fuse their mentions again,
        with the same entry `add_split` uses; the number of pairs removed."""
        self._require_writer()
        keys = sorted({(str(d), str(e)) for pair in pairs for d, e in pair})
        removed = 0
        with self._transaction():
            for first, second in pairs:
                low, high = sorted([(str(first[0]), str(first[1])), (str(second[0]), str(second[1]))])
                where = "doc_a = ? AND event_a = ? AND doc_b = ? AND event_b = ?"
                if self.connection.execute(f"SELECT 1 FROM fusion_splits WHERE {where}", [*low, *high]).fetchone():
                    self.connection.execute(f"DELETE FROM fusion_splits WHERE {where}", [*low, *high])
                    removed += 1
            if removed:
                from .canonical import resplit

                resplit(self, keys)
        return removed

    def documents_page(self, limit: int, offset: int = 0, text: str | None = None) -> list[dict[str, Any]]:
        """Documents (without their bodies) newest first, with their number of events.

        text: a case-insensitive substring of the title, outlet or body.
        """
        sql = ("SELECT d.id, d.title, d.outlet, CAST(d.published AS VARCHAR) AS published, d.url,"
               " d.source, d.dateline, length(d.body) AS chars,"
               " (SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS events FROM documents d")
        params: list[Any] = []
        if text:
            sql += (" WHERE contains(lower(coalesce(d.title, '')), lower(?))"
                    " OR contains(lower(coalesce(d.outlet, '')), lower(?)) OR contains(lower(d.body), lower(?))")
            params += [text, text, text]
        sql += " ORDER BY d.published DESC NULLS LAST, d.id LIMIT ? OFFSET ?"
        return self._dicts(sql, [*params, _positive(limit, "limit"), _not_negative(offset, "offset")])

    def documents_total(self, text: str | None = None) -> int:
        """How many documents `documents_page` pages through for the same `text`."""
        sql = "SELECT count(*) FROM documents d"
        params: list[Any] = []
        if text:
            sql += (" WHERE contains(lower(coalesce(d.title, '')), lower(?))"
                    " OR contains(lower(coalesce(d.outlet, '')), lower(?)) OR contains(lower(d.body), lower(?))")
            params += [text, text, text]
        row = self.connection.execute(sql, params).fetchone()
        return int(row[0]) if row else 0

    def actors_total(self, text: str | None = None) -> int:
        """How many actor names `actor_index` pages through for the same `text`."""
        sql = "SELECT count(DISTINCT a.name) FROM actors a WHERE a.name IS NOT NULL"
        params: list[Any] = []
        if text:
            sql += " AND contains(lower(a.name), lower(?))"
            params.append(text)
        row = self.connection.execute(sql, params).fetchone()
        return int(row[0]) if row else 0

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """One document with its body and every layer (offsets index into the body), or None."""
        found = self._dicts(
            "SELECT id, source, title, outlet, CAST(published AS VARCHAR) AS published,"
            " published_source, dateline, url, body FROM documents WHERE id = ?", [doc_id])
        if not found:
            return None
        record = found[0]
        mentions = self._dicts(
            'SELECT actor_id, text, start, "end" FROM mentions WHERE doc_id = ? ORDER BY actor_id, seq',
            [doc_id])
        actors = self._dicts(
            "SELECT actor_id AS id, name, kind, country, sector, role, wikidata, known"
            " FROM actors WHERE doc_id = ? ORDER BY seq", [doc_id])
        for actor in actors:
            actor["mentions"] = [
                {k: m[k] for k in ("text", "start", "end")} for m in mentions if m["actor_id"] == actor["id"]
            ]
        record["actors"] = actors
        for layer in ("timexes", "places", "quotes"):
            record[layer] = self._dicts(
                f"SELECT * EXCLUDE (doc_id, seq) FROM {_table_name(layer)} WHERE doc_id = ? ORDER BY seq",
                [doc_id])
        record["events"] = self._dicts(
            "SELECT * EXCLUDE (doc_id, seq) FROM events WHERE doc_id = ? ORDER BY seq", [doc_id])
        return record

    def source_documents(self, doc_ids: Sequence[str], mentions: Sequence[tuple[str, str]] = ()
                         ) -> dict[str, dict[str, Any]]:
        """What an event page shows of its source documents, by id: title, outlet, published,
        url, body, `quotes` (each speaker by name) and `quote_of`, the quote (its seq) that
        states each of the event's `mentions` (doc_id, event_id) in the document (event id ->
        seq), read from their canonical member rows by key."""
        wanted = sorted(set(doc_ids))
        if not wanted:
            return {}
        marks = ", ".join("?" * len(wanted))
        found = {d["id"]: d | {"quotes": [], "quote_of": {}} for d in self._dicts(
            "SELECT id, title, outlet, CAST(published AS VARCHAR) AS published, url, body"
            f" FROM documents WHERE id IN ({marks})", wanted)}
        names = {(r[0], r[1]): r[2] for r in self.connection.execute(
            f"SELECT doc_id, actor_id, name FROM actors WHERE doc_id IN ({marks})", wanted).fetchall()}
        for quote in self._dicts(
                'SELECT doc_id, kind, text, start, "end", speaker, speaker_text, cue FROM quotes'
                f" WHERE doc_id IN ({marks}) ORDER BY doc_id, seq", wanted):
            doc_id = quote.pop("doc_id")
            quote["speaker"] = names.get((doc_id, quote["speaker"])) if quote["speaker"] else None
            if doc_id in found:
                found[doc_id]["quotes"].append(quote)
        keys = sorted({f"{doc_id}:{event_id}" for doc_id, event_id in mentions})
        for doc_id, event_id, seq in self.connection.execute(
                "SELECT doc_id, event_id, CAST(features->>'$.quote_seq' AS INTEGER) FROM canonical_members"
                f" WHERE mention IN ({', '.join('?' * len(keys))})", keys).fetchall() if keys else []:
            if doc_id in found and seq is not None:
                found[doc_id]["quote_of"][event_id] = seq
        return found

    def actor_index(self, limit: int, offset: int = 0, text: str | None = None) -> list[dict[str, Any]]:
        """Actors by name across documents: country, sector, kind and how many documents
        and events name them, most frequent first. text: a substring of the name."""
        sql = ("SELECT a.name, min(a.country) AS country, min(a.sector) AS sector, min(a.kind) AS kind,"
               " count(DISTINCT a.doc_id) AS documents,"
               " count(DISTINCT e.doc_id || ':' || e.event_id) AS events"
               " FROM actors a LEFT JOIN events e ON e.doc_id = a.doc_id"
               " AND (list_contains(e.source_ids, a.actor_id) OR list_contains(e.target_ids, a.actor_id))"
               " WHERE a.name IS NOT NULL")
        params: list[Any] = []
        if text:
            sql += " AND contains(lower(a.name), lower(?))"
            params.append(text)
        sql += " GROUP BY a.name ORDER BY events DESC, documents DESC, a.name LIMIT ? OFFSET ?"
        return self._dicts(sql, [*params, _positive(limit, "limit"), _not_negative(offset, "offset")])

    def _dicts(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cursor = self.connection.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _table_name(table: str) -> str:
    """`table` if it is one of `TABLES`, else E402 (table names are spliced into SQL)."""
    if table not in TABLES:
        raise NewsledgerError("E402", f"unknown table {table!r}: choose one of {', '.join(TABLES)}")
    return table


def _positive(value: int, name: str) -> int:
    """A page size: a whole number of at least 1, else E402."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise NewsledgerError("E402", f"{name} must be a positive whole number, not {value!r}")
    return value


def _not_negative(value: int, name: str) -> int:
    """An offset: a whole number of at least 0, else E402."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise NewsledgerError("E402", f"{name} must be a whole number of at least 0, not {value!r}")
    return value


def _event_filters(
    actor: str | None, type_: str | None, country: str | None, since: str | None, until: str | None
) -> tuple[list[str], list[Any]]:
    """SQL conditions with `?` placeholders and their parameters, validated (E402)."""
    where: list[str] = []
    params: list[Any] = []
    if actor:
        where.append(
            "EXISTS (SELECT 1 FROM actors a WHERE a.doc_id = e.doc_id"
            " AND (list_contains(e.source_ids, a.actor_id) OR list_contains(e.target_ids, a.actor_id))"
            " AND contains(lower(a.name), lower(?)))"
        )
        params.append(actor)
    wanted, code = checked_filters(type_, country, since, until)
    if wanted:
        where.append("e.type = ?")
        params.append(wanted)
    if code:
        where.append("(list_contains(e.source_countries, ?) OR list_contains(e.target_countries, ?))")
        params += [code, code]
    if since:
        where.append("left(e.date_key, ?) >= ?")
        params += [len(since), since]
    if until:
        where.append("left(e.date_key, ?) <= ?")
        params += [len(until), until]
    return where, params


def alpha3(country: str) -> str:
    """A country filter as ISO 3166 alpha-3: PAK stays PAK, PK becomes PAK (places and the
    summary use alpha-2, actors alpha-3); other three-letter codes (IGO, NGO) pass. E402 else."""
    code = country.strip().upper()
    if re.fullmatch(r"[A-Z]{3}", code):
        return code
    if re.fullmatch(r"[A-Z]{2}", code):
        from . import gazetteer   # here: the commands that read the store need not load it

        found = gazetteer.iso2_to_iso3(code)           # the places layer's table (it knows XK)
        if found is not None:
            return found
    raise NewsledgerError("E402", f"{country!r} is not a country code such as PAK or PK")


def checked_filters(type_: str | None, country: str | None, since: str | None,
                    until: str | None) -> tuple[str | None, str | None]:
    """The event type and country of a filter in upper case, after checking every value (E402)."""
    wanted = type_.strip().upper() if type_ else None
    if wanted and wanted not in PLOVER_TYPES:
        raise NewsledgerError("E402", f"{type_!r} is not a PLOVER event type: {', '.join(PLOVER_TYPES)}")
    code = alpha3(country) if country else None
    for value in (since, until):
        if value:
            check_date_prefix(value)
    return wanted, code


LOCK_RETRY_SECONDS = 0.05


def _is_lock_conflict(err: duckdb.Error) -> bool:
    return "lock" in str(err).lower()


# Readers of this process that keep a database attached between their reads (the web app's
# `api.Ledger`: a `release(path)` method) register here: opening that file for writing in this
# process has them let it go first, as DuckDB refuses a second handle on a file in one process.
_KEEPERS: weakref.WeakSet[Any] = weakref.WeakSet()


def keeps_attached(keeper: Any) -> None:
    """Register a reader that keeps databases attached (see `_KEEPERS`)."""
    _KEEPERS.add(keeper)


def _connect(db_path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection, retried while another process holds the file (up to `wait` s); a
    writer that has to wait says so (`writer_waiting`); readers of this process that keep
    the file attached let it go first."""
    if not read_only:
        for keeper in list(_KEEPERS):
            keeper.release(db_path)
    return _retry_locked(lambda: duckdb.connect(str(db_path), read_only=read_only), db_path, wait,
                         announce=not read_only)


# A writer kept waiting for the file creates this file beside it until it has the file, so a
# reader that keeps the database attached between its reads (the web app: `api.Ledger`)
# lets it go after its current read. One older than `WRITER_WAITING_STALE_SECONDS` was left
# by a writer that died waiting, and is ignored.
WRITER_WAITING_SUFFIX = ".writer-waiting"
WRITER_WAITING_STALE_SECONDS = 120.0


def writer_waiting(db_path: Path) -> bool:
    """True when a writer is waiting for the database at `db_path` (one stat call)."""
    try:
        changed = db_path.with_name(db_path.name + WRITER_WAITING_SUFFIX).stat().st_mtime
    except OSError:
        return False
    return time.time() - changed < WRITER_WAITING_STALE_SECONDS


# The name a read-only database is attached under (`Store.attach`).
_ATTACHED = "ledger"


def _retry_locked(opening: Callable[[], Any], db_path: Path, wait: float, announce: bool = False) -> Any:
    """`opening()`, retried while another process holds the file (up to `wait` s); E401.
    announce: create the `writer_waiting` file while waiting, again at each retry (two writers
    may wait together and the first to get the file removes it), removed once done."""
    deadline = time.monotonic() + wait
    marker = db_path.with_name(db_path.name + WRITER_WAITING_SUFFIX)
    announced = False
    try:
        while True:
            try:
                return opening()
            except duckdb.Error as err:
                if _is_lock_conflict(err) and time.monotonic() < deadline:
                    if announce:   # at every retry: another writer that got the file removed it
                        try:
                            marker.touch()
                            announced = True
                        except OSError:   # a folder it cannot write to: wait without saying so
                            announce = False
                    time.sleep(LOCK_RETRY_SECONDS)
                    continue
                _raise_unopened(err, db_path)
    finally:
        if announced:
            marker.unlink(missing_ok=True)


def _raise_unopened(err: duckdb.Error, db_path: Path) -> NoReturn:
    if _is_lock_conflict(err):
        raise NewsledgerError("E401", f"{db_path}: another newsledger process is writing it; "
                                      "try again when it has finished") from None
    raise NewsledgerError("E401", f"{db_path}: {_first_line(err)}") from None


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


# -- rows of each layer -----------------------------------------------------------------------

# The tables `add_many` writes, in the order it writes them.
_LAYER_TABLES = ("documents", "actors", "mentions", "timexes", "places", "quotes", "events")
# Written in bulk by the canonical upkeep (`canonical._insert`) through `Store._insert_rows`.
CANONICAL_TABLES = ("canonical_events", "canonical_members", "canonical_blocks")


def _document_row(doc_id: str, document: Mapping[str, Any], ingested_at: datetime) -> tuple[Any, ...]:
    return (
        doc_id, document.get("source"), document.get("title"), document.get("outlet"),
        _iso_date(document.get("published")), document.get("published_source"),
        document.get("dateline"), document.get("url"), document.get("body"), ingested_at,
    )



def _actor_rows(doc_id: str, actors: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (doc_id, seq, a["id"], a.get("name"), a.get("kind"), a.get("country"), a.get("sector"),
         a.get("role"), a.get("wikidata"), bool(a.get("known", False)))
        for seq, a in enumerate(actors)
    ]


def _mention_rows(doc_id: str, actors: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (doc_id, a["id"], seq, m.get("text"), m.get("start"), m.get("end"))
        for a in actors
        for seq, m in enumerate(a.get("mentions") or [])
    ]


def _timex_rows(doc_id: str, timexes: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (doc_id, seq, t.get("text"), t.get("start"), t.get("end"), t.get("type"), t.get("value"),
         t.get("precision"), t.get("anchor"), t.get("mod"))
        for seq, t in enumerate(timexes)
    ]


def _place_rows(doc_id: str, places: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (doc_id, seq, p.get("text"), p.get("start"), p.get("end"), p.get("geonameid"), p.get("name"),
         p.get("country"), p.get("lat"), p.get("lon"), p.get("feature"), p.get("level"), p.get("kind"),
         p.get("iso3"), p.get("admin1"), p.get("admin1_code"), p.get("admin2"), p.get("admin2_code"),
         p.get("precision"))
        for seq, p in enumerate(places)
    ]


def _quote_rows(doc_id: str, quotes: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (doc_id, seq, q.get("kind"), q.get("text"), q.get("start"), q.get("end"), q.get("speaker"),
         q.get("speaker_text"), q.get("cue"), q.get("cue_start"))
        for seq, q in enumerate(quotes)
    ]


def _event_rows(
    doc_id: str, events: Iterable[Mapping[str, Any]], actors: Iterable[Mapping[str, Any]]
) -> list[tuple[Any, ...]]:
    """Event rows with each participant's id resolved to its actor's name and country."""
    by_id = {a["id"]: a for a in actors}

    def names(ids: list[str]) -> list[str | None]:
        return [by_id[i].get("name") if i in by_id else None for i in ids]

    def countries(ids: list[str]) -> list[str | None]:
        return [by_id[i].get("country") if i in by_id else None for i in ids]

    rows = []
    for seq, e in enumerate(events):
        source = [str(i) for i in e.get("source") or []]
        target = [str(i) for i in e.get("target") or []]
        when = e.get("date") or {}
        where = e.get("place") or {}
        evidence = e.get("evidence") or {}
        rows.append((
            doc_id, seq, e["id"], e.get("type"), e.get("mode"), list(e.get("context") or []),
            e.get("modality"), source, names(source), countries(source),
            target, names(target), countries(target),
            when.get("value"), when.get("precision"), when.get("anchor"), when.get("text"),
            period_start(when.get("value")),
            where.get("geonameid"), where.get("name"), where.get("country"),
            e.get("killed"), e.get("injured"),
            evidence.get("text"), evidence.get("start"), evidence.get("end"),
            e.get("confidence"), e.get("cameo"), e.get("trigger"), when.get("start"), when.get("end"),
            e.get("quote"),
            where.get("admin1"), where.get("admin1_code"), where.get("admin2"), where.get("admin2_code"),
            where.get("precision"), where.get("lat"), where.get("lon"),
            e.get("killed_max"), e.get("injured_max"),
            [str(i) for i in e.get("inferred") or []],
        ))
    return rows
