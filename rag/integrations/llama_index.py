"""LlamaIndex components over the Engine: AttestRetriever, QuoteSynthesizer, AttestQueryEngine.

Invariant: a node's text is a quote (document.text[start:end]); a Response is its verified
quotes joined by blank lines, or the fixed decline. Nothing here holds or reaches an LLM:
LlamaIndex falls back to Settings.llm wherever no LLM is given, so each component that
asks for one gets NoLLM, which refuses every call, and QuoteSynthesizer re-checks every
node against the stored text, leaving out any that another retriever made up.
"""

from __future__ import annotations

import asyncio
from typing import Any, Sequence

from llama_index.core.base.response.schema import Response
from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.response_synthesizers import BaseSynthesizer
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import (MetadataMode, NodeRelationship, NodeWithScore, QueryBundle,
                                     RelatedNodeInfo, TextNode)

from rag.config import question_problem
from rag.engine import Engine
from rag.types import NO_ANSWER, Quote

QUOTE_SEPARATOR = "\n\n"
OFFSETS = ("start", "end", "page", "time_start", "time_end")


class LLMNotAllowed(RuntimeError):
    """Raised by NoLLM: Attest answers with quotes only, so no text is ever generated."""


class NoLLM(CustomLLM):
    """The LLM handed to LlamaIndex components that insist on one; every call raises."""

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name="attest-no-llm", is_chat_model=False)

    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        raise LLMNotAllowed("Attest answers only with quotes from the corpus; no LLM may write text "
                            "(use QuoteSynthesizer, and num_queries=1 in QueryFusionRetriever)")

    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any):
        self.complete(prompt)


def quote_node(quote: Quote) -> NodeWithScore:
    """A quote as a LlamaIndex node: text, offsets and citation all from the Quote. A
    transcript's time is two flat fields and a section one string: vector stores keep only
    scalar metadata (page, date, section and time only where the quote has them)."""
    optional = {"page": quote.page, "date": quote.date, "section": " › ".join(quote.section or []),
                "time_start": quote.time and quote.time.start, "time_end": quote.time and quote.time.end}
    node = TextNode(
        id_=f"{quote.document_id}#{quote.start}-{quote.end}", text=quote.text,
        start_char_idx=quote.start, end_char_idx=quote.end,
        # a field the quote lacks is left out, not None: Chroma and other stores refuse a None value
        metadata={"document_id": quote.document_id, "title": quote.title, "source": quote.source,
                  "start": quote.start, "end": quote.end,
                  **{key: value for key, value in optional.items() if value not in (None, "")}},
        excluded_embed_metadata_keys=list(OFFSETS),  # numbers that say where, not what, to an embedding
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=quote.document_id)},
    )
    return NodeWithScore(node=node, score=quote.score)


def checked(engine: Engine, query: str, what: str = "query") -> str:
    """The query, or ValueError as the API and MCP refuse it: a blank query is no question to decline."""
    if problem := question_problem(query, engine.settings, what):
        raise ValueError(problem)
    return query


class AttestRetriever(BaseRetriever):
    """Retrieves the quotes Engine.ask chooses (none when it declines), scored by strength;
    with `documents` (ids, prefixes ending in "/"), from those documents only (checked here,
    so a name matching none fails at construction, not as an empty retrieval)."""

    def __init__(self, engine: Engine, max_quotes: int | None = None, documents: Sequence[str] | None = None,
                 **kwargs: Any):
        super().__init__(**kwargs)
        if documents is not None:
            engine.scope(documents)
        self.engine, self.max_quotes, self.documents = engine, max_quotes, documents

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        answer = self.engine.ask(checked(self.engine, query_bundle.query_str), max_quotes=self.max_quotes,
                                 documents=self.documents)
        return [quote_node(quote) for quote in answer.quotes]

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return await asyncio.to_thread(self._retrieve, query_bundle)  # the engine is synchronous


class QuoteSynthesizer(BaseSynthesizer):
    """The no-LLM response mode: the verified quotes, best first, or the fixed decline.

    metadata["answered"] says which; metadata["left_out"] counts nodes that were not a
    verbatim span of a stored document and so are neither in the text nor in source_nodes."""

    def __init__(self, engine: Engine, **kwargs: Any):
        super().__init__(llm=NoLLM(), **kwargs)
        self.engine = engine

    def _get_prompts(self) -> dict:
        return {}

    def _update_prompts(self, prompts: dict) -> None:
        pass

    def is_quote(self, node: NodeWithScore) -> bool:
        meta = node.node.metadata
        start, end = meta.get("start"), meta.get("end")
        document = self.engine.document(str(meta.get("document_id", "")))
        return (document is not None and isinstance(start, int) and isinstance(end, int) and 0 <= start < end
                and document.text[start:end] == node.node.get_content(metadata_mode=MetadataMode.NONE))

    def synthesize(self, query: Any, nodes: list[NodeWithScore],
                   additional_source_nodes: Sequence[NodeWithScore] | None = None, **kwargs: Any) -> Response:
        quotes = [node for node in nodes if self.is_quote(node)]
        left_out = len(nodes) - len(quotes)
        if not quotes:
            return Response(response=NO_ANSWER, source_nodes=[], metadata={"answered": False, "left_out": left_out})
        text = QUOTE_SEPARATOR.join(node.node.get_content(metadata_mode=MetadataMode.NONE) for node in quotes)
        return Response(response=text, source_nodes=quotes, metadata={"answered": True, "left_out": left_out})

    async def asynthesize(self, query: Any, nodes: list[NodeWithScore],
                          additional_source_nodes: Sequence[NodeWithScore] | None = None,
                          **kwargs: Any) -> Response:
        return await asyncio.to_thread(self.synthesize, query, nodes)

    def get_response(self, query_str: str, text_chunks: Sequence[str], **kwargs: Any) -> str:
        raise LLMNotAllowed("QuoteSynthesizer answers through synthesize(), which checks each quote")

    async def aget_response(self, query_str: str, text_chunks: Sequence[str], **kwargs: Any) -> str:
        return self.get_response(query_str, text_chunks)


class AttestQueryEngine(RetrieverQueryEngine):
    """query(question) → Response made only of Attest's quotes (source_nodes carry the
    citations), or the fixed decline with no source nodes."""

    def __init__(self, engine: Engine, max_quotes: int | None = None, documents: Sequence[str] | None = None,
                 **kwargs: Any):
        super().__init__(retriever=AttestRetriever(engine, max_quotes, documents),
                         response_synthesizer=QuoteSynthesizer(engine), **kwargs)
