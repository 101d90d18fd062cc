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
from functools import lru_cache

#: What is not a letter or digit: removed before the bigrams are counted.
_NOT_GRAM_RE = re.compile(r"[^\u3400-\u9fffA-Za-z0-9]+")


@lru_cache(maxsize=4096)
def bigrams(text: str) -> Counter[str]:
    """Character bigrams of the letters and digits of ``text``.

    Remembered per text (split asks for the same unit and block texts several
    times); callers must not change the Counter they get.  Deleting what is
    not a letter in one ``sub`` and pairing with ``operator.add`` cost a
    third less than gathering the letters one by one and ``str.__add__``."""
    chars = _NOT_GRAM_RE.sub("", text)
    return Counter(map(operator.add, chars, chars[1:]))


@dataclass
class Lexicon:
    """Bigram rarity over the body units of one page."""

    idf: dict[str, float]
    unseen: float

    @classmethod
    def of(cls, grams: list[Counter[str]]) -> Lexicon:
        df: Counter[str] = Counter()
        for counts in grams:
            df.update(counts.keys())
        n = max(1, len(grams))
        table = [0.0] + [math.log(1 + n / count) for count in range(1, n + 1)]
        return cls({g: table[count] for g, count in df.items()}, math.log(1 + n))

    def weight(self, gram: str) -> float:
        return self.idf.get(gram, self.unseen)

    def weighted(self, phrase: str) -> dict[str, float]:
        return {gram: self.weight(gram) for gram in bigrams(phrase)}

    @staticmethod
    def coverage(phrase: dict[str, float], body: Counter[str]) -> float:
        """Share of the phrase's bigram weight (from :meth:`weighted`) found in the body.

        Split asks this of every heading and every body of a page, so the
        grams found are picked by ``filter`` and ``map`` rather than a
        Python loop: the same weights, summed in the same order."""
        total = sum(phrase.values())
        if not total:
            return 0.0
        return sum(map(phrase.__getitem__, filter(body.__contains__, phrase))) / total

    def vector(self, counts: Counter[str]) -> Vector:
        """tf-idf vector with term counts capped at 3, normalised to length 1."""
        return Vector(counts, self)


class Vector:
    """A text's tf-idf vector: its bigram counts and the scale that makes the
    vector length 1.  A weight is scaled only when a cosine reads it: most
    bigrams of a text are in no other text compared with it, and a dict of
    every scaled weight cost more than the cosines that read it."""

    __slots__ = ("counts", "idf", "unseen", "scale")

    def __init__(self, counts: Counter[str], lexicon: Lexicon) -> None:
        idf, unseen = lexicon.idf, lexicon.unseen
        self.counts, self.idf, self.unseen = counts, idf, unseen
        weights = [idf.get(g, unseen) * (c if c < 3 else 3) for g, c in counts.items()]
        self.scale = 1.0 / (math.hypot(*weights) or 1.0)

    def __len__(self) -> int:
        return len(self.counts)

    def __getitem__(self, gram: str) -> float:
        """The scaled weight of ``gram``, a bigram of the text."""
        count = self.counts[gram]
        return self.idf.get(gram, self.unseen) * (count if count < 3 else 3) * self.scale


def cosine(a: Vector, b: Vector) -> float:
    """Summed over the shorter vector's bigrams in its order, each weight
    computed as the whole vector would have held it: the same float."""
    if len(a) > len(b):
        a, b = b, a
    in_b = b.counts
    return sum([a[g] * b[g] for g in a.counts if g in in_b])
