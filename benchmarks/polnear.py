"""Quotes on the PolNeAR attribution corpus, dev part (../shared/eval/polnear/dev, 84 articles).

    python benchmarks/polnear.py [--errors N] [--limit N]

Data: dev/text/NAME.txt (raw article: title line, blank line, paragraphs) and
dev/attributions/NAME_ANNOTATOR.ann (brat standoff). An attribution is an "E" relation
"Attribution:Tn Content:Tc Cue:Tk Source:Ts" (or "Attribution-no-source ..." without a
source) over "T" spans with character offsets into the raw text; a span may be discontinuous
("315 448;463 553"; a relation may name a second content, Content2). Discuss and Discard
spans are not attributions and are ignored. Two dev articles were annotated by several
annotators: the annotation file whose name sorts first is used, so each article counts once.

Each article runs through the whole pipeline (`newsledger.pipeline.process`) with the
publication date of metadata.tsv. Quote offsets index the cleaned body, which differs from
the raw text (the title line is dropped, blanks folded), so every predicted span is mapped to
raw offsets (`evalkit.body_to_raw`: each body line found in the raw text, altered lines
aligned with difflib).

Scoring:
- Overlap rule: a predicted quote (its text span, without the quotation marks) and a gold
  content (all its ranges) match when they share at least one character. Each prediction is
  paired with the gold content that covers the largest share of their union (Jaccard,
  `evalkit.best_matches`); several predictions may pair with one gold content, since a gold
  content is often one quotation broken by "he said" that the stage reports in two pieces.
  Precision counts predictions paired with some gold content; recall counts gold contents
  overlapped by some prediction.
- Direct gold attributions: those whose content consists of quoted text only: every range of
  the content, with blanks and final , . ; : removed, either begins with an opening mark (“ ")
  and ends with a closing mark (” "), or is flanked by such marks in the raw text; and no
  quotation closes and reopens inside a range. Content mixing a paraphrase with a quoted
  fragment is not direct.
- direct quotes: recall = gold direct attributions overlapped by a predicted `direct` quote
  / gold direct; precision = predicted direct quotes that overlap some gold attribution (any
  kind: the direct/indirect line of the gold is read from the marks, while a quote between
  marks is an attribution either way) / predicted direct.
- all attributions: every predicted quote (direct and indirect) against every gold
  attribution; precision, recall, F1.
- speaker accuracy: over the predicted quotes paired with a gold attribution that has a
  Source span: correct when the predicted speaker is at the gold source: a mention of the
  predicted speaker actor overlaps the gold Source span, or the quote's `speaker_text`, at its
  occurrence nearest the cue, does. A pronoun source ("he said") is thus credited where the
  pronoun was taken as the speaker; whether it was resolved to the right actor cannot be
  checked (PolNeAR has no coreference). Two repairs of the gold, each printed apart (the
  accuracy against the Source spans as annotated is printed beside the headline figure):
  a source that is a relative pronoun ("Mr. Kamin, who emphasized that ...") stands for the
  noun phrase it follows, so a predicted speaker ending right before it, and not the object of
  a preposition ("Democrats on Capitol Hill, who": "Capitol Hill" is wrong), is right; and where
  the gold Source span is the very cue word of the prediction, the annotators swapped the two
  labels (in inverted "…,” said Obama" the Source is "said" and the Cue "Obama"; 6 of the 2066
  dev attributions with a source), so the Cue span is taken as the source. Without these a
  right speaker was rejected for an annotation slip. The share of matched quotes whose speaker
  is an actor (`Quote.speaker` set) is printed beside it.

- strict rule (issue 12): a prediction (all its segments) and a gold content match only when
  they share at least half of the longer of the two; a quotation reported in two pieces, or
  cut at a paragraph break, then counts at most once. Precision, recall and F1 are printed
  under both rules.
- boundary classes (counts, printed for both halves): direct predictions unmatched under the
  strict rule that overlap a gold content, by whether they lie inside it (a fragment of a longer
  report), around it (joined too much), or across it.
- resolved speaker accuracy (issue 12, the analyst's measure): over the same matched quotes,
  correct only when the quote's `speaker` is an actor one of whose mentions is at the gold
  source (overlap, with the two repairs above) or whose name shares a word (3+ letters, not a
  function word) with the Source text; a speaker left as the words "he" or "officials" with
  no actor is wrong.

Articles are split into a tune and a check half by the SHA-256 of the article name
(`evalkit.half`); every figure is printed for both halves and overall. Errors are listed for
the tune half only; of the check half only aggregate figures are printed.

Printed: a table, `--errors N` examples of each kind of error on the tune half (missed gold
attribution and spurious quote under the strict rule, wrong speaker the PolNeAR way, wrong
resolved speaker), and a final line with the check half's headline figures.
"""
from __future__ import annotations

