"""The HTTP API and the analyst's web app, served by one process.

`newsledger serve --db FILE` (127.0.0.1:8000 by default) runs `create_app(db)` under uvicorn.
Every route is GET (read-only) unless `serve --allow-edits` adds the two POST routes of
`add_edit_routes` (split an event, undo a split); OpenAPI docs are at /docs and /openapi.json;
the web app (static files in `newsledger/web/`, no CDN, no tile server) is at /.

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
- POST /api/edit/split, /api/edit/unsplit   only with --allow-edits (see `add_edit_routes`)
- POST /api/extract         only with --allow-extract, only to a client on this machine: the
                            resident pipeline of `newsledger extract --server` (`add_extract_route`)

The database is attached read-only to one in-memory DuckDB instance kept by the app (where
opening a new instance takes a hundred milliseconds or more) and stays attached while requests
keep coming, so its blocks stay in DuckDB's cache; it is let go as soon as a writer says it
waits for it (`newsledger ingest` adds reports while the app runs; a request made while an
ingest writes a batch waits for it), after `ATTACH_IDLE_SECONDS` without a request, and at the
latest `ATTACH_LEASE_SECONDS` after it was attached. Answers are written as JSON once
(`JSONText`), not validated and encoded again by FastAPI. Every route answers from the tables with SQL
filters and limits (canonical events from `canonical_events`, kept on ingest: see
`newsledger.canonical`), never by loading all mentions; a request taking longer than
`read_timeout` seconds is stopped and answered 503 with code E406. Every SQL value is a bound
parameter (see `newsledger.store`). Lists take `limit` (1..500) and `offset` (0..1e9) and answer
`{"total", "limit", "offset", "items"}`, `total` counting every match. Documents are named by
their file name or URL, never a local path. Only requests whose Host header names a trusted
host are answered (loopback names by default; `serve --host` adds its own). Every error has
one JSON shape: `{"error": {"status": 404, "code": "not_found", "message": "..."}}`.
"""
from __future__ import annotations

import atexit
import json
import secrets
import socket
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from . import canonical
from .errors import NewsledgerError
from .fuse import EventFilter
from .store import LOCK_RETRY_SECONDS, Store, keeps_attached, writer_waiting

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000_000
# How long a request waits for an ingest that is writing a batch (seconds).
READ_WAIT_SECONDS = 10.0
# How long one request's reads may take (seconds; the `read_timeout` setting).
READ_TIMEOUT_SECONDS = 10.0
# The database stays attached between requests: it is let go after the request during which
# a writer says it waits for it (`store.writer_waiting`: ingest, refuse, split), after this
# long without a request, and at the latest this long after it was attached (for a writer that
# does not say so); then requests are held back up to `WRITER_TURN_SECONDS` while the writer
# takes the file (it retries every `store.LOCK_RETRY_SECONDS`) (seconds).
ATTACH_IDLE_SECONDS = 2.0
ATTACH_LEASE_SECONDS = 60.0
WRITER_TURN_SECONDS = 0.15
RELEASE_CHECK_SECONDS = 0.1
# An export is spooled in memory up to this size, on disk beyond it; streamed in chunks.
EXPORT_SPOOL_BYTES = 8 * 1024 * 1024
EXPORT_CHUNK_BYTES = 256 * 1024
LOOPBACK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1", "[::1]")


class NotFound(Exception):
    """A resource the API does not have (answered 404 in the JSON error shape)."""


def web_dir() -> Path:
    """The folder of the web app's static files inside the package."""
    return Path(str(importlib_resources.files("newsledger").joinpath("web")))


_LEDGERS: weakref.WeakSet[Ledger] = weakref.WeakSet()


@atexit.register
def _close_ledgers() -> None:
    """Close every app's DuckDB instance before the interpreter finalizes: an instance made on a
    request thread and left to the finalizer can abort the process as it exits (a forced unwind
    through DuckDB's C++ frames: "terminate called ... exception not rethrown")."""
    for ledger in list(_LEDGERS):
        ledger.close()


