"""`rag eval`: ask every question of a dataset and measure faithfulness and quality, offline.

Faithfulness is re-checked from a separate store connection, not through the answering
code: every quote's cited document must exist and `stored_text[start:end]` must equal
the quote. Reports go to the terminal, JSON and Markdown; --fail-under gates CI.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import numpy as np

from rag.config import Settings
from rag.engine import Engine
from rag.evaluate.metrics import contains_answer
from rag.evaluate.squad import EvalQuestion, questions as squad_questions, write_articles
from rag.store import Store
from rag.types import Turn

DEFINITIONS = {
    "faithfulness": "share of quotes whose cited document exists and whose text equals stored_text[start:end] (must be 1.0)",
    "supported": "answerable questions with a quote containing a gold answer (SQuAD normalisation), over all answerable",
    "answered": "answerable questions that got an answer rather than a decline",
    "declined_unanswerable": "unanswerable questions that were declined (decline recall)",
    "decline_precision": "declines that were on unanswerable questions",
    "attribution": "answered questions whose first quote comes from a gold document (where gold documents are given)",
    "words_per_answer": "mean words across the quotes of an answer",
    "latency_p50_ms / latency_p95_ms": "wall time of Engine.ask per question",
}


def load_dataset(path: Path) -> list[EvalQuestion]:
    if path.suffix == ".json":
        return squad_questions(path)
    return [EvalQuestion(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]


def faithfulness_violations(store: Store, results: list[dict]) -> list[dict]:
    violations = []
    for result in results:
        for quote in result["answer"]["quotes"]:
            document = store.get(quote["document_id"])
            if document is None or document.text[quote["start"]:quote["end"]] != quote["text"]:
                violations.append({"question_id": result["id"], "document_id": quote["document_id"],
                                   "start": quote["start"], "end": quote["end"]})
    return violations


def measure(engine: Engine, dataset: list[EvalQuestion]) -> dict:
    results, latencies = [], []
    for q in dataset:
        started = time.perf_counter()
        answer = engine.ask(q.question, history=[Turn(**t) for t in q.history])
        latencies.append((time.perf_counter() - started) * 1000)
        results.append({"id": q.id, "question": q.question, "answerable": q.answerable,
                        "gold": q.answers, "gold_document_ids": q.gold_document_ids,
                        "answer": answer.model_dump()})
    answerable = [r for r in results if r["answerable"]]
    unanswerable = [r for r in results if not r["answerable"]]
    answered = [r for r in answerable if r["answer"]["answered"]]
    declines = [r for r in results if not r["answer"]["answered"]]
    with_gold_docs = [r for r in results if r["answer"]["answered"] and r["gold_document_ids"]]
    n_quotes = sum(len(r["answer"]["quotes"]) for r in results)
    violations = faithfulness_violations(Store(engine.settings.store_path), results)
    for r in answerable:
        r["supported"] = any(contains_answer(q["text"], r["gold"]) for q in r["answer"]["quotes"])
    words = [sum(len(q["text"].split()) for q in r["answer"]["quotes"]) for r in results if r["answer"]["answered"]]

    def share(part, whole):
        return round(part / whole, 4) if whole else None

    metrics = {
        "questions": len(results), "quotes": n_quotes,
        "faithfulness": share(n_quotes - len(violations), n_quotes) if n_quotes else 1.0,
        "supported": share(sum(r["supported"] for r in answerable), len(answerable)),
        "answered": share(len(answered), len(answerable)),
        "declined_unanswerable": share(sum(not r["answer"]["answered"] for r in unanswerable), len(unanswerable)),
        "decline_precision": share(sum(not r["answerable"] for r in declines), len(declines)),
        "attribution": share(sum(r["answer"]["quotes"][0]["document_id"] in r["gold_document_ids"]
                                 for r in with_gold_docs), len(with_gold_docs)),
        "words_per_answer": round(float(np.mean(words)), 1) if words else 0.0,
        "latency_p50_ms": round(float(np.percentile(latencies, 50)), 1) if latencies else 0.0,
        "latency_p95_ms": round(float(np.percentile(latencies, 95)), 1) if latencies else 0.0,
    }
    return {"metrics": metrics, "violations": violations, "results": results}


def markdown(name: str, report: dict) -> str:
    rows = "\n".join(f"| {k} | {v} |" for k, v in report["metrics"].items())
    defs = "\n".join(f"- **{k}**: {v}" for k, v in DEFINITIONS.items())
    violations = "\n".join(f"- {v}" for v in report["violations"]) or "none"
    return (f"# Eval: {name}\n\n| metric | value |\n|---|---|\n{rows}\n\n## Definitions\n{defs}\n\n"
            f"## Faithfulness violations\n{violations}\n")


def check_gates(metrics: dict, fail_under: str) -> list[str]:
    failures = []
    for gate in filter(None, (g.strip() for g in fail_under.split(","))):
        name, _, value = gate.partition("=")
        actual = metrics.get(name)
        if actual is None or actual < float(value):
            failures.append(f"{name} = {actual} is under {value}")
    return failures


def main(args) -> int:
    dataset_path = Path(args.dataset)
    dataset = load_dataset(dataset_path)
    if args.limit:
        dataset = dataset[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        if args.corpus or dataset_path.suffix == ".json":
            corpus = Path(args.corpus) if args.corpus else Path(tmp) / "corpus"
            if not args.corpus:
                write_articles(dataset_path, corpus)
            engine = Engine(Settings(data_dir=Path(tmp) / "data"))
            engine.ingest(corpus)
        else:
            engine = Engine(Settings(**({"data_dir": Path(args.data_dir)} if args.data_dir else {})))
        report = measure(engine, dataset)
    name = dataset_path.stem
    out = Path(args.report)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    (out / f"{name}.md").write_text(markdown(name, report))
    width = max(len(k) for k in report["metrics"])
    for key, value in report["metrics"].items():
        print(f"{key:<{width}}  {value}")
    print(f"reports: {out / (name + '.json')}, {out / (name + '.md')}")
    failures = check_gates(report["metrics"], args.fail_under)
    if report["violations"]:
        failures.append(f"{len(report['violations'])} faithfulness violations")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0
