"""Quotes stage: direct and indirect quotations with their speaker and cue.

Needs: body, spacy_doc, actors. Adds: quotes.

Direct quotes are the text between paired quotation marks (“…”, "…") of 3+ words. The
speaker is found, in order:
1. the subject of a speech verb in the quote's own sentence outside the marks
   (`“…,” the minister added`, `Ned Price said: “…”`, `said Mr Asif`);
2. for a subject that names a statement ("the official statement from Afghanistan"), the actor
   the statement comes from;
3. a pronoun subject ("he said") resolves to the latest person mentioned before the quote;
4. a quote with no cue of its own continues the previous quote's speaker when it follows it
   in the same or the next paragraph.
Indirect quotes are the clausal complement of a speech verb ("Mr Asif emphasised that …",
"…, the Foreign Office said"), and what a sentence says "according to" a source; their
speaker is the actor the subject names, or only its words when no actor is named ("sources").
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..model import Document, Quote
from ..resources import load_yaml
from ..settings import Settings
from . import Stage
from .mentions import MentionIndex, phrase_range

TURN_RE = re.compile(r"^(?P<label>(?:[A-Z][A-Z.'\-]+ ){0,4}[A-Z][A-Z.'\-]+):\s+(?=\S)", re.M)  # "GEN. MCKENZIE: ..."
QUOTE_RE = re.compile(r"“([^”]{3,2000})”|\"([^\"\n]{3,2000})\"")
PRONOUNS = {"he", "she", "they", "it", "we", "i"}


def speech_verbs() -> frozenset[str]:
    return frozenset(load_yaml("event_lexicon.yaml")["speech_verbs"])


PARTICIPLE_LINKS = {"advcl", "xcomp", "conj", "pcomp", "prep", "ccomp", "dobj"}


def subject_of(verb: Token) -> Token | None:
    """The verb's subject; a verb without one borrows its head's: coordinated verbs and
    infinitives ("went on to say"), and participles ("Trump said, adding ...", "After saying
    ..., she was ...") speak for the subject of the clause they hang from."""
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return child
    head = verb.head
    if head is verb:
        return None
    if verb.dep_ in {"conj", "xcomp"} and head.pos_ in {"VERB", "AUX"}:
        return subject_of(head)
    if verb.tag_ == "VBG" and verb.dep_ in PARTICIPLE_LINKS:
        while head.pos_ == "ADP" and head.head is not head:   # "after saying": the preposition's verb
            head = head.head
        if head.pos_ in {"VERB", "AUX"}:
            return subject_of(head)
    return None


def actor_of_phrase(token: Token, mentions: MentionIndex) -> tuple[str | None, str]:
    """(actor id, speaker text) for a subject noun phrase; "who" stands for the noun it follows."""
    if token.lower_ in {"who", "that", "which"} and token.head.dep_ == "relcl":
        token = token.head.head
    start, end = phrase_range(token)
    text = token.doc.text[start:end]
    inside = mentions.inside(start, end)
    if token.lower_ in PRONOUNS:
        kinds = {"person"} if token.lower_ in {"he", "she", "i"} else {"state", "organisation", "group", "person"}
        hit = mentions.latest_before(token.idx, kinds)
        return (hit[2] if hit else None), token.text
    if inside:
        # the mention holding the head word, else the first one
        for s, e, actor_id, _ in inside:
            if s <= token.idx < e:
                return actor_id, text
        return inside[0][2], text  # "the statement from Afghanistan", "officials of X"
    return None, text


def inside_any(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


def cue_for(tokens: list[Token], q_start: int, q_end: int, verbs: frozenset[str],
            quoted: list[tuple[int, int]]) -> Token | None:
    """The speech verb of a quote among `tokens`, outside every quotation and with no subject
    inside one: the first after the quote, else the nearest before it."""
    outside = [t for t in tokens if t.lemma_.lower() in verbs and t.pos_ in {"VERB", "AUX"}
               and not inside_any(t.idx, quoted)]
    outside = [t for t in outside if (subj := subject_of(t)) is None or not inside_any(subj.idx, quoted)]
    after = [t for t in outside if t.idx >= q_end]
    before = [t for t in outside if t.idx < q_start]
    return after[0] if after else (before[-1] if before else None)


def quote_cue(sdoc: Doc, body: str, q_start: int, q_end: int, verbs: frozenset[str],
              quoted: list[tuple[int, int]]) -> Token | None:
    """The cue in the quote's own sentences, else elsewhere in its paragraph."""
    own = sdoc.char_span(q_start, q_end, alignment_mode="expand")
    if own is None:
        return None
    sentence_tokens = list(sdoc[own[0].sent.start:own[-1].sent.end])
    cue = cue_for(sentence_tokens, q_start, q_end, verbs, quoted)
    if cue is not None:
        return cue
    paragraph_end = body.find("\n", q_end)
    paragraph_end = len(body) if paragraph_end < 0 else paragraph_end
    paragraph_start = body.rfind("\n", 0, q_start) + 1
    paragraph = sdoc.char_span(paragraph_start, paragraph_end, alignment_mode="expand")
    return cue_for(list(paragraph) if paragraph is not None else [], q_start, q_end, verbs, quoted)


def speaker_of_cue(cue: Token, mentions: MentionIndex) -> tuple[str | None, str | None]:
    subj = subject_of(cue)
    if subj is None:  # "said Mr Asif": the subject after the verb
        subj = next((c for c in cue.rights if c.pos_ in {"PROPN", "NOUN", "PRON"}), None)
    if subj is None:
        return None, None
    return actor_of_phrase(subj, mentions)


def direct_quotes(doc: Document, mentions: MentionIndex, verbs: frozenset[str]) -> list[Quote]:
    sdoc: Doc = doc.spacy_doc
    body = doc.body or ""
    matches = [m for m in QUOTE_RE.finditer(body) if len((m.group(1) or m.group(2)).split()) >= 3]
    quoted = [(m.start(), m.end()) for m in matches]
    quotes: list[Quote] = []
    previous: Quote | None = None
    for m in matches:
        inner_start = m.start(1) if m.group(1) is not None else m.start(2)
        text = m.group(1) if m.group(1) is not None else m.group(2)
        q_start, q_end = m.start(), m.end()
        cue = quote_cue(sdoc, body, q_start, q_end, verbs, quoted)
        speaker, speaker_text = None, None
        if cue is not None:
            speaker, speaker_text = speaker_of_cue(cue, mentions)
        elif previous is not None and previous.speaker and q_start - previous.end < 600:
            speaker, speaker_text = previous.speaker, previous.speaker_text
        quote = Quote("direct", text, inner_start, inner_start + len(text), speaker, speaker_text,
                      cue.text if cue is not None else None, cue.idx if cue is not None else None)
        quotes.append(quote)
        previous = quote
    return quotes


def indirect_quotes(doc: Document, mentions: MentionIndex, verbs: frozenset[str], direct: list[Quote]) -> list[Quote]:
    sdoc: Doc = doc.spacy_doc
    taken = [(q.start - 1, q.end + 1) for q in direct]
    out: list[Quote] = []
    for tok in sdoc:
        if tok.lemma_.lower() not in verbs or tok.pos_ not in {"VERB", "AUX"}:
            continue
        content = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        if content is None and tok.dep_ in {"parataxis", "advcl"} and tok.head.pos_ in {"VERB", "AUX"}:
            content = tok.head  # "X have resolved ..., the Foreign Office said"
        if content is None:
            continue
        subj = subject_of(tok)
        if subj is None or subj.lower_ in {"it", "that", "this", "which", "there"}:
            continue
        speaker, speaker_text = actor_of_phrase(subj, mentions)  # speaker None: a source not named
        if content is tok.head:
            words = [t for t in content.subtree if t.i < tok.i and not (subj.left_edge.i <= t.i <= subj.right_edge.i)]
        else:
            words = [t for t in content.subtree]
        words = [t for t in words if not t.is_punct or t.text in {"-", "’", "'"}]
        if not words:
            continue
        if words[0].lower_ == "that":
            words = words[1:]
        if not words:
            continue
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        if any(s < end and start < e for s, e in taken):
            continue
        out.append(Quote("indirect", sdoc.text[start:end], start, end, speaker, speaker_text, tok.text, tok.idx))
    return out


def according_to(doc: Document, mentions: MentionIndex, taken: list[Quote]) -> list[Quote]:
    """'The talks failed, according to officials': the rest of the sentence is what the
    source named after "according to" says."""
    out = []
    for sent in doc.spacy_doc.sents:
        for tok in sent:
            if tok.lower_ != "according" or tok.i + 2 > sent.end or tok.doc[tok.i + 1].lower_ != "to":
                continue
            source = next((c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            if source is None:
                continue
            phrase_start = tok.idx
            phrase_end = source.right_edge.idx + len(source.right_edge.text)
            before = doc.body[sent.start_char:phrase_start].strip(" ,")
            after = doc.body[phrase_end:sent.end_char].strip(" ,.")
            text, start = (before, sent.start_char) if len(before) >= len(after) else (after, doc.body.index(after, phrase_end))
            if len(text.split()) < 3 or any(q.start < start + len(text) and start < q.end for q in taken):
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
        turns.append(Quote("direct", text, m.end(), m.end() + len(text), speaker, label, ":", m.end("label")))
    return turns


def run(doc: Document, settings: Settings) -> list[Quote]:
    mentions = MentionIndex.build(doc.actors or [])
    verbs = speech_verbs()
    turns = transcript_turns(doc, mentions)
    direct = [q for q in direct_quotes(doc, mentions, verbs)
              if not any(t.start <= q.start < t.end for t in turns)] + turns
    indirect = indirect_quotes(doc, mentions, verbs, direct)
    return sorted(direct + indirect + according_to(doc, mentions, direct + indirect), key=lambda q: q.start)


STAGE = Stage("quotes", needs=("body", "spacy_doc", "actors"), adds="quotes", item_type=Quote, run=run)
