"""Whole reports against event gold: the seed gold of ../shared/gold/ and the gold files of
benchmarks/gold/ (the public reports of ../shared/corpus/public and public2, annotated for
this project in the same `newsledger-gold/1` format).

    python benchmarks/reports.py [--verbose]

Each report's text is read from ../shared (the gold's `text_file`) through the library's own
readers, with the corpus INDEX.tsv beside it as the metadata file, as a user would pass it
with `--metadata` (its `publication_date` "n/a" means none); the seed has no index and is
read as it is. Each result is scored with `score` of ../shared/tools/score_gold.py, imported
at run time (never copied here): event precision, recall and F1 (one-to-one matching of type,
sides, date and place), and the scorer's overall score. A document the pipeline refuses is
scored as an empty prediction.

Reports are split into halves by the SHA-256 of their name (`evalkit.half`). The tune half is
printed report by report (with --verbose: the gold events missed and every predicted event,
those no gold event matched marked FALSE); the check half only as aggregates (number of
reports, mean event F1, mean score, errors by class, false events by type and by shape:
`false_shapes`), so that its errors are never studied one by one. Exits with a one-line reason (status 2) when ../shared is absent.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Iterable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalkit import HALVES, half  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD_DIRS = (SHARED / "gold", ROOT / "benchmarks" / "gold")
SCORER = SHARED / "tools" / "score_gold.py"
INDEX_NAME = "INDEX.tsv"
GOLD_SCHEMA = "newsledger-gold/1"


@dataclass(frozen=True)
class GoldReport:
    """One annotated report: its name, gold file, text and the metadata table beside the text
    (None when the corpus has none)."""
    doc: str
    gold_path: Path
    text_path: Path
    metadata_path: Path | None

    @property
    def half(self) -> str:
        return half(self.doc)


@dataclass(frozen=True)
class ReportScore:
    """The scorer's figures for one report."""
    doc: str
    half: str
    event_precision: float
    event_recall: float
    event_f1: float
    score: float
    events_predicted: int
    events_missed: tuple[str, ...]
    failure: str | None = None        # the pipeline's coded reason when it refused the document


@dataclass(frozen=True)
class HalfSummary:
    half: str
    reports: int
    mean_event_f1: float
    mean_score: float
    refused: int                      # reports the pipeline turned into a failure


# --------------------------------------------------------------------------- loading (pure)

def load_gold_reports(gold_dirs: Iterable[Path], shared: Path) -> list[GoldReport]:
    """Every `newsledger-gold/1` file of `gold_dirs` (sorted by name within each directory),
    with its text under `shared` and the INDEX.tsv beside the text when there is one. A file
    of another schema, without `doc` or `text_file`, or whose name repeats an earlier report's
    is refused with a ValueError naming it."""
    reports: list[GoldReport] = []
    seen: set[str] = set()
    for directory in gold_dirs:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            if gold.get("schema") != GOLD_SCHEMA or not gold.get("doc") or not gold.get("text_file"):
                raise ValueError(f"{path.name}: not a {GOLD_SCHEMA} file with `doc` and `text_file`")
            if gold["doc"] in seen:
                raise ValueError(f"{path.name}: report {gold['doc']} is annotated twice")
            seen.add(gold["doc"])
            text_path = shared / gold["text_file"]
            index = text_path.parent / INDEX_NAME
            reports.append(GoldReport(gold["doc"], path, text_path, index if index.is_file() else None))
    return reports


def split_reports(reports: Iterable[GoldReport]) -> dict[str, list[GoldReport]]:
    halves: dict[str, list[GoldReport]] = {name: [] for name in HALVES}
    for report in reports:
        halves[report.half].append(report)
    return halves


# --------------------------------------------------------------------------- aggregation (pure)

