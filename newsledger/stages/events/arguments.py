"""Arguments of an event: the actors of its source and target, read from the parse and
mapped to the actors layer through their mentions (pronouns, "the country", "both sides",
demonyms, the state of a place an act is aimed at)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Span as SpacySpan, Token

from ... import gazetteer
from ..mentions import phrase_range
from .lexicon import Trigger, event_words
from .syntax import (authors, complement_subject, conditions, counted_objects, dedupe, detached_agent, infinitive, is_light_verb, passive_agent, prep_objects, promised_clause, purpose_clause, subject, support_verb)
from .triggers import trigger_for

if TYPE_CHECKING:
    from .context import Context

PRONOUN_WORDS = {"we", "us", "our", "i", "me", "my", "he", "she", "him", "her", "his", "they", "them", "their", "it", "its"}
LOCATIVE_PREPS = {"in", "at", "near", "inside", "outside", "across", "around", "throughout", "within", "into", "from"}
FALLBACK_TARGET_PREPS = ("to", "with", "against", "toward", "towards", "at", "on")
AIMED_PREPS = ("against", "on", "to")  # "a war against X", "restrictions on X", "electricity to X"
STANCE_PREPS = ("of", "with", "to", "for", "against", "at")  # "in defiance of X", "in retaliation for X's raid"
TEMPORAL_PREPS = {"after", "before", "following", "during", "since", "until", "amid"}
OTHER_PHRASE_DEPS = {"nsubj", "nsubjpass", "csubj", "conj", "relcl", "advcl", "parataxis", "appos"}  # not its own phrase
GOVERNING_TYPES = {"AGREE", "REQUEST", "REJECT", "THREATEN"}  # "agreed to withdraw" is one AGREE
HOSTILE_TYPES = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"}  # announced ones are THREATEN
ACTING_ON_OTHERS = {"REQUEST", "CONCEDE", "COERCE"}  # "urged/allowed/forced X to ...": X is the target
RECIPROCALS = re.compile(r"\b(?:both sides|the two sides|both countries|the two countries|both parties|the two|each other|both)\b", re.I)


def resolve_pronoun(tok: Token, ctx: Context, speaker: str | None, source: list[str]) -> list[str]:
    low = tok.lower_
    if low in {"we", "us", "our", "i", "me", "my"}:  # the speaker of a quote, else the author of the statement
        author = speaker or (ctx.author() if ctx.quote_at(tok.idx) is None else None)
        return [author] if author else []
    if low in {"he", "she", "him", "her", "his"}:
        hit = ctx.mentions.latest_person(tok.idx, low)
        return [hit.actor] if hit else []
    if low in {"they", "them", "their", "it", "its"}:
        speaker_country = ctx.actors[speaker].country if speaker in ctx.actors else None
        taken = set(source) | ({speaker} if speaker else set())
        before = tok.idx if ctx.quote_at(tok.idx) is None else ctx.quote_at(tok.idx).start  # type: ignore[union-attr]
        pos = before
        while True:
            hit = ctx.mentions.latest_before(pos, {"state", "organisation", "group"})
            if hit is None:
                return []
            actor = ctx.actors[hit.actor]
            if hit.actor not in taken and actor.country and actor.country != speaker_country:
                return [hit.actor]
            pos = hit.start - 1
    return []


def plural_subject(tok: Token, ctx: Context) -> list[str]:
    """'They' opening a sentence after one whose subject was two actors ("X and Y met ...",
    "The two leaders met ...") refers to both; after one whose subject was a plural naming one
    ("The members of the Council condemned ..."), to that one."""
    if tok.dep_ not in {"nsubj", "nsubjpass"} or tok.sent.start == 0:
        return []
    before = ctx.sdoc[tok.sent.start - 1].sent
    subjects = [t for t in before if t.dep_ in {"nsubj", "nsubjpass"} and t.head == before.root]
    for subj in subjects:
        named = actors_of(subj, ctx)
        if len(named) >= 2:  # "X and Y met"
            ids = named
        elif named and subj.tag_ in {"NNS", "NNPS"} and not any(c.dep_ == "conj" for c in subj.children):
            return named  # "The members of the Council condemned ... They expressed": the subject goes on
        else:  # "The two leaders", "Both sides"
            ids = reciprocal_pair(before, ctx) if RECIPROCALS.search(" ".join(t.text for t in subj.subtree)) else []
        if len(ids) >= 2:
            return ids
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
        pair = plural_subject(t, ctx) if t.lower_ in {"they", "them", "their"} else []
        if pair:  # "They signed ...": the two actors of the sentence before, whoever else a pronoun sieve chose
            ids = pair
        elif holding:
            ids = first_person_side(t, holding.actor, ctx, speaker) or [holding.actor, *paired_modifiers(t, ctx)]
        elif t.pos_ == "PRON" or t.lower_ in PRONOUN_WORDS and t.text.islower():
            ids = resolve_pronoun(t, ctx, speaker, list(source))
        elif t.lower_ in {"country", "government"} and any(c.lower_ == "the" for c in t.children):
            ids = latest_state(t.idx, ctx, set(source))
        elif t.lower_ in {"sides", "two", "both", "parties", "countries"} and RECIPROCALS.search(t.sent.text) or paired_head(t):
            ids = (latest_pair(t.idx, ctx) if paired_head(t) else reciprocal_pair(t.sent, ctx)) or phrase_actors(t, ctx)  # "the Turkish and Greek sides"
        else:
            ids = phrase_actors(t, ctx) or demonym_actor(t, ctx)
        for i in ids:
            if i not in out:
                out.append(i)
    return out


def first_person_side(tok: Token, actor_id: str, ctx: Context, speaker: str | None) -> list[str]:
    """'our embassy in Kabul', 'our troops' in a statement: what the first person owns belongs
    to the speaker's or author's country, not to the place it is in. That country's state (or
    the author itself) when the actor named has another country or none; else nothing."""
    owner = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in {"our", "my"}), None)
    side = resolve_pronoun(owner, ctx, speaker, []) if owner is not None else []
    country = ctx.actors[side[0]].country if side and side[0] in ctx.actors else None
    named = ctx.actors.get(actor_id)
    if not country or named is None or named.country == country:
        return []
    return [ctx.state_of(country) or side[0]]


def paired_modifiers(tok: Token, ctx: Context) -> list[str]:
    """The other actors of coordinated modifiers of a named head ("US and British forces")."""
    return [hit.actor for m in tok.children if m.dep_ in {"nmod", "compound", "amod"} and m.i < tok.i
            and any(c.dep_ == "conj" for c in m.children)
            for t in (m, *m.conjuncts) if (hit := ctx.mentions.holding(t.idx))]


def latest_state(pos: int, ctx: Context, exclude: set[str]) -> list[str]:
    """'the country': the latest state mentioned before `pos` that is not already an argument."""
    while True:
        hit = ctx.mentions.latest_before(pos, {"state"})
        if hit is None:
            return []
        if hit.actor not in exclude:
            return [hit.actor]
        pos = hit.start - 1


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
            mention = ctx.sdoc.char_span(hit.start, hit.end, alignment_mode="expand")
            return actors_of(mention.root if mention is not None else t, ctx)  # with conjuncts: "of X and Y"
    return []


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


def is_location(tok: Token, ctx: Context) -> bool:
    return any(p.kind == "toponym" for p in ctx.place_index.covering(tok.idx)) and \
        not ctx.mentions.holding(tok.idx)


def reciprocal_pair(sent: SpacySpan, ctx: Context) -> list[str]:
    """'both sides' / 'the two' in a sentence -> the latest coordinated pair of actors."""
    if not RECIPROCALS.search(sent.text):
        return []
    pairs = [ids for pos, ids in ctx.pairs if pos <= sent.end_char]
    return pairs[-1] if pairs else []


def shared_object(verb: Token, trig: Trigger, ctx: Context) -> list[Token]:
    """'beat and arrested journalists': the object of the verb coordinated after one that has none
    of its own, when that verb has no subject of its own (the parser hangs a shared object on the
    last verb) and names an act of the same kind (both hostile, or of one type: not "arrived and
    detained X")."""
    for conj in verb.children:
        if conj.dep_ == "conj" and conj.pos_ == "VERB" and conj.i > verb.i \
                and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in conj.children):
            other = trigger_for(conj, ctx.lex)
            kin = other is not None and (other.trigger.type == trig.type
                                         or {other.trigger.type, trig.type} <= HOSTILE_TYPES)
            return [c for c in conj.children if c.dep_ == "dobj"] if kin else []
    return []


