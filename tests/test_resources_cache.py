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


def test_components_a_pipeline_disables_are_read_from_its_meta(tmp_path: Path) -> None:
    from newsledger.stages.nlp import disabled_by_default

    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "meta.json").write_text('{"lang": "en", "disabled": ["senter", 3]}')
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "meta.json").write_text("{not json")
    assert disabled_by_default(str(tmp_path / "model")) == ["senter"]
    assert disabled_by_default(str(tmp_path / "broken")) == []
    assert disabled_by_default("no_such_pipeline_package") == []


def test_the_gazetteer_index_read_from_its_columns_answers_as_built() -> None:
    from newsledger import gazetteer

    built = gazetteer._Index()
    built.add((11, "Rivermouth", "AA", 1.5, -2.25, 900, None), ["rivermouth", "river mouth"], 1)
    built.add(gazetteer.Candidate(None, "Upland", "AA", 3.0, 4.0, "ADM1", 0, "province", "UP"), ["upland"], 1)
    built.add((12, "Upland", "AA", 3.1, 4.1, 2000, "UP"), ["upland"], 1)
    built.add_name("rivermouth", 1)
    built.capital_ids = {12}
    read = gazetteer._Index.from_payload(built.to_payload())
    for key in ("rivermouth", "river mouth", "upland", "absent", ""):
        assert read.by_name.get(key, ()) == built.by_name.get(key, ()), key
        assert read.matches(key) == built.matches(key), key
    assert read.candidate(0).admin1 is None and read.candidate(2).feature == "PPLC"
    assert read.position_of_id == {11: 0, 12: 2}
    built.add((13, "Two\nLines", "AA", 0.0, 0.0, 1, None), ["two lines"], 1)
    with pytest.raises(ValueError):
        built.to_payload()