def report_score(doc: str, scored: dict, failure: str | None = None) -> ReportScore:
    """A ReportScore from the dictionary `score_gold.score` returns."""
    return ReportScore(doc, half(doc), scored["event_precision"], scored["event_recall"], scored["event_f1"],
                       scored["score"], scored["events_predicted"], tuple(scored["events_missed"]), failure)


def summarise(scores: Iterable[ReportScore]) -> dict[str, HalfSummary]:
    """Mean event F1 and mean score of each half (0.0 for an empty half)."""
    by_half: dict[str, list[ReportScore]] = {name: [] for name in HALVES}
    for s in scores:
        by_half[s.half].append(s)
    out = {}
    for name, items in by_half.items():
        n = len(items)
        out[name] = HalfSummary(name, n,
                                sum(s.event_f1 for s in items) / n if n else 0.0,
                                sum(s.score for s in items) / n if n else 0.0,
                                sum(1 for s in items if s.failure))
    return out


# --------------------------------------------------------------------------- error classes (pure)

ERROR_CLASSES = ("false", "no_type", "slots", "date", "place")


def error_classes(gold: dict, pred: dict, scored: dict, scorer: ModuleType) -> dict[str, int]:
    """Why a report's events failed, counted by class: `false` the predicted events no gold
    event matched (predicted minus matched); for each missed gold event, `no_type` when no
    predicted event has its type, else the first field that fails on the predicted event of its
    type that fails the fewest of them (`slots`: source or target, then `date`, then `place`),
    with the scorer's own comparisons."""
    counts = dict.fromkeys(ERROR_CLASSES, 0)
    preds = pred.get("events", [])
    actors = {a.get("id"): a for a in pred.get("actors", [])}
    gold_events = {g.get("id"): g for g in gold.get("events", [])}
    matched = round(scored["event_precision"] * len(preds))   # the scorer's precision is matched / predicted
    counts["false"] = len(preds) - matched

    def sides(p: dict, g: dict) -> bool:
        src = [actors.get(i, {"name": str(i)}) for i in p.get("source") or []]
        tgt = [actors.get(i, {"name": str(i)}) for i in p.get("target") or []]
        if g.get("symmetric"):
            wanted = set(g.get("source", [])) | set(g.get("target", []))
            return all(any(scorer.actor_matches(a, [w]) for a in src + tgt) for w in wanted)
        return scorer.side_matches(src, g.get("source")) and scorer.side_matches(tgt, g.get("target"))

    for missed in scored["events_missed"]:
        g = gold_events[missed]
        types = {g["type"], *g.get("alt_types", [])}
        candidates = [p for p in preds if p.get("type") in types]
        if not candidates:
            counts["no_type"] += 1
            continue
        fails = [[name for name, ok in (("slots", sides(p, g)), ("date", scorer.date_matches(p.get("date"), g)),
                                        ("place", scorer.place_matches(p.get("place"), g))) if not ok]
                 for p in candidates]
        nearest = min(fails, key=len)
        counts[nearest[0] if nearest else "slots"] += 1
    return counts


def matched_gold_ids(gold: dict, pred: dict, scorer: ModuleType) -> set[str]:
    """The ids of the gold events a prediction matched (`matched_predictions`' matching)."""
    return set(_matching(gold, pred, scorer).values())


def matched_predictions(gold: dict, pred: dict, scorer: ModuleType) -> set[int]:
    """The positions of the predicted events some gold event matched: the scorer's one-to-one
    matching (gold in file order, each taking the first unused prediction that matches type,
    sides, date and place) redone with its own comparisons, since it reports only how many."""
    return set(_matching(gold, pred, scorer))


