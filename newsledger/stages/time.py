"""The time stage: find temporal expressions in the body and normalise them to TIMEX3.

Two parts, separately testable:

* `normalise(text, dct, tense)` is a pure function (no spaCy) turning one expression such as
  "on Tuesday", "Feb 22", "more than a week" or "the 1990s" into a `Normalised` TIMEX3 record.
* `run(doc, settings)` finds candidates with `find_candidates` (expression shapes, by regex: the
  stage needs no named entities, so a dates-only run skips spaCy's NER, its costliest
  component), reads the tense of the governing verb from the parse,
  normalises each candidate and resolves narrative expressions ("two days later") against the
  latest date stated before them.

Direction rules for expressions that name a calendar unit without fixing it (a weekday, a
month, a season, a month and day without a year), decided for news copy:

1. "last"/"next"/"this" in the expression win: "last Tuesday" = the one strictly before the
   document creation time (dct), "next Tuesday" strictly after, "this Tuesday" = in the dct's
   ISO week.
2. Weekdays. Tense "past" -> the latest occurrence on or before the dct, the dct itself
   included; "future" -> the earliest on or after it, the dct included; present or unknown ->
   the nearest (ties go back). So a bare weekday equal to the dct's weekday is the dct day in
   every tense: wire and web copy date same-day events by weekday ("Obama said Tuesday" in a
   Tuesday story, "Tuesday's Taliban attack"); an event a week old is "last Tuesday" or dated.
3. Months, seasons and month-days without a year: the nearest occurrence, where tense only
   leans: under a past verb a candidate after the dct counts LEAN_DAYS (90) further away,
   under a future verb one before it does. So "Feb 22" in a March paper is this February,
   "Dec 30" in a 2 January paper is last December, "Jan. 14" in a 6 January paper is this
   January even in a past-tense clause ("agreed to finish by Jan. 14"), while "Aug. 14" there
   is last August. (Forcing the side by tense lost many such dates on TempEval-3.) A month
   alone is coarser, so a past verb pushes it back by MONTH_LEAN_DAYS (180) instead ("sold in
   March" in a November paper is this March, "due to close in January" next January) and a
   future verb takes the next occurrence, the dct's month included.
5. A quarter without a year is the dct's year's, or last year's when it has not begun yet and
   the verb is not future ("the fourth quarter" in a January paper). "The quarter", "the
   latest quarter", "a year earlier" and "the year-ago quarter" follow results copy: the quarter
   stated last in the text (else the last completed one) and that quarter a year before.
6. In an undated document the latest date stated earlier in the text stands in for the dct
   (anchor "narrative"), nearest occurrence: "On 27 August" after "26 August 2021".

With no dct, relative expressions get unresolved TIMEX3 values with the right granularity
(`XXXX-02-22`, `XXXX-WXX-2`, `XXXX-XX-XX`) and never an invented date.

Leading prepositions that change the meaning of a date become TIMEX3 modifiers: "since" ->
ON_OR_AFTER, "after" -> AFTER, "before" -> BEFORE, "by"/"until"/"till" -> ON_OR_BEFORE,
"within" -> LESS_THAN (durations). Other modifiers: EARLY, LATE, START, MID, END, APPROX,
MORE_THAN, LESS_THAN, EQUAL_OR_MORE.
"""
from __future__ import annotations

import calendar
import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, Callable

from dateutil.easter import easter

from ..model import Document, Timex
from ..resources import load_tsv
from ..verbdict import regular_forms
from . import Stage

# ---------------------------------------------------------------------------------------------
# Lexicon

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS: dict[str, int] = {      # ISO weekday numbers, Monday = 1
    "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thu": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
    "sunday": 7, "sun": 7,
}
SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
SEASON_MONTH: dict[str, int] = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}   # a representative month
DAY_PARTS: dict[str, str] = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
UNITS: dict[str, str] = {          # unit word -> TIMEX3 duration unit
    "second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W",
    "fortnight": "W", "month": "M", "year": "Y", "decade": "DE", "century": "CE",
}
SMALL_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "dozen": 12, "a dozen": 12, "a couple of": 2, "a couple": 2, "couple of": 2,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
VAGUE_NUMBERS = ("a few", "few", "several", "many", "some", "numerous", "the", "")
ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "twenty-first": 21,
}
PREPOSITION_MODS: dict[str, str | None] = {
    "on": None, "in": None, "during": None, "through": None, "throughout": None, "at": None,
    "from": "ON_OR_AFTER", "since": "ON_OR_AFTER", "as of": None, "after": "AFTER",
    "before": "BEFORE", "by": "ON_OR_BEFORE", "until": "ON_OR_BEFORE", "till": "ON_OR_BEFORE",
    "within": "LESS_THAN",
}
QUANTITY_MODS: dict[str, str] = {
    "more than": "MORE_THAN", "over": "MORE_THAN", "upwards of": "MORE_THAN",
    "at least": "EQUAL_OR_MORE", "less than": "LESS_THAN", "fewer than": "LESS_THAN",
    "under": "LESS_THAN", "nearly": "LESS_THAN", "almost": "LESS_THAN", "just under": "LESS_THAN",
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX",
    "some": "APPROX", "just over": "MORE_THAN",
}
POSITION_MODS: dict[str, str] = {
    "early": "EARLY", "late": "LATE", "mid": "MID", "the middle of": "MID", "middle of": "MID",
    "the beginning of": "START", "beginning of": "START", "the start of": "START",
    "start of": "START", "the end of": "END", "end of": "END", "the dawn of": "START",
}
# Bare "past", "future", "earlier", "later", "once" and "yet" are left out: in news copy they are
# far more often not time expressions at all.
PAST_REFS = frozenset({
    "recently", "the past", "previously", "formerly", "recent days", "recent weeks",
    "recent months", "recent years", "the recent past", "lately", "the old days",
})
PRESENT_REFS = frozenset({
    "now", "right now", "currently", "at present", "nowadays", "these days", "the present",
    "to date", "so far", "at the moment", "for now", "just now",
})
FUTURE_REFS = frozenset({
    "the future", "soon", "the near future", "the coming days", "the coming weeks",
    "the coming months", "the coming years", "the days ahead", "the weeks ahead",
    "the months ahead", "the years ahead", "shortly",
})
MIN_YEAR, MAX_YEAR = 1000, 2199


# ---------------------------------------------------------------------------------------------
# The result type and value helpers


@dataclass(frozen=True)
class Normalised:
    """One expression in TIMEX3 terms. `anchor` is "published" when the value was computed from
    the document creation time, "narrative" when from an earlier date in the text, else None."""
    type: str
    value: str
    precision: str
    anchor: str | None = None
    mod: str | None = None


def precision_of(value: str) -> str:
    """The granularity a TIMEX3 value states (one of model.PRECISIONS), read off its shape."""
    if value.endswith("_REF"):
        return "ref"
    if value.startswith("P"):
        return "duration"
    if "T" in value:
        return "time"
    shapes = (
        (r"[\dX]{4}-[\dX]{2}-[\dX]{2}", "day"), (r"[\dX]{4}-W[\dX]{2}-\d", "day"),
        (r"[\dX]{4}-W[\dX]{2}(-WE)?", "week"), (r"[\dX]{4}-(Q[\dX]|SP|SU|FA|WI)", "quarter"),
        (r"[\dX]{4}-[\dX]{2}", "month"), (r"[\dX]{4}(-H[\dX])?", "year"),
        (r"[\dX]{3}", "decade"), (r"[\dX]{2}", "century"),
    )
    for shape, precision in shapes:
        if re.fullmatch(shape, value):
            return precision
    return "day"


def _result(value: str, anchor: str | None, mod: str | None = None, kind: str | None = None) -> Normalised:
    """A Normalised whose type and precision follow from its value unless `kind` is given."""
    if kind is None:
        if value.endswith("_REF"):
            kind = "DATE"
        else:
            kind = "DURATION" if value.startswith("P") else ("TIME" if "T" in value else "DATE")
    return Normalised(kind, value, precision_of(value), anchor, mod)


def _day(d: date) -> str:
    return d.isoformat()


