"""What the event coders know about one document while coding it (`Context`), and the one
function that builds it from a document (`build_context`)."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Token

from ...model import Actor, Document, Place, Quote, Timex
from ..gender import person_genders
from ..mentions import MentionIndex, possessive_determiners
from ..time import sets_narrative_time
from .lexicon import Lexicon, lexicon
from .triggers import TriggerHit, trigger_for

AUTHOR_KINDS = {"person", "organisation", "state"}
AUTHOR_PRONOUNS = {"we", "i", "us", "me"}


def dated(t: Timex) -> bool:
    return t.type in {"DATE", "TIME"} and bool(re.match(r"\d{4}", t.value))


def _span_root(sdoc: Doc, t: Timex) -> Token | None:
    span = sdoc.char_span(t.start, t.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


class RangeIndex:
    """Items with `start`/`end` offsets sorted by start, to read those starting in a range or
    covering a position without scanning the whole document (the stage stays linear in its
    length). Order among equal starts is the input order."""

    def __init__(self, items: list[Any]):
        self.items = sorted(items, key=lambda x: x.start)
        self.starts = [x.start for x in self.items]
        self.longest = max((x.end - x.start for x in self.items), default=0)

    def starting_in(self, start: int, end: int) -> list[Any]:
        """Items with start <= item.start < end, in order."""
        return self.items[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    def covering(self, pos: int) -> list[Any]:
        """Items with item.start <= pos < item.end, in order."""
        return [x for x in self.items[bisect_left(self.starts, pos - self.longest):bisect_right(self.starts, pos)]
                if pos < x.end]



@dataclass(frozen=True)
class Perpetrators:
    """The source of an attack coded earlier in the document, and where it was stated: "the
    attack" condemned later with no actor of its own is that attack."""
    position: int
    actors: list[str]


