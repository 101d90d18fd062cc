"""dedupe: each rule with the case that motivated it, the near misses it must
keep, the rule switched off, and a property test that nothing is ever lost."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.config import Config
from newsclean.model import Block, Kind, Page, page_from_text
from newsclean.pipeline import run
from newsclean.stages import dedupe
from newsclean.text.cjk import fold
from newsclean.text.regex_start import first_chars

CASES = json.loads((Path(__file__).parent / "cases" / "dedupe_cases.json").read_text("utf-8"))


def dedupe_lines(lines: list[str], config: Config | None = None) -> Page:
    """normalize + dedupe over one block per line (rejoin is tested on its own)."""
    return run(page_from_text("\n".join(lines)), config or Config(), ("normalize", "dedupe"))


def kept_text(page: Page) -> str:
    return fold("".join(block.text for block in page.blocks))


def non_space_chars(text: str) -> Counter[str]:
    return Counter(char for char in text if not char.isspace())


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case: dict) -> None:
    page = dedupe_lines(case["input"])
    got = [(fold(item.text), item.why) for item in page.dropped]
    assert got == [(fold(text), why) for text, why in case["dropped"]], case["why"]


@pytest.mark.parametrize(
    "case", [case for case in CASES if case["dropped"]], ids=lambda case: case["name"]
)
def test_case_with_rule_switched_off_keeps_the_text(case: dict) -> None:
    config = Config(disabled_rules=frozenset({case["rule"]}))
    page = dedupe_lines(case["input"], config)
    assert not [item for item in page.dropped if item.why in {w for _t, w in case["dropped"]}]
    assert kept_text(page) == fold("".join(case["input"]))


def test_all_rules_are_listed_and_switchable() -> None:
    case = next(case for case in CASES if case["name"] == "running_head_on_one_line")
    page = dedupe_lines(case["input"], Config(disabled_rules=frozenset(dedupe.RULES)))
    assert page.dropped == ()
    assert set(dedupe.RULES) == {
        "jump_line", "furniture", "learned_furniture", "doubled_chars",
        "repeated_run", "repeated_block",
    }


# --- inside rejoined paragraphs ------------------------------------------------


def paragraph_page(lines: list[str], spans: list[tuple[int, int]]) -> Page:
    """A page whose blocks join the given line spans, as rejoin would."""
    page = page_from_text("\n".join(lines))
    blocks = tuple(
        Block(Kind.PARAGRAPH, "".join(lines[first - 1 : last]), (first, last))
        for first, last in spans
    )
    return Page(page.source, page.lines, blocks)


def test_jump_line_glued_to_a_paragraph_is_cut_and_block_keeps_its_span() -> None:
    lines = ["人员应当参加转岗培训；参加重大项目的", "工作人员应当参加专项培训。", "（下转第3版）"]
    page = dedupe.run(paragraph_page(lines, [(1, 3)]), Config())
    assert page.blocks[0].text == lines[0] + lines[1]
    assert page.blocks[0].lines == (1, 3)
    assert [(item.text, item.why, item.lines) for item in page.dropped] == [
        ("（下转第3版）", "jump-line", (3, 3))
    ]


def test_footer_glued_to_last_paragraph_is_cut() -> None:
    lines = ["确保各项规定得到有效贯彻落实。", "本版责编：汤亮 黄华倩"]
    page = dedupe.run(paragraph_page(lines, [(1, 2)]), Config())
    assert page.blocks[0].text == lines[0]
    assert page.dropped[0].why == "furniture"


def test_doubled_caption_inside_one_paragraph() -> None:
    caption = "1月9日，学生们在练习双板滑雪。"
    lines = [caption, caption, "新华社记者 张睿摄"]
    page = dedupe.run(paragraph_page(lines, [(1, 3)]), Config())
    assert page.blocks[0].text == lines[0] + lines[2]
    assert [(item.text, item.lines) for item in page.dropped] == [(lines[1], (2, 2))]


def test_sentence_repeated_inside_two_long_paragraphs_stays() -> None:
    sentence = "敢于直面问题、勇于修正错误，是我们党的显著特点和优势。"
    lines = [f"代表们说，{sentence}大家纷纷表示赞同。", f"各地干部群众认为，{sentence}这是经验。"]
    page = dedupe.run(paragraph_page(lines, [(1, 1), (2, 2)]), Config())
    assert page.dropped == ()


# --- jump lines read back, learned furniture ---------------------------------------


@pytest.mark.parametrize(
    ("text", "direction", "target"),
    [
        ("（下转第3版）", "continues_on", "3"),
        ("（上接第1版）", "continued_from", "1"),
        ("转第12版", "continues_on", "12"),
        ("（下转右下）", "continues_on", "右下"),
        ("〈上接左上)", "continued_from", "左上"),
    ],
)
def test_parse_jump_line(text: str, direction: str, target: str) -> None:
    assert dedupe.parse_jump_line(text) == dedupe.JumpLine(direction, target)


WORDS = "春夏秋冬东南西北山水田林湖草沙风云雷电江河湖海"


def issue_pages() -> list[list[str]]:
    pages = []
    for number in range(1, 6):
        size = len(WORDS)
        body = [
            f"报道{WORDS[(number * 7 + i) % size]}{WORDS[(i * 5 + number) % size]}正文。"
            for i in range(20)
        ]
        pages.append([f"晨报 要闻 A{number}"] + body + ["主编：赵六 值班编辑：钱七"])
    return pages


def test_learn_furniture_finds_lines_recurring_on_most_pages() -> None:
    learned = dedupe.learn_furniture(issue_pages(), Config())
    assert dedupe.furniture_key("晨报 要闻 A9") in learned
    assert dedupe.furniture_key("主编：赵六 值班编辑：钱七") in learned
    assert not any("报道" in key for key in learned)


def test_learn_furniture_needs_the_same_place() -> None:
    pages = issue_pages()
    for moved in (1, 2, 3):  # the head printed at three different places
        place = 5 * moved
        pages[moved] = pages[moved][1 : place + 1] + pages[moved][:1] + pages[moved][place + 1 :]
    learned = dedupe.learn_furniture(pages, Config())
    assert dedupe.furniture_key("晨报 要闻 A1") not in learned


def test_learned_furniture_is_dropped_and_switchable() -> None:
    config = Config(learned_furniture=dedupe.learn_furniture(issue_pages(), Config()))
    lines = ["晨报 要闻 A3", "今天的正文。", "主编：赵六 值班编辑：钱七"]
    page = dedupe_lines(lines, config)
    assert [item.why for item in page.dropped] == ["furniture", "furniture"]
    off = config.replace(disabled_rules=frozenset({"learned_furniture"}))
    assert dedupe_lines(lines, off).dropped == ()


def test_user_dictionary_extends_paper_names(tmp_path: Path) -> None:
    (tmp_path / "paper_names.txt").write_text("晨报\n", encoding="utf-8")
    lines = ["晨报 2020年1月6日 星期一", "正文。"]
    assert dedupe_lines(lines).dropped == ()  # an unknown name is text
    page = dedupe_lines(lines, Config(user_dictionaries=(tmp_path,)))
    assert [(item.text, item.why) for item in page.dropped] == [
        ("晨报2020年1月6日星期一", "furniture")
    ]


# --- nothing is lost --------------------------------------------------------------

PIECES = [
    "一位农民在丰收节展区的玉米挂造型前喜笑颜开", "金金融融扶扶贫贫", "（下转第3版）", "人民日报",
    "2020年1月6日星期一", "第4版", "本版责编：汤亮", "看看", "11", "。", "，", " ",
    "春风又绿江南岸",
    "为保障责任落实到位作了哪些制度安排？", "abc", "度安排？",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map("".join), max_size=14))
def test_dedupe_is_lossless(lines: list[str]) -> None:
    page = dedupe_lines(lines)
    out = non_space_chars("".join(block.text for block in page.blocks))
    out += non_space_chars("".join(item.text for item in page.dropped))
    assert out == non_space_chars("\n".join(lines))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map("".join), min_size=1, max_size=9))
def test_dedupe_is_lossless_in_paragraphs(lines: list[str]) -> None:
    lines = [line or "。" for line in lines]
    page = dedupe.run(paragraph_page(lines, [(1, len(lines))]), Config())
    out = non_space_chars("".join(block.text for block in page.blocks))
    out += non_space_chars("".join(item.text for item in page.dropped))
    assert out == non_space_chars("".join(lines))


# --- the quick passes are shortcuts, never rules -------------------------------------

SCAN_PIECES = [
    *PIECES, "转第3版", "", "", "2020年", "1月6日 周一", "为保障责任落实到位作了哪些制度安排？",
]


def all_eligible_lines(joined, config: Config) -> list[tuple[int, int, int]]:
    shortest = config.min_repeat_chars + config.quote_index_stride - 1
    return [(index, start, end) for index, (start, end, _line) in enumerate(joined.segments)
            if end - start >= shortest]


@contextmanager
def every_line_checked() -> Iterator[None]:
    """Switch off the passes that pick the few lines, run starts and lines worth
    a closer look: every rule then looks at everything."""
    with pytest.MonkeyPatch.context() as patch:
        everything = lambda self, _pattern: list(self.numbers)  # noqa: E731
        patch.setattr(dedupe._SourceLines, "touched_by", everything)
        patch.setattr(dedupe._SourceLines, "starting_with", everything)
        patch.setattr(dedupe, "_recurring_run_starts", lambda joined, _: dedupe._run_starts(joined))
        patch.setattr(dedupe, "_lines_that_may_recur", all_eligible_lines)
        patch.setattr(dedupe, "_repeats_ending_quotes", lambda _joined, _config: None)
        yield


def removals(lines: list[str]) -> list[tuple[list, list]]:
    """What dedupe drops and keeps, over one block per line and over rejoin's blocks."""
    pages = [dedupe_lines(lines), run(page_from_text("\n".join(lines)), Config(),
                                      ("normalize", "rejoin", "dedupe"))]
    return [([(d.why, d.text, d.lines) for d in page.dropped],
             [(b.text, b.lines) for b in page.blocks]) for page in pages]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(SCAN_PIECES), max_size=4).map("".join), max_size=16))
