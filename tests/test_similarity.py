"""Bigram counts and their per-page cache (newsclean.text.similarity)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsclean.text.similarity import PageGrams, bigrams

#: Han characters, Latin letters and digits, the marks and spaces between them.
_PIECES = st.text(alphabet="杨巨才出席推进会9月份AB12，。“” \n", max_size=12)


def test_bigrams_skip_what_is_not_a_letter() -> None:
    assert bigrams("杨巨才，出席") == {"杨巨": 1, "巨才": 1, "才出": 1, "出席": 1}
    assert bigrams("9月份 9月份") == {"9月": 2, "月份": 2, "份9": 1}
    assert bigrams("，。") == {}


@given(st.lists(_PIECES, max_size=6))
def test_joined_counts_are_those_of_the_joined_text_in_its_order(texts: list[str]) -> None:
    """of_joined builds a join's counts from its parts: the same counts, and
    the same key order, which the vectors' float sums depend on."""
    direct = bigrams("".join(texts))
    joined = PageGrams().of_joined(texts)
    assert joined == direct
    assert list(joined) == list(direct)


def test_page_grams_count_a_text_once_and_leave_its_parts_untouched() -> None:
    grams = PageGrams()
    first = grams.of("杨巨才出席")
    assert grams.of("杨巨才出席") is first
    joined = grams.of_joined(["杨巨才出席", "推进会"])
    assert joined["席推"] == 1
    assert first == bigrams("杨巨才出席")  # merging did not add to a part's Counter
    assert grams.of_joined(["杨巨才出席", "推进会"]) is joined
