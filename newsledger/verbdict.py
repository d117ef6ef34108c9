"""Reading a user's PETRARCH/TABARI verb dictionary (`--verbs FILE`, setting `verb_pattern_files`).

An analyst with existing CAMEO dictionaries can code events with them: this module reads the
file into a `VerbDictionary`; `newsledger.stages.events.verbpatterns` matches it on the parse.

Supported format (PETRARCH's verb dictionary, itself derived from TABARI's):
- comments: `<!-- ... -->` (may span lines) and `#` to the end of the line; blank lines.
- synsets: a line `&NAME` (a trailing `_` on the name is dropped) followed by `+phrase`
  lines; a phrase's words are separated by blanks or `_` and must be consecutive; a member
  may itself be `&OTHER` (nested synsets are expanded; a cycle is an error). A synset ends at
  a blank line. Plural forms are not generated: words are compared with the token's text and
  its lemma, which covers regular plurals.
- verb blocks: a header `--- NAME [CODE] ---` (the code defaults to the null code `---`),
  then verb lines and pattern lines. A verb line is `VERB {IRREGULAR FORMS} [CODE]`; forms and
  code are optional, the code defaults to the block's. A multi-word verb joins its words with
  `_` or blanks, and marks the verb word with `+` when it is not the first ("WIRE_+TAP",
  "+CORDON_OFF {+CORDONED_OFF}"). Regular forms (-S, -ED, -ING) are generated; a token also
  matches a verb by its lemma.
- patterns: `- WORDS * WORDS [CODE]`. `*` is the verb; `$` the source; `+` the target; `%` a
  compound actor ("% HAVE *": the coordinated actors act on each other); `^` skips one noun
  phrase; `&NAME` any phrase of a synset; words separated by a blank may have other words
  between them, words joined by `_` (also to `*`) must be adjacent. CODE is a CAMEO code,
  `---` (no event), or `SOURCE:TARGET` (the second code for the reverse event, "[032:033]").
Not supported: TABARI's stemmed words (`ARGENTIN`) and disjunctive sets `(A | B)`, the
`[ $ + 042 ]` form of codes, PETRARCH's agents and discards (actors come from the actor
dictionary, `--actors`), and issues.

Every problem raises NewsledgerError("E205", "FILE:LINE: reason") before any document is read.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from .errors import NewsledgerError

NULL_CODE = "---"
SLOTS = {"$": "source", "+": "target", "%": "compound", "^": "skip"}
HEADER_RE = re.compile(r"^---\s+(?P<body>.*?)\s*(?:---)?\s*$")  # a comment may eat the closing ---
CODE_RE = re.compile(r"\[([^\]]*)\]")
FORMS_RE = re.compile(r"\{([^}]*)\}")
NAME_RE = re.compile(r"^&([A-Z0-9_'-]+)$", re.I)


@dataclass(frozen=True)
class Element:
    """One item of a pattern: a word, a synset reference or a slot, and whether it must be
    adjacent to the item before it (joined by `_`)."""
    kind: str                           # word, synset, source, target, compound, skip
    value: str = ""                     # the word (upper case) or synset name
    adjacent: bool = False


@dataclass(frozen=True)
class Pattern:
    before: tuple[Element, ...]         # in text order, up to the verb
    after: tuple[Element, ...]          # in text order, after the verb
    code: str
    reverse_code: str | None
    line: int
    verb_adjacent_before: bool = False  # "IN_*": the last word before must touch the verb
    verb_adjacent_after: bool = False   # "*_OUT": the first word after must touch the verb

    @property
    def size(self) -> int:
        """How specific the pattern is: its number of items (the longest match wins)."""
        return len(self.before) + len(self.after)


@dataclass(frozen=True)
class Verb:
    """One verb of a block: its word forms, the words that must stand next to it, its code."""
    head: str                           # the base form, upper case ("BREAK")
    forms: frozenset[str]               # every surface form, upper case
    before: tuple[str, ...]             # words right before the verb ("WIRE" of WIRE_+TAP)
    after: tuple[str, ...]              # words right after it ("DOWN" of BREAK_DOWN)
    code: str
    reverse_code: str | None
    block: str
    line: int


@dataclass
class VerbDictionary:
    verbs: list[Verb] = field(default_factory=list)
    patterns: dict[str, list[Pattern]] = field(default_factory=dict)   # block name -> patterns
    synsets: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    @cached_property
    def _index(self) -> tuple[dict[str, list[Verb]], dict[str, list[Verb]]]:
        """Verbs by surface form and by base form, built on first lookup (after loading)."""
        by_form: dict[str, list[Verb]] = defaultdict(list)
        by_head: dict[str, list[Verb]] = defaultdict(list)
        for verb in self.verbs:
            by_head[verb.head].append(verb)
            for form in verb.forms:
                by_form[form].append(verb)
        return dict(by_form), dict(by_head)

    def candidates(self, text: str, lemma: str) -> list[Verb]:
        """Verbs a token may be, most specific first: multi-word verbs, then a verb whose
        forms hold the token's text, then one whose base form is its lemma."""
        by_form, by_head = self._index
        found = list(by_form.get(text.upper(), []))
        found += [v for v in by_head.get(lemma.upper(), []) if v not in found]
        return sorted(found, key=lambda v: -(len(v.before) + len(v.after)))


