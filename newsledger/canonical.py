"""Canonical events as tables of the store, maintained on ingest (what merges: `fuse.py`).

Fusion links two mentions when they may pair (`fuse.may_pair`: the same type family and
reality, dates within reach, or an undated one sharing a participant, a place or its
document), are compatible and score at least the merge threshold. The connected components
of these links are independent: fusing all mentions is fusing each component. Hence:

- on ingest (`fuse_documents`, called by `Store.add` in the document's transaction, or by
  `Store.fuse_pending` once for a group of stored documents) the new mentions are compared
  with the stored mentions of their block only (type family, reality, place country, date
  window: dozens of rows, not all), the components they link to are fused again together
  with them, and those components' canonical events are replaced (from `FUSE_WHOLE_BELOW`
  stored members on, their events are kept and the new mentions join them); a component
  grown to `MAX_COMPONENT_MEMBERS` is full and no longer fused again (see the bounds below);
- `refuse` rebuilds every component from the stored event rows; its result equals that of
  ingesting the same documents one by one, in any order, while no bound cuts (a block larger
  than the candidate bounds, a component of `FUSE_WHOLE_BELOW` members or more, whose events
  are kept as groups the new mentions join; the canonical upkeep's rounds of
  `FUSE_EVERY_DOCUMENTS` then also shape the result);
- a split (`resplit`) fuses the components of the split mentions again;
- reads (`canonical_page`, `canonical_record`, `canonical_summary`, `network_edges`,
  `map_points`, `actor_page`) query the tables with SQL filters and limits and decode only
  the records of one page; none fuses in memory.

Tables (`newsledger.store`): `canonical_events`, one row per canonical event with
ACLED-like columns and the full record (`CanonicalEvent.to_json`) as JSON; and
`canonical_members`, one row per event mention with its canonical event, its component,
its blocking keys and the features fusion compares (`mention_features`); and
`canonical_blocks`, the blocking keys (day and place country; anchor and year) each member is found under,
with the member columns blocking filters on.

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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

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
    """The JSON form of a mention: every field fusion compares or reports. A participant is
    [name, country, sector, kind, stated] (`Participant.stated`: not among its event's
    `inferred_ids`); a member written before `stated` existed has four and reads back stated."""
    out: dict[str, Any] = {}
    for name in Mention.__dataclass_fields__:
        value = getattr(m, name)
        if name in ("sources", "targets"):
            value = [[p.name, p.country, p.sector, p.kind, p.stated] for p in value]
        elif name in ("date_span", "report_span"):
            value = [value[0].isoformat(), value[1].isoformat()] if value else None
        elif name in ("words", "names"):
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
    values["names"] = frozenset(values.get("names") or [])
    return Mention(**values)


# -- maintaining the tables ------------------------------------------------------------------


def fuse_documents(store: Any, doc_ids: Sequence[str], settings: FusionSettings | None = None) -> None:
    """Fuse the event mentions of newly stored documents (one, or a group stored together)
    into the canonical tables: one blocking look-up for all of them (at most
    `MAX_CANDIDATES` stored members per fresh mention, `_blocks`), then the stored components
    they link to (at most `MAX_LINKED_COMPONENTS` per document, the best-scoring first, and
    none that is full: `MAX_COMPONENT_MEMBERS`) are fused again together with them.

    Runs inside the caller's transaction (`Store.add`, `Store.fuse_pending`)."""
    settings = settings or FusionSettings()
    fresh = mentions_from_rows(store.fusion_inputs(doc_ids=sorted(set(doc_ids)))) if doc_ids else []
    if not fresh:
        return
    splits = frozenset(frozenset(pair) for pair in split_pairs(store, [m.key for m in fresh]))
    best: dict[str, float] = {}
    for m, candidates in zip(fresh, _blocks(store, fresh, settings), strict=True):
        for component, candidate in candidates:
            if not may_pair(m, candidate, settings):
                continue
            result = compare(m, candidate, settings, splits)
            if result.compatible and result.total >= settings.merge_threshold:
                best[component] = max(best.get(component, result.total), result.total)
    open_ = [component for component, size in component_sizes(store, sorted(best)).items()
             if size < MAX_COMPONENT_MEMBERS]
    documents = len({m.doc_id for m in fresh})
    linked = sorted(open_, key=lambda component: (-best[component], component))[:MAX_LINKED_COMPONENTS * documents]
    _replace(store, sorted(linked), fresh, settings)


