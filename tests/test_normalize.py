"""normalize: each named rule with the raw text that motivated it.

The near-misses (Latin words, numbers beside Latin words) are as important as
the hits: a space there carries meaning and must survive.
"""

from __future__ import annotations

from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.config import Config
from newsclean.model import Line, Page, page_from_text
from newsclean.stages import normalize
from newsclean.stages.normalize import (
    RULES,
    is_letter_spaced,
    normalize_line,
    remove_justification_spaces,
    unify_spaces,
)

DEFAULT = Config()


def test_rules_lists_exactly_the_named_rules() -> None:
    assert set(RULES) == {"unify_spaces", "remove_justification_spaces", "letter_spacing"}


# --- remove_justification_spaces ------------------------------------------

@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # the seed page's headline deck, set with justification spaces
        ("贫 攻 坚 与 乡 村", "贫攻坚与乡村"),
        ("月 份 经 济 指 标", "月份经济指标"),
        # numbers between Chinese characters, and a space before full-width punctuation
        ("9 月 26 日 ，首 届", "9月26日，首届"),
        ("全市 13 个", "全市13个"),
        # a stray ASCII comma is kept as printed, its typesetting space is not
        ("2015年以来 ,全市", "2015年以来,全市"),
        # a Latin word inside Chinese text needs no space either
        ("用 iPhone 拍", "用iPhone拍"),
        ("版 A3", "版A3"),
    ],
)
def test_justification_spaces_between_chinese_go(raw: str, clean: str) -> None:
    assert remove_justification_spaces(raw) == clean


@pytest.mark.parametrize(
    "kept",
    [
        "COVID 19",  # a number after a Latin word
        "iPhone 12 Pro",  # Latin word, number, Latin word
        "hello world",  # two Latin words
        "Xi Jinping",
        "3 5",  # two numbers
    ],
)
def test_space_between_latin_words_or_numbers_stays(kept: str) -> None:
    assert remove_justification_spaces(kept) == kept


def test_latin_pair_keeps_its_space_inside_chinese_text() -> None:
    assert remove_justification_spaces("新 冠 COVID 19 疫 情") == "新冠COVID 19疫情"


# --- unify_spaces ------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("COVID\u00a019", "COVID 19"),  # NBSP from a PDF text layer
        ("COVID\u300019", "COVID 19"),  # ideographic space
        ("COVID\t19", "COVID 19"),  # tab
        ("a\u2009b", "a b"),  # thin space
    ],
)
def test_odd_spaces_become_one_plain_space(raw: str, clean: str) -> None:
    assert unify_spaces(raw) == clean


