"""Character helpers shared by the stages (newsclean.text.cjk)."""

from __future__ import annotations

import sys

from newsclean.text.cjk import SPACE_RE, strip_spaces


def test_strip_spaces_removes_what_the_whitespace_regex_removes() -> None:
    """strip_spaces uses str.split: it must drop exactly the characters
    ``\\s`` matches, in every plane."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert strip_spaces(every) == SPACE_RE.sub("", every)
    assert strip_spaces(" 贫 攻\u3000坚\t与\n乡 村 ") == "贫攻坚与乡村"
