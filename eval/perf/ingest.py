"""Ingest throughput against a plain fp32 sentence-transformers baseline, in one run.

The baseline is `SentenceTransformer.encode` (fp32, batch 32) of exactly the chunk texts
Attest indexes. Each Attest variant runs the whole ingest path (parse, clean, chunk,
embed chunks and sentences, write Chroma, SQLite and BM25) into a fresh data dir, and
its embeddings are compared with fp32 by cosine. Ratios > 1 mean faster than baseline.

    python eval/perf/ingest.py [--corpus corpus/] [--out eval/perf/results]
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from rag.config import Settings
from rag.embed import Embedder, _model, native_bf16
from rag.engine import Engine
from rag.ingest.chunk import chunk_document
from rag.ingest.load import load_bytes
from rag.ingest.pipeline import corpus_files


def chunk_texts(corpus: Path) -> list[str]:
    texts = []
    for path in corpus_files(corpus):
        try:
            documents = load_bytes(path.read_bytes(), path.relative_to(corpus).as_posix())
        except Exception:
            continue
        for document in documents:
            texts += [f"{document.title}\n{c.text}" for c in chunk_document(document, Settings().chunk_words)]
    return texts


def baseline(texts: list[str]) -> tuple[float, np.ndarray]:
    model = _model()
    model.encode(texts[:32], batch_size=32)  # warm-up
    started = time.perf_counter()
    vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    return time.perf_counter() - started, vectors


def full_ingest(corpus: Path, precision: str, batch_size: int) -> tuple[float, int, Engine]:
    folder = Path(tempfile.mkdtemp(prefix=f"attest-bench-{precision}-"))
    engine = Engine(Settings(data_dir=folder, precision=precision, batch_size=batch_size))
    started = time.perf_counter()
    report = engine.ingest(corpus)
    return time.perf_counter() - started, report.chunks, engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", default="corpus")
    parser.add_argument("--out", default="eval/perf/results")
    parser.add_argument("--variants", default="fp32:32,fp32:64,fp32:16" + (",bf16:32" if native_bf16() else ""))
    args = parser.parse_args()
    corpus = Path(args.corpus)
    texts = chunk_texts(corpus)
    base_s, reference = baseline(texts)
    base_rate = len(texts) / base_s
    rows = [{"variant": "baseline: sentence-transformers fp32 encode of the chunks", "seconds": round(base_s, 2),
             "chunks_per_s": round(base_rate, 1), "ratio": 1.0, "cosine_min": 1.0}]
    print(f"baseline: {len(texts)} chunks in {base_s:.1f}s = {base_rate:.1f} chunks/s")
    for variant in args.variants.split(","):
        precision, batch = variant.split(":")
        seconds, chunks, engine = full_ingest(corpus, precision, int(batch))
        vectors = Embedder(precision, int(batch)).embed(texts[:256])
        cosine = float(np.min(np.sum(vectors * reference[:256], axis=1)))
        rate = chunks / seconds
        rows.append({"variant": f"Attest full ingest, {precision}, batch {batch} (chunks + sentence vectors)",
                     "seconds": round(seconds, 2), "chunks_per_s": round(rate, 1),
                     "ratio": round(rate / base_rate, 3), "cosine_min": round(cosine, 6)})
        print(rows[-1])
        shutil.rmtree(engine.settings.data_dir, ignore_errors=True)
    result = {"machine": f"{platform.processor() or platform.machine()}, {_cpus()} CPUs, "
                         f"native bf16: {native_bf16()}", "corpus": str(corpus), "chunks": len(texts), "rows": rows}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "ingest.json").write_text(json.dumps(result, indent=2))
    lines = ["| variant | s | chunks/s | ratio vs baseline | min cosine vs fp32 |", "|---|---|---|---|---|"]
    lines += [f"| {r['variant']} | {r['seconds']} | {r['chunks_per_s']} | {r['ratio']} | {r['cosine_min']} |" for r in rows]
    (out / "ingest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
