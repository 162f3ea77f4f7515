"""Defects the second probe set found (eval/datasets/conversations-probe2.jsonl, written apart
from rag/followup/), as pure functions: a greeting before a question, and "he" after a
question asking who was made to hold an office."""

from tests.test_followup import ask

GUISCARD = ("Robert Guiscard, an other Norman adventurer previously elevated to the dignity of count of Apulia as "
            "the result of his military successes, ultimately drove the Byzantines out of southern Italy.")
SIMON = ("In 1973, Nixon named William E. Simon as the first Administrator of the Federal Energy Office, a "
         "short-term organization created to coordinate the response to the embargo.")


def test_a_greeting_is_no_part_of_the_question():
    """It was "ok and what was Italy count of": "hi!" hid that the first question asks who."""
    resolved = ask("ok and what was he count of", ("hi! who drove the Byzantines out of southern Italy?", GUISCARD))
    assert resolved.query == "and what was Robert Guiscard count of"
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
