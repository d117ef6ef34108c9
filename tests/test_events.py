"""Events stage on hand-written sentences: PLOVER type, source and target, date, place,
modality, casualties, evidence."""
from datetime import date

import pytest

from newsledger.stages import events

pytestmark = pytest.mark.slow

PUBLISHED = date(2024, 5, 15)  # a Wednesday


@pytest.fixture(scope="module")
def code(process_text):
    def run(text, published=PUBLISHED):
        doc = process_text(text, published=published)
        names = {a.id: a for a in doc.actors}
        return doc, [(e, [names[i] for i in e.source], [names[i] for i in e.target]) for e in doc.events]
    return run


def only(coded, type_):
    found = [c for c in coded if c[0].type == type_]
    assert len(found) == 1, f"expected one {type_}: {[(c[0].type, c[0].evidence.text) for c in coded]}"
    return found[0]


def test_attack_with_place_date_and_casualties(code):
    doc, coded = code("Militants attacked a police station in Quetta on Monday, killing three policemen.")
    event, source, target = only(coded, "ASSAULT")
    assert event.date.value == "2024-05-13" and event.date.anchor == "clause"
    assert event.place.name == "Quetta" and event.place.country == "PK"
    assert event.killed == 3
    assert [a.sector for a in source] == ["REB"]
    assert doc.body[event.evidence.start:event.evidence.end] == event.evidence.text


def test_agreement_between_two_states_is_reciprocal(code):
    _, coded = code("India and China agreed on Tuesday to reduce troops along the border.")
    event, source, target = only(coded, "AGREE")
    assert {a.country for a in source + target} == {"IND", "CHN"}


def test_future_meeting_is_an_agree_with_future_modality(code):
    # PLOVER: a future meeting or promise is AGREE
    _, coded = code("Pakistan will host a delegation from Iran next week, the Foreign Office said.")
    event, source, _ = only(coded, "AGREE")
    assert event.modality == "future" and [a.country for a in source] == ["PAK"]


def test_governing_act_absorbs_what_it_governs(code):
    _, coded = code("Syria said it was willing to withdraw its troops from Lebanon.")
    event, source, target = only(coded, "AGREE")
    assert not [c for c in coded if c[0].type == "RETREAT"]
    assert [a.country for a in source] == ["SYR"] and [a.country for a in target] == ["LBN"]


def test_negated_attack_is_negated(code):
    _, coded = code("Officials said the army did not attack the village of Gul Mir near Kandahar.")
    assert any(e.type == "ASSAULT" and e.modality == "negated" for e, _, _ in coded)


def test_condemning_an_attack_accuses_its_perpetrator(code):
    _, coded = code("The United States condemned the Islamic State attack on a mosque in Kabul.")
    event, source, target = only(coded, "ACCUSE")
    assert [a.country for a in source] == ["USA"]
    assert [a.name for a in target] == ["Islamic State"]


def test_demand_is_request(code):
    _, coded = code("The United Nations urged Iran to release the detained journalists.")
    event, source, target = only(coded, "REQUEST")
    assert source[0].sector == "IGO" and target[0].country == "IRN"


def test_statement_that_x_must_act_is_a_request_to_x(code):
    _, coded = code("Mr Sharif, the Pakistani prime minister, said that Afghan soil must not be used by terrorists.")
    assert any(e.type == "REQUEST" and t and t[0].country == "AFG" for e, _, t in coded)


def test_event_without_date_falls_back_and_says_so(code):
    _, coded = code("Police arrested four suspects in Lahore.")
    event, _, _ = only(coded, "COERCE")
    assert event.date.value == PUBLISHED.isoformat() and event.date.anchor == "published"


def test_no_event_for_plain_description(code):
    _, coded = code("The weather in Islamabad was warm and the markets were busy.")
    assert coded == []


def casualty_fields(text: str) -> dict:
    import spacy
    return events.casualties(spacy.blank("en")(text)[:]).fields()


def test_casualty_counts_open_ended():
    fields = casualty_fields("A car bomb killed at least 100 people and wounded more than 200 others.")
    assert fields == {"killed": 100, "killed_max": None, "injured": 200, "injured_max": None}


