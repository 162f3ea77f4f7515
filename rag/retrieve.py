"""Hybrid retrieval: dense (Chroma) and BM25 candidates, fused.

The default fusion is a convex mix of each retriever's scores, min-max normalised over
its own candidates for the question (0.5 each), because reciprocal-rank fusion throws away
how far ahead a top candidate is; it retrieves better than RRF and either retriever alone
(eval/reports/fusion.md, docs/design.md). RRF stays selectable (RAG_FUSION=rrf). The raw
scores travel along for the decline decision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rag.index import LexicalIndex, VectorIndex
from rag.scope import Scope


# Scoped dense retrieval (Retriever.dense): the widest unfiltered query read for a scope, as
# a multiple of the candidates it expects; and the most chunks ranked over fetched vectors.
WIDEN, WIDEST, EXACT_CHUNKS = 3.0, 400, 500


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
        dense = self.dense(query_vector, n, scope) if mode != "bm25" else []
        lexical = self.lexicon.search(query, n, None if scope is None else scope.chunk_ids) if mode != "dense" else []
        return fuse(dense, lexical, self.rrf_k, mode, self.fusion, self.dense_weight)[:k]

    def dense(self, query_vector: np.ndarray, n: int, scope: Scope | None = None) -> list[tuple[str, float]]:
        """The n nearest chunks, of the scope's only when given, by the cheapest of three ways
        that return only scope chunks. Chroma's filtered query costs many unfiltered ones on a
        large index, for one document as for thousands (docs/performance.md), so: a scope
        holding a good share of the index is read off the unfiltered query, widened to expect
        n of its chunks; a scope of few chunks is ranked exactly over their vectors; otherwise,
        or when the widened query did not hold n, Chroma filters as before."""
        if scope is None:
            return self.vectors.search(query_vector, n)
        chunks = scope.chunk_ids
        share = len(chunks) / max(len(self.lexicon.ids), len(chunks), 1)  # BM25 holds every chunk id
        wide = math.ceil(WIDEN * n / share) if chunks else WIDEST + 1
        if wide <= WIDEST:
            found = [hit for hit in self.vectors.search(query_vector, max(wide, n)) if hit[0] in chunks]
            if len(found) >= n:
                return found[:n]
        if len(chunks) <= EXACT_CHUNKS:
            return self.vectors.nearest_of(query_vector, n, chunks)
        return self.vectors.search(query_vector, n, scope.document_ids)
