"""Canonical events as tables of the store, maintained on ingest (what merges: `fuse.py`).

Fusion links two mentions when they may pair (`fuse.may_pair`: the same type family and
reality, dates within reach, or an undated one sharing a participant, a place or its
document), are compatible and score at least the merge threshold. The connected components
of these links are independent: fusing all mentions is fusing each component. Hence:

- on ingest (`fuse_documents`, called by `Store.add` in the document's transaction, or by
  `Store.fuse_pending` once for a group of stored documents) the new mentions are compared
  with the stored mentions of their block only (type family, reality, place country, date
  window: dozens of rows, not all), the components they link to are fused again together
  with them, and those components' canonical events are replaced;
- `refuse` rebuilds every component from the stored event rows; its result equals that of
  ingesting the same documents one by one, in any order;
- a split (`resplit`) fuses the components of the split mentions again;
- reads (`canonical_page`, `read_canonical`) query the tables.

Tables (`newsledger.store`): `canonical_events`, one row per canonical event with
ACLED-like columns and the full record (`CanonicalEvent.to_json`) as JSON; and
`canonical_members`, one row per event mention with its canonical event, its component,
its blocking keys and the features fusion compares (`mention_features`); and
`canonical_blocks`, the blocking keys (week; anchor and year) each member is found under.

Why not splink (DuckDB-backed Fellegi-Sunter record linkage): its blocking rules and
comparison levels would fit, but it scores pairs with match weights trained by EM on
unlabelled pairs (15 gold clusters here give nothing to train or check them on), it has no
hard vetoes of the kind fusion needs (a place inside another, a date within its precision,
an analyst's split, distinguishing tolls), it clusters by connected components of the
pairs above a threshold (chaining, which the group-mean rule of `fuse` prevents), and it
links in batch, not one document at a time into stored clusters; it would also add pyarrow
and sqlglot to the dependencies. The blocking here is a few SQL conditions; the rest is
`fuse`.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import gazetteer
from .fuse import (
    CanonicalEvent,
    Component,
    EventFilter,
    FusionSettings,
    Mention,
    MentionKey,
    Pairing,
    Participant,
    anchors,
    compare,
    dated_precisely,
    fuse_components,
    may_pair,
    mentions_from_rows,
    slack_days,
    time_window,
)

# -- a mention as stored ---------------------------------------------------------------------


def mention_features(m: Mention) -> dict[str, Any]:
    """The JSON form of a mention: every field fusion compares or reports."""
    out: dict[str, Any] = {}
    for name in Mention.__dataclass_fields__:
        value = getattr(m, name)
        if name in ("sources", "targets"):
            value = [[p.name, p.country, p.sector, p.kind] for p in value]
        elif name in ("date_span", "report_span"):
            value = [value[0].isoformat(), value[1].isoformat()] if value else None
        elif name == "words":
            value = sorted(value)
        out[name] = value
    return out


def mention_from_features(data: Mapping[str, Any]) -> Mention:
    """The mention `mention_features` wrote (a missing field is None)."""
    values = {name: data.get(name) for name in Mention.__dataclass_fields__}
    for name in ("sources", "targets"):
        values[name] = tuple(Participant(*p) for p in values.get(name) or [])
    for name in ("date_span", "report_span"):
        span = values.get(name)
        values[name] = (date.fromisoformat(span[0]), date.fromisoformat(span[1])) if span else None
    values["words"] = frozenset(values.get("words") or [])
    return Mention(**values)


# -- maintaining the tables ------------------------------------------------------------------


def fuse_documents(store: Any, doc_ids: Sequence[str], settings: FusionSettings | None = None) -> None:
    """Fuse the event mentions of newly stored documents (one, or a group stored together)
    into the canonical tables: one blocking look-up for all of them, then the stored
    components they link to are fused again together with them.

    Runs inside the caller's transaction (`Store.add`, `Store.fuse_pending`)."""
    settings = settings or FusionSettings()
    fresh = mentions_from_rows(store.fusion_inputs(doc_ids=sorted(set(doc_ids)))) if doc_ids else []
    if not fresh:
        return
    splits = _splits(store)
    linked: set[str] = set()
    for m, candidates in zip(fresh, _blocks(store, fresh, settings), strict=True):
        for component, candidate in candidates:
            if component in linked or not may_pair(m, candidate, settings):
                continue
            result = compare(m, candidate, settings, splits)
            if result.compatible and result.total >= settings.merge_threshold:
                linked.add(component)
    _replace(store, sorted(linked), fresh, settings)


