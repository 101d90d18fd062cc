"""The command line: default command, inputs, formats, stage chains, exit codes.

Most tests use click's CliRunner; a few run ``python -m newsclean`` for real,
for what only a process shows: shell pipes, exit codes through ``main()``,
start-up imports and ANSI codes on a non-terminal stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean import cli as cli_module
from newsclean import pipeline
from newsclean.cli import cli, main
from newsclean.exitcodes import ExitCode

CAPTION = "一位农民在丰收节展区的玉米挂造型前喜笑颜开"  # printed twice on the seed page
BYLINE_AS_PRINTED = "□ 实习记者 王卫斌"


def invoke(*args: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def run_process(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
                cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("NEWSCLEAN_DEBUG", "NO_COLOR")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "newsclean", *args], input=stdin, capture_output=True,
        text=True, encoding="utf-8", env=full_env, cwd=cwd, timeout=120,
    )


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.txt"
    path.write_bytes("金融".encode() + b"\xff\xfe")
    return path


# --- the default command and inputs ------------------------------------------

def test_file_without_subcommand_runs_clean(sample_page_path: Path) -> None:
    plain = invoke(str(sample_page_path))
    explicit = invoke("clean", str(sample_page_path))
    assert plain.exit_code == 0, plain.output
    assert plain.stdout == explicit.stdout
    assert "俗话说，一文钱逼倒英雄汉。" in plain.stdout


@pytest.mark.parametrize("args", [(), ("-",), ("clean",), ("clean", "-")])
def test_dash_or_no_file_reads_standard_input(args: tuple[str, ...], sample_text: str,
                                              sample_page_path: Path) -> None:
    result = invoke(*args, "--format", "json", stdin=sample_text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout)
    assert page["source"] == "<stdin>"
    assert page == {**json.loads(invoke("-f", "json", str(sample_page_path)).stdout),
                    "source": "<stdin>"}


def test_several_files_give_one_text_output_each(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("第 一 篇 稿 子。\n", encoding="utf-8")
    second.write_text("第 二 篇 稿 子。\n", encoding="utf-8")
    result = invoke("--stages", "normalize", str(first), str(second))
    assert result.exit_code == 0
    assert result.stdout == "第一篇稿子。\n\n第二篇稿子。\n"


# --- formats ------------------------------------------------------------------

def test_json_mirrors_the_gold_format(sample_page_path: Path) -> None:
    result = invoke("--format", "json", str(sample_page_path))
    page = json.loads(result.stdout)
    assert page["source"] == str(sample_page_path)
    assert page["articles"], "the seed page has articles"
    for article in page["articles"]:
        assert {"headline", "kicker", "subheadline", "byline", "blocks"} <= set(article)
        for block in article["blocks"]:
            assert set(block) == {"kind", "text", "lines"}
            first, last = block["lines"]
            assert 1 <= first <= last
    assert all({"text", "why", "lines"} <= set(item) for item in page["dropped"])


def test_several_files_in_json_give_an_array(sample_page_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("月 份 经 济 指 标\n", encoding="utf-8")
    result = invoke("-f", "json", str(sample_page_path), str(other))
    pages = json.loads(result.stdout)
    assert isinstance(pages, list)
    assert [page["source"] for page in pages] == [str(sample_page_path), str(other)]


def test_jsonl_is_one_page_object_per_line(sample_page_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("月 份 经 济 指 标\n", encoding="utf-8")
    result = invoke("-f", "jsonl", str(sample_page_path), str(other))
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["source"] for line in lines] == [str(sample_page_path), str(other)]


def test_markdown_titles_articles(sample_page_path: Path) -> None:
    result = invoke("-f", "markdown", str(sample_page_path))
    assert result.exit_code == 0
    assert result.stdout.startswith("## ")


# --- stage chains -----------------------------------------------------------------

def test_stages_option_runs_only_those_stages(sample_page_path: Path) -> None:
    page = json.loads(invoke("--stages", "normalize,rejoin", "-f", "json",
                             str(sample_page_path)).stdout)
    assert page["stages"] == ["normalize", "rejoin"]
    kinds = {block["kind"] for article in page["articles"] for block in article["blocks"]}
    assert "paragraph" in kinds
    normalized = json.loads(invoke("--stages", "normalize", "-f", "json",
                                   str(sample_page_path)).stdout)
    assert len(normalized["articles"][0]["blocks"]) > len(page["articles"][0]["blocks"])


def test_stage_chain_works_in_a_shell_pipe(sample_page_path: Path) -> None:
    """Text output is valid input, and a text pipe keeps the characters and
    line breaks but not what normalize noted beside them: which lines were
    letter-spaced (README, "The pipeline").  So `newsclean --stages normalize
    FILE | newsclean --stages rejoin` equals the chained call that does not use
    that fact, `--stages normalize,rejoin --disable justified_line`, and on
    the seed, whose `深 入 推 进 电 子 商 务 与 扶 贫 攻 坚 深 度 融` needs it, differs
    from the chained call with it."""
    normalized = run_process("--stages", "normalize", str(sample_page_path))
    piped = run_process("--stages", "rejoin", stdin=normalized.stdout)
    unspaced = run_process("--stages", "normalize,rejoin", "--disable", "justified_line",
                           str(sample_page_path))
    chained = run_process("--stages", "normalize,rejoin", str(sample_page_path))
    assert normalized.returncode == piped.returncode == unspaced.returncode == 0
    assert chained.returncode == 0
    assert piped.stdout == unspaced.stdout
    assert piped.stdout != chained.stdout  # the letter spacing did not cross the pipe
    again = run_process("--stages", "normalize", "-", stdin=chained.stdout)
    assert again.stdout == chained.stdout


def test_skip_leaves_one_stage_out(sample_page_path: Path) -> None:
    default = json.loads(invoke("-f", "json", str(sample_page_path)).stdout)
    skipped = json.loads(invoke("-f", "json", "--skip", "dedupe", str(sample_page_path)).stdout)
    assert "dedupe" in default["stages"] and "dedupe" not in skipped["stages"]
    assert CAPTION in [item["text"] for item in default["dropped"]]
    assert CAPTION not in [item["text"] for item in skipped["dropped"]]
    text = invoke("--skip", "dedupe", str(sample_page_path)).stdout
    assert text.count(CAPTION) == 2


def test_disable_switches_a_rule_off(sample_page_path: Path) -> None:
    on = invoke("--stages", "normalize", str(sample_page_path)).stdout
    off = invoke("--stages", "normalize", "--disable", "remove_justification_spaces",
                 str(sample_page_path)).stdout
    assert BYLINE_AS_PRINTED not in on
    assert BYLINE_AS_PRINTED in off


def test_disable_warns_about_an_unknown_rule_name(sample_page_path: Path) -> None:
    result = invoke("--stages", "normalize", "--disable", "remove_justfication_spaces",
                    str(sample_page_path))
    assert result.exit_code == 0
    assert "no rule named 'remove_justfication_spaces'" in result.stderr
    assert "newsclean" not in result.stdout


def test_quiet_silences_warnings(sample_page_path: Path) -> None:
    loud = invoke("--stages", "normalize", "--disable", "nosuch", str(sample_page_path))
    quiet = invoke("--stages", "normalize", "-q", "--disable", "nosuch", str(sample_page_path))
    assert loud.stderr and not quiet.stderr
    assert loud.stdout == quiet.stdout


def test_quiet_keeps_errors(tmp_path: Path) -> None:
    result = invoke("--quiet", str(tmp_path / "missing.txt"))
    assert result.exit_code == ExitCode.input_file
    assert "missing.txt" in result.stderr


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_keep_dropped_shows_dropped_text_marked(fmt: str, sample_page_path: Path) -> None:
    plain = invoke("-f", fmt, str(sample_page_path)).stdout
    kept = invoke("-f", fmt, "--keep-dropped", str(sample_page_path)).stdout
    assert "[dropped:" not in plain
    assert f"[dropped: repeated-run] {CAPTION}" in kept


# --- errors and exit codes ------------------------------------------------------------

@pytest.mark.parametrize("option", ["--stages", "--skip"])
def test_unknown_stage_is_exit_1_with_a_clear_message(option: str,
                                                      sample_page_path: Path) -> None:
    value = "normalize,rejion" if option == "--stages" else "dedup"
    result = run_process(option, value, str(sample_page_path))
    assert result.returncode == ExitCode.bad_args == 1
    assert "unknown stage" in result.stderr and "known: normalize" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_file_is_exit_2_and_other_files_still_processed(
        sample_page_path: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = run_process(str(missing), str(sample_page_path))
    assert result.returncode == ExitCode.input_file == 2
    assert str(missing) in result.stderr and "Traceback" not in result.stderr
    assert "俗话说，一文钱逼倒英雄汉。" in result.stdout


def test_undecodable_file_is_exit_2_naming_file_and_offset(bad_file: Path,
                                                           sample_page_path: Path) -> None:
    result = run_process(str(bad_file), str(sample_page_path))
    assert result.returncode == ExitCode.input_file
    assert f"{bad_file}: cannot decode byte offset 6" in result.stderr
    assert "Traceback" not in result.stderr
    assert "俗话说" in result.stdout


def test_output_option_writes_the_file(sample_page_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = invoke("-f", "json", "-o", str(target), str(sample_page_path))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["articles"]


def test_unwritable_output_is_exit_5(sample_page_path: Path, tmp_path: Path) -> None:
    result = run_process("-o", str(tmp_path / "no" / "such" / "dir.txt"), str(sample_page_path))
    assert result.returncode == ExitCode.output_file == 5
    assert "dir.txt" in result.stderr and "Traceback" not in result.stderr


def test_bad_option_value_is_exit_1(sample_page_path: Path) -> None:
    result = run_process("--format", "pdf", str(sample_page_path))
    assert result.returncode == ExitCode.bad_args
    assert "Traceback" not in result.stderr


@pytest.fixture
def crashing_stage(monkeypatch: pytest.MonkeyPatch) -> str:
    def crash(page, config):
        raise ZeroDivisionError("boom in stage")

    monkeypatch.setitem(pipeline._registered, "crash", crash)
    return "crash"


def test_internal_error_is_one_line_and_exit_15(
        crashing_stage: str, sample_page_path: Path, capsys: pytest.CaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSCLEAN_DEBUG", raising=False)
    with pytest.raises(SystemExit) as caught:
        main(["--stages", f"normalize,{crashing_stage}", str(sample_page_path)])
    assert caught.value.code == ExitCode.other_error == 15
    err = capsys.readouterr().err
    assert err.startswith("newsclean: internal error: ZeroDivisionError: boom in stage")
    assert "report" in err and "NEWSCLEAN_DEBUG=1" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_internal_error_traceback_with_newsclean_debug(
        crashing_stage: str, sample_page_path: Path, capsys: pytest.CaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSCLEAN_DEBUG", "1")
    with pytest.raises(SystemExit) as caught:
        main(["--stages", f"normalize,{crashing_stage}", str(sample_page_path)])
    assert caught.value.code == ExitCode.other_error
    err = capsys.readouterr().err
    assert "Traceback" in err and "boom in stage" in err
    assert "newsclean: internal error:" in err


# --- help, version, listing ---------------------------------------------------------------

def test_help_and_version_work() -> None:
    help_result = run_process("--help")
    assert help_result.returncode == 0
    assert "Usage: newsclean" in help_result.stdout and "clean" in help_result.stdout
    version = run_process("--version")
    assert version.returncode == 0 and version.stdout.startswith("newsclean, version ")


def test_clean_help_shows_its_options() -> None:
    result = invoke("clean", "--help")
    for option in ("--format", "--stages", "--skip", "--disable", "--keep-dropped", "--quiet"):
        assert option in result.stdout


def test_stages_command_lists_stages_and_rules() -> None:
    result = invoke("stages")
    assert result.exit_code == 0
    listed = result.stdout.split()
    for stage in pipeline.SHIPPED_STAGES:
        assert stage in listed
    for rule in pipeline.known_rules():
        assert rule in listed


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys\n"
        "from newsclean.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('jieba', 'rjieba', 'opencc', 'rich') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert "HEAVY []" in result.stderr


# --- stdout for the product, stderr for diagnostics -----------------------------------------

def test_diagnostics_go_to_stderr_and_stdout_stays_clean(
        bad_file: Path, sample_page_path: Path) -> None:
    alone = run_process("-f", "jsonl", str(sample_page_path))
    mixed = run_process("-f", "jsonl", "--disable", "nosuch", str(bad_file),
                        str(sample_page_path))
    assert mixed.stdout == alone.stdout
    json.loads(mixed.stdout)
    assert "nosuch" in mixed.stderr and "bad.txt" in mixed.stderr


def test_no_ansi_colour_when_stderr_is_not_a_terminal(bad_file: Path) -> None:
    result = run_process("--disable", "nosuch", str(bad_file))
    assert result.stderr and "\x1b[" not in result.stderr


class _FakeTerminal:
    closed = False

    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(cli_module.sys, "stderr", _FakeTerminal())
    assert cli_module.use_colour()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli_module.use_colour()


# --- progress over many files -----------------------------------------------------------

@pytest.fixture
def many_files(tmp_path: Path) -> list[str]:
    names = []
    for number in range(cli_module.PROGRESS_MIN_FILES + 5):
        path = tmp_path / f"p{number:02}.txt"
        path.write_text(f"第 {number} 版\n", encoding="utf-8")
        names.append(str(path))
    return names


def test_progress_bar_on_a_terminal_for_many_files(
        many_files: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import rich.progress

    totals: list[float | None] = []

    class RecordingProgress(rich.progress.Progress):
        def add_task(self, *args, **kwargs):
            totals.append(kwargs.get("total"))
            return super().add_task(*args, **kwargs)

    monkeypatch.setattr(rich.progress, "Progress", RecordingProgress)
    monkeypatch.setattr(cli_module, "stderr_is_terminal", lambda: True)
    result = invoke("--stages", "normalize", *many_files)
    assert result.exit_code == 0
    assert totals == [len(many_files)]
    assert result.stdout.splitlines()[0] == "第0版"
    assert "cleaning" not in result.stdout


def test_no_progress_bar_and_no_rich_when_not_a_terminal(many_files: list[str]) -> None:
    code = (
        "import sys\n"
        "from newsclean.cli import main\n"
        f"try:\n    main(['--stages', 'normalize', *{many_files!r}])\n"
        "except SystemExit:\n    pass\n"
        "print('RICH', 'rich' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert "RICH False" in result.stderr
    assert result.stdout.count("版") == len(many_files)
