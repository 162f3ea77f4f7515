"""`rag eval run`: ask every question of a dataset and measure faithfulness and quality, offline.

Faithfulness is re-checked from a separate store connection, not through the answering
code: every quote's cited document must exist and `stored_text[start:end]` must equal
the quote. Baselines answer the same questions from the same index in the same run, and
retrieval is scored per mode where gold documents are known. `run` returns an EvalReport
and prints nothing: the CLI prints it and report.py writes it (JSON, Markdown, PNG).
"""

from __future__ import annotations

import json
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from rag.config import Settings
from rag.engine import Engine
from rag.evaluate import beir, scifact, wikiqa
from rag.evaluate.metrics import contains_answer
from rag.evaluate.models import EvalInputError, EvalReport, Metrics, QuestionRecord, SystemRun, Violation
from rag.evaluate.squad import EvalQuestion, questions as squad_questions, write_articles
from rag.evaluate.systems import MAIN, System, retrieval, systems
from rag.store import Store
from rag.types import Turn
from rag.unavailable import index_problem

BASELINES_UP_TO = 300  # questions; larger datasets run Attest alone unless asked
FAILURES_KEPT = 25  # wrong outcomes sampled into the summary report; all are in the results file

DEFINITIONS = {
    "faithfulness": "share of quotes whose cited document exists and whose text equals stored_text[start:end] (must be 1.0)",
    "supported": "answerable questions with a quote containing a gold answer (SQuAD normalisation), over answerable questions with gold answers",
    "answered": "answerable questions that got an answer rather than a decline",
    "first_quote": "answered questions with gold answers whose first quote contains one",
    "declined_unanswerable": "unanswerable questions that were declined (decline recall)",
    "decline_precision": "declines that were on unanswerable questions",
    "attribution": "answered questions whose first quote comes from a gold document (where gold documents are given)",
    "words_per_answer": "mean words across the quotes of an answer",
    "latency_p50_ms / latency_p95_ms": "wall time of one answer per question",
    "baselines": "bm25-only / dense-only: one retriever, Attest's quote selection; top-chunk: the first hybrid chunk quoted whole, never declining; on conversations, question-alone: the history dropped; previous-question: the last user question appended to a follow-up with a pronoun or five words or fewer (the rule before rag/followup.py)",
    "by_kind": "conversations: supported and declined per kind of follow-up (pronoun, that, then, there, ellipsis, attribute, unanswerable)",
    "recall@k / mrr@10 / ndcg@10": "document-level retrieval per mode (documents ranked by their best chunk), over questions with gold documents; hybrid+reader: hybrid with the chunks answering reads reranked by their best sentence's quote probability",
}


def load_dataset(path: Path) -> list[EvalQuestion]:
    if beir.is_beir(path):
        return beir.questions(path)[0]
    if wikiqa.is_wikiqa(path):
        return wikiqa.questions(path)
    if scifact.is_scifact(path):
        return scifact.questions(path)
    if path.suffix == ".json":
        return squad_questions(path)
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if line.strip():
            try:
                out.append(EvalQuestion(**json.loads(line)))
            except (json.JSONDecodeError, TypeError, ValueError) as err:
                raise EvalInputError(f"{path}:{number}: not an eval question ({err})") from None
    return out


def faithfulness_violations(store: Store, results: list[QuestionRecord]) -> list[Violation]:
    violations = []
    for result in results:
        for quote in result.answer.quotes:
            document = store.get(quote.document_id)
            if document is None or document.text[quote.start:quote.end] != quote.text:
                violations.append(Violation(question_id=result.id, document_id=quote.document_id,
                                            start=quote.start, end=quote.end))
    return violations


def _share(part, whole):
    return round(part / whole, 4) if whole else None


def _words(record: QuestionRecord) -> int:
    return sum(len(q.text.split()) for q in record.answer.quotes)


