"""Events and actors on the PLOVER gold-standard records (../shared/eval/plover-gsr/PLOVER_GSR_CAMEO.txt).

    python benchmarks/plover_gsr.py [--errors N] [--limit N]

The records are split in two halves by the SHA-256 of their id (`evalkit.half`): the measures
are printed for the tune half (whose errors `--errors` prints) and for the check half (the
targets are read there; only its aggregates are printed), with the tune-check gap.

The file holds 322 coded sentences (plus one DOCUMENT header record), each with one gold
event: a PLOVER 0.5 type, source actors and target actors, each actor with its text and a
country code, and a `textInfo.markup` copy of the sentence with the event words (EVT) and the
actors (SRC, TAR, SRC/TAR) in brackets. Every sentence is one document run through the whole
pipeline (`newsledger.pipeline.process`, packaged actor dictionary); its publication date is
the record's `date` (2000-01-01 for all: the readme says dates are a placeholder, and the
sentences are news of about 2000). `min_body_chars` is lowered to 1 so that no sentence is
refused as too short.

Scoring, per sentence:
- Gold type: the record's type with the PLOVER 0.5 names renamed to the current 16 types
  (DEMAND -> REQUEST, FIGHT -> ASSAULT, DISAPPROVE and INVESTIGATE -> ACCUSE; manual table 7.1).
- The predicted event compared with the gold one: among the document's events, those whose
  trigger word lies inside a gold EVT span of the markup; of these (or, when none does, of all
  events) the one with the highest confidence, ties to the first. No event: every measure of
  the sentence is wrong.
- type accuracy: share of the 322 sentences whose compared event has the gold type.
  (`any-type` in the table: share where some event of the sentence has it; diagnostic only.)
- Country of an actor: the gold `code` (an ISO alpha-3 code, or IGO / NGO; the three non-ISO
  codes of the file are read as ISO: JAP -> JPN, ITL -> ITA, VTN -> VNM; IMG and ISM, the
  CAMEO codes of transnational militant groups, mean "no state" and match an actor with no
  country). A predicted actor's country is `Actor.country`, with UNO (the UN family) read as
  IGO as the gold codes it, and None as "no country".
- Slots: each sentence has a source slot when gold names a source, and a target slot when
  gold names a target. A slot is correct when the set of countries of the compared event's
  actors on that side equals the gold set. Reciprocal events (gold: two or more sources, no
  target - the SRC/TAR markup) compare the countries of the predicted source and target
  together with the gold sources.
  actor accuracy = correct slots / gold slots (source and target reported apart too).
- Actor country accuracy (issue 4, independent of events): every gold actor whose text is
  found in the sentence (the SRC/TAR markup span, else the actorText itself); the predicted
  actor with a mention overlapping it most; correct when its country equals the gold one.
  Gold actors whose text cannot be found are counted apart (not scored).

Printed: a table of the measures, a count of error causes, `--errors N` wrong sentences
(sentence, gold, predicted events), and a final line with the headline figures.
"""
from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from evalkit import (EVAL_DIR, HALVES, NO_COUNTRY, PLOVER_RENAMES, Range, half, overlap, print_table, ratio,
                     require, run_texts, shorten, word_occurrences)

DATA_FILE = EVAL_DIR / "plover-gsr" / "PLOVER_GSR_CAMEO.txt"
GSR_CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
STATELESS_CODES = {"IMG", "ISM"}
PREDICTED_COUNTRY_FIXES = {"UNO": "IGO"}
MARKUP_RE = re.compile(r"\((SRC/TAR|SRC|TAR|EVT|LOC):\s*([^()]*?)\s*\)")


@dataclass(frozen=True)
class GoldActor:
    text: str
    country: str          # normalised, NO_COUNTRY for a stateless actor


@dataclass
class GoldRecord:
    id: str
    text: str
    type: str
    sources: list[GoldActor]
    targets: list[GoldActor]
    published: date | None
    marks: list[tuple[str, Range]] = field(default_factory=list)   # (label, span in text)

    @property
    def reciprocal(self) -> bool:
        return not self.targets and len(self.sources) >= 2

    @property
    def event_spans(self) -> list[Range]:
        return [r for label, r in self.marks if label == "EVT"]


# --------------------------------------------------------------------------- parsing

def gold_country(code: str | None) -> str:
    """The normalised country of a gold actor code (see the module docstring)."""
    code = (code or "").strip().upper()
    if not code or code in STATELESS_CODES:
        return NO_COUNTRY
    return GSR_CODE_FIXES.get(code, code)


def predicted_country(country: str | None) -> str:
    if not country:
        return NO_COUNTRY
    return PREDICTED_COUNTRY_FIXES.get(country, country)


