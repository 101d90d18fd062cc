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
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from os.path import commonprefix
from statistics import median

from ..config import Config
from ..dictionaries import load_list, load_patterns
from ..model import Block, Dropped, Page
from ..text.cjk import (
    CLOSERS,
    SENTENCE_FINAL,
    cells,
    ends_sentence,
    fold,
    han_count,
    strip_spaces,
)

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
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_SPACE_RE = re.compile(r"\s")
_DOUBLED_RE = re.compile(r"(?:(\S)\1)+")
# A line worth a closer look for fake bold: two doubled pairs in a row.
_DOUBLED_LINE_RE = re.compile(r"(\S)\1(\S)\2")
_DIGITS_RE = re.compile(r"[0-9]+")
_STARTER_RE = re.compile(f"[{re.escape(SENTENCE_FINAL + CLOSERS)}]")


# --- blocks, their source lines and cuts -------------------------------------


@dataclass(frozen=True)
class _Context:
    """What every rule reads besides the blocks: the config and the page's
    (normalized) source lines, by number and in order."""

    config: Config
    lines: dict[int, str]
    order: tuple[int, ...]
    position: dict[int, int]
    widths: dict[int, float]  # filled lazily: cells of a line, by number
    ranges: dict[Block, list[tuple[int, int, int]]]  # filled lazily: line_ranges
    text: str  # the lines joined by newlines, for one regex pass per rule
    line_starts: tuple[int, ...]
    numbers: tuple[int, ...]  # line numbers of line_starts

    @classmethod
    def of(cls, page: Page, config: Config) -> _Context:
        order = tuple(line.number for line in page.lines if not line.is_blank)
        starts, offset = [], 0
        for line in page.lines:
            starts.append(offset)
            offset += len(line.text) + 1
        return cls(
            config,
            {line.number: line.text for line in page.lines},
            order,
            {number: index for index, number in enumerate(order)},
            {},
            {},
            "\n".join(line.text for line in page.lines),
            tuple(starts),
            tuple(line.number for line in page.lines),
        )

    def lines_with(self, patterns: tuple[re.Pattern[str], ...]) -> frozenset[int]:
        """Numbers of the source lines where a pattern matches: one pass over the
        page per pattern, so rules look closely only at those lines."""
        found: set[int] = set()
        for pattern in patterns:
            for match in _multiline(pattern).finditer(self.text):
                found.add(self.numbers[bisect_right(self.line_starts, match.start()) - 1])
        return frozenset(found)

    def width(self, number: int) -> float:
        if number not in self.widths:
            self.widths[number] = cells(self.lines.get(number, ""))
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


Cut = tuple[int, int]
RuleResult = tuple[tuple[Block, ...], list[Dropped]]


