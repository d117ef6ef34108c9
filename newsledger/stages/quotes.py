"""Quotes stage: direct and indirect quotations with their speaker and cue.

Needs: body, spacy_doc, actors. Adds: quotes.

Direct quotes are the text between paired quotation marks (“…”, "…", ''…'') of 3+ words
(`quotations`), not a quoted title ("Face the Nation"); a quotation broken by its cue ("“A,”
he said, “B.”"; a speech, report or quotation verb of data/report_verbs.yaml: "she continued",
"he joked"; set off by commas, dashes, a semicolon or a full stop; a show's title may end it:
"told CNN's “State of the Union.”") or reopened on each paragraph and closed only on the last,
as news style writes a long one, is one quote whose `segments` are its stretches; a
transcript's turn ("WALLACE: ...") is its speaker's, and goes on over the next paragraphs a
transcript quoting every paragraph opens with a mark and no label (`turn_continued`). The
speaker is found, in order, for the first segment
(else the last):
1. a dash signature after the quote (`“…” ― Jane Doe`);
2. the subject of a speech verb outside the marks in the quote's own sentences (`“…,” the
   minister added`, `Ned Price said: “…”`, `said Mr Asif`); a participle speaks for its
   clause's subject (`Trump said, adding, “…”`); a subject inside quotation marks is never
   the speaker;
3. any verb framing the quote with its subject right beside the marks (`“…,” Vitter
   demanded`, `She continued, “…”`, `He said: ¶ “…”`);
4. a speech verb elsewhere in the quote's paragraph;
5. `According to Limbaugh, “…”`;
6. for a quotation inside narration, the subject of the verb that governs it (`Obama called
   the holiday “a celebration …”`, `what de Blasio described as “an intentional act”`);
7. a quote with none of these continues the previous quote's speaker when that one is in its
   paragraph, else takes the actor that is the subject of the sentence just before it in its
   paragraph, else continues a previous quote that ends close before.
A subject that names a statement ("the official statement from Afghanistan") stands for the
actor the statement comes from; a pronoun subject resolves to the latest mention that agrees
with it: "he" or "she" a person not known to be of the other gender (gender.py), "it" a
state, organisation or group.
Indirect quotes are the clausal complement of a speech verb ("Mr Asif emphasised that …",
"…, the Foreign Office said", "…, as the memo put it": the cue clause left out) or of a belief
verb with its own subject ("farmers know the river will flood"; data/report_verbs.yaml), and
what a sentence says "according to" a source; their
speaker is the actor the subject names (the actors stage has made one for "officials" or
"the report"), or only its words when no actor is named. A direct quote that is a fragment
of what a speech verb reports ("He said the plan was “a disaster.”") is taken into that
report: one indirect quote, marks kept; so is a fragment woven into its sentence ("Not paying
taxes “makes me smart,” he said"; "told farmers to “keep their receipts”"; "described the
governor as “a career bureaucrat”", through the speech or report verb above it, else the verb
governing it, `woven_report`); a lower-case fragment inside any report below is part of it,
and so is one a conjunction joins to a report's end ("said X was “A,” but “B”",
`continued_reports`). A reported clause whose conjunct holds a whole quotation of its own ("said
A, and when pressed, replied, “B”") reports A (`without_quoted_conjuncts`).
A cue set off by commas inside what it reports ("The dam, the minister said, will ...") leaves
one segment on each side. Report verbs of data/report_verbs.yaml ("urged X to ...", "called
for X", "spoke of X", "criticized X as ...", "wants to ...") and speech verbs with an object
("noted the rule") report their object, clause or "as" phrase, with the complements the parser
hung on the verb itself ("wants to raise X, cut Y and close Z"; `complement_reports`); report
nouns ("her criticism of the law", "its plan to ...") report for their possessor or "by" agent,
or for the subject of a support verb ("raised questions about X"; `noun_reports`); report
adjectives predicated of a subject ("is critical of X", "were worried about X", "is confident
that ...") report for that subject (`adjective_reports`). A report stopping at a colon goes on with what the colon announces. Relative and participle clauses after a comma are the writer's
asides, not the report. First person inside a direct quote ("we", "our") joins its speaker's
mentions (coref.link_first_person).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..model import Document, Quote, Span
from ..resources import load_yaml
from ..settings import Settings
from . import Stage
from .coref import SpokenStretch, link_first_person
from .gender import person_genders
from .mentions import (Intervals, MentionIndex, belief_verbs, paragraph_bounds, phrase_range, possessive_determiners,
                       quotation_verbs, report_adjectives, report_verbs, tokens_with)

TURN_RE = re.compile(r"^[\"“]?(?P<label>(?:[A-Z][A-Z.'\-]+ ){0,4}[A-Z][A-Z.'\-]+):\s+(?=\S)", re.M)  # "GEN. MCKENZIE: ..."
SIGNATURE_RE = re.compile(r"[ \t]*[,.]?[ \t]*[―—–][ \t]*(?P<name>[A-Z][^\n“”\"]{1,60}?)[ \t.]*(?=\n|$)")  # “…” ― Jane Doe
MARK_RE = re.compile(r"[“”\"]|''")
CLOSERS = {"“": {"”", "\""}, "\"": {"\"", "”"}, "''": {"''"}}   # an opening mark and the marks that close it (mixed “…" too)
MISTYPED_OPENER = {"”": {"”", "\""}}   # a closing mark typed for the opening one, at a paragraph's start
CLOSING_MARKS_OF = CLOSERS | MISTYPED_OPENER   # every mark that may open a quotation, with those that close it
PRONOUNS = {"he", "she", "they", "it", "we", "i"}
POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it", "our": "we", "my": "i"}
MAX_INTERRUPTION_WORDS = 30      # "…,” said Jane Doe, a former adviser to the minister, “…”
INTERRUPTION_ENDS = {",", ".", ":", ";", "—", "–", "―"}   # “A,” he said, “B.” / “A” — he said — “B”


@dataclass
class Segment:
    """One stretch between quotation marks: the words (start, end) and the marks around them
    (outer_start, outer_end; a stretch left open at a paragraph's end stops there)."""
    start: int
    end: int
    outer_start: int
    outer_end: int


@dataclass
class Quotation:
    """One quotation: a single stretch, or several when a cue interrupts it ("“A,” he said,
    “B.”") or it runs over paragraphs (news style reopens each paragraph and closes only the
    last)."""
    segments: list[Segment]

    @property
    def start(self) -> int:
        return self.segments[0].start

    @property
    def end(self) -> int:
        return self.segments[-1].end

    def text(self, body: str) -> str:
        """The segments' words: a paragraph break between two kept as one, a cue left out as " … "."""
        out = body[self.segments[0].start:self.segments[0].end]
        for before, seg in zip(self.segments, self.segments[1:]):
            out += ("\n" if "\n" in body[before.end:seg.start] else " … ") + body[seg.start:seg.end]
        return out


def paragraph_marks(body: str, start: int, end: int) -> tuple[list[Segment], Segment | None]:
    """The closed quotations of one paragraph, and the one still open at its end (if any). A
    closing mark with nothing open is ignored; an opening “ while one is open starts afresh
    (the first was never closed)."""
    closed: list[Segment] = []
    opened: re.Match | None = None
    first = start + len(body[start:end]) - len(body[start:end].lstrip())
    for m in MARK_RE.finditer(body, start, end):
        mark = m.group()
        if opened is not None and mark in CLOSING_MARKS_OF[opened.group()]:
            closed.append(Segment(opened.end(), m.start(), opened.start(), m.end()))
            opened = None
        elif mark in CLOSERS and (opened is None or mark != "\""):
            opened = m
        elif mark in MISTYPED_OPENER and m.start() == first and body[m.end():m.end() + 1].isalpha():
            opened = m                               # ”Fear. I am afraid ...” typed with two closing marks
    tail = None
    if opened is not None and body[opened.end():end].strip():
        words_end = opened.end() + len(body[opened.end():end].rstrip())
        tail = Segment(opened.end(), words_end, opened.start(), end)
    return closed, tail


def quotations(body: str) -> list[Quotation]:
    """Every quotation of the body, in order. A quotation left open at a paragraph's end goes
    on in the next paragraph when that one opens with a quotation mark, to the closing mark
    of a later paragraph; left open with nothing to continue it, it is dropped (a stray mark,
    an inch sign)."""
    out: list[Quotation] = []
    carry: Quotation | None = None
    pos = 0
    while pos <= len(body):
        stop = body.find("\n", pos)
        stop = len(body) if stop < 0 else stop
        if body[pos:stop].strip():
            closed, tail = paragraph_marks(body, pos, stop)
            first = pos + len(body[pos:stop]) - len(body[pos:stop].lstrip())
            if carry is not None:
                if closed and closed[0].outer_start == first:
                    carry.segments.append(closed.pop(0))
                    out.append(carry)
                    carry = None
                elif not closed and tail is not None and tail.outer_start == first:
                    carry.segments.append(tail)
                    tail = None
                else:
                    carry = None
            out.extend(Quotation([seg]) for seg in closed)
            if tail is not None:
                carry = Quotation([tail])
        pos = stop + 1
    return sorted(out, key=lambda q: q.start)


TITLE_FUNCTION_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "is"}