@pytest.mark.parametrize("text, killed, killed_max", [
    ("Twenty-one villagers were killed when the shells landed.", 21, 21),
    ("The blast killed two hundred and fifty people.", 250, 250),
    ("Nearly forty-five guards died in the assault.", 45, 45),
    ("The raid killed 1,200 fighters.", 1200, 1200),
    ("Dozens of shoppers were killed in the market.", 24, 99),
    ("The fire left hundreds dead.", 200, 999),
    ("The gunmen killed at least a dozen worshippers.", 12, None),
    ("At least dozens of shoppers were killed in the market.", 24, None),
    ("The shelling killed up to 30 villagers.", None, 30),             # a ceiling: no count, a maximum
    ("As many as forty guards were killed.", None, 40),
])
def test_casualty_counts_read_number_words_and_ranges(text, killed, killed_max):
    fields = casualty_fields(text)
    assert (fields["killed"], fields["killed_max"]) == (killed, killed_max)


@pytest.mark.parametrize("text, killed", [
    ("Mourners recalled the 1998 embassy bombing that killed 213 people.", 213),
    ("Relatives marked Kenya's 2013 mall siege, which killed 67 shoppers.", 67),
    ("The 2004 raid left 40 dead.", 40),
    ("1200 villagers were killed in the floods.", 1200),        # a bare count with no determiner stays a count
])
def test_a_year_before_the_verb_is_no_casualty_count(text, killed):
    assert casualty_fields(text)["killed"] == killed


def test_no_casualty_count_without_a_number():
    assert casualty_fields("Several people were killed in the clashes.")["killed"] is None


def test_a_multi_day_event_ending_on_a_date_gets_its_first_and_last_day(code):
    _, coded = code("A statement issued at the conclusion of a two-day dialogue between India and "
                    "China on Tuesday said both sides agreed to reduce troops.")
    dialogue = [c[0] for c in coded if c[0].trigger == "dialogue"]
    assert dialogue and (dialogue[0].date.start, dialogue[0].date.end) == ("2024-05-13", "2024-05-14")


def test_a_multi_day_event_without_an_end_or_start_word_keeps_only_its_date(code):
    _, coded = code("India and China held a three-day dialogue in Delhi on Tuesday.")
    assert coded and all(c[0].date.start is None and c[0].date.end is None for c in coded)


def test_an_event_stated_in_a_quote_points_to_that_quote(code):
    doc, coded = code('"We will never attack Iran," the Pakistani defence minister said. '
                      "India and China agreed on Tuesday to reduce troops.")
    assert doc.quotes and doc.quotes[0].kind == "direct"
    quoted = [c[0] for c in coded if c[0].evidence.start < doc.quotes[0].end]
    plain = [c[0] for c in coded if c[0].evidence.start > doc.quotes[0].end]
    assert quoted and all(e.quote == 0 for e in quoted)
    assert plain and all(e.quote is None for e in plain)


def test_place_an_act_is_directed_at_names_its_country_as_target(code):
    _, coded = code("Iran threatened to impose a curfew in Kabul on Monday.")
    _, source, target = only(coded, "THREATEN")
    assert [a.country for a in source] == ["IRN"] and [(a.country, a.kind) for a in target] == [("AFG", "place")]
    _, coded = code("Pakistan threatened to break off relations with Congo and Costa Rica.")
    assert [a.country for a in only(coded, "THREATEN")[2]] == ["COG", "CRI"]


def test_place_where_an_agreement_is_signed_is_not_its_target(code):
    _, coded = code("The agreement was signed in Doha on Monday.")
    assert not [c for c in coded if c[2]]


def test_demand_that_someone_acts_targets_them(code):
    _, coded = code("The United States on Thursday demanded that North Korea forsake its nuclear program.")
    _, source, target = only(coded, "REQUEST")
    assert [a.country for a in source] == ["USA"] and [a.country for a in target] == ["PRK"]


def test_hunger_strike_is_a_protest_and_a_lodged_protest_an_accusation(code):
    _, coded = code("Algerian landowners began a hunger strike outside Parliament on Monday.")
    event, source, _ = only(coded, "PROTEST")
    assert event.mode == "hunger" and [a.country for a in source] == ["DZA"]
    _, coded = code("Serbia lodged an official protest with Albania on Monday.")
    _, source, _ = only(coded, "ACCUSE")
    assert [a.country for a in source] == ["SRB"]


def test_would_in_reported_speech_is_future(code):
    _, coded = code("Palestinian leaders said on Monday they would boycott all contact with the United States.")
    event, _, target = only(coded, "THREATEN")
    assert event.modality == "future" and [a.country for a in target] == ["USA"]


def test_order_to_act_is_a_request(code):
    _, coded = code("An Argentine judge ordered Carlos Menem to appear for questioning on Monday.")
    _, source, _ = only(coded, "REQUEST")
    assert [a.country for a in source] == ["ARG"]


