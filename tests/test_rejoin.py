"""rejoin: each named rule with the raw case that motivated it, the near misses
it must leave alone, and the same case with the rule switched off.

The cases live in ``cases/rejoin_cases.json``: raw input lines, the expected
blocks as ``[kind, first line, last line]`` (a fourth item, when present, is
the block's text), and why.  Every case is run twice: as shipped it gives the
expected blocks; with its rule switched off (``switch_off``, default the case's
``rule``) or its threshold moved (``config_off``) it must not, so that no case
passes with its feature switched off.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsclean.config import Config
from newsclean.dictionaries import load_regex
from newsclean.model import Page, page_from_text
from newsclean.pipeline import run
from newsclean.stages import rejoin
from newsclean.text.cjk import cells

CASES = json.loads((Path(__file__).parent / "cases" / "rejoin_cases.json").read_text("utf-8"))


def rejoin_lines(lines: list[str], config: Config | None = None) -> Page:
    """normalize + rejoin over raw lines, as the pipeline runs them."""
    return run(page_from_text("\n".join(lines)), config or Config(), ("normalize", "rejoin"))


def blocks_as_listed(page: Page, expected: list[list]) -> list[list]:
    """The page's blocks in the shape of ``expected``: kind and line span, and
    the text where the case lists it."""
    with_text = any(len(item) > 3 for item in expected)
    return [
        [str(block.kind), *block.lines] + ([block.text] if with_text else [])
        for block in page.blocks
    ]


def switched_off(case: dict) -> Config:
    """The case's feature switched off: its rule(s) disabled or its threshold moved."""
    if "config_off" in case:
        return Config(disabled_rules=frozenset(case.get("switch_off", ())), **case["config_off"])
    return Config(disabled_rules=frozenset(case.get("switch_off", [case["rule"]])))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case: dict) -> None:
    page = rejoin_lines(case["input"])
    assert blocks_as_listed(page, case["expected"]) == case["expected"], case["why"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case_changes_with_its_rule_switched_off(case: dict) -> None:
    page = rejoin_lines(case["input"], switched_off(case))
    switch = case.get("switch_off") or case.get("config_off") or case["rule"]
    assert blocks_as_listed(page, case["expected"]) != case["expected"], (
        f"{case['name']} passes with {switch} switched off: it does not test its rule"
    )


def test_every_rule_has_a_case() -> None:
    assert set(rejoin.RULES) <= {case["rule"] for case in CASES}


def test_case_rules_are_rejoin_rules() -> None:
    for case in CASES:
        for name in [case["rule"], *case.get("switch_off", ())]:
            assert name in rejoin.RULES, f"{case['name']}: unknown rule {name}"


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case_keeps_every_character(case: dict) -> None:
    """Rejoining moves no text: the blocks (and a dropped hyphen) hold every
    non-space character of the input, in order."""
    page = rejoin_lines(case["input"])
    kept = "".join(block.text for block in page.blocks) + "".join(d.text for d in page.dropped)
    raw = "".join(case["input"])
    assert sorted(kept.replace(" ", "")) == sorted(raw.replace(" ", ""))


# --- the named functions, called directly --------------------------------------


def test_join_text_removes_a_line_end_hyphen_between_latin_letters() -> None:
    assert rejoin.join_text("an open inter-", "national economy", Config()) == (
        "an open international economy"
    )


def test_join_text_keeps_the_hyphen_with_hyphenation_off() -> None:
    config = Config(disabled_rules=frozenset({"hyphenation"}))
    assert rejoin.join_text("an open inter-", "national economy", config) == (
        "an open inter-national economy"
    )


def test_join_text_spaces_latin_words_but_not_chinese() -> None:
    """`iPhone` + `12` -> `iPhone 12`; `1—8` + `月` -> `1—8月`."""
    assert rejoin.join_text("新款iPhone", "12发布", Config()) == "新款iPhone 12发布"
    assert rejoin.join_text("全市1—8", "月份经济指标", Config()) == "全市1—8月份经济指标"


def test_removed_hyphen_is_reported_as_dropped() -> None:
    case = next(case for case in CASES if case["rule"] == "hyphenation")
    page = rejoin_lines(case["input"])
    assert [(d.text, d.why) for d in page.dropped] == [("-", "line-end hyphen")]
    off = rejoin_lines(case["input"], Config(disabled_rules=frozenset({"hyphenation"})))
    assert off.dropped == ()


@pytest.mark.parametrize("text", ["）", "，这是我们党", "”洛桑泽仁", "。"])
def test_kinsoku_marks_never_start_a_line(text: str) -> None:
    assert rejoin.starts_with_no_line_start(text)


@pytest.mark.parametrize("text", ["（以下简称", "“党建引领", "本报讯"])
def test_opening_marks_may_start_a_line(text: str) -> None:
    assert not rejoin.starts_with_no_line_start(text)


def test_blank_lines_are_style_on_the_seed_layout() -> None:
    lines = page_from_text("产业支撑、龙头带动\n\n底”的金融扶贫长效\n\n乡村振兴。\n").lines
    assert rejoin.blank_lines_are_style(lines, Config())
    assert not rejoin.blank_lines_are_style(
        lines, Config(disabled_rules=frozenset({"blank_line_style"}))
    )


def test_local_widths_follow_each_column() -> None:
    """The seed mixes ~19- and ~10-character columns: each line is measured
    against its own column, not the page's."""
    widths = [19.0] * 10 + [10.0] * 20
    columns = rejoin.local_widths(widths, Config())
    assert columns[0] == 19.0 and columns[-1] == 10.0


def test_byline_going_on_after_its_bracket_runs_into_the_text() -> None:
    """byline_start near miss, corpus: `据新华社电 （记者陈凯姿）蔡笃` / `强，生于
    1950年，…`: the text starts after the bracket and runs on into the next
    line, so this short byline line is no standalone byline; the
    `□ 实习记者 贺燕亮` line over it is one."""
    page = rejoin_lines([
        "□ 实习记者 贺燕亮",
        "据新华社电 （记者陈凯姿）蔡笃",
        "强，生于1950年，海南省琼海人，1991年",
        "进入海口市公安局新华分局（现龙华分",
        "局）任副局长兼刑警大队大队长。",
    ])
    assert [block.lines for block in page.blocks] == [(1, 1), (2, 5)]


def test_bracketed_abbreviation_is_no_column_tag() -> None:
    """column_tag near miss, corpus: `业界预计，新一代百亿亿次（E级）` / `超级计算机
    将在2020年至2022年登台。`: a bracket with fewer than two Han characters
    (`（E级）`, `（GDP）`) explains a word in a sentence; a tag (`（创新谈）`,
    `（动感2020）`) names a column."""
    page = rejoin_lines([
        "在全球超算500强榜单上，中国境内有219",
        "台超算上榜，上榜数量连续第四次位居第",
        "一。",
        "业界预计，新一代百亿亿次（E级）",
        "超级计算机将在2020年至2022年登台。相",
        "关科研单位和企业都在积极研发新的超算",
        "技术，今年将会给大家更多惊喜。",
    ])
    assert [block.lines for block in page.blocks] == [(1, 3), (4, 7)]


def test_bracket_closing_a_sentence_line_is_no_column_tag() -> None:
    """column_tag near miss, corpus: `年起，宁夏将对纳入全区各市县水环` /
    `境质量状况排名的72个断面（点位）` / `开展地表水环境质量排名工作，并按`: the
    word 水环境 runs across the break, so the bracketed line is the sentence's
    next line, not a title closing on a tag; the text goes on under it."""
    page = rejoin_lines([
        "敏）记者从宁夏生态环境厅获悉：为",
        "进一步推动水环境质量改善，从2020",
        "年起，宁夏将对纳入全区各市县水环",
        "境质量状况排名的72个断面（点位）",
        "开展地表水环境质量排名工作，并按",
        "季度向社会公开排名结果。",
    ])
    assert [block.lines for block in page.blocks] == [(1, 6)]
    tagged = rejoin_lines(["让乡规民约“活”起来（代表之声）", "近日，交口县召开座谈会。"])
    assert [block.lines for block in tagged.blocks] == [(1, 1), (2, 2)]


def test_box_label_is_no_fragment_of_the_title_over_it() -> None:
    """fragment_fill near miss, corpus: `国家治理体系具有多方面的显著优势）` and
    `编者的话` would fill a printed line together, but a box label stands on
    its own line (``dictionaries/labels.txt``)."""
    page = rejoin_lines([
        "人民日报 2020年1月7日 星期二 第8版",
        "坚定“四个自信”的基本依据（我国国家制度和",
        "国家治理体系具有多方面的显著优势）",
        "编者的话",
        "“凡将立国，制度不可不察也。”制度",
        "优势是一个国家的最大优势，制度稳则国家",
        "稳。党的十九届四中全会系统概括了我国国",
        "家制度和国家治理体系13个方面显著优势，",
        "这些显著优势是我们坚定中国特色社会主义",
        "绕这些问题进行探讨。",
    ])
    assert "编者的话" in [block.text for block in page.blocks]


NOTE_OVER_TITLE = [
    "方的党的领导制度体系，把党的领导落",
    "实到国家治理各领域各方面各环节。",
    "（作者为中国社会科学院党组成",
    "员、当代中国研究所所长，本报记者张",
    "贺整理）",
    "安徽亳州推进公检法重要岗位交流",
    "人情牵绊少办事效率高",
    "在安徽亳州蒙城县法院工作了24年",
    "后，柏永生首次异地交流到谯城区法院",
]


def test_line_closing_a_bracket_opened_above_is_no_fragment() -> None:
    """fragment_fill near miss, corpus d007: `贺整理）` and the title under it
    would fill a printed line together, but `贺整理）` closes the note
    `（作者为…` opened two lines above: the note ends there."""
    texts = [block.text for block in rejoin_lines(NOTE_OVER_TITLE).blocks]
    assert "安徽亳州推进公检法重要岗位交流" in texts
    assert not any(text.endswith("贺整理）安徽亳州推进公检法重要岗位交流") for text in texts)


@pytest.mark.parametrize(("text", "closes"), [
    ("贺整理）", True), ("国）", True), ("国家治理体系具有多方面的显著优势）", True),
    ("（据新华社电）", False), ("送爱进山区（影像中国）", False), ("《条例》以习近平", False),
])
def test_closes_bracket_above(text: str, closes: bool) -> None:
    assert rejoin._closes_bracket_above(text) is closes


def test_short_line_does_not_run_into_a_dash_subheadline() -> None:
    """runs_into_full_line near miss, corpus d008: `题教育·身边的初心使命）`
    closes a title on a bracket, a cut runs_into_full_line would join to the
    full line under it; but that line opens with `——`: the title's
    subheadline, which stands alone (the caption under it opens the way text
    opens)."""
    page = rejoin_lines([
        "大草原上的嘹亮回声。",
        "白发仍少年 热血著文章（守初心 担使命 找差",
        "距 抓落实·深入开展“不忘初心、牢记使命”主",
        "题教育·身边的初心使命）",
        "——追记内蒙古日报社原首席记者刘少华",
        "1月12日，为期3天的北京丰台区青少年儿",
        "童迎新春“娃娃庙会”在丰台区少年宫东",
        "区落幕。",
    ])
    assert [block.lines for block in page.blocks] == [(1, 1), (2, 4), (5, 5), (6, 8)]


def test_title_closing_on_a_quote_does_not_run_into_a_full_line() -> None:
    """runs_into_full_line takes a short punctuated line for a printed line's
    first piece; a title that closes on a quote with no clause in it is not
    one (generated page, seed 0 of an earlier generator)."""
    page = rejoin_lines([
        "明确了开展博物馆的目标任务。汾阳市还出",
        "台了支持博物馆的意见，明确了传承文艺演",
        "投入资金95.3亿元。",
        "贵溪市发展“扶贫车间”",
        "驻村干部袁洋说：“有了特色种植，贫困户人",
        "均收入明显提高。”",
    ])
    assert [block.text for block in page.blocks][1] == "贵溪市发展“扶贫车间”"


def test_line_cut_at_a_title_mark_still_runs_on() -> None:
    page = rejoin_lines([
        "“为者常成，行者常至。”",
        "《条例》贯彻",
        "党章要求，对各级党委、机关工委、单位党",
        "组（党委）认真履行机关党建工作责任作出",
        "规定。",
    ])
    assert [block.text for block in page.blocks][1].startswith("《条例》贯彻党章要求")


def test_title_with_quotes_over_a_byline_stands_alone() -> None:
    """title_over_byline: quotes in a title as wide as the column are no clause
    (generated page 1)."""
    lines = [
        "赵娟燕告诉记者，公交线路",
        "让农产品运输成本明显下降。",
        "榆林市修复“生态补水工程”",
        "新华社北京1月19日电（记者王峰刚）榆林市把河长",
        "制作为重点工作，保护沿岸绿化带，生态环境持续向好。",
    ]
    assert "榆林市修复“生态补水工程”" in [block.text for block in rejoin_lines(lines).blocks]
    off = rejoin_lines(lines, Config(disabled_rules=frozenset({"title_over_byline"})))
    assert "榆林市修复“生态补水工程”" not in [block.text for block in off.blocks]


def test_dispatch_line_cut_before_its_dian_opens_a_byline() -> None:
    """byline_start: `新华社银川1月25` / `日电（记者 史玉文） 察…`, the dispatch cut
    before its 电 in an 11-cell column, still opens the story: the titles over
    it stay apart (generated page)."""
    lines = [
        "察隅县高速公路持续升温",
        "察隅县公交线路见行见效",
        "新华社银川1月25",
        "日电（记者 史玉文） 察",
        "隅县还出台了支持农村",
        "公路的方案，明确了优",
        "化公交线路的目标任务。",
    ]
    texts = [block.text for block in rejoin_lines(lines).blocks]
    assert texts[-1].startswith("新华社银川1月25日电")
    assert not any("见行见效新华社" in text for text in texts)


@pytest.mark.parametrize("name", ["credits", "bylines", "text_leads"])
@given(text=st.text(alphabet="本报讯新华社记者马温博（）()摄影王正影像中国发版式设计：图文 1月9日",
                    max_size=20))
def test_patterns_searched_apart_find_what_one_alternation_finds(name: str, text: str) -> None:
    """searched_apart splits a dictionary's alternation so that the regex
    engine can skip to each free pattern's first character: a line matches
    one of its groups exactly when it matches the whole alternation."""
    groups = rejoin.searched_apart(name)
    assert any(group.search(text) for group in groups) == bool(load_regex(name).search(text))


#: Characters of bylines and credits, and of lines that nearly are.
_BYLINE_AND_CREDIT_CHARS = "本报讯新华社记者（）()摄影王正影像中国发版式设计：图文 1月9日电□第星期"


@given(texts=st.lists(st.text(alphabet=_BYLINE_AND_CREDIT_CHARS, min_size=1, max_size=20),
                      max_size=8))
def test_marked_bylines_and_credits_are_what_the_dictionaries_find(texts: list[str]) -> None:
    """mark_lines searches most lines once, for bylines and credits
    together: each line is marked as the two dictionaries, searched apart,
    would mark it; ``marked`` is any of the four marks."""
    pieces = [rejoin.Piece(text, i, i, float(len(text))) for i, text in enumerate(texts)]
    rejoin.mark_lines(pieces, rejoin.Patterns.load(Config()))
    assert [(piece.byline, piece.credit) for piece in pieces] == [
        (bool(load_regex("bylines").search(text)), bool(load_regex("credits").search(text)))
        for text in texts
    ]
    # paragraph_break asks about the four marks only of a pair with a marked line
    assert [piece.marked for piece in pieces] == [
        piece.byline or piece.credit or piece.tagged or piece.running_head for piece in pieces
    ]


@pytest.mark.parametrize(
    "text", ["王正摄（影像中国）", "新华社记者 雒 圆摄", "版式设计：蔡华伟", "正文一行。"]
)
def test_credit_lines_are_found_as_before(text: str) -> None:
    patterns = rejoin.Patterns.load(Config())
    assert patterns.is_credit(text) == bool(load_regex("credits").search(text))


def _local_widths_by_counting(widths: list[float], window: int) -> list[float]:
    """local_widths written the obvious way: count the rounded widths around
    each line and take the best-scoring one (its lines and those a cell
    narrower), the wider on a tie."""
    rounded = [round(width) for width in widths]
    result = []
    for i in range(len(rounded)):
        near = Counter(rounded[max(0, i - window) : i + window + 1])
        best = max(near, key=lambda w: (near[w] + near.get(w - 1, 0), w))
        result.append(float(best))
    return result


@given(widths=st.lists(st.integers(8, 14).map(float), max_size=60), window=st.integers(1, 6))
def test_local_widths_follow_the_sliding_window(widths: list[float], window: int) -> None:
    """local_widths updates its counts as the window slides and rescans only
    when the best width loses a line: the same widths as counting afresh."""
    config = Config(width_window=window)
    assert rejoin.local_widths(widths, config) == _local_widths_by_counting(widths, window)


def test_a_byline_is_no_title_over_the_lead_it_opens() -> None:
    """lead_after_title, near miss (corpus d030): the text after a byline's
    bracket, `1月`, begins the lead `12日，…` on the next line; the byline
    line is no title standing over it, and the date is not cut in two."""
    lines = ["地生根，更要开花结果，创造更多", "服务可能。",
             "本报讯 （记者 刘浩娜）1月", "12日，在山东省烟台市南里必捷",
             "滑雪公园，小朋友体验雪圈滑雪。"]
    page = rejoin_lines(lines)
    assert [block.lines for block in page.blocks] == [(1, 2), (3, 5)]
    assert "1月12日" in page.blocks[1].text


def _piece_fields(piece: rejoin.Piece) -> tuple[object, ...]:
    return (piece.text, piece.first, piece.last, piece.width, piece.hard_break_before,
            piece.letter_spaced, piece.rule, piece.hyphens, piece.count, piece.ends_sentence)


@given(
    lines=st.lists(
        st.tuples(st.text(alphabet="春山。a-Z9（）", min_size=1, max_size=6), st.booleans()),
        min_size=1, max_size=8,
    )
)
def test_merge_lines_makes_what_merging_line_by_line_makes(
    lines: list[tuple[str, bool]],
) -> None:
    """merge_lines sums a run in one loop and joins it at once when no line
    but the last ends on ASCII: the piece that merge, one line at a time,
    makes (Latin words broken over lines and hyphens included)."""
    config = Config()
    run = [rejoin.Piece(text, i, i, float(len(text)), i == 0, spaced, "r" if i == 0 else "",
                        (i,) if spaced else ())
           for i, (text, spaced) in enumerate(lines)]
    expected = run[0]
    for line in run[1:]:
        expected = rejoin.merge(expected, line, config)
    assert _piece_fields(rejoin.merge_lines(run, config)) == _piece_fields(expected)


@given(lines=st.lists(st.tuples(st.sampled_from(["春山田林水", "春山，田林", "春山田林。"]),
                                st.integers(8, 12)), max_size=14))
def test_titles_over_indent_are_found_as_by_testing_every_line(
    lines: list[tuple[str, int]],
) -> None:
    """_titles_over_indent tests in full only the lines over an indented
    line: the titles that testing every line finds."""
    config = Config()
    pieces = [rejoin.Piece((text * 3)[:length], i, i, float(length))
              for i, (text, length) in enumerate(lines)]
    columns = rejoin.local_widths([piece.width for piece in pieces], config)
    every_line = {
        i for i in range(1, len(pieces) - 2)
        if rejoin._title_over_indent(pieces[i - 1], pieces[i], pieces[i + 1], pieces[i + 2],
                                     columns[i], columns[i + 2], config)
    }
    assert rejoin._titles_over_indent(pieces, columns, config) == every_line


def test_user_dictionary_extends_caption_leads(tmp_path: Path) -> None:
    """caption_lead reads ``caption_leads.txt``: a paper that opens its
    captions with `照片为` adds the pattern in its own folder (``--dict-dir``)."""
    lines = ["围内的沿湖环境卫生、小微水体、污", "水排放、垃圾分类等开展日常巡查。",
             "照片为1月7日，志愿者在青山湖边沿", "湖巡查。"]
    assert [block.lines for block in rejoin_lines(lines).blocks] == [(1, 4)]
    (tmp_path / "caption_leads.txt").write_text("^照片为\n", encoding="utf-8")
    page = rejoin_lines(lines, Config(user_dictionaries=(tmp_path,)))
    assert [block.lines for block in page.blocks] == [(1, 2), (3, 4)]


def piece(text: str) -> rejoin.Piece:
    return rejoin.Piece(text, 1, 1, cells(text), False, False)


def test_a_bulleted_subhead_wrapping_onto_a_short_line_goes_on() -> None:
    """bullet_title near miss, corpus d022: `■入脑入心、立根铸魂，补足精神`
    wraps onto `之钙`, a short line: the subhead's own end, not text under it."""
    line, below = piece("■入脑入心、立根铸魂，补足精神"), piece("之钙")
    assert not rejoin._bullet_title(line, below, 15.0, Config())


def test_a_bulleted_list_item_whose_word_runs_on_goes_on() -> None:
    """bullet_title near miss: a list item whose first line breaks a word
    (`●坚持以人民为中心的发展思` / `想，…`: 思想) runs on into the line under it."""
    line, below = piece("●坚持以人民为中心的发展思"), piece("想，不断增进民生福祉和获得")
    assert rejoin.word_across(line.text, below.text, Config())
    assert not rejoin._bullet_title(line, below, 17.0, Config())
