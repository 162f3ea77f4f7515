"""API limits that cannot be bypassed, and safe defaults (issue 22 items 3, 6, 7; issue 19
item 7), on real uvicorn: chunked bodies are counted, history is bounded, browsers on
other origins cannot write, /healthz spends no rate budget, /docs works offline and
follows RAG_PROTECT_READS, `?q=%` is literal, a batch upload reports per file."""

from __future__ import annotations

import httpx
import pytest

from rag.api.app import create_app
from rag.config import Settings
from tests.conftest import TOKEN, error_message, raw_request, running

AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUESTION = "Who was the first ruler of Normandy?"


MULTIPART_START = (b'--x\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
                   b"Content-Type: text/plain\r\n\r\n")


def _chunked(total: int, start: bytes, piece: int = 65536):
    """A body without Content-Length: httpx sends a generator with chunked encoding."""
    yield start
    for _ in range(total // piece):
        yield b"a" * piece
    yield b'"}'


@pytest.mark.parametrize("path,headers,start", [
    ("/v1/ask", {"content-type": "application/json"}, b'{"question": "'),
    ("/v1/chat/completions", {"content-type": "application/json"}, b'{"messages": [{"role": "user", "content": "'),
    ("/v1/documents", {"content-type": "multipart/form-data; boundary=x", **AUTH}, MULTIPART_START),
])
def test_chunked_bodies_are_held_to_the_limit_while_they_stream(server, path, headers, start):
    response = httpx.post(f"{server}{path}", content=_chunked(8_000_000, start), headers=headers, timeout=60)
    assert response.status_code == 413 and "over" in error_message(response), response.text[:200]


def test_one_question_limit_holds_for_ask_search_and_chat(engine):
    """RAG_MAX_QUESTION_CHARS is the only source of the limit: lowered, every route follows it."""
    settings = Settings(data_dir=engine.settings.data_dir, max_question_chars=40)
    long = "Who was the first ruler of Normandy, and when?"
    with running(create_app(settings, engine=engine)) as base:
        for path, body in (("/v1/ask", {"question": long}), ("/v1/search", {"query": long}),
                           ("/v1/ask", {"question": "Who?", "history": [{"role": "user", "content": long}]}),
                           ("/v1/chat/completions", {"messages": [{"role": "user", "content": long}]})):
            response = httpx.post(f"{base}{path}", json=body, timeout=60)
            assert response.status_code == 422 and "RAG_MAX_QUESTION_CHARS" in response.text, (path, response.text)
            said = "the query" if path == "/v1/search" else "a question or an earlier turn"
            assert error_message(response).startswith(f"{said} is over 40 characters"), response.text
        assert httpx.post(f"{base}/v1/search", json={"query": "Rollo"}, timeout=60).status_code == 200


def test_history_turns_and_their_length_are_bounded(server):
    long_turn = [{"role": "user", "content": "x" * 2001}]
    assert httpx.post(f"{server}/v1/ask", json={"question": QUESTION, "history": long_turn}).status_code == 422
    many = [{"role": "user", "content": "Normandy"}] * 51
    assert httpx.post(f"{server}/v1/ask", json={"question": QUESTION, "history": many}).status_code == 422
    widest = [{"role": "user", "content": ("Rollo Normandy Vikings " * 100)[:2000]}] * 50
    response = httpx.post(f"{server}/v1/ask", json={"question": "And his son?", "history": widest}, timeout=60)
    assert response.status_code == 200
    assert len(response.json()["query"]) <= 2 * 2000 + 1  # the question and one earlier turn at most
    assert len(response.content) < 100_000


def test_a_long_openai_conversation_keeps_working(server):
    """An OpenAI client sends every earlier message: 60 exchanges are answered, not refused."""
    earlier = [{"role": "system", "content": "Answer from the corpus."}]
    for _ in range(60):
        earlier += [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "The corpus does not answer this."}]
    response = httpx.post(f"{server}/v1/chat/completions",
                          json={"messages": [*earlier, {"role": "user", "content": QUESTION}]}, timeout=60)
    assert response.status_code == 200, response.text[:300]


def test_browsers_on_other_origins_cannot_write_token_or_not(server, engine):
    files = {"files": ("planted.txt", b"The capital of France is Berlin.")}
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Origin": "null"}):
        response = httpx.post(f"{server}/v1/documents", files=files, headers={**AUTH, **headers})
        assert response.status_code == 403 and "RAG_CORS_ORIGINS" in response.json()["error"], headers
        assert httpx.delete(f"{server}/v1/documents/news/injection.txt",
                            headers={**AUTH, **headers}).status_code == 403
    assert engine.document("uploads/planted.txt") is None

    open_settings = Settings(data_dir=engine.settings.data_dir, cors_origins="https://analyst.example")
    with running(create_app(open_settings, engine=engine)) as base:  # no token at all
        refused = httpx.post(f"{base}/v1/documents", files=files, headers={"Origin": "https://evil.example"})
        assert refused.status_code == 403
        same = httpx.post(f"{base}/v1/documents", files={"files": ("same.txt", b"Same origin notes here.")},
                          headers={"Origin": base, "Sec-Fetch-Site": "same-origin"}, timeout=120)
        listed = httpx.post(f"{base}/v1/documents", files={"files": ("listed.txt", b"Listed origin notes.")},
                            headers={"Origin": "https://analyst.example"}, timeout=120)
        assert same.status_code == 200 and listed.status_code == 200, (same.text, listed.text)
        for name in ("same.txt", "listed.txt"):
            assert httpx.delete(f"{base}/v1/documents/uploads/{name}").status_code == 200


