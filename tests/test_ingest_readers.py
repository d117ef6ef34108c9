"""Each reader on hand-built inputs: HTML, JSON Lines, RSS/Atom, WARC and URL (offline)."""
from __future__ import annotations

import gzip
import io
import json
from datetime import date
from pathlib import Path

import httpx
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsledger.errors import NewsledgerError
from newsledger.ingest import read_inputs
from newsledger.ingest.feed import parse_feed_date
from newsledger.ingest.html import fragment_to_text, html_document
from newsledger.ingest.url import fetch_url, read_url
from newsledger.model import Document, Failure
from newsledger.settings import Settings

PARAGRAPHS = [
    "Two soldiers were killed and five wounded when militants attacked a checkpoint near the "
    "border on Tuesday, officials said.",
    "The army said it had launched a search operation in the area and that the attackers had "
    "fled towards the mountains after an exchange of fire that lasted for an hour.",
    "\u201cWe will not allow anyone to disturb the peace of this region,\u201d a military "
    "spokesman told reporters in the provincial capital on Wednesday.",
]


def article_page(title: str = "Militants attack checkpoint near border", published: str | None = "2023-03-08") -> str:
    """A news page with navigation, an article and a footer, as a site would serve it."""
    date_meta = f'<meta property="article:published_time" content="{published}T09:00:00+05:00">' if published else ""
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} | Frontier Daily</title>"
        f'<meta property="og:site_name" content="Frontier Daily">{date_meta}</head><body>'
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright 2023 Frontier Daily. All rights reserved.</footer></body></html>"
    )


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings.load()


def only(items: list[Document | Failure]) -> Document:
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


# --- HTML -------------------------------------------------------------------------------------

def test_html_reader_extracts_article_and_metadata(tmp_path: Path, settings: Settings) -> None:
    page = tmp_path / "story.html"
    page.write_text(article_page(), "utf-8")
    doc = only(list(read_inputs([str(page)], settings)))
    lines = doc.raw.splitlines()
    assert lines[0].startswith("Two soldiers were killed")        # headline moved to meta.title
    assert len(lines) == 3                                           # one paragraph a line
    assert "Home" not in doc.raw and "Copyright" not in doc.raw     # boilerplate left out
    assert doc.meta.title == "Militants attack checkpoint near border"
    assert doc.meta.outlet == "Frontier Daily"
    assert doc.meta.published == date(2023, 3, 8) and doc.meta.published_source == "html"


def test_html_without_article_is_e105(tmp_path: Path, settings: Settings) -> None:
    page = tmp_path / "menu.html"
    page.write_text("<html><head><title>Index</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    [failure] = list(read_inputs([str(page)], settings))
    assert isinstance(failure, Failure) and failure.code == "E105" and str(page) in failure.message


def test_html_in_a_declared_legacy_charset_is_decoded(settings: Settings) -> None:
    page = article_page().replace("charset='utf-8'", "charset='windows-1252'")
    page = page.replace("Two soldiers", "Two caf\u00e9 soldiers")
    doc = html_document(page.encode("cp1252"), settings, "legacy.html")
    assert "Two caf\u00e9 soldiers" in doc.raw


def test_gzipped_html_is_sniffed_and_read(tmp_path: Path, settings: Settings) -> None:
    page = tmp_path / "saved.html.gz"
    page.write_bytes(gzip.compress(article_page().encode()))
    doc = only(list(read_inputs([str(page)], settings)))
    assert doc.meta.title == "Militants attack checkpoint near border"


def test_fragment_to_text_keeps_blocks_as_lines() -> None:
    text = fragment_to_text("<p>First <b>bold</b> line.</p><p>Second line.<br>Third</p><script>x()</script>")
    assert text.splitlines() == ["First bold line.", "Second line.", "Third"]


# --- JSON Lines -------------------------------------------------------------------------------

def test_jsonl_bad_line_between_good_ones(tmp_path: Path, settings: Settings) -> None:
    good = ('{"text": "%s", "outlet": "Frontier Daily", '
            '"published": "2023-03-08T10:00:00+05:00", "url": "https://x.test/1"}')
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([good % PARAGRAPHS[0], '{"text": "unterminated', "", good % PARAGRAPHS[1]]) + "\n")
    items = list(read_inputs([str(path)], settings))
    assert [type(item).__name__ for item in items] == ["Document", "Failure", "Document"]
    first, bad, second = items
    assert first.meta.source == f"{path}:1" and second.meta.source == f"{path}:4"
    assert bad.code == "E107" and bad.source == f"{path}:2" and f"{path}:2" in bad.message
    assert first.meta.published == date(2023, 3, 8) and first.meta.published_source == "jsonl"
    assert first.meta.outlet == "Frontier Daily" and first.meta.url == "https://x.test/1"


