"""Read, clean and chunk files in a separate process, with a time budget per file.

A parser or pattern that runs long holds the GIL: in the server's own process it would
stall every request, and a thread cannot interrupt it. A process can be stopped. So the
pure steps (file → documents → chunk spans) run in one long-lived worker process; a file
over its budget is reported by name, the worker is killed and the next file gets a fresh
one. The worker's memory is capped too (RAG_INGEST_MAX_MEMORY_MB over what it holds once
started): a small zipped file can inflate to hundreds of MB of XML, which a parser turns into
many GB within the time budget; over the cap the file is reported by name, like an overrun.
Invariant: the result is exactly what the same steps give in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from dataclasses import dataclass, field

from rag.ingest.chunk import chunk_document
from rag.ingest.load import LoadError, load_file
from rag.types import Chunk, Document


@dataclass
class Parsed:
    """A file's documents with their chunks, and its skipped records ("name:line" → reason)."""

    documents: list[Document] = field(default_factory=list)
    chunks: dict[str, list[Chunk]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def parse(raw: bytes, name: str, chunk_words: int) -> Parsed:
    """The pure steps, in whatever process calls them; LoadError for a file that cannot be read."""
    try:
        loaded = load_file(raw, name)
    except (LoadError, MemoryError):  # MemoryError: the worker says it in its own words
        raise
    except Exception as err:  # a parser bug must not stop the corpus; say what happened
        raise LoadError(f"{name}: could not be read ({err.__class__.__name__}: {err})"[:300]) from None
    return Parsed(loaded.documents, {d.id: chunk_document(d, chunk_words) for d in loaded.documents},
                  loaded.skipped)


def _vm(field: str) -> int:  # pragma: no cover - runs in the worker process
    """Bytes of this process's VmSize or VmPeak (Linux /proc)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith(f"{field}:"))


def _cap_memory(megabytes: int) -> int:  # pragma: no cover - runs in the worker process
    """Address space limited to what this process holds now plus `megabytes`: an allocation
    past it fails (MemoryError, or a parser's own out-of-memory error) instead of growing.
    Returns the limit in bytes, 0 where none could be set."""
    try:
        import resource

        limit = _vm("VmSize") + megabytes * 2**20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        return limit
    except (ImportError, OSError, ValueError, StopIteration):  # Windows, no /proc, or a refused limit
        return 0


def _serve(conn, max_memory_mb: int = 0) -> None:  # pragma: no cover - runs in the worker process
    # Not the parent's stdout/stderr: whoever reads those pipes sees them close when the
    # parent exits or is killed, not when this worker notices; and it leaves with its parent.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    parent = os.getppid()
    import bs4, pypdf, yaml  # noqa: F401,E401 - the loaders' lazy imports, paid before the budget starts

    parse(b"Warm up the sentence model. Then serve.", "warm-up.txt", 120)
    limit = _cap_memory(max_memory_mb) if max_memory_mb > 0 else 0
    over = (f"reading it needs more memory than the reader may use (RAG_INGEST_MAX_MEMORY_MB="
            f"{max_memory_mb}); not ingested")
    conn.send(("ready", None))  # the budget counts reading, not start-up
    while True:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent:
                    return
            raw, name, chunk_words = conn.recv()
        except EOFError:
            return
        peak = _vm("VmPeak") if limit else 0
        try:
            conn.send(("ok", parse(raw, name, chunk_words)))
        except LoadError as err:  # a parser (lxml) may say "unknown error" where memory ran out
            ran_out = limit and peak < _vm("VmPeak") > limit - 64 * 2**20
            conn.send(("memory", f"{name}: {over}") if ran_out else ("error", str(err)))
        except MemoryError:  # the parent replaces this worker: its heap may stay fragmented
            conn.send(("memory", f"{name}: {over}"))


class ParseWorker:
    """One worker process, started on first use, replaced after a file overruns or crashes it."""

    def __init__(self, seconds: float, chunk_words: int, seconds_per_mb: float = 0.0, max_memory_mb: int = 0):
        self.seconds, self.per_mb, self.chunk_words = seconds, seconds_per_mb, chunk_words
        self.max_memory_mb = max_memory_mb
        self._lock = threading.Lock()
        self._process = self._conn = None

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # no copy of the server's threads or model
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, self.max_memory_mb), name="attest-ingest",
                                        daemon=True)
        self._process.start()
        child.close()
        try:
            ready = self._conn.poll(120) and self._conn.recv()[0] == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self._stop()
            raise LoadError("the reader process did not start; nothing was ingested")

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(timeout=10)
            self._conn.close()
        self._process = self._conn = None

    def parse(self, raw: bytes, name: str) -> Parsed:
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._stop()
                self._start()
            budget = self.seconds + self.per_mb * len(raw) / 1e6
            try:
                self._conn.send((raw, name, self.chunk_words))
                if not self._conn.poll(budget):
                    self._stop()
                    raise LoadError(f"{name}: reading and cleaning took over {budget:.3g} s; not ingested "
                                    f"(RAG_INGEST_FILE_SECONDS and RAG_INGEST_SECONDS_PER_MB set the budget)")
                status, value = self._conn.recv()
            except (EOFError, OSError):
                self._stop()
                raise LoadError(f"{name}: the reader process stopped while reading it; not ingested") from None
        if status == "memory":
            with self._lock:
                self._stop()
        if status in ("error", "memory"):
            raise LoadError(value)
        return value

    def close(self) -> None:
        with self._lock:
            self._stop()
