"""Time of the quotes and events stages against spaCy's own `nlp.pipe`, on the same texts, in one run.

    python benchmarks/stage_speed.py [--repeat N] [FILES...]
    python benchmarks/stage_speed.py --scaling [--sizes 10000,100000,1000000] [FILES...]

Texts: FILES, else the 84 PolNeAR dev articles (../shared/eval/polnear/dev/text, real news
with many quotes), else the bundled samples. Each document is cleaned first
(`run_stage(clean)`); then, in this one process:
1. bare spaCy: `spacy.load(settings.nlp_model)` and `nlp.pipe` over the cleaned bodies
   (batch size from the settings), timed;
2. the nlp stage: `newsledger.stages.nlp.annotate` over the same bodies, timed (spaCy plus the
   paragraph component);
3. every later stage, one document at a time, through `newsledger.pipeline.run_stage`, each
   stage timed on its own (time, places, actors, quotes, events).
Everything runs once on two documents before timing, so loading the model and the packaged
resources (actor dictionary, gazetteer, lexicons) is not counted. With `--repeat N` the texts
are processed N times for longer, steadier timings.

Printed: seconds per step and its share of bare `nlp.pipe` (the coreference sieve, which runs
inside the actors stage, also on a line of its own); the last lines give what quotes and
coreference add to bare `nlp.pipe` (issue 12's limit is 15%), and what quotes and events
together add (the events issue's limit is 20%).

`--scaling` measures instead whether the events stage is linear in the length of one
document: the cleaned texts are repeated into one body of each size (10k, 100k and 1M
characters by default), parsed paragraph batch by paragraph batch and joined into one spaCy
Doc (`Doc.from_docs`, so spaCy's own length limit does not apply), run through the stages
before events untimed, then the events stage timed. One line per size gives the events
stage's microseconds per character; a linear stage keeps it about constant.
"""
from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from evalkit import EVAL_DIR, ROOT, print_table

POLNEAR_TEXTS = EVAL_DIR / "polnear" / "dev" / "text"


def default_files() -> list[Path]:
    files = sorted(POLNEAR_TEXTS.glob("*.txt")) if POLNEAR_TEXTS.is_dir() else []
    return files or sorted((ROOT / "samples").glob("*.txt"))


def cleaned_documents(files: list[Path], settings) -> list:
    """Documents of `files` with their body set (clean stage run), failures left out."""
    from newsledger.errors import NewsledgerError
    from newsledger.model import Document, Meta
    from newsledger.pipeline import run_stage
    from newsledger.stages import clean

    docs = []
    for path in files:
        doc = Document(raw=path.read_text("utf-8"), meta=Meta(source=str(path)))
        try:
            run_stage(clean.STAGE, doc, settings)
        except NewsledgerError:
            continue
        docs.append(doc)
    return docs


def time_stages(docs: list, settings) -> dict[str, float]:
    """Seconds spent in nlp.annotate and in each later stage over `docs` (bodies set)."""
    from newsledger.pipeline import DOCUMENT_STAGES, run_stage
    from newsledger.stages import nlp

    seconds: dict[str, float] = defaultdict(float)
    timed_coreference(seconds)
    start = time.perf_counter()
    spacy_docs = list(nlp.annotate(docs, settings))
    seconds["nlp stage (annotate)"] = time.perf_counter() - start
    for doc, spacy_doc in zip(docs, spacy_docs):
        doc.spacy_doc = spacy_doc
        for stage in DOCUMENT_STAGES:
            start = time.perf_counter()
            run_stage(stage, doc, settings)
            seconds[stage.name] += time.perf_counter() - start
        doc.spacy_doc = None
    return seconds


def timed_coreference(seconds: dict[str, float]) -> None:
    """Time the coreference sieve (`coref.resolve`, run inside the actors stage) into
    seconds["coreference (in actors)"]: the sieve is wrapped, once per process, by a timer
    that adds to the dict of the current run."""
    from newsledger.stages import coref

    resolve = getattr(coref.resolve, "untimed", coref.resolve)

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return resolve(*args, **kwargs)
        finally:
            seconds["coreference (in actors)"] += time.perf_counter() - start

    timed.untimed = resolve
    coref.resolve = timed


