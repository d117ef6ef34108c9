"""B-cubed precision and recall of cross-document event fusion on a clustered corpus.

The corpus's INDEX.tsv names, in its `cluster` column, the real-world event each text
reports. Each document's headline event (`newsledger.fuse.headlines`) is the system's answer;
documents whose headline events fused into the same canonical event form a system cluster.
B-cubed (Bagga and Baldwin 1998) averages, over documents, the share of its system cluster
that is in its gold cluster (precision) and the share of its gold cluster that is in its
system cluster (recall).

    .venv/bin/python benchmarks/fusion.py                      # ../shared/corpus/public
    .venv/bin/python benchmarks/fusion.py --corpus DIR --db ledger.duckdb --verbose

The corpus is ingested into a temporary database unless `--db` names an existing one.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / ".." / "shared" / "corpus" / "public"


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


def read_gold(index: Path) -> dict[str, str]:
    """slug -> cluster from an INDEX.tsv."""
    with index.open(encoding="utf-8", newline="") as handle:
        return {row["slug"]: row["cluster"] for row in csv.DictReader(handle, delimiter="\t")
                if row.get("slug") and row.get("cluster")}


def ingest(corpus: Path, db_path: Path) -> None:
    """Run the pipeline over the corpus texts (with INDEX.tsv as metadata) into `db_path`."""
    from newsledger.ingest import read_inputs
    from newsledger.model import Document
    from newsledger.pipeline import process
    from newsledger.settings import Settings
    from newsledger.store import Store

    settings = Settings.load()
    texts = sorted(str(p) for p in corpus.glob("*.txt"))
    items = read_inputs(texts, settings, metadata_file=str(corpus / "INDEX.tsv"))
    with Store.open(db_path) as store:
        for item in process(items, settings):
            if isinstance(item, Document):
                store.add(item.to_json())
            else:
                store.add_failure(item.to_json())


def evaluate(db_path: Path, gold: Mapping[str, str], verbose: bool) -> tuple[float, float, int]:
    """Fuse the stored events and score the documents' headline events."""
    from newsledger.fuse import fuse_store, headlines
    from newsledger.store import Store

    with Store.open(db_path, read_only=True) as store:
        events = fuse_store(store)
        slugs = {row["id"]: Path(str(row["source"])).stem for row in store.rows("documents")}
    heads = headlines(events)
    system = {slugs[doc_id]: event_id for doc_id, (event_id, _) in heads.items() if doc_id in slugs}
    if verbose:
        by_id = {e.id: e for e in events}
        for slug in sorted(gold):
            event_id = system.get(slug)
            event = by_id.get(event_id) if event_id else None
            summary = (f"{event.type} {event.best_date()} {len(event.documents)} doc(s)" if event else "-")
            print(f"{gold[slug]:8} {event_id or '-':20} {summary:48} {slug}", file=sys.stderr)
    for slug in gold:
        system.setdefault(slug, f"none:{slug}")   # a document without events is its own cluster
    precision, recall = bcubed(system, gold)
    return precision, recall, len(events)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="a folder with INDEX.tsv and *.txt")
    parser.add_argument("--db", type=Path, help="an already ingested database of the corpus")
    parser.add_argument("--verbose", action="store_true", help="print each document's headline event")
    args = parser.parse_args(argv)
    index = args.corpus / "INDEX.tsv"
    if not index.is_file():
        print(f"no {index}: give --corpus", file=sys.stderr)
        return 2
    gold = read_gold(index)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        db_path = args.db or Path(scratch) / "fusion.duckdb"
        if args.db is None:
            ingest(args.corpus, db_path)
        ingested = time.perf_counter()
        precision, recall, count = evaluate(db_path, gold, args.verbose)
    fused = time.perf_counter()
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"documents: {len(gold)}  gold clusters: {len(set(gold.values()))}  canonical events: {count}")
    print(f"ingest: {ingested - started:.1f} s  fusion: {fused - ingested:.2f} s")
    print(f"B-cubed precision: {precision:.3f}  recall: {recall:.3f}  F1: {f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
