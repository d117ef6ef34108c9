"""The canonical-events tables: maintained on ingest, equal to re-fusion in any order,
read with filters, rebuilt on a schema upgrade, exported. Inputs are records built by hand."""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsledger.canonical import canonical_page, is_current, read_canonical, refuse
from newsledger.cli import cli
from newsledger.fuse import EventFilter, FusionSettings, fuse, mentions_from_rows
from newsledger.store import SCHEMA_VERSION, Store
from tests.test_fuse import QUETTA, corpus, record

PESHAWAR = {"geonameid": 1168197, "name": "Peshawar", "country": "PK"}


def more_records() -> list[dict[str, Any]]:
    """Three more reports: a late report of the Quetta attack dated only by its publication
    day, an undated statement naming the TTP, and a Peshawar bombing the same week."""
    late = "Officials said the death toll from the checkpoint raid in Quetta had risen."
    statement = "The Tehreek-i-Taliban Pakistan claimed the raid on the checkpoint."
    other = "A bomb exploded at a market in Peshawar on Tuesday, killing nine shoppers."
    late_record = record("doc-e", late, "2024-05-16", "Wire Three", [],
                         [{"type": "ASSAULT", "date": "2024-05-16", "place": QUETTA,
                           "evidence": "the checkpoint raid in Quetta"}],
                         places=[("Quetta", QUETTA, "city")])
    late_record["events"][0]["date"]["anchor"] = "published"
    return [
        late_record,
        record("doc-f", statement, "2024-05-15", "Wire Four",
               [("a1", "Tehreek-i-Taliban Pakistan", "group", "PAK", "REB", "Tehreek-i-Taliban Pakistan")],
               [{"type": "ASSAULT", "source": ["a1"], "evidence": "claimed the raid on the checkpoint"}]),
        record("doc-g", other, "2024-05-15", "Daily Two", [],
               [{"type": "ASSAULT", "date": "2024-05-14", "place": PESHAWAR, "killed": 9,
                 "evidence": "A bomb exploded at a market in Peshawar"}],
               places=[("Peshawar", PESHAWAR, "city")]),
    ]


def _records() -> list[dict[str, Any]]:
    return [*corpus(), *more_records()]


def _snapshot(db: Path) -> list[dict[str, Any]]:
    with Store.open(db, read_only=True) as store:
        rows = store.connection.execute("SELECT record FROM canonical_events ORDER BY id").fetchall()
        members = store.connection.execute(
            "SELECT doc_id, event_id, canonical_id, component FROM canonical_members ORDER BY ALL").fetchall()
    return [json.loads(r[0]) for r in rows] + [list(m) for m in members]  # type: ignore[list-item]


def _stored_shuffled(records: list[dict[str, Any]], seed: int, path: Path) -> Path:
    """`records` stored one by one in the order of a shuffle by `seed`."""
    shuffled = records[:]
    random.Random(seed).shuffle(shuffled)
    with Store.open(path) as store:
        for item in shuffled:
            store.add(item)
    return path


def test_shuffled_ingest_gives_the_events_of_refusion(tmp_path: Path) -> None:
    records = _records()
    first = tmp_path / "in-order.duckdb"
    with Store.open(first) as store:
        for item in records:
            store.add(item)
    expected = _snapshot(first)
    for seed in range(3):
        assert _snapshot(_stored_shuffled(records, seed, tmp_path / f"shuffled-{seed}.duckdb")) == expected
    for seed, size in ((3, 2), (4, 3), (5, 7)):   # stored in groups, each group fused together
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        path = tmp_path / f"groups-{seed}.duckdb"
        with Store.open(path) as store:
            for start in range(0, len(shuffled), size):
                for item in shuffled[start:start + size]:
                    store.add(item, fuse=False)
                assert not is_current(store)
                assert store.fuse_pending() == len(shuffled[start:start + size])
                assert is_current(store)
        assert _snapshot(path) == expected
    with Store.open(first) as store:
        refuse(store)
        in_memory = [e.to_json() for e in fuse(mentions_from_rows(store.fusion_inputs()))]
        assert [e.to_json() for e in read_canonical(store)] == in_memory
    assert _snapshot(first) == expected


