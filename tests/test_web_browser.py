"""The web app in a real browser: headless Chromium (Debian's) driven by Playwright.

Two stores: a hand-built one of four reports (`tests.test_fuse.build_db`: exact rows, fast)
for the behaviour of each view, and one ingested from the public corpora of ../shared
(skipped with its reason when ../shared is absent) to drive every view on real reports.
Each test listens for uncaught errors (`pageerror`) and requests leaving the server.
Screenshots go to pytest's tmp dir, or to $NEWSLEDGER_SCREENSHOT_DIR when set.
"""
from __future__ import annotations

import csv
import io
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

pytestmark = pytest.mark.slow

if not CHROMIUM.is_file():
    pytest.skip("headless browser test needs /usr/bin/chromium (apt-get install -y chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="headless browser test needs playwright (pip install playwright)")
uvicorn = pytest.importorskip("uvicorn", reason="the web app server needs uvicorn")

from newsledger.api import create_app  # noqa: E402
from tests.test_fuse import build_db  # noqa: E402

expect = sync_api.expect


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(db: Path, allow_edits: bool = False) -> Iterator[str]:
    port = _free_port()
    running = uvicorn.Server(uvicorn.Config(create_app(db, allow_edits=allow_edits), host="127.0.0.1", port=port,
                                            log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web app server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(build_db(tmp_path_factory.mktemp("web") / "ledger.duckdb"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


class Tab:
    """A browser tab on one server, with the uncaught errors and outside requests it saw."""

    def __init__(self, browser: object, server: str, downloads: bool = False):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=downloads)
        self.page = self.context.new_page()
        self.server = server
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.outside.append(request.url)
                     if not request.url.startswith(server) and not request.url.startswith("data:") else None)

    def open(self, hash_: str = "#/") -> object:
        self.page.goto(f"{self.server}/{hash_}")
        return self.page

    def loaded(self) -> object:
        """Wait until every view of the overview has been drawn for the current URL."""
        self.page.wait_for_function("() => document.body.dataset.loaded === (location.hash || '#/')")
        return self.page

    def view(self) -> dict[str, str]:
        """The filters, sort and page in the URL's hash."""
        fragment = urlsplit(self.page.url).fragment
        return {k: v[0] for k, v in parse_qs(fragment.partition("?")[2]).items()}

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: object, server: str) -> Iterator[Tab]:
    opened = Tab(browser, server, downloads=True)
    yield opened
    assert opened.errors == [], opened.errors
    assert opened.outside == [], opened.outside
    opened.close()


def _screenshot_dir(tmp_path: Path) -> Path:
    chosen = os.environ.get("NEWSLEDGER_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _rows(page: object) -> list[str]:
    return page.locator("#events tbody tr[data-event]").evaluate_all("rows => rows.map(r => r.dataset.event)")


# -- the hand-built store --------------------------------------------------------------------


def test_every_view_draws_and_an_event_shows_its_evidence(tab: Tab, tmp_path: Path) -> None:
    page = tab.open()
    tab.loaded()
    assert len(_rows(page)) == 4
    assert page.locator("#map svg path.country").count() > 100          # the vendored world geometry
    assert page.locator("#map circle.cluster").count() >= 1
    assert sum(int(c) for c in page.locator("#map circle.cluster").evaluate_all("cs => cs.map(c => c.dataset.count)")) == 3
    assert page.locator("#network path.edge").count() == 2              # first source -> first target
    assert page.locator("#network path.edge.conf").count() == 1         # the attack: conflictual
    assert page.locator("#network g.node.generic").count() == 1         # "police": a sector node
    bars = page.locator("#timeline rect.bar").evaluate_all("bs => bs.map(b => [b.dataset.start, +b.dataset.count])")
    assert bars == [["2024-05-14", 2], ["2024-05-16", 1], ["2024-05-19", 1]]
    assert "(PAK) (PAK)" not in page.locator("#network").inner_text()
    page.screenshot(path=str(_screenshot_dir(tmp_path) / "overview-small.png"), full_page=True)

    page.locator("#events tbody tr", has_text="Tehreek-i-Taliban").locator("a.type").click()
    page.wait_for_selector(".source-doc mark")
    assert page.locator(".source-doc mark").all_inner_texts() == [
        "TTP gunmen attacked a police checkpoint in Quetta",
        "militants of the Pakistani Taliban stormed a checkpoint in Quetta"]
    assert page.locator(".source-doc").count() == 2
    assert page.locator(".source-doc h3 a").first.get_attribute("href").startswith("https://example.org/")
    assert "We will hunt them down," in page.locator(".source-doc .quotes").first.inner_text()
    assert "Sources disagree on killed" in page.locator("#event-disagreements").inner_text()
    page.screenshot(path=str(_screenshot_dir(tmp_path) / "event-page.png"), full_page=True)


def test_article_text_is_shown_as_text_never_as_html(tab: Tab) -> None:
    page = tab.open("#/?q=bus")
    tab.loaded()
    rows = page.locator("#events tbody tr[data-event]")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("attacked a bus")
    rows.locator("a.type").click()
    page.wait_for_selector(".source-doc .article")
    article = page.locator(".source-doc .article")
    assert "<img src=x onerror=alert(1)>" in article.inner_text()
    assert article.locator("img").count() == 0
    assert page.locator(".source-doc h3 b").count() == 0
    assert "<b>near</b>" in page.locator(".source-doc h3").inner_text()


def test_filters_go_into_the_url_and_survive_a_reload(tab: Tab) -> None:
    page = tab.open()
    tab.loaded()
    page.fill("#f-actor", "taliban")
    page.select_option("#f-type", "ASSAULT")
    page.click("#f-apply")
    expect(page.locator("#events tbody tr[data-event]")).to_have_count(1)
    assert tab.view() == {"actor": "taliban", "type": "ASSAULT"}
    page.reload()
    tab.loaded()
    assert len(_rows(page)) == 1
    assert "Tehreek-i-Taliban Pakistan" in page.locator("#events tbody").inner_text()
    assert page.input_value("#f-actor") == "taliban" and page.input_value("#f-type") == "ASSAULT"
    assert page.locator("#chips li").count() == 2
    page.locator("#chips li[data-filter=actor] button").click()       # remove one filter
    expect(page.locator("#events tbody tr[data-event]")).to_have_count(2)
    assert tab.view() == {"type": "ASSAULT"}


def test_a_facet_click_filters_and_a_second_click_clears(tab: Tab) -> None:
    page = tab.open()
    tab.loaded()
    facet = page.locator("#facets button[data-facet=outlet][data-value='Daily Two']")
    assert facet.locator(".count").inner_text() == "2"
    facet.click()
    expect(page.locator("#events tbody tr[data-event]")).to_have_count(2)
    assert tab.view() == {"outlet": "Daily Two"}
    assert all("Daily Two" in text for text in page.locator("#events td.outlets").all_inner_texts())
    tab.loaded()
    page.locator("#facets button[data-facet=outlet][data-value='Daily Two']").click()
    expect(page.locator("#events tbody tr[data-event]")).to_have_count(4)


def test_sorting_by_a_column_and_downloads_give_the_rows_of_the_view(tab: Tab) -> None:
    page = tab.open("#/?type=ASSAULT")
    tab.loaded()
    page.click("#events th[data-sort=date]")                            # date ascending -> descending
    page.wait_for_function("() => location.hash.includes('dir=desc')")
    tab.loaded()
    assert tab.view() == {"type": "ASSAULT", "sort": "date", "dir": "desc"}
    assert page.locator("#events td.date").all_inner_texts() == ["2024-05-19", "2024-05-14"]
    assert page.locator("#events th[data-sort=date]").get_attribute("aria-sort") == "descending"
    shown = _rows(page)
    with page.expect_download() as csv_download:
        page.click("#dl-csv")
    table = list(csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8"))))
    assert [row["id"] for row in table] == shown
    assert [row["date"] for row in table] == ["2024-05-19", "2024-05-14"]
    assert table[1]["outlets"] == "Daily Two | Wire One" and table[1]["killed"] == "5"
    with page.expect_download() as json_download:
        page.click("#dl-json")
    records = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == shown and {r["type"] for r in records} == {"ASSAULT"}
    page.reload()
    tab.loaded()
    assert _rows(page) == shown                                        # the order survives a reload


def test_brushing_the_time_axis_filters_the_table_by_date(tab: Tab) -> None:
    page = tab.open()
    tab.loaded()
    overlay = page.locator("#timeline .brush .overlay")
    box = overlay.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.99, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    page.wait_for_function("() => location.hash.includes('since=')")
    tab.loaded()
    view = tab.view()
    assert "2024-05-16" < view["since"] <= "2024-05-19" and view["until"] >= "2024-05-19", view
    assert page.locator("#events td.date").all_inner_texts() == ["2024-05-19"]
    page.click("#time-out")
    page.wait_for_function("() => !location.hash.includes('until=2024-05-19')")
    tab.loaded()
    assert len(_rows(page)) >= 2


def test_the_map_zooms_and_a_cluster_click_filters_the_table(tab: Tab) -> None:
    page = tab.open()
    tab.loaded()
    chart = page.locator("#map svg")
    page.click("#map-in")
    page.wait_for_function("() => +document.querySelector('#map svg').dataset.zoom >= 1.9")
    page.click("#map-in")
    page.wait_for_function("() => +document.querySelector('#map svg').dataset.zoom >= 3.9")
    assert float(chart.get_attribute("data-zoom")) >= 3.9
    page.click("#map-world")
    page.wait_for_function("() => +document.querySelector('#map svg').dataset.zoom < 1.1")
    page.wait_for_function("() => document.querySelector('#map svg').dataset.level === '1.00'")
    count = page.evaluate("""() => {        // the biggest cluster drawn, read and clicked at once
        const cluster = document.querySelector('#map circle.cluster');
        cluster.dispatchEvent(new MouseEvent('click', {bubbles: true}));
        return +cluster.dataset.count; }""")
    page.wait_for_function("() => location.hash.includes('bbox=')")
    tab.loaded()
    south, west, north, east = map(float, unquote(tab.view()["bbox"]).split(","))
    assert south <= 30.2 <= north and west <= 67.0 <= east                 # Quetta inside
    assert count >= 2 and len(_rows(page)) == count                        # the table: that cluster's events
    assert float(chart.get_attribute("data-zoom")) > 2                     # the map zoomed to the box


def test_a_network_click_filters_the_table_by_that_actor(tab: Tab) -> None:
    page = tab.open()
    tab.loaded()
    page.locator("#network g.node[data-node='actor:Pakistan']").dispatch_event("click")
    page.wait_for_function("() => location.hash.includes('node=')")
    tab.loaded()
    assert tab.view() == {"node": "actor:Pakistan"}
    assert page.locator("#events td.who").all_inner_texts() == ["Pakistan (PAK) → Afghanistan (AFG)"]
    page.goto(f"{tab.server}/#/")
    tab.loaded()
    page.locator("#network g.node.generic").dispatch_event("click")      # police, folded by sector
    page.wait_for_function("() => location.hash.includes('node=sector')")
    tab.loaded()
    assert tab.view() == {"node": "sector:COP:PAK"}
    assert page.locator("#events td.who").all_inner_texts() == ["Tehreek-i-Taliban Pakistan (PAK) → police (PAK)"]


def test_a_malformed_address_shows_a_message_and_throws_nothing(tab: Tab, tmp_path: Path) -> None:
    page = tab.open("#/event/%E0%A4%A")
    expect(page.locator("#problem")).to_be_visible()
    assert "malformed" in page.locator("#problem").inner_text()
    page.screenshot(path=str(_screenshot_dir(tmp_path) / "malformed-hash.png"))
    page.goto(f"{tab.server}/#/?actor=%E0%A4%A")
    expect(page.locator("#problem")).to_contain_text("malformed")
    assert tab.errors == []                                                 # checked again by the fixture


def test_an_unknown_event_id_says_it_is_not_found(tab: Tab, tmp_path: Path) -> None:
    page = tab.open("#/event/ev-0000000000000000")
    expect(page.locator("#event-title")).to_contain_text("No event with the id “ev-0000000000000000”")
    assert "not_found" not in page.locator("#event-title").inner_text()
    assert page.locator("#event-facts").inner_text().strip()                # says why, not an empty box
    page.screenshot(path=str(_screenshot_dir(tmp_path) / "unknown-event.png"))


def test_a_split_is_shown_on_both_events_and_links_them(browser: object, tmp_path: Path) -> None:
    from newsledger.store import Store

    db = build_db(tmp_path / "split.duckdb")
    with Store.open(db) as store:
        store.add_split(("doc-a", "e1"), ("doc-b", "e1"), "different checkpoints")
        first, second = (row[0] for row in store.connection.execute(
            "SELECT canonical_id FROM canonical_members WHERE event_id = 'e1' AND doc_id IN ('doc-a', 'doc-b')"
            " ORDER BY doc_id").fetchall())
    for server in _serve(db):
        tab = Tab(browser, server)
        page = tab.open(f"#/event/{first}")
        box = page.locator("#event-history li.split")
        expect(box).to_contain_text("doc-a:e1 was split from doc-b:e1")
        expect(box).to_contain_text("different checkpoints")
        assert page.locator("#event-page button.edit").count() == 0        # read-only: no edit buttons
        expect(page.locator("#event-history")).to_contain_text("newsledger unsplit")
        box.locator("a").click()
        expect(page.locator("#event-history li.split")).to_contain_text("doc-b:e1 was split from doc-a:e1")
        assert page.url.endswith(f"#/event/{second}")
        page.screenshot(path=str(_screenshot_dir(tmp_path) / "split-event.png"), full_page=True)
        assert tab.errors == [] and tab.outside == []
        tab.close()


def test_a_split_made_from_the_page_is_undone_from_the_page(browser: object, tmp_path: Path) -> None:
    db = build_db(tmp_path / "edits.duckdb")
    shots = _screenshot_dir(tmp_path)
    for server in _serve(db, allow_edits=True):
        tab = Tab(browser, server)
        page = tab.open()
        tab.loaded()
        assert len(_rows(page)) == 4
        merged = page.locator("#events tbody tr", has_text="Tehreek-i-Taliban").get_attribute("data-event")
        page.goto(f"{server}/#/event/{merged}")
        page.wait_for_function(f"() => document.body.dataset.event === '{merged}'")
        assert page.locator("#event-history li.merge").count() == 1 and page.locator("#event-history li.split").count() == 0
        page.fill("#split-note", "a second checkpoint, not the same raid")
        page.click("button.split-off[data-mention='doc-b:e1']")
        split = page.locator("#event-history li.split")
        expect(split).to_contain_text("doc-a:e1 was split from doc-b:e1")   # the event keeps doc-a, its first report
        expect(split).to_contain_text("a second checkpoint, not the same raid")
        page.wait_for_function(f"() => document.body.dataset.event === '{merged}'")
        assert page.locator(".source-doc").count() == 1
        other = split.get_attribute("data-other")
        assert other and other != merged
        page.screenshot(path=str(shots / "split-from-page.png"), full_page=True)
        page.goto(f"{server}/#/")
        tab.loaded()
        assert len(_rows(page)) == 5 and {merged, other} <= set(_rows(page))  # two events now
        page.goto(f"{server}/#/event/{merged}")
        page.wait_for_function(f"() => document.body.dataset.event === '{merged}'")
        page.click("#event-history li.split button.undo-split")
        expect(page.locator("#event-history li.split")).to_have_count(0)
        page.wait_for_function(f"() => document.body.dataset.event === '{merged}'")
        expect(page.locator(".source-doc")).to_have_count(2)
        assert page.locator("#event-history li.merge").count() == 1
        page.screenshot(path=str(shots / "split-undone.png"), full_page=True)
        page.goto(f"{server}/#/")
        tab.loaded()
        assert len(_rows(page)) == 4                                        # one event again
        assert tab.errors == [] and tab.outside == []
        tab.close()


def test_wheel_and_drag_zoom_the_time_axis_with_bins_by_zoom_level(tab: Tab, tmp_path: Path) -> None:
    page = tab.open()
    tab.loaded()
    chart = page.locator("#timeline svg")
    assert chart.get_attribute("data-bin") == "day"
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)
    for _ in range(5):                                                      # scroll out: wider, coarser
        page.mouse.wheel(0, 500)
    page.wait_for_function("() => location.hash.includes('since=')")
    tab.loaded()
    view = tab.view()
    span = (date.fromisoformat(view["until"]) - date.fromisoformat(view["since"])).days
    assert span > 150 and view["since"] <= "2024-05-14" and view["until"] >= "2024-05-19", view
    assert page.locator("#timeline svg").get_attribute("data-bin") in ("week", "month")
    assert len(_rows(page)) == 4
    page.locator("#timeline-panel").screenshot(path=str(_screenshot_dir(tmp_path) / "timeline-zoomed-out.png"))
    before = tab.view()
    strip = page.locator("#timeline rect.pan").bounding_box()             # drag the date axis: move in time
    page.mouse.move(strip["x"] + strip["width"] * 0.6, strip["y"] + strip["height"] / 2)
    page.mouse.down()
    page.mouse.move(strip["x"] + strip["width"] * 0.3, strip["y"] + strip["height"] / 2, steps=6)
    page.mouse.up()
    page.wait_for_function(f"() => !location.hash.includes('since={before['since']}')")
    tab.loaded()
    after = tab.view()
    assert after["since"] > before["since"] and after["until"] > before["until"], (before, after)
    moved = (date.fromisoformat(after["until"]) - date.fromisoformat(after["since"])).days
    assert abs(moved - span) <= 2                                           # the same width, later


def test_provinces_are_drawn_when_zoomed_to_a_country_and_a_click_filters(browser: object, tmp_path: Path) -> None:
    from newsledger.store import Store

    db = build_db(tmp_path / "provinces.duckdb")
    with Store.open(db) as store:       # the hand-built places carry no division: Quetta's, as places gives it
        store.connection.execute("UPDATE canonical_events SET admin1 = 'PK-BA' WHERE location = 'Quetta'")
    for server in _serve(db):
        tab = Tab(browser, server)
        page = tab.open()
        tab.loaded()
        chart = page.locator("#map svg")
        assert page.locator("#map path.division").count() == 0              # the world: no divisions
        page.goto(f"{server}/#/?bbox=23.5,60.5,37.5,78")                     # Pakistan
        tab.loaded()
        page.wait_for_function("() => +document.querySelector('#map svg').dataset.divisions > 0")
        assert float(chart.get_attribute("data-zoom")) >= 6
        drawn = page.locator("#map path.division").evaluate_all("ps => ps.map(p => p.dataset.admin1)")
        assert {"PK-BA", "PK-PB", "PK-SD", "AF-KAN"} <= set(drawn) and len(drawn) < 300   # only those in view
        assert "US-TX" not in drawn
        page.locator("#map-panel").screenshot(path=str(_screenshot_dir(tmp_path) / "map-provinces.png"))
        page.locator("#map path.division[data-admin1='PK-BA']").dispatch_event("click")
        page.wait_for_function("() => location.hash.includes('admin1=')")
        tab.loaded()
        assert tab.view() == {"admin1": "PK-BA"}
        assert len(_rows(page)) == 2
        assert page.locator("#events td.place").all_inner_texts() == ["Quetta, PAK"] * 2
        assert page.locator("#map path.division.chosen").get_attribute("data-admin1") == "PK-BA"
        assert tab.errors == [] and tab.outside == []
        tab.close()


# -- the public corpora ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def public_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (SHARED / "corpus" / "public").is_dir():
        pytest.skip(f"the public corpora are absent ({SHARED.name}/corpus/public beside the repository)")
    from click.testing import CliRunner

    from newsledger.cli import cli

    db = tmp_path_factory.mktemp("public") / "public.duckdb"
    for corpus in ("public", "public2"):
        folder = SHARED / "corpus" / corpus
        result = CliRunner().invoke(cli, ["ingest", str(folder), "--metadata", str(folder / "INDEX.tsv"),
                                          "--db", str(db), "-q"])
        assert result.exit_code == 0, result.output
    yield from _serve(db)


def test_every_view_on_the_public_corpora(browser: object, public_server: str, tmp_path: Path) -> None:
    tab = Tab(browser, public_server)
    page = tab.open()
    tab.loaded()
    shots = _screenshot_dir(tmp_path)
    total = int(page.locator("#page").inner_text().split(" of ")[1].split()[0])
    assert total > 50 and len(_rows(page)) == 50                           # one page, not everything
    # the time axis: bins on a real time scale, periods for coarse dates
    caption = page.locator("#timeline-caption").inner_text()
    assert caption.startswith("Events per month") or caption.startswith("Events per year"), caption
    assert page.locator("#timeline rect.bar").count() >= 10
    # the network: labels never overlap, no doubled country suffix, generic nouns folded
    labels = page.locator("#network g.node text").evaluate_all(
        "ts => ts.map(t => { const b = t.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom, t.textContent]; })")
    assert len(labels) >= 5
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not (a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5), (a, b)
    names = [label[4] for label in labels]
    assert not any(name.count("(") > 1 for name in names), names
    assert not {"people", "children", "victims"} & {name.split(" (")[0] for name in names}, names
    kinds = page.locator("#network g.node").evaluate_all(
        "gs => gs.map(g => [g.classList.contains('generic'), g.querySelector('title').textContent.split(':')[0]])")
    bare = [(generic, name) for generic, name in kinds if name.split(" (")[0] == name.split(" (")[0].lower()]
    assert bare and all(generic for generic, _ in bare), bare          # common nouns are sector nodes
    page.screenshot(path=str(shots / "public-overview.png"), full_page=True)
    page.locator("#timeline-panel").screenshot(path=str(shots / "public-timeline.png"))
    page.locator("#network-panel").screenshot(path=str(shots / "public-network.png"))

    # the map zooms to a cluster and filters the table to it
    biggest = page.locator("#map circle.cluster").first
    count = int(biggest.get_attribute("data-count"))
    biggest.dispatch_event("click")
    page.wait_for_function("() => location.hash.includes('bbox=')")
    tab.loaded()
    assert float(page.locator("#map svg").get_attribute("data-zoom")) > 2
    assert int(page.locator("#page").inner_text().split(" of ")[1].split()[0]) >= count
    page.locator("#map-panel").screenshot(path=str(shots / "public-map-zoomed.png"))

    # zoomed in on four months around an event dated to a week or a month: bins of a day, and
    # that event a band spanning its period, several days wide
    rows = page.request.get(f"{public_server}/api/view/events?limit=500&sort=date").json()["items"]
    coarse = next(r for r in rows if r["date_precision"] in ("week", "month") and r["date"])
    middle = date.fromisoformat(coarse["date"][:7] + "-01" if len(coarse["date"]) == 7 else coarse["date"])
    page.goto(f"{public_server}/#/?since={middle - timedelta(days=45)}&until={middle + timedelta(days=75)}")
    tab.loaded()
    assert page.locator("#timeline-caption").inner_text().startswith("Events per day")
    periods = page.locator("#timeline rect.period").evaluate_all(
        "ps => ps.map(p => [p.dataset.start, p.dataset.end, p.getBBox().width])")
    days = page.locator("#timeline rect.bar").evaluate_all("bs => bs.map(b => b.getBBox().width)")
    spanning = [p for p in periods if p[0] <= str(middle) < p[1]]
    assert spanning and all(p[2] > 5 * max(days, default=1) for p in spanning), (coarse, periods)
    page.locator("#timeline-panel").screenshot(path=str(shots / "public-timeline-days.png"))

    # a facet, a sort, and a reload keep the view
    page.goto(f"{public_server}/#/")
    tab.loaded()
    page.locator("#facets button[data-facet=type]").first.click()
    page.wait_for_function("() => location.hash.includes('type=')")
    tab.loaded()
    page.click("#events th[data-sort=articles]")
    page.wait_for_function("() => location.hash.includes('sort=articles')")
    tab.loaded()
    page.click("#events th[data-sort=articles]")
    page.wait_for_function("() => location.hash.includes('dir=desc')")
    tab.loaded()
    articles = [int(v) for v in page.locator("#events td.num").all_inner_texts()]
    assert articles == sorted(articles, reverse=True)
    shown = _rows(page)
    page.reload()
    tab.loaded()
    assert _rows(page) == shown
    # a row opens the event page with each source's evidence highlighted
    page.locator("#events tbody tr[data-event]").first.locator("a.type").click()
    page.wait_for_selector(".source-doc mark")
    page.screenshot(path=str(shots / "public-event.png"), full_page=True)
    assert tab.errors == [] and tab.outside == []
    tab.close()
