"""Coreference inside one document: the words that refer to an actor without naming it join
that actor's mentions, so that a reader (and the quotes and events stages) can follow the
chain from "he", "the minister" or "the group" back to a name.

A deterministic multi-pass sieve in the manner of Stanford's (Lee et al. 2013): each pass
links one kind of mention, most precise first, and later passes see what earlier ones
linked. The actors stage has already done the name passes (exact names and aliases,
"Mr Asif"/"Asif" after "Khawaja Asif", a title with a surname, "the minister" after a person
with that role); then, in this module, in order:
1. `appositives`: a noun phrase set off by a comma in apposition to a mention, or the
   predicate nominative of a mention ("Jane Doe, a spokeswoman for the ministry"; "Doe is the
   ministry's spokeswoman"); an alias in brackets is the actors stage's.
2. `nominals`: a definite noun phrase with a role or group head ("the spokesman", "the
   group", "the militants", "the embassy") joins the latest actor whose role or name has that
   head word, else the latest actor of the head's sector and kind, within a window; then
   `generic_actors`: an actor the actors stage made only of definite common nouns ("the
   court", "the ministry", a generic dictionary entry) joins the named actor before it of the
   same kind and a compatible country whose name has the head word, else of the same sector.
3. `pronouns`: he/him, she/her, it, they/them join the most salient earlier mention they
   agree with in number, gender (stages/gender.py) and animacy: the current sentence's
   mentions before the pronoun, then earlier sentences one by one; inside a sentence
   subjects first (the nearest in the pronoun's own sentence, the first in an earlier one),
   then by position; "they" prefers a plural phrase. Possessive determiners (his, her,
   its, their) are linked the same way (LINKED_PRONOUN_TAGS).
4. `unresolved_speakers`: a subject that no pass linked, naming a role or group but no one
   ("officials said", "a spokeswoman said", "the militants attacked"), or speaking through a
   speech, report or belief verb or a report adjective whatever it is ("the report says",
   "several experts cautioned", "analysts described", "economists doubt that ...", "critics
   are wary of ...", data/report_verbs.yaml; `reports_here`), becomes an
   actor of its own: a person, group, organisation or source (`unresolved_kind`) of the
   noun's sector, of the country its phrase names or else, for a sector every state has, of
   the report's home country.
5. `statement_first_person`: in a statement (first person outside quotation marks, "we
   condemn"), "we"/"our"/"us" is the issuing body: the outlet as the actor dictionary reads it
   (handed over by the actors stage), else the actor the outlet names, else the first actor the
   document names as a subject; one word is enough for an official body the outlet names, two
   otherwise. This is the one first-person-plural mechanism (the actors stage only looks the
   outlet up).
First person inside a quotation ("“We will respond,” she said") is the quote's speaker's; that
link is made by the quotes stage, which finds the speakers (`link_first_person`).
"""
from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field, replace
from functools import cache
from typing import NamedTuple

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..actordict import sector_for_term, title_sector
from ..model import Actor, Span
from ..resources import load_yaml
from .gender import person_genders
from .mentions import (Intervals, MentionIndex, belief_verbs, phrase_range, possessive_determiners, report_adjectives,
                       report_verbs, tokens_with)

MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
NEUTER = {"it", "its", "itself"}
PLURAL = {"they", "them", "their", "theirs", "themselves"}
FIRST_PLURAL = {"we", "us", "our", "ours", "ourselves"}
FIRST_SINGULAR = {"i", "me", "my", "mine", "myself"}
FIRST_PERSON = FIRST_PLURAL | FIRST_SINGULAR
DEFINITE = {"the", "this", "that", "these", "those"}
SUBJECTS = {"nsubj", "nsubjpass"}
SENTENCE_WINDOW = 3               # how many sentences back a pronoun looks before the latest agreeing mention
NOMINAL_WINDOW = 1500             # characters back a nominal looks for its antecedent
STATE_SECTORS = {"GOV", "MIL", "COP", "SPY", "LEG", "JUD"}
OFFICIAL_SECTORS = {"GOV", "MIL", "COP", "IGO", "LEG", "JUD"}   # bodies that issue statements
# Third-person pronouns linked: personal pronouns and possessive determiners ("his remarks",
# "its forces", "their leader": the owner is the antecedent's mention too; the index the
# quotes and events stages read leaves possessives out, mentions.MentionIndex.build).
LINKED_PRONOUN_TAGS = {"PRP", "PRP$"}


