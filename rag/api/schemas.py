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
DOCUMENTS = ("Ask only within these documents: ids, or id prefixes ending in '/' (\"wikipedia/\"). Leave it out "
             "to ask the whole corpus; a name no stored document matches is an error (404), not a decline.")
Documents = Annotated[list[Annotated[Text, Field(max_length=1000)]], Field(
    min_length=1, max_length=MAX_NAMES, description=DOCUMENTS)] | None


MOST_QUOTES = 10  # an answer a request may ask for; the UI's slider offers the same
MAX_QUOTES = f"At most this many quotes (1-{MOST_QUOTES}); left out, RAG_MAX_QUOTES."


class AskRequest(BaseModel):
    question: Text = Field(description="At most RAG_MAX_QUESTION_CHARS characters, as is each history turn.")
    history: list[Turn] = Field(default_factory=list, max_length=MAX_TURNS, description=(
        "The conversation so far, oldest first; the last three exchanges resolve a follow-up question "
        "(\"What was it used for?\"). Send an answer's quotes back as its turn's `citations`."))
    max_quotes: int | None = Field(None, ge=1, le=MOST_QUOTES, description=MAX_QUOTES)
    documents: Documents = Field(None, description=DOCUMENTS)
    # a misspelt field is a 422, not ignored: a `document` scope would silently ask the whole corpus
    model_config = {"extra": "forbid"}


class SearchRequest(BaseModel):
    query: Text = Field(description="At most RAG_MAX_QUESTION_CHARS characters.")
    k: int = Field(5, ge=1, le=100, description="How many chunks, best first (1-100).")
    mode: Literal["hybrid", "dense", "bm25"] = Field(
        "hybrid", description="Retrieval: BM25 and dense vectors fused (hybrid), or one of them alone.")
    read: bool = Field(False, description="Rerank the chunks answering would read by their best sentence's "
                                          "quote probability (slower: the reading model reads them).")
    documents: Documents = Field(None, description=DOCUMENTS)
    model_config = {"extra": "forbid"}


def _text_format(value: dict | None) -> dict | None:
    if value is not None and value.get("type", "text") != "text":
        raise PydanticCustomError("text_only", "Attest replies with quotes as Markdown, never JSON ({kind}); "
                                  "the quotes as JSON are the reply's `citations`", {"kind": str(value.get("type"))})
    return value


def _no_forced_tool(value: str | dict | None) -> str | dict | None:
    if value not in (None, "auto", "none"):
        raise PydanticCustomError("no_tools", "Attest never calls a tool; tool_choice may be \"auto\" or \"none\"")
    return value


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "function", "developer"] = Field(
        description="The last user message is the question; earlier user and assistant messages are the "
                    "conversation a follow-up is read with; the others are ignored.")
    content: str | list | None = Field(None, description=(
        "Text, or OpenAI text parts ([{\"type\": \"text\", \"text\": \"...\"}]); any other part is a 422. "
        "The question is held to RAG_MAX_QUESTION_CHARS."))
    citations: list[Citation] = Field(default_factory=list, max_length=50, description=(
        "An Attest reply's `citations`, sent back with its message, so a follow-up knows its quotes "
        "exactly; without them they are found by matching the text against the store."))


class ChatRequest(BaseModel):
    model: str = Field("attest", description="Accepted and ignored: there is one model, `attest`.")
    # An OpenAI client sends the whole conversation every time, and only its last exchanges are
    # read: the body limit (RAG_MAX_BODY_BYTES) bounds it, not a count that a long chat passes.
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES, description=(
        "The conversation, oldest first, as an OpenAI client sends it."))
    stream: bool = Field(False, description="Server-sent events: one chunk per quote, then the sources; the "
                                            "last chunk carries `citations`, `answer` and `usage`.")
    max_quotes: int | None = Field(None, ge=1, le=MOST_QUOTES, description=MAX_QUOTES)
    n: int = Field(1, ge=1, le=1, description="One choice: an answer is the same every time it is asked.")
    # not OpenAI's: an openai client sends it as extra_body={"documents": [...]}
    documents: Documents = Field(None, description=DOCUMENTS + " An openai client sends it in `extra_body`.")
    # What the reply can never be is refused, so a client expecting JSON or a tool call hears why
    # rather than failing to parse quotes; `tools` alone, "auto" and "none" are accepted and ignored.
    response_format: Annotated[dict | None, AfterValidator(_text_format)] = Field(None, description=(
        "Only `{\"type\": \"text\"}`: the content is Markdown quotes; structured quotes are in `citations`."))
    tool_choice: Annotated[str | dict | None, AfterValidator(_no_forced_tool)] = Field(None, description=(
        "\"auto\" or \"none\": Attest never calls a tool, so one cannot be required."))
    model_config = {"extra": "allow"}  # model, temperature, top_p, max_tokens, ... are accepted and ignored


