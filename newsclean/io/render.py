"""Page -> text, markdown, JSON or JSON Lines.

The JSON form mirrors the gold format (``../GOLD_FORMAT.md``) so that output
and annotation can be compared directly, with two additions: each block's
``lines`` span in the raw file, and each dropped piece's ``lines``.
"""

from __future__ import annotations

import json

from ..model import Article, Block, Kind, Page

FORMATS = ("text", "markdown", "json", "jsonl")
JSON_FORMAT_NAME = "newsclean.page/1"


def block_to_dict(block: Block) -> dict[str, object]:
    return {"kind": str(block.kind), "text": block.text, "lines": list(block.lines)}


def article_to_dict(article: Article) -> dict[str, object]:
    data: dict[str, object] = {
        "headline": article.headline,
        "kicker": article.kicker,
        "subheadline": article.subheadline,
        "byline": article.byline,
        "blocks": [block_to_dict(block) for block in article.body],
    }
    if article.heading:
        data["heading"] = [block_to_dict(block) for block in article.heading]
    if article.continues_on:
        data["continues_on"] = article.continues_on
    if article.continued_from:
        data["continued_from"] = article.continued_from
    return data


def page_to_dict(page: Page) -> dict[str, object]:
    return {
        "format": JSON_FORMAT_NAME,
        "source": page.source,
        "stages": list(page.stages_run),
        "articles": [article_to_dict(article) for article in page.current_articles()],
        "dropped": [
            {"text": item.text, "why": item.why, "lines": list(item.lines)} for item in page.dropped
        ],
    }


def render_json(page: Page, indent: int | None = 2) -> str:
    return json.dumps(page_to_dict(page), ensure_ascii=False, indent=indent)


def render_jsonl(page: Page) -> str:
    return render_json(page, indent=None)


def _dropped_lines(page: Page, marker: str) -> list[str]:
    return [f"{marker}[dropped: {item.why}] {item.text}" for item in page.dropped]


def render_text(page: Page, keep_dropped: bool = False) -> str:
    """One block per line, a blank line between articles."""
    parts: list[str] = []
    for article in page.current_articles():
        lines = [block.text for block in article.heading]
        lines += [block.text for block in article.body]
        parts.append("\n".join(lines))
    if keep_dropped and page.dropped:
        parts.append("\n".join(_dropped_lines(page, "")))
    return "\n\n".join(parts) + "\n" if parts else ""


_MARKDOWN_PREFIX = {
    Kind.KICKER: "*",
    Kind.SUBHEADLINE: "**",
    Kind.SUBHEAD: "### ",
    Kind.CAPTION: "> ",
    Kind.CREDIT: "— ",
}


def _markdown_block(block: Block) -> str:
    if block.kind is Kind.HEADLINE:
        return f"## {block.text}"
    if block.kind in (Kind.KICKER, Kind.SUBHEADLINE):
        mark = _MARKDOWN_PREFIX[block.kind]
        return f"{mark}{block.text}{mark}"
    if block.kind is Kind.BYLINE:
        return f"_{block.text}_"
    return _MARKDOWN_PREFIX.get(block.kind, "") + block.text


def render_markdown(page: Page, keep_dropped: bool = False) -> str:
    parts: list[str] = []
    for article in page.current_articles():
        blocks = list(article.heading)
        if blocks and not any(block.kind is Kind.HEADLINE for block in blocks) or not blocks:
            parts.append("## (untitled)")
        parts.extend(_markdown_block(block) for block in article.heading + article.body)
    if keep_dropped and page.dropped:
        parts.append("---")
        parts.extend(_dropped_lines(page, "- "))
    return "\n\n".join(parts) + "\n" if parts else ""


def render(page: Page, fmt: str, keep_dropped: bool = False) -> str:
    if fmt == "json":
        return render_json(page) + "\n"
    if fmt == "jsonl":
        return render_jsonl(page) + "\n"
    if fmt == "markdown":
        return render_markdown(page, keep_dropped)
    return render_text(page, keep_dropped)
