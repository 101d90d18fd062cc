"""rejoin: placeholder (one block per non-blank line)."""

from __future__ import annotations

from dataclasses import replace

from ..config import Config
from ..model import Page

RULES: tuple[str, ...] = ()


def run(page: Page, config: Config) -> Page:
    return replace(page, blocks=page.current_blocks())
