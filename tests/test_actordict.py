"""The actor dictionary: name normalisation, lookup tiers, dated roles and periods, user
files, term tables, and the packaged actors.json matching a fresh build of its sources."""
from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest

from newsledger.actordict import (
    ActorDictionary, ActorEntry, Period, Role, acronym_key, default_dictionary, normalise_name,
    read_entries, role_at, sector_for_term, title_sector, variant_key,
)
from newsledger.errors import NewsledgerError

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = ROOT / "newsledger" / "data" / "actors.json"

PESHAWAR_SCHOOL = date(2014, 12, 16)
CT_DIALOGUE = date(2023, 3, 7)


def hand_dictionary(threshold: int = 92) -> ActorDictionary:
    """A small dictionary written for these tests."""
    return ActorDictionary([
        ActorEntry("ttp", "Tehrik-i-Taliban Pakistan", "group", "PAK", "REB", aliases=("TTP", "Pakistani Taliban")),
        ActorEntry("majeed", "BLA Majeed Brigade", "group", "PAK", "REB"),
        ActorEntry("hamas", "Hamas", "group", "PSE", "REB"),
        ActorEntry("PAK", "Pakistan", "state", "PAK", "GOV", metonyms=("Islamabad",)),
        ActorEntry("USA", "United States", "state", "USA", "GOV", aliases=("US", "U.S.", "America"),
                   metonyms=("Washington",)),
        ActorEntry("taliban", "Afghan Taliban", "group", "AFG", "REB", aliases=("Taliban",),
                   periods=(Period("AFG", "REB", end="2021-08-14"),
                            Period("AFG", "GOV", start="2021-08-15", aliases=("Kabul regime",)))),
        ActorEntry("fo", "Foreign Office", "organisation", None, "GOV", aliases=("Ministry of Foreign Affairs",)),
        ActorEntry("kerry", "John Kerry", "person", "USA", "GOV",
                   roles=(Role("Secretary of State", "USA", "GOV", "2013-02-01", "2017-01-20"),)),
        ActorEntry("kelly", "John Kelly", "person", "USA", "GOV",
                   roles=(Role("Secretary of Homeland Security", "USA", "GOV", "2017-01-20", "2017-07-31"),)),
    ], fuzzy_threshold=threshold)


@pytest.fixture(scope="module")
def packaged() -> ActorDictionary:
    return default_dictionary()


# ---------------------------------------------------------------- normalisation

def test_transliteration_spellings_share_a_normalised_or_variant_key():
    assert normalise_name("Tehrik-e-Taliban Pakistan") == normalise_name("Tehrik-i-Taliban Pakistan")
    assert normalise_name("the Tehrik Taliban Pakistan's") == normalise_name("Tehrik-i-Taliban Pakistan")
    assert normalise_name("al-Qaeda") == normalise_name("Al Qaeda") == "qaeda"
    assert variant_key(normalise_name("Tehreek-i-Taliban Pakistan")) == variant_key(normalise_name("Tahrik-e-Taliban Pakistan"))
    assert variant_key("khurasan") == variant_key("khorasan")
    assert variant_key("mohammed") == variant_key("muhammad")


def test_code_words_are_recognised_only_in_capitals():
    assert acronym_key("U.S.") == acronym_key("US") == "US"
    assert acronym_key("IS-K") == "ISK"
    assert acronym_key("LeT") == "LET"
    assert acronym_key("TTP's") == "TTP"
    assert acronym_key("us") is None
    assert acronym_key("Nato") is None
    assert acronym_key("Pakistan Army") is None


def test_spelling_variants_of_the_pakistani_taliban_resolve_to_one_entry():
    d = hand_dictionary()
    for text in ("Tehrik-i-Taliban Pakistan", "Tehreek-i-Taliban Pakistan", "Tehrik-e-Taliban Pakistan",
                 "Tahrik-i-Taliban Pakistan", "Tehreek e Taliban Pakistan", "TTP", "the TTP's",
                 "Pakistani Taliban"):
        match = d.lookup(text)
        assert match is not None and match.entry.id == "ttp", text
    assert d.lookup("Tehrik-i-Taliban Pakistan").how == "exact"
    assert d.lookup("Tehreek-i-Taliban Pakistan").how == "variant"


