"""render: one hand-built page in every output format."""

from __future__ import annotations

import json

import pytest

from newsclean.io.render import FORMATS, render, render_json, render_jsonl
from newsclean.model import Article, Block, Dropped, Kind, Line, Page


def _page() -> Page:
    heading = (
        Block(Kind.KICKER, "丰收节特别报道", (1, 1)),
        Block(Kind.HEADLINE, "金融扶贫注入动力", (3, 3)),
        Block(Kind.SUBHEADLINE, "我市多措并举", (5, 5)),
        Block(Kind.BYLINE, "□ 实习记者 王卫斌", (7, 7)),
    )
    body = (
        Block(Kind.PARAGRAPH, "俗话说，一文钱逼倒英雄汉。", (9, 11)),
        Block(Kind.SUBHEAD, "金融扶贫遍地开花", (13, 13)),
        Block(Kind.CAPTION, "一位农民在丰收节展区喜笑颜开", (15, 15)),
        Block(Kind.CREDIT, "记者 郭炳中 摄", (17, 17)),
    )
    dropped = (Dropped("一位农民在丰收节展区喜笑颜开", "repeated-run", (19, 19)),)
    return Page(
        source="p.txt",
        lines=tuple(Line(n, "") for n in range(1, 20)),
        articles=(Article(heading=heading, body=body),),
        dropped=dropped,
        stages_run=("normalize", "split"),
    )


def test_json_mirrors_the_gold_format() -> None:
    data = json.loads(render_json(_page()))
    assert data["source"] == "p.txt"
    assert data["stages"] == ["normalize", "split"]
    (article,) = data["articles"]
    assert article["headline"] == "金融扶贫注入动力"
    assert article["kicker"] == "丰收节特别报道"
    assert article["subheadline"] == "我市多措并举"
    assert article["byline"] == "□ 实习记者 王卫斌"
    assert article["blocks"][0] == {
        "kind": "paragraph", "text": "俗话说，一文钱逼倒英雄汉。", "lines": [9, 11],
    }
    assert [block["kind"] for block in article["blocks"]] == [
        "paragraph", "subhead", "caption", "credit",
    ]
    assert data["dropped"] == [
        {"text": "一位农民在丰收节展区喜笑颜开", "why": "repeated-run", "lines": [19, 19]}
    ]


def test_jsonl_is_one_line_holding_the_same_object() -> None:
    line = render_jsonl(_page())
    assert "\n" not in line
    assert json.loads(line) == json.loads(render_json(_page()))


def test_text_is_one_block_per_line_without_dropped_text() -> None:
    text = render(_page(), "text")
    assert text.splitlines()[:5] == [
        "丰收节特别报道", "金融扶贫注入动力", "我市多措并举", "□ 实习记者 王卫斌",
        "俗话说，一文钱逼倒英雄汉。",
    ]
    assert "dropped" not in text


def test_text_with_keep_dropped_marks_the_dropped_text() -> None:
    text = render(_page(), "text", keep_dropped=True)
    assert "[dropped: repeated-run] 一位农民在丰收节展区喜笑颜开" in text.splitlines()


def test_markdown_marks_each_kind() -> None:
    lines = render(_page(), "markdown").splitlines()
    assert "## 金融扶贫注入动力" in lines
    assert "*丰收节特别报道*" in lines
    assert "**我市多措并举**" in lines
    assert "_□ 实习记者 王卫斌_" in lines
    assert "### 金融扶贫遍地开花" in lines
    assert "> 一位农民在丰收节展区喜笑颜开" in lines
    assert "— 记者 郭炳中 摄" in lines
    assert not any("dropped" in line for line in lines)


def test_markdown_with_keep_dropped_lists_it_after_a_rule() -> None:
    lines = render(_page(), "markdown", keep_dropped=True).splitlines()
    assert "---" in lines
    assert lines[-1] == "- [dropped: repeated-run] 一位农民在丰收节展区喜笑颜开"


def test_page_before_split_is_one_untitled_article() -> None:
    page = Page("raw.txt", (Line(1, "第一行"), Line(2, ""), Line(3, "第二行")))
    (article,) = json.loads(render_json(page))["articles"]
    assert article["headline"] == ""
    assert [b["lines"] for b in article["blocks"]] == [[1, 1], [3, 3]]
    assert render(page, "markdown").startswith("## (untitled)")
    assert render(page, "text") == "第一行\n第二行\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_page_renders_without_error(fmt: str) -> None:
    out = render(Page("empty.txt", ()), fmt)
    if fmt in ("json", "jsonl"):
        assert json.loads(out)["articles"] == []
    else:
        assert out == ""
