"""`newsclean --help` must stay fast: it may import none of the heavy libraries.

Measured (issue 2): jieba import-to-first-cut ≈ 700 ms, rich's Console +45 ms,
OpenCC ~80 ms, against a ≤ 0.1 s goal for --help.  Timing on shared machines
is noise, so these tests assert what would make it slow — a heavy module in
``sys.modules`` — and leave the timing to bench/bench.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("jieba", "rjieba", "opencc", "rich")

#: Runs the real console entry point in a fresh interpreter, then reports which
#: heavy top-level packages ended up imported.
PROBE = """
import json, sys
{prelude}
from newsclean.cli import main
sys.argv = ["newsclean", *{args!r}]
try:
    main()
except SystemExit:
    pass
heavy = sorted({{name.split(".")[0] for name in sys.modules}} & set({heavy!r}))
print("\\n" + json.dumps(heavy))
"""


def heavy_modules_after(args: list[str], prelude: str = "") -> list[str]:
    code = PROBE.format(args=args, heavy=HEAVY, prelude=prelude)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"], ["clean", "--help"]])
def test_help_imports_no_heavy_library(args):
    assert heavy_modules_after(args) == []


def test_python_m_newsclean_help_imports_no_heavy_library():
    code = (
        "import runpy, sys\n"
        "sys.argv = ['newsclean', '--help']\n"
        "try:\n    runpy.run_module('newsclean', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_public_api_imports_no_heavy_library():
    code = (
        "import sys, newsclean\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stderr


def test_probe_can_fail():
    # A test that cannot fail tests nothing: an eager import must show up.
    assert heavy_modules_after(["--help"], prelude="import opencc") == ["opencc"]
