"""Shared helpers of the event, actor and quote benchmarks (plover_gsr.py, petrarch.py,
polnear.py, stage_speed.py): paths of ../shared, running documents through the library,
precision/recall/F1 counts, one-to-one span matching, body-to-raw offset alignment, the
CAMEO -> PLOVER table and the reading of a country from CAMEO-style actor codes.

Nothing here is imported by the package. The functions that parse or score are pure, so
tests/test_benchmarks_events.py checks them on hand-written inputs without ../shared.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / ".." / "shared" / "eval"

Range = tuple[int, int]          # [start, end) character offsets

# PLOVER 0.5 (2016) type names used by the gold-standard records, and their names in the
# current 16-type PLOVER (the manual's table 7.1: INVESTIGATE and DISAPPROVE became ACCUSE,
# DEMAND became REQUEST, FIGHT was merged into ASSAULT).
PLOVER_RENAMES = {"DEMAND": "REQUEST", "FIGHT": "ASSAULT", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}

# Markers for the argument slots of an event dyad: a side with no actor at all, and an actor
# that has no country (a CAMEO code "---GOV", a quoted new actor, a predicted actor without one).
NO_ACTOR = "(none)"
NO_COUNTRY = "---"


def require(path: Path) -> Path:
    """`path` when it exists; otherwise exit with a one-line reason (status 2)."""
    if not path.exists():
        sys.exit(f"{path} is absent: this benchmark reads the evaluation data in ../shared")
    return path


# --------------------------------------------------------------------------- tune/check split

HALVES = ("tune", "check")


def half(record_id: str) -> str:
    """The half of a development set a record belongs to: "tune" (its errors may be studied)
    or "check" (only its aggregate may be read; targets are measured on it). Fixed by the
    SHA-256 of the record's id, so it does not depend on the order, the size of the set or
    the machine; about half and half."""
    digest = hashlib.sha256(str(record_id).encode("utf-8")).digest()
    return HALVES[digest[0] & 1]


def split_halves(records: Iterable, record_id) -> dict[str, list]:
    """The records of each half ({"tune": [...], "check": [...]}, input order kept);
    `record_id(record)` gives a record's stable id."""
    halves: dict[str, list] = {name: [] for name in HALVES}
    for record in records:
        halves[half(record_id(record))].append(record)
    return halves


# --------------------------------------------------------------------------- counts

@dataclass
class PRF:
    """Precision/recall counts. Precision and recall may count matches on their own side
    (a predicted item matched, a gold item matched), which differ when matching is not 1:1."""
    pred_correct: int = 0
    pred_total: int = 0
    gold_found: int = 0
    gold_total: int = 0

    @property
    def precision(self) -> float:
        return self.pred_correct / self.pred_total if self.pred_total else 0.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold_total if self.gold_total else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "PRF") -> None:
        self.pred_correct += other.pred_correct
        self.pred_total += other.pred_total
        self.gold_found += other.gold_found
        self.gold_total += other.gold_total


def ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


# --------------------------------------------------------------------------- spans

def overlap(a: Sequence[Range], b: Sequence[Range]) -> int:
    """Characters shared by two (possibly discontinuous) spans, each a list of ranges."""
    return sum(max(0, min(ae, be) - max(as_, bs)) for as_, ae in a for bs, be in b)


def length(span: Sequence[Range]) -> int:
    return sum(max(0, e - s) for s, e in span)


def best_matches(pred: Sequence[Sequence[Range]], gold: Sequence[Sequence[Range]],
                 min_overlap: int = 1) -> list[int | None]:
    """For each predicted span, the gold span sharing at least `min_overlap` characters with
    it that covers the largest share of their union (Jaccard; ties to the first), or None.
    Several predictions may take the same gold span (a gold content quoted in two pieces)."""
    matches: list[int | None] = []
    for p in pred:
        best, best_score = None, 0.0
        for j, g in enumerate(gold):
            shared = overlap(p, g)
            if shared >= min_overlap:
                union = length(p) + length(g) - shared
                score = shared / union if union else 1.0
                if score > best_score:
                    best, best_score = j, score
        matches.append(best)
    return matches