def test_manual_rules_for_promised_retreats_and_withdrawn_observers(code):
    _, coded = code("Malian rebels said on Monday they will release the French journalist Paul Martin.")
    assert only(coded, "CONCEDE")[0].modality == "future"  # manual 3.7.2: not AGREE
    _, coded = code("Kofi Annan announced on Monday that he will withdraw weapons inspectors from Iraq.")
    assert only(coded, "THREATEN")[0].modality == "future"  # a withdrawal of observers is SANCTION (3.13)
    _, coded = code("President Bouteflika said he is prepared to lift the ban on the party.")
    assert only(coded, "AGREE")


def test_staged_protest_takes_the_subject_and_folds_its_stated_cause(code):
    _, coded = code("Thousands of Nepali students staged a hunger strike on Monday in protest against the Indian government.")
    _, source, target = only(coded, "PROTEST")
    assert [a.country for a in source] == ["NPL"] and [a.country for a in target] == ["IND"]


def test_target_of_a_rejected_proposal_is_its_author(code):
    _, coded = code("Chile on Friday rejected a Bolivian peace plan.")
    assert [a.country for a in only(coded, "REJECT")[2]] == ["BOL"]
    _, coded = code("Chile on Friday rejected a fresh offer from Peru for talks.")
    assert [a.country for a in only(coded, "REJECT")[2]] == ["PER"]


def test_paired_demonyms_name_two_actors(code):
    _, coded = code("Senior Chilean and Peruvian officials agreed on Monday to reopen the border crossing.")
    assert sorted(a.country for a in only(coded, "AGREE")[1]) == ["CHL", "PER"]


def test_readiness_for_a_hostile_act_is_a_threat(code):
    _, coded = code("The Malian government said it is prepared to impose martial law in Bamako.")
    assert only(coded, "THREATEN")


def test_complaint_over_raids_accuses_their_author(code):
    _, coded = code("Syria complained on Tuesday over two Turkish air raids.")
    _, source, target = only(coded, "ACCUSE")
    assert [a.country for a in source] == ["SYR"] and [a.country for a in target] == ["TUR"]


def test_participle_before_a_noun_is_no_event(code):
    _, coded = code("Threats from the outlawed Tehreek-i-Taliban Pakistan have intensified, officials said on Monday.")
    assert not [c for c in coded if c[0].type == "COERCE"]


def test_complement_subject_and_light_verb_preposition_give_targets(code):
    _, coded = code("The Kenyan minister allowed opposition leader Raila Odinga to hold a rally in Nairobi.")
    assert [a.name for a in only(coded, "CONCEDE")[2]] == ["Raila Odinga"]
    _, coded = code("The European Union on Monday imposed sanctions on Belarus.")
    assert [a.country for a in only(coded, "SANCTION")[2]] == ["BLR"]


def test_purpose_clause_folds_into_the_act(code):
    _, coded = code("General Carlos Ruiz of Peru resigned on Monday to allow new elections to take place.")
    assert [c[0].type for c in coded] == ["RETREAT"]


def test_members_from_an_organisation_are_its_own(code):
    _, coded = code("Activists from Amnesty International staged a protest in London against Iran on Monday.")
    assert [a.name for a in only(coded, "PROTEST")[1]] == ["Amnesty International"]


def test_conditional_hostile_act_is_a_threat_and_accepted_demands_a_concession(code):
    _, coded = code("The European Union may halt its aid to Serbia if the fighting continues.")
    assert only(coded, "THREATEN")
    _, coded = code("The Mozambique government on Thursday accepted demands from Shona rebels.")
    assert only(coded, "CONCEDE")


def test_reiterated_demand_that_someone_acts_targets_them(code):
    _, coded = code("Amnesty International reiterated its demand that Iran release the prisoners.")
    _, source, target = only(coded, "REQUEST")
    assert [a.name for a in source] == ["Amnesty International"] and [a.country for a in target] == ["IRN"]


def test_past_tense_act_is_not_future_whatever_its_weekday(code):
    event, _, _ = only(code("Young Algerians blocked roads on Sunday.", published=date(2000, 1, 1))[1], "PROTEST")
    assert event.modality == "asserted"


def test_place_named_with_its_kind_is_still_the_target(code):
    _, coded = code("Sudan's government on Sunday lifted the curfew in West Darfur State.")
    assert [a.country for a in only(coded, "CONCEDE")[2]] == ["SDN"]