def _multiline(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return pattern if pattern.flags & re.MULTILINE else _compile_multiline(pattern.pattern)


@lru_cache(maxsize=256)
def _compile_multiline(source: str) -> re.Pattern[str]:
    return re.compile(source, re.MULTILINE)


def _touches(block: Block, candidates: frozenset[int]) -> bool:
    return any(number in candidates for number in range(block.lines[0], block.lines[1] + 1))


def line_ranges(block: Block, ctx: _Context) -> list[tuple[int, int, int]]:
    """(start, end, line number) of each source line inside ``block.text``.

    Rejoin concatenates line texts (adding a space between Latin words), so the
    lines are found in order; when they cannot be (rejoin rewrote the text), the
    whole block counts as one line with its first line's number."""
    if block not in ctx.ranges:
        ctx.ranges[block] = _find_line_ranges(block, ctx)
    return ctx.ranges[block]


def _find_line_ranges(block: Block, ctx: _Context) -> list[tuple[int, int, int]]:
    ranges: list[tuple[int, int, int]] = []
    pos = 0
    for number in range(block.lines[0], block.lines[1] + 1):
        text = ctx.lines.get(number, "").strip()
        if not text:
            continue
        found = block.text.find(text, pos)
        if found < 0 or block.text[pos:found].strip():
            return [(0, len(block.text), block.lines[0])]
        ranges.append((found, found + len(text), number))
        pos = found + len(text)
    if not ranges or block.text[pos:].strip():
        return [(0, len(block.text), block.lines[0])]
    return ranges


def _span_of(cut: Cut, ranges: list[tuple[int, int, int]], block: Block) -> tuple[int, int]:
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
    out: list[Block] = []
    dropped: list[Dropped] = []
    for index, block in enumerate(blocks):
        kept, removed = cut_block(block, sorted(cuts.get(index, [])), why, ctx)
        dropped.extend(removed)
        if kept is not None:
            out.append(kept)
    return tuple(out), dropped


def _line_cuts(
    blocks: tuple[Block, ...],
    ctx: _Context,
    is_removable: Callable[[str], bool],
    candidates: frozenset[int],
) -> dict[int, list[Cut]]:
    """Whole source lines (inside blocks touching ``candidates``, the lines a
    quick regex pass found) for which ``is_removable`` holds."""
    cuts: dict[int, list[Cut]] = defaultdict(list)
    for index, block in enumerate(blocks):
        if not _touches(block, candidates):
            continue
        for start, end, _number in line_ranges(block, ctx):
            if is_removable(block.text[start:end]):
                cuts[index].append((start, end))
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
    patterns = load_patterns("jump_lines", ctx.config.user_dictionaries)
    candidates = ctx.lines_with(patterns)
    cuts: dict[int, list[Cut]] = defaultdict(list)
    for index, block in enumerate(blocks):
        if not _touches(block, candidates):
            continue
        for start, end, _number in line_ranges(block, ctx):
            cuts[index].extend(_matches_in(block.text, start, end, patterns))
    return _apply_cuts(blocks, _disjoint(cuts), "jump-line", ctx)


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
    strong: tuple[re.Pattern[str], ...]
    weak: tuple[re.Pattern[str], ...]
    separators: re.Pattern[str]


def _furniture_tokens(config: Config) -> _FurnitureTokens:
    user = config.user_dictionaries
    names = load_list("paper_names", user)
    strong = load_patterns("furniture", user)
    if names:
        longest_first = sorted(names, key=len, reverse=True)
        strong = (re.compile("|".join(map(re.escape, longest_first))),) + strong
    return _FurnitureTokens(
        strong, load_patterns("furniture_weak", user), re.compile(r"[\s|│·•/／\-—_]+")
    )


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
        end = _longest_match(tokens.strong, text, pos)
        if end > pos:
            strong_seen, pos = True, end
            continue
        end = _longest_match(tokens.weak, text, pos)
        if end <= pos:
            return False
        pos = end
    return strong_seen


def _longest_match(patterns: tuple[re.Pattern[str], ...], text: str, pos: int) -> int:
    best = pos
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
    tokens = _furniture_tokens(ctx.config)
    candidates = ctx.lines_with(tokens.strong)
    cuts = _line_cuts(
        blocks, ctx, lambda line: is_furniture_line(line, tokens, ctx.config), candidates
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
    every_line = frozenset(ctx.lines)
    cuts = _line_cuts(blocks, ctx, lambda line: furniture_key(line) in learned, every_line)
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
    out: list[Block] = []
    dropped: list[Dropped] = []
    candidates = ctx.lines_with((_DOUBLED_LINE_RE,))
    for block in blocks:
        if not _touches(block, candidates):
            out.append(block)
            continue
        cuts = [
            cut
            for start, end, _number in line_ranges(block, ctx)
            for cut in _shifted(doubled_runs(block.text[start:end], ctx.config), start)
        ]
        kept, removed = cut_block(block, cuts, "doubled-chars", ctx)
        dropped.extend(_merge_by_line(removed))
        if kept is not None:
            out.append(kept)
    return tuple(out), dropped


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
    ``segments`` holds (key start, key end, line number) of each source line;
    ``line_edges`` and ``block_edges`` the key offsets of their boundaries."""

    text: str
    starts: tuple[int, ...]
    maps: tuple[tuple[int, ...] | None, ...]
    segments: tuple[tuple[int, int, int], ...]
    line_edges: frozenset[int]
    block_edges: frozenset[int]

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


def _key_of(text: str) -> tuple[str, tuple[int, ...] | None]:
    if not _SPACE_RE.search(text):
        return text.translate(_WIDTH_TABLE), None
    mapping = tuple(i for i, char in enumerate(text) if not char.isspace())
    return _SPACE_RE.sub("", text).translate(_WIDTH_TABLE), mapping


def _join(blocks: tuple[Block, ...], ctx: _Context) -> _Joined:
    parts: list[str] = []
    starts: list[int] = []
    maps: list[tuple[int, ...] | None] = []
    segments: list[tuple[int, int, int]] = []
    block_edges: set[int] = set()
    offset = 0
    for block in blocks:
        key, mapping = _key_of(block.text)
        starts.append(offset)
        maps.append(mapping)
        block_edges.update((offset, offset + len(key)))
        for start, end, number in line_ranges(block, ctx):
            low, high = _to_key(start, mapping), _to_key(end, mapping)
            if low < high:
                segments.append((offset + low, offset + high, number))
        parts.append(key)
        offset += len(key)
    line_edges = {edge for seg in segments for edge in seg[:2]} | block_edges
    return _Joined("".join(parts), tuple(starts), tuple(maps), tuple(segments),
                   frozenset(line_edges), frozenset(block_edges))


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
    size = min(len(left), len(right))
    if size < config.min_near_copy_chars:
        return False
    allowed = max(1, int(size * (1 - config.near_copy_similarity)))
    if abs(len(left) - len(right)) > allowed:
        return False
    prefix = len(commonprefix([left, right]))
    suffix = len(commonprefix([left[::-1], right[::-1]]))
    return min(prefix + suffix, size) >= max(len(left), len(right)) - allowed


# --- a run printed twice in a row ---------------------------------------------------


def _run_starts(joined: _Joined) -> list[int]:
    starts = set(joined.line_edges)
    starts.update(match.end() for match in _STARTER_RE.finditer(joined.text))
    return sorted(start for start in starts if start < len(joined.text))


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
    if han_count(first) < config.min_repeat_han:
        return None
    for length in _lengths_near(found - start):
        if near_copy(first, text[found : found + length], config):
            return found, found + length
    return None


def _lengths_near(period: int) -> tuple[int, ...]:
    return (period, period - 1, period + 1, period - 2, period + 2)


def repeated_run(blocks: tuple[Block, ...], ctx: _Context) -> RuleResult:
    """Cut the second copy of a run printed twice in a row, why ``repeated-run``:
    the seed caption `一位农民在丰收节展区的玉米挂造型前喜笑颜开一位农民在…喜笑颜开`
    on one line, or a caption's lines printed twice on adjacent lines (corpus
    d029: `1月9日，学生们在练习双板滑雪。` twice), also across blocks.  A copy
    starts at a line or block start or after a punctuation mark."""
    joined = _join(blocks, ctx)
    cuts: dict[int, list[Cut]] = defaultdict(list)
    skip_to = 0
    for start in _run_starts(joined):
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
    also occurs elsewhere on the page.  Lines are indexed by their k-grams at
    every shift below ``quote_index_stride``; the page is scanned once at that
    stride, so the cost grows with the page, not with pairs of blocks."""
    k, stride = config.min_repeat_chars, config.quote_index_stride
    index: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for start, end, _number in joined.segments:
        if end - start >= k + stride - 1:
            for shift in range(stride):
                index[joined.text[start + shift : start + shift + k]].append((start, end, shift))
    found = []
    text = joined.text
    for pos in range(0, len(text) - k + 1, stride):
        for start, end, shift in index.get(text[pos : pos + k], ()):
            other = pos - shift
            if abs(other - start) >= end - start and text.startswith(text[start:end], other):
                found.append((start, end - start, other))
    return found


def _extend(text: str, first: int, second: int, length: int) -> tuple[int, int, int]:
    """Grow an exact match of ``length`` at ``first`` and ``second`` (first <
    second) to its maximal extent without the copies overlapping."""
    back = 0
    while first - back > 0 and text[first - back - 1] == text[second - back - 1]:
        back += 1
    forward = length
    while (
        second + forward < len(text)
        and first + forward < second - back
        and text[first + forward] == text[second + forward]
    ):
        forward += 1
    return first - back, second - back, back + forward


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
    joined = _join(blocks, ctx)
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
        sorted(edge - start for edge in joined.line_edges if start < edge < start + length)
        for start in copies
    ]
    return bool(breaks[0]) and breaks[0] == breaks[1]


def _reads_as_quote(text: str, config: Config) -> bool:
    """Pull quotes and captions are sentences: `…作了哪些制度安排？`.  A headline
    repeating a body phrase (`健身消费一路走俏`) has no sentence end and stays."""
    return han_count(text) >= config.min_quote_han and ends_sentence(text)


def _apply_cuts_why(
    blocks: tuple[Block, ...], cuts: dict[int, list[Cut]], whys: dict[int, str], ctx: _Context
) -> RuleResult:
    out: list[Block] = []
    dropped: list[Dropped] = []
    for index, block in enumerate(blocks):
        kept, removed = cut_block(block, cuts.get(index, []), whys.get(index, ""), ctx)
        dropped.extend(removed)
        if kept is not None:
            out.append(kept)
    return tuple(out), dropped

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
    ctx = _Context.of(page, config)
    blocks = page.blocks or page.current_blocks()
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
