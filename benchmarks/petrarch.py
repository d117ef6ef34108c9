"""Events on PETRARCH2's validation suite (../shared/eval/petrarch2-unittest/).

    python benchmarks/petrarch.py [--errors N] [--limit N] [--keep-actor-file PATH]

The sentences are split in two halves by the SHA-256 of their id (`evalkit.half`): the
measures are printed for the tune half (whose errors `--errors` prints) and for the check
half (the targets are read there; only aggregates), with the tune-check gap.

Data: PETR.UnitTest.records.xml holds 284 sentences (mostly stylised, about Arnor, Gondor,
Mordor ...), each with a date and zero or more gold <EventCoding sourcecode targetcode
eventcode> records: one per source-target dyad, CAMEO event codes and CAMEO actor codes,
coded by PETRARCH with the suite's small dictionaries (PETR.Validate.*.txt).

How it is run, as PETRARCH codes it:
- Actors: PETR.Validate.actors.txt and PETR.Validate.agents.txt are converted into one
  newsledger user actor file (YAML, the format `newsledger.actordict.read_entries` reads) in a
  temporary directory, passed with `Settings.load(actor_files=(path,))`; the packaged
  dictionary stays loaded beside it. Conversion rules:
  * a phrase's words joined by "_" or " " become one name, title-cased (words of up to three
    letters or with dots, like "IMF" or "U.S.", stay in capitals); "+" lines are aliases;
  * PETRARCH treats the last word of a phrase without a trailing "_" as a stem ("ARGENTIN"
    matches "Argentina"): the stem is expanded into the capitalised words of the suite's
    sentences that begin with it and are at most four letters longer;
  * the code's first three characters are the country, the next three the sector when it
    is a PLOVER sector ("PSEREBHMS" -> PSE, REB); codes with a date restriction
    ("[HOBGOV 19950601 - 19990815]", "<950601", ">990816") become dated periods;
    of "ELR/GAL" (several actors) only the first is kept;
  * newsledger accepts only ISO 3166 alpha-3 codes (and IGO/NGO/UNO/MNC), so each invented
    country (ARN, GON, MOR, ...) is written as a stand-in ISO code of a small territory that
    no sentence names, and read back to the invented code when scoring;
  * agents ("PRESIDENT [~GOV]", "POLICE [~COP]") become entries with no country and the
    agent's sector (NGO for "[NGO~]"), as newsledger's generic institutions are;
  * a name the packaged dictionary already resolves is left to it when it gives the same
    country (all agents), and otherwise replaces that packaged entry (same id).
  Kinds: an actor with a bare three-letter code is a state, one with a sector an
  organisation (the dictionary does not say which are people).
- Verbs: PETR.Validate.verbs.txt is passed as the user verb dictionary
  (`Settings.verb_pattern_files`, the CLI's --verbs), so it alone decides which verbs are
  events (newsledger/stages/events/verbpatterns.py), and CAMEO2PLOVER-2021.txt as the CAMEO -> PLOVER
  mapping (`Settings.cameo_map_file`, --cameo-map), read from ../shared at run time.
- Each sentence is one document (its lines joined), published on the record's date,
  through `newsledger.pipeline.process`; `min_body_chars` is lowered to 1.
- The seven ERROR records (tests of PETRARCH's handling of broken parse trees) are left out;
  "noevents" records count with no gold event.

Scoring (per sentence, then summed):
- Gold events: every coding whose CAMEO code maps to a PLOVER type with CAMEO2PLOVER-2021.txt
  (exact code, else its 3-digit, else 2-digit prefix); codings in categories PLOVER dropped
  (01 statements, 02 appeals) or with PETRARCH's test-only codes (9xx, 3xx) are left out and
  counted.
- Country of a gold actor: the first three characters of its code ("USAGOV" -> USA,
  "IGOUNO" -> IGO, "PAK" -> PAK); "---GOV" and quoted new actors ('"INJURY TOLL"') have no
  country ("---"). A predicted actor's country is `Actor.country` read back through the
  stand-in codes; an actor without one is "---"; a side with no actor is "(none)".
- Each predicted event gives one (type, source country, target country) triple per source x
  target pair, as CAMEO codes dyads. Gold and predicted triples are sets per sentence; a true
  positive is a triple in both. Precision = TP / predicted triples, recall = TP / gold
  triples, F1 their harmonic mean. A type-only variant (sets of types per sentence) is
  printed for diagnosis.
"""
from __future__ import annotations

