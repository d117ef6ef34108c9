from datetime import date

import pytest

from newsledger.errors import NewsledgerError
from newsledger.model import Document, Meta
from newsledger.stages import clean


def cleaned(text, **meta):
    from newsledger.settings import Settings
    doc = Document(raw=text, meta=Meta(source="t", **meta))
    return clean.run(doc, Settings.load()), doc.meta


PARA = "Officials said the two governments would meet again next month to review progress on trade."


def test_credit_line_is_dropped_and_fills_outlet_and_date():
    body, meta = cleaned(f"{PARA}\nPublished in The Daily Star, June 2nd, 2021")
    assert "Published" not in body
    assert meta.outlet == "Daily Star"
    assert meta.published == date(2021, 6, 2)
    assert meta.published_source == "credit"


def test_credit_never_overrides_a_date_the_user_gave():
    _, meta = cleaned(f"{PARA}\nPublished in Dawn, March 8th, 2023", published=date(2023, 3, 7))
    assert meta.published == date(2023, 3, 7)


def test_site_notice_is_dropped():
    body, _ = cleaned(f"{PARA}\nDear reader, the comments section is closed for maintenance.")
    assert "comments" not in body


def test_pasted_headline_between_paragraphs_is_dropped():
    body, _ = cleaned(f"{PARA}\nMinister says border talks to resume next week\n{PARA}")
    assert "resume next week" not in body
    assert body.count("Officials said") == 2


def test_glued_subheading_is_split_from_its_paragraph():
    body, _ = cleaned(f"{PARA}\nTrade deal ahead Meanwhile, the finance minister met bankers in Karachi.")
    assert "Trade deal ahead" not in body
    assert "Meanwhile, the finance minister met bankers in Karachi." in body


def test_ordinary_sentence_with_a_comma_after_a_name_is_not_split():
    body, _ = cleaned("Speaking in the capital Kabul, the minister said talks would go on.\n" + PARA)
    assert body.startswith("Speaking in the capital Kabul, the minister")


def test_dateline_of_a_known_place_moves_to_metadata():
    body, meta = cleaned("KARACHI: " + PARA)
    assert meta.dateline == "Karachi"
    assert body.startswith("Officials said")


def test_speaker_label_in_capitals_is_not_a_dateline():
    body, meta = cleaned("PRESS SECRETARY JANE DOE: Good afternoon. " + PARA)
    assert meta.dateline is None
    assert body.startswith("PRESS SECRETARY")


def test_wikipedia_footnote_markers_do_not_make_prose_a_heading():
    body, _ = cleaned(PARA + "\nReports said there was a second explosion, later denied.[5][6]")
    assert "second explosion" in body


def test_nothing_left_is_an_error():
    with pytest.raises(NewsledgerError) as err:
        cleaned("Breaking News\nMore Headlines Here\nPublished in Dawn, March 8th, 2023")
    assert err.value.code == "E101"


@pytest.mark.parametrize("text,expected", [
    ("March 8th, 2023", date(2023, 3, 8)),
    ("8 March 2023", date(2023, 3, 8)),
    ("Sept. 3, 2012", date(2012, 9, 3)),
    ("2014-12-16", date(2014, 12, 16)),
    ("February 30, 2023", None),
    ("no date here", None),
])
def test_parse_date(text, expected):
    assert clean.parse_date(text) == expected


def test_a_single_unpunctuated_line_is_kept_as_the_report():
    body, _ = cleaned("Rebels seized the northern town of Gao on Sunday after heavy fighting")
    assert body == "Rebels seized the northern town of Gao on Sunday after heavy fighting"
