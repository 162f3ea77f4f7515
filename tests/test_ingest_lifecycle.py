"""The corpus lifecycle as an operator lives it: bad input gets a clear error naming the
file, and nothing already in the index is lost or silently left out."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import httpx
import pytest

from rag import cli
from rag.config import Settings
from rag.engine import Engine
from rag.ingest.folder import corpus_files
from rag.unavailable import open_problem
from tests.conftest import free_port


def test_only_a_folders_own_notes_are_left_out_not_files_whose_names_start_like_them(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    notes = ["README.md", "LICENSE.txt", "licence.md", "ATTRIBUTION.md", "NOTICE.txt", "SOURCES.md"]
    kept = ["sources-of-the-nile.txt", "noticeboard.md", "licensed-pilots.txt", "sourcebook.txt",
            "attribution-theory.md", "readmissions.txt"]
    for name in notes + kept:
        (corpus / name).write_text(f"The file {name} is about the river.")
    assert sorted(p.name for p in corpus_files(corpus)) == sorted(kept)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Engine:
    """An engine of its own (real MiniLM, Chroma, BM25), so these writes touch no other test."""
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("lifecycle-data"), precision="fp32",
                             max_file_bytes=10_000))
    with engine:
        yield engine


def test_a_file_emptied_or_broken_says_its_earlier_version_is_still_quoted(fresh, tmp_path):
    corpus = tmp_path / "kept"
    corpus.mkdir()
    (corpus / "light.txt").write_text("The Greyhaven lighthouse was built in 1871 by the harbour board.")
    (corpus / "ferry.txt").write_text("The Wexmouth ferry leaves every morning at nine.")
    assert not fresh.ingest(corpus).failed
    (corpus / "light.txt").write_text("")
    (corpus / "ferry.txt").write_bytes(b"\x00\x01binary")
    report = fresh.ingest(corpus, prune=True)
    assert sorted(report.failed) == ["ferry.txt", "light.txt"] and not report.removed
    assert "no text left" in report.failed["light.txt"]
    for name in ("light.txt", "ferry.txt"):
        assert f"the version ingested before ('{name}') stays in the index" in report.failed[name]
    assert "1871" in fresh.document("light.txt").text  # kept: bad input loses nothing
    (corpus / "new.txt").write_text("")
    assert "stays in the index" not in fresh.ingest(corpus).failed["new.txt"]  # nothing before it


def test_a_file_name_that_is_not_utf8_is_reported_and_the_rest_ingest(fresh, tmp_path):
    corpus = tmp_path / "names"
    corpus.mkdir()
    (corpus / "after.txt").write_text("The harbour crane lifts ten tonnes.")
    with open(os.fsencode(corpus) + b"/caf\xe9.txt", "wb") as f:  # as an old archive unpacks it
        f.write(b"A Latin-1 named note about the quay.")
    report = fresh.ingest(corpus)
    assert list(report.failed) == ["caf\ufffd.txt"] and "not valid UTF-8" in report.failed["caf\ufffd.txt"]
    assert report.added == ["after.txt"]


def test_an_empty_folder_prunes_nothing(fresh, tmp_path):
    corpus = tmp_path / "share"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The mill on the Arden ground wheat until 1920.")
    (corpus / "b.txt").write_text("The mill became a museum in 1931.")
    fresh.ingest(corpus)
    for path in corpus.iterdir():  # the share is not mounted: its mount point is empty
        path.unlink()
    report = fresh.ingest(corpus, prune=True)
    assert not report.removed and "nothing was pruned" in report.failed[str(corpus)]
    assert fresh.document("a.txt") and fresh.document("b.txt")
    (corpus / "a.txt").write_text("The mill on the Arden ground wheat until 1920.")
    assert fresh.ingest(corpus, prune=True).removed == ["b.txt"]  # a folder with files prunes as before


def test_a_file_over_the_limit_is_refused_without_being_read(fresh, tmp_path, monkeypatch):
    corpus = tmp_path / "huge"
    corpus.mkdir()
    (corpus / "huge.txt").write_text("word " * 5_000)
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read") if self.name == "huge.txt" else real(self))
    report = fresh.ingest(corpus)
    assert "25,000 bytes is over the limit of 10,000" in report.failed["huge.txt"]


def test_a_symbolic_link_to_a_folder_outside_is_reported_not_silently_left_out(fresh, tmp_path):
    shared, corpus = tmp_path / "shared", tmp_path / "linked"
    shared.mkdir()
    corpus.mkdir()
    (shared / "far.txt").write_text("The far file tells about the canal.")
    (corpus / "near.txt").write_text("The near file tells about the canal.")
    (corpus / "sub").mkdir()
    os.symlink(shared, corpus / "reports")
    os.symlink(corpus / "sub", corpus / "inside")  # inside the folder: its files are walked anyway
    os.symlink(corpus, corpus / "sub" / "loop")
    report = fresh.ingest(corpus)
    assert list(report.failed) == ["reports"] and "not followed" in report.failed["reports"]
    assert report.added == ["near.txt"]


def test_a_chroma_server_that_does_not_answer_is_named_and_leaves_no_index_behind(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The mill ground wheat.")
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    code = cli.main(["--data-dir", str(tmp_path / "data"), "--chroma-url", url, "ingest", str(corpus)])
    err = capsys.readouterr().err
    assert code == 2 and f"cannot reach the Chroma server at {url}" in err and "Traceback" not in err
    assert not (tmp_path / "data").exists()
    assert cli.main(["--data-dir", str(tmp_path / "data"), "--chroma-url", "chroma-host:8001", "ingest",
                     str(corpus)]) == 2  # read as no host at all, it quietly reached 127.0.0.1:8000
    assert "RAG_CHROMA_URL = 'chroma-host:8001'" in capsys.readouterr().err


def test_an_index_that_cannot_be_opened_is_said_with_where_not_a_traceback(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "store.sqlite").write_bytes(b"not a database at all" * 100)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The mill ground wheat.")
    assert cli.main(["--data-dir", str(data), "ingest", str(corpus)]) == 2
    err = capsys.readouterr().err
    assert f"cannot open the index at {data.resolve()}" in err and "not a database" in err
    readonly = sqlite3.OperationalError("attempt to write a readonly database")  # a folder without write access
    assert "is not writable" in open_problem(Settings(data_dir=data), readonly)


def test_a_chroma_server_gone_while_serving_is_a_503_that_names_it(fresh, tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from rag.api.app import create_app

    corpus = tmp_path / "served"
    corpus.mkdir()
    (corpus / "kite.txt").write_text("The red kite nests in the beech woods.")
    fresh.ingest(corpus)
    url = "http://127.0.0.1:8001"

    def refused(*args, **kwargs):
        raise httpx.ConnectError("[Errno 111] Connection refused")

    monkeypatch.setattr(fresh._vectors, "search", refused)  # white-box: the server stopped answering
    client = TestClient(create_app(Settings(data_dir=fresh.settings.data_dir, chroma_url=url), engine=fresh))
    response = client.post("/v1/ask", json={"question": "Where does the red kite nest?"})
    assert response.status_code == 503 and f"the Chroma server at {url}" in response.json()["error"]


def _notes(folder: Path, count: int = 3) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"note-{n}.txt").write_text(f"The lock keeper of weir {n} opened the sluice at {n + 5} o'clock.")
    return folder


def test_a_damaged_bm25_index_or_lost_vectors_are_repaired_not_a_traceback(tmp_path, capsys):
    """Every command, `rag verify --repair` included, stopped on a traceback when the BM25 files
    were deleted or cut short, though BM25 is rebuilt from the store; `--repair` exits 0 only
    once a second check finds the three in agreement."""
    data = tmp_path / "data"
    with Engine(Settings(data_dir=data, precision="fp32")) as engine:
        engine.ingest(_notes(tmp_path / "notes"))
        engine._vectors.delete_ids([engine._store.all_chunk_ids()[0]])  # white-box: a vector lost
    import shutil

    shutil.rmtree(data / "bm25" / "bm25")
    argv = ["--data-dir", str(data), "--json"]
    assert cli.main(["ask", "When was the sluice of weir 0 opened?", *argv]) == 0
    assert "rag ask: stored chunks without a vector: 1 (only words find them); `rag verify --repair`" \
        in capsys.readouterr().err
    assert cli.main(["verify", "--data-dir", str(data)]) == 1
    assert '"missing_vectors": [\n    "note-0.txt::0"' in capsys.readouterr().out
    assert cli.main(["verify", "--repair", "--data-dir", str(data)]) == 0
    assert '"repaired": true' in capsys.readouterr().out
    (data / "bm25" / "manifest.json").write_text('{"ids": [')  # cut short as a full disk leaves it
    assert cli.main(["ask", "When was the sluice of weir 2 opened?", *argv]) == 0
    said = capsys.readouterr()
    assert "weir 2 opened the sluice at 7" in said.out and not said.err  # repaired: nothing to say
    assert cli.main(["verify", "--data-dir", str(data)]) == 0


def test_a_second_ingest_into_one_index_is_refused_naming_the_first(tmp_path, capsys):
    from rag.upkeep import one_writer

    data, notes = tmp_path / "data", _notes(tmp_path / "notes")
    settings = Settings(data_dir=data, precision="fp32")
    with one_writer(settings):  # as a `rag ingest` running in another process holds it (flock)
        assert cli.main(["ingest", str(notes), "--data-dir", str(data)]) == 2
        err = capsys.readouterr().err
        assert f"another process (pid {os.getpid()}) is writing to the index at {data.resolve()}" in err
        assert "wait for it to end" in err
    assert cli.main(["ingest", str(notes), "--data-dir", str(data)]) == 0  # free again once it ends
    assert "added 3" in capsys.readouterr().out


def test_ctrl_c_during_ingest_is_one_line_and_the_index_stays_whole(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from tests.test_crash import progress  # documents committed so far, read as another process would

    data, notes = tmp_path / "data", _notes(tmp_path / "notes", 40)
    command = [sys.executable, "-m", "rag.cli", "ingest", str(notes), "--data-dir", str(data)]
    proc = subprocess.Popen(command, cwd=Path(__file__).resolve().parent.parent, stderr=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=dict(os.environ, RAG_PRECISION="fp32"),
                            # as a terminal starts it: a suite run in the background (`make test &`)
                            # ignores SIGINT, and a child inherits that, so Ctrl-C would never land
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    started = time.monotonic()
    while progress(data / "store.sqlite")[0] < 1 and proc.poll() is None and time.monotonic() - started < 120:
        time.sleep(0.05)  # once the first note is in: the reading worker runs, the model embeds
    proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert "rag ingest: interrupted; the documents written so far are kept" in err
    with Engine(Settings(data_dir=data, precision="fp32")) as engine:
        cut = engine.verify()  # vectors of a document not yet committed may be left: never quoted
        assert not (cut.missing_vectors or cut.missing_sentence_vectors or cut.bm25_drift), cut
        engine.ingest(notes)  # the rest, as the message says
        assert len(engine.documents()) == 40 and engine.verify().ok
