"""Hostile inputs, hostile servers and the rough edges of issue 16, one test (or more) each.

Every input here is written by hand. Network traffic stays on loopback: SSRF refusals are
checked with a resolver of the test's own and `httpx.MockTransport` (nothing connects), the
deadline and the connected-address check against a server on 127.0.0.1.
The slow classes (10k/100k/1M characters, a 2 MB report among good ones) are measured by
`benchmarks/hostile.py`.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from newsledger.cli import cli
from newsledger.edits import unique_prefix
from newsledger.errors import NewsledgerError
from newsledger.ingest import read_inputs
from newsledger.ingest.metadata import load_metadata
from newsledger.ingest.url import check_destination, fetch_bytes, is_public_address
from newsledger.ingest.warc import read_warc_stream
from newsledger.model import Document, Failure, Meta
from newsledger.settings import Settings
from newsledger.stages import nlp
from newsledger.store import Store, alpha3
from tests.conftest import fastest_cpu_seconds
from tests.test_fuse import build_db

PUBLIC = "93.184.215.14"
PROSE = ("The interior minister said on Tuesday that police had arrested four men after the attack "
         "on a checkpoint near the border, and that talks with the neighbouring government would resume.")


@pytest.fixture
def settings() -> Settings:
    return Settings.load()


def resolver(table: dict[str, list[str]]):
    """A resolver that answers from `table` (a name not in it resolves to a public address)."""
    return lambda host, port: table.get(host, [PUBLIC])


# -- 1. one long or broken document never loses the batch ---------------------------------------


def test_long_bodies_are_cut_at_paragraph_breaks_and_join_back() -> None:
    paragraph = PROSE + "\n\n"
    text = paragraph * 40
    pieces = nlp.split_chunks(text, limit=1000)
    assert "".join(pieces) == text and all(len(p) <= 1000 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])                      # paragraph breaks first
    one_line = "word " * 500                                                  # no line break: at spaces
    assert all(p.endswith(" ") for p in nlp.split_chunks(one_line, 300)[:-1])
    no_space = "x" * 2500                                                     # nothing to cut at: anywhere
    assert [len(p) for p in nlp.split_chunks(no_space, 1000)] == [1000, 1000, 500]


class FakeNlp:
    """A spaCy stand-in that fails on any text holding POISON and counts what it parses."""

    pipe_names = ["parser", "ner"]

    def __init__(self) -> None:
        self.longest = 0

    def pipe(self, texts: Any, batch_size: int = 1, disable: Any = ()) -> Iterator[Any]:
        from spacy.tokens import Doc
        from spacy.vocab import Vocab

        vocab = Vocab()
        for text in texts:
            if "POISON" in text:
                raise ValueError("[E088] Text of length 2000199 exceeds maximum of 1000000")
            self.longest = max(self.longest, len(text))
            words = text.split(" ")
            yield Doc(vocab, words=words, spaces=[True] * (len(words) - 1) + [False])


def test_a_long_run_without_words_is_not_prose(settings: Settings) -> None:
    from newsledger.ingest.validate import looks_english

    assert not looks_english("x" * 50_000) and not looks_english("1234567890" * 1000)
    assert looks_english("Talks resume") and looks_english(PROSE * 50)


def test_a_document_spacy_fails_on_fails_alone(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    fake = FakeNlp()
    monkeypatch.setattr(nlp, "load_pipeline", lambda name: fake)
    docs = [Document(raw="", meta=Meta(source=name), body=body) for name, body in
            (("good1", "a b c"), ("bad", "x POISON y"), ("good2", "d e f"))]
    results = list(nlp.annotate(docs, settings))
    assert [type(r).__name__ for r in results] == ["Doc", "NewsledgerError", "Doc"]
    assert results[1].code == "E301" and "E088" in results[1].message
    assert results[2].text == "d e f"


def test_a_long_body_is_parsed_in_pieces_with_offsets_kept(monkeypatch: pytest.MonkeyPatch,
                                                           settings: Settings) -> None:
    fake = FakeNlp()
    monkeypatch.setattr(nlp, "load_pipeline", lambda name: fake)
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 500)
    body = (PROSE + "\n\n") * 30
    [parsed] = nlp.annotate([Document(raw=body, meta=Meta(source="long"), body=body)], settings)
    assert parsed.text == body and fake.longest <= 500
    token = parsed[len(parsed) // 2]
    assert body[token.idx: token.idx + len(token.text)] == token.text


def test_shares_are_consecutive_runs_of_about_equal_length() -> None:
    pieces = ["a" * 10, "b" * 30, "c" * 20, "d" * 40]
    runs = nlp.shares(pieces, 2)
    assert [p for run in runs for p in run] == pieces           # in order, none lost
    assert [sum(map(len, run)) for run in runs] == [60, 40]
    assert nlp.shares(["x"], 3) == [["x"], [], []]


def test_pool_workers_parse_a_long_body_alone(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    import multiprocessing

    assert nlp.spread_processes(settings.with_(nlp_processes=2)) == 2
    assert nlp.spread_processes(settings.with_(nlp_processes=1)) == 1
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())   # ingest --workers, Dask
    assert nlp.spread_processes(settings.with_(nlp_processes=2)) == 1
    with pytest.raises(NewsledgerError, match="nlp_processes"):
        Settings.load(nlp_processes=0)


@pytest.mark.slow
def test_a_long_body_parsed_on_two_processes_gives_the_records_of_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pieces of a long body parsed here and in a forked child join into the Doc one
    process makes: every token's attributes, and every record the stages draw from it."""
    import datetime

    from newsledger.pipeline import run_batch

    monkeypatch.setattr(nlp, "CHUNK_CHARS", 1_500)          # about 15 pieces
    monkeypatch.setattr(nlp, "SPREAD_MIN_CHARS", 5_000)
    spread_calls = []
    real_spread = nlp._parse_spread
    monkeypatch.setattr(nlp, "_parse_spread", lambda *args: spread_calls.append(args[-1]) or real_spread(*args))
    from newsledger import pipeline

    aside_stages = []
    real_start = pipeline.Aside.start
    monkeypatch.setattr(pipeline.Aside, "start",
                        classmethod(lambda cls, stage, *args: aside_stages.append(stage.name) or real_start(stage, *args)))
    body = REPORT_PARAGRAPH * 40
    records, docs = {}, {}
    for processes in (1, 2):
        settings = Settings.load(nlp_processes=processes)
        doc = Document(raw=body, meta=Meta(source="<long>", published=datetime.date(2024, 5, 14)))
        (done,) = run_batch([doc], settings)
        assert isinstance(done, Document), done
        docs[processes] = [(t.idx, t.lemma_, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start)
                           for t in done.spacy_doc]
        records[processes] = done.to_json()
    assert spread_calls == [2]                               # the second run did use a child
    assert aside_stages == ["time"]                          # and ran the time stage in another
    assert docs[1] == docs[2]
    assert records[1] == records[2] and len(records[1]["events"]) >= 40 and len(records[1]["timexes"]) >= 80


