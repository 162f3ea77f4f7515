"""The two derived indexes behind one small interface: Chroma vectors and a BM25 lexicon.

Both are rebuildable from the store. Chroma is embedded (PersistentClient under the data
dir) or a server (HttpClient, RAG_CHROMA_URL); embeddings are always passed in, Chroma's
own embedding function is never used, telemetry is off. The BM25 index is written to a
fresh folder and swapped in with a rename, so a crash never leaves half an index.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from rag.config import Settings
from rag.vocabulary import Vocabulary, vocabulary


def _stemmer():
    try:
        import Stemmer

        return Stemmer.Stemmer("english")
    except ImportError:  # pragma: no cover - PyStemmer is a declared dependency
        return None


_STEM = _stemmer()


_SPLIT = re.compile(r"(?u)\b\w\w+\b")  # bm25s' (and scikit-learn's) token pattern
ANALYZER = "bm25s-en-snowball+fold"  # kept with a persisted BM25 index; another is rebuilt
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")  # combining diacritics


def fold(text: str) -> str:
    """Accents off (NFKD, combining diacritics dropped): "Jerónimo" and "Jeronimo", "São"
    and "Sao" are one term; letters that do not decompose (ø, æ) stay. ASCII text is
    returned as it is."""
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """bm25s' English stop words, the list `bm25s.tokenize(stopwords="en")` uses."""
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def terms(text: str) -> list[str]:
    """The lexical analysis shared by BM25 and quote scoring: accents folded, lower,
    stopwords out, stemmed.

    After `fold`, the same steps as `bm25s.tokenize(text, stopwords="en", stemmer=...)` (a
    test holds them equal), without its per-call progress-bar set-up, a cost paid on every
    question (docs/performance.md)."""
    stop = _stopwords()
    tokens = [t for t in _SPLIT.findall(fold(text).lower()) if t not in stop]
    return _STEM.stemWords(tokens) if _STEM is not None and tokens else tokens


# Ids in one Chroma filter or fetch: it binds each as an SQLite variable, and a statement of
# more than SQLite's 32,766 fails ("too many SQL variables"); a wider one is sent in parts.
WHERE_IDS = 5_000


