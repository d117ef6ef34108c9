"""Clean stage: raw text -> `body`, and metadata read out of the page debris.

Needs: raw, meta. Adds: body (and fills gaps in meta: outlet, published, dateline, title;
a value the reader or the user already set is never replaced).

Rules, applied line by line (a line is a paragraph in plain-text dumps and extracted HTML):
1. Print credits ("Published in Dawn, March 8th, 2023", "Copyright © 2023 Outlet") are
   dropped; their outlet and date fill the metadata.
2. Site notices addressed to the reader (comments, subscriptions, cookies, sharing) are dropped.
3. A sub-heading glued to the start of its paragraph ("Afghan delegation due Separately, ...")
   is split off at the discourse connective that opens the real sentence.
4. Reference markers of wiki pages ("[5]", "[citation needed]") are removed from the text.
5. Heading-like lines (short, no closing punctuation, mostly capitalised words) are dropped:
   pasted related-article headlines and sub-headings. The first one, before any prose, is the
   title when none is known.
6. A dateline at the start of the first prose line ("ISLAMABAD:", "JAKARTA, Indonesia —",
   "KABUL, March 7 (Reuters) -") is moved to the metadata when it names a known place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .. import gazetteer
from ..errors import NewsledgerError
from ..model import Document, Meta
from ..resources import load_yaml
from ..settings import Settings
from . import Stage

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTH_RE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATE_RE = re.compile(
    rf"(?P<m1>{MONTH_RE})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH_RE}),?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})", re.I)
CREDIT_RE = re.compile(
    r"^(?:(?:first|originally)\s+)?(?:published|printed|appeared)\s+(?:in|on|by)\s+(?:the\s+)?"
    r"(?P<outlet>[A-Z][\w.&' -]{1,60}?)(?:'s\s+\w+\s+edition)?\s*[,.]\s*(?P<rest>.*)$", re.I)
COPYRIGHT_RE = re.compile(r"^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?(?P<outlet>[^.,]{2,60})?", re.I)
DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{2,40}?)"                       # ISLAMABAD / NEW YORK
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?))?"  # , Indonesia
    r"(?:,?\s*(?P<date>(?:" + MONTH_RE + r")\s+\d{1,2}(?:,\s*\d{4})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z][\w. ]{1,30})\))?"
    r"\s*(?::|—|–|--|-)\s+(?=\S)")
WORD_RE = re.compile(r"[A-Za-z][\w'’.-]*")
INLINE_MARKERS_RE = re.compile(r"\[(?:\d{1,3}|[a-z]|citation needed|note \d+)\]")  # "[5]", "[citation needed]"
FOOTNOTES_RE = re.compile(r"(?:\[\w{1,4}\])+$")   # Wikipedia-style markers: "...explosion.[5][6]"
CLOSING = tuple('.!?:;"”’\')…')


@dataclass(frozen=True)
class CleanRules:
    connectives: frozenset[str]      # sentence openers that end a glued sub-heading
    notice_phrases: tuple[str, ...]  # phrases that mark a notice addressed to the site's reader


def rules() -> CleanRules:
    data = load_yaml("clean_rules.yaml")
    return CleanRules(frozenset(data["connectives"]), tuple(data["notice_phrases"]))


def parse_date(text: str) -> date | None:
    """The first full calendar date written in `text`, or None."""
    for m in DATE_RE.finditer(text):
        try:
            if m.group("y3"):
                return date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
            month = (m.group("m1") or m.group("m2")).lower().rstrip(".")
            number = next(v for k, v in MONTHS.items() if k.startswith(month[:3]))
            return date(int(m.group("y1") or m.group("y2")), number, int(m.group("d1") or m.group("d2")))
        except (ValueError, StopIteration):
            continue
    return None


def is_heading(line: str) -> bool:
    """Short, capitalised, and with no closing punctuation: a headline or sub-heading, not prose."""
    if FOOTNOTES_RE.sub("", line).endswith(CLOSING) or len(line) > 160:
        return False
    words = WORD_RE.findall(line)
    if not words or len(words) > 20:
        return False
    if not words[0][0].isupper() and not words[0][0].isdigit():
        return False
    return True


def is_notice(line: str, notice_phrases: tuple[str, ...]) -> bool:
    """Two notice phrases anywhere, or one in a short line that is not a quotation."""
    low = line.lower()
    hits = sum(1 for w in notice_phrases if w in low)
    return hits >= 2 or (hits == 1 and len(line) < 120 and not line.startswith(("“", '"')))


def split_glued_heading(line: str, connectives: frozenset[str]) -> tuple[str | None, str]:
    """'Afghan delegation due Separately, Defence ...' -> ('Afghan delegation due', 'Separately, ...').
    A connective ("Separately,", "Meanwhile,") after 2-10 words with no punctuation before it
    opens the real sentence; what precedes it is a sub-heading."""
    m = re.match(r"^((?:[\w'’\-]+ ){2,10}?)([A-Z][a-z]+),\s", line)
    if not m or m.group(2) not in connectives or re.search(r"[.,;:!?\"“”]", m.group(1)):
        return None, line
    return m.group(1).strip(), line[m.start(2):]


def read_credit(line: str) -> tuple[str | None, date | None] | None:
    """(outlet, date) when the line is a print or copyright credit, else None."""
    m = CREDIT_RE.match(line)
    if m and len(line) < 120:
        return m.group("outlet").strip(), parse_date(m.group("rest"))
    m = COPYRIGHT_RE.match(line)
    if m and len(line) < 120 and ("©" in line or line.lower().startswith("copyright")):
        outlet = (m.group("outlet") or "").strip() or None
        return outlet, None
    return None


def read_dateline(line: str, settings: Settings) -> tuple[str, str, str | None] | None:
    """(dateline place, rest of the line, agency) when the line opens with a dateline of a known place."""
    m = DATELINE_RE.match(line)
    if not m:
        return None
    place = " ".join(w.capitalize() for w in m.group("place").strip().split())
    if not gazetteer.candidates(place, settings.gazetteer_min_population):
        return None
    return place, line[m.end():], m.group("agency")


def run(doc: Document, settings: Settings) -> str:
    r = rules()
    meta: Meta = doc.meta
    kept: list[str] = []
    headings: list[str] = []
    for raw_line in doc.raw.splitlines():
        line = " ".join(INLINE_MARKERS_RE.sub("", raw_line).split())
        if not line:
            continue
        credit = read_credit(line)
        if credit:
            outlet, when = credit
            if outlet and not meta.outlet:
                meta.outlet = outlet
            if when and not meta.published:
                meta.published, meta.published_source = when, "credit"
            continue
        if is_notice(line, r.notice_phrases):
            continue
        heading, line = split_glued_heading(line, r.connectives)
        if heading or is_heading(line):
            if not kept and not meta.title:
                meta.title = heading or line
            if not heading:
                headings.append(line)
                continue
        if not kept:
            dateline = read_dateline(line, settings)
            if dateline:
                place, line, agency = dateline
                meta.dateline = meta.dateline or place
                if agency and not meta.outlet:
                    meta.outlet = agency
        kept.append(line)
    if not kept and len(headings) == 1:
        kept = headings  # a one-line report with no closing punctuation is prose, not debris
    body = "\n\n".join(kept)
    if not body.strip():
        raise NewsledgerError("E101", "nothing is left after removing headings and notices")
    if len(body) < settings.min_body_chars:
        raise NewsledgerError("E112", f"{len(body)} characters after cleaning")
    return body


STAGE = Stage("clean", needs=("raw",), adds="body", item_type=None, run=run)
