"""segment: each named rule with the raw case that motivated it, the near misses
it must leave alone, and the same case with the rule switched off.

The cases live in ``cases/segment_cases.json``: raw input lines (run through
normalize, rejoin and segment), the expected blocks as ``[kind, first line,
last line]`` plus the block's text where it matters (a byline cut off its
paragraph, a caption), and why.  With its rule switched off (``switch_off``,
default the case's ``rule``) a case must come out differently.  A case whose
rule does not do what its docstring says carries ``xfail`` with what happens.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsclean.config import Config
from newsclean.model import Block, Kind, Page, page_from_text
from newsclean.pipeline import run
from newsclean.stages import segment

CASES = json.loads((Path(__file__).parent / "cases" / "segment_cases.json").read_text("utf-8"))

OFF = {name: Config(disabled_rules=frozenset({name})) for name in segment.RULES}


def segment_lines(lines: list[str], config: Config | None = None) -> Page:
    """normalize + rejoin + segment over raw lines."""
    return run(
        page_from_text("\n".join(lines)), config or Config(), ("normalize", "rejoin", "segment")
    )


def blocks_as_listed(page: Page, expected: list[list]) -> list[list]:
    """The page's blocks in the shape of ``expected``: kind and line span, and
    the text where the expected block lists one."""
    got = []
    for n, block in enumerate(page.blocks):
        with_text = n < len(expected) and len(expected[n]) > 3
        got.append([str(block.kind), *block.lines] + ([block.text] if with_text else []))
    return got


def switched_off(case: dict) -> Config:
    return Config(disabled_rules=frozenset(case.get("switch_off", [case["rule"]])))


def as_param(case: dict) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
    return pytest.param(case, id=case["name"], marks=marks)


@pytest.mark.parametrize("case", [as_param(case) for case in CASES])
def test_case(case: dict) -> None:
    page = segment_lines(case["input"])
    assert blocks_as_listed(page, case["expected"]) == case["expected"], case["why"]


# An xfail case's expected blocks are what the docstring promises, not what
# the code does, so its twin would pass for the wrong reason: left out.
@pytest.mark.parametrize(
    "case", [case for case in CASES if "xfail" not in case], ids=lambda case: case["name"]
)
def test_case_changes_with_its_rule_switched_off(case: dict) -> None:
    page = segment_lines(case["input"], switched_off(case))
    assert blocks_as_listed(page, case["expected"]) != case["expected"], (
        f"{case['name']} passes with {case.get('switch_off') or case['rule']} switched off"
    )


def test_every_rule_has_a_case() -> None:
    assert set(segment.RULES) <= {case["rule"] for case in CASES}


def test_case_rules_are_segment_rules() -> None:
    for case in CASES:
        for name in [case["rule"], *case.get("switch_off", ())]:
            assert name in segment.RULES, f"{case['name']}: unknown rule {name}"


# --- the named functions, called directly --------------------------------------


def block(text: str, kind: Kind = Kind.UNKNOWN, lines: tuple[int, int] = (1, 1)) -> Block:
    return Block(kind, text, lines)


@pytest.mark.parametrize(
    ("text", "byline"),
    [
        ("本报讯（记者梁瑜）高质量转型发展背景下，我市积极落实国家战略。", "本报讯（记者梁瑜）"),
        ("本报北京1月6日电（记者刘毅）近日，整治工作推进会召开。", "本报北京1月6日电（记者刘毅）"),
        ("新华社北京1月11日电国务院副总理胡春华近日出席会议。", "新华社北京1月11日电"),
    ],
)
def test_split_byline_cuts_the_byline_off_its_paragraph(text: str, byline: str) -> None:
    head, rest = segment.split_byline(block(text, Kind.PARAGRAPH), Config())
    assert (head.kind, head.text) == (Kind.BYLINE, byline)
    assert (rest.kind, byline + rest.text) == (Kind.PARAGRAPH, text)
    assert segment.split_byline(block(text, Kind.PARAGRAPH), OFF["byline_pattern"]) == [
        block(text, Kind.PARAGRAPH)
    ]


@pytest.mark.parametrize("text", ["□实习记者王卫斌", "□本报记者郑红萍", "本报记者郑红萍",
                                  "记者王卫斌"])
def test_split_byline_takes_a_whole_short_byline_line(text: str) -> None:
    assert [b.kind for b in segment.split_byline(block(text), Config())] == [Kind.BYLINE]
    assert [b.kind for b in segment.split_byline(block(text), OFF["byline_pattern"])] == [
        Kind.UNKNOWN
    ]


@pytest.mark.parametrize(
    "text",
    [
        "本报电",  # no place, no reporter: not a byline
        "记者郭炳中摄",  # seed 000: a photo credit opens like a byline
        "本报电近日，副市长刘晋萍主持召开中心城区建设项目推进专题会。",
        # corpus d018: the reporter is the sentence's subject, no byline
        "记者13日从国务院政策例行吹风", "记者从交通运输部获悉", "记者日前从大庆油田",
        "记者：《决定》指出",
    ],
)
def test_split_byline_near_misses_are_left_alone(text: str) -> None:
    assert segment.split_byline(block(text), Config()) == [block(text)]


def test_bare_benbao_dian_is_text_not_a_byline() -> None:
    """`本报电` alone on a line: no byline (the gold keeps it in the brief's
    text), and with text_lead it is no heading candidate either;
    `本报北京1月6日电` next to it is a byline."""
    page = segment_lines(["本报电", "本报北京1月6日电"])
    assert [b.kind for b in page.blocks] == [Kind.PARAGRAPH, Kind.BYLINE]
    off = segment_lines(["本报电", "本报北京1月6日电"], OFF["byline_pattern"])
    assert Kind.BYLINE not in [b.kind for b in off.blocks]
    bare = segment_lines(["本报电", "本报北京1月6日电"], OFF["text_lead"])
    assert [b.kind for b in bare.blocks] == [Kind.HEADLINE, Kind.BYLINE]


def test_credit_is_classified_before_it_could_be_a_heading() -> None:
    assert segment.classify(block("记者郭炳中摄"), Config()).kind is Kind.CREDIT
    assert segment.classify(block("记者郭炳中摄"), OFF["credit_pattern"]).kind is Kind.HEADLINE


def test_join_broken_bylines_joins_the_bracket_and_keeps_the_span() -> None:
    blocks = [block("本报讯（记者马", lines=(5, 5)), block("温博）近日，会议召开。", lines=(6, 8))]
    (joined,) = segment.join_broken_bylines(blocks, Config())
    assert (joined.text, joined.lines) == ("本报讯（记者马温博）近日，会议召开。", (5, 8))
    assert segment.join_broken_bylines(blocks, OFF["broken_byline"]) == blocks


def test_closing_note_after_a_sentence_but_column_tag_after_a_title() -> None:
    """`（海军）` after `…增添新动能。` signs the story; `（科技大观）` under a title tags it."""
    blocks = [
        block("2020，科技看点多", Kind.HEADLINE),
        block("（科技大观）", Kind.HEADLINE),
        block("为吕梁高质量发展增添新动能。", Kind.PARAGRAPH),
        block("（海军）", Kind.HEADLINE),
    ]
    kinds = [b.kind for b in segment.mark_closing_notes(blocks, Config())]
    assert kinds == [Kind.HEADLINE, Kind.HEADLINE, Kind.PARAGRAPH, Kind.PARAGRAPH]
    assert segment.mark_closing_notes(blocks, OFF["closing_note"]) == blocks


PARAGRAPH_TAIL_AND_TITLE = {
    1: "让绿色产业焕发金色光芒，广西体育正跃上新的台",
    2: "阶。",
    3: "中国足协召开研讨会",
}


def test_heading_lines_give_the_paragraph_tail_back_before_the_title() -> None:
    """corpus: `…广西体育正跃上新的台` / `阶。` / `中国足协召开研讨会` read as one
    heading block: the lines up to the sentence end close the paragraph."""
    heading = block("".join(PARAGRAPH_TAIL_AND_TITLE.values()), Kind.HEADLINE, (1, 3))
    out = segment.heading_lines(heading, PARAGRAPH_TAIL_AND_TITLE, Config())
    assert [(b.kind, b.text, b.lines) for b in out] == [
        (Kind.PARAGRAPH, "让绿色产业焕发金色光芒，广西体育正跃上新的台阶。", (1, 2)),
        (Kind.HEADLINE, "中国足协召开研讨会", (3, 3)),
    ]
    assert segment.heading_lines(heading, PARAGRAPH_TAIL_AND_TITLE, OFF["heading_lines"]) == [
        heading
    ]


def test_heading_lines_mark_the_lines_rejoin_ran_on() -> None:
    """heading_lines: the lines after a heading block's first say that rejoin
    read them as the rest of the line above (``RAN_ON``), so that split can
    put a subhead's deck back together (`有些健身房内卫生状况、器械完好程度` /
    `等不尽如人意`, corpus d011)."""
    lines = {1: "健身服务亟待升级", 2: "有些健身房内卫生状况、器械完好程度", 3: "等不尽如人意"}
    heading = block("".join(lines.values()), Kind.HEADLINE, (1, 3))
    out = segment.heading_lines(heading, lines, Config())
    assert [(b.text, segment.RAN_ON in b.evidence) for b in out] == [
        ("健身服务亟待升级", False),
        ("有些健身房内卫生状况、器械完好程度", True),
        ("等不尽如人意", True),
    ]


def test_heading_lines_keep_an_edited_block_whole() -> None:
    """A block whose text no longer matches its raw lines (a cut, a joined
    hyphen) is kept as it is rather than rebuilt from the raw lines."""
    heading = block("中国足协召开会议", Kind.HEADLINE, (1, 3))
    assert segment.heading_lines(heading, PARAGRAPH_TAIL_AND_TITLE, Config()) == [heading]


@pytest.mark.parametrize("text", ["曹一图卜拉文", "曹一 图 燕陆 文"])
def test_cartoon_credit_drawn_and_written_by(text: str) -> None:
    """credit_pattern, corpus: `曹一图卜拉文` under a cartoon's verse names who
    drew it and who wrote it: a credit, not a kicker of the next title."""
    assert segment.classify(block(text), Config()).kind is Kind.CREDIT


def test_reprint_source_is_a_closing_dateline() -> None:
    """closing_dateline, corpus: `（摘编自1月10日《经济日报》）` closes the
    reprinted commentary above it; it is no kicker of the next title."""
    text = "（摘编自1月10日《经济日报》）"
    assert segment.classify(block(text), Config()).kind is Kind.PARAGRAPH
    assert segment.classify(block(text), OFF["closing_dateline"]).kind is Kind.HEADLINE


def test_wide_line_with_a_sentence_end_inside_is_no_title() -> None:
    """corpus: `中缅油气管道是…项目，马德岛是管道的起点。图为` set across columns
    opens a caption; a title set across columns never holds a sentence end."""
    wide = ("rejoin:wider_than_column",)
    caption = Block(Kind.PARAGRAPH, "中缅油气管道是近年中企在缅甸建设的跨境重大能源和工业项目，"
                    "马德岛是管道的起点。图为", (8, 8), wide)
    title = Block(Kind.PARAGRAPH, "坚持和完善中国特色社会主义制度推进国家治理体系和治理能力现代化",
                  (2, 2), wide)
    assert segment.classify(caption, Config()).kind is Kind.PARAGRAPH
    assert segment.classify(title, Config()).kind is Kind.HEADLINE


def test_author_note_with_a_bracket_inside_is_a_closing_dateline() -> None:
    """closing_dateline, corpus: `（作者为中央党校原副校长、中央党校（国家行政学院）
    …研究员）` holds a bracket of its own and still signs the story above."""
    text = ("（作者为中央党校原副校长、中央党校（国家行政学院）"
            "习近平新时代中国特色社会主义思想研究中心研究员）")
    assert "segment:closing_dateline" in segment.classify(block(text), Config()).evidence


def test_time_lead_opens_text_and_runs_on() -> None:
    """text_lead, corpus: `1月10日，在中缅油气管道项目援建的东稻村` set wider
    than its column opens a caption, not a title (no heading of the corpus
    opens `X月X日，` or `近日，`); stopping mid-sentence, it runs on into the
    line under it."""
    lines = ["非党员学员可以与党员们一起参与志愿服务，“他们热情也很高！”",
             "图片报道",
             "1月10日，在中缅油气管道项目援建的东稻村",
             "学校，当地学生感谢中国企业的帮助。",
             "本报记者 孙广勇摄"]
    blocks = segment_lines(lines).blocks
    assert [(str(b.kind), b.lines) for b in blocks][-2:] == [
        ("caption", (3, 4)), ("credit", (5, 5))]
    off = segment_lines(lines, OFF["text_lead"]).blocks
    assert ("headline", (3, 3)) in [(str(b.kind), b.lines) for b in off]


def test_interview_label_alone_on_its_line_opens_the_question() -> None:
    """text_lead, corpus d000: an interview's question label printed alone on
    its line (`7 问：`) opens a paragraph with the question under it; without
    the rule the label and the question's first line read as kicker and title."""
    lines = ["等方面的情况。",
             "7 问：",
             "《条例》在机关党务工作人员队",
             "伍建设方面有哪些具体措施？",
             "答：习近平总书记强调，做好新时代机"]
    blocks = segment_lines(lines).blocks
    assert [(str(b.kind), b.lines) for b in blocks][1:] == [
        ("paragraph", (2, 4)), ("paragraph", (5, 5))]
    off = segment_lines(lines, OFF["text_lead"]).blocks
    assert "headline" in [str(b.kind) for b in off]


