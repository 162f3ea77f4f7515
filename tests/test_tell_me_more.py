""""Tell me more", "What else?", "Go on" on the real engine (MiniLM, Chroma, BM25, the reading
model) over two corpus articles: the previous question asked again, nothing the conversation
showed quoted again, and, with no further answer, the text read on from the best quote."""

from __future__ import annotations

import shutil

import pytest

from rag.engine import Engine
from rag.config import Settings
from rag.followup import Passage, asks_more, resolve
from rag.followup.more import read_from
from rag.render import as_markdown
from rag.types import Answer, Quote, Turn
from tests.conftest import ROOT

INVENTOR = "Who invented the atmospheric engine?"
MORE = ["Tell me more", "What else?", "Go on", "Anything else?", "More about that"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    corpus = tmp_path_factory.mktemp("more-corpus")
    for name in ["steam-engine.md", "1973-oil-crisis.md"]:
        shutil.copy(ROOT / "corpus" / "wikipedia" / name, corpus / name)
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("more-data"), precision="fp32"))
    assert not engine.ingest(corpus).failed
    return engine


@pytest.fixture(scope="module")
def first(engine) -> Answer:
    answer = engine.ask(INVENTOR)
    assert answer.answered and "Newcomen" in answer.quotes[0].text
    return answer


def _turns(question: str, answer: Answer, cited: bool) -> list[Turn]:
    """An exchange as a client sends it back: Attest's quotes as citations, or only the
    chat Markdown an OpenAI client keeps."""
    if cited:
        return [Turn(role="user", content=question),
                Turn(role="assistant", content="\n".join(q.text for q in answer.quotes),
                     citations=[q.model_dump() for q in answer.quotes])]
    return [Turn(role="user", content=question), Turn(role="assistant", content=as_markdown(answer))]


def _overlaps(quote: Quote, shown: list[Quote]) -> bool:
    return any(q.document_id == quote.document_id and q.start < quote.end and quote.start < q.end for q in shown)


@pytest.mark.parametrize("text", [*MORE, "Tell me more about it.", "Can you elaborate on that?", "OK, go on please",
                                  "More?"])
def test_a_bare_request_for_more_is_read_as_one(text):
    assert asks_more(text)


@pytest.mark.parametrize("text", ["Tell me more about the Normans", "What else did he invent?", "What about that?",
                                  "More steam engines?", "Who went on to improve it?"])
def test_a_question_that_names_what_it_asks_is_not(text):
    assert not asks_more(text)


@pytest.mark.parametrize("cited", [True, False], ids=["citations", "markdown"])
@pytest.mark.parametrize("more", MORE)
def test_more_asks_the_question_again_and_shows_something_new(engine, first, more, cited):
    answer = engine.ask(more, _turns(INVENTOR, first, cited))
    assert answer.answered and answer.question == more
    assert answer.query == INVENTOR
    assert not any(_overlaps(q, first.quotes) for q in answer.quotes)
    assert not {q.text for q in answer.quotes} & {q.text for q in first.quotes}


def test_with_no_further_answer_the_text_goes_on_from_the_best_quote(engine, first):
    """Nothing else says who invented the engine as well, so "Go on" reads on after the
    invention sentence: what it improved on and what it was used for."""
    best = first.quotes[0]
    answer = engine.ask("Go on", _turns(INVENTOR, first, cited=True))
    after = answer.quotes[0]
    document = engine.document(best.document_id)
    assert after.document_id == best.document_id and after.start >= best.end
    assert document.text[best.end:after.start].strip() == ""  # the very next words
    assert after.text == document.text[after.start:after.end]
    assert "pumping water" in " ".join(q.text for q in answer.quotes)


def test_a_second_go_on_goes_further(engine, first):
    history = _turns(INVENTOR, first, cited=True)
    second = engine.ask("Go on", history)
    third = engine.ask("Go on", history + _turns("Go on", second, cited=False))
    assert third.answered and third.query == INVENTOR
    assert not any(_overlaps(q, first.quotes + second.quotes) for q in third.quotes)


def test_a_later_follow_up_leans_on_the_question_more_continued():
    """"What was it mostly used for?" after "Tell me more" is still about the atmospheric engine."""
    history = [Turn(role="user", content=INVENTOR), Turn(role="assistant", content="..."),
               Turn(role="user", content="Tell me more"), Turn(role="assistant", content="...")]
    resolved = resolve("What was it mostly used for?", history)
    assert "atmospheric engine" in resolved.query


def test_more_with_nothing_before_it_is_an_ordinary_question():
    resolved = resolve("Tell me more", [])
    assert resolved.query == "Tell me more" and not resolved.continues


@pytest.mark.parametrize("text", ["What happened next?", "What did that lead to?", "And then?",
                                  "What came after that?"])
