"""Load time of the web app's overview in headless Chromium on a large store.

A store of the public corpora (`--db`, made by `newsledger ingest`) is copied and multiplied
in SQL to about `--events` canonical events, as `benchmarks/fusion_scale.py` does (copy k's
dates shifted by 3k days, its places moved to another large city). The app is served on
127.0.0.1 and the page opened in Debian's Chromium for each view below; the time is from
navigation until every view (table page, facets, time axis, network, map clusters) is drawn,
the fastest and the median of `--runs` loads after a warm-up (and the fastest time until the
table's first page is shown: it is drawn before the other views are asked for), with the API calls it made and
the bytes they returned (the page pages: it never loads every event). The map-box view is zoomed in
far enough to fetch and draw the first-level divisions (1.6 MB, once per page load). The machine's
load average is printed: timings on a shared machine are indicative only.

No tune/check split: nothing here is scored against gold.

    .venv/bin/newsledger ingest ../shared/corpus/public --metadata ../shared/corpus/public/INDEX.tsv --db /tmp/pub.duckdb
    .venv/bin/newsledger ingest ../shared/corpus/public2 --metadata ../shared/corpus/public2/INDEX.tsv --db /tmp/pub.duckdb
    nice -n 10 .venv/bin/python benchmarks/web_load.py --db /tmp/pub.duckdb --events 100000
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

VIEWS = {
    "all events": "#/",
    "type ASSAULT, sorted by articles": "#/?type=ASSAULT&sort=articles&dir=desc",
    "text 'attack', page 3": "#/?q=attack&offset=100",
    "one year": "#/?since=2025-01-01&until=2025-12-31",
    "map box (South Asia), provinces": "#/?bbox=20,60,40,80",
}


def build(source: Path, target: Path, events: int) -> int:
    """Copy the store and multiply its rows to about `events` canonical events."""
    from fusion_scale import city_pool, multiply

    from newsledger.store import Store

    shutil.copy(source, target)
    with Store.open(target) as store:
        base = store.connection.execute("SELECT count(*) FROM canonical_events").fetchone()[0]
        multiply(store, max(0, -(-events // base) - 1), city_pool())
        return int(store.connection.execute("SELECT count(*) FROM canonical_events").fetchone()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a store of the public corpora")
    parser.add_argument("--events", type=int, default=100_000, help="canonical events in the multiplied store")
    parser.add_argument("--runs", type=int, default=3, help="timed loads per view")
    parser.add_argument("--only", help="time only the views whose name contains this text")
    parser.add_argument("--store", type=Path, help="the multiplied store: built when absent, reused when present"
                        " (default: a temporary one)")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"no {args.db}: ingest the public corpora first (see the docstring)", file=sys.stderr)
        return 2
    import uvicorn
    from playwright.sync_api import sync_playwright

    from newsledger.api import create_app

    with tempfile.TemporaryDirectory() as scratch:
        db = args.store or Path(scratch) / "web-load.duckdb"
        started = time.perf_counter()
        if not db.exists():
            build(args.db, db, args.events)
        from newsledger.store import Store

        with Store.open(db, read_only=True) as store:
            total = store.connection.execute("SELECT count(*) FROM canonical_events").fetchone()[0]
        print(f"store: {total} canonical events (ready in {time.perf_counter() - started:.0f} s); load average "
              + ", ".join(f"{v:.1f}" for v in os.getloadavg()), flush=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox", "--headless", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            calls: list[tuple[str, int]] = []

            def answered(response: object) -> None:
                if "/api/" in response.url:
                    try:
                        calls.append((response.url, len(response.body())))
                    except Exception:  # noqa: BLE001 - a page navigated away from: its size is unknown
                        calls.append((response.url, 0))

            page.on("response", answered)
            print(f"{'view':<36} {'table s':>8} {'all views s':>11} {'median s':>9} {'API calls':>9} {'API kB':>8}"
                  "  rows shown")
            for name, hash_ in VIEWS.items():
                if args.only and args.only not in name:
                    continue
                timings, tables = [], []
                for run in range(args.runs + 1):          # the first load warms the caches
                    calls.clear()
                    page.goto("about:blank")
                    begin = time.perf_counter()
                    page.goto(base + hash_)
                    page.wait_for_function("() => / match\\.$/.test(document.getElementById('status').textContent)",
                                           timeout=120_000)
                    table = time.perf_counter() - begin
                    page.wait_for_function("() => document.body.dataset.loaded === (location.hash || '#/')",
                                           timeout=120_000)
                    if run:
                        timings.append(time.perf_counter() - begin)
                        tables.append(table)
                rows = page.locator("#events tbody tr[data-event]").count()
                shown = page.locator("#page").inner_text()
                print(f"{name:<36} {min(tables):>8.2f} {min(timings):>11.2f} {statistics.median(timings):>9.2f} {len(calls):>9}"
                      f" {sum(size for _, size in calls) / 1000:>8.0f}  {rows} ({shown})", flush=True)
            browser.close()
        server.should_exit = True
    print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{v:.1f}" for v in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
