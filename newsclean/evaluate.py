"""Score cleaned pages against hand-made gold: the logic behind ``newsclean eval``.

Archivists annotate a few of their own pages (``../GOLD_FORMAT.md``) and need
one number that says whether a change helped, plus the counts that say where
it failed.  Everything here works on *views* of pages, built from the JSON
form that both the gold and our output share, so a prediction can come from
our pipeline, from our ``--format json`` output, or from any other tool that
writes the gold format.

Every comparison is made on *folded* text (:func:`newsclean.text.cjk.fold`:
NFKC, all whitespace removed), as the gold format prescribes, so that ``，``
against ``,`` or a kept line break never counts as an error.  Justification
spaces are counted on their own, on the unfolded text.

Definitions (per page; the report sums the counts over pages for the micro
average and also gives the mean of the per-page rates):

* **body** of an article: its block texts joined, without headline, kicker,
  subheadline and byline (and without blocks whose kind is one of those).
* **body similarity**: normalised Indel similarity of the folded bodies,
  ``2·LCS / (len a + len b)``: the share of characters the two bodies have in
  common, in order.  A story merged with an equally long neighbour, or cut in
  half, scores about 0.67, below the match threshold of 0.8.
* **matching**: one to one, greedily by best similarity (pairs below 0.8 are
  never matched).  With a threshold this high a prediction can only reach two
  gold articles that are themselves near-copies, so greedy equals optimal in
  practice.
* **article precision / recall / F1**: matched pairs over predicted / gold articles.
* **headline / kicker / subheadline / byline exact**: over *all* gold articles,
  the share whose matched prediction has the same folded field (absent and
  empty are the same, so a correctly absent kicker counts); unmatched gold
  articles are misses.
* **body CER**: Levenshtein distance between the folded gold and predicted
  bodies of matched pairs, plus the full length of every *unmatched* gold body,
  divided by the total gold body length.  Predicted articles matching no gold
  cost precision, not CER.
* **leaks**: ``headline_in_body`` counts gold headlines found more often in the
  predicted bodies than in the gold bodies (a headline glued to a story);
  ``body_as_headline`` counts predicted headlines that are gold body text and
  no gold heading (a line fragment promoted to headline).
* **block kinds**: for each gold byline and each gold ``subhead``, ``caption``
  and ``credit`` block, whether its matched prediction has a byline / block of
  the same kind with the same folded text.
* **dropped_left**: gold ``dropped`` strings still present in the predicted
  articles, counted only where they occur more often than in the gold articles
  (``人民日报`` dropped as a running head may rightly stay inside a story).
* **chars_lost**: characters of the gold articles missing from the predicted
  articles, as a multiset difference (order ignored; text moved to the wrong
  article is not lost).
* **justification_spaces**: runs of spaces (not line breaks) between two CJK
  characters left in predicted texts, except in bylines and credits, where the gold keeps the
  printed spaces (``本报讯 （记者 梁瑜）``, ``记者 郭炳中 摄``).
"""

from __future__ import annotations

import json
import re
import time
import traceback
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from statistics import fmean

from rapidfuzz.distance import Indel, Levenshtein

from .config import Config
from .text.cjk import CJK, fold

GOLD_SUFFIX = ".gold.json"
PREDICTION_SUFFIXES = (".txt", ".json")
#: Body similarity at which a predicted article counts as the gold article.
MATCH_SIMILARITY = 0.8
HEADING_FIELDS = ("headline", "kicker", "subheadline", "byline")
#: Block kinds whose recognition is scored (bylines are scored from the field).
SCORED_BLOCK_KINDS = ("subhead", "caption", "credit")
#: Where gold keeps the printed spaces between Chinese characters.
SPACED_KINDS = frozenset({"byline", "credit"})
#: Spaces within a line only: a line break left between Chinese characters is a
#: rejoin fault that body CER already sees, not a justification space.
_JUSTIFICATION_SPACE_RE = re.compile(f"(?<=[{CJK}])(?<=\\S)[^\\S\\r\\n]+(?=[{CJK}])(?=\\S)")
#: Separates joined texts so that a search never matches across two of them.
_SEP = "\n"


class EvalInputError(ValueError):
    """A path that cannot be read, or a file that is not a page in gold/output format."""


