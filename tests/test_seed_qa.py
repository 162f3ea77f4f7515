"""The seed news article answered through the real engine over the shipped corpus/.

The follow-up ("How long can that training last?") is resolved against the previous answer
(rag/followup/): "that training" is the decree's "2026 military training assemblies", and
the decree's sentence, which says nothing about how long, is not quoted again.
"""

from __future__ import annotations


from rag.types import Turn

SEED_ID = "news/russia-2026-reservist-call-up"


def test_volunteer_recruitment_is_answered_by_the_troops_per_month_sentence(corpus_engine):
    answer = corpus_engine.ask("How many troops a month does Russia's volunteer recruitment system provide?")
    assert answer.answered
    first = answer.quotes[0]
    assert first.document_id == SEED_ID and "roughly 30,000 troops per month" in first.text
    assert corpus_engine.document(SEED_ID).text[first.start:first.end] == first.text


def test_the_world_cup_question_declines(corpus_engine):
    answer = corpus_engine.ask("Who won the 2018 FIFA World Cup?")
    assert not answer.answered and not answer.quotes


def test_a_follow_up_about_the_training_quotes_its_legal_limit(corpus_engine):
    first = "What did Putin's decree on reservists order?"
    previous = corpus_engine.ask(first)
    history = [Turn(role="user", content=first),
               Turn(role="assistant", content=" ".join(quote.text for quote in previous.quotes))]
    answer = corpus_engine.ask("How long can that training last?", history)
    assert answer.answered
    assert "may not exceed two consecutive months in duration" in answer.quotes[0].text
