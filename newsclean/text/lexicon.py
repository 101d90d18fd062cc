"""Word segmentation behind one small interface, plus the lexical evidence stages use.

Stages that need words (segment, split) call :func:`segmenter_for` (or
:func:`get_segmenter`) and use only ``Segmenter.cut(text) -> list[str]``.  The
engine is loaded on the first call and cached once per process per (engine,
dictionaries): importing this module loads nothing heavy, so ``newsclean
--help`` and the stages without words stay fast, and no page pays for a load.

Engines
-------
``jieba`` is the reference (its user-dictionary format, ``word [freq] [tag]``
per line, is ours).  ``rjieba`` binds jieba-rs: the same algorithm and the same
dictionary, in Rust.  ``bench/bench.py --corpus`` measured both with the shipped
user dictionary on the development corpus (173 page files, 1.46 M characters)
on a shared 2-core machine (medians of one run; three runs agreed within ~25 %):

====================================  ===========  ==========
                                      jieba        rjieba
====================================  ===========  ==========
first cut, fresh process (import,     1.5-1.9 s    0.28-0.37 s
load dictionary, user words)          (cache warm)
peak RSS of that process              92 MB        47 MB
cutting the sample page (6 k chars)   31-43 ms     1.0-1.4 ms
throughput                            ~0.5 MB/s    ~13 MB/s (25-33x)
====================================  ===========  ==========

Tokens: 63 of 1,019,999 differ, all in dotted Latin runs (``163.com``,
``cfws.samr.gov.cn``), which jieba breaks at each dot and rjieba keeps whole;
Chinese text gives identical tokens, with and without our user dictionary.
Neither split of a web address is evidence a stage relies on.

Decision: ``"auto"`` is rjieba when it is installed, else jieba — 5x faster to
the first page, half the memory, 25x the throughput, same tokens.  rjieba takes
user words through ``add_word`` exactly as jieba's ``load_userdict`` does, so
"auto" keeps rjieba when user dictionaries are given (the tests check both
engines give the same tokens with them, and that entries take effect).

jieba's habits are tamed here: its logger is raised above CRITICAL (it prints
four debug lines on the first cut), and its 9 MB prefix-dictionary cache goes to
a per-user folder (:func:`cache_dir`) instead of the system temp dir, where it
crashes when /tmp is not writable and leaves a file owned by whoever ran first.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import importlib.util
import logging
import math
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .cjk import HAN

if TYPE_CHECKING:
    from ..config import Config

ENGINES = ("jieba", "rjieba")
#: The jieba-format user dictionary, in the shipped folder and in each user folder.
USER_DICTIONARY_NAME = "jieba_user.txt"

#: jieba's user-dictionary line: the word (may hold spaces), then optional
#: frequency and part-of-speech tag — the pattern jieba's load_userdict uses.
_USER_LINE_RE = re.compile(r"^(.+?)(?: ([0-9]+))?(?: ([a-z]+))?$")

#: Single characters that carry grammar, not topic: two blocks sharing 的 or
#: 在 say nothing about belonging to one article.
FUNCTION_CHARS = frozenset(
    "的了在是和与及或也就都而着把被对从为将以于之其并又但这那些个我你他她它们"
    "有无不没很更最已还要会能可让给向到由所等如若则却便即且该此各每某上下中里内外"
    # date units left when a date's numbers are dropped: 2020年1月 -> 年, 月
    "年月日号时"
)
#: A token made only of digits, numerals and number punctuation (2020, 1—8,
#: 十九, 3.5%): numbers recur across unrelated stories (dates, page numbers).
_NUMBER_RE = re.compile(r"^[0-9０-９.．,，%％—\-〇零一二三四五六七八九十百千万亿两]+$")
#: A token with at least one letter of a word in it (Han, Latin, other).
_WORDLIKE_RE = re.compile(rf"[{HAN}A-Za-zＡ-Ｚａ-ｚ]")


class Segmenter(Protocol):
    """What a stage may ask of an engine: its name and a list of tokens."""

    name: str

    def cut(self, text: str) -> list[str]: ...


@dataclass(frozen=True)
class UserWord:
    """One entry of a jieba user dictionary: ``word [freq] [tag]``."""

    word: str
    freq: int | None = None
    tag: str | None = None


# --- loading ----------------------------------------------------------------


def get_segmenter(name: str = "auto", user_dicts: Iterable[Path | str] = ()) -> Segmenter:
    """The segmenter for ``name`` with the given jieba-format dictionary files.

    Cached per (engine, dictionaries): a second call returns the same object.
    """
    files = tuple(Path(path).resolve() for path in user_dicts)
    return _load(resolve_engine(name), files)


def segmenter_for(config: Config) -> Segmenter:
    """The segmenter a stage should use: Config's engine, shipped + user dictionaries.

    Cheap enough to call per line: the lookup is cached too (finding and
    resolving the dictionary files costs ~150 µs a call).
    """
    return _configured(config.segmenter, tuple(config.user_dictionaries))


@cache
def _configured(name: str, user_dirs: tuple[Path, ...]) -> Segmenter:
    return get_segmenter(name, user_dictionary_files(user_dirs))


def resolve_engine(name: str) -> str:
    """Map "auto" to the engine chosen in the module docstring; reject unknown names."""
    if name == "auto":
        return "rjieba" if rjieba_installed() else "jieba"
    if name not in ENGINES:
        raise ValueError(f"unknown segmenter {name!r} (known: auto, {', '.join(ENGINES)})")
    return name


def rjieba_installed() -> bool:
    """Whether rjieba can be loaded, found without importing it (that loads its dictionary)."""
    return importlib.util.find_spec("rjieba") is not None


def user_dictionary_files(user_dirs: Iterable[Path] = ()) -> tuple[Path, ...]:
    """The shipped jieba user dictionary, then each user folder's, where present."""
    from ..dictionaries import DictionaryError, shipped_dir

    folders: list[Path] = []
    with contextlib.suppress(DictionaryError):  # a broken install still segments
        folders.append(shipped_dir())
    folders.extend(Path(folder) for folder in user_dirs)
    return tuple(f / USER_DICTIONARY_NAME for f in folders if (f / USER_DICTIONARY_NAME).is_file())