def _matching(gold: dict, pred: dict, scorer: ModuleType) -> dict[int, str]:
    """Prediction position -> id of the gold event it matched."""
    preds = pred.get("events", [])
    actors = {a.get("id"): a for a in pred.get("actors", [])}
    used: dict[int, str] = {}
    for g in gold.get("events", []):
        types = {g["type"], *g.get("alt_types", [])}
        for n, p in enumerate(preds):
            if n in used or p.get("type") not in types:
                continue
            src = [actors.get(i, {"name": str(i)}) for i in p.get("source") or []]
            tgt = [actors.get(i, {"name": str(i)}) for i in p.get("target") or []]
            if g.get("symmetric"):
                wanted = set(g.get("source", [])) | set(g.get("target", []))
                sides = all(any(scorer.actor_matches(a, [w]) for a in src + tgt) for w in wanted)
            else:
                sides = scorer.side_matches(src, g.get("source")) and scorer.side_matches(tgt, g.get("target"))
            if sides and scorer.date_matches(p.get("date"), g) and scorer.place_matches(p.get("place"), g):
                used[n] = g.get("id")
                break
    return used


def false_types(gold: dict, pred: dict, scorer: ModuleType) -> dict[str, int]:
    """The types of the predicted events no gold event matched (`matched_predictions`), counted."""
    used = matched_predictions(gold, pred, scorer)
    counts: dict[str, int] = {}
    for n, p in enumerate(pred.get("events", [])):
        if n not in used:
            counts[p.get("type")] = counts.get(p.get("type"), 0) + 1
    return counts


def false_shapes(gold: dict, pred: dict, scorer: ModuleType) -> dict[str, int]:
    """The unmatched predictions counted by shape, so that a half's false events can be read
    as classes without reading them: `repeat` one of the type, day (or no day) and place (or
    no place) of a matched prediction — the same act told again; `untyped` one of a type no
    gold event of the report has; `near` one of the type of a required gold event no prediction
    matched (a wrong side, date or place, or an extra), split by the fields it gets wrong of the
    nearest such gold event; `extra` the rest. The others are split by their source: `none`, a
    `described` one (a common noun: "gunmen") or a `named` one."""
    preds = pred.get("events", [])
    actors = {a.get("id"): a for a in pred.get("actors", [])}
    used = matched_predictions(gold, pred, scorer)
    gold_types = {t for g in gold.get("events", []) for t in (g["type"], *g.get("alt_types", []))}
    matched_gold = matched_gold_ids(gold, pred, scorer)
    missed_types = {t for g in gold.get("events", []) if g.get("id") not in matched_gold and not g.get("optional")
                    for t in (g["type"], *g.get("alt_types", []))}

    def day(p: dict) -> str | None:
        return ((p.get("date") or {}).get("value") or "")[:10] or None

    def place(p: dict) -> str | None:
        return (p.get("place") or {}).get("name")

    counts: dict[str, int] = {}
    for n, p in enumerate(preds):
        if n in used:
            continue
        repeat = any(preds[m].get("type") == p.get("type")
                     and (day(p) is None or day(preds[m]) is None or day(p) == day(preds[m]))
                     and (place(p) is None or place(preds[m]) is None or place(p) == place(preds[m])) for m in used)
        shape = "repeat" if repeat else "untyped" if p.get("type") not in gold_types else \
            "near" if p.get("type") in missed_types else "extra"
        names = [actors.get(i, {}).get("name") or "" for i in p.get("source") or []]
        source = "none" if not names else "named" if any(name[:1].isupper() for name in names) else "described"
        if shape == "near":   # what it gets wrong of the missed gold event of its type it is nearest to
            src = [actors.get(i, {"name": str(i)}) for i in p.get("source") or []]
            tgt = [actors.get(i, {"name": str(i)}) for i in p.get("target") or []]
            fails = [[name for name, ok in (
                ("source", g.get("symmetric") or scorer.side_matches(src, g.get("source"))),
                ("target", g.get("symmetric") or scorer.side_matches(tgt, g.get("target"))),
                ("date", scorer.date_matches(p.get("date"), g)), ("place", scorer.place_matches(p.get("place"), g))) if not ok]
                for g in gold.get("events", []) if g.get("id") not in matched_gold and not g.get("optional")
                and p.get("type") in {g["type"], *g.get("alt_types", [])}]
            source = "+".join(min(fails, key=len)) or "sides"
            if "date" in source:   # which date it has: none, a day with no year, the publication's, another
                value = (p.get("date") or {}).get("value") or ""
                published = str((pred.get("document") or {}).get("published") or "")[:10]
                source += "(" + ("none" if not value else "yearless" if value.startswith("X") else
                                 "published" if published and value.startswith(published) else "other") + ")"
                if source.endswith("(other)"):
                    source = source[:-1] + ", " + date_gap(value, gold, p.get("type")) + ")"
        if shape in {"repeat", "extra", "untyped"}:
            shape += f":{p.get('type')}"
        counts[f"{shape}/{source}"] = counts.get(f"{shape}/{source}", 0) + 1
    return counts


