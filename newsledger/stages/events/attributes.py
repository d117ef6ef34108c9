"""The attributes every coded event gets, whichever coder found it: date, place, modality,
contexts, casualties, evidence and confidence.

Each event's date comes from, in order: a timex in its own clause; one in its sentence; for an
event inside a quotation, the quote's attribution sentence; an offset from the narrative
anchor ("more than a week after"); the latest dated sentence before it (narrative anchor);
the publication date. `date.anchor` says which one was used. A day with no year ("on March 3"
in a report with no date to take its year from: `yearless_day`) counts as a date of its clause
or sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from spacy.tokens import Span as SpacySpan, Token
from text_to_num import text2num

from ...model import EventDate, EventPlace, Place, Quote, Span, Timex
from ..mentions import paragraph_bounds
from ..time import names_a_thing
from .triggers import trigger_for
from .context import Context, dated
from .lexicon import event_words
from .syntax import clause_head, subject

MATERIAL_TYPES = {"ASSAULT", "COERCE", "MOBILIZE"}  # coded even when the perpetrator is unnamed
PHYSICAL_TYPES = MATERIAL_TYPES | {"PROTEST"}      # where people were: placed by their paragraph when their sentence has none
LOCATIVE_PREPS = {"in", "at", "near", "inside", "outside", "across", "throughout", "within"}
SPAN_MODS = {"ON_OR_AFTER", "AFTER", "BEFORE", "ON_OR_BEFORE"}  # "since 2021": not the day of an event
SPREAD_PREPS = {"throughout", "across", "around"}
LEVEL_RANK = {"sub-city": 0, "city": 1, "district": 2, "province": 3, "country": 4}
PLACE_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout", "around", "on", "into", "to"}


def event_date(trigger: Token, ctx: Context, quote: Quote | None) -> EventDate | None:
    sent = trigger.sent
    in_sent = [t for t in ctx.timexes_in(sent.start_char, sent.end_char)
               if (dated(t) or yearless_day(t)) and t.mod not in SPAN_MODS
               and (quote is not None or ctx.quote_at(t.start) is None or ctx.quote_at(trigger.idx) is not None)]
    clause = clause_head(trigger)
    for t in in_sent:
        span = ctx.sdoc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and (clause_head(span.root) is clause or trigger in span.root.ancestors
                                 or span.root.head == trigger) and not dates_other_noun(span, trigger):
            return EventDate(t.value, t.precision, "clause", t.text)
    if quote is not None and quote.cue_start is not None:
        cue_sent = ctx.sdoc.char_span(quote.cue_start, quote.cue_start + 1, alignment_mode="expand")
        if cue_sent is not None:
            cs = cue_sent.sent
            for t in ctx.timexes_in(cs.start_char, cs.end_char):
                if dated(t) and ctx.quote_at(t.start) is None:
                    return EventDate(t.value, t.precision, "quote", t.text)
    own = [t for t in in_sent if not describes_other_noun(t, trigger, ctx)]
    if own:
        t = own[0]
        return EventDate(t.value, t.precision, "sentence", t.text)
    t = date_of_setting_event(trigger, in_sent, ctx)
    if t is not None:   # "wounded in the May 3 attack": the attack's day
        return EventDate(t.value, t.precision, "sentence", t.text)
    offset = relative_offset(sent, ctx)
    if offset is not None:
        return offset
    published = ctx.doc.meta.published
    if published and quote is None and present_tense(trigger):  # "We condemn ...": the time of writing
        return EventDate(published.isoformat(), "day", "published", None)
    t = ctx.last_narrative_day(sent.start_char)
    if t is not None:
        return EventDate(t.value[:10], "day", "narrative", t.text)
    published = ctx.doc.meta.published
    if published:
        return EventDate(published.isoformat(), "day", "published", None)
    return None


def yearless_day(t: Timex) -> bool:
    """A day of a document with no date to take its year from ("on January 21" in an undated
    report: `XXXX-01-21`): kept as the event's date, so fusion can match it with a dated report
    of that day (`fuse.month_day`); the time stage writes such a value only when it has no
    reference date at all."""
    return t.type == "DATE" and re.fullmatch(r"XXXX-\d{2}-\d{2}", t.value) is not None


def dates_other_noun(span: SpacySpan, trigger: Token) -> bool:
    """A date that names a thing (`time.names_a_thing`: "reaffirming the April 27, 2018
    declaration", "condemned the March 3 bombing", "the attacks of May 3") whose noun is not
    the trigger nor holds it: the date of that noun's event. A noun that is itself a time ("the
    morning of May 3") passes the date on to its clause."""
    root = span.root
    if not names_a_thing(root):
        return False
    named = root.head.head if root.dep_ == "pobj" else root.head
    return named is not trigger and trigger not in named.subtree and named.ent_type_ not in {"DATE", "TIME"}


def describes_other_noun(t: Timex, trigger: Token, ctx: Context) -> bool:
    """A date modifying a noun the trigger is not part of ("reaffirming the April 27 declaration"),
    or in a relative or participle clause that describes such a noun, dates that noun's event
    ("extends sympathies to the victims of the attack that took place January 16": the attack's
    day, not the sympathies')."""
    span = ctx.sdoc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None:
        return False
    if dates_other_noun(span, trigger):
        return True
    for clause in (a for a in [span.root, *span.root.ancestors] if a.dep_ in {"relcl", "acl"}):
        if clause.head is not trigger and trigger not in clause.subtree:
            return True
    return False


def date_of_setting_event(trigger: Token, in_sent: list[Timex], ctx: Context) -> Timex | None:
    """The date of the event noun a verb happened in ("wounded in the May 3 attack", "killed
    during Friday's raid"): a date of the sentence inside that noun's phrase."""
    for noun in (g for p in trigger.children if p.dep_ == "prep" and p.lower_ in {"in", "during"}
                 for g in p.children if g.dep_ == "pobj"):
        if trigger_for(noun, ctx.lex) is None:
            continue
        for t in in_sent:
            span = ctx.sdoc.char_span(t.start, t.end, alignment_mode="expand")
            if span is not None and noun in [span.root, *span.root.ancestors]:
                return t
    return None


def present_tense(trigger: Token) -> bool:
    """An act stated in the simple present ("We condemn", "The United States stands ready"),
    or an event noun the object of such a verb ("extends its condolences")."""
    verb = trigger.head if trigger.pos_ in {"NOUN", "PROPN"} and trigger.dep_ == "dobj" else trigger
    while verb.dep_ in {"xcomp", "acomp"} and verb.head is not verb:  # "stands ready to assist", "continues to support"
        verb = verb.head
    return verb.tag_ in {"VBP", "VBZ"} and not any(c.dep_ in {"aux", "auxpass"} for c in verb.children)


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
    if lemmas & event_words().end_words:
        first, last = day - timedelta(days=days - 1), day
    elif lemmas & event_words().start_words:
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


def locative(p: Place, ctx: Context) -> bool:
    """A place named where something happens ("in Singapore", "at Kismayo"), even when the
    actors layer also reads it as an actor (a country, a city-state)."""
    span = ctx.sdoc.char_span(p.start, p.end, alignment_mode="expand")
    return span is not None and span.root.dep_ == "pobj" and span.root.head.lower_ in LOCATIVE_PREPS


def unnamed_place(p: Place, ctx: Context) -> bool:
    """A toponym that is not an actor's mention, or one named as a location."""
    return p.kind == "toponym" and (not ctx.mentions.overlapping(p.start, p.end) or locative(p, ctx))


def event_place(trigger: Token, ctx: Context, physical: bool) -> EventPlace | None:
    """Where an event happened, in order: a place phrase in the trigger's clause ("visited
    Kabul", "attack in Peshawar"); one in its sentence; and, for physical events only (violence,
    arrests, deployments, protests: where people were), one in its paragraph, then the
    document's most mentioned city. `basis` says which. A country that is also an actor counts
    where it is named as a location ("talks in Singapore")."""
    sent = trigger.sent
    clause = clause_head(trigger)
    ranked = []
    for p in ctx.places_in(sent.start_char, sent.end_char):
        if not unnamed_place(p, ctx):
            continue
        span = ctx.sdoc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if not (root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPS or root.dep_ in {"dobj", "compound", "npadvmod", "appos", "conj"}):
            continue
        local = clause_head(root) is clause or trigger in root.ancestors
        ranked.append((0 if local else 1, LEVEL_RANK.get(p.level, 5), p.start, p))
    body = ctx.doc.body or ""
    para_start, para_end = paragraph_bounds(body, sent.start_char, sent.end_char)
    nearby = [p for p in ctx.places_in(para_start, para_end) if unnamed_place(p, ctx)] if physical else []
    if ranked:
        best = sorted(ranked, key=lambda r: r[:3])[0]
        span = ctx.sdoc.char_span(best[3].start, best[3].end, alignment_mode="expand")
        spread = span is not None and span.root.head.lower_ in SPREAD_PREPS  # "protests throughout Iran": all of it
        return (None if spread else more_specific(best[3], nearby, ctx, physical)) or to_event_place(best[3], "clause" if best[0] == 0 else "sentence")
    if not physical:
        return None
    if nearby:
        first = sorted(nearby, key=lambda p: (LEVEL_RANK.get(p.level, 5), p.start))[0]
        return more_specific(first, [], ctx, physical) or to_event_place(first, "paragraph")
    top = ctx.top_city()
    return to_event_place(top, "document") if top is not None else None


def more_specific(place: Place, nearby: list[Place], ctx: Context, physical: bool) -> EventPlace | None:
    """For a physical event placed in a whole country ("killed in Afghanistan"), the most
    specific place in that country its paragraph, else its document, gives (Kabul)."""
    if not physical or place.level != "country":
        return None
    inside = [p for p in nearby if p.country == place.country and LEVEL_RANK.get(p.level, 5) < LEVEL_RANK["country"]]
    if inside:
        return to_event_place(sorted(inside, key=lambda p: (LEVEL_RANK.get(p.level, 5), p.start))[0], "paragraph")
    top = ctx.top_city()
    return to_event_place(top, "document") if top is not None and top.country == place.country else None


def to_event_place(p: Place, basis: str) -> EventPlace:
    return EventPlace.of(p, basis)


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
        calendar = re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", when.value[:10]) is not None  # not a week or a season
        if calendar and when.value[:10] > published.isoformat() and when.anchor == "clause" and trigger.tag_ != "VBD":
            return "future"  # a verb in the past tense reports a past act whatever its date says
    return "asserted"


def contexts(sent: SpacySpan, ctx: Context) -> list[str]:
    low = " " + sent.text.lower() + " "
    return [name for name, pattern in ctx.lex.context_patterns.items() if pattern.search(low)]


NUMBER_WORD = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
               r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
               r"thousand|million)")
