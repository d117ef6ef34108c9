"""The places stage: toponyms and demonyms in the body, resolved to GeoNames records.

Mentions come from, in this order (each fills only text the earlier ones left uncovered):

1. spaCy GPE/LOC/FAC entities, cleaned (a leading "the", a possessive "'s", a trailing
   generic word such as "province" or a leading one such as "County" in "County Offaly" are
   cut off; the generic word becomes a level cue); LOC and FAC entities match own names
   only, not GeoNames' alternate spellings (the "White House" is not Casablanca's "Dar el
   Beida"); an entity that is no place in full but holds commas ("Thruxton, Hampshire") is
   read part by part; macro-regions, seas and oceans ("North Africa", "the Atlantic", the
   EU) are places of level "region" at the point `data/places_macroregions.tsv` gives them,
   vague ones ("the West", "the Gulf") none;
2. demonyms ("Afghan", "Pakistanis", "South Korean") anywhere, also inside NORP and ORG
   entities, and abbreviated country names used as modifiers ("U.S. officials"): these
   become places of kind "demonym" carrying the country's record; demonyms of first-order
   divisions ("Texans", "Welsh": `data/places_division_demonyms.tsv`) the division's, and
   continent adjectives ("European", "African", also inside names: "European Commission")
   the continent's, unless a country's demonym follows ("African American": a people) or
   they open a macro-region's name ("European Union");
3. runs of capitalised words spaCy did not tag that are, in full, the own name of a country,
   a first-level division, a capital or a city of at least 100,000 people; a run that opens
   a sentence counts only for a country or a capital (so "Price", "Reading" or "Mayor" in
   running text are not places); a dateline's town in capitals before a comma and its state
   or country ("MARYVILLE, Tenn.") counts at any size. The same test applies to an ORG or PERSON entity that
   follows a locative preposition ("in Hyderabad"), which the small model often mislabels;
   an ORG or PERSON entity that is in full a country, a first-order division or a county
   is a place anywhere ("Texas", "Laurel County", "Tamil Nadu"), unless it is a word of a
   longer PERSON entity of the document; an ORG or PERSON entity that is in full a town's
   own name ("Sligo", "Lanexa") is a place when that town lies within 100 km of a town the
   document names without doubt, or in a first-order division such a place lies in (origin
   "nearby"; not after a personal title such as "Mr."); a dateline in capitals is read
   whatever spaCy labelled it, and before a news agency ("WASHINGTON (AP)") at any sentence
   start; a saint's name with a possessive ("St. Mary's", "St. Patrick's Day") names a
   church, school or feast, not a place, unless a place's own name holds the possessive
   ("St. John's");
4. places inside organisation names: the leading words ("Georgia Department of
   Transportation", "Paris Police Department") or the phrase after "of" ("University of
   Kentucky") when they are a country, a division, a named county or a city of 20,000;
   else inner or last words that are a country or a first-order division ("Air Zimbabwe");
   the same leading words of a GPE entity that is no place in full ("Kenton County
   Commissioners"), and of a run of capitalised words spaCy left untagged, there countries
   and divisions only ("Western Pennsylvania Kennel Association");
5. one sense per discourse: a name the document uses elsewhere as a toponym is that place
   wherever it recurs, whatever spaCy labelled it ("Gainesville" as PERSON), unless it is a
   word of a person's longer name, also inside an organisation's or event's name (kind
   "in-name", whatever the town's size: "the Tullamore Heritage Society"); a dateline in capitals before a dash ("ROSWELL -") is a
   town of any size; an untagged proper name right after a locative preposition ("in
   Lombard") is a town of the gazetteer when it resolves well enough.

A part word before a name ("North Texas", "Metro Vancouver"; `data/places_part_words.tsv`)
is left out of the mention when the name is a major place: the point is the place's.

Each mention is resolved in passes (see `newsledger.gazetteer.rank`): first without
context, to find the mentions whose best candidate wins clearly; then with the context
those mentions and the dateline give (same country, same US state), the feature class
(country > capital > division > city), nearness to the cities resolved without doubt,
population, the coherence of the document's other names (the divisions they may lie in)
and their neighbourhood (a town or county reading within 50 km of another name's reading:
a town and its county); then once more with every toponym that round resolved as context. Every occurrence is its own `Place`, with offsets into the body, its
hierarchy (country ISO2 and ISO3, admin1 and admin2 names and ISO 3166-2 codes where known)
and the precision of its point (city, admin2, admin1, country, region): see
`gazetteer.hierarchy`.

Metonymy: a toponym that is the subject of an agent's verb ("Washington said", "Pakistan
rejected the claim") stands for a government or people. It is still resolved (its country
is useful to the actors stage) but its kind is "metonym", not "toponym", so it is never an
event's location; "in Washington" stays a toponym.

`mention_at` + `resolve_all` resolve spans known to be places (gold toponyms, annotations)
without spaCy; `benchmarks/geoparsing.py` uses them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import gazetteer
from ..errors import NewsledgerError
from ..gazetteer import Candidate, Context, Match
from ..model import Document, Place
from ..resources import load_tsv
from . import Stage

TOPONYM_LABELS = ("GPE", "LOC", "FAC")
# The lowest score (see gazetteer.score) a mention's best candidate needs, by where it came from.
MIN_SCORE = {"GPE": 4.2, "LOC": 4.5, "FAC": 4.5, "scan": 5.0, "embedded": 4.2, "locative": 4.2, "nearby": 4.2,
             "dateline": 0.0}
# A first pass winner this far ahead of the runner-up is resolved without doubt.
CLEAR_MARGIN = 2.0
SCAN_MIN_POPULATION = 100_000
# A name known only as an alternate spelling must be a city of a million people, or of
# 100,000 in a country the document is about.
ALTERNATE_MIN_POPULATION = 1_000_000
ALTERNATE_IN_CONTEXT_MIN_POPULATION = 100_000
MAX_DEMONYM_TOKENS = 3
# Words naming the kind of place a name is ("Nangarhar province", "the city of Quetta").
GENERIC_WORDS = {
    "province": "province", "provinces": "province", "state": "province", "region": "province",
    "governorate": "province", "prefecture": "province", "oblast": "province",
    "district": "district", "districts": "district", "county": "district", "agency": "district",
    "city": "city", "town": "city", "village": "city", "capital": "city",
}
# Before a demonym these make a larger region, not the country ("Latin American").
REGION_PREFIXES = {
    "latin", "south", "north", "central", "meso", "native", "pan", "anglo", "afro", "indo",
    "euro", "middle", "east", "west", "southeast", "northeast", "southwest", "northwest",
}
# An ORG or PERSON entity after one of these may be a mislabelled place ("in Hyderabad").
LOCATIVE_PREPOSITIONS = {"in", "at", "near", "from", "to", "into", "outside", "across", "around",
                         "throughout", "toward", "towards", "via"}
MISLABEL_CHECKED = ("ORG", "PERSON", "NORP")
# Entities that may be a recurring toponym mislabelled (see `_repeated_name`).
REPEAT_CHECKED = ("ORG", "PERSON", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LOC", "GPE")
# Places inside organisation names: at most this many words, a city of this many people.
MAX_EMBEDDED_TOKENS, EMBEDDED_MIN_POPULATION = 3, 20_000
# Named things besides toponyms whose leading words (or the words after their "of") may name
# where they are: organisations, events ("Walker County Fair").
EMBEDDING_LABELS = ("ORG", "EVENT")
# ... or after "of" ("a crowded part of Peshawar"): still only when it is, in full, a well-known place
MISLABEL_PREPOSITIONS = LOCATIVE_PREPOSITIONS | {"of"}
POSSESSIVES = ("'s", "’s", "'", "’")
# Lower-case words inside a country's or a division's own name ("Democratic Republic of the
# Congo", "Bosnia and Herzegovina", "Democratic People's Republic of Korea").
NAME_CONNECTORS = {"of", "the", "and"}
MODIFIER_DEPS = ("compound", "amod", "nmod")
# Titles before a person's name: the name after one is a person's, not a town's ("Mr. Harris").
PERSONAL_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "gen", "sgt", "lt", "col", "capt",
                   "coach", "officer", "judge", "rev", "father", "sister", "brother", "president", "mayor"}
# A place that is the subject of one of these verbs stands for its government or people
# ("Washington said", "Pakistan rejected"): a metonym, an actor rather than a location.
AGENT_VERBS = frozenset({
    "say", "announce", "warn", "accuse", "urge", "reject", "deny", "condemn", "demand",
    "threaten", "insist", "claim", "respond", "agree", "refuse", "vow", "pledge", "want",
    "seek", "decide", "impose", "expel", "recognize", "recognise", "support", "oppose",
    "ask", "tell", "sign", "negotiate", "welcome", "criticize", "criticise", "blame",
    "declare", "state", "confirm", "argue", "believe", "hope", "promise", "propose",
    "protest", "summon", "sanction", "veto", "vote", "approve", "retaliate", "allege",
    "acknowledge", "admit", "dismiss", "request", "offer", "praise", "thank", "appeal",
})


@dataclass
class _Mention:
    """A stretch of the body that names a place, and what it may refer to."""
    start: int
    end: int
    matches: list[Match]
    origin: str               # GPE, LOC, FAC, scan, demonym or given
    kind: str = "toponym"     # toponym, demonym, metonym or in-name
    cue: str | None = None


def is_agent(tokens: list[Any]) -> bool:
    """Whether a place name acts as the subject of an agent's verb ("Washington said",
    "Moscow and Kyiv rejected ...", "Beijing has warned"): then it names a government or a
    people, not a location ("in Washington" stays a place)."""
    if not tokens:
        return False
    root = tokens[0].doc[tokens[0].i: tokens[-1].i + 1].root
    while root.dep_ == "conj" and root.head.i < root.i:
        root = root.head
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in AGENT_VERBS


# ---------------------------------------------------------------------------------------
# Finding mentions

def _trim(tokens: list[Any]) -> list[Any]:
    """Tokens of a span without a leading article, trailing possessive or punctuation."""
    while tokens and (tokens[0].lower_ == "the" or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].text in POSSESSIVES or tokens[-1].is_punct):
        tokens = tokens[:-1]
    return tokens


def _text_of(text: str, tokens: list[Any]) -> str:
    """The body text a token sequence covers (spaCy's `doc.text` is rebuilt on every call,
    so the body is passed around instead)."""
    return text[tokens[0].idx: tokens[-1].idx + len(tokens[-1].text)]


@cache
def _part_words() -> frozenset[str]:
    """Words that name a part of a place before its name ("North Texas", "Metro Vancouver",
    "Southwestern Ontario"), from `data/places_part_words.tsv`."""
    return frozenset(row["word"] for row in load_tsv("places_part_words.tsv"))


@cache
def _feature_heads() -> frozenset[str]:
    """Words that end the name of a street, a water or land feature or a structure
    ("Avenue", "River", "Park", "Bridge"), from `data/places_feature_heads.tsv`."""
    return frozenset(row["word"] for row in load_tsv("places_feature_heads.tsv"))


def _names_a_feature(tokens: list[Any]) -> bool:
    """Whether the tokens name a street, a river, a park or a bridge ("Cleveland Drive",
    "Kish River", "Zion National Park"): the words before the head word are the feature's
    own name, not a place it lies in."""
    return len(tokens) > 1 and tokens[-1].lower_ in _feature_heads()


def _without_part_word(tokens: list[Any], min_population: int) -> list[Any] | None:
    """The name after the leading part words ("Texas" of "North Texas", "London" of "north
    west London"), or None when the tokens do not open with one followed by a capitalised name, or name a region larger than
    a country ("South Asia", "Northern Europe": no part of Asia's point)."""
    words = 0                        # the leading part words: "North", "north west"
    while words < len(tokens) - 1 and tokens[words].lower_ in _part_words():
        words += 1
    if words and _is_capitalised(tokens[words]):
        rest = " ".join(t.text for t in tokens[words:])
        last_part = tokens[words - 1].text
        if not (gazetteer.is_macroregion(rest) or gazetteer.continent(rest) is not None
                or gazetteer.is_macroregion(last_part + " " + rest)
                or _names_a_division(last_part + " " + tokens[words].text, min_population)):
            return tokens[words:]
    return None


def _names_a_division(name: str, min_population: int) -> bool:
    """Whether a name is by its own name a country or a division ("West Virginia", "South
    Africa", "North Waziristan"): its part word belongs to it."""
    return any(m.primary and m.candidate.level in ("country", "province", "district")
               for m in gazetteer.lookup(name, min_population))


def _lookup_place(name: str, min_population: int) -> list[Match]:
    """The gazetteer's matches for a name. For a macro-region ("Middle East", "Eastern") only
    the continent it may be ("Europe"), never the namesake towns and divisions that would
    otherwise stand in for it; for an abbreviation
    ("E.U.", "UN", "US") only countries and packaged aliases, never the towns whose names
    it spells ("Eu" in France)."""
    if gazetteer.is_macroregion(name):
        found = gazetteer.macroregion(name)
        return [Match(found, True)] if found is not None else []
    state = gazetteer.state_by_abbreviation(name, min_population)
    if state is not None:                          # "N.Y.", "S.C.": a state, not a country code
        return [Match(state, True)]
    matches = gazetteer.lookup(name, min_population)
    if _is_abbreviation(name):
        if gazetteer.is_alias(name):
            return [m for m in matches if m.primary]
        return [m for m in matches if m.candidate.level == "country"]
    return matches


def _cue_around(tokens: list[Any]) -> str | None:
    """The level a generic word right after ("Kunar province") or before ("the province of
    Kunar") a name points to."""
    doc = tokens[0].doc
    after = tokens[-1].i + 1
    if after < len(doc) and doc[after].lower_ in GENERIC_WORDS:
        return GENERIC_WORDS[doc[after].lower_]
    before = tokens[0].i
    if before >= 2 and doc[before - 1].lower_ == "of" and doc[before - 2].lower_ in GENERIC_WORDS:
        return GENERIC_WORDS[doc[before - 2].lower_]
    return None


SAINT_TITLES = {"st.", "st", "saint", "ste.", "ste", "sainte"}


def _names_a_saints_thing(tokens: list[Any], text: str, min_population: int) -> bool:
    """A saint's name with a possessive ("St. Mary's", "St. Patrick's Day", "the St.
    Michael's") names a church, school, hospital or feast, not the places named after
    the saint, unless a place's own name has that possessive ("St. John's", not the
    "St. Michaels" that spelling-blind look-ups also find)."""
    words = [t for t in tokens if t.lower_ != "the"]
    if len(words) < 3 or words[0].lower_ not in SAINT_TITLES:
        return False
    possessive = next((i for i, t in enumerate(words) if i >= 2 and t.text in POSSESSIVES), None)
    return possessive is not None and not _possessive_is_named(words[:possessive + 1], text, min_population)


_POSSESSIVE_IN_NAME = re.compile(r"['’]s\b")


def _possessive_is_named(tokens: list[Any], text: str, min_population: int) -> bool:
    """Whether tokens ending in a possessive are a place's own name with it ("St. John's")."""
    return any(m.primary and _POSSESSIVE_IN_NAME.search(m.candidate.name)
               for m in gazetteer.lookup(_text_of(text, tokens), min_population))


def _entity_mention(ent: Any, text: str, min_population: int) -> _Mention | None:
    """The place an entity names: its cleaned text, else without a trailing generic word,
    else the part before a possessive ("Kabul's airport")."""
    tokens = _trim(list(ent))
    if not tokens or _names_a_saints_thing(list(ent), text, min_population):
        return None
    named = tokens + [ent.doc[tokens[-1].i + 1]] if tokens[-1].i + 1 < ent.end else tokens
    if named[-1].text in POSSESSIVES and _possessive_is_named(named, text, min_population):
        tokens = named                          # "St. John's": the possessive is part of the name
    cue = _cue_around(tokens)
    attempts = [tokens]
    if len(tokens) > 1 and tokens[-1].lower_ in GENERIC_WORDS:
        cue = GENERIC_WORDS[tokens[-1].lower_]
        attempts.append(_trim(tokens[:-1]))
    elif len(tokens) > 1 and tokens[0].lower_ in GENERIC_WORDS and _is_capitalised(tokens[1]):
        cue = GENERIC_WORDS[tokens[0].lower_]           # "County Offaly", as Irish counties are named
        attempts.append(tokens[1:])
    for position, token in enumerate(tokens[1:], start=1):
        if token.text in POSSESSIVES:
            attempts.append(_trim(tokens[:position]))
            break
    part = _without_part_word(attempts[-1], min_population)    # "North Texas": the place is Texas
    if part is not None:
        attempts.append(part)
    for attempt in attempts:
        if not attempt:
            continue
        matches = _lookup_place(_text_of(text, attempt), min_population)
        if ent.label_ != "GPE" or attempt is part:
            matches = [m for m in matches if m.primary]
        if attempt is part and matches and not _is_major(gazetteer.rank(matches)[0][1].candidate):
            continue                           # "West Street" is no part of Street, Somerset
        if matches:
            return _Mention(attempt[0].idx, attempt[-1].idx + len(attempt[-1].text), matches,
                            ent.label_, cue=cue)
    return None


def _is_abbreviation(text: str) -> bool:
    """"US", "U.S.", "UK", "UAE": a short all-capitals country name."""
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper()


def _used_as_modifier(token: Any) -> bool:
    """True when a token modifies a noun to its right ("U.S. officials")."""
    head = token.head
    return token.dep_ in MODIFIER_DEPS and head.i > token.i and head.pos_ in ("NOUN", "PROPN")


def _demonym_of(text: str, min_population: int) -> Candidate | None:
    """The first-order division ("Texan", "Welsh") or else the country ("Afghan") a demonym
    names: the division's is the nearer place ("Welsh" is British too)."""
    division = gazetteer.demonym_division(text, min_population)
    if division is not None:
        return division
    found = gazetteer.demonym_country(text)
    return gazetteer.country_by_iso2(found[0]) if found is not None else None


def _opens_a_macroregion(doc: Any, words: str, after: int) -> bool:
    """Whether words and the token at `after` begin a macro-region's name ("European" of the
    "European Union"): the adjective is part of that name."""
    return after < len(doc) and gazetteer.is_macroregion(f"{words} {doc[after].text}")


def _names_people_of_origin(doc: Any, after: int) -> bool:
    """Whether the token at `after` (past a hyphen) is a country's demonym: a continent's
    adjective before one names a people of that origin ("African American",
    "Asian-Australian"), not the continent."""
    if after < len(doc) and doc[after].text == "-":
        after += 1
    return after < len(doc) and gazetteer.demonym_country(doc[after].text) is not None


def _demonym_at(doc: Any, text: str, i: int, limit: int, min_population: int) -> tuple[int, Candidate] | None:
    """The longest demonym starting at token i and ending before token `limit`:
    (number of tokens, the country, division or continent it names: "European" of the
    "European Commission"), or None."""
    if not doc[i].text[:1].isupper():
        return None
    if i > 0 and doc[i - 1].lower_.rstrip("-") in REGION_PREFIXES and doc[i - 1].text[:1].isupper():
        return None
    if i > 1 and doc[i - 1].text == "-" and doc[i - 2].lower_ in REGION_PREFIXES:
        return None
    for size in range(min(MAX_DEMONYM_TOKENS, limit - i), 0, -1):
        last = doc[i + size - 1]
        words = text[doc[i].idx: last.idx + len(last.text)]
        found = _demonym_of(words, min_population)
        if found is None:
            found = gazetteer.continent_of_adjective(words)     # "European" of "European Commission"
            if found is not None and (_names_people_of_origin(doc, i + size)
                                      or _opens_a_macroregion(doc, words, i + size)):
                found = None                                      # "African American", "European Union"
        if found is not None:
            return size, found
    return None


def _demonym_mention(doc: Any, i: int, size: int, place: Candidate) -> _Mention:
    last = doc[i + size - 1]
    return _Mention(doc[i].idx, last.idx + len(last.text), [Match(place, True)], "demonym",
                    kind="demonym")


def _country_modifier(token: Any, min_population: int) -> _Mention | None:
    """An abbreviated country name used as an adjective ("U.S. troops") as a demonym."""
    if not (_is_abbreviation(token.text) and _used_as_modifier(token)):
        return None
    countries = [m for m in gazetteer.lookup(token.text, min_population) if m.candidate.level == "country"]
    if not countries:
        return None
    return _Mention(token.idx, token.idx + len(token.text), countries[:1], "demonym", kind="demonym")


def _is_capitalised(token: Any) -> bool:
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)


def _connects_inside(tokens: list[Any], i: int) -> bool:
    """Whether token i is a connector or a possessive inside a name, not at its ends ("of"
    in "Republic of Korea", "'s" in "People's")."""
    return 0 < i < len(tokens) - 1 and (tokens[i].lower_ in NAME_CONNECTORS or tokens[i].text in POSSESSIVES)


def _scan_run(tokens: list[Any], text: str, min_population: int) -> _Mention | None:
    """A run of capitalised tokens spaCy did not tag, if it is in full a well-known place."""
    if not all(t.pos_ == "PROPN" or t.is_upper or _connects_inside(tokens, i) for i, t in enumerate(tokens)):
        return None
    if any(unicodedata.category(ch) == "Sc" for t in tokens for ch in t.text):
        return None                                    # "US$", "HK$": a currency, not a place
    matches = [m for m in _lookup_place(_text_of(text, tokens), min_population) if m.primary]
    if not matches:
        return None
    best = matches[0].candidate
    if not _is_major(best):
        return None
    if tokens[0].is_sent_start and not (best.level == "country" or best.feature == "PPLC"):
        return None
    return _Mention(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), matches, "scan",
                    cue=_cue_around(tokens))


