"""The page model every stage reads and returns.

A raw page becomes :class:`Line` objects that remember their source line
numbers; stages group lines into :class:`Block` objects (each keeps the span
of raw lines it came from) and blocks into :class:`Article` objects.  Anything
a stage removes becomes a :class:`Dropped` entry with its reason, so that the
articles plus ``dropped`` always account for every character of the input.

The other classes are frozen dataclasses: a stage returns a new :class:`Page`
(``dataclasses.replace``) instead of mutating the one it was given, which keeps
stages pure and lets ``explain`` show the page after each step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from itertools import count, repeat
from typing import NamedTuple


class Kind(str, Enum):
    """What a block is.  The values are the strings used in JSON output."""

    PARAGRAPH = "paragraph"
    HEADLINE = "headline"
    KICKER = "kicker"
    SUBHEADLINE = "subheadline"
    BYLINE = "byline"
    SUBHEAD = "subhead"
    CAPTION = "caption"
    CREDIT = "credit"
    FURNITURE = "furniture"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


#: Kinds that open an article rather than belong to its body.
HEADING_KINDS = frozenset({Kind.KICKER, Kind.HEADLINE, Kind.SUBHEADLINE, Kind.BYLINE})


class Line(NamedTuple):
    """One line of the raw page after decoding.

    ``number`` is the 1-based line number in the source file, so that any
    block can point back to the raw text it was built from.
    ``letter_spaced`` records what normalize saw before it removed the
    justification spaces: a space between every two characters of the line
    (`深 入 推 进 电 子 商 务 与 扶 贫 攻 坚 深 度 融`), the mark of a body line
    stretched to its column's width.

    A named tuple rather than a frozen dataclass like the others: a page
    holds a line object for every raw line (700 on the seed), and a frozen
    dataclass, which sets each field through ``object.__setattr__``, took
    three times as long to make as a tuple, a tenth of the whole pipeline.
    """

    number: int
    text: str
    letter_spaced: bool = False

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @classmethod
    def numbered(cls, texts: list[str]) -> tuple[Line, ...]:
        """One line per text, numbered from 1."""
        return tuple(map(cls, range(1, len(texts) + 1), texts))


@dataclass(frozen=True)
class Block:
    """A run of text with one role: a paragraph, a headline line, a caption...

    ``lines`` is the (first, last) source line span.  ``evidence`` names the
    rules that decided the block's kind, for ``explain`` and for debugging.
    """

    kind: Kind
    text: str
    lines: tuple[int, int]
    evidence: tuple[str, ...] = ()

    def with_kind(self, kind: Kind, *evidence: str) -> Block:
        return Block(kind, self.text, self.lines, self.evidence + evidence)


@dataclass(frozen=True)
class Dropped:
    """Text removed from the articles, with the rule that removed it."""

    text: str
    why: str
    lines: tuple[int, int]


@dataclass(frozen=True)
class Article:
    """One story: its heading blocks and its body blocks, in reading order."""

    heading: tuple[Block, ...] = ()
    body: tuple[Block, ...] = ()
    continues_on: str | None = None
    continued_from: str | None = None

    def _heading_text(self, kind: Kind) -> str | None:
        parts = [block.text for block in self.heading if block.kind is kind]
        if not parts:
            return None
        if kind is Kind.BYLINE:
            return " ".join(parts)
        return "".join(parts)

    @property
    def headline(self) -> str:
        return self._heading_text(Kind.HEADLINE) or ""

    @property
    def kicker(self) -> str | None:
        return self._heading_text(Kind.KICKER)

    @property
    def subheadline(self) -> str | None:
        return self._heading_text(Kind.SUBHEADLINE)

    @property
    def byline(self) -> str | None:
        return self._heading_text(Kind.BYLINE)

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self.heading + self.body


@dataclass(frozen=True)
class Page:
    """A newspaper page on its way through the pipeline.

    ``lines`` is filled by decoding; ``blocks`` by rejoin (and refined by
    dedupe and segment); ``articles`` by split.  Before split has run, the
    renderers show the page as a single article with an empty headline.
    """

    source: str
    lines: tuple[Line, ...]
    #: None until a stage builds blocks; an empty tuple means every block was
    #: removed (a page of nothing but furniture), not "not rejoined yet".
    blocks: tuple[Block, ...] | None = None
    articles: tuple[Article, ...] = ()
    dropped: tuple[Dropped, ...] = ()
    stages_run: tuple[str, ...] = field(default=())

    def current_blocks(self) -> tuple[Block, ...]:
        """The blocks as they stand: rejoined blocks, or one per non-blank line."""
        if self.blocks is not None:
            return self.blocks
        return tuple(
            Block(Kind.UNKNOWN, line.text, (line.number, line.number))
            for line in self.lines
            if not line.is_blank
        )

    def current_articles(self) -> tuple[Article, ...]:
        """The articles as they stand: split's result, or the whole page as one."""
        if self.articles:
            return self.articles
        blocks = self.current_blocks()
        return (Article(body=blocks),) if blocks else ()


def page_from_text(text: str, source: str = "<stdin>") -> Page:
    """Make a page of lines from already decoded text (line ends unified).
    Each line is made by ``tuple.__new__``, as Line's own ``__new__`` does,
    but without a Python call per line, which cost as much as normalize."""
    rows = zip(count(1), text.split("\n"), repeat(False))
    return Page(source=source, lines=tuple(map(tuple.__new__, repeat(Line), rows)))
