"""Gender of the people a document names, read from its own words."""
import pytest

from newsledger.stages.gender import person_genders
from newsledger.stages.mentions import MentionIndex
from newsledger.stages.nlp import load_pipeline

pytestmark = pytest.mark.slow


def mention_index(text: str, people: dict[str, str]) -> MentionIndex:
    """Person mentions at every occurrence of each name (name -> actor id)."""
    spans = []
    for name, actor_id in people.items():
        start = text.find(name)
        while start >= 0:
            spans.append((start, start + len(name), actor_id, "person"))
            start = text.find(name, start + 1)
    spans.sort()
    return MentionIndex([s[0] for s in spans], spans)


def test_honorifics_gendered_titles_and_subject_pronouns(settings):
    text = ("Mrs. Park met Tom Reed in Albany. Spokesman Ali Diaz said the talks went well. "
            "Reed says he will run again. Lena Ford told Reed that she disagreed.")
    index = mention_index(text, {"Park": "a1", "Reed": "a2", "Ali Diaz": "a3", "Lena Ford": "a4"})
    genders = person_genders(load_pipeline(settings.nlp_model)(text), index, text)
    assert genders["a1"] == "female" and genders["a3"] == "male"
    assert genders["a2"] == "male"          # "Reed says he": Reed is the subject
    assert "a4" not in genders   # "told Reed that she": not Reed's