class VectorIndex:
    def __init__(self, settings: Settings):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if settings.index.chroma_url:
            url = urlparse(settings.index.chroma_url)
            self.client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                              ssl=url.scheme == "https", settings=chroma_settings)
        else:
            self.client = chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
        self.collection = self.client.get_or_create_collection(
            settings.index.collection, embedding_function=None, metadata={"hnsw:space": "cosine"})

    def add(self, ids: list[str], vectors: np.ndarray, document_ids: list[str]) -> None:
        for i in range(0, len(ids), 2000):
            self.collection.upsert(ids=ids[i:i + 2000], embeddings=vectors[i:i + 2000],
                                   metadatas=[{"document_id": d} for d in document_ids[i:i + 2000]])

    def delete_documents(self, document_ids: list[str]) -> None:
        if document_ids:
            self.collection.delete(where={"document_id": {"$in": list(document_ids)}})

    def delete_ids(self, ids: list[str]) -> None:
        for i in range(0, len(ids), 2000):
            self.collection.delete(ids=ids[i:i + 2000])

    def search(self, vector: np.ndarray, k: int, documents: Collection[str] | None = None) -> list[tuple[str, float]]:
        """The k nearest chunks, only of `documents` (ids) when given: Chroma filters on the
        `document_id` metadata before it ranks, so a small scope still gets its k. More
        documents than one filter may name are asked in parts, merged by score."""
        if documents is None:
            return self._query(vector, k, None)
        ids = sorted(documents)
        found = [hit for i in range(0, len(ids), WHERE_IDS)
                 for hit in self._query(vector, k, {"document_id": {"$in": ids[i:i + WHERE_IDS]}})]
        return sorted(found, key=lambda hit: -hit[1])[:k]  # stable: one part keeps Chroma's order

    def _query(self, vector: np.ndarray, k: int, where: dict | None) -> list[tuple[str, float]]:
        # No count() first: it scans the collection, so it grows with the index, and Chroma
        # already returns fewer results, or none, when it holds fewer than k.
        result = self.collection.query(query_embeddings=[vector], n_results=k, where=where, include=["distances"])
        return [(id_, 1.0 - dist) for id_, dist in zip(result["ids"][0], result["distances"][0])]

    def nearest_of(self, vector: np.ndarray, k: int, ids: Collection[str]) -> list[tuple[str, float]]:
        """The k nearest of these chunks by cosine, ranked here over their stored vectors:
        exact, and for a few chunks cheaper than Chroma's filtered query (docs/performance.md)."""
        stored = self.vectors(sorted(ids))
        if not stored:
            return []
        names = list(stored)
        matrix = np.stack([stored[name] for name in names])
        cosines = (matrix @ vector) / (np.linalg.norm(matrix, axis=1) * float(np.linalg.norm(vector)))
        order = np.argsort(-cosines, kind="stable")[:k]
        return [(names[i], float(cosines[i])) for i in order]

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vector of each id that has one (asked in pages: Chroma binds each id as an
        SQLite variable)."""
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), WHERE_IDS):
            got = self.collection.get(ids=ids[i:i + WHERE_IDS], include=["embeddings"])
            out.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
        return out

    def ids(self) -> list[str]:
        out, offset = [], 0
        while True:
            page = self.collection.get(include=[], limit=5000, offset=offset)["ids"]
            out.extend(page)
            if len(page) < 5000:
                return out
            offset += len(page)

    def count(self) -> int:
        return self.collection.count()


class LexicalIndex:
    """BM25 over chunk titles + texts, with term IDFs kept for quote scoring and the words the
    texts write (`words`), as they write them, for a first question's typing slips.

    The loaded state is one tuple swapped in a single assignment, so a reader never sees
    the ids of one build with the model of another.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self._state: tuple = (None, [], {}, "", Vocabulary())
        self._row_of: tuple = (None, {})  # (the state it indexes, chunk id -> row), for scoped searches
        self.load()

    @property
    def ids(self) -> list[str]:
        return self._state[1]

    @property
    def idf(self) -> dict[str, float]:
        return self._state[2]

    @property
    def generation(self) -> str:
        return self._state[3]

    @property
    def words(self) -> Vocabulary:
        """Each word the indexed texts write, lower-cased, to its most written form."""
        return self._state[4]

    def load(self) -> None:
        import bm25s

        # None yet, built with other terms or before the written words were kept, or damaged
        # (files deleted or cut short): empty, and so rebuilt from the store on sync, as BM25 is
        # derived; a damaged one must not stop every command, `rag verify --repair` included.
        try:
            meta = json.loads((self.folder / "manifest.json").read_text())
            if meta.get("analyzer") != ANALYZER or "words" not in meta:
                raise ValueError("another analyzer, or no written words")
            model = bm25s.BM25.load(str(self.folder / "bm25")) if meta["ids"] else None
            self._state = (model, meta["ids"], meta["idf"], meta["generation"], Vocabulary(meta["words"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError):
            self._state = (None, [], {}, "", Vocabulary())

    def build(self, ids: list[str], texts: list[str], generation: str) -> None:
        import bm25s

        tokens = [terms(t) for t in texts]
        df = Counter(term for doc in tokens for term in set(doc))
        n = max(1, len(texts))
        idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        tmp = self.folder.with_name(self.folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if ids:
            model = bm25s.BM25()
            model.index(tokens, show_progress=False)
            model.save(str(tmp / "bm25"))
        manifest = {"ids": ids, "idf": idf, "generation": generation, "analyzer": ANALYZER,
                    "words": vocabulary(texts).forms}
        (tmp / "manifest.json").write_text(json.dumps(manifest))
        old = self.folder.with_name(self.folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            self.folder.rename(old)
        tmp.rename(self.folder)
        shutil.rmtree(old, ignore_errors=True)
        self.load()

    def search(self, query: str, k: int, chunks: Collection[str] | None = None) -> list[tuple[str, float]]:
        """The k best chunks by BM25, only among `chunks` (ids) when given. Scores (and IDFs)
        are the whole index's either way, so a scope ranks as the corpus does."""
        state = self._state
        model, ids = state[:2]
        if model is None:
            return []
        query_terms = [t for t in terms(query) if t in model.vocab_dict]
        if not query_terms:
            return []
        # Scores for every chunk, then a partial sort: bm25s' own retrieve() adds a thread
        # pool round trip per question, most of its time at scale (docs/performance.md).
        scores = model.get_scores(query_terms)
        if chunks is not None:  # outside the scope scores 0, and a 0 is never returned
            rows = self._rows(state, chunks, np.flatnonzero(scores))
            scores, kept = np.zeros_like(scores), scores
            scores[rows] = kept[rows]
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(ids[int(d)], float(scores[d])) for d in top if scores[d] > 0]

    def _rows(self, state: tuple, chunks: Collection[str], scored: np.ndarray) -> np.ndarray:
        """The rows of `chunks` among the `scored` rows of the model of `state` (a chunk written
        since it was built has none), looked up from whichever of the two is fewer: a large
        scope holds more chunks than a question's terms score."""
        ids = state[1]
        if len(scored) <= len(chunks):
            members = chunks if isinstance(chunks, (set, frozenset)) else set(chunks)
            return scored[[ids[int(row)] in members for row in scored]] if len(scored) else scored
        built, row_of = self._row_of
        if built is not state:  # made on the first scoped search of each build
            row_of = {chunk_id: row for row, chunk_id in enumerate(ids)}
            self._row_of = (state, row_of)
        return np.array([row_of[c] for c in chunks if c in row_of], dtype=np.int64)
