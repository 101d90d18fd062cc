"""dedupe: remove text the layout printed twice and text that belongs to the page.

Every removal becomes a :class:`Dropped` entry (text, why, source lines), so the
remaining blocks plus ``dropped`` still hold every character of the input, in
order.  The rules, in the order they run:

``jump_line``          `（下转第3版）`, `（上接左上）`: continuation notes, why ``jump-line``;
                       :func:`parse_jump_line` reads the target back for split.
``furniture``          a source line made only of running-head / footer tokens
                       (paper name, date, weekday, `第4版`, `本版责编：…`, URL, hotline).
``learned_furniture``  a source line listed in ``Config.learned_furniture``
                       (see :func:`learn_furniture`), why ``furniture``.
``doubled_chars``      fake-bold overprint that doubles every character of a line.
``repeated_run``       a run printed twice in a row, on one line or adjacent lines.
``repeated_block``     a pull quote or caption that repeats text printed elsewhere:
                       the copy standing on its own lines goes, the body keeps its copy.

All rules work on source lines inside blocks, so they serve both one block per
line and rejoined paragraphs: a jump line glued to the end of a paragraph, or a
footer glued to its last line, is cut out and the block keeps its line span.

The stage runs on every page of a batch, so it is built for speed without
changing what it removes.  A line rule first flags, with one regex pass over
the page's lines, the few lines it could act on (never fewer: the tests check
the passes against looking at everything) and checks only those.  Where each
source line sits in the blocks is worked out once per tuple of blocks; the two
repeat rules share one comparable string of the page, and pull quotes are looked
up from the line ends a quote can have.  Compiled patterns are cached per
process and dictionary folders, never built per page.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache, partial
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import add, attrgetter, is_not, itemgetter, le, lt, sub
from pathlib import Path
from statistics import median
from typing import NamedTuple

from ..config import Config
from ..dictionaries import load_list, load_patterns
from ..model import Block, Dropped, Page
from ..text.cjk import (
    CLOSERS,
    HAN_RE,
    SENTENCE_FINAL,
    cells,
    ends_sentence,
    fold,
    han_count,
    strip_spaces,
)
from ..text.regex_start import first_chars

#: Rule names this stage answers to in ``Config.disabled_rules``, in run order.
RULES = (
    "jump_line",
    "furniture",
    "learned_furniture",
    "doubled_chars",
    "repeated_run",
    "repeated_block",
)

# Full-width ASCII forms fold to ASCII one character for one character, so that
# an OCR `(` matches a printed `（` without changing any offset.
_FULL_WIDTH_RE = re.compile("[\uff01-\uff5e]")
_FULL_TO_HALF = 0xFEE0
_SPACE_RE = re.compile(r"\s")
_DOUBLED_RE = re.compile(r"(?:(\S)\1)+")
# A line worth a closer look for fake bold: two doubled pairs in a row.  `[^ ]`
# rather than `\S` makes the pass over the page twice as fast; a doubled tab or
# ideographic space only costs a closer look.
_DOUBLED_LINE_RE = re.compile(r"([^ ])\1([^ ])\2")
_DIGITS_RE = re.compile(r"[0-9]+")
_STARTER_RE = re.compile(f"[{re.escape(SENTENCE_FINAL + CLOSERS)}]")
# The last character of a sentence, hence of a pull quote or caption.
_QUOTE_ENDS = frozenset(SENTENCE_FINAL + CLOSERS)
# The quote ends a join's key can hold: it is full-width folded, so `！` and
# the like are never there, and a search for an absent mark costs 30 000
# instructions.
_KEY_QUOTE_ENDS = frozenset(mark for mark in _QUOTE_ENDS if not _FULL_WIDTH_RE.match(mark))

Cut = tuple[int, int]
LineRange = tuple[int, int, int]  # start, end in a block's text; source line number
RuleResult = tuple[tuple[Block, ...], list[Dropped]]


# --- the page's source lines ----------------------------------------------------


@dataclass(frozen=True)
class _SourceLines:
    """The page's non-blank source lines, stripped, in order.

    ``offsets[i]`` is where line i would start if the lines were put together
    (as rejoin puts them into blocks), ``offsets[-1]`` their total length.
    ``scan`` holds each line after a newline, so that one regex pass over it
    (patterns compiled with MULTILINE) sees every line, its ``^`` and ``$``
    included; ``starts[i]`` is line i's offset there."""

    numbers: tuple[int, ...]
    texts: tuple[str, ...]
    offsets: tuple[int, ...]
    scan: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, page: Page) -> _SourceLines:
        # Comprehensions read the two fields at half the cost of attrgetter maps.
        stripped = [line.text.strip() for line in page.lines]
        numbers = tuple(compress([line.number for line in page.lines], stripped))
        texts = tuple(filter(None, stripped))
        if not all(map(le, numbers, numbers[1:])):
            pairs = sorted(zip(numbers, texts, strict=True))
            numbers = tuple(number for number, _text in pairs)
            texts = tuple(text for _number, text in pairs)
        offsets = tuple(accumulate(map(len, texts), initial=0))
        starts = tuple(map(add, offsets[:-1], range(1, len(texts) + 1)))
        return cls(numbers, texts, offsets, "\n" + "\n".join(texts), starts)

    def text_of(self, number: int) -> str:
        """The stripped text of line ``number`` ("" when blank or missing)."""
        index = bisect_left(self.numbers, number)
        found = index < len(self.numbers) and self.numbers[index] == number
        return self.texts[index] if found else ""

    def _index_at(self, offset: int) -> int:
        return max(bisect_right(self.starts, offset) - 1, 0)

    def touched_by(self, pattern: re.Pattern[str]) -> list[int]:
        """Sorted numbers of the lines where a match of ``pattern`` starts or into
        which it runs.  A pattern that matches inside a line's own text matches
        there in ``scan`` too, unless an earlier match ran over that place, which
        then flags the line: so no line the pattern could act on is missed."""
        found: set[int] = set()
        for match in pattern.finditer(self.scan):
            first = self._index_at(match.start())
            last = self._index_at(max(match.end() - 1, match.start()))
            found.update(self.numbers[first : last + 1])
        return sorted(found)

    def starting_with(self, pattern: re.Pattern[str]) -> list[int]:
        """Numbers of the lines that begin with a match of ``pattern``, a pattern
        made by :func:`_at_line_start` (its match is the newline before the line)."""
        if not self.numbers:
            return []
        return [self.numbers[self._index_at(match.end())] for match in pattern.finditer(self.scan)]


@lru_cache(maxsize=64)
def _multiline(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern, pattern.flags | re.MULTILINE)