def test_unicode_look_alikes_dashes_and_all_caps():
    d = hand_dictionary()
    assert d.lookup("Таliban").entry.id == "taliban"          # Cyrillic "Т" and "а"
    assert d.lookup("ＴＴＰ").entry.id == "ttp"                 # full-width letters (NFKC)
    assert d.lookup("TEHRIK-I-TALIBAN PAKISTAN").entry.id == "ttp"
    assert d.lookup("Tehrik–i–Taliban Pakistan").entry.id == "ttp"   # en dashes
    assert d.lookup("Taliban’s").entry.id == "taliban"         # curly possessive
    assert d.lookup("TALIBAN").entry.id == "taliban"           # a capitalised word that is no code word


def test_the_pronoun_us_is_never_the_united_states():
    d = hand_dictionary()
    assert d.lookup("US").entry.id == "USA"
    assert d.lookup("the U.S.").entry.id == "USA"
    assert d.lookup("us") is None
    assert d.lookup("Us") is None


# ---------------------------------------------------------------- fuzzy matching

def test_fuzzy_accepts_a_typo_in_a_long_name():
    match = hand_dictionary().lookup("Tehrik-i-Talibn Pakistan")
    assert match is not None and match.entry.id == "ttp" and match.how == "fuzzy"
    assert 92 <= match.score < 100


def test_fuzzy_refuses_near_misses():
    d = hand_dictionary()
    assert d.lookup("Tehrik-i-Taliban Afghanistan") is None   # another group, similar name
    assert d.lookup("TTB") is None                            # a changed code word
    assert d.lookup("BLF Majeed Brigade") is None              # a code word inside a long name
    assert d.lookup("Hamaz") is None                          # shorter than 6 characters
    assert d.lookup("John Kelley").entry.id == "kelly"
    assert d.lookup("John Kerri").entry.id == "kerry"
    assert d.lookup("John Kenny") is None


def test_fuzzy_threshold_and_switch_are_respected():
    assert hand_dictionary(threshold=99).lookup("Tehrik-i-Talibn Pakistan") is None
    assert hand_dictionary().lookup("Tehrik-i-Talibn Pakistan", fuzzy=False) is None


# ---------------------------------------------------------------- dates: roles and periods

def test_role_at_follows_the_dates():
    kerry = hand_dictionary().get("kerry")
    assert role_at(kerry, PESHAWAR_SCHOOL).title == "Secretary of State"
    assert role_at(kerry, date(2012, 6, 1)) is None
    assert role_at(kerry, date(2017, 1, 21)) is None
    assert role_at(kerry, None).title == "Secretary of State"


def test_partial_dates_cover_their_whole_month_or_year():
    role = Role("Spokesperson", "USA", "GOV", "2013", "2015-02")
    assert role.covers(date(2013, 1, 1)) and role.covers(date(2015, 2, 28))
    assert not role.covers(date(2012, 12, 31)) and not role.covers(date(2015, 3, 1))


def test_us_secretary_of_state_on_the_day_of_the_peshawar_school_attack(packaged):
    holders = packaged.holders("Secretary of State", PESHAWAR_SCHOOL, country="USA")
    assert [entry.id for entry, _ in holders] == ["john-kerry"]
    kerry = packaged.lookup("John Kerry", PESHAWAR_SCHOOL)
    assert kerry.role.title == "Secretary of State" and kerry.sector == "GOV" and kerry.country == "USA"
    assert [e.id for e, _ in packaged.holders("secretary of state", date(2010, 5, 1), "USA")] == ["hillary-clinton"]


def test_the_latest_appointment_wins_when_roles_overlap(packaged):
    asif = packaged.lookup("Khawaja Asif", CT_DIALOGUE)
    assert asif.role.title == "Defence Minister" and asif.country == "PAK"
    qatar_pm = packaged.get("mohammed-bin-abdulrahman")
    assert role_at(qatar_pm, date(2024, 1, 1)).title == "Prime Minister"
    assert role_at(qatar_pm, date(2020, 1, 1)).title == "Foreign Minister"


