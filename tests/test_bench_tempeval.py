"""The TimeML reader and TempEval-3 scoring of benchmarks/tempeval.py, on a hand-written snippet."""
from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import script_module

ROOT = Path(__file__).resolve().parents[1]
BENCHMARK = ROOT / "benchmarks" / "tempeval.py"
SHARED = ROOT / ".." / "shared"

SNIPPET = """<?xml version="1.0" ?>
<TimeML>
<DOCID>HAND0001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2001-05-04" functionInDocument="CREATION_TIME">2001-05-04</TIMEX3></DCT>
<TITLE>Talks resume</TITLE>
<TEXT>
Talks <EVENT eid="e1" class="OCCURRENCE">resumed</EVENT> on <TIMEX3 tid="t1" type="DATE" value="2001-05-03">Thursday</TIMEX3> after <TIMEX3 tid="t2" type="DURATION" value="P2W">two weeks</TIMEX3> &amp; more, officials said <TIMEX3 tid="t3" type="DATE" value="PRESENT_REF">now</TIMEX3>.
</TEXT>
</TimeML>
"""


@pytest.fixture(scope="module")
def bench():
    with script_module(BENCHMARK, "tempeval_benchmark") as module:
        yield module


def test_parse_timeml_gives_text_dct_and_gold_offsets(bench) -> None:
    doc = bench.parse_timeml(SNIPPET, "hand")
    assert doc.dct == date(2001, 5, 4)
    assert [(g.text, g.type, g.value) for g in doc.gold] == [
        ("Thursday", "DATE", "2001-05-03"), ("two weeks", "DURATION", "P2W"), ("now", "DATE", "PRESENT_REF")]
    assert all(doc.text[g.start:g.end] == g.text for g in doc.gold)
    assert "&amp;" not in doc.text and "& more" in doc.text       # entities decoded, tags gone
    assert "<" not in doc.text and "2001-05-04" not in doc.text   # the DCT is not part of the text


def span(bench, doc, surface: str, value: str, kind: str = "DATE"):
    start = doc.text.index(surface)
    return bench.Span(start, start + len(surface), kind, value, surface)


def test_strict_relaxed_and_value_scores(bench) -> None:
    doc = bench.parse_timeml(SNIPPET, "hand")
    system = [
        span(bench, doc, "on Thursday", "2001-05-03"),            # overlaps: relaxed, right value
        span(bench, doc, "two weeks", "P3W", "DURATION"),        # exact span, wrong value
        span(bench, doc, "officials", "2001"),                   # spurious
    ]
    counts = bench.score_document(system, doc.gold)
    assert (counts.system, counts.gold, counts.strict, counts.relaxed, counts.value) == (3, 3, 1, 2, 1)
    assert counts.strict_f1 == pytest.approx(1 / 3)
    assert counts.relaxed_f1 == pytest.approx(2 / 3)
    assert counts.value_accuracy == pytest.approx(1 / 2)
    assert counts.value_f1 == pytest.approx(1 / 3)              # P = R = 1/3
    assert counts.type_accuracy == pytest.approx(1.0)


def test_matching_is_one_to_one(bench) -> None:
    doc = bench.parse_timeml(SNIPPET, "hand")
    split = [span(bench, doc, "two", "P2W", "DURATION"), span(bench, doc, "weeks", "P2W", "DURATION")]
    counts = bench.score_document(split, doc.gold)
    assert counts.relaxed == 1 and counts.system == 2           # one gold timex counts once


def test_an_exact_match_wins_over_an_earlier_overlap(bench) -> None:
    gold = [bench.Span(0, 10, "DATE", "A"), bench.Span(5, 15, "DATE", "B")]
    pairs = bench.match_spans([bench.Span(5, 15, "DATE", "B")], gold)
    assert [(s.value, g.value) for s, g in pairs] == [("B", "B")]


def test_empty_system_scores_zero_without_dividing_by_zero(bench) -> None:
    doc = bench.parse_timeml(SNIPPET, "hand")
    counts = bench.score_document([], doc.gold)
    assert counts.strict_f1 == counts.relaxed_f1 == counts.value_f1 == counts.value_accuracy == 0.0


def test_counts_add_up_over_documents(bench) -> None:
    total = bench.Counts()
    total.add(bench.Counts(system=2, gold=3, strict=1, relaxed=2, value=2, type=2))
    total.add(bench.Counts(system=1, gold=1, strict=1, relaxed=1, value=0, type=1))
    assert (total.system, total.gold, total.strict, total.relaxed, total.value) == (3, 4, 2, 3, 2)
    assert total.value_f1 == pytest.approx(2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4))


def test_align_finds_unplaced_hits_in_order_and_drops_unknown_ones(bench) -> None:
    text = "Friday and Friday again, then Monday."
    spans = bench.align(text, [("Friday", "DATE", "a"), ("Friday", "DATE", "b"), ("Sunday", "DATE", "c"),
                               ("Monday", "DATE", "d")])
    assert [(s.start, s.value) for s in spans] == [(0, "a"), (11, "b"), (30, "d")]


def test_table_has_one_row_per_system(bench) -> None:
    counts = bench.Counts(system=4, gold=4, strict=3, relaxed=4, value=2, type=4)
    lines = bench.table([("newsledger", counts, 12.5), ("other", None, 1.0)]).splitlines()
    assert lines[0].split()[:3] == ["system", "strict", "F1"]
    assert lines[1].split() == ["newsledger", "0.750", "1.000", "0.500", "0.500", "1.000", "12.50"]
    assert lines[2].split() == ["other", "1.00"]


@pytest.mark.shared
def test_the_tbaq_corpus_reads_with_gold_inside_the_text() -> None:
    data = SHARED / "eval" / "tempeval3-tbaq"
    if not data.is_dir():
        pytest.skip("../shared/eval/tempeval3-tbaq is absent")
    spec = importlib.util.spec_from_file_location("tempeval_benchmark_shared", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        documents = module.load_corpus(data, limit=5)
    finally:
        sys.modules.pop(spec.name, None)
    assert len(documents) == 5 and all(d.dct is not None for d in documents)
    assert all(d.text[g.start:g.end] == g.text for d in documents for g in d.gold)