def long_document(bodies: list[str], size: int, settings):
    """One Document of about `size` characters made of the paragraphs of `bodies` repeated,
    with its spaCy Doc parsed in batches of paragraphs and joined."""
    from spacy.tokens import Doc

    from newsledger.model import Document, Meta
    from newsledger.stages import nlp

    paragraphs = [p for b in bodies for p in b.split("\n") if p.strip()]
    chosen: list[str] = []
    total = 0
    while total < size:
        p = paragraphs[len(chosen) % len(paragraphs)]
        chosen.append(p)
        total += len(p) + 1
    chunks = ["\n".join(chosen[i:i + 20]) for i in range(0, len(chosen), 20)]
    pipeline = nlp.load_pipeline(settings.nlp_model)
    parts = list(pipeline.pipe(chunks, batch_size=settings.batch_size))
    spacy_doc = Doc.from_docs(parts, ensure_whitespace=True)
    body = spacy_doc.text
    doc = Document(raw=body, meta=Meta(source=f"scaling-{size}"), body=body)
    doc.spacy_doc = spacy_doc
    return doc


def scaling(files: list[Path], sizes: list[int], settings) -> None:
    """Events-stage cost per character on single documents of growing size (see the docstring)."""
    from newsledger.pipeline import DOCUMENT_STAGES, run_stage

    bodies = [d.body for d in cleaned_documents(files, settings)]
    rows = []
    for size in sizes:
        doc = long_document(bodies, size, settings)
        for stage in DOCUMENT_STAGES:
            start = time.perf_counter()
            run_stage(stage, doc, settings)
            seconds = time.perf_counter() - start
            if stage.name == "events":
                rows.append((f"{len(doc.body):,}", len(doc.events or []), seconds, 1e6 * seconds / len(doc.body)))
                print(f"events stage: {len(doc.body):,} characters, {seconds:.2f} s, "
                      f"{1e6 * seconds / len(doc.body):.2f} µs per character", flush=True)
                break
    print()
    print_table(("characters", "events", "events stage s", "µs per character"), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--scaling", action="store_true", help="events-stage cost per character by document size")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="document sizes for --scaling")
    args = parser.parse_args()
    if args.scaling:
        from newsledger.settings import Settings
        scaling(args.files or default_files(), [int(x) for x in args.sizes.split(",")], Settings.load())
        return
    import spacy

    from newsledger.model import Document
    from newsledger.settings import Settings

    settings = Settings.load()
    files = args.files or default_files()

    def fresh() -> list:
        return cleaned_documents(files, settings)

    time_stages(fresh()[:2], settings)                        # warm-up: model and resources
    nlp = spacy.load(settings.nlp_model)
    base_docs = fresh()
    bodies = [d.body for d in base_docs] * args.repeat
    list(nlp.pipe(bodies[:2]))
    start = time.perf_counter()
    for _ in nlp.pipe(bodies, batch_size=settings.batch_size):
        pass
    spacy_seconds = time.perf_counter() - start

    totals: dict[str, float] = defaultdict(float)
    for _ in range(args.repeat):
        docs = [Document(raw=d.raw, meta=d.meta, body=d.body) for d in base_docs]
        for name, value in time_stages(docs, settings).items():
            totals[name] += value
    words = sum(len(b.split()) for b in bodies)
    rows = [("bare spaCy nlp.pipe", spacy_seconds, 100.0)]
    rows += [(name, value, 100.0 * value / spacy_seconds) for name, value in totals.items()]
    print(f"texts: {len(base_docs)} x {args.repeat}, words: {words:,}, model: {settings.nlp_model}")
    print_table(("step", "seconds", "% of nlp.pipe"), rows)
    coreference = totals["coreference (in actors)"]
    print(f"\nquotes + coreference add {100.0 * (totals['quotes'] + coreference) / spacy_seconds:.1f}% to bare "
          f"nlp.pipe ({totals['quotes']:.2f} s + {coreference:.2f} s over {spacy_seconds:.2f} s; limit 15%)")
    added = totals["quotes"] + totals["events"]
    print(f"\nquotes + events add {100.0 * added / spacy_seconds:.1f}% to bare nlp.pipe "
          f"({added:.2f} s over {spacy_seconds:.2f} s; limit 20%); all stages after nlp add "
          f"{100.0 * sum(v for k, v in totals.items() if not k.startswith('nlp')) / spacy_seconds:.1f}%")


if __name__ == "__main__":
    main()