@cache
def _load(engine: str, files: tuple[Path, ...]) -> Segmenter:
    words = [entry for path in files for entry in read_user_dictionary(path)]
    if engine == "rjieba":
        return RjiebaSegmenter(words)
    return JiebaSegmenter(words)


def read_user_dictionary(path: Path) -> list[UserWord]:
    """Entries of a jieba user dictionary; blank lines and ``#`` lines are skipped.

    jieba's own loader would take ``# comment`` for a word, so we parse the
    file once here and give both engines the same entries.
    """
    entries = []
    for raw in Path(path).read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _USER_LINE_RE.match(line)
        if match:
            word, freq, tag = match.groups()
            entries.append(UserWord(word, int(freq) if freq else None, tag))
    return entries


def cache_dir() -> Path:
    """A per-user writable folder for jieba's cache, created on demand.

    ``$XDG_CACHE_HOME/newsclean``, else ``~/.cache/newsclean``, else
    ``<tempdir>/newsclean-<uid>``.  If none is writable, the first candidate is
    returned: jieba then fails to write its cache, silently, and rebuilds it
    (slower, but it never crashes).
    """
    candidates = _cache_candidates()
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            continue
        if os.access(folder, os.W_OK | os.X_OK):
            return folder
    return candidates[0]


def _cache_candidates() -> list[Path]:
    candidates = []
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        candidates.append(Path(xdg) / "newsclean")
    with contextlib.suppress(RuntimeError):  # no HOME and no passwd entry
        candidates.append(Path.home() / ".cache" / "newsclean")
    try:
        uid = os.getuid() if hasattr(os, "getuid") else os.getpid()
        candidates.append(Path(tempfile.gettempdir()) / f"newsclean-{uid}")
    except OSError:  # no usable temp dir at all (FileNotFoundError)
        pass
    return candidates or [Path.cwd() / ".newsclean-cache"]