def test_healthz_spends_no_rate_budget(engine):
    settings = Settings(data_dir=engine.settings.data_dir, rate_limit=3)
    with running(create_app(settings, engine=engine)) as base:  # the start-up probe polled /healthz too
        assert all(httpx.get(f"{base}/healthz").status_code == 200 for _ in range(10))
        assert [httpx.get(f"{base}/v1/stats").status_code for _ in range(3)] == [200, 200, 200]
        assert httpx.get(f"{base}/v1/stats").status_code == 429


def test_docs_work_offline_and_follow_protect_reads(server, engine):
    page = httpx.get(f"{server}/docs")
    assert page.status_code == 200 and "/docs/assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower() and "http://" not in page.text and "https://" not in page.text
    asset = httpx.get(f"{server}/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000
    assert "/v1/ask" in httpx.get(f"{server}/openapi.json").json()["paths"]

    locked = Settings(data_dir=engine.settings.data_dir, api_token=TOKEN, protect_reads=True)
    with running(create_app(locked, engine=engine)) as base:
        assert httpx.get(f"{base}/docs").status_code == 401
        assert httpx.get(f"{base}/openapi.json").status_code == 401
        assert httpx.get(f"{base}/openapi.json", headers=AUTH).status_code == 200


def test_the_document_filter_is_literal(server):
    everything = httpx.get(f"{server}/v1/documents").json()["total"]
    assert everything > 0
    for q in ("%", "_", "\\"):
        assert httpx.get(f"{server}/v1/documents", params={"q": q}).json()["total"] == 0, q
    assert httpx.get(f"{server}/v1/documents", params={"q": "injection"}).json()["total"] == 1


def test_a_batch_upload_reports_each_file_and_ingests_what_it_can(server, engine):
    files = [("files", ("sheet.xls", b"data")),
             ("files", ("batch-notes.txt", b"The batch notes say the ferry leaves at nine.")),
             ("files", ("batch-notes.txt", b"A second file with the same name.")),
             ("files", ("records.jsonl", b'{"id": "batch-1", "text": "A good record."}\n{"id": "batch-2"}\n'))]
    response = httpx.post(f"{server}/v1/documents", files=files, headers=AUTH, timeout=120)
    assert response.status_code == 200, response.text
    result = response.json()
    assert not result["ok"]
    assert "unsupported file type" in result["files"]["uploads/sheet.xls"]["error"]
    assert result["files"]["uploads/batch-notes.txt"] == {"ok": True, "documents": ["uploads/batch-notes.txt"]}
    assert "same name" in result["files"]["uploads/batch-notes.txt (file 3)"]["error"]
    records = result["files"]["uploads/records.jsonl"]
    assert records["documents"] == ["batch-1"] and "records.jsonl:2" in records["skipped"][0]
    assert engine.document("uploads/batch-notes.txt").text == "The batch notes say the ferry leaves at nine."
    for document_id in ("uploads/batch-notes.txt", "batch-1"):
        assert httpx.delete(f"{server}/v1/documents/{document_id}", headers=AUTH).status_code == 200


def test_the_rate_limiter_forgets_clients_whose_bucket_refilled(monkeypatch):
    from rag.api import guards

    clock = [1000.0]
    monkeypatch.setattr(guards.time, "monotonic", lambda: clock[0])
    limiter = guards.RateLimiter(60)
    for n in range(3 * limiter.PRUNE_AT):  # one request from each of many addresses, a second apart
        assert limiter.wait(f"2001:db8::{n:x}") == 0
        clock[0] += 1.0
    assert len(limiter.buckets) <= limiter.PRUNE_AT  # only those seen in the last minute are kept
    for _ in range(60):  # a client at its limit is still held to it
        limiter.wait("busy")
    assert limiter.wait("busy") > 0


def test_a_body_that_trickles_or_never_ends_is_cut_off(engine):
    """A client that sends headers and then too little body gets 408 and a closed connection
    once RAG_BODY_SECONDS have passed, for JSON and multipart alike; a response sent before the
    body was read closes the connection too. Whole bodies, uploads and streamed chat still work."""
    settings = Settings(data_dir=engine.settings.data_dir, body_seconds=1)
    with running(create_app(settings, engine=engine)) as base:
        for path, kind, start in [("/v1/ask", "application/json", b'{"question": "'),
                                  ("/v1/documents", "multipart/form-data; boundary=x", MULTIPART_START)]:
            head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {kind}\r\n"
                    f"Content-Length: 100000\r\n\r\n").encode()
            data, closed, seconds = raw_request(base, head + start)
            assert data.startswith(b"HTTP/1.1 408") and b"RAG_BODY_SECONDS" in data, data[:200]
            assert closed and 0.9 < seconds < 4, (closed, seconds)
        # refused without reading the body (wrong type): the connection does not wait for the rest
        data, closed, _ = raw_request(base, b"POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        assert data.startswith(b"HTTP/1.1 422") and closed, data[:200]
        with httpx.Client(base_url=base, timeout=60) as client:
            assert client.post("/v1/ask", json={"question": QUESTION}).json()["answered"]
            uploaded = client.post("/v1/documents", files=[("files", ("slow-body.txt", b"The slow ferry left at ten."))])
            assert uploaded.json()["ok"], uploaded.text
            with client.stream("POST", "/v1/chat/completions",
                               json={"stream": True, "messages": [{"role": "user", "content": QUESTION}]}) as chat:
                assert chat.status_code == 200 and "data: [DONE]" in "".join(chat.iter_text())
            assert client.delete("/v1/documents/uploads/slow-body.txt").status_code == 200
