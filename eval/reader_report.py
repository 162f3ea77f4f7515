"""The reading model side by side with its baselines, on data it never trained on.

Run: python eval/reader_report.py squad|scifact|wikiqa|team [...] (or `make eval-reader`).
Each dataset is an open corpus; every system answers every question from the same index in
the same run, interleaved per question:
- Attest: hybrid retrieval, the logistic model's best sentences read by the reading model;
- logistic: the same without the reading model (the quote model of the previous release);
- bm25-only: BM25 retrieval, then Attest's quote selection with the reader.
Datasets:
- squad: SQuAD 2.0 dev part, questions of the five report-half articles (the reader and its
  calibration never saw them), corpus = all ten articles;
- scifact: train claims of the report half (SHA-1 of the claim id), corpus = all 5,183
  abstracts; "supported" = a rationale sentence inside a quote, first_quote = in the first;
- wikiqa: dev and train questions (evaluation only), corpus = every WikiQA summary;
- team: eval/datasets/corpus_questions.jsonl over corpus/, split by whether the reader
  trained on its article's SQuAD questions.
Writes eval/reports/reader-<dataset>.json and rewrites eval/reports/reader.md from all
the JSON files present.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eval.harness import ingested  # noqa: E402
from eval.train_reader import SQUAD_DEV, calibration_articles, dev_tune_articles, slug  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.evaluate import scifact, wikiqa  # noqa: E402
from rag.evaluate.run import ask_all, load_dataset, score  # noqa: E402
from rag.evaluate.squad import questions_of, write_articles  # noqa: E402
from rag.evaluate.systems import retrieval  # noqa: E402

SHARED = REPO.parent / "shared" / "datasets"
REPORTS = REPO / "eval" / "reports"
METRICS = ("supported", "first_quote", "answered", "declined_unanswerable", "decline_precision",
           "words_per_answer", "faithfulness", "latency_p50_ms", "latency_p95_ms", "questions")


def systems(engine: Engine) -> dict:
    return {"Attest": lambda q, h: engine.ask(q, history=h),
            "logistic": lambda q, h: engine.ask(q, history=h, read=False),
            "bm25-only": lambda q, h: engine.ask(q, history=h, mode="bm25")}


def squad(tmp: Path):
    folder = tmp / "corpus"
    write_articles(SQUAD_DEV, folder)
    trained = dev_tune_articles()
    qs = [q for a in json.loads(SQUAD_DEV.read_text())["data"] if slug(a["title"]) not in trained
          for q in questions_of(a)]
    return folder, {"report-half": qs}


def scifact_data(tmp: Path):
    path = SHARED / "scifact" / "rationales-train.jsonl"
    return scifact.write_corpus(path, tmp / "corpus").parent, {"report-half": scifact.questions(path, "report")}


def wikiqa_data(tmp: Path):
    dev, train = SHARED / "wikiqa" / "WikiQA-dev.tsv.gz", SHARED / "wikiqa" / "WikiQA-train.tsv.gz"
    return wikiqa.write_corpus(dev, tmp / "corpus").parent, {"dev": wikiqa.questions(dev),
                                                              "train": wikiqa.questions(train)}


def team(tmp: Path):
    qs = load_dataset(REPO / "eval" / "datasets" / "corpus_questions.jsonl")
    dev_keep = calibration_articles()[1]
    read = {f"wikipedia/{a}" for a in dev_tune_articles() - dev_keep}
    trained = [q for q in qs if set(q.gold_document_ids) & read]
    return REPO / "corpus", {"articles-trained-on": trained, "articles-not-trained-on":
                             [q for q in qs if q not in trained]}


DATASETS = {"squad": squad, "scifact": scifact_data, "wikiqa": wikiqa_data, "team": team}


def run(name: str, limit: int | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus, splits = DATASETS[name](Path(tmp))
        splits = {split: qs[:limit] for split, qs in splits.items()}
        engine = ingested(Engine(Settings(data_dir=Path(tmp) / "data")), corpus)
        engine.serving()
        engine.ask("warm up")
        out = {"dataset": name, "reader": engine.reader().card.get("bytes"), "splits": {}}
        for split, qs in splits.items():
            answers = ask_all(qs, systems(engine))
            out["splits"][split] = {system: {k: v for k, v in score(engine, *got).metrics.values().items()
                                             if k in METRICS}
                                    for system, got in answers.items()}
            for mode, ranking in retrieval(engine, qs, modes=("hybrid", "hybrid+reader")).items():
                out["splits"][split][f"retrieval_{mode}"] = {k: v for k, v in ranking.items() if k != "queries"}
            print(name, split, json.dumps(out["splits"][split], indent=1), flush=True)
    if limit:
        return out
    (REPORTS / f"reader-{name}.json").write_text(json.dumps(out, indent=1) + "\n")
    return out


def markdown() -> str:
    lines = ["# The reading model against its baselines", "",
             "Written by eval/reader_report.py; every figure on data the reader and its calibration never saw.", ""]
    for path in sorted(REPORTS.glob("reader-*.json")):
        data = json.loads(path.read_text())
        for split, by_system in data["splits"].items():
            names = [n for n in by_system if not n.startswith("retrieval_")]
            lines += [f"## {data['dataset']} — {split}", "", "| metric | " + " | ".join(names) + " |",
                      "|---|" + "---|" * len(names)]
            for metric in METRICS:
                lines.append(f"| {metric} | " + " | ".join(str(by_system[n].get(metric, "–")) for n in names) + " |")
            for mode, label in (("hybrid", "hybrid"), ("hybrid+reader", "hybrid, reranked by the reader")):
                ranking = by_system.get(f"retrieval_{mode}") or {}
                if ranking:
                    lines += ["", f"Retrieval ({label}, documents): " + ", ".join(f"{k} {v}" for k, v in ranking.items())]
            lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*", choices=[[], *DATASETS], default=list(DATASETS))
    parser.add_argument("--limit", type=int, default=None, help="first N questions per split (a smoke run)")
    args = parser.parse_args()
    for name in args.datasets or list(DATASETS):
        run(name, args.limit)
    if not args.limit:
        (REPORTS / "reader.md").write_text(markdown())


if __name__ == "__main__":
    main()
