"""Events stage: PLOVER events with source, target, date, place, mode, context and modality.

Needs: body, spacy_doc, timexes, places, actors, quotes. Adds: events.

Two sibling coders find the acts, over one shared `Context` (context.py) and one set of
event attributes (attributes.py: date, place, modality, contexts, casualties, evidence,
confidence):
- the lexicon coder (lexicon_coder.py), by default: triggers of the packaged lexicon
  (data/event_lexicon.yaml, triggers.py), arguments from the dependency parse
  (arguments.py, syntax.py);
- the user verb-pattern coder (verbpatterns.py), when the setting `verb_pattern_files` names
  PETRARCH/TABARI verb dictionaries: those alone then decide which verbs are events.
The packaged resources (lexicon, content word lists of data/event_words.yaml) are loaded
once per process (lexicon.py).
"""
from __future__ import annotations

from ...model import Document, Event
from ...settings import Settings
from .. import Stage
from . import lexicon_coder, verbpatterns
from .attributes import casualties
from .lexicon import event_words, lexicon

__all__ = ["STAGE", "run", "casualties", "event_words", "lexicon"]


def run(doc: Document, settings: Settings) -> list[Event]:
    if settings.verb_pattern_files:  # a user PETRARCH/TABARI verb dictionary alone decides
        return verbpatterns.code_events(doc, settings)
    return lexicon_coder.code_events(doc, settings)


STAGE = Stage("events", needs=("body", "spacy_doc", "timexes", "places", "actors", "quotes"),
              adds="events", item_type=Event, run=run)