import argparse
import re
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

from evalkit import EVAL_DIR, HALVES, NO_COUNTRY, PRF, cameo_country, dyads, half, print_table, require, run_texts, shorten
from newsledger.cameomap import PloverCoding, cameo_map, plover_of

DATA_DIR = EVAL_DIR / "petrarch2-unittest"
RECORDS_FILE = DATA_DIR / "PETR.UnitTest.records.xml"
ACTORS_FILE = DATA_DIR / "PETR.Validate.actors.txt"
AGENTS_FILE = DATA_DIR / "PETR.Validate.agents.txt"
VERBS_FILE = DATA_DIR / "PETR.Validate.verbs.txt"
CAMEO_PLOVER_FILE = EVAL_DIR / "plover-gsr" / "CAMEO2PLOVER-2021.txt"
SKIPPED_CATEGORIES = {"ERROR"}
MAX_STEM_EXTENSION = 4
# ISO codes of small territories used as stand-ins for the suite's invented countries.
STAND_IN_CODES = (
    "ATF", "BVT", "HMD", "UMI", "SGS", "IOT", "CCK", "CXR", "NFK", "PCN", "TKL", "WLF", "SJM",
    "ALA", "SPM", "MYT", "NIU", "COK", "ASM", "MNP", "GUM", "VGB", "VIR", "AIA", "MSR", "TCA",
    "FLK", "SHN", "NRU", "TUV", "PLW", "MHL", "FSM", "KIR", "BLM", "MAF", "SXM", "CUW", "ABW",
    "GGY", "JEY", "IMN", "BES", "REU", "GLP", "MTQ", "GUF", "PYF", "NCL", "BMU", "CYM", "GIB",
)
CODE_BLOCK_RE = re.compile(r"\[([^\]]*)\]")
STEM_WORD_RE = re.compile(r"(?<![\w'’])[A-Z][\w-]*(?![\w'’])")


# --------------------------------------------------------------------------- gold records

@dataclass
class GoldSentence:
    id: str
    category: str
    text: str
    published: date | None
    codings: list[tuple[str, str, str]]      # (source code, target code, CAMEO event code)


def parse_yyyymmdd(value: str | None) -> date | None:
    value = (value or "").strip()
    if not re.fullmatch(r"\d{8}", value):
        return None
    return date(int(value[:4]), int(value[4:6]), int(value[6:]))


def parse_records(xml_text: str) -> list[GoldSentence]:
    """The sentences of a PETRARCH validation file with their gold codings (error and
    noevents codings carry no code and give no coding)."""
    root = ElementTree.fromstring(xml_text)
    sentences = []
    for node in root.iter("Sentence"):
        codings = []
        for coding in node.findall("EventCoding"):
            code = coding.get("eventcode")
            if code:
                codings.append((coding.get("sourcecode") or "", coding.get("targetcode") or "", code.strip()))
        text = " ".join((node.findtext("Text") or "").split())
        sentences.append(GoldSentence(node.get("id", ""), node.get("category", ""), text,
                                      parse_yyyymmdd(node.get("date")), codings))
    return sentences


# --------------------------------------------------------------------------- dictionaries

@dataclass
class DatedCode:
    code: str
    start: date | None = None
    end: date | None = None


@dataclass
class DictActor:
    names: list[str]                         # as written, "_" kept
    codes: list[DatedCode] = field(default_factory=list)
    agent: bool = False


def strip_comments(text: str) -> str:
    """Dictionary text without <!-- --> blocks (also the "<! --" variant) and # comments."""
    text = re.sub(r"<!\s*--.*?-->", "", text, flags=re.S)
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def short_date(value: str) -> date:
    """A PETRARCH date: YYYYMMDD, or YYMMDD of the 1900s."""
    if len(value) == 6:
        value = "19" + value
    return parse_yyyymmdd(value) or date.min