class Ledger:
    """The database of one app, attached read-only while requests come (see the module's
    docstring), one request at a time."""

    def __init__(self, db_path: str | Path, read_timeout: float = READ_TIMEOUT_SECONDS):
        self.db_path = Path(db_path)
        self.read_timeout = read_timeout
        self._lock = threading.RLock()   # re-entered when this app's own edit opens the file for writing
        self._instance: duckdb.DuckDBPyConnection | None = None
        self._store: Store | None = None
        self._attached_at = 0.0
        self._used_at = 0.0
        keeps_attached(self)
        _LEDGERS.add(self)

    def close(self) -> None:
        """Let the file go and close the in-memory DuckDB instance (at exit: `_close_ledgers`)."""
        with self._lock:
            self._detach()
            if self._instance is not None:
                self._instance.close()
                self._instance = None

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """The read-only store for the reads of one request (E401 when the file cannot be
        read); reads stopped with E406 after `read_timeout`."""
        with self._lock:
            store = self._attached()
            try:
                with store.time_limit(self.read_timeout):
                    yield store
            except duckdb.Error:   # the attachment may be unusable: the next request attaches anew
                self._detach()
                raise
            finally:
                self._used_at = time.monotonic()
                if writer_waiting(self.db_path):
                    self._detach()

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The store opened for writing, for one edit (the read-only attachment let go first);
        an ingest holding the file is waited for, then E401."""
        with self._lock:
            self._detach()
            with Store.open(self.db_path, wait=READ_WAIT_SECONDS) as store:
                yield store

    def query(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call one Store read method."""
        with self.reading() as store:
            return getattr(store, method)(*args, **kwargs)

    def release(self, path: Path) -> None:
        """Let the file go when it is `path` (this process is about to write it)."""
        if path.resolve() == self.db_path.resolve():
            with self._lock:
                self._detach()

    def _attached(self) -> Store:
        """The attached store (under the lock): the current one while its lease lasts, else a
        new attachment, after a writer's turn when the old one was given up."""
        if self._store is not None:
            if time.monotonic() - self._attached_at < ATTACH_LEASE_SECONDS:
                return self._store
            self._detach()
            time.sleep(WRITER_TURN_SECONDS)
        give_way = time.monotonic() + WRITER_TURN_SECONDS
        while writer_waiting(self.db_path) and time.monotonic() < give_way:
            time.sleep(LOCK_RETRY_SECONDS / 2)
        if self._instance is None:
            self._instance = duckdb.connect(":memory:")
        store = Store.attach(self._instance, self.db_path, wait=READ_WAIT_SECONDS)
        self._store, self._attached_at = store, time.monotonic()
        self._used_at = self._attached_at
        # Not a daemon: a daemon thread still inside DuckDB when the interpreter finalizes is
        # ended by a forced unwind through DuckDB's C++ frames, which aborts the process; this
        # one ends by itself once the attachment is idle (ATTACH_IDLE_SECONDS), so exit waits that long at most.
        threading.Thread(target=self._release, args=(store,), name="newsledger-release").start()
        return store

    def _release(self, store: Store) -> None:
        """Detach `store` when a writer waits, once idle for `ATTACH_IDLE_SECONDS` or when its
        lease ends (then holding requests back for a writer's turn); the thread ends with the
        attachment."""
        while True:
            time.sleep(RELEASE_CHECK_SECONDS)
            with self._lock:
                if self._store is not store:
                    return
                now = time.monotonic()
                if now - self._attached_at >= ATTACH_LEASE_SECONDS:
                    self._detach()
                    time.sleep(WRITER_TURN_SECONDS)
                    return
                if now - self._used_at >= ATTACH_IDLE_SECONDS or writer_waiting(self.db_path):
                    self._detach()
                    return

    def _detach(self) -> None:
        """Let the file go (under the lock); an instance that cannot detach it is dropped, so
        the next request starts on a fresh one instead of meeting a file it cannot attach."""
        store, self._store = self._store, None
        if store is None:
            return
        try:
            store.close()
        except duckdb.Error:
            if self._instance is not None:
                self._instance.close()
            self._instance = None


