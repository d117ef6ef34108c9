"""Read paths at scale: every read answers from the canonical tables (never by fusing the
stored mentions in memory), honours its limit, agrees with what fusing in memory gives, and
stops with a coded error when it takes longer than the read time limit. Inputs are records
built by hand (tests.test_fuse, tests.test_canonical)."""
from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsledger import canonical, fuse
from newsledger.cli import cli
from newsledger.errors import NewsledgerError
from newsledger.fuse import EventFilter, FusionSettings, mentions_from_rows
from newsledger.store import Store
from tests.test_canonical import more_records
from tests.test_fuse import corpus

pytest.importorskip("fastapi", reason="the API needs fastapi (pip install fastapi)")
pytest.importorskip("httpx", reason="the API test client needs httpx")

from fastapi.testclient import TestClient  # noqa: E402

from newsledger.api import create_app  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reads") / "ledger.duckdb"
    with Store.open(path) as store:
        for item in corpus() + more_records():
            store.add(item)
    return path


def _in_memory(db: Path) -> list[fuse.CanonicalEvent]:
    """The canonical events fused from the stored mentions in memory (what reads must equal)."""
    with Store.open(db, read_only=True) as store:
        inputs = store.fusion_inputs()
    return fuse.fuse(mentions_from_rows(inputs), FusionSettings())


@pytest.fixture
def no_fusing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any read that fuses in memory (or loads every canonical event) fails."""
    def refused(*_: Any, **__: Any) -> Any:
        raise AssertionError("a read fused the stored mentions in memory")

    for module in (fuse, canonical):
        for name in ("fuse", "fuse_components", "fuse_store", "read_canonical"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, refused)


def test_no_read_fuses_in_memory(db: Path, no_fusing: None, tmp_path: Path) -> None:
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        page = client.get("/api/events", params={"limit": 3}).json()
        assert page["total"] >= 4 and len(page["items"]) == 3
        event = client.get(f"/api/events/{page['items'][0]['id']}").json()
        assert event["event"]["id"] == page["items"][0]["id"] and event["documents"]
        for route in ("/api/summary", "/api/network", "/api/map", "/api/actors/police/timeline"):
            response = client.get(route)
            assert response.status_code == 200, (route, response.text)
    runner = CliRunner()
    for args in (["events"], ["events", "--format", "json", "--limit", "2"], ["events", "--format", "csv"],
                 ["brief", "--since", "2024-05-01", "--until", "2024-05-31"]):
        result = runner.invoke(cli, [*args, "--db", str(db)])
        assert result.exit_code == 0, (args, result.output)
    assert "Quetta" in runner.invoke(cli, ["brief", "--since", "2024-05", "--until", "2024-05-31",
                                           "--db", str(db)]).output


def test_a_split_reads_one_event_not_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ledger.duckdb"
    with Store.open(path) as store:
        for item in corpus():
            store.add(item)
        [merged] = [r for r in canonical.canonical_page(store, EventFilter(type="ASSAULT"))[0]
                    if r["num_articles"] == 2]
    monkeypatch.setattr(fuse, "fuse_store", lambda *_: pytest.fail("split read every canonical event"))
    monkeypatch.setattr(canonical, "read_canonical", lambda *_: pytest.fail("split read every canonical event"))
    result = CliRunner().invoke(cli, ["split", merged["id"], "doc-b:e1", "--db", str(path)])
    assert result.exit_code == 0, result.output
    with Store.open(path, read_only=True) as store:
        after = canonical.canonical_page(store, EventFilter(type="ASSAULT"))[0]
    assert all(r["num_articles"] == 1 for r in after) and len(after) == 3


def test_edge_counts_kept_on_write_equal_a_recount(tmp_path: Path) -> None:
    """The network's edge counts, kept on ingest, split (a component fused again) and refuse,
    equal counting every canonical event's edges again; a type narrows them."""
    path = tmp_path / "ledger.duckdb"

    def kept_and_recounted(store: Store) -> tuple[list[Any], list[Any]]:
        kept = store.connection.execute("SELECT * FROM canonical_edge_counts ORDER BY ALL").fetchall()
        canonical.rebuild_edge_counts(store)
        return kept, store.connection.execute("SELECT * FROM canonical_edge_counts ORDER BY ALL").fetchall()

    with Store.open(path) as store:
        for item in corpus():
            store.add(item)
        kept, recounted = kept_and_recounted(store)
        assert kept and kept == recounted
        [merged] = [r for r in canonical.canonical_page(store, EventFilter(type="ASSAULT"))[0]
                    if r["num_articles"] == 2]
    assert CliRunner().invoke(cli, ["split", merged["id"], "doc-b:e1", "--db", str(path)]).exit_code == 0
    with Store.open(path) as store:
        for item in more_records():
            store.add(item)
        kept, recounted = kept_and_recounted(store)
        assert kept == recounted
        store.refuse()
        assert kept_and_recounted(store)[0] == recounted
        edges, total = canonical.network_edges(store, EventFilter(type="ASSAULT"), 100)
        assert total == len(edges) == sum(1 for row in recounted if row[2] == "ASSAULT") > 0


