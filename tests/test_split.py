"""split: each named rule with the page that motivated it, the near misses it
must leave alone, and the same page with the rule switched off.

Split weighs evidence over a whole page, so most cases are small pages of
blocks (kinds as segment gives them) built from the seed page's own stories
(``samples/000``, read from its gold), and the assertions are about structure:
which headline goes with which body, block kinds, how many articles.  The seed
page itself is run once up to segment and split under each config.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from newsclean.config import Config
from newsclean.model import Article, Block, Kind, Page, page_from_text
from newsclean.pipeline import run
from newsclean.stages import segment, split

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
GOLD = json.loads((SAMPLES / "000_cb6bebe9d91324f1.gold.json").read_text("utf-8"))
#: The seed's paragraphs, in page order (P[0] `俗话说，…` … P[26] `下一步，交口县…`).
P = [b["text"] for a in GOLD["articles"] for b in a["blocks"] if b["kind"] == "paragraph"]

ON = Config()


def off(*rules: str) -> Config:
    return Config(disabled_rules=frozenset(rules))


KINDS = {
    "h": Kind.HEADLINE, "s": Kind.SUBHEADLINE, "b": Kind.BYLINE, "p": Kind.PARAGRAPH,
    "c": Kind.CREDIT, "cap": Kind.CAPTION,
}


def page(*spec: tuple[str, str]) -> Page:
    """A page of segmented blocks, one raw line each: ``("h", "金融扶贫遍地开花")``."""
    blocks = tuple(Block(KINDS[k], text, (n, n)) for n, (k, text) in enumerate(spec, start=1))
    return Page("test", (), blocks)


def articles(pg: Page, config: Config = ON) -> tuple[Article, ...]:
    return split.split_page(pg, config)


def outline(items: tuple[Article, ...]) -> list[tuple[str, list[str]]]:
    """Each article as its headline and its body blocks (`kind:first 8 chars`)."""
    return [(a.headline, [f"{b.kind}:{b.text[:8]}" for b in a.body]) for a in items]


def headlines(items: tuple[Article, ...]) -> list[tuple[str | None, str]]:
    return [(a.kicker, a.headline) for a in items]


FINANCE_HEAD = ("h", "金融扶贫为我市脱贫攻坚注入不竭动力")
FINANCE_BYLINE = ("b", "□实习记者王卫斌")
LAND_HEAD = ("h", "尉文龙刘晋萍收听收看全省农村乱占耕地建房问题整治工作推进会")
LAND_BYLINE = ("b", "本报讯（记者马温博）")
#: The seed's title `…全省农村` / `乱占耕地…` as printed over two lines.
LAND_KICKER, LAND_TITLE = "尉文龙刘晋萍收听收看全省农村", "乱占耕地建房问题整治工作推进会"


# --- the seed page, run once up to segment ---------------------------------------


@cache
def seed_segmented() -> Page:
    text = (SAMPLES / "000_cb6bebe9d91324f1.txt").read_text("utf-8")
    return run(page_from_text(text), ON, ("normalize", "rejoin", "dedupe", "segment"))


@cache
def seed_articles(*disabled: str) -> tuple[Article, ...]:
    return split.split_page(seed_segmented(), off(*disabled))


SEED_HEADLINES = [
    "金融扶贫为我市脱贫攻坚注入不竭动力",
    "我市电商产业发展如火如荼",
    "",  # the 丰收节 photo story: its title is not on the page
    "尉文龙刘晋萍收听收看全省农村乱占耕地建房问题整治工作推进会",
    "杨巨才出席全市9月份重点工程项目暨固定资产投资推进会",
    "刘晋萍主持召开中心城区建设项目推进专题会",
    "交口县冻绿叶药茶产业发展研讨会在太原举行",
]


def test_seed_headlines_printed_after_their_bodies_find_them() -> None:
    """assign_headings, seed 000: the titles of the first two stories are
    printed together after the second story's body; each goes to its own
    story, the first one two bodies away."""
    got = seed_articles()
    assert [a.headline for a in got] == SEED_HEADLINES
    assert got[0].byline == "□实习记者王卫斌" and got[1].byline == "本报讯（记者梁瑜）"


def test_seed_headlines_change_with_assign_headings_switched_off() -> None:
    assert [a.headline for a in seed_articles("assign_headings")] != SEED_HEADLINES


def test_seed_subheads_stay_inside_their_story() -> None:
    """subhead_cohesion, seed 000: `金融扶贫遍地开花`, `精准确定支持方向`,
    `创新金融扶贫产品` sit between parts of one 金融扶贫 story: subheads, not
    new articles (a near miss for a headline)."""
    first = seed_articles()[0]
    subheads = [b.text for b in first.body if b.kind is Kind.SUBHEAD]
    assert subheads == ["金融扶贫遍地开花", "精准确定支持方向", "创新金融扶贫产品"]
    assert len(seed_articles()) == 7


def test_seed_subheads_become_articles_with_subhead_cohesion_off() -> None:
    got = seed_articles("subhead_cohesion")
    assert len(got) > 7
    assert "金融扶贫遍地开花" in {a.kicker or a.headline for a in got}


def test_seed_two_line_titles_are_one_headline() -> None:
    """heading_phrases + phrase_in_body, seed 000: `尉文龙刘晋萍收听收看全省农村` /
    `乱占耕地建房问题整治工作推进会` is one title broken over two lines (its
    story says `全省农村乱占耕地建房问题整治工作推进会召开`), not kicker + headline."""
    assert [a.kicker for a in seed_articles()] == [None] * 7


@pytest.mark.parametrize("rule", ["heading_phrases", "phrase_in_body"])
def test_seed_two_line_titles_split_into_kicker_and_headline_without(rule: str) -> None:
    land = seed_articles(rule)[3]
    assert (land.kicker, land.headline) == (LAND_KICKER, LAND_TITLE)


def test_seed_bylines_open_their_own_stories() -> None:
    """strong_heading, seed 000: each title printed right before a byline opens
    a story of its own, whatever the meeting stories' shared words say."""
    assert [a.byline for a in seed_articles()][3:] == [
        "本报讯（记者马温博）", "本报讯（记者刘少伟）",
        "本报讯（记者穆佳妮）", "本报讯（记者冯凯治）",
    ]


def test_byline_under_a_byline_signs_the_same_story() -> None:
    """build_units, corpus: `□ 实习记者 贺燕亮` over `据新华社电 （记者陈凯姿）`
    sign one story; the second byline does not leave the first alone as a
    body for the title to take."""
    pg = page(FINANCE_HEAD, ("b", "□实习记者贺燕亮"), ("b", "据新华社电（记者陈凯姿）"),
              ("p", P[0]), ("p", P[1]), LAND_HEAD, LAND_BYLINE, ("p", P[15]))
    result = articles(pg)
    assert outline(result) == [
        (FINANCE_HEAD[1], ["paragraph:俗话说，一文钱逼", "paragraph:在总结完善已经形"]),
        (LAND_HEAD[1], ["paragraph:近日，全省农村乱"]),
    ]
    assert result[0].byline == "□实习记者贺燕亮 据新华社电（记者陈凯姿）"


def test_seed_meeting_stories_merge_with_strong_heading_off() -> None:
    assert len(seed_articles("strong_heading")) < 7


# --- heading_phrases, word_across_break, phrase_in_body -----------------------------

#: A story that uses the word 地表水 but never runs `地表` `水环` together.
WATER_BODY = (
    "宁夏回族自治区生态环境厅日前表示，今年起将按季度公布全区各城市地表水质量状况和排名，"
    "督促各地加快治理水污染，排名靠后的城市将被约谈。"
)
WATER_PAGE = page(
    ("h", "宁夏将按季度公布城市地表"), ("h", "水环境质量排名"),
    ("b", "本报银川1月6日电（记者张文）"), ("p", WATER_BODY),
)


def test_word_read_across_the_break_joins_a_title() -> None:
    """word_across_break, corpus: `宁夏将按季度公布城市地表` / `水环境质量排名`:
    jieba reads 地表水 across the break and the story uses that word."""
    assert headlines(articles(WATER_PAGE)) == [(None, "宁夏将按季度公布城市地表水环境质量排名")]


@pytest.mark.parametrize("rule", ["word_across_break", "heading_phrases"])
def test_word_across_break_switched_off_leaves_kicker_and_headline(rule: str) -> None:
    assert headlines(articles(WATER_PAGE, off(rule))) == [
        ("宁夏将按季度公布城市地表", "水环境质量排名")
    ]