def latest_pair(position: int, ctx: Context) -> list[str]:
    """The latest pair of actors named before a position."""
    pairs = [ids for pos, ids in ctx.pairs if pos < position]
    return pairs[-1] if pairs else []


def collect_pairs(ctx: Context) -> None:
    """The pairs of actors "both", "the two" and "they" may stand for, in text order: coordinated
    subjects ("X and Y met"), the parties of a "between" phrase ("a meeting between X and Y"),
    and the two sides of a meeting verb ("X met Y", "X held talks with Y")."""
    for tok in ctx.tokens:
        ids: list[str] = []
        if tok.dep_ in {"nsubj", "nsubjpass"} and any(c.dep_ == "conj" or c.dep_ in {"nmod", "compound"}
                                                        and any(g.dep_ == "conj" for g in c.children) for c in tok.children):
            ids = actors_of(tok, ctx)
        elif tok.dep_ == "pobj" and tok.head.lower_ in {"between", "among"} and any(c.dep_ == "conj" for c in tok.children):
            ids = actors_of(tok, ctx)
        elif tok.pos_ == "VERB" and meeting_verb(tok, ctx) and not any(c.dep_ == "nsubjpass" for c in tok.children):
            others = [c for c in tok.children if c.dep_ == "dobj"] + prep_objects(tok, ("with",))
            ids = actors_of(subject(tok), ctx) + [i for o in others for i in actors_of(o, ctx)]
        ids = dedupe(ids)
        if len(ids) >= 2:
            ctx.pairs.append((tok.idx, ids))