# --- engines ----------------------------------------------------------------


class JiebaSegmenter:
    """The reference engine: its own jieba Tokenizer, quiet, cached per user."""

    name = "jieba"

    def __init__(self, words: Sequence[UserWord] = ()) -> None:
        import jieba

        # jieba sets its logger to DEBUG on import; above CRITICAL it prints nothing,
        # not even "Dump cache file failed" when the cache folder is read-only.
        jieba.setLogLevel(logging.CRITICAL + 1)
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.tmp_dir = str(cache_dir())
        self._tokenizer.initialize()
        for entry in words:
            self._tokenizer.add_word(entry.word, entry.freq, entry.tag)

    def cut(self, text: str) -> list[str]:
        return self._tokenizer.lcut(text)


class RjiebaSegmenter:
    """jieba-rs through rjieba: the same tokens, ~10× faster, no cache file."""

    name = "rjieba"

    def __init__(self, words: Sequence[UserWord] = ()) -> None:
        self._jieba = _rjieba_class()()
        for entry in words:
            self._jieba.add_word(entry.word, entry.freq, entry.tag)

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text)


def _rjieba_class() -> Any:
    """rjieba's ``Jieba`` class, loaded without running ``rjieba/__init__.py``.

    That file builds a module-level ``Jieba()`` on import, which costs another
    dictionary load (~250-400 ms) and ~25 MB that we would never use, since we
    need our own instance for the user words.  Falls back to a plain import.
    """
    spec = importlib.util.find_spec("rjieba")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = Path(folder) / f"rjieba{suffix}"
            if path.is_file():
                return _load_extension("rjieba.rjieba", path).Jieba
    from rjieba import Jieba

    return Jieba


def _load_extension(module_name: str, path: Path) -> Any:
    loader = importlib.machinery.ExtensionFileLoader(module_name, str(path))
    spec = importlib.util.spec_from_file_location(module_name, path, loader=loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


# --- lexical evidence ---------------------------------------------------------


def content_words(text: str, segmenter: Segmenter) -> list[str]:
    """Tokens that can show two blocks share a topic.

    Dropped: whitespace and punctuation, numbers (dates and page numbers recur
    across unrelated stories) and single-character function words (的, 在).
    """
    return [token for token in segmenter.cut(text) if is_content_word(token)]


def is_content_word(token: str) -> bool:
    token = token.strip()
    if not token or not _WORDLIKE_RE.search(token) or _NUMBER_RE.match(token):
        return False
    return not (len(token) == 1 and token in FUNCTION_CHARS)


def word_weights(documents: Iterable[Iterable[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of each word over one page's blocks.

    A word found in every block (the paper's name, 记者) says little about which
    blocks belong together; a word in two blocks says a lot.  The weight is
    ``ln((1 + n) / (1 + df)) + 1``: always positive, highest for the rarest.
    """
    frequency: dict[str, int] = {}
    count = 0
    for words in documents:
        count += 1
        for word in set(words):
            frequency[word] = frequency.get(word, 0) + 1
    return {word: math.log((1 + count) / (1 + df)) + 1.0 for word, df in frequency.items()}


def word_across(previous: str, line: str, config: Config) -> str:
    """The word the segmenter reads across the break between two lines, or ''
    (`…城市地表` / `水环境质量排名` → `地表水`)."""
    tail, head = previous[-config.heading_join_context:], line[: config.heading_join_context]
    position = 0
    for token in segmenter_for(config).cut(tail + head):
        if position < len(tail) < position + len(token):
            return token
        position += len(token)
    return ""