def test_word_across_break_needs_the_word_in_a_story() -> None:
    """Near miss: the segmenter invents words for unknown names (`推进会` /
    `尉文龙` read as `会尉`); a word no story uses joins nothing."""
    assert split.word_across_break("宁夏将按季度公布城市地表", "水环境质量排名", WATER_BODY, ON)
    assert not split.word_across_break("宁夏将按季度公布城市地表", "水环境质量排名", "", ON)
    assert not split.word_across_break(LAND_TITLE, "尉文龙刘晋萍收听收看", "".join(P), ON)


LAND_PAGE = page(
    ("h", LAND_KICKER), ("h", LAND_TITLE), LAND_BYLINE, ("p", P[15]), ("p", P[16]),
)


def test_phrase_found_in_the_story_joins_a_title() -> None:
    """phrase_in_body, seed 000: `…收听收看全省农村` / `乱占耕地建房问题…`: the
    story runs `全省农村乱占耕地建房问题` together, so the break cut one title."""
    assert headlines(articles(LAND_PAGE)) == [
        (None, "尉文龙刘晋萍收听收看全省农村乱占耕地建房问题整治工作推进会")
    ]
    assert split.phrase_in_body(LAND_KICKER, LAND_TITLE, P[15], ON)


@pytest.mark.parametrize("rule", ["phrase_in_body", "heading_phrases"])
def test_phrase_in_body_switched_off_leaves_kicker_and_headline(rule: str) -> None:
    assert headlines(articles(LAND_PAGE, off(rule))) == [(LAND_KICKER, LAND_TITLE)]


KICKER_AND_BROKEN_TITLE = page(
    ("h", "蔡笃强："), ("h", "抓捕罪犯奋不顾身"),
    ("b", "本报讯（记者梁瑜）"), ("p", "近日，蔡笃强在抓捕罪犯时奋不顾身，受到群众称赞。"),
    ("h", "2020年脱贫攻坚成效（身边看“六稳”"), ("h", "）"),
    ("b", "本报讯（记者刘少伟）"), ("p", P[18]),
)


def test_colon_kicker_stays_apart_while_a_broken_bracket_joins() -> None:
    """heading_phrases: `蔡笃强：` is a kicker of its own (near miss), while
    `…（身边看“六稳”` / `）` is one title cut at an unclosed bracket."""
    assert headlines(articles(KICKER_AND_BROKEN_TITLE)) == [
        ("蔡笃强：", "抓捕罪犯奋不顾身"), (None, "2020年脱贫攻坚成效（身边看“六稳”）"),
    ]
    assert headlines(articles(KICKER_AND_BROKEN_TITLE, off("heading_phrases"))) == [
        ("蔡笃强：", "抓捕罪犯奋不顾身"), ("2020年脱贫攻坚成效（身边看“六稳”", "）"),
    ]


def test_column_tag_under_a_title_is_part_of_the_headline() -> None:
    """heading_phrases: `（科技大观）` on its own line under `2020，科技看点多`
    closes that title."""
    pg = page(("h", "2020，科技看点多"), ("h", "（科技大观）"), ("b", "本报讯（记者梁瑜）"),
              ("p", P[6]))
    assert headlines(articles(pg)) == [(None, "2020，科技看点多（科技大观）")]
    assert headlines(articles(pg, off("heading_phrases"))) == [("2020，科技看点多", "（科技大观）")]


# --- subhead_cohesion, heading_model, strong_heading ---------------------------------

SUBHEAD_PAGE = page(
    FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[1]), ("h", "金融扶贫遍地开花"), ("p", P[2]),
)


def test_subhead_between_two_parts_of_one_story() -> None:
    """subhead_cohesion, seed 000: `金融扶贫遍地开花` between two parts of the
    金融扶贫 story (no byline after it) is a subhead; one article."""
    assert outline(articles(SUBHEAD_PAGE)) == [(
        "金融扶贫为我市脱贫攻坚注入不竭动力",
        ["paragraph:俗话说，一文钱逼", "paragraph:在总结完善已经形", "subhead:金融扶贫遍地开花",
         "paragraph:近年来，在市委、"],
    )]


def test_subhead_becomes_a_story_with_subhead_cohesion_off() -> None:
    assert [a.headline for a in articles(SUBHEAD_PAGE, off("subhead_cohesion"))] == [
        "金融扶贫为我市脱贫攻坚注入不竭动力", "金融扶贫遍地开花",
    ]


def demoted(*lines: str, before: str = "近年来，金融扶贫成效明显。") -> list[str]:
    """``split._demote`` of a heading group of ``lines`` after a body ending ``before``."""
    group = split.Unit(True, [Block(Kind.HEADLINE, text, (n, n)) for n, text in enumerate(lines)])
    body = split.Unit(False, [Block(Kind.PARAGRAPH, before, (0, 0))])
    return [f"{b.kind}:{b.text}" for b in split._demote(group, body, body, ON)]


def test_a_two_line_subhead_keeps_both_lines_as_subheads() -> None:
    """subhead_cohesion, corpus d034: `放宽准入` / `企业迎来新机遇` is one subhead
    printed over two lines; both stay subheads, not the start of a paragraph."""
    assert demoted("放宽准入", "企业迎来新机遇") == ["subhead:放宽准入", "subhead:企业迎来新机遇"]


def test_a_subhead_may_list_with_dunhao() -> None:
    """corpus d025: `展品可听、可摸、可操作`: `、` lists within a subhead; a
    comma would make the line a paragraph's."""
    assert demoted("展品可听、可摸、可操作") == ["subhead:展品可听、可摸、可操作"]
    assert demoted("展品可听，可摸") == ["paragraph:展品可听，可摸"]


def test_a_subhead_over_a_paragraph_line_left_alone() -> None:
    """The line under a subhead that carries punctuation, or runs longer than a
    subhead, is a paragraph's first line (corpus d007, d010)."""
    assert demoted("组织有规范经费有保障", "出台离退休干部工作实施意见，丰") == [
        "subhead:组织有规范经费有保障", "paragraph:出台离退休干部工作实施意见，丰",
    ]
    assert demoted("携手做大蛋糕让各方受益", "在线二手交易红火发展对实体销售渠道产生巨大冲") == [
        "subhead:携手做大蛋糕让各方受益", "paragraph:在线二手交易红火发展对实体销售渠道产生巨大冲",
    ]


def deck(*lines: tuple[str, tuple[str, ...]], after: str = "去年上半年，消费者投诉增多。",
         config: Config = ON) -> list[str]:
    """``split._demote`` of a heading group of ``(text, evidence)`` lines
    between two bodies, the one after it opening with ``after``."""
    group = split.Unit(True, [Block(Kind.HEADLINE, text, (n, n), evidence)
                              for n, (text, evidence) in enumerate(lines, start=1)])
    above = split.Unit(False, [Block(Kind.PARAGRAPH, "近年来，健身消费成效明显。", (0, 0))])
    below = split.Unit(False, [Block(Kind.PARAGRAPH, after, (9, 9))])
    return [f"{b.kind}:{b.text}" for b in split._demote(group, above, below, config)]


SHORT = ("rejoin:short_line",)
RAN_ON = ("rejoin:short_line", segment.RAN_ON)


def test_long_line_rejoin_ended_short_under_a_subhead_is_its_deck() -> None:
    """subhead_deck, corpus d011: `健身服务亟待升级`, then its deck wrapped over
    two raw lines that rejoin joined and ended short (`有些健身房内卫生状况、
    器械完好程度` / `等不尽如人意`): one subhead, not a paragraph's first line."""
    lines = [("健身服务亟待升级", SHORT), ("有些健身房内卫生状况、器械完好程度", SHORT),
             ("等不尽如人意", RAN_ON)]
    assert deck(*lines) == ["subhead:健身服务亟待升级",
                            "subhead:有些健身房内卫生状况、器械完好程度等不尽如人意"]
    assert deck(*lines, config=off("subhead_deck")) == [
        "subhead:健身服务亟待升级", "paragraph:有些健身房内卫生状况、器械完好程度",
        "paragraph:等不尽如人意",
    ]


def test_a_subhead_has_one_deck() -> None:
    """subhead_deck near miss, corpus d001: under `环境变美了——` / `林场向沙漠
    腹地挺进了14公里`, the next long line is a line of its own, not the deck's
    (`临泽县平川镇黄家堡村以北的`, then `“葱蓉林场”，…`): the paragraph's first line."""
    assert deck(("环境变美了——", SHORT), ("林场向沙漠腹地挺进了14公里", SHORT),
                ("临泽县平川镇黄家堡村以北的", SHORT)) == [
        "subhead:环境变美了——", "subhead:林场向沙漠腹地挺进了14公里",
        "paragraph:临泽县平川镇黄家堡村以北的",
    ]


