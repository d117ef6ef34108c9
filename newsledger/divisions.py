"""Administrative divisions (ISO 3166-2) with their own representative points.

Two sources, joined by ISO 3166-2 code:

- pycountry: the ISO 3166-2 tree (code, name, parent). A subdivision without a parent is a
  first-order division (admin1, level "province"); one whose parent has none is a
  second-order division (admin2, level "district"); deeper ones are left out.
- countrystatecity-countries (the countries-states-cities database, ODbL 1.0; attribution in
  the README): a representative point for 250 countries and ~5,300 states, provinces and
  districts, and their English names where they differ from pycountry's. Its JSON files are
  read in place from the installed package (`countries.json`, `by-country/XX/states.json`),
  without importing the package (which would load pydantic).

`data/places_admin1_codes.tsv` (built by `scripts/build_places.py`) maps GeoNames' admin1
codes of cities to ISO 3166-2 first-order codes, so that a city knows its division.

Everything is loaded once per process (functools.cache), nothing at import time.
"""
from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from .resources import load_tsv

CSC_PACKAGE = "countrystatecity-countries"
_CSC_MODULE = "countrystatecity_countries"


@dataclass(frozen=True)
class Division:
    """One ISO 3166-2 subdivision of order 1 or 2, with its point where known."""
    code: str                    # full ISO 3166-2 code: "PK-KP", "GB-ABE"
    iso2: str
    name: str                    # pycountry's name, bracketed notes removed
    names: tuple[str, ...]       # every English name it is known under (name first)
    order: int                   # 1 (admin1) or 2 (admin2)
    parent: str | None           # full code of the admin1 containing an admin2
    kind: str                    # the source's type: province, state, district, county ...
    lat: float | None
    lon: float | None

    @property
    def english_name(self) -> str:
        """countrystatecity's name where it differs ("Maharashtra"), else pycountry's."""
        return self.names[-1]

    @property
    def local_code(self) -> str:
        """The part after the country: "KP" of "PK-KP"."""
        return self.code.partition("-")[2]


@dataclass(frozen=True)
class FeaturePoint:
    """A representative point of a country or a subdivision in countrystatecity."""
    lat: float
    lon: float
    name: str
    kind: str


def _csc_data_dir() -> Path:
    """The installed countrystatecity-countries data folder (found without importing it)."""
    spec = importlib.util.find_spec(_CSC_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {CSC_PACKAGE} package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _point(record: dict[str, Any]) -> tuple[float, float] | None:
    try:
        return float(record["latitude"]), float(record["longitude"])
    except (KeyError, TypeError, ValueError):
        return None


@cache
def country_points() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> the country's representative point."""
    records = json.loads((_csc_data_dir() / "countries.json").read_text("utf-8"))
    points: dict[str, tuple[float, float]] = {}
    for record in records:
        point = _point(record)
        if point is not None and record.get("iso2"):
            points[record["iso2"]] = point
    return points


@cache
def subdivision_points() -> dict[str, FeaturePoint]:
    """Full ISO 3166-2 code -> the point, name and type countrystatecity gives it."""
    found: dict[str, FeaturePoint] = {}
    for states_file in sorted((_csc_data_dir() / "by-country").glob("*/states.json")):
        for record in json.loads(states_file.read_text("utf-8")):
            point = _point(record)
            code = record.get("iso3166_2") or ""
            if point is not None and "-" in code:
                found[code] = FeaturePoint(point[0], point[1], record.get("name") or "",
                                           record.get("type") or "")
    return found


def _clean_name(name: str) -> str:
    """pycountry names without bracketed notes ("Kabul [Kābul]" -> "Kabul")."""
    return re.sub(r"\s*\[.*?\]\s*", " ", name).strip()


@cache
def divisions() -> tuple[Division, ...]:
    """Every ISO 3166-2 subdivision of order 1 and 2, with its point where known."""
    subdivisions = {sub.code: sub for sub in pycountry.subdivisions}
    points = subdivision_points()
    found: list[Division] = []
    for code, sub in subdivisions.items():
        parent = sub.parent_code
        if parent is not None and "-" not in parent:       # some parents are given without the country
            parent = f"{sub.country_code}-{parent}"
        if parent is None:
            order = 1
        elif parent in subdivisions and subdivisions[parent].parent_code is None:
            order = 2
        else:
            continue
        name = _clean_name(sub.name)
        point = points.get(code)
        names = [name]
        if point is not None and point.name and point.name != name:
            names.append(point.name)
        found.append(Division(
            code=code, iso2=sub.country_code, name=name, names=tuple(names), order=order,
            parent=parent if order == 2 else None, kind=(point.kind if point else sub.type.lower()),
            lat=point.lat if point else None, lon=point.lon if point else None))
    return tuple(sorted(found, key=lambda d: d.code))


@cache
def by_code() -> dict[str, Division]:
    """Full ISO 3166-2 code -> division."""
    return {division.code: division for division in divisions()}


@cache
def admin1_of_geonames() -> dict[tuple[str, str], str]:
    """(ISO alpha-2, GeoNames admin1 code) -> full ISO 3166-2 code of the first-order division
    (`data/places_admin1_codes.tsv`)."""
    return {(row["iso2"], row["geonames_admin1"]): row["iso3166_2"]
            for row in load_tsv("places_admin1_codes.tsv")}


def admin1_code_of_city(iso2: str, geonames_admin1: str | None) -> str | None:
    """The ISO 3166-2 code of the first-order division a GeoNames city lies in, or None."""
    if not geonames_admin1:
        return None
    return admin1_of_geonames().get((iso2, geonames_admin1))