def _week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _valid_day(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist ("February 30") or the year is out of range."""
    if not MIN_YEAR <= year <= MAX_YEAR or not 1 <= month <= 12:
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _add_months(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + (d.month - 1) + months
    return index // 12, index % 12 + 1


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


LEAN_DAYS = 90   # how far past tense pushes a month and day without a year back (future: forward)
MONTH_LEAN_DAYS = 180   # the same for a month alone: coarser, so tense weighs more


def _choose(candidates: list[date], reference: date, direction: str, lean_days: int = LEAN_DAYS) -> date | None:
    """Pick among candidate dates. "past" = latest on or before the reference, "future" =
    earliest on or after it, "nearest" = closest; "lean_past" / "lean_future" = closest after
    adding LEAN_DAYS to the distance of candidates on the wrong side. Ties go to the past."""
    if not candidates:
        return None
    if direction == "past":
        before = [c for c in candidates if c <= reference]
        return max(before) if before else None
    if direction == "future":
        after = [c for c in candidates if c >= reference]
        return min(after) if after else None

    def cost(candidate: date) -> tuple[int, bool]:
        days = (candidate - reference).days
        against = days > 0 and direction == "lean_past" or days < 0 and direction == "lean_future"
        return abs(days) + (lean_days if against else 0), candidate > reference

    return min(candidates, key=cost)


def _direction(tense: str | None, default: str = "past", lean: bool = False) -> str:
    """Which way an underspecified date points, from the tense of its verb (see module doc).
    With `lean`, tense only biases a nearest-occurrence choice instead of forcing a side."""
    if tense in ("past", "future"):
        return f"lean_{tense}" if lean else tense
    return default


# ---------------------------------------------------------------------------------------------
# Numbers


def parse_number(words: str) -> int | None:
    """An integer from digits or English number words ("21", "twenty-four", "a couple of");
    None when there is no definite number ("several", "a few")."""
    words = words.strip().lower()
    if re.fullmatch(r"\d{1,4}", words):
        return int(words)
    if words in SMALL_NUMBERS:
        return SMALL_NUMBERS[words]
    match = re.fullmatch(r"(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](\w+))?", words)
    if match:
        unit = SMALL_NUMBERS.get(match.group(2) or "", 0) if match.group(2) else 0
        if match.group(2) and (unit == 0 or unit > 9):
            return None
        return TENS[match.group(1)] + unit
    match = re.fullmatch(r"(a|one|two|three|four|five|six|seven|eight|nine) hundred", words)
    if match:
        return SMALL_NUMBERS[match.group(1)] * 100
    return None


_NUMBER_WORDS = (
    r"(?:\d{1,4}|a couple of|a dozen|a few|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|dozen|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|several|many|some|numerous|few)"
)
_UNIT_WORDS = r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|centur(?:y|ie))"


def _duration_value(count: int | None, unit_word: str) -> str | None:
    """TIMEX3 duration for a count of a unit: P2D, PT3H, P20Y; PXY when the count is vague."""
    unit_word = unit_word.lower().rstrip("s")
    if unit_word.startswith("centur"):
        unit_word = "century"
    unit = UNITS.get(unit_word)
    if unit is None:
        return None
    if count is not None and count <= 0:
        return None
    if unit_word == "fortnight":
        count = None if count is None else count * 2
    if count is not None and unit in ("DE", "CE"):
        count, unit = count * (10 if unit == "DE" else 100), "Y"
    amount = "X" if count is None else str(count)
    if unit_word in ("second", "minute", "hour"):
        return f"PT{amount}{unit}"
    return f"P{amount}{unit}"


# ---------------------------------------------------------------------------------------------
# Cleaning and peeling modifiers


def _clean(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, no footnote marks or stray punctuation,
    no possessive ending ("Tuesday's" -> "tuesday")."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"\[\d*\]?|\[", " ", text)
    text = re.sub(r"\s+", " ", text).strip().lower()
    text = re.sub(r"'s$|s'$", "", text)
    text = text.strip(" ,;:!?\"()")
    text = re.sub(r"(?<![ap]\.m)(?<!\b[ap]m)\.$", "", text)   # sentence full stop, not "p.m."
    return text


@cache
def _peel_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching the longest of the phrases at the start of a text."""
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile("(" + "|".join(re.escape(p) for p in ordered) + r")(?:\s+|-(?=\S))")


def _peel(text: str, table: dict[str, Any]) -> tuple[str, Any, bool]:
    """Remove the longest leading phrase of `table` from text: (rest, its value, found)."""
    match = _peel_pattern(tuple(table)).match(text)
    if match:
        return text[match.end():], table[match.group(1)], True
    return text, None, False


# ---------------------------------------------------------------------------------------------
# Handlers: each takes the cleaned core text and a context, returns a Normalised or None


@dataclass(frozen=True)
class _Context:
    dct: date | None
    tense: str | None
    narrative: date | None
    period: str | None = None          # the latest quarter value stated earlier ("1989-Q3")


_MONTH_RE = (r"(?P<month>january|february|march|april|may|june|july|august|september|october|"
             r"november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_WEEKDAY_RE = (r"(?:(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|"
               r"tues|tue|wed|thurs|thu|fri|sat|sun)\.?,? (?:the )?)?")
_DAY_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>\d{4})"


def _absolute_date(core: str, ctx: _Context) -> Normalised | None:
    """Dates that carry a year: "Dec. 16, 2014", "16 December 2014", "2014-12-16", "Dec 2014"."""
    iso = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", core)
    if iso:
        year, month = int(iso.group(1)), int(iso.group(2))
        if iso.group(3):
            found = _valid_day(year, month, int(iso.group(3)))
            return _result(_day(found), None) if found else None
        return _result(_month(year, month), None) if _valid_day(year, month, 1) else None
    patterns = (
        _WEEKDAY_RE + _MONTH_RE + r" " + _DAY_RE + r",? " + _YEAR_RE,
        _WEEKDAY_RE + _DAY_RE + r" (?:of )?" + _MONTH_RE + r",? " + _YEAR_RE,
    )
    for pattern in patterns:
        match = re.fullmatch(pattern, core)
        if match:
            found = _valid_day(int(match["year"]), MONTHS[match["month"]], int(match["day"]))
            return _result(_day(found), None) if found else None
    match = re.fullmatch(r"(?:(?:the )?month of )?" + _MONTH_RE + r",?(?: of)? " + _YEAR_RE, core)
    if match:
        year = int(match["year"])
        return _result(_month(year, MONTHS[match["month"]]), None) if MIN_YEAR <= year <= MAX_YEAR else None
    numeric = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", core)
    if numeric:
        first, second, year = (int(g) for g in numeric.groups())
        # month/day as US copy writes it, unless only day/month is possible
        month, day = (first, second) if first <= 12 else (second, first)
        found = _valid_day(year, month, day)
        return _result(_day(found), None) if found else None
    return None


def _month_day(core: str, ctx: _Context) -> Normalised | None:
    """A month and day without a year: "Feb 22", "22 February", "the 22nd of February"."""
    patterns = (
        _WEEKDAY_RE + _MONTH_RE + r" " + _DAY_RE,
        _WEEKDAY_RE + r"(?:the )?" + _DAY_RE + r" (?:of )?" + _MONTH_RE,
    )
    for pattern in patterns:
        match = re.fullmatch(pattern, core)
        if not match:
            continue
        month, day = MONTHS[match["month"]], int(match["day"])
        if _valid_day(2000, month, day) is None:       # 2000 is a leap year: Feb 29 passes
            return None
        reference, anchor, direction = _reference(ctx, "nearest", lean=True)
        if reference is None:
            return _result(f"XXXX-{month:02d}-{day:02d}", "published")
        options = [d for y in (reference.year - 1, reference.year, reference.year + 1)
                   if (d := _valid_day(y, month, day)) is not None]
        chosen = _choose(options, reference, direction)
        return _result(_day(chosen), anchor) if chosen else None
    return None


def _reference(ctx: _Context, default: str, lean: bool = False) -> tuple[date | None, str, str]:
    """The date to resolve against, its anchor name and the direction to look in. The narrative
    date (set only for undated documents and for narrative phrases) is read nearest-first."""
    if ctx.dct is not None:
        return ctx.dct, "published", _direction(ctx.tense, default, lean)
    if ctx.narrative is not None:
        return ctx.narrative, "narrative", "nearest"
    return None, "published", default


def _month_only(core: str, ctx: _Context) -> Normalised | None:
    """A month on its own, maybe with last/next/this: "March", "last December"."""
    relative_year = re.fullmatch(_MONTH_RE + r",? (?:of )?(?P<rel>last|this|next) year", core)
    if relative_year:
        month = MONTHS[relative_year["month"]]
        if ctx.dct is None:
            return _result(f"XXXX-{month:02d}", "published")
        shift = {"last": -1, "this": 0, "next": 1}[relative_year["rel"]]
        return _result(_month(ctx.dct.year + shift, month), "published")
    match = re.fullmatch(r"(?:(?P<rel>last|next|this|past|coming) )?" + _MONTH_RE, core)
    if not match:
        return None
    month = MONTHS[match["month"]]
    reference, anchor, direction = _reference(ctx, "nearest", lean=True)
    if reference is None:
        return _result(f"XXXX-{month:02d}", "published")
    rel = match["rel"]
    options = [date(y, month, 1) for y in range(reference.year - 1, reference.year + 2)]
    this_month = date(reference.year, reference.month, 1)
    if rel in ("last", "past"):
        chosen = _choose([o for o in options if o < this_month], this_month, "past")
    elif rel in ("next", "coming"):
        chosen = _choose([o for o in options if o > this_month], this_month, "future")
    elif rel == "this":
        chosen = date(reference.year, month, 1)
    elif anchor == "published" and direction == "lean_future":
        chosen = _choose(options, this_month, "future")   # "will meet in February": the next one
    elif anchor == "published" and direction == "lean_past":
        chosen = _choose(options, this_month, direction, lean_days=MONTH_LEAN_DAYS)
    else:
        chosen = _choose(options, this_month, direction)
    return _result(_month(chosen.year, chosen.month), anchor) if chosen else None


def _year_forms(core: str, ctx: _Context) -> Normalised | None:
    """Years, decades and centuries: "2021", "fiscal 2021", "the 1990s", "the '90s",
    "the 21st century"."""
    match = re.fullmatch(r"(?:the )?(?:(?:fiscal|calendar|the year|year|fy) )?(\d{4})", core)
    if match:
        year = int(match.group(1))
        return _result(f"{year:04d}", None) if MIN_YEAR <= year <= MAX_YEAR else None
    match = re.fullmatch(r"(?:the )?(\d{3})0'?s", core)
    if match:
        decade = int(match.group(1))
        return _result(f"{decade:03d}", None) if MIN_YEAR // 10 <= decade <= MAX_YEAR // 10 else None
    match = re.fullmatch(r"(?:the )?'(\d)0s", core)
    if match:
        digit = int(match.group(1))
        if ctx.dct is None:
            return _result(f"19{digit}", None) if digit >= 3 else None
        century = ctx.dct.year // 100 if digit * 10 <= ctx.dct.year % 100 else ctx.dct.year // 100 - 1
        return _result(f"{century}{digit}", "published")
    match = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th) century", core) or \
        re.fullmatch(r"(?:the )?([a-z-]+) century", core)
    if match:
        raw = match.group(1)
        number = int(raw) if raw.isdigit() else ORDINALS.get(raw)
        if number and 1 <= number <= 22:
            return _result(f"{number - 1:02d}", None)
    return None


def _quarters_and_seasons(core: str, ctx: _Context) -> Normalised | None:
    """Quarters, halves and seasons: "the first quarter of 2023", "Q3 2021", "last quarter",
    "fourth-quarter", "the first half of 2022", "summer 2021", "last winter"."""
    match = re.fullmatch(
        r"(?:the )?(?:fiscal )?(?:(?P<lead>\d{4}) (?:fiscal )?)?"
        r"(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter|q(?P<num>[1-4]))"
        r"(?:,? (?:of )?(?:fiscal )?" + _YEAR_RE + r")?", core)
    if match:
        quarter = int(match["num"]) if match["num"] else ORDINALS[match["ord"]]
        if match["year"] or match["lead"]:
            year = int(match["year"] or match["lead"])
            return _result(f"{year}-Q{quarter}", None) if MIN_YEAR <= year <= MAX_YEAR else None
        if ctx.dct is None:
            return _result(f"XXXX-Q{quarter}", "published")
        year = ctx.dct.year
        if _quarter(ctx.dct) < quarter and ctx.tense != "future":
            year -= 1                      # "the fourth quarter" in a January paper: last year's
        return _result(f"{year}-Q{quarter}", "published")
    match = re.fullmatch(r"(?:the )?(?P<ord>first|second|1st|2nd) half(?: of (?:fiscal )?" + _YEAR_RE + r")?", core)
    if match:
        half = ORDINALS[match["ord"]]
        if match["year"]:
            year = int(match["year"])
            return _result(f"{year}-H{half}", None) if MIN_YEAR <= year <= MAX_YEAR else None
        if ctx.dct is None:
            return _result(f"XXXX-H{half}", "published")
        return _result(f"{ctx.dct.year}-H{half}", "published")
    match = re.fullmatch(r"(?:the )?(?P<rel>last|next|this|the current|the previous|current|previous) quarter", core)
    if match:
        if ctx.dct is None:
            return _result("XXXX-QX", "published")
        shift = {"last": -1, "previous": -1, "the previous": -1, "next": 1}.get(match["rel"], 0)
        year, month = _add_months(ctx.dct, 3 * shift)
        return _result(f"{year}-Q{(month - 1) // 3 + 1}", "published")
    match = re.fullmatch(r"(?:(?P<rel>last|next|this|past|coming|the) )?(?P<season>spring|summer|autumn|fall|winter)"
                         r"(?:,? (?:of )?" + _YEAR_RE + r")?", core)
    if match:
        return _season(SEASONS[match["season"]], match["rel"], match["year"], ctx)
    return None


def _season(code: str, rel: str | None, year_text: str | None, ctx: _Context) -> Normalised | None:
    """A season by year, or relative to the dct: "this summer" = the dct's year, "last winter"
    = the latest before the dct's month, bare "the summer" follows the tense (module doc)."""
    if year_text:
        year = int(year_text)
        return _result(f"{year}-{code}", None) if MIN_YEAR <= year <= MAX_YEAR else None
    if ctx.dct is None:
        return _result(f"XXXX-{code}", "published")
    if rel == "this":
        return _result(f"{ctx.dct.year}-{code}", "published")
    this_month = date(ctx.dct.year, ctx.dct.month, 1)
    options = [date(y, SEASON_MONTH[code], 1) for y in range(ctx.dct.year - 1, ctx.dct.year + 2)]
    if rel in ("last", "past"):
        chosen = _choose([o for o in options if o < this_month], this_month, "past")
    elif rel in ("next", "coming"):
        chosen = _choose([o for o in options if o > this_month], this_month, "future")
    else:
        chosen = _choose(options, this_month, _direction(ctx.tense, "nearest", lean=True))
    return _result(f"{chosen.year}-{code}", "published") if chosen else None


_DEICTIC_DAYS: dict[str, tuple[int, str | None]] = {
    "today": (0, None), "tonight": (0, "NI"), "yesterday": (-1, None), "tomorrow": (1, None),
    "the day before yesterday": (-2, None), "the day after tomorrow": (2, None),
    "last night": (-1, "NI"), "overnight": (0, "NI"), "this day": (0, None),
}


def _deictic_day(core: str, ctx: _Context) -> Normalised | None:
    """today, yesterday, tomorrow, tonight, last night, this morning, yesterday afternoon."""
    offset: int | None = None
    part: str | None = None
    if core in _DEICTIC_DAYS:
        offset, part = _DEICTIC_DAYS[core]
    else:
        match = re.fullmatch(r"(today|yesterday|tomorrow|this|early this|late this|earlier this|later this)"
                             r" (morning|afternoon|evening|night)", core) or \
            re.fullmatch(r"(yesterday|tomorrow|today)'?s? (morning|afternoon|evening|night)", core)
        if not match:
            return None
        word = match.group(1).split()[-1]
        offset = {"today": 0, "this": 0, "yesterday": -1, "tomorrow": 1}[word]
        part = DAY_PARTS[match.group(2)]
    if ctx.dct is None:
        value = "XXXX-XX-XX" + (f"T{part}" if part else "")
        return _result(value, "published")
    day = ctx.dct + timedelta(days=offset)
    return _result(_day(day) + (f"T{part}" if part else ""), "published")


def _weekday(core: str, ctx: _Context) -> Normalised | None:
    """A weekday, maybe with last/next/this and a part of the day: "Tuesday", "last Friday",
    "Tuesday night", "the weekend"; plural weekdays ("on Fridays") are a SET."""
    plural = re.fullmatch(r"(?:on )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s", core)
    if plural:
        return _result(f"XXXX-WXX-{WEEKDAYS[plural.group(1)]}", None, kind="SET")
    match = re.fullmatch(r"(?:(?P<rel>last|next|this|past|coming|this past|this coming|the) )?"
                         r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)"
                         r"(?: (?P<part>morning|afternoon|evening|night))?", core)
    if not match:
        return None
    rel = match["rel"]
    if rel == "the" and match["weekday"] != "weekend":
        return None
    weekend = match["weekday"] == "weekend"
    number = 6 if weekend else WEEKDAYS[match["weekday"]]
    part = DAY_PARTS[match["part"]] if match["part"] else None
    reference, anchor, direction = _reference(ctx, "nearest")
    if reference is None:
        value = "XXXX-WXX-WE" if weekend else f"XXXX-WXX-{number}"
        return _result(value + (f"T{part}" if part and not weekend else ""), "published")
    options = [reference + timedelta(days=k) for k in range(-14, 15)
               if (reference + timedelta(days=k)).isoweekday() == number]
    if rel in ("last", "past", "this past"):
        chosen = _choose([o for o in options if o < reference], reference, "past")
    elif rel in ("next", "coming", "this coming"):
        chosen = _choose([o for o in options if o > reference], reference, "future")
    elif rel == "this":
        chosen = reference + timedelta(days=number - reference.isoweekday())
    else:
        chosen = _choose(options, reference, direction)
    if chosen is None:
        return None
    if weekend:
        return _result(_week(chosen) + "-WE", anchor)
    return _result(_day(chosen) + (f"T{part}" if part else ""), anchor)