def test_summary_network_and_map_equal_the_in_memory_fusion(db: Path) -> None:
    events = [e.to_json(with_mentions=False) for e in _in_memory(db)]
    edges: Counter[tuple[str, str, str]] = Counter()
    for record in events:
        for source in record["source_names"]:
            for target in record["target_names"]:
                if source != target:
                    edges[(source, target, record["type"])] += 1
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        summary = client.get("/api/summary").json()
        network = client.get("/api/network", params={"limit": 500}).json()
        points = client.get("/api/map", params={"limit": 500}).json()
    assert summary["canonical_events"] == len(events) and summary["unfused_mentions"] == 0
    assert summary["multi_source_events"] == sum(1 for r in events if r["num_articles"] > 1)
    assert summary["by_type"] == dict(Counter(r["type"] for r in events))
    assert summary["by_country"] == dict(Counter(r["place_country"] for r in events if r["place_country"]))
    assert summary["first_date"] == min(r["date_key"] for r in events if r["date_key"])
    assert {(e["source"], e["target"], e["type"]): e["events"] for e in network["edges"]} == dict(edges)
    assert network["total"] == len(edges)
    placed = [r for r in events if r["lat"] is not None]
    assert points["total"] == len(placed)
    assert {(p["id"], p["place_name"], p["place_country"], p["lat"]) for p in points["items"]} == \
        {(r["id"], r["place_name"], r["place_country"], r["lat"]) for r in placed}


def test_every_list_honours_its_limit(db: Path) -> None:
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        network = client.get("/api/network", params={"limit": 1}).json()
        every_edge = client.get("/api/network", params={"limit": 500}).json()
        points = client.get("/api/map", params={"limit": 1}).json()
        events = client.get("/api/events", params={"limit": 1, "offset": 1}).json()
        timeline = client.get("/api/actors/Tehreek-i-Taliban Pakistan/timeline", params={"limit": 1}).json()
        too_many = client.get("/api/map", params={"limit": 501})
    assert len(network["edges"]) == 1 and network["total"] > 1
    assert network["edges"][0]["events"] == max(e["events"] for e in every_edge["edges"])   # the busiest first
    assert {n["name"] for n in network["nodes"]} == {network["edges"][0]["source"], network["edges"][0]["target"]}
    assert len(points["items"]) == 1 and points["total"] > 1
    assert len(events["items"]) == 1 and events["total"] > 2
    assert len(timeline["items"]) == 1 and timeline["total"] >= 1 and timeline["items"][0]["role"] == ["source"]
    assert too_many.status_code == 400 and too_many.json()["error"]["code"] == "E402"
    result = CliRunner().invoke(cli, ["events", "--db", str(db), "--format", "json", "--limit", "2"])
    assert len(json.loads(result.output)) == 2


SLOW_QUERY = "SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = 7"


