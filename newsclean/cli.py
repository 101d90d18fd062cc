"""The command line: parse options, read inputs, run the pipeline, render.

Nothing here decides anything about text; that is the stages' work.  The top
level is a group whose default command is ``clean``: ``newsclean page.txt``
is ``newsclean clean page.txt``, while ``newsclean eval ...`` and the other
subcommands sit beside it.  Heavy modules (rich, the stages, jieba) are
imported inside the commands so that ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from . import __version__
from .exitcodes import ExitCode

if TYPE_CHECKING:  # only for hints: importing them here would slow --help
    from pathlib import Path

    from .config import Config
    from .model import Page

DEFAULT_COMMAND = "clean"
#: More inputs than this get a progress bar (on a terminal only).
PROGRESS_MIN_FILES = 20
#: Set to 1 to see the traceback of an internal error.
DEBUG_ENV = "NEWSCLEAN_DEBUG"
_QUIET_KEY = "newsclean.quiet"


class NewscleanError(click.ClickException):
    """An error with a message for the user and an exit code from ExitCode."""

    def __init__(self, message: str, code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = int(code)

    def show(self, file: object = None) -> None:
        click.echo(f"newsclean: error: {self.format_message()}", err=True)


class DefaultGroup(click.Group):
    """A group that runs ``clean`` when the first word is not a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if first not in self.commands and first not in ("--help", "-h", "--version"):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


class PathType(click.Path):
    """``click.Path(path_type=pathlib.Path)``, but pathlib (~6 ms, which click
    itself never imports) is loaded when a value is converted, not at --help."""

    def convert(self, value, param, ctx) -> Path:
        from pathlib import Path

        return Path(super().convert(value, param, ctx))


def stderr_is_terminal() -> bool:
    return bool(sys.stderr and not sys.stderr.closed and sys.stderr.isatty())


def use_colour() -> bool:
    return stderr_is_terminal() and "NO_COLOR" not in os.environ


def is_quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().meta.get(_QUIET_KEY))


def _set_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().meta[_QUIET_KEY] = True


def warn(message: str) -> None:
    """A diagnostic on stderr, silenced by --quiet; errors use NewscleanError."""
    if is_quiet():
        return
    text = f"newsclean: {message}"
    click.echo(click.style(text, fg="yellow") if use_colour() else text, err=True)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsclean")
def cli() -> None:
    """Turn raw OCR/PDF text of Chinese newspaper pages into clean articles.

    \b
    newsclean page.txt                 clean one page (same as: newsclean clean page.txt)
    cat page.txt | newsclean -         read standard input
    newsclean --format json *.txt      one JSON object per page
    newsclean eval pages/ gold/        score against hand-made gold
    newsclean clean --help             every option of the default command
    """


