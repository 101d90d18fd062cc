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
   line where the font changes for a bracket).
3. ``paragraph_end`` — between printed lines, a paragraph ends where a line
   ends a sentence and is clearly short of the local column width, or where
   the next line is short by the lost two-character indent.  A short line with
   no sentence end (a headline, credit, subhead) is never glued to a paragraph.

   Other line-break rules: ``indent_start`` (a full line ending a sentence,
   then one short by the indent), ``runs_into_full_line`` and
   ``two_line_paragraph`` (a short first line goes on), ``wider_than_column``
   and ``title_after_sentence`` (titles set across columns), ``byline_start``,
   ``column_tag``, ``credit_line`` and ``bracketed_note`` (lines that stand
   alone), ``bracket_tail`` (`见闻）` closes the title above), and
   ``open_paragraph`` (a long paragraph that stops mid-sentence goes on).
4. ``hyphenation`` joins a Latin word broken over a line (the hyphen is
   reported in ``dropped``); ``prejoined_input`` leaves text that is already
   one paragraph a line as it is, so cleaning twice changes nothing.

Column widths differ on one page, so the width is estimated from neighbours
(``local_widths``: the most common width nearby).  Every block keeps the span
of raw lines it came from and names the rule that ended it in ``evidence``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ..config import Config
from ..dictionaries import load_regex
from ..model import Block, Dropped, Kind, Line, Page
from ..text.cjk import (
    CJK_PUNCT,
    CLOSERS,
    ENDS_WITH_TAG_RE,
    MID_SENTENCE,
    NO_LINE_START,
    OPENERS,
    cells,
    ends_sentence,
)

RULES = (
    "blank_line_style", "kinsoku", "open_bracket", "fragment_fill", "paragraph_end",
    "indent_start", "runs_into_full_line", "two_line_paragraph", "wider_than_column",
    "byline_start", "column_tag", "credit_line", "hyphenation", "prejoined_input",
    "title_after_sentence", "bracketed_note", "bracket_tail", "open_paragraph",
    "running_head_line", "title_over_byline", "title_over_subheadline",
)

_LATIN_END_RE = re.compile(r"[A-Za-z]$")
_HYPHENATED_RE = re.compile(r"[A-Za-z]-$")
_LATIN_OR_DIGIT_START_RE = re.compile(r"^[A-Za-z0-9]")
_DIGIT_END_RE = re.compile(r"[0-9]$")
_LATIN_START_RE = re.compile(r"^[A-Za-z]")


@dataclass
class Piece:
    """A printed line (or a growing paragraph) with its raw line span."""

    text: str
    first: int
    last: int
    hard_break_before: bool = False
    rule: str = ""
    #: Source lines whose line-end hyphen was removed when joining.
    hyphens: tuple[int, ...] = ()
    #: Width in cells; measured once, then added up as pieces merge.
    width: float = -1.0
    #: Raw lines merged into this piece (blank lines not counted).
    count: int = 1

    def __post_init__(self) -> None:
        if self.width < 0:
            self.width = cells(self.text)
        self._facts: dict[str, bool] = {}

    @property
    def ends_sentence(self) -> bool:
        if "ends_sentence" not in self._facts:
            self._facts["ends_sentence"] = ends_sentence(self.text)
        return self._facts["ends_sentence"]

    def matches(self, name: str, pattern: re.Pattern[str]) -> bool:
        """``pattern.search(text)``, remembered: the rules ask each line often."""
        if name not in self._facts:
            self._facts[name] = bool(pattern.search(self.text))
        return self._facts[name]


@dataclass(frozen=True)
class Patterns:
    """Dictionary patterns that mark a line as its own block."""

    bylines: re.Pattern[str]
    credits: re.Pattern[str]

    @classmethod
    def load(cls, config: Config) -> Patterns:
        return cls(
            load_regex("bylines", config.user_dictionaries),
            load_regex("credits", config.user_dictionaries),
        )


# --- step 1: blank lines ----------------------------------------------------


def blank_lines_are_style(lines: tuple[Line, ...], config: Config) -> bool:
    """True when most non-blank lines are followed by a blank line: the
    extractor double-spaced every line (the seed), so blanks mean nothing."""
    return _blanks_are_style([line.is_blank for line in lines], config)


