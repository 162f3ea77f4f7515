"""How to fuse BM25 and dense candidates, measured: a sweep over fusion rules at passage level.

SQuAD 2.0's dev part is written in BEIR's format (400 paragraphs as documents, 1,728
answerable questions, each with its paragraph as the relevant document; see
rag/evaluate/squad.py `write_beir`) and ingested once with the default settings. Each
question's dense and BM25 candidates (top 50 chunks each, as many as the engine takes) are fetched once; every rule
then ranks the same candidates, paragraphs by their best chunk. Rules (rag/retrieve.py
`fuse`): reciprocal-rank fusion with several k and BM25 weights, and a convex mix of
per-question min-max normalised scores with several dense weights. Writes eval/reports/fusion.{json,md}.

    python eval/fusion.py [--squad ../shared/datasets/squad2/squad2-dev-part.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.harness import SQUAD_DEV_PART, ingested, squad_beir, temporary_folder  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.evaluate.metrics import mean_metrics, ranking_metrics  # noqa: E402
from rag.index import LexicalIndex, VectorIndex  # noqa: E402
from rag.retrieve import fuse  # noqa: E402
from rag.store import Store  # noqa: E402


def rule(name: str, dense_weight: float, rrf_k: int = 60, mode: str = "hybrid"):
    """rag/retrieve.py's own fusion, as a function of the two lists giving chunk ids best first."""
    return lambda dense, lexical: [c.chunk_id for c in fuse(dense, lexical, rrf_k, mode, name, dense_weight)]


RULES = {
    "dense only": rule("convex", 0.5, mode="dense"),
    "bm25 only": rule("convex", 0.5, mode="bm25"),
    **{f"rrf k={k}": rule("rrf", 0.5, k) for k in (10, 30, 60, 100)},
    **{f"rrf k=60, bm25 x{w}": rule("rrf", 1 / (1 + w)) for w in (1.5, 2, 3)},
    **{f"convex, dense weight {w}": rule("convex", w) for w in (0.3, 0.4, 0.5, 0.6, 0.7)},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--squad", default=str(SQUAD_DEV_PART))
    parser.add_argument("--out", default=str(ROOT / "eval/reports"))
    parser.add_argument("--depth", type=int, default=Settings().answer.candidates,
                        help="candidates per retriever (the engine's RAG_CANDIDATES by default)")
    args = parser.parse_args()
    with temporary_folder() as tmp:
        corpus, dataset, graded = squad_beir(Path(args.squad), tmp)
        settings = Settings(data_dir=tmp / "data")
        with ingested(Engine(settings).serving(), corpus) as engine:
            questions = {q.id: engine.embed_query(q.question) for q in dataset}
            precision = engine.stats().precision
        # each retriever's own ranked list, read from the index files (fusion is what varies)
        store, dense, lexical = Store(settings.store_path), VectorIndex(settings), LexicalIndex(settings.bm25_dir)
        owner = store.chunk_documents(store.all_chunk_ids())
        fetched = [(q, dense.search(questions[q.id], args.depth), lexical.search(q.question, args.depth))
                   for q in dataset]
        store.close()
    rows = []
    for name, fused in RULES.items():
        per_query = []
        for q, dense, lexical in fetched:
            ranked: list[str] = []
            for chunk in fused(dense, lexical):
                if owner[chunk] not in ranked:
                    ranked.append(owner[chunk])
            per_query.append(ranking_metrics(ranked, graded[q.id]))
        rows.append({"rule": name, **mean_metrics(per_query)})
        print(rows[-1], flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "fusion.json").write_text(json.dumps({"queries": len(fetched), "documents": len(set(owner.values())),
                                                 "candidates_per_retriever": args.depth,
                                                 "document_precision": precision, "rows": rows}, indent=2))
    metrics = [m for m in rows[0] if m != "rule"]
    lines = ["| rule | " + " | ".join(metrics) + " |", "|---|" + "---|" * len(metrics)]
    lines += ["| " + r["rule"] + " | " + " | ".join(str(r[m]) for m in metrics) + " |" for r in rows]
    (out / "fusion.md").write_text(f"Fusion rules on SQuAD 2.0 paragraphs in BEIR format ({len(fetched)} questions, "
                                   f"{len(set(owner.values()))} paragraphs; documents embedded in {precision}; "
                                   f"{args.depth} candidates per retriever).\n\n"
                                   + "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
