"""The one model, `attest`, for OpenAI clients that list or retrieve models before asking
(/v1/models). Chat and Responses requests may name any model: it is ignored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path

from rag.api.deps import can_read
from rag.api.openai_messages import MODEL_ID
from rag.api.schemas import OpenAIErrorBody, errors

router = APIRouter(prefix="/v1")
_MODEL = {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "attest"}


@router.get("/models", dependencies=[Depends(can_read)], responses=errors(401, 403, 429, body=OpenAIErrorBody))
def models() -> dict:
    """The one model, `attest`, for OpenAI clients that list models first."""
    return {"object": "list", "data": [_MODEL]}


@router.get("/models/{model_id:path}", dependencies=[Depends(can_read)],
            responses=errors(401, 403, 404, 422, 429, body=OpenAIErrorBody))
def model(model_id: Annotated[str, Path(description="A model id: `attest` is the only one.")]) -> dict:
    """`attest` (the openai client's `models.retrieve`, which some clients call before chatting)."""
    if model_id != MODEL_ID:
        raise HTTPException(404, f"no model {model_id!r}; this server has one, {MODEL_ID!r} "
                                 f"(chat requests may name any model: it is ignored)")
    return _MODEL
