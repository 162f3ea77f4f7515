"""Crash safety: `rag ingest` killed with SIGKILL at several progress points, then re-run,
loses no document, duplicates no chunk and leaves no drift between store, Chroma and BM25.

The corpus is generated (town reports with one checkable fact each) plus copies of shipped
Wikipedia articles; the kill points are read from the store itself (documents and file
hashes committed so far), so each one lands at a distinct stage of the pipeline.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from rag.config import Settings
from rag.engine import Engine
from rag.ingest.chunk import chunk_document
from rag.ingest.folder import corpus_files
from rag.ingest.load import load_bytes

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ["1973-oil-crisis.md"]
TOWNS = ["Arden", "Belmont", "Carrow", "Dunmore", "Elston", "Fenwick", "Garth", "Holloway",
         "Ingram", "Jesmond", "Kelso", "Lindum", "Marlow", "Norwood", "Oakham", "Penrith",
         "Quarry", "Redcar", "Selby", "Thirsk", "Ulverston", "Ventnor", "Whitby", "Yarm",
         "Zennor", "Alnwick", "Bude", "Cromer", "Dover", "Epping", "Frome", "Goole",
         "Hexham", "Ilkley", "Jarrow", "Keswick"]
BRIDGES = ["iron", "stone", "timber", "concrete", "brick"]


def town_report(i: int, town: str) -> str:
    rng = random.Random(i)
    year = 1850 + 3 * i
    lines = [f"# Civic report of {town}", "",
             f"The old {BRIDGES[i % 5]} bridge of {town} was finished in {year} by the river guild. "
             f"It carried carts across the water for {rng.randint(40, 90)} years before repairs began."]
    for p in range(2):
        lines += ["", " ".join(
            f"In {town}, the {rng.choice(['market', 'school', 'mill', 'harbour', 'chapel'])} council "
            f"met {rng.randint(2, 40)} times in section {p}.{s} and recorded {rng.randint(100, 999)} "
            f"petitions about {rng.choice(['drains', 'lamps', 'roads', 'ferries', 'tolls'])}."
            for s in range(4))]
    return "\n".join(lines) + "\n"


def make_corpus(folder: Path) -> Path:
    (folder / "towns").mkdir(parents=True)
    for i, town in enumerate(TOWNS):
        suffix = ".md" if i % 2 else ".txt"
        (folder / "towns" / f"{town.lower()}{suffix}").write_text(town_report(i, town))
    (folder / "wiki").mkdir()
    for copy in range(2):  # the same article twice, under two ids
        for name in ARTICLES:
            text = (ROOT / "corpus" / "wikipedia" / name).read_text()
            text = text[:text.find("\n\n", 8000)]  # enough to span several chunks, quick to embed
            (folder / "wiki" / f"{copy}-{name}").write_text(text.replace("id: wikipedia/", f"id: copy{copy}/", 1))
    return folder


def expected_chunks(corpus: Path, chunk_words: int) -> dict[str, list[str]]:
    """Document id → chunk ids, computed by the pure load and chunk steps alone."""
    expected = {}
    for path in corpus_files(corpus):
        for document in load_bytes(path.read_bytes(), path.relative_to(corpus).as_posix()):
            expected[document.id] = [c.id for c in chunk_document(document, chunk_words)]
    return expected


def progress(store: Path) -> tuple[int, int]:
    """(documents, files with a recorded hash) committed so far, read like another process would."""
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=0.2) as db:
            return (db.execute("SELECT count(*) FROM documents").fetchone()[0],
                    db.execute("SELECT count(*) FROM files").fetchone()[0])
    except sqlite3.Error:
        return 0, 0


# Runs `rag ingest` with one pipeline step wrapped so the process SIGKILLs itself at an
# exact point: before the Nth call (`before`) or after it returns (`after`).
HOOK = """
import os, signal, sys
from rag.index import LexicalIndex
from rag.store import Store
from rag import cli
owner, step, when, nth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cls = {"Store": Store, "LexicalIndex": LexicalIndex}[owner]
original, calls = getattr(cls, step), [0]
def wrapped(*args, **kwargs):
    if step == "build" and not args[1]:  # the empty index built on a fresh store is no stage
        return original(*args, **kwargs)
    calls[0] += 1
    if when == "before" and calls[0] == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    if when == "after" and calls[0] == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(cls, step, wrapped)
