"""Shared fixtures: the spaCy pipeline once per session, and the path of ../shared."""
from __future__ import annotations

import gc
import importlib.util
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def settings():
    from newsledger.settings import Settings
    return Settings.load()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared (evaluation data beside the repository) is absent")
    return SHARED


@pytest.fixture(scope="session")
def process_text(settings):
    """Run the whole pipeline on a hand-written text; returns the Document."""
    from newsledger.model import Document, Meta
    from newsledger.pipeline import run_batch

    def run(text: str, published=None, dateline=None, source="<test>"):
        doc = Document(raw=text, meta=Meta(source=source, published=published, dateline=dateline))
        (result,) = run_batch([doc], settings)
        return result

    return run


@contextmanager
def script_module(path: Path, name: str) -> Iterator[ModuleType]:
    """Import a script of benchmarks/ as a module for the length of a test module."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def fastest_cpu_seconds(work: Callable[[], Any], runs: int = 3) -> float:
    """The CPU seconds of the fastest of `runs` calls of `work` (other processes share the
    machine). The objects the suite has left alive are frozen out of the garbage collector's
    scans first, so the timing is that of `work`, not of the heap it happens to run beside."""
    gc.collect()
    gc.freeze()
    try:
        timings = []
        for _ in range(runs):
            start = time.process_time()
            work()
            timings.append(time.process_time() - start)
        return min(timings)
    finally:
        gc.unfreeze()