def _relative_unit(core: str, ctx: _Context) -> Normalised | None:
    """The dct's own or a neighbouring calendar unit: "this week", "last month", "next year",
    "earlier this year", "later this month", "the coming week"; "the past year" is a duration."""
    match = re.fullmatch(r"(?:the )?(?:past|last) (?P<unit>week|month|year|decade|century)", core)
    if match and core.startswith("the "):
        return _result(_duration_value(1, match["unit"]) or "", None)
    match = re.fullmatch(r"(?:(?:earlier|later) )?(?P<rel>this|last|next|the current|current|the previous|"
                         r"previous|the coming|coming|past) (?P<unit>week|month|year)", core)
    if not match:
        return None
    rel, unit = match["rel"], match["unit"]
    if ctx.dct is None:
        return _result({"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit], "published")
    shift = {"last": -1, "previous": -1, "the previous": -1, "past": -1,
             "next": 1, "coming": 1, "the coming": 1}.get(rel, 0)
    if unit == "week":
        return _result(_week(ctx.dct + timedelta(weeks=shift)), "published")
    if unit == "month":
        year, month = _add_months(ctx.dct, shift)
        return _result(_month(year, month), "published")
    return _result(f"{ctx.dct.year + shift:04d}", "published")


def _shifted(reference: date, count: int, unit: str) -> str | None:
    """The calendar unit `count` units away from the reference, at that unit's granularity."""
    try:
        if unit == "D":
            return _day(reference + timedelta(days=count))
        if unit == "W":
            return _week(reference + timedelta(weeks=count))
        if unit == "M":
            year, month = _add_months(reference, count)
            return _month(year, month)
        if unit == "Y":
            return f"{reference.year + count:04d}"
        if unit in ("DE", "CE"):      # "a decade ago": the year ten years back, as TimeBank codes it
            return f"{reference.year + (10 if unit == 'DE' else 100) * count:04d}"
    except OverflowError:
        return None
    return None


def _offset(core: str, ctx: _Context) -> Normalised | None:
    """Counted offsets: "two days ago", "a year ago" (from the dct); "two days later", "the
    next day", "the following week", "the day before" (from the narrative date)."""
    match = re.fullmatch(r"(?P<num>" + _NUMBER_WORDS + r") (?P<unit>" + _UNIT_WORDS + r")s? "
                         r"(?P<dir>ago|earlier|later|before|after|afterwards|from now|previously|since)", core)
    count: int | None
    if match:
        count, unit_word, direction = parse_number(match["num"]), match["unit"], match["dir"]
        if count is None:           # "several years ago", "a few weeks from now"
            if direction == "ago":
                return _result("PAST_REF", None)
            return _result("FUTURE_REF", None) if direction == "from now" else None
        unit = UNITS.get("century" if unit_word.startswith("centur") else unit_word)
        sign = -1 if direction in ("ago", "earlier", "before", "previously") else 1
        if direction in ("ago", "from now") or ctx.narrative is None:
            reference, anchor = ctx.dct, "published"     # no date stated before: the dct
        else:
            reference, anchor = ctx.narrative, "narrative"
        if unit is None or unit_word in ("second", "minute", "hour") or reference is None:
            return None         # sub-day offsets would need a clock time to anchor on
        if unit == "Y" and count == 1 and sign < 0 and ctx.period is not None:
            return _result(_year_before(ctx.period), "narrative")   # "profit fell from a year earlier"
        value = _shifted(reference, sign * count, unit)
        return _result(value, anchor) if value and _year_in_range(value) else None
    match = re.fullmatch(r"the (?P<rel>next|following|previous|preceding|same) (?P<unit>day|morning|"
                         r"afternoon|evening|night|week|month|year)|the (?P<unit2>day|week|month|year) "
                         r"(?P<rel2>before|after)", core)
    if not match or ctx.narrative is None:
        return None
    rel = match["rel"] or match["rel2"]
    unit_word = match["unit"] or match["unit2"]
    sign = {"next": 1, "following": 1, "after": 1, "same": 0}.get(rel, -1)
    part = DAY_PARTS.get(unit_word)
    if part:
        return _result(_day(ctx.narrative + timedelta(days=sign)) + f"T{part}", "narrative")
    value = _shifted(ctx.narrative, sign, UNITS[unit_word])
    return _result(value, "narrative") if value else None


def _year_in_range(value: str) -> bool:
    head = value[:4]
    return not head.isdigit() or MIN_YEAR <= int(head) <= MAX_YEAR


def _references(core: str, ctx: _Context) -> Normalised | None:
    """Vague references: PAST_REF ("recent months", "the past"), PRESENT_REF ("now"),
    FUTURE_REF ("the coming weeks", "the future")."""
    for values, name in ((PAST_REFS, "PAST_REF"), (PRESENT_REFS, "PRESENT_REF"), (FUTURE_REFS, "FUTURE_REF")):
        if core in values:
            return _result(name, None)
    return None


def _duration(core: str, ctx: _Context) -> Normalised | None:
    """Durations: "two-day", "20-year", "three days", "a week", "hours", "the past two weeks",
    "the last 24 hours", "for years", "many long years". Ages ("22-year-old") are not durations."""
    if re.search(r"\bold\b|-old\b|\baged?\b|\bof age\b", core):
        return None
    match = re.fullmatch(r"(?:(?:the )?(?:past|last|next|first|coming) |for |the )?(?:(?P<num>" + _NUMBER_WORDS
                         + r")[- ])?(?:long )?(?P<unit>" + _UNIT_WORDS + r")(?P<plural>s)?(?:-long| long)?", core)
    if not match:
        return None
    number_text = match["num"] or ""
    if not number_text and not match["plural"]:
        return None                        # a bare singular unit ("day") is not an expression
    count = None if number_text in VAGUE_NUMBERS else parse_number(number_text)
    if number_text and number_text not in VAGUE_NUMBERS and count is None:
        return None
    if count is not None and (count > 1000 or count == 1 and match["plural"] and number_text != "one"):
        return None
    if match["unit"] == "second" and number_text in ("a", "an", "one"):
        return None                        # "a second attack" is an ordinal, not a duration
    value = _duration_value(count, match["unit"])
    return _result(value, None) if value else None


def _set(core: str, ctx: _Context) -> Normalised | None:
    """Recurring times: "every day", "each week", "every other year", "twice a month", "daily"."""
    adverbs = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
               "hourly": "PT1H", "nightly": "P1D"}
    if core in adverbs:
        return _result(adverbs[core], None, kind="SET")
    match = re.fullmatch(r"(?:every|each)(?: (?P<other>other|second))? (?P<unit>day|night|week|month|year|hour|"
                         r"morning|evening|afternoon|monday|tuesday|wednesday|thursday|friday|saturday|sunday)", core)
    if match:
        unit = match["unit"]
        if unit in WEEKDAYS:
            return _result(f"XXXX-WXX-{WEEKDAYS[unit]}", None, kind="SET")
        if unit in DAY_PARTS and unit != "night":
            return _result(f"XXXX-XX-XXT{DAY_PARTS[unit]}", None, kind="SET")
        value = _duration_value(2 if match["other"] else 1, unit)
        return _result(value, None, kind="SET") if value else None
    match = re.fullmatch(r"(?:once|twice|three times|four times|\d+ times) (?:a|an|per|each|every) "
                         r"(?P<unit>day|week|month|year|hour)", core)
    if match:
        value = _duration_value(1, match["unit"])
        return _result(value, None, kind="SET") if value else None
    return None


_CLOCK_RE = re.compile(
    r"(?:(?:at|around|about) )?(?:(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))? ?(?P<ampm>a\.?m\.?|p\.?m\.?)"
    r"(?: (?:[ecmp][sd]t|gmt|utc|local time))?"
    r"|(?P<hour24>\d{1,2}):(?P<minute24>\d{2})(?: ?(?:hours|hrs|gmt|utc|local time))?"
    r"|(?P<named>noon|midday|midnight)"
    r"|(?P<oclock>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) o'clock)"
)


def _clock_value(match: re.Match[str]) -> str | None:
    """The THH:MM part of a clock time, or None for an impossible time."""
    if match["named"]:
        return {"noon": "T12:00", "midday": "T12:00", "midnight": "T24:00"}[match["named"]]
    if match["oclock"]:
        hour = parse_number(match["oclock"])
        return f"T{hour:02d}:00" if hour is not None and 1 <= hour <= 12 else None
    if match["hour24"] is not None:
        hour, minute = int(match["hour24"]), int(match["minute24"])
        return f"T{hour:02d}:{minute:02d}" if hour <= 24 and minute < 60 else None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if not 1 <= hour <= 12 or minute >= 60:
        return None
    if match["ampm"].startswith("p") and hour != 12:
        hour += 12
    elif match["ampm"].startswith("a") and hour == 12:
        hour = 0
    return f"T{hour:02d}:{minute:02d}"


def _clock_time(core: str, ctx: _Context) -> Normalised | None:
    """Clock times, alone or with a day: "3:30 p.m.", "10 a.m. Tuesday", "Tuesday at noon",
    "midnight Friday". A time without a day is taken on the dct (anchor "published")."""
    for match in _CLOCK_RE.finditer(core):
        clock = _clock_value(match)
        if clock is None:
            return None
        rest = (core[:match.start()] + " " + core[match.end():]).strip(" ,")
        rest = re.sub(r"^(?:on|at)\s+|\s+(?:on|at)$", "", rest).strip(" ,")
        rest = re.sub(r"\s+(?:on|at)\s+", " ", rest)
        if not rest or rest in ("today", "this"):
            if ctx.dct is not None:
                return _result(_day(ctx.dct) + clock, "published")
            if ctx.narrative is not None:
                return _result(_day(ctx.narrative) + clock, "narrative")
            return _result("XXXX-XX-XX" + clock, "published")
        day = _normalise_core(rest, ctx)
        if day is None or day.precision != "day" or day.type != "DATE":
            return None
        return _result(day.value + clock, day.anchor)
    return None


def _day_part(core: str, ctx: _Context) -> Normalised | None:
    """A dated day with a part of the day: "Feb 22 morning", "the morning of March 3"."""
    match = re.fullmatch(r"(?:the |early |late )?(morning|afternoon|evening|night) of (.+)", core) or \
        re.fullmatch(r"(.+?),? (?:in the )?(morning|afternoon|evening|night)", core)
    if not match:
        return None
    part_word, rest = (match.group(1), match.group(2)) if match.group(1) in DAY_PARTS else (match.group(2), match.group(1))
    day = _normalise_core(rest, ctx)
    if day is None or day.precision != "day" or day.type != "DATE":
        return None
    return _result(day.value + "T" + DAY_PARTS[part_word], day.anchor)


def _latest_quarter(ctx: _Context) -> tuple[str, str] | None:
    """The quarter results copy is about: the one stated last in the text (anchor "narrative"),
    else the last quarter completed before the dct (anchor "published")."""
    if ctx.period is not None:
        return ctx.period, "narrative"
    if ctx.dct is None:
        return None
    year, month = _add_months(ctx.dct, -3)
    return f"{year}-Q{(month - 1) // 3 + 1}", "published"


def _year_before(quarter_value: str) -> str:
    return f"{int(quarter_value[:4]) - 1:04d}{quarter_value[4:]}"


def _reported_period(core: str, ctx: _Context) -> Normalised | None:
    """Reporting periods of results copy: "the quarter", "the latest quarter", "the most recent
    period" = the quarter stated last (else the last completed one); "the year-ago quarter",
    "the year-earlier period", "year-earlier" = that quarter a year before (a year before the
    dct when no quarter is in play)."""
    if re.fullmatch(r"the (?:(?:latest|most recent) (?:fiscal )?(?:quarter|period)|(?:fiscal )?quarter)", core):
        latest = _latest_quarter(ctx)
        return _result(latest[0], latest[1]) if latest else None
    match = re.fullmatch(r"(?:the )?year[- ](?:ago|earlier)(?: (?:fiscal )?(?P<unit>quarter|period))?", core)
    if not match:
        return None
    if match["unit"] or ctx.period is not None:
        latest = _latest_quarter(ctx)
        return _result(_year_before(latest[0]), "narrative" if ctx.period else "published") if latest else None
    if ctx.dct is None:
        return None
    return _result(f"{ctx.dct.year - 1:04d}", "published")


# ---------------------------------------------------------------------------------------------
# Holidays: data/holidays.tsv gives each name a rule: a fixed day ("12-25"), the first weekday
# on or after a day ("thu>=11-22": the fourth Thursday of November), or a number of days from
# Western Easter ("easter-2", dateutil's Gregorian computus).



@cache
def holiday_rules() -> dict[str, str]:
    """Holiday name -> rule, longest names first (so "easter monday" is tried before "easter")."""
    rows = sorted(load_tsv("holidays.tsv"), key=lambda row: len(row["name"]), reverse=True)
    return {row["name"]: row["rule"] for row in rows}


@cache
def _holiday_expression() -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name in holiday_rules())
    return re.compile(rf"(?:(?P<rel>last|next|this) )?(?P<name>{names})(?:,? (?P<year>\d{{4}}))?")


