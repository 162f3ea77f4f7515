"""Request bodies of the HTTP API; the response models are rag.types (one contract)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from rag.types import Citation, DocumentSummary, Turn

MAX_QUESTION = 2000
MAX_TURNS = 50  # earlier turns in one request; only the last user turn reaches the query


class HistoryTurn(Turn):
    """An earlier turn: as long as a question at most, so the retrieval query built from
    the question and one earlier turn (and echoed in Answer.query) stays bounded."""

    content: str = Field(max_length=MAX_QUESTION)


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    history: list[HistoryTurn] = Field(default_factory=list, max_length=MAX_TURNS)
    max_quotes: int | None = Field(None, ge=1, le=10)


class SearchRequest(BaseModel):
    query: str = Field(min_length=1, max_length=MAX_QUESTION)
    k: int = Field(5, ge=1, le=100)
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: Annotated[str, Field(max_length=4 * MAX_QUESTION)] | list | None = None
    citations: list[Citation] = Field(default_factory=list, max_length=50)  # an Attest reply's, sent back


class ChatRequest(BaseModel):
    model: str = "attest"
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False
    max_quotes: int | None = Field(None, ge=1, le=10)
    model_config = {"extra": "allow"}  # temperature, top_p, ... are accepted and ignored


class DocumentPage(BaseModel):
    total: int
    offset: int
    limit: int
    documents: list[DocumentSummary]


class UploadResult(BaseModel):
    ok: bool
    files: dict[str, dict]
