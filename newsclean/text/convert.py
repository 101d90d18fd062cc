"""Traditional ⇄ simplified Chinese through OpenCC, loaded once per process.

No stage converts yet: traditional-script pages arrive with a later issue.
The converters sit here so that stage, its tests and any user code share one
way in.  OpenCC is imported and each configuration built on first use only
(~80 ms, a C++ library and its dictionaries), never by ``import newsclean`` or
``newsclean --help``.  Configurations are OpenCC's names: ``t2s`` (traditional
to simplified), ``s2t``, and the regional ones (``tw2s``, ``s2twp``, ``hk2s`` …).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

#: What "traditional" and "simplified" mean when no region is asked for:
#: OpenCC's standard character sets, no regional idioms (t2s / s2t).
SIMPLIFY = "t2s"
TRADITIONALIZE = "s2t"


@cache
def converter(config: str) -> Callable[[str], str]:
    """The ``convert`` function of OpenCC's ``config``; built once per name.

    Raises ValueError for a name OpenCC does not ship, listing the known ones.
    """
    import opencc

    known = sorted(name.removesuffix(".json") for name in opencc.CONFIGS)
    if known and config.removesuffix(".json") not in known:
        raise ValueError(f"unknown OpenCC configuration {config!r} (known: {', '.join(known)})")
    return opencc.OpenCC(config).convert


def to_simplified(text: str, config: str = SIMPLIFY) -> str:
    """``text`` in simplified characters (資訊 → 资讯)."""
    return converter(config)(text)


def to_traditional(text: str, config: str = TRADITIONALIZE) -> str:
    """``text`` in traditional characters (资讯 → 資訊)."""
    return converter(config)(text)
