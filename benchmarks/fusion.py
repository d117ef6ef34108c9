"""Cross-document event fusion on clustered corpora: pair recall, B-cubed, merges across clusters.

Each corpus's INDEX.tsv names, in its `cluster` column, the real-world event each text
reports; a distractor (a different attack or designation of the same kind, same place,
weeks apart) has a cluster of its own. Each document's headline event
(`newsledger.fuse.headlines`) is the system's answer; documents whose headline events fused
into the same canonical event form a system cluster. Scores:

- pair recall: the share of same-cluster document pairs whose headlines are one canonical event;
- B-cubed (Bagga and Baldwin 1998): over documents, the share of its system cluster that is
  in its gold cluster (precision) and of its gold cluster in its system cluster (recall);
- cross-cluster merges: document pairs of different gold clusters whose headlines are one
  canonical event (distractors included); the target is 0;
- distractor pairs: the INDEX names pairs of clusters that are distractors of each other (a
  different attack or designation of the same kind, same place, weeks apart), and pairs
  are read from its headline columns or event descriptions (same type, same place below
  the country, less than a year apart); their document pairs merged are counted apart
  (target 0).

Clusters are split into a tune and a check half by `evalkit.half(cluster)` (a distractor by
its own cluster id); only the tune half's errors are printed with --verbose. The halves are
scored on one fusion of all documents together, so a merge across halves counts as a
cross-cluster merge in both.

    .venv/bin/python benchmarks/fusion.py                       # ../shared/corpus/public and public2
    .venv/bin/python benchmarks/fusion.py --db /tmp/fusion.duckdb --verbose   # ingest once, reuse
    .venv/bin/python benchmarks/fusion.py --records /tmp/records.jsonl --shuffles 5   # order independence

The corpora are ingested into a temporary database unless `--db` names a file: an existing
file is reused as it is (fusion is read from its canonical-events table), a missing one is
created.
"""
from __future__ import annotations

import argparse
import csv
import itertools
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evalkit import HALVES, half  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = (ROOT / ".." / "shared" / "corpus" / "public", ROOT / ".." / "shared" / "corpus" / "public2")


def bcubed(system: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float]:
    """B-cubed (precision, recall) of a system clustering against a gold one, over the
    items both label."""
    items = sorted(set(system) & set(gold))
    if not items:
        return 0.0, 0.0
    by_system: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item in items:
        by_system[system[item]].add(item)
        by_gold[gold[item]].add(item)
    precision = recall = 0.0
    for item in items:
        mine, truth = by_system[system[item]], by_gold[gold[item]]
        shared = len(mine & truth)
        precision += shared / len(mine)
        recall += shared / len(truth)
    return precision / len(items), recall / len(items)


@dataclass(frozen=True)
class PairCounts:
    """Same-cluster document pairs found together, and different-cluster pairs merged."""
    same_total: int
    same_found: int
    cross_merged: int

    @property
    def recall(self) -> float:
        return self.same_found / self.same_total if self.same_total else 1.0


def pair_counts(system: Mapping[str, str], gold: Mapping[str, str], items: set[str],
                everyone: set[str]) -> PairCounts:
    """Pairs with at least one member in `items`; partners are drawn from `everyone`, so a
    merge with a document of the other half still counts."""
    same_total = same_found = cross = 0
    for a, b in itertools.combinations(sorted(everyone), 2):
        if a not in items and b not in items:
            continue
        together = system.get(a) is not None and system.get(a) == system.get(b)
        if gold[a] == gold[b]:
            same_total += 1
            same_found += together
        elif together:
            cross += 1
    return PairCounts(same_total, same_found, cross)


def read_gold(index: Path) -> dict[str, str]:
    """slug -> cluster from an INDEX.tsv."""
    with index.open(encoding="utf-8", newline="") as handle:
        return {row["slug"]: row["cluster"] for row in csv.DictReader(handle, delimiter="\t")
                if row.get("slug") and row.get("cluster")}


def read_headline_types(index: Path) -> dict[str, str]:
    """slug -> the PLOVER type of its cluster's headline event, where the INDEX gives one."""
    with index.open(encoding="utf-8", newline="") as handle:
        return {row["slug"]: row["headline_type"].strip() for row in csv.DictReader(handle, delimiter="\t")
                if row.get("slug") and (row.get("headline_type") or "").strip()}