import argparse
import csv
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from evalkit import (EVAL_DIR, HALVES, PRF, Range, best_matches, body_to_raw, half, length, map_range, overlap,
                     print_table, ratio, require, run_texts, shorten, word_occurrences)

DATA_DIR = EVAL_DIR / "polnear"
OPENING_MARKS = "“\""
CLOSING_MARKS = "”\""
TRAILING_PUNCTUATION = " \t\n,.;:"
RELATIVE_PRONOUNS = {"who", "which", "that"}
PREPOSITIONS = {"of", "on", "in", "at", "to", "for", "from", "with", "by", "about", "among"}


@dataclass
class GoldAttribution:
    content: list[Range]
    source: list[Range] | None
    cue: list[Range] | None
    direct: bool = False
    antecedent: list[Range] = field(default_factory=list)   # last character of the noun a relative-pronoun source follows


@dataclass
class Article:
    name: str
    text: str
    published: date | None
    attributions: list[GoldAttribution] = field(default_factory=list)


# --------------------------------------------------------------------------- parsing

def parse_ranges(value: str) -> list[Range]:
    """"315 448;463 553" -> [(315, 448), (463, 553)]."""
    ranges = []
    for part in value.split(";"):
        start, end = part.split()
        ranges.append((int(start), int(end)))
    return ranges


def parse_ann(text: str) -> list[GoldAttribution]:
    """The attributions of one brat .ann file (relations with a Content span)."""
    spans: dict[str, tuple[str, list[Range]]] = {}
    relations: list[dict[str, str]] = []
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        if fields[0].startswith("T"):
            label, _, offsets = fields[1].partition(" ")
            spans[fields[0]] = (label, parse_ranges(offsets))
        elif fields[0].startswith("E"):
            roles = {}
            for item in fields[1].split():
                role, _, ref = item.partition(":")
                roles[role] = ref
            relations.append(roles)
    attributions = []
    for roles in relations:
        content = [r for key, ref in roles.items() if key.startswith("Content") and ref in spans for r in spans[ref][1]]
        if not content:
            continue
        source = spans[roles["Source"]][1] if roles.get("Source") in spans else None
        cue = spans[roles["Cue"]][1] if roles.get("Cue") in spans else None
        attributions.append(GoldAttribution(sorted(content), source, cue))
    return attributions