@pytest.mark.parametrize("line, code", [
    ('["a list"]', "E107"),
    ('{"title": "no text"}', "E107"),
    ('{"text": "The minister said the talks would resume.", "published": "last week"}', "E107"),
    ('{"text": "The minister said the talks would resume.", "title": 42}', "E107"),
    ('{"text": "   "}', "E101"),
    ('{"text": "Le ministre a déclaré que les négociations reprendraient le mois prochain à Paris."}', "E106"),
])
def test_jsonl_record_errors(tmp_path: Path, settings: Settings, line: str, code: str) -> None:
    path = tmp_path / "one.ndjson"
    path.write_text(line + "\n")
    [failure] = list(read_inputs([str(path)], settings))
    assert isinstance(failure, Failure) and failure.code == code


def test_jsonl_html_record_goes_through_the_html_reader(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"html": article_page(), "title": "Given title"}) + "\n")
    doc = only(list(read_inputs([str(path)], settings)))
    assert doc.meta.title == "Given title"                       # the record's own value wins
    assert doc.meta.outlet == "Frontier Daily"                  # the page fills the gap
    assert doc.raw.startswith("Militants attack") or doc.raw.startswith("Two soldiers")


def test_jsonl_over_long_line_is_refused_alone(tmp_path: Path) -> None:
    small = Settings.load().with_(max_input_bytes=300)
    path = tmp_path / "long.jsonl"
    long_text = "The army said the talks would go on. " * 40
    path.write_text(f'{{"text": "{long_text}"}}\n{{"text": "{PARAGRAPHS[0]}"}}\n')
    items = list(read_inputs([str(path)], small))
    assert isinstance(items[0], Failure) and items[0].code == "E104"
    assert isinstance(items[1], Document) and items[1].meta.source == f"{path}:2"


# --- RSS / Atom -------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Frontier Daily: World</title><link>https://frontier.test/</link>
<item><title>Checkpoint attacked</title><link>https://frontier.test/a</link>
<pubDate>Tue, 07 Mar 2023 22:30:00 +0500</pubDate>
<description>&lt;p&gt;{PARAGRAPHS[0]}&lt;/p&gt;&lt;p&gt;{PARAGRAPHS[1]}&lt;/p&gt;</description></item>
<item><title>Empty item</title><link>https://frontier.test/b</link><description></description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Frontier Atom</title>
<entry><title>Talks resume</title><link href="https://frontier.test/c"/>
<published>2023-03-08T01:15:00+05:00</published><updated>2023-03-09T00:00:00Z</updated>
<summary>Short summary.</summary>
<content type="html">&lt;p&gt;{PARAGRAPHS[2]}&lt;/p&gt;&lt;p&gt;{PARAGRAPHS[1]}&lt;/p&gt;</content></entry></feed>"""


def test_rss_reader_one_document_per_entry(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "world.rss"
    path.write_text(RSS)
    items = list(read_inputs([str(path)], settings))
    doc, empty = items
    assert isinstance(doc, Document) and doc.raw.splitlines() == PARAGRAPHS[:2]
    assert doc.meta.title == "Checkpoint attacked" and doc.meta.url == "https://frontier.test/a"
    assert doc.meta.outlet == "Frontier Daily: World" and doc.meta.source == f"{path}#1"
    # the publisher's own day, not the UTC day feedparser would give (2023-03-07 17:30 UTC)
    assert doc.meta.published == date(2023, 3, 7) and doc.meta.published_source == "feed"
    assert isinstance(empty, Failure) and empty.code == "E110" and empty.source == f"{path}#2"
    assert "no content, summary or description" in empty.message


def test_atom_feed_found_by_root_element_uses_content_over_summary(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "feed-without-extension"
    path.write_text(ATOM)
    doc = only(list(read_inputs([str(path)], settings)))
    assert doc.raw.splitlines() == [PARAGRAPHS[2], PARAGRAPHS[1]]
    assert doc.meta.published == date(2023, 3, 8)                 # published, not updated
    assert doc.meta.outlet == "Frontier Atom"


def test_xml_that_is_no_feed_is_e110(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "config.xml"
    path.write_text("<?xml version='1.0'?><config><value>1</value>")
    [failure] = list(read_inputs([str(path)], settings))
    assert isinstance(failure, Failure) and failure.code == "E110"


def test_feed_dates_parse_rfc822_and_rfc3339() -> None:
    assert parse_feed_date("Wed, 08 Mar 2023 23:59:00 -0800") == date(2023, 3, 8)
    assert parse_feed_date("2023-03-08T23:59:00Z") == date(2023, 3, 8)
    assert parse_feed_date("someday") is None


# --- WARC -------------------------------------------------------------------------------------

def write_warc(path: Path, responses: list[tuple[str, str, str, bytes]], gzipped: bool) -> None:
    """A WARC of response records (url, HTTP status line, content type, payload)."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        for url, status, content_type, payload in responses:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2023-03-09T04:00:00Z"},
            )
            writer.write_record(record)