@cache
def organisation_nouns() -> frozenset[str]:
    """Head nouns naming an organisation ("the agency", "the embassy"; data/coref_nouns.yaml)."""
    return frozenset(load_yaml("coref_nouns.yaml")["organisation_nouns"])


@cache
def generic_group_nouns() -> frozenset[str]:
    """Nouns that may stand for any named group ("the group", "the movement")."""
    return frozenset(load_yaml("coref_nouns.yaml")["generic_group_nouns"])


@dataclass
class Chains:
    """The actors of a document while the sieve links mentions to them."""
    body: str
    actors: list[Actor]
    index: MentionIndex
    by_id: dict[str, Actor] = field(default_factory=dict)
    linked: set[tuple[str, int, int]] = field(default_factory=set)   # (actor id, start, end) of every mention

    @classmethod
    def build(cls, body: str, actors: list[Actor], possessives: frozenset[tuple[int, int]]) -> "Chains":
        return cls(body, actors, MentionIndex.build(actors, possessives), {a.id: a for a in actors},
                   {(a.id, m.start, m.end) for a in actors for m in a.mentions})

    def link(self, actor: Actor, start: int, end: int) -> None:
        """Add body[start:end] to `actor`'s mentions (once), kept in order of position."""
        if (actor.id, start, end) in self.linked:
            return
        self.linked.add((actor.id, start, end))
        insort(actor.mentions, Span(self.body[start:end], start, end), key=lambda m: m.start)
        self.index.add(start, end, actor.id, actor.kind)

    def next_id(self) -> str:
        """An actor id not yet taken: "a" and one more than the highest number in use."""
        return f"a{max((int(a.id[1:]) for a in self.actors if a.id[1:].isdigit()), default=0) + 1}"

    def add(self, actor: Actor) -> Actor:
        """Take `actor` into the document's actors (its id must be new)."""
        self.actors.append(actor)
        self.by_id[actor.id] = actor
        return actor

    def new_actor(self, name: str, kind: str, country: str | None, sector: str | None, role: str | None,
                  start: int, end: int) -> Actor:
        actor = self.add(Actor(self.next_id(), name, kind, country, sector, role))
        self.link(actor, start, end)
        return actor

    def free(self, start: int, end: int) -> bool:
        return self.index.holding(start) is None and self.index.holding(end - 1) is None


def noun_phrase(head: Token) -> tuple[int, int]:
    """Characters of a noun's phrase up to its head: determiner, modifiers and the noun, without
    the prepositional phrases and clauses after it ("a spokeswoman" of "a spokeswoman for X")."""
    left = head.left_edge
    while left.i < head.i and (left.is_punct or left.is_space):
        left = left.doc[left.i + 1]
    return left.idx, head.idx + len(head.text)


def head_of_mention(sdoc: Doc, start: int, end: int) -> Token | None:
    span = sdoc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None else None


def role_noun_sector(noun: Token) -> str | None:
    """The sector of a role or group noun ("spokesman" GOV, "militants" REB), None for others."""
    return title_sector(noun.lower_) or sector_for_term(noun.lemma_.lower()) or sector_for_term(noun.lower_)


# --------------------------------------------------------------------------- pass 1

