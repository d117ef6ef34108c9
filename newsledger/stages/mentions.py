"""Actor mentions indexed by position, shared by the quotes and events stages: which actor
a stretch of text names, and the extent of a noun phrase."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import Iterable, NamedTuple

import numpy
from spacy.attrs import LEMMA, LOWER, POS, TAG
from spacy.parts_of_speech import IDS as UNIVERSAL_POS
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from ..model import Actor
from ..resources import load_yaml

PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}


def paragraph_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """The start and end of the paragraph (lines of `body`) holding the range start..end."""
    stop = body.find("\n", end)
    return body.rfind("\n", 0, start) + 1, len(body) if stop < 0 else stop


class Intervals:
    """Character ranges (start, end), to ask whether any covers a position or overlaps a range
    in logarithmic time instead of a scan of them all: sorted by start, with the furthest end
    reached so far at each, so the ranges may nest or overlap."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()):
        self.ranges = sorted(ranges)
        self.starts = [start for start, _ in self.ranges]
        self.reach = list(accumulate((end for _, end in self.ranges), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a range has range.start < end and start < range.end."""
        i = bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start

    def covers(self, pos: int) -> bool:
        """Whether a range has range.start <= pos < range.end."""
        return self.overlaps(pos, pos + 1)

    def contains(self, start: int, end: int) -> bool:
        """Whether a range has range.start <= start and end <= range.end."""
        i = bisect_right(self.starts, start)
        return i > 0 and self.reach[i - 1] >= end


def tokens_with(sdoc: Doc, pos: tuple[str, ...] = (), lemma: tuple[str, ...] = (),
                lower: tuple[str, ...] = ()) -> list[Token]:
    """The tokens of `sdoc` with one of the universal parts of speech `pos`, or one of the
    lemmas `lemma`, or spelled (lower-cased) as one of `lower`, in order. Found by one array
    pass: a long document makes Token objects only for them, not for every word."""
    columns = sdoc.to_array([POS, LEMMA, LOWER]).reshape(-1, 3)
    wanted = numpy.zeros(len(columns), dtype=bool)
    for column, values in ((0, [UNIVERSAL_POS[p] for p in pos]), (1, [get_string_id(w) for w in lemma]),
                           (2, [get_string_id(w) for w in lower])):
        if values:
            wanted |= numpy.isin(columns[:, column], numpy.array(values, dtype=numpy.uint64))
    return [sdoc[i] for i in numpy.flatnonzero(wanted).tolist()]


def possessive_determiners(sdoc: Doc) -> frozenset[tuple[int, int]]:
    """The character ranges of possessive determiners ("his", "her" before a noun, "its", "their":
    tag PRP$): linked by coreference, left out of the index (`MentionIndex.build`); an object
    "her" ("police arrested her") is a personal pronoun and stays in."""
    found = numpy.flatnonzero(sdoc.to_array(TAG) == _PRP_TAG).tolist()   # one array pass, not a Token per word
    return frozenset((t.idx, t.idx + len(t)) for t in map(sdoc.__getitem__, found))


_PRP_TAG = numpy.uint64(get_string_id("PRP$"))


class MentionSpan(NamedTuple):
    """One actor mention: its character range, the actor's id and kind."""
    start: int
    end: int
    actor: str
    kind: str


@dataclass
class MentionIndex:
    """Actor mentions sorted by start, to map a character range to an actor."""
    starts: list[int]
    spans: list[tuple[int, int, str, str]]   # start, end, actor id, actor kind
    genders: dict[str, str] = field(default_factory=dict)   # person actor id -> male / female, when known

    def __post_init__(self) -> None:
        self.longest = max((s[1] - s[0] for s in self.spans), default=0)   # bounds the search of `holding`

    @classmethod
    def build(cls, actors: list[Actor], possessives: frozenset[tuple[int, int]], keep_places: bool = False) -> "MentionIndex":
        """The mentions of `actors`, but for those that are a possessive determiner
        (`possessives`, from `possessive_determiners`: an owner, not the actor of the phrase it
        opens, which the stages read a mention inside a phrase as; they resolve a pronoun
        themselves); those of place actors only with `keep_places`."""
        spans = sorted(MentionSpan(m.start, m.end, a.id, a.kind) for a in actors
                       if keep_places or a.kind != "place" for m in a.mentions if (m.start, m.end) not in possessives)
        return cls([s[0] for s in spans], spans)

    def add(self, start: int, end: int, actor_id: str, kind: str) -> None:
        """Index one more mention (coreference adds them as it links)."""
        if kind == "place":
            return
        entry = MentionSpan(start, end, actor_id, kind)
        i = bisect_right(self.spans, entry)
        self.spans.insert(i, entry)
        self.starts.insert(i, start)
        self.longest = max(self.longest, end - start)     # `holding` searches back this far

    def remove(self, start: int, end: int, actor_id: str) -> None:
        """Forget one mention (coreference moves a mention to another actor)."""
        i = bisect_left(self.starts, start)
        while i < len(self.spans) and self.spans[i][0] == start:
            if self.spans[i][1] == end and self.spans[i][2] == actor_id:
                del self.spans[i]
                del self.starts[i]
                return
            i += 1

    def inside(self, start: int, end: int) -> list[tuple[int, int, str, str]]:
        i = bisect_right(self.starts, start - 1)
        out = []
        while i < len(self.spans) and self.spans[i][0] < end:
            if self.spans[i][1] <= end:
                out.append(self.spans[i])
            i += 1
        return out

    def holding(self, pos: int) -> tuple[int, int, str, str] | None:
        """The mention covering character `pos`."""
        i = bisect_right(self.starts, pos) - 1
        while i >= 0 and pos - self.longest <= self.spans[i][0] <= pos:
            if pos < self.spans[i][1]:
                return self.spans[i]
            i -= 1
        return None

    def overlapping(self, start: int, end: int) -> bool:
        """Whether any mention overlaps the range."""
        for j in range(bisect_right(self.starts, end - 1) - 1, -1, -1):
            s, e = self.spans[j][0], self.spans[j][1]
            if e > start:
                return True
            if s < start - 300:
                break
        return False

    def latest_person(self, pos: int, pronoun: str) -> tuple[int, int, str, str] | None:
        """The latest person mention before `pos` that a personal pronoun ("he", "her", "I") may
        refer to: not one known to be of the other gender (`genders`, filled by stages.gender)."""
        wanted = PRONOUN_GENDER.get(pronoun)
        other = {actor for actor, gender in self.genders.items() if wanted and gender != wanted}
        return self.latest_before(pos, {"person"}, other)

    def latest_before(self, pos: int, kinds: set[str], unless: set[str] = frozenset()) -> tuple[int, int, str, str] | None:
        """The latest mention ending before `pos` of an actor of one of `kinds`, skipping the
        actors in `unless`."""
        for span in self.backwards_from(pos):
            if span[3] in kinds and span[1] <= pos and span[2] not in unless:
                return span
        return None

    def backwards_from(self, pos: int):
        """The mentions starting at or before `pos`, latest first (a bisection, not a scan from
        the end of the document)."""
        for i in range(bisect_right(self.starts, pos) - 1, -1, -1):
            yield self.spans[i]


def phrase_range(token: Token, skip: frozenset[int] = frozenset()) -> tuple[int, int]:
    """Character range of a noun phrase: its subtree without clauses hanging off it, without
    punctuation at its edges, and without the tokens `skip` (by index)."""
    clauses = [c for c in token.children if c.dep_ in {"relcl", "acl", "ccomp", "advcl"}]
    skipped = {t.i for c in clauses for t in c.subtree} | skip
    words = [t for t in token.subtree if t.i not in skipped and not t.is_punct] or [token]
    left = min(t.idx for t in words)
    right = max(t.idx + len(t.text) for t in words)
    return left, right


@cache
def report_verbs() -> dict[str, frozenset[str]]:
    """Verbs that report what someone says, wants or judges through an object or an infinitive
    ("urged", "called for", "criticized", "wants"; data/report_verbs.yaml), each with the
    prepositions that belong to it as a cue ("call" -> for, on). Read by the quotes stage (what
    they report) and by coreference (their subject speaks)."""
    return {verb: frozenset(preps or ()) for verb, preps in load_yaml("report_verbs.yaml")["verbs"].items()}


@cache
def belief_verbs() -> frozenset[str]:
    """Verbs whose clause states what their subject knows, hopes or fears ("knows that ...";
    data/report_verbs.yaml, "belief_verbs"): the quotes stage reports the clause as it does a
    speech verb's (never the cue of a direct quotation); coreference makes their subject speak."""
    return frozenset(load_yaml("report_verbs.yaml")["belief_verbs"])


@cache
def quotation_verbs() -> frozenset[str]:
    """Verbs that frame a quotation as it is spoken or continued ("she continued", "he joked";
    data/report_verbs.yaml, "quotation_verbs"): the cue of a direct quotation only, never of a
    reported clause."""
    return frozenset(load_yaml("report_verbs.yaml")["quotation_verbs"])


@cache
def report_adjectives() -> dict[str, frozenset[str]]:
    """Adjectives that judge or fear what they report ("critical of", "worried about";
    data/report_verbs.yaml, "adjectives"), each with the prepositions that introduce the report."""
    return {adj: frozenset(preps or ()) for adj, preps in load_yaml("report_verbs.yaml")["adjectives"].items()}
