"""split: group blocks into articles, each headline with its own body.

Raw page order does not follow reading order: a headline may be printed
before its body, after it, or several bodies away (the seed prints the titles
of its first two stories after the second story's body), and one story's
columns may be cut by another's.  ``split_page`` runs these steps in order:

1. ``build_units`` — heading groups (runs of heading candidates) and body
   units (runs of body blocks; a byline opens a new one, unless it signs
   the same story as the byline over it).
2. ``demote_weak_headings`` (rules ``strong_heading``, ``heading_model``,
   ``subhead_cohesion``, ``editor_note``) — a group between two bodies that
   read as one story is a subhead (`金融扶贫遍地开花`) or a stray paragraph
   line, not a headline.  A column tag, a `——` subheadline, a byline or a
   photo caption after it, or a section label keep it; otherwise the shipped
   logistic model (``heading_features``) decides, and the fixed cohesion
   rules where the model is unsure.  Under `——编者` it is the story's subhead.
   A group whose phrases title two stories printed above it keeps them
   (``titles_stories_above``); a group shaped like another subhead group of
   the page, a short line over a longer one, is one more subhead
   (``parallel_subheads``); once a subhead rejoins its story the groups
   around it are judged again against the story made whole
   (``rejudge_after_demotion``).
3. ``absorb_section_briefs`` (``section_label``) — the briefs under `新闻速递`
   are one article, their titles subheads, until a long story or a photo.
4. ``join_jumped_parts`` (``jump_join``) — the text after `（上接左上）` goes
   on the story that `（下转右下）` closed; ``relink_continuations``
   (``continuation``) — a body that reads like an earlier story, not like its
   neighbours, is that story's continuation.
5. ``separate_photo_boxes`` (``photo_box``) — a caption and photo credit
   printed under another story's last paragraph, or under a story signed
   off, are a photo story; so is a caption saying `图为…` (``pictured_caption``),
   whatever words it shares with the story.
6. ``return_text_under_titles`` (``text_under_title``) — lines with clauses
   under a title closing on a column tag are the first lines of its body.
7. ``assign_headings`` (``assign_headings``, ``heading_phrases``,
   ``word_across_break``, ``phrase_in_body``) — each group is cut into title
   phrases; every phrase is scored against every body by lexical similarity
   (character bigrams weighted by rarity on the page) plus a positional prior
   that halves for each phrase between it and the body, and assigned
   greedily: a body takes consecutive phrases of one group, no body two
   headings; a photo label (`图片报道`) goes to a picture and alone.  Phrases
   of one body become kicker, headline and subheadline (``larger_type``: of
   two plain ones, the one set larger is the headline; ``page_subheadline_style``:
   where one story shows that by both titles' wraps, the page's other plain
   pairs are headline over subheadline too).  A heading no body
   took cuts the body next to it (or one whose head or tail it names) where
   its words begin and the two parts stop reading alike, and the headings
   are assigned again (``orphan_title``): a story set under another with no
   heading between them, its headline printed under it.  A body whose text
   above and below a paragraph break shares almost no words is cut there
   too (``topic_shift``): a story under another with no heading at all.
8. ``build_articles`` and ``attach_jumps`` (``jump_metadata``).

Nothing is dropped: a body with no heading is an article with an empty
headline, a heading with no body an article with no blocks.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from itertools import accumulate
from pathlib import Path

from ..config import Config
from ..dictionaries import load_list, load_regex
from ..learn.logistic import LogisticModel
from ..model import Article, Block, Kind, Page
from ..text.cjk import (
    CLAUSE_PUNCT_RE,
    ENDS_WITH_TAG_RE,
    SENTENCE_FINAL,
    SUBHEAD_BULLETS,
    TAG_LINE_RE,
    TAG_TAIL_RE,
    TITLE_WITH_TAG_RE,
    cells,
    ends_sentence,
    strip_spaces,
)
from ..text.lexicon import word_across
from ..text.similarity import (
    LengthCeilings,
    Lexicon,
    PageGrams,
    Vector,
    cosine,
    cosine_floor,
    halves_of,
)
from .segment import RAN_ON

RULES = (
    "heading_phrases", "word_across_break", "phrase_in_body", "subhead_cohesion", "editor_note",
    "strong_heading", "heading_model", "titles_stories_above", "rejudge_after_demotion",
    "assign_headings", "section_label", "jump_join",
    "continuation", "photo_box", "pictured_caption", "text_under_title", "jump_metadata",
    "orphan_title", "parallel_subheads", "larger_type", "page_subheadline_style", "topic_shift",
    "subhead_deck", "title_shaped_subhead",
)

HEADING_CANDIDATES = frozenset({Kind.HEADLINE, Kind.KICKER, Kind.SUBHEADLINE})
#: A date in brackets on a line of its own: `（2020年1月8日）`.
_DATE_LINE_RE = re.compile(r"^[（(]\d{4}年\d{1,2}月\d{1,2}日[）)]$")
#: A photo's credit names who took it: `记者 郭炳中 摄`, `刘亮亮摄影报道（人民视觉）`.
_PHOTO_CREDIT_RE = re.compile(r"摄")
#: A picture of any kind: a photo (`摄`) or a drawing (`曹一图燕陆文`, `制图：…`).
_PICTURE_CREDIT_RE = re.compile(r"摄|图")
_JUMP_TO_RE = re.compile(r"(下转|转)(第?\s*\S{1,4}?版|[^）)]{1,6})")
_JUMP_FROM_RE = re.compile(r"(上接)(第?\s*\S{1,4}?版|[^）)]{1,6})")


@dataclass
class Unit:
    """A heading group or a body unit, in raw order."""

    is_heading: bool
    blocks: list[Block] = field(default_factory=list)

    @property
    def first_line(self) -> int:
        return self.blocks[0].lines[0]

    @property
    def opens_with_byline(self) -> bool:
        return bool(self.blocks) and self.blocks[0].kind is Kind.BYLINE

    def text(self) -> str:
        return "".join(block.text for block in self.blocks)

    def texts(self) -> list[str]:
        return [block.text for block in self.blocks]


@dataclass
class Phrase:
    """Consecutive heading lines that read as one title."""

    group: int
    index: int
    blocks: list[Block]

    def text(self) -> str:
        return "".join(block.text for block in self.blocks)


# --- step 1 -------------------------------------------------------------------


def build_units(blocks: tuple[Block, ...]) -> list[Unit]:
    """Runs of heading candidates and runs of body blocks; a byline opens a
    new body unit, except right under another byline: `□ 实习记者 贺燕亮` over
    `据新华社电 （记者陈凯姿）` sign one story."""
    units: list[Unit] = []
    for block in blocks:
        heading = block.kind in HEADING_CANDIDATES
        starts_new = (
            not units
            or units[-1].is_heading != heading
            or (not heading and block.kind is Kind.BYLINE and not _only_bylines(units[-1]))
        )
        if starts_new:
            units.append(Unit(heading))
        units[-1].blocks.append(block)
    return units


def _only_bylines(unit: Unit) -> bool:
    return all(block.kind is Kind.BYLINE for block in unit.blocks)


# --- step 2 -------------------------------------------------------------------


def continues_heading(previous: str, line: str, config: Config, body_text: str = "") -> bool:
    """Is ``line`` the rest of the title on the line before it?"""
    if previous.endswith(("：", ":", "——")):
        return False  # `明德英：`, `…意见》印发——` end a kicker
    if previous in load_list("sections", config.user_dictionaries):
        return False  # `新闻速递` stands over the briefs, never part of their titles
    if _unclosed(previous):
        return True  # `（身边看“六稳”` / `（16）`
    if cells(line) <= config.heading_tail_cells:
        return True  # `度）`, `欺凌`: the tail of a title broken over lines
    if previous.endswith(("，", "、", "·")):
        return True
    if config.rule_enabled("word_across_break") and word_across_break(
        previous, line, body_text, config
    ):
        return True
    if config.rule_enabled("phrase_in_body") and phrase_in_body(previous, line, body_text, config):
        return True
    # A column tag `（科技大观）` closes the title; a date `（2020年1月8日）` under a
    # speech's title is its subheadline.
    return bool(line) and line[0] in "（(" and not _DATE_LINE_RE.match(line)


def word_across_break(previous: str, line: str, body_text: str, config: Config) -> bool:
    """word_across_break: the segmenter reads one word across the line break
    (`宁夏将按季度公布城市地表` / `水环境质量排名`: 地表水), and the stories on
    the page use that word, so the break cut a title, not a kicker from its
    headline.  (The story check keeps out words the segmenter invents for
    unknown names: `推进会` / `尉文龙` read as `会尉`.)"""
    token = word_across(previous, line, config)
    return bool(token) and token in body_text




def phrase_in_body(previous: str, line: str, body_text: str, config: Config) -> bool:
    """phrase_in_body: the words on both sides of the break stand together in
    a story (`…收听收看全省农村` / `乱占耕地建房问题…`: the body says
    `全省农村乱占耕地建房问题整治工作推进会召开`), so the break cut a title.
    A kicker and its headline are two phrases that a story does not run
    together."""
    span = config.phrase_in_body_chars
    tail, head = strip_spaces(previous)[-span:], strip_spaces(line)[:span]
    return len(tail) == span and len(head) == span and (tail + head) in body_text


def _unclosed(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")") or (
        text.count("“") > text.count("”")
    )


def heading_phrases(group: Unit, group_index: int, config: Config,
                    body_text: str = "") -> list[Phrase]:
    phrases: list[Phrase] = []
    for block in group.blocks:
        if (
            phrases
            and config.rule_enabled("heading_phrases")
            and block.kind is not Kind.SUBHEADLINE
            and continues_heading(phrases[-1].text(), block.text, config, body_text)
        ):
            phrases[-1].blocks.append(block)
        else:
            phrases.append(Phrase(group_index, len(phrases), [block]))
    return _join_tag_tails(phrases, config)


def _join_tag_tails(phrases: list[Phrase], config: Config) -> list[Phrase]:
    """`促青年交流展青春` + `风采（体育大看台）`: a phrase that is a word or two
    and a column tag ends the title above it."""
    out: list[Phrase] = []
    for phrase in phrases:
        match = TAG_TAIL_RE.match(phrase.text())
        if out and match and cells(match.group(1)) <= config.heading_tail_cells:
            out[-1].blocks.extend(phrase.blocks)
        else:
            phrase.index = len(out)
            out.append(phrase)
    return out


# --- step 3 -------------------------------------------------------------------


class BodyLexicons:
    """Bigram rarity over a page's bodies, made once per distinct set of
    bodies, and the bodies' text without spaces, stripped once per block.

    The continuation, photo box and heading steps each weigh bigrams over the
    bodies as they stand; on most pages the bodies do not change between
    these steps, and then neither does their lexicon.  One lives for one
    ``split_page`` call, so nothing is carried from page to page."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, ...], Lexicon] = {}
        self._spaceless: dict[str, str] = {}
        #: The bigram counts of the page's texts, for every step of split.
        self.grams = PageGrams()

    def of(self, units: list[Unit]) -> Lexicon:
        """The lexicon over the bodies among ``units``."""
        bodies = [unit for unit in units if not unit.is_heading]
        texts = tuple(unit.text() for unit in bodies)
        if texts not in self._made:
            self._made[texts] = Lexicon.of([self.grams.of_joined(u.texts()) for u in bodies])
        return self._made[texts]

    def spaceless(self, unit: Unit) -> str:
        """``strip_spaces(unit.text())``, each block's text stripped once per
        page: the passes and steps read the same bodies without spaces, and
        the blocks move from unit to unit but keep their texts.  Stripping
        the bodies again cost a tenth of split on the sample page."""
        stripped = self._spaceless
        for block in unit.blocks:
            if block.text not in stripped:
                stripped[block.text] = strip_spaces(block.text)
        return "".join([stripped[block.text] for block in unit.blocks])


