"""rejoin: join column-broken lines back into paragraphs.

A PDF text layer or OCR gives one raw line per printed column line.  Reading
them back into paragraphs takes these steps, each a named rule:

1. ``blank_line_style`` — decide whether blank lines mean anything.  Some
   extractions put a blank line after every line (the seed page); there they
   are noise.  Elsewhere a blank line is a real break.
2. ``kinsoku`` and ``open_bracket`` — glue fragments of one printed line:
   Chinese typesetting never starts a line with `，。）”` etc., so a raw line
   that does (`）` / `，这是` after `（以下简称《条例》`) continues the
   previous one; a line ending with an opening bracket or quote continues too.
   ``fragment_fill`` glues short pieces that together fill the column width
   (`创新发展的最新制度成果。` + `《条例》以习近平`: pdftotext -raw cuts a printed
   line where the font changes for a bracket); never a line ending on `——`
   after a sentence end, which leads a title (``dash_kicker``).
3. ``paragraph_end`` — between printed lines, a paragraph ends where a line
   ends a sentence and is clearly short of the local column width, or where
   the next line is short by the lost two-character indent.  A short line with
   no sentence end (a headline, credit, subhead) is never glued to a paragraph.

   Other line-break rules: ``indent_start`` (a full line ending a sentence,
   then one short by the indent), ``runs_into_full_line`` and
   ``two_line_paragraph`` (a short first line goes on), ``open_quote`` (a
   short line leaving a quotation open goes on), ``wider_than_column``
   and ``title_after_sentence`` (titles set across columns), ``byline_start``,
   ``column_tag``, ``credit_line`` and ``bracketed_note`` (lines that stand
   alone, unless a word runs into a bracketed line: `…水环` / `境…断面（点位）`),
   ``bracket_tail`` (`见闻）` closes the title above), ``title_over_byline``,
   ``title_over_subheadline``, ``title_under_kicker`` (the line under a kicker
   ending on `——`) and ``lead_after_title`` (a time or dispatch lead under a
   clause-less line) keep titles apart, ``caption_lead`` (a caption's
   `图为…` after a sentence end opens a block), ``open_paragraph`` (a long paragraph
   that stops mid-sentence goes on), and ``justified_line`` (a line normalize
   found letter-spaced is a full body line however short its text, never a
   title).
   Where punctuation is set narrow the column estimate can be a cell too
   wide, so some rules also measure a line against the line after it:
   ``indent_before_full_line``, ``first_line_narrower``, ``indent_runs_on``
   and ``runs_into_near_full_line``.
   Titles that look like body lines by width alone: ``wide_title`` (no
   punctuation, a cell or more over the column: a body line outgrows it
   only by a hung mark), ``short_after_sentence`` (short and clause-less
   after a full line that ends a sentence) and ``title_over_indent`` (as
   wide as the column, over an indented first line).  ``wide_column`` keeps
   the lines of a wide story that follows a narrow one together, while the
   column estimate still lags behind.
4. ``hyphenation`` joins a Latin word broken over a line (the hyphen is
   reported in ``dropped``); ``prejoined_input`` leaves text that is already
   one paragraph a line as it is, so cleaning twice changes nothing.

Column widths differ on one page, so the width is estimated from neighbours
(``local_widths``: the most common width nearby).  Every block keeps the span
of raw lines it came from and names the rule that ended it in ``evidence``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from ..config import Config
from ..dictionaries import load_list, load_patterns, load_regex
from ..model import Block, Dropped, Kind, Line, Page
from ..text.cjk import (
    CJK_PUNCT,
    CLAUSE_PUNCT_RE,
    CLOSERS,
    ENDS_WITH_TAG_RE,
    MID_SENTENCE,
    NO_LINE_START,
    OPENERS,
    SUBHEAD_BULLETS,
    cells,
    ends_sentence,
)
from ..text.lexicon import word_across
from ..text.regex_start import first_literals

RULES = (
    "blank_line_style", "kinsoku", "open_bracket", "open_quote", "fragment_fill",
    "paragraph_end",
    "indent_start", "runs_into_full_line", "two_line_paragraph", "wider_than_column",
    "byline_start", "column_tag", "credit_line", "hyphenation", "prejoined_input",
    "title_after_sentence", "bracketed_note", "bracket_tail", "open_paragraph",
    "running_head_line", "title_over_byline", "title_over_subheadline", "title_under_kicker",
    "lead_after_title", "caption_lead",
    "indent_before_full_line", "first_line_narrower", "indent_runs_on",
    "runs_into_near_full_line", "justified_line", "wide_title", "wide_column",
    "short_after_sentence", "title_over_indent", "dash_kicker", "bullet_title",
)

# Rules are tested as `"name" not in config.disabled_rules`, what
# ``Config.rule_enabled`` does, without its call: the loops below ask about
# ten rules for every line of the page.

_LATIN_END_RE = re.compile(r"[A-Za-z]$")
_HYPHENATED_RE = re.compile(r"[A-Za-z]-$")
_LATIN_OR_DIGIT_START_RE = re.compile(r"^[A-Za-z0-9]")
_DIGIT_END_RE = re.compile(r"[0-9]$")
_LATIN_START_RE = re.compile(r"^[A-Za-z]")
_ASCII_RE = re.compile(r"[\x00-\x7f]")


class Piece:
    """A printed line (or a growing paragraph) with its raw line span.

    A plain class with ``__slots__`` rather than a dataclass: rejoin makes one
    for every raw line and every merge, and the rules read its fields
    thousands of times a page."""

    __slots__ = ("text", "first", "last", "hard_break_before", "rule", "hyphens", "width",
                 "count", "letter_spaced", "ends_sentence", "_facts",
                 "byline", "credit", "tagged", "running_head", "marked", "dash_end")

    def __init__(self, text: str, first: int, last: int, width: float,
                 hard_break_before: bool = False, letter_spaced: bool = False, rule: str = "",
                 hyphens: tuple[int, ...] = (), count: int = 1) -> None:
        # Callers pass every argument by position: keywords made each of the
        # hundreds of pieces a page cost a third more to make.
        self.text = text
        self.first = first
        self.last = last
        self.hard_break_before = hard_break_before
        self.rule = rule
        #: Source lines whose line-end hyphen was removed when joining.
        self.hyphens = hyphens
        #: Width in cells; measured once, then added up as pieces merge.
        self.width = width
        #: Raw lines merged into this piece (blank lines not counted).
        self.count = count
        #: Normalize found a space between every two characters of a raw line of
        #: this piece: typesetting stretched it to the column (``Line.letter_spaced``).
        self.letter_spaced = letter_spaced
        #: Known at once: it looks at the last few characters only, and nearly
        #: every rule asks it.
        self.ends_sentence = ends_sentence(text)
        self._facts: dict[str, bool] = {}

    # ``byline``, ``credit``, ``tagged``, ``running_head``, ``marked`` (any of
    # the four) and ``dash_end`` are set by :func:`mark_lines` on the printed
    # lines that step 3 joins.

    def __repr__(self) -> str:
        return f"Piece({self.text!r}, {self.first}, {self.last}, rule={self.rule!r})"

    def matches(self, name: str, pattern: re.Pattern[str]) -> bool:
        """``pattern.search(text)``, remembered: the rules ask each line often."""
        facts = self._facts
        if name not in facts:
            facts[name] = bool(pattern.search(self.text))
        return facts[name]


@dataclass(frozen=True)
class Patterns:
    """Dictionary patterns that mark a line as its own block."""

    bylines: re.Pattern[str]
    #: The credit patterns as :func:`searched_apart` groups them, each with
    #: the character a line must hold to match it, or '' when any line may
    #: (see :func:`guarded`).
    credits: tuple[tuple[re.Pattern[str], str], ...]
    text_leads: re.Pattern[str]
    #: Finds every byline, and every credit of a line not holding ``guard``.
    byline_or_credit: re.Pattern[str]
    guard: str
    #: How a caption's sentence opens a line (`图为…`); matched at the start.
    caption_leads: re.Pattern[str]

    @classmethod
    def load(cls, config: Config) -> Patterns:
        bylines = load_regex("bylines", config.user_dictionaries)
        credits = guarded(searched_apart("credits", config.user_dictionaries))
        return cls(
            bylines,
            credits,
            load_regex("text_leads", config.user_dictionaries),
            byline_or_credit(bylines, credits),
            credit_guard(credits),
            load_regex("caption_leads", config.user_dictionaries),
        )

    def is_credit(self, text: str) -> bool:
        """What ``load_regex("credits")`` finds in ``text``."""
        for pattern, needs in self.credits:
            if needs and needs not in text:
                continue
            if pattern.search(text):
                return True
        return False


@lru_cache(maxsize=16)
def guarded(patterns: tuple[re.Pattern[str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each pattern with the one plain character every match of it begins
    with (:func:`first_literals`), or '' when there is no such character.
    The three free credit patterns all begin with `摄` and most lines hold
    none: a substring test turns them away before a search.  Remembered:
    reading a parse tree costs more than a page's searches."""
    out = []
    for pattern in patterns:
        firsts = first_literals(pattern)
        out.append((pattern, next(iter(firsts)) if firsts and len(firsts) == 1 else ""))
    return tuple(out)


