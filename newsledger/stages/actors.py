"""Actors stage: canonical actors and every mention that refers to them.

Needs: body, spacy_doc, places. Adds: actors.

Ordered sources of mentions, each filling only text not yet claimed:
1. Dictionary names found in the text (longest match first; exact or normalised alias:
   "Tehrik-e-Taliban" = "Tehreek-i-Taliban Pakistan", "IS-K", "Kabul regime"); before them,
   a leader's surname + "administration"/"government" ("the Bush administration") is that
   country's government.
2. A surname after a title or honorific ("President Bush", "Chancellor Kohl"): the
   dictionary person holding the title on the date, or the country all candidates share.
3. Ethnic and national groups ("Turkish Kurd refugees", "Bosnian Serbs", "ethnic Albanians
   in south Serbia"; data/ethnic_groups.tsv), coded by where they live, and "X-led" groups.
4. spaCy PERSON / ORG / GPE entities, resolved against the dictionary (fuzzy allowed);
   unknown people and organisations still become actors, their country and sector read
   from a title or demonym beside them ("Pakistani Defence Minister ..."), a possessive
   ("Jordan's visiting Prince X") or "of" ("X of Kuwait").
5. Capitals used as metonyms ("Washington has made overtures") when not in a place phrase.
6. Demonym + group noun ("an Afghan delegation", "Pakistani troops") -> that country's
   actor of the noun's sector.
7. A country named only through its places or demonym ("attacked Kabul", "arrived in
   Amman", "a Senegalese plan") gets an actor of kind "place", its mentions those words: the
   state an event on the place is directed at, as CAMEO and the PLOVER gold standard code
   it. Place actors are not in the mention index of the later stages (the text stays a
   place there).
Actors still without a country take one from where they are ("rebels in Darfur"; for an
unnamed group also the place of its clause), the institution in their title or appositive
("U.N. Secretary-General X"), or the only country the report names (for a person, not one
named only as what someone acts against).
Coreference inside the document: surnames and honorifics ("Mr Asif", "Asif") and role
nouns ("the minister") join the latest actor they fit; then the sieve of stages/coref.py
links appositives, definite nominals and pronouns, makes actors of unresolved speakers
("officials said") and gives a statement's "we" to its issuer.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from spacy.tokens import Doc, Span as SpacySpan, Token

from .. import gazetteer
from ..actordict import ActorDictionary, Match, default_dictionary, sector_for_term, title_sector
from ..model import Actor, Document, Place, Span
from ..resources import load_tsv
from ..settings import Settings
from . import Stage, coref
from .mentions import Intervals
from .quotes import quotations, speech_verbs

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "gen", "general", "president", "minister",
              "secretary", "ambassador", "senator", "judge", "justice", "prof", "professor",
              "lt", "col", "colonel", "maj", "major", "capt", "captain", "adm", "admiral", "sheikh"}
HONORIFIC_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "prof"}
LOCATIVE_PREPS = {"in", "at", "from", "to", "into", "near", "across", "inside", "outside",
                  "around", "through", "toward", "towards", "via", "throughout", "within"}
NAME_TOKEN = re.compile(r"^[A-Z][\w'’.\-]*$|^[A-Z]{2,}$|^al$|^el$", re.U)
STATE_SECTORS = {"GOV", "MIL", "COP", "SPY", "LEG", "JUD"}  # institutions every state has


@dataclass
class Draft:
    """An actor while the stage collects its mentions."""
    key: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    role: str | None = None
    wikidata: str | None = None
    known: bool = False
    mentions: list[Span] = field(default_factory=list)


class Collector:
    """Actors of one document, keyed by identity, with a claimed-character map."""

    def __init__(self, body: str):
        self.body = body
        self.drafts: dict[str, Draft] = {}
        self.claimed = bytearray(len(body))
        # every mention `add` made, sorted by start, to find those covering a position by bisection
        self.mention_starts: list[int] = []
        self.mention_spans: list[tuple[int, int, str]] = []    # start, end, draft key
        self.longest_mention = 0
        self.draft_order: dict[str, int] = {}

    def free(self, start: int, end: int) -> bool:
        return not any(self.claimed[start:end])

    def add(self, draft: Draft, start: int, end: int) -> Draft:
        actor = self.drafts.setdefault(draft.key, draft)
        if draft is not actor:
            actor.role = actor.role or draft.role
            actor.country = actor.country or draft.country
            actor.sector = actor.sector or draft.sector
        actor.mentions.append(Span(self.body[start:end], start, end))
        self.claimed[start:end] = b"\x01" * (end - start)
        at = bisect_right(self.mention_spans, (start, end, draft.key))
        self.mention_spans.insert(at, (start, end, draft.key))
        self.mention_starts.insert(at, start)
        self.longest_mention = max(self.longest_mention, end - start)
        self.draft_order.setdefault(draft.key, len(self.draft_order))
        return actor

    def covering(self, pos: int) -> list[Draft]:
        """The drafts with a mention made by `add` covering position `pos`, in the drafts' order."""
        keys = set()
        for i in range(bisect_right(self.mention_starts, pos) - 1, -1, -1):
            start, end, key = self.mention_spans[i]
            if start < pos - self.longest_mention:
                break
            if pos < end:
                keys.add(key)
        return [self.drafts[k] for k in sorted(keys, key=self.draft_order.__getitem__) if k in self.drafts]


def context_country(doc: Document, settings: Settings) -> str | None:
    """The document's home country (ISO3): the dateline's, else the most mentioned one."""
    if doc.meta.dateline:
        for cand in gazetteer.candidates(doc.meta.dateline, settings.gazetteer_min_population)[:1]:
            return gazetteer.iso2_to_iso3(cand.iso2)
    counts = Counter(p.country for p in doc.places or [] if p.country)
    if counts:
        return gazetteer.iso2_to_iso3(counts.most_common(1)[0][0])
    return None


def entry_draft(found: Match, home: str | None) -> Draft:
    """A draft actor from a dictionary match (country, sector and role already as of the date).
    A generic institution ("Foreign Office") takes `home`: the country named just before it,
    else the document's home country (None when a possessive pronoun owns it)."""
    entry = found.entry
    generic = entry.country is None and entry.kind == "organisation" and found.sector in STATE_SECTORS
    country = found.country or (home if generic else None)
    key = f"dict:{entry.id}:{country}" if generic else f"dict:{entry.id}"
    role = found.role.title if found.role else None
    name = f"{entry.name} ({country})" if generic and country else entry.name
    return Draft(key, name, entry.kind, country, found.sector, role, entry.wikidata, True)