def test_line_set_apart_for_its_bullet_is_a_subhead_however_long() -> None:
    """corpus d018: `●确保养老服务既放得开、又管得住` (16 characters, over the
    12 a plain subhead may have), set apart by rejoin's ``bullet_title``."""
    bulleted = ("●确保养老服务既放得开、又管得住", ("rejoin:bullet_title",))
    assert deck(bulleted) == ["subhead:●确保养老服务既放得开、又管得住"]
    assert deck((bulleted[0], SHORT)) == ["paragraph:●确保养老服务既放得开、又管得住"]
    assert deck(bulleted, config=off("title_shaped_subhead")) == [
        "paragraph:●确保养老服务既放得开、又管得住",
    ]


def test_title_shaped_lines_broken_mid_word_are_one_subhead() -> None:
    """corpus d037: rejoin set `年底前技能人员水平评价类职业` and `资格全部转为
    职业技能等级认定` apart as titles (``title_over_indent``); in the story
    they are one subhead, the word 职业资格 running across the break."""
    title = ("rejoin:title_over_indent",)
    lines = ("年底前技能人员水平评价类职业", title), ("资格全部转为职业技能等级认定", title)
    assert deck(*lines) == [
        "subhead:年底前技能人员水平评价类职业资格全部转为职业技能等级认定",
    ]
    assert deck(*lines, config=off("title_shaped_subhead"))[0].startswith("paragraph:")


def test_line_whose_word_runs_on_into_the_text_is_no_deck() -> None:
    """subhead_deck near miss, corpus d010: `在线二手交易红火发展对实体销售渠道
    产生巨大冲` ends short only because the column estimate left `击。` apart;
    the word 冲击 runs on across the break, so the line opens a paragraph."""
    assert deck(("携手做大蛋糕让各方受益", SHORT),
                ("在线二手交易红火发展对实体销售渠道产生巨大冲", SHORT), after="击。") == [
        "subhead:携手做大蛋糕让各方受益", "paragraph:在线二手交易红火发展对实体销售渠道产生巨大冲",
    ]


def test_long_line_that_rejoin_did_not_end_short_is_no_deck() -> None:
    """subhead_deck near miss: a long line under a subhead that rejoin glued
    from the pieces of one printed line (``fragment_fill``), neither ended
    short nor set as a title, is a paragraph's first line."""
    assert deck(("携手做大蛋糕让各方受益", SHORT),
                ("在线二手交易红火发展对实体销售渠道", ("rejoin:fragment_fill",))) == [
        "subhead:携手做大蛋糕让各方受益", "paragraph:在线二手交易红火发展对实体销售渠道",
    ]


def test_no_subhead_after_a_sentence_that_runs_on() -> None:
    """Near miss: after a line that does not end a sentence, a short line
    continues that sentence."""
    assert demoted("放宽准入", before="近年来，金融扶贫") == ["paragraph:放宽准入"]


TEA_AFTER_FINANCE = page(
    FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[1]),
    ("h", "交口县冻绿叶药茶产业发展研讨会在太原举行"), ("p", P[24]), ("p", P[25]),
)


def test_headline_between_two_unrelated_stories_stays_a_headline() -> None:
    """Near miss for subhead_cohesion: with no byline after it, a title between
    the 金融扶贫 story and the 药茶 story (which share no words) still opens a story."""
    assert [a.headline for a in articles(TEA_AFTER_FINANCE)] == [
        "金融扶贫为我市脱贫攻坚注入不竭动力", "交口县冻绿叶药茶产业发展研讨会在太原举行",
    ]
    # Twin: the same page with every heading judged a subhead by the model merges.
    assert len(articles(TEA_AFTER_FINANCE, ON.replace(heading_threshold=1.01))) == 1


#: The 电商 story, then a title over the last part of the 金融扶贫 story: two
#: stories that share words (扶贫, 金融, 市委) and no byline between them.
TITLE_BETWEEN_RELATED_STORIES = page(
    ("h", "我市电商产业发展如火如荼"), ("b", "本报讯（记者梁瑜）"), ("p", P[6]), ("p", P[7]),
    ("h", "创新金融扶贫产品"), ("p", P[4]), ("p", P[5]),
)


def test_heading_model_keeps_a_title_the_fixed_rules_would_demote() -> None:
    """heading_model: the bodies around `创新金融扶贫产品` share words, so the
    fixed cohesion rule reads them as one story; the model weighs how well the
    title covers the body after it and keeps two stories."""
    assert [a.headline for a in articles(TITLE_BETWEEN_RELATED_STORIES)] == [
        "我市电商产业发展如火如荼", "创新金融扶贫产品",
    ]
    assert [a.headline for a in articles(TITLE_BETWEEN_RELATED_STORIES, off("heading_model"))] == [
        "我市电商产业发展如火如荼"
    ]


def test_heading_features_are_named_and_finite() -> None:
    units = split.build_units(TITLE_BETWEEN_RELATED_STORIES.blocks)
    features = split.heading_features(units, 1, split.PageLexicon.of(units, ON))
    assert features["byline_follows"] == 0.0 and features["covers_next_body"] > 0
    assert all(value == value and abs(value) < 1e6 for value in features.values())


def test_seed_titles_printed_under_their_stories_stay_titles() -> None:
    """titles_stories_above, seed 000: `金融扶贫为我市脱贫攻坚注入不竭动力` /
    `我市电商产业发展如火如荼`, printed under the 电商 body and over the
    丰收节 photo story, title the two stories above them; the model alone
    reads a group covering the body above it as that story's subhead."""
    got = seed_articles()
    assert [a.headline for a in got[:2]] == SEED_HEADLINES[:2]
    assert len(got) == 7


def test_seed_titles_under_their_stories_fold_into_the_text_without_titles_stories_above() -> None:
    got = seed_articles("titles_stories_above")
    assert [a.headline for a in got[:2]] == ["", ""]


def test_group_titling_the_body_after_it_is_left_to_the_model() -> None:
    """Near miss for titles_stories_above: `我市电商产业发展如火如荼` /
    `创新金融扶贫产品` between the 电商 body (which the first phrase titles,
    .56) and the 金融扶贫 text (which the second titles, .85) titles two
    stories, but one of them below it, as a title over its text does: the
    rule says nothing and leaves the group to the model."""
    units = split.build_units(TITLE_BETWEEN_RELATED_STORIES.blocks)
    units[2].blocks.insert(0, Block(Kind.HEADLINE, "我市电商产业发展如火如荼", (98, 98)))
    context = split.PageLexicon.of(units, ON)
    assert len(split.heading_phrases(units[2], 2, ON, split._body_text(units))) == 2
    assert not split._titles_stories_above(units, 2, context, ON)


#: Pages the generator made (newsclean.synth), kept as text so that a change
#: to the generator does not move the cases under the tests.
CASES = Path(__file__).parent / "cases"


def synthetic_articles(name: str, *disabled: str) -> tuple[Article, ...]:
    text = (CASES / name).read_text("utf-8")
    segmented = run(page_from_text(text), ON, ("normalize", "rejoin", "dedupe", "segment"))
    return split.split_page(segmented, off(*disabled))


def synthetic_headlines(name: str, *disabled: str) -> list[str]:
    return [a.headline for a in synthetic_articles(name, *disabled)]


#: A generated page where a stretch of the 石楼县 story's text that rejoin
#: left as a heading group stands between two parts of that story.
REJUDGED_PAGE, REJUDGED_TEXT = "synth_rejudged_text.txt", "截至5月底，全县已扶持农村电商553项"


def test_line_between_a_story_and_its_rejoined_part_is_judged_again() -> None:
    """rejudge_after_demotion, a generated page: text of the 石楼县 story
    that rejoin left alone (`截至5月底，全县已扶持农村电商553项，…`) stands
    between two parts of that story.  Judged against the part a demoted
    subhead cut off, it is a title; once the subhead is demoted and the story
    whole, it goes back to the text, and the page's real titles stay."""
    headlines = synthetic_headlines(REJUDGED_PAGE)
    assert not any(REJUDGED_TEXT in headline for headline in headlines)
    assert "石楼县对接“扶贫车间”（产业观察）" in headlines


def test_rejudge_after_demotion_switched_off_leaves_the_line_a_title() -> None:
    headlines = synthetic_headlines(REJUDGED_PAGE, "rejudge_after_demotion")
    assert any(REJUDGED_TEXT in headline for headline in headlines)


def finance_with(*heading: tuple[str, str]) -> Page:
    """The 金融扶贫 story cut in two by ``heading``: bodies that read as one story."""
    return page(FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[2]), *heading,
                ("p", P[3]), ("p", P[4]))