def parse_code_block(content: str) -> DatedCode | None:
    """"HOBGOV 19950601 - 19990815", "HOB < 950601", "HOBREB >990816", "~GOV" -> DatedCode."""
    content = content.strip()
    if not content:
        return None
    code, _, restriction = content.partition(" ")
    restriction = restriction.replace(" ", "")
    code = code.split("/", 1)[0].upper()
    if m := re.fullmatch(r"<(\d{6,8})", restriction):
        return DatedCode(code, end=short_date(m.group(1)) - timedelta(days=1))
    if m := re.fullmatch(r">(\d{6,8})", restriction):
        return DatedCode(code, start=short_date(m.group(1)))
    if m := re.fullmatch(r"(\d{6,8})-(\d{6,8})", restriction):
        return DatedCode(code, start=short_date(m.group(1)), end=short_date(m.group(2)))
    return DatedCode(code)


def parse_actor_dictionary(text: str) -> list[DictActor]:
    """Entries of a PETRARCH actor dictionary: a phrase line (codes in [] on it or on the
    following indented lines) and "+" synonym lines."""
    actors: list[DictActor] = []
    current: DictActor | None = None
    for line in strip_comments(text).splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("+"):
            if current is not None:
                name = CODE_BLOCK_RE.sub("", stripped[1:]).strip()
                if name:
                    current.names.append(name)
            continue
        blocks = [b for b in (parse_code_block(c) for c in CODE_BLOCK_RE.findall(stripped)) if b]
        name = CODE_BLOCK_RE.sub("", stripped).strip()
        if name and not line[:1].isspace():
            current = DictActor([name])
            actors.append(current)
        if current is not None:
            current.codes.extend(blocks)
    return [a for a in actors if a.codes]