@pytest.mark.parametrize("text", [
    "8日，交通运输部南海航海保障中心海口航标处", "近日，重庆南岸区弹子石老街张灯",
    "本报电 OPPO日前推出5G视频手机", "7问：", "问：为什么要专门出台",
])
def test_text_leads_are_never_heading_candidates(text: str) -> None:
    assert segment.classify(block(text), Config()).kind is Kind.PARAGRAPH
    assert segment.classify(block(text), OFF["text_lead"]).kind is Kind.HEADLINE


def test_title_over_a_subheadline_after_a_credit_is_no_caption() -> None:
    """caption_near_credit: a line after a photo credit that speaks of the story
    above is its caption, unless a `——` subheadline follows it: then it is
    that story's title, drawn below the photo (generated page)."""
    lines = [
        "岚县还出台了支持冰雪赛事的方案，明确了建设群众",
        "性冰雪活动的目标任务。岚县还出台了支持冰雪运动的方",
        "案，明确了普及群众性冰雪活动的目标任务。",
        "1月7日，运动员在岚县参加滑雪场活动。",
        "本报记者 范峰 摄",
        "建设青少年滑雪培训冰雪经济持续升温",
        "——岚县群众性冰雪活动多点发力",
        "本报西安1月24日电 （记者 肖伟） 石楼县把农村公路",
        "作为重点工作，畅通物流网络，群众出行更加便捷。",
    ]
    kinds = {block.text: block.kind for block in segment_lines(lines).blocks}
    assert kinds["建设青少年滑雪培训冰雪经济持续升温"] is Kind.HEADLINE