class PipelineCrash(RuntimeError):
    """The pipeline raised on one page: a stage bug, reported with the page's name.

    Caught per page so that one crashing page does not hide the scores of the
    others while stages are being built; the CLI still exits non-zero.
    """


# --- page views --------------------------------------------------------------


@dataclass(frozen=True)
class ArticleView:
    """One article reduced to what scoring compares: folded fields and body."""

    headline: str
    kicker: str
    subheadline: str
    byline: str
    body: str
    blocks: tuple[tuple[str, str], ...]
    spaced_texts: tuple[str, ...] = ()

    @property
    def all_text(self) -> str:
        """Every folded string of the article, for character and substring counts."""
        parts = [self.kicker, self.headline, self.subheadline, self.byline]
        return _SEP.join([p for p in parts if p] + [text for _, text in self.blocks])


@dataclass(frozen=True)
class PageView:
    articles: tuple[ArticleView, ...]
    dropped: tuple[str, ...] = ()


def _expect(value: object, kind: type | tuple[type, ...], where: str) -> None:
    if not isinstance(value, kind):
        names = {str: "a string", list: "a list", dict: "an object"}
        wanted = " or ".join(names.get(k, k.__name__) for k in (kind if isinstance(kind, tuple)
                                                                  else (kind,)))
        wanted = wanted.replace("NoneType", "null")
        raise EvalInputError(f"{where}: expected {wanted}, found {type(value).__name__}")


def _field(article: Mapping[str, object], name: str, where: str) -> str:
    value = article.get(name)
    _expect(value, (str, type(None)), f"{where}.{name}")
    return value or ""


def article_view(article: object, where: str = "article") -> ArticleView:
    """Check one article object of gold/output JSON and fold it for scoring."""
    _expect(article, dict, where)
    assert isinstance(article, dict)
    raw_blocks = article.get("blocks", [])
    _expect(raw_blocks, list, f"{where}.blocks")
    blocks: list[tuple[str, str, str]] = []
    for number, block in enumerate(raw_blocks):
        spot = f"{where}.blocks[{number}]"
        _expect(block, dict, spot)
        _expect(block.get("text"), str, f"{spot}.text")
        _expect(block.get("kind", "paragraph"), str, f"{spot}.kind")
        blocks.append((block.get("kind", "paragraph"), block["text"], fold(block["text"])))
    heads = {name: _field(article, name, where) for name in HEADING_FIELDS}
    spaced = [heads[name] for name in HEADING_FIELDS if name not in SPACED_KINDS]
    spaced += [text for kind, text, _ in blocks if kind not in SPACED_KINDS]
    return ArticleView(
        **{name: fold(text) for name, text in heads.items()},
        body="".join(folded for kind, _, folded in blocks if kind not in HEADING_FIELDS),
        blocks=tuple((kind, folded) for kind, _, folded in blocks),
        spaced_texts=tuple(text for text in spaced if text),
    )


def page_view(data: object, where: str = "page") -> PageView:
    """Check a page in gold or ``newsclean.page/1`` form and fold it for scoring.

    Raises :class:`EvalInputError` naming the first offending spot, because an
    archivist's hand-made gold is where malformed input comes from.
    """
    if isinstance(data, list):
        raise EvalInputError(f"{where}: holds {len(data)} pages; score one page per file")
    _expect(data, dict, where)
    assert isinstance(data, dict)
    if "articles" not in data:
        raise EvalInputError(f"{where}: no 'articles' list (see GOLD_FORMAT.md)")
    _expect(data["articles"], list, f"{where}.articles")
    articles = tuple(article_view(item, f"{where}.articles[{number}]")
                     for number, item in enumerate(data["articles"]))
    dropped = data.get("dropped", [])
    _expect(dropped, list, f"{where}.dropped")
    return PageView(articles, tuple(_dropped_text(item, f"{where}.dropped[{number}]")
                                    for number, item in enumerate(dropped)))


def _dropped_text(item: object, where: str) -> str:
    if isinstance(item, dict):
        item = item.get("text")
    _expect(item, str, where)
    assert isinstance(item, str)
    return fold(item)


# --- matching ----------------------------------------------------------------


def body_similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """``2·LCS / (len a + len b)`` of two folded bodies; 0 below ``cutoff``."""
    return Indel.normalized_similarity(a, b, score_cutoff=cutoff)


