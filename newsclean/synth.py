"""Synthetic newspaper pages with their gold, made from a seed.

Why: the corpus has 40 pages and may not be committed; tests, benchmarks and a
learned line classifier need many more pages whose truth is known exactly.  A
page here is composed the way the corpus README says real pages were (stories
in columns of different widths, headlines before, after or between bodies,
bylines opening the first paragraph, photo captions with credits, a running
head and footer) and then "extracted" the way ``pdftotext -raw`` extracts:
column-broken lines, the first line of a paragraph two characters short (its
indent lost), a closing mark pushed onto the next line, justification spaces
between characters (``贫 攻 坚``), optionally a blank line after every line
(the seed's style).

Everything is drawn from ``random.Random(seed)``: the same seed and options
always give the same page.  Stories are built from a small vocabulary below
(``source="vocab"``, the default), or from the shipped sample page's sentences
recombined (``source="sample"``); no corpus text is used.

Public API::

    page = make_page(7)                 # SynthPage
    page.text                           # the raw page text
    page.gold                           # dict in the gold format (GOLD_FORMAT.md)
    page.lines                          # each raw line with its role and article
    make_page(7, style="plain", placements=("late",), n_stories=3)
    write_pages("out/", range(100))     # <id>.raw.txt + <id>.gold.json files

The gold holds every non-space character of ``page.text`` exactly as often as
the text does (articles plus ``dropped``), the invariant the corpus keeps.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .text.cjk import NO_LINE_START, cells

#: Raw text styles: a blank line after every line (the seed) or none.
STYLES = ("blank", "plain")
#: Where a story's heading lands in the raw text, named as in the corpus gold
#: (``layout.mode``).  top: before its body.  late: right after its body (a
#: headline drawn after the body's columns).  below: held back until after the
#: *next* story's body (the seed: the titles of its first two stories follow the
#: second story's body).  side: between two columns of its own body.
PLACEMENTS = ("top", "late", "below", "side")
#: How often each placement is drawn: the shares of where a headline lands in
#: the *raw text* of real pages (not of how it was drawn).  Measured on the
#: corpus ``raw/`` (215 titled articles) and the seed (6): before its own body
#: 0.86 (the corpus's top, late and side modes all extract there), right after
#: its own body 0.10 (the corpus's "below", the seed's last two stories), after
#: the next story's body 0.02 (the seed's first stories only), inside its own
#: body 0 of 23 side-mode headlines.  The three moves are drawn a little more
#: often than measured (and side at all) so that every page size still shows
#: them; the old weights (0.5, 0.25, 0.13, 0.12) moved half the headlines.
PLACEMENT_WEIGHTS = (0.78, 0.12, 0.06, 0.04)
#: Column widths, in cells (a Chinese character is one), a story may be set
#: in.  Measured: the widest tenth of each corpus article's body lines spans
#: 12-26 cells (14-26 for all but one of 212 articles), the seed's columns
#: 10-21; no real column is 8 or 9 cells wide, as the old bounds (8, 22) drew.
MIN_WIDTH, MAX_WIDTH = 10, 26
#: Stories a page holds: the corpus ``raw/`` pages hold 6 articles (median;
#: the old 2–6 drew 4).
MIN_STORIES, MAX_STORIES = 3, 8
#: Headline length bounds, in characters.
MIN_HEADLINE, MAX_HEADLINE = 6, 24
SOURCES = ("vocab", "sample")
#: Sentence forms ``draw_sentence`` knows, and how many of them one story
#: uses (see ``draw_beats`` for why not all).
SENTENCE_FORMS, FORMS_PER_STORY = 10, 3

# --------------------------------------------------------------------------
# Vocabulary: a few topics, so that words repeat inside a story (lexical
# cohesion, as in real stories) and differ between stories on one page.


@dataclass(frozen=True)
class Topic:
    """Words of one beat: what is done (actions) to what (nouns), with what effect."""

    nouns: tuple[str, ...]
    actions: tuple[str, ...]
    results: tuple[str, ...]
    people: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(("冰雪运动", "滑雪场", "冰雪赛事", "群众性冰雪活动", "冰雪旅游", "青少年滑雪培训"),
          ("举办", "推广", "普及", "建设", "升级"),
          ("参与人数逐年增加", "带动了当地旅游消费", "冰雪经济持续升温", "群众参与热情高涨"),
          ("滑雪教练", "游客", "运动员", "中学生")),
    Topic(("河湖水质", "湿地公园", "生态补水工程", "河长制", "污水管网", "沿岸绿化带"),
          ("治理", "保护", "修复", "巡查", "改造"),
          ("水质稳定达到三类标准", "候鸟数量明显增多", "生态环境持续向好", "群众获得感不断增强"),
          ("巡河员", "环保志愿者", "沿岸居民", "河长")),
    Topic(("特色种植", "农民专业合作社", "农村电商", "农产品加工", "乡村旅游", "扶贫车间"),
          ("发展", "扶持", "培育", "壮大", "对接"),
          ("贫困户人均收入明显提高", "村集体经济不断壮大", "农产品销路越来越宽",
           "乡亲们的腰包鼓了起来"),
          ("种植大户", "合作社负责人", "驻村干部", "村民")),
    Topic(("科研平台", "科技成果转化", "数字经济", "5G基站", "创新团队", "工业互联网"),
          ("搭建", "推进", "布局", "引进", "完善"),
          ("研发投入强度持续提高", "一批关键技术取得突破", "企业创新活力竞相迸发",
           "新动能加快成长"),
          ("工程师", "科研人员", "企业负责人", "青年学者")),
    Topic(("乡村学校", "课后服务", "教师队伍", "职业教育", "校园食堂", "学前教育资源"),
          ("改善", "提升", "加强", "优化", "规范"),
          ("办学条件明显改善", "学生学习兴趣更浓了", "家长的后顾之忧得到解决", "教育质量稳步提高"),
          ("校长", "老师", "学生家长", "教研员")),
    Topic(("家庭医生签约", "基层医疗机构", "远程诊疗", "慢性病管理", "村卫生室", "健康档案"),
          ("推行", "建设", "完善", "覆盖", "升级"),
          ("群众看病更方便了", "基层首诊率稳步上升", "小病不出村成为现实", "医疗服务水平持续提升"),
          ("乡村医生", "患者", "护士", "卫生院院长")),
    Topic(("农村公路", "城乡客运", "物流网络", "高速公路", "公交线路", "快递服务站"),
          ("修建", "开通", "延伸", "优化", "畅通"),
          ("群众出行更加便捷", "农产品运输成本明显下降", "沿线村庄发展活力增强",
           "城乡联系更加紧密"),
          ("客车司机", "快递员", "养护工人", "沿线村民")),
    Topic(("非遗项目", "公共文化服务", "乡村文化广场", "文艺演出", "博物馆", "传统村落"),
          ("传承", "保护", "打造", "开展", "挖掘"),
          ("文化惠民活动丰富多彩", "非遗技艺焕发新活力", "群众精神文化生活更加充实",
           "文旅融合步伐加快"),
          ("非遗传承人", "文艺工作者", "讲解员", "村民演员")),
)

PLACES = ("吕梁市", "临县", "兴县", "岚县", "柳林县", "孝义市", "汾阳市", "交口县", "文水县",
          "方山县", "中阳县", "石楼县", "离石区", "榆林市", "府谷县", "宁安市", "贵溪市", "登封市",
          "亳州市", "五峰县", "察隅县", "临安区")
CITIES = ("北京", "太原", "西安", "杭州", "济南", "银川", "襄阳", "拉萨")
TIMES = ("近日", "今年以来", "去年以来", "目前", "近年来", "截至去年底", "入冬以来", "元旦前后")
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红文斌卫梅瑜彬峰宇晨燕鹏浩"
#: How often a titled story has a kicker, a ``——`` subheadline, a column tag
#: after its headline (`…（光影视界）`), and how often a story is signed.
#: Measured on the corpus ``raw/`` gold: of 216 headlines 82 have a kicker
#: (0.38), 33 a subheadline (0.15), 49 a column tag (0.23); 116 of 241
#: articles a byline (0.48; 0.5 here, photo stories are never signed).  The
#: old shares (0.2, 0.2, none, 0.6) made headings plainer than real ones.
KICKER_SHARE, SUBHEADLINE_SHARE, COLUMN_TAG_SHARE, BYLINE_SHARE = 0.38, 0.15, 0.23, 0.5
#: Column names a tag draws from (made up for the generator).
COLUMN_TAGS = ("基层观察", "一线见闻", "记者手记", "民生视点", "走基层", "经济聚焦", "产业观察",
               "乡村振兴进行时", "身边事", "文化周末", "科技前沿", "绿色发展")
SUBHEAD_ENDINGS = ("遍地开花", "提质增效", "走深走实", "持续升温", "见行见效", "多点发力",
                   "有声有色")
PAPERS = ("人民日报", "吕梁日报", "光明日报", "经济日报")
WEEKDAYS = "一二三四五六日"
SENTENCE_END_RE = re.compile(r"(?<=[。！？])")


# --------------------------------------------------------------------------
# Stories


@dataclass
class Story:
    """One gold article before layout, plus how it will be laid out."""

    headline: str
    kicker: str | None
    subheadline: str | None
    byline: str | None
    byline_opens_paragraph: bool
    blocks: list[tuple[str, str]]
    width: int
    placement: str
    photo: bool

    def to_gold(self) -> dict[str, object]:
        return {
            "headline": self.headline,
            "kicker": self.kicker,
            "subheadline": self.subheadline,
            "byline": self.byline,
            "blocks": [{"kind": kind, "text": text} for kind, text in self.blocks],
            "layout": {"mode": self.placement, "width": self.width, "photo": self.photo},
        }


@dataclass
class Writer:
    """Draws words for one page; remembers what it wrote so that no sentence,
    subhead or caption repeats on a page (a repeat would look like a layout
    duplicate, which the gold would have to drop)."""

    rng: random.Random
    sample_sentences: tuple[str, ...] = ()
    used: set[str] = field(default_factory=set)
    #: The sentence forms (indexes into ``draw_sentence``'s) the story being
    #: written draws from: each story keeps a few of its own, as each reporter
    #: writes in a manner of their own (see ``FORMS_PER_STORY``).
    forms: tuple[int, ...] = tuple(range(10))

    def pick(self, items: Sequence[str]) -> str:
        return items[self.rng.randrange(len(items))]

    def name(self) -> str:
        given = "".join(self.pick(GIVEN) for _ in range(self.rng.choice((1, 2))))
        return self.pick(SURNAMES) + given

    def fresh(self, make: Callable[[], str], fits: Callable[[str], bool] = bool,
              tries: int = 50) -> str:
        """Call ``make`` until it gives text that ``fits`` and is not yet used
        on this page (after ``tries`` calls, the last one is taken)."""
        text = make()
        for _ in range(tries):
            if text not in self.used and fits(text):
                break
            text = make()
        self.used.add(text)
        return text


def vocab_sentence(w: Writer, topic: Topic, place: str) -> str:
    """One plain sentence about ``topic``, ending in 。 or ！, new on this page."""
    return w.fresh(lambda: draw_sentence(w, topic, place))


def draw_sentence(w: Writer, topic: Topic, place: str) -> str:
    noun, other = w.rng.sample(topic.nouns, 2)
    act, result = w.pick(topic.actions), w.pick(topic.results)
    forms = (
        lambda: f"{w.pick(TIMES)}，{place}{act}{noun}，{result}。",
        lambda: f"{place}把{noun}作为重点工作，{act}{other}，{result}。",
        lambda: f"截至{w.rng.randint(1, 12)}月底，全{place[-1]}已{act}{noun}{amount(w)}。",
        lambda: f"{noun}与{other}相互促进，{result}。",
        lambda: f"据{place}有关负责人介绍，随着{noun}不断{act}，{result}。",
        lambda: f"“{noun}搞好了，{result}！”{w.pick(topic.people)}{w.name()}说。",
        lambda: f"今年，{place}计划再{act}{noun}{w.rng.randint(2, 90)}{w.pick('个处项家条')}。",
        lambda: f"{w.pick(topic.people)}{w.name()}告诉记者，{noun}让{result}。",
        lambda: f"下一步，{place}将继续{act}{noun}，推动{other}提档升级。",
        lambda: f"{place}还出台了支持{noun}的{w.pick(('意见', '办法', '方案'))}，明确了{act}{other}"
                f"的目标任务。",
    )
    return forms[w.rng.choice(w.forms)]()


def amount(w: Writer) -> str:
    """A count and a sum of money: digits and a decimal point inside Chinese text."""
    count = f"{w.rng.randint(2, 980)}{w.pick('个处项家条')}"
    return f"{count}，投入资金{w.rng.randint(3, 99)}.{w.rng.randint(1, 9)}亿元"


def quote_sentence(w: Writer, topic: Topic) -> str:
    """A sentence that ends with a closing quote: the paragraph then ends in ”."""
    who = f"{w.pick(topic.people)}{w.name()}"
    return w.fresh(lambda: f"{who}说：“有了{w.pick(topic.nouns)}，{w.pick(topic.results)}。”")


def sample_sentence(w: Writer) -> str:
    return w.fresh(lambda: w.pick(w.sample_sentences))


def paragraph(w: Writer, topic: Topic, place: str) -> str:
    """2–6 sentences, the last may be a quotation so that some paragraphs end
    in ”.  Corpus ``raw/`` paragraphs: quartiles 63, 102, 151 characters (the
    old 1–4 sentences gave 39, 68, 99)."""
    count = w.rng.randint(2, 6)
    if w.sample_sentences:
        return "".join(sample_sentence(w) for _ in range(count))
    sentences = [vocab_sentence(w, topic, place) for _ in range(count)]
    if w.rng.random() < 0.2:
        sentences[-1] = quote_sentence(w, topic)
    return "".join(sentences)


def headline(w: Writer, topic: Topic, place: str) -> str:
    """6–24 characters, no sentence punctuation (headlines carry none)."""
    noun = w.pick(topic.nouns)
    forms = (
        lambda: f"{place}{w.pick(topic.actions)}{noun}",
        lambda: f"{place}{noun}{w.pick(SUBHEAD_ENDINGS)}",
        lambda: f"{w.pick(topic.actions)}{noun}{w.pick(topic.results)}",
        lambda: f"{place}{w.pick(topic.actions)}“{noun}”",
    )
    return w.fresh(lambda: w.pick(forms)(), headline_fits)


def kicker(w: Writer, topic: Topic, place: str) -> str:
    """A kicker (引题) over the headline.  Corpus ``raw/`` gold: of 82 kickers
    45 read like a title, 15 end on `——` (`黑龙江省宁安市——`), 12 hold a
    clause (`杭州东站提升服务质量，满足旅客需求`), 10 end on a colon after a name
    (`李达：`); drawn here in those shares."""
    noun, act = w.pick(topic.nouns), w.pick(topic.actions)
    forms = (
        (45, lambda: headline(w, topic, place)),
        (15, lambda: f"{place}{act}{noun}——"),
        (12, lambda: f"{place}{act}{noun}，{w.pick(topic.results)}"),
        (10, lambda: f"{w.pick(topic.people)}{w.name()}："),
    )
    make = w.rng.choices([f for _n, f in forms], [n for n, _f in forms])[0]
    return w.fresh(make)


def headline_fits(text: str) -> bool:
    return MIN_HEADLINE <= len(text) <= MAX_HEADLINE


def subhead(w: Writer, topic: Topic) -> str:
    return w.fresh(lambda: f"{w.pick(topic.nouns)}{w.pick(SUBHEAD_ENDINGS)}")


def caption(w: Writer, topic: Topic, place: str) -> str:
    day = w.rng.randint(1, 15)
    who = w.pick(topic.people)
    return w.fresh(lambda: f"1月{day}日，{who}在{place}参加{w.pick(topic.nouns)}活动。")


def credit(w: Writer) -> str:
    return f"{w.pick(('记者', '本报记者', '新华社记者'))} {w.name()} 摄"


def byline(w: Writer, date: dt.date) -> tuple[str, bool]:
    """A byline and whether it opens the first paragraph (else its own line)."""
    city = w.pick(CITIES)
    forms = (
        (f"本报讯 （记者 {w.name()}）", True),
        (f"□ 本报记者 {w.name()}", False),
        (f"新华社{city}{date.month}月{date.day}日电（记者 {w.name()}）", True),
        (f"本报{city}{date.month}月{date.day}日电 （记者 {w.name()}）", True),
    )
    return w.pick(forms)


def story_body(w: Writer, topic: Topic, place: str) -> list[tuple[str, str]]:
    """Paragraphs as many as in the corpus, with an in-story subhead now and
    then in long stories.  Corpus ``raw/`` gold: paragraphs per article
    quartiles 3, 5, 10; drawn here log-uniformly from 2 to 16 (3.4, 5.7,
    9.5), where the old 2–8 gave 3, 5, 6 and stories half as long as real
    ones (body median 349 characters against 671)."""
    count = round(math.exp(w.rng.uniform(math.log(2), math.log(16))))
    blocks: list[tuple[str, str]] = []
    for index in range(count):
        if index >= 2 and count >= 4 and w.rng.random() < 0.3:
            blocks.append(("subhead", subhead(w, topic)))
        blocks.append(("paragraph", paragraph(w, topic, place)))
    return blocks


def photo_blocks(w: Writer, topic: Topic, place: str) -> list[tuple[str, str]]:
    return [("caption", caption(w, topic, place)), ("credit", credit(w))]


def draw_beats(rng: random.Random, count: int) -> list[tuple[Topic, str]]:
    """A topic and a place per story, none repeated on a page while there are
    enough (a page's stories are about different things).

    Why: with topics and places drawn with replacement and every story using
    every sentence form, neighbouring stories read alike far more than real
    ones do.  Measured as the tf-idf cosine of character bigrams between the
    end of one story and the start of the next (what ``split`` weighs around
    a heading): corpus ``raw/`` median 0.011, 18% of neighbour pairs at or
    over ``subhead_cohesion`` (0.03); the seed 0.036, 50%; the old generator
    median 0.038, 64%."""
    topics = rng.sample(TOPICS, min(count, len(TOPICS)))
    places = rng.sample(PLACES, min(count, len(PLACES)))
    return [(topics[i % len(topics)], places[i % len(places)]) for i in range(count)]


def make_story(w: Writer, date: dt.date, placements: Sequence[str], first: bool,
               beat: tuple[Topic, str]) -> Story:
    """Draw one story: heading, byline, body, optional photo, width and placement."""
    rng = w.rng
    topic, place = beat
    w.forms = tuple(rng.sample(range(SENTENCE_FORMS), FORMS_PER_STORY))
    photo_only = not first and rng.random() < 0.08
    blocks = [] if photo_only else story_body(w, topic, place)
    photo = photo_only or rng.random() < 0.2
    if photo:
        blocks += photo_blocks(w, topic, place)
    untitled = photo_only and rng.random() < 0.5
    signed = not photo_only and rng.random() < BYLINE_SHARE
    by, opens = byline(w, date) if signed else (None, False)
    weights = [PLACEMENT_WEIGHTS[PLACEMENTS.index(p)] for p in placements]
    title = "" if untitled else headline(w, topic, place)
    if title and rng.random() < COLUMN_TAG_SHARE:
        title += f"（{w.pick(COLUMN_TAGS)}）"
    return Story(
        headline=title,
        kicker=None if untitled or rng.random() >= KICKER_SHARE else kicker(w, topic, place),
        subheadline=(None if untitled or rng.random() >= SUBHEADLINE_SHARE
                     else "——" + headline(w, topic, place)),
        byline=by,
        byline_opens_paragraph=opens,
        blocks=blocks,
        width=rng.randint(MIN_WIDTH, MAX_WIDTH),
        placement=rng.choices(list(placements), weights)[0],
        photo=photo,
    )


# --------------------------------------------------------------------------
# Layout: story -> raw lines


@dataclass(frozen=True)
class SynthLine:
    """One raw line with its truth, for training and diagnosis.

    ``role`` is the gold field or block kind the line belongs to: kicker,
    headline, subheadline, byline, paragraph, subhead, caption, credit,
    ``byline+paragraph`` (the lines of a first paragraph that a byline opens)
    or ``furniture`` (running head, footer).  ``article`` is the index in
    ``gold["articles"]``, None for furniture."""

    text: str
    role: str
    article: int | None


@dataclass(frozen=True)
class Look:
    """How extraction damaged this page: chances per line break or line."""

    justify: float
    push_mark: float


def wrap(text: str, width: int, indent: int) -> list[str]:
    """Greedy column wrap in cells; the first line is ``indent`` cells short."""
    lines: list[str] = []
    current, room = "", width - indent
    for char in text:
        if current.strip() and cells(current + char) > room:
            lines.append(current)
            current, room = "", width
        current += char
    lines.append(current)
    return [line.strip() for line in lines if line.strip()]


def hang_or_push_marks(lines: list[str], rng: random.Random, look: Look) -> list[str]:
    """A line that wraps before a closing mark: the typesetter usually hangs the
    mark on the line above; ``pdftotext -raw`` sometimes shows it alone on a
    line of its own (``）``, ``。``: 247 such lines in the corpus ``raw/``).

    Never at the start of the next full line (``，传统村落让文化惠民活动丰``): type
    does not begin a line with a closing mark, and the corpus lines that begin
    with one (``，这是我们这个百年大党`` after ``的“大扫除”``) are the rest of a
    printed line that the extractor cut at a quote, short of the column.  A
    full line led by a mark, as this once drew, read as two lines glued."""
    out: list[str] = []
    for line in lines:
        mark, rest = line[0], line[1:].strip()
        if not out or mark not in NO_LINE_START:
            out.append(line)
        elif rng.random() >= look.push_mark:
            out[-1] += mark
            if rest:
                out.append(rest)
        else:
            out += [mark, rest] if rest else [mark]
    return out


def justify(lines: list[str], width: int, rng: random.Random, look: Look) -> list[str]:
    """Spaces between the characters of some full lines (``贫 攻 坚``), never on
    a paragraph's last line and only on all-Chinese lines."""
    out = list(lines)
    for index, line in enumerate(out[:-1]):
        all_chinese = not re.search(r"[ -~]", line)
        if all_chinese and cells(line) >= width and rng.random() < look.justify:
            out[index] = " ".join(line)
    return out


def set_text(text: str, width: int, rng: random.Random, look: Look, indent: int = 2) -> list[str]:
    lines = hang_or_push_marks(wrap(text, width, indent), rng, look)
    return justify(lines, width, rng, look)


def heading_lines(story: Story, rng: random.Random) -> list[tuple[str, str]]:
    """Kicker, headline (sometimes broken over two lines), subheadline.

    A headline set in a box narrower than itself wraps like body text: the
    first line full, the rest on the next (``“人民学习”举行开学典`` / ``礼``).
    Measured on the corpus ``raw/``: 162 of 215 headlines on one line, 43 on
    two, 10 on three or four, always broken where the box is full, never
    leaving a short first line (the old random cut gave ``榆林市5`` /
    ``G基站提质增效``): a broken headline's first line holds 8 or more
    characters in all but one of the 53."""
    lines: list[tuple[str, str]] = []
    if story.kicker:
        lines.append((story.kicker, "kicker"))
    text = story.headline
    if len(text) >= 10 and rng.random() < 0.25:
        box = rng.randint(max(8, (len(text) + 1) // 2), len(text) - 1)
        lines += [(part, "headline") for part in break_box(text, box)]
    elif text:
        lines.append((text, "headline"))
    if story.subheadline:
        lines.append((story.subheadline, "subheadline"))
    return lines


def break_box(text: str, box: int) -> list[str]:
    """``text`` in lines of ``box`` characters, a closing mark kept on the line
    it closes (``榆林市修复“生态补水工程”``, never ``…工程`` / ``”``): type
    never begins a line with one."""
    lines: list[str] = []
    for start in range(0, len(text), box):
        part = text[start:start + box]
        while lines and part and part[0] in NO_LINE_START:
            lines[-1] += part[0]
            part = part[1:]
        if part:
            lines.append(part)
    return lines


def first_paragraph_text(story: Story, text: str, rng: random.Random) -> str:
    if story.byline and story.byline_opens_paragraph:
        return story.byline + rng.choice(("", "", " ")) + text
    return text


def body_lines(story: Story, rng: random.Random, look: Look) -> list[tuple[str, str]]:
    """The byline (own line or opening the first paragraph) and the body blocks."""
    lines: list[tuple[str, str]] = []
    if story.byline and not story.byline_opens_paragraph:
        lines.append((story.byline, "byline"))
    first = True
    for kind, text in story.blocks:
        if kind == "paragraph":
            raw = first_paragraph_text(story, text, rng) if first else text
            role = "byline+paragraph" if first and raw != text else "paragraph"
            lines += [(line, role) for line in set_text(raw, story.width, rng, look)]
            first = False
        elif kind == "caption":
            lines += [(line, "caption") for line in set_text(text, story.width, rng, look, 0)]
        else:
            lines.append((text, kind))
    return lines


def arrange(story: Story, head: list[SynthLine], body: list[SynthLine],
            rng: random.Random) -> tuple[list[SynthLine], list[SynthLine]]:
    """(lines printed now, heading lines held back until after the next body)."""
    if story.placement == "top":
        return head + body, []
    if story.placement == "side" and len(body) >= 4:
        cut = rng.randint(2, len(body) // 2)
        return body[:cut] + head + body[cut:], []
    if story.placement == "below":
        return body, head
    return body + head, []  # late, and side when the body is too short for two columns


def place_stories(stories: Sequence[Story], rng: random.Random, look: Look) -> list[SynthLine]:
    """Interleave headings and bodies as each story's placement says."""
    out: list[SynthLine] = []
    held: list[SynthLine] = []
    for index, story in enumerate(stories):
        head = [SynthLine(t, r, index) for t, r in heading_lines(story, rng)]
        body = [SynthLine(t, r, index) for t, r in body_lines(story, rng, look)]
        now, later = arrange(story, head, body, rng)
        out += now + held
        held = later
    return out + held


# --------------------------------------------------------------------------
# Page furniture and the page itself


def page_date(rng: random.Random) -> dt.date:
    return dt.date(2020, 1, rng.randint(1, 28))


def running_head(w: Writer, date: dt.date) -> tuple[str, list[dict[str, str]]]:
    """``人民日报 2020年1月6日 星期一 第4版`` and its three dropped pieces, as the
    corpus gold lists them."""
    paper = w.pick(PAPERS)
    day = f"{date.year}年{date.month}月{date.day}日 星期{WEEKDAYS[date.weekday()]}"
    number = f"第{w.rng.randint(1, 20)}版"
    dropped = [
        {"text": paper, "why": "running head (paper name)"},
        {"text": day, "why": "running head (date)"},
        {"text": number, "why": "running head (page number)"},
    ]
    return f"{paper} {day} {number}", dropped


def footer(w: Writer) -> tuple[str, dict[str, str]]:
    text = f"本版责编：{w.name()} {w.name()}"
    return text, {"text": text, "why": "page footer (editors)"}


def render_lines(lines: Iterable[SynthLine], style: str) -> str:
    texts = [line.text for line in lines]
    if style == "blank":
        return "".join(f"{text}\n\n" for text in texts)
    return "\n".join(texts) + "\n"


@dataclass(frozen=True)
class SynthPage:
    """A generated raw page and its gold.

    ``text`` is the raw page; ``gold`` a dict in the gold format (articles in
    story order, each with ``layout`` = mode, width, photo; ``dropped``);
    ``lines`` the non-blank raw lines in order with their roles, as training
    labels for a line classifier.
    """

    seed: int
    text: str
    gold: dict[str, object]
    lines: tuple[SynthLine, ...]
    style: str

    @property
    def placements(self) -> tuple[str, ...]:
        return tuple(a["layout"]["mode"] for a in self.gold["articles"])  # type: ignore[index]

    @property
    def widths(self) -> tuple[int, ...]:
        return tuple(a["layout"]["width"] for a in self.gold["articles"])  # type: ignore[index]


@lru_cache(maxsize=4)
def load_sample_sentences(folder: Path | None = None) -> tuple[str, ...]:
    """Sentences of the shipped sample pages' gold paragraphs (``samples/``),
    read once per folder."""
    folder = folder or Path(__file__).resolve().parents[1] / "samples"
    sentences: list[str] = []
    for path in sorted(folder.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for article in gold["articles"]:
            for block in article["blocks"]:
                if block["kind"] == "paragraph":
                    parts = SENTENCE_END_RE.split(re.sub(r"\s", "", block["text"]))
                    sentences += [p for p in parts if len(p) >= 8 and p[-1] in "。！？"]
    if not sentences:
        raise FileNotFoundError(f"no sample gold with sentences under {folder}")
    return tuple(dict.fromkeys(sentences))


def draw_look(rng: random.Random) -> Look:
    return Look(justify=rng.choice((0.0, 0.03, 0.1)), push_mark=rng.uniform(0.05, 0.25))


def make_page(
    seed: int,
    *,
    style: str | None = None,
    placements: Sequence[str] = PLACEMENTS,
    n_stories: int | None = None,
    running_head_line: bool | None = None,
    footer_line: bool | None = None,
    source: str = "vocab",
) -> SynthPage:
    """Build one page from ``seed``.  Options left ``None`` are drawn at random:
    ``style`` from STYLES, ``n_stories`` from MIN_STORIES–MAX_STORIES, running head and footer each
    present with probability 0.7.  ``placements`` limits the heading placements
    drawn; ``source`` picks the sentence source (SOURCES)."""
    if style is not None and style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, not {style!r}")
    if not placements or set(placements) - set(PLACEMENTS):
        raise ValueError(f"placements must be a non-empty subset of {PLACEMENTS}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    rng = random.Random(seed)
    sample = load_sample_sentences() if source == "sample" else ()
    w = Writer(rng, sample)
    style = style or rng.choice(STYLES)
    date, look = page_date(rng), draw_look(rng)
    count = n_stories if n_stories is not None else rng.randint(MIN_STORIES, MAX_STORIES)
    beats = draw_beats(rng, count)
    stories = [make_story(w, date, placements, index == 0, beats[index])
               for index in range(count)]
    lines = place_stories(stories, rng, look)
    dropped: list[dict[str, str]] = []
    if running_head_line if running_head_line is not None else rng.random() < 0.7:
        head, dropped = running_head(w, date)
        lines.insert(0, SynthLine(head, "furniture", None))
    if footer_line if footer_line is not None else rng.random() < 0.7:
        foot, entry = footer(w)
        lines.append(SynthLine(foot, "furniture", None))
        dropped.append(entry)
    gold = {
        "format": "newsclean.gold/1",
        "source": f"synth-{seed}.raw.txt",
        "articles": [story.to_gold() for story in stories],
        "dropped": dropped,
    }
    return SynthPage(seed, render_lines(lines, style), gold, tuple(lines), style)


def write_pages(folder: str | Path, seeds: Iterable[int], **options: object) -> list[Path]:
    """Write ``synth-<seed>.raw.txt`` and ``synth-<seed>.gold.json`` per seed,
    the layout ``newsclean eval`` pairs; returns the raw paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in seeds:
        page = make_page(seed, **options)  # type: ignore[arg-type]
        raw = folder / f"synth-{seed}.raw.txt"
        raw.write_text(page.text, encoding="utf-8")
        gold = json.dumps(page.gold, ensure_ascii=False, indent=1)
        (folder / f"synth-{seed}.gold.json").write_text(gold + "\n", encoding="utf-8")
        paths.append(raw)
    return paths


def gold_texts(gold: dict[str, object]) -> list[str]:
    """Every string of a gold page that holds page text: each article's
    kicker, headline, subheadline, byline and blocks, then ``dropped``.

    Works on ``render.page_to_dict`` output too (it mirrors the gold), which is
    how tests check that nothing of the raw text was lost."""
    texts: list[str] = []
    for article in gold["articles"]:  # type: ignore[union-attr]
        for key in ("kicker", "headline", "subheadline", "byline"):
            texts.append(article.get(key) or "")
        texts += [block["text"] for block in article["blocks"]]
    texts += [item["text"] for item in gold["dropped"]]  # type: ignore[union-attr]
    return texts
