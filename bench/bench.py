"""Benchmark newsclean on one page: a script that prints figures, never a test.

    python bench/bench.py [PAGE] [--runs 20] [--corpus FILE_OR_DIR ...] [--json]

PAGE defaults to the shipped sample.  Machines are shared and noisy, so every
figure is a median, and the ratios (pipeline / floor, jieba / rjieba) are
taken within this one run; compare ratios between runs, not milliseconds.

Figures:
  * in-process ms per page for the default pipeline, and per stage (median of
    --runs runs after warm-up, so a segmenter is already loaded);
  * a floor: read the file, decode it, run one compiled regex over it;
  * start-up of ``newsclean --help`` (subprocess, median);
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
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGE = ROOT / "samples" / "000_cb6bebe9d91324f1.txt"
sys.path.insert(0, str(ROOT))

#: The floor's one regex: runs of justification spaces between Han characters,
#: about the cheapest real work a cleaner does on every character.
FLOOR_RE = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


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


def run_child(argv: list[str]) -> tuple[float, float, int]:
    """Wall ms, peak RSS (MB) and exit code of one child process.

    ``os.wait4`` gives the rusage of that child alone; RUSAGE_CHILDREN would
    give the maximum over every child this script has waited for.
    """
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    rss_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return wall, rss_mb, child.returncode


def median_child(argv: list[str], runs: int) -> dict[str, float]:
    results = [run_child(argv) for _ in range(runs)]
    return {
        "ms": statistics.median(r[0] for r in results),
        "rss_mb": max(r[1] for r in results),
        "exit": max(r[2] for r in results),
    }


def newsclean_command() -> list[str]:
    """The installed console script if there is one, else ``python -m newsclean``."""
    script = Path(sys.executable).with_name("newsclean")
    if script.is_file():
        return [str(script)]
    found = shutil.which("newsclean")
    return [found] if found else [sys.executable, "-m", "newsclean"]


# --- measurements -------------------------------------------------------------------


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
        result["pipeline_ms"] = median_ms(lambda: clean_file(page, config), runs)
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


def measure_startup(page: Path, runs: int) -> dict[str, object]:
    command = newsclean_command()
    return {
        "command": " ".join(Path(command[0]).name if i == 0 else part
                            for i, part in enumerate(command)),
        "python_pass": median_child([sys.executable, "-c", "pass"], runs),
        "help": median_child([*command, "--help"], runs),
        "first_page": median_child([*command, str(page)], max(3, runs // 2)),
    }


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


def print_table(report: dict[str, object]) -> None:
    pipe, start, eng = report["pipeline"], report["startup"], report["segmenters"]
    floor = report["floor_ms"]
    rows = [("page", report["page"])]
    whole = pipe.get("pipeline_ms", pipe.get("pipeline_error"))
    rows.append(("pipeline, in-process", fmt_ms(whole)))
    for name, value in pipe["per_stage_ms"].items():
        rows.append((f"  stage {name}", fmt_ms(value)))
    rows.append(("floor: read + 1 regex", fmt_ms(floor)))
    if isinstance(pipe.get("pipeline_ms"), float):
        rows.append(("pipeline / floor", f"{pipe['pipeline_ms'] / floor:9.1f} x"))
    rows.append(("python -c pass", fmt_ms(start["python_pass"]["ms"])))
    rows.append((f"{start['command']} --help", fmt_ms(start["help"]["ms"])))
    first = start["first_page"]
    rows.append(("first page end-to-end", f"{fmt_ms(first['ms'])}  (exit {first['exit']})"))
    rows.append(("  peak RSS", f"{first['rss_mb']:9.1f} MB"))
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
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", type=Path, default=DEFAULT_PAGE)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per in-process median")
    parser.add_argument("--child-runs", type=int, default=7, help="runs per subprocess median")
    parser.add_argument("--corpus", nargs="*", default=[],
                        help="files or folders of .txt pages for the engine comparison")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    # Children before anything heavy is loaded here (see measure_engines),
    # and the pipeline last since its stages load a segmenter.
    startup = measure_startup(args.page, args.child_runs)
    segmenters = measure_engines(args.page, expand(args.corpus), args.runs)
    report = {
        "page": str(args.page),
        "runs": args.runs,
        "cpus": os.cpu_count(),
        "floor_ms": measure_floor(args.page, args.runs),
        "pipeline": measure_pipeline(args.page, args.runs),
        "startup": startup,
        "segmenters": segmenters,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
