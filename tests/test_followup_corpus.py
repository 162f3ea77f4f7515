"""Follow-ups on the real engine over the shipped corpus/ (MiniLM, Chroma, BM25, the reader):
the swap of an elliptical term, "the word", "he" that is no institution, "they" after
"Who won ...?". Each conversation is carried as `rag chat` carries it: the engine's own
answers, with their citations."""

from __future__ import annotations

from rag.engine import Engine
from rag.types import NO_ANSWER, Answer, Turn
from tests.test_followup_probe import HARVARD


def _converse(engine: Engine, *questions: str) -> list[Answer]:
    history: list[Turn] = []
    answers = []
    for question in questions:
        answer = engine.ask(question, history=history)
        answers.append(answer)
        history += [Turn(role="user", content=question),
                    Turn(role="assistant", content="\n".join(q.text for q in answer.quotes),
                         citations=[q.model_dump() for q in answer.quotes])]
    return answers


def _shown(answer: Answer) -> list[str]:
    return [q.text for q in answer.quotes + answer.related]


def test_what_about_japan_asks_about_japan_in_place_of_the_united_states(corpus_engine):
    _, japan, later = _converse(corpus_engine, "What was the price of oil in the United States in 1974?",
                                "What about Japan?", "And in 1979?")
    assert japan.query == "What was the price of oil in Japan in 1974?"
    assert later.query == "What was the price of oil in Japan in 1979?"
    assert all("Japan" in text for text in _shown(japan)[:1])


def test_and_to_spain_keeps_who_ceded(corpus_engine):
    _, spain = _converse(corpus_engine, "What territory did France cede to Great Britain?", "And to Spain?")
    assert spain.query == "What territory did France cede to Spain?"
    assert spain.answered and "Louisiana" in spain.quotes[0].text


def test_the_word_is_the_term_asked_about(corpus_engine):
    _, word = _converse(corpus_engine, "Who were the Normans?", "Where does the word come from?")
    assert word.query == "Where does the word Normans come from?"
    assert word.answered and '"Normans" comes from the French words' in word.quotes[0].text


def test_he_after_the_first_president_is_not_the_corporation(corpus_engine):
    _, office = _converse(corpus_engine, "Who was the first president of Harvard?", "When did he take office?")
    assert "Corporation" not in office.query
    # an answer that names no president (John Harvard was its benefactor), sent back as plain
    # text: "he" is no one, and the follow-up is declined
    history = [Turn(role="user", content="Who was the first president of Harvard?"),
               Turn(role="assistant", content=HARVARD)]
    died = corpus_engine.ask("When did he die?", history=history)
    assert died.query == "When did he die?" and not died.answered


def test_they_after_who_won_stays_on_the_winner_not_the_election(corpus_engine):
    """The answer names no winner ("it won the majority"): "they" stays and the answer's
    document answers; it was "When did January drive the PLO out of Gaza?"."""
    _, gaza, killed = _converse(corpus_engine, "Who won the January 2006 legislative election in Palestine?",
                                "When did they drive the PLO out of Gaza?",
                                "How many people did they kill from 2000 to 2007?")
    assert gaza.query == "When did they drive the PLO out of Gaza?"
    assert gaza.answered and "in 2007 it drove the PLO out of Gaza" in gaza.quotes[0].text
    assert killed.query == "How many people did they kill from 2000 to 2007?"
    assert killed.answered and "542 people" in killed.quotes[0].text
    _, rival = _converse(corpus_engine, "Who won the Rose Bowl in 1920?", "Who do they play in The Game?")
    assert rival.query == "Who do they play in The Game?"
    assert rival.answered and "Yale" in rival.quotes[0].text


def test_what_about_another_person_swaps_the_person_not_the_college(corpus_engine):
    """"the president of Harvard Joseph Willard" is two names: it was "When did the president
    of David Tappan die?"."""
    _, tappan = _converse(corpus_engine, "When did the president of Harvard Joseph Willard die?",
                          "What about David Tappan?")
    assert tappan.query == "When did the president of Harvard David Tappan die?"
    assert tappan.answered and "David Tappan died in 1803" in tappan.quotes[0].text


def test_he_after_a_place_is_the_person_the_answer_names(corpus_engine):
    """It was "When did Lahore die?"; the corpus does not say when Iqbal died, so it declines."""
    _, died = _converse(corpus_engine, "What happened in Lahore in 1932?", "When did he die?")
    assert died.query == "When did Sir Muhammad Iqbal die?" and not died.answered


def test_the_term_asked_about_must_be_said_by_the_quote(corpus_engine):
    """The corpus does not say when "Islamism" was first used: "His National Islamic Front first
    gained influence ... in 1979" (same stem, another word) was quoted; it declines now."""
    _, term = _converse(corpus_engine, "What is Islamism?", "When was the term first used?")
    assert term.query == "When was the term Islamism first used?" and not term.answered
    origin = corpus_engine.ask("Which ancient language does the word imperialism come from?")
    assert origin.answered and "Latin" in origin.quotes[0].text  # "Its name ...": the term is the sentence before


def test_a_conversation_typed_in_lower_case_is_resolved_as_typed_with_capitals(corpus_engine):
    """"and to spain" after a lower-case question: the names come from the quoted article."""
    _, spain = _converse(corpus_engine, "what territory did france cede to great britain", "and to spain")
    assert spain.query == "What territory did France cede to Spain?"
    assert spain.answered and "Louisiana" in spain.quotes[0].text


def test_a_history_of_user_turns_only_is_recased_by_what_its_questions_retrieve(corpus_engine):
    """An API client may send only its user's turns: no answer quoted a document, so the
    capitals come from the documents the earlier question finds, for a lower-case follow-up,
    a lower-case earlier question, or both ("the united states" is then the name swapped)."""
    for asked, question in [("how did the oil crisis affect the united states", "what about japan"),
                            ("How did the oil crisis affect the United States?", "what about japan"),
                            ("how did the oil crisis affect the united states", "What about Japan?")]:
        japan = corpus_engine.ask(question, history=[Turn(role="user", content=asked)])
        assert japan.query.lower().rstrip("?") == "how did the oil crisis affect japan", (asked, question, japan.query)
    # a declined turn quotes nothing either: the earlier question's documents still give the capitals
    declined = [Turn(role="user", content="how did the oil crisis affect the united states"),
                Turn(role="assistant", content=NO_ANSWER)]
    japan = corpus_engine.ask("what about japan", history=declined)
    assert japan.query.lower().rstrip("?") == "how did the oil crisis affect japan", japan.query
