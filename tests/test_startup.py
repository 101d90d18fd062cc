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


# --- beyond the heavy libraries: nothing that click itself would not load ------------

#: A click CLI of the same make as newsclean's (group, explicit version, -h, a
#: subcommand with path, choice and range options) and nothing else: whatever
#: click loads for its --help, newsclean's --help may load too.  If newsclean
#: starts using a click feature that imports more (click.File...), add that
#: feature here rather than allowing the module.
REFERENCE_CLI = '''
import click

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option("1.0", prog_name="reference")
def main():
    """A reference group."""

@main.command()
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--fmt", type=click.Choice(["a", "b"]), default="a", show_default=True)
@click.option("--dir", type=click.Path(exists=True, file_okay=False), multiple=True)
@click.option("--jobs", type=click.IntRange(min=1))
@click.option("--resume/--no-resume", default=True, show_default=True)
def clean(files, fmt, dir, jobs, resume):
    """A subcommand."""

main()
'''
#: The only modules of our own that --help may load (not the model, the config,
#: the stages: their regexes and dictionaries wait for a command to run).
OWN_AT_HELP = {"newsclean", "newsclean.__main__", "newsclean.cli", "newsclean.exitcodes"}


def imported_modules(argv: list[str], cwd: Path) -> set[str]:
    """Every module a real command imports, as ``python -X importtime`` lists them."""
    result = subprocess.run([sys.executable, "-X", "importtime", *argv], capture_output=True,
                            text=True, timeout=60, cwd=cwd)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip() for line in lines[1:]}


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["clean", "--help"]])
def test_help_loads_only_what_click_loads(args):
    reference = imported_modules(["-c", REFERENCE_CLI, *args], ROOT)
    ours = imported_modules(["-c", "from newsclean.cli import main; main()", *args], ROOT)
    assert "click" in reference and "newsclean.cli" in ours  # the probe sees imports
    assert sorted(ours - reference - OWN_AT_HELP) == []


def test_python_m_newsclean_help_loads_only_what_click_loads(tmp_path):
    package = tmp_path / "reference_cli"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(REFERENCE_CLI)
    reference = imported_modules(["-m", "reference_cli", "--help"], tmp_path)
    ours = imported_modules(["-m", "newsclean", "--help"], ROOT)
    assert sorted(ours - reference - OWN_AT_HELP) == []


def test_the_click_probe_can_fail():
    # pathlib is the import that slipped in before (click.Path(path_type=Path)).
    ours = imported_modules(["-c", "import pathlib; from newsclean.cli import main; main()",
                             "--help"], ROOT)
    reference = imported_modules(["-c", REFERENCE_CLI, "--help"], ROOT)
    assert "pathlib" in ours - reference - OWN_AT_HELP
