"""`rag eval run` end to end on the tiny BEIR fixture (a real index in a temporary folder), the
library's typed report, the deprecated `rag eval DATASET`, and the retrieval metrics and
gates on hand-made rankings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.cli import main as cli_main
from rag.evaluate import beir
from rag.evaluate.metrics import contains_answer, mrr_at, ndcg_at, recall_at
from rag.evaluate.models import EvalReport, Metrics
from rag.evaluate.run import check_gates

BEIR_TINY = Path(__file__).resolve().parent / "fixtures" / "beir_tiny"
SYSTEMS = {"bm25-only", "dense-only", "top-chunk"}


def test_retrieval_metrics_by_hand():
    relevant = {"a": 2.0, "b": 1.0}
    assert recall_at(["x", "a", "y", "b"], relevant, 1) == 0.0
    assert recall_at(["x", "a", "y", "b"], relevant, 2) == 0.5
    assert recall_at(["x", "a", "y", "b"], relevant, 10) == 1.0
    assert mrr_at(["x", "y", "b"], relevant) == pytest.approx(1 / 3)
    assert mrr_at(["x"] * 10 + ["a"], relevant) == 0.0
    assert ndcg_at(["a", "b"], relevant) == pytest.approx(1.0)
    assert ndcg_at(["b", "a"], relevant) == pytest.approx((1 + 2 / 1.5849625) / (2 + 1 / 1.5849625))
    assert ndcg_at(["x"], relevant) == 0.0


def test_answer_matching_ignores_invisible_format_characters():
    """WikiQA's gold sentence for "when did freddie mercury die" carries two zero-width
    non-joiners that an earlier store dropped: the match must not hang on what nobody sees."""
    gold = "Freddie Mercury (born Farrokh Bulsara; Gujarati : \u0aab\u0ab0\u0acb\u0a96\u200c); 5 September 1946"
    assert contains_answer(gold.replace("\u200c", "") + " – 24 November 1991)", [gold])
    assert contains_answer("a soft\u00adhyphen here", ["softhyphen"])
    assert not contains_answer("Freddie Mercury (born 1946)", [gold])


def test_answer_matching_reads_possessives_and_dashes_as_word_breaks():
    """SQuAD's rule glued "Rollo's" into "rollos", so no quote could ever support "Rollo"."""
    assert contains_answer("Rollo's descendants ruled Normandy.", ["Rollo"])
    assert contains_answer("Rollo’s descendants", ["Rollo"])
    assert contains_answer("the 1919–20 season", ["1919"])
    assert contains_answer("the 1919–20 season", ["1919-20"])
    assert contains_answer("It cost $12 a barrel.", ["$12"])
    # a number keeps its points and commas: a part of it is not the answer
    assert not contains_answer("about 3.5 million", ["3"])
    assert not contains_answer("1,000,000 people", ["1,000"])
    assert contains_answer("1,000,000 people", ["1000000"])
    assert not contains_answer("Rollosson", ["Rollo"])


def test_beir_folder_reads_queries_with_qrels_only():
    questions, graded = beir.questions(BEIR_TINY)
    assert [q.id for q in questions] == ["q1", "q2", "q3", "q4", "q5"]  # q6 has no qrels row
    assert graded["q2"] == {"d2": 2.0, "d12": 1.0}
    assert questions[1].gold_document_ids == ["d12", "d2"]


def test_gates():
    metrics = {"faithfulness": 1.0, "supported": 0.7, "answered": None}
    assert check_gates(metrics, "faithfulness=1.0, supported=0.6") == []
    assert check_gates(metrics, "supported=0.75") == ["supported = 0.7 is under 0.75"]
    assert check_gates(metrics, "answered=0.1") == ["answered = None is under 0.1"]
    report = EvalReport(metrics=Metrics(faithfulness=1.0), retrieval={"hybrid": {"ndcg@10": 0.9}})
    assert report.gate_metrics()["hybrid.ndcg@10"] == 0.9 and report.gate_metrics()["faithfulness"] == 1.0


