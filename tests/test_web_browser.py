"""The web app in a real browser: headless Chromium (Debian's) driven by Playwright.

Loads the page from a server on 127.0.0.1 and a free port, filters by actor, opens an event
and checks the highlighted evidence and that article text stays text. A screenshot is kept
in pytest's tmp dir, or in $NEWSLEDGER_SCREENSHOT_DIR when set.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.slow

if not CHROMIUM.is_file():
    pytest.skip("headless browser test needs /usr/bin/chromium (apt-get install -y chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="headless browser test needs playwright (pip install playwright)")
uvicorn = pytest.importorskip("uvicorn", reason="the web app server needs uvicorn")

from newsledger.api import create_app  # noqa: E402
from tests.test_fuse import build_db  # noqa: E402


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_db(tmp_path_factory.mktemp("web") / "ledger.duckdb")
    port = _free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
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
def page(server: str) -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        tab = context.new_page()
        outside: list[str] = []
        tab.on("request", lambda request: outside.append(request.url)
               if not request.url.startswith(server) and not request.url.startswith("data:") else None)
        tab.outside_requests = outside  # type: ignore[attr-defined]
        yield tab
        context.close()
        browser.close()


def _screenshot_dir(tmp_path: Path) -> Path:
    chosen = os.environ.get("NEWSLEDGER_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_filter_by_actor_open_an_event_and_see_its_evidence(server: str, page, tmp_path: Path) -> None:
    page.goto(server + "/")
    page.wait_for_selector("#events tbody tr[data-event]")
    assert page.locator("#events tbody tr[data-event]").count() == 4
    assert page.locator("#map svg path.country").count() > 100          # the vendored world geometry
    assert page.locator("#map circle.dot").count() == 3
    assert page.locator("#network path.edge").count() == 3   # both names of the attackers
    assert page.locator("#timeline rect.bar").count() == 3

    page.fill("#f-actor", "taliban")
    page.click("#f-apply")
    row = page.locator("#events tbody tr[data-event]")
    sync_api.expect(row).to_have_count(1)
    assert "Tehreek-i-Taliban Pakistan" in row.inner_text()

    row.locator("a.type").click()
    page.wait_for_selector(".source-doc mark")
    marks = page.locator(".source-doc mark").all_inner_texts()
    assert marks == ["TTP gunmen attacked a police checkpoint in Quetta",
                     "militants of the Pakistani Taliban stormed a checkpoint in Quetta"]
    assert page.locator(".source-doc").count() == 2
    assert "We will hunt them down," in page.locator(".source-doc .quotes").first.inner_text()
    assert "Sources disagree on killed" in page.locator("#event-disagreements").inner_text()
    page.screenshot(path=str(_screenshot_dir(tmp_path) / "event-page.png"), full_page=True)
    assert page.outside_requests == []


def test_article_text_is_shown_as_text_never_as_html(server: str, page) -> None:
    page.goto(server + "/?fresh")
    sync_api.expect(page.locator("#events tbody tr[data-event]")).to_have_count(4)
    page.fill("#f-q", "bus")
    page.click("#f-apply")
    rows = page.locator("#events tbody tr[data-event]")
    sync_api.expect(rows).to_have_count(1)
    sync_api.expect(rows).to_contain_text("attacked a bus")
    rows.locator("a.type").click()
    page.wait_for_selector(".source-doc .article")
    article = page.locator(".source-doc .article")
    assert "<img src=x onerror=alert(1)>" in article.inner_text()
    assert article.locator("img").count() == 0
    assert page.locator(".source-doc h3 b").count() == 0
    assert "<b>near</b>" in page.locator(".source-doc h3").inner_text()
