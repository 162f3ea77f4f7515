"""The document store (SQLite): stored texts, metadata, chunk spans and file hashes.

It is the source of truth: Chroma and BM25 are derived from it and can be rebuilt or
repaired from it (`rag verify --repair`). A document and its chunks change in one
transaction, so the store never holds half a document; the same transaction gives the
store a new `generation`, so a BM25 index built before it (or a build cut short by a
crash) is known to be stale. The same generation keys this process's document cache:
every read checks it in the same read transaction, so a document another process
rewrote or removed is never served from the cache, and chunk spans and document text
always come from one state of the store.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from rag.document_rows import DOCUMENT_COLUMNS, document_from_row, document_row
from rag.migrations import REEMBED, migrate
from rag.types import Chunk, Document, DocumentSummary

_DROP_SENTENCE_VECTORS = ("DELETE FROM sentence_vectors WHERE chunk_id IN"
                          " (SELECT id FROM chunks WHERE document_id = ?)")


def _new_generation(db: sqlite3.Connection) -> None:
    db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (uuid.uuid4().hex,))


_MATCHES = "(d.id LIKE ? ESCAPE '\\' OR d.title LIKE ? ESCAPE '\\')"


def _like(contains: str) -> tuple[str, str]:
    """The LIKE pattern (twice: id and title) matching `contains` literally."""
    literal = contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{literal}%", f"%{literal}%"


class Store:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self.migrated = migrate(self._db)  # names of the upgrades this open applied (rag/migrations.py)
        self._lock = threading.RLock()
        self._doc_cache: dict[str, Document] = {}
        self._cache_generation: str | None = None

    @property
    def needs_reembedding(self) -> bool:
        """An upgrade applied at this open dropped vectors that only the model can remake."""
        return bool(REEMBED & set(self.migrated)) and bool(self.count()[0])

    @contextmanager
    def _transaction(self):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _snapshot(self):
        """Reads that see one committed state; the document cache is dropped when any
        process has written since it was filled."""
        with self._lock:
            outer = not self._db.in_transaction
            if outer:
                self._db.execute("BEGIN")
            try:
                row = self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
                generation = row[0] if row else ""
                if generation != self._cache_generation:
                    self._doc_cache.clear()
                    self._cache_generation = generation
                yield self._db
            finally:
                if outer:
                    self._db.execute("COMMIT")

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # documents -------------------------------------------------------------
    def put(self, document: Document, chunks: list[Chunk],
            sentence_vectors: dict[str, np.ndarray] | None = None) -> None:
        """Replace a document, its chunks and their sentence vectors (float16, one row per
        entry of chunk.sentences) in one transaction."""
        with self._transaction() as db:
            _new_generation(db)
            db.execute(_DROP_SENTENCE_VECTORS, (document.id,))
            db.execute("DELETE FROM chunks WHERE document_id = ?", (document.id,))
            db.execute(f"INSERT OR REPLACE INTO documents ({DOCUMENT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                       document_row(document))
            db.executemany(
                "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?)",
                [(c.id, c.document_id, c.ordinal, c.start, c.end, json.dumps(c.sentences))
                 for c in chunks],
            )
            db.executemany(
                "INSERT OR REPLACE INTO sentence_vectors VALUES (?,?)",
                [(chunk_id, np.asarray(m, dtype=np.float16).tobytes())
                 for chunk_id, m in (sentence_vectors or {}).items()],
            )
        self._doc_cache.pop(document.id, None)

    def delete(self, document_id: str) -> list[str]:
        """Remove a document; returns the ids of the chunks it had."""
        with self._transaction() as db:
            _new_generation(db)
            ids = [r[0] for r in db.execute("SELECT id FROM chunks WHERE document_id = ?", (document_id,))]
            db.execute(_DROP_SENTENCE_VECTORS, (document_id,))
            db.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))
            db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        self._doc_cache.pop(document_id, None)
        return ids

    def get(self, document_id: str) -> Document | None:
        with self._snapshot():
            return self._get(document_id)

    def _get(self, document_id: str) -> Document | None:
        if document_id in self._doc_cache:
            return self._doc_cache[document_id]
        rows = self._db.execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ?", (document_id,)).fetchall()
        if not rows:
            return None
        document = document_from_row(rows[0])
        if len(self._doc_cache) > 2048:
            self._doc_cache.clear()
        self._doc_cache[document_id] = document
        return document

    def documents(self, offset: int = 0, limit: int | None = None, contains: str = "") -> list[DocumentSummary]:
        """Documents whose id or title holds `contains` literally (% and _ are not wildcards)."""
        rows = self._query(
            "SELECT d.id, d.title, d.source, d.date, d.author, d.path, length(d.text),"
            " (SELECT count(*) FROM chunks c WHERE c.document_id = d.id)"
            f" FROM documents d WHERE {_MATCHES} ORDER BY d.id LIMIT ? OFFSET ?",
            (*_like(contains), -1 if limit is None else limit, offset),
        )
        keys = ("id", "title", "source", "date", "author", "path", "characters", "chunks")
        return [DocumentSummary(**dict(zip(keys, row))) for row in rows]

    def count_documents(self, contains: str = "") -> int:
        return self._query(f"SELECT count(*) FROM documents d WHERE {_MATCHES}", _like(contains))[0][0]

    def document_ids(self) -> list[str]:
        return [r[0] for r in self._query("SELECT id FROM documents ORDER BY id")]

    def _rows_in(self, sql: str, keys: list[str]) -> list[tuple]:
        """The rows of `sql`, whose one `{marks}` is an IN list, for all keys: 500 a statement,
        within SQLite's bound on the parameters of one."""
        rows: list[tuple] = []
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            rows += self._query(sql.format(marks=",".join("?" * len(part))), tuple(part))
        return rows

    def existing(self, document_ids: list[str]) -> set[str]:
        """Those of document_ids that are stored."""
        return {r[0] for r in self._rows_in("SELECT id FROM documents WHERE id IN ({marks})", document_ids)}

    def ids_with_prefix(self, prefix: str) -> list[str]:
        """Ids that start with `prefix`, compared exactly (LIKE would fold case and read % and _)."""
        return [r[0] for r in self._query("SELECT id FROM documents WHERE substr(id, 1, ?) = ? ORDER BY id",
                                          (len(prefix), prefix))]

    def chunk_ids_of(self, document_ids: list[str]) -> list[str]:
        return [r[0] for r in self._rows_in("SELECT id FROM chunks WHERE document_id IN ({marks})", document_ids)]

    def ids_for_path(self, path: str) -> list[str]:
        return [r[0] for r in self._query("SELECT id FROM documents WHERE path = ?", (path,))]

    def count(self) -> tuple[int, int]:
        docs = self._query("SELECT count(*) FROM documents")[0][0]
        chunks = self._query("SELECT count(*) FROM chunks")[0][0]
        return docs, chunks

    # chunks ----------------------------------------------------------------
    def chunks(self, chunk_ids: list[str]) -> dict[str, Chunk]:
        """Chunks by id, with their text cut from the stored documents."""
        found: dict[str, Chunk] = {}
        with self._snapshot() as db:
            for i in range(0, len(chunk_ids), 500):
                part = chunk_ids[i : i + 500]
                marks = ",".join("?" * len(part))
                for id_, doc_id, ordinal, start, end, sentences in db.execute(
                    f"SELECT * FROM chunks WHERE id IN ({marks})", tuple(part)
                ).fetchall():
                    document = self._get(doc_id)
                    if document is None:
                        continue
                    found[id_] = Chunk(id=id_, document_id=doc_id, ordinal=ordinal, start=start, end=end,
                                       text=document.text[start:end],
                                       sentences=[tuple(s) for s in json.loads(sentences)])
        return found

    def chunks_from(self, document_id: str, offset: int, limit: int) -> list[Chunk]:
        """A document's chunks that end after `offset`, in order, at most `limit`: where
        the text goes on from there ("Go on" after a quote)."""
        ids = [r[0] for r in self._query('SELECT id FROM chunks WHERE document_id = ? AND "end" > ? ORDER BY ordinal'
                                         " LIMIT ?", (document_id, offset, limit))]
        found = self.chunks(ids)
        return [found[i] for i in ids if i in found]

    def sentence_vectors(self, chunk_ids: list[str], dimensions: int) -> dict[str, np.ndarray]:
        """Stored sentence vectors (float32, rows aligned with chunk.sentences) by chunk id;
        chunks indexed before sentence vectors existed are simply absent."""
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(chunk_ids), 500):
            part = chunk_ids[i : i + 500]
            marks = ",".join("?" * len(part))
            for id_, blob in self._query(
                f"SELECT chunk_id, vectors FROM sentence_vectors WHERE chunk_id IN ({marks})", tuple(part)
            ):
                found[id_] = np.frombuffer(blob, dtype=np.float16).reshape(-1, dimensions).astype(np.float32)
        return found

    def chunk_documents(self, chunk_ids: list[str]) -> dict[str, str]:
        """The document id of each stored chunk among chunk_ids."""
        return dict(self._rows_in("SELECT id, document_id FROM chunks WHERE id IN ({marks})", chunk_ids))

    def chunks_without_sentence_vectors(self) -> list[str]:
        return [r[0] for r in self._query("SELECT c.id FROM chunks c LEFT JOIN sentence_vectors v"
                                          " ON v.chunk_id = c.id WHERE v.chunk_id IS NULL")]

    def all_chunk_ids(self) -> list[str]:
        return [r[0] for r in self._query("SELECT id FROM chunks ORDER BY document_id, ordinal")]

    def chunk_texts(self) -> tuple[list[str], list[str]]:
        """(ids, title + text) of every chunk, for building the lexical index."""
        ids, texts = [], []
        with self._lock:
            rows = self._db.execute(
                "SELECT c.id, d.title, substr(d.text, c.start + 1, c.\"end\" - c.start)"
                " FROM chunks c JOIN documents d ON d.id = c.document_id"
                " ORDER BY c.document_id, c.ordinal"
            )
            for id_, title, text in rows:
                ids.append(id_)
                texts.append(f"{title}\n{text}")
        return ids, texts

    # files and meta --------------------------------------------------------
    def file_hash(self, path: str) -> str | None:
        rows = self._query("SELECT hash FROM files WHERE path = ?", (path,))
        return rows[0][0] if rows else None

    def set_file_hash(self, path: str, digest: str | None) -> None:
        with self._transaction() as db:
            if digest is None:
                db.execute("DELETE FROM files WHERE path = ?", (path,))
            else:
                db.execute("INSERT INTO files (path, hash) VALUES (?, ?) ON CONFLICT(path)"
                           " DO UPDATE SET hash = excluded.hash", (path, digest))

    def set_file_origin(self, paths: list[str], origin: str) -> None:
        """Record the folder (resolved path) these files were last ingested from."""
        with self._transaction() as db:
            db.executemany("UPDATE files SET origin = ? WHERE path = ?", [(origin, p) for p in paths])

    def file_paths(self, origin: str | None = None) -> list[str]:
        """Every ingested file, or those last ingested from one folder."""
        if origin is None:
            return [r[0] for r in self._query("SELECT path FROM files")]
        return [r[0] for r in self._query("SELECT path FROM files WHERE origin = ?", (origin,))]

    def unplaced_paths(self) -> list[str]:
        """Files with no folder recorded that are not uploads: ingested from some folder by a
        version before migration m003, which did not say which (uploads and files sent from
        memory are recorded with origin '' since)."""
        return [r[0] for r in self._query(
            "SELECT path FROM files WHERE origin IS NULL AND substr(path, 1, 8) != 'uploads/'")]

    def get_meta(self, key: str, default: str = "") -> str:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def close(self) -> None:
        self._db.close()