def test_what_happened_next_reads_on_from_the_best_quote(engine, first, text):
    """Another answer to "Who invented ...?" does not say what came next: the text after the
    answer's best quote does ("What did that lead to?" was once "What did the lead to
    atmospheric engine?")."""
    assert asks_more(text)
    best = first.quotes[0]
    answer = engine.ask(text, _turns(INVENTOR, first, cited=True))
    after = answer.quotes[0]
    assert answer.answered and after.document_id == best.document_id and after.start >= best.end
    assert engine.document(best.document_id).text[best.end:after.start].strip() == ""  # the very next words
    further = engine.ask("Tell me more", _turns(INVENTOR, first, cited=True) + _turns(text, answer, cited=True))
    assert further.answered and further.quotes[0].start >= after.end  # and "Tell me more" reads on further


def test_what_happened_next_after_a_decline_does_not_read_on_from_an_older_answer():
    """The text after an older answer is not what came next; "Tell me more" still reads on from it."""
    history = [Turn(role="user", content=INVENTOR), Turn(role="assistant", content="Newcomen"),
               Turn(role="user", content="What was the price of tea?"), Turn(role="assistant", content="")]
    def locate(turn: Turn) -> list[Passage]:
        return [Passage(document_id="d", start=0, end=8, text=turn.content)] if turn.content else []
    resolved = resolve("What happened next?", history, locate)
    assert resolved.reads_on and resolved.read_from is None
    assert resolve("Go on", history, locate).read_from is not None


def test_which_came_first_quotes_both_dates(engine, first):
    """Both dated sentences, in the order asked; Attest orders no dates itself."""
    embargo = "When did the 1973 oil embargo end?"
    second = engine.ask(embargo)
    assert second.answered, second
    answer = engine.ask("Which came first?", _turns(INVENTOR, first, cited=True) + _turns(embargo, second, cited=False))
    assert answer.answered and len(answer.quotes) == 2
    assert "1712" in answer.quotes[0].text and "March 1974" in answer.quotes[1].text


class Calls:
    """The engine's retrievals for answering (BM25 look-ups of an earlier answer's quotes apart)
    and the reading model's runs, counted on the real objects."""

    def __init__(self, engine: Engine, monkeypatch):
        self.retrievals: list[str] = []
        self.reads = 0
        retrieve, reader = engine.retrieve, engine.reader()
        logits = reader.logits

        def counted_retrieve(query, k, mode="hybrid", vector=None):
            if mode != "bm25":
                self.retrievals.append(query)
            return retrieve(query, k, mode, vector)

        def counted_logits(question, passages):
            self.reads += 1
            return logits(question, passages)

        monkeypatch.setattr(engine, "retrieve", counted_retrieve)
        monkeypatch.setattr(reader, "logits", counted_logits)


@pytest.mark.parametrize(("more", "reads"), [("Tell me more", 2), ("Go on", 2), ("What happened next?", 1)])
def test_reading_on_retrieves_once(engine, first, more, reads, monkeypatch):
    """Reading on asks the continued question again: its retrieval is not made a second time.
    Nothing else says who invented the engine, so "Tell me more" reads on: two reading-model
    runs, the question's candidates and then the text after the best quote (read apart, see
    rag/answer.py); "What happened next?" reads on first, and the text that follows answers it."""
    calls = Calls(engine, monkeypatch)
    answer = engine.ask(more, _turns(INVENTOR, first, cited=True))
    assert answer.answered
    assert calls.retrievals == [INVENTOR] and calls.reads == reads


def test_more_that_a_new_quote_answers_does_not_read_on(engine, monkeypatch):
    """The text after the last answer is scored only when no unshown quote answers: one
    retrieval, one reading-model run."""
    asked = "Who proclaimed the oil embargo?"
    history = _turns(asked, engine.ask(asked), cited=True)
    calls = Calls(engine, monkeypatch)
    answer = engine.ask("Tell me more", history)
    assert answer.answered and "Libya" in answer.quotes[0].text
    assert calls.retrievals == [asked] and calls.reads == 1


def test_which_came_first_retrieves_nothing(engine, first, monkeypatch):
    """The dated quotes are the answer's candidates: a retrieval for "Which came first?" would
    be discarded."""
    embargo = "When did the 1973 oil embargo end?"
    history = _turns(INVENTOR, first, cited=True) + _turns(embargo, engine.ask(embargo), cited=True)
    calls = Calls(engine, monkeypatch)
    answer = engine.ask("Which came first?", history)
    assert answer.answered and len(answer.quotes) == 2
    assert calls.retrievals == [] and calls.reads == 1


def test_more_reads_on_from_the_best_quote_whose_paragraph_goes_on():
    """A best quote that ends its paragraph would read on into the next paragraph's subject;
    an answer's other quote cut from the middle of one is read on from instead."""
    text = ("Its engine pumped water. It worked by a partial vacuum.\n\n"
            "The engine of 1712 was the first.\n\nA steam turbine has rotors.")
    best = Passage(document_id="d", start=text.index("The engine"), end=text.index("\n\nA steam"), text="")
    other = Passage(document_id="d", start=0, end=text.index(" It worked"), text="")
    assert read_from([best, other], lambda _: text) == other
    assert read_from([other, best], lambda _: text) == other
    assert read_from([best], lambda _: text) == best and read_from([best, other], None) == best
    assert read_from([], lambda _: text) is None
