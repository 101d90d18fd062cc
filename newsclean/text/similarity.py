"""Lexical similarity shared by the stages: character bigrams weighted by rarity.

Bigrams need no dictionary, survive OCR errors in single characters, and
catch names and numbers (`杨巨才`, `9月份`) that a word segmenter may split
oddly.  Rarity is measured over the bodies of one page, so words every story
on the page uses (`我市`, `发展`) count for little.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat

#: Runs of letters and digits, the characters bigrams are counted over; all
#: else is left out.  What is kept is in the Basic Multilingual Plane, two
#: bytes a letter in UTF-16, which :func:`_pairs` relies on.
_GRAM_RUN_RE = re.compile(r"[\u3400-\u9fffA-Za-z0-9]+")


def letters_of(text: str) -> str:
    """The letters and digits of ``text``.  The runs found and joined, not
    the rest removed (``re.sub`` of the complement): the same string for
    two thirds of the instructions (1.14 M against 1.72 M for the sample
    page's texts), as the scan skips punctuation once, not at each
    character where a removal could start."""
    return "".join(_GRAM_RUN_RE.findall(text))


def bigrams(text: str) -> Counter[int]:
    """Character bigrams of the letters and digits of ``text``, each as the
    number :func:`gram` makes of it.

    Not remembered: a stage that asks for the same texts again keeps a
    :class:`PageGrams` for the page."""
    return _pairs(letters_of(text))


def gram(first: str, second: str) -> int:
    """The key of the bigram ``first + second``: the two letters' UTF-16 code
    units as one 32-bit number, the first in the low half."""
    return ord(first) | ord(second) << 16


def _pairs(letters: str) -> Counter[int]:
    """The bigrams of a text already reduced to its letters and digits.

    A bigram is a number (:func:`gram`), not a two-letter string: the text's
    UTF-16 bytes read four at a time are its bigrams at even offsets, read
    from its second letter those at odd offsets, and the two are interleaved
    in C.  Making a string of each pair (``map(operator.add, …)``) cost 1,250
    instructions a bigram, more than counting it: counting the sample page's
    text cost 9.5 M instructions so, 5.8 M this way.  A number's hash is not
    kept as a string's is, so each later lookup costs a little more (about
    8 %); split and segment together still cost 0.5 M less on that page.
    The keys come in the text's order, as the vectors' float sums need."""
    n = len(letters)
    if n < 2:
        return Counter()
    units = letters.encode("utf-16-le")
    pairs = memoryview(bytearray(4 * (n - 1))).cast("I")
    pairs[0::2] = memoryview(units[: n // 2 * 4]).cast("I")
    pairs[1::2] = memoryview(units[2 : 2 + (n - 1) // 2 * 4]).cast("I")
    return Counter(pairs)


class PageGrams:
    """The bigram counts of one page's texts, each text counted once.

    Split asks for the bigrams of the same texts many times over its passes
    (a unit's text, each half of a unit, a body beside a heading), and most
    of those texts are joins of the page's block texts.  A join's counts are
    made from its blocks' counts (:meth:`of_joined`), which costs less than
    counting the joined text again, a bigram at a time.

    One lives for one page.  A cache keyed by text that outlived the page
    (an ``lru_cache`` on :func:`bigrams`, once) never helps a batch, where no
    page repeats, yet made a benchmark that runs one page twenty times look
    a quarter faster than a new page costs.
    Callers must not change the Counters they get."""

    def __init__(self) -> None:
        self._counts: dict[str, Counter[int]] = {}
        self._letters: dict[str, str] = {}

    def of(self, text: str) -> Counter[int]:
        """:func:`bigrams` of ``text``."""
        counts = self._counts.get(text)
        if counts is None:
            counts = self._counts[text] = _pairs(self.letters(text))
        return counts

    def letters(self, text: str) -> str:
        """The letters and digits of ``text``, the characters bigrams are made of."""
        letters = self._letters.get(text)
        if letters is None:
            letters = self._letters[text] = letters_of(text)
        return letters

    def of_joined(self, texts: list[str], halves: bool = False) -> Counter[int]:
        """:func:`bigrams` of ``"".join(texts)``, made from the counts of each
        text and the pair across each join.

        Each text's counts are added in text order, the pair across a join
        before the text after it, so that the Counter holds its bigrams in
        the order the joined text first shows them, as counting that text
        would: the vectors made from it sum their weights in the same order,
        to the same float.

        With ``halves``, the counts of the texts' two halves (:func:`halves_of`)
        are made first, kept, and added in the same way: split compares the
        halves of each body (its story cohesion) after counting the bodies,
        and counting them again cost 0.5 M instructions more on the sample
        page."""
        joined = "".join(texts)
        counts = self._counts.get(joined)
        if counts is None:
            parts = ([(self.of_joined(half), "".join(map(self.letters, half)))
                      for half in halves_of(texts)] if halves and len(texts) > 2
                     else [(self.of(text), self.letters(text)) for text in texts])
            counts = self._counts[joined] = _merged([part for part in parts if part[1]])
        return counts


def halves_of(texts: list[str]) -> tuple[list[str], list[str]]:
    """The first half of ``texts`` (the shorter, when their number is odd) and the rest."""
    half = len(texts) // 2
    return texts[:half], texts[half:]


def _merged(parts: list[tuple[Counter[int], str]]) -> Counter[int]:
    """The counts of texts joined end to end, from each text's counts and
    letters (none empty): see :meth:`PageGrams.of_joined`."""
    if not parts:
        return Counter()
    counts: Counter[int] = Counter()
    # The first text's counts copied by dict.update: Counter(mapping) asks
    # first whether it is a Mapping, 0.15 M instructions more a page.
    dict.update(counts, parts[0][0])
    before = parts[0][1]
    for add, after in parts[1:]:
        counts[gram(before[-1], after[0])] += 1
        # New bigrams go in by dict.update, in the text's order; only
        # those held by both are summed in Python.
        summed = {gram: counts[gram] + add[gram] for gram in counts.keys() & add.keys()}
        dict.update(counts, add)
        dict.update(counts, summed)
        before = after
    return counts


@dataclass
class Lexicon:
    """Bigram rarity over the body units of one page.

    ``df`` counts the bodies that hold each bigram; a bigram held by ``k`` of
    the ``n`` bodies weighs ``table[k] = ln(1 + n / k)``.  A weight is looked
    up through the count when asked for: a dict of every bigram's weight cost
    as much to build as counting the bigrams, and most of its weights were
    never read.  A bigram in no body weighs as one in a single body,
    ``ln(1 + n)``: :attr:`unseen`."""

    df: dict[int, int]
    table: list[float]

    @classmethod
    def of(cls, grams: list[Counter[int]]) -> Lexicon:
        df: Counter[int] = Counter()
        for counts in grams:
            df.update(counts.keys())
        n = max(1, len(grams))
        return cls(df, [0.0] + [math.log(1 + n / count) for count in range(1, n + 1)])

    @cached_property
    def squares(self) -> list[float]:
        """``table`` squared: the weights a dot product of two vectors sums."""
        return [weight * weight for weight in self.table]

    @property
    def unseen(self) -> float:
        """The weight of a bigram no body holds."""
        return self.table[1]

    def weighted(self, phrase: str) -> dict[int, float]:
        table, df = self.table, self.df
        return {gram: table[df.get(gram, 1)] for gram in bigrams(phrase)}

    @staticmethod
    def coverage(phrase: dict[int, float], body: Counter[int]) -> float:
        """Share of the phrase's bigram weight (from :meth:`weighted`) found in the body.

        Split asks this of every heading and every body of a page, so the
        grams found are picked by ``filter`` and ``map`` rather than a
        Python loop: the same weights, summed in the same order."""
        total = sum(phrase.values())
        if not total:
            return 0.0
        return sum(map(phrase.__getitem__, filter(body.__contains__, phrase))) / total

    def norm(self, counts: Counter[int]) -> float:
        """The length of the tf-idf vector of ``counts`` (term counts capped at 3).

        One pass over ``items()``, and no product for a bigram seen once
        (most are; ``x * 1`` is ``x``): split makes vectors of thousands of
        bigrams a page, and a ``map`` of the body counts zipped with the
        counts, multiplying each, cost a third more."""
        table, get = self.table, self.df.get
        return math.hypot(*[
            table[get(gram, 1)] if c == 1 else table[get(gram, 1)] * (c if c < 3 else 3)
            for gram, c in counts.items()
        ])

    def vector(self, counts: Counter[int]) -> Vector:
        """tf-idf vector with term counts capped at 3, normalised to length 1."""
        return Vector(counts, self)


class Vector:
    """A text's tf-idf vector: its bigram counts and the scale that makes the
    vector length 1.  A weight is scaled only when a cosine reads it: most
    bigrams of a text are in no other text compared with it, and a dict of
    every scaled weight cost more than the cosines that read it."""

    __slots__ = ("counts", "df", "table", "scale")

    def __init__(self, counts: Counter[int], lexicon: Lexicon) -> None:
        df, table = lexicon.df, lexicon.table
        self.counts, self.df, self.table = counts, df, table
        self.scale = 1.0 / (lexicon.norm(counts) or 1.0)

    def __len__(self) -> int:
        return len(self.counts)

    def __getitem__(self, gram: int) -> float:
        """The scaled weight of ``gram``, a bigram of the text."""
        count = self.counts[gram]
        return self.table[self.df.get(gram, 1)] * (count if count < 3 else 3) * self.scale

    def weights(self, grams: list[int]) -> list[float]:
        """:meth:`__getitem__` of each of ``grams``, without a call for each."""
        table, scale = self.table, self.scale
        held_by = map(self.df.get, grams, repeat(1))
        return [table[k] * (c if c < 3 else 3) * scale
                for k, c in zip(held_by, map(self.counts.__getitem__, grams))]


def cosine(a: Vector, b: Vector) -> float:
    """Summed over the shorter vector's bigrams in its order, each weight
    computed as the whole vector would have held it: the same float."""
    if len(a) > len(b):
        a, b = b, a
    # Most bigrams of one text are not in the other: ``filter`` drops them
    # for two fifths of what a comprehension's test costs.
    shared = list(filter(b.counts.__contains__, a.counts))
    return sum(map(operator.mul, a.weights(shared), b.weights(shared)))


class LengthCeilings:
    """Numbers never below the vector lengths of single texts of one page,
    under one lexicon, for :func:`cosine_floor`; each made once per text.

    A ceiling looks up no weight: every weight is at most the rarest
    bigram's, ``table[1]``, and a count capped at 3 squares to no more than
    ``4 * count - 3`` (1, 5, 9 for counts 1, 2, 3; more above), so a text of
    ``total`` bigrams, ``distinct`` of them different, has a vector no longer
    than ``table[1] * sqrt(4 * total - 3 * distinct)``.  It costs a sum over
    the counts, where the exact length (:meth:`Lexicon.norm`) looks up every
    bigram's weight.  topic_shift's threshold is low enough that these
    ceilings settle most paragraph breaks: all 15 of the sample page's 17
    that exact lengths would settle, and 1,150 of the 1,329 of the 1,778
    breaks of the corpus's raw pages.  A second tier of exact lengths for
    the breaks left settled none more on the sample page and cost more
    than the vectors it spared over the corpus (topic_shift 0.5 M
    instructions less on the sample page without it, 2 % less over a
    quarter of the corpus).

    It also keeps, for the one body it serves, the bigrams each pair of
    texts shares (:meth:`shared`) and each side's ceiling (:meth:`side`)."""

    def __init__(self, lexicon: Lexicon, grams: PageGrams) -> None:
        self.lexicon, self.grams = lexicon, grams
        self._rough: dict[str, float] = {}
        self._shared: dict[tuple[str, str], set[int]] = {}
        self._sides: dict[tuple[str, ...], _SideCeiling] = {}

    def shared(self, first: str, second: str) -> set[int]:
        """The bigrams ``first`` and ``second`` both hold, made once per pair.

        Neighbouring breaks of a body compare the same paragraphs: a pair
        across one break is a pair within a side at the next, and the side
        under one break is the side over the break two paragraphs down
        (:meth:`side`).  The same set is read each time, in the same order,
        so the sums over it are the same floats.  Making each pair and side
        once cost topic_shift 0.7 M instructions less on the sample page
        (6.9 -> 6.1 M), 9 % less over a quarter of the corpus."""
        keys = self._shared.get((first, second))
        if keys is None:
            keys = self.grams.of(first).keys() & self.grams.of(second).keys()
            self._shared[first, second] = keys
        return keys

    def side(self, texts: list[str]) -> _SideCeiling:
        """:class:`_SideCeiling` of ``texts``."""
        key = tuple(texts)
        side = self._sides.get(key)
        if side is None:
            side = self._sides[key] = _SideCeiling(texts, self)
        return side

    def rough(self, text: str) -> float:
        """A ceiling on the length of ``text``'s vector, made without weights."""
        length = self._rough.get(text)
        if length is None:
            counts = self.grams.of(text)
            square = 4 * sum(counts.values()) - 3 * len(counts)
            length = self._rough[text] = self.lexicon.table[1] * math.sqrt(square)
        return length


def cosine_floor(first: list[str], second: list[str], ceilings: LengthCeilings) -> float:
    """A number never above the cosine of the vectors of ``"".join(first)``
    and ``"".join(second)``, made from each text's own counts and a ceiling
    on its vector length (``ceilings``) instead of the joins'.

    topic_shift compares the two paragraphs each side of every break of a
    body, and needs only to know that most pairs read alike: the joins'
    counts and lengths cost a merge and a pass over every bigram of both
    pairs at each break, while each paragraph's ceiling is made once.

    The dot product is summed over the bigrams any text of one side shares
    with one of the other, each at a count of one a side (the joins hold it
    at least once, and a count only adds weight), and each side's length is
    bounded above (:class:`_SideCeiling`).  Shaved by a billionth, so that
    float rounding never lifts it above the cosine that :func:`cosine`
    computes."""
    lexicon, grams = ceilings.lexicon, ceilings.grams
    first = [text for text in first if grams.letters(text)]
    second = [text for text in second if grams.letters(text)]
    shared: set[int] = set()
    for a in first:
        for b in second:
            shared |= ceilings.shared(a, b)
    if not shared:
        return 0.0
    # Each shared bigram at a count of one a side: the floor of its weights.
    dot = sum(map(lexicon.squares.__getitem__, map(lexicon.df.get, shared, repeat(1)))) * (1 - 1e-9)
    sides = ceilings.side(first), ceilings.side(second)
    return dot / (sides[0].length * sides[1].length)


class _SideCeiling:
    """A length no shorter than that of the vector of ``"".join(texts)``
    (texts with letters), from a ceiling on each text's own length.

    Capped counts add no more than their parts' (min(a + b, 3) <= min(a, 3)
    + min(b, 3)), so the join's vector, less the pairs across the joins, is
    no longer than the sum of the texts' vectors, whose square is their
    squared lengths plus twice their dot products; each pair across a join
    adds one to one count, no more than its weight to the length."""

    def __init__(self, texts: list[str], ceilings: LengthCeilings) -> None:
        lexicon, grams = ceilings.lexicon, ceilings.grams
        squares, get = lexicon.squares, lexicon.df.get
        self.dots = 0.0
        for i, a in enumerate(texts):
            counts_a = grams.of(a)
            for b in texts[i + 1:]:
                counts_b = grams.of(b)
                # ``c if c < 3 else 3`` rather than ``min(c, 3)``: the same
                # numbers without a call each.
                self.dots += 2 * sum([
                    squares[get(key, 1)] * (ca if ca < 3 else 3) * (cb if cb < 3 else 3)
                    for key in ceilings.shared(a, b)
                    for ca, cb in ((counts_a[key], counts_b[key]),)
                ])
        self.joins = sum([lexicon.table[get(gram(grams.letters(a)[-1], grams.letters(b)[0]), 1)]
                          for a, b in zip(texts, texts[1:])])
        #: The side's ceiling, each text's own length bounded by ``ceilings.rough``.
        self.length = math.sqrt(
            sum([ceilings.rough(text) ** 2 for text in texts]) + self.dots
        ) + self.joins
