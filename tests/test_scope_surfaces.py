"""Asking within chosen documents on every face: the HTTP API on a real uvicorn (with the
official openai client), the CLI in-process, and the MCP tools through the SDK's client."""

from __future__ import annotations

import json

import anyio
import httpx
import pytest
from mcp import Client

from rag.cli import main
from rag.integrations.mcp_server import build_server
from rag.types import NO_ANSWER
from tests.conftest import error_message
from tests.test_scope import LIBRARY, LIBRARY_PAGE, NORSE


def test_api_ask_and_search_within_documents(server, engine):
    answer = httpx.post(f"{server}/v1/ask", json={"question": LIBRARY, "documents": [LIBRARY_PAGE]}, timeout=120)
    assert answer.status_code == 200 and answer.json()["answered"]
    for quote in answer.json()["quotes"]:
        assert quote["document_id"] == LIBRARY_PAGE
        assert engine.document(LIBRARY_PAGE).text[quote["start"]:quote["end"]] == quote["text"]
    outside = httpx.post(f"{server}/v1/ask", json={"question": LIBRARY, "documents": ["wikipedia/"]}, timeout=120)
    assert outside.status_code == 200 and not outside.json()["answered"]
    hits = httpx.post(f"{server}/v1/search", json={"query": NORSE, "k": 10, "documents": ["wikipedia/normans"]},
                      timeout=120).json()
    assert hits and {h["document_id"] for h in hits} == {"wikipedia/normans"}


@pytest.mark.parametrize("path,body", [("/v1/ask", {"question": NORSE}), ("/v1/search", {"query": NORSE}),
                                       ("/v1/chat/completions", {"messages": [{"role": "user", "content": NORSE}]}),
                                       ("/v1/chat/completions", {"messages": [{"role": "user", "content": NORSE}],
                                                                 "stream": True})])
def test_api_unknown_or_malformed_names_are_clear_errors(server, path, body):
    unknown = httpx.post(f"{server}{path}", json={**body, "documents": ["wikipedia/normans", "nope/"]}, timeout=120)
    said = error_message(unknown)
    assert unknown.status_code == 404 and "'nope/'" in said and "'wikipedia/normans'" not in said
    for bad in ([], [""], "wikipedia/normans"):
        refused = httpx.post(f"{server}{path}", json={**body, "documents": bad}, timeout=120)
        assert refused.status_code == 422 and refused.json()["details"][0]["field"].startswith("body.documents")


def test_openai_client_asks_within_documents_through_extra_body(server, engine):
    import openai
    from openai import OpenAI

    client = OpenAI(base_url=f"{server}/v1", api_key="unused")
    messages = [{"role": "user", "content": NORSE}]
    reply = client.chat.completions.create(model="attest", messages=messages, extra_body={"documents": ["wikipedia/"]})
    citations = reply.model_extra["citations"]
    assert citations and all(c["document_id"].startswith("wikipedia/") for c in citations)
    declined = client.chat.completions.create(model="attest", messages=[{"role": "user", "content": NORSE}],
                                              extra_body={"documents": [LIBRARY_PAGE]})
    assert declined.model_extra["citations"] == [] and not declined.model_extra["answer"]["answered"]
    streamed = client.chat.completions.create(model="attest", messages=messages, stream=True,
                                              extra_body={"documents": ["wikipedia/normans"]})
    last = list(streamed)[-1]
    assert {c["document_id"] for c in last.model_extra["citations"]} == {"wikipedia/normans"}
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(model="attest", messages=messages, extra_body={"documents": ["wikipedia/nope"]})
    assert "'wikipedia/nope'" in err.value.message  # the exception's text says it (OpenAI's error shape)


def test_cli_doc_option(engine, capsys, monkeypatch):
    monkeypatch.setenv("RAG_PRECISION", "fp32")
    data = ["--data-dir", str(engine.settings.data_dir)]
    scope = ["--doc", "wikipedia/normans", "--doc", LIBRARY_PAGE]
    assert main(["search", NORSE, "--json", "-k", "10", *scope, *data]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and {h["document_id"] for h in hits} <= {"wikipedia/normans", LIBRARY_PAGE}
    assert main(["ask", LIBRARY, "--json", "--doc", "fixtures/", *data]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["answered"] and {q["document_id"] for q in answer["quotes"]} == {LIBRARY_PAGE}
    for command in (["ask", NORSE], ["search", NORSE], ["chat"]):  # chat says so before its first prompt
        assert main([*command, "--doc", "wikipedia", *data]) == 2
        err = capsys.readouterr()
        assert f"rag {command[0]}: no stored document matches 'wikipedia'" in err.err and "'wikipedia/'" in err.err
        assert "Ask a question" not in err.out
    typed = iter([LIBRARY, ""])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(typed))
    assert main(["chat", "--doc", "wikipedia/", *data]) == 0
    assert NO_ANSWER in capsys.readouterr().out  # the library page is outside the scope
    with pytest.raises(SystemExit):
        main(["ask", NORSE, "--doc", " ", *data])
    assert "not blank" in capsys.readouterr().err


def test_mcp_tools_take_documents(engine):
    async def run():
        async with Client(build_server(engine)) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            assert "documents" in tools["ask"].input_schema["properties"]
            asked = await client.call_tool("ask", {"question": LIBRARY, "documents": [LIBRARY_PAGE]})
            answer = asked.structured_content
            assert answer["answered"] and {q["document_id"] for q in answer["quotes"]} == {LIBRARY_PAGE}
            outside = (await client.call_tool("ask", {"question": LIBRARY, "documents": ["wikipedia/"]}))
            assert not outside.structured_content["answered"]
            found = (await client.call_tool("search", {"query": NORSE, "documents": ["wikipedia/normans"]}))
            passages = found.structured_content["result"]
            assert passages and {p["document_id"] for p in passages} == {"wikipedia/normans"}
            for tool, arguments in (("ask", {"question": NORSE}), ("search", {"query": NORSE})):
                unknown = await client.call_tool(tool, {**arguments, "documents": ["blogs/"]})
                assert unknown.is_error and "no stored document matches 'blogs/'" in unknown.content[0].text
                empty = await client.call_tool(tool, {**arguments, "documents": []})
                assert empty.is_error and "documents" in empty.content[0].text

    anyio.run(run)