def test_taliban_sector_depends_on_the_date():
    d = hand_dictionary()
    assert d.lookup("Taliban", PESHAWAR_SCHOOL).sector == "REB"
    assert d.lookup("Taliban", CT_DIALOGUE).sector == "GOV"
    assert d.get("taliban").at(PESHAWAR_SCHOOL) == ("AFG", "REB")
    # an alias given inside a period names the group only in that period
    assert d.lookup("Kabul regime", CT_DIALOGUE).entry.id == "taliban"
    assert d.lookup("Kabul regime", PESHAWAR_SCHOOL) is None


def test_packaged_taliban_and_ambiguous_afghan_government(packaged):
    assert packaged.lookup("the Taliban", PESHAWAR_SCHOOL).sector == "REB"
    assert packaged.lookup("Afghan interim government", CT_DIALOGUE).entry.id == "afghan-taliban"
    assert packaged.lookup("Afghan government", date(2019, 1, 1)).entry.id == "afg-republic-government"
    assert packaged.lookup("Afghan government", CT_DIALOGUE).entry.id == "afghan-taliban"
    assert packaged.lookup("Afghan government") is None          # no date: either could be meant
    assert {m.entry.id for m in packaged.lookup_all("Afghan government")} == {"afg-republic-government", "afghan-taliban"}


def test_surname_only_when_one_person_with_it_held_office(packaged):
    assert packaged.lookup("Kerry", PESHAWAR_SCHOOL) is None      # off unless asked for
    assert packaged.lookup("Kerry", PESHAWAR_SCHOOL, surnames=True).entry.id == "john-kerry"
    assert packaged.lookup("Mr Asif", CT_DIALOGUE, surnames=True).entry.id == "khawaja-asif"
    assert packaged.lookup("Sharif", PESHAWAR_SCHOOL, surnames=True) is None   # Nawaz and Raheel


def test_titled_surname_prefers_the_title_holder_then_a_shared_country():
    d = ActorDictionary([
        ActorEntry("elder", "Adam Stone", "person", "USA", "GOV", roles=(Role("President", "USA", "GOV", "1989", "1992"),)),
        ActorEntry("younger", "Ben Stone", "person", "USA", "GOV", roles=(Role("President", "USA", "GOV", "2001", "2008"),)),
        ActorEntry("king", "King Omar Lind", "person", "JOR", "GOV", roles=(Role("King", "JOR", "GOV", "1952", "1999"),)),
        ActorEntry("leader", "Omar Lind", "person", "IRQ", "GOV", roles=(Role("President", "IRQ", "GOV", "1979", "2003"),)),
        ActorEntry("rebel", "Carl Lind", "person", "SDN", "REB"),
    ])
    assert d.titled_surname("Stone", "President", date(2005, 1, 1))[0].entry.id == "younger"
    assert d.titled_surname("Stone", "President", date(2000, 1, 1)) == (None, "USA")    # between their terms
    assert d.titled_surname("Lind", "Iraqi President", date(1995, 1, 1))[0].entry.id == "leader"
    assert d.titled_surname("Lind", "King", date(1995, 1, 1))[0].entry.id == "king"
    assert d.titled_surname("Lind", None, date(2010, 1, 1)) == (None, None)            # no title, nobody in office
    assert d.titled_surname("Lind", "Mr", date(1995, 1, 1)) == (None, None)             # in office: two countries
    assert d.titled_surname("Lind", "Prime Minister", date(1995, 1, 1)) == (None, None)  # nobody ever held it
    assert d.surname_country("Stone", date(2000, 1, 1)) == "USA" and d.surname_country("Lind", None) is None
    assert d.titled_surname("Nobody", "President", date(2000, 1, 1)) == (None, None)


# ---------------------------------------------------------------- generic institutions, metonyms