def component_sizes(store: Any, components: Sequence[str]) -> dict[str, int]:
    """The number of members of each of these components (by the members' index on
    component; a component fused again on ingest has fewer than `MAX_COMPONENT_MEMBERS`
    members before that ingest's are added: a full one is not fused again)."""
    sizes: dict[str, int] = {}
    for first in range(0, len(components), WRITE_CHUNK):
        chunk = list(components[first:first + WRITE_CHUNK])
        sizes.update(store.connection.execute(
            f"SELECT component, count(*) FROM canonical_members WHERE component IN ({', '.join('?' * len(chunk))})"
            " GROUP BY component", chunk).fetchall())
    return sizes


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
    components = fuse_components(mentions, settings, split_pairs(store))
    store.connection.execute("DELETE FROM canonical_events")
    store.connection.execute("DELETE FROM canonical_members")
    store.connection.execute("DELETE FROM canonical_blocks")
    store.connection.execute("DELETE FROM canonical_edge_counts")
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
    """Fuse the members of `components` with `fresh` mentions and replace their rows. A
    member's blocking keys follow from its own features only: the stored members keep their
    `canonical_blocks` rows (deleting a hundred rows from that table, with its two indexes,
    cost ten times finding them) and only the fresh mentions' rows are written.

    A component of fewer than `FUSE_WHOLE_BELOW` stored members, and every component of a
    split (no fresh mentions), is fused again whole, as `refuse` fuses it; on ingest, a larger
    one keeps its canonical events as groups that the fresh mentions link to and join
    (`fuse.fuse_components`' held components): the pairs scored are the fresh mentions' and
    those of the groups they join, not every pair of the component (quadratic in it), and the
    rows of the events no fresh mention joined stay (`_kept_events`), but for their
    component's id where components were joined."""
    stored: list[tuple[str, str, Mention]] = []   # component, canonical event, member
    if components:
        rows = store.connection.execute(
            f"SELECT component, canonical_id, features FROM canonical_members WHERE component IN"
            f" ({', '.join('?' * len(components))})", list(components)).fetchall()
        stored = [(component, event, mention_from_features(json.loads(features))) for component, event, features in rows]
    sizes = Counter(component for component, _, _ in stored)
    # not on a split (`resplit`, no fresh mentions): its components' events change
    large = frozenset(c for c, size in sizes.items() if size >= FUSE_WHOLE_BELOW) if fresh else frozenset()
    held = _held_components(store, sorted(large), stored) if large else []
    keys = {m.key for m in fresh} | {m.key for _, _, m in stored}
    splits = [pair for pair in split_pairs(store, keys) if pair[0] in keys and pair[1] in keys]
    fused = fuse_components([*fresh, *(m for c, _, m in stored if c not in large)], settings, splits, held)
    kept = _kept_events(held, fused)
    whole = [c for c in components if c not in large]
    if whole:
        where = f"component IN ({', '.join('?' * len(whole))})"
        count_edges(store, where, whole, -1)
        store.connection.execute(f"DELETE FROM canonical_events WHERE {where}", whole)
        store.connection.execute(f"DELETE FROM canonical_members WHERE {where}", whole)
    # a held component's changed events by their ids and members (the indexes: a NOT IN beside
    # the component made DuckDB scan the whole table)
    changed = [e for c in held for e in c.events if e.id not in kept]
    if changed:
        ids, mentions = [e.id for e in changed], [f"{m.doc_id}:{m.event_id}" for e in changed for m in e.mentions]
        count_edges(store, f"id IN ({', '.join('?' * len(ids))})", ids, -1)
        store.connection.execute(f"DELETE FROM canonical_events WHERE id IN ({', '.join('?' * len(ids))})", ids)
        store.connection.execute(f"DELETE FROM canonical_members WHERE mention IN ({', '.join('?' * len(mentions))})",
                                 mentions)
    for before, after in _renamed_components(held, fused).items():   # the kept events' rows follow
        for table in ("canonical_events", "canonical_members"):
            store.connection.execute(f"UPDATE {table} SET component = ? WHERE component = ?", [after, before])
    _write(store, [Component(c.id, [e for e in c.events if e.id not in kept]) for c in fused], settings,
           fresh=frozenset(m.key for m in fresh))