@pytest.mark.parametrize(
    "heading",
    [
        [("h", "金融扶贫打开新天地（金融观察）")],
        [("h", "精准确定支持方向"), ("b", "本报讯（记者梁瑜）")],
    ],
    ids=["column_tag", "byline_after"],
)
def test_strong_heading_opens_a_story_between_cohesive_bodies(heading: list) -> None:
    """strong_heading, corpus: a column tag (`（生活漫步）`) or a byline right
    after makes a new story whatever the bodies' words say."""
    assert len(articles(finance_with(*heading))) == 2
    assert len(articles(finance_with(*heading), off("strong_heading"))) == 1


def test_strong_heading_sees_a_column_tag_broken_over_lines() -> None:
    """strong_heading, corpus `武术入青奥打开新天地（体坛观` / `澜）`: the tag is
    found across the lines; the fixed rules (model off) look line by line."""
    pg = finance_with(("h", "金融扶贫打开新天地（金融观"), ("h", "察）"))
    assert len(articles(pg, off("heading_model"))) == 2
    assert len(articles(pg, off("heading_model", "strong_heading"))) == 1


def test_title_over_a_photo_caption_is_the_photo_story_title() -> None:
    """strong_heading, corpus: `图片报道` printed between two parts of a story,
    right over a caption and its credit, titles the photo; a story's subhead
    is followed by its text, never by a caption."""
    pg = page(FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[2]), ("h", "图片报道"),
              ("cap", SPORTS_CAPTION), ("c", "新华社记者 雒圆摄"),
              LAND_HEAD, LAND_BYLINE, ("p", P[15]), ("p", P[16]))
    photo = ("图片报道", ["caption:1月5日，美国选", "credit:新华社记者 雒圆"])
    assert photo in outline(articles(pg))
    assert "图片报道" not in [a.headline for a in articles(pg, off("strong_heading"))]


@pytest.mark.parametrize("line, caption", [
    ("《义勇军进行曲》演", "奏完毕，国旗升起。"),
    ("1月2日，第九届冰雕比赛在哈尔滨冰", "雪大世界进行第三天的比赛。"),
])
def test_paragraph_line_over_a_caption_is_no_photo_title(line: str, caption: str) -> None:
    """Near misses, corpus: a paragraph's first line left over the caption
    runs a word into it (`演` / `奏`) or holds a clause: no strong title."""
    unit, after = split.Unit(True, [Block(Kind.HEADLINE, line, (1, 1))]), split.Unit(
        False, [Block(Kind.CAPTION, caption, (2, 2)), Block(Kind.CREDIT, "刘帅冶摄", (3, 3))])
    assert not split._strong_heading(unit, after, ON)


# --- section_label --------------------------------------------------------------------

SECTION_PAGE_SPEC = (
    ("h", "新闻速递"), ("h", "我市电商扶贫成效显著"), ("p", P[8]),
    ("h", "交口县药茶研讨会召开"), ("p", P[24]),
    ("h", "让乡规民约“活”起来（代表之声）"), ("p", P[16]), ("p", P[17]),
)
SECTION_PAGE = page(*SECTION_PAGE_SPEC)


def test_briefs_under_a_section_label_are_one_article() -> None:
    """section_label, corpus: under `新闻速递` each brief's one-line title is a
    subhead of one article, until a title with a column tag ends the section."""
    assert outline(articles(SECTION_PAGE)) == [
        ("新闻速递", ["subhead:我市电商扶贫成效", "paragraph:完善电商扶贫农特",
                      "subhead:交口县药茶研讨会", "paragraph:近日，交口县冻绿"]),
        ("让乡规民约“活”起来（代表之声）",
         ["paragraph:会议指出，开展农", "paragraph:会议强调，各级各"]),
    ]


def test_photo_story_after_the_briefs_ends_the_section() -> None:
    """section_label, corpus: `穿越飞石` after the last brief titles a photo
    story (its text ends on a photo credit `鲜敢于杰摄影报道`), not a brief."""
    pg = page(*SECTION_PAGE_SPEC[:5], ("h", "穿越飞石"), ("p", SPORTS_CAPTION),
              ("c", "鲜敢于杰摄影报道"))
    no_demotion = off("subhead_cohesion")  # this rule alone, not the heading model
    assert outline(articles(pg, no_demotion))[-1] == (
        "穿越飞石", ["paragraph:1月5日，美国选", "credit:鲜敢于杰摄影报道"])
    pg = page(*SECTION_PAGE_SPEC[:5], ("h", "穿越飞石"), ("p", SPORTS_CAPTION))
    assert outline(articles(pg, no_demotion))[-1][0] == "新闻速递"


def test_long_story_after_the_briefs_ends_the_section() -> None:
    """section_label, corpus: `荷兰博物馆现场开放名画修复过程` after the last
    brief under `微阅读` heads 1315 characters, no brief (briefs run 148–377)."""
    story = [("p", text) for text in P[:6]]
    assert sum(len(text) for _k, text in story) > ON.max_brief_chars
    pg = page(*SECTION_PAGE_SPEC[:5], ("h", "荷兰博物馆现场开放名画修复过程"), *story)
    no_demotion = off("subhead_cohesion")
    assert headlines(articles(pg, no_demotion))[-1] == (None, "荷兰博物馆现场开放名画修复过程")


def test_section_label_is_never_a_subhead() -> None:
    """strong_heading, corpus: `新闻速递` over a brief's title, printed under a
    story whose words the brief shares, still opens the briefs."""
    pg = finance_with(("h", "新闻速递"), ("h", "我市金融扶贫成效显著"))
    assert headlines(articles(pg))[-1] == (None, "新闻速递")


def test_section_label_switched_off_is_a_kicker() -> None:
    got = articles(SECTION_PAGE, off("section_label"))
    assert headlines(got)[0] == ("新闻速递", "我市电商扶贫成效显著")


# --- continuation, photo_box ----------------------------------------------------------

CONTINUED_PAGE_SPEC = (
    FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[1]),
    LAND_HEAD, LAND_BYLINE, ("p", P[15]), ("p", P[16]), ("p", P[17]),
)

CONTINUED_PAGE = page(*CONTINUED_PAGE_SPEC, ("h", "创新金融扶贫产品"), ("p", P[4]), ("p", P[5]))


def test_body_reading_on_from_an_earlier_story_is_its_continuation() -> None:
    """continuation, corpus: the 金融扶贫 story's last part, printed under the
    耕地 story with a weak title and no byline, goes back to the 金融扶贫 story,
    its title a subhead."""
    assert outline(articles(CONTINUED_PAGE)) == [
        ("金融扶贫为我市脱贫攻坚注入不竭动力",
         ["paragraph:俗话说，一文钱逼", "paragraph:在总结完善已经形", "subhead:创新金融扶贫产品",
          "paragraph:市委、市政府引导", "paragraph:行百里者半九十。"]),
        (LAND_HEAD[1], ["paragraph:近日，全省农村乱", "paragraph:会议指出，开展农",
                        "paragraph:会议强调，各级各"]),
    ]


def test_continuation_switched_off_leaves_a_story_of_its_own() -> None:
    assert [a.headline for a in articles(CONTINUED_PAGE, off("continuation"))] == [
        "金融扶贫为我市脱贫攻坚注入不竭动力", LAND_HEAD[1], "创新金融扶贫产品",
    ]


def test_body_with_a_byline_is_never_a_continuation() -> None:
    """Near miss: the same body opening with a byline is a story of its own,
    while without the byline it goes back to the 金融扶贫 story."""
    pg = page(*CONTINUED_PAGE_SPEC, ("h", "创新金融扶贫产品"), ("b", "本报讯（记者梁瑜）"),
              ("p", P[4]), ("p", P[5]))
    assert len(articles(pg)) == 3
    assert len(articles(CONTINUED_PAGE)) == 2


SPORTS_CAPTION = "1月5日，美国选手福斯特在短道速滑比赛中冲刺。"
FINANCE_CAPTION = "吕梁市金融部门工作人员为贫困户办理扶贫小额贷款。"
PHOTO_PAGE = page(
    FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[2]),
    ("p", SPORTS_CAPTION), ("c", "新华社记者 雒圆摄"), ("p", P[3]),
    ("p", FINANCE_CAPTION), ("c", "记者 郭炳中 摄"),
)