def test_text_after_a_byline_on_a_wide_line_is_no_title() -> None:
    """byline_pattern: `本报讯 （记者 邹鹏）截至1月底，全县已优化职业` is wider than
    the column with its byline; the text after the byline is the first
    paragraph's, not a title set across columns (generated page)."""
    lines = [
        "去年以来，兴县培育农产品加工，",
        "村集体经济不断壮大。种植大户黄",
        "瑜华说：“有了农村电商，乡亲们的",
        "腰包鼓了起来。”",
        "本报讯 （记者 邹鹏）截至1月底，全县已优化职业",
        "教育323处，投入资金21.4亿元。教研员付艳强说：“",
        "有了职业教育，家长的后顾之忧得到解决。”",
    ]
    kinds = {block.text: block.kind for block in segment_lines(lines).blocks}
    assert kinds.get("截至1月底，全县已优化职业") is not Kind.HEADLINE


def test_a_photo_report_under_a_byline_keeps_its_paragraphs() -> None:
    """photo_report, near miss: a byline over the text makes it a reported
    story with its photos; its paragraphs stay paragraphs."""
    lines = ["本报讯 （记者 刘浩娜）1月", "12日，在山东省烟台市南里必捷滑雪公园，",
             "小朋友体验雪圈滑雪。", "近日，烟台市各滑雪场迎来旅游旺季。", "孙文潭摄影报道"]
    kinds = [block.kind for block in segment_lines(lines).blocks]
    assert Kind.CAPTION not in kinds and kinds[-1] is Kind.CREDIT


