"""decode: bytes to text, strictly, with the file and byte offset of any damage."""

from __future__ import annotations

import codecs

import pytest

from newsclean.io.decode import UndecodableInput, decode, sniff_encoding, unify_line_ends

TEXT = "金融扶贫\nCOVID 19"


def test_utf8_without_bom() -> None:
    assert decode(TEXT.encode("utf-8")) == TEXT


def test_utf8_bom_is_skipped_not_kept_as_a_character() -> None:
    assert decode(codecs.BOM_UTF8 + TEXT.encode("utf-8")) == TEXT


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    assert decode(bom + TEXT.encode(codec)) == TEXT


def test_python_utf16_output_with_its_native_bom() -> None:
    assert decode(TEXT.encode("utf-16")) == TEXT


def test_bom_overrides_the_requested_encoding() -> None:
    assert sniff_encoding(codecs.BOM_UTF8 + b"x", "gb18030") == ("utf-8", 3)
    assert decode(codecs.BOM_UTF8 + TEXT.encode("utf-8"), encoding="gb18030") == TEXT


def test_legacy_encoding_when_asked() -> None:
    assert decode(TEXT.encode("gb18030"), encoding="gb18030") == TEXT


@pytest.mark.parametrize(
    ("raw", "unified"),
    [
        ("a\r\nb", "a\nb"),  # Windows
        ("a\rb", "a\nb"),  # old Mac archives: lone CR
        ("a\fb", "a\nb"),  # pdftotext's page break
        ("a\r\n\r\nb", "a\n\nb"),  # a blank line stays one blank line
    ],
)
def test_line_ends_are_unified(raw: str, unified: str) -> None:
    assert unify_line_ends(raw) == unified
    assert decode(raw.encode("utf-8")) == unified


def test_undecodable_byte_names_source_and_offset() -> None:
    data = "金融".encode() + b"\xff" + "扶贫".encode()
    with pytest.raises(UndecodableInput) as caught:
        decode(data, "page.txt")
    assert caught.value.offset == 6
    assert caught.value.source == "page.txt"
    assert "page.txt" in str(caught.value) and "offset 6" in str(caught.value)


def test_offset_counts_the_skipped_bom() -> None:
    data = codecs.BOM_UTF8 + "金融".encode() + b"\xff"
    with pytest.raises(UndecodableInput) as caught:
        decode(data, "bom.txt")
    assert caught.value.offset == 3 + 6
    assert data[caught.value.offset] == 0xFF


def test_offset_in_utf16_counts_the_bom() -> None:
    data = codecs.BOM_UTF16_LE + "金融".encode("utf-16-le") + b"\x00"  # one odd byte
    with pytest.raises(UndecodableInput) as caught:
        decode(data, "u16.txt")
    assert caught.value.offset == 2 + 4
    assert caught.value.encoding == "utf-16-le"


def test_truncated_multibyte_character_at_the_end() -> None:
    data = "金融".encode() + "扶".encode()[:2]
    with pytest.raises(UndecodableInput) as caught:
        decode(data, "cut.txt")
    assert caught.value.offset == 6


def test_undecodable_is_a_value_error_for_library_callers() -> None:
    with pytest.raises(ValueError):
        decode(b"\xff")