@pytest.mark.parametrize("zero_width", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_zero_width_characters_are_removed(zero_width: str) -> None:
    assert unify_spaces(f"脱{zero_width}贫") == "脱贫"


@pytest.mark.parametrize("odd", ["\u00a0", "\u3000", "\t"])
def test_odd_space_between_chinese_goes_once_unified(odd: str) -> None:
    assert normalize_line(f"脱{odd}贫{odd}攻{odd}坚", DEFAULT) == "脱贫攻坚"


# --- switching rules off -----------------------------------------------------

def test_disabling_remove_justification_spaces_keeps_the_spaces() -> None:
    config = Config(disabled_rules=frozenset({"remove_justification_spaces"}))
    assert normalize_line("贫 攻 坚 与 乡 村", config) == "贫 攻 坚 与 乡 村"
    assert normalize_line("2015年以来 ,全市", config) == "2015年以来 ,全市"


def test_disabling_unify_spaces_keeps_odd_and_zero_width_spaces() -> None:
    config = Config(disabled_rules=frozenset({"unify_spaces"}))
    assert normalize_line("COVID\u00a019", config) == "COVID\u00a019"
    assert normalize_line("脱\u200b贫", config) == "脱\u200b贫"
    assert normalize_line("脱\u3000贫", config) == "脱\u3000贫"


def test_disabling_both_rules_leaves_the_line_as_printed() -> None:
    config = Config(disabled_rules=frozenset(RULES))
    assert normalize_line("9 月 26 日 ，首 届", config) == "9 月 26 日 ，首 届"


# --- letter_spacing -------------------------------------------------------------

@pytest.mark.parametrize(
    "spaced",
    [
        # seed 000: a body line stretched to its column, a space between every two characters
        "深 入 推 进 电 子 商 务 与 扶 贫 攻 坚 深 度 融",
        # a mark carries its own blank; a number is one unit
        "9 月 26 日 ，首 届 山 西（吕",
        "列 次 ， 日 均 到 发 客 流 37.2 万 人",
        "APP 的 参 保 人 在 这 些 药 店 购 药",
    ],
)
def test_a_line_spaced_between_every_two_units_is_letter_spaced(spaced: str) -> None:
    assert is_letter_spaced(spaced, DEFAULT)


@pytest.mark.parametrize(
    "not_spaced",
    [
        "夜未央 灯如昼",  # a word space in a title
        "新华社记者 徐 昱摄",  # a spaced name in a credit
        "曹 一图 卜 拉文",  # some gaps spaced, not all
        "峰 ）",  # too few gaps to show anything
        "台 阶 ，打",  # fewer than min_letter_spaced_gaps
        "推进作为推动我市 出",
    ],
)
def test_word_spaces_and_short_spaced_runs_are_not_letter_spacing(not_spaced: str) -> None:
    assert not is_letter_spaced(not_spaced, DEFAULT)


def test_the_stage_keeps_letter_spacing_as_a_fact_of_the_line() -> None:
    page = page_from_text("深 入 推 进 电 子 商 务 与\n夜未央 灯如昼\n合，鼓励引导", "t.txt")
    result = normalize.run(page, DEFAULT)
    assert [(line.text, line.letter_spaced) for line in result.lines] == [
        ("深入推进电子商务与", True),
        ("夜未央灯如昼", False),
        ("合，鼓励引导", False),
    ]
    again = normalize.run(result, DEFAULT)
    assert again.lines == result.lines  # the fact survives normalizing twice


def test_disabling_letter_spacing_records_nothing() -> None:
    page = page_from_text("深 入 推 进 电 子 商 务 与", "t.txt")
    for rule in ("letter_spacing", "remove_justification_spaces"):
        result = normalize.run(page, Config(disabled_rules=frozenset({rule})))
        assert not result.lines[0].letter_spaced


# --- the stage over a page -----------------------------------------------------

def test_stage_keeps_line_numbers_and_blank_lines() -> None:
    page = page_from_text("贫 攻 坚\n\n  9 月 26 日 ，首 届  \nCOVID 19", "t.txt")
    result = normalize.run(page, DEFAULT)
    assert [(line.number, line.text) for line in result.lines] == [
        (1, "贫攻坚"),
        (2, ""),
        (3, "9月26日，首届"),
        (4, "COVID 19"),
    ]


def test_stage_moves_no_text_between_lines() -> None:
    page = page_from_text("月 份 经\n济 指 标", "t.txt")
    result = normalize.run(page, DEFAULT)
    assert [line.text for line in result.lines] == ["月份经", "济指标"]


def test_stage_is_idempotent_on_the_seed(sample_text: str) -> None:
    once = normalize.run(page_from_text(sample_text, "seed"), DEFAULT)
    twice = normalize.run(once, DEFAULT)
    assert once.lines == twice.lines


def test_seed_page_keeps_no_justification_spacing(sample_text: str) -> None:
    import re

    from newsclean.text.cjk import HAN

    result = normalize.run(page_from_text(sample_text, "seed"), DEFAULT)
    spaced_han = re.compile(f"[{HAN}] [{HAN}]")
    assert "贫 攻 坚" in sample_text or spaced_han.search(sample_text)
    assert not any(spaced_han.search(line.text) for line in result.lines)


# --- the one-pass forms agree with the rules as first written --------------------

SPACED_ALPHABET = "贫攻坚，。（）“月日 aZ09.,;:!?%-+\u3000\u00a0\t"


def justification_in_two_passes(text: str) -> str:
    """remove_justification_spaces as first written: the spaces before an ASCII
    mark, then the spaces between Chinese text and anything but a Latin pair."""
    import re

    from newsclean.text.cjk import CJK

    tight, loose = f"[{CJK}]", r"[0-9A-Za-z.,;:!?%()\[\]'\"+\-]"
    text = re.sub(f" (?<=[{CJK}0-9] ) *(?=[,.;:!?%])", "", text)
    return re.sub(f" (?<={tight} ) *(?={tight}|{loose})| (?<={loose} ) *(?={tight})", "", text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=SPACED_ALPHABET, max_size=30))