def date_gap(value: str, gold: dict, type_: str | None) -> str:
    """How far a predicted date is from the nearest date of the report's gold events of its
    type: its precision when not a day ("year", "month"), else "1d", "7d", "1y" or "far"."""
    from datetime import date as Day

    if len(value) < 10:
        return "year" if len(value) == 4 else "month"
    try:
        mine = Day.fromisoformat(value[:10])
    except ValueError:
        return "odd"
    gaps = []
    for g in gold.get("events", []):
        if type_ in {g["type"], *g.get("alt_types", [])}:
            for d in (g.get("date"), *(g.get("date_window") or ())):
                if d and len(d) >= 10:
                    gaps.append(abs((mine - Day.fromisoformat(d[:10])).days))
    if not gaps:
        return "no gold day"
    gap = min(gaps)
    return "1d" if gap <= 1 else "7d" if gap <= 7 else "1y" if gap <= 366 else "far"


# --------------------------------------------------------------------------- running

def load_scorer(path: Path = SCORER) -> ModuleType:
    """../shared/tools/score_gold.py as a module, imported from where it lies."""
    spec = importlib.util.spec_from_file_location("score_gold", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_pipeline(reports: list[GoldReport]) -> dict[str, dict | str]:
    """newsledger-doc/1 record of each report (or the coded failure message), keyed by `doc`.
    Reports are read in groups sharing one metadata file, as `extract --metadata` would."""
    from newsledger.ingest import read_inputs
    from newsledger.model import Document
    from newsledger.pipeline import process
    from newsledger.settings import Settings

    settings = Settings.load()
    by_stem = {r.text_path.stem: r.doc for r in reports}
    groups: dict[Path | None, list[GoldReport]] = {}
    for r in reports:
        groups.setdefault(r.metadata_path, []).append(r)
    out: dict[str, dict | str] = {}
    for metadata, members in groups.items():
        paths = [str(r.text_path) for r in members]
        inputs = read_inputs(paths, settings, metadata_file=str(metadata) if metadata else None)
        for result in process(inputs, settings):
            if isinstance(result, Document):
                doc = by_stem.get(Path(result.meta.source or "").stem)
                if doc:
                    out[doc] = result.to_json()
            else:
                doc = by_stem.get(Path(result.source or "").stem)
                if doc:
                    out[doc] = f"error[{result.code}] {result.message}"
    return out


def describe_event(event: dict, actors: dict[str, dict]) -> str:
    def side(ids):
        return ",".join(
            f"{actors[a]['name']}({actors[a].get('country') or '-'})" if a in actors else str(a) for a in ids or []
        ) or "-"
    date = (event.get("date") or {}).get("value")
    place = (event.get("place") or {}).get("name")
    evidence = ((event.get("evidence") or {}).get("text") or "")[:70]
    mood = event.get("modality") or "-"
    return f"{event.get('type')} [{mood}] {side(event.get('source'))} -> {side(event.get('target'))} {date} {place} | {evidence}"


def describe_gold_event(g: dict) -> str:
    date = g.get("date") or (g.get("date_window") and "..".join(g["date_window"]))
    place = (g.get("place") or {}).get("text")
    types = "/".join([g["type"], *g.get("alt_types", [])])
    return f"{g.get('id')}: {types} {g.get('source')} -> {g.get('target')} {date} {place}"


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    if not SCORER.is_file():
        print(f"{SCORER} is absent: this benchmark reads the gold, texts and scorer in ../shared")
        return 2
    reports = load_gold_reports(GOLD_DIRS, SHARED)
    missing = [r for r in reports if not r.text_path.is_file()]
    if missing:
        print(f"{missing[0].text_path} is absent: this benchmark reads the texts in ../shared")
        return 2
    scorer = load_scorer()
    predictions = run_pipeline(reports)
    scores: list[ReportScore] = []
    details: dict[str, tuple[dict, dict]] = {}
    classes = {name: dict.fromkeys(ERROR_CLASSES, 0) for name in HALVES}
    false_by_type: dict[str, dict[str, int]] = {name: {} for name in HALVES}
    false_by_shape: dict[str, dict[str, int]] = {name: {} for name in HALVES}
    for r in reports:
        gold = json.loads(r.gold_path.read_text(encoding="utf-8"))
        pred = predictions.get(r.doc, "error: no output")
        failure = pred if isinstance(pred, str) else None
        pred_json = pred if isinstance(pred, dict) else {}
        scored = scorer.score(gold, pred_json)
        scores.append(report_score(r.doc, scored, failure))
        details[r.doc] = (gold, pred_json)
        for name, n in error_classes(gold, pred_json, scored, scorer).items():
            classes[r.half][name] += n
        for name, n in false_types(gold, pred_json, scorer).items():
            false_by_type[r.half][name] = false_by_type[r.half].get(name, 0) + n
        for name, n in false_shapes(gold, pred_json, scorer).items():
            false_by_shape[r.half][name] = false_by_shape[r.half].get(name, 0) + n

    tune = [s for s in scores if s.half == "tune"]
    print(f"tune half: {len(tune)} reports (detail)")
    print(f"{'report':66} {'P':>5} {'R':>5} {'F1':>5} {'score':>5} pred")
    for s in tune:
        print(f"{s.doc[:66]:66} {s.event_precision:5.2f} {s.event_recall:5.2f} {s.event_f1:5.2f} {s.score:5.2f} {s.events_predicted:4}")
        if s.failure:
            print(f"    refused: {s.failure}")
        if verbose:
            gold, pred = details[s.doc]
            by_id = {g.get("id"): g for g in gold.get("events", [])}
            for missed in s.events_missed:
                print(f"    missed  {describe_gold_event(by_id[missed])}")
            actors = {a.get("id"): a for a in pred.get("actors", [])}
            matched = matched_predictions(gold, pred, scorer)
            for n, e in enumerate(pred.get("events", [])):
                print(f"    {'pred ' if n in matched else 'FALSE'}   {describe_event(e, actors)}")
    summary = summarise(scores)
    print()
    for name in HALVES:
        h = summary[name]
        print(f"{name} half: reports={h.reports} mean event F1={h.mean_event_f1:.3f} mean score={h.mean_score:.3f} refused={h.refused}")
    for name in HALVES:
        print(f"{name} half errors: " + " ".join(f"{c}={classes[name][c]}" for c in ERROR_CLASSES)
              + "  (false: unmatched predictions; no_type, slots, date, place: why gold events were missed)")
    for name in HALVES:
        print(f"{name} half false events by type: "
              + " ".join(f"{t}={n}" for t, n in sorted(false_by_type[name].items(), key=lambda kv: (-kv[1], kv[0]))))
    for name in HALVES:
        print(f"{name} half false events by shape: "
              + " ".join(f"{t}={n}" for t, n in sorted(false_by_shape[name].items(), key=lambda kv: (-kv[1], kv[0])))
              + "  (repeat: type, day and place of a matched event; untyped: no gold event of its type; near: of a missed gold event's type; source none/described/named)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
