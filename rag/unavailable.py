"""Why an index cannot be opened or cannot answer, said for people: the folder, what is wrong
and what to do. Light on purpose: the CLI asks `index_problem` before it loads the model,
Chroma or the store.
"""

from __future__ import annotations

import sqlite3

from rag.config import Settings


class IndexUnavailable(RuntimeError):
    """The index cannot be opened (a folder not writable, a file that is not a store, a Chroma
    server that does not answer); the message says what and where, for people."""


class IndexBusy(IndexUnavailable):
    """Another process is ingesting into (or repairing) the index folder; try again once it ends."""


def open_problem(settings: Settings, err: BaseException) -> str:
    """Why the index folder could not be opened for writing, naming it."""
    where = settings.data_dir.resolve()
    detail = getattr(err, "strerror", None) or str(err)
    if "readonly" in str(err) or isinstance(err, PermissionError):
        return (f"the index at {where} is not writable ({detail}): Attest writes there even to answer "
                f"(SQLite's journal, the BM25 index); give it write access or use another --data-dir")
    return f"cannot open the index at {where} ({detail}); move it aside and ingest again"


def index_problem(settings: Settings) -> str | None:
    """Why the index cannot answer (missing or empty), naming where it looked; else None."""
    where = settings.data_dir.resolve()
    if not settings.store_path.is_file():
        return (f"no index at {where} (looked for {settings.store_path.name} there): run "
                f"`rag ingest FOLDER --data-dir {settings.data_dir}` first, or pass --data-dir / set RAG_DATA_DIR")
    try:
        with sqlite3.connect(f"file:{settings.store_path}?mode=ro", uri=True) as db:
            count = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error as err:
        if "readonly" in str(err):  # a WAL store needs its folder writable, even to be read
            return open_problem(settings, err)
        return f"the index at {where} cannot be read ({err}); move it aside and ingest again"
    if not count:
        return (f"the index at {where} is empty (0 documents): run "
                f"`rag ingest FOLDER --data-dir {settings.data_dir}` first")
    return None
