"""Hybrid retrieval: dense (Chroma) and BM25 candidates, fused.

The default fusion is a convex mix of each retriever's scores, min-max normalised over
its own candidates for the question (0.5 each), because reciprocal-rank fusion throws away
how far ahead a top candidate is; it retrieves better than RRF and either retriever alone
(eval/reports/fusion.md, docs/design.md). RRF stays selectable (RAG_FUSION=rrf). The raw
scores travel along for the decline decision.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rag.index import LexicalIndex, VectorIndex
from rag.scope import Scope


@dataclass
class Candidate:
    chunk_id: str
    score: float  # fused
    dense: float = 0.0  # cosine, 0 when the dense retriever did not return it
    lexical: float = 0.0  # BM25
    dense_rank: int | None = None
    lexical_rank: int | None = None


def fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], rrf_k: int = 60,
         mode: str = "hybrid", rule: str = "convex", dense_weight: float = 0.5) -> list[Candidate]:
    """Candidates of both lists, best first, scored dense_weight * (dense part) +
    (1 - dense_weight) * (BM25 part). convex: a part is the list's score min-max scaled
    over its candidates (1 when they all tie); rrf: 1 / (rrf_k + rank + 1). Absent: 0."""
    found: dict[str, Candidate] = {}
    lists = [(dense, dense_weight, "dense")] if mode in {"hybrid", "dense"} else []
    lists += [(lexical, 1.0 - dense_weight, "lexical")] if mode in {"hybrid", "bm25"} else []
    for pairs, weight, kind in lists:
        scores = np.array([score for _, score in pairs], dtype=np.float64)
        low, span = (float(scores.min()), float(np.ptp(scores))) if len(pairs) else (0.0, 0.0)
        for rank, (chunk_id, score) in enumerate(pairs):
            cand = found.setdefault(chunk_id, Candidate(chunk_id, 0.0))
            setattr(cand, kind, score)
            setattr(cand, f"{kind}_rank", rank)
            if rule == "convex":
                cand.score += weight * ((score - low) / span if span else 1.0)
            else:
                cand.score += weight / (rrf_k + rank + 1)
    return sorted(found.values(), key=lambda c: -c.score)


class Retriever:
    def __init__(self, vectors: VectorIndex, lexicon: LexicalIndex, candidates: int = 20, rrf_k: int = 60,
                 fusion: str = "convex", dense_weight: float = 0.5):
        self.vectors, self.lexicon = vectors, lexicon
        self.candidates, self.rrf_k, self.fusion, self.dense_weight = candidates, rrf_k, fusion, dense_weight

    def retrieve(self, query: str, query_vector: np.ndarray, k: int, mode: str = "hybrid",
                 scope: Scope | None = None) -> list[Candidate]:
        """The k best candidates; with a scope, both retrievers keep to its documents."""
        n = max(k, self.candidates)
        documents, chunks = (None, None) if scope is None else (scope.document_ids, scope.chunk_ids)
        dense = self.vectors.search(query_vector, n, documents) if mode != "bm25" else []
        lexical = self.lexicon.search(query, n, chunks) if mode != "dense" else []
        return fuse(dense, lexical, self.rrf_k, mode, self.fusion, self.dense_weight)[:k]