def test_foreign_caption_under_a_story_is_a_photo_story() -> None:
    """photo_box, corpus: `1月5日，美国选手福斯特在比赛中。` / `新华社记者 雒 圆摄`
    printed under the 金融扶贫 story's paragraph shares none of its words: a photo
    story of its own, the text after it still the 金融扶贫 story's.  Near miss:
    a caption in the story's words (`…为贫困户办理扶贫小额贷款`) stays with it."""
    assert outline(articles(PHOTO_PAGE)) == [
        ("金融扶贫为我市脱贫攻坚注入不竭动力",
         ["paragraph:俗话说，一文钱逼", "paragraph:近年来，在市委、", "paragraph:我市精准确定了金",
          "paragraph:吕梁市金融部门工", "credit:记者 郭炳中 摄"]),
        ("", ["caption:1月5日，美国选", "credit:新华社记者 雒圆"]),
    ]


def test_photo_box_switched_off_leaves_the_caption_in_the_story() -> None:
    assert len(articles(PHOTO_PAGE, off("photo_box"))) == 1


PICTURED_PAGE = page(
    FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[2]), ("p", P[3]),
    ("p", "金融扶贫让贫困户有了致富门路。图为" + FINANCE_CAPTION), ("c", "记者 郭炳中 摄"),
)


def test_caption_telling_what_the_picture_shows_is_a_photo_story() -> None:
    """pictured_caption, corpus d026: a caption in the story's own words
    (`…开始了新生活。图为近日，在江西余干县…的渔船。` under the 长江 commentary)
    says with `图为` that it tells a picture: a photo story of its own,
    where the same caption without it stays in the story (see above)."""
    assert outline(articles(PICTURED_PAGE)) == [
        ("金融扶贫为我市脱贫攻坚注入不竭动力",
         ["paragraph:俗话说，一文钱逼", "paragraph:近年来，在市委、",
          "paragraph:我市精准确定了金"]),
        ("", ["caption:金融扶贫让贫困户", "credit:记者 郭炳中 摄"]),
    ]
    assert len(articles(PICTURED_PAGE, off("pictured_caption"))) == 1


def test_foreign_caption_under_a_short_last_paragraph_is_a_photo_story() -> None:
    pg = page(FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[1]),
              ("p", SPORTS_CAPTION), ("c", "新华社记者 雒圆摄"), ("p", P[2]))
    assert len(articles(pg)) == 2


def test_text_after_a_photo_under_a_signed_off_story_is_another_story() -> None:
    """photo_box, corpus: `…（作者为中央党校原副校长…）` / caption / `本报记者 孙广勇摄`
    / `在实现中华民族伟大复兴的关键时期，…`: the signature closed the story,
    so the text after the photo is not its continuation but the body of the
    title printed further down (`强大治理效能令人信服（大家手笔）`)."""
    signature = Block(Kind.PARAGRAPH, "（作者为中央党校原副校长）", (5, 5),
                      ("segment:closing_dateline",))
    pg = Page("test", (), (
        Block(Kind.HEADLINE, FINANCE_HEAD[1], (1, 1)),
        Block(Kind.PARAGRAPH, P[0], (2, 2)), Block(Kind.PARAGRAPH, P[1], (3, 3)),
        Block(Kind.PARAGRAPH, P[2], (4, 4)), signature,
        Block(Kind.PARAGRAPH, SPORTS_CAPTION, (6, 6)),
        Block(Kind.CREDIT, "新华社记者雒圆摄", (7, 7)),
        Block(Kind.PARAGRAPH, P[15], (8, 8)), Block(Kind.PARAGRAPH, P[16], (9, 9)),
        Block(Kind.HEADLINE, "整治乱占耕地建房（大家手笔）", (10, 10)),
    ))
    assert outline(articles(pg)) == [
        (FINANCE_HEAD[1], ["paragraph:俗话说，一文钱逼", "paragraph:" + P[1][:8],
                           "paragraph:" + P[2][:8], "paragraph:（作者为中央党校"]),
        ("", ["caption:1月5日，美国选", "credit:新华社记者雒圆摄"]),
        ("整治乱占耕地建房（大家手笔）",
         ["paragraph:近日，全省农村乱", "paragraph:会议指出，开展农"]),
    ]


def test_photo_story_under_its_own_byline_is_not_cut_from_it() -> None:
    """photo_box near miss, corpus: `空中步道风景独好` / `本报讯（记者 邱明）` /
    `1月1日，厦门空中健康步道游人如织。…` / `魏永青摄`: the text over the credit
    is the story itself, a byline alone above it is no story to cut it from."""
    pg = page(("h", "空中步道风景独好"), ("b", "本报讯（记者邱明）"),
              ("p", "1月1日，厦门空中健康步道游人如织。"), ("c", "魏永青摄（影像中国）"))
    assert outline(articles(pg)) == [
        ("空中步道风景独好", ["paragraph:1月1日，厦门空", "credit:魏永青摄（影像中"]),
    ]


def test_photo_story_with_a_one_paragraph_lead_is_not_cut_in_two() -> None:
    """photo_box near miss, corpus: `雪落有人知` / byline / `1月5日，河北石家庄
    正定古城银装素裹。…` / `据中央气象台预报，…` / `梁子栋摄`: one paragraph
    after the byline is the photo story's lead, not a story the photo
    interrupted, though the two paragraphs share no words."""
    pg = page(("h", "雪落有人知"), ("b", "本报讯（记者卢涛）"),
              ("p", "1月5日，河北石家庄正定古城银装素裹。为保障游人安全，工作人员冒雪打扫。"),
              ("p", "据中央气象台预报，河北西南部、河南中北部、山西南部等地的部分地区有大雪。"),
              ("c", "梁子栋摄（新华社发）"))
    assert len(articles(pg)) == 1


# --- editor_note ----------------------------------------------------------------------

NOTED_PAGE = page(
    FINANCE_HEAD, ("p", P[0]), ("p", P[1]), ("p", "——编者"),
    ("h", "交口县药茶研讨会召开"), ("p", P[24]), ("p", P[25]),
)


def test_heading_under_an_editor_note_is_the_story_subhead() -> None:
    """editor_note, corpus: `——编者` signs the note that opens a story;
    `健身消费一路走俏` under it is that story's first subhead, whatever the
    words say, not the title of a new story (a byline after it still opens one)."""
    assert outline(articles(NOTED_PAGE)) == [
        (FINANCE_HEAD[1], ["paragraph:俗话说，一文钱逼", "paragraph:在总结完善已经形",
                           "paragraph:——编者",
                           "subhead:交口县药茶研讨会", "paragraph:近日，交口县冻绿",
                           "paragraph:" + P[25][:8]]),
    ]


def test_editor_note_switched_off_leaves_a_new_story() -> None:
    assert len(articles(NOTED_PAGE, off("editor_note"))) == 2


# --- text_under_title -----------------------------------------------------------------

UNDER_TAG_PAGE = page(
    FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]),
    ("h", "矛盾村如今变了样（一线行走）"), ("h", "实实在在的变化，既要靠发展思路"),
    ("h", "的创新，更要靠村干部的担当作为。"[:-1]), ("p", P[16]), ("p", P[17]),
)


def test_clauses_under_a_tagged_title_open_its_body() -> None:
    """text_under_title, corpus: `矛盾村如今变了样（一线行走）` / `实实在在的变化，
    既要靠发展思路` / `的创新，更要靠村干部的担当作为` / body: the tag closes the
    title; the lines with clauses under it are the body's first sentence."""
    got = articles(UNDER_TAG_PAGE)
    assert headlines(got)[-1] == (None, "矛盾村如今变了样（一线行走）")
    assert got[-1].body[0].text.startswith("实实在在的变化，既要靠发展思路的创新，")


def test_text_under_title_switched_off_leaves_the_lines_a_heading() -> None:
    got = articles(UNDER_TAG_PAGE, off("text_under_title"))
    assert headlines(got)[1:] == [
        (None, "矛盾村如今变了样（一线行走）"),
        ("实实在在的变化，既要靠发展思路", "的创新，更要靠村干部的担当作为"),
    ]


def test_title_under_a_tagged_title_is_another_story_title() -> None:
    """_accepts, corpus: `让群众的幸福稳稳的（今日谈）` over `图片报道`: only a
    `——` subheadline follows a tagged title, so one body never takes both."""
    tagged = split.Phrase(0, 0, [Block(Kind.HEADLINE, "让群众的幸福稳稳的（今日谈）", (1, 1))])
    title = split.Phrase(0, 1, [Block(Kind.HEADLINE, "图片报道", (2, 2))])
    dash = split.Phrase(0, 1, [Block(Kind.SUBHEADLINE, "——写在座谈会召开之际", (2, 2))])
    assert not split._accepts([tagged], title)
    assert split._accepts([tagged], dash)


def phrases_of(*groups: tuple[str, ...]) -> list[split.Phrase]:
    """One title phrase for each group of lines."""
    return [split.Phrase(0, i, [Block(Kind.HEADLINE, line, (n, n)) for n, line in enumerate(g)])
            for i, g in enumerate(groups)]