def read_distractors(index: Path) -> set[frozenset[str]]:
    """Pairs of clusters an INDEX.tsv names as distractors of each other (a row of one
    cluster whose text says "distractor for X" or "distractor pair with X"), and pairs it
    shows to be: two clusters whose headline events (`index_headline`) are of one type (when
    the INDEX gives types), in one named place below the country and less than
    `DISTRACTOR_DAYS` apart (two attacks in one city within a year)."""
    pairs = set()
    headlines: list[tuple[str, IndexHeadline]] = []
    with index.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            text = " ".join(str(value) for value in row.values() if value)
            for other in re.findall(r"distractor(?: pair)? (?:for|with) ([A-Z][A-Z0-9]+)", text, re.IGNORECASE):
                if row.get("cluster") and other != row["cluster"]:
                    pairs.add(frozenset((row["cluster"], other)))
            found = index_headline(row)
            if row.get("cluster") and found is not None:
                headlines.append((row["cluster"], found))
    for (one, a), (other, b) in itertools.combinations(headlines, 2):
        if one != other and a.kind == b.kind and a.places & b.places and abs((a.day - b.day).days) < DISTRACTOR_DAYS:
            pairs.add(frozenset((one, other)))
    return pairs


DISTRACTOR_DAYS = 366


@dataclass(frozen=True)
class IndexHeadline:
    """What an INDEX row says of its cluster's headline event: type (None when the INDEX
    gives none), day, and the names of its place below the country."""
    kind: str | None
    day: date
    places: frozenset[str]


def index_headline(row: Mapping[str, str]) -> IndexHeadline | None:
    """The headline columns of a row (headline_type, headline_date, headline_place: "Hodan
    District, Mogadishu, Somalia"), else its `events` description read as "what, place,
    YYYY-MM-DD" (the place a name of at most four words); None when neither says."""
    when, where = (row.get("headline_date") or "").strip(), (row.get("headline_place") or "").strip()
    found = re.search(r"([^,;:()]+),\s*(\d{4}-\d{2}-\d{2})", row.get("events") or "")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", when) and where:
            parts = [part.strip() for part in where.split(",") if part.strip()]
            return IndexHeadline(row.get("headline_type") or None, date.fromisoformat(when),
                                 frozenset(parts[:-1] or parts))
        if found is not None and len(found[1].split()) <= 4:
            return IndexHeadline(row.get("headline_type") or None, date.fromisoformat(found[2]),
                                 frozenset({found[1].strip()}))
    except ValueError:       # not a calendar day
        pass
    return None


def distractor_merges(system: Mapping[str, str], gold: Mapping[str, str],
                      distractors: set[frozenset[str]]) -> tuple[int, int]:
    """(document pairs of two distractor clusters whose headlines are one canonical event,
    such document pairs)."""
    merged = total = 0
    for a, b in itertools.combinations(sorted(gold), 2):
        if frozenset((gold[a], gold[b])) in distractors:
            total += 1
            merged += system.get(a) is not None and system.get(a) == system.get(b)
    return merged, total


def extract(corpus: Path) -> list[dict]:
    """The pipeline's `newsledger-doc/1` records of the corpus texts (INDEX.tsv as metadata);
    failures are reported and left out."""
    from newsledger.ingest import read_inputs
    from newsledger.model import Document
    from newsledger.pipeline import process
    from newsledger.settings import Settings

    settings = Settings.load()
    texts = sorted(str(p) for p in corpus.glob("*.txt"))
    items = read_inputs(texts, settings, metadata_file=str(corpus / "INDEX.tsv"))
    records = []
    for item in process(items, settings):
        if isinstance(item, Document):
            records.append(item.to_json())
        else:
            print(f"failed: {item.to_json()}", file=sys.stderr)
    return records


def store_records(records: list[dict], db_path: Path) -> None:
    """Store the records in this order (fusion runs on each ingest)."""
    from newsledger.store import Store

    with Store.open(db_path) as store:
        for record in records:
            store.add(record)


def canonical_snapshot(db_path: Path) -> list[tuple]:
    """Every canonical event record and member row of a database, in a stable order."""
    from newsledger.store import Store

    with Store.open(db_path, read_only=True) as store:
        events = store.connection.execute("SELECT id, record FROM canonical_events ORDER BY id").fetchall()
        members = store.connection.execute(
            "SELECT doc_id, event_id, canonical_id, component FROM canonical_members ORDER BY ALL").fetchall()
    return events + members