def appositives(sdoc: Doc, chains: Chains) -> None:
    """"Jane Doe, a spokeswoman for the ministry," / "the group's leader, Jane Doe," / "Doe is
    the spokeswoman": the other noun phrase joins the mention's actor."""
    for tok in tokens_with(sdoc, pos=("NOUN", "PROPN")):
        if tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        if tok.dep_ == "appos":
            if tok.left_edge.i == 0 or sdoc[tok.left_edge.i - 1].text != ",":
                continue                             # "the force (UNIFIL)": an alias in brackets, not a phrase of its own
            other = tok.head
        elif tok.dep_ == "attr" and tok.head.lemma_ == "be":
            other = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        else:
            continue
        if other is None:
            continue
        named = chains.index.holding(other.idx)
        start, end = noun_phrase(tok)
        if named is not None and chains.free(start, end) and tok.pos_ == "NOUN":
            chains.link(chains.by_id[named[2]], start, end)
        elif named is None and tok.dep_ == "appos" and other.pos_ == "NOUN":
            apposed = chains.index.holding(tok.idx)      # "the group's leader, Jane Doe"
            start, end = noun_phrase(other)
            if apposed is not None and chains.free(start, end):
                chains.link(chains.by_id[apposed[2]], start, end)


# --------------------------------------------------------------------------- pass 2

