"""One session fixture builds a tiny real index (real MiniLM, real embedded Chroma, BM25)
from two shipped Wikipedia articles and the synthetic scraped-page fixture."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from hypothesis import strategies as st
import uvicorn

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from rag.api.app import create_app  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.ingest.chunk import chunk_document  # noqa: E402
from rag.ingest.load import LoadError, load_bytes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL_ARTICLES = ["normans.md", "1973-oil-crisis.md"]
TOKEN = "s3cret-token"


def small_corpus(folder: Path) -> Path:
    (folder / "wikipedia").mkdir(parents=True, exist_ok=True)
    for name in SMALL_ARTICLES:
        shutil.copy(ROOT / "corpus" / "wikipedia" / name, folder / "wikipedia" / name)
    (folder / "news").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "scraped_page.md", folder / "news" / "scraped_page.md")
    shutil.copy(FIXTURES / "injection.txt", folder / "news" / "injection.txt")
    return folder


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    return small_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("data"), precision="fp32")


@pytest.fixture(scope="session")
def corpus_engine(tmp_path_factory) -> Engine:
    """One fp32 index of the shipped corpus/, read-only, for the tests that ask about it."""
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("corpus-data"), precision="fp32"))
    report = engine.ingest(ROOT / "corpus")
    assert not report.failed, report.failed
    return engine


@pytest.fixture(scope="session")
def engine(settings, corpus_dir) -> Engine:
    engine = Engine(settings)
    report = engine.ingest(corpus_dir)
    assert not report.failed, report.failed
    return engine



def first_quote_holds(engine, question: str, document_id: str, words: str) -> None:
    """The answer's first quote comes from `document_id`, holds `words`, and is the stored text
    at its offsets."""
    answer = engine.ask(question)
    assert answer.quotes, answer
    quote = answer.quotes[0]
    assert quote.document_id == document_id and words in quote.text
    assert engine.document(document_id).text[quote.start:quote.end] == quote.text

@contextmanager
def engine_over(tmp_path_factory, name: str, files: dict[str, str]):
    """A real engine over `files` (name → text) written to a folder here and ingested whole;
    yields (engine, folder)."""
    folder = tmp_path_factory.mktemp(name)
    for file_name, text in files.items():
        (folder / file_name).write_text(text)
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp(f"{name}-data"), precision="fp32"))
    report = engine.ingest(folder)
    assert not report.failed, report.failed
    with engine:
        yield engine, folder


def stored_before(tmp_path: Path, name: str, content: str, column: str, migration: str,
                  version: str) -> tuple[Settings, Path]:
    """A store as an older version left it: the file `name` ingested, then the `column` its
    `migration` added dropped, the migration unrecorded and the file's hash the one
    PIPELINE_VERSION `version` recorded (so the next ingest reads it again). (settings, folder)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / name).write_text(content)
    settings = Settings(data_dir=tmp_path / "data", precision="fp32")
    with Engine(settings) as engine:
        engine.ingest(folder)
    with sqlite3.connect(settings.store_path) as db:
        db.execute(f"ALTER TABLE documents DROP COLUMN {column}")
        db.execute("DELETE FROM migrations WHERE name = ?", (migration,))
        db.execute("UPDATE files SET hash = ?", (hashlib.sha256(version.encode() + content.encode()).hexdigest(),))
    return settings, folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(app):
    """A real uvicorn on a free 127.0.0.1 port serving app; yields its base URL."""
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    try:
        yield base
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def error_message(response) -> str:
    """An API error's message: `{"error": "..."}`, or on the OpenAI-compatible endpoints
    OpenAI's `{"error": {"message": "..."}}`."""
    error = response.json()["error"]
    return error if isinstance(error, str) else error["message"]


def raw_request(base: str, request: bytes, wait: float = 5.0) -> tuple[bytes, bool, float]:
    """Send request bytes on a raw socket; (what came back, whether the server closed, seconds)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.settimeout(wait)
        sock.sendall(request)
        started, data = time.monotonic(), b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
            return data, True, time.monotonic() - started
        except TimeoutError:
            return data, False, time.monotonic() - started


@pytest.fixture(scope="session")
def server(engine):
    """A real uvicorn on 127.0.0.1 serving the session engine; uploads need TOKEN."""
    settings = Settings(data_dir=engine.settings.data_dir, api_token=TOKEN, max_upload_bytes=200_000)
    with running(create_app(settings, engine=engine)) as base:
        yield base


def assert_exact_chunks(document) -> None:
    """Every chunk is the stored text at its offsets."""
    for chunk in chunk_document(document):
        assert chunk.text == document.text[chunk.start:chunk.end]


def damaged_loads_or_fails(valid: bytes, kind: str, data) -> None:
    """Flip up to eight bytes of `valid` where hypothesis draws: the file loads into exactly
    chunked documents or fails with a LoadError that names it."""
    raw = bytearray(valid)
    for position in data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=1, max_size=8)):
        raw[position] = data.draw(st.integers(0, 255))
    try:
        documents = load_bytes(bytes(raw), f"fuzz/damaged.{kind}")
    except LoadError as err:
        assert str(err).startswith(f"fuzz/damaged.{kind}: ")
    else:
        for document in documents:
            assert_exact_chunks(document)


def broken_later_keeps_earlier(engine: Engine, folder: Path, name: str, broken: bytes, kind: str, kept: str) -> None:
    """A file ingested whole and then overwritten broken: the report names the file and what it
    is, says the version ingested before stays, and that version is still quoted."""
    (folder / name).write_bytes(broken)
    failed = engine.ingest(folder).failed[name]
    assert f"{name}: broken or unreadable {kind}" in failed and "stays in the index" in failed, failed
    assert kept in engine.document(name).text


def uploaded(engine: Engine, monkeypatch, files: list[tuple[str, bytes]]) -> set[str]:
    """Upload `files` through the real API (each must be taken, under uploads/); what the UI's
    uploader, served by that API, offers to take."""
    from tests.test_ui import start

    with running(create_app(Settings(data_dir=engine.settings.data_dir, api_token=TOKEN), engine=engine)) as base:
        result = httpx.post(f"{base}/v1/documents", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120,
                            files=[("files", file) for file in files]).json()
        assert result["ok"], result
        assert set(result["files"]) == {f"uploads/{name}" for name, _ in files}, result
        (uploader,) = start(base, monkeypatch).get("file_uploader")  # the Ask page, through this API
        return set(uploader.proto.type)