def is_title_of_work(text: str) -> bool:
    """A quoted name of a show, book or song ("Face the Nation", "A Change Is Gonna Come"):
    at most eight words, every one capitalised but short function words, not a sentence."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return 0 < len(words) <= 8 and words[0][0].isupper() and not text.rstrip(" ,").endswith(("!", "?")) and \
        all(w[0].isupper() or w.lower() in TITLE_FUNCTION_WORDS for w in words)


def named_work_in_sentence(quote: Quotation, body: str) -> bool:
    """A title of a work named inside a sentence (“…,” she told CNN's “State of the Union.” “…”):
    one stretch, a title (`is_title_of_work`), its opening mark right after a word; never a quote,
    nor the end of a cue that interrupts one."""
    lead = body[max(0, quote.segments[0].outer_start - 3):quote.segments[0].outer_start].rstrip(" \t")
    return len(quote.segments) == 1 and lead[-1:].isalnum() and is_title_of_work(quote.text(body))


def join_interrupted(found: list[Quotation], sdoc: Doc, body: str, verbs: frozenset[str]) -> list[Quotation]:
    """“A,” he said, “B.” / “A?” she asked. “B.” / “A,” said X, an adviser, “B.”: two quotations
    of one paragraph with only a short attribution between them, holding a speech or report
    verb (`verbs`), are
    one quotation in two segments, unless the second has a speech verb of its own after it
    in its sentence (“A,” he said. “B,” she replied.)."""
    out: list[Quotation] = []
    for quote in found:
        previous = out[-1] if out else None
        if previous is not None and interrupted_by_cue(previous, quote, sdoc, body, verbs):
            previous.segments.extend(quote.segments)
        else:
            out.append(quote)
    return out


def interrupted_by_cue(first: Quotation, second: Quotation, sdoc: Doc, body: str, verbs: frozenset[str]) -> bool:
    gap_start, gap_end = first.segments[-1].outer_end, second.segments[0].outer_start
    gap = body[gap_start:gap_end]
    end = gap.rstrip().rstrip("”\"'").rstrip()[-1:]     # a title may end the cue: “…,” he told “Meet the Press.” “…”
    if "\n" in gap or not gap.strip() or len(gap.split()) > MAX_INTERRUPTION_WORDS or end not in INTERRUPTION_ENDS:
        return False
    words = sdoc.char_span(gap_start, gap_end, alignment_mode="contract")
    starts = sum(1 for t in words[1:] if t.is_sent_start and not (t.is_punct or t.is_space)) if words is not None else 0
    if words is None or starts > 1 or (starts and end != "."):
        return False                                 # “A,” she asked. Then the footage shows X saying, “B.”
    first = next((t for t in words if not (t.is_punct or t.is_space)), None)
    if first is None or not any(opens_cue(first, t, verbs) for t in words):
        return False                                 # “A.” To which she said, “B.”: a reply, not an interruption
    last = second.segments[-1]
    words = sdoc.char_span(last.start, last.end, alignment_mode="expand")
    if words is None:
        return True
    tail = [t for t in sdoc[words.end:words[-1].sent.end] if t.idx >= last.outer_end]
    return not any(is_speech_verb(t, verbs) for t in tail)


def opens_cue(first: Token, verb: Token, verbs: frozenset[str]) -> bool:
    """Whether `verb` is a speech verb whose clause opens with `first`: the verb itself ("said
    X") or the first word of its subject ("the minister added")."""
    if not is_speech_verb(verb, verbs):
        return False
    return first.i == verb.i or any(c.dep_ in {"nsubj", "nsubjpass"} and first_word(c).i == first.i for c in verb.children)


def first_word(token: Token) -> Token:
    """The first word of a token's phrase, punctuation left out (the parser may hang the closing
    mark before a subject on it: “…,” Rolfe, 45, said)."""
    return next((t for t in token.subtree if not (t.is_punct or t.is_space)), token)


def is_speech_verb(token: Token, verbs: frozenset[str]) -> bool:
    return token.lemma_.lower() in verbs and token.pos_ in {"VERB", "AUX"}


@cache
def speech_verbs() -> frozenset[str]:
    return frozenset(load_yaml("event_lexicon.yaml")["speech_verbs"])


PARTICIPLE_LINKS = {"advcl", "xcomp", "conj", "pcomp", "prep", "ccomp", "dobj"}


def subject_of(verb: Token) -> Token | None:
    """The verb's subject; a verb without one borrows its head's: coordinated verbs and
    infinitives ("went on to say"), and participles ("Trump said, adding ...", "After saying
    ..., she was ...") speak for the subject of the clause they hang from, or for the noun
    they qualify ("footage of Clinton asking ...")."""
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return child
    head = verb.head
    if head.i == verb.i:
        return None
    if is_speech_verb(verb, speech_verbs()):          # "X said the deal was fair and added ...": X
        if verb.dep_ == "ccomp" and is_speech_verb(head, speech_verbs()):
            return subject_of(head)
        if verb.dep_ == "conj" and head.dep_ == "ccomp" and is_speech_verb(head.head, speech_verbs()):
            return subject_of(head.head)
    if verb.dep_ in {"conj", "xcomp"} and head.pos_ in {"VERB", "AUX"}:
        return subject_of(head)
    if verb.tag_ == "VBG" and verb.dep_ == "acl" and head.pos_ in {"NOUN", "PROPN"}:
        return noun_before(head, verb)                # "protesters chanting", "footage of Clinton asking"
    if verb.tag_ == "VBG" and verb.dep_ in PARTICIPLE_LINKS:
        while head.pos_ == "ADP" and head.head.i != head.i:   # "after saying": the preposition's verb
            head = head.head
        if head.pos_ in {"VERB", "AUX"}:
            return subject_of(head)
    return None


def noun_before(noun: Token, participle: Token) -> Token:
    """The noun a participle qualifies: in "a recording of the officer shouting" the officer,
    whose "of" phrase ends right before the participle, not the recording."""
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.right_edge.i == participle.i - 1:
                return obj
    return noun


def actor_of_phrase(token: Token, mentions: MentionIndex, cue: Token | None = None) -> tuple[str | None, str]:
    """(actor id, speaker text) for a subject noun phrase (without the cue word when the parser
    put it inside: "Said Ellis"); "who" stands for the noun it follows."""
    if token.lower_ in {"who", "that", "which"} and token.head.dep_ == "relcl":
        token = token.head.head
    start, end = phrase_range(token, frozenset({cue.i}) if cue is not None else frozenset())
    text = token.doc.char_span(start, end).text      # not doc.text: that joins every token again
    inside = mentions.inside(start, end)
    if token.lower_ in PRONOUNS or (token.lower_ in POSSESSIVE_PRONOUNS and token.tag_ == "PRP$"):
        hit = mentions.holding(token.idx) or pronoun_antecedent(token, mentions)   # linked by coreference, else the latest agreeing
        return (hit[2] if hit else None), token.text
    if inside:
        # the mention holding the head word, else the first one
        for s, e, actor_id, _ in inside:
            if s <= token.idx < e:
                return actor_id, text
        return inside[0][2], text  # "the statement from Afghanistan", "officials of X"
    return None, text


def pronoun_antecedent(token: Token, mentions: MentionIndex) -> tuple[int, int, str, str] | None:
    """The latest mention before a pronoun that agrees with it: "he" and "she" a person not
    known to be of the other gender, "it" no person ("they" may be people: "Corker and Graham")."""
    word = POSSESSIVE_PRONOUNS.get(token.lower_, token.lower_)     # "his remarks": he
    if word in {"he", "she", "i"}:
        return mentions.latest_person(token.idx, word)
    kinds = {"state", "organisation", "group"} | ({"person"} if word != "it" else set())
    return mentions.latest_before(token.idx, kinds)


def cue_for(tokens: list[Token], q_start: int, q_end: int, verbs: frozenset[str],
            quoted: Intervals) -> Token | None:
    """The speech verb of a quote among `tokens`, outside every quotation and with a speaker
    outside them too: the first after the quote, else the nearest before it."""
    outside = [t for t in tokens if t.lemma_.lower() in verbs and t.pos_ in {"VERB", "AUX"}
               and not quoted.covers(t.idx)]
    outside = [t for t in outside if speaker_token(t, quoted) is not None]
    after = [t for t in outside if t.idx >= q_end]
    before = [t for t in outside if t.idx < q_start]
    return after[0] if after else (before[-1] if before else None)


def sentence_cue(sdoc: Doc, q_start: int, q_end: int, verbs: frozenset[str],
                 quoted: Intervals) -> Token | None:
    """The speech verb in the quote's own sentences."""
    own = sdoc.char_span(q_start, q_end, alignment_mode="expand")
    if own is None:
        return None
    return cue_for(list(sdoc[own[0].sent.start:own[-1].sent.end]), q_start, q_end, verbs, quoted)


def paragraph_cue(sdoc: Doc, body: str, q_start: int, q_end: int, verbs: frozenset[str],
                  quoted: Intervals) -> Token | None:
    """The speech verb elsewhere in the quote's paragraph."""
    paragraph = sdoc.char_span(*paragraph_bounds(body, q_start, q_end), alignment_mode="expand")
    return cue_for(list(paragraph) if paragraph is not None else [], q_start, q_end, verbs, quoted)


def speaker_token(cue: Token, quoted: Intervals) -> Token | None:
    """The word naming who speaks through `cue`, outside every quotation: its subject (the
    parser may take a word of the quote as a second one), else the name just before the verb,
    else a noun after it ("said Mr Asif")."""
    subjects = [c for c in cue.children if c.dep_ in {"nsubj", "nsubjpass"}] or [subject_of(cue)]
    subj = next((t for t in subjects if t is not None and not quoted.covers(t.idx)), None)
    if subj is not None and cue.tag_ == "VBG" and subj.i < cue.i:
        subj = noun_before(subj, cue)                 # "video of Senator Lopez saying, “…”"
    if subj is None and cue.dep_ == "compound" and cue.head.pos_ == "PROPN":
        subj = cue.head                               # "Said Ellis: “…”", parsed as one name
    left = cue.doc[cue.i - 1] if cue.i > 0 else None
    if subj is None and left is not None and left.pos_ in {"PROPN", "NOUN"} and not quoted.covers(left.idx):
        subj = left                                   # "…,” Chief Chuck Jordan said", misparsed
    if subj is None:
        subj = next((c for c in cue.rights if c.pos_ in {"PROPN", "NOUN", "PRON"} and c.ent_type_ not in {"DATE", "TIME"}
                     and not quoted.covers(c.idx)), None)
    return subj


def speaker_of_cue(cue: Token, mentions: MentionIndex, quoted: Intervals) -> tuple[str | None, str | None]:
    subj = speaker_token(cue, quoted)
    return actor_of_phrase(subj, mentions, cue) if subj is not None else (None, None)


def signed_speaker(body: str, q_end: int, mentions: MentionIndex) -> tuple[str | None, str | None]:
    """A quote signed with a dash after it ("“…” ― Jane Doe"): the name up to the line's end."""
    m = SIGNATURE_RE.match(body, q_end)
    if m is None:
        return None, None
    start, end = m.span("name")
    inside = mentions.inside(start, end)
    return (inside[0][2] if inside else None), m.group("name")


def adjacent_verb(sdoc: Doc, q_start: int, q_end: int, quoted: Intervals) -> Token | None:
    """Any verb that frames the quote with its subject right beside the marks, whether or not it
    is a speech verb: “…,” Vitter demanded / “…” she yells / She continued, “…” / He said: ¶ “…"."""
    quote = sdoc.char_span(q_start, q_end, alignment_mode="expand")
    if quote is None:
        return None
    verb = verb_after(sdoc, quote.end) or verb_before(sdoc, quote.start)
    if verb is None or quoted.covers(verb.idx):
        return None
    subject = speaker_token(verb, quoted)
    return verb if subject is not None and not quoted.covers(subject.idx) else None


def verb_after(sdoc: Doc, i: int) -> Token | None:
    """“…,” SUBJECT VERB: the verb whose subject opens the words after the quote, in its paragraph."""
    while i < len(sdoc) and (sdoc[i].is_punct or sdoc[i].is_space):
        if "\n" in sdoc[i].text:
            return None
        i += 1
    for token in sdoc[i:i + 8]:
        if (token.dep_ in {"nsubj", "nsubjpass"} and token.left_edge.i == i and token.head.pos_ == "VERB"
                and 0 < token.head.i - token.right_edge.i <= 2):
            return token.head
    return None


def verb_before(sdoc: Doc, i: int) -> Token | None:
    """SUBJECT VERB: “…” or SUBJECT VERB OBJECT: ¶ “…”: the verb ending the words before the
    quote, joined to it by a colon or a comma (only a colon may cross a paragraph)."""
    i -= 1
    newline = False
    while i >= 0 and sdoc[i].is_space:
        newline = newline or "\n" in sdoc[i].text
        i -= 1
    if i < 0 or sdoc[i].text not in {":", ","} or (newline and sdoc[i].text != ":"):
        return None
    last = sdoc[i - 1] if i > 0 else None
    if last is not None and last.pos_ == "NOUN" and last.dep_ == "dobj":   # "made the following comment:"
        last = last.head
    return last if last is not None and last.pos_ == "VERB" else None


def governing_verb(sdoc: Doc, start: int, end: int, quoted: Intervals) -> Token | None:
    """For a quotation inside a sentence of narration ("Obama called the holiday “a celebration
    …”", "what de Blasio described as “an intentional act”"): the nearest verb outside the
    marks that governs it and has a subject outside them."""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    head = next((t.head for t in span if not start <= t.head.idx < end), None)
    for node in [head, *head.ancestors] if head is not None else []:
        if node.pos_ in {"VERB", "AUX"} and not quoted.covers(node.idx):
            subject = subject_of(node)
            if subject is not None and not quoted.covers(subject.idx):
                return node
    return None


def according_to_source(sdoc: Doc, q_start: int, quoted: Intervals) -> Token | None:
    """"According to Limbaugh, “…”": the source named before the quote in its sentence."""
    first = sdoc.char_span(q_start, q_start + 1, alignment_mode="expand")
    if first is None:
        return None
    for token in sdoc[first[0].sent.start:first.start]:
        source = according_source(token)
        if source is not None and not quoted.covers(source.idx):
            return source
    return None


def according_source(tok: Token) -> Token | None:
    """The source named by "according to X" when `tok` is its "according"."""
    to = tok.nbor() if tok.i + 1 < len(tok.doc) else None
    if tok.lower_ != "according" or to is None or to.lower_ != "to":
        return None
    return next((c for c in to.children if c.dep_ == "pobj"), None)


def attribute(sdoc: Doc, body: str, q_start: int, q_end: int, verbs: frozenset[str], mentions: MentionIndex,
              quoted: Intervals) -> tuple[str | None, str | None, Token | None]:
    """(speaker actor, speaker text, cue) of the quotation between q_start and q_end, in order: a
    dash signature, a speech verb of its sentences, any verb framing the quote, a speech verb of
    its paragraph, "according to" a source before it in its sentence, the subject of the verb
    governing a quotation inside narration."""
    speaker, speaker_text = signed_speaker(body, q_end, mentions)
    if speaker_text:
        return speaker, speaker_text, None
    cue = (sentence_cue(sdoc, q_start, q_end, verbs, quoted) or adjacent_verb(sdoc, q_start, q_end, quoted)
           or paragraph_cue(sdoc, body, q_start, q_end, verbs, quoted))
    if cue is not None:
        return (*speaker_of_cue(cue, mentions, quoted), cue)
    source = according_to_source(sdoc, q_start, quoted)
    if source is not None:
        return (*actor_of_phrase(source, mentions), sdoc[source.head.i - 1])   # cue: "according"
    verb = governing_verb(sdoc, q_start + 1, q_end - 1, quoted)
    if verb is not None:
        return (*actor_of_phrase(subject_of(verb), mentions), None)
    return None, None, None


def floating_speaker(sdoc: Doc, body: str, q_start: int, previous: Quote | None, mentions: MentionIndex,
                     quoted: Intervals) -> tuple[str | None, str | None]:
    """The speaker of a quote with no attribution of its own: the previous quote's when that
    one is in the same paragraph; else the actor that is the subject of the sentence just
    before it in its paragraph ("Cummings called him a master of deals. “He showed ...”");
    else the previous quote's when it ends close before."""
    paragraph_start = paragraph_bounds(body, q_start, q_start)[0]
    if previous is not None and previous.speaker and previous.end >= paragraph_start:
        return previous.speaker, previous.speaker_text
    first = sdoc.char_span(q_start, q_start + 1, alignment_mode="expand")
    if first is not None and first[0].sent.start > 0:
        before = sdoc[first[0].sent.start - 1].sent
        subject = next((t for t in before if t.dep_ in {"nsubj", "nsubjpass"} and t.head.dep_ == "ROOT"), None)
        if before.start_char >= paragraph_start and subject is not None and not quoted.covers(subject.idx):
            speaker, speaker_text = actor_of_phrase(subject, mentions)
            if speaker is not None:
                return speaker, speaker_text
    if previous is not None and previous.speaker and q_start - previous.end < 600:
        return previous.speaker, previous.speaker_text
    return None, None


def direct_quotes(doc: Document, mentions: MentionIndex, verbs: frozenset[str]) -> list[Quote]:
    """A quote for each quotation of three words or more. Its speaker is found for its first
    segment (the cue of “A,” he said, “B.” follows it), else for its last (a quotation over
    paragraphs closing “…,” he said.), else carried over (`floating_speaker`)."""
    sdoc: Doc = doc.spacy_doc
    body = doc.body or ""
    cues = verbs | frozenset(report_verbs()) | quotation_verbs()
    named = [q for q in quotations(body) if not named_work_in_sentence(q, body)]
    found = [q for q in join_interrupted(named, sdoc, body, cues)
             if len(q.text(body).split()) >= 3 and not is_title_of_work(q.text(body))]
    quoted = Intervals((seg.outer_start, seg.outer_end) for q in found for seg in q.segments)
    quotes: list[Quote] = []
    previous: Quote | None = None
    for q in found:
        first, last = q.segments[0], q.segments[-1]
        speaker, speaker_text, cue = attribute(sdoc, body, first.outer_start, first.outer_end, verbs, mentions, quoted)
        if speaker_text is None and last is not first:
            speaker, speaker_text, cue = attribute(sdoc, body, last.outer_start, last.outer_end, verbs, mentions, quoted)
        if speaker_text is None:
            speaker, speaker_text = floating_speaker(sdoc, body, first.outer_start, previous, mentions, quoted)
        quote = Quote("direct", q.text(body), q.start, q.end, speaker, speaker_text,
                      cue.text if cue is not None else None, cue.idx if cue is not None else None,
                      [Span(body[g.start:g.end], g.start, g.end) for g in q.segments])
        quotes.append(quote)
        previous = quote
    return quotes


def indirect_quotes(doc: Document, mentions: MentionIndex, verbs: frozenset[str],
                    direct: list[Quote]) -> tuple[list[Quote], list[Quote]]:
    """The clausal complements of speech verbs (`verbs`) and belief verbs (`belief_verbs`, with a
    subject of their own), and the direct quotes they take in: a report overlapping a direct
    quote is dropped, unless that quote is a fragment of it (`quoted_fragment`)."""
    sdoc: Doc = doc.spacy_doc
    beliefs = belief_verbs() - verbs
    verbs = verbs | beliefs
    out: list[Quote] = []
    absorbed: list[Quote] = []
    by_start = sorted(direct, key=lambda q: q.start)   # the direct quotes near a report, by bisection
    starts = [q.start for q in by_start]
    longest = max((q.end - q.start for q in direct), default=0)
    direct_ranges = Intervals((q.start, q.end) for q in direct)
    for tok in tokens_with(sdoc, pos=("VERB", "AUX"), lemma=("put",)):   # a verb, or "put" of `as_put_it`
        if (tok.lemma_.lower() not in verbs or tok.pos_ not in {"VERB", "AUX"}) and not as_put_it(tok):
            continue
        content = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        before_cue = content is None and tok.dep_ in {"parataxis", "advcl"} and tok.head.pos_ in {"VERB", "AUX"}
        if before_cue:
            content = tok.head  # "X have resolved ..., the Foreign Office said"
        if content is None:
            continue
        subj = subject_of(tok)
        if subj is None or (subj.lower_ in NO_SOURCE - {"what"} and not resolved_it(subj, mentions)):
            continue
        if tok.lemma_.lower() in beliefs and subj.head.i != tok.i:
            continue            # "assuming the plan is legal": a belief is reported only with its own subject
        speaker, speaker_text = actor_of_phrase(subj, mentions)  # speaker None: a source not named
        if before_cue:
            cue_words = range(min(tok.left_edge.i, subj.left_edge.i), max(tok.right_edge.i, subj.right_edge.i) + 1)
            words = [t for t in content.subtree if t.i not in cue_words]   # not "the ministry said", "as the memo put it"
        else:
            cue_words = range(min(tok.i, subj.left_edge.i), max(tok.i, subj.right_edge.i) + 1)
            words = without_asides(without_next_report(content, verbs), content) + subordinate_tail(tok, content)
        words = [t for t in words if not t.is_space and (not t.is_punct or t.text in {"-", "’", "'"})]
        if not words:
            continue
        if words[0].lower_ == "that" and words[0].dep_ == "mark":
            words = words[1:]
        while words and words[-1].dep_ == "cc":         # "the deal was fair and | added that ..."
            words = words[:-1]
        if not words:
            continue
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        nearby = by_start[bisect_left(starts, start - 1 - longest):bisect_left(starts, end + 1)]
        overlapping = [q for q in nearby if q.start - 1 < end and start < q.end + 1]
        cue_from, cue_to = sdoc[cue_words.start].idx, sdoc[cue_words.stop - 1].idx

        def fits(q: Quote) -> bool:   # quotes on either side of the cue and its subject, not across them
            return (q.end < cue_from or q.start > cue_to) and quoted_fragment(q, start, end, doc.body or "")

        whole = [q for q in overlapping if not fits(q)]
        if whole and not before_cue:   # "said A, and when pressed, replied, “B”": the report is A
            words = without_quoted_conjuncts(words, content, whole)
            if sum(1 for t in words if not t.is_punct) < 2:
                continue
            start, end = words[0].idx, words[-1].idx + len(words[-1].text)
            overlapping = [q for q in overlapping if q.start - 1 < end and start < q.end + 1]
        if not all(fits(q) for q in overlapping):
            continue
        end = max([end, *(q.end for q in overlapping)])
        if any(q.start == start for q in overlapping):   # a report opening with a quotation keeps its opening mark
            start -= 2 if doc.body[start - 2:start] == "''" else 1
        absorbed.extend(overlapping)
        rest = rest_after_aside(tok, subj) if before_cue else None
        if rest is not None and not direct_ranges.overlaps(*rest):
            end = rest[1]
        segments = around_cue(doc.body, start, end, tok, subj)
        out.append(Quote("indirect", joined(segments), start, end, speaker, speaker_text, tok.text, tok.idx, segments))
    return out, absorbed


def without_quoted_conjuncts(words: list[Token], content: Token, quotes: list[Quote]) -> list[Token]:
    """`words` of a reported clause without its conjuncts (and the conjunction and comma before
    them) that hold one of `quotes`, whole quotations of their own ("She said fathers would not be
    eligible, and when pressed, replied, “…”"); punctuation left at the end is dropped."""
    cut: set[int] = set()
    for conj in (c for c in content.children if c.dep_ == "conj"):
        first, last = conj.left_edge, conj.right_edge
        span_end = last.idx + len(last.text)
        if any(first.idx <= q.start < span_end + 1 for q in quotes):
            cut |= {t.i for t in conj.subtree}
            cut |= {t.i for t in content.children if t.i < first.i and t.dep_ in {"cc", "punct"}
                    and t.i >= first.i - 2}
    kept = [t for t in words if t.i not in cut]
    while kept and (kept[-1].is_punct or kept[-1].dep_ == "cc"):
        kept.pop()
    return kept


def as_put_it(verb: Token) -> bool:
    """"…, as the memo put it": "put it" in a clause opened by "as" is a speech verb (its
    subject's wording of the clause it hangs from)."""
    return verb.lemma_ == "put" and verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) \
        and any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children)