def nominals(sdoc: Doc, chains: Chains) -> None:
    """A definite role or group noun phrase ("the spokesman", "the group", "the militants",
    "the embassy") joins the latest actor within NOMINAL_WINDOW characters whose role or name
    has its head word; else the latest actor of the head's sector and kind (a role noun a
    person, a group noun a group or organisation)."""
    for tok in tokens_with(sdoc, pos=("NOUN",)):
        if tok.pos_ != "NOUN" or tok.dep_ in {"compound", "amod", "poss"}:
            continue
        det = next((c for c in tok.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in DEFINITE:
            continue
        start, end = noun_phrase(tok)
        if not chains.free(start, end):
            continue
        actor = nominal_antecedent(tok, chains, start)
        if actor is not None:
            chains.link(actor, start, end)


def nominal_antecedent(noun: Token, chains: Chains, before: int) -> Actor | None:
    word = noun.lower_
    lemma = noun.lemma_.lower()
    plural = noun.tag_ in {"NNS", "NNPS"}
    sector = role_noun_sector(noun)
    organisation = lemma in organisation_nouns()
    if sector is None and not organisation:
        return None
    wanted = {"group", "organisation", "state"} if plural or organisation else {"person"}
    by_sector: Actor | None = None
    for start, end, actor_id, kind in chains.index.backwards_from(before):
        if end > before:
            continue
        if start < before - NOMINAL_WINDOW:
            break
        actor = chains.by_id[actor_id]
        words = {w.strip(".,()").lower() for w in f"{actor.name} {actor.role or ''}".split()}
        if kind in wanted and (word in words or lemma in words):
            return actor                             # "the embassy" after "the U.S. Embassy"
        same_sector = sector is not None and actor.sector == sector and (kind != "state" or organisation)
        named_group = lemma in generic_group_nouns() and kind in {"group", "organisation"} and actor.name[:1].isupper()
        if by_sector is None and kind in wanted and (same_sector or named_group):
            by_sector = actor                        # "the militants" a REB group; "the group" a named group
    if plural or organisation:
        return by_sector
    return None                                      # "the spokesman" with no spokesman named: its own actor


def generic_actors(chains: Chains) -> None:
    """An actor the actors stage made only of definite common nouns ("the court", "the
    ministry": a generic dictionary entry, not a name) joins the named actor before it that the
    noun stands for (`generic_antecedent`): its mentions become that actor's and it is dropped."""
    for actor in list(chains.actors):
        heads = {generic_head(m.text) for m in actor.mentions}
        if not actor.mentions or None in heads or len(heads) != 1 or actor.kind not in {"organisation", "group"}:
            continue
        target = generic_antecedent(actor, heads.pop(), chains)
        if target is None:
            continue
        chains.actors.remove(actor)
        for m in actor.mentions:
            chains.linked.discard((actor.id, m.start, m.end))
            chains.index.remove(m.start, m.end, actor.id)
            chains.link(target, m.start, m.end)


def generic_head(text: str) -> str | None:
    """The head noun of a definite common noun phrase ("The court" -> court; "the foreign
    ministry" -> ministry), None for anything else (a name, a bare noun)."""
    words = text.split()
    if len(words) < 2 or words[0].lower() not in DEFINITE or not all(w.islower() for w in words[1:]):
        return None
    return words[-1].strip(".,").lower()


def generic_antecedent(actor: Actor, head: str, chains: Chains) -> Actor | None:
    """The named actor, mentioned within NOMINAL_WINDOW characters before the generic actor's
    first mention, of the same kind and a compatible country, whose name has the head word
    ("the court" after "the Supreme Court of Pakistan"), else of the same sector when the head is
    an organisation noun ("the ministry" after "the Foreign Office", both GOV)."""
    first = actor.mentions[0].start
    by_sector: Actor | None = None
    for start, end, actor_id, kind in chains.index.backwards_from(first):
        if start < first - NOMINAL_WINDOW:
            break
        other = chains.by_id[actor_id]
        if other is actor or end > first or kind != actor.kind or not other.name[:1].isupper() \
                or generic_head(chains.body[start:end]) is not None:
            continue
        if actor.country and other.country and other.country != actor.country:
            continue
        if head in {w.strip(".,()").lower() for w in other.name.split()}:
            return other
        if by_sector is None and actor.sector and other.sector == actor.sector and head in organisation_nouns():
            by_sector = other
    return by_sector


# --------------------------------------------------------------------------- pass 3

def agreeing_kinds(word: str) -> set[str]:
    if word in MALE | FEMALE:
        return {"person"}
    if word in NEUTER:
        return {"state", "organisation", "group"}
    return {"state", "organisation", "group", "person"}


def is_pleonastic(tok: Token) -> bool:
    """"it" that refers to nothing: "it is likely that ...", "it was not clear why", "it seems
    that ...", "it was reported that ..."."""
    if tok.lower_ != "it":
        return False
    if tok.dep_ == "expl":
        return True
    head = tok.head
    if tok.dep_ not in SUBJECTS:
        return False
    if head.lemma_ == "be" and any(c.dep_ == "acomp" for c in head.children):
        return True                                  # "it is clear (that ...)", "it was not clear why"
    if not any(c.dep_ in {"ccomp", "xcomp", "csubj"} for c in head.children):
        return False
    if head.lemma_ in {"seem", "appear", "remain", "become"}:
        return True                                  # "it seems that ..."
    # "it was reported that ..." is nobody's report; an active "it says that ..." is something's
    return head.lemma_ in {"report", "say", "believe", "expect", "understand"} and tok.dep_ == "nsubjpass"


def pronouns(sdoc: Doc, chains: Chains, genders: dict[str, str]) -> None:
    """Third-person pronouns join the most salient earlier mention they agree with (module
    docstring, pass 3); a pronoun inside a quotation may refer to people outside it."""
    sentences = list(sdoc.sents)
    sentence_of = {s.start: n for n, s in enumerate(sentences)}
    for tok in tokens_with(sdoc, lower=tuple(sorted(MALE | FEMALE | NEUTER | PLURAL))):
        word = tok.lower_
        if tok.tag_ not in LINKED_PRONOUN_TAGS or word not in MALE | FEMALE | NEUTER | PLURAL or is_pleonastic(tok):
            continue
        if chains.index.holding(tok.idx) is not None:
            continue
        hit = pronoun_antecedent(tok, word, chains, genders, sentences, sentence_of[tok.sent.start])
        if hit is not None:
            chains.link(chains.by_id[hit], tok.idx, tok.idx + len(tok.text))


def pronoun_antecedent(tok: Token, word: str, chains: Chains, genders: dict[str, str],
                       sentences: list[SpacySpan], sent_no: int) -> str | None:
    kinds = agreeing_kinds(word)
    unwanted_gender = "female" if word in MALE else "male" if word in FEMALE else None
    sdoc = tok.doc

    def agrees(start: int, end: int, actor_id: str, kind: str) -> bool:
        if kind not in kinds or (unwanted_gender and genders.get(actor_id) == unwanted_gender):
            return False
        if word in NEUTER or word in PLURAL:
            plural = is_plural(sdoc, (start, end, actor_id, kind))
            if word in NEUTER and plural:
                return False
            if word in PLURAL and kind == "person" and not plural:
                return False
        return True

    for n in range(sent_no, max(-1, sent_no - SENTENCE_WINDOW - 1), -1):
        sent = sentences[n]
        limit = tok.idx if n == sent_no else sent.end_char
        candidates = [s for s in chains.index.inside(sent.start_char, limit) if agrees(*s)]
        if n == sent_no and tok.dep_ in SUBJECTS:    # "she told Doe that she ...": not the object
            candidates = [s for s in candidates if not same_clause_object(sdoc, s, tok)]
        if word in PLURAL:                           # "they" a plural phrase before a singular name
            candidates = [s for s in candidates if is_plural(sdoc, s)] or candidates
        if not candidates:
            continue
        subjects = [s for s in candidates if is_subject(sdoc, s)]
        if n == sent_no:                             # the nearest subject before it, else the nearest mention
            return (subjects or candidates)[-1][2]
        return (subjects or candidates)[0][2]        # an earlier sentence: its first subject, else its first mention
    for start, end, actor_id, kind in chains.index.backwards_from(tok.idx):   # else the latest agreeing mention
        if start < tok.idx - NOMINAL_WINDOW:
            break
        if end <= tok.idx and agrees(start, end, actor_id, kind):
            return actor_id
    return None


def is_plural(sdoc: Doc, mention: tuple[int, int, str, str]) -> bool:
    head = head_of_mention(sdoc, mention[0], mention[1])
    return head is not None and head.tag_ in {"NNS", "NNPS"}


def is_subject(sdoc: Doc, mention: tuple[int, int, str, str]) -> bool:
    head = head_of_mention(sdoc, mention[0], mention[1])
    return head is not None and head.dep_ in SUBJECTS


def same_clause_object(sdoc: Doc, mention: tuple[int, int, str, str], pronoun: Token) -> bool:
    """A mention that is an object of the pronoun's own verb ("she told Doe", "Doe" is not "she")."""
    head = head_of_mention(sdoc, mention[0], mention[1])
    return head is not None and head.head.i == pronoun.head.i and head.dep_ not in SUBJECTS


# --------------------------------------------------------------------------- pass 4

def unresolved_speakers(sdoc: Doc, chains: Chains, home: str | None, verbs: frozenset[str]) -> None:
    """Subjects that no pass linked and that name a role or group ("officials said", "a
    spokeswoman said", "the militants attacked"), or that speak through a speech verb (`verbs`)
    or a report verb (`reports_here`) whatever they are ("the announcer said", "the report says", "several experts cautioned"),
    become actors of their own (module docstring, pass 4); one actor per noun and country in
    a document."""
    made: dict[tuple[str, str | None], Actor] = {}
    for tok in tokens_with(sdoc, pos=("NOUN", "PROPN")):
        if tok.dep_ not in SUBJECTS or tok.pos_ not in {"NOUN", "PROPN"} or tok.head.pos_ not in {"VERB", "AUX"}:
            continue
        sector = role_noun_sector(tok)
        speaks = reports_here(tok.head, verbs)
        if sector is None and not speaks:
            continue
        start, end = noun_phrase(tok)
        phrase_start, phrase_end = phrase_range(tok)     # without its clauses: "officials who spoke to Reuters"
        words_start = next((t.idx for t in tok.subtree if t.idx >= start and t.tag_ != "PRP$"), start)
        if not chains.free(words_start, end) or any(chains.index.holding(t.idx) for t in tok.subtree
                                              if phrase_start <= t.idx < phrase_end and t.tag_ != "PRP$"):
            continue      # "activists from Amnesty International", "Chilean and Peruvian officials": theirs
            # (not "his aides", "its defenders": an owner, not the speaker)
        kind = unresolved_kind(tok, sector)
        country = phrase_country(tok, chains) or (home if sector in STATE_SECTORS else None)
        key = (" ".join(t.lower_ for t in tok.subtree if t.i <= tok.i and t.dep_ != "det"), country)
        if key in made:
            chains.link(made[key], start, end)
            continue
        words = [t for t in sdoc.char_span(start, end, alignment_mode="expand") or [tok] if t.dep_ != "det"]
        name = " ".join(t.text for t in words) or tok.text
        role = tok.lemma_.lower() if kind == "person" and tok.pos_ == "NOUN" else None
        made[key] = chains.new_actor(name, kind, country, sector, role, start, end)


def unresolved_kind(noun: Token, sector: str | None) -> str:
    """The kind of an actor made for an unresolved subject: a group for a plural ("officials",
    "several experts"), a person for a role noun or a person's name, an organisation for an
    organisation noun or name, else a source ("the report", "the ad")."""
    if noun.tag_ in {"NNS", "NNPS"}:
        return "group"
    if noun.ent_type_ == "PERSON" or (sector is not None and noun.lemma_.lower() not in organisation_nouns()):
        return "person"
    if noun.ent_type_ in {"ORG", "NORP"} or noun.lemma_.lower() in organisation_nouns():
        return "organisation"
    return "person" if noun.pos_ == "PROPN" else "source"


def phrase_country(noun: Token, chains: Chains) -> str | None:
    """The country of a state actor named inside the noun's phrase ("Afghan officials",
    "officials of Pakistan", "the Pakistani spokesman")."""
    for t in noun.subtree:
        hit = chains.index.holding(t.idx)
        if hit is not None:
            actor = chains.by_id[hit[2]]
            if actor.country and actor.kind in {"state", "organisation", "place"}:
                return actor.country
    return None


# --------------------------------------------------------------------------- pass 5

def statement_first_person(sdoc: Doc, chains: Chains, outlet: str | None, quoted: Intervals,
                           outlet_actor: Actor | None = None) -> None:
    """First person plural outside quotation marks in a statement ("We condemn the attack",
    "our condolences") is the issuing body (`issuing_body`). An official body (government,
    military, an IGO, a court, a legislature) that the outlet names issues statements, so one such
    word is enough; otherwise a report needs two before it is read as a statement."""
    words = [t for t in tokens_with(sdoc, lower=tuple(sorted(FIRST_PLURAL))) if t.lower_ in FIRST_PLURAL and t.tag_ in {"PRP", "PRP$"}
             and not quoted.covers(t.idx)]
    if not words:
        return
    issuer, named_by_outlet = issuing_body(sdoc, chains, outlet, outlet_actor)
    if issuer is None or len(words) < (1 if named_by_outlet and issuer.sector in OFFICIAL_SECTORS else 2):
        return
    free = [t for t in words if chains.index.holding(t.idx) is None]
    if not free:
        return
    if issuer.id not in chains.by_id:                 # the outlet's dictionary actor, not named in the text
        issuer.id = chains.next_id()
        chains.add(issuer)
    for t in free:
        chains.link(issuer, t.idx, t.idx + len(t.text))


def issuing_body(sdoc: Doc, chains: Chains, outlet: str | None,
                 outlet_actor: Actor | None) -> tuple[Actor | None, bool]:
    """(the issuing body of a statement, whether the outlet names it): the outlet as the actor
    dictionary reads it (`outlet_actor`, made by the actors stage: "U.S. Department of State" ->
    the State Department, USA), joined to the actor of the text that is the same entry; else
    the actor of the text whose name is the outlet's; else the first actor the document names as
    a subject."""
    if outlet_actor is not None:
        same = next((a for a in chains.actors if a.known and (a.wikidata and a.wikidata == outlet_actor.wikidata
                                                                or a.name == outlet_actor.name)), None)
        return (same or replace(outlet_actor, mentions=[])), True
    if outlet:
        for actor in chains.actors:
            if actor.kind in {"organisation", "state", "group"} and names_one_another(actor.name, outlet):
                return actor, True
    for start, end, actor_id, kind in chains.index.spans:
        if kind in {"organisation", "state", "group"} and is_subject(sdoc, (start, end, actor_id, kind)):
            return chains.by_id[actor_id], False
    return None, False


def names_one_another(name: str, outlet: str) -> bool:
    """The actor's name is the outlet's, or one holds the other as whole words ("U.S.
    Department of State" and "Department of State"; not "India" in "The Indian Express")."""
    a, b = name.casefold().split(), outlet.casefold().split()
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return bool(short) and any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))


