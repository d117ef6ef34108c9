"""The pure parsing and scoring functions of the event, actor and quote benchmarks
(benchmarks/evalkit.py, plover_gsr.py, petrarch.py, polnear.py) on hand-written inputs.
No spaCy, no ../shared."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from newsledger.cameomap import PloverCoding

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
MODULES = ("evalkit", "plover_gsr", "petrarch", "polnear", "public_headlines")


@pytest.fixture(scope="module")
def bench():
    """The benchmark modules, imported as the scripts import each other (benchmarks/ on the path)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield SimpleNamespace(**{name: importlib.import_module(name) for name in MODULES})
    finally:
        sys.path.remove(str(BENCHMARKS))
        for name in MODULES:
            sys.modules.pop(name, None)


def event(type_, trigger, start, end, source=(), target=(), confidence=0.5, modality="asserted"):
    evidence = SimpleNamespace(start=start, end=end)
    return SimpleNamespace(type=type_, trigger=trigger, evidence=evidence, source=list(source),
                           target=list(target), confidence=confidence, modality=modality)


# --------------------------------------------------------------------------- evalkit

def test_tune_check_split_is_stable_and_about_even(bench):
    ids = [f"record-{k}" for k in range(2000)]
    halves = bench.evalkit.split_halves(ids, lambda record: record)
    assert set(halves) == {"tune", "check"}
    assert 900 < len(halves["check"]) < 1100
    assert sorted(halves["tune"] + halves["check"]) == sorted(ids)
    # the half depends on the id alone: not on order, neighbours or the size of the set
    again = bench.evalkit.split_halves(list(reversed(ids))[:50], lambda record: record)
    for name, members in again.items():
        assert all(bench.evalkit.half(record) == name for record in members)
    assert bench.evalkit.half("record-7") == bench.evalkit.half("record-7")


def test_prf_counts_each_side_and_survives_empty_sets(bench):
    prf = bench.evalkit.PRF(pred_correct=3, pred_total=4, gold_found=3, gold_total=6)
    assert prf.precision == 0.75 and prf.recall == 0.5
    assert prf.f1 == pytest.approx(0.6)
    empty = bench.evalkit.PRF()
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)


def test_best_matches_prefers_the_closest_span_and_allows_pieces_of_one_gold(bench):
    ek = bench.evalkit
    pred = [[(0, 10)], [(50, 60)], [(12, 20)]]
    gold = [[(0, 4)], [(2, 10), (12, 20)], [(100, 110)]]
    # prediction 0 overlaps gold 0 and gold 1 and covers more of gold 1; prediction 2 is the
    # second piece of gold 1; prediction 1 overlaps nothing
    assert ek.best_matches(pred, gold) == [1, None, 1]
    assert ek.overlap([(0, 5), (10, 15)], [(3, 12)]) == 4


def test_body_to_raw_maps_offsets_across_dropped_lines_and_folded_blanks(bench):
    raw = "A Title Line\n\nFirst  paragraph here.\n\nSecond one, he said."
    body = "First paragraph here.\nSecond one, he said."
    mapping = bench.evalkit.body_to_raw(body, raw)
    start = body.index("Second")
    assert raw[mapping[start]:mapping[start] + 6] == "Second"
    said = body.index("said")
    s, e = bench.evalkit.map_range(mapping, said, said + 4)
    assert raw[s:e] == "said"
    here = body.index("here")
    assert raw[mapping[here]:mapping[here] + 4] == "here"    # after the folded double blank


def test_country_is_read_from_the_first_three_letters_of_a_cameo_code(bench):
    ek = bench.evalkit
    assert ek.cameo_country("USAGOV") == "USA"
    assert ek.cameo_country("IGOUNO") == "IGO"
    assert ek.cameo_country("PAK") == "PAK"
    assert ek.cameo_country("---GOV") == ek.NO_COUNTRY
    assert ek.cameo_country('"INJURY TOLL"') == ek.NO_COUNTRY
    assert ek.cameo_country(None) == ek.NO_ACTOR
    assert ek.dyads("AGREE", ["A", "B"], []) == {("AGREE", "A", ek.NO_ACTOR), ("AGREE", "B", ek.NO_ACTOR)}


# --------------------------------------------------------------------------- PLOVER GSR

