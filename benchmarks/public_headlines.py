"""Headline events of the public corpus: does each report yield the event its index names?

    python benchmarks/public_headlines.py [--verbose]

Reads ../shared/corpus/public/INDEX.tsv. For each report, the `events` column names the
real-world event ("KBL21: IS-K suicide bombing at Abbey Gate, ..., Kabul, 2021-08-26"); from
it this script takes the expected PLOVER types (for an agreement, declaration or deal: AGREE,
or SUPPORT, which PLOVER's CAMEO table gives to signing a formal agreement; else ASSAULT), the first ISO date in it, and the first city it names that the gazetteer knows.
A report passes when newsledger codes an event of that type whose date agrees with the
expected one (equal, or one contains the other: 2020-02 ~ 2020-02-29) and whose place is that
city (the most populous city the headline names). Prints one line per report and the count that passed.
"""
from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from newsledger import gazetteer
from newsledger.ingest import read_inputs
from newsledger.model import Document
from newsledger.pipeline import process
from newsledger.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ROOT.parent / "shared" / "corpus" / "public"


@dataclass
class Expected:
    slug: str
    types: tuple[str, ...]
    date: str | None
    place: int | None
    place_name: str | None


def expected_from(row: dict[str, str], settings: Settings) -> Expected:
    text = row["events"]
    headline = text.split(";")[0]
    agreement = re.search(r"agreement|declaration|deal|signed", headline, re.I)
    kinds = ("AGREE", "SUPPORT") if agreement else ("ASSAULT",)
    date = next(iter(re.findall(r"\d{4}-\d{2}(?:-\d{2})?", text)), None)
    cities = [c for word in re.findall(r"\b[A-Z][a-z]+\b", headline)
              for c in gazetteer.candidates(word, settings.gazetteer_min_population)[:1] if c.level == "city"]
    city = max(cities, key=lambda c: c.population, default=None)  # Kabul, not the "Abbey" of Abbey Gate
    return Expected(row["slug"], kinds, date, city.geonameid if city else None, city.name if city else None)


def dates_agree(predicted: str | None, expected: str | None) -> bool:
    if expected is None:
        return True
    if not predicted:
        return False
    predicted = predicted[:10]
    return predicted.startswith(expected) or expected.startswith(predicted)


def passes(doc: Document, want: Expected) -> bool:
    for event in doc.events or []:
        if event.type not in want.types:
            continue
        if not dates_agree(event.date.value if event.date else None, want.date):
            continue
        if want.place is not None and (event.place is None or event.place.geonameid != want.place):
            continue
        return True
    return False


def main() -> int:
    if not PUBLIC.is_dir():
        print("../shared/corpus/public is absent")
        return 2
    verbose = "--verbose" in sys.argv
    settings = Settings.load()
    rows = list(csv.DictReader((PUBLIC / "INDEX.tsv").open(encoding="utf-8"), delimiter="\t"))
    wanted = {r["slug"]: expected_from(r, settings) for r in rows}
    paths = [str(PUBLIC / f"{slug}.txt") for slug in wanted]
    passed = failed = 0
    for result in process(read_inputs(paths, settings, metadata_file=str(PUBLIC / "INDEX.tsv")), settings):
        slug = Path(result.meta.source if isinstance(result, Document) else result.source).stem
        want = wanted[slug]
        ok = isinstance(result, Document) and passes(result, want)
        passed += ok
        failed += not isinstance(result, Document)
        print(f"{'ok  ' if ok else 'MISS'} {slug}: {'/'.join(want.types)} {want.date} {want.place_name}")
        if verbose and isinstance(result, Document) and not ok:
            for e in result.events or []:
                print(f"       {e.type} {e.date.value if e.date else None} {e.place.name if e.place else None} | {e.evidence.text[:70]}")
    print(f"documents failed: {failed}")
    print(f"headline events found: {passed}/{len(wanted)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
