"""Defects the second probe set found (eval/datasets/conversations-probe2.jsonl, written apart
from rag/followup/), as pure functions: a greeting before a question, and "he" after a
question asking who was made to hold an office."""

from rag.followup import Passage
from tests.test_followup import ask

GUISCARD = ("Robert Guiscard, an other Norman adventurer previously elevated to the dignity of count of Apulia as "
            "the result of his military successes, ultimately drove the Byzantines out of southern Italy.")
SIMON = ("In 1973, Nixon named William E. Simon as the first Administrator of the Federal Energy Office, a "
         "short-term organization created to coordinate the response to the embargo.")


def test_a_greeting_is_no_part_of_the_question():
    """It was "ok and what was Italy count of": "hi!" hid that the first question asks who."""
    resolved = ask("ok and what was he count of", ("hi! who drove the Byzantines out of southern Italy?", GUISCARD))
    assert resolved.query == "What was Robert Guiscard count of"  # its "and" is dropped once it stands alone
    assert ask("Thanks, when did he die?", ("Who drove the Byzantines out of southern Italy?", GUISCARD)
               ).query == "when did Robert Guiscard die?"
    # a name that only begins like a greeting stays
    assert ask("Okayama?", ("Who drove the Byzantines out of southern Italy?", GUISCARD)).query != "?"


def test_he_after_who_was_made_to_hold_an_office_is_the_one_made():
    """"Who did Nixon name first Administrator ...?" asks for the appointee; "Who did King
    Malcolm III of Scotland marry?" still makes "he" the king (the office is in his name)."""
    assert ask("what did he allocate to the states",
               ("Who did Nixon name first Administrator of the Federal Energy Office?", SIMON)
               ).query == "what did William E. Simon allocate to the states"
    margaret = "King Malcolm III of Scotland married Edgar's sister Margaret."
    assert ask("Why did he oppose William?", ("Who did King Malcolm III of Scotland marry?", margaret)).query == \
        "Why did King Malcolm III of Scotland oppose William?"


def test_who_else_finds_the_others_in_a_quote_naming_several_people():
    from rag.followup import asks_who_else, naming_others
    from tests.test_followup import _sentences

    both = ("Between 1402 and 1405, the expedition led by the Norman noble Jean de Bethencourt and the Poitevine "
            "Gadifer de la Salle conquered the Canarian islands.")
    shown, alone = _sentences(both, "Their troops were gathered in Normandy, Gascony and Castile.")
    passage = Passage(document_id="d", start=shown.start, end=shown.end, text=shown.text)
    assert asks_who_else("Who else?") and asks_who_else("and who else joined?")
    assert not asks_who_else("Tell me more") and not asks_who_else("What else?")
    assert naming_others([shown, alone], [passage]) == [shown]  # shown, and names two people
    one = _sentences("The expedition was led by Jean de Bethencourt.")[0]
    assert naming_others([one], [Passage(document_id="d", start=0, end=one.end, text=one.text)]) == []


def test_real_engine_who_else_quotes_the_shown_answer_naming_both_leaders(corpus_engine):
    from rag.types import Turn

    first = "Who led the expedition that conquered the Canarian islands?"
    shown = corpus_engine.ask(first)
    assert shown.quotes and "Gadifer de la Salle" in shown.quotes[0].text
    history = [Turn(role="user", content=first), Turn(role="assistant", content=shown.quotes[0].text)]
    others = corpus_engine.ask("Who else?", history)
    assert others.answered and any("Gadifer de la Salle" in q.text for q in others.quotes)
    more = corpus_engine.ask("Tell me more", history)
    assert all(q.text != shown.quotes[0].text for q in more.quotes)  # "Tell me more" still repeats nothing


def test_it_after_the_concept_of_a_thing_is_that_thing():
    """It was "what is concept": "the concept of duty" is about duty; "the term" alone stays."""
    from rag.followup import topic

    watt = "The concept of duty was first introduced by Watt in order to illustrate how efficient his engines were."
    assert ask("what is it", ("who introduced the concept of duty", watt)).query == "what is duty"
    assert topic("What does the term refer to?") == "term"
