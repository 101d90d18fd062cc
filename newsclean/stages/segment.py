"""segment: give every block its role — byline, credit, caption, heading, body.

Evidence, each a named rule:

* ``byline_pattern`` — a block opening with a byline pattern from
  ``dictionaries/bylines.txt`` (`本报讯 （记者 梁瑜）`, `□ 实习记者 王卫斌`,
  `本报北京1月6日电（记者刘毅）`).  A byline sharing its line with the first
  sentence is cut off at its closing bracket; a byline broken over two lines
  (`本报讯 （记者 马` / `温博） 近日，…`) is joined first (``broken_byline``).
* ``reprint_lead`` — a dispatch byline stacked under the story's own byline
  (`□ 实习记者 贺燕亮` / `据新华社电 （记者陈凯姿）蔡笃`) is the lead of the
  text the paper reprints: it stays in the body, uncut.
* ``credit_pattern`` — a short block matching ``dictionaries/credits.txt``
  (`记者 郭炳中 摄`, `版式设计：蔡华伟`).
* ``closing_dateline`` — `（据新华社电）`, `（本报柏林1月12日电）` printed under a
  story (``dictionaries/datelines.txt``) stays in that story's body.
* ``caption_near_credit`` — the short block printed just after a photo credit,
  or the one or two short blocks just before it, are the photo's caption.
* ``photo_report`` — over a photo report's credit (`鲜 敢 于 杰摄影报道`), the
  text back to its title is the photo's caption, however many paragraphs.
* ``text_lead`` — a block opening the way a story's text opens
  (``dictionaries/text_leads.txt``): a dispatch lead that names no reporter
  (`本报电 OPPO日前推出5G视频手机`) or a time lead (`1月10日，在中缅…`,
  `近日，`) is text, never a title, however short or wide.
* ``box_label`` — a box label from ``dictionaries/labels.txt`` (`核心阅读`)
  stays in the body.
* ``dash_subheadline`` — a short line opening with `——` is a subheadline.
* ``short_unpunctuated`` — a single short line with no sentence end, or a line
  wider than its column without one, is a heading candidate (kind HEADLINE).
  Whether it is a headline, kicker or an in-story subhead is decided by split,
  which sees the bodies around it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..config import Config
from ..dictionaries import load_list, load_regex
from ..model import Block, Kind, Page
from ..text.cjk import cells, ends_sentence, strip_spaces
from ..text.similarity import Lexicon, PageGrams

RULES = (
    "byline_pattern", "broken_byline", "reprint_lead", "credit_pattern",
    "closing_dateline", "closing_note", "caption_near_credit", "photo_report",
    "dash_subheadline", "dash_attribution", "box_label", "text_lead",
    "short_unpunctuated", "heading_lines",
)

#: The lead-in of a dispatch byline: up to the bracket that closes `（记者 …）`.
_BRACKETED_LEAD_RE = re.compile(r"^[^（(]{0,24}[（(][^）)]{1,30}[）)]")
#: A dispatch lead with no bracket: `新华社北京1月11日电国务院副总理…` (the
#: gold's byline is `新华社北京1月11日电`).
_DISPATCH_LEAD_RE = re.compile(r"^(?:据)?(?:新华社|本报|中新社)[^，。（()电]{2,16}电(?![（(])")
#: `——习近平`: a dash and a name.
_ATTRIBUTION_RE = re.compile(r"^——[\u4e00-\u9fff·]{2,6}$")
#: A sentence end with more text after it (closing quotes and brackets aside).
_INNER_SENTENCE_END_RE = re.compile(r"[。！？!?][”’」』）)》]*[^。！？!?…；;”’」』）)》\s]")
#: A whole short line in brackets: a column tag or a signature.
_BRACKETED_NOTE_RE = re.compile(r"^[（(][^（()）。，！？]{1,16}[）)]$")
#: A `□ 本报记者 某某` line: the whole short line is the byline.
_UNCLOSED_RE = re.compile(r"[（(][^）)]*$")


def _is_byline_start(text: str, config: Config) -> bool:
    return bool(load_regex("bylines", config.user_dictionaries).search(text))


def _is_credit(text: str, config: Config) -> bool:
    if len(text) > config.max_headline_chars:
        return False
    return bool(load_regex("credits", config.user_dictionaries).search(text))


def join_broken_bylines(blocks: list[Block], config: Config) -> list[Block]:
    """broken_byline: `本报讯 （记者 马` + `温博） 近日，…` become one block, so
    that the byline can be cut off whole; so do the two lines of a closing
    dateline `（本报东京、堪培拉…电记者刘军` + `国、刘天亮、吴云、范剑青）`."""
    if not config.rule_enabled("broken_byline"):
        return blocks

    def broken(previous: Block, block: Block) -> bool:
        return bool(_UNCLOSED_RE.search(previous.text)) and (
            _is_byline_start(previous.text, config) or _opens_dateline(previous, block)
        )

    def joined(previous: Block, block: Block) -> Block:
        kind = Kind.UNKNOWN if _opens_dateline(previous, block) else Kind.PARAGRAPH
        return _joined(previous, block, kind, previous.evidence + ("segment:broken_byline",))

    return _join_runs(blocks, broken, joined)


def _join_runs(blocks: list[Block], joins: Callable[[Block, Block], bool],
               joined: Callable[[Block, Block], Block]) -> list[Block]:
    """Each block that ``joins`` the one before it is merged into it."""
    out: list[Block] = []
    for block in blocks:
        if out and joins(out[-1], block):
            out[-1] = joined(out[-1], block)
        else:
            out.append(block)
    return out


def _joined(previous: Block, block: Block, kind: Kind, evidence: tuple[str, ...]) -> Block:
    return Block(kind, previous.text + block.text, (previous.lines[0], block.lines[1]), evidence)


def _opens_dateline(previous: Block, block: Block) -> bool:
    return previous.text.startswith(("（", "(")) and len(previous.text) + len(
        block.text
    ) <= 60 and block.text.endswith(("）", ")"))


def _is_dateline(text: str, config: Config) -> bool:
    return bool(load_regex("datelines", config.user_dictionaries).search(text))


def split_byline(block: Block, config: Config) -> list[Block]:
    """byline_pattern: cut a byline off the block that opens with one.  A
    photo credit `记者 郭炳中 摄` opens like a byline but is a credit."""
    text = block.text
    if not config.rule_enabled("byline_pattern") or not _is_byline_start(text, config):
        return [block]
    if _is_credit(text, config):
        return [block]
    lead = _BRACKETED_LEAD_RE.match(text) or _DISPATCH_LEAD_RE.match(text)
    if lead and lead.end() < len(text):
        head, rest = text[: lead.end()], text[lead.end() :].lstrip()
        # The line was wide with its byline; the text after it is not.
        evidence = tuple(e for e in block.evidence if e != "rejoin:wider_than_column")
        return [
            Block(Kind.BYLINE, head, block.lines, ("segment:byline_pattern",)),
            Block(Kind.PARAGRAPH, rest, block.lines, evidence),
        ]
    if lead or (cells(text) <= config.max_byline_cells and not ends_sentence(text)):
        return [block.with_kind(Kind.BYLINE, "segment:byline_pattern")]
    return [block]


def classify(block: Block, config: Config) -> Block:
    """Kind of a block that is not a byline, from its own text."""
    text = block.text
    if config.rule_enabled("credit_pattern") and _is_credit(text, config):
        return block.with_kind(Kind.CREDIT, "segment:credit_pattern")
    if config.rule_enabled("closing_dateline") and _is_dateline(text, config):
        return block.with_kind(Kind.PARAGRAPH, "segment:closing_dateline")
    if config.rule_enabled("text_lead") and load_regex(
        "text_leads", config.user_dictionaries
    ).search(text):
        return block.with_kind(Kind.PARAGRAPH, "segment:text_lead")
    if block.kind is not Kind.UNKNOWN and not _wide_unpunctuated(block, config):
        return block
    if ends_sentence(text) or len(text) > config.max_headline_chars * 2:
        return block.with_kind(Kind.PARAGRAPH)
    if config.rule_enabled("box_label") and text in load_list("labels", config.user_dictionaries):
        return block.with_kind(Kind.PARAGRAPH, "segment:box_label")
    if config.rule_enabled("dash_subheadline") and text.startswith("——"):
        return block.with_kind(Kind.SUBHEADLINE, "segment:dash_subheadline")
    if config.rule_enabled("short_unpunctuated"):
        return block.with_kind(Kind.HEADLINE, "segment:short_unpunctuated")
    return block


def _wide_unpunctuated(block: Block, config: Config) -> bool:
    """A one-line block set wider than its column with no sentence end:
    a headline or subheadline across columns.  A sentence end inside it
    (`中缅油气管道是…项目，马德岛是管道的起点。图为`) makes it a caption's or
    a paragraph's first line: no title of the corpus has one."""
    return (
        block.lines[0] == block.lines[1]
        and "rejoin:wider_than_column" in block.evidence
        and not ends_sentence(block.text)
        and not _INNER_SENTENCE_END_RE.search(block.text)
        and len(block.text) <= config.max_headline_chars * 2
    )


