"""Events coded with a user's PETRARCH/TABARI verb dictionary (`--verbs FILE`).

When the setting `verb_pattern_files` names dictionaries, the events stage hands each document
here and the user's dictionary alone decides which verbs are events, as PETRARCH codes them:
the packaged lexicon (`data/event_lexicon.yaml`) is not consulted. Without the setting nothing
here runs.

On the spaCy parse, for every verb (a token tagged VB*) the dictionary knows (see
`newsledger.verbdict` for the format; multi-word verbs first, then the token's form, then its
lemma):
- its patterns are tried: the words before `*` against the sentence's words before the verb
  (nearest first), the words after it against the verb's dependency subtree after it; a word
  matches a token's text or lemma; `$`, `+` and `%` match a token of an actor mention (the
  actors stage) and take that actor with its conjuncts ("Gondor and Osgiliath"); `^` skips a
  noun phrase. The matching pattern with the most items wins; without one, the verb's own code.
- the null code `---` gives no event; a code the CAMEO->PLOVER mapping (`newsledger.cameomap`)
  gives no type to (01, 02, PETRARCH's test codes) gives none either.
- source: the pattern's `$`, else the verb's subject (through "is about to", "agreed to",
  conjoined verbs), a pronoun taking the latest actor named before it; in the passive with a
  "by" agent, the agent (the subject becomes the target); without an agent the subject stays
  the source, as PETRARCH codes it. Target: the pattern's `+`, else the first actor in the
  verb's subtree after it that is not a source. `%` makes the coordinated actors each other's
  source and target. A "X:Y" code adds the reverse event, target to source, with code Y.
- as PETRARCH with `require_dyad`, an event needs a source and a target.
- a negated verb ("did not", "never") is an event only when the matching pattern itself holds
  the negation ("WILL NOT * [081]"): then the pattern's code says what the negated act is.
Date, place, evidence and confidence come from the events stage's own rules; the event keeps
the dictionary's full CAMEO code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Token

from ...cameomap import cameo_map, plover_of
from ...model import Actor, Document, Event
from ...settings import Settings
from ...verbdict import NULL_CODE, Element, Pattern, Verb, VerbDictionary, load_verb_dictionaries
from ..mentions import MentionIndex, possessive_determiners
from .attributes import (PHYSICAL_TYPES, Casualties, casualties, confidence, contexts, event_date, event_place, evidence, modality,
                         with_span)
from .context import Context, build_context
from .syntax import passive_agent, subject

PRONOUNS = {"it", "its", "they", "them", "their", "he", "she", "him", "her", "his"}
ACTOR_KINDS = {"state", "organisation", "person", "group"}


@dataclass
class Match:
    """What a pattern bound: actor tokens of its slots and the tokens its words used."""
    pattern: Pattern | None
    source: Token | None = None
    target: Token | None = None
    compound: Token | None = None
    used: set[int] = field(default_factory=set)


# ---------------------------------------------------------------- the verb

def verb_words_fit(tok: Token, verb: Verb) -> bool:
    """The words of a multi-word verb stand right before and after the token."""
    doc = tok.doc
    for offset, word in enumerate(reversed(verb.before), start=1):
        i = tok.i - offset
        if i < 0 or not word_fits(doc[i], word):
            return False
    for offset, word in enumerate(verb.after, start=1):
        i = tok.i + offset
        if i >= len(doc) or not word_fits(doc[i], word):
            return False
    return True


def verb_of(tok: Token, dictionary: VerbDictionary) -> Verb | None:
    if not tok.tag_.startswith("VB"):
        return None
    for verb in dictionary.candidates(tok.text, tok.lemma_):
        if verb_words_fit(tok, verb):
            return verb
    return None


def word_fits(tok: Token, word: str) -> bool:
    return tok.text.upper() == word or tok.lemma_.upper() == word


# ---------------------------------------------------------------- pattern matching

class Matcher:
    """Matches pattern elements against one side of a verb: `tokens` in matching order
    (after the verb: left to right; before it: nearest first)."""

    def __init__(self, tokens: list[Token], forward: bool, dictionary: VerbDictionary, mentions: MentionIndex):
        self.tokens, self.forward = tokens, forward
        self.dictionary, self.mentions = dictionary, mentions

    def run(self, elements: list[Element], adjacency: list[bool]) -> Match | None:
        return self.step(elements, adjacency, 0, 0, Match(None))

    def step(self, elements: list[Element], adjacency: list[bool], k: int, pos: int, found: Match) -> Match | None:
        if k == len(elements):
            return found
        starts = [pos] if adjacency[k] else range(pos, len(self.tokens))
        for start in starts:
            for end, bound in self.fits(elements[k], start):
                used = found.used | {t.i for t in self.tokens[start:end]}
                result = Match(None, found.source, found.target, found.compound, used)
                if bound is not None:  # "%" after the verb is a compound target ("* WITH %")
                    kind = elements[k].kind
                    setattr(result, "target" if kind == "compound" and self.forward else kind, bound)
                done = self.step(elements, adjacency, k + 1, end, result)
                if done is not None:
                    return done
        return None

    def fits(self, element: Element, start: int) -> list[tuple[int, Token | None]]:
        """(end position, bound actor token) for each way the element can match at `start`."""
        if start >= len(self.tokens):
            return []
        tok = self.tokens[start]
        if element.kind == "word":
            return [(start + 1, None)] if word_fits(tok, element.value) else []
        if element.kind == "synset":
            ends = []
            for phrase in self.dictionary.synsets.get(element.value, ()):
                words = phrase if self.forward else tuple(reversed(phrase))
                span = self.tokens[start:start + len(words)]
                if len(span) == len(words) and all(t.i == span[0].i + (n if self.forward else -n) and word_fits(t, w)
                                                   for n, (t, w) in enumerate(zip(span, words))):
                    ends.append((start + len(words), None))
            return ends
        if element.kind == "skip":
            return [(self.phrase_end(start), None)]
        hit = self.mentions.holding(tok.idx)
        if hit is None:
            return []
        if element.kind == "compound" and len(conjunct_mentions(tok, self.mentions)) < 2:
            return []
        return [(self.phrase_end(start), tok)]

    def phrase_end(self, start: int) -> int:
        """The position after the noun phrase (or the actor mention) starting at `start`."""
        tok = self.tokens[start]
        lo, hi = noun_chunk_bounds(tok.doc).get(tok.i, (tok.i, tok.i + 1))
        hit = self.mentions.holding(tok.idx)
        if hit is not None:
            mention = tok.doc.char_span(hit.start, hit.end, alignment_mode="expand")
            lo, hi = min(lo, mention.start), max(hi, mention.end)
        end = start + 1
        while end < len(self.tokens) and lo <= self.tokens[end].i < hi:
            end += 1
        return end


def side_tokens(tok: Token, verb: Verb) -> tuple[list[Token], list[Token]]:
    """Tokens a pattern is matched against: before the verb (nearest first, in its sentence),
    and after it (its subtree). The verb's own extra words are left out."""
    sent = tok.sent
    first = tok.i - len(verb.before)
    last = tok.i + len(verb.after)
    before = [t for t in reversed(sent[:first - sent.start]) if not t.is_punct]
    after = [t for t in tok.subtree if t.i > last and not t.is_punct]
    return before, after