def _split_names(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(name.strip() for name in value.split(",") if name.strip())


def build_config(stages: str | None, skip: tuple[str, ...], disable: tuple[str, ...],
                 dict_dirs: tuple[Path, ...], segmenter: str) -> Config:
    from .config import Config
    from .pipeline import UnknownStage, check_stages

    config = Config()
    chosen = _split_names(stages) or config.stages
    try:
        check_stages(skip)
        chosen = check_stages(name for name in chosen if name not in skip)
    except UnknownStage as error:
        raise NewscleanError(str(error), ExitCode.bad_args) from None
    warn_unknown_rules(disable)
    return config.replace(
        stages=chosen,
        disabled_rules=frozenset(disable),
        user_dictionaries=tuple(dict_dirs),
        segmenter=segmenter,
    )


def warn_unknown_rules(names: tuple[str, ...]) -> None:
    """A --disable typo would silently change nothing: say so."""
    if not names:
        return
    from .pipeline import known_rules

    rules = known_rules()
    for name in names:
        if name not in rules:
            warn(f"warning: no rule named {name!r} (see 'newsclean stages')")


def read_input(name: str, encoding: str) -> Page:
    """Decode one input ('-' is standard input) into a raw page."""
    from pathlib import Path

    from .io.decode import UndecodableInput, decode
    from .model import page_from_text

    source = "<stdin>" if name == "-" else name
    if name == "-" and sys.stdin.isatty():
        warn("reading standard input (end it with Ctrl-D, or give a FILE)")
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as error:
        raise NewscleanError(f"{name}: {error.strerror or error}", ExitCode.input_file) from None
    try:
        return page_from_text(decode(data, source, encoding), source)
    except UndecodableInput as error:
        raise NewscleanError(str(error), ExitCode.input_file) from None
    except LookupError:
        raise NewscleanError(f"unknown encoding {encoding!r}", ExitCode.bad_args) from None


def stage_options(command):
    """Options shared by every command that runs the pipeline."""
    options = [
        click.option("--stages", metavar="A,B,...",
                     help="Stages to run, in order "
                          "(default: normalize,rejoin,dedupe,segment,split)."),
        click.option("--skip", multiple=True, metavar="STAGE",
                     help="Leave one stage out of the chain (repeatable), e.g. --skip dedupe."),
        click.option("--disable", multiple=True, metavar="RULE",
                     help="Switch off one named rule (repeatable); see 'newsclean stages'."),
        click.option("--dict-dir", "dict_dirs", multiple=True,
                     type=PathType(exists=True, file_okay=False),
                     help="Folder of user word lists extending the shipped dictionaries."),
        click.option("--segmenter", type=click.Choice(["auto", "jieba", "rjieba"]),
                     default="auto", show_default=True, help="Word segmentation engine."),
        click.option("--encoding", default="utf-8", show_default=True,
                     help="Encoding of inputs without a byte-order mark."),
        click.option("-q", "--quiet", is_flag=True, expose_value=False, is_eager=True,
                     callback=_set_quiet, help="Print no warnings (errors still show)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command("clean")
@click.argument("files", nargs=-1, metavar="[FILE]...")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "markdown", "json", "jsonl"]),
              default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Write here instead of standard output.")
@click.option("--keep-dropped", is_flag=True,
              help="Show removed text (duplicates, furniture) in text and markdown output, marked.")
@stage_options
def clean_command(files, fmt, output, keep_dropped, stages, skip, disable, dict_dirs,
                  segmenter, encoding):
    """Clean pages: FILE... or '-' (standard input, also the default)."""
    config = build_config(stages, skip, disable, dict_dirs, segmenter)
    names = list(files) or ["-"]
    as_array = fmt == "json" and len(names) > 1
    chunks, failed = clean_inputs(names, config, encoding, "json-item" if as_array else fmt,
                                  keep_dropped)
    write_output(output, join_outputs(chunks, fmt, as_array))
    if failed:
        raise SystemExit(int(ExitCode.input_file))


def clean_inputs(names: list[str], config: Config, encoding: str, fmt: str,
                 keep_dropped: bool) -> tuple[list[str], bool]:
    """Render each input that could be read; report the others and go on."""
    from .io.render import render, render_json
    from .pipeline import run

    chunks: list[str] = []
    failed = False
    for name in with_progress(names):
        try:
            page = run(read_input(name, encoding), config)
        except NewscleanError as error:
            error.show()
            failed = True
            continue
        chunks.append(render_json(page) if fmt == "json-item" else
                      render(page, fmt, keep_dropped))
    return chunks, failed


def join_outputs(chunks: list[str], fmt: str, as_array: bool) -> str:
    if as_array:
        return "[\n" + ",\n".join(chunks) + "\n]\n"
    if fmt in ("text", "markdown"):
        return "\n".join(chunks)
    return "".join(chunks)


def with_progress(names: list[str]) -> Iterator[str]:
    """Yield ``names``; over many files on a terminal, draw a progress bar on
    stderr (rich is imported only then: it costs ~45 ms of start-up)."""
    if len(names) <= PROGRESS_MIN_FILES or not stderr_is_terminal() or is_quiet():
        yield from names
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("cleaning", total=len(names))
        for name in names:
            yield name
            progress.advance(task)


def write_output(output: str, text: str) -> None:
    from pathlib import Path

    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise NewscleanError(f"{output}: {error.strerror or error}", ExitCode.output_file) from None


@cli.command("stages")
def stages_command():
    """List the stages and the named rules each answers to."""
    from importlib import import_module

    from .pipeline import SHIPPED_STAGES

    for name, module_name in SHIPPED_STAGES.items():
        module = import_module(f".stages.{module_name}", __package__)
        doc = (module.__doc__ or "").strip().splitlines()[0]
        click.echo(f"{name:10} {doc}")
        for rule in getattr(module, "RULES", ()):
            click.echo(f"    {rule}")


@cli.command("eval")
@click.argument("input_path", metavar="INPUT", type=PathType())
@click.argument("gold_path", metavar="GOLD", type=PathType())
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report instead.")
@stage_options
def eval_command(input_path, gold_path, as_json, stages, skip, disable, dict_dirs, segmenter,
                 encoding):
    """Score pages against gold: INPUT and GOLD are files or folders.

    \b
    INPUT holds raw pages <id>.<anything>.txt (cleaned here) or predictions
    <id>.<anything>.json; each pairs with <id>.gold.json in GOLD. Files named
    *.gold.json in an INPUT folder are never predictions, so INPUT and GOLD
    may be the same folder. The last four lines printed are the summary.
    """
    import json

    from . import evaluate

    config = build_config(stages, skip, disable, dict_dirs, segmenter)
    try:
        report = evaluate.evaluate(input_path, gold_path, config, encoding)
    except evaluate.EvalInputError as error:
        raise NewscleanError(str(error), ExitCode.input_file) from None
    for path in report.without_gold:
        warn(f"{path}: no gold {evaluate.page_id(path)}{evaluate.GOLD_SUFFIX} in {gold_path}")
    for path in report.gold_without_input:
        warn(f"{path}: gold without an input page")
    for problem in report.problems + report.crashes:
        warn(f"error: {problem}")
    if as_json:
        click.echo(json.dumps(evaluate.report_to_dict(report), ensure_ascii=False, indent=2))
    else:
        evaluate.print_table(report)
    if report.crashes:
        raise SystemExit(int(ExitCode.other_error))
    if report.problems:
        raise SystemExit(int(ExitCode.input_file))
    if not report.pages:
        raise NewscleanError(f"no page of {input_path} has a gold partner in {gold_path}",
                             ExitCode.input_file)


@cli.command("batch")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...",
                type=PathType())
