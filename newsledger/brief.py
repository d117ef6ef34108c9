"""A situation report of a period: canonical events by day, by actor and by place, with a
timeline plot and the sources, as Markdown or a self-contained HTML page.

`newsledger brief --since 7d [--until DATE] [--actor ...] [--country ...] --format md|html`.
Events are the canonical events kept on ingest (`newsledger.canonical`), so a bombing
reported by five outlets is one line with five numbered sources. Every text from a document is escaped in
HTML and made inert in Markdown (no raw HTML, no links but the sources' URLs).

Casualties are counted once per canonical event; where its sources disagree the event shows
the range they give ("13–182 killed") and a place's total is the range of the sums of the
lowest and highest figures. The timeline counts days, or months over periods longer than
`MAX_DAILY_BARS` days (years beyond `MAX_MONTHLY_BARS` months), so it always covers the whole
period. An empty period says which dates the database holds events for.
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .errors import NewsledgerError
from .canonical import date_range, record_texts
from .fuse import EventFilter, date_span

BAR_WIDTH = 30
MAX_DAILY_BARS = 366
MAX_MONTHLY_BARS = 240


@dataclass(frozen=True)
class Toll:
    """A casualty figure as the sources give it: one number, or the lowest and highest."""
    low: int
    high: int

    def __add__(self, other: Toll) -> Toll:
        return Toll(self.low + other.low, self.high + other.high)

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


def killed_toll(event: dict[str, Any]) -> Toll | None:
    """The killed figure of one canonical event: the range of the values its sources give."""
    values = [entry["value"] for entry in (event.get("disagreements") or {}).get("killed") or []
              if isinstance(entry.get("value"), int)]
    if event.get("killed") is not None:
        values.append(int(event["killed"]))
    return Toll(min(values), max(values)) if values else None


@dataclass(frozen=True)
class BriefRequest:
    """The period (inclusive ISO days) and the filters of one brief."""
    since: str
    until: str
    actor: str | None = None
    country: str | None = None

    @classmethod
    def parse(cls, since: str, until: str | None = None, actor: str | None = None,
              country: str | None = None, today: date | None = None) -> BriefRequest:
        """`since` is Nd (N days before the end) or YYYY[-MM[-DD]] (the period's first day);
        `until` is YYYY[-MM[-DD]] (the period's last day) or today. Bad values raise E402."""
        end_day = today or date.today()
        if until:
            span = date_span(until)
            if span is None:
                raise NewsledgerError("E402", f"{until!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
            end_day = span[1]
        if match := re.fullmatch(r"(\d{1,4})d", since.strip()):
            start_day = end_day - timedelta(days=int(match[1]))
        else:
            span = date_span(since.strip()) if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", since.strip()) else None
            if span is None:
                raise NewsledgerError("E402", f"{since!r} is neither Nd (e.g. 7d) nor YYYY[-MM[-DD]]")
            start_day = span[0]
        if start_day > end_day:
            raise NewsledgerError("E402", f"the period starts ({start_day}) after it ends ({end_day})")
        return cls(start_day.isoformat(), end_day.isoformat(), actor or None, country or None)


@dataclass
class Brief:
    """What a report says, before it is written as Markdown or HTML."""
    request: BriefRequest
    events: list[dict[str, Any]]
    documents: dict[str, dict[str, Any]]       # doc_id -> outlet, title, published, url, number
    held: tuple[str, str, int] | None = None   # first and last event date in the database, events

    def by_day(self) -> list[tuple[str, list[dict[str, Any]]]]:
        days: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for event in self.events:
            days[(event["date_key"] or "")[:10]].append(event)
        return sorted(days.items())

    def by_actor(self) -> list[tuple[str, str, int, int, str]]:
        """(actor, country, events as source, events as target, types) most active first."""
        source: Counter[str] = Counter()
        target: Counter[str] = Counter()
        country: dict[str, str] = {}
        types: dict[str, Counter[str]] = defaultdict(Counter)
        for event in self.events:
            for side, counter in (("source", source), ("target", target)):
                for name, code in zip(event[f"{side}_names"], event[f"{side}_countries"], strict=False):
                    counter[name] += 1
                    country.setdefault(name, code or "")
                    types[name][event["type"]] += 1
        names = sorted(set(source) | set(target), key=lambda n: (-(source[n] + target[n]), n))
        return [(n, country[n], source[n], target[n],
                 ", ".join(f"{t} {c}" for t, c in sorted(types[n].items(), key=lambda i: (-i[1], i[0]))))
                for n in names]

    def by_place(self) -> list[tuple[str, str, int, Toll]]:
        """(place, country, events, killed) with the most events first; each canonical event's
        toll counted once, as the range its sources give."""
        count: Counter[tuple[str, str]] = Counter()
        killed: dict[tuple[str, str], Toll] = defaultdict(lambda: Toll(0, 0))
        for event in self.events:
            key = (event["place_name"] or "(unknown place)", event["place_country"] or "")
            count[key] += 1
            killed[key] = killed[key] + (killed_toll(event) or Toll(0, 0))
        return [(p, c, count[(p, c)], killed[(p, c)]) for p, c in sorted(count, key=lambda k: (-count[k], k))]

    def per_day_counts(self) -> list[tuple[str, int]]:
        """Events per day over the whole period, days without events included; per month
        (YYYY-MM) when the period has more than MAX_DAILY_BARS days, per year beyond
        MAX_MONTHLY_BARS months."""
        start, end = date.fromisoformat(self.request.since), date.fromisoformat(self.request.until)
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if (end - start).days + 1 <= MAX_DAILY_BARS:
            width, keys = 10, [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]
        elif months <= MAX_MONTHLY_BARS:
            width = 7
            keys = [f"{(start.year * 12 + start.month - 1 + n) // 12:04d}-{(start.month - 1 + n) % 12 + 1:02d}"
                    for n in range(months)]
        else:
            width, keys = 4, [f"{year:04d}" for year in range(start.year, end.year + 1)]
        counts = Counter((e["date_key"] or "")[:width] for e in self.events)
        return [(key, counts.get(key, 0)) for key in keys]

    def empty_hint(self) -> str:
        """What to try when the period has no events: the dates the database holds."""
        if self.held is None:
            return "No events in this period; the database holds no dated events."
        first, last, total = self.held
        return (f"No events in this period; the database holds {total} dated event(s) from {first} to {last} "
                f"(try --since {first[:10]} --until {last[:10]}).")

    def source_numbers(self, event: dict[str, Any]) -> list[int]:
        return [self.documents[d]["number"] for d in event["sources"] if d in self.documents]


def build_brief(store: Any, request: BriefRequest) -> Brief:
    """The canonical events of the period that match the filters, read from the store's
    canonical table (`newsledger.canonical`), and their source documents numbered in order
    of first report."""
    wanted = EventFilter(actor=request.actor, country=request.country, since=request.since, until=request.until)
    events: list[dict[str, Any]] = []
    documents: dict[str, dict[str, Any]] = {}
    for text in record_texts(store, wanted):   # one record decoded at a time; its mentions let go
        record = json.loads(text)
        events.append({k: v for k, v in record.items() if k != "mentions"})
        for mention in sorted(record.get("mentions") or [],
                              key=lambda m: ((m.get("document") or {}).get("published") or "9999", m["doc_id"])):
            if mention["doc_id"] not in documents:
                source = mention.get("document") or {}
                documents[mention["doc_id"]] = {key: source.get(key) for key in ("outlet", "title", "published", "url")}
    for number, doc_id in enumerate(documents, start=1):
        documents[doc_id]["number"] = number
    return Brief(request, events, documents, None if events else date_range(store))


def write_brief(store: Any, request: BriefRequest, fmt: str = "md") -> str:
    """The report as Markdown (`md`) or a self-contained HTML page (`html`)."""
    brief = build_brief(store, request)
    if fmt == "html":
        return render_html(brief)
    if fmt == "md":
        return render_markdown(brief)
    raise NewsledgerError("E402", f"unknown brief format {fmt!r}: md or html")


# -- Markdown ------------------------------------------------------------------------------------


def _md(text: Any) -> str:
    """Inert Markdown: one line, characters that would start markup or HTML escaped."""
    line = " ".join(str(text if text is not None else "").split())
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", line)


def _toll_text(event: dict[str, Any]) -> str:
    """", 84 killed", ", 13–182 killed (sources disagree)" or nothing."""
    toll = killed_toll(event)
    if toll is None or toll.high == 0:
        return ""
    return f", {toll} killed" + (" (sources disagree)" if toll.low != toll.high else "")


def _participants(event: dict[str, Any]) -> str:
    source = "/".join(event["source_names"]) or "unnamed"
    target = "/".join(event["target_names"])
    return f"{source} → {target}" if target else source


def _filters_line(request: BriefRequest) -> str:
    parts = [f"actor contains “{request.actor}”" if request.actor else "",
             f"country {request.country.upper()}" if request.country else ""]
    chosen = [p for p in parts if p]
    return "Filters: " + ("; ".join(chosen) if chosen else "none")


def _summary(brief: Brief) -> str:
    events = brief.events
    types = Counter(e["type"] for e in events)
    outlets = {d["outlet"] or doc_id for doc_id, d in brief.documents.items()}
    mentions = sum(e["num_mentions"] for e in events)
    line = (f"{len(events)} event(s) from {mentions} mention(s) in {len(brief.documents)} document(s) "
            f"of {len(outlets)} outlet(s)")
    if types:
        line += ": " + ", ".join(f"{t} {c}" for t, c in sorted(types.items(), key=lambda i: (-i[1], i[0])))
    return line


def render_markdown(brief: Brief) -> str:
    r = brief.request
    out = [f"# Situation report {r.since} – {r.until}", "", _md(_filters_line(r)), "", _md(_summary(brief)), ""]
    out += ["## Timeline", "", "```"]
    counts = brief.per_day_counts()
    peak = max((c for _, c in counts), default=0) or 1
    for day, count in counts:
        out.append(f"{day} {'█' * round(BAR_WIDTH * count / peak):<{BAR_WIDTH}} {count}")
    out += ["```", "", "## By day", ""]
    if not brief.events:
        out += [_md(brief.empty_hint()), ""]
    for day, events in brief.by_day():
        out += [f"### {day}", ""]
        for e in events:
            place = f" in {_md(e['place_name'])}" if e["place_name"] else ""
            toll = _toll_text(e)
            refs = " ".join(f"[{n}]" for n in brief.source_numbers(e))
            out.append(f"- **{e['type']}** {_md(_participants(e))}{place}{toll}: "
                       f"“{_md(e['evidence_text'])}” ({e['num_articles']} article(s), "
                       f"{e['num_sources']} source(s)) {refs}")
        out.append("")
    out += ["## By actor", "", "| actor | country | as source | as target | types |", "| --- | --- | --- | --- | --- |"]
    out += [f"| {_md(n)} | {_md(c)} | {s} | {t} | {_md(ty)} |" for n, c, s, t, ty in brief.by_actor()]
    out += ["", "## By place", "", "| place | country | events | killed |", "| --- | --- | --- | --- |"]
    out += [f"| {_md(p)} | {_md(c)} | {n} | {k} |" for p, c, n, k in brief.by_place()]
    out += ["", "## Sources", ""]
    for doc_id, d in brief.documents.items():
        title = _md(d["title"] or doc_id[:12])
        url = f" <{d['url']}>" if d["url"] and re.fullmatch(r"https?://[^\s<>]+", d["url"]) else ""
        out.append(f"{d['number']}. {_md(d['outlet'] or 'unknown outlet')}, {title}, "
                   f"{d['published'] or 'undated'}{url}")
    return "\n".join(out) + "\n"


# -- HTML ----------------------------------------------------------------------------------------


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def timeline_svg(counts: list[tuple[str, int]], width: int = 720, height: int = 160) -> str:
    """Events per day as an inline SVG bar chart (no script, no external resource)."""
    peak = max((c for _, c in counts), default=0) or 1
    step = width / max(len(counts), 1)
    bars = []
    for index, (day, count) in enumerate(counts):
        bar_height = (height - 30) * count / peak
        x = index * step
        bars.append(f'<rect x="{x + 1:.1f}" y="{height - 20 - bar_height:.1f}" width="{max(step - 2, 1):.1f}" '
                    f'height="{bar_height:.1f}" fill="#3b6ea5"><title>{_e(day)}: {count}</title></rect>')
    labels = ""
    if counts:
        labels = (f'<text x="0" y="{height - 5}" font-size="11">{_e(counts[0][0])}</text>'
                  f'<text x="{width}" y="{height - 5}" font-size="11" text-anchor="end">{_e(counts[-1][0])}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="events per day">{"".join(bars)}{labels}</svg>')


def render_html(brief: Brief) -> str:
    r = brief.request
    parts = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Situation report {_e(r.since)} – {_e(r.until)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}"
        "q{font-style:italic}.refs{color:#555}</style></head><body>",
        f"<h1>Situation report {_e(r.since)} – {_e(r.until)}</h1>",
        f"<p>{_e(_filters_line(r))}</p><p>{_e(_summary(brief))}</p>",
        "<h2>Timeline</h2>", timeline_svg(brief.per_day_counts()), "<h2>By day</h2>",
    ]
    if not brief.events:
        parts.append(f"<p>{_e(brief.empty_hint())}</p>")
    for day, events in brief.by_day():
        parts.append(f"<h3>{_e(day)}</h3><ul>")
        for e in events:
            place = f" in {_e(e['place_name'])}" if e["place_name"] else ""
            toll = _e(_toll_text(e))
            refs = " ".join(f'<a href="#source-{n}">[{n}]</a>' for n in brief.source_numbers(e))
            parts.append(f"<li><strong>{_e(e['type'])}</strong> {_e(_participants(e))}{place}{toll}: "
                         f"<q>{_e(e['evidence_text'])}</q> <span class=\"refs\">({e['num_articles']} article(s), "
                         f"{e['num_sources']} source(s)) {refs}</span></li>")
        parts.append("</ul>")
    parts.append("<h2>By actor</h2><table><tr><th>actor</th><th>country</th><th>as source</th>"
                 "<th>as target</th><th>types</th></tr>")
    parts += [f"<tr><td>{_e(n)}</td><td>{_e(c)}</td><td>{s}</td><td>{t}</td><td>{_e(ty)}</td></tr>"
              for n, c, s, t, ty in brief.by_actor()]
    parts.append("</table><h2>By place</h2><table><tr><th>place</th><th>country</th><th>events</th>"
                 "<th>killed</th></tr>")
    parts += [f"<tr><td>{_e(p)}</td><td>{_e(c)}</td><td>{n}</td><td>{k}</td></tr>" for p, c, n, k in brief.by_place()]
    parts.append("</table><h2>Sources</h2><ol>")
    for doc_id, d in brief.documents.items():
        title = _e(d["title"] or doc_id[:12])
        if d["url"] and re.fullmatch(r"https?://[^\s<>\"']+", d["url"]):
            title = f'<a href="{_e(d["url"])}" rel="noreferrer">{title}</a>'
        parts.append(f'<li id="source-{d["number"]}">{_e(d["outlet"] or "unknown outlet")}, {title}, '
                     f"{_e(d['published'] or 'undated')}</li>")
    parts.append("</ol></body></html>")
    return "\n".join(parts) + "\n"
