"""Quote scoring and selection on hand-made sentences: the fit checks, the shipped model
and the per-word gain rule (no index needed; the engine tests cover the real path)."""

import json
from dataclasses import replace

import numpy as np
import pytest

from rag.answer import compose
from rag.quotes import (FEATURES, MODEL_PATH, QuoteModel, Sentence, distinct, document_fits, fits, is_claim,
                        names_found, says_term, select, term_asked)
from rag.types import Document


@pytest.mark.parametrize("question, sentence, expected", [
    ("Who did not sign the treaty?", "Norway did not sign the treaty.", True),
    ("Who did not sign the treaty?", "Norway signed the treaty.", False),
    ("What type of engine doesn't need valves?", "Engines without valves exist.", True),
    ("Who signed the treaty?", "Norway never signed the treaty.", True),  # an affirmative question may quote a negation
])
def test_a_negated_question_needs_a_negated_sentence(question, sentence, expected):
    assert fits(question, sentence) is expected


@pytest.mark.parametrize("sentence", ["Tom Reyes: Who paid for the survey?", "Q: Who paid for the survey?",
                                      "Interviewer: and who paid for it (and when?)"])
def test_a_speakers_question_answers_nothing(sentence):
    """An interviewer's question echoes the one asked and would outscore the answer after it."""
    assert not fits("Who paid for the survey?", sentence)
    assert not fits("The council paid for the survey.", sentence)  # nor is it evidence for a claim
    assert fits("Who paid for the survey?", "The city council paid for it? No: the port did.")
    # a question in prose may state what is asked (a SQuAD answer, "2000", was lost to a wider rule)
    assert fits("How many kilometres long is the route?",
                "Is there a route of at most 2000 kilometres passing through all of Germany's 15 largest cities?")


@pytest.mark.parametrize("turn", [
    "Tom Reyes: who paid for the survey", "Q: did the port pay for it", "Tom: and when did the dredging stop",
    "Tom: how much did it cost", "Tom: so did you ever find out who paid", "Tom: whose idea was the survey",
    "Tom: is there a record of who paid"])
def test_a_transcripts_unmarked_question_answers_nothing(turn):
    """Speech-recognition captions write no question mark; only in a transcript is a turn
    opened as a question taken for one (a sentence elsewhere is judged as before)."""
    assert not fits("Who paid for the survey?", turn, transcript=True)
    assert fits("Who paid for the survey?", turn)


@pytest.mark.parametrize("turn", [
    "Maria Lopez: the port paid for the survey",
    "Maria Lopez: what happened was the port paid for the survey",  # what + a verb: a cleft, told
    "Maria: what is clear is the port paid", "Maria: why we did it is simple",
    "Maria: who we hired was the port's surveyor", "Maria: when we started the survey in 2018 the port paid",
    "Maria: had we known the port would pay", "Maria: were it not for the port nobody would have paid",
    "Maria: Will Turner paid for the survey",  # a name, not the auxiliary before a subject
    "Maria: Who paid for the survey.",  # punctuated: a question would have its mark
    "Maria: did you know the port paid for the survey in 2018 and then again in 2020 when the dredging "
    "began and the council refused to pay anything at all",  # too long for a question: it goes on to answer
])
def test_a_transcripts_statement_still_answers(turn):
    assert fits("Who paid for the survey?", turn, transcript=True)


@pytest.mark.parametrize("text, claim", [
    ("Vitamin D deficiency is associated with higher mortality.", True),
    ("ART substantially reduces infectiveness of HIV-positive people.", True),
    ("Is vitamin D deficiency associated with higher mortality", False),
    ("vitamin d mortality?", False),
    ("how are glacier caves formed", False),  # a search question without its question mark
    ("Trotsky thought what was needed for a true Russian revolution.", False),
    ("Participants who quit smoking reduce lung cancer risk by approximately 50%.", True),  # a relative "who"
    ("The gene daf-16, which encodes FOXO, is required for longevity.", True),
    ("The World Health Organization's (WHO) data collection process is biased.", True),
    ("In which year was Harvard founded", False),  # opened by a question word after a preposition
    ("the war ended when", False),  # a search query: no full stop, so "when" asks
    ("Tell me who invented the steam engine.", False),  # a request
])
def test_claims_are_told_from_questions(text, claim):
    assert is_claim(text) is claim


