"""Lazy, cached loading of the packaged data files in `newsledger/data/`.

Each loader runs once per process (functools.cache); stages call them, never at import time.
"""
from __future__ import annotations

import csv
import json
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

import yaml


def data_text(name: str) -> str:
    return importlib_resources.files("newsledger").joinpath("data", name).read_text("utf-8")


@cache
def load_json(name: str) -> Any:
    return json.loads(data_text(name))


@cache
def load_yaml(name: str) -> Any:
    return yaml.safe_load(data_text(name))


@cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    rows = csv.DictReader(data_text(name).splitlines(), delimiter="\t")
    return tuple(rows)