def gsr_record(**changes):
    record = {
        "id": "X-1", "date": "2000-01-01", "event": "DEMAND",
        "source": [{"actorText": "Ruritanian officials", "code": "JAP"}],
        "target": [{"actorText": "Freedonia", "code": "IMG"}],
        "text": "Ruritanian officials demanded that Freedonia withdraw, a spokesman said.",
        "textInfo": {"markup": "(SRC: Ruritanian officials) (EVT: demanded) that (TAR: Freedonia) withdraw, a spokesman said."},
    }
    record.update(changes)
    return record


def test_gsr_record_renames_old_types_reads_codes_and_locates_marks(bench):
    gsr = bench.plover_gsr
    gold = gsr.parse_record(gsr_record())
    assert gold.type == "REQUEST"
    assert [a.country for a in gold.sources] == ["JPN"]
    assert [a.country for a in gold.targets] == [bench.evalkit.NO_COUNTRY]   # stateless militants
    (evt,) = gold.event_spans
    assert gold.text[evt[0]:evt[1]] == "demanded"
    assert gsr.parse_record({"id": "D", "event": "DOCUMENT"}) is None


def test_gsr_reciprocal_record_has_no_target_and_compares_both_sides(bench):
    gsr = bench.plover_gsr
    gold = gsr.parse_record(gsr_record(event="AGREE", target="", source=[
        {"actorText": "Ruritania", "code": "ROU"}, {"actorText": "Freedonia", "code": "HUN"}]))
    assert gold.reciprocal
    actors = {"a1": SimpleNamespace(country="ROU"), "a2": SimpleNamespace(country="HUN")}
    split = event("AGREE", "agreed", 0, 10, source=["a1"], target=["a2"])
    assert gsr.score_slots(gold, split, actors) == {"source": (True, None)}
    one_only = event("AGREE", "agreed", 0, 10, source=["a1"])
    ok, cause = gsr.score_slots(gold, one_only, actors)["source"]
    assert not ok and cause == "some of several gold actors missing"


def test_gsr_compares_the_event_on_the_gold_trigger_not_the_most_confident(bench):
    gsr = bench.plover_gsr
    body = "Ruritania demanded talks and attacked Freedonia."
    on_trigger = event("REQUEST", "demanded", 0, 25, confidence=0.4)
    elsewhere = event("ASSAULT", "attacked", 26, 48, confidence=0.9)
    chosen = gsr.select_event([elsewhere, on_trigger], body, [(10, 18)])
    assert chosen is on_trigger
    assert gsr.select_event([elsewhere, on_trigger], body, [(0, 3)]) is elsewhere   # none on it: most confident
    assert gsr.select_event([], body, [(10, 18)]) is None


def test_gsr_predicted_un_counts_as_igo_and_missing_country_as_none(bench):
    gsr = bench.plover_gsr
    assert gsr.predicted_country("UNO") == "IGO"
    assert gsr.predicted_country(None) == bench.evalkit.NO_COUNTRY
    assert gsr.gold_country("ITL") == "ITA"


# --------------------------------------------------------------------------- PETRARCH

ACTORS_TEXT = """<!-- a comment block
spanning lines [XXX] -->
RURITANIA_  [RUR] # a comment
+RURITANIAN
FREEDON  [FRE]
GOLLUM
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
\t[HOBREB > 990816]
HAMAS_GUNMEN [PSEHMSMIL]
"""

AGENTS_TEXT = """!PERSON! = MAN, WOMAN
CONGRESS!PERSON! [~LEG]
POLICE {} [ ~COP]
HUMAN_RIGHTS_BODY  [NGO~]
"""


def test_actor_dictionary_parses_synonyms_dated_codes_and_comments(bench):
    pt = bench.petrarch
    actors = pt.parse_actor_dictionary(ACTORS_TEXT)
    assert [a.names[0] for a in actors] == ["RURITANIA_", "FREEDON", "GOLLUM", "HAMAS_GUNMEN"]
    assert actors[0].names == ["RURITANIA_", "RURITANIAN"]
    gollum = actors[2]
    assert [c.code for c in gollum.codes] == ["HOB", "HOBGOV", "HOBREB"]
    assert gollum.codes[0].end.isoformat() == "1995-05-31"
    assert (gollum.codes[1].start.isoformat(), gollum.codes[1].end.isoformat()) == ("1995-06-01", "1999-08-15")
    assert gollum.codes[2].start.isoformat() == "1999-08-16"


