"""Document management: list, read (stored text, to verify any quote), upload, delete.

Uploads are ingested from memory; nothing is written under the uploaded name, so a
name with `..` or an absolute path cannot escape anywhere. It is reduced to its base name.
Each file of a batch gets its own result: an unsupported, oversized or unreadable file, or
a second file with a name already used in the same request, is reported and the others
are still ingested.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from typing import Annotated

from fastapi import APIRouter, Depends, File, HTTPException, Path, Query, Request, Response, UploadFile

from rag.api.deps import can_read, can_write, engine
from rag.api.schemas import DocumentPage, UploadResult, errors
from rag.engine import Engine
from rag.ingest.load import SUFFIXES, unsupported
from rag.types import Document

router = APIRouter(prefix="/v1/documents")
DocumentId = Annotated[str, Path(description="The id quotes cite (`wikipedia/normans`): its `/` as is, "
                                             "`#`, `?` and `%` percent-encoded.")]


def safe_name(filename: str | None) -> str:
    """uploads/<base name>: what follows the last / or \\ (no Windows drive reading, so
    "Q:A recap.md" stays itself instead of becoming "A recap.md"), in NFC, so the same name
    typed on macOS (decomposed) and elsewhere is one document, not two that look alike."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", filename or "")[-1])
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    if not base:
        raise HTTPException(422, f"upload needs a file name, got {filename!r}")
    return f"uploads/{base}"


@router.get("", response_model=DocumentPage, dependencies=[Depends(can_read)], responses=errors(401, 403, 422, 429))
def list_documents(offset: int = Query(0, ge=0, le=2**31, description="How many documents to skip."),
                   limit: int = Query(50, ge=1, le=500, description="At most this many (1-500)."),
                   q: str = Query("", max_length=200, description="Only documents whose id or title holds "
                                                                   "this text (literally: `%` is a percent sign)."),
                   eng: Engine = Depends(engine)) -> DocumentPage:
    """The stored documents without their text, in id order, a page at a time; `total` counts them all."""
    return DocumentPage(total=eng.count_documents(q), offset=offset, limit=limit,
                        documents=eng.documents(offset, limit, q))


@router.get("/{document_id:path}", response_model=Document, dependencies=[Depends(can_read)],
            responses={304: {"description": "Unchanged since the `If-None-Match` ETag."},
                       **errors(401, 403, 404, 422, 429)})
def get_document(document_id: DocumentId, request: Request, response: Response, eng: Engine = Depends(engine)):
    """A document's stored text and metadata: every quote's `start` and `end` index this `text`, so
    a client can check `text[start:end]` is the quote. The `ETag` is the content hash."""
    document = eng.document(document_id)
    if document is None:
        raise HTTPException(404, f"no document {document_id!r}")
    if document.content_hash:  # the version a client caches by (the UI's source view)
        etag = f'"{document.content_hash}"'
        if _matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers={"ETag": etag})
        response.headers["ETag"] = etag
    return document


@router.post("", response_model=UploadResult, dependencies=[Depends(can_write)],
             responses=errors(401, 403, 408, 413, 415, 422, 429))
async def upload(request: Request, files: list[UploadFile] = File(..., description=(
                     "One or more files (repeat the field), each of a supported type and at most "
                     "RAG_MAX_UPLOAD_BYTES; stored under uploads/ by base name, a name seen before is replaced.")),
                 eng: Engine = Depends(engine)) -> UploadResult:
    """Ingest uploaded files (multipart). Each file gets its own result under `files`: ingested, with
    the document ids it gave, or not and why; `ok` is true only when every file went in whole.
    Only when no file can be taken is the request refused (413, 415)."""
    limit = request.app.state.settings.api.max_upload_bytes
    received: list[tuple[str, bytes]] = []
    results: dict[str, dict] = {}
    for position, upload_file in enumerate(files, start=1):
        name = safe_name(upload_file.filename)
        suffix = PurePosixPath(name).suffix.lower()
        if name in results:
            results[f"{name} (file {position})"] = {
                "ok": False, "error": f"{name}: file {position} of this upload has the same name as an "
                                     f"earlier one; not ingested (rename one of them)"}
            continue
        if suffix not in SUFFIXES:
            results[name] = {"ok": False, "error": unsupported(name)}
            continue
        raw = await upload_file.read(limit + 1)
        if len(raw) > limit:
            results[name] = {"ok": False, "error": f"{name}: over the upload limit of {limit:,} bytes"}
            continue
        results[name] = {}
        received.append((name, raw))
    if not received:  # nothing to ingest: the status says why, as for a single bad file
        errors = [r["error"] for r in results.values()]
        status = 413 if any("over the upload limit" in e for e in errors) else 415 if any(
            "unsupported file type" in e for e in errors) else 422
        raise HTTPException(status, "; ".join(errors))
    from starlette.concurrency import run_in_threadpool

    report = await run_in_threadpool(eng.ingest_files, received)
    for name, _ in received:
        skipped = [reason for key, reason in report.failed.items() if key.startswith((f"{name}:", f"{name}#"))]
        if name in report.failed:
            results[name] = {"ok": False, "error": report.failed[name]}
        else:
            ids = eng.documents_from(name)
            results[name] = {"ok": bool(ids), "documents": ids, **({"skipped": skipped} if skipped else {})}
    return UploadResult(ok=all(r["ok"] and "skipped" not in r for r in results.values()), files=results)


@router.delete("/{document_id:path}", dependencies=[Depends(can_write)], responses=errors(401, 403, 404, 422, 429))
def delete_document(document_id: DocumentId, eng: Engine = Depends(engine)) -> dict:
    """Delete a document: its stored text, chunks and vectors; `{"deleted": id}`."""
    if not eng.delete(document_id):
        raise HTTPException(404, f"no document {document_id!r}")
    return {"deleted": document_id}


def _matches(header: str | None, etag: str) -> bool:
    """If-None-Match as RFC 9110 compares it (weakly): "*", a list of tags, W/ prefixes."""
    if not header:
        return False
    tags = [t.strip() for t in header.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)
