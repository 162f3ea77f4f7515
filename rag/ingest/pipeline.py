"""Ingest files into the store and the vector index: load → clean → chunk → embed → write.

Crash-safe by ordering: a document's vectors are replaced first, then the store commits
the document and its chunks in one transaction, and only then is the file's hash
recorded. A crash anywhere leaves the file looking unchanged-not-yet, so the next run
redoes it; stray vectors are ignored when answering and removed by the next ingest or
`rag verify --repair`. A broken file is reported and
skipped; the others still ingest. So is a bad JSONL record (by line and id), and a
document whose id another file already holds: the first keeps an id, the later one is
reported. Files are read and cleaned in a worker process with a time budget each
(rag/ingest/worker.py), so no input can stall the process that serves questions.
"""

from __future__ import annotations

import weakref
from pathlib import Path

from rag.config import Settings
from rag.embed import Embedder
from rag.index import VectorIndex
from rag.ingest.chunk import chunk_document
from rag.ingest.folder import corpus_files, linked_folders, outside
from rag.ingest.load import SUFFIXES, LoadError, file_hash, unsupported
from rag.ingest.report import IngestReport
from rag.ingest.worker import Parsed, ParseWorker, parse
from rag.store import Store
from rag.types import Chunk, Document

RETRY = "retry:"  # a stored file hash that never matches: read the file again


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes the file system gave that are not UTF-8 (surrogate escapes)
        return False
    return True


