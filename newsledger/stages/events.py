"""Events stage: PLOVER events with source, target, date, place, mode, context and modality.

Needs: body, spacy_doc, timexes, places, actors, quotes. Adds: events.

Triggers come from the packaged lexicon (`data/event_lexicon.yaml`): verbs, adjectives
("critical of") and event nouns ("talks", "attack"); a verb's object can make it another act
("captured the town" ASSAULT, "captured the commander" COERCE), and an event noun is performed
by the subject of the light or state verb it is the object of ("staged a protest", "remained on
alert"). Arguments come from the dependency parse:
source = subject (or passive agent, or the controller of an infinitive), target = object or
the object of a preposition the trigger names, the author of an object proposal or demand
("rejected an offer from X"), whoever is told to act ("demanded that X ..."), the target of
the act a threat, refusal, promise or protest's purpose names ("threatened to cut off
electricity to X") or the subject of a threat's if/unless clause, else the state
of a place the act is directed at ("attacked Kabul" -> Afghanistan, as CAMEO and the PLOVER
gold standard code it); nouns take possessors, compounds, "by", "from", "between X and Y".
Argument phrases map to actors through their mentions; pronouns, "the country" and
reciprocal "both sides" resolve to earlier actors. Two further rules code
speech acts: a statement "about X" in critical words is ACCUSE, and a speech verb whose
complement says X "must"/"should" is REQUEST.

Each event's date comes from, in order: a timex in its own clause; one in its sentence; for an
event inside a quotation, the quote's attribution sentence; an offset from the narrative
anchor ("more than a week after"); the latest dated sentence before it (narrative anchor);
the publication date. `date.anchor` says which one was used.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span as SpacySpan, Token

from .. import gazetteer
from ..model import Actor, Document, Event, EventDate, EventPlace, Place, Quote, Span, Timex
from ..resources import load_yaml
from ..settings import Settings
from . import Stage
from .gender import person_genders
from .mentions import MentionIndex, paragraph_bounds, phrase_range

PRONOUN_WORDS = {"we", "us", "our", "i", "me", "my", "he", "she", "him", "her", "his", "they", "them", "their", "it", "its"}
PLACE_ENTITIES = {"GPE", "LOC", "FAC"}
LOCATIVE_PREPS = {"in", "at", "near", "inside", "outside", "across", "around", "throughout", "within", "into", "from"}
SPAN_MODS = {"ON_OR_AFTER", "AFTER", "BEFORE", "ON_OR_BEFORE"}  # "since 2021": not the day of an event
MATERIAL_TYPES = {"ASSAULT", "COERCE", "MOBILIZE"}  # coded even when the perpetrator is unnamed
LIGHT_VERBS = {"hold", "launch", "conduct", "stage", "carry", "have", "begin", "start", "continue", "resume", "mount",
               "claim", "undertake", "renew", "complete", "reach", "impose", "declare", "make", "give", "open",
               "announce", "order", "pay", "lead", "organise", "organize", "step", "intensify", "end", "issue", "lodge",
               "file", "register", "reimpose", "extend", "tighten", "reiterate", "repeat", "speed", "accelerate",
               "hasten", "expedite", "finish", "join"}
STATE_VERBS = {"be", "remain", "stay", "go", "engage", "participate", "converge", "gather", "assemble", "return", "arrive",
               "come", "put", "place", "keep"}  # "remained on alert", "engaged in ethnic cleansing", "gathered for a rally": its subject acts
STATE_PREPS = {"on", "in", "for"}
ENDING_VERBS = {"end", "halt", "suspend", "stop", "abandon", "terminate"}
EXERCISE_NOUNS = {"exercise", "game", "drill", "manoeuvre", "maneuver"}
MEASURE_NOUNS = {"day", "week", "month", "hour", "round", "series", "wave", "spate", "string", "campaign", "kind"}
STATEMENT_NOUNS = {"declaration", "statement", "communique", "communiqué", "resolution", "appeal", "letter", "decree",
                   "note", "message", "ultimatum", "call"}
DIPLOMATIC_PROTEST_VERBS = {"lodge", "file", "register", "deliver"}  # "lodged a protest with X" is ACCUSE
FALLBACK_TARGET_PREPS = ("to", "with", "against", "toward", "towards", "at", "on")
AIMED_PREPS = ("against", "on", "to")  # "a war against X", "restrictions on X", "electricity to X"
STANCE_NOUNS = {"defiance", "solidarity", "support", "opposition", "response", "retaliation", "reprisal", "protest"}
STANCE_PREPS = ("of", "with", "to", "for", "against", "at")  # "in defiance of X", "in retaliation for X's raid"
GOVERNING_TYPES = {"AGREE", "REQUEST", "REJECT", "THREATEN"}  # "agreed to withdraw" is one AGREE
TEMPORAL_PREPS = {"after", "before", "following", "during", "since", "until", "amid"}
OTHER_PHRASE_DEPS = {"nsubj", "nsubjpass", "csubj", "conj", "relcl", "advcl", "parataxis", "appos"}  # not its own phrase
HOSTILE_TYPES = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"}  # announced ones are THREATEN
INTENT_TYPES = {"CONSULT", "SUPPORT", "AID", "COOPERATE"}  # future ones are AGREE (manual 3.1)
ACTING_ON_OTHERS = {"REQUEST", "CONCEDE", "COERCE"}  # "urged/allowed/forced X to ...": X is the target
YIELDING_TYPES = {"RETREAT", "CONCEDE"}  # future ones are CONCEDE (manual 3.1.1, 3.7.2); refused ones REJECT
YIELDED_TO = ("demand", "demands", "conditions", "terms", "ultimatum")  # accepting these is CONCEDE
NON_MILITARY_RESOURCES = {"inspectors", "observers", "monitors", "diplomats", "ambassador", "envoy", "staff",
                          "workers", "aid", "peacekeepers", "personnel", "mission", "embassy", "experts",
                          "inspector", "observer", "monitor", "diplomat", "worker", "peacekeeper", "expert"}
RECIPROCALS = re.compile(r"\b(?:both sides|the two sides|both countries|the two countries|both parties|the two|each other|both)\b", re.I)
CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "acl"}
LEVEL_RANK = {"sub-city": 0, "city": 1, "district": 2, "province": 3, "country": 4}
PLACE_PREPS = {"in", "at", "near", "outside", "inside", "across", "on", "into", "to"}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "dozens": 24, "hundreds": 200}
COUNT_RE = re.compile(
    r"(?:(?P<verb>killed|killing|kills|wounded|wounding|injured|injuring|left)\s+(?:at least |more than |about |some |nearly |over |around )?"
    r"(?P<n1>\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|dozens|hundreds)\b"
    r"(?:\s+[\w.'-]+){0,3}?(?:\s+(?P<state>dead|injured|wounded))?)"
    r"|(?:(?P<n2>\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen)\s+(?:[\w.'-]+\s+){0,3}?"
    r"(?:were\s+|have been\s+|had been\s+)?(?P<verb2>killed|dead|died|wounded|injured))", re.I)


@dataclass(frozen=True)
class Trigger:
    type: str
    cameo: str
    mode: str | None = None
    targets: tuple[str, ...] = ()
    requires_xcomp: bool = False
    requires_object: tuple[str, ...] = ()
    requires_object_actor: bool = False
    particle: tuple[str, ...] = ()
    particle_absent: tuple[str, ...] = ()
    needs_modifier: tuple[str, ...] = ()
    theme_object: bool = False       # the object is what is moved or given, not the target
    by_object: tuple[tuple[frozenset[str], "Trigger"], ...] = ()  # object words that make it another act
    needs_support_verb: str | None = None  # nouns: only after a "light" verb ("conducted patrols") or a "state" one ("on alert")


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, Trigger]
    adjectives: dict[str, Trigger]
    nouns: dict[str, Trigger]
    speech_verbs: frozenset[str]
    critical_words: frozenset[str]
    future_governors: frozenset[str]
    hypothetical_markers: frozenset[str]
    hypothetical_modals: frozenset[str]
    future_modals: frozenset[str]
    contexts: dict[str, tuple[str, ...]]


def _trigger(spec: dict[str, Any], classes: dict[str, frozenset[str]]) -> Trigger:
    inherited = {k: v for k, v in spec.items() if k in {"targets", "theme_object", "particle", "particle_absent"}}
    by_object = tuple((classes[name], _trigger({**inherited, **alt}, classes))
                      for name, alt in spec.get("by_object", {}).items())
    return Trigger(
        spec["type"], str(spec["cameo"]), spec.get("mode"), tuple(spec.get("targets", ())),
        bool(spec.get("requires_xcomp")), tuple(w for x in spec.get("requires_object", ()) for w in classes.get(x, (x,))),
        bool(spec.get("requires_object_actor")), tuple(spec.get("particle", ())),
        tuple(spec.get("particle_absent", ())), tuple(spec.get("needs_modifier", ())),
        bool(spec.get("theme_object")), by_object, spec.get("needs_support_verb"))


@cache
def lexicon() -> Lexicon:
    data = load_yaml("event_lexicon.yaml")
    classes = {k: frozenset(v) for k, v in data["object_classes"].items()}
    bad = sorted(w for words in classes.values() for w in words if w != w.lower() or " " in w or "-" in w)
    if bad:  # has_object compares one lower-cased token
        raise ValueError(f"event_lexicon.yaml: object class words must be one lower-case token: {bad}")
    return Lexicon(
        {k: _trigger(v, classes) for k, v in data["verbs"].items()},
        {k: _trigger(v, classes) for k, v in data["adjectives"].items()},
        {k: _trigger(v, classes) for k, v in data["nouns"].items()},
        frozenset(data["speech_verbs"]), frozenset(data["critical_words"]),
        frozenset(data["future_governors"]), frozenset(data["hypothetical_markers"]),
        frozenset(data["hypothetical_modals"]), frozenset(data["future_modals"]),
        {k: tuple(v) for k, v in data["contexts"].items()})


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

    def __post_init__(self) -> None:
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
        self.narrative_days = sorted((t for t in unquoted if t.precision in {"day", "time"}), key=lambda t: t.end)
        self.narrative_day_ends = [t.end for t in self.narrative_days]
        self.full_dates = sorted((t for t in self.timex_index.items if dated(t) and len(t.value) >= 10), key=lambda t: t.end)
        self.full_date_ends = [t.end for t in self.full_dates]
        self.states: dict[str, list[Actor]] = {}
        for a in sorted(self.actors.values(), key=lambda a: (a.kind != "state", a.kind == "place", a.mentions[0].start)
                        if a.mentions else (True, True, 0)):
            if a.country and a.kind in {"state", "organisation", "place"} and a.sector == "GOV" and a.mentions:
                self.states.setdefault(a.country, []).append(a)
        self._top_city: Place | None | bool = False

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


# ---------------------------------------------------------------- arguments

def resolve_pronoun(tok: Token, ctx: Context, speaker: str | None, source: list[str]) -> list[str]:
    low = tok.lower_
    if low in {"we", "us", "our", "i", "me", "my"}:
        return [speaker] if speaker else []
    if low in {"he", "she", "him", "her", "his"}:
        hit = ctx.mentions.latest_person(tok.idx, low)
        return [hit[2]] if hit else []
    if low in {"they", "them", "their", "it", "its"}:
        speaker_country = ctx.actors[speaker].country if speaker in ctx.actors else None
        taken = set(source) | ({speaker} if speaker else set())
        before = tok.idx if ctx.quote_at(tok.idx) is None else ctx.quote_at(tok.idx).start  # type: ignore[union-attr]
        pos = before
        while True:
            hit = ctx.mentions.latest_before(pos, {"state", "organisation", "group"})
            if hit is None:
                return []
            actor = ctx.actors[hit[2]]
            if hit[2] not in taken and actor.country and actor.country != speaker_country:
                return [hit[2]]
            pos = hit[0] - 1
    return []


def actors_of(tok: Token | None, ctx: Context, speaker: str | None = None, source: list[str] = ()) -> list[str]:
    """Actor ids named by an argument token and its conjuncts ("the US and Pakistan"), in order:
    a mention holding the word; a pronoun; "the country"; "both sides"; a mention inside the
    phrase but outside its place phrases ("officials of X", not "the landscape in X"); a demonym."""
    if tok is None:
        return []
    out: list[str] = []
    for t in [tok, *[c for c in tok.conjuncts if c.i > tok.i]]:
        holding = ctx.mentions.holding(t.idx)
        if holding:
            ids = [holding[2], *paired_modifiers(t, ctx)]
        elif t.pos_ == "PRON" or t.lower_ in PRONOUN_WORDS and t.text.islower():
            ids = resolve_pronoun(t, ctx, speaker, list(source))
        elif t.lower_ in {"country", "government"} and any(c.lower_ == "the" for c in t.children):
            ids = latest_state(t.idx, ctx, set(source))
        elif t.lower_ in {"sides", "two", "both", "parties", "countries"} and RECIPROCALS.search(t.sent.text):
            ids = reciprocal_pair(t.sent, ctx) or phrase_actors(t, ctx)  # "the Turkish and Greek sides"
        else:
            ids = phrase_actors(t, ctx) or demonym_actor(t, ctx)
        for i in ids:
            if i not in out:
                out.append(i)
    return out


def paired_modifiers(tok: Token, ctx: Context) -> list[str]:
    """The other actors of coordinated modifiers of a named head ("US and British forces")."""
    return [hit[2] for m in tok.children if m.dep_ in {"nmod", "compound", "amod"} and m.i < tok.i
            and any(c.dep_ == "conj" for c in m.children)
            for t in (m, *m.conjuncts) if (hit := ctx.mentions.holding(t.idx))]


def latest_state(pos: int, ctx: Context, exclude: set[str]) -> list[str]:
    """'the country': the latest state mentioned before `pos` that is not already an argument."""
    while True:
        hit = ctx.mentions.latest_before(pos, {"state"})
        if hit is None:
            return []
        if hit[2] not in exclude:
            return [hit[2]]
        pos = hit[0] - 1


def phrase_actors(tok: Token, ctx: Context) -> list[str]:
    """The first actor mentioned in a noun phrase, leaving out its place phrases ("in X"),
    relative clauses and conjuncts."""
    skipped = {t.i for c in tok.children if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS and not member_of(c, ctx)
               for t in c.subtree}
    skipped |= {t.i for c in tok.children if c.dep_ == "relcl" and not infinitive(c) for t in c.subtree}
    skipped |= {t.i for c in tok.children if c.dep_ == "conj" for t in c.subtree}  # actors_of reads conjuncts apart
    for t in tok.subtree:
        if t.i in skipped or t.i == tok.i:
            continue
        hit = ctx.mentions.holding(t.idx)
        if hit:
            mention = ctx.sdoc.char_span(hit[0], hit[1], alignment_mode="expand")
            return actors_of(mention.root if mention is not None else t, ctx)  # with conjuncts: "of X and Y"
    return []


def infinitive(tok: Token) -> bool:
    """A clause in the infinitive says what a noun asks for ("a call for troops to be deployed
    in X"), not which one it is, as a relative clause does."""
    return any(c.dep_ in {"aux", "auxpass"} and c.lower_ == "to" for c in tok.children)


def member_of(prep: Token, ctx: Context) -> bool:
    """'activists from the Fatah Party': a "from" phrase naming an organisation or group
    says whose they are, not where they are."""
    if prep.lower_ != "from":
        return False
    hits = [ctx.mentions.holding(g.idx) for g in prep.children if g.dep_ == "pobj"]
    return any(h is not None and h[3] in {"organisation", "group"} for h in hits)


def demonym_actor(tok: Token, ctx: Context) -> list[str]:
    """'the Afghan territory' -> the Afghan state actor, through the places layer's demonym."""
    start, end = phrase_range(tok)
    for p in ctx.places_in(start, end):
        if p.end <= end and p.kind == "demonym":
            found = ctx.state_of(gazetteer.iso2_to_iso3(p.country))
            return [found] if found else []
    return []


def subject(tok: Token) -> Token | None:
    """The agent of a verb: its subject; for a reduced relative in the active ("bombers ...
    detonated") the noun it modifies; for an infinitive or conjunct, its controller's."""
    if tok.dep_ == "acl" and tok.tag_ in {"VBD", "VBG"}:
        if tok.head.dep_ == "dobj" and tok.head.lemma_ in STATEMENT_NOUNS and is_light_verb(tok.head.head):
            # "issued a declaration demanding ...": the issuer demands
            return subject(tok.head.head)
        return tok.head
    for c in tok.children:
        if c.dep_ in {"nsubj", "nsubjpass", "csubj"}:
            if c.lower_ in {"which", "who", "that"} and tok.dep_ == "relcl":
                return tok.head
            return c
    if tok.dep_ == "conj" and tok.tag_ == "VBN" and any(c.dep_ == "nsubjpass" for c in tok.head.children):
        return passive_agent(tok.head)   # "were killed and wounded (by X)": the agent, not the victims
    if tok.dep_ == "acomp" or (tok.dep_ in {"xcomp", "conj", "advcl"} and tok.head.pos_ in {"VERB", "AUX", "ADJ"}):
        if tok.dep_ == "xcomp":
            obj = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
            if obj is not None and tok.head.lemma_ in {"ask", "urge", "tell", "press", "force"}:
                return obj
        return subject(tok.head)
    return None


def complement_subject(tok: Token) -> Token | None:
    """The subject of a verb's clausal complement ("demanded that China drop barriers",
    "allowed candidate X to run")."""
    content = next((c for c in tok.children if c.dep_ in {"ccomp", "xcomp"}), None) or for_clause(tok)
    if content is None:
        return None
    return next((c for c in content.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


def counted_objects(verb: Token) -> list[Token]:
    """An object the parser read as a particle "up" and a phrase "to N X" ("kidnapped up to 16
    advisers", "killed up to 30 people")."""
    ups = [c for c in verb.children if c.lower_ == "up" and c.dep_ in {"prt", "advmod", "prep"}]
    return [g for up in ups for p in up.children if p.lower_ == "to" for g in p.children
            if g.dep_ == "pobj" and any(n.dep_ == "nummod" for n in g.children)]


def passive_agent(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def detached_agent(tok: Token) -> Token | None:
    """The agent of a passive verb that the parser attached to a governing verb after a comma
    ("X has been accused of misusing funds, much of it believed embezzled, by officials")."""
    for head in list(tok.ancestors)[:2]:
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ == "by" and c.i > tok.i and c.nbor(-1).text == ",":
                return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def prep_objects(tok: Token, preps: tuple[str, ...]) -> list[Token]:
    out = []
    for c in tok.children:
        if c.dep_ in {"prep", "dative"} and c.lower_ in preps:
            out.extend(g for g in c.children if g.dep_ == "pobj")
    return out


def is_location(tok: Token, ctx: Context) -> bool:
    return any(p.kind == "toponym" for p in ctx.place_index.covering(tok.idx)) and \
        not ctx.mentions.holding(tok.idx)


def reciprocal_pair(sent: SpacySpan, ctx: Context) -> list[str]:
    """'both sides' / 'the two' in a sentence -> the latest coordinated pair of actors."""
    if not RECIPROCALS.search(sent.text):
        return []
    pairs = [ids for pos, ids in ctx.pairs if pos <= sent.end_char]
    return pairs[-1] if pairs else []


def collect_pairs(ctx: Context) -> None:
    for tok in ctx.sdoc:
        if tok.dep_ in {"nsubj", "nsubjpass"} and any(c.dep_ == "conj" for c in tok.children):
            ids = actors_of(tok, ctx)
            if len(ids) >= 2:
                ctx.pairs.append((tok.idx, ids))


# ---------------------------------------------------------------- time, place, modality

def clause_head(tok: Token) -> Token:
    """The verb heading the clause a token belongs to."""
    t = tok
    while t.dep_ not in CLAUSE_DEPS and t.dep_ != "ROOT" and t.head is not t:
        t = t.head
    return t


def dated(t: Timex) -> bool:
    return t.type in {"DATE", "TIME"} and bool(re.match(r"\d{4}", t.value))


def event_date(trigger: Token, ctx: Context, quote: Quote | None) -> EventDate | None:
    sent = trigger.sent
    in_sent = [t for t in ctx.timexes_in(sent.start_char, sent.end_char) if dated(t) and t.mod not in SPAN_MODS
               and (quote is not None or ctx.quote_at(t.start) is None or ctx.quote_at(trigger.idx) is not None)]
    clause = clause_head(trigger)
    for t in in_sent:
        span = ctx.sdoc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and (clause_head(span.root) is clause or trigger in span.root.ancestors
                                 or span.root.head == trigger):
            return EventDate(t.value, t.precision, "clause", t.text)
    if quote is not None and quote.cue_start is not None:
        cue_sent = ctx.sdoc.char_span(quote.cue_start, quote.cue_start + 1, alignment_mode="expand")
        if cue_sent is not None:
            cs = cue_sent.sent
            for t in ctx.timexes_in(cs.start_char, cs.end_char):
                if dated(t) and ctx.quote_at(t.start) is None:
                    return EventDate(t.value, t.precision, "quote", t.text)
    if in_sent:
        t = in_sent[0]
        return EventDate(t.value, t.precision, "sentence", t.text)
    offset = relative_offset(sent, ctx)
    if offset is not None:
        return offset
    t = ctx.last_narrative_day(sent.start_char)
    if t is not None:
        return EventDate(t.value[:10], "day", "narrative", t.text)
    published = ctx.doc.meta.published
    if published:
        return EventDate(published.isoformat(), "day", "published", None)
    return None


# Words that put a dated point at one end of a multi-day event: "the talks ended on Tuesday",
# "at the conclusion of a two-day dialogue", "the three-day summit opened on Monday".
END_WORDS = frozenset({"end", "conclude", "conclusion", "close", "wrap", "culminate", "finish"})
START_WORDS = frozenset({"begin", "start", "open", "beginning", "launch", "kick", "opening"})


def with_span(when: EventDate | None, trigger: Token, ctx: Context) -> EventDate | None:
    """The event's first and last day when it lasts several days ("two-day", "three-day") and
    the text ties its date to the end or the start of it: the trigger, its head or the head's
    head is an end or start word ("the conclusion of a two-day dialogue", "talks that ended")."""
    if when is None or when.precision != "day":
        return when
    days = None
    for t in ctx.timexes_in(trigger.sent.start_char, trigger.sent.end_char):  # a duration the trigger governs
        match = re.fullmatch(r"P(\d+)D", t.value) if t.type == "DURATION" else None
        if match is None or int(match.group(1)) < 2:
            continue
        span = ctx.sdoc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and span.root.head == trigger:
            days = int(match.group(1))
            break
    if days is None:
        return when
    chain = [trigger, trigger.head, trigger.head.head]
    lemmas = {t.lemma_.lower() for t in chain} | {c.lemma_.lower() for c in trigger.head.children if c.dep_ == "prt"}
    try:
        day = date.fromisoformat(when.value[:10])
    except ValueError:
        return when
    if lemmas & END_WORDS:
        first, last = day - timedelta(days=days - 1), day
    elif lemmas & START_WORDS:
        first, last = day, day + timedelta(days=days - 1)
    else:
        return when
    return EventDate(when.value, when.precision, when.anchor, when.text, first.isoformat(), last.isoformat())


def relative_offset(sent: SpacySpan, ctx: Context) -> EventDate | None:
    """'comes more than a week after X': X lies that duration before the narrative anchor."""
    durations = [t for t in ctx.timexes_in(sent.start_char, sent.end_char) if t.type == "DURATION"]
    for t in durations:
        tail = ctx.doc.body[t.end: t.end + 8].lower()
        m = re.fullmatch(r"P(\d+)([DWMY])", t.value)
        if not m or not re.match(r"\s*(after|ago|before)", tail):
            continue
        anchor = anchor_day(sent.start_char, ctx)
        if anchor is None:
            continue
        days = int(m.group(1)) * {"D": 1, "W": 7, "M": 30, "Y": 365}[m.group(2)]
        sign = 1 if tail.strip().startswith("before") else -1
        day = anchor + timedelta(days=sign * days)
        if t.mod in {"MORE_THAN", "LESS_THAN", "APPROX"} or m.group(2) in {"M", "Y"}:
            return EventDate(day.strftime("%Y-%m"), "month", "narrative", t.text)
        return EventDate(day.isoformat(), "day", "narrative", t.text)
    return None


def anchor_day(pos: int, ctx: Context) -> date | None:
    last = ctx.last_full_date(pos)
    value = last.value[:10] if last is not None else None
    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return ctx.doc.meta.published


def event_place(trigger: Token, ctx: Context, violent: bool) -> EventPlace | None:
    """Where an event happened, in order: a place phrase in the trigger's clause ("visited
    Kabul", "attack in Peshawar"); one in its sentence; and, for violent events only, one in
    its paragraph, then the document's most mentioned city. `basis` says which."""
    sent = trigger.sent
    clause = clause_head(trigger)
    ranked = []
    for p in ctx.places_in(sent.start_char, sent.end_char):
        if p.kind != "toponym" or ctx.mentions.overlapping(p.start, p.end):
            continue
        span = ctx.sdoc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if not (root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPS or root.dep_ in {"dobj", "compound", "npadvmod", "appos", "conj"}):
            continue
        local = clause_head(root) is clause or trigger in root.ancestors
        ranked.append((0 if local else 1, LEVEL_RANK.get(p.level, 5), p.start, p))
    if ranked:
        best = sorted(ranked, key=lambda r: r[:3])[0]
        return to_event_place(best[3], "clause" if best[0] == 0 else "sentence")
    if not violent:
        return None
    body = ctx.doc.body or ""
    para_start, para_end = paragraph_bounds(body, sent.start_char, sent.end_char)
    nearby = [p for p in ctx.places_in(para_start, para_end) if p.kind == "toponym"
              and not ctx.mentions.overlapping(p.start, p.end)]
    if nearby:
        return to_event_place(sorted(nearby, key=lambda p: (LEVEL_RANK.get(p.level, 5), p.start))[0], "paragraph")
    top = ctx.top_city()
    return to_event_place(top, "document") if top is not None else None


def to_event_place(p: Place, basis: str) -> EventPlace:
    return EventPlace(p.geonameid, p.name, p.country, basis)


def modality(trigger: Token, ctx: Context, when: EventDate | None) -> str:
    """asserted, future, negated, hypothetical or historical. An event noun takes the mood
    of the verb it is the object of ("would tighten the blockade")."""
    lex = ctx.lex
    if trigger.pos_ in {"NOUN", "PROPN"} and trigger.dep_ in {"dobj", "nsubjpass"} and trigger.head.pos_ == "VERB":
        trigger = trigger.head
    chain = [trigger, *list(trigger.ancestors)[:3]]
    if any(c.dep_ == "neg" for c in trigger.children) or any(
            c.dep_ == "neg" for c in trigger.head.children if trigger.dep_ == "xcomp"):
        return "negated"
    if trigger.dep_ == "xcomp" and trigger.head.lemma_ in {"fail", "decline", "refuse"}:
        return "negated"
    for t in chain[:2]:
        if any(c.lower_ in lex.hypothetical_markers and c.dep_ == "mark" for c in t.children):
            return "hypothetical"
    auxes = [c.lower_ for c in trigger.children if c.dep_ in {"aux", "auxpass"}]
    if any(a in lex.future_modals for a in auxes):
        return "future"
    if "would" in auxes and trigger.dep_ == "ccomp" and trigger.head.lemma_ in lex.speech_verbs:
        return "future"  # reported speech: "said they would boycott" is the future of the past
    if any(a in lex.hypothetical_modals for a in auxes):
        return "hypothetical"
    if trigger.dep_ in {"xcomp", "pobj", "dobj"} and (trigger.head.lemma_ in lex.future_governors
                                                      or trigger.head.head.lemma_ in lex.future_governors):
        return "future"
    published = ctx.doc.meta.published
    if when is not None and published is not None and when.anchor in {"clause", "sentence"}:
        year = when.value[:4]
        if year.isdigit() and int(year) < published.year - 1:
            return "historical"
        if when.value[:10] > published.isoformat() and when.anchor == "clause" and trigger.tag_ != "VBD":
            return "future"  # a verb in the past tense reports a past act whatever its date says
    return "asserted"


def contexts(sent: SpacySpan, ctx: Context) -> list[str]:
    low = " " + sent.text.lower() + " "
    found = [name for name, words in ctx.lex.contexts.items()
             if any(re.search(r"\b" + re.escape(w) + r"\b", low) for w in words)]
    return found


def casualties(sent: SpacySpan) -> tuple[int | None, int | None]:
    killed = injured = None
    for m in COUNT_RE.finditer(sent.text):
        number = m.group("n1") or m.group("n2")
        value = NUMBER_WORDS.get(number.lower()) if not number[0].isdigit() else int(number.replace(",", ""))
        verb = (m.group("verb") or m.group("verb2") or "").lower()
        state = (m.group("state") or "").lower()
        if verb.startswith(("kill", "dead", "died")) or state == "dead":
            killed = killed or value
        elif verb.startswith(("wound", "injur")) or state in {"injured", "wounded"}:
            injured = injured or value
    return killed, injured


# ---------------------------------------------------------------- triggers

def has_object(verb: Token, nouns: tuple[str, ...] | frozenset[str]) -> bool:
    """Whether one of `nouns` is what the verb acts on: its object or a conjunct of it, or the
    head of an "of" phrase in it ("gave the country 5 million dollars of aid", "upgraded
    diplomatic ties", "provided photographs and intelligence"). "@place" stands for any named
    place ("captured Kabul")."""
    wanted = set(nouns)
    for obj in (c for c in verb.children if c.dep_ in {"dobj", "dative", "attr", "oprd"}):
        heads = [obj, *obj.conjuncts]
        words = heads + [g for h in heads for p in h.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children]
        if any(w.lemma_.lower() in wanted or w.lower_ in wanted for w in words):
            return True
        if "@place" in wanted and any(w.ent_type_ in PLACE_ENTITIES for w in heads):  # not "the mayor of Kabul"
            return True
    return False


def trigger_for(tok: Token, lex: Lexicon) -> tuple[str, Trigger] | None:
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" and tok.dep_ == "amod":
        return None  # a participle naming a state, not an act: "the outlawed TTP", "the occupied West Bank"
    if tok.pos_ == "VERB":
        particles = {c.lower_ for c in tok.children if c.dep_ in {"prt", "prep"}}
        particles |= {"for"} if for_clause(tok) is not None else set()
        phrasal = next((lex.verbs[f"{lemma} {p}"] for p in sorted(particles) if f"{lemma} {p}" in lex.verbs), None)
        if phrasal is not None:  # "call for", "hand over", "lay down"
            return "verb", by_object(tok, phrasal)
    if tok.pos_ == "VERB" and lemma in lex.verbs:
        trig = lex.verbs[lemma]
        if trig.particle and not particles & set(trig.particle):
            return None
        if particles & set(trig.particle_absent):
            return None
        if trig.requires_xcomp and not any(infinitive_complement(c) for c in tok.children):
            return None
        if trig.requires_object and not has_object(tok, trig.requires_object):
            return None
        return "verb", by_object(tok, trig)
    if tok.pos_ == "ADJ" and lemma in lex.adjectives:
        return "adjective", lex.adjectives[lemma]
    if tok.pos_ in {"NOUN", "PROPN"}:
        compound = next((lex.nouns[f"{c.lower_} {lemma}"] for c in tok.children
                         if c.dep_ in {"compound", "amod"} and f"{c.lower_} {lemma}" in lex.nouns), None)
        if compound is not None and supported(tok, compound):
            return "noun", compound  # "hunger strike", "general strike"
        named = of_phrase_name(tok)
        if named in lex.nouns:  # "a state of emergency"
            return "noun", lex.nouns[named]
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and of_phrase_name(tok.head.head) in lex.nouns:
            return None  # "siege" in "a state of siege": the phrase names the act
    if tok.pos_ in {"NOUN", "PROPN"} and (lemma in lex.nouns or tok.lower_ in lex.nouns):
        trig = lex.nouns.get(tok.lower_) or lex.nouns[lemma]
        if trig.needs_modifier and not any(c.lower_ in trig.needs_modifier for c in tok.children):
            return None
        if not supported(tok, trig):
            return None  # "an army patrol was ambushed", "issued a health alert"
        return "noun", trig
    return None


def of_phrase_name(tok: Token) -> str | None:
    """'state of emergency' for the head of such a phrase."""
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    return f"{tok.lemma_.lower()} of {obj.lower_}" if obj is not None else None


def infinitive_complement(tok: Token) -> bool:
    """'sworn to fight', 'asked to leave': an xcomp, or an infinitive right after the verb that the
    small model attaches as advcl (not "fell 5% to hit a low")."""
    return tok.dep_ == "xcomp" or tok.dep_ == "advcl" and tok.left_edge.i == tok.head.i + 1 and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def for_clause(verb: Token) -> Token | None:
    """The "for X to Y" clause of a verb ("pushed for the US to support"), which the parser
    attaches as a clause marked "for" rather than a preposition."""
    return next((c for c in verb.children if c.dep_ == "advcl"
                 and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)), None)


def by_object(verb: Token, trig: Trigger) -> Trigger:
    """The act a verb's object makes it (the PLOVER manual: capturing a town is ASSAULT, a person
    COERCE; handing over medicine AID, prisoners RETREAT; lifting a curfew CONCEDE)."""
    return next((alt for words, alt in trig.by_object if has_object(verb, words)), trig)


def support_verb(noun: Token) -> Token | None:
    """The verb whose subject performs the act an event noun names: a light verb taking the
    noun's phrase as object ("staged a protest", "held two rounds of talks", "a mediation
    effort"), or a verb of being, joining or gathering the noun is a phrase of ("remained on
    alert", "engaged in ethnic cleansing", "converged for a rally")."""
    phrase = noun
    while phrase.head is not phrase and (phrase.dep_ == "compound" or phrase.dep_ == "pobj" and phrase.head.lower_ == "of"
                                         and phrase.head.head.lemma_ in MEASURE_NOUNS):
        phrase = phrase.head if phrase.dep_ == "compound" else phrase.head.head
    if phrase.dep_ == "dobj" and is_light_verb(phrase.head):
        return phrase.head
    if phrase.dep_ == "pobj" and phrase.head.lower_ in STATE_PREPS and phrase.head.head.lemma_ in STATE_VERBS:
        return phrase.head.head
    return None


def supported(noun: Token, trig: Trigger) -> bool:
    """Whether an event noun that names an act only after a light or state verb has one."""
    if trig.needs_support_verb is None:
        return True
    verb = support_verb(noun)
    return verb is not None and (verb.lemma_ in STATE_VERBS) == (trig.needs_support_verb == "state")


def is_light_verb(tok: Token) -> bool:
    """A verb whose object noun names the act ("staged a protest"); also by its form, as the
    small model lemmatises some of them wrongly ("staged" -> "stag")."""
    return tok.lemma_ in LIGHT_VERBS or tok.lower_[:-1] in LIGHT_VERBS


def arguments(tok: Token, kind: str, trig: Trigger, ctx: Context, speaker: str | None) -> tuple[list[str], list[str]]:
    if kind == "noun":
        src_toks = [c for c in tok.children if c.dep_ in {"poss", "compound", "amod", "nmod"}]
        src_toks += prep_objects(tok, ("by", "from"))
        source = [i for t in src_toks for i in actors_of(t, ctx, speaker)]
        light = support_verb(tok)
        if light is not None and not source:
            source += actors_of(subject(light), ctx, speaker)
        between = prep_objects(tok, ("between", "among")) or \
            (prep_objects(tok.head, ("between", "among")) if tok.dep_ == "compound" else [])  # "mediation mission between"
        parties = actors_of(between[0], ctx, speaker) if between else []
        mediated = [i for i in parties if i not in source] if source else []  # "Qatar's mediation between X and Y"
        source += [] if mediated else parties
        target_toks = prep_objects(tok, trig.targets) or (prep_objects(light, trig.targets) if light is not None else [])
        target = mediated or [i for t in target_toks for i in actors_of(t, ctx, speaker, source)]  # "sanctions on X"
        if not target:  # "opened investigations against X"
            target = aimed_actors(tok, ("against",), ctx, speaker, source) or \
                (aimed_actors(light, ("against",), ctx, speaker, source) if light is not None else [])
        if not source and not target:
            source = reciprocal_pair(tok.sent, ctx)
        if trig.type == "CONSULT" and source and not target:
            target = visit_host(tok, ctx, source)
        elif not target and len(source) == 1:  # "reimposed blockades in the West Bank"
            target = visit_host(tok, ctx, source, foreign_only=False)
        return dedupe(source), [t for t in dedupe(target) if t not in source]
    passive = any(c.dep_ == "nsubjpass" for c in tok.children)
    subj = (passive_agent(tok) or detached_agent(tok)) if passive else subject(tok)
    stative = any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children)  # "is opposed/committed to"
    forces_moved = trig.mode in {"withdraw", "disarm"}  # "troops were withdrawn": their side withdrew them
    if subj is None and passive and (forces_moved or (trig.type in {"AGREE", "REJECT"} and stative)):
        subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    source = actors_of(subj, ctx, speaker)
    if subj is not None and subj.i == tok.head.i and tok.dep_ == "acl":  # "a demonstration calling for X's removal"
        own = {hit[2] for t in tok.subtree if (hit := ctx.mentions.holding(t.idx))}
        source = [i for i in source if i not in own]
    if not source:  # "a deal signed between X and Y"
        source = [i for t in prep_objects(tok, ("between", "among")) for i in actors_of(t, ctx, speaker)]
    obj_toks = [c for c in tok.children if c.dep_ in ({"dative", "iobj"} if trig.theme_object else {"dobj", "dative", "iobj"})]
    obj_toks += [] if trig.theme_object else counted_objects(tok)
    patient = ctx.mentions.holding(tok.head.idx) if tok.dep_ == "acl" and tok.tag_ == "VBN" else None
    if passive and not trig.theme_object:  # "X was accused of ...": X is the target; "aid was sent": neither side
        obj_toks += [c for c in tok.children if c.dep_ == "nsubjpass" and c != subj]
    obj_toks += prep_objects(tok, trig.targets)
    if not any(c.dep_ == "dobj" for c in tok.children):  # "denounced as a crime X's suppression of ..."
        obj_toks += [a for g in prep_objects(tok, ("as",)) for a in g.children if a.dep_ == "appos"]
    if trig.type in ACTING_ON_OTHERS and not obj_toks:  # "demanded that the US cancel", "allowed X to run"
        obj_toks += [c for c in (complement_subject(tok),) if c is not None]
    target = []
    for t in obj_toks:
        if is_location(t, ctx):
            continue
        attack = trigger_for(t, ctx.lex)
        if attack is not None and attack[0] == "noun" and attack[1].type == "ASSAULT" and trig.type in {"ACCUSE", "SUPPORT", "REJECT"}:
            target += arguments(t, "noun", attack[1], ctx, speaker)[0]  # "condemned the Taliban attack"
            continue
        target += actors_of(t, ctx, speaker, source)
        if not target and t.pos_ == "NOUN":  # "critical of Afghan Taliban’s failure", "rejected an offer from X"
            target += noun_actors(t, ctx, speaker, source)
    if patient is not None:  # "civilians killed in the attack": the noun modified is the patient
        target.append(patient[2])
    if not target:  # "offered to hand over to Britain": any actor a preposition attaches
        target += attached_actors(tok, ctx, speaker, source)
    if not target and trig.type in GOVERNING_TYPES | {"PROTEST"}:  # "threatened to cut off electricity to X"
        target += complement_actors(tok, ctx, speaker, source)
    if not target and trig.type == "THREATEN":  # "threatened a strike unless Israel rescinded ..."
        target += condition_subjects(tok, ctx, speaker, source)
    if trig.type == "CONSULT" and not target:
        target = visit_host(tok, ctx, source)
    if not target and trig.type != "CONSULT" and len(source) == 1:
        target = visit_host(tok, ctx, source, foreign_only=False)  # an agreement "signed in Doha" is only there
    elif not target and not source and trig.type in HOSTILE_TYPES:
        # with no actor named, only a place the act is aimed at ("attacked Kabul") is a target:
        # "killed in Kabul" says where, not whom
        target = visit_host(tok, ctx, source, foreign_only=False, aimed_only=True)
    return dedupe(source), [t for t in dedupe(target) if t not in source or len(source) > 1]


def noun_actors(noun: Token, ctx: Context, speaker: str | None, source: list[str]) -> list[str]:
    """Whom an object noun with no actor of its own points at: its author ("X's plan", "an offer
    from X"), else the actor it is aimed at ("a war against X", "restrictions on X")."""
    found = [i for c in authors(noun) for i in actors_of(c, ctx, speaker, source)]
    if found:
        return found
    return aimed_actors(noun, AIMED_PREPS, ctx, speaker, source)


def aimed_actors(tok: Token, preps: tuple[str, ...], ctx: Context, speaker: str | None, source: list[str]) -> list[str]:
    """The actors, not places, that `preps` phrases of `tok` name ("a war against X")."""
    return [i for g in prep_objects(tok, preps) if not is_location(g, ctx) for i in actors_of(g, ctx, speaker, source)]


def authors(noun: Token) -> list[Token]:
    """Who a noun is by: its possessor and its "from" and "by" phrases ("X's plan", "pressure by X")."""
    return [c for c in noun.children if c.dep_ == "poss"] + prep_objects(noun, ("from", "by"))


def stance_actors(noun: Token, ctx: Context, speaker: str | None, source: list[str]) -> list[str]:
    """Whom an act done "in defiance of", "in solidarity with" or "in retaliation for" answers:
    the actor named, or the author of the act named ("in retaliation for X's raid on Y": X)."""
    found = []
    for arg in authors(noun) + prep_objects(noun, STANCE_PREPS):
        named = ctx.mentions.holding(arg.idx) or arg.pos_ != "NOUN"
        by = [c for c in arg.children if c.dep_ in {"compound", "amod", "nmod"}] + authors(arg)  # "an Iraqi raid"
        found += [i for w in ([arg] if named else by) for i in actors_of(w, ctx, speaker, source)]
    return found


def attached_actors(verb: Token, ctx: Context, speaker: str | None, source: list[str]) -> list[str]:
    """Any actor a preposition of the verb attaches ("offered to hand over to Britain"), the
    author of what it answers ("declined despite pressure by X", "in defiance of X"), or the
    actor a noun in such a phrase is aimed at ("mobilized reservists for a war against X")."""
    found = []
    for prep in (c for c in verb.children if c.dep_ in {"prep", "dative"}):
        for g in (g for g in prep.children if g.dep_ == "pobj" and not is_location(g, ctx)):
            if prep.lower_ in {"despite", "under"}:  # "declined to resign despite pressure by X"
                found += [i for a in authors(g) for i in actors_of(a, ctx, speaker, source)]
            if prep.lower_ == "in" and g.lemma_ in STANCE_NOUNS:
                found += stance_actors(g, ctx, speaker, source)
            if prep.lower_ in FALLBACK_TARGET_PREPS:  # "respond to a demand from X"
                unnamed = g.pos_ == "NOUN" and not ctx.mentions.holding(g.idx)
                found += (noun_actors(g, ctx, speaker, source) if unnamed else []) or actors_of(g, ctx, speaker, source)
            if not found and g.pos_ == "NOUN":
                found += aimed_actors(g, ("against",), ctx, speaker, source)
    return found


def complement_actors(verb: Token, ctx: Context, speaker: str | None, source: list[str]) -> list[str]:
    """The target of the act an infinitive complement, a purpose clause or a promise names when
    that act is no event of its own ("threatened to cut off electricity to X", "refused to
    respond to a demand from X", "blocked a road to show disapproval of X's policies", "warned
    that police will no longer tolerate rallies by X"): the author or aim of its object ("to
    continue aid to X") or an actor in its phrase ("to break off relations with X"), else an
    actor its prepositions attach. An actor named by the object itself is what is moved or
    given ("ready to contribute troops to ..."), not the target."""
    for comp in (c for c in verb.children if c.pos_ == "VERB" and (c.dep_ == "xcomp" or purpose_clause(c)
                                                                    or promised_clause(c))):
        found = []
        for obj in (c for c in comp.children if c.dep_ == "dobj" and not ctx.mentions.holding(c.idx)):
            found += noun_actors(obj, ctx, speaker, source) or event_parties(obj, ctx, speaker, source) or \
                actors_of(obj, ctx, speaker, source)
        found = found or attached_actors(comp, ctx, speaker, source)
        if found:
            return found
    return []


def event_parties(noun: Token, ctx: Context, speaker: str | None, source: list[str]) -> list[str]:
    """The actors of an event noun other than the source ("ready to host a meeting between X
    and Y": X and Y)."""
    hit = trigger_for(noun, ctx.lex)
    if hit is None or hit[0] != "noun":
        return []
    own_source, own_target = arguments(noun, "noun", hit[1], ctx, speaker)
    return [i for i in own_source + own_target if i not in source]


def purpose_clause(tok: Token) -> bool:
    return tok.dep_ == "advcl" and infinitive(tok)


def promised_clause(tok: Token) -> bool:
    """A 'that' clause of what someone will do ("warned that police will no longer tolerate ...")."""
    return tok.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ in {"will", "would", "shall"} for c in tok.children)


def conditions(verb: Token) -> list[Token]:
    """The if/unless clauses of a verb."""
    return [c for c in verb.children if c.dep_ == "advcl"
            and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in c.children)]


