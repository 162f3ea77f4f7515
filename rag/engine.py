"""The engine: one object the CLI, the API and the evals share.

It owns the store, both indexes and the embedder, serialises writes with one lock, and
keeps the BM25 index in step with the store by a generation number (rebuilt on open
when a crash or another process left it behind).
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import numpy as np

from rag import followup
from rag.answer import AnswerOptions, Parts, answer
from rag.config import Settings
from rag.embed import DIMENSIONS, MODEL_NAME, Embedder
from rag.index import LexicalIndex, VectorIndex
from rag.ingest.pipeline import IngestReport, Ingestor
from rag.quotes import QuoteModel, ReaderCalibration, Sentence
from rag.retrieve import Candidate, Retriever
from rag.store import Store
from rag.types import Answer, Chunk, Document, ScoredChunk, Turn


class Engine:
    def __init__(self, settings: Settings | None = None, model: QuoteModel | None = None):
        self.settings = settings or Settings()
        self.model = model or QuoteModel.load()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.settings.store_path)
        self.vectors = VectorIndex(self.settings)
        self.lexicon = LexicalIndex(self.settings.bm25_dir)
        self.embedder = Embedder(self.settings.precision, self.settings.batch_size, self.settings.encoder,
                                 self.settings.model_cache)
        self.retriever = Retriever(self.vectors, self.lexicon, self.settings.candidates, self.settings.rrf_k,
                                   self.settings.fusion, self.settings.dense_weight)
        self.ingestor = Ingestor(self.settings, self.store, self.vectors, self.embedder)
        self.write_lock = threading.Lock()
        self._reader = None
        self._reader_lock = threading.Lock()
        self._sync_lexicon()

    @property
    def calibration(self) -> ReaderCalibration | None:
        """The reading model's calibration, or None when the logistic model answers alone
        (RAG_READER=false, or a quote model fitted without the reader)."""
        return self.model.reader if self.settings.reader else None

    def reader(self):
        """The reading model, loaded (and probe-checked) on first use."""
        with self._reader_lock:
            if self._reader is None:
                from rag.reader import Reader

                self._reader = Reader(threads=self.settings.reader_threads)
            return self._reader

    def serving(self, threads: int = 1) -> Engine:
        """Prepare for many questions in a long-running process: load the model now and,
        unless turned off, switch question embedding to ONNX Runtime. Documents uploaded
        while serving are embedded with `threads` too, so questions keep a core."""
        self.embedder.document_threads = threads
        if self.settings.fast_queries:
            self.embedder.use_fast_queries(threads)
        else:
            self.embedder.embed_query("warm-up")
        if self.calibration is not None:
            self.reader()
        return self

    # writing ---------------------------------------------------------------
    def _sync_lexicon(self, force: bool = False) -> None:
        """Rebuild BM25 from the store when its generation differs (or when forced).

        Every document write gives the store a new generation in the same transaction, so
        a crash between the store and the BM25 rebuild is caught on the next open."""
        generation = self.store.get_meta("generation")
        if not force and self.lexicon.generation == generation:
            return
        self.lexicon.load()
        if force or self.lexicon.generation != generation:
            if not generation:
                generation = uuid.uuid4().hex
                self.store.set_meta("generation", generation)
            ids, texts = self.store.chunk_texts()
            self.lexicon.build(ids, texts, generation)

    def _sync_lexicon_if_idle(self) -> None:
        """Readers catch up with writes made by another process, but never rebuild while a
        write in this process is under way (that write rebuilds when it finishes)."""
        if self.lexicon.generation == self.store.get_meta("generation"):
            return
        if self.write_lock.acquire(blocking=False):
            try:
                self._sync_lexicon()
            finally:
                self.write_lock.release()

    def _after_write(self, report: IngestReport) -> IngestReport:
        if report.changed:
            self._sync_lexicon(force=True)
        return report

    def ingest(self, root: Path, prune: bool = False, progress: bool = False) -> IngestReport:
        with self.write_lock:
            return self._after_write(self.ingestor.ingest_folder(root, prune=prune, progress=progress))

    def ingest_files(self, files: list[tuple[str, bytes]]) -> IngestReport:
        with self.write_lock:
            report = IngestReport()
            for name, raw in files:
                self.ingestor.ingest_file(name, raw, report, force=True)
            return self._after_write(report)

    def delete(self, document_id: str) -> bool:
        with self.write_lock:
            if self.store.get(document_id) is None:
                return False
            document = self.store.get(document_id)
            report = IngestReport()
            self.ingestor.remove(document_id, report)
            if not self.store.ids_for_path(document.path):
                self.store.set_file_hash(document.path, None)
            self._after_write(report)
            return True

    # reading ---------------------------------------------------------------
    def document(self, document_id: str) -> Document | None:
        return self.store.get(document_id)

    def retrieve(self, query: str, k: int, mode: str = "hybrid",
                 vector=None) -> list[tuple[Candidate, Chunk, Document]]:
        self._sync_lexicon_if_idle()
        if vector is None and mode != "bm25":
            vector = self.embedder.embed_query(query)
        candidates = self.retriever.retrieve(query, vector, k, mode)
        chunks = self.store.chunks([c.chunk_id for c in candidates])
        hits = []
        for cand in candidates:
            chunk = chunks.get(cand.chunk_id)
            document = self.store.get(chunk.document_id) if chunk else None
            if chunk and document:  # a vector whose document is gone is skipped, never quoted
                hits.append((cand, chunk, document))
        return hits

    def search(self, query: str, k: int = 5, mode: str = "hybrid") -> list[ScoredChunk]:
        return [ScoredChunk(document_id=chunk.document_id, chunk_id=chunk.id, start=chunk.start,
                            end=chunk.end, text=chunk.text, score=round(cand.score, 6))
                for cand, chunk, _ in self.retrieve(query, k, mode)]

    def ask(self, question: str, history: list[Turn] | None = None, max_quotes: int | None = None,
            mode: str = "hybrid", read: bool = True) -> Answer:
        """Quotes that answer, or a decline. read=False leaves the reading model out (the
        logistic quote model alone), as the evals' baseline. The steps are rag.answer's."""
        return answer(question, history, self.answer_parts(), AnswerOptions.from_settings(self.settings),
                      max_quotes=max_quotes, mode=mode, read=read)

    def answer_parts(self) -> Parts:
        """What rag.answer needs from this engine (calibration scores through it too)."""
        return Parts(embed_query=self.embedder.embed_query, retrieve=self.retrieve,
                     sentence_cosines=self.sentence_cosines, idf=lambda: self.lexicon.idf, model=self.model,
                     calibration=self.calibration, reader=self.reader, quoted=self.quoted)

    def quoted(self, turn: Turn) -> list[followup.Passage]:
        """The stored quotes an earlier assistant turn gave (its checked citations, or the
        sentences found verbatim in its text by a BM25 search)."""
        return followup.passages(turn, self.store.get,
                                 lambda text, k: [(c, d) for _, c, d in self.retrieve(text, k, "bm25")])

    def sentence_cosines(self, sentences: list[Sentence], vector: np.ndarray) -> np.ndarray:
        """Cosine of each sentence to the query, from vectors stored at ingest; a sentence
        without one (an index built before they existed) is embedded now."""
        stored = self.store.sentence_vectors(list({s.chunk_id for s in sentences}), DIMENSIONS)
        rows = [stored[s.chunk_id][s.index] if s.chunk_id in stored else None for s in sentences]
        missing = [i for i, r in enumerate(rows) if r is None]
        if missing:
            for i, v in zip(missing, self.embedder.embed([sentences[i].text for i in missing])):
                rows[i] = v
        return np.stack(rows) @ vector

    def stats(self) -> dict:
        documents, chunks = self.store.count()
        size = sum(p.stat().st_size for p in self.settings.data_dir.rglob("*") if p.is_file())
        return {"documents": documents, "chunks": chunks, "vectors": self.vectors.count(),
                "index_bytes": size, "model": MODEL_NAME, "precision": self.embedder.precision,
                "query_encoder": self.embedder.query_encoder,
                "document_encoder": self.embedder.document_encoder_name,
                "vector_store": self.settings.chroma_url or "embedded"}