@pytest.mark.slow
def test_a_stage_failing_aside_fails_its_document_alone_under_its_own_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """The time stage of a long body runs in a forked child: when it fails there, the document's
    failure names it (before a later stage's failure, as a run in one process would), the child's
    error keeps its code, and the other documents of the batch are kept whole."""
    import dataclasses
    import datetime

    from newsledger import pipeline
    from newsledger.stages import places, time as time_stage

    monkeypatch.setattr(nlp, "SPREAD_MIN_CHARS", 2_000)

    def dates_or_fail(doc: Document, settings: Settings) -> list:
        if "TIMEBOMB" in (doc.body or ""):
            raise NewsledgerError("E302", "time: a date this stage cannot read")
        if "ZERODIV" in (doc.body or ""):
            return [1 / 0]
        return time_stage.run(doc, settings)

    def places_or_fail(doc: Document, settings: Settings) -> list:
        if "PLACEBOMB" in (doc.body or ""):
            raise NewsledgerError("E301", "places: no map for this")
        return places.run(doc, settings)

    monkeypatch.setattr(pipeline, "DOCUMENT_STAGES", (
        dataclasses.replace(time_stage.STAGE, run=dates_or_fail), dataclasses.replace(places.STAGE, run=places_or_fail)))
    settings = Settings.load(last_stage="places", nlp_processes=2)
    bodies = {name: REPORT_PARAGRAPH * 6 + f"The inspectors said the word {marker} was found in the files."
              for name, marker in (("good", "nothing"), ("time", "TIMEBOMB"), ("both", "TIMEBOMB and PLACEBOMB"),
                                   ("crash", "ZERODIV"), ("places", "PLACEBOMB"))}
    batch = [Document(raw=body, meta=Meta(source=name, published=datetime.date(2024, 5, 14)))
             for name, body in bodies.items()]
    results = {r.source if isinstance(r, Failure) else r.meta.source: r for r in pipeline.run_batch(batch, settings)}
    good = results["good"]
    assert isinstance(good, Document) and len(good.timexes) >= 12 and len(good.places) >= 12
    assert (results["time"].code, results["time"].stage) == ("E302", "time")
    assert "time: a date this stage cannot read" in results["time"].message
    assert (results["both"].code, results["both"].stage) == ("E302", "time")
    assert (results["crash"].code, results["crash"].stage) == ("E301", "time")
    assert "ZeroDivisionError" in results["crash"].message
    assert (results["places"].code, results["places"].stage) == ("E301", "places")


def test_a_stage_that_cannot_be_forked_aside_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """When no child can be forked (out of memory, a process limit), `Aside.start` says so with
    None and closes its pipe, and the document's stages run in this process instead."""
    import datetime
    import multiprocessing.context

    from newsledger import aside, pipeline
    from newsledger.stages import Stage

    def refuse_fork(self: object) -> None:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refuse_fork)
    stamp = Stage("stamp", (), "timexes", None, lambda doc, settings: ["stamped"])
    doc = Document(raw="A long body.", meta=Meta(source="<fork>", published=datetime.date(2024, 5, 14)))
    assert aside.Aside.start(stamp, doc, Settings.load()) is None
    monkeypatch.setattr(pipeline, "worth_running_aside", lambda *args: True)
    monkeypatch.setattr(pipeline, "store_layer", lambda stage, doc, layer: setattr(doc, stage.adds, layer))
    monkeypatch.setattr(pipeline, "check_inputs", lambda stage, doc: None)
    assert pipeline.run_stages((stamp,), doc, Settings.load()) is None
    assert doc.timexes == ["stamped"]