QUALIFIERS = {"at least": "open", "more than": "open", "over": "open", "upwards of": "open",
              "about": "approx", "some": "approx", "nearly": "approx", "around": "approx", "almost": "approx",
              "approximately": "approx", "roughly": "approx", "up to": "ceiling", "as many as": "ceiling"}


@cache
def count_pattern() -> re.Pattern[str]:
    """A casualty count: a verb of killing or wounding before its number ("killed at least 21
    people", "left dozens dead") or a number before it ("Twenty-one civilians were killed").
    A number is digits, number words ("two hundred fifty") or a vague quantity of
    data/event_words.yaml ("dozens")."""
    vague = "|".join(re.escape(w) for w in sorted(event_words().vague_quantities, key=len, reverse=True))
    number = rf"\d[\d,]*|{vague}|{NUMBER_WORD}(?:(?:-|\s+|\s+and\s+){NUMBER_WORD})*"
    qualifier = "|".join(re.escape(q) for q in QUALIFIERS)
    return re.compile(
        rf"(?:\b(?P<verb>killed|killing|kills|wounded|wounding|injured|injuring|left)\s+(?:(?P<q1>{qualifier})\s+)?"
        rf"(?P<n1>{number})\b(?:\s+[\w.'-]+){{0,3}}?(?:\s+(?P<state>dead|injured|wounded))?)"
        rf"|(?:\b(?:(?P<q2>{qualifier})\s+)?(?P<n2>{number})\s+(?:[\w.'-]+\s+){{0,3}}?"
        r"(?:were\s+|have been\s+|had been\s+)?(?P<verb2>killed|dead|died|wounded|injured))", re.I)