def credit_guard(credits: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    """The character the first guarded credit pattern needs (`摄`), or ''
    when none has a guard: :func:`mark_lines` looks for it in each line."""
    return next((needs for _, needs in credits if needs), "")


@lru_cache(maxsize=16)
def byline_or_credit(bylines: re.Pattern[str],
                     credits: tuple[tuple[re.Pattern[str], str], ...]) -> re.Pattern[str]:
    """One alternation of the bylines and of the credit patterns that need
    no :func:`credit_guard`: it finds every byline, and every credit but of
    a line holding the guard.  A regex search costs over a thousand
    instructions however short the line, and a few lines of a page are
    bylines or credits: a line it does not find, holding no guard, is
    settled by this one search rather than two (mark_lines 3.16 -> 2.24 M
    instructions).  Remembered, as the patterns are."""
    guard = credit_guard(credits)
    parts = [bylines.pattern, *(pattern.pattern for pattern, needs in credits if needs != guard)]
    return re.compile("|".join(f"(?:{part})" for part in parts))


@lru_cache(maxsize=16)
def searched_apart(name: str, user_dirs: tuple[Path, ...] = ()) -> tuple[re.Pattern[str], ...]:
    """The patterns of dictionary ``name`` as the regexes that search a line
    fastest: the patterns anchored at the line start in one alternation,
    each other pattern alone.  In one alternation of them all
    (``load_regex``) the regex engine cannot skip to the character a
    pattern starts with (`摄` of `王正摄（影像中国）`), so it tries every
    pattern at every position of every line: the credits alone cost a
    seventh of rejoin.  A pattern anchored at the line start fails at once
    at any other position, so those stay together.  A line matches a group
    when it matches the alternation."""
    load_regex(name, user_dirs)  # a bad pattern fails as it always did
    patterns = load_patterns(name, user_dirs)
    anchored = [pattern.pattern for pattern in patterns if pattern.pattern.startswith("^")]
    apart = tuple(pattern for pattern in patterns if not pattern.pattern.startswith("^"))
    if not anchored:
        return apart
    return (re.compile("|".join(f"(?:{pattern})" for pattern in anchored)), *apart)


# --- step 1: blank lines ----------------------------------------------------


def blank_lines_are_style(lines: tuple[Line, ...], config: Config) -> bool:
    """True when most non-blank lines are followed by a blank line: the
    extractor double-spaced every line (the seed), so blanks mean nothing."""
    return _blanks_are_style(_blanks(lines), config)


def _blanks(lines: tuple[Line, ...]) -> list[bool]:
    """Each line's ``is_blank``, read without a property call a line."""
    return [not line.text.strip() for line in lines]


def _blanks_are_style(blanks: list[bool], config: Config) -> bool:
    """:func:`blank_lines_are_style` from each line's is_blank.  The pairs
    are counted on a string of the layout, one mark a line: the page has
    hundreds of lines, and a string counts them without a Python step each."""
    if "blank_line_style" in config.disabled_rules:
        return False
    layout = "".join(["_" if blank else "x" for blank in blanks])
    nonblank = layout.count("x")
    if nonblank < 2:
        return False
    followed = layout.count("x_")  # a line, then a blank line
    return followed / nonblank >= config.blank_line_style_share


def raw_pieces(lines: tuple[Line, ...], config: Config) -> list[Piece]:
    """Non-blank lines as pieces; a blank line is a hard break unless it is style."""
    blanks = _blanks(lines)
    # A line after a blank line opens a block, unless blank lines are style.
    breaks = [False] * len(blanks) if _blanks_are_style(blanks, config) else [False, *blanks]
    return [
        Piece(line.text, line.number, line.number, cells(line.text), hard_break,
              line.letter_spaced)
        for line, blank, hard_break in zip(lines, blanks, breaks)
        if not blank
    ]


# --- step 2: fragments of one printed line ----------------------------------


def join_text(left: str, right: str, config: Config) -> str:
    """Join two line texts, minding Latin words split over the break:
    `inter-` + `national` -> `international`; `iPhone` + `12` -> `iPhone 12`;
    `1—8` + `月` -> `1—8月` (Chinese needs no space).

    Only the end of ``left`` is searched: it is often the paragraph grown so
    far, and searching all of it made joining a paragraph quadratic."""
    if not left[-1:].isascii():
        return left + right  # a Chinese character or mark ends the line: the usual case
    end = left[-3:]  # the patterns' `$` sees at most two characters and a final newline
    if (
        "hyphenation" not in config.disabled_rules
        and _HYPHENATED_RE.search(end)
        and _LATIN_START_RE.match(right)
    ):
        return left[:-1] + right
    if (_LATIN_END_RE.search(end) and _LATIN_OR_DIGIT_START_RE.match(right)) or (
        _DIGIT_END_RE.search(end) and _LATIN_START_RE.match(right)
    ):
        return f"{left} {right}"
    return left + right


def merge(left: Piece, right: Piece, config: Config, rule: str = "") -> Piece:
    text = join_text(left.text, right.text, config)
    hyphens = left.hyphens + right.hyphens
    width = left.width + right.width
    if len(text) < len(left.text) + len(right.text):
        hyphens += (left.last,)  # the hyphen went: report it, lose nothing silently
        width -= 0.5
    return Piece(text, left.first, right.last, width, left.hard_break_before,
                 left.letter_spaced or right.letter_spaced, rule or left.rule, hyphens,
                 left.count + right.count)


def merge_lines(run: list[Piece], config: Config) -> Piece:
    """The piece that :func:`merge` makes of a run of lines one line at a
    time, made at once: each text joins the next with ``join_text`` as
    before, and one piece is made for the run rather than one for each line."""
    first = run[0]
    if len(run) == 1:
        return first
    # The sums are made in one loop, and the line ends searched for ASCII
    # in one string: a generator each cost four times as much (merge_lines
    # 1.57 -> 1.14 M instructions a page).
    texts = []
    width_sum, count_sum, hyphens_sum, spaced = 0, 0, (), False
    for line in run:
        texts.append(line.text)
        width_sum += line.width
        count_sum += line.count
        hyphens_sum += line.hyphens
        spaced = spaced or line.letter_spaced
    if not _ASCII_RE.search("".join([text[-1:] for text in texts[:-1]])):
        # No line but the last ends on a Latin letter, a digit or a hyphen:
        # ``join_text`` would only put the texts together, so they are joined
        # at once, not each to the paragraph grown so far.
        return Piece("".join(texts), first.first, run[-1].last, width_sum,
                     first.hard_break_before, spaced, first.rule, hyphens_sum, count_sum)
    text, width, hyphens = first.text, first.width, first.hyphens
    count, letter_spaced, last = first.count, first.letter_spaced, first.last
    for line in run[1:]:
        joined = join_text(text, line.text, config)
        hyphens += line.hyphens
        width += line.width
        if len(joined) < len(text) + len(line.text):
            hyphens += (last,)  # the hyphen went: report it, lose nothing silently
            width -= 0.5
        text, last = joined, line.last
        count += line.count
        letter_spaced = letter_spaced or line.letter_spaced
    return Piece(text, first.first, last, width, first.hard_break_before, letter_spaced,
                 first.rule, hyphens, count)


def starts_with_no_line_start(text: str) -> bool:
    """Kinsoku: `）`, `，这是`, `”` never begin a printed line."""
    return text[:1] in NO_LINE_START


def ends_with_opener(text: str) -> bool:
    return text[-1:] in OPENERS


def glue_punctuation(pieces: list[Piece], config: Config) -> list[Piece]:
    """Apply the kinsoku and open-bracket rules.  Only the pieces that
    :func:`_may_continue_by_punctuation` finds are tested: the others start
    no paragraph-joining mark and follow no opener, and are kept as they are."""
    out: list[Piece] = []
    done = 0
    for i in _may_continue_by_punctuation(pieces):
        out += pieces[done:i]
        piece = pieces[i]
        if out and _continues_by_punctuation(out[-1], piece, config):
            out[-1] = merge(out[-1], piece, config)
        else:
            out.append(piece)
        done = i + 1
    out += pieces[done:]
    return out


#: A line break before a kinsoku mark; a line break after an opener.  Both
#: start with the newline, which the regex engine skips to at once: a scan
#: for a class of marks tests each character against the class.
_BREAK_BEFORE_KINSOKU_RE = re.compile(f"\\n[{re.escape(NO_LINE_START)}]")
_BREAK_AFTER_OPENER_RE = re.compile(f"\\n(?<=[{re.escape(OPENERS)}]\\n)")


def _may_continue_by_punctuation(pieces: list[Piece]) -> list[int]:
    """Indexes of the pieces that start with a kinsoku mark, follow a piece
    ending on an opener, or hold a closing bracket, in order: all that
    :func:`_continues_by_punctuation` can accept.  Scans of the page find
    them, where three tests a line cost a tenth of rejoin."""
    page = PageText(pieces)
    if not page.exact:
        return list(range(len(pieces)))
    text, piece_at = page.text, page.piece_at
    found = {piece_at(match.end() - 1) for match in _BREAK_BEFORE_KINSOKU_RE.finditer(text)}
    found.update(piece_at(match.start()) + 1 for match in _BREAK_AFTER_OPENER_RE.finditer(text))
    found.update(piece_at(position) for position in page.positions_of("）"))
    found.update(piece_at(position) for position in page.positions_of(")"))
    return sorted(i for i in found if i < len(pieces))


class PageText:
    """The texts of a page's pieces joined, each after a newline, so that
    the few pieces holding a rare mark are found by one scan of the page
    rather than a test a piece."""

    def __init__(self, pieces: list[Piece]) -> None:
        texts = [piece.text for piece in pieces]
        self.text = "\n".join(["", *texts, ""])
        #: Where each piece's text starts in ``text``.
        self.starts = list(accumulate([len(text) + 1 for text in texts], initial=1))
        #: No text holds a newline of its own: a position tells its piece.
        self.exact = self.text.count("\n") == len(texts) + 1

    def piece_at(self, position: int) -> int:
        """The index of the piece whose text holds ``position`` (-1 for the
        newline before the first; a newline after a text belongs to it)."""
        return bisect_right(self.starts, position) - 1

    def positions_of(self, mark: str) -> Iterator[int]:
        """Where ``mark`` occurs in ``text``: ``str.find`` skips to it far
        faster than a regex would."""
        position = self.text.find(mark)
        while position >= 0:
            yield position
            position = self.text.find(mark, position + 1)


def _continues_by_punctuation(previous: Piece, piece: Piece, config: Config) -> bool:
    """kinsoku (:func:`starts_with_no_line_start`), open_bracket
    (:func:`ends_with_opener`) and bracket_tail.  The first two are tested
    here, not called, and only a line closing a bracket is handed to
    :func:`_closes_open_bracket`: this runs once a line, and most lines
    close no bracket."""
    off = config.disabled_rules
    text = piece.text
    if "kinsoku" not in off and text[:1] in NO_LINE_START:
        return True
    if "open_bracket" not in off and previous.text[-1:] in OPENERS:
        return True
    return (
        "bracket_tail" not in off
        and ("）" in text or ")" in text)
        and _closes_open_bracket(previous, piece, config)
    )


def _closes_open_bracket(previous: Piece, piece: Piece, config: Config) -> bool:
    """bracket_tail: `幸福路把幸福串成串（新春走基层·脱贫攻坚一线` / `见闻）`: a
    short piece that closes the bracket the line above left open ends that
    line, not the paragraph below."""
    text = piece.text
    close = min((text.find(mark) for mark in "）)" if mark in text), default=-1)
    return (
        close >= 0
        and piece.width <= config.heading_tail_cells + 1
        and not any(mark in text[:close] for mark in "（(")
        and previous.text.count("（") + previous.text.count("(")
        > previous.text.count("）") + previous.text.count(")")
    )


def local_widths(widths: list[float], config: Config) -> list[float]:
    """Column width around each line: the most common width among its
    neighbours.  Full lines of one column all have the column's width, so the
    mode ignores short last lines, headlines and running heads that a mean or
    a percentile would feel.  Each width is merged with its neighbour one cell
    wider: punctuation set narrow makes one column's full lines differ by a cell.

    A width that leaves the window is forgotten, so that each line looks at
    the widths around it, not at every width seen higher up the page."""
    window = config.width_window
    rounded = [round(width) for width in widths]
    # A plain dict, not a Counter: a width entering the window is counted
    # without a call to Counter.__missing__, once a line.
    near: dict[int, int] = dict(Counter(rounded[: window + 1]))
    lines_at = near.get  # looked up once: the loop below asks it several times a line
    # The width that leaves the window and the one that enters it at each
    # line (None: none), laid out beforehand rather than indexed line by line.
    count = len(rounded)
    leaving = ([None] * (window + 1) + rounded)[:count]
    entering = ([None] + rounded[window + 1 :] + [None] * window)[:count]
    result: list[float] = []
    best, best_score = _widest_mode(near)
    column = float(best)
    for out, into in zip(leaving, entering):
        if out != into:  # else the window holds the same widths as before
            if out is not None:
                still = near[out] - 1
                if still:
                    near[out] = still
                else:
                    del near[out]
            if into is not None:
                near[into] = lines_at(into, 0) + 1
            # A count moves the score of its width and of the width a cell
            # wider, no other.  Unless the best lost a line, the best stays
            # best or one of the two that gained beats it: the window is
            # scanned again only then, not at every line.
            if out is not None and (best == out or best == out + 1):
                best, best_score = _widest_mode(near)
            elif into is not None:
                for width in (into, into + 1):
                    if width in near:
                        score = near[width] + lines_at(width - 1, 0)
                        if score > best_score or (score == best_score and width > best):
                            best, best_score = width, score
            column = float(best)
        result.append(column)
    return result


def _widest_mode(near: dict[int, int]) -> tuple[int, int]:
    """The width with the most lines at it or a cell narrower (the wider on
    a tie), and that number of lines."""
    best, best_score = 0, -1
    for width, lines in near.items():
        score = lines + near.get(width - 1, 0)
        if score > best_score or (score == best_score and width > best):
            best, best_score = width, score
    return best, best_score


def is_short(width: float, column: float, config: Config) -> bool:
    return width < column - config.short_line_slack


def glue_fragments(pieces: list[Piece], config: Config,
                   columns: list[float] | None = None) -> list[Piece]:
    """fragment_fill: short pieces that together fill the column are one
    printed line that the extractor cut where the font changed
    (`《条例》以习近平` after `…最新制度成果。`).  Only pieces that continue a
    paragraph qualify, and never a byline or a credit, so that a short
    headline is not glued to the line after it.  ``columns`` are the
    pieces' :func:`local_widths`, when the caller has them."""
    if "fragment_fill" in config.disabled_rules or len(pieces) < 3:
        return pieces
    if columns is None:
        columns = local_widths([piece.width for piece in pieces], config)
    byline_re = load_regex("bylines", config.user_dictionaries)
    out: list[Piece] = [pieces[0]]
    for i in range(1, len(pieces)):
        piece, column = pieces[i], columns[i]
        current = out[-1]
        if (
            not piece.hard_break_before
            and len(out) >= 2
            and current.width < column - config.short_line_slack  # is_short: most lines are not
            and _is_open_fragment(current, out[-2], column, config)
            and _fills_with(current, piece, out[-2], column, config)
            and not piece.matches("byline", byline_re)
            and not _stands_alone(current, config)
            and not _stands_alone(piece, config)
        ):
            out[-1] = merge(current, piece, config, "fragment_fill")
        else:
            out.append(piece)
    return out


def _stands_alone(piece: Piece, config: Config) -> bool:
    """A credit (`王正摄（影像中国）`), a tagged headline (`送爱进山区（影像
    中国）`) or a box label (`编者的话`, ``dictionaries/labels.txt``) is never
    a fragment of a longer line."""
    credits = load_regex("credits", config.user_dictionaries)
    return (
        piece.matches("credit", credits)
        or _tagged(piece)
        or piece.text in load_list("labels", config.user_dictionaries)
    )


def _is_open_fragment(current: Piece, before: Piece, column: float, config: Config) -> bool:
    """A short piece that does not end a sentence, after a printed line that
    runs on (full width, no sentence end) or that ends a paragraph.  A
    justified line is a whole printed line, not a fragment of one.
    dash_kicker: nor is a piece ending on `——` after a sentence end: it leads
    the title under it (`临江又亲江——` / `滨水空间正在形成`, a story's subhead
    in two parts, corpus d036), and the two together may fill the column."""
    if not is_short(current.width, column, config) or current.ends_sentence:
        return False
    if _justified(current, config):
        return False
    if current.text.startswith("——") or before.text.startswith("——"):
        return False
    if (
        "dash_kicker" not in config.disabled_rules
        and current.text.endswith("——")
        and before.ends_sentence
    ):
        return False
    if _closes_bracket_above(current.text):
        return False  # `贺整理）` ends the note `（作者为…` opened lines above
    return not is_short(before.width, column, config) or before.ends_sentence


def _closes_bracket_above(text: str) -> bool:
    """``text`` ends on a bracket that a line above opened: the last line of a
    bracketed note (`（作者为中国社会科学院党组成` / `…本报记者张` / `贺整理）`,
    corpus d007), not a fragment of a longer printed line."""
    opened = text.count("（") + text.count("(")
    return text.endswith(("）", ")")) and text.count("）") + text.count(")") > opened


def _fills_with(current: Piece, piece: Piece, before: Piece, column: float,
                config: Config) -> bool:
    """current + piece make a printed line: the column width, or the width
    less the lost indent when current opens a paragraph.  Full-width marks
    are set narrower than a cell, so the sum may run over by a little."""
    width = current.width + piece.width
    target = column - config.indent_cells if before.ends_sentence else column
    return target - config.fragment_underrun <= width <= target + config.fragment_overrun


# --- step 3: paragraphs -----------------------------------------------------


def mark_lines(pieces: list[Piece], patterns: Patterns) -> None:
    """Answer, once for each printed line, what the break rules ask of every
    line: is it a byline or a credit (the dictionaries), does it end on a
    column tag (:func:`_tagged`), is it a running head, does it end on `——`.
    The loop of step 3 then reads attributes rather than calling a function
    for each question of each pair of lines.  A tag closes on a bracket and
    a running head holds `版`: the mark is looked for before the function
    is called, which saves two calls on most lines."""
    bylines, is_credit, guard = patterns.bylines, patterns.is_credit, patterns.guard
    texts = [piece.text for piece in pieces]
    # The searches are mapped over the lines, not made in the loop: a
    # Python step a line saved.
    for piece, text, found in zip(pieces, texts, map(patterns.byline_or_credit.search, texts)):
        if found or (guard and guard in text):  # a few lines a page
            byline, credit = bool(bylines.search(text)), is_credit(text)
        else:
            byline = credit = False
        tagged = ("）" in text or ")" in text) and _tagged(piece)
        running_head = "版" in text and _is_running_head(piece)
        piece.byline, piece.credit, piece.tagged = byline, credit, tagged
        piece.running_head = running_head
        piece.marked = byline or credit or tagged or running_head
        piece.dash_end = text.endswith("——")


def paragraph_break(left: Piece, right: Piece, column: float, config: Config,
                    after: Piece | None = None) -> str:
    """The rule that ends a paragraph between two printed lines, or ''.
    ``after`` is the printed line after ``right``, when there is one; all
    three went through :func:`mark_lines`.

    The checks that every pair of lines reaches (``_wider``, ``is_short``,
    ``_justified``, and the first tests of ``_wide_title`` and
    ``_standalone_byline``) are written out here rather than called: this
    runs once a line, and the calls cost more than the comparisons."""
    if right.hard_break_before:
        return "blank_line"
    off = config.disabled_rules
    wide = column + config.wide_line_excess  # _wider
    if "wider_than_column" not in off and (left.width > wide or right.width > wide):
        if "wide_column" in off or not _one_wide_column(left, right, column, config):
            return "wider_than_column"
        if left.ends_sentence and _indent_short(right.width, left.width, config):
            return "indent_start"  # the estimate lags: measured against the line above
    wide = column + config.wide_unpunctuated_excess  # _wide_title: most pairs have no wide line
    if (
        "wide_title" not in off
        and (left.width > wide or right.width > wide)
        and _wide_title(left, right, column, config)
    ):
        return "wide_title"
    if left.marked or right.marked:  # a byline, credit, tag or running head: few pairs
        rule = _marked_line_break(left, right, column, config)
        if rule:
            return rule
    if left.width >= column - config.short_line_slack or (  # not is_short, or _justified
        left.letter_spaced and "justified_line" not in off
    ):
        if not left.ends_sentence:
            return ""
        if (
            "indent_start" not in off
            and _indent_short(right.width, column, config)
            and not _wider_than_next_line(left, right, after, config)
        ):
            return "indent_start"
        if "indent_before_full_line" not in off and _indented_before(
            right, after, column, config
        ):
            return "indent_before_full_line"
        if "title_after_sentence" not in off and _title_like(right, column, config):
            return "title_after_sentence"
        if config.rule_enabled("short_after_sentence") and _short_after_sentence(
            right, after, column, config
        ):
            return "short_after_sentence"
        return ""
    if "paragraph_end" in off:
        return ""
    if left.ends_sentence:
        return "paragraph_end"
    if _runs_on(left, right, column, config):
        return ""
    if "open_quote" not in off and _leaves_quote_open(left):
        return ""
    if "indent_runs_on" not in off and _indent_runs_on(left, right, after, column, config):
        return ""
    if "runs_into_near_full_line" not in off and _runs_into_near_full_line(
        left, right, after, column, config
    ):
        return ""
    return "short_line"


def _marked_line_break(left: Piece, right: Piece, column: float, config: Config) -> str:
    """byline_start, running_head_line, column_tag and credit_line, for a pair
    of which one line is :func:`mark_lines`' ``marked``: asked of the few
    pairs that hold one, not of every pair (rejoin 17.70 -> 17.50 M
    instructions)."""
    off = config.disabled_rules
    if "byline_start" not in off and (
        right.byline or (left.byline and _standalone_byline(left, column, config))
    ):
        return "byline_start"
    if "running_head_line" not in off and (left.running_head or right.running_head):
        return "running_head_line"  # `人民日报 2020年1月14日星期二 第2版` over a title
    if "column_tag" not in off and (
        left.tagged or (right.tagged and not _mid_word(left, right, column, config))
    ):
        return "column_tag"
    if "credit_line" not in off and (left.credit or right.credit):
        return "credit_line"
    return ""


# --- a line measured against the line after it -------------------------------
#
# Where type sets punctuation narrow (the seed, unlike the corpus' browser
# type), a line with marks holds a character more than one without, so a
# column's full lines are 10 and 11 cells and the local estimate takes the
# wider: a 10-cell full line then looks a cell short, an indented first line
# three.  The full line after a line measures the column on the spot.


def _as_wide(piece: Piece, full: Piece, config: Config) -> bool:
    """Within ``full_line_spread`` of the full line ``full``: full too."""
    return abs(piece.width - full.width) <= config.full_line_spread


def _less_than_indent(narrower: Piece, wider: Piece, config: Config) -> bool:
    """``narrower`` is short of ``wider`` by clearly less than the indent."""
    return wider.width - narrower.width < config.indent_cells - config.indent_tolerance


def _indented_before(right: Piece, after: Piece | None, column: float, config: Config) -> bool:
    """indent_before_full_line: after a full line ending a sentence, a short
    line about the indent shorter than the full line after it opens a
    paragraph (`市长杨巨才出席会议。` / `会议通报了全市转` / `型项目建设情况、1—8`
    in a 10-cell column estimated at 11, where `会议通报了全市转` is three
    cells short of the estimate)."""
    return (
        after is not None
        and not right.ends_sentence
        and is_short(right.width, column, config)
        and _fills_column(after, column, config)
        and _indent_short(right.width, after.width, config)
    )


def _wider_than_next_line(left: Piece, right: Piece, after: Piece | None,
                          config: Config) -> bool:
    """first_line_narrower: an indented first line is narrower than the line
    after it and clearly narrower than the full line before it; a line as wide
    as the line before and wider than the one after (`…初步建立了农特产品目录库。`
    / `全市农副产品类获得省级著名商标 6件，评选` / `出吕梁市知名商标42件。…`,
    20, 19.5 and 19 cells under an estimate of 21) is no first line, however
    short of the estimate it looks."""
    return (
        "first_line_narrower" not in config.disabled_rules
        and after is not None
        and not right.ends_sentence
        and not after.ends_sentence
        and after.width < right.width
        and _less_than_indent(right, left, config)
    )


def _leaves_quote_open(piece: Piece) -> bool:
    """open_quote: a short line that opens a quotation and does not close it
    (`“渤海镇玄武湖环境治理和开发问` / `题，已经搁置了十几年，…`, corpus d006)
    goes on in the line under it: a title closes its quotes (`课堂搬现场“四步”
    学习忙`), a paragraph's first line short by a narrow quote mark does not."""
    text = piece.text
    return text.count("“") > text.count("”")


def _indent_runs_on(left: Piece, right: Piece, after: Piece | None, column: float,
                    config: Config) -> bool:
    """indent_runs_on: a short line about the indent shorter than the full
    line after it, which the line after that confirms as full, is a first line
    running on (`会议通报了全市转` / `型项目建设情况、1—8` / `月份经济指标完成情`).
    A title over a body's indented first line is not: that line is narrower
    than the full line after it (`今年首场升国旗仪式举行` / `1月1日凌晨3时起，便有不少`
    / `市民、游客在天安门广场周围等`)."""
    return (
        after is not None
        and _fills_column(right, column, config)
        and _indent_short(left.width, right.width, config)
        and _as_wide(right, after, config)
    )


def _runs_into_near_full_line(left: Piece, right: Piece, after: Piece | None, column: float,
                              config: Config) -> bool:
    """runs_into_near_full_line: a short line with clause punctuation and no
    sentence end runs on into a line less than the indent wider than it that
    is itself as wide as the full line after it (`近年来，在市委、市政府的正确领导和大`
    / `力支持下，我市金融部门精准对接脱贫攻坚` / `金融服务需求，…`: 18, 19 and 20
    cells under an estimate of 21).  A punctuated title over an indented first
    line is short of that line by the indent or more (`搏，是运动员共同的“标签”` /
    `今年元旦前夕，在北京，一场特别`)."""
    return (
        after is not None
        and left.matches("clause", CLAUSE_PUNCT_RE)
        and not right.ends_sentence
        and right.width > left.width
        and _less_than_indent(left, right, config)
        and _fills_column(after, column, config)
        and right.width >= after.width - config.full_line_spread
        and not _wider(right, column, config)
    )




#: A running head: a date with its weekday and a page number on one line.
#: Anchored at line starts: unanchored, the two lookaheads were tried (and
#: scanned to the line end) from every position of every line.
_RUNNING_HEAD_RE = re.compile(
    r"^(?=.*\d{1,2}月\d{1,2}日\s*(?:星期|周)[一二三四五六日天])(?=.*第\s*\d{1,3}\s*版)",
    re.MULTILINE,
)


def _is_running_head(piece: Piece) -> bool:
    """Only a line holding `版` can carry a page number: most lines are
    settled without trying the pattern at each of their characters."""
    return "版" in piece.text and piece.matches("running_head", _RUNNING_HEAD_RE)


def _tagged(piece: Piece) -> bool:
    """A line ending on a column tag is a headline, never part of a paragraph
    (`让乡规民约“活”起来（代表之声）`) — unless a sentence runs into it.
    A tag closes on a bracket: a line with none is settled without a search."""
    text = piece.text
    return (
        ("）" in text or ")" in text)
        and piece.matches("tag", ENDS_WITH_TAG_RE)
        and not ends_sentence(text[:-1])
    )


def _mid_word(left: Piece, right: Piece, column: float, config: Config) -> bool:
    """A full line that stops inside a word (`年起，宁夏将对纳入全区各市县水环` /
    `境质量状况排名的72个断面（点位）`: 水环境): the line under it goes on with
    that sentence, bracket and all."""
    return (
        _fills_column(left, column, config)
        and not left.ends_sentence
        and not left.tagged
        and bool(word_across(left.text, right.text, config))
    )


def _tag_in_text(run: list[Piece], left: Piece, right: Piece) -> bool:
    """The bracketed line closing on a tag-like bracket was joined to the
    sentence over it (``run``, the paragraph so far, holds more than that
    line): it is text, and the text goes on under it."""
    return len(run) > 1 and left.tagged and not right.tagged


def _standalone_byline(piece: Piece, column: float, config: Config) -> bool:
    """`□ 本报记者 郑红萍` on its own line: a byline shorter than a paragraph's
    first line never runs into the text after it.  (`本报讯 （记者 马` broken
    mid-bracket is rejoined by segment's broken_byline rule.)  A byline whose
    line goes on after its bracket (`据新华社电 （记者陈凯姿）蔡笃` / `强，生于…`)
    opens the text, which runs on into the next line."""
    return (
        piece.byline
        and piece.width < column - config.indent_cells - config.short_line_slack
        and not _TEXT_AFTER_BRACKET_RE.search(piece.text)
    )


#: Text after the closing bracket of a byline: `（记者陈凯姿）蔡笃`.
_TEXT_AFTER_BRACKET_RE = re.compile(r"[）)]\s*[^\s（()）]+$")


def _fills_column(piece: Piece, column: float, config: Config) -> bool:
    """A full line of this column: neither clearly short nor set across columns."""
    return not is_short(piece.width, column, config) and not _wider(piece, column, config)


def _short_after_sentence(piece: Piece, after: Piece | None, column: float,
                          config: Config) -> bool:
    """short_after_sentence: after a full line that ends a sentence, a line
    short of the column by more than the indent, with no clause punctuation,
    is a line on its own, a title or a subhead (`…的目标任务。` / `文水县规范“校园
    食堂”`, 11 cells under 27; `…市场不会让任何一个…。` / `走出惰性练就竞争力`),
    unless a word runs on into the next line (`五是必须坚持和加强党的全面领` /
    `导。…`: a first line cut short).  A dash line (`——山东省省长…时说`) is
    left to the attribution and subheadline rules.  Were it the paragraph's
    next line, it would be full or, short, the paragraph's last line, ending
    the sentence; an indented first line is short by the indent only."""
    return (
        piece.width < column - config.indent_cells - config.indent_tolerance
        and not piece.text.startswith("——")
        and not piece.matches("clause", CLAUSE_PUNCT_RE)
        and not ends_with_opener(piece.text)
        and not (after and word_across(piece.text, after.text, config))
    )


def _title_like(piece: Piece, column: float, config: Config) -> bool:
    """title_after_sentence: after a sentence end, a line wider than the
    column with no punctuation at all is a title set in larger type
    (`交口县冻绿叶药茶产业发展` over 10-character columns), not the next
    line of the paragraph."""
    return (
        piece.width > column + config.half_cell
        and not piece.matches("punctuation", _PUNCT_RE)
        and not _justified(piece, config)
    )


def _justified(piece: Piece, config: Config) -> bool:
    """justified_line: a line set with a space between every two characters
    (``Line.letter_spaced``) was stretched to its column's width because a
    character was pushed to the next line (`深 入 推 进 电 子 商 务 与 扶 贫 攻 坚
    深 度 融` / `合，鼓励引导快递企业…`, 16 characters in a 19-character column:
    `合` may not be parted from its `，`).  Its text looks short, but it is a
    full body line: it runs on unless it ends a sentence, and is no title."""
    return piece.letter_spaced and "justified_line" not in config.disabled_rules


def _wider(piece: Piece, column: float, config: Config) -> bool:
    """Wider than the column: a headline or running head set across several
    columns (`——论学习贯彻习近平总书记在主题教育总结大会上重要讲话` over
    16-character columns) is never part of a column's paragraph."""
    return piece.width > column + config.wide_line_excess


def _one_wide_column(left: Piece, right: Piece, column: float, config: Config) -> bool:
    """wide_column: two lines as wide as each other (within the indent and a
    hung mark: `岚县还出台了…明确了完善健` 24 cells, `康档案…的方案，` 27), both
    wider than the column estimate, the upper one with a clause in it, are
    lines of one wider column, not titles set across columns.  The estimate
    lags where a wide story follows a narrow one (`临安区把慢性病管理作为重点
    工作，覆盖家庭医` / `生签约，医疗服务水平持续提升。…`, 21 and 24 cells after a
    17-cell story)."""
    return (
        _wider(left, column, config)
        and _wider(right, column, config)
        and abs(right.width - left.width) <= config.indent_cells + config.hung_mark_cells
        and left.matches("clause", CLAUSE_PUNCT_RE)
    )


def _wide_unpunctuated(piece: Piece, column: float, config: Config) -> bool:
    return piece.width > column + config.wide_unpunctuated_excess and not piece.matches(
        "punctuation", _PUNCT_RE
    )


def _wide_title(left: Piece, right: Piece, column: float, config: Config) -> bool:
    """wide_title: a line with no punctuation at all that is wider than the
    column by more than a cell is a title (`榆林市沿岸绿化带多点发力`, 12 cells
    over a 10-cell column; `江西贵溪推动党员干部到一线服务`): a body line
    outgrows its column only by a mark hung at its end.  Where a word runs
    across the break the column estimate is what is wrong (`…一起乐享冰` /
    `雪激情。`), and the line is text.  The line on the other side has
    punctuation: two unpunctuated lines are one title broken in two
    (`交口县冻绿叶药茶产业发展` / `研讨会在太原举行`), which segment judges."""
    limit = column + config.wide_unpunctuated_excess
    if left.width <= limit and right.width <= limit:
        return False  # most pairs: neither line is wide, no pattern asked
    wide = (
        (_wide_unpunctuated(left, column, config) and right.matches("punctuation", _PUNCT_RE))
        or (_wide_unpunctuated(right, column, config) and left.matches("punctuation", _PUNCT_RE))
    )
    return wide and not word_across(left.text, right.text, config)


def _cut_at_mark(piece: Piece) -> bool:
    """A short line with punctuation may be a printed line's first piece, cut
    where the font changed (`《条例》贯彻` / `党章要求，…`).  A line that closes on
    a quote or title mark with no clause in it is a title (`贵溪市发展“扶贫车间”`
    over `驻村干部袁洋说：…`): quotes are as common in titles as in text, and a
    cut at the closing mark would leave the clause mark after it to the next
    line (`的“大扫除”` / `，这是…`)."""
    if not piece.matches("punctuation", _PUNCT_RE):
        return False
    closes_on_mark = piece.text.endswith(("”", "》", "’", "」"))
    return not closes_on_mark or bool(CLAUSE_PUNCT_RE.search(piece.text))


def _runs_on(left: Piece, right: Piece, column: float, config: Config) -> bool:
    """A short line that still continues: it stops on a comma-like mark
    (`们要在全区继续创新推进道德庭建设，`), or a full column line follows it —
    a paragraph's first line short by its lost indent
    (`随着林场面积越来越大，周边农` / `民也多了条赚钱门路。不算临时用`) or the
    first piece of a printed line cut at a bracket (`《条例》贯彻` /
    `党章要求，对各级党委、机关工委、单位党`).  A headline is followed by a
    byline or by a body's indented first line, never by a full line; and a
    short line with no punctuation at all that is not short by just the
    indent (`志愿巡湖`, `穿越飞石` over an unindented caption) is left for
    segment and split to judge.
    two_line_paragraph: an indented first line followed by a line that ends
    the sentence (`“同志们，党和人民考验我们的时候` / `到了！”洛桑泽仁作战前动员。`)."""
    if left.text.startswith("——") and len(left.text) <= config.max_attribution_chars:
        return False  # `——习近平`: a dash and a name stand alone
    if right.text.startswith("——") and not left.text.endswith("——"):
        return False  # a short line over `——…` ends a title, over its subheadline
    if left.text[-1:] in MID_SENTENCE:
        return True
    if (
        "runs_into_full_line" not in config.disabled_rules
        and _fills_column(right, column, config)
        and (_cut_at_mark(left) or _indent_short(left.width, column, config))
    ):
        return True
    return (
        "two_line_paragraph" not in config.disabled_rules
        and _indent_short(left.width, column, config)
        and right.ends_sentence
        and right.width <= column + config.half_cell
    )


_PUNCT_RE = re.compile(f"[{CJK_PUNCT},.;:!?()]")


def _indent_short(width: float, column: float, config: Config) -> bool:
    """About two cells short: the first line of a paragraph whose indent was lost."""
    return abs((column - width) - config.indent_cells) <= config.indent_tolerance


def build_paragraphs(pieces: list[Piece], config: Config,
                     columns: list[float] | None = None) -> list[Piece]:
    """Printed lines joined into paragraphs (step 3).  ``columns`` are the
    pieces' :func:`local_widths`, when the caller has them."""
    if not pieces:
        return []
    if columns is None:
        columns = local_widths([piece.width for piece in pieces], config)
    patterns = Patterns.load(config)
    mark_lines(pieces, patterns)
    off = config.disabled_rules
    # The loop only decides where paragraphs end.  It collects each
    # paragraph's lines (a run) and the rule that ended it; merge_lines joins
    # each run once at the end, rather than a new piece being made for every
    # line joined.  "The paragraph so far is line k alone" is a run of one.
    runs = [[pieces[0]]]
    ended_by: list[str] = []
    measured_starts: set[int] = set()
    titles = _titles_over_indent(pieces, columns, config)
    # Two rules are asked only where they can apply, known before the loop
    # rather than tested in a call at every line: title_under_kicker within
    # two lines under a line ending on `——`, bracketed_note in a paragraph
    # whose first line opens with a bracket (settled when it starts).
    near_kicker = {i + k for i, piece in enumerate(pieces) if piece.dash_end for k in range(3)}
    in_brackets = _opens_bracket(pieces[0])
    for i, (left, right, after) in enumerate(zip(pieces, pieces[1:], [*pieces[2:], None]), 1):
        run = runs[-1]
        rule = paragraph_break(left, right, columns[i - 1], config, after)
        if not rule and left.ends_sentence and "caption_lead" not in off and _caption_lead(
            right, patterns
        ):
            rule = "caption_lead"
        if not rule and in_brackets and "bracketed_note" not in off and _bracketed_note(
            run, config
        ):
            rule = "bracketed_note"
        if not rule and left.ends_sentence:
            rule = _title_over_story_start(pieces, i, config)
        if rule == "column_tag" and _tag_in_text(run, left, right):
            rule = ""
        if (
            not rule
            and i in near_kicker
            and "title_under_kicker" not in off
            and _title_under_kicker(runs, pieces, i, columns[i], config)
        ):
            rule = "title_under_kicker"
        if (
            not rule
            and "lead_after_title" not in off
            and len(run) == 1  # the line above stands alone so far
            and _lead_after_title(left, right, patterns)
        ):
            rule = "lead_after_title"
        if not rule and (i in titles or i - 1 in titles):
            rule = "title_over_indent"
        if (
            not rule
            and len(run) == 1
            and "bullet_title" not in off
            and _bullet_title(left, right, columns[i], config)
        ):
            rule = "bullet_title"
        if rule:
            ended_by.append(rule)
            runs.append([right])
            in_brackets = _opens_bracket(right)
            if right.letter_spaced and _narrower_than_justified(left, right, config):
                measured_starts.add(right.first)
        else:
            run.append(right)
    ended_by.append("")  # the last paragraph ends with the page
    paragraphs = []
    for run, rule in zip(runs, ended_by):
        paragraph = merge_lines(run, config)
        paragraph.rule = paragraph.rule or rule
        paragraphs.append(paragraph)
    return _join_open_paragraphs(paragraphs, config, measured_starts)


def _bullet_title(line: Piece, below: Piece, column: float, config: Config) -> bool:
    """bullet_title: a line standing alone so far that opens with a bullet and
    ends no sentence (`●确保养老服务既放得开、又管得住`, corpus d018) is a
    story's subhead when a full line, or one short by the indent, follows
    that no word runs into: the text under it (`国家市场监督管理总局副局长、`,
    a paragraph's first line that lost its indent).  A subhead wrapping onto a
    short line (`■入脑入心、立根铸魂，补足精神` / `之钙`) goes on, and so does
    a list item whose words run on into the line below."""
    return (
        line.text.startswith(SUBHEAD_BULLETS)
        and not line.ends_sentence
        and (_fills_column(below, column, config) or _indent_short(below.width, column, config))
        and not word_across(line.text, below.text, config)
    )


def _titles_over_indent(pieces: list[Piece], columns: list[float], config: Config) -> set[int]:
    """title_over_indent: a line as wide as its column with no punctuation at
    all, over a line about the indent narrower than the full line after it,
    is a title over a paragraph's indented first line (`宁安市扶贫车间见行见效`
    / `扶贫车间与乡村旅游相互促进，` / `贫困户人均收入明显提高。特色种植`, 11, 14 and
    16 cells).  Were it a body line, the line under it would go on after a
    line that ends no sentence: full, or the paragraph's last line, ending a
    sentence; not an indented first line.  The line above it ends a sentence
    or has no clause of its own (a kicker, a credit): text does not run into
    a title.  Indexes of such titles."""
    if not config.rule_enabled("title_over_indent"):
        return set()
    # The first test of _title_over_indent, made for every line at once: it
    # turns nearly every line away, and a call a line cost more than the rest.
    # The lines that pass it are listed first, and only those few looked at
    # one by one (_titles_over_indent 0.73 -> 0.54 M instructions).
    indent, tolerance = config.indent_cells, config.indent_tolerance
    candidates = [i for i, first, after in zip(range(1, len(pieces)), pieces[2:], pieces[3:])
                  if abs((after.width - first.width) - indent) <= tolerance]
    return {
        i for i in candidates
        if _title_over_indent(pieces[i - 1], pieces[i], pieces[i + 1], pieces[i + 2],
                               columns[i], columns[i + 2], config)
    }


def _title_over_indent(before: Piece, title: Piece, first: Piece, after: Piece, column: float,
                       after_column: float, config: Config) -> bool:
    return (  # the width tests first: they turn most lines away without a pattern
        _indent_short(first.width, after.width, config)
        and _fills_column(title, column, config)
        and _fills_column(after, after_column, config)
        and not first.ends_sentence
        and not title.matches("punctuation", _PUNCT_RE)
        and not _justified(title, config)
        and (before.ends_sentence or not before.matches("clause", CLAUSE_PUNCT_RE))
    )


def _narrower_than_justified(left: Piece, right: Piece, config: Config) -> bool:
    """justified_line: a line narrower than the justified line after it is
    short for sure, the column estimate aside: a stretched line holds no more
    than a full one (`林红枣入选山西 20个功能产品品牌`, 15 cells, then
    `深 入 推 进 …` of 16).  Its paragraph ended there, whatever its last mark."""
    return _justified(right, config) and left.width < right.width


def _title_under_kicker(runs: list[list[Piece]], pieces: list[Piece], i: int, column: float,
                        config: Config) -> bool:
    """title_under_kicker: a line standing alone that ends on `——` is a kicker
    (`年底前分步取消技能人员水平评价类职业资格——`); the unpunctuated line under
    it is its title (`推行社会化职业技能等级认定`), on a line of its own, never
    the first line of the text after it.  In a sentence (`…一号工程——` /
    `鄂北水资源配置工程…`) the dash line runs on from the text above.  A short
    line ending on `——` after a sentence end (`黑龙江省宁安市——`) stands alone:
    a paragraph never ends on a dash."""
    kicker = pieces[i]
    if not (kicker.dash_end or pieces[i - 1].dash_end or (i >= 2 and pieces[i - 2].dash_end)):
        return False  # no `——` line this near: most lines
    if (
        kicker.dash_end
        and pieces[i - 1].ends_sentence
        and is_short(kicker.width, column, config)
    ):
        return True
    if _under_kicker(pieces, i) and _alone(runs[-1], pieces[i - 1]):
        return True  # between the kicker and its title
    return _under_kicker(pieces, i - 1) and len(runs) >= 2 and _alone(runs[-2], pieces[i - 2])


def _alone(run: list[Piece], line: Piece) -> bool:
    """The paragraph ``run`` is ``line`` alone."""
    return len(run) == 1 and run[0] is line


def _under_kicker(pieces: list[Piece], k: int) -> bool:
    """Line ``k`` is a kicker's title: the line above ends on `——`, and it
    has no clause and no sentence end."""
    return (
        k >= 1
        and pieces[k - 1].dash_end
        and not pieces[k].matches("clause", CLAUSE_PUNCT_RE)
        and not pieces[k].ends_sentence
    )


def _caption_lead(line: Piece, patterns: Patterns) -> bool:
    """caption_lead: a line opening a caption's sentence (`图为1月7日，志愿者…`,
    ``dictionaries/caption_leads.txt``) after a line that ends a sentence
    opens a block, however full that line: in the corpus gold, every one of
    the 14 raw lines opening with `图为` after a sentence end opens a block
    (corpus d030: `…开展日常巡查。` / `图为1月7日，…`).  Asked only of the pairs
    no other rule broke, after a sentence end: matching every line cost
    0.5 M instructions on the sample page."""
    return line.matches("caption_lead", patterns.caption_leads)


def _lead_after_title(title: Piece, line: Piece, patterns: Patterns) -> bool:
    """lead_after_title: a line opening the way text opens (`1月9日，学生们…`,
    ``dictionaries/text_leads.txt``) under a line that stands alone with no
    clause in it (`“核心价值观百场讲坛”工作座谈会举行`) starts a new block: the
    line above is a title, however wide.  (That ``title`` stands alone so far
    is the caller's to check.)  A byline is no title: the text after its
    bracket is the lead's start (`本报讯 （记者 刘浩娜）1月` / `12日，在山东省…`,
    corpus d030), and the lead runs on from it."""
    return (
        line.matches("lead", patterns.text_leads)
        and not title.byline
        and not title.matches("clause", CLAUSE_PUNCT_RE)
        and not title.ends_sentence
    )


def _join_open_paragraphs(pieces: list[Piece], config: Config,
                          measured_starts: Collection[int] = ()) -> list[Piece]:
    """open_paragraph: a paragraph of several lines that stops without a
    sentence end was cut by a misjudged line width (`…为许多缺资金的贫困群众和
    从事农产品收购加工的` / `企业纾难解困，…`): the paragraph after it goes on.
    Not when that paragraph starts on a line in ``measured_starts``: a break
    measured against a justified line was no misjudged width."""
    if "open_paragraph" in config.disabled_rules:
        return pieces
    out: list[Piece] = []
    for piece in pieces:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.count > config.open_paragraph_lines
            and not previous.ends_sentence
            and previous.text[-1:] not in CLOSERS
            and piece.count > 1
            and not piece.hard_break_before
            and piece.first not in measured_starts
        ):
            out[-1] = merge(previous, piece, config)
        else:
            out.append(piece)
    return out


