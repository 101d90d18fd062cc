"""newsclean batch: mirrored outputs, formats, resume, atomic writes, failures, executors.

The failure tests inject the faults an archive job meets (an undecodable page,
a stage that raises, a write that dies half-way) and check that the job goes
on, says what failed and where, and leaves no half-written file behind.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean import batch, pipeline
from newsclean.cli import cli, main
from newsclean.config import Config
from newsclean.exitcodes import ExitCode
from newsclean.synth import make_page

#: A running head not in the shipped dictionaries: only learning can find it.
FAKE_HEAD = "星河晨讯 社区周刊"


def invoke(*args: str | Path):
    return CliRunner().invoke(cli, ["batch", *map(str, args)])


@pytest.fixture
def archive(tmp_path: Path, sample_text: str) -> Path:
    """in/1950/p0.txt (the seed page), in/1950/p1..p2.txt, in/1951/issue2/p3..p4.txt."""
    root = tmp_path / "in"
    (root / "1950").mkdir(parents=True)
    (root / "1951" / "issue2").mkdir(parents=True)
    (root / "1950" / "p0.txt").write_text(sample_text, encoding="utf-8")
    for seed in (1, 2):
        (root / "1950" / f"p{seed}.txt").write_text(make_page(seed).text, encoding="utf-8")
    for seed in (3, 4):
        (root / "1951" / "issue2" / f"p{seed}.txt").write_text(make_page(seed).text,
                                                                encoding="utf-8")
    (root / "1950" / "notes.md").write_text("not a page", encoding="utf-8")
    return root


def tree(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def mtimes(folder: Path) -> dict[str, int]:
    return {name: (folder / name).stat().st_mtime_ns for name in tree(folder)}


def set_mtime(path: Path, seconds_from_now: float) -> None:
    stamp = path.stat().st_mtime + seconds_from_now
    os.utime(path, (stamp, stamp))


# --- the output tree and formats ----------------------------------------------------


def test_output_tree_mirrors_the_input_folders(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(archive, "-o", out, "-j", "1")
    assert result.exit_code == ExitCode.ok, result.output
    assert tree(out) == ["1950/p0.json", "1950/p1.json", "1950/p2.json",
                         "1951/issue2/p3.json", "1951/issue2/p4.json"]
    page = json.loads((out / "1950" / "p0.json").read_text(encoding="utf-8"))
    assert page["format"] == "newsclean.page/1" and page["articles"]
    assert "5 pages: 5 done, 0 skipped, 0 failed" in result.stderr


def test_inputs_are_never_touched(archive: Path, tmp_path: Path) -> None:
    before = {name: (archive / name).read_bytes() for name in tree(archive)}
    invoke(archive, "-o", tmp_path / "out", "-f", "text", "-j", "1")
    assert {name: (archive / name).read_bytes() for name in tree(archive)} == before


def test_several_inputs_each_keep_their_folder_name(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(archive / "1950", archive / "1951", "-o", out, "-j", "1")
    assert result.exit_code == ExitCode.ok, result.output
    assert tree(out) == ["1950/p0.json", "1950/p1.json", "1950/p2.json",
                         "1951/issue2/p3.json", "1951/issue2/p4.json"]


@pytest.mark.parametrize(("fmt", "suffix"), [("text", ".txt"), ("markdown", ".md"),
                                             ("json", ".json")])
def test_format_picks_the_extension(archive: Path, tmp_path: Path, fmt: str, suffix: str,
                                    sample_text: str) -> None:
    out = tmp_path / "out"
    result = invoke(archive / "1950" / "p0.txt", "-o", out, "-f", fmt, "-j", "1")
    assert result.exit_code == ExitCode.ok, result.output
    written = (out / f"p0{suffix}").read_text(encoding="utf-8")
    assert written.strip() and written != sample_text
    if fmt == "markdown":
        assert written.startswith("## ")


def test_glob_chooses_the_pages(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(archive, "-o", out, "--glob", "p[34].txt", "-j", "1")
    assert result.exit_code == ExitCode.ok, result.output
    assert tree(out) == ["1951/issue2/p3.json", "1951/issue2/p4.json"]


def test_jsonl_streams_one_page_a_line_on_stdout(archive: Path) -> None:
    result = invoke(archive, "--jsonl", "-", "-j", "1")
    assert result.exit_code == ExitCode.ok, result.output
    pages = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(Path(page["source"]).name for page in pages) == [
        f"p{number}.txt" for number in range(5)]
    assert "pages" not in result.stdout.split("}")[-1]  # the summary went to stderr


def test_jsonl_file_is_written_whole(archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "stream" / "all.jsonl"
    result = invoke(archive, "--jsonl", target, "-j", "1")
    assert result.exit_code == ExitCode.ok, result.output
    assert len(target.read_text(encoding="utf-8").splitlines()) == 5
    assert os.listdir(target.parent) == ["all.jsonl"]  # no temporary file left


# --- bad options -----------------------------------------------------------------


@pytest.mark.parametrize("args", [
    [],                                     # neither -o nor --jsonl
    ["-o", "OUT", "--jsonl", "-"],          # both
    ["--jsonl", "-", "-f", "text"],         # a format the stream cannot have
    ["-o", "OUT", "--encoding", "no-such-encoding"],
    ["-o", "OUT", "--skip", "no-such-stage"],
    ["-o", "OUT", "--jobs", "0"],
])
def test_bad_options_exit_with_bad_args(archive: Path, tmp_path: Path, args: list[str]) -> None:
    args = [str(tmp_path / "out") if arg == "OUT" else arg for arg in args]
    with pytest.raises(SystemExit) as stopped:  # main(): click's usage errors too
        main(["batch", str(archive), *args])
    assert stopped.value.code == ExitCode.bad_args
    assert not (tmp_path / "out").exists()


def test_outdir_inside_the_input_is_refused_when_it_would_be_reread(archive: Path) -> None:
    result = invoke(archive, "-o", archive / "cleaned", "-f", "text")
    assert result.exit_code == ExitCode.bad_args
    assert "overlaps input folder" in result.stderr
    # .json outputs do not match *.txt: allowed, and the outputs are not read back
    again = invoke(archive, "-o", archive / "cleaned", "-j", "1")
    assert again.exit_code == ExitCode.ok, again.output
    assert "5 pages" in again.stderr


def test_missing_input_and_no_pages_exit_with_input_file(archive: Path, tmp_path: Path) -> None:
    assert invoke(tmp_path / "absent", "-o", tmp_path / "out").exit_code == ExitCode.input_file
    result = invoke(archive, "-o", tmp_path / "out", "--glob", "*.pdf")
    assert result.exit_code == ExitCode.input_file
    assert "no page matching" in result.stderr


# --- resume --------------------------------------------------------------------------


def test_resume_skips_done_pages_and_redoes_stale_ones(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke(archive, "-o", out, "-j", "1").exit_code == ExitCode.ok
    first = mtimes(out)
    stale = archive / "1950" / "p1.txt"
    set_mtime(out / "1950" / "p1.json", -3600)  # the input was edited after its output
    (out / "1951" / "issue2" / "p4.json").unlink()  # the job was killed before this page
    result = invoke(archive, "-o", out, "-j", "1")
    assert result.exit_code == ExitCode.ok, result.output
    assert "5 pages: 2 done, 3 skipped, 0 failed" in result.stderr
    second = mtimes(out)
    assert second["1950/p0.json"] == first["1950/p0.json"]
    assert second["1950/p1.json"] > first["1950/p1.json"]
    assert (out / "1950" / "p1.json").stat().st_mtime_ns > stale.stat().st_mtime_ns
    assert (out / "1951" / "issue2" / "p4.json").exists()


def test_no_skip_existing_redoes_every_page(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke(archive, "-o", out, "-j", "1")
    result = invoke(archive, "-o", out, "-j", "1", "--no-skip-existing")
    assert "5 done, 0 skipped" in result.stderr


# --- failures ----------------------------------------------------------------------


def read_failures(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / batch.FAILURES_NAME).read_text().splitlines()]


def test_write_failing_half_way_leaves_no_partial_file(archive: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def half_then_die(handle, text: str) -> None:
        handle.write(text[: len(text) // 2])
        if "p2" in handle.name:
            raise OSError(28, "No space left on device")
        handle.write(text[len(text) // 2:])

    monkeypatch.setattr(batch, "_write_all", half_then_die)
    out = tmp_path / "out"
    result = invoke(archive, "-o", out, "-j", "1")
    assert result.exit_code == ExitCode.partial
    assert tree(out) == ["1950/p0.json", "1950/p1.json", "1951/issue2/p3.json",
                         "1951/issue2/p4.json", "failures.jsonl"]  # no p2, no .part file
    assert not list(out.rglob(f"*{batch.PART_SUFFIX}"))
    for name in ("1950/p0.json", "1950/p1.json"):
        json.loads((out / name).read_text(encoding="utf-8"))  # whole files
    [failure] = read_failures(out)
    assert failure["path"].endswith("p2.txt") and failure["error"] == "OSError"


def test_write_failing_keeps_the_previous_output(tmp_path: Path, sample_text: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.json"
    target.write_text("old, complete", encoding="utf-8")

    def die(handle, text: str) -> None:
        handle.write(text[:10])
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(batch, "_write_all", die)
    with pytest.raises(OSError):
        batch.write_atomic(target, sample_text)
    assert target.read_text(encoding="utf-8") == "old, complete"
    assert os.listdir(tmp_path) == ["page.json"]


def broken_stage(page, config):
    """A stage with a bug that only one page triggers."""
    if any("BOOM" in line.text for line in page.lines):
        raise ZeroDivisionError("division by zero in a stage")
    return page


@pytest.fixture
def faulty_archive(archive: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The archive plus an undecodable page and a page that makes a stage raise."""
    (archive / "1950" / "corrupt.txt").write_bytes("金融".encode() + b"\xff\xfe")
    (archive / "1951" / "boom.txt").write_text(make_page(9).text + "\nBOOM\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "_registered", dict(pipeline._registered))
    pipeline.register("dedupe", broken_stage)
    return archive


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_pages_are_listed_and_the_rest_is_written(faulty_archive: Path, tmp_path: Path,
                                                      jobs: str) -> None:
    if jobs != "1" and multiprocessing.get_start_method() != "fork":
        pytest.skip("workers see the monkeypatched stage only when forked")
    out = tmp_path / "out"
    result = invoke(faulty_archive, "-o", out, "-j", jobs)
    assert result.exit_code == ExitCode.partial
    assert [name for name in tree(out) if name.endswith(".json")] == [
        "1950/p0.json", "1950/p1.json", "1950/p2.json", "1951/issue2/p3.json",
        "1951/issue2/p4.json"]
    failures = {Path(str(item["path"])).name: item for item in read_failures(out)}
    assert failures["corrupt.txt"]["error"] == "UndecodableInput"
    assert not failures["corrupt.txt"]["internal"]
    assert failures["boom.txt"]["error"] == "ZeroDivisionError"
    assert failures["boom.txt"]["internal"] and "broken_stage" in failures["boom.txt"]["traceback"]
    assert "corrupt.txt: cannot decode byte offset 6" in result.stderr
    assert "boom.txt: ZeroDivisionError" in result.stderr
    assert "7 pages: 5 done, 0 skipped, 2 failed" in result.stderr


def test_a_rerun_retries_failures_and_forgets_fixed_ones(faulty_archive: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke(faulty_archive, "-o", out, "-j", "1")
    (faulty_archive / "1950" / "corrupt.txt").write_text("修好了的一页。\n", encoding="utf-8")
    (faulty_archive / "1951" / "boom.txt").unlink()
    result = invoke(faulty_archive, "-o", out, "-j", "1")
    assert result.exit_code == ExitCode.ok, result.output
    assert "6 pages: 1 done, 5 skipped, 0 failed" in result.stderr
    assert not (out / batch.FAILURES_NAME).exists()


def test_nothing_readable_exits_with_input_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.txt").write_bytes(b"\xff\xfe\xfd")
    (folder / "worse.txt").write_bytes(b"\x80abc")
    result = invoke(folder, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == ExitCode.input_file
    assert len(read_failures(tmp_path / "out")) == 2


def test_quiet_silences_the_summary_but_not_the_errors(faulty_archive: Path,
                                                       tmp_path: Path) -> None:
    result = invoke(faulty_archive, "-o", tmp_path / "out", "-j", "1", "--quiet")
    assert result.exit_code == ExitCode.partial
    assert "pages:" not in result.stderr
    assert "corrupt.txt" in result.stderr


# --- executors ---------------------------------------------------------------------


def test_serial_and_process_executors_write_identical_outputs(archive: Path,
                                                              tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert invoke(archive, "-o", serial, "-j", "1").exit_code == ExitCode.ok
    assert invoke(archive, "-o", parallel, "-j", "2").exit_code == ExitCode.ok
    assert tree(serial) == tree(parallel)
    for name in tree(serial):
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name


def test_process_executor_streams_with_a_bounded_window() -> None:
    handed_out = []

    def items():
        for number in range(20):
            handed_out.append(number)
            yield number

    with batch.ProcessExecutor(2, window=3) as executor:
        results = executor.map_unordered(abs, items())
        first = next(results)
        assert len(handed_out) <= 3  # not the whole input at once
        rest = list(results)
    assert sorted([first, *rest]) == list(range(20))


def test_make_executor_picks_serial_for_one_job() -> None:
    with batch.make_executor(1) as executor:
        assert isinstance(executor, batch.SerialExecutor)
        assert list(executor.map_unordered(abs, [-1, 2])) == [1, 2]


# --- learned furniture --------------------------------------------------------------


@pytest.fixture
def issue_with_running_head(tmp_path: Path) -> Path:
    """Four pages of one issue under the same invented running head."""
    folder = tmp_path / "issue"
    folder.mkdir()
    for seed in range(4):
        body = make_page(seed, running_head_line=False, footer_line=False).text
        (folder / f"p{seed}.txt").write_text(f"{FAKE_HEAD}\n{body}", encoding="utf-8")
    return folder


def cleaned_text(out: Path) -> str:
    return "\n".join((out / name).read_text(encoding="utf-8") for name in tree(out))


def test_learn_furniture_drops_a_running_head_of_the_issue(issue_with_running_head: Path,
                                                           tmp_path: Path) -> None:
    plain, learned = tmp_path / "plain", tmp_path / "learned"
    invoke(issue_with_running_head, "-o", plain, "-f", "text", "-j", "1")
    result = invoke(issue_with_running_head, "-o", learned, "-f", "text", "-j", "1",
                    "--learn-furniture")
    assert result.exit_code == ExitCode.ok, result.output
    assert cleaned_text(plain).count("星河晨讯") == 4  # without the flag it stays
    assert "星河晨讯" not in cleaned_text(learned)


def test_learn_furniture_is_per_folder(issue_with_running_head: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for seed in (5, 6):
        body = make_page(seed, running_head_line=False, footer_line=False).text
        (other / f"q{seed}.txt").write_text(f"{FAKE_HEAD}\n{body}", encoding="utf-8")
    out = tmp_path / "out"
    invoke(issue_with_running_head, other, "-o", out, "-f", "text", "-j", "1",
           "--learn-furniture")
    assert "星河晨讯" not in cleaned_text(out / "issue")
    # two pages are too few to learn from (learned_furniture_min_pages)
    assert cleaned_text(out / "other").count("星河晨讯") == 2


# --- small helpers -------------------------------------------------------------------


@pytest.mark.parametrize(("glob", "suffix", "takes"), [
    ("*.txt", ".json", False), ("*.txt", ".txt", True), ("*", ".json", True),
    ("*.[tj]*", ".json", True), ("2020/*.md", ".md", True),
])
def test_glob_takes_suffix(glob: str, suffix: str, takes: bool) -> None:
    assert batch.glob_takes_suffix(glob, suffix) is takes


def test_hidden_files_are_not_pages(archive: Path) -> None:
    (archive / "1950" / "._p0.txt").write_bytes(b"\x00\x05\x16\x07 macOS fork")
    names = [source.path.name for group in batch.discover([archive], "*.txt")
             for source in group]
    assert "._p0.txt" not in names and len(names) == 5


# --- start-up and progress ----------------------------------------------------------


def test_batch_help_imports_no_heavy_library() -> None:
    from test_startup import heavy_modules_after

    assert heavy_modules_after(["batch", "--help"]) == []


def test_rich_is_imported_only_for_a_terminal(archive: Path, tmp_path: Path) -> None:
    from test_startup import heavy_modules_after

    args = ["batch", str(archive), "-o", str(tmp_path / "out"), "-j", "1", "--stages", "normalize"]
    assert "rich" not in heavy_modules_after(args)  # stderr is a pipe here
    assert len(tree(tmp_path / "out")) == 5


def test_progress_bar_counts_every_page(archive: Path, tmp_path: Path) -> None:
    options = batch.BatchOptions(inputs=(archive,), config=Config(stages=("normalize",)),
                                 outdir=tmp_path / "out", progress=True)
    tally = batch.Tally()
    with batch.Reporter(options, tally) as reporter:
        assert reporter.bar is not None
        for task in batch.plan(batch.discover(options.inputs, options.glob), options, reporter):
            reporter.finished(batch.clean_page(task))
        progress = reporter.bar._progress
        assert progress.tasks[0].total == progress.tasks[0].completed == 5