class JSONText(Response):
    """A JSON answer written once by the standard library. A route returning a dict has it
    validated against its annotation and converted by FastAPI's `jsonable_encoder` first
    (10-20 ms of CPU for a page of 100 events at a million mentions, against 1-3 ms for the
    encoding itself)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"),
                          default=str).encode("utf-8")


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


def _record_summary(record: dict[str, Any]) -> dict[str, Any]:
    """An event for lists: its stored record (`CanonicalEvent.to_json`) without the mentions
    and merge details, with its outlets."""
    mentions = record.get("mentions") or []
    summary = {k: v for k, v in record.items() if k != "mentions"}
    summary["merges"] = len(record.get("merges") or [])
    summary["disagreements"] = sorted(record.get("disagreements") or {})
    summary["outlets"] = list(dict.fromkeys(
        (m.get("document") or {}).get("outlet") or f"document:{m.get('doc_id')}" for m in mentions))
    return summary


def create_app(db_path: str | Path, allowed_hosts: Sequence[str] | None = None,
               read_timeout: float = READ_TIMEOUT_SECONDS, allow_edits: bool = False,
               extract_settings: Any = None) -> FastAPI:
    """The FastAPI application over one database file (opened read-only per request).
    `allowed_hosts`: the Host header values answered (default: loopback names);
    `read_timeout`: seconds a request's reads may take (0: no limit);
    `allow_edits`: add the POST routes that split events and undo splits (`add_edit_routes`);
    `extract_settings`: add POST /api/extract, run with these settings (`add_extract_route`)."""
    ledger = Ledger(db_path, read_timeout)

    app = FastAPI(
        title="newsledger", version="1", docs_url=None, redoc_url=None,
        description="Read-only access to sourced event records: canonical events merged across "
                    "sources, their mentions and evidence, actors, documents.",
    )
    app.state.ledger = ledger
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts or LOOPBACK_HOSTS))

    @app.exception_handler(NewsledgerError)
    async def newsledger_error(_: Request, err: NewsledgerError) -> JSONResponse:
        status = 503 if err.code in ("E401", "E406") else 403 if err.code == "E407" else 400
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
    ) -> JSONText:
        """Canonical events in timeline order, each with its sources and counts."""
        with ledger.reading() as store:
            records, total = canonical.canonical_page(
                store, EventFilter(actor, type, country, since, until, q), limit, offset)
        return JSONText(_page([_record_summary(r) for r in records], total, limit, offset))

    @app.get("/api/events/{event_id}", tags=["events"])
    def one_event(event_id: str) -> JSONText:
        """One canonical event with its mentions and each source document's text, the evidence
        spans to highlight in it, and its quotes (`states_event`: the quote states a mention)."""
        with ledger.reading() as store:
            record = canonical.canonical_record(store, event_id)
            if record is None:
                raise NotFound(f"no event {event_id}")
            sources = store.source_documents(
                record["sources"], [(m["doc_id"], m["event_id"]) for m in record.get("mentions") or []])
        documents = []
        for doc_id in record["sources"]:
            if doc_id not in sources:
                continue
            source = sources[doc_id]
            mine = [m for m in record.get("mentions") or [] if m["doc_id"] == doc_id]
            stated = {source["quote_of"][m["event_id"]] for m in mine if m["event_id"] in source["quote_of"]}
            documents.append({
                "id": doc_id, "title": source["title"], "outlet": source["outlet"],
                "published": source["published"], "url": source["url"], "body": source["body"],
                "highlights": [{"event_id": m["event_id"], "start": m["evidence"]["start"], "end": m["evidence"]["end"]}
                               for m in mine if m["evidence"]["start"] is not None],
                "quotes": [quote | {"states_event": seq in stated} for seq, quote in enumerate(source["quotes"])],
            })
        return JSONText({"event": record, "documents": documents})

    @app.get("/api/actors", tags=["actors"])
    def list_actors(q: str | None = Query(None, max_length=200, description="Substring of the name."),
                    limit: int = limit_query, offset: int = offset_query) -> JSONText:
        """Actors by name, most active first."""
        with ledger.reading() as store:
            items, total = store.actor_index(limit + 1, offset, q), store.actors_total(q)
        return JSONText(_page(items[:limit], total, limit, offset) | {"more": len(items) > limit})

    @app.get("/api/actors/{name}/timeline", tags=["actors"])
    def actor_timeline(name: str, limit: int = limit_query, offset: int = offset_query) -> JSONText:
        """Canonical events in which an actor of exactly this name (any case) takes part."""
        with ledger.reading() as store:
            records, total = canonical.actor_page(store, name, limit, offset)
        if not total:
            raise NotFound(f"no events of an actor named {name!r}")
        wanted = name.casefold()
        items = []
        for record in records:
            item = _record_summary(record)
            item["role"] = sorted(side for side in ("source", "target")
                                  if any(n.casefold() == wanted for n in record[f"{side}_names"]))
            items.append(item)
        return JSONText(_page(items, total, limit, offset) | {"actor": name})

    @app.get("/api/network", tags=["actors"])
    def network(actor: str | None = Query(None, max_length=200), type: str | None = Query(None, max_length=20),  # noqa: A002
                country: str | None = Query(None, max_length=3), since: str | None = Query(None, max_length=10),
                until: str | None = Query(None, max_length=10), q: str | None = Query(None, max_length=200),
                limit: int = limit_query) -> JSONText:
        """Who acted on whom: edges (source, target, type, events), heaviest first."""
        with ledger.reading() as store:
            edges, total = canonical.network_edges(store, EventFilter(actor, type, country, since, until, q), limit)
        countries: dict[str, str | None] = {}
        for edge in edges:
            countries.setdefault(edge.source, edge.source_country)
            countries.setdefault(edge.target, edge.target_country)
        return JSONText({"nodes": [{"name": n, "country": countries[n]} for n in sorted(countries)],
                         "edges": [{"source": e.source, "target": e.target, "type": e.type, "events": e.events}
                                   for e in edges],
                         "total": total, "limit": limit})

    @app.get("/api/map", tags=["events"])
    def event_map(actor: str | None = Query(None, max_length=200), type: str | None = Query(None, max_length=20),  # noqa: A002
                  country: str | None = Query(None, max_length=3), since: str | None = Query(None, max_length=10),
                  until: str | None = Query(None, max_length=10), q: str | None = Query(None, max_length=200),
                  limit: int = limit_query) -> JSONText:
        """Events that have coordinates, in timeline order: id, type, date, place, lat, lon, articles."""
        with ledger.reading() as store:
            points, total = canonical.map_points(store, EventFilter(actor, type, country, since, until, q), limit)
        return JSONText({"total": total, "limit": limit, "items": points})

    @app.get("/api/documents", tags=["documents"])
    def list_documents(q: str | None = Query(None, max_length=200, description="Text in the title, outlet or body."),
                       limit: int = limit_query, offset: int = offset_query) -> JSONText:
        """Documents, newest first (without their bodies)."""
        with ledger.reading() as store:
            items, total = store.documents_page(limit + 1, offset, q), store.documents_total(q)
        shown = [item | {"source": public_source(item.get("source"))} for item in items[:limit]]
        return JSONText(_page(shown, total, limit, offset) | {"more": len(items) > limit})

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def one_document(doc_id: str) -> JSONText:
        """A document's body and every layer: actors with mentions, timexes, places, quotes, events."""
        record = ledger.query("document", doc_id)
        if record is None:
            raise NotFound(f"no document {doc_id}")
        return JSONText(record | {"source": public_source(record.get("source"))})

    @app.get("/api/summary", tags=["summary"])
    def summary() -> JSONText:
        """Counts of stored rows and canonical events, by type and country, and the date range;
        `unfused_mentions`: stored event mentions not in a canonical event yet (`newsledger
        refuse` fuses them)."""
        with ledger.reading() as store:
            stored, found, unfused = store.counts(), canonical.canonical_summary(store), canonical.unfused(store)
        return JSONText({
            "stored": stored,
            "canonical_events": found.events,
            "multi_source_events": found.multi_source,
            "by_type": found.by_type,
            "by_country": found.by_country,
            "first_date": found.first_date,
            "last_date": found.last_date,
            "unfused_mentions": unfused,
        })

    add_view_routes(app, ledger)
    token = add_edit_routes(app, ledger) if allow_edits else ""
    if extract_settings is not None:
        add_extract_route(app, extract_settings)
    web = web_dir()
    app.mount("/static", StaticFiles(directory=str(web)), name="static")
    page = (web / "index.html").read_text(encoding="utf-8").replace(
        '<meta name="newsledger-edit-token" content="">', f'<meta name="newsledger-edit-token" content="{token}">')

    @app.get("/", include_in_schema=False)
    def index() -> HTMLResponse:
        """The page; with edits allowed it carries this server's edit token (not cached)."""
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

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
                    limit: int = limit_query, offset: int = offset_query) -> JSONText:
        """The filtered events in any column's order, one page (table rows, not full records)."""
        order = views.Sort.parse(sort, dir)
        with ledger.reading() as store:
            page = views.events_page(store.connection, wanted, order, limit, offset)
        return JSONText(_page(page.items, page.total, limit, offset) | {"sort": order.column, "dir": "desc" if order.descending else "asc"})

    @app.get("/api/view/facets", tags=["views"])
    def view_facets(wanted: Any = Depends(view_filter),
                    limit: int = Query(10, ge=1, le=100, description="Values per facet.")) -> JSONText:
        """Counts of the filtered events by type, actor, country, admin1 and outlet."""
        with ledger.reading() as store:
            found = views.facets(store.connection, wanted, limit)
        return JSONText({name: [asdict(v) for v in values] for name, values in found.items()})

    @app.get("/api/view/timeline", tags=["views"])
    def view_timeline(wanted: Any = Depends(view_filter),
                      bin: str | None = Query(None, max_length=5, description="day, week, month or year (default: by span).")  # noqa: A002
                      ) -> JSONText:
        """Counts per bin; events coarser than the bin as periods they span."""
        with ledger.reading() as store:
            return JSONText(asdict(views.timeline(store.connection, wanted, bin)))

    @app.get("/api/view/map", tags=["views"])
    def view_map(wanted: Any = Depends(view_filter),
                 zoom: float = Query(1.0, ge=0.0, le=16.0, description="Zoom level: the cell shrinks by 2 per level."),
                 limit: int = Query(2000, ge=1, le=5000, description="Most clusters.")) -> JSONText:
        """The filtered events with coordinates, clustered in a grid for this zoom level."""
        with ledger.reading() as store:
            clusters, total = views.map_clusters(store.connection, wanted, zoom, limit)
        return JSONText({"zoom": zoom, "cell_degrees": views.cell_degrees(zoom), "total": total,
                         "items": [asdict(c) for c in clusters]})

    @app.get("/api/view/network", tags=["views"])
    def view_network(wanted: Any = Depends(view_filter),
                     limit: int = Query(60, ge=1, le=300, description="Most edges.")) -> JSONText:
        """Who acted on whom by type; generic participants folded into sector nodes."""
        with ledger.reading() as store:
            nodes, edges = views.network(store.connection, wanted, limit)
        return JSONText({"nodes": [asdict(n) for n in nodes], "edges": [asdict(e) for e in edges]})

    @app.get("/api/view/events/{event_id}/splits", tags=["views"])
    def view_splits(event_id: str) -> JSONText:
        """The analysts' splits that keep a mention of this event apart from another mention."""
        with ledger.reading() as store:
            return JSONText({"event": event_id, "items": [asdict(s) for s in views.splits_of(store.connection, event_id)]})

    @app.get("/api/view/summary", tags=["views"])
    def view_summary() -> JSONText:
        """Counts of canonical events and documents, and the date range."""
        with ledger.reading() as store:
            return JSONText(views.summary(store.connection))

    @app.get("/api/view/export.{form}", tags=["views"])
    def view_export(form: str, wanted: Any = Depends(view_filter), sort: str | None = sort_query,
                    dir: str | None = dir_query) -> StreamingResponse:  # noqa: A002
        """Every event of the filtered, sorted view as CSV or JSON (a list of rows)."""
        if form not in ("csv", "json"):
            raise NotFound(f"no export format {form!r}: csv or json")
        order = views.Sort.parse(sort, dir)
        # The rows are read under the request's lock and time limit (a query stopped by
        # `read_timeout` answers 503 E406, not a cut-off file) into a spooled file, which is
        # streamed after the lock is released: a slow client holds no other request up.
        spool = tempfile.SpooledTemporaryFile(max_size=EXPORT_SPOOL_BYTES)
        try:
            with ledger.reading() as store:
                rows = views.export_rows(store.connection, wanted, order)
                for text in views.csv_lines(rows) if form == "csv" else views.json_lines(rows):
                    spool.write(text.encode("utf-8"))
        except BaseException:
            spool.close()
            raise
        spool.seek(0)

        def body() -> Iterator[bytes]:
            with spool:
                while chunk := spool.read(EXPORT_CHUNK_BYTES):
                    yield chunk

        media = "text/csv; charset=utf-8" if form == "csv" else "application/json"
        return StreamingResponse(body(), media_type=media,
                                 headers={"Content-Disposition": f'attachment; filename="events.{form}"'})


