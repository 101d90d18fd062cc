"""batch: clean whole archive folders into a mirrored tree of outputs, in parallel.

Archivists run newsclean over hundreds of thousands of pages, so a batch must
survive what a long job meets: a damaged page, a bug a stage hits on one odd
page, a power cut or Ctrl-C half-way.  Hence:

* every page is its own unit of work; a failure is reported (stderr and
  ``failures.jsonl``) and the job goes on;
* each output is written to a temporary file and renamed into place, so an
  output that exists is complete, and ``skip_existing`` can resume a job by
  skipping pages whose output is newer than their input;
* inputs are found folder by folder and results are consumed as they come,
  with a bounded number of pages in flight: memory does not grow with the
  number of pages.

Work goes through one :class:`Executor` abstraction with a single method,
``map_unordered(fn, items)``.  ``fn`` is the top-level :func:`clean_page` and
each item a small picklable :class:`PageTask` holding *paths*, not page text,
so the worker reads and writes the files itself.  Two executors ship:
:class:`SerialExecutor` (``--jobs 1``, and the one tests monkeypatch through)
and :class:`ProcessExecutor` (a process pool).  A Dask executor plugs in at
:func:`make_executor`: a class whose ``map_unordered`` keeps at most
``window`` futures from ``client.submit(fn, item, pure=False)`` in a
``distributed.as_completed`` and yields each ``future.result()`` as it
finishes, exactly as :meth:`ProcessExecutor.map_unordered` does with
``concurrent.futures``; the workers need the archive on a shared file system,
since tasks carry paths.  Heavy resources (jieba, dictionaries) are loaded
lazily by the stages and cached per process, so each worker loads them once.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import lru_cache
from itertools import groupby
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING, Protocol, TypeVar

from .exitcodes import ExitCode

if TYPE_CHECKING:  # the pipeline and model load only when a page is cleaned
    from .config import Config
    from .model import Page

T = TypeVar("T")
R = TypeVar("R")

#: Output file suffix for each per-page format.
FORMAT_SUFFIX = {"json": ".json", "text": ".txt", "markdown": ".md"}
FAILURES_NAME = "failures.jsonl"
#: Pages in flight per worker: enough to keep workers busy while the parent
#: writes results, few enough that memory stays flat over 100k pages.
WINDOW_PER_JOB = 4
#: Suffix of the temporary file an output is written to before its rename.
PART_SUFFIX = ".part"


class BatchError(Exception):
    """A batch that cannot start (bad options, no inputs, unwritable OUTDIR)."""

    def __init__(self, message: str, code: ExitCode) -> None:
        super().__init__(message)
        self.code = code


# --- executors ---------------------------------------------------------------------


class Executor(Protocol):
    """Runs ``fn`` over ``items`` somewhere and yields results as they finish.

    ``fn`` and the items must be picklable (a top-level function, plain data),
    so that any executor, local or a cluster, can ship them.  ``items`` is
    consumed lazily: an executor keeps only a bounded number in flight."""

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...


class SerialExecutor:
    """Everything in this process, in order: ``--jobs 1``, debugging, tests."""

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return map(fn, items)


class ProcessExecutor:
    """A process pool; each worker loads the heavy resources once and keeps them.

    Use as a context manager: the workers start on entry, before any other
    thread (the progress bar's) exists, because forking a threaded process
    can deadlock."""

    def __init__(self, jobs: int, window: int | None = None) -> None:
        self.jobs = jobs
        self.window = window or jobs * WINDOW_PER_JOB
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ProcessExecutor:
        self._pool = ProcessPoolExecutor(self.jobs, initializer=_ignore_interrupt)
        self._pool.submit(os.getpid).result()  # start the workers now
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        if self._pool is not None:
            # On Ctrl-C or an error, drop the queued pages; running ones finish
            # (their writes are atomic anyway).
            self._pool.shutdown(wait=exc_type is None, cancel_futures=True)

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        if self._pool is None:
            raise RuntimeError("ProcessExecutor is used as a context manager")
        pending: set[Future[R]] = set()
        for item in items:
            pending.add(self._pool.submit(fn, item))
            if len(pending) >= self.window:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in done)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in done)


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the parent, which stops handing out pages."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def make_executor(jobs: int) -> AbstractContextManager[Executor]:
    """The executor for ``--jobs``; a Dask executor would be chosen here too."""
    if jobs <= 1:
        return nullcontext(SerialExecutor())
    return ProcessExecutor(jobs)


def default_jobs() -> int:
    """CPUs this process may use (a container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


# --- the work of one page (runs in a worker) ---------------------------------------


@dataclass(frozen=True)
class PageTask:
    """One page to clean; ``output`` None means: hand the text back (JSON Lines)."""

    source: str
    output: str | None
    config: Config
    fmt: str
    encoding: str
    keep_dropped: bool = False


@dataclass(frozen=True)
class PageResult:
    source: str
    output: str | None = None
    text: str | None = None
    error_type: str | None = None
    message: str | None = None
    #: A bug (a stage raised), as opposed to a page that could not be read or written.
    internal: bool = False
    detail: str | None = None

    @property
    def failed(self) -> bool:
        return self.error_type is not None


def clean_page(task: PageTask) -> PageResult:
    """Read, clean, render and write one page.  Never raises: one bad page must
    not stop a job over an archive, so every failure becomes a result."""
    from .io.decode import UndecodableInput

    try:
        text = render_page(read_page(Path(task.source), task.encoding), task)
        if task.output is None:
            return PageResult(task.source, text=text)
        write_atomic(Path(task.output), text)
        return PageResult(task.source, task.output)
    except (OSError, UndecodableInput) as error:
        return _failure(task, error, internal=False)
    except Exception as error:  # noqa: BLE001 - a stage's bug on one page
        return _failure(task, error, internal=True)


def read_page(path: Path, encoding: str) -> Page:
    from .io.decode import decode
    from .model import page_from_text

    return page_from_text(decode(path.read_bytes(), str(path), encoding), str(path))


def render_page(page: Page, task: PageTask) -> str:
    from .io.render import render
    from .pipeline import run

    return render(run(page, task.config), task.fmt, task.keep_dropped)


def _failure(task: PageTask, error: Exception, internal: bool) -> PageResult:
    detail = "".join(traceback.format_exception(error)) if internal else None
    return PageResult(task.source, task.output, error_type=type(error).__name__,
                      message=str(error), internal=internal, detail=detail)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it into
    place: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed or removed
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
        suffix=PART_SUFFIX, delete=False)
    try:
        with handle:
            os.fchmod(handle.fileno(), _file_mode())  # as open() would: not 0600
            _write_all(handle, text)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


@lru_cache(maxsize=1)
def _file_mode() -> int:
    """The mode a new file gets from the umask (tempfile makes 0600 files, and
    archive outputs are usually shared)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_all(handle: IO[str], text: str) -> None:
    """The write itself, apart so that tests can make it fail half-way."""
    handle.write(text)


# --- finding the pages --------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """An input page and where its output goes, below OUTDIR and before the suffix."""

    path: Path
    rel: PurePath


def discover(inputs: Sequence[Path], glob: str, prune: Path | None = None
             ) -> Iterator[list[Source]]:
    """The pages, one list per folder (an issue, for ``learn_furniture``).

    One input folder maps onto OUTDIR itself; with several inputs each folder
    maps onto its own name, so that two folders' ``page1.txt`` do not meet.
    Files named on the command line are taken whatever ``glob`` says, those of
    one folder in a row forming one group.  Hidden files and folders (macOS
    ``._page.txt`` forks, our own ``.part`` files) and ``prune`` (OUTDIR) are
    never read."""
    several = len(inputs) > 1
    for (kind, _where), run in groupby(inputs, key=_group_key):
        if kind == "dir":
            for root in run:
                base = PurePath(root.resolve().name) if several else PurePath()
                yield from _walk(root, glob, base, prune)
        else:
            yield [Source(path, PurePath(path.name)) for path in run]


def _group_key(path: Path) -> tuple[str, Path]:
    return ("dir", path) if path.is_dir() else ("file", path.parent)


def _walk(root: Path, glob: str, base: PurePath, prune: Path | None) -> Iterator[list[Source]]:
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(name for name in dirs
                         if not name.startswith(".") and (here / name).resolve() != prune)
        rel_folder = here.relative_to(root)
        names = sorted(name for name in files
                       if not name.startswith(".") and (rel_folder / name).match(glob))
        if names:
            yield [Source(here / name, base / rel_folder / name) for name in names]


# --- the job -------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchOptions:
    inputs: tuple[Path, ...]
    config: Config
    outdir: Path | None = None
    #: One JSON Lines stream instead of OUTDIR: a file, or ``-`` for stdout.
    jsonl: Path | None = None
    fmt: str = "json"
    glob: str = "*.txt"
    jobs: int = 1
    skip_existing: bool = True
    learn_furniture: bool = False
    keep_dropped: bool = False
    encoding: str = "utf-8"
    quiet: bool = False
    progress: bool = False


@dataclass
class Tally:
    done: int = 0
    skipped: int = 0
    failed: int = 0
    internal: int = 0
    started: float = field(default_factory=time.perf_counter)

    def exit_code(self) -> ExitCode:
        """ok; partial when some pages failed and others are done (now or
        before); when every page failed: other_error if all were bugs, else
        input_file."""
        if not self.failed:
            return ExitCode.ok
        if self.done or self.skipped:
            return ExitCode.partial
        return ExitCode.other_error if self.internal == self.failed else ExitCode.input_file

    @property
    def total(self) -> int:
        return self.done + self.skipped + self.failed

    def summary(self) -> str:
        seconds = time.perf_counter() - self.started
        rate = self.done / seconds if seconds > 0 else 0.0
        return (f"{self.total} pages: {self.done} done, {self.skipped} skipped, "
                f"{self.failed} failed in {seconds:.1f} s ({rate:.1f} pages/s)")


def run_batch(options: BatchOptions) -> ExitCode:
    """Check the options, then clean every page; the exit code says how it went."""
    check_options(options)
    tally = Tally()
    try:
        with make_executor(options.jobs) as executor, Reporter(options, tally) as reporter:
            tasks = plan(discover(options.inputs, options.glob, _prune(options)),
                         options, reporter)
            for result in executor.map_unordered(clean_page, tasks):
                reporter.finished(result)
    except BrokenProcessPool:
        raise BatchError("a worker process died (out of memory?); the outputs written so "
                         "far are complete: run again to resume", ExitCode.other_error) from None
    if not tally.total:
        raise BatchError(f"no page matching {options.glob!r} in "
                         f"{', '.join(map(str, options.inputs))}", ExitCode.input_file)
    return tally.exit_code()


def _prune(options: BatchOptions) -> Path | None:
    return options.outdir.resolve() if options.outdir else None


def plan(groups: Iterable[list[Source]], options: BatchOptions, reporter: Reporter
         ) -> Iterator[PageTask]:
    """Tasks for the pages that need work, folder by folder; pages already done
    are counted as skipped here and never sent to a worker."""
    for group in groups:
        todo = [source for source in group if not _is_done(source, options, reporter)]
        if not todo:
            continue
        config = options.config
        if options.learn_furniture:
            config = config.replace(learned_furniture=learn_folder(group, options))
        fmt = options.fmt if options.outdir is not None else "jsonl"
        for source in todo:
            yield PageTask(str(source.path), _output_for(source, options), config,
                           fmt, options.encoding, options.keep_dropped)


def _output_for(source: Source, options: BatchOptions) -> str | None:
    if options.outdir is None:
        return None
    return str(options.outdir / source.rel.with_suffix(FORMAT_SUFFIX[options.fmt]))


def _is_done(source: Source, options: BatchOptions, reporter: Reporter) -> bool:
    output = _output_for(source, options)
    if not options.skip_existing or output is None or not is_fresh(Path(output), source.path):
        return False
    reporter.skipped()
    return True


def is_fresh(output: Path, source: Path) -> bool:
    """The output exists and is newer than its input (an edited page is redone)."""
    try:
        return output.stat().st_mtime_ns > source.stat().st_mtime_ns
    except OSError:
        return False


def learn_folder(group: list[Source], options: BatchOptions) -> frozenset[str]:
    """Furniture recurring over one folder's pages (an issue), learned from their
    raw lines: ``furniture_key`` folds away what normalize would change.  Pages
    that cannot be read are left out here and reported when cleaned."""
    from .io.decode import UndecodableInput
    from .stages.dedupe import learn_furniture

    pages: list[list[str]] = []
    for source in group:
        try:
            page = read_page(source.path, options.encoding)
        except (OSError, UndecodableInput):
            continue
        pages.append([line.text for line in page.lines])
    return learn_furniture(pages, options.config)


# --- checking the options --------------------------------------------------------------


def check_options(options: BatchOptions) -> None:
    """Fail before any page is read: a typo should not cost an hour's run."""
    if (options.outdir is None) == (options.jsonl is None):
        raise BatchError("give either -o OUTDIR or --jsonl FILE (or '-')", ExitCode.bad_args)
    for path in options.inputs:
        if not path.exists():
            raise BatchError(f"{path}: no such file or folder", ExitCode.input_file)
    _check_encoding(options.encoding)
    if options.outdir is not None:
        _check_outdir(options)
    elif options.jsonl is not None and str(options.jsonl) != "-":
        _check_not_an_input(options.jsonl, options)


def _check_encoding(encoding: str) -> None:
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise BatchError(f"unknown encoding {encoding!r}", ExitCode.bad_args) from None


def _check_outdir(options: BatchOptions) -> None:
    """Refuse an OUTDIR whose outputs would be read back as inputs, or that would
    put an output over an input: the inputs are the archive, never touched."""
    assert options.outdir is not None
    outdir = options.outdir.resolve()
    if options.outdir.exists() and not options.outdir.is_dir():
        raise BatchError(f"{options.outdir}: not a folder", ExitCode.bad_args)
    suffix = FORMAT_SUFFIX[options.fmt]
    for path in options.inputs:
        folder = path.resolve()
        if path.is_dir() and _overlap(outdir, folder) and glob_takes_suffix(options.glob, suffix):
            raise BatchError(
                f"-o {options.outdir} overlaps input folder {path} and its {suffix} outputs "
                f"match --glob {options.glob!r}: choose a folder outside the inputs",
                ExitCode.bad_args)
        if path.is_file() and (outdir / path.name).with_suffix(suffix) == folder:
            raise BatchError(f"-o {options.outdir} would overwrite the input {path}",
                             ExitCode.bad_args)


def _overlap(one: Path, other: Path) -> bool:
    return one == other or one.is_relative_to(other) or other.is_relative_to(one)


def glob_takes_suffix(glob: str, suffix: str) -> bool:
    """Could ``glob`` match a file ending in ``suffix``?  (``*`` can; ``*.txt``
    cannot take ``.json``.)  Judged on the glob's last suffix."""
    last = PurePath(glob).name
    if "." not in last:
        return True
    return fnmatch(suffix, "." + last.rsplit(".", 1)[1])


def _check_not_an_input(target: Path, options: BatchOptions) -> None:
    resolved = target.resolve()
    for path in options.inputs:
        folder = path.resolve()
        inside = path.is_dir() and resolved.is_relative_to(folder) and target.match(options.glob)
        if resolved == folder or inside:
            raise BatchError(f"--jsonl {target} would overwrite or be read as an input",
                             ExitCode.bad_args)


# --- reporting: progress, failures, the JSON Lines stream --------------------------------


class Reporter:
    """Where results go: outputs handed back (JSON Lines), failures (stderr and
    ``failures.jsonl``), the progress bar and the closing summary, all on
    stderr so that stdout carries only the product."""

    def __init__(self, options: BatchOptions, tally: Tally) -> None:
        self.options = options
        self.tally = tally
        self.bar: ProgressBar | None = None
        self.stream: IO[str] | None = None
        self._stream_tmp: Path | None = None
        self.failures: IO[str] | None = None

    def __enter__(self) -> Reporter:
        self._remove_stale_failures()
        self._open_stream()
        if self.options.progress and not self.options.quiet:
            total = sum(map(len, discover(self.options.inputs, self.options.glob,
                                          _prune(self.options))))
            self.bar = ProgressBar(total)
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.failures is not None:
            self.failures.close()
        self._close_stream(keep=exc_type is None)
        if exc_type is None and not self.options.quiet and self.tally.total:
            _echo(f"newsclean: {self.tally.summary()}")

    def skipped(self) -> None:
        self.tally.skipped += 1
        self._advance()

    def finished(self, result: PageResult) -> None:
        if result.failed:
            self._record_failure(result)
        else:
            self.tally.done += 1
            if result.text is not None and self.stream is not None:
                self.stream.write(result.text)
        self._advance()

    def _advance(self) -> None:
        if self.bar is not None:
            self.bar.advance()

    def _record_failure(self, result: PageResult) -> None:
        self.tally.failed += 1
        self.tally.internal += result.internal
        self._print(f"newsclean: error: {describe_failure(result)}")
        log = self._failure_log()
        if log is not None:
            record = {"path": result.source, "error": result.error_type,
                      "message": result.message, "internal": result.internal}
            if result.detail:
                record["traceback"] = result.detail
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
            log.flush()

    def _print(self, message: str) -> None:
        if self.bar is not None:
            self.bar.print(message)
        else:
            _echo(message)

    def _failures_path(self) -> Path | None:
        if self.options.outdir is not None:
            return self.options.outdir / FAILURES_NAME
        jsonl = self.options.jsonl
        if jsonl is not None and str(jsonl) != "-":
            return jsonl.with_name(f"{jsonl.stem}.{FAILURES_NAME}")
        return None

    def _remove_stale_failures(self) -> None:
        """A previous run's failures are retried now; its list would mislead."""
        path = self._failures_path()
        if path is not None:
            path.unlink(missing_ok=True)

    def _failure_log(self) -> IO[str] | None:
        path = self._failures_path()
        if self.failures is None and path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.failures = path.open("a", encoding="utf-8")
        return self.failures

    def _open_stream(self) -> None:
        """The JSON Lines stream: stdout, or a temporary file renamed into
        place at the end (a killed run leaves no truncated stream behind)."""
        jsonl = self.options.jsonl
        if jsonl is None:
            self._make_outdir()
            return
        if str(jsonl) == "-":
            self.stream = sys.stdout
            return
        try:
            jsonl.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=jsonl.parent, prefix=f".{jsonl.name}.",
                                        suffix=PART_SUFFIX)
        except OSError as error:
            raise BatchError(f"{jsonl}: {error.strerror or error}", ExitCode.output_file) from None
        os.fchmod(fd, _file_mode())
        self._stream_tmp = Path(name)
        self.stream = os.fdopen(fd, "w", encoding="utf-8")

    def _make_outdir(self) -> None:
        assert self.options.outdir is not None
        try:
            self.options.outdir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BatchError(f"{self.options.outdir}: {error.strerror or error}",
                             ExitCode.output_file) from None

    def _close_stream(self, keep: bool) -> None:
        if self.stream is None:
            return
        if self._stream_tmp is None:
            self.stream.flush()
            return
        self.stream.close()
        if keep and self.options.jsonl is not None:
            os.replace(self._stream_tmp, self.options.jsonl)
        else:
            self._stream_tmp.unlink(missing_ok=True)


def describe_failure(result: PageResult) -> str:
    message = result.message or ""
    if not message.startswith(result.source):
        message = f"{result.source}: {result.error_type}: {message}"
    if result.internal:
        message += " (an internal error: please report it with this page)"
    return message


def _echo(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class ProgressBar:
    """A rich progress bar on stderr; rich is imported only when one is drawn
    (it costs ~45 ms of start-up that --help and pipes should not pay)."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(),
                                  TimeRemainingColumn(), console=Console(stderr=True),
                                  transient=True)
        self._task = self._progress.add_task("cleaning", total=total)
        self._progress.start()

    def advance(self) -> None:
        self._progress.advance(self._task)

    def print(self, message: str) -> None:
        self._progress.console.print(message, markup=False, highlight=False)

    def close(self) -> None:
        self._progress.stop()