def parse_agent_dictionary(text: str) -> list[DictActor]:
    """Entries of a PETRARCH agent dictionary: "PHRASE {PLURALS} [~CODE]" lines; "!X! = A, B"
    lines define substitutions used inside phrases; "{}" asks for a regular plural."""
    macros: dict[str, list[str]] = {}
    agents = []
    for line in strip_comments(text).splitlines():
        stripped = line.strip()
        if m := re.fullmatch(r"(![A-Z]+!)\s*=\s*(.+)", stripped):
            macros[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        blocks = CODE_BLOCK_RE.findall(stripped)
        if not blocks:
            continue
        head = CODE_BLOCK_RE.sub("", stripped)
        plural_match = re.search(r"\{([^}]*)\}", head)
        phrase = re.sub(r"\{[^}]*\}", "", head).strip()
        if not phrase:
            continue
        names = expand_macros(phrase, macros)
        if plural_match is not None:
            plurals = [p.strip() for p in plural_match.group(1).split() if p.strip()]
            names += plurals or [n + "S" for n in names]
        code = blocks[0].strip().replace(" ", "")
        agents.append(DictActor(names, [DatedCode(code)], agent=True))
    return agents


def expand_macros(phrase: str, macros: dict[str, list[str]]) -> list[str]:
    """Every phrase a substitution marker stands for ("CONGRESS!PERSON!" -> CONGRESSMAN, ...)."""
    for marker, words in macros.items():
        if marker in phrase:
            return [n for w in words for n in expand_macros(phrase.replace(marker, w), macros)]
    return [phrase]


def display_name(phrase: str) -> str:
    """A dictionary phrase as text: "_" and blanks to single spaces, trailing "_" dropped,
    words title-cased except short codes and dotted abbreviations."""
    words = [w for w in re.split(r"[_\s]+", phrase.strip().strip("_")) if w]
    return " ".join(w.upper() if len(w) <= 3 or "." in w else w[0].upper() + w[1:].lower() for w in words)


def title_variant(phrase: str) -> str:
    """The phrase with every word title-cased ("ENT" -> "Ent"): PETRARCH ignores case, while
    newsledger reads a short all-capital name as a code word matched only in capitals."""
    return " ".join(w[0].upper() + w[1:].lower() for w in display_name(phrase).split())


def stem_expansions(phrase: str, vocabulary: Iterable[str]) -> list[str]:
    """Names a stemmed phrase matches in the corpus: its last word replaced by capitalised
    corpus words that begin with it and are at most MAX_STEM_EXTENSION letters longer.
    A phrase ending in "_" is not a stem."""
    if phrase.rstrip().endswith("_"):
        return []
    name = display_name(phrase)
    head, _, last = name.rpartition(" ")
    if len(last) < 3:
        return []
    found = sorted({w for w in vocabulary
                    if w.lower().startswith(last.lower()) and 0 < len(w) - len(last) <= MAX_STEM_EXTENSION})
    return [f"{head} {w}".strip() for w in found]


def split_code(code: str, sectors: Iterable[str] = ()) -> tuple[str | None, str | None]:
    """(country part, sector) of a CAMEO actor code: the first three characters, and the first
    later three-letter group that is one of `sectors` ("PSEHMSGOV" -> PSE, GOV). "~GOV" (an
    agent) has no country, "NGO~" is NGO; a country of "---" or "+++" is none."""
    code = code.strip().upper()
    if code.startswith("~"):
        country, rest = None, code[1:]
    else:
        code = code.rstrip("~")
        country = code[:3] if len(code) >= 3 and code[:3].isalnum() else None
        rest = code[3:]
    allowed = set(sectors)
    groups = [rest[i:i + 3] for i in range(0, len(rest), 3)]
    return country, next((g for g in groups if g in allowed), None)


def stand_in_table(codes: Iterable[str], valid: frozenset[str], taken: Iterable[str]) -> dict[str, str]:
    """Invented country code -> an unused valid ISO code (see STAND_IN_CODES)."""
    free = [c for c in STAND_IN_CODES if c not in set(taken)]
    invented = sorted({c for c in codes if c and c not in valid})
    if len(invented) > len(free):
        raise SystemExit(f"{len(invented)} invented country codes but only {len(free)} stand-in codes")
    return dict(zip(invented, free))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def build_user_entries(actors: Sequence[DictActor], vocabulary: set[str], stand_in: dict[str, str],
                       sectors: frozenset[str], packaged: Any) -> list[dict[str, Any]]:
    """The user actor file's records (see the module docstring for the rules). `packaged` is
    the packaged ActorDictionary, to find names it already resolves."""
    records: list[dict[str, Any]] = []
    used_ids: set[str] = set()
    for actor in actors:
        names: list[str] = []
        for phrase in actor.names:
            for name in [display_name(phrase), *stem_expansions(phrase, vocabulary), title_variant(phrase)]:
                if name and name not in names:
                    names.append(name)
        if not names:
            continue
        default = next((c for c in actor.codes if c.start is None and c.end is None), actor.codes[-1])
        country, sector = code_fields(default.code, stand_in, sectors)
        periods = []
        for dated in actor.codes:
            if dated is default or (dated.start is None and dated.end is None):
                continue
            p_country, p_sector = code_fields(dated.code, stand_in, sectors)
            periods.append({"start": dated.start.isoformat() if dated.start else None,
                            "end": dated.end.isoformat() if dated.end else None,
                            "country": p_country, "sector": p_sector})
        known = packaged.lookup(names[0], None, fuzzy=False, metonyms=False)
        if known is not None:
            if actor.agent or known.country == country:
                continue
            entry_id = known.entry.id
        else:
            entry_id = f"petr-{slug(names[0])}"
        while entry_id in used_ids:
            entry_id += "-x"
        used_ids.add(entry_id)
        kind = "state" if len(default.code) == 3 and not actor.agent else "organisation"
        records.append({"id": entry_id, "name": names[0], "kind": kind, "country": country,
                        "sector": sector, "aliases": names[1:], "periods": periods})
    return records


def code_fields(code: str, stand_in: dict[str, str], sectors: frozenset[str]) -> tuple[str | None, str | None]:
    """(newsledger country, sector) of a dictionary code: stand-ins for invented countries."""
    country, sector = split_code(code, sectors)
    if country is not None:
        country = stand_in.get(country, country)
    return country, sector


def write_actor_file(sentences: Sequence[GoldSentence], directory: Path, agents: bool = True) -> tuple[Path, dict[str, str]]:
    """Convert the suite's actor (and, with `agents`, agent) dictionaries into `directory`/petrarch_actors.yaml;
    returns the file and the stand-in -> invented code table for reading countries back."""
    import pycountry

    from newsledger.actordict import SECTORS, SPECIAL_COUNTRIES, default_dictionary

    actors = parse_actor_dictionary(require(ACTORS_FILE).read_text("utf-8", errors="replace"))
    agent_text = require(AGENTS_FILE).read_text("utf-8", errors="replace") if agents else ""
    agent_entries = parse_agent_dictionary(agent_text)
    valid = frozenset(c.alpha_3 for c in pycountry.countries) | SPECIAL_COUNTRIES
    dictionary_codes = [split_code(c.code)[0] for a in actors + agent_entries for c in a.codes]
    gold_codes = [cameo_country(code) for s in sentences for src, tgt, _ in s.codings for code in (src, tgt)]
    stand_in = stand_in_table((c for c in dictionary_codes if c), valid, [*dictionary_codes, *gold_codes])
    vocabulary = {w for s in sentences for w in STEM_WORD_RE.findall(s.text)}
    records = build_user_entries(actors + agent_entries, vocabulary, stand_in, SECTORS, default_dictionary(()))
    for record in records:             # keep the file small and valid: no empty lists or nulls
        for key in ("aliases", "periods"):
            if not record[key]:
                del record[key]
        for period in record.get("periods", []):
            for key in [k for k, v in period.items() if v is None]:
                del period[key]
    path = directory / "petrarch_actors.yaml"
    path.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True), "utf-8")
    return path, {v: k for k, v in stand_in.items()}


