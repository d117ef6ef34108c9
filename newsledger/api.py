"""The read-only HTTP API and the analyst's web app, served by one process.

`newsledger serve --db FILE` (127.0.0.1:8000 by default) runs `create_app(db)` under uvicorn.
Every route is GET; OpenAPI docs are at /docs and /openapi.json; the web app (static files
in `newsledger/web/`, no CDN, no tile server) is at /.

- /api/events               canonical events, filtered (actor, type, country, since, until, q)
- /api/events/{id}          one event: its mentions with evidence, and each source document
                            with its body, the evidence spans to highlight and its quotes
- /api/actors               actors by name; /api/actors/{name}/timeline: their events
- /api/network              who acted on whom, by type (edges between actor names)
- /api/map                  events with coordinates
- /api/documents, /api/documents/{id}    documents, and one with every layer's spans
- /api/summary              counts, types, countries, date range
- /api/view/...             the web app's views (newsledger.views): events sorted by any column,
                            facets, time axis, map clusters, network, splits, CSV/JSON of a view

The database is opened read-only for each request and closed after it, so no lock is held
between requests and `newsledger ingest` can add reports while the app runs (a request made
while an ingest writes a batch waits for it). The canonical events are fused on first use and
fused again when the database file has changed. Every SQL value is a bound parameter (see
`newsledger.store`). Lists take `limit` (1..500) and `offset` (0..1e9) and answer
`{"total", "limit", "offset", "items"}`, `total` counting every match. Documents are named by
their file name or URL, never a local path. Only requests whose Host header names a trusted
host are answered (loopback names by default; `serve --host` adds its own). Every error has
one JSON shape: `{"error": {"status": 404, "code": "not_found", "message": "..."}}`.
"""
from __future__ import annotations

import os
import socket
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .errors import NewsledgerError
from .fuse import CanonicalEvent, EventFilter, fuse_store, select
from .store import Store

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000_000
# How long a request waits for an ingest that is writing a batch (seconds).
READ_WAIT_SECONDS = 10.0
LOOPBACK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1", "[::1]")


class NotFound(Exception):
    """A resource the API does not have (answered 404 in the JSON error shape)."""


def web_dir() -> Path:
    """The folder of the web app's static files inside the package."""
    return Path(str(importlib_resources.files("newsledger").joinpath("web")))


class Ledger:
    """The database of one app, opened read-only per request, and its canonical events."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)
        self._lock = threading.Lock()
        self._events: list[CanonicalEvent] | None = None
        self._by_id: dict[str, CanonicalEvent] = {}
        self._fused_version: tuple[int, ...] | None = None

    @contextmanager
    def _store(self) -> Iterator[Store]:
        """The read-only store for one request, closed after it (E401 when it cannot open)."""
        store = Store.open(self.db_path, read_only=True, wait=READ_WAIT_SECONDS)
        try:
            yield store
        finally:
            store.close()

    def _version(self) -> tuple[int, ...]:
        """What changes when a writer changes the database: size and time of the file and its WAL."""
        version: list[int] = []
        for path in (self.db_path, self.db_path.with_name(self.db_path.name + ".wal")):
            try:
                info = os.stat(path)
                version += [info.st_size, info.st_mtime_ns]
            except OSError:
                version += [-1, -1]
        return tuple(version)

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """The store for several reads of one request; one request at a time."""
        with self._lock, self._store() as store:
            yield store

    def query(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call one Store read method."""
        with self.reading() as store:
            return getattr(store, method)(*args, **kwargs)

    def events(self) -> list[CanonicalEvent]:
        """The canonical events, fused again when the database has changed since."""
        with self._lock:
            version = self._version()
            if self._events is None or version != self._fused_version:
                with self._store() as store:
                    self._events = fuse_store(store)
                self._by_id = {e.id: e for e in self._events}
                self._fused_version = version
            return self._events

    def event_page(self, wanted: EventFilter, limit: int, offset: int) -> tuple[list[dict[str, Any]], int] | None:
        """A page of canonical event records read from the store's canonical table, or None
        when the table does not hold every stored event (an older file: fuse in memory)."""
        from .canonical import canonical_page, is_current

        with self.reading() as store:
            if not is_current(store):
                return None
            return canonical_page(store, wanted, limit, offset)

    def event(self, event_id: str) -> CanonicalEvent:
        self.events()
        if event_id not in self._by_id:
            raise NotFound(f"no event {event_id}")
        return self._by_id[event_id]