def through_colon(quote: Quote, sdoc: Doc, body: str, quoted: Intervals) -> None:
    """A report that stops at a colon goes on with what the colon announces, to the end of that
    sentence in the same paragraph ("noted that three things are happening at once: prices are
    rising, rates are low ..."), when that is no quotation of its own."""
    colon = len(body) - len(body[quote.end:].lstrip(" \t")) if quote.end < len(body) else quote.end
    if body[colon:colon + 1] != ":":
        return
    after = sdoc.char_span(colon + 1, min(len(body), colon + 2 + len(body[colon + 1:]) - len(body[colon + 1:].lstrip(" \t"))),
                           alignment_mode="expand")
    if after is None or not after.text.strip():
        return
    first = next((t for t in sdoc[after.start:] if not t.is_space), None)
    if first is None or "\n" in body[colon:first.idx] or quoted.covers(first.idx):
        return
    words = [t for t in sdoc[first.i:first.sent.end] if not t.is_space]
    while words and words[-1].is_punct:
        words.pop()
    end = words[-1].idx + len(words[-1].text) if words else quote.end
    if len(words) < 2 or "\n" in body[first.idx:end] or quoted.overlaps(first.idx, end):
        return
    quote.end = end
    last = quote.segments[-1] if quote.segments else Span(quote.text, quote.start, quote.end)
    quote.segments = [*quote.segments[:-1], Span(body[last.start:end], last.start, end)]
    quote.text = joined(quote.segments)