def _could_reach(a: str, b: str, threshold: float) -> bool:
    """Length bound of body_similarity: skip pairs that cannot reach the threshold."""
    total = len(a) + len(b)
    return total == 0 or 2 * min(len(a), len(b)) / total >= threshold


def match_articles(predicted: Sequence[ArticleView], gold: Sequence[ArticleView],
                   threshold: float = MATCH_SIMILARITY) -> dict[int, tuple[int, float]]:
    """Pair gold and predicted articles one to one: ``{gold index: (pred index, similarity)}``.

    Greedy by best similarity; ties go to the earlier gold, then earlier
    prediction, so that the result does not depend on dict or set order.
    """
    candidates = []
    for g, gold_article in enumerate(gold):
        for p, pred_article in enumerate(predicted):
            if not _could_reach(gold_article.body, pred_article.body, threshold):
                continue
            similarity = body_similarity(gold_article.body, pred_article.body, threshold)
            if similarity >= threshold:
                candidates.append((-similarity, g, p))
    candidates.sort()
    pairs: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    for negative, g, p in candidates:
        if g not in pairs and p not in taken:
            pairs[g] = (p, -negative)
            taken.add(p)
    return pairs


# --- counts and rates --------------------------------------------------------


@dataclass
class Counts:
    """Raw counts of one page; summing them over pages gives the micro average."""

    pred_articles: int = 0
    gold_articles: int = 0
    matched: int = 0
    headline_hits: int = 0
    kicker_hits: int = 0
    subheadline_hits: int = 0
    byline_hits: int = 0
    body_errors: int = 0
    gold_body_chars: int = 0
    headline_in_body: int = 0
    body_as_headline: int = 0
    byline_found: int = 0
    byline_total: int = 0
    subhead_found: int = 0
    subhead_total: int = 0
    caption_found: int = 0
    caption_total: int = 0
    credit_found: int = 0
    credit_total: int = 0
    dropped_total: int = 0
    dropped_left: int = 0
    gold_chars: int = 0
    chars_lost: int = 0
    justification_spaces: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                         for f in fields(self)})


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None and recall is None:
        return None
    if not precision or not recall:
        return 0.0
    return 2 * precision * recall / (precision + recall)


#: Keys of :func:`rates`, in report order: rates first, then per-page counts.
RATE_KEYS = (
    "article_precision", "article_recall", "article_f1", "headline_exact", "kicker_exact",
    "subheadline_exact", "byline_exact", "body_cer", "byline_kind", "subhead_kind",
    "caption_kind", "credit_kind", "chars_lost_rate",
)
COUNT_KEYS = ("headline_in_body", "body_as_headline", "dropped_left", "chars_lost",
              "justification_spaces")


def rates(counts: Counts) -> dict[str, float | None]:
    """Rates from counts; None where the denominator is zero (nothing to score)."""
    c = counts
    precision = _ratio(c.matched, c.pred_articles)
    recall = _ratio(c.matched, c.gold_articles)
    result: dict[str, float | None] = {
        "article_precision": precision,
        "article_recall": recall,
        "article_f1": _f1(precision, recall),
        "headline_exact": _ratio(c.headline_hits, c.gold_articles),
        "kicker_exact": _ratio(c.kicker_hits, c.gold_articles),
        "subheadline_exact": _ratio(c.subheadline_hits, c.gold_articles),
        "byline_exact": _ratio(c.byline_hits, c.gold_articles),
        "body_cer": _ratio(c.body_errors, c.gold_body_chars),
        "chars_lost_rate": _ratio(c.chars_lost, c.gold_chars),
    }
    for kind in ("byline", *SCORED_BLOCK_KINDS):
        result[f"{kind}_kind"] = _ratio(getattr(c, f"{kind}_found"), getattr(c, f"{kind}_total"))
    result.update({key: float(getattr(c, key)) for key in COUNT_KEYS})
    return {key: result[key] for key in RATE_KEYS + COUNT_KEYS}


def mean_rates(pages: Iterable[Counts]) -> dict[str, float | None]:
    """The mean over pages of each rate, skipping pages where it is undefined."""
    per_page = [rates(counts) for counts in pages]
    means: dict[str, float | None] = {}
    for key in RATE_KEYS + COUNT_KEYS:
        values = [value for page in per_page if (value := page[key]) is not None]
        means[key] = fmean(values) if values else None
    return means


# --- scoring one page --------------------------------------------------------