def test_event_contexts_match_whole_words_as_a_search_per_word_did() -> None:
    """One compiled pattern per context finds what a regex search per word found, word by word."""
    import re

    from newsledger.stages.events.lexicon import whole_words

    contexts = (("crime", ("theft", "car theft", "u.s. marshals")), ("military", ("army", "troops")), ("none", ()))
    for text in (" car thefts rose ", " the army's troops left ", " armys and theft ", " u.s. marshals said ",
                 " us marshals said ", " nothing here "):
        by_word = [name for name, words in contexts if any(re.search(r"\b" + re.escape(w) + r"\b", text) for w in words)]
        assert [name for name, words in contexts if whole_words(words).search(text)] == by_word, text


@pytest.fixture
def one_broken_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """read_inputs and process replaced: one.txt, two.txt, three.txt; the returned table gives
    the documents whose to_json is replaced (two.txt: a record the store refuses)."""
    from tests.test_cli import FIXTURES

    broken: dict[str, Any] = {"two.txt": lambda: {"schema": "wrong"}}

    def read_inputs_fake(paths: list[str], settings: Any, **_: Any) -> Iterator[Document]:
        for path in paths:
            doc = FIXTURES[Path(path).name]()
            if path in broken:
                doc.to_json = broken[path]  # type: ignore[method-assign]
            yield doc

    fake_ingest = type(sys)("newsledger.ingest")
    fake_ingest.read_inputs = read_inputs_fake  # type: ignore[attr-defined]
    fake_ingest.expand_paths = lambda paths: iter(paths)  # type: ignore[attr-defined]
    fake_pipeline = type(sys)("newsledger.pipeline")
    fake_pipeline.process = lambda items, settings: items  # type: ignore[attr-defined]
    # what ingest's runner calls (newsledger.parallel): batches pass through unchanged
    fake_pipeline.prepare = lambda settings: None  # type: ignore[attr-defined]
    fake_pipeline.batches = lambda items, size: ([item] for item in items)  # type: ignore[attr-defined]
    fake_pipeline.run_batch = lambda batch, settings: list(batch)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "newsledger.ingest", fake_ingest)
    monkeypatch.setitem(sys.modules, "newsledger.pipeline", fake_pipeline)
    monkeypatch.chdir(tmp_path)
    return broken


def test_ingest_keeps_the_good_documents_when_one_cannot_be_stored(one_broken_document: dict[str, Any]) -> None:
    result = CliRunner().invoke(cli, ["ingest", "one.txt", "two.txt", "three.txt", "--db", "l.duckdb"])
    assert result.exit_code == 1 and "failed[E301]" in result.stderr and "[store]: store: ValueError" in result.stderr
    with Store.open("l.duckdb", read_only=True) as store:
        assert store.counts()["documents"] == 2 and store.counts()["errors"] == 1


def test_extract_prints_the_good_records_when_one_cannot_be_written(one_broken_document: dict[str, Any]) -> None:
    one_broken_document["three.txt"] = lambda: 1 / 0
    result = CliRunner().invoke(cli, ["extract", "one.txt", "two.txt", "three.txt"])
    assert result.exit_code == 1 and "ZeroDivisionError" in result.stderr and "[output]" in result.stderr
    assert len(json.loads(result.stdout)) == 2                 # one.txt and two.txt (extract stores nothing)


# -- 3. SSRF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("169.254.169.254", False), ("0.0.0.0", False),
    ("::1", False), ("::ffff:127.0.0.1", False), ("fd00::1", False), ("224.0.0.1", False),
    ("240.0.0.1", False), ("100.64.0.1", False), (PUBLIC, True), ("2606:4700::1111", True),
])
def test_private_loopback_link_local_and_reserved_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost:8000/admin", "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/", "http://2130706433/", "http://intranet.example/", "file:///etc/passwd", "gopher://x/",
])
def test_urls_to_private_hosts_are_refused_before_connecting(url: str, settings: Settings) -> None:
    names = resolver({"localhost": ["127.0.0.1"], "intranet.example": [PUBLIC, "10.0.0.7"], "2130706433": ["127.0.0.1"]})
    with pytest.raises(NewsledgerError) as caught:
        check_destination(url, settings, names)
    assert caught.value.code == "E109"
    check_destination(url.replace("file://", "http://x").replace("gopher", "http"), settings.with_(
        allow_private_urls=True), names) if url.startswith("http") else None


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(settings: Settings) -> None:
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(NewsledgerError) as caught:
        fetch_bytes("https://news.example/story", settings, client, resolver({}))
    assert caught.value.code == "E109" and "169.254.169.254" in caught.value.message
    assert asked == ["https://news.example/story"]                     # the private hop was never asked


