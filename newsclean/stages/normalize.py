"""normalize: tidy the characters of each line without moving any text.

Extraction leaves odd spaces: no-break and ideographic spaces, tabs, and the
spaces that justified typesetting puts between Chinese characters
(``贫 攻 坚 与 乡 村``, ``9 月 26 日 ，首 届``).  These carry no meaning in
Chinese, while a space between two Latin words or a number and a Latin word
does (``COVID 19``, ``iPhone 12 Pro``), so only the former go.

Line numbers are untouched: every line keeps its place in the source.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..config import Config
from ..model import Line, Page
from ..text.cjk import CJK

#: Rule names this stage answers to in ``Config.disabled_rules``.
RULES = ("unify_spaces", "remove_justification_spaces")

_ODD_SPACE_RE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
# A run of spaces with a Chinese character or mark on at least one side, and on
# the other side anything but a Latin letter pair (those keep their space).
_TIGHT = f"[{CJK}]"
_LOOSE = r"[0-9A-Za-z.,;:!?%()\[\]'\"+\-]"
_JUSTIFICATION_RE = re.compile(
    f"(?<={_TIGHT}) +(?={_TIGHT}|{_LOOSE})|(?<={_LOOSE}) +(?={_TIGHT})"
)
# An ASCII mark keeps no typesetting space before it after Chinese text:
# `2015年以来 ,全市` -> `2015年以来,全市`.
_SPACE_BEFORE_ASCII_PUNCT_RE = re.compile(f"(?<=[{CJK}0-9]) +(?=[,.;:!?%])")


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


_NEEDS_WORK_RE = re.compile(r"[\s\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]")


def normalize_line(text: str, config: Config) -> str:
    if not _NEEDS_WORK_RE.search(text):
        return text  # most raw lines hold no space at all: nothing to do
    if config.rule_enabled("unify_spaces"):
        text = unify_spaces(text)
    if config.rule_enabled("remove_justification_spaces"):
        text = remove_justification_spaces(text)
    return text.strip()


def run(page: Page, config: Config) -> Page:
    return replace(page, lines=tuple(_normalized(line, config) for line in page.lines))


def _normalized(line: Line, config: Config) -> Line:
    """The line with tidy text; most lines need nothing, and then the (frozen)
    line itself is kept rather than copied."""
    text = normalize_line(line.text, config)
    return line if text == line.text else Line(line.number, text)
