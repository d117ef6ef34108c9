"""Headline events of the public corpora: does each report yield the event its index names?

    python benchmarks/public_headlines.py [--verbose]

Reads ../shared/corpus/public/INDEX.tsv and ../shared/corpus/public2/INDEX.tsv.

- public/: the `events` column names the real-world event ("KBL21: IS-K suicide bombing at
  Abbey Gate, ..., Kabul, 2021-08-26"); from it this script takes the expected PLOVER types
  (for an agreement, declaration or deal: AGREE, or SUPPORT, which PLOVER's CAMEO table gives
  to signing a formal agreement; else ASSAULT), the first ISO date in it, and the most
  populous city of the headline that the gazetteer knows.
- public2/: the `headline_type`, `headline_date` and `headline_place` columns give the
  expected event directly; the place is the first (most specific) comma-separated part of
  `headline_place` that the gazetteer knows ("Tayaran Square, Baghdad, Iraq" -> Baghdad).

A report passes when newsledger codes an event of that type whose date agrees with the
expected one (equal, or one contains the other: 2020-02 ~ 2020-02-29) and whose place is the
expected one (when that is a country, any place in that country).

The reports are split in two halves by the SHA-256 of their slug (`evalkit.half`): the
count that passed is printed per half, and the misses of each half counted by cause (see
`miss_cause`: among them `year_unstated`, a report whose text and metadata state no such
year, so that no reading of it can date the event); the tune half's reports are listed with
their cause, and `--verbose` lists the events of its missed reports; the check half is
printed as counts only.
"""
from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from evalkit import HALVES, half

from newsledger import gazetteer
from newsledger.ingest import read_inputs
from newsledger.model import Document
from newsledger.pipeline import process
from newsledger.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (ROOT.parent / "shared" / "corpus" / "public", ROOT.parent / "shared" / "corpus" / "public2")


@dataclass
class Expected:
    slug: str
    types: tuple[str, ...]
    date: str | None
    place: int | None
    place_name: str | None
    place_country: str | None = None     # ISO2, when the expected place is a whole country
    place_in: str | None = None          # ISO2 of the country the expected place is in


def expected_from_events(row: dict[str, str], settings: Settings) -> Expected:
    """public/: the expectation read from the free-text `events` column."""
    text = row["events"]
    headline = text.split(";")[0]
    agreement = re.search(r"agreement|declaration|deal|signed", headline, re.I)
    kinds = ("AGREE", "SUPPORT") if agreement else ("ASSAULT",)
    date = next(iter(re.findall(r"\d{4}-\d{2}(?:-\d{2})?", text)), None)
    cities = [c for word in re.findall(r"\b[A-Z][a-z]+\b", headline)
              for c in gazetteer.candidates(word, settings.gazetteer_min_population)[:1] if c.level == "city"]
    city = max(cities, key=lambda c: c.population, default=None)  # Kabul, not the "Abbey" of Abbey Gate
    return Expected(row["slug"], kinds, date, city.geonameid if city else None, city.name if city else None,
                    place_in=city.iso2 if city else None)


def expected_from_columns(row: dict[str, str], settings: Settings) -> Expected:
    """public2/: the expectation given by the headline_type/date/place columns."""
    for part in (p.strip() for p in row["headline_place"].split(",")):
        found = gazetteer.candidates(part, settings.gazetteer_min_population)[:1]
        if found:
            c = found[0]
            return Expected(row["slug"], (row["headline_type"],), row["headline_date"] or None, c.geonameid, c.name,
                            c.iso2 if c.level == "country" else None, c.iso2)
    return Expected(row["slug"], (row["headline_type"],), row["headline_date"] or None, None, None)


def dates_agree(predicted: str | None, expected: str | None) -> bool:
    if expected is None:
        return True
    if not predicted:
        return False
    predicted = predicted[:10]
    return predicted.startswith(expected) or expected.startswith(predicted)


def places_agree(place, want: Expected) -> bool:
    if want.place is None:
        return True
    if place is None:
        return False
    return place.geonameid == want.place or (want.place_country is not None and place.country == want.place_country)


def passes(doc: Document, want: Expected) -> bool:
    return any(event.type in want.types and dates_agree(event.date.value if event.date else None, want.date)
               and places_agree(event.place, want) for event in doc.events or [])