def gold_actors(value: Any) -> list[GoldActor]:
    """The actors of a `source` or `target` field: a list of {actorText, code}; an empty string
    or a stray non-list value (one record has the context word there) means none."""
    if not isinstance(value, list):
        return []
    return [GoldActor(str(a.get("actorText", "")), gold_country(a.get("code"))) for a in value if isinstance(a, dict)]


def locate_marks(text: str, markup: str) -> list[tuple[str, Range]]:
    """The bracketed phrases of a markup string, located in the sentence in order; a phrase
    not found verbatim (the markup was edited by hand) is left out."""
    marks = []
    position = 0
    for m in MARKUP_RE.finditer(markup):
        phrase = m.group(2)
        if not phrase:
            continue
        found = text.find(phrase, position)
        if found < 0:
            found = text.find(phrase)
        if found < 0:
            continue
        marks.append((m.group(1), (found, found + len(phrase))))
        position = found + len(phrase)
    return marks


def parse_record(record: dict[str, Any]) -> GoldRecord | None:
    """A gold record, or None for the DOCUMENT header."""
    if record.get("event") == "DOCUMENT" or "text" not in record:
        return None
    text = record["text"]
    published = date.fromisoformat(record["date"]) if record.get("date") else None
    info = record.get("textInfo")
    markup = info.get("markup", "") if isinstance(info, dict) else str(info or "")  # one record holds the string itself
    event_type = PLOVER_RENAMES.get(record["event"], record["event"])
    return GoldRecord(record["id"], text, event_type, gold_actors(record.get("source")),
                      gold_actors(record.get("target")), published, locate_marks(text, markup))


def load_records(path: Path = DATA_FILE) -> list[GoldRecord]:
    records = json.loads(require(path).read_text("utf-8"))
    return [r for r in (parse_record(x) for x in records) if r is not None]


# --------------------------------------------------------------------------- scoring

def trigger_ranges(event: Any, body: str) -> list[Range]:
    """Where the event's trigger word may be: its whole-word occurrences inside the evidence."""
    ev = event.evidence
    return [(ev.start + s, ev.start + e) for s, e in word_occurrences(body[ev.start:ev.end], event.trigger or "")]


def select_event(events: Sequence[Any], body: str, event_spans: Sequence[Range]) -> Any | None:
    """The event compared with the gold one (see the module docstring)."""
    if not events:
        return None
    on_gold = [e for e in events if overlap(trigger_ranges(e, body), event_spans) > 0]
    pool = on_gold or list(events)
    return max(pool, key=lambda e: (e.confidence, -events.index(e)))


def side_countries(actor_ids: Sequence[str], actors: dict[str, Any]) -> set[str]:
    return {predicted_country(actors[a].country) for a in actor_ids if a in actors}


def score_slots(gold: GoldRecord, event: Any | None, actors: dict[str, Any]) -> dict[str, tuple[bool, str | None]]:
    """slot name -> (correct, cause of the error) for the gold slots of one sentence."""
    slots: dict[str, tuple[bool, str | None]] = {}
    src = side_countries(event.source, actors) if event else set()
    tgt = side_countries(event.target, actors) if event else set()
    if gold.reciprocal:
        compared = {"source": (src | tgt, {a.country for a in gold.sources})}
    else:
        compared = {}
        if gold.sources:
            compared["source"] = (src, {a.country for a in gold.sources})
        if gold.targets:
            compared["target"] = (tgt, {a.country for a in gold.targets})
    for side, (predicted, wanted) in compared.items():
        ok = event is not None and predicted == wanted
        slots[side] = (ok, None if ok else slot_cause(wanted, predicted, event))
    return slots


def gold_actor_span(gold: GoldRecord, actor: GoldActor, side: str) -> Range | None:
    """The span of a gold actor: a SRC/TAR mark of its side containing its text (or equal to
    it), else the first occurrence of its text in the sentence."""
    labels = {"source": ("SRC", "SRC/TAR"), "target": ("TAR", "SRC/TAR")}[side]
    for label, (s, e) in gold.marks:
        if label in labels and (actor.text in gold.text[s:e] or gold.text[s:e] in actor.text):
            return (s, e)
    found = gold.text.find(actor.text) if actor.text else -1
    return (found, found + len(actor.text)) if found >= 0 else None


def actor_at(span: Range, actors: Sequence[Any]) -> Any | None:
    """The predicted actor with a mention overlapping `span` most."""
    best, best_overlap = None, 0
    for actor in actors:
        shared = overlap([(m.start, m.end) for m in actor.mentions], [span])
        if shared > best_overlap:
            best, best_overlap = actor, shared
    return best