def _dateline_run(tokens: list[Any], text: str, min_population: int) -> _Mention | None:
    """A place name in capitals before a comma and a state or country, as datelines are
    written ("COLUMBUS, Ohio --", "MARYVILLE, Tenn."): any town of that name, however small
    (the state or country it is followed by decides among them)."""
    doc = tokens[0].doc
    after = tokens[-1].i + 1
    if not all(t.is_upper and t.is_alpha for t in tokens) or after + 1 >= len(doc):
        return None
    if _opens_dateline(tokens):                      # "ROSWELL -", "TORRINGTON —", "MOUNT GILEAD (AP)"
        matches = [m for m in _lookup_place(_text_of(text, tokens), min_population) if m.primary]
        return _Mention(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), matches, "dateline") if matches else None
    if doc[after].text != ",":
        return None
    region = None
    for size in (2, 1):
        if after + size < len(doc):
            following = doc[after + 1: after + 1 + size]
            found = _lookup_place(following.text, min_population)
            if any(m.primary and m.candidate.level in ("province", "country") for m in found):
                region = found
                break
    if region is None:
        return None
    matches = [m for m in _lookup_place(_text_of(text, tokens), min_population) if m.primary]
    if not matches:
        return None
    return _Mention(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), matches, "scan")


DATELINE_DASHES = {"-", "--", "---", "—", "–"}
NEWS_AGENCIES = {"AP", "UPI", "AFP", "REUTERS", "CP"}


