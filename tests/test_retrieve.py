"""Fusion of dense and BM25 candidates (rag/retrieve.py): pure functions, no fakes needed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rag.retrieve import fuse

DENSE = [("a", 0.90), ("b", 0.50), ("c", 0.49)]
BM25 = [("b", 12.0), ("c", 11.95), ("a", 11.9), ("d", 2.0)]


def test_convex_fusion_keeps_how_far_ahead_a_candidate_is():
    """'a' leads dense by a wide margin and is a hair behind 'b' on BM25: convex fusion ranks
    'a' first; reciprocal-rank fusion sees only ranks (a: 1st and 3rd, b: 2nd and 1st)."""
    assert [c.chunk_id for c in fuse(DENSE, BM25, rule="convex")][0] == "a"
    assert [c.chunk_id for c in fuse(DENSE, BM25, rule="rrf")][0] == "b"


def test_raw_scores_and_ranks_travel_along():
    (a,) = [c for c in fuse(DENSE, BM25) if c.chunk_id == "a"]
    assert (a.dense, a.dense_rank, a.lexical, a.lexical_rank) == (0.90, 0, 11.9, 2)


def test_a_single_or_tied_list_counts_as_full_score():
    fused = fuse([("only", 0.3)], [], mode="hybrid")
    assert [(c.chunk_id, c.score) for c in fused] == [("only", 0.5)]


def test_dense_weight_one_is_dense_order_and_zero_is_bm25_order():
    assert [c.chunk_id for c in fuse(DENSE, BM25, dense_weight=1.0)][:1] == ["a"]
    assert [c.chunk_id for c in fuse(DENSE, BM25, dense_weight=0.0)][:2] == ["b", "c"]


scores = st.lists(st.tuples(st.sampled_from("abcdefgh"), st.floats(-50, 50)), max_size=8,
                  unique_by=lambda pair: pair[0])


@given(scores, scores, st.sampled_from(["convex", "rrf"]), st.floats(0, 1))
def test_fused_scores_are_bounded_and_sorted(dense, lexical, rule, weight):
    dense = sorted(dense, key=lambda p: -p[1])
    lexical = sorted(lexical, key=lambda p: -p[1])
    fused = fuse(dense, lexical, rule=rule, dense_weight=weight)
    assert {c.chunk_id for c in fused} == {c for c, _ in dense} | {c for c, _ in lexical}
    assert all(a.score >= b.score for a, b in zip(fused, fused[1:]))
    assert all(-1e-9 <= c.score <= 1 + 1e-9 for c in fused)
