"""Ask, search, health and stats: the read side of the API."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from rag.api.deps import can_read, engine, within_limit
from rag.api.schemas import AskRequest, SearchRequest
from rag.engine import Engine
from rag.types import Answer, IndexStats, ScoredChunk

router = APIRouter()


@router.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


@router.post("/v1/ask", response_model=Answer, dependencies=[Depends(can_read)])
def ask(body: AskRequest, request: Request, eng: Engine = Depends(engine)) -> Answer:
    within_limit(request, body.question, *(turn.content for turn in body.history))
    return eng.ask(body.question, history=body.history, max_quotes=body.max_quotes, documents=body.documents)


@router.post("/v1/search", response_model=list[ScoredChunk], dependencies=[Depends(can_read)])
def search(body: SearchRequest, request: Request, eng: Engine = Depends(engine)) -> list[ScoredChunk]:
    within_limit(request, body.query)
    return eng.search(body.query, k=body.k, mode=body.mode, read=body.read, documents=body.documents)


@router.get("/v1/stats", response_model=IndexStats, dependencies=[Depends(can_read)])
def stats(eng: Engine = Depends(engine)) -> IndexStats:
    return eng.stats()