COORDINATORS = {"and", "but", "or", "yet", "nor"}


def continued_reports(direct: list[Quote], reports: list[Quote], body: str) -> list[Quote]:
    """A quoted fragment that a coordinating conjunction joins to the end of a report ("claimed
    the count was “a fraud” and “a disgrace to the voters”", "said the dam is safe but “nobody
    checks the gates”") continues that report, which then ends with it: `direct` without the
    fragments taken in."""
    by_end = {r.end: r for r in reports}
    kept = []
    for quote in direct:
        report = report_continued(quote, by_end, body) if is_fragment(quote) else None
        if report is None:
            kept.append(quote)
            continue
        last = report.segments[-1] if report.segments else Span(report.text, report.start, report.end)
        report.end = quote.end
        report.segments = [*report.segments[:-1], Span(body[last.start:quote.end], last.start, quote.end)]
        report.text = joined(report.segments)
        by_end[quote.end] = report
    return kept


def report_continued(fragment: Quote, by_end: dict[int, Quote], body: str) -> Quote | None:
    """The report (among `by_end`, by end offset) that ends, before `fragment`'s opening mark, with
    nothing but a closing mark, a comma and a coordinating conjunction, in one sentence of one line;
    a fragment with a cue of its own ("… and “nobody asked us,” a clerk added") continues none."""
    base = max(0, fragment.start - 80)
    lead = body[base:fragment.start].rstrip("“\"'").rstrip(" \t")
    conjunction = lead[-5:].split()[-1:]
    if not conjunction or conjunction[0].lower() not in COORDINATORS or not lead[:-len(conjunction[0])][-1:].isspace():
        return None
    stop = base + len(lead[:-len(conjunction[0])].rstrip(" \t,"))
    for end in (stop, stop - 1, stop - 2):            # a closing mark (” or '') may end the report's text
        report = by_end.get(end)
        if report is not None and not body[end:stop].strip("”\"'") and "\n" not in body[end:fragment.start] \
                and body[end - 1:end] not in {".", "!", "?"} and fragment.cue_start in {None, report.cue_start}:
            return report
    return None


