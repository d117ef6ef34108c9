"""The PETRARCH/TABARI verb dictionary reader (newsledger.verbdict) on hand-written files."""
from __future__ import annotations

import pytest

from newsledger.cameomap import parse_cameo_map, plover_of
from newsledger.errors import NewsledgerError
from newsledger.verbdict import parse_verb_dictionary, regular_forms

TEXT = """<!-- a test dictionary
     over two lines -->
&MONEY_
+DOLLARS
+SWISS_FRANCS   # two words
&GIFTS
+&MONEY
+GRAIN

--- GIVE  [070] ---
GIVE {GAVE GIVEN}   # irregular forms
DONATE [073]
+HAND_OVER {+HANDED_OVER}
WIRE_+TRANSFER
- * &GIFTS TO +  [071]
- $ WILL NOT * [---]
- IN_* [075:076]
- * _OUT_AGAIN NOW [074]
"""


@pytest.fixture(scope="module")
def dictionary():
    return parse_verb_dictionary(TEXT, "test.verbs")


def test_synsets_nest_and_join_words(dictionary):
    assert dictionary.synsets["MONEY"] == (("DOLLARS",), ("SWISS", "FRANCS"))
    assert dictionary.synsets["GIFTS"] == (("DOLLARS",), ("SWISS", "FRANCS"), ("GRAIN",))


def test_verb_forms_codes_and_multiword_verbs(dictionary):
    give = next(v for v in dictionary.verbs if v.head == "GIVE")
    assert {"GIVE", "GIVES", "GAVE", "GIVEN", "GIVING"} <= give.forms and give.code == "070"
    donate = next(v for v in dictionary.verbs if v.head == "DONATE")
    assert donate.code == "073" and "DONATED" in donate.forms
    hand = next(v for v in dictionary.verbs if v.head == "HAND")
    assert hand.after == ("OVER",) and "HANDED" in hand.forms
    wire = next(v for v in dictionary.verbs if v.head == "TRANSFER")
    assert wire.before == ("WIRE",)
    assert [v.head for v in dictionary.candidates("gave", "give")] == ["GIVE"]


def test_patterns(dictionary):
    first, negated, joined, trailing = dictionary.patterns["GIVE"]
    assert [e.kind for e in first.after] == ["synset", "word", "target"] and first.code == "071"
    assert [e.kind for e in negated.before] == ["source", "word", "word"] and negated.code == "---"
    assert joined.verb_adjacent_before and (joined.code, joined.reverse_code) == ("075", "076")
    assert trailing.verb_adjacent_after and [e.adjacent for e in trailing.after] == [True, True, False]


@pytest.mark.parametrize("text, line, reason", [
    ("- * TALKS [031]\n", 1, "before any"),
    ("--- MEET [031] ---\nMEET\n- * TALKS\n", 3, "needs a [CODE]"),
    ("--- MEET [031] ---\nMEET\n- TALKS [031]\n", 3, "exactly one *"),
    ("--- MEET [031] ---\nMEET\n- * &NOPE [031]\n", 3, "&NOPE is not defined"),
    ("&A\n+&B\n\n&B\n+&A\n", 5, "contains itself"),
    ("<!-- open\n--- MEET [031] ---\n", 1, "never closed"),
    ("--- MEET [031 032] ---\n", 1, "not a single code"),
])
def test_bad_files_name_the_line(text, line, reason):
    with pytest.raises(NewsledgerError) as err:
        parse_verb_dictionary(text, "bad.verbs")
    assert err.value.code == "E205"
    assert f"bad.verbs:{line}:" in err.value.message and reason in err.value.message


def test_cameo_map_file():
    table = parse_cameo_map("# header\n04: CONSULT\n041: CONSULT, phone, # call\n0874: RETREAT, , military; legal\n", "map.txt")
    assert plover_of("041", table).mode == "phone"
    assert plover_of("0874", table).contexts == ("military", "legal")
    assert plover_of("043", table).type == "CONSULT" and plover_of("903", table) is None
    assert plover_of("0411", table).mode == "phone"   # a four-digit code falls back to its three-digit one
    with pytest.raises(NewsledgerError, match="map.txt:1: 'TALK' is not a PLOVER"):
        parse_cameo_map("04: TALK\n", "map.txt")


def test_regular_forms_keep_the_case_and_the_spelling_rules():
    assert regular_forms("AGREE") == {"AGREE", "AGREES", "AGREED", "AGREEING"}
    assert regular_forms("plan") == {"plan", "plans", "planned", "planning"}
    assert regular_forms("deny") == {"deny", "denies", "denied", "denying"}
