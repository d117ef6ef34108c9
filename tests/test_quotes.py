"""Quotes stage: direct quotes and their speakers, including attribution after the fact."""
from datetime import date

import pytest

pytestmark = pytest.mark.slow

TEXT = (
    "Foreign Minister Laila Haidari of Afghanistan spoke to reporters in Kabul on Tuesday.\n\n"
    "\u201cWe want good relations with all our neighbours,\u201d the minister added.\n\n"
    "Haidari said the border would reopen. \u201cTrade must continue,\u201d she said.\n\n"
    "\u201cThe talks were constructive and will go on next month,\u201d the statement from Pakistan said.\n\n"
    "Officials said that the crossing at Torkham would stay closed."
)


@pytest.fixture(scope="module")
def doc(process_text):
    return process_text(TEXT, published=date(2024, 3, 6))


def speaker_name(doc, quote):
    return next((a.name for a in doc.actors if a.id == quote.speaker), None)


def quote_starting(doc, words):
    found = [q for q in doc.quotes if q.text.startswith(words)]
    assert found, f"no quote starting {words!r}: {[q.text for q in doc.quotes]}"
    return found[0]


def test_role_noun_after_the_quote_names_the_speaker(doc):
    quote = quote_starting(doc, "We want good relations")
    assert quote.kind == "direct" and quote.cue == "added"
    assert speaker_name(doc, quote) == "Laila Haidari"


def test_pronoun_after_the_quote_resolves_to_the_latest_person(doc):
    quote = quote_starting(doc, "Trade must continue")
    assert speaker_name(doc, quote) == "Laila Haidari" and quote.speaker_text == "she"


def test_statement_from_a_country_is_attributed_to_that_country(doc):
    quote = quote_starting(doc, "The talks were constructive")
    assert speaker_name(doc, quote) == "Pakistan"


def test_direct_quote_offsets_index_the_words_inside_the_marks(doc):
    for quote in doc.quotes:
        assert doc.body[quote.start:quote.end] == quote.text


def test_indirect_quote_of_a_named_person(doc):
    indirect = [q for q in doc.quotes if q.kind == "indirect" and q.text.startswith("the border would reopen")]
    assert indirect and speaker_name(doc, indirect[0]) == "Laila Haidari"


def test_according_to_attributes_the_rest_of_the_sentence(process_text):
    doc = process_text("The convoy was attacked near Kandahar on Sunday, according to provincial officials.",
                       published=date(2024, 3, 6))
    quote = next(q for q in doc.quotes if q.cue == "according to")
    assert quote.text == "The convoy was attacked near Kandahar on Sunday"
    assert quote.speaker_text == "provincial officials"


def test_unnamed_sources_still_have_their_words_as_speaker(process_text):
    doc = process_text("Security sources said that the talks had collapsed over prisoner releases.",
                       published=date(2024, 3, 6))
    quote = next(q for q in doc.quotes if q.kind == "indirect")
    assert quote.text.startswith("the talks had collapsed") and quote.speaker_text == "Security sources"


def test_transcript_turns_are_the_labelled_speakers_words(process_text):
    text = ("Press Secretary Jane Okafor opened the briefing on Monday.\n\n"
            "MS. OKAFOR: Good afternoon. The general will now take your questions about the convoy.\n\n"
            "GENERAL RAMOS: Thank you. We are still assessing the damage near Herat.")
    doc = process_text(text, published=date(2024, 3, 6))
    turns = [q for q in doc.quotes if q.cue == ":"]
    assert [q.speaker_text for q in turns] == ["MS. OKAFOR", "GENERAL RAMOS"]
    assert speaker_name(doc, turns[0]) == "Jane Okafor"
    assert turns[1].text.startswith("Thank you. We are still assessing")