def test_agent_dictionary_expands_macros_and_plurals(bench):
    pt = bench.petrarch
    agents = pt.parse_agent_dictionary(AGENTS_TEXT)
    assert agents[0].names == ["CONGRESSMAN", "CONGRESSWOMAN"]
    assert agents[1].names == ["POLICE", "POLICES"]
    assert pt.split_code(agents[1].codes[0].code, {"COP"}) == (None, "COP")
    assert pt.split_code("NGO~", {"NGO"})[0] == "NGO"
    assert pt.split_code("PSEHMSMIL", {"MIL", "REB"}) == ("PSE", "MIL")


def test_stems_expand_to_corpus_words_but_not_after_a_trailing_underscore(bench):
    pt = bench.petrarch
    vocabulary = {"Freedonia", "Freedonian", "Freedonianisms", "Ruritanian"}
    assert pt.stem_expansions("FREEDON", vocabulary) == ["Freedonia", "Freedonian"]
    assert pt.stem_expansions("RURITANIA_", vocabulary) == []
    assert pt.display_name("THE_AU") == "THE AU"
    assert pt.title_variant("THE_AU") == "The Au"


def test_converted_entries_form_a_valid_user_actor_file(bench, tmp_path):
    import yaml

    from newsledger.actordict import SECTORS, read_entries

    pt = bench.petrarch
    actors = pt.parse_actor_dictionary(ACTORS_TEXT) + pt.parse_agent_dictionary(AGENTS_TEXT)
    stand_in = pt.stand_in_table(["RUR", "FRE", "HOB", "PSE"], frozenset({"PSE"}), [])
    assert set(stand_in) == {"FRE", "HOB", "RUR"} and "PSE" not in stand_in
    nothing_known = SimpleNamespace(lookup=lambda *args, **kwargs: None)
    records = pt.build_user_entries(actors, {"Freedonia"}, stand_in, SECTORS, nothing_known)
    path = tmp_path / "actors.yaml"
    path.write_text(yaml.safe_dump(records), "utf-8")
    entries = {e.name: e for e in read_entries(path)}
    assert entries["Ruritania"].country == stand_in["RUR"]
    assert "Ruritanian" in entries["Ruritania"].aliases
    assert "Freedonia" in entries["Freedon"].aliases
    assert entries["Hamas Gunmen"].country == "PSE" and entries["Hamas Gunmen"].sector == "MIL"
    assert len(entries["Gollum"].periods) == 2
    assert entries["Police"].country is None and entries["Police"].sector == "COP"


def test_records_parse_and_unmappable_codes_are_left_out(bench):
    pt = bench.petrarch
    xml = """<Validation><Sentences>
    <Sentence date="19950101" id="T-1" category="DEMO" sentence="true">
    <EventCoding sourcecode="ARNGOV" targetcode="GON" eventcode="042"></EventCoding>
    <EventCoding sourcecode="ARN" targetcode="GON" eventcode="023"></EventCoding>
    <Text>
    Arnor's president visited
    Gondor.
    </Text></Sentence>
    <Sentence date="19950101" id="T-2" category="DEMO" sentence="true">
    <EventCoding noevents="True"></EventCoding><Text>Nothing happened.</Text></Sentence>
    </Sentences></Validation>"""
    first, second = pt.parse_records(xml)
    assert first.text == "Arnor's president visited Gondor."
    assert first.published.isoformat() == "1995-01-01"
    assert second.codings == []
    table = {"04": PloverCoding("CONSULT"), "042": PloverCoding("CONSULT", "visit")}
    gold, dropped = pt.gold_triples(first, table)
    assert gold == {("CONSULT", "ARN", "GON")} and dropped == 1
    prf = pt.score_sentence(gold, {("CONSULT", "ARN", "GON"), ("ASSAULT", "ARN", "---")})
    assert (prf.pred_correct, prf.pred_total, prf.gold_total) == (1, 2, 1)