def _fail(where: str, problem: str) -> NewsledgerError:
    return NewsledgerError("E205", f"{where}: {problem}")


def strip_comments(text: str, label: str) -> list[str]:
    """The file's lines with comments blanked, line numbers kept."""
    out: list[str] = []
    in_comment_since = 0
    for number, line in enumerate(text.splitlines(), start=1):
        kept = ""
        while line:
            if in_comment_since:
                end = line.find("-->")
                if end < 0:
                    line = ""
                    continue
                line, in_comment_since = line[end + 3:], 0
                continue
            start = re.search(r"<!\s*--", line)
            hash_at = comment_hash(line)
            if start is not None and (hash_at < 0 or start.start() < hash_at):
                kept += line[:start.start()]
                line, in_comment_since = line[start.end():], number
                continue
            kept += line if hash_at < 0 else line[:hash_at]
            line = ""
        out.append(kept.rstrip())
    if in_comment_since:
        raise _fail(f"{label}:{in_comment_since}", "a <!-- comment is never closed with -->")
    return out


def comment_hash(line: str) -> int:
    """Where a # comment starts (-1: none); a # inside a [code] is part of the code."""
    depth = 0
    for at, char in enumerate(line):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "#" and depth <= 0:
            return at
    return -1


def split_codes(content: str, where: str) -> tuple[str, str | None]:
    """"111" -> ("111", None); "032:033" -> ("032", "033"); "---" stays the null code."""
    content = content.strip()
    if not content or " " in content:
        raise _fail(where, f"the code [{content}] is not a single code like [042] or [032:033]")
    first, _, second = content.partition(":")
    if not first or (_ and not second):
        raise _fail(where, f"the code [{content}] is not a single code like [042] or [032:033]")
    return first.upper(), (second.upper() or None)


def one_code(line: str, where: str) -> tuple[str, tuple[str, str | None] | None]:
    """The line without its [CODE] and the code, if any."""
    codes = CODE_RE.findall(line)
    if "[" in CODE_RE.sub("", line) or "]" in CODE_RE.sub("", line):
        raise _fail(where, "unbalanced [ ] around a code")
    rest = CODE_RE.sub(" ", line).strip()
    return rest, (split_codes(codes[0], where) if codes else None)


def phrase_words(phrase: str) -> list[str]:
    return [w for w in re.split(r"[\s_]+", phrase.strip().upper()) if w]