def test_dash_signature_names_the_speaker(process_text):
    text = ("Readers in Ohio sent us their views on the first presidential debate of the campaign.\n\n"
            "\u201cThe debate changed nothing for me and my family. We still worry about rent and about the "
            "price of food every single week.\u201d \u2015 Carla Mendes\n"
            "\u201cI will vote early this year because of it, and so will my two sisters and most of our "
            "neighbours on the street.\u201d \u2015 Omar Haddad")
    doc = process_text(text, published=date(2024, 3, 6))
    assert quote_starting(doc, "The debate changed").speaker_text == "Carla Mendes"
    assert quote_starting(doc, "I will vote early").speaker_text == "Omar Haddad"


def test_mixed_quotation_marks_pair_up(process_text):
    text = ("\u201cImmunity deals should not be a requirement for cooperating with the FBI,\" Chairman Jason "
            "Chaffetz said in a statement, adding that the deals were handed out \"like candy for everyone.\"")
    doc = process_text(text, published=date(2024, 3, 6))
    quote = quote_starting(doc, "Immunity deals should not")
    assert quote.text.endswith("with the FBI,") and speaker_name(doc, quote) == "Jason Chaffetz"


@pytest.mark.parametrize("text, start, expected", [
    pytest.param("Senator Maria Lopez criticised the plan on Monday, adding, \u201cThis budget will hurt every farmer in "
                 "the valley.\u201d", "This budget will hurt", {"cue": "adding", "name": "Maria Lopez"},
                 id="a participle speaks for the subject of its clause"),
    pytest.param("Senator Paul Brandt questioned the bank's chief executive on Tuesday.\n\n\u201cWhy is this bank still "
                 "too big to manage?\u201d Brandt demanded.", "Why is this bank", {"cue": "demanded", "name": "Paul Brandt"},
                 id="any verb beside the marks frames the quote"),
    pytest.param("Governor Alan Reyes called the new pipeline \u201ca disaster for our rivers and towns.\u201d",
                 "the new pipeline \u201ca disaster for our rivers", {"kind": "indirect", "name": "Alan Reyes"},
                 id="a quotation inside narration is woven into its verb's report, the subject's"),
    pytest.param("\u201cThe campaign is in panic mode. Full panic mode,\u201d said Leslie Warren, a party organiser in Tampa.",
                 "The campaign is in panic mode", {"cue": "said", "name": "Leslie Warren"},
                 id="a word of the quote is never its speaker"),
    pytest.param("Governor Ana Ruiz spoke in Denver on Friday. She says, \u201cThe plan is a gift to polluters and nothing "
                 "more.\u201d Mayor Tom Hale adds that the city will sue.", "The plan is a gift to polluters",
                 {"cue": "says", "speaker_text": "She"}, id="the cue of the quote's own sentence comes first"),
    pytest.param("''Nobody here expected the factory to close so soon,'' said Mayor Linda Cho.", "Nobody here expected",
                 {"kind": "direct", "name": "Linda Cho"}, id="double apostrophes mark a quotation"),
    pytest.param("Mrs. Elena Park met Governor Tom Reed in Albany on Monday. Park says she will run again.\n\n"
                 "Reed said he would sign the budget. \u201cThe state budget is balanced for the first time in years,\u201d "
                 "she said.", "The state budget is balanced", {"speaker_text": "she", "name": "Elena Park"},
                 id="she resolves to the woman, not the latest person"),
    pytest.param("Television stations showed video of Senator Maria Lopez saying, \u201cWhy are we still waiting for the "
                 "bridge to open?\u201d", "Why are we still waiting",
                 {"speaker_text": "Senator Maria Lopez", "name": "Maria Lopez"}, id="a participle on a noun speaks for it"),
    pytest.param("Senator Paul Brandt made the following comment:\n\n\u201cFarmers in this valley deserve water they can "
                 "afford, and we will deliver it.\u201d", "Farmers in this valley", {"name": "Paul Brandt"},
                 id="a colon ending a paragraph introduces the next one's quote"),
    pytest.param("Economists doubt that the plan would simplify the tax code. Said Ellis: \u201cI do not get the sense "
                 "she is interested in tax reform.\u201d", "I do not get the sense", {"speaker_text": "Ellis"},
                 id="inverted said before the name"),
    pytest.param("Radio host Rush Limbaugh discussed the debate on Monday.\n\nAccording to Limbaugh, \u201cthe moderator "
                 "ought to have no role in it at all.\u201d", "the moderator ought",
                 {"cue": "According", "name": "Rush Limbaugh"}, id="according to names the speaker of a following quote"),
    pytest.param("The company grew fast in the 1990s. His former partner, Lawrence Cummings, called him a master of "
                 "difficult deals. \u201cHe showed again and again an ability to close deals nobody else could.\u201d",
                 "He showed again", {"name": "Lawrence Cummings"},
                 id="a quote without cue takes the subject of the sentence before it"),
])
def test_direct_quote_cue_and_speaker(process_text, text, start, expected):
    doc = process_text(text, published=date(2024, 3, 6))
    quote = quote_starting(doc, start)
    found = {"cue": quote.cue, "speaker_text": quote.speaker_text, "kind": quote.kind, "name": speaker_name(doc, quote)}
    assert {key: found[key] for key in expected} == expected