def test_quick_passes_skip_nothing_a_rule_would_remove(lines: list[str]) -> None:
    fast = removals(lines)
    with every_line_checked():
        assert removals(lines) == fast


@st.composite
def pull_quote_pages(draw: st.DrawFn) -> list[str]:
    """A column of text with a narrower copy of part of it set among its lines;
    few characters, so repeats and runs are everywhere."""
    body = draw(st.text(alphabet="春夏秋冬山水田林。，？", min_size=30, max_size=160))
    width = draw(st.integers(min_value=8, max_value=19))
    start = draw(st.integers(min_value=0, max_value=len(body) - 8))
    quote = body[start : start + draw(st.integers(min_value=8, max_value=40))]
    box = draw(st.integers(min_value=4, max_value=width))
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    place = draw(st.integers(min_value=0, max_value=len(lines)))
    lines[place:place] = [quote[i : i + box] for i in range(0, len(quote), box)]
    return lines


@settings(max_examples=300, deadline=None)
@given(pull_quote_pages())
def test_quick_passes_find_every_pull_quote(lines: list[str]) -> None:
    fast = removals(lines)
    with every_line_checked():
        assert removals(lines) == fast


@settings(max_examples=200, deadline=None)
@given(pull_quote_pages())
def test_a_repeat_has_the_seeds_a_full_scan_finds(lines: list[str]) -> None:
    """The pull-quote shortcut takes, for each repeat it finds, the lines a scan
    of every line would have found in it."""
    config = Config()
    page = run(page_from_text("\n".join(lines)), config, ("normalize", "rejoin"))
    joined = dedupe._Context(page, config).joined(page.blocks)
    by_repeat: dict[tuple[int, int], set] = {}
    for seed in dedupe._all_seed_matches(joined, config):
        first, second = sorted((seed[0], seed[2]))
        back = dedupe._shared_before(joined.text, first, second, first)
        by_repeat.setdefault((first - back, second - first), set()).add(seed)
    for (first, offset), seeds in by_repeat.items():
        found = dedupe._seeds_in_repeat(joined, first, offset, config)
        assert {seed for _order, seed in found} == seeds


