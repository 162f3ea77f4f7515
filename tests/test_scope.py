"""Asking within chosen documents (rag/scope.py), on the session's real index: real MiniLM,
embedded Chroma filtering on its document_id metadata, BM25 kept to the scope's chunks."""

from __future__ import annotations

import pytest

from rag.scope import UnknownDocuments, check_names
from rag.types import Turn

LIBRARY = "How much did the Riverside library renovation cost?"
NORSE = "Who was the Norse leader?"
LIBRARY_PAGE = "fixtures/riverside-library"  # tests/fixtures/scraped_page.md


def quotes_verbatim(engine, answer) -> None:
    for quote in [*answer.quotes, *answer.related]:
        assert engine.document(quote.document_id).text[quote.start:quote.end] == quote.text


def test_a_scoped_answer_comes_only_from_the_scope(engine):
    answer = engine.ask(LIBRARY, documents=[LIBRARY_PAGE])
    assert answer.answered and "4.2 million" in answer.quotes[0].text
    assert {q.document_id for q in answer.quotes} == {LIBRARY_PAGE}
    quotes_verbatim(engine, answer)


def test_a_prefix_names_every_document_under_it(engine):
    answer = engine.ask(NORSE, documents=["wikipedia/"])
    assert answer.answered and "under their leader Rollo" in answer.quotes[0].text
    assert all(q.document_id.startswith("wikipedia/") for q in answer.quotes)
    quotes_verbatim(engine, answer)


def test_a_question_answered_only_outside_the_scope_declines(engine):
    assert engine.ask(LIBRARY).answered
    answer = engine.ask(LIBRARY, documents=["wikipedia/", "news/"])
    assert not answer.answered and answer.quotes == []
    assert all(q.document_id != LIBRARY_PAGE for q in answer.related)
    quotes_verbatim(engine, answer)


def test_a_scope_of_every_document_answers_as_no_scope_does(engine):
    """Scoping filters; it does not rescore: the same cut-offs and the same quotes."""
    everything = [d.id for d in engine.documents()]
    for question in (LIBRARY, NORSE, "Who won the 2018 FIFA World Cup?"):
        assert engine.ask(question, documents=everything) == engine.ask(question)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_search_keeps_to_the_scope_in_every_mode(engine, mode):
    hits = engine.search("library renovation cost Normandy Rollo oil embargo", k=20, mode=mode,
                         documents=["wikipedia/1973-oil-crisis", LIBRARY_PAGE])
    assert hits and {h.document_id for h in hits} <= {"wikipedia/1973-oil-crisis", LIBRARY_PAGE}
    read = engine.search(LIBRARY, k=3, read=True, documents=["wikipedia/normans"])
    assert {h.document_id for h in read} == {"wikipedia/normans"}


def test_a_follow_up_is_resolved_within_the_scope(engine):
    first = "What do volunteers run in the basement of the Riverside library?"
    scope = ["fixtures/"]
    history = [Turn(role="user", content=first),
               Turn(role="assistant", content=engine.ask(first, documents=scope).quotes[0].text)]
    answer = engine.ask("How long can that session last?", history=history, documents=scope)
    assert answer.answered and "three hours" in answer.quotes[0].text
    # the same conversation kept to other documents cannot read on in the library page
    other = engine.ask("How long can that session last?", history=history, documents=["wikipedia/"])
    assert all(q.document_id.startswith("wikipedia/") for q in [*other.quotes, *other.related])


def test_unknown_names_are_an_error_naming_them(engine):
    with pytest.raises(UnknownDocuments) as err:
        engine.ask(NORSE, documents=["wikipedia/normans", "wikipedia/nope", "blogs/"])
    assert err.value.names == ["wikipedia/nope", "blogs/"]
    assert "'wikipedia/nope'" in str(err.value) and "'blogs/'" in str(err.value)
    with pytest.raises(UnknownDocuments, match="did you mean the prefix 'wikipedia/'"):
        engine.search(NORSE, documents=["wikipedia"])
    with pytest.raises(UnknownDocuments):  # ids are compared exactly: no case folding, no LIKE wildcards
        engine.ask(NORSE, documents=["WIKIPEDIA/"])
    with pytest.raises(UnknownDocuments):
        engine.ask(NORSE, documents=["wikipedia/norman_"])


def test_bad_scope_lists_are_clear_errors():
    with pytest.raises(ValueError, match="empty"):
        check_names([])
    with pytest.raises(ValueError, match="blank"):
        check_names(["wikipedia/normans", " "])
    with pytest.raises(ValueError, match="not the string"):
        check_names("wikipedia/normans")
    assert check_names(["a", "b/", "a"]) == ["a", "b/"]
