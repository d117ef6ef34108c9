"""Lazy, cached loading of the packaged data files in `newsledger/data/`.

Each loader runs once per process (functools.cache); stages call them, never at import time.
"""
from __future__ import annotations

import csv
import json
import re
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

import yaml


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