def test_place_in_a_time_phrase_is_not_the_target(code):
    _, coded = code("Putin on Monday offered to resume trade following the invasion of Dagestan.")
    assert not only(coded, "AGREE")[2]


def test_stative_passive_attitude_keeps_its_subject(code):
    _, coded = code("Israel is opposed to French mediation in the talks, an aide said on Wednesday.")
    _, source, target = only(coded, "REJECT")
    assert [a.country for a in source] == ["ISR"] and [a.country for a in target] == ["FRA"]
    _, coded = code("The minister said Chile is committed to opening up its economy.")
    assert [a.country for a in only(coded, "AGREE")[1]] == ["CHL"]


def test_a_violent_act_with_no_actor_named_takes_no_target_from_where_it_happened(code):
    _, coded = code("Thirteen people were killed and wounded in Kabul on Tuesday.")
    attacks = [c for c in coded if c[0].type == "ASSAULT"]  # the victims may be the target, Afghanistan is not
    assert attacks and all(a.kind not in {"state", "place"} for _, _, target in attacks for a in target)


def test_threat_takes_the_target_of_the_act_it_names(code):
    _, coded = code("Israel on Tuesday threatened to cut off electricity to the Palestinian Authority over unpaid bills.")
    assert [a.name for a in only(coded, "THREATEN")[2]] == ["Palestinian Authority"]
    _, coded = code("Hamas has refused to respond to a demand from the European Union to recognise the accords.")
    assert [a.name for a in only(coded, "REJECT")[2]] == ["European Union"]


def test_object_of_an_infinitive_that_is_itself_an_actor_is_no_target(code):
    _, coded = code("France is ready to contribute 4,000 troops to a peace-keeping force in Liberia.")
    assert [a.country for a in only(coded, "AGREE")[2]] == ["LBR"]


def test_condition_of_a_threat_names_its_target(code):
    _, coded = code("Russia has threatened to stop negotiations if the United States goes ahead with the deployment.")
    assert [a.country for a in only(coded, "THREATEN")[2]] == ["USA"]
    _, coded = code("Farmers in Kenya threatened today to hold a general strike unless Uganda lifted its import ban.")
    assert [a.country for a in only(coded, "THREATEN")[2]] == ["UGA"]


def test_event_noun_takes_an_actor_its_light_verb_aims_at(code):
    _, coded = code("A judge in Lima opened fraud investigations against Peruvian customs officials on Friday.")
    assert [a.country for a in only(coded, "ACCUSE")[2]] == ["PER"]


def test_declaration_issued_demanding_an_act_is_its_issuers_request(code):
    _, coded = code("The Kurdistan Workers' Party issued a declaration demanding that the Iraqi government release its members.")
    _, source, target = only(coded, "REQUEST")
    assert [a.name for a in source] == ["Kurdistan Workers' Party"] and [a.country for a in target] == ["IRQ"]


def test_object_moved_after_an_as_phrase_is_still_the_object(code):
    _, coded = code("Albania on Friday denounced as an ugly crime Serbia's suppression of the unrest.")
    assert [a.country for a in only(coded, "ACCUSE")[2]] == ["SRB"]


def test_mobilized_forces_are_no_target_the_war_they_are_for_names_it(code):
    _, coded = code("Britain mobilized army reservists for a possible war against Iraq on Tuesday.")
    _, source, target = only(coded, "MOBILIZE")
    assert [a.country for a in source] == ["GBR"] and [a.country for a in target] == ["IRQ"]


def test_act_an_infinitive_names_lends_no_target_to_a_violent_act(code):
    # only AGREE, REQUEST, REJECT and THREATEN take the target of the act their infinitive names
    _, coded = code("Militants opened fire on Monday to punish the Afghan government, officials said.")
    assaults = [c for c in coded if c[0].type == "ASSAULT"]
    assert assaults and not any(c[2] for c in assaults)


def test_event_noun_takes_no_target_from_its_instrument(code):
    _, coded = code("Militants carried out an attack with two suicide bombers in Kabul on Monday.")
    assert all(a.name != "bombers" and "bomber" not in a.name.lower() for c in coded for a in c[2])


def test_subject_of_a_passive_act_is_its_target_and_a_detached_agent_its_source(code):
    _, coded = code("Three Iraqi civilians have been killed in a car bombing in Basra, police said.")
    assert [a.country for a in only(coded, "ASSAULT")[2]] == ["IRQ"]
    _, coded = code("Former minister Amos Kimunya has been accused of misusing public funds, much of it believed to "
                    "have been embezzled, by Kenyan government officials.")
    _, source, target = only(coded, "ACCUSE")
    assert [a.country for a in source] == ["KEN"] and [a.name for a in target] == ["Amos Kimunya"]


