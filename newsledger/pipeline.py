"""Composes the stages, batches documents through spaCy, and records per-document failures.

    ingest -> clean -> nlp -> time -> places -> actors -> quotes -> events

For a long body, a stage outside the chain of layers (time: only events reads it) runs aside
in a forked child while the others go on (`newsledger.aside`).

`settings.last_stage` can end the run early (a dates-only run stops after time); spaCy then runs
only the components the selected stages declare they read.

Every stage is declared in `newsledger.stages` (what it needs, what it adds); `check_inputs`
and `store_layer` check both (here or for a stage run aside), so a stage cannot silently skip a layer or hand back the wrong kind of value.
A document that fails becomes a `Failure` with the stage and reason; the batch goes on.
"""
from __future__ import annotations

import gc
import logging
import threading
from contextlib import contextmanager
from typing import Iterable, Iterator

from .actordict import default_dictionary
from .aside import Aside, worth_running_aside
from .cameomap import cameo_map
from .errors import NewsledgerError
from .model import Document, Failure, Meta
from .parallel import batches
from .settings import Settings
from .stages import Stage, actors, clean, events, nlp, places, quotes, time
from .verbdict import load_verb_dictionaries

log = logging.getLogger(__name__)

# After clean and the batched spaCy pass (`nlp.annotate`), in order.
DOCUMENT_STAGES: tuple[Stage, ...] = (time.STAGE, places.STAGE, actors.STAGE, quotes.STAGE, events.STAGE)


# While the stages run on a document, the cyclic collector looks at the young objects after this
# many new ones instead of Python's 700, and at older ones as rarely: the stages make hundreds
# of thousands of short-lived objects per long report (spaCy Tokens, spans, candidates) that
# reference counting frees, and at the default the collector took about a tenth of their time
# on a 300k-character report (0.08 s instead of 1.2 s with these; `benchmarks/hostile.py --stage-table`).
STAGE_GC_THRESHOLDS = (20_000, 50, 50)