class SpokenStretch(NamedTuple):
    """The segments of one quotation (start, end pairs) and the id of the actor who speaks them."""
    segments: list[tuple[int, int]]
    speaker: str


def link_first_person(actors: list[Actor], sdoc: Doc, stretches: list[SpokenStretch]) -> None:
    """First person inside a quotation's segments ("I", "we", "our") is its speaker's. One pass
    over all the quotations of a document: the mentions already taken are gathered once, and
    each actor's mentions are sorted once at the end."""
    if sdoc is None or not stretches:
        return
    by_id = {a.id: a for a in actors}
    taken = {(m.start, m.end) for a in actors for m in a.mentions}
    touched: dict[str, Actor] = {}
    for stretch in stretches:
        actor = by_id.get(stretch.speaker)
        if actor is None:
            continue
        for start, end in stretch.segments:
            span = sdoc.char_span(start, end, alignment_mode="contract")
            for t in span if span is not None else []:
                where = (t.idx, t.idx + len(t.text))
                if t.lower_ in FIRST_PERSON and t.tag_ in {"PRP", "PRP$"} and where not in taken:
                    actor.mentions.append(Span(t.text, *where))
                    taken.add(where)
                    touched[actor.id] = actor
    for actor in touched.values():
        actor.mentions.sort(key=lambda m: m.start)


