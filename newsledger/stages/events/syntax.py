"""Parse helpers of the event coders: the agent, objects, clauses and complements of a
trigger in the spaCy dependency parse. No document state: each reads tokens only (and the
packaged content word lists of `lexicon.event_words`)."""
from __future__ import annotations

from spacy.tokens import Token

from .lexicon import event_words

PLACE_ENTITIES = {"GPE", "LOC", "FAC"}
CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "acl"}
STATE_PREPS = {"on", "in", "for"}


def infinitive(tok: Token) -> bool:
    """A clause in the infinitive says what a noun asks for ("a call for troops to be deployed
    in X"), not which one it is, as a relative clause does."""
    return any(c.dep_ in {"aux", "auxpass"} and c.lower_ == "to" for c in tok.children)


def subject(tok: Token) -> Token | None:
    """The agent of a verb: its subject; for a reduced relative in the active ("bombers ...
    detonated") the noun it modifies; for an infinitive or conjunct, its controller's."""
    if tok.dep_ == "acl" and tok.tag_ in {"VBD", "VBG"}:
        if tok.head.dep_ == "dobj" and tok.head.lemma_ in event_words().statement_nouns and is_light_verb(tok.head.head):
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
            if obj is not None and tok.head.lemma_ in event_words().asking_verbs:
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
    """The objects of a word's prepositions of `preps`, and of a preposition coordinated with one
    ("to the families and to the Government of X")."""
    out = []
    for c in tok.children:
        if c.dep_ in {"prep", "dative"} and c.lower_ in preps:
            out.extend(g for g in c.children if g.dep_ == "pobj")
            out.extend(g for p in c.children if p.dep_ == "conj" and p.pos_ == "ADP" and p.lower_ in preps
                       for g in p.children if g.dep_ == "pobj")
    return out


def clause_head(tok: Token) -> Token:
    """The verb heading the clause a token belongs to."""
    t = tok
    while t.dep_ not in CLAUSE_DEPS and t.dep_ != "ROOT" and t.head is not t:
        t = t.head
    return t


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


def support_verb(noun: Token, expressive: bool = False) -> Token | None:
    """The verb whose subject performs the act an event noun names: a light verb taking the
    noun's phrase as object ("staged a protest", "held two rounds of talks", "a mediation
    effort"), or a verb of being, joining or gathering the noun is a phrase of ("remained on
    alert", "engaged in ethnic cleansing", "converged for a rally"). For an `expressive` noun
    (condolences, sympathy) a verb of expression carries it too ("offered condolences")."""
    phrase = noun
    while phrase.head is not phrase and (phrase.dep_ == "compound" or phrase.dep_ == "pobj" and phrase.head.lower_ == "of"
                                         and phrase.head.head.lemma_ in event_words().measure_nouns):
        phrase = phrase.head if phrase.dep_ == "compound" else phrase.head.head
    if phrase.dep_ == "dobj" and (is_light_verb(phrase.head)
                                  or expressive and phrase.head.lemma_ in event_words().expression_verbs):
        return phrase.head
    if phrase.dep_ == "pobj" and phrase.head.lower_ in STATE_PREPS and phrase.head.head.lemma_ in event_words().state_verbs:
        return phrase.head.head
    return None


def is_light_verb(tok: Token) -> bool:
    """A verb whose object noun names the act ("staged a protest"); also by its form, as the
    small model lemmatises some of them wrongly ("staged" -> "stag")."""
    return tok.lemma_ in event_words().light_verbs or tok.lower_[:-1] in event_words().light_verbs


def authors(noun: Token) -> list[Token]:
    """Who a noun is by: its possessor and its "from" and "by" phrases ("X's plan", "pressure by X")."""
    return [c for c in noun.children if c.dep_ == "poss"] + prep_objects(noun, ("from", "by"))


def purpose_clause(tok: Token) -> bool:
    return tok.dep_ == "advcl" and infinitive(tok)


def promised_clause(tok: Token) -> bool:
    """A 'that' clause of what someone will do ("warned that police will no longer tolerate ...")."""
    return tok.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ in {"will", "would", "shall"} for c in tok.children)


def conditions(verb: Token) -> list[Token]:
    """The if/unless clauses of a verb."""
    return [c for c in verb.children if c.dep_ == "advcl"
            and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in c.children)]


def content_clause(tok: Token) -> bool:
    """A 'that' clause completing a noun ("its demand that Iran release the prisoners")."""
    return tok.dep_ == "acl" and any(c.dep_ == "mark" for c in tok.children)


def for_to_clause(tok: Token) -> bool:
    """A 'for X to act' clause completing a verb ("called for Germany to send aid"): what is
    asked for, not an act done."""
    return tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.children) \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


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


def dedupe(ids: list[str]) -> list[str]:
    out: list[str] = []
    for i in ids:
        if i and i not in out:
            out.append(i)
    return out


def labels(verb: Token) -> list[Token]:
    """What a verb of naming calls its object: an object complement ("called the killings an act
    of terror", "described the raid as barbaric")."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return [c for c in verb.children if c.dep_ in {"oprd", "attr"} or c.dep_ in {"ccomp", "xcomp"} and c.pos_ in {"NOUN", "ADJ"}] + objects[1:] + \
        [g for p in verb.children if p.dep_ == "prep" and p.lower_ == "as" for g in p.children]
