"""The web app's views of the canonical events: SQL over `canonical_events` (never every
mention in Python), one filter shared by every view so the table, facets, time axis, map,
network and downloads always show the same events.

- `ViewFilter`: what the analyst chose (type, actor, sector, countries, admin1, outlet, a date
  range that an event's whole period may overlap, text, a map box), parsed from query options;
- `events_page` / `export_rows`: the filtered events sorted by any column, a page or all;
- `facets`: counts by type, actor, country, admin1 and outlet;
- `timeline`: counts per day, week or month (chosen from the span), events coarser than the
  bin kept as periods (a month-precision event spans its month);
- `map_clusters`: events with coordinates grouped in a grid whose cell shrinks with the zoom;
- `network`: who acted on whom by type, generic participants ("people", "the army")
  folded into one node per sector and country.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from .errors import NewsledgerError
from .model import PLOVER_TYPES
from .canonical import Conditions, page_sql
from .store import check_date_prefix

# An event's period: its first day and the day after its last, from the date key (YYYY,
# YYYY-MM or YYYY-MM-DD, `store.period_start`) and its precision.
PERIOD_START = ("CAST(CASE length(date_key) WHEN 10 THEN date_key WHEN 7 THEN date_key || '-01'"
                " ELSE substr(date_key, 1, 4) || '-01-01' END AS DATE)")
PERIOD_END = (f"CASE WHEN time_precision = 'week' THEN {PERIOD_START} + INTERVAL 7 DAY"
              f" WHEN time_precision = 'quarter' THEN {PERIOD_START} + INTERVAL 3 MONTH"
              f" WHEN time_precision = 'decade' THEN {PERIOD_START} + INTERVAL 10 YEAR"
              f" WHEN time_precision = 'century' THEN {PERIOD_START} + INTERVAL 100 YEAR"
              f" WHEN length(date_key) = 10 THEN {PERIOD_START} + INTERVAL 1 DAY"
              f" WHEN length(date_key) = 7 THEN {PERIOD_START} + INTERVAL 1 MONTH"
              f" ELSE {PERIOD_START} + INTERVAL 1 YEAR END")
DATED = "date_key IS NOT NULL AND regexp_matches(date_key, '^\\d{4}(-\\d{2}(-\\d{2})?)?$')"

# Sortable columns: the name the app uses -> the SQL expression (undated/unknown last).
SORTS: dict[str, str] = {
    "date": "date_key", "type": "type", "source": "lower(actor1)", "target": "lower(actor2)",
    "place": "lower(location)", "country": "country", "admin1": "admin1",
    "articles": "num_articles", "sources": "num_sources", "killed": "killed", "id": "e.id",
}
# Columns of a row of the table and of its CSV/JSON download.
COLUMNS = ("id", "date", "date_precision", "type", "mode", "modality", "source", "source_country",
           "target", "target_country", "place", "country", "admin1", "admin1_name", "admin2",
           "latitude", "longitude", "killed", "injured", "num_articles", "num_sources", "outlets",
           "evidence", "source_urls")
_SELECT = (
    "e.id, event_date, time_precision, type, mode, modality, actor1, actor1_country, actor2, actor2_country,"
    " location, country, admin1, json_extract_string(record, '$.admin1'), admin2, latitude, longitude,"
    " killed, injured, num_articles, num_sources, o.outlets, evidence, source_urls")


def _rows_sql(where: str, order_by: str, limit: int, offset: int) -> str:
    """The filtered events in order, one page of them, with each event's outlets joined on its
    document ids for that page only. The page is written as numbers (`canonical.page_sql`), so
    DuckDB keeps the top rows instead of sorting every match."""
    return (f"WITH chosen AS (SELECT * FROM canonical_events e WHERE {where} ORDER BY {order_by}"
            f"{page_sql(limit, offset)}),"
            " outlets AS (SELECT c.id, list(DISTINCT d.outlet ORDER BY d.outlet) outlets"
            "  FROM (SELECT id, unnest(source_doc_ids) doc FROM chosen) c JOIN documents d ON d.id = c.doc"
            "  WHERE d.outlet IS NOT NULL GROUP BY c.id)"
            f" SELECT {_SELECT} FROM chosen e LEFT JOIN outlets o ON o.id = e.id ORDER BY {order_by}")


# Sectors of generic participants, named for the network's folded nodes (PLOVER sectors).
SECTOR_NAMES = {
    "CVL": "civilians", "MIL": "military", "COP": "police", "GOV": "government", "REB": "rebels",
    "INS": "insurgents", "REF": "refugees", "MED": "media", "BUS": "business", "EDU": "students/teachers",
    "REL": "religious", "LAB": "labour", "HLH": "health workers", "CRM": "criminals", "JUD": "judiciary",
    "LEG": "legislators", "OPP": "opposition", "UAF": "armed group", "SPY": "intelligence", "SEP": "separatists",
    "ELI": "elites", "HRI": "rights groups", "AGR": "farmers", "NGO": "NGOs", "IGO": "international body",
}
COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST"})
MAX_EXPORT_ROWS = 1_000_000


@dataclass(frozen=True)
class ViewFilter:
    """The analyst's choice of events; every field None means all.

    since/until: an event is kept when its period overlaps [since, until] (a month-precision
    event of March is kept by a range that ends on 10 March). bbox: south, west, north, east
    in degrees; a box whose west exceeds its east crosses the antimeridian."""
    type: str | None = None
    actor: str | None = None          # substring of any participant's name (any case)
    sector: str | None = None         # PLOVER sector of the first source or target
    country: str | None = None        # ISO3 of the place
    participant_country: str | None = None  # ISO3 of any participant
    admin1: str | None = None         # ISO 3166-2 code of the place's first-level division
    outlet: str | None = None         # an outlet among the event's documents
    since: str | None = None
    until: str | None = None
    q: str | None = None              # text in the evidence or a title
    bbox: tuple[float, float, float, float] | None = None
    node: str | None = None           # a network node ("actor:NAME", "sector:CVL:PAK") as first source or target

    @classmethod
    def parse(cls, **options: str | None) -> ViewFilter:
        """Checked values from query options (E402 names the bad option)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = options.get(f.name)
            raw = raw.strip() if isinstance(raw, str) else raw
            if not raw:
                continue
            if f.name == "type":
                raw = raw.upper()
                if raw not in PLOVER_TYPES:
                    raise NewsledgerError("E402", f"type: {raw!r} is not a PLOVER type")
            elif f.name in ("country", "participant_country"):
                raw = raw.upper()
                if not re.fullmatch(r"[A-Z]{3}", raw):
                    raise NewsledgerError("E402", f"{f.name}: {raw!r} is not an ISO alpha-3 code")
            elif f.name in ("since", "until"):
                try:
                    check_date_prefix(raw)
                except NewsledgerError as err:
                    raise NewsledgerError("E402", f"{f.name}: {err.message}") from None
            elif f.name == "sector":
                raw = raw.upper()
            elif f.name == "bbox":
                raw = _parse_bbox(raw)
            elif f.name == "node" and not raw.startswith(("actor:", "sector:")):
                raise NewsledgerError("E402", f"node: {raw!r} is not actor:NAME or sector:CODE:COUNTRY")
            values[f.name] = raw
        return cls(**values)

    def to_options(self) -> dict[str, str]:
        """The query options that give this filter back (`parse`)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = ",".join(f"{v:g}" for v in value) if f.name == "bbox" else str(value)
        return out

    def where(self) -> tuple[str, list[Any]]:
        """SQL conditions on `canonical_events` (alias e) and their bound parameters, built with
        the reads' one filter builder (`canonical.Conditions`)."""
        found = (Conditions().type_is(self.type).participant_named(self.actor)
                 .participant_country(self.participant_country).text(self.q))
        if self.sector:
            found.add("(actor1_sector = ? OR actor2_sector = ?)", self.sector, self.sector)
        if self.country:
            found.add("country = ?", self.country)
        if self.admin1:
            found.add("admin1 = ?", self.admin1)
        if self.outlet:
            found.add("list_has_any(source_doc_ids, (SELECT list(id) FROM documents WHERE outlet = ?))", self.outlet)
        if self.since:
            found.add(f"{DATED} AND {PERIOD_END} > CAST(? AS DATE)", _first_day(self.since))
        if self.until:
            found.add(f"{DATED} AND {PERIOD_START} <= CAST(? AS DATE)", _last_day(self.until))
        if self.node:
            found.add(f"({SOURCE_NODE} = ? OR {TARGET_NODE} = ?)", self.node, self.node)
        if self.bbox:
            south, west, north, east = self.bbox
            found.add("latitude BETWEEN ? AND ?", south, north)
            if west <= east:
                found.add("longitude BETWEEN ? AND ?", west, east)
            else:
                found.add("(longitude >= ? OR longitude <= ?)", west, east)
        return found.sql()