def mark_captions(blocks: list[Block], config: Config) -> list[Block]:
    """caption_near_credit: a credit `记者 郭炳中 摄` belongs to a photo; the short
    line printed right after it is the photo's caption when it speaks of the
    story above the credit (`一位农民在丰收节展区…` under the 丰收节 story),
    not of the story below (a headline `首届光影中国电影荣誉盛典举行` that
    follows a photo credit); or the one or two short blocks right before
    the credit, after a heading or another credit, are the caption."""
    if not config.rule_enabled("caption_near_credit"):
        return blocks
    out = list(blocks)
    for i, block in enumerate(blocks):
        if block.kind is not Kind.CREDIT:
            continue
        after = i + 1
        if after < len(out) and _caption_after(out, after, config):
            out[after] = out[after].with_kind(Kind.CAPTION, "segment:caption_near_credit")
            continue
        start = i
        while (
            start > 0
            and i - start < 2
            and _caption_like(out[start - 1], config)
            and (start == i or out[start - 1].kind is not Kind.HEADLINE)
        ):
            start -= 1  # a title above the caption line is not part of the caption
        opens_unit = start == 0 or out[start - 1].kind in (Kind.HEADLINE, Kind.CREDIT,
                                                           Kind.SUBHEADLINE)
        if start < i and opens_unit:
            for j in range(start, i):
                out[j] = out[j].with_kind(Kind.CAPTION, "segment:caption_near_credit")
            continue
        start = _photo_report_start(out, i, config)
        for j in range(start, i):
            out[j] = out[j].with_kind(Kind.CAPTION, "segment:photo_report")
    return out