def pending_documents(store: Any) -> list[str]:
    """The documents with an event row that is not a member of a canonical event yet."""
    rows = store.connection.execute(
        "SELECT DISTINCT e.doc_id FROM events e ANTI JOIN canonical_members m"
        " ON m.doc_id = e.doc_id AND m.event_id = e.event_id ORDER BY e.doc_id").fetchall()
    return [r[0] for r in rows]


def refuse(store: Any, settings: FusionSettings | None = None,
           progress: Callable[[Iterable[Component]], Iterable[Component]] | None = None) -> int:
    """Rebuild the canonical tables from every stored event row, deterministically; the
    number of canonical events. Runs inside the caller's transaction, if any.

    progress: wraps the components as they are written (a progress bar)."""
    settings = settings or FusionSettings()
    mentions = mentions_from_rows(store.fusion_inputs())
    components = fuse_components(mentions, settings, _split_pairs(store))
    store.connection.execute("DELETE FROM canonical_events")
    store.connection.execute("DELETE FROM canonical_members")
    store.connection.execute("DELETE FROM canonical_blocks")
    chunk: list[Component] = []
    count = 0
    for component in (progress(components) if progress else components):
        chunk.append(component)
        count += len(component.events)
        if len(chunk) == WRITE_CHUNK:
            _write(store, chunk, settings)
            chunk = []
    _write(store, chunk, settings)
    return count


def resplit(store: Any, keys: Iterable[MentionKey], settings: FusionSettings | None = None) -> None:
    """Fuse again the components holding these mentions (after a split was stored)."""
    wanted = sorted(set(keys))
    if not wanted:
        return
    rows = store.connection.execute(
        f"SELECT DISTINCT component FROM canonical_members WHERE mention IN ({', '.join('?' * len(wanted))})",
        [f"{doc_id}:{event_id}" for doc_id, event_id in wanted]).fetchall()
    _replace(store, sorted(r[0] for r in rows), [], settings or FusionSettings())


def _replace(store: Any, components: Sequence[str], fresh: Sequence[Mention], settings: FusionSettings) -> None:
    """Fuse the members of `components` with `fresh` mentions and replace their rows."""
    members = list(fresh)
    if components:
        marks = ", ".join("?" * len(components))
        rows = store.connection.execute(
            f"SELECT mention, features FROM canonical_members WHERE component IN ({marks})", list(components)).fetchall()
        members.extend(mention_from_features(json.loads(r[1])) for r in rows)
        gone = [r[0] for r in rows]
        store.connection.execute(f"DELETE FROM canonical_blocks WHERE mention IN ({', '.join('?' * len(gone))})", gone)
        store.connection.execute(f"DELETE FROM canonical_events WHERE component IN ({marks})", list(components))
        store.connection.execute(f"DELETE FROM canonical_members WHERE component IN ({marks})", list(components))
    keys = {m.key for m in members}
    splits = [pair for pair in _split_pairs(store) if pair[0] in keys and pair[1] in keys]
    _write(store, fuse_components(members, settings, splits), settings)