def near_copy_by_characters(left: str, right: str, config: Config) -> bool:
    """near_copy as first written: prefix and suffix counted a character at a time."""
    if left == right:
        return True
    size = min(len(left), len(right))
    if size < config.min_near_copy_chars:
        return False
    allowed = max(1, int(size * (1 - config.near_copy_similarity)))
    if abs(len(left) - len(right)) > allowed:
        return False
    needed = max(len(left), len(right)) - allowed
    prefix = len(os.path.commonprefix([left, right]))
    suffix = len(os.path.commonprefix([left[::-1], right[::-1]]))
    return min(prefix + suffix, size) >= needed


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="春夏秋冬", min_size=8, max_size=40),
       st.text(alphabet="春夏秋冬", max_size=3),
       st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=3))
def test_near_copy_agrees_with_counting_characters(
    text: str, patch: str, at: int, drop: int
) -> None:
    """The galloping prefix and suffix and the early exits answer as a
    character-by-character count does, for copies with one stretch changed."""
    config = Config()
    other = text[:at] + patch + text[at + drop :]
    assert dedupe.near_copy(text, other, config) == near_copy_by_characters(text, other, config)
    assert dedupe._common_prefix(text, other) == len(os.path.commonprefix([text, other]))


@pytest.mark.parametrize(
    ("pattern", "only_at_line_start"),
    [
        (r"^\s*(?:下|上)?\s*(?:转|接)\s*第\s*[0-9]+\s*版\s*$", True),
        (r"^(?:a|b)c", True),
        (r"^[]|]x", True),
        (r"^[^]|]x", True),
        (r"^a\|b", True),
        (r"^a|b", False),  # `b` may match anywhere in a line
        (r"^(?:a|b)|c", False),
        (r"^[a]|b", False),
        (r"^\|x|y", False),
        (r"(?x)^a|b", False),
        (r"a^b", False),
        (r"[（(]\s*下转", False),
    ],
)
def test_whole_line_jump_patterns_are_tried_at_line_starts_only(
    pattern: str, only_at_line_start: bool
) -> None:
    assert dedupe._only_at_line_start(re.compile(pattern)) is only_at_line_start


