"""Cross-document fusion: compatibility rules, determinism, counts, disagreements, splits,
headlines; and the fused `events --format json` command. Inputs are records built by hand."""
from __future__ import annotations

import json
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsledger.cli import cli
from newsledger.errors import NewsledgerError
from newsledger.fuse import (
    EventFilter,
    FusionSettings,
    Participant,
    compare,
    date_span,
    fuse,
    fuse_store,
    headlines,
    mentions_from_rows,
    participant_agreement,
    select,
    split_pairs,
)
from newsledger.store import Store

QUETTA = {"geonameid": 1167528, "name": "Quetta", "country": "PK"}
KABUL = {"geonameid": 1138958, "name": "Kabul", "country": "AF"}


def _at(body: str, text: str) -> dict[str, Any]:
    start = body.index(text)
    return {"text": text, "start": start, "end": start + len(text)}


def record(doc_id: str, body: str, published: str | None, outlet: str, actors: list[tuple[str, str, str, str, str, str]],
           events: list[dict[str, Any]], places: list[tuple[str, dict[str, Any], str]] = (),  # type: ignore[assignment]
           quotes: list[tuple[str, str | None]] = (), title: str | None = None) -> dict[str, Any]:  # type: ignore[assignment]
    """A newsledger-doc/1 record: actors are (id, name, kind, country, sector, mention text),
    places (text, place, level), quotes (text, speaker id); events give evidence as text."""
    out_events = []
    for number, spec in enumerate(events, start=1):
        out_events.append({
            "id": f"e{number}", "type": spec["type"], "mode": spec.get("mode"), "context": [],
            "modality": spec.get("modality", "asserted"), "source": spec.get("source", []),
            "target": spec.get("target", []),
            "date": {"value": spec["date"], "precision": spec.get("precision", "day"), "anchor": "sentence"}
            if spec.get("date") else None,
            "place": spec.get("place"), "killed": spec.get("killed"), "injured": None,
            "evidence": _at(body, spec["evidence"]), "confidence": spec.get("confidence", 0.8),
            "quote": spec.get("quote"), "trigger": spec.get("trigger"), "inferred": spec.get("inferred", []),
        })
    return {
        "schema": "newsledger-doc/1", "id": doc_id,
        "document": {"title": title or body[:40], "outlet": outlet, "published": published, "dateline": None,
                     "url": f"https://example.org/{doc_id}", "source": f"{doc_id}.txt", "body": body},
        "timexes": [],
        "places": [{**_at(body, text), "geonameid": p["geonameid"], "name": p["name"], "country": p["country"],
                    "lat": 30.2 if p is QUETTA else 34.5, "lon": 67.0 if p is QUETTA else 69.2,
                    "feature": "PPLA", "level": level, "kind": "toponym"} for text, p, level in places],
        "actors": [{"id": i, "name": n, "kind": k, "country": c, "sector": s, "role": None, "wikidata": None,
                    "known": True, "mentions": [_at(body, m)]} for i, n, k, c, s, m in actors],
        "quotes": [{"kind": "direct", **_at(body, text), "speaker": speaker, "speaker_text": None, "cue": "said",
                    "cue_start": None} for text, speaker in quotes],
        "events": out_events,
    }


BODY_A = ("TTP gunmen attacked a police checkpoint in Quetta on Tuesday, killing four officers. "
          "The Interior Minister condemned the attack. \"We will hunt them down,\" the minister said.")
BODY_B = ("Four policemen were killed when militants of the Pakistani Taliban stormed a checkpoint in Quetta "
          "yesterday. A spokesman said the group would strike again.")
BODY_C = "Pakistan and Afghanistan held border talks in Kabul on Thursday to ease trade."
BODY_D = ("Gunmen attacked a bus in Quetta on Sunday. A sign reading <img src=x onerror=alert(1)> "
          "was left at the scene.")


def corpus() -> list[dict[str, Any]]:
    """Four reports: A and B the same Quetta attack (two outlets, tolls disagree), C a
    meeting in Kabul, D another Quetta attack five days later."""
    return [
        record("doc-a", BODY_A, "2024-05-14", "Wire One",
               [("a1", "Tehreek-i-Taliban Pakistan", "group", "PAK", "REB", "TTP"),
                ("a2", "police", "organisation", "PAK", "COP", "police"),
                ("a3", "Interior Minister", "person", "PAK", "GOV", "Interior Minister")],
               [{"type": "ASSAULT", "source": ["a1"], "target": ["a2"], "date": "2024-05-14", "place": QUETTA,
                 "killed": 4, "evidence": "TTP gunmen attacked a police checkpoint in Quetta"},
                {"type": "ACCUSE", "source": ["a3"], "target": [], "date": "2024-05-14",
                 "evidence": "The Interior Minister condemned the attack"}],
               places=[("Quetta", QUETTA, "city")], quotes=[("We will hunt them down,", "a3")],
               title="Gunmen attack Quetta checkpoint"),
        record("doc-b", BODY_B, "2024-05-15", "Daily Two",
               [("a1", "Pakistani Taliban", "group", "PAK", "REB", "Pakistani Taliban")],
               [{"type": "ASSAULT", "source": ["a1"], "date": "2024-05-14", "place": QUETTA, "killed": 5,
                 "evidence": "militants of the Pakistani Taliban stormed a checkpoint in Quetta"}],
               places=[("Quetta", QUETTA, "city")], title="Policemen killed in Quetta raid"),
        record("doc-c", BODY_C, "2024-05-16", "Wire One",
               [("a1", "Pakistan", "state", "PAK", "GOV", "Pakistan"),
                ("a2", "Afghanistan", "state", "AFG", "GOV", "Afghanistan")],
               [{"type": "CONSULT", "source": ["a1"], "target": ["a2"], "date": "2024-05-16", "place": KABUL,
                 "evidence": "Pakistan and Afghanistan held border talks in Kabul"}],
               places=[("Kabul", KABUL, "city")], title="Border talks in Kabul"),
        record("doc-d", BODY_D, "2024-05-20", "Daily Two", [],
               [{"type": "ASSAULT", "date": "2024-05-19", "place": QUETTA, "evidence": "Gunmen attacked a bus in Quetta"}],
               places=[("Quetta", QUETTA, "city")], title="Bus attacked <b>near</b> Quetta"),
    ]


