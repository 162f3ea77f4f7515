"""Questions as people type them (rag/typed.py): lower case, no question mark; the answers
come from the real index."""

from pathlib import Path

import pytest

from rag.quotes import is_claim, names_found
from rag.typed import opens_as_question, proper_names, punctuated

NORMANS = (Path(__file__).resolve().parents[1] / "corpus" / "wikipedia" / "normans.md").read_text()


@pytest.mark.parametrize("typed, read", [
    ("how old is the earth", "how old is the earth?"),
    ("who wrote to kill a mockingbird", "who wrote to kill a mockingbird?"),
    ("in which year was harvard founded ", "in which year was harvard founded?"),
    ("In 1972, did Norway end up joining the European Union", "In 1972, did Norway end up joining the European Union?"),
    ('who asserted Russia\'s right to "self-determination"', 'who asserted Russia\'s right to "self-determination"?'),
    ("Who was the Norse leader?", "Who was the Norse leader?"),  # marked already
    ('What does it mean when currencies are left to "float?"', 'What does it mean when currencies are left to "float?"'),
    ("When? conquered Canary Islands", "When? conquered Canary Islands"),  # a follow-up's rewrite keeps its mark
    ("Who reigned over the Ottoman empire when it was at its most powerful.",
     "Who reigned over the Ottoman empire when it was at its most powerful."),  # a mark the typist chose
    ("name the king of france", "name the king of france"),  # a request, not a question
    ("vitamin d lowers mortality", "vitamin d lowers mortality"),  # a statement
    ("the war ended when", "the war ended when"),  # a search phrase, opened as none
])
def test_a_question_is_read_with_its_question_mark(typed, read):
    assert punctuated(typed) == read


@pytest.mark.parametrize("text, opens", [
    ("In 1972, did Norway join", True), ("according to the review, has harvard ranked first", True),
    ("In mice, which lack p53, tumours grow.", False),  # after a comma "which" relates
    ("Overall survival improved", False)])
def test_a_question_opens_with_a_question_word_or_an_auxiliary(text, opens):
    assert opens_as_question(text) is opens


def test_a_comma_opened_question_without_its_mark_is_no_claim():
    assert not is_claim("In 1972, did Norway end up joining the European Union")
    assert is_claim("In mice, which lack p53, tumours grow.")


def test_a_lower_case_question_is_held_to_no_guessed_names():
    """Its words are not read as names from how the texts capitalise them: a search question's
    alias ("jfk") would hold its document to a spelling the document does not use."""
    question = "who was the leader of the normans in japan"
    assert proper_names(question) == []
    assert names_found(question, NORMANS, {"norman", "japan", "leader"})
    assert not names_found("Who was the leader of the Normans in Japan?", NORMANS, {"norman", "japan", "leader"})


def test_a_name_after_an_initial_is_still_a_name():
    """"When did William E. Simon die?" was held to "William" alone: the initial's full stop read
    as a sentence's end, and a document that never names Simon fitted."""
    assert proper_names("When did William E. Simon die?") == ["William", "Simon"]
    assert proper_names("What did Charles W. Eliot change?") == ["Charles", "Eliot"]
    assert proper_names("Who won? Harvard did.") == []  # a real sentence's end still starts one
    assert not names_found("When did William E. Simon die?", NORMANS, {"william", "simon"})


@pytest.mark.parametrize("typed", ["who was the norse leader", "who was the norse leader?", "Who was the Norse leader"])
def test_a_question_typed_plainly_answers_as_written(engine, typed):
    written = engine.ask("Who was the Norse leader?")
    answer = engine.ask(typed)
    assert answer.answered and "under their leader Rollo" in answer.quotes[0].text
    assert [(q.document_id, q.start, q.end) for q in answer.quotes] == \
        [(q.document_id, q.start, q.end) for q in written.quotes]
    assert answer.query == typed.strip()  # the answer shows the question as typed
