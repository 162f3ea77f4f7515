"""The HTTP API on a real uvicorn at 127.0.0.1, with the official openai client."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import TOKEN


def test_ask_search_documents_round_trip(server):
    answer = httpx.post(f"{server}/v1/ask", json={"question": "How much did the Riverside library renovation cost?"},
                        timeout=60).json()
    assert answer["answered"]
    quote = answer["quotes"][0]
    document = httpx.get(f"{server}/v1/documents/{quote['document_id']}").json()
    assert document["text"][quote["start"]:quote["end"]] == quote["text"]
    hits = httpx.post(f"{server}/v1/search", json={"query": "Norman conquest of England", "k": 3}).json()
    assert len(hits) == 3 and {"document_id", "chunk_id", "start", "end", "text", "score", "reader"} == set(hits[0])
    assert all(hit["reader"] is None for hit in hits)  # fused order unless asked to read
    read = httpx.post(f"{server}/v1/search", json={"query": "Norman conquest of England", "k": 3, "read": True},
                      timeout=60).json()
    assert len(read) == 3 and read[0]["reader"] is not None
    listing = httpx.get(f"{server}/v1/documents", params={"limit": 2}).json()
    assert listing["total"] == 4 and len(listing["documents"]) == 2
    stats = httpx.get(f"{server}/v1/stats").json()
    assert stats["documents"] == 4 and stats["chunks"] == stats["vectors"] > 0


def test_follow_up_through_history(server):
    first = "What do volunteers run in the basement of the Riverside library?"
    answer = httpx.post(f"{server}/v1/ask", json={
        "question": "How long can that session last?",
        "history": [{"role": "user", "content": first}, {"role": "assistant", "content": "repair café"}]},
        timeout=60).json()
    assert "three hours" in answer["quotes"][0]["text"]


def test_upload_and_delete_need_the_token(server):
    files = {"files": ("../../etc/notes.txt", b"The pier was repainted blue in 2021. It took six weeks.")}
    assert httpx.post(f"{server}/v1/documents", files=files).status_code == 401
    assert httpx.post(f"{server}/v1/documents", files=files,
                      headers={"Authorization": "Bearer wrong"}).status_code == 403
    auth = {"Authorization": f"Bearer {TOKEN}"}
    result = httpx.post(f"{server}/v1/documents", files=files, headers=auth, timeout=60).json()
    assert result["ok"] and result["files"]["uploads/notes.txt"]["documents"] == ["uploads/notes.txt"]
    answer = httpx.post(f"{server}/v1/ask", json={"question": "What colour was the pier repainted?"}, timeout=60).json()
    assert answer["quotes"][0]["document_id"] == "uploads/notes.txt"
    assert httpx.delete(f"{server}/v1/documents/uploads/notes.txt").status_code == 401
    assert httpx.delete(f"{server}/v1/documents/uploads/notes.txt", headers=auth).status_code == 200
    assert httpx.get(f"{server}/v1/documents/uploads/notes.txt").status_code == 404


def test_a_broken_upload_is_reported_and_changes_nothing(server):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = httpx.get(f"{server}/v1/stats").json()
    result = httpx.post(f"{server}/v1/documents", headers=auth, timeout=60,
                        files={"files": ("broken.pdf", b"%PDF-1.4 garbage")}).json()
    assert not result["ok"] and "broken.pdf" in result["files"]["uploads/broken.pdf"]["error"]
    after = httpx.get(f"{server}/v1/stats").json()
    assert (before["documents"], before["chunks"]) == (after["documents"], after["chunks"])


@pytest.mark.parametrize("method,path,kwargs,status", [
    ("post", "/v1/ask", {"json": {"question": "x" * 2001}}, 422),
    ("post", "/v1/ask", {"json": {"question": ""}}, 422),
    ("post", "/v1/ask", {"json": {"question": "  \n "}}, 422),  # blank: an error, not a decline
    ("post", "/v1/search", {"json": {"query": "   "}}, 422),
    ("post", "/v1/ask", {"content": b"not json", "headers": {"content-type": "application/json"}}, 422),
    ("post", "/v1/search", {"json": {"query": "q", "k": 0}}, 422),
    ("post", "/v1/search", {"json": {"query": "q", "k": 10_000}}, 422),
    ("get", "/v1/documents/no/such/doc", {}, 404),
    ("post", "/v1/documents", {"files": {"files": ("big.txt", b"a " * 200_001)},
                               "headers": {"Authorization": f"Bearer {TOKEN}"}}, 413),
    ("post", "/v1/documents", {"files": {"files": ("sheet.xls", b"data")},
                               "headers": {"Authorization": f"Bearer {TOKEN}"}}, 415),
    ("post", "/v1/chat/completions", {"json": {"model": "attest", "messages": []}}, 422),
])
def test_bad_requests_get_clear_json_errors(server, method, path, kwargs, status):
    response = getattr(httpx, method)(f"{server}{path}", timeout=60, **kwargs)
    assert response.status_code == status
    assert "error" in response.json() and "Traceback" not in response.text


def test_a_body_that_is_no_json_is_said_so(server):
    response = httpx.post(f"{server}/v1/ask", content=b'{"question": "Who?",}', timeout=60,
                          headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid request: body: the body is not valid JSON (Expecting property " \
                                       "name enclosed in double quotes, at character 20)"


def test_openai_client_gets_quotes_and_citations(server):
    from openai import OpenAI

    client = OpenAI(base_url=f"{server}/v1", api_key="unused")
    assert "attest" in [m.id for m in client.models.list().data]
    messages = [{"role": "user", "content": "How much did the Riverside library renovation cost?"}]
    completion = client.chat.completions.create(model="attest", messages=messages)
    content = completion.choices[0].message.content
    citations = completion.model_extra["citations"]
    assert "roughly 4.2 million euros" in content and "[1]" in content  # only what would render is escaped
    assert citations[0]["document_id"] == "fixtures/riverside-library"
    # a quote spanning a paragraph break is one Markdown block quote, each of its lines shown
    from rag.render import escape_markdown
    assert all(escape_markdown(line.strip()) in content for line in citations[0]["text"].split("\n"))

    streamed, final = "", None
    for chunk in client.chat.completions.create(model="attest", messages=messages, stream=True):
        streamed += chunk.choices[0].delta.content or ""
        if chunk.choices[0].finish_reason == "stop":
            final = chunk
    assert streamed.strip() == content.strip()
    assert final.model_extra["citations"] == citations
    import openai
    with pytest.raises(openai.UnprocessableEntityError):  # one answer, not n copies of it presented as n
        client.chat.completions.create(model="attest", messages=messages, n=2)