class Handler(BaseHTTPRequestHandler):
    """A loopback test server: /page an article, /drip one byte every 0.2 s."""

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                return
            return
        body = f"<html><body><article><h1>Talks</h1><p>{PROSE}</p><p>{PROSE}</p></article></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def loopback_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_loopback_is_refused_unless_allowed(loopback_server: str, settings: Settings) -> None:
    [refused] = list(read_inputs([loopback_server + "/page"], settings))
    assert isinstance(refused, Failure) and refused.code == "E109" and "--allow-private-urls" in refused.message
    [page] = list(read_inputs([loopback_server + "/page"], settings.with_(allow_private_urls=True)))
    assert isinstance(page, Document) and "checkpoint" in page.raw


def test_a_name_that_resolves_publicly_but_connects_privately_is_refused(loopback_server: str,
                                                                         settings: Settings) -> None:
    port = loopback_server.rsplit(":", 1)[1]
    with pytest.raises(NewsledgerError) as caught:     # the check saw a public address; the socket did not
        fetch_bytes(f"http://localhost:{port}/page", settings, resolve=resolver({"localhost": [PUBLIC]}))
    assert caught.value.code == "E109" and "connected to 127.0.0.1" in caught.value.message


# -- 4. one deadline per URL ------------------------------------------------------------------


def test_a_dripping_server_is_cut_off_at_the_deadline(loopback_server: str, settings: Settings) -> None:
    # each byte comes well within a read timeout, so only a deadline for the whole fetch ends it:
    # without one the 100 bytes arrive (in 20 s) and nothing is raised
    quick = settings.with_(http_timeout=1.0, allow_private_urls=True)
    with pytest.raises(NewsledgerError) as caught:
        fetch_bytes(loopback_server + "/drip", quick)
    assert caught.value.code == "E109" and "http_timeout" in caught.value.message


# -- 5. truncated WARC, malformed metadata tables -----------------------------------------------


def warc_bytes(gzipped: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for number in range(2):
        page = f"<html><body><article><p>{PROSE}</p><p>{PROSE}</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://news.example/{number}", "response",
                                                      payload=io.BytesIO(page), http_headers=headers))
    return buffer.getvalue()


@pytest.mark.parametrize("gzipped, cut", [(False, 40), (False, 120), (True, 3), (True, 40), (True, 120)])
def test_a_truncated_warc_keeps_whole_records_and_reports_the_cut(gzipped: bool, cut: int, settings: Settings) -> None:
    data = warc_bytes(gzipped)
    items = list(read_warc_stream(io.BytesIO(data[:-cut]), settings, "crawl.warc"))
    documents = [i for i in items if isinstance(i, Document)]
    failures = [i for i in items if isinstance(i, Failure)]
    assert documents and documents[0].meta.url == "https://news.example/0"
    assert failures and all(f.code == "E114" and f.source.startswith("crawl.warc") for f in failures)
    whole = list(read_warc_stream(io.BytesIO(data), settings, "crawl.warc"))
    assert [type(i).__name__ for i in whole] == ["Document", "Document"]


def test_tsv_is_read_as_tsv_and_bad_rows_are_named_by_line(tmp_path: Path, settings: Settings) -> None:
    table = tmp_path / "meta.tsv"
    table.write_text("file\ttitle\toutlet\n"
                     'a.txt\t"Unterminated quote in a title\tWire\n'
                     'b.txt\tThe "peace" talks\tWire\n'
                     "c.txt\tToo\tmany\tfields\n"
                     "b.txt\tSecond row for b\tWire\n", encoding="utf-8")
    loaded = load_metadata(table)
    assert loaded.rows["a.txt"].title == '"Unterminated quote in a title'   # no row swallowed
    assert loaded.rows["b.txt"].title == 'The "peace" talks'               # quotation marks kept
    assert [(p.line, "fields" in p.reason or "already" in p.reason) for p in loaded.problems] == [(4, True), (5, True)]
    (tmp_path / "a.txt").write_text(PROSE)
    items = list(read_inputs([str(tmp_path / "a.txt")], settings, metadata_file=str(table)))
    codes = [(i.code, i.source) for i in items if isinstance(i, Failure)]
    assert codes == [("E113", f"{table}:4"), ("E113", f"{table}:5")]
    assert any(isinstance(i, Document) for i in items)


def test_csv_with_an_unterminated_quote_loses_that_row_only(tmp_path: Path) -> None:
    table = tmp_path / "meta.csv"
    table.write_text('file,title\na.txt,"never closed\nb.txt,"Quoted, with a comma"\n', encoding="utf-8")
    loaded = load_metadata(table)
    assert loaded.rows["b.txt"].title == "Quoted, with a comma" and "a.txt" not in loaded.rows
    assert [p.line for p in loaded.problems] == [2]


# -- held classes: gzip bomb, billion laughs, XXE, path traversal, XSS, SQL injection --------------


def test_a_gzip_bomb_is_refused_by_size_without_inflating_it(tmp_path: Path, settings: Settings) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    with gzip.open(bomb, "wb") as stream:
        for _ in range(64):
            stream.write(b"\0" * (1 << 20))                                 # 64 MB of zeros in ~64 kB
    [refused] = list(read_inputs([str(bomb)], settings.with_(max_input_bytes=1_000_000)))
    assert isinstance(refused, Failure) and refused.code in ("E104", "E102")