@dataclass
class Context:
    """What the stage knows about one document while coding it."""
    doc: Document
    sdoc: Doc
    mentions: MentionIndex
    actors: dict[str, Actor]
    timexes: list[Timex]
    places: list[Place]
    quotes: list[Quote]
    lex: Lexicon
    pairs: list[tuple[int, list[str]]] = field(default_factory=list)   # (position, actor ids) of "X and Y"
    attackers: list[Perpetrators] = field(default_factory=list)        # sources of the attacks coded so far

    def __post_init__(self) -> None:
        self.tokens = list(self.sdoc)   # one Token object per word, shared by the coders' passes over the text
        self._triggers: dict[int, TriggerHit | None] = {}
        self.timex_index = RangeIndex(self.timexes)
        self.place_index = RangeIndex(self.places)
        self.direct_quotes = RangeIndex([q for q in self.quotes if q.kind == "direct"])
        self.quote_positions = {id(q): n for n, q in enumerate(self.quotes)}
        self.quote_index = RangeIndex(self.quotes)
        self.quote_cues: dict[int, int] = {}
        for n, q in enumerate(self.quotes):
            if q.cue_start is not None:
                self.quote_cues.setdefault(q.cue_start, n)
        unquoted = [t for t in self.timex_index.items if dated(t) and self.quote_at(t.start) is None]
        self.narrative_days = sorted((t for t in unquoted if t.precision in {"day", "time"}
                                      and sets_narrative_time(t, _span_root(self.sdoc, t), self.doc.meta.published)),
                                     key=lambda t: t.end)
        self.narrative_day_ends = [t.end for t in self.narrative_days]
        self.full_dates = sorted((t for t in self.timex_index.items if dated(t) and len(t.value) >= 10), key=lambda t: t.end)
        self.full_date_ends = [t.end for t in self.full_dates]
        self.states: dict[str, list[Actor]] = {}
        for a in sorted(self.actors.values(), key=lambda a: (a.kind != "state", a.kind == "place", a.mentions[0].start)
                        if a.mentions else (True, True, 0)):
            if a.country and a.kind in {"state", "organisation", "place"} and a.sector == "GOV" and a.mentions:
                self.states.setdefault(a.country, []).append(a)
        self._top_city: Place | None | bool = False
        self._author: str | None | bool = False

    def author(self) -> str | None:
        """The actor a first person outside quotations stands for ("We condemn ...", "our
        condolences"): the author of the statement or release. The actor named as the
        document's outlet (`--outlet`, metadata), else its first named subject outside
        quotations that is a person, organisation or state (a release's issuing body or
        speaker: "The Foreign Ministry condemns ...", "Secretary Smith said ...")."""
        if self._author is False:
            self._author = self._find_author()
        return self._author  # type: ignore[return-value]

    def _find_author(self) -> str | None:
        outlet = " ".join((self.doc.meta.outlet or "").lower().split())
        if outlet:
            for actor in self.actors.values():
                names = {actor.name.lower(), *(" ".join(m.text.lower().split()) for m in actor.mentions)}
                if outlet in names:
                    return actor.id
        for tok in self.sdoc:
            if tok.dep_ not in {"nsubj", "nsubjpass"} or tok.lower_ in AUTHOR_PRONOUNS or self.quote_at(tok.idx):
                continue
            hit = self.mentions.holding(tok.idx)
            if hit is not None and hit.kind in AUTHOR_KINDS:
                return hit.actor
        return None

    def latest_attackers(self, before: int) -> list[str]:
        """The source of the latest attack with a named source coded before `before`."""
        return next((p.actors for p in reversed(self.attackers) if p.position < before), [])

    def timexes_in(self, start: int, end: int) -> list[Timex]:
        return self.timex_index.starting_in(start, end)

    def places_in(self, start: int, end: int) -> list[Place]:
        return self.place_index.starting_in(start, end)

    def last_narrative_day(self, before: int) -> Timex | None:
        """The latest dated timex of day or time precision outside quotations ending by `before`."""
        n = bisect_right(self.narrative_day_ends, before)
        return self.narrative_days[n - 1] if n else None

    def last_full_date(self, before: int) -> Timex | None:
        """The latest timex with a full date value ending by `before`."""
        n = bisect_right(self.full_date_ends, before)
        return self.full_dates[n - 1] if n else None

    def top_city(self) -> Place | None:
        """The document's most mentioned city (first mentioned among equals)."""
        if self._top_city is False:
            counts: dict[int | None, int] = {}
            for p in self.places:
                if p.kind == "toponym" and p.level in {"sub-city", "city", "district"}:
                    counts[p.geonameid] = counts.get(p.geonameid, 0) + 1
            top = max(counts, key=lambda g: counts[g]) if counts else None
            self._top_city = next(p for p in self.places if p.geonameid == top) if counts else None
        return self._top_city  # type: ignore[return-value]

    def state_of(self, iso3: str | None, exclude: set[str] = frozenset()) -> str | None:
        """The actor id of a country (its state actor first), if the document has one."""
        if not iso3:
            return None
        return next((a.id for a in self.states.get(iso3, ()) if a.id not in exclude), None)

    def trigger_at(self, tok: Token) -> TriggerHit | None:
        """`trigger_for` of a word of this document, worked out once."""
        if tok.i not in self._triggers:
            self._triggers[tok.i] = trigger_for(tok, self.lex)
        return self._triggers[tok.i]

    def quote_at(self, pos: int) -> Quote | None:
        return next(iter(self.direct_quotes.covering(pos)), None)

    def stating_quote(self, trigger: Token) -> int | None:
        """The position of the quote, direct or indirect, that states the event of a trigger:
        its content holds the trigger, or the trigger is its cue ("accused" in "X accused Y
        of ...")."""
        holding = [self.quote_positions[id(q)] for q in self.quote_index.covering(trigger.idx)]
        cue = self.quote_cues.get(trigger.idx)
        found = holding + ([cue] if cue is not None else [])
        return min(found) if found else None


def build_context(doc: Document, mentions: MentionIndex | None = None) -> Context:
    """The context of a document whose earlier layers are set. `mentions`: an index of its
    actor mentions the caller built (the verb-pattern coder's, with countries); by default one
    with the persons' genders, read as the quotes stage reads them ("she")."""
    from .arguments import collect_pairs   # arguments reads a Context; it does not build one

    if mentions is None:
        mentions = MentionIndex.build(doc.actors or [], possessive_determiners(doc.spacy_doc))
        mentions.genders = person_genders(doc.spacy_doc, mentions, doc.body or "")
    ctx = Context(doc, doc.spacy_doc, mentions, {a.id: a for a in doc.actors or []},
                  doc.timexes or [], doc.places or [], doc.quotes or [], lexicon())
    collect_pairs(ctx)
    return ctx