def _field_hits(pairs: Iterable[tuple[ArticleView, ArticleView]]) -> dict[str, int]:
    hits = dict.fromkeys(HEADING_FIELDS, 0)
    for gold, pred in pairs:
        for name in HEADING_FIELDS:
            hits[name] += getattr(gold, name) == getattr(pred, name)
    return hits


def _kind_counts(pairs: Sequence[tuple[ArticleView, ArticleView | None]]) -> dict[str, int]:
    """Found/total of gold bylines and scored block kinds, by same kind and folded text."""
    counts = Counter[str]()
    for gold, pred in pairs:
        if gold.byline:
            counts["byline_total"] += 1
            counts["byline_found"] += pred is not None and pred.byline == gold.byline
        wanted = Counter(block for block in gold.blocks if block[0] in SCORED_BLOCK_KINDS)
        found = Counter(pred.blocks) if pred is not None else Counter()
        for (kind, text), number in wanted.items():
            counts[f"{kind}_total"] += number
            counts[f"{kind}_found"] += min(number, found[(kind, text)])
    return dict(counts)


def body_errors(gold: ArticleView, pred: ArticleView | None) -> int:
    """Edit distance of the folded bodies; a missed article costs its whole body."""
    if pred is None:
        return len(gold.body)
    return Levenshtein.distance(gold.body, pred.body)


def headline_leaks(pred: PageView, gold: PageView) -> tuple[int, int]:
    """(gold headlines inside predicted bodies, predicted headlines that are gold body text).

    A headline may rightly be quoted in a story, so only occurrences beyond
    those in the gold bodies count.
    """
    pred_bodies = _SEP.join(article.body for article in pred.articles)
    gold_bodies = _SEP.join(article.body for article in gold.articles)
    in_body = sum(1 for article in gold.articles if article.headline
                  and pred_bodies.count(article.headline) > gold_bodies.count(article.headline))
    headings = {getattr(article, name) for article in gold.articles for name in HEADING_FIELDS}
    as_headline = sum(1 for article in pred.articles if article.headline
                      and article.headline not in headings and article.headline in gold_bodies)
    return in_body, as_headline


def dropped_left(pred: PageView, gold: PageView) -> int:
    """Gold ``dropped`` strings the prediction still carries, beyond the gold's own uses."""
    pred_text = _SEP.join(article.all_text for article in pred.articles)
    gold_text = _SEP.join(article.all_text for article in gold.articles)
    left = 0
    for text, number in Counter(item for item in gold.dropped if item).items():
        extra = pred_text.count(text) - gold_text.count(text)
        left += min(number, max(0, extra))
    return left


def chars_lost(pred: PageView, gold: PageView) -> tuple[int, int]:
    """(gold article characters missing from the prediction, gold article characters)."""
    gold_chars = Counter(_SEP.join(a.all_text for a in gold.articles).replace(_SEP, ""))
    pred_chars = Counter(_SEP.join(a.all_text for a in pred.articles).replace(_SEP, ""))
    return sum((gold_chars - pred_chars).values()), sum(gold_chars.values())


def justification_spaces(pred: PageView) -> int:
    """Whitespace runs between two CJK characters left in the predicted texts."""
    return sum(len(_JUSTIFICATION_SPACE_RE.findall(text))
               for article in pred.articles for text in article.spaced_texts)


def score_page(pred: PageView, gold: PageView,
               pairs: Mapping[int, tuple[int, float]] | None = None) -> Counts:
    """Every count of one page; ``pairs`` from :func:`match_articles` (computed if None)."""
    if pairs is None:
        pairs = match_articles(pred.articles, gold.articles)
    partner = [pred.articles[pairs[g][0]] if g in pairs else None
               for g in range(len(gold.articles))]
    both = [(g, p) for g, p in zip(gold.articles, partner, strict=True) if p is not None]
    hits = _field_hits(both)
    leaks = headline_leaks(pred, gold)
    lost, gold_chars = chars_lost(pred, gold)
    return Counts(
        pred_articles=len(pred.articles), gold_articles=len(gold.articles), matched=len(pairs),
        **{f"{name}_hits": hits[name] for name in HEADING_FIELDS},
        body_errors=sum(body_errors(g, p) for g, p in zip(gold.articles, partner, strict=True)),
        gold_body_chars=sum(len(article.body) for article in gold.articles),
        headline_in_body=leaks[0], body_as_headline=leaks[1],
        **_kind_counts(list(zip(gold.articles, partner, strict=True))),
        dropped_total=sum(1 for item in gold.dropped if item),
        dropped_left=dropped_left(pred, gold),
        gold_chars=gold_chars, chars_lost=lost,
        justification_spaces=justification_spaces(pred),
    )


