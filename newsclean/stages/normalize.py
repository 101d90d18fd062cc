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

from ..config import Config
from ..model import Line, Page
from ..text.cjk import CJK, CJK_PUNCT

#: Rule names this stage answers to in ``Config.disabled_rules``.
RULES = ("unify_spaces", "remove_justification_spaces", "letter_spacing")

_ODD_SPACE_RE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
# A run of spaces with a Chinese character or mark on at least one side, and on
# the other side anything but a Latin letter pair (those keep their space).
_TIGHT = f"[{CJK}]"
_LOOSE = r"[0-9A-Za-z.,;:!?%()\[\]'\"+\-]"
# Each pattern opens with the space itself, the character before it checked
# behind (`(?<=X) +` written ` (?<=X ) *`): the engine then skips to the next
# space instead of trying the character class at every position of the line.
_JUSTIFICATION_RE = re.compile(
    f" (?<={_TIGHT} ) *(?={_TIGHT}|{_LOOSE})| (?<={_LOOSE} ) *(?={_TIGHT})"
)
# An ASCII mark keeps no typesetting space before it after Chinese text:
# `2015年以来 ,全市` -> `2015年以来,全市`.
_SPACE_BEFORE_ASCII_PUNCT_RE = re.compile(f" (?<=[{CJK}0-9] ) *(?=[,.;:!?%])")


def unify_spaces(text: str) -> str:
    """Tabs, NBSP, ideographic and other odd spaces become one plain space;
    zero-width characters, which only break matching, go."""
    return _ZERO_WIDTH_RE.sub("", _ODD_SPACE_RE.sub(" ", text))


def remove_justification_spaces(text: str) -> str:
    """Delete spaces that touch Chinese text on one side and are not between
    two Latin words or numbers: `贫 攻 坚` -> `贫攻坚`, `全市 13 个` -> `全市13个`,
    while `COVID 19` and `iPhone 12 Pro` keep theirs."""
    text = _SPACE_BEFORE_ASCII_PUNCT_RE.sub("", text)
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
    or a spaced name (`徐 昱`).  Call it on text whose odd spaces are unified."""
    gaps, spaced = spaced_gaps(text.strip())
    return gaps >= config.min_letter_spaced_gaps and spaced == gaps


_NEEDS_WORK_RE = re.compile(r"[\s\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]")


def normalize_line(text: str, config: Config) -> str:
    if not _NEEDS_WORK_RE.search(text):
        return text  # most raw lines hold no space at all: nothing to do
    if config.rule_enabled("unify_spaces"):
        text = unify_spaces(text)
    if config.rule_enabled("remove_justification_spaces"):
        text = remove_justification_spaces(text)
    return text.strip()


def normalize(line: Line, config: Config) -> Line:
    """The line tidied; ``letter_spaced`` once true stays true, so that
    normalizing a normalized page changes nothing."""
    text = normalize_line(line.text, config)
    letter_spaced = line.letter_spaced or (
        text != line.text
        and config.rule_enabled("letter_spacing")
        and config.rule_enabled("remove_justification_spaces")
        and is_letter_spaced(unify_spaces(line.text), config)
    )
    if text == line.text and letter_spaced == line.letter_spaced:
        return line
    return replace(line, text=text, letter_spaced=letter_spaced)


def run(page: Page, config: Config) -> Page:
    """Every line normalized.  A line with no space of any kind (most of
    them) is kept as it is without a call: normalize would return it."""
    needs_work = _NEEDS_WORK_RE.search
    return replace(page, lines=tuple(
        normalize(line, config) if needs_work(line.text) else line for line in page.lines
    ))