@click.option("-o", "--output-dir", "outdir", type=PathType(file_okay=False),
              help="Write one file per page here, mirroring the inputs' folders.")
@click.option("--jsonl", type=PathType(dir_okay=False, allow_dash=True),
              help="Instead of OUTDIR: one JSON Lines stream, a page a line ('-': stdout).")
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "text", "markdown"]),
              help="Per-page format with -o: .json (default), .txt or .md files.")
@click.option("--glob", default="*.txt", show_default=True,
              help="Which files of an input folder are pages (searched recursively).")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Pages cleaned in parallel (default: the number of CPUs).")
@click.option("--skip-existing/--no-skip-existing", default=True, show_default=True,
              help="Skip pages whose output is newer than the input (resume a job).")
@click.option("--learn-furniture", is_flag=True,
              help="First learn the lines recurring on the pages of each folder (an issue), "
                   "then drop them as furniture.")
@click.option("--keep-dropped", is_flag=True, help="Show removed text in text/markdown output.")
@stage_options
def batch_command(inputs, outdir, jsonl, fmt, glob, jobs, skip_existing, learn_furniture,
                  keep_dropped, stages, skip, disable, dict_dirs, segmenter, encoding):
    """Clean archive folders: INPUT... files or folders, to -o OUTDIR or --jsonl.

    \b
    newsclean batch archive/ -o cleaned/            cleaned/1950/p1.json for archive/1950/p1.txt
    newsclean batch archive/ --jsonl - | jq .source  one stream, pages in completion order
    Failed pages are listed in OUTDIR/failures.jsonl; exit code 3 when some failed.
    """
    from . import batch

    if jsonl is not None and fmt is not None:
        raise NewscleanError("--format is for -o OUTDIR; --jsonl always writes JSON Lines",
                             ExitCode.bad_args)
    options = batch.BatchOptions(
        inputs=tuple(dict.fromkeys(inputs)), outdir=outdir, jsonl=jsonl, fmt=fmt or "json",
        config=build_config(stages, skip, disable, dict_dirs, segmenter), glob=glob,
        jobs=jobs or batch.default_jobs(), skip_existing=skip_existing,
        learn_furniture=learn_furniture, keep_dropped=keep_dropped, encoding=encoding,
        quiet=is_quiet(), progress=stderr_is_terminal())
    try:
        code = batch.run_batch(options)
    except batch.BatchError as error:
        raise NewscleanError(str(error), error.code) from None
    if code:
        raise SystemExit(int(code))


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the CLI and map every failure to an ExitCode."""
    try:
        code = cli.main(args=argv, prog_name="newsclean", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("newsclean: interrupted", err=True)
        code = ExitCode.ctrl_c
    except KeyboardInterrupt:
        click.echo("newsclean: interrupted", err=True)
        code = ExitCode.ctrl_c
    except click.ClickException as error:
        error.show()
        code = error.exit_code if isinstance(error, NewscleanError) else ExitCode.bad_args
    except BrokenPipeError:
        # `newsclean page.txt | head`: the reader left; that is not an error.
        sys.stderr.close()
        code = ExitCode.ok
    except Exception as error:  # noqa: BLE001 - the last resort: a bug, not a user error
        report_internal_error(error)
        code = ExitCode.other_error
    sys.exit(int(code or 0))


def report_internal_error(error: Exception) -> None:
    """One line for the user; the traceback only when NEWSCLEAN_DEBUG=1."""
    if os.environ.get(DEBUG_ENV) == "1":
        import traceback

        traceback.print_exception(type(error), error, error.__traceback__)
    click.echo(
        f"newsclean: internal error: {type(error).__name__}: {error} "
        f"(a bug: please report it with the input; {DEBUG_ENV}=1 shows the traceback)",
        err=True,
    )
