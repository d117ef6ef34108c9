"""NLP stage: the spaCy pipeline, loaded once per process, run over bodies in batches.

Needs: body. Adds: spacy_doc. Unlike the other stages it runs a batch at a time
(`annotate`, called by the pipeline), because `nlp.pipe` is what makes spaCy fast.

A paragraph break always starts a sentence: a heading or a line with no closing punctuation
never runs into the next paragraph's sentence (the `newsledger_paragraphs` component sets
sentence starts before the parser, which respects them).
"""
from __future__ import annotations

from functools import cache
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import NewsledgerError
from ..model import Document
from ..settings import Settings

REQUIRED_PIPES = ("parser", "ner")


@Language.component("newsledger_paragraphs")
def paragraph_starts(doc: Doc) -> Doc:
    """Mark the first token after a line break as a sentence start."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            if not token.is_space:
                token.is_sent_start = True
    return doc


@cache
def load_pipeline(name: str) -> Language:
    """Load and check the spaCy pipeline `name` (English, spaCy 3.8, with parser and NER)."""
    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as err:
        raise NewsledgerError("E201", f"{name}: {str(err).splitlines()[0][:160]}") from None
    missing = [p for p in REQUIRED_PIPES if p not in nlp.pipe_names]
    version = str(nlp.meta.get("spacy_version", ""))
    if nlp.lang != "en" or missing or ("3.8" not in version and "3.7" not in version):
        raise NewsledgerError(
            "E202", f"{name}: lang={nlp.lang}, missing={missing or 'none'}, spacy_version={version}")
    nlp.add_pipe("newsledger_paragraphs", before="parser")
    return nlp


def annotate(docs: list[Document], settings: Settings, pipes: tuple[str, ...] | None = None) -> Iterable[Doc]:
    """spaCy Docs for the bodies of `docs`, in order. With `pipes`, only those components of the
    model run (and the paragraph component): the ones the stages to come will read."""
    nlp = load_pipeline(settings.nlp_model)
    skipped = [] if pipes is None else [p for p in nlp.pipe_names if p not in pipes and p != "newsledger_paragraphs"]
    return nlp.pipe((d.body for d in docs), batch_size=settings.batch_size, disable=skipped)