def condition_subjects(verb: Token, ctx: Context, speaker: str | None, source: list[str]) -> list[str]:
    """Whoever a threat's condition names ("threatened to stop talks if the United States goes
    ahead", "threatened a strike unless Israel rescinded ..."): the subject of an if/unless
    clause of the verb or of its complement."""
    for head in [verb, *(c for c in verb.children if c.dep_ == "xcomp")]:
        for clause in conditions(head):
            subj = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            found = [i for i in actors_of(subj, ctx, speaker, source) if i not in source]
            if found:
                return found
    return []


def visit_host(tok: Token, ctx: Context, source: list[str], foreign_only: bool = True,
               aimed_only: bool = False) -> list[str]:
    """The host of a meeting or visit: the state of a place in its clause or a governing one
    ("visited Kabul" -> Afghanistan; "expected in Pakistan soon to continue talks" -> Pakistan).
    With foreign_only False, the state an act without a named target is directed at or takes
    place in ("Serbia lifted a curfew in Montenegro", "threatened to resume attacks in Israel"),
    as CAMEO and PLOVER code it: a place the trigger, a governing word, or a word of its own
    phrase or complement attaches (not one of its subject, another act joined to it, or a
    relative clause). Places attached higher up come first; conjoined places join the first
    ("ties with Congo and Costa Rica")."""
    governing = [tok.i, *(a.i for a in tok.ancestors)]
    scope = set(governing) if foreign_only else set(governing) | own_phrase(tok, ctx)
    sent = tok.sent
    source_countries = {ctx.actors[i].country for i in source if i in ctx.actors} if foreign_only else set()
    ranked = []
    for p in ctx.places_in(sent.start_char, sent.end_char):
        if p.kind != "toponym":
            continue
        named = ctx.mentions.holding(p.start)
        if named is not None and named[2] in source:
            continue  # "between the United States and ...": a participant, not the venue
        span = ctx.sdoc.char_span(p.start, p.end, alignment_mode="expand")
        base = span.root if span is not None else None
        while base is not None and base.dep_ == "compound" and base.head.i > base.i:  # "in Montenegro province"
            base = base.head
        while base is not None and base.dep_ == "conj" and base.head.i < base.i:  # "with Congo and Costa Rica"
            base = base.head
        if base is None or base.dep_ not in ({"dobj"} if aimed_only else {"pobj", "dobj"}):
            continue
        attach = base.head.head if base.dep_ == "pobj" else base.head
        if attach.i not in scope:
            continue
        iso3 = gazetteer.iso2_to_iso3(p.country)
        if iso3 in source_countries:
            continue
        host = ctx.state_of(iso3, set(source))
        if host:
            height = governing.index(attach.i) if attach.i in governing else len(governing)
            ranked.append((height, p.start, host, base.i))
    if not ranked:
        return []
    first = min(ranked)
    return dedupe([r[2] for r in sorted(ranked, key=lambda r: r[1]) if r[3] == first[3]])


