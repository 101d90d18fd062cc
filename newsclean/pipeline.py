"""The stage registry and the function that runs a chain of stages.

A stage is a function ``(page, config) -> page``.  Stages are registered by
name; the pipeline is an ordered tuple of names (``Config.stages``).  The
shipped stages are imported only when first run, so ``newsclean --help``
and the stages that need no segmenter start fast.  Users may register their
own stage with :func:`register`, as with spaCy's component registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from importlib import import_module

from .config import Config
from .model import Page

Stage = Callable[[Page, Config], Page]

#: Shipped stages, in pipeline order: name -> module under newsclean.stages.
SHIPPED_STAGES: dict[str, str] = {
    "normalize": "normalize",
    "rejoin": "rejoin",
    "dedupe": "dedupe",
    "segment": "segment",
    "split": "split",
}

_registered: dict[str, Stage] = {}


class UnknownStage(ValueError):
    """A stage name that is neither shipped nor registered."""


def register(name: str, stage: Stage) -> None:
    """Make ``stage`` available under ``name`` (replacing any stage of that name)."""
    _registered[name] = stage


def available_stages() -> list[str]:
    return list(SHIPPED_STAGES) + [name for name in _registered if name not in SHIPPED_STAGES]


def get_stage(name: str) -> Stage:
    if name in _registered:
        return _registered[name]
    if name not in SHIPPED_STAGES:
        known = ", ".join(available_stages())
        raise UnknownStage(f"unknown stage {name!r} (known: {known})")
    module = import_module(f".stages.{SHIPPED_STAGES[name]}", __package__)
    _registered[name] = module.run
    return module.run


def known_rules() -> dict[str, str]:
    """Every rule name a shipped stage lists in its ``RULES``, with its stage."""
    rules: dict[str, str] = {}
    for name, module_name in SHIPPED_STAGES.items():
        module = import_module(f".stages.{module_name}", __package__)
        rules.update((rule, name) for rule in getattr(module, "RULES", ()))
    return rules


def run(page: Page, config: Config, stages: Iterable[str] | None = None) -> Page:
    """Run ``stages`` (default: ``config.stages``) over ``page`` in order."""
    for name in config.stages if stages is None else stages:
        page = get_stage(name)(page, config)
        page = replace(page, stages_run=page.stages_run + (name,))
    return page


def check_stages(names: Iterable[str]) -> tuple[str, ...]:
    """Validate stage names early, so a typo fails before any file is read."""
    names = tuple(names)
    for name in names:
        if name not in SHIPPED_STAGES and name not in _registered:
            get_stage(name)
    return names