def _opens_dateline(tokens: list[Any]) -> bool:
    """Whether a run of capitals opens the body or a paragraph, or follows a headline on the
    body's first line, and is followed by a dash or "(AP)", as a dateline is written
    ("ROSWELL -", "CORSICANA —"); a heading within a paragraph's text ("UPDATE -", "VIDEO —")
    opens none."""
    doc = tokens[0].doc
    after = tokens[-1].i + 1
    following = doc[after].text
    agency = following == "(" and after + 1 < len(doc) and doc[after + 1].text.upper() in NEWS_AGENCIES
    if agency and tokens[0].is_sent_start:          # "... the Associated Press. WASHINGTON (AP) -"
        return True
    if not (_opens_paragraph(tokens[0]) or _follows_headline(tokens[0])):
        return False
    return following in DATELINE_DASHES or agency


# A headline glued to the body on its first line ("Fire destroys barn. SALEM — ...") is at most this long.
MAX_HEADLINE_CHARS = 200


def _follows_headline(tok: Any) -> bool:
    """Whether a token opens the second sentence of the body's first line, within
    MAX_HEADLINE_CHARS characters: where a dateline stands when the headline was glued
    before the body ("Barn burns. SALEM — Firefighters ...")."""
    if not tok.is_sent_start or tok.idx > MAX_HEADLINE_CHARS:
        return False
    before = tok.doc[: tok.i]
    return (sum(1 for t in before if t.is_sent_start) == 1
            and not any("\n" in t.text_with_ws for t in before))