LAUGHS = "".join(f'<!ENTITY l{n} "{("&l%d;" % (n - 1)) * 10}">' for n in range(1, 10))


@pytest.mark.parametrize("doctype, entity", [
    (f'<!DOCTYPE rss [<!ENTITY l0 "ha">{LAUGHS}]>', "&l9;"),                  # a billion laughs
    ('<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/hostname">]>', "&secret;"),  # XXE
])
def test_entity_expansion_and_external_entities_stay_inert(tmp_path: Path, settings: Settings,
                                                           doctype: str, entity: str) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>T</title>'
                    f"<item><title>x</title><description>{PROSE} {entity}</description></item></channel></rss>")
    items = list(read_inputs([str(feed)], settings))   # an expansion would be a gigabyte of text here
    assert items
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\0"
    for item in items:
        text = item.raw if isinstance(item, Document) else item.message
        assert len(text) < 100_000 and (not hostname or hostname not in text)


def test_api_path_traversal_and_injection_stay_inert(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsledger.api import create_app

    db = build_db(tmp_path / "ledger.duckdb")
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        for path in ("/static/../../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
                     "/api/documents/..%2f..%2fetc%2fpasswd"):
            response = client.get(path)
            assert response.status_code == 404 and "[project]" not in response.text
        sneaky = client.get("/api/events", params={"q": "' OR 1=1; --", "actor": "<script>alert(1)</script>"})
        assert sneaky.status_code == 200 and sneaky.json()["items"] == []


# -- 6. the API: offsets, totals, paths, Host headers, any query string -----------------------------


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from newsledger.api import create_app

    records = []
    from tests.test_fuse import corpus
    for record in corpus():
        record = json.loads(json.dumps(record))
        record["document"]["source"] = "/home/analyst/private/reports/" + record["id"] + ".txt"
        records.append(record)
    db = build_db(tmp_path / "ledger.duckdb", records)
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        yield client


def test_huge_offsets_are_a_400_not_a_500(api: Any) -> None:
    for path in ("/api/documents", "/api/actors", "/api/events"):
        response = api.get(path, params={"offset": "9223372036854775808"})
        assert response.status_code == 400 and response.json()["error"]["code"] == "E402"


def test_totals_count_every_match_and_paths_stay_private(api: Any) -> None:
    everything = api.get("/api/documents", params={"limit": 500}).json()
    page = api.get("/api/documents", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == everything["total"] == len(everything["items"]) > 2
    actors = api.get("/api/actors", params={"limit": 500}).json()
    assert api.get("/api/actors", params={"limit": 1}).json()["total"] == len(actors["items"])
    text = json.dumps(everything) + json.dumps(api.get(f"/api/documents/{everything['items'][0]['id']}").json())
    assert "/home/analyst" not in text and everything["items"][0]["source"].endswith(".txt")


def test_a_foreign_host_header_is_refused(api: Any) -> None:
    assert api.get("/api/summary", headers={"Host": "attacker.example"}).status_code == 400
    assert api.get("/api/summary", headers={"Host": "localhost:8000"}).status_code == 200


def test_no_query_string_gives_a_500(api: Any) -> None:
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    names = st.sampled_from(["actor", "type", "country", "since", "until", "q", "limit", "offset"])
    values = st.one_of(st.text(max_size=40), st.integers().map(str), st.sampled_from(
        ["9223372036854775808", "-1", "0", "1e9", "NaN", "PK", "PAK", "2023-02-30", "%00", "'--"]))
    paths = st.sampled_from(["/api/events", "/api/documents", "/api/actors", "/api/network", "/api/map",
                             "/api/actors/Pakistan/timeline"])

    # no time bound: on a loaded machine generating inputs is slow, and only the status codes matter here
    @hypothesis.settings(max_examples=60, deadline=None, database=None,
                         suppress_health_check=[hypothesis.HealthCheck.too_slow])
    @hypothesis.given(paths, st.dictionaries(names, values, max_size=4))
    def check(path: str, params: dict[str, str]) -> None:
        response = api.get(path, params=params)
        assert response.status_code < 500, (path, params, response.text)

    check()


# -- 8. export to standard output and special files ------------------------------------------------


def test_export_streams_to_stdout_and_writes_a_fifo_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = build_db(tmp_path / "ledger.duckdb")
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "jsonl", "--table", "documents", "-o", "-"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 4
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "csv", "--table", "documents",
                                      "-o", str(fifo)])
    reader.join(10)
    assert result.exit_code == 0 and stat.S_ISFIFO(os.stat(fifo).st_mode)      # still a pipe, not a file
    assert received and received[0].startswith(b"id,")


# -- 9. version, global options anywhere, verbosity --------------------------------------------------