def test_fragment_after_a_lead_is_one_report_from_the_sentence_start(process_text):
    doc = process_text("Raising the port fees “would hurt every small trader,” said Mirela Oduya, a customs "
                       "official in Mombasa.", published=date(2024, 3, 6))
    (quote,) = [q for q in doc.quotes if "small trader" in q.text]
    assert quote.kind == "indirect" and quote.text.startswith("Raising the port fees")
    assert speaker_name(doc, quote) == "Mirela Oduya"


def test_fragment_woven_after_its_cue_is_one_report(process_text):
    doc = process_text("Governor Tomas Reyna told farmers to “keep their receipts for the inspectors” before the "
                       "audit.", published=date(2024, 3, 6))
    (quote,) = [q for q in doc.quotes if "receipts" in q.text]
    assert quote.kind == "indirect" and quote.text.startswith("to “keep their receipts")
    assert speaker_name(doc, quote) == "Tomas Reyna"


def test_a_whole_sentence_quoted_stays_direct(process_text):
    doc = process_text("On Monday, “We will not sign this agreement,” Governor Tomas Reyna said.",
                       published=date(2024, 3, 6))
    (quote,) = [q for q in doc.quotes if "sign this" in q.text]
    assert quote.kind == "direct" and quote.text == "We will not sign this agreement,"


def test_a_quotation_with_its_own_lead_after_a_cue_is_a_quote_of_its_own(process_text):
    doc = process_text("\u201cThe bridge is safe for traffic,\u201d engineer Lena Hart told reporters. The video then "
                       "shows Mayor Ivo Brandt saying, \u201cWe will close it anyway.\u201d\n\n"
                       "\u201cI was only joking about the fees.\u201d To which Brandt replied, \u201cThat is no joke "
                       "for the drivers.\u201d", published=date(2024, 3, 6))
    direct = [q for q in doc.quotes if q.kind == "direct"]
    assert len(direct) == 4, [q.text for q in direct]
    assert all(len(q.segments) == 1 for q in direct), [q.text for q in direct]
    assert speaker_name(doc, quote_starting(doc, "We will close")) == "Ivo Brandt"


def test_a_cue_set_off_by_commas_inside_a_report_leaves_two_segments(process_text):
    doc = process_text("The new dam, Minister Kofi Mensah said, will double the harvest in the valley.",
                       published=date(2024, 3, 6))
    (quote,) = [q for q in doc.quotes if q.cue == "said"]
    assert [s.text for s in quote.segments] == ["The new dam", "will double the harvest in the valley"]
    assert speaker_name(doc, quote) == "Kofi Mensah"


