"""NLP stage: the spaCy pipeline, loaded once per process, run over bodies in batches.

Needs: body. Adds: spacy_doc. Unlike the other stages it runs a batch at a time
(`annotate`, called by the pipeline), because `nlp.pipe` is what makes spaCy fast.

A paragraph break always starts a sentence: a heading or a line with no closing punctuation
never runs into the next paragraph's sentence (the `newsledger_paragraphs` component sets
sentence starts before the parser, which respects them).

Long bodies are parsed in pieces: a body longer than `CHUNK_CHARS` is cut at paragraph
breaks (else line breaks, else sentence ends, else spaces, else anywhere) into pieces of at
most `CHUNK_CHARS` characters, each piece is parsed, and `Doc.from_docs` joins them back into
one Doc whose text is the body itself, so every offset still indexes into the body. spaCy's
own length limit (1,000,000 characters) is never reached, memory stays that of one piece, and
the parser's cost grows linearly with the length of the body.

A body of at least `SPREAD_MIN_CHARS` characters has its pieces parsed on
`settings.nlp_processes` processes: this one parses the first share of the pieces while forked
children (which inherit the loaded model, so they start in milliseconds) parse the others and
send them back as `Doc.to_bytes`; the joined Doc is the one a single process makes (tested).
Only the parse is spread: every stage after it sees the whole document. A process that is
itself a pool's worker (`ingest --workers`, a Dask worker) parses alone: the cores are
already spread across documents there.

One document the pipeline cannot handle never takes its batch down: `annotate` yields, in
order, a Doc or the `NewsledgerError` (E301) of that document alone.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import re
import time
from functools import cache
from pathlib import Path
from typing import Iterator, NamedTuple

import numpy
import spacy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import NewsledgerError
from ..model import Document
from ..settings import Settings

log = logging.getLogger(__name__)

REQUIRED_PIPES = ("parser", "ner")
# The longest piece of a body spaCy parses at once (characters); a paragraph is rarely longer.
CHUNK_CHARS = 20_000
# About how many characters spaCy parses at once (one minibatch of `nlp.pipe`): the parser's
# memory grows with it, so a batch of long pieces goes through in fewer texts at a time.
PIPE_BATCH_CHARS = 100_000
# Where a long body may be cut, best first: after a paragraph break, after a line break, after
# the end of a sentence, after any whitespace. The cut keeps the separator with the piece before.
LINE_BREAK = re.compile(r"\n")
# A body at least this long has its pieces parsed on several processes (`settings.nlp_processes`):
# below it, starting a child and sending its Docs back would cost more than it saves.
SPREAD_MIN_CHARS = 200_000
# What a parsed piece sends back from a child: no tensor (no stage reads it), no user data.
TRANSFER_EXCLUDE = ("tensor", "user_data")
CUT_POINTS = (re.compile(r"\n\s*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)]*\s+"), re.compile(r"\s+"))


@Language.component("newsledger_paragraphs")
def paragraph_starts(doc: Doc) -> Doc:
    """Mark the first token after a line break as a sentence start.

    The tokens are found from the line breaks of the text (a bisection of the token offsets
    for each), not by visiting every token: the component's cost follows the number of lines."""
    if len(doc) < 2:
        return doc
    offsets = doc.to_array(IDX)
    breaks = [m.start() for m in LINE_BREAK.finditer(doc.text)]
    # the token whose text or trailing whitespace holds the break, then the one after it
    following = set((numpy.searchsorted(offsets, breaks, side="right")).tolist())
    for i in sorted(following):
        if 0 < i < len(doc) and not doc[i].is_space:
            doc[i].is_sent_start = True
    return doc


