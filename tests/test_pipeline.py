"""The runner: declared inputs and outputs are checked, one bad document never stops a batch."""
from contextlib import ExitStack
from dataclasses import replace
from datetime import date

import pytest

from newsledger import pipeline
from newsledger.errors import NewsledgerError
from newsledger.model import Document, Failure, Meta
from newsledger.stages import Stage, nlp

GOOD = "The ministers met in Kabul on Monday to discuss trade and border security."


def test_a_stage_that_returns_the_wrong_layer_is_refused(settings):
    stage = Stage("bad", needs=("raw",), adds="timexes", item_type=dict, run=lambda d, s: ["x"])
    with pytest.raises(NewsledgerError) as err:
        pipeline.run_stage(stage, Document(raw="text"), settings)
    assert err.value.code == "E302"


def test_a_stage_cannot_run_before_its_inputs_exist(settings):
    stage = Stage("needs-body", needs=("body",), adds="timexes", item_type=None, run=lambda d, s: [])
    with pytest.raises(NewsledgerError) as err:
        pipeline.run_stage(stage, Document(raw="text"), settings)
    assert err.value.code == "E301"


def test_a_stage_cannot_overwrite_another_layer(settings):
    stage = Stage("again", needs=("raw",), adds="body", item_type=None, run=lambda d, s: "new")
    doc = Document(raw="text", body="old")
    with pytest.raises(NewsledgerError):
        pipeline.run_stage(stage, doc, settings)
    assert doc.body == "old"


@pytest.mark.slow
def test_one_failing_document_becomes_a_failure_and_the_batch_goes_on(settings, monkeypatch):
    def explode(doc, s):
        if "explode" in doc.body:
            raise ValueError("stage bug")
        return []

    broken = Stage("quotes", needs=("body",), adds="quotes", item_type=None, run=explode)
    stages = tuple(broken if s.name == "quotes" else s for s in pipeline.DOCUMENT_STAGES)
    monkeypatch.setattr(pipeline, "DOCUMENT_STAGES", stages)
    batch = [Document(raw=GOOD, meta=Meta(source="a")),
             Document(raw=GOOD + " Then it would explode.", meta=Meta(source="b")),
             Failure("c", "E101", "empty", "ingest"),
             Document(raw="Too short.", meta=Meta(source="d")),
             Document(raw=GOOD + " Again.", meta=Meta(source="e", published=date(2024, 1, 3)))]
    results = pipeline.run_batch(batch, settings)
    assert [type(r).__name__ for r in results] == ["Document", "Failure", "Failure", "Failure", "Document"]
    assert results[1].stage == "quotes" and "ValueError" in results[1].message
    assert results[3].code == "E112" and results[3].stage == "clean"
    assert results[4].timexes and results[4].timexes[0].value == "2024-01-01"


def test_unknown_spacy_pipeline_is_a_setup_error():
    with pytest.raises(NewsledgerError) as err:
        nlp.load_pipeline("no_such_pipeline_here")
    assert err.value.code == "E201"


def test_pipeline_without_parser_is_refused(tmp_path):
    import spacy
    blank = spacy.blank("en")
    blank.to_disk(tmp_path / "blank")
    with pytest.raises(NewsledgerError) as err:
        nlp.load_pipeline(str(tmp_path / "blank"))
    assert err.value.code == "E202"


@pytest.mark.slow
def test_a_line_without_closing_punctuation_never_joins_the_next_sentence(settings):
    sdoc = nlp.load_pipeline(settings.nlp_model)("Talks resume in Doha\n\nThe delegations arrived on Sunday.")
    starts = [s.text.strip() for s in sdoc.sents if s.text.strip()]
    assert "The delegations arrived on Sunday." in starts


def test_last_stage_ends_the_run_early_and_skips_named_entities(settings, monkeypatch):
    seen: list[list[str]] = []
    real_annotate = nlp.annotate

    def spying_annotate(docs, settings, pipes=None):
        seen.append(list(pipes or []))
        return real_annotate(docs, settings, pipes)

    monkeypatch.setattr(nlp, "annotate", spying_annotate)
    text = "Officials met in Doha on Tuesday. The Taliban attacked a checkpoint in Kabul."
    doc = Document(raw=text, meta=Meta(published=date(2023, 3, 8)))
    [result] = pipeline.process([doc], settings.with_(last_stage="time"))
    assert [t.value for t in result.timexes] == ["2023-03-07"]
    assert result.places is None and result.events is None
    assert seen and "ner" not in seen[0] and "parser" in seen[0]


def test_an_unknown_last_stage_is_a_setup_error(settings):
    with pytest.raises(NewsledgerError) as caught:
        list(pipeline.process([], settings.with_(last_stage="store")))
    assert caught.value.code == "E203" and "time, places" in caught.value.message


def test_the_stages_run_with_fewer_collections_and_the_thresholds_come_back(settings, monkeypatch):
    import gc

    seen = []

    def record(doc, s):
        seen.append(gc.get_threshold())
        raise ValueError("stage bug")

    probe = Stage("time", needs=("body",), adds="timexes", item_type=None, run=record)
    monkeypatch.setattr(pipeline, "DOCUMENT_STAGES", (probe,))
    before = gc.get_threshold()
    assert before != pipeline.STAGE_GC_THRESHOLDS
    results = pipeline.run_batch([Document(raw=GOOD, meta=Meta(source="a"))], replace(settings, last_stage="time"))
    assert seen == [pipeline.STAGE_GC_THRESHOLDS]
    assert isinstance(results[0], Failure) and results[0].stage == "time"
    assert gc.get_threshold() == before


def test_overlapping_runs_restore_the_thresholds_when_the_last_ends():
    import gc

    before = gc.get_threshold()
    assert before != pipeline.STAGE_GC_THRESHOLDS
    with pipeline.fewer_collections():
        with ExitStack() as first:
            first.enter_context(pipeline.fewer_collections())
        assert gc.get_threshold() == pipeline.STAGE_GC_THRESHOLDS   # the other run still goes on
    assert gc.get_threshold() == before