_collections = threading.Lock()
_raised: list[tuple[int, ...]] = []   # the thresholds before, once per body running with them raised


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the body with `STAGE_GC_THRESHOLDS`; the thresholds before are restored when the
    last body running with them ends (threads of one worker may run documents at once)."""
    with _collections:
        _raised.append(_raised[0] if _raised else gc.get_threshold())
        gc.set_threshold(*STAGE_GC_THRESHOLDS)
    try:
        yield
    finally:
        with _collections:
            before = _raised.pop()
            if not _raised:
                gc.set_threshold(*before)


def selected_stages(settings: Settings) -> tuple[Stage, ...]:
    """The document stages up to and including `settings.last_stage`."""
    names = [stage.name for stage in DOCUMENT_STAGES]
    if settings.last_stage not in names:
        raise NewsledgerError("E203", f"last_stage must be one of {', '.join(names)}, not {settings.last_stage!r}")
    return DOCUMENT_STAGES[:names.index(settings.last_stage) + 1]


def spacy_pipes(stages: Iterable[Stage]) -> tuple[str, ...] | None:
    """The spaCy components the stages read; None when one of them reads them all."""
    needed: set[str] = set()
    for stage in stages:
        if stage.spacy_pipes is None:
            return None
        needed.update(stage.spacy_pipes)
    return tuple(sorted(needed))


def check_inputs(stage: Stage, doc: Document) -> None:
    """Whether `doc` holds what `stage` needs and not yet what it adds."""
    missing = [n for n in stage.needs if getattr(doc, n) is None]
    if missing:
        raise NewsledgerError("E301", f"{stage.name} needs {', '.join(missing)}")
    if getattr(doc, stage.adds) is not None:
        raise NewsledgerError("E301", f"{stage.name} would overwrite {stage.adds}")


def store_layer(stage: Stage, doc: Document, layer: object) -> None:
    """Check the layer `stage` returned and set it on `doc`."""
    if stage.item_type is not None:
        if not isinstance(layer, list) or not all(isinstance(x, stage.item_type) for x in layer):
            raise NewsledgerError("E302", f"{stage.name} must return a list of {stage.item_type.__name__}")
    elif layer is None:
        raise NewsledgerError("E302", f"{stage.name} returned nothing")
    setattr(doc, stage.adds, layer)


def run_stage(stage: Stage, doc: Document, settings: Settings) -> None:
    """Run one stage on one document, checking its declared inputs and output."""
    check_inputs(stage, doc)
    store_layer(stage, doc, stage.run(doc, settings))


def run_stages(stages: tuple[Stage, ...], doc: Document, settings: Settings) -> Failure | None:
    """Run the document stages on `doc` in order; for a long body, a stage whose layer the next
    stage does not read runs aside in a forked child (`newsledger.aside`) and its layer is stored
    before the first stage that reads it. The failure returned is that of the first stage, in
    the order of `stages`, that failed: the one a run in one process would report."""
    pending: list[Aside] = []
    for k, stage in enumerate(stages):
        for aside in [a for a in pending if a.stage.adds in stage.needs]:
            pending.remove(aside)
            try:
                store_layer(aside.stage, doc, aside.take())
            except Exception as err:  # noqa: BLE001 - recorded as this document's failure
                return _stopped(pending, _failure(doc, aside.stage.name, err))
        try:
            check_inputs(stage, doc)
            aside = (Aside.start(stage, doc, settings)
                     if not pending and worth_running_aside(stage, stages[k + 1:], doc, settings) else None)
            if aside is not None:
                pending.append(aside)
            else:
                store_layer(stage, doc, stage.run(doc, settings))
        except Exception as err:  # noqa: BLE001 - an earlier stage running aside may have failed first
            for aside in pending:
                try:
                    aside.take()
                except Exception as earlier:  # noqa: BLE001
                    return _stopped(pending, _failure(doc, aside.stage.name, earlier))
            return _failure(doc, stage.name, err)
    for aside in pending:   # no stage read its layer: stored at the end
        try:
            store_layer(aside.stage, doc, aside.take())
        except Exception as err:  # noqa: BLE001
            return _stopped(pending, _failure(doc, aside.stage.name, err))
    return None


def _stopped(pending: list[Aside], failure: Failure) -> Failure:
    """`failure`, once the children still running aside are stopped."""
    for aside in pending:
        aside.stop()
    return failure


def _failure(doc: Document, stage: str, err: Exception) -> Failure:
    if isinstance(err, NewsledgerError):
        return Failure(doc.meta.source, err.code, err.message, stage)
    log.debug("stage %s failed on %s", stage, doc.meta.source, exc_info=True)
    return Failure(doc.meta.source, "E301", f"{stage}: {type(err).__name__}: {err}", stage)


def run_batch(batch: list[Document | Failure], settings: Settings) -> list[Document | Failure]:
    """Process one batch; the result keeps the input order, failures in place."""
    results: list[Document | Failure] = list(batch)
    ready: list[int] = []
    for i, item in enumerate(batch):
        if isinstance(item, Failure):
            continue
        try:
            run_stage(clean.STAGE, item, settings)
            ready.append(i)
        except Exception as err:  # one bad document never stops the batch
            results[i] = _failure(item, "clean", err)
    docs = [results[i] for i in ready]
    stages = selected_stages(settings)
    for i, spacy_doc in zip(ready, nlp.annotate(docs, settings, spacy_pipes(stages))):  # type: ignore[arg-type]
        doc = results[i]
        if isinstance(spacy_doc, NewsledgerError):  # spaCy failed on this document alone
            results[i] = _failure(doc, "nlp", spacy_doc)  # type: ignore[arg-type]
            continue
        doc.spacy_doc = spacy_doc  # type: ignore[union-attr]
        with fewer_collections():
            failure = run_stages(stages, doc, settings)  # type: ignore[arg-type]
        if failure is not None:
            results[i] = failure
    return results


def prepare(settings: Settings) -> None:
    """Load, once per process, what every batch needs: fails fast if the model or a resource is
    unusable (a bad user verb dictionary or CAMEO map fails here, up front)."""
    selected_stages(settings)
    nlp.load_pipeline(settings.nlp_model)
    default_dictionary(tuple(settings.actor_files), settings.actor_fuzzy_threshold)
    if settings.verb_pattern_files:
        load_verb_dictionaries(tuple(settings.verb_pattern_files))
    cameo_map(settings.cameo_map_file)


# A short report of our own: run once through the stages, it makes them load what they load on
# first use (the gazetteer's index, word lists, patterns) before the first real document.
WARM_UP_TEXT = ("Police in the capital arrested two protesters on Monday, the interior minister of France "
                "said in a statement. \"We welcome the talks,\" he told reporters, adding that the men "
                "were later released.")


def warm_up(settings: Settings) -> None:
    """Load the pipeline for `settings` (a setup error is raised, with its code) and run the
    warm-up report through its stages (a server before it listens, a fork server before it forks)."""
    prepare(settings)
    run_batch([Document(raw=WARM_UP_TEXT, meta=Meta(source="warm-up"))], settings)


def process(items: Iterable[Document | Failure], settings: Settings) -> Iterator[Document | Failure]:
    """Stream documents through the pipeline in batches of `settings.batch_size`.
    Memory holds one batch at a time; processed documents drop their spaCy Doc."""
    prepare(settings)
    for batch in batches(items, settings.batch_size):
        for result in run_batch(batch, settings):
            if isinstance(result, Document):
                result.spacy_doc = None
            yield result

