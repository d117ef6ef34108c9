"""End to end through the command line with the real pipeline: the bundled sample reports
into DuckDB and out as a timeline; bad inputs stored as errors while the batch goes on."""
import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from newsledger.cli import cli

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
METADATA = ROOT / "samples" / "metadata.tsv"


def ingest(db, *paths, extra=()):
    return CliRunner().invoke(cli, ["ingest", *map(str, paths), "--db", str(db), *extra])


def table_count(db, table):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_samples_become_a_sourced_timeline(tmp_path):
    db = tmp_path / "ledger.duckdb"
    result = ingest(db, *SAMPLES, extra=["--metadata", str(METADATA)])
    assert result.exit_code == 0, result.output
    assert table_count(db, "documents") == len(SAMPLES)
    listed = CliRunner().invoke(cli, ["events", "--db", str(db), "--format", "json"])
    assert listed.exit_code == 0
    events = json.loads(listed.output)
    assert {"ASSAULT", "CONSULT", "REQUEST"} <= {e["type"] for e in events}
    attack = next(e for e in events if e["type"] == "ASSAULT" and e["place_name"] == "Peshawar")
    assert attack["date_value"] == "2024-05-13" and attack["killed"] == 4
    assert (attack["admin1"], attack["admin1_code"], attack["geo_precision"]) == (
        "Khyber Pakhtunkhwa", "PK-KP", "city")                  # the city's chain up to its country
    assert attack["lat"] is not None and attack["place_country"] == "PK"
    as_csv = CliRunner().invoke(cli, ["events", "--db", str(db), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert any(r["place_name"] == "Peshawar" and r["admin1"] == "Khyber Pakhtunkhwa"
               and r["geo_precision"] == "city" for r in rows)
    with duckdb.connect(str(db), read_only=True) as con:
        body, start, end, text = con.execute(
            "select d.body, e.evidence_start, e.evidence_end, e.evidence_text from events e "
            "join documents d on d.id = e.doc_id limit 1").fetchone()
    assert body[start:end] == text  # every event is tied to the words that state it


def test_ingesting_the_same_reports_again_changes_nothing(tmp_path):
    db = tmp_path / "ledger.duckdb"
    ingest(db, *SAMPLES, extra=["--metadata", str(METADATA)])
    before = [table_count(db, t) for t in ("documents", "events", "actors", "quotes")]
    again = ingest(db, *SAMPLES, extra=["--metadata", str(METADATA)])
    assert again.exit_code == 0
    assert [table_count(db, t) for t in ("documents", "events", "actors", "quotes")] == before


def test_bad_inputs_are_stored_errors_and_lose_nothing(tmp_path):
    db = tmp_path / "ledger.duckdb"
    assert ingest(db, SAMPLES[0], extra=["--published", "2024-05-14"]).exit_code == 0
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "latin1.txt").write_bytes("Le ministre a déclaré à la presse que la réunion".encode("latin-1") * 20)
    (bad / "french.txt").write_text(
        "Le ministre des affaires étrangères a déclaré mardi que les négociations avec le voisin "
        "reprendraient la semaine prochaine dans la capitale, selon un communiqué officiel. " * 5)
    (bad / "menu.html").write_text("<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>")
    (bad / "huge.txt").write_text("The minister said the talks would go on. " * 500_000)  # about 20 MB
    good_line = json.dumps({"text": SAMPLES[1].read_text(), "published": "2024-05-16"})
    (bad / "records.jsonl").write_text(good_line + "\n{not json\n")
    result = ingest(db, *sorted(bad.iterdir()))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("failed")]
    assert len(lines) == 7 and all("Traceback" not in line for line in result.output.splitlines())
    with duckdb.connect(str(db), read_only=True) as con:
        codes = {row[0] for row in con.execute("select code from errors").fetchall()}
    assert {"E101", "E102", "E103", "E104", "E105", "E106", "E107"} <= codes
    assert table_count(db, "documents") == 2  # the first report and the good JSON line


def test_user_actor_file_extends_the_dictionary_and_a_bad_one_is_one_line(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("Fighters of the Zarghun Front attacked a checkpoint in Herat on Monday, killing two guards.\n")
    actors = tmp_path / "actors.csv"
    actors.write_text("id,name,kind,country,sector,aliases\nzz-front,Zarghun Liberation Front,group,AFG,REB,Zarghun Front\n")
    result = CliRunner().invoke(cli, ["extract", str(report), "--published", "2024-05-15", "--actors", str(actors)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    names = {a["id"]: a["name"] for a in record["actors"]}
    attack = next(e for e in record["events"] if e["type"] == "ASSAULT")
    assert [names[i] for i in attack["source"]] == ["Zarghun Liberation Front"]
    assert attack["killed"] == 2 and attack["date"]["value"] == "2024-05-13"
    broken = tmp_path / "broken.csv"
    broken.write_text("zz,bad\n")
    failed = CliRunner().invoke(cli, ["extract", str(report), "--actors", str(broken)])
    assert failed.exit_code == 2
    assert failed.output.strip().startswith("error[E204]") and len(failed.output.strip().splitlines()) == 1