class Ingestor:
    def __init__(self, settings: Settings, store: Store, vectors: VectorIndex, embedder: Embedder):
        self.settings, self.store, self.vectors, self.embedder = settings, store, vectors, embedder
        seconds = settings.index.ingest_file_seconds
        self.worker = (ParseWorker(seconds, settings.index.chunk_words, settings.index.ingest_seconds_per_mb,
                                   settings.index.ingest_max_memory_mb) if seconds > 0 else None)
        if self.worker is not None:  # the worker process ends with the ingestor that owns it
            weakref.finalize(self, self.worker.close)
        # Documents skipped because another file holds their id, retried once the folder is
        # done (the other file may have let it go: a record moved between files, a renamed file
        # whose old name is pruned). None outside ingest_folder.
        self._clashes: list[tuple[str, str, Document, list[Chunk] | None, bool]] | None = None

    def parse(self, raw: bytes, name: str) -> Parsed:
        if self.worker is None:
            return parse(raw, name, self.settings.index.chunk_words)
        return self.worker.parse(raw, name)

    def write(self, documents: list[Document], report: IngestReport,
              chunks: dict[str, list[Chunk]] | None = None) -> None:
        """Chunk, embed and write a batch of documents, in one embedding pass for all.

        Each chunk is embedded as title + text for retrieval; its sentences get vectors
        for quote scoring too, so answering a question never embeds document text. By
        default they are pooled from the chunk's own pass through the model
        (sentence_vectors=contextual); `separate` embeds each sentence alone (twice the work).
        """
        chunks = chunks or {}
        chunked: list[tuple[Document, list[Chunk]]] = [
            (d, chunks.get(d.id) or chunk_document(d, self.settings.index.chunk_words)) for d in documents]
        all_chunks = [c for _, chunks in chunked for c in chunks]
        titles = {d.id: d.title for d in documents}
        inputs = [f"{titles[c.document_id]}\n{c.text}" for c in all_chunks]
        if self.settings.index.sentence_vectors == "contextual":
            shifts = [len(titles[c.document_id]) + 1 - c.start for c in all_chunks]
            chunk_vectors, pooled = self.embedder.embed_chunks(
                inputs, [[(s + shift, e + shift) for s, e in c.sentences] for c, shift in zip(all_chunks, shifts)])
            by_chunk = {c.id: p for c, p in zip(all_chunks, pooled)}
        else:
            texts = {d.id: d.text for d in documents}
            spans = list(dict.fromkeys((c.document_id, s, e) for c in all_chunks for s, e in c.sentences))
            vectors = self.embedder.embed(inputs + [texts[d][s:e] for d, s, e in spans])
            chunk_vectors, span_vectors = vectors[:len(all_chunks)], vectors[len(all_chunks):]
            row = {span: i for i, span in enumerate(spans)}
            by_chunk = {c.id: span_vectors[[row[(c.document_id, s, e)] for s, e in c.sentences]]
                        for c in all_chunks}
        self.vectors.delete_documents([d.id for d in documents])
        self.vectors.add([c.id for c in all_chunks], chunk_vectors, [c.document_id for c in all_chunks])
        for document, chunks in chunked:
            existed = self.store.get(document.id) is not None
            self.store.put(document, chunks, {c.id: by_chunk[c.id] for c in chunks})
            (report.updated if existed else report.added).append(document.id)
            report.chunks += len(chunks)

    def ingest_file(self, name: str, raw: bytes, report: IngestReport, force: bool = False) -> None:
        """One file by its corpus-relative name; failures land in report.failed."""
        report.count(name, self._ingest_file(name, raw, report, force))

    def _ingest_file(self, name: str, raw: bytes, report: IngestReport, force: bool) -> str:
        if len(raw) > self.settings.index.max_file_bytes:
            report.failed[name] = self._too_large(name, len(raw))
            return "failed"
        digest = file_hash(raw)
        if not force and self.store.file_hash(name) == digest:
            report.unchanged += 1
            return "unchanged"
        try:
            parsed = self.parse(raw, name)
        except LoadError as err:
            report.failed[name] = self._kept(name, str(err))
            return "failed"
        except Exception as err:  # a parser bug must not stop the corpus; say what happened
            report.failed[name] = self._kept(name, f"{name}: could not be read ({err.__class__.__name__}: {err})"[:300])
            return "failed"
        report.failed.update(parsed.skipped)
        documents, clashed = [], []
        for d in parsed.documents:
            owner = self.store.get(d.id)
            if owner is not None and owner.path != name:
                report.failed[f"{name}#{d.id}"] = (f"{name}: document id {d.id!r} is already used by "
                                                   f"{owner.path}; skipped (the first keeps it)")
                clashed.append(d)
            else:
                documents.append(d)
        if self._clashes is not None:  # counted failed when none of its documents was written
            self._clashes += [(name, digest, d, parsed.chunks.get(d.id), not documents) for d in clashed]
        ids = {d.id for d in documents}
        for i in range(0, len(documents), 64):
            self.write(documents[i:i + 64], report, parsed.chunks)
        for stale in set(self.store.ids_for_path(name)) - ids:
            self.remove(stale, report)
        # A file with a skipped document is read again next time: never "unchanged" while a
        # document of it is missing (its row stays, so pruning still knows the file).
        self.store.set_file_hash(name, RETRY + digest if clashed else digest)
        return "ingested" if documents else "failed"  # a skipped record is listed on its own

    def _retry_clashes(self, report: IngestReport) -> None:
        """Write the skipped documents whose id no other file holds any more."""
        clashes, self._clashes = self._clashes or [], None
        done: dict[str, tuple[str, bool]] = {}  # file → (its hash, counted failed)
        for name, digest, document, chunks, counted_failed in clashes:
            owner = self.store.get(document.id)
            if owner is not None and owner.path != name:
                continue
            self.write([document], report, {document.id: chunks} if chunks else None)
            report.failed.pop(f"{name}#{document.id}", None)
            done[name] = (digest, counted_failed)
        for name, (digest, counted_failed) in done.items():
            if not any(key == name or key.startswith(f"{name}#") for key in report.failed):
                self.store.set_file_hash(name, digest)
            if counted_failed:  # it has a document now
                report.recount(name, "failed", "ingested")

    def remove(self, document_id: str, report: IngestReport) -> None:
        self.vectors.delete_documents([document_id])
        self.store.delete(document_id)
        report.removed.append(document_id)

    def ingest_folder(self, root: Path, prune: bool = False, progress: bool = False,
                      claim_unplaced: bool = False) -> IngestReport:
        """Ingest every file under root. With prune, documents of files that were ingested
        from this same folder and are gone now are removed; other folders and uploads are kept.
        Files with no folder recorded (ingested before m003) are pruned only with
        claim_unplaced: nothing tells this folder's from another's, so by default they are
        kept and listed in report.kept."""
        report = IngestReport()
        self._clashes = []
        files = corpus_files(root, exclude=self.settings.data_dir)
        base = root if root.is_dir() else root.parent
        origin = str(base.resolve())
        seen = set()
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(files), unit="file", desc="ingest")
        for path in files:
            name = path.relative_to(base).as_posix()
            if not _utf8(name):  # never stored: SQLite and the terminal take UTF-8 names only
                shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                report.failed[shown] = (f"{shown}: the file name is not valid UTF-8 (\ufffd marks the bytes "
                                        f"that are not); rename the file; not ingested")
                report.count(shown, "failed")
            else:
                seen.add(name)
                self._ingest_path(path, name, base if root.is_dir() else None, report)
            if bar:
                bar.update(1)
        if bar:
            bar.close()
        if root.is_dir():
            for link in linked_folders(root, base):
                name = link.relative_to(base).as_posix()
                if _utf8(name):
                    report.failed[name] = (f"{name}: a symbolic link to the folder {link.resolve()}, outside the "
                                           f"folder being ingested; not followed (ingest that folder itself)")
        self.store.set_file_origin(sorted(seen & set(self.store.file_paths())), origin)
        if prune and root.is_dir():
            gone = [name for name in self.store.file_paths(origin=origin) if name not in seen]
            unplaced = [name for name in self.store.unplaced_paths() if name not in seen]
            if claim_unplaced:
                gone += unplaced
            else:
                report.kept.update({name: (
                    f"{name}: ingested before this index recorded which folder each file came from, and not "
                    f"in {root}; kept, as it may come from another folder (ingesting that folder records it; "
                    f"if it came from this one: rag ingest {root} --prune --claim-unplaced)") for name in unplaced})
            if gone and not files:  # an unmounted share or a wrong folder, not a corpus deleted
                report.failed[str(root)] = (
                    f"{root}: no files found there, so nothing was pruned (--prune would have removed all "
                    f"{len(gone)} files ingested from it; is the folder mounted?)")
            for name in gone if files else []:
                for document_id in self.store.ids_for_path(name):
                    self.remove(document_id, report)
                self.store.set_file_hash(name, None)
        self._retry_clashes(report)
        return report

    def _ingest_path(self, path: Path, name: str, root: Path | None, report: IngestReport) -> None:
        """One file of a folder (root) or one file given alone (None); failures land in report.failed."""
        if root is not None and outside(path, root):
            report.failed[name] = (f"{name}: a symbolic link to {path.resolve()}, outside the "
                                   f"folder being ingested; not followed")
            return
        if path.suffix.lower() not in SUFFIXES:
            report.failed[name] = unsupported(name)
            report.count(name, "failed")
            return
        try:
            size = path.stat().st_size  # before reading: a file of many gigabytes is never loaded
            if size > self.settings.index.max_file_bytes:
                report.failed[name] = self._too_large(name, size)
                report.count(name, "failed")
                return
            raw = path.read_bytes()
        except OSError as err:
            report.failed[name] = self._kept(name, f"{name}: cannot read ({err.strerror})")
            report.count(name, "failed")
            return
        self.ingest_file(name, raw, report)

    def _too_large(self, name: str, size: int) -> str:
        return self._kept(name, f"{name}: {size:,} bytes is over the limit of "
                                f"{self.settings.index.max_file_bytes:,} (RAG_MAX_FILE_BYTES); not ingested")

    def _kept(self, name: str, reason: str) -> str:
        """A failure's message, saying so when an earlier version of the file is still in the
        index (and still quoted): a file emptied, broken or made unreadable removes nothing."""
        ids = self.store.ids_for_path(name)
        if not ids:
            return reason
        shown = ", ".join(repr(i) for i in ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        return (f"{reason}; the version ingested before ({shown}) stays in the index and is still quoted "
                f"(remove the file and ingest with --prune, or DELETE /v1/documents/ID, to drop it)")

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