def is_quoted_range(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is one quotation: marked inside the range or just outside it."""
    piece = text[start:end]
    stripped = piece.strip()
    core = stripped.rstrip(TRAILING_PUNCTUATION)
    if len(core) >= 2 and core[0] in OPENING_MARKS and core[-1] in CLOSING_MARKS:
        inner = core[1:-1]
    elif stripped and core[:1] in OPENING_MARKS and stripped[-1:] in CLOSING_MARKS:
        inner = stripped[1:-1]                       # “… wraps.”: the mark after the full stop
    else:
        lead = text[:start].rstrip()
        tail = text[end:].lstrip(TRAILING_PUNCTUATION)
        if not (lead[-1:] in OPENING_MARKS and tail[:1] in CLOSING_MARKS):
            return False
        inner = piece
    return not any(mark in inner for mark in "“”\"")


def is_direct(text: str, content: Sequence[Range]) -> bool:
    return bool(content) and all(is_quoted_range(text, s, e) for s, e in content)


def antecedent_of(text: str, source: Sequence[Range] | None) -> list[Range]:
    """For a source that is a relative pronoun ("Mr. Kamin, who emphasized ..."): the last
    character of the word before it, where the noun phrase it stands for ends."""
    if not source or len(source) != 1 or text[source[0][0]:source[0][1]].lower() not in RELATIVE_PRONOUNS:
        return []
    end = len(text[:source[0][0]].rstrip(" ,\n"))
    return [(end - 1, end)] if end > 0 else []


def choose_annotations(paths: Sequence[Path]) -> dict[str, Path]:
    """Article name -> the annotation file used: NAME_ANNOTATOR.ann, first by sorted name."""
    chosen: dict[str, Path] = {}
    for path in sorted(paths):
        name = path.stem.rsplit("_", 1)[0]
        chosen.setdefault(name, path)
    return chosen


def read_dates(metadata: Path) -> dict[str, date]:
    """File name -> publication date from metadata.tsv."""
    dates = {}
    with metadata.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            try:
                dates[row["filename"]] = date.fromisoformat(row["publication_date"])
            except (KeyError, ValueError):
                continue
    return dates


def load_articles(part: str = "dev") -> list[Article]:
    base = require(DATA_DIR / part)
    dates = read_dates(require(DATA_DIR / "metadata.tsv"))
    articles = []
    for name, ann in sorted(choose_annotations(list((base / "attributions").glob("*.ann"))).items()):
        text = (base / "text" / f"{name}.txt").read_text("utf-8")
        attributions = parse_ann(ann.read_text("utf-8"))
        for a in attributions:
            a.direct = is_direct(text, a.content)
            a.antecedent = antecedent_of(text, a.source)
        articles.append(Article(name, text, dates.get(name), attributions))
    return articles


# --------------------------------------------------------------------------- scoring

@dataclass
class PredictedQuote:
    kind: str
    span: list[Range]                 # raw offsets (one range per segment)
    speaker_spans: list[Range]        # raw offsets of the speaker's mentions and speaker_text
    resolved: bool                    # speaker is an actor
    speaker_text: str | None
    cue: str | None
    cue_span: Range | None = None     # raw offsets of the cue word
    actor_spans: list[Range] = field(default_factory=list)   # raw offsets of the speaker actor's mentions only
    actor_name: str | None = None     # the speaker actor's name


def speaker_text_span(body: str, speaker_text: str | None, anchor: int) -> Range | None:
    """The occurrence of `speaker_text` in the body nearest `anchor` (the cue)."""
    occurrences = word_occurrences(body, speaker_text or "")
    if not occurrences:
        return None
    return min(occurrences, key=lambda r: abs(r[0] - anchor))


def predicted_quotes(doc: Any, raw: str) -> list[PredictedQuote]:
    """The document's quotes with raw offsets."""
    mapping = body_to_raw(doc.body, raw)
    actors = {a.id: a for a in doc.actors or []}
    quotes = []
    for q in doc.quotes or []:
        actor = actors.get(q.speaker)
        actor_spans = [map_range(mapping, m.start, m.end) for m in actor.mentions] if actor is not None else []
        speaker_spans = list(actor_spans)
        anchor = q.cue_start if q.cue_start is not None else q.start
        found = speaker_text_span(doc.body, q.speaker_text, anchor)
        if found is not None:
            speaker_spans.append(map_range(mapping, *found))
        cue_span = map_range(mapping, q.cue_start, q.cue_start + len(q.cue)) if q.cue and q.cue_start is not None else None
        quotes.append(PredictedQuote(q.kind, [map_range(mapping, g.start, g.end) for g in q.segments], speaker_spans,
                                     actor is not None, q.speaker_text, q.cue, cue_span, actor_spans,
                                     actor.name if actor is not None else None))
    return quotes


@dataclass
class Scores:
    direct: PRF = field(default_factory=PRF)
    all: PRF = field(default_factory=PRF)
    indirect_precision: PRF = field(default_factory=PRF)
    speaker_ok: int = 0
    speaker_ok_literal: int = 0       # against the Source span as annotated, without the two repairs
    speaker_ok_resolved: int = 0      # the speaker actor itself is at the gold source (issue 12's measure)
    speaker_total: int = 0
    speaker_resolved: int = 0
    direct_on_nondirect: int = 0
    failures: int = 0
    # boundary classes (counts only, so printed for both halves): direct predictions unmatched
    # under the rule that overlap a gold content lying around them, inside them, or across them
    direct_inside_gold: int = 0
    direct_around_gold: int = 0
    direct_across_gold: int = 0
    # of those inside: why the gold content is longer (`inside_class`, counts only)
    inside_by_class: Counter = field(default_factory=Counter)

    def add(self, other: "Scores") -> None:
        for name, value in vars(other).items():
            if isinstance(value, PRF):
                getattr(self, name).add(value)
            elif isinstance(value, Counter):
                getattr(self, name).update(value)
            else:
                setattr(self, name, getattr(self, name) + value)


def strict_matches(pred: Sequence[Sequence[Range]], gold: Sequence[Sequence[Range]]) -> list[int | None]:
    """`best_matches` under the strict rule: a prediction and a gold content match only when
    they share at least half of the longer of the two (a quote cut in two by its cue, or
    stopped at a paragraph break, matches with at most one piece, if any)."""
    matches = best_matches(pred, gold)
    out: list[int | None] = []
    for p, j in zip(pred, matches):
        if j is not None and 2 * overlap(p, gold[j]) < max(length(p), length(gold[j])):
            candidates = [k for k, g in enumerate(gold) if 2 * overlap(p, g) >= max(length(p), length(g))]
            j = candidates[0] if candidates else None
        out.append(j)
    return out


RULES = {"overlap": best_matches, "strict": strict_matches}


def score_article(gold: Sequence[GoldAttribution], predicted: Sequence[PredictedQuote],
                  raw: str = "", rule: str = "overlap") -> tuple[Scores, dict[str, list]]:
    """Scores of one article and its errors (missed gold, spurious predictions, wrong speakers);
    `rule` is how a quote matches a gold content ("overlap" or "strict", see RULES)."""
    scores = Scores()
    match = RULES[rule]
    gold_spans = [g.content for g in gold]
    best = match([p.span for p in predicted], gold_spans)
    direct = [i for i, p in enumerate(predicted) if p.kind == "direct"]
    direct_gold = [j for j, g in enumerate(gold) if g.direct]
    direct_hits = [best[i] for i in direct if best[i] is not None]
    found_direct = {j for i in direct for j in [best_direct(predicted[i], gold, direct_gold, match)] if j is not None}
    scores.direct = PRF(len(direct_hits), len(direct), len(found_direct), len(direct_gold))
    scores.direct_on_nondirect = sum(1 for j in direct_hits if not gold[j].direct)
    found = {j for j in best if j is not None} | found_direct
    scores.all = PRF(sum(1 for j in best if j is not None), len(predicted), len(found), len(gold))
    indirect = [i for i, p in enumerate(predicted) if p.kind != "direct"]
    scores.indirect_precision = PRF(sum(1 for i in indirect if best[i] is not None), len(indirect), 0, 0)
    for i in direct:
        if best[i] is not None:
            continue
        touched = [g.content for g in gold if overlap(predicted[i].span, g.content) > 0]
        if not touched:
            continue
        g = max(touched, key=lambda content: overlap(predicted[i].span, content))
        shared = overlap(predicted[i].span, g)
        if shared == length(predicted[i].span):
            scores.direct_inside_gold += 1
            scores.inside_by_class[inside_class(raw, predicted[i], g)] += 1
        elif shared == length(g):
            scores.direct_around_gold += 1
        else:
            scores.direct_across_gold += 1
    errors: dict[str, list] = {
        "missed": [gold[j] for j in range(len(gold)) if j not in found],
        "spurious": [predicted[i] for i in range(len(predicted)) if best[i] is None],
        "speaker": [],
        "resolved": [],
    }
    for i, j in enumerate(best):
        if j is None or gold[j].source is None:
            continue
        scores.speaker_total += 1
        scores.speaker_resolved += predicted[i].resolved
        scores.speaker_ok_literal += overlap(predicted[i].speaker_spans, gold[j].source) > 0
        if resolved_speaker_right(predicted[i], gold[j], raw):
            scores.speaker_ok_resolved += 1
        else:
            errors["resolved"].append((predicted[i], gold[j]))
        if speaker_right(predicted[i], gold[j], raw):
            scores.speaker_ok += 1
        else:
            errors["speaker"].append((predicted[i], gold[j]))
    return scores, errors


INSIDE_CLASSES = ("gold crosses a paragraph break", "gold in several ranges (a cue between)",
                  "prediction opens in lower case (woven)", "other")


def inside_class(raw: str, quote: PredictedQuote, gold: Sequence[Range]) -> str:
    """Why a direct prediction lies inside a longer gold content, the first that holds: the gold
    content crosses a paragraph break the prediction does not; it is in several ranges (a cue
    interrupts it); the prediction opens in lower case (a fragment woven into a report); other."""
    first, last = gold[0][0], gold[-1][1]
    if "\n" in raw[first:last] and not "\n" in raw[quote.span[0][0]:quote.span[-1][1]]:
        return INSIDE_CLASSES[0]
    if len(gold) > len(quote.span):
        return INSIDE_CLASSES[1]
    if raw[quote.span[0][0]:quote.span[0][1]].lstrip(" “\"'")[:1].islower():
        return INSIDE_CLASSES[2]
    return INSIDE_CLASSES[3]


def speaker_right(quote: PredictedQuote, gold: GoldAttribution, raw: str) -> bool:
    """Whether the predicted speaker is at the gold source: overlaps the Source span; or, for a
    relative-pronoun source, is the whole noun phrase before it (ends there and is no
    preposition's object: "Democrats on Capitol Hill, who" is not "Capitol Hill"); or overlaps
    the gold Cue span when the Source span is the predicted cue word (the annotators swapped the
    two labels in some inverted "said X")."""
    if overlap(quote.speaker_spans, gold.source or []) > 0:
        return True
    if gold.antecedent and any(overlap([span], gold.antecedent) > 0 and not after_preposition(raw, span[0])
                               for span in quote.speaker_spans):
        return True
    swapped = quote.cue_span is not None and gold.cue and overlap([quote.cue_span], gold.source or []) > 0
    return bool(swapped and overlap(quote.speaker_spans, gold.cue) > 0)


FUNCTION_WORDS = frozenset("""
the and for with from into that this these those his her its their our your who whom which what
was were are has have had not but also said says told according
""".split())


def content_words(text: str) -> set[str]:
    """The words of `text` of three letters or more that are not function words, lower-cased."""
    return {w for w in re.findall(r"[^\W\d_]{3,}", text.lower()) if w not in FUNCTION_WORDS}


def resolved_speaker_right(quote: PredictedQuote, gold: GoldAttribution, raw: str) -> bool:
    """Issue 12's measure, the analyst's: the quote's speaker is an actor, and that actor is at
    the gold source: one of its mentions overlaps the Source span (with the two repairs of
    `speaker_right`), or its name shares a word (3+ letters, not a function word) with the
    Source text. A speaker left as the word "he" or "officials" is never right."""
    if not quote.resolved:
        return False
    as_actor = PredictedQuote(quote.kind, quote.span, quote.actor_spans, True, None, quote.cue, quote.cue_span)
    if speaker_right(as_actor, gold, raw):
        return True
    source_text = text_of(raw, gold.source) if gold.source else ""
    return bool(content_words(quote.actor_name or "") & content_words(source_text))


def after_preposition(raw: str, start: int) -> bool:
    words = raw[max(0, start - 20):start].split()
    return bool(words) and words[-1].lower() in PREPOSITIONS


def best_direct(quote: PredictedQuote, gold: Sequence[GoldAttribution], direct_gold: Sequence[int],
                match=best_matches) -> int | None:
    """The direct gold attribution a predicted quote overlaps most, if any."""
    (choice,) = match([quote.span], [gold[j].content for j in direct_gold])
    return direct_gold[choice] if choice is not None else None


PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "who", "that", "which", "this"}