def is_fragment(quote: Quote) -> bool:
    """A direct quote that is a piece of a sentence, not one of its own: one stretch opening in
    lower case ("called it “a gift to polluters”")."""
    return quote.kind == "direct" and len(quote.segments) == 1 and quote.text[:1].islower()


def inside_report(quote: Quote, reports: Intervals) -> bool:
    """Whether a quote lies inside one of `reports` (their ranges with one character more: a
    report's closing mark may be left out of it)."""
    return reports.contains(quote.start, quote.end)


def fragments_in(report: Quote, fragments: list[Quote], starts: list[int]) -> list[Quote]:
    """The `fragments` (sorted by start, `starts` their starts) that begin inside `report`."""
    return fragments[bisect_left(starts, report.start):bisect_right(starts, report.end + 1)]


def only_quote(quote: Quote, report: Quote, body: str) -> bool:
    """Whether a report holds a quote and less than two words besides it (“we will not give
    up,” as the complement of "said"): then the quote stands, not the report."""
    if not (report.start <= quote.start and quote.end <= report.end + 1):
        return False
    return len(body[report.start:max(report.start, quote.start - 1)].split()) + \
        len(body[quote.end + 1:max(quote.end + 1, report.end)].split()) < 2


def joined(segments: list[Span]) -> str:
    """A quote's text from its segments: joined by " … " where a cue interrupts them."""
    return " … ".join(seg.text for seg in segments)


def around_cue(body: str, start: int, end: int, verb: Token, subject: Token) -> list[Span]:
    """The reported words from start to end without the cue clause set off by commas inside
    them ("The dam, the minister said, will ..."): one segment on each side of it."""
    sdoc = verb.doc
    left, right = min(verb.i, subject.left_edge.i), max(verb.i, subject.right_edge.i)
    if not start < sdoc[left].idx < end:
        return [Span(body[start:end], start, end)]
    before = next((t for t in reversed(sdoc[max(0, left - 2):left]) if t.text == ","), None)
    after = next((t for t in sdoc[right + 1:right + 6] if t.text == ","), None)
    if before is None or after is None or not start < before.idx or after.idx + 1 >= end:
        return [Span(body[start:end], start, end)]
    first_end = len(body[:before.idx].rstrip())
    second_start = after.idx + 1 + len(body[after.idx + 1:end]) - len(body[after.idx + 1:end].lstrip())
    return [Span(body[start:first_end], start, first_end), Span(body[second_start:end], second_start, end)]


def rest_after_aside(verb: Token, subject: Token) -> tuple[int, int] | None:
    """For a cue set off by commas inside what it reports ("The plan, the minister said, will
    cost more"; "Though the talks went well, he said, the deal is far off"): the reported words
    after it, to the end of the sentence (start, end), or None when the cue ends the sentence."""
    sdoc = verb.doc
    last = max(verb.right_edge.i, subject.right_edge.i)
    first = min(verb.left_edge.i, subject.left_edge.i)
    if last + 2 >= verb.sent.end or sdoc[last + 1].text != "," or first == 0 or sdoc[first - 1].text != ",":
        return None
    words = [t for t in sdoc[last + 2:verb.sent.end] if not t.is_space]
    while words and words[-1].is_punct:
        words.pop()
    if sum(1 for t in words if not t.is_punct) < 2:
        return None
    return words[0].idx, words[-1].idx + len(words[-1].text)


