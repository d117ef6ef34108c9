"""The typed document that flows through every stage, and its layers.

A `Document` starts as raw text plus metadata hints from a reader (see `newsledger.ingest`).
The clean stage sets `body`; every later layer's offsets index into that body. Each stage
adds one layer and never rewrites another (see `newsledger.pipeline`).
"""
from __future__ import annotations

import copy
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from functools import cache
from typing import Any

SCHEMA = "newsledger-doc/1"

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
PRECISIONS = ("century", "decade", "year", "quarter", "month", "week", "day", "time", "ref", "duration")
MODALITIES = ("asserted", "future", "negated", "hypothetical", "historical")
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)


def normalise_body(text: str) -> str:
    """The form a body is hashed in: NFC, unified line ends, runs of blanks folded."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \t]+", " ", text).strip()


def document_id(body: str) -> str:
    return hashlib.sha256(normalise_body(body).encode("utf-8")).hexdigest()


_IMMUTABLE_LEAVES = (str, int, float, bool, type(None), date)


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type, in order; None for any other type."""
    return tuple(f.name for f in fields(cls)) if hasattr(cls, "__dataclass_fields__") else None


def plain(value: Any) -> Any:
    """`dataclasses.asdict` of a layer item, made faster for long documents (a 1M-character
    report has tens of thousands of items): the field names of each class are read once, and
    immutable leaves (text, numbers, dates, None) are kept instead of deep-copied. Lists,
    tuples (named ones too) and dicts are rebuilt as asdict rebuilds them."""
    cls = type(value)
    if cls in _IMMUTABLE_LEAVES:
        return value
    if cls is list:
        return [plain(v) for v in value]
    names = _field_names(cls)
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, tuple):
        items = [plain(v) for v in value]
        return cls(*items) if hasattr(value, "_fields") else cls(items)
    if isinstance(value, list):
        return cls(plain(v) for v in value)
    if isinstance(value, dict):
        return cls((plain(k), plain(v)) for k, v in value.items())
    return copy.deepcopy(value)


@dataclass
class Meta:
    """What is known about a document besides its text. Readers fill hints; clean completes."""
    source: str = ""                 # file path, URL or "<stdin>": where the document came from
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    published_source: str | None = None   # how `published` was found: option, html, footer, ...
    dateline: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass
class Span:
    text: str
    start: int
    end: int


@dataclass
class Timex:
    text: str
    start: int
    end: int
    type: str                         # one of TIMEX_TYPES
    value: str                        # TIMEX3 value: 2023-03-07, 2023-W10, P2D, PAST_REF, ...
    precision: str                    # one of PRECISIONS
    anchor: str | None = None         # "published", "narrative" or None for absolute values
    mod: str | None = None            # TIMEX3 modifier: EARLY, LATE, APPROX, MORE_THAN, ...


@dataclass
class Place:
    text: str
    start: int
    end: int
    geonameid: int | None             # None only for a division the packaged gazetteer lacks
    name: str
    country: str                      # ISO 3166 alpha-2
    lat: float | None
    lon: float | None
    feature: str                      # GeoNames feature code: PCLI, ADM1, PPLC, PPL, ...
    level: str                        # continent, country, province, district, city, sub-city
    kind: str = "toponym"             # toponym; demonym ("Afghan"); metonym ("Washington said");
                                      # in-name: inside an organisation's name ("Paris Police Department")
    iso3: str | None = None           # the country's ISO 3166 alpha-3
    admin1: str | None = None         # first-order division containing it (or itself), by name
    admin1_code: str | None = None    # ... its ISO 3166-2 code ("PK-KP")
    admin2: str | None = None         # second-order division (or US county) containing it, or itself
    admin2_code: str | None = None    # ... its ISO 3166-2 code (a US county: "US-" + FIPS)
    precision: str | None = None      # of the point: city, admin2, admin1, country, region


@dataclass
class Actor:
    id: str                           # a1, a2, ... inside this document
    name: str
    kind: str                         # state, organisation, person, group; place; source ("the report says")
    country: str | None               # ISO 3166 alpha-3, or IGO/NGO/... codes as PLOVER uses
    sector: str | None                # PLOVER/CAMEO sector: GOV, MIL, REB, IGO, ...
    role: str | None = None
    wikidata: str | None = None
    known: bool = False               # True when it came from the actor dictionary
    mentions: list[Span] = field(default_factory=list)