def test_a_photo_report_longer_than_the_limit_keeps_its_paragraphs() -> None:
    """photo_report, near miss: text running on past ``max_photo_report_chars``
    over the credit is a story, not a caption."""
    lines = ["穿越飞石", "连日来，受持续雨雪天气影响，西藏林芝市察",
             "隅县察瓦龙乡滇藏新通道流沙区域出现大面积", "滑坡，导致车辆通行困难。",
             "1月9日13时20分，一辆面包车通过此路段时被", "飞石砸中无法移动，另有7名群众受困。",
             "经过近10分钟救援，被困人员和车辆脱险。", "鲜 敢 于 杰摄影报道"]
    assert Kind.CAPTION in [block.kind for block in segment_lines(lines).blocks]
    short = Config(max_photo_report_chars=20)
    assert Kind.CAPTION not in [block.kind for block in segment_lines(lines, short).blocks]


def test_a_dispatch_byline_alone_is_still_the_byline() -> None:
    """reprint_lead, near miss: `据新华社电 （记者王靖）` with no byline over it
    is the story's byline, cut off the text as before."""
    lines = ["军入伍。", "据新华社电 （记者王靖）蔡笃",
             "强，生于1950年，海南省琼海人，1991年", "督。"]
    kinds = [block.kind for block in segment_lines(lines).blocks]
    assert Kind.BYLINE in kinds


def test_user_dictionary_extends_reprint_leads(tmp_path: Path) -> None:
    """reprint_lead reads ``reprint_leads.txt``: a paper that reprints
    `新华社北京1月5日电` dispatches under its own bylines adds the pattern in
    its own folder (``--dict-dir``); the shipped list knows `据…电` only."""
    lines = ["□ 实习记者 贺燕亮", "新华社北京1月5日电 （记者胡喆）1月5",
             "日，我国研制的发射重量最重的卫星升空。"]
    assert [b.kind for b in segment_lines(lines).blocks].count(Kind.BYLINE) == 2
    (tmp_path / "reprint_leads.txt").write_text("^新华社\\S{1,12}?电\n", encoding="utf-8")
    user = Config(user_dictionaries=(tmp_path,))
    assert [b.kind for b in segment_lines(lines, user).blocks].count(Kind.BYLINE) == 1