def holiday_in(name: str, year: int) -> date | None:
    """The day of a holiday in a year, or None for an unknown name or a year out of range."""
    rule = holiday_rules().get(name)
    if rule is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if rule.startswith("easter"):
        return easter(year) + timedelta(days=int(rule[len("easter"):]))
    weekday, _, day = rule.rpartition(">=")
    first = date(year, int(day[:2]), int(day[3:]))
    if not weekday:
        return first
    return first + timedelta(days=(WEEKDAYS[weekday] - first.isoweekday()) % 7)


def _holiday(core: str, ctx: _Context) -> Normalised | None:
    """ "Thanksgiving Day", "Christmas 2020", "last Easter", "Good Friday's attack": nearest
    occurrence by tense as for a month and day; last/next/this as for a weekday."""
    match = _holiday_expression().fullmatch(core)
    if not match:
        return None
    name = match["name"]
    if match["year"]:
        found = holiday_in(name, int(match["year"]))
        return _result(_day(found), None) if found else None
    reference, anchor, direction = _reference(ctx, "nearest", lean=True)
    if reference is None:
        rule = holiday_rules()[name]
        return _result(f"XXXX-{rule}", "published") if re.fullmatch(r"\d\d-\d\d", rule) else None
    options = [d for y in (reference.year - 1, reference.year, reference.year + 1)
               if (d := holiday_in(name, y)) is not None]
    if match["rel"] == "last":
        chosen = max((d for d in options if d < reference), default=None)
    elif match["rel"] == "next":
        chosen = min((d for d in options if d > reference), default=None)
    elif match["rel"] == "this":
        chosen = next((d for d in options if d.year == reference.year), None)
    else:
        chosen = _choose(options, reference, direction)
    return _result(_day(chosen), anchor) if chosen else None