def order_independence(records: list[dict], db_path: Path, shuffles: int, scratch: Path) -> tuple[int, int]:
    """(orders giving the canonical events of `db_path`, orders tried): the records stored
    in `shuffles` random orders, and `newsledger refuse` run on a copy of `db_path`."""
    import random
    import shutil

    from newsledger.canonical import refuse
    from newsledger.store import Store

    expected = canonical_snapshot(db_path)
    same = 0
    for seed in range(shuffles):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        path = scratch / f"shuffled-{seed}.duckdb"
        store_records(shuffled, path)
        same += canonical_snapshot(path) == expected
    copy = scratch / "refused.duckdb"
    shutil.copy(db_path, copy)
    with Store.open(copy) as store:
        refuse(store)
    same += canonical_snapshot(copy) == expected
    return same, shuffles + 1


@dataclass
class SystemAnswer:
    """Each document's headline: its canonical event and its mention."""
    clusters: dict[str, str]                 # slug -> canonical event id
    mentions: dict[str, object]              # slug -> its headline `Mention`
    event_count: int
    members: dict[str, list] = field(default_factory=dict)   # canonical event id -> its mentions, by key


def missed_reasons(answer: SystemAnswer, gold: Mapping[str, str], items: set[str],
                   gold_types: Mapping[str, str] | None = None) -> dict[str, int]:
    """Why same-cluster pairs of `items` were not merged, counted by reason (`pair_reason`)."""
    reasons: dict[str, int] = defaultdict(int)
    for a, b in itertools.combinations(sorted(items), 2):
        if gold[a] != gold[b] or (a in answer.clusters and answer.clusters.get(a) == answer.clusters.get(b)):
            continue
        reasons[pair_reason(answer, a, b, gold_types or {})] += 1
    return dict(sorted(reasons.items()))


def kept_apart_reasons(answer: SystemAnswer, gold: Mapping[str, str],
                       distractors: set[frozenset[str]]) -> dict[str, int]:
    """What keeps the document pairs of two distractor clusters apart, counted by reason
    (`pair_reason`; "merged" for a pair whose headlines are one canonical event): the
    distinguishing evidence that wins over compatibility, or only a score below the threshold."""
    reasons: dict[str, int] = defaultdict(int)
    for a, b in itertools.combinations(sorted(gold), 2):
        if frozenset((gold[a], gold[b])) not in distractors:
            continue
        merged = a in answer.clusters and answer.clusters.get(a) == answer.clusters.get(b)
        reasons["merged" if merged else pair_reason(answer, a, b, {})] += 1
    return dict(sorted(reasons.items()))


def pair_reason(answer: SystemAnswer, a: str, b: str, gold_types: Mapping[str, str]) -> str:
    """Why the headlines of two documents are not one canonical event: "headline: TYPE for
    GOLD" when a document's headline is not of the family of the type its INDEX row gives
    (`gold_types`: a headline mismatch, not a fusion miss), "no event" when a document has no
    headline, the field that forbids their headline mentions to merge, "below threshold:
    FIELD" (`weakest_field`),
    "not compared" (no time: a report with no date has no scene, or another one; time windows
    far apart, or no shared anchor), or "group: FIELD"
    (the pair may merge but their canonical events may not: FIELD forbids one of their cross
    pairs, "mean" their mean score, with the soft conflicts counted as no agreement in it)."""
    from newsledger.fuse import TYPE_FAMILIES, FusionSettings, anchors, compare, may_pair, slack_days, time_window

    settings = FusionSettings()
    if a not in answer.mentions or b not in answer.mentions:
        return "no event"
    for slug in (a, b):
        wanted, found = gold_types.get(slug), answer.mentions[slug].type  # type: ignore[attr-defined]
        if wanted and TYPE_FAMILIES.get(found, found) != TYPE_FAMILIES.get(wanted, wanted):
            return f"headline: {found} for {wanted}"
    first, second = answer.mentions[a], answer.mentions[b]
    result = compare(first, second, settings)  # type: ignore[arg-type]
    if result.compatible and not may_pair(first, second, settings):  # type: ignore[arg-type]
        windows = [time_window(answer.mentions[s], settings) for s in (a, b)]  # type: ignore[arg-type]
        if None in windows:   # a report with no date: compared through its scene only
            scenes = [anchors(answer.mentions[s]) for s in (a, b)]  # type: ignore[arg-type]
            return "not compared: no time, " + ("other scenes" if all(scenes) else "no scene")
        (start, end), (other_start, other_end) = windows  # type: ignore[misc]
        slack = timedelta(days=slack_days(settings))
        far = other_start > end + slack or start > other_end + slack
        return "not compared: far" if far else "not compared: no shared anchor"
    if result.conflict == "type":   # the class names the two families: a family rule to weigh
        families = sorted({answer.mentions[s].family for s in (a, b)})  # type: ignore[attr-defined]
        return f"type: {'~'.join(families)}"
    if result.conflict == "place":
        return f"place: {place_conflict(first, second)}"  # type: ignore[arg-type]
    if not result.compatible:
        return result.conflict or "?"
    if result.total < settings.merge_threshold:
        from newsledger.fuse import corroboration
        facts = corroboration(first, second, result.actors, result.date)  # type: ignore[arg-type]
        return (f"below threshold: {weakest_field(result, settings)} (date {result.date:.2f}, "
                f"total {result.total:.2f}, facts {'+'.join(facts) or 'none'})")
    return f"group: {_group_conflict(answer, a, b, settings)}"


