"""Defects the third tune set found (eval/datasets/conversations-tune3.jsonl, written from the
documents alone), as pure functions: "whats" without its apostrophe, "what did they do next",
"the second one" and "the former", "he" that is no acronym nor a place, "he" after "Who did
Nixon name to run ...?", "them" that is a people, "its" after "him", typing slips, "is that
enough", and a "when" or "how long" the previous quote cannot answer."""

from rag.followup import Passage, Resolved, keep_to_question, resolve
from rag.followup.bound import uncontracted
from rag.followup.listed import items, ordinal_item
from rag.followup.more import asks_more, asks_next
from rag.followup.person import person_in
from rag.followup.referents import ONES, demonstrative
from rag.followup.roles import undergoes
from rag.followup.spelling import respelt, slips
from rag.followup.words import topic
from rag.vocabulary import vocabulary
from tests.test_followup import _sentences, ask, conversation, quoted_whole

QUICKSORT = ("The worst-case is when the input is sorted or sorted in reverse order, and the algorithm takes time "
             "O(n2) for this case.")
T_CELLS = "There are two major subtypes of T cells: the killer T cell and the helper T cell."
ABBEYS = "Fécamp Abbey and Saint-Evroul Abbey were centres of musical production and education."
COSTA = ("In the first major case in 1964, Costa v ENEL, a Milanese lawyer, and former shareholder of an energy "
         "company, named Mr Costa refused to pay his electricity bill to Enel, as a protest against the "
         "nationalisation of the Italian energy corporations.")
BRADDOCK = ("In 1755, six colonial governors in North America met with General Edward Braddock, the newly arrived "
            "British Army commander, and planned a four-way attack on the French.")
SIMON = ("In 1973, Nixon named William E. Simon as the first Administrator of the Federal Energy Office, a "
         "short-term organization created to coordinate the response to the embargo.")
ACADIANS = ("Orders for the deportation were given by William Shirley, Commander-in-Chief, North America, without "
            "direction from Great Britain.")
BAYEUX = ("By far the most famous work of Norman art is the Bayeux Tapestry, which is not a tapestry but a work of "
          "embroidery.")


def test_a_question_word_typed_without_its_apostrophe_is_read_as_with_it():
    assert uncontracted("whats the worst case for quicksort") == "what is the worst case for quicksort"
    assert uncontracted("wheres it") == "where is it" and uncontracted("whatsoever") == "whatsoever"
    assert ask("and the average?", ("whats the worst case for quicksort", QUICKSORT)).query == \
        "what is the average case for quicksort?"


def test_what_did_they_do_next_reads_on():
    assert asks_next("what did they do next") and asks_next("And what did he do after that?")
    assert asks_more("what did they do next")
    assert not asks_next("what did they do in 1082")


def test_the_second_one_and_the_former_are_items_of_the_answers_list():
    assert items(T_CELLS) == ["the killer T cell", "the helper T cell"]
    assert items(ABBEYS) == ["Fécamp Abbey", "Saint-Evroul Abbey"]
    assert items("pirates from Denmark, Iceland and Norway who, under Rollo, agreed") == ["Denmark", "Iceland", "Norway"]
    # unlike things are no list: "redness, swelling, heat, and pain" share no noun; a name that
    # describes a noun ("the Caribbean islands") is no item
    assert items("The symptoms are redness, swelling, heat, and pain.") == []
    # ... but the two sides of "either ... or" are a list of two, and the first is "the former"
    assert items("either possessions east of the Mississippi or the Caribbean islands of the sea") == \
        ["possessions east of the Mississippi", "Caribbean islands of the sea"]
    resolved = ask("which co-receptor does the second one use", ("what are the two main kinds of t cells", T_CELLS))
    assert resolved.query == "which co-receptor does the helper T cell use" and resolved.leans_on == ["listed"]
    assert ask("what was developed at the former", ("which abbeys were centres of music", ABBEYS)).query == \
        "what was developed at Fécamp Abbey"
    # "the former" before its noun is an adjective
    assert ordinal_item("when was the former Frankish kingdom founded", ABBEYS) is None
    assert ordinal_item("who was the former president", ABBEYS) is None
    assert ordinal_item("what does the latter do", ABBEYS)[1] == "Saint-Evroul Abbey"


def test_the_listed_items_words_may_answer_what_the_pointer_asked():
    """"Which co-receptor does the second one use?" says none of "helper cell's CD4 co-receptor"
    but what it points at: the item's own words (not "T cell", which the list shares) are asked too."""
    sentences = _sentences("The MHC:antigen complex is also recognized by the helper cell's CD4 co-receptor.",
                           "Killer T cells are activated by antigen.")
    resolved = Resolved(query="which co-receptor does the helper T cell use", leans_on=["listed"],
                        entity="the helper T cell", asked_before="what are the two main kinds of t cells")
    kept = keep_to_question(sentences, "which co-receptor does the second one use", resolved)
    assert [s.text[:7] for s in kept] == ["The MHC"]