_HANDLERS: tuple[Callable[[str, _Context], Normalised | None], ...] = (
    _reported_period,
    _absolute_date, _month_day, _year_forms, _month_only, _quarters_and_seasons, _deictic_day,
    _holiday, _weekday, _relative_unit, _offset, _references, _set, _duration, _clock_time, _day_part,
)


def _normalise_core(core: str, ctx: _Context) -> Normalised | None:
    """Run the handlers in order on an expression stripped of prepositions and modifiers."""
    for handler in _HANDLERS:
        found = handler(core, ctx)
        if found is not None:
            return found
    return None


def _normalise_with_mods(text: str, ctx: _Context) -> Normalised | None:
    """Peel a leading preposition, then a quantity or position modifier, then normalise.
    Order: the expression as it stands, then without a quantity modifier ("more than a week"),
    then without a position modifier ("early 2021", "the end of the year"), then "mid-X"."""
    core = _clean(text)
    if not core or len(core) > 80:
        return None
    if re.search(r"\b(?:may|march)\b", text) and not re.search(r"\d", text):
        return None                            # lower-case "may" and "march" are verbs
    core, prep_mod, had_prep = _peel(core, PREPOSITION_MODS)
    if had_prep and text.strip().lower().startswith("in ") and ctx.tense == "future":
        point = _in_future(core, ctx)          # "will meet in two weeks"
        if point is not None:
            return point
    found = _normalise_core(core, ctx)
    if found is not None:
        return _with_mod(found, prep_mod)
    possessor = re.match(r"(.+?)'s? \S", core)     # "tuesday's attack" names the tuesday
    if possessor:
        found = _normalise_core(possessor.group(1), ctx)
        if found is not None:
            return _with_mod(found, prep_mod)
    rest, quantity_mod, had = _peel(core, QUANTITY_MODS)
    if had:
        found = _normalise_core(rest, ctx)
        if found is not None and (found.type == "DURATION" or quantity_mod == "APPROX"):
            return _with_mod(found, quantity_mod)
        if found is not None:                  # "over the weekend": a preposition, no amount
            return _with_mod(found, prep_mod)
    rest, position_mod, had = _peel(core, POSITION_MODS)
    if had:
        rest = re.sub(r"^the (week|month|year)$", r"this \1", rest)   # "the end of the year"
        found = _normalise_core(rest, ctx)
        if found is not None and found.type in ("DATE", "TIME"):
            return _with_mod(found, position_mod)
    match = re.fullmatch(r"mid-?(\S.*)", core)
    if match:
        found = _normalise_core(match.group(1), ctx)
        if found is not None and found.type == "DATE":
            return _with_mod(found, "MID")
    return None


