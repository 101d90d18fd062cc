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

    # --- rejoin -------------------------------------------------------------
    #: Lines looked at on each side when estimating the local column width.
    #: Columns on one page differ (the seed mixes ~19- and ~10-character
    #: columns), so the width is estimated from neighbours, not the whole page.
    width_window: int = 8
    #: Percentile of neighbour widths taken as the column width; high enough to
    #: ignore short last lines, low enough to ignore one fused over-long line.
    width_percentile: float = 0.75
    #: A line this many cells shorter than the column is "clearly short"
    #: (one cell = one Chinese character; Latin letters and digits are half).
    short_line_slack: float = 1.5
    #: A paragraph's first line lost its two-character indent: a line short by
    #: about this much, after a sentence end, starts a paragraph.
    indent_cells: float = 2.0
    #: Columns narrower than this are not estimated: lines are kept as they are.
    min_column_width: float = 4.0
    #: Share of non-blank lines followed by a blank line above which blank
    #: lines are extraction style (the seed) rather than paragraph breaks.
    blank_line_style_share: float = 0.6
    #: Pieces of one printed line may add up to this many cells over the
    #: column width: full-width brackets and quotes are set narrower.
    fragment_overrun: float = 2.0

    # --- dedupe -------------------------------------------------------------
    #: Shortest run (characters) that counts as a repeated caption or line.
    min_repeat_chars: int = 6
    #: Similarity (0..1) at which two runs count as near-copies (OCR noise).
    near_copy_similarity: float = 0.9

    # --- segment ------------------------------------------------------------
    #: Longest headline, in characters, before a line is taken for body text.
    max_headline_chars: int = 40
    #: Longest in-story subhead, in characters.
    max_subhead_chars: int = 20
    #: Longest caption, in characters.
    max_caption_chars: int = 160

    # --- split --------------------------------------------------------------
    #: Weight of the positional prior against lexical similarity when a
    #: headline printed away from its body is matched to a body.
    position_weight: float = 0.3

    def replace(self, **changes: object) -> Config:
        return replace(self, **changes)

    def rule_enabled(self, name: str) -> bool:
        return name not in self.disabled_rules

    @classmethod
    def field_docs(cls) -> dict[str, object]:
        """Field names with their defaults, for ``newsclean config``."""
        return {f.name: f.default if f.default is not field else None for f in fields(cls)}
