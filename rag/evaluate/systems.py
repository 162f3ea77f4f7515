"""The systems one eval run compares, each a function question → Answer over the same index.

Attest is hybrid retrieval plus quote selection. The baselines change one thing each:
BM25-only and dense-only retrieval (same quote selection), and "top chunk", which quotes
the first retrieved chunk whole and never declines. On conversations two more: "question
alone" (the history dropped) and "previous question" (the rule before rag/followup/:
the last user question appended when the follow-up has a pronoun or few words). Every baseline still cites through
`Quote.cite`, so faithfulness holds for all of them and only quality differs.
"""

from __future__ import annotations

from typing import Callable

import re

from rag import followup
from rag.engine import Engine
from rag.evaluate.metrics import mean_metrics, ranking_metrics
from rag.evaluate.squad import EvalQuestion
from rag.types import Answer, Quote, Turn

MAIN = "Attest"
System = Callable[[str, list[Turn]], Answer]
MODES = ("bm25", "dense", "hybrid", "hybrid+reader")  # the last: hybrid, reranked by the reading model (Engine.search)


_ANAPHORA = re.compile(
    r"\b(it|its|they|them|their|this|that|these|those|he|she|his|her|there|such|the same)\b", re.I)


def previous_question(question: str, history: list[Turn]) -> str:
    """The rule rag/followup/ replaced, kept as a baseline: the question, plus the last
    user question when this one has a pronoun or five words or fewer."""
    earlier = [t.content for t in history if t.role == "user" and t.content.strip() != question.strip()]
    if not earlier:
        return question
    leans = _ANAPHORA.search(question) or len(question.split()) <= 5
    return f"{question} {earlier[-1]}" if leans else question


def resolved_query(engine: Engine, question: str, history: list[Turn]) -> str:
    return followup.resolve(question, history, engine.quoted).query


def top_chunk(engine: Engine) -> System:
    def answer(question: str, history: list[Turn]) -> Answer:
        query = resolved_query(engine, question, history)
        hits = engine.retrieve(query, 1, "hybrid")
        if not hits:  # an empty index: nothing to quote
            return Answer(question=question, answered=False, query=query)
        cand, chunk, document = hits[0]
        return Answer(question=question, answered=True, query=query, confidence=round(cand.score, 4),
                      quotes=[Quote.cite(document, chunk.start, chunk.end, cand.score)])
    return answer


def systems(engine: Engine, baselines: bool, conversations: bool = False) -> dict[str, System]:
    """Attest first; then the baselines when asked for (and the conversation ones)."""
    out: dict[str, System] = {MAIN: lambda q, h: engine.ask(q, history=h, mode="hybrid")}
    if baselines:
        out["bm25-only"] = lambda q, h: engine.ask(q, history=h, mode="bm25")
        out["dense-only"] = lambda q, h: engine.ask(q, history=h, mode="dense")
        out["top-chunk"] = top_chunk(engine)
        if conversations:
            out["question-alone"] = lambda q, h: engine.ask(q)
            out["previous-question"] = lambda q, h: engine.ask(previous_question(q, h)).model_copy(
                update={"question": q})
    return out


def ranked_documents(engine: Engine, query: str, mode: str, vector, depth: int = 10,
                     chunks: int = 50) -> list[str]:
    """Document ids in order of their best chunk, the first `depth` distinct ones: more chunks
    are fetched while documents of many chunks fill the first ones (up to 16 times as many)."""
    while True:
        if mode == "hybrid+reader":
            ids = [hit.document_id for hit in engine.search(query, chunks, "hybrid", read=True, vector=vector)]
        else:
            ids = [chunk.document_id for _, chunk, _ in engine.retrieve(query, chunks, mode, vector=vector)]
        seen = list(dict.fromkeys(ids))[:depth]
        if len(seen) == depth or len(ids) < chunks or chunks >= 800:
            return seen
        chunks *= 4


def retrieval(engine: Engine, dataset: list[EvalQuestion], graded: dict[str, dict[str, float]] | None = None,
              modes: tuple[str, ...] = MODES) -> dict[str, dict]:
    """recall@1/5/10, MRR@10 and nDCG@10 per retrieval mode, over questions with gold documents.

    Relevance is BEIR's graded qrels where given, else 1 for each gold document."""
    judged = [q for q in dataset if q.gold_document_ids or (graded or {}).get(q.id)]
    if not judged:
        return {}
    out = {}
    queries = {q.id: resolved_query(engine, q.question, [Turn(**t) for t in q.history]) for q in judged}
    vectors = {q.id: engine.embed_query(queries[q.id]) for q in judged}
    for mode in modes if engine.calibration is not None else [m for m in modes if m != "hybrid+reader"]:
        rows = []
        for q in judged:
            relevant = (graded or {}).get(q.id) or {d: 1.0 for d in q.gold_document_ids}
            ranked = ranked_documents(engine, queries[q.id], mode, vectors[q.id] if mode != "bm25" else None)
            rows.append(ranking_metrics(ranked, relevant))
        out[mode] = mean_metrics(rows)
        out[mode]["queries"] = len(rows)
    return out