def _in_future(core: str, ctx: _Context) -> Normalised | None:
    """ "in two weeks" under a future verb: the point that far after the dct."""
    match = re.fullmatch(r"(?P<num>" + _NUMBER_WORDS + r") (?P<unit>day|week|month|year)s?", core)
    if not match or ctx.dct is None:
        return None
    count = parse_number(match["num"])
    value = _shifted(ctx.dct, count, UNITS[match["unit"]]) if count else None
    return _result(value, "published") if value else None


_POINT_MODS = frozenset({"BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER"})


def _with_mod(found: Normalised, mod: str | None) -> Normalised:
    """Add a modifier unless one is already set or it does not fit the type: before/after
    bounds apply to points in time, LESS_THAN from "within" to durations."""
    if mod is None or found.mod is not None:
        return found
    if mod in _POINT_MODS and found.type not in ("DATE", "TIME"):
        return found
    if mod == "LESS_THAN" and found.type != "DURATION":
        return found
    return Normalised(found.type, found.value, found.precision, found.anchor, mod)


def normalise(text: str, dct: date | None, tense: str | None = None, *,
              narrative: date | None = None, period: str | None = None) -> Normalised | None:
    """One temporal expression as TIMEX3, or None when it is not one (or names an impossible
    date). `dct` is the document creation time; `tense` ("past", "present", "future") is that
    of the governing verb and decides the direction of underspecified dates (module doc);
    `narrative` is the latest date stated earlier in the text, used for "two days later",
    "the next day", and for dates without a year in undated documents; `period` is the latest
    quarter stated earlier ("1989-Q3"), the period that "the quarter" and "a year earlier" refer
    to in results copy. Never raises on text."""
    if tense not in (None, "past", "present", "future"):
        tense = None
    if period is not None and not (re.fullmatch(r"\d{4}-Q[1-4]", period) and MIN_YEAR < int(period[:4]) <= MAX_YEAR):
        period = None
    ctx = _Context(dct, tense, narrative, period)
    try:
        found = _normalise_with_mods(text, ctx)
    except (ValueError, OverflowError):     # date arithmetic at the edge of the calendar
        return None
    return found if found is not None and _value_in_range(found.value) else None


def _value_in_range(value: str) -> bool:
    """False for a value whose year falls outside MIN_YEAR..MAX_YEAR or is not four digits
    (reachable only from a dct or narrative date at the edge of the range)."""
    if re.fullmatch(r"\d{2,3}", value):     # a century or decade, checked where it is made
        return True
    digits = re.match(r"\d+", value)
    return digits is None or len(digits.group()) == 4 and MIN_YEAR <= int(digits.group()) <= MAX_YEAR


# ---------------------------------------------------------------------------------------------
# Candidate finding (regex only; TimeML extents: "the nine months", "last fall", "1990")


