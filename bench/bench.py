"""Benchmark newsclean on one page: a script that prints figures, never a test.

    python bench/bench.py [PAGE] [--runs 20] [--corpus FILE_OR_DIR ...] [--json]
    python bench/bench.py --pipeline-only --runs 40     # the in-process figures alone
    python bench/bench.py --pipeline-only --instructions  # + instructions per page (valgrind)

PAGE defaults to the shipped sample.  Machines are shared and noisy, so every
figure is a median, and the ratios (pipeline / floor, jieba / rjieba) are
taken within this one run; compare ratios between runs, not milliseconds.

Figures:
  * in-process ms per page for the default pipeline, and per stage (median of
    --runs runs after warm-up, so a segmenter is already loaded);
  * a floor: read the file, decode it, run one compiled regex over it;
  * start-up of ``newsclean --help`` and ``python -m newsclean --help`` beside
    references taken in the same, interleaved runs: ``python -c pass``,
    ``python -c "import click"`` and a bare click CLI's ``--help``, so that the
    overhead over click (ms, and (help - pass) / (click - pass)) can be judged
    on a machine of any speed.  Children import this tree (PYTHONPATH) with
    bytecode cached in a scratch folder, as after ``pip install``;
  * with --instructions, the instructions each of those start-ups executes
    (valgrind), a figure the machine's load does not move;
  * first page end-to-end (subprocess ``newsclean PAGE``: interpreter, imports,
    segmenter load) with the child's peak RSS;
  * each segmentation engine: first cut in a fresh process (import + dictionary
    load) with its peak RSS, throughput on the page, and tokens that differ
    from jieba's (on PAGE, or on every --corpus file).

A stage that fails is reported as failed and the rest still run: the stages
are being rewritten, and a benchmark that dies tells nothing.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGE = ROOT / "samples" / "000_cb6bebe9d91324f1.txt"
sys.path.insert(0, str(ROOT))

#: The floor's one regex: runs of justification spaces between Han characters,
#: about the cheapest real work a cleaner does on every character.
FLOOR_RE = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")

#: Steps of :func:`reference_loop`: about as long as the pipeline on the sample.
REFERENCE_LOOP_STEPS = 300_000

#: The start-up reference: a click CLI with a group, a version and a help
#: option, one subcommand, nothing else.  newsclean's --help can hardly cost less.
BARE_CLICK_CLI = '''
import click

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option("1.0", prog_name="bare")
def main():
    """A bare group."""

@main.command()
@click.option("--fmt", type=click.Choice(["a", "b"]), default="a", show_default=True)
def clean(fmt):
    """A subcommand."""

main()
'''


# --- timing helpers ---------------------------------------------------------------


def median_ms(action: Callable[[], object], runs: int, warmup: int = 3) -> float:
    """Median wall time of ``action`` in milliseconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run_child(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall ms, peak RSS (MB) and exit code of one child process.

    ``os.wait4`` gives the rusage of that child alone; RUSAGE_CHILDREN would
    give the maximum over every child this script has waited for.
    """
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL, cwd=ROOT, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    rss_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return wall, rss_mb, child.returncode


def median_child(argv: list[str], runs: int,
                 env: dict[str, str] | None = None) -> dict[str, float]:
    return summarise([run_child(argv, env) for _ in range(runs)])


def summarise(results: list[tuple[float, float, int]]) -> dict[str, float]:
    return {
        "ms": statistics.median(r[0] for r in results),
        "rss_mb": max(r[1] for r in results),
        "exit": max(r[2] for r in results),
    }


def median_children(commands: dict[str, list[str]], runs: int,
                    env: dict[str, str] | None = None) -> dict[str, dict[str, float]]:
    """median_child for several commands run in turns, after one warm-up
    round, so that a burst of load on the machine hits them all alike."""
    results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, argv in commands.items():
            result = run_child(argv, env)
            if round_:
                results[name].append(result)
    return {name: summarise(found) for name, found in results.items()}


def startup_env(pycache: str) -> dict[str, str]:
    """The children's environment for start-up figures.

    This tree goes first on the path: an installed console script would
    otherwise import whichever copy the virtualenv points at.  Bytecode is
    written to and read from ``pycache``, as after ``pip install``: under
    PYTHONDONTWRITEBYTECODE every run would compile our sources again (cli.py
    alone: 10-15 ms here, a cost no installed user pays), and the tree stays
    clean.
    """
    env = dict(os.environ, PYTHONPYCACHEPREFIX=pycache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def newsclean_command() -> list[str]:
    """The installed console script if there is one, else ``python -m newsclean``."""
    script = Path(sys.executable).with_name("newsclean")
    if script.is_file():
        return [str(script)]
    found = shutil.which("newsclean")
    return [found] if found else [sys.executable, "-m", "newsclean"]


# --- measurements -------------------------------------------------------------------


def reference_loop() -> int:
    """A fixed piece of pure-Python work (a counting loop), timed between the
    pipeline's runs.  On these shared hosts the same loop took 9.4 ms in one
    run and 20.7 ms in another: the neighbours, not our code, moved it.  The
    pipeline's time over this loop's, taken run by run, is a figure those
    swings barely move."""
    total = 0
    for number in range(REFERENCE_LOOP_STEPS):
        total += number
    return total


def interleaved(action: Callable[[], object], runs: int, warmup: int = 3) -> dict[str, float]:
    """``action`` and :func:`reference_loop` timed in turns: the median and
    the fastest of ``action`` in ms, the reference's median, and the median
    of the ratios action / reference of each turn."""
    for _ in range(warmup):
        action()
    times, references = [], []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        middle = time.perf_counter()
        reference_loop()
        times.append(middle - start)
        references.append(time.perf_counter() - middle)
    return {
        "pipeline_ms": statistics.median(times) * 1000,
        "pipeline_min_ms": min(times) * 1000,
        "reference_ms": statistics.median(references) * 1000,
        "pipeline_over_reference": statistics.median(
            run / reference for run, reference in zip(times, references)),
    }


def interpreter() -> str:
    """Which Python runs the pipeline: builds differ by a fifth in speed here
    (Debian's packaged 3.11, interpreter linked in, against pyenv's plain
    ``--enable-shared`` source build of the same minor version)."""
    name = f"{sys.executable} {platform.python_version()}"
    maps = Path("/proc/self/maps")  # Linux: the libraries this process has mapped
    if not maps.exists():
        return name
    # Py_ENABLE_SHARED says how the build was configured, not how the binary
    # runs: Debian's python3.11 reports 1 yet links the interpreter in.
    shared = "libpython" in maps.read_text()
    return f"{name} ({'libpython shared' if shared else 'interpreter linked in'})"


def measure_floor(page: Path, runs: int) -> float:
    def floor() -> None:
        FLOOR_RE.sub("", page.read_bytes().decode("utf-8-sig"))

    return median_ms(floor, runs)


def measure_pipeline(page: Path, runs: int) -> dict[str, object]:
    """ms per page for the whole default pipeline and for each of its stages."""
    from newsclean import Config, clean_file
    from newsclean.io.decode import decode
    from newsclean.model import page_from_text
    from newsclean.pipeline import get_stage

    config = Config()
    result: dict[str, object] = {"stages": list(config.stages)}
    try:
        result.update(interleaved(lambda: clean_file(page, config), runs))
    except Exception as error:  # a stage under rewrite must not end the benchmark
        result["pipeline_error"] = f"{type(error).__name__}: {error}"
    per_stage: dict[str, float | str] = {}
    raw = page_from_text(decode(page.read_bytes(), str(page)), str(page))
    current = raw
    for name in config.stages:
        try:
            stage = get_stage(name)
            before = current
            per_stage[name] = median_ms(lambda s=stage, p=before: s(p, config), runs)
            current = stage(before, config)
        except Exception as error:
            per_stage[name] = f"failed: {type(error).__name__}: {error}"
    result["per_stage_ms"] = per_stage
    return result


def instructions(argv: list[str], env: dict[str, str]) -> float | None:
    """Millions of instructions one run executes (valgrind's callgrind): unlike
    milliseconds, the same on a busy machine as on an idle one.  ~10 s a run."""
    if not shutil.which("valgrind"):
        return None
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                             *argv], capture_output=True, text=True, cwd=ROOT,
                            env=dict(env, PYTHONHASHSEED="0"))
    found = re.search(r"Collected : (\d+)", result.stderr)
    return int(found.group(1)) / 1e6 if found else None


PAGES_IN_A_ROW = """
import sys
from newsclean import Config, clean_file
config = Config()
for _ in range(int(sys.argv[2])):
    clean_file(sys.argv[1], config)
"""


def pipeline_instructions(page: Path) -> float | None:
    """Millions of instructions the pipeline spends on ``page``, in a child
    that cleans it 6 times less one that cleans it twice, divided by 4: start-up,
    imports, the segmenter's load and the first page's warm-up cancel out."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    runs = [instructions([sys.executable, "-c", PAGES_IN_A_ROW, str(page), str(n)], env)
            for n in (2, 6)]
    if None in runs:
        return None
    return (runs[1] - runs[0]) / 4


def measure_startup(page: Path, runs: int, count_instructions: bool = False) -> dict[str, object]:
    command = newsclean_command()
    commands = {
        "python_pass": [sys.executable, "-c", "pass"],
        "import_click": [sys.executable, "-c", "import click"],
        "bare_click_help": [sys.executable, "-c", BARE_CLICK_CLI, "--help"],
        "help": [*command, "--help"],
        "m_help": [sys.executable, "-m", "newsclean", "--help"],
    }
    with tempfile.TemporaryDirectory(prefix="newsclean-bench-pyc-") as pycache:
        env = startup_env(pycache)
        figures = median_children(commands, runs, env)
        if count_instructions:  # after median_children's warm-up: bytecode cached
            for name, argv in commands.items():
                figures[name]["minstr"] = instructions(argv, env)
        run_child([*command, str(page)], env)  # caches the pipeline's bytecode
        first_page = median_child([*command, str(page)], max(3, runs // 2), env)
    report = {"command": " ".join(Path(command[0]).name if i == 0 else part
                                  for i, part in enumerate(command)), **figures}
    for unit in ("ms", "minstr"):
        if figures["help"].get(unit) is None:
            continue
        floor, click = figures["python_pass"][unit], figures["import_click"][unit]
        report[f"help_over_click_{unit}"] = figures["help"][unit] - click
        report[f"help_over_bare_click_{unit}"] = (figures["help"][unit]
                                                  - figures["bare_click_help"][unit])
        # 1.0 would be: --help costs what `import click` costs, on any machine.
        report[f"help_click_ratio_{unit}"] = (figures["help"][unit] - floor) / (click - floor)
    report["first_page"] = first_page
    return report


FIRST_CUT = """
from newsclean.text.lexicon import get_segmenter, user_dictionary_files
get_segmenter({engine!r}, user_dictionary_files()).cut("金融扶贫遍地开花")
"""


def engines_available() -> list[str]:
    from newsclean.text.lexicon import ENGINES, rjieba_installed

    return [name for name in ENGINES if name != "rjieba" or rjieba_installed()]


def measure_engines(page: Path, corpus: list[Path], runs: int) -> dict[str, object]:
    """First cut (fresh process), throughput and agreement with jieba, per engine."""
    from newsclean.text.lexicon import get_segmenter, resolve_engine, user_dictionary_files

    text = page.read_text(encoding="utf-8-sig")
    files = user_dictionary_files()
    baseline = median_child([sys.executable, "-c", "pass"], 3)
    names = engines_available()
    # Every child first: a child forked from a parent that already holds a
    # dictionary reports the parent's pages in its peak RSS.
    cold = {name: median_child([sys.executable, "-c", FIRST_CUT.format(engine=name)], 3)
            for name in names}
    result: dict[str, object] = {"auto": resolve_engine("auto"), "engines": {}}
    for name in names:
        segmenter = get_segmenter(name, files)
        ms = median_ms(lambda s=segmenter: s.cut(text), max(5, runs // 2), warmup=1)
        result["engines"][name] = {
            "first_cut_ms": cold[name]["ms"] - baseline["ms"],
            "first_cut_rss_mb": cold[name]["rss_mb"],
            "page_ms": ms,
            "mb_per_s": len(text.encode("utf-8")) / 1e6 / (ms / 1000),
        }
    if "rjieba" in result["engines"]:
        result["agreement"] = compare_engines(corpus or [page], files)
    return result


def compare_engines(pages: Iterable[Path], files: tuple[Path, ...]) -> dict[str, object]:
    """Tokens where rjieba differs from jieba, with a few examples."""
    from newsclean.text.lexicon import get_segmenter

    jieba, rjieba = get_segmenter("jieba", files), get_segmenter("rjieba", files)
    total = differing = chars = count = 0
    examples: list[str] = []
    for path in pages:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        reference, candidate = jieba.cut(text), rjieba.cut(text)
        count, chars, total = count + 1, chars + len(text), total + len(reference)
        if reference == candidate:
            continue
        matcher = difflib.SequenceMatcher(None, reference, candidate, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                differing += max(i2 - i1, j2 - j1)
                example = f"{'|'.join(reference[i1:i2])} vs {'|'.join(candidate[j1:j2])}"
                if len(examples) < 5 and example not in examples:
                    examples.append(example)
    return {"files": count, "chars": chars, "tokens": total, "differing": differing,
            "examples": examples}


def expand(paths: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found.extend(sorted(path.rglob("*.txt")) if path.is_dir() else [path])
    return found


# --- output ---------------------------------------------------------------------------


def fmt_ms(value: object) -> str:
    return f"{value:9.2f} ms" if isinstance(value, float) else str(value)


def startup_rows(start: dict[str, object]) -> list[tuple[str, str]]:
    labels = {"python_pass": "python -c pass", "import_click": 'python -c "import click"',
              "bare_click_help": "bare click CLI --help", "help": f"{start['command']} --help",
              "m_help": "python -m newsclean --help"}
    rows = []
    for name, label in labels.items():
        minstr = start[name].get("minstr")
        rows.append((label, fmt_ms(start[name]["ms"])
                     + (f"  {minstr:7.1f} M instructions" if minstr else "")))
    for unit, fmt in (("ms", fmt_ms), ("minstr", lambda v: f"{v:9.1f} M instr")):
        if f"help_click_ratio_{unit}" not in start:
            continue
        rows.append(("  --help - import click", fmt(start[f"help_over_click_{unit}"])))
        rows.append(("  --help - bare click --help", fmt(start[f"help_over_bare_click_{unit}"])))
        rows.append(("  (help - pass) / (click - pass)",
                     f"{start[f'help_click_ratio_{unit}']:9.2f}   ({unit})"))
    first = start["first_page"]
    rows.append(("first page end-to-end", f"{fmt_ms(first['ms'])}  (exit {first['exit']})"))
    rows.append(("  peak RSS", f"{first['rss_mb']:9.1f} MB"))
    return rows


def print_rows(rows: list[tuple[str, object]]) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


def pipeline_rows(report: dict[str, object]) -> list[tuple[str, str]]:
    pipe, floor = report["pipeline"], report["floor_ms"]
    rows = [("page", report["page"]), ("python", report["python"])]
    whole = pipe.get("pipeline_ms", pipe.get("pipeline_error"))
    rows.append(("pipeline, in-process", fmt_ms(whole)))
    if "pipeline_min_ms" in pipe:
        rows.append(("  fastest run", fmt_ms(pipe["pipeline_min_ms"])))
        rows.append(("  reference loop, same turns", fmt_ms(pipe["reference_ms"])))
        rows.append(("  pipeline / reference loop", f"{pipe['pipeline_over_reference']:9.2f} x"))
    for name, value in pipe["per_stage_ms"].items():
        rows.append((f"  stage {name}", fmt_ms(value)))
    rows.append(("floor: read + 1 regex", fmt_ms(floor)))
    if isinstance(pipe.get("pipeline_ms"), float):
        rows.append(("pipeline / floor", f"{pipe['pipeline_ms'] / floor:9.1f} x"))
    if pipe.get("minstr") is not None:
        rows.append(("pipeline, instructions", f"{pipe['minstr']:9.1f} M/page"))
    return rows


def print_table(report: dict[str, object]) -> None:
    start, eng = report["startup"], report["segmenters"]
    rows = pipeline_rows(report)
    rows.extend(startup_rows(start))
    rows.append(("segmenter auto =", eng["auto"]))
    for name, fig in eng["engines"].items():
        rows.append((f"  {name} first cut", f"{fmt_ms(fig['first_cut_ms'])}  "
                     f"(RSS {fig['first_cut_rss_mb']:.0f} MB)"))
        rows.append((f"  {name} cut page", f"{fmt_ms(fig['page_ms'])}  "
                     f"({fig['mb_per_s']:.2f} MB/s)"))
    engines = eng["engines"]
    if "jieba" in engines and "rjieba" in engines:
        speedup = engines["jieba"]["page_ms"] / engines["rjieba"]["page_ms"]
        rows.append(("  rjieba speed-up", f"{speedup:9.1f} x"))
        agree = eng["agreement"]
        rows.append(("  tokens differing", f"{agree['differing']} of {agree['tokens']} "
                     f"({agree['files']} files, {agree['chars']} chars)"))
        rows.extend(("    e.g.", example) for example in agree["examples"])
    print_rows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", type=Path, default=DEFAULT_PAGE)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per in-process median")
    parser.add_argument("--child-runs", type=int, default=7, help="runs per subprocess median")
    parser.add_argument("--corpus", nargs="*", default=[],
                        help="files or folders of .txt pages for the engine comparison")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--startup-only", action="store_true",
                        help="only the start-up figures (then use more --child-runs, e.g. 21)")
    parser.add_argument("--pipeline-only", action="store_true",
                        help="only the in-process figures: pipeline, stages and floor")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions under valgrind (~1 min): each start-up's, "
                        "or with --pipeline-only the pipeline's per page")
    args = parser.parse_args(argv)
    if args.pipeline_only:
        report = {"page": str(args.page), "python": interpreter(), "runs": args.runs,
                  "cpus": os.cpu_count(),
                  "floor_ms": measure_floor(args.page, args.runs),
                  "pipeline": measure_pipeline(args.page, args.runs)}
        if args.instructions:
            report["pipeline"]["minstr"] = pipeline_instructions(args.page)
        if args.json:
            print(json.dumps(report, indent=2))
        else:
            print_rows(pipeline_rows(report))
        return
    # Children before anything heavy is loaded here (see measure_engines).
    startup = measure_startup(args.page, args.child_runs, args.instructions)
    if args.startup_only:
        if args.json:
            print(json.dumps({"cpus": os.cpu_count(), "startup": startup}, indent=2))
        else:
            print_rows(startup_rows(startup))
        return
    # The pipeline before the engine comparison: that loads Python jieba's
    # dictionary into this process, which a newsclean run never holds (it
    # uses rjieba when installed) and which made the pipeline's median here
    # slower than in a run of newsclean itself.
    floor_ms = measure_floor(args.page, args.runs)
    pipeline = measure_pipeline(args.page, args.runs)
    segmenters = measure_engines(args.page, expand(args.corpus), args.runs)
    report = {
        "page": str(args.page),
        "python": interpreter(),
        "runs": args.runs,
        "cpus": os.cpu_count(),
        "floor_ms": floor_ms,
        "pipeline": pipeline,
        "startup": startup,
        "segmenters": segmenters,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