def article_details(pred: PageView, gold: PageView,
                    pairs: Mapping[int, tuple[int, float]]) -> list[dict[str, object]]:
    """One record per gold article, for the JSON report: who matched it and how well."""
    details: list[dict[str, object]] = []
    for g, article in enumerate(gold.articles):
        p, similarity = pairs.get(g, (None, 0.0))
        other = pred.articles[p] if p is not None else None
        details.append({
            "gold": g, "headline": article.headline, "predicted": p,
            "similarity": round(similarity, 4),
            "predicted_headline": other.headline if other else None,
            "body_errors": body_errors(article, other),
        })
    return details


# --- files -------------------------------------------------------------------


def page_id(path: Path) -> str:
    """The id that pairs a page with its gold: the file name up to its first dot."""
    return path.name.split(".", 1)[0]


def is_gold_name(path: Path) -> bool:
    return path.name.endswith(GOLD_SUFFIX)


def is_prediction_name(path: Path) -> bool:
    """Raw pages and JSON predictions; gold files never are (``eval DIR DIR``)."""
    return (path.suffix in PREDICTION_SUFFIXES and not is_gold_name(path)
            and not path.name.startswith("."))


@dataclass
class Pairing:
    """Which input goes with which gold, and what was left without a partner."""

    pairs: list[tuple[Path, Path]] = field(default_factory=list)
    without_gold: list[Path] = field(default_factory=list)
    gold_without_input: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _listing(path: Path) -> list[Path]:
    if not path.exists():
        raise EvalInputError(f"{path}: no such file or folder")
    try:
        return sorted(item for item in path.iterdir() if item.is_file())
    except OSError as error:
        raise EvalInputError(f"{path}: {error.strerror or error}") from None


def gold_index(gold_path: Path) -> tuple[dict[str, Path], list[str]]:
    """Gold files by page id; a GOLD file is gold under its own id whatever its name."""
    if gold_path.is_file():
        return {page_id(gold_path): gold_path}, []
    index: dict[str, Path] = {}
    problems: list[str] = []
    for path in filter(is_gold_name, _listing(gold_path)):
        if page_id(path) in index:
            problems.append(f"{path}: a second gold for page {page_id(path)!r}; ignored")
            continue
        index[page_id(path)] = path
    return index, problems


def pair_files(input_path: Path, gold_path: Path) -> Pairing:
    """Pair every prediction in INPUT with the gold of the same id in GOLD.

    Two single files are paired whatever their names (the user named both);
    an explicitly named ``*.gold.json`` input is scored too (gold against gold
    is a quick sanity check), but inside a folder gold files are never inputs.
    """
    if not gold_path.exists():
        raise EvalInputError(f"{gold_path}: no such file or folder")
    if input_path.is_file() and gold_path.is_file():
        return Pairing(pairs=[(input_path, gold_path)])
    index, problems = gold_index(gold_path)
    inputs = [input_path] if input_path.is_file() else list(
        filter(is_prediction_name, _listing(input_path)))
    pairing = Pairing(problems=problems)
    for path in inputs:
        gold = index.get(page_id(path))
        if gold is None:
            pairing.without_gold.append(path)
        else:
            pairing.pairs.append((path, gold))
    if input_path.is_dir():
        used = {gold for _, gold in pairing.pairs}
        pairing.gold_without_input = [gold for gold in index.values() if gold not in used]
    return pairing


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise EvalInputError(f"{path}: {error.strerror or error}") from None


