"""The offline MiniLM embedder: texts, chunks with their sentences, and questions to vectors.

Vectors are L2-normalised float32, so cosine similarity is a dot product. The precision
(rag/embed/model.py) is that of document text, run by the runtime rag/embed/runtimes/
chooses; with "int8", questions are embedded in fp32. "fp32" is the exact reference.
Questions go through torch, or ONNX Runtime once a long-running process asks for it
(rag/embed/query_onnx.py), or a saved ONNX copy that spares a one-shot process loading
torch (rag/embed/query_cache.py). Nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from rag.config import MODEL_CACHE, RuntimeSettings
from rag.embed.model import DIMENSIONS, PRECISIONS, auto_precision, load_model, model_loaded
from rag.embed.pooling import pool

_RUNTIME = RuntimeSettings.model_fields  # the settings' defaults are the only ones


class Embedder:
    def __init__(self, precision: str = "auto", batch_size: int = _RUNTIME["batch_size"].default,
                 encoder: str = "auto", cache: Path | None = None):
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be 'auto', 'bf16', 'fp32' or 'int8', not {precision!r}")
        if precision == "auto":
            precision = auto_precision()
        self.precision = precision
        self.batch_size = batch_size
        self._lock = threading.Lock()  # torch modules are not safe to call from many threads
        self._query_encoder = None  # ONNX Runtime, once a long-running process asks for it
        self._saved_query = None  # rag/embed/query_cache.py's copy, tried on a question before any model load
        self.encoder_choice, self.cache = encoder, cache or MODEL_CACHE
        self._document_encoder = None  # rag/embed/runtimes/, chosen on first use
        self.document_threads = 0  # threads for embedding documents; 0 = every core this process may use

    @property
    def model(self):
        return load_model()

    def _context(self):
        if self.precision == "bf16":
            import torch

            return torch.autocast("cpu", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def _encode(self, texts: list[str], context) -> np.ndarray:
        """One locked sentence-transformers call under `context` (autocast or none)."""
        import torch

        with self._lock, torch.inference_mode(), context:
            return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Length bucketing over the whole call (sentences and chunks mixed) keeps padding low.
        order = np.argsort([len(t) for t in texts], kind="stable")
        ordered = [texts[i] for i in order]
        parts = []
        step = self.batch_size * 4  # the lock is released between parts, so queries slip in
        for i in range(0, len(ordered), step):
            parts.append(self._encode(ordered[i:i + step], self._context()))
        vectors = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        vectors[order] = np.concatenate(parts)
        return vectors

    @property
    def document_encoder(self):
        if self._document_encoder is None:
            from rag.embed.runtimes.choose import document_encoder

            threads = self.document_threads or len(os.sched_getaffinity(0))
            self._document_encoder = document_encoder(
                self.model, self.encoder_choice, self.precision, self.cache, threads,
                lambda texts: self._encode(texts, contextlib.nullcontext()))
            self.precision = self._document_encoder.precision  # what it runs, after any fallback
        return self._document_encoder

    def embed_chunks(self, texts: list[str], spans: list[list[tuple[int, int]]]
                     ) -> tuple[np.ndarray, list[np.ndarray]]:
        """One pass of the model per text: its vector (as `embed` gives) and a vector for
        each character span of it, pooled from the same token states (rag/embed/pooling.py).
        A span the model's window cut off is embedded on its own instead."""
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        pooled: list[np.ndarray] = [np.zeros((0, DIMENSIONS), dtype=np.float32)] * len(texts)
        encoder = self.document_encoder
        order = np.argsort([len(t) for t in texts], kind="stable")  # length buckets: little padding
        size = max(1, min(self.batch_size, -(-len(texts) // encoder.workers)))  # a batch for every worker
        batches = [order[i:i + size] for i in range(0, len(order), size)]

        def run(rows):
            if encoder.workers > 1:  # a replica or stream per worker (CTranslate2, OpenVINO): no lock needed
                states = encoder.states([texts[r] for r in rows])
            else:
                with self._lock:  # released between batches, so questions slip in
                    states = encoder.states([texts[r] for r in rows])
            return pool(states, [spans[r] for r in rows])

        with ThreadPoolExecutor(encoder.workers) as workers:
            for rows, (batch_vectors, batch_pooled) in zip(batches, workers.map(run, batches)):
                vectors[rows] = batch_vectors
                for r, p in zip(rows, batch_pooled):
                    pooled[r] = p
        cut = [(r, j) for r, p in enumerate(pooled) for j in np.flatnonzero(np.isnan(p[:, 0]))]
        if cut:
            for (r, j), v in zip(cut, self.embed([texts[r][slice(*spans[r][j])] for r, j in cut])):
                pooled[r][j] = v
        return vectors, pooled

    def use_fast_queries(self, threads: int = 1) -> bool:
        """Embed questions with ONNX Runtime from now on (rag/embed/query_onnx.py): faster
        for one question, but the export costs a load once, so only long-running processes
        ask. It is checked against torch fp32, the reference the bf16 path is also held to."""
        if self._query_encoder is None:
            from rag.embed.query_onnx import build

            def reference(text: str) -> np.ndarray:
                return self._encode([text], contextlib.nullcontext())[0]

            self._query_encoder = build(self.model, threads, reference, self._lock)
            if self._query_encoder is not None:
                self.save_query_copy()
        return self._query_encoder is not None

    def save_query_copy(self) -> None:
        """Save the checked ONNX question encoder for later one-shot processes (rag/embed/query_cache.py),
        once per model and runtime; costs a model load and an export where none was made."""
        from rag.embed.query_cache import copy_path, save

        if self._saved_query or copy_path(self.cache).is_file():
            return
        if self._query_encoder is None and not self.use_fast_queries():
            return
        from rag.embed.query_onnx import MIN_COSINE, PROBES

        save(self._query_encoder.graph, self.cache, lambda t: self._encode([t], contextlib.nullcontext())[0],
             PROBES, MIN_COSINE)

    @property
    def document_encoder_name(self) -> str:
        """The backend embedding documents, or the configured choice before the first use."""
        return self._document_encoder.name if self._document_encoder else self.encoder_choice

    @property
    def query_encoder(self) -> str:
        return "onnxruntime" if self._query_encoder is not None else "torch"

    def embed_query(self, text: str) -> np.ndarray:
        if self._query_encoder is not None:
            return self._query_encoder.encode(text)
        if self._saved_query is None and not model_loaded():
            from rag.embed.query_cache import load  # no model loaded yet: a saved copy spares loading torch

            self._saved_query = load(self.cache) or False
        if self._saved_query:
            return self._saved_query.encode(text)
        return self.embed([text])[0]