def test_a_slow_read_stops_at_the_time_limit_with_a_coded_error(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        with pytest.raises(NewsledgerError) as stopped, store.time_limit(0.2):
            store.connection.execute(SLOW_QUERY).fetchall()
        assert stopped.value.code == "E406"
        with store.time_limit(5):   # the connection still reads afterwards
            assert store.connection.execute("SELECT count(*) FROM canonical_events").fetchone()[0] > 0


def test_the_api_answers_a_slow_request_with_e406(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_summary(store: Store) -> Any:
        store.connection.execute(SLOW_QUERY).fetchall()

    monkeypatch.setattr(canonical, "canonical_summary", slow_summary)
    with TestClient(create_app(db, read_timeout=0.2), base_url="http://127.0.0.1") as client:
        response = client.get("/api/summary")
        assert response.status_code == 503 and response.json()["error"]["code"] == "E406"
        assert client.get("/api/events", params={"limit": 1}).status_code == 200   # the next request reads


def test_reads_report_mentions_not_fused_yet(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    with Store.open(path) as store:
        for item in corpus():
            store.add(item, fuse=False)
        store.fuse_pending()
        for item in more_records():
            store.add(item, fuse=False)      # as when the group's fusion failed on ingest
    result = CliRunner().invoke(cli, ["events", "--db", str(path), "--format", "json"])
    assert result.exit_code == 0 and "3 stored event mention(s) are not in canonical events yet" in result.stderr
    with TestClient(create_app(path), base_url="http://127.0.0.1") as client:
        assert client.get("/api/summary").json()["unfused_mentions"] == 3


def test_refuse_is_quiet_with_q_and_keeps_the_events(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    with Store.open(copy, read_only=True) as store:
        before = canonical.canonical_page(store, EventFilter())[0]
    result = CliRunner().invoke(cli, ["refuse", "-q", "--db", str(copy)])
    assert result.exit_code == 0 and result.output == ""
    with Store.open(copy, read_only=True) as store:
        assert canonical.canonical_page(store, EventFilter())[0] == before


def test_blocking_keys_written_on_ingest_equal_the_bulk_sql_ones(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    columns = "block, mention, country, day_first, day_last, dated_precisely"
    with Store.open(copy) as store:
        written = sorted(map(repr, store.connection.execute(f"SELECT {columns} FROM canonical_blocks").fetchall()))
        assert written
        store.connection.execute("DELETE FROM canonical_blocks")
        canonical.register_blocks(store, "TRUE", [], FusionSettings())
        bulk = sorted(map(repr, store.connection.execute(f"SELECT {columns} FROM canonical_blocks").fetchall()))
    assert bulk == written


def test_a_precisely_dated_report_finds_a_vaguely_dated_one_through_a_participant(db: Path) -> None:
    settings = FusionSettings()
    with Store.open(db, read_only=True) as store:
        mentions = mentions_from_rows(store.fusion_inputs())
    precise = [m for m in mentions if fuse.dated_precisely(m) and fuse.anchors(m)]
    assert precise
    for m in precise:
        keys = set(canonical.lookup_keys(m, settings))
        window = fuse.time_window(m, settings)
        assert window is not None
        # a vaguely dated member sharing an anchor is found; a precise one only through the days
        vague = canonical.register_keys(m.family, m.reality, window, False, fuse.anchors(m), m.place_country, settings)
        assert keys & set(vague)
        sure = canonical.register_keys(m.family, m.reality, window, True, fuse.anchors(m), m.place_country, settings)
        assert {k for k in keys & set(sure)} and all("|d|" in k for k in keys & set(sure))


@pytest.mark.parametrize("version", [7, 10])
def test_an_older_blocks_table_is_made_again_on_upgrade(db: Path, tmp_path: Path, version: int) -> None:
    """Schema 11 keys precisely dated members by day and country and drops the block columns
    and the index by mention no read uses: a schema 7 or 10 file (the old table, its rows,
    the old index, no document indexes for 7) gets the new table with the same keys as a
    file written anew, and the indexes by document and by key."""
    old = tmp_path / "old.duckdb"
    old.write_bytes(db.read_bytes())
    columns = "block, mention, country, day_first, day_last, dated_precisely"
    with Store.open(old, read_only=True) as store:
        blocks = sorted(map(repr, store.connection.execute(f"SELECT {columns} FROM canonical_blocks").fetchall()))
    with Store.open(old) as store:
        con = store.connection
        if version < 8:
            for index in ("events_doc", "actors_doc", "places_doc"):
                con.execute(f"DROP INDEX {index}")
        con.execute("DROP INDEX canonical_blocks_block")
        con.execute("DROP TABLE canonical_blocks")
        con.execute("CREATE TABLE canonical_blocks (block VARCHAR NOT NULL, mention VARCHAR NOT NULL,"
                    " component VARCHAR, country VARCHAR, day_first DATE, day_last DATE, dated_precisely BOOLEAN,"
                    " anchors VARCHAR[], doc_id VARCHAR)")
        con.execute("INSERT INTO canonical_blocks SELECT 'ASSAULT|asserted|w|2024-05-13', mention, component, country,"
                    " day_first, day_last, dated_precisely, anchors, doc_id FROM canonical_members")
        con.execute("CREATE INDEX canonical_blocks_block ON canonical_blocks (block)")
        con.execute("CREATE INDEX canonical_blocks_mention ON canonical_blocks (mention)")
        con.execute(f"UPDATE newsledger_schema SET version = {version}")
    with pytest.raises(NewsledgerError):
        Store.open(old, read_only=True)
    with Store.open(old) as store:
        con = store.connection
        assert sorted(map(repr, con.execute(f"SELECT {columns} FROM canonical_blocks").fetchall())) == blocks
        assert [r[0] for r in con.execute("DESCRIBE canonical_blocks").fetchall()] == columns.split(", ")
        indexes = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
        assert {"events_doc", "actors_doc", "places_doc", "canonical_blocks_block"} <= indexes
        assert "canonical_blocks_mention" not in indexes


def test_a_schema_6_file_is_upgraded_in_place(db: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.duckdb"
    old.write_bytes(db.read_bytes())
    with Store.open(old, read_only=True) as store:
        expected = canonical.canonical_page(store, EventFilter())[0]
        blocks = store.connection.execute("SELECT count(*) FROM canonical_blocks").fetchone()[0]
    with Store.open(old) as store:
        con = store.connection
        con.execute("DROP INDEX canonical_events_component")   # made again by the upgrade
        for column in ("source_names", "source_countries", "target_names", "target_countries"):
            con.execute(f"ALTER TABLE canonical_events DROP COLUMN {column}")
        con.execute("DROP TABLE canonical_blocks")
        con.execute("CREATE TABLE canonical_blocks (block VARCHAR NOT NULL, mention VARCHAR NOT NULL)")
        con.execute("UPDATE newsledger_schema SET version = 6")
    with Store.open(old) as store:
        assert store.connection.execute("SELECT count(*) FROM canonical_blocks").fetchone()[0] == blocks
    with TestClient(create_app(old), base_url="http://127.0.0.1") as client:
        assert client.get("/api/network").json()["total"] > 0
        assert client.get("/api/events", params={"limit": 500}).json()["total"] == len(expected)


def test_the_app_keeps_the_file_attached_between_requests_and_lets_a_writer_in(
        db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import subprocess
    import sys
    import threading

    from newsledger import api

    path = tmp_path / "ledger.duckdb"
    shutil.copy(db, path)
    monkeypatch.setattr(api, "ATTACH_LEASE_SECONDS", 600.0)      # only the writer's word lets the file go
    ledger = api.Ledger(path)
    with ledger.reading() as first:
        pass
    with ledger.reading() as second:
        assert second is first                      # kept between requests: its blocks stay cached
    stop = threading.Event()
    answered: list[int] = []
    failed: list[BaseException] = []

    def busy_reader() -> None:                      # requests back to back, no idle moment
        try:
            while not stop.is_set():
                with ledger.reading() as store:
                    answered.append(store.connection.execute("SELECT count(*) FROM documents").fetchone()[0])
        except BaseException as err:  # noqa: BLE001 - reported by the test below
            failed.append(err)

    reader = threading.Thread(target=busy_reader)
    reader.start()
    try:
        writer = subprocess.run(                   # another process, as ingest, saying that it waits
            [sys.executable, "-c", "import sys; from newsledger.store import Store\n"
             "with Store.open(sys.argv[1], wait=10) as s: s.connection.execute('DELETE FROM fusion_splits')", str(path)],
            capture_output=True, text=True, timeout=60)
        assert writer.returncode == 0, writer.stderr
        during = len(answered)
        deadline = time.monotonic() + 10
        while len(answered) == during and time.monotonic() < deadline and not failed:
            time.sleep(0.05)                        # reads go on once the writer is done
    finally:
        stop.set()
        reader.join(10)
    assert failed == [] and len(answered) > during and not reader.is_alive()
    assert not path.with_name(path.name + ".writer-waiting").exists()   # taken away once it had the file
    with ledger.reading():
        pass
    monkeypatch.setattr(api, "ATTACH_IDLE_SECONDS", 0.2)
    deadline = time.monotonic() + 5
    while ledger._store is not None and time.monotonic() < deadline:   # idle: the file is let go
        time.sleep(0.05)
    with Store.open(path, wait=0):                 # nothing holds it now
        pass


def test_date_bounds_compare_the_key_prefix_of_the_bound_s_length() -> None:
    import duckdb

    keys = ["2020-12-31", "2021", "2021-01", "2021-11-30", "2021-12", "2021-12-01", "2021-12-31", "2022", "2022-01-01"]
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE canonical_events (id INTEGER, date_key VARCHAR)")
    con.executemany("INSERT INTO canonical_events VALUES (?, ?)", [[n, k] for n, k in enumerate([*keys, None])])
    for bound in ("2021", "2021-12", "2021-12-01", "2022-01"):
        for op, keeps in ((">=", lambda key, b: key[:len(b)] >= b), ("<=", lambda key, b: key[:len(b)] <= b)):
            where, params = canonical.Conditions().date_prefix(bound, op).sql()
            found = {k for (k,) in con.execute(f"SELECT date_key FROM canonical_events WHERE {where}", params).fetchall()}
            assert found == {k for k in keys if keeps(k, bound)}, (bound, op)   # undated events left out


@pytest.mark.parametrize("command", [["events", "--limit", "2", "--format", "json"], ["events", "--limit", "2"],
                                     ["export", "--format", "csv", "-o", "-"]])
def test_read_commands_import_only_what_they_use(db: Path, command: list[str]) -> None:
    import subprocess
    import sys

    script = ("import sys, io, contextlib\nfrom newsledger.cli import cli\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              "    cli.main(args=sys.argv[1:], standalone_mode=False)\n"
              "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'pandas', 'yaml', 'pycountry')"
              " or m in ('newsledger.pipeline', 'newsledger.gazetteer', 'newsledger.ingest'))))")
    done = subprocess.run([sys.executable, "-c", script, *command, "--db", str(db)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""          # no spaCy, pipeline, gazetteer (pycountry, YAML) or pandas


def test_a_read_command_stops_at_the_read_timeout_setting(db: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_count(store: Store) -> int:
        store.connection.execute(SLOW_QUERY).fetchall()
        return 0

    monkeypatch.setattr(canonical, "unfused", slow_count)
    (tmp_path / "quick.toml").write_text("read_timeout = 0.2\n")
    result = CliRunner().invoke(cli, ["events", "--db", str(db), "--limit", "1", "--config", str(tmp_path / "quick.toml")])
    assert result.exit_code == 2 and result.stderr.startswith("error[E406]")
    assert len(result.stderr.strip().splitlines()) == 1


def test_writing_in_the_same_process_has_the_app_let_the_file_go(db: Path, tmp_path: Path) -> None:
    import shutil

    from newsledger import api

    path = tmp_path / "ledger.duckdb"
    shutil.copy(db, path)
    with TestClient(create_app(path), base_url="http://127.0.0.1") as client:
        before = client.get("/api/summary").json()["stored"]["documents"]   # the file stays attached
        with Store.open(path) as writer:                                     # DuckDB allows one handle per process
            writer.connection.execute("DELETE FROM documents WHERE id = (SELECT min(id) FROM documents)")
        assert client.get("/api/summary").json()["stored"]["documents"] == before - 1
    assert api.ATTACH_IDLE_SECONDS > 0.5          # the write did not merely wait for an idle release
