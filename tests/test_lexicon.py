"""The segmenter interface, its engines, jieba's tamed habits and the lexical helpers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsclean.config import Config
from newsclean.text.lexicon import (
    UserWord,
    cache_dir,
    content_words,
    get_segmenter,
    read_user_dictionary,
    resolve_engine,
    rjieba_installed,
    segmenter_for,
    user_dictionary_files,
    word_weights,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_GOLD = ROOT / "samples" / "000_cb6bebe9d91324f1.gold.json"
needs_rjieba = pytest.mark.skipif(not rjieba_installed(), reason="rjieba not installed")


def sample_paragraphs() -> list[str]:
    """Real page text: the gold paragraphs of the shipped sample."""
    gold = json.loads(SAMPLE_GOLD.read_text(encoding="utf-8"))
    return [
        block["text"]
        for article in gold["articles"]
        for block in article["blocks"]
        if block["kind"] == "paragraph"
    ]


class FixedSegmenter:
    """A stand-in engine, so the helpers are tested without loading a dictionary."""

    name = "fixed"

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens

    def cut(self, text: str) -> list[str]:
        return list(self.tokens)


def run_python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        env={**os.environ, **(env or {})}, cwd=ROOT,
    )


# --- the interface ------------------------------------------------------------


def test_same_engine_and_dictionaries_return_the_same_loaded_object():
    files = user_dictionary_files()
    assert get_segmenter("jieba", files) is get_segmenter("jieba", files)


def test_auto_is_the_engine_it_resolves_to_not_a_second_load():
    files = user_dictionary_files()
    assert get_segmenter("auto", files) is get_segmenter(resolve_engine("auto"), files)


def test_auto_prefers_rjieba_when_installed():
    assert resolve_engine("auto") == ("rjieba" if rjieba_installed() else "jieba")


def test_unknown_engine_is_refused_with_the_known_names():
    with pytest.raises(ValueError, match="jieba"):
        resolve_engine("thulac")


def test_segmenter_for_uses_config_engine_and_the_shipped_dictionary():
    segmenter = segmenter_for(Config(segmenter="jieba"))
    assert segmenter.name == "jieba"
    # 脱贫攻坚 is in dictionaries/jieba_user.txt; jieba alone splits it in two.
    assert "脱贫攻坚" in segmenter.cut("为脱贫攻坚和乡村振兴持续注入活力")


def test_a_user_folder_adds_its_dictionary_after_the_shipped_one(tmp_path):
    (tmp_path / "jieba_user.txt").write_text("吕梁模式\n", encoding="utf-8")
    files = user_dictionary_files((tmp_path,))
    assert files[-1] == tmp_path / "jieba_user.txt"
    assert len(files) == 2


# --- user dictionaries --------------------------------------------------------


def test_user_dictionary_reads_word_freq_tag_and_skips_comments(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# a comment\n\n吕梁模式\n乡村振兴贷 20\n一保通 5 nz\nNew York ns\n",
                    encoding="utf-8")
    assert read_user_dictionary(path) == [
        UserWord("吕梁模式"),
        UserWord("乡村振兴贷", 20),
        UserWord("一保通", 5, "nz"),
        UserWord("New York", None, "ns"),
    ]


@pytest.mark.parametrize("engine", ["jieba", pytest.param("rjieba", marks=needs_rjieba)])
def test_user_dictionary_entry_keeps_a_word_whole(tmp_path, engine):
    # Sample page: 农发行“吕梁模式”在全国推广 — without the entry, 吕梁 + 模式.
    sentence = "农发行吕梁模式在全国推广"
    assert "吕梁模式" not in get_segmenter(engine).cut(sentence)
    path = tmp_path / "jieba_user.txt"
    path.write_text("# newspaper words\n吕梁模式\n", encoding="utf-8")
    tokens = get_segmenter(engine, (path,)).cut(sentence)
    assert "吕梁模式" in tokens
    assert "#" not in "".join(tokens)


# --- the two engines agree ------------------------------------------------------


@needs_rjieba
def test_both_engines_give_the_same_tokens_on_the_sample_page():
    files = user_dictionary_files()
    jieba, rjieba = get_segmenter("jieba", files), get_segmenter("rjieba", files)
    paragraphs = sample_paragraphs()
    assert len(paragraphs) > 10
    for paragraph in paragraphs:
        assert rjieba.cut(paragraph) == jieba.cut(paragraph), paragraph


@needs_rjieba
def test_engines_differ_only_on_dotted_latin_runs():
    # The one difference measured on the corpus (module docstring): a web address.
    jieba, rjieba = get_segmenter("jieba"), get_segmenter("rjieba")
    assert jieba.cut("163.com") == ["163", ".", "com"]
    assert rjieba.cut("163.com") == ["163.com"]


# --- jieba's habits -------------------------------------------------------------


def test_cache_dir_follows_xdg_and_is_private_and_writable(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = cache_dir()
    assert folder == tmp_path / "newsclean"
    assert os.access(folder, os.W_OK)
    assert folder.stat().st_mode & 0o077 == 0


def test_cache_dir_skips_an_unusable_candidate(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    folder = cache_dir()
    assert folder != blocker / "newsclean"
    assert os.access(folder, os.W_OK)


def test_jieba_cache_lands_in_cache_dir():
    get_segmenter("jieba").cut("测试")
    assert (cache_dir() / "jieba.cache").is_file()


def test_jieba_works_when_no_temp_dir_is_writable(tmp_path):
    # jieba asks tempfile.gettempdir() for its cache folder, which raises when
    # /tmp is not writable; newsclean must not ask it.
    code = (
        "import tempfile\n"
        "def no_temp(): raise FileNotFoundError('No usable temporary directory')\n"
        "tempfile.gettempdir = no_temp\n"
        "from newsclean.text.lexicon import get_segmenter\n"
        "print(get_segmenter('jieba').cut('脱贫攻坚'))\n"
    )
    result = run_python(code, {"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "newsclean" / "jieba.cache").is_file()


@pytest.mark.parametrize("engine", ["jieba", "auto"])
def test_first_cut_prints_nothing(engine):
    code = (
        "from newsclean.text.lexicon import get_segmenter\n"
        f"get_segmenter({engine!r}).cut('金融扶贫遍地开花')\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")


def test_importing_the_module_loads_no_engine():
    code = (
        "import sys\n"
        "import newsclean.text.lexicon, newsclean.text.convert\n"
        "print([m for m in sys.modules if m.split('.')[0] in ('jieba', 'rjieba', 'opencc')])\n"
    )
    result = run_python(code)
    assert result.stdout.strip() == "[]", result.stderr


# --- lexical evidence -------------------------------------------------------------


def test_content_words_drop_punctuation_numbers_and_function_characters():
    tokens = ["2020", "年", "1", "月", "，", "本报记者", "在", "北京", "的", "脱贫攻坚",
              "现场", "。", " ", "十九", "5G"]
    assert content_words("", FixedSegmenter(tokens)) == [
        "本报记者", "北京", "脱贫攻坚", "现场", "5G",
    ]


def test_content_words_keep_single_characters_that_carry_topic():
    assert content_words("", FixedSegmenter(["雪", "的", "煤"])) == ["雪", "煤"]


def test_word_weights_rank_rare_words_above_words_in_every_block():
    blocks = [["人民日报", "吕梁", "扶贫"], ["人民日报", "吕梁"], ["人民日报", "冬运会"]]
    weights = word_weights(blocks)
    assert weights["冬运会"] > weights["吕梁"] > weights["人民日报"] > 0


def test_word_weights_count_a_word_once_per_block():
    repeated = word_weights([["吕梁", "吕梁"], ["扶贫"]])
    assert repeated["吕梁"] == word_weights([["吕梁"], ["扶贫"]])["吕梁"]


# --- OpenCC (newsclean/text/convert.py; kept here until a stage uses it) ---------


def test_to_simplified_converts_traditional_characters():
    from newsclean.text.convert import to_simplified

    assert to_simplified("資訊與電腦，臺灣脫貧攻堅") == "资讯与电脑，台湾脱贫攻坚"


def test_to_traditional_converts_simplified_characters():
    from newsclean.text.convert import to_traditional

    assert to_traditional("资讯与电脑，脱贫攻坚") == "資訊與電腦，脫貧攻堅"


def test_converter_is_built_once_per_configuration():
    from newsclean.text.convert import converter

    assert converter("t2s") is converter("t2s")
    assert converter("t2s") is not converter("s2t")


def test_regional_configuration_names_are_accepted():
    from newsclean.text.convert import to_simplified

    assert to_simplified("軟體", "tw2sp") == "软件"


def test_unknown_configuration_is_refused_with_the_known_names():
    from newsclean.text.convert import converter

    with pytest.raises(ValueError, match="t2s"):
        converter("x2y")
