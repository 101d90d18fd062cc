"""Tests of ``newsclean eval``: each metric on tiny hand-made pages, pairing, the CLI.

Each metric test builds a gold page and a prediction that is wrong in exactly
one way, and checks that exactly the metric meant to see that fault moves.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean.cli import cli
from newsclean.evaluate import (
    Counts,
    EvalInputError,
    body_similarity,
    evaluate,
    match_articles,
    page_id,
    page_view,
    pair_files,
    rates,
    score_page,
    summary_lines,
)

SAMPLES = Path(__file__).parents[1] / "samples"
SHARED = Path(__file__).parents[2] / "shared"

# Three bodies of equal length and no shared sentences, so that merging two of
# them gives similarity 2/3 with either (below the 0.8 match threshold).
BODY_A = "俗话说，一文钱逼倒英雄汉。缺资金成为贫困户脱贫的最大障碍。" * 4
BODY_B = "市委书记杨巨才出席全市重点工程项目暨固定资产投资推进会议。" * 4
BODY_C = "今年以来，全市文化旅游产业保持平稳较快发展，游客人数增长。" * 4


def article(headline: str, body: str, *, byline: str | None = None, kicker: str | None = None,
            extra: list[dict[str, str]] | None = None) -> dict[str, object]:
    return {
        "headline": headline, "kicker": kicker, "subheadline": None, "byline": byline,
        "blocks": [{"kind": "paragraph", "text": body}, *(extra or [])],
    }


def gold_page() -> dict[str, object]:
    return {
        "format": "newsclean.gold/1",
        "source": "t.txt",
        "articles": [
            article("金融扶贫注入动力", BODY_A, byline="□ 实习记者 王卫斌",
                    extra=[{"kind": "subhead", "text": "金融扶贫遍地开花"},
                           {"kind": "caption", "text": "农民在展区前喜笑颜开"},
                           {"kind": "credit", "text": "记者 郭炳中 摄"}]),
            article("杨巨才出席推进会", BODY_B, kicker="抢抓机遇"),
            article("文旅产业平稳发展", BODY_C),
        ],
        "dropped": [{"text": "人民日报", "why": "running head"},
                    {"text": "农民在展区前喜笑颜开", "why": "layout duplicate of a caption"}],
    }


def score(pred: dict[str, object], gold: dict[str, object] | None = None) -> Counts:
    return score_page(page_view(pred), page_view(gold or gold_page()))


# --- metrics -----------------------------------------------------------------


def test_perfect_prediction_scores_one_and_no_errors() -> None:
    counts = score(gold_page())
    result = rates(counts)
    for key in ("article_precision", "article_recall", "article_f1", "headline_exact",
                "kicker_exact", "subheadline_exact", "byline_exact", "byline_kind",
                "subhead_kind", "caption_kind", "credit_kind"):
        assert result[key] == 1.0, key
    assert result["body_cer"] == 0.0
    assert (counts.dropped_left, counts.chars_lost, counts.headline_in_body,
            counts.body_as_headline, counts.justification_spaces) == (0, 0, 0, 0, 0)


def test_folding_ignores_width_and_whitespace_but_counts_justification_spaces() -> None:
    pred = gold_page()
    first = pred["articles"][0]
    first["headline"] = "金融扶贫 注入动力"
    first["blocks"][0]["text"] = BODY_A.replace("，", ",").replace("。", "。\n")
    counts = score(pred)
    assert rates(counts)["headline_exact"] == 1.0
    assert rates(counts)["body_cer"] == 0.0
    assert counts.justification_spaces == 1


def test_swapped_headlines_lower_headline_exact_not_f1() -> None:
    pred = gold_page()
    first, second = pred["articles"][0], pred["articles"][1]
    first["headline"], second["headline"] = second["headline"], first["headline"]
    result = rates(score(pred))
    assert result["article_f1"] == 1.0
    assert result["headline_exact"] == pytest.approx(1 / 3)


def test_merged_article_lowers_f1_and_costs_both_bodies_in_cer() -> None:
    pred = gold_page()
    merged = article("金融扶贫注入动力", BODY_A + BODY_B)
    pred["articles"] = [merged, pred["articles"][2]]
    counts = score(pred)
    result = rates(counts)
    assert (counts.pred_articles, counts.gold_articles, counts.matched) == (2, 3, 1)
    assert result["article_precision"] == 0.5
    assert result["article_recall"] == pytest.approx(1 / 3)
    assert result["article_f1"] == pytest.approx(0.4)
    first_body = page_view(gold_page()).articles[0].body  # paragraph, subhead, caption, credit
    assert counts.body_errors == len(first_body) + len(BODY_B)


def test_article_cut_in_half_matches_neither_half() -> None:
    half = len(BODY_A) // 2
    pred = gold_page()
    pred["articles"][:1] = [article("金融扶贫注入动力", BODY_A[:half]), article("", BODY_A[half:])]
    counts = score(pred)
    assert counts.matched == 2 and counts.pred_articles == 4


def test_small_body_error_still_matches_and_cer_is_edit_distance_over_gold_length() -> None:
    pred = gold_page()
    pred["articles"][0]["blocks"][0]["text"] = "X" + BODY_A[1:-2]  # 1 substitution, 2 deletions
    counts = score(pred)
    assert counts.matched == 3
    assert counts.body_errors == 3
    assert counts.gold_body_chars == 3 * len(BODY_A) + len("金融扶贫遍地开花农民在展区前喜笑颜开"
                                                         "记者郭炳中摄")


def test_body_similarity_is_share_of_common_characters_in_order() -> None:
    assert body_similarity("abcd", "abcd") == 1.0
    assert body_similarity("abcd", "abcdabcd") == pytest.approx(2 * 4 / 12)
    assert body_similarity("abcd", "wxyz") == 0.0


def test_matching_is_one_to_one_and_prefers_the_best_pair() -> None:
    gold = page_view({"articles": [article("", BODY_A)]})
    twin = page_view({"articles": [article("", BODY_A[:-6]), article("", BODY_A)]})
    pairs = match_articles(twin.articles, gold.articles)
    assert pairs == {0: (1, 1.0)}
    counts = score_page(twin, gold, pairs)
    assert rates(counts)["article_precision"] == 0.5
    # the other way round: one prediction never serves two near-copy gold articles
    assert match_articles(gold.articles, twin.articles) == {1: (0, 1.0)}


def test_leftover_dropped_string_is_counted_but_not_one_the_gold_keeps_in_a_story() -> None:
    pred = gold_page()
    pred["articles"][1]["blocks"].append({"kind": "caption", "text": "农民在展区前喜笑颜开"})
    pred["articles"][2]["blocks"].insert(0, {"kind": "paragraph", "text": "人民日报"})
    assert score(pred).dropped_left == 2
    gold = gold_page()
    gold["articles"][2]["blocks"][0]["text"] = "人民日报评论员文章。" + BODY_C
    pred_keeping_it = copy.deepcopy(gold)
    assert score(pred_keeping_it, gold).dropped_left == 0


def test_characters_missing_from_prediction_are_lost() -> None:
    pred = gold_page()
    pred["articles"][2]["blocks"][0]["text"] = BODY_C[10:]
    counts = score(pred)
    assert counts.chars_lost == 10
    assert rates(counts)["chars_lost_rate"] == pytest.approx(10 / counts.gold_chars)


def test_gold_headline_glued_to_a_body_is_a_leak() -> None:
    pred = gold_page()
    pred["articles"][2]["headline"] = ""
    pred["articles"][2]["blocks"][0]["text"] = "文旅产业平稳发展" + BODY_C
    counts = score(pred)
    assert counts.headline_in_body == 1
    assert counts.body_as_headline == 0


def test_headline_quoted_in_its_own_gold_story_is_no_leak() -> None:
    gold = gold_page()
    gold["articles"][2]["blocks"][0]["text"] = BODY_C + "文旅产业平稳发展"
    assert score(copy.deepcopy(gold), gold).headline_in_body == 0


def test_body_line_promoted_to_headline_is_a_leak() -> None:
    pred = gold_page()
    pred["articles"][1]["headline"] = "缺资金成为贫困户脱贫的最大障碍。"
    counts = score(pred)
    assert counts.body_as_headline == 1
    assert rates(counts)["headline_exact"] == pytest.approx(2 / 3)


def test_block_kinds_need_same_kind_and_same_text() -> None:
    pred = gold_page()
    first = pred["articles"][0]
    first["byline"] = None
    first["blocks"][2]["kind"] = "paragraph"  # the caption, unrecognised
    first["blocks"][3]["text"] = "记者 郭炳中"  # the credit, cut short
    counts = score(pred)
    assert (counts.byline_found, counts.byline_total) == (0, 1)
    assert (counts.subhead_found, counts.subhead_total) == (1, 1)
    assert (counts.caption_found, counts.caption_total) == (0, 1)
    assert (counts.credit_found, counts.credit_total) == (0, 1)


def test_justification_spaces_skip_bylines_credits_and_latin_words() -> None:
    pred = gold_page()
    pred["articles"][0]["byline"] = "本报讯 （记者 梁瑜）"
    pred["articles"][1]["blocks"][0]["text"] = "脱 贫 攻坚 ，New York 2015 年" + BODY_B
    assert score(pred).justification_spaces == 3  # 脱_贫, 贫_攻, 坚_，


def test_unmatched_gold_misses_every_field_and_kind() -> None:
    pred = {"articles": [article("", BODY_B), article("", BODY_C)]}
    counts = score(pred)
    result = rates(counts)
    assert counts.matched == 2 and counts.headline_hits == 0
    assert result["kicker_exact"] == pytest.approx(1 / 3)  # 文旅 has no kicker, nor has its match
    assert (counts.subhead_found, counts.caption_found, counts.credit_found) == (0, 0, 0)


def test_rates_are_undefined_without_a_denominator() -> None:
    empty = rates(Counts())
    assert empty["article_f1"] is None and empty["body_cer"] is None
    assert rates(Counts(pred_articles=2))["article_f1"] == 0.0


# --- input checking and pairing ----------------------------------------------


def test_malformed_gold_names_the_offending_spot() -> None:
    bad = gold_page()
    bad["articles"][1]["blocks"][0]["text"] = 7
    with pytest.raises(EvalInputError, match=r"articles\[1\]\.blocks\[0\]\.text"):
        page_view(bad)
    with pytest.raises(EvalInputError, match="articles"):
        page_view({"format": "newsclean.gold/1"})


def test_page_id_is_the_name_up_to_the_first_dot() -> None:
    assert page_id(Path("d000_20200106_04.raw.txt")) == "d000_20200106_04"
    assert page_id(Path("dir.v2/seed.gold.json")) == "seed"


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_pairing_by_id_never_takes_gold_for_a_prediction(tmp_path: Path) -> None:
    gold = write(tmp_path / "p1.gold.json", gold_page())
    raw = tmp_path / "p1.raw.txt"
    raw.write_text("文旅产业平稳发展\n", encoding="utf-8")
    write(tmp_path / "p1.mine.json", gold_page())
    lonely = write(tmp_path / "p2.json", gold_page())
    (tmp_path / "notes.md").write_text("not a page", encoding="utf-8")
    pairing = pair_files(tmp_path, tmp_path)
    assert sorted(p.name for p, _ in pairing.pairs) == ["p1.mine.json", "p1.raw.txt"]
    assert all(g == gold for _, g in pairing.pairs)
    assert pairing.without_gold == [lonely]
    assert pairing.gold_without_input == []
    assert pair_files(raw, tmp_path).pairs == [(raw, gold)]


def test_two_named_files_pair_whatever_their_names(tmp_path: Path) -> None:
    pred = write(tmp_path / "a.json", gold_page())
    gold = write(tmp_path / "b.json", gold_page())
    report = evaluate(pred, gold)
    assert rates(report.total)["article_f1"] == 1.0


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(EvalInputError, match="no such file"):
        evaluate(tmp_path / "nowhere", tmp_path)
    with pytest.raises(EvalInputError, match="no such file"):
        evaluate(tmp_path, tmp_path / "nowhere")


# --- the command -------------------------------------------------------------


def test_cli_table_ends_with_the_overall_summary(tmp_path: Path) -> None:
    write(tmp_path / "p1.gold.json", gold_page())
    merged = gold_page()
    merged["articles"] = [article("", BODY_A + BODY_B), merged["articles"][2]]
    write(tmp_path / "p1.out.json", merged)
    write(tmp_path / "p2.out.json", gold_page())  # no gold: reported, not fatal
    result = CliRunner().invoke(cli, ["eval", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-4:]
    assert last[-1].startswith("overall: pages=1 article_f1=0.400 headline_exact=0.333")
    assert "dropped_left=0" in last[-1]
    assert "1 without gold" in last[0]
    assert "p2.out.json" in result.stderr


def test_cli_json_report(tmp_path: Path) -> None:
    write(tmp_path / "p1.gold.json", gold_page())
    write(tmp_path / "p1.out.json", gold_page())
    result = CliRunner().invoke(cli, ["eval", "--json", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["overall"]["micro"]["article_f1"] == 1.0
    assert report["pages"][0]["id"] == "p1"
    assert report["pages"][0]["articles"][1]["headline"] == "杨巨才出席推进会"


def test_cli_runs_raw_pages_through_the_pipeline(tmp_path: Path) -> None:
    for name in ("000_cb6bebe9d91324f1.txt", "000_cb6bebe9d91324f1.gold.json"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    result = CliRunner().invoke(cli, ["eval", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 0, result.output
    summary = result.stdout.splitlines()[-4]
    assert summary.startswith("pages: 1 scored, 0 without gold, 0 problems, 0 crashed; "
                              "articles gold=7")


def test_cli_errors_exit_with_input_file_code(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "nowhere"), str(tmp_path)])
    assert result.exit_code == 2 and "no such file" in result.stderr
    write(tmp_path / "p1.out.json", gold_page())
    (tmp_path / "p1.gold.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 2 and "p1.gold.json: not a JSON page" in result.stderr
    (tmp_path / "p1.gold.json").unlink()
    result = CliRunner().invoke(cli, ["eval", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 2 and "no page of" in result.stderr


def test_a_page_the_pipeline_crashes_on_is_reported_and_others_still_scored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean import pipeline

    def crash_on_marked_page(page, config):
        if any("CRASH" in line.text for line in page.lines):
            raise IndexError("list index out of range")
        return page

    monkeypatch.setitem(pipeline._registered, "crashy", crash_on_marked_page)
    write(tmp_path / "p1.gold.json", gold_page())
    write(tmp_path / "p2.gold.json", gold_page())
    (tmp_path / "p1.raw.txt").write_text("CRASH\n", encoding="utf-8")
    (tmp_path / "p2.raw.txt").write_text(BODY_A + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--stages", "crashy", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 15
    assert "p1.raw.txt: pipeline failed: IndexError" in result.stderr
    assert "pages: 1 scored, 0 without gold, 0 problems, 1 crashed" in result.stdout


def test_help_does_not_import_rich() -> None:
    code = ("import sys; from click.testing import CliRunner; from newsclean.cli import cli; "
            "CliRunner().invoke(cli, ['--help']); print('rich' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_summary_is_four_lines_ending_with_overall() -> None:
    gold = SAMPLES / "000_cb6bebe9d91324f1.gold.json"
    lines = summary_lines(evaluate(gold, gold))
    assert len(lines) == 4 and all("\n" not in line for line in lines)
    assert lines[-1].startswith("overall: pages=1 article_f1=1.000 headline_exact=1.000 "
                                "body_cer=0.000 dropped_left=0")


# --- the shared corpus -------------------------------------------------------


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared corpus at {SHARED} (outside the "
                    "project's workplace only samples/ is available)")
def test_corpus_gold_scores_perfect_against_itself_and_every_raw_page_pairs() -> None:
    raw = SHARED / "corpus" / "raw"
    golds = sorted(raw.glob("*.gold.json"))
    assert golds, f"no gold in {raw}"
    for gold in golds:
        counts = evaluate(gold, gold).total
        assert counts.matched == counts.gold_articles == counts.pred_articles, gold.name
        assert counts.headline_hits == counts.gold_articles, gold.name
        assert (counts.body_errors, counts.dropped_left, counts.chars_lost,
                counts.justification_spaces) == (0, 0, 0, 0), gold.name
    pairing = pair_files(raw, raw)
    assert len(pairing.pairs) == len(golds)
    assert not pairing.without_gold and not pairing.gold_without_input
