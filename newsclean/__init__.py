"""newsclean: raw OCR / PDF text of a Chinese newspaper page -> clean, separated articles.

The public API::

    from newsclean import clean_text, clean_file, Config
    page = clean_text(raw_text)
    for article in page.current_articles(): ...

Names are imported on first use (module ``__getattr__``), so that the command
line's ``--help`` does not pay for the page model, the config or the stages.
"""

from __future__ import annotations

#: typing.TYPE_CHECKING without importing typing (type checkers take it as True).
TYPE_CHECKING = False

__version__ = "0.1.0"

_LAZY = {
    "Config": ".config",
    "Article": ".model",
    "Block": ".model",
    "Dropped": ".model",
    "Kind": ".model",
    "Line": ".model",
    "Page": ".model",
    "page_from_text": ".model",
}

__all__ = [*_LAZY, "clean_bytes", "clean_file", "clean_text"]

if TYPE_CHECKING:
    from pathlib import Path

    from .config import Config
    from .model import Article, Block, Dropped, Kind, Line, Page, page_from_text  # noqa: F401


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'newsclean' has no attribute {name!r}")


def clean_text(text: str, config: Config | None = None, source: str = "<text>") -> Page:
    """Run the configured pipeline over decoded page text."""
    from .config import Config
    from .io.decode import unify_line_ends
    from .model import page_from_text
    from .pipeline import run

    return run(page_from_text(unify_line_ends(text), source), config or Config())


def clean_bytes(data: bytes, config: Config | None = None, source: str = "<bytes>") -> Page:
    """Decode raw bytes (see :mod:`newsclean.io.decode`) and clean them."""
    from .io.decode import decode

    return clean_text(decode(data, source), config, source)


def clean_file(path: str | Path, config: Config | None = None) -> Page:
    from pathlib import Path

    path = Path(path)
    return clean_bytes(path.read_bytes(), config, str(path))
