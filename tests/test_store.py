"""The DuckDB store: schema, single writer, idempotent adds, failures, event queries."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from newsledger.errors import NewsledgerError
from newsledger.model import (
    Actor,
    Document,
    Event,
    EventDate,
    EventPlace,
    Failure,
    Meta,
    Place,
    Quote,
    Span,
    Timex,
)
from newsledger.store import TABLES, Store, check_date_prefix, period_start

BODY_ONE = (
    "Islamabad: Pakistani troops shelled a border post in Kunar on Feb 22, killing three. "
    "Defence Minister Khawaja Asif said on Tuesday talks with Kabul would continue."
)
BODY_TWO = "Kabul: The Afghan Taliban accused Pakistan on March 2 of violating the border agreement."
BODY_THREE = "Washington: The United States and Pakistan agreed in 2023-W10 to more dialogue on terrorism."


def _span(body: str, text: str) -> tuple[int, int]:
    start = body.index(text)
    return start, start + len(text)


def make_doc(body: str, published: date | None, actors: list[tuple[str, str, str, str]],
             events: list[dict[str, Any]], outlet: str = "Test Wire") -> Document:
    """A processed Document built by hand: actors are (id, name, country, mention text)."""
    doc = Document(raw=body, meta=Meta(source=f"fixture:{body[:12]}", outlet=outlet,
                                       published=published, dateline=body.split(":")[0]))
    doc.body = body
    doc.actors = [
        Actor(id=ident, name=name, kind="state", country=country, sector="GOV",
              mentions=[Span(mention, *_span(body, mention))])
        for ident, name, country, mention in actors
    ]
    doc.timexes, doc.places, doc.quotes, doc.events = [], [], [], []
    for number, spec in enumerate(events, start=1):
        evidence = spec["evidence"]
        value = spec.get("date")
        doc.events.append(Event(
            id=f"e{number}", type=spec["type"], mode=spec.get("mode"), context=spec.get("context", []),
            modality="asserted", source=spec["source"], target=spec["target"],
            date=EventDate(value=value, precision=spec.get("precision", "day"), anchor="sentence")
            if value else None,
            place=EventPlace(**spec["place"]) if spec.get("place") else None,
            evidence=Span(evidence, *_span(body, evidence)), confidence=spec.get("confidence", 0.8),
            killed=spec.get("killed"),
        ))
    return doc


def doc_one() -> Document:
    """Pakistan shells a post (ASSAULT, Feb 22); Asif says talks go on (CONSULT, Mar 7)."""
    doc = make_doc(
        BODY_ONE, date(2023, 3, 8),
        actors=[("a1", "Pakistan", "PAK", "Pakistani troops"),
                ("a2", "Afghanistan", "AFG", "Kabul"),
                ("a3", "Khawaja Asif", "PAK", "Khawaja Asif")],
        events=[
            {"type": "ASSAULT", "mode": "aerial", "source": ["a1"], "target": ["a2"], "date": "2023-02-22",
             "evidence": "Pakistani troops shelled a border post in Kunar", "killed": 3,
             "place": {"geonameid": 1135702, "name": "Kunar", "country": "AF", "admin1": "Kunar",
                       "admin1_code": "AF-KNR", "precision": "admin1", "lat": 34.9, "lon": 71.1},
             "context": ["military"]},
            {"type": "CONSULT", "source": ["a3"], "target": ["a2"], "date": "2023-03-07",
             "evidence": "talks with Kabul would continue"},
        ],
    )
    start, end = _span(BODY_ONE, "on Tuesday")
    doc.timexes = [Timex("on Tuesday", start, end, "DATE", "2023-03-07", "day", anchor="published")]
    start, end = _span(BODY_ONE, "Kunar")
    doc.places = [Place("Kunar", start, end, 1135702, "Kunar", "AF", 34.9, 71.1, "ADM1", "province",
                        iso3="AFG", admin1="Kunar", admin1_code="AF-KNR", precision="admin1")]
    start, end = _span(BODY_ONE, "talks with Kabul would continue")
    doc.quotes = [Quote("indirect", "talks with Kabul would continue", start, end, "a3", "Khawaja Asif",
                        "said")]
    return doc


def doc_two() -> Document:
    """The Taliban accuse Pakistan (ACCUSE, March 2)."""
    return make_doc(
        BODY_TWO, date(2023, 3, 3),
        actors=[("a1", "Afghan Taliban", "AFG", "The Afghan Taliban"), ("a2", "Pakistan", "PAK", "Pakistan")],
        events=[{"type": "ACCUSE", "source": ["a1"], "target": ["a2"], "date": "2023-03-02",
                 "evidence": "The Afghan Taliban accused Pakistan"}],
    )


def doc_three() -> Document:
    """The US and Pakistan agree (AGREE, week 10 of 2023 = from 2023-03-06); no place."""
    return make_doc(
        BODY_THREE, None,
        actors=[("a1", "United States", "USA", "The United States"), ("a2", "Pakistan", "PAK", "Pakistan")],
        events=[{"type": "AGREE", "source": ["a1", "a2"], "target": [], "date": "2023-W10", "precision": "week",
                 "evidence": "The United States and Pakistan agreed"}],
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.duckdb"


@pytest.fixture
def filled(db_path: Path) -> Path:
    """A database holding the three hand-built documents."""
    with Store.open(db_path) as store:
        for doc in (doc_one(), doc_two(), doc_three()):
            store.add(doc.to_json())
    return db_path


def test_round_trip_fills_every_table(db_path: Path) -> None:
    record = doc_one().to_json()
    record["events"][1]["date"] |= {"start": "2023-03-06", "end": "2023-03-07"}
    record["events"][1]["quote"] = 0
    with Store.open(db_path) as store:
        assert store.add(record) is True
        assert store.add_failure(Failure("bad.html", "E105", "no article text", "ingest").to_json())
    with Store.open(db_path, read_only=True) as store:
        counts = store.counts()
        assert list(counts) == list(TABLES)
        assert counts == {"documents": 1, "actors": 3, "mentions": 3, "timexes": 1, "places": 1,
                          "quotes": 1, "events": 2, "errors": 1}
        [document] = store.rows("documents")
        assert document["id"] == record["id"]
        assert document["published"] == date(2023, 3, 8)
        assert document["body"] == BODY_ONE and document["dateline"] == "Islamabad"
        assert document["ingested_at"] is not None
        mention = store.rows("mentions")[0]
        assert BODY_ONE[mention["start"]:mention["end"]] == mention["text"] == "Pakistani troops"
        assert store.rows("timexes")[0]["value"] == "2023-03-07"
        place = store.rows("places")[0]
        assert (place["geonameid"], place["iso3"], place["admin1_code"], place["precision"]) == (
            1135702, "AFG", "AF-KNR", "admin1")
        assert store.rows("quotes")[0]["speaker"] == "a3"
        assault, consult = store.rows("events")
        assert assault["source_names"] == ["Pakistan"] and assault["target_countries"] == ["AFG"]
        assert assault["context"] == ["military"] and assault["killed"] == 3
        assert assault["place_name"] == "Kunar" and assault["place_country"] == "AF"
        assert (assault["admin1"], assault["admin1_code"], assault["admin2"], assault["geo_precision"]) == (
            "Kunar", "AF-KNR", None, "admin1")
        assert (assault["lat"], assault["lon"]) == (34.9, 71.1)
        assert BODY_ONE[assault["evidence_start"]:assault["evidence_end"]] == assault["evidence_text"]
        assert consult["source_names"] == ["Khawaja Asif"] and consult["date_value"] == "2023-03-07"
        assert (consult["date_start"], consult["date_end"], consult["quote_seq"]) == ("2023-03-06", "2023-03-07", 0)
        assert (assault["date_start"], assault["quote_seq"]) == (None, None)
        assert store.rows("errors")[0]["code"] == "E105"


def test_readding_a_document_changes_nothing(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.add(doc_one().to_json()) is True
        before = store.counts()
        changed = doc_one()
        changed.meta.outlet = "Another Outlet"  # same body, hence same id
        assert store.add(changed.to_json()) is False
        assert store.counts() == before
        assert store.rows("documents")[0]["outlet"] == "Test Wire"


def test_a_failed_add_rolls_back_every_layer(db_path: Path) -> None:
    record = doc_one().to_json()
    record["events"][1]["id"] = record["events"][0]["id"]  # duplicate key in the events table
    with Store.open(db_path) as store:
        with pytest.raises(duckdb.Error):
            store.add(record)
        assert set(store.counts().values()) == {0}
        assert store.add(doc_one().to_json()) is True


def test_failures_are_recorded_once_per_source_and_code(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.add_failure(Failure("a.txt", "E101", "empty").to_json()) is True
        assert store.add_failure(Failure("a.txt", "E101", "empty again").to_json()) is False
        assert store.add_failure(Failure("a.txt", "E112", "too short").to_json()) is True
        assert store.add_failure(Failure("b.txt", "E101", "empty").to_json()) is True
        errors = store.rows("errors")
    assert len(errors) == 3
    assert [e["message"] for e in errors if e["source"] == "a.txt" and e["code"] == "E101"] == ["empty"]


def test_not_a_document_record_is_refused(db_path: Path) -> None:
    with Store.open(db_path) as store:
        with pytest.raises(ValueError):
            store.add({"schema": "something-else/1", "id": "x"})


def _ids(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(row["type"], row["date_value"]) for row in rows]


def test_events_are_ordered_by_date_then_document(filled: Path) -> None:
    with Store.open(filled, read_only=True) as store:
        rows = store.events()
    assert _ids(rows) == [("ASSAULT", "2023-02-22"), ("ACCUSE", "2023-03-02"),
                          ("AGREE", "2023-W10"), ("CONSULT", "2023-03-07")]
    assert rows[0]["outlet"] == "Test Wire" and rows[0]["published"] == "2023-03-08"


def test_event_filters(filled: Path) -> None:
    with Store.open(filled, read_only=True) as store:
        assert _ids(store.events(actor="taliban")) == [("ACCUSE", "2023-03-02")]
        # a target matches as well as a source; the substring is case-insensitive
        assert [r["type"] for r in store.events(actor="AFGHAN")] == ["ASSAULT", "ACCUSE", "CONSULT"]
        assert [r["type"] for r in store.events(type="accuse")] == ["ACCUSE"]
        assert [r["type"] for r in store.events(country="usa")] == ["AGREE"]
        assert [r["type"] for r in store.events(country="AFG")] == ["ASSAULT", "ACCUSE", "CONSULT"]
        assert [r["type"] for r in store.events(since="2023-03")] == ["ACCUSE", "AGREE", "CONSULT"]
        assert [r["type"] for r in store.events(since="2023-03-03")] == ["AGREE", "CONSULT"]
        assert [r["type"] for r in store.events(until="2023-02")] == ["ASSAULT"]
        assert [r["type"] for r in store.events(until="2023-03-06")] == ["ASSAULT", "ACCUSE", "AGREE"]
        assert [r["type"] for r in store.events(since="2024")] == []
        assert [r["type"] for r in store.events(limit=2)] == ["ASSAULT", "ACCUSE"]
        assert [r["type"] for r in store.events(country="PAK", type="CONSULT", actor="asif")] == ["CONSULT"]


@pytest.mark.parametrize("bad", [{"type": "BOMB"}, {"country": "Pakistan"}, {"since": "March 2023"},
                                 {"until": "2023-02-30"}, {"limit": 0}])
def test_bad_query_options_raise_e402(filled: Path, bad: dict[str, Any]) -> None:
    with Store.open(filled, read_only=True) as store:
        with pytest.raises(NewsledgerError) as caught:
            store.events(**bad)
    assert caught.value.code == "E402"


def test_a_quote_in_a_filter_is_a_value_not_sql(filled: Path) -> None:
    with Store.open(filled, read_only=True) as store:
        assert store.events(actor="x' OR '1'='1") == []
        assert len(store.events()) == 4


def test_read_only_store_refuses_writes(filled: Path) -> None:
    with Store.open(filled, read_only=True) as store:
        with pytest.raises(NewsledgerError) as caught:
            store.add(doc_two().to_json())
        assert caught.value.code == "E401"
        with pytest.raises(NewsledgerError):
            store.add_failure(Failure("x", "E101", "empty").to_json())
        with pytest.raises(duckdb.Error):  # DuckDB itself refuses too
            store.connection.execute("DELETE FROM documents")
        assert store.counts()["documents"] == 3


def test_missing_broken_and_locked_files_raise_e401(tmp_path: Path, filled: Path) -> None:
    with pytest.raises(NewsledgerError) as missing:
        Store.open(tmp_path / "absent.duckdb", read_only=True)
    assert missing.value.code == "E401" and "ingest" in missing.value.message
    broken = tmp_path / "broken.duckdb"
    broken.write_text("this is not a database\n" * 100)
    for read_only in (False, True):
        with pytest.raises(NewsledgerError) as caught:
            Store.open(broken, read_only=read_only)
        assert caught.value.code == "E401"
    with Store.open(filled):  # the writer holds the file: a reader with another mode is refused
        with pytest.raises(NewsledgerError) as locked:
            Store.open(filled, read_only=True)
    assert locked.value.code == "E401"


SCHEMA_3_EVENT_COLUMNS = ["admin1", "admin1_code", "admin2", "admin2_code", "geo_precision", "lat", "lon"]
SCHEMA_3_PLACE_COLUMNS = ["iso3", "admin1", "admin1_code", "admin2", "admin2_code", "precision"]


CANONICAL_TABLES = ["canonical_events", "canonical_members", "canonical_blocks"]
SCHEMA_5_EVENT_COLUMNS = ["killed_max", "injured_max"]   # added by schema 6
SCHEMA_8_EVENT_COLUMNS = ["inferred_ids"]                 # added by schema 9


@pytest.mark.parametrize("version, dropped_event_columns, dropped_place_columns, dropped_tables", [
    (1, ["date_start", "date_end", "quote_seq"] + SCHEMA_3_EVENT_COLUMNS + SCHEMA_5_EVENT_COLUMNS
     + SCHEMA_8_EVENT_COLUMNS, SCHEMA_3_PLACE_COLUMNS, ["fusion_splits", *CANONICAL_TABLES]),
    (2, ["date_start", "date_end", "quote_seq"] + SCHEMA_3_EVENT_COLUMNS + SCHEMA_5_EVENT_COLUMNS
     + SCHEMA_8_EVENT_COLUMNS, SCHEMA_3_PLACE_COLUMNS, CANONICAL_TABLES),
    (3, SCHEMA_3_EVENT_COLUMNS + SCHEMA_5_EVENT_COLUMNS + SCHEMA_8_EVENT_COLUMNS, SCHEMA_3_PLACE_COLUMNS,
     CANONICAL_TABLES),
    (4, SCHEMA_5_EVENT_COLUMNS + SCHEMA_8_EVENT_COLUMNS, [], CANONICAL_TABLES),
    (5, SCHEMA_5_EVENT_COLUMNS + SCHEMA_8_EVENT_COLUMNS, [], []),
    (8, SCHEMA_8_EVENT_COLUMNS, [], []),
])
def test_an_older_file_is_upgraded_in_place_and_keeps_its_rows(
        tmp_path: Path, version: int, dropped_event_columns: list[str], dropped_place_columns: list[str],
        dropped_tables: list[str]) -> None:
    old = tmp_path / "old.duckdb"
    with Store.open(old) as store:
        store.add(doc_one().to_json())
        for index in ("events_doc", "actors_doc", "places_doc"):   # schema 8's, made again by the upgrade
            store.connection.execute(f"DROP INDEX {index}")
        for column in dropped_event_columns:
            store.connection.execute(f"ALTER TABLE events DROP COLUMN {column}")
        for column in dropped_place_columns:
            store.connection.execute(f"ALTER TABLE places DROP COLUMN {column}")
        for table in dropped_tables:
            store.connection.execute(f"DROP TABLE {table}")
        store.connection.execute(f"UPDATE newsledger_schema SET version = {version}")
    with pytest.raises(NewsledgerError):
        Store.open(old, read_only=True)           # a reader never changes the file
    with Store.open(old) as store:                # a writer adds the columns and tables
        store.add(doc_two().to_json())
        columns = [row[0] for row in store.connection.execute("DESCRIBE events").fetchall()]
        added = SCHEMA_3_EVENT_COLUMNS + SCHEMA_5_EVENT_COLUMNS + SCHEMA_8_EVENT_COLUMNS
        assert columns[-len(added):] == added
        places = [row[0] for row in store.connection.execute("DESCRIBE places").fetchall()]
        assert places[-len(SCHEMA_3_PLACE_COLUMNS):] == SCHEMA_3_PLACE_COLUMNS
        tables = {row[0] for row in store.connection.execute("SHOW TABLES").fetchall()}
        assert {"fusion_splits", *CANONICAL_TABLES} <= tables
        # the canonical tables hold the old document's events (filled on upgrade) and the new one's
        members = store.connection.execute("SELECT DISTINCT doc_id FROM canonical_members").fetchall()
        assert {row[0] for row in members} == {doc_one().id, doc_two().id}
    with Store.open(old, read_only=True) as store:
        assert store.counts()["documents"] == 2 and len(store.events()) == 3
        old_rows = [event for event in store.rows("events") if event["doc_id"] == doc_one().id]
        for column in ("admin1", "killed_max", "inferred_ids"):   # a column added by the upgrade has no value on old rows
            if column in dropped_event_columns:
                assert {event[column] for event in old_rows} == {None}


def test_a_duckdb_file_of_another_program_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    connection = duckdb.connect(str(other))
    connection.execute("CREATE TABLE things (x INTEGER)")
    connection.close()
    with pytest.raises(NewsledgerError) as caught:
        Store.open(other, read_only=True)
    assert caught.value.code == "E401" and "not a newsledger database" in caught.value.message


@pytest.mark.parametrize("value, start", [
    ("2023-03-07", "2023-03-07"), ("2023-03-07T14:30", "2023-03-07"), ("2023-03", "2023-03"),
    ("2023", "2023"), ("2023-W10", "2023-03-06"), ("2023-Q2", "2023-04"), ("2023-SU", "2023"),
    ("199", "1990"), ("19", "1900"), ("P2D", None), ("PAST_REF", None), ("XXXX-03", None), (None, None),
])
def test_period_start(value: str | None, start: str | None) -> None:
    assert period_start(value) == start


def test_check_date_prefix() -> None:
    assert check_date_prefix("2023-02-28") == "2023-02-28"
    for bad in ("2023-2", "2023-13", "23", "2023-02-29"):
        with pytest.raises(NewsledgerError):
            check_date_prefix(bad)
