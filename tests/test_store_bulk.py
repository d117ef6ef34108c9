"""Bulk writes: a group of records stored with one insert per table is the same database as
the records stored one by one; re-ingest stays a no-op."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsledger.store import TABLES, Store
from tests.test_store import doc_one, doc_three, doc_two

VOLATILE_COLUMNS = {"documents": "ingested_at", "errors": "first_seen"}


def _rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    rows = {}
    for table in (*TABLES, "canonical_events", "canonical_members"):
        columns = [name for (name,) in store.connection.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [table]).fetchall() if name != VOLATILE_COLUMNS.get(table)]
        listed = ", ".join(f'"{c}"' for c in columns)
        rows[table] = store.connection.execute(f"SELECT {listed} FROM {table} ORDER BY ALL").fetchall()
    return rows


def test_a_group_stored_at_once_equals_the_records_stored_one_by_one(tmp_path: Path) -> None:
    records = [doc().to_json() for doc in (doc_one, doc_two, doc_three)]
    with Store.open(tmp_path / "one.duckdb") as one, Store.open(tmp_path / "bulk.duckdb") as bulk:
        assert [one.add(record) for record in records] == [True, True, True]
        assert bulk.add_many(records) == [True, True, True]
        expected, got = _rows(one), _rows(bulk)
    assert expected["events"] and expected["canonical_events"] and expected["places"]
    assert got == expected


def test_stored_and_repeated_records_are_left_out_of_a_group(tmp_path: Path) -> None:
    first, second, third = (doc().to_json() for doc in (doc_one, doc_two, doc_three))
    with Store.open(tmp_path / "l.duckdb") as store:
        assert store.add(first, fuse=False)
        assert store.add_many([first, second, second, third], fuse=False) == [False, True, False, True]
        assert store.add_many([third, first], fuse=False) == [False, False]
        assert store.counts()["documents"] == 3
        before = _rows(store)
        store.fuse_pending()
        assert store.fuse_pending() == 0
        assert _rows(store)["events"] == before["events"]


def test_a_bad_record_rolls_the_whole_group_back(tmp_path: Path) -> None:
    good = doc_one().to_json()
    broken = doc_two().to_json()
    broken["events"][0]["id"] = None  # events.event_id is NOT NULL
    with Store.open(tmp_path / "l.duckdb") as store:
        with pytest.raises(Exception):
            store.add_many([good, broken])
        assert store.counts()["documents"] == 0 and store.counts()["events"] == 0
        assert store.add_many([good]) == [True]


def test_bulk_rows_go_only_to_the_stores_own_tables(tmp_path: Path) -> None:
    with Store.open(tmp_path / "l.duckdb") as store:
        with pytest.raises(ValueError, match="unknown table"):
            store._insert_rows("documents; DROP TABLE events", [("x",)])
        with pytest.raises(ValueError, match="columns"):
            store._insert_rows("canonical_members", [("only", "three", "values")])
        assert store.counts()["documents"] == 0


def test_the_canonical_rows_of_a_group_equal_those_of_its_records_fused_one_by_one(tmp_path: Path) -> None:
    """The upkeep writes its canonical rows in bulk: fusing the three records in one round or
    in three gives the same canonical events and members."""
    records = [doc().to_json() for doc in (doc_one, doc_two, doc_three)]
    with Store.open(tmp_path / "rounds.duckdb") as rounds, Store.open(tmp_path / "once.duckdb") as once:
        for record in records:
            rounds.add(record, fuse=False)
            rounds.fuse_pending()
        once.add_many(records, fuse=False)
        assert once.fuse_pending() == 3
        expected, got = _rows(rounds), _rows(once)
    assert expected["canonical_members"] and got == expected


def test_a_file_of_this_schema_is_opened_for_writing_without_running_the_schema_statements(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ingest` opens the file again for every group: a current file skips the DDL (a new one
    still gets it, and what is stored stays)."""
    import newsledger.store as store_module

    path = tmp_path / "again.duckdb"
    with Store.open(path) as store:
        assert store.add(doc_one().to_json(), fuse=False)
    monkeypatch.setattr(store_module, "_DDL", ("SELECT error('the schema statements ran')",))
    with Store.open(path) as store:
        assert store.counts()["documents"] == 1
        assert store.add(doc_two().to_json(), fuse=False)
    with pytest.raises(Exception, match="the schema statements ran"):   # a new file still runs them
        Store.open(tmp_path / "new.duckdb")
