"""Resources built once and kept in the user cache folder: read back while their sources are
unchanged, built again when a source changes or the file is damaged, and never an error."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.resources import built_once


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEWSLEDGER_CACHE_DIR", str(folder))
    return folder


def test_a_value_is_built_once_then_read_until_a_source_changes(tmp_path: Path, cache: Path) -> None:
    source = tmp_path / "words.txt"
    source.write_text("alpha beta")
    builds: list[int] = []

    def build() -> dict[str, list[str]]:
        builds.append(1)
        return {"words": source.read_text().split()}

    assert built_once("words", [source], "k1", build) == {"words": ["alpha", "beta"]}
    assert built_once("words", [source], "k1", build) == {"words": ["alpha", "beta"]}
    assert len(builds) == 1 and len(list(cache.glob("words-*.pickle"))) == 1
    source.write_text("alpha beta gamma")
    assert built_once("words", [source], "k1", build) == {"words": ["alpha", "beta", "gamma"]}
    assert len(builds) == 2 and len(list(cache.glob("words-*.pickle"))) == 1   # the older build removed
    assert built_once("words", [source], "k2", build)["words"][-1] == "gamma"   # other settings: their own copy
    assert built_once("words", [source], "k1", build)["words"][-1] == "gamma"   # ... beside the first
    assert len(builds) == 3 and len(list(cache.glob("words-*.pickle"))) == 2


def test_a_damaged_cache_file_is_built_again(tmp_path: Path, cache: Path) -> None:
    source = tmp_path / "words.txt"
    source.write_text("alpha")
    assert built_once("words", [source], "", lambda: [1, 2, 3]) == [1, 2, 3]
    (path,) = cache.glob("words-*.pickle")
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 0xFF
    path.write_bytes(bytes(blob))
    assert built_once("words", [source], "", lambda: [4]) == [4]


def test_an_unreadable_source_or_unwritable_cache_only_means_building(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("NEWSLEDGER_CACHE_DIR", str(blocker / "cache"))   # cannot be created
    source = tmp_path / "words.txt"
    source.write_text("alpha")
    assert built_once("words", [source], "", lambda: "built") == "built"
    assert built_once("words", [tmp_path / "missing.txt"], "", lambda: "built anyway") == "built anyway"
