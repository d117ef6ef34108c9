"""The packaged resources of the event coders, loaded once per process: the event lexicon
(`data/event_lexicon.yaml`: triggers with their PLOVER type, CAMEO root, mode and argument
rules) and the content word lists (`data/event_words.yaml`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from collections.abc import Iterable
from typing import Any

from ...resources import load_yaml



@dataclass(frozen=True)
class Trigger:
    type: str
    cameo: str
    mode: str | None = None
    targets: tuple[str, ...] = ()
    requires_xcomp: bool = False
    requires_object: tuple[str, ...] = ()
    requires_object_actor: bool = False
    particle: tuple[str, ...] = ()
    particle_absent: tuple[str, ...] = ()
    needs_modifier: tuple[str, ...] = ()
    theme_object: bool = False       # the object is what is moved or given, not the target
    by_object: tuple[tuple[frozenset[str], "Trigger"], ...] = ()  # object words that make it another act
    needs_support_verb: str | None = None  # nouns: only after a "light" verb ("conducted patrols") or a "state" one ("on alert")
    mutual: bool = False             # both sides act on each other ("clashed with", "exchanged fire"): coded both ways
    no_act_objects: tuple[str, ...] = ()  # object words with which the verb names no act ("released the names")



@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, Trigger]
    adjectives: dict[str, Trigger]
    nouns: dict[str, Trigger]
    speech_verbs: frozenset[str]
    critical_words: frozenset[str]
    future_governors: frozenset[str]
    hypothetical_markers: frozenset[str]
    hypothetical_modals: frozenset[str]
    future_modals: frozenset[str]
    attack_names: frozenset[str]
    context_patterns: dict[str, re.Pattern[str]]   # each context's words as one pattern of whole words


def _trigger(spec: dict[str, Any], classes: dict[str, frozenset[str]]) -> Trigger:
    inherited = {k: v for k, v in spec.items() if k in {"targets", "theme_object", "particle", "particle_absent"}}
    by_object = tuple((classes[name], _trigger({**inherited, **alt}, classes))
                      for name, alt in spec.get("by_object", {}).items())
    return Trigger(
        spec["type"], str(spec["cameo"]), spec.get("mode"), tuple(spec.get("targets", ())),
        bool(spec.get("requires_xcomp")), tuple(w for x in spec.get("requires_object", ()) for w in classes.get(x, (x,))),
        bool(spec.get("requires_object_actor")), tuple(spec.get("particle", ())),
        tuple(spec.get("particle_absent", ())), tuple(spec.get("needs_modifier", ())),
        bool(spec.get("theme_object")), by_object, spec.get("needs_support_verb"), bool(spec.get("mutual")),
        tuple(w for x in spec.get("no_act_objects", ()) for w in classes.get(x, (x,))))



@cache
def lexicon() -> Lexicon:
    data = load_yaml("event_lexicon.yaml")
    classes = {k: frozenset(v) for k, v in data["object_classes"].items()}
    bad = sorted(w for words in classes.values() for w in words if w != w.lower() or " " in w or "-" in w)
    if bad:  # has_object compares one lower-cased token
        raise ValueError(f"event_lexicon.yaml: object class words must be one lower-case token: {bad}")
    return Lexicon(
        {k: _trigger(v, classes) for k, v in data["verbs"].items()},
        {k: _trigger(v, classes) for k, v in data["adjectives"].items()},
        {k: _trigger(v, classes) for k, v in data["nouns"].items()},
        frozenset(data["speech_verbs"]), frozenset(data["critical_words"]),
        frozenset(data["future_governors"]), frozenset(data["hypothetical_markers"]),
        frozenset(data["hypothetical_modals"]), frozenset(data["future_modals"]), frozenset(data["attack_names"]),
        {k: whole_words(v) for k, v in data["contexts"].items()})


def whole_words(words: Iterable[str]) -> re.Pattern[str]:
    """Any of the words as a whole word, longest first, in one pattern; no words match nothing."""
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"\b(?:" + ("|".join(map(re.escape, ordered)) or "(?!)") + r")\b")


@dataclass(frozen=True)
class EventWords:
    """The content word lists of `data/event_words.yaml` (see the comments there)."""
    light_verbs: frozenset[str]
    expression_verbs: frozenset[str]
    state_verbs: frozenset[str]
    ending_verbs: frozenset[str]
    exercise_nouns: frozenset[str]
    measure_nouns: frozenset[str]
    statement_nouns: frozenset[str]
    diplomatic_protest_verbs: frozenset[str]
    stance_nouns: frozenset[str]
    non_military_resources: frozenset[str]
    yielded_to: frozenset[str]
    asking_verbs: frozenset[str]
    end_words: frozenset[str]
    start_words: frozenset[str]
    labelling_verbs: frozenset[str]
    generic_quantifiers: frozenset[str]
    undergoer_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    vague_quantities: dict[str, tuple[int, int]]   # "dozens" -> (24, 99)


@cache
def event_words() -> EventWords:
    data = load_yaml("event_words.yaml")
    lists = {name: frozenset(str(w) for w in data[name]) for name in EventWords.__dataclass_fields__
             if name != "vague_quantities"}
    vague = {str(k).lower(): (int(v[0]), int(v[1])) for k, v in data["vague_quantities"].items()}
    return EventWords(**lists, vague_quantities=vague)