def own_phrase(tok: Token, ctx: Context) -> set[int]:
    """The words of a trigger's own phrase and complements: its subtree without its subject,
    conjoined acts, relative and adverbial clauses, time phrases ("following the invasion of
    X"), and complements that are acts of their own (those lend their target when they fold
    into it: "refused to meet X in Tel Aviv")."""
    out: set[int] = set()
    stack = [tok]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack.extend(c for c in t.children if c.dep_ not in OTHER_PHRASE_DEPS and c.lower_ not in TEMPORAL_PREPS
                     and not (c.dep_ in {"xcomp", "ccomp"} and trigger_for(c, ctx.lex) is not None))
    return out


def has_setting(tok: Token, kind: str, ctx: Context) -> bool:
    """A violent act with no named actor is still an event when it says where or when it
    happened, or how many it killed or wounded: a verb in its sentence, a noun in its own phrase."""
    if kind == "noun":
        start, end = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
        counts = casualties(tok.sent) if tok.dep_ in {"nsubj", "nsubjpass"} else (None, None)
    else:
        start, end = tok.sent.start_char, tok.sent.end_char
        counts = casualties(tok.sent)
    if any(p.kind == "toponym" for p in ctx.places_in(start, end)):
        return True
    if any(dated(t) for t in ctx.timexes_in(start, end)):
        return True
    return counts != (None, None)


