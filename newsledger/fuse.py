"""One event, many sources: merging event mentions from different documents.

Every stored event row is a *mention*: one document's report of something that happened.
`fuse` groups mentions that report the same real-world event into a `CanonicalEvent` that
keeps every mention with its evidence, counts documents (GDELT's NumArticles) and outlets
(NumSources), keeps each field's disagreeing values with the documents that state them,
and records why each merge happened.

Fusion runs on ingest: `newsledger.canonical` keeps the canonical events in tables of the
store, re-fusing only the link components a new document touches (blocking by type family,
reality, place country and time window), and `newsledger refuse` rebuilds them from the
stored event rows; both give the same events in any order while no bound of
`newsledger.canonical` cuts, because `fuse` is a pure, deterministic function of the rows and
decomposes over link components. What is stored of
the analyst is the correction: `Store.add_split` records that two mentions report different
events, and fusion honours it (a *split* survives re-fusion).

Two mentions may merge only when they are compatible on every field (compatibility, not
equality: an unknown value is compatible with any):

1. the same PLOVER type family (`TYPE_FAMILIES`: ASSAULT/COERCE, CONSULT/AGREE/SUPPORT, else the
   type itself), and the same reality (asserted/historical vs future vs negated vs
   hypothetical);
2. dates that overlap given their precision, with `date_tolerance_days` of slack (a report
   published the next morning says "yesterday"); a date that is only the report's own
   publication day may trail the other by `reporting_lag_days`; a missing date is unknown;
   a day with no year (`month_day`: "on March 3" in an undated report) is compared with the
   same day of the other date's year(s);
3. places that do not contradict: the same GeoNames id, or one containing the other (a
   country around anything in it, a province around the cities of its admin1 code, a city
   around the named places near it), or a capital and a town of its outskirts; two other
   places of one level conflict;
4. sources (symmetric types: participants) that do not contradict: the same actor name, a
   shared distinctive name word ("Afghan Taliban" and "Tehreek-i-Taliban Pakistan"), state
   actors or one sector of the same country, or a country and an actor of it that does not
   stand against it; targets that differ only lower the score;
5. no distinguishing death tolls (far apart, with stated targets that are not the same:
   `stated_targets`, not a participant a rule inferred, `Event.inferred`);
6. no stored split between them.

Only mentions that may pair (`may_pair`: the blocking rule) are compared: dates within reach,
or a shared anchor for vaguely dated ones; a report with no date at all (`dateless`) through
its scene, its place finer than a province (any place with a day of the year), whenever the
other happened, and it merges only when an identifying fact corroborates it (`corroboration`).

Compatible pairs get a similarity: weighted agreement of date (how precise the agreement
is), place, participants and text (content words around the evidence); an unknown value is
neutral (`UNKNOWN_ONE`). Pairs at or above `merge_threshold` are linked strongest first
(ties by mention keys), and two groups join only when every cross pair is compatible on the
facts (participants that disagree count as no agreement) and the mean over their document
pairs of each one's best similarity stays at or above the threshold (`join_score`): no
chaining through vague mentions, and no report's vaguer retellings outvoting its best account.
A date coarser than a day scores by its precision, but as an unknown date when a fact that
identifies the event corroborates the pair and both state a place (`coarse_dates`). Each merge
records the fields that agreed, those that were only compatible and those on which the groups disagree. Mentions are
sorted by key before anything else, so the same rows give the same events in any order.
"""
from __future__ import annotations

import calendar
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from .model import MODALITIES, PLOVER_TYPES

MentionKey = tuple[str, str]          # (doc_id, event_id)

SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
# PLOVER's verbal cooperation and verbal conflict: what is said about acts.
VERBAL_TYPES = frozenset({"AGREE", "SUPPORT", "ACCUSE", "REQUEST", "REJECT", "THREATEN"})
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
# Sectors that stand against a state: a country's name does not cover them.
OPPOSITION_SECTORS = frozenset({"REB", "OPP", "CRM"})
# PLOVER types one real-world event may be coded as by different reports: a bombing and the
# seizure of hostages (material conflict); a summit (CONSULT), the accord agreed at it (AGREE)
# and its signing (SUPPORT: PLOVER's CAMEO table codes "sign formal agreement", 057, so).
TYPE_FAMILIES: dict[str, str] = {"ASSAULT": "force", "COERCE": "force",
                                 "CONSULT": "meeting", "AGREE": "meeting", "SUPPORT": "meeting"}
LEVEL_RANK = {"country": 0, "province": 1, "district": 2, "city": 3, "sub-city": 4}
# Places wider than a country (a continent, a macro-region or sea: "North Africa", "the
# Atlantic"): they hold no country and are no scene that identifies an event.
BROAD_PLACE_LEVELS = frozenset({"continent", "region"})
FIELDS_COMPARED = ("date", "place", "killed", "injured", "mode", "modality", "source", "target")

# Words that say nothing about which event a sentence reports.
_STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just may me might more
most my no nor not now of off on once only or other our out over own said same says she should
so some such than that the their them then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you your
mr mrs ms one two three u s us today yesterday tuesday monday wednesday thursday friday saturday
sunday told according statement reported
""".split())

# Name words that many different actors share: they alone do not make two actors the same
# (country names and demonyms are added from the gazetteer: `gazetteer.country_words`).
_GENERIC_NAME_WORDS = frozenset("""
the and for government people ministry army forces force state states islamic republic
united national front party council department minister office military police group province
security international movement
""".split())


@dataclass(frozen=True)
class FusionSettings:
    """The knobs of fusion, with the values measured on ../shared/corpus/public."""
    merge_threshold: float = 0.55
    date_tolerance_days: int = 1
    reporting_lag_days: int = 3       # a date taken from the publication day may trail the event
    undated_reach_days: int = 30      # an undated mention is compared around its report's day
    weight_date: float = 0.35
    weight_place: float = 0.25
    weight_actors: float = 0.20
    weight_text: float = 0.20


@dataclass(frozen=True)
class Participant:
    name: str
    country: str | None
    sector: str | None
    kind: str | None
    # False when the rule that put it in the event inferred it and no words of the event state
    # it (`Event.inferred`, stored as `events.inferred_ids`: the state where an attack on
    # unnamed victims happened, the arresting state); True when unknown (rows stored before)
    stated: bool = True

    @property
    def key(self) -> str:
        return _name_key(self.name)


@dataclass(frozen=True)
class Mention:
    """One document's report of an event: a stored event row and what fusion compares."""
    doc_id: str
    event_id: str
    seq: int
    type: str
    mode: str | None
    modality: str
    sources: tuple[Participant, ...]
    targets: tuple[Participant, ...]
    date_value: str | None
    date_precision: str | None
    date_span: tuple[date, date] | None
    date_anchor: str | None
    place_geonameid: int | None
    place_name: str | None
    place_country: str | None
    place_level: str | None
    lat: float | None
    lon: float | None
    killed: int | None
    injured: int | None
    evidence_text: str
    evidence_start: int | None
    evidence_end: int | None
    confidence: float
    outlet: str | None
    title: str | None
    published: str | None
    url: str | None
    words: frozenset[str] = field(default_factory=frozenset)
    quote_seq: int | None = None      # the quote of its document that states it
    admin1: str | None = None         # the place's hierarchy (ISO 3166-2 codes) and precision
    admin1_code: str | None = None
    admin2: str | None = None
    admin2_code: str | None = None
    geo_precision: str | None = None
    # the days its document reports on: its publication day, else the extent of its dates
    report_span: tuple[date, date] | None = None
    trigger: str | None = None        # the word(s) the events stage coded it from
    # proper names of its sentence that are no place of the scene, country or participant
    # (`proper_names`): "the Abbey Gate", "Tayaran Square"; evidence that corroborates a pair
    names: frozenset[str] = field(default_factory=frozenset)
    place_feature: str | None = None  # the place's GeoNames feature code (PPLC: a capital)

    @property
    def key(self) -> MentionKey:
        return (self.doc_id, self.event_id)

    @property
    def family(self) -> str:
        """The PLOVER type family within which reports of one event may differ in type."""
        return TYPE_FAMILIES.get(self.type, self.type)

    @property
    def date_from_publication(self) -> bool:
        """The date is the report's own date, assumed because the text states none."""
        return self.date_anchor == "published"

    @property
    def reality(self) -> str:
        """asserted and historical both report things that happened; the rest stand apart."""
        return "factual" if self.modality in ("asserted", "historical") else self.modality

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id, "event_id": self.event_id, "type": self.type, "mode": self.mode,
            "modality": self.modality,
            "source_names": [p.name for p in self.sources], "target_names": [p.name for p in self.targets],
            "date": {"value": self.date_value, "precision": self.date_precision} if self.date_value else None,
            "place": {"geonameid": self.place_geonameid, "name": self.place_name,
                      "country": self.place_country, "admin1": self.admin1, "admin2": self.admin2,
                      "geo_precision": self.geo_precision, "lat": self.lat, "lon": self.lon}
            if self.place_name else None,
            "killed": self.killed, "injured": self.injured,
            "evidence": {"text": self.evidence_text, "start": self.evidence_start, "end": self.evidence_end},
            "confidence": self.confidence,
            "document": {"outlet": self.outlet, "title": self.title, "published": self.published,
                         "url": self.url},
        }