def _opens_paragraph(tok: Any) -> bool:
    """Whether a token is the first of the text or follows a line break (or only the spaces
    that open the text)."""
    if tok.i == 0:
        return True
    before = tok.doc[tok.i - 1]
    return "\n" in before.text + before.whitespace_ or (before.is_space and before.i == 0)


def _locative_run(tokens: list[Any], text: str, min_population: int) -> _Mention | None:
    """A proper name spaCy left untagged right after a locative preposition, not opening a
    sentence, that is by its own name a town of the gazetteer ("in Lombard", "near
    Chiefland"): any town; its candidates need the lower MIN_SCORE of origin "locative"."""
    first = tokens[0]
    if first.i == 0 or first.is_sent_start or first.doc[first.i - 1].lower_ not in LOCATIVE_PREPOSITIONS:
        return None
    if not all(t.pos_ == "PROPN" for t in tokens):
        return None
    matches = [m for m in _lookup_place(_text_of(text, tokens), min_population) if m.primary]
    if not matches:
        return None
    return _Mention(first.idx, tokens[-1].idx + len(tokens[-1].text), matches, "locative",
                    cue=_cue_around(tokens))


def _mislabelled_place(ent: Any, text: str, min_population: int, person_words: set[str]) -> _Mention | None:
    """A place spaCy labelled as something else ("in Hyderabad" as ORG): an ORG or PERSON
    entity right after a locative preposition that is, in full, a well-known place (the
    rules of `_scan_run`); or an ORG entity anywhere that is, in full, a country, a
    first-order division or a county ("Texas", "Laurel County"; not a city: companies and
    clubs are named after towns, "Toyota", "Chelsea"), or a national capital ("Harare"
    labelled ORG); or a PERSON or NORP entity that is in full a country, a division or a
    capital ("Tamil Nadu", "Tunis"), unless a longer PERSON entity of the document holds it ("Jordan" of "Michael Jordan")."""
    if ent.label_ not in MISLABEL_CHECKED:
        return None
    tokens = _trim(list(ent))
    if not tokens:
        return None
    if ent.start > 0 and ent.doc[ent.start - 1].lower_ in MISLABEL_PREPOSITIONS:
        return _scan_run(tokens, text, min_population)
    if ent.label_ == "ORG" or _text_of(text, tokens) not in person_words:
        return _embedded_run(tokens, text, min_population, min_city_population=None, capitals=True)
    return None