def error_cause(gold: GoldRecord, doc: Any, event: Any | None, event_spans: Sequence[Range]) -> str | None:
    """A coarse cause of a wrong type (None when the type is right)."""
    if event is None:
        return "no event in the sentence"
    if event.type == gold.type:
        return None
    if overlap(trigger_ranges(event, doc.body), event_spans) == 0:
        return "no event on the gold trigger (another event compared)"
    if gold.type == "AGREE" and event.modality in ("future", "hypothetical"):
        return "gold AGREE (stated intent), coded as the intended act with future modality"
    return "gold trigger coded with another type"


def slot_cause(gold_countries: set[str], predicted: set[str], event: Any | None) -> str:
    """A coarse cause of a wrong slot."""
    if event is None:
        return "no event"
    if not predicted:
        return "side empty (argument not found)"
    if NO_COUNTRY in predicted and NO_COUNTRY not in gold_countries:
        return "an actor without a country"
    if predicted < gold_countries:
        return "some of several gold actors missing"
    if predicted > gold_countries:
        return "extra actor on the side"
    return "wrong actor or country"


@dataclass
class Totals:
    sentences: int = 0
    failures: int = 0
    type_ok: int = 0
    any_type_ok: int = 0
    with_event: int = 0
    slots: Counter = field(default_factory=Counter)       # (side, correct) -> n
    mention_ok: int = 0
    mention_total: int = 0
    mention_missed: int = 0
    mention_unlocated: int = 0
    causes: Counter = field(default_factory=Counter)
    confusions: Counter = field(default_factory=Counter)  # (gold type, predicted type) -> n
    slot_causes: Counter = field(default_factory=Counter)
    by_type: Counter = field(default_factory=Counter)     # (gold type, correct) -> n


def describe_prediction(doc: Any) -> str:
    actors = {a.id: a for a in doc.actors or []}

    def names(ids: Sequence[str]) -> str:
        return ",".join(f"{actors[i].name}[{actors[i].country}]" for i in ids if i in actors) or "-"
    events = [f"{e.type}({e.trigger}; {names(e.source)} -> {names(e.target)}; {e.confidence:.2f})" for e in doc.events or []]
    return "; ".join(events) or "no events"


def describe_gold(gold: GoldRecord) -> str:
    def names(actors: Sequence[GoldActor]) -> str:
        return ",".join(f"{a.text}[{a.country}]" for a in actors) or "-"
    evt = ",".join(gold.text[s:e] for s, e in gold.event_spans)
    return f"{gold.type}({evt}; {names(gold.sources)} -> {names(gold.targets)}{'; reciprocal' if gold.reciprocal else ''})"


def evaluate(records: Sequence[GoldRecord], results: Sequence[Any], show_errors: int) -> Totals:
    from newsledger.model import Document

    totals = Totals()
    shown = 0
    for gold, doc in zip(records, results):
        totals.sentences += 1
        if not isinstance(doc, Document):
            totals.failures += 1
            totals.causes[f"pipeline failure {doc.code}"] += 1
            totals.by_type[(gold.type, False)] += 1
            for side in ("source", "target"):
                if side == "source" and gold.sources or side == "target" and gold.targets and not gold.reciprocal:
                    totals.slots[(side, False)] += 1
            continue
        actors = {a.id: a for a in doc.actors or []}
        shift = gold.text.find(doc.body)     # the clean stage may trim the sentence
        event_spans = [(s - shift, e - shift) for s, e in gold.event_spans] if shift >= 0 else []
        event = select_event(doc.events or [], doc.body, event_spans)
        totals.with_event += event is not None
        type_ok = event is not None and event.type == gold.type
        totals.type_ok += type_ok
        totals.by_type[(gold.type, type_ok)] += 1
        totals.any_type_ok += any(e.type == gold.type for e in doc.events or [])
        cause = error_cause(gold, doc, event, event_spans)
        if cause:
            totals.causes[cause] += 1
            if event is not None:
                totals.confusions[(gold.type, event.type)] += 1
        slots = score_slots(gold, event, actors)
        for side, (ok, slot_error) in slots.items():
            totals.slots[(side, ok)] += 1
            if slot_error:
                totals.slot_causes[f"{side}: {slot_error}"] += 1
        for side, gold_side in (("source", gold.sources), ("target", gold.targets)):
            for actor in gold_side:
                span = gold_actor_span(gold, actor, side)
                if span is None or shift < 0:
                    totals.mention_unlocated += 1
                    continue
                totals.mention_total += 1
                found = actor_at((span[0] - shift, span[1] - shift), doc.actors or [])
                if found is None:
                    totals.mention_missed += 1
                elif predicted_country(found.country) == actor.country:
                    totals.mention_ok += 1
        wrong = not type_ok or not all(ok for ok, _ in slots.values())
        if wrong and shown < show_errors:
            shown += 1
            print(f"--- {gold.id}: {shorten(gold.text, 400)}")
            print(f"    gold: {describe_gold(gold)}")
            print(f"    pred: {describe_prediction(doc)}")
            print(f"    slots: {', '.join(f'{k}={ok}' for k, (ok, _) in slots.items())}; {cause or 'type ok'}")
    return totals


