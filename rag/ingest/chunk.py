"""Split stored text into sentences and sentence-aligned chunks, by offsets only.

Invariant: every span returned indexes the stored text (`text[start:end]`), starts and
ends on non-space characters, and spans never overlap. A sentence is at most MAX_SPAN_CHARS
characters and a chunk at most MAX_CHUNK_CHARS (a run with no spaces is cut inside the
run), so no quote, chunk or response built from them can grow with a pathological file;
Punkt sees at most MAX_SEGMENT_CHARS at a time, so its cost per line is bounded too. Sentences come from the NLTK
Punkt model that llama-index-core ships (offline), applied line by line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rag.types import Chunk, Document

Span = tuple[int, int]
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\S+")
_FALLBACK = re.compile(r"[^.!?]+(?:[.!?]+['\"”’)\]]*|$)")
MAX_SPAN_CHARS = 2000
MAX_CHUNK_CHARS = 8000
MAX_SEGMENT_CHARS = 20_000  # longest text given to Punkt at once; a longer line is cut at a space


@lru_cache(maxsize=1)
def sentence_splitter():
    """llama-index-core's bundled NLTK cache holds punkt_tab; fall back to a regex if absent.
    The folder is found without importing llama_index.core, whose imports would slow every start."""
    try:
        import importlib.util

        import nltk

        package = importlib.util.find_spec("llama_index.core").submodule_search_locations[0]
        cache = str(Path(package) / "_static" / "nltk_cache")
        if cache not in nltk.data.path:
            nltk.data.path.append(cache)
        return nltk.tokenize.PunktTokenizer("english")
    except Exception:  # pragma: no cover - only when the bundled data is missing
        return None


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _split_long(text: str, span: Span, max_words: int) -> list[Span]:
    words = [m.span() for m in _WORD.finditer(text, span[0], span[1])]
    return [(words[i][0], words[min(i + max_words, len(words)) - 1][1])
            for i in range(0, len(words), max_words)]


def _split_chars(text: str, span: Span, limit: int = MAX_SPAN_CHARS) -> list[Span]:
    """Pieces of at most limit characters, cut at spaces, or inside a longer word."""
    pieces: list[Span] = []
    start = end = -1
    for word in _WORD.finditer(text, span[0], span[1]):
        a, b = word.span()
        if start >= 0 and b - start > limit:
            pieces.append((start, end))
            start = -1
        while b - a > limit:
            pieces.append((a, a + limit))
            a += limit
        if start < 0:
            start = a
        end = b
    if start >= 0:
        pieces.append((start, end))
    return pieces


def _segments(text: str, start: int, end: int, limit: int = MAX_SEGMENT_CHARS):
    """[start, end) in pieces of at most limit characters, cut at the last space before
    the limit (or inside a longer run): Punkt's work per call stays bounded."""
    while end - start > limit:
        cut = text.rfind(" ", start + 1, start + limit)
        cut = cut if cut > start else start + limit
        yield start, cut
        start = cut
    yield start, end


def _line_sentences(punkt, line_text: str) -> list[Span]:
    """Punkt's sentences of one segment; the plain splitter where Punkt is missing or gives
    up (its own regex guard raises TimeoutError on pathological runs)."""
    if punkt is not None:
        try:
            return list(punkt.span_tokenize(line_text))
        except TimeoutError:
            pass
    return [m.span() for m in _FALLBACK.finditer(line_text)]


def sentence_spans(text: str, max_words: int = 120) -> list[Span]:
    """Sentences of the stored text; a sentence longer than max_words is cut at word breaks."""
    punkt = sentence_splitter()
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        for base, stop in _segments(text, *line.span()):
            for start, end in _line_sentences(punkt, text[base:stop]):
                span = _trim(text, base + start, base + end)
                if span is None:
                    continue
                parts = _split_long(text, span, max_words) if len(
                    _WORD.findall(text, span[0], span[1])) > max_words else [span]
                for part in parts:
                    spans.extend(_split_chars(text, part) if part[1] - part[0] > MAX_SPAN_CHARS else [part])
    return spans


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
