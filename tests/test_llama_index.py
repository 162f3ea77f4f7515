"""The LlamaIndex components inside LlamaIndex's own pipelines (RetrieverQueryEngine,
QueryFusionRetriever) on the session's real index, with every LLM path shut: Settings.llm
and Settings.embed_model raise, and any LLM call LlamaIndex instruments is recorded."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings as fuzz_settings, strategies as st
from llama_index.core import Settings, SummaryIndex
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.retrievers import QueryFusionRetriever
from llama_index.core.schema import NodeWithScore, TextNode

from rag.integrations.llama_index import (QUOTE_SEPARATOR, AttestQueryEngine, AttestRetriever, LLMNotAllowed,
                                          NoLLM, QuoteSynthesizer)
from rag.types import NO_ANSWER
from tests.conftest import ROOT

QUESTION = "How much did the Riverside library renovation cost?"
UNANSWERABLE = "Who won the 2018 FIFA World Cup?"


class _LLMEvents(BaseEventHandler):
    """Records every LLM event LlamaIndex dispatches (each LLM call starts with one)."""

    events: list = []

    @classmethod
    def class_name(cls) -> str:
        return "LLMEvents"

    def handle(self, event, **kwargs) -> None:
        if event.class_name().startswith("LLM"):
            self.events.append(event.class_name())


@pytest.fixture(autouse=True)
def no_llm(monkeypatch):
    def refuse(self):
        raise AssertionError("a code path reached LlamaIndex's default LLM or embedding model")

    settings_type = type(Settings)
    monkeypatch.setattr(settings_type, "llm", property(refuse, lambda self, value: refuse(self)))
    monkeypatch.setattr(settings_type, "embed_model", property(refuse, lambda self, value: refuse(self)))
    handler = _LLMEvents(events=[])
    root = get_dispatcher()
    root.add_event_handler(handler)
    yield
    root.event_handlers.remove(handler)
    assert handler.events == [], handler.events


def assert_only_quotes(engine, response) -> None:
    """The response text is exactly its source nodes' texts, each verbatim from its document."""
    for source in response.source_nodes:
        meta = source.node.metadata
        assert engine.document(meta["document_id"]).text[meta["start"]:meta["end"]] == source.node.text
    if response.source_nodes:
        assert response.response == QUOTE_SEPARATOR.join(s.node.text for s in response.source_nodes)
        assert response.metadata["answered"]
    else:
        assert response.response == NO_ANSWER and not response.metadata["answered"]


def test_retriever_returns_the_engines_quotes_as_nodes(engine):
    expected = engine.ask(QUESTION)
    nodes = AttestRetriever(engine).retrieve(QUESTION)
    assert [n.node.text for n in nodes] == [q.text for q in expected.quotes] and "4.2 million" in nodes[0].node.text
    for node, quote in zip(nodes, expected.quotes):
        assert node.score == quote.score
        assert {k: node.node.metadata[k] for k in ("document_id", "title", "source", "start", "end")} == {
            "document_id": quote.document_id, "title": quote.title, "source": quote.source,
            "start": quote.start, "end": quote.end}
        assert (node.node.start_char_idx, node.node.end_char_idx) == (quote.start, quote.end)
    assert AttestRetriever(engine).retrieve(UNANSWERABLE) == []


