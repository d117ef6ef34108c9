"""An analyst's edits: split an event and undo the split, from the library, the command line
and the API's opt-in write routes (`serve --allow-edits`), with their cross-site protection.

The store is `tests.test_fuse.build_db`: four hand-written reports, one attack reported twice
(doc-a:e1 and doc-b:e1 merge into one canonical event)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsledger.api import create_app
from newsledger.cli import cli
from newsledger.edits import split_event, unsplit_events
from newsledger.errors import NewsledgerError
from newsledger.store import Store
from tests.test_fuse import build_db

SERVER = "http://127.0.0.1"


def _home(store: Store, doc_id: str, event_id: str = "e1") -> str:
    return store.connection.execute(
        "SELECT canonical_id FROM canonical_members WHERE doc_id = ? AND event_id = ?", [doc_id, event_id]).fetchone()[0]


def _canonical_count(store: Store) -> int:
    return store.connection.execute("SELECT count(*) FROM canonical_events").fetchone()[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_db(tmp_path / "ledger.duckdb")


def test_a_split_undone_gives_back_the_same_event(db: Path) -> None:
    with Store.open(db) as store:
        merged = _home(store, "doc-a")
        assert _home(store, "doc-b") == merged and _canonical_count(store) == 4
        done = split_event(store, merged, ["doc-b:e1"], "another checkpoint")
        assert done.kept_apart == 1 and _canonical_count(store) == 5
        assert done.staying == _home(store, "doc-a") and done.leaving == [_home(store, "doc-b")]
        assert done.staying != done.leaving[0]
        undone = unsplit_events(store, done.leaving[0], done.staying)
        assert undone.removed == 1 and undone.events == [merged]
        assert _home(store, "doc-a") == _home(store, "doc-b") == merged and _canonical_count(store) == 4
        assert store.connection.execute("SELECT count(*) FROM fusion_splits").fetchone()[0] == 0


def test_undoing_a_split_that_was_never_made_is_a_clear_error(db: Path) -> None:
    with Store.open(db) as store:
        merged, other = _home(store, "doc-a"), _home(store, "doc-d")
        with pytest.raises(NewsledgerError, match="no analyst's split keeps") as err:
            unsplit_events(store, merged, other)
        assert err.value.code == "E402"
        with pytest.raises(NewsledgerError, match="no canonical event ev-nothing"):
            unsplit_events(store, merged, "ev-nothing")
        with pytest.raises(NewsledgerError, match="one event"):
            unsplit_events(store, merged, merged)
        with pytest.raises(NewsledgerError, match="DOC_ID:EVENT_ID"):
            split_event(store, merged, ["no-colon"])
        assert _canonical_count(store) == 4


def test_the_unsplit_command_undoes_the_split_command(db: Path) -> None:
    runner = CliRunner()
    with Store.open(db, read_only=True) as store:
        merged = _home(store, "doc-a")
    split = runner.invoke(cli, ["split", merged, "doc-b:e1", "--note", "two places", "--db", str(db)])
    assert split.exit_code == 0, split.output
    leaving = re.search(r"now in (ev-[0-9a-f]+)", split.output).group(1)
    undo = runner.invoke(cli, ["unsplit", leaving, merged, "--db", str(db)])
    assert undo.exit_code == 0, undo.output
    assert f"1 keep-apart pair(s) removed; the mentions are now in {merged}" in undo.output
    again = runner.invoke(cli, ["unsplit", leaving, merged, "--db", str(db)])
    assert again.exit_code == 2 and "error[E402]" in again.output and "no canonical event" in again.output


# -- the API's write routes --------------------------------------------------------------------


def _client(db: Path, allow_edits: bool):
    from fastapi.testclient import TestClient

    return TestClient(create_app(db, allow_edits=allow_edits), base_url=SERVER)


def _token(client) -> str:
    page = client.get("/").text
    return re.search(r'<meta name="newsledger-edit-token" content="([^"]*)">', page).group(1)


def test_without_allow_edits_there_is_no_write_route_and_no_token(db: Path) -> None:
    with _client(db, allow_edits=False) as client:
        assert _token(client) == ""
        answer = client.post("/api/edit/split", json={"event": "ev-x", "mentions": ["doc-b:e1"]},
                             headers={"Origin": SERVER})
        assert answer.status_code in (404, 405)
        assert "/api/edit/split" not in client.get("/openapi.json").json()["paths"]


def test_edits_need_json_this_origin_and_the_page_token(db: Path) -> None:
    with _client(db, allow_edits=True) as client:
        token = _token(client)
        assert len(token) >= 32
        merged = client.get("/api/view/events?limit=10").json()
        event = next(r["id"] for r in merged["items"] if r["num_articles"] == 2)
        body = {"event": event, "mentions": ["doc-b:e1"], "note": "a second checkpoint"}
        good = {"Origin": SERVER, "X-Newsledger-Token": token}
        refused = [
            client.post("/api/edit/split", json=body, headers={"X-Newsledger-Token": token}),        # no Origin
            client.post("/api/edit/split", json=body, headers={**good, "Origin": "http://evil.example"}),
            client.post("/api/edit/split", json=body, headers={**good, "X-Newsledger-Token": "guess"}),
            client.post("/api/edit/split", json=body, headers={**good, "Sec-Fetch-Site": "cross-site"}),
            client.post("/api/edit/split", data={"event": event}, headers=good),                     # a form
        ]
        for answer in refused:
            assert answer.status_code == 403 and answer.json()["error"]["code"] == "E407", answer.text
        assert client.get("/api/view/events").json()["total"] == 4                                   # nothing changed
        bad = client.post("/api/edit/split", content=b"{not json", headers={**good, "Content-Type": "application/json"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "E402"

        split = client.post("/api/edit/split", json=body, headers=good)
        assert split.status_code == 200, split.text
        done = split.json()
        assert done["kept_apart"] == 1 and done["staying"] == event and len(done["leaving"]) == 1
        assert client.get("/api/view/events").json()["total"] == 5
        splits = client.get(f"/api/view/events/{event}/splits").json()["items"]
        assert [(s["other_event"], s["note"]) for s in splits] == [(done["leaving"][0], "a second checkpoint")]

        undo = client.post("/api/edit/unsplit", json={"event": event, "other": done["leaving"][0]}, headers=good)
        assert undo.status_code == 200 and undo.json() == {"removed": 1, "events": [event]}
        assert client.get("/api/view/events").json()["total"] == 4
        again = client.post("/api/edit/unsplit", json={"event": event, "other": done["leaving"][0]}, headers=good)
        assert again.status_code == 400 and again.json()["error"]["code"] == "E402"


def test_splitting_several_mentions_off_fuses_again_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Taking two mentions out of an event stores every keep-apart pair in one transaction and
    fuses the affected components again once, not once per pair."""
    from newsledger import canonical
    from tests.test_canonical import _records

    with Store.open(tmp_path / "ledger.duckdb") as store:
        for item in _records():
            store.add(item)
        event = _home(store, "doc-a")
        others = [f"{doc_id}:{local_id}" for doc_id, local_id in store.connection.execute(
            "SELECT doc_id, event_id FROM canonical_members WHERE canonical_id = ? AND doc_id <> 'doc-a' ORDER BY ALL",
            [event]).fetchall()]
        assert len(others) >= 2
        calls: list[int] = []
        original = canonical.resplit
        monkeypatch.setattr(canonical, "resplit", lambda s, keys, settings=None: (calls.append(1), original(s, keys))[1])
        done = split_event(store, event, others[:2], "two other attacks")
        assert done.kept_apart >= 2 and calls == [1]
        assert _home(store, "doc-a") not in done.leaving