def match_pattern(pattern: Pattern, before: Matcher, after: Matcher) -> Match | None:
    back = list(reversed(pattern.before))
    back_adjacent = [pattern.verb_adjacent_before] + [e.adjacent for e in back[:-1]]
    left = before.run(back, back_adjacent)
    if left is None:
        return None
    ahead = list(pattern.after)
    ahead_adjacent = [pattern.verb_adjacent_after] + [e.adjacent for e in ahead[1:]]
    right = after.run(ahead, ahead_adjacent)
    if right is None:
        return None
    return Match(pattern, left.source or right.source, right.target or left.target,
                 left.compound or right.compound, left.used | right.used)


def best_match(before_toks: list[Token], after_toks: list[Token], verb: Verb, dictionary: VerbDictionary,
               mentions: MentionIndex) -> Match:
    """The most specific matching pattern of the verb's block (first in the file on a tie),
    or an empty match: the verb's own code."""
    before = Matcher(before_toks, False, dictionary, mentions)
    after = Matcher(after_toks, True, dictionary, mentions)
    best: Match | None = None
    for pattern in dictionary.patterns.get(verb.block, ()):
        found = match_pattern(pattern, before, after)
        if found is not None and (best is None or pattern.size > best.pattern.size):  # type: ignore[union-attr]
            best = found
    return best or Match(None)


