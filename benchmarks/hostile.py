"""Hostile inputs through the real command line: result, wall time and peak memory per class.

    .venv/bin/python benchmarks/hostile.py                 # every input class, then the length line
    .venv/bin/python benchmarks/hostile.py --classes-only
    .venv/bin/python benchmarks/hostile.py --lengths 10000,100000,1000000 --stages quotes,events
    .venv/bin/python benchmarks/hostile.py --stage-table --lengths 10000,100000,1000000   # CPU s per stage

Each case runs `newsledger` in a fresh process (so peak memory is that of the case alone,
read with `os.wait4`) on inputs this script writes itself: generated English reports (a
handful of hand-written sentence patterns filled from small word lists, no third-party text),
binary and broken files, a gzip bomb, entity-expansion and external-entity feeds, truncated
WARC files, a malformed metadata table, and URLs to a private address and to a loopback
server that drips one byte every 0.5 s. Network traffic stays on 127.0.0.1.

The length line runs `extract --last-stage STAGE` on one generated report of 10k, 100k and
1M characters (and on a 1k one, the start-up) and prints wall and CPU seconds and microseconds
of CPU per character, of the whole run and beyond the start-up: a pipeline that is linear in
the length of the document keeps the latter flat. The CPU of a run is that of every process
(a body of 200k characters or more is parsed on two, `stages/nlp.py`, and its time stage runs
in a forked child, `newsledger/aside.py`); the children's shares, read from the run's debug log,
are printed beside it, and the load average with each row. The runs read the gazetteer's index
from the user cache folder: on a machine where another checkout with other place tables runs
too, each may rebuild it (~10 s of CPU) in the middle of the table; give the runs a folder of
their own with NEWSLEDGER_CACHE_DIR (a rebuild shows as a row's CPU jumping by about that much).
`--stage-table` times each stage alone in one process instead (CPU seconds; the nlp child's
apart), to see where the time of a long report goes, and sums what stays on the main process's
path when the time stage runs aside; the stages run as the pipeline runs them (the collector's
thresholds raised, `pipeline.fewer_collections`) and the collector's own CPU is printed apart.

No evaluation data is read, so there is no tune/check split here.
"""
from __future__ import annotations

import argparse
import gc
import gzip
import io
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE_TIMEOUT = float(os.environ.get("HOSTILE_CASE_TIMEOUT", "420"))  # a case still running is killed
LENGTH_TIMEOUT = float(os.environ.get("HOSTILE_LENGTH_TIMEOUT", "900"))  # a length run still running is killed (exit -9)
NEWSLEDGER = [sys.executable, "-c", "from newsledger.cli import main; main()"]

ACTORS = ["police", "the army", "security forces", "the interior ministry", "militants", "the provincial government",
          "protesters", "the foreign minister", "border guards", "the election commission"]
VERBS = ["attacked", "arrested", "met", "criticised", "accused", "detained", "welcomed", "warned"]
OBJECTS = ["a checkpoint", "four suspects", "a delegation", "the opposition leader", "local officials",
           "a convoy", "the rebel commander", "two journalists"]
PLACES = ["Peshawar", "Quetta", "Kabul", "Lahore", "Karachi", "Jalalabad", "Islamabad", "Kandahar"]
DAYS = ["on Monday", "on Tuesday", "last week", "on Friday", "on Sunday night", "in March"]
# Invented people, so that quotations, their speakers and the pronouns that refer back to them
# recur all through a long report (the quotes and coreference stages see thousands of them).
PEOPLE = [("Amina Rahimi", "she", "spokeswoman"), ("Tariq Shah", "he", "police chief"),
          ("Daniel Moreau", "he", "envoy"), ("Leila Haddad", "she", "minister")]