def country_modifier(span: SpacySpan) -> str | None:
    """ISO3 of a demonym or country name just before or inside `span` ("Pakistani Defence Minister")."""
    doc = span.doc
    tokens = list(span) + ([doc[span.start - 1]] if span.start > 0 else [])
    for tok in tokens:
        hit = gazetteer.demonym_country(tok.text)
        if hit:
            return hit[1]
    return None


def title_before(span: SpacySpan) -> tuple[str | None, str | None, int]:
    """The longest title ending right before a name ("Defence Minister", "U.S. Secretary of
    State"): (title, sector, start char of the title)."""
    doc = span.doc
    best: tuple[str | None, str | None, int] = (None, None, span.start_char)
    for n in range(1, 7):
        start = span.start - n
        if start < 0 or doc[start].is_sent_start and n > 1 and not doc[start].is_title:
            break
        words = doc[start:span.start]
        if any(t.is_punct and t.text not in {".", "-"} for t in words) and n > 1:  # "Secretary-General"
            break
        text = words.text.strip()
        sector = title_sector(text)
        if sector:
            best = (text, sector, words.start_char)
    return best


def appositive_role(span: SpacySpan) -> str | None:
    """'Christopher Landberg, acting coordinator for counterterrorism at the State Department'
    -> 'acting coordinator for counterterrorism'."""
    doc = span.doc
    if span.end >= len(doc) - 1 or doc[span.end].text != ",":
        return None
    words: list[str] = []
    for tok in doc[span.end + 1: span.end + 14]:
        if tok.text in {",", ";", ".", "(", ")"} or tok.is_sent_start or (tok.lower_ in {"at", "and", "of", "in", "who", "said"} and words):
            break
        words.append(tok.text_with_ws)
    role = "".join(words).strip()
    if not role or not title_sector(role.split()[-1]) and not title_sector(role):
        return None
    return role


def is_place_use(span: SpacySpan) -> bool:
    """A toponym used as a place ("in Islamabad", "visited Kabul"), not as an actor."""
    head = span[-1]  # the name's last word ("The Doha" inside "The Doha Agreement" hangs on "Agreement")
    if head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS:
        return True
    if head.dep_ == "dobj" and head.head.lemma_ in {"visit", "reach", "leave", "enter", "arrive", "travel", "fly", "return"}:
        return True
    if head.dep_ in {"compound", "amod"} or head.dep_ == "appos":
        return True
    return False


def find_dictionary_names(tokens: list[Token], ents: tuple[SpacySpan, ...], dictionary: ActorDictionary,
                          collector: Collector, when: date | None, home: str | None, min_population: int) -> None:
    """Longest dictionary names starting at capitalised words (exact or normalised, no fuzzy),
    never across a sentence boundary; `ents` are the document's entities."""
    # the entity holding each token (spaCy's entities never overlap): the only one a name
    # starting at that token can lie inside, found without a scan of every entity per name
    holding = {t: (ent,) for ent in ents for t in range(ent.start, ent.end)}
    owners_by_name: dict[tuple[str, str], str] = {}   # a named unit's owner, for its later mentions
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        starter = tokens[i + 1] if tok.lower_ == "the" and i + 1 < len(tokens) else tok
        longest = dictionary.longest_name_from(starter.text) if NAME_TOKEN.match(tok.text) else 0
        matched = 0
        end = i + 1
        while end < len(tokens) and end - i < longest + 1 and not tokens[end].is_sent_start:
            end += 1
        for stop in range(end, i, -1):
            last = tokens[stop - 1]
            if last.is_punct or last.is_space:
                continue
            start_char, end_char = tok.idx, last.idx + len(last.text)
            text = collector.body[start_char:end_char]
            if not collector.free(start_char, end_char) or not dictionary.may_name(text):
                continue
            found = dictionary.lookup(text, when, fuzzy=False)
            if found is None:
                continue
            if found.how == "metonym" and is_place_use(tok.doc[i:stop]):
                break
            if found.entry.kind == "person" and (inside_larger_name(tok.doc[i:stop], holding.get(i, ()))
                                                 or inside_other_person(tok.doc[i:stop], holding.get(i, ()))):
                break  # "Hamid Karzai" of "Hamid Karzai International Airport", "Sharon" of "Sharon Stone"
            owner = (preceding_country(tokens, i, min_population) or following_of_country(tokens, stop, min_population)
                     or preceding_owner(tokens, i, collector))
            named = name_modifiers(tokens, i)   # "Morality" of "Iran's Morality Police" ... "the Morality Police"
            if named and owner:
                owners_by_name[(named, text.lower())] = owner
            elif named:
                owner = owners_by_name.get((named, text.lower()))
            if owner is None and not (i > 0 and tokens[i - 1].tag_ == "PRP$"):  # "our consulate": unknown
                owner = home
            collector.add(entry_draft(found, owner), start_char, end_char)
            matched = stop - i
            break
        i += matched or 1


GOVERNMENT_NOUNS = {"administration", "government", "regime", "cabinet"}


def surname_governments(tokens: list[Token], dictionary: ActorDictionary, collector: Collector,
                        when: date | None, home: str | None, toponyms: Intervals) -> None:
    """A leader's surname before "administration" or "government" ("the Bush administration",
    "the Reagan government") stands for that country's government, when every person of
    the dictionary with that surname is of one country. Runs before the dictionary names,
    which would take the noun for a generic institution."""
    for tok in tokens[:-1]:
        following = tokens[tok.i + 1]
        if following.lower_ not in GOVERNMENT_NOUNS or not (tok.is_title and tok.pos_ == "PROPN"):
            continue
        if tok.i > 0 and tokens[tok.i - 1].pos_ == "PROPN" and tokens[tok.i - 1].is_title:
            continue  # the last word of a longer name ("the Ahmed Mohammed government")
        if toponyms.covers(tok.idx):
            continue  # "the Lagos government": a place, not President Lagos
        country = dictionary.surname_country(tok.text, when)
        state = dictionary.get(country) if country else None
        if state is not None and state.kind == "state" and collector.free(tok.idx, following.idx + len(following.text)):
            match = Match(state, "surname", 80.0, country, "GOV")
            collector.add(entry_draft(match, home), tok.idx, following.idx + len(following.text))


