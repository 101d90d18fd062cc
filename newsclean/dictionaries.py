"""Word lists and patterns kept in plain-text files under ``dictionaries/``.

One entry a line; ``#`` starts a comment; blank lines are ignored.  Users add
entries by pointing ``Config.user_dictionaries`` (``--dict-dir``) at a folder
with files of the same names: its entries extend the shipped ones.  A list is
read once per process and folder set.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


class DictionaryError(ValueError):
    """A dictionary file that is missing or holds an invalid pattern."""


def shipped_dir() -> Path:
    """The shipped lists: inside the package when installed, beside it in a checkout."""
    for candidate in (_PACKAGE / "dictionaries", _PACKAGE.parent / "dictionaries"):
        if candidate.is_dir():
            return candidate
    raise DictionaryError("the shipped dictionaries folder is missing")


def _read_entries(path: Path) -> list[str]:
    entries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        entry = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if entry:
            entries.append(entry)
    return entries


@cache
def load_list(name: str, user_dirs: tuple[Path, ...] = ()) -> tuple[str, ...]:
    """Entries of ``<name>.txt``: shipped ones first, then each user folder's."""
    entries = _read_entries(shipped_dir() / f"{name}.txt")
    for folder in user_dirs:
        path = Path(folder) / f"{name}.txt"
        if path.is_file():
            entries.extend(_read_entries(path))
    return tuple(entries)


@cache
def load_patterns(name: str, user_dirs: tuple[Path, ...] = ()) -> tuple[re.Pattern[str], ...]:
    """Entries of ``<name>.txt`` compiled as regular expressions."""
    patterns = []
    for entry in load_list(name, user_dirs):
        try:
            patterns.append(re.compile(entry))
        except re.error as error:
            raise DictionaryError(f"{name}.txt: bad pattern {entry!r}: {error}") from None
    return tuple(patterns)


@cache
def load_regex(name: str, user_dirs: tuple[Path, ...] = ()) -> re.Pattern[str]:
    """All patterns of ``<name>.txt`` as one alternation: one scan per line
    instead of one per pattern."""
    patterns = load_patterns(name, user_dirs)
    if not patterns:
        return re.compile(r"(?!x)x")
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern in patterns))


def any_match(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match
    return None
