"""Bigram counts and their per-page cache (newsclean.text.similarity)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsclean.text.similarity import PageGrams, bigrams, gram

#: Han characters, Latin letters and digits, the marks and spaces between them.
_PIECES = st.text(alphabet="杨巨才出席推进会9月份AB12，。“” \n", max_size=12)


def _keyed(counts: dict[str, int]) -> dict[int, int]:
    """Counts by two-letter string, keyed as :func:`bigrams` keys them."""
    return {gram(*pair): n for pair, n in counts.items()}


def test_bigrams_skip_what_is_not_a_letter() -> None:
    assert bigrams("杨巨才，出席") == _keyed({"杨巨": 1, "巨才": 1, "才出": 1, "出席": 1})
    assert bigrams("9月份 9月份") == _keyed({"9月": 2, "月份": 2, "份9": 1})
    assert bigrams("，。") == {}
    assert bigrams("杨") == {}


@given(st.text(alphabet="杨巨才出席推进会9月份AB12㐀鿿，。 \n𠀀", max_size=40))
def test_bigrams_are_the_letter_pairs_in_the_order_the_text_shows_them(text: str) -> None:
    """The counts made from the UTF-16 bytes are those of the letters paired
    one by one, keys in the same order (the float sums depend on it), at even
    and odd lengths; a character outside the BMP is not a letter."""
    letters = [c for c in text if "\u3400" <= c <= "\u9fff" or c.isascii() and c.isalnum()]
    expected: dict[int, int] = {}
    for first, second in zip(letters, letters[1:]):
        key = gram(first, second)
        expected[key] = expected.get(key, 0) + 1
    counts = bigrams(text)
    assert counts == expected
    assert list(counts) == list(expected)


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
    assert joined[gram("席", "推")] == 1
    assert first == bigrams("杨巨才出席")  # merging did not add to a part's Counter
    assert grams.of_joined(["杨巨才出席", "推进会"]) is joined