def refers_back(tok: Token, trig: Trigger, first_sentence: dict[str, int]) -> bool:
    """'the attack' with no actor of its own, after an event of that type was already coded
    (`first_sentence`: type -> start of the first sentence coding one), names that event again
    rather than a new one."""
    definite = any(c.dep_ in {"det", "poss"} and c.lower_ in {"the", "this", "that", "these", "those", "its", "their"}
                   for c in tok.children)
    return definite and trig.type in first_sentence and first_sentence[trig.type] < tok.sent.start


def dedupe(ids: list[str]) -> list[str]:
    out: list[str] = []
    for i in ids:
        if i and i not in out:
            out.append(i)
    return out


def evidence(tok: Token, ctx: Context) -> Span:
    sent = tok.sent
    words = [t for t in tok.subtree if t.dep_ not in {"punct"}]
    start = min(t.idx for t in words)
    end = max(t.idx + len(t.text) for t in words)
    subj = subject(tok)
    if subj is not None and subj.sent == sent:
        start = min(start, subj.left_edge.idx)
    start, end = max(start, sent.start_char), min(end, sent.end_char)
    return Span(ctx.doc.body[start:end], start, end)


def confidence(source: list[str], target: list[str], when: EventDate | None, where: EventPlace | None, kind: str) -> float:
    """How much of the event the text states: named actors, its own date and place."""
    score = 0.3 + (0.25 if source else 0) + (0.25 if target else 0)
    score += 0.1 if when is not None and when.anchor in {"clause", "sentence", "quote"} else 0
    score += 0.1 if where is not None and where.basis in {"clause", "sentence"} else 0
    score -= 0.05 if kind == "noun" else 0
    return round(min(score, 0.95), 2)