@cache
def _candidate_pattern() -> re.Pattern[str]:
    """One alternation of the temporal expression shapes of news copy, longest forms first.
    Month and weekday names must be capitalised, so "may" the verb and "march" the noun do not
    match."""
    month = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
             r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)")
    full_month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    # A full month name alone is a date unless a digit or a capitalised word follows ("March 3",
    # "April Glaspie"); "May" only after a preposition (the modal verb).
    bare_month = full_month.replace("May|", "")
    weekday = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    day = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?:1[0-9]{3}|20[0-9]{2}|21[0-9]{2})"
    number = _NUMBER_WORDS.replace("(?:", "(?i:", 1)
    unit = r"(?i:second|minute|hour|day|night|week|fortnight|month|year|decade|centur(?:y|ie))"
    rel = r"(?i:this|last|next|past|coming|previous|current)"
    plural_unit = r"(?i:hours|days|weeks|months|years|decades|centuries)"
    approx = r"(?i:more than|less than|nearly|almost|about|around|over|at least|some)"
    holiday = "|".join(_holiday_pattern(name) for name in holiday_rules())
    parts = [
        rf"(?:(?i:last|next|this) )?(?:{holiday})(?:,? {year})?(?:['’]s)?(?! [A-Z])",
        rf"(?:{weekday},? )?{month} {day}(?:,? {year})?(?!\d|:\d)",
        rf"(?:{weekday},? )?(?:the )?{day} (?:of )?{month}(?:,? {year})?",
        rf"{month},? {year}",
        rf"(?:(?i:in|since|until|by|before|after|during|from) )?{full_month},? (?:of )?(?i:last|this|next) (?i:year)",
        rf"(?:(?i:in|since|until|by|before|after|during|from|early|late|of|last|this|next|coming) |(?i:mid-)){full_month}(?! \d)",
        rf"{bare_month}(?! \d)(?! [A-Z])",
        rf"(?:{rel} )?{weekday}(?:'s|’s)?(?i: (?:morning|afternoon|evening|night))?",
        rf"(?:(?i:in|since|until|by|before|after|during|from|early|late|of|fiscal|the year) |(?i:mid-)){year}(?![\d,.]\d)",
        # a bare year of the last and this century, not an amount ("$1990", "1990.5", "1990 percent")
        r"(?<![$€£#.,])(?:19\d\d|20[0-3]\d)(?![\d,.]\d|%| ?percent)",
        rf"{year}-[01]\d-[0-3]\d",
        r"(?i:the )?(?:1[0-9]|20)[0-9]0s|(?i:the )'[0-9]0s",
        r"(?i:the )?(?:\d{1,2}(?:st|nd|rd|th)|(?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
        r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
        r"twentieth|twenty-first)) (?i:century)",
        rf"(?i:(?:the )?(?:fiscal )?(?:{year} (?:fiscal )?)?(?:first|second|third|fourth)[- ]quarter(?:,? (?:of )?{year})?)",
        r"(?i:the (?:(?:latest|most recent) (?:fiscal )?(?:quarter|period)|(?:fiscal )?quarter|"
        r"year[- ](?:ago|earlier) (?:fiscal )?(?:quarter|period))|year-(?:ago|earlier))",
        r"(?i:\b(?:(?:early|late) )?(?:today|tonight|yesterday|tomorrow|overnight)\b)",
        r"(?i:(?:mid-?)?(?:noon|midnight|midday))",
        r"daily|weekly|monthly|annually|yearly|hourly|nightly",      # lower case: not "China Daily"
        r"(?i:(?:this|yesterday|tomorrow|last) (?:morning|afternoon|evening|night))",
        rf"(?i:(?:earlier|later|early|late) )?{rel} (?i:week|month|year|quarter|weekend|spring|summer|autumn|fall|winter)",
        r"(?i:(?:over )?the weekend)",
        rf"(?i:the )?(?i:beginning|start|end|middle|close) of (?:(?i:the )?(?i:year|month|week|decade|century)|"
        rf"{full_month}(?:,? {year})?|{year})",
        rf"(?i:the )?(?i:last|past|next|first|coming|previous|following|final) (?:{number} )?{unit}s?",
        rf"(?i:(?:in|for|within|over) ){plural_unit}",
        rf"(?i:(?:the )?coming ){plural_unit}|(?i:the ){plural_unit}(?i: ahead)",
        rf"(?:{approx} )?{number} {unit}s? (?i:ago|earlier|later|afterwards|from now)",
        r"(?i:the (?:next|following|previous|preceding|same) (?:day|morning|evening|night|week|month|year))",
        r"(?i:(?:in )?recent (?:days|weeks|months|years)|in the past|in the (?:near )?future|"
        r"the coming (?:days|weeks|months|years)|(?:until|by|for|right) now|now|currently|recently|"
        r"the (?:near )?future)",
        rf"(?i:the) {number} {unit}s?(?![-\w])",          # "for the nine months", not "the 14-day wait"
        rf"(?:{approx} )?{number}[- ]{unit}s?(?:-long)?(?!-(?:old|ago|earlier)| old| of age)",
        rf"(?i:(?:every|each) (?:day|night|week|month|year|morning|evening)|(?:every|each) ){weekday}?",
        r"(?:(?i:at) )?\d{1,2}(?::\d{2})? ?(?:a\.m\.|p\.m\.|am\b|pm\b)(?: (?:[ECMP][SD]T|GMT|UTC|local time))?|"
        r"(?i:at (?:noon|midnight|\d{1,2}:\d{2}))",
    ]
    return re.compile(r"\b(?<![\w'’-])(?:" + "|".join(parts) + r")(?![\w’]|'(?!s\b))")


def _holiday_pattern(name: str) -> str:
    """A holiday's name as news copy writes it: capitalised words, either apostrophe."""
    words = [re.escape(word[:1].upper() + word[1:]).replace("'", "['’]") for word in name.split()]
    return " ".join(words)


_LEADING_FUNCTION_WORD = re.compile(r"(?i)(?:in|since|until|by|before|after|during|from|of|at|for|within|over)\s+")


def find_candidates(text: str) -> list[tuple[int, int]]:
    """Spans of text that look like temporal expressions, by regex alone (no spaCy), in text
    order and never overlapping. A leading preposition is left out (`run` adds it back when the
    parse says it governs the expression); some spans will not normalise and `run` drops them."""
    spans: list[tuple[int, int]] = []
    for match in _candidate_pattern().finditer(text):
        start, end = match.span()
        lead = _LEADING_FUNCTION_WORD.match(text, start, end)
        if lead and lead.end() < end:
            start = lead.end()
        if text.endswith(("'s", "’s"), start, end):
            end -= 2
        while end > start and text[end - 1] in " ,;:":
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


# ---------------------------------------------------------------------------------------------
# The stage. It reads the tagger's fine tags and the parse only (no POS map, lemmas or entities),
# so a dates-only run needs the three cheapest components of the spaCy pipeline.

_FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "’ll", "wo"})
_IRREGULAR_FORMS = {"go": ("goes", "went", "gone", "going"), "seek": ("seeks", "sought", "seeking"),
                    "set": ("sets", "set", "setting")}


def _verb_forms(*bases: str) -> frozenset[str]:
    """The inflected forms of regular English verbs (and the few irregular ones above)."""
    forms: set[str] = set()
    for base in bases:
        forms.update((base, *_IRREGULAR_FORMS[base]) if base in _IRREGULAR_FORMS else regular_forms(base))
    return frozenset(forms)


_SCHEDULE_VERBS = _verb_forms("expect", "schedule", "slate", "plan", "set")
_FUTURE_GOVERNORS = _verb_forms(
    "expect", "schedule", "plan", "set", "slate", "intend", "hope", "aim", "propose", "agree",
    "decide", "promise", "pledge", "vow", "prepare", "want", "seek", "threaten", "go",
) | {"due"}
_NOMINAL_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "CD", "$", "SYM"})


def _governing_verb(token: Any) -> Any:
    """The nearest verb (or predicative "due") at or above a token in the parse, or None."""
    node = token
    for _ in range(12):
        if node.tag_.startswith("VB") or node.tag_ == "MD" or node.lower_ == "due":
            return node
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _tense_of(token: Any) -> str | None:
    """The tense of the clause governing a token, from the first verb above it in the parse.
    Future: will/would/shall + verb, "is due", "is expected/scheduled", or an infinitive under
    a verb of planning or promising ("agreed to meet"); past: VBD, or a verb with has/had/was;
    present: other finite verbs; None when no verb governs it. Other infinitives take the tense
    of the verb they depend on."""
    node = _governing_verb(token)
    for _ in range(6):
        if node is None:
            return None
        children = list(node.children)
        aux_words = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
        if aux_words & _FUTURE_AUX or node.lower_ == "due":
            return "future"
        if node.lower_ in _SCHEDULE_VERBS and aux_words & {"is", "are", "be", "'s", "'re"}:
            return "future"
        if any(c.dep_ == "aux" and c.tag_ == "TO" for c in children):
            if node.head.i == node.i:
                return None
            governor = node.head
            if governor.lower_ in _FUTURE_GOVERNORS:
                return "future"
            node = _governing_verb(governor)
            continue
        if node.tag_ == "VBD" or aux_words & {"had", "has", "have", "was", "were", "'d", "did"}:
            return "past"
        if node.tag_ == "VBN" and node.dep_ in ("acl", "amod", "relcl"):
            return "past"
        if node.tag_ in ("VBZ", "VBP") or aux_words & {"is", "are", "am", "'s", "'re", "do", "does"}:
            return "present"
        return None
    return None


