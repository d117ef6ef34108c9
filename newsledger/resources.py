"""Lazy, cached loading of the packaged data files in `newsledger/data/`.

Each loader runs once per process (functools.cache); stages call them, never at import time.
`built_once` keeps what takes long to build from them (the actor dictionary's index) in the
user cache folder, so the next process reads it instead of building it again.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import pickle
import re
import sys
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")


def data_text(name: str) -> str:
    return importlib_resources.files("newsledger").joinpath("data", name).read_text("utf-8")


@cache
def load_json(name: str) -> Any:
    return json.loads(data_text(name))


# libyaml's parser when PyYAML was built with it: several times faster on the word lists,
# which otherwise take a good part of a command's start-up.
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """YAML with only true/false as booleans: word lists hold "on", "off", "no" and "yes"
    as words (YAML 1.1 would read them as booleans)."""


DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
DataLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))


@cache
def load_yaml(name: str) -> Any:
    return yaml.load(data_text(name), Loader=DataLoader)


@cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    rows = csv.DictReader(data_text(name).splitlines(), delimiter="\t")
    return tuple(rows)


# -- built once, kept on disk -------------------------------------------------------------------

CACHE_FORMAT = 1   # bump when the layout of the cache files changes


def cache_dir() -> Path | None:
    """NEWSLEDGER_CACHE_DIR, else the user cache folder (XDG_CACHE_HOME or ~/.cache) /
    newsledger (where the gazetteer keeps its index too); None when no home is known."""
    configured = os.environ.get("NEWSLEDGER_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "newsledger"
    try:
        return Path.home() / ".cache" / "newsledger"
    except RuntimeError:
        return None


def data_path(name: str) -> Path:
    """The file of a packaged data file (for digests of what a cache was built from)."""
    return Path(str(importlib_resources.files("newsledger").joinpath("data", name)))


def built_once(name: str, sources: Sequence[str | Path], settings_key: str, build: Callable[[], T]) -> T:
    """What `build` returns, read from the user cache folder when a copy built from the same
    `sources` (their bytes: data files and the code that builds from them), `settings_key`
    and Python is there and its SHA-256 checksum holds; else built and written there
    (atomically, older builds of the same `name` and `settings_key` removed). A source that cannot be read, or a cache
    that cannot be read or written, only means building: `build` reports bad input itself.
    The files are pickles written by this user's newsledger, in this user's cache folder."""
    folder = cache_dir()
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{name}|{settings_key}|{sys.version}".encode())
    try:
        for source in sources:
            digest.update(b"|" + Path(source).read_bytes())
    except OSError:
        return build()
    if folder is None:
        return build()
    family = hashlib.sha256(f"{name}|{settings_key}".encode()).hexdigest()[:8]   # builds that replace each other
    path = folder / f"{name}-{family}-{digest.hexdigest()[:16]}.pickle"
    found = _read_checked(path)
    if found is not None:
        return found  # type: ignore[no-any-return]
    value = build()
    _write_checked(path, value, f"{name}-{family}-")
    return value


def _read_checked(path: Path) -> Any:
    """The pickled value of a cache file whose checksum holds, else None."""
    body = read_checked(path)
    try:
        return None if body is None else pickle.loads(body)
    except Exception:  # noqa: BLE001 - a cache from other code is rebuilt
        return None


def _write_checked(path: Path, value: Any, prefix: str) -> None:
    """Write `value` pickled with its checksum, removing the other builds of `prefix`."""
    try:
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except pickle.PicklingError:
        return
    write_checked(path, body, f"{prefix}*{path.suffix}")


def read_checked(path: Path) -> bytes | None:
    """The body of a cache file (SHA-256 checksum, then body) when the checksum holds, else None."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    checksum, body = blob[:32], blob[32:]
    return body if hashlib.sha256(body).digest() == checksum else None


def write_checked(path: Path, body: bytes, stale: str) -> None:
    """Write `body` after its checksum atomically (a temporary file renamed), then remove the
    other files of the folder matching the glob `stale` (older builds); a cache that cannot
    be written is only a slower next start, so OS errors are ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(hashlib.sha256(body).digest() + body)
        os.replace(temporary, path)
        for old in path.parent.glob(stale):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