# --------------------------------------------------------------------------- the sieve

def reports_here(verb: Token, speech: frozenset[str]) -> bool:
    """Whether the subject of `verb` speaks through it: a speech verb (`speech`), a belief verb
    with its clause ("knows that ..."), a copula with a report adjective ("is critical of"), a report verb
    with no prepositions of its own ("urged", "criticized"), or one with them ("worry about",
    "speak of") unless used transitively without them or a clause: "the drought worries
    farmers" reports nothing; "worried about the vote", "worried that ...", "spoke on Monday" do."""
    lemma = verb.lemma_.lower()
    if lemma in speech or (lemma in belief_verbs() and any(c.dep_ == "ccomp" for c in verb.children)):
        return True
    if any(c.dep_ == "acomp" and c.lemma_.lower() in report_adjectives() for c in verb.children):
        return True                                  # "the senator is critical of ...", "farmers were worried about ..."
    preps = report_verbs().get(lemma)
    if preps is None:
        return False
    return (not preps or not any(c.dep_ == "dobj" for c in verb.children)
            or any(c.dep_ in {"ccomp", "xcomp"} or (c.dep_ in {"prep", "prt"} and c.lower_ in preps) for c in verb.children))


def resolve(actors: list[Actor], sdoc: Doc, body: str, home: str | None, outlet: str | None,
            quoted: list[tuple[int, int]], verbs: frozenset[str], outlet_actor: Actor | None = None) -> list[Actor]:
    """Run the passes in order over the actors of one document (`home`: its country; `quoted`:
    the ranges of its quotations, marks included; `verbs`: the speech verbs; `outlet_actor`:
    the outlet as the actor dictionary reads it, with no mentions); returns them with their
    new mentions, followed by the actors made for unresolved mentions."""
    chains = Chains.build(body, actors, possessive_determiners(sdoc))
    appositives(sdoc, chains)
    nominals(sdoc, chains)
    generic_actors(chains)
    genders = person_genders(sdoc, chains.index, body)
    pronouns(sdoc, chains, genders)
    unresolved_speakers(sdoc, chains, home, verbs)
    statement_first_person(sdoc, chains, outlet, Intervals(quoted), outlet_actor)
    return chains.actors
