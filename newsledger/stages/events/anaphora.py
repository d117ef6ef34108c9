"""Event-noun anaphora: an attack mention that names an attack already told by a definite event
noun. "At least 40 people were killed in the attacks", "two guards died in the blast", "the
bombing": the definite article or demonstrative marks the event as known to the reader, so the
mention adds victims, tolls or details to the attack the report told before; it is no new
attack. The lexicon coder folds such mentions into that attack (`lexicon_coder.
fold_repeated_attacks`), keeping the victims they state as its targets.
"""
from __future__ import annotations

from spacy.tokens import Token

from .arguments import definite
from .lexicon import Lexicon, event_words

SETTING_PREPOSITIONS = {"in", "during", "from", "by"}   # "killed in/during the raid", "died from the blast"


def names_attack(word: Token, lex: Lexicon, with_modifier: bool = False) -> bool:
    """Whether a noun is one the lexicon lists as naming an attack ("the killings", "the
    bombing"), even where it codes no act of its own; one that is an attack only with a
    modifier ("strike") too when `with_modifier`."""
    trig = lex.nouns.get(word.lemma_)
    return word.lemma_ in lex.attack_names or (
        trig is not None and trig.type == "ASSAULT" and (with_modifier or not trig.needs_modifier))


def setting_nouns(verb: Token) -> list[Token]:
    """The nouns of a verb's setting phrase: "in the attack", "during the raid", "from the
    blast", and the agent phrase of a passive ("killed by the explosions")."""
    out = []
    for c in verb.children:
        if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ in SETTING_PREPOSITIONS:
            out.extend(g for g in c.children if g.dep_ == "pobj")
    return out


def names_told_attack(trigger: Token, kind: str, lex: Lexicon) -> bool:
    """Whether an attack mention refers to an attack told before through a definite event noun:
    its trigger is one ("the bombing", "these attacks") or, for a verb, its setting phrase is
    one ("wounded in the attack", "killed by the blasts"). "An attack", "killed in an attack"
    and "killed 12 people" introduce an attack; they do not refer to one."""
    if kind == "noun":
        return definite(trigger) and names_attack(trigger, lex, with_modifier=True)
    return kind == "verb" and any(definite(n) and names_attack(n, lex, with_modifier=True) for n in setting_nouns(trigger))


RESTATING_PRONOUNS = {"it", "this", "that"}


def restated(noun: Token) -> Token | None:
    """The phrase an event noun restates: the subject of the copula it is the predicate of ("The
    summit was a meeting between X and Y", "It was the first meeting of ..."), or the noun it is
    in apposition to ("the summit, the first meeting of ..."), or the noun a naming participle
    gives it as a name ("the summit, known as the Singapore Summit"). Predicate nominals and appositives
    describe what their anchor names; they name no second event. A noun that modifies another
    ("a summit meeting") restates what its phrase does."""
    while noun.dep_ == "compound" and noun.head is not noun:
        noun = noun.head
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        return next((c for c in noun.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if noun.dep_ == "appos" and noun.head is not noun:
        return noun.head
    naming = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "as" else None
    if naming is not None and naming.dep_ == "acl" and naming.lemma_ in event_words().naming_verbs:
        return naming.head   # "the summit, commonly known as the Singapore Summit"
    return None


def pronoun_anchor(anchor: Token) -> bool:
    """'It was ...', 'This was ...': an anchor that names what the text told before."""
    return anchor.pos_ == "PRON" and anchor.lower_ in RESTATING_PRONOUNS
