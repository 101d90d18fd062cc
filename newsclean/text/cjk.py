"""Character classes and widths, defined once for every stage.

"Cells" measure line length the way a column measures it: a Chinese
character or full-width punctuation mark fills one cell, a Latin letter,
digit or ASCII mark about half of one.
"""

from __future__ import annotations

import re
import unicodedata

#: Han ideographs (CJK Unified, Extension A, Compatibility) and the iteration mark.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3007"
#: CJK symbols and punctuation, full-width forms, and the general punctuation
#: marks Chinese text uses (quotes, dashes, ellipsis, middle dot).
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2010-\u2027\u00b7\u25a0-\u25ff"
CJK = HAN + CJK_PUNCT

#: Marks that end a sentence.  Closing quotes and brackets count only after
#: one of these (see SENTENCE_END_RE).
SENTENCE_FINAL = "。！？!?…；;"
#: Closers that may follow a sentence-final mark: `。”`, `！」`, `。）`.
CLOSERS = "”’」』）)》〉】〕\"'"
#: Marks that Chinese typesetting never puts at the start of a line
#: (kinsoku); a raw line starting with one continues the previous line.
NO_LINE_START = "，。、；：？！）》」』”’〉】〕…,.;:?!)%）"
#: Marks after which a sentence goes on: a line ending with one runs on.
#: (Not `：`, which also closes a kicker: `蔡笃强：` above `抓捕罪犯奋不顾身`.)
MID_SENTENCE = "，、,"
#: Openers: a line ending with one continues on the next line.
OPENERS = "“‘「『（(《〈【〔"
#: Marks that open a story's subhead or a list item (`●确保养老服务既放得开、又管得住`).
SUBHEAD_BULLETS = ("●", "■", "▲", "◆", "★")

#: What a column tag holds: a few characters, two of them Han, no sentence
#: punctuation.  `（动感2020）` is a tag; `（E级）`, `（GDP）` in a sentence are not.
_TWO_HAN_AHEAD = r"(?=[^（()）]*[\u4e00-\u9fff][^（()）]*[\u4e00-\u9fff])"
_TAG_BODY = f"[（(]{_TWO_HAN_AHEAD}[^（()）。，、！？]{{2,12}}[）)]"
#: A title closing on a column tag: `让乡规民约“活”起来（代表之声）`,
#: `2020，科技看点多(科技视点)`.
TITLE_WITH_TAG_RE = re.compile(f".{{4,}}{_TAG_BODY}$")
#: A line that ends on a column tag, however short its title part.
ENDS_WITH_TAG_RE = re.compile(f"{_TAG_BODY}$")
#: A column tag on a line of its own: `（科技大观）`.
TAG_LINE_RE = re.compile(f"^{_TAG_BODY}$")
#: A short tail and a column tag: `风采（体育大看台）`.
TAG_TAIL_RE = re.compile(f"^([^（(]{{1,4}}){_TAG_BODY}$")
#: Sentence and clause punctuation inside a line: titles rarely carry any.
CLAUSE_PUNCT_RE = re.compile(r"[，。、；：？！,;:?!]")

HAN_RE = re.compile(f"[{HAN}]")
SENTENCE_END_RE = re.compile(f"[{SENTENCE_FINAL}][{CLOSERS}]*$")
SPACE_RE = re.compile(r"\s+")


#: Characters set in half a cell: Latin letters, digits, ASCII marks and
#: other narrow scripts (everything below U+1100 but the marks that Chinese
#: type sets full width).
_NARROW_RE = re.compile("[^\u1100-\U0010ffff“”‘’…—·\\s]")


def cells(text: str) -> float:
    """Width of a line in column cells, ignoring spaces (justification noise)."""
    visible = len(text) - sum(map(text.count, " \t\u3000\u00a0")) if " " in text or (
        "\t" in text or "\u3000" in text or "\u00a0" in text
    ) else len(text)
    if text.isascii():
        return 0.5 * visible
    return visible - 0.5 * len(_NARROW_RE.findall(text))


def han_count(text: str) -> int:
    return len(HAN_RE.findall(text))


def ends_sentence(text: str) -> bool:
    """What ``SENTENCE_END_RE`` finds in ``text.rstrip()``, found without a
    search: the closers come off the end and a sentence-final mark must be
    left.  The search tried every such mark of a paragraph, and stages ask
    this of every line and paragraph."""
    return text.rstrip().rstrip(CLOSERS)[-1:] in _SENTENCE_FINAL_SET


#: A set, not the string: ``"" in SENTENCE_FINAL`` would be true.
_SENTENCE_FINAL_SET = frozenset(SENTENCE_FINAL)


def strip_spaces(text: str) -> str:
    """``text`` without whitespace.  ``str.split`` breaks at the characters
    ``\\s`` matches (the same set: tests/test_cjk.py checks every code
    point) for less than the regex costs, and split strips every body of a
    page several times."""
    return "".join(text.split())


def fold(text: str) -> str:
    """Compare-form of text: NFKC, no whitespace (as the gold scorer folds)."""
    return strip_spaces(unicodedata.normalize("NFKC", text))