def place_conflict(a: object, b: object) -> str:
    """Which rule of `fuse._place_agreement` sets two places apart, by kind (no names): other
    countries, other first- or second-order divisions, two places of one level, or a named
    place too far from a city."""
    if getattr(a, "place_country") != getattr(b, "place_country"):
        return "countries"
    for code in ("admin1_code", "admin2_code"):
        if getattr(a, code) and getattr(b, code) and getattr(a, code) != getattr(b, code):
            return f"{code.removesuffix('_code')} {getattr(a, 'place_level')}~{getattr(b, 'place_level')}"
    levels = sorted(str(getattr(m, "place_level")) for m in (a, b))
    kind = f"two {levels[0]}" if levels[0] == levels[1] else f"far {'~'.join(levels)}"
    kind += f" ({'~'.join(sorted(str(getattr(m, 'place_feature', None)) for m in (a, b)))})"
    if str(getattr(a, "place_name")).casefold() == str(getattr(b, "place_name")).casefold():
        kind += ", one name"
    points = [(getattr(m, "lat"), getattr(m, "lon")) for m in (a, b)]
    if None not in (coordinate for point in points for coordinate in point):
        from newsledger.gazetteer import distance_km

        km = distance_km(*points[0], *points[1])
        kind += ", " + next(f"< {limit} km" for limit in (30, 100, 300, 1000, 100000) if km < limit)
    return kind


def weakest_field(result: object, settings: object) -> str:
    """The field of a pair score that costs most below a full score (its weight times what
    it lacks of 1.0): when, where, who or text."""
    shortfall = {name: getattr(settings, f"weight_{weight}") * (1.0 - getattr(result, score))
                 for name, weight, score in (("when", "date", "date"), ("where", "place", "place"),
                                             ("who", "actors", "actors"), ("text", "text", "text"))}
    return max(shortfall, key=lambda name: (shortfall[name], name))


def _group_conflict(answer: SystemAnswer, a: str, b: str, settings: object) -> str:
    """Why the canonical events of two headlines did not join (`fuse.join_score`): the field
    of the first incompatible pair of their mentions (sorted by key), else "mean" (the mean
    over document pairs of their best cross-pair score; participants that disagree count as 0)."""
    from newsledger.fuse import compare, join_score

    left, right = (answer.members.get(answer.clusters.get(s, ""), []) for s in (a, b))
    mentions = [*left, *right]
    found = join_score(range(len(left)), range(len(left), len(mentions)),
                       lambda i, j: compare(mentions[i], mentions[j], settings),  # type: ignore[arg-type]
                       lambda i: mentions[i].doc_id)
    if found.conflict == "place":
        first = next(x for x in left for y in right if compare(x, y, settings).conflict == "place")  # type: ignore[arg-type]
        second = next(y for y in right if compare(first, y, settings).conflict == "place")  # type: ignore[arg-type]
        return f"place: {place_conflict(first, second)}"
    if found.conflict is not None:
        return found.conflict
    documents = len({m.doc_id for m in left}), len({m.doc_id for m in right})
    return (f"mean {found.mean:.2f} of {found.document_pairs} document pairs ({documents[0]}x{documents[1]}"
            + "".join(f", {name} {count}" for name, count in sorted(found.soft.items())) + ")")


