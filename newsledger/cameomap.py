"""CAMEO event codes -> PLOVER types, for events coded with a user verb dictionary.

The packaged default (`data/cameo_plover_roots.tsv`) maps CAMEO roots 03-20 to PLOVER types;
roots 01 (public statements) and 02 (appeals) have no PLOVER type, so codes under them give
no event. A user mapping (`--cameo-map FILE`, setting `cameo_map_file`) replaces it; it is
read in the format of the PLOVER project's CAMEO-to-PLOVER table, one code a line:

    CODE: TYPE, mode, context; context   # comment

A code looks up its own line, else its first three characters, else its root (the first
two), so "0874" and "174K" find "087" and "174". A bad line raises E206 with FILE:LINE.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import NewsledgerError
from .model import PLOVER_TYPES
from .resources import load_tsv

LINE_RE = re.compile(r"^(?P<code>\d{2,4})\s*:\s*(?P<rest>.*)$")


@dataclass(frozen=True)
class PloverCoding:
    type: str
    mode: str | None = None
    contexts: tuple[str, ...] = ()


def parse_cameo_map(text: str, label: str) -> dict[str, PloverCoding]:
    """A mapping file's codes; the first line of a code wins (PLOVER splits some roots)."""
    table: dict[str, PloverCoding] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line or set(line) <= {"~", "-", "="}:
            continue
        m = LINE_RE.match(line)
        if m is None:
            raise NewsledgerError("E206", f"{label}:{number}: expected 'CODE: TYPE, mode, context', got {line!r}")
        fields = [f.strip() for f in m.group("rest").split(",")]
        plover = fields[0].upper()
        if plover not in PLOVER_TYPES:
            raise NewsledgerError("E206", f"{label}:{number}: {fields[0]!r} is not a PLOVER event type")
        mode = fields[1] if len(fields) > 1 and fields[1] else None
        contexts = tuple(c.strip() for c in ",".join(fields[2:]).split(";") if c.strip())
        table.setdefault(m.group("code"), PloverCoding(plover, mode, contexts))
    return table


@cache
def cameo_map(path: str | None = None) -> dict[str, PloverCoding]:
    """The user's mapping file, or the packaged root-level default; read once per process."""
    if path is None:
        return {row["cameo_root"]: PloverCoding(row["plover_type"]) for row in load_tsv("cameo_plover_roots.tsv")}
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise NewsledgerError("E206", f"{path}: cannot be read ({err})") from None
    return parse_cameo_map(text, path)


def plover_of(code: str, table: dict[str, PloverCoding]) -> PloverCoding | None:
    """The PLOVER coding of a CAMEO code (see the module docstring), None when it has none."""
    code = code.strip()
    for size in (len(code), 3, 2):
        if size <= len(code) and code[:size] in table:
            return table[code[:size]]
    return None
