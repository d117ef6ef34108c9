"""`extract --server`: the wire format, the loopback-only rules, and the records of a resident
pipeline (a `serve --allow-extract` app on a loopback socket) against those of a local extract."""
from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsledger import remote
from newsledger.cli import cli
from newsledger.errors import NewsledgerError
from newsledger.model import Document, Failure, Meta

# Written for this test: a short report with a date, a place, a quote and an arrest.
REPORT = ("PESHAWAR, March 3 (Wire) - Police in Peshawar arrested two suspects on Tuesday after a roadside "
          "bomb damaged a checkpoint, the provincial police chief said. \"The attackers will be brought "
          "to justice,\" he told a news conference.\n")


def test_a_document_crosses_the_wire_whole() -> None:
    doc = Document(raw="Text of a report.", meta=Meta(source="a.txt", title="T", outlet="Wire",
                                                     published=date(2024, 3, 5), dateline="PESHAWAR"))
    body = remote.request_payload(remote.ExtractRequest((doc,), "places"))
    (back,), last_stage = (lambda r: (r.documents, r.last_stage))(remote.parse_request(body, 8, 10_000))
    assert back == doc and last_stage == "places"


@pytest.mark.parametrize(("body", "code"), [
    (b"not json", "E402"),
    (b'{"documents": "x"}', "E402"),
    (b'{"documents": [{"raw": 1, "meta": {}}]}', "E402"),
    (b'{"documents": [' + b",".join([b'{"raw": "t", "meta": {}}'] * 9) + b"]}", "E402"),
])
def test_a_bad_request_is_refused_with_its_code(body: bytes, code: str) -> None:
    with pytest.raises(NewsledgerError) as caught:
        remote.parse_request(body, max_documents=8, max_input_bytes=100)
    assert caught.value.code == code


@pytest.mark.parametrize(("bad", "code"), [
    (b'{"raw": "t", "meta": {"path": "/etc/passwd"}}', "E402"),
    (b'{"raw": "t", "meta": {"source": "b.txt", "published": "5 March"}}', "E402"),
    (b'{"raw": "' + b"x" * 200 + b'", "meta": {"source": "b.txt"}}', "E104"),
])
def test_a_refused_document_is_its_own_failure_and_the_others_go_on(bad: bytes, code: str) -> None:
    good = b'{"raw": "A report.", "meta": {"source": "a.txt"}}'
    request = remote.parse_request(b'{"documents": [' + good + b", " + bad + b", " + good + b"]}",
                                   max_documents=8, max_input_bytes=100)
    first, refused, last = request.documents
    assert isinstance(first, Document) and isinstance(last, Document)
    assert isinstance(refused, Failure) and refused.code == code


@pytest.mark.parametrize("url", ["http://10.1.2.3:8000", "http://example.org:8000", "https://127.0.0.1:8000",
                                 "http://192.168.0.5", "ftp://localhost:21", "http://127.0.0.1:abc"])
def test_only_a_server_on_this_machine_is_used(url: str) -> None:
    with pytest.raises(NewsledgerError) as caught:
        remote.server_url(url)      # refused before anything connects
    assert caught.value.code == "E208"


@pytest.mark.parametrize(("url", "target"), [
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/api/extract"),
    ("127.0.0.2:9000", "http://127.0.0.2:9000/api/extract"),
    ("http://[::1]:8000/", "http://[::1]:8000/api/extract"),
    ("http://localhost:8000", "http://localhost:8000/api/extract"),
    ("http://user:secret@127.0.0.1:8000", "http://127.0.0.1:8000/api/extract"),
])
def test_loopback_addresses_are_accepted(url: str, target: str) -> None:
    assert remote.server_url(url) == target


def test_an_ipv4_peer_of_a_dual_stack_socket_is_on_this_machine() -> None:
    assert remote.is_loopback_client("::ffff:127.0.0.1") and not remote.is_loopback_client("::ffff:10.0.0.1")


def test_no_server_is_one_coded_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    with socket.socket() as probe:      # a loopback port bound, not listening: refused, and no one else takes it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        result = CliRunner().invoke(cli, ["extract", "--server", f"http://127.0.0.1:{port}", str(tmp_path / "a.txt")])
    assert result.exit_code == 2
    assert result.output.startswith("error[E208]:") and result.output.count("\n") == 1


def test_pipeline_options_are_refused_with_a_server(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "actors.yaml").write_text("{}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--server", "http://127.0.0.1:1", "--actors",
                                      str(tmp_path / "actors.yaml"), str(tmp_path / "a.txt")])
    assert result.exit_code == 2 and "server's settings apply" in result.output


def test_a_client_on_another_machine_is_refused(settings, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsledger.api import create_app
    from newsledger.store import Store

    Store.open(tmp_path / "ledger.duckdb").close()
    app = create_app(tmp_path / "ledger.duckdb", extract_settings=settings)
    body = remote.request_payload(remote.ExtractRequest((Document(raw=REPORT, meta=Meta(source="a.txt")),)))
    with TestClient(app, base_url="http://127.0.0.1", client=("192.0.2.7", 40000)) as client:
        answer = client.post("/api/extract", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "E208"
    with TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 40000)) as client:
        form = client.post("/api/extract", content=body, headers={"Content-Type": "text/plain"})
    assert form.status_code == 415
    without = create_app(tmp_path / "ledger.duckdb")      # a serve without --allow-extract
    with TestClient(without, base_url="http://127.0.0.1", client=("127.0.0.1", 40000)) as client:
        assert client.post("/api/extract", content=body,
                           headers={"Content-Type": "application/json"}).status_code in (404, 405)


@pytest.fixture(scope="module")
def extract_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `serve --allow-extract` app under uvicorn on a loopback port, in a thread."""
    import uvicorn

    from newsledger.api import create_app
    from newsledger.settings import Settings
    from newsledger.store import Store

    db = tmp_path_factory.mktemp("serve") / "ledger.duckdb"
    Store.open(db).close()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    server = uvicorn.Server(uvicorn.Config(create_app(db, extract_settings=Settings.load()), log_level="warning"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[listener])), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
        assert not thread.is_alive(), "the extract server did not stop"


@pytest.mark.slow
def test_records_from_the_server_are_those_of_a_local_extract(extract_server: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remote, "ANSWER_TIMEOUT_SECONDS", 120.0)   # a stuck server fails the test, not the suite
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    paths = [str(tmp_path / "report.txt"), str(tmp_path / "empty.txt")]
    options = ["--published", "2024-03-05", "--outlet", "Wire"]
    runner = CliRunner()
    local = runner.invoke(cli, ["extract", *options, *paths])
    served = runner.invoke(cli, ["extract", "--server", extract_server, *options, *paths])
    assert served.exit_code == local.exit_code == 1            # the empty input failed, the report did not
    assert served.stdout == local.stdout
    assert served.stderr == local.stderr and "failed[E101]" in served.stderr
    record = json.loads(served.stdout)                         # one record: printed as one object
    assert record["document"]["outlet"] == "Wire" and record["events"]
    dates = runner.invoke(cli, ["extract", "--server", extract_server, "--last-stage", "time", paths[0]])
    assert dates.exit_code == 0, dates.output
    assert json.loads(dates.stdout)["timexes"] and not json.loads(dates.stdout)["places"]