def _photo_report_start(blocks: list[Block], credit: int, config: Config) -> int:
    """photo_report: where the captions over the credit at ``credit`` start
    when it signs a photo report (`鲜 敢 于 杰摄影报道`, corpus d002 `穿越飞石`:
    four paragraphs telling what the photos show, no byline): the text back
    to the title over it, at most ``max_photo_report_chars``.  A byline over
    that text makes it a reported story with its photos, whose paragraphs
    stay paragraphs; so does text running on past the limit.  ``credit``
    when there are no captions.  (The credits: ``dictionaries/photo_reports.txt``.)"""
    reports = load_regex("photo_reports", config.user_dictionaries)
    if not (config.rule_enabled("photo_report") and reports.search(blocks[credit].text)):
        return credit
    start, chars = credit, 0
    while start > 0 and blocks[start - 1].kind in (Kind.PARAGRAPH, Kind.UNKNOWN, Kind.CAPTION):
        start -= 1
        chars += len(blocks[start].text)
        if chars > config.max_photo_report_chars:
            return credit
    titled = start > 0 and blocks[start - 1].kind in (Kind.HEADLINE, Kind.SUBHEADLINE)
    return start if titled else credit


def _caption_after(blocks: list[Block], at: int, config: Config) -> bool:
    block = blocks[at]
    if not _caption_like(block, config) or ends_sentence(block.text):
        return False
    if len(block.text) < config.min_caption_chars:
        return False
    if at + 1 < len(blocks) and blocks[at + 1].text.startswith("——"):
        return False  # a title over its `——` subheadline, drawn below the photo
    window = config.caption_context_blocks
    before = [b.text for b in blocks[max(0, at - 1 - window) : at - 1]]
    after = [b.text for b in blocks[at + 1 : at + 1 + window]]
    grams = PageGrams()  # the window's texts are counted once, their joins made from them
    lexicon = Lexicon.of([grams.of(text) for text in before + after])
    weighted = lexicon.weighted(block.text)
    return Lexicon.coverage(weighted, grams.of_joined(before)) > Lexicon.coverage(
        weighted, grams.of_joined(after)
    )


