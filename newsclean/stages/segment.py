"""segment: placeholder until its issue lands; returns the page unchanged."""

from __future__ import annotations

from ..config import Config
from ..model import Page

RULES: tuple[str, ...] = ()


def run(page: Page, config: Config) -> Page:
    return page