def test_a_report_around_its_cue_reads_as_its_segments(process_text):
    doc = process_text("The new bridge, Mayor Ana Ruiz said, will open in May.", published=date(2024, 3, 6))
    (quote,) = [q for q in doc.quotes if q.cue == "said"]
    assert [s.text for s in quote.segments] == ["The new bridge", "will open in May"]
    assert quote.text == "The new bridge … will open in May"


def test_a_fragment_woven_into_a_report_around_its_cue_widens_its_last_segment(monkeypatch):
    from newsledger.model import Quote, Span
    from newsledger.stages import quotes

    body = "The new bridge, Mayor Ana Ruiz said, will open in “early May.”"
    first, rest = body.index("The"), body.index("will")
    cue = body.index("said")
    fragment_start, fragment_end = body.index("early"), body.index("May.") + 4
    report = Quote("indirect", "The new bridge … will open in", first, body.index(" “"), None, "Mayor Ana Ruiz",
                   "said", cue, [Span("The new bridge", first, body.index(",")),
                                 Span("will open in", rest, body.index(" “"))])
    fragment = Quote("direct", "early May.", fragment_start, fragment_end, None, "Mayor Ana Ruiz", "said", cue)
    monkeypatch.setattr(quotes, "woven_report", lambda *args: (rest, fragment_end))
    kept, indirect = quotes.weave_fragments([fragment], [report], None, body, [])
    assert kept == [] and indirect == [report]
    assert [s.text for s in report.segments] == ["The new bridge", "will open in “early May."]
    assert report.text == "The new bridge … will open in “early May."
    assert (report.start, report.end) == (first, fragment_end)


@pytest.mark.slow
def test_a_fragment_inside_narration_is_woven_into_its_verbs_report(process_text):
    doc = process_text("Retired admiral Tom Keller described the governor as \u201ca career bureaucrat\u201d who "
                       "\u201chas never run a business in his life.\u201d", published=date(2024, 3, 6))
    assert [q.kind for q in doc.quotes] == ["indirect"]
    quote = doc.quotes[0]
    assert quote.text.startswith("as \u201ca career bureaucrat\u201d") and "never run a business" in quote.text
    assert speaker_name(doc, quote) == "Tom Keller"


@pytest.mark.slow
def test_a_fragment_that_is_the_whole_report_stays_direct(process_text):
    doc = process_text("The mayor urged residents to keep their doors \u201clocked at all times.\u201d",
                       published=date(2024, 3, 6))
    woven = [q for q in doc.quotes if "locked at all times" in q.text]
    assert woven and woven[0].text.startswith(("residents", "to keep"))


@pytest.mark.slow
def test_coordinated_complements_stay_in_the_report(process_text):
    doc = process_text("The governor wants to cut the sales tax, hire more nurses and build two new clinics.",
                       published=date(2024, 3, 6))
    assert [q.text for q in doc.quotes] == ["to cut the sales tax, hire more nurses and build two new clinics"]


@pytest.mark.slow
def test_a_speech_verb_coordinated_inside_a_report_reports_for_the_same_speaker(process_text):
    doc = process_text("Minister Tariq Aziz said the deal was fair and added that talks would go on.",
                       published=date(2024, 3, 6))
    texts = {q.text: speaker_name(doc, q) for q in doc.quotes}
    assert texts == {"the deal was fair": "Tariq Aziz", "talks would go on": "Tariq Aziz"}


@pytest.mark.slow
def test_a_report_verb_aimed_at_an_actor_reports_nothing_but_with_a_complement_it_does(process_text):
    """"threatened the Lakeside farmers" says whom the threat is aimed at; "urged the Lakeside
    farmers to leave" reports what was urged."""
    doc = process_text("The Kano Brigade threatened the Lakeside Farmers Union near Kaduna on Monday. "
                       "Governor Musa Bello urged the Lakeside Farmers Union to leave the valley.",
                       published=date(2024, 3, 6))
    assert [(q.cue, q.text) for q in doc.quotes if q.kind == "indirect"] == [
        ("urged", "the Lakeside Farmers Union to leave the valley")]