def build_db(path: Path, records: list[dict[str, Any]] | None = None) -> Path:
    with Store.open(path) as store:
        for item in records or corpus():
            store.add(item)
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_db(tmp_path / "ledger.duckdb")


def _events(db: Path) -> list:
    with Store.open(db, read_only=True) as store:
        return fuse_store(store)


def _of(events: list, doc_id: str, event_id: str = "e1"):
    return next(e for e in events if (doc_id, event_id) in {m.key for m in e.mentions})


def test_two_reports_of_one_attack_merge_and_others_stay_apart(db: Path) -> None:
    events = _events(db)
    attack = _of(events, "doc-a")
    assert {m.key for m in attack.mentions} == {("doc-a", "e1"), ("doc-b", "e1")}
    assert _of(events, "doc-d") is not attack            # five days later: another attack
    assert _of(events, "doc-a", "e2") is not attack      # the condemnation is its own event
    assert len(events) == 4
    record_ = attack.to_json()
    assert record_["sources"] == ["doc-a", "doc-b"]
    assert (record_["num_articles"], record_["num_sources"], record_["num_mentions"]) == (2, 2, 2)
    assert record_["date_value"] == "2024-05-14" and record_["place_name"] == "Quetta"
    assert record_["source_names"][:1] == ["Tehreek-i-Taliban Pakistan"] or "Pakistani Taliban" in record_["source_names"]
    [merge] = record_["merges"]
    assert merge["mentions"] == ["doc-a:e1", "doc-b:e1"] and "same type ASSAULT" in merge["why"]
    assert [len(m["evidence"]["text"]) > 0 for m in record_["mentions"]] == [True, True]


def test_disagreeing_values_are_kept_with_their_sources(db: Path) -> None:
    attack = _of(_events(db), "doc-a")
    killed = attack.disagreements()["killed"]
    assert sorted((v["value"], v["documents"]) for v in killed) == [(4, ["doc-a"]), (5, ["doc-b"])]
    assert "date" not in attack.disagreements()
    # a tie between two figures goes to the larger one (tolls tend to rise as reports come in)
    assert attack.to_json()["killed"] == 5