def generated_report(chars: int, seed: int = 7) -> str:
    """An English report of about `chars` characters: paragraphs of generated news sentences."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            actor, verb, obj = rng.choice(ACTORS), rng.choice(VERBS), rng.choice(OBJECTS)
            place, day = rng.choice(PLACES), rng.choice(DAYS)
            killed = rng.randint(2, 40)
            name, pronoun, role = rng.choice(PEOPLE)
            sentences.append(rng.choice([
                f"{actor.capitalize()} {verb} {obj} in {place} {day}, officials said.",
                f"At least {killed} people were killed when {actor} {verb} {obj} near {place} {day}.",
                f"A spokesman said {actor} had {verb} {obj} in {place} and that talks would resume.",
                f"“We will not accept this,” said {name}, the {role}. {pronoun.capitalize()} added that {actor} "
                f"had {verb} {obj} {day}.",
                f"The talks in {place} stalled {day}, according to {actor}.",
            ]))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars]


@dataclass(frozen=True)
class Run:
    """One command run: exit status, wall seconds, CPU seconds (user + system), peak resident
    memory (MB), its stderr."""
    status: int
    seconds: float
    cpu_seconds: float
    peak_mb: float
    stderr: str


def run(args: list[str], timeout: float = 900) -> Run:
    """`newsledger ARGS` in a fresh process, timed, with its own peak memory."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        process = subprocess.Popen(NEWSLEDGER + args, stdout=out, stderr=err, cwd=ROOT)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return Run(process.returncode, time.monotonic() - started, usage.ru_utime + usage.ru_stime,
                   usage.ru_maxrss / 1024, err.read().decode("utf-8", "replace"))


def summary(result: Run) -> str:
    """The exit status and what the run said: failure codes and the ingest summary."""
    lines = [line for line in result.stderr.splitlines() if line.strip() and "doc/s" not in line]
    codes = sorted({line.split("]")[0].split("[")[1] for line in lines if line.startswith(("failed[", "error["))})
    tail = next((line for line in reversed(lines) if "stored" in line), "")
    stored = tail.split(",")[0] if tail else ""
    if result.status == -9:
        return f"killed after {CASE_TIMEOUT:.0f} s"
    return f"exit {result.status}; " + "; ".join(part for part in (stored, " ".join(codes)) if part)


class Drip(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(400):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            return


def warc_bytes(pages: int, gzipped: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for number in range(pages):
        body = "".join(f"<p>{p}</p>" for p in generated_report(3000, seed=number).split("\n\n"))
        page = f"<html><body><article><h1>Report {number}</h1>{body}</article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://news.example/{number}", "response",
                                                      payload=io.BytesIO(page), http_headers=headers))
    return buffer.getvalue()


def input_classes(folder: Path, drip_url: str) -> list[tuple[str, list[str]]]:
    """(input class, ingest arguments) for every case; files are written into `folder`."""
    good = folder / "good"
    good.mkdir()
    for number in range(3):
        (good / f"report-{number}.txt").write_text(generated_report(2500, seed=number))

    def case(name: str, files: dict[str, bytes]) -> list[str]:
        directory = folder / name
        directory.mkdir()
        for file, data in files.items():
            (directory / file).write_bytes(data)
        for path in good.iterdir():
            (directory / path.name).write_bytes(path.read_bytes())
        return [str(directory)]

    laughs = "".join(f'<!ENTITY l{n} "{("&l%d;" % (n - 1)) * 10}">' for n in range(1, 10))
    feed = '<?xml version="1.0"?><!DOCTYPE rss [{}]><rss version="2.0"><channel><title>T</title><item>' \
           "<title>x</title><description>{} {}</description></item></channel></rss>"
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb") as stream:
        for _ in range(200):
            stream.write(b"A" * (1 << 20))
    warc = warc_bytes(3, gzipped=True)
    table = folder / "meta.tsv"
    table.write_text('file\ttitle\nreport-0.txt\t"Unterminated quote\nreport-1.txt\tThe "peace" talks\n'
                     "report-2.txt\ttoo\tmany\nreport-1.txt\tagain\n")
    return [
        ("3 good reports", [str(good)]),
        ("2 MB English report + 3 good", case("long", {"long.txt": generated_report(2_000_000).encode()})),
        ("4.9 MB line without spaces + 3 good", case("nospace", {"line.txt": b"x" * 4_900_000})),
        ("6 MB report (over max_input_bytes) + 3 good", case("huge", {"huge.txt": generated_report(6_000_000).encode()})),
        ("empty, binary, Latin-1, French + 3 good", case("bad", {
            "empty.txt": b"", "binary.txt": bytes(range(256)) * 40, "latin1.txt": "café réunion à Kaboul. ".encode("latin-1") * 20,
            "french.txt": ("Le ministre a déclaré mardi que les pourparlers reprendraient la semaine prochaine. " * 5).encode()})),
        ("gzip bomb (200 MB in 200 kB) + 3 good", case("bomb", {"bomb.txt.gz": bomb.getvalue()})),
        ("billion laughs feed + 3 good", case("laughs", {"laughs.xml": feed.format(
            '<!ENTITY l0 "ha">' + laughs, generated_report(400), "&l9;").encode()})),
        ("XXE feed (file:///etc/passwd) + 3 good", case("xxe", {"xxe.xml": feed.format(
            '<!ENTITY x SYSTEM "file:///etc/passwd">', generated_report(400), "&x;").encode()})),
        ("gzipped WARC, last record cut + 3 good", case("warcgz", {"crawl.warc.gz": warc[:-60]})),
        ("plain WARC, last record cut + 3 good", case("warc", {"crawl.warc": warc_bytes(3, gzipped=False)[:-60]})),
        ("malformed TSV metadata + 3 good", [str(good), "--metadata", str(table)]),
        ("URL to 169.254.169.254 (refused unconnected)", ["http://169.254.169.254/latest/meta-data/"]),
        ("URL to localhost (refused unconnected)", ["http://localhost:9/"]),
        ("loopback server dripping 1 byte/0.5 s, allowed", [drip_url, "--allow-private-urls", "--config",
                                                           str(folder / "quick.toml")]),
    ]