def test_version_and_global_options_after_the_command(tmp_path: Path) -> None:
    runner = CliRunner()
    version = runner.invoke(cli, ["--version"])
    assert version.exit_code == 0 and version.stdout.startswith("newsledger, version ")
    bad = tmp_path / "bad.toml"
    bad.write_text("batch_size = 0\n")
    after = runner.invoke(cli, ["extract", "x.txt", "--config", str(bad)])
    assert after.exit_code == 2 and after.stderr.startswith("error[E203]") and "Traceback" not in after.stderr
    debug = runner.invoke(cli, ["extract", "x.txt", "--config", str(bad), "--debug"])
    assert debug.exit_code == 2 and "Traceback" in debug.stderr and "error[E203]" in debug.stderr
    db = build_db(tmp_path / "ledger.duckdb")
    quiet = runner.invoke(cli, ["export", "--db", str(db), "--format", "csv", "-o", str(tmp_path / "e.csv"), "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


# -- 10. ingest while the web app runs ------------------------------------------------------------


def test_the_web_app_holds_no_lock_and_sees_new_reports(tmp_path: Path) -> None:
    db = build_db(tmp_path / "ledger.duckdb")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-c", "from newsledger.cli import main; main()", "serve", "--db", str(db), "--port", str(port)],
        stderr=subprocess.PIPE, text=True)
    try:
        banner = server.stderr.readline() if server.stderr else ""
        assert f"http://127.0.0.1:{port}/" in banner
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                before = httpx.get(base + "/api/summary", timeout=5).json()["stored"]["documents"]
                break
            except httpx.TransportError:
                time.sleep(0.1)
        from tests.test_store import doc_one
        with Store.open(db, wait=10) as writer:                        # what ingest does between its groups
            assert writer.add(doc_one().to_json())
        after = httpx.get(base + "/api/summary", timeout=10).json()["stored"]["documents"]
        assert after == before + 1
    finally:
        server.terminate()
        server.wait(10)


def test_a_busy_port_is_a_usage_error(tmp_path: Path) -> None:
    db = build_db(tmp_path / "ledger.duckdb")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", str(port)])
    assert result.exit_code == 2 and result.stderr.startswith("error[E405]") and "--port" in result.stderr


# -- 12. countries as ISO2 or ISO3, id prefixes ------------------------------------------------------


def test_country_filters_take_alpha2_and_alpha3() -> None:
    assert alpha3("pk") == "PAK" and alpha3("PAK") == "PAK" and alpha3(" af ") == "AFG" and alpha3("IGO") == "IGO"
    for bad in ("P", "XX", "PAKI", "1'; --"):
        with pytest.raises(NewsledgerError):
            alpha3(bad)


def test_a_unique_prefix_names_one_document() -> None:
    ids = ["3fa9c1", "3fb200", "77aa00"]
    assert unique_prefix("7", ids, "document id") == "77aa00"
    assert unique_prefix("3fa", ids, "document id") == "3fa9c1"
    for given in ("3f", "zz"):
        with pytest.raises(NewsledgerError):
            unique_prefix(given, ids, "document id")


# -- 7. misleading messages --------------------------------------------------------------------------


def test_json_from_a_url_is_named_as_json(settings: Settings) -> None:
    client = httpx.Client(transport=httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"Content-Type": "application/json"}, content=b'{"a": 1}')))
    [failure] = list(read_inputs(["https://news.example/api"], settings, http_client=client, resolve=resolver({})))
    assert failure.code == "E109" and "application/json" in failure.message and "HTML" in failure.message


# -- 11. the brief: each canonical event once, ranges, long periods, an empty period -------------------


def test_brief_counts_each_event_once_as_a_range_and_hints_at_the_dates_held(tmp_path: Path) -> None:
    from newsledger.brief import BriefRequest, build_brief, render_markdown

    db = build_db(tmp_path / "ledger.duckdb")               # A and B: one Quetta attack, 4 or 5 killed
    with Store.open(db, read_only=True) as store:
        brief = build_brief(store, BriefRequest("2024-05-13", "2024-05-20"))
        quetta = next(row for row in brief.by_place() if row[0] == "Quetta")
        assert quetta[2] == 2 and str(quetta[3]) == "4–5"          # not 9: the attack counts once
        decade = build_brief(store, BriefRequest("2015-01-01", "2024-12-31"))
        counts = decade.per_day_counts()
        assert counts[0][0] == "2015-01" and counts[-1][0] == "2024-12" and dict(counts)["2024-05"] == 4
        empty = render_markdown(build_brief(store, BriefRequest("2025-01-01", "2025-01-07")))
    assert "from 2024-05-14 to 2024-05-19" in empty and "--since 2024-05-14" in empty


# -- 13. events: one meaning per command, mentions behind a flag -------------------------------------------


def test_events_lists_canonical_events_in_every_format_and_mentions_behind_a_flag(tmp_path: Path) -> None:
    db = str(build_db(tmp_path / "ledger.duckdb"))
    runner = CliRunner()
    canonical = json.loads(runner.invoke(cli, ["events", "--db", db, "--format", "json"]).stdout)
    table = runner.invoke(cli, ["events", "--db", db]).stdout.splitlines()[1:]
    csv_rows = runner.invoke(cli, ["events", "--db", db, "--format", "csv"]).stdout.splitlines()[1:]
    assert len(canonical) == len(table) == len(csv_rows) == 4               # the Quetta attack once
    mentions = json.loads(runner.invoke(cli, ["events", "--db", db, "--format", "json", "--mentions"]).stdout)
    mention_table = runner.invoke(cli, ["events", "--db", db, "--mentions"]).stdout.splitlines()[1:]
    assert len(mentions) == len(mention_table) == 5 and {"doc_id", "event_id"} <= set(mentions[0])
    by_country = runner.invoke(cli, ["events", "--db", db, "--country", "af", "--format", "json"])
    assert by_country.exit_code == 0 and [e["type"] for e in json.loads(by_country.stdout)] == ["CONSULT"]


