"""`rag mcp` driven by the MCP SDK's own client: a real `rag mcp` subprocess over stdio, a
real `rag mcp --http` subprocess over streamable HTTP (token, Origin and Host checks as the
REST API's), and the tool contract in-process on the session's real index."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager

import anyio
import httpx
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from rag.config import Settings
from rag.integrations.mcp_server import build_server, http_app
from rag.types import NO_ANSWER
from tests.conftest import ROOT, TOKEN, free_port, raw_request, running

QUESTION = "How much did the Riverside library renovation cost?"
UNANSWERABLE = "Who won the 2018 FIFA World Cup?"
ORIGIN = "https://analyst.example"


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "RAG_PRECISION": "fp32",
            "ANONYMIZED_TELEMETRY": "False", **extra}


def _structured(result):
    """A tool's structured result; a list comes wrapped as {"result": [...]} on older protocols."""
    assert not result.is_error, result.content
    value = result.structured_content
    return value["result"] if isinstance(value, dict) and set(value) == {"result"} else value


async def _exercise(client: Client, engine) -> None:
    """What a user's assistant does: list the tools, ask, verify each quote, search, decline."""
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == {"ask", "search", "show_document"}
    assert "verbatim" in tools["ask"].description and "as a quote" in tools["ask"].description
    assert all(tool.annotations.read_only_hint for tool in tools.values())
    assert "quotation" in (client.instructions or "")

    answer = _structured(await client.call_tool("ask", {"question": QUESTION}))
    assert answer["answered"] and answer["decline"] == "" and "4.2 million" in answer["quotes"][0]["text"]
    for quote in answer["quotes"]:
        assert set(quote) >= {"text", "document_id", "title", "source", "start", "end", "strength"}
        shown = _structured(await client.call_tool(
            "show_document", {"id": quote["document_id"], "start": quote["start"], "end": quote["end"]}))
        assert shown["text"] == quote["text"] == engine.document(quote["document_id"]).text[quote["start"]:quote["end"]]
    expected = engine.ask(QUESTION)
    assert [q["strength"] for q in answer["quotes"]] == [q.score for q in expected.quotes]

    declined = _structured(await client.call_tool("ask", {"question": UNANSWERABLE}))
    assert not declined["answered"] and declined["quotes"] == [] and declined["decline"] == NO_ANSWER

    passages = _structured(await client.call_tool("search", {"query": "Norman conquest", "k": 3}))
    assert len(passages) == 3
    for mode, read in (("bm25", False), ("hybrid", True)):  # as /v1/search takes them
        found = _structured(await client.call_tool("search", {"query": "Norman conquest", "k": 3, "mode": mode,
                                                              "read": read}))
        expected = engine.search("Norman conquest", k=3, mode=mode, read=read)
        assert [(p["document_id"], p["start"]) for p in found] == [(c.document_id, c.start) for c in expected]
    for passage in passages:
        assert passage["text"] == engine.document(passage["document_id"]).text[passage["start"]:passage["end"]]


@pytest.mark.server
def test_stdio_subprocess_with_the_sdk_client(engine, settings):
    """`rag --data-dir DIR mcp`, launched the way a desktop assistant's config launches it."""
    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "rag.cli", "--data-dir", str(settings.data_dir), "mcp"],
                                   env=_env(), cwd=str(ROOT))

    async def main():
        async with Client(params, read_timeout_seconds=300) as client:
            await _exercise(client, engine)

    anyio.run(main)


@contextmanager
def _http_server(data_dir, log_path):
    """`rag mcp --http` as a subprocess with the REST API's protections turned on."""
    port = free_port()
    log = open(log_path, "w+")  # a file, not a pipe: a full pipe would stall the server
    env = _env(RAG_API_TOKEN=TOKEN, RAG_PROTECT_READS="true", RAG_CORS_ORIGINS=ORIGIN)
    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "--data-dir", str(data_dir), "mcp", "--http",
                             "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # loading the engine is slow on a busy machine
        while True:
            if proc.poll() is not None:
                raise AssertionError(open(log_path).read())
            if time.monotonic() > deadline:
                raise AssertionError("`rag mcp --http` did not answer /healthz within 300 s")
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "probe", "version": "0"}}}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@pytest.mark.server
def test_http_subprocess_needs_the_token_and_a_listed_origin(engine, settings, tmp_path):
    with _http_server(settings.data_dir, tmp_path / "mcp-http.log") as base:
        url, auth = f"{base}/mcp", {"Authorization": f"Bearer {TOKEN}"}
        assert httpx.get(f"{base}/healthz").status_code == 200  # probes stay open, as in the REST API
        missing = httpx.post(url, json=INITIALIZE, headers=MCP_HEADERS)
        assert missing.status_code == 401 and "Bearer" in missing.json()["error"]
        wrong = httpx.post(url, json=INITIALIZE, headers={**MCP_HEADERS, "Authorization": "Bearer nope"})
        assert wrong.status_code == 403
        evil = httpx.post(url, json=INITIALIZE, headers={**MCP_HEADERS, **auth, "Origin": "https://evil.example"})
        assert evil.status_code == 403 and "RAG_CORS_ORIGINS" in evil.json()["error"]
        rebound = httpx.post(url, json=INITIALIZE, headers={**MCP_HEADERS, **auth, "Host": "attacker.example"})
        assert rebound.status_code == 421  # DNS rebinding: a loopback server answers loopback names only
        listed = httpx.post(url, json=INITIALIZE, headers={**MCP_HEADERS, **auth, "Origin": ORIGIN})
        assert listed.status_code == 200 and listed.headers["access-control-allow-origin"] == ORIGIN
        preflight = httpx.options(url, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                                                "Access-Control-Request-Headers": "authorization,mcp-session-id"})
        assert preflight.status_code == 200

        async def main():
            async with httpx2.AsyncClient(headers=auth, timeout=httpx2.Timeout(30, read=300)) as http:
                async with Client(streamable_http_client(url, http_client=http)) as client:
                    await _exercise(client, engine)
            with pytest.raises(Exception):  # the SDK's client without the token cannot connect
                async with Client(url) as client:
                    await client.list_tools()

        anyio.run(main)


