"""normalize: tidy the characters of each line without moving any text.

Extraction leaves odd spaces: no-break and ideographic spaces, tabs, and the
spaces that justified typesetting puts between Chinese characters
(``贫 攻 坚 与 乡 村``, ``9 月 26 日 ，首 届``).  These carry no meaning in
Chinese, while a space between two Latin words or a number and a Latin word
does (``COVID 19``, ``iPhone 12 Pro``), so only the former go.

Line numbers are untouched: every line keeps its place in the source.
What the spaces showed is kept, though: a line with a space between every two
characters was stretched to its column's width (``Line.letter_spaced``), which
rejoin needs once the spaces are gone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import islice, repeat

from ..config import Config
from ..model import Line, Page
from ..text.cjk import CJK, CJK_PUNCT

#: Rule names this stage answers to in ``Config.disabled_rules``.
RULES = ("unify_spaces", "remove_justification_spaces", "letter_spacing")

_ODD_SPACE_RE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
#: Either of the two above: one search settles the lines that hold neither.
_ODD_OR_ZERO_RE = re.compile(r"[\t\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]")
# A run of spaces with a Chinese character or mark on at least one side, and on
# the other side anything but a Latin letter pair (those keep their space).
_TIGHT = f"[{CJK}]"
_LOOSE = r"[0-9A-Za-z.,;:!?%()\[\]'\"+\-]"
# An ASCII mark keeps no typesetting space before it after Chinese text or a
# number: `2015年以来 ,全市` -> `2015年以来,全市` (after Chinese text the first
# alternative already says so, the third adds the number).
# Each alternative opens with the space itself, the character before it checked
# behind (`(?<=X) +` written ` (?<=X ) *`): the engine then skips to the next
# space instead of trying the character class at every position of the line.
# A run of spaces goes or stays whole (only its first space has a character
# other than a space behind it), so one pass does what a pass for the marks
# followed by one for the rest did.
_JUSTIFICATION_RE = re.compile(
    f" (?<={_TIGHT} ) *(?={_TIGHT}|{_LOOSE})| (?<={_LOOSE} ) *(?={_TIGHT})"
    r"| (?<=[0-9] ) *(?=[,.;:!?%])"
)


def unify_spaces(text: str) -> str:
    """Tabs, NBSP, ideographic and other odd spaces become one plain space;
    zero-width characters, which only break matching, go.  Most lines with
    a space hold plain spaces only: one search finds that, where two
    substitutions would each scan the line."""
    if not _ODD_OR_ZERO_RE.search(text):
        return text
    return _ZERO_WIDTH_RE.sub("", _ODD_SPACE_RE.sub(" ", text))


def remove_justification_spaces(text: str) -> str:
    """Delete spaces that touch Chinese text on one side and are not between
    two Latin words or numbers: `贫 攻 坚` -> `贫攻坚`, `全市 13 个` -> `全市13个`,
    while `COVID 19` and `iPhone 12 Pro` keep theirs."""
    return _JUSTIFICATION_RE.sub("", text)


# Characters that a justified line need not space apart: a mark carries its
# own blank (`9 月 26 日 ，首 届`), a number or Latin word is one unit (`37.2`).
_MARKS = f"{CJK_PUNCT}" + r"!-/:-@\[-`{-~"
_WORD_CHAR = "[0-9A-Za-z]"
#: A character that is neither a space nor a mark, with the spaces between it
#: and the next such character (none across a mark).
_UNIT = f"[^ {_MARKS}]"
_PAIR_RE = re.compile(f"{_UNIT}(?=( *){_UNIT})")
#: Two letters or digits of one number or Latin word: no gap between them.
_WORD_PAIR_RE = re.compile(f"{_WORD_CHAR}(?=( *){_WORD_CHAR})")
#: A gap with no space in it: two units side by side, not both of one number
#: or Latin word.
_UNSPACED_GAP_RE = re.compile(f"(?!{_WORD_CHAR}{_WORD_CHAR}){_UNIT}{_UNIT}")
#: The first unit of a gap: a pair of :data:`_PAIR_RE` that is not one of
#: :data:`_WORD_PAIR_RE`.
_GAP_RE = re.compile(f"(?!{_WORD_CHAR} *{_WORD_CHAR}){_UNIT}(?= *{_UNIT})")


def spaced_gaps(text: str) -> tuple[int, int]:
    """(gaps, spaced): how many neighbouring pairs of units (Han characters,
    numbers, Latin words) the line has, and how many a space separates.

    Counted by two scans of the line rather than a Python loop over its
    characters, which cost as much as the rest of normalize."""
    pairs = _PAIR_RE.findall(text)  # the spaces within each pair
    words = _WORD_PAIR_RE.findall(text)
    gaps = len(pairs) - len(words)
    return gaps, gaps - (pairs.count("") - words.count(""))


def is_letter_spaced(text: str, config: Config) -> bool:
    """letter_spacing: a space between every two units of the line, over at
    least ``min_letter_spaced_gaps`` gaps (`深 入 推 进 电 子 商 务 与 扶 贫 攻 坚 深 度 融`,
    `9 月 26 日 ，首 届 山 西（吕`), not a word space in a title (`夜未央 灯如昼`)
    or a spaced name (`徐 昱`).  Call it on text whose odd spaces are unified.
    A gap with no space settles it at once: most lines have one early on,
    and need not be counted.  Without one every gap is spaced, so only
    whether there are enough is left: the gaps are counted up to that."""
    text = text.strip()
    if _UNSPACED_GAP_RE.search(text):
        return False  # spaced < gaps
    needed = config.min_letter_spaced_gaps
    return needed <= 0 or next(islice(_GAP_RE.finditer(text), needed - 1, None), None) is not None


_NEEDS_WORK_RE = re.compile(r"[\s\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]")


def normalize_line(text: str, config: Config) -> str:
    if not _NEEDS_WORK_RE.search(text):
        return text  # most raw lines hold no space at all: nothing to do
    return _tidy(text, unify_spaces(text), config).strip()


def _tidy(text: str, unified: str, config: Config) -> str:
    """:func:`normalize_line` of a line that holds a space, but for the final
    strip, given the line with its spaces unified (which the letter-spacing
    test needs too, so it is made once)."""
    off = config.disabled_rules  # each rule tested as Config.rule_enabled does, without a call
    if "unify_spaces" not in off:
        text = unified
    if "remove_justification_spaces" not in off:
        text = remove_justification_spaces(text)
    return text


def normalize(line: Line, config: Config) -> Line:
    """The line tidied; ``letter_spaced`` once true stays true, so that
    normalizing a normalized page changes nothing."""
    raw = line.text
    if not _NEEDS_WORK_RE.search(raw):
        return line  # no space of any kind: nothing to tidy, nothing to learn
    unified = unify_spaces(raw)
    return _with_text(line, _tidy(raw, unified, config).strip(), unified, config)


def _with_text(line: Line, text: str, unified: str, config: Config) -> Line:
    """``line`` with its tidied ``text``, letter-spaced when its ``unified``
    form shows it and the spaces went; the same line when nothing changed."""
    off = config.disabled_rules
    letter_spaced = line.letter_spaced or (
        text != line.text
        and "letter_spacing" not in off
        and "remove_justification_spaces" not in off
        and is_letter_spaced(unified, config)
    )
    if text == line.text and letter_spaced == line.letter_spaced:
        return line
    return Line(line.number, text, letter_spaced)


def _normalize_together(lines: list[Line], config: Config) -> list[Line]:
    """:func:`normalize` of each line, each substitution made once over the
    lines joined by newlines rather than once a line.  Sound because no
    pattern removes a newline or takes one for a character it looks for
    beside a space (none of their classes holds it), so a newline acts as
    the ends of the lines it joins did; a line that holds one itself would
    shift the lines after it, so such lines go one by one."""
    raws = [line.text for line in lines]
    joined = "\n".join(raws)
    if joined.count("\n") != len(lines) - 1:  # a line that holds a newline itself
        return [normalize(line, config) for line in lines]
    unified = unify_spaces(joined)
    tidied = _tidy(joined, unified, config).split("\n")
    return list(map(_with_text, lines, map(str.strip, tidied), unified.split("\n"),
                    repeat(config)))


def run(page: Page, config: Config) -> Page:
    """Every line normalized.  Only the lines that may hold a space (one in
    ten on the seed) are looked at: every space and zero-width character but
    the plain space is unprintable, so a line with no plain space that
    ``str.isprintable`` passes has nothing to tidy (two string tests, cheaper
    than a regex search).  Those lines are tidied together."""
    lines = list(page.lines)
    spaced = [i for i, line in enumerate(lines) if " " in line.text or not line.text.isprintable()]
    for i, line in zip(spaced, _normalize_together([lines[i] for i in spaced], config)):
        lines[i] = line
    return replace(page, lines=tuple(lines))
