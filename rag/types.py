"""The domain objects and the JSON contract: Document → Chunk → Quote → Answer.

Invariant kept here: a Quote can only be made from a Document and a span, so its
text is always `document.text[start:end]`; nobody passes quote text in.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, Field, model_serializer

Strength = Literal["strong", "medium", "weak"]


class Page(BaseModel):
    """A PDF page as a span of the stored text."""

    number: int
    start: int
    end: int


class Cue(BaseModel):
    """Where a transcript's cue begins in the stored text (it runs to the next cue's offset)
    and when it is spoken in the recording."""

    offset: int
    start_ms: int
    end_ms: int


def clock(ms: int) -> str:
    """Milliseconds of a recording as HH:MM:SS.mmm, the way a media player seeks."""
    seconds, ms = divmod(max(0, ms), 1000)
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}.{ms:03d}"


class QuoteTime(BaseModel):
    """When a quote from a transcript is spoken: from the start of the cue its first
    character is in to the end of the cue its last character is in."""

    start: str = Field(description="HH:MM:SS.mmm in the recording.")
    end: str = Field(description="HH:MM:SS.mmm in the recording.")


def same_title(text: str, title: str) -> bool:
    """Does `text` say the title, spacing and case aside? Such a line is the title: neither a
    section nor a quote."""
    return bool(title.strip()) and " ".join(text.split()).casefold() == " ".join(title.split()).casefold()


class Heading(BaseModel):
    """A heading the source marks (Markdown `#`, HTML h1-h6, a Word or OpenDocument heading
    style, an EPUB chapter's h1-h6, a reStructuredText title, a slide's title) as a span of the
    stored text, with its level (1 the highest; a Word "Title" is 0). An empty span opens a slide
    that has no title: it ends the section before and names none."""

    start: int
    end: int
    level: int = Field(ge=0)


class Document(BaseModel):
    id: str
    title: str
    text: str = Field(description="The stored text; every offset refers to it.")
    source: str = ""
    date: str = ""
    author: str = ""
    path: str = ""
    content_hash: str = ""
    pages: list[Page] = Field(default_factory=list)
    cues: list[Cue] = Field(default_factory=list, description="A transcript's cues (.srt, .vtt), in text order.")
    headings: list[Heading] = Field(
        default_factory=list, description="The headings the source marks, in text order; none for formats "
                                          "without marked headings (.txt, PDF, JSONL, tables, transcripts).")

    def page_at(self, offset: int) -> int | None:
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        return None

    def time_of(self, start: int, end: int) -> QuoteTime | None:
        """When text[start:end] is spoken, for a transcript ingested with its cues; else None."""
        if not self.cues or end <= start:
            return None
        offsets = [cue.offset for cue in self.cues]
        first = self.cues[max(0, bisect_right(offsets, start) - 1)]
        last = self.cues[max(0, bisect_right(offsets, end - 1) - 1)]
        return QuoteTime(start=clock(first.start_ms), end=clock(max(last.end_ms, first.start_ms)))

    @cached_property
    def heading_starts(self) -> tuple[int, ...]:
        """Where each recorded heading starts, for `in_heading`, which every candidate sentence
        asks: built once per Document (its headings are set when it is made, never changed)."""
        return tuple(h.start for h in self.headings)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Document:
        """A copy that works its heading starts out again: pydantic copies the instance's
        __dict__, where `heading_starts` keeps its value, so a copy with other headings (or
        text) would otherwise look them up at the original's starts."""
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("heading_starts", None)
        return copy

    def in_heading(self, start: int, end: int) -> bool:
        """Does text[start:end] lie inside a recorded heading?"""
        i = bisect_right(self.heading_starts, start) - 1
        return i >= 0 and end <= self.headings[i].end

    def section_of(self, offset: int) -> list[str]:
        """The recorded headings that text[offset] sits under, outermost first ("History",
        "Early designs"); a heading that repeats the document's title is the title, not a section."""
        path: list[Heading] = []
        for heading in self.headings:
            if heading.start > offset:
                break
            while path and path[-1].level >= heading.level:
                path.pop()
            path.append(heading)
        names = [" ".join(self.text[h.start:h.end].split()) for h in path]
        return [name for name in names if name and not same_title(name, self.title)]  # "": a slide's missing title

    def meta(self) -> dict:
        return self.model_dump(exclude={"text"})


class DocumentSummary(BaseModel):
    """A stored document without its text: a row of the document list."""

    id: str
    title: str | None = None
    source: str | None = None
    date: str | None = None
    author: str | None = None
    path: str | None = None
    characters: int = Field(description="Length of the stored text.")
    chunks: int


class Chunk(BaseModel):
    """A retrieval unit: a run of whole sentences of one document."""

    id: str
    document_id: str
    ordinal: int
    start: int
    end: int
    text: str
    sentences: list[tuple[int, int]] = Field(
        default_factory=list, description="Sentence spans inside the chunk, in document offsets."
    )