@lru_cache(maxsize=64)
def _at_line_start(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` tried at every line start of ``_SourceLines.scan`` and nowhere
    else: the search jumps from newline to newline (a literal is found fast) and
    the lookahead consumes nothing, so each line is tried on its own.  A class of
    the characters a match can begin with, when the pattern tells them, turns
    most lines away with one test: the furniture alternation's branches open with
    optional groups, which the engine would otherwise enter one by one."""
    first = first_chars(pattern)
    guard = f"(?=[{first}])" if first else ""
    return re.compile(rf"\n{guard}(?=(?:{pattern.pattern}))", pattern.flags | re.MULTILINE)


class _Context:
    """What every rule reads besides the blocks: the config and the page's
    (normalized) source lines.  Each view of them is built on first use (most
    pages need few), then kept for the rules that follow."""

    def __init__(self, page: Page, config: Config) -> None:
        self.page = page
        self.config = config
        self.widths: dict[int, float] = {}  # cells of a line, by number
        self.ranges: dict[tuple[str, tuple[int, int]], list[LineRange]] = {}
        self.rewritten: set[tuple[str, tuple[int, int]]] = set()  # see line_ranges
        self.placed: dict[int, _Placement] = {}  # by id(block), see _Layout
        self._layout: tuple[tuple[Block, ...], _Layout] | None = None
        self._joined: tuple[tuple[Block, ...], _Joined] | None = None

    @cached_property
    def source(self) -> _SourceLines:
        return _SourceLines.of(self.page)

    @cached_property
    def folded_lines(self) -> str:
        """The source lines put together, full-width forms folded: built once,
        the key of every run of plain blocks is a slice of it."""
        return _fold_width("".join(self.source.texts))

    @cached_property
    def order(self) -> tuple[int, ...]:
        """Numbers of the non-blank lines in page order."""
        return tuple(line.number for line in self.page.lines if not line.is_blank)

    @cached_property
    def position(self) -> dict[int, int]:
        return dict(zip(self.order, range(len(self.order))))

    def layout(self, blocks: tuple[Block, ...]) -> _Layout:
        """Where the source lines sit in ``blocks``, built once per tuple of
        blocks (a rule that cuts nothing hands the same tuple on)."""
        if self._layout is None or self._layout[0] is not blocks:
            self._layout = (blocks, _Layout.of(blocks, self))
        return self._layout[1]

    def joined(self, blocks: tuple[Block, ...]) -> _Joined:
        """The blocks as one comparable string, shared by the two repeat rules
        (the first rarely cuts, and then hands the same blocks on)."""
        if self._joined is None:
            self._joined = (blocks, _join(blocks, self))
        elif self._joined[0] is not blocks:
            self._joined = (blocks, _rejoin(*self._joined, blocks, self))
        return self._joined[1]

    def width(self, number: int) -> float:
        if number not in self.widths:
            self.widths[number] = cells(self.source.text_of(number))
        return self.widths[number]

    def column_width(self, first: int, last: int) -> float:
        """Column width around lines first..last: the ``width_percentile`` of the
        widths of ``width_window`` non-blank lines on each side (as rejoin does)."""
        window = self.config.width_window
        low, high = self.position.get(first, 0), self.position.get(last, 0)
        numbers = self.order[max(low - window, 0) : low] + self.order[high + 1 : high + 1 + window]
        widths = sorted(self.width(number) for number in numbers)
        if not widths:
            return 0.0
        return widths[int(self.config.width_percentile * (len(widths) - 1))]


# --- blocks, their source lines and cuts -------------------------------------


def line_ranges(block: Block, ctx: _Context) -> list[LineRange]:
    """(start, end, line number) of each source line inside ``block.text``.

    Rejoin concatenates line texts (adding a space between Latin words), so the
    lines are found in order; when they cannot be (rejoin rewrote the text), the
    whole block counts as one line with its first line's number."""
    key = (block.text, block.lines)
    if key not in ctx.ranges:
        ranges = _concatenated_lines(block, ctx.source) or _found_lines(block, ctx)
        if ranges is None:
            ranges = [(0, len(block.text), block.lines[0])]
            ctx.rewritten.add(key)
        ctx.ranges[key] = ranges
    return ctx.ranges[key]


def _is_rewritten(block: Block, ctx: _Context) -> bool:
    line_ranges(block, ctx)
    return (block.text, block.lines) in ctx.rewritten


def _concatenated_lines(block: Block, source: _SourceLines) -> list[LineRange] | None:
    """The line ranges when the block is exactly its lines put together (the
    usual case, found without searching); None otherwise."""
    first = bisect_left(source.numbers, block.lines[0])
    last = bisect_right(source.numbers, block.lines[1])
    texts = source.texts[first:last]
    if not texts or "".join(texts) != block.text:
        return None
    ends = list(accumulate(map(len, texts)))
    return list(zip([0, *ends[:-1]], ends, source.numbers[first:last], strict=True))


def _found_lines(block: Block, ctx: _Context) -> list[LineRange] | None:
    """The line ranges found one line after the other, spaces allowed between
    them; None when a line is missing or text is left over."""
    source = ctx.source
    first = bisect_left(source.numbers, block.lines[0])
    last = bisect_right(source.numbers, block.lines[1])
    ranges: list[LineRange] = []
    pos = 0
    for number, text in zip(source.numbers[first:last], source.texts[first:last], strict=True):
        found = block.text.find(text, pos)
        if found < 0 or block.text[pos:found].strip():
            return None
        ranges.append((found, found + len(text), number))
        pos = found + len(text)
    if not ranges or block.text[pos:].strip():
        return None
    return ranges


class _Placement(NamedTuple):
    """Where one block's source lines are: ``low:high`` slices the
    :class:`_SourceLines` in its span; ``plain`` says its text is exactly those
    lines put together, rejoin's usual work (a cut or an added space breaks
    it); ``rewritten`` that its lines cannot be found at all (see
    :func:`line_ranges`)."""

    block: Block
    low: int
    high: int
    plain: bool
    rewritten: bool


@dataclass(frozen=True)
class _Layout:
    """Where the source lines sit in a tuple of blocks: the blocks' spans, each
    block's :class:`_Placement` as parallel lists, and ``ordered``: the blocks
    follow each other down the page without sharing lines, so the block of a
    line is found by bisection.  A rule that cuts a few blocks leaves the others
    as they were, so placements are kept by block and only new blocks placed."""

    firsts: list[int]
    lasts: list[int]
    low: list[int]
    high: list[int]
    plain: list[bool]
    rewritten: list[int]
    ordered: bool

    @classmethod
    def of(cls, blocks: tuple[Block, ...], ctx: _Context) -> _Layout:
        placed = ctx.placed
        new = list(blocks)  # the page's first layout places all: no look-up a block
        if placed:
            new = [block for block in blocks if _placed_block(placed, block) is not block]
        for placement in _place(new, ctx):
            placed[id(placement.block)] = placement
        rows = [placed[id(block)] for block in blocks]
        columns = [list(column) for column in zip(*rows, strict=True)]
        _blocks, low, high, plain, rewritten = columns or [[] for _ in _Placement._fields]
        spans = list(map(attrgetter("lines"), blocks))
        firsts = list(map(itemgetter(0), spans))
        lasts = list(map(itemgetter(1), spans))
        ordered = all(map(lt, lasts[:-1], firsts[1:]))
        return cls(firsts, lasts, low, high, plain, list(compress(count(), rewritten)), ordered)

    def plain_ranges(self, index: int, numbers: list[int], source: _SourceLines) -> list[LineRange]:
        """The line ranges of the given (sorted) source lines inside plain block
        ``index``, read off the offsets."""
        base = source.offsets[self.low[index]]
        ranges = []
        for number in numbers:
            line = bisect_left(source.numbers, number)
            ranges.append((source.offsets[line] - base, source.offsets[line + 1] - base, number))
        return ranges

    def blocks_holding(self, numbers: list[int]) -> dict[int, set[int]]:
        """Block index -> those of ``numbers`` (sorted line numbers) in its span."""
        found: dict[int, set[int]] = defaultdict(set)
        if self.ordered:
            for number in numbers:
                index = bisect_right(self.firsts, number) - 1
                if index >= 0 and number <= self.lasts[index]:
                    found[index].add(number)
            return found
        for index, (first, last) in enumerate(zip(self.firsts, self.lasts, strict=True)):
            inside = numbers[bisect_left(numbers, first) : bisect_right(numbers, last)]
            if inside:
                found[index].update(inside)
        return found


def _placed_block(placed: dict[int, _Placement], block: Block) -> Block | None:
    placement = placed.get(id(block))
    return placement.block if placement else None


def _place(blocks: list[Block], ctx: _Context) -> list[_Placement]:
    source = ctx.source
    spans = list(map(attrgetter("lines"), blocks))
    low = list(map(partial(bisect_left, source.numbers), map(itemgetter(0), spans)))
    high = list(map(partial(bisect_right, source.numbers), map(itemgetter(1), spans)))
    plain = _plain_blocks(blocks, source, low, high)
    return [
        _Placement(block, start, stop, is_plain, not is_plain and _is_rewritten(block, ctx))
        for block, start, stop, is_plain in zip(blocks, low, high, plain, strict=True)
    ]


def _plain_blocks(
    blocks: list[Block], source: _SourceLines, low: list[int], high: list[int]
) -> list[bool]:
    """Which blocks are exactly their source lines put together: one comparison
    for all of them when all are (the usual case), else one a block."""
    texts = [block.text for block in blocks]
    lines = list(map(source.texts.__getitem__, map(slice, low, high)))
    if all(map(lt, low, high)) and "".join(texts) == "".join(chain.from_iterable(lines)):
        at = source.offsets.__getitem__
        if list(map(len, texts)) == list(map(sub, map(at, high), map(at, low))):
            return [True] * len(blocks)
    return [
        start < stop and text == "".join(part)
        for text, part, start, stop in zip(texts, lines, low, high, strict=True)
    ]


def _span_of(cut: Cut, ranges: list[LineRange], block: Block) -> tuple[int, int]:
    numbers = [number for start, end, number in ranges if start < cut[1] and cut[0] < end]
    if not numbers or len(ranges) == 1 and ranges[0][:2] == (0, len(block.text)):
        return block.lines if len(ranges) == 1 else (block.lines[0], block.lines[0])
    return (min(numbers), max(numbers))


def cut_block(
    block: Block, cuts: list[Cut], why: str, ctx: _Context
) -> tuple[Block | None, list[Dropped]]:
    """Remove ``cuts`` (sorted, disjoint text ranges) from ``block``: the pieces
    become Dropped entries; the rest stays a block with the same line span, or
    None when nothing but spaces is left."""
    if not cuts:
        return block, []
    ranges = line_ranges(block, ctx)
    dropped, kept, pos = [], [], 0
    for start, end in cuts:
        kept.append(block.text[pos:start])
        piece = block.text[start:end].strip()
        if piece:
            dropped.append(Dropped(piece, why, _span_of((start, end), ranges, block)))
        pos = end
    kept.append(block.text[pos:])
    rest = "".join(kept).strip()
    return (replace(block, text=rest) if rest else None), dropped


def _apply_cuts(
    blocks: tuple[Block, ...], cuts: dict[int, list[Cut]], why: str, ctx: _Context
) -> RuleResult:
    return _apply_cuts_why(blocks, cuts, dict.fromkeys(cuts, why), ctx)


def _apply_cuts_why(
    blocks: tuple[Block, ...], cuts: dict[int, list[Cut]], whys: dict[int, str], ctx: _Context
) -> RuleResult:
    """Cut the blocks that have cuts; the blocks come back as the same tuple when
    nothing is cut, so that what was built for them can be kept."""
    cuts = {index: ranges for index, ranges in cuts.items() if ranges}
    if not cuts:
        return blocks, []
    out: list[Block] = []
    dropped: list[Dropped] = []
    for index, block in enumerate(blocks):
        kept, removed = (
            cut_block(block, sorted(cuts[index]), whys.get(index, ""), ctx)
            if index in cuts
            else (block, [])
        )
        dropped.extend(removed)
        if kept is not None:
            out.append(kept)
    return tuple(out), dropped


def _lines_to_check(
    blocks: tuple[Block, ...], ctx: _Context, flagged: list[int]
) -> Iterator[tuple[int, Block, list[LineRange]]]:
    """(index, block, line ranges) for the flagged source lines (sorted numbers)
    inside each block, in block order; a block whose text rejoin rewrote is
    checked whole."""
    layout = ctx.layout(blocks)
    holding = layout.blocks_holding(flagged)
    for index in sorted(holding.keys() | set(layout.rewritten)):
        block = blocks[index]
        if index in layout.rewritten:
            yield index, block, line_ranges(block, ctx)
        elif layout.plain[index]:
            yield index, block, layout.plain_ranges(index, sorted(holding[index]), ctx.source)
        else:
            wanted = holding[index]
            yield index, block, [item for item in line_ranges(block, ctx) if item[2] in wanted]


def _line_cuts(
    blocks: tuple[Block, ...],
    ctx: _Context,
    is_removable: Callable[[str], bool],
    flagged: list[int],
) -> dict[int, list[Cut]]:
    """Whole source lines, among the ``flagged`` ones, for which ``is_removable``
    holds."""
    cuts: dict[int, list[Cut]] = {}
    for index, block, ranges in _lines_to_check(blocks, ctx, flagged):
        found = [(start, end) for start, end, _ in ranges if is_removable(block.text[start:end])]
        if found:
            cuts[index] = found
    return cuts


# --- jump lines ----------------------------------------------------------------


@dataclass(frozen=True)
class JumpLine:
    """What a jump line says: ``direction`` is ``continues_on`` (下转) or
    ``continued_from`` (上接); ``target`` the page or place (`3`, `右下`)."""

    direction: str
    target: str


_JUMP_PARSE_RE = re.compile(
    r"(下转|上接|转|接)\s*(?:第\s*)?([0-9一二三四五六七八九十]+|[上下左右]{1,2})"
)


def parse_jump_line(text: str) -> JumpLine | None:
    """Read a dropped jump line back: `（下转第3版）` -> continues_on, `3`."""
    match = _JUMP_PARSE_RE.search(text)
    if not match:
        return None
    direction = "continued_from" if "接" in match.group(1) else "continues_on"
    return JumpLine(direction, match.group(2))


def jump_line(blocks: tuple[Block, ...], ctx: _Context) -> RuleResult:
    """Cut continuation notes, why ``jump-line``.  Bracketed forms
    (`（下转第3版）`, OCR `(上接左上)`) are cut wherever they stand in a line,
    since rejoin may glue them to a paragraph or a fused layout line; patterns
    anchored with ^…$ in dictionaries/jump_lines.txt (`转第3版`) only as a whole
    line."""
    user = ctx.config.user_dictionaries
    patterns = load_patterns("jump_lines", user)
    flagged = sorted({number for pattern in patterns for number in _lines_touched(pattern, ctx)})
    cuts: dict[int, list[Cut]] = {}
    for index, block, ranges in _lines_to_check(blocks, ctx, flagged):
        cuts[index] = [
            cut for start, end, _ in ranges for cut in _matches_in(block.text, start, end, patterns)
        ]
    return _apply_cuts(blocks, _disjoint(cuts), "jump-line", ctx)


def _lines_touched(pattern: re.Pattern[str], ctx: _Context) -> list[int]:
    """The lines a jump pattern may match in: a whole-line pattern (`^…$`) is
    tried at line starts only, half the cost of a search at every character."""
    if _only_at_line_start(pattern):
        return ctx.source.starting_with(_at_line_start(pattern))
    return ctx.source.touched_by(_multiline(pattern))


@lru_cache(maxsize=64)
def _only_at_line_start(pattern: re.Pattern[str]) -> bool:
    """Whether every match of ``pattern`` starts at a line start: it opens with
    ``^`` and has no ``|`` outside brackets and groups (an alternative there
    could match anywhere).  Unsure (verbose mode, a comment group) means no."""
    source = pattern.pattern
    if not source.startswith("^") or pattern.flags & re.VERBOSE or "(?#" in source:
        return False
    depth, index, in_class = 0, 1, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if source.startswith("^", index + 1):
                index += 1
            if source.startswith("]", index + 1):  # a "]" first in a class is a literal
                index += 1
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return False
        index += 1
    return True


def _matches_in(
    text: str, start: int, end: int, patterns: tuple[re.Pattern[str], ...]
) -> list[Cut]:
    line = text[start:end]
    return [
        (start + match.start(), start + match.end())
        for pattern in patterns
        for match in pattern.finditer(line)
        if match.group().strip()
    ]


def _disjoint(cuts: dict[int, list[Cut]]) -> dict[int, list[Cut]]:
    result: dict[int, list[Cut]] = {}
    for index, ranges in cuts.items():
        merged: list[Cut] = []
        for start, end in sorted(ranges):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        result[index] = merged
    return result


# --- furniture -------------------------------------------------------------------


@dataclass(frozen=True)
class _FurnitureTokens:
    """The token patterns of a furniture line.  ``any_strong``, ``any_weak`` and
    ``any_token`` (separators included) are their alternations, one test where
    none matches (None when the patterns cannot be put in one: capture groups,
    inline flags); ``line_start`` finds the lines that begin with a token, the
    only lines that can be furniture."""

    strong: tuple[re.Pattern[str], ...]
    weak: tuple[re.Pattern[str], ...]
    separators: re.Pattern[str]
    any_strong: re.Pattern[str] | None
    any_weak: re.Pattern[str] | None
    any_token: re.Pattern[str] | None
    line_start: re.Pattern[str]


_SEPARATORS_RE = re.compile(r"[\s|│·•/／\-—_]+")
_EVERY_LINE_RE = re.compile(r"\n")


@lru_cache(maxsize=16)
def _furniture_tokens(user_dirs: tuple[Path, ...]) -> _FurnitureTokens:
    names = load_list("paper_names", user_dirs)
    strong = load_patterns("furniture", user_dirs)
    if names:
        strong = (_names_pattern(names),) + strong
    weak = load_patterns("furniture_weak", user_dirs)
    any_token = _alternation((_SEPARATORS_RE, *strong, *weak))
    line_start = _at_line_start(any_token) if any_token else _EVERY_LINE_RE
    return _FurnitureTokens(strong, weak, _SEPARATORS_RE, _alternation(strong),
                            _alternation(weak), any_token, line_start)


def _names_pattern(names: Sequence[str]) -> re.Pattern[str]:
    """Paper names, longest first; the lookahead on their first characters turns
    most lines away with one test instead of one a name (57 shipped)."""
    longest_first = sorted(names, key=len, reverse=True)
    first_chars = "".join(sorted({re.escape(name[0]) for name in names}))
    return re.compile(f"(?=[{first_chars}])(?:{'|'.join(map(re.escape, longest_first))})")


def _alternation(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One pattern that matches where any of ``patterns`` does, or None when
    putting them in one could change what they match: a capture group (a
    backreference would point elsewhere) or an inline flag."""
    if not patterns:
        return re.compile(r"(?!x)x")
    if any(pattern.groups for pattern in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{pattern.pattern})" for pattern in patterns))
    except re.error:
        return None


def is_furniture_line(text: str, tokens: _FurnitureTokens, config: Config) -> bool:
    """A line that is nothing but furniture tokens, with at least one strong one:
    `人民日报 2020年1月6日星期一 第4版`, `本版责编：汤亮 黄华倩`.  A date inside
    body text (`1月5日，河北…`) leaves text over and is kept."""
    if not text.strip() or len(strip_spaces(text)) > config.max_furniture_chars:
        return False
    pos, strong_seen = 0, False
    while pos < len(text):
        gap = tokens.separators.match(text, pos)
        if gap:
            pos = gap.end()
            continue
        end = _longest_match(tokens.strong, tokens.any_strong, text, pos)
        if end > pos:
            strong_seen, pos = True, end
            continue
        end = _longest_match(tokens.weak, tokens.any_weak, text, pos)
        if end <= pos:
            return False
        pos = end
    return strong_seen


def _longest_match(
    patterns: tuple[re.Pattern[str], ...], any_of: re.Pattern[str] | None, text: str, pos: int
) -> int:
    """Where the longest match of one of ``patterns`` at ``pos`` ends (``pos``
    when none matches, which ``any_of``, their alternation, tells at once)."""
    best = pos
    if any_of and not any_of.match(text, pos):
        return best
    for pattern in patterns:
        match = pattern.match(text, pos)
        if match and match.end() > best:
            best = match.end()
    return best


def furniture(blocks: tuple[Block, ...], ctx: _Context) -> RuleResult:
    """Cut running heads and footers, why ``furniture``: whole source lines made of
    tokens from dictionaries/furniture.txt (strong: date with weekday, `第4版`,
    `本版责编：…`, URL, hotline), paper_names.txt and furniture_weak.txt (a bare
    date or page number, section names), with at least one strong token."""
    tokens = _furniture_tokens(ctx.config.user_dictionaries)
    flagged = ctx.source.starting_with(tokens.line_start)
    cuts = _line_cuts(
        blocks, ctx, lambda line: is_furniture_line(line, tokens, ctx.config), flagged
    )
    return _apply_cuts(blocks, cuts, "furniture", ctx)


def furniture_key(text: str) -> str:
    """How learned furniture is compared: folded, every number as `0`, so that the
    running head of page 4 (`第4版`) also knows page 5's."""
    return _DIGITS_RE.sub("0", fold(text))


def learn_furniture(pages: Sequence[Sequence[str]], config: Config) -> frozenset[str]:
    """Lines that recur on most pages of one issue at about the same place.

    ``pages`` holds each page's line texts.  A line (compared by
    :func:`furniture_key`) is furniture when it appears on at least
    ``learned_furniture_share`` of the pages (and at least
    ``learned_furniture_min_pages``) at a relative position (0 top .. 1 bottom)
    within ``learned_furniture_position`` of its median position.  Returns keys
    for ``Config.learned_furniture``."""
    positions: dict[str, list[float]] = defaultdict(list)
    for lines in pages:
        texts = [text for text in lines if text.strip()]
        seen: set[str] = set()
        for index, text in enumerate(texts):
            key = furniture_key(text)
            if key in seen or not 2 <= len(key) <= config.max_furniture_chars:
                continue
            seen.add(key)
            positions[key].append(index / max(len(texts) - 1, 1))
    needed = max(config.learned_furniture_min_pages, config.learned_furniture_share * len(pages))
    return frozenset(key for key, found in positions.items() if _recurs(found, needed, config))


def _recurs(found: list[float], needed: float, config: Config) -> bool:
    middle = median(found) if found else 0.0
    near = [p for p in found if abs(p - middle) <= config.learned_furniture_position]
    return len(near) >= needed


def learned_furniture(blocks: tuple[Block, ...], ctx: _Context) -> RuleResult:
    """Cut source lines whose key is in ``Config.learned_furniture`` (learned by
    :func:`learn_furniture` over an issue), why ``furniture``."""
    learned = ctx.config.learned_furniture
    if not learned:
        return blocks, []
    cuts = _line_cuts(
        blocks, ctx, lambda line: furniture_key(line) in learned, list(ctx.source.numbers)
    )
    return _apply_cuts(blocks, cuts, "furniture", ctx)


# --- fake-bold doubling -----------------------------------------------------------


def doubled_runs(text: str, config: Config) -> list[Cut]:
    """Second copies of doubled characters when a line is fake-bold overprint.

    `金金融融扶扶贫贫` -> cuts of the second 金, 融, 扶, 贫.  The doubled pairs must
    number ``min_doubled_pairs``, use at least ``min_doubled_distinct`` characters,
    and cover ``doubled_line_share`` of the line, so `看看`, `谢谢`, `11` and
    `大家高高兴兴快快乐乐地过年` keep their letters."""
    runs = [m for m in _DOUBLED_RE.finditer(text) if m.end() - m.start() >= 4]
    pairs = sum((m.end() - m.start()) // 2 for m in runs)
    distinct = {text[m.start() + i] for m in runs for i in range(0, m.end() - m.start(), 2)}
    covered = 2 * pairs / max(len(strip_spaces(text)), 1)
    if (
        pairs < config.min_doubled_pairs
        or len(distinct) < config.min_doubled_distinct
        or covered < config.doubled_line_share
    ):
        return []
    return [
        (m.start() + i + 1, m.start() + i + 2)
        for m in runs
        for i in range(0, m.end() - m.start(), 2)
    ]


def doubled_chars(blocks: tuple[Block, ...], ctx: _Context) -> RuleResult:
    """Undo fake-bold overprint (every character printed twice) line by line,
    why ``doubled-chars``; one Dropped entry holds a line's removed copies."""
    out: list[Block | None] = list(blocks)
    dropped: list[Dropped] = []
    flagged = ctx.source.touched_by(_DOUBLED_LINE_RE)
    for index, block, ranges in _lines_to_check(blocks, ctx, flagged):
        cuts = [
            cut
            for start, end, _number in ranges
            for cut in _shifted(doubled_runs(block.text[start:end], ctx.config), start)
        ]
        if cuts:
            out[index], removed = cut_block(block, cuts, "doubled-chars", ctx)
            dropped.extend(_merge_by_line(removed))
    if out == list(blocks):
        return blocks, dropped
    return tuple(block for block in out if block is not None), dropped


def _shifted(cuts: list[Cut], offset: int) -> list[Cut]:
    return [(start + offset, end + offset) for start, end in cuts]


def _merge_by_line(entries: list[Dropped]) -> list[Dropped]:
    merged: list[Dropped] = []
    for entry in entries:
        if merged and merged[-1].lines == entry.lines:
            merged[-1] = replace(merged[-1], text=merged[-1].text + entry.text)
        else:
            merged.append(entry)
    return merged


# --- the page as one comparable string ------------------------------------------


@dataclass(frozen=True)
class _Joined:
    """All block texts as one key string (no spaces, full-width folded).

    ``starts[b]`` is block b's offset in ``text``; ``maps[b]`` maps its key
    indexes to text indexes (None when the text has no spaces: identical);
    ``segment_starts``, ``segment_ends`` and ``numbers`` hold the key start,
    key end and line number of each source line, ``segments`` the three
    together; ``line_edges`` and ``block_edges`` the key offsets of their
    boundaries, ``edges`` the line edges in order.

    ``segments``, ``line_edges`` and ``edges`` are built on first use: the
    join after ``repeated_run`` cut something mostly serves a
    ``repeated_block`` that finds no quote tail recurring and reads none of
    them (on the sample page building them cost 0.3 M instructions a join)."""

    text: str
    starts: tuple[int, ...]
    maps: tuple[tuple[int, ...] | None, ...]
    segment_starts: tuple[int, ...]
    segment_ends: tuple[int, ...]
    numbers: tuple[int, ...]
    block_edges: frozenset[int]

    @cached_property
    def segments(self) -> tuple[tuple[int, int, int], ...]:
        return tuple(zip(self.segment_starts, self.segment_ends, self.numbers))

    @cached_property
    def line_edges(self) -> frozenset[int]:
        return frozenset(chain(self.segment_starts, self.segment_ends, self.block_edges))

    @cached_property
    def edges(self) -> tuple[int, ...]:
        return tuple(sorted(self.line_edges))

    def block_at(self, offset: int) -> int:
        return max(bisect_right(self.starts, offset) - 1, 0)

    def line_numbers(self, start: int, end: int) -> list[int]:
        first = max(bisect_right(self.segments, (start, len(self.text) + 1)) - 1, 0)
        numbers = []
        for seg_start, seg_end, number in self.segments[first:]:
            if seg_start >= end:
                break
            if seg_end > start:
                numbers.append(number)
        return numbers

    def edges_inside(self, start: int, end: int) -> list[int]:
        """Line edges strictly between ``start`` and ``end``, in order."""
        return list(self.edges[bisect_right(self.edges, start) : bisect_left(self.edges, end)])


def _fold_width(text: str) -> str:
    """Full-width ASCII forms as ASCII: each form the text uses (a handful) is
    found once and replaced everywhere, far faster than a translate table."""
    found = _FULL_WIDTH_RE.search(text)
    while found:
        char = found.group()
        text = text.replace(char, chr(ord(char) - _FULL_TO_HALF))
        found = _FULL_WIDTH_RE.search(text, found.start())
    return text


def _unspaced(text: str) -> tuple[str, tuple[int, ...] | None]:
    if not _SPACE_RE.search(text):
        return text, None
    mapping = tuple(i for i, char in enumerate(text) if not char.isspace())
    return _SPACE_RE.sub("", text), mapping


def _join(blocks: tuple[Block, ...], ctx: _Context) -> _Joined:
    layout = ctx.layout(blocks)
    keys, maps = _block_keys(blocks)
    starts = list(accumulate(map(len, keys), initial=0))
    texts: list[str] = []
    loose: list[int] = []  # places in ``texts`` of keys still to fold
    pieces: list[_Segments] = []
    index = 0
    while index < len(blocks):
        if maps[index] is None and layout.plain[index]:
            stop = _run_of_plain_blocks(layout, maps, index)
            low, high = layout.low[index], layout.high[stop - 1]
            texts.append(ctx.folded_lines[ctx.source.offsets[low] : ctx.source.offsets[high]])
            pieces.append(_plain_segments(ctx.source, low, high, starts[index]))
            index = stop
        else:
            loose.append(len(texts))
            texts.append(keys[index])
            pieces.append(_found_segments(blocks[index], maps[index], starts[index], ctx))
            index += 1
    _fold_in_place(texts, loose)
    return _assembled("".join(texts), starts, maps, pieces)


def _assembled(
    text: str, starts: list[int], maps: list[tuple[int, ...] | None], pieces: list[_Segments]
) -> _Joined:
    """The :class:`_Joined` of the key ``text``, its blocks' ``starts`` (the
    total length last), ``maps`` and segments ``pieces`` in key order."""
    return _Joined(text, tuple(starts[:-1]), tuple(maps),
                   tuple(chain.from_iterable(piece.starts for piece in pieces)),
                   tuple(chain.from_iterable(piece.ends for piece in pieces)),
                   tuple(chain.from_iterable(piece.numbers for piece in pieces)),
                   frozenset(starts))


def _rejoin(
    old_blocks: tuple[Block, ...], old: _Joined, blocks: tuple[Block, ...], ctx: _Context
) -> _Joined:
    """What :func:`_join` builds for ``blocks``, reusing ``old`` (the join of
    ``old_blocks``) for every block kept as it was.  A block's key, map and
    segments depend on the block alone, only shifted by where it starts, so
    runs of kept blocks are copied and only new blocks (a cut one) are keyed
    afresh.  On the sample page ``repeated_run`` cuts one block of 44, and
    rebuilding the layout and join for ``repeated_block`` cost 1.25 M
    instructions."""
    where = dict(zip(map(id, old_blocks), count()))
    ends = (*old.starts[1:], len(old.text))
    texts: list[str] = []
    maps: list[tuple[int, ...] | None] = []
    pieces: list[_Segments] = []
    starts = [0]
    index = 0
    while index < len(blocks):
        first = where.get(id(blocks[index]))
        if first is None:
            key, mapping = _unspaced(blocks[index].text)
            texts.append(_fold_width(key))
            maps.append(mapping)
            pieces.append(_found_segments(blocks[index], mapping, starts[-1], ctx))
            starts.append(starts[-1] + len(texts[-1]))
            index += 1
            continue
        stop = _run_of_kept_blocks(blocks, old_blocks, index, first)
        last = first + stop - index
        texts.append(old.text[old.starts[first] : ends[last - 1]])
        maps.extend(old.maps[first:last])
        starts.extend(map(add, ends[first:last], repeat(starts[-1] - old.starts[first])))
        pieces.append(_kept_segments(old, old.starts[first], ends[last - 1],
                                     starts[-1 - (last - first)]))
        index = stop
    return _assembled("".join(texts), starts, maps, pieces)


def _run_of_kept_blocks(
    blocks: tuple[Block, ...], old_blocks: tuple[Block, ...], index: int, first: int
) -> int:
    """End of the run of ``blocks`` from ``index`` that are ``old_blocks`` from
    ``first`` on, one for one: compared in C, since a run is most of the page."""
    differ = compress(count(index), map(is_not, blocks[index:], old_blocks[first:]))
    return next(differ, index + min(len(blocks) - index, len(old_blocks) - first))


def _kept_segments(old: _Joined, low: int, high: int, offset: int) -> _Segments:
    """The segments of ``old`` in its key range ``low:high``, moved to start at
    ``offset``."""
    first = bisect_left(old.segment_starts, low)
    last = bisect_left(old.segment_starts, high)
    shift = offset - low
    return _Segments(_moved(old.segment_starts[first:last], shift),
                     _moved(old.segment_ends[first:last], shift), old.numbers[first:last])


def _fold_in_place(texts: list[str], places: list[int]) -> None:
    """Fold the keys at ``places`` of ``texts`` with one call: keys hold no
    whitespace, so newlines keep them apart."""
    if places:
        folded = _fold_width("\n".join(texts[place] for place in places)).split("\n")
        for place, text in zip(places, folded, strict=True):
            texts[place] = text


def _block_keys(blocks: tuple[Block, ...]) -> tuple[list[str], list[tuple[int, ...] | None]]:
    """Each block's text without spaces, and where its characters were (None
    when it had none: one search over the whole page settles most pages)."""
    texts = [block.text for block in blocks]
    page = "".join(texts)
    if "".join(page.split()) == page:  # str.split knows the spaces that \s does
        return texts, [None] * len(texts)
    keyed = [_unspaced(text) for text in texts]
    return [key for key, _map in keyed], [mapping for _key, mapping in keyed]


def _run_of_plain_blocks(layout: _Layout, maps: list[tuple[int, ...] | None], first: int) -> int:
    """End of the run of unspaced plain blocks from ``first`` whose lines follow
    each other with none left out: their lines lie in the key as in the source."""
    stop = first + 1
    while (
        stop < len(maps)
        and maps[stop] is None
        and layout.plain[stop]
        and layout.low[stop] == layout.high[stop - 1]
    ):
        stop += 1
    return stop


class _Segments(NamedTuple):
    """Key starts, key ends and numbers of some source lines, as parallel sequences."""

    starts: Sequence[int]
    ends: Sequence[int]
    numbers: Sequence[int]


def _plain_segments(source: _SourceLines, low: int, high: int, offset: int) -> _Segments:
    """Segments of source lines ``low:high``, a run of plain blocks that starts at
    key ``offset``: the source line offsets, shifted, for the whole run at once."""
    shift = offset - source.offsets[low]
    return _Segments(_moved(source.offsets[low:high], shift),
                     _moved(source.offsets[low + 1 : high + 1], shift), source.numbers[low:high])


def _moved(offsets: tuple[int, ...], shift: int) -> Sequence[int]:
    return list(map(add, offsets, repeat(shift))) if shift else offsets


def _found_segments(
    block: Block, mapping: tuple[int, ...] | None, offset: int, ctx: _Context
) -> _Segments:
    starts, ends, numbers = [], [], []
    for start, end, number in line_ranges(block, ctx):
        low, high = _to_key(start, mapping), _to_key(end, mapping)
        if low < high:
            starts.append(offset + low)
            ends.append(offset + high)
            numbers.append(number)
    return _Segments(starts, ends, numbers)


def _to_key(index: int, mapping: tuple[int, ...] | None) -> int:
    """Key offset of text offset ``index`` (spaces do not count)."""
    return index if mapping is None else bisect_left(mapping, index)


def _to_text(low: int, high: int, mapping: tuple[int, ...] | None) -> Cut:
    return (low, high) if mapping is None else (mapping[low], mapping[high - 1] + 1)


def _cuts_for(joined: _Joined, start: int, end: int) -> dict[int, list[Cut]]:
    """Text ranges per block covered by the key range [start, end)."""
    cuts: dict[int, list[Cut]] = defaultdict(list)
    block = joined.block_at(start)
    while block < len(joined.starts) and joined.starts[block] < end:
        mapping = joined.maps[block]
        block_end = joined.starts[block + 1] if block + 1 < len(joined.starts) else len(joined.text)
        low = max(start, joined.starts[block]) - joined.starts[block]
        high = min(end, block_end) - joined.starts[block]
        if low < high:
            cuts[block].append(_to_text(low, high, mapping))
        block += 1
    return cuts


def near_copy(left: str, right: str, config: Config) -> bool:
    """Equal, or (both at least ``min_near_copy_chars`` long) differing only in
    one stretch of at most ``1 - near_copy_similarity`` of the length: an OCR
    misread or a dropped character (`黄华倩` / `黄华傅`)."""
    if left == right:
        return True
    # Asked for five lengths at each place a run may repeat, and mostly false at
    # the first test after these: comparisons, not min/max/abs (which parse
    # keyword arguments), keep the arithmetic cheap.
    size, longest = len(left), len(right)
    if size > longest:
        size, longest = longest, size
    if size < config.min_near_copy_chars:
        return False
    allowed = int(size * (1 - config.near_copy_similarity))
    if allowed < 1:
        allowed = 1
    if longest - size > allowed:
        return False
    needed = longest - allowed
    half = (needed + 1) // 2  # the longer of prefix and suffix is at least this
    if half > 0 and left[:half] != right[:half] and left[-half:] != right[-half:]:
        return False
    return min(_common_prefix(left, right) + _common_suffix(left, right), size) >= needed


def _common_prefix(left: str, right: str) -> int:
    """Length of the common prefix, compared in galloping chunks (see
    :func:`_gallop`) rather than a character at a time."""
    return _gallop(lambda done, size: left[done : done + size] == right[done : done + size],
                   min(len(left), len(right)))


def _common_suffix(left: str, right: str) -> int:
    """Length of the common suffix, compared as :func:`_common_prefix` does."""
    lend, rend = len(left), len(right)
    return _gallop(lambda done, size: left[lend - done - size : lend - done]
                   == right[rend - done - size : rend - done], min(lend, rend))


# --- a run printed twice in a row ---------------------------------------------------


def _run_starts(joined: _Joined) -> list[int]:
    """Line and block starts and the places after a sentence mark, in order:
    one set union and one sort, both in C.  Testing each mark against the
    line edges in Python and merging with the sorted edges cost 0.09 M
    instructions more on the sample page, the sorted edges included."""
    marks = map(re.Match.end, _STARTER_RE.finditer(joined.text))
    starts = sorted(joined.line_edges.union(marks))
    if starts and starts[-1] == len(joined.text):
        starts.pop()
    return starts


def _recurring_run_starts(joined: _Joined, config: Config) -> list[int]:
    """The run starts whose first ``min_repeat_chars`` characters recur close
    enough after them: the only places :func:`tandem_at` can find a copy, found
    with one substring search each."""
    text, width = joined.text, config.min_repeat_chars
    reach = config.max_repeat_chars + width
    return [
        start
        for start in _run_starts(joined)
        if text.find(text[start : start + width], start + width, start + reach) >= 0
    ]


def tandem_at(text: str, start: int, config: Config) -> Cut | None:
    """The second copy (start, end) when ``text[start:]`` begins with X X (or X X'
    with X' a near-copy of X, for OCR), X at least ``min_repeat_chars`` long with
    ``min_repeat_han`` Han characters (a poem line of 5 or 7 characters repeated
    on purpose is kept); None when it does not."""
    width = config.min_repeat_chars
    seed = text[start : start + width]
    if len(seed) < width:
        return None
    found = text.find(seed, start + width, start + config.max_repeat_chars + width)
    if found < 0:
        return None
    first = text[start:found]
    for length in _lengths_near(found - start):
        if near_copy(first, text[found : found + length], config):
            return (found, found + length) if _has_han(first, config.min_repeat_han) else None
    return None


def _has_han(text: str, count: int) -> bool:
    """At least ``count`` Han characters: counting stops there."""
    return sum(1 for _match in islice(HAN_RE.finditer(text), count)) >= count


def _lengths_near(period: int) -> tuple[int, ...]:
    return (period, period - 1, period + 1, period - 2, period + 2)


def repeated_run(blocks: tuple[Block, ...], ctx: _Context) -> RuleResult:
    """Cut the second copy of a run printed twice in a row, why ``repeated-run``:
    the seed caption `一位农民在丰收节展区的玉米挂造型前喜笑颜开一位农民在…喜笑颜开`
    on one line, or a caption's lines printed twice on adjacent lines (corpus
    d029: `1月9日，学生们在练习双板滑雪。` twice), also across blocks.  A copy
    starts at a line or block start or after a punctuation mark."""
    joined = ctx.joined(blocks)
    cuts: dict[int, list[Cut]] = defaultdict(list)
    skip_to = 0
    for start in _recurring_run_starts(joined, ctx.config):
        if start < skip_to:
            continue
        second = tandem_at(joined.text, start, ctx.config)
        if second:
            for block, ranges in _cuts_for(joined, *second).items():
                cuts[block].extend(ranges)
            skip_to = second[1]
    return _apply_cuts(blocks, _disjoint(cuts), "repeated-run", ctx)


# --- a block repeating text printed elsewhere ---------------------------------------


def _seed_matches(joined: _Joined, config: Config) -> list[tuple[int, int, int]]:
    """(offset, length, other offset) for each source line long enough whose text
    also occurs elsewhere on the page, not overlapping it; in the order a scan of
    the page at ``quote_index_stride`` meets the other copies.

    Only the lines inside repeats a copy could be cut from change the outcome
    (any other repeat is looked at and kept whole), so those repeats are found
    from the places such a copy can end (:func:`_repeats_ending_quotes`) and
    all their lines taken; a config that lets a copy be empty looks up every
    line (:func:`_all_seed_matches`)."""
    repeats = _repeats_ending_quotes(joined, config)
    if repeats is None:
        return _all_seed_matches(joined, config)
    seeds = dict(chain.from_iterable(
        _seeds_in_repeat(joined, first, offset, config) for first, offset in repeats
    ))
    return [seeds[key] for key in sorted(seeds)]


def _repeats_ending_quotes(joined: _Joined, config: Config) -> set[tuple[int, int]] | None:
    """(start, offset of the other copy) of each maximal repeat that may hold a
    copy to cut.  Such a copy (see :func:`_choose_copy`) ends a sentence at a
    line edge, holds ``min_quote_han`` Han characters and, with
    ``quote_min_lines`` of two or more, reaches into the line before: that much
    text before each line edge after a sentence mark is looked up (one search
    over the page each), and every other place it occurs names a repeat.  None
    when the config leaves nothing to look up."""
    text = joined.text
    least = max(config.min_quote_han, 0)
    recurring = _recurring_quote_tails(text, least)
    if recurring is not None and not recurring:
        return set()
    edges = joined.edges
    repeats = set()
    for index, tail in enumerate(edges):
        if not tail or text[tail - 1] not in _QUOTE_ENDS:
            continue
        if recurring is not None and text[tail - least : tail] not in recurring:
            continue
        low = tail - least
        if config.quote_min_lines >= 2:
            low = min(low, edges[index - 1] - 1)
        if low < 0:
            continue
        if low == tail:
            return None
        end_of_quote = text[low:tail]
        other = text.find(end_of_quote)
        while other >= 0:
            if other != low:
                first, second = sorted((low, other))
                repeats.add((first - _shared_before(text, first, second, first), second - first))
            other = text.find(end_of_quote, other + 1)
    return repeats


def _recurring_quote_tails(text: str, least: int) -> set[str] | None:
    """The ``least`` characters up to a quote end (a sentence mark or closer)
    that stand so more than once on the page; None when ``least`` is 0.  A text
    to look up in :func:`_repeats_ending_quotes` ends at a quote end and is
    ``least`` long or longer, so it can occur twice only when its own tail is
    in this set.  Two searches of the page for each line edge after a sentence
    mark cost 0.9 M instructions on the sample page, this 0.65 M; no tail
    recurs there, so no line edge is looked at."""
    if least < 1:
        return None
    tails = Counter([text[end - least : end] for end in _quote_end_positions(text) if end >= least])
    return {tail for tail, found in tails.items() if found > 1}


def _quote_end_positions(text: str) -> list[int]:
    """Offsets just after each quote end in ``text``, a join's key (folded, so
    only :data:`_KEY_QUOTE_ENDS` are looked for: 16 searches, not 20), found
    one mark at a time with ``str.find`` (a search for a mark the page lacks
    costs 30 000 instructions).
    A regex class tried at every character cost 0.45 M instructions on the
    sample page; picking the marks that end a line first, 0.47 M."""
    positions = []
    for mark in _KEY_QUOTE_ENDS:
        found = text.find(mark)
        while found >= 0:
            positions.append(found + 1)
            found = text.find(mark, found + 1)
    return positions


def _seeds_in_repeat(
    joined: _Joined, first: int, offset: int, config: Config
) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """(scan order, seed) for each long enough line inside either copy of the
    repeat that starts at ``first`` with its other copy ``offset`` further on:
    the seeds an exhaustive scan finds for it, with the order it finds them in."""
    text, stride = joined.text, config.quote_index_stride
    shortest = config.min_repeat_chars + stride - 1
    run_end = first + _shared_after(text, first, first + offset, len(text) - first - offset)
    copies = ((first, run_end, offset), (first + offset, run_end + offset, -offset))
    seeds = []
    for low, high, toward in copies:
        for index in range(bisect_left(joined.segment_starts, low), len(joined.segments)):
            start, end, _number = joined.segments[index]
            if end > high:
                break
            if shortest <= end - start <= offset:
                other = start + toward
                scanned_at = other + (-other) % stride
                seeds.append(((scanned_at, index, scanned_at - other), (start, end - start, other)))
    return seeds


def _all_seed_matches(joined: _Joined, config: Config) -> list[tuple[int, int, int]]:
    """Every line looked up (:func:`_seed_matches` without the shortcut)."""
    stride = config.quote_index_stride
    text = joined.text
    found = []
    for order, start, end in _lines_that_may_recur(joined, config):
        line = text[start:end]
        other = text.find(line)
        while other >= 0:
            if abs(other - start) >= end - start:
                scanned_at = other + (-other) % stride
                found.append((scanned_at, order, scanned_at - other, (start, end - start, other)))
            other = text.find(line, other + 1)
    found.sort()
    return [match for _at, _order, _shift, match in found]


def _lines_that_may_recur(joined: _Joined, config: Config) -> list[tuple[int, int, int]]:
    """(index, start, end) of the segments of at least ``min_repeat_chars +
    quote_index_stride - 1`` characters that may occur elsewhere.

    Any other copy of such a line shows one of its first ``stride`` k-grams at
    an offset that is a multiple of the stride.  So the page's k-grams are
    counted at those offsets only (one pass at the stride); one of a line's
    first k-grams is its own, counted once, so the line may recur only when its
    first k-grams count at least twice together.  The cost grows with the page,
    not with pairs of lines."""
    k, stride = config.min_repeat_chars, config.quote_index_stride
    text = joined.text
    counts = Counter([text[pos : pos + k] for pos in range(0, len(text) - k + 1, stride)])
    lines = [
        (index, start, end)
        for index, (start, end, _number) in enumerate(joined.segments)
        if end - start >= k + stride - 1
    ]
    together = [0] * len(lines)
    for shift in range(stride):
        grams = [text[start + shift : start + shift + k] for _index, start, _end in lines]
        together = list(map(add, together, map(counts.get, grams, repeat(0))))
    return list(compress(lines, map((1).__lt__, together)))


def _extend(text: str, first: int, second: int, length: int) -> tuple[int, int, int]:
    """Grow an exact match of ``length`` at ``first`` and ``second`` (first <
    second) to its maximal extent without the copies overlapping."""
    back = _shared_before(text, first, second, first)
    room = min(len(text) - second, second - back - first) - length
    forward = length + _shared_after(text, first + length, second + length, room)
    return first - back, second - back, back + forward


def _shared_after(text: str, a: int, b: int, limit: int) -> int:
    """How many characters ``text[a:]`` and ``text[b:]`` share, at most ``limit``:
    compared in chunks that double while they agree and halve when they do
    not, so a long copy costs a few comparisons, not one a character."""
    return _gallop(lambda done, size: text[a + done : a + done + size]
                   == text[b + done : b + done + size], limit)


def _shared_before(text: str, a: int, b: int, limit: int) -> int:
    """How many characters end both ``text[:a]`` and ``text[:b]``, at most
    ``limit`` (at most ``a``), compared as :func:`_shared_after` does."""
    return _gallop(lambda done, size: text[a - done - size : a - done]
                   == text[b - done - size : b - done], limit)


def _gallop(same: Callable[[int, int], bool], limit: int) -> int:
    """How far two copies agree, up to ``limit``: compare growing chunks while
    they match, halve the chunk when one does not."""
    shared, step = 0, 8
    while shared < limit:
        size = min(step, limit - shared)
        if same(shared, size):
            shared, step = shared + size, step * 2
        elif size == 1:
            break
        else:
            step = size // 2
    return shared


def _snap(joined: _Joined, start: int, length: int, config: Config) -> Cut | None:
    """The copy's whole source lines: chance matches of up to ``quote_edge_slack``
    characters beyond its edges (`。` before both copies) are cut off; None when
    the copy does not start and end at line edges."""
    slack = config.quote_edge_slack
    head = [start + i for i in range(slack + 1) if start + i in joined.line_edges]
    tail = [start + length - i for i in range(slack + 1) if start + length - i in joined.line_edges]
    if not head or not tail or tail[0] - head[0] <= 0:
        return None
    return head[0], tail[0]


def _widest(joined: _Joined, copy: Cut, ctx: _Context) -> tuple[float, list[int]]:
    numbers = joined.line_numbers(*copy)
    return max((ctx.width(number) for number in numbers), default=0.0), numbers


def _is_boxed(joined: _Joined, copy: Cut, other: Cut, ctx: _Context) -> bool:
    """Whether the copy is set narrower than the other, as a pull quote's box is
    narrower than the column of the body it quotes.  The copy spans
    ``quote_min_lines`` lines (one short line may just end a paragraph) and its
    widest line is at most ``quote_width_ratio`` of the other copy's widest
    line, or, when that is one line, of the column around the copy.  Corpus
    d001: pull quote lines 11-12 cells, the body copy's 13-16; d022 quotes a
    villager in two stories, both 18 cells wide: both stay."""
    widest, numbers = _widest(joined, copy, ctx)
    if len(numbers) < ctx.config.quote_min_lines:
        return False
    reference, other_numbers = _widest(joined, other, ctx)
    if len(other_numbers) < ctx.config.quote_min_lines:
        reference = ctx.column_width(numbers[0], numbers[-1])
    return reference > 0 and widest <= reference * ctx.config.quote_width_ratio


def repeated_block(blocks: tuple[Block, ...], ctx: _Context) -> RuleResult:
    """Cut a pull quote or caption that repeats text printed elsewhere on the page.

    Both copies are found by exact text; the one on whole lines of its own,
    set narrower than its column, goes: why ``pull-quote``.  Corpus d000: the
    pull quote `为保障责任落实到位作了哪些制` / `度安排？` (14 cells wide in a
    19-cell column) repeats the body's `…有哪些规定？为保障责任落实到位作` /
    `了哪些制度安排？`.  When both copies are boxed (a caption printed twice apart)
    the later goes, why ``repeated-block``.  When neither is, both stay: a
    sentence repeated in two stories (corpus d022 quotes a villager in two)."""
    config = ctx.config
    joined = ctx.joined(blocks)
    cuts: dict[int, list[Cut]] = defaultdict(list)
    whys: dict[int, str] = {}
    done: set[tuple[int, int]] = set()
    for start, length, other in _seed_matches(joined, config):
        first, second = sorted((start, other))
        first, second, length = _extend(joined.text, first, second, length)
        if (first, second) in done or length > config.max_quote_chars:
            continue
        done.add((first, second))
        choice = _choose_copy(joined, (first, second), length, ctx)
        if choice is not None:
            for block, ranges in _cuts_for(joined, *choice[0]).items():
                cuts[block].extend(ranges)
                whys[block] = choice[1]
    return _apply_cuts_why(blocks, _disjoint(cuts), whys, ctx)


def _choose_copy(
    joined: _Joined, copies: tuple[int, int], length: int, ctx: _Context
) -> tuple[Cut, str] | None:
    """The copy to cut and why, or None to keep both."""
    if _same_line_breaks(joined, copies, length):
        return None
    snapped = [_snap(joined, start, length, ctx.config) for start in copies]
    boxed = [
        copy is not None
        and _reads_as_quote(joined.text[copy[0] : copy[1]], ctx.config)
        and _is_boxed(joined, copy, (copies[1 - side], copies[1 - side] + length), ctx)
        for side, copy in enumerate(snapped)
    ]
    if boxed[0] and boxed[1]:
        return snapped[1], "repeated-block"  # type: ignore[return-value]
    for copy, is_boxed in zip(snapped, boxed, strict=True):
        if is_boxed and copy is not None:
            return copy, "pull-quote"
    return None


def _same_line_breaks(joined: _Joined, copies: tuple[int, int], length: int) -> bool:
    """Both copies break their lines at the same places: set in the same measure,
    so neither is a pull quote's box (corpus d022, `…是我们党` / `的显著特点…`
    in two stories' columns of one width)."""
    if not all(start in joined.line_edges for start in copies):
        return False
    breaks = [
        [edge - start for edge in joined.edges_inside(start, start + length)] for start in copies
    ]
    return bool(breaks[0]) and breaks[0] == breaks[1]


def _reads_as_quote(text: str, config: Config) -> bool:
    """Pull quotes and captions are sentences: `…作了哪些制度安排？`.  A headline
    repeating a body phrase (`健身消费一路走俏`) has no sentence end and stays."""
    return han_count(text) >= config.min_quote_han and ends_sentence(text)


# --- the stage -----------------------------------------------------------------------

_RULE_FUNCTIONS: dict[str, Callable[[tuple[Block, ...], _Context], RuleResult]] = {
    "jump_line": jump_line,
    "furniture": furniture,
    "learned_furniture": learned_furniture,
    "doubled_chars": doubled_chars,
    "repeated_run": repeated_run,
    "repeated_block": repeated_block,
}


def run(page: Page, config: Config) -> Page:
    """Apply the enabled rules in order; dropped pieces are added in page order."""
    ctx = _Context(page, config)
    blocks = page.current_blocks()
    dropped: list[Dropped] = []
    for name in RULES:
        if config.rule_enabled(name):
            blocks, removed = _RULE_FUNCTIONS[name](blocks, ctx)
            dropped.extend(removed)
    dropped.sort(key=lambda entry: entry.lines)
    return replace(page, blocks=blocks, dropped=page.dropped + tuple(dropped))


__all__ = [
    "RULES", "JumpLine", "cut_block", "furniture_key", "is_furniture_line",
    "learn_furniture", "line_ranges", "parse_jump_line", "run", "tandem_at",
]
