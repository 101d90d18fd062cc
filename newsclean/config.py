"""One configuration object for every stage.

Every threshold a heuristic uses is a named field here, with its default and
the reason for it, so that no stage carries bare numbers.  Config is frozen;
make variants with :meth:`Config.replace`.  Rules are switched off by name
(``disabled_rules``), the names being those listed in each stage's ``RULES``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path


@dataclass(frozen=True)
class Config:
    # --- pipeline -----------------------------------------------------------
    #: Stages run by default, in order.
    stages: tuple[str, ...] = ("normalize", "rejoin", "dedupe", "segment", "split")
    #: Rule names (from any stage's RULES) that are switched off.
    disabled_rules: frozenset[str] = frozenset()
    #: Extra dictionary folders whose word lists extend the shipped ones.
    user_dictionaries: tuple[Path, ...] = ()
    #: Segmentation engine: "auto" (rjieba when installed, else jieba), "jieba", "rjieba".
    segmenter: str = "auto"

    # --- normalize ----------------------------------------------------------
    #: A line is letter-spaced (justified across its column) when a space
    #: separates every two of its units, over at least this many gaps: fewer
    #: is a spaced name (`徐 昱`) or a fragment (`峰 ）`), not a stretched line.
    min_letter_spaced_gaps: int = 4

    # --- rejoin -------------------------------------------------------------
    #: Lines looked at on each side when estimating the local column width.
    #: Columns on one page differ (the seed mixes ~19- and ~10-character
    #: columns), so the width is estimated from neighbours, not the whole page.
    width_window: int = 8
    #: Percentile of neighbour widths taken as the column width; high enough to
    #: ignore short last lines, low enough to ignore one fused over-long line.
    width_percentile: float = 0.5
    #: A line this many cells shorter than the column is "clearly short"
    #: (one cell = one Chinese character; Latin letters and digits are half).
    short_line_slack: float = 1.5
    #: A paragraph's first line lost its two-character indent: a line short by
    #: about this much, after a sentence end, starts a paragraph.
    indent_cells: float = 2.0
    #: How far (cells) a line may miss the lost indent and still count as a
    #: paragraph's first line.
    indent_tolerance: float = 0.75
    #: Share of non-blank lines followed by a blank line above which blank
    #: lines are extraction style (the seed) rather than paragraph breaks.
    blank_line_style_share: float = 0.6
    #: Slack for one Latin letter or digit: a full line may run this far over
    #: its column without being set across columns.
    half_cell: float = 0.5
    #: Pieces of one printed line may fall this many cells short of the column.
    fragment_underrun: float = 1.0
    #: Median line width (cells) above which the input is already one
    #: paragraph a line and rejoin leaves its lines as they are.
    prejoined_median_cells: float = 40.0
    #: A line more than this many cells wider than its column is set across
    #: columns (a headline), never part of a column's paragraph.
    wide_line_excess: float = 2.0
    #: A line with no punctuation at all is wider than its column already by
    #: more than this: a body line outgrows the column only by a hung mark
    #: (``榆林市沿岸绿化带多点发力``, 12 cells over a 10-cell column, is a title).
    wide_unpunctuated_excess: float = 1.0
    #: A closing mark hung past the column's end widens a full line by a cell.
    hung_mark_cells: float = 1.0
    #: A paragraph of more than this many raw lines that stops without a
    #: sentence end goes on into the next multi-line paragraph.
    open_paragraph_lines: int = 4
    #: Longest `——习近平` attribution line (dash included), which never runs on.
    max_attribution_chars: int = 8
    #: Longest bracketed note closing a story (`（作者为…）`, a list of reporters).
    max_bracketed_note_chars: int = 80
    #: Pieces of one printed line may add up to this many cells over the
    #: column width: full-width brackets and quotes are set narrower.
    fragment_overrun: float = 2.0
    #: Full lines of one column differ by up to this many cells: a character
    #: pushed down by kinsoku, marks set narrow (the seed's 10- and 11-cell
    #: lines), a half-width digit.
    full_line_spread: float = 1.0

    # --- dedupe -------------------------------------------------------------
    #: Shortest run (characters) that counts as a repeated caption or line.
    min_repeat_chars: int = 6
    #: Similarity (0..1) at which two runs count as near-copies (OCR noise).
    near_copy_similarity: float = 0.9
    #: A repeated run needs this many Han characters: the seed caption
    #: `一位农民在丰收节展区的玉米挂造型前喜笑颜开` printed twice goes, while a
    #: 5- or 7-character poem line repeated on purpose (`春风又绿江南岸`) stays.
    min_repeat_han: int = 8
    #: Farthest apart (characters) two copies of a run printed "in a row" start;
    #: long enough for a three-line caption printed twice (corpus d014).
    max_repeat_chars: int = 300
    #: Shorter runs are compared exactly, never as OCR near-copies.
    min_near_copy_chars: int = 10
    #: Longest pull quote / repeated caption removed as a layout copy; longer
    #: shared text is a story quoting another, not a layout duplicate.
    max_quote_chars: int = 400
    #: Han characters a pull quote or repeated caption needs (the shortest in the
    #: corpus, `“人不率则不从，身不先则不信。`, has 12); it must also end a sentence.
    min_quote_han: int = 10
    #: A pull quote is set in a box narrower than its column: its widest line is
    #: at most this share of the column width (``width_window``,
    #: ``width_percentile``).  Corpus: 14 cells in a 19-cell column (0.74), at
    #: most 13 in 15 (d006, 0.87); body copies fill their column.
    quote_width_ratio: float = 0.9
    #: Lines a boxed copy spans: one short line may just end a paragraph.
    quote_min_lines: int = 2
    #: Step of the k-gram scan that finds pull quotes in one pass over the page.
    quote_index_stride: int = 3
    #: Characters a copy may match by chance beyond its line ends (`。` before both).
    quote_edge_slack: int = 2
    #: Fake bold `金金融融扶扶贫贫`: doubled pairs a line needs, distinct
    #: characters among them, and the share of the line they cover (so that
    #: `看看`, `11`, `高高兴兴快快乐乐地过年` stay).
    min_doubled_pairs: int = 4
    min_doubled_distinct: int = 3
    doubled_line_share: float = 0.8
    #: Longest line (characters, no spaces) taken for page furniture: the raw
    #: running head `人民日报 2020年1月6日星期一 第4版` is 21.
    max_furniture_chars: int = 48
    #: Furniture learned over an issue (``learn_furniture``): line keys to drop.
    learned_furniture: frozenset[str] = frozenset()
    #: A line is learned furniture when it recurs on this share of the pages...
    learned_furniture_share: float = 0.6
    #: ...and on at least this many pages...
    learned_furniture_min_pages: int = 3
    #: ...within this relative distance (0 top .. 1 bottom) of its usual place.
    learned_furniture_position: float = 0.1

    # --- segment ------------------------------------------------------------
    #: Longest headline, in characters, before a line is taken for body text.
    max_headline_chars: int = 40
    #: Longest in-story subhead, in characters.
    max_subhead_chars: int = 12
    #: Longest second deck under an in-story subhead (``subhead_deck``); the
    #: corpus gold's longest is 28.
    max_subhead_deck_chars: int = 30
    #: Longest caption, in characters.
    max_caption_chars: int = 160
    #: A body reads on from an earlier story (not its neighbour) when its
    #: cohesion with that story reaches this...
    continuation_cohesion: float = 0.1
    #: ...and is this many times its cohesion with the bodies around it.
    continuation_ratio: float = 2.0
    #: A photo's caption runs over at most this many blocks before its credit.
    max_caption_blocks: int = 2
    #: photo_report: the longest text (characters) of a photo report whose
    #: paragraphs are all the photo's captions (`穿越飞石`: 4 paragraphs, 201).
    max_photo_report_chars: int = 400
    #: A caption under another story's last paragraph is its own photo story
    #: when its cohesion (tf-idf cosine of bigrams) with that story is below this.
    photo_box_cohesion: float = 0.05
    #: Longest body under a brief's title below a section label (`新闻速递`):
    #: a longer story after the briefs is a story of its own.  Corpus briefs
    #: run 148–377 characters, and a body can hold two when the second one's
    #: title went unseen (624); stories printed after briefs: 913, 1315.
    max_brief_chars: int = 800
    #: ...and when the story above it has run this many paragraphs: one short
    #: paragraph after a byline is the photo story's own lead, not a story the
    #: photo interrupted (raw corpus: 1 → F1 .886, 2 → .894, 3 → .889).
    photo_box_story_paragraphs: int = 2
    #: Longest stand-alone byline line (`□ 本报记者 戴明芳`), in cells.
    max_byline_cells: float = 24.0

    # --- split --------------------------------------------------------------
    #: Positional prior added to a heading's lexical score for the body printed
    #: right after it when that body opens with a byline (the usual layout)...
    prior_next_byline: float = 0.6
    #: ...right after it without a byline...
    prior_next: float = 0.35
    #: ...and right before it (a headline drawn below its body).
    prior_previous: float = 0.25
    #: The prior of a phrase further from the body, one phrase of its group
    #: between them, is multiplied by this for each: the title right over a
    #: byline is the story's, one more line up may be the last story's title.
    prior_decay: float = 0.5
    #: A heading goes to a body that is not its neighbour only on this much
    #: lexical evidence (share of its bigram weight found in the body).
    min_heading_score: float = 0.45
    #: Lexical cohesion (tf-idf cosine of bigrams) above which the bodies on
    #: both sides of a short heading line are one story, the line a subhead.
    subhead_cohesion: float = 0.03
    #: Story cohesion assumed on a page with no body long enough to measure.
    default_story_cohesion: float = 0.08
    #: A heading group between two bodies stays a heading when the heading
    #: model gives it at least this probability.  Low on purpose: demoting a
    #: real headline merges two stories (two articles lost), keeping a false
    #: one splits one (one lost).  Held-out corpus folds: 0.2 gave article F1
    #: 0.736, 0.35 gave 0.729, 0.5 gave 0.703 (bench/train_heading_model.py --eval).
    heading_threshold: float = 0.2
    #: Between heading_threshold and this, the model is unsure and the fixed
    #: rules (no strong sign of a new story, cohesive bodies) decide.
    heading_sure: float = 0.5
    #: A heading model of one's own (``bench/train_heading_model.py``); None:
    #: the shipped ``newsclean/data/heading_model.json``.
    heading_model_path: Path | None = None
    #: parallel_subheads: the first line of a short-over-long subhead group
    #: holds at most this many characters (corpus: 4, 5 and 8).
    parallel_subhead_chars: int = 8
    #: A lone heading line whose bigram weight is found less than this in the
    #: body after it is no headline of that body.
    min_headline_coverage: float = 0.15
    #: page_subheadline_style: a first title phrase at most this share of the
    #: second's width is a tag-like kicker (`赵克志强调`, 5 cells over 18),
    #: never a headline over a subheadline (those run 10 to 24 cells).
    kicker_tag_share: float = 0.5
    #: A caption printed after its credit is a descriptive line at least this
    #: long; a shorter line there is a headline drawn below the photo (`志愿巡湖`).
    min_caption_chars: int = 10
    #: Blocks on each side of a photo credit read to tell a caption (about the
    #: story above) from the next story's headline (about the story below).
    caption_context_blocks: int = 3
    #: Characters on each side of a heading line break given to the segmenter
    #: to see whether one word runs across it.
    heading_join_context: int = 4
    #: Characters taken on each side of a heading line break and looked up in
    #: the page's bodies: found together, the break cut one title.
    phrase_in_body_chars: int = 2
    #: A heading line this short (cells) is the tail of the line before it.
    heading_tail_cells: float = 3.0
    #: orphan_title: a heading no body took cuts the body next to it in two
    #: only where each part keeps this many characters...
    orphan_min_chars: int = 80
    #: ...where this share of the title's bigram weight lies on its side...
    orphan_min_coverage: float = 0.3
    #: ...more than on the other side by this share...
    orphan_margin: float = 0.2
    #: ...and where the two parts read alike less than this (bigram cosine).
    orphan_cohesion: float = 0.1
    #: topic_shift: a body with no heading between its parts is two stories
    #: where the two sides of a paragraph break read alike less than this
    #: (bigram cosine of all the text above against all below).  On the
    #: corpus, 3 of the 6 such unmarked boundaries fall under 0.02 and none
    #: of 1,780 breaks inside one story; the next of those lies at 0.026.
    topic_shift_cohesion: float = 0.02
    #: ...tried where the two paragraphs each side of the break read alike
    #: less than this (201 of the 1,780 breaks, and 5 of the 6 boundaries):
    #: two small vectors rule a break out before the whole sides are compared.
    topic_shift_local: float = 0.03

    def replace(self, **changes: object) -> Config:
        return replace(self, **changes)

    def rule_enabled(self, name: str) -> bool:
        return name not in self.disabled_rules

    @classmethod
    def field_docs(cls) -> dict[str, object]:
        """Field names with their defaults, for ``newsclean config``."""
        return {f.name: f.default if f.default is not field else None for f in fields(cls)}