def _text_config(value: dict | None) -> dict | None:
    """A Responses `text`: its `format` held to text as chat's `response_format` is."""
    if value is None:
        return value
    if not isinstance(form := value.get("format"), dict | None):
        raise PydanticCustomError("text_format", 'text.format is an object such as {"type": "text"}')
    return value if form is None else {**value, "format": _text_format(form)}


_TOOLS_IGNORED = {"function", "custom"}  # offered for the model to call: Attest calls none, as in chat


def _no_hosted_tools(value: list[dict] | None) -> list[dict] | None:
    hosted = sorted({str(tool.get("type", "one without a type")) for tool in value or []
                     if tool.get("type") not in _TOOLS_IGNORED})
    if hosted:
        raise PydanticCustomError("no_hosted_tools", "Attest runs no hosted tool ({kinds}): it answers only with "
                                  "quotes from its own corpus", {"kinds": ", ".join(hosted)})
    return value


def _refused(why: str):
    """A Responses option Attest cannot honour: a 422 saying why for any value but null, false,
    or an object of nulls (`{"effort": null}`, as some clients send when nothing is chosen)."""
    def check(value):
        if value and (not isinstance(value, dict) or any(v is not None for v in value.values())):
            raise PydanticCustomError("unsupported", why)
        return value
    return AfterValidator(check)


class InputMessage(BaseModel):
    """A message item of a Responses `input`, as OpenAI clients send it (an earlier reply's
    `output` message too); `citations` is Attest's, as on a chat message."""

    type: Literal["message"] = "message"
    role: Literal["user", "assistant", "system", "developer"] = Field(
        description="The last user message is the question; system and developer messages are ignored.")
    content: str | list = Field(description="Text, or `input_text` / `output_text` parts; any other part is a 422.")
    citations: list[Citation] = Field(default_factory=list, max_length=50, description=(
        "An Attest reply's `citations`, sent back with its message (its annotations carry them too)."))
    model_config = {"extra": "allow"}  # id, status, phase