def _blocks(store: Any, fresh: Sequence[Mention], settings: FusionSettings) -> list[list[tuple[str, Mention]]]:
    """For each fresh mention, the stored mentions that may pair with it (with their
    components), found through its blocking keys (`lookup_keys` in the narrow
    `canonical_blocks` table; one query for all the fresh mentions) and then filtered on the
    member columns (`_within_block`). `fuse.may_pair` decides last."""
    keys = [lookup_keys(m, settings) for m in fresh]
    wanted = sorted({key for some in keys for key in some})
    if not wanted:
        return [[] for _ in fresh]
    under: dict[str, list[str]] = defaultdict(list)
    for block, mention in store.connection.execute(
            f"SELECT DISTINCT block, mention FROM canonical_blocks WHERE block IN ({', '.join('?' * len(wanted))})"
            " ORDER BY block, mention", wanted).fetchall():
        under[block].append(mention)
    found = sorted({mention for mentions in under.values() for mention in mentions})
    if not found:
        return [[] for _ in fresh]
    members = {row[0]: _Member(*row) for row in store.connection.execute(
        "SELECT mention, component, country, day_first, day_last, dated_precisely, anchors, features"
        f" FROM canonical_members WHERE mention IN ({', '.join('?' * len(found))})", found).fetchall()}
    parsed: dict[str, Mention] = {}
    out = []
    for m, some in zip(fresh, keys, strict=True):
        near = sorted({mention for key in some for mention in under.get(key, ())} & members.keys())
        chosen = []
        for mention in near:
            member = members[mention]
            if _within_block(m, member, settings):
                if mention not in parsed:
                    parsed[mention] = mention_from_features(json.loads(member.features))
                chosen.append((member.component, parsed[mention]))
        out.append(chosen)
    return out


@dataclass(frozen=True)
class _Member:
    """The columns of a `canonical_members` row that blocking filters on."""
    mention: str
    component: str
    country: str | None
    day_first: date | None
    day_last: date | None
    dated_precisely: bool | None
    anchors: list[str] | None
    features: str


def _within_block(m: Mention, member: _Member, settings: FusionSettings) -> bool:
    """A stored member is a candidate for `m` when they may pair (`fuse.may_pair`), read from
    the member's columns; its type family and reality are `m`'s, as every block `m` looks
    up is keyed by them (`lookup_keys`)."""
    window = (member.day_first, member.day_last) if member.day_first and member.day_last else None
    stored = Pairing(m.family, m.reality, member.mention.split(":", 1)[0], member.country, window,
                     bool(member.dated_precisely), frozenset(member.anchors or ()))
    return may_pair(Pairing.of(m, settings), stored, settings)


def lookup_keys(m: Mention, settings: FusionSettings) -> list[str]:
    """The blocking keys a mention looks up: the weeks of its time window when it is dated
    precisely, and (anchor, year) for each of its anchors and each year of its window.
    Stored members are registered (`register_blocks`) under the same keys over their window
    widened by the slack, so two windows within the slack share a key."""
    window = time_window(m, settings)
    if window is None:
        return []
    prefix = f"{m.family}|{m.reality}|"
    keys = []
    if dated_precisely(m):
        monday = window[0] - timedelta(days=window[0].weekday())
        while monday <= window[1]:
            keys.append(f"{prefix}w|{monday.isoformat()}")
            monday += timedelta(days=7)
    for anchor in sorted(anchors(m)):
        keys.extend(f"{prefix}a|{anchor}|{year}" for year in range(window[0].year, window[1].year + 1))
    return keys


