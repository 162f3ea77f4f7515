"""Hybrid retrieval: dense (Chroma) and BM25 candidates fused by reciprocal rank.

Reciprocal rank fusion was chosen by measurement on SQuAD 2.0 (eval/README.md): it
needs no score calibration between a cosine and a BM25 scale and beat either retriever
alone on recall@k. The raw scores travel along for the decline decision.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rag.index import LexicalIndex, VectorIndex


@dataclass
class Candidate:
    chunk_id: str
    score: float  # fused
    dense: float = 0.0  # cosine, 0 when the dense retriever did not return it
    lexical: float = 0.0  # BM25
    dense_rank: int | None = None
    lexical_rank: int | None = None


def fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], rrf_k: int = 60,
         mode: str = "hybrid") -> list[Candidate]:
    found: dict[str, Candidate] = {}
    if mode in {"hybrid", "dense"}:
        for rank, (chunk_id, score) in enumerate(dense):
            cand = found.setdefault(chunk_id, Candidate(chunk_id, 0.0))
            cand.dense, cand.dense_rank = score, rank
            cand.score += 1.0 / (rrf_k + rank + 1)
    if mode in {"hybrid", "bm25"}:
        for rank, (chunk_id, score) in enumerate(lexical):
            cand = found.setdefault(chunk_id, Candidate(chunk_id, 0.0))
            cand.lexical, cand.lexical_rank = score, rank
            cand.score += 1.0 / (rrf_k + rank + 1)
    return sorted(found.values(), key=lambda c: -c.score)


class Retriever:
    def __init__(self, vectors: VectorIndex, lexicon: LexicalIndex, candidates: int = 20, rrf_k: int = 60):
        self.vectors, self.lexicon = vectors, lexicon
        self.candidates, self.rrf_k = candidates, rrf_k

    def retrieve(self, query: str, query_vector: np.ndarray, k: int, mode: str = "hybrid") -> list[Candidate]:
        n = max(k, self.candidates)
        dense = self.vectors.search(query_vector, n) if mode != "bm25" else []
        lexical = self.lexicon.search(query, n) if mode != "dense" else []
        return fuse(dense, lexical, self.rrf_k, mode)[:k]