@dataclass(frozen=True)
class PairScore:
    """How two mentions compare: compatible or the field that forbids merging, and scores."""
    compatible: bool
    conflict: str | None = None
    date: float = 0.0
    place: float = 0.0
    actors: float = 0.0
    text: float = 0.0
    total: float = 0.0
    # the identifying facts (`corroboration`) a pair with a report that states no date agrees on,
    # or that make a coarse date only compatible (`coarse_dates`)
    corroborated: tuple[str, ...] = ()


@dataclass
class CanonicalEvent:
    """A real-world event and every mention that reports it."""
    id: str
    mentions: list[Mention]
    merges: list[dict[str, Any]]

    @property
    def type(self) -> str:
        """The type most mentions state (ties: the first of PLOVER's order)."""
        return _most_common([m.type for m in self.mentions], order=PLOVER_TYPES)

    @property
    def documents(self) -> list[str]:
        """Document ids in order of first report (published date, then id)."""
        ordered = sorted(self.mentions, key=_report_order)
        return list(dict.fromkeys(m.doc_id for m in ordered))

    @property
    def outlets(self) -> list[str]:
        """Distinct outlets; a document without an outlet counts as its own source."""
        return list(dict.fromkeys((m.outlet or f"document:{m.doc_id}") for m in sorted(self.mentions, key=_report_order)))

    def values(self, name: str) -> list[dict[str, Any]]:
        """Each distinct value of one field with the documents and mentions that state it."""
        grouped: dict[str, dict[str, Any]] = {}
        for mention in sorted(self.mentions, key=_report_order):
            for value in _field_values(mention, name):
                token = repr(value)
                entry = grouped.setdefault(token, {"value": value, "documents": [], "mentions": []})
                if mention.doc_id not in entry["documents"]:
                    entry["documents"].append(mention.doc_id)
                entry["mentions"].append(f"{mention.doc_id}:{mention.event_id}")
        return sorted(grouped.values(), key=lambda e: (-len(e["documents"]), repr(e["value"])))

    def disagreements(self) -> dict[str, list[dict[str, Any]]]:
        """Fields on which the mentions state more than one value (None is not a value)."""
        result = {}
        for name in FIELDS_COMPARED:
            values = self.values(name)
            if len(values) > 1:
                result[name] = values
        return result

    def best_date(self) -> tuple[str, str] | None:
        """The date most documents support (a coarse date supports the precise dates inside
        it), then the one most documents state exactly, then the most precise, then the
        earliest: (value, precision)."""
        dated = [m for m in self.mentions if m.date_span and m.date_value]
        if not dated:
            return None
        candidates = {(m.date_value, m.date_precision or ""): m.date_span for m in dated}

        def rank(item: tuple[tuple[str, str], tuple[date, date]]) -> tuple[Any, ...]:
            (value, _), (start, end) = item
            supporting = {m.doc_id for m in dated if m.date_span[0] <= start and end <= m.date_span[1]}
            exact = {m.doc_id for m in dated if m.date_value == value}
            return (-len(supporting), -len(exact), (end - start).days, start, value)

        (value, precision), _ = min(candidates.items(), key=rank)
        return value, precision

    def best_place(self) -> Mention | None:
        """The mention whose place most documents state, then the finest, then lowest id."""
        placed = [m for m in self.mentions if m.place_name]
        if not placed:
            return None
        docs: dict[Any, set[str]] = defaultdict(set)
        for m in placed:
            docs[_place_identity(m)].add(m.doc_id)
        return min(placed, key=lambda m: (-len(docs[_place_identity(m)]),
                                          -LEVEL_RANK.get(m.place_level or "", 2),
                                          m.place_geonameid or 0, m.place_name or "", m.key))

    def to_json(self, with_mentions: bool = True) -> dict[str, Any]:
        """The canonical event record printed by `newsledger events --format json`."""
        representative = min(self.mentions, key=lambda m: (-m.confidence, _report_order(m)))
        when = self.best_date()
        place = self.best_place()
        sources = _participants(self.mentions, "sources")
        targets = _participants(self.mentions, "targets")
        record: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "mode": _most_common([m.mode for m in self.mentions]),
            "modality": _most_common([m.modality for m in self.mentions], order=MODALITIES),
            "source_names": [p.name for p in sources],
            "source_countries": [p.country for p in sources],
            "target_names": [p.name for p in targets],
            "target_countries": [p.country for p in targets],
            "date_value": when[0] if when else None,
            "date_precision": when[1] if when else None,
            "date_key": _date_key(when[0]) if when else None,
            "place_geonameid": place.place_geonameid if place else None,
            "place_name": place.place_name if place else None,
            "place_country": place.place_country if place else None,
            "admin1": place.admin1 if place else None,
            "admin1_code": place.admin1_code if place else None,
            "admin2": place.admin2 if place else None,
            "admin2_code": place.admin2_code if place else None,
            "geo_precision": place.geo_precision if place else None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
            "killed": _most_common_number([m.killed for m in self.mentions]),
            "injured": _most_common_number([m.injured for m in self.mentions]),
            "evidence_text": representative.evidence_text,
            "confidence": max(m.confidence for m in self.mentions),
            "sources": self.documents,
            "num_articles": len(self.documents),
            "num_sources": len(self.outlets),
            "num_mentions": len(self.mentions),
            "disagreements": self.disagreements(),
            "merges": self.merges,
        }
        if with_mentions:
            record["mentions"] = [m.to_json() for m in sorted(self.mentions, key=_report_order)]
        return record


# -- reading stored rows -----------------------------------------------------------------------


