"""Follow-up defects mended in stop 39, as pure functions of rag/followup/: what a correction
takes the place of, a "the war" inside a reported clause, the one list of correction leads,
and the texts a lower-case turn is recased by."""

from tests.test_followup import ask

BOHEMOND = ("A few years after the First Crusade, in 1107, the Normans under the command of Bohemond, Robert's son, "
            "landed in Valona and besieged Dyrrachium.")
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
