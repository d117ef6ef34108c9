"""URL reader: fetch a page over HTTP(S) and read it like a local file.

The response is streamed with a size cap (`http_max_bytes`), redirects are followed and the
timeout is `http_timeout`. Every fetch problem (connection, timeout, HTTP error status, size)
is error E109. The client is injectable, so tests run offline with `httpx.MockTransport`.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from ..errors import NewsledgerError
from ..model import Document, Failure, Meta
from ..settings import Settings
from .failures import failure_from
from .feed import looks_like_feed, read_feed_bytes
from .html import html_document
from .text import text_document

USER_AGENT = "newsledger/0.1 (news event extraction; +https://pypi.org/project/newsledger/)"
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
SNIFF_BYTES = 2048


@dataclass(frozen=True)
class FetchedPage:
    """What a fetch returns: the final URL after redirects, the payload and its type."""
    url: str
    content: bytes
    media_type: str
    charset: str | None


def make_client(settings: Settings) -> httpx.Client:
    """An HTTP client with the timeout, redirect policy and user agent of newsledger."""
    return httpx.Client(
        timeout=httpx.Timeout(settings.http_timeout),
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
    )


def _read_capped(response: httpx.Response, limit: int, url: str) -> bytes:
    """The body of a streamed response, refused (E109) as soon as it passes `limit` bytes."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise NewsledgerError("E109", f"{url}: {declared} bytes, http_max_bytes is {limit}")
    chunks: list[bytes] = []
    received = 0
    for chunk in response.iter_bytes():
        received += len(chunk)
        if received > limit:
            raise NewsledgerError("E109", f"{url}: more than http_max_bytes ({limit}) bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_bytes(url: str, settings: Settings, client: httpx.Client | None = None) -> FetchedPage:
    """GET `url` with the size cap; raises NewsledgerError E109 on any fetch problem."""
    own_client = client is None
    active = make_client(settings) if client is None else client
    try:
        with active.stream("GET", url, follow_redirects=True, timeout=settings.http_timeout) as response:
            if response.status_code >= 400:
                raise NewsledgerError("E109", f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
            content = _read_capped(response, settings.http_max_bytes, url)
            media_type, _, _ = response.headers.get("Content-Type", "").partition(";")
            charset = response.charset_encoding
            return FetchedPage(str(response.url), content, media_type.strip().lower(), charset)
    except httpx.TimeoutException:
        raise NewsledgerError("E109", f"{url}: timed out after {settings.http_timeout} s") from None
    except httpx.HTTPError as err:
        raise NewsledgerError("E109", f"{url}: {type(err).__name__}: {' '.join(str(err).split())}") from None
    finally:
        if own_client:
            active.close()


def _is_feed(page: FetchedPage) -> bool:
    return page.media_type in FEED_TYPES or (
        not page.media_type.startswith("text/html") and looks_like_feed(page.content[:SNIFF_BYTES])
    )


def _is_plain_text(page: FetchedPage) -> bool:
    return page.media_type == "text/plain"


def page_document(page: FetchedPage, settings: Settings, source: str) -> Document:
    """A Document from a fetched page: plain text as text, anything else as HTML."""
    if _is_plain_text(page):
        doc = text_document(page.content, settings, source)
        doc.meta.url = page.url
        return doc
    return html_document(page.content, settings, source, known=Meta(source=source, url=page.url),
                         declared_encoding=page.charset)


def fetch_url(url: str, settings: Settings, client: httpx.Client | None = None) -> Document:
    """Fetch one article page (HTML or plain text) into a Document; raises NewsledgerError."""
    return page_document(fetch_bytes(url, settings, client), settings, url)


def read_url(url: str, settings: Settings, client: httpx.Client | None = None) -> Iterator[Document | Failure]:
    """Documents and Failures from a URL: one for a page, one per entry for a feed."""
    try:
        page = fetch_bytes(url, settings, client)
        if _is_feed(page):
            yield from read_feed_bytes(page.content, settings, url)
            return
        yield page_document(page, settings, url)
    except NewsledgerError as err:
        yield failure_from(url, err)
