"""RSS and Atom reader: one document per feed entry.

Each entry's text is its full content when the feed carries it, else its summary (HTML
flattened to text, one block a line). Metadata: the entry's title, link and publication
date (published, else updated), and the feed's title as outlet. The source of an entry is
"FEED#N", N counting entries from 1. A bad entry becomes a Failure for that entry only.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from ..errors import NewsledgerError
from ..model import Document, Failure, Meta
from ..settings import Settings
from .failures import failure, failure_from
from .html import fragment_to_text
from .validate import check_size, check_text, looks_binary

# Root elements that mark a document as a feed when its extension does not.
FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")


def looks_like_feed(head: bytes) -> bool:
    """True when the start of a file shows an RSS, Atom or RDF root element."""
    lowered = head.lower()
    return any(root in lowered for root in FEED_ROOTS)


def parse_feed_date(raw: str | None, parsed: Any = None) -> date | None:
    """An entry date: from its text (keeping the publisher's own calendar day), else from
    feedparser's UTC struct_time.

    RFC 3339 (Atom) and RFC 822 (RSS) texts are read first because feedparser's parsed
    form is converted to UTC, which moves an evening story in Asia to the previous day.
    """
    if raw:
        text = raw.strip()
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            pass
        try:
            return parsedate_to_datetime(text).date()
        except (TypeError, ValueError, IndexError):
            pass
    if parsed:
        try:
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        except (AttributeError, ValueError):
            return None
    return None


def entry_text(entry: Any) -> str:
    """The text of a feed entry: its richest content block, else its summary."""
    blocks = entry.get("content") or []
    candidates = [block.get("value", "") for block in blocks if block.get("value")]
    candidates.sort(key=len, reverse=True)
    raw = candidates[0] if candidates else entry.get("summary", "") or ""
    return fragment_to_text(raw)


def entry_document(entry: Any, outlet: str | None, source: str, malformed: str | None = None) -> Document:
    """A Document from one parsed feed entry; raises NewsledgerError if it has no text (E110,
    saying where the feed is malformed when it is) or bad text."""
    text = entry_text(entry)
    if not text.strip():
        where = f"; the feed is malformed ({malformed})" if malformed else ""
        raise NewsledgerError("E110", f"{source}: the entry has no content, summary or description{where}")
    text = check_text(text, source)
    published = parse_feed_date(entry.get("published"), entry.get("published_parsed"))
    if published is None:
        published = parse_feed_date(entry.get("updated"), entry.get("updated_parsed"))
    meta = Meta(
        source=source,
        title=(entry.get("title") or "").strip() or None,
        outlet=outlet,
        published=published,
        published_source="feed" if published else None,
        url=entry.get("link") or None,
        language="en",
    )
    return Document(raw=text, meta=meta)


def read_feed_bytes(data: bytes, settings: Settings, name: str) -> Iterator[Document | Failure]:
    """Documents (one per entry) and Failures from the bytes of an RSS or Atom feed."""
    try:
        check_size(len(data), settings.max_input_bytes, name)
        if not data.strip():
            raise NewsledgerError("E101", name)
        if looks_binary(data):
            raise NewsledgerError("E102", name)
    except NewsledgerError as err:
        yield failure_from(name, err)
        return
    import feedparser  # imported on first use: a run without feeds need not pay for it

    parsed = feedparser.parse(data)
    if not parsed.entries:
        if not parsed.get("version"):
            reason = parsed.get("bozo_exception") or "not an RSS or Atom document"
            yield failure(name, "E110", f"{name}: {reason}")
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    problem = parsed.get("bozo_exception")
    malformed = " ".join(str(problem).split())[:160] if parsed.get("bozo") and problem else None
    for number, entry in enumerate(parsed.entries, start=1):
        source = f"{name}#{number}"
        try:
            yield entry_document(entry, outlet, source, malformed)
        except NewsledgerError as err:
            yield failure_from(source, err)
