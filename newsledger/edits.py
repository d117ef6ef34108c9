"""An analyst's edits of the canonical events: take mentions out of an event (a split), and
undo a split. Both are stored as keep-apart pairs in `fusion_splits` (`Store.add_split`,
`Store.remove_splits`), which fusion honours from then on, and both fuse the affected
mentions again with the entry the ingest uses for it (`canonical.resplit`).

Used by `newsledger split` / `newsledger unsplit` and by the POST routes of
`newsledger serve --allow-edits` (`newsledger.api`). Every function takes a writing `Store`
and raises `NewsledgerError` E402 for a wrong event or mention.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import NewsledgerError
from .fuse import MentionKey


@dataclass(frozen=True)
class SplitDone:
    """What a split did: the pairs it stored and where the mentions are now."""
    event: str                    # the canonical event the mentions were taken out of
    kept_apart: int               # new keep-apart pairs stored
    staying: str | None           # the canonical event that now holds the mentions left in it
    leaving: list[str]            # the canonical event(s) that now hold the mentions taken out


@dataclass(frozen=True)
class UnsplitDone:
    """What undoing a split did: the pairs it removed and where the mentions are now."""
    removed: int                  # keep-apart pairs removed
    events: list[str]             # the canonical event(s) that now hold the two events' mentions


def unique_prefix(given: str, choices: list[str], what: str) -> str:
    """The one choice that is `given` or starts with it; E402 when none or several do."""
    if given in choices:
        return given
    matches = [c for c in choices if c.startswith(given)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NewsledgerError("E402", f"no {what} starting with {given!r} in this event")
    raise NewsledgerError("E402", f"{given!r} is the start of {len(matches)} {what}s: "
                                  f"{', '.join(m[:16] for m in matches[:5])}; give more characters")


def parse_mention(text: str) -> MentionKey:
    """DOC_ID:EVENT_ID as a key (the document id may hold colons; the event id does not)."""
    doc_id, colon, local_id = str(text).rpartition(":")
    if not colon or not doc_id or not local_id:
        raise NewsledgerError("E402", f"{text!r} is not a mention written DOC_ID:EVENT_ID")
    return doc_id, local_id


def split_event(store: Any, event_id: str, mentions: Sequence[str], note: str | None = None) -> SplitDone:
    """Take `mentions` (DOC_ID:EVENT_ID, the document id may be shortened to a unique prefix)
    out of the canonical event `event_id`; fusion keeps them apart from its other mentions."""
    from .canonical import canonical_event
    from .fuse import split_pairs

    if not mentions:
        raise NewsledgerError("E402", "name at least one mention to split off")
    parsed = [parse_mention(text) for text in mentions]
    found = canonical_event(store, event_id)
    if found is None:
        raise NewsledgerError("E402", f"no canonical event {event_id}")
    documents = sorted({m.doc_id for m in found.mentions})
    leaving = [(unique_prefix(doc_id, documents, "document id"), local_id) for doc_id, local_id in parsed]
    pairs = split_pairs(found, leaving)
    added = store.add_splits(pairs, note)   # one transaction, the mentions fused again once
    staying = sorted({b for _, b in pairs})
    homes = events_of(store, staying)
    return SplitDone(event_id, added, homes[0] if homes else None, events_of(store, leaving))


def unsplit_events(store: Any, event_id: str, other_id: str) -> UnsplitDone:
    """Undo the analysts' splits between two canonical events: remove every keep-apart pair
    between a mention of one and a mention of the other, and fuse their mentions again (they
    merge when fusion finds them the same event, as before the split)."""
    if event_id == other_id:
        raise NewsledgerError("E402", f"{event_id} is one event: name the event it was split from")
    first, second = members(store, event_id), members(store, other_id)
    for name, found in ((event_id, first), (other_id, second)):
        if not found:
            raise NewsledgerError("E402", f"no canonical event {name}")
    from .canonical import split_pairs

    mine, theirs = set(first), set(second)
    pairs = [(a, b) for a, b in split_pairs(store, [*first, *second])
             if (a in mine and b in theirs) or (a in theirs and b in mine)]
    if not pairs:
        raise NewsledgerError("E402", f"no analyst's split keeps {event_id} apart from {other_id}")
    removed = store.remove_splits(pairs)
    return UnsplitDone(removed, events_of(store, [*first, *second]))


def members(store: Any, event_id: str) -> list[MentionKey]:
    """The mentions of one canonical event, in key order."""
    rows = store.connection.execute(
        "SELECT doc_id, event_id FROM canonical_members WHERE canonical_id = ? ORDER BY ALL", [event_id]).fetchall()
    return [(str(doc_id), str(local_id)) for doc_id, local_id in rows]


def events_of(store: Any, keys: Iterable[MentionKey]) -> list[str]:
    """The canonical events that hold these mentions now, in the order of the keys."""
    wanted = [f"{doc_id}:{local_id}" for doc_id, local_id in keys]
    if not wanted:
        return []
    rows = dict(store.connection.execute(
        f"SELECT mention, canonical_id FROM canonical_members WHERE mention IN ({', '.join('?' * len(wanted))})",
        wanted).fetchall())
    return list(dict.fromkeys(rows[m] for m in wanted if m in rows))