def quoted_fragment(quote: Quote, start: int, end: int, body: str) -> bool:
    """Whether a direct quote is a quoted fragment inside what a speech verb reports (its
    clausal complement after the verb, or the clause before "…, he said"), with two reported
    words or more outside its marks and no colon or comma opening it ("He said the plan was
    “a disaster for workers.”", "said that, “…” against ..."): then the report is one mixed
    quote, its marks kept in its text."""
    before = body[start:max(start, quote.start - 1)].rstrip()
    after = body[quote.end + 1:end]
    lead = body[:quote.start - 1].rstrip()
    woven = lead[-1:] not in {",", ":"} or lead[:-1].split()[-1:] == ["that"] or \
        (lead[-1:] == "," and quote.text[:1].islower() and len(after.split()) >= 2)   # "$2 billion, “equal to …,” if ..."
    return quote.cue != ":" and quote.start >= start and quote.end <= end + 3 and woven and \
        len(before.split()) + len(after.split()) >= 2


def woven_report(quote: Quote, sdoc: Doc, body: str, quoted: Intervals) -> tuple[int, int] | None:
    """The reported words around a quoted fragment woven into its sentence, when the fragment
    is only part of what its cue reports (start, end of the whole report, marks kept):
    - a fragment, not a sentence of its own (it opens in lower case), before its cue, with two
      words or more of its sentence before it ("Not paying taxes “makes me smart,” Trump said";
      "With thousands of systems, “there is no single point of failure,” he said"): the report
      runs from the sentence's start;
    - a fragment after its cue verb, not set off by a comma or colon ("Trump told supporters to
      “go and vote”"): the report is the cue's complement that holds it (the clause or object
      on the way from the fragment up to the cue), without the cue's subject.
    None for a quotation set off as a whole ("“We will fight,” he said"; "He said: “…”")."""
    if len(quote.segments) != 1 or quote.cue in {":", "according to"}:
        return None
    words = sdoc.char_span(quote.start, quote.end, alignment_mode="expand")
    if words is None:
        return None
    if quote.cue_start is not None:
        cue = sdoc.char_span(quote.cue_start, quote.cue_start + len(quote.cue or ""), alignment_mode="expand")
        cue = cue[0] if cue is not None else None
    else:                                             # inside narration: "described Clinton as “a fraud”"
        cue = reporting_ancestor(words, quoted) or governing_verb(sdoc, quote.start, quote.end, quoted)
        if cue is not None and cue.idx >= quote.end:
            cue = None
    if cue is None:
        return None
    sentence = words[0].sent
    if not sentence.start <= cue.i < sentence.end:
        return None
    open_mark = quote.start - (2 if body[quote.start - 2:quote.start] == "''" else 1)
    lead = body[sentence.start_char:open_mark]
    fragment = quote.text[:1].islower()
    if cue.idx >= quote.end:
        if fragment and len(lead.split()) >= 2 and not lead.rstrip().endswith(":"):
            return sentence.start_char, quote.end
        return None
    before = lead.rstrip(" \t\"“'")
    if before.endswith((",", ":")) and not before[:-1].rstrip().lower().endswith("that"):
        return None
    node = next((t for t in words if not words.start <= t.head.i < words.end), words.root)
    while node.head.i != cue.i:
        if node.head.i == node.i or not sentence.start <= node.head.i < sentence.end:
            return None
        node = node.head
    if node.dep_ in {"nsubj", "nsubjpass", "punct"}:
        return None
    kept = [t for t in node.subtree if not t.is_punct or t.i > words.start]
    start = min(t.idx for t in kept)
    if start < quote.start - 1 and quoted.covers(start):   # begins inside another quotation
        return None
    end = max(quote.end, max(t.idx + len(t.text) for t in kept if not t.is_punct))
    if len(body[start:quote.start].split()) + len(body[quote.end:end].split()) < 2:
        return None                                   # no more than the fragment itself
    return start, end


def reporting_ancestor(words: SpacySpan, quoted: Intervals) -> Token | None:
    """The nearest speech or report verb (data/report_verbs.yaml) above a quoted fragment, outside
    every quotation ("urged residents to stay home and keep their doors “locked”": urged)."""
    verbs = complement_verbs(speech_verbs())     # speech and report verbs, made once
    head = next((t.head for t in words if not words.start <= t.head.i < words.end), None)
    for node in [head, *head.ancestors] if head is not None else []:
        if node.pos_ in {"VERB", "AUX"} and node.lemma_.lower() in verbs and not quoted.covers(node.idx):
            return node
    return None


def weave_fragments(quotes: list[Quote], indirect: list[Quote], sdoc: Doc, body: str,
                    quoted: list[tuple[int, int]]) -> tuple[list[Quote], list[Quote]]:
    """Direct quotes that are fragments of a larger report (`woven_report`) become that report:
    one indirect quote, marks kept, its speaker and cue the fragment's; an indirect quote of the
    same cue that the report touches takes it in instead (the parser may hang the fragment
    apart from the clause it ends: "said Democrats are to blame for “he said this”")."""
    kept: list[Quote] = []
    ranges = Intervals(quoted)
    by_cue: dict[int | None, list[Quote]] = {}
    for q in indirect:
        by_cue.setdefault(q.cue_start, []).append(q)
    for quote in quotes:
        span = woven_report(quote, sdoc, body, ranges)
        if span is None:
            kept.append(quote)
            continue
        start, end = span
        same_cue = [q for q in by_cue.get(quote.cue_start, ()) if q.start <= end
                    and start <= q.end + 3 and not body[min(q.end, end):max(q.start, start)].strip(" \t“”\"'")]
        if same_cue:
            report = same_cue[0]       # its first segment widened to `start`, its last to `end`
            report.start, report.end = min(report.start, start), max(report.end, end)
            first = report.segments[0]
            report.segments[0] = Span(body[report.start:first.end], report.start, first.end)
            last = report.segments[-1]
            report.segments[-1] = Span(body[last.start:report.end], last.start, report.end)
            report.text = joined(report.segments)
            continue
        report = Quote("indirect", body[start:end], start, end, quote.speaker, quote.speaker_text,
                       quote.cue, quote.cue_start)
        indirect.append(report)
        by_cue.setdefault(report.cue_start, []).append(report)
    return kept, indirect


COMPLEMENTS = {"dobj", "ccomp", "xcomp", "oprd", "dative"}
NO_SOURCE = {"it", "that", "this", "which", "there", "what"}


def resolved_it(subject: Token, mentions: MentionIndex) -> bool:
    """An "it" that coreference joined to an actor ("The agency ... It says ..."): a source,
    unlike an "it" that refers to nothing ("it is said that")."""
    return subject.lower_ == "it" and mentions.holding(subject.idx) is not None


def complement_report(verb: Token, preps: frozenset[str]) -> list[Token]:
    """The words a report verb reports: after it, its object, clause and "as" phrase ("urged
    supporters | to monitor the polls", "criticized the law | as unfair"), or after one of its
    own prepositions that preposition's object and what follows it ("called for | a
    ceasefire", "called on | the army to withdraw")."""
    parts = []
    for child in verb.rights:
        if child.dep_ in COMPLEMENTS or (child.dep_ == "prep" and child.lower_ == "as"):
            parts.append(list(child.subtree))
        elif child.dep_ in {"prep", "prt"} and child.lower_ in preps and not parts:
            parts.extend([t for t in grandchild.subtree] for grandchild in child.children
                         if grandchild.dep_ in {"pobj", "pcomp"})
    if parts:
        parts.extend(list(c.subtree) for c in coordinated_complements(verb, parts[0][0].head))
    words = sorted((t for part in parts for t in part), key=lambda t: t.i)
    while words and (words[-1].is_punct or words[-1].is_space):
        words.pop()
    while words and (words[0].is_punct or (words[0].lower_ == "that" and words[0].dep_ == "mark")):
        words.pop(0)
    return words


SUBORDINATORS = {"because", "since", "although", "though", "while", "if", "unless"}


def subordinate_tail(verb: Token, content: Token) -> list[Token]:
    """A subordinate clause the parser hung on the speech verb after its reported clause ("said
    the claim was unfair, because the rules had changed"): part of the report, like a reason
    hung on the reported clause itself."""
    return [t for c in verb.rights if c.dep_ == "advcl" and c.i > content.right_edge.i
            and any(g.dep_ == "mark" and g.lower_ in SUBORDINATORS for g in c.children) for t in c.subtree]