def test_he_is_neither_an_acronym_nor_a_place():
    assert ask("what did he claim", ("What was the first big case about EU law primacy", COSTA)).query == \
        "what did Mr Costa claim"
    assert person_in(BRADDOCK, "Who was the British Army commander in 1755") == "General Edward Braddock"
    assert ask("where was he defeated", ("Who was the British Army commander in 1755", BRADDOCK)).query == \
        "where was General Edward Braddock defeated"


def test_he_after_who_someone_chose_is_the_one_chosen():
    assert ask("how did he share out the oil",
               ("Who did Nixon name to run the Federal Energy Office", SIMON)).query == \
        "how did William E. Simon share out the oil"
    margaret = "King Malcolm III of Scotland married Edgar's sister Margaret."
    assert ask("Why did he oppose William?", ("Who did King Malcolm III of Scotland marry?", margaret)).query == \
        "Why did King Malcolm III of Scotland oppose William?"


def test_them_with_no_doer_named_is_the_people_asked_about():
    assert ask("what modern group came from them",
               ("Who ordered the deportation of the Acadians", ACADIANS)).query == \
        "what modern group came from Acadians"


def test_a_typing_slip_is_spelt_as_the_quoted_documents_spell_the_word():
    text = ("Harvard was formed in 1636. Harvard's 2,400 professors instruct 7,200 undergraduates and 14,000 "
            "graduate students. In the January 2006 legislative election it won the majority of the seats.")
    known = vocabulary([text])
    assert slips("studnets", "students", 2) == 1 and slips("electon", "election", 1) == 1
    assert respelt("when did it first run in an electon", known) == "when did it first run in an election"
    assert respelt("and grad studnets", known) == "and grad students"
    assert respelt("when was harverd founded", known) == "when was Harvard founded"
    # a word the documents write, a short word, and one no single word is nearest stay as typed
    assert respelt("how many seats, majorty or not", vocabulary(["majority major seats"])) == \
        "how many seats, majority or not"
    assert respelt("when was it fromed", known) == "when was it formed"
    assert respelt("who won it", known) == "who won it" and respelt("teh seats", known) == "teh seats"
    assert respelt("stunt", vocabulary(["stint stunk"])) == "stunt"
    # another form of a word, or a word a letter at either end or inside a short word away, is no slip
    others = vocabulary(["agreed costly chose Wales contains"])
    assert respelt("agree mostly choose walls contain", others) == "agree mostly choose walls contain"
    # a common English word is typed as meant, whatever rarer word the documents write a slip away
    assert respelt("when was it started", vocabulary(["The horses startled."])) == "when was it started"
    resolved = resolve("what was it called at first", conversation(("when was harverd founded", "Harvard was formed in 1636.")),
                       quoted_whole, lambda _: text)
    assert resolved.query == "What was Harvard called at first"


def test_its_after_a_person_pronoun_is_the_thing_before_him():
    founded = ("Roughly contemporaneous with Maududi was the founding of the Muslim Brotherhood in Ismailiyah, "
               "Egypt in 1928 by Hassan al Banna.")
    killed = "Its founder Al-Banna was assassinated in 1949."
    resolved = resolve("Which of its members became president of Egypt?",
                       conversation(("Who founded the Muslim Brotherhood?", founded), ("What happened to him?", killed)),
                       quoted_whole)
    assert resolved.query == "Which of Muslim Brotherhood's members became president of Egypt?"


def test_is_that_enough_keeps_that_as_the_pronoun():
    assert demonstrative("is that enough to cover their losses") is None
    assert demonstrative("how long did that training last") is not None


def test_a_when_or_how_long_follow_up_needs_a_sentence_with_a_time_or_an_amount():
    resolved = Resolved(query="How long is Bayeux Tapestry", leans_on=["pronoun"], entity="Bayeux Tapestry",
                        answered_before=[Passage(document_id="d", start=0, end=len(BAYEUX), text=BAYEUX)])
    sentences = _sentences(BAYEUX, "The Bayeux Tapestry is 70 metres long.")
    assert [s.text[-12:] for s in keep_to_question(sentences, "how long is it", resolved)] == ["metres long."]
    when = resolved.model_copy(update={"query": "When did he say that"})
    assert keep_to_question(_sentences(BAYEUX), "when did he say that", when) == []
    # a length of time said without a number is one; a question that is no follow-up is not held to it
    lasting = _sentences("This passive immunity is usually short-term, lasting from a few days up to several months.")
    assert keep_to_question(lasting, "how long does that protection last", resolved) == lasting
    assert keep_to_question(_sentences(BAYEUX), "when did he say that", Resolved(query="x")) != []