# -- edits (serve --allow-edits): split an event, undo a split ---------------------------------

EDIT_TOKEN_HEADER = "X-Newsledger-Token"


class SplitRequest(BaseModel):
    """Take mentions (DOC_ID:EVENT_ID) out of a canonical event, as `newsledger split`."""
    event: str = Field(max_length=64, description="The canonical event id (ev-...).")
    mentions: list[str] = Field(min_length=1, max_length=200, description="The mentions to take out: DOC_ID:EVENT_ID.")
    note: str | None = Field(None, max_length=1000, description="Why they report a different event.")


class UnsplitRequest(BaseModel):
    """Undo the splits between two canonical events, as `newsledger unsplit`."""
    event: str = Field(max_length=64, description="A canonical event id (ev-...).")
    other: str = Field(max_length=64, description="The canonical event its mentions were split from or to.")


def check_edit_request(request: Request, token: str) -> None:
    """Refuse (E407) an edit that does not come from this server's own page: the body must be
    JSON (a cross-site form cannot send it without a preflight this app never grants), the
    Origin header must name this server (the Host the request was sent to) and the request
    must carry the token the page received in its <meta> tag."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise NewsledgerError("E407", "the body must be JSON (Content-Type: application/json)")
    origin = request.headers.get("origin")
    parts = urlsplit(origin or "")
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.headers.get("host", "").lower():
        raise NewsledgerError("E407", f"the request's Origin ({origin or 'none'}) is not this server")
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        raise NewsledgerError("E407", "the request was sent from another site")
    if not secrets.compare_digest(request.headers.get(EDIT_TOKEN_HEADER, "").encode(), token.encode()):
        raise NewsledgerError("E407", f"the {EDIT_TOKEN_HEADER} header does not carry this server's token")


async def _edit_body(request: Request, token: str, model: type[BaseModel]) -> Any:
    check_edit_request(request, token)
    raw = await request.body()
    try:
        return model.model_validate(json.loads(raw or b"null"))
    except (ValueError, ValidationError) as err:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())) or 'body'}: {e.get('msg')}"
                             for e in err.errors()) if isinstance(err, ValidationError) else "not JSON"
        raise NewsledgerError("E402", f"the edit's JSON body: {problems}") from None


def add_edit_routes(app: FastAPI, ledger: Ledger) -> str:
    """POST /api/edit/split and /api/edit/unsplit (`newsledger.edits`), each protected by
    `check_edit_request`; the per-server token the page must send back."""
    from dataclasses import asdict

    from . import edits

    token = secrets.token_urlsafe(32)

    def split(wanted: SplitRequest) -> dict[str, Any]:
        with ledger.writing() as store:
            return asdict(edits.split_event(store, wanted.event, wanted.mentions, wanted.note))

    def unsplit(wanted: UnsplitRequest) -> dict[str, Any]:
        with ledger.writing() as store:
            return asdict(edits.unsplit_events(store, wanted.event, wanted.other))

    @app.post("/api/edit/split", tags=["edits"], openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": SplitRequest.model_json_schema()}}}})
    async def edit_split(request: Request) -> dict[str, Any]:
        """Take mentions out of a canonical event (as `newsledger split`); fusion keeps them
        apart from its other mentions from then on. Answers where the mentions are now."""
        return await run_in_threadpool(split, await _edit_body(request, token, SplitRequest))

    @app.post("/api/edit/unsplit", tags=["edits"], openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": UnsplitRequest.model_json_schema()}}}})
    async def edit_unsplit(request: Request) -> dict[str, Any]:
        """Undo the analysts' splits between two canonical events (as `newsledger unsplit`):
        their mentions are fused again. Answers where the mentions are now."""
        return await run_in_threadpool(unsplit, await _edit_body(request, token, UnsplitRequest))

    return token


def add_extract_route(app: FastAPI, settings: Any) -> None:
    """POST /api/extract (`newsledger.remote`): the documents of a JSON request through the
    pipeline, one request at a time, answered only to a client on this machine (403 otherwise:
    the pipeline's CPU is not offered to the network, whatever --host says)."""
    from . import remote

    one_at_a_time = threading.Lock()   # spaCy and the stages are not shared between threads
    max_documents = remote.GROUP_SIZE * 4

    def answer(wanted: remote.ExtractRequest) -> dict[str, Any]:
        with one_at_a_time:
            return remote.extract_answer(wanted, settings)

    @app.post(remote.EXTRACT_PATH, tags=["extract"])
    async def extract(request: Request) -> dict[str, Any]:
        """Process documents (`newsledger extract --server`): answers each one's
        newsledger-doc/1 record or its failure, in order."""
        if not remote.is_loopback_client(request.client.host if request.client else None):
            return _error(403, "E208", "extract is answered to clients on this machine only")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":   # a cross-site form cannot send JSON without a preflight
            return _error(415, "E402", "the body must be JSON (Content-Type: application/json)")
        limit = 2 * max_documents * settings.max_input_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return _error(413, "E104", "the extract request is larger than its documents may be")
        chunks, size = [], 0
        async for chunk in request.stream():     # counted as it comes: a chunked body declares no length
            size += len(chunk)
            if size > limit:
                return _error(413, "E104", "the extract request is larger than its documents may be")
            chunks.append(chunk)
        wanted = await run_in_threadpool(remote.parse_request, b"".join(chunks), max_documents,
                                         settings.max_input_bytes)
        return await run_in_threadpool(answer, wanted)


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000,
          announce: Any = print, allowed_hosts: Sequence[str] = (), read_timeout: float = READ_TIMEOUT_SECONDS,
          allow_edits: bool = False, extract_settings: Any = None) -> None:
    """Run the app under uvicorn until interrupted; the database must exist (E401 otherwise)
    and the port be free (E405). `announce` is told the URL once the port is bound;
    `allowed_hosts` adds Host header values to the trusted ones; `allow_edits` adds the
    POST routes that split events and undo splits; `extract_settings` the extract route, whose
    pipeline is loaded here, before the port is announced."""
    import uvicorn

    Store.open(db_path, read_only=True).close()      # fail early with a one-line E401
    listener = bind_port(host, port)
    shown = f"[{host}]" if ":" in host else host
    mode = "edits allowed from the page" if allow_edits else "read-only"
    if extract_settings is not None:
        from .pipeline import warm_up

        warm_up(extract_settings)
        mode += ", extract for this machine at POST /api/extract"
    announce(f"newsledger: serving {db_path} ({mode}) at http://{shown}:{listener.getsockname()[1]}/ (Ctrl+C to stop)")
    config = uvicorn.Config(create_app(db_path, [*trusted_hosts(host), *allowed_hosts], read_timeout, allow_edits,
                                       extract_settings),
                            log_level="warning")
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