def load_json_page(path: Path) -> PageView:
    """A page from a gold file or a JSON prediction, checked."""
    try:
        data = json.loads(_read_bytes(path).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EvalInputError(f"{path}: not a JSON page: {error}") from None
    return page_view(data, str(path))


def predict_page(path: Path, config: Config, encoding: str = "utf-8") -> PageView:
    """Run a raw page through the pipeline and view its output as the JSON form."""
    from .io.decode import UndecodableInput, decode
    from .io.render import page_to_dict
    from .model import page_from_text
    from .pipeline import run

    try:
        text = decode(_read_bytes(path), str(path), encoding)
    except UndecodableInput as error:
        raise EvalInputError(str(error)) from None
    try:
        page = run(page_from_text(text, str(path)), config)
    except Exception as error:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        raise PipelineCrash(f"{path}: pipeline failed: {type(error).__name__}: {error} "
                            f"(at {Path(frame.filename).name}:{frame.lineno})") from error
    return page_view(page_to_dict(page), str(path))


def load_prediction(path: Path, config: Config, encoding: str = "utf-8") -> PageView:
    if path.suffix == ".json":
        return load_json_page(path)
    return predict_page(path, config, encoding)


# --- the report --------------------------------------------------------------


@dataclass
class PageResult:
    page_id: str
    input: Path
    gold: Path
    counts: Counts
    details: list[dict[str, object]]


@dataclass
class Report:
    pages: list[PageResult] = field(default_factory=list)
    without_gold: list[Path] = field(default_factory=list)
    gold_without_input: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> Counts:
        return sum((page.counts for page in self.pages), Counts())

    def micro(self) -> dict[str, float | None]:
        return rates(self.total)

    def mean(self) -> dict[str, float | None]:
        return mean_rates(page.counts for page in self.pages)


def score_files(pred_path: Path, gold_path: Path, config: Config,
                encoding: str = "utf-8", gold_cache: dict[Path, PageView] | None = None,
                ) -> PageResult:
    """Score one input against one gold file."""
    gold_cache = {} if gold_cache is None else gold_cache
    if gold_path not in gold_cache:
        gold_cache[gold_path] = load_json_page(gold_path)
    gold = gold_cache[gold_path]
    pred = load_prediction(pred_path, config, encoding)
    pairs = match_articles(pred.articles, gold.articles)
    return PageResult(page_id(pred_path), pred_path, gold_path, score_page(pred, gold, pairs),
                      article_details(pred, gold, pairs))


def evaluate(input_path: Path | str, gold_path: Path | str, config: Config | None = None,
             encoding: str = "utf-8") -> Report:
    """Score every page of INPUT that has a gold partner in GOLD.

    A missing INPUT or GOLD raises :class:`EvalInputError`; a page that cannot
    be read, or a malformed gold, becomes a problem in the report (a page the
    pipeline crashes on, a crash) and the other pages are still scored, as an
    archive run should not stop at one file.
    """
    started = time.perf_counter()
    input_path, gold_path = Path(input_path), Path(gold_path)
    if not input_path.exists():
        raise EvalInputError(f"{input_path}: no such file or folder")
    pairing = pair_files(input_path, gold_path)
    report = Report(without_gold=pairing.without_gold,
                    gold_without_input=pairing.gold_without_input,
                    problems=list(pairing.problems))
    cache: dict[Path, PageView] = {}
    for pred_path, gold_file in pairing.pairs:
        try:
            report.pages.append(score_files(pred_path, gold_file, config or Config(),
                                            encoding, cache))
        except EvalInputError as error:
            report.problems.append(str(error))
        except PipelineCrash as error:
            report.crashes.append(str(error))
    report.seconds = time.perf_counter() - started
    return report


# --- rendering helpers (plain data; the CLI draws them) ----------------------


def _rounded(values: Mapping[str, float | None]) -> dict[str, float | None]:
    return {key: None if value is None else round(value, 4) for key, value in values.items()}


def report_to_dict(report: Report) -> dict[str, object]:
    """The machine-readable report of ``newsclean eval --json``."""
    return {
        "format": "newsclean.eval/1",
        "match_similarity": MATCH_SIMILARITY,
        "seconds": round(report.seconds, 3),
        "pages": [{
            "id": page.page_id, "input": str(page.input), "gold": str(page.gold),
            "counts": vars(page.counts), "rates": _rounded(rates(page.counts)),
            "articles": page.details,
        } for page in report.pages],
        "overall": {"pages": len(report.pages), "counts": vars(report.total),
                    "micro": _rounded(report.micro()), "mean": _rounded(report.mean())},
        "without_gold": [str(path) for path in report.without_gold],
        "gold_without_input": [str(path) for path in report.gold_without_input],
        "problems": report.problems,
        "crashes": report.crashes,
    }


#: Short headers so that a page row fits 132 columns; ``p/g/m`` = predicted/gold/matched,
#: ``leaks`` = headline_in_body/body_as_headline, ``kinds`` and ``dropped`` = found/total.
TABLE_COLUMNS = ("page", "p/g/m", "P", "R", "F1", "headline", "CER", "leaks", "kinds",
                 "dropped", "lost", "jspaces")


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def table_row(label: str, counts: Counts, shown: Mapping[str, float | None]) -> list[str]:
    """One table row: ``counts`` give the fractions, ``shown`` the rates printed."""
    found = sum(getattr(counts, f"{kind}_found") for kind in ("byline", *SCORED_BLOCK_KINDS))
    total = sum(getattr(counts, f"{kind}_total") for kind in ("byline", *SCORED_BLOCK_KINDS))
    return [
        label, f"{counts.pred_articles}/{counts.gold_articles}/{counts.matched}",
        _fmt(shown["article_precision"]), _fmt(shown["article_recall"]),
        _fmt(shown["article_f1"]), _fmt(shown["headline_exact"]), _fmt(shown["body_cer"]),
        f"{counts.headline_in_body}/{counts.body_as_headline}", f"{found}/{total}",
        f"{counts.dropped_left}/{counts.dropped_total}", str(counts.chars_lost),
        str(counts.justification_spaces),
    ]


def table_rows(report: Report) -> list[list[str]]:
    """Per-page rows followed by the micro-average row (the mean is in the summary).

    A row is labelled by page id, or by input file name where two inputs share
    an id (``p.raw.txt`` and ``p.json`` scored against the same gold).
    """
    ids = Counter(page.page_id for page in report.pages)
    rows = [table_row(page.page_id if ids[page.page_id] == 1 else page.input.name,
                      page.counts, rates(page.counts)) for page in report.pages]
    rows.append(table_row("all (micro)", report.total, report.micro()))
    return rows


def summary_lines(report: Report) -> list[str]:
    """Exactly four lines, printed last: the before-stop hook shows ``tail -n 4``."""
    total, micro, mean = report.total, report.micro(), report.mean()
    kinds = " ".join(f"{kind}={getattr(total, f'{kind}_found')}/{getattr(total, f'{kind}_total')}"
                     for kind in ("byline", *SCORED_BLOCK_KINDS))
    return [
        f"pages: {len(report.pages)} scored, {len(report.without_gold)} without gold, "
        f"{len(report.problems)} problems, {len(report.crashes)} crashed; "
        f"articles gold={total.gold_articles} predicted={total.pred_articles} "
        f"matched={total.matched}; {report.seconds:.2f} s",
        f"micro: P={_fmt(micro['article_precision'])} R={_fmt(micro['article_recall'])} "
        f"kicker={_fmt(micro['kicker_exact'])} subheadline={_fmt(micro['subheadline_exact'])} "
        f"byline={_fmt(micro['byline_exact'])} chars_lost={total.chars_lost} "
        f"justification_spaces={total.justification_spaces}",
        f"kinds: {kinds}; leaks: headline_in_body={total.headline_in_body} "
        f"body_as_headline={total.body_as_headline}",
        f"overall: pages={len(report.pages)} article_f1={_fmt(micro['article_f1'])} "
        f"headline_exact={_fmt(micro['headline_exact'])} body_cer={_fmt(micro['body_cer'])} "
        f"dropped_left={total.dropped_left} (mean over pages: f1={_fmt(mean['article_f1'])} "
        f"headline={_fmt(mean['headline_exact'])} cer={_fmt(mean['body_cer'])})",
    ]


def print_table(report: Report) -> None:
    """The per-page rich table, then the four summary lines as plain text.

    The summary goes through plain ``print`` so that it is never wrapped or
    styled: scripts and the before-stop hook read it with ``tail -n 4``.
    rich is imported here, not at module level, to keep start-up fast.
    """
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = max(console.width, 132)
    table = Table(title="newsclean eval", title_justify="left")
    for name in TABLE_COLUMNS:
        table.add_column(name, no_wrap=True, justify="left" if name == "page" else "right")
    rows = table_rows(report)
    for row in rows[:-1]:
        table.add_row(*row)
    table.add_section()
    table.add_row(*rows[-1], style="bold")
    console.print(table)
    console.file.flush()
    print("\n".join(summary_lines(report)), flush=True)