def ask_all(dataset: list[EvalQuestion], by_name: dict[str, System]) -> dict[str, tuple[list, list]]:
    """Every question to every system, interleaved per question, so that load from elsewhere
    on the machine lands on all systems alike: {system: (records, latencies in ms)}."""
    out: dict[str, tuple[list, list]] = {name: ([], []) for name in by_name}
    for q in dataset:
        history = [Turn(**t) for t in q.history]
        for name, system in by_name.items():
            started = time.perf_counter()
            answer = system(q.question, history)
            out[name][1].append((time.perf_counter() - started) * 1000)
            out[name][0].append(QuestionRecord(id=q.id, kind=q.kind, question=q.question, answerable=q.answerable,
                                               gold=q.answers, gold_document_ids=q.gold_document_ids,
                                               answer=answer))
    return out


def measure(engine: Engine, dataset: list[EvalQuestion], system: System | None = None) -> SystemRun:
    """Answer every question with `system` (Attest by default) and score the answers."""
    system = system or (lambda q, h: engine.ask(q, history=h))
    return score(engine, *ask_all(dataset, {MAIN: system})[MAIN])


def score(engine: Engine, results: list[QuestionRecord], latencies: list[float]) -> SystemRun:
    """The metrics of one system's answers; sets each record's `supported` where it has gold."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    answered = [r for r in answerable if r.answer.answered]
    declines = [r for r in results if not r.answer.answered]
    with_gold_docs = [r for r in results if r.answer.answered and r.gold_document_ids]
    n_quotes = sum(len(r.answer.quotes) for r in results)
    violations = faithfulness_violations(Store(engine.settings.store_path), results)
    for r in answerable:
        if r.gold:
            r.supported = any(contains_answer(q.text, r.gold) for q in r.answer.quotes)
    with_gold = [r for r in answerable if r.supported is not None]
    words = [_words(r) for r in results if r.answer.answered]
    metrics = Metrics(
        questions=len(results), quotes=n_quotes,
        faithfulness=_share(n_quotes - len(violations), n_quotes) if n_quotes else 1.0,
        supported=_share(sum(r.supported for r in with_gold), len(with_gold)),
        answered=_share(len(answered), len(answerable)),
        first_quote=_share(sum(contains_answer(r.answer.quotes[0].text, r.gold)
                               for r in with_gold if r.answer.answered),
                           sum(r.answer.answered for r in with_gold)),
        declined_unanswerable=_share(sum(not r.answer.answered for r in unanswerable), len(unanswerable)),
        decline_precision=_share(sum(not r.answerable for r in declines), len(declines)),
        attribution=_share(sum(r.answer.quotes[0].document_id in r.gold_document_ids
                               for r in with_gold_docs), len(with_gold_docs)),
        words_per_answer=round(float(np.mean(words)), 1) if words else 0.0,
        latency_p50_ms=round(float(np.percentile(latencies, 50)), 1) if latencies else 0.0,
        latency_p95_ms=round(float(np.percentile(latencies, 95)), 1) if latencies else 0.0,
    )
    return SystemRun(metrics=metrics, violations=violations, results=results)


def by_kind(results: list[QuestionRecord]) -> dict[str, dict]:
    """Per kind of question (a conversation's follow-up kind): how many, supported among
    the answerable ones with gold, declined among the unanswerable ones, words per answer."""
    out = {}
    for kind in sorted({r.kind or "" for r in results}):
        rows = [r for r in results if (r.kind or "") == kind]
        gold = [r for r in rows if r.supported is not None]
        unanswerable = [r for r in rows if not r.answerable]
        words = [_words(r) for r in rows if r.answer.answered]
        out[kind or "-"] = {"questions": len(rows),
                            "supported": _share(sum(r.supported for r in gold), len(gold)),
                            "declined_unanswerable": _share(sum(not r.answer.answered for r in unanswerable),
                                                            len(unanswerable)),
                            "words_per_answer": round(float(np.mean(words)), 1) if words else 0.0}
    return out


def evaluate(engine: Engine, dataset: list[EvalQuestion], baselines: bool = False,
             graded: dict[str, dict[str, float]] | None = None) -> EvalReport:
    """The whole report: Attest's metrics, violations and results, the baselines' metrics
    side by side, and retrieval metrics per mode."""
    engine.ask("warm up")  # load the model and caches outside the latency numbers
    conversations = any(q.history for q in dataset)
    runs = {name: score(engine, *answers)
            for name, answers in ask_all(dataset, systems(engine, baselines, conversations)).items()}
    kinds = {name: by_kind(run.results) for name, run in runs.items()} if any(q.kind for q in dataset) else {}
    main = runs.pop(MAIN)
    stats = engine.stats()
    return EvalReport(
        system=MAIN, created=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        embedding={"documents": f"{stats.document_encoder} {stats.precision}", "questions": stats.query_encoder},
        metrics=main.metrics, violations=main.violations,
        baselines={name: run.metrics for name, run in runs.items()},
        baseline_violations={name: run.violations for name, run in runs.items() if run.violations},
        by_kind=kinds, retrieval=retrieval(engine, dataset, graded), definitions=DEFINITIONS,
        failures=[r for r in main.results if r.failed()][:FAILURES_KEPT], results=main.results)


def check_gates(metrics: dict[str, float | int | None], fail_under: str) -> list[str]:
    """`metric=value,...` gates that `metrics` does not reach (a missing metric fails)."""
    failures = []
    for gate in filter(None, (g.strip() for g in fail_under.split(","))):
        name, _, value = gate.partition("=")
        actual = metrics.get(name.strip())
        if actual is None or actual < float(value):
            failures.append(f"{name.strip()} = {actual} is under {value}")
    return failures


def build_engine(dataset_path: Path, corpus: Path | None, tmp: Path,
                 data_dir: Path | None) -> tuple[Engine, list[str]]:
    """An engine over a temporary index of the dataset's corpus, or the existing index, and
    the reasons any corpus file was not ingested (said, not fatal)."""
    readers = {beir.is_beir: beir.write_corpus, wikiqa.is_wikiqa: wikiqa.write_corpus,
               scifact.is_scifact: scifact.write_corpus}
    own_corpus = next((write for is_kind, write in readers.items() if is_kind(dataset_path)), None)
    if corpus and not Path(corpus).exists():
        raise EvalInputError(f"no corpus at {corpus}")
    if own_corpus or corpus or dataset_path.suffix == ".json":
        folder = Path(corpus) if corpus else tmp / "corpus"
        if not corpus:
            if own_corpus:
                own_corpus(dataset_path, folder)
            else:
                write_articles(dataset_path, folder)
        engine = Engine(Settings(data_dir=tmp / "data"))
        failed = list(engine.ingest(folder).failed.values())
        if not engine.count_documents():
            raise EvalInputError(f"no document of {folder} could be ingested: "
                                 + ("; ".join(failed) or "no file of a supported type in it"))
        return engine.serving(), failed
    settings = Settings(**({"data_dir": Path(data_dir)} if data_dir else {}))
    if problem := index_problem(settings):  # answering from nothing would decline all and "pass"
        raise EvalInputError(f"{problem}; or give --corpus DIR")
    return Engine(settings).serving(), []


def run(dataset_path: Path, corpus: Path | None = None, data_dir: Path | None = None, limit: int = 0,
        baselines: bool | None = None) -> EvalReport:
    """Evaluate a dataset (native .jsonl, SQuAD 2.0 .json, BEIR folder, WikiQA, SciFact) over a
    temporary index of its corpus (or `corpus`), else over the index in `data_dir`.
    Baselines run by default up to BASELINES_UP_TO questions."""
    if not dataset_path.exists():
        raise EvalInputError(f"no dataset at {dataset_path}: give a native .jsonl, a SQuAD 2.0 .json or a BEIR folder")
    graded = beir.questions(dataset_path)[1] if beir.is_beir(dataset_path) else None
    dataset = load_dataset(dataset_path)
    if limit:
        dataset = dataset[:limit]
    if not dataset:  # an empty report would pass every gate with faithfulness 1.0
        raise EvalInputError(f"{dataset_path} holds no questions")
    with_baselines = baselines if baselines is not None else len(dataset) <= BASELINES_UP_TO
    with tempfile.TemporaryDirectory() as tmp:
        engine, failed = build_engine(dataset_path, corpus, Path(tmp), data_dir)
        report = evaluate(engine, dataset, with_baselines, graded)
    return report.model_copy(update={
        "dataset": dataset_path.stem if dataset_path.is_file() else dataset_path.name,
        "not_ingested": failed,
        "settings": {"dataset": str(dataset_path), "corpus": str(corpus) if corpus else None,
                     "data_dir": None if corpus or not data_dir else str(data_dir),
                     "limit": limit, "baselines": with_baselines}})