# -- 2. long documents in linear time ------------------------------------------------------------
# A stage that looks at every earlier mention, quotation or sentence for each one it reads costs
# n² on a long report; these tests give each stage eight times the text and allow it
# 12 times the time (CPU time, the fastest of three runs after a warm-up: the machine may be
# shared; a cost in n² would take 64 times).

REPORT_PARAGRAPH = (
    "“We will rebuild the bridge before winter,” said Maria Okafor, the transport minister, in Lagos on Monday. "
    "She added that police had arrested two contractors. The talks with the unions stalled, according to officials. "
    "Gunmen attacked a convoy near Kano on Tuesday, killing four soldiers, the army said. "
    "They fled north, and the army said it would pursue them.\n\n")


def test_paragraph_breaks_start_sentences_whatever_the_whitespace() -> None:
    import spacy

    blank = spacy.blank("en")
    text = "\nTalks resumed.\nA heading\n\n  Police said so.\r\nThe end \n came.\n"
    doc = nlp.paragraph_starts(blank(text))
    starts = {t.text for t in doc if t.i > 0 and t.is_sent_start}
    assert starts == {"Talks", "A", "Police", "The", "came"}
    expected = {t.i for t in doc[1:] if "\n" in doc[t.i - 1].text + doc[t.i - 1].whitespace_ and not t.is_space}
    assert {t.i for t in doc if t.i > 0 and t.is_sent_start} == expected


def test_intervals_answer_as_a_scan_of_every_range_would() -> None:
    import random

    from newsledger.stages.mentions import Intervals

    rng = random.Random(16)
    for _ in range(200):
        ranges = [(s, s + rng.randint(1, 30)) for s in (rng.randint(0, 200) for _ in range(rng.randint(0, 12)))]
        index = Intervals(ranges)
        for pos in range(0, 240, 3):
            assert index.covers(pos) == any(s <= pos < e for s, e in ranges)
            assert index.overlaps(pos, pos + 7) == any(s < pos + 7 and pos < e for s, e in ranges)
            assert index.contains(pos, pos + 7) == any(s <= pos and pos + 7 <= e for s, e in ranges)


@pytest.fixture(scope="module")
def parsed_reports() -> dict[int, Document]:
    """The hand-written paragraph 16 and 128 times, through every stage (module-wide: spaCy once)."""
    import datetime

    from newsledger.pipeline import run_batch

    settings = Settings.load()
    out = {}
    for copies in (2, 16, 128):
        (doc,) = run_batch([Document(raw=REPORT_PARAGRAPH * copies,
                                     meta=Meta(source=f"<{copies}>", published=datetime.date(2024, 5, 14)))], settings)
        assert isinstance(doc, Document) and doc.events is not None, doc
        out[copies] = doc
    return out


@pytest.mark.parametrize("stage_name", ["time", "places", "actors", "quotes", "events"])
def test_each_stage_costs_eight_times_as_much_for_eight_times_the_text(parsed_reports: dict[int, Document],
                                                                      stage_name: str) -> None:
    from newsledger.pipeline import DOCUMENT_STAGES

    settings = Settings.load()
    stage = next(s for s in DOCUMENT_STAGES if s.name == stage_name)

    def seconds(copies: int) -> float:
        doc = parsed_reports[copies]
        return fastest_cpu_seconds(lambda: stage.run(doc, settings))

    seconds(2)   # warm-up: resources load once per process
    small, large = seconds(16), seconds(128)   # tens of milliseconds at least: fewer are noise

    def size(copies: int) -> int:   # what the stage found: items, or for actors their mentions
        layer = getattr(parsed_reports[copies], stage.adds)
        return sum(len(a.mentions) for a in layer) if stage_name == "actors" else len(layer)

    assert size(128) >= 8 * size(16) * 0.9
    assert large <= 16 * small, f"{stage_name}: {small:.3f} s for 16 paragraphs, {large:.3f} s for 128"   # n²: 64x


def test_linking_many_mentions_to_one_actor_is_linear() -> None:
    """Coreference links each mention once, in order of position, without rescanning and
    resorting the actor's mentions at every link (n² for an actor named all through a report)."""
    from newsledger.model import Actor
    from newsledger.stages.coref import Chains

    def seconds(links: int) -> float:
        def work() -> None:
            body = "They said so. " * links
            actor = Actor("a1", "the police", "group", "PAK", "COP")
            chains = Chains.build(body, [actor], frozenset())
            for n in range(links):                    # in order of position, as the passes go
                chains.link(actor, 14 * n, 14 * n + 4)
                chains.link(actor, 14 * n, 14 * n + 4)    # a second link of the same span is ignored
            assert [m.start for m in actor.mentions] == [14 * n for n in range(links)]
        return fastest_cpu_seconds(work)

    seconds(500)
    small, large = seconds(4_000), seconds(32_000)
    # a scan and a sort per link made this 65x (2,000 -> 16,000 links); each link is a bisection
    # (n log n) and lists eight times as long fall out of the processor's caches: up to 20x
    assert large <= 20 * small, (small, large)