def test_a_rewritten_follow_up_drops_the_and_that_joined_it():
    """"And what did The Rocket win" read worse than "What did The Rocket win", which the
    rewrite stands alone as; a question read as typed keeps its words."""
    rocket = "In 1829, he built The Rocket which was entered in and won the Rainhill Trials."
    assert ask("and what did it win", ("Who built The Rocket?", rocket)).query == "What did The Rocket win"
    assert ask("and who built the Locomotion?", ("Who built The Rocket?", rocket)).query == \
        "and who built the Locomotion?"


TREATY = ("The British offered France the choice of surrendering either its continental North American possessions "
          "east of the Mississippi or the Caribbean islands of Guadeloupe and Martinique, which had been occupied by "
          "the British.")
CARILLON = ("The third invasion was stopped with the improbable French victory in the Battle of Carillon, in which "
            "3,600 Frenchmen famously and decisively defeated Abercrombie's force of 18,000 regulars, militia and "
            "Native American allies outside the fort the French called Carillon and the British called Ticonderoga.")


def test_the_former_is_the_first_side_of_an_either_or_choice():
    assert items(TREATY) == ["continental North American possessions east of the Mississippi",
                             "Caribbean islands of Guadeloupe and Martinique"]
    assert ordinal_item("why did they pick the former", TREATY)[1] == \
        "continental North American possessions east of the Mississippi"
    assert ordinal_item("and the latter", TREATY)[1] == "Caribbean islands of Guadeloupe and Martinique"


def test_a_person_pronoun_names_no_count_of_people_no_peoples_adjective_and_no_place():
    """"him" after the battle is Abercrombie: not "3,600 Frenchmen" (a count is of many), "Native
    American allies" (a people's word before its noun) nor the fort "the British called Ticonderoga"."""
    assert ask("who replaced him", ("who won the Battle of Carillon", CARILLON)).query == "who replaced Abercrombie"
    assert person_in("In 1066 William landed at Pevensey.", "who landed at Pevensey") == "William"  # a year is no count
    assert person_in("In 1066, Duke William landed.", "who landed at Pevensey") == "Duke William"
    assert person_in("Thomas Newcomen's engine, invented by Thomas Newcomen around 1712.",
                     "Who invented the atmospheric engine?") == "Thomas Newcomen"


def test_a_possessive_typed_without_its_apostrophe_is_the_documents_possessive():
    known = vocabulary(["Newcomen engines had a duty of 7 million; Watt's engine reached 25 million."])
    assert respelt("and watts?", known) == "and Watt's?"
    assert respelt("and engines?", known) == "and engines?"  # a word the documents write is theirs
    assert respelt("and newcomens?", known) == "and newcomens?"  # no possessive written: as typed
    text = "The best Newcomen engines had a duty of 7 million, and Watt's engine reached 25 million."
    resolved = resolve("and watts?", conversation(("what duty did newcomen engines have", text)), quoted_whole,
                       lambda _: text)
    assert resolved.query == "What duty did Watt's engines have?"


def test_the_subject_after_a_modal_ends_before_its_verb():
    assert topic("how long can the reservist training last") == "reservist training"
    assert topic("when will the embargo end") == "embargo"
    assert ask("and when will they be held", ("how long can the reservist training last", "Such training "
                                              "assemblies may not exceed two months.")).query == \
        "When will reservist training be held"


def test_what_about_a_name_the_documents_say_was_done_to_takes_the_place_of_the_one_acted_on():
    doc = ("During the First Sino-Japanese War in 1894, Japan absorbed Taiwan. In 1905, Japan took part of Sakhalin "
           "Island from Russia, and in 1910 Korea was annexed.")
    asked = conversation(("when did japan take taiwan", "During the First Sino-Japanese War in 1894, Japan absorbed "
                          "Taiwan."))
    assert undergoes("Korea", [doc]) and not undergoes("Japan", [doc])
    assert resolve("what about korea", asked, quoted_whole, lambda _: doc).query == "When did Japan take Korea?"
    # a name the documents say as a doer still takes the doer's place
    assert resolve("what about russia", asked, quoted_whole, lambda _: doc + " Russia took Manchuria.").query == \
        "When did Russia take Taiwan?"


def test_the_modified_ones_take_no_guessed_topic():
    """"the 2026 ones" says which of the thing it asks about: appended after it, the previous topic
    ("reservist training") drew a quote that only named the training, not the 2026 assemblies."""
    training = ("how long can reservist training last", "Such training assemblies may not exceed two months.")
    assert ask("and when will the 2026 ones be held", training).query == "and when will the 2026 ones be held"
    assert ask("and when will they be held", training).query == "When will reservist training be held"
    assert ONES.search("which ones were the biggest") is None and ONES.search("the ones who fought") is None
