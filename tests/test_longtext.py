"""Long reports: the cheaper paths taken for them give what the plain ones give.

The record of a document (`Document.to_json`) is built by `model.plain` instead of
`dataclasses.asdict`; possessive determiners and gendered pronouns are found by one array pass
over the Doc instead of a Token object per word. Every text here is written for the test.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import NamedTuple

import pytest

from newsledger.model import (Actor, Document, Event, EventDate, EventPlace, Meta, Place, Quote, Span, Timex,
                              plain)


def hand_built_document() -> Document:
    body = "Police in Tarrow arrested two men on Monday. \u201cWe acted,\u201d the chief said."
    doc = Document(raw=body, meta=Meta(source="<test>", published=date(2024, 5, 14)), body=body)
    doc.timexes = [Timex("Monday", 36, 42, "DATE", "2024-05-13", "day", anchor="published")]
    doc.places = [Place("Tarrow", 10, 16, None, "Tarrow", "GB", None, None, "PPL", "city", admin1="England")]
    doc.actors = [Actor("a1", "police", "organisation", "GBR", "COP", mentions=[Span("Police", 0, 6)]),
                  Actor("a2", "the chief", "person", None, None, known=False,
                        mentions=[Span("the chief", 60, 69), Span("We", 46, 48)])]
    doc.quotes = [Quote("direct", "We acted,", 46, 55, "a2", "the chief", "said", 70, [Span("We acted,", 46, 55)])]
    doc.events = [Event("e1", "COERCE", "arrest", ["crime"], "asserted", ["a1"], [], EventDate("2024-05-13", "day", "sentence",
                        "on Monday", start="2024-05-13"), EventPlace(None, "Tarrow", "GB", lat=51.5, lon=-0.1),
                        Span("arrested", 17, 25), 0.8, killed=None, inferred=["a1"])]
    return doc


def asdict_record(doc: Document) -> dict:
    record = doc.to_json()
    for layer in ("timexes", "places", "actors", "quotes", "events"):
        record[layer] = [asdict(item) for item in getattr(doc, layer)]
    return record


def test_a_record_is_what_asdict_makes_of_every_layer():
    doc = hand_built_document()
    assert doc.to_json() == asdict_record(doc)
    assert json.dumps(doc.to_json(), ensure_ascii=False) == json.dumps(asdict_record(doc), ensure_ascii=False)


def test_a_record_shares_no_list_with_its_document():
    doc = hand_built_document()
    record = doc.to_json()
    record["actors"][1]["mentions"].append({"text": "he"})
    record["events"][0]["inferred"].clear()
    assert len(doc.actors[1].mentions) == 2 and doc.events[0].inferred == ["a1"]


class Pair(NamedTuple):
    left: int
    right: list[int]


@dataclass
class Holder:
    pair: Pair
    plain_tuple: tuple[int, ...]
    table: dict[str, list[int]] = field(default_factory=dict)
    day: date | None = None


def test_plain_rebuilds_tuples_named_tuples_and_dicts_as_asdict_does():
    value = Holder(Pair(1, [2, 3]), (4, 5), {"k": [6]}, date(2024, 1, 2))
    assert plain(value) == asdict(value)
    assert type(plain(value)["pair"]) is Pair and type(plain(value)["plain_tuple"]) is tuple
    made = plain(value)
    made["table"]["k"].append(7)
    made["pair"].right.append(8)
    assert value.table == {"k": [6]} and value.pair.right == [2, 3]


TEXT = ("Her aides said his car was stopped. Police questioned her on Friday, and she said their house "
        "was searched.\n\nHIS lawyer said He would appeal; its ruling angered him, Ms. Tarrant said.")


@pytest.mark.slow
def test_array_passes_find_the_tokens_a_pass_over_every_token_finds(settings):
    from newsledger.stages.mentions import PRONOUN_GENDER, possessive_determiners, tokens_with
    from newsledger.stages.nlp import load_pipeline

    sdoc = load_pipeline(settings.nlp_model)(TEXT)
    possessives = frozenset((t.idx, t.idx + len(t)) for t in sdoc if t.tag_ == "PRP$")
    assert possessive_determiners(sdoc) == possessives and len(possessives) >= 3
    pronouns = [t.i for t in sdoc if t.lower_ in PRONOUN_GENDER]
    gendered = tuple(PRONOUN_GENDER)   # the gender stage's pass
    assert [t.i for t in tokens_with(sdoc, lower=gendered)] == pronouns and len(pronouns) >= 6
    empty = load_pipeline(settings.nlp_model)("")
    assert possessive_determiners(empty) == frozenset() and tokens_with(empty, lower=gendered) == []


@pytest.mark.slow
def test_tokens_with_finds_the_tokens_of_the_parts_of_speech_lemmas_and_spellings_asked(settings):
    from newsledger.stages.mentions import tokens_with
    from newsledger.stages.nlp import load_pipeline

    sdoc = load_pipeline(settings.nlp_model)(TEXT + " According to the mayor, the plan was put on hold, as the memo put it.")
    verbs = [t.i for t in sdoc if t.pos_ in {"VERB", "AUX"} or t.lemma_ == "put"]
    assert [t.i for t in tokens_with(sdoc, pos=("VERB", "AUX"), lemma=("put",))] == verbs and len(verbs) >= 8
    assert [t.i for t in tokens_with(sdoc, pos=("NOUN",))] == [t.i for t in sdoc if t.pos_ == "NOUN"]
    according = [t.i for t in tokens_with(sdoc, lower=("according",))]
    assert according == [t.i for t in sdoc if t.lower_ == "according"] and len(according) == 1
    assert tokens_with(sdoc) == [] and tokens_with(load_pipeline(settings.nlp_model)(""), pos=("VERB",)) == []


REPORT = ("Mara Kell, a spokeswoman for the Tarrow council, said on Monday that she would resign. "
          "The spokeswoman added that officials had approved the budget, as the memo put it. "
          "According to the mayor, the vote was delayed by two weeks.\n\n"
          "Officials said it was late. The senator is critical of the plan to close the bridge. "
          "Her criticism of the new tax angered them. \u201cWe regret the delay,\u201d the council said. "
          "We will publish our accounts, the council announced in a statement.")


@pytest.mark.slow
def test_the_stages_give_the_same_record_when_the_array_passes_return_every_token(process_text, monkeypatch):
    """The passes that visit only the tokens `tokens_with` finds still test every condition
    themselves: given every token instead, they make the same record."""
    from newsledger.stages import coref, quotes

    fast = process_text(REPORT).to_json()
    # every pass is exercised: report verb, "as ... put it", "according to", report adjective and
    # noun, complement verb; pronoun, appositive, definite role noun, unnamed speakers
    assert {"according to", "put", "critical", "criticism", "announced"} <= {q["cue"] for q in fast["quotes"]}
    kell = next(a for a in fast["actors"] if a["name"].endswith("Kell"))
    assert {"she", "The spokeswoman"} <= {m["text"] for m in kell["mentions"]}
    assert {"officials", "senator"} <= {a["name"].lower() for a in fast["actors"]}
    monkeypatch.setattr(coref, "tokens_with", lambda sdoc, **wanted: list(sdoc))
    monkeypatch.setattr(quotes, "tokens_with", lambda sdoc, **wanted: list(sdoc))
    assert process_text(REPORT).to_json() == fast
