"""One settings object, built once at the entry point and passed down.

Defaults live in the packaged `data/settings.toml`, where each key is documented.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from .errors import NewsledgerError


@dataclass(frozen=True)
class Settings:
    nlp_model: str
    batch_size: int
    max_input_bytes: int
    min_body_chars: int
    http_timeout: float
    http_max_bytes: int
    gazetteer_min_population: int
    actor_fuzzy_threshold: int
    min_event_confidence: float
    actor_files: tuple[str, ...] = ()
    last_stage: str = "events"
    verb_pattern_files: tuple[str, ...] = ()   # PETRARCH/TABARI verb dictionaries (newsledger.verbdict)
    cameo_map_file: str | None = None          # CAMEO -> PLOVER table for them (newsledger.cameomap)
    allow_private_urls: bool = False           # fetch URLs on private/loopback addresses (newsledger.ingest.url)
    read_timeout: float = 10.0                 # seconds one read (a command, an API request) may take
    nlp_processes: int = 2                     # processes parsing the pieces of one long body (stages.nlp)

    @classmethod
    def load(cls, config: str | Path | None = None, **overrides: Any) -> "Settings":
        """Packaged defaults, then the config file, then explicit overrides (None is ignored)."""
        text = importlib_resources.files("newsledger").joinpath("data/settings.toml").read_text("utf-8")
        values: dict[str, Any] = tomllib.loads(text)
        if config:
            try:
                values.update(tomllib.loads(Path(config).read_text("utf-8")))
            except (OSError, tomllib.TOMLDecodeError) as err:
                raise NewsledgerError("E203", f"{config}: {err}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise NewsledgerError("E203", f"unknown setting(s): {', '.join(unknown)}")
        try:
            settings = cls(**values)
        except TypeError as err:
            raise NewsledgerError("E203", str(err)) from None
        if settings.gazetteer_min_population not in (500, 1000, 5000, 15000):
            raise NewsledgerError("E203", "gazetteer_min_population must be 500, 1000, 5000 or 15000")
        settings = replace(settings, actor_files=tuple(settings.actor_files),
                           verb_pattern_files=tuple(settings.verb_pattern_files))
        if settings.batch_size < 1:
            raise NewsledgerError("E203", "batch_size must be at least 1")
        if isinstance(settings.nlp_processes, bool) or not isinstance(settings.nlp_processes, int) \
                or settings.nlp_processes < 1:
            raise NewsledgerError("E203", f"nlp_processes must be a whole number of at least 1, not {settings.nlp_processes!r}")
        for name in ("read_timeout", "http_timeout"):
            value = getattr(settings, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise NewsledgerError("E203", f"{name} must be a number of seconds above 0, not {value!r}")
        return settings

    def with_(self, **changes: Any) -> "Settings":
        """A copy with some settings changed."""
        return replace(self, **changes)