# --------------------------------------------------------------------------- scoring

def gold_triples(sentence: GoldSentence, table: dict[str, PloverCoding]) -> tuple[set[tuple[str, str, str]], int]:
    """The sentence's gold (type, source country, target country) triples and how many
    codings were left out for having no PLOVER type."""
    triples = set()
    dropped = 0
    for source, target, code in sentence.codings:
        coding = plover_of(code, table) if code else None
        if coding is None:
            dropped += 1
            continue
        triples.add((coding.type, cameo_country(source), cameo_country(target)))
    return triples, dropped


def predicted_triples(doc: Any, read_back: dict[str, str]) -> set[tuple[str, str, str]]:
    actors = {a.id: a for a in doc.actors or []}

    def country(actor_id: str) -> str:
        actor = actors.get(actor_id)
        if actor is None or not actor.country:
            return NO_COUNTRY
        return read_back.get(actor.country, actor.country)
    triples: set[tuple[str, str, str]] = set()
    for event in doc.events or []:
        triples |= dyads(event.type, [country(a) for a in event.source], [country(a) for a in event.target])
    return triples


def score_sentence(gold: set[tuple[str, str, str]], predicted: set[tuple[str, str, str]]) -> PRF:
    tp = len(gold & predicted)
    return PRF(tp, len(predicted), tp, len(gold))


def type_score(gold: set[tuple[str, str, str]], predicted: set[tuple[str, str, str]]) -> PRF:
    g, p = {t for t, _, _ in gold}, {t for t, _, _ in predicted}
    return PRF(len(g & p), len(p), len(g & p), len(g))


def miss_cause(gold: set[tuple[str, str, str]], predicted: set[tuple[str, str, str]]) -> list[str]:
    """Coarse causes for each gold triple not predicted."""
    causes = []
    for g_type, g_src, g_tgt in gold - predicted:
        same_type = [p for p in predicted if p[0] == g_type]
        if not predicted:
            causes.append("no event in the sentence")
        elif not same_type:
            causes.append(f"type: {g_type} not predicted")
        elif not any(p[1] == g_src for p in same_type):
            causes.append("source country wrong or missing")
        else:
            causes.append("target country wrong or missing")
    return causes


def format_triples(triples: Iterable[tuple[str, str, str]]) -> str:
    return ", ".join(f"{t}({s}->{g})" for t, s, g in sorted(triples)) or "none"


