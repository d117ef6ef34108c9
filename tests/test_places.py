"""The places stage on hand-written paragraphs (spaCy loaded once for the module)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsledger.errors import NewsledgerError
from newsledger.model import Document, Meta, Place
from newsledger.settings import Settings
from newsledger.stages import places

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SETTINGS = Settings.load(gazetteer_min_population=15000)

PARAGRAPH = (
    "Pakistani officials said on Monday that a U.S. delegation had arrived in Islamabad "
    "for talks with Afghan envoys. The visitors later flew to Kabul, where the Taliban "
    "government hosted them, and then on to Doha, Qatar. Officials in Washington said the "
    "meeting in Nangarhar province was postponed. Pakistan's army chief met them in Kabul "
    "again. Mayor Price told Dawn that the United States and Britain support the talks."
)


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load(SETTINGS.nlp_model)
    except OSError:
        pytest.skip(f"the spaCy pipeline {SETTINGS.nlp_model} is not installed")


def run_places(nlp, body: str, dateline: str | None = None) -> list[Place]:
    doc = Document(raw=body, meta=Meta(dateline=dateline), body=body, spacy_doc=nlp(body))
    return places.run(doc, SETTINGS)


@pytest.fixture(scope="module")
def paragraph_places(nlp) -> list[Place]:
    return run_places(nlp, PARAGRAPH)


def test_stage_declaration():
    assert places.STAGE.name == "places"
    assert places.STAGE.needs == ("body", "spacy_doc")
    assert places.STAGE.adds == "places" and places.STAGE.item_type is Place


def test_spacy_doc_over_another_text_is_refused():
    spacy = pytest.importorskip("spacy")
    blank = spacy.blank("en")
    doc = Document(raw="Kabul", body="Kabul", spacy_doc=blank("something else"))
    with pytest.raises(NewsledgerError) as caught:
        places.run(doc, SETTINGS)
    assert caught.value.code == "E301"
    doc = Document(raw="Kabul", body="Kabul", spacy_doc=blank("Kabal"))    # same length, other words
    with pytest.raises(NewsledgerError) as caught:
        places.run(doc, SETTINGS)
    assert caught.value.code == "E301"


@pytest.mark.slow
def test_offsets_index_the_body(paragraph_places):
    assert paragraph_places
    for place in paragraph_places:
        assert PARAGRAPH[place.start:place.end] == place.text


@pytest.mark.slow
def test_toponyms_resolve_to_geonames(paragraph_places):
    found = {(p.text, p.geonameid) for p in paragraph_places if p.kind == "toponym"}
    assert {("Islamabad", 1176615), ("Kabul", 1138958), ("Doha", 290030), ("Qatar", 289688),
            ("Washington", 4140963), ("Pakistan", 1168579)} <= found
    # "the United States and Britain support the talks": subjects of an agent's verb
    metonyms = {(p.text, p.geonameid) for p in paragraph_places if p.kind == "metonym"}
    assert {("United States", 6252001), ("Britain", 2635167)} <= metonyms


@pytest.mark.slow
def test_every_occurrence_is_its_own_place(paragraph_places):
    kabul = [p for p in paragraph_places if p.text == "Kabul"]
    assert len(kabul) == 2 and kabul[0].start != kabul[1].start


@pytest.mark.slow
def test_possessive_and_article_are_cut_off(paragraph_places):
    texts = {p.text for p in paragraph_places}
    assert "Pakistan's" not in texts and "the United States" not in texts


@pytest.mark.slow
def test_division_with_cue_word(paragraph_places):
    (nangarhar,) = [p for p in paragraph_places if p.text == "Nangarhar"]
    assert (nangarhar.country, nangarhar.level, nangarhar.feature) == ("AF", "province", "ADM1")


@pytest.mark.slow
def test_demonyms_and_us_as_adjective(paragraph_places):
    demonyms = {(p.text, p.geonameid, p.country) for p in paragraph_places if p.kind == "demonym"}
    assert {("Pakistani", 1168579, "PK"), ("U.S.", 6252001, "US"), ("Afghan", 1149361, "AF")} <= demonyms


@pytest.mark.slow
def test_capitalised_common_words_are_not_places(paragraph_places):
    texts = {p.text for p in paragraph_places}
    assert not texts & {"Mayor", "Price", "Dawn", "Taliban", "Monday"}


@pytest.mark.slow
def test_us_as_a_noun_is_a_toponym(nlp):
    found = run_places(nlp, "Officials in Pakistan said the U.S. had promised more help.")
    (us,) = [p for p in found if p.text == "U.S."]
    # a noun, not a demonym; as the subject of "promised" it stands for the government
    assert us.kind == "metonym" and us.geonameid == 6252001


@pytest.mark.slow
def test_georgia_follows_the_document(nlp):
    american = run_places(nlp, "Storms hit Atlanta and Savannah on Sunday. Officials in Georgia "
                               "asked residents to stay home.")
    (georgia,) = [p for p in american if p.text == "Georgia"]
    assert (georgia.country, georgia.level) == ("US", "province")
    caucasus = run_places(nlp, "Protesters marched in Tbilisi on Sunday. Officials in Georgia "
                               "asked them to go home.")
    (georgia,) = [p for p in caucasus if p.text == "Georgia"]
    assert (georgia.country, georgia.geonameid) == ("GE", 614540)


@pytest.mark.slow
def test_dateline_country_resolves_an_ambiguous_city(nlp):
    body = "Police said a bomb exploded near a market in Hyderabad on Friday."
    (without,) = [p for p in run_places(nlp, body) if p.text == "Hyderabad"]
    (with_dateline,) = [p for p in run_places(nlp, body, dateline="KARACHI") if p.text == "Hyderabad"]
    assert without.country == "IN" and with_dateline.country == "PK"


@pytest.mark.slow
@pytest.mark.shared
def test_seed_article_gold_places(nlp):
    gold_path = SHARED / "gold" / "dawn-2023-03-08-us-pakistan-ct-dialogue.json"
    text_path = SHARED / "corpus" / "seed" / "dawn-2023-03-08-us-pakistan-ct-dialogue.txt"
    if not (gold_path.is_file() and text_path.is_file()):
        pytest.skip("../shared seed article or its gold file is absent")
    gold = json.loads(gold_path.read_text("utf-8"))
    found = {(p.text.lower(), p.geonameid) for p in run_places(nlp, text_path.read_text("utf-8"))}
    for want in gold["places"]:
        assert (want["text"].lower(), want["geonameid"]) in found, want


@pytest.mark.slow
def test_abbreviations_and_surnames_do_not_become_towns(nlp):
    found = run_places(nlp, "President George Bush met E.U. leaders in Brussels on Monday. "
                            "Bush said the talks went well.")
    texts = {p.text for p in found}
    assert "Brussels" in texts and "Bush" not in texts
    assert all(p.level == "region" for p in found if p.text == "E.U.")     # the EU, never Eu in France


@pytest.mark.slow
def test_macroregions_are_not_resolved_to_namesake_towns(nlp):
    found = run_places(nlp, "Officials from the Middle East and South Asia met in Doha.")
    assert [(p.text, p.level) for p in found] == [("Middle East", "region"), ("South Asia", "region"),
                                                  ("Doha", "city")]
    middle_east = found[0]
    assert (middle_east.precision, middle_east.geonameid, middle_east.country) == ("region", None, "")
    assert 20 < middle_east.lat < 40 and 30 < middle_east.lon < 55     # its own point, not Asia's


@pytest.mark.slow
def test_place_as_subject_of_an_agent_verb_is_a_metonym(nlp):
    found = run_places(nlp, "China and Russia have warned against new sanctions, officials in "
                            "China said.")
    kinds = [(p.text, p.kind) for p in found]
    assert kinds == [("China", "metonym"), ("Russia", "metonym"), ("China", "toponym")]
    assert {p.geonameid for p in found if p.text == "China"} == {1814991}


@pytest.mark.slow
def test_continents_and_macroregions_resolve_but_vague_directions_do_not(nlp):
    found = run_places(nlp, "Ministers from Europe, the West and the Gulf met in Doha.")
    assert {(p.text, p.level) for p in found} == {("Europe", "continent"), ("Doha", "city")}


@pytest.mark.slow
@pytest.mark.parametrize("body, name", [
    ("Two tankers sank in the Atlantic during the storm last week.", "Atlantic"),
    ("Smugglers cross North Africa on their way to the coast.", "North Africa"),
    ("Tensions rose again on the Korean Peninsula after the launch.", "Korean Peninsula"),
])
def test_seas_and_regions_are_places_at_their_own_point(nlp, body, name):
    (place,) = [p for p in run_places(nlp, body) if p.text == name]
    assert (place.level, place.precision, place.kind) == ("region", "region", "toponym")
    assert place.lat is not None and place.lon is not None


@pytest.mark.slow
def test_the_eu_is_a_region_and_a_continents_adjective_in_a_name_is_the_continent(nlp):
    found = run_places(nlp, "The European Union fined the firm, and the European Commission "
                            "wrote to the board in Dublin.")
    levels = {(p.text, p.level) for p in found}
    assert ("European Union", "region") in levels
    assert ("European", "continent") in levels                  # "European" of "European Commission"


@pytest.mark.slow
def test_a_continents_adjective_before_a_demonym_names_a_people_not_the_continent(nlp):
    found = run_places(nlp, "Many African Americans and Asian-Australian voters joined the march.")
    assert not [p for p in found if p.level == "continent"]


@pytest.mark.slow
@pytest.mark.parametrize("label", ["GPE", "FAC"])
def test_an_entity_of_a_place_and_its_county_is_read_part_by_part(nlp, label):
    from spacy.tokens import Span

    body = "She moved to Boston, Lincolnshire in 2010."
    spacy_doc = nlp(body)
    spacy_doc.ents = [Span(spacy_doc, 3, 6, label=label)]      # "Boston, Lincolnshire" tagged as one
    doc = Document(raw=body, meta=Meta(), body=body, spacy_doc=spacy_doc)
    found = {(p.text, p.level, p.country) for p in places.run(doc, SETTINGS)}
    assert found == {("Boston", "city", "GB"), ("Lincolnshire", "district", "GB")}   # the county decides


@pytest.mark.slow
def test_several_part_words_before_a_city_leave_the_citys_point(nlp):
    (london,) = [p for p in run_places(nlp, "He grew up in north west London before the war.")
                 if p.name == "London"]
    assert (london.text, london.country) == ("London", "GB")


def test_nearby_city_decides_between_namesakes():
    body = "Firefighters from Sherman were called to a barn fire near Paris on Tuesday."
    mentions = [places.mention_at(body, body.find(name), body.find(name) + len(name), 15000)
                for name in ("Sherman", "Paris")]
    sherman, paris = places.resolve_all(mentions, None)
    assert sherman.admin1 == "TX"
    assert (paris.iso2, paris.geonameid) == ("US", 4717560)          # Paris, Texas, 100 km away
    (alone,) = places.resolve_all(mentions[1:], None)
    assert alone.geonameid == 2988507                                  # Paris, France


# --- mention_at: spans known to be places, without spaCy ------------------------------------

def test_mention_at_resolves_given_spans_in_context():
    body = "A Paris man was arrested in Lamar County, Texas, after a chase from Sherman."
    spans = [(body.find(name), body.find(name) + len(name))
             for name in ("Paris", "Lamar County", "Texas", "Sherman")]
    mentions = [places.mention_at(body, start, end, 15000) for start, end in spans]
    resolved = places.resolve_all(mentions, None)
    paris, county, state, sherman = resolved
    assert (state.geonameid, state.level) == (4736286, "province")
    assert (county.name, county.level, county.admin1) == ("Lamar County", "district", "TX")
    assert (paris.geonameid, sherman.admin1) == (4717560, "TX")


def test_mention_at_strips_article_and_possessive_and_reads_demonyms():
    body = "the Netherlands' envoy met Russian officials in the province of Kunar."
    netherlands = places.mention_at(body, 0, len("the Netherlands'"), 15000)
    assert body[netherlands.start:netherlands.end] == "Netherlands"
    russian = places.mention_at(body, body.find("Russian"), body.find("Russian") + 7, 15000)
    assert russian.kind == "demonym" and russian.matches[0].candidate.iso2 == "RU"
    kunar = places.mention_at(body, body.find("Kunar"), body.find("Kunar") + 5, 15000)
    assert kunar.cue == "province"


def test_mention_at_unknown_name_is_none():
    body = "They drove to Zzyzxqville."
    assert places.mention_at(body, 14, 25, 15000) is None


def test_a_city_carries_its_chain_up_to_its_country(nlp):
    body = "Police said a bomb went off in a market in Peshawar on Friday."
    (peshawar,) = [p for p in run_places(nlp, body) if p.text == "Peshawar"]
    assert (peshawar.country, peshawar.iso3, peshawar.admin1, peshawar.admin1_code, peshawar.precision) == (
        "PK", "PAK", "Khyber Pakhtunkhwa", "PK-KP", "city")


def test_a_division_is_its_own_admin1_at_its_own_point(nlp):
    body = "Floods struck the province of Sindh and parts of Brazil this week."
    found = {p.text: p for p in run_places(nlp, body)}
    sindh, brazil = found["Sindh"], found["Brazil"]
    assert (sindh.admin1_code, sindh.precision, brazil.precision) == ("PK-SD", "admin1", "country")
    assert brazil.admin1 is None and -15 < brazil.lat < -5      # the country's own point, not Brasília's


@pytest.mark.parametrize("body, name, level", [
    ("Officers of the Fresno Police Department arrested two men on Sunday.", "Fresno", "city"),
    ("She studied law at the University of Kentucky before moving abroad.", "Kentucky", "province"),
    ("Crowds gathered at the Tulsa International Airport after the storm.", "Tulsa", "city"),   # FAC
])
def test_places_inside_organisation_names(nlp, body, name, level):
    found = {p.text: p for p in run_places(nlp, body)}
    assert set(found) == {name}, found               # not "University" as a town
    assert (found[name].level, found[name].kind) == (level, "in-name")


@pytest.mark.parametrize("body", [
    "A truck overturned on Cleveland Drive near the school.",            # FAC
    "The Lancaster Avenue bridge was closed for repairs.",               # ORG
    "Anglers caught trout in the Denver River last week.",               # LOC
    "Hikers were rescued in Houston National Park on Sunday.",           # FAC
])
def test_the_name_of_a_street_river_or_park_holds_no_place(nlp, body):
    assert run_places(nlp, body) == []


def test_companies_and_clubs_named_after_towns_are_not_places(nlp):
    body = "Toyota said on Tuesday that its profits rose, and Nokia cut 400 jobs in Finland."
    assert {p.text for p in run_places(nlp, body)} == {"Finland"}


@pytest.mark.parametrize("body, word, division, code", [
    ("Thousands of Texans lost power after the ice storm.", "Texans", "Texas", "US-TX"),      # NORP
    ("Welsh farmers protested outside the assembly.", "Welsh", "Wales", "GB-WLS"),           # untagged
])
def test_a_divisions_demonym_names_the_division(nlp, body, word, division, code):
    found = {p.text: p for p in run_places(nlp, body)}
    assert set(found) == {word}, found
    place = found[word]
    assert (place.name, place.kind, place.level, place.admin1_code) == (division, "demonym", "province", code)


@pytest.mark.parametrize("body", [
    "She said in English that the talks had failed.",
    "The minister answered the reporters in Russian.",      # a country's demonym, as a language
])
def test_a_language_is_no_place(nlp, body):
    assert run_places(nlp, body) == []


def test_given_demonyms_name_their_country_or_continent_before_a_namesake_town():
    body = "Canadian and European diplomats met African envoys."
    canadian, european, african = (places.mention_at(body, body.find(w), body.find(w) + len(w), 15000)
                                   for w in ("Canadian", "European", "African"))
    assert canadian.kind == "demonym" and canadian.matches[0].candidate.iso2 == "CA"
    assert (european.matches[0].candidate.name, european.matches[0].candidate.level) == ("Europe", "continent")
    assert african.matches[0].candidate.name == "Africa"


def test_a_dateline_town_in_capitals_before_its_state():
    spacy = pytest.importorskip("spacy")
    doc = spacy.blank("en")("KINGSPORT, Tenn. -- Two schools reopened on Monday.")
    mention = places._dateline_run([doc[0]], doc.text, 15000)
    assert mention is not None and (mention.start, mention.end) == (0, 9)
    assert any(m.candidate.admin1 == "TN" for m in mention.matches)
    other = spacy.blank("en")("KINGSPORT, Monday -- Two schools reopened.")
    assert places._dateline_run([other[0]], other.text, 15000) is None     # no state after the comma


def _resolve_names(body: str, names: list[str]) -> list[tuple[str, str, str | None] | None]:
    mentions = [places.mention_at(body, body.find(name), body.find(name) + len(name), 1000) for name in names]
    return [(c.level, c.iso2, c.admin1) if c is not None else None for c in places.resolve_all(mentions, None)]


def test_the_places_of_a_report_cohere_in_one_state():
    # alone, Alexandria is the Egyptian city and Georgia the country; among places that
    # may all lie in one state, they are that state's town and that state
    assert _resolve_names("Alexandria", ["Alexandria"]) == [("city", "EG", "ALX")]
    assert _resolve_names("Deputies from Douglas County searched a lake near Alexandria.",
                          ["Douglas County", "Alexandria"]) == [("district", "US", "MN"), ("city", "US", "MN")]
    assert _resolve_names("Georgia", ["Georgia"]) == [("country", "GE", None)]
    body = "Police in Gainesville and Athens said a man from DeKalb County had left Georgia."
    assert _resolve_names(body, ["Gainesville", "Athens", "DeKalb County", "Georgia"]) == [
        ("city", "US", "GA"), ("city", "US", "GA"), ("district", "US", "GA"), ("province", "US", "GA")]


@pytest.mark.slow
def test_a_part_of_a_place_is_placed_at_the_place(nlp):
    found = run_places(nlp, "Heavy storms moved across North Texas on Monday, forecasters said.")
    assert [(p.text, p.level, p.country) for p in found] == [("Texas", "province", "US")]
    found = run_places(nlp, "The West Virginia Division of Highways closed the road.")
    assert [(p.text, p.admin1_code) for p in found] == [("West Virginia", "US-WV")]   # its own name
    found = run_places(nlp, "Delegates from South Asia met on Monday.")
    assert [(p.text, p.level, p.name) for p in found] == [("South Asia", "region", "South Asia")]  # not Asia's point
    found = run_places(nlp, "The shop on West Street closed on Monday.")
    assert found == []                                      # no part of Street, Somerset


@pytest.mark.slow
def test_a_dateline_before_a_dash_is_a_town_of_any_size(nlp):
    found = run_places(nlp, "ROSWELL - A man fled from police on Tuesday night, officers said.")
    assert [(p.text, p.level) for p in found][:1] == [("ROSWELL", "city")]


def test_a_recurring_place_name_is_a_place_where_spacy_calls_it_a_person():
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc
    words = ["Floods", "hit", "Gainesville", "today", ".", "Gainesville", "officials", "met", "."]
    body = "Floods hit Gainesville today. Gainesville officials met."
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=[True, True, True, False, True, True, True, False, False],
              pos=["NOUN", "VERB", "PROPN", "NOUN", "PUNCT", "PROPN", "NOUN", "VERB", "PUNCT"],
              sent_starts=[True, False, False, False, False, True, False, False, False],
              ents=["O", "O", "B-GPE", "O", "O", "B-PERSON", "O", "O", "O"])
    assert doc.text == body
    mentions = places.find_mentions(doc, 1000, body)
    assert [(body[m.start:m.end], m.start) for m in mentions] == [("Gainesville", 11), ("Gainesville", 30)]
    # a word of a person's longer name is not a place there
    words = ["Lee", "Gainesville", "visited", "Gainesville", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=[True, True, True, False, False],
              pos=["PROPN", "PROPN", "VERB", "PROPN", "PUNCT"], sent_starts=[True, False, False, False, False],
              ents=["B-PERSON", "I-PERSON", "O", "B-GPE", "O"])
    mentions = places.find_mentions(doc, 1000, doc.text)
    assert [doc.text[m.start:m.end] for m in mentions] == ["Gainesville"]
    assert mentions[0].start == doc.text.rfind("Gainesville")


@pytest.mark.slow
def test_a_capitalised_heading_inside_a_paragraph_is_no_dateline(nlp):
    body = ("KABUL — Officials met on Monday to discuss the budget. Trade slowed in the spring. "
            "ENTERPRISE — The ministry said exports had fallen. VIDEO — The minister spoke to reporters.")
    found = [p.text for p in run_places(nlp, body)]
    assert found[:1] == ["KABUL"]
    assert "ENTERPRISE" not in found and "VIDEO" not in found   # a town of Alabama
    found = [p.text for p in run_places(nlp, "Officials met on Monday.\n\nLIBERTY — The mayor said the roads were closed.")]
    assert "LIBERTY" in found                                # a paragraph's first word


def _synthetic_report(names: int) -> list:
    """A report of `names` distinct made-up town names, three degrees apart on a band of 20
    rows that grows eastward with them (as many towns near each town whatever their number):
    every other name has one reading (resolved without doubt: evidence), the rest a second
    reading a degree and a half away in another division; built without spaCy or the
    gazetteer's index."""
    from newsledger.gazetteer import Candidate, Match

    mentions = []
    for i in range(names):
        lat, lon = -30 + 3 * (i % 20), -170 + 3 * (i // 20)
        readings = [Candidate(10 * i + 1, f"Town{i}", "US", lat, lon, "PPL", 1_000 + i, "city", f"R{i % 40}")]
        if i % 2:
            readings.append(Candidate(10 * i + 2, f"Town{i}", "US", lat + 1.5, lon + 1.5, "PPL", 2_000 + i, "city",
                                      f"R{(i + 7) % 40}"))
        mentions.append(places._Mention(10 * i, 10 * i + 5, [Match(r, True) for r in readings], "given"))
    return mentions


def test_resolving_a_report_is_linear_in_its_names():
    """One context for the document, each name reading it without its own share: 8 times the
    names cost about 8 times the time (a context rebuilt per name, or nearness over every
    point, gives 64 times)."""
    from tests.conftest import fastest_cpu_seconds

    def seconds(names: int) -> float:
        mentions = _synthetic_report(names)
        assert all(found is not None for found in places.resolve_all(mentions, None))
        return fastest_cpu_seconds(lambda: places.resolve_all(mentions, None))

    seconds(50)                                   # warm-up
    small, large = seconds(300), seconds(2400)
    assert large <= 16 * small, (small, large)


def test_a_name_is_no_evidence_for_itself_but_the_others_are():
    """The view without a name's share subtracts its counts and its coherence support."""
    from newsledger.gazetteer import Candidate, Context

    springfield = Candidate(1, "Springvale", "US", 39.8, -89.6, "PPL", 100_000, "city", "IL")
    peoria = Candidate(2, "Peorton", "US", 40.7, -89.6, "PPL", 110_000, "city", "IL")
    whole, own = Context(), Context()
    for candidate in (springfield, peoria, peoria):
        whole.add(candidate, strong=True)
    own.add(springfield, strong=True)
    whole.support = {("US", "IL"): 1.5}
    view = whole.without(own, {("US", "IL"): 0.5})
    assert whole.home_country() == "US" and view.home_country() == "US"
    assert view.strong_count("US") == 2 and view.has_admin1(("US", "IL"))
    assert abs(view.support_of(("US", "IL")) - 1.0) < 1e-9
    alone = Context()
    alone.add(springfield, strong=True)
    left = alone.without(own, {})
    assert left.strong_count("US") == 0 and not left.has_admin1(("US", "IL"))
    assert left.home_country() is None and left.nearest_km(peoria) is None
    assert alone.nearest_km(peoria) is not None and alone.nearest_km(peoria) < 161


def test_a_dateline_after_a_headline_glued_to_the_body_is_a_town(nlp):
    found = [p.text for p in run_places(nlp, "Barn fire destroys the winter hay. SALEM — Firefighters from three "
                                             "towns fought the blaze for six hours on Sunday.")]
    assert "SALEM" in found


def test_a_country_inside_an_organisation_name_is_a_place_in_the_name():
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc
    words = ["Tickets", "on", "Air", "Zimbabwe", "and", "Global", "Line", "Freight", "rose", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=[True] * 8 + [False, False],
              pos=["NOUN", "ADP", "PROPN", "PROPN", "CCONJ", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT"],
              sent_starts=[True] + [False] * 9,
              ents=["O", "O", "B-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "I-ORG", "O", "O"])
    mentions = places.find_mentions(doc, 15000, doc.text)
    assert [(doc.text[m.start:m.end], m.kind) for m in mentions] == [("Zimbabwe", "in-name")]


def _tagged_doc(words: list[str], pos: list[str], ents: list[str]):
    """A hand-tagged spaCy Doc (no model): one sentence per full stop, a space after each word
    except before a full stop or comma."""
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc
    spaces = [following not in (".", ",", "'s") for following in words[1:]] + [False]
    starts = [i == 0 or words[i - 1] == "." for i in range(len(words))]
    return Doc(spacy.blank("en").vocab, words=words, spaces=spaces, pos=pos, sent_starts=starts, ents=ents)


def _found(doc) -> list[tuple[str, str, str | None]]:
    text = doc.text
    mentions = places.find_mentions(doc, 1000, text)
    return [(text[m.start:m.end], c.iso2, c.admin1) for m, c in zip(mentions, places.resolve_all(mentions, None))
            if c is not None]


def test_a_town_labelled_as_an_organisation_is_a_place_near_the_reports_other_towns():
    words = ["Rain", "flooded", "roads", "in", "Pittsburgh", ".", "Carnegie", "reopened", "its", "library", "."]
    pos = ["NOUN", "VERB", "NOUN", "ADP", "PROPN", "PUNCT", "PROPN", "VERB", "PRON", "NOUN", "PUNCT"]
    ents = ["O", "O", "O", "O", "B-GPE", "O", "B-ORG", "O", "O", "O", "O"]
    assert _found(_tagged_doc(words, pos, ents)) == [("Pittsburgh", "US", "PA"), ("Carnegie", "US", "PA")]
    # far from every town of the report, the same organisation is no place
    far = ["Lisbon" if word == "Pittsburgh" else word for word in words]
    assert _found(_tagged_doc(far, pos, ents)) == [("Lisbon", "PT", "11")]
    # nor is a person's name after a title
    titled = words[:6] + ["Mr.", "Carnegie", "reopened", "its", "library", "."]
    assert _found(_tagged_doc(titled, pos[:6] + ["PROPN"] + pos[6:], ents[:6] + ["O", "B-PERSON"] + ents[7:])) == [
        ("Pittsburgh", "US", "PA")]


def test_divisions_leading_untagged_names_and_place_entities_that_are_no_place_in_full():
    words = ["Officers", "of", "the", "Wyoming", "Game", "Commission", "met", "the", "Kenton", "County",
             "Commissioners", "."]
    pos = ["NOUN", "ADP", "DET", "PROPN", "PROPN", "PROPN", "VERB", "DET", "PROPN", "PROPN", "PROPN", "PUNCT"]
    ents = ["O"] * 8 + ["B-GPE", "I-GPE", "I-GPE", "O"]
    assert _found(_tagged_doc(words, pos, ents)) == [("Wyoming", "US", "WY"), ("Kenton County", "US", "KY")]
    # a capitalised run of no division stays no place ("Game Commission" alone)
    words = ["Officers", "of", "the", "Regional", "Game", "Commission", "met", "."]
    assert _found(_tagged_doc(words, pos[:6] + ["VERB", "PUNCT"], ["O"] * 8)) == []


def test_a_saints_name_with_a_possessive_is_a_church_unless_a_town_is_named_so():
    words = ["Mass", "at", "St.", "Michael", "'s", "drew", "crowds", "."]
    pos = ["NOUN", "ADP", "PROPN", "PROPN", "PART", "VERB", "NOUN", "PUNCT"]
    ents = ["O", "O", "B-GPE", "I-GPE", "I-GPE", "O", "O", "O"]
    assert _found(_tagged_doc(words, pos, ents)) == []
    words = ["Fog", "closed", "the", "port", "of", "St.", "John", "'s", ",", "Newfoundland", "."]
    pos = ["NOUN", "VERB", "DET", "NOUN", "ADP", "PROPN", "PROPN", "PART", "PUNCT", "PROPN", "PUNCT"]
    ents = ["O"] * 5 + ["B-GPE", "I-GPE", "I-GPE", "O", "B-GPE", "O"]
    assert [name for name, _, _ in _found(_tagged_doc(words, pos, ents))][:1] == ["St. John's"]   # a capital or a port


def test_a_dateline_in_capitals_is_a_town_whatever_spacy_labelled_it():
    words = ["By", "Ann", "Lee", ".", "RALEIGH", "(", "AP", ")", "-", "Schools", "reopened", "."]
    pos = ["ADP", "PROPN", "PROPN", "PUNCT", "PROPN", "PUNCT", "PROPN", "PUNCT", "PUNCT", "NOUN", "VERB", "PUNCT"]
    ents = ["O", "B-PERSON", "I-PERSON", "O", "B-ORG", "O", "B-ORG", "O", "O", "O", "O", "O"]
    assert _found(_tagged_doc(words, pos, ents))[:1] == [("RALEIGH", "US", "NC")]
    # a word in capitals inside a sentence, with no agency after it, is no dateline
    words = ["By", "Ann", "Lee", ".", "Schools", "in", "the", "RALEIGH", "group", "reopened", "."]
    pos = ["ADP", "PROPN", "PROPN", "PUNCT", "NOUN", "ADP", "DET", "PROPN", "NOUN", "VERB", "PUNCT"]
    ents = ["O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "B-ORG", "O", "O", "O"]
    assert _found(_tagged_doc(words, pos, ents)) == []


def test_a_town_named_like_a_country_wins_where_the_reports_places_lie_and_nothing_points_abroad():
    assert _resolve_names("Aid workers flew to Lebanon on Monday.", ["Lebanon"]) == [("country", "LB", None)]
    assert _resolve_names("Deputies of Hendricks County drove to Lebanon on Monday.",
                          ["Hendricks County", "Lebanon"]) == [("district", "US", "IN"), ("city", "US", "IN")]
    # another place of the country keeps the country
    assert _resolve_names("Deputies of Hendricks County met aid workers back from Lebanon and Beirut.",
                          ["Hendricks County", "Lebanon", "Beirut"])[1] == ("country", "LB", None)


@pytest.mark.slow
def test_a_town_the_report_names_is_that_town_inside_an_organisations_name(nlp):
    body = ("Flooding hit the town of Tullamore on Monday. The Tullamore Heritage Society said "
            "the bridge would reopen.")
    found = [(p.text, p.kind, p.country) for p in run_places(nlp, body)]
    assert found == [("Tullamore", "toponym", "IE"), ("Tullamore", "in-name", "IE")]
    alone = run_places(nlp, "The Tullamore Heritage Society said the bridge would reopen.")
    assert alone == []                        # a small town's name alone in a name is no place


@pytest.mark.slow
def test_a_county_named_after_the_word_county_is_the_county(nlp):
    found = {p.text: p for p in run_places(nlp, "Flooding hit the town of Tullamore in County Offaly.")}
    assert (found["Offaly"].level, found["Offaly"].country) == ("district", "IE")


@pytest.mark.slow
def test_a_countrys_official_name_with_of_is_the_country_whatever_spacy_labelled(nlp):
    body = "Envoys of the Democratic People's Republic of Korea met officials of the Republic of Korea."
    found = [(p.text, p.country, p.level) for p in run_places(nlp, body)]
    assert found == [("Democratic People's Republic of Korea", "KP", "country"),
                     ("Republic of Korea", "KR", "country")]


@pytest.mark.slow
def test_a_currency_written_with_a_countrys_letters_is_no_place(nlp):
    found = run_places(nlp, "Prices are quoted in US$ and the firm said in Singapore.")
    assert [p.text for p in found] == ["Singapore"]


@pytest.mark.slow
def test_a_continents_people_are_no_place_but_its_adjective_is(nlp):
    found = run_places(nlp, "Europeans queued for hours, and European ministers met in Brussels.")
    assert [(p.text, p.level) for p in found] == [("European", "continent"), ("Brussels", "city")]
