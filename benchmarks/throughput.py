"""Throughput: bare spaCy `nlp.pipe` against the full newsledger pipeline, on the same texts,
in one run. Prints words per second of each and their ratio (pipeline / spaCy).

    python benchmarks/throughput.py [--repeat N] [FILES...]

Without FILES it reads ../shared/corpus (seed and public reports), or the bundled samples
when ../shared is absent. Each text is processed `--repeat` times (default 10) so that the
timings are long enough to compare; both sides warm up once before timing.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

from newsledger.model import Document, Meta
from newsledger.pipeline import process
from newsledger.settings import Settings
from newsledger.stages import clean

ROOT = Path(__file__).resolve().parents[1]


def default_files() -> list[Path]:
    shared = ROOT.parent / "shared" / "corpus"
    files = sorted(shared.glob("*/*.txt")) if shared.is_dir() else []
    return files or sorted((ROOT / "samples").glob("*.txt"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    files = args.files or default_files()
    settings = Settings.load()
    raws = [f.read_text("utf-8") for f in files]

    def documents() -> list[Document]:
        return [Document(raw=r, meta=Meta(source=str(f))) for f, r in zip(files, raws)]

    bodies = []
    for doc in documents():
        doc.body = clean.run(doc, settings)
        bodies.append(doc.body)
    texts = bodies * args.repeat
    words = sum(len(b.split()) for b in texts)

    nlp = spacy.load(settings.nlp_model)
    list(nlp.pipe(bodies[:2]))
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=settings.batch_size):
        pass
    spacy_seconds = time.perf_counter() - start

    list(process(documents()[:2], settings))
    start = time.perf_counter()
    results = list(process((d for _ in range(args.repeat) for d in documents()), settings))
    pipeline_seconds = time.perf_counter() - start
    failures = sum(1 for r in results if not isinstance(r, Document))

    spacy_wps, pipeline_wps = words / spacy_seconds, words / pipeline_seconds
    print(f"texts: {len(files)} x {args.repeat} = {len(texts)}, words: {words}, pipeline failures: {failures}")
    print(f"bare spaCy nlp.pipe ({settings.nlp_model}): {spacy_wps:,.0f} words/s")
    print(f"newsledger pipeline (clean..events):     {pipeline_wps:,.0f} words/s")
    print(f"ratio pipeline/spaCy: {pipeline_wps / spacy_wps:.2f}")


if __name__ == "__main__":
    main()