def test_a_stance_verb_reports_its_object_even_when_it_names_an_actor(process_text):
    doc = process_text("Governor Musa Bello spoke in Kano on Monday. The Lakeside Farmers Union endorsed Governor "
                       "Musa Bello in the race.", published=date(2024, 3, 6))
    (quote,) = [q for q in doc.quotes if q.kind == "indirect"]
    assert quote.cue == "endorsed" and quote.text.startswith("Governor Musa Bello")
    assert speaker_name(doc, quote) == "Lakeside Farmers Union"


@pytest.mark.slow
@pytest.mark.parametrize("text, reported", [
    ("Chief Justice Ann Lowe spoke of the long fight for civil rights in the South.",
     "the long fight for civil rights in the South"),
    ("The senator complained about the rising cost of insurance for farmers.",
     "the rising cost of insurance for farmers"),
    ("The port authority did not respond to questions about the delayed cranes.",
     "questions about the delayed cranes"),
])
def test_a_report_verb_reports_the_object_of_its_own_preposition(process_text, text, reported):
    doc = process_text(text, published=date(2024, 3, 6))
    assert [q.text for q in doc.quotes] == [reported]


@pytest.mark.slow
def test_a_report_stopping_at_a_colon_goes_on_with_what_it_announces(process_text):
    doc = process_text("The union's report notes that two shifts are under way: wages are climbing, "
                       "and fuel costs are falling.", published=date(2024, 3, 6))
    assert [q.text for q in doc.quotes] == [
        "two shifts are under way: wages are climbing, and fuel costs are falling"]


@pytest.mark.slow
def test_a_speech_verb_with_an_object_reports_it(process_text):
    doc = process_text("The spokesman noted the criticism of the new law.", published=date(2024, 3, 6))
    assert [q.text for q in doc.quotes] == ["the criticism of the new law"]


@pytest.mark.slow
def test_a_report_noun_reports_for_its_possessor(process_text):
    doc = process_text("Governor Ana Ruiz spoke on Monday. Her criticism of the new tax law was sharp.",
                       published=date(2024, 3, 6))
    (quote,) = [q for q in doc.quotes if q.cue == "criticism"]
    assert quote.text == "the new tax law" and "Ana Ruiz" in speaker_name(doc, quote)


@pytest.mark.slow
@pytest.mark.parametrize("text, noun", [
    ("The criticism of the new tax law was sharp in every newspaper.", "criticism"),      # no possessor, no agent
    ("Governor Dan Pike read the questions about the audit aloud.", "questions"),          # not a support verb's object
])
def test_a_report_noun_with_no_source_is_no_quote(process_text, text, noun):
    doc = process_text(text, published=date(2024, 3, 6))
    assert not [q for q in doc.quotes if q.cue == noun]


@pytest.mark.slow
def test_a_fragment_set_off_by_commas_inside_a_report_is_part_of_it(process_text):
    doc = process_text("The audit notes that the agency spent $3 million on consultants, \u201cmore than its whole "
                       "training budget,\u201d before the rules changed.", published=date(2024, 3, 6))
    assert [q.kind for q in doc.quotes] == ["indirect"]
    assert doc.quotes[0].text.startswith("the agency spent") and "\u201cmore than its whole" in doc.quotes[0].text


@pytest.mark.slow
def test_a_fragment_in_apposition_inside_a_report_is_part_of_it(process_text):
    doc = process_text("The mayor said the contractor, \u201ca firm with no record of bridge work,\u201d had won the bid "
                       "in March.", published=date(2024, 3, 6))
    assert [q.kind for q in doc.quotes] == ["indirect"]
    assert doc.quotes[0].text.startswith("the contractor") and doc.quotes[0].text.endswith("had won the bid in March")