# ---------------------------------------------------------------- actors

def mention_root(hit: tuple[int, int, str, str], doc: Doc) -> Token | None:
    span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
    return span.root if span is not None else None


class ActorIndex(MentionIndex):
    """Actor mentions by position, with each actor's country. Unlike the lexicon coder's index
    it keeps places: a capital or country named as an argument stands for its state, as a
    PETRARCH dictionary codes it ("Pyongyang fired shells at Seoul": PRK -> KOR)."""
    countries: dict[str, str | None]

    @classmethod
    def of(cls, actors: list[Actor], possessives: frozenset[tuple[int, int]]) -> "ActorIndex":
        index = cls.build(actors, possessives, keep_places=True)
        index.countries = {a.id: a.country for a in actors}
        return index


def phrase_actor(head: Token, mentions: ActorIndex) -> str | None:
    """The actor a noun phrase names. An actor without a country ("the government", "soldiers")
    takes the country actor named inside its phrase ("the Calenardhon government", "soldiers
    from Gondor", "Dagolath's minister"), as PETRARCH joins an agent to its actor."""
    found = mentions.holding(head.idx)
    if found is not None and mentions.countries.get(found.actor):
        return found.actor
    clauses = {t.i for c in head.children if c.dep_ in {"relcl", "acl", "conj", "appos"} for t in c.subtree}
    for t in head.subtree:
        inner = mentions.holding(t.idx) if t.i not in clauses else None
        if inner is not None and mentions.countries.get(inner.actor):
            return inner.actor
    if found is not None:
        return found.actor
    return next((mentions.holding(t.idx).actor for t in head.subtree
                 if t.i not in clauses and mentions.holding(t.idx)), None)


def conjunct_mentions(tok: Token, mentions: ActorIndex) -> list[str]:
    """The actor a token names, with the actors coordinated with it ("Gondor and Osgiliath")."""
    hit = mentions.holding(tok.idx)
    if hit is None:
        return []
    root = mention_root(hit, tok.doc) or tok
    while root.dep_ in {"compound", "poss"} and root.head.pos_ in {"NOUN", "PROPN"}:
        root = root.head  # "Calenardhon" of "the Calenardhon government": the whole phrase
    group = [root, *root.conjuncts] if root.dep_ != "conj" else [root]
    # a list the parser hung on the head as a modifier or apposition ("Fornost and the evil
    # Gondor": Fornost nmod of Gondor; "Mordor, the Shire, Fornost and Bree": an appos with conjuncts)
    listed = [c for c in root.children if c.dep_ in {"nmod", "appos", "compound"} and any(g.dep_ == "conj" for g in c.children)]
    group += [m for c in listed for m in (c, *c.conjuncts) if m not in group]
    ids: list[str] = []
    for member in sorted(group, key=lambda t: t.i):
        found = phrase_actor(member, mentions)
        if found is not None and found not in ids:
            ids.append(found)
    return ids or [hit.actor]


def phrase_actors(tok: Token | None, mentions: MentionIndex) -> list[str]:
    """Actors named by an argument phrase: its own mention, a pronoun's antecedent, or the first
    mention inside the phrase."""
    if tok is None:
        return []
    if mentions.holding(tok.idx):
        return conjunct_mentions(tok, mentions)
    if tok.lower_ in PRONOUNS:
        hit = mentions.latest_before(tok.idx, ACTOR_KINDS)
        return [hit.actor] if hit else []
    for t in tok.subtree:
        if mentions.holding(t.idx):
            return conjunct_mentions(t, mentions)
    return []


def default_arguments(tok: Token, after: list[Token], mentions: MentionIndex) -> tuple[list[str], list[str]]:
    subj = subject(tok)
    agent = passive_agent(tok)
    if agent is not None and any(c.dep_ == "nsubjpass" for c in tok.children):
        return phrase_actors(agent, mentions), phrase_actors(subj, mentions)
    source = phrase_actors(subj, mentions)
    for t in after:
        hit = mentions.holding(t.idx)
        if hit is not None and hit.actor not in source:
            return source, [i for i in conjunct_mentions(t, mentions) if i not in source]
    return source, []