def test_ingest_merges_a_late_and_an_undated_report_and_keeps_another_city_apart(tmp_path: Path) -> None:
    db = tmp_path / "ledger.duckdb"
    with Store.open(db) as store:
        for item in _records():
            store.add(item)
        events = read_canonical(store)
    attack = next(e for e in events if ("doc-a", "e1") in {m.key for m in e.mentions})
    assert {m.doc_id for m in attack.mentions} >= {"doc-a", "doc-b", "doc-e"}
    late = next(m for m in attack.merges if "doc-e:e1" in m["mentions"])
    assert "date" in late["compatible"] and "place" in late["agreed"]
    peshawar = next(e for e in events if ("doc-g", "e1") in {m.key for m in e.mentions})
    assert len(peshawar.mentions) == 1


def test_the_block_filter_is_may_pair_on_the_stored_columns(tmp_path: Path) -> None:
    """A stored member is a candidate exactly when `fuse.may_pair` accepts the pair, for
    every pair of stored mentions of one type family and reality (two countries never)."""
    from dataclasses import replace

    from newsledger.canonical import _Member, _within_block, mention_from_features
    from newsledger.fuse import Pairing, may_pair

    db = tmp_path / "ledger.duckdb"
    with Store.open(db) as store:
        for item in _records():
            store.add(item)
        rows = store.connection.execute(
            "SELECT mention, country, day_first, day_last, dated_precisely, anchors, doc_id, features"
            " FROM canonical_members ORDER BY mention").fetchall()
    members = [_Member(*row[:-1]) for row in rows]
    mentions = [mention_from_features(json.loads(row[-1])) for row in rows]
    settings = FusionSettings()
    decided = []
    for m in mentions:
        for member, stored in zip(members, mentions, strict=True):
            if stored.family == m.family and stored.reality == m.reality and stored.key != m.key:
                decided.append(_within_block(Pairing.of(m, settings), member, settings))
                assert decided[-1] == may_pair(m, stored, settings)
    assert True in decided and False in decided
    quetta = next(m for m in mentions if m.key == ("doc-a", "e1"))
    stored_b = next((member, m) for member, m in zip(members, mentions, strict=True) if m.key == ("doc-b", "e1"))
    assert _within_block(Pairing.of(quetta, settings), stored_b[0], settings)
    assert not _within_block(Pairing.of(replace(quetta, place_country="AF"), settings), stored_b[0], settings)
    assert not may_pair(replace(quetta, place_country="AF"), stored_b[1], settings)


def test_canonical_page_filters_in_sql_like_the_event_filter(tmp_path: Path) -> None:
    db = tmp_path / "ledger.duckdb"
    with Store.open(db) as store:
        for item in _records():
            store.add(item)
    with Store.open(db, read_only=True) as store:
        events = read_canonical(store)
        for wanted in (EventFilter(), EventFilter(type="ASSAULT"), EventFilter(actor="taliban"),
                       EventFilter(country="AFG"), EventFilter(since="2024-05-15"),
                       EventFilter(until="2024-05-14"), EventFilter(text="bus")):
            page, total = canonical_page(store, wanted, limit=3)
            matching = [e.id for e in events if wanted.validated().matches(e)]
            assert total == len(matching) and [r["id"] for r in page] == matching[:3]
        later, _ = canonical_page(store, EventFilter(), limit=2, offset=2)
        assert [r["id"] for r in later] == [e.id for e in events][2:4]


def test_a_schema_4_file_gets_its_canonical_events_on_upgrade(tmp_path: Path) -> None:
    old = tmp_path / "old.duckdb"
    with Store.open(old) as store:
        for item in corpus():
            store.add(item)
    expected = _snapshot(old)
    with Store.open(old) as store:
        store.connection.execute("DROP TABLE canonical_events")
        store.connection.execute("DROP TABLE canonical_members")
        store.connection.execute("DROP TABLE canonical_blocks")
        store.connection.execute("UPDATE newsledger_schema SET version = 4")
    with Store.open(old) as store:
        assert is_current(store)
    assert _snapshot(old) == expected