def titled_surnames(tokens: list[Token], ents: tuple[SpacySpan, ...], dictionary: ActorDictionary,
                    collector: Collector, when: date | None, home: str | None) -> None:
    """A surname after a title or honorific ("President Bush", "Chancellor Kohl", "Mr.
    Mubarak") that no dictionary name covered: the person holding that title on the date,
    else the only one who ever held it, else the only one in office;
    when several share it (two Bushes) but also a country, an actor of that country. A
    surname the report also gives with an unknown first name ("John Smith ... Mr. Smith") is
    that person's."""
    unknown_surnames = {ent[-1].text for ent in ents if ent.label_ == "PERSON" and len(ent) > 1
                        and collector.free(ent.start_char, ent.end_char)}
    for tok in tokens:
        if not (tok.is_title and tok.pos_ == "PROPN") or tok.text in unknown_surnames or \
                not dictionary.is_surname(tok.text) or not collector.free(tok.idx, tok.idx + len(tok.text)):
            continue
        following = tokens[tok.i + 1] if tok.i + 1 < len(tokens) else None
        if following is not None and following.pos_ == "PROPN" and following.is_title:
            continue  # not the last word of a name
        title, sector, _ = title_before(tok.doc[tok.i:tok.i + 1])
        honorific = tok.i > 0 and tokens[tok.i - 1].lower_.rstrip(".") in HONORIFIC_TITLES
        if not (title or honorific):
            continue
        person, country = dictionary.titled_surname(tok.text, title, when)
        start, end = (tokens[tok.i - 1].idx if honorific else tok.idx), tok.idx + len(tok.text)
        if person is not None:
            collector.add(entry_draft(person, home), start, end)
        elif country is not None:
            key = f"person:{tok.lower_}:{country}"
            collector.add(Draft(key, tok.text, "person", country, sector or "GOV", title), start, end)


def inside_title(ent: SpacySpan) -> bool:
    """'Defence' of "Defence Minister", 'State' of "Secretary of State", 'Rear Admiral'."""
    doc = ent.doc
    for left in range(max(0, ent.start - 3), ent.start + 1):
        for right in range(ent.end, min(len(doc), ent.end + 2) + 1):
            if title_sector(doc[left:right].text):
                return True
    return False


def inside_larger_name(span: SpacySpan, ents: tuple[SpacySpan, ...]) -> bool:
    """Whether a span lies inside a longer named facility, organisation or place (`ents`: the
    document's entities, read once: `Doc.ents` builds them anew on every access)."""
    return any(ent.label_ in {"FAC", "ORG", "GPE", "LOC", "EVENT", "WORK_OF_ART"} and ent.start <= span.start
               and span.end <= ent.end and len(ent) > len(span) for ent in ents)


def inside_other_person(span: SpacySpan, ents: tuple[SpacySpan, ...]) -> bool:
    """A one-word name ("Sharon", "Clinton") that is part of a longer person's name with other
    name words than titles ("Sharon Stone", "Chelsea Clinton")."""
    if len(span) != 1:
        return False
    for ent in ents:
        if ent.label_ == "PERSON" and ent.start <= span.start < ent.end and len(ent) > 1:
            before = ent.doc[ent.start:span.start]
            return span.end < ent.end or not (title_sector(before.text) or before[-1].lower_.rstrip(".") in HONORIFICS)
    return False


def preceding_country(tokens: list[Token], i: int, min_population: int) -> str | None:
    """ISO3 of a demonym or country name among the three words before token i, inside its
    noun phrase ("Pakistani law enforcement and government", "Pakistan's foreign office")."""
    for tok in reversed(tokens[max(0, i - 3):i]):
        if tok.is_punct and tok.text not in {"'s", "’s"}:
            return None
        country = word_country(tok, tokens, min_population)
        if country:
            return country
    return None


def name_modifiers(tokens: list[Token], i: int) -> str:
    """The capitalised proper-noun words right before token i that name a particular unit of a
    generic institution ("Morality" of "the Morality Police", "Border" of "the Border Police"),
    lower-cased; "" when there are none."""
    j = i
    while j > 0 and i - j < 3 and tokens[j - 1].pos_ == "PROPN" and tokens[j - 1].is_title \
            and not tokens[j].is_sent_start:
        j -= 1
    return " ".join(t.lower_ for t in tokens[j:i])


def following_of_country(tokens: list[Token], stop: int, min_population: int) -> str | None:
    """ISO3 of the country named in an "of" phrase right after the name ending before token
    `stop`: the owner of a generic institution ("the embassy of Chile in Kabul", "the Ministry
    of Defence of the United Kingdom"); a place after "in" is where it is, not whose it is."""
    if stop + 1 >= len(tokens) or tokens[stop].lower_ != "of":
        return None
    first = stop + 2 if tokens[stop + 1].lower_ == "the" else stop + 1
    last = first
    while last < len(tokens) and tokens[last].pos_ == "PROPN" and last - first < 3:
        last += 1
    if last == first:
        return None
    name = " ".join(t.text for t in tokens[first:last])
    for cand in gazetteer.candidates(name, min_population)[:1]:
        if cand.level == "country":
            return gazetteer.iso2_to_iso3(cand.iso2)
    return None


def preceding_owner(tokens: list[Token], i: int, collector: Collector) -> str | None:
    """The country of an organisation named among the three words before token i, inside its
    noun phrase ("the U.N. war crimes court" is the UN's)."""
    for tok in reversed(tokens[max(0, i - 3):i]):
        if tok.pos_ in {"VERB", "AUX", "ADP"} or (tok.is_punct and tok.text not in {"'s", "’s", "."}):
            return None  # "The UN said the court ...": outside the phrase
        for draft in collector.covering(tok.idx):
            if draft.kind == "organisation" and draft.country:
                return draft.country
    return None


def add_entity(ent: SpacySpan, dictionary: ActorDictionary, collector: Collector,
               when: date | None, home: str | None, toponyms: Intervals) -> None:
    """A spaCy PERSON / ORG entity that no dictionary name covered, unless it is a title or a
    place the places stage resolved (the small model often tags "Peshawar" as ORG)."""
    text = re.sub(r"^(?:the|The)\s+|['’]s$", "", ent.text).strip()
    if not text or not collector.free(ent.start_char, ent.end_char):
        return
    if ent.label_ == "ORG" and (inside_title(ent) or toponyms.overlaps(ent.start_char, ent.end_char)):
        return
    if ent.end < len(ent.doc) and gazetteer.demonym_country(f"{ent[-1].text} {ent.doc[ent.end].text}"):
        return  # "Sierra" of "Sierra Leonean refugees"
    start = ent.start_char + ent.text.find(text)
    end = start + len(text)
    if ent.label_ == "PERSON" and ent.start > 0 and ent.doc[ent.start - 1].lower_.rstrip(".") in HONORIFIC_TITLES:
        start = ent.doc[ent.start - 1].idx  # "Mr Asif" is the mention, not "Asif"
    found = dictionary.lookup(text, when, fuzzy=True, metonyms=False)
    if found is not None:
        collector.add(entry_draft(found, home), start, end)
        return
    if ent.label_ == "PERSON" or (len(ent) == 1 and known_surname(text, collector)) or titled_name(ent):
        add_person(ent, text, start, end, collector, home)  # "Psaki said", "Vice-President Moody Awori" tagged ORG
        return
    head_sector = sector_for_term(ent.root.lemma_.lower()) or sector_for_term(ent.root.text.lower())
    country = country_modifier(ent)
    key = "org:" + " ".join(text.lower().split())
    collector.add(Draft(key, text, "organisation", country or None, head_sector), start, end)