def system_clusters(db_path: Path, verbose_slugs: Mapping[str, str] | None = None) -> SystemAnswer:
    """Each document's headline event and mention, and the number of canonical events."""
    from newsledger.fuse import fuse_store, headlines
    from newsledger.store import Store

    with Store.open(db_path, read_only=True) as store:
        events = fuse_store(store)
        slugs = {row["id"]: Path(str(row["source"])).stem for row in store.rows("documents")}
    heads = headlines(events)
    system = {slugs[doc_id]: event_id for doc_id, (event_id, _) in heads.items() if doc_id in slugs}
    by_key = {m.key: m for e in events for m in e.mentions}
    chosen = {slugs[doc_id]: by_key[key] for doc_id, (_, key) in heads.items() if doc_id in slugs}
    if verbose_slugs:
        by_id = {e.id: e for e in events}
        for slug, cluster in sorted(verbose_slugs.items(), key=lambda item: (item[1], item[0])):
            event_id = system.get(slug)
            event = by_id.get(event_id) if event_id else None
            summary = "-"
            if event:
                place = event.best_place()
                summary = (f"{event.type} {event.best_date()} {place.place_name if place else None} "
                           f"{len(event.documents)} doc(s)")
            print(f"{cluster:8} {event_id or '-':20} {summary:64} {slug}", file=sys.stderr)
    members = {e.id: sorted(e.mentions, key=lambda m: m.key) for e in events}
    return SystemAnswer(system, chosen, len(events), members)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append",
                        help="a folder with INDEX.tsv and *.txt (repeatable; default: public and public2)")
    parser.add_argument("--db", type=Path, help="a database of the corpora: reused if it exists, else created")
    parser.add_argument("--verbose", action="store_true", help="print the tune half's headline events")
    parser.add_argument("--records", type=Path,
                        help="a JSON Lines file of the extracted records: reused if it exists, else written")
    parser.add_argument("--shuffles", type=int, default=0,
                        help="also store the records in this many random orders and re-fuse: same events?")
    args = parser.parse_args(argv)
    corpora = args.corpus or list(DEFAULT_CORPORA)
    gold: dict[str, str] = {}
    gold_types: dict[str, str] = {}
    distractors: set[frozenset[str]] = set()
    for corpus in corpora:
        index = corpus / "INDEX.tsv"
        if not index.is_file():
            print(f"no {index}: this benchmark reads the corpora in ../shared (or give --corpus)", file=sys.stderr)
            return 2
        gold.update(read_gold(index))
        gold_types.update(read_headline_types(index))
        distractors |= read_distractors(index)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        db_path = args.db or Path(scratch) / "fusion.duckdb"
        records: list[dict] = []
        if args.records and args.records.exists():
            records = [json.loads(line) for line in args.records.read_text(encoding="utf-8").splitlines()]
        elif not db_path.exists() or args.shuffles:
            records = [record for corpus in corpora for record in extract(corpus)]
            if args.records:
                args.records.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                        encoding="utf-8")
        if not db_path.exists():
            store_records(records, db_path)
        ingested = time.perf_counter()
        tune_slugs = {s: c for s, c in gold.items() if half(c) == "tune"}
        answer = system_clusters(db_path, tune_slugs if args.verbose else None)
        system, count = answer.clusters, answer.event_count
        fused = time.perf_counter()
        if args.shuffles:
            same, tried = order_independence(records, db_path, args.shuffles, Path(scratch))
            print(f"order independence: {same}/{tried} (shuffled ingest orders, and refuse) give the same "
                  "canonical events")
    for slug in gold:
        system.setdefault(slug, f"none:{slug}")   # a document without events is its own cluster
    print(f"documents: {len(gold)}  gold clusters: {len(set(gold.values()))}  canonical events: {count}")
    print(f"extract and ingest (fusion on ingest): {ingested - started:.1f} s  read: {fused - ingested:.2f} s")
    everyone = set(gold)
    for name in (*HALVES, "all"):
        items = {s for s, c in gold.items() if name == "all" or half(c) == name}
        precision, recall = bcubed({s: system[s] for s in items}, {s: gold[s] for s in items})
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        pairs = pair_counts(system, gold, items, everyone)
        print(f"{name:5}  documents {len(items):2}  clusters {len({gold[s] for s in items}):2}  "
              f"pair recall {pairs.recall:.3f} ({pairs.same_found}/{pairs.same_total})  "
              f"B-cubed P {precision:.3f} R {recall:.3f} F1 {f1:.3f}  cross-cluster merges {pairs.cross_merged}")
        if name != "all":
            print(f"       pairs not merged, by reason: {missed_reasons(answer, gold, items, gold_types) or '-'}")
            mine = {pair for pair in distractors if all(half(c) == name for c in pair)}
            merged, total = distractor_merges(system, gold, mine)
            print(f"       distractor document pairs merged: {merged}/{total} "
                  f"({', '.join('~'.join(sorted(p)) for p in sorted(mine, key=sorted)) or 'none'}), "
                  f"by reason: {kept_apart_reasons(answer, gold, mine) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
