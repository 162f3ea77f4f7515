"""Defects the fourth tune set found (eval/datasets/conversations-tune4.jsonl, written blind to
rag/followup/), as pure functions: filler around a chat question ("Interesting! when did it
end?", "can you tell me who made it please"), a time relative to the conversation's ("and the
year after?", "ten days later"), and a fronted topic closed by a dash."""

from rag.followup.bound import fronted
from rag.followup.filler import unpadded
from rag.followup.person import doer_in, person_in
from rag.followup.referents import agreeing
from rag.followup.relative import shifted
from rag.followup.then import TIME_WORDS
from tests.test_followup import ask

OIL = ("The 1973 oil crisis began in October 1973 when the members of the Organization of Arab Petroleum "
       "Exporting Countries proclaimed an oil embargo.")
BAYEUX = ("By far the most famous work of Norman art is the Bayeux Tapestry, which is not a tapestry but a work of "
          "embroidery.")
NEWCOMEN = ("The first commercially successful true engine, in that it could generate power and transmit it to a "
            "machine, was the atmospheric engine, invented by Thomas Newcomen around 1712.")
YOM_KIPPUR = ("On October 6, 1973, Syria and Egypt, with support from other Arab nations, launched a surprise attack "
              "on Israel, on Yom Kippur.")
GUISCARD = "After allying himself with Croatia, in 1081 he led an army of 30,000 men in 300 ships."


def test_interjections_a_request_frame_and_a_please_are_no_part_of_the_question():
    assert unpadded("Interesting! when did it end?") == "When did it end?"
    assert unpadded("hmm interesting, can you tell me who made it please") == "who made it"
    assert unpadded("umm ok so who finished building it, if you know?") == "who finished building it?"
    assert unpadded("nice. could you please tell me when it was founded?") == "when it was founded?"
    assert unpadded("Ok, and in 1897?") == "And in 1897?"


def test_a_word_that_only_looks_like_filler_is_kept_and_a_turn_of_filler_alone_stays():
    for typed in ("well-known rulers?", "right wing parties?", "great britain's role?", "thanks!", "ok",
                  "tell me more", "so the french lost?"):
        assert unpadded(typed) == typed


def test_a_follow_up_after_filler_is_resolved_as_the_question_alone():
    assert ask("Interesting! when did it end?", ("when did the oil crisis start", OIL)).query == "When did oil crisis end?"
    assert ask("hmm interesting, can you tell me who made it please",
               ("what is the bayeux tapestry", BAYEUX)).query == "who made bayeux tapestry"


def test_a_new_question_after_filler_is_searched_as_typed_as_a_first_turn_is():
    resolved = ask("right. so who won the French and Indian War?", ("when did the oil crisis start", OIL))
    assert resolved.query == "right. so who won the French and Indian War?" and resolved.leans_on == []


def test_a_relative_time_is_counted_from_the_previous_question_else_its_answer():
    assert shifted("and ten days later?", "what happened on october 6 1973", []) == \
        ("what happened on October 16, 1973?", True)
    assert shifted("and a week before?", "what happened on October 6 1973", []) == \
        ("what happened on September 29, 1973?", True)
    assert shifted("and the year after?", "what did Robert Guiscard do in 1081", []) == \
        ("what did Robert Guiscard do in 1082?", True)
    assert shifted("what did they do the following year?", "when did the Normans take Dyrrachium",
                   ["The garrison resisted until February 1082."]) == ("what did they do in February 1083?", False)
    assert shifted("and the year after?", "when did it start", ["It ran from 1754 to 1763."]) == \
        ("What happened in 1764?", True)


def test_no_relative_time_or_no_time_to_count_from_is_left_to_the_other_rules():
    assert shifted("and later?", "what happened in December 1973", []) is None
    assert shifted("and the year after?", "who ruled Normandy", ["Rollo ruled it."]) is None
    assert shifted("and ten days later?", "what happened in 1973", ["It happened in 1973."]) is None  # no day to count from


def test_a_relative_time_resolves_the_follow_up_to_that_date():
    resolved = ask("and ten days later?", ("what happened on october 6 1973", YOM_KIPPUR))
    assert resolved.query == "what happened on October 16, 1973?" and "relative time" in resolved.leans_on
    assert ask("and the year after?", ("what did robert guiscard do in 1081", GUISCARD)).query == \
        "what did robert guiscard do in 1082?"


def test_a_dash_closes_a_fronted_topic_as_a_comma_does_but_a_hyphen_does_not():
    assert fronted("back to the tapestry - who commissioned it?") == ("the tapestry", "who commissioned it?")
    assert fronted("back to jamaat-e-islami, who founded it") == ("jamaat-e-islami", "who founded it")
    assert ask("back to the tapestry - who commissioned it?", ("what is the most famous norman artwork", BAYEUX),
               ("who invented the first commercial steam engine", NEWCOMEN)).query == "who commissioned the tapestry?"