def _caption_like(block: Block, config: Config) -> bool:
    return block.kind in (Kind.PARAGRAPH, Kind.UNKNOWN, Kind.HEADLINE) and len(
        block.text
    ) <= config.max_caption_chars


#: Evidence of a heading line that rejoin had joined to the line above it:
#: split puts a subhead's deck back together from such lines.
RAN_ON = "segment:heading_line_ran_on"


def heading_lines(block: Block, line_text: dict[int, str], config: Config) -> list[Block]:
    """heading_lines: a heading candidate that rejoin built from several raw
    lines goes back to one block a line (`辽宁沈阳市人大常委会` / `督办代表建议
    坚定民企信心`), so that split can tell a kicker from a broken headline.
    Every line but the first carries :data:`RAN_ON`: rejoin read it as the
    rest of the line above."""
    first, last = block.lines
    if block.kind is not Kind.HEADLINE or first == last or not config.rule_enabled(
        "heading_lines"
    ):
        return [block]
    texts = [(n, line_text.get(n, "")) for n in range(first, last + 1)]
    texts = _lines_making(block.text, [(n, text) for n, text in texts if text.strip()])
    if not texts:
        return [block]  # the block was edited inside a line (a joined hyphen): keep it whole
    # Lines up to a sentence end close the paragraph before the title
    # (`让绿色产业焕发金色光芒，广西体育正跃上新的台` / `阶。` / `中国足协召开研讨会`).
    ends = [i for i, (_n, text) in enumerate(texts) if ends_sentence(text)]
    out = []
    if ends:
        head = texts[: ends[-1] + 1]
        text = "".join(t for _n, t in head)
        out.append(Block(Kind.PARAGRAPH, text, (head[0][0], head[-1][0]), block.evidence))
        texts = texts[ends[-1] + 1 :]
    out.extend(
        Block(Kind.HEADLINE, text, (n, n), block.evidence + ((RAN_ON,) if k else ()))
        for k, (n, text) in enumerate(texts)
    )
    return out


def _back_to_text_after_a_sentence(
    blocks: list[Block], rule: str, is_case: Callable[[Block, Block], bool], config: Config,
    kind: Kind = Kind.PARAGRAPH,
) -> list[Block]:
    """Give a block back to the story's text (as ``kind``) when it follows a
    sentence end and ``is_case(block, previous)`` says it is the rule's case."""
    if not config.rule_enabled(rule):
        return blocks
    out = list(blocks)
    for i in range(1, len(out)):
        if ends_sentence(out[i - 1].text) and is_case(out[i], out[i - 1]):
            out[i] = out[i].with_kind(kind, f"segment:{rule}")
    return out