def classes_table() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("| input class | result | time (s) | peak memory (MB) |")
    print("| --- | --- | ---: | ---: |")
    try:
        with tempfile.TemporaryDirectory(prefix="newsledger-hostile-") as scratch:
            folder = Path(scratch)
            (folder / "quick.toml").write_text("http_timeout = 3.0\n")
            for name, args in input_classes(folder, f"http://127.0.0.1:{server.server_address[1]}/slow"):
                db = folder / f"{abs(hash(name))}.duckdb"
                result = run(["ingest", *args, "--db", str(db), "--no-progress"], timeout=CASE_TIMEOUT)
                print(f"| {name} | {summary(result)} | {result.seconds:.1f} | {result.peak_mb:.0f} |", flush=True)
    finally:
        server.shutdown()


# the lines logged (at debug level) for the pieces a forked child parsed (`stages/nlp.py`) and
# for a stage run aside in a forked child (`newsledger/aside.py`)
CHILD_CPU = re.compile(r"pieces parsed in a child: start-up [0-9.]+ s, CPU ([0-9.]+) s")
ASIDE_CPU = re.compile(r"ran aside in a child: [0-9.]+ s wall, CPU ([0-9.]+) s")
STARTUP_CHARS = 1_000   # the report whose run stands for the fixed cost of a run (loading the model and resources)