def titled_name(ent: SpacySpan) -> bool:
    """Two or three capitalised names after a personal title ("Vice-President Moody Awori"),
    whatever spaCy labelled them."""
    return 2 <= len(ent) <= 3 and all(t.pos_ == "PROPN" and t.is_title and not noun_sector(t) for t in ent) \
        and title_before(ent)[0] is not None


def known_surname(word: str, collector: Collector) -> bool:
    return any(d.kind == "person" and d.name.split()[-1] == word for d in collector.drafts.values())


def add_person(ent: SpacySpan, text: str, start: int, end: int, collector: Collector, home: str | None) -> None:
    """An unknown person, or a later mention ("Mr Asif", "Asif") of one already seen."""
    words = [w for w in text.replace(".", " ").split() if w.lower() not in HONORIFICS]
    if not words:
        return
    for draft in collector.drafts.values():
        if draft.kind == "person" and all(w.lower() in draft.name.lower().split() for w in words):
            collector.add(draft, start, end)  # "Asif" of "Khawaja Asif"; "Chelsea Clinton" is not Bill
            return
    title, sector, title_start = title_before(ent)
    inner_title = not title
    if inner_title:  # "Jordan's Prince Ali bin Nayef" tagged with its title
        title = next((ent[:k].text for k in range(len(ent) - 1, 0, -1) if title_sector(ent[:k].text)), None)
        sector = title_sector(title) if title else None
    country = country_modifier(ent.doc[max(0, ent.start - 6): ent.end]) if title else None
    if title and not country:  # "U.N. Secretary-General Kofi Annan", "Arab League envoy X"
        country = affiliation_country(title_start - 2, ent.start_char, collector) or \
            possessor_country(ent.doc, next(t.i for t in ent.doc[max(0, ent.start - 7):ent.end] if t.idx >= title_start), collector)
    if inner_title and not country:  # "Sultan Khan, a shopkeeper": a given name, unless a country owns the title
        title = sector = None
    role = title or appositive_role(ent)
    if not country:  # "Sheikh Ahmed Jaber of Kuwait"
        country = of_country(ent, collector)
    if not country:  # "Kofi Annan, UN secretary-general", "X, Algeria's leading activist"
        appositive = next((c for c in ent.root.children if c.dep_ == "appos" and c.i >= ent.end), None)
        if appositive is not None:
            end = appositive.idx + len(appositive.text)
            country = affiliation_country(appositive.left_edge.idx, end, collector)
    if role and not sector:
        sector = title_sector(role) or title_sector(role.split()[-1])
    if title and not country and sector in STATE_SECTORS:
        country = home  # an official, judge or officer titled without a country: the report's home country
    key = "person:" + " ".join(w.lower() for w in words)
    collector.add(Draft(key, " ".join(words), "person", country, sector, role), start, end)


def of_country(ent: SpacySpan, collector: Collector) -> str | None:
    """The country of a state or organisation named right after a person's name and "of"
    ("King Hassan of Morocco", "Ahmed Jaber of Kuwait")."""
    doc = ent.doc
    if ent.end + 1 >= len(doc) or doc[ent.end].lower_ != "of":
        return None
    last = doc[min(ent.end + 4, len(doc)) - 1]
    return affiliation_country(doc[ent.end + 1].idx, last.idx + len(last.text), collector)


def possessor_country(sdoc: Doc, title_index: int, collector: Collector) -> str | None:
    """The country of a state or organisation owning a title through a possessive, across up to
    three modifiers ("Jordan's visiting Prince X", "Syria's new foreign minister")."""
    i = title_index - 1
    while i >= 0 and title_index - i <= 3 and sdoc[i].tag_ in {"JJ", "VBG", "VBN"}:
        i -= 1
    if i < 1 or sdoc[i].text not in {"'s", "’s"}:
        return None
    return affiliation_country(sdoc[i - 1].idx, sdoc[i].idx + len(sdoc[i].text), collector)


def affiliation_country(start: int, end: int, collector: Collector) -> str | None:
    """The country of a state or organisation whose name ends between `start` and `end` (just
    before or inside a person's title, inside their appositive: the institution they serve)."""
    for draft in collector.drafts.values():
        if draft.country and draft.kind in {"state", "organisation"} and \
                any(start <= m.end <= end for m in draft.mentions):
            return draft.country
    return None


def honorific_mentions(tokens: list[Token], collector: Collector) -> None:
    """'Mr Asif' / 'Asif' that spaCy did not tag: surname of a known person after an honorific."""
    surnames = {d.name.split()[-1]: d for d in collector.drafts.values() if d.kind == "person"}
    for tok in tokens:
        draft = surnames.get(tok.text)
        if draft and collector.free(tok.idx, tok.idx + len(tok.text)):
            start = tok.idx
            if tok.i > 0 and tokens[tok.i - 1].lower_.rstrip(".") in HONORIFICS:
                start = tokens[tok.i - 1].idx
            collector.add(draft, start, tok.idx + len(tok.text))


def role_noun_mentions(tokens: list[Token], collector: Collector) -> None:
    """'the minister' joins the latest person before it whose role ends in that noun."""
    for tok in tokens:
        if tok.lower_ != "the" or tok.i + 1 >= len(tokens):
            continue
        noun = tokens[tok.i + 1]
        if noun.tag_ not in {"NN"} or not title_sector(noun.lower_):
            continue
        best: tuple[int, Draft] | None = None
        for draft in collector.drafts.values():
            if draft.kind != "person" or not draft.role or noun.lower_ not in draft.role.lower().split():
                continue
            before = [m.start for m in draft.mentions if m.start < tok.idx]
            if before and (best is None or max(before) > best[0]):
                best = (max(before), draft)
        if best and collector.free(tok.idx, noun.idx + len(noun.text)):
            collector.add(best[1], tok.idx, noun.idx + len(noun.text))