def body_to_raw(body: str, raw: str) -> list[int]:
    """For each offset 0..len(body) of the cleaned body, the offset of the same character in
    `raw` (the clean stage drops lines and folds blanks, so offsets differ). Each body line is
    found verbatim in raw after the previous one; a line that was altered is aligned by
    difflib inside the raw stretch up to the next verbatim line. Characters with no
    counterpart take the raw offset of the nearest aligned character before them."""
    mapping = [-1] * (len(body) + 1)
    raw_pos = 0
    line_start = 0
    for line in body.split("\n"):
        line_end = line_start + len(line)
        found = raw.find(line, raw_pos) if line else raw_pos
        if found >= 0:
            for k in range(len(line)):
                mapping[line_start + k] = found + k
            raw_pos = found + len(line)
        else:
            window_end = min(len(raw), raw_pos + 2 * len(line) + 200)
            window = raw[raw_pos:window_end]
            matcher = difflib.SequenceMatcher(None, line, window, autojunk=False)
            last = raw_pos
            for block in matcher.get_matching_blocks():
                for k in range(block.size):
                    mapping[line_start + block.a + k] = raw_pos + block.b + k
                    last = raw_pos + block.b + k + 1
            raw_pos = last
        if line_end < len(body):
            mapping[line_end] = raw_pos     # the newline itself
        line_start = line_end + 1
    mapping[len(body)] = len(raw)
    previous = 0
    for k, value in enumerate(mapping):
        if value < 0:
            mapping[k] = previous
        else:
            previous = value
    return mapping


def map_range(mapping: list[int], start: int, end: int) -> Range:
    """A body range as a raw range (end mapped through its last character)."""
    if end <= start:
        return (mapping[start], mapping[start])
    return (mapping[start], mapping[end - 1] + 1)


def word_occurrences(text: str, word: str) -> list[Range]:
    """Where `word` occurs in `text` as a whole word (case-sensitive)."""
    if not word:
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


# --------------------------------------------------------------------------- codes

def cameo_country(code: str | None) -> str:
    """The country part of a CAMEO actor code: its first three characters ("USAGOV" -> USA,
    "IGOUNO" -> IGO, "PAK" -> PAK, "NGOARN" -> NGO). "---GOV" (an agent with no country), a
    quoted new actor ('"INJURY TOLL"', one not in the dictionary) and an empty code give
    NO_COUNTRY; a missing code gives NO_ACTOR."""
    if code is None:
        return NO_ACTOR
    code = code.strip().upper()
    if not code or code.startswith('"') or code.startswith("---") or len(code) < 3:
        return NO_COUNTRY
    return code[:3]


def dyads(event_type: str, sources: Sequence[str], targets: Sequence[str]) -> set[tuple[str, str, str]]:
    """(type, source country, target country) for every source x target pair of one event,
    as CAMEO coders write one record per dyad; an empty side is NO_ACTOR."""
    return {(event_type, s, t) for s in (sources or [NO_ACTOR]) for t in (targets or [NO_ACTOR])}


# --------------------------------------------------------------------------- running

def run_texts(items: Iterable[tuple[str, str, date | None]], settings) -> list:
    """Run (source id, text, publication date) items through the library's pipeline
    (`newsledger.pipeline.process`); returns Documents and Failures in input order."""
    from newsledger.model import Document, Meta
    from newsledger.pipeline import process

    docs = (Document(raw=text, meta=Meta(source=source, published=published)) for source, text, published in items)
    return list(process(docs, settings))


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A plain aligned text table; floats with three decimals."""
    cells = [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[k]) for r in cells)) if cells else len(h) for k, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))


def shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