def _nearby_town(ent: Any, text: str, min_population: int, person_words: set[str]) -> _Mention | None:
    """An ORG or PERSON entity that is, in full, the own name of a town or county ("Sligo",
    "Lanexa"), unless it is a word of a longer PERSON entity of the document or follows a
    personal title ("Mr. Harris"): a mention of origin "nearby", reported only when its town
    lies within NEAR_KM of a town the document names without doubt, or in a first-order
    division a place named without doubt lies in (see `_acceptable`): the places of one
    report cluster, and the small model often mislabels the smaller ones."""
    tokens = _trim(list(ent))
    if not tokens or not all(_is_capitalised(t) and t.pos_ == "PROPN" for t in tokens):
        return None
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    name = _text_of(text, tokens)
    if name in person_words or before is not None and before.text.rstrip(".").lower() in PERSONAL_TITLES:
        return None
    matches = [m for m in _lookup_place(name, min_population)
               if m.primary and m.candidate.level in gazetteer.LOCAL_LEVELS]
    if not matches:
        return None
    mention = _Mention(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), matches, "nearby",
                       cue=_cue_around(tokens))
    if is_agent(tokens):
        mention.kind = "metonym"
    return mention


def _embedded_run(tokens: list[Any], text: str, min_population: int,
                  min_city_population: int | None = EMBEDDED_MIN_POPULATION,
                  capitals: bool = False) -> _Mention | None:
    """Capitalised proper-noun tokens that are, by their own name, a macro-region ("European
    Union"), a country, a first-order division, a named county or district ("Licking County"), or a city of at least
    `min_city_population` people (None: no city), or with `capitals` a national capital;
    connectors and possessives may stand inside ("Democratic People's Republic of Korea")."""
    if not tokens or not all(_is_capitalised(t) and (t.pos_ == "PROPN" or t.is_upper) or _connects_inside(tokens, i)
                             for i, t in enumerate(tokens)):
        return None
    matches = [m for m in _lookup_place(_text_of(text, tokens), min_population) if m.primary]
    if not matches:
        return None
    best = gazetteer.rank(matches)[0][1].candidate
    wanted = (best.level in ("region", "country", "province")
              or best.level == "district" and len(tokens) > 1
              or best.level == "city" and min_city_population is not None
              and (best.population >= min_city_population or best.feature == "PPLC")
              or capitals and best.feature == "PPLC")
    if not wanted:
        return None
    return _Mention(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), matches, "embedded",
                    cue=_cue_around(tokens))


def _embedded_places(tokens: list[Any], text: str, min_population: int,
                     min_city_population: int | None = EMBEDDED_MIN_POPULATION) -> list[_Mention]:
    """Places named inside an organisation's, a facility's or an event's name (the tokens of
    an ORG or EVENT entity, of a GPE/LOC/FAC entity that is no place in full, or of a run
    of capitalised words spaCy left untagged): its leading words ("Georgia Department of
    Transportation", "Paris Police Department", "Fresno Convention Center") or the phrase
    after its "of" ("University of Kentucky"), by the rules of `_embedded_run` (towns of
    `min_city_population` people, None: no town); none in the name of a street, a river,
    a park or a bridge ("Cleveland Drive", "Kish River": `_names_a_feature`). Their kind is "in-name": they say where the thing is or is from, not where
    anything happens, and leave the name to the actors."""
    tokens = _trim(tokens)
    if _names_a_feature(tokens):
        return []
    found: list[_Mention] = []
    part = _without_part_word(tokens, min_population)                     # "Metro Vancouver", "Northeast Nebraska Fair Board"
    if part is not None:
        whole = _embedded_run(part, text, min_population, min_city_population)
        if whole is not None:
            whole.kind = "in-name"
            return [whole]
        tokens = part
    of = next((i for i, token in enumerate(tokens) if token.lower_ == "of"), None)
    leading = len(tokens) - 1 if of is None else of - 1   # not the head of "University of X"
    for size in range(min(MAX_EMBEDDED_TOKENS, leading), 0, -1):
        mention = _embedded_run(tokens[:size], text, min_population, min_city_population)
        if mention is not None:
            found.append(mention)
            break
    if of is not None and 0 < of < len(tokens) - 1 and len(tokens) - of - 1 <= MAX_EMBEDDED_TOKENS:
        mention = _embedded_run(tokens[of + 1:], text, min_population, min_city_population)
        if mention is not None and all(mention.start >= m.end for m in found):
            found.append(mention)
    if not found:
        found = _inner_countries(tokens[1:], text, min_population)
    for mention in found:
        mention.kind = "in-name"      # part of the organisation's name: not where anything happens
    return found


def _inner_countries(tokens: list[Any], text: str, min_population: int) -> list[_Mention]:
    """Countries, and first-order divisions of several words, named by the inner or last
    words of an organisation's name ("Air Zimbabwe", "HSBC Bank Malta plc", "Bank of
    America" aside): the longest run of at most MAX_EMBEDDED_TOKENS words at each position
    that is one; never a town (companies are named after towns and people) nor a one-word
    division ("Line" of the Line Islands)."""
    found: list[_Mention] = []
    i = 0
    while i < len(tokens):
        for size in range(min(MAX_EMBEDDED_TOKENS, len(tokens) - i), 0, -1):
            mention = _embedded_run(tokens[i:i + size], text, min_population, min_city_population=None)
            level = gazetteer.rank(mention.matches)[0][1].candidate.level if mention is not None else None
            if level == "country" or level == "province" and size > 1:
                found.append(mention)
                i += size - 1
                break
        i += 1
    return found


def _capitalised_runs(tokens: list[Any], free: list[bool]) -> list[list[Any]]:
    """Maximal runs of capitalised tokens lying wholly in text no entity covers."""
    runs: list[list[Any]] = []
    current: list[Any] = []
    for token in tokens:
        if free[token.i] and _is_capitalised(token) and token.text not in POSSESSIVES:
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return runs


def _person_words(doc: Any) -> set[str]:
    """Words of the document's PERSON entities of several words ("Bush" of "George W.
    Bush"): a one-word PERSON entity may be a mislabelled place ("Azerbaijan")."""
    return {token.text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1 for token in ent}


def _is_major(candidate: Candidate) -> bool:
    """A continent, a macro-region, a country, a division, a capital or a city of
    SCAN_MIN_POPULATION people."""
    return (candidate.level in ("continent", "region", "country", "province") or candidate.feature == "PPLC"
            or candidate.population >= SCAN_MIN_POPULATION)


def _toponym_entity_mentions(ent: Any, text: str, min_population: int, person_words: set[str],
                             split: bool = True) -> list[_Mention]:
    """The places a GPE, LOC or FAC entity names: the entity itself (see `_entity_mention`),
    else places inside a longer name ("Lamar County Commissioners"); an entity that is no
    place in full but holds commas ("Thruxton, Hampshire", "Donington Park, Leicestershire":
    a place and the larger one it lies in, tagged as one) is read part by part."""
    mention = _entity_mention(ent, text, min_population)
    if (mention is not None and text[mention.start:mention.end] in person_words
            and not _is_major(gazetteer.rank(mention.matches, None, mention.cue)[0][1].candidate)):
        mention = None
    if mention is None:
        parts = _comma_parts(ent) if split else []
        if len(parts) > 1:
            return [found for part in parts
                    for found in _toponym_entity_mentions(part, text, min_population, person_words, split=False)]
        if len(ent) > 1:     # "Lamar County Commissioners", "Shelbyville Recreation Center"
            return _embedded_places(list(ent), text, min_population)
        return []
    if is_agent(_trim(list(ent))):
        mention.kind = "metonym"
    if (mention.matches[0].candidate.level == "country" and len(ent) == 1
            and _is_abbreviation(ent[0].text) and _used_as_modifier(ent[0])):
        mention.kind, mention.origin = "demonym", "demonym"
        mention.matches = mention.matches[:1]
    return [mention]