def test_one_pass_removes_the_spaces_two_passes_did(text: str) -> None:
    assert remove_justification_spaces(text) == justification_in_two_passes(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=SPACED_ALPHABET, max_size=30), st.integers(min_value=-1, max_value=6))
def test_counting_gaps_up_to_the_threshold_agrees_with_counting_all(
    text: str, needed: int
) -> None:
    """is_letter_spaced stops counting at ``min_letter_spaced_gaps``: it answers
    as counting every gap and every spaced gap does."""
    config = Config(min_letter_spaced_gaps=needed)
    gaps, spaced = normalize.spaced_gaps(text.strip())
    assert is_letter_spaced(text, config) == (gaps >= needed and spaced == gaps)


#: Every kind of character the stage treats apart: spaces of every kind,
#: whitespace that only the final strip touches (``\r``, ``\x85``,
#: ``\u2028``), zero-width and other unprintable characters, Han, Chinese and
#: ASCII marks, Latin letters and digits.
LINE_ALPHABET = SPACED_ALPHABET + "\u200b\ufeff\xad\x07\r\x0b\x85\u2028\u1680\u2003\u202f、：kX7"
CONFIGS = [Config(disabled_rules=frozenset(off), min_letter_spaced_gaps=2)
           for off in [(), ("unify_spaces",), ("letter_spacing",), RULES]]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=LINE_ALPHABET, max_size=16), st.booleans()),
                max_size=8),
       st.sampled_from(CONFIGS))
def test_the_stage_tidies_each_line_as_normalize_alone_does(
    rows: list[tuple[str, bool]], config: Config
) -> None:
    """run picks lines by two string tests and tidies them joined by
    newlines: each line must still come out as normalize makes it alone."""
    lines = tuple(Line(number, text, spaced) for number, (text, spaced) in enumerate(rows, 1))
    result = normalize.run(Page("t.txt", lines), config)
    assert result.lines == tuple(normalize.normalize(line, config) for line in lines)


def test_a_newline_stands_for_the_end_of_a_line_in_every_substitution() -> None:
    """The joined lines are tidied as the lines one by one only while no
    pattern matches a newline or takes one for a character it looks for
    beside a space: a newline must then act as the ends of the lines it
    joins did, between any two characters and spaces on either side."""
    pool = "贫，。（“ \u3000\u00a0\t\u200baZ09.,;:!?%-+()'"
    assert not any(p.search("\n") for p in (normalize._ODD_OR_ZERO_RE, normalize._ZERO_WIDTH_RE))
    for before, after, gap in product(pool, pool, ("", " ", "  ")):
        left, right = before + gap, gap + after
        for tidy in (unify_spaces, remove_justification_spaces):
            assert tidy(f"{left}\n{right}") == f"{tidy(left)}\n{tidy(right)}"


def test_a_line_holding_a_newline_sends_the_lines_one_by_one() -> None:
    """Lines not made by page_from_text may hold a newline, which would
    shift every line after it: they are tidied one by one."""
    lines = [Line(1, "贫 攻\n 坚 "), Line(2, " 月 份 经 济 指 标")]
    together = normalize._normalize_together(lines, DEFAULT)
    assert together == [normalize.normalize(line, DEFAULT) for line in lines]
    assert [line.text for line in together] == ["贫攻\n 坚", "月份经济指标"]


def test_every_space_but_the_plain_one_is_unprintable() -> None:
    """The stage looks only at lines with a plain space or an unprintable
    character: every other character that gives a line work must be one."""
    chars = map(chr, range(0x110000))
    needs_work = [char for char in chars if normalize._NEEDS_WORK_RE.match(char)]
    assert all(char == " " or not char.isprintable() for char in needs_work)
