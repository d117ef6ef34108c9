"""Events coded with a user verb dictionary (newsledger.stages.events.verbpatterns), on hand-written
sentences and a tiny hand-written dictionary; and `--verbs` through the CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsledger.cli import cli
from newsledger.model import Document, Meta
from newsledger.pipeline import run_batch

VERBS = """# a tiny PETRARCH-format dictionary
&TIES_
+DIPLOMATIC_TIES
+RELATIONS

--- RESTORE  [064] ---
RESTORE
- NOT * &TIES  [161]

--- MEET  [036:036] ---
MEET {MET}

--- CRITICIZE  [111] ---
CRITICIZE {CRITICISED CRITICIZED}

--- SAY  [---] ---
SAY {SAID}

--- BREAK  [---] ---
BREAK {BROKE BROKEN}
+BREAK_OFF {+BROKE_OFF +BROKEN_OFF}  [161]

--- AGREE  [---] ---
AGREE
- % * [030:030]
- * WITH % [031]

--- PRAISE  [051] ---
PRAISE
- * $ FOR + [---]

--- COMMENT  [010] ---
COMMENT

--- VISIT  [042:---] ---
VISIT {VISITED}
"""


@pytest.fixture(scope="module")
def code(tmp_path_factory, settings):
    path = tmp_path_factory.mktemp("verbs") / "test.verbs"
    path.write_text(VERBS, "utf-8")
    with_verbs = settings.with_(verb_pattern_files=(str(path),))

    def run(text: str) -> tuple[set[tuple[str, str, str, str]], Document]:
        (doc,) = run_batch([Document(raw=text, meta=Meta(source="<test>"))], with_verbs.with_(min_body_chars=1))
        names = {a.id: a.country for a in doc.actors}
        coded = {(e.type, e.cameo, names[s], names[t]) for e in doc.events for s in e.source for t in e.target}
        return coded, doc
    return run


def test_verb_code_subject_and_object(code):
    coded, doc = code("France restored diplomatic ties with Germany on Monday.")
    assert coded == {("COOPERATE", "064", "FRA", "DEU")}
    assert doc.events[0].trigger == "restored"


@pytest.mark.parametrize("text, expected", [
    pytest.param("France and Italy criticized Germany over the plan.",
                 {("ACCUSE", "111", "FRA", "DEU"), ("ACCUSE", "111", "ITA", "DEU")}, id="compound subject: one event per actor"),
    pytest.param("Germany was criticized by France over the plan.", {("ACCUSE", "111", "FRA", "DEU")},
                 id="passive with agent swaps source and target"),
    pytest.param("France did not criticize Germany over the plan.", set(), id="negated verb is no event"),
    pytest.param("France did not restore diplomatic ties with Germany.", {("SANCTION", "161", "FRA", "DEU")},
                 id="a pattern holding the negation codes it"),
    pytest.param("France praised Italy for Germany's help.", set(), id="pattern with the null code [---]"),
    pytest.param("France commented on Germany's plan.", set(), id="root 01 has no PLOVER type"),
    pytest.param("France visited Germany.", {("CONSULT", "042", "FRA", "DEU")}, id="null reverse code: no reverse event"),
    pytest.param("France broke off relations with Germany.", {("SANCTION", "161", "FRA", "DEU")}, id="multiword verb"),
    pytest.param("France met Germany in Paris.", {("AGREE", "036", "FRA", "DEU"), ("AGREE", "036", "DEU", "FRA")},
                 id="reverse code"),
    pytest.param("France and Germany agree that the talks should go on.",
                 {("AGREE", "030", "FRA", "DEU"), ("AGREE", "030", "DEU", "FRA")},
                 id="compound slot codes the actors on each other"),
    pytest.param("Spain agrees with France and Germany that the talks should go on.",
                 {("AGREE", "031", "ESP", "FRA"), ("AGREE", "031", "ESP", "DEU")}, id="compound after the verb is the target"),
    pytest.param("The government of France criticized Germany over the plan.", {("ACCUSE", "111", "FRA", "DEU")},
                 id="an actor without country takes the country named in its phrase"),
    pytest.param("Germany, which criticized France over the plan, met Italy in Rome.",
                 {("ACCUSE", "111", "DEU", "FRA"), ("AGREE", "036", "DEU", "ITA"), ("AGREE", "036", "ITA", "DEU")},
                 id="a relative clause's subject is the noun it describes"),
])
def test_verb_patterns_code_events(code, text, expected):
    assert code(text)[0] == expected


def test_cli_verbs_and_cameo_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    Path("test.verbs").write_text(VERBS, "utf-8")
    Path("map.txt").write_text("06: COOPERATE\n064: COOPERATE, , intelligence # share information\n", "utf-8")
    Path("report.txt").write_text("France restored diplomatic ties with Germany on Monday, officials said in Paris.", "utf-8")
    result = CliRunner().invoke(cli, ["extract", "report.txt", "--verbs", "test.verbs", "--cameo-map", "map.txt"])
    assert result.exit_code == 0, result.output
    (event,) = json.loads(result.stdout)["events"]
    assert (event["type"], event["cameo"], event["context"]) == ("COOPERATE", "064", ["intelligence"])
    Path("bad.verbs").write_text("--- MEET [031] ---\nMEET\n- TALKS [031]\n", "utf-8")
    result = CliRunner().invoke(cli, ["extract", "report.txt", "--verbs", "bad.verbs"])
    assert result.exit_code == 2 and "error[E205]" in result.output and "bad.verbs:3:" in result.output
    Path("bad_map.txt").write_text("04: TALK\n", "utf-8")
    result = CliRunner().invoke(cli, ["extract", "report.txt", "--cameo-map", "bad_map.txt"])   # checked without --verbs too
    assert result.exit_code == 2 and "error[E206]" in result.output


def test_a_refused_act_stays_negated(code):
    _, doc = code("France refused to criticize Germany over the plan.")
    assert [e.modality for e in doc.events if e.cameo == "111"] == ["negated"]


def test_capitals_named_as_arguments_stand_for_their_states(code):
    coded, _ = code("Moscow criticized Berlin over the plan on Monday.")
    assert coded == {("ACCUSE", "111", "RUS", "DEU")}


def test_a_list_parsed_as_a_modifier_of_the_subject_still_joins_it(code):
    coded, _ = code("Spain, Portugal and the mighty Italy criticized Germany over the plan.")
    assert {source for _, _, source, _ in coded} == {"ESP", "PRT", "ITA"}