def _comma_parts(ent: Any) -> list[Any]:
    """The stretches of an entity between its commas, as entities of its label."""
    parts: list[Any] = []
    start = ent.start
    for i in range(ent.start, ent.end + 1):
        if i == ent.end or ent.doc[i].text == ",":
            if i > start:
                part = ent.doc[start:i]
                part.label_ = ent.label_
                parts.append(part)
            start = i + 1
    return parts


def find_mentions(doc: Any, min_population: int, text: str | None = None) -> list[_Mention]:
    """Every place mention of a spaCy Doc, in text order, none overlapping; `text` is the
    Doc's text when the caller has it (spaCy rebuilds `doc.text` on every call).

    A one-word GPE that is also part of a person's name in the same document ("Bush",
    "Kennedy") counts only if it is a major place (see `_is_major`)."""
    text = doc.text if text is None else text
    tokens = list(doc)                     # Token objects are costly: made once
    starts = [token.idx for token in tokens]
    person_words = _person_words(doc)
    mentions: list[_Mention] = []
    in_entity = [False] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            in_entity[i] = True
        whole = (_demonym_at(doc, text, ent.start, ent.end, min_population)
                 if ent.label_ in TOPONYM_LABELS + ("NORP",) else None)
        continental = (gazetteer.continent_of_adjective(ent.text)
                       if ent.label_ == "NORP" and whole is None and not _names_people_of_origin(doc, ent.end)
                       else None)
        if continental is not None:           # "European", "African"
            mentions.append(_Mention(ent.start_char, ent.end_char, [Match(continental, True)], "demonym",
                                     kind="demonym"))
        elif ent.label_ in TOPONYM_LABELS and whole is not None and whole[0] == len(ent):
            mentions.append(_demonym_mention(doc, ent.start, whole[0], whole[1]))
        elif ent.label_ in TOPONYM_LABELS:
            mentions.extend(_toponym_entity_mentions(ent, text, min_population, person_words))
        else:
            found = ([] if ent.label_ == "LANGUAGE"            # "in English": a language, not its people
                     else _token_demonyms(doc, text, ent.start, ent.end, min_population, starts))
            dateline = (_dateline_run(list(ent), text, min_population)
                        if not found and ent.label_ in MISLABEL_CHECKED and ent.text.isupper() else None)
            if dateline is not None:              # "RALEIGH, N.C. (AP)" tagged ORG
                mentions.append(dateline)
                continue
            mislabelled = None if found else _mislabelled_place(ent, text, min_population, person_words)
            if mislabelled is not None:
                if is_agent(_trim(list(ent))):
                    mislabelled.kind = "metonym"
                found = [mislabelled]
            elif not found and ent.label_ in EMBEDDING_LABELS:
                found = _embedded_places(list(ent), text, min_population)
            if not found and ent.label_ in ("ORG", "PERSON"):
                nearby = _nearby_town(ent, text, min_population, person_words)
                found = [nearby] if nearby is not None else []
            mentions.extend(found)
    free = [not flag for flag in in_entity]
    mentions.extend(_token_demonyms(doc, text, 0, len(doc), min_population, starts, free))
    taken = [False] * len(text)
    for mention in mentions:
        taken[mention.start:mention.end] = [True] * (mention.end - mention.start)
    named = _names_of_places(mentions, text)
    for ent in doc.ents:
        if ent.label_ in REPEAT_CHECKED and not any(taken[ent.start_char:ent.end_char]):
            mention = _repeated_name(_trim(list(ent)), text, named, person_words)
            found = [mention] if mention is not None else (
                _repeated_inside(_trim(list(ent)), text, named, person_words, taken)
                if ent.label_ in EMBEDDING_LABELS else [])
            for mention in found:
                mentions.append(mention)
                taken[mention.start:mention.end] = [True] * (mention.end - mention.start)
    for run in _capitalised_runs(tokens, [f and not taken[t.idx] for f, t in zip(free, tokens)]):
        mention = _scan_run(run, text, min_population) or _dateline_run(run, text, min_population)
        if mention is None and run[0].is_sent_start and len(run) > 1:
            mention = _scan_run(run[1:], text, min_population)
        if mention is None:
            mention = _repeated_name(run, text, named, person_words) or _locative_run(run, text, min_population)
        if mention is None:
            part = _without_part_word(run, min_population)              # "Northeast Texas"
            mention = _scan_run(part, text, min_population) if part is not None else None
        if mention is not None:
            mentions.append(mention)
        elif len(run) > 1:          # "Western Pennsylvania Kennel Association": no town, only countries and divisions
            mentions.extend(_embedded_places(run, text, min_population, min_city_population=None))
    return sorted(mentions, key=lambda m: m.start)


def _names_of_places(mentions: list[_Mention], text: str) -> dict[str, _Mention]:
    """The toponyms of a document by their text (the first mention of each name)."""
    named: dict[str, _Mention] = {}
    for mention in mentions:
        if mention.kind in ("toponym", "metonym"):
            named.setdefault(text[mention.start:mention.end], mention)
    return named


def _repeated_name(tokens: list[Any], text: str, named: dict[str, _Mention],
                   person_words: set[str]) -> _Mention | None:
    """One sense per discourse: a name the document uses elsewhere as a toponym is that
    place wherever it recurs, also where spaCy labelled it a person or an organisation
    ("Gainesville" tagged PERSON after "in Gainesville" was a GPE), unless it is a word of
    a person's longer name in the document ("Clinton" of "Bill Clinton")."""
    if not tokens:
        return None
    name = _text_of(text, tokens)
    original = named.get(name)
    if original is None or name in person_words:
        return None
    mention = _Mention(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), original.matches,
                       original.origin, cue=original.cue)
    if is_agent(tokens):
        mention.kind = "metonym"
    return mention


def _repeated_inside(tokens: list[Any], text: str, named: dict[str, _Mention], person_words: set[str],
                     taken: list[bool]) -> list[_Mention]:
    """One sense per discourse inside names: words of an organisation's or an event's name
    that the document uses elsewhere as a toponym ("Cavan" of "the Cavan Energy Group" in a
    report that names the town) are that place, of kind "in-name", whatever its size (the
    gazetteer alone admits only larger towns into names: see `_embedded_run`); the longest
    such run of capitalised words at each position, none a word of a person's longer name."""
    found: list[_Mention] = []
    i = 0
    while i < len(tokens):
        for size in range(min(MAX_EMBEDDED_TOKENS, len(tokens) - i), 0, -1):
            run = tokens[i:i + size]
            if not all(_is_capitalised(t) for t in run) or any(taken[t.idx] for t in run):
                continue
            mention = _repeated_name(run, text, named, person_words)
            if mention is not None:
                mention.kind = "in-name"
                found.append(mention)
                i += size - 1
                break
        i += 1
    return found


