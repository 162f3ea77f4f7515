"""Follow-up defects mended in stop 39, as pure functions of rag/followup/: what a correction
takes the place of, a "the war" inside a reported clause, the one list of correction leads,
and the texts a lower-case turn is recased by."""

from rag.followup.casing import SEARCHED_CHUNKS, recased, texts_to_read
from rag.types import Chunk, Document
from tests.test_followup import OIL, ask

BOHEMOND = ("A few years after the First Crusade, in 1107, the Normans under the command of Bohemond, Robert's son, "
            "landed in Valona and besieged Dyrrachium.")
WAR = "The French and Indian War (1754–1763) was the North American theater of the worldwide Seven Years' War."
SHOCK = ("When did the first oil shock begin?", 'It was later called the "first oil shock", followed by the 1979 oil '
         "crisis.")


def test_a_correction_naming_no_one_takes_the_place_of_the_act_not_of_what_was_acted_on():
    """"the third attack" after "When did Bohemond besiege Dyrrachium?" says which attack was
    meant: Dyrrachium stays (it was "When did Bohemond besiege third attack", which no
    sentence answers)."""
    resolved = ask("sorry, I meant the third attack", ("When did Bohemond besiege Dyrrachium?", BOHEMOND))
    assert resolved.query == "When did the third attack Dyrrachium?" and resolved.leans_on == ["ellipsis"]
    # a name is still a name for the name: the doer
    assert ask("No, I meant the Muslim Brotherhood", ("When did Bohemond besiege Dyrrachium?", BOHEMOND)).query == \
        "When did Muslim Brotherhood besiege Dyrrachium?"
    # and a term of the kind the question asked about takes its place, ordinal and all
    assert ask("sorry, I meant the second oil crisis", SHOCK).query == "When did the second oil crisis begin?"


def test_the_war_inside_a_reported_clause_is_not_named():
    """"did they say that the war would end" was "did French and Indian War say the French and
    Indian War would end": the war's name went into the clause, the "that" before it then read
    as a demonstrative and "they" as the war. The clause is left as said."""
    asked = ("When did the French and Indian War start?", WAR)
    said = ask("did they say that the war would end", asked).query
    assert "say that the war would end" in said, said
    assert ask("Who said the war was over?", asked).query.startswith("Who said the war was over")
    # outside a reported clause "the war" is still the name the conversation gave it
    assert ask("When did the war end?", asked).query == "When did French and Indian War end?"
    # a thing announced (no verb after it) is no clause: still named
    paris = ("Who signed the treaty?", "The British and the French signed the Treaty of Paris in 1763.")
    assert "Treaty of Paris" in ask("When did they announce the treaty?", paris).query


def test_every_correction_lead_is_read_by_both_readings_of_a_correction():
    """One list of correction words (rag/followup/words.py CORRECTING): "nope, I meant" and
    "wait, ..." were leads of a whole question (bound.py) but not of a new term (ellipsis.py)."""
    for lead in ("nope, I meant", "wait, I meant", "sorry, I meant"):
        assert ask(f"{lead} the second oil crisis", SHOCK).query == "When did the second oil crisis begin?", lead
    immune = ("What is the main cause of immunodeficiency in developed countries?",
              "In developed countries, obesity, alcoholism, and drug use are common causes of poor immune function.")
    for lead in ("no", "nope", "wait", "oops"):
        assert ask(f"{lead}, in developing countries", immune).query == \
            "What is the main cause of immunodeficiency in developing countries?", lead


def test_the_texts_a_turn_is_recased_by_are_each_read_once():
    """Two earlier questions that find the same document read it once, in the order found."""
    oil, other = Document(id="d", title="D", text=OIL), Document(id="e", title="E", text="The Dutch met.")
    found = {"what about japan": [oil], "and the dutch": [other, oil]}

    def search(text: str, k: int):
        assert k == SEARCHED_CHUNKS
        return [(Chunk(id=f"{d.id}{i}", document_id=d.id, ordinal=i, start=0, end=1, text="x"), d)
                for i, d in enumerate(found.get(text, [oil, oil]))]

    assert texts_to_read(["what about japan", "and the dutch", "who"], [], search) == [OIL, "The Dutch met."]
    assert texts_to_read(["what about japan", "and new france"], [], search) == [OIL]
    assert recased("and the dutch", ["The Dutch met.", "", "The Dutch met."]) == "And the Dutch"


def test_turns_recased_together_read_a_hyphenated_word_and_its_first_part_alike():
    """The texts are read once for the phrases of all the turns (`recased_turns`): "np" and
    "np-complete" start at the same place of "NP-complete", and each is still found there."""
    from rag.followup.casing import recased_turns

    text = "Karp showed that 21 problems were NP-complete. The class NP is large, and many NP problems are hard."
    turns = ["is np large", "which problems were np-complete", "What about NP?", "123"]
    assert recased_turns(turns, [text]) == ["Is NP large", "Which problems were NP-complete", "What about NP?", "123"]
    assert [recased(turn, [text]) for turn in turns] == recased_turns(turns, [text])
