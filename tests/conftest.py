"""One session fixture builds a tiny real index (real MiniLM, real embedded Chroma, BM25)
from two shipped Wikipedia articles and the synthetic scraped-page fixture."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL_ARTICLES = ["normans.md", "1973-oil-crisis.md"]


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
def engine(settings, corpus_dir) -> Engine:
    engine = Engine(settings)
    report = engine.ingest(corpus_dir)
    assert not report.failed, report.failed
    return engine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