@dataclass
class PageLexicon:
    """Bigram evidence over one page's units, for one pass of
    :func:`demote_weak_headings`.

    Only the lexicon and the bigrams are made up front; the rest is made when
    first asked for.  Most passes judge few groups, or none (a second pass
    looks only at the groups next to a joined story), and the page's story
    cohesion alone cost a third of split on the sample page."""

    units: list[Unit]
    config: Config
    grams: list[Counter[int]]
    lexicon: Lexicon
    #: Positions of the body units.
    bodies: list[int] = field(default_factory=list)
    lexicons: BodyLexicons = field(default_factory=BodyLexicons)
    _vectors: dict[int, Vector] = field(default_factory=dict)

    @cached_property
    def story_cohesion(self) -> float:
        """See :func:`story_cohesion`."""
        return story_cohesion(self.units, self.lexicon, self.lexicons.grams, self.config)

    @cached_property
    def byline_share(self) -> float:
        """Share of the page's bodies that open with a byline: where every
        story opens with one (the seed), a heading line with none after it is
        rarely a new story."""
        units = self.units
        return sum(units[i].opens_with_byline for i in self.bodies) / max(1, len(self.bodies))

    @cached_property
    def body_text(self) -> str:
        """The bodies' text without spaces, for phrase_in_body."""
        return _body_text(self.units, self.lexicons)

    @cached_property
    def _holders(self) -> dict[int, list[int]]:
        """Bigram -> positions of the bodies that hold it; filled for the
        bigrams of heading groups when first needed, for any other when first
        asked for."""
        return _heading_gram_holders(self.units, self.grams, self.bodies)

    def vector(self, i: int) -> Vector:
        """Unit ``i``'s tf-idf vector, made when first asked for: only the
        bodies around a heading group need one."""
        if i not in self._vectors:
            self._vectors[i] = self.lexicon.vector(self.grams[i])
        return self._vectors[i]

    def holders(self, gram: int) -> list[int]:
        """Positions of the bodies whose bigrams include ``gram``."""
        holders = self._holders
        if gram not in holders:
            holders[gram] = [i for i in self.bodies if gram in self.grams[i]]
        return holders[gram]

    def coverages(self, weighted: dict[int, float]) -> dict[int, float]:
        """:meth:`Lexicon.coverage` of ``weighted`` in each body, by position.

        Each body's found weights are gathered through :meth:`holders` in the
        order of ``weighted`` and summed as coverage sums them; testing every
        bigram of every heading against every body took most of split on
        pages of sixty headings and sixty bodies."""
        total = sum(weighted.values())
        found: dict[int, list[float]] = {}
        if total:
            for gram, weight in weighted.items():
                for body in self.holders(gram):
                    found.setdefault(body, []).append(weight)
        return {body: sum(found[body]) / total if body in found else 0.0
                for body in self.bodies}

    @classmethod
    def of(cls, units: list[Unit], config: Config,
           lexicons: BodyLexicons | None = None) -> PageLexicon:
        """The evidence over ``units``; the lexicon comes from ``lexicons``
        when given, so the passes and steps that see the same bodies share it."""
        lexicons = lexicons or BodyLexicons()
        # A body's halves are counted on the way: story_cohesion compares them.
        grams = [lexicons.grams.of_joined(unit.texts(), halves=not unit.is_heading)
                 for unit in units]
        bodies = [i for i, unit in enumerate(units) if not unit.is_heading]
        return cls(units, config, grams, lexicons.of(units), bodies, lexicons)


def _heading_gram_holders(units: list[Unit], grams: list[Counter[int]],
                          bodies: list[int]) -> dict[int, list[int]]:
    """For each bigram of a heading group, the bodies that hold it: one set
    intersection per body instead of one lookup per heading, gram and body.
    (``keys() & set`` walks the smaller side, the headings' few bigrams;
    ``set.intersection`` walked every bigram of the body.)"""
    heading_grams: set[int] = set()
    for i, unit in enumerate(units):
        if unit.is_heading:
            heading_grams.update(grams[i])
    holders: dict[int, list[int]] = {gram: [] for gram in heading_grams}
    for i in bodies:
        for gram in grams[i].keys() & heading_grams:
            holders[gram].append(i)
    return holders