def mentions_from_rows(inputs: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[Mention]:
    """Mentions from `Store.fusion_inputs()`, sorted by (doc_id, event_id)."""
    actors = {(a["doc_id"], a["actor_id"]): a for a in inputs.get("actors", [])}
    places = {(p["doc_id"], p["geonameid"]): p for p in inputs.get("places", [])}
    scenes: dict[str, set[str]] = defaultdict(set)   # words of each document's cities and wider places
    for p in inputs.get("places", []):
        if LEVEL_RANK.get(p.get("level") or "", 0) <= LEVEL_RANK["city"]:
            scenes[str(p["doc_id"])].update(_name_words(f"{p.get('name') or ''} {p.get('texts') or ''}"))
    mentions = [_mention(row, actors, places, scenes.get(str(row["doc_id"]), set()))
                for row in inputs.get("events", [])]
    spans: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for m in mentions:
        if dated_precisely(m):
            spans[m.doc_id].append(m.date_span)  # type: ignore[arg-type]
    mentions = [replace(m, report_span=_report_span(m.published, spans.get(m.doc_id, []))) for m in mentions]
    return sorted(mentions, key=lambda m: m.key)


def _report_span(published: str | None, spans: Sequence[tuple[date, date]]) -> tuple[date, date] | None:
    """The days a document reports on: its publication day or, without one, from the first
    to the last day its events are dated to within a month (`dated_precisely`: a year or a
    decade an undated text names, "the 1979 revolution", "since 2009", says nothing of when
    it reports); None for a document with no such date at all (`dateless`)."""
    day = _iso_day(published)
    if day is not None:
        return day, day
    if not spans:
        return None
    return min(first for first, _ in spans), max(last for _, last in spans)


def _mention(row: Mapping[str, Any], actors: Mapping[tuple[str, str], Mapping[str, Any]],
             places: Mapping[tuple[str, Any], Mapping[str, Any]],
             scene: frozenset[str] | set[str] = frozenset()) -> Mention:
    """One stored event row as a mention. A participant is `stated` unless its id is among the
    row's `inferred_ids`: the ids the events stage's rules put in the event with no words of it
    naming them (`Event.inferred`). A row stored before schema 9 has none: all stated.
    `scene`: the words of its document's places of a city or wider (not names that corroborate:
    `proper_names`)."""
    doc_id = str(row["doc_id"])
    inferred = {str(i) for i in row.get("inferred_ids") or ()}

    def side(ids: Sequence[str] | None, names: Sequence[str | None] | None) -> tuple[Participant, ...]:
        people = []
        for position, actor_id in enumerate(ids or []):
            info = actors.get((doc_id, actor_id), {})
            name = info.get("name") or ((names or [None] * (position + 1))[position]) or actor_id
            people.append(Participant(str(name), info.get("country"), info.get("sector"), info.get("kind"),
                                      str(actor_id) not in inferred))
        return tuple(people)

    place = places.get((doc_id, row.get("place_geonameid"))) or {}
    evidence = row.get("evidence_text") or ""
    context = row.get("context") or ""
    local = _sentence_around(context, (row.get("evidence_start") or 0) - (row.get("context_start") or 0),
                             len(evidence))
    sources = side(row.get("source_ids"), row.get("source_names"))
    targets = side(row.get("target_ids"), row.get("target_names"))
    text_for_words = " ".join([local, evidence, row.get("trigger") or "", row.get("place_name") or "",
                               *(p.name for p in sources + targets)])
    known = set(scene) | _name_words(" ".join([row.get("place_name") or "", row.get("admin1") or "",
                                                row.get("admin2") or "", *(p.name for p in sources + targets)]))
    return Mention(
        doc_id=doc_id, event_id=str(row["event_id"]), seq=int(row.get("seq") or 0),
        type=str(row.get("type") or ""), mode=row.get("mode"), modality=str(row.get("modality") or "asserted"),
        sources=sources, targets=targets,
        date_value=row.get("date_value"), date_precision=row.get("date_precision"),
        date_span=date_span(row.get("date_value")), date_anchor=row.get("date_anchor"),
        place_geonameid=row.get("place_geonameid"), place_name=row.get("place_name"),
        place_country=row.get("place_country"), place_level=place.get("level"),
        lat=place.get("lat"), lon=place.get("lon"),
        killed=row.get("killed"), injured=row.get("injured"),
        evidence_text=evidence, evidence_start=row.get("evidence_start"), evidence_end=row.get("evidence_end"),
        confidence=float(row.get("confidence") or 0.0),
        outlet=row.get("outlet"), title=row.get("title"), published=row.get("published"), url=row.get("url"),
        words=content_words(text_for_words), quote_seq=row.get("quote_seq"),
        admin1=row.get("admin1"), admin1_code=row.get("admin1_code"), admin2=row.get("admin2"),
        admin2_code=row.get("admin2_code"), geo_precision=row.get("geo_precision"),
        trigger=row.get("trigger"), names=proper_names(local or evidence) - known,
        place_feature=place.get("feature"),
    )


def _sentence_around(context: str, start: int, length: int) -> str:
    """The sentence(s) of `context` that hold the evidence at [start, start+length)."""
    start = max(0, min(start, len(context)))
    end = min(len(context), start + max(length, 0))
    left = max(context.rfind(". ", 0, start), context.rfind("\n", 0, start))
    right_candidates = [i for i in (context.find(". ", end), context.find("\n", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(context)
    return context[left + 1: right + 1].strip()


def proper_names(text: str) -> frozenset[str]:
    """The words of a text written with a capital that do not open a sentence, in lower case:
    the words of the names it uses, generic name words (`_GENERIC_NAME_WORDS`, countries and
    demonyms), titles, months and stopwords left out."""
    names = set()
    for match in re.finditer(r"[A-Z][A-Za-z'’\-]{2,}", text):
        before = text[: match.start()].rstrip()
        if not before or before[-1] in ".!?:;\"“‘'(\n":    # opens a sentence: capitalised anyway
            continue
        word = match[0].casefold().removesuffix("'s").removesuffix("’s")
        if word not in _STOPWORDS and word not in _NOT_NAMES and word not in _generic_words():
            names.add(word)
    return frozenset(names)


def _name_words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.casefold()))


# Capitalised words that name no one thing: titles, months.
_NOT_NAMES = frozenset("""
president secretary minister prime general spokesman spokeswoman ambassador chairman director
foreign defense defence interior deputy senior official officials chief leader king queen prince
january february march april may june july august september october november december
""".split())

# Proper names two reports must share to corroborate each other (`shared_names`): one word
# is often a surname or a common word written with a capital.
SHARED_NAME_WORDS = 2


def shared_names(a: Mention, b: Mention) -> frozenset[str]:
    """The proper-name words (`Mention.names`) both mentions' sentences use, when there are
    at least `SHARED_NAME_WORDS` of them, else none."""
    shared = a.names & b.names
    return shared if len(shared) >= SHARED_NAME_WORDS else frozenset()


def content_words(text: str) -> frozenset[str]:
    """Lower-case words of three letters or more that are not stopwords, plural s removed."""
    words = set()
    for word in re.findall(r"[a-z][a-z'\-]+|\d{2,}", text.lower()):
        word = word.strip("'-")
        if len(word) < 3 or word in _STOPWORDS:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return frozenset(words)


# -- dates -----------------------------------------------------------------------------------


def date_span(value: str | None) -> tuple[date, date] | None:
    """The first and last day a TIMEX3 date value covers, or None for durations and refs.

    2023-03-07 and 2023-03-07T10:00 -> that day; 2023-W10 -> its Monday..Sunday;
    2023-03 -> the month; 2023-Q1 -> the quarter; 2023-H1 -> the half; 2023 and seasons ->
    the year; 202 -> the decade; 20 -> the century.
    """
    if not value:
        return None
    try:
        if match := re.match(r"(\d{4})-(\d{2})-(\d{2})(T|$)", value):
            day = date(int(match[1]), int(match[2]), int(match[3]))
            return day, day
        if match := re.fullmatch(r"(\d{4})-W(\d{2})(-\d)?", value):
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return monday, monday + timedelta(days=6)
        if match := re.fullmatch(r"(\d{4})-(\d{2})", value):
            year, month = int(match[1]), int(match[2])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if match := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            year, first = int(match[1]), 3 * int(match[2]) - 2
            return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])
        if match := re.fullmatch(r"(\d{4})-H([12])", value):
            year = int(match[1])
            return (date(year, 1, 1), date(year, 6, 30)) if match[2] == "1" else (date(year, 7, 1), date(year, 12, 31))
        if match := re.fullmatch(r"(\d{4})(-(SP|SU|FA|WI))?", value):
            year = int(match[1])
            return date(year, 1, 1), date(year, 12, 31)
        if re.fullmatch(r"\d{3}", value):
            return date(int(value) * 10, 1, 1), date(int(value) * 10 + 9, 12, 31)
        if re.fullmatch(r"\d{2}", value):
            first = max(1, int(value) * 100)
            return date(first, 1, 1), date(int(value) * 100 + 99, 12, 31)
    except ValueError:
        return None
    return None


def _date_key(value: str) -> str | None:
    from .store import period_start  # the store's timeline key, so filters agree
    return period_start(value)


def _date_agreement(a: Mention, b: Mention, settings: FusionSettings) -> float | None:
    """How precisely two dates agree (1.0 the same day), `UNKNOWN_ONE`/`UNKNOWN_BOTH` when
    unknown, None: conflict.

    Dates overlap given their precision, with `date_tolerance_days` of slack ("yesterday" in
    a report of the next morning). A date that is only the report's publication day (the
    text states none) may trail the other by `reporting_lag_days`: an attack on Monday
    reported on Wednesday; it is then compatible, not agreeing (0.3).
    """
    if a.date_span is None or b.date_span is None:
        if all(m.date_span or month_day(m.date_value) for m in (a, b)):   # a day with no year
            return _yearless_agreement(a, b, settings)
        return UNKNOWN_BOTH if a.date_span is None and b.date_span is None else UNKNOWN_ONE
    (a_start, a_end), (b_start, b_end) = a.date_span, b.date_span
    gap = max((b_start - a_end).days, (a_start - b_end).days, 0)
    if gap > settings.date_tolerance_days:
        later = a if a_start > b_end else b
        if later.date_from_publication and gap <= settings.reporting_lag_days:
            return UNKNOWN_ONE          # the report's date says nothing about the event's
        return None
    widest = max((a_end - a_start).days, (b_end - b_start).days) + 1
    if widest == 1:
        return 1.0 if gap == 0 else 0.7
    for limit, score in ((7, 0.6), (31, 0.45), (92, 0.3), (366, 0.2)):
        if widest <= limit:
            return score
    return 0.1


# What a field scores when one side (or both) does not state it: neither for nor against.
UNKNOWN_ONE = 0.5
UNKNOWN_BOTH = 0.4


def _states_scene(m: Mention) -> bool:
    """The mention states a place of a country or finer (not only a continent, region or sea)."""
    return bool(m.place_name) and m.place_level not in BROAD_PLACE_LEVELS


