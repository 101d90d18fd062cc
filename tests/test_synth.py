"""The page generator: its pages must be as trustworthy as hand-made gold,
since property tests and a learned classifier take them as truth."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from newsclean.synth import (
    MAX_HEADLINE,
    MAX_WIDTH,
    MIN_HEADLINE,
    MIN_WIDTH,
    PLACEMENTS,
    SynthPage,
    draw_beats,
    gold_texts,
    make_page,
    write_pages,
)

SEEDS = range(120)


@pytest.fixture(scope="module")
def pages() -> list[SynthPage]:
    return [make_page(seed) for seed in SEEDS]


def nonspace(texts: list[str] | str) -> Counter[str]:
    texts = [texts] if isinstance(texts, str) else texts
    return Counter(char for text in texts for char in text if not char.isspace())


def articles(page: SynthPage) -> list[dict]:
    return page.gold["articles"]  # type: ignore[return-value]


def test_same_seed_gives_same_page() -> None:
    first, again = make_page(42), make_page(42)
    assert first.text == again.text
    assert first.gold == again.gold


def test_different_seeds_give_different_pages() -> None:
    assert len({make_page(seed).text for seed in range(20)}) == 20


def test_gold_accounts_for_every_non_space_character(pages: list[SynthPage]) -> None:
    # The corpus README's invariant: articles plus dropped hold each non-space
    # character of the raw text exactly as often as the raw text does.
    for page in pages:
        assert nonspace(gold_texts(page.gold)) == nonspace(page.text), page.seed


def test_sample_sentences_keep_the_invariant_too() -> None:
    for seed in range(10):
        page = make_page(seed, source="sample")
        assert nonspace(gold_texts(page.gold)) == nonspace(page.text)


def test_both_styles_occur_and_look_as_named(pages: list[SynthPage]) -> None:
    assert {page.style for page in pages} == {"blank", "plain"}
    for page in pages:
        lines = page.text.split("\n")[:-1]
        blanks = sum(1 for line in lines if not line.strip())
        if page.style == "blank":  # the seed: a blank line after every line
            assert blanks * 2 == len(lines)
        else:
            assert blanks == 0


def test_every_placement_occurs(pages: list[SynthPage]) -> None:
    seen = Counter(mode for page in pages for mode in page.placements)
    assert set(seen) == set(PLACEMENTS)


def test_widths_vary_within_bounds(pages: list[SynthPage]) -> None:
    widths = {width for page in pages for width in page.widths}
    assert min(widths) >= MIN_WIDTH and max(widths) <= MAX_WIDTH
    assert len(widths) >= 10


def test_stories_on_a_page_differ_in_topic_and_place() -> None:
    # Real neighbouring stories share few words (draw_beats' docstring).
    for seed in range(50):
        beats = draw_beats(random.Random(seed), 6)
        assert len({topic for topic, _ in beats}) == len({place for _, place in beats}) == 6


def test_a_broken_headline_fills_its_first_line(pages: list[SynthPage]) -> None:
    # Headlines wrap where their box is full: the first line is the longest.
    for page in pages:
        by_article: dict[int, list[str]] = {}
        for line in page.lines:
            if line.role == "headline":
                by_article.setdefault(line.article, []).append(line.text)
        for lines in by_article.values():
            assert len(lines[0]) == max(len(line) for line in lines), lines


def test_options_restrict_what_is_drawn() -> None:
    page = make_page(5, style="plain", placements=("late",), n_stories=3,
                     running_head_line=False, footer_line=False)
    assert page.style == "plain"
    assert len(articles(page)) == 3
    assert set(page.placements) == {"late"}
    assert page.gold["dropped"] == []


@pytest.mark.parametrize("bad", [{"style": "fancy"}, {"placements": ("nowhere",)},
                                 {"placements": ()}, {"source": "corpus"}])
def test_bad_options_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        make_page(1, **bad)


def test_headlines_are_short_and_carry_no_sentence_punctuation(pages: list[SynthPage]) -> None:
    for page in pages:
        for article in articles(page):
            headline = re.sub(r"（[^）]+）$", "", article["headline"])  # its column tag
            if headline:
                assert MIN_HEADLINE <= len(headline) <= MAX_HEADLINE, headline
                assert not re.search(r"[。！？，；]", headline), headline


def test_some_headlines_carry_a_column_tag(pages: list[SynthPage]) -> None:
    tagged = [a["headline"] for page in pages for a in articles(page)
              if re.search(r"（[^）]+）$", a["headline"])]
    assert tagged and all(re.search(r"（.+）$", headline) for headline in tagged)


def test_paragraphs_end_like_sentences_and_some_end_in_a_quote(pages: list[SynthPage]) -> None:
    ends = Counter(
        block["text"][-1]
        for page in pages for article in articles(page) for block in article["blocks"]
        if block["kind"] == "paragraph"
    )
    assert set(ends) <= set("。！”")
    assert ends["”"] > 0 and ends["。"] > 0


def test_bylines_credits_and_subheads_occur(pages: list[SynthPage]) -> None:
    bylines = [a["byline"] for page in pages for a in articles(page) if a["byline"]]
    assert any(b.startswith("本报讯 （记者 ") for b in bylines)
    assert any(b.startswith("□ 本报记者 ") for b in bylines)
    assert any(b.startswith("新华社") for b in bylines)
    kinds = Counter(b["kind"] for page in pages for a in articles(page) for b in a["blocks"])
    assert {"paragraph", "subhead", "caption", "credit"} <= set(kinds)


def test_a_dispatch_byline_opens_the_first_paragraph_in_the_raw_text() -> None:
    page = next(p for p in map(make_page, range(200))
                if any((a["byline"] or "").startswith("本报讯") for a in articles(p)))
    article = next(a for a in articles(page) if (a["byline"] or "").startswith("本报讯"))
    flat = re.sub(r"\s", "", page.text)
    assert re.sub(r"\s", "", article["byline"] + article["blocks"][0]["text"][:4]) in flat


def test_running_head_and_footer_go_to_dropped() -> None:
    page = make_page(3, running_head_line=True, footer_line=True)
    whys = [item["why"] for item in page.gold["dropped"]]
    assert whys[0].startswith("running head") and whys[-1] == "page footer (editors)"
    assert page.lines[0].role == page.lines[-1].role == "furniture"


def test_headline_placement_shows_in_the_raw_order() -> None:
    # late: the headline comes after the last line of its own body.
    page = make_page(9, placements=("late",), n_stories=2, running_head_line=False)
    roles = [line.role for line in page.lines if line.article == 0]
    assert roles[-1] in ("headline", "subheadline")
    page = make_page(9, placements=("top",), n_stories=2, running_head_line=False)
    first = page.lines[0]
    assert first.article == 0 and first.role in ("kicker", "headline")


def test_some_lines_show_extraction_damage(pages: list[SynthPage]) -> None:
    texts = [line.text for page in pages for line in page.lines]
    assert any(re.fullmatch(r"(\S )+\S", text) for text in texts)  # 贫 攻 坚
    assert any(text[0] in "，。、）”" for text in texts)  # pushed closing mark


def test_line_labels_are_the_raw_lines(pages: list[SynthPage]) -> None:
    for page in pages[:20]:
        raw = [line for line in page.text.split("\n") if line.strip()]
        assert raw == [line.text for line in page.lines]


def test_write_pages_writes_pairs_eval_can_read(tmp_path) -> None:
    paths = write_pages(tmp_path, [1, 2])
    assert [p.name for p in paths] == ["synth-1.raw.txt", "synth-2.raw.txt"]
    assert (tmp_path / "synth-2.gold.json").is_file()


def test_kickers_come_in_the_corpus_forms(pages: list[SynthPage]) -> None:
    """Some kickers end on `——` or a colon, some hold a clause; the rest read
    like titles (corpus raw gold: 15, 10, 12 and 45 of 82)."""
    kickers = [a["kicker"] for page in pages for a in articles(page) if a.get("kicker")]
    assert any(k.endswith("——") for k in kickers)
    assert any(k.endswith("：") for k in kickers)
    assert any("，" in k for k in kickers)
    assert any(not re.search(r"[，：—]", k) for k in kickers)
