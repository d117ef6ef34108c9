"""Input validation: decoding, binary detection, size, and the English test."""
from __future__ import annotations

import codecs

import pytest

from newsledger.errors import NewsledgerError
from newsledger.ingest.validate import (
    check_size,
    check_text,
    decode_bytes,
    english_function_share,
    looks_binary,
    looks_english,
    validate_bytes,
)

ENGLISH = (
    "Two soldiers were killed and five wounded when militants attacked a checkpoint near the "
    "border on Tuesday, officials said. The army said it had launched a search operation in the area."
)
FRENCH = (
    "Deux soldats ont été tués et cinq blessés lorsque des militants ont attaqué un poste de "
    "contrôle près de la frontière mardi, ont indiqué les autorités. L'armée a lancé une "
    "opération de recherche dans la région."
)
GERMAN = (
    "Zwei Soldaten wurden am Dienstag getötet und fünf verletzt, als Kämpfer einen Kontrollposten "
    "nahe der Grenze angriffen, teilten Beamte mit. Die Armee hat in dem Gebiet eine Suchaktion begonnen."
)
SPANISH = (
    "Dos soldados murieron y cinco resultaron heridos cuando unos militantes atacaron un puesto de "
    "control cerca de la frontera el martes, dijeron las autoridades. El ejército inició una "
    "operación de búsqueda en la zona."
)
URDU = "منگل کو سرحد کے قریب ایک چوکی پر حملے میں دو فوجی ہلاک اور پانچ زخمی ہو گئے، حکام نے بتایا۔"
CHINESE = "官员说，周二武装分子袭击了边境附近的一个检查站，造成两名士兵死亡、五人受伤。军方已在该地区展开搜查行动。"


def code_of(call, *args) -> str:
    with pytest.raises(NewsledgerError) as caught:
        call(*args)
    return caught.value.code


@pytest.mark.parametrize("text", [
    ENGLISH,
    "Pakistan and the United States agreed on Wednesday to widen their cooperation against terrorism.",
    "Blast kills 12 in Peshawar",                      # a headline: too few words to judge
    "The minister said the talks would resume in Kabul next month.",
])
def test_english_texts_pass(text: str) -> None:
    assert looks_english(text)
    assert check_text(text, "t") == text


@pytest.mark.parametrize("text", [FRENCH, GERMAN, SPANISH, URDU, CHINESE])
def test_other_languages_are_refused_with_e106(text: str) -> None:
    assert not looks_english(text)
    assert code_of(check_text, text, "t") == "E106"


def test_function_word_share_separates_english_from_french_widely() -> None:
    english_share, _ = english_function_share(ENGLISH)
    french_share, _ = english_function_share(FRENCH)
    assert english_share > 0.3
    assert french_share < 0.1


def test_empty_and_whitespace_only_are_e101() -> None:
    assert code_of(decode_bytes, b"", "t") == "E101"
    assert code_of(validate_bytes, b" \n\t\r\n ", 100, "t") == "E101"
    assert code_of(validate_bytes, codecs.BOM_UTF8 + b"\n", 100, "t") == "E101"


def test_nul_bytes_and_control_characters_are_binary() -> None:
    assert looks_binary(b"PK\x03\x04\x00\x00 zip header")
    assert looks_binary(bytes(range(1, 32)) * 10)
    assert not looks_binary(ENGLISH.encode())
    assert not looks_binary(b"line one\r\nline two\tcolumn\x0cpage")
    assert code_of(decode_bytes, b"text\x00more", "t") == "E102"


def test_invalid_utf8_is_e103_with_the_offset() -> None:
    with pytest.raises(NewsledgerError) as caught:
        decode_bytes("café".encode("latin-1"), "file.txt")
    assert caught.value.code == "E103"
    assert "file.txt" in caught.value.message and "offset 3" in caught.value.message


def test_boms_and_declared_charset_are_honoured() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "naïve".encode(), "t") == "naïve"
    assert decode_bytes("naïve report".encode("utf-16"), "t") == "naïve report"
    assert decode_bytes("café".encode("latin-1"), "t", declared_encoding="iso-8859-1") == "café"
    # valid UTF-8 wins over a wrong Latin-1 declaration
    assert decode_bytes("café".encode(), "t", declared_encoding="iso-8859-1") == "café"


def test_size_limit_is_e104_and_names_the_source() -> None:
    check_size(100, 100, "a.txt")
    with pytest.raises(NewsledgerError) as caught:
        check_size(101, 100, "a.txt")
    assert caught.value.code == "E104" and "a.txt" in caught.value.message
