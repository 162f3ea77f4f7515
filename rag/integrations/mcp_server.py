"""`rag mcp`: Attest's ask, search and show_document as Model Context Protocol tools.

Invariant: every tool returns text cut from stored documents (quotes, passages, slices)
or the fixed decline; nothing here writes answer words. Over streamable HTTP the endpoint
applies the REST API's token rule (rag.api.deps.can_read), rate limit and body deadline
(RAG_BODY_SECONDS), and, like the REST API, serves browsers only from the origins listed in
RAG_CORS_ORIGINS; /healthz stays open.

No `from __future__ import annotations` here: the SDK evaluates each tool's annotations,
and the question's length limit is a closure variable.
"""

import contextlib
import sys
from typing import Annotated, Literal

from fastapi import HTTPException
from fastapi.security import HTTPBearer
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse

from rag.api.guards import BodyDeadline, RateLimiter
from rag.api.deps import can_read
from rag.api.schemas import MAX_QUOTES, MOST_QUOTES, Documents, Text
from rag.config import Settings
from rag.engine import Engine
from rag.integrations.mcp_errors import AttestServer
from rag.scope import UnknownDocuments
from rag.types import NO_ANSWER, Quote, QuoteTime, Strength, Turn

INSTRUCTIONS = (
    "Attest answers questions from a curated document corpus with verbatim quotes only, or declines. "
    "Show every quote to the user as a quotation (quotation marks or a block quote), character for "
    "character, with its citation (title, source, document id, start-end). Never reword a quote, merge "
    "it with your own words, or present your own words as coming from the corpus. When `answered` is "
    "false, say that the corpus does not answer; do not guess. show_document returns the stored text, "
    "so anyone can check that text[start:end] is the quote."
)
READ_ONLY = ToolAnnotations(readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
_BEARER = HTTPBearer(auto_error=False)


class QuoteOut(BaseModel):
    text: str = Field(description="Verbatim: exactly the document's text[start:end]. Show it as a quote, unchanged.")
    document_id: str
    title: str
    source: str
    start: int = Field(description="Character offset where the quote starts in the stored text.")
    end: int = Field(description="Character offset where the quote ends (exclusive).")
    strength: float = Field(description="Probability (0-1) that this quote holds the answer.")
    strength_label: Strength | None = Field(
        None, description="strong, medium or weak: how Attest's own CLI, API and UI show this quote's strength "
                          "(none on related passages).")
    page: int | None = Field(None, description="PDF page of the quote's start, when the source is a PDF.")
    time: QuoteTime | None = Field(
        None, description="When the quote is spoken in the recording (HH:MM:SS.mmm), when the source is a "
                          "transcript (.srt, .vtt); cite it with the quote.")
    section: list[str] | None = Field(
        None, description="The headings the quote sits under, outermost first, when its document marks "
                          "headings; citation metadata to show beside the title, never part of the quote.")

    @classmethod
    def of(cls, quote: Quote) -> "QuoteOut":
        return cls(text=quote.text, document_id=quote.document_id, title=quote.title, source=quote.source,
                   start=quote.start, end=quote.end, strength=quote.score, strength_label=quote.strength,
                   page=quote.page, time=quote.time, section=quote.section)


class AskResult(BaseModel):
    question: str
    query: str = Field("", description="The question as Attest read it: a follow-up rewritten with the "
                                       "conversation to stand alone (\"When did the oil crisis end?\").")
    answered: bool = Field(description="False means a decline: the corpus does not answer this question.")
    quotes: list[QuoteOut] = Field(description="The answer: verbatim quotes, to be shown as quotes.")
    decline: str = Field("", description="The fixed decline sentence when answered is false.")
    related: list[QuoteOut] = Field(
        default_factory=list, description="When declining only: the closest passages. They are NOT an answer.")


class Passage(BaseModel):
    document_id: str
    chunk_id: str
    start: int
    end: int
    text: str = Field(description="Verbatim: exactly the document's text[start:end].")
    score: float = Field(description="Retrieval score; higher is closer to the query.")


class DocumentText(BaseModel):
    id: str
    title: str
    source: str
    length: int = Field(description="Characters in the whole stored text.")
    start: int
    end: int
    text: str = Field(description="The stored text[start:end]; offsets match the quotes' start and end.")


def build_server(engine: Engine) -> MCPServer:
    """An MCPServer whose three read-only tools call the given engine."""
    server = AttestServer("attest", title="Attest", instructions=INSTRUCTIONS, version="0.1.0")
    limit = engine.settings.answer.max_question_chars

    @server.tool(annotations=READ_ONLY)
    def ask(question: Annotated[Text, Field(max_length=limit, description="The user's question, in their words.")],
            history: Annotated[list[Turn] | None, Field(
                max_length=50, description="Earlier turns of this conversation ({role, content}), oldest "
                                           "first, so a follow-up like 'when did he die?' finds its subject.")
            ] = None,
            documents: Documents = None,
            max_quotes: Annotated[int | None, Field(ge=1, le=MOST_QUOTES, description=MAX_QUOTES)] = None,
            ) -> AskResult:
        """Answer a question from the corpus with verbatim quotes, or decline.

        Each quote's `text` is copied character for character from a stored document
        (document text[start:end]). Show every quote to the user as a quote, unchanged, with
        its title, source and start-end; never paraphrase it or mix it with your own words.
        `strength` is the probability (0-1) that the quote holds the answer, `strength_label`
        the word (strong, medium, weak) Attest shows for it. When `answered`
        is false the corpus does not answer: tell the user so; `related` passages are near
        misses, not an answer. `documents` (ids, or prefixes ending in '/') asks only within
        those documents, when the user names some; `max_quotes` caps the quotes."""
        answer = _scoped(engine.ask, question, history=history or [], documents=documents, max_quotes=max_quotes)
        return AskResult(question=answer.question, query=answer.query, answered=answer.answered,
                         quotes=[QuoteOut.of(q) for q in answer.quotes],
                         decline="" if answer.answered else NO_ANSWER,
                         related=[QuoteOut.of(q) for q in answer.related])

    @server.tool(annotations=READ_ONLY)
    def search(query: Annotated[Text, Field(max_length=limit, description="What to look for.")],
               k: Annotated[int, Field(ge=1, le=100, description="How many passages to return.")] = 5,
               documents: Documents = None, mode: Literal["hybrid", "dense", "bm25"] = "hybrid",
               read: bool = False) -> list[Passage]:
        """Passages (runs of whole sentences) that match a query, best first.

        Passage text is verbatim from the stored document (text[start:end]); it helps find
        documents and is not an answer: use `ask` for questions. Show any passage you use
        as a quote, unchanged, with its document id. `documents` (ids, or prefixes ending
        in '/') searches only those documents. `mode`: BM25 and dense vectors fused (hybrid)
        or one alone; `read`: rank by the reading model's best sentence (slower)."""
        return [Passage(**hit.model_dump())
                for hit in _scoped(engine.search, query, k=k, mode=mode, read=read, documents=documents)]

    @server.tool(annotations=READ_ONLY)
    def show_document(id: Annotated[str, Field(min_length=1, description="A document id from ask or search.")],
                      start: Annotated[int | None, Field(ge=0, description="First character (default 0).")] = None,
                      end: Annotated[int | None, Field(ge=0, description="End character, exclusive "
                                                                          "(default: the end).")] = None,
                      ) -> DocumentText:
        """The stored text of one document, or its slice start:end (character offsets).

        A quote's text equals show_document(document_id, start, end).text exactly: use this
        to verify a quote or to read around it."""
        document = engine.document(id)
        if document is None:
            raise ToolError(f"no document {id!r}; the document ids come from ask and search")
        length = len(document.text)
        first, last = start or 0, length if end is None else end
        if first > length:
            raise ToolError(f"start {first} is past the end of document {id!r}, which has {length} characters")
        if first > last:
            raise ToolError(f"span {first}:{last} ends before it starts; end must be at least start")
        if last > length:
            raise ToolError(f"span {first}:{last} is outside document {id!r}, which has {length} characters")
        return DocumentText(id=document.id, title=document.title, source=document.source, length=length,
                            start=first, end=last, text=document.text[first:last])

    return server


def _scoped(call, *args, **kwargs):
    """An engine call whose unknown document names are the tool's error, said as the REST API says it."""
    try:
        return call(*args, **kwargs)
    except UnknownDocuments as err:
        raise ToolError(str(err)) from None


class _Guard:
    """Checks in front of the MCP endpoint: an Origin header must be listed in
    RAG_CORS_ORIGINS (browsers elsewhere are refused, as the REST API gives them no CORS),
    reads need the bearer token exactly when the REST API's reads do, and RAG_RATE_LIMIT
    applies per client address as in the REST API."""

    def __init__(self, app, origins: list[str], rate_limit: int):
        self.app, self.origins = app, origins
        self.limiter = RateLimiter(rate_limit) if rate_limit > 0 else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] == "/healthz":
            return await self.app(scope, receive, send)
        request = Request(scope)
        wait = self.limiter.wait(request.client.host if request.client else "unknown") if self.limiter else 0
        if wait > 0:
            refusal = JSONResponse({"error": f"rate limit of {self.limiter.capacity:.0f} requests per minute "
                                             f"reached; retry in {wait:.0f} s"},
                                   status_code=429, headers={"Retry-After": str(max(1, round(wait)))})
            return await refusal(scope, receive, send)
        origin = request.headers.get("origin")
        if origin and origin not in self.origins:
            refusal = JSONResponse({"error": f"origin {origin} may not call this server; "
                                             "list it in RAG_CORS_ORIGINS"}, status_code=403)
            return await refusal(scope, receive, send)
        try:
            can_read(request, await _BEARER(request))  # request.app.state.settings, as in the REST API
        except HTTPException as exc:
            refusal = JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
            return await refusal(scope, receive, send)
        return await self.app(scope, receive, send)


