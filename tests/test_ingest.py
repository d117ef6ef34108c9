"""read_inputs: dispatch, plain text, directories, bad inputs, hints and metadata files."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

import newsledger.ingest.text as text_module
from newsledger.errors import NewsledgerError
from newsledger.ingest import detect_kind, read_inputs
from newsledger.ingest.metadata import load_metadata
from newsledger.model import Document, Failure, Meta
from newsledger.settings import Settings

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"

ARTICLE = (
    "ISLAMABAD: Pakistan and the United States agreed on Tuesday to widen their cooperation "
    "against militant groups operating along the Afghan border, officials said.\n"
    "The two sides met for two days of talks in the capital, the foreign office said in a statement.\n"
)
FRENCH = (
    "Le Pakistan et les États-Unis ont convenu mardi d'élargir leur coopération contre les groupes "
    "armés actifs le long de la frontière afghane, ont indiqué des responsables. Les deux parties "
    "se sont réunies pendant deux jours dans la capitale."
)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings.load()


def read_all(paths: list[str], settings: Settings, **options) -> list[Document | Failure]:
    return list(read_inputs(paths, settings, **options))


def the_failure(items: list[Document | Failure]) -> Failure:
    assert len(items) == 1 and isinstance(items[0], Failure), items
    return items[0]


# --- plain text and dispatch ---------------------------------------------------------------

def test_plain_text_file_becomes_a_document(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode())             # a UTF-8 BOM is fine
    [doc] = read_all([str(path)], settings)
    assert isinstance(doc, Document)
    assert doc.raw == ARTICLE and doc.body is None                  # raw; clean sets body later
    assert doc.meta.source == str(path) and doc.meta.published is None


@pytest.mark.parametrize("name, content, kind", [
    ("a.txt", "<html><body>html in a .txt stays text</body></html>", "text"),
    ("a.htm", "plain words", "html"),
    ("a.ndjson", "{}", "jsonl"),
    ("a.atom", "x", "feed"),
    ("a.warc.gz", "x", "warc"),
    ("noext", "Plain words of a report.", "text"),
    ("noext-html", "<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
    ("noext-feed", "<?xml version='1.0'?><rss version='2.0'><channel></channel></rss>", "feed"),
    ("noext-jsonl", '{"text": "x"}\n', "jsonl"),
    ("noext-warc", "WARC/1.0\r\n", "warc"),
    ("page.php", "<html><head></head></html>", "html"),
])
def test_kind_by_extension_then_by_content(tmp_path: Path, name: str, content: str, kind: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    assert detect_kind(path) == kind


def test_directory_expands_to_its_files_sorted(tmp_path: Path, settings: Settings) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "b.txt").write_text(ARTICLE)
    (corpus / "a.txt").write_text(ARTICLE.replace("Tuesday", "Monday"))
    (corpus / ".hidden.txt").write_text(ARTICLE)
    (corpus / "index.tsv").write_text("file\ttitle\na.txt\tA\n")         # a table, not an article
    (corpus / "nested").mkdir()
    (corpus / "nested" / "c.txt").write_text(ARTICLE)
    items = read_all([str(corpus)], settings)
    assert [Path(item.meta.source).name for item in items] == ["a.txt", "b.txt"]
    assert "Monday" in items[0].raw


def test_stdin_is_read_as_text_with_hints(settings: Settings) -> None:
    hints = Meta(published=date(2023, 3, 8), outlet="Dawn", title="Talks")
    [doc] = read_all(["-"], settings, hints=hints, stdin=io.BytesIO(ARTICLE.encode()))
    assert doc.meta.source == "<stdin>" and doc.raw == ARTICLE
    assert (doc.meta.published, doc.meta.published_source) == (date(2023, 3, 8), "option")
    assert (doc.meta.outlet, doc.meta.title) == ("Dawn", "Talks")


# --- bad inputs: each a Failure with its code, and reading goes on ---------------------------

@pytest.mark.parametrize("content, code", [
    (b"", "E101"),
    (b"  \n\t\n   \n", "E101"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "E102"),
    (bytes(range(1, 9)) * 50 + b" some words", "E102"),
    ("Caf\u00e9 owners in Peshawar said the blast shook the whole street.".encode("cp1252"), "E103"),
    (FRENCH.encode(), "E106"),
])
def test_bad_text_inputs(tmp_path: Path, settings: Settings, content: bytes, code: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    failure = the_failure(read_all([str(path)], settings))
    assert failure.code == code and failure.stage == "ingest"
    assert failure.source == str(path) and str(path) in failure.message
    assert "\n" not in failure.message


def test_twenty_megabytes_is_refused_before_reading(tmp_path: Path, settings: Settings, monkeypatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("w") as stream:
        line = "The army said the operation would continue until the area was cleared.\n"
        stream.write(line * (20_000_000 // len(line) + 1))
    assert settings.max_input_bytes == 5_000_000

    def must_not_read(*args, **kwargs):
        raise AssertionError("the file was read although its size is over the limit")

    monkeypatch.setattr(text_module, "read_capped", must_not_read)
    failure = the_failure(read_all([str(path)], settings))
    assert failure.code == "E104" and "max_input_bytes" in failure.message


def test_stdin_over_the_limit_is_e104(settings: Settings) -> None:
    small = settings.with_(max_input_bytes=100)
    failure = the_failure(read_all(["-"], small, stdin=io.BytesIO(ARTICLE.encode())))
    assert failure.code == "E104" and failure.source == "<stdin>"


def test_missing_file_is_e108_and_the_batch_goes_on(tmp_path: Path, settings: Settings) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    items = read_all([str(tmp_path / "missing.txt"), str(empty), str(good)], settings)
    assert [getattr(item, "code", "doc") for item in items] == ["E108", "E101", "doc"]
    assert str(tmp_path / "missing.txt") in items[0].message


# --- hints and metadata files ----------------------------------------------------------------

METADATA_TSV = (
    "slug\ttitle\tOutlet\tpublication_date\tsource_url\tnotes\n"
    "alpha\tTalks in Islamabad\tDawn\t2023-03-08\thttps://dawn.test/alpha\tfirst\n"
    "beta.txt\tn/a\tThe News\tn/a\t\tsecond\n"
    "gamma\tNo date\tExpress\t2023-03\tN/A\tpartial date\n"
)


def write_corpus(tmp_path: Path) -> Path:
    for stem in ("alpha", "beta", "gamma", "delta"):
        (tmp_path / f"{stem}.txt").write_text(ARTICLE)
    table = tmp_path / "meta.tsv"
    table.write_text(METADATA_TSV)
    return table


def test_metadata_table_finds_columns_by_alias_and_ignores_na(tmp_path: Path) -> None:
    table = load_metadata(write_corpus(tmp_path))
    alpha = table.lookup(tmp_path / "alpha.txt")
    assert alpha is not None
    assert (alpha.title, alpha.outlet, alpha.published, alpha.url) == (
        "Talks in Islamabad", "Dawn", date(2023, 3, 8), "https://dawn.test/alpha")
    beta = table.lookup(tmp_path / "beta.txt")                      # keyed by the file name
    assert beta is not None and (beta.title, beta.outlet, beta.published, beta.url) == (None, "The News", None, None)
    gamma = table.lookup(tmp_path / "gamma.txt")
    assert gamma is not None and gamma.published is None           # "2023-03" is not a day
    assert table.lookup(tmp_path / "delta.txt") is None


def test_metadata_fills_text_documents_and_hints_win(tmp_path: Path, settings: Settings) -> None:
    table = write_corpus(tmp_path)
    paths = [str(tmp_path / "alpha.txt"), str(tmp_path / "delta.txt")]
    alpha, delta = read_all(paths, settings, metadata_file=str(table))
    assert (alpha.meta.published, alpha.meta.published_source) == (date(2023, 3, 8), "metadata")
    assert alpha.meta.outlet == "Dawn" and alpha.meta.url == "https://dawn.test/alpha"
    assert delta.meta.published is None and delta.meta.outlet is None

    hinted, _ = read_all(paths, settings, metadata_file=str(table), hints=Meta(outlet="Given outlet"))
    assert hinted.meta.outlet == "Given outlet"                     # the option wins...
    assert hinted.meta.published_source == "metadata"              # ...and the table fills gaps


def test_metadata_csv_and_directory_skip_the_table(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "one.txt").write_text(ARTICLE)
    table = tmp_path / "meta.csv"
    table.write_text('file,date,source,headline\none.txt,2023-03-09T18:00:00+05:00,"Dawn, Karachi",Title one\n')
    [doc] = read_all([str(tmp_path)], settings, metadata_file=str(table))
    assert (doc.meta.published, doc.meta.outlet, doc.meta.title) == (date(2023, 3, 9), "Dawn, Karachi", "Title one")


def test_unreadable_metadata_file_is_one_failure_then_reading_goes_on(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "one.txt").write_text(ARTICLE)
    table = tmp_path / "meta.tsv"
    table.write_text("headline\tdate\nx\t2023-01-02\n")                 # no file column
    items = read_all([str(tmp_path / "one.txt")], settings, metadata_file=str(table))
    assert isinstance(items[0], Failure) and items[0].code == "E108" and str(table) in items[0].message
    assert isinstance(items[1], Document)
    with pytest.raises(NewsledgerError):
        load_metadata(tmp_path / "absent.tsv")


@pytest.mark.shared
def test_public_corpus_index_fills_metadata(settings: Settings) -> None:
    public = SHARED / "corpus" / "public"
    index = public / "INDEX.tsv"
    if not index.is_file():
        pytest.skip(f"shared corpus not present at {public}")
    items = read_all([str(public)], settings, metadata_file=str(index))
    docs = [item for item in items if isinstance(item, Document)]
    assert len(docs) == len(items) >= 10                            # every article reads, the index is skipped
    dated = [doc for doc in docs if doc.meta.published_source == "metadata"]
    assert len(dated) >= len(docs) // 2
    assert all(doc.meta.outlet for doc in docs)
    undated = [doc for doc in docs if doc.meta.published is None]
    assert all(doc.meta.published_source is None for doc in undated)  # "n/a" dates stay unknown
