"""The read-only HTTP API over a database built from hand-written records."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the API needs fastapi (pip install fastapi)")
pytest.importorskip("httpx", reason="the API test client needs httpx")

from fastapi.testclient import TestClient  # noqa: E402

from newsledger.api import MAX_LIMIT, create_app  # noqa: E402
from tests.test_fuse import BODY_D, build_db, corpus  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = build_db(tmp_path_factory.mktemp("api") / "ledger.duckdb")
    with TestClient(create_app(db), base_url="http://127.0.0.1") as test_client:
        yield test_client


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == response.status_code
    return body["error"]


def test_events_list_is_paged_and_filtered(client: TestClient) -> None:
    page = client.get("/api/events", params={"limit": 2}).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (4, 2, 0, 2)
    rest = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert {e["id"] for e in page["items"]}.isdisjoint({e["id"] for e in rest["items"]})
    [attack] = client.get("/api/events", params={"actor": "taliban"}).json()["items"]
    assert attack["type"] == "ASSAULT" and attack["sources"] == ["doc-a", "doc-b"]
    assert attack["outlets"] == ["Wire One", "Daily Two"] and attack["disagreements"] == ["killed", "source"]
    found = client.get("/api/events", params={"type": "consult", "country": "AFG", "since": "2024-05",
                                              "until": "2024-05-31", "q": "talks"}).json()
    assert [e["type"] for e in found["items"]] == ["CONSULT"]


def test_one_event_carries_mentions_documents_highlights_and_quotes(client: TestClient) -> None:
    [attack] = client.get("/api/events", params={"actor": "taliban"}).json()["items"]
    data = client.get(f"/api/events/{attack['id']}").json()
    assert [m["doc_id"] for m in data["event"]["mentions"]] == ["doc-a", "doc-b"]
    first = data["documents"][0]
    [highlight] = first["highlights"]
    assert first["body"][highlight["start"]:highlight["end"]] == "TTP gunmen attacked a police checkpoint in Quetta"
    [quote] = first["quotes"]
    assert first["body"][quote["start"]:quote["end"]] == quote["text"] == "We will hunt them down,"
    assert quote["speaker"] == "Interior Minister" and quote["states_event"] is False


def test_a_quote_that_states_the_event_is_marked(tmp_path: Path) -> None:
    records = corpus()
    records[0]["events"][1]["quote"] = 0          # the minister's condemnation, stated in the quote
    with TestClient(create_app(build_db(tmp_path / "ledger.duckdb", records)), base_url="http://127.0.0.1") as client:
        [accuse] = client.get("/api/events", params={"type": "ACCUSE"}).json()["items"]
        [document] = client.get(f"/api/events/{accuse['id']}").json()["documents"]
    assert [q["states_event"] for q in document["quotes"]] == [True]


def test_actors_timelines_network_map_documents_summary(client: TestClient) -> None:
    actors = client.get("/api/actors", params={"q": "TALIBAN"}).json()["items"]
    assert {a["name"] for a in actors} == {"Tehreek-i-Taliban Pakistan", "Pakistani Taliban"}
    timeline = client.get("/api/actors/pakistan/timeline").json()
    assert [e["type"] for e in timeline["items"]] == ["CONSULT"] and timeline["items"][0]["role"] == ["source"]
    network = client.get("/api/network").json()
    assert {"source": "Pakistan", "target": "Afghanistan", "type": "CONSULT", "events": 1} in network["edges"]
    assert {"source": "Tehreek-i-Taliban Pakistan", "target": "police", "type": "ASSAULT", "events": 1} in network["edges"]
    points = client.get("/api/map", params={"type": "ASSAULT"}).json()["items"]
    assert {(p["place_name"], p["lat"]) for p in points} == {("Quetta", 30.2)} and len(points) == 2
    docs = client.get("/api/documents", params={"limit": 1}).json()
    assert [d["id"] for d in docs["items"]] == ["doc-d"] and docs["more"] is True and "body" not in docs["items"][0]
    doc = client.get("/api/documents/doc-d").json()
    assert doc["body"] == BODY_D and doc["events"][0]["type"] == "ASSAULT"
    summary = client.get("/api/summary").json()
    assert summary["canonical_events"] == 4 and summary["multi_source_events"] == 1
    assert summary["stored"]["documents"] == 4 and summary["first_date"] == "2024-05-14"


@pytest.mark.parametrize("path, params, status, code", [
    ("/api/events", {"type": "BOMB"}, 400, "E402"),
    ("/api/events", {"since": "May"}, 400, "E402"),
    ("/api/events", {"limit": MAX_LIMIT + 1}, 400, "E402"),
    ("/api/events", {"offset": -1}, 400, "E402"),
    ("/api/events/ev-missing", {}, 404, "not_found"),
    ("/api/documents/nope", {}, 404, "not_found"),
    ("/api/actors/Nobody/timeline", {}, 404, "not_found"),
    ("/api/nothing-here", {}, 404, "not_found"),
])
def test_errors_have_one_json_shape(client: TestClient, path: str, params: dict, status: int, code: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert _error(response)["code"] == code


def test_the_api_is_read_only_and_injection_is_inert(client: TestClient) -> None:
    response = client.post("/api/events")
    assert response.status_code == 405 and _error(response)["code"] == "method_not_allowed"
    sneaky = client.get("/api/documents", params={"q": "'); DROP TABLE events; --"}).json()
    assert sneaky["items"] == []
    assert client.get("/api/summary").json()["stored"]["events"] == 5


def test_openapi_and_web_app_are_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/actors/{name}/timeline", "/api/summary"} <= set(spec["paths"])
    page = client.get("/")
    assert page.status_code == 200 and '<script src="/static/app.js">' in page.text
    assert "http://" not in page.text.replace("http://www.w3.org", "") and "https://" not in page.text
    script = client.get("/static/app.js").text
    assert "innerHTML" not in script and "cdn" not in script.lower()
    world = client.get("/static/countries-110m.json").json()
    assert world["type"] == "Topology" and "countries" in world["objects"]


def test_api_reference_is_served_offline(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and '<script src="/static/docs.js">' in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    assert "innerHTML" not in client.get("/static/docs.js").text


def test_a_missing_database_is_a_json_error(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "absent.duckdb"), base_url="http://127.0.0.1") as test_client:
        response = test_client.get("/api/events")
    assert response.status_code == 503 and _error(response)["code"] == "E401"


def test_a_closed_ledger_lets_its_file_go_and_reads_again(tmp_path: Path) -> None:
    """What the exit hook runs: the in-memory instance is closed and the file let go (a writer
    of this process opens it), and a later request attaches anew."""
    from newsledger.api import Ledger, _LEDGERS
    from newsledger.store import Store

    db = build_db(tmp_path / "ledger.duckdb", corpus())
    ledger = Ledger(db)
    before = ledger.query("documents_total")
    assert ledger in _LEDGERS and ledger._instance is not None
    ledger.close()
    assert ledger._instance is None
    with Store.open(db) as store:                   # the file is free for a writer
        assert store.documents_total() == before
    assert ledger.query("documents_total") == before
    ledger.close()