@dataclass(frozen=True)
class Count:
    """A stated number of people: `low` as stated (the low bound of a range), `high` its upper
    bound: equal to `low` for an exact or approximate count ("21", "about 30"), higher for a
    range ("dozens": 24 to 99), None when open-ended ("at least 30", "more than 30"). A
    ceiling ("up to 30") states only the upper bound: `low` is then None."""
    low: int | None
    high: int | None


def read_count(number: str, qualifier: str | None) -> Count | None:
    """The count a number phrase states, or None when it is not a number."""
    text = " ".join(number.lower().split())
    kind = QUALIFIERS.get(" ".join((qualifier or "").lower().split()))   # "At least" opens a sentence
    open_ended, ceiling = kind == "open", kind == "ceiling"
    vague = event_words().vague_quantities.get(text)
    if vague is not None:
        return Count(None if ceiling else vague[0], None if open_ended else vague[1])
    if text[0].isdigit():
        value = int(text.replace(",", ""))
    else:
        try:
            value = text2num(text.replace("-", " ").replace(" and ", " "), "en")
        except ValueError:
            return None
    return Count(None if ceiling else value, None if open_ended else value)


@dataclass(frozen=True)
class Casualties:
    """The people a sentence says were killed and wounded (None when it says no number)."""
    killed: Count | None = None
    injured: Count | None = None

    @property
    def stated(self) -> bool:
        return self.killed is not None or self.injured is not None

    def fields(self) -> dict[str, int | None]:
        """The Event fields: killed/injured the stated (low) count, killed_max/injured_max its
        upper bound (None when open-ended or when no count is stated)."""
        return {"killed": self.killed.low if self.killed else None,
                "killed_max": self.killed.high if self.killed else None,
                "injured": self.injured.low if self.injured else None,
                "injured_max": self.injured.high if self.injured else None}