def disabled_by_default(name: str) -> list[str]:
    """The components the meta.json of the pipeline `name` (a package or a folder) lists as
    disabled (`senter` in spaCy's trained English pipelines): spaCy would load them and never
    run them, so they are left out at load (a tenth of a second). [] when it cannot be read."""
    try:
        path = Path(name) if Path(name).is_dir() else spacy.util.get_package_path(name)
        disabled = json.loads((path / "meta.json").read_text("utf-8")).get("disabled")
    except Exception:  # noqa: BLE001 - an unreadable meta only means loading them too; spacy.load reports the rest
        return []
    return [p for p in disabled if isinstance(p, str)] if isinstance(disabled, list) else []


@cache
def load_pipeline(name: str) -> Language:
    """Load and check the spaCy pipeline `name` (English, spaCy 3.8, with parser and NER),
    without the components it never runs (`disabled_by_default`)."""
    try:
        nlp = spacy.load(name, exclude=disabled_by_default(name))
    except (OSError, ImportError) as err:
        raise NewsledgerError("E201", f"{name}: {str(err).splitlines()[0][:160]}") from None
    missing = [p for p in REQUIRED_PIPES if p not in nlp.pipe_names]
    version = str(nlp.meta.get("spacy_version", ""))
    if nlp.lang != "en" or missing or ("3.8" not in version and "3.7" not in version):
        raise NewsledgerError(
            "E202", f"{name}: lang={nlp.lang}, missing={missing or 'none'}, spacy_version={version}")
    nlp.add_pipe("newsledger_paragraphs", before="parser")
    return nlp


def _cut(text: str, start: int, limit: int) -> int:
    """The end of the piece of `text` that starts at `start`: at most `limit` characters on,
    at the last cut point of the best kind found in that window."""
    window_end = start + limit
    if window_end >= len(text):
        return len(text)
    window = text[start:window_end]
    for pattern in CUT_POINTS:
        ends = [m.end() for m in pattern.finditer(window) if m.end() < len(window)]
        if ends:
            return start + ends[-1]
    return window_end


