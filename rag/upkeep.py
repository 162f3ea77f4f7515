"""The index's three parts opened together and kept in agreement: the SQLite store (the
truth), Chroma's vectors and the BM25 index. BM25 follows the store by a generation number:
every document write gives the store a new one in the same transaction, so a crash between
the store and the BM25 rebuild is caught on the next open. `check` is what `rag verify`
reports, and what its repair has to redo. `one_writer` lets one folder ingest or repair at a
time write to an index folder, across processes.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from rag.config import Settings
from rag.index import LexicalIndex, VectorIndex
from rag.store import Store
from rag.types import VerifyReport
from rag.unavailable import IndexBusy, IndexUnavailable, open_problem


def open_index(settings: Settings) -> tuple[VectorIndex, Store]:
    """The vector index and the store, or IndexUnavailable saying what and where. A Chroma
    server is reached first, so one that does not answer leaves no index folder behind."""
    url = settings.index.chroma_url
    vectors = None
    if url:
        try:
            vectors = VectorIndex(settings)
        except Exception as err:  # chromadb raises ValueError, httpx errors, ...
            raise IndexUnavailable(f"cannot reach the Chroma server at {url} (RAG_CHROMA_URL or --chroma-url): "
                                   f"{err}") from err
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = Store(settings.store_path)
    except (OSError, sqlite3.Error) as err:
        raise IndexUnavailable(open_problem(settings, err)) from err
    if vectors is None:
        try:
            vectors = VectorIndex(settings)
        except Exception as err:
            store.close()
            raise IndexUnavailable(open_problem(settings, err)) from err
    return vectors, store


def sync_lexicon(store: Store, lexicon: LexicalIndex, force: bool = False) -> None:
    """Rebuild BM25 from the store when its generation differs (or when forced)."""
    generation = store.get_meta("generation")
    if not force and lexicon.generation == generation:
        return
    lexicon.load()
    if force or lexicon.generation != generation:
        if not generation:
            generation = uuid.uuid4().hex
            store.set_meta("generation", generation)
        ids, texts = store.chunk_texts()
        lexicon.build(ids, texts, generation)


def check(store: Store, vectors: VectorIndex, lexicon: LexicalIndex) -> tuple[VerifyReport, list[str], list[str]]:
    """Whether the store, Chroma and BM25 hold the same chunks; with the report, the vectors
    without a stored chunk (to delete) and the stored chunks whose vectors are missing (to embed
    again, their documents whole)."""
    stored = set(store.all_chunk_ids())
    ids = set(vectors.ids())
    lexicon.load()
    lexical = set(lexicon.ids)
    orphans, missing, drift = sorted(ids - stored), sorted(stored - ids), lexical ^ stored
    without_sentences = store.chunks_without_sentence_vectors()
    report = VerifyReport(chunks=len(stored), vectors=len(ids), bm25=len(lexical),
                          orphan_vectors=orphans[:50], missing_vectors=missing[:50],
                          missing_sentence_vectors=len(without_sentences), bm25_drift=len(drift),
                          ok=not (orphans or missing or without_sentences or drift))
    return report, orphans, missing + without_sentences


@contextmanager
def one_writer(settings: Settings) -> Iterator[None]:
    """Held while a folder ingest or a repair writes; a second one, from any process, is refused
    at once with IndexBusy naming the holder. Two at once would each embed and write every changed
    file, two embedded Chromas writing one folder (its client is not made for two writing
    processes). The lock is the kernel's (flock), so a killed holder leaves none behind."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, as before there was one
        yield
        return
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        handle = open(settings.data_dir / "writer.lock", "a+")
    except OSError as err:  # a folder (or a lock left by another user) this process may not write
        raise IndexUnavailable(open_problem(settings, err)) from err
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            raise IndexBusy(f"another process{f' (pid {holder})' if holder else ''} is writing to the index at "
                            f"{settings.data_dir.resolve()} (`rag ingest` or `rag verify --repair`): "
                            f"wait for it to end, then run this again") from None
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
