"""Retrieval fidelity of each document precision against fp32, in one run.

The issue's bar for a faster encoder is embeddings within cosine 0.999 of fp32, or
retrieval nDCG@10 within 0.005 of fp32 on a BEIR set. No BEIR collection is available
offline here, so the set is SQuAD 2.0's dev part written in BEIR's format
(rag/evaluate/squad.py `write_beir`): the 400 paragraphs are the documents and each of the
1,728 answerable questions has its paragraph as the one relevant document. Each precision
ingests it into a fresh index (documents embedded at that precision, questions in fp32
as always) and is scored per retrieval mode; the chunk vectors are compared with fp32's.

    python eval/perf/fidelity.py [--squad ../shared/datasets/squad2/squad2-dev-part.json] [--precisions fp32,bf16,int8]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from eval.harness import SQUAD_DEV_PART, ingested, squad_beir, temporary_folder  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.evaluate.systems import retrieval  # noqa: E402
from rag.index import VectorIndex  # noqa: E402
from rag.store import Store  # noqa: E402


def chunk_vectors(settings: Settings) -> dict[str, np.ndarray]:
    """Every chunk's stored vector, read from the index's own files."""
    store = Store(settings.store_path)
    try:
        return VectorIndex(settings).vectors(store.all_chunk_ids())
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--squad", default=str(SQUAD_DEV_PART))
    parser.add_argument("--precisions", default="fp32,bf16,int8")
    parser.add_argument("--out", default=str(ROOT / "eval/perf/results"))
    args = parser.parse_args()
    with temporary_folder() as tmp:
        corpus, dataset, graded = squad_beir(Path(args.squad), tmp)
        rows, reference = [], None
        for precision in args.precisions.split(","):
            settings = Settings(data_dir=tmp / precision, precision=precision)
            engine = ingested(Engine(settings).serving(), corpus)
            vectors = chunk_vectors(settings)
            scores = retrieval(engine, dataset, graded)
            row = {"precision": precision, "encoder": engine.stats().document_encoder,
                   **{f"{mode} ndcg@10": scores[mode]["ndcg@10"] for mode in ("dense", "hybrid", "bm25")},
                   **{f"{mode} recall@10": scores[mode]["recall@10"] for mode in ("dense", "hybrid")}}
            if reference is None:
                reference = (row, vectors)
            cos = np.array([float(vectors[k] @ reference[1][k]) for k in reference[1]])
            row |= {"cosine min": round(float(cos.min()), 5), "cosine mean": round(float(cos.mean()), 6),
                    **{f"{mode} ndcg@10 - {reference[0]['precision']}": round(row[f"{mode} ndcg@10"]
                                                                              - reference[0][f"{mode} ndcg@10"], 4)
                       for mode in ("dense", "hybrid")}}
            rows.append(row)
            print(row, flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "fidelity.json").write_text(json.dumps({"documents": 400, "queries": len(dataset), "rows": rows}, indent=2))
    header = list(rows[0])
    for row in rows[1:]:
        header += [k for k in row if k not in header]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(row.get(k, "")) for k in header) + " |" for row in rows]
    (out / "fidelity.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
