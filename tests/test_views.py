"""The web app's views (`newsledger.views`, /api/view/...) on a hand-built store: the four
reports of `tests.test_fuse` and two more written here (an event dated only to its month, an
attack on generic participants)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from newsledger.errors import NewsledgerError
from newsledger.store import Store
from newsledger.views import (
    Sort,
    ViewFilter,
    cell_degrees,
    choose_bin,
    events_page,
    export_rows,
    facets,
    map_clusters,
    network,
    timeline,
)
from tests.test_fuse import KABUL, build_db, corpus, record

BODY_E = "Troops shelled villages near Kabul during May, residents said."
BODY_F = "An army unit fired on people at a market in Kabul on Friday."


def more_reports() -> list[dict]:
    return [
        record("doc-e", BODY_E, "2024-06-02", "Wire One",
               [("a1", "troops", "organisation", "AFG", "MIL", "Troops")],
               [{"type": "ASSAULT", "source": ["a1"], "date": "2024-05", "precision": "month", "place": KABUL,
                 "evidence": "Troops shelled villages near Kabul"}],
               places=[("Kabul", KABUL, "city")], title="Shelling near Kabul"),
        record("doc-f", BODY_F, "2024-05-18", "Wire One",
               [("a1", "army (AFG)", "organisation", "AFG", "MIL", "army unit"),
                ("a2", "people", "group", "AFG", "CVL", "people")],
               [{"type": "ASSAULT", "source": ["a1"], "target": ["a2"], "date": "2024-05-17", "place": KABUL,
                 "killed": 2, "evidence": "An army unit fired on people at a market in Kabul"}],
               places=[("Kabul", KABUL, "city")], title="Market shooting in Kabul"),
    ]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("views") / "ledger.duckdb", corpus() + more_reports())


@pytest.fixture
def con(db: Path):
    with Store.open(db, read_only=True) as store:
        yield store.connection


def _ids(page) -> list[str]:
    return [row["id"] for row in page.items]


def test_a_month_precision_event_is_kept_by_any_range_inside_its_month(con) -> None:
    inside = events_page(con, ViewFilter.parse(since="2024-05-20", until="2024-05-25"), Sort(), 50, 0)
    assert [row["evidence"] for row in inside.items] == ["Troops shelled villages near Kabul"]
    after = events_page(con, ViewFilter.parse(since="2024-06"), Sort(), 50, 0)
    assert after.total == 0


def test_the_time_axis_bins_by_day_and_keeps_a_month_as_a_period(con) -> None:
    axis = timeline(con, ViewFilter())
    assert axis.bin == "day" and axis.first == "2024-05-01" and axis.last == "2024-06-01"
    assert [(b.start, b.count) for b in axis.bins] == [
        ("2024-05-14", 2), ("2024-05-16", 1), ("2024-05-17", 1), ("2024-05-19", 1)]
    assert [(p.start, p.end, p.precision, p.count) for p in axis.periods] == [("2024-05-01", "2024-06-01", "month", 1)]
    by_month = timeline(con, ViewFilter(), "month")
    assert [(b.start, b.end, b.count) for b in by_month.bins] == [("2024-05-01", "2024-06-01", 6)]
    assert by_month.periods == []


def test_the_bin_grows_with_the_span() -> None:
    assert [choose_bin(days) for days in (10, 150, 400, 4000, 40000)] == ["day", "day", "week", "month", "year"]


def test_any_column_sorts_with_unknown_values_last_and_the_download_follows(con) -> None:
    page = events_page(con, ViewFilter(), Sort("killed", descending=True), 50, 0)
    assert [row["killed"] for row in page.items][:2] == [5, 2]
    assert all(row["killed"] is None for row in page.items[2:])
    assert _ids(page) == [row["id"] for row in export_rows(con, ViewFilter(), Sort("killed", True))]
    second = events_page(con, ViewFilter(), Sort("killed", True), 2, 2)
    assert _ids(second) == _ids(page)[2:4] and second.total == page.total == 6


def test_facets_count_the_filtered_events(con) -> None:
    found = facets(con, ViewFilter.parse(type="ASSAULT"))
    assert [(v.value, v.count) for v in found["type"]] == [("ASSAULT", 4)]
    assert {(v.value, v.count) for v in found["outlet"]} == {("Wire One", 3), ("Daily Two", 2)}
    assert {(v.value, v.count) for v in found["country"]} == {("PAK", 2), ("AFG", 2)}


def test_generic_participants_fold_into_a_node_of_their_sector_and_country(con) -> None:
    nodes, edges = network(con, ViewFilter())
    by_id = {n.id: n for n in nodes}
    assert "sector:CVL:AFG" in by_id and by_id["sector:CVL:AFG"].label == "civilians (AFG)"
    assert by_id["sector:MIL:AFG"].generic and by_id["sector:MIL:AFG"].label == "military (AFG)"
    assert not by_id["actor:Pakistan"].generic and by_id["actor:Pakistan"].label == "Pakistan (PAK)"
    assert not any("people" in n.label or "(AFG) (AFG)" in n.label for n in nodes)
    shooting = next(e for e in edges if e.source == "sector:MIL:AFG")
    assert (shooting.target, shooting.type, shooting.cooperative) == ("sector:CVL:AFG", "ASSAULT", False)
    assert next(e for e in edges if e.type == "CONSULT").cooperative
    folded = events_page(con, ViewFilter.parse(node="sector:CVL:AFG"), Sort(), 50, 0)
    assert [row["evidence"] for row in folded.items] == ["An army unit fired on people at a market in Kabul"]
    named = events_page(con, ViewFilter.parse(node="actor:Pakistan"), Sort(), 50, 0)
    assert [row["source"] for row in named.items] == ["Pakistan"]


def test_map_clusters_split_as_the_map_zooms_and_a_box_filters(con) -> None:
    world, placed = map_clusters(con, ViewFilter(), zoom=1)
    assert placed == 5 and len(world) == 1 and world[0].event_id is None     # the condemnation has no place
    close, _ = map_clusters(con, ViewFilter(), zoom=4)
    assert sorted((c.label, c.count) for c in close) == [("Kabul", 3), ("Quetta", 2)] and cell_degrees(4) < 1
    biggest, counted = map_clusters(con, ViewFilter(), zoom=4, limit=1)
    assert [c.label for c in biggest] == ["Kabul"] and counted == 5       # the total counts every cluster
    quetta = ViewFilter.parse(bbox="29,66,31,68")
    assert events_page(con, quetta, Sort(), 50, 0).total == 2
    across = ViewFilter.parse(bbox="-10,170,10,-170")        # crosses the antimeridian
    assert events_page(con, across, Sort(), 50, 0).total == 0
    assert "longitude >= ? OR longitude <= ?" in across.where()[0]


@pytest.mark.parametrize("option, value", [("type", "BOMBING"), ("bbox", "1,2,3"), ("bbox", "50,0,10,5"),
                                           ("since", "May 2024"), ("since", "2024-02-30"), ("until", "2024-13"),
                                           ("country", "Pakistan"),
                                           ("node", "Pakistan")])
def test_a_bad_option_is_a_coded_error(option: str, value: str) -> None:
    with pytest.raises(NewsledgerError) as caught:
        ViewFilter.parse(**{option: value})
    assert caught.value.code == "E402" and option in caught.value.message


def test_the_routes_page_and_download_exactly_the_view(db: Path) -> None:
    pytest.importorskip("httpx", reason="the API test client needs httpx")
    from fastapi.testclient import TestClient

    from newsledger.api import create_app

    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        page = client.get("/api/view/events", params={"type": "ASSAULT", "sort": "date", "dir": "desc", "limit": 2}).json()
        assert page["total"] == 4 and [r["date"] for r in page["items"]] == ["2024-05-19", "2024-05-17"]
        download = client.get("/api/view/export.csv", params={"type": "ASSAULT", "sort": "date", "dir": "desc"})
        assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(download.text)))
        assert [r["date"] for r in rows] == ["2024-05-19", "2024-05-17", "2024-05-14", "2024-05"]
        as_json = json.loads(client.get("/api/view/export.json", params={"q": "kabul"}).text)
        assert {r["place"] for r in as_json} == {"Kabul"} and len(as_json) == 3
        bad = client.get("/api/view/events", params={"sort": "colour"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "E402"
        assert client.get("/api/view/export.xml").status_code == 404
        assert client.get("/api/view/summary").json()["canonical_events"] == 6
        assert set(client.get("/api/view/facets").json()) == {"type", "actor", "country", "admin1", "outlet"}
        assert client.get("/api/view/map", params={"zoom": 4}).json()["total"] == 5
        assert client.get("/api/view/timeline", params={"bin": "fortnight"}).status_code == 400
        assert client.get("/api/view/timeline", params={"since": "2024-99"}).json()["error"]["code"] == "E402"
        assert {"/api/view/events", "/api/view/export.{form}"} <= set(client.get("/openapi.json").json()["paths"])


def test_a_split_is_listed_on_both_events_with_where_the_other_mention_went(tmp_path: Path) -> None:
    from newsledger.views import splits_of

    db = build_db(tmp_path / "ledger.duckdb")
    with Store.open(db) as store:
        store.add_split(("doc-a", "e1"), ("doc-b", "e1"), "different checkpoints")
        rows = store.connection.execute(
            "SELECT doc_id, canonical_id FROM canonical_members WHERE event_id = 'e1' AND doc_id IN ('doc-a', 'doc-b')"
            " ORDER BY doc_id").fetchall()
        first, second = rows[0][1], rows[1][1]
        assert first != second
        [mine] = splits_of(store.connection, first)
        assert (mine.mention, mine.other, mine.other_event, mine.note) == ("doc-a:e1", "doc-b:e1", second,
                                                                            "different checkpoints")
        [theirs] = splits_of(store.connection, second)
        assert (theirs.mention, theirs.other, theirs.other_event) == ("doc-b:e1", "doc-a:e1", first)
        assert splits_of(store.connection, "ev-none") == []


def test_an_export_stopped_by_the_read_timeout_is_an_error_not_a_cut_file(db: Path, monkeypatch) -> None:
    pytest.importorskip("httpx", reason="the API test client needs httpx")
    from fastapi.testclient import TestClient

    from newsledger import views
    from newsledger.api import create_app

    def slow_rows(con, *args, **kwargs):
        yield from export_rows(con, *args, **kwargs)
        con.execute("SELECT sum(i) FROM range(10000000000000) t(i)").fetchall()   # still running at the limit

    monkeypatch.setattr(views, "export_rows", slow_rows)
    with TestClient(create_app(db, read_timeout=0.2), base_url="http://127.0.0.1") as client:
        answer = client.get("/api/view/export.json")
        assert answer.status_code == 503 and answer.json()["error"]["code"] == "E406"
        assert client.get("/api/view/summary").status_code == 200        # the next request is served