def unnamed_groups(tokens: list[Token], collector: Collector) -> None:
    """A group noun as subject or object with no name or country ("Militants stormed ...",
    "Demonstrators blocked ...", "Prisoners rioted"): one unnamed actor per noun, of the
    noun's sector, country unknown."""
    for tok in tokens:
        if tok.tag_ not in {"NNS", "NNPS"} or tok.dep_ not in {"nsubj", "nsubjpass", "dobj", "pobj", "agent", "conj"}:
            continue
        sector = sector_for_term(tok.lower_) or sector_for_term(tok.lemma_.lower())
        if not sector or not collector.free(tok.idx, tok.idx + len(tok.text)):
            continue
        located = {t.i for c in tok.children if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS - {"from"}
                   for t in c.subtree}  # "rebels in the Ivory Coast" are rebels, of that place
        inside = [t for t in tok.subtree if t.i != tok.i and t.i not in located]
        if any(not collector.free(t.idx, t.idx + len(t.text)) for t in inside):
            continue  # "fighters of the Zarghun Front" are that group's
        if any(c.tag_ == "PRP$" for c in tok.children):
            continue  # "its troops": someone's named elsewhere, not an unnamed group
        key = f"unnamed:{sector}:{tok.lemma_.lower()}"
        draft = collector.drafts.get(key) or Draft(key, tok.lower_, "group", None, sector)
        collector.add(draft, tok.idx, tok.idx + len(tok.text))


STATE_NOUNS = {"soil", "territory", "land", "side", "airspace", "waters", "leadership", "authorities"}


def demonym_ending_at(tok: Token, tokens: list[Token]) -> tuple[tuple[str, str] | None, int]:
    """The country of a demonym ending at `tok` ("Afghan", "South Korean", "Sierra Leonean")
    and the demonym's start."""
    if tok.pos_ not in {"ADJ", "PROPN", "NOUN"}:
        return None, tok.idx
    if tok.i > 0 and not tokens[tok.i - 1].is_punct:
        two = gazetteer.demonym_country(f"{tokens[tok.i - 1].text} {tok.text}")
        if two:
            return two, tokens[tok.i - 1].idx
    return gazetteer.demonym_country(tok.text), tok.idx


def group_mentions(tokens: list[Token], collector: Collector) -> None:
    """'an Afghan delegation', 'Pakistani troops': a demonym before a group noun is that
    country's actor of the noun's sector; before a state noun ("Afghan soil", "the Afghan
    side") it is the state itself."""
    for tok in tokens:
        hit, start = demonym_ending_at(tok, tokens)
        if not hit:
            continue
        shared = next((c for c in tok.children if c.dep_ == "conj" and c.i > tok.i and noun_sector(c)), None)
        if shared is not None and tok.tag_ not in {"NNS", "NNPS"} and tok.dep_ not in {"amod", "compound"}:
            sector = noun_sector(shared)  # "Sierra Leonean and Liberian refugees": Sierra Leonean refugees
            if collector.free(start, tok.idx + len(tok.text)):
                key = f"group:{hit[1]}:{sector}"
                draft = collector.drafts.get(key) or Draft(key, f"{collector.body[start:tok.idx + len(tok.text)]} {shared.text}",
                                                           "group", hit[1], sector)
                collector.add(draft, start, tok.idx + len(tok.text))
            continue
        if tok.tag_ in {"NNS", "NNPS"} and tok.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "conj"}:
            if collector.free(start, tok.idx + len(tok.text)):  # "Thousands of Nigerians": its people
                key = f"group:{hit[1]}:CVL"
                name = collector.body[start:tok.idx + len(tok.text)]
                draft = collector.drafts.get(key) or Draft(key, name, "group", hit[1], "CVL")
                collector.add(draft, start, tok.idx + len(tok.text))
            continue
        first = tok
        while first.dep_ == "conj" and first.head.i < first.i:  # "Hungarian and Romanian officials"
            first = first.head
        head = first.head if first.dep_ in {"amod", "compound", "nmod"} else None
        if head is None or head.i <= tok.i or head.i - tok.i > 5:
            continue
        sector = sector_for_term(head.lemma_.lower()) or sector_for_term(head.lower_)
        if head.lower_ in STATE_NOUNS:
            sector = "GOV"
        elif not sector and head.tag_ in {"NNS", "NNPS"}:
            sector = "CVL"  # "Iraqi Kurds", "Palestinian youths": people of that country
        if first is not tok:  # a conjoined demonym names its own country's group
            if sector and collector.free(start, tok.idx + len(tok.text)):
                key = f"group:{hit[1]}:{sector}"
                draft = collector.drafts.get(key) or Draft(key, f"{tok.text} {head.text}", "state" if sector == "GOV" else "group", hit[1], sector)
                collector.add(draft, start, tok.idx + len(tok.text))
            continue
        if not sector or not collector.free(start, head.idx + len(head.text)):
            continue
        iso3 = hit[1]
        paired = any(c.dep_ == "conj" and gazetteer.demonym_country(c.text) for c in tok.children)
        demonym = collector.body[start:tok.idx + len(tok.text)]
        name = f"{demonym} {head.text}" if paired else collector.body[start: head.idx + len(head.text)]
        key = f"group:{iso3}:{sector}"
        existing = collector.drafts.get(key)
        draft = existing or Draft(key, name, "state" if sector == "GOV" else "group", iso3, sector)
        end = tok.idx + len(tok.text) if paired else head.idx + len(head.text)  # "Hungarian and Romanian officials"
        collector.add(draft, start, end)
        for other in head.conjuncts:  # "Israeli helicopters and tanks": the tanks are Israeli too
            other_sector = sector_for_term(other.lemma_.lower()) or sector_for_term(other.lower_)
            if other.i > head.i and other_sector and not any(c.dep_ in {"amod", "compound"} for c in other.children) \
                    and collector.free(other.idx, other.idx + len(other.text)):
                key = f"group:{iso3}:{other_sector}"
                draft = collector.drafts.get(key) or Draft(key, f"{demonym} {other.text}", "group", iso3, other_sector)
                collector.add(draft, other.idx, other.idx + len(other.text))