YEAR = re.compile(r"1\d{3}|20\d{2}")
YEAR_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "their", "his", "her", "our"})


def names_year(sent: SpacySpan, m: re.Match[str], group: str) -> bool:
    """The number of a count match is a year, not a count of people: four bare digits (news
    style writes a thousand people "1,000") after a determiner or possessive ("the 2011 bombing
    that killed 100", "Kenya's 2013 attack"), or inside a date entity of the parse."""
    number = m.group(group)
    if not number or not YEAR.fullmatch(number):
        return False
    before = sent.text[:m.start(group)].split()
    if before and (before[-1].lower() in YEAR_DETERMINERS or before[-1].endswith(("'s", "’s"))):
        return True
    span = sent.char_span(m.start(group), m.end(group))
    return span is not None and any(t.ent_type_ == "DATE" for t in span)


def casualties(sent: SpacySpan) -> Casualties:
    """The first count of killed and of wounded a sentence states (see `count_pattern`); a year
    before the verb ("the 2011 bombing that killed 100") is no count: the search goes on after it."""
    killed = injured = None
    pattern, text, pos = count_pattern(), sent.text, 0
    while (m := pattern.search(text, pos)) is not None:
        pos = m.end()
        if names_year(sent, m, "n2"):
            pos = m.end("n2")
            continue
        count = read_count(m.group("n1") or m.group("n2"), m.group("q1") or m.group("q2"))
        if count is None:
            continue
        verb = (m.group("verb") or m.group("verb2") or "").lower()
        state = (m.group("state") or "").lower()
        if verb.startswith(("kill", "dead", "died")) or state == "dead":
            killed = killed or count
        elif verb.startswith(("wound", "injur")) or state in {"injured", "wounded"}:
            injured = injured or count
    return Casualties(killed, injured)


def has_setting(tok: Token, kind: str, ctx: Context) -> bool:
    """A violent act with no named actor is still an event when it says where or when it
    happened, or how many it killed or wounded: a verb or the subject noun of a clause ("a
    bombing happened near X") in its sentence, another noun in its own phrase."""
    if kind == "noun" and tok.dep_ not in {"nsubj", "nsubjpass"}:
        start, end = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
        stated = False
    else:
        start, end = tok.sent.start_char, tok.sent.end_char
        stated = casualties(tok.sent).stated
    if any(p.kind == "toponym" for p in ctx.places_in(start, end)):
        return True
    if any(dated(t) for t in ctx.timexes_in(start, end)):
        return True
    return stated


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
