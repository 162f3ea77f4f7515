"""No process serves stale text (issue 22, item 2), tested with two real processes: a
server (real uvicorn, its own Engine) reads documents, then `rag ingest --prune` in a
separate process rewrites one file and prunes another. The server must serve the new
text at once, cut chunks from it, and no longer find the pruned document."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from rag.api.app import create_app
from rag.config import Settings
from rag.engine import Engine
from tests.conftest import ROOT, running

OLD = "The Fenmoor ferry leaves the harbour at nine in the morning."
NEW = ("Since the timetable changed, the Fenmoor ferry leaves the harbour at half past ten, "
       "an hour and a half later than before, and returns at six in the evening.")


def test_a_server_never_serves_text_another_process_replaced(tmp_path):
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(OLD)
    (corpus / "pruned.txt").write_text("This note about the old pier will be pruned.")
    engine = Engine(Settings(data_dir=data, precision="fp32"))
    assert not engine.ingest(corpus).failed
    with running(create_app(Settings(data_dir=data), engine=engine)) as base:
        assert httpx.get(f"{base}/v1/documents/ferry.txt").json()["text"] == OLD  # now cached
        assert httpx.get(f"{base}/v1/documents/pruned.txt").status_code == 200
        hits = httpx.post(f"{base}/v1/search", json={"query": "ferry harbour", "k": 3, "mode": "bm25"}).json()
        assert hits[0]["text"] == OLD

        (corpus / "ferry.txt").write_text(NEW)
        (corpus / "pruned.txt").unlink()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RAG_PRECISION": "fp32"}
        other = subprocess.run([sys.executable, "-m", "rag.cli", "--data-dir", str(data), "ingest",
                                str(corpus), "--prune", "--json"], env=env, capture_output=True, text=True,
                               timeout=600)
        assert other.returncode == 0, other.stderr[-2000:]

        assert httpx.get(f"{base}/v1/documents/ferry.txt").json()["text"] == NEW
        assert httpx.get(f"{base}/v1/documents/pruned.txt").status_code == 404
        hits = httpx.post(f"{base}/v1/search", json={"query": "ferry harbour", "k": 3, "mode": "bm25"}).json()
        assert [h["document_id"] for h in hits] == ["ferry.txt"]
        assert hits[0]["text"] == NEW[hits[0]["start"]:hits[0]["end"]]
        answer = httpx.post(f"{base}/v1/ask", json={"question": "When does the Fenmoor ferry leave?"},
                            timeout=120).json()
        for quote in answer["quotes"] + answer["related"]:
            assert quote["text"] == NEW[quote["start"]:quote["end"]]
    engine.close()