def test_generic_institutions_leave_the_country_to_the_caller(packaged):
    for text, sector in (("Foreign Office", "GOV"), ("the Ministry of Foreign Affairs", "GOV"),
                         ("Interior Ministry", "GOV"), ("the army", "MIL"), ("police", "COP"),
                         ("intelligence agency", "SPY"), ("Defence Ministry", "MIL")):
        match = packaged.lookup(text, CT_DIALOGUE)
        assert match is not None and match.entry.country is None and match.sector == sector, text
    assert packaged.lookup("State Department").entry.country == "USA"
    assert packaged.lookup("ISPR").entry.country == "PAK"


def test_metonyms_are_marked_and_can_be_excluded():
    d = hand_dictionary()
    match = d.lookup("Islamabad")
    assert match.entry.id == "PAK" and match.how == "metonym"
    assert d.is_metonym("Washington") and not d.is_metonym("United States")
    assert d.lookup("Washington", metonyms=False) is None


# ---------------------------------------------------------------- user files

def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_user_yaml_file_adds_and_replaces_entries(tmp_path):
    path = write(tmp_path / "mine.yaml", """\
- id: pdm
  name: Pakistan Democratic Movement
  kind: organisation
  country: PAK
  sector: OPP
  aliases: [PDM]
- id: ttp
  name: Tehreek-i-Taliban Pakistan
  kind: group
  country: PAK
  sector: INS
""")
    d = default_dictionary((path,), 92)
    assert d.lookup("PDM").entry.name == "Pakistan Democratic Movement"
    assert d.get("ttp").sector == "INS"
    assert d.lookup("Tehrik-e-Taliban Pakistan").entry.sector == "INS"


@pytest.mark.parametrize(("body", "line", "words"), [
    ("- id: a\n  name: A\n  kind: group\n  sector: GOV\n- id: b\n  name: B\n  kind: group\n  sector: XYZ\n", 5, "unknown sector 'XYZ'"),
    ("- id: a\n  name: A\n  kind: army\n", 1, "unknown kind 'army'"),
    ("- id: a\n  name: A\n  kind: state\n  country: PAKI\n", 1, "unknown country code 'PAKI'"),
    ("- id: a\n  name: A\n  kind: group\n- id: a\n  name: A again\n  kind: group\n", 4, "duplicate id"),
    ("- id: a\n  name: A\n  kind: person\n  roles:\n    - {title: President, start: '2014-13-01'}\n", 5, "role start"),
    ("- id: a\n  name: A\n  kind: person\n  roles:\n    - {title: President, start: '2014', end: '2012'}\n", 5, "ends (2012) before it starts"),
    ("- id: a\n  name: A\n  kind: group\n  colour: red\n", 1, "unknown field(s) colour"),
    ("- id: a\n  name: [unclosed\n", 3, "not valid YAML"),
])
def test_user_yaml_errors_name_the_file_and_line(tmp_path, body, line, words):
    path = write(tmp_path / "bad.yaml", body)
    with pytest.raises(NewsledgerError) as caught:
        read_entries(path)
    assert caught.value.code == "E204"
    assert f"{path}:{line}:" in caught.value.message
    assert words in caught.value.message


def test_user_csv_files_and_their_errors(tmp_path):
    good = write(tmp_path / "good.csv", "id,name,kind,country,sector,aliases,role,role_start,role_end\n"
                 "jane-doe,Jane Doe,person,PAK,GOV,J. Doe|Jane D. Doe,Additional Secretary,2022-01,\n")
    (entry,) = read_entries(good)
    assert entry.aliases == ("J. Doe", "Jane D. Doe") and entry.roles[0].covers(CT_DIALOGUE)
    bad = write(tmp_path / "bad.csv", "id,name,kind,country,sector\nx,X,group,PAK,GOV\ny,Y,group,PAK,BAD\n")
    with pytest.raises(NewsledgerError, match=r"bad\.csv:3: entry 'y': unknown sector 'BAD'"):
        read_entries(bad)
    with pytest.raises(NewsledgerError, match=r"odd\.txt.*unsupported file type"):
        read_entries(write(tmp_path / "odd.txt", "x"))


def test_a_missing_user_file_is_a_coded_error(tmp_path):
    missing = str(tmp_path / "absent.yaml")
    with pytest.raises(NewsledgerError) as caught:
        default_dictionary((missing,), 92)
    assert caught.value.code == "E204" and missing in caught.value.message


