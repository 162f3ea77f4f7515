"""AttestChatEngine: LlamaIndex's chat interface (chat, stream_chat, achat, astream_chat)
over Engine.ask, so follow-ups work without an LLM.

LlamaIndex's own chat engines condense a follow-up with an LLM; Attest reads the
conversation itself (rag/followup), as its API and UI do. Invariant: a reply is the
answer's quotes joined by blank lines (each document.text[start:end]), or the fixed
decline; an assistant turn keeps its quotes' citations, so the next question knows them
exactly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence

from llama_index.core.base.llms.types import ChatMessage, ChatResponse, MessageRole
from llama_index.core.chat_engine.types import AgentChatResponse, BaseChatEngine, StreamingAgentChatResponse

from rag.engine import Engine
from rag.integrations.llama_index import QUOTE_SEPARATOR, checked, quote_node
from rag.types import NO_ANSWER, Answer, Citation, Turn

CITATIONS = "citations"  # the key of an assistant ChatMessage's additional_kwargs that holds its quotes


def _turn(message: ChatMessage) -> Turn | None:
    """A LlamaIndex message as a Turn (system, tool and function messages are not the conversation)."""
    if message.role not in (MessageRole.USER, MessageRole.ASSISTANT):
        return None
    cited = message.additional_kwargs.get(CITATIONS) or []
    return Turn(role=message.role.value, content=message.content or "",
                citations=[Citation.model_validate(c) for c in cited])


def _parts(answer: Answer) -> list[str]:
    return [q.text for q in answer.quotes] if answer.answered else [NO_ANSWER]


class AttestChatEngine(BaseChatEngine):
    """A chat engine whose replies are Attest's answers. `chat_history` given to a call
    replaces the conversation kept so far, as in LlamaIndex's engines; `reset` forgets it.
    `documents` (ids, prefixes ending in "/") keeps it to those documents."""

    def __init__(self, engine: Engine, max_quotes: int | None = None, documents: Sequence[str] | None = None):
        if documents is not None:
            engine.scope(documents)  # a name matching none fails here, not as a decline
        self.engine, self.max_quotes, self.documents = engine, max_quotes, documents
        self._turns: list[Turn] = []

    def reset(self) -> None:
        self._turns = []

    @property
    def chat_history(self) -> list[ChatMessage]:
        return [ChatMessage(role=MessageRole(t.role), content=t.content,
                            additional_kwargs={CITATIONS: [c.model_dump() for c in t.citations]} if t.citations else {})
                for t in self._turns]

    def _ask(self, message: str, chat_history: list[ChatMessage] | None) -> Answer:
        question = checked(self.engine, message, "message")
        if chat_history is not None:
            self._turns = [turn for turn in map(_turn, chat_history) if turn is not None]
        answer = self.engine.ask(question, history=self._turns, max_quotes=self.max_quotes, documents=self.documents)
        self._turns += [Turn(role="user", content=question),
                        Turn.replying(answer, QUOTE_SEPARATOR.join(_parts(answer)))]
        return answer

    @staticmethod
    def _reply(answer: Answer) -> AgentChatResponse:
        return AgentChatResponse(response=QUOTE_SEPARATOR.join(_parts(answer)),
                                 source_nodes=[quote_node(q) for q in answer.quotes],
                                 metadata={"answered": answer.answered, "query": answer.query})

    @staticmethod
    def _deltas(answer: Answer) -> Iterator[ChatResponse]:
        """One delta per quote, as the API's chat stream sends them."""
        said = ""
        for n, part in enumerate(_parts(answer)):
            delta = (QUOTE_SEPARATOR if n else "") + part
            said += delta
            yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=said), delta=delta)

    def chat(self, message: str, chat_history: list[ChatMessage] | None = None) -> AgentChatResponse:
        return self._reply(self._ask(message, chat_history))

    def stream_chat(self, message: str, chat_history: list[ChatMessage] | None = None) -> StreamingAgentChatResponse:
        answer = self._ask(message, chat_history)
        return StreamingAgentChatResponse(chat_stream=self._deltas(answer), is_writing_to_memory=False,
                                          source_nodes=[quote_node(q) for q in answer.quotes])

    async def achat(self, message: str, chat_history: list[ChatMessage] | None = None) -> AgentChatResponse:
        return await asyncio.to_thread(self.chat, message, chat_history)  # the engine is synchronous

    async def astream_chat(self, message: str, chat_history: list[ChatMessage] | None = None,
                           ) -> StreamingAgentChatResponse:
        answer = await asyncio.to_thread(self._ask, message, chat_history)

        async def deltas() -> AsyncIterator[ChatResponse]:
            for delta in self._deltas(answer):
                yield delta

        return StreamingAgentChatResponse(achat_stream=deltas(), is_writing_to_memory=False,
                                          source_nodes=[quote_node(q) for q in answer.quotes])