class ResponsesRequest(BaseModel):
    model: str = Field("attest", description="Accepted and ignored: there is one model, `attest`.")
    input: str | Annotated[list[dict], Field(min_length=1, max_length=MAX_MESSAGES)] = Field(description=(
        "The question, or the conversation as input items, oldest first: messages `{role, content}` whose content "
        "is text or `input_text` parts (an assistant message's `output_text` parts too, as a reply's `output` is "
        "sent back); the last user message is the question. Other items (function calls, reasoning) are ignored."))
    instructions: str | None = Field(None, description=(
        "Accepted and ignored for answering: Attest quotes its corpus and follows no instructions; echoed back."))
    previous_response_id: str | None = Field(None, max_length=200, description=(
        "Continue a response this process kept: its conversation is the history the follow-up is read with "
        "(an unknown or forgotten id is a 404)."))
    stream: bool = Field(False, description="Server-sent events, as the Responses API streams them: one "
                                            "`response.output_text.delta` per quote, then the sources.")
    store: bool = Field(True, description="Keep the response for `previous_response_id` and GET (per process, "
                                          "the most recent ones only); false keeps nothing.")
    metadata: dict[str, Annotated[str, Field(max_length=512)]] | None = Field(
        None, max_length=16, description="Up to 16 string pairs, echoed back.")
    max_quotes: int | None = Field(None, ge=1, le=MOST_QUOTES, description=MAX_QUOTES)
    documents: Documents = Field(None, description=DOCUMENTS + " An openai client sends it in `extra_body`.")
    text: Annotated[dict | None, AfterValidator(_text_config)] = Field(None, description=(
        "Only `{\"format\": {\"type\": \"text\"}}`: the output is Markdown quotes; structured quotes are in "
        "`citations`."))
    tool_choice: Annotated[str | dict | None, AfterValidator(_no_forced_tool)] = Field(None, description=(
        "\"auto\" or \"none\": Attest never calls a tool, so one cannot be required."))
    tools: Annotated[list[dict] | None, AfterValidator(_no_hosted_tools)] = Field(None, description=(
        "Function and custom tools are accepted and ignored (Attest calls none); a hosted tool (web_search, "
        "file_search, ...) is a 422: Attest runs none."))
    background: Annotated[bool | None, _refused(
        "Attest answers while the request waits; it runs no background responses")] = Field(
        None, description="Only false: Attest runs no background responses.")
    reasoning: Annotated[dict | None, _refused(
        "Attest does no reasoning: it selects quotes, with no generating model to reason")] = Field(
        None, description="Only null or `{}`: there is no reasoning model.")
    conversation: Annotated[str | dict | None, _refused(
        "Attest keeps no conversations; send previous_response_id, or the earlier turns as input")] = Field(
        None, description="Refused: continue with `previous_response_id`, or send the turns as `input`.")
    prompt: Annotated[dict | None, _refused("Attest keeps no prompt templates; send the question as input")] = Field(
        None, description="Refused: there are no stored prompts.")
    model_config = {"extra": "allow"}  # temperature, max_output_tokens, include, user, ... are accepted and ignored


class FieldProblem(BaseModel):
    field: str = Field(description="Where: `body.question`, `query.limit`, ...")
    message: str


class ErrorBody(BaseModel):
    """Every error the API sends: a message for people; a 422 of a malformed request also lists
    each field that is wrong."""

    error: str = Field(description="What is wrong and, where it can be said, what to do.")
    details: list[FieldProblem] | None = Field(None, description="A malformed request (422): each field that is wrong.")


_SAID = {401: "No `Authorization: Bearer <token>` where RAG_API_TOKEN requires one.",
         403: "A wrong token, or a write from a browser page on another origin.",
         404: "No such document, report, model or kept response; or a `documents` name that matches none.",
         408: "The body did not arrive within RAG_BODY_SECONDS.",
         413: "The body is over RAG_MAX_BODY_BYTES (an upload: RAG_MAX_UPLOAD_BYTES).",
         415: "No file of a supported type in the upload.",
         422: "A malformed request: a missing or wrong field, a blank or over-long question.",
         429: "Over RAG_RATE_LIMIT requests a minute from this client (see Retry-After)."}


class OpenAIError(BaseModel):
    message: str = Field(description="What is wrong and, where it can be said, what to do.")
    type: str = Field(description="`invalid_request_error`, `authentication_error`, `not_found_error`, ...")
    param: str | None = Field(None, description="A malformed request (422): the first field that is wrong.")
    code: int = Field(description="The HTTP status.")


class OpenAIErrorBody(BaseModel):
    """The errors of the OpenAI-compatible endpoints, in OpenAI's shape: OpenAI clients show
    `error.message` (the openai client's exception says only its status otherwise)."""

    error: OpenAIError
    details: list[FieldProblem] | None = Field(None, description="A malformed request (422): each field that is wrong.")


def errors(*codes: int, body: type[BaseModel] = ErrorBody) -> dict[int | str, dict]:
    """OpenAPI `responses` for these error statuses: the body each one really has (ErrorBody, or
    on the OpenAI-compatible endpoints OpenAIErrorBody)."""
    return {code: {"model": body, "description": _SAID[code]} for code in codes}


class DocumentPage(BaseModel):
    total: int
    offset: int
    limit: int
    documents: list[DocumentSummary]


class UploadResult(BaseModel):
    ok: bool
    files: dict[str, dict]