def test_predicted_countries_are_read_back_through_stand_in_codes(bench):
    pt = bench.petrarch
    doc = SimpleNamespace(
        actors=[SimpleNamespace(id="a1", country="BVT"), SimpleNamespace(id="a2", country=None)],
        events=[SimpleNamespace(type="CONSULT", source=["a1"], target=["a2"])])
    assert pt.predicted_triples(doc, {"BVT": "ARN"}) == {("CONSULT", "ARN", "---")}


# --------------------------------------------------------------------------- PolNeAR

ANN = """T1\tSource 0 3\tSue
T2\tCue 4 8\tsaid
T3\tContent 9 20;30 35\tthat it ...
T4\tAttribution 4 8\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tCue 40 49\taccording
T6\tContent 50 60\tsomething
T7\tAttribution-no-source 40 49\taccording
E2\tAttribution-no-source:T7 Content:T6 Cue:T5
T8\tDiscuss 70 80\tignored
"""


def test_brat_attributions_keep_discontinuous_content_and_missing_sources(bench):
    pn = bench.polnear
    first, second = pn.parse_ann(ANN)
    assert first.content == [(9, 20), (30, 35)] and first.source == [(0, 3)] and first.cue == [(4, 8)]
    assert second.source is None and second.content == [(50, 60)]


def test_direct_quotes_are_quoted_throughout(bench):
    pn = bench.polnear
    text = '“We will win,” she said. He said “it is over” today. They said it was “very bad” news.'
    whole = (0, text.index(" she"))                                    # “We will win,”
    flanked = (text.index("it is"), text.index("” today"))            # marks just outside
    mixed = (text.index("it was"), text.index(" news"))               # paraphrase + fragment
    assert pn.is_direct(text, [whole])
    assert pn.is_direct(text, [flanked])
    assert not pn.is_direct(text, [mixed])
    two = '“One thing,” he said, “and another.” Then “a” and “b” apart.'
    assert not pn.is_quoted_range(two, two.index("“a"), two.index(" apart"))


def test_one_annotation_file_per_article(bench):
    pn = bench.polnear
    paths = [Path("x/art-one_b2.ann"), Path("x/art-one_a1.ann"), Path("x/art-two_c3.ann")]
    assert pn.choose_annotations(paths) == {"art-one": Path("x/art-one_a1.ann"), "art-two": Path("x/art-two_c3.ann")}


def test_article_scores_direct_quotes_attributions_and_speakers(bench):
    pn = bench.polnear
    gold = [pn.GoldAttribution([(10, 30)], [(0, 5)], [(6, 9)], direct=True),
            pn.GoldAttribution([(40, 60)], [(62, 64)], [(65, 69)], direct=False),
            pn.GoldAttribution([(80, 90)], None, [(70, 79)], direct=False)]
    predicted = [pn.PredictedQuote("direct", [(11, 29)], [(0, 5)], True, "Sue", "said"),
                 pn.PredictedQuote("indirect", [(41, 58)], [(100, 105)], True, "Bob", "said"),
                 pn.PredictedQuote("direct", [(200, 220)], [], False, None, None),
                 pn.PredictedQuote("direct", [(45, 50)], [(62, 64)], False, "he", "said")]
    scores, errors = pn.score_article(gold, predicted)
    # direct: 3 predicted, 2 on some gold (one on the non-direct gold 1); the direct gold found
    assert (scores.direct.pred_correct, scores.direct.pred_total) == (2, 3)
    assert (scores.direct.gold_found, scores.direct.gold_total) == (1, 1)
    assert scores.direct_on_nondirect == 1
    # all: 3 of 4 predictions on a gold content; gold 0 and 1 found, gold 2 missed
    assert (scores.all.pred_correct, scores.all.pred_total) == (3, 4)
    assert (scores.all.gold_found, scores.all.gold_total) == (2, 3)
    assert (scores.speaker_ok, scores.speaker_total) == (2, 3)       # Bob is not at the gold source
    assert len(errors["missed"]) == 1 and len(errors["spurious"]) == 1 and len(errors["speaker"]) == 1


def test_speaker_text_is_taken_at_its_occurrence_nearest_the_cue(bench):
    body = "He left. Later he said the talks failed."
    assert bench.polnear.speaker_text_span(body, "he", body.index("said")) == (15, 17)
    assert bench.polnear.speaker_text_span(body, None, 0) is None