def _title_over_story_start(pieces: list[Piece], i: int, config: Config) -> str:
    """title_over_byline / title_over_subheadline: a line with no clause
    punctuation right after a sentence end and right over a byline or a `——`
    subheadline is a story's title even when it fills the column
    (`全国人大将开通网上信访平台` / `本报北京1月2日电 （记者彭`;
    `为实现新时代党的历史使命不懈奋斗` / `——“不忘初心、牢记使命”主题教育工作综述`).
    Quotes are no clause: `榆林市修复“生态补水工程”` over `新华社北京1月19日电…`
    is a title too.  The rule that applies, or ''."""
    if not (
        i + 1 < len(pieces)
        and pieces[i - 1].ends_sentence
        and not pieces[i].matches("clause", CLAUSE_PUNCT_RE)
        and not _justified(pieces[i], config)
    ):
        return ""
    below = pieces[i + 1]
    if "title_over_byline" not in config.disabled_rules and below.byline:
        return "title_over_byline"
    if "title_over_subheadline" not in config.disabled_rules and below.text.startswith("——"):
        return "title_over_subheadline"
    return ""


def _bracketed_note(run: list[Piece], config: Config) -> bool:
    """bracketed_note: a whole bracketed line or two closes a story
    (`（作者为本报浙江分社记者）`, `（本报记者谷业凯、余建斌、…、赵永新）`,
    `（据新华社电）`); the line after it starts something new.  ``run`` is
    the paragraph so far: it opens as its first line does, so most are
    settled without joining their lines."""
    if not _opens_bracket(run[0]):
        return False
    text = merge_lines(run, config).text
    return (
        text.endswith(("）", ")"))
        and len(text) <= config.max_bracketed_note_chars
        and text.count("（") + text.count("(") == text.count("）") + text.count(")")
    )