@dataclass(frozen=True)
class Headline:
    """The headline figures of one half."""
    type_accuracy: float
    actor_accuracy: float
    source_accuracy: float
    target_accuracy: float
    mention_accuracy: float


def headline(totals: Totals) -> Headline:
    src_ok, src_n = totals.slots[("source", True)], totals.slots[("source", True)] + totals.slots[("source", False)]
    tgt_ok, tgt_n = totals.slots[("target", True)], totals.slots[("target", True)] + totals.slots[("target", False)]
    return Headline(ratio(totals.type_ok, totals.sentences), ratio(src_ok + tgt_ok, src_n + tgt_n),
                    ratio(src_ok, src_n), ratio(tgt_ok, tgt_n), ratio(totals.mention_ok, totals.mention_total))


def report(totals: Totals, name: str) -> None:
    n = totals.sentences
    src_ok, src_n = totals.slots[("source", True)], totals.slots[("source", True)] + totals.slots[("source", False)]
    tgt_ok, tgt_n = totals.slots[("target", True)], totals.slots[("target", True)] + totals.slots[("target", False)]
    rows = [
        ("type accuracy", totals.type_ok, n, ratio(totals.type_ok, n)),
        ("any-type (diagnostic)", totals.any_type_ok, n, ratio(totals.any_type_ok, n)),
        ("sentences with an event", totals.with_event, n, ratio(totals.with_event, n)),
        ("actor accuracy (slots)", src_ok + tgt_ok, src_n + tgt_n, ratio(src_ok + tgt_ok, src_n + tgt_n)),
        ("  source slots", src_ok, src_n, ratio(src_ok, src_n)),
        ("  target slots", tgt_ok, tgt_n, ratio(tgt_ok, tgt_n)),
        ("actor country (mentions)", totals.mention_ok, totals.mention_total, ratio(totals.mention_ok, totals.mention_total)),
        ("  gold actor not found", totals.mention_missed, totals.mention_total, ratio(totals.mention_missed, totals.mention_total)),
    ]
    print()
    print(f"== {name} half ==")
    print_table(("measure", "correct", "of", "value"), rows)
    print(f"(gold actors not located in their sentence, not scored: {totals.mention_unlocated}; "
          f"pipeline failures: {totals.failures})")
    print()
    types = sorted({t for t, _ in totals.by_type})
    print_table(("gold type", "correct", "of", "accuracy"),
                [(t, totals.by_type[(t, True)], totals.by_type[(t, True)] + totals.by_type[(t, False)],
                  ratio(totals.by_type[(t, True)], totals.by_type[(t, True)] + totals.by_type[(t, False)])) for t in types])
    print()
    print_table(("type error cause", "sentences"), totals.causes.most_common())
    print()
    print_table(("gold type -> compared type", "sentences"),
                [(f"{g} -> {p}", n) for (g, p), n in totals.confusions.most_common(15)])
    print()
    print_table(("slot error cause", "slots"), totals.slot_causes.most_common())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print N wrong sentences of the tune half")
    parser.add_argument("--limit", type=int, default=0, help="only the first N sentences")
    args = parser.parse_args()
    from newsledger.settings import Settings

    records = load_records()
    if args.limit:
        records = records[: args.limit]
    settings = Settings.load(min_body_chars=1)
    start = time.perf_counter()
    results = run_texts(((r.id, r.text, r.published) for r in records), settings)
    seconds = time.perf_counter() - start
    figures: dict[str, Headline] = {}
    for name in HALVES:
        pairs = [(r, doc) for r, doc in zip(records, results) if half(r.id) == name]
        totals = evaluate([r for r, _ in pairs], [doc for _, doc in pairs], args.errors if name == "tune" else 0)
        report(totals, f"{name} ({totals.sentences} sentences)")
        figures[name] = headline(totals)
    print()
    print(f"({len(records)} sentences, {seconds:.1f} s)")
    for name in HALVES:
        h = figures[name]
        print(f"PLOVER GSR {name}: type accuracy {h.type_accuracy:.3f}, actor accuracy {h.actor_accuracy:.3f} "
              f"(source {h.source_accuracy:.3f}, target {h.target_accuracy:.3f}), actor country (mentions) {h.mention_accuracy:.3f}")
    tune, check = figures["tune"], figures["check"]
    print(f"PLOVER GSR gap (tune - check): type {tune.type_accuracy - check.type_accuracy:+.3f}, "
          f"actor {tune.actor_accuracy - check.actor_accuracy:+.3f}")


if __name__ == "__main__":
    main()
