"""The gender of the people a document names, read from the document itself, so that "he"
and "she" resolve to a person they agree with.

Evidence, counted per person actor: a gendered word right before or opening a mention ("Mrs.
Clinton", "spokeswoman Jessica Ditto"; newsledger/data/gender_words.yaml), and each subject
"he" or "she" of a clause whose nearest preceding person mention, in the same sentence, is the
subject of another clause ("Clinton says she ...", not "Clinton told Trump that she ..." nor
"Reed spoke after her"). The larger count wins; a tie or no evidence leaves it unknown.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache

from spacy.tokens import Doc, Token

from ..resources import load_yaml
from .mentions import PRONOUN_GENDER, MentionIndex, tokens_with


@cache
def gender_words() -> dict[str, str]:
    data = load_yaml("gender_words.yaml")
    return {word: gender for gender in ("female", "male") for word in data[gender]}


def subject_head(sdoc: Doc, start: int, end: int) -> Token | None:
    """The mention's head word when it is a subject."""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and span.root.dep_ in {"nsubj", "nsubjpass"} else None


def person_genders(sdoc: Doc, mentions: MentionIndex, text: str) -> dict[str, str]:
    """Actor id -> "male" or "female", for the persons the document (body `text`) gives
    evidence about."""
    votes: dict[str, Counter] = defaultdict(Counter)
    words = gender_words()
    for start, end, actor_id, kind in mentions.spans:
        if kind != "person":
            continue
        before = text[max(0, start - 25):start].split()[-1:] + text[start:end].split()[:1]
        for word in before:
            if gender := words.get(word.lower().rstrip(".")):
                votes[actor_id][gender] += 2
    for token in tokens_with(sdoc, lower=tuple(PRONOUN_GENDER)):   # one array pass
        gender = PRONOUN_GENDER.get(token.lower_)
        if gender is None or token.dep_ not in {"nsubj", "nsubjpass"}:  # "he", "she"
            continue
        hit = mentions.latest_before(token.idx, {"person"})
        if hit is None or hit[0] < token.sent.start_char:
            continue
        subject = subject_head(sdoc, hit[0], hit[1])
        if subject is not None and subject.head.i != token.head.i:   # "Park says she ...", not "Park and she ..."
            votes[hit[2]][gender] += 1
    genders = {}
    for actor_id, count in votes.items():
        (first, n1), *rest = count.most_common()
        if not rest or rest[0][1] < n1:
            genders[actor_id] = first
    return genders
