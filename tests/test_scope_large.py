"""Large scopes on real Chroma (embedded here; tests/test_chroma_server.py runs the same checks
through a `chroma run` server): whichever way dense retrieval keeps to a scope
(rag/retrieve.py `Retriever.dense`: the unfiltered query widened, exact ranking over the
scope's vectors, or Chroma's filter sent in parts), only the scope's chunks come back, and the
same ones, in the same order, as Chroma's filter alone gave before."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag import index, retrieve
from rag.config import Settings
from rag.engine import Engine
from rag.index import VectorIndex
from rag.retrieve import Retriever

MANY, FEW = 48, 12  # documents under many/ and few/
QUESTION = "How much did the copper crate weigh when it left the harbour?"


def ledger_corpus(folder: Path) -> Path:
    """MANY + FEW one-chunk documents alike enough that every one is a dense candidate."""
    for prefix, count in (("many", MANY), ("few", FEW)):
        (folder / prefix).mkdir(parents=True, exist_ok=True)
        for i in range(count):
            (folder / prefix / f"{i:03d}.txt").write_text(
                f"Ledger {prefix} {i} records that a copper crate left harbour {i} on day {i + 3}. "
                f"The crate weighed {40 + i} kilograms when it left the harbour.\n")
    return folder


def filtered_only(retriever: Retriever, vector: np.ndarray, n: int, scope=None) -> list[tuple[str, float]]:
    """Dense retrieval before Retriever.dense chose its way: Chroma's document_id filter, always."""
    return retriever.vectors.search(vector, n, None if scope is None else scope.document_ids)


def dense_hits(engine: Engine, names: list[str]) -> list[tuple[str, str, float]]:
    return [(h.document_id, h.chunk_id, h.score) for h in engine.search(QUESTION, k=20, mode="dense", documents=names)]


def check_large_scopes(engine: Engine, settings: Settings, monkeypatch) -> None:
    """Each scope by each way: only its documents, the same hits and answer as the filter alone."""
    everything = sorted(d.id for d in engine.documents())
    few = [d for d in everything if d.startswith("few/")]
    scopes = {"a prefix over most of the index": ["many/"], "three documents": few[1:10:4],
              "every document by id": everything}
    ways = {"chosen": {}, "filter in parts": {"WIDEST": 0, "EXACT_CHUNKS": 0, "WHERE_IDS": 7},
            "exact over vectors": {"WIDEST": 0, "EXACT_CHUNKS": 10_000}}
    with monkeypatch.context() as patch:
        patch.setattr(Retriever, "dense", filtered_only)
        before = {name: (dense_hits(engine, names), engine.ask(QUESTION, documents=names))
                  for name, names in scopes.items()}
    for way, constants in ways.items():
        with monkeypatch.context() as patch:
            for constant, value in constants.items():
                patch.setattr(index if constant == "WHERE_IDS" else retrieve, constant, value)
            for name, names in scopes.items():
                scope = engine.scope(names)
                hits, answer = dense_hits(engine, names), engine.ask(QUESTION, documents=names)
                assert hits and all(scope.holds(d) for d, _, _ in hits), (way, name)
                assert all(scope.holds(q.document_id) for q in [*answer.quotes, *answer.related]), (way, name)
                old_hits, old_answer = before[name]
                assert [c for _, c, _ in hits] == [c for _, c, _ in old_hits], (way, name)
                assert [s for _, _, s in hits] == pytest.approx([s for _, _, s in old_hits], abs=1e-5), (way, name)
                assert answer == old_answer, (way, name)
    # more document ids than SQLite binds in one statement (32,766): Chroma's filter failed
    # with "too many SQL variables" before it was sent in parts
    vectors = VectorIndex(settings)
    wanted = set(few)
    named = wanted | {f"absent/{i:05d}" for i in range(40_000)}
    found = vectors.search(engine.embed_query(QUESTION), 20, named)
    assert len(found) == FEW and {chunk_id.split("::")[0] for chunk_id, _ in found} == wanted


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> tuple[Engine, Settings]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("ledger-data"), precision="fp32")
    engine = Engine(settings)
    assert not engine.ingest(ledger_corpus(tmp_path_factory.mktemp("ledger"))).failed
    yield engine, settings
    engine.close()


def test_large_scopes_keep_to_their_documents_embedded(ledger, monkeypatch):
    engine, settings = ledger
    check_large_scopes(engine, settings, monkeypatch)


def test_a_scope_of_every_document_answers_as_no_scope_does(ledger):
    engine, _ = ledger
    assert engine.ask(QUESTION, documents=["many/", "few/"]) == engine.ask(QUESTION)
    assert dense_hits(engine, ["many/", "few/"]) == [(h.document_id, h.chunk_id, h.score)
                                                     for h in engine.search(QUESTION, k=20, mode="dense")]
