"""Scale-out mode: a real `chroma run` server on 127.0.0.1, reached through RAG_CHROMA_URL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from rag.config import Settings
from rag.engine import Engine
from tests.conftest import free_port, small_corpus


@pytest.fixture
def chroma_url(tmp_path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    proc = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.server
def test_ingest_and_ask_through_a_chroma_server(tmp_path, chroma_url, monkeypatch):
    monkeypatch.setenv("RAG_CHROMA_URL", chroma_url)
    settings = Settings(data_dir=tmp_path / "data", precision="fp32")
    assert settings.index.chroma_url == chroma_url
    engine = Engine(settings)
    report = engine.ingest(small_corpus(tmp_path / "corpus"))
    assert not report.failed and engine.stats().vector_store == chroma_url
    assert not (settings.data_dir / "chroma").exists()  # no embedded store was made
    answer = engine.ask("How much did the Riverside library renovation cost?")
    assert "roughly 4.2 million euros" in answer.quotes[0].text
    stats = engine.stats()
    assert stats.vectors == stats.chunks
    os.environ.pop("RAG_CHROMA_URL", None)


@pytest.mark.server
def test_asking_within_documents_through_a_chroma_server(tmp_path, chroma_url, monkeypatch):
    """The scope reaches the server as a `where` on the document_id metadata."""
    from tests.test_scope import LIBRARY, LIBRARY_PAGE, NORSE

    monkeypatch.setenv("RAG_CHROMA_URL", chroma_url)
    engine = Engine(Settings(data_dir=tmp_path / "data", precision="fp32"))
    assert not engine.ingest(small_corpus(tmp_path / "corpus")).failed
    hits = engine.search(NORSE, k=10, mode="dense", documents=[LIBRARY_PAGE, "wikipedia/1973-oil-crisis"])
    assert hits and {h.document_id for h in hits} <= {LIBRARY_PAGE, "wikipedia/1973-oil-crisis"}
    answer = engine.ask(LIBRARY, documents=[LIBRARY_PAGE])
    assert {q.document_id for q in answer.quotes} == {LIBRARY_PAGE} and "4.2 million" in answer.quotes[0].text
    assert engine.document(LIBRARY_PAGE).text[answer.quotes[0].start:answer.quotes[0].end] == answer.quotes[0].text
    assert not engine.ask(LIBRARY, documents=["wikipedia/"]).answered
    assert engine.ask(NORSE, documents=[d.id for d in engine.documents()]) == engine.ask(NORSE)


@pytest.mark.server
def test_large_scopes_through_a_chroma_server(tmp_path, chroma_url, monkeypatch):
    """Every way a scope reaches the server (the unfiltered query widened, the scope's vectors
    fetched, the filter in parts, 40,000 names) keeps to it, as tests/test_scope_large.py embedded."""
    from tests.test_scope_large import check_large_scopes, ledger_corpus

    monkeypatch.setenv("RAG_CHROMA_URL", chroma_url)
    settings = Settings(data_dir=tmp_path / "data", precision="fp32")
    with Engine(settings) as engine:
        assert not engine.ingest(ledger_corpus(tmp_path / "ledger")).failed
        check_large_scopes(engine, settings, monkeypatch)