@pytest.mark.slow
def test_a_fragment_inside_an_according_to_report_is_part_of_it(process_text):
    doc = process_text("According to the complaint, the developers ran a \u201cmassive fraudulent scheme\u201d for years.",
                       published=date(2024, 3, 6))
    assert [(q.kind, q.text) for q in doc.quotes] == [
        ("indirect", "the developers ran a \u201cmassive fraudulent scheme\u201d for years")]


@pytest.mark.slow
def test_a_lower_case_quotation_that_is_the_whole_report_stays_direct(process_text):
    doc = process_text("The minister said, \u201cwe will not give up.\u201d", published=date(2024, 3, 6))
    assert [(q.kind, q.text) for q in doc.quotes] == [("direct", "we will not give up.")]


@pytest.mark.slow
@pytest.mark.parametrize("text, cue, reported, source", [
    pytest.param("Senator Ruth Okafor is critical of the new mining law.", "critical", "the new mining law", "Ruth Okafor",
                 id="an evaluative adjective reports its preposition's object"),
    pytest.param("Governor Dan Pike was confident that the harbour would reopen in May.", "confident",
                 "the harbour would reopen in May", "Dan Pike", id="an adjective with a clause reports the clause"),
])
def test_an_evaluative_adjective_reports_for_its_subject(process_text, text, cue, reported, source):
    doc = process_text(text, published=date(2024, 3, 6))
    (quote,) = [q for q in doc.quotes if q.cue == cue]
    assert quote.text == reported and source in (speaker_name(doc, quote) or "")


@pytest.mark.slow
def test_an_adjective_of_no_judgement_reports_nothing(process_text):
    doc = process_text("Governor Dan Pike was tired of the long flight to the coast.", published=date(2024, 3, 6))
    assert not doc.quotes


@pytest.mark.slow
def test_a_report_noun_made_by_a_support_verb_reports_for_the_verbs_subject(process_text):
    doc = process_text("Governor Dan Pike raised questions about the audit of the port authority.",
                       published=date(2024, 3, 6))
    (quote,) = [q for q in doc.quotes if q.cue == "questions"]
    assert quote.text == "the audit of the port authority" and speaker_name(doc, quote) == "Dan Pike"


@pytest.mark.slow
def test_a_belief_verb_reports_its_clause(process_text):
    doc = process_text("Farmers in the valley know the river will flood again in spring.", published=date(2024, 3, 6))
    assert [(q.kind, q.cue, q.text) for q in doc.quotes] == [("indirect", "know", "the river will flood again in spring")]


@pytest.mark.slow
@pytest.mark.parametrize("text, cue, reported", [
    pytest.param("The main test for the permit is a clean record of safe operation, as a ministry memo put it.", "put",
                 "The main test for the permit is a clean record of safe operation", id="as X put it"),
    pytest.param("The bridge will close for two weeks in June, the county engineer said.", "said",
                 "The bridge will close for two weeks in June", id="a cue after its report"),
])
def test_a_report_before_its_cue_stops_where_the_cue_clause_begins(process_text, text, cue, reported):
    doc = process_text(text, published=date(2024, 3, 6))
    assert [(q.cue, q.text) for q in doc.quotes] == [(cue, reported)]


@pytest.mark.slow
def test_quoted_fragments_after_a_cue_inside_a_report_are_part_of_it(process_text):
    doc = process_text("Farmers, the minister said, can \u201cgrow twice as much\u201d and \u201csell it at the market.\u201d",
                       published=date(2024, 3, 6))
    assert [(q.kind, [s.text for s in q.segments]) for q in doc.quotes] == [
        ("indirect", ["Farmers", "can \u201cgrow twice as much\u201d and \u201csell it at the market."])]


@pytest.mark.slow
def test_an_it_that_coreference_resolved_speaks_and_an_empty_it_does_not(process_text):
    doc = process_text("The Port Authority wrote to the council on Friday. It says the new fees break the lease. "
                       "It is said that the harbour will close.", published=date(2024, 3, 6))
    assert [(q.cue, q.text, speaker_name(doc, q)) for q in doc.quotes if q.kind == "indirect"] == [
        ("says", "the new fees break the lease", "Port Authority")]


