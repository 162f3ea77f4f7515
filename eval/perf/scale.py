"""How search and ask cost grows with the index: 10k → 100k → 1M chunks.

Synthetic documents (10 chunks of 2 sentences each, words drawn from corpus/'s vocabulary)
with random unit vectors for chunks and sentences are written straight into the store,
Chroma and BM25; the questions and their embeddings stay real. For each size the real
API (`rag serve`, its own process) answers sequential /v1/search and /v1/ask requests;
we report p50/p95, the server's resident memory, disk and build time. The same run is
repeated against a local `chroma run` server for the sizes given to --chroma-server.

    python eval/perf/scale.py --sizes 10000,100000,1000000 [--chroma-server 10000,100000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from rag.config import Settings
from rag.embed import DIMENSIONS
from rag.engine import Engine
from rag.index import VectorIndex
from rag.store import Store
from rag.types import Chunk, Document

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from eval.harness import chroma_run, rag_serve, stop  # noqa: E402
CHUNKS_PER_DOC = 10


def vocabulary() -> list[str]:
    words = re.findall(r"[A-Za-z][a-z]{2,}", " ".join(p.read_text() for p in (ROOT / "corpus").rglob("*.md")))
    return sorted(set(words))


def synthetic_document(i: int, rng: np.random.Generator, words: list[str],
                       folder_docs: int = 0) -> tuple[Document, list[Chunk]]:
    """Document i, with id synthetic/{i}, or synthetic/{folder}/{i} in folders of folder_docs."""
    sentences, spans, text = [], [], ""
    for _ in range(CHUNKS_PER_DOC * 2):
        sentence = " ".join(words[j] for j in rng.integers(0, len(words), rng.integers(10, 30))).capitalize() + "."
        start = len(text) + (1 if text else 0)
        text = f"{text} {sentence}" if text else sentence
        spans.append((start, start + len(sentence)))
        sentences.append(sentence)
    doc_id = f"synthetic/{i // folder_docs:03d}/{i:07d}" if folder_docs else f"synthetic/{i:07d}"
    document = Document(id=doc_id, title=f"Synthetic {i}", source="", path=f"{doc_id}.txt",
                        content_hash=hashlib.sha256(text.encode()).hexdigest(), text=text)
    chunks = [Chunk(id=f"{doc_id}::{c}", document_id=doc_id, ordinal=c, start=spans[2 * c][0],
                    end=spans[2 * c + 1][1], text=text[spans[2 * c][0]:spans[2 * c + 1][1]],
                    sentences=[spans[2 * c], spans[2 * c + 1]]) for c in range(CHUNKS_PER_DOC)]
    return document, chunks


def unit(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, DIMENSIONS)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def build(settings: Settings, chunks_total: int, corpus: Path, folder_docs: int = 0) -> float:
    """The real corpus (so real questions have answers) plus synthetic chunks up to the size
    (in folders of folder_docs documents when given)."""
    started = time.perf_counter()
    with Engine(settings) as engine:
        engine.ingest(corpus)
        have = engine.stats().chunks
    # synthetic documents go straight into the store and the vector index (their vectors are
    # random units: embedding a million chunks is not what this measures)
    store, vectors = Store(settings.store_path), VectorIndex(settings)
    rng, words = np.random.default_rng(7), vocabulary()
    docs = max(0, (chunks_total - have) // CHUNKS_PER_DOC)
    batch_ids, batch_docs = [], []
    for i in range(docs):
        document, chunks = synthetic_document(i, rng, words, folder_docs)
        sentence_vectors = {c.id: unit(rng, 2) for c in chunks}
        store.put(document, chunks, sentence_vectors)
        batch_ids += [c.id for c in chunks]
        batch_docs += [document.id] * len(chunks)
        if len(batch_ids) >= 20_000 or i == docs - 1:
            vectors.add(batch_ids, unit(rng, len(batch_ids)), batch_docs)
            batch_ids, batch_docs = [], []
            print(f"  {store.count()[1]:,} chunks", file=sys.stderr, flush=True)
    store.close()
    Engine(settings).close()  # opening the engine rebuilds BM25 from the grown store
    return time.perf_counter() - started


def disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def rss_mb(pid: int) -> tuple[float, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    value = {k: int(re.search(rf"{k}:\s+(\d+)", status).group(1)) / 1024 for k in ("VmRSS", "VmHWM")}
    return value["VmRSS"], value["VmHWM"]


def serve(settings: Settings, port: int) -> subprocess.Popen:
    return rag_serve(port, {"RAG_DATA_DIR": str(settings.data_dir), "RAG_CHROMA_URL": settings.index.chroma_url,
                            "RAG_PRECISION": "fp32"})


def percentiles(ms: list[float]) -> dict:
    return {"p50_ms": round(float(np.percentile(ms, 50)), 1), "p95_ms": round(float(np.percentile(ms, 95)), 1)}


def measure(port: int, questions: list[str], rounds: int) -> dict:
    out = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for path, body in (("/v1/search", lambda q: {"query": q, "k": 5}), ("/v1/ask", lambda q: {"question": q})):
            for q in questions[:5]:
                client.post(path, json=body(q))  # warm-up
            times, errors = [], 0
            for r in range(rounds):
                q = questions[r % len(questions)]
                started = time.perf_counter()
                response = client.post(path, json=body(q))
                times.append((time.perf_counter() - started) * 1000)
                errors += response.status_code != 200
            out[path] = {**percentiles(times), "errors": errors, "requests": rounds}
    return out


def questions_and_real_text() -> tuple[list[str], Path]:
    """The team set's questions asked without a conversation, and a new folder holding two real
    articles to index beside the synthetic documents, so that the questions get real answers."""
    questions = [json.loads(line)["question"] for line in (ROOT / "eval/datasets/corpus_questions.jsonl").open()
                 if not json.loads(line)["history"]]
    real = Path(tempfile.mkdtemp(prefix="attest-real-"))
    for name in ("normans.md", "steam-engine.md"):
        shutil.copy(ROOT / "corpus/wikipedia" / name, real / name)
    return questions, real


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--chroma-server", default="", help="sizes to also measure on a local `chroma run`, e.g. 10000,100000")
    parser.add_argument("--out", default="eval/perf/results")
    args = parser.parse_args()
    questions, real = questions_and_real_text()
    server_sizes = {int(s) for s in args.chroma_server.split(",") if s}
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        for mode in ["embedded"] + (["chroma-server"] if size in server_sizes else []):
            folder = Path(tempfile.mkdtemp(prefix=f"attest-scale-{size}-"))
            helper = None
            settings = Settings(data_dir=folder / "data", precision="fp32")
            if mode == "chroma-server":
                helper = chroma_run(folder / "chroma-server", 8771)
                settings = Settings(data_dir=folder / "data", precision="fp32", chroma_url="http://127.0.0.1:8771")
            print(f"building {size:,} chunks ({mode})", file=sys.stderr, flush=True)
            build_s = build(settings, size, real)
            server = serve(settings, 8772)
            try:
                result = measure(8772, questions, args.rounds)
                rss, peak = rss_mb(server.pid)
            finally:
                stop(server)
            if helper:
                rss += rss_mb(helper.pid)[0]
                helper.terminate()
                helper.wait(30)
            row = {"chunks": size, "vector_store": mode, "build_s": round(build_s, 1),
                   "server_rss_mb": round(rss, 0), "disk_mb": round(disk_bytes(folder) / 2**20, 0),
                   "search": result["/v1/search"], "ask": result["/v1/ask"]}
            print(json.dumps(row), flush=True)
            rows.append(row)
            shutil.rmtree(folder, ignore_errors=True)
    write(rows, Path(args.out))


def write(rows: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(rows, indent=2))
    lines = ["| chunks | vector store | /v1/search p50 | p95 | /v1/ask p50 | p95 | errors | server RSS MB | disk MB | build s |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['chunks']:,} | {r['vector_store']} | {r['search']['p50_ms']} | {r['search']['p95_ms']} | "
                     f"{r['ask']['p50_ms']} | {r['ask']['p95_ms']} | {r['search']['errors'] + r['ask']['errors']} | "
                     f"{r['server_rss_mb']:.0f} | {r['disk_mb']:.0f} | {r['build_s']} |")
    (out / "scale.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for mode in sorted({r["vector_store"] for r in rows}):
        part = [r for r in rows if r["vector_store"] == mode]
        x = [r["chunks"] for r in part]
        for key, style in (("search", "-o"), ("ask", "--s")):
            left.plot(x, [r[key]["p95_ms"] for r in part], style, label=f"{key} p95 ({mode})")
        right.plot(x, [r["server_rss_mb"] for r in part], "-o", label=f"RSS MB ({mode})")
        right.plot(x, [r["disk_mb"] for r in part], "--s", label=f"disk MB ({mode})")
    for ax, title in ((left, "latency (ms)"), (right, "memory and disk (MB)")):
        ax.set_xscale("log")
        ax.set_xlabel("chunks")
        ax.set_title(title)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "scale.png", dpi=110)


if __name__ == "__main__":
    main()