def negated(tok: Token) -> Token | None:
    """The negation of the verb or of the verbs it completes ("will not wire tap")."""
    t = tok
    for _ in range(3):
        neg = next((c for c in t.children if c.dep_ == "neg" or c.lower_ in {"never"}), None)
        if neg is not None:
            return neg
        if t.dep_ not in {"xcomp", "conj"}:
            return None
        t = t.head
    return None


# ---------------------------------------------------------------- events

@dataclass
class Coded:
    tok: Token
    code: str
    source: list[str]
    target: list[str]
    negation_coded: bool = False   # the matched pattern holds the verb's negation: its code is the act


def code_verb(tok: Token, verb: Verb, dictionary: VerbDictionary, mentions: MentionIndex) -> list[Coded]:
    before_toks, after_toks = side_tokens(tok, verb)
    found = best_match(before_toks, after_toks, verb, dictionary, mentions)
    code, reverse = (found.pattern.code, found.pattern.reverse_code) if found.pattern else (verb.code, verb.reverse_code)
    if code == NULL_CODE:
        return []
    neg = negated(tok)
    if neg is not None and neg.i not in found.used:
        return []
    source, target = default_arguments(tok, after_toks, mentions)
    if found.source is not None:
        source = conjunct_mentions(found.source, mentions)
    if found.target is not None:
        target = conjunct_mentions(found.target, mentions)
    out = []
    if found.compound is not None:
        group = conjunct_mentions(found.compound, mentions)
        out += [Coded(tok, code, [a], [b for b in group if b != a], neg is not None) for a in group]
    else:
        target = [t for t in target if t not in source]
        out.append(Coded(tok, code, source, target, neg is not None))
    if reverse and reverse != NULL_CODE:
        out += [Coded(tok, reverse, c.target, c.source, c.negation_coded) for c in list(out)]
    return [c for c in out if c.source and c.target]


def code_events(doc: Document, settings: Settings) -> list[Event]:
    """The document's events coded with the user's verb dictionaries (see the module docstring)."""
    dictionary = load_verb_dictionaries(tuple(settings.verb_pattern_files))
    table = cameo_map(settings.cameo_map_file)
    ctx = build_context(doc, ActorIndex.of(doc.actors or [], possessive_determiners(doc.spacy_doc)))
    events: list[Event] = []
    seen: set[tuple[object, ...]] = set()
    for tok in ctx.tokens:
        verb = verb_of(tok, dictionary)
        if verb is None:
            continue
        for coded in code_verb(tok, verb, dictionary, ctx.mentions):
            plover = plover_of(coded.code, table)
            key = (tok.i, coded.code, tuple(coded.source), tuple(coded.target))
            if plover is None or key in seen:
                continue
            seen.add(key)
            event = make_event(coded, plover, ctx, len(events) + 1)
            if event.confidence >= settings.min_event_confidence:
                events.append(event)
    return events


@lru_cache(maxsize=2)
def noun_chunk_bounds(doc: Doc) -> dict[int, tuple[int, int]]:
    """Token index -> (start, end) of the noun chunk holding it, computed once per document."""
    return {i: (chunk.start, chunk.end) for chunk in doc.noun_chunks for i in range(chunk.start, chunk.end)}


def make_event(coded: Coded, plover, ctx: Context, number: int) -> Event:
    tok = coded.tok
    quote = ctx.quote_at(tok.idx)
    when = with_span(event_date(tok, ctx, quote), tok, ctx)
    place = event_place(tok, ctx, plover.type in PHYSICAL_TYPES)
    mood = modality(tok, ctx, when)
    if mood == "negated" and coded.negation_coded:  # "did not restore ties": SANCTION, asserted
        mood = "asserted"
    counts = casualties(tok.sent) if plover.type == "ASSAULT" else Casualties()
    return Event(
        id=f"e{number}", type=plover.type, mode=plover.mode,
        context=list(plover.contexts) or contexts(tok.sent, ctx), modality=mood,
        source=coded.source, target=coded.target, date=when, place=place, evidence=evidence(tok, ctx),
        confidence=confidence(coded.source, coded.target, when, place, "verb"), cameo=coded.code,
        trigger=tok.text, quote=ctx.stating_quote(tok), **counts.fields())