def public_source(source: str | None) -> str | None:
    """A document's source as the app shows it: a URL as it is, a local file by its name only
    (a WARC record keeps its @offset), never the directories of the machine it was read on."""
    if not source or "://" in source:
        return source
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def trusted_hosts(bind_host: str | None = None) -> list[str]:
    """The Host header values the app answers: loopback names, and the address it is bound to
    (with this machine's name when it listens on every interface)."""
    hosts = list(LOOPBACK_HOSTS)
    if bind_host and bind_host not in hosts:
        hosts.append(f"[{bind_host}]" if ":" in bind_host else bind_host)
        if bind_host in ("0.0.0.0", "::"):
            hosts.append(socket.gethostname())
    return hosts


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "code": code, "message": message}}, status_code=status)


def _page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def _summary(event: CanonicalEvent) -> dict[str, Any]:
    """An event for lists: everything but the mentions and merge details."""
    record = event.to_json(with_mentions=False)
    record["merges"] = len(record["merges"])
    record["disagreements"] = sorted(record["disagreements"])
    record["outlets"] = event.outlets
    return record


def _record_summary(record: dict[str, Any]) -> dict[str, Any]:
    """`_summary` of a stored canonical record (`CanonicalEvent.to_json`)."""
    mentions = record.get("mentions") or []
    summary = {k: v for k, v in record.items() if k != "mentions"}
    summary["merges"] = len(record.get("merges") or [])
    summary["disagreements"] = sorted(record.get("disagreements") or {})
    summary["outlets"] = list(dict.fromkeys(
        (m.get("document") or {}).get("outlet") or f"document:{m.get('doc_id')}" for m in mentions))
    return summary


