"""newsclean: raw OCR / PDF text of a Chinese newspaper page -> clean, separated articles.

The public API::

    from newsclean import clean_text, clean_file, Config
    page = clean_text(raw_text)
    for article in page.current_articles(): ...
"""

from __future__ import annotations

from pathlib import Path

from .config import Config
from .model import Article, Block, Dropped, Kind, Line, Page, page_from_text

__all__ = [
    "Article", "Block", "Config", "Dropped", "Kind", "Line", "Page",
    "clean_bytes", "clean_file", "clean_text", "page_from_text",
]
__version__ = "0.1.0"


def clean_text(text: str, config: Config | None = None, source: str = "<text>") -> Page:
    """Run the configured pipeline over decoded page text."""
    from .io.decode import unify_line_ends
    from .pipeline import run

    config = config or Config()
    return run(page_from_text(unify_line_ends(text), source), config)


def clean_bytes(data: bytes, config: Config | None = None, source: str = "<bytes>") -> Page:
    """Decode raw bytes (see :mod:`newsclean.io.decode`) and clean them."""
    from .io.decode import decode

    return clean_text(decode(data, source), config, source)


def clean_file(path: str | Path, config: Config | None = None) -> Page:
    path = Path(path)
    return clean_bytes(path.read_bytes(), config, str(path))
