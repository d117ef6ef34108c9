"""benchmarks/polnear.py: the strict quote-span rule and the resolved speaker accuracy, on
hand-written spans (no ../shared needed)."""
import importlib
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def pn():
    """polnear.py imported as the scripts import each other (benchmarks/ on the path)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield importlib.import_module("polnear")
    finally:
        sys.path.remove(str(BENCHMARKS))
        for name in ("polnear", "evalkit"):
            sys.modules.pop(name, None)


def test_strict_rule_needs_half_of_the_longer_span(pn):
    gold = [[(0, 100)]]
    assert pn.strict_matches([[(0, 60)]], gold) == [0]
    assert pn.strict_matches([[(0, 40)]], gold) == [None]          # a piece of an interrupted quote
    assert pn.strict_matches([[(0, 40), (50, 100)]], gold) == [0]  # both segments together
    assert pn.best_matches([[(0, 40)]], gold) == [0]               # the overlap rule takes it


def test_article_scores_differ_by_rule(pn):
    gold = [pn.GoldAttribution([(0, 100)], [(110, 115)], None, direct=True)]
    pieces = [pn.PredictedQuote("direct", [(0, 40)], [], False, None, None),
              pn.PredictedQuote("direct", [(50, 100)], [], False, None, None)]
    overlap, _ = pn.score_article(gold, pieces, rule="overlap")
    strict, _ = pn.score_article(gold, pieces, rule="strict")
    assert overlap.direct.pred_correct == 2 and strict.direct.pred_correct == 1
    assert strict.direct.gold_found == 1


def test_resolved_speaker_needs_an_actor_at_the_source(pn):
    raw = "Officials in Lima said the road was closed. A ministry spokesman said it would reopen."
    source = (raw.index("A ministry spokesman"), raw.index(" said it"))
    gold = pn.GoldAttribution([(0, 5)], [source], None)
    # the words at the source, but no actor: right the PolNeAR way, wrong resolved
    words_only = pn.PredictedQuote("indirect", [(0, 5)], [source], False, "A ministry spokesman", "said")
    assert pn.speaker_right(words_only, gold, raw) and not pn.resolved_speaker_right(words_only, gold, raw)
    # an actor one of whose mentions is at the source
    linked = pn.PredictedQuote("indirect", [(0, 5)], [source], True, "he", "said", None, [source], "Ana Soto")
    assert pn.resolved_speaker_right(linked, gold, raw)
    # an actor elsewhere whose name shares a content word with the source text
    named = pn.PredictedQuote("indirect", [(0, 5)], [], True, "he", "said", None, [(0, 9)], "ministry spokesman")
    assert pn.resolved_speaker_right(named, gold, raw)
    # sharing only a function word or a short word is not enough
    other = pn.PredictedQuote("indirect", [(0, 5)], [], True, "he", "said", None, [(0, 9)], "A Lima")
    assert not pn.resolved_speaker_right(other, gold, raw)


def test_content_words_leave_out_short_and_function_words(pn):
    assert pn.content_words("The Minister of the Interior, who said") == {"minister", "interior"}


def test_a_fragment_inside_a_longer_gold_content_is_classed_by_why(pn):
    raw = "\u201cThe mill will close,\u201d she said, \u201cbut not this year.\u201d\n\n\u201cWe have orders.\u201d"
    first = (raw.index("The mill"), raw.index(",\u201d she"))
    second = (raw.index("but not"), raw.index(".\u201d\n"))
    piece = pn.PredictedQuote("direct", [first], [], False, None, "said")
    assert pn.inside_class(raw, piece, [first, second]) == "gold in several ranges (a cue between)"
    across = (first[0], raw.index("orders") + 6)
    assert pn.inside_class(raw, piece, [across]) == "gold crosses a paragraph break"
    woven = pn.PredictedQuote("direct", [second], [], False, None, "said")
    assert pn.inside_class(raw, woven, [(first[0], second[1])]) == "prediction opens in lower case (woven)"
