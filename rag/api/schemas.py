"""Request bodies of the HTTP API; the response models are rag.types (one contract)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError

from rag.scope import MAX_NAMES
from rag.types import Citation, DocumentSummary, Turn

MAX_TURNS = 50  # earlier turns in one request; only the last user turn reaches the query
MAX_MESSAGES = 10_000  # chat messages in one request: many more than a body of RAG_MAX_BODY_BYTES holds


def _not_blank(text: str) -> str:
    if not text.strip():  # worded as pydantic words the empty string
        raise PydanticCustomError("blank", "String should have a character other than whitespace")
    return text


Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]  # a question or query (API and MCP)
# Asking within chosen documents (rag/scope.py); one a stored document does not match is a 404
Documents = Annotated[list[Annotated[Text, Field(max_length=1000)]], Field(
    min_length=1, max_length=MAX_NAMES,
    description="Ask only within these documents: ids, or id prefixes ending in '/' (\"wikipedia/\"). Leave it "
                "out to ask the whole corpus; a name no stored document matches is an error (404), not a decline.")] | None


class AskRequest(BaseModel):
    question: Text = Field(description="At most RAG_MAX_QUESTION_CHARS characters, as is each history turn.")
    history: list[Turn] = Field(default_factory=list, max_length=MAX_TURNS)
    max_quotes: int | None = Field(None, ge=1, le=10)
    documents: Documents = None


class SearchRequest(BaseModel):
    query: Text = Field(description="At most RAG_MAX_QUESTION_CHARS characters.")
    k: int = Field(5, ge=1, le=100)
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"
    read: bool = Field(False, description="Rerank the chunks answering would read by their best sentence's "
                                          "quote probability (slower: the reading model reads them).")
    documents: Documents = None


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list | None = None  # the question (last user message) is held to RAG_MAX_QUESTION_CHARS
    citations: list[Citation] = Field(default_factory=list, max_length=50)  # an Attest reply's, sent back


class ChatRequest(BaseModel):
    model: str = "attest"
    # An OpenAI client sends the whole conversation every time, and only its last exchanges are
    # read: the body limit (RAG_MAX_BODY_BYTES) bounds it, not a count that a long chat passes.
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    max_quotes: int | None = Field(None, ge=1, le=10)
    n: int = Field(1, ge=1, le=1, description="One choice: an answer is the same every time it is asked.")
    documents: Documents = None  # not OpenAI's: an openai client sends it as extra_body={"documents": [...]}
    model_config = {"extra": "allow"}  # model, temperature, top_p, ... are accepted and ignored


class DocumentPage(BaseModel):
    total: int
    offset: int
    limit: int
    documents: list[DocumentSummary]


class UploadResult(BaseModel):
    ok: bool
    files: dict[str, dict]