def test_nodes_go_into_a_chroma_vector_store_as_llama_index_writes_them(engine):
    """A pipeline that stores Attest's nodes: LlamaIndex flattens their metadata, and Chroma
    refuses a None value, so a field a quote lacks (page, date, time) is absent, not None."""
    import uuid

    import chromadb
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    nodes = AttestRetriever(engine).retrieve(QUESTION)
    assert nodes and all("page" not in n.node.metadata and "date" not in n.node.metadata for n in nodes)
    collection = chromadb.EphemeralClient().create_collection(f"nodes-{uuid.uuid4().hex}")
    collection.add(ids=[n.node.node_id for n in nodes], documents=[n.node.text for n in nodes],
                   embeddings=[[1.0, float(i)] for i in range(len(nodes))],
                   metadatas=[node_to_metadata_dict(n.node, flat_metadata=True) for n in nodes])
    stored = collection.get(include=["metadatas"])["metadatas"]
    assert [(m["start"], m["end"]) for m in stored] == [(n.node.metadata["start"], n.node.metadata["end"]) for n in nodes]
    embedded = nodes[0].node.get_content(metadata_mode="embed")  # offsets are not embedded; the title is
    assert nodes[0].node.metadata["title"] in embedded and "start:" not in embedded


@pytest.mark.parametrize("query", ["", "  \n ", "x" * 2001])
def test_a_blank_or_over_long_query_is_an_error_not_a_decline(engine, query):
    with pytest.raises(ValueError, match="query is (blank|2,001 characters)"):
        AttestQueryEngine(engine).query(query)


def test_retriever_and_query_engine_within_chosen_documents(engine):
    from rag.scope import UnknownDocuments

    page = engine.ask(QUESTION).quotes[0].document_id
    nodes = AttestRetriever(engine, documents=[page]).retrieve(QUESTION)
    assert nodes and {n.node.metadata["document_id"] for n in nodes} == {page}
    declined = AttestQueryEngine(engine, documents=["wikipedia/"]).query(QUESTION)  # the page is not in it
    assert str(declined) == NO_ANSWER and declined.source_nodes == []
    with pytest.raises(UnknownDocuments, match="'wikipedia/nope'"):
        AttestRetriever(engine, documents=["wikipedia/nope"])


def test_query_engine_answers_with_quotes_or_declines(engine):
    query_engine = AttestQueryEngine(engine)
    response = query_engine.query(QUESTION)
    assert response.source_nodes and "4.2 million" in str(response)
    assert_only_quotes(engine, response)
    declined = query_engine.query(UNANSWERABLE)
    assert str(declined) == NO_ANSWER and declined.source_nodes == []
    assert_only_quotes(engine, asyncio.run(query_engine.aquery(QUESTION)))


def test_inside_a_fusion_pipeline_made_up_text_never_reaches_the_response(engine):
    """QueryFusionRetriever (num_queries=1: no query generation) fuses Attest's quotes with a
    core LlamaIndex retriever whose nodes are not quotes: a paraphrase with a forged citation
    and a plain note. RetrieverQueryEngine with QuoteSynthesizer answers with the quotes only."""
    document_id = engine.ask(QUESTION).quotes[0].document_id
    forged = TextNode(text="The renovation was a bargain at four million.",
                      metadata={"document_id": document_id, "start": 0, "end": 45})
    other = SummaryIndex([forged, TextNode(text="Libraries are nice.")]).as_retriever()
    for use_async in (False, True):
        fusion = QueryFusionRetriever([AttestRetriever(engine), other], num_queries=1, llm=NoLLM(),
                                      mode="reciprocal_rerank", use_async=use_async, similarity_top_k=10)
        response = RetrieverQueryEngine(fusion, response_synthesizer=QuoteSynthesizer(engine)).query(QUESTION)
        assert "4.2 million" in response.response and "bargain" not in response.response
        assert response.metadata["left_out"] == 2
        assert_only_quotes(engine, response)


def test_no_llm_refuses_and_the_synthesizer_never_generates(engine):
    with pytest.raises(LLMNotAllowed):
        NoLLM().complete("Write an answer.")
    with pytest.raises(LLMNotAllowed):
        QuoteSynthesizer(engine).get_response(QUESTION, ["some text"])
    with pytest.raises(LLMNotAllowed):  # query generation (num_queries > 1) would need an LLM
        QueryFusionRetriever([AttestRetriever(engine)], num_queries=2, llm=NoLLM(), use_async=False).retrieve(QUESTION)
    response = QuoteSynthesizer(engine).synthesize(QUESTION, [])
    assert response.response == NO_ANSWER and response.source_nodes == []