def _root_token(doc: Document, start: int, end: int) -> Any:
    if doc.spacy_doc is None:
        return None
    span = doc.spacy_doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


_BOUNDING_PREPOSITIONS = frozenset({"since", "by", "until", "till", "before", "after", "from", "within"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nummod", "nmod"})


def _preposition_before(doc: Document, start: int, end: int) -> int | None:
    """Start of a preposition governing the expression ("on" in "said on Tuesday"): the word
    right before it is a preposition and the parse hangs the expression from it. A bounding
    preposition (since, by, until, before, after, from, within) is also taken when the parse
    attaches it elsewhere, unless the expression modifies a noun ("after Tuesday's attack",
    "after a two-day dialogue"), where the preposition governs the noun."""
    body = doc.body or ""
    window_start = max(0, start - 16)
    match = re.search(r"(?i)\b(as of|on|in|since|by|until|till|before|after|from|during|through|throughout|within)\s+$",
                      body[window_start:start])
    if not match or body[end:end + 2] in ("'s", "’s"):
        return None
    root = _root_token(doc, start, end)
    if root is None or root.head.i == root.i:
        return None
    word = match.group(1).split()[-1].lower()
    head = root.head
    attached = head.lower_ == word and (head.tag_ == "IN" or head.dep_ == "prep")
    bounding = word in _BOUNDING_PREPOSITIONS and root.dep_ not in _MODIFIER_DEPS
    if not (attached or bounding):
        return None
    return window_start + match.start()


# Dependencies by which a date modifies a noun ("the September 11 attacks", "the 2011 bombing").
_ATTRIBUTIVE_DEPS = frozenset({"nmod", "compound", "amod", "poss", "nummod"})
BACKGROUND_DAYS = 31   # a date this long before publication tells of the past, not of the news


def names_a_thing(root: Any) -> bool:
    """A date that says which thing a noun phrase names ("the attacks of September 11,
    2001", "the September 11 attacks", "Thursday's attack"), given the root token of its
    span: an attributive modifier of a noun, or the object of "of" hanging from one."""
    if root is None:
        return False
    head = root.head
    if root.dep_ in _ATTRIBUTIVE_DEPS and head is not root and head.pos_ in {"NOUN", "PROPN"}:
        return True
    return (root.dep_ == "pobj" and head.lower_ == "of" and head.head is not head
            and head.head.pos_ in {"NOUN", "PROPN"})


def sets_narrative_time(t: Timex, root: Any, published: date | None) -> bool:
    """Whether a stated date becomes the time the narrative speaks of, which later clauses
    without a date of their own inherit (Reichenbach's reference time). A date that only
    names a past thing does not: one inside a noun phrase (`names_a_thing`) lying more than
    BACKGROUND_DAYS before the publication date ("Since the terrorist attacks of September 11,
    2001, we have worked ..." in a 2020 speech: the working is not of 2001). A recent one
    does ("Thursday's attack killed 13. Officials said ..."); in an undated text every date may."""
    if published is None or not names_a_thing(root):
        return True
    day = _as_date(t.value)
    return day is None or (published - day).days <= BACKGROUND_DAYS


TITLE_DATE_DAYS = 3   # how long before publication a date in the title can be the text's own day


def speaking_date(title: str | None, published: date | None) -> date | None:
    """The day the text speaks from: the publication date, unless the title states a full
    calendar date up to TITLE_DATE_DAYS before it. Transcripts and statements are titled with
    their day and often published later ("Press Briefing Aug. 26, 2021", posted on the 27th,
    says "today" of the 26th)."""
    if not title or published is None:
        return published
    for start, end in find_candidates(title):
        found = normalise(title[start:end], published)
        stated = _as_date(found.value) if found and found.anchor is None else None
        if stated and timedelta(0) < published - stated <= timedelta(days=TITLE_DATE_DAYS):
            return stated
    return published


@dataclass
class _Choice:
    start: int
    end: int
    found: Normalised


def _is_rate(text: str, root: Any) -> bool:
    """ "a year" in "$500 million a year", "four flights a week", "24 hours a day": the unit of
    a rate hanging from an amount, not a duration of its own."""
    if root is None or not re.fullmatch(r"(?i)an? \w+", text) or root.dep_ != "npadvmod":
        return False
    return root.head.tag_ in _NOMINAL_TAGS or root.head.like_num


def _resolve_all(doc: Document, spans: list[tuple[int, int]]) -> list[_Choice]:
    """Normalise every candidate span in text order, feeding each narrative expression the
    latest resolved date before it; keep the longest non-overlapping successes."""
    body = doc.body or ""
    dct = speaking_date(doc.meta.title, doc.meta.published)
    unique = sorted(set(spans) | set(_joined_neighbours(body, spans)), key=lambda s: (s[0], -(s[1] - s[0])))
    attempts: list[_Choice] = []
    narrative: date | None = None
    period: str | None = None
    for start, end in unique:
        root = _root_token(doc, start, end)
        if _is_rate(body[start:end], root):
            continue
        tense = _tense_of(root) if root is not None else None
        found = normalise(body[start:end], dct, tense, narrative=narrative, period=period)
        if found is None:
            continue
        prep_start = _preposition_before(doc, start, end)
        if prep_start is not None:
            with_prep = normalise(body[prep_start:end], dct, tense, narrative=narrative, period=period)
            if with_prep is not None:
                found = with_prep          # the preposition gives the modifier, not the extent
        attempts.append(_Choice(start, end, found))
        narrative = _as_date(found.value) or narrative
        period = _next_period(period, found)
    chosen: list[_Choice] = []
    taken: list[tuple[int, int]] = []   # the chosen ranges, disjoint, sorted: one bisection finds an overlap
    for attempt in sorted(attempts, key=lambda a: (-(a.end - a.start), a.start)):
        before = bisect_left(taken, (attempt.end, -1)) - 1   # the last chosen range starting before its end
        if before < 0 or taken[before][1] <= attempt.start:
            chosen.append(attempt)
            insort(taken, (attempt.start, attempt.end))
    return sorted(chosen, key=lambda c: c.start)


def _next_period(period: str | None, found: Normalised) -> str | None:
    """The quarter in play after `found`: a quarter stated outright replaces it, another point
    in time stated outright ends it, values computed from it ("a year earlier") leave it."""
    if found.type != "DATE" or found.anchor == "narrative" or not found.value[:1].isdigit():
        return period
    return found.value if found.precision == "quarter" and "-Q" in found.value else None


_JOINER = re.compile(r"\s*,?\s*(?:(?:on|at)\s+)?")


def _joined_neighbours(body: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans joining two candidates separated only by a comma, "on" or "at" ("noon Thursday",
    "Tuesday at 3 p.m.", "Monday, Oct. 26"); they win over their parts when they normalise."""
    ordered = sorted(set(spans))
    joined = []
    for index, (left_start, left_end) in enumerate(ordered):
        for right_start, right_end in ordered[index + 1:]:
            if right_start - left_end > 5:
                break
            if right_start >= left_end and _JOINER.fullmatch(body, left_end, right_start):
                joined.append((left_start, right_end))
    return joined


def _as_date(value: str) -> date | None:
    """The day a DATE value names, when it names one day (times included)."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    return _valid_day(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def run(doc: Document, settings: Any = None) -> list[Timex]:
    """The timex layer of a document: the candidates of `find_candidates`, each normalised with
    the tense of its clause; offsets index into `doc.body`."""
    body = doc.body or ""
    spans = find_candidates(body)
    timexes = []
    for choice in _resolve_all(doc, spans):
        found = choice.found
        timexes.append(Timex(text=body[choice.start:choice.end], start=choice.start, end=choice.end,
                             type=found.type, value=found.value, precision=found.precision,
                             anchor=found.anchor, mod=found.mod))
    return timexes


# Fine tags and the parse for tense and prepositions: no POS map, lemmas or named entities.
STAGE = Stage("time", needs=("body", "spacy_doc"), adds="timexes", item_type=Timex, run=run,
              spacy_pipes=("tok2vec", "tagger", "parser"))