def regular_forms(word: str) -> set[str]:
    """The -s, -ed and -ing forms of a regular English verb, in the word's case ("AGREE" ->
    AGREES, AGREED, AGREEING; "plan" -> plans, planned, planning; "deny" -> denies, denied)."""
    base = word.lower()
    if base.endswith("e"):
        forms = {base + "s", base + "d", (base if base.endswith("ee") else base[:-1]) + "ing"}
    elif base.endswith("y") and len(base) > 1 and base[-2] not in "aeiou":
        forms = {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith(("s", "x", "z", "ch", "sh")):
        forms = {base + "es", base + "ed", base + "ing"}
    elif re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", base):   # one short syllable: plan -> planned
        forms = {base + "s", base + base[-1] + "ed", base + base[-1] + "ing"}
    else:
        forms = {base + "s", base + "ed", base + "ing"}
    forms.add(base)
    return {f.upper() for f in forms} if word.isupper() else forms


def verb_phrase(phrase: str, where: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """"WIRE_+TAP" -> ("TAP", ("WIRE",), ()); "+BREAK_DOWN" -> ("BREAK", (), ("DOWN",))."""
    words = phrase_words(phrase)
    marked = [n for n, w in enumerate(words) if w.startswith("+")]
    if len(marked) > 1:
        raise _fail(where, f"the verb phrase {phrase!r} marks more than one verb word with +")
    at = marked[0] if marked else 0
    words = [w.lstrip("+") for w in words]
    if not words or not all(words):
        raise _fail(where, f"the verb phrase {phrase!r} has no verb word")
    return words[at], tuple(words[:at]), tuple(words[at + 1:])


def parse_verb_line(line: str, block: str, block_code: tuple[str, str | None], where: str, number: int) -> list[Verb]:
    rest, code = one_code(line, where)
    code = code or block_code
    forms_text = FORMS_RE.findall(rest)
    phrase = FORMS_RE.sub(" ", rest).strip()
    if "{" in phrase or "}" in phrase:
        raise _fail(where, "unbalanced { } around irregular forms")
    head, before, after = verb_phrase(phrase, where)
    forms = regular_forms(head)
    verbs = []
    for text in forms_text:
        for form in text.split():
            f_head, f_before, f_after = verb_phrase(form, where)
            if (f_before, f_after) == (before, after):
                forms.add(f_head)
            else:
                verbs.append(Verb(head, frozenset({f_head}), f_before, f_after, code[0], code[1], block, number))
    return [Verb(head, frozenset(forms), before, after, code[0], code[1], block, number), *verbs]


def pattern_elements(tokens: list[str], where: str) -> list[Element]:
    """Elements of one side of a pattern. A part joined by "_" to the one before is adjacent
    to it; a trailing "_" joins the next item, and a final "end" element records that the
    side's last word is joined to the verb."""
    elements: list[Element] = []
    adjacent_next = False
    for token in tokens:
        for n, part in enumerate(token.split("_")):
            if not part:
                adjacent_next = True
                continue
            adjacent = adjacent_next or n > 0
            adjacent_next = False
            if part in SLOTS:
                elements.append(Element(SLOTS[part], adjacent=adjacent))
            elif part.startswith("&"):
                name = part[1:].upper()
                if not name:
                    raise _fail(where, "a & with no synset name")
                elements.append(Element("synset", name, adjacent))
            else:
                elements.append(Element("word", part.upper(), adjacent))
    if adjacent_next:
        elements.append(Element("end"))
    return elements


def parse_pattern(line: str, where: str, number: int) -> Pattern:
    rest, code = one_code(line[1:], where)
    if code is None:
        raise _fail(where, "a pattern needs a [CODE] (use [---] for no event)")
    if rest.count("*") != 1:
        raise _fail(where, "a pattern needs exactly one * (the verb)")
    left, right = rest.split("*")
    before = pattern_elements(left.split(), where)
    after = pattern_elements(right.split(), where)
    verb_before = bool(before) and before[-1].kind == "end"
    verb_after = right.startswith("_") or bool(after) and after[0].adjacent
    before = [e for e in before if e.kind != "end"]
    after = [e for e in after if e.kind != "end"]
    return Pattern(tuple(before), tuple(after), code[0], code[1], number, verb_before, verb_after)


def expand_synsets(raw: dict[str, list[tuple[tuple[str, ...], int]]], label: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Synset name -> its phrases, nested synsets expanded."""
    done: dict[str, tuple[tuple[str, ...], ...]] = {}

    def expand(name: str, trail: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        if name in done:
            return done[name]
        phrases: list[tuple[str, ...]] = []
        for phrase, line in raw[name]:
            if len(phrase) == 1 and phrase[0].startswith("&"):
                inner = phrase[0][1:].rstrip("_")
                if inner not in raw:
                    raise _fail(f"{label}:{line}", f"synset &{inner} is not defined")
                if inner in trail:
                    raise _fail(f"{label}:{line}", f"synset &{inner} contains itself")
                phrases.extend(expand(inner, trail + (inner,)))
            else:
                phrases.append(phrase)
        done[name] = tuple(dict.fromkeys(phrases))
        return done[name]

    for name in raw:
        expand(name, (name,))
    return done


def parse_verb_dictionary(text: str, label: str) -> VerbDictionary:
    """Read the text of a verb dictionary (see the module docstring); `label` names it in errors."""
    lines = strip_comments(text, label)
    raw_synsets: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    pending: list[tuple[str, int, str, tuple[str, str | None]]] = []   # pattern lines, parsed once synsets are known
    verbs: list[Verb] = []
    synset: str | None = None
    block: str | None = None
    block_code: tuple[str, str | None] = (NULL_CODE, None)
    for number, line in enumerate(lines, start=1):
        where = f"{label}:{number}"
        stripped = line.strip()
        if not stripped:
            synset = None
            continue
        if header := HEADER_RE.match(stripped):
            name, code = one_code(header.group("body"), where)
            if not name:
                raise _fail(where, "a verb block header needs a name: --- NAME [CODE] ---")
            block, block_code, synset = name.upper(), code or (NULL_CODE, None), None
            continue
        if stripped.startswith("&"):
            name = stripped[1:].strip().rstrip("_").upper()
            if not NAME_RE.match("&" + name):
                raise _fail(where, f"bad synset name {stripped!r}")
            synset = name
            raw_synsets.setdefault(name, [])
            continue
        if synset is not None:
            if not stripped.startswith("+"):
                raise _fail(where, f"synset &{synset}: members start with +")
            member = stripped[1:].strip()
            words = (member.upper(),) if member.startswith("&") else tuple(phrase_words(member))
            if not words:
                raise _fail(where, f"synset &{synset}: an empty member")
            raw_synsets[synset].append((words, number))
            continue
        if block is None:
            raise _fail(where, "a verb or pattern line before any --- VERB [CODE] --- block header")
        if stripped.startswith("-"):
            pending.append((stripped, number, block, block_code))
        else:
            verbs.extend(parse_verb_line(stripped, block, block_code, where, number))
    synsets = expand_synsets(raw_synsets, label)
    patterns: dict[str, list[Pattern]] = {}
    for stripped, number, name, _ in pending:
        pattern = parse_pattern(stripped, f"{label}:{number}", number)
        missing = [e.value for e in pattern.before + pattern.after if e.kind == "synset" and e.value not in synsets]
        if missing:
            raise _fail(f"{label}:{number}", f"synset &{missing[0]} is not defined")
        patterns.setdefault(name, []).append(pattern)
    return VerbDictionary(verbs, patterns, synsets)


@cache
def load_verb_dictionaries(paths: tuple[str, ...]) -> VerbDictionary:
    """The user's verb dictionaries merged (later files add verbs and patterns), read once
    per process and list of files."""
    merged = VerbDictionary()
    for path in paths:
        try:
            text = Path(path).read_text("utf-8", errors="replace")
        except OSError as err:
            raise NewsledgerError("E205", f"{path}: cannot be read ({err.strerror or err})") from None
        part = parse_verb_dictionary(text, path)
        merged.verbs.extend(part.verbs)
        merged.synsets.update(part.synsets)
        for name, found in part.patterns.items():
            merged.patterns.setdefault(name, []).extend(found)
    return merged
