"""The engine: one object the CLI, the API and the evals share.

It owns the store, both indexes and the embedder, serialises writes with one lock, and
keeps the BM25 index in step with the store by a generation number (rebuilt on open
when a crash or another process left it behind; rag/upkeep.py opens, syncs and checks).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from rag import followup
from rag.answer import Hit, Parts, answer, rerank, scored_sentences
from rag.config import Settings
from rag.embed import DIMENSIONS, MODEL_NAME, Embedder
from rag.index import LexicalIndex
from rag.ingest.pipeline import Ingestor
from rag.ingest.report import IngestReport
from rag.quotes import QuoteModel, ReaderCalibration, Sentence
from rag.retrieve import Candidate, Retriever
from rag.scope import Scope, resolve
from rag.types import Answer, Chunk, Document, DocumentSummary, IndexStats, ScoredChunk, Turn, VerifyReport
from rag.upkeep import check, one_writer, open_index, sync_lexicon


class Engine:
    def __init__(self, settings: Settings | None = None, model: QuoteModel | None = None,
                 embedder: Embedder | None = None):
        """`model` and `embedder` replace the shipped quote model and the embedder the
        settings describe (calibration and benchmarks pass their own)."""
        self.settings = settings or Settings()
        self._model = model or QuoteModel.load()
        self._vectors, self._store = open_index(self.settings)
        self._lexicon = LexicalIndex(self.settings.bm25_dir)
        runtime = self.settings.runtime
        self._embedder = embedder or Embedder(runtime.precision, runtime.batch_size, runtime.encoder,
                                              runtime.model_cache)
        tuning = self.settings.answer  # not `answer`: that name is the answer function
        self._retriever = Retriever(self._vectors, self._lexicon, tuning.candidates, tuning.rrf_k, tuning.fusion,
                                    tuning.dense_weight)
        self._ingestor = Ingestor(self.settings, self._store, self._vectors, self._embedder)
        self._write_lock = threading.Lock()
        self._reader = None
        self._reader_lock = threading.Lock()
        if self._store.needs_reembedding:
            self._reembed()
        sync_lexicon(self._store, self._lexicon)

    def close(self) -> None:
        """Stop the ingest worker and close the store; the engine is unusable after."""
        self._ingestor.close()
        self._store.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def calibration(self) -> ReaderCalibration | None:
        """The reading model's calibration, or None when the logistic model answers alone
        (RAG_READER=false, or a quote model fitted without the reader)."""
        return self._model.reader if self.settings.answer.reader else None

    def reader(self):
        """The reading model, loaded (and probe-checked) on first use."""
        with self._reader_lock:
            if self._reader is None:
                from rag.embed import Reader

                self._reader = Reader(threads=self.settings.runtime.reader_threads)
            return self._reader

    def serving(self, threads: int = 1) -> Engine:
        """Prepare for many questions in a long-running process: load the model now and,
        unless turned off, switch question embedding to ONNX Runtime. Documents uploaded
        while serving are embedded with `threads` too, so questions keep a core."""
        self._embedder.document_threads = threads
        if self.settings.runtime.fast_queries:
            self._embedder.use_fast_queries(threads)
        else:
            self._embedder.embed_query("warm-up")
        if self.calibration is not None:
            self.reader()
        return self

    def save_query_copy(self) -> None:
        """Keep the question encoder on disk, so the next short-lived process starts
        without loading torch."""
        self._embedder.save_query_copy()

    # writing ---------------------------------------------------------------
    def _sync_lexicon_if_idle(self) -> None:
        """Readers catch up with writes made by another process, but never rebuild while a
        write in this process is under way (that write rebuilds when it finishes)."""
        if self._lexicon.generation == self._store.get_meta("generation"):
            return
        if self._write_lock.acquire(blocking=False):
            try:
                sync_lexicon(self._store, self._lexicon)
            finally:
                self._write_lock.release()

    def _after_write(self, report: IngestReport) -> IngestReport:
        if report.changed:
            sync_lexicon(self._store, self._lexicon, force=True)
        return report

    def ingest(self, root: Path | str, prune: bool = False, progress: bool = False,
               claim_unplaced: bool = False) -> IngestReport:
        """The files under root (a folder, or one file) into the index. `claim_unplaced` (with prune): files an index from before m003 holds with no folder
        recorded, and that are not in root, are taken as root's and pruned; without it they are
        kept and listed in `report.kept`, since they may come from another folder."""
        with one_writer(self.settings), self._write_lock:
            return self._after_write(self._ingestor.ingest_folder(Path(root), prune=prune, progress=progress,
                                                                  claim_unplaced=claim_unplaced))

    def ingest_files(self, files: list[tuple[str, bytes]]) -> IngestReport:
        with self._write_lock:
            report = IngestReport()
            for name, raw in files:
                self._ingestor.ingest_file(name, raw, report, force=True)
            self._store.set_file_origin([name for name, _ in files], "")  # from no folder: never pruned
            return self._after_write(report)

    def delete(self, document_id: str) -> bool:
        with self._write_lock:
            document = self._store.get(document_id)
            if document is None:
                return False
            report = IngestReport()
            self._ingestor.remove(document_id, report)
            if not self._store.ids_for_path(document.path):
                self._store.set_file_hash(document.path, None)
            self._after_write(report)
            return True

    # reading ---------------------------------------------------------------
    def document(self, document_id: str) -> Document | None:
        return self._store.get(document_id)

    def scope(self, documents: Sequence[str] | Scope) -> Scope:
        """Document ids and id prefixes ("wikipedia/") resolved to the stored documents they
        name (rag/scope.py); UnknownDocuments when one names none."""
        if isinstance(documents, Scope):
            return documents
        self._sync_lexicon_if_idle()  # so the chunk ids are those BM25 holds, where it can be
        return resolve(documents, self._store.existing, self._store.ids_with_prefix, self._store.chunk_ids_of)

    def retrieve(self, query: str, k: int, mode: str = "hybrid", vector=None,
                 scope: Scope | None = None) -> list[tuple[Candidate, Chunk, Document]]:
        self._sync_lexicon_if_idle()
        if vector is None and mode != "bm25":
            vector = self._embedder.embed_query(query)
        candidates = self._retriever.retrieve(query, vector, k, mode, scope)
        chunks = self._store.chunks([c.chunk_id for c in candidates])
        hits = []
        for cand in candidates:
            chunk = chunks.get(cand.chunk_id)
            document = self._store.get(chunk.document_id) if chunk else None
            if chunk and document:  # a vector whose document is gone is skipped, never quoted
                hits.append((cand, chunk, document))
        return hits

    def embed_query(self, text: str) -> np.ndarray:
        """A question's unit vector, as retrieval embeds it."""
        return self._embedder.embed_query(text)

    def embed_questions(self, texts: list[str]) -> np.ndarray:
        """Many questions' vectors in one batch (evaluation and calibration)."""
        return self._embedder.embed(texts)

    def search(self, query: str, k: int = 5, mode: str = "hybrid", read: bool = False,
               vector: np.ndarray | None = None, documents: Sequence[str] | Scope | None = None) -> list[ScoredChunk]:
        """The best k chunks for a query, in fused retrieval order; with read=True (and the
        reading model on), those whose sentences answering would read come first, by their
        best sentence's quote probability (rag.answer.rerank), at the cost of reading them.
        `documents` (ids, prefixes ending in "/") keeps the search to those documents."""
        if k < 1:
            raise ValueError(f"k must be at least 1 (got {k})")
        scope = None if documents is None else self.scope(documents)
        if vector is None and mode != "bm25":
            vector = self._embedder.embed_query(query)
        read = read and self.calibration is not None
        quote_chunks = self.settings.answer.quote_chunks
        found = self.retrieve(query, max(k, quote_chunks) if read else k, mode, vector=vector, scope=scope)
        hits: list = [(hit, None) for hit in found[:k]]
        if read and found:
            # answering's own steps on the chunks just retrieved (no second retrieval)
            parts = replace(self.answer_parts(), retrieve=lambda _query, n, _mode, _vector: found[:n])
            scored = scored_sentences(query, [], parts, quote_chunks=quote_chunks, mode=mode, vector=vector)
            hits = rerank(found, scored.sentences)[:k]
        return [ScoredChunk(document_id=chunk.document_id, chunk_id=chunk.id, start=chunk.start, end=chunk.end,
                            text=chunk.text, score=round(cand.score, 6),
                            reader=None if best is None else round(best, 4))
                for (cand, chunk, _), best in hits]

    def ask(self, question: str, history: list[Turn] | None = None, max_quotes: int | None = None,
            mode: str = "hybrid", read: bool = True, documents: Sequence[str] | Scope | None = None) -> Answer:
        """Quotes that answer, or a decline. read=False leaves the reading model out (the
        logistic quote model alone), as the evals' baseline. `documents` (ids, prefixes ending
        in "/") asks within those documents only. The steps are rag.answer's."""
        if max_quotes is not None and max_quotes < 1:
            raise ValueError(f"max_quotes must be at least 1 (got {max_quotes}); None means the setting's")
        parts = self.answer_parts(None if documents is None else self.scope(documents))
        return answer(question, history, parts, self.settings.answer, max_quotes=max_quotes, mode=mode, read=read)

    def answer_parts(self, scope: Scope | None = None) -> Parts:
        """What rag.answer needs from this engine (calibration scores through it too); with a
        scope, what it retrieves or reads on in is that scope's documents only. Locating an
        earlier turn's quotes (`quoted`) is not scoped: the conversation may predate the scope."""
        parts = Parts(embed_query=self._embedder.embed_query, retrieve=self.retrieve,
                      sentence_cosines=self.sentence_cosines, idf=lambda: self._lexicon.idf, model=self._model,
                      calibration=self.calibration, reader=self.reader, quoted=self.quoted,
                      following=self.following,  # document_text: "" for a document gone since it was quoted
                      document_text=lambda i: document.text if (document := self._store.get(i)) else "",
                      written=lambda: self._lexicon.words)
        if scope is None:
            return parts

        def following(document_id: str, offset: int) -> list[Hit]:
            return self.following(document_id, offset) if scope.holds(document_id) else []

        return replace(parts, retrieve=lambda query, k, mode, vector: self.retrieve(query, k, mode, vector, scope),
                       following=following)

    def quoted(self, turn: Turn) -> list[followup.Passage]:
        """The stored quotes an earlier assistant turn gave (its checked citations, or the
        sentences found verbatim in its text by a BM25 search)."""
        return followup.passages(turn, self._store.get,
                                 lambda text, k: [(c, d) for _, c, d in self.retrieve(text, k, "bm25")])

    def following(self, document_id: str, offset: int) -> list[Hit]:
        """A document's stored chunks from the one holding `offset` on, as hits ("Go on")."""
        document = self._store.get(document_id)
        if document is None:
            return []
        return [(Candidate(chunk_id=c.id, score=0.0), c, document)
                for c in self._store.chunks_from(document_id, offset, followup.FOLLOWING_CHUNKS)]

    def sentence_cosines(self, sentences: list[Sentence], vector: np.ndarray) -> np.ndarray:
        """Cosine of each sentence to the query, from vectors stored at ingest. A sentence
        whose chunk was rewritten by another process since it was retrieved has none: it
        is embedded now (stores from before sentence vectors are upgraded on open)."""
        stored = self._store.sentence_vectors(list({s.chunk_id for s in sentences}), DIMENSIONS)
        rows = [stored[s.chunk_id][s.index] if s.chunk_id in stored else None for s in sentences]
        missing = [i for i, r in enumerate(rows) if r is None]
        if missing:
            for i, v in zip(missing, self._embedder.embed([sentences[i].text for i in missing])):
                rows[i] = v
        return np.stack(rows) @ vector

    # the index as a whole -------------------------------------------------
    def documents(self, offset: int = 0, limit: int | None = None, contains: str = "") -> list[DocumentSummary]:
        """Stored documents in id order, without their text; `contains` filters id or title."""
        return self._store.documents(offset, limit, contains)

    def count_documents(self, contains: str = "") -> int:
        return self._store.count_documents(contains)

    def documents_from(self, path: str) -> list[str]:
        """Ids of the documents ingested from one file (a JSONL file gives several)."""
        return self._store.ids_for_path(path)

    def stats(self) -> IndexStats:
        documents, chunks = self._store.count()
        size = sum(p.stat().st_size for p in self.settings.data_dir.rglob("*") if p.is_file())
        return IndexStats(documents=documents, chunks=chunks, vectors=self._vectors.count(), index_bytes=size,
                          model=MODEL_NAME, precision=self._embedder.precision,
                          query_encoder=self._embedder.query_encoder,
                          document_encoder=self._embedder.document_encoder_name,
                          vector_store=self.settings.index.chroma_url or "embedded")

    def missing_vectors(self) -> int:
        """Stored chunks Chroma holds no vector for, by count (its folder deleted, a write cut short):
        only BM25 finds them. A cheap count; `verify` names them."""
        return max(0, self._store.count()[1] - self._vectors.count())

    def verify(self, repair: bool = False) -> VerifyReport:
        """Check that the store, Chroma and BM25 hold the same chunks; with repair, make
        them agree: the store is the truth, so vectors without a stored chunk are deleted,
        documents missing any vector are embedded again and BM25 is rebuilt from the store."""
        report, orphans, unembedded = check(self._store, self._vectors, self._lexicon)
        if repair and not report.ok:
            with one_writer(self.settings), self._write_lock:
                self._vectors.delete_ids(orphans)
                self._embed_again(set(self._store.chunk_documents(unembedded).values()))
                sync_lexicon(self._store, self._lexicon, force=True)
            # checked again, so "repaired" (and `rag verify --repair`'s exit code) is not a hope
            report.repaired = check(self._store, self._vectors, self._lexicon)[0].ok
        return report

    def _embed_again(self, document_ids: set[str]) -> None:
        documents = [d for d in (self._store.get(i) for i in sorted(document_ids)) if d is not None]
        if documents:
            self._ingestor.write(documents, IngestReport())

    def _reembed(self) -> None:
        """After a store upgrade that dropped vectors (rag/migrations.py REEMBED)."""
        with self._write_lock:
            self._embed_again(set(self._store.document_ids()))