def without_next_report(content: Token, verbs: frozenset[str]) -> list[Token]:
    """The words of a reported clause without a speech verb coordinated at its end that the
    parser hung inside it ("said the deal was fair and added that ...": not "and added ...")."""
    words = list(content.subtree)
    for c in content.children:
        if c.dep_ == "conj" and is_speech_verb(c, verbs) and not any(g.dep_ in {"nsubj", "nsubjpass"} for g in c.children):
            cut = {t.i for t in c.subtree}
            cut |= {t.i for t in content.children if t.dep_ == "cc" and t.i < c.i and t.i == c.left_edge.i - 1}
            words = [t for t in words if t.i not in cut]
    return words


def coordinated_complements(verb: Token, complement: Token) -> list[Token]:
    """Verbs coordinated with a complement that the parser hung on the report verb instead
    ("mentioned refinancing loans and forcing universities to pay", "wants to raise taxes,
    cut spending and close loopholes"): a conjunct of the report verb after the complement
    (or a bare clause the parser took for an adverbial one: no marker, no "to"), with no
    subject of its own, of the complement's form (-ing, bare infinitive) and not of the report
    verb's own (then it is a second predicate: "said X and added Y")."""
    if complement.tag_ not in {"VBG", "VB"} or complement.tag_ == verb.tag_:
        return []
    return [c for c in verb.rights if c.tag_ == complement.tag_ and c.i > complement.i
            and (c.dep_ == "conj" or (c.dep_ == "advcl" and not any(g.dep_ in {"mark", "aux"} for g in c.children)))
            and not any(g.dep_ in {"nsubj", "nsubjpass"} for g in c.children)]


def bare_participle(verb: Token) -> bool:
    """A participle heading a clause of its own words (", focusing on young voters"), not a
    verb of a finite clause ("because the port had raised it": subject, auxiliary, marker)."""
    return verb.tag_ in {"VBG", "VBN"} and not any(c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass", "mark"}
                                                   for c in verb.children)


def without_asides(words: list[Token], root: Token) -> list[Token]:
    """`words` without the relative and participle clauses set off by a comma after `root` (",
    which forced her to leave", ", focusing on young voters"): an aside of the writer's, not
    part of the report (a reason, ", because ...", is part of it)."""
    doc = root.doc
    aside: set[int] = set()
    for t in words:
        if (t.dep_ == "relcl" or (t.dep_ in {"advcl", "acl"} and bare_participle(t))) and t.i > root.i \
                and t.left_edge.i > 0 \
                and doc[t.left_edge.i - 1].text == "," and t.i not in aside:
            aside |= {w.i for w in t.subtree} | {t.left_edge.i - 1}
    return [t for t in words if t.i not in aside]


def complement_reports(doc: Document, mentions: MentionIndex, taken: list[Quote]) -> list[Quote]:
    """What a report verb of data/report_verbs.yaml, or a speech verb with an object ("noted
    the rule", "announced a new plan"), reports (`complement_report`), two words or more not
    already in a quote, as an indirect quote of the verb's subject."""
    verbs = complement_verbs(speech_verbs())
    body = doc.body or ""
    out: list[Quote] = []
    taken_ranges = Intervals((q.start, q.end) for q in taken)
    starts: list[int] = []     # the reports kept so far: disjoint, so sorted by start they are sorted by end
    ends: list[int] = []
    for tok in tokens_with(doc.spacy_doc, pos=("VERB",)):
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in verbs:
            continue
        subj = subject_of(tok)
        if subj is None or (subj.lower_ in NO_SOURCE and not resolved_it(subj, mentions)) or subj.i > tok.i:
            continue
        if tok.lemma_.lower() not in stance_verbs() and aimed_at_an_actor(tok, verbs[tok.lemma_.lower()], mentions):
            continue
        words = without_asides(complement_report(tok, verbs[tok.lemma_.lower()]), tok)
        if sum(1 for t in words if not t.is_punct) < 2:
            continue
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        i = bisect_left(starts, end)            # those before i start before `end`; the last ends last
        if taken_ranges.overlaps(start, end) or (i > 0 and ends[i - 1] > start):
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        speaker, speaker_text = actor_of_phrase(subj, mentions)
        out.append(Quote("indirect", body[start:end], start, end, speaker, speaker_text, tok.text, tok.idx))
    return out


def aimed_at_an_actor(verb: Token, preps: frozenset[str], mentions: MentionIndex) -> bool:
    """A report verb whose only complement is an object naming an actor ("threatened the
    farmers", "criticized the minister", "welcomed the delegation") says whom the act is aimed
    at, not what is reported; with a further complement it reports ("urged supporters to vote",
    "criticized the law as unfair", "called on the army to withdraw"); `preps`: the verb's own."""
    complements = [c for c in verb.rights if c.dep_ in COMPLEMENTS
                   or (c.dep_ in {"prep", "prt"} and (c.lower_ == "as" or c.lower_ in preps))]
    return (len(complements) == 1 and complements[0].dep_ == "dobj"
            and mentions.holding(complements[0].idx) is not None)


def noun_reports(doc: Document, mentions: MentionIndex, taken: list[Quote]) -> list[Quote]:
    """What a report noun of data/report_verbs.yaml reports through its own preposition or
    infinitive ("her criticism of the new law", "the ministry's plan to close the border",
    "remarks about the vote by the governor"), two words or more not already in a quote, as an
    indirect quote of its possessor or "by" agent; a noun with neither has no report."""
    nouns = report_nouns()
    body = doc.body or ""
    taken_ranges = Intervals((q.start, q.end) for q in taken)
    out: list[Quote] = []
    for tok in tokens_with(doc.spacy_doc, pos=("NOUN",)):
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in nouns:
            continue
        source = next((c for c in tok.children if c.dep_ == "poss"), None)
        if source is None:
            by = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ == "by"), None)
            source = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        if source is None and tok.dep_ == "dobj" and tok.head.lemma_.lower() in support_verbs():
            source = subject_of(tok.head)               # "raised questions about X": the subject's questions
            if source is not None and ((source.lower_ in NO_SOURCE and not resolved_it(source, mentions)) or source.i > tok.i):
                source = None
        if source is None:
            continue
        words = prepositional_report(tok, nouns[tok.lemma_.lower()])
        if words is None:
            words = next(([t for t in c.subtree if t.dep_ != "aux" or t.i != c.left_edge.i] for c in tok.rights
                          if c.dep_ == "acl" and c.tag_ == "VB"), None)   # "plan to close the border"
        quote = report_of_words(words or [], source, tok, body, taken_ranges, mentions)
        if quote is not None:
            out.append(quote)
    return out


def report_of_words(words: list[Token], source: Token, cue: Token, body: str, taken: Intervals,
                    mentions: MentionIndex) -> Quote | None:
    """The indirect quote of `source` that `words` (a report noun's or adjective's content, `cue`
    the noun or adjective) make: trailing punctuation left out, two words or more, not holding the
    source itself and not overlapping a quote already `taken`; None otherwise."""
    words = [t for t in words if not t.is_space]
    while words and words[-1].is_punct:
        words.pop()
    if sum(1 for t in words if not t.is_punct) < 2 or any(source.i == t.i for t in words):
        return None
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    if taken.overlaps(start, end):
        return None
    speaker, speaker_text = actor_of_phrase(source, mentions)
    return Quote("indirect", body[start:end], start, end, speaker, speaker_text, cue.text, cue.idx)


def prepositional_report(word: Token, preps: frozenset[str]) -> list[Token] | None:
    """The words a report noun or adjective reports through one of its own prepositions ("criticism
    | of the law", "critical | of the plan"): that preposition's object or clause; None without one."""
    return next((list(g.subtree) for c in word.rights if c.dep_ == "prep" and c.lower_ in preps
                 for g in c.children if g.dep_ in {"pobj", "pcomp"}), None)