def _opens_bracket(piece: Piece) -> bool:
    return piece.text.startswith(("（", "("))


def to_block(piece: Piece, config: Config) -> Block:
    """A paragraph when it ends a sentence or is too long for a title; else
    UNKNOWN, for segment to judge (a two-line headline is short and unpunctuated)."""
    is_text = piece.ends_sentence or len(piece.text) > config.max_headline_chars
    kind = Kind.PARAGRAPH if is_text else Kind.UNKNOWN
    evidence = (f"rejoin:{piece.rule}",) if piece.rule else ()
    return Block(kind, piece.text, (piece.first, piece.last), evidence)


def already_rejoined(pieces: list[Piece], config: Config) -> bool:
    """prejoined_input: one paragraph a line (newsclean's own text output, a
    cleaned archive): lines far longer than any column.  Each line is then a
    block as it stands, so cleaning twice changes nothing."""
    widths = sorted(piece.width for piece in pieces)
    return bool(widths) and "prejoined_input" not in config.disabled_rules and (
        widths[len(widths) // 2] > config.prejoined_median_cells
    )


def rejoin_lines(
    lines: tuple[Line, ...], config: Config
) -> tuple[tuple[Block, ...], list[Dropped]]:
    pieces = raw_pieces(lines, config)
    if not already_rejoined(pieces, config):
        pieces = glue_punctuation(pieces, config)
        columns = local_widths([piece.width for piece in pieces], config)
        glued = glue_fragments(pieces, config, columns)
        if len(glued) != len(pieces):
            # Fragments were glued: the widths changed.  Most pages (the seed
            # among them) have none, and the estimate is then made once.
            columns = local_widths([piece.width for piece in glued], config)
        pieces = build_paragraphs(glued, config, columns)
    hyphens = [Dropped("-", "line-end hyphen", (n, n)) for p in pieces for n in p.hyphens]
    return tuple(to_block(piece, config) for piece in pieces), hyphens


def run(page: Page, config: Config) -> Page:
    if page.blocks is not None:
        return page  # already rejoined (or built by an earlier stage): nothing to do
    blocks, hyphens = rejoin_lines(page.lines, config)
    return replace(page, blocks=blocks, dropped=page.dropped + tuple(hyphens))