def test_a_claim_is_answered_by_evidence_that_contradicts_it():
    assert fits("Aspirin does not lower the risk of stroke.", "Aspirin lowered the risk of stroke by 20%.")


@pytest.mark.parametrize("claim, expected", [
    ("ART reduces infectiveness of HIV-positive people.", True),
    ("ART reduces infectiveness of Vikings.", True),  # a claim's names are not checked: evidence names things its own way
    ("ART halves transmission within 12 months.", False),  # its numbers are
])
def test_a_claim_is_held_to_its_numbers_not_its_names(claim, expected):
    document_text = "Antiretroviral therapy lowered transmission from people who were positive for HIV."
    vocabulary = {"hiv", "posit", "vike", "art", "antiretrovir"}
    assert document_fits(claim, document_text, vocabulary, claim=True) is expected
    assert document_fits("Does ART help Vikings?", document_text, vocabulary, claim=False) is False  # a question's are


@pytest.mark.parametrize("question, expected", [
    ("What happened in 1066?", True),
    ("What happened in 1067?", False),  # a number the document never gives
    ("Where did the Normans settle?", True),
    ("Where did the NORMANS settle?", True),  # case does not matter
    ("Where did the Vikings settle?", False),  # a name the corpus knows, absent from this document
    ("Where did the Normens settle?", True),  # unknown to the corpus (a typo): no evidence either way
    ("When did it begin? What did the Normans settle?", True),  # a follow-up's query: "What" starts a sentence
    ("Who appointed Robert of Jumieges?", True),  # accents need not be typed
])
def test_numbers_and_known_names_of_the_question_must_be_in_the_document(question, expected):
    document_text = "The Normans settled in Normandy; the conquest began in 1066. Robert of Jumièges was appointed."
    vocabulary = {"norman", "settl", "normandi", "conquest", "began", "vike", "what", "robert", "jumieg"}
    assert names_found(question, document_text, vocabulary) is expected


@pytest.mark.parametrize("question, expected", [
    ("What is the Church-Turing thesis?", True),  # typed with a hyphen, written with an en dash
    ("What is the Church Turing thesis?", True),
    ("Who proved the Cook-Levin theorem?", False),  # never written, though Cook and Levin each are
    ("Are there NP–complete problems?", True),
])
def test_a_name_is_found_whatever_dash_joins_it(question, expected):
    document_text = ("This is the statement of the Church–Turing thesis. In 1971 Stephen Cook and, "
                     "independently, Leonid Levin proved that there exist NP-complete problems.")
    vocabulary = {"church", "ture", "cook", "levin", "thesi", "theorem", "np", "complet"}
    assert names_found(question, document_text, vocabulary) is expected


def test_the_shipped_model_names_every_feature_and_ranks_evidence_up():
    model = QuoteModel.load()
    assert set(model.weights) == set(FEATURES)
    assert 0 < model.decline_below < 1 and 0 < model.gain_per_word < 0.1
    plain = {name: 0.0 for name in FEATURES} | {"log_words": np.log(20), "novelty": 0.5, "rank": 1.0}
    for name in ("coverage", "cosine", "answer_type"):  # more evidence, higher probability
        assert model.probability(plain | {name: 0.9}) > model.probability(plain)
    assert model.about["held_out"]["supported"] > 0.8  # fitted and reported by eval/calibrate.py


def test_a_model_file_without_a_feature_is_refused(tmp_path):
    data = json.loads(MODEL_PATH.read_text())
    del data["weights"]["cosine"]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="cosine"):
        QuoteModel.load(path)