def adjective_reports(doc: Document, mentions: MentionIndex, taken: list[Quote]) -> list[Quote]:
    """What an adjective of data/report_verbs.yaml ("adjectives") predicated of a subject judges
    or fears, through its own preposition or a clause ("the senator is critical of the plan",
    "they were worried about the cost", "she is confident that the bill passes"), two words or
    more not already in a quote, as an indirect quote of the subject; the adjective is the cue."""
    adjectives = report_adjectives()
    body = doc.body or ""
    taken_ranges = Intervals((q.start, q.end) for q in taken)
    out: list[Quote] = []
    for tok in tokens_with(doc.spacy_doc, pos=("ADJ",)):
        if tok.pos_ != "ADJ" or tok.dep_ != "acomp" or tok.lemma_.lower() not in adjectives:
            continue
        subj = subject_of(tok.head)
        if subj is None or (subj.lower_ in NO_SOURCE and not resolved_it(subj, mentions)) or subj.i > tok.i:
            continue
        words = prepositional_report(tok, adjectives[tok.lemma_.lower()])
        if words is None:
            clause = next((c for c in tok.rights if c.dep_ == "ccomp"), None)
            words = [t for t in clause.subtree if not (t.dep_ == "mark" and t.lower_ == "that" and t.head.i == clause.i)] \
                if clause is not None else []
        quote = report_of_words(words, subj, tok, body, taken_ranges, mentions)
        if quote is not None:
            out.append(quote)
    return out


@cache
def stance_verbs() -> frozenset[str]:
    """Report verbs whose object, even an actor, is the stance reported ("44 percent would back
    the governor", "the union endorsed Lopez"; data/report_verbs.yaml, "stance_verbs")."""
    return frozenset(load_yaml("report_verbs.yaml")["stance_verbs"])


@cache
def support_verbs() -> frozenset[str]:
    """Verbs that make a report noun their subject's ("raised questions about", "voiced support
    for"; data/report_verbs.yaml, "support_verbs")."""
    return frozenset(load_yaml("report_verbs.yaml")["support_verbs"])


@cache
def report_nouns() -> dict[str, frozenset[str]]:
    """Nouns that report what their possessor says, wants or judges (data/report_verbs.yaml,
    "nouns"), each with the prepositions that introduce the report."""
    return {noun: frozenset(preps or ()) for noun, preps in load_yaml("report_verbs.yaml")["nouns"].items()}


@cache
def complement_verbs(speech: frozenset[str]) -> dict[str, frozenset[str]]:
    """The report verbs with their prepositions, and the speech verbs (no preposition of their
    own unless the report verbs give one)."""
    return {verb: frozenset() for verb in speech} | report_verbs()


def according_to(doc: Document, mentions: MentionIndex, taken: list[Quote]) -> list[Quote]:
    """'The talks failed, according to officials': the rest of the sentence is what the
    source named after "according to" says."""
    out = []
    taken_ranges = Intervals((q.start, q.end) for q in taken)
    for tok in tokens_with(doc.spacy_doc, lower=("according",)):   # in text order, as the sentences are
        source = according_source(tok)
        if source is None:
            continue
        sent = tok.sent
        phrase_start = tok.idx
        phrase_end = source.right_edge.idx + len(source.right_edge.text)
        before = doc.body[sent.start_char:phrase_start].strip(" ,\n\t")
        after = doc.body[phrase_end:sent.end_char].strip(" ,.\n\t")
        text, start = (before, sent.start_char) if len(before) >= len(after) else (after, doc.body.index(after, phrase_end))
        if len(text.split()) < 3 or taken_ranges.overlaps(start, start + len(text)):
            continue
        speaker, speaker_text = actor_of_phrase(source, mentions)
        out.append(Quote("indirect", text, start, start + len(text), speaker, speaker_text, "according to", tok.idx))
    return out


def transcript_turns(doc: Document, mentions: MentionIndex) -> list[Quote]:
    """A transcript's turn ("WALLACE: Let's start with ...") is the labelled speaker's own words.
    The label resolves to the person whose name ends with its last word ("MR. KIRBY")."""
    body = doc.body or ""
    people = {}
    for start, end, actor_id, kind in mentions.spans:
        if kind == "person":
            people.setdefault(body[start:end].split()[-1].upper(), actor_id)
    turns = []
    for m in TURN_RE.finditer(body):
        label = m.group("label")
        if len(label) < 3:
            continue
        end = body.find("\n", m.end())
        end = len(body) if end < 0 else end
        text = body[m.end():end].rstrip()
        if len(text.split()) < 2:
            continue
        speaker = people.get(label.split()[-1].strip("."))
        segments = [Span(text, m.end(), m.end() + len(text))]
        if body[m.start():m.start() + 1] in CLOSERS and text[-1:] not in {"”", "\""}:   # opened, not closed
            segments += turn_continued(body, end)
        turns.append(Quote("direct", joined(segments), m.end(), segments[-1].end, speaker, label, ":", m.end("label"),
                           segments))
    return turns


PARAGRAPH_RE = re.compile(r"\n[ \t]*\n?[ \t]*(?P<mark>[\"“])(?P<words>[^\n]*)")


def turn_continued(body: str, end: int) -> list[Span]:
    """The paragraphs that go on with a turn of a transcript quoting every paragraph ("“PENCE:
    Well, ...¶ “But the truth is ...": the turn's mark left open at its paragraph's end): each
    opens with a quotation mark and has no label of its own, nor is it a stage direction in
    brackets ("(CROSSTALK.)"); they stop at the first that is, at a paragraph whose quotation
    closes before more words (another quote and its cue: "“We will not,” she said"), and after
    one that closes the turn's quotation at its end."""
    segments = []
    while (m := PARAGRAPH_RE.match(body, end)) is not None:
        line = m.group("words").rstrip()
        closing = next((i for i, char in enumerate(line) if char in "”\""), None)
        words = line.rstrip("”\"").rstrip()
        if (TURN_RE.match(body, m.start("mark")) or not words or words.startswith(("(", "["))
                or (closing is not None and closing < len(words))):
            break
        segments.append(Span(words, m.start("words"), m.start("words") + len(words)))
        if closing is not None:
            break
        end = m.end()
    return segments


def run(doc: Document, settings: Settings) -> list[Quote]:
    possessives = possessive_determiners(doc.spacy_doc)
    mentions = MentionIndex.build(doc.actors or [], possessives)
    mentions.genders = person_genders(doc.spacy_doc, mentions, doc.body or "")
    verbs = speech_verbs()
    turns = transcript_turns(doc, mentions)
    turn_ranges = Intervals((g.start, g.end) for t in turns for g in t.segments)
    direct = [q for q in direct_quotes(doc, mentions, verbs) if not turn_ranges.covers(q.start)] + turns
    link_first_person(doc.actors or [], doc.spacy_doc,
                      [SpokenStretch([(g.start, g.end) for g in q.segments], q.speaker) for q in direct if q.speaker])
    genders = mentions.genders
    mentions = MentionIndex.build(doc.actors or [], possessives)   # with the first person just linked
    mentions.genders = genders
    indirect, fragments = indirect_quotes(doc, mentions, verbs, direct)
    absorbed = {id(f) for f in fragments}
    direct = [q for q in direct if id(q) not in absorbed]
    quoted = [(g.start - 1, g.end + 1) for q in direct for g in q.segments]
    direct, indirect = weave_fragments(direct, indirect, doc.spacy_doc, doc.body or "", quoted)
    body = doc.body or ""
    solid = [q for q in direct if not is_fragment(q)]     # a fragment may lie inside the reports below
    reported = according_to(doc, mentions, solid + indirect)
    reported += complement_reports(doc, mentions, solid + indirect + reported)
    reported += noun_reports(doc, mentions, solid + indirect + reported)
    reported += adjective_reports(doc, mentions, solid + indirect + reported)
    fragments = sorted((q for q in direct if is_fragment(q)), key=lambda q: q.start)
    starts = [q.start for q in fragments]
    reported = [r for r in reported if not any(only_quote(q, r, body) for q in fragments_in(r, fragments, starts))]
    report_ranges = Intervals((r.start, r.end + 1) for r in reported)
    direct = [q for q in direct if not (is_fragment(q) and inside_report(q, report_ranges))]
    direct = continued_reports(direct, indirect + reported, body)
    quoted_ranges = Intervals((g.start - 1, g.end + 1) for q in direct for g in q.segments)
    for quote in indirect + reported:
        through_colon(quote, doc.spacy_doc, doc.body or "", quoted_ranges)
    return sorted(direct + indirect + reported, key=lambda q: q.start)


STAGE = Stage("quotes", needs=("body", "spacy_doc", "actors"), adds="quotes", item_type=Quote, run=run)