def test_withdrawn_troops_are_no_target_of_their_own_retreat(code):
    _, coded = code("A third of the rebel fighters have been demobilized since the peace accord.")
    assert all(not c[2] for c in coded if c[0].type == "RETREAT")


def test_purpose_of_a_protest_names_its_target(code):
    _, coded = code("Demonstrators in Lagos blocked a road to show their disapproval of the United States' trade policies.")
    assert [a.country for a in only(coded, "PROTEST")[2]] == ["USA"]


def test_refusal_despite_pressure_targets_who_pressed(code):
    _, coded = code("The minister has declined to resign despite growing pressure by the European Union.")
    assert [a.name for a in only(coded, "REJECT")[2]] == ["European Union"]


def test_up_to_a_number_is_still_the_object(code):
    _, coded = code("Rebels have kidnapped up to 16 Russian advisers from a town bazaar.")
    assert [a.country for c in coded for a in c[2]] == ["RUS"]


def test_coordinated_modifiers_of_a_named_head_are_each_an_actor(code):
    _, coded = code("The Red Cross said US and British forces must ensure security in Basra.")
    assert sorted(a.country for a in only(coded, "REQUEST")[2]) == ["GBR", "USA"]


def test_act_in_defiance_of_someone_targets_them_and_retaliation_targets_the_raids_author(code):
    _, coded = code("Thousands of students blocked streets in Nairobi in defiance of the Kenyan government.")
    assert [a.country for a in only(coded, "PROTEST")[2]] == ["KEN"]
    _, coded = code("Iran threatened today in retaliation for an Iraqi air raid on the city of Susangerd.")
    assert [a.country for a in only(coded, "THREATEN")[2]] == ["IRQ"]


def test_infinitive_clause_of_an_object_names_what_it_asks_for(code):
    _, coded = code("The United Nations on Tuesday rejected a call for its peacekeeping forces to be deployed in Haiti.")
    assert [a.country for a in only(coded, "REJECT")[2]] == ["HTI"]


def test_warning_of_what_someone_will_do_targets_whom_that_act_is_aimed_at(code):
    _, coded = code("Cairo's security chief has warned that police will no longer tolerate rallies by the Muslim Brotherhood.")
    warning = next(c for c in coded if c[0].trigger == "warned")
    assert warning[0].type == "THREATEN" and [a.name for a in warning[2]] == ["Muslim Brotherhood"]


def test_noun_a_participle_describes_is_its_agent_not_the_actors_inside_the_participle(code):
    _, coded = code("Egyptian demonstrators rioted following a peaceful demonstration calling for the removal of "
                    "President Hosni Mubarak.")
    assert all("Hosni Mubarak" not in [a.name for a in c[1]] for c in coded)


def test_parties_a_named_mediator_goes_between_are_the_targets(code):
    _, coded = code("Arab League envoy Lakhdar Brahimi undertook a mediation mission between Syria and Lebanon.")
    _, source, target = only(coded, "CONSULT")
    assert [a.name for a in source] == ["Lakhdar Brahimi"] and sorted(a.country for a in target) == ["LBN", "SYR"]
    _, coded = code("Talks between India and Pakistan resumed in Delhi on Monday.")
    _, source, target = only(coded, "CONSULT")
    assert sorted(a.country for a in source + target) == ["IND", "PAK"]


def test_offer_to_host_a_meeting_targets_the_parties_it_brings_together(code):
    _, coded = code("King Hassan said he would be ready to host a meeting between an Israeli peace movement and the "
                    "Palestine Liberation Organization.")
    assert sorted(a.country for a in only(coded, "AGREE")[2]) == ["ISR", "PSE"]


def test_she_in_an_event_resolves_to_the_woman_as_in_quotes(process_text):
    text = ("Mrs. Elena Park met Governor Tom Reed in Albany on Monday. Park says she will run again.\n\n"
            "Reed said he would travel to Moscow. She accused Russia of lying about the pipeline.")
    doc = process_text(text, published=date(2024, 3, 6))
    names = {a.id: a.name for a in doc.actors}
    accuse = next(e for e in doc.events if e.type == "ACCUSE")
    assert [names[i] for i in accuse.source] == ["Elena Park"]