def register_blocks(store: Any, where: str, params: Sequence[Any], settings: FusionSettings) -> None:
    """Insert the blocking keys of the members matching `where` (SQL on canonical_members):
    weeks of the slack-widened window of precisely dated members, and (anchor, year) for
    every member with a window. The same keys `lookup_keys` computes."""
    slack = slack_days(settings)
    store.connection.execute(f"""
        INSERT INTO canonical_blocks
        SELECT DISTINCT family || '|' || reality || '|w|' || strftime(CAST(monday AS DATE), '%Y-%m-%d'), mention
        FROM (SELECT family, reality, mention,
                     unnest(generate_series(CAST(day_first - {slack} AS DATE) - CAST(isodow(CAST(day_first - {slack} AS DATE)) - 1 AS INTEGER),
                                            CAST(day_last + {slack} AS DATE), INTERVAL 7 DAY)) AS monday
              FROM canonical_members WHERE dated_precisely AND ({where}))
        UNION ALL
        SELECT DISTINCT family || '|' || reality || '|a|' || anchor || '|' || CAST(year AS VARCHAR), mention
        FROM (SELECT family, reality, mention, anchor, unnest(generate_series(first_year, last_year)) AS year
              FROM (SELECT family, reality, mention, unnest(anchors) AS anchor,
                           year(CAST(day_first - {slack} AS DATE)) AS first_year,
                           year(CAST(day_last + {slack} AS DATE)) AS last_year
                    FROM canonical_members WHERE day_first IS NOT NULL AND ({where})))""", [*params, *params])


def _splits(store: Any) -> frozenset[frozenset[MentionKey]]:
    return frozenset(frozenset(pair) for pair in _split_pairs(store))


def _split_pairs(store: Any) -> list[tuple[MentionKey, MentionKey]]:
    rows = store.connection.execute(
        "SELECT doc_a, event_a, doc_b, event_b FROM fusion_splits ORDER BY ALL").fetchall()
    return [((a, b), (c, d)) for a, b, c, d in rows]


# Components written per INSERT statement (`_write`): fewer statements, bounded parameter lists.
WRITE_CHUNK = 256


def _write(store: Any, components: Sequence[Component], settings: FusionSettings) -> None:
    """Insert the components' canonical events and member rows and register their blocking
    keys: three statements per `WRITE_CHUNK` components."""
    for first in range(0, len(components), WRITE_CHUNK):
        chunk = components[first:first + WRITE_CHUNK]
        event_rows, member_rows = [], []
        for component in chunk:
            for event in component.events:
                event_rows.append(_event_row(event, component.id))
                for m in event.mentions:
                    member_rows.append((
                        m.doc_id, m.event_id, f"{m.doc_id}:{m.event_id}", event.id, component.id, m.family,
                        m.reality, m.place_country, *(time_window(m, settings) or (None, None)),
                        dated_precisely(m), sorted(anchors(m)), json.dumps(mention_features(m), ensure_ascii=False)))
        if not event_rows:
            continue
        _insert(store, "canonical_events", event_rows)
        _insert(store, "canonical_members", member_rows)
        ids = [component.id for component in chunk]
        register_blocks(store, f"component IN ({', '.join('?' * len(ids))})", ids, settings)


