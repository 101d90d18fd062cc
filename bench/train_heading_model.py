"""Train the heading model that split uses to keep or demote heading groups.

Not a test and not needed at run time: it writes ``newsclean/data/heading_model.json``.

    python bench/train_heading_model.py ../shared/corpus/raw --synthetic 200

Rows are the heading groups found between two bodies (the only ones split may
demote); a row is a heading when any of its lines is part of a gold kicker,
headline or subheadline.  Folds are by page, so a page never helps to judge
itself.  Corpus pages are read where they lie (``../shared``); nothing of
them is copied into the project.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsclean.config import Config  # noqa: E402
from newsclean.learn.logistic import fit  # noqa: E402
from newsclean.model import page_from_text  # noqa: E402
from newsclean.pipeline import run  # noqa: E402
from newsclean.stages import split  # noqa: E402
from newsclean.text.cjk import fold  # noqa: E402

MODEL_PATH = Path(__file__).resolve().parents[1] / "newsclean" / "data" / "heading_model.json"


def gold_headings(gold: dict) -> set[str]:
    texts = set()
    for article in gold["articles"]:
        for key in ("kicker", "headline", "subheadline"):
            if article.get(key):
                texts.add(fold(article[key]))
    return texts


def page_rows(text: str, gold: dict, config: Config) -> list[tuple[dict, int]]:
    page = run(page_from_text(text), config, ["normalize", "rejoin", "dedupe", "segment"])
    units = split.build_units(page.current_blocks())
    context = split.PageLexicon.of(units, config)
    headings = gold_headings(gold)
    rows = []
    for i in range(1, len(units) - 1):
        if not units[i].is_heading or units[i - 1].is_heading or units[i + 1].is_heading:
            continue
        if config.rule_enabled("strong_heading") and split._strong_heading(
            units[i], units[i + 1], config
        ):
            continue  # kept whatever the model says: not the model's to learn
        lines = [fold(block.text) for block in units[i].blocks]
        label = int(any(len(line) >= 2 and any(line in h for h in headings) for line in lines))
        rows.append((split.heading_features(units, i, context), label))
    return rows


def corpus_pages(folders: list[Path]) -> list[tuple[str, str, dict]]:
    pages = []
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            gold_path = folder / (path.name.split(".")[0] + ".gold.json")
            if gold_path.is_file():
                gold = json.loads(gold_path.read_text(encoding="utf-8"))
                pages.append((path.name, path.read_text(encoding="utf-8"), gold))
    return pages


#: Generated pages for training start at this seed, so that the pages the
#: recovery test checks (seeds 0-39, tests/test_properties.py) are never
#: among those the model learnt from.
SYNTHETIC_FIRST_SEED = 1000


def synthetic_pages(count: int, first: int = SYNTHETIC_FIRST_SEED) -> list[tuple[str, str, dict]]:
    from newsclean.synth import make_page

    pages = []
    for seed in range(first, first + count):
        page = make_page(seed)
        pages.append((f"synth-{seed}", page.text, page.gold))
    return pages


def scores(model, rows) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for features, label in rows:
        keep = model.probability(features) >= 0.5
        tp += keep and label
        fp += keep and not label
        fn += (not keep) and label
        tn += (not keep) and not label
    total = max(1, tp + fp + fn + tn)
    return {
        "accuracy": (tp + tn) / total,
        "heading_recall": tp / max(1, tp + fn),
        "heading_precision": tp / max(1, tp + fp),
    }


def eval_fold(model, pages, config: Config) -> list[dict]:
    """Score held-out pages end to end with a model trained without them."""
    import tempfile

    from newsclean.evaluate import page_view, rates, score_page
    from newsclean.io.render import page_to_dict

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.json"
        model.save(path)
        fold_config = config.replace(heading_model_path=path,
                                     heading_threshold=config.heading_threshold)
        results = []
        for name, text, gold in pages:
            predicted = page_to_dict(run(page_from_text(text), fold_config))
            counts = score_page(page_view(predicted), page_view(gold))
            results.append({**rates(counts), "synthetic": name.startswith("synth-")})
    return results


def summarise(results: list[dict]) -> dict[str, float]:
    keys = ("article_f1", "headline_exact", "body_cer")
    return {k: round(sum(r[k] for r in results) / max(1, len(results)), 3) for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--synthetic", type=int, default=0, help="generated pages to add")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=Config().heading_threshold,
                        help="probability under which a heading is demoted, for --eval")
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--dry-run", action="store_true", help="cross-validate only")
    parser.add_argument("--drop", action="append", default=[], metavar="FEATURE",
                        help="leave a feature out (repeatable), to measure what it adds")
    parser.add_argument("--eval", action="store_true",
                        help="also run newsclean's eval on each held-out fold (slow)")
    args = parser.parse_args()
    config = Config(heading_threshold=args.threshold)
    pages = corpus_pages(args.folders) + synthetic_pages(args.synthetic)
    if not pages:
        parser.error("no pages: give a folder of <id>.<tool>.txt pages with <id>.gold.json, "
                     "or --synthetic N")
    by_page = [(name, page_rows(text, gold, config)) for name, text, gold in pages]
    evaluated: list[dict] = []
    names = sorted({k for _n, rows in by_page for f, _l in rows for k in f} - set(args.drop))
    ids = sorted({re.sub(r"\..*", "", name) for name, _rows in by_page})
    random.Random(0).shuffle(ids)
    for fold_index in range(args.folds):
        held = set(ids[fold_index :: args.folds])
        train = [r for n, rows in by_page if re.sub(r"\..*", "", n) not in held for r in rows]
        test = [r for n, rows in by_page if re.sub(r"\..*", "", n) in held for r in rows]
        model = fit([f for f, _ in train], [y for _, y in train], names, l2=args.l2)
        print(f"fold {fold_index}: train {len(train)} test {len(test)}",
              {k: round(v, 3) for k, v in scores(model, test).items()})
        if args.eval:
            held_pages = [(n, t, g) for n, t, g in pages if re.sub(r"\..*", "", n) in held]
            evaluated.extend(eval_fold(model, held_pages, config))
    if args.eval:
        corpus = [r for r in evaluated if not r["synthetic"]]
        generated = [r for r in evaluated if r["synthetic"]]
        print("held-out eval, corpus pages:", summarise(corpus))
        if generated:
            print("held-out eval, generated pages:", summarise(generated))
    rows = [r for _n, page in by_page for r in page]
    model = fit([f for f, _ in rows], [y for _, y in rows], names, l2=args.l2)
    print("all:", len(rows), "rows,", sum(y for _, y in rows), "headings;",
          {k: round(v, 3) for k, v in scores(model, rows).items()})
    for name, weight in sorted(zip(model.names, model.weights), key=lambda t: -abs(t[1])):
        print(f"  {weight:+.3f}  {name}")
    if not args.dry_run:
        MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        model.save(MODEL_PATH)
        print("wrote", MODEL_PATH)


if __name__ == "__main__":
    main()