def roles_of(*groups: tuple[str, ...], config: Config = ON, house: bool = False) -> list[str]:
    """The kinds ``heading_blocks`` gives phrases of the lines in ``groups``
    (``house``: the page sets its titles over undashed subheadlines)."""
    heading, _opening = split.heading_blocks(phrases_of(*groups), config, house)
    return [f"{b.kind}:{b.text}" for b in heading]


def test_title_set_larger_than_the_line_under_it_is_the_headline() -> None:
    """larger_type, corpus d032: `铁路公安严厉打击倒卖车` / `票` wraps at eleven
    cells, `破获倒票案件2782起缴获假火车` under it runs to fifteen: the first is
    set larger, the headline, and the second its subheadline."""
    title, deck = ("铁路公安严厉打击倒卖车", "票"), ("破获倒票案件2782起缴获假火车", "票12.1万余张")
    assert roles_of(title, deck) == [
        "headline:铁路公安严厉打击倒卖车票", "subheadline:破获倒票案件2782起缴获假火车票12.1万余张",
    ]
    assert roles_of(title, deck, config=off("larger_type")) == [
        "kicker:铁路公安严厉打击倒卖车票", "headline:破获倒票案件2782起缴获假火车票12.1万余张",
    ]


RAIL_TITLE = ("铁路公安严厉打击倒卖车", "票")
RAIL_DECK = ("破获倒票案件2782起缴获假火车", "票12.1万余张")


def test_page_whose_titles_wrap_larger_sets_undashed_subheadlines() -> None:
    """page_subheadline_style, corpus d032: the wrap of `铁路公安严厉打击倒卖车` /
    `票` over `破获倒票案件2782起缴获假火车` / `票12.1万余张` shows the page's
    house style, so `大范围雨雪天气将现中东部` over `华北黄淮等地有雾或霾` on
    the same page is headline and subheadline, not kicker and headline."""
    assert split.page_sets_subheadlines({3: phrases_of(RAIL_TITLE, RAIL_DECK)}, ON)
    title, deck = ("大范围雨雪天气将现中东部",), ("华北黄淮等地有雾或霾",)
    assert roles_of(title, deck, house=True) == [
        "headline:大范围雨雪天气将现中东部", "subheadline:华北黄淮等地有雾或霾",
    ]
    assert roles_of(title, deck) == [
        "kicker:大范围雨雪天气将现中东部", "headline:华北黄淮等地有雾或霾",
    ]


def test_page_subheadline_style_switched_off_leaves_kicker_and_headline() -> None:
    rule_off = off("page_subheadline_style")
    assert not split.page_sets_subheadlines({3: phrases_of(RAIL_TITLE, RAIL_DECK)}, rule_off)
    assert roles_of(("大范围雨雪天气将现中东部",), ("华北黄淮等地有雾或霾",),
                    config=rule_off, house=True)[0] == "kicker:大范围雨雪天气将现中东部"


def test_short_tag_or_lead_in_stays_a_kicker_in_the_house_style() -> None:
    """Near misses of page_subheadline_style: `赵克志强调` (corpus d032, 5 cells
    over 18) is a tag naming the speaker, and a phrase ending on `——` leads
    into the title under it, whatever the page's style."""
    speaker, title = ("赵克志强调",), ("纵深推进打击治理电信网络新型违法犯罪",)
    assert roles_of(speaker, title, house=True) == [
        "kicker:赵克志强调", "headline:纵深推进打击治理电信网络新型违法犯罪",
    ]
    lead_in = ("习近平总书记在主题教育总结大会上重要讲话指明方向——",)
    assert roles_of(lead_in, ("新时代夺取新胜利的根本遵循",), house=True)[0].startswith("kicker:")


def test_kicker_broken_by_design_shows_no_house_style() -> None:
    """Near miss (corpus d003 read by OCR): `最高法出台意见强化` / `善意文明执行理念`
    over a one-line `严格禁止超标的查封和乱查封`: only one title runs over lines,
    so nothing measures the type sizes against each other for the page."""
    kicker, title = ("最高法出台意见强化", "善意文明执行理念"), ("严格禁止超标的查封和乱查封",)
    assert not split.page_sets_subheadlines({3: phrases_of(kicker, title)}, ON)


def test_two_titles_on_a_line_each_stay_kicker_and_headline() -> None:
    """Near miss: nothing wraps, so nothing tells the type sizes apart; the
    usual 引题 + 主题 layout stands (`刘鹤会见…时表示` / `共同为…贡献力量`)."""
    kicker, title = "刘鹤会见国际科技合作奖获奖外国专家时表示", "共同为中国发展、人类进步贡献力量"
    assert roles_of((kicker,), (title,)) == [f"kicker:{kicker}", f"headline:{title}"]


def test_a_title_further_from_a_byline_body_needs_its_words() -> None:
    """assign_headings, corpus: `杭州东站提升服务质量，满足旅客需求` / `暖服务+
    黑科技，出行舒心又便利` / `沈阳医保业务“掌上”办理` / byline: the middle title
    shares words with the story above, none with the one below; the byline's
    pull reaches the title right over it, and half as far one line up."""
    pg = page(("p", P[0]), ("p", P[1]), ("p", P[2]), ("h", "金融扶贫为我市脱贫攻坚注入不竭动力"),
              ("h", "资金支持舒心又便利"), LAND_HEAD, LAND_BYLINE, ("p", P[15]), ("p", P[16]))
    kicker = "金融扶贫为我市脱贫攻坚注入不竭动力"
    assert headlines(articles(pg))[0] == (kicker, "资金支持舒心又便利")
    flat = headlines(articles(pg, Config(prior_decay=1.0)))
    assert flat[0] == (None, "金融扶贫为我市脱贫攻坚注入不竭动力")


def test_photo_label_goes_to_the_photo_story() -> None:
    """assign_headings, corpus: a cartoon's verse and its credit `曹一图燕陆文`,
    then `图片报道` over `比捐款更宝贵的是精神财富（纵横）` and its story: the
    photo label (``dictionaries/photo_labels.txt``) titles the story with a
    picture credit, never the commentary printed under it."""
    pg = page(("cap", SPORTS_CAPTION), ("c", "曹一图燕陆文"), ("h", "图片报道"),
              ("h", "乡规民约要“活”起来"), LAND_BYLINE, ("p", P[16]), ("p", P[17]))
    assert headlines(articles(pg)) == [(None, "图片报道"), (None, "乡规民约要“活”起来")]


def test_photo_label_is_its_photo_whole_title() -> None:
    """assign_headings, corpus: `图片报道` / `瞩目“最具吸引力的地方”（和音）`
    printed under a photo whose commentary body went elsewhere: the label is
    the photo's whole title; the commentary's title is not its headline."""
    label = split.Phrase(0, 0, [Block(Kind.HEADLINE, "图片报道", (1, 1))])
    title = split.Phrase(0, 1, [Block(Kind.HEADLINE, "瞩目“最具吸引力的地方”（和音）", (2, 2))])
    assert not split._accepts([label], title, ("图片报道",))
    assert split._accepts([label], title)


def test_photo_under_a_signed_off_story_is_cut_whatever_its_words() -> None:
    """photo_box, corpus: `（本报内比都1月12日电）` closes the 中缅 story; the
    caption under it (`1月10日，在中缅油气管道项目…`) shares its words, yet is
    another story's: a signed-off story has no more lines."""
    pg = Page("test", (), (
        Block(Kind.HEADLINE, FINANCE_HEAD[1], (1, 1)),
        Block(Kind.PARAGRAPH, P[0], (2, 2)), Block(Kind.PARAGRAPH, P[1], (3, 3)),
        Block(Kind.PARAGRAPH, "（本报吕梁9月27日电）", (4, 4), ("segment:closing_dateline",)),
        Block(Kind.PARAGRAPH, FINANCE_CAPTION, (5, 5)), Block(Kind.CREDIT, "记者郭炳中摄", (6, 6)),
    ))
    assert [len(a.body) for a in articles(pg)] == [3, 2]


def test_on_a_tie_the_title_nearer_the_body_takes_it() -> None:
    """assign_headings, corpus: `让群众的幸福稳稳的（今日谈）` / `图片报道` over a
    photo: neither title shares a word with the caption, and the one printed
    right over it takes it."""
    pg = page(FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[1]),
              ("h", "让群众的幸福稳稳的（今日谈）"), ("h", "图片报道"),
              ("cap", SPORTS_CAPTION), ("c", "新华社记者 雒圆摄"))
    assert ("图片报道", ["caption:1月5日，美国选", "credit:新华社记者 雒圆"]) in outline(
        articles(pg))


# --- jump_metadata --------------------------------------------------------------------