def test_first_person_in_many_quotations_is_linked_in_linear_time() -> None:
    """'We' and 'our' inside each quotation join its speaker; the mentions already taken are
    gathered once for the document, not once per quotation."""
    import spacy
    from spacy.tokens import Doc

    from newsledger.model import Actor, Span
    from newsledger.stages.coref import SpokenStretch, link_first_person

    vocab = spacy.blank("en").vocab

    def seconds(quotations: int) -> float:
        words = ["“", "We", "agree", "”", "said", "Mr", "Doe", "."] * quotations
        tags = ["``", "PRP", "VBP", "''", "VBD", "NNP", "NNP", "."] * quotations
        sdoc = Doc(vocab, words=words, tags=tags)
        starts = [t.idx for t in sdoc if t.text == "We"]

        def work() -> None:
            actors = [Actor(f"a{n}", "Jane Doe", "person", None, None, mentions=[Span("Doe", s + 17, s + 20)])
                      for n, s in enumerate(starts)]
            link_first_person(actors, sdoc, [SpokenStretch([(s, s + 8)], f"a{n}") for n, s in enumerate(starts)])
            assert all(a.mentions[0] == Span("We", s, s + 2) for a, s in zip(actors, starts))
        return fastest_cpu_seconds(work)

    seconds(2_000)
    small, large = seconds(2_000), seconds(16_000)  # tens of milliseconds: single milliseconds are noise
    assert large <= 16 * small, (small, large)     # linear gives ~8x, n² would give 64x


def test_report_verbs_over_many_sentences_are_read_in_linear_time() -> None:
    """What "urged" reports is checked against the quotes already found and the reports kept
    so far by bisection, not by a scan of them all per verb (n² for a long report)."""
    import spacy
    from spacy.tokens import Doc

    from newsledger.model import Quote
    from newsledger.stages.mentions import MentionIndex
    from newsledger.stages.quotes import complement_reports

    vocab = spacy.blank("en").vocab
    sentence = dict(words=["Officials", "urged", "residents", "to", "save", "water", "."],
                    heads=[1, 1, 1, 4, 1, 4, 1], deps=["nsubj", "ROOT", "dobj", "aux", "xcomp", "dobj", "punct"],
                    pos=["NOUN", "VERB", "NOUN", "PART", "VERB", "NOUN", "PUNCT"],
                    lemmas=["official", "urge", "resident", "to", "save", "water", "."])

    def seconds(sentences: int) -> float:
        size = len(sentence["words"])
        sdoc = Doc(vocab, words=sentence["words"] * sentences,
                   heads=[h + size * n for n in range(sentences) for h in sentence["heads"]],
                   deps=sentence["deps"] * sentences, pos=sentence["pos"] * sentences,
                   lemmas=sentence["lemmas"] * sentences)
        doc = Document(raw=sdoc.text, body=sdoc.text, spacy_doc=sdoc)
        taken = [Quote("direct", "Officials", t.idx, t.idx + 9, None, None, None) for t in sdoc if t.text == "Officials"]
        mentions = MentionIndex([], [])

        def work() -> None:
            out = complement_reports(doc, mentions, taken)
            assert [q.text for q in out] == ["residents to save water"] * sentences
        return fastest_cpu_seconds(work)

    seconds(200)
    small, large = seconds(500), seconds(4_000)
    assert large <= 16 * small, (small, large)   # linear gives ~8x; a scan of every quote per verb gave 64x


def test_folding_repeated_attacks_is_linear_in_a_digest_of_many() -> None:
    """Each attack of a long digest is compared with the attacks kept of its own day (or, when
    undated, with the one before it only), not with every attack kept so far."""
    import datetime

    from newsledger.model import Event, EventDate, EventPlace, Span
    from newsledger.stages.events.lexicon_coder import fold_repeated_attacks

    def attacks(n: int) -> list[Event]:
        start = datetime.date(2020, 1, 1)
        return [Event(f"e{k}", "ASSAULT", None, [], "asserted", [f"a{k}"], [f"v{k}"],
                      None if k % 3 == 2 else EventDate((start + datetime.timedelta(days=k // 3)).isoformat(), "day", "clause"),
                      EventPlace(None, f"Town {k}", "AF"), Span("attacked", 0, 8), 0.9)
                for k in range(n)]

    def seconds(n: int) -> float:
        events = attacks(n)
        return fastest_cpu_seconds(lambda: fold_repeated_attacks(list(events), {}))

    seconds(500)
    assert len(fold_repeated_attacks(attacks(3_000), {})) == 3_000   # every attack its own
    small, large = seconds(4_000), seconds(32_000)   # tens of milliseconds (2,000 took 7 ms: noise)
    assert large <= 16 * small, (small, large)   # n² would give 64x