@pytest.mark.parametrize("name, gzipped", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_reader_keeps_html_responses(tmp_path: Path, settings: Settings, name: str, gzipped: bool) -> None:
    path = tmp_path / name
    write_warc(path, [
        ("https://frontier.test/a", "200 OK", "text/html; charset=utf-8", article_page().encode()),
        ("https://frontier.test/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("https://frontier.test/old", "301 Moved Permanently", "text/html", b"<html>moved</html>"),
        ("https://frontier.test/b", "200 OK", "text/html", article_page(published=None).encode()),
        ("https://frontier.test/c", "200 OK", "text/html", b"<html><body><nav>Home</nav></body></html>"),
    ], gzipped)
    first, second, bad = list(read_inputs([str(path)], settings))
    assert first.meta.url == "https://frontier.test/a" and first.meta.source.startswith(f"{path}@")
    assert first.meta.published == date(2023, 3, 8) and first.meta.published_source == "html"
    # no date in the page: the capture date stands in, and says so
    assert second.meta.published == date(2023, 3, 9) and second.meta.published_source == "warc"
    assert isinstance(bad, Failure) and bad.code == "E105" and bad.source.startswith(f"{path}@")


@pytest.mark.parametrize("content", [
    b"this is plain text, not an archive\n",
    gzip.compress(b"this is gzipped text, not an archive\n"),
    b"\x1f\x8b\x08\x00 broken gzip",
])
def test_a_file_that_is_no_warc_is_e111(tmp_path: Path, settings: Settings, content: bytes) -> None:
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(content)
    [failure] = list(read_inputs([str(path)], settings))
    assert isinstance(failure, Failure) and failure.code == "E111" and str(path) in failure.message


# --- URL --------------------------------------------------------------------------------------

def mock_client(handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)


def public_resolver(host: str, port: int) -> list[str]:
    """Every name resolves to one public address: no DNS query leaves the test."""
    return ["93.184.215.14"]


def test_url_fetch_ok_follows_redirects(settings: Settings) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/short":
            return httpx.Response(301, headers={"Location": "https://frontier.test/story"})
        html_type = {"Content-Type": "text/html; charset=utf-8"}
        return httpx.Response(200, headers=html_type, content=article_page().encode())

    doc = fetch_url("https://frontier.test/short", settings, client=mock_client(handler), resolve=public_resolver)
    assert doc.meta.url == "https://frontier.test/story" and doc.meta.source == "https://frontier.test/short"
    assert doc.raw.startswith("Two soldiers") and doc.meta.published == date(2023, 3, 8)


def test_url_404_is_e109(settings: Settings) -> None:
    client = mock_client(lambda request: httpx.Response(404, content=b"not here"))
    [failure] = list(read_url("https://frontier.test/gone", settings, client, public_resolver))
    assert failure.code == "E109" and "404" in failure.message and "https://frontier.test/gone" in failure.message


def test_url_over_size_cap_is_e109_declared_or_streamed(settings: Settings) -> None:
    capped = settings.with_(http_max_bytes=1000)
    declared = mock_client(lambda request: httpx.Response(200, content=b"x" * 5000))
    with pytest.raises(NewsledgerError) as caught:
        fetch_url("https://frontier.test/big", capped, client=declared, resolve=public_resolver)
    assert caught.value.code == "E109" and "http_max_bytes" in caught.value.message

    chunks_sent: list[int] = []

    def endless():
        for _ in range(10_000):
            chunks_sent.append(1)
            yield b"y" * 100

    streamed = mock_client(lambda request: httpx.Response(200, content=endless()))
    with pytest.raises(NewsledgerError) as caught:
        fetch_url("https://frontier.test/stream", capped, client=streamed, resolve=public_resolver)
    assert caught.value.code == "E109"
    assert len(chunks_sent) < 100                                # stopped early, not read to the end


def test_url_timeout_is_e109(settings: Settings) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow server", request=request)

    [failure] = list(read_inputs(["https://frontier.test/slow"], settings, http_client=mock_client(handler), resolve=public_resolver))
    assert failure.code == "E109" and "http_timeout" in failure.message


def test_url_serving_a_feed_yields_its_entries(settings: Settings) -> None:
    rss_type = {"Content-Type": "application/rss+xml"}
    client = mock_client(lambda request: httpx.Response(200, headers=rss_type, content=RSS.encode()))
    items = list(read_url("https://frontier.test/feed", settings, client, public_resolver))
    assert isinstance(items[0], Document) and items[0].meta.source == "https://frontier.test/feed#1"