def _held_components(store: Any, components: Sequence[str],
                     stored: Sequence[tuple[str, str, Mention]]) -> list[Component]:
    """These stored components with their canonical events (members and merge reasons) as
    they are, for fresh mentions to join (`_replace`)."""
    merges = {ident: json.loads(found) if found else [] for ident, found in store.connection.execute(
        f"SELECT id, record->'$.merges' FROM canonical_events WHERE component IN ({', '.join('?' * len(components))})",
        list(components)).fetchall()}
    wanted = set(components)
    grouped: dict[str, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
    for component, event, m in stored:
        if component in wanted:
            grouped[component][event].append(m)
    return [Component(component, [CanonicalEvent(event, mentions, merges.get(event, []))
                                  for event, mentions in sorted(events.items())])
            for component, events in sorted(grouped.items())]


def _kept_events(held: Sequence[Component], fused: Sequence[Component]) -> frozenset[str]:
    """The ids of the held canonical events that came out of fusion with the members they
    went in with (no fresh mention joined them): their rows stay as they are (`_replace`)."""
    before = {e.id: frozenset(m.key for m in e.mentions) for c in held for e in c.events}
    return frozenset(e.id for c in fused for e in c.events if before.get(e.id) == frozenset(m.key for m in e.mentions))


def _renamed_components(held: Sequence[Component], fused: Sequence[Component]) -> dict[str, str]:
    """Each held component whose members are now in a component of another id (joined with
    others by fresh mentions), with that id."""
    component_of = {m.key: c.id for c in fused for e in c.events for m in e.mentions}
    renamed = {c.id: component_of[c.events[0].mentions[0].key] for c in held}
    return {before: after for before, after in renamed.items() if before != after}


# The bounds that keep fusion on ingest flat as the store grows. Blocks of vaguely dated
# mentions (a year, a shared participant such as a country) grow with the store; beyond these
# bounds the nearest candidates are kept: each fresh mention is compared with at most
# MAX_CANDIDATES stored members that may pair with it, the nearest in time first (the gap
# between the two time windows), then the most precisely dated (narrowest window), then by
# mention id; and one ingest fuses again at most MAX_LINKED_COMPONENTS of the components it
# links to per document, the best-scoring first. A component is what links join (pairs that
# may merge, refused joins included): the same reports copied day after day, or reports
# linked one to the next by a shared actor and nearby dates, chain into one component that
# grows with the stream, and fusing it again on every ingest made the work per document
# grow with it (quadratic in the component: `fuse.fuse_components` scores its candidate
# pairs). A component of MAX_COMPONENT_MEMBERS members or more is full: it is not fused
# again on ingest, and a fresh mention that links only to full components starts a
# component (an event) of its own; so one ingest fuses again at most MAX_LINKED_COMPONENTS
# * MAX_COMPONENT_MEMBERS stored members per document (a component fused from several
# linked ones may exceed the bound once, then it is full). Where a bound cuts, or a linked
# component holds FUSE_WHOLE_BELOW members or more, incremental ingest can differ from
# `refuse`, which compares every candidate pair and fuses whole components. The public
# corpora's blocks and components stay below the bounds (their largest component: 26 members).
MAX_CANDIDATES = 48
MAX_LINKED_COMPONENTS = 8
MAX_COMPONENT_MEMBERS = 64
# A component a fresh mention links to is fused again whole, exactly as `refuse` would, while
# it has fewer stored members than this; from it on its events are kept and joined
# (`_replace`), where the result may differ from `refuse` as it may beyond the bounds above.
FUSE_WHOLE_BELOW = 32

def _blocks(store: Any, fresh: Sequence[Mention], settings: FusionSettings) -> list[list[tuple[str, Mention]]]:
    """For each fresh mention, the stored mentions that may pair with it (with their
    components), found through its blocking keys (`lookup_rings`) in `canonical_blocks`.

    Read ring by ring, nearest first (`lookup_rings`): ring 0 is every key but the days
    beyond its own window; ring 1 the days within the slack around it. After each ring,
    one query for every fresh mention still open (`_block_rows`: by the index on `block`,
    the narrow columns ranking and `may_pair` need only; a row's anchors need not be read,
    as the key it was found under names the anchor it shares), each mention's rows found so
    far are ranked (nearest in time, then the narrowest window, then mention id) and
    `fuse.may_pair` decides (`_within_block`) until `MAX_CANDIDATES` are accepted: a mention
    whose last accepted candidate overlaps its window in time (gap 0) after ring 0 is done,
    as every row of ring 1 ranks after it. So the rows read are those of the days nearest the
    mention, in its place's country (or of no country), until it has its candidates: the
    density of stored reports per day, not their number, and no farther than the candidates
    need. Last, the components and features of the chosen candidates only are read by the
    members' index."""
    pairings = [Pairing.of(m, settings) for m in fresh]   # the fresh side, once for all its candidates
    rings = [lookup_rings(m, settings) for m in fresh]
    found: list[dict[str, _Member]] = [{} for _ in fresh]
    chosen: list[list[str]] = [[] for _ in fresh]
    reading = set(range(len(fresh)))
    depth = 0
    while reading:
        wanted = {number: rings[number][depth] for number in sorted(reading)}
        rows_of = _block_rows(store, sorted({key for keys in wanted.values() for key in keys}))
        for number, keys in wanted.items():
            for key, anchor in keys.items():
                for mention, country, day_first, day_last, precise in rows_of.get(key, ()):
                    known = found[number].get(mention)
                    shared = [*known.anchors] if known else []
                    if anchor and anchor not in shared:
                        shared.append(anchor)
                    found[number][mention] = _Member(mention, country, day_first, day_last, precise, shared,
                                                     mention.rpartition(":")[0])
            chosen[number], farthest = _nearest(pairings[number], found[number].values(), settings)
            if depth + 1 == len(rings[number]) or (len(chosen[number]) == MAX_CANDIDATES and farthest == 0):
                reading.discard(number)
        depth += 1
    stored = {row[0]: (row[1], mention_from_features(json.loads(row[2]))) for row in _members_by_mention(
        store, "mention, component, features", sorted({mention for some in chosen for mention in some}))}
    return [[stored[mention] for mention in mentions if mention in stored] for mentions in chosen]


_BlockRow = tuple[str, str | None, date | None, date | None, bool | None]   # mention, country, days, precise


def _block_rows(store: Any, keys: Sequence[str]) -> dict[str, list[_BlockRow]]:
    """The rows of these blocks (`_BLOCK_MEMBER_COLUMNS`) by key, by the index on `block`: a
    query on the keys alone (joined to a list of the fresh mentions, DuckDB scanned the
    whole table, in time growing with the store)."""
    rows_of: dict[str, list[_BlockRow]] = defaultdict(list)
    for first in range(0, len(keys), WRITE_CHUNK):
        chunk = list(keys[first:first + WRITE_CHUNK])
        for block, *row in store.connection.execute(
                f"SELECT block, {_BLOCK_MEMBER_COLUMNS} FROM canonical_blocks"
                f" WHERE block IN ({', '.join('?' * len(chunk))})", chunk).fetchall():
            rows_of[block].append(tuple(row))  # type: ignore[arg-type]
    return rows_of


def _nearest(fresh: Pairing, members: Iterable[_Member], settings: FusionSettings) -> tuple[list[str], int]:
    """The ids of the (at most `MAX_CANDIDATES`) members that may pair with the fresh
    mention, the nearest in time first (the gap between the time windows, then the narrowest
    window, then mention id), and the gap in days of the last one (0 when none)."""
    window = fresh.window

    def nearness(member: _Member) -> tuple[int, int, str]:
        if window is None or member.day_first is None or member.day_last is None:
            return 0, 0, member.mention   # dateless: every row of its scene is as near
        gap = max(0, (member.day_first - window[1]).days, (window[0] - member.day_last).days)
        return gap, (member.day_last - member.day_first).days, member.mention

    chosen: list[str] = []
    farthest = 0
    for member in sorted(members, key=nearness):
        if len(chosen) == MAX_CANDIDATES:
            break
        if _within_block(fresh, member, settings):
            chosen.append(member.mention)
            farthest = nearness(member)[0]
    return chosen, farthest


def _members_by_mention(store: Any, columns: str, mentions: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """These columns of the `canonical_members` rows of `mentions`, `WRITE_CHUNK` at a time."""
    for first in range(0, len(mentions), WRITE_CHUNK):
        chunk = list(mentions[first:first + WRITE_CHUNK])
        yield from store.connection.execute(
            f"SELECT {columns} FROM canonical_members WHERE mention IN ({', '.join('?' * len(chunk))})", chunk).fetchall()


@dataclass(frozen=True)
class _Member:
    """The columns of a canonical member that blocking filters on (`_BLOCK_MEMBER_COLUMNS`,
    in `canonical_members` and in each of its `canonical_blocks` rows), with its document
    and anchors: `_blocks` reads the document from the mention id and fills `anchors` with
    those of the keys the member was found under, the ones it shares."""
    mention: str
    country: str | None
    day_first: date | None
    day_last: date | None
    dated_precisely: bool | None
    anchors: list[str] | None
    doc_id: str


def _within_block(fresh: Pairing, member: _Member, settings: FusionSettings) -> bool:
    """A stored member is a candidate for the fresh mention (`fresh`: its `Pairing`) when they
    may pair (`fuse.may_pair`), read from the member's columns; its type family and reality are
    the fresh mention's, as every block it looks up is keyed by them (`lookup_rings`)."""
    window = (member.day_first, member.day_last) if member.day_first and member.day_last else None
    stored = Pairing(fresh.family, fresh.reality, member.doc_id, member.country, window,
                     bool(member.dated_precisely), frozenset(member.anchors or ()))
    return may_pair(fresh, stored, settings)


def lookup_keys(m: Mention, settings: FusionSettings) -> list[str]:
    """The blocking keys a mention may look up (`lookup_rings`, every ring, in order)."""
    return [key for ring in lookup_rings(m, settings) for key in ring]


# Where a precisely dated member is registered under its days (`d|` keys), the country of its
# place, or this for none; and `*` for every country (what a fresh mention with no place looks up).
NO_COUNTRY, ANY_COUNTRY = "-", "*"


def day_keys(prefix: str, day: date, country: str | None) -> list[str]:
    """The `d|` keys of one day a fresh mention looks up: of its place's country and of no
    country (`fuse.may_pair`: places in two countries never pair), or of every country when
    it has no place."""
    if country:
        return [f"{prefix}d|{day.isoformat()}|{country}", f"{prefix}d|{day.isoformat()}|{NO_COUNTRY}"]
    return [f"{prefix}d|{day.isoformat()}|{ANY_COUNTRY}"]


def lookup_rings(m: Mention, settings: FusionSettings) -> list[dict[str, str | None]]:
    """The blocking keys a mention looks up, nearest first, in rings: each key with the
    anchor it names (None for a day: a pair of precisely dated members needs none).

    Precisely dated: ring 0 has the days of its time window (`day_keys`: by its place's
    country) and (anchor, year) of the vaguely dated members (`a|`); ring 1 the days within
    the slack (`fuse.slack_days`) before and after its window, read only when ring 0 does
    not give it `MAX_CANDIDATES` (`_blocks`; one ring per day of the slack would read fewer
    rows where ring 0 falls just short, at a query per day). Vaguely dated: one ring,
    (anchor, year) of both kinds (`a|`, `p|`). Stored members are registered
    (`register_keys`) under their days (precisely dated) and under (anchor, year) over their
    window widened by the slack, so two windows within the slack share a key; a precisely
    dated member is not looked up through a shared participant by another precisely dated
    one, which keeps the blocks of a name as common as a country's small. Every mention also
    looks up the dateless members of its place (`u|`, no year); a dateless one (no time
    window: `fuse.dateless`) looks up its scene's dateless members (`u|`) and its scene's
    dated members of any year (`s|`, one key where a key per year of a fixed range was 403
    keys per anchor)."""
    window = time_window(m, settings)
    prefix = f"{m.family}|{m.reality}|"
    if window is None:   # dateless: the dateless (`u|`) and the dated (`s|`) of its scene
        return [{f"{prefix}{kind}|{anchor}": anchor for anchor in sorted(anchors(m)) for kind in "us"}]
    first: dict[str, str | None] = {f"{prefix}u|{anchor}": anchor for anchor in sorted(anchors(m))
                                    if anchor.startswith("place:")}
    rings = [first]
    precise = dated_precisely(m)
    if precise:
        day = window[0]
        while day <= window[1]:
            first.update(dict.fromkeys(day_keys(prefix, day, m.place_country)))
            day += timedelta(days=1)
        around: dict[str, str | None] = {}
        for distance in range(1, slack_days(settings) + 1):
            step = timedelta(days=distance)
            around.update(dict.fromkeys([*day_keys(prefix, window[0] - step, m.place_country),
                                         *day_keys(prefix, window[1] + step, m.place_country)]))
        rings.append(around)
    for anchor in sorted(anchors(m)):
        for kind in ("a",) if precise else ("a", "p"):
            first.update((f"{prefix}{kind}|{anchor}|{year}", anchor) for year in range(window[0].year, window[1].year + 1))
    return rings


def register_keys(family: str, reality: str, window: tuple[date, date] | None, precise: bool,
                  anchor_names: Iterable[str], country: str | None, settings: FusionSettings) -> list[str]:
    """The blocking keys a stored member is found under (`lookup_rings`): the days of its
    window when it is dated precisely, under its place's country (or `NO_COUNTRY`) and
    under `ANY_COUNTRY`; and (anchor, year) for each of its anchors and each year of its
    window widened by the slack, `p|` when precisely dated, else `a|`, and its place with
    no year (`s|`, what a dateless mention of that scene looks up). The same keys
    `register_blocks` writes in SQL."""
    prefix = f"{family}|{reality}|"
    if window is None:   # a dateless member: under its scene (`fuse.anchors`), with no year
        return [f"{prefix}u|{anchor}" for anchor in sorted(set(anchor_names))]
    slack = timedelta(days=slack_days(settings))
    first, last = window[0] - slack, window[1] + slack
    keys = []
    if precise:
        day = window[0]
        while day <= window[1]:
            keys.extend(f"{prefix}d|{day.isoformat()}|{where}" for where in (country or NO_COUNTRY, ANY_COUNTRY))
            day += timedelta(days=1)
    kind = "p" if precise else "a"
    for anchor in sorted(set(anchor_names)):
        keys.extend(f"{prefix}{kind}|{anchor}|{year}" for year in range(first.year, last.year + 1))
        if anchor.startswith("place:"):
            keys.append(f"{prefix}s|{anchor}")   # its place in any year, for a dateless mention
    return keys


# The member columns each `canonical_blocks` row carries (what `_within_block` filters on, with
# the member's document read from its mention id and its shared anchors from the key), as they
# were when the member was first written: a member fused again keeps its rows.
_BLOCK_MEMBER_COLUMNS = "mention, country, day_first, day_last, dated_precisely"


def register_blocks(store: Any, where: str, params: Sequence[Any], settings: FusionSettings) -> None:
    """Insert the blocking keys of the members matching `where` (SQL on canonical_members),
    in bulk (a schema upgrade, a benchmark's copies): the keys `register_keys` computes."""
    slack = slack_days(settings)
    store.connection.execute(f"""
        INSERT INTO canonical_blocks
        SELECT DISTINCT family || '|' || reality || '|d|' || strftime(CAST(day AS DATE), '%Y-%m-%d') || '|' || place,
               {_BLOCK_MEMBER_COLUMNS}
        FROM (SELECT *, unnest([coalesce(nullif(country, ''), '{NO_COUNTRY}'), '{ANY_COUNTRY}']) AS place
              FROM (SELECT family, reality, {_BLOCK_MEMBER_COLUMNS},
                           unnest(generate_series(day_first, day_last, INTERVAL 1 DAY)) AS day
                    FROM canonical_members WHERE dated_precisely AND ({where})))
        UNION ALL
        SELECT DISTINCT family || '|' || reality || '|' || CASE WHEN dated_precisely THEN 'p' ELSE 'a' END
                        || '|' || anchor || '|' || CAST(year AS VARCHAR), {_BLOCK_MEMBER_COLUMNS}
        FROM (SELECT family, reality, {_BLOCK_MEMBER_COLUMNS}, anchor, unnest(generate_series(first_year, last_year)) AS year
              FROM (SELECT family, reality, {_BLOCK_MEMBER_COLUMNS}, unnest(anchors) AS anchor,
                           year(CAST(day_first - {slack} AS DATE)) AS first_year,
                           year(CAST(day_last + {slack} AS DATE)) AS last_year
                    FROM canonical_members WHERE day_first IS NOT NULL AND ({where})))
        UNION ALL
        SELECT DISTINCT family || '|' || reality || '|s|' || anchor, {_BLOCK_MEMBER_COLUMNS}
        FROM (SELECT family, reality, {_BLOCK_MEMBER_COLUMNS}, unnest(anchors) AS anchor
              FROM canonical_members WHERE day_first IS NOT NULL AND ({where}))
        WHERE anchor LIKE 'place:%'
        UNION ALL
        SELECT DISTINCT family || '|' || reality || '|u|' || anchor, {_BLOCK_MEMBER_COLUMNS}
        FROM (SELECT family, reality, {_BLOCK_MEMBER_COLUMNS}, unnest(anchors) AS anchor
              FROM canonical_members WHERE day_first IS NULL AND ({where}))""", [*params, *params, *params, *params])


def split_pairs(store: Any, among: Iterable[MentionKey] | None = None) -> list[tuple[MentionKey, MentionKey]]:
    """The analysts' keep-apart pairs (`fusion_splits`), in order; among: only the pairs with
    a mention among these (read by their documents' ids, the columns the table is keyed on,
    then matched exactly), else all of them."""
    if among is None:
        rows = store.connection.execute(
            "SELECT doc_a, event_a, doc_b, event_b FROM fusion_splits ORDER BY ALL").fetchall()
        return [((a, b), (c, d)) for a, b, c, d in rows]
    keys = set(among)
    documents = sorted({doc_id for doc_id, _ in keys})
    found: list[tuple[MentionKey, MentionKey]] = []
    for first in range(0, len(documents), WRITE_CHUNK):
        chunk = documents[first:first + WRITE_CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows = store.connection.execute(
            f"SELECT doc_a, event_a, doc_b, event_b FROM fusion_splits WHERE doc_a IN ({marks}) OR doc_b IN ({marks})",
            [*chunk, *chunk]).fetchall()
        found.extend(((a, b), (c, d)) for a, b, c, d in rows if (a, b) in keys or (c, d) in keys)
    return sorted(set(found))


# Components written per INSERT statement (`_write`): fewer statements, bounded parameter lists.
WRITE_CHUNK = 256


def _write(store: Any, components: Sequence[Component], settings: FusionSettings,
           fresh: frozenset[MentionKey] | None = None) -> None:
    """Insert the components' canonical events and member rows and their blocking keys
    (`register_keys`; fresh: of these mentions only, the others' are stored): three
    statements per `WRITE_CHUNK` components (more for many keys)."""
    for first in range(0, len(components), WRITE_CHUNK):
        chunk = components[first:first + WRITE_CHUNK]
        event_rows, member_rows, block_rows = [], [], []
        for component in chunk:
            for event in component.events:
                event_rows.append(_event_row(event, component.id))
                for m in event.mentions:
                    window, precise, names = time_window(m, settings), dated_precisely(m), sorted(anchors(m))
                    member = (f"{m.doc_id}:{m.event_id}", component.id, m.place_country,
                              *(window or (None, None)), precise, names)
                    member_rows.append((m.doc_id, m.event_id, member[0], event.id, component.id, m.family, m.reality,
                                        *member[2:], json.dumps(mention_features(m), ensure_ascii=False)))
                    if fresh is not None and m.key not in fresh:
                        continue
                    block_rows.extend((key, member[0], *member[2:6]) for key in dict.fromkeys(
                        register_keys(m.family, m.reality, window, precise, names, m.place_country, settings)))
        if not event_rows:
            continue
        _insert(store, "canonical_events", event_rows)
        ids = [row[0] for row in event_rows]
        count_edges(store, f"id IN ({', '.join('?' * len(ids))})", ids, +1)
        _insert(store, "canonical_members", member_rows)
        for first_block in range(0, len(block_rows), WRITE_CHUNK * 8):
            _insert(store, "canonical_blocks", block_rows[first_block:first_block + WRITE_CHUNK * 8])


def _insert(store: Any, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """All rows in one statement, one list per column (`Store._insert_rows`: a VALUES list of
    thousands of parameters took DuckDB longer to bind than to write)."""
    store._insert_rows(table, rows)


def _event_row(event: CanonicalEvent, component: str) -> tuple[Any, ...]:
    """One `canonical_events` row: ACLED-like columns, filter columns and the full record."""
    from . import gazetteer   # here, not at the top: the commands that only read need not load it

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
        record["source_names"], record["source_countries"], record["target_names"], record["target_countries"],
    )


def _first_participant(event: CanonicalEvent, side: str) -> tuple[str, str | None, str | None] | None:
    from .fuse import _participants

    found = _participants(event.mentions, side)
    return (found[0].name, found[0].country, found[0].sector) if found else None


# -- reading ---------------------------------------------------------------------------------
#
# Every read of canonical events goes through these queries: filters, order and limits in SQL
# on the narrow columns of `canonical_events`, and only the rows of one page decoded. No read
# fuses in memory: mentions not fused yet (`unfused`, a group whose fusion failed on ingest)
# are fused by the next ingest or by `newsledger refuse`, and reads say how many there are.


def unfused(store: Any) -> int:
    """How many stored event mentions are not members of a canonical event yet."""
    row = store.connection.execute(
        "SELECT (SELECT count(*) FROM events) - (SELECT count(*) FROM canonical_members)").fetchone()
    return max(0, int(row[0])) if row else 0


def is_current(store: Any) -> bool:
    """True when every stored event row is a member of a canonical event."""
    return unfused(store) == 0


@dataclass
class Conditions:
    """SQL conditions on `canonical_events` and their bound parameters: the one filter
    builder of every read of canonical events (`EventFilter` of the CLI and the API through
    `filter_sql`, the web app's `views.ViewFilter.where`). Each named condition does nothing
    when its value is None or empty; `add` appends any other condition."""
    parts: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, condition: str, *params: Any) -> Conditions:
        self.parts.append(condition)
        self.params.extend(params)
        return self

    def type_is(self, kind: str | None) -> Conditions:
        return self.add("type = ?", kind) if kind else self

    def participant_named(self, text: str | None) -> Conditions:
        """Any participant's name contains `text`, in any case."""
        return self.add("contains(participant_text, ?)", text.casefold()) if text else self

    def participant_country(self, iso3: str | None) -> Conditions:
        return self.add("list_contains(participant_countries, ?)", iso3) if iso3 else self

    def text(self, needle: str | None) -> Conditions:
        """Any mention's evidence or its document's title contains `needle`, in any case."""
        return self.add("contains(search_text, ?)", needle.casefold()) if needle else self

    def date_prefix(self, bound: str | None, op: str) -> Conditions:
        """The date key's prefix of the bound's length compares with it (`op`: >= or <=);
        undated events are left out. Written as a range on the whole key, which means the
        same for keys of digits and hyphens (`store.period_start`): a prefix at or after the
        bound is a key at or after it; a prefix at or before it is a key before the bound
        followed by a character above those ('~'), and the range skips the per-row substr."""
        if not bound:
            return self
        if op == ">=":
            return self.add("date_key >= ?", bound)
        if op == "<=":
            return self.add("date_key < ?", bound + "~")
        raise ValueError(op)

    def sql(self) -> tuple[str, list[Any]]:
        """The conditions joined with AND (TRUE when there are none) and their parameters."""
        return " AND ".join(["TRUE", *self.parts]), list(self.params)


def filter_sql(wanted: EventFilter) -> tuple[str, list[Any]]:
    """SQL conditions on `canonical_events` with the meaning of `EventFilter.matches`."""
    checked = wanted.validated()
    return (Conditions().type_is(checked.type).participant_named(checked.actor)
            .participant_country(checked.country).date_prefix(checked.since, ">=")
            .date_prefix(checked.until, "<=").text(checked.text).sql())


TIMELINE_ORDER = "date_key NULLS LAST, id"   # one sort column first: DuckDB skips row groups for a top-N


def canonical_page(store: Any, wanted: EventFilter, limit: int | None = None,
                   offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Canonical event records (`CanonicalEvent.to_json`) matching the filter, in timeline
    order, one page of them, and how many match. The page's ids are chosen on the narrow
    columns first; only their records are then read (by primary key) and decoded."""
    where, params = filter_sql(wanted)
    total = store.connection.execute(f"SELECT count(*) FROM canonical_events WHERE {where}", params).fetchone()[0]
    return [json.loads(text) for text in _record_texts(store, _ordered_ids(store, where, params, limit, offset))], \
        int(total)


def record_texts(store: Any, wanted: EventFilter, limit: int | None = None,
                 mentions: bool = True) -> Iterator[str]:
    """The stored JSON text of each matching canonical event's record, in timeline order,
    read `WRITE_CHUNK` records at a time (any number of events in bounded memory, nothing
    decoded: the CLI writes them as they are). mentions: False leaves each record's
    `mentions` out (in SQL), for readers that need the event's own fields only."""
    where, params = filter_sql(wanted)
    return _record_texts(store, _ordered_ids(store, where, params, limit, 0), mentions)


def _ordered_ids(store: Any, where: str, params: list[Any], limit: int | None, offset: int) -> list[str]:
    """The ids of the matching canonical events in timeline order, one page of them.

    A page is chosen in two steps: the date key of its last event, by a top-N over that one
    column (DuckDB's top-N on the date key and the id together compares the long ids of
    every row: several times slower at a million events), then only the events up to that
    date key are sorted by date key and id. Where the page reaches the undated events, the
    whole order is sorted. The records are read by id afterwards (`_record_texts`): reading
    them in the ordered query (DuckDB then fetches the record of the top rows only) saved a
    few ms on a warm instance but took three times as long on a fresh one at a million
    events, which is what every command opens."""
    order = f" ORDER BY {TIMELINE_ORDER}{page_sql(limit, offset)}"
    if limit:
        row = store.connection.execute(
            f"SELECT date_key FROM canonical_events WHERE {where} ORDER BY date_key NULLS LAST"
            f" LIMIT 1 OFFSET {int(limit) + int(offset) - 1}", params).fetchone()
        if row is not None and row[0] is not None:
            return [r[0] for r in store.connection.execute(
                f"SELECT id FROM canonical_events WHERE {where} AND date_key <= ?{order}", [*params, row[0]]).fetchall()]
    return [r[0] for r in store.connection.execute(f"SELECT id FROM canonical_events WHERE {where}{order}",
                                                   params).fetchall()]


def page_sql(limit: int | None, offset: int = 0) -> str:
    """LIMIT and OFFSET written as numbers (whole numbers checked here): with them bound as
    parameters DuckDB sorts every matching row instead of keeping the top ones."""
    if limit is not None and (int(limit) != limit or limit < 0):
        raise ValueError(f"limit {limit!r}")
    if int(offset) != offset or offset < 0:
        raise ValueError(f"offset {offset!r}")
    return (f" LIMIT {int(limit)}" if limit is not None else "") + (f" OFFSET {int(offset)}" if offset else "")


def _record_texts(store: Any, ids: Sequence[str], mentions: bool = True) -> Iterator[str]:
    """The stored record texts of these canonical events, in the order of `ids`, read by
    primary key `WRITE_CHUNK` at a time."""
    column = "record" if mentions else "json_merge_patch(record, '{\"mentions\": null}')"
    for first in range(0, len(ids), WRITE_CHUNK):
        chunk = list(ids[first:first + WRITE_CHUNK])
        found = dict(store.connection.execute(
            f"SELECT id, CAST({column} AS VARCHAR) FROM canonical_events WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk).fetchall())
        yield from (found[i] for i in chunk if i in found)


def _records(store: Any, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The decoded records of these canonical events, in the order of `ids`."""
    return [json.loads(text) for text in _record_texts(store, ids)]


def canonical_record(store: Any, event_id: str) -> dict[str, Any] | None:
    """One canonical event's record with its mentions, or None."""
    found = _records(store, [event_id])
    return found[0] if found else None


def canonical_event(store: Any, event_id: str) -> CanonicalEvent | None:
    """One canonical event with its mentions as fusion compares them (a split works on it)."""
    merges = store.connection.execute(
        "SELECT record->'$.merges' FROM canonical_events WHERE id = ?", [event_id]).fetchone()
    if merges is None:
        return None
    rows = store.connection.execute(
        "SELECT features FROM canonical_members WHERE canonical_id = ? ORDER BY doc_id, event_id", [event_id]).fetchall()
    return CanonicalEvent(event_id, [mention_from_features(json.loads(r[0])) for r in rows],
                          json.loads(merges[0]) if merges[0] else [])


@dataclass(frozen=True)
class CanonicalSummary:
    """Counts of the canonical events: by type and place country (ISO alpha-2), the date range."""
    events: int
    multi_source: int
    by_type: dict[str, int]
    by_country: dict[str, int]
    first_date: str | None
    last_date: str | None


def canonical_summary(store: Any) -> CanonicalSummary:
    """Aggregates over the canonical events table: three scans of narrow columns (one scan
    with GROUPING SETS measured slower)."""
    events, multi, first, last = store.connection.execute(
        "SELECT count(*), count(*) FILTER (WHERE num_articles > 1), min(date_key), max(date_key)"
        " FROM canonical_events").fetchone()
    by_type = store.connection.execute(
        "SELECT type, count(*) AS n FROM canonical_events GROUP BY type ORDER BY n DESC, type").fetchall()
    from . import gazetteer

    by_country: dict[str, int] = defaultdict(int)
    for iso3, n in store.connection.execute(
            "SELECT country, count(*) AS n FROM canonical_events WHERE country IS NOT NULL"
            " GROUP BY country ORDER BY n DESC, country").fetchall():
        by_country[gazetteer.iso3_to_iso2(iso3) or iso3] += int(n)
    return CanonicalSummary(int(events), int(multi or 0), {t: int(n) for t, n in by_type},
                            dict(sorted(by_country.items(), key=lambda item: (-item[1], item[0]))), first, last)


@dataclass(frozen=True)
class Edge:
    """Canonical events in which `source` acted on `target` with this type."""
    source: str
    source_country: str | None
    target: str
    target_country: str | None
    type: str
    events: int


# Each canonical event's source -> target pairs by type (its source names with its target
# names, the same name on both sides no pair), as rows of `canonical_edge_counts`.
# The events are chosen first (MATERIALIZED: a condition added to an id or component look-up
# would turn DuckDB's index scan into a scan of the whole table).
_EDGE_PAIRS = """
    WITH chosen AS MATERIALIZED (
        SELECT type, source_names, source_countries, target_names, target_countries FROM canonical_events WHERE {where})
    SELECT type, source, source_country, unnest(target_names) AS target, unnest(target_countries) AS target_country
    FROM (SELECT type, unnest(source_names) AS source, unnest(source_countries) AS source_country,
                 target_names, target_countries
          FROM chosen WHERE len(source_names) > 0 AND len(target_names) > 0)"""


def count_edges(store: Any, where: str, params: Sequence[Any], sign: int) -> None:
    """Add (sign +1) or take away (-1) the source -> target pairs of the canonical events
    matching `where` to the edge counts (`canonical_edge_counts`, the network without
    filters or by type, read in time independent of the number of events). Called when
    canonical events are written and before they are deleted; edges left at zero go."""
    pairs = _EDGE_PAIRS.format(where=where)
    grouped = (f"SELECT source, target, type, count(*) AS events, any_value(source_country) AS source_country,"
               f" any_value(target_country) AS target_country FROM ({pairs}) WHERE source <> target"
               " GROUP BY source, target, type")
    if sign > 0:
        store.connection.execute(
            f"INSERT INTO canonical_edge_counts {grouped} ON CONFLICT (source, target, type)"
            " DO UPDATE SET events = canonical_edge_counts.events + excluded.events", list(params))
        return
    store.connection.execute(
        f"UPDATE canonical_edge_counts c SET events = c.events - g.events FROM ({grouped}) g"
        " WHERE c.source = g.source AND c.target = g.target AND c.type = g.type", list(params))
    store.connection.execute("DELETE FROM canonical_edge_counts WHERE events <= 0")


def rebuild_edge_counts(store: Any) -> None:
    """The edge counts of every canonical event, from scratch (a schema upgrade, a benchmark's
    copies)."""
    store.connection.execute("DELETE FROM canonical_edge_counts")
    count_edges(store, "TRUE", [], +1)


def network_edges(store: Any, wanted: EventFilter, limit: int) -> tuple[list[Edge], int]:
    """The `limit` heaviest source -> target edges (by type) of the matching canonical events,
    and how many edges there are: each event counts once for every pair of one of its source
    names with one of its target names (the same name on both sides is no edge)."""
    checked = wanted.validated()
    if not (checked.actor or checked.country or checked.since or checked.until or checked.text):
        where, params = Conditions().type_is(checked.type).sql()   # from the counts kept on write
        rows = store.connection.execute(
            f"SELECT source, target, type, events, source_country, target_country, count(*) OVER () AS edges"
            f" FROM canonical_edge_counts WHERE {where}"
            f" ORDER BY events DESC, source, target, type{page_sql(limit)}", params).fetchall()
        total = int(rows[0][6]) if rows else 0
        return [Edge(s, sc, t, tc, ty, int(n)) for s, t, ty, n, sc, tc, _ in rows], total
    where, params = filter_sql(wanted)
    rows = store.connection.execute(f"""
        WITH sources AS (
            SELECT type, unnest(source_names) AS source, unnest(source_countries) AS source_country,
                   target_names, target_countries
            FROM canonical_events WHERE {where} AND len(source_names) > 0 AND len(target_names) > 0),
        pairs AS (
            SELECT type, source, source_country, unnest(target_names) AS target,
                   unnest(target_countries) AS target_country
            FROM sources)
        SELECT source, target, type, count(*) AS events, any_value(source_country), any_value(target_country),
               count(*) OVER () AS edges
        FROM pairs WHERE source <> target GROUP BY source, target, type
        ORDER BY events DESC, source, target, type LIMIT ?""", [*params, limit]).fetchall()
    total = int(rows[0][6]) if rows else 0
    return [Edge(s, sc, t, tc, ty, int(n)) for s, t, ty, n, sc, tc, _ in rows], total


MAP_COLUMNS = ("id", "type", "event_date", "location", "country", "latitude", "longitude", "num_articles", "killed")


def map_points(store: Any, wanted: EventFilter, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The first `limit` matching canonical events with coordinates, in timeline order
    (id, type, date_value, place_name, place_country as ISO alpha-2, lat, lon, num_articles,
    killed), and how many there are."""
    where, params = filter_sql(wanted)
    where += " AND latitude IS NOT NULL AND longitude IS NOT NULL"
    total = store.connection.execute(f"SELECT count(*) FROM canonical_events WHERE {where}", params).fetchone()[0]
    rows = store.connection.execute(
        f"SELECT {', '.join(MAP_COLUMNS)} FROM canonical_events WHERE {where} ORDER BY {TIMELINE_ORDER}"
        f"{page_sql(limit)}", params).fetchall()
    from . import gazetteer

    points = []
    for ident, kind, when, place, iso3, lat, lon, articles, killed in rows:
        points.append({"id": ident, "type": kind, "date_value": when, "place_name": place,
                       "place_country": gazetteer.iso3_to_iso2(iso3) if iso3 else None,
                       "lat": lat, "lon": lon, "num_articles": articles, "killed": killed})
    return points, int(total)


def actor_page(store: Any, name: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """Canonical event records in which a participant is named exactly `name` (any case), in
    timeline order, one page of them, and how many there are."""
    wanted = name.casefold()
    where = "contains(participant_text, ?) AND list_contains(string_split(participant_text, chr(10)), ?)"
    total = store.connection.execute(f"SELECT count(*) FROM canonical_events WHERE {where}",
                                     [wanted, wanted]).fetchone()[0]
    ids = [r[0] for r in store.connection.execute(
        f"SELECT id FROM canonical_events WHERE {where} ORDER BY {TIMELINE_ORDER}{page_sql(limit, offset)}",
        [wanted, wanted]).fetchall()]
    return _records(store, ids), int(total)


def date_range(store: Any) -> tuple[str, str, int] | None:
    """The first and last date keys of the dated canonical events, and how many are dated."""
    row = store.connection.execute(
        "SELECT min(date_key), max(date_key), count(date_key) FROM canonical_events").fetchone()
    return (row[0], row[1], int(row[2])) if row and row[2] else None


def read_canonical(store: Any) -> list[CanonicalEvent]:
    """Every canonical event with its mentions, from the tables, in timeline order (whole
    stores: `refuse` checks and benchmarks; reads use the queries above)."""
    merges = {ident: json.loads(found) if found else [] for ident, found in
              store.connection.execute("SELECT id, record->'$.merges' FROM canonical_events").fetchall()}
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for canonical_id, features in store.connection.execute(
            "SELECT canonical_id, features FROM canonical_members ORDER BY doc_id, event_id").fetchall():
        grouped[canonical_id].append(mention_from_features(json.loads(features)))
    from .fuse import _timeline_order

    events = [CanonicalEvent(ident, grouped[ident], merges.get(ident, [])) for ident in grouped]
    return sorted(events, key=_timeline_order)