#: Raw lines: a story, its jump line, the next story's title, a from-line, its text.
JUMP_LINES = [
    "金融扶贫为我市脱贫攻坚注入不竭动力", "□ 实习记者 王卫斌",
    "俗话说，一文钱逼倒英雄汉。缺资金", "成为制约许多贫困群众通过发展产业脱贫",
    "的重要瓶颈，金融扶贫犹如雪中送炭，燃", "起了许多贫困户发展产业脱贫的希望，激",
    "发了脱贫的强大内生动力。我市开展的金", "融精准扶贫，为许多缺资金的贫困群众和",
    "从事农产品收购加工的企业纾难解困，帮", "助他们发展脱贫致富的产业，解决农产品",
    "销售难的问题，夯实了脱贫增收的基础。", "（下转第3版）",
    "我市电商产业发展如火如荼", "（上接第1版）",
    "本报讯 （记者 梁瑜） 高质量转型发展背", "景下，我市积极落实“互联网+”国家战",
    "略，全力气推进电商产业发展，电商和传", "统商业、脱贫攻坚相互融合、相互促进，",
    "有效带动经济发展和农民脱贫致富。",
]


def jumps(text: str, config: Config = ON) -> list[tuple[str | None, str | None]]:
    got = run(page_from_text(text), config)
    return [(a.continues_on, a.continued_from) for a in got.articles]


def test_dropped_jump_lines_say_where_a_story_goes_on() -> None:
    """jump_metadata: dedupe drops `（下转第3版）` under a story and `（上接第1版）`
    over the next one's text (seed layout, a blank line after each line);
    split records that the first goes on on 第3版, the second comes from 第1版."""
    assert jumps("\n\n".join(JUMP_LINES)) == [("第3版", None), (None, "第1版")]


def test_jump_metadata_switched_off_records_nothing() -> None:
    assert jumps("\n\n".join(JUMP_LINES), off("jump_metadata")) == [(None, None), (None, None)]


def test_jump_line_without_blank_lines_goes_with_the_story_above() -> None:
    assert jumps("\n".join(JUMP_LINES)) == [("第3版", None), (None, "第1版")]


SAME_PAGE_JUMP = [
    "金融扶贫为我市脱贫攻坚注入不竭动力", "□ 实习记者 王卫斌",
    "俗话说，一文钱逼倒英雄汉。缺资金", "成为制约许多贫困群众通过发展产业脱贫",
    "的重要瓶颈，金融扶贫犹如雪中送炭，燃", "起了许多贫困户发展产业脱贫的希望，激",
    "发了脱贫的强大内生动力。我市开展的金", "（下转右下）",
    "我市电商产业发展如火如荼",
    "本报讯 （记者 梁瑜） 高质量转型发展背", "景下，我市积极落实“互联网+”国家战",
    "略，全力气推进电商产业发展，电商和传", "统商业、脱贫攻坚相互融合、相互促进，",
    "有效带动经济发展和农民脱贫致富。", "（上接左上）",
    "融精准扶贫，为许多缺资金的贫困群众和",
    "从事农产品收购加工的企业纾难解困，帮", "助他们发展脱贫致富的产业，解决农产品",
    "销售难的问题，夯实了脱贫增收的基础。",
]


def finance_body(config: Config = ON) -> str:
    got = run(page_from_text("\n".join(SAME_PAGE_JUMP)), config)
    article = next(a for a in got.articles if a.headline.startswith("金融扶贫"))
    return "".join(block.text for block in article.body)


def test_story_in_two_parts_of_one_page_is_joined() -> None:
    """jump_join: corpus d003/d009/d014/d023/d030 print a story in two parts,
    `（下转右下）` under the first, `（上接左上）` over the second; the second
    part's text belongs to the first part's story, not to the story it follows."""
    assert finance_body().endswith("夯实了脱贫增收的基础。")


def test_jump_join_switched_off_leaves_the_second_part_behind() -> None:
    assert not finance_body(off("jump_join")).endswith("夯实了脱贫增收的基础。")


#: Each split rule and the tests that show it at work and switched off.
def synthetic_article(name: str, headline: str, *disabled: str) -> Article:
    return next(a for a in synthetic_articles(name, *disabled) if a.headline == headline)


#: A generated page where the 临安区 story, its headline printed under its
#: body, follows the 离石区 story with nothing between the two bodies.
ORPHAN_PAGE, ORPHAN_TITLE = "synth_orphan_title.txt", "临安区升级“健康档案”（记者手记）"


def test_title_no_body_took_cuts_the_body_above_it_in_two() -> None:
    article = synthetic_article(ORPHAN_PAGE, ORPHAN_TITLE)
    assert article.body[0].text.startswith("临安区把慢性病管理作为重点工作")
    assert not any("离石区" in block.text for block in article.body)


def test_orphan_title_switched_off_leaves_the_title_without_a_body() -> None:
    assert synthetic_article(ORPHAN_PAGE, ORPHAN_TITLE, "orphan_title").body == ()


#: Corpus d027: a photo, its label `图片报道` printed right over the title
#: of the story under it (the 电商 story), whose text runs on into the 药茶
#: story; the 药茶 title is printed after its body.  The label takes the
#: photo, so the group is half owned and its other title is the orphan.
LABEL_OVER_TITLE = page(
    ("p", P[12]), ("c", "记者 郭炳中 摄"),
    ("h", "图片报道"), ("h", "我市电商产业发展如火如荼"),
    ("p", P[6]), ("p", P[7]), ("p", P[8]), ("p", P[24]), ("p", P[25]), ("p", P[26]),
    ("h", "交口县冻绿叶药茶产业发展研讨会在太原举行"),
)


def test_orphan_title_beside_a_photo_label_cuts_the_body_under_it() -> None:
    assert outline(articles(LABEL_OVER_TITLE))[1:] == [
        ("我市电商产业发展如火如荼",
         ["paragraph:高质量转型发展背", "paragraph:“十三五”之初，", "paragraph:完善电商扶贫农特"]),
        ("交口县冻绿叶药茶产业发展研讨会在太原举行",
         ["paragraph:近日，交口县冻绿", "paragraph:近年来，交口县因",
          "paragraph:下一步，交口县将"]),
    ]
    assert outline(articles(LABEL_OVER_TITLE, off("orphan_title")))[1][1] == []


#: Corpus d004: a photo story (a title, its caption, its credit) printed
#: right over the text of a story whose title stands further down the page.
TEA_TITLE = ("h", "交口县冻绿叶药茶产业发展研讨会在太原举行")
PHOTO_OVER_TEXT = page(
    FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[1]), ("c", "记者 郭炳中 摄"),
    ("h", "丰收节上喜笑颜开"), ("p", "一位农民在丰收节展区的玉米挂造型前喜笑颜开。"),
    ("c", "新华社记者 王鹏 摄"), ("p", P[24]), ("p", P[25]), ("p", P[26]), TEA_TITLE,
)


def test_photo_opening_a_body_is_a_story_of_its_own() -> None:
    """photo_box: the caption's words are not those of the text after the
    credit, so the photo is the title's story and the text another's."""
    assert outline(articles(PHOTO_OVER_TEXT))[1:] == [
        ("丰收节上喜笑颜开", ["caption:一位农民在丰收节", "credit:新华社记者 王鹏"]),
        (TEA_TITLE[1], ["paragraph:近日，交口县冻绿", "paragraph:近年来，交口县因",
                        "paragraph:下一步，交口县将"]),
    ]
    assert outline(articles(PHOTO_OVER_TEXT, off("photo_box")))[1] == ("丰收节上喜笑颜开", [])


def test_a_story_keeps_its_own_photo_under_its_title() -> None:
    """Near miss: a caption that speaks of the text after it is that story's photo."""
    own = page(FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[1]), ("c", "记者 郭炳中 摄"),
               TEA_TITLE, ("p", "交口县冻绿叶药茶产业发展研讨会现场。"),
               ("c", "新华社记者 王鹏 摄"), ("p", P[24]), ("p", P[25]))
    assert outline(articles(own))[1] == (TEA_TITLE[1], [
        "paragraph:交口县冻绿叶药茶", "credit:新华社记者 王鹏", "paragraph:近日，交口县冻绿",
        "paragraph:近年来，交口县因",
    ])


#: Corpus d003/d006/d022: the 耕地 story, then the 药茶 story's text with
#: neither a heading nor a byline between them.
TWO_STORIES_UNMARKED = page(LAND_HEAD, LAND_BYLINE, ("p", P[15]), ("p", P[16]), ("p", P[17]),
                            ("p", P[24]), ("p", P[25]), ("p", P[26]))


