"""Bigram counts and their per-page cache (newsclean.text.similarity)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsclean.text.similarity import (
    LengthCeilings,
    Lexicon,
    PageGrams,
    bigrams,
    cosine,
    cosine_floor,
    gram,
    halves_of,
    letters_of,
)

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


@given(st.text())
def test_letters_are_the_han_letters_and_ascii_letters_and_digits(text: str) -> None:
    """The runs found and joined are the characters a plain filter keeps."""
    kept = [c for c in text if "\u3400" <= c <= "\u9fff" or c.isascii() and c.isalnum()]
    assert letters_of(text) == "".join(kept)


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


@given(st.lists(_PIECES, max_size=6), st.booleans())
def test_joined_counts_are_those_of_the_joined_text_in_its_order(texts: list[str],
                                                                 halves: bool) -> None:
    """of_joined builds a join's counts from its parts, or from its halves'
    counts: the same counts, and the same key order, which the vectors'
    float sums depend on."""
    direct = bigrams("".join(texts))
    grams = PageGrams()
    joined = grams.of_joined(texts, halves=halves)
    assert joined == direct
    assert list(joined) == list(direct)
    for half in halves_of(texts):
        assert list(grams.of_joined(half)) == list(bigrams("".join(half)))


def test_page_grams_count_a_text_once_and_leave_its_parts_untouched() -> None:
    grams = PageGrams()
    first = grams.of("杨巨才出席")
    assert grams.of("杨巨才出席") is first
    joined = grams.of_joined(["杨巨才出席", "推进会"])
    assert joined[gram("席", "推")] == 1
    assert first == bigrams("杨巨才出席")  # merging did not add to a part's Counter
    assert grams.of_joined(["杨巨才出席", "推进会"]) is joined


_PARAGRAPHS = st.lists(
    st.text(alphabet="杨巨才出席推进会工程项目9月AB，。 ", max_size=30), min_size=1, max_size=3
)


@given(_PARAGRAPHS, _PARAGRAPHS, st.lists(_PIECES, max_size=4))
def test_cosine_floor_is_never_above_the_cosine_of_the_joins(
    first: list[str], second: list[str], others: list[str]
) -> None:
    """topic_shift skips a break when the floor already reaches its
    threshold: the floor must never exceed the cosine it stands for,
    whatever the texts share, repeat, or hold across their joins."""
    grams = PageGrams()
    lexicon = Lexicon.of([grams.of_joined(first), grams.of_joined(second)]
                         + [grams.of(text) for text in others])
    exact = cosine(lexicon.vector(grams.of_joined(first)), lexicon.vector(grams.of_joined(second)))
    ceilings = LengthCeilings(lexicon, grams)
    assert cosine_floor(first, second, ceilings) <= exact


@given(st.lists(_PIECES, min_size=1, max_size=4), st.integers(0, 3))
def test_rough_length_ceiling_is_never_below_the_length(texts: list[str], pick: int) -> None:
    """The rough ceiling assumes every weight is the rarest's and caps a
    count's square at 4 * count - 3: repeated bigrams and bigrams held by
    every body must still leave it above the exact length."""
    grams = PageGrams()
    lexicon = Lexicon.of([grams.of(text) for text in texts])
    text = texts[pick % len(texts)] * (1 + pick)
    ceilings = LengthCeilings(lexicon, grams)
    assert ceilings.rough(text) >= lexicon.norm(grams.of(text)) * (1 - 1e-12)


def test_cosine_floor_of_texts_that_share_nothing_is_zero() -> None:
    grams = PageGrams()
    lexicon = Lexicon.of([grams.of("杨巨才出席"), grams.of("工程项目")])
    assert cosine_floor(["杨巨才出席"], ["工程项目"], LengthCeilings(lexicon, grams)) == 0.0


def test_cosine_floor_of_alike_paragraphs_is_near_their_cosine() -> None:
    """Two pairs of paragraphs of one story: the floor comes within a
    factor of the cosine, so that most breaks inside a story are passed."""
    grams = PageGrams()
    first = ["杨巨才出席全市重点工程项目推进会。", "会议要求加快项目建设。"]
    second = ["杨巨才强调，重点工程项目要抓进度。", "全市上下要推进项目建设。"]
    lexicon = Lexicon.of([grams.of_joined(first), grams.of_joined(second), grams.of("天气晴")])
    exact = cosine(lexicon.vector(grams.of_joined(first)), lexicon.vector(grams.of_joined(second)))
    assert 0.4 * exact < cosine_floor(first, second, LengthCeilings(lexicon, grams)) <= exact