def _sentences(document, scores, fits_question=None):
    spans, start = [], 0
    for part in document.text.split(" | "):
        spans.append((start, start + len(part)))
        start += len(part) + 3
    return [Sentence(document, a, b, chunk_rank=0, index=i, score=score,
                     fits=True if fits_question is None else fits_question[i])
            for i, ((a, b), score) in enumerate(zip(spans, scores))]


def test_a_further_sentence_must_bring_enough_probability_per_word():
    document = Document(id="d", title="D", text="One two three four. | Five six seven eight. | Nine ten eleven twelve.")
    sentences = _sentences(document, [0.9, 0.5, 0.03])  # four words each: gains 0.125 and 0.0075 per word
    quotes = select(sentences, max_quotes=3, max_words=100, gain_per_word=0.01)
    assert [q.text for q in quotes] == ["One two three four.", "Five six seven eight."]
    assert all(q.text == document.text[q.start:q.end] for q in quotes)
    assert len(select(sentences, max_quotes=3, max_words=6, gain_per_word=0.0)) == 1  # the word cap holds


def test_adjacent_sentences_merge_within_a_paragraph_and_never_across_one():
    text = "The Normans held Sicily. They came from Normandy.\n\nThe name comes from Norseman. It spread."
    document = Document(id="d", title="D", text=text)
    parts = ["The Normans held Sicily.", "They came from Normandy.", "The name comes from Norseman.", "It spread."]
    spans = [(text.index(p), text.index(p) + len(p)) for p in parts]
    sentences = [Sentence(document, a, b, chunk_rank=0, index=i, score=score)
                 for i, ((a, b), score) in enumerate(zip(spans, [0.3, 0.5, 0.7, 0.0001]))]
    quotes = select(sentences, max_quotes=3, max_words=100, gain_per_word=0.001)
    assert [q.text for q in quotes] == ["The name comes from Norseman.",
                                        "The Normans held Sicily. They came from Normandy."]
    wrapped = Document(id="w", title="W", text="One line\nwraps here. And goes on.")
    pair = [Sentence(wrapped, 0, 20, chunk_rank=0, index=0, score=0.6),
            Sentence(wrapped, 21, len(wrapped.text), chunk_rank=0, index=1, score=0.5)]
    assert [q.text for q in select(pair, max_quotes=3, max_words=100, gain_per_word=0.0)] == [wrapped.text]


def test_a_decline_when_only_unfitting_sentences_score():
    document = Document(id="d", title="D", text="Norway signed it. | It rained.")
    sentences = _sentences(document, [0.9, 0.05], fits_question=[False, True])
    answer = compose("Who did not sign it?", "Who did not sign it?", sentences, max_quotes=3, max_words=100,
                     decline_below=0.1, gain_per_word=0.001)
    assert not answer.answered and answer.related[0].text == "Norway signed it."
    sentences[1] = replace(sentences[1], score=0.2)
    answer = compose("Who did not sign it?", "Who did not sign it?", sentences, max_quotes=3, max_words=100,
                     decline_below=0.1, gain_per_word=0.001)
    assert [q.text for q in answer.quotes] == ["It rained."]


def test_the_documents_title_is_a_heading_however_long():
    """A news headline of thirteen words was quoted (and listed as related) as if a sentence."""
    from rag.quotes import candidate_sentences
    from rag.retrieve import Candidate
    from rag.types import Chunk
    title = "Putin Launches 2026 Stage of Covert Mobilization to Replace Russia’s Mounting War Casualties"
    body = "The Russian leader has signed a decree calling up reservists."
    text = f"{title}\n\n{body}"
    document = Document(id="n", title=title, text=text)
    start = text.index(body)
    chunk = Chunk(id="c", document_id="n", ordinal=0, start=0, end=len(text), text=text,
                  sentences=[(0, len(title)), (start, len(text))])
    assert [s.text for s in candidate_sentences([(Candidate("c", 1.0), chunk, document)])] == [body]


