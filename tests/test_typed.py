"""Questions as people type them (rag/typed.py): lower case, no question mark. The names are
recognised from the shipped Normans article; the answers come from the real index."""

from pathlib import Path

import pytest

from rag.quotes import is_claim, names_found
from rag.typed import given_names, opens_as_question, punctuated

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


@pytest.mark.parametrize("question, names", [
    ("who was the leader of the normans", ["Normans"]),
    ("what was the name of the count of apulia", ["Apulia"]),
    ("who ruled the duchy of normandy", ["Duchy", "Normandy"]),  # "the Duchy of Normandy" is how the article names it
    ("what religion were the normans", ["Normans"]),
    ("what is the capital of france", ["France"]),
    ("who were the vikings", ["Vikings"]),
    ("what did they settle", []),  # no word the article capitalises
    ("Who ruled the duchy of Normandy?", ["Normandy"]),  # any capital: taken as typed
])
def test_a_lower_case_question_names_things_as_the_texts_write_them(question, names):
    assert given_names(question, [NORMANS]) == names


def test_a_name_the_candidates_never_write_is_looked_up_in_the_corpus():
    looked_up = []

    def written(word):
        looked_up.append(word)
        return ["Oil prices rose in Japan and in the United States."] if word == "japan" else []

    assert given_names("who was the leader of the normans in japan", [NORMANS], written) == ["Normans", "Japan"]
    assert "normans" not in looked_up  # the candidates write it: nothing to look up


def test_a_hyphened_name_is_a_name_when_each_part_is():
    """"oxford-cambridge rivalry": the text writes the two names, never joined by a hyphen."""
    text = "Harvard's rivalry with Yale mirrors the one between Oxford and Cambridge in England."
    assert given_names("what does the oxford-cambridge rivalry culminate in", [text]) == ["Oxford-cambridge"]
    assert given_names("what is a self-determination right", ["the self and its determination"]) == []


def test_a_lower_case_question_is_held_to_the_names_the_corpus_knows():
    vocabulary = {"norman", "japan", "leader"}
    question = "who was the leader of the normans in japan"
    assert names_found(question, NORMANS, vocabulary)  # no capitals: no names, as before
    names = given_names(question, [NORMANS], lambda word: ["Oil imports fell in Japan."] if word == "japan" else [])
    assert not names_found(question, NORMANS, vocabulary, names=names)
    assert names_found("who was the leader of the normans", NORMANS, vocabulary,
                       names=given_names("who was the leader of the normans", [NORMANS]))


@pytest.mark.parametrize("typed", ["who was the norse leader", "who was the norse leader?", "Who was the Norse leader"])
def test_a_question_typed_plainly_answers_as_written(engine, typed):
    written = engine.ask("Who was the Norse leader?")
    answer = engine.ask(typed)
    assert answer.answered and "under their leader Rollo" in answer.quotes[0].text
    assert [(q.document_id, q.start, q.end) for q in answer.quotes] == \
        [(q.document_id, q.start, q.end) for q in written.quotes]
    assert answer.query == typed.strip()  # the answer shows the question as typed


def test_a_lower_case_question_naming_what_the_document_lacks_is_declined(engine):
    """"japan" is a name the oil crisis article writes, and the Normans article never does."""
    assert not engine.ask("Who was the leader of the Normans in Japan?").answered
    assert not engine.ask("who was the leader of the normans in japan").answered