def speaker_cause(raw: str, quote: PredictedQuote, gold: GoldAttribution) -> str:
    """A coarse cause of a wrong speaker."""
    gold_source = text_of(raw, gold.source).strip().lower()
    said = (quote.speaker_text or "").strip().lower()
    if not quote.speaker_text:
        return "no speaker found"
    if said in PRONOUNS:
        return "speaker is a pronoun or relative word left as such, not at the gold source"
    if gold_source in PRONOUNS:
        return "gold source is a pronoun; predicted a named speaker (unverifiable)"
    if quote.kind == "direct" and quote.cue is None:
        return "quote without a cue of its own: speaker carried over wrongly"
    return "another speaker named in the sentence"


def text_of(raw: str, ranges: Sequence[Range] | None) -> str:
    return " … ".join(raw[s:e] for s, e in ranges or []) or "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print N examples of each kind of error (tune half only)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = parser.parse_args()
    from newsledger.model import Document
    from newsledger.settings import Settings

    articles = load_articles()
    if args.limit:
        articles = articles[: args.limit]
    settings = Settings.load()
    start = time.perf_counter()
    results = run_texts(((a.name, a.text, a.published) for a in articles), settings)
    seconds = time.perf_counter() - start
    totals = {(h, rule): Scores() for h in (*HALVES, "all") for rule in RULES}
    examples: dict[str, list[tuple[Article, Any]]] = {"missed": [], "spurious": [], "speaker": [], "resolved": []}
    cue_misses: Counter = Counter()
    speaker_causes: Counter = Counter()
    for article, doc in zip(articles, results):
        predicted = predicted_quotes(doc, article.text) if isinstance(doc, Document) else []
        part = half(article.name)
        errors = {}
        for rule in RULES:
            scores, errors[rule] = score_article(article.attributions, predicted, article.text, rule)
            scores.failures = int(not isinstance(doc, Document))
            totals[part, rule].add(scores)
            totals["all", rule].add(scores)
        if part == "tune":                    # errors are studied on the tune half only
            strict, by_overlap = errors["strict"], errors["overlap"]
            for g in strict["missed"]:
                cue_misses[text_of(article.text, g.cue).lower()] += 1
            for pred, gold in strict["speaker"]:
                speaker_causes[speaker_cause(article.text, pred, gold)] += 1
            for kind in ("missed", "spurious"):
                examples[kind] += [(article, item) for item in strict[kind]]
            examples["speaker"] += [(article, item) for item in by_overlap["speaker"]]
            examples["resolved"] += [(article, item) for item in by_overlap["resolved"]]
    columns = (*HALVES, "all")
    rows = []
    for rule in ("strict", "overlap"):
        for name, label in (("direct", "direct quotes"), ("all", "all attributions")):
            for measure in ("precision", "recall", "f1"):
                rows.append((f"{label} {measure} ({rule})",
                             *(getattr(getattr(totals[h, rule], name), measure) for h in columns)))
    for label, field_name in (("speaker accuracy, PolNeAR way", "speaker_ok"),
                              ("resolved speaker accuracy", "speaker_ok_resolved"),
                              ("speaker accuracy, Source as annotated", "speaker_ok_literal"),
                              ("speaker is an actor", "speaker_resolved")):
        rows.append((label, *(ratio(getattr(totals[h, "overlap"], field_name), totals[h, "overlap"].speaker_total)
                              for h in columns)))
    for label, field_name in (("direct unmatched (strict), inside a gold content", "direct_inside_gold"),
                              ("direct unmatched (strict), around a gold content", "direct_around_gold"),
                              ("direct unmatched (strict), across a gold content", "direct_across_gold")):
        rows.append((label, *(getattr(totals[h, "strict"], field_name) for h in columns)))
    for name in INSIDE_CLASSES:
        rows.append((f"  inside: {name}", *(totals[h, "strict"].inside_by_class[name] for h in columns)))
    rows.append(("matched quotes with a gold source", *(totals[h, "overlap"].speaker_total for h in columns)))
    rows.append(("articles", *(sum(1 for a in articles if half(a.name) == h) if h != "all" else len(articles)
                               for h in columns)))
    rows.append(("pipeline failures", *(totals[h, "overlap"].failures for h in columns)))
    print_table(("measure", *columns), rows)
    print(f"(strict: a quote matches a gold content covering at least half of the longer of the two; overlap: one "
          f"shared character. Speaker figures over quotes paired under the overlap rule. {seconds:.1f} s)")
    print()
    print_table(("cue of missed gold attributions (tune, strict)", "n"), cue_misses.most_common(15))
    print()
    print_table(("wrong speaker cause (tune)", "n"), speaker_causes.most_common())
    if args.errors:
        for kind in ("missed", "spurious", "speaker", "resolved"):
            print(f"\n=== {kind} (tune)")
            for article, item in examples[kind][: args.errors]:
                if kind == "missed":
                    print(f"- [{article.name}] {'direct' if item.direct else 'other'} cue={text_of(article.text, item.cue)!r} "
                          f"source={text_of(article.text, item.source)!r}\n    {shorten(text_of(article.text, item.content), 240)}")
                elif kind == "spurious":
                    print(f"- [{article.name}] {item.kind} cue={item.cue!r} speaker={item.speaker_text!r}\n"
                          f"    {shorten(text_of(article.text, item.span), 240)}")
                else:
                    pred, gold = item
                    print(f"- [{article.name}] {pred.kind} cue={pred.cue!r} predicted speaker={pred.speaker_text!r} "
                          f"actor={pred.actor_name!r} gold source={text_of(article.text, gold.source)!r}\n"
                          f"    {shorten(text_of(article.text, gold.content), 200)}")
    print()
    check, check_overlap = totals["check", "strict"], totals["check", "overlap"]
    print(f"PolNeAR dev, check half: direct-quote F1 strict {check.direct.f1:.3f}, all-attribution F1 strict "
          f"{check.all.f1:.3f}, resolved speaker accuracy "
          f"{ratio(check_overlap.speaker_ok_resolved, check_overlap.speaker_total):.3f}, speaker accuracy "
          f"{ratio(check_overlap.speaker_ok, check_overlap.speaker_total):.3f}")


if __name__ == "__main__":
    main()
