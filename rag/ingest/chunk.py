"""Pack a document's sentences into sentence-aligned chunks, by offsets only.

Invariant: every chunk indexes the stored text (`text[start:end]`) and is made of whole
sentences (rag/ingest/sentences.py); a chunk is at most MAX_CHUNK_CHARS characters, so no
response built from one can grow with a pathological file.
"""

from __future__ import annotations

import re

from rag.ingest.sentences import Span, sentence_spans
from rag.types import Chunk, Document

_WORD = re.compile(r"\S+")
MAX_CHUNK_CHARS = 8000


def chunk_document(document: Document, chunk_words: int = 120) -> list[Chunk]:
    """Pack whole sentences into chunks of about chunk_words words."""
    text = document.text
    chunks: list[Chunk] = []
    group: list[Span] = []
    words = 0

    def flush() -> None:
        start, end = group[0][0], group[-1][1]
        chunks.append(Chunk(
            id=f"{document.id}::{len(chunks)}", document_id=document.id, ordinal=len(chunks),
            start=start, end=end, text=text[start:end], sentences=list(group),
        ))

    for span in sentence_spans(text, chunk_words):
        n = len(_WORD.findall(text, span[0], span[1]))
        if group and (words + n > chunk_words or span[1] - group[0][0] > MAX_CHUNK_CHARS):
            flush()
            group, words = [], 0
        group.append(span)
        words += n
    if group:
        flush()
    return chunks