def mark_attributions(blocks: list[Block], config: Config) -> list[Block]:
    """dash_attribution: `——习近平` under a quoted or cited sentence names who
    said it, and `——编者` signs an editor's note; either is part of the story,
    not a subheadline.  It is set apart like an in-story subhead, and the
    gold calls it one (all five in the corpus)."""
    return _back_to_text_after_a_sentence(
        blocks, "dash_attribution",
        lambda block, _previous: block.kind is Kind.SUBHEADLINE
        and bool(_ATTRIBUTION_RE.match(block.text)),
        config, Kind.SUBHEAD,
    )


def mark_closing_notes(blocks: list[Block], config: Config) -> list[Block]:
    """closing_note: a short bracketed line right after a sentence end signs the
    story above (`（海军）`, `（喻思南）`, `（戴琪林丽鹂）`); after a title the same
    shape is a column tag (`（科技大观）`) and stays with the title."""
    return _back_to_text_after_a_sentence(
        blocks, "closing_note",
        lambda block, previous: block.kind is Kind.HEADLINE
        and previous.kind is Kind.PARAGRAPH
        and bool(_BRACKETED_NOTE_RE.match(block.text)),
        config,
    )


def _lines_making(text: str, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The run of whole raw lines whose text is the block's: dedupe may have
    cut a running head off the block's first line (`人民日报 … 第2版` over
    `普惠型小微贷款余额去年末增25%`)."""
    target = strip_spaces(text)
    for start in range(len(lines)):
        for end in range(len(lines), start, -1):
            if strip_spaces("".join(t for _n, t in lines[start:end])) == target:
                return lines[start:end]
    return []


def segment_blocks(blocks: tuple[Block, ...], config: Config,
                   line_text: dict[int, str] | None = None) -> tuple[Block, ...]:
    joined = join_broken_bylines(list(blocks), config)
    out: list[Block] = []
    for block in joined:
        if out and out[-1].kind is Kind.BYLINE and _reprint_lead(block, config):
            out.append(block.with_kind(Kind.PARAGRAPH, "segment:reprint_lead"))
            continue
        for piece in split_byline(block, config):
            if piece.kind is Kind.BYLINE:
                out.append(piece)
            else:
                out.extend(heading_lines(classify(piece, config), line_text or {}, config))
    out = mark_attributions(mark_closing_notes(join_open_leads(out), config), config)
    return tuple(mark_captions(out, config))


def _reprint_lead(block: Block, config: Config) -> bool:
    """reprint_lead: the block opens with a reprinted dispatch's lead (`据新华社电
    （记者陈凯姿）`) right under a byline.  The story has its byline; the
    dispatch line is the text the paper reprints, and the gold of the corpus
    keeps it at the head of the body (corpus d033, d039: `□ 实习记者 陆春浩` over
    `据新华社电（记者白田田）叶挺独立团中，…`).  The leads:
    ``dictionaries/reprint_leads.txt``."""
    return config.rule_enabled("reprint_lead") and bool(
        load_regex("reprint_leads", config.user_dictionaries).match(block.text))


def join_open_leads(blocks: list[Block]) -> list[Block]:
    """text_lead: a line that opens the text and stops mid-sentence
    (`近日，重庆南岸区弹子石老街张灯`, which rejoin left apart) runs on into
    the line printed right under it (`结彩，吸引众多市民…`), whatever that
    line looked like on its own."""
    return _join_runs(
        blocks,
        lambda previous, block: "segment:text_lead" in previous.evidence
        and not ends_sentence(previous.text)
        and block.kind in (Kind.PARAGRAPH, Kind.UNKNOWN, Kind.HEADLINE),
        lambda previous, block: _joined(previous, block, Kind.PARAGRAPH, previous.evidence),
    )


def run(page: Page, config: Config) -> Page:
    line_text = {line.number: line.text for line in page.lines}
    return replace(page, blocks=segment_blocks(page.current_blocks(), config, line_text))
