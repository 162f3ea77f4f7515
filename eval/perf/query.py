"""Where the time of one question goes, and the question encoder options side by side.

In one process, one thread, on the team's questions: embedding a question with
sentence-transformers (torch fp32, the baseline) and with the ONNX Runtime encoder that
long-running processes use (rag/embed/query_onnx.py), with the cosine between them; then the
stages of Engine.ask on an index of corpus/ (retrieval, also within one folder, the reading
model on its candidate sentences, quote selection), and Engine.ask with the reading model against the
same call without it (the logistic quote model alone, the baseline), interleaved.

    python eval/perf/query.py [--data-dir DIR]   # → results/query.{md,json}
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch

from rag.config import Settings
from rag.embed import Embedder
from rag.engine import Engine
from rag.quotes import candidate_sentences, reader_passage

ROOT = Path(__file__).resolve().parents[2]


def timed(fn, inputs: list, rounds: int) -> dict:
    for item in inputs[:5]:
        fn(item)  # warm-up
    ms = []
    for i in range(rounds):
        started = time.perf_counter()
        fn(inputs[i % len(inputs)])
        ms.append((time.perf_counter() - started) * 1000)
    return _percentiles(ms)


def _percentiles(ms: list[float]) -> dict:
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default="", help="an existing index (default: index corpus/ into a temp dir)")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--out", default="eval/perf/results")
    args = parser.parse_args()
    torch.set_num_threads(1)
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="attest-query-"))
    embedder = Embedder("fp32")
    engine = Engine(Settings(data_dir=data_dir, precision="fp32"), embedder=embedder)
    if not args.data_dir:
        engine.ingest(ROOT / "corpus")
    questions = [json.loads(line)["question"] for line in (ROOT / "eval/datasets/corpus_questions.jsonl").open()]

    torch_vectors = {q: embedder.embed([q])[0] for q in questions}
    rows = {"question embedding, torch fp32 (baseline)": timed(lambda q: embedder.embed([q])[0], questions, args.rounds)}
    assert embedder.use_fast_queries(1), "ONNX Runtime encoder unavailable"
    rows["question embedding, ONNX Runtime fp32"] = timed(embedder.embed_query, questions, args.rounds)
    vectors = {q: embedder.embed_query(q) for q in questions}
    cosines = [float(vectors[q] @ torch_vectors[q]) for q in questions]
    rows["retrieval (Chroma + BM25 + fusion + chunk fetch)"] = timed(
        lambda q: engine.retrieve(q, engine.settings.answer.quote_chunks, vector=vectors[q]), questions, args.rounds)
    folders = Counter(d.id.split("/")[0] + "/" for d in engine.documents() if "/" in d.id)
    within = [folders.most_common(1)[0][0]] if folders else []  # the largest folder
    if within:  # asking within chosen documents: the names resolved each time, as each question does
        rows[f"retrieval within {within[0]} (scope resolved, then retrieval)"] = timed(
            lambda q: engine.retrieve(q, engine.settings.answer.quote_chunks, vector=vectors[q],
                                      scope=engine.scope(within)), questions, args.rounds)
    engine.serving(engine.settings.runtime.reader_threads)
    reader, n = engine.reader(), engine.calibration.candidates if engine.calibration else 8
    passages = {q: [reader_passage(s) for s in candidate_sentences(engine.retrieve(q, engine.settings.answer.quote_chunks,
                                                                          vector=vectors[q]))][:n] for q in questions}
    rows[f"reading model, {n} candidate sentences"] = timed(lambda q: reader.logits(q, passages[q]), questions,
                                                           args.rounds)
    with_reader, without = [], []
    for i in range(args.rounds):  # interleaved, so that load from elsewhere hits both alike
        q = questions[i % len(questions)]
        for read, into in ((True, with_reader), (False, without)):
            started = time.perf_counter()
            engine.ask(q, read=read)
            into.append((time.perf_counter() - started) * 1000)
    rows["Engine.ask, logistic quote model only (baseline)"] = _percentiles(without)
    rows["Engine.ask, whole, with the reading model"] = _percentiles(with_reader)
    base = rows["question embedding, torch fp32 (baseline)"]["p50_ms"]
    fast = rows["question embedding, ONNX Runtime fp32"]["p50_ms"]
    result = {"chunks": engine.stats().chunks, "rows": rows, "encoder_speedup_p50": round(base / fast, 2),
              "encoder_min_cosine": round(min(cosines), 7), "questions": len(questions)}

    lines = [f"One thread for question embedding, {engine.settings.runtime.reader_threads} for the reading model, {result['chunks']:,} chunks, {len(questions)} questions, {args.rounds} timed calls each.", "",
             "| stage | p50 ms | p95 ms |", "|---|---|---|"]
    lines += [f"| {name} | {r['p50_ms']} | {r['p95_ms']} |" for name, r in rows.items()]
    lines += ["", f"ONNX Runtime vs torch question embedding: {result['encoder_speedup_p50']}x at p50, "
                  f"lowest cosine {result['encoder_min_cosine']}."]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "query.json").write_text(json.dumps(result, indent=2))
    (out / "query.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines), file=sys.stdout)


if __name__ == "__main__":
    main()