def test_text_that_shares_no_words_with_the_story_above_is_another_story() -> None:
    """topic_shift: the 药茶 paragraphs share almost no words with the 耕地
    story above them: an untitled story of their own, nothing lost."""
    assert outline(articles(TWO_STORIES_UNMARKED)) == [
        (LAND_HEAD[1], ["paragraph:近日，全省农村乱", "paragraph:会议指出，开展农",
                        "paragraph:会议强调，各级各"]),
        ("", ["paragraph:近日，交口县冻绿", "paragraph:近年来，交口县因",
              "paragraph:下一步，交口县将"]),
    ]
    assert len(articles(TWO_STORIES_UNMARKED, off("topic_shift"))) == 1


def test_one_story_whose_sections_change_subject_is_not_cut() -> None:
    """Near miss: the 金融扶贫 story moves from 转贷资金 to 乡村振兴贷 to
    保险, and the 电商 story from 目录库 to 快递, but each part shares the
    story's words with the rest."""
    finance = page(FINANCE_HEAD, FINANCE_BYLINE, *[("p", P[i]) for i in range(6)])
    shop = page(("h", "我市电商产业发展如火如荼"), ("b", "本报讯（记者梁瑜）"),
                *[("p", P[i]) for i in range(6, 12)])
    assert len(articles(finance)) == 1
    assert len(articles(shop)) == 1


#: The 金融扶贫 story with two subheads set alike: a short line over a
#: longer one.  The second stands over another story's text (the seed's
#: 交易会 paragraphs), which reads nothing like the story above it.
def story_with_subheads(first: tuple[str, str], second: tuple[str, str]) -> Page:
    """The 金融扶贫 story with two two-line heading groups, ``first`` within its
    text and ``second`` over the seed's 交易会 paragraphs."""
    return page(FINANCE_HEAD, FINANCE_BYLINE, ("p", P[0]), ("p", P[2]),
                ("h", first[0]), ("h", first[1]), ("p", P[3]), ("p", P[4]),
                ("h", second[0]), ("h", second[1]), ("p", P[12]), ("p", P[13]))


PARALLEL = story_with_subheads(("金融扶贫遍地开花", "扶贫小额信贷覆盖全市所有贫困村、惠及贫困户"),
                               ("产业扶贫成效明显", "特色产业带动贫困户持续稳定增收"))


def test_group_shaped_like_a_subhead_of_the_story_is_one_more_subhead() -> None:
    """parallel_subheads (corpus d011: `健身消费一路走俏` / `健身设施仍表现出…`,
    then `健身服务亟待升级` / `有些健身房内卫生状况…`)."""
    assert [a.headline for a in articles(PARALLEL)] == ["金融扶贫为我市脱贫攻坚注入不竭动力"]


def test_parallel_subheads_switched_off_leaves_a_new_story() -> None:
    assert len(articles(PARALLEL, off("parallel_subheads"))) == 2


#: PARALLEL with each subhead in two parts, the first closing on a dash (corpus
#: d036: `临江又亲江——` / `滨水空间正在形成`, `靠水更护水——` / `产业转型民生提质`).
PARALLEL_DASHED = story_with_subheads(("金融扶贫开花——", "扶贫小额信贷覆盖全市所有贫困村"),
                                      ("产业扶贫见效——", "特色产业带动贫困户持续稳定增收"))


def test_dashed_groups_set_alike_are_subheads_of_one_story() -> None:
    """parallel_subheads: groups alike down to a dash closing their first
    phrase are a story's subheads too; a kicker's dash alone does not make a
    group a new story's heading."""
    assert [a.headline for a in articles(PARALLEL_DASHED)] == [FINANCE_HEAD[1]]
    assert len(articles(PARALLEL_DASHED, off("parallel_subheads"))) == 2


RULE_TESTS = {
    "editor_note": [test_heading_under_an_editor_note_is_the_story_subhead,
                    test_editor_note_switched_off_leaves_a_new_story],
    "text_under_title": [test_clauses_under_a_tagged_title_open_its_body,
                         test_text_under_title_switched_off_leaves_the_lines_a_heading],
    "heading_phrases": [test_seed_two_line_titles_are_one_headline,
                        test_colon_kicker_stays_apart_while_a_broken_bracket_joins,
                        test_column_tag_under_a_title_is_part_of_the_headline],
    "word_across_break": [test_word_read_across_the_break_joins_a_title,
                          test_word_across_break_switched_off_leaves_kicker_and_headline],
    "phrase_in_body": [test_phrase_found_in_the_story_joins_a_title,
                       test_phrase_in_body_switched_off_leaves_kicker_and_headline],
    "subhead_cohesion": [test_subhead_between_two_parts_of_one_story,
                         test_subhead_becomes_a_story_with_subhead_cohesion_off,
                         test_a_two_line_subhead_keeps_both_lines_as_subheads],
    "strong_heading": [test_strong_heading_opens_a_story_between_cohesive_bodies,
                       test_title_over_a_photo_caption_is_the_photo_story_title,
                       test_section_label_is_never_a_subhead,
                       test_seed_meeting_stories_merge_with_strong_heading_off],
    "heading_model": [test_heading_model_keeps_a_title_the_fixed_rules_would_demote],
    "titles_stories_above": [
        test_seed_titles_printed_under_their_stories_stay_titles,
        test_seed_titles_under_their_stories_fold_into_the_text_without_titles_stories_above,
        test_group_titling_the_body_after_it_is_left_to_the_model,
    ],
    "rejudge_after_demotion": [test_line_between_a_story_and_its_rejoined_part_is_judged_again,
                               test_rejudge_after_demotion_switched_off_leaves_the_line_a_title],
    "assign_headings": [test_seed_headlines_printed_after_their_bodies_find_them,
                        test_seed_headlines_change_with_assign_headings_switched_off],
    "section_label": [test_briefs_under_a_section_label_are_one_article,
                      test_photo_story_after_the_briefs_ends_the_section,
                      test_long_story_after_the_briefs_ends_the_section,
                      test_section_label_switched_off_is_a_kicker],
    "jump_join": [test_story_in_two_parts_of_one_page_is_joined,
                  test_jump_join_switched_off_leaves_the_second_part_behind],
    "continuation": [test_body_reading_on_from_an_earlier_story_is_its_continuation,
                     test_continuation_switched_off_leaves_a_story_of_its_own],
    "photo_box": [test_foreign_caption_under_a_story_is_a_photo_story,
                  test_photo_opening_a_body_is_a_story_of_its_own,
                  test_photo_box_switched_off_leaves_the_caption_in_the_story,
                  test_photo_story_under_its_own_byline_is_not_cut_from_it,
                  test_photo_story_with_a_one_paragraph_lead_is_not_cut_in_two,
                  test_text_after_a_photo_under_a_signed_off_story_is_another_story],
    "pictured_caption": [test_caption_telling_what_the_picture_shows_is_a_photo_story,
                         test_foreign_caption_under_a_story_is_a_photo_story],
    "jump_metadata": [test_dropped_jump_lines_say_where_a_story_goes_on,
                      test_jump_metadata_switched_off_records_nothing],
    "larger_type": [test_title_set_larger_than_the_line_under_it_is_the_headline],
    "page_subheadline_style": [
        test_page_whose_titles_wrap_larger_sets_undashed_subheadlines,
        test_page_subheadline_style_switched_off_leaves_kicker_and_headline,
        test_short_tag_or_lead_in_stays_a_kicker_in_the_house_style,
        test_kicker_broken_by_design_shows_no_house_style,
    ],
    "topic_shift": [test_text_that_shares_no_words_with_the_story_above_is_another_story],
    "orphan_title": [test_title_no_body_took_cuts_the_body_above_it_in_two,
                     test_orphan_title_beside_a_photo_label_cuts_the_body_under_it,
                     test_orphan_title_switched_off_leaves_the_title_without_a_body],
    "parallel_subheads": [test_group_shaped_like_a_subhead_of_the_story_is_one_more_subhead,
                          test_parallel_subheads_switched_off_leaves_a_new_story,
                          test_dashed_groups_set_alike_are_subheads_of_one_story],
    "title_shaped_subhead": [test_line_set_apart_for_its_bullet_is_a_subhead_however_long,
                             test_title_shaped_lines_broken_mid_word_are_one_subhead],
    "subhead_deck": [test_long_line_rejoin_ended_short_under_a_subhead_is_its_deck,
                     test_a_subhead_has_one_deck,
                     test_line_whose_word_runs_on_into_the_text_is_no_deck,
                     test_long_line_that_rejoin_did_not_end_short_is_no_deck],
}


def test_every_rule_has_its_tests() -> None:
    assert set(RULE_TESTS) == set(split.RULES)