def test_relative_pronoun_source_credits_the_noun_phrase_before_it(bench):
    pn = bench.polnear
    raw = "said Mr. Kamin, who emphasized that it works. Democrats on Capitol Hill, who argued that it fails."
    who = raw.index("who")
    gold = pn.GoldAttribution([(0, 1)], [(who, who + 3)], None, antecedent=pn.antecedent_of(raw, [(who, who + 3)]))
    kamin = (raw.index("Mr. Kamin"), raw.index(", who"))
    assert pn.speaker_right(pn.PredictedQuote("indirect", [], [kamin], True, "Mr. Kamin", "emphasized"), gold, raw)
    other = raw.index("who", who + 1)
    gold2 = pn.GoldAttribution([(0, 1)], [(other, other + 3)], None, antecedent=pn.antecedent_of(raw, [(other, other + 3)]))
    hill = (raw.index("Capitol Hill"), raw.index(", who argued"))
    assert not pn.speaker_right(pn.PredictedQuote("indirect", [], [hill], True, "Capitol Hill", "argued"), gold2, raw)


def test_swapped_source_and_cue_labels_take_the_cue_span_as_source(bench):
    pn = bench.polnear
    raw = "“We will win this time,” said Obama."
    said, obama = (raw.index("said"), raw.index("said") + 4), (raw.index("Obama"), raw.index("Obama") + 5)
    gold = pn.GoldAttribution([(1, 22)], [said], [obama])
    right = pn.PredictedQuote("direct", [(1, 22)], [obama], True, "Obama", "said", said)
    assert pn.speaker_right(right, gold, raw)
    wrong = pn.PredictedQuote("direct", [(1, 22)], [(0, 1)], True, "We", "said", said)
    assert not pn.speaker_right(wrong, gold, raw)


# --------------------------------------------------------------------------- public_headlines

def test_headline_columns_give_the_most_specific_known_place(bench):
    from newsledger.settings import Settings

    row = {"slug": "x", "headline_type": "ASSAULT", "headline_date": "2020-05-02",
           "headline_place": "Nowhere Square, Kabul, Afghanistan"}
    want = bench.public_headlines.expected_from_columns(row, Settings.load())
    assert want.types == ("ASSAULT",) and want.date == "2020-05-02"
    assert want.place_name == "Kabul" and want.place_country is None
    kabul = SimpleNamespace(geonameid=want.place, country="AF")
    herat = SimpleNamespace(geonameid=want.place + 1, country="AF")
    assert bench.public_headlines.places_agree(kabul, want)
    assert not bench.public_headlines.places_agree(herat, want)
    country = bench.public_headlines.expected_from_columns({**row, "headline_place": "Afghanistan"}, Settings.load())
    assert country.place_country == "AF" and bench.public_headlines.places_agree(herat, country)


def test_headline_misses_say_whether_the_text_states_the_year(bench):
    from datetime import date

    from newsledger.model import Document, Meta

    ph = bench.public_headlines
    want = ph.Expected("x", ("ASSAULT",), "2019-04-21", None, None)
    attack = SimpleNamespace(type="ASSAULT", date=None, place=None)
    undated = Document(raw="", meta=Meta(source="x"), timexes=[], events=[attack])
    assert ph.miss_cause(undated, want) == "year_unstated"          # no year anywhere to date it by
    dated = Document(raw="", meta=Meta(source="x", published=date(2019, 4, 23)), timexes=[], events=[attack])
    assert ph.miss_cause(dated, want) == "date"                    # the year is there: the date is wrong
    assert ph.miss_cause(Document(raw="", meta=Meta(source="x"), events=[]), want) == "no_type"
    assert ph.miss_cause("E101 refused", want) == "refused"
    on_day = SimpleNamespace(type="ASSAULT", date=SimpleNamespace(value="2019-04-21"), place=None)
    colombo = ph.Expected("x", ("ASSAULT",), "2019-04-21", 1, "Colombo", place_in="LK")
    assert ph.miss_cause(Document(raw="", meta=Meta(source="x"), events=[on_day]), colombo) == "place_none"
    for country, cause in (("LK", "place_in_country"), ("IN", "place_elsewhere")):
        placed = SimpleNamespace(type="ASSAULT", date=on_day.date, place=SimpleNamespace(geonameid=2, country=country))
        assert ph.miss_cause(Document(raw="", meta=Meta(source="x"), events=[placed]), colombo) == cause
