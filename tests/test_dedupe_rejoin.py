"""dedupe: the page's comparable string updated after a rule cut some blocks is
the one built from scratch."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.config import Config
from newsclean.model import Block, page_from_text
from newsclean.pipeline import run
from newsclean.stages import dedupe


def joined_fields(joined: dedupe._Joined) -> tuple[object, ...]:
    """Every field a rule reads, the ones built on first use included."""
    return (joined.text, joined.starts, joined.maps, joined.segments, joined.segment_starts,
            joined.line_edges, joined.block_edges, joined.edges)


@st.composite
def cut_pages(draw: st.DrawFn) -> tuple[list[str], list[tuple[int, int, int]]]:
    """Lines (some with Latin words and full-width forms, so keys have maps and
    folds) and, per block to change, (block, start, length) of a cut; a cut
    of the whole text drops the block."""
    pieces = st.sampled_from(["春夏", "秋冬", "山水。", "ＡＢ", "a b", "田林", "？", "1 2"])
    lines = draw(st.lists(st.lists(pieces, min_size=1, max_size=5).map("".join),
                          min_size=1, max_size=12))
    cuts = draw(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 30), st.integers(1, 30)),
                         max_size=4))
    return lines, cuts


def cut(blocks: tuple[Block, ...], cuts: list[tuple[int, int, int]]) -> tuple[Block, ...]:
    """``blocks`` with the drawn cuts made, as a rule hands them on: the kept
    blocks the same objects, a cut one new, an emptied one gone."""
    out = list(blocks)
    for index, start, length in cuts:
        if not out:
            break
        index %= len(out)
        text = out[index].text
        start %= len(text)
        rest = (text[:start] + text[start + length :]).strip()
        if rest:
            out[index] = replace(out[index], text=rest)
        else:
            del out[index]
    return tuple(out)


@settings(max_examples=300, deadline=None)
@given(cut_pages(), st.booleans())
def test_rejoin_matches_a_fresh_join(drawn: tuple[list[str], list], one_block: bool) -> None:
    lines, cuts = drawn
    config = Config()
    stages = ("normalize",) if one_block else ("normalize", "rejoin")
    page = run(page_from_text("\n".join(lines)), config, stages)
    ctx = dedupe._Context(page, config)
    blocks = page.current_blocks()
    ctx.joined(blocks)
    after = cut(blocks, cuts)
    fresh = dedupe._join(after, dedupe._Context(page, config))
    assert joined_fields(ctx.joined(after)) == joined_fields(fresh)
