"""URL reader: fetch a page over HTTP(S) and read it like a local file.

Fetching, per URL:

- Only http and https. Redirects are followed by hand, at most `MAX_REDIRECTS` hops, so that
  every hop is checked like the first URL.
- Server-side request forgery is refused (E109): before each hop the host name is resolved
  and the request is refused when any of its addresses is private, loopback, link-local,
  multicast, reserved or unspecified (127.0.0.1, 10.x, 169.254.169.254, ::1, fc00::/7 ...);
  after connecting, the address actually connected to is checked again (a name that resolves
  differently the second time). `allow_private_urls` (CLI `--allow-private-urls`) lifts this
  for an intranet or a local test server.
- One total deadline, `http_timeout` seconds for the whole URL: redirects, connection,
  headers and body. A server that drips bytes is cut off when the deadline passes.
- The body is streamed with a size cap (`http_max_bytes`).

Every fetch problem (connection, deadline, HTTP error status, size, refused address) is error
E109. The client and the resolver are injectable, so tests run offline (`httpx.MockTransport`
and a resolver of their own) or against a loopback server.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from ..errors import NewsledgerError
from ..model import Document, Failure, Meta
from ..settings import Settings
from .failures import failure_from
from .feed import looks_like_feed, read_feed_bytes
from .html import HTML_TYPES, html_document
from .text import text_document

USER_AGENT = "newsledger/0.1 (news event extraction; +https://pypi.org/project/newsledger/)"
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
SNIFF_BYTES = 2048
MAX_REDIRECTS = 10
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Resolves a host name and port to the IP addresses a connection could go to.
Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class FetchedPage:
    """What a fetch returns: the final URL after redirects, the payload and its type."""
    url: str
    content: bytes
    media_type: str
    charset: str | None


def system_resolve(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for `host` (E109 when it gives none)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as err:
        raise NewsledgerError("E109", f"{host}: the name does not resolve ({err})") from None
    return sorted({str(info[4][0]) for info in infos})


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address; False for private, loopback, link-local,
    multicast, reserved and unspecified ones (an IPv4 address mapped into IPv6 as itself)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def check_destination(url: str, settings: Settings, resolve: Resolver) -> None:
    """Refuse (E109) a URL that is not http(s) or whose host has a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NewsledgerError("E109", f"{url}: only http and https URLs with a host are fetched")
    if settings.allow_private_urls:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise NewsledgerError("E109", f"{url}: the port is not a number from 0 to 65535") from None
    host = parts.hostname
    addresses = [host] if _is_ip_literal(host) else resolve(host, port)
    blocked = [a for a in addresses if not is_public_address(a)]
    if blocked or not addresses:
        raise NewsledgerError(
            "E109", f"{url}: refused, {host} is a private, loopback, link-local or reserved address "
                    f"({', '.join(blocked) or 'none'}); pass --allow-private-urls to fetch it")


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _check_peer(response: httpx.Response, settings: Settings) -> None:
    """Refuse the response when the address actually connected to is not public (a name that
    resolved to a public address for the check and to a private one for the connection)."""
    if settings.allow_private_urls:
        return
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer and not is_public_address(str(peer[0])):
        raise NewsledgerError("E109", f"{response.request.url}: refused, connected to {peer[0]}, "
                                      "a private address; pass --allow-private-urls to fetch it")


def make_client(settings: Settings) -> httpx.Client:
    """An HTTP client with the timeout and user agent of newsledger; redirects are followed by
    `fetch_bytes` itself, one checked hop at a time."""
    return httpx.Client(
        timeout=httpx.Timeout(settings.http_timeout),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    )


class Deadline:
    """The one time limit of a fetch: seconds left, and E109 once it has passed."""

    def __init__(self, seconds: float, url: str):
        self.seconds = seconds
        self.url = url
        self.ends = time.monotonic() + seconds

    def left(self) -> float:
        remaining = self.ends - time.monotonic()
        if remaining <= 0:
            raise NewsledgerError("E109", f"{self.url}: took longer than http_timeout ({self.seconds:g} s)")
        return remaining


def _read_capped(response: httpx.Response, limit: int, url: str, deadline: Deadline) -> bytes:
    """The body of a streamed response, refused (E109) as soon as it passes `limit` bytes or
    the deadline, checked after each chunk: a fetch ends at the latest one read timeout
    after its deadline (httpcore reads the read timeout once per response)."""
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
        deadline.left()                 # E109 once the deadline has passed
    return b"".join(chunks)


def fetch_bytes(url: str, settings: Settings, client: httpx.Client | None = None,
                resolve: Resolver = system_resolve) -> FetchedPage:
    """GET `url`, following checked redirects, within the size cap and the deadline; raises
    NewsledgerError E109 on any fetch problem."""
    own_client = client is None
    active = make_client(settings) if client is None else client
    deadline = Deadline(settings.http_timeout, url)
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            check_destination(current, settings, resolve)
            request = active.build_request("GET", current, timeout=httpx.Timeout(deadline.left()))
            response = active.send(request, stream=True, follow_redirects=False)
            try:
                _check_peer(response, settings)
                if response.status_code in REDIRECT_STATUSES and "Location" in response.headers:
                    current = str(response.url.join(response.headers["Location"]))
                    continue
                if response.status_code >= 400:
                    raise NewsledgerError(
                        "E109", f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
                content = _read_capped(response, settings.http_max_bytes, url, deadline)
                media_type, _, _ = response.headers.get("Content-Type", "").partition(";")
                return FetchedPage(str(response.url), content, media_type.strip().lower(),
                                   response.charset_encoding)
            finally:
                response.close()
        raise NewsledgerError("E109", f"{url}: more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException:
        raise NewsledgerError("E109", f"{url}: took longer than http_timeout ({settings.http_timeout:g} s)") from None
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
    """A Document from a fetched page: plain text as text, an HTML page (or a page of no
    declared type) as HTML; any other declared type (JSON, PDF, images) is E109 naming it."""
    if page.media_type and not (_is_plain_text(page) or page.media_type in HTML_TYPES):
        raise NewsledgerError("E109", f"{source}: the server sent {page.media_type}, not an HTML page, "
                                      "plain text or a feed")
    if _is_plain_text(page):
        doc = text_document(page.content, settings, source)
        doc.meta.url = page.url
        return doc
    return html_document(page.content, settings, source, known=Meta(source=source, url=page.url),
                         declared_encoding=page.charset)


def fetch_url(url: str, settings: Settings, client: httpx.Client | None = None,
              resolve: Resolver = system_resolve) -> Document:
    """Fetch one article page (HTML or plain text) into a Document; raises NewsledgerError."""
    return page_document(fetch_bytes(url, settings, client, resolve), settings, url)


def read_url(url: str, settings: Settings, client: httpx.Client | None = None,
             resolve: Resolver = system_resolve) -> Iterator[Document | Failure]:
    """Documents and Failures from a URL: one for a page, one per entry for a feed."""
    try:
        page = fetch_bytes(url, settings, client, resolve)
        if _is_feed(page):
            yield from read_feed_bytes(page.content, settings, url)
            return
        yield page_document(page, settings, url)
    except NewsledgerError as err:
        yield failure_from(url, err)