def test_a_short_table_row_is_no_heading():
    """"Lighthouse: Greyhaven | Keeper: Ann Lee | Left: 1987" (a CSV row, a Word or HTML table
    row) was taken for a heading, so the only line giving the year could never be quoted."""
    from rag.quotes import candidate_sentences
    from rag.retrieve import Candidate
    from rag.types import Chunk
    text = "Keepers\n\nLighthouse: Greyhaven | Keeper: Ann Lee | Left: 1987\n2018 | 412"
    document = Document(id="k", title="Keepers", text=text)
    spans = [(0, 7), (9, text.index("\n2018")), (text.index("2018"), len(text))]
    chunk = Chunk(id="c", document_id="k", ordinal=0, start=0, end=len(text), text=text, sentences=spans)
    assert [s.text for s in candidate_sentences([(Candidate("c", 1.0), chunk, document)])] == [
        "Lighthouse: Greyhaven | Keeper: Ann Lee | Left: 1987", "2018 | 412"]


def test_a_sentence_copied_into_another_file_is_quoted_once():
    """Two files with the same text (a copy kept under another name): the copy is no second
    piece of evidence, so it is neither quoted twice nor listed twice as related."""
    text = "The ferry to Wexmouth leaves every morning at nine. | It carries cars."
    original, copy = Document(id="ferry.txt", title="F", text=text), Document(id="ferry-copy.txt", title="F", text=text)
    sentences = _sentences(original, [0.5, 0.1]) + _sentences(copy, [0.45, 0.1])
    quotes = select(sentences, max_quotes=3, max_words=100, gain_per_word=0.0)
    assert [(q.document_id, q.text) for q in quotes] == [("ferry.txt", "The ferry to Wexmouth leaves every morning at nine."),
                                                          ("ferry.txt", "It carries cars.")]
    declined = compose("When?", "When?", sentences, max_quotes=3, max_words=100, decline_below=0.9, gain_per_word=0.0)
    assert [q.text for q in declined.related] == ["The ferry to Wexmouth leaves every morning at nine.", "It carries cars."]


def test_answers_and_declines_keep_the_same_copy_of_a_repeated_sentence():
    """One rule (quotes.distinct) for both: the best scoring copy stands for the others, and on
    a tie the one retrieved first; an answer's quote and a decline's passage are the same copy."""
    text = "The ferry to Wexmouth leaves every morning at nine. | It carries cars."
    first, second = Document(id="a.txt", title="F", text=text), Document(id="b.txt", title="F", text=text)
    sentences = _sentences(first, [0.4, 0.1]) + _sentences(second, [0.6, 0.1])
    assert [(s.document.id, s.score) for s in distinct(sentences)] == [("b.txt", 0.6), ("a.txt", 0.1)]
    answered = select(sentences, max_quotes=3, max_words=100, gain_per_word=0.0)
    declined = compose("When?", "When?", sentences, max_quotes=3, max_words=100, decline_below=0.9,
                       gain_per_word=0.0)
    assert [(q.document_id, q.text) for q in answered] == [(q.document_id, q.text) for q in declined.related]
    assert answered[0].document_id == "b.txt" and len(answered) == 2


def test_a_question_about_a_term_needs_the_term_said():
    """The term itself, in the sentence or the text read before it; a word of its stem is not it."""
    assert term_asked("When was the term Islamism first used?") == "Islamism"
    assert term_asked('Where does the word "Normans" come from?') == "Normans"
    assert term_asked("What was the name of the king?") == "" and term_asked("When was the term added?") == ""
    # what describes the name asked for is not the name (SQuAD lost three answers to "given")
    for question in ("What is the name given to the input string of a computational problem?",
                     "What is the term given to algorithms that utilize random bits?",
                     "What is the expression set called where three integers are multiplied?",
                     "What is the term used for a slow body?", "Where does the word come from?"):
        assert term_asked(question) == "", question
    text = "Islamism is old. His National Islamic Front first gained influence in 1979."
    document = Document(id="d", title="Islamism", text=text)
    second = Sentence(document, 17, len(text), 0, previous=(0, 16))
    assert says_term("Islamism", second)  # the sentence before says it
    assert not says_term("Islamism", replace(second, previous=None))  # "Islamic" is another word