# ---------------------------------------------------------------- term tables

def test_sector_for_head_nouns():
    assert sector_for_term("troops") == "MIL"
    assert sector_for_term("policemen") == "COP"
    assert sector_for_term("gunmen") == "REB"
    assert sector_for_term("militants") == "REB"
    assert sector_for_term("officials") == "GOV"
    assert sector_for_term("lawmakers") == "LEG"
    assert sector_for_term("judge") == "JUD"
    assert sector_for_term("spy agency") == "SPY"
    assert sector_for_term("villagers") == "CVL"
    assert sector_for_term("armies") == "MIL"            # plural of a listed singular
    assert sector_for_term("weather") is None


def test_title_sector_accepts_qualified_titles_but_not_phrases():
    assert title_sector("Defence Minister") == "GOV"
    assert title_sector("U.S. Secretary of State") == "GOV"
    assert title_sector("Pakistani Foreign Minister") == "GOV"
    assert title_sector("acting coordinator for counterterrorism") == "GOV"
    assert title_sector("additional secretary for the UN and Economic Diplomacy") == "GOV"
    assert title_sector("Ambassador to Pakistan") == "GOV"
    assert title_sector("spokeswoman") == "GOV"
    assert title_sector("Rear Admiral") == "MIL"
    assert title_sector("Chief of Army Staff") == "MIL"
    assert title_sector("Inspector General of Police") == "COP"
    assert title_sector("said the minister") is None
    assert title_sector("the") is None


# ---------------------------------------------------------------- packaged data and its build

def load_build_script():
    spec = importlib.util.spec_from_file_location("build_actors", ROOT / "scripts" / "build_actors.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_actors", module)
    spec.loader.exec_module(module)
    return module


def test_packaged_file_matches_a_fresh_build(tmp_path):
    build = load_build_script()
    out = tmp_path / "actors.json"
    count = build.build(build.DEFAULT_SRC, out)
    assert count >= 500
    assert out.read_bytes() == PACKAGED.read_bytes(), "actors.json is stale: run scripts/build_actors.py"


def test_the_build_stops_at_a_bad_source_entry_naming_file_and_entry(tmp_path, capsys):
    build = load_build_script()
    src = tmp_path / "src"
    src.mkdir()
    (src / "groups.yaml").write_text("- id: good\n  name: Good\n  kind: group\n"
                                     "- id: wrong\n  name: Wrong\n  kind: group\n  sector: MILITIA\n", "utf-8")
    assert build.main(["--src", str(src), "--out", str(tmp_path / "out.json")]) == 1
    message = capsys.readouterr().err.strip()
    assert message.startswith("error[E204]:") and "\n" not in message
    assert "groups.yaml:4: entry 'wrong': unknown sector 'MILITIA'" in message
    assert not (tmp_path / "out.json").exists()


def test_packaged_dictionary_content(packaged):
    assert len(packaged) >= 500
    kinds = {e.kind for e in packaged}
    assert kinds == {"state", "organisation", "group", "person"}
    wikidata = [e.wikidata for e in packaged if e.wikidata]
    assert len(wikidata) == len(set(wikidata))
    assert packaged.get("USA").wikidata == "Q30" and packaged.get("PAK").wikidata == "Q843"
    for text, entry_id in (("IS-K", "iskp"), ("ISKP", "iskp"), ("Islamic State-Khurasan", "iskp"),
                           ("Islamic State Khorasan Province", "iskp"), ("ISIS-K", "iskp"),
                           ("Haqqani network", "haqqani-network"), ("Jaish-e-Mohammed", "jem"),
                           ("Lashkar-e-Taiba", "let"), ("Daesh", "isis"), ("Houthis", "houthis"),
                           ("Britain", "GBR"), ("America", "USA"), ("Nato", "nato"), ("ISI", "pak-isi")):
        match = packaged.lookup(text, CT_DIALOGUE)
        assert match is not None and match.entry.id == entry_id, text


def test_default_dictionary_is_built_once_per_argument_set():
    assert default_dictionary() is default_dictionary()