def affiliations(sdoc: Doc, collector: Collector) -> None:
    """A person with no country takes that of the organisation their appositive places them
    at ("Christopher Landberg, acting coordinator ... at the State Department")."""
    orgs = sorted((m.start, d) for d in collector.drafts.values() if d.kind in {"organisation", "state"}
                  and d.country for m in d.mentions)
    for person in collector.drafts.values():
        if person.kind != "person" or person.country or not person.role:
            continue
        first = min(person.mentions, key=lambda m: m.start)
        span = sdoc.char_span(first.start, first.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in sdoc[span.end:span.sent.end]:
            if tok.tag_ in {"VBD", "VBZ", "VBP", "MD"}:
                break
            if tok.lower_ == "at":
                window_end = sdoc[min(tok.i + 6, len(sdoc) - 1)].idx
                near = [d for start, d in orgs if tok.idx < start <= window_end]
                if near:
                    person.country = near[0].country
                    break


@cache
def ethnic_terms() -> dict[str, str | None]:
    """Ethnic and national groups without a state of their own (data/ethnic_groups.tsv: every
    noun and adjective form with the country the group is coded to when nothing says where
    it lives; empty for groups of several states, such as the Kurds)."""
    return {row["term"]: row["country"] or None for row in load_tsv("ethnic_groups.tsv")}


def word_country(tok: Token, tokens: list[Token], min_population: int) -> str | None:
    """ISO3 of a demonym ("Turkish", "Sierra Leonean") or a country's name ("Bosnia") ending at `tok`."""
    hit = demonym_ending_at(tok, tokens)[0] or gazetteer.demonym_country(tok.text)
    if hit:
        return hit[1]
    if tok.is_title or tok.is_upper:
        for cand in gazetteer.candidates(tok.text, min_population)[:1]:
            if cand.level == "country":
                return gazetteer.iso2_to_iso3(cand.iso2)
    return None


def noun_modifiers(head: Token, tokens: list[Token]) -> list[Token]:
    """The adjectives and nouns right before a noun inside its phrase ("Turkish Kurd" of
    "Turkish Kurd refugees", "ethnic" of "ethnic Albanians"), left to right."""
    words: list[Token] = []
    i = head.i - 1
    while i >= 0 and tokens[i].pos_ in {"ADJ", "PROPN", "NOUN"} and head.left_edge.i <= i:
        words.insert(0, tokens[i])
        i -= 1
    return words


def place_countries_at(places: list[Place], collector: Collector) -> dict[int, str | None]:
    """Start offset -> country of the toponyms and state names of the document."""
    countries_at = {p.start: gazetteer.iso2_to_iso3(p.country) for p in places
                    if p.kind == "toponym" and p.level != "continent"}
    countries_at.update({m.start: d.country for d in collector.drafts.values() if d.kind == "state"
                         for m in d.mentions})
    return countries_at


WHERE_PREPS = LOCATIVE_PREPS - {"from", "to", "into", "toward", "towards"}  # where a clause happens, not whence or whither


def clause_place_country(tok: Token, countries_at: dict[int, str | None]) -> str | None:
    """The country of a place the clause of `tok` happens in ("ethnic Albanians demonstrated
    in Serbia", "killed three ethnic Albanians in southeastern Serbia"). A relative or
    participle clause happens where the noun it describes does: "the bombing of a market in
    Baghdad that killed 30 people" places the people in Iraq."""
    verb = tok.head
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    for holder in (verb, *(c for c in verb.children if c.dep_ in {"dobj", "pobj", "nsubj"})):
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in WHERE_PREPS:
                for t in prep.subtree:
                    if countries_at.get(t.idx):
                        return countries_at[t.idx]
    if verb.dep_ in {"relcl", "acl"} and verb.head.i != verb.i:
        return described_noun_place_country(verb.head, verb, countries_at)
    return None


def described_noun_place_country(noun: Token, clause: Token, countries_at: dict[int, str | None]) -> str | None:
    """The country of a place in a locative phrase of `noun`'s own phrase, outside the
    `clause` that describes it ("the bombing of a market in Baghdad", "an attack near Kabul")."""
    inside_clause = {t.i for t in clause.subtree}
    for t in noun.subtree:
        if t.i in inside_clause or not countries_at.get(t.idx):
            continue
        step = t
        while step.i != noun.i:                       # a locative preposition between noun and place
            if step.dep_ == "prep" and step.lower_ in WHERE_PREPS:
                return countries_at[t.idx]
            step = step.head
    return None


def ethnic_groups(tokens: list[Token], ents: tuple[SpacySpan, ...], places: list[Place], collector: Collector,
                  min_population: int) -> None:
    """Ethnic and national groups ("Kurds", "Turkish Kurd refugees", "Karen guerrillas",
    "Bosnian Serbs", "ethnic Albanians in south Serbia", "the Albanians of southern Serbia"):
    CAMEO codes them by where they live. Their country is, in order: a place in their phrase
    (in/of ...; "of" only for a bare demonym), a country word before them that is not the
    group's own ("Turkish", "Bosnian"), for an "ethnic" group the place its clause happens
    in or else the first other country the report names, else the group's home country (data/ethnic_groups.tsv; the demonym's for "ethnic X")
    unless the report names only one other country, else none."""
    terms = ethnic_terms()
    in_names = {t.i for ent in ents if ent.label_ == "ORG" or ent.label_ == "PERSON" and (
                (ent[-1].text not in terms and not gazetteer.demonym_country(ent[-1].text))
                or lone_name(ent)) for t in ent}  # "Karen Hughes", "Karen said", "Karen National Union"
    countries_at = place_countries_at(places, collector)
    for head in tokens:
        if head.pos_ not in {"NOUN", "PROPN"} or head.i in in_names or \
                (head.dep_ in {"compound", "amod"} and head.head.i > head.i and head.head.pos_ in {"NOUN", "PROPN"}):
            continue
        words = [w for w in noun_modifiers(head, tokens) if w.i not in in_names]
        marked = [w for w in words if w.lower_ == "ethnic"]
        group_words = ethnic_words(words, head, marked, terms, tokens)
        demonym_head = not group_words and head.tag_ in {"NNS", "NNPS"} and gazetteer.demonym_country(head.text)
        if not group_words and not demonym_head:
            continue
        own = [w for w in words if w not in group_words and w not in marked and word_country(w, tokens, min_population)]
        if demonym_head and own:
            group_words = [head]  # "Bosnian Serbs", "Iraqi Kurds"
        elif demonym_head:
            country = None if marked else phrase_place_country(head, countries_at, preps={"of"})
            if country and country != demonym_head[1]:
                add_group(collector, words, head, country, "CVL")  # "the Albanians of southern Serbia"
            continue
        country = (phrase_place_country(head, countries_at)
                   or (word_country(own[0], tokens, min_population) if own else None)
                   or (clause_place_country(head, countries_at) or minority_country(group_words[0], countries_at)
                       if marked else None)
                   or home_in_report(home_of(group_words[0], terms), sentence_countries(head, countries_at)))
        sector = "CVL" if head in group_words else noun_sector(head)
        if sector is None:  # "Karen guerrilla stronghold": the group is the "Karen guerrilla"
            inner = next((w for w in reversed(words) if w.i > group_words[-1].i and noun_sector(w)), None)
            if inner is None:
                continue
            words, head, sector = [w for w in words if w.i < inner.i], inner, noun_sector(inner)
        add_group(collector, words, head, country, sector)


def lone_name(ent: SpacySpan) -> bool:
    """A one-word singular name with no group noun after it ("Karen said", not "Karen guerrillas")."""
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return len(ent) == 1 and ent[0].tag_ == "NNP" and (after is None or after.pos_ not in {"NOUN", "PROPN"})


PEOPLE_NOUNS = {"leader", "people", "villager", "family", "community", "minority", "population", "resident",
                "inhabitant", "group", "man", "woman", "youth", "child"}


def noun_sector(noun: Token) -> str | None:
    """The sector of a group noun ("guerrillas" REB, "refugees" REF); CVL for nouns of people
    with no sector of their own ("leaders", "villagers"); None for other nouns."""
    sector = sector_for_term(noun.lemma_.lower()) or sector_for_term(noun.lower_) or sector_for_term(noun.lower_ + "s")
    return sector or ("CVL" if noun.lemma_.lower() in PEOPLE_NOUNS else None)


def ethnic_words(words: list[Token], head: Token, marked: list[Token], terms: dict[str, str | None],
                 tokens: list[Token]) -> list[Token]:
    """The words of a noun phrase naming an ethnic group: terms of ethnic_groups.tsv and a
    demonym right after "ethnic" ("ethnic Albanian guerrillas")."""
    found = [w for w in (*words, head) if w.text in terms]
    if marked:
        after = tokens[marked[-1].i + 1]
        if after not in found and gazetteer.demonym_country(after.text):
            found.append(after)
    return found


def minority_country(demonym: Token, countries_at: dict[int, str | None]) -> str | None:
    """An "ethnic X" minority lives outside X's country: the first other country the report
    names ("ethnic Albanians ... villages near Macedonia's border")."""
    sent = demonym.sent
    own = home_of(demonym, ethnic_terms())
    return next((c for at, c in sorted(countries_at.items()) if c and c != own
                 and sent.start_char <= at < sent.end_char), None)


def sentence_countries(tok: Token, countries_at: dict[int, str | None]) -> set[str]:
    sent = tok.sent
    return {c for at, c in countries_at.items() if c and sent.start_char <= at < sent.end_char}


def home_in_report(home: str | None, named: set[str]) -> str | None:
    """A group's home country, unless its sentence names only one other country: then the
    group lives there ("Shona rebels attacked a convoy in Mozambique")."""
    if home and home not in named and len(named) == 1:
        return next(iter(named))
    return home


def home_of(word: Token, terms: dict[str, str | None]) -> str | None:
    """The country an ethnic term or demonym is coded to with nothing else to go on."""
    if word.text in terms:
        return terms[word.text]
    hit = gazetteer.demonym_country(word.text)
    return hit[1] if hit else None


def add_group(collector: Collector, words: list[Token], head: Token, country: str | None, sector: str) -> None:
    start = next((w.idx for w in words if w.lower_ not in {"the", "a", "an"}), head.idx)
    end = head.idx + len(head.text)
    if not collector.free(start, end):
        return
    name = collector.body[start:end]
    key = f"ethnic:{country}:{sector}:{head.lemma_.lower()}"
    draft = collector.drafts.get(key) or Draft(key, name, "group", country, sector)
    collector.add(draft, start, end)


LED_WORDS = {"led"}


def led_groups(tokens: list[Token], collector: Collector, min_population: int) -> None:
    """'Vietnamese-led forces', 'Ethiopian-led troops': the leading country's group of the noun's
    sector (a noun the sector terms know; a leader named by a demonym or country word)."""
    for tok in tokens[2:]:
        if tok.lower_ not in LED_WORDS or tokens[tok.i - 1].text != "-":
            continue
        country_tok = tokens[tok.i - 2]
        country = word_country(country_tok, tokens, min_population)
        noun = next((t for t in tokens[tok.i + 1: tok.i + 4] if t.pos_ in {"NOUN", "PROPN"}), None)
        sector = (sector_for_term(noun.lemma_.lower()) or sector_for_term(noun.lower_)) if noun is not None else None
        if not country or not sector:
            continue
        start = demonym_ending_at(country_tok, tokens)[1]
        end = noun.idx + len(noun.text)
        if collector.free(start, end):
            key = f"group:{country}:{sector}"
            draft = collector.drafts.get(key) or Draft(key, collector.body[start:end], "group", country, sector)
            collector.add(draft, start, end)


PLACE_OF_GROUP_PREPS = {"in", "of", "from", "at", "inside", "throughout"}


def located_groups(sdoc: Doc, places: list[Place], collector: Collector, min_population: int) -> None:
    """A group or organisation with no country takes that of a place in its own noun phrase
    ("rebels in Darfur", "opposition groups in Zimbabwe", "Darfur rebels"): CAMEO codes
    actors by where they are when nothing else says whose they are. An unnamed group
    ("Prisoners rioted at a jail in Dili", "people blocked streets in Hong Kong") also takes
    the place its clause happens in; an unknown organisation, a city or country its name
    begins with ("Baghdad University Medical School")."""
    countries_at = place_countries_at(places, collector)
    for draft in collector.drafts.values():
        if draft.country or draft.kind not in {"group", "organisation"}:
            continue
        for m in draft.mentions:
            span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            iso3 = phrase_place_country(span.root, countries_at)
            if not iso3 and draft.key.startswith("unnamed:"):
                iso3 = clause_place_country(span.root, countries_at)
            if not iso3 and draft.kind == "organisation" and not draft.known:
                iso3 = name_place_country(span, min_population)
            if iso3:
                draft.country = iso3
                break


BIG_CITY = 500_000  # cities whose name before an organisation's says where it is


def name_place_country(span: SpacySpan, min_population: int) -> str | None:
    """The country of a country or big city whose name begins an organisation's name
    ("Baghdad University Medical School"); the name must be the place's own, not a near one."""
    first = span[0] if span[0].lower_ != "the" or len(span) == 1 else span[1]
    if not first.is_title:
        return None
    for cand in gazetteer.candidates(first.text, min_population)[:1]:
        big = cand.level == "country" or (cand.level == "city" and (cand.population or 0) >= BIG_CITY)
        if big and cand.name == first.text:
            return gazetteer.iso2_to_iso3(cand.iso2)
    return None


def phrase_place_country(tok: Token, countries_at: dict[int, str | None],
                         preps: set[str] | None = None) -> str | None:
    """The country of a place modifying a noun phrase or in its "in/of/from ..." phrase
    (`preps`: the prepositions accepted; modifiers only count when all of these are)."""
    preps = PLACE_OF_GROUP_PREPS if preps is None else preps
    head = tok
    while head.dep_ == "compound" and head.head.i > head.i:  # "Opposition" of "Opposition groups"
        head = head.head
    words = [c for c in head.children if c.dep_ in {"compound", "amod", "nmod"} and c.i < head.i] \
        if preps == PLACE_OF_GROUP_PREPS else []
    words += [g for c in head.children if c.dep_ == "prep" and c.lower_ in preps
              for g in c.children if g.dep_ == "pobj"]
    for word in words:
        for t in word.subtree:
            if countries_at.get(t.idx):
                return countries_at[t.idx]
    return None


def countryless_actors(collector: Collector, places: list[Place], dateline_country: str | None,
                       opposed: set[int]) -> None:
    """Actors still without a country (unnamed groups, unknown people and organisations,
    generic dictionary names like "the opposition") take the report's country when it has one
    beyond doubt: the only country it names ("Egyptian police dispersed demonstrators"), or
    for groups and organisations its dateline's. Transnational groups of the dictionary stay
    stateless. For a person, a country named only as what someone acts against ("X called
    for sanctions against Nigeria"; `opposed`: the offsets of those words) does not count."""
    only = only_country(collector, places, set())
    only_for_people = only_country(collector, places, opposed)
    for draft in collector.drafts.values():
        transnational = draft.known and draft.kind == "group"  # al-Qaeda, IS: the dictionary leaves them stateless
        if draft.country or transnational or draft.key.startswith("ethnic:") or \
                draft.kind not in {"group", "organisation", "person"}:  # Kurds: left stateless on purpose
            continue
        draft.country = only_for_people if draft.kind == "person" else only or dateline_country  # a visitor may be foreign


def only_country(collector: Collector, places: list[Place], skipped: set[int]) -> str | None:
    """The only country the report names outside the `skipped` offsets, if one."""
    named = {d.country for d in collector.drafts.values() if d.country and gazetteer.iso3_to_iso2(d.country)
             and any(m.start not in skipped for m in d.mentions)}
    named |= {gazetteer.iso2_to_iso3(p.country) for p in places
              if p.country and p.level != "continent" and p.start not in skipped}
    named.discard(None)
    return next(iter(named)) if len(named) == 1 else None


def opposed_offsets(tokens: list[Token]) -> set[int]:
    """Start offsets of the words of phrases after "against" ("sanctions against Nigeria")."""
    return {t.idx for prep in tokens if prep.lower_ == "against"
            for obj in prep.children if obj.dep_ == "pobj" for t in obj.subtree}


def merge_states(collector: Collector) -> None:
    """A country's government mentioned through a demonym joins the state actor itself."""
    states = {d.country: d for d in collector.drafts.values() if d.kind == "state" and d.known}
    for key, draft in list(collector.drafts.items()):
        if key.startswith("group:") and draft.sector == "GOV" and draft.country in states:
            states[draft.country].mentions.extend(draft.mentions)
            del collector.drafts[key]


def outlet_name(outlet: str | None) -> str:
    """The issuing body an outlet string names, without its notes: "U.S. Department of State
    (press statement, via ...)" -> "U.S. Department of State"."""
    return re.split(r"\s*[(,;|]", outlet or "", maxsplit=1)[0].strip()


def outlet_actor(outlet: str | None, dictionary: ActorDictionary, when: date | None) -> Actor | None:
    """The issuing body the outlet names, read through the actor dictionary ("U.S. Department of
    State" -> the State Department, USA), as an actor with no mentions: coreference gives it a
    statement's first person (`coref.statement_first_person`)."""
    name = outlet_name(outlet)
    found = dictionary.lookup(name, when, fuzzy=False) if name else None
    if found is None:
        return None
    d = entry_draft(found, None)
    return Actor("", d.name, d.kind, d.country, d.sector, d.role, d.wikidata, d.known)


def place_countries(places: list[Place], collector: Collector) -> None:
    """Countries with no state actor that the document names through a place of theirs or
    its demonym ("a Senegalese peace plan")."""
    states = {d.country for d in collector.drafts.values() if d.kind == "state"}
    for p in places:
        named = p.kind in {"toponym", "demonym"} and p.level != "continent"
        iso3 = gazetteer.iso2_to_iso3(p.country) if named else None
        if not iso3 or iso3 in states or not collector.free(p.start, p.end):
            continue
        key = f"place:{iso3}"
        draft = collector.drafts.get(key) or Draft(key, gazetteer.country_by_iso2(p.country).name, "place", iso3, "GOV")
        draft.mentions.append(Span(collector.body[p.start:p.end], p.start, p.end))
        collector.drafts[key] = draft


def run(doc: Document, settings: Settings) -> list[Actor]:
    dictionary = default_dictionary(tuple(settings.actor_files), settings.actor_fuzzy_threshold)
    when = doc.meta.published
    home = context_country(doc, settings)
    collector = Collector(doc.body or "")
    sdoc: Doc = doc.spacy_doc
    tokens = list(sdoc)
    toponyms = Intervals((p.start, p.end) for p in doc.places or [] if p.kind == "toponym")
    ents = sdoc.ents
    surname_governments(tokens, dictionary, collector, when, home, toponyms)
    find_dictionary_names(tokens, ents, dictionary, collector, when, home, settings.gazetteer_min_population)
    titled_surnames(tokens, ents, dictionary, collector, when, home)
    ethnic_groups(tokens, ents, doc.places or [], collector, settings.gazetteer_min_population)
    led_groups(tokens, collector, settings.gazetteer_min_population)
    for ent in ents:
        if ent.label_ in {"PERSON", "ORG"}:
            add_entity(ent, dictionary, collector, when, home, toponyms)
    honorific_mentions(tokens, collector)
    role_noun_mentions(tokens, collector)
    group_mentions(tokens, collector)
    unnamed_groups(tokens, collector)
    affiliations(sdoc, collector)
    located_groups(sdoc, doc.places or [], collector, settings.gazetteer_min_population)
    countryless_actors(collector, doc.places or [], home if doc.meta.dateline else None, opposed_offsets(tokens))
    merge_states(collector)
    quoted = [(seg.outer_start, seg.outer_end) for q in quotations(collector.body) for seg in q.segments]
    place_countries(doc.places or [], collector)
    drafts = sorted(collector.drafts.values(), key=lambda d: min(m.start for m in d.mentions))
    actors = []
    for n, d in enumerate(drafts, start=1):
        mentions = sorted(d.mentions, key=lambda m: m.start)
        actors.append(Actor(f"a{n}", d.name, d.kind, d.country, d.sector, d.role, d.wikidata, d.known, mentions))
    return coref.resolve(actors, sdoc, collector.body, home, doc.meta.outlet, quoted, speech_verbs(),
                         outlet_actor(doc.meta.outlet, dictionary, when))


STAGE = Stage("actors", needs=("body", "spacy_doc", "places"), adds="actors", item_type=Actor, run=run)