def _parse_bbox(raw: str) -> tuple[float, float, float, float]:
    try:
        south, west, north, east = (float(v) for v in raw.split(","))
    except ValueError:
        raise NewsledgerError("E402", f"bbox: {raw!r} is not south,west,north,east in degrees") from None
    if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        raise NewsledgerError("E402", f"bbox: {raw!r} is outside the globe or south is above north")
    return south, west, north, east


def _first_day(bound: str) -> str:
    return {4: f"{bound}-01-01", 7: f"{bound}-01"}.get(len(bound), bound)


def _last_day(bound: str) -> str:
    """The last day of a YYYY, YYYY-MM or YYYY-MM-DD bound."""
    if len(bound) == 4:
        return f"{bound}-12-31"
    if len(bound) == 7:
        year, month = int(bound[:4]), int(bound[5:])
        following = f"{year + month // 12:04d}-{month % 12 + 1:02d}-01"
        return (date.fromisoformat(following) - timedelta(days=1)).isoformat()
    return bound


# -- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    column: str = "date"
    descending: bool = False

    @classmethod
    def parse(cls, column: str | None, direction: str | None) -> Sort:
        column = column or "date"
        if column not in SORTS:
            raise NewsledgerError("E402", f"sort: {column!r} is not one of {', '.join(SORTS)}")
        if direction not in (None, "", "asc", "desc"):
            raise NewsledgerError("E402", f"dir: {direction!r} is not asc or desc")
        return cls(column, direction == "desc")

    def order_by(self) -> str:
        way = "DESC" if self.descending else "ASC"
        return f"{SORTS[self.column]} {way} NULLS LAST, e.id {way}"