def _insert(store: Any, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """All rows in one INSERT statement (DuckDB's executemany runs one statement per row)."""
    row = "(" + ", ".join("?" * len(rows[0])) + ")"
    store.connection.execute(f"INSERT INTO {table} VALUES " + ", ".join([row] * len(rows)),
                             [value for values in rows for value in values])


def _event_row(event: CanonicalEvent, component: str) -> tuple[Any, ...]:
    """One `canonical_events` row: ACLED-like columns, filter columns and the full record."""
    record = event.to_json()
    place = event.best_place()
    sources, targets = _first_participant(event, "sources"), _first_participant(event, "targets")
    people = [p for m in event.mentions for p in m.sources + m.targets]
    urls = list(dict.fromkeys(m.url for m in sorted(event.mentions, key=lambda m: m.doc_id) if m.url))
    # filter columns, case-folded as `EventFilter.matches` folds; line breaks keep values apart
    search = "\n".join(dict.fromkeys([*(m.evidence_text or "" for m in event.mentions),
                                      *(m.title or "" for m in event.mentions)])).casefold()
    names = "\n".join(sorted({p.name for p in people})).casefold()
    notes = "; ".join(merge["why"] for merge in event.merges) or None
    return (
        event.id, component, record["date_value"], record["date_precision"], record["date_key"],
        record["type"], record["mode"], record["modality"],
        *(sources or (None, None, None)), *(targets or (None, None, None)),
        gazetteer.iso2_to_iso3(place.place_country) if place and place.place_country else None,
        place.admin1_code if place else None, place.admin2_code if place else None,
        place.place_name if place else None, place.place_geonameid if place else None,
        place.lat if place else None, place.lon if place else None,
        (place.geo_precision or gazetteer.PRECISION_OF_LEVEL.get(place.place_level or "")) if place else None,
        record["killed"], record["injured"], record["num_sources"], record["num_articles"],
        record["num_mentions"], record["sources"], urls, notes, record["evidence_text"],
        names, sorted({p.country for p in people if p.country}), search,
        json.dumps(record, ensure_ascii=False, default=str),
    )


def _first_participant(event: CanonicalEvent, side: str) -> tuple[str, str | None, str | None] | None:
    from .fuse import _participants

    found = _participants(event.mentions, side)
    return (found[0].name, found[0].country, found[0].sector) if found else None


# -- reading ---------------------------------------------------------------------------------


def is_current(store: Any) -> bool:
    """True when every stored event row is a member of a canonical event."""
    row = store.connection.execute(
        "SELECT (SELECT count(*) FROM events) = (SELECT count(*) FROM canonical_members)").fetchone()
    return bool(row and row[0])


def _filter_sql(wanted: EventFilter) -> tuple[str, list[Any]]:
    """SQL conditions on `canonical_events` with the meaning of `EventFilter.matches`."""
    checked = wanted.validated()
    where, params = ["TRUE"], []
    if checked.type:
        where.append("type = ?")
        params.append(checked.type)
    if checked.actor:
        where.append("contains(participant_text, ?)")
        params.append(checked.actor.casefold())
    if checked.country:
        where.append("list_contains(participant_countries, ?)")
        params.append(checked.country)
    for bound, op in ((checked.since, ">="), (checked.until, "<=")):
        if bound:
            where.append(f"date_key IS NOT NULL AND substr(date_key, 1, {len(bound)}) {op} ?")
            params.append(bound)
    if checked.text:
        where.append("contains(search_text, ?)")
        params.append(checked.text.casefold())
    return " AND ".join(where), params


TIMELINE_ORDER = "date_key IS NULL, date_key, id"


def canonical_page(store: Any, wanted: EventFilter, limit: int | None = None,
                   offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Canonical event records (`CanonicalEvent.to_json`) matching the filter, in timeline
    order, one page of them, and how many match."""
    where, params = _filter_sql(wanted)
    total = store.connection.execute(f"SELECT count(*) FROM canonical_events WHERE {where}", params).fetchone()[0]
    sql = f"SELECT record FROM canonical_events WHERE {where} ORDER BY {TIMELINE_ORDER}"
    page = list(params)
    if limit is not None:
        sql += " LIMIT ?"
        page.append(limit)
    if offset:
        sql += " OFFSET ?"
        page.append(offset)
    return [json.loads(r[0]) for r in store.connection.execute(sql, page).fetchall()], int(total)


def read_canonical(store: Any) -> list[CanonicalEvent]:
    """Every canonical event with its mentions, from the tables, in timeline order."""
    merges = {ident: json.loads(record).get("merges") or [] for ident, record in
              store.connection.execute("SELECT id, record FROM canonical_events").fetchall()}
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for canonical_id, features in store.connection.execute(
            "SELECT canonical_id, features FROM canonical_members ORDER BY doc_id, event_id").fetchall():
        grouped[canonical_id].append(mention_from_features(json.loads(features)))
    from .fuse import _timeline_order

    events = [CanonicalEvent(ident, grouped[ident], merges.get(ident, [])) for ident in grouped]
    return sorted(events, key=_timeline_order)