def evaluate(sentences: Sequence[GoldSentence], results: Sequence[Any], table: dict[str, PloverCoding],
             read_back: dict[str, str], show_errors: int) -> dict[str, Any]:
    from newsledger.model import Document

    triples, types = PRF(), PRF()
    causes: Counter = Counter()
    dropped = failures = 0
    shown = 0
    for sentence, doc in zip(sentences, results):
        gold, left_out = gold_triples(sentence, table)
        dropped += left_out
        if not isinstance(doc, Document):
            failures += 1
            print(f"pipeline failure on {sentence.id}: {doc.code} {doc.message}")
            predicted: set[tuple[str, str, str]] = set()
        else:
            predicted = predicted_triples(doc, read_back)
        triples.add(score_sentence(gold, predicted))
        types.add(type_score(gold, predicted))
        causes.update(miss_cause(gold, predicted))
        causes.update("spurious " + ("type" if t not in {g[0] for g in gold} else "actor") for t, _, _ in predicted - gold)
        if gold != predicted and shown < show_errors:
            shown += 1
            print(f"--- {sentence.id} [{sentence.category}]: {shorten(sentence.text, 400)}")
            print(f"    gold: {format_triples(gold)}")
            print(f"    pred: {format_triples(predicted)}")
    return {"triples": triples, "types": types, "causes": causes, "dropped": dropped, "failures": failures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print N sentences with a wrong coding")
    parser.add_argument("--limit", type=int, default=0, help="only the first N sentences")
    parser.add_argument("--keep-actor-file", type=Path, help="also write the converted actor file here")
    parser.add_argument("--no-agents", action="store_true", help="convert the actor dictionary only, not the agents")
    args = parser.parse_args()
    from newsledger.settings import Settings

    sentences = [s for s in parse_records(require(RECORDS_FILE).read_text("utf-8"))
                 if s.category not in SKIPPED_CATEGORIES]
    if args.limit:
        sentences = sentences[: args.limit]
    table = cameo_map(str(require(CAMEO_PLOVER_FILE)))
    with tempfile.TemporaryDirectory(prefix="newsledger-petrarch-") as tmp:
        actor_file, read_back = write_actor_file(sentences, Path(tmp), agents=not args.no_agents)
        if args.keep_actor_file:
            args.keep_actor_file.write_text(actor_file.read_text("utf-8"), "utf-8")
        settings = Settings.load(min_body_chars=1, actor_files=(str(actor_file),),
                                 verb_pattern_files=(str(require(VERBS_FILE)),),
                                 cameo_map_file=str(CAMEO_PLOVER_FILE))
        start = time.perf_counter()
        results = run_texts(((s.id, s.text, s.published) for s in sentences), settings)
        seconds = time.perf_counter() - start
    f1: dict[str, float] = {}
    for name in HALVES:
        pairs = [(s, doc) for s, doc in zip(sentences, results) if half(s.id) == name]
        out = evaluate([s for s, _ in pairs], [doc for _, doc in pairs], table, read_back,
                       args.errors if name == "tune" else 0)
        t, ty = out["triples"], out["types"]
        print()
        print(f"== {name} half ({len(pairs)} sentences) ==")
        print_table(("measure", "tp", "predicted", "gold", "precision", "recall", "F1"), [
            ("events (type, source, target)", t.pred_correct, t.pred_total, t.gold_total, t.precision, t.recall, t.f1),
            ("types only (diagnostic)", ty.pred_correct, ty.pred_total, ty.gold_total, ty.precision, ty.recall, ty.f1),
        ])
        print(f"(gold codings without a PLOVER type, left out: {out['dropped']}; pipeline failures: {out['failures']})")
        print()
        print_table(("error cause (per triple)", "n"), out["causes"].most_common())
        print()
        print(f"PETRARCH suite {name}: event precision {t.precision:.3f}, recall {t.recall:.3f}, F1 {t.f1:.3f}")
        f1[name] = t.f1
    print(f"({len(sentences)} sentences, {seconds:.1f} s)")
    print(f"PETRARCH suite gap (tune - check): F1 {f1['tune'] - f1['check']:+.3f}")

if __name__ == "__main__":
    main()