def create_app(db_path: str | Path, allowed_hosts: Sequence[str] | None = None) -> FastAPI:
    """The FastAPI application over one database file (opened read-only per request).
    `allowed_hosts`: the Host header values answered (default: loopback names)."""
    ledger = Ledger(db_path)

    app = FastAPI(
        title="newsledger", version="1", docs_url=None, redoc_url=None,
        description="Read-only access to sourced event records: canonical events merged across "
                    "sources, their mentions and evidence, actors, documents.",
    )
    app.state.ledger = ledger
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts or LOOPBACK_HOSTS))

    @app.exception_handler(NewsledgerError)
    async def newsledger_error(_: Request, err: NewsledgerError) -> JSONResponse:
        status = 503 if err.code == "E401" else 400
        return _error(status, err.code, err.message)

    @app.exception_handler(NotFound)
    async def not_found(_: Request, err: NotFound) -> JSONResponse:
        return _error(404, "not_found", str(err))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, err: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(err.status_code, "http_error")
        return _error(err.status_code, code, str(err.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}" for e in err.errors())
        return _error(400, "E402", f"a query option is invalid ({problems})")

    @app.exception_handler(Exception)
    async def internal(_: Request, err: Exception) -> JSONResponse:
        return _error(500, "internal", f"internal error: {type(err).__name__}")

    def chosen(actor: str | None, type_: str | None, country: str | None, since: str | None,
               until: str | None, q: str | None) -> list[CanonicalEvent]:
        return select(ledger.events(), EventFilter(actor, type_, country, since, until, q))

    limit_query = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Page size (1..500).")
    offset_query = Query(0, ge=0, le=MAX_OFFSET, description="Items to skip (0..1e9).")

    @app.get("/api/events", tags=["events"])
    def list_events(
        actor: str | None = Query(None, max_length=200, description="Substring of a participant's name."),
        type: str | None = Query(None, max_length=20, description="A PLOVER type, e.g. ASSAULT."),  # noqa: A002
        country: str | None = Query(None, max_length=3, description="ISO alpha-3 of a participant."),
        since: str | None = Query(None, max_length=10, description="YYYY[-MM[-DD]]"),
        until: str | None = Query(None, max_length=10, description="YYYY[-MM[-DD]]"),
        q: str | None = Query(None, max_length=200, description="Text in the evidence or a title."),
        limit: int = limit_query, offset: int = offset_query,
    ) -> dict[str, Any]:
        """Canonical events in timeline order, each with its sources and counts."""
        page = ledger.event_page(EventFilter(actor, type, country, since, until, q), limit, offset)
        if page is not None:
            records, total = page
            return _page([_record_summary(r) for r in records], total, limit, offset)
        found = chosen(actor, type, country, since, until, q)
        return _page([_summary(e) for e in found[offset: offset + limit]], len(found), limit, offset)

    @app.get("/api/events/{event_id}", tags=["events"])
    def one_event(event_id: str) -> dict[str, Any]:
        """One canonical event with its mentions and each source document's text, the evidence
        spans to highlight in it, and its quotes (`states_event`: the quote states a mention)."""
        event = ledger.event(event_id)
        with ledger.reading() as store:
            records = [store.document(doc_id) for doc_id in event.documents]
        documents = []
        for doc_id, record in zip(event.documents, records):
            if record is None:
                continue
            mine = [m for m in event.mentions if m.doc_id == doc_id]
            stated = {m.quote_seq for m in mine if m.quote_seq is not None}
            names = {a["id"]: a["name"] for a in record["actors"]}
            documents.append({
                "id": doc_id, "title": record["title"], "outlet": record["outlet"],
                "published": record["published"], "url": record["url"], "body": record["body"],
                "highlights": [{"event_id": m.event_id, "start": m.evidence_start, "end": m.evidence_end}
                               for m in mine if m.evidence_start is not None],
                "quotes": [_quote(q, names) | {"states_event": seq in stated}
                           for seq, q in enumerate(record["quotes"])],
            })
        return {"event": event.to_json(), "documents": documents}

    @app.get("/api/actors", tags=["actors"])
    def list_actors(q: str | None = Query(None, max_length=200, description="Substring of the name."),
                    limit: int = limit_query, offset: int = offset_query) -> dict[str, Any]:
        """Actors by name, most active first."""
        with ledger.reading() as store:
            items, total = store.actor_index(limit + 1, offset, q), store.actors_total(q)
        return _page(items[:limit], total, limit, offset) | {"more": len(items) > limit}

    @app.get("/api/actors/{name}/timeline", tags=["actors"])
    def actor_timeline(name: str, limit: int = limit_query, offset: int = offset_query) -> dict[str, Any]:
        """Canonical events in which an actor of exactly this name (any case) takes part."""
        wanted = name.casefold()
        found = [e for e in ledger.events()
                 if any(p.name.casefold() == wanted for m in e.mentions for p in m.sources + m.targets)]
        if not found:
            raise NotFound(f"no events of an actor named {name!r}")
        items = []
        for event in found[offset: offset + limit]:
            record = _summary(event)
            record["role"] = sorted({side for m in event.mentions for side, people in
                                     (("source", m.sources), ("target", m.targets))
                                     if any(p.name.casefold() == wanted for p in people)})
            items.append(record)
        return _page(items, len(found), limit, offset) | {"actor": name}

    @app.get("/api/network", tags=["actors"])
    def network(actor: str | None = Query(None, max_length=200), type: str | None = Query(None, max_length=20),  # noqa: A002
                country: str | None = Query(None, max_length=3), since: str | None = Query(None, max_length=10),
                until: str | None = Query(None, max_length=10), q: str | None = Query(None, max_length=200),
                limit: int = limit_query) -> dict[str, Any]:
        """Who acted on whom: edges (source, target, type, events), heaviest first."""
        edges: Counter[tuple[str, str, str]] = Counter()
        countries: dict[str, str | None] = {}
        for event in chosen(actor, type, country, since, until, q):
            record = event.to_json(with_mentions=False)
            for s_name, s_country in zip(record["source_names"], record["source_countries"], strict=False):
                countries.setdefault(s_name, s_country)
                for t_name, t_country in zip(record["target_names"], record["target_countries"], strict=False):
                    countries.setdefault(t_name, t_country)
                    if s_name != t_name:
                        edges[(s_name, t_name, event.type)] += 1
        ranked = sorted(edges.items(), key=lambda item: (-item[1], item[0]))[:limit]
        names = sorted({n for (s, t, _), _ in ranked for n in (s, t)})
        return {"nodes": [{"name": n, "country": countries.get(n)} for n in names],
                "edges": [{"source": s, "target": t, "type": ty, "events": c} for (s, t, ty), c in ranked],
                "total": len(edges), "limit": limit}

    @app.get("/api/map", tags=["events"])
    def event_map(actor: str | None = Query(None, max_length=200), type: str | None = Query(None, max_length=20),  # noqa: A002
                  country: str | None = Query(None, max_length=3), since: str | None = Query(None, max_length=10),
                  until: str | None = Query(None, max_length=10), q: str | None = Query(None, max_length=200),
                  limit: int = limit_query) -> dict[str, Any]:
        """Events that have coordinates: id, type, date, place, lat, lon, articles."""
        points = []
        for event in chosen(actor, type, country, since, until, q):
            record = event.to_json(with_mentions=False)
            if record["lat"] is not None and record["lon"] is not None:
                points.append({k: record[k] for k in ("id", "type", "date_value", "place_name", "place_country",
                                                       "lat", "lon", "num_articles", "killed")})
        return {"total": len(points), "limit": limit, "items": points[:limit]}

    @app.get("/api/documents", tags=["documents"])
    def list_documents(q: str | None = Query(None, max_length=200, description="Text in the title, outlet or body."),
                       limit: int = limit_query, offset: int = offset_query) -> dict[str, Any]:
        """Documents, newest first (without their bodies)."""
        with ledger.reading() as store:
            items, total = store.documents_page(limit + 1, offset, q), store.documents_total(q)
        shown = [item | {"source": public_source(item.get("source"))} for item in items[:limit]]
        return _page(shown, total, limit, offset) | {"more": len(items) > limit}

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def one_document(doc_id: str) -> dict[str, Any]:
        """A document's body and every layer: actors with mentions, timexes, places, quotes, events."""
        record = ledger.query("document", doc_id)
        if record is None:
            raise NotFound(f"no document {doc_id}")
        return record | {"source": public_source(record.get("source"))}

    @app.get("/api/summary", tags=["summary"])
    def summary() -> dict[str, Any]:
        """Counts of stored rows and canonical events, by type and country, and the date range."""
        events = ledger.events()
        records = [e.to_json(with_mentions=False) for e in events]
        keys = sorted(r["date_key"] for r in records if r["date_key"])
        return {
            "stored": ledger.query("counts"),
            "canonical_events": len(events),
            "multi_source_events": sum(1 for r in records if r["num_articles"] > 1),
            "by_type": dict(Counter(r["type"] for r in records).most_common()),
            "by_country": dict(Counter(r["place_country"] for r in records if r["place_country"]).most_common()),
            "first_date": keys[0] if keys else None,
            "last_date": keys[-1] if keys else None,
        }

    add_view_routes(app, ledger)
    web = web_dir()
    app.mount("/static", StaticFiles(directory=str(web)), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(web / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        """The API reference, rendered offline from /openapi.json (no CDN-hosted Swagger UI)."""
        return FileResponse(web / "docs.html", media_type="text/html")

    return app


# -- the web app's views (newsledger.views): SQL over the canonical tables ----------------------


def view_filter(
    type: str | None = Query(None, max_length=20, description="A PLOVER type, e.g. ASSAULT."),  # noqa: A002
    actor: str | None = Query(None, max_length=200, description="Substring of a participant's name."),
    sector: str | None = Query(None, max_length=8, description="PLOVER sector of the first source or target."),
    country: str | None = Query(None, max_length=3, description="ISO alpha-3 of the place."),
    participant_country: str | None = Query(None, max_length=3, description="ISO alpha-3 of a participant."),
    admin1: str | None = Query(None, max_length=20, description="ISO 3166-2 code of the place's admin1."),
    outlet: str | None = Query(None, max_length=200, description="An outlet among the event's documents."),
    since: str | None = Query(None, max_length=10, description="YYYY[-MM[-DD]]: the event's period ends after it."),
    until: str | None = Query(None, max_length=10, description="YYYY[-MM[-DD]]: the event's period starts by it."),
    q: str | None = Query(None, max_length=200, description="Text in the evidence or a title."),
    bbox: str | None = Query(None, max_length=100, description="south,west,north,east in degrees."),
    node: str | None = Query(None, max_length=220, description="A network node: actor:NAME or sector:CODE:ISO3."),
) -> Any:
    """The filter shared by every view (`newsledger.views.ViewFilter`)."""
    from .views import ViewFilter

    return ViewFilter.parse(type=type, actor=actor, sector=sector, country=country,
                            participant_country=participant_country, admin1=admin1, outlet=outlet,
                            since=since, until=until, q=q, bbox=bbox, node=node)


def add_view_routes(app: FastAPI, ledger: Ledger) -> None:
    """/api/view/...: the table (sorted, paged), facets, time axis, map clusters, network,
    summary and downloads of exactly the filtered and sorted view, all read with SQL."""
    from dataclasses import asdict

    from fastapi import Depends

    from . import views

    limit_query = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Page size (1..500).")
    offset_query = Query(0, ge=0, le=MAX_OFFSET, description="Items to skip (0..1e9).")
    sort_query = Query(None, max_length=20, description=f"One of {', '.join(views.SORTS)}.")
    dir_query = Query(None, max_length=4, description="asc or desc.")

    @app.get("/api/view/events", tags=["views"])
    def view_events(wanted: Any = Depends(view_filter), sort: str | None = sort_query,
                    dir: str | None = dir_query,  # noqa: A002
                    limit: int = limit_query, offset: int = offset_query) -> dict[str, Any]:
        """The filtered events in any column's order, one page (table rows, not full records)."""
        order = views.Sort.parse(sort, dir)
        with ledger.reading() as store:
            page = views.events_page(store.connection, wanted, order, limit, offset)
        return _page(page.items, page.total, limit, offset) | {"sort": order.column, "dir": "desc" if order.descending else "asc"}

    @app.get("/api/view/facets", tags=["views"])
    def view_facets(wanted: Any = Depends(view_filter),
                    limit: int = Query(10, ge=1, le=100, description="Values per facet.")) -> dict[str, Any]:
        """Counts of the filtered events by type, actor, country, admin1 and outlet."""
        with ledger.reading() as store:
            found = views.facets(store.connection, wanted, limit)
        return {name: [asdict(v) for v in values] for name, values in found.items()}

    @app.get("/api/view/timeline", tags=["views"])
    def view_timeline(wanted: Any = Depends(view_filter),
                      bin: str | None = Query(None, max_length=5, description="day, week, month or year (default: by span).")  # noqa: A002
                      ) -> dict[str, Any]:
        """Counts per bin; events coarser than the bin as periods they span."""
        with ledger.reading() as store:
            return asdict(views.timeline(store.connection, wanted, bin))

    @app.get("/api/view/map", tags=["views"])
    def view_map(wanted: Any = Depends(view_filter),
                 zoom: float = Query(1.0, ge=0.0, le=16.0, description="Zoom level: the cell shrinks by 2 per level."),
                 limit: int = Query(2000, ge=1, le=5000, description="Most clusters.")) -> dict[str, Any]:
        """The filtered events with coordinates, clustered in a grid for this zoom level."""
        with ledger.reading() as store:
            clusters, total = views.map_clusters(store.connection, wanted, zoom, limit)
        return {"zoom": zoom, "cell_degrees": views.cell_degrees(zoom), "total": total,
                "items": [asdict(c) for c in clusters]}

    @app.get("/api/view/network", tags=["views"])
    def view_network(wanted: Any = Depends(view_filter),
                     limit: int = Query(60, ge=1, le=300, description="Most edges.")) -> dict[str, Any]:
        """Who acted on whom by type; generic participants folded into sector nodes."""
        with ledger.reading() as store:
            nodes, edges = views.network(store.connection, wanted, limit)
        return {"nodes": [asdict(n) for n in nodes], "edges": [asdict(e) for e in edges]}

    @app.get("/api/view/events/{event_id}/splits", tags=["views"])
    def view_splits(event_id: str) -> dict[str, Any]:
        """The analysts' splits that keep a mention of this event apart from another mention."""
        with ledger.reading() as store:
            return {"event": event_id, "items": [asdict(s) for s in views.splits_of(store.connection, event_id)]}

    @app.get("/api/view/summary", tags=["views"])
    def view_summary() -> dict[str, Any]:
        """Counts of canonical events and documents, and the date range."""
        with ledger.reading() as store:
            return views.summary(store.connection)

    @app.get("/api/view/export.{form}", tags=["views"])
    def view_export(form: str, wanted: Any = Depends(view_filter), sort: str | None = sort_query,
                    dir: str | None = dir_query) -> StreamingResponse:  # noqa: A002
        """Every event of the filtered, sorted view as CSV or JSON (a list of rows)."""
        if form not in ("csv", "json"):
            raise NotFound(f"no export format {form!r}: csv or json")
        order = views.Sort.parse(sort, dir)

        def rows() -> Iterator[dict[str, Any]]:
            with ledger.reading() as store:
                yield from views.export_rows(store.connection, wanted, order)

        def json_text() -> Iterator[str]:
            import json

            yield "["
            for n, row in enumerate(rows()):
                yield ("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False, default=str)
            yield "\n]\n"

        media = "text/csv; charset=utf-8" if form == "csv" else "application/json"
        body = views.csv_lines(rows()) if form == "csv" else json_text()
        return StreamingResponse(body, media_type=media,
                                 headers={"Content-Disposition": f'attachment; filename="events.{form}"'})


def _quote(quote: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A stored quote for the web app, its speaker given by name (`names`: actor id -> name)."""
    return {"kind": quote["kind"], "text": quote["text"], "start": quote["start"], "end": quote["end"],
            "speaker": names.get(quote["speaker"]) if quote.get("speaker") else None,
            "speaker_text": quote["speaker_text"], "cue": quote["cue"]}


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000,
          announce: Any = print, allowed_hosts: Sequence[str] = ()) -> None:
    """Run the app under uvicorn until interrupted; the database must exist (E401 otherwise)
    and the port be free (E405). `announce` is told the URL once the port is bound;
    `allowed_hosts` adds Host header values to the trusted ones."""
    import uvicorn

    Store.open(db_path, read_only=True).close()      # fail early with a one-line E401
    listener = bind_port(host, port)
    shown = f"[{host}]" if ":" in host else host
    announce(f"newsledger: serving {db_path} at http://{shown}:{listener.getsockname()[1]}/ (Ctrl+C to stop)")
    config = uvicorn.Config(create_app(db_path, [*trusted_hosts(host), *allowed_hosts]), log_level="warning")
    uvicorn.Server(config).run(sockets=[listener])


def bind_port(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or E405 when the port is taken or the host unknown."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        raise NewsledgerError("E405", f"{host}: {err.strerror or err}") from None
    family, kind, proto, _, address = infos[0]
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
        listener.listen(2048)
    except OSError as err:
        listener.close()
        raise NewsledgerError("E405", f"{host}:{port}: {err.strerror or err}; choose another --port") from None
    listener.set_inheritable(True)
    return listener