def test_refuse_command_and_canonical_export(tmp_path: Path) -> None:
    db = tmp_path / "ledger.duckdb"
    with Store.open(db) as store:
        for item in _records():
            store.add(item)
    before = _snapshot(db)
    runner = CliRunner()
    result = runner.invoke(cli, ["refuse", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert _snapshot(db) == before
    out = tmp_path / "canonical.jsonl"
    result = runner.invoke(cli, ["export", "--db", str(db), "--format", "jsonl", "--table", "canonical",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    attack = next(r for r in rows if r["type"] == "ASSAULT" and "doc-a" in r["source_doc_ids"])
    assert attack["event_date"] == "2024-05-14" and attack["location"] == "Quetta"
    assert attack["country"] == "PAK" and attack["num_sources"] >= 2
    assert attack["actor1"] and attack["source_urls"][0].startswith("https://example.org/")
    assert set(rows[0]) >= {"event_date", "time_precision", "type", "mode", "actor1", "actor1_country",
                            "actor1_sector", "actor2", "country", "admin1", "admin2", "location",
                            "latitude", "longitude", "geo_precision", "killed", "injured", "notes"}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_canonical_export_formats(tmp_path: Path, fmt: str) -> None:
    db = tmp_path / "ledger.duckdb"
    with Store.open(db) as store:
        for item in corpus():
            store.add(item)
    out = tmp_path / f"canonical.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", fmt, "--table", "canonical",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_the_api_event_list_reads_the_table_as_the_fused_events(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the API needs fastapi")
    pytest.importorskip("httpx", reason="the API test client needs httpx")
    from fastapi.testclient import TestClient

    from newsledger.api import _record_summary, create_app
    from newsledger.fuse import fuse_store

    db = tmp_path / "ledger.duckdb"
    with Store.open(db) as store:
        for item in _records():
            store.add(item)
    with Store.open(db, read_only=True) as store:
        expected = [json.loads(json.dumps(_record_summary(e.to_json()), default=str))
                    for e in fuse_store(store, FusionSettings())]
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        page = client.get("/api/events", params={"limit": 100}).json()
    assert page["total"] == len(expected) and page["items"] == expected


def test_a_fresh_mention_is_compared_with_the_nearest_candidates_only(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocking keeps at most MAX_CANDIDATES stored members per fresh mention, the nearest in
    time first: a block larger than the bound costs the bound, not the block."""
    from datetime import date, timedelta

    from newsledger import canonical
    from newsledger.fuse import time_window
    from tests.test_fuse import KABUL

    def talks(doc_id: str, day: date) -> dict[str, Any]:
        body = f"Pakistan and Afghanistan held border talks in Kabul, the {day:%d %B} round of them."
        return record(doc_id, body, day.isoformat(), "Wire One",
                      [("a1", "Pakistan", "state", "PAK", "GOV", "Pakistan"),
                       ("a2", "Afghanistan", "state", "AFG", "GOV", "Afghanistan")],
                      [{"type": "CONSULT", "source": ["a1"], "target": ["a2"], "date": day.isoformat(), "place": KABUL,
                        "evidence": "held border talks in Kabul"}],
                      places=[("Kabul", KABUL, "city")])

    first = date(2024, 3, 1)
    settings = FusionSettings()
    with Store.open(tmp_path / "ledger.duckdb") as store:
        for n in range(12):
            store.add(talks(f"doc-{n:02d}", first + timedelta(days=2 * n)))
        store.add(talks("doc-fresh", first + timedelta(days=11)), fuse=False)
        [fresh] = mentions_from_rows(store.fusion_inputs(doc_ids=["doc-fresh"]))
        [everyone] = canonical._blocks(store, [fresh], settings)
        monkeypatch.setattr(canonical, "MAX_CANDIDATES", 3)
        [nearest] = canonical._blocks(store, [fresh], settings)
    assert len(everyone) > 3 and len(nearest) == 3

    def gap(m: Any) -> int:
        mine, theirs = time_window(fresh, settings), time_window(m, settings)
        return max(0, (theirs[0] - mine[1]).days, (mine[0] - theirs[1]).days)

    kept = {m.key for _, m in nearest}
    assert max(gap(m) for _, m in nearest) <= min(gap(m) for _, m in everyone if m.key not in kept)


KARACHI = {"geonameid": 1174872, "name": "Karachi", "country": "PK"}


def test_a_report_with_no_date_at_all_joins_the_attack_of_its_city_in_any_order(tmp_path: Path) -> None:
    """An undated report that states no date (a year it names, "since 2009", places nothing)
    is compared with the mentions of its scene, its city, in any year: it joins the Quetta
    raid, and one in Karachi stays alone; incremental ingest in any order equals refusion,
    and the blocking keys written on ingest equal the bulk SQL ones."""
    from newsledger import canonical

    quetta_text = ("Militants of the Pakistani Taliban stormed a police checkpoint in Quetta, killing four "
                   "policemen. The group has threatened the police since 2009.")
    undated = record("doc-h", quetta_text, None, "Weekly Five",
                     [("a1", "Pakistani Taliban", "group", "PAK", "REB", "Pakistani Taliban")],
                     [{"type": "ASSAULT", "source": ["a1"], "place": QUETTA, "killed": 4,
                       "evidence": "Militants of the Pakistani Taliban stormed a police checkpoint in Quetta"},
                      {"type": "THREATEN", "source": ["a1"], "date": "2009", "precision": "year",
                       "evidence": "The group has threatened the police since 2009"}],
                     places=[("Quetta", QUETTA, "city")])
    karachi_text = "Gunmen stormed a police checkpoint in Karachi, killing two guards."
    elsewhere = record("doc-i", karachi_text, None, "Weekly Six", [],
                       [{"type": "ASSAULT", "place": KARACHI, "killed": 2,
                         "evidence": "Gunmen stormed a police checkpoint in Karachi"}],
                       places=[("Karachi", KARACHI, "city")])
    records = [*_records(), undated, elsewhere]
    snapshots = [_snapshot(_stored_shuffled(records, seed, tmp_path / f"shuffled-{seed}.duckdb")) for seed in range(3)]
    assert snapshots[0] == snapshots[1] == snapshots[2]
    with Store.open(tmp_path / "shuffled-0.duckdb") as store:
        events = read_canonical(store)
        # a member fused again keeps its blocking keys: those written on ingest are every member's
        ingested = sorted(store.connection.execute("SELECT block, mention FROM canonical_blocks").fetchall())
        refuse(store)
        assert sorted(store.connection.execute("SELECT block, mention FROM canonical_blocks").fetchall()) == ingested
        columns = "block, mention, country, day_first, day_last, dated_precisely"
        written = sorted(map(repr, store.connection.execute(f"SELECT {columns} FROM canonical_blocks").fetchall()))
        store.connection.execute("DELETE FROM canonical_blocks")
        canonical.register_blocks(store, "TRUE", [], FusionSettings())
        bulk = sorted(map(repr, store.connection.execute(f"SELECT {columns} FROM canonical_blocks").fetchall()))
    assert bulk == written and any("|u|" in row for row in written)
    assert _snapshot(tmp_path / "shuffled-0.duckdb") == snapshots[0]
    raid = next(e for e in events if ("doc-h", "e1") in {m.key for m in e.mentions})
    assert ("doc-a", "e1") in {m.key for m in raid.mentions}
    alone = next(e for e in events if ("doc-i", "e1") in {m.key for m in e.mentions})
    assert len(alone.mentions) == 1


def test_a_dateless_mention_pairs_only_through_a_scene_finer_than_a_province(tmp_path: Path) -> None:
    from dataclasses import replace

    from newsledger.fuse import anchors, compare, dateless, may_pair

    with Store.open(tmp_path / "ledger.duckdb") as store:
        for item in corpus():
            store.add(item)
        mentions = mentions_from_rows(store.fusion_inputs())
    raid = next(m for m in mentions if m.key == ("doc-a", "e1"))
    undated = replace(raid, doc_id="doc-z", date_span=None, date_value=None, report_span=None)
    assert dateless(undated) and anchors(undated) == {f"place:{QUETTA['geonameid']}"}
    assert may_pair(undated, raid, FusionSettings())
    in_a_country = replace(undated, place_geonameid=1168579, place_name="Pakistan", place_level="country")
    assert anchors(in_a_country) == set() and not may_pair(in_a_country, raid, FusionSettings())
    # sharing only the city and the type says little across years: a dateless report needs
    # the same participants or the same toll
    assert compare(undated, raid, FusionSettings()).compatible
    nameless = replace(undated, sources=(), targets=(), killed=None)
    assert compare(nameless, raid, FusionSettings()).conflict == "uncorroborated"
    assert compare(replace(nameless, killed=raid.killed), raid, FusionSettings()).compatible
    dated = replace(nameless, date_span=raid.date_span, date_value=raid.date_value)
    assert compare(dated, raid, FusionSettings()).compatible          # a dated report needs no more


def test_a_chain_of_daily_reports_stops_growing_its_component_at_the_bound(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports of attacks in one city a day apart link one to the next (dates within the
    tolerance) and chain into one component. Fused again whole on every ingest, the work per
    document grows with the chain; a full component (`MAX_COMPONENT_MEMBERS`) is not fused
    again, so the members fused per ingest stay bounded and so do the components."""
    from datetime import date, timedelta

    from newsledger import canonical

    def attack(doc_id: str, day: date) -> dict[str, Any]:
        body = f"Gunmen attacked a checkpoint in Quetta on {day:%d %B}, the police said."
        return record(doc_id, body, day.isoformat(), "Wire One", [],
                      [{"type": "ASSAULT", "date": day.isoformat(), "place": QUETTA,
                        "evidence": "Gunmen attacked a checkpoint in Quetta"}],
                      places=[("Quetta", QUETTA, "city")])

    refused: list[int] = []
    original = canonical._replace

    def counted(store: Any, components: Any, fresh: Any, settings: Any) -> None:
        size = canonical.component_sizes(store, list(components))
        refused.append(sum(size.values()) + len(fresh))
        original(store, components, fresh, settings)

    monkeypatch.setattr(canonical, "_replace", counted)
    first, days = date(2024, 3, 1), 24

    def chain(path: Path) -> list[int]:
        refused.clear()
        with Store.open(path) as store:
            for n in range(days):
                store.add(attack(f"doc-{n:02d}", first + timedelta(days=n)))
            sizes = [r[0] for r in store.connection.execute(
                "SELECT count(*) FROM canonical_members GROUP BY component").fetchall()]
        return sizes

    unbounded = chain(tmp_path / "unbounded.duckdb")
    assert unbounded == [days] and refused[-1] == days      # one component, fused again whole each time
    monkeypatch.setattr(canonical, "MAX_COMPONENT_MEMBERS", 5)
    bounded = chain(tmp_path / "bounded.duckdb")
    assert max(refused) <= 5 + 1 and max(bounded) <= 5 + 1 and sum(bounded) == days


def test_a_schema_8_file_registers_its_places_with_no_year_for_dateless_reports(tmp_path: Path) -> None:
    """Schema 10 registers each dated member under its place with no year (`s|`): a file of
    schema 8 gets those keys on upgrade, and a report with no date then finds the attack of
    its city through one key (not one per year of a fixed range)."""
    from newsledger import canonical

    path = tmp_path / "old.duckdb"
    with Store.open(path) as store:
        for item in corpus():
            store.add(item)
        registered = store.connection.execute(
            "SELECT count(*) FROM canonical_blocks WHERE block LIKE '%|s|place:%'").fetchone()[0]
        store.connection.execute("DELETE FROM canonical_blocks WHERE block LIKE '%|s|%'")
        store.connection.execute("UPDATE newsledger_schema SET version = 8")
    text = "Pakistani Taliban fighters stormed a police post in Quetta and killed four policemen."
    undated = record("doc-u", text, None, "Weekly Seven",
                     [("a1", "Pakistani Taliban", "group", "PAK", "REB", "Pakistani Taliban")],
                     [{"type": "ASSAULT", "source": ["a1"], "place": QUETTA, "killed": 4,
                       "evidence": "Pakistani Taliban fighters stormed a police post in Quetta"}],
                     places=[("Quetta", QUETTA, "city")])
    with Store.open(path) as store:
        assert store.connection.execute("SELECT max(version) FROM newsledger_schema").fetchone()[0] == SCHEMA_VERSION
        assert registered > 0 and store.connection.execute(
            "SELECT count(*) FROM canonical_blocks WHERE block LIKE '%|s|place:%'").fetchone()[0] == registered
        store.add(undated, fuse=False)
        [fresh] = mentions_from_rows(store.fusion_inputs(doc_ids=["doc-u"]))
        assert len(canonical.lookup_keys(fresh, FusionSettings())) == 2   # its scene: dateless and dated
        store.fuse_pending()
        events = read_canonical(store)
    raid = next(e for e in events if ("doc-u", "e1") in {m.key for m in e.mentions})
    assert ("doc-a", "e1") in {m.key for m in raid.mentions}


def _attack(doc_id: str, day: Any, place: dict[str, Any] | None, town: str | None) -> dict[str, Any]:
    """A report of a roadside bomb on `day`, in `town` (`place`) or nowhere named."""
    where = f" near {town}" if town else ""
    body = f"A roadside bomb struck a convoy{where} on {day:%d %B}, officials said."
    return record(doc_id, body, day.isoformat(), "Wire One", [],
                  [{"type": "ASSAULT", "date": day.isoformat(), "evidence": f"A roadside bomb struck a convoy{where}",
                    **({"place": place} if place else {})}],
                  places=[(town, place, "city")] if place and town else [])


def _rows_read(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The block rows `_blocks` reads from now on, as (key, mention) pairs."""
    from newsledger import canonical

    read: list[tuple[str, str]] = []
    original = canonical._block_rows

    def counted(store: Any, keys: Any) -> Any:
        found = original(store, keys)
        read.extend((key, row[0]) for key, rows in found.items() for row in rows)
        return found

    monkeypatch.setattr(canonical, "_block_rows", counted)
    return read


def test_a_placed_mention_reads_the_days_of_its_country_and_a_placeless_one_of_every_country(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Precisely dated members are registered under their days by their place's country:
    a fresh mention in Pakistan reads Pakistan's rows and those with no place, never
    Afghanistan's (`may_pair` never pairs two countries); one with no place reads every
    country's. Either way its candidates are those `may_pair` accepts among all stored."""
    from datetime import date

    from newsledger import canonical
    from newsledger.fuse import may_pair
    from tests.test_fuse import KABUL

    day = date(2024, 6, 3)
    settings = FusionSettings()
    with Store.open(tmp_path / "ledger.duckdb") as store:
        for number, (place, town) in enumerate([(QUETTA, "Quetta"), (KABUL, "Kabul"), (None, None)] * 2):
            store.add(_attack(f"doc-{number}", day, place, town))
        store.add(_attack("doc-pk", day, QUETTA, "Quetta"), fuse=False)
        store.add(_attack("doc-none", day, None, None), fuse=False)
        stored = mentions_from_rows(store.fusion_inputs(doc_ids=[f"doc-{n}" for n in range(6)]))
        read = _rows_read(monkeypatch)
        for doc_id, countries in (("doc-pk", {"PK", "-"}), ("doc-none", {"*"})):
            read.clear()
            [fresh] = mentions_from_rows(store.fusion_inputs(doc_ids=[doc_id]))
            [candidates] = canonical._blocks(store, [fresh], settings)
            assert {key.rpartition("|")[2] for key, _ in read} == countries
            assert sorted(m.key for _, m in candidates) == sorted(
                m.key for m in stored if may_pair(fresh, m, settings))


def test_a_mention_with_its_candidates_on_its_own_days_reads_no_farther_day(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The days around a precisely dated mention are read nearest first, and no farther
    than its `MAX_CANDIDATES` nearest candidates lie: with three reports on its own day it
    reads that day only; with one, it reads on to the days within the slack, and finds the
    same candidates, in the same order, as when every day is read."""
    from datetime import date, timedelta

    from newsledger import canonical

    day = date(2024, 6, 12)
    settings = FusionSettings()
    with Store.open(tmp_path / "ledger.duckdb") as store:
        for number, offset in enumerate([0, 0, 0, -2, 1, 3, 5]):
            store.add(_attack(f"doc-{number}", day + timedelta(days=offset), QUETTA, "Quetta"))
        store.add(_attack("doc-fresh", day, QUETTA, "Quetta"), fuse=False)
        [fresh] = mentions_from_rows(store.fusion_inputs(doc_ids=["doc-fresh"]))
        read = _rows_read(monkeypatch)
        [everyone] = canonical._blocks(store, [fresh], settings)
        all_rows = len(read)
        monkeypatch.setattr(canonical, "MAX_CANDIDATES", 3)
        read.clear()
        [nearest] = canonical._blocks(store, [fresh], settings)
        assert all(f"|d|{day.isoformat()}|" in key for key, _ in read) and len(read) < all_rows
        monkeypatch.setattr(canonical, "MAX_CANDIDATES", 5)
        read.clear()
        [five] = canonical._blocks(store, [fresh], settings)
    assert [m.doc_id for _, m in nearest] == ["doc-0", "doc-1", "doc-2"]
    assert [m.doc_id for _, m in five] == [m.doc_id for _, m in everyone][:5]
    assert {m.doc_id for _, m in everyone} == {f"doc-{n}" for n in range(6)}   # 5 days away: beyond the slack



def test_a_large_component_keeps_its_events_and_only_the_new_report_is_scored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From `FUSE_WHOLE_BELOW` stored members on, a component a new report links to is not
    fused again whole: its events are kept and the new report joins one of them. No pair of
    two stored members is scored again, and the events are those refusion gives: the new
    report of the market bombing joins it, the one of another town's raid stays apart."""
    from datetime import date

    from newsledger import canonical, fuse

    monkeypatch.setattr(canonical, "FUSE_WHOLE_BELOW", 3)
    day = date(2024, 3, 4)

    def bombing(doc_id: str, outlet: str) -> dict[str, Any]:
        body = f"A bomb tore through a vegetable market in Quetta on {day:%d %B}, killing six people, {outlet} said."
        return record(doc_id, body, day.isoformat(), outlet, [],
                      [{"type": "ASSAULT", "date": day.isoformat(), "place": QUETTA, "killed": 6,
                        "evidence": "A bomb tore through a vegetable market in Quetta"}],
                      places=[("Quetta", QUETTA, "city")])

    raid = record("doc-raid", f"Gunmen stormed a police post in Peshawar on {day:%d %B}, officials said.",
                  day.isoformat(), "Wire Nine", [],
                  [{"type": "ASSAULT", "date": day.isoformat(), "place": PESHAWAR,
                    "evidence": "Gunmen stormed a police post in Peshawar"}],
                  places=[("Peshawar", PESHAWAR, "city")])
    earlier = [bombing(f"doc-{n}", f"Wire {n}") for n in range(4)]
    scored: list[frozenset[str]] = []
    original = fuse.compare

    def counted(a: Any, b: Any, *args: Any) -> Any:
        scored.append(frozenset({a.doc_id, b.doc_id}))
        return original(a, b, *args)

    db = tmp_path / "ledger.duckdb"
    with Store.open(db) as store:
        for item in earlier:
            store.add(item)
        assert store.connection.execute("SELECT count(DISTINCT canonical_id) FROM canonical_members").fetchone()[0] == 1
        monkeypatch.setattr(fuse, "compare", counted)
        store.add(bombing("doc-late", "Daily Five"))
        store.add(raid)
        monkeypatch.setattr(fuse, "compare", original)
        incremental = sorted(sorted(m.doc_id for m in e.mentions) for e in read_canonical(store))
    written = _snapshot(db)
    with Store.open(db) as store:
        refuse(store)
    assert _snapshot(db) == written   # records, members, components: as refusion writes them
    assert incremental == [["doc-0", "doc-1", "doc-2", "doc-3", "doc-late"], ["doc-raid"]]
    stored = {item["id"] for item in earlier}
    assert scored and not [pair for pair in scored if pair <= stored]
    with Store.open(db) as store:   # an analyst's split fuses the large component again whole
        store.add_split(("doc-0", "e1"), ("doc-late", "e1"))
        events = sorted(sorted(m.doc_id for m in e.mentions) for e in read_canonical(store))
    assert ["doc-late"] in events and ["doc-raid"] in events and len(events) == 3


def test_a_large_component_renamed_by_a_new_report_keeps_its_other_event(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report of a market bombing in Peshawar links to the one report of the Quetta market
    bombing that names no town, but cannot join the reports that place it in Quetta: one
    component, two events. A new report of the Quetta bombing, whose id sorts first, joins
    it and names the component: the Peshawar event's rows stay and take the new component
    id, as refusion writes them."""
    from datetime import date

    from newsledger import canonical

    monkeypatch.setattr(canonical, "FUSE_WHOLE_BELOW", 3)
    day = date(2024, 3, 4)

    def bombing(doc_id: str, outlet: str, place: dict[str, Any] | None) -> dict[str, Any]:
        where = f" in {place['name']}" if place else ""
        body = f"A bomb tore through a vegetable market{where} on {day:%d %B}, {outlet} said."
        return record(doc_id, body, day.isoformat(), outlet, [],
                      [{"type": "ASSAULT", "date": day.isoformat(), "evidence": f"A bomb tore through a vegetable market{where}",
                        **({"place": place} if place else {})}],
                      places=[(place["name"], place, "city")] if place else [])

    db = tmp_path / "ledger.duckdb"
    with Store.open(db) as store:
        for item in [bombing("doc-m0", "Wire Zero", None), *(bombing(f"doc-m{n}", f"Wire {n}", QUETTA) for n in (1, 2, 3)),
                     bombing("doc-s", "Daily Two", PESHAWAR)]:
            store.add(item)
        before = store.connection.execute("SELECT DISTINCT component FROM canonical_members").fetchall()
        apart = store.connection.execute("SELECT canonical_id FROM canonical_members WHERE doc_id = 'doc-s'").fetchone()
        store.add(bombing("doc-a", "Daily One", QUETTA))
        after = store.connection.execute("SELECT DISTINCT component FROM canonical_members").fetchall()
        kept = store.connection.execute("SELECT canonical_id FROM canonical_members WHERE doc_id = 'doc-s'").fetchone()
    assert len(before) == 1 and len(after) == 1 and before != after and kept == apart

    def without_merges(snapshot: list[Any]) -> list[Any]:
        """The order in which a kept event's reports were joined is the order they came in."""
        return [{k: v for k, v in row.items() if k != "merges"} if isinstance(row, dict) else row
                for row in snapshot]

    written = _snapshot(db)
    with Store.open(db) as store:
        refuse(store)
        events = sorted(sorted(m.doc_id for m in e.mentions) for e in read_canonical(store))
    assert without_merges(_snapshot(db)) == without_merges(written)
    assert events == [["doc-a", "doc-m0", "doc-m1", "doc-m2", "doc-m3"], ["doc-s"]]


def test_a_place_with_no_country_has_the_same_blocking_keys_in_bulk_as_on_ingest(tmp_path: Path) -> None:
    """A region or sea is a place with an empty country: ingest files its dated mention under
    no country (`NO_COUNTRY`), and the bulk path of upgrades and benchmarks must say the same."""
    from newsledger import canonical

    region = {"geonameid": None, "name": "North Africa", "country": ""}
    text = "Pirates seized a cargo ship off North Africa on Monday."
    item = record("doc-r", text, "2024-05-07", "Weekly Sea", [],
                  [{"type": "ASSAULT", "place": region, "date": "2024-05-06",
                    "evidence": "Pirates seized a cargo ship off North Africa"}],
                  places=[("North Africa", region, "region")])
    with Store.open(tmp_path / "region.duckdb") as store:
        store.add(item)
        columns = "block, mention, country, day_first, day_last, dated_precisely"
        written = sorted(map(repr, store.connection.execute(f"SELECT {columns} FROM canonical_blocks").fetchall()))
        store.connection.execute("DELETE FROM canonical_blocks")
        canonical.register_blocks(store, "TRUE", [], FusionSettings())
        bulk = sorted(map(repr, store.connection.execute(f"SELECT {columns} FROM canonical_blocks").fetchall()))
    assert any(f"|d|2024-05-06|{canonical.NO_COUNTRY}'" in row for row in written)
    assert bulk == written