CANARIES = ("Between 1402 and 1405, the expedition led by the Norman noble Jean de Bethencourt and the Poitevine "
            "Gadifer de la Salle conquered the Canarian islands of Lanzarote, Fuerteventura and El Hierro off the "
            "Atlantic coast of Africa.")
IROQUOIS = ("The Iroquois Confederation dominated much of present-day Upstate New York and the Ohio Country, although "
            "the latter also included Algonquian-speaking populations of Delaware and Shawnee, as well as "
            "Iroquoian-speaking Mingo.")


def test_he_is_the_first_of_two_doers_joined_by_and_not_a_place_near_the_questions_words():
    assert person_in(CANARIES, "who conquered the Canary Islands") == "Jean de Bethencourt"
    assert ask("what title did he take?", ("who conquered the canary islands", CANARIES)).query == \
        "what title did Jean de Bethencourt take?"


def test_they_after_who_did_it_is_the_name_the_answer_opens_with_when_it_says_another_verb():
    assert doer_in(IROQUOIS, "who controlled upstate New York") == "Iroquois Confederation"
    assert ask("which side were they on in the war?", ("who controlled upstate new york", IROQUOIS)).query == \
        "which side were Iroquois Confederation on in the war?"
    assert doer_in("In 1920 the Rose Bowl was played.", "who won the Rose Bowl") == ""  # no name opens it


COED = "The undergraduate college became coeducational after its 1977 merger with Radcliffe College."
ENDOWMENT = "Harvard's $37.6 billion financial endowment is the largest of any academic institution."


def test_before_that_closing_a_question_is_before_the_previous_answers_time():
    assert ask("what was the ratio of men to women before that?", ("when did harvard become coed", COED)).query == \
        "what was the ratio of men to women before 1977?"
    assert not TIME_WORDS.search("what did they sign after that treaty?")  # "that" before a noun names the noun


def test_they_for_a_possessed_thing_is_its_owner_and_it_stays_the_thing():
    assert agreeing("Harvard's endowment", "how many students do they teach?") == "Harvard"
    assert agreeing("Harvard's endowment", "how much is it worth?") == "Harvard's endowment"
    assert agreeing("Harvard's endowments", "how big are they?") == "Harvard's endowments"
    assert ask("and how many students do they teach?", ("how big is harvard's endowment", ENDOWMENT)).query == \
        "How many students do harvard teach?"


MAUDUDI = "Maududi founded the Jamaat-e-Islami party in 1941 and remained its leader until 1972."
DYRRACHIUM = ("The city's garrison resisted until February 1082, when Dyrrachium was betrayed to the Normans by the "
              "Venetian and Amalfitan merchants who had settled there.")


def test_before_that_is_before_the_answers_first_time_and_after_that_after_its_last():
    assert ask("what was his job before that?", ("who founded jamaat-e-islami", MAUDUDI)).query == \
        "what was Maududi's job before 1941?"
    assert ask("what was his job after that?", ("who founded jamaat-e-islami", MAUDUDI)).query.endswith("after 1972?")


def test_they_is_the_people_the_previous_question_named_when_its_topic_is_one_thing():
    assert ask("ok and why did they go back to italy after that?",
               ("when did the normans take dyrrachium", DYRRACHIUM)).query == \
        "Why did normans go back to italy after February 1082?"
    assert agreeing("Dyrrachium", "why did it fall?", "Normans") == "Dyrrachium"


def test_how_come_before_a_second_question_asks_nothing_of_its_own():
    assert unpadded("how come? why were they buying so many weapons") == "why were they buying so many weapons"
    assert unpadded("how come they lost?") == "how come they lost?" and unpadded("how come?") == "how come?"


ANTIOCH = ("After the successful Siege of Antioch in 1097, Bohemond began carving out an independent principality "
           "around that city.")


def test_a_fronted_topic_with_a_person_pronoun_of_its_own_is_resolved_in_turn():
    resolved = ask("what about his nephew, what did he do?", ("what did Bohemond do after the Siege of Antioch", ANTIOCH))
    assert resolved.query == "what did Bohemond's nephew do?" and resolved.leans_on[0] == "topic"
    assert ask("back to france, when did it let algeria go", ("what did Bohemond do after the Siege of Antioch",
                                                              ANTIOCH)).query == "when did france let algeria go"


def test_a_relative_time_from_a_date_no_calendar_has_is_not_counted():
    """"February 30" or a day before year 1 gives no date to count from: the follow-up is read
    without one, not a server error."""
    assert shifted("and ten days later?", "what happened on February 30, 1973", []) is None
    assert shifted("and ten days before?", "what happened on January 1, 0001", []) is None
    assert shifted("and ten days later?", "what happened on October 6, 1973", [])[0] == "what happened on October 16, 1973?"
