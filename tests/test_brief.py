"""The situation report: period parsing, sections, escaping, and the `brief` command."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsledger.brief import BriefRequest, build_brief, render_html, render_markdown, timeline_svg
from newsledger.cli import cli
from newsledger.errors import NewsledgerError
from newsledger.store import Store
from tests.test_fuse import build_db


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_db(tmp_path / "ledger.duckdb")


def test_period_is_days_before_the_end_or_a_date_prefix() -> None:
    assert BriefRequest.parse("7d", today=date(2024, 5, 20)) == BriefRequest("2024-05-13", "2024-05-20")
    assert BriefRequest.parse("7d", until="2024-05") == BriefRequest("2024-05-24", "2024-05-31")
    assert BriefRequest.parse("2024-05", until="2024-05-16", actor="x") == BriefRequest(
        "2024-05-01", "2024-05-16", "x", None)
    for since, until in (("week", None), ("2024-05-21", "2024-05-20"), ("7d", "May")):
        with pytest.raises(NewsledgerError) as caught:
            BriefRequest.parse(since, until=until, today=date(2024, 5, 20))
        assert caught.value.code == "E402"


def test_brief_groups_events_by_day_actor_and_place(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        brief = build_brief(store, BriefRequest("2024-05-13", "2024-05-20"))
    assert [day for day, _ in brief.by_day()] == ["2024-05-14", "2024-05-16", "2024-05-19"]
    assert brief.by_place()[0][:3] == ("Quetta", "PK", 2)
    actors = {name: (source, target) for name, _, source, target, _ in brief.by_actor()}
    assert actors["Pakistan"] == (1, 0) and actors["Afghanistan"] == (0, 1)
    assert [d["number"] for d in brief.documents.values()] == [1, 2, 3, 4]
    assert dict(brief.per_day_counts())["2024-05-14"] == 2 and len(brief.per_day_counts()) == 8


def test_markdown_lists_events_with_numbered_sources(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        text = render_markdown(build_brief(store, BriefRequest("2024-05-13", "2024-05-20", actor="taliban")))
    assert text.startswith("# Situation report 2024-05-13 – 2024-05-20\n")
    assert "Filters: actor contains “taliban”" in text
    assert "1 event(s) from 2 mention(s) in 2 document(s) of 2 outlet(s): ASSAULT 1" in text
    assert "- **ASSAULT** Tehreek-i-Taliban Pakistan/Pakistani Taliban → police in Quetta, 4–5 killed (sources disagree)" in text
    assert "(2 article(s), 2 source(s)) [1] [2]" in text
    assert "1. Wire One, Gunmen attack Quetta checkpoint, 2024-05-14 <https://example.org/doc-a>" in text
    assert "2024-05-14 ██████████████████████████████ 1" in text


def test_html_escapes_document_text_and_draws_an_inline_timeline(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        page = render_html(build_brief(store, BriefRequest("2024-05-19", "2024-05-20")))
    assert "Bus attacked &lt;b&gt;near&lt;/b&gt; Quetta" in page and "<b>near</b>" not in page
    assert "<svg" in page and "<script" not in page and 'id="source-1"' in page
    assert timeline_svg([]).startswith("<svg")


def test_brief_command_writes_markdown_or_html(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["brief", "--db", str(db), "--since", "2024-05-14", "--until", "2024-05-14",
                                 "--country", "PAK"])
    assert result.exit_code == 0, result.output
    assert "## By day" in result.stdout and "ACCUSE" in result.stdout and "CONSULT" not in result.stdout
    out = tmp_path / "brief.html"
    result = runner.invoke(cli, ["brief", "--db", str(db), "--since", "30d", "--until", "2024-05-31",
                                 "--format", "html", "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!doctype html>")
    result = runner.invoke(cli, ["brief", "--db", str(db), "--since", "soon"])
    assert result.exit_code == 2 and result.stderr.startswith("error[E402]")