def coarse_dates(a: Mention, b: Mention) -> bool:
    """Both mentions are dated, and the wider of their dates is coarser than a day but no
    coarser than a year (`COARSE_DATE_DAYS`): "in March 2014", "in 2014", the same attack a
    later report dates only by its month or year.

    Such a date agrees weakly by its precision (`_date_agreement`: 0.45 a month, 0.2 a year),
    since many events of one kind share a month or a year. When the pair is identified by
    what the coarse date cannot tell (a fact of `corroboration`: the same participants, a
    target both name, the same toll, a proper name both sentences use) and both state a
    place that does not conflict, the coarse date is only compatible: it counts as an
    unknown one (`UNKNOWN_ONE`), neither for nor against, and the merge lists the facts."""
    if a.date_span is None or b.date_span is None:
        return False
    widest = max((m.date_span[1] - m.date_span[0]).days for m in (a, b)) + 1  # type: ignore[index]
    return 1 < widest <= COARSE_DATE_DAYS


# A date coarser than this (a decade, "the 1990s") identifies no event, however corroborated.
COARSE_DATE_DAYS = 366


@lru_cache(maxsize=4096)
def month_day(value: str | None) -> tuple[int, int] | None:
    """(month, day) of a day with no year (`XXXX-01-21`: "on January 21" in a report with no
    date to take the year from), else None."""
    match = re.fullmatch(r"XXXX-(\d{2})-(\d{2})", value or "")
    if match is None:
        return None
    try:
        date(2000, int(match[1]), int(match[2]))    # 2000 is a leap year: February 29 passes
    except ValueError:
        return None
    return int(match[1]), int(match[2])


def _yearless_agreement(a: Mention, b: Mention, settings: FusionSettings) -> float | None:
    """How a day with no year (`month_day`) agrees with the other mention's date: the day of
    the year in every year the other date may fall in, compared as two dates are (within
    `date_tolerance_days`, a publication day `reporting_lag_days` after it); `YEARLESS_DAY`
    (one day, its year only compatible) or less as the other date is coarser; a date coarser
    than a month, whose year says nothing of a day, is unknown (`UNKNOWN_ONE`). None: two
    different days of the year, distinguishing evidence."""
    yearless, other = (a, b) if month_day(a.date_value) else (b, a)
    month, day = month_day(yearless.date_value)  # type: ignore[misc]
    if other.date_span is None:                  # both without a year: within one year's turn
        other_month, other_day = month_day(other.date_value)  # type: ignore[misc]
        first = last = date(2000, other_month, other_day)
    else:
        first, last = other.date_span
    if (last - first).days >= PRECISE_SPAN_DAYS:
        return UNKNOWN_ONE
    candidates = [found for year in range(first.year - 1, last.year + 2)
                  if (found := _valid_day(year, month, day)) is not None]
    if not candidates:                           # February 29 and no leap year in reach
        return None
    gap, found = min(((max((first - found).days, (found - last).days, 0), found) for found in candidates))
    if gap > settings.date_tolerance_days:
        if other.date_from_publication and found < first and gap <= settings.reporting_lag_days:
            return UNKNOWN_ONE          # reported a few days later, on a day that states no date
        return None
    widest = (last - first).days + 1
    if widest == 1:
        return YEARLESS_DAY if gap == 0 else YEARLESS_NEXT_DAY
    return 0.6 if widest <= 7 else 0.45     # within a week, a month: as two dated mentions


# A day of the year agreeing with a dated day: the day agrees, the year is only compatible;
# a day apart (within `date_tolerance_days`), less.
YEARLESS_DAY = 0.7
YEARLESS_NEXT_DAY = 0.6


def _valid_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# -- places ----------------------------------------------------------------------------------

# Two places of which one is a city and the other a named place inside a city (a square, a
# district of the city) are the same scene only this near.
SAME_SCENE_KM = 30.0


def _place_identity(m: Mention) -> Any:
    return m.place_geonameid if m.place_geonameid is not None else (m.place_name or "").casefold()


@dataclass(frozen=True)
class _MentionPlace:
    """A mention's place as `gazetteer.is_within` reads it."""
    geonameid: int | None
    country: str | None
    admin1_code: str | None
    admin2_code: str | None
    level: str

    @classmethod
    def of(cls, m: Mention) -> _MentionPlace:
        return cls(m.place_geonameid, m.place_country, m.admin1_code, m.admin2_code, m.place_level or "")


# GeoNames feature codes of the capitals of a country or of a first-order division: cities
# whose outskirts hold other towns (`_town_by_capital`).
CAPITAL_FEATURES = frozenset({"PPLC", "PPLA"})


def _town_by_capital(a: Mention, b: Mention) -> bool:
    """One place is a capital (`CAPITAL_FEATURES`) and the other a town that is not one within
    `SAME_SCENE_KM` of it: a report may name the town where another names the city whose
    outskirts it lies in (two capitals, or two towns, are two places)."""
    if (a.place_feature in CAPITAL_FEATURES) == (b.place_feature in CAPITAL_FEATURES):
        return False
    if None in (a.lat, a.lon, b.lat, b.lon):
        return False
    from . import gazetteer

    return gazetteer.distance_km(a.lat, a.lon, b.lat, b.lon) <= SAME_SCENE_KM  # type: ignore[arg-type]


def _same_division(a: Mention, b: Mention, rank: int) -> bool:
    """Two provinces (or districts) of one ISO 3166-2 code: the same division, whether or not
    each report stored its GeoNames id (mentions stored before divisions carried ids have none)."""
    if rank == LEVEL_RANK["province"]:
        return bool(a.admin1_code) and a.admin1_code == b.admin1_code and not a.admin2_code and not b.admin2_code
    if rank == LEVEL_RANK["district"]:
        return bool(a.admin2_code) and a.admin2_code == b.admin2_code
    return False


def _place_agreement(a: Mention, b: Mention) -> float | None:
    """1.0 the same place, 0.5/0.4 one contains the other, `UNKNOWN_ONE`/`UNKNOWN_BOTH` when
    unknown, None: conflict.

    Containment follows the admin hierarchy the places stage stored (ISO 3166-2 codes,
    `gazetteer.is_within`): a country contains its provinces and cities, a province the places
    of its admin1 code, a district those of its admin2 code, a city the named places within
    `SAME_SCENE_KM` of it. Places in different first- or second-order divisions conflict, as
    do two different places of the same level (two cities, two squares), unless one is a
    capital and the other a town of its outskirts (`_town_by_capital`).
    """
    if not a.place_name or not b.place_name:
        return UNKNOWN_BOTH if not a.place_name and not b.place_name else UNKNOWN_ONE
    if _place_identity(a) == _place_identity(b):
        return 1.0
    if a.place_level == b.place_level and a.place_level in BROAD_PLACE_LEVELS:
        return None                     # two different continents, regions or seas
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return None
    if (a.admin1_code and b.admin1_code and a.admin1_code != b.admin1_code
            or a.admin2_code and b.admin2_code and a.admin2_code != b.admin2_code):
        return None                     # in different divisions of the country
    (outer_rank, outer), (inner_rank, inner) = sorted(
        ((LEVEL_RANK.get(a.place_level or "", -1), a), (LEVEL_RANK.get(b.place_level or "", -1), b)),
        key=lambda item: item[0])
    if outer_rank == 0:
        return 0.5                      # a country and a place inside it
    if outer_rank == -1:
        return UNKNOWN_ONE              # a place the gazetteer could not rank: unknown
    if outer_rank == inner_rank:
        if outer_rank == LEVEL_RANK["city"] and _town_by_capital(a, b):
            return 0.4                  # a capital and a town of its outskirts
        if _same_division(a, b, outer_rank):
            return 1.0                  # one division, its GeoNames id stored by one report only
        return None                     # two different places of the same level
    from . import gazetteer   # here, not at the top: the commands that only read need not load it

    if outer_rank in (LEVEL_RANK["province"], LEVEL_RANK["district"]):
        if gazetteer.is_within(_MentionPlace.of(inner), _MentionPlace.of(outer)):
            return 0.5                  # a division and a place inside it
        return 0.4                      # a division and a finer place, containment unknown
    # a city and a named place that may lie inside it
    if None in (outer.lat, outer.lon, inner.lat, inner.lon):
        return 0.4
    near = gazetteer.distance_km(outer.lat, outer.lon, inner.lat, inner.lon)  # type: ignore[arg-type]
    return 0.5 if near <= SAME_SCENE_KM else None


# -- participants ----------------------------------------------------------------------------