def _token_demonyms(doc: Any, text: str, start: int, end: int, min_population: int, starts: list[int],
                    allowed: list[bool] | None = None) -> list[_Mention]:
    """Demonyms and modifier country abbreviations among tokens start..end (only tokens
    marked allowed, when given); `starts` are the tokens' character offsets."""
    mentions: list[_Mention] = []
    i = start
    while i < end:
        if allowed is not None and not allowed[i] or not text[starts[i]].isupper():
            i += 1                    # demonyms and country abbreviations are capitalised
            continue
        limit = i
        while limit < min(end, i + MAX_DEMONYM_TOKENS) and (allowed is None or allowed[limit]):
            limit += 1
        found = _demonym_at(doc, text, i, limit, min_population)
        if found is not None:
            mentions.append(_demonym_mention(doc, i, found[0], found[1]))
            i += found[0]
            continue
        modifier = _country_modifier(doc[i], min_population)
        if modifier is not None:
            mentions.append(modifier)
        i += 1
    return mentions


_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*")


def _cue_in_text(body: str, start: int, end: int) -> str | None:
    """The level a generic word right after a name ("Kunar province") or before it ("the
    province of Kunar") points to, read from plain text."""
    after = _WORD.match(body, end + 1) if body[end:end + 1] == " " else None
    if after is not None and after.group().lower() in GENERIC_WORDS:
        return GENERIC_WORDS[after.group().lower()]
    before = body[max(0, start - 30):start].lower().split()
    if len(before) >= 2 and before[-1] == "of" and before[-2] in GENERIC_WORDS:
        return GENERIC_WORDS[before[-2]]
    return None


def mention_at(body: str, start: int, end: int, min_population: int,
               origin: str = "given") -> _Mention | None:
    """A mention for a span known to name a place (a gold toponym, an annotation), without
    spaCy: the span's text is cleaned as entities are (a leading "the", a possessive, and a
    trailing generic word, which becomes the level cue: "Rapides Parish" is tried in full
    first, as counties are named that way), and a demonym ("Russian") names its country.
    origin "given" (the default) means the span is known to be a place: its best candidate
    is taken however weak (see `_acceptable`). None when the gazetteer knows no such name."""
    text = body[start:end]
    stripped = text.strip()
    start += len(text) - len(text.lstrip())
    end = start + len(stripped)
    if stripped.lower().startswith("the "):
        start, stripped = start + 4, stripped[4:]
    for possessive in POSSESSIVES:
        if stripped.endswith(possessive) and len(stripped) > len(possessive):
            stripped = stripped[: -len(possessive)]
            end = start + len(stripped)
            break
    cue = _cue_in_text(body, start, end)
    attempts = [(start, end)]
    words = stripped.rsplit(" ", 1)
    if len(words) == 2 and words[1].lower() in GENERIC_WORDS:
        cue = GENERIC_WORDS[words[1].lower()]
        attempts.append((start, start + len(words[0])))
    demonym = _demonym_span(start, end, stripped, min_population)
    if demonym is not None and not gazetteer.is_alias(stripped):
        return demonym                # "Canadian" is Canada, not Canadian, Texas
    for attempt_start, attempt_end in attempts:
        matches = _lookup_place(body[attempt_start:attempt_end], min_population)
        if matches:
            return _Mention(attempt_start, attempt_end, matches, origin, cue=cue)
    return demonym


def _demonym_span(start: int, end: int, text: str, min_population: int) -> _Mention | None:
    """A demonym of a country ("Russian"), a first-order division ("Texan") or a continent
    ("European") as a mention, or None."""
    place = _demonym_of(text, min_population)
    if place is not None:
        return _Mention(start, end, [Match(place, True)], "demonym", kind="demonym")
    found = gazetteer.continent_of_adjective(text)
    if found is not None:
        return _Mention(start, end, [Match(found, True)], "demonym", kind="demonym")
    return None


# ---------------------------------------------------------------------------------------
# Resolving

def _dateline_candidate(dateline: str | None, min_population: int) -> Candidate | None:
    """The best candidate of a dateline ("ISLAMABAD", "Peshawar, Pakistan"), or None."""
    if not dateline:
        return None
    parts = [dateline.strip(" :-—–")] + [part.strip() for part in dateline.split(",")]
    for part in parts:
        found = gazetteer.candidates(part, min_population) if part else []
        if found:
            return found[0]
    return None


def _acceptable(mention: _Mention, best_score: float, best: Match, context: Context) -> bool:
    """Whether a mention's best candidate is good enough to report.

    Demonyms and spans given as places (origin "given") always are. A toponym (or a
    metonym) needs
    MIN_SCORE for its origin. A name found only among GeoNames' alternate
    spellings (historical, foreign-language: "Dawn" for Fajar, "Alania" for Alanya, "Louis"
    for Louisville) also needs a city of a million people, or of 100,000 in a country the
    document is about.
    """
    if mention.kind == "demonym" or mention.origin == "given":
        return True
    if best_score < MIN_SCORE.get(mention.origin, MIN_SCORE["GPE"]):
        return False
    candidate = best.candidate
    if mention.origin == "nearby":
        nearest = context.nearest_km(candidate)
        return (nearest is not None and nearest <= gazetteer.NEAR_KM
                or candidate.admin1 is not None and context.has_admin1((candidate.iso2, candidate.admin1)))
    if not best.primary and candidate.population < ALTERNATE_MIN_POPULATION:
        in_context = context.strong_count(candidate.iso2) > 0 or context.weak_count(candidate.iso2) > 0
        return in_context and candidate.population >= ALTERNATE_IN_CONTEXT_MIN_POPULATION
    return True


def _clear_winner(mention: _Mention) -> Candidate | None:
    """The mention's candidate when, without context, it is acceptable and wins by
    CLEAR_MARGIN."""
    ranked = gazetteer.rank(mention.matches, None, mention.cue)
    if not ranked or not _acceptable(mention, ranked[0][0], ranked[0][1], Context()):
        return None
    if len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= CLEAR_MARGIN:
        return ranked[0][1].candidate
    return None


_Signature = tuple[tuple[Any, ...], ...]


def _signature(mention: _Mention) -> _Signature:
    """What a mention may refer to by its own name (its primary matches, else all): mentions
    of one name share it, also when one of them kept only its primary matches ("Paris" and
    the "Paris" of "Paris Police Department")."""
    primary = [m for m in mention.matches if m.primary] or mention.matches
    return tuple(sorted(((m.candidate.geonameid or 0, m.candidate.name, m.candidate.iso2, m.candidate.level)
                         for m in primary)))