class ScoredChunk(BaseModel):
    """The `rag search --json` row."""

    document_id: str
    chunk_id: str
    start: int
    end: int
    text: str
    score: float  # fused retrieval score
    reader: float | None = None  # its best sentence's quote probability, when the reading model read it


class Quote(BaseModel):
    text: str = Field(description="Verbatim: the cited document's stored text[start:end] (GET /v1/documents/{id}).")
    document_id: str
    title: str = Field(description="Citation metadata, never quote text; as are source, date, page and section.")
    source: str
    start: int = Field(description="Offset in the stored text, in Unicode code points (as Python slices count).")
    end: int = Field(description="Offset just past the quote, in Unicode code points.")
    score: float = Field(description="Probability (0-1) that the passage holds the answer (rag/quotes/).")
    page: int | None = None
    date: str = ""
    strength: Strength | None = Field(
        None, description="The score as a reader sees it, by the engine's cut-offs (rag/strength.py); "
                          "set on an answer's quotes, not on a decline's related passages.")
    time: QuoteTime | None = Field(
        None, description="When the quote is spoken in the recording, for a transcript (.srt, .vtt); "
                          "absent for other documents.")
    section: list[str] | None = Field(
        None, description="The headings the quote sits under, outermost first (citation metadata, not quote "
                          "text); absent where its document records none.")

    @model_serializer(mode="wrap")
    def _only_when_known(self, dump):
        """A quote from anything but a transcript carries no `time` at all, not a null one, and
        one under no recorded heading no `section`."""
        data = dump(self)
        if isinstance(data, dict):
            for key in ("time", "section"):
                if getattr(self, key) is None:
                    data.pop(key, None)
        return data

    @classmethod
    def cite(cls, document: Document, start: int, end: int, score: float) -> "Quote":
        """The only way a Quote is born: its text is cut from the stored text."""
        if not 0 <= start < end <= len(document.text):
            raise ValueError(f"span {start}:{end} outside document {document.id!r}")
        quote = cls(
            text=document.text[start:end],
            document_id=document.id,
            title=document.title,
            source=document.source,
            start=start,
            end=end,
            score=round(float(score), 6),
            page=document.page_at(start),
            date=document.date,
            time=document.time_of(start, end),
            section=document.section_of(start) or None,
        )
        assert quote.text == document.text[quote.start : quote.end]
        return quote


class Citation(BaseModel):
    """Where an earlier answer's quote sits: `document.text[start:end]`. Accepts the
    quotes Attest returns (`Answer.quotes`, the OpenAI `citations`); other fields are ignored."""

    document_id: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = ""
    model_config = {"extra": "ignore"}


class Turn(BaseModel):
    role: str = Field(pattern="^(user|assistant|system)$")
    content: str
    citations: list[Citation] = Field(
        default_factory=list, max_length=50,
        description="An assistant turn's quotes; without them they are found by matching its text against the store.")

    @classmethod
    def replying(cls, answer: Answer, content: str) -> Turn:
        """The assistant turn an answer makes: `content` as its surface showed it, and its
        quotes' places, so a follow-up finds them without matching the text."""
        return cls(role="assistant", content=content,
                   citations=[Citation.model_validate(q.model_dump()) for q in answer.quotes])


class IndexStats(BaseModel):
    """What `rag stats` and GET /v1/stats report about an index."""

    documents: int
    chunks: int
    vectors: int
    index_bytes: int
    model: str
    precision: str
    query_encoder: str
    document_encoder: str
    vector_store: str = Field(description="`embedded`, or the Chroma server's URL.")


class VerifyReport(BaseModel):
    """Whether the store, Chroma and BM25 hold the same chunks (the store is the truth)."""

    chunks: int
    vectors: int
    bm25: int
    orphan_vectors: list[str] = Field(description="Vectors without a stored chunk (the first 50).")
    missing_vectors: list[str] = Field(description="Stored chunks without a vector (the first 50).")
    missing_sentence_vectors: int = Field(0, description="Stored chunks without their sentences' vectors.")
    bm25_drift: int = Field(description="Chunks in BM25 or the store but not both.")
    ok: bool
    repaired: bool = Field(False, description="With repair: whether the three agree once repaired (checked again).")


NO_ANSWER = "The corpus does not answer this."
RELATED_HEADING = "Related passages (not an answer):"


class Answer(BaseModel):
    """Either quotes that answer, or a decline; `lead` is one of the fixed lead-ins."""

    question: str
    answered: bool = Field(description="True: `quotes` answer. False: a decline, with no quotes.")
    quotes: list[Quote] = Field(default_factory=list, description="The answer, best first; shown numbered [1], [2].")
    related: list[Quote] = Field(
        default_factory=list, description="Closest passages when declining; not an answer."
    )
    lead: str = Field("", description="A fixed lead-in: \"The corpus does not answer this.\" on a decline.")
    query: str = Field("", description="The retrieval query, with context from earlier turns.")
    confidence: float = Field(0.0, description="The best fitting sentence's probability of holding the answer.")