@cache
def _name_key(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", name.casefold())
    return " ".join(w for w in words if w != "the")


@cache
def _generic_words() -> frozenset[str]:
    from . import gazetteer

    return _GENERIC_NAME_WORDS | gazetteer.country_words()


@cache
def _distinctive_words(name: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", name.casefold()) if len(w) > 2 and w not in _generic_words())


def _is_state(p: Participant) -> bool:
    return p.kind == "state" or (p.sector or "") in STATE_SECTORS


def participant_agreement(a: Participant, b: Participant) -> float:
    """How two participants agree: 1.0 the same name, 0.7 a shared distinctive name word,
    0.5 state actors (or actors of one sector) of one country, 0.4 a country and an actor of
    it that does not stand against it ("Pakistan" and "the victims" in Pakistan); 0.0 they
    are different actors."""
    if a.key and a.key == b.key:
        return 1.0
    if _distinctive_words(a.name) & _distinctive_words(b.name):
        return 0.7
    if not a.country or a.country != b.country:
        return 0.0
    if _is_state(a) and _is_state(b):
        return 0.5
    if a.sector and a.sector == b.sector:
        return 0.5
    for country, member in ((a, b), (b, a)):
        if country.kind == "state" and (member.sector or "") not in OPPOSITION_SECTORS:
            return 0.4
    return 0.0


def _identified(p: Participant) -> bool:
    """A participant fusion can compare: one with a country or a proper name, not one the
    report only describes by a common noun ("people", "gunmen", "the attacker", "the
    organisation"), which says nothing about who it is."""
    return bool(p.country) or any(ch.isupper() for ch in p.name)


def _side_agreement(left: Sequence[Participant], right: Sequence[Participant]) -> float | None:
    """Best agreement of any two identified participants; None when a side is unknown."""
    left, right = [p for p in left if _identified(p)], [p for p in right if _identified(p)]
    if not left or not right:
        return None
    return max(participant_agreement(x, y) for x in left for y in right)


def _actor_agreement(a: Mention, b: Mention) -> float | None:
    """Mean agreement of the known sides (`UNKNOWN_ONE` when none is known); None when the
    participants of a symmetric event, or the sources (who acted) of a directed one,
    are different actors. Targets that differ only lower the agreement: reports of one
    attack name different victims (its soldiers, its civilians); with death tolls far apart
    they are distinguishing evidence (`_different_tolls`)."""
    if a.type in SYMMETRIC_TYPES or b.type in SYMMETRIC_TYPES:
        sides = [_side_agreement(a.sources + a.targets, b.sources + b.targets)]
    else:
        sides = [_side_agreement(a.sources, b.sources), _side_agreement(a.targets, b.targets)]
    if sides[0] == 0.0:
        return None
    known = [s for s in sides if s is not None]
    return sum(known) / len(known) if known else UNKNOWN_ONE


def stated_targets(m: Mention) -> tuple[Participant, ...]:
    """The targets words of the event state (`Participant.stated`), not those a rule of the
    events stage inferred (an attack on unnamed victims targets the state where it happened):
    only what a report states can distinguish its event from another's."""
    return tuple(p for p in m.targets if p.stated)


def _different_tolls(a: Mention, b: Mention) -> bool:
    """Death tolls too far apart for one event told at two moments, and stated targets
    (`stated_targets`) that are known on both sides but only compatible (two groups of one
    country), not the same: distinguishing evidence of two attacks. Tolls of one event rise
    as reports come in and a report may count only its own nationals, so only a ratio above
    `TOLL_RATIO` and a difference above `TOLL_MARGIN` count."""
    if a.killed is None or b.killed is None:
        return False
    low, high = sorted((a.killed, b.killed))
    if high - low <= TOLL_MARGIN or high <= TOLL_RATIO * low:
        return False
    targets = _side_agreement(stated_targets(a), stated_targets(b))
    return targets is not None and targets < AGREEMENT_SCORE


TOLL_RATIO = 3.0
TOLL_MARGIN = 10


# -- pairs and clustering ---------------------------------------------------------------------


def text_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two word sets: shared words over the geometric mean of their sizes."""
    if not a or not b:
        return 0.0
    return len(a & b) / (len(a) * len(b)) ** 0.5


def compare(a: Mention, b: Mention, settings: FusionSettings,
            splits: frozenset[frozenset[MentionKey]] = frozenset()) -> PairScore:
    """Whether two mentions may report the same event and how alike they are."""
    if a.family != b.family:
        return PairScore(False, "type")
    if a.reality != b.reality:
        return PairScore(False, "modality")
    if frozenset((a.key, b.key)) in splits:
        return PairScore(False, "split")
    when = _date_agreement(a, b, settings)
    if when is None:
        return PairScore(False, "date")
    where = _place_agreement(a, b)
    if where is None:
        return PairScore(False, "place")
    who = _actor_agreement(a, b)
    if who is None:
        return PairScore(False, "actors")
    if _different_tolls(a, b):
        return PairScore(False, "killed")
    corroborated: tuple[str, ...] = ()
    uncorroborated = False
    if a.doc_id != b.doc_id and (dateless(a) or dateless(b)):
        corroborated = tuple(corroboration(a, b, who, when))
        uncorroborated = not corroborated
    elif a.doc_id != b.doc_id and when < UNKNOWN_ONE and coarse_dates(a, b) and _states_scene(a) and _states_scene(b):
        corroborated = tuple(corroboration(a, b, who, when))
        if corroborated:            # who and where identify the event: the coarse date is only compatible
            when = UNKNOWN_ONE
    text = text_similarity(a.words, b.words)
    total = (settings.weight_date * when + settings.weight_place * where
             + settings.weight_actors * who + settings.weight_text * text)
    if uncorroborated:   # compatible on the facts, but nothing identifies the event: no link
        return PairScore(False, "uncorroborated", when, where, who, round(text, 4), round(total, 4))
    return PairScore(True, None, when, where, who, round(text, 4), round(total, 4), corroborated)


def candidate_pairs(mentions: Sequence[Mention], settings: FusionSettings) -> list[tuple[int, int]]:
    """The pairs `may_pair` accepts, found by sweeping time windows in order (so a corpus of
    years is not compared all against all) and by grouping mentions by document."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, m in enumerate(mentions):
        groups[(m.family, m.reality)].append(index)
    pairs: set[tuple[int, int]] = set()
    slack = timedelta(days=slack_days(settings))
    for members in groups.values():
        pairings = {i: Pairing.of(mentions[i], settings) for i in members}
        windows = {i: pairings[i].window for i in members}
        timed = sorted((i for i in members if windows[i]), key=lambda i: (windows[i], i))
        for position, i in enumerate(timed):
            end = windows[i][1] + slack  # type: ignore[index]
            partners = 0
            for later in range(position + 1, len(timed)):
                j = timed[later]
                if windows[j][0] > end or partners == PARTNERS_PER_MENTION:  # type: ignore[index]
                    break
                if may_pair(pairings[i], pairings[j], settings):
                    pairs.add((min(i, j), max(i, j)))
                    partners += 1
        by_anchor: dict[str, list[int]] = defaultdict(list)   # the scenes of dateless mentions
        for i in members:
            for anchor in pairings[i].anchors:
                by_anchor[anchor].append(i)
        for i in members:
            if windows[i] is None:
                for j in {j for anchor in pairings[i].anchors for j in by_anchor[anchor] if j != i}:
                    if may_pair(pairings[i], pairings[j], settings):
                        pairs.add((min(i, j), max(i, j)))
        by_document: dict[str, list[int]] = defaultdict(list)
        for i in members:
            by_document[mentions[i].doc_id].append(i)
        for same in by_document.values():   # in the order of the text, each with its nearest
            same.sort(key=lambda i: (mentions[i].seq, i))
            for position, i in enumerate(same):
                pairs.update((min(i, j), max(i, j)) for j in same[position + 1:position + 1 + PARTNERS_PER_MENTION])
    return sorted(pairs)


# Bounds that keep fusing a very long report's own mentions linear in their number (a 2 MB
# report codes some 20,000 events, most on its publication day): a mention is paired with at
# most this many later ones of its time sweep and of its document (the nearest first), and an
# event gathers at most MAX_EVENT_MENTIONS mentions (`_join` checks every cross pair of two
# groups). Ingest bounds its stored candidates alike (`canonical.MAX_CANDIDATES`,
# `MAX_COMPONENT_MEMBERS`); the public corpora stay far below both (their largest component
# has 26 members).
PARTNERS_PER_MENTION = 48
MAX_EVENT_MENTIONS = 64


def slack_days(settings: FusionSettings) -> int:
    """How far apart two time windows may lie and still report one event."""
    return max(settings.date_tolerance_days, settings.reporting_lag_days)


def time_window(m: Mention, settings: FusionSettings) -> tuple[date, date] | None:
    """The days a mention may report: its date's span or, undated, its report's days
    (`Mention.report_span`) widened by `undated_reach_days`; None when neither is known."""
    if m.date_span:
        return m.date_span
    if m.report_span is None:
        return None
    reach = timedelta(days=settings.undated_reach_days)
    return m.report_span[0] - reach, m.report_span[1] + reach


def _iso_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Pairing:
    """What decides whether two mentions are compared at all (`may_pair`); built from a
    mention (`Pairing.of`) or from the columns of a stored canonical member."""
    family: str
    reality: str
    doc_id: str
    country: str | None                       # the place's country
    window: tuple[date, date] | None          # `time_window`
    precise: bool                             # `dated_precisely`
    anchors: frozenset[str]                   # `anchors`

    @classmethod
    def of(cls, m: Mention, settings: FusionSettings) -> Pairing:
        return cls(m.family, m.reality, m.doc_id, m.place_country, time_window(m, settings),
                   dated_precisely(m), frozenset(anchors(m)))


def may_pair(a: Mention | Pairing, b: Mention | Pairing, settings: FusionSettings) -> bool:
    """Whether two mentions are compared at all: the same type family and reality, and the
    same document, or places not in two countries, time windows (`time_window`) within
    reach of each other (tolerance and reporting lag) and, unless both are dated precisely
    (`dated_precisely`), a shared anchor (`anchors`). The one predicate of fusion
    (`candidate_pairs`) and of the canonical tables' blocking (`canonical._within_block`). A mention without a time window
    (a document with no date at all) is compared within its document and with the mentions
    of its scene (`anchors`): a report that states no date is matched on where, what and
    in which words, and two scenes' dates never bound it (`canonical.lookup_keys` looks its
    scene up under its place with no year, the `s|` key dated members are registered under too)."""
    first = a if isinstance(a, Pairing) else Pairing.of(a, settings)
    second = b if isinstance(b, Pairing) else Pairing.of(b, settings)
    if first.family != second.family or first.reality != second.reality:
        return False
    if first.doc_id == second.doc_id:
        return True
    if first.country and second.country and first.country != second.country:
        return False
    if first.window is None or second.window is None:
        # a report with no date at all is placed in time by nothing but what it reports:
        # it is compared with the mentions of the same scene (`anchors`: its place, finer
        # than a province), whenever they happened
        return bool(first.anchors & second.anchors)
    slack = timedelta(days=slack_days(settings))
    if second.window[0] > first.window[1] + slack or first.window[0] > second.window[1] + slack:
        return False
    return (first.precise and second.precise) or bool(first.anchors & second.anchors)


# A date spanning more days than this (a quarter, a year) places an event no better than a
# report's day does: such mentions, like undated ones, are compared through shared anchors.
PRECISE_SPAN_DAYS = 31


def dated_precisely(m: Mention) -> bool:
    """Dated to a day, a week or a month: enough to be compared by date alone."""
    return m.date_span is not None and (m.date_span[1] - m.date_span[0]).days < PRECISE_SPAN_DAYS


def anchors(m: Mention) -> set[str]:
    """What an undated or vaguely dated mention is paired through: the names of its
    identified participants (not an unnamed crowd such as "people") and its place. A mention
    with no time window at all (`dateless`) is paired through its scene only: its place when
    it is a district, a city or a place inside one (a country's or a province's name, like
    the names of states and groups, is shared by their events of every year), or any place
    when its date is a day with no year (`month_day`): the day of the year narrows the
    events of a country as a city does those of a year."""
    if dateless(m):
        scene = LEVEL_RANK.get(m.place_level or "", -1) >= LEVEL_RANK["district"] or (
            month_day(m.date_value) is not None and LEVEL_RANK.get(m.place_level or "", -1) >= 0)
        return {f"place:{_place_identity(m)}"} if m.place_name and scene else set()
    keys = {p.key for p in m.sources + m.targets if _identified(p)}
    if m.place_name:
        keys.add(f"place:{_place_identity(m)}")
    return keys


def dateless(m: Mention) -> bool:
    """Neither the mention nor its document states a date (`time_window` is None)."""
    return m.date_span is None and m.report_span is None


@dataclass
class Component:
    """Mentions joined by links (pairs that may merge), and the canonical events fused from
    them. Components are independent: fusing all mentions is fusing each component."""
    id: str
    events: list[CanonicalEvent]


def fuse(mentions: Iterable[Mention], settings: FusionSettings | None = None,
         splits: Iterable[tuple[MentionKey, MentionKey]] = ()) -> list[CanonicalEvent]:
    """Group mentions into canonical events; the result does not depend on input order.

    Returned in timeline order: by date (undated last), then id.
    """
    events = [e for component in fuse_components(mentions, settings, splits) for e in component.events]
    return sorted(events, key=_timeline_order)


def fuse_components(mentions: Iterable[Mention], settings: FusionSettings | None = None,
                    splits: Iterable[tuple[MentionKey, MentionKey]] = (),
                    held: Sequence[Component] = ()) -> list[Component]:
    """The link components of the mentions and their canonical events, ordered by id.

    Links are candidate pairs (`candidate_pairs`) that are compatible and score at least
    `merge_threshold`; they are taken strongest first (ties by mention keys), and two groups
    join only when `_join` allows. A join refused once is not tried again until one of the
    groups grows.

    held: components fused before (`canonical._replace`: large stored ones) whose events
    are kept as groups: their members are not linked again with each other, only with
    `mentions`, so the pairs scored are those of the new mentions and of the groups they
    join, not every pair of the held components.
    """
    settings = settings or FusionSettings()
    held_mentions = [m for component in held for event in component.events for m in event.mentions]
    ordered = sorted([*mentions, *held_mentions], key=lambda m: m.key)
    position = {m.key: i for i, m in enumerate(ordered)}
    kept = {position[m.key] for m in held_mentions}
    apart = frozenset(frozenset(pair) for pair in splits)
    scores: dict[tuple[int, int], PairScore] = {}

    def score(i: int, j: int) -> PairScore:
        pair = (min(i, j), max(i, j))
        if pair not in scores:
            scores[pair] = compare(ordered[pair[0]], ordered[pair[1]], settings, apart)
        return scores[pair]

    links = []
    for i, j in candidate_pairs(ordered, settings):
        if i in kept and j in kept:
            continue
        result = score(i, j)
        if result.compatible and result.total >= settings.merge_threshold:
            links.append((-result.total, ordered[i].key, ordered[j].key, i, j))
    links.sort()

    component_of = list(range(len(ordered)))

    def root(i: int) -> int:
        while component_of[i] != i:
            component_of[i] = component_of[component_of[i]]
            i = component_of[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:
            component_of[max(a, b)] = min(a, b)

    for component in held:   # joined already
        first = position[component.events[0].mentions[0].key]
        for m in (m for event in component.events for m in event.mentions):
            union(first, position[m.key])
    for _, _, _, i, j in links:
        union(i, j)

    cluster_of = list(range(len(ordered)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}
    merges: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(ordered))}
    for event in (e for c in held for e in c.events):
        indexes = sorted(position[m.key] for m in event.mentions)
        for x in indexes:
            members.pop(x)
            merges.pop(x)
            cluster_of[x] = indexes[0]
        members[indexes[0]], merges[indexes[0]] = indexes, list(event.merges)
    version = [0] * len(ordered)
    refused: set[tuple[int, int, int, int]] = set()
    for _, _, _, i, j in links:
        left, right = cluster_of[i], cluster_of[j]
        if left == right:
            continue
        attempt = (left, version[left], right, version[right]) if left < right else (right, version[right], left, version[left])
        too_large = len(members[left]) + len(members[right]) > MAX_EVENT_MENTIONS
        disagreed = None if too_large or attempt in refused else _join(members[left], members[right], score,
                                                          settings.merge_threshold, lambda x: ordered[x].doc_id)
        if disagreed is None:
            refused.add(attempt)
            continue
        keep, gone = min(left, right), max(left, right)
        for x in members[gone]:
            cluster_of[x] = keep
        members[keep].extend(members.pop(gone))
        merges[keep].extend(merges.pop(gone))
        merges[keep].append(_merge_reason(ordered[i], ordered[j], score(i, j), disagreed))
        version[keep] += 1

    grouped: dict[int, list[CanonicalEvent]] = defaultdict(list)
    for first, indexes in members.items():
        group = [ordered[i] for i in sorted(indexes)]
        grouped[root(first)].append(CanonicalEvent(id=_event_id(group), mentions=group, merges=merges[first]))
    components = []
    for first, events in grouped.items():
        keys = sorted(m.key for e in events for m in e.mentions)
        ident = "cc-" + hashlib.sha256(f"{keys[0][0]}:{keys[0][1]}".encode()).hexdigest()[:16]
        components.append(Component(ident, sorted(events, key=_timeline_order)))
    return sorted(components, key=lambda c: c.id)


@dataclass(frozen=True)
class JoinScore:
    """How two groups of mentions compare (`join_score`): the first conflict that forbids
    their join (None: none), the mean over document pairs of their best cross-pair score,
    the number of document pairs, and the soft conflicts met (`SOFT_CONFLICTS`), by count."""
    conflict: str | None
    mean: float
    document_pairs: int
    soft: dict[str, int]


def join_score(left: Sequence[int], right: Sequence[int], score: Callable[[int, int], PairScore],
               document: Callable[[int], Any] | None = None) -> JoinScore:
    """Every cross pair of two groups scored (`score(i, j)`: a `PairScore`), by document pair
    (`document(i)`: the document of mention i; each mention its own by default): the best
    score of each document pair's cross pairs, and their mean. Of the soft conflicts
    (`SOFT_CONFLICTS`), participants that disagree count as 0 and an uncorroborated report
    with its score (compatible on the facts, it only may not link by itself). Stops at the
    first conflict that is not soft."""
    document = document or (lambda i: i)
    best: dict[tuple[Any, Any], float] = {}
    soft: Counter[str] = Counter()
    for x in left:
        for y in right:
            result = score(x, y)
            pair = (document(x), document(y))
            if result.compatible:
                best[pair] = max(best.get(pair, 0.0), result.total)
            elif result.conflict in SOFT_CONFLICTS:   # "actors" carries no score: 0
                soft[result.conflict] += 1
                best[pair] = max(best.get(pair, 0.0), result.total)
            else:
                return JoinScore(result.conflict, 0.0, len(best), dict(soft))
    return JoinScore(None, sum(best.values()) / max(len(best), 1), len(best), dict(soft))


def _join(left: Sequence[int], right: Sequence[int], score: Callable[[int, int], PairScore], threshold: float,
          document: Callable[[int], Any] | None = None) -> list[str] | None:
    """Whether two groups may join: None when not, else the fields on which they disagree.

    Every cross pair must be compatible on the facts, and the reports must agree: the mean
    over document pairs of their best cross-pair score (`join_score`) must reach the
    threshold. A report tells its event more than once (the lede, a paragraph on the
    victims, a later "the bombing"), and its vaguer retellings say nothing against another
    report's account: the reports compare by their best accounts. Reports of one event name
    its actors differently (the first blames one group, a later one the group that claimed
    it; one names the attackers, another the forces that ended the siege): participants that
    disagree (`SOFT_CONFLICTS`) forbid two mentions to link directly, but between groups
    they only count as no agreement (0), and the merge records them (as it records an
    uncorroborated report, which counts with its score); dates, places, tolls,
    types, modality and splits forbid the join."""
    found = join_score(left, right, score, document)
    if found.conflict is not None or found.mean < threshold:
        return None
    return sorted(found.soft)


# Conflicts that forbid a link between two mentions but not the join of their groups.
SOFT_CONFLICTS = frozenset({"actors", "uncorroborated"})


def corroboration(a: Mention, b: Mention, actors: float, when: float) -> list[str]:
    """The facts two mentions agree on that identify an event beyond its scene, each by the
    name of its field (empty: uncorroborated): "participants" (`AGREEMENT_SCORE`: one name, a
    distinctive name word), "target" (a target both state by one name, whoever the sources),
    "killed"/"injured" (the same toll), "day" (the same day of the year: `month_day`), "names"
    (a proper name both sentences use that is neither their place nor a country: "the Abbey
    Gate", "the Army Public School"). A report that states no date at all (`dateless`) is
    compared with the events of its scene in every year, so sharing the place and the type
    (and an unknown date) says little: two attacks in one city, years apart, share as much."""
    found = []
    if actors >= AGREEMENT_SCORE:
        found.append("participants")
    targets = _side_agreement(stated_targets(a), stated_targets(b))
    if targets is not None and targets >= AGREEMENT_SCORE:
        found.append("target")
    found.extend(name for name in ("killed", "injured")
                 if getattr(a, name) is not None and getattr(a, name) == getattr(b, name))
    if when >= AGREEMENT_SCORE and (month_day(a.date_value) or month_day(b.date_value)):
        found.append("day")
    if shared_names(a, b):
        found.append("names")
    return found


# A field agrees when its score reaches this; below it the values were only compatible
# (one contains the other, one is unknown, a date only the publication day).
AGREEMENT_SCORE = 0.7


def _merge_reason(a: Mention, b: Mention, result: PairScore, disagreed: Sequence[str] = ()) -> dict[str, Any]:
    """Why two mentions were linked: the field scores, which fields agreed and which were
    only compatible, the fields on which mentions of the joined groups disagree
    (`SOFT_CONFLICTS`), and a readable sentence."""
    parts = [f"same type {a.type}" if a.type == b.type else f"types {a.type} ~ {b.type} (one family)"]
    if a.date_value and b.date_value:
        parts.append(f"dates {a.date_value} ~ {b.date_value} ({result.date:.2f})")
    if a.place_name and b.place_name:
        parts.append(f"places {a.place_name} ~ {b.place_name} ({result.place:.2f})")
    parts.append(f"participants {result.actors:.2f}")
    parts.append(f"text {result.text:.2f}")
    if result.corroborated and (dateless(a) or dateless(b)):   # the facts that identify the event
        parts.append(f"undated report corroborated by {', '.join(result.corroborated)}")
    elif result.corroborated:
        parts.append(f"coarse date only compatible, corroborated by {', '.join(result.corroborated)}")
    fields = {"type": 1.0 if a.type == b.type else 0.5, "date": result.date, "place": result.place,
              "participants": result.actors}
    for toll in ("killed", "injured"):     # counts both state: the same, or only compatible
        first, second = getattr(a, toll), getattr(b, toll)
        if first is not None and second is not None:
            fields[toll] = 1.0 if first == second else 0.5
            parts.append(f"{toll} {first} ~ {second}")
    return {
        "mentions": [f"{a.doc_id}:{a.event_id}", f"{b.doc_id}:{b.event_id}"],
        "score": result.total, "date": result.date, "place": result.place,
        "actors": result.actors, "text": result.text,
        "agreed": [name for name, value in fields.items() if value >= AGREEMENT_SCORE],
        "compatible": [name for name, value in fields.items() if value < AGREEMENT_SCORE],
        "disagreed": ["participants" if name == "actors" else name for name in disagreed],
        "corroborated": list(result.corroborated),
        "why": "; ".join(parts + ([f"joined although the groups disagree on {', '.join(disagreed)}"]
                                  if disagreed else [])),
    }


def _event_id(group: Sequence[Mention]) -> str:
    """`ev-` and 16 hex digits naming the group's first report (published, then key).

    Stable across re-fusion unless an earlier report of the same event is ingested.
    """
    anchor = min(group, key=_report_order)
    return "ev-" + hashlib.sha256(f"{anchor.doc_id}:{anchor.event_id}".encode()).hexdigest()[:16]


def _report_order(m: Mention) -> tuple[Any, ...]:
    return (m.published or "9999", m.doc_id, m.seq, m.event_id)


def _timeline_order(event: CanonicalEvent) -> tuple[Any, ...]:
    when = event.best_date()
    key = _date_key(when[0]) if when else None
    return (key is None, key or "", event.id)


# -- choosing values ---------------------------------------------------------------------------


def _field_values(m: Mention, name: str) -> list[Any]:
    if name == "date":
        return [m.date_value] if m.date_value else []
    if name == "place":
        return [m.place_name] if m.place_name else []
    if name == "source":
        return [p.name for p in m.sources]
    if name == "target":
        return [p.name for p in m.targets]
    value = getattr(m, name)
    return [] if value is None else [value]


def _most_common(values: Iterable[Any], order: Sequence[Any] = ()) -> Any:
    """The most frequent non-None value; ties go to `order`, then to the smallest."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    rank = {v: i for i, v in enumerate(order)}
    return min(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), str(v)))


def _most_common_number(values: Iterable[int | None]) -> int | None:
    """The most reported figure; ties go to the larger (tolls tend to rise as reports come)."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], -v))


def _participants(mentions: Sequence[Mention], side: str) -> list[Participant]:
    """Distinct participants of one side, most documents first, then by name."""
    docs: dict[str, set[str]] = defaultdict(set)
    first: dict[str, Participant] = {}
    for m in sorted(mentions, key=_report_order):
        for p in getattr(m, side):
            docs[p.key].add(m.doc_id)
            first.setdefault(p.key, p)
    return [first[k] for k in sorted(first, key=lambda k: (-len(docs[k]), list(first).index(k)))]


# -- documents and the store -----------------------------------------------------------------


def headlines(events: Sequence[CanonicalEvent]) -> dict[str, tuple[str, MentionKey]]:
    """Each document's headline event: (canonical id, the mention that makes it the headline).

    The headline is the act the report is about: the mention of highest `salience` among
    its current (not historical) mentions, ties to the earlier in the text. When the chosen
    one is a statement (`VERBAL_TYPES`) and the evidence of an act lies inside its own ("X
    condemned the attack on the school"), the act is the story and the statement a reaction.
    """
    event_of: dict[MentionKey, str] = {}
    per_doc: dict[str, list[Mention]] = defaultdict(list)
    for event in events:
        for m in event.mentions:
            event_of[m.key] = event.id
            per_doc[m.doc_id].append(m)
    result = {}
    for doc_id, found in sorted(per_doc.items()):
        current = [m for m in found if m.modality != "historical"] or found
        first = min(current, key=_text_order)
        retold = Counter(event_of[m.key] for m in current)
        chosen = min(current, key=lambda m: (-salience(m, first, retold[event_of[m.key]] - 1), _text_order(m)))
        inner = [m for m in current if m is not chosen and _inside(m, chosen)
                 and chosen.type in VERBAL_TYPES and m.type not in VERBAL_TYPES]
        if inner:
            chosen = min(inner, key=_text_order)
        result[doc_id] = (event_of[chosen.key], chosen.key)
    return result


@dataclass(frozen=True)
class SalienceWeights:
    """What makes a mention the main act of its report (`salience`): news is written as an
    inverted pyramid, its title and lead state the story, and the story is the act the
    report comes back to, counts the victims of, dates and places."""
    title_trigger: float = 2.0     # the title uses the mention's trigger word ("Car Bomb ... Kills 100")
    title_type: float = 1.0        # a title word is a trigger of the mention's type ("... Massacre")
    lede: float = 1.0              # the first current mention of the text
    lead: float = 1.0              # evidence within the first LEAD_CHARS of the body
    retold: float = 0.5            # per other mention of the document in the same canonical event
    retold_cap: float = 1.0
    act: float = 1.0               # an act, not a statement about one (`VERBAL_TYPES`): what reports react to
    casualties: float = 1.0        # it counts the dead or injured
    stated_date: float = 0.5       # its text dates it (not only the publication day)
    place: float = 0.5
    not_factual: float = -3.0      # future, negated or hypothetical: not what happened
    background: float = -2.0       # dated well before the report was published
    quoted: float = -0.5           # inside a quotation: what someone said


SALIENCE = SalienceWeights()
LEAD_CHARS = 400
BACKGROUND_DAYS = 31


def salience(m: Mention, first: Mention, retold: int, weights: SalienceWeights = SALIENCE) -> float:
    """How strongly a report presents `m` as its main act: `first` is the document's first
    current mention in text order, `retold` the number of its other mentions of the same
    canonical event. Weights: `SalienceWeights`."""
    score = 0.0
    title = _stems(m.title or "")
    if _stems(m.trigger or "") & title:
        score += weights.title_trigger
    elif any(m.type in _title_types().get(word, ()) for word in title):
        score += weights.title_type
    if m is first:
        score += weights.lede
    if m.evidence_start is not None and m.evidence_start < LEAD_CHARS:
        score += weights.lead
    score += min(weights.retold * retold, weights.retold_cap)
    if m.type not in VERBAL_TYPES:
        score += weights.act
    if m.killed is not None or m.injured is not None:
        score += weights.casualties
    if m.date_span is not None and not m.date_from_publication:
        score += weights.stated_date
    if m.place_name:
        score += weights.place
    if m.reality != "factual":
        score += weights.not_factual
    published = _iso_day(m.published)
    if m.date_span and published and (published - m.date_span[1]).days > BACKGROUND_DAYS:
        score += weights.background
    if m.quote_seq is not None:
        score += weights.quoted
    return score


def _word_stem(word: str) -> str:
    """A crude stem that lets a title's inflection meet a trigger's ("Kills" ~ "killed",
    "Bombings" ~ "bombing", "Massacre" ~ "massacred")."""
    word = word.casefold().strip("'’").removesuffix("'s").removesuffix("’s")
    for suffix, replacement in (("ings", ""), ("ing", ""), ("ies", "i"), ("ied", "i"), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not (suffix == "s" and word.endswith("ss")):
            word = word[: len(word) - len(suffix)] + replacement
            break
    return word.removesuffix("e") if len(word) > 3 else word


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    """The stems (`_word_stem`) of a text's words, stopwords left out."""
    return frozenset(_word_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z'’]+", text)
                     if len(w) > 2 and w.casefold() not in _STOPWORDS)


@cache
def _title_types() -> dict[str, frozenset[str]]:
    """Stem of each trigger word of the event lexicon (`data/event_lexicon.yaml`, verbs and
    nouns) -> the PLOVER types it codes."""
    from .resources import load_yaml

    data = load_yaml("event_lexicon.yaml")
    types: dict[str, set[str]] = defaultdict(set)
    for section in ("verbs", "nouns"):
        for lemma, spec in data[section].items():
            if " " not in lemma:
                types[_word_stem(lemma)].add(spec["type"])
    return {stem: frozenset(found) for stem, found in types.items()}


def _text_order(m: Mention) -> tuple[int, int, str]:
    return (m.evidence_start if m.evidence_start is not None else 1 << 30, m.seq, m.event_id)


def _inside(inner: Mention, outer: Mention) -> bool:
    """True when `inner`'s evidence lies within `outer`'s and is shorter."""
    if None in (inner.evidence_start, inner.evidence_end, outer.evidence_start, outer.evidence_end):
        return False
    return (outer.evidence_start <= inner.evidence_start and inner.evidence_end <= outer.evidence_end  # type: ignore[operator]
            and (inner.evidence_end - inner.evidence_start) < (outer.evidence_end - outer.evidence_start))  # type: ignore[operator]


def fuse_store(store: Any, settings: FusionSettings | None = None) -> list[CanonicalEvent]:
    """Canonical events of every event stored in `store` (a `newsledger.store.Store`): read
    from its canonical tables (`newsledger.canonical`, maintained on ingest) when they hold
    every event and no other settings are asked for, else fused from the stored rows."""
    from .canonical import is_current, read_canonical

    if settings is None and is_current(store):
        return read_canonical(store)
    inputs = store.fusion_inputs()
    splits = [((s["doc_a"], s["event_a"]), (s["doc_b"], s["event_b"])) for s in inputs["splits"]]
    return fuse(mentions_from_rows(inputs), settings, splits)


def split_pairs(event: CanonicalEvent, leaving: Iterable[MentionKey]) -> list[tuple[MentionKey, MentionKey]]:
    """The keep-apart pairs that take `leaving` out of `event` (each leaving mention against
    each staying one); the leaving mentions may still merge among themselves."""
    keys = {m.key for m in event.mentions}
    out = sorted(set(leaving))
    unknown = [k for k in out if k not in keys]
    if unknown:
        from .errors import NewsledgerError
        raise NewsledgerError("E402", f"not a mention of {event.id}: {', '.join(':'.join(k) for k in unknown)}")
    staying = sorted(keys - set(out))
    if not staying:
        from .errors import NewsledgerError
        raise NewsledgerError("E402", "a split must leave at least one mention in the event")
    return [(a, b) for a in out for b in staying]


# -- choosing canonical events ----------------------------------------------------------------


@dataclass(frozen=True)
class EventFilter:
    """Filters over canonical events, with the meaning of `Store.events`' filters.

    actor: case-insensitive substring of a participant's name; type: a PLOVER type;
    country: ISO alpha-3 of a participant; since/until: YYYY, YYYY-MM or YYYY-MM-DD against
    the same-length prefix of the canonical date (undated events are then left out);
    text: case-insensitive substring of any mention's evidence or its document's title.
    """
    actor: str | None = None
    type: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None

    def validated(self) -> EventFilter:
        """The same filter normalised, or E402 naming the bad value."""
        from .store import checked_filters

        kind, country = checked_filters(self.type, self.country, self.since, self.until)
        return EventFilter(self.actor or None, kind, country, self.since or None, self.until or None,
                           self.text or None)

    def matches(self, event: CanonicalEvent) -> bool:
        if self.type and event.type != self.type:
            return False
        people = [p for m in event.mentions for p in m.sources + m.targets]
        if self.actor and not any(self.actor.casefold() in p.name.casefold() for p in people):
            return False
        if self.country and not any(p.country == self.country for p in people):
            return False
        if self.since or self.until:
            when = event.best_date()
            key = _date_key(when[0]) if when else None
            if key is None:
                return False
            if self.since and key[: len(self.since)] < self.since:
                return False
            if self.until and key[: len(self.until)] > self.until:
                return False
        if self.text:
            needle = self.text.casefold()
            if not any(needle in (m.evidence_text or "").casefold() or needle in (m.title or "").casefold()
                       for m in event.mentions):
                return False
        return True


def select(events: Iterable[CanonicalEvent], wanted: EventFilter) -> list[CanonicalEvent]:
    """The events that match every filter, in their given (timeline) order."""
    checked = wanted.validated()
    return [event for event in events if checked.matches(event)]