@pytest.fixture(scope="module")
def beir_run(tmp_path_factory):
    """One `rag eval` over the BEIR fixture with baselines, and a gate it cannot meet."""
    out = tmp_path_factory.mktemp("reports")
    code = cli_main(["eval", "run", str(BEIR_TINY), "--baselines", "--report", str(out),
                     "--fail-under", "faithfulness=1.0,hybrid.recall@10=1.01"])
    return code, out


def test_beir_eval_reports_retrieval_per_mode_and_baselines(beir_run):
    code, out = beir_run
    report = json.loads((out / "beir_tiny.json").read_text())
    assert set(report["retrieval"]) == {"bm25", "dense", "hybrid", "hybrid+reader"}
    for mode, values in report["retrieval"].items():
        assert values["queries"] == 5
        assert set(values) == {"recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10", "queries"}
        assert 0.0 <= values["recall@1"] <= values["recall@5"] <= values["recall@10"] <= 1.0
    assert report["retrieval"]["hybrid"]["recall@10"] >= 0.9  # a dozen distinct topics
    assert report["retrieval"]["hybrid"]["mrr@10"] >= 0.8
    # Attest keeps the top-level keys the UI reads; baselines sit beside it
    assert report["system"] == "Attest"
    for key in ("questions", "faithfulness", "answered", "attribution", "words_per_answer", "latency_p50_ms"):
        assert key in report["metrics"]
    assert report["metrics"]["supported"] is None  # BEIR has no answer strings
    assert set(report["baselines"]) == SYSTEMS
    assert report["baselines"]["top-chunk"]["answered"] == 1.0  # never declines
    assert all(m["faithfulness"] == 1.0 for m in report["baselines"].values())
    assert report["metrics"]["faithfulness"] == 1.0 and report["violations"] == []


def test_reports_markdown_links_chart_and_gate_fails(beir_run, capsys):
    code, out = beir_run
    assert code == 1  # hybrid.recall@10 cannot reach 1.01
    png = out / "beir_tiny.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (out / "beir_tiny.md").read_text()
    assert "](beir_tiny.png)" in md
    assert "## Systems side by side" in md and "top-chunk" in md
    assert "## Retrieval" in md and "ndcg@10" in md


def test_summary_json_is_an_eval_report_and_records_go_beside_it(beir_run):
    _, out = beir_run
    summary = EvalReport.model_validate_json((out / "beir_tiny.json").read_text())
    assert summary.dataset == "beir_tiny" and summary.created.endswith("UTC")
    assert summary.settings["baselines"] is True and summary.settings["limit"] == 0
    assert summary.definitions["faithfulness"].startswith("share of quotes")
    assert "results" not in json.loads((out / "beir_tiny.json").read_text())  # kept out of the summary
    records = [json.loads(line) for line in (out / "beir_tiny.results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in records] == ["q1", "q2", "q3", "q4", "q5"]
    assert all(r["answer"]["question"] == r["question"] for r in records)
    assert len(summary.failures) <= 25
    assert all(f.id in {r["id"] for r in records} for f in summary.failures)


def test_cli_rejects_a_stray_argument_and_a_missing_dataset(tmp_path, capsys):
    with pytest.raises(SystemExit) as stray:
        cli_main(["eval", "run", "data.jsonl", "extra"])
    assert stray.value.code == 2
    with pytest.raises(SystemExit):
        cli_main(["eval"])  # run or check is required
    capsys.readouterr()
    assert cli_main(["eval", "run", str(tmp_path / "nope.jsonl"), "--report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no dataset at" in err and "nope.jsonl" in err


def test_old_form_still_runs_with_a_one_line_notice(tmp_path, capsys):
    """`rag eval DATASET` (no `run`) is the deprecated alias; a dataset called `check` or
    `run` is reached with `rag eval run check`."""
    assert cli_main(["eval", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"`rag eval DATASET` is deprecated: use `rag eval run {tmp_path / 'nope.jsonl'}`"
    assert "no dataset at" in err[1]
    assert cli_main(["eval", "run", "check"]) == 2
    assert "deprecated" not in capsys.readouterr().err