def _origins(settings: Settings) -> list[str]:
    return [o.strip() for o in settings.api.cors_origins.split(",") if o.strip()]


def _host_check(host: str, origins: list[str]) -> TransportSecuritySettings:
    """DNS-rebinding protection: a loopback server answers only to loopback Host names;
    one bound to all interfaces cannot know its public names, so the Origin check stands alone."""
    if host in ("0.0.0.0", "::", ""):
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    names = {"127.0.0.1", "localhost", "[::1]"} if host in LOOPBACK else {f"[{host}]" if ":" in host else host}
    return TransportSecuritySettings(allowed_hosts=sorted(names | {f"{n}:*" for n in names}),
                                     allowed_origins=origins)


def http_app(engine: Engine, host: str = "127.0.0.1", path: str = "/mcp",
             settings: Settings | None = None) -> Starlette:
    """The streamable-HTTP MCP endpoint at `path`, guarded like the REST API, plus /healthz.
    The guard reads `settings` (default: the engine's)."""
    settings = settings or engine.settings
    server = build_server(engine)

    @server.custom_route("/healthz", methods=["GET"])
    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    origins = _origins(settings)
    app = server.streamable_http_app(streamable_http_path=path, host=host,
                                     transport_security=_host_check(host, origins))
    app.state.settings = settings  # read by rag.api.deps.can_read
    app.add_middleware(_Guard, origins=origins, rate_limit=settings.api.rate_limit)
    # the SDK bounds a body's size but would wait for it without end, as uvicorn does
    app.add_middleware(BodyDeadline, seconds=settings.api.body_seconds)
    if origins:  # added last, so it runs first: listed browsers' preflights pass before the token check
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type", "Mcp-Session-Id",
                                          "Mcp-Protocol-Version", "Last-Event-ID"],
                           expose_headers=["Mcp-Session-Id"])
    return app


def serve(settings: Settings, http: bool = False, host: str = "127.0.0.1", port: int = 8765) -> int:
    """Load the engine once and serve MCP over stdio (the default) or streamable HTTP."""
    if settings.runtime.serve_threads:
        import torch

        torch.set_num_threads(settings.runtime.serve_threads)
    with contextlib.redirect_stdout(sys.stderr):  # over stdio, stdout carries only protocol messages
        engine = Engine(settings).serving(settings.runtime.serve_threads or 1)
    with engine:
        if http:
            import uvicorn

            uvicorn.run(http_app(engine, host), host=host, port=port, log_level="info")
        else:
            build_server(engine).run("stdio")
    return 0