@pytest.mark.slow
def test_a_reason_in_a_finite_clause_stays_in_the_report(process_text):
    doc = process_text("Councillor Ana Ruiz said the fee was unfair, because the port had raised it twice this year.",
                       published=date(2024, 3, 6))
    assert [q.text for q in doc.quotes] == ["the fee was unfair, because the port had raised it twice this year"]


@pytest.mark.parametrize("text, continued", [
    pytest.param("Governor Tomas Reyna said the audit was \u201ca waste of money,\u201d but \u201cnobody asked the farmers "
                 "what they think.\u201d", True, id="a fragment joined by a conjunction continues the report"),
    pytest.param("Governor Tomas Reyna said the audit was \u201ca waste of money.\u201d And \u201cnobody asked the "
                 "farmers,\u201d a clerk added.", False, id="a fragment after the sentence's end with a cue of its own"),
])
def test_a_fragment_after_a_conjunction_continues_the_report_before_it(process_text, text, continued):
    doc = process_text(text, published=date(2024, 3, 6))
    report = next(q for q in doc.quotes if q.text.startswith("the audit was"))
    assert report.kind == "indirect" and speaker_name(doc, report) == "Tomas Reyna"
    assert ("nobody asked" in report.text) == continued
    assert any(q.kind == "direct" and q.text.startswith("nobody asked") for q in doc.quotes) != continued


def test_a_conjunct_holding_a_whole_quotation_is_cut_from_the_report_before_it(process_text):
    doc = process_text("Mayor Ann Rolfe visited the harbour on Monday. She said the ferry would keep running all "
                       "winter, and when asked about the fares, she replied, \u201cThey will stay the same for every "
                       "rider.\u201d", published=date(2024, 3, 6))
    assert [(q.kind, q.text) for q in doc.quotes] == [
        ("indirect", "the ferry would keep running all winter"),
        ("direct", "They will stay the same for every rider.")]
    assert all(speaker_name(doc, q) == "Ann Rolfe" for q in doc.quotes)


def test_a_transcript_turn_goes_on_over_the_paragraphs_it_quotes(process_text):
    doc = process_text("Partial transcript of the interview:\n\n"
                       "\u201cHOST: Will the ferry keep running all winter?\n\n"
                       "\u201cROLFE: It will run every day. The council has found the money.\n\n"
                       "\u201cAnd the fares will stay the same for every rider.\n\n"
                       "\u201c(CROSSTALK.)\n\n"
                       "\u201cHOST: Thank you, Mayor.\u201d", published=date(2024, 3, 6))
    turn = quote_starting(doc, "It will run every day")
    assert [s.text for s in turn.segments] == ["It will run every day. The council has found the money.",
                                               "And the fares will stay the same for every rider."]
    assert turn.speaker_text == "ROLFE"
    assert not [q for q in doc.quotes if q.text.startswith("And the fares")]
    closed = process_text("\u201cROLFE: It will run every day.\u201d\n\n\u201cThe fares will stay the same,\u201d "
                          "a clerk said.", published=date(2024, 3, 6))
    assert len(quote_starting(closed, "It will run").segments) == 1    # a turn closed on its line ends there
    answered = process_text("\u201cHOST: Will the ferry keep running?\n\n"
                            "\u201cROLFE: It will run every day.\n\n"
                            "\u201cAnd the fares will stay the same.\u201d\n\n"
                            "\u201cWe will believe it when we see it,\u201d a commuter said later.",
                            published=date(2024, 3, 6))
    turn = quote_starting(answered, "It will run every day")     # the turn closes on its second paragraph
    assert [s.text for s in turn.segments] == ["It will run every day.", "And the fares will stay the same."]
    assert quote_starting(answered, "We will believe it").speaker_text == "a commuter"