sys.exit(cli.main(sys.argv[5:]))
"""


def run_ingest(data: Path, corpus: Path, kill_when=None, hook: tuple = (), timeout: float = 240) -> dict:
    """Run `rag ingest`; SIGKILL it once kill_when(documents, files) holds, or where hook says."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", RAG_PRECISION="fp32")
    args = ["--data-dir", str(data), "ingest", str(corpus), "--json"]
    command = ([sys.executable, "-c", HOOK, *map(str, hook), *args] if hook
               else [sys.executable, "-m", "rag.cli", *args])
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started, store = time.monotonic(), data / "store.sqlite"
    while proc.poll() is None and time.monotonic() - started < timeout:
        if kill_when is not None and store.exists() and kill_when(*progress(store)):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    out, err = proc.communicate(timeout=timeout)
    seconds = time.monotonic() - started
    if proc.returncode == -signal.SIGKILL:
        return {"killed": True, "at": progress(store), "seconds": seconds}
    assert proc.returncode == 0, out.decode()[-2000:] + err.decode()[-2000:]
    return {"killed": False, "at": progress(store), "seconds": seconds}


def test_ingest_survives_sigkill_at_every_stage(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    expected = expected_chunks(corpus, Settings().index.chunk_words)
    total_files = len(corpus_files(corpus))
    total_docs = len(expected)
    # Each kill resumes from the state the last one left; the stages move forward.
    kill_points = [  # (what the store holds when killed, poll condition, self-kill hook)
        ("store opened, nothing committed", lambda docs, files: True, ()),
        ("first document committed", lambda docs, files: docs >= 1, ()),
        ("vectors written, document not committed", None, ("Store", "put", "before", 4)),
        ("a third of the documents", lambda docs, files: docs >= total_docs // 3, ()),
        ("document committed, file hash not", None, ("Store", "set_file_hash", "before", 3)),
        ("every file hash recorded, BM25 not rebuilt", None,
         ("Store", "set_file_hash", "after", "remaining")),
        ("BM25 rebuild under way", None, ("LexicalIndex", "build", "before", 1)),
    ]
    tried = []
    for label, when, hook in kill_points:
        if hook and hook[3] == "remaining":  # the call that records the last missing hash
            hook = (*hook[:3], total_files - progress(data / "store.sqlite")[1])
        tried.append((label, run_ingest(data, corpus, when, hook)))
    final = run_ingest(data, corpus)

    engine = Engine(Settings(data_dir=data, precision="fp32"))
    stored_docs = [d.id for d in engine.documents()]
    lost = sorted(set(expected) - set(stored_docs))
    extra = sorted(set(stored_docs) - set(expected))
    stored_chunks = engine._store.all_chunk_ids()  # white-box: the exact chunk ids
    want_chunks = [c for ids in expected.values() for c in ids]
    report = engine.verify()
    summary = "; ".join(f"{label}: {'killed at (docs, files)=' + str(o['at']) if o['killed'] else 'finished first'}"
                        f" after {o['seconds']:.1f}s" for label, o in tried)
    print(f"\nCRASH SUMMARY: {total_docs} documents in {total_files} files; kill points: {summary}; "
          f"final run {final['seconds']:.1f}s; documents lost {len(lost)}, extra {len(extra)}; "
          f"chunks {len(stored_chunks)} (expected {len(want_chunks)}), vectors {report.vectors}, "
          f"bm25 {report.bm25}, orphan vectors {len(report.orphan_vectors)}, "
          f"missing vectors {len(report.missing_vectors)}, bm25 drift {report.bm25_drift}")
    assert [label for label, o in tried if not o["killed"]] == [], "every kill point must interrupt"
    assert lost == [] and extra == []
    assert len(stored_chunks) == len(set(stored_chunks)) and sorted(stored_chunks) == sorted(want_chunks)
    assert report.ok, report

    for i in (0, 7, 21, 35):
        town = TOWNS[i]
        answer = engine.ask(f"When was the old bridge of {town} finished?")
        assert answer.answered, town
        assert str(1850 + 3 * i) in " ".join(q.text for q in answer.quotes)
        for quote in answer.quotes + answer.related:
            assert engine.document(quote.document_id).text[quote.start:quote.end] == quote.text