@dataclass
class Quote:
    kind: str                         # direct or indirect
    text: str                         # the segments' words, joined by " … " where a cue interrupts them
    start: int                        # start of the first segment
    end: int                          # end of the last segment
    speaker: str | None               # actor id
    speaker_text: str | None
    cue: str | None
    cue_start: int | None = None
    segments: list[Span] = field(default_factory=list)   # the quoted stretches ("“A,” he said, “B.”": A and B)

    def __post_init__(self) -> None:
        if not self.segments:             # one stretch: the quote itself
            self.segments = [Span(self.text, self.start, self.end)]


@dataclass
class EventDate:
    value: str
    precision: str
    anchor: str                       # clause, sentence, narrative, published
    text: str | None = None
    start: str | None = None          # first and last day of a multi-day event ("a two-day
    end: str | None = None            # dialogue that ended on Tuesday"), when the text fixes them


@dataclass
class EventPlace:
    geonameid: int | None
    name: str
    country: str
    basis: str = "clause"             # where it was found: clause, sentence, paragraph, document
    admin1: str | None = None         # the place's hierarchy and point (see Place)
    admin1_code: str | None = None
    admin2: str | None = None
    admin2_code: str | None = None
    precision: str | None = None
    lat: float | None = None
    lon: float | None = None

    @classmethod
    def of(cls, place: Place, basis: str) -> EventPlace:
        """An event's place from a place of the document."""
        return cls(place.geonameid, place.name, place.country, basis, place.admin1, place.admin1_code,
                   place.admin2, place.admin2_code, place.precision, place.lat, place.lon)


@dataclass
class Event:
    id: str
    type: str
    mode: str | None
    context: list[str]
    modality: str
    source: list[str]                 # actor ids
    target: list[str]
    date: EventDate | None
    place: EventPlace | None
    evidence: Span
    confidence: float
    cameo: str | None = None
    trigger: str | None = None
    killed: int | None = None         # the stated count; for a range ("dozens") its low bound
    injured: int | None = None
    quote: int | None = None          # position in `quotes` of the quote that states it
    killed_max: int | None = None     # upper bound: = killed when exact, higher for a range, None when open-ended
    injured_max: int | None = None
    # ids among `source`/`target` that no words of the event state, inferred by a rule: the state
    # where an attack with no victim of stated country happened, the authorities of the country
    # where an arrest by no named agent happened. Fusion compares stated participants only.
    inferred: list[str] = field(default_factory=list)


@dataclass
class Document:
    raw: str
    meta: Meta = field(default_factory=Meta)
    body: str | None = None
    spacy_doc: Any = None             # spacy.tokens.Doc over `body`; never serialised
    timexes: list[Timex] | None = None
    places: list[Place] | None = None
    actors: list[Actor] | None = None
    quotes: list[Quote] | None = None
    events: list[Event] | None = None

    @property
    def id(self) -> str:
        return document_id(self.body if self.body is not None else self.raw)

    def to_json(self) -> dict[str, Any]:
        """The `newsledger-doc/1` record."""
        m = self.meta
        return {
            "schema": SCHEMA,
            "id": self.id,
            "document": {
                "title": m.title, "outlet": m.outlet,
                "published": m.published.isoformat() if m.published else None,
                "published_source": m.published_source,
                "dateline": m.dateline, "url": m.url, "source": m.source,
                "body": self.body,
            },
            "timexes": [plain(t) for t in self.timexes or []],
            "places": [plain(p) for p in self.places or []],
            "actors": [plain(a) for a in self.actors or []],
            "quotes": [plain(q) for q in self.quotes or []],
            "events": [plain(e) for e in self.events or []],
        }


@dataclass
class Failure:
    """A document that could not be processed: stored with its reason, the batch goes on."""
    source: str
    code: str
    message: str
    stage: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"schema": "newsledger-error/1", **asdict(self)}