@dataclass(frozen=True)
class _Evidence:
    """A mention resolved without doubt, as context for the others."""
    signature: _Signature
    candidate: Candidate
    strong: bool


def collect_evidence(mentions: list[_Mention]) -> list[_Evidence]:
    """The mentions resolved without doubt (first pass, no context)."""
    evidence: list[_Evidence] = []
    for mention in mentions:
        winner = _clear_winner(mention)
        if winner is not None:
            evidence.append(_Evidence(_signature(mention), winner, mention.kind == "toponym"))
    return evidence


def build_context(evidence: list[_Evidence], dateline: Candidate | None) -> Context:
    """The context of a document: its dateline (strong), the mentions resolved without doubt
    (strong if sub-national, weak if a country or demonym)."""
    context = Context()
    if dateline is not None:
        context.add(dateline, strong=True)
        if dateline.level == "country":        # a dateline's country is strong evidence too
            context.strong[dateline.iso2] += 1
    for item in evidence:
        context.add(item.candidate, strong=item.strong)
    return context


def _shares(evidence: list[_Evidence]) -> dict[_Signature, Context]:
    """Each name's own share of the evidence: a name's own winner is no evidence for itself
    ("Paris" alone must not make France likelier for "Paris"), and "New York" the city must
    not make "New York" the state likelier; see `Context.without`."""
    shares: dict[_Signature, Context] = {}
    for item in evidence:
        shares.setdefault(item.signature, Context()).add(item.candidate, strong=item.strong)
    return shares


def _readings(mention: _Mention) -> list[Candidate]:
    """What a mention may refer to by its own name: its primary matches, else all."""
    return [m.candidate for m in (m for m in mention.matches if m.primary)] or [m.candidate for m in mention.matches]


def resolve_all(mentions: list[_Mention], dateline: Candidate | None) -> list[Candidate | None]:
    """Each mention's candidate in the context of all the others (None: too weak).

    Two rounds. The first ranks each name's candidates in the context of the dateline, the
    mentions resolved without doubt (`collect_evidence`) and the coherence of the other
    names' readings (`gazetteer.division_support`: a town is likelier in a state where the
    report's other names may lie; `gazetteer.neighbour_support`: and likelier where another
    name has a reading within 50 km). The second ranks them again in the context of every
    toponym the first round resolved, so that places resolved only with the help of
    coherence count as evidence too ("Georgia" in a report about Gainesville, Athens and
    DeKalb County is the state)."""
    by_signature: dict[_Signature, _Mention] = {}
    for mention in mentions:
        by_signature.setdefault(_signature(mention), mention)
    support = {signature: gazetteer.division_support(_readings(mention))
               for signature, mention in by_signature.items()}
    neighbours = gazetteer.neighbour_support({signature: _readings(mention)
                                              for signature, mention in by_signature.items()})
    evidence = collect_evidence(mentions)
    first = _resolve_round(mentions, dateline, evidence, support, neighbours)
    settled = [_Evidence(_signature(mention), candidate, mention.kind == "toponym")
               for mention, candidate in zip(mentions, first)
               if candidate is not None and mention.kind in ("toponym", "demonym")]
    return _resolve_round(mentions, dateline, _distinct(settled), support, neighbours)


def _distinct(evidence: list[_Evidence]) -> list[_Evidence]:
    """One item of evidence per name and reading (repeating a name is not more evidence)."""
    return list({(item.signature, item.candidate): item for item in evidence}.values())


def _resolve_round(mentions: list[_Mention], dateline: Candidate | None, evidence: list[_Evidence],
                   support: dict[_Signature, dict[tuple[str, str], float]],
                   neighbours: dict[_Signature, dict[Candidate, float]]) -> list[Candidate | None]:
    """Each mention resolved in the context of the evidence and of the support the other
    names give divisions (see `gazetteer.division_support`). One context holds the whole
    document; each name reads it without its own share (`Context.without`, a view that
    subtracts), so a round is linear in the number of names and items of evidence."""
    whole = build_context(evidence, dateline)
    for given in support.values():
        for region, weight in given.items():
            whole.support[region] = whole.support.get(region, 0.0) + weight
    shares = _shares(evidence)
    nothing = Context()
    contexts: dict[_Signature, Context] = {}
    resolved: list[Candidate | None] = []
    for mention in mentions:
        signature = _signature(mention)
        if signature not in contexts:
            contexts[signature] = whole.without(shares.get(signature, nothing), support.get(signature, {}),
                                                neighbours.get(signature))
        resolved.append(resolve(mention, contexts[signature]))
    return resolved


def resolve(mention: _Mention, context: Context) -> Candidate | None:
    """The mention's best candidate in context, or None when even that is too weak."""
    ranked = gazetteer.rank(mention.matches, context, mention.cue)
    if not ranked:
        return None
    best_score, best = ranked[0]
    return best.candidate if _acceptable(mention, best_score, best, context) else None


def _place(body: str, mention: _Mention, candidate: Candidate, min_population: int) -> Place:
    where = gazetteer.hierarchy(candidate, min_population)
    return Place(
        text=body[mention.start:mention.end], start=mention.start, end=mention.end,
        geonameid=candidate.geonameid, name=candidate.name, country=candidate.iso2,
        lat=candidate.lat, lon=candidate.lon, feature=candidate.feature, level=candidate.level,
        kind=mention.kind, iso3=where.iso3, admin1=where.admin1, admin1_code=where.admin1_code,
        admin2=where.admin2, admin2_code=where.admin2_code, precision=where.precision,
    )


def _covers(spacy_doc: Any, body: str) -> bool:
    """Whether a spaCy Doc was made from this body: same length, same first and last token
    at the same offsets (cheaper than rebuilding `Doc.text`)."""
    if len(spacy_doc) == 0:
        return not body.strip()
    first, last = spacy_doc[0], spacy_doc[-1]
    return (last.idx + len(last.text_with_ws) == len(body) and body.startswith(first.text, first.idx)
            and body.startswith(last.text, last.idx))


def run(doc: Document, settings: Any) -> list[Place]:
    """The places layer of a document: one Place per toponym or demonym occurrence."""
    spacy_doc = doc.spacy_doc
    if doc.body is None or spacy_doc is None or not _covers(spacy_doc, doc.body):
        raise NewsledgerError("E301", "places: the spaCy Doc does not cover the cleaned body")
    min_population = settings.gazetteer_min_population
    mentions = find_mentions(spacy_doc, min_population, doc.body)
    dateline = _dateline_candidate(doc.meta.dateline, min_population)
    resolved = resolve_all(mentions, dateline)
    return [_place(doc.body, mention, candidate, min_population)
            for mention, candidate in zip(mentions, resolved) if candidate is not None]


STAGE = Stage("places", needs=("body", "spacy_doc"), adds="places", item_type=Place, run=run)
