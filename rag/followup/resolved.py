"""The values a follow-up is read into: the quotes an earlier answer gave (`Passage`), and
the question made to stand alone (`Resolved`). `Locate` is how the conversation's
assistant turns are read back into Passages (rag/followup/history.py, bound to the store
by the engine), `DocumentText` is how their documents' text is read, and `Search` how stored
chunks are found by their words. What a Resolved says for answering is read off it here:
whether it is `unresolved` or only `guessed`, and what quotes are `checked` against."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel, Field

from rag.types import Chunk, Document, Turn


class Passage(BaseModel):
    """A quote an earlier answer gave, as found in the store."""

    document_id: str
    title: str = ""
    start: int
    end: int
    text: str


class Resolved(BaseModel):
    """The follow-up made to stand alone."""

    query: str = Field(description="The retrieval and scoring query (Answer.query).")
    prefer_documents: list[str] = Field(
        default_factory=list, description="The previous answer's documents, when the question stays on its entity.")
    leans_on: list[str] = Field(default_factory=list, description=(
        "What was resolved: pronoun, answer (\"they\" after \"Who won ...?\"), term (\"the word\"), definite "
        "(\"the duke\" → the name an earlier turn gave), listed (\"the second one\" → that item of the previous "
        "answer's list), time, place, "
        "ellipsis, fragment, short, attribute, compare; unresolved: a pronoun with no referent in the conversation, "
        "declined."))
    entity: str = Field("", description="The salient entity the question was resolved against.")
    asked_before: str = Field("", description="The previous question, resolved.")
    answered_before: list[Passage] = Field(default_factory=list, description="The quotes that answered it.")
    continues: str = Field("", description=(
        "For \"Tell me more\", \"What else?\": the question it asks again, as that was asked; the rest of "
        "this Resolved is that question's."))
    shown_before: list[Passage] = Field(default_factory=list, description=(
        "For \"Tell me more\": every quote the conversation showed since that question, not to be shown again."))
    read_from: Passage | None = Field(None, description=(
        "For \"Go on\": the quote the text goes on from, of the last answer that gave any: its best, or "
        "the best whose paragraph goes on (rag/followup/more.py, read_from)."))
    compared: list[Passage] = Field(default_factory=list, description=(
        "For \"Which came first?\": the quote that dated each of the two things compared, the answer."))
    reads_on: bool = Field(False, description=(
        "For \"What happened next?\": the text after read_from answers first, before the question it continues."))


def unresolved(resolved: Resolved) -> bool:
    """Does the question point at someone the conversation never named? Then nothing can
    answer it, and it is declined rather than answered about whoever retrieval finds."""
    return "unresolved" in resolved.leans_on


_APPENDED = {"attribute", "short"}  # the previous topic appended to the question as it was asked


def guessed(resolved: Resolved) -> bool:
    """Is the rewrite only a guess that the question follows up (an attribute follow-up, or a
    fragment with no "And" or "What about" before it)? A short one ("Why?", "How much?")
    asks nothing alone, so it is not."""
    return bool(resolved.leans_on) and set(resolved.leans_on) <= {"attribute", "fragment"}


def checked(question: str, resolved: Resolved) -> str:
    """What a quote's fit checks hold it to: the resolved query when the follow-up named its
    referent through a pronoun, "then", "there" or an ellipsis; the question as asked when
    the previous topic was only appended as a guess (a short or attribute follow-up, which
    may as well be a new question: "What code did the toll clerk use?" after the Normans)."""
    appended = bool(resolved.leans_on) and set(resolved.leans_on) <= _APPENDED
    return question if appended else resolved.query


Locate = Callable[[Turn], list[Passage]]
DocumentText = Callable[[str], str]  # a document's stored text by its id ("" when it is gone)
Search = Callable[[str, int], Sequence[tuple[Chunk, Document]]]  # a BM25 search: (text, k) → stored chunks