def split_chunks(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """`text` cut into pieces of at most `limit` characters, best at paragraph breaks; the
    pieces joined are `text` again. Linear in the length of `text`."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = _cut(text, start, limit)
        pieces.append(text[start:end])
        start = end
    return pieces or [text]


def _joined(pieces: list[Doc], text: str) -> Doc:
    """One Doc from the parsed pieces of `text`, its text exactly `text` (offsets kept)."""
    if len(pieces) == 1:
        return pieces[0]
    doc = Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor"])
    if doc.text != text:  # a contract of Doc.from_docs; checked because every offset relies on it
        raise NewsledgerError("E301", "nlp: the parsed pieces of a long body do not join back into it")
    return doc


def _pipe(nlp: Language, pieces: list[str], batch_size: int, skipped: list[str]) -> Iterator[Doc]:
    """`nlp.pipe` over `pieces`, as many at a time as make about PIPE_BATCH_CHARS characters."""
    mean_chars = max(1, sum(map(len, pieces)) // max(1, len(pieces)))
    return nlp.pipe(pieces, batch_size=max(1, min(batch_size, PIPE_BATCH_CHARS // mean_chars)), disable=skipped)


class ParsedShare(NamedTuple):
    """What a child sends back: its pieces parsed (`Doc.to_bytes`), when it began (monotonic
    clock, to measure its start-up) and the CPU seconds it spent."""
    docs: list[bytes]
    began: float
    cpu_seconds: float


def _parse_share(model: str, pieces: list[str], batch_size: int, skipped: list[str]) -> ParsedShare:
    """In a forked child: parse `pieces` with the model the parent had loaded."""
    began, cpu = time.monotonic(), time.process_time()
    nlp = load_pipeline(model)
    docs = [doc.to_bytes(exclude=TRANSFER_EXCLUDE) for doc in _pipe(nlp, pieces, batch_size, skipped)]
    return ParsedShare(docs, began, time.process_time() - cpu)


def shares(pieces: list[str], count: int) -> list[list[str]]:
    """`pieces` in `count` consecutive runs of about equal characters (some may be empty)."""
    total = sum(map(len, pieces))
    runs: list[list[str]] = [[] for _ in range(count)]
    done = 0
    for piece in pieces:
        runs[min(count - 1, done * count // max(1, total))].append(piece)
        done += len(piece)
    return runs


def _parse_spread(nlp: Language, model: str, pieces: list[str], batch_size: int, skipped: list[str],
                  processes: int) -> list[Doc]:
    """The parsed `pieces`, in order: the first share parsed here, the others in forked children."""
    own, *others = shares(pieces, processes)
    started = time.monotonic()
    with multiprocessing.get_context("fork").Pool(len(others)) as pool:
        pending = [pool.apply_async(_parse_share, (model, share, batch_size, skipped)) for share in others]
        docs = list(_pipe(nlp, own, batch_size, skipped))
        waited = time.monotonic()
        for result in pending:
            share = result.get()
            docs.extend(Doc(nlp.vocab).from_bytes(data, exclude=TRANSFER_EXCLUDE) for data in share.docs)
            log.debug("nlp: %d pieces parsed in a child: start-up %.3f s, CPU %.1f s",
                      len(share.docs), share.began - started, share.cpu_seconds)
        log.debug("nlp: %d pieces on %d processes, %.1f s waiting for the children and reading their Docs",
                  len(pieces), processes, time.monotonic() - waited)
    return docs


def spread_processes(settings: Settings) -> int:
    """How many processes may parse the pieces of one long body: `settings.nlp_processes`, or 1
    in a process that is itself a worker of a pool (the cores are spread across documents there)."""
    if multiprocessing.parent_process() is not None or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return settings.nlp_processes


def _parse(nlp: Language, texts: list[str], batch_size: int, skipped: list[str],
           model: str = "", processes: int = 1) -> list[Doc]:
    """Docs for `texts`, each parsed in pieces of at most CHUNK_CHARS characters; the pieces of
    a body of SPREAD_MIN_CHARS or more on `processes` processes."""
    pieces = [split_chunks(text, CHUNK_CHARS) for text in texts]
    spread = [processes > 1 and len(text) >= SPREAD_MIN_CHARS and len(doc_pieces) > 1
              for doc_pieces, text in zip(pieces, texts)]
    parsed = iter(_pipe(nlp, [piece for doc_pieces, alone in zip(pieces, spread) if not alone
                              for piece in doc_pieces], batch_size, skipped))
    return [_joined(_parse_spread(nlp, model, doc_pieces, batch_size, skipped, processes) if alone
                    else [next(parsed) for _ in doc_pieces], text)
            for doc_pieces, text, alone in zip(pieces, texts, spread)]


def annotate(docs: list[Document], settings: Settings,
             pipes: tuple[str, ...] | None = None) -> Iterator[Doc | NewsledgerError]:
    """spaCy Docs for the bodies of `docs`, in order, or for a document spaCy fails on, its
    error (E301). With `pipes`, only those components of the model run (and the paragraph
    component): the ones the stages to come will read."""
    nlp = load_pipeline(settings.nlp_model)
    skipped = [] if pipes is None else [p for p in nlp.pipe_names if p not in pipes and p != "newsledger_paragraphs"]
    texts = [d.body or "" for d in docs]
    processes = spread_processes(settings)
    try:
        yield from _parse(nlp, texts, settings.batch_size, skipped, settings.nlp_model, processes)
        return
    except Exception:  # noqa: BLE001 - find the document at fault, parse the others
        pass
    for text in texts:
        try:
            yield _parse(nlp, [text], settings.batch_size, skipped, settings.nlp_model, processes)[0]
        except NewsledgerError as err:
            yield err
        except Exception as err:  # noqa: BLE001 - this document's failure, not the batch's
            yield NewsledgerError("E301", f"nlp: {type(err).__name__}: {' '.join(str(err).split())[:200]}")

