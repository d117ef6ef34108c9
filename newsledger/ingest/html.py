"""HTML reader: article text and metadata from a web page, and text from HTML fragments.

Pages go through trafilatura, favouring precision (boilerplate such as menus, comments and
tables is left out) and keeping one paragraph per line. Metadata, in order, each source
filling only gaps: what the caller already knows (a URL from a WARC record or a fetch, a
title from a JSONL record), then trafilatura's metadata chain (title, site name, canonical
URL, publication date where the page states it), then htmldate's search of the page text
for the date when trafilatura found none.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from ..errors import NewsledgerError
from ..model import Document, Meta
from ..settings import Settings
from .validate import check_size, check_text, decode_bytes, looks_english

HTML_TYPES = ("text/html", "application/xhtml+xml")   # media types read as article pages

# Where a page declares its charset: <meta charset="..."> or the http-equiv content type.
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
CHARSET_SNIFF_BYTES = 4096
# An article has at least one line of prose this long (in words); menus, button labels and
# cookie notices extracted from a page without an article have none.
MIN_PROSE_LINE_WORDS = 8
# First pass for the date: only where a page states it (meta tags, JSON-LD, <time>, URL).
STRUCTURED_DATE_SEARCH = {"original_date": True, "extensive_search": False}
# Elements after which a fragment's text starts a new line.
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article")


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a meta tag near its start, if any."""
    match = _META_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else None


def parse_date_text(value: str | None) -> date | None:
    """An ISO date or datetime string (as metadata extractors return) to a date, or None."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _same_line(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def drop_leading_title(text: str, title: str | None) -> str:
    """Remove a first line that only repeats the page title: the title lives in `meta`."""
    if not title:
        return text
    first, newline, rest = text.partition("\n")
    return rest.lstrip("\n") if newline and _same_line(first, title) else text


def _trafilatura(page: str, url: str | None, favor_precision: bool) -> Any:
    """trafilatura's extraction of a page with metadata, boilerplate left out."""
    import trafilatura  # imported on first use: seconds a run of plain text need not pay

    return trafilatura.bare_extraction(
        page,
        url=url,
        favor_precision=favor_precision,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        date_extraction_params=STRUCTURED_DATE_SEARCH,
    )


def guess_date(page: str, url: str | None) -> date | None:
    """htmldate's extensive search (dates in the page text), for pages that state none.

    A January 1 result is dropped: the extensive search reports a bare year (such as a
    copyright line) as January 1 of that year, and a year is not a publication day.
    """
    import htmldate

    found = parse_date_text(htmldate.find_date(page, original_date=True, extensive_search=True, url=url))
    return None if found is None or (found.month, found.day) == (1, 1) else found


def has_prose(text: str) -> bool:
    """True when some line of `text` is long enough to be a sentence of an article."""
    return any(len(line.split()) >= MIN_PROSE_LINE_WORDS for line in text.splitlines())


def extract_article(page: str, source: str, url: str | None = None) -> tuple[str, Meta]:
    """The article text of an HTML page (one paragraph a line) and the metadata found in it.

    Extraction favours precision; only when that finds no text is it run again with
    trafilatura's balanced defaults (some layouts lose their only text block to the
    precision filters). Raises E105 when neither finds article text: at least one line
    of prose (`MIN_PROSE_LINE_WORDS`), so that a menu or a cookie notice is not taken for one.
    The date: where the page states it (trafilatura's structured search for the original
    publication date, not the last modification), else htmldate's guess (`guess_date`).
    """
    extracted = None
    text = ""
    try:
        for favor_precision in (True, False):
            extracted = _trafilatura(page, url, favor_precision)
            text = (getattr(extracted, "text", None) or "").strip()
            if has_prose(text):
                break
    except (ValueError, TypeError, _lxml_parser_error()) as err:
        raise NewsledgerError("E105", f"{source}: {err}") from None
    if text and not looks_english(text):
        raise NewsledgerError("E106", source)
    if not has_prose(text):
        raise NewsledgerError("E105", source)
    title = getattr(extracted, "title", None) or None
    published = parse_date_text(getattr(extracted, "date", None)) or guess_date(page, url)
    meta = Meta(
        source=source,
        title=title,
        outlet=getattr(extracted, "sitename", None) or None,
        published=published,
        published_source="html" if published else None,
        url=url or getattr(extracted, "url", None) or None,
        language="en",
    )
    return drop_leading_title(text, title), meta


def html_document(
    data: bytes,
    settings: Settings,
    source: str,
    known: Meta | None = None,
    declared_encoding: str | None = None,
) -> Document:
    """A Document from the bytes of an HTML page; raises NewsledgerError if invalid.

    `known` holds metadata the caller already has (it wins over what the page says);
    `declared_encoding` is a charset from outside the page, such as an HTTP header.
    """
    check_size(len(data), settings.max_input_bytes, source)
    page = decode_bytes(data, source, declared_encoding or declared_charset(data))
    url = known.url if known else None
    text, found = extract_article(page, source, url)
    check_text(text, source)
    if known is not None:
        found = replace(
            found,
            title=known.title or found.title,
            outlet=known.outlet or found.outlet,
            url=known.url or found.url,
        )
        if known.published is not None:
            found = replace(found, published=known.published, published_source=known.published_source)
    return Document(raw=text, meta=found)


def fragment_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content): one block a line.

    Trafilatura is made for whole pages and drops short fragments, so fragments are
    flattened directly: block elements end a line, scripts and styles are dropped.
    """
    if "<" not in fragment:
        return fragment.strip()
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except _lxml_parser_error():
        return ""
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _lxml_parser_error() -> type[Exception]:
    """lxml's ParserError, imported when HTML is first parsed (not at every start)."""
    from lxml.etree import ParserError

    return ParserError