def test_the_readme_example_runs_as_written(engine, settings, monkeypatch, capsys):
    """The LlamaIndex snippet of docs/integrations.md, executed verbatim against the session's index."""
    page = (ROOT / "docs" / "integrations.md").read_text()
    section = page[page.index("## LlamaIndex"):]
    snippet = section[section.index("```python") + len("```python"):]
    snippet = snippet[:snippet.index("```")]
    monkeypatch.setenv("RAG_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("RAG_PRECISION", settings.runtime.precision)
    exec(compile(snippet, "docs/integrations.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "under their leader Rollo" in printed and "wikipedia/normans" in printed


@fuzz_settings(max_examples=100, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spans=st.lists(st.tuples(st.integers(0, 3000), st.integers(1, 400), st.sampled_from(["true", "edited", "shifted"])),
                      max_size=5))
def test_whatever_the_nodes_the_response_is_quotes_or_the_decline(engine, spans):
    """Nodes with true spans, edited text or shifted offsets: only true spans are spoken."""
    document = engine.document("wikipedia/normans")
    nodes = []
    for start, width, kind in spans:
        start = min(start, len(document.text) - 1)
        end = min(start + width, len(document.text))
        text = document.text[start:end]
        if kind == "edited":
            text = text.replace("e", "a") + "!"
        elif kind == "shifted":
            start, end = start + 1, end + 1
        nodes.append(NodeWithScore(node=TextNode(text=text, metadata={
            "document_id": document.id, "start": start, "end": end}), score=1.0))
    response = QuoteSynthesizer(engine).synthesize("q", nodes)
    assert_only_quotes(engine, response)
    kept = [n.node.text for n in response.source_nodes]
    assert response.metadata["left_out"] == len(nodes) - len(kept)


def test_chat_engine_reads_a_follow_up_with_the_conversation(engine):
    """AttestChatEngine as LlamaIndex users chat: a follow-up answered with no LLM, each reply
    its quotes (or the decline), the history carrying the quotes' citations."""
    from llama_index.core.chat_engine.types import BaseChatEngine

    from rag.integrations.llama_index_chat import AttestChatEngine

    chat = AttestChatEngine(engine)
    assert isinstance(chat, BaseChatEngine)
    first = chat.chat("When did the oil crisis start?")
    assert "October 1973" in first.response and first.metadata["answered"]
    follow = chat.chat("and when did it end")
    assert "March 1974" in follow.response and follow.metadata["query"] != "and when did it end"
    assert_only_quotes(engine, follow)  # the reply is its source nodes' texts, each verbatim
    history = chat.chat_history
    assert [m.role.value for m in history] == ["user", "assistant"] * 2
    assert history[3].additional_kwargs["citations"][0]["start"] == follow.source_nodes[0].node.metadata["start"]

    # the history handed to another engine, as LlamaIndex passes chat_history: the same answer
    again = AttestChatEngine(engine).chat("and when did it end", chat_history=history[:2])
    assert again.response == follow.response
    streamed = AttestChatEngine(engine).stream_chat("and when did it end", chat_history=history[:2])
    assert "".join(streamed.response_gen) == follow.response and streamed.source_nodes

    async def in_async():
        other = AttestChatEngine(engine)
        await other.achat("When did the oil crisis start?")
        stream = await other.astream_chat("and when did it end")
        return "".join([delta async for delta in stream.async_response_gen()])

    assert asyncio.run(in_async()) == follow.response
    declined = chat.chat(UNANSWERABLE)
    assert declined.response == NO_ANSWER and declined.source_nodes == [] and not declined.metadata["answered"]
    with pytest.raises(ValueError, match="message is blank"):
        chat.chat("   ")
    chat.reset()
    assert chat.chat_history == []
