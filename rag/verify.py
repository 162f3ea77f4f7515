"""Check that the store, Chroma and BM25 hold the same chunks; with repair, make them agree.

The store is the truth: vectors without a stored chunk are deleted, stored documents
missing vectors are re-embedded, and BM25 is rebuilt from the store.
"""

from __future__ import annotations

from rag.engine import Engine
from rag.ingest.pipeline import IngestReport


def verify(engine: Engine, repair: bool = False) -> dict:
    stored = set(engine.store.all_chunk_ids())
    vectors = set(engine.vectors.ids())
    engine.lexicon.load()
    lexical = set(engine.lexicon.ids)
    orphans = sorted(vectors - stored)
    missing = sorted(stored - vectors)
    bm25_drift = len(lexical ^ stored)
    report = {"chunks": len(stored), "vectors": len(vectors), "bm25": len(lexical),
              "orphan_vectors": orphans[:50], "missing_vectors": missing[:50],
              "bm25_drift": bm25_drift, "ok": not (orphans or missing or bm25_drift)}
    if repair and not report["ok"]:
        with engine.write_lock:
            engine.vectors.delete_ids(orphans)
            documents = sorted({cid.rsplit("::", 1)[0] for cid in missing})
            docs = [d for d in (engine.store.get(i) for i in documents) if d is not None]
            if docs:
                engine.ingestor.write(docs, IngestReport())
            engine._sync_lexicon(force=True)
        report["repaired"] = True
    return report
