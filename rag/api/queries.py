"""Ask, search, health and stats: the read side of the API."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from rag.api.deps import can_read, engine, within_limit
from rag.api.schemas import AskRequest, SearchRequest, errors
from rag.engine import Engine
from rag.types import Answer, IndexStats, ScoredChunk

router = APIRouter()


@router.get("/healthz")
def healthz() -> dict:
    """Liveness: `{"status": "ok"}` once the engine is loaded; never rate-limited or protected."""
    return {"status": "ok"}


@router.post("/v1/ask", response_model=Answer, dependencies=[Depends(can_read)],
             responses=errors(401, 403, 404, 408, 413, 422, 429))
def ask(body: AskRequest, request: Request, eng: Engine = Depends(engine)) -> Answer:
    """Answer with verbatim quotes, each `text[start:end]` of its document's stored text (GET
    /v1/documents/{id}), or decline: `answered` false, `lead` "The corpus does not answer this.",
    and `related` passages near the question that are not an answer."""
    within_limit(request, body.question, *(turn.content for turn in body.history))
    return eng.ask(body.question, history=body.history, max_quotes=body.max_quotes, documents=body.documents)


@router.post("/v1/search", response_model=list[ScoredChunk], dependencies=[Depends(can_read)],
             responses=errors(401, 403, 404, 408, 413, 422, 429))
def search(body: SearchRequest, request: Request, eng: Engine = Depends(engine)) -> list[ScoredChunk]:
    """The chunks retrieval ranks for a query, best first, with their offsets; nothing is answered."""
    within_limit(request, body.query, what="the query")
    return eng.search(body.query, k=body.k, mode=body.mode, read=body.read, documents=body.documents)


@router.get("/v1/stats", response_model=IndexStats, dependencies=[Depends(can_read)],
            responses=errors(401, 403, 429))
def stats(eng: Engine = Depends(engine)) -> IndexStats:
    """How many documents, chunks and vectors the index holds, its size, and the models in use."""
    return eng.stats()
