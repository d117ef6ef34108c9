"""The stages. Each per-document stage module exposes `STAGE`, a `Stage` declaring what it
needs and adds, and its `run(doc, settings)` returning that layer; `newsledger.pipeline`
registers them in order. `nlp.py` runs spaCy over a whole batch (`annotate`) instead.
`mentions.py` is not a stage: it indexes actor mentions for the quotes and events stages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Stage:
    name: str
    needs: tuple[str, ...]            # Document attributes that must be set before it runs
    adds: str                         # the Document attribute it sets
    item_type: type | None            # the type of each item of a list layer (None: not a list)
    run: Callable[..., Any]           # run(doc, settings) -> layer
    spacy_pipes: tuple[str, ...] | None = None   # spaCy components whose output it reads; None: all
