"""pipeline: the stage registry and the order stages run in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsclean import pipeline
from newsclean.config import Config
from newsclean.model import Line, Page, page_from_text


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict:
    """A fresh registry, so user stages registered here leak into no other test."""
    fresh: dict = {}
    monkeypatch.setattr(pipeline, "_registered", fresh)
    return fresh


def _appender(mark: str):
    def stage(page: Page, config: Config) -> Page:
        return replace(page, lines=page.lines + (Line(len(page.lines) + 1, mark),))
    return stage


def test_run_applies_stages_in_the_given_order(registry: dict) -> None:
    pipeline.register("a", _appender("A"))
    pipeline.register("b", _appender("B"))
    page = pipeline.run(page_from_text("x"), Config(), ["b", "a", "b"])
    assert [line.text for line in page.lines] == ["x", "B", "A", "B"]
    assert page.stages_run == ("b", "a", "b")


def test_run_defaults_to_config_stages(registry: dict) -> None:
    pipeline.register("a", _appender("A"))
    page = pipeline.run(page_from_text("x"), Config(stages=("a",)))
    assert page.stages_run == ("a",)


def test_shipped_stages_record_their_names() -> None:
    page = pipeline.run(page_from_text("贫 攻 坚"), Config(stages=("normalize", "rejoin")))
    assert page.stages_run == ("normalize", "rejoin")
    assert page.lines[0].text == "贫攻坚"


def test_unknown_stage_is_an_error_naming_the_known_ones(registry: dict) -> None:
    with pytest.raises(pipeline.UnknownStage, match="'nosuch'.*normalize"):
        pipeline.run(page_from_text("x"), Config(), ["nosuch"])


def test_check_stages_fails_before_any_page_is_read(registry: dict) -> None:
    with pytest.raises(pipeline.UnknownStage):
        pipeline.check_stages(["normalize", "rejion"])
    assert pipeline.check_stages(["normalize", "split"]) == ("normalize", "split")


def test_registered_user_stage_runs_and_is_listed(registry: dict) -> None:
    pipeline.register("shout", _appender("!"))
    assert "shout" in pipeline.available_stages()
    assert pipeline.check_stages(["normalize", "shout"]) == ("normalize", "shout")
    page = pipeline.run(page_from_text("x"), Config(), ["normalize", "shout"])
    assert page.lines[-1].text == "!"


def test_register_replaces_a_shipped_stage(registry: dict) -> None:
    pipeline.register("normalize", _appender("mine"))
    page = pipeline.run(page_from_text("贫 攻"), Config(), ["normalize"])
    assert [line.text for line in page.lines] == ["贫 攻", "mine"]


def test_known_rules_maps_each_rule_to_its_stage() -> None:
    rules = pipeline.known_rules()
    assert rules["unify_spaces"] == "normalize"
    assert rules["remove_justification_spaces"] == "normalize"
    assert set(rules.values()) <= set(pipeline.SHIPPED_STAGES)
