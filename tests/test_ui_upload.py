"""Uploads as a person makes them in the UI, against the real API on 127.0.0.1: the uploader
says the API's limit, files each within it are never refused for their sum, a refusal names
the setting to change, and an empty corpus is said on the Ask page, not left to decline."""

from __future__ import annotations

import math

import httpx
from hypothesis import given
from hypothesis import strategies as st

from rag.api import client
from rag.api.app import create_app
from rag.config import Settings
from tests.conftest import TOKEN, running
from tests.test_ui import start

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@given(st.lists(st.integers(0, 300), max_size=30), st.integers(1, 400))
def test_batches_keep_every_file_once_in_order_within_the_limit(sizes, limit):
    batches = client.batches(sizes, limit)
    assert [i for batch in batches for i in batch] == list(range(len(sizes)))
    assert all(sum(sizes[i] for i in batch) <= limit or len(batch) == 1 for batch in batches)
    assert all(sum(sizes[i] for i in a + b[:1]) > limit for a, b in zip(batches, batches[1:]))  # as few as may be


def test_files_each_within_the_limit_are_not_refused_for_their_sum(server, engine):
    """Eight files under the 200,000-byte limit came to more than a request may carry: sent as
    one (what the UI did) every file was refused, the good one too; in batches each is answered."""
    files = [(f"junk{n}.txt", b"\0" * 190_000) for n in range(7)] + [("harbour.txt", b"The harbour was dredged in 1911.\n")]
    whole = httpx.post(f"{server}/v1/documents", files=[("files", f) for f in files], headers=AUTH, timeout=120)
    assert whole.status_code == 413 and "RAG_MAX_UPLOAD_BYTES" in whole.json()["error"], whole.text

    def send(part):
        return client.body(client.request(server, "POST", "/v1/documents", TOKEN, files=[("files", f) for f in part]))

    said = client.upload(send, files, 200_000)
    try:
        assert said[-1] == ("success", "uploads/harbour.txt: ingested")
        assert [kind for kind, _ in said[:-1]] == ["error"] * 7 and all("binary" in m for _, m in said[:-1])
        assert engine.document("uploads/harbour.txt") is not None
    finally:
        httpx.delete(f"{server}/v1/documents/uploads/harbour.txt", headers=AUTH)


def test_a_refused_body_names_the_setting(server):
    response = httpx.post(f"{server}/v1/ask", content=b'{"question": "' + b"a" * 1_100_000 + b'"}',
                          headers={"content-type": "application/json"}, timeout=60)
    assert response.status_code == 413 and "RAG_MAX_BODY_BYTES" in response.json()["error"]


def test_the_uploader_says_the_apis_limit(server, monkeypatch):
    """Streamlit's own 200 MB was shown while the API took 20 MB."""
    for limit in (None, 3_000_000):
        if limit:
            monkeypatch.setenv("RAG_MAX_UPLOAD_BYTES", str(limit))
        at = start(server, monkeypatch)
        (uploader,) = at.get("file_uploader")
        assert uploader.proto.max_upload_size_mb == math.ceil((limit or 20_000_000) / 2**20)
        assert not [i for i in at.info if "empty" in i.value]  # a corpus with documents says nothing of it


def test_an_empty_corpus_is_said_on_the_ask_page(tmp_path, monkeypatch):
    with running(create_app(Settings(data_dir=tmp_path / "data"))) as base:
        at = start(base, monkeypatch)
        assert [i.value for i in at.info if "The corpus is empty" in i.value]
        at.chat_input[0].set_value("Who was the first ruler of Normandy?").run()
        assert not at.exception and at.warning  # the decline, with the reason above it
