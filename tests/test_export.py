"""Exports: each format is written by DuckDB and read back with its rows and list columns."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from newsledger.errors import NewsledgerError
from newsledger.export import FORMATS, export
from newsledger.model import Failure
from newsledger.store import Store
from tests.test_store import doc_one, doc_three, doc_two


@pytest.fixture
def store(tmp_path: Path):
    """A read-only store over three hand-built documents and one failure."""
    path = tmp_path / "ledger.duckdb"
    with Store.open(path) as writer:
        for doc in (doc_one(), doc_two(), doc_three()):
            writer.add(doc.to_json())
        writer.add_failure(Failure("broken.html", "E105", "no article text", "ingest").to_json())
    with Store.open(path, read_only=True) as reader:
        yield reader


def test_csv_export_has_a_header_and_every_event_in_timeline_order(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert export(store, "csv", out) == 4
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["type"] for r in rows] == ["ASSAULT", "ACCUSE", "AGREE", "CONSULT"]
    assert rows[0]["evidence_text"] == "Pakistani troops shelled a border post in Kunar"
    assert rows[2]["source_names"] == "[United States, Pakistan]"


def test_jsonl_export_keeps_lists_and_numbers(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    export(store, "jsonl", out)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(records) == 4
    assert records[0]["killed"] == 3 and records[0]["place_geonameid"] == 1135702
    assert records[2]["source_countries"] == ["USA", "PAK"] and records[2]["target_ids"] == []


def test_parquet_export_reads_back_with_duckdb(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "documents.parquet"
    assert export(store, "parquet", out, table="documents") == 3
    connection = duckdb.connect()
    rows = connection.execute(
        "SELECT outlet, CAST(published AS VARCHAR), length(body) > 0 FROM read_parquet(?)", [str(out)]
    ).fetchall()
    connection.close()
    assert len(rows) == 3
    assert {r[1] for r in rows} == {"2023-03-03", "2023-03-08", None}
    assert all(r[2] for r in rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_exports_the_errors_table(store: Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"errors.{fmt}"
    assert export(store, fmt, out, table="errors") == 1
    connection = duckdb.connect()
    reader = {"csv": "read_csv", "parquet": "read_parquet", "jsonl": "read_json"}[fmt]
    rows = connection.execute(f"SELECT source, code FROM {reader}(?)", [str(out)]).fetchall()
    connection.close()
    assert rows == [("broken.html", "E105")]


def test_export_replaces_an_existing_file_and_leaves_no_temporary(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    out.write_text("old content\n")
    export(store, "jsonl", out)
    assert "old content" not in out.read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl", "ledger.duckdb"]


def test_bad_format_table_or_place_raise_e402(store: Store, tmp_path: Path) -> None:
    for fmt, table, out in (("xlsx", "events", tmp_path / "x"), ("csv", "secrets", tmp_path / "x"),
                            ("csv", "events", tmp_path / "missing-dir" / "x.csv"),
                            ("csv", "events", tmp_path)):
        with pytest.raises(NewsledgerError) as caught:
            export(store, fmt, out, table=table)
        assert caught.value.code == "E402"
    assert not (tmp_path / "x").exists()
