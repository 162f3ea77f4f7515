"""A first question as its typist meant it (rag/meant.py): chatter around it dropped, a year said
in words in figures, a typing slip respelt to the index's own words (rag/vocabulary.py); asked
of the real index (real MiniLM, Chroma and BM25 over two shipped articles)."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings as hypothesis_settings
from hypothesis import strategies as st

from rag.engine import Engine
from rag.followup.filler import unpadded
from rag.followup.spelling import respelt, slipped
from rag.meant import meant, years_in_figures
from rag.types import Turn
from rag.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parents[1]
OIL = (ROOT / "corpus" / "wikipedia" / "1973-oil-crisis.md").read_text()
NORMANS = (ROOT / "corpus" / "wikipedia" / "normans.md").read_text()


@pytest.mark.parametrize("typed, read", [
    ("hi! quick one - when was the treaty of paris signed?", "when was the treaty of paris signed?"),
    ("can you tell me who founded the muslim brotherhood please", "who founded the muslim brotherhood"),
    ("I was wondering what the school color of harvard is", "What the school color of harvard is"),
    ("ok so basically i need to know how much tuition was in 2012-13, thx", "how much tuition was in 2012-13"),
    ("Hello, could you please tell me when the oil crisis began?", "When the oil crisis began?"),
    ("hey there, so who led the normans? thanks!", "who led the normans?"),
    ("I'd like to know where the earliest reference was, if you don't mind", "Where the earliest reference was"),
    ("quick question: what's the highest court?", "what's the highest court?"),
    # typed with care, or a request that opens no question: as typed
    ("Who was the leader of the Normans?", "Who was the leader of the Normans?"),
    ("can you tell me about the normans", "can you tell me about the normans"),
    ("Can you see the Golan Heights from Damascus?", "Can you see the Golan Heights from Damascus?"),
    ("who did he want to please", "who did he want to please"),
    ("to whom did the pilgrims give thanks", "to whom did the pilgrims give thanks"),
    ("well known people", "well known people"),
])
def test_chatter_around_a_question_is_dropped(typed, read):
    assert unpadded(typed) == read


@pytest.mark.parametrize("typed, read", [
    ("what did watt patent in seventeen eighty one", "what did watt patent in 1781"),
    ("who voted in sixteen thirty-six", "who voted in 1636"),
    ("in nineteen oh five", "in 1905"), ("by eighteen hundred", "by 1800"), ("in twenty twenty", "in 2020"),
    ("the price on october sixteen nineteen seventy three", "the price on october sixteen 1973"),
    # one number word, a count of years, or figures already: as typed
    ("twenty one men", "twenty one men"), ("sixteen twenty-year-olds", "sixteen twenty-year-olds"),
    ("in 1781", "in 1781"),
])
def test_a_year_said_in_words_is_written_in_figures(typed, read):
    assert years_in_figures(typed) == read


def test_a_slip_is_respelt_to_the_index_s_word_in_the_case_it_was_typed():
    written = vocabulary([OIL, NORMANS])
    assert meant("when did the oil embrago end", written) == "when did the oil embargo end"
    assert meant("what did kisinger negotiate", written) == "what did kissinger negotiate"  # not "Kissinger"
    assert meant("What did Kisinger negotiate?", written) == "What did Kissinger negotiate?"
    # a word the index writes, a common English word, another form of one, an unknown name: as typed
    for typed in ("When did the oil embargo end?", "who is the ceo of shopnbc", "what infects the normans",
                  "What was one of the Norman's major exports?", "what is the boiling point of nitrogen"):
        assert meant(typed, written) == typed


def test_a_common_word_s_other_form_and_a_word_with_its_apostrophe_are_no_slips():
    """"infects" is not "insects", nor "Norman's" "Normands": the first is another form of a
    word the embedding model holds whole, the second a written word typed with its apostrophe."""
    written = vocabulary(["Insects and Normands. The Norman army."])
    assert respelt("what infects the army", written) == "what infects the army"
    assert respelt("the Norman's army", written) == "the Norman's army"
    assert respelt("the insekts", written, cased=False) == "the insects"


def test_a_rarer_english_word_is_no_slip_of_a_word_the_index_writes():
    """"quantify" is one slip from "quantity", "lightening" from "lightning", "flounder" from
    "founder": each is English (the dictionary, rag/followup/english.py), so each stays as typed,
    while a misspelling beside them is respelt."""
    written = vocabulary(["The quantity of lightning killed the founder and the spoilers."])
    for typed in ("how do they quantify it", "what is lightening", "who was the flounder",
                  "when did the free soilers start"):  # "soil" with an ending, not "spoilers"
        assert meant(typed, written) == typed
    assert meant("what killed the foundr of it", written) == "what killed the foundr of it"  # too short a word
    assert meant("how much lightnign fell", written) == "how much lightning fell"


def test_a_code_is_no_slip_and_a_word_in_mixed_case_takes_the_index_s_case():
    written = vocabulary(["An Ms-like state. The NP-complete problems."])
    assert meant("Is an M2-like state induced?", written) == "Is an M2-like state induced?"
    assert meant("Which are NQ-complete?", written) == "Which are NP-complete?"

@st.composite
def slipped_words(draw):
    """A word of the vocabulary with one slip: two letters swapped, one wrong, missing or added."""
    word = draw(st.sampled_from(WORDS))
    at = draw(st.integers(1, len(word) - 2))
    letter = draw(st.sampled_from("abcdeilnorst"))
    kind = draw(st.sampled_from(["swap", "wrong", "missing", "added"]))
    return {"swap": word[:at] + word[at + 1] + word[at] + word[at + 2:], "wrong": word[:at] + letter + word[at + 1:],
            "missing": word[:at] + word[at + 1:], "added": word[:at] + letter + word[at:]}[kind]


VOCABULARY = vocabulary([OIL, NORMANS])
WORDS = sorted(w for w in VOCABULARY if len(w) >= 6 and w.isalpha())


@hypothesis_settings(max_examples=300, deadline=None)
@given(slipped_words())
def test_near_holds_every_word_one_slip_away(typed):
    """`near` is only a shortcut: it misses no word a scan of the whole vocabulary would find."""
    assert {w for w in VOCABULARY if slipped(typed, w)} <= set(VOCABULARY.near(typed))


def test_a_careless_first_question_is_answered_as_the_careful_one(engine):
    careless = engine.ask("hi! quick one - when did the oil embrago end? thanks")
    careful = engine.ask("When did the oil embargo end?")
    assert careless.query == "when did the oil embargo end?" and careful.query == "When did the oil embargo end?"
    assert careless.answered and any("March 1974" in q.text for q in careless.quotes)
    assert careless.question == "hi! quick one - when did the oil embrago end? thanks"
    said = engine.ask("I'd like to know who Nixon named in nineteen seventy three, if you don't mind")
    assert said.query == "Who Nixon named in 1973" and any("William E. Simon" in q.text for q in said.quotes)


def test_a_follow_up_is_not_read_as_a_first_question(engine):
    """A follow-up keeps its own reading (rag/followup/): what it leans on is resolved there."""
    history = [Turn(role="user", content="When did the oil embargo end?"),
               Turn(role="assistant", content="The promise of a negotiated settlement between Israel and Syria "
                                              "was enough to convince Arab oil producers to lift the embargo in "
                                              "March 1974.")]
    assert engine.ask("can you tell me who proclaimed it please", history).query != "who proclaimed it"


def test_the_index_keeps_its_written_words_and_an_index_without_them_is_rebuilt(settings, engine):
    assert engine.answer_parts().written().forms["embargo"] == "embargo"
    manifest = settings.bm25_dir / "manifest.json"
    meta = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({k: v for k, v in meta.items() if k != "words"}))
    reopened = Engine(settings)
    assert "embargo" in json.loads(manifest.read_text())["words"]
    assert reopened.ask("when did the oil embrago end").query == "when did the oil embargo end"
    engine._lexicon.load()