def story_cohesion(units: list[Unit], lexicon: Lexicon, grams: PageGrams,
                   config: Config) -> float:
    """How alike the two halves of one story are on this page (median over
    bodies): a page of one topic (all 党建) is cohesive everywhere, a page of
    briefs is not, and the bodies around a heading are judged against that."""
    values = []
    for unit in units:
        if unit.is_heading or len(unit.blocks) < 2:
            continue
        first_half, second_half = halves_of(unit.texts())
        first = lexicon.vector(grams.of_joined(first_half))
        second = lexicon.vector(grams.of_joined(second_half))
        values.append(cosine(first, second))
    if not values:
        return config.default_story_cohesion
    values.sort()
    return values[len(values) // 2]


def demote_weak_headings(units: list[Unit], config: Config,
                         lexicons: BodyLexicons | None = None) -> list[Unit]:
    """subhead_cohesion / heading_model: a heading group between two bodies that
    read as one story is not a headline.  `金融扶贫遍地开花` between two parts of
    the 金融扶贫 story becomes a subhead; a paragraph's first line that rejoin
    left alone (`2问：修订《条例》遵循的主要原则是`) goes back into its paragraph.

    With ``heading_model`` on (the default), the shipped logistic model weighs
    the evidence (see :func:`heading_features`); otherwise fixed rules decide:
    no strong sign of a new story and cohesive bodies around it.

    rejudge_after_demotion: a demoted subhead joins the two bodies around it,
    and the groups next to that story (only those: the others' neighbours are
    as they were) are judged again against it, until nothing changes.  Judged
    against the fragments a second subhead cut off, a subhead looks like a
    title: corpus d036 prints `百家宴摆到大门口`, then three paragraphs, then
    `小福娃想念习爷爷`; against the three paragraphs alone the model gave
    `百家宴…` .515 (a title, a new story), against the story made whole .257
    (unsure: the cohesion rules find it a subhead)."""
    if not config.rule_enabled("subhead_cohesion"):
        return units
    lexicons = lexicons or BodyLexicons()
    grown: set[int] | None = None
    while True:
        units, grown = _demote_once(units, config, grown, lexicons)
        if not grown or not config.rule_enabled("rejudge_after_demotion"):
            return units


def _demote_once(units: list[Unit], config: Config, grown: set[int] | None = None,
                 lexicons: BodyLexicons | None = None) -> tuple[list[Unit], set[int]]:
    """One pass of :func:`demote_weak_headings` over the units as they stand:
    the groups between two bodies, or with ``grown`` (ids of the bodies the
    last pass joined) only the groups next to one of those.  Returns the units
    and the ids of the bodies this pass joined."""
    context = PageLexicon.of(units, config, lexicons)
    between = [
        unit.is_heading and 0 < i < len(units) - 1
        and not units[i - 1].is_heading and not units[i + 1].is_heading
        and (grown is None or id(units[i - 1]) in grown or id(units[i + 1]) in grown)
        for i, unit in enumerate(units)
    ]
    noted = [
        between[i] and _after_editor_note(units[i - 1], config)
        and not (config.rule_enabled("strong_heading") and _strong_heading(
            units[i], units[i + 1], config))
        for i in range(len(units))
    ]
    demote = [
        noted[i] or (between[i] and _reads_as_body(units, i, context, config))
        for i in range(len(units))
    ]
    out: list[Unit] = []
    joined: set[int] = set()
    i = 0
    while i < len(units):
        if (noted[i] or demote[i]) and out and not out[-1].is_heading:
            joined.add(id(out[-1]))
        if noted[i] and out and not out[-1].is_heading:
            out[-1].blocks.extend(
                _phrase_block(phrase, Kind.SUBHEAD, "split:editor_note")
                for phrase in heading_phrases(units[i], i, config, _body_text(units, lexicons))
            )
            out[-1].blocks.extend(units[i + 1].blocks)
            i += 2
            continue
        if demote[i] and out and not out[-1].is_heading:
            out[-1].blocks.extend(_demote(units[i], out[-1], units[i + 1], config))
            out[-1].blocks.extend(units[i + 1].blocks)
            _fold_fragments(out[-1])
            i += 2
            continue
        out.append(units[i])
        i += 1
    return out, joined


def _body_text(units: list[Unit], lexicons: BodyLexicons | None = None) -> str:
    """The bodies' text without spaces: each block stripped on its own, so
    that ``lexicons`` strips a block once per page."""
    spaceless = (lexicons or BodyLexicons()).spaceless
    return "".join(spaceless(unit) for unit in units if not unit.is_heading)


def _after_editor_note(before: Unit, config: Config) -> bool:
    """editor_note: `——编者` signs the note that opens a story; the heading
    lines right under it (`健身消费一路走俏` / `健身设施仍表现出…等特征`) are that
    story's first subheads, not a new story."""
    return config.rule_enabled("editor_note") and bool(
        _EDITOR_NOTE_END_RE.match(before.blocks[-1].text)
    )


def _reads_as_body(units: list[Unit], i: int, context: PageLexicon, config: Config) -> bool:
    unit, before, after = units[i], units[i - 1], units[i + 1]
    if config.rule_enabled("strong_heading") and _strong_heading(unit, after, config):
        return False
    if config.rule_enabled("titles_stories_above") and _titles_stories_above(
        units, i, context, config
    ):
        return False
    if config.rule_enabled("parallel_subheads") and _parallel_subheads(
        units, i, config, context.body_text
    ):
        return True
    if config.rule_enabled("heading_model"):
        model = heading_model(config.heading_model_path)
        probability = model.probability(heading_features(units, i, context))
        if probability < config.heading_threshold:
            return True
        if probability >= config.heading_sure:
            return False
    return _is_weak(unit, before, after, context.lexicon, config) and _reads_on(
        context.vector(i - 1), context.vector(i + 1), unit, context.lexicon,
        context.grams[i + 1], config,
    )


def _parallel_subheads(units: list[Unit], i: int, config: Config, body_text: str) -> bool:
    """parallel_subheads: a story's subheads are set alike, a short line over
    a longer one, and a group shaped like another subhead group of the page
    is one more of them.  Alike: as many phrases, the first as long and at
    most ``parallel_subhead_chars``, none with a column tag, the first not
    closing on a colon (a kicker's mark).  Corpus d011: `健身消费一路走俏` /
    `健身设施仍表现出…等特征`, then `健身服务亟待升级` / `有些健身房内卫生状况…`;
    d035: `港口更大气` / …, `产业添活力` / …; d008: `乘势而上` / …, `深化改革` / ….
    A dash closing the first phrase is allowed: d036 sets three subheads
    `临江又亲江——` / `滨水空间正在形成`, `靠水更护水——` / …, `发展能联动——` / …;
    over the corpus, allowing it turned no story's heading into a subhead.
    The other groups are those still on the page and those the story above
    already took in as subheads."""
    shape = _subhead_shape(units[i], i, config, body_text)
    if shape is None:
        return False
    others = [_subhead_shape(unit, j, config, body_text) for j, unit in enumerate(units)
              if j != i and unit.is_heading and 0 < j < len(units) - 1
              and not units[j - 1].is_heading and not units[j + 1].is_heading]
    others += [(len(group), len(group[0])) for group in _subhead_groups(units[i - 1])]
    return shape in others


def _subhead_shape(unit: Unit, i: int, config: Config, body_text: str) -> tuple[int, int] | None:
    """(phrases, length of the first) of a group that may be a subhead of the
    short-over-long kind, or None."""
    phrases = [phrase.text() for phrase in heading_phrases(unit, i, config, body_text)]
    if len(phrases) < 2 or len(phrases[0]) > config.parallel_subhead_chars:
        return None
    if phrases[0].endswith(("：", ":")) or any(
        TITLE_WITH_TAG_RE.search(text) or TAG_LINE_RE.match(text) for text in phrases
    ):
        return None
    return len(phrases), len(phrases[0])


#: The evidence a block carries when it was printed as a heading and split
#: read it as part of a story: its groups are that story's subheads.
_DEMOTED = ("split:subhead_cohesion", "split:editor_note", "split:fold_fragment")


def _subhead_groups(body: Unit) -> list[list[str]]:
    """The heading groups a body took in as subheads, each as the lines of
    one group (`健身消费一路走俏`, `健身设施仍表现出…等特征`)."""
    groups: list[list[str]] = []
    previous_was_demoted = False
    for block in body.blocks:
        demoted = block.kind is Kind.SUBHEAD or any(e in block.evidence for e in _DEMOTED)
        if demoted and previous_was_demoted:
            groups[-1].append(block.text)
        elif demoted:
            groups.append([block.text])
        previous_was_demoted = demoted
    return groups


def _titles_stories_above(units: list[Unit], i: int, context: PageLexicon,
                         config: Config) -> bool:
    """titles_stories_above: a group of two or more title phrases, with no
    clause punctuation, each of which titles a story printed above the group
    (its best lexical coverage, at least ``min_heading_score``, lies in an
    earlier body) and not all the same story, holds the titles of stories set
    after their text.  The seed prints `金融扶贫为我市脱贫攻坚注入不竭动力` /
    `我市电商产业发展如火如荼` under the 电商 body, over a photo story: the
    model reads the group that covers the body above it as that story's
    subhead (.167).  A subhead titles the story it stands in, one story; in
    the 40-page corpus no group that is not a heading has this shape, and of
    300 synthetic pages one, a heading already kept."""
    unit = units[i]
    if len(unit.blocks) < 2 or any(CLAUSE_PUNCT_RE.search(b.text) for b in unit.blocks):
        return False
    phrases = heading_phrases(unit, i, config, context.body_text)
    if len(phrases) < 2:
        return False
    titled = set()
    for phrase in phrases:
        coverage = context.coverages(context.lexicon.weighted(phrase.text()))
        best = max(coverage, key=coverage.__getitem__, default=None)
        if best is None or best > i or coverage[best] < config.min_heading_score:
            return False
        titled.add(best)
    return len(titled) > 1


SHIPPED_HEADING_MODEL = Path(__file__).resolve().parent.parent / "data" / "heading_model.json"


@cache
def heading_model(path: Path | None = None) -> LogisticModel:
    """The heading model (the shipped one unless ``path``), read once per process."""
    return LogisticModel.load(path or SHIPPED_HEADING_MODEL)


#: The signature under an editor's note (`——编者`, `——编 者`): the note opens
#: the story whose first subheads follow it.
_EDITOR_NOTE_END_RE = re.compile(r"^——\s*编\s*者$")

#: Subhead bullets and the marks that open a byline or a list (`□ 本报记者…`).
_BULLETS = (*SUBHEAD_BULLETS, "□", "◇", "○")


def heading_features(units: list[Unit], i: int, context: PageLexicon) -> dict[str, float]:
    """Evidence on whether heading group ``units[i]`` opens a new story.

    Named for what they measure; the model's weights say how much each counts.
    """
    unit, before, after = units[i], units[i - 1], units[i + 1]
    text = unit.text()
    weighted = context.lexicon.weighted(text)
    coverage = context.coverages(weighted)
    # Split asks only of a group between two bodies; a caller may ask of any.
    cov_next, cov_prev = (
        coverage[j] if j in coverage else Lexicon.coverage(weighted, context.grams[j])
        for j in (i + 1, i - 1)
    )
    cov_best = max(coverage.values(), default=0.0)
    coh = cosine(context.vector(i - 1), context.vector(i + 1))
    blocks = unit.blocks
    return {
        "bodies_cohesion": coh,
        "bodies_cohesion_log": math.log(coh + 0.001),
        "cohesion_vs_page": coh / (context.story_cohesion + 0.01),
        "covers_next_body": cov_next,
        "covers_previous_body": cov_prev,
        "covers_next_more": cov_next - cov_prev,
        "covers_a_body_elsewhere": cov_best - max(cov_next, cov_prev),
        "lines": float(len(blocks)),
        "chars": float(len(text)),
        "longest_line_chars": float(max(len(b.text) for b in blocks)),
        "wider_than_column": float(any("rejoin:wider_than_column" in b.evidence for b in blocks)),
        "column_tag": float(any(TITLE_WITH_TAG_RE.search(b.text) or TAG_LINE_RE.match(b.text)
                                for b in blocks)),
        "colon_kicker": float(len(blocks) > 1 and blocks[0].text.endswith(("：", ":"))),
        "dash_subheadline": float(any(b.kind is Kind.SUBHEADLINE for b in blocks)),
        "byline_follows": float(after.opens_with_byline),
        "page_byline_share": context.byline_share,
        "no_byline_on_a_byline_page": context.byline_share * (not after.opens_with_byline),
        "previous_ends_sentence": float(ends_sentence(before.blocks[-1].text)),
        "previous_is_photo": float(before.blocks[-1].kind in (Kind.CAPTION, Kind.CREDIT)),
        "has_comma": float(any(mark in text for mark in "，、,")),
        "ends_with_dash": float(text.endswith("——")),
        "bullet": float(text.startswith(_BULLETS)),
        "quoted_in_next_body": float(
            strip_spaces(text) in context.lexicons.spaceless(after)
        ),
        "next_body_chars_log": math.log(1 + len(after.text())),
        "previous_body_chars_log": math.log(1 + len(before.text())),
    }


def _strong_heading(unit: Unit, after: Unit, config: Config) -> bool:
    """strong_heading: a column tag (`（生活漫步）`), a `——` subheadline, a
    byline or a photo caption right after, or a section label (`新闻速递`): a
    new story whatever the bodies' words say.  A story's subhead is followed
    by its text, never by a caption: `图片报道` over `1月7日，泥塑…传承人
    胡新明（右）…` / `新华社记者 都红刚摄` is the photo story's title."""
    if after.opens_with_byline or _titles_photo(unit, after, config):
        return True
    if unit.blocks[0].text in load_list("sections", config.user_dictionaries):
        return True  # `新闻速递` over a brief's title opens the briefs
    if TITLE_WITH_TAG_RE.search(unit.text()):
        return True  # `武术入青奥打开新天地（体坛观` / `澜）`: a tag broken over lines
    return any(
        block.kind is Kind.SUBHEADLINE
        or TITLE_WITH_TAG_RE.search(block.text)
        or TAG_LINE_RE.match(block.text)
        for block in unit.blocks
    )


def _titles_photo(unit: Unit, after: Unit, config: Config) -> bool:
    """A title right over a photo caption.  A paragraph's first line left over
    the caption is not one: it has a clause in it (`1月2日，第九届…冰雕比赛在哈尔
    滨冰`) or a word runs on into the caption (`《义勇军进行曲》演` / `奏完毕，…`)."""
    first = after.blocks[0]
    return (
        first.kind is Kind.CAPTION
        and not any(CLAUSE_PUNCT_RE.search(block.text) for block in unit.blocks)
        and not word_across(unit.blocks[-1].text, first.text, config)
    )


def _is_weak(unit: Unit, before: Unit, after: Unit, lexicon: Lexicon, config: Config) -> bool:
    """No strong sign of a new story: no byline after it, not set across
    columns, no column tag `（代表之声）`, no subheadline."""
    if after.opens_with_byline:
        return False
    for block in unit.blocks:
        if block.kind is Kind.SUBHEADLINE or "rejoin:wider_than_column" in block.evidence:
            return False
    if any(TITLE_WITH_TAG_RE.search(block.text) or TAG_LINE_RE.match(block.text)
           for block in unit.blocks):
        return False
    # `蔡笃强：` over `抓捕罪犯奋不顾身`: a name-and-colon kicker opens a story.
    return not (len(unit.blocks) > 1 and unit.blocks[0].text.endswith(("：", ":")))


def _reads_on(before: Vector, after: Vector, unit: Unit, lexicon: Lexicon,
              after_grams: Counter[int], config: Config) -> bool:
    if cosine(before, after) >= config.subhead_cohesion:
        return True
    single = len(unit.blocks) == 1
    coverage = Lexicon.coverage(lexicon.weighted(unit.text()), after_grams)
    return single and coverage < config.min_headline_coverage


def _demote(unit: Unit, before: Unit, after: Unit, config: Config) -> list[Block]:
    """A demoted heading's leading lines are in-story subheads when they are
    short, have no punctuation and follow a sentence end; the lines after
    them (a paragraph's first line that rejoin left alone: `金融扶贫遍地开花` /
    `近年来，在市委、…`) go back to the text as paragraphs.  A subhead may be
    two lines (`放宽准入` / `企业迎来新机遇`): each stays a subhead."""
    heads = _subhead_lines(unit, before, after, config)
    blocks = list(unit.blocks)
    if heads >= 2:
        blocks[:heads] = _rejoin_decks(blocks[:heads], config)
        heads -= len(unit.blocks) - len(blocks)
    return [
        replace(block, kind=Kind.SUBHEAD if i < heads else Kind.PARAGRAPH,
                evidence=block.evidence + ("split:subhead_cohesion",))
        for i, block in enumerate(blocks)
    ]


def _rejoin_decks(heads: list[Block], config: Config) -> list[Block]:
    """A long subhead line (a deck, :func:`_subhead_deck`, or one set as a
    title, :func:`_set_as_title`) is one line of text that may wrap over raw
    lines: segment cut rejoin's blocks back into lines, as it does every
    heading (``heading_lines``), and marked those that ran on (``RAN_ON``:
    `有些健身房内卫生状况、器械完好程度` / `等不尽如人意`); rejoin kept others
    apart as titles of their own, though a word runs across the break
    (`…评价类职业` / `资格全部转为…`: 职业资格).  Either joins the line above again."""
    out: list[Block] = []
    for block in heads:
        previous = out[-1] if out else None
        if (
            previous is not None
            and len(previous.text) > config.max_subhead_chars
            and (RAN_ON in block.evidence or word_across(previous.text, block.text, config))
        ):
            out[-1] = replace(previous, text=previous.text + block.text,
                              lines=(previous.lines[0], block.lines[1]))
        else:
            out.append(block)
    return out


#: Punctuation no subhead line holds; `、` lists in one (`展品可听、可摸、可操作`).
_SUBHEAD_STOP_RE = re.compile(r"[，。；：？！,;:?!]")


def _subhead_lines(unit: Unit, before: Unit, after: Unit, config: Config) -> int:
    """How many leading lines of demoted ``unit`` (between the bodies
    ``before`` and ``after``) are subheads: short lines without punctuation
    after a sentence end.  The first line that is longer or punctuated is a
    paragraph's first line, and so is every line after it, unless it is a
    subhead's deck (:func:`_subhead_deck`) or a line rejoin set as a title
    (:func:`_set_as_title`)."""
    if not ends_sentence(before.blocks[-1].text):
        return 0
    heads = 0
    deck_at = None
    for block in unit.blocks:
        if _SUBHEAD_STOP_RE.search(block.text):
            break
        if deck_at is not None and RAN_ON not in block.evidence:
            break  # a deck ends the subhead: only its own wrapped lines follow
        long = len(block.text) > config.max_subhead_chars
        if long and deck_at is None and not _set_as_title(block, config):
            if not (heads and _subhead_deck(block, config)):
                break
            deck_at = heads
        heads += 1
    if deck_at is not None:
        following = [*unit.blocks[heads:], *after.blocks][:1]
        if following and word_across(unit.blocks[heads - 1].text, following[0].text, config):
            return deck_at  # `…产生巨大冲` / `击。`: the line's words run on
    return heads


#: Rejoin's evidence for a line it set apart by its shape as a title.
_TITLE_SHAPES = ("rejoin:bullet_title", "rejoin:title_over_indent")


def _set_as_title(block: Block, config: Config) -> bool:
    """title_shaped_subhead: a line that rejoin set apart as a title by its
    shape, for its bullet (``bullet_title``: `●确保养老服务既放得开、又管得住`,
    corpus d018) or as a full unpunctuated line over an indented one
    (``title_over_indent``: `年底前技能人员水平评价类职业` / `资格全部转为职业
    技能等级认定`, d037), is a subhead however long, up to
    ``max_subhead_deck_chars``: over the corpus, every such line in a group
    split reads as part of a story is a gold subhead's."""
    return (
        config.rule_enabled("title_shaped_subhead")
        and any(shape in block.evidence for shape in _TITLE_SHAPES)
        and len(block.text) <= config.max_subhead_deck_chars
    )


def _subhead_deck(block: Block, config: Config) -> bool:
    """subhead_deck: under a subhead, a longer line with no punctuation that
    rejoin ended on a short line of its own is the subhead's second deck
    (corpus d011: `健身服务亟待升级` / `有些健身房内卫生状况、器械完好程度` /
    `等不尽如人意`, then the text), not the first line of the paragraph after
    it.  Only one deck, right under the subhead, and only when no word runs
    on from it into the text after it (`在线二手交易红火发展对实体销售渠道
    产生巨大冲` / `击。`, corpus d010, where the column estimate left `击。`
    apart).  At most ``max_subhead_deck_chars`` long."""
    return (
        config.rule_enabled("subhead_deck")
        and len(block.text) <= config.max_subhead_deck_chars
        and not ends_sentence(block.text)
        and "rejoin:short_line" in block.evidence
    )


def _fold_fragments(unit: Unit, rule: str = "split:subhead_cohesion") -> None:
    """A demoted line that does not end a sentence opens the paragraph after it."""
    blocks = unit.blocks
    i = 0
    while i < len(blocks) - 1:
        block, following = blocks[i], blocks[i + 1]
        if (
            block.kind is Kind.PARAGRAPH
            and rule in block.evidence
            and not ends_sentence(block.text)
            and following.kind is Kind.PARAGRAPH
        ):
            blocks[i] = Block(Kind.PARAGRAPH, block.text + following.text,
                              (block.lines[0], following.lines[1]),
                              following.evidence + ("split:fold_fragment",))
            del blocks[i + 1]
            continue
        i += 1


# --- step 4 -------------------------------------------------------------------


def _prior(group_pos: int, body_pos: int, body: Unit, config: Config) -> float:
    if body_pos == group_pos + 1:
        return config.prior_next_byline if body.opens_with_byline else config.prior_next
    if body_pos == group_pos - 1:
        return config.prior_previous
    return 0.0


def assign_headings(units: list[Unit], config: Config,
                    lexicons: BodyLexicons | None = None) -> dict[int, list[Phrase]]:
    """Map body unit position -> its heading phrases."""
    lexicons = lexicons or BodyLexicons()
    bodies = [pos for pos, unit in enumerate(units) if not unit.is_heading]
    body_grams = {pos: lexicons.grams.of_joined(units[pos].texts()) for pos in bodies}
    lexicon = lexicons.of(units)
    body_text = _body_text(units, lexicons)
    phrases: list[tuple[int, Phrase]] = []
    for pos, unit in enumerate(units):
        if unit.is_heading:
            phrases.extend((pos, p) for p in heading_phrases(unit, pos, config, body_text))
    lexical = config.rule_enabled("assign_headings")
    group_size = Counter(pos for pos, _phrase in phrases)
    scored = []
    photo_labels = load_list("photo_labels", config.user_dictionaries)
    for n, (pos, phrase) in enumerate(phrases):
        text = phrase.text()
        grams = lexicon.weighted(text)
        for body in bodies:
            if text in photo_labels and not _has_photo_credit(units[body]):
                continue  # `图片报道` titles a photo, never a story without one
            # How many phrases of the group stand between this one and the body.
            gap = group_size[pos] - 1 - phrase.index if body > pos else phrase.index
            prior = _prior(pos, body, units[body], config) * config.prior_decay**gap
            if not lexical:
                # Switched off: every heading goes to the body printed after it.
                scored.append((1.0, 0, n, body)) if body == pos + 1 else None
                continue
            score = lexicon.coverage(grams, body_grams[body]) + prior
            # On a tie the phrase printed nearer the body takes it.
            if prior or score >= config.min_heading_score:
                scored.append((score, gap, n, body))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    owner: dict[int, int] = {}
    taken: dict[int, list[Phrase]] = {}
    for _score, _gap, n, body in scored:
        if n in owner:
            continue
        if _accepts(taken.get(body), phrases[n][1], photo_labels):
            owner[n] = body
            taken.setdefault(body, []).append(phrases[n][1])
    _attach_leftovers(phrases, owner, taken, photo_labels)
    _keep_subheadlines_with_titles(phrases, owner, taken)
    for value in taken.values():
        value.sort(key=lambda p: p.index)
    return taken


def _has_photo_credit(unit: Unit) -> bool:
    return any(block.kind is Kind.CREDIT and _PICTURE_CREDIT_RE.search(block.text)
               for block in unit.blocks)


def _keep_subheadlines_with_titles(phrases: list[tuple[int, Phrase]], owner: dict[int, int],
                                   taken: dict[int, list[Phrase]]) -> None:
    """A `——` subheadline belongs to the title printed right above it
    (`长江滚滚向前生活蒸蒸日上` / `——写在…之际③` / `住得更暖心…` / `——回访…`):
    when the two went to different bodies, it follows its title."""
    for n, (_pos, phrase) in enumerate(phrases):
        if n == 0 or n not in owner or n - 1 not in owner:
            continue
        above = phrases[n - 1][1]
        if (
            phrase.text().startswith("——")
            and above.group == phrase.group
            and not above.text().startswith("——")
            and owner[n] != owner[n - 1]
        ):
            taken[owner[n]].remove(phrase)
            taken[owner[n - 1]].append(phrase)
            owner[n] = owner[n - 1]


def _accepts(current: list[Phrase] | None, phrase: Phrase,
             photo_labels: tuple[str, ...] = ()) -> bool:
    """A body takes phrases of one group only, next to the ones it has.  A
    title closing on a column tag ends its heading: only a `——` subheadline
    follows it (`让群众的幸福稳稳的（今日谈）` over `图片报道` titles two stories).
    A photo label (`图片报道`) is its photo's whole title."""
    if not current:
        return True
    if any(p.text() in photo_labels for p in [*current, phrase]):
        return False
    if current[0].group != phrase.group:
        return False
    indices = {p.index for p in current}
    if phrase.index - 1 not in indices and phrase.index + 1 not in indices:
        return False
    ordered = sorted([*current, phrase], key=lambda p: p.index)
    return not any(_closes_heading(above) and not below.text().startswith("——")
                   for above, below in zip(ordered, ordered[1:]))


def _closes_heading(phrase: Phrase) -> bool:
    return bool(TITLE_WITH_TAG_RE.search(phrase.text()))


def _attach_leftovers(phrases: list[tuple[int, Phrase]], owner: dict[int, int],
                      taken: dict[int, list[Phrase]], photo_labels: tuple[str, ...]) -> None:
    """A phrase with no body of its own joins its neighbour's heading
    (`乱占耕地建房问题整治工作推进会` under `尉文龙刘晋萍收听收看全省农村`)."""
    changed = True
    while changed:
        changed = False
        for n, (_pos, phrase) in enumerate(phrases):
            if n in owner:
                continue
            for m in (n - 1, n + 1):
                if 0 <= m < len(phrases) and m in owner and phrases[m][1].group == phrase.group:
                    body = owner[m]
                    if _accepts(taken[body], phrase, photo_labels):
                        owner[n] = body
                        taken[body].append(phrase)
                        changed = True
                        break


def heading_blocks(phrases: list[Phrase], config: Config, house_subheadlines: bool = False,
                   ) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    """Phrases of one story as kicker, headline, subheadline blocks, and the
    blocks that open its body instead: under a section label (`新闻速递`,
    `图片报道`) the title that follows is the first brief's subhead."""
    if not phrases:
        return (), ()
    if (
        len(phrases) > 1
        and config.rule_enabled("section_label")
        and phrases[0].text() in load_list("sections", config.user_dictionaries)
        and not any(TITLE_WITH_TAG_RE.search(p.text()) for p in phrases[1:])
    ):
        label = _phrase_block(phrases[0], Kind.HEADLINE, "split:section_label")
        subheads = tuple(_phrase_block(p, Kind.SUBHEAD, "split:section_label")
                         for p in phrases[1:])
        return (label,), subheads
    roles = _roles(phrases, config, house_subheadlines)
    return tuple(_phrase_block(p, kind, "split:assign_headings")
                 for p, kind in zip(phrases, roles)), ()


def _phrase_block(phrase: Phrase, kind: Kind, rule: str) -> Block:
    text = "".join(block.text for block in phrase.blocks)
    span = (phrase.blocks[0].lines[0], phrase.blocks[-1].lines[1])
    evidence = tuple(e for block in phrase.blocks for e in block.evidence)
    return Block(kind, text, span, evidence + (rule,))


def _roles(phrases: list[Phrase], config: Config, house_subheadlines: bool = False) -> list[Kind]:
    """Kicker, headline, subheadline of one story's phrases, in print order.

    A phrase opening with `——` is a subheadline; a phrase closing on a column
    tag `（代表之声）` is the headline (a phrase after it is its subheadline);
    of two plain phrases, the first is the headline when it is set larger
    (``larger_type``) or when the page sets its titles over undashed
    subheadlines (``house_subheadlines``, ``page_subheadline_style``);
    otherwise the last phrase is the headline and those above it kickers,
    the usual 引题 + 主题 layout."""
    if not phrases:
        return []
    roles = [Kind.KICKER] * len(phrases)
    dashed = [_dashed(p) for p in phrases]
    main = [i for i in range(len(phrases)) if not dashed[i]]
    if not main:
        roles[0] = Kind.HEADLINE
        return [Kind.HEADLINE] + [Kind.SUBHEADLINE] * (len(phrases) - 1)
    tagged = [i for i in main if TITLE_WITH_TAG_RE.search(phrases[i].text())]
    headline = tagged[0] if tagged else main[-1]
    if (
        not tagged and len(main) == 2
        and _first_is_headline(phrases[main[0]], phrases[main[1]], config, house_subheadlines)
    ):
        headline = main[0]
    if any(dashed) and not tagged:
        headline = max((i for i in main if i < dashed.index(True)), default=main[-1])
    for i in range(len(phrases)):
        if i == headline:
            roles[i] = Kind.HEADLINE
        elif dashed[i] or i > headline:
            roles[i] = Kind.SUBHEADLINE
    return roles


def _dashed(phrase: Phrase) -> bool:
    """A subheadline by its form: `——` (segment marks it), or a bracketed date
    under a speech's title."""
    return (phrase.text().startswith("——") or phrase.blocks[0].kind is Kind.SUBHEADLINE
            or bool(_DATE_LINE_RE.match(phrase.text())))


def _plain_pair(phrases: list[Phrase]) -> tuple[Phrase, Phrase] | None:
    """The two plain phrases of a title with no `——` line and no column tag."""
    if any(_dashed(p) or TITLE_WITH_TAG_RE.search(p.text()) for p in phrases):
        return None
    return (phrases[0], phrases[1]) if len(phrases) == 2 else None


def _first_is_headline(first: Phrase, second: Phrase, config: Config,
                       house_subheadlines: bool) -> bool:
    """Of two plain phrases, is the first the headline and the second its
    subheadline?  Set larger (``larger_type``), or on a page set in that house
    style unless the second is set larger or the first reads as a kicker."""
    if config.rule_enabled("larger_type") and _set_larger(first, second):
        return True
    return (
        house_subheadlines and config.rule_enabled("page_subheadline_style")
        and not _set_larger(second, first) and not _reads_as_kicker(first, second, config)
    )


def _reads_as_kicker(first: Phrase, second: Phrase, config: Config) -> bool:
    """A phrase ending on a colon or `——` leads into the title under it; a
    short tag (`赵克志强调` over `纵深推进打击治理电信网络新型违法犯罪`,
    corpus d032) names who speaks or where, above the title proper."""
    text = first.text()
    return text.endswith(("：", ":", "——")) or (
        cells(text) <= config.kicker_tag_share * cells(second.text()))


def page_sets_subheadlines(taken: dict[int, list[Phrase]], config: Config) -> bool:
    """page_subheadline_style: one story of the page shows by its type sizes
    (``larger_type``) that its first plain title is the headline and the
    second an undashed subheadline; a page is set in one house style, so
    its other two-title stories are read the same way.  Corpus d032: the
    wrap of `铁路公安严厉打击倒卖车` / `票` over `破获倒票案件2782起缴获假火车`
    shows it, and `军队“不忘初心、牢记使命”主题教育总结大会召开` over
    `许其亮张又侠出席会议并讲话`, `大范围雨雪天气将现中东部` over
    `华北黄淮等地有雾或霾` are headline and subheadline too, not kicker and
    headline (d018 likewise)."""
    if not (config.rule_enabled("page_subheadline_style") and config.rule_enabled("larger_type")):
        return False
    pairs = (_plain_pair(phrases) for phrases in taken.values())
    return any(pair is not None and _both_wrap(*pair) and _set_larger(*pair) for pair in pairs)


def _both_wrap(first: Phrase, second: Phrase) -> bool:
    """Both titles run over lines, so both type sizes are measured: a kicker
    broken by design (`最高法出台意见强化` / `善意文明执行理念` over a one-line
    `严格禁止超标的查封和乱查封`, corpus d003 read by OCR) shows no wrap width."""
    return len(first.blocks) > 1 and len(second.blocks) > 1


def _set_larger(first: Phrase, second: Phrase) -> bool:
    """larger_type: ``first`` is set in larger type than ``second`` below it:
    it wraps at fewer cells a line than ``second`` runs to (`铁路公安严厉打击倒卖车` /
    `票` over `破获倒票案件2782起缴获假火车` / `票12.1万余张`, corpus d032).  The
    main title is the larger, so ``first`` is the headline and ``second`` its
    subheadline, not a kicker over a headline."""
    if len(first.blocks) < 2:
        return False
    wrap = cells(first.blocks[0].text)
    other = cells(second.blocks[0].text) if len(second.blocks) > 1 else cells(second.text())
    return other > wrap + 1


# --- assembly -------------------------------------------------------------------


def build_articles(units: list[Unit], taken: dict[int, list[Phrase]],
                   config: Config) -> list[Article]:
    placed: list[tuple[int, Article]] = []
    owned = {id(b) for phrases in taken.values() for p in phrases for b in p.blocks}
    house_subheadlines = page_sets_subheadlines(taken, config)
    for pos, unit in enumerate(units):
        if unit.is_heading:
            orphan = [b for b in unit.blocks if id(b) not in owned]
            if orphan:
                orphans = heading_phrases(Unit(True, orphan), pos, config)
                heading, opening = heading_blocks(orphans, config, house_subheadlines)
                placed.append((orphan[0].lines[0], Article(heading=heading, body=opening)))
            continue
        heading, opening = heading_blocks(taken.get(pos, []), config, house_subheadlines)
        body = [b for b in unit.blocks if b.kind is not Kind.BYLINE]
        bylines = tuple(b for b in unit.blocks if b.kind is Kind.BYLINE)
        article = Article(heading=heading + bylines, body=opening + tuple(body))
        placed.append((unit.first_line, article))
    placed.sort(key=lambda item: item[0])
    return [article for _line, article in placed]


def attach_jumps(articles: list[Article], page: Page, config: Config) -> list[Article]:
    """jump_metadata: a dropped `（下转第3版）` says where the story goes on."""
    if not config.rule_enabled("jump_metadata"):
        return articles
    out = list(articles)
    for dropped in page.dropped:
        if dropped.why != "jump-line":
            continue
        to = _JUMP_TO_RE.search(dropped.text)
        source = _JUMP_FROM_RE.search(dropped.text)
        if to:
            # `（下转右下）` ends the part of a story printed above it...
            target = _article_before_line(out, dropped.lines[0])
            if target is not None:
                out[target] = replace(out[target], continues_on=to.group(2))
        elif source:
            # ...and `（上接左上）` opens the part printed below it.
            target = _article_after_line(out, dropped.lines[1])
            if target is not None:
                out[target] = replace(out[target], continued_from=source.group(2))
    return out


def _article_after_line(articles: list[Article], line: int) -> int | None:
    best, best_line = None, None
    for i, article in enumerate(articles):
        for block in article.blocks:
            first = block.lines[0]
            if first > line and (best_line is None or first < best_line):
                best, best_line = i, first
    return best


def _article_before_line(articles: list[Article], line: int) -> int | None:
    best, best_line = None, -1
    for i, article in enumerate(articles):
        for block in article.blocks:
            if best_line < block.lines[1] <= line:
                best, best_line = i, block.lines[1]
    return best


def absorb_section_briefs(units: list[Unit], config: Config) -> list[Unit]:
    """section_label: under a section label (`资讯速递`, `新闻速递`, `微阅读`) the
    briefs that follow are one article; each brief's one-line title is a
    subhead of it, until a heading with a stronger sign of a new story (a
    column tag, a `——` subheadline, a kicker), a long story or a photo
    story ends the section."""
    if not config.rule_enabled("section_label"):
        return units
    sections = load_list("sections", config.user_dictionaries)
    out: list[Unit] = []
    in_section = False
    for pos, unit in enumerate(units):
        if unit.is_heading:
            if unit.blocks[0].text in sections:
                in_section = True
            elif (
                in_section and _brief_title(unit) and out and not out[-1].is_heading
                and _is_brief(units[pos + 1 :], config)
            ):
                out[-1].blocks.extend(
                    b.with_kind(Kind.SUBHEAD, "split:section_label") for b in unit.blocks
                )
                continue
            else:
                in_section = False
        elif in_section and out and out[-1].blocks[-1].kind is Kind.SUBHEAD:
            out[-1].blocks.extend(b for b in unit.blocks)
            continue
        out.append(unit)
    return out


def _is_brief(after: list[Unit], config: Config) -> bool:
    """Is the body after a title one more brief?  Not when it is long (a
    story of its own after the briefs, `荷兰博物馆现场开放名画修复过程`, 1315
    characters) or carries a photo credit (`穿越飞石` … `鲜敢于杰摄影报道`)."""
    if not after or after[0].is_heading:
        return True
    body = after[0]
    return len(body.text()) <= config.max_brief_chars and not any(
        block.kind is Kind.CREDIT and _PHOTO_CREDIT_RE.search(block.text)
        for block in body.blocks
    )


def _brief_title(unit: Unit) -> bool:
    return len(unit.blocks) == 1 and not (
        unit.blocks[0].kind is Kind.SUBHEADLINE
        or TITLE_WITH_TAG_RE.search(unit.blocks[0].text)
        or "rejoin:wider_than_column" in unit.blocks[0].evidence
    )


def join_jumped_parts(units: list[Unit], page: Page, config: Config) -> list[Unit]:
    """jump_join: a story printed in two parts of one page says so:
    `（下转右下）` under the first part, `（上接左上）` over the second.  The
    text right after each `上接` line goes to the end of the body the matching
    `下转` line closed (jump lines pair up in page order; a jump to another
    page, `（下转第3版）`, joins nothing here)."""
    if not config.rule_enabled("jump_join"):
        return units
    jumps = sorted((d for d in page.dropped if d.why == "jump-line"), key=lambda d: d.lines)
    ends = [d for d in jumps if _JUMP_TO_RE.search(d.text)]
    starts = [d for d in jumps if _JUMP_FROM_RE.search(d.text) and not _JUMP_TO_RE.search(d.text)]
    out = list(units)
    for end, start in zip(ends, starts):
        if start.lines[0] < end.lines[1] or "版" in end.text or "版" in start.text:
            continue  # `（下转第3版）` goes on another page: nothing to join here
        first = _unit_ending_at(out, end.lines[0])
        found = _blocks_after(out, start.lines[1])
        if first is None or found is None:
            continue
        second, at = found
        moved = out[second].blocks[at:]
        if second == first or moved[0].kind is Kind.BYLINE:
            continue
        out[first] = Unit(False, out[first].blocks + moved)
        if at:
            out[second] = Unit(False, out[second].blocks[:at])
        else:
            del out[second]
    return out


def _unit_ending_at(units: list[Unit], line: int) -> int | None:
    best, best_line = None, -1
    for i, unit in enumerate(units):
        if not unit.is_heading and best_line < unit.blocks[-1].lines[1] <= line:
            best, best_line = i, unit.blocks[-1].lines[1]
    return best


def _blocks_after(units: list[Unit], line: int) -> tuple[int, int] | None:
    """The body unit and block index where the text after ``line`` starts."""
    for i, unit in enumerate(units):
        for j, block in enumerate(unit.blocks):
            if block.lines[0] > line:
                return None if unit.is_heading else (i, j)
    return None


def relink_continuations(units: list[Unit], config: Config,
                         lexicons: BodyLexicons | None = None) -> list[Unit]:
    """continuation: a story whose columns are split by other stories goes on
    further down the page (`持续深化两岸融合发展，…` and its paragraphs, printed
    after the 山东东平 brief, continue the 领航定向坚定前行 story above).  A
    weak heading with a body that reads far more like an earlier story than
    like its neighbours is that story's subhead, its body that story's text."""
    if not config.rule_enabled("continuation"):
        return units
    bodies = [i for i, unit in enumerate(units) if not unit.is_heading]
    lexicons = lexicons or BodyLexicons()
    vectors = UnitVectors(units, lexicons.of(units), lexicons.grams)
    moves: dict[int, int] = {}
    for j in bodies:
        target = _continued_story(units, j, bodies, vectors, config)
        if target is not None:
            moves[j] = target
    if not moves:
        return units
    tails: dict[int, list[Block]] = {}
    dropped: set[int] = set()
    for j, target in moves.items():
        heading = j - 1 if j > 0 and units[j - 1].is_heading else None
        blocks = [] if heading is None else [
            b.with_kind(Kind.SUBHEAD, "split:continuation") for b in units[heading].blocks
        ]
        tails.setdefault(_root(target, moves), []).extend(blocks + units[j].blocks)
        dropped.update({j} if heading is None else {j, heading})
    out = []
    for i, unit in enumerate(units):
        if i in dropped:
            continue
        out.append(Unit(unit.is_heading, unit.blocks + tails.get(i, [])) if i in tails else unit)
    return out


class UnitVectors(dict):
    """Units' tf-idf vectors by position, each made when first asked for:
    most bodies are ruled out as continuations before any is compared."""

    def __init__(self, units: list[Unit], lexicon: Lexicon, grams: PageGrams) -> None:
        super().__init__()
        self.units, self.lexicon, self.grams = units, lexicon, grams

    def __missing__(self, i: int) -> Vector:
        self[i] = self.lexicon.vector(self.grams.of_joined(self.units[i].texts()))
        return self[i]


def _root(target: int, moves: dict[int, int]) -> int:
    while target in moves:
        target = moves[target]
    return target


def _continued_story(units: list[Unit], j: int, bodies: list[int],
                     vectors: dict[int, Vector], config: Config) -> int | None:
    unit = units[j]
    if unit.opens_with_byline or j < 2:
        return None
    before = units[j - 1]
    if before.is_heading and (
        len(before.blocks) > 2 or _strong_heading(before, unit, config) or j < 3
    ):
        return None
    neighbours = [i for i in bodies if i != j and abs(i - j) <= 2]
    far = [i for i in bodies if i < j - 2]
    if not far:
        return None
    reads_like = {i: cosine(vectors[j], vectors[i]) for i in far}
    best = max(far, key=reads_like.__getitem__)
    if reads_like[best] < config.continuation_cohesion:
        return None  # like no earlier story: its neighbours need not be compared
    near_cos = max((cosine(vectors[j], vectors[i]) for i in neighbours), default=0.0)
    return best if reads_like[best] >= config.continuation_ratio * near_cos else None


def separate_photo_boxes(units: list[Unit], config: Config,
                         lexicons: BodyLexicons | None = None) -> list[Unit]:
    """photo_box: a photo's caption and credit printed right under another
    story's last paragraph (`…每一步都将是新的跨越。` / `1月5日，美国选手福斯特在
    比赛中。…` / `新华社记者 雒 圆摄`) are a photo story of their own when the
    caption's words are not the story's.  The text after the credit goes on
    with the story the photo interrupted."""
    if not config.rule_enabled("photo_box"):
        return units
    lexicons = lexicons or BodyLexicons()
    lexicon = lexicons.of(units)
    out: list[Unit] = []
    for unit in units:
        out.extend(_split_photo_box(unit, lexicon, lexicons.grams, config)
                   if not unit.is_heading else [unit])
    return out


def _split_photo_box(unit: Unit, lexicon: Lexicon, grams: PageGrams,
                     config: Config) -> list[Unit]:
    blocks = unit.blocks
    for k, block in enumerate(blocks):
        if block.kind is not Kind.CREDIT or k == 0 or not _PHOTO_CREDIT_RE.search(block.text):
            continue  # `版式设计：…`, `栏目投稿邮箱：…` credit no photo
        if _opens_with_photo(blocks, k, lexicon, grams, config):
            after = _split_photo_box(Unit(False, blocks[k + 1 :]), lexicon, grams, config)
            return [_photo_box(blocks[:k], block), *after]
        start = _caption_start(blocks, k, lexicon, grams, config)
        if start is None:
            continue
        box = _photo_box(blocks[start:k], block)
        if _closes_story(blocks[start - 1]) and k + 1 < len(blocks):
            # `（作者为…）` signed the story off: the text after the photo is another's.
            after = _split_photo_box(Unit(False, blocks[k + 1 :]), lexicon, grams, config)
            return [Unit(False, blocks[:start]), box, *after]
        rest = Unit(False, blocks[:start] + blocks[k + 1 :])
        return [*_split_photo_box(rest, lexicon, grams, config), box]
    return [unit]


def _photo_box(captions: list[Block], credit: Block) -> Unit:
    """A photo story of its own: the caption blocks and the credit under them."""
    return Unit(False, [b.with_kind(Kind.CAPTION, "split:photo_box") for b in captions] + [credit])


def _closes_story(block: Block) -> bool:
    """A closing dateline or signature (`（作者为中央党校原副校长…）`,
    `（本报内比都1月12日电）`, `（海军）`) is the last line of a story."""
    return any(rule in block.evidence
               for rule in ("segment:closing_dateline", "segment:closing_note"))


def _opens_with_photo(blocks: list[Block], k: int, lexicon: Lexicon, grams: PageGrams,
                      config: Config) -> bool:
    """The unit opens with a photo's caption and its credit at ``k``, and the
    text after the credit is another story's: its words are not the
    caption's.  Corpus d004 prints the photo story `夜未央 灯如昼` (two caption
    paragraphs, `常碧罗 邹 乐摄影报道（影像中国）`) right over the text of a
    story whose title stands elsewhere on the page.  A story's own photo
    under its title speaks of the story, and stays in it."""
    lead = blocks[:k]
    if k > config.max_caption_blocks or k + 1 >= len(blocks) or any(
        b.kind not in (Kind.PARAGRAPH, Kind.CAPTION) or len(b.text) > config.max_caption_chars
        for b in lead
    ):
        return False
    caption = lexicon.vector(grams.of_joined([b.text for b in lead]))
    rest = lexicon.vector(grams.of_joined([b.text for b in blocks[k + 1 :]]))
    return cosine(caption, rest) < config.photo_box_cohesion


def _caption_start(blocks: list[Block], k: int, lexicon: Lexicon, grams: PageGrams,
                   config: Config) -> int | None:
    """Where the caption over the credit at ``k`` starts: the longest run of
    one or two short blocks whose words are not the story's above them (so a
    story's own short last paragraph is not taken for the caption's start).
    A story the photo interrupted has run a while: a byline and one short
    paragraph above it (`本报讯（记者 卢涛）` / `1月5日，…正定古城银装素裹。` /
    `据中央气象台预报，…` / `梁子栋摄`) are the photo story's own lead.  Under
    a story signed off (`（本报内比都1月12日电）`) the photo is another story,
    whatever words it shares with the story above."""
    found = None
    for start in range(k - 1, max(0, k - config.max_caption_blocks) - 1, -1):
        block = blocks[start]
        if not _story_ran(blocks[:start], config) or _closes_story(block) or block.kind not in (
            Kind.PARAGRAPH, Kind.CAPTION
        ) or len(block.text) > config.max_caption_chars:
            break
        if _closes_story(blocks[start - 1]):
            return start  # the story signed off above the photo: not its caption
        if start == k - 1 and _pictured(block, config):
            found = start
            continue
        caption = lexicon.vector(grams.of_joined([b.text for b in blocks[start:k]]))
        story = lexicon.vector(grams.of_joined([b.text for b in blocks[:start]]))
        if cosine(caption, story) < config.photo_box_cohesion:
            found = start
    return found


#: Where a sentence of a block starts: its first character, or after a sentence end.
_SENTENCE_START_RE = re.compile(f"(?:^|(?<=[{SENTENCE_FINAL}]))")


def _pictured(block: Block, config: Config) -> bool:
    """pictured_caption: a sentence of the block right over a photo credit
    opens the way a caption's does (`图为…`, ``dictionaries/caption_leads.txt``):
    it tells what the picture shows, whatever words it shares with the story
    above.  Corpus d026: `从今年1月1日起，长江流域的重点水域开始…禁捕…开始了新
    生活。图为近日，在江西余干县停靠在鄱阳湖岸边的渔船。` / `新华社记者 余 刚摄`
    under a commentary on the 长江 economic belt is a photo of its own."""
    if not config.rule_enabled("pictured_caption") or "图" not in block.text:
        return False
    leads = load_regex("caption_leads", config.user_dictionaries)
    # The patterns are anchored (`^图为`): each sentence is matched on its own.
    return any(leads.match(block.text[m.start():])
               for m in _SENTENCE_START_RE.finditer(block.text))


def _story_ran(blocks: list[Block], config: Config) -> bool:
    paragraphs = sum(b.kind is Kind.PARAGRAPH for b in blocks)
    return paragraphs >= config.photo_box_story_paragraphs


def return_text_under_titles(units: list[Unit], config: Config) -> list[Unit]:
    """text_under_title: a title closing on a column tag ends its heading; the
    lines under it with clauses in them and no `——` (`矛盾村如今变了样（一线
    行走）` / `实实在在的变化，既要靠发展思路` / `的创新，更要靠村干部的担当作为`)
    are the first lines of the body below, which rejoin left apart."""
    if not config.rule_enabled("text_under_title"):
        return units
    for pos, unit in enumerate(units[:-1]):
        below = units[pos + 1]
        if not unit.is_heading or below.is_heading:
            continue
        tail = _lines_under_tag(unit.blocks)
        if tail and any(CLAUSE_PUNCT_RE.search(b.text) for b in tail):
            del unit.blocks[-len(tail):]
            below.blocks[:0] = [b.with_kind(Kind.PARAGRAPH, "split:text_under_title")
                                for b in tail]
            _fold_fragments(below, "split:text_under_title")
    return units


def _lines_under_tag(blocks: list[Block]) -> list[Block]:
    """The lines after the first one that closes a title on a column tag,
    unless one of them is a `——` subheadline."""
    for i, block in enumerate(blocks[:-1]):
        if ENDS_WITH_TAG_RE.search(block.text):
            tail = blocks[i + 1 :]
            return [] if any(b.text.startswith("——") for b in tail) else tail
    return []


def split_for_orphan_titles(units: list[Unit], taken: dict[int, list[Phrase]], config: Config,
                            lexicons: BodyLexicons) -> tuple[list[Unit], dict[int, list[Phrase]]]:
    """orphan_title: a heading group that no body took, next to a body that
    reads as two stories, titles one of them.  A story whose headline is
    printed after its body (`临安区升级“健康档案”` under the 临安区 health
    story) follows the story above it with no mark between the two; the body
    unit then holds both, its title goes to the upper one, and the lower
    story's headline is left without a body.  The unit is cut where the
    orphan's words begin and the two parts stop reading alike
    (:func:`_orphan_cut`), and the headings are assigned again.

    The orphan may be part of a group whose other titles found bodies: corpus
    d027 prints the photo label `图片报道` (its photo's whole title) right
    over `瞩目“最具吸引力的地方”（和音）`, whose commentary then runs into the
    `“欢乐春节”走进柏林` story under it."""
    if not config.rule_enabled("orphan_title"):
        return units, taken
    owned = {id(block) for phrases in taken.values() for phrase in phrases
             for block in phrase.blocks}
    for pos, unit in enumerate(units):
        if not unit.is_heading:
            continue
        orphan = [block for block in unit.blocks if id(block) not in owned]
        if not orphan:
            continue
        best = _best_orphan_cut(units, pos, Unit(True, orphan), taken, config, lexicons)
        if best is not None:
            body, cut = best
            parts = [Unit(False, units[body].blocks[:cut]), Unit(False, units[body].blocks[cut:])]
            units = units[:body] + parts + units[body + 1:]
            return split_for_orphan_titles(
                units, assign_headings(units, config, lexicons), config, lexicons
            )
    return units, taken


def _best_orphan_cut(units: list[Unit], pos: int, title: Unit, taken: dict[int, list[Phrase]],
                     config: Config, lexicons: BodyLexicons) -> tuple[int, int] | None:
    """The body and the cut in it that suit the orphan ``title`` (of heading
    group ``units[pos]``) best.  Its neighbours first (the body over it: its
    story is that body's tail; the body under it: the head); failing them,
    any body on the page whose head or tail the title names (`五峰县改造生态补水
    工程`, printed at the page's foot, two stories after its own), on
    ``min_heading_score`` of its words."""
    near = [(pos - 1, True), (pos + 1, False)]
    far = [(body, tail) for body in range(len(units)) if abs(body - pos) > 1
           for tail in (True, False)]
    for candidates, floor in ((near, config.orphan_min_coverage),
                              (far, config.min_heading_score)):
        found = []
        for body, tail in candidates:
            if 0 <= body < len(units) and not units[body].is_heading:
                cut = _orphan_cut(units, body, title, tail, taken.get(body, []), config,
                                  lexicons, floor)
                if cut is not None:
                    found.append((cut[0], body, cut[1]))
        if found:
            _score, body, cut = max(found)
            return body, cut
    return None


def _orphan_cut(units: list[Unit], body: int, title: Unit, tail: bool, own: list[Phrase],
                config: Config, lexicons: BodyLexicons,
                floor: float) -> tuple[float, int] | None:
    """Where to cut body unit ``units[body]`` so that its tail (``tail``) or
    its head reads as the story ``title`` names, with the cut's score, or
    None.  A cut lies between paragraphs and leaves each part at least
    ``orphan_min_chars``; the best one gives the title most of its words on
    its side (``floor`` at least, and more than the other side by
    ``orphan_margin``), leaves the body's own title (``own``) on the
    other side, and parts whose words differ (cosine under
    ``orphan_cohesion``)."""
    blocks = units[body].blocks
    lexicon = lexicons.of(units)
    weighted = lexicon.weighted(title.text())
    own_weighted = lexicon.weighted("".join(p.text() for p in own)) if own else None
    best: tuple[float, int] | None = None
    for cut in range(1, len(blocks)):
        if blocks[cut].kind not in (Kind.PARAGRAPH, Kind.SUBHEAD):
            continue
        upper = [b.text for b in blocks[:cut]]
        lower = [b.text for b in blocks[cut:]]
        if min(sum(map(len, upper)), sum(map(len, lower))) < config.orphan_min_chars:
            continue
        mine, other = (lower, upper) if tail else (upper, lower)
        mine_grams, other_grams = lexicons.grams.of_joined(mine), lexicons.grams.of_joined(other)
        covered = Lexicon.coverage(weighted, mine_grams)
        gain = covered - Lexicon.coverage(weighted, other_grams)
        if covered < floor or gain < config.orphan_margin:
            continue
        if own_weighted is not None and Lexicon.coverage(
            own_weighted, other_grams
        ) < Lexicon.coverage(own_weighted, mine_grams):
            continue
        cohesion = cosine(lexicon.vector(mine_grams), lexicon.vector(other_grams))
        if cohesion >= config.orphan_cohesion:
            continue
        if best is None or gain - cohesion > best[0]:
            best = (gain - cohesion, cut)
    return best


def split_at_topic_shifts(units: list[Unit], taken: dict[int, list[Phrase]], config: Config,
                          lexicons: BodyLexicons) -> tuple[list[Unit], dict[int, list[Phrase]]]:
    """topic_shift: a body whose text above a paragraph break and below it
    share almost no words is two stories printed one under the other with no
    heading between them (corpus d022: the 173-character 李克强 dispatch, then
    an untitled piece on 十八洞村, `“神仙过的日子也就是这样了！”…`).  The body is
    cut at the break where the two sides read least alike, and the headings
    are assigned again, each to the part its words name."""
    if not config.rule_enabled("topic_shift"):
        return units, taken
    lexicon = lexicons.of(units)
    for pos, unit in enumerate(units):
        cut = None if unit.is_heading else _topic_cut(unit.blocks, lexicon, lexicons.grams, config)
        if cut is not None:
            parts = [Unit(False, unit.blocks[:cut]), Unit(False, unit.blocks[cut:])]
            units = units[:pos] + parts + units[pos + 1:]
            return split_at_topic_shifts(
                units, assign_headings(units, config, lexicons), config, lexicons
            )
    return units, taken


def _topic_cut(blocks: list[Block], lexicon: Lexicon, grams: PageGrams,
               config: Config) -> int | None:
    """The paragraph break of ``blocks`` where the text above and the text
    below read least alike, under ``topic_shift_cohesion``, each side keeping
    ``orphan_min_chars``; None if there is none.  The two paragraphs each
    side of a break are compared first (``topic_shift_local``): vectors of
    the whole sides cost most, and few breaks need them.  Where the
    floor of that cosine (:func:`cosine_floor`) already reaches the
    threshold, the pairs' own vectors are not made either."""
    texts = [block.text for block in blocks]
    above = list(accumulate(map(len, texts)))
    windows: dict[tuple[int, int], Vector] = {}

    def window(start: int, end: int) -> Vector:
        """A run of paragraphs' vector: the two under one break are the two
        over the break two paragraphs down, made once for both."""
        if (start, end) not in windows:
            windows[start, end] = lexicon.vector(grams.of_joined(texts[start:end]))
        return windows[start, end]

    ceilings = LengthCeilings(lexicon, grams)
    best: tuple[float, int] | None = None
    for cut in range(1, len(blocks)):
        if (
            blocks[cut].kind is not Kind.PARAGRAPH
            or min(above[cut - 1], above[-1] - above[cut - 1]) < config.orphan_min_chars
        ):
            continue
        before, after = texts[max(0, cut - 2):cut], texts[cut:cut + 2]
        floor = cosine_floor(before, after, ceilings)
        if floor >= config.topic_shift_local:
            continue  # the two paragraphs each side surely read alike
        near = cosine(window(max(0, cut - 2), cut), window(cut, min(cut + 2, len(texts))))
        if near >= config.topic_shift_local:
            continue
        whole = cosine(lexicon.vector(grams.of_joined(texts[:cut])),
                       lexicon.vector(grams.of_joined(texts[cut:])))
        if whole < config.topic_shift_cohesion and (best is None or whole < best[0]):
            best = (whole, cut)
    return None if best is None else best[1]


def split_page(page: Page, config: Config) -> tuple[Article, ...]:
    lexicons = BodyLexicons()
    units = build_units(page.current_blocks())
    units = demote_weak_headings(units, config, lexicons)
    units = absorb_section_briefs(units, config)
    units = join_jumped_parts(units, page, config)
    units = relink_continuations(units, config, lexicons)
    units = separate_photo_boxes(units, config, lexicons)
    units = return_text_under_titles(units, config)
    taken = assign_headings(units, config, lexicons)
    units, taken = split_for_orphan_titles(units, taken, config, lexicons)
    units, taken = split_at_topic_shifts(units, taken, config, lexicons)
    articles = build_articles(units, taken, config)
    return tuple(attach_jumps(articles, page, config))


def run(page: Page, config: Config) -> Page:
    return replace(page, articles=split_page(page, config))