MISS_CAUSES = ("refused", "no_type", "year_unstated", "date", "place_none", "place_in_country", "place_elsewhere")


def year_stated(doc: Document, expected: str | None) -> bool:
    """Whether the document states the expected date's year anywhere the pipeline can read it:
    its publication date or the value of one of its time expressions ("Easter Sunday" in an
    undated editorial states none)."""
    if expected is None:
        return True
    year = expected[:4]
    if doc.meta.published is not None and doc.meta.published.isoformat().startswith(year):
        return True
    return any(t.value.startswith(year) for t in doc.timexes or [])


def miss_cause(result: Document | object, want: Expected) -> str:
    """Why a report failed (one of MISS_CAUSES): the pipeline refused it; no event of the
    expected type; events of the type but none dated as expected, because the text states
    no such year (`year_unstated`) or despite it (`date`); dated events of the type, none at the
    expected place: none of them placed (`place_none`), one placed elsewhere in the expected
    place's country (`place_in_country`: the country itself or another of its places), or
    only in other countries (`place_elsewhere`)."""
    if not isinstance(result, Document):
        return "refused"
    typed = [e for e in result.events or [] if e.type in want.types]
    if not typed:
        return "no_type"
    dated = [e for e in typed if dates_agree(e.date.value if e.date else None, want.date)]
    if not dated:
        return "date" if year_stated(result, want.date) else "year_unstated"
    placed = [e.place for e in dated if e.place is not None]
    if not placed:
        return "place_none"
    return "place_in_country" if any(p.country == want.place_in for p in placed) else "place_elsewhere"


def main() -> int:
    corpora = [c for c in CORPORA if (c / "INDEX.tsv").is_file()]
    if not corpora:
        print("../shared/corpus/public and public2 are absent")
        return 2
    verbose = "--verbose" in sys.argv
    settings = Settings.load()
    passed = {name: 0 for name in HALVES}
    total = {name: 0 for name in HALVES}
    failed = 0
    causes = {name: dict.fromkeys(MISS_CAUSES, 0) for name in HALVES}
    by_corpus: dict[str, tuple[int, int]] = {}
    for corpus in corpora:
        rows = list(csv.DictReader((corpus / "INDEX.tsv").open(encoding="utf-8"), delimiter="\t"))
        reader = expected_from_columns if "headline_type" in rows[0] else expected_from_events
        wanted = {r["slug"]: reader(r, settings) for r in rows}
        paths = [str(corpus / f"{slug}.txt") for slug in wanted]
        for result in process(read_inputs(paths, settings, metadata_file=str(corpus / "INDEX.tsv")), settings):
            slug = Path(result.meta.source if isinstance(result, Document) else result.source).stem
            want = wanted[slug]
            name = half(slug)
            ok = isinstance(result, Document) and passes(result, want)
            done, seen = by_corpus.get(corpus.name, (0, 0))
            by_corpus[corpus.name] = (done + ok, seen + 1)
            passed[name] += ok
            total[name] += 1
            failed += not isinstance(result, Document)
            cause = None if ok else miss_cause(result, want)
            if cause:
                causes[name][cause] += 1
            if name == "tune":
                print(f"{'ok  ' if ok else 'MISS'} {corpus.name}/{slug}: {'/'.join(want.types)} {want.date} {want.place_name}"
                      + (f"  [{cause}]" if cause else ""))
                if verbose and isinstance(result, Document) and not ok:
                    for e in result.events or []:
                        print(f"       {e.type} {e.date.value if e.date else None} {e.place.name if e.place else None}"
                              f" | {e.evidence.text[:70]}")
    for corpus_name, (done, seen) in by_corpus.items():
        print(f"headline events found, {corpus_name}: {done}/{seen}")
    print(f"documents failed: {failed}")
    for name in HALVES:
        print(f"headline events found, {name} half: {passed[name]}/{total[name]}")
    print(f"headline events found, all: {sum(passed.values())}/{sum(total.values())}")
    for name in HALVES:
        print(f"{name} half misses by cause: " + " ".join(f"{c}={causes[name][c]}" for c in MISS_CAUSES)
              + "  (year_unstated: the text and its metadata state no such year)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
