"""Event-noun anaphora (issue 11): a later attack mention through a definite event noun ("killed
in the attack", "the bombing") is the attack told before, whatever victims it names; an
indefinite one ("killed in an attack") may be another. Sentences written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.slow

PUBLISHED = date(2024, 5, 15)  # a Wednesday


@pytest.fixture(scope="module")
def code(settings):
    from newsledger.model import Document, Meta
    from newsledger.pipeline import run_batch

    def run(text, type_="ASSAULT"):
        (doc,) = run_batch([Document(raw=text, meta=Meta(source="<test>", published=PUBLISHED))], settings)
        actors = {a.id: a for a in doc.actors}
        return [(e, [actors[i] for i in e.target]) for e in doc.events if e.type == type_]
    return run


@pytest.fixture(scope="module")
def parse(settings):
    from newsledger.stages.nlp import load_pipeline
    return load_pipeline(settings.nlp_model)


def test_victims_killed_in_the_attack_are_victims_of_the_attack_told_before(code):
    (attack,) = code("Gunmen stormed a hotel in Mombasa on Monday, killing 20 people. "
                     "Three British tourists were killed in the attack.")
    countries = {a.country for a in attack[1]}
    assert "GBR" in countries                     # the tourists are its victims too
    assert attack[0].killed == 20                  # the three are some of the dead, not the toll


def test_victims_killed_in_an_attack_may_be_of_another_attack(code):
    attacks = code("Gunmen stormed a hotel in Mombasa on Monday, killing 20 people. "
                   "Three British tourists were killed in an attack on a bus in Mombasa on Monday.")
    assert len(attacks) == 2
    assert sorted(e.killed for e, _ in attacks) == [3, 20]


@pytest.mark.parametrize("sentence, refers", [
    ("Two guards were wounded in the bombing.", True),
    ("Two guards were wounded by these explosions.", True),
    ("Two guards were wounded in a bombing.", False),
    ("Two guards were wounded in the market.", False),
])
def test_a_verb_refers_through_a_definite_event_noun_of_its_setting(parse, sentence, refers):
    from newsledger.stages.events.anaphora import names_told_attack
    from newsledger.stages.events.lexicon import lexicon

    verb = next(t for t in parse(sentence) if t.lemma_ == "wound")
    assert names_told_attack(verb, "verb", lexicon()) is refers


def test_a_folded_anaphor_lends_its_victims_but_not_a_toll_of_its_own_victims():
    from newsledger.model import Actor, Event, EventDate, EventPlace, Span
    from newsledger.stages.events.lexicon_coder import fold_repeated_attacks

    def attack(number: int, target: list[str], killed: int | None) -> Event:
        return Event(f"e{number}", "ASSAULT", None, [], "asserted", [], target,
                     EventDate("2024-03-02", "day", "clause"), EventPlace(None, "Harbour Town", "KE"),
                     Span("bombed", 0, 6), 0.9, killed=killed)

    actors = {"ken": Actor("ken", "Kenya", "state", "KEN", "GOV"), "gbr": Actor("gbr", "British tourists", "person", "GBR", "CVL")}
    (kept,) = fold_repeated_attacks([attack(1, ["ken"], None), attack(2, ["gbr"], 3)], actors, {"e2"})
    assert kept.target == ["ken", "gbr"] and kept.killed is None
    assert len(fold_repeated_attacks([attack(1, ["ken"], None), attack(2, ["gbr"], 3)], actors)) == 2


def test_a_predicate_nominal_about_an_act_told_before_is_that_act(code):
    (meeting,) = code("Brazil's president met Portugal's prime minister in Lisbon on Monday. "
                      "It was the first meeting between leaders of Brazil and Portugal in a decade.", "CONSULT")
    assert meeting[0].trigger == "met"


def test_a_meeting_known_by_a_name_is_one_meeting(code):
    (meeting,) = code("Known to diplomats as the 2024 Tagus Summit, the meeting between Portugal's prime minister and "
                      "Brazil's president in Lisbon on Monday was their first.", "CONSULT")
    assert meeting[0].trigger == "meeting"                # the description, not the name
    assert meeting[0].date.value != "2024"                # the name's year is not the meeting's date


def test_another_meeting_the_leaders_will_hold_is_not_folded(code):
    coded = code("The Brazilian president met the Portuguese prime minister in Lisbon on Monday. "
                 "The two leaders will hold a second meeting in Brasilia in June.", "CONSULT")
    coded += code("The Brazilian president met the Portuguese prime minister in Lisbon on Monday. "
                  "The two leaders will hold a second meeting in Brasilia in June.", "AGREE")
    assert len(coded) == 2
