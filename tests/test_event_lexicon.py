"""The event lexicon is well formed: no key given twice (YAML would keep the last silently),
known PLOVER types, CAMEO roots beside them."""
import re

from newsledger.model import PLOVER_TYPES
from newsledger.resources import data_text
from newsledger.stages.events import lexicon


def test_no_trigger_is_listed_twice_in_a_section():
    section, seen = None, set()
    for line in data_text("event_lexicon.yaml").splitlines():
        if re.match(r"^\w", line):
            section = line.split(":")[0]
        key = re.match(r"^  ([\w' -]+): \{", line)
        if key:
            assert (section, key.group(1)) not in seen, f"{key.group(1)} twice in {section}"
            seen.add((section, key.group(1)))


def test_every_trigger_has_a_plover_type_and_a_cameo_root():
    lex = lexicon()
    for table in (lex.verbs, lex.adjectives, lex.nouns):
        for lemma, trigger in table.items():
            assert trigger.type in PLOVER_TYPES, lemma
            assert re.fullmatch(r"\d{2}", trigger.cameo), lemma


def test_word_lists_hold_words_not_yaml_booleans():
    # YAML 1.1 reads a bare on/off/yes/no as a boolean: "targets: [on, against]" must keep "on"
    lex = lexicon()
    for table in (lex.verbs, lex.adjectives, lex.nouns):
        for lemma, trigger in table.items():
            for words in (trigger.targets, trigger.particle, trigger.particle_absent, trigger.needs_modifier):
                assert all(isinstance(w, str) for w in words), lemma
    assert "on" in lex.nouns["sanctions"].targets and "off" in lex.verbs["call"].particle_absent


def test_event_word_lists_are_lower_case_single_words():
    from newsledger.stages.events import event_words

    words = event_words()
    for name, values in vars(words).items():
        assert values, name
        if name != "vague_quantities":
            assert all(w == w.lower() and " " not in w for w in values), name
    assert "hold" in words.light_verbs and "remain" in words.state_verbs
    assert all(low <= high for low, high in words.vague_quantities.values())