def length_table(lengths: list[int], stages: list[str]) -> None:
    """`extract --last-stage STAGE` in a fresh process per length. The cost per character is
    given twice: of the whole run, and beyond a run on a 1k-character report (the start-up:
    loading spaCy, the gazetteer and the dictionaries), which is what stays flat when every
    stage is linear. CPU seconds are those of the process, less disturbed by other load."""
    print(f"\nload average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\n| characters | last stage | result | wall (s) | CPU (s), all processes | of which the nlp child "
          "| of which the stage child | µs per character (CPU) | µs per character beyond start-up (CPU) "
          "| peak memory (MB) | load (1 min) |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    startup: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="newsledger-length-") as scratch:
        # the 1k report twice: the first run may also fill the caches (the gazetteer index)
        for chars in [STARTUP_CHARS, STARTUP_CHARS, *lengths]:
            path = Path(scratch) / f"report-{chars}.txt"
            path.write_text(generated_report(chars))
            for stage in stages:
                result = run(["extract", str(path), "--last-stage", stage, "--format", "jsonl", "--published",
                              "2024-05-14", "--no-progress", "--debug"], timeout=LENGTH_TIMEOUT)
                child = sum(float(x) for x in CHILD_CPU.findall(result.stderr))
                aside = sum(float(x) for x in ASIDE_CPU.findall(result.stderr))
                if chars == STARTUP_CHARS:
                    startup[stage] = min(startup.get(stage, result.cpu_seconds), result.cpu_seconds)
                beyond = 1e6 * (result.cpu_seconds - startup[stage]) / (chars - STARTUP_CHARS) if chars > STARTUP_CHARS else 0
                print(f"| {chars:,} | {stage} | exit {result.status} | {result.seconds:.1f} | {result.cpu_seconds:.1f} | "
                      f"{child:.1f} | {aside:.1f} | {1e6 * result.cpu_seconds / chars:.0f} | {beyond:.1f} | {result.peak_mb:.0f} | "
                      f"{os.getloadavg()[0]:.1f} |", flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def stage_table(lengths: list[int]) -> None:
    """Each stage of the pipeline timed alone in this process (CPU seconds, after a warm-up on
    a short report), one generated report per length: where the time of a long report goes."""
    import datetime

    sys.path.insert(0, str(ROOT))
    from newsledger.model import Document, Meta
    from newsledger.pipeline import DOCUMENT_STAGES, fewer_collections, run_stage, spacy_pipes
    from newsledger.settings import Settings
    from newsledger.stages import clean, nlp

    settings = Settings.load()

    def timed(text: str) -> dict[str, float]:
        doc = Document(raw=text, meta=Meta(source="<generated>", published=datetime.date(2024, 5, 14)))
        seconds: dict[str, float] = {}
        start = time.process_time()
        run_stage(clean.STAGE, doc, settings)
        seconds["clean"] = time.process_time() - start
        start, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
        (doc.spacy_doc,) = nlp.annotate([doc], settings, spacy_pipes(DOCUMENT_STAGES))
        seconds["nlp"] = time.process_time() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds["nlp child"] = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        collecting.clear()
        with fewer_collections():   # as the pipeline runs them
            for stage in DOCUMENT_STAGES:
                start = time.process_time()
                run_stage(stage, doc, settings)
                seconds[stage.name] = time.process_time() - start
        seconds["of which the collector"] = sum(collecting)
        return seconds

    collecting: list[float] = []   # CPU seconds of each pass of the cyclic collector during the stages
    began = [0.0]

    def collector_pass(phase: str, info: dict) -> None:
        if phase == "start":
            began[0] = time.process_time()
        else:
            collecting.append(time.process_time() - began[0])

    gc.callbacks.append(collector_pass)

    timed(generated_report(5_000, seed=3))   # warm-up: the model and resources load once
    print(f"\nload average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows = [(chars, timed(generated_report(chars))) for chars in lengths]
    names = list(rows[0][1])
    print("\nCPU seconds per stage (µs per character in brackets)\n")
    print("| characters | " + " | ".join(names) + " | total |")
    print("| ---: |" + " ---: |" * (len(names) + 1))
    for chars, seconds in rows:
        cells = [f"{seconds[n]:.2f} ({1e6 * seconds[n] / chars:.1f})" for n in names]
        total = sum(v for n, v in seconds.items() if n != "of which the collector")
        print(f"| {chars:,} | " + " | ".join(cells) + f" | {total:.1f} ({1e6 * total / chars:.1f}) |", flush=True)
    print(f"\nA body of {nlp.SPREAD_MIN_CHARS:,} characters or more runs its time stage aside (newsledger/aside.py):")
    print("CPU seconds on this process's path (total less the nlp child and time): "
          + ", ".join(f"{chars:,}: {sum(seconds.values()) - seconds['of which the collector'] - seconds['nlp child'] - seconds['time']:.1f}"
                      for chars, seconds in rows if chars >= nlp.SPREAD_MIN_CHARS))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes-only", action="store_true")
    parser.add_argument("--lengths-only", action="store_true")
    parser.add_argument("--lengths", default="10000,100000,1000000")
    parser.add_argument("--stages", default="time,quotes,events")
    parser.add_argument("--stage-table", action="store_true",
                        help="only time each stage in this process at --lengths (no command-line runs)")
    options = parser.parse_args()
    lengths = [int(n) for n in options.lengths.split(",")]
    if options.stage_table:
        stage_table(lengths)
        return
    if not options.lengths_only:
        classes_table()
    if not options.classes_only:
        length_table(lengths, options.stages.split(","))


if __name__ == "__main__":
    main()