def test_line_start_pass_finds_a_whole_line_jump_note() -> None:
    """Corpus form `转第3版` standing alone is flagged by the line-start pass; the
    same words inside a sentence are not a whole line and stay."""
    lines = ["正文第一行，", "转第3版", "他说要转第3版再看。"]
    page = dedupe.run(page_from_text("\n".join(lines)), Config())
    assert [(item.why, item.text, item.lines) for item in page.dropped] == [
        ("jump-line", "转第3版", (2, 2))
    ]


@pytest.mark.parametrize(
    ("pattern", "first"),
    [
        (r"第\s*[0-9]+\s*版", "第"),
        (r"(?:星期|礼拜)[一二]", "星礼"),
        (r"(?:[0-9]{4}\s*年)?[0-9]{1,2}\s*月", "0-9"),
        (r"(?=[ab])(?:ab|b)", "ab"),
        (r"^\s*(?:下|上)?转", r"\s上下转"),
        (r"[a-c-]+", r"\-a-c"),
        (r"a?", None),  # may match empty: any line may start with it
        (r".x", None),
        (r"[^a]x", None),
        (r"(?i)a", None),
        (r"(a)\1", "a"),
    ],
)
def test_first_characters_of_a_pattern(pattern: str, first: str | None) -> None:
    """The guard of the line-start pass: the characters a match can begin with,
    or None when the parse tree leaves it unsure."""
    assert first_chars(re.compile(pattern)) == first


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="第版星期礼拜一年月日 -—0123456789aI|", max_size=12))
def test_a_furniture_token_begins_with_a_first_character(text: str) -> None:
    """Every line that begins with a furniture token passes the guard that the
    line-start pass puts before the tokens."""
    tokens = dedupe._furniture_tokens(())
    assert tokens.any_token is not None
    first = first_chars(tokens.any_token)
    assert first is not None
    if tokens.any_token.match(text):
        assert re.match(f"[{first}]", text)


@settings(max_examples=200, deadline=None)
@given(pull_quote_pages(), st.integers(min_value=0, max_value=12))
def test_recurring_quote_tails_skip_no_repeat(lines: list[str], least: int) -> None:
    """The tails pass only skips line edges whose look-up would find nothing."""
    config = Config(min_quote_han=least)
    page = run(page_from_text("\n".join(lines)), config, ("normalize", "rejoin"))
    joined = dedupe._Context(page, config).joined(page.blocks)
    fast = dedupe._repeats_ending_quotes(joined, config)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dedupe, "_recurring_quote_tails", lambda _text, _least: None)
        assert dedupe._repeats_ending_quotes(joined, config) == fast
