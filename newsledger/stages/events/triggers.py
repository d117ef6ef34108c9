"""Triggers of the lexicon coder: which token names an act of the packaged lexicon
(`data/event_lexicon.yaml`), as a verb, an adjective or an event noun, and what its object
makes of it."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from .lexicon import Lexicon, Trigger
from .syntax import for_clause, has_object, infinitive_complement, is_light_verb, labels, of_phrase_name, support_verb
from .lexicon import event_words


@dataclass(frozen=True)
class TriggerHit:
    """A token's act: its part ("verb", "adjective", "noun") and its lexicon entry."""
    kind: str
    trigger: Trigger


# The parts of speech a trigger can be: every other token is no act.
TRIGGER_POS = frozenset({"VERB", "ADJ", "NOUN", "PROPN"})


def trigger_for(tok: Token, lex: Lexicon) -> TriggerHit | None:
    pos = tok.pos_   # read once: each read of a Token attribute is a lookup in spaCy's string store
    if pos not in TRIGGER_POS:
        return None
    lemma = tok.lemma_.lower()
    if pos == "VERB" and tok.dep_ == "amod":
        return None  # a participle naming a state, not an act: "the outlawed TTP", "the occupied West Bank"
    if pos == "VERB" and lemma in event_words().labelling_verbs and labels(tok):
        return None  # "called the attack an act of terror": naming, not a call (lexicon_coder.labelling_acts)
    if pos == "VERB" and carries_expression(tok, lex):
        return None  # "offered our condolences", "stand in solidarity": the noun names the act
    if pos == "VERB":
        particles = {c.lower_ for c in tok.children if c.dep_ in {"prt", "prep"}}
        particles |= {"for"} if for_clause(tok) is not None else set()
        phrasal = next((lex.verbs[f"{lemma} {p}"] for p in sorted(particles) if f"{lemma} {p}" in lex.verbs), None)
        if phrasal is not None and phrasal.requires_xcomp and not requested_action(tok):
            return None  # "I will call on you": giving the floor, not an appeal to act
        if phrasal is not None:  # "call for", "hand over", "lay down"
            return TriggerHit("verb", by_object(tok, phrasal))
    if pos == "VERB" and lemma in lex.verbs:
        trig = lex.verbs[lemma]
        if trig.particle and not particles & set(trig.particle):
            return None
        if particles & set(trig.particle_absent):
            return None
        if trig.requires_xcomp and not any(infinitive_complement(c) for c in tok.children):
            return None
        if trig.requires_object and not has_object(tok, trig.requires_object):
            return None
        if trig.no_act_objects and has_object(tok, trig.no_act_objects):
            return None  # "released the names of the victims": information, not captives
        return TriggerHit("verb", by_object(tok, trig))
    if pos == "ADJ" and lemma in lex.adjectives:
        return TriggerHit("adjective", lex.adjectives[lemma])
    if pos in {"NOUN", "PROPN"}:
        compound = next((lex.nouns[f"{c.lower_} {lemma}"] for c in tok.children
                         if c.dep_ in {"compound", "amod"} and f"{c.lower_} {lemma}" in lex.nouns), None)
        if compound is not None and supported(tok, compound):
            return TriggerHit("noun", compound)  # "hunger strike", "general strike"
        named = of_phrase_name(tok)
        if named in lex.nouns:  # "a state of emergency"
            return TriggerHit("noun", lex.nouns[named])
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and of_phrase_name(tok.head.head) in lex.nouns:
            return None  # "siege" in "a state of siege": the phrase names the act
    if pos in {"NOUN", "PROPN"} and (lemma in lex.nouns or tok.lower_ in lex.nouns):
        trig = lex.nouns.get(tok.lower_) or lex.nouns[lemma]
        if trig.needs_modifier and not any(c.lower_ in trig.needs_modifier for c in tok.children):
            return None
        if not supported(tok, trig):
            return None  # "an army patrol was ambushed", "issued a health alert"
        return TriggerHit("noun", trig)
    return None


def requested_action(verb: Token) -> bool:
    """Whether an appeal states the act it asks for: an infinitive complement ("called on X to
    release"), which the parser may attach after the addressee as an adverbial clause or to the
    addressee itself ("X to release"), or a content clause ("urged that X act")."""
    if any(infinitive_complement(c) or c.dep_ == "ccomp" for c in verb.children):
        return True
    clauses = [c for c in verb.children if c.dep_ == "advcl"]
    clauses += [g for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"
                for g in o.children if g.dep_ in {"acl", "relcl"}]
    return any(any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) for c in clauses)


def by_object(verb: Token, trig: Trigger) -> Trigger:
    """The act a verb's object makes it (the PLOVER manual: capturing a town is ASSAULT, a person
    COERCE; handing over medicine AID, prisoners RETREAT; lifting a curfew CONCEDE)."""
    return next((alt for words, alt in trig.by_object if has_object(verb, words)), trig)


def carries_expression(verb: Token, lex: Lexicon) -> bool:
    """Whether a verb only carries an expressive event noun (one the lexicon lets any light or
    state verb carry: "offered condolences", "expressed sympathy", "stand in solidarity")."""
    words = event_words()
    if not is_light_verb(verb) and verb.lemma_ not in words.state_verbs | words.expression_verbs:
        return False
    nouns = [c for c in verb.children if c.dep_ == "dobj"]
    nouns += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    for noun in nouns:
        trig = lex.nouns.get(noun.lower_) or lex.nouns.get(noun.lemma_.lower())
        if trig is not None and trig.needs_support_verb == "any" and support_verb(noun, expressive=True) == verb:
            return True
    return False


def supported(noun: Token, trig: Trigger) -> bool:
    """Whether an event noun that names an act only after a light or state verb has one."""
    if trig.needs_support_verb is None:
        return True
    verb = support_verb(noun, expressive=trig.needs_support_verb == "any")
    if verb is None or trig.needs_support_verb == "any":
        return verb is not None
    return (verb.lemma_ in event_words().state_verbs) == (trig.needs_support_verb == "state")