@dataclass(frozen=True)
class EventsPage:
    items: list[dict[str, Any]]
    total: int


def _row(values: tuple[Any, ...]) -> dict[str, Any]:
    row = dict(zip(COLUMNS, values, strict=True))
    row["outlets"] = row["outlets"] or []
    row["source_urls"] = row["source_urls"] or []
    return row


def events_page(con: Any, wanted: ViewFilter, sort: Sort, limit: int, offset: int) -> EventsPage:
    """One page of the filtered events in the chosen order, and how many match."""
    where, params = wanted.where()
    total = con.execute(f"SELECT count(*) FROM canonical_events e WHERE {where}", params).fetchone()[0]
    rows = con.execute(_rows_sql(where, sort.order_by(), limit, offset), params).fetchall()
    return EventsPage([_row(r) for r in rows], int(total))


def export_rows(con: Any, wanted: ViewFilter, sort: Sort, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """Every filtered event in the chosen order (at most `MAX_EXPORT_ROWS`), read in chunks."""
    where, params = wanted.where()
    cursor = con.execute(_rows_sql(where, sort.order_by(), MAX_EXPORT_ROWS, 0), params)
    while rows := cursor.fetchmany(chunk):
        yield from (_row(r) for r in rows)


def json_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    """JSON text of export rows: one list, a row a line."""
    yield "["
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False, default=str)
    yield "\n]\n"


def csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    """CSV text of export rows, a header first; lists joined with ' | '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([" | ".join(v) if isinstance(v, list) else ("" if v is None else v)
                         for v in (row[c] for c in COLUMNS)])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# -- facets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def facets(con: Any, wanted: ViewFilter, limit: int = 10) -> dict[str, list[FacetValue]]:
    """The most frequent values among the filtered events: type, actor (a source or target
    named first), country and admin1 of the place, outlet of a document."""
    where, params = wanted.where()
    con.execute(f"CREATE OR REPLACE TEMP TABLE view_rows AS SELECT id, type, actor1, actor2, country, admin1,"
                f" json_extract_string(record, '$.admin1') admin1_name, source_doc_ids"
                f" FROM canonical_events e WHERE {where}", params)
    queries = {
        "type": "SELECT type, type, count(*) n FROM view_rows WHERE type IS NOT NULL GROUP BY 1",
        "actor": "SELECT a, a, count(DISTINCT id) n FROM (SELECT id, actor1 a FROM view_rows UNION ALL"
                 " SELECT id, actor2 FROM view_rows) WHERE a IS NOT NULL GROUP BY 1",
        "country": "SELECT country, country, count(*) n FROM view_rows WHERE country IS NOT NULL GROUP BY 1",
        "admin1": "SELECT admin1, coalesce(any_value(admin1_name), admin1), count(*) n FROM view_rows"
                  " WHERE admin1 IS NOT NULL GROUP BY 1",
        "outlet": "SELECT d.outlet, d.outlet, count(DISTINCT v.id) n FROM (SELECT id, unnest(source_doc_ids) doc"
                  " FROM view_rows) v JOIN documents d ON d.id = v.doc WHERE d.outlet IS NOT NULL GROUP BY 1",
    }
    try:
        found = {name: [FacetValue(str(v), str(label), int(n)) for v, label, n in
                        con.execute(f"{sql} ORDER BY n DESC, 1 LIMIT ?", [limit]).fetchall()]
                 for name, sql in queries.items()}
        return found
    finally:
        con.execute("DROP TABLE IF EXISTS view_rows")


# -- the time axis -----------------------------------------------------------------------------

BIN_ORDER = ("day", "week", "month", "year")
_BIN_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}


@dataclass(frozen=True)
class Bin:
    start: str        # first day of the bin
    end: str          # the day after it
    count: int


@dataclass(frozen=True)
class Period:
    """Events whose date is coarser than the bin: they span [start, end)."""
    start: str
    end: str
    precision: str
    count: int


@dataclass(frozen=True)
class Timeline:
    bin: str
    first: str | None
    last: str | None         # the day after the last period ends
    bins: list[Bin]
    periods: list[Period]
    undated: int


def choose_bin(span_days: int, most_bins: int = 150) -> str:
    """The finest of day, week, month, year that gives at most `most_bins` bins."""
    for name in BIN_ORDER:
        if span_days / _BIN_DAYS[name] <= most_bins:
            return name
    return "year"


def timeline(con: Any, wanted: ViewFilter, bin_size: str | None = None) -> Timeline:
    """Counts of the filtered events per bin, the bin chosen from their span unless given."""
    if bin_size is not None and bin_size not in BIN_ORDER:
        raise NewsledgerError("E402", f"bin: {bin_size!r} is not one of {', '.join(BIN_ORDER)}")
    where, params = wanted.where()
    con.execute(f"CREATE OR REPLACE TEMP TABLE view_periods AS SELECT {PERIOD_START} AS first_day,"
                f" CAST({PERIOD_END} AS DATE) AS end_day, coalesce(time_precision, 'year') AS precision"
                f" FROM canonical_events e WHERE {where} AND {DATED}", params)
    try:
        undated = con.execute(f"SELECT count(*) FROM canonical_events e WHERE ({where}) AND NOT ({DATED})",
                              params).fetchone()[0]
        first, last = con.execute("SELECT min(first_day), max(end_day) FROM view_periods").fetchone()
        if first is None:
            return Timeline(bin_size or "day", None, None, [], [], int(undated))
        chosen = bin_size or choose_bin((last - first).days)
        trunc = {"day": "first_day", "week": "date_trunc('week', first_day)",
                 "month": "date_trunc('month', first_day)", "year": "date_trunc('year', first_day)"}[chosen]
        step = {"day": "INTERVAL 1 DAY", "week": "INTERVAL 7 DAY", "month": "INTERVAL 1 MONTH",
                "year": "INTERVAL 1 YEAR"}[chosen]
        fits = f"end_day - first_day <= {_BIN_DAYS[chosen]}"
        bins = [Bin(str(start), str(end), int(n)) for start, end, n in con.execute(
            f"SELECT CAST({trunc} AS DATE) b, CAST({trunc} + {step} AS DATE), count(*) FROM view_periods"
            f" WHERE {fits} GROUP BY 1, 2 ORDER BY 1").fetchall()]
        periods = [Period(str(start), str(end), precision, int(n)) for start, end, precision, n in con.execute(
            f"SELECT first_day, end_day, precision, count(*) FROM view_periods WHERE NOT ({fits})"
            " GROUP BY 1, 2, 3 ORDER BY 1, 2").fetchall()]
        return Timeline(chosen, str(first), str(last), bins, periods, int(undated))
    finally:
        con.execute("DROP TABLE IF EXISTS view_periods")


# -- the map -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    lat: float
    lon: float
    count: int
    south: float
    west: float
    north: float
    east: float
    event_id: str | None      # the event when the cluster holds one
    label: str                # a place name, or how many places


def cell_degrees(zoom: float) -> float:
    """The side of a clustering cell at a zoom level (1 = the whole world on screen)."""
    return 12.0 / (2 ** max(0.0, min(zoom, 16.0)))


def map_clusters(con: Any, wanted: ViewFilter, zoom: float, limit: int = 2000) -> tuple[list[Cluster], int]:
    """The filtered events with coordinates grouped by grid cell at this zoom, biggest first
    (at most `limit` clusters), and how many events they hold."""
    where, params = wanted.where()
    cell = cell_degrees(zoom)
    rows = con.execute(
        f"SELECT avg(latitude), avg(longitude), count(*), min(latitude), min(longitude), max(latitude),"
        f" max(longitude), CASE WHEN count(*) = 1 THEN any_value(id) END, count(DISTINCT location),"
        f" any_value(location), sum(count(*)) OVER ()"
        f" FROM canonical_events e WHERE {where} AND latitude IS NOT NULL AND longitude IS NOT NULL"
        f" GROUP BY floor(latitude / ?), floor(longitude / ?) ORDER BY count(*) DESC LIMIT ?",
        [*params, cell, cell, limit]).fetchall()
    clusters = [Cluster(lat, lon, int(n), s, w, nth, e, one, place if places == 1 else f"{places} places")
                for lat, lon, n, s, w, nth, e, one, places, place, _ in rows]
    return clusters, int(rows[0][-1]) if rows else 0   # every cluster's events, not only those shown


# -- the network -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    country: str | None
    sector: str | None
    generic: bool             # a sector node folding generic participants
    events: int


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    type: str
    cooperative: bool
    events: int


# A participant named by a common noun ("people", "army (USA)": lower case once its country
# suffix is set aside) is generic: it becomes the node of its sector and country.
_BARE_NAME = "regexp_replace({name}, ' \\([A-Z]{{3}}\\)$', '')"
_NODE_KEY = ("CASE WHEN {name} IS NULL THEN NULL"
             " WHEN lower(" + _BARE_NAME + ") = " + _BARE_NAME + " THEN"
             " 'sector:' || coalesce({sector}, 'OTHER') || ':' || coalesce({country}, '')"
             " ELSE 'actor:' || {name} END")


SOURCE_NODE = _NODE_KEY.format(name="actor1", sector="actor1_sector", country="actor1_country")
TARGET_NODE = _NODE_KEY.format(name="actor2", sector="actor2_sector", country="actor2_country")


def network(con: Any, wanted: ViewFilter, limit: int = 60) -> tuple[list[Node], list[Edge]]:
    """Edges from each event's first source to its first target, by type, heaviest first (at
    most `limit`), between named actors, or sector nodes for generic participants."""
    where, params = wanted.where()
    source, target = SOURCE_NODE, TARGET_NODE
    rows = con.execute(
        f"SELECT s, t, type, count(*) n FROM (SELECT {source} s, {target} t, type FROM canonical_events e"
        f" WHERE {where}) WHERE s IS NOT NULL AND t IS NOT NULL AND s <> t GROUP BY 1, 2, 3"
        f" ORDER BY n DESC, 1, 2, 3 LIMIT ?", [*params, limit]).fetchall()
    edges = [Edge(s, t, ty, ty in COOPERATIVE, int(n)) for s, t, ty, n in rows]
    wanted_nodes = sorted({k for e in edges for k in (e.source, e.target)})
    if not wanted_nodes:
        return [], []
    marks = ", ".join("?" * len(wanted_nodes))
    node_rows = con.execute(
        f"SELECT k, any_value(c), any_value(sec), count(DISTINCT id) FROM ("
        f" SELECT {source} k, actor1_country c, actor1_sector sec, id FROM canonical_events e WHERE {where}"
        f" UNION ALL SELECT {target}, actor2_country, actor2_sector, id FROM canonical_events e WHERE {where})"
        f" WHERE k IN ({marks}) GROUP BY k", [*params, *params, *wanted_nodes]).fetchall()
    nodes = [_node(key, country, sector, int(n)) for key, country, sector, n in node_rows]
    return sorted(nodes, key=lambda n: (-n.events, n.id)), edges


def _node(key: str, country: str | None, sector: str | None, events: int) -> Node:
    kind, _, rest = key.partition(":")
    if kind == "sector":
        sector_code, _, node_country = rest.partition(":")
        name = SECTOR_NAMES.get(sector_code, "other participants")
        label = f"{name} ({node_country})" if node_country else name
        return Node(key, label, node_country or None, sector_code, True, events)
    label = rest if not country or re.search(r"\([A-Z]{3}\)$", rest) else f"{rest} ({country})"
    return Node(key, label, country, sector, False, events)


# -- splits ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SplitRecord:
    """An analyst's decision that a mention of this event and another mention report
    different events, and the canonical event that other mention is in now."""
    mention: str              # DOC_ID:EVENT_ID of this event's mention
    other: str                # DOC_ID:EVENT_ID kept apart from it
    other_event: str | None
    note: str | None
    created_at: str | None


def splits_of(con: Any, event_id: str) -> list[SplitRecord]:
    """The stored splits that involve a mention of this canonical event."""
    rows = con.execute(
        "SELECT s.doc_a || ':' || s.event_a, s.doc_b || ':' || s.event_b, a.canonical_id, b.canonical_id,"
        " s.note, CAST(s.created_at AS VARCHAR) FROM fusion_splits s"
        " LEFT JOIN canonical_members a ON a.doc_id = s.doc_a AND a.event_id = s.event_a"
        " LEFT JOIN canonical_members b ON b.doc_id = s.doc_b AND b.event_id = s.event_b"
        " WHERE a.canonical_id = ? OR b.canonical_id = ? ORDER BY 1, 2", [event_id, event_id]).fetchall()
    return [SplitRecord(first, second, other, note, created) if mine == event_id
            else SplitRecord(second, first, mine, note, created)
            for first, second, mine, other, note, created in rows]


# -- summary -----------------------------------------------------------------------------------


def summary(con: Any) -> dict[str, Any]:
    """Counts for the page header, in one query."""
    events, multi, first, last, documents = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE num_articles > 1), min(date_key), max(date_key),"
        " (SELECT count(*) FROM documents) FROM canonical_events").fetchone()
    return {"canonical_events": int(events), "multi_source_events": int(multi or 0),
            "documents": int(documents), "first_date": first, "last_date": last}

