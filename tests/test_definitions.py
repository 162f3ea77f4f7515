"""A "What is X?" question quotes the sentence that says what X is first (rag/definitions.py):
the rules on hand-made sentences, and the shipped corpus end to end (a definition among the
competing chunks, and one found further down)."""

from __future__ import annotations

from rag.definitions import defines, first, subject
from rag.quotes import Sentence
from rag.types import Document


def test_only_a_question_about_a_term_has_a_subject():
    assert subject("What is Islamism?") == ["Islamism"]
    assert subject("who was the first duke of Normandy") == ["first", "duke", "of", "Normandy"]
    assert subject("What are the pulmonary alveolar cells?") == ["pulmonary", "alveolar", "cells"]
    assert subject("What is France a region of?") is None  # ends with a preposition: not a term
    assert subject("What was it called?") is None
    assert subject("When was Harvard founded?") is None
    assert subject("What is the name of the longest river in the whole of Europe today?") is None  # > 6 words


def test_a_sentence_defines_when_it_opens_with_the_term_and_a_copula():
    islamism = ["Islamism"]
    assert defines("Islamism, also known as Political Islam (Arabic: إسلام سياسي), is an Islamic revival movement.",
                   islamism)
    assert defines("The European Court of Justice is the highest court.", ["European", "Court", "of", "Justice"])
    assert defines("Turing machines are models of computation.", ["Turing", "machine"])  # plural
    assert defines("Imperialism (from Latin) refers to a policy.", ["Imperialism"])
    assert not defines("Another major division within Islamism is between two camps.", islamism)
    assert not defines("Turing machines are not intended as a practical technology.", ["Turing", "machine"])
    assert not defines("Islamists say that Islamism is politics.", islamism)
    assert not defines("European Union law is applied by the courts.", ["European", "Union", "law"])  # passive


def _sentences(texts_scores):
    text = " ".join(t for t, _ in texts_scores)
    document = Document(id="d", title="D", text=text)
    out, start = [], 0
    for t, score in texts_scores:
        out.append(Sentence(document=document, start=start, end=start + len(t), chunk_rank=0, score=score))
        start += len(t) + 1
    return out


def test_the_defining_sentence_is_raised_to_the_best_and_nothing_else_moves():
    sentences = _sentences([("Another major division within Islamism is old.", 0.40),
                            ("Islamism is a revival movement.", 0.27), ("Islamism is a word.", 0.10)])
    raised = first(sentences, subject("What is Islamism?"))
    assert [round(s.score, 4) for s in raised] == [0.40, 0.40, 0.10]
    assert max(raised, key=lambda s: s.score).text == "Islamism is a revival movement."
    assert first(sentences, subject("When did Islamism begin?")) == sentences
    unread = _sentences([("Another major division within Islamism is old.", 0.40), ("Islamism is a movement.", 0.0)])
    assert first(unread, subject("What is Islamism?")) == unread  # a sentence the reader did not read is not raised


def test_what_is_islamism_quotes_its_definition_first(corpus_engine):
    answer = corpus_engine.ask("What is Islamism?")
    assert answer.answered
    assert answer.quotes[0].text.startswith("Islamism, also known as Political Islam")


def test_a_definition_in_a_chunk_further_down_is_read_and_quoted_first(corpus_engine):
    """Every chunk of the article names European Union law, so its opening definition is not
    among the chunks whose sentences compete; it is looked for further down and read."""
    answer = corpus_engine.ask("What is European Union law?")
    assert answer.answered
    assert answer.quotes[0].text.startswith("European Union law is a body of treaties and legislation")
    assert corpus_engine.ask("What is a Turing machine?").quotes[0].text.startswith("A Turing machine is a mathematical model")
