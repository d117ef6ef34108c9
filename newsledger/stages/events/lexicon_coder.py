"""The lexicon coder: PLOVER events from the packaged lexicon (`data/event_lexicon.yaml`).

Triggers are verbs, adjectives ("critical of") and event nouns ("talks", "attack"); a verb's
object can make it another act ("captured the town" ASSAULT, "captured the commander"
COERCE), and an event noun is performed by the subject of the light or state verb it is the
object of ("staged a protest", "remained on alert"). Arguments come from the dependency parse
(`arguments.py`); two further rules code speech acts: a statement "about X" in critical words
is ACCUSE, and a speech verb whose complement says X "must"/"should" is REQUEST. The PLOVER
manual's rules then turn a stated act into another type (a promised cooperative act is
AGREE, a refused one REJECT, an announced hostile one THREATEN ...), and acts named twice in
one sentence or governed by another act fold into one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from ... import gazetteer
from ...actordict import sector_for_term, title_sector
from ...model import Actor, Document, Event, EventPlace, Quote
from ...settings import Settings
from .arguments import GOVERNING_TYPES, HOSTILE_TYPES, actors_of, arguments, definite, prep_objects
from .attributes import (PHYSICAL_TYPES, Casualties, casualties, confidence, contexts, event_date, event_place, evidence, has_setting, modality,
                         with_span)
from ..coref import organisation_nouns
from .anaphora import names_attack, names_told_attack, pronoun_anchor, restated
from .context import Context, Perpetrators, build_context
from .lexicon import Trigger, event_words, lexicon
from .syntax import (arriving_peacekeepers, conditions, content_clause, for_to_clause, has_object, is_light_verb, labels, preparing, subject,
                     support_verb)
from .triggers import trigger_for

INTENT_TYPES = {"CONSULT", "SUPPORT", "AID", "COOPERATE"}  # future ones are AGREE (manual 3.1)
DISTRIBUTIVE = {"separately", "individually", "each"}  # a plural subject acting one by one
YIELDING_TYPES = {"RETREAT", "CONCEDE"}  # future ones are CONCEDE (manual 3.1.1, 3.7.2); refused ones REJECT


@dataclass
class Found:
    """A coded act before its attributes: the trigger token, how it was found ("verb",
    "adjective", "noun", "speech"), its lexicon entry and its actors."""
    token: Token
    kind: str
    trigger: Trigger
    source: list[str]
    target: list[str]


@dataclass
class SpeechAct:
    """A statement that is an act (`speech_events`), with the complement a REQUEST demands
    ("Libya must hand over"): that one is coded by the request, not again on its own."""
    found: Found
    demanded: Token | None


def described_possibility(tok: Token) -> bool:
    """A possible act in a relative clause that describes a noun ("the areas where the two can
    better collaborate", "a deal that could end the war") names a possibility, not an event."""
    return tok.dep_ == "relcl" and not conditions(tok)


def reaction_not_meeting(tok: Token, trig: Trigger, ctx: Context) -> bool:
    """'The marchers were met with tear gas': a meeting verb in the passive whose "with" phrase
    names no actor states how something was received, not a meeting."""
    if trig.type != "CONSULT" or not any(c.dep_ == "auxpass" for c in tok.children):
        return False
    withs = prep_objects(tok, ("with",))
    return bool(withs) and not any(ctx.mentions.holding(t.idx) for w in withs for t in w.subtree)


def inanimate_agent(tok: Token, trig: Trigger, ctx: Context) -> bool:
    """'the corruption that continues to threaten farmers': a verbal act (not a material one)
    in the present tense whose subject is a common noun naming no actor, agent, event or
    statement (nor owned by an actor: "a UN report warns") is a generic statement about a thing,
    no one's act."""
    if trig.type in PHYSICAL_TYPES or any(c.dep_ == "nsubjpass" for c in tok.children) or not present_tense(tok):
        return False
    subj = subject(tok)
    if subj is None or subj.pos_ != "NOUN" or subj.lemma_.lower() in event_words().statement_nouns:
        return False
    if trigger_for(subj, ctx.lex) is not None or names_agents(subj):
        return False
    phrase = [subj] + [t for c in subj.children if c.dep_ in {"compound", "poss", "amod", "nmod", "prep", "appos"}
                       for t in c.subtree]  # its own words, not a clause describing it
    return not any(ctx.mentions.holding(t.idx) for t in phrase)


def generic_noun(noun: Token) -> bool:
    """An event noun quantified as a kind ("any act of terrorism", "all attacks on hospitals",
    "every raid", "such attacks") names no occurrence; "all the attacks of May"
    and "all these raids" are definite and do."""
    words = {c.lower_ for c in noun.children if c.dep_ in {"det", "predet", "amod"}}
    return bool(words & event_words().generic_quantifiers) or ("all" in words and not definite(noun))


def present_tense(verb: Token) -> bool:
    """Whether a verb, or the verb its infinitive completes ("continues to threaten"), is in the
    simple present."""
    while verb.dep_ == "xcomp" and verb.head is not verb:
        verb = verb.head
    return verb.tag_ in {"VBZ", "VBP"} and not any(c.dep_ == "aux" for c in verb.children)


def names_agents(noun: Token) -> bool:
    """Whether a common noun names people or a body that can act ("both leaders", "the
    ministry", "protesters"): a sector term, a title or an organisation noun of the dictionaries."""
    word = noun.lemma_.lower()
    return word in organisation_nouns() or any(f(w) for w in {word, noun.lower_} for f in (sector_for_term, title_sector))


def refers_back(tok: Token, trig: Trigger, first_sentence: dict[str, int]) -> bool:
    """'the attack' with no actor of its own, after an event of that type was already coded
    (`first_sentence`: type -> start of the first sentence coding one), names that event again
    rather than a new one."""
    return definite(tok) and trig.type in first_sentence and first_sentence[trig.type] < tok.sent.start


def speech_events(ctx: Context) -> list[SpeechAct]:
    """Statements that are acts: critical words about an actor (ACCUSE); 'X must/should' (REQUEST)."""
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
        if words & lex.critical_words:
            about = prep_objects(cue, ("about", "of", "on"))
            target = [i for t in about for i in actors_of(t, ctx, quote.speaker)] or named_in(quote, ctx)
            if target:
                out.append(SpeechAct(Found(cue, "speech", Trigger("ACCUSE", "11", "disapprove"), [quote.speaker], target), None))
        if quote.kind == "indirect":
            content = next((c for c in cue.children if c.dep_ == "ccomp"), None)
            if content is not None and any(c.lower_ in {"must", "should"} for c in content.children):
                subj = next((c for c in content.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                target = [t for t in actors_of(subj, ctx, quote.speaker) if t != quote.speaker]
                if target:
                    out.append(SpeechAct(Found(cue, "speech", Trigger("REQUEST", "10"), [quote.speaker], target), content))
    return out




def named_in(quote: Quote, ctx: Context) -> list[str]:
    """The actors a quotation names in its own words, other than its speaker and the speaker's
    side: whom critical words in it are about ("... how cold-blooded these extremists are")."""
    own = ctx.actors[quote.speaker].country if quote.speaker in ctx.actors else None
    found = []
    for seg in quote.segments:
        for t in ctx.sdoc.char_span(seg.start, seg.end, alignment_mode="contract") or ():
            hit = ctx.mentions.holding(t.idx)
            if hit is None or hit.actor == quote.speaker or t.pos_ == "PRON" or hit.kind == "place":
                continue
            if not agent_position(ctx.sdoc.char_span(hit.start, hit.end, alignment_mode="expand")):
                continue  # the victims a statement names are not whom it criticises
            actor = ctx.actors.get(hit.actor)
            if actor is not None and (actor.country is None or actor.country != own) and hit.actor not in found:
                found.append(hit.actor)
    return found


def agent_position(mention) -> bool:
    """A mention that names a doer: a subject, an owner ("the Taliban's actions"), or the "of"
    or "by" phrase of a subject ("the barbaric actions of the Taliban")."""
    if mention is None:
        return False
    root = mention.root
    if root.dep_ in {"nsubj", "poss", "agent"}:
        return True
    owner = root.head.head
    act = trigger_for(owner, lexicon()) if root.dep_ == "pobj" else None
    patient = root.head.lower_ == "of" and (act is not None and act.trigger.type in HOSTILE_TYPES
                                            or names_attack(owner, lexicon()))  # "the slaughter of students"
    return root.dep_ == "pobj" and root.head.lower_ in {"of", "by"} and owner.dep_ in {"nsubj", "nsubjpass"} and not patient


def labelling_acts(ctx: Context) -> list[Found]:
    """'X called the killings an act of terror', 'described the raid as barbaric': naming an act
    in critical words accuses its author (ACCUSE from the subject; the target is the author of
    the act named, the attack reported before for "the killings", or the actor named)."""
    out = []
    for tok in ctx.tokens:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in event_words().labelling_verbs:
            continue
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        if not objects or not any(w.lower_ in ctx.lex.critical_words for label in labels(tok) for w in label.subtree):
            continue
        source = actors_of(subject(tok), ctx)
        if not source:
            continue
        named = objects[0]
        act = trigger_for(named, ctx.lex)
        if (act is not None and act.kind == "noun" and act.trigger.type == "ASSAULT") or names_attack(named, ctx.lex):
            target = arguments(named, "noun", act.trigger, ctx, None)[0] if act is not None else []
            target = target or (ctx.latest_attackers(named.idx) if definite(named) else [])
        else:
            target = actors_of(named, ctx)
        out.append(Found(tok, "speech", Trigger("ACCUSE", "11", "disapprove"), source,
                         [t for t in target if t not in source]))
    return out


def plover_type(trig: Trigger, mood: str, tok: Token) -> tuple[Trigger, str]:
    """The PLOVER manual's rules that turn a stated act into another type: a promised
    cooperative act is AGREE, a promised retreat CONCEDE, a refused one is REJECT, withdrawn
    observers or aid SANCTION, an announced or conditional hostile one THREATEN, accepted
    demands CONCEDE, a protest that states a charge or is lodged as a diplomatic note ACCUSE."""
    conditional = bool(conditions(tok))
    if trig.mode == "withdraw" and trig.type == "RETREAT" and (has_object(tok, event_words().non_military_resources) or any(
            c.dep_ == "nsubjpass" and c.lemma_.lower() in event_words().non_military_resources for c in tok.children)):
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
    if trig.type == "AGREE" and has_object(tok, event_words().yielded_to):
        return Trigger("CONCEDE", "08"), mood  # "accepted the rebels' demands": yielding to them
    if trig.type == "PROTEST" and (tok.dep_ == "parataxis" or any(c.dep_ == "ccomp" for c in tok.children)):
        return Trigger("ACCUSE", "11", "disapprove"), mood
    if trig.type == "PROTEST" and tok.dep_ == "dobj" and tok.head.lemma_ in event_words().diplomatic_protest_verbs:
        return Trigger("ACCUSE", "11", "disapprove"), mood  # the manual: diplomatic protests are ACCUSE
    return trig, mood


def noun_act(tok: Token, kind: str, trig: Trigger, source: list[str], ctx: Context) -> Trigger:
    """What an event noun's phrase makes of it: military exercises of two or more countries are
    COOPERATE, one country's MOBILIZE (manual 3.14.1); ending mediation, cooperation or aid is
    SANCTION (manual 3.13)."""
    if kind != "noun":
        return trig
    countries = {ctx.actors[i].country for i in source if i in ctx.actors}
    if trig.type == "MOBILIZE" and tok.lemma_ in event_words().exercise_nouns and len(countries) > 1:
        return Trigger("COOPERATE", "06")
    verb = support_verb(tok) or (tok.head if tok.dep_ == "dobj" else None)
    ended = trig.type in {"COOPERATE", "AID"} or trig.mode == "third-party"
    if ended and verb is not None and verb.lemma_ in event_words().ending_verbs:
        return Trigger("SANCTION", "16", "discontinue")
    return trig


def both_ways(found: list[Found]) -> list[Found]:
    """A mutual act ("X clashed with Y", "X and Y exchanged fire") is coded in both directions,
    each side the source of one event and the target of the other."""
    out: list[Found] = []
    for f in found:
        if not f.trigger.mutual:
            out.append(f)
        elif f.source and f.target:
            out += [f, Found(f.token, f.kind, f.trigger, list(f.target), list(f.source))]
        elif len(f.source) >= 2:
            out += [Found(f.token, f.kind, f.trigger, [a], [b for b in f.source if b != a]) for a in f.source]
        else:
            out.append(f)
    return out


def fold_restatements(found: list[Found]) -> list[Found]:
    """An event noun that is a predicate nominal, an appositive or a name given by a naming
    participle restates what its anchor names (`anaphora.restated`): "The summit was a meeting
    between X and Y" is one meeting. Of the two, the one stating more participants is kept (a
    description over a name when equal: a name carries no day, "the 2018 Summit"; then the
    earlier) and takes the other's actors where it has none. "It was the first meeting
    of X and Y" names the act told before (the latest of its type in an earlier sentence), which
    takes its actors where it has none."""
    by_token = {f.token.i: f for f in found}
    dropped: set[int] = set()

    def fold(into: Found, other: Found) -> None:
        into.source = into.source or other.source
        into.target = into.target or [t for t in other.target if t not in into.source]
        dropped.add(id(other))

    for n, f in enumerate(found):
        anchor = restated(f.token) if f.kind == "noun" and id(f) not in dropped else None
        if anchor is None:
            continue
        heads = [anchor, *(c for c in anchor.children if c.dep_ == "appos")]   # "X, the Y Summit, was ..."
        named = next((by_token[t.i] for h in heads for t in (h, *(c for c in h.children if c.dep_ == "compound"))
                      if t.i in by_token and id(by_token[t.i]) not in dropped), None)  # "the Singapore Summit"
        if named is not None and named is not f and named.trigger.type == f.trigger.type:
            def weight(g: Found) -> tuple[int, bool]:   # participants stated, then a description over a name
                return len(g.source) + len(g.target), g.token.pos_ == "NOUN"
            fold(f, named) if weight(f) > weight(named) else fold(named, f)
        elif pronoun_anchor(anchor):
            told = next((g for g in reversed(found[:n]) if g.trigger.type == f.trigger.type
                         and g.token.sent.start < f.token.sent.start and id(g) not in dropped), None)
            if told is not None:
                fold(told, f)
    return [f for f in found if id(f) not in dropped]


def fold_same_act(found: list[Found]) -> list[Found]:
    """In one sentence, an event of the same type whose actors are a subset of another's is the
    same act named twice ("The Doha Agreement was a deal signed between X and Y")."""
    by_sentence: dict[tuple[int, str], list[int]] = {}
    for n, f in enumerate(found):
        by_sentence.setdefault((f.token.sent.start, f.trigger.type), []).append(n)
    keep = []
    for n, f in enumerate(found):
        actors = set(f.source) | set(f.target)
        covered = any(
            m != n and actors <= (others := set(found[m].source) | set(found[m].target))
            and (len(others) > len(actors) or m < n)
            for m in by_sentence[(f.token.sent.start, f.trigger.type)])
        if not covered:
            keep.append(f)
    return keep


def fold_purpose_clauses(found: list[Found]) -> list[Found]:
    """'visited Kabul to meet officials to discuss ...' is one act: a trigger in a purpose
    clause of a trigger of the same type folds into it, lending its target when that has none.
    So do a trigger governed by an AGREE, REQUEST, REJECT or THREATEN ("agreed to withdraw",
    "urged Iran to release", "refused to meet"; a promised hostile act makes it a THREATEN;
    "demanded that X act" lends X), any infinitive purpose clause ("resigned to allow
    elections"), a demand a protest is held for ("staged demonstrations to demand reforms"),
    and an event noun of the same type in a phrase of the act ("staged a hunger strike in
    protest against X"): PLOVER codes the governing act."""
    by_token = {f.token.i: n for n, f in enumerate(found)}
    merged: set[int] = set()
    result = [Found(f.token, f.kind, f.trigger, f.source, list(f.target)) for f in found]
    for n, f in enumerate(found):
        tok, kind, trig, source, target = f.token, f.kind, f.trigger, f.source, f.target
        head = below = tok   # `below`: the clause of the walk that `head` governs
        for _ in range(3):
            if (head.dep_ == "pobj" and kind == "noun" or head.dep_ == "pcomp") and head.head.dep_ == "prep":
                head = head.head  # "a strike in protest at X", "committed to supporting X"
            elif head.dep_ not in {"xcomp", "ccomp", "advcl", "conj"} and not content_clause(head) or head.head is head:
                break
            below, head = head, head.head
            m = by_token.get(head.i)
            if m is None and is_light_verb(head):  # "staged demonstrations to demand reforms"
                m = next((by_token[c.i] for c in head.children if c.dep_ == "dobj" and c.i in by_token), None)
            protest_demand = m is not None and found[m].trigger.type == "PROTEST" and trig.type == "REQUEST"
            purpose = tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
            asked_for = m is not None and found[m].trigger.type == "REQUEST" and \
                (below.dep_ in {"xcomp", "ccomp"} or for_to_clause(below))   # "called for X to send aid to help Y"
            complement = tok.dep_ in {"xcomp", "ccomp", "pcomp"} or content_clause(tok) or asked_for
            governs = m is not None and (found[m].trigger.type in GOVERNING_TYPES and complement
                                         or protest_demand or purpose and head.i == tok.head.i)
            if m is not None and m not in merged and (found[m].trigger.type == trig.type or governs):
                asked = found[m].trigger.type == "REQUEST" and (tok.dep_ == "ccomp" or content_clause(tok))
                lent = source if asked else target  # "demanded that X act": X is asked
                if not result[m].target and lent:
                    result[m].target = [t for t in lent if t not in result[m].source]
                if found[m].trigger.type == "AGREE" and trig.type in HOSTILE_TYPES:  # "ready to impose martial law"
                    result[m].trigger = Trigger("THREATEN", "13")
                merged.add(n)
                break
    return [f for n, f in enumerate(result) if n not in merged]


def code_events(doc: Document, settings: Settings) -> list[Event]:
    """The events of a document by the packaged lexicon."""
    ctx = build_context(doc)
    found: list[Found] = []
    first_sentence: dict[str, int] = {}
    for tok in ctx.tokens:
        hit = ctx.trigger_at(tok)
        if hit is None:
            continue
        kind, trig = hit.kind, hit.trigger
        if kind == "noun" and tok.pos_ == "PROPN" and ctx.mentions.holding(tok.idx) is not None:
            continue  # a word of an actor's name: "International Security Assistance Force"
        if kind == "noun" and generic_noun(tok):
            continue  # "all attacks on hospitals", "such attacks": a kind of act, no occurrence
        quote = ctx.quote_at(tok.idx)
        speaker = quote.speaker if quote else None
        source, target = arguments(tok, kind, trig, ctx, speaker)
        trig = noun_act(tok, kind, trig, source, ctx)
        if trig.requires_object_actor and not target:
            continue
        if kind == "verb" and (reaction_not_meeting(tok, trig, ctx) or inanimate_agent(tok, trig, ctx)):
            continue
        if not source and not target and not (trig.type in PHYSICAL_TYPES and has_setting(tok, kind, ctx)):
            continue
        if kind == "noun" and not source and not target and refers_back(tok, trig, first_sentence):
            continue
        head_trigger = trigger_for(tok.head, ctx.lex) if tok.dep_ in {"dobj", "nsubj", "nsubjpass"} else None
        if kind == "noun" and head_trigger and head_trigger.trigger.type == trig.type:
            continue  # "signed an agreement", "the attack killed": the verb codes it
        if kind == "verb" and len(source) > 1 and any(c.lower_ in DISTRIBUTIVE for c in tok.children):
            found += [Found(tok, kind, trig, [one], target) for one in source]  # "both leaders met X separately"
        else:
            found.append(Found(tok, kind, trig, source, target))
        if trig.type not in first_sentence:   # `tok.sent` walks the sentence: only when needed
            first_sentence[trig.type] = tok.sent.start
        if trig.type == "ASSAULT" and source:
            ctx.attackers.append(Perpetrators(tok.idx, source))
    demanded = set()
    accused: dict[frozenset[str], set[str]] = {}  # the targets of the accusations coded, by their source
    for f in found:
        if f.trigger.type == "ACCUSE":
            accused.setdefault(frozenset(f.source), set()).update(f.target)
    for act in speech_events(ctx):
        if act.found.trigger.type == "ACCUSE":
            targets = accused.setdefault(frozenset(act.found.source), set())
            if targets & set(act.found.target):
                continue  # a quotation elaborating an accusation already coded ("... the statement said")
            targets.update(act.found.target)
        found.append(act.found)
        if act.demanded is not None:
            demanded.add(act.demanded.i)
    coded = {f.token.i for f in found}
    found += [f for f in labelling_acts(ctx) if f.token.i not in coded]
    found = [f for f in found if f.token.i not in demanded]
    found = fold_purpose_clauses(fold_restatements(found))
    found = both_ways(fold_same_act(found))
    events: list[Event] = []
    anaphors: set[str] = set()   # ids of the attack mentions that name an attack told before
    seen: set[tuple[object, ...]] = set()
    for f in sorted(found, key=lambda f: f.token.idx):
        tok, trig, source, target = f.token, f.trigger, f.source, f.target
        key = (tok.sent.start, trig.type, tuple(sorted(source)), tuple(sorted(target)))
        if key in seen:
            continue
        seen.add(key)
        quote = ctx.quote_at(tok.idx)
        when = with_span(event_date(tok, ctx, quote), tok, ctx)
        place = event_place(tok, ctx, trig.type in PHYSICAL_TYPES)
        inferred: list[str] = []   # participants no words of the event state (`Event.inferred`)
        condolence = trig.type == "SUPPORT" and trig.needs_support_verb == "any"
        if (trig.type == "ASSAULT" or condolence) and not any(ctx.actors[i].country for i in target if i in ctx.actors):
            inferred = [s for s in struck_state(source, place, ctx) if s not in target]  # "killed 12 people" in X
            target = target + inferred
        if trig.type == "COERCE" and not source and target:
            source = arresting_state(target, place, ctx)
            inferred = list(source)
        counts = casualties(tok.sent) if trig.type == "ASSAULT" else Casualties()
        conf = confidence(source, target, when, place, f.kind)
        if conf < settings.min_event_confidence:
            continue
        mood = modality(tok, ctx, when)
        if mood == "hypothetical" and described_possibility(tok):
            continue
        trig, mood = plover_type(trig, mood, tok)
        if trig.type == "ASSAULT" and names_told_attack(tok, f.kind, ctx.lex):
            anaphors.add(f"e{len(events) + 1}")
        events.append(Event(
            id=f"e{len(events) + 1}", type=trig.type, mode=trig.mode, context=contexts(tok.sent, ctx),
            modality=mood, source=source, target=target, date=when, place=place,
            evidence=evidence(tok, ctx), confidence=conf, cameo=trig.cameo, trigger=tok.text,
            quote=ctx.stating_quote(tok), inferred=inferred, **counts.fields()))
    return renumber(fold_repeated_attacks(events, ctx.actors, anaphors))


def struck_state(source: list[str], place: EventPlace | None, ctx: Context) -> list[str]:
    """An attack with no named victim struck the country where it happened (the PLOVER manual
    codes the target of an attack on a place by its state), unless its own side attacked there;
    so sympathy for the victims of what happened in a place ("condolences to the families of
    those killed in X") goes to the country of X, unless it is the sympathiser's own."""
    iso3 = gazetteer.iso2_to_iso3(place.country) if place is not None and place.country else None
    state = ctx.state_of(iso3, set(source))
    home_side = any(ctx.actors[i].country == iso3 for i in source if i in ctx.actors)
    return [state] if state and not home_side else []


def arresting_state(target: list[str], place: EventPlace | None, ctx: Context) -> list[str]:
    """'X was arrested in Tehran': coercion with no named agent (arrests, detentions, raids on
    homes) is by the authorities of the country where it happened, as CAMEO codes it."""
    iso3 = gazetteer.iso2_to_iso3(place.country) if place is not None and place.country else None
    state = ctx.state_of(iso3, set(target))
    return [state] if state else []


def day(e: Event) -> str | None:
    return e.date.value[:10] if e.date else None


def place_key(place: EventPlace) -> object:
    """A place's identity: its GeoNames id, or where it has none its name and country (two
    places without an id are not one place)."""
    return place.geonameid if place.geonameid is not None else (place.name, place.country)


def same_attack(later: Event, earlier: Event, actors: dict[str, Actor], anaphor: bool = False) -> bool:
    """Whether a later attack of a report names an earlier one again: no actor of its own
    beyond the earlier's (victims of the same country as the earlier's count as the same:
    "U.S. service members" and "the U.S. military"), and the same day and place, or none stated.
    An `anaphor` (a mention through a definite event noun: "killed in the attacks",
    `anaphora.names_told_attack`) refers to the earlier attack whatever victims it names."""
    if not (later.type == earlier.type == "ASSAULT" and later.modality == earlier.modality
            and (day(later) == day(earlier) or later.date is None) and set(later.source) <= set(earlier.source)
            and (later.place is None or earlier.place is None or place_key(later.place) == place_key(earlier.place))):
        return False
    if anaphor:
        return True
    victims = {actors[i].country for i in earlier.target if i in actors and actors[i].country}
    return all(i in earlier.target or i in earlier.source or i in actors and actors[i].country in victims
               for i in later.target)


def fold_repeated_attacks(events: list[Event], actors: dict[str, Actor], anaphors: frozenset[str] | set[str] = frozenset()) -> list[Event]:
    """A report names its attack many times ("the bombing", "the explosions", "killed and
    wounded"); a mention that adds no actor, day or place of its own is the same event: it
    folds into the first, lending it the casualty counts and place that one lacks, and the
    participants it states are no longer inferred ones of the first. A mention of `anaphors`
    (ids of mentions through a definite event noun: "13 soldiers were killed in the attacks")
    folds into the nearest attack before it that it may name, whatever its victims, and
    lends them to it as targets, but not its tolls when they count victims of their own (a toll
    of some of the victims is not the attack's). A dated
    mention is compared with the attacks kept of its day only; an undated one only with the
    first and the last attack kept of its place and of no place (of any, if it has none),
    so a digest of many attacks costs no comparison of each with all."""
    kept: list[Event] = []
    by_day: dict[tuple[str, str | None], list[Event]] = {}  # the attacks kept, by modality and day
    by_place: dict[tuple[str, object], list[Event]] = {}    # the first and last kept, by modality and place
    for e in events:
        if e.type != "ASSAULT":
            kept.append(e)
            continue
        if e.date is not None:
            candidates = by_day.get((e.modality, day(e)), [])
        elif e.place is None:
            candidates = by_place.get((e.modality, "any"), [])
        else:
            candidates = by_place.get((e.modality, place_key(e.place)), []) + by_place.get((e.modality, "no place"), [])
        anaphor = e.id in anaphors
        # an anaphor takes the nearest attack told before it (the candidates of a place and of no
        # place are two lists, each in the order of the text)
        order = sorted(candidates, key=lambda k: k.evidence.start, reverse=True) if anaphor else candidates
        first = next((k for k in order if same_attack(e, k, actors, anaphor)), None)
        if first is None:
            kept.append(e)
            by_day.setdefault((e.modality, day(e)), []).append(e)
            for key in ("any", place_key(e.place) if e.place else "no place"):
                ends = by_place.setdefault((e.modality, key), [])
                ends[1:] = [e]
            continue
        own_victims = anaphor and not same_attack(e, first, actors)   # "13 soldiers were killed in the attacks"
        if first.killed is None and first.killed_max is None and not own_victims:   # a toll of some victims only
            first.killed, first.killed_max = e.killed, e.killed_max
        if first.injured is None and first.injured_max is None and not own_victims:
            first.injured, first.injured_max = e.injured, e.injured_max
        first.place = first.place or e.place
        stated = set(e.source + e.target) - set(e.inferred)   # a participant one mention states is stated
        first.inferred = [i for i in first.inferred if i not in stated]
        if anaphor:   # the victims the later mention names are the attack's too
            added = [i for i in e.target if i not in first.target and i not in first.source]
            first.target = first.target + added
            first.inferred = first.inferred + [i for i in added if i in e.inferred]
    return kept


def renumber(events: list[Event]) -> list[Event]:
    for n, e in enumerate(events, start=1):
        e.id = f"e{n}"
    return events