# ---------------------------------------------------------------- speech acts

def speech_events(ctx: Context) -> list[tuple[Token, Trigger, list[str], list[str], Token | None]]:
    """Statements that are acts: critical words about an actor (ACCUSE); 'X must/should' (REQUEST).
    The last item is the complement a REQUEST demands ("Libya must hand over"): coded by it,
    not again as an act of its own."""
    out = []
    lex = ctx.lex
    for quote in ctx.quotes:
        if quote.cue_start is None or quote.speaker is None:
            continue
        cue_span = ctx.sdoc.char_span(quote.cue_start, quote.cue_start + 1, alignment_mode="expand")
        if cue_span is None:
            continue
        cue = cue_span[0]
        words = set(re.findall(r"[a-z]+", quote.text.lower()))
        if quote.kind == "direct" and words & lex.critical_words:
            about = prep_objects(cue, ("about", "of", "on"))
            target = [i for t in about for i in actors_of(t, ctx, quote.speaker)]
            if target:
                out.append((cue, Trigger("ACCUSE", "11", "disapprove"), [quote.speaker], target, None))
        if quote.kind == "indirect":
            content = next((c for c in cue.children if c.dep_ == "ccomp"), None)
            if content is not None and any(c.lower_ in {"must", "should"} for c in content.children):
                subj = next((c for c in content.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                target = [t for t in actors_of(subj, ctx, quote.speaker) if t != quote.speaker]
                if target:
                    out.append((cue, Trigger("REQUEST", "10"), [quote.speaker], target, content))
    return out


# ---------------------------------------------------------------- stage

Found = tuple[Token, str, Trigger, list[str], list[str]]


def plover_type(trig: Trigger, mood: str, tok: Token) -> tuple[Trigger, str]:
    """The PLOVER manual's rules that turn a stated act into another type: a promised
    cooperative act is AGREE, a promised retreat CONCEDE, a refused one is REJECT, withdrawn
    observers or aid SANCTION, an announced or conditional hostile one THREATEN, accepted
    demands CONCEDE, a protest that states a charge or is lodged as a diplomatic note ACCUSE."""
    conditional = bool(conditions(tok))
    if trig.mode == "withdraw" and trig.type == "RETREAT" and (has_object(tok, tuple(NON_MILITARY_RESOURCES)) or any(
            c.dep_ == "nsubjpass" and c.lemma_.lower() in NON_MILITARY_RESOURCES for c in tok.children)):
        trig = Trigger("SANCTION", "16", "withdraw")  # withdrawing observers or aid, not troops (manual 3.13)
    if trig.type == "ASSAULT" and mood != "negated" and preparing(tok):
        return Trigger("MOBILIZE", "15"), mood  # "the army prepared to resume shelling": readiness
    if trig.type in INTENT_TYPES and (mood == "future" or (mood == "hypothetical" and conditional)):
        return Trigger("AGREE", "03"), mood  # "would meet X if ...": a conditional offer is still an offer
    if trig.type == "CONSULT" and trig.mode == "visit" and arriving_peacekeepers(tok):
        return Trigger("AID", "07"), mood  # peacekeepers arriving: military assistance, not a visit
    if mood == "future" and trig.type in YIELDING_TYPES and not conditional:
        return Trigger("CONCEDE", "08", trig.mode), mood
    if mood == "negated" and trig.type in INTENT_TYPES | YIELDING_TYPES | {"AGREE"} and not tok.tag_ == "VBD":
        return Trigger("REJECT", "12"), "asserted"  # "will not accept", "failed to reach agreement"
    if mood == "future" and (trig.type in HOSTILE_TYPES or conditional) or \
            mood == "hypothetical" and conditional and trig.type in HOSTILE_TYPES:
        return Trigger("THREATEN", "13"), mood  # "will boycott", "will withdraw unless ...", "may halt X if ..."
    if trig.type == "AGREE" and has_object(tok, YIELDED_TO):
        return Trigger("CONCEDE", "08"), mood  # "accepted the rebels' demands": yielding to them
    if trig.type == "PROTEST" and (tok.dep_ == "parataxis" or any(c.dep_ == "ccomp" for c in tok.children)):
        return Trigger("ACCUSE", "11", "disapprove"), mood
    if trig.type == "PROTEST" and tok.dep_ == "dobj" and tok.head.lemma_ in DIPLOMATIC_PROTEST_VERBS:
        return Trigger("ACCUSE", "11", "disapprove"), mood  # the manual: diplomatic protests are ACCUSE
    return trig, mood


def arriving_peacekeepers(tok: Token) -> bool:
    """Whether the subject of an arrival or visit names peacekeepers ("NATO peacekeeping troops")."""
    subj = subject(tok)
    return subj is not None and any(t.lower_.startswith("peacekeep") for t in (subj, *subj.children)
                                    if t is subj or t.dep_ in {"amod", "compound"})


def preparing(tok: Token) -> bool:
    """'The army prepared to attack': the verb, not the adjective of "is prepared to" (willingness),
    governs the act's clause."""
    chain = [tok, *list(tok.ancestors)[:2]]
    return any(t.dep_ == "xcomp" and t.head.lemma_ == "prepare" and t.head.pos_ == "VERB" for t in chain)


def noun_act(tok: Token, kind: str, trig: Trigger, source: list[str], ctx: Context) -> Trigger:
    """What an event noun's phrase makes of it: military exercises of two or more countries are
    COOPERATE, one country's MOBILIZE (manual 3.14.1); ending mediation, cooperation or aid is
    SANCTION (manual 3.13)."""
    if kind != "noun":
        return trig
    countries = {ctx.actors[i].country for i in source if i in ctx.actors}
    if trig.type == "MOBILIZE" and tok.lemma_ in EXERCISE_NOUNS and len(countries) > 1:
        return Trigger("COOPERATE", "06")
    verb = support_verb(tok) or (tok.head if tok.dep_ == "dobj" else None)
    ended = trig.type in {"COOPERATE", "AID"} or trig.mode == "third-party"
    if ended and verb is not None and verb.lemma_ in ENDING_VERBS:
        return Trigger("SANCTION", "16", "discontinue")
    return trig


def fold_same_act(found: list[Found]) -> list[Found]:
    """In one sentence, an event of the same type whose actors are a subset of another's is the
    same act named twice ("The Doha Agreement was a deal signed between X and Y")."""
    by_sentence: dict[tuple[int, str], list[int]] = {}
    for n, f in enumerate(found):
        by_sentence.setdefault((f[0].sent.start, f[2].type), []).append(n)
    keep = []
    for n, (tok, _, trig, source, target) in enumerate(found):
        actors = set(source) | set(target)
        covered = any(
            m != n and actors <= (set(found[m][3]) | set(found[m][4]))
            and (len(set(found[m][3]) | set(found[m][4])) > len(actors) or m < n)
            for m in by_sentence[(tok.sent.start, trig.type)])
        if not covered:
            keep.append(found[n])
    return keep


def content_clause(tok: Token) -> bool:
    """A 'that' clause completing a noun ("its demand that Iran release the prisoners")."""
    return tok.dep_ == "acl" and any(c.dep_ == "mark" for c in tok.children)


def fold_purpose_clauses(found: list[Found]) -> list[Found]:
    """'visited Kabul to meet officials to discuss ...' is one act: a trigger in a purpose
    clause of a trigger of the same type folds into it, lending its target when that has none.
    So do a trigger governed by an AGREE, REQUEST, REJECT or THREATEN ("agreed to withdraw",
    "urged Iran to release", "refused to meet"; a promised hostile act makes it a THREATEN;
    "demanded that X act" lends X), any infinitive purpose clause ("resigned to allow
    elections"), a demand a protest is held for ("staged demonstrations to demand reforms"),
    and an event noun of the same type in a phrase of the act ("staged a hunger strike in
    protest against X"): PLOVER codes the governing act."""
    by_token = {f[0].i: n for n, f in enumerate(found)}
    merged: set[int] = set()
    result = [list(f) for f in found]
    for n, (tok, kind, trig, source, target) in enumerate(found):
        head = tok
        for _ in range(3):
            if head.dep_ == "pobj" and head.head.dep_ == "prep" and kind == "noun":  # "a strike in protest at X"
                head = head.head
            elif head.dep_ not in {"xcomp", "ccomp", "advcl", "conj"} and not content_clause(head) or head.head is head:
                break
            head = head.head
            m = by_token.get(head.i)
            if m is None and is_light_verb(head):  # "staged demonstrations to demand reforms"
                m = next((by_token[c.i] for c in head.children if c.dep_ == "dobj" and c.i in by_token), None)
            protest_demand = m is not None and found[m][2].type == "PROTEST" and trig.type == "REQUEST"
            purpose = tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
            complement = tok.dep_ in {"xcomp", "ccomp"} or content_clause(tok)
            governs = m is not None and (found[m][2].type in GOVERNING_TYPES and complement
                                         or protest_demand or purpose and head.i == tok.head.i)
            if m is not None and m not in merged and (found[m][2].type == trig.type or governs):
                asked = found[m][2].type == "REQUEST" and (tok.dep_ == "ccomp" or content_clause(tok))
                lent = source if asked else target  # "demanded that X act": X is asked
                if not result[m][4] and lent:
                    result[m][4] = [t for t in lent if t not in result[m][3]]
                if found[m][2].type == "AGREE" and trig.type in HOSTILE_TYPES:  # "ready to impose martial law"
                    result[m][2] = Trigger("THREATEN", "13")
                merged.add(n)
                break
    return [tuple(f) for n, f in enumerate(result) if n not in merged]  # type: ignore[misc]


def run(doc: Document, settings: Settings) -> list[Event]:
    if settings.verb_pattern_files:  # a user PETRARCH/TABARI verb dictionary alone decides
        from .verbpatterns import code_events
        return code_events(doc, settings)
    mentions = MentionIndex.build(doc.actors or [])
    mentions.genders = person_genders(doc.spacy_doc, mentions, doc.body or "")  # "she" as the quotes stage reads it
    ctx = Context(doc, doc.spacy_doc, mentions, {a.id: a for a in doc.actors or []},
                  doc.timexes or [], doc.places or [], doc.quotes or [], lexicon())
    collect_pairs(ctx)
    found: list[tuple[Token, str, Trigger, list[str], list[str]]] = []
    first_sentence: dict[str, int] = {}
    for tok in ctx.sdoc:
        hit = trigger_for(tok, ctx.lex)
        if hit is None:
            continue
        kind, trig = hit
        quote = ctx.quote_at(tok.idx)
        speaker = quote.speaker if quote else None
        source, target = arguments(tok, kind, trig, ctx, speaker)
        trig = noun_act(tok, kind, trig, source, ctx)
        if trig.requires_object_actor and not target:
            continue
        if not source and not target and not (trig.type in MATERIAL_TYPES and has_setting(tok, kind, ctx)):
            continue
        if kind == "noun" and not source and not target and refers_back(tok, trig, first_sentence):
            continue
        head_trigger = trigger_for(tok.head, ctx.lex) if tok.dep_ in {"dobj", "nsubj", "nsubjpass"} else None
        if kind == "noun" and head_trigger and head_trigger[1].type == trig.type:
            continue  # "signed an agreement", "the attack killed": the verb codes it
        found.append((tok, kind, trig, source, target))
        first_sentence.setdefault(trig.type, tok.sent.start)
    demanded = set()
    for cue, trig, source, target, content in speech_events(ctx):
        found.append((cue, "speech", trig, source, target))
        if content is not None:
            demanded.add(content.i)
    found = [f for f in found if f[0].i not in demanded]
    found = fold_purpose_clauses(found)

    found = fold_same_act(found)
    events: list[Event] = []
    seen: set[tuple[Any, ...]] = set()
    for tok, kind, trig, source, target in sorted(found, key=lambda f: f[0].idx):
        key = (tok.sent.start, trig.type, tuple(sorted(source)), tuple(sorted(target)))
        if key in seen:
            continue
        seen.add(key)
        quote = ctx.quote_at(tok.idx)
        when = with_span(event_date(tok, ctx, quote), tok, ctx)
        place = event_place(tok, ctx, trig.type in MATERIAL_TYPES)
        killed, injured = casualties(tok.sent) if trig.type == "ASSAULT" else (None, None)
        conf = confidence(source, target, when, place, kind)
        if conf < settings.min_event_confidence:
            continue
        mood = modality(tok, ctx, when)
        trig, mood = plover_type(trig, mood, tok)
        events.append(Event(
            id=f"e{len(events) + 1}", type=trig.type, mode=trig.mode, context=contexts(tok.sent, ctx),
            modality=mood, source=source, target=target, date=when, place=place,
            evidence=evidence(tok, ctx), confidence=conf, cameo=trig.cameo, trigger=tok.text,
            killed=killed, injured=injured, quote=ctx.stating_quote(tok)))
    return events


STAGE = Stage("events", needs=("body", "spacy_doc", "timexes", "places", "actors", "quotes"),
              adds="events", item_type=Event, run=run)