def meeting_verb(tok: Token, ctx: Context) -> bool:
    hit = ctx.trigger_at(tok)
    return hit is not None and hit.kind == "verb" and hit.trigger.type == "CONSULT"


def paired_head(tok: Token) -> bool:
    """'both leaders', 'the two presidents': a plural head counted as a pair."""
    return tok.tag_ in {"NNS", "NNPS"} and any(c.lower_ in {"both", "two"} and c.dep_ in {"det", "nummod", "predet"}
                                                for c in tok.children)


def arguments(tok: Token, kind: str, trig: Trigger, ctx: Context, speaker: str | None) -> tuple[list[str], list[str]]:
    if kind == "noun":
        src_toks = [c for c in tok.children if c.dep_ in {"poss", "compound", "amod", "nmod"}]
        src_toks += prep_objects(tok, ("by", "from"))
        source = [i for t in src_toks for i in actors_of(t, ctx, speaker)]
        light = support_verb(tok, expressive=trig.needs_support_verb == "any")
        doer = actors_of(subject(light), ctx, speaker) if light is not None else []
        if light is None and tok.dep_ == "nsubjpass" and is_light_verb(tok.head):  # "the raid was carried out by X"
            light, doer = tok.head, actors_of(passive_agent(tok.head), ctx, speaker)
        owner_pronoun = any(t.pos_ == "PRON" and t.dep_ == "poss" for t in src_toks)
        named_owner = [i for t in src_toks if not (t.pos_ == "PRON" and t.dep_ == "poss") for i in actors_of(t, ctx, speaker)]
        if doer and owner_pronoun and not named_owner:
            source = doer  # "They expressed their condolences": the possessive agrees with the subject
        elif light is not None and not source:
            source += doer
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
        elif not target and not source and trig.type in HOSTILE_TYPES:  # "the air strikes on Aleppo" -> Syria
            target = aimed_place_states(prep_objects(tok, trig.targets), ctx)
        return dedupe(source), [t for t in dedupe(target) if t not in source]
    passive = any(c.dep_ == "nsubjpass" for c in tok.children)
    subj = (passive_agent(tok) or detached_agent(tok)) if passive else subject(tok)
    stative = any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children)  # "is opposed/committed to"
    forces_moved = trig.mode in {"withdraw", "disarm"}  # "troops were withdrawn": their side withdrew them
    if subj is None and passive and (forces_moved or (trig.type in {"AGREE", "REJECT"} and stative)):
        subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    source = actors_of(subj, ctx, speaker)
    if subj is not None and subj.i == tok.head.i and tok.dep_ == "acl":  # "a demonstration calling for X's removal"
        own = {hit.actor for t in tok.subtree if (hit := ctx.mentions.holding(t.idx))}
        source = [i for i in source if i not in own]
    if not source:  # "a deal signed between X and Y"
        source = [i for t in prep_objects(tok, ("between", "among")) for i in actors_of(t, ctx, speaker)]
    obj_toks = [c for c in tok.children if c.dep_ in ({"dative", "iobj"} if trig.theme_object else {"dobj", "dative", "iobj"})]
    obj_toks += [] if trig.theme_object else counted_objects(tok)
    if not obj_toks and not trig.theme_object:
        obj_toks = shared_object(tok, trig, ctx)
    if (not passive and not obj_toks and subj is not None and subj.head == tok and not prep_objects(tok, trig.targets)
            and tok.lemma_.lower() in event_words().undergoer_verbs):
        obj_toks, subj, source = [subj], None, []   # "a teacher burned alive": the subject underwent the act
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
        if attack is not None and attack.kind == "noun" and attack.trigger.type == "ASSAULT" and trig.type in {"ACCUSE", "SUPPORT", "REJECT"}:
            perpetrators = arguments(t, "noun", attack.trigger, ctx, speaker)[0]  # "condemned the Taliban attack"
            if not perpetrators and definite(t):  # "condemning the attack": the one reported before
                perpetrators = [i for i in ctx.latest_attackers(t.idx) if i not in source]
            target += perpetrators
            continue
        target += actors_of(t, ctx, speaker, source)
        if not target and t.pos_ == "NOUN":  # "critical of Afghan Taliban’s failure", "rejected an offer from X"
            target += noun_actors(t, ctx, speaker, source)
    if patient is not None:  # "civilians killed in the attack": the noun modified is the patient
        target.append(patient[2])
    if not target and trig.type == "REQUEST":  # "called for dialogue, asking that X respect ...": whom the request is put to
        target += [i for c in tok.children if c.dep_ == "advcl" and c.tag_ == "VBG" and c.lemma_ in event_words().asking_verbs
                   for asked in (complement_subject(c),) if asked is not None for i in actors_of(asked, ctx, speaker, source)]
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
    act = trigger_for(subj, ctx.lex) if subj is not None and not source and subj.pos_ == "NOUN" else None
    if act is not None and act.kind == "noun" and act.trigger.type == trig.type:
        # "the air strikes on Aleppo destroyed ...": the verb codes the act its subject names, with its actors
        source, own_target = arguments(subj, "noun", act.trigger, ctx, speaker)
        target = target or own_target
    return dedupe(source), [t for t in dedupe(target) if t not in source or len(source) > 1]


def definite(noun: Token) -> bool:
    """A noun phrase that names something already known: "the attack", "this attack"."""
    return any(c.dep_ in {"det", "poss"} and c.lower_ in {"the", "this", "that", "these", "those", "its", "their"}
               for c in noun.children)


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
            if prep.lower_ == "in" and g.lemma_ in event_words().stance_nouns:
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
    if hit is None or hit.kind != "noun":
        return []
    own_source, own_target = arguments(noun, "noun", hit.trigger, ctx, speaker)
    return [i for i in own_source + own_target if i not in source]


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


def aimed_place_states(objects: list[Token], ctx: Context) -> list[str]:
    """The states of the places an unattributed act is aimed at ("strikes on Aleppo": Syria),
    as CAMEO and the PLOVER gold standard code the target of an attack on a place."""
    found = []
    for g in objects:
        for p in ctx.place_index.covering(g.idx):
            state = ctx.state_of(gazetteer.iso2_to_iso3(p.country)) if p.kind == "toponym" else None
            if state:
                found.append(state)
                break
    return found


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
