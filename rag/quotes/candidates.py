"""The candidate sentences of the retrieved chunks, headings left out: the Sentence each later
step scores, reads and selects. A Sentence is immutable, and knows whether it is a table row
as ingest writes one (`is_row`), worked out once when it is made.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from rag.ingest.tables import in_named_table, line_at
from rag.retrieve import Candidate
from rag.types import Chunk, Document, same_title

_SENTENCE_END = re.compile(r"[.!?:;…]['\"”’)\]]*$")
_LIST_ITEM = re.compile(r"[-*•–]\s+\S")  # a bulleted list item (a numbered "1. Introduction" is often a heading)
TRANSCRIPTS = (".srt", ".vtt")


def is_transcript(document: Document) -> bool:
    return document.path.lower().endswith(TRANSCRIPTS)


def is_heading(text: str, title: str = "") -> bool:
    """A short line with no sentence end, or the document's own title however long (a news
    headline of thirteen words is not a sentence to quote). A table row as ingest writes one
    ("Ship: Aurora | Built: 1911") and a bulleted item ("- Founded 1911") are no headings: they
    are often the only place a figure is given."""
    return (len(text.split()) <= 12 and not _SENTENCE_END.search(text) and " | " not in text
            and not _LIST_ITEM.match(text)) or same_title(text, title)


# Formats in which ingest writes every line as content (rag/ingest/subtitles.py, tables.py,
# workbook.py): a short line there is a turn of speech ("Ann: we closed it", captions carry no
# punctuation) or a one-value row ("Year: 2018"), never a heading to leave out. A workbook's
# sheet names are read too: a name alone is rarely what a question asks for.
_ALL_CONTENT = (*TRANSCRIPTS, ".csv", ".tsv", ".xlsx")


def has_headings(document: Document) -> bool:
    return not document.path.lower().endswith(_ALL_CONTENT)


@dataclass(frozen=True)
class Sentence:
    """A candidate sentence of a retrieved chunk. Immutable: each step (scoring, reading)
    returns new Sentences (`dataclasses.replace`), so a list handed to a step is never
    changed under its caller, and its features cannot be edited in place."""

    document: Document
    start: int
    end: int
    chunk_rank: int
    chunk_id: str = ""
    index: int = 0  # position in chunk.sentences, the row of its stored vector
    previous: tuple[int, int] | None = None  # the span read as context before it
    features: Mapping[str, float] = field(default_factory=dict)
    fits: bool = True  # may answer (see `fits`); one that does not can still be shown as related
    names_asked: bool = True  # mentions itself the numbers and names the question gives (`select`)
    score: float = 0.0  # probability that it holds the answer
    # a table row (`is_row`): worked out when made, and `replace` carries it on (a copy moved to
    # another span or document is given row=None, to work it out again)
    row: bool | None = None

    def __post_init__(self) -> None:
        # a read-only copy: the caller's dict may change later, this sentence's features do not
        object.__setattr__(self, "features", MappingProxyType(dict(self.features)))
        if self.row is None:  # once per candidate: each step after asks it again
            object.__setattr__(self, "row", is_row(self))

    @property
    def text(self) -> str:
        return self.document.text[self.start : self.end]

    @property
    def words(self) -> int:
        return len(self.text.split())


def _previous(chunk: Chunk, document: Document, index: int, start: int) -> tuple[int, int]:
    """The sentence before, or for a chunk's first sentence the text before it back to the
    paragraph's start (the reader keeps at most its last CONTEXT_CHARS)."""
    if index > 0:
        return chunk.sentences[index - 1]
    return document.text.rfind("\n", 0, start) + 1, start


def candidate_sentences(hits: list[tuple[Candidate, Chunk, Document]], first_rank: int = 0) -> list[Sentence]:
    """The sentences of the hits (headings left out: `in_a_heading`), each with its
    chunk's rank, counted from first_rank (the hits may continue a list whose first ones are
    taken already). A table row is never a heading, though it has one value ("Year: 2018")."""
    sentences = [Sentence(document, start, end, rank, chunk.id, index, _previous(chunk, document, index, start))
                 for rank, (_, chunk, document) in enumerate(hits, start=first_rank)
                 for index, (start, end) in enumerate(chunk.sentences)]
    return [sentence for sentence in sentences if not in_a_heading(sentence)]


def in_a_heading(sentence: Sentence) -> bool:
    """Is the sentence a heading, which is never quoted? Where ingest recorded the headings its
    source marks (Document.headings), exactly those and a line repeating the title; only a
    document with none recorded (plain text, PDF, JSONL, a format that marks none) is guessed
    at from its text (`is_heading`)."""
    document = sentence.document
    if document.headings:
        return document.in_heading(sentence.start, sentence.end) or same_title(sentence.text, document.title)
    return has_headings(document) and is_heading(sentence.text, document.title) and not sentence.row


def is_row(sentence: Sentence) -> bool:
    """Is this sentence a table row as ingest writes one: a whole line holding " | ", or a row
    of a named table with one value ("Year: 2018", tables.in_named_table)? (A row whose cell
    holds sentences of its own is read and quoted as prose is.)"""
    return line_at(sentence.document.text, sentence.start, sentence.end) == (sentence.start, sentence.end) and \
        (" | " in sentence.text or in_named_table(sentence.document.text, sentence.start))