def _blanks_are_style(texts: list[bool], config: Config) -> bool:
    """:func:`blank_lines_are_style` from each line's is_blank."""
    if not config.rule_enabled("blank_line_style"):
        return False
    nonblank = [i for i, blank in enumerate(texts) if not blank]
    if len(nonblank) < 2:
        return False
    followed = sum(1 for i in nonblank if i + 1 < len(texts) and texts[i + 1])
    return followed / len(nonblank) >= config.blank_line_style_share


def raw_pieces(lines: tuple[Line, ...], config: Config) -> list[Piece]:
    """Non-blank lines as pieces; a blank line is a hard break unless it is style."""
    blanks = [line.is_blank for line in lines]
    ignore_blanks = _blanks_are_style(blanks, config)
    pieces: list[Piece] = []
    pending_break = False
    for line, blank in zip(lines, blanks):
        if blank:
            pending_break = not ignore_blanks
            continue
        pieces.append(Piece(line.text, line.number, line.number, pending_break))
        pending_break = False
    return pieces


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
    if config.rule_enabled("hyphenation") and _HYPHENATED_RE.search(end) and _LATIN_START_RE.match(
        right
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
    if len(text) < len(left.text) + len(right.text):
        hyphens += (left.last,)  # the hyphen went: report it, lose nothing silently
    width = left.width + right.width - (0.5 if hyphens != left.hyphens + right.hyphens else 0.0)
    return Piece(text, left.first, right.last, left.hard_break_before, rule or left.rule,
                 hyphens, width, left.count + right.count)


def starts_with_no_line_start(text: str) -> bool:
    """Kinsoku: `）`, `，这是`, `”` never begin a printed line."""
    return text[:1] in NO_LINE_START


def ends_with_opener(text: str) -> bool:
    return text[-1:] in OPENERS


def glue_punctuation(pieces: list[Piece], config: Config) -> list[Piece]:
    """Apply the kinsoku and open-bracket rules."""
    out: list[Piece] = []
    for piece in pieces:
        if out and _continues_by_punctuation(out[-1], piece, config):
            out[-1] = merge(out[-1], piece, config)
        else:
            out.append(piece)
    return out


def _continues_by_punctuation(previous: Piece, piece: Piece, config: Config) -> bool:
    if config.rule_enabled("kinsoku") and starts_with_no_line_start(piece.text):
        return True
    if config.rule_enabled("open_bracket") and ends_with_opener(previous.text):
        return True
    return config.rule_enabled("bracket_tail") and _closes_open_bracket(previous, piece, config)


def _closes_open_bracket(previous: Piece, piece: Piece, config: Config) -> bool:
    """bracket_tail: `幸福路把幸福串成串（新春走基层·脱贫攻坚一线` / `见闻）`: a
    short piece that closes the bracket the line above left open ends that
    line, not the paragraph below."""
    text = piece.text
    if "）" not in text and ")" not in text:
        return False  # most lines close no bracket: the rest need not be looked at
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
    near: Counter[int] = Counter(rounded[: window + 1])
    lines_at = near.get  # looked up once: the scan below asks it for every width of every line
    result = []
    for i in range(len(widths)):
        leaving = rounded[i - window - 1] if i > window else None
        entering = rounded[i + window] if i + window < len(rounded) and i > 0 else None
        if result and leaving == entering:
            result.append(result[-1])  # the window holds the same widths as before
            continue
        if leaving is not None:
            near[leaving] -= 1
            if not near[leaving]:
                del near[leaving]
        if entering is not None:
            near[entering] += 1
        best, best_score = 0, -1
        for w, n in near.items():
            score = n + lines_at(w - 1, 0)
            if score > best_score or (score == best_score and w > best):
                best, best_score = w, score
        result.append(float(best))
    return result


def is_short(width: float, column: float, config: Config) -> bool:
    return width < column - config.short_line_slack


def glue_fragments(pieces: list[Piece], config: Config) -> list[Piece]:
    """fragment_fill: short pieces that together fill the column are one
    printed line that the extractor cut where the font changed
    (`《条例》以习近平` after `…最新制度成果。`).  Only pieces that continue a
    paragraph qualify, and never a byline or a credit, so that a short
    headline is not glued to the line after it."""
    if not config.rule_enabled("fragment_fill") or len(pieces) < 3:
        return pieces
    columns = local_widths([piece.width for piece in pieces], config)
    byline_re = load_regex("bylines", config.user_dictionaries)
    out: list[Piece] = [pieces[0]]
    for i in range(1, len(pieces)):
        piece, column = pieces[i], columns[i]
        current = out[-1]
        if (
            not piece.hard_break_before
            and len(out) >= 2
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
    """A credit (`王正摄（影像中国）`) or a tagged headline
    (`送爱进山区（影像中国）`) is never a fragment of a longer line."""
    credits = load_regex("credits", config.user_dictionaries)
    return piece.matches("credit", credits) or _tagged(piece)


def _is_open_fragment(current: Piece, before: Piece, column: float, config: Config) -> bool:
    """A short piece that does not end a sentence, after a printed line that
    runs on (full width, no sentence end) or that ends a paragraph."""
    if not is_short(current.width, column, config) or current.ends_sentence:
        return False
    if current.text.startswith("——") or before.text.startswith("——"):
        return False
    return not is_short(before.width, column, config) or before.ends_sentence


def _fills_with(current: Piece, piece: Piece, before: Piece, column: float,
                config: Config) -> bool:
    """current + piece make a printed line: the column width, or the width
    less the lost indent when current opens a paragraph.  Full-width marks
    are set narrower than a cell, so the sum may run over by a little."""
    width = current.width + piece.width
    target = column - config.indent_cells if before.ends_sentence else column
    return target - config.fragment_underrun <= width <= target + config.fragment_overrun


# --- step 3: paragraphs -----------------------------------------------------


def paragraph_break(left: Piece, right: Piece, column: float, config: Config,
                    patterns: Patterns) -> str:
    """The rule that ends a paragraph between two printed lines, or ''."""
    if right.hard_break_before:
        return "blank_line"
    if config.rule_enabled("wider_than_column") and (
        _wider(left, column, config) or _wider(right, column, config)
    ):
        return "wider_than_column"
    if config.rule_enabled("byline_start") and (
        right.matches("byline", patterns.bylines)
        or _standalone_byline(left, column, config, patterns)
    ):
        return "byline_start"
    if config.rule_enabled("running_head_line") and (
        _is_running_head(left) or _is_running_head(right)
    ):
        return "running_head_line"  # `人民日报 2020年1月14日星期二 第2版` over a title
    if config.rule_enabled("column_tag") and (_tagged(left) or _tagged(right)):
        return "column_tag"
    if config.rule_enabled("credit_line") and (
        left.matches("credit", patterns.credits) or right.matches("credit", patterns.credits)
    ):
        return "credit_line"
    if not is_short(left.width, column, config):
        if not left.ends_sentence:
            return ""
        if config.rule_enabled("indent_start") and _indent_short(right.width, column, config):
            return "indent_start"
        if config.rule_enabled("title_after_sentence") and _title_like(right, column, config):
            return "title_after_sentence"
        return ""
    if not config.rule_enabled("paragraph_end"):
        return ""
    if left.ends_sentence:
        return "paragraph_end"
    if _runs_on(left, right, column, config):
        return ""
    return "short_line"




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
    """A line ending on a column tag is a headline, never part of a paragraph."""
    return piece.matches("tag", ENDS_WITH_TAG_RE) and not ends_sentence(piece.text[:-1])


def _standalone_byline(piece: Piece, column: float, config: Config, patterns: Patterns) -> bool:
    """`□ 本报记者 郑红萍` on its own line: a byline shorter than a paragraph's
    first line never runs into the text after it.  (`本报讯 （记者 马` broken
    mid-bracket is rejoined by segment's broken_byline rule.)"""
    return piece.matches("byline", patterns.bylines) and piece.width < (
        column - config.indent_cells - config.short_line_slack
    )


def _fills_column(piece: Piece, column: float, config: Config) -> bool:
    """A full line of this column: neither clearly short nor set across columns."""
    return not is_short(piece.width, column, config) and not _wider(piece, column, config)


def _title_like(piece: Piece, column: float, config: Config) -> bool:
    """title_after_sentence: after a sentence end, a line wider than the
    column with no punctuation at all is a title set in larger type
    (`交口县冻绿叶药茶产业发展` over 10-character columns), not the next
    line of the paragraph."""
    return piece.width > column + config.half_cell and not piece.matches("punctuation", _PUNCT_RE)


def _wider(piece: Piece, column: float, config: Config) -> bool:
    """Wider than the column: a headline or running head set across several
    columns (`——论学习贯彻习近平总书记在主题教育总结大会上重要讲话` over
    16-character columns) is never part of a column's paragraph."""
    return piece.width > column + config.wide_line_excess


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
    if left.text[-1:] in MID_SENTENCE:
        return True
    if (
        config.rule_enabled("runs_into_full_line")
        and _fills_column(right, column, config)
        and (left.matches("punctuation", _PUNCT_RE) or _indent_short(left.width, column, config))
    ):
        return True
    return (
        config.rule_enabled("two_line_paragraph")
        and _indent_short(left.width, column, config)
        and right.ends_sentence
        and right.width <= column + config.half_cell
    )


VARIANT = "B"
_PUNCT_RE = re.compile(f"[{CJK_PUNCT},.;:!?()]")


def _indent_short(width: float, column: float, config: Config) -> bool:
    """About two cells short: the first line of a paragraph whose indent was lost."""
    return abs((column - width) - config.indent_cells) <= config.indent_tolerance


def build_paragraphs(pieces: list[Piece], config: Config) -> list[Piece]:
    if not pieces:
        return []
    columns = local_widths([piece.width for piece in pieces], config)
    patterns = Patterns.load(config)
    out = [pieces[0]]
    for i in range(1, len(pieces)):
        rule = paragraph_break(pieces[i - 1], pieces[i], columns[i - 1], config, patterns)
        if not rule and config.rule_enabled("bracketed_note") and _bracketed_note(out[-1], config):
            rule = "bracketed_note"
        if not rule:
            rule = _title_over_story_start(pieces, i, config, patterns)
        if rule:
            out[-1].rule = out[-1].rule or rule
            out.append(pieces[i])
        else:
            out[-1] = merge(out[-1], pieces[i], config)
    return _join_open_paragraphs(out, config)


def _join_open_paragraphs(pieces: list[Piece], config: Config) -> list[Piece]:
    """open_paragraph: a paragraph of several lines that stops without a
    sentence end was cut by a misjudged line width (`…为许多缺资金的贫困群众和
    从事农产品收购加工的` / `企业纾难解困，…`): the paragraph after it goes on."""
    if not config.rule_enabled("open_paragraph"):
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
        ):
            out[-1] = merge(previous, piece, config)
        else:
            out.append(piece)
    return out


def _title_over_story_start(pieces: list[Piece], i: int, config: Config,
                            patterns: Patterns) -> str:
    """title_over_byline / title_over_subheadline: an unpunctuated line right
    after a sentence end and right over a byline or a `——` subheadline is a
    story's title even when it fills the column (`全国人大将开通网上信访平台` /
    `本报北京1月2日电 （记者彭`; `为实现新时代党的历史使命不懈奋斗` /
    `——“不忘初心、牢记使命”主题教育工作综述`).  The rule that applies, or ''."""
    if not (
        i + 1 < len(pieces)
        and pieces[i - 1].ends_sentence
        and not pieces[i].matches("punctuation", _PUNCT_RE)
    ):
        return ""
    below = pieces[i + 1]
    if config.rule_enabled("title_over_byline") and below.matches("byline", patterns.bylines):
        return "title_over_byline"
    if config.rule_enabled("title_over_subheadline") and below.text.startswith("——"):
        return "title_over_subheadline"
    return ""


def _bracketed_note(piece: Piece, config: Config) -> bool:
    """bracketed_note: a whole bracketed line or two closes a story
    (`（作者为本报浙江分社记者）`, `（本报记者谷业凯、余建斌、…、赵永新）`,
    `（据新华社电）`); the line after it starts something new."""
    text = piece.text
    return (
        text.startswith(("（", "("))
        and text.endswith(("）", ")"))
        and len(text) <= config.max_bracketed_note_chars
        and text.count("（") + text.count("(") == text.count("）") + text.count(")")
    )


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
    return bool(widths) and config.rule_enabled("prejoined_input") and (
        widths[len(widths) // 2] > config.prejoined_median_cells
    )


def rejoin_lines(
    lines: tuple[Line, ...], config: Config
) -> tuple[tuple[Block, ...], list[Dropped]]:
    pieces = raw_pieces(lines, config)
    if not already_rejoined(pieces, config):
        pieces = glue_punctuation(pieces, config)
        pieces = glue_fragments(pieces, config)
        pieces = build_paragraphs(pieces, config)
    hyphens = [Dropped("-", "line-end hyphen", (n, n)) for p in pieces for n in p.hyphens]
    return tuple(to_block(piece, config) for piece in pieces), hyphens


def run(page: Page, config: Config) -> Page:
    if page.blocks is not None:
        return page  # already rejoined (or built by an earlier stage): nothing to do
    blocks, hyphens = rejoin_lines(page.lines, config)
    return replace(page, blocks=blocks, dropped=page.dropped + tuple(hyphens))
