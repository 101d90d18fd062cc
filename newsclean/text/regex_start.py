"""What a match of a regex can begin with, read off the pattern's parse tree.

A stage that searches many lines for a dictionary pattern can turn most lines
away with a test far cheaper than the search: dedupe's line-start pass puts a
class of these characters before its furniture alternation, and rejoin asks
whether a line holds `摄` at all before it searches it for three credit
patterns that all begin with it.  Unsure cases (a match that may be empty, a
backreference first, any character, ignored case, an op not known) give
None, and the caller searches as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

try:  # the parser behind re: re._parser from Python 3.11, sre_parse before
    from re import _parser as _re_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _re_parser  # type: ignore[no-redef]

#: One thing a match can begin with: its text in a character class, and the
#: character itself when it is a plain one (not a range or a category).
_Item = tuple[str, "str | None"]


def first_chars(pattern: re.Pattern[str]) -> str | None:
    """The body of a character class holding every character a match of
    ``pattern`` can begin with; None when unsure."""
    items = _first_items(pattern)
    return None if items is None else "".join(sorted(syntax for syntax, _ in items))


def first_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can begin with, when they are
    plain characters (`摄` of `(摄|摄影|摄影报道)[）)]?$`); None when unsure or
    when a range or a category (`\\d`, `[一-龥]`) is among them."""
    items = _first_items(pattern)
    if items is None or any(char is None for _, char in items):
        return None
    return frozenset(char for _, char in items if char is not None)


def _first_items(pattern: re.Pattern[str]) -> set[_Item] | None:
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        items, nullable = _first_of(_re_parser.parse(pattern.pattern, pattern.flags))
    except _Unsure:
        return None
    return None if nullable or not items else items


class _Unsure(Exception):
    """A pattern whose first characters :func:`_first_of` cannot tell."""


_REPEATS = {getattr(_re_parser, name, None) for name in ("MAX_REPEAT", "MIN_REPEAT",
                                                         "POSSESSIVE_REPEAT")} - {None}
_ZERO_WIDTH = {_re_parser.AT, _re_parser.ASSERT, _re_parser.ASSERT_NOT}
_CATEGORIES = {_re_parser.CATEGORY_DIGIT: r"\d", _re_parser.CATEGORY_NOT_DIGIT: r"\D",
               _re_parser.CATEGORY_SPACE: r"\s", _re_parser.CATEGORY_NOT_SPACE: r"\S",
               _re_parser.CATEGORY_WORD: r"\w", _re_parser.CATEGORY_NOT_WORD: r"\W"}


def _first_of(sequence: Sequence[tuple[object, object]]) -> tuple[set[_Item], bool]:
    """(items a match of the parsed ``sequence`` can begin with, whether it
    can match empty).  A lookaround or anchor consumes nothing, so the next item
    still tells the first character."""
    items: set[_Item] = set()
    for op, arg in sequence:
        found, nullable = _first_of_item(op, arg)
        items |= found
        if not nullable:
            return items, False
    return items, True


def _first_of_item(op: object, arg: Any) -> tuple[set[_Item], bool]:
    if op == _re_parser.LITERAL:
        return {_literal(arg)}, False
    if op == _re_parser.IN:
        return {_class_item(item_op, item_arg) for item_op, item_arg in arg}, False
    if op == _re_parser.SUBPATTERN and not arg[1] and not arg[2]:  # no inline flags
        return _first_of(arg[3])
    if op == _re_parser.BRANCH:
        found = [_first_of(branch) for branch in arg[1]]
        return set().union(*(items for items, _ in found)), any(empty for _, empty in found)
    if op in _REPEATS:
        items, nullable = _first_of(arg[2])
        return items, nullable or arg[0] == 0
    if op in _ZERO_WIDTH:
        return set(), True
    raise _Unsure(op)


def _literal(code: int) -> _Item:
    return re.escape(chr(code)), chr(code)


def _class_item(op: object, arg: Any) -> _Item:
    if op == _re_parser.LITERAL:
        return _literal(arg)
    if op == _re_parser.RANGE:
        return f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}", None
    if op == _re_parser.CATEGORY and arg in _CATEGORIES:
        return _CATEGORIES[arg], None
    raise _Unsure(op)  # a negated class and the like
