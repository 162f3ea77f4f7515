"""Attest: answers made only of verbatim quotes, each cited with exact offsets, or a decline.

The public surface is what `__all__` names; everything else is internal. Names load on
first use (PEP 562), so `import rag` stays cheap and importing `rag.types` alone does not
pull in the model, Chroma or the web stack.
"""

from __future__ import annotations

from importlib import import_module

_HOMES = {
    "Engine": "rag.engine",
    "Settings": "rag.config",
    "Document": "rag.types", "Chunk": "rag.types", "Quote": "rag.types", "Answer": "rag.types",
    "Turn": "rag.types", "Citation": "rag.types", "ScoredChunk": "rag.types",
    "NO_ANSWER": "rag.types", "RELATED_HEADING": "rag.types",
    "DocumentSummary": "rag.types", "IndexStats": "rag.types", "VerifyReport": "rag.types",
    "IngestReport": "rag.ingest.report",
    "EvalReport": "rag.evaluate.models", "CheckReport": "rag.evaluate.models",
    "Reader": "rag.embed",
    "UnknownDocuments": "rag.scope",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
