"""What a match of a regex can begin with (newsclean.text.regex_start)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsclean.config import Config
from newsclean.dictionaries import load_regex
from newsclean.stages import rejoin
from newsclean.text.regex_start import first_literals


@pytest.mark.parametrize(
    ("pattern", "firsts"),
    [
        (r"(摄|摄影|摄影报道)[）)]?$", {"摄"}),
        (r"摄[（(][^）)]*发[）)]$", {"摄"}),
        (r"(?:星期|礼拜)[一二]", {"星", "礼"}),
        (r"[0-9]{1,2}\s*月", None),  # a range: not plain characters
        (r"^\s*转", None),  # a category
        (r"a?", None),  # may match empty
        (r"(?i)a", None),
        (r"[^a]x", None),
    ],
)
def test_plain_first_characters_of_a_pattern(pattern: str, firsts: set[str] | None) -> None:
    assert first_literals(re.compile(pattern)) == (None if firsts is None else frozenset(firsts))


def test_a_guard_is_one_character() -> None:
    """A test of several characters costs about what the search it saves."""
    one, two = re.compile("摄[（(]"), re.compile("[ab]x")
    assert rejoin.guarded((one, two)) == ((one, "摄"), (two, ""))


@given(st.text(alphabet="摄影报道王正（影像中国）()新华社记者发版式设计：蔡华伟图文 ", max_size=16))
def test_guarded_credits_find_what_the_dictionary_finds(text: str) -> None:
    """The substring test before each credit pattern turns away only lines
    the pattern would not match."""
    patterns = rejoin.Patterns.load(Config())
    assert patterns.is_credit(text) == bool(load_regex("credits").search(text))