@pytest.mark.server
def test_http_rate_limit_as_in_the_rest_api(engine):
    settings = Settings(data_dir=engine.settings.data_dir, rate_limit=3)
    with running(http_app(engine, settings=settings)) as base:
        statuses = [httpx.post(f"{base}/mcp", json=INITIALIZE, headers=MCP_HEADERS).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = httpx.post(f"{base}/mcp", json=INITIALIZE, headers=MCP_HEADERS)
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        assert httpx.get(f"{base}/healthz").status_code == 200  # health is never limited


@pytest.mark.server
def test_http_body_that_never_ends_is_cut_off(engine):
    """As in the REST API: headers and part of a body, then nothing, get 408 after RAG_BODY_SECONDS
    and the connection is closed; a whole request still works."""
    settings = Settings(data_dir=engine.settings.data_dir, body_seconds=1)
    with running(http_app(engine, settings=settings)) as base:
        head = (b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Accept: application/json, text/event-stream\r\nContent-Length: 500\r\n\r\n")
        data, closed, seconds = raw_request(base, head + b'{"jsonrpc": "2.0", ')
        assert data.startswith(b"HTTP/1.1 408") and closed and 0.9 < seconds < 4, (data[:200], seconds)
        assert httpx.post(f"{base}/mcp", json=INITIALIZE, headers=MCP_HEADERS).status_code == 200


def test_bad_arguments_get_clear_errors_and_nothing_else(engine):
    """In-process (same tools, same engine): errors name the problem; no tool writes text."""

    async def main():
        async with Client(build_server(engine)) as client:
            async def error(tool, arguments):
                result = await client.call_tool(tool, arguments)
                assert result.is_error
                return result.content[0].text

            assert "no document 'no/such'" in await error("show_document", {"id": "no/such"})
            document_id = engine.search("Rollo", k=1)[0].document_id
            length = len(engine.document(document_id).text)
            assert f"has {length} characters" in await error(
                "show_document", {"id": document_id, "start": 10, "end": length + 1})
            assert "start" in await error("show_document", {"id": document_id, "start": -1})
            assert "ends before it starts" in await error("show_document", {"id": document_id, "start": 500, "end": 100})
            assert "question" in await error("ask", {"question": ""})
            assert "whitespace" in await error("ask", {"question": "   "})  # as the REST API words it
            assert "whitespace" in await error("search", {"query": " "})
            limit = engine.settings.answer.max_question_chars
            too_long = await error("ask", {"question": "x" * (limit + 1)})
            assert too_long == f"Error executing tool ask: question is {limit + 1:,} characters; at most {limit:,} are taken"
            assert "k" in await error("search", {"query": "Rollo", "k": 0})
            assert "role" in await error("ask", {"question": "When?", "history": [{"role": "bot", "content": "x"}]})
            # said as the field and the problem: no pydantic links, no echo of what was sent
            said = await error("ask", {"question": 5, "max_quotes": 0})
            assert said.startswith("Error executing tool ask: question: ") and "max_quotes: " in said
            assert "pydantic.dev" not in said and "input_value" not in said
            assert f"past the end of document {document_id!r}" in await error(
                "show_document", {"id": document_id, "start": length + 5})
            several = "When did the oil crisis start?"
            assert len(engine.ask(several).quotes) > 1
            one = _structured(await client.call_tool("ask", {"question": several, "max_quotes": 1}))
            assert one["answered"] and len(one["quotes"]) == 1

            whole = _structured(await client.call_tool("show_document", {"id": document_id}))
            assert whole["text"] == engine.document(document_id).text and whole["end"] == whole["length"] == length

            first = "What do volunteers run in the basement of the Riverside library?"
            follow = _structured(await client.call_tool("ask", {
                "question": "How long can that session last?",
                "history": [{"role": "user", "content": first}, {"role": "assistant", "content": "repair café"}]}))
            assert "three hours" in follow["quotes"][0]["text"]
            assert follow["query"] != follow["question"] == "How long can that session last?"  # read as it stands alone

    anyio.run(main)
