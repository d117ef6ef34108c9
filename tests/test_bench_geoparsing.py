"""The metric functions of benchmarks/geoparsing.py, on hand-made numbers and a tiny corpus."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.conftest import script_module

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "geoparsing.py"


@pytest.fixture(scope="module")
def bench():
    with script_module(BENCHMARK, "geoparsing_benchmark") as module:
        yield module


def gold(bench, geonameid=1, lat=0.0, lon=0.0):
    return bench.GoldToponym(0, 5, "Place", geonameid, lat, lon)


def test_error_is_zero_for_the_gold_entry_and_max_for_no_answer(bench):
    assert bench.error_km(gold(bench), 1, 50.0, 50.0) == 0.0
    assert bench.error_km(gold(bench), None, None, None) == bench.MAX_ERROR_KM
    assert bench.error_km(gold(bench), 2, None, None) == bench.MAX_ERROR_KM
    assert bench.error_km(gold(bench), 2, 0.0, 1.0) == pytest.approx(111.2, abs=0.1)


def test_auc_bounds(bench):
    assert bench.auc_of_errors([0.0, 0.0, 0.0]) == 0.0
    assert bench.auc_of_errors([bench.MAX_ERROR_KM] * 3) == pytest.approx(1.0)
    half = bench.auc_of_errors([0.0, bench.MAX_ERROR_KM])
    assert half == pytest.approx(0.5)
    assert math.isnan(bench.auc_of_errors([]))


def test_resolution_score_counts_misses_in_all_but_not_in_the_mordecai_protocol(bench):
    errors = [0.0, 100.0, 500.0, bench.MAX_ERROR_KM]
    exact = [True, False, False, False]
    covered = [True, True, True, False]
    score = bench.resolution_score(errors, exact, covered)
    assert score.n == 4 and score.covered == 0.75
    assert score.acc161 == 0.5                       # 2 of 4 within 161 km
    assert score.acc161_m3 == pytest.approx(2 / 3)   # 2 of the 3 covered
    assert score.exact == 0.25
    assert score.median_km == 300.0


def test_detection_strict_and_lenient(bench):
    gold_spans = [(0, 5), (10, 20)]
    predicted = [(0, 5), (12, 20), (30, 35)]
    strict = bench.detection_score(gold_spans, predicted)
    assert (strict.precision, strict.recall) == (pytest.approx(1 / 3), 0.5)
    lenient = bench.detection_score(gold_spans, predicted, lenient=True)
    assert (lenient.precision, lenient.recall) == (pytest.approx(2 / 3), 1.0)
    assert lenient.f1 == pytest.approx(0.8)


def test_readers_parse_hand_made_xml(bench, tmp_path):
    lgl = tmp_path / "lgl.xml"
    lgl.write_text(
        "<articles><article docid='7'><text>Paris news. Paris again.</text><toponyms>"
        "<toponym><start>0</start><end>5</end><phrase>Paris</phrase>"
        "<gaztag geonameid='4717560'><lat>33.66</lat><lon>-95.55</lon></gaztag></toponym>"
        "<toponym><start>12</start><end>17</end><phrase>Paris</phrase></toponym>"
        "</toponyms></article></articles>", "utf-8")
    (document,) = bench.read_lgl(lgl)
    assert document.doc_id == "7"
    assert document.toponyms == [bench.GoldToponym(0, 5, "Paris", 4717560, 33.66, -95.55)]
    gwn = tmp_path / "gwn.xml"
    gwn.write_text(
        "<articles><article file='0'><text>In Kabul, Afghans and a lot.</text><toponyms>"
        "<toponym><start>3</start><end>8</end><geonamesID>1138958</geonamesID>"
        "<latitude>34.5</latitude><longitude>69.2</longitude></toponym>"
        "<toponym><start>24</start><end>27</end></toponym>"
        "</toponyms></article></articles>", "utf-8")
    (document,) = bench.read_gwn(gwn)
    assert document.toponyms == [bench.GoldToponym(3, 8, "Kabul", 1138958, 34.5, 69.2)]


def test_resolve_gold_uses_the_places_resolver(bench):
    text = "Firefighters from Sherman were called near Paris."
    document = bench.GoldDocument("1", text, [
        bench.GoldToponym(text.find("Sherman"), text.find("Sherman") + 7, "Sherman", 4728328, 33.64, -96.61),
        bench.GoldToponym(text.find("Paris"), text.find("Paris") + 5, "Paris", 4717560, 33.66, -95.56),
    ])
    results = bench.resolve_gold(document, 15000)
    assert [answer.geonameid for _, answer, _ in results] == [4728328, 4717560]
    assert all(covered for _, _, covered in results)