def test_same_input_in_any_order_gives_the_same_events(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        inputs = store.fusion_inputs()
    mentions = mentions_from_rows(inputs)
    expected = [e.to_json() for e in fuse(mentions)]
    for seed in range(5):
        shuffled = mentions[:]
        random.Random(seed).shuffle(shuffled)
        assert [e.to_json() for e in fuse(shuffled)] == expected


def test_incompatible_fields_forbid_a_merge(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        mentions = {m.key: m for m in mentions_from_rows(store.fusion_inputs())}
    a, b = mentions[("doc-a", "e1")], mentions[("doc-b", "e1")]
    settings = FusionSettings()
    assert compare(a, b, settings).compatible
    assert compare(a, replace(b, date_span=date_span("2024-05-17")), settings).conflict == "date"
    assert compare(a, replace(b, date_span=date_span("2024-05-15")), settings).compatible   # one day of slack
    assert compare(a, replace(b, date_span=date_span("2024-05")), settings).date < compare(a, b, settings).date
    lahore = replace(b, place_geonameid=1172451, place_name="Lahore", place_level="city")
    assert compare(a, lahore, settings).conflict == "place"
    kabul = replace(b, place_geonameid=1138958, place_name="Kabul", place_country="AF", place_level="city")
    assert compare(a, kabul, settings).conflict == "place"
    pakistan = replace(b, place_geonameid=1168579, place_name="Pakistan", place_level="country")
    assert compare(a, pakistan, settings).compatible                     # a country contains the city
    punjab = replace(b, place_geonameid=None, place_name="Punjab", place_level="province", admin1_code="PK-PB")
    assert compare(replace(a, admin1_code="PK-PB"), punjab, settings).compatible
    assert compare(replace(a, admin1_code="PK-KP"), punjab, settings).conflict == "place"
    # containment known from the stored ISO 3166-2 codes scores above containment merely possible
    known, possible = compare(replace(a, admin1_code="PK-PB"), punjab, settings), compare(a, punjab, settings)
    assert possible.compatible and known.place > possible.place
    district = replace(b, place_geonameid=None, place_name="a district", place_level="district",
                       admin1_code="PK-PB", admin2_code="PK-PB-01")
    inside = replace(a, admin1_code="PK-PB", admin2_code="PK-PB-01")
    assert compare(inside, district, settings).place == known.place        # a district contains its places
    assert compare(replace(inside, admin2_code="PK-PB-02"), district, settings).conflict == "place"
    # one province named by a report stored with its GeoNames id and by one stored without it
    punjab_id = replace(punjab, place_geonameid=1167710)
    assert compare(replace(a, place_geonameid=None, place_name="Punjab province", place_level="province",
                           admin1_code="PK-PB"), punjab_id, settings).place == 1.0
    assert compare(replace(punjab_id, admin1_code="PK-KP", place_name="Khyber Pakhtunkhwa"), punjab, settings).conflict == "place"
    army = replace(b, sources=(Participant("Pakistan Army", "PAK", "MIL", "organisation"),))
    assert compare(a, army, settings).conflict == "actors"               # rebels are not the army
    assert compare(a, replace(b, type="PROTEST"), settings).conflict == "type"
    assert compare(a, replace(b, modality="future"), settings).conflict == "modality"
    assert compare(a, b, settings, frozenset({frozenset({a.key, b.key})})).conflict == "split"


def test_participants_agree_by_name_word_or_state_of_one_country() -> None:
    ttp = Participant("Tehreek-i-Taliban Pakistan", "PAK", "REB", "group")
    assert participant_agreement(ttp, Participant("Afghan Taliban", "AFG", "REB", "group")) == 0.7
    assert participant_agreement(Participant("United States", "USA", "GOV", "state"),
                                 Participant("Barack Obama", "USA", "GOV", "person")) == 0.5
    assert participant_agreement(ttp, Participant("Pakistan Army", "PAK", "MIL", "organisation")) == 0.0
    assert participant_agreement(Participant("the Pentagon", "USA", "MIL", "organisation"),
                                 Participant("Pentagon", "USA", "MIL", "organisation")) == 1.0


@pytest.mark.parametrize("value, span", [
    ("2024-05-14", ("2024-05-14", "2024-05-14")), ("2024-05-14T10:00", ("2024-05-14", "2024-05-14")),
    ("2024-W20", ("2024-05-13", "2024-05-19")), ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2024-Q2", ("2024-04-01", "2024-06-30")), ("2024", ("2024-01-01", "2024-12-31")),
    ("202", ("2020-01-01", "2029-12-31")), ("P2D", None), ("PAST_REF", None), ("2024-13", None),
])
def test_date_span_covers_the_period_of_a_value(value: str, span: tuple[str, str] | None) -> None:
    found = date_span(value)
    assert (tuple(d.isoformat() for d in found) if found else None) == span


def test_a_vague_mention_does_not_chain_two_events(tmp_path: Path) -> None:
    """An undated, placeless ASSAULT compatible with two different attacks joins neither
    unless its text says which: no merging through a vague mention."""
    body = "An attack happened somewhere, officials said."
    vague = record("doc-v", body, "2024-05-21", "Wire Three", [],
                   [{"type": "ASSAULT", "evidence": "An attack happened somewhere"}])
    events = _events(build_db(tmp_path / "v.duckdb", [*corpus(), vague]))
    assert len(_of(events, "doc-v").mentions) == 1
    assert _of(events, "doc-a") is not _of(events, "doc-d")


def test_split_keeps_mentions_apart_after_refusion(db: Path) -> None:
    attack = _of(_events(db), "doc-a")
    pairs = split_pairs(attack, [("doc-b", "e1")])
    assert pairs == [(("doc-b", "e1"), ("doc-a", "e1"))]
    with Store.open(db) as store:
        assert store.add_split(*pairs[0], note="different checkpoint") is True
        assert store.add_split(*pairs[0]) is False
        with pytest.raises(NewsledgerError):
            store.add_split(("doc-a", "e1"), ("doc-a", "e9"))
    events = _events(db)
    assert _of(events, "doc-a") is not _of(events, "doc-b")
    with pytest.raises(NewsledgerError):
        split_pairs(_of(events, "doc-a"), [("doc-a", "e1")])     # nothing would stay


def test_headline_is_the_lede_event_or_what_the_lede_reacts_to(tmp_path: Path) -> None:
    body = "The minister condemned the bombing of a market in Quetta on Monday. Later, talks were held."
    doc = record("doc-h", body, "2024-05-14", "Wire One",
                 [("a1", "Interior Minister", "person", "PAK", "GOV", "minister")],
                 [{"type": "ACCUSE", "source": ["a1"], "date": "2024-05-13",
                   "evidence": "The minister condemned the bombing of a market in Quetta"},
                  {"type": "ASSAULT", "date": "2024-05-13", "place": QUETTA,
                   "evidence": "the bombing of a market in Quetta"},
                  {"type": "CONSULT", "date": "2024-05-14", "evidence": "talks were held"}])
    events = _events(build_db(tmp_path / "h.duckdb", [*corpus(), doc]))
    heads = headlines(events)
    assert heads["doc-h"] == (_of(events, "doc-h", "e2").id, ("doc-h", "e2"))
    assert heads["doc-a"][1] == ("doc-a", "e1") and heads["doc-a"][0] == heads["doc-b"][0]


def test_select_filters_canonical_events(db: Path) -> None:
    events = _events(db)
    assert {e.type for e in select(events, EventFilter(type="consult"))} == {"CONSULT"}
    assert len(select(events, EventFilter(actor="taliban"))) == 1
    assert len(select(events, EventFilter(country="afg"))) == 1
    assert [e.best_date()[0] for e in select(events, EventFilter(since="2024-05-16"))] == ["2024-05-16", "2024-05-19"]
    assert [len(e.mentions) for e in select(events, EventFilter(text="STORMED"))] == [2]   # evidence
    assert [e.type for e in select(events, EventFilter(text="border talks"))] == ["CONSULT"]  # title
    with pytest.raises(NewsledgerError) as caught:
        select(events, EventFilter(until="2024-13"))
    assert caught.value.code == "E402"


def test_events_json_prints_canonical_events_and_split_command(db: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["events", "--db", str(db), "--format", "json", "--type", "ASSAULT"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert [e["num_articles"] for e in printed] == [2, 1]
    assert printed[0]["sources"] == ["doc-a", "doc-b"] and len(printed[0]["mentions"]) == 2
    assert {m["evidence"]["text"] for m in printed[0]["mentions"]} == {
        "TTP gunmen attacked a police checkpoint in Quetta",
        "militants of the Pakistani Taliban stormed a checkpoint in Quetta"}
    result = runner.invoke(cli, ["split", "--db", str(db), printed[0]["id"], "doc-b:e1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["events", "--db", str(db), "--format", "json", "--type", "ASSAULT"])
    assert [e["num_articles"] for e in json.loads(result.stdout)] == [1, 1, 1]
    result = runner.invoke(cli, ["split", "--db", str(db), "ev-0000", "doc-b:e1"])
    assert result.exit_code == 2 and "error[E402]" in result.stderr


def _fusion_benchmark() -> Any:
    import importlib.util

    if "fusion_benchmark" in sys.modules:
        return sys.modules["fusion_benchmark"]
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "fusion.py"
    spec = importlib.util.spec_from_file_location("fusion_benchmark", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]  # its dataclasses look themselves up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_bcubed_of_the_fusion_benchmark() -> None:
    module = _fusion_benchmark()
    gold = {"a": "X", "b": "X", "c": "Y"}
    assert module.bcubed({"a": 1, "b": 1, "c": 2}, gold) == (1.0, 1.0)
    precision, recall = module.bcubed({"a": 1, "b": 2, "c": 2}, gold)
    assert (round(precision, 4), round(recall, 4)) == (round((1 + 0.5 + 0.5) / 3, 4), round((0.5 + 0.5 + 1) / 3, 4))
    # pairs: a-b is the one same-cluster pair; b-c fused across clusters
    counts = module.pair_counts({"a": 1, "b": 2, "c": 2}, gold, {"a", "b", "c"}, {"a", "b", "c"})
    assert (counts.same_found, counts.same_total, counts.cross_merged) == (0, 1, 1)
    only_c = module.pair_counts({"a": 1, "b": 1, "c": 1}, gold, {"c"}, {"a", "b", "c"})
    assert (only_c.same_total, only_c.cross_merged, only_c.recall) == (0, 2, 1.0)


def test_the_fusion_benchmark_reads_distractor_pairs_from_the_index(tmp_path: Path) -> None:
    module = _fusion_benchmark()
    index = tmp_path / "INDEX.tsv"
    index.write_text("slug\tcluster\tnotes\n"
                     "one\tBOMB1\tA market bombing.\n"
                     "two\tBOMB1\tThe same bombing (distractor pair with BOMB2).\n"
                     "three\tBOMB2\tDistractor for BOMB1: the next bombing there, weeks later.\n"
                     "four\tTALK1\tTalks.\n", encoding="utf-8")
    pairs = module.read_distractors(index)
    assert pairs == {frozenset({"BOMB1", "BOMB2"})}
    gold = module.read_gold(index)
    assert module.distractor_merges({"one": 1, "two": 1, "three": 2, "four": 1}, gold, pairs) == (0, 2)
    assert module.distractor_merges({"one": 1, "two": 2, "three": 2, "four": 2}, gold, pairs) == (1, 2)


def test_the_fusion_benchmark_reads_distractors_from_headline_columns_and_descriptions(tmp_path: Path) -> None:
    module = _fusion_benchmark()
    index = tmp_path / "INDEX.tsv"
    index.write_text(
        "slug\tcluster\tevents\theadline_type\theadline_date\theadline_place\n"
        "a\tMKT1\t\tASSAULT\t2015-03-02\tCentral Market, Lakeside, Freedonia\n"
        "b\tMKT2\t\tASSAULT\t2015-03-20\tLakeside, Freedonia\n"            # same city, weeks later
        "c\tTALK\t\tCONSULT\t2015-03-05\tLakeside, Freedonia\n"            # another type
        "d\tMKT3\t\tASSAULT\t2017-03-02\tLakeside, Freedonia\n"            # two years later
        "e\tBUS1\tBUS1: bus bombing, Hilltown, 2016-05-01\t\t\t\n"
        "f\tBUS2\tBUS2: second bus bombing, Hilltown, 2016-06-11\t\t\t\n"
        "g\tFAR\tFAR: bombing, Rivertown, 2016-05-02\t\t\t\n", encoding="utf-8")
    assert module.read_distractors(index) == {frozenset({"MKT1", "MKT2"}), frozenset({"BUS1", "BUS2"})}


def test_an_unnamed_crowd_never_blocks_a_merge() -> None:
    from newsledger.fuse import _side_agreement
    crowd = Participant("people", None, "CVL", "group")
    army = Participant("army (USA)", "USA", "MIL", "organisation")
    assert _side_agreement([crowd], [army]) is None
    assert _side_agreement([army], [army]) == 1.0


def test_headline_is_the_act_the_title_and_lead_state_not_the_first_mention(tmp_path: Path) -> None:
    """The title names the bombing, which the report dates, places and counts the dead of:
    it is the headline, though a meeting is mentioned first and a condemnation before it."""
    body = ("Provincial officials met traders in Quetta on Monday. The governor condemned the blast. "
            "A bomb killed twelve people at a vegetable market in Quetta on Tuesday, police said. "
            "Talks on security will be held next week.")
    doc = record("doc-s", body, "2024-05-15", "Wire Five", [("a1", "governor", "person", "PAK", "GOV", "governor")],
                 [{"type": "CONSULT", "date": "2024-05-13", "place": QUETTA, "trigger": "met",
                   "evidence": "Provincial officials met traders in Quetta"},
                  {"type": "ACCUSE", "source": ["a1"], "trigger": "condemned",
                   "evidence": "The governor condemned the blast"},
                  {"type": "ASSAULT", "date": "2024-05-14", "place": QUETTA, "killed": 12, "trigger": "killed",
                   "evidence": "A bomb killed twelve people at a vegetable market in Quetta"},
                  {"type": "CONSULT", "modality": "future", "trigger": "talks",
                   "evidence": "Talks on security will be held next week"}],
                 places=[("Quetta", QUETTA, "city")], title="Market bomb kills twelve in Quetta")
    events = _events(build_db(tmp_path / "s.duckdb", [doc]))
    assert headlines(events)["doc-s"][1] == ("doc-s", "e3")
    # without the title and the toll, the first mention of the lead is the headline
    plain = record("doc-p", body, "2024-05-15", "Wire Five", [],
                   [{"type": "CONSULT", "date": "2024-05-13", "place": QUETTA, "trigger": "met",
                     "evidence": "Provincial officials met traders in Quetta"},
                    {"type": "ASSAULT", "trigger": "blast", "evidence": "the blast"}],
                   title="Officials meet traders")
    assert headlines(_events(build_db(tmp_path / "p.duckdb", [plain])))["doc-p"][1] == ("doc-p", "e1")


def test_a_statement_gives_way_to_an_act_inside_it_but_not_to_another_statement(tmp_path: Path) -> None:
    body = "The minister pledged to stop groups that threaten the border, officials said."
    doc = record("doc-t", body, "2024-05-15", "Wire Five", [("a1", "minister", "person", "PAK", "GOV", "minister")],
                 [{"type": "AGREE", "source": ["a1"], "date": "2024-05-15", "trigger": "pledged",
                   "evidence": "The minister pledged to stop groups that threaten the border"},
                  {"type": "THREATEN", "date": "2024-05-15", "trigger": "threaten",
                   "evidence": "groups that threaten the border"}])
    assert headlines(_events(build_db(tmp_path / "t.duckdb", [doc])))["doc-t"][1] == ("doc-t", "e1")


def test_a_summit_its_accord_and_its_signing_are_one_family(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        talks = {m.key: m for m in mentions_from_rows(store.fusion_inputs())}[("doc-c", "e1")]
    settings = FusionSettings()
    for kind in ("AGREE", "SUPPORT"):
        assert compare(talks, replace(talks, event_id="e9", type=kind), settings).compatible
    assert compare(talks, replace(talks, event_id="e9", type="ACCUSE"), settings).conflict == "type"


def test_disagreeing_participants_forbid_a_link_but_not_a_join_and_facts_forbid_both() -> None:
    from newsledger.fuse import PairScore, _join

    scores = {(0, 2): PairScore(True, None, total=0.9), (1, 2): PairScore(False, "actors"),
              (0, 3): PairScore(True, None, total=0.9), (1, 3): PairScore(True, None, total=0.9)}

    def score(i: int, j: int) -> PairScore:
        return scores[(min(i, j), max(i, j))]

    assert _join([0, 1], [2], score, 0.4) == ["actors"]   # (0.9 + 0) / 2: no agreement, recorded
    assert _join([0, 1], [2], score, 0.55) is None         # ... and it lowers the mean
    assert _join([0, 1], [3], score, 0.55) == []
    scores[(1, 2)] = PairScore(False, "date")
    assert _join([0, 1], [2], score, 0.1) is None          # another day forbids the join


@pytest.mark.parametrize("title_word, trigger, same", [
    ("Kills", "killed", True), ("Bombings", "bombing", True), ("Massacre", "massacred", True),
    ("Sanctions", "sanctioned", True), ("Signs", "signed", True), ("Summit", "summoned", False),
    ("Attack", "attacker", False),
])
def test_a_title_word_meets_the_trigger_it_inflects(title_word: str, trigger: str, same: bool) -> None:
    from newsledger.fuse import _word_stem
    assert (_word_stem(title_word) == _word_stem(trigger)) is same


PAKISTAN = {"geonameid": 1168579, "name": "Pakistan", "country": "PK"}


def _bombing_reports(second_target: tuple[str, str, str, str, str, str]) -> list[dict[str, Any]]:
    """Two reports of one market bombing in Quetta with tolls far apart: the first names no
    victim but people, so its target is the state where it happened, which the events stage
    lists as inferred; the second names the victims (`second_target`)."""
    first = "A suicide bomber killed 14 people at a fruit market in Quetta, Pakistan, on Monday evening."
    second = "Officials now say the Monday bombing in Quetta killed 61, most of them police recruits."
    return [
        record("doc-first", first, "2024-05-13", "Wire One",
               [("a1", "Pakistan", "state", "PAK", "GOV", "Pakistan")],
               [{"type": "ASSAULT", "target": ["a1"], "date": "2024-05-13", "place": QUETTA, "killed": 14,
                 "evidence": "A suicide bomber killed 14 people at a fruit market in Quetta", "inferred": ["a1"]}],
               places=[("Quetta", QUETTA, "city"), ("Pakistan", PAKISTAN, "country")]),
        record("doc-second", second, "2024-05-16", "Daily Two", [second_target],
               [{"type": "ASSAULT", "target": [second_target[0]], "date": "2024-05-13", "place": QUETTA,
                 "killed": 61, "evidence": "the Monday bombing in Quetta killed 61, most of them police recruits"}],
               places=[("Quetta", QUETTA, "city")]),
    ]


def test_a_target_the_events_stage_inferred_does_not_distinguish_tolls(tmp_path: Path) -> None:
    from newsledger.canonical import mention_features, mention_from_features
    from newsledger.fuse import stated_targets

    recruits = ("a1", "police", "organisation", "PAK", "COP", "police recruits")
    with Store.open(build_db(tmp_path / "one.duckdb", _bombing_reports(recruits)), read_only=True) as store:
        mentions = {m.key: m for m in mentions_from_rows(store.fusion_inputs())}
    first, second = mentions[("doc-first", "e1")], mentions[("doc-second", "e1")]
    assert [(p.name, p.stated) for p in first.targets] == [("Pakistan", False)]
    assert stated_targets(first) == () and [p.name for p in stated_targets(second)] == ["police"]
    assert compare(first, second, FusionSettings()).compatible       # 14 and 61, but nothing says whom else
    # the same state stated as the target (not inferred) tells the two attacks apart by their tolls
    stated_state = replace(first, targets=tuple(replace(p, stated=True) for p in first.targets))
    assert compare(stated_state, second, FusionSettings()).conflict == "killed"
    # and so does a stated target of a second kind of the same country
    army = replace(first, targets=(Participant("army (PAK)", "PAK", "MIL", "organisation"),))
    assert compare(army, second, FusionSettings()).conflict == "killed"
    # what the canonical tables store of a mention keeps the difference
    assert mention_from_features(json.loads(json.dumps(mention_features(first)))) == first


def test_a_participant_is_stated_unless_its_event_lists_it_as_inferred(tmp_path: Path) -> None:
    from newsledger.fuse import stated_targets

    body = "Rockets fired from Kabul struck Pakistan on Sunday. Two smugglers were arrested in Quetta on Monday."
    doc = record("doc-two", body, "2024-05-20", "Wire One",
                 [("a1", "Pakistan", "state", "PAK", "GOV", "Pakistan"),
                  ("a2", "smugglers", "group", None, "CRM", "smugglers")],
                 [{"type": "ASSAULT", "target": ["a1"], "date": "2024-05-19", "place": KABUL, "killed": 3,
                   "evidence": "Rockets fired from Kabul struck Pakistan"},
                  {"type": "COERCE", "source": ["a1"], "target": ["a2"], "date": "2024-05-20", "place": QUETTA,
                   "evidence": "Two smugglers were arrested in Quetta", "inferred": ["a1"]}],
                 places=[("Kabul", KABUL, "city"), ("Quetta", QUETTA, "city")])
    with Store.open(build_db(tmp_path / "two.duckdb", [doc]), read_only=True) as store:
        struck, arrest = mentions_from_rows(store.fusion_inputs())
    # an event with no inferred ids states all its participants, whatever words name them
    assert [(p.name, p.stated) for p in struck.targets] == [("Pakistan", True)]
    assert [p.name for p in stated_targets(struck)] == ["Pakistan"]
    # the arresting state the rule put in as the source is inferred; the smugglers are stated
    assert [(p.name, p.stated) for p in arrest.sources] == [("Pakistan", False)]
    assert [(p.name, p.stated) for p in arrest.targets] == [("smugglers", True)]


def test_rows_and_members_stored_before_inferred_ids_read_as_stated(tmp_path: Path) -> None:
    from newsledger.canonical import mention_features, mention_from_features

    recruits = ("a1", "police", "organisation", "PAK", "COP", "police recruits")
    path = build_db(tmp_path / "old.duckdb", _bombing_reports(recruits))
    with Store.open(path) as store:      # an event row upgraded from schema 8 has no inferred_ids
        store.connection.execute("UPDATE events SET inferred_ids = NULL")
        mentions = {m.key: m for m in mentions_from_rows(store.fusion_inputs())}
    first, second = mentions[("doc-first", "e1")], mentions[("doc-second", "e1")]
    assert [(p.name, p.stated) for p in first.targets] == [("Pakistan", True)]
    assert compare(first, second, FusionSettings()).conflict == "killed"     # as before the mark existed
    # a member stored before (participants of four fields) reads back with its participants stated
    features = json.loads(json.dumps(mention_features(first)))
    features["targets"] = [p[:4] for p in features["targets"]]
    assert mention_from_features(features) == first


def test_an_inferred_target_fuses_alike_in_any_order_of_ingest(tmp_path: Path) -> None:
    recruits = ("a1", "police", "organisation", "PAK", "COP", "police recruits")
    reports = _bombing_reports(recruits)
    snapshots = []
    for name, records in (("forward", reports), ("backward", reports[::-1])):
        with Store.open(build_db(tmp_path / f"{name}.duckdb", records), read_only=True) as store:
            snapshots.append(store.connection.execute(
                "SELECT doc_id, event_id, canonical_id FROM canonical_members ORDER BY ALL").fetchall())
    assert snapshots[0] == snapshots[1]
    assert len({row[2] for row in snapshots[0]}) == 1        # the two reports are one attack


def test_the_fusion_benchmark_names_headline_mismatches_and_what_keeps_distractors_apart(db: Path) -> None:
    module = _fusion_benchmark()
    with Store.open(db, read_only=True) as store:
        mentions = {m.key: m for m in mentions_from_rows(store.fusion_inputs())}
    heads = {"a": mentions[("doc-a", "e1")], "b": mentions[("doc-b", "e1")], "d": mentions[("doc-d", "e1")]}
    answer = module.SystemAnswer({slug: f"ev-{slug}" for slug in heads}, heads, 3,
                                 {f"ev-{slug}": [m] for slug, m in heads.items()})
    # the Quetta attacks five days apart: another day is the distinguishing evidence
    assert module.pair_reason(answer, "a", "d", {}) == "date"
    # a headline of another family than the INDEX's headline type is not a fusion miss
    assert module.pair_reason(answer, "a", "b", {"b": "PROTEST"}) == "headline: ASSAULT for PROTEST"
    # one family (ASSAULT/COERCE) is no mismatch: these two may link, so their groups' mean decides
    assert module.pair_reason(answer, "a", "b", {"b": "COERCE"}) == "group: mean 0.80 of 1 document pairs (1x1)"
    gold = {"a": "ATTACK1", "b": "ATTACK1", "d": "ATTACK2"}
    assert module.kept_apart_reasons(answer, gold, {frozenset({"ATTACK1", "ATTACK2"})}) == {"date": 2}
    answer.clusters["d"] = answer.clusters["a"]
    assert module.kept_apart_reasons(answer, gold, {frozenset({"ATTACK1", "ATTACK2"})}) == {"date": 1, "merged": 1}
    from newsledger.fuse import PairScore
    weak = PairScore(True, None, date=1.0, place=0.5, actors=0.5, text=0.0, total=0.5)
    assert module.weakest_field(weak, FusionSettings()) == "text"           # 0.2 lacking, against 0.125 and 0.1


def test_a_merge_records_whether_the_tolls_agreed_or_were_only_compatible(tmp_path: Path) -> None:
    from newsledger.fuse import _merge_reason

    recruits = ("a1", "police", "organisation", "PAK", "COP", "police recruits")
    with Store.open(build_db(tmp_path / "one.duckdb", _bombing_reports(recruits)), read_only=True) as store:
        mentions = {m.key: m for m in mentions_from_rows(store.fusion_inputs())}
    first, second = mentions[("doc-first", "e1")], mentions[("doc-second", "e1")]
    reason = _merge_reason(first, second, compare(first, second, FusionSettings()))
    assert "killed" in reason["compatible"] and "killed 14 ~ 61" in reason["why"]
    same = _merge_reason(first, replace(second, killed=14), compare(first, replace(second, killed=14), FusionSettings()))
    assert "killed" in same["agreed"] and "injured" not in same["agreed"] + same["compatible"]


def test_the_fusion_benchmark_says_whether_a_dateless_report_had_a_scene(db: Path) -> None:
    module = _fusion_benchmark()
    with Store.open(db, read_only=True) as store:
        mentions = {m.key: m for m in mentions_from_rows(store.fusion_inputs())}
    dated = mentions[("doc-a", "e1")]
    dateless = replace(mentions[("doc-b", "e1")], date_span=None, report_span=None, sources=())
    answer = module.SystemAnswer({"a": "ev-a", "b": "ev-b"}, {"a": dated, "b": dateless}, 2,
                                 {"ev-a": [dated], "ev-b": [dateless]})
    assert module.pair_reason(answer, "a", "b", {}) == "uncorroborated"   # same scene, nothing more shared
    sceneless = replace(dateless, place_geonameid=None, place_name=None, place_level=None, killed=4)
    answer.mentions["b"] = sceneless
    assert module.pair_reason(answer, "a", "b", {}) == "not compared: no time, no scene"


# -- compatibility, not equality: days with no year, corroboration, a capital's towns --

def _attack(doc_id: str, body: str, evidence: str, published: str | None, date_value: str | None,
            place: dict[str, Any] | None, places: list[tuple[str, dict[str, Any], str]] = (),  # type: ignore[assignment]
            killed: int | None = None) -> dict[str, Any]:
    return record(doc_id, body, published, f"Outlet {doc_id}", [],
                  [{"type": "ASSAULT", "date": date_value, "place": place, "killed": killed, "evidence": evidence}],
                  places=places)


def _mentions(tmp_path: Path, records: list[dict[str, Any]]) -> dict[str, Any]:
    with Store.open(build_db(tmp_path / "m.duckdb", records), read_only=True) as store:
        return {m.doc_id: m for m in mentions_from_rows(store.fusion_inputs())}


def test_a_day_with_no_year_matches_that_day_of_a_dated_report_and_tells_another_day_apart(tmp_path: Path) -> None:
    from newsledger.fuse import YEARLESS_DAY, anchors, dateless, month_day

    undated = "A car bomb tore through a vegetable market in Kabul on March 3, wounding dozens of shoppers."
    dated = "Police said the market bombing in Kabul on Sunday wounded 40 people."
    later = "A second car bomb struck a bus station in Kabul on Thursday."
    found = _mentions(tmp_path, [
        _attack("undated", undated, "A car bomb tore through a vegetable market in Kabul", None, "XXXX-03-03", KABUL,
                [("Kabul", KABUL, "city")]),
        _attack("dated", dated, "the market bombing in Kabul", "2024-03-04", "2024-03-03", KABUL, [("Kabul", KABUL, "city")]),
        _attack("later", later, "A second car bomb struck a bus station in Kabul", "2024-03-07", "2024-03-07", KABUL,
                [("Kabul", KABUL, "city")]),
    ])
    assert month_day("XXXX-03-03") == (3, 3) and month_day("XXXX-02-30") is None and month_day("2024-03-03") is None
    undated_m = found["undated"]
    assert dateless(undated_m)                        # no year anywhere: compared through its scene
    same = compare(undated_m, found["dated"], FusionSettings())
    assert same.compatible and same.date == YEARLESS_DAY and "day" in same.corroborated
    assert compare(undated_m, found["later"], FusionSettings()).conflict == "date"   # another day: two attacks
    # the day of the year narrows a country's events as a city does: a country is then a scene
    in_country = replace(undated_m, place_geonameid=1149361, place_name="Afghanistan", place_level="country")
    assert anchors(in_country) == {"place:1149361"}
    assert anchors(replace(in_country, date_value=None)) == set()
    events = fuse(found.values())
    assert _of(events, "undated") is _of(events, "dated") and _of(events, "later") is not _of(events, "dated")
    reason = next(m for m in _of(events, "dated").merges)
    assert "day" in reason["corroborated"] and "undated report corroborated by day" in reason["why"]


def test_an_undated_report_is_corroborated_by_a_name_of_its_sentence_that_is_no_place_of_the_scene(tmp_path: Path) -> None:
    from newsledger.fuse import corroboration, proper_names

    assert proper_names("Gunmen stormed the Silver Crescent Hotel in Kabul. Police said on Monday") == {
        "silver", "crescent", "hotel", "kabul"}       # words opening a sentence and stopwords left out
    one = "Gunmen stormed the Silver Crescent Hotel in Kabul and held guests for hours."
    two = "Security forces ended the siege of the Silver Crescent Hotel in Kabul after a night of fighting."
    other = "Gunmen stormed a wedding hall in Kabul and held guests for hours."
    found = _mentions(tmp_path, [
        _attack("one", one, "Gunmen stormed the Silver Crescent Hotel in Kabul", None, None, KABUL, [("Kabul", KABUL, "city")]),
        _attack("two", two, "the siege of the Silver Crescent Hotel in Kabul", "2024-06-02", "2024-06-01", KABUL,
                [("Kabul", KABUL, "city")]),
        _attack("other", other, "Gunmen stormed a wedding hall in Kabul", "2024-06-20", "2024-06-19", KABUL,
                [("Kabul", KABUL, "city")]),
    ])
    assert found["one"].names == {"silver", "crescent", "hotel"}     # the city is the scene, not a name
    linked = compare(found["one"], found["two"], FusionSettings())
    assert linked.corroborated == ("names",) and corroboration(found["one"], found["two"], linked.actors, linked.date)
    assert compare(found["one"], found["other"], FusionSettings()).conflict == "uncorroborated"   # only the city


def test_an_undated_report_is_corroborated_by_a_target_both_name_whoever_the_sources() -> None:
    from newsledger.fuse import corroboration

    envoy = Participant("Ambassador Lina Varga", "HUN", "GOV", "person")
    base = bare_mention()
    first = replace(base, doc_id="x", sources=(Participant("gunmen", None, None, None),), targets=(envoy,))
    second = replace(base, doc_id="y", sources=(Participant("Mountain Front", "AFG", "REB", "group"),), targets=(envoy,))
    assert "target" in corroboration(first, second, 0.5, 0.5)
    assert corroboration(first, replace(second, targets=()), 0.5, 0.5) == []


def bare_mention() -> Any:
    """A bare mention to vary with `replace` (no store)."""
    from newsledger.fuse import Mention

    return Mention(doc_id="d", event_id="e1", seq=0, type="ASSAULT", mode=None, modality="asserted",
                   sources=(), targets=(), date_value=None, date_precision=None, date_span=None, date_anchor=None,
                   place_geonameid=None, place_name=None, place_country=None, place_level=None, lat=None, lon=None,
                   killed=None, injured=None, evidence_text="", evidence_start=0, evidence_end=0, confidence=0.5,
                   outlet=None, title=None, published=None, url=None)


@pytest.mark.parametrize("features, km, compatible", [
    (("PPLC", "PPL"), 12.0, True),      # a capital and a town of its outskirts
    (("PPL", "PPL"), 12.0, False),      # two towns
    (("PPLC", "PPLA"), 12.0, False),    # two capitals
    (("PPLC", "PPL"), 80.0, False),     # a town beyond the capital's outskirts
])
def test_a_capital_and_a_town_of_its_outskirts_are_compatible_cities(features: tuple[str, str], km: float,
                                                                      compatible: bool) -> None:
    city = replace(bare_mention(), date_value="2024-06-02", date_span=date_span("2024-06-02"),
                   place_country="AF", place_level="city", lat=34.5, lon=69.2)
    capital = replace(city, doc_id="x", place_geonameid=1, place_name="Capital", place_feature=features[0])
    town = replace(city, doc_id="y", place_geonameid=2, place_name="Town", place_feature=features[1],
                   lat=34.5 + km / 111.0)
    result = compare(capital, town, FusionSettings())
    assert result.compatible is compatible and (result.place == 0.4 if compatible else result.conflict == "place")


def test_the_events_stage_keeps_a_day_with_no_year_of_an_undated_report(process_text) -> None:
    doc = process_text("A suicide bomber attacked a hospital in Quetta on April 9, killing 11 people.")
    dated = [e for e in doc.events if e.type == "ASSAULT" and e.date is not None]
    assert dated and dated[0].date.value == "XXXX-04-09" and dated[0].date.precision == "day"


def test_the_fusion_benchmark_names_the_kind_of_a_place_conflict() -> None:
    module = _fusion_benchmark()
    city = replace(bare_mention(), place_country="AF", place_level="city", place_feature="PPL", lat=34.5, lon=69.2)
    one, other = replace(city, place_name="Alpha"), replace(city, place_name="Beta", lat=34.6)
    assert module.place_conflict(one, other) == "two city (PPL~PPL), < 30 km"
    assert module.place_conflict(one, replace(other, place_country="PK")) == "countries"
    assert module.place_conflict(replace(one, admin1_code="AF-KAB"), replace(other, admin1_code="AF-NAN")).startswith("admin1")


# -- a coarse date corroborated; groups compared by their reports' best accounts --

FRONT = Participant("Mountain Front", "AFG", "REB", "group")


def _kabul_attack(doc_id: str, when: str | None, sources: tuple[Participant, ...] = (FRONT,),
                  placed: bool = True, words: str = "") -> Any:
    """A bare ASSAULT mention of a document, in Kabul unless `placed` is False."""
    place = dict(place_geonameid=KABUL["geonameid"], place_name="Kabul", place_country="AF", place_level="city",
                 lat=34.5, lon=69.2) if placed else {}
    from newsledger.fuse import content_words

    return replace(bare_mention(), doc_id=doc_id, date_value=when, date_span=date_span(when),
                   date_precision="day" if when and len(when) == 10 else "year", sources=sources,
                   words=content_words(words), evidence_text=words, **place)


@pytest.mark.parametrize("coarse, sources, placed, date_score, facts", [
    ("2024", (FRONT,), True, 0.5, ("participants",)),        # the year; who and where identify the event
    ("2024-05", (FRONT,), True, 0.5, ("participants",)),     # the month, likewise
    ("2024", (Participant("gunmen", None, None, None),), True, 0.2, ()),   # nothing identifies it: weak
    ("2024", (FRONT,), False, 0.2, ()),                      # a place unknown on one side: weak
    ("202", (FRONT,), True, 0.1, ()),                        # a decade identifies nothing
])
def test_a_coarse_date_is_only_compatible_when_participants_and_place_identify_the_event(
        coarse: str, sources: tuple[Participant, ...], placed: bool, date_score: float, facts: tuple[str, ...]) -> None:
    dated = _kabul_attack("day", "2024-05-14", sources)
    vague = _kabul_attack("vague", coarse, sources, placed)
    result = compare(dated, vague, FusionSettings())
    assert result.compatible and result.corroborated == facts
    assert result.date == pytest.approx(date_score)
    assert compare(dated, _kabul_attack("other", "2023", sources), FusionSettings()).conflict == "date"


def test_two_different_seas_or_regions_conflict_and_identify_no_coarse_dated_event() -> None:
    def at(doc_id: str, when: str, name: str, geonameid: int | None, level: str) -> Any:
        return replace(_kabul_attack(doc_id, when), place_geonameid=geonameid, place_name=name, place_country="",
                       place_level=level, lat=None, lon=None)

    red_sea = at("a", "2024-05-14", "Red Sea", None, "region")
    assert compare(red_sea, at("b", "2024-05-14", "Gulf of Aden", None, "region"), FusionSettings()).conflict == "place"
    vague = compare(red_sea, at("c", "2024", "Red Sea", None, "region"), FusionSettings())
    assert vague.compatible and vague.date == pytest.approx(0.2)     # a sea is no scene: the year stays weak


def test_a_report_dated_by_its_year_joins_one_of_two_attacks_of_that_year_never_both() -> None:
    first = _kabul_attack("first", "2024-05-14", words="Mountain Front fighters bombed the grain market")
    second = _kabul_attack("second", "2024-05-28", words="Mountain Front fighters bombed the bus depot")
    vague = _kabul_attack("vague", "2024", words="Mountain Front fighters bombed the grain market")
    events = fuse([first, second, vague])
    assert _of(events, "first") is not _of(events, "second")          # another day: two attacks
    assert _of(events, "vague") is _of(events, "first")               # its words say which one
    merge = _of(events, "first").merges[0]
    assert merge["corroborated"] == ["participants"] and "coarse date only compatible" in merge["why"]
    assert "date" in merge["compatible"]


def test_groups_join_by_their_reports_best_accounts_and_any_conflict_forbids() -> None:
    from newsledger.fuse import PairScore, _join, join_score

    # mentions 0 and 1: one report (its lede, a vague retelling); 2: another report; 3: a third
    document = {0: "p", 1: "p", 2: "q", 3: "r"}.__getitem__
    scores = {(0, 2): PairScore(True, None, total=0.9), (1, 2): PairScore(True, None, total=0.1),
              (0, 3): PairScore(True, None, total=0.9), (1, 3): PairScore(False, "actors")}

    def score(i: int, j: int) -> PairScore:
        return scores[(min(i, j), max(i, j))]

    assert _join([0, 1], [2], score, 0.55, document) == []       # the report's best account: 0.9
    assert _join([0, 1], [2], score, 0.55) is None               # every mention its own: (0.9 + 0.1) / 2
    assert join_score([0, 1], [2], score, document).document_pairs == 1
    assert _join([0, 1], [3], score, 0.55, document) == ["actors"]   # the lede agrees, the retelling names others
    scores[(1, 2)] = PairScore(False, "place")                       # a retelling at another place forbids
    assert _join([0, 1], [2], score, 0.55, document) is None


def test_an_uncorroborated_report_scores_in_a_join_but_never_links_by_itself() -> None:
    from newsledger.fuse import PairScore, _join

    undated = _kabul_attack("undated", None, sources=(), words="a bomb went off at the grain market")
    dated = _kabul_attack("dated", "2024-05-14", sources=(), words="a bomb went off at the grain market")
    result = compare(replace(undated, place_level="city"), dated, FusionSettings())
    assert result.conflict == "uncorroborated" and not result.compatible and result.total > 0.55
    scores = {(0, 2): PairScore(True, None, total=0.8), (1, 2): result}
    document = {0: "a", 1: "b", 2: "c"}.__getitem__
    assert _join([0, 1], [2], lambda i, j: scores[(min(i, j), max(i, j))], 0.55, document) == ["uncorroborated"]
    assert len(fuse([undated, dated])) == 2                          # no link of its own


def test_a_very_long_reports_own_mentions_are_paired_and_joined_within_bounds() -> None:
    """A 2 MB report codes thousands of attacks on its publication day: each mention is paired
    with a bounded number of others, and no event gathers more than MAX_EVENT_MENTIONS, so
    fusing it grows with its mentions, not with their square."""
    from newsledger.fuse import MAX_EVENT_MENTIONS, PARTNERS_PER_MENTION, candidate_pairs, fuse_components

    many = [replace(_kabul_attack("long", "2024-05-14", words="Mountain Front fighters bombed the grain market"),
                    event_id=f"e{k}", seq=k) for k in range(400)]
    pairs = candidate_pairs(many, FusionSettings())
    assert len(pairs) <= len(many) * 2 * PARTNERS_PER_MENTION < len(many) * (len(many) - 1) // 2
    sizes = sorted(len(e.mentions) for c in fuse_components(many) for e in c.events)
    assert sizes[-1] == MAX_EVENT_MENTIONS and sum(sizes) == len(many)
