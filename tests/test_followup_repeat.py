"""What may answer a follow-up besides sentences holding its words: the previous quote itself
when the follow-up asks something new ("how big is it"), lowered so that only a clear reading
quotes it again, and the sentence right after it that names what the follow-up points at
("How did it work?"). Pure functions of rag/followup/, then the real engine on corpus/."""

from dataclasses import replace

import pytest

from rag.followup import REPEAT_LOGIT, keep_to_question, near_previous, own_terms, resolve
from rag.quotes import logit
from tests.test_followup import _located, _sentences, conversation

CAMPUS = "Its 209-acre main campus is centered on Harvard Yard in Cambridge."
SAVERY = "In 1698 Thomas Savery patented a steam pump that used steam in direct contact with the water being pumped."
WORKS = ("Savery's steam pump used condensing steam to create a vacuum and draw water into a chamber, and then "
         "applied pressurized steam to further pump the water.")
LATER = "Thomas Newcomen's atmospheric engine was the first commercial true steam engine using a piston."


def test_a_follow_up_asking_something_new_may_be_answered_by_the_previous_quote_lowered():
    campus, other = _sentences(CAMPUS, "Harvard has the largest university endowment in the world.")
    question = "how big is it"
    resolved = resolve(question, conversation(("Where is Harvard's main campus centered?", CAMPUS)),
                       _located([campus, other]))
    assert resolved.leans_on == ["pronoun"]
    # "big" is not in the quote, which says it as "209-acre": kept, and only it (the other lacks "big")
    assert keep_to_question([campus, other], question, resolved) == [campus]
    [lowered] = near_previous([replace(campus, score=0.8)], resolved, question)
    assert logit(lowered.score) == pytest.approx(logit(0.8) - REPEAT_LOGIT)


def test_the_sentence_right_after_the_quote_naming_its_subject_is_a_candidate():
    savery, works, later = _sentences(SAVERY, WORKS, LATER)
    question = "How did it work?"
    resolved = resolve(question, conversation(("What did Thomas Savery patent in 1698?", SAVERY)),
                       _located([savery, works, later]))
    assert resolved.entity == "steam pump" and own_terms(question) == {"work"}
    # WORKS lacks "work" but comes right after the quote and names the steam pump; LATER names it not
    assert works in keep_to_question([savery, works, later], question, resolved)
    assert later not in keep_to_question([savery, works, later], question, resolved)
    # not when the sentence is further on
    apart = _sentences(SAVERY, LATER, WORKS)
    far = resolve(question, conversation(("What did Thomas Savery patent in 1698?", SAVERY)), _located(apart))
    assert apart[2] not in keep_to_question(apart, question, far)


def test_a_guessed_topic_does_not_let_the_next_sentence_in():
    """"Who designed the first submarine?" after Dyrrachium only guesses Dyrrachium: the
    sentence after the quote naming it is no candidate for its own sake."""
    fell = ("The city's garrison resisted until February 1082, when Dyrrachium was betrayed to the Normans by the "
            "Venetian and Amalfitan merchants who had settled there.")
    lost = "They lost Dyrrachium, Valona, and Butrint in 1085, after the death of Robert."
    sentences = _sentences(fell, lost)
    question = "Who designed the first submarine?"
    resolved = resolve(question, conversation(("When did Dyrrachium fall to the Normans?", fell)),
                       _located(sentences))
    if resolved.leans_on:  # read as a guessed attribute follow-up
        assert sentences[1] not in keep_to_question(sentences, question, resolved)


def test_laid_is_a_form_of_lay():
    assert own_terms("What did it lay out?") & own_terms("which laid out the definitions")


def test_real_engine_quotes_the_previous_sentence_for_a_new_question_and_the_next_one(corpus_engine):
    from rag.types import Turn

    def ask(first: str, shown_words: str, question: str):
        shown = corpus_engine.ask(first)
        assert shown.quotes and shown_words in shown.quotes[0].text
        history = [Turn(role="user", content=first), Turn(role="assistant", content=shown.quotes[0].text)]
        return corpus_engine.ask(question, history)

    big = ask("Where is Harvard's main campus centered?", "Harvard Yard", "how big is it")
    assert big.answered and any("209-acre" in q.text for q in big.quotes)
    work = ask("What did Thomas Savery patent in 1698?", "Savery", "How did it work?")
    assert any("condensing steam to create a vacuum" in q.text for q in work.quotes)
    more = corpus_engine.ask("Tell me more", [Turn(role="user", content="Where is Harvard's main campus centered?"),
                                              Turn(role="assistant", content=big.quotes[0].text)])
    assert all(q.text != big.quotes[0].text for q in more.quotes)  # "Tell me more" still shows nothing again


def test_a_follow_up_naming_something_new_does_not_get_the_previous_quote_as_filler():
    """"And Robert Crispin?" names a new person (no document is preferred): the previous
    answer, kept as a candidate, is still lowered and dropped beside a better sentence."""
    herve, crispin = _sentences("One of the first Norman mercenaries to serve as a Byzantine general was Hervé in "
                                "the 1050s.", "In the 1060s, Robert Crispin led the Normans of Edessa against the Turks.")
    question = "And Robert Crispin?"
    resolved = resolve(question, conversation(("When did Hervé serve as a Byzantine general?", herve.text)),
                       _located([herve, crispin]))
    assert resolved.prefer_documents == [] and resolved.answered_before
    kept = near_previous([replace(herve, score=0.3), replace(crispin, score=0.4)], resolved, question)
    assert [s.start for s in kept] == [crispin.start]
